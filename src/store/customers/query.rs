//! The paged Customers table: its orders, the filter as SQL, counts (exact and capped), pages,
//! and the short lists of customers other screens pick from.

use rusqlite::{OptionalExtension, Row, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

use crate::domain::{CustomerRow, CustomerType, Id, Status};
use crate::store::{Result, Store, pg};

/// The columns the Customers table can be sorted by; `s` steps through them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    Name,
    Type,
    Contact,
    City,
    /// By the number of linked cameras: counted for every matching row, so slower than the
    /// indexed orders (see `benches/store.rs`).
    Cameras,
    /// By the number of users, counted like [`SortKey::Cameras`].
    Users,
    Status,
    Created,
}

impl SortKey {
    /// In the order of the table's columns.
    pub const ALL: [SortKey; 8] = [
        Self::Name,
        Self::Type,
        Self::Contact,
        Self::City,
        Self::Cameras,
        Self::Users,
        Self::Status,
        Self::Created,
    ];
    pub fn next(self) -> SortKey {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Type => "type",
            Self::Contact => "contact",
            Self::City => "city",
            Self::Cameras => "cameras",
            Self::Users => "users",
            Self::Status => "status",
            Self::Created => "created",
        }
    }
    /// The ORDER BY terms; every order ends on the unique name so paging is stable. Each order
    /// has an index that yields it (V1: the name's UNIQUE index and customers_kind, _contact,
    /// _city, _status, _created), so a page is read from the index and stops after LIMIT rows.
    fn order_terms(self) -> &'static [&'static str] {
        match self {
            Self::Name => &["c.name COLLATE NOCASE"],
            Self::Type => &["c.kind", "c.name COLLATE NOCASE"],
            Self::Contact => &[
                "c.contact_last COLLATE NOCASE",
                "c.contact_first COLLATE NOCASE",
                "c.name COLLATE NOCASE",
            ],
            Self::City => &["c.city COLLATE NOCASE", "c.name"],
            // Stored counts, kept by the triggers of V7 and indexed with the name.
            Self::Cameras => &["c.camera_count", "c.name COLLATE NOCASE"],
            Self::Users => &["c.user_count", "c.name COLLATE NOCASE"],
            Self::Status => &["c.status", "c.name"],
            Self::Created => &["c.created_at", "c.name"],
        }
    }

    /// Whether an index yields this order: every one does (the counts since V7).
    fn indexed(self) -> bool {
        true
    }

    /// The ORDER BY clause, forwards or backwards (`descending`).
    fn order_by(self, descending: bool) -> String {
        let suffix = if descending { " DESC" } else { "" };
        self.order_terms()
            .iter()
            .map(|t| format!("{t}{suffix}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the Customers table shows: a filter text and an order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerQuery {
    /// Substring over name, contact, email, phone, city and reference; case-insensitive.
    pub filter: String,
    pub sort: SortKey,
    /// The order of `sort` the other way round (`S`).
    pub descending: bool,
}

/// The trigram index can only answer a filter of at least three characters (one trigram).
pub const FTS_MIN_CHARS: usize = 3;

/// How a filter text is searched.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Search {
    /// No filter: every customer.
    All,
    /// One or two characters: `LIKE '%x%'` over the six columns. A full scan, but a string that
    /// short matches most rows, so a page ordered by an index stops after a few dozen rows; the
    /// count of a rare pair (the worst case, ~100 ms at 100,000) is paid once per keystroke and the
    /// third character moves to the index.
    Like(String),
    /// Three characters or more: the FTS5 trigram index of migration V2, one quoted phrase.
    Fts(String),
}

impl CustomerQuery {
    fn search(&self) -> Search {
        let f = self.filter.trim();
        if f.is_empty() {
            Search::All
        } else if f.chars().count() < FTS_MIN_CHARS {
            Search::Like(format!("%{}%", escape_like(f)))
        } else {
            Search::Fts(fts_phrase(f))
        }
    }

    /// The filter as one `LIKE`/`ILIKE` pattern (`%text%`, escaped as [`escape_like`] does), or
    /// `None` without a filter: what the PostgreSQL store matches with its trigram indexes.
    pub(crate) fn like_pattern(&self) -> Option<String> {
        let f = self.filter.trim();
        (!f.is_empty()).then(|| format!("%{}%", escape_like(f)))
    }

    /// The WHERE clause over `customers c` and its one argument (none without a filter).
    fn where_clause(&self) -> (String, Vec<Value>) {
        match self.search() {
            Search::All => (String::new(), vec![]),
            Search::Like(pattern) => {
                let cols = [
                    "c.name",
                    "c.contact_first || ' ' || c.contact_last",
                    "c.email",
                    "c.phone",
                    "c.city",
                    "c.reference",
                ];
                let cond = cols
                    .iter()
                    .map(|c| format!("{c} LIKE ?1 ESCAPE '\\'"))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                // And the customers of a sub-integrator whose name matches (a few rows, once).
                let parent = "c.parent_id IN (SELECT id FROM customers
                    WHERE kind = 'integrator' AND name LIKE ?1 ESCAPE '\\')";
                (
                    format!("WHERE ({cond} OR {parent})"),
                    vec![Value::Text(pattern)],
                )
            }
            Search::Fts(phrase) => (
                "WHERE c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1)"
                    .into(),
                vec![Value::Text(phrase)],
            ),
        }
    }
}

