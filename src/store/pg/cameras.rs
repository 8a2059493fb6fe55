//! PostgreSQL side of the store seam, P2: the Cameras table (page, counts, search) and the
//! camera writes (`cameras/write.rs`). The SQLite side and the callers are in
//! `store::inventory::{query, cameras}`; the window, the orders and the plan a row shows are
//! theirs, so both stores show the same rows in the same order.
//!
//! The filter is one `ILIKE` over the camera's five texts and its customer's name: the `pg_trgm`
//! GIN indexes of migration 2 answer it for 3+ characters, a shorter one is a scan as on SQLite.

pub(crate) mod write;

use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use crate::domain::Id;
use crate::store::Result;
use crate::store::inventory::query::{camera_window, shown_plan};
use crate::store::inventory::{CameraQuery, CameraRow, CameraSort};

const ROW_COLUMNS: &str = "SELECT k.id, k.name, k.mac, k.serial, k.model, k.location,
        k.customer_id, c.name,
        (SELECT name FROM plans WHERE id = k.plan_id),
        (SELECT name FROM plans WHERE id = c.default_plan_id),
        k.recording, k.version";

const FROM: &str = "FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id";

/// "The camera `k` (with its customer `c`) matches `$1`"; `c.name` is NULL for the stock.
const MATCHES: &str = "(k.name ILIKE $1 ESCAPE '\\' OR k.mac ILIKE $1 ESCAPE '\\'
    OR k.serial ILIKE $1 ESCAPE '\\' OR k.model ILIKE $1 ESCAPE '\\'
    OR k.location ILIKE $1 ESCAPE '\\' OR c.name ILIKE $1 ESCAPE '\\')";

/// The same without the customer's name, for the unlinked stock alone.
const MATCHES_OWN: &str = "(k.name ILIKE $1 ESCAPE '\\' OR k.mac ILIKE $1 ESCAPE '\\'
    OR k.serial ILIKE $1 ESCAPE '\\' OR k.model ILIKE $1 ESCAPE '\\'
    OR k.location ILIKE $1 ESCAPE '\\')";

fn camera_row(r: &Row) -> CameraRow {
    let (plan, plan_inherited) = shown_plan(r.get(8), r.get(9));
    CameraRow {
        id: r.get(0),
        name: r.get(1),
        mac: r.get(2),
        serial: r.get(3),
        model: r.get(4),
        location: r.get(5),
        customer_id: r.get(6),
        customer: r.get(7),
        plan,
        plan_inherited,
        recording: r.get(10),
        version: r.get(11),
    }
}

/// The filter's condition (`AND ...`, or nothing) and its argument.
fn filter(q: &CameraQuery, cond: &str) -> (String, Vec<String>) {
    match q.like_pattern() {
        Some(p) => (format!("AND {cond}"), vec![p]),
        None => (String::new(), vec![]),
    }
}

/// `args` then `more`, as the statement's parameters (`$1..`, then the numbers after them).
fn params<'a>(args: &'a [String], more: &'a [i64]) -> Vec<&'a (dyn ToSql + Sync)> {
    let mut out: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
    out.extend(more.iter().map(|n| n as &(dyn ToSql + Sync)));
    out
}

pub(crate) fn count(client: &mut impl GenericClient, q: &CameraQuery) -> Result<i64> {
    let (cond, args) = filter(q, MATCHES);
    let sql = format!("SELECT count(*) {FROM} WHERE true {cond}");
    Ok(client.query_one(&sql, &params(&args, &[]))?.get(0))
}

/// At most `cap` counted: `(n, n >= cap)` as SQLite gives it (whose exact count of a long
/// filter, capped after, is the same pair).
pub(crate) fn count_capped(
    client: &mut impl GenericClient,
    q: &CameraQuery,
    cap: i64,
) -> Result<(i64, bool)> {
    let cap = cap.max(0);
    let (cond, args) = filter(q, MATCHES);
    let n = args.len() + 1;
    let sql = format!("SELECT count(*) FROM (SELECT 1 {FROM} WHERE true {cond} LIMIT ${n}) AS m");
    let found: i64 = client.query_one(&sql, &params(&args, &[cap]))?.get(0);
    Ok((found.min(cap), found >= cap))
}

/// `store::Store::camera_page_of`: the same window (read from the end in the second half of
/// the order when the total is known), the ids first, then their rows.
pub(crate) fn page_of(
    client: &mut impl GenericClient,
    q: &CameraQuery,
    offset: i64,
    limit: i64,
    total: Option<i64>,
) -> Result<Vec<CameraRow>> {
    let Some((offset, limit, backwards)) = camera_window(q, offset, limit, total) else {
        return Ok(vec![]);
    };
    let (cond, args) = filter(q, MATCHES);
    let n = args.len();
    let (l, o) = (n + 1, n + 2);
    let order = q.sort.pg_order_by_dir(q.descending);
    let (ids, window) = match q.sort {
        // Linked cameras by customer (customers' name index, then each customer's cameras by
        // name), the unlinked stock after them: each part limited to the end of the window,
        // the window cut from the two after they are put in order.
        CameraSort::Customer => {
            let (own, _) = filter(q, MATCHES_OWN);
            let d = if q.descending { " DESC" } else { "" };
            (
                format!(
                    "(SELECT k.id FROM customers c JOIN cameras k ON k.customer_id = c.id
                      WHERE true {cond} ORDER BY nocase(c.name){d}, k.name{d}, k.id{d}
                      LIMIT ${l}::bigint + ${o}::bigint)
                     UNION ALL
                     (SELECT k.id FROM cameras k WHERE k.customer_id IS NULL {own}
                      ORDER BY k.name{d}, k.id{d} LIMIT ${l}::bigint + ${o}::bigint)"
                ),
                format!("LIMIT ${l} OFFSET ${o}"),
            )
        }
        sort => (
            format!(
                "SELECT k.id {FROM} WHERE true {cond} ORDER BY {} LIMIT ${l} OFFSET ${o}",
                sort.pg_order_by_dir(q.descending != backwards)
            ),
            String::new(),
        ),
    };
    let sql = format!(
        "{ROW_COLUMNS} FROM ({ids}) AS w JOIN cameras k ON k.id = w.id
         LEFT JOIN customers c ON c.id = k.customer_id ORDER BY {order} {window}"
    );
    let rows = client.query(&sql, &params(&args, &[limit, offset]))?;
    Ok(rows.iter().map(camera_row).collect())
}

pub(crate) fn row(client: &mut impl GenericClient, id: Id) -> Result<Option<CameraRow>> {
    let sql = format!("{ROW_COLUMNS} {FROM} WHERE k.id = $1");
    Ok(client.query_opt(&sql, &[&id])?.as_ref().map(camera_row))
}
