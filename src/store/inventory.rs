//! The camera inventory and the plans: the paged camera table, usage of plans, and their writes
//! (add, edit, delete), each in one transaction with its audit entry.

use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

use super::customers::escape_like;
use super::{Result, Store, StoreError, audit, is_unique_violation, now};
use crate::domain::validate::{
    self, FieldError, field, normalize_camera, required_text, validate_camera,
};
use crate::domain::{CameraSpec, Id, Operator, Plan, RecordingMode};

// ---------------------------------------------------------------------------------------------
// Cameras: the paged table

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
    fn search(&self) -> CameraSearch {
        let f = self.filter.trim();
        if f.is_empty() {
            CameraSearch::All
        } else if f.chars().count() < super::customers::FTS_MIN_CHARS {
            CameraSearch::Like(format!("%{}%", escape_like(f)))
        } else {
            let phrase = super::customers::fts_phrase(f);
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

// ---------------------------------------------------------------------------------------------
// Plans

/// The fields of a plan that an operator types (the price already parsed into minor units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSpec {
    pub name: String,
    pub retention_days: i64,
    pub mode: RecordingMode,
    /// Price per camera per month in minor units (cents).
    pub price_cents: i64,
    /// Three capital letters (ISO 4217), `USD` by default.
    pub currency: String,
}

impl Default for PlanSpec {
    fn default() -> Self {
        Self {
            name: String::new(),
            retention_days: 30,
            mode: RecordingMode::Continuous,
            price_cents: 0,
            currency: "USD".into(),
        }
    }
}

impl From<&Plan> for PlanSpec {
    fn from(p: &Plan) -> Self {
        Self {
            name: p.name.clone(),
            retention_days: p.retention_days,
            mode: p.mode,
            price_cents: p.price_cents,
            currency: p.currency.clone(),
        }
    }
}

/// A plan with how many customers (recording plan) and cameras (own plan) name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanUsage {
    pub plan: Plan,
    pub customers: i64,
    pub cameras: i64,
}

/// The stable field keys of a plan form.
pub mod plan_field {
    pub const NAME: &str = "plan.name";
    pub const RETENTION: &str = "plan.retention_days";
    pub const MODE: &str = "plan.mode";
    pub const PRICE: &str = "plan.price";
    pub const CURRENCY: &str = "plan.currency";
}

/// Longest plan name in characters.
pub const PLAN_NAME_MAX: usize = 60;
/// Retention is one day to ten years.
pub const RETENTION_MAX: i64 = 3650;
/// The highest price accepted: 1,000,000.00 per camera per month.
pub const PRICE_MAX_CENTS: i64 = 100_000_000;

/// Every problem of a plan as typed, keyed by [`plan_field`].
pub fn validate_plan(p: &PlanSpec) -> Vec<FieldError> {
    let mut e = Vec::new();
    if let Err(err) = required_text(plan_field::NAME, "Name", &p.name, PLAN_NAME_MAX) {
        e.push(err);
    }
    if !(1..=RETENTION_MAX).contains(&p.retention_days) {
        e.push(FieldError::new(
            plan_field::RETENTION,
            "Retention days",
            format!("must be 1 to {RETENTION_MAX}"),
        ));
    }
    if !(0..=PRICE_MAX_CENTS).contains(&p.price_cents) {
        e.push(FieldError::new(
            plan_field::PRICE,
            "Price",
            "must be 0.00 to 1000000.00",
        ));
    }
    if let Err(m) = check_currency(&p.currency) {
        e.push(FieldError::new(plan_field::CURRENCY, "Currency", m));
    }
    e
}

fn check_currency(c: &str) -> Result<(), String> {
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err("three capital letters, like USD or EUR".into())
    }
}