/// The user's text as one FTS5 phrase: in double quotes, inner quotes doubled, so no character
/// of it is FTS5 query syntax (`AND`, `*`, `-`, `:`, parentheses). With the trigram tokenizer a
/// phrase matches exactly where the text is a substring of one column, like `LIKE '%text%'`.
pub fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Which rows of the order a page reads: `take` rows after skipping `skip`, counted from the
/// end of the order when `backwards` (then the rows come last first and are put back in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub skip: i64,
    pub take: i64,
    pub backwards: bool,
}

impl Window {
    /// The window of `limit` rows at `offset`; with the number of matching rows (`total`) one
    /// in the second half of the order is read backwards from the end, and one past the end is
    /// `None` (no rows).
    pub(crate) fn of(offset: i64, limit: i64, total: Option<i64>) -> Option<Window> {
        let offset = offset.max(0);
        let limit = limit.max(0);
        let mut window = Window {
            skip: offset,
            take: limit,
            backwards: false,
        };
        if let Some(total) = total {
            let end = (offset + limit).min(total);
            if end <= offset {
                return None;
            }
            if offset > total - end {
                window = Window {
                    skip: total - end,
                    take: end - offset,
                    backwards: true,
                };
            }
        }
        Some(window)
    }
}

/// A count stopped at `cap` as the screen shows it: `(cap, true)` when at least `cap` rows
/// match, else `(n, false)`.
pub(crate) fn capped(n: i64, cap: i64) -> (i64, bool) {
    (n.min(cap), n >= cap)
}

const ROW_COLUMNS: &str = "SELECT c.id, c.name, c.kind, p.name,
        trim(c.contact_first || ' ' || c.contact_last), c.email, c.phone, c.city,
        (SELECT count(*) FROM cameras WHERE customer_id = c.id),
        (SELECT count(*) FROM users WHERE customer_id = c.id),
        (SELECT name FROM plans WHERE id = c.default_plan_id),
        c.status, c.created_at";

const ROW_JOINS: &str = "LEFT JOIN customers p ON p.id = c.parent_id";

fn customer_row(r: &Row<'_>) -> rusqlite::Result<CustomerRow> {
    Ok(CustomerRow {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: CustomerType::parse(&r.get::<_, String>(2)?).unwrap_or_default(),
        parent: r.get(3)?,
        contact: r.get(4)?,
        email: r.get(5)?,
        phone: r.get(6)?,
        city: r.get(7)?,
        cameras: r.get(8)?,
        users: r.get(9)?,
        plan: r.get(10)?,
        status: Status::parse(&r.get::<_, String>(11)?).unwrap_or_default(),
        created_at: r.get(12)?,
    })
}

