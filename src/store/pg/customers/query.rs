//! The paged Customers table on PostgreSQL. The filter is one `ILIKE '%text%'` over the same
//! texts SQLite searches (its FTS5 trigram index for 3+ characters, `LIKE` below), answered by
//! the `pg_trgm` GIN indexes of migration 2; the orders are SQLite's, term by term (`NOCASE`
//! as `nocase(..)`), so both stores show the same rows in the same order and the same windows.

use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use crate::domain::{CustomerRow, CustomerType, Id, Status};
use crate::store::Result;
use crate::store::customers::{CustomerQuery, SortKey, Window, capped};

/// The table's columns; the counts are the stored ones (kept by the triggers of migration 3).
const ROW_COLUMNS: &str = "SELECT c.id, c.name, c.kind, p.name,
        trim(c.contact_first || ' ' || c.contact_last), c.email, c.phone, c.city,
        c.camera_count, c.user_count,
        (SELECT name FROM plans WHERE id = c.default_plan_id),
        c.status, c.created_at";

const ROW_JOINS: &str = "LEFT JOIN customers p ON p.id = c.parent_id";

fn row(r: &Row) -> CustomerRow {
    CustomerRow {
        id: r.get(0),
        name: r.get(1),
        kind: CustomerType::parse(r.get(2)).unwrap_or_default(),
        parent: r.get(3),
        contact: r.get(4),
        email: r.get(5),
        phone: r.get(6),
        city: r.get(7),
        cameras: r.get(8),
        users: r.get(9),
        plan: r.get(10),
        status: Status::parse(r.get(11)).unwrap_or_default(),
        created_at: r.get(12),
    }
}

/// SQLite's ORDER BY terms of each order (`SortKey::order_terms`) in PostgreSQL's words, each
/// the key of an index of migrations 1 and 3. `kind`, `status` and `created_at` (fixed-format
/// RFC 3339 UTC, `store::now`) sort alike in any collation, so they keep the column's own and
/// their indexes serve the order.
fn order_terms(sort: SortKey) -> &'static [&'static str] {
    // `customers.name` is declared `COLLATE NOCASE` on SQLite, so its bare `c.name` is too.
    const NAME: &str = "nocase(c.name)";
    match sort {
        SortKey::Name => &[NAME],
        SortKey::Type => &["c.kind", NAME],
        SortKey::Contact => &["nocase(c.contact_last)", "nocase(c.contact_first)", NAME],
        SortKey::City => &["nocase(c.city)", NAME],
        SortKey::Cameras => &["c.camera_count", NAME],
        SortKey::Users => &["c.user_count", NAME],
        SortKey::Status => &["c.status", NAME],
        SortKey::Created => &["c.created_at", NAME],
    }
}

fn order_by(sort: SortKey, descending: bool) -> String {
    let suffix = if descending { " DESC" } else { "" };
    order_terms(sort)
        .iter()
        .map(|t| format!("{t}{suffix}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The WHERE clause over `customers c` (its pattern is `$1`), and the pattern; empty without a
/// filter. The customers of a sub-integrator whose name matches come through the parent's id
/// (an array, so the planner can still OR the indexes together).
fn where_clause(q: &CustomerQuery) -> (&'static str, Option<String>) {
    match q.like_pattern() {
        None => ("", None),
        Some(pattern) => (
            "WHERE (c.name ILIKE $1 ESCAPE '\\'
                OR (c.contact_first || ' ' || c.contact_last) ILIKE $1 ESCAPE '\\'
                OR c.email ILIKE $1 ESCAPE '\\' OR c.phone ILIKE $1 ESCAPE '\\'
                OR c.city ILIKE $1 ESCAPE '\\' OR c.reference ILIKE $1 ESCAPE '\\'
                OR c.parent_id = ANY (ARRAY(SELECT id FROM customers
                    WHERE kind = 'integrator' AND name ILIKE $1 ESCAPE '\\')))",
            Some(pattern),
        ),
    }
}

fn args(pattern: &Option<String>) -> Vec<&(dyn ToSql + Sync)> {
    pattern.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

pub(crate) fn count(client: &mut impl GenericClient, q: &CustomerQuery) -> Result<i64> {
    let (w, pattern) = where_clause(q);
    let sql = format!("SELECT count(*) FROM customers c {w}");
    Ok(client.query_one(&sql, &args(&pattern))?.get(0))
}

/// The count stopped at `cap` (`Store::customer_count_capped`).
pub(crate) fn count_capped(
    client: &mut impl GenericClient,
    q: &CustomerQuery,
    cap: i64,
) -> Result<(i64, bool)> {
    let cap = cap.max(0);
    let (w, pattern) = where_clause(q);
    let n = if pattern.is_some() {
        let sql = format!("SELECT count(*) FROM (SELECT 1 FROM customers c {w} LIMIT $2) AS m");
        let mut a = args(&pattern);
        a.push(&cap);
        client.query_one(&sql, &a)?.get(0)
    } else {
        count(client, q)?
    };
    Ok(capped(n, cap))
}

/// `Store::customer_page_of`: the window's ids from the order (and the filter), then their rows.
pub(crate) fn page(
    client: &mut impl GenericClient,
    q: &CustomerQuery,
    offset: i64,
    limit: i64,
    total: Option<i64>,
) -> Result<Vec<CustomerRow>> {
    let Some(Window {
        skip,
        take,
        backwards,
    }) = Window::of(offset, limit, total)
    else {
        return Ok(vec![]);
    };
    let (w, pattern) = where_clause(q);
    let n = usize::from(pattern.is_some());
    let sql = format!(
        "{ROW_COLUMNS}
         FROM (SELECT c.id FROM customers c {w} ORDER BY {inner} LIMIT ${l} OFFSET ${o}) AS w
         JOIN customers c ON c.id = w.id
         {ROW_JOINS}
         ORDER BY {outer}",
        inner = order_by(q.sort, backwards != q.descending),
        outer = order_by(q.sort, q.descending),
        l = n + 1,
        o = n + 2,
    );
    let mut a = args(&pattern);
    a.push(&take);
    a.push(&skip);
    Ok(client.query(&sql, &a)?.iter().map(row).collect())
}

pub(crate) fn customer_row(client: &mut impl GenericClient, id: Id) -> Result<Option<CustomerRow>> {
    let sql = format!("{ROW_COLUMNS} FROM customers c {ROW_JOINS} WHERE c.id = $1");
    Ok(client.query_opt(&sql, &[&id])?.as_ref().map(row))
}

pub(crate) fn customer_name_taken(
    client: &mut impl GenericClient,
    name: &str,
    except: Option<Id>,
) -> Result<bool> {
    let r = client.query_one(
        "SELECT EXISTS (SELECT 1 FROM customers
                        WHERE nocase(name) = nocase($1) AND id IS DISTINCT FROM $2)",
        &[&name.trim(), &except],
    )?;
    Ok(r.get(0))
}

pub(crate) fn customers_under(
    client: &mut impl GenericClient,
    parent: Id,
    limit: i64,
) -> Result<Vec<CustomerRow>> {
    let sql = format!(
        "{ROW_COLUMNS} FROM customers c {ROW_JOINS}
         WHERE c.parent_id = $1 ORDER BY nocase(c.name) LIMIT $2"
    );
    Ok(client
        .query(&sql, &[&parent, &limit])?
        .iter()
        .map(row)
        .collect())
}

pub(crate) fn integrators(client: &mut impl GenericClient) -> Result<Vec<(Id, String)>> {
    let rows = client.query(
        "SELECT id, name FROM customers WHERE kind = 'integrator' ORDER BY nocase(name)",
        &[],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