/// A price as typed, "9.99", into minor units (999), without floating point: digits, and
/// optionally a point with one or two digits. Signs, exponents, separators and a third decimal
/// are refused.
pub fn parse_price(text: &str) -> Result<i64, String> {
    const HOW: &str = "use digits with up to two decimals, like 9.99";
    let t = text.trim();
    if t.is_empty() {
        return Err("required".into());
    }
    let (units, cents) = match t.split_once('.') {
        Some((u, c)) => (u, c),
        None => (t, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || (t.contains('.') && !digits(cents)) {
        return Err(HOW.into());
    }
    if cents.len() > 2 {
        return Err("at most two decimals".into());
    }
    let too_big = || "too large".to_string();
    let units: i64 = units.parse().map_err(|_| too_big())?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().map_err(|_| HOW.to_string())? * 10,
        _ => cents.parse().map_err(|_| HOW.to_string())?,
    };
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or_else(too_big)
}

/// Minor units as typed in a form: 999 -> "9.99", 1000 -> "10.00".
pub fn format_price(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

// ---------------------------------------------------------------------------------------------
// Refusals the forms put under a field

const MAC_TAKEN: &str = "MAC address";
const SERIAL_TAKEN: &str = "Serial number";
const PLAN_NAME_TAKEN: &str = "Plan name";

/// The form field a refusal of a camera or plan write is about, if any: a taken MAC address or
/// serial number, or a plan name.
pub fn refused_field(e: &StoreError) -> Option<&'static str> {
    let StoreError::Refused(m) = e else {
        return None;
    };
    if m.starts_with(MAC_TAKEN) {
        Some(field::CAMERA_MAC)
    } else if m.starts_with(SERIAL_TAKEN) {
        Some(field::CAMERA_SERIAL)
    } else if m.starts_with(PLAN_NAME_TAKEN) {
        Some(plan_field::NAME)
    } else {
        None
    }
}

/// "1 customer", "12 cameras".
fn count_of(n: i64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

// ---------------------------------------------------------------------------------------------
// Reads and writes

/// A camera as it is in the store, for the checks of a write.
struct Stored {
    spec: CameraSpec,
    customer: Option<(Id, String)>,
    version: i64,
}

fn load_camera(tx: &Transaction<'_>, id: Id) -> Result<Option<Stored>> {
    Ok(tx
        .prepare_cached(
            "SELECT k.name, k.mac, k.serial, k.model, k.location, k.customer_id, c.name, k.version
             FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id WHERE k.id = ?1",
        )?
        .query_row([id], |r| {
            let customer = match (r.get::<_, Option<Id>>(5)?, r.get::<_, Option<String>>(6)?) {
                (Some(id), Some(name)) => Some((id, name)),
                _ => None,
            };
            Ok(Stored {
                spec: CameraSpec {
                    name: r.get(0)?,
                    mac: r.get(1)?,
                    serial: r.get(2)?,
                    model: r.get(3)?,
                    location: r.get(4)?,
                },
                customer,
                version: r.get(7)?,
            })
        })
        .optional()?)
}

fn camera_gone(id: Id) -> StoreError {
    StoreError::Conflict(format!(
        "camera #{id} no longer exists: another operator deleted it"
    ))
}

/// The camera as it will be stored: trimmed, MAC normalised, and valid (else the first problem).
fn checked_camera(spec: &CameraSpec) -> Result<CameraSpec> {
    let mut spec = spec.clone();
    normalize_camera(&mut spec);
    match validate_camera(&spec).into_iter().next() {
        Some(e) => Err(StoreError::Refused(e.to_string())),
        None => Ok(spec),
    }
}

/// Refuses a MAC address or serial number that another camera (not `except`) already has.
fn check_camera_unique(tx: &Transaction<'_>, spec: &CameraSpec, except: Option<Id>) -> Result<()> {
    let owner = |sql: &str, value: &str| -> Result<Option<String>> {
        Ok(tx
            .prepare_cached(sql)?
            .query_row(params![value, except], |r| r.get(0))
            .optional()?)
    };
    if let Some(other) = owner(
        "SELECT name FROM cameras WHERE mac = ?1 AND id IS NOT ?2",
        &spec.mac,
    )? {
        return Err(StoreError::Refused(format!(
            "{MAC_TAKEN} {}: already registered to camera {other}",
            spec.mac
        )));
    }
    if let Some(other) = owner(
        "SELECT name FROM cameras WHERE serial = ?1 COLLATE NOCASE AND id IS NOT ?2",
        &spec.serial,
    )? {
        return Err(StoreError::Refused(format!(
            "{SERIAL_TAKEN} {}: already registered to camera {other}",
            spec.serial
        )));
    }
    Ok(())
}

fn unique_fallback(e: rusqlite::Error, spec: &CameraSpec) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Refused(format!(
            "{MAC_TAKEN} {} or serial {}: already registered",
            spec.mac, spec.serial
        ))
    } else {
        e.into()
    }
}

fn customer_ref(c: &Option<(Id, String)>) -> Option<(Id, &str)> {
    c.as_ref().map(|(id, name)| (*id, name.as_str()))
}