impl Store {
    /// How many customers match the query.
    pub fn customer_count(&self, q: &CustomerQuery) -> Result<i64> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::count(c, q));
        }
        let (sql, args) = match q.search() {
            // The table's b-tree count (~1.6 ms at 100,000): the screen keeps it and asks again
            // only when the store changed, never per keystroke.
            Search::All => ("SELECT count(*) FROM customers".to_string(), vec![]),
            // Counted in the index alone: no row of `customers` is read.
            Search::Fts(phrase) => (
                "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ?1".to_string(),
                vec![Value::Text(phrase)],
            ),
            Search::Like(_) => {
                let (w, args) = q.where_clause();
                (format!("SELECT count(*) FROM customers c {w}"), args)
            }
        };
        Ok(self
            .conn()?
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?)
    }

    /// Like [`Store::customer_count`], but stops counting at `cap`: `(cap, true)` when at least
    /// `cap` customers match ("10,000+" on the screen), else `(n, false)`, exact. A filter of one
    /// or two characters has no trigram to look up and is counted by scanning: a common text
    /// ("m", ".c") reaches the cap after a few thousand rows instead of reading all 100,000
    /// (40-75 ms), while a rare one ("zz") still scans the table. Three characters or more are
    /// counted exactly in the index (0.2-17 ms), then capped like the others.
    pub fn customer_count_capped(&self, q: &CustomerQuery, cap: i64) -> Result<(i64, bool)> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::count_capped(c, q, cap));
        }
        let cap = cap.max(0);
        let n = match q.search() {
            Search::Like(_) => {
                let (w, mut args) = q.where_clause();
                let sql = format!(
                    "SELECT count(*) FROM (SELECT 1 FROM customers c {w} LIMIT ?{})",
                    args.len() + 1
                );
                args.push(Value::Integer(cap));
                self.conn()?
                    .prepare_cached(&sql)?
                    .query_row(params_from_iter(args), |r| r.get(0))?
            }
            // The trigram index still yields its matches one by one: stop after `cap` of them
            // too, or a text in most rows (".com": 60,000 postings) costs a full count per key.
            Search::Fts(phrase) => self
                .conn()?
                .prepare_cached(
                    "SELECT count(*) FROM (SELECT 1 FROM customers_fts
                     WHERE customers_fts MATCH ?1 LIMIT ?2)",
                )?
                .query_row(params![phrase, cap], |r| r.get(0))?,
            Search::All => self.customer_count(q)?,
        };
        Ok(capped(n, cap))
    }

    /// `limit` rows of the table starting at `offset`, in the query's order.
    pub fn customer_page(
        &self,
        q: &CustomerQuery,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<CustomerRow>> {
        self.customer_page_of(q, offset, limit, None)
    }

    /// Like [`Store::customer_page`], for a caller that knows how many rows match (`total`, from
    /// [`Store::customer_count`] of the same query): a window in the second half of the order is
    /// then read backwards from the end, so `G` and paging near the bottom skip at most half of
    /// the rows instead of all of them (OFFSET walks the index entry by entry).
    pub fn customer_page_of(
        &self,
        q: &CustomerQuery,
        offset: i64,
        limit: i64,
        total: Option<i64>,
    ) -> Result<Vec<CustomerRow>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::page(c, q, offset, limit, total));
        }
        let Some(Window {
            skip,
            take,
            backwards,
        }) = Window::of(offset, limit, total)
        else {
            return Ok(vec![]);
        };
        let (mut w, mut args) = q.where_clause();
        if let (Search::Fts(_), Some(total)) = (q.search(), total)
            && q.sort.indexed()
            && self.prefer_order_scan(total, skip + take)?
        {
            // Disables the rowid lookup on `c.id`, so SQLite walks the order's index and keeps
            // the rows whose id is in the (materialised) FTS result, stopping after LIMIT.
            w = w.replacen("c.id IN", "+c.id IN", 1);
        }
        let n = args.len();
        // The inner query picks the ids of the window from the order's index (and the filter);
        // only those rows are joined and get their camera and user counts. Put in one flat
        // query, SQLite would evaluate the counts for every matching row it sorts.
        let sql = format!(
            "{ROW_COLUMNS}
             FROM (SELECT c.id FROM customers c {w} ORDER BY {inner} LIMIT ?{l} OFFSET ?{o}) AS w
             JOIN customers c ON c.id = w.id
             {ROW_JOINS}
             ORDER BY {outer}",
            inner = q.sort.order_by(backwards != q.descending),
            outer = q.sort.order_by(q.descending),
            l = n + 1,
            o = n + 2,
        );
        args.push(Value::Integer(take));
        args.push(Value::Integer(skip));
        let mut stmt = self.conn()?.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), customer_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How to read a window of an FTS result of `matches` rows that ends `end` rows into the
    /// order. SQLite's own plan looks the matches up by id and sorts them all: cost ~ `matches`
    /// (14 ms for "mar", 14,742 rows; 26 ms for ".com", 60,060, at 100,000 customers). Walking
    /// the order's index and keeping the matching rows costs ~ `end * customers / matches`
    /// (1.5 ms and 8 ms for those first pages) but a rare text walks the whole index (4-6 ms for
    /// no match at all). The walk wins when `end * customers < matches²`.
    fn prefer_order_scan(&self, matches: i64, end: i64) -> Result<bool> {
        if matches == 0 {
            return Ok(false);
        }
        // The largest id bounds the number of customers at the cost of one b-tree descent.
        let customers: i64 = self
            .conn()?
            .prepare_cached("SELECT coalesce(max(id), 0) FROM customers")?
            .query_row([], |r| r.get(0))?;
        Ok(end.saturating_mul(customers) < matches.saturating_mul(matches))
    }

    /// One row of the table, by id.
    pub fn customer_row(&self, id: Id) -> Result<Option<CustomerRow>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::customer_row(c, id));
        }
        let sql = format!("{ROW_COLUMNS} FROM customers c {ROW_JOINS} WHERE c.id = ?1");
        Ok(self
            .conn()?
            .prepare_cached(&sql)?
            .query_row([id], customer_row)
            .optional()?)
    }

    /// True when another customer already has this name (case-insensitive).
    pub fn customer_name_taken(&self, name: &str, except: Option<Id>) -> Result<bool> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::customer_name_taken(c, name, except));
        }
        let n: i64 = self.conn()?.query_row(
            "SELECT count(*) FROM customers WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2",
            params![name.trim(), except],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// The first `limit` customers of the sub-integrator `parent`, by name (index
    /// `customers_parent`), for its Customers sub-tab and the refusal to delete it.
    pub fn customers_under(&self, parent: Id, limit: i64) -> Result<Vec<CustomerRow>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::customers_under(c, parent, limit));
        }
        let sql = format!(
            "{ROW_COLUMNS} FROM customers c {ROW_JOINS}
             WHERE c.parent_id = ?1 ORDER BY c.name COLLATE NOCASE LIMIT ?2"
        );
        let mut stmt = self.conn()?.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![parent, limit], customer_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sub-integrators a customer can be placed under: (id, name), by name.
    pub fn integrators(&self) -> Result<Vec<(Id, String)>> {
        if self.is_postgres() {
            return self.pg_read(pg::customers::integrators);
        }
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT id, name FROM customers WHERE kind = 'integrator' ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
