//! The paged Cameras table: its orders, the filter as SQL, counts (exact and capped) and pages.

use rusqlite::{OptionalExtension, Row, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

use crate::domain::{CameraSpec, Id};
use crate::store::customers::escape_like;
use crate::store::{Result, Store, pg};

/// The orders of the Cameras table; `s` steps through them. Each is served by an index, so the
/// first page is fast at any size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CameraSort {
    #[default]
    Name,
    Mac,
    Serial,
    Customer,
}

impl CameraSort {
    pub const ALL: [CameraSort; 4] = [Self::Name, Self::Mac, Self::Serial, Self::Customer];

    pub fn next(self) -> CameraSort {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Mac => "MAC",
            Self::Serial => "serial",
            Self::Customer => "customer",
        }
    }

    /// Every order ends on the id so that paging is stable.
    fn order_by(self) -> &'static str {
        match self {
            Self::Name => "k.name, k.id",
            Self::Mac => "k.mac",
            Self::Serial => "k.serial",
            // Linked cameras by customer first, the unlinked stock after them.
            Self::Customer => "c.name IS NULL, c.name COLLATE NOCASE, k.name, k.id",
        }
    }

    /// [`CameraSort::order_by_dir`] in PostgreSQL's words (`nocase(..)` for `COLLATE NOCASE`).
    pub(crate) fn pg_order_by_dir(self, descending: bool) -> String {
        self.order_by_dir(descending)
            .replace("c.name COLLATE NOCASE", "nocase(c.name)")
    }

    /// The ORDER BY terms, each reversed when `descending` (`S`): SQLite walks the same index
    /// backwards.
    fn order_by_dir(self, descending: bool) -> String {
        if !descending {
            return self.order_by().to_string();
        }
        self.order_by()
            .split(", ")
            .map(|term| format!("{term} DESC"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the Cameras table shows: a filter text and an order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CameraQuery {
    /// Substring over name, MAC, serial, model, location and customer name; case-insensitive
    /// for ASCII, `%` and `_` literal.
    pub filter: String,
    pub sort: CameraSort,
    /// The order reversed (`S`).
    pub descending: bool,
}

/// How a camera filter is searched.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CameraSearch {
    All,
    /// One or two characters, below one trigram: `LIKE '%x%'` over the six texts, a scan. Such a
    /// text matches most cameras, so a page walking the order's index stops early; the count
    /// scans all (about 0.6 s at 1,000,000): see [`Store::camera_count_capped`].
    Like(String),
    /// Three characters or more: the trigram indexes of V3 (`cameras_fts`, the camera's own five
    /// texts) and of V2 (`customers_fts`, its `name` column: the customer the camera is linked to).
    /// `phrase` for the first, `name : phrase` for the second.
    Fts {
        phrase: String,
        customer: String,
    },
}

/// The SQL of "the camera `k` matches" for a search, with `?1` (and `?2`) bound to `args`.
struct Cond {
    /// Over `cameras k` joined with its customer `c`.
    linked: String,
    /// Over `cameras k` alone, for the unlinked stock (its customer name is no text to match).
    unlinked: String,
    args: Vec<Value>,
}

/// The cameras' own texts matched by the trigram index (`?1`).
const FTS_CAMERAS: &str = "SELECT rowid FROM cameras_fts WHERE cameras_fts MATCH ?1";
/// The customers whose name the trigram index matches (`?2`).
const FTS_CUSTOMERS: &str = "SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?2";

impl CameraQuery {
    /// The filter as the pattern of `ILIKE $n ESCAPE '\\'` (PostgreSQL: the same substring over
    /// the same six texts, `%`/`_` literal, as SQLite's trigram and `LIKE` searches), `None`
    /// without a filter.
    pub(crate) fn like_pattern(&self) -> Option<String> {
        let f = self.filter.trim();
        (!f.is_empty()).then(|| format!("%{}%", escape_like(f)))
    }

    fn search(&self) -> CameraSearch {
        let f = self.filter.trim();
        if f.is_empty() {
            CameraSearch::All
        } else if f.chars().count() < crate::store::customers::FTS_MIN_CHARS {
            CameraSearch::Like(format!("%{}%", escape_like(f)))
        } else {
            let phrase = crate::store::customers::fts_phrase(f);
            CameraSearch::Fts {
                customer: format!("name : {phrase}"),
                phrase,
            }
        }
    }

    /// The filter as a condition; `walk` when the page is read by walking the order's index and
    /// testing each camera: the leading `+` keeps SQLite from turning the `IN`s into lookups
    /// (which would read every match and sort them) so it walks the index and stops after LIMIT.
    fn cond(&self, walk: bool) -> Option<Cond> {
        let plus = if walk { "+" } else { "" };
        match self.search() {
            CameraSearch::All => None,
            CameraSearch::Like(pattern) => {
                let own = ["k.name", "k.mac", "k.serial", "k.model", "k.location"];
                let like = |cols: &[&str]| {
                    let c = cols
                        .iter()
                        .map(|c| format!("{c} LIKE ?1 ESCAPE '\\'"))
                        .collect::<Vec<_>>()
                        .join(" OR ");
                    format!("({c})")
                };
                let mut all = own.to_vec();
                all.push("c.name");
                Some(Cond {
                    linked: like(&all),
                    unlinked: like(&own),
                    args: vec![Value::Text(pattern)],
                })
            }
            CameraSearch::Fts { phrase, customer } => Some(Cond {
                linked: format!(
                    "({plus}k.id IN ({FTS_CAMERAS}) OR {plus}k.customer_id IN ({FTS_CUSTOMERS}))"
                ),
                unlinked: format!("{plus}k.id IN ({FTS_CAMERAS})"),
                args: vec![Value::Text(phrase), Value::Text(customer)],
            }),
        }
    }
}

/// One line of the Cameras table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraRow {
    pub id: Id,
    pub name: String,
    pub mac: String,
    pub serial: String,
    pub model: String,
    pub location: String,
    pub customer_id: Option<Id>,
    /// The customer it is linked to; `None` in the unlinked stock.
    pub customer: Option<String>,
    /// The camera's own recording plan, or else its customer's recording plan.
    pub plan: Option<String>,
    /// True when `plan` is the customer's, not the camera's own.
    pub plan_inherited: bool,
    pub recording: bool,
    pub version: i64,
}

impl CameraRow {
    pub fn spec(&self) -> CameraSpec {
        CameraSpec {
            name: self.name.clone(),
            mac: self.mac.clone(),
            serial: self.serial.clone(),
            model: self.model.clone(),
            location: self.location.clone(),
        }
    }
}

const ROW_COLUMNS: &str = "SELECT k.id, k.name, k.mac, k.serial, k.model, k.location,
        k.customer_id, c.name,
        (SELECT name FROM plans WHERE id = k.plan_id),
        (SELECT name FROM plans WHERE id = c.default_plan_id),
        k.recording, k.version";

const ROW_JOINS: &str = "LEFT JOIN customers c ON c.id = k.customer_id";

/// The plan a row shows: the camera's own, or else its customer's (then `true`: inherited).
pub(crate) fn shown_plan(own: Option<String>, customers: Option<String>) -> (Option<String>, bool) {
    let inherited = own.is_none() && customers.is_some();
    (own.or(customers), inherited)
}

fn camera_row(r: &Row<'_>) -> rusqlite::Result<CameraRow> {
    let own: Option<String> = r.get(8)?;
    let customers: Option<String> = r.get(9)?;
    Ok(CameraRow {
        id: r.get(0)?,
        name: r.get(1)?,
        mac: r.get(2)?,
        serial: r.get(3)?,
        model: r.get(4)?,
        location: r.get(5)?,
        customer_id: r.get(6)?,
        customer: r.get(7)?,
        plan_inherited: own.is_none() && customers.is_some(),
        plan: own.or(customers),
        recording: r.get(10)?,
        version: r.get(11)?,
    })
}

/// The window `camera_page_of` reads, the same on both stores: `(offset, limit, backwards)`,
/// where `backwards` means counted from the end of the order (the order walked the other way
/// round); `None` when the window is past the end.
pub(crate) fn camera_window(
    q: &CameraQuery,
    offset: i64,
    limit: i64,
    total: Option<i64>,
) -> Option<(i64, i64, bool)> {
    let (offset, limit) = (offset.max(0), limit.max(0));
    let Some(total) = total.filter(|_| q.sort != CameraSort::Customer) else {
        return Some((offset, limit, false));
    };
    let end = (offset + limit).min(total);
    if end <= offset {
        return None;
    }
    if offset > total - end {
        return Some((total - end, end - offset, true));
    }
    Some((offset, limit, false))
}

impl Store {
    /// How many cameras match the query.
    pub fn camera_count(&self, q: &CameraQuery) -> Result<i64> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::cameras::count(c, q));
        }
        let (sql, args) = match q.search() {
            CameraSearch::All => ("SELECT count(*) FROM cameras".to_string(), vec![]),
            // The cameras whose own texts match, counted in the index alone, plus those of the
            // customers whose name matches that do not match by themselves (none for most
            // texts: the second set, and the lookup of the first, are then never built).
            CameraSearch::Fts { phrase, customer } => (
                format!(
                    "SELECT (SELECT count(*) FROM cameras_fts WHERE cameras_fts MATCH ?1)
                          + (SELECT count(*) FROM cameras k
                             WHERE k.customer_id IN ({FTS_CUSTOMERS})
                               AND k.id NOT IN ({FTS_CAMERAS}))"
                ),
                vec![Value::Text(phrase), Value::Text(customer)],
            ),
            CameraSearch::Like(_) => {
                let cond = q.cond(false).expect("a filter");
                (
                    format!(
                        "SELECT count(*) FROM cameras k LEFT JOIN customers c
                         ON c.id = k.customer_id WHERE {}",
                        cond.linked
                    ),
                    cond.args,
                )
            }
        };
        Ok(self
            .conn()?
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?)
    }

    /// Like [`Store::camera_count`], but stops counting at `cap`: `(cap, true)` when at least
    /// `cap` cameras match, else `(n, false)`. For the `n of m` line of a short filter (one or two
    /// characters, which no trigram index answers): "10,000+" needs 10,000 matches read, not all.
    /// A filter of three characters or more is counted exactly by the indexes (0.2-20 ms).
    pub fn camera_count_capped(&self, q: &CameraQuery, cap: i64) -> Result<(i64, bool)> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::cameras::count_capped(c, q, cap));
        }
        let cap = cap.max(0);
        let n = match q.search() {
            CameraSearch::Fts { .. } => self.camera_count(q)?,
            CameraSearch::All => self
                .conn()?
                .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM cameras LIMIT ?1)")?
                .query_row([cap], |r| r.get(0))?,
            CameraSearch::Like(_) => {
                let cond = q.cond(true).expect("a filter");
                let mut args = cond.args;
                let sql = format!(
                    "SELECT count(*) FROM (SELECT 1 FROM cameras k LEFT JOIN customers c
                     ON c.id = k.customer_id WHERE {} LIMIT ?{})",
                    cond.linked,
                    args.len() + 1
                );
                args.push(Value::Integer(cap));
                self.conn()?
                    .prepare_cached(&sql)?
                    .query_row(params_from_iter(args), |r| r.get(0))?
            }
        };
        Ok((n.min(cap), n >= cap))
    }

    /// `limit` rows of the Cameras table starting at `offset`, in the query's order.
    ///
    /// The window's ids are picked first (from indexes, without the row's joins), then only
    /// those rows are read. Two ways to pick them:
    /// - walk the order's index and test each camera against the filter, stopping after LIMIT:
    ///   cost ~ `end * cameras / matches`, the only way without a filter or with a short one;
    /// - look the matches up in the trigram index and sort them: cost ~ `matches`.
    ///
    /// The walk wins when `matches² > end * cameras`: at 1,000,000 cameras and a first window
    /// of 160 rows, above about 12,600 matches. Whether there are that many is asked of the
    /// index with that LIMIT, so the decision costs at most what the sort would.
    pub fn camera_page(&self, q: &CameraQuery, offset: i64, limit: i64) -> Result<Vec<CameraRow>> {
        self.camera_page_of(q, offset, limit, None)
    }

    /// Like [`Store::camera_page`], for a caller that knows how many cameras match (`total`,
    /// exact): a window in the second half of the order is then read backwards from the end,
    /// so `G` at 1,000,000 cameras skips nothing instead of walking a million index entries
    /// (OFFSET steps entry by entry). The order by customer, read in two parts, is read
    /// forwards.
    pub fn camera_page_of(
        &self,
        q: &CameraQuery,
        offset: i64,
        limit: i64,
        total: Option<i64>,
    ) -> Result<Vec<CameraRow>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::cameras::page_of(c, q, offset, limit, total));
        }
        let Some((offset, limit, backwards)) = camera_window(q, offset, limit, total) else {
            return Ok(vec![]);
        };
        let walk = match q.search() {
            CameraSearch::Fts { .. } => self.camera_walk_wins(q, offset + limit)?,
            _ => true,
        };
        let cond = q.cond(walk);
        let (mut args, linked, unlinked) = match cond {
            Some(c) => (
                c.args,
                format!("AND {}", c.linked),
                format!("AND {}", c.unlinked),
            ),
            None => (vec![], String::new(), String::new()),
        };
        let n = args.len();
        let (l, o) = (n + 1, n + 2);
        let ids = match q.sort {
            // Linked cameras by customer name (walking the customers' name index, each
            // customer's cameras from `cameras_customer_name` in name order: V3), then the
            // unlinked stock by name (one range of the same index): no sort of the million.
            // Each part is ordered by its indexes and limited (so SQLite keeps its ORDER BY);
            // UNION ALL yields the first part to its end before the second.
            // Reversed, the stock comes first and each part is walked backwards.
            CameraSort::Customer if walk => {
                let d = if q.descending { " DESC" } else { "" };
                let linked = format!(
                    "SELECT id FROM (SELECT k.id FROM customers c CROSS JOIN cameras k
                                     ON k.customer_id = c.id WHERE 1 {linked}
                                     ORDER BY c.name COLLATE NOCASE{d}, k.name{d}, k.id{d}
                                     LIMIT ?{l} + ?{o})"
                );
                let stock = format!(
                    "SELECT id FROM (SELECT k.id FROM cameras k
                                     WHERE k.customer_id IS NULL {unlinked}
                                     ORDER BY k.name{d}, k.id{d} LIMIT ?{l} + ?{o})"
                );
                let (first, second) = if q.descending {
                    (stock, linked)
                } else {
                    (linked, stock)
                };
                format!("{first} UNION ALL {second} LIMIT ?{l} OFFSET ?{o}")
            }
            sort => format!(
                "SELECT k.id FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id
                 WHERE 1 {linked} ORDER BY {} LIMIT ?{l} OFFSET ?{o}",
                // Read backwards from the end, the order is walked the other way round.
                sort.order_by_dir(q.descending != backwards)
            ),
        };
        let sql = format!(
            "{ROW_COLUMNS} FROM ({ids}) AS w CROSS JOIN cameras k ON k.id = w.id {ROW_JOINS}
             ORDER BY {}",
            q.sort.order_by_dir(q.descending)
        );
        args.push(Value::Integer(limit));
        args.push(Value::Integer(offset));
        let mut stmt = self.conn()?.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), camera_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when a window ending `end` rows into the order is read faster by walking the
    /// order's index than by sorting the matches (see [`Store::camera_page`]).
    fn camera_walk_wins(&self, q: &CameraQuery, end: i64) -> Result<bool> {
        let CameraSearch::Fts { phrase, customer } = q.search() else {
            return Ok(true);
        };
        // The largest id bounds the number of cameras at the cost of one b-tree descent.
        let cameras: i64 = self
            .conn()?
            .prepare_cached("SELECT coalesce(max(id), 0) FROM cameras")?
            .query_row([], |r| r.get(0))?;
        let threshold = ((end.max(1) as f64) * (cameras as f64)).sqrt().ceil() as i64;
        // Are there `threshold` matches? Both indexes stream their matches, so LIMIT stops them
        // early; a camera matching twice is counted twice, which only errs towards the walk
        // near the threshold, where both ways cost about the same.
        let probe: i64 = self
            .conn()?
            .prepare_cached(&format!(
                "SELECT count(*) FROM (SELECT rowid FROM cameras_fts WHERE cameras_fts MATCH ?1
                                       UNION ALL
                                       SELECT id FROM cameras WHERE customer_id IN ({FTS_CUSTOMERS})
                                       LIMIT ?3)"
            ))?
            .query_row(params![phrase, customer, threshold], |r| r.get(0))?;
        Ok(probe >= threshold)
    }

    /// One row of the Cameras table, by id.
    pub fn camera_row(&self, id: Id) -> Result<Option<CameraRow>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::cameras::row(c, id));
        }
        let sql = format!("{ROW_COLUMNS} FROM cameras k {ROW_JOINS} WHERE k.id = ?1");
        Ok(self
            .conn()?
            .prepare_cached(&sql)?
            .query_row([id], camera_row)
            .optional()?)
    }
}