impl Store {
    /// How many cameras match the query.
    pub fn camera_count(&self, q: &CameraQuery) -> Result<i64> {
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
            .conn()
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?)
    }

    /// Like [`Store::camera_count`], but stops counting at `cap`: `(cap, true)` when at least
    /// `cap` cameras match, else `(n, false)`. For the `n of m` line of a short filter (one or two
    /// characters, which no trigram index answers): "10,000+" needs 10,000 matches read, not all.
    /// A filter of three characters or more is counted exactly by the indexes (0.2-20 ms).
    pub fn camera_count_capped(&self, q: &CameraQuery, cap: i64) -> Result<(i64, bool)> {
        let cap = cap.max(0);
        let n = match q.search() {
            CameraSearch::Fts { .. } => self.camera_count(q)?,
            CameraSearch::All => self
                .conn()
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
                self.conn()
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
        let (mut offset, mut limit) = (offset.max(0), limit.max(0));
        let mut backwards = false;
        if let Some(total) = total
            && q.sort != CameraSort::Customer
        {
            let end = (offset + limit).min(total);
            if end <= offset {
                return Ok(vec![]);
            }
            if offset > total - end {
                (offset, limit, backwards) = (total - end, end - offset, true);
            }
        }
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
        let mut stmt = self.conn().prepare_cached(&sql)?;
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
            .conn()
            .prepare_cached("SELECT coalesce(max(id), 0) FROM cameras")?
            .query_row([], |r| r.get(0))?;
        let threshold = ((end.max(1) as f64) * (cameras as f64)).sqrt().ceil() as i64;
        // Are there `threshold` matches? Both indexes stream their matches, so LIMIT stops them
        // early; a camera matching twice is counted twice, which only errs towards the walk
        // near the threshold, where both ways cost about the same.
        let probe: i64 = self
            .conn()
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
        let sql = format!("{ROW_COLUMNS} FROM cameras k {ROW_JOINS} WHERE k.id = ?1");
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([id], camera_row)
            .optional()?)
    }

    /// Registers a camera in the inventory, unlinked. The MAC address is normalised; a MAC or
    /// serial number already registered is refused, naming the camera that has it.
    pub fn add_camera(&mut self, spec: &CameraSpec, op: &Operator) -> Result<Id> {
        let spec = checked_camera(spec)?;
        self.write(|tx| {
            check_camera_unique(tx, &spec, None)?;
            let ts = now();
            tx.execute(
                "INSERT INTO cameras (name, mac, serial, model, location, recording, created_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6)",
                params![
                    spec.name,
                    spec.mac,
                    spec.serial,
                    spec.model,
                    spec.location,
                    ts
                ],
            )
            .map_err(|e| unique_fallback(e, &spec))?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                op,
                "camera.add",
                None,
                &format!("registered camera {} ({})", spec.name, spec.mac),
                &serde_json::json!({ "camera_id": id, "after": spec }),
            )?;
            Ok(id)
        })
    }

    /// Saves an edited camera when it is still at `expected_version`.
    pub fn update_camera(
        &mut self,
        id: Id,
        expected_version: i64,
        spec: &CameraSpec,
        op: &Operator,
    ) -> Result<()> {
        let spec = checked_camera(spec)?;
        self.write(|tx| {
            let before = load_camera(tx, id)?.ok_or_else(|| camera_gone(id))?;
            if before.version != expected_version {
                return Err(StoreError::Conflict(format!(
                    "Camera {} was changed by another operator while you edited it; review the fresh data and save again",
                    before.spec.name
                )));
            }
            check_camera_unique(tx, &spec, Some(id))?;
            tx.execute(
                "UPDATE cameras SET name = ?2, mac = ?3, serial = ?4, model = ?5, location = ?6,
                        version = version + 1, updated_at = ?7
                 WHERE id = ?1",
                params![
                    id,
                    spec.name,
                    spec.mac,
                    spec.serial,
                    spec.model,
                    spec.location,
                    now()
                ],
            )
            .map_err(|e| unique_fallback(e, &spec))?;
            audit(
                tx,
                op,
                "camera.update",
                customer_ref(&before.customer),
                &camera_changes(&before.spec, &spec),
                &serde_json::json!({ "camera_id": id, "before": before.spec, "after": spec }),
            )?;
            Ok(())
        })
    }

    /// Deletes a camera when it is still at `expected_version`. A linked camera is refused
    /// unless `unlink_first`, which unlinks it in the same transaction.
    pub fn delete_camera(
        &mut self,
        id: Id,
        expected_version: i64,
        unlink_first: bool,
        op: &Operator,
    ) -> Result<()> {
        self.write(|tx| {
            let before = load_camera(tx, id)?.ok_or_else(|| camera_gone(id))?;
            if before.version != expected_version {
                return Err(StoreError::Conflict(format!(
                    "Camera {} was changed by another operator; look at it again before deleting",
                    before.spec.name
                )));
            }
            let mut summary = format!("deleted camera {} ({})", before.spec.name, before.spec.mac);
            if let Some((_, customer)) = &before.customer {
                if !unlink_first {
                    return Err(StoreError::Refused(format!(
                        "Camera {} is linked to {customer}: unlink it first",
                        before.spec.name
                    )));
                }
                summary.push_str(&format!(", unlinked from {customer} first"));
            }
            // Role camera sets go by ON DELETE CASCADE.
            tx.execute("DELETE FROM cameras WHERE id = ?1", [id])?;
            audit(
                tx,
                op,
                "camera.delete",
                customer_ref(&before.customer),
                &summary,
                &serde_json::json!({
                    "camera_id": id,
                    "before": before.spec,
                    "unlinked_from": before.customer.as_ref().map(|c| &c.1),
                }),
            )?;
            Ok(())
        })
    }

    /// Every plan by name, with how many customers and cameras use it.
    pub fn plans_with_usage(&self) -> Result<Vec<PlanUsage>> {
        let plans = self.plans()?;
        let mut out = Vec::with_capacity(plans.len());
        for plan in plans {
            let (customers, cameras) = plan_usage(self.conn(), plan.id)?;
            out.push(PlanUsage {
                plan,
                customers,
                cameras,
            });
        }
        Ok(out)
    }

    /// Adds a plan; a name already taken (ignoring case) is refused.
    pub fn add_plan(&mut self, spec: &PlanSpec, op: &Operator) -> Result<Id> {
        let spec = checked_plan(spec)?;
        self.write(|tx| {
            let ts = now();
            tx.execute(
                "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    spec.name,
                    spec.retention_days,
                    spec.mode.as_str(),
                    spec.price_cents,
                    spec.currency,
                    ts
                ],
            )
            .map_err(|e| plan_name_taken(e, &spec))?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                op,
                "plan.add",
                None,
                &format!("added plan {}", spec.name),
                &serde_json::json!({ "plan_id": id, "after": spec }),
            )?;
            Ok(id)
        })
    }

    /// Saves an edited plan when it is still at `expected_version`.
    pub fn update_plan(
        &mut self,
        id: Id,
        expected_version: i64,
        spec: &PlanSpec,
        op: &Operator,
    ) -> Result<()> {
        let spec = checked_plan(spec)?;
        self.write(|tx| {
            let before = load_plan(tx, id)?;
            if before.version != expected_version {
                return Err(StoreError::Conflict(format!(
                    "Plan {} was changed by another operator while you edited it; review the fresh data and save again",
                    before.name
                )));
            }
            tx.execute(
                "UPDATE plans SET name = ?2, retention_days = ?3, mode = ?4, price_cents = ?5,
                        currency = ?6, version = version + 1, updated_at = ?7
                 WHERE id = ?1",
                params![
                    id,
                    spec.name,
                    spec.retention_days,
                    spec.mode.as_str(),
                    spec.price_cents,
                    spec.currency,
                    now()
                ],
            )
            .map_err(|e| plan_name_taken(e, &spec))?;
            let before = PlanSpec::from(&before);
            audit(
                tx,
                op,
                "plan.update",
                None,
                &plan_changes(&before, &spec),
                &serde_json::json!({ "plan_id": id, "before": before, "after": spec }),
            )?;
            Ok(())
        })
    }

    /// Deletes a plan when it is still at `expected_version` and no customer or camera uses it;
    /// the refusal says by how many it is used.
    pub fn delete_plan(&mut self, id: Id, expected_version: i64, op: &Operator) -> Result<()> {
        self.write(|tx| {
            let before = load_plan(tx, id)?;
            if before.version != expected_version {
                return Err(StoreError::Conflict(format!(
                    "Plan {} was changed by another operator; look at it again before deleting",
                    before.name
                )));
            }
            let (customers, cameras) = plan_usage(tx, id)?;
            if customers > 0 || cameras > 0 {
                return Err(StoreError::Refused(plan_in_use(
                    &before.name,
                    customers,
                    cameras,
                )));
            }
            tx.execute("DELETE FROM plans WHERE id = ?1", [id])?;
            audit(
                tx,
                op,
                "plan.delete",
                None,
                &format!("deleted plan {}", before.name),
                &serde_json::json!({ "plan_id": id, "before": PlanSpec::from(&before) }),
            )?;
            Ok(())
        })
    }
}

/// "Plan Pro 90 is used by 12 customers and 40 cameras; ..."
pub fn plan_in_use(name: &str, customers: i64, cameras: i64) -> String {
    let users = match (customers, cameras) {
        (0, n) => count_of(n, "camera"),
        (n, 0) => count_of(n, "customer"),
        (c, k) => format!("{} and {}", count_of(c, "customer"), count_of(k, "camera")),
    };
    format!("Plan {name} is used by {users}; move them to another plan before deleting it")
}

fn plan_usage(conn: &rusqlite::Connection, id: Id) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM customers WHERE default_plan_id = ?1),
                    (SELECT count(*) FROM cameras WHERE plan_id = ?1)",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

fn load_plan(tx: &Transaction<'_>, id: Id) -> Result<Plan> {
    tx.prepare_cached(
        "SELECT name, retention_days, mode, price_cents, currency, version FROM plans WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Plan {
            id,
            name: r.get(0)?,
            retention_days: r.get(1)?,
            mode: RecordingMode::parse(&r.get::<_, String>(2)?).unwrap_or_default(),
            price_cents: r.get(3)?,
            currency: r.get(4)?,
            version: r.get(5)?,
        })
    })
    .optional()?
    .ok_or_else(|| {
        StoreError::Conflict(format!(
            "plan #{id} no longer exists: another operator deleted it"
        ))
    })
}

fn checked_plan(spec: &PlanSpec) -> Result<PlanSpec> {
    let mut spec = spec.clone();
    validate::trim_in_place(&mut spec.name);
    spec.currency = spec.currency.trim().to_ascii_uppercase();
    match validate_plan(&spec).into_iter().next() {
        Some(e) => Err(StoreError::Refused(e.to_string())),
        None => Ok(spec),
    }
}

fn plan_name_taken(e: rusqlite::Error, spec: &PlanSpec) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Refused(format!(
            "{PLAN_NAME_TAKEN}: \"{}\" is already taken by another plan",
            spec.name
        ))
    } else {
        e.into()
    }
}

fn camera_changes(before: &CameraSpec, after: &CameraSpec) -> String {
    let mut changed = Vec::new();
    for (name, b, a) in [
        ("name", &before.name, &after.name),
        ("MAC", &before.mac, &after.mac),
        ("serial", &before.serial, &after.serial),
        ("model", &before.model, &after.model),
        ("location", &before.location, &after.location),
    ] {
        if b != a {
            changed.push(name);
        }
    }
    if changed.is_empty() {
        format!("camera {} saved without changes", after.name)
    } else {
        format!("camera {}: changed {}", after.name, changed.join(", "))
    }
}

fn plan_changes(before: &PlanSpec, after: &PlanSpec) -> String {
    let mut changed = Vec::new();
    if before.name != after.name {
        changed.push("name");
    }
    if before.retention_days != after.retention_days {
        changed.push("retention");
    }
    if before.mode != after.mode {
        changed.push("mode");
    }
    if before.price_cents != after.price_cents || before.currency != after.currency {
        changed.push("price");
    }
    if changed.is_empty() {
        format!("plan {} saved without changes", after.name)
    } else {
        format!("plan {}: changed {}", after.name, changed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_parse_strictly() {
        assert_eq!(parse_price("9.99"), Ok(999));
        assert_eq!(parse_price("10"), Ok(1000));
        assert_eq!(parse_price("0.5"), Ok(50));
        assert_eq!(parse_price(" 12.30 "), Ok(1230));
        for bad in [
            "9.999", "abc", "-1", "", "9.", ".5", "1e3", "1,00", "+1", "9 .99",
        ] {
            assert!(parse_price(bad).is_err(), "{bad:?}");
        }
        assert!(parse_price("99999999999999999999").is_err());
        assert_eq!(format_price(999), "9.99");
        assert_eq!(format_price(1000), "10.00");
    }
}
