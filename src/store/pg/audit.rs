//! The audit log's reads on PostgreSQL (`store::views` holds the SQLite side and the callers):
//! the filtered pages and counts, one entry with the names in its details, the filters'
//! choices, the archive of a "customer.delete" entry. The filter is `AuditQuery`'s, built here
//! with `$n` placeholders; its text matches as SQLite's `LIKE` does (ASCII letters ignore case,
//! `%`/`_` escaped by the same `escape_like`), so both stores show the same entries in the same
//! order (newest first, by id). Texts are ordered byte-wise (`COLLATE "C"`), as SQLite's
//! `BINARY`, whatever the database's own collation.

use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use crate::domain::Id;
use crate::store::Result;
use crate::store::audit_names::{Kind, name_ids_with};
use crate::store::customers::escape_like;
use crate::store::views::{AuditEntry, AuditEntryFull, AuditQuery};

type Param = Box<dyn ToSql + Sync>;

const ENTRY_COLUMNS: &str = "id, at, operator, client, action, customer_id, customer_name, summary";

fn entry_row(r: &Row) -> AuditEntry {
    AuditEntry {
        id: r.get(0),
        at: r.get(1),
        operator: r.get(2),
        client: r.get(3),
        action: r.get(4),
        customer_id: r.get(5),
        customer_name: r.get(6),
        summary: r.get(7),
    }
}

/// The query's `WHERE` (empty when nothing narrows) and its parameters, `$1` on.
fn where_clause(q: &AuditQuery) -> (String, Vec<Param>) {
    let mut conds = Vec::new();
    let mut args: Vec<Param> = Vec::new();
    let text = q.text.trim();
    if !text.is_empty() {
        args.push(Box::new(format!("%{}%", escape_like(text))));
        let n = args.len();
        let like = |col: &str| format!("nocase({col}) LIKE nocase(${n}) ESCAPE '\\'");
        conds.push(format!(
            "({} OR {} OR {} OR {})",
            like("summary"),
            like("customer_name"),
            like("action"),
            like("operator")
        ));
    }
    if let Some(op) = &q.operator {
        args.push(Box::new(op.clone()));
        conds.push(format!("operator = ${}", args.len()));
    }
    if let Some(action) = &q.action {
        args.push(Box::new(action.clone()));
        conds.push(format!("action = ${}", args.len()));
    }
    if let Some(id) = q.customer_id {
        args.push(Box::new(id));
        conds.push(format!("customer_id = ${}", args.len()));
    }
    if conds.is_empty() {
        (String::new(), args)
    } else {
        (format!("WHERE {}", conds.join(" AND ")), args)
    }
}

fn refs(args: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|a| a.as_ref()).collect()
}

pub(crate) fn count(client: &mut impl GenericClient, q: &AuditQuery) -> Result<i64> {
    let (w, args) = where_clause(q);
    let row = client.query_one(&format!("SELECT count(*) FROM audit {w}"), &refs(&args))?;
    Ok(row.get(0))
}

pub(crate) fn page(
    client: &mut impl GenericClient,
    q: &AuditQuery,
    offset: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>> {
    let (w, mut args) = where_clause(q);
    let n = args.len();
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM audit {w} ORDER BY id DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    args.push(Box::new(limit.max(0)));
    args.push(Box::new(offset.max(0)));
    let rows = client.query(&sql, &refs(&args))?;
    Ok(rows.iter().map(entry_row).collect())
}

/// The name of record `id` as stored now (`None`: gone), for `store::audit_names`.
fn name_of(client: &mut impl GenericClient, kind: Kind, id: Id) -> Result<Option<String>> {
    let sql = match kind {
        Kind::Plan => "SELECT name FROM plans WHERE id = $1",
        Kind::Customer => {
            "SELECT coalesce((SELECT name FROM customers WHERE id = $1),
                             (SELECT name || ' (deleted)' FROM archive WHERE customer_id = $1
                              ORDER BY id DESC LIMIT 1))"
        }
        Kind::Camera => "SELECT name FROM cameras WHERE id = $1",
        Kind::Role => "SELECT name FROM roles WHERE id = $1",
        Kind::User => "SELECT trim(first_name || ' ' || last_name) FROM users WHERE id = $1",
    };
    let row = client.query_opt(sql, &[&id])?;
    Ok(row.and_then(|r| r.get::<_, Option<String>>(0)))
}

pub(crate) fn entry(client: &mut impl GenericClient, id: Id) -> Result<Option<AuditEntryFull>> {
    let sql = format!("SELECT {ENTRY_COLUMNS}, details::text FROM audit WHERE id = $1");
    let Some(row) = client.query_opt(&sql, &[&id])? else {
        return Ok(None);
    };
    let entry = entry_row(&row);
    let raw: String = row.get(8);
    let mut details = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
    name_ids_with(&mut |kind, id| name_of(client, kind, id), &mut details)?;
    Ok(Some(AuditEntryFull { entry, details }))
}

fn texts(client: &mut impl GenericClient, sql: &str) -> Result<Vec<String>> {
    let rows = client.query(sql, &[])?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(crate) fn operators(client: &mut impl GenericClient) -> Result<Vec<String>> {
    texts(
        client,
        "SELECT DISTINCT operator COLLATE \"C\" FROM audit ORDER BY 1",
    )
}

pub(crate) fn actions(client: &mut impl GenericClient) -> Result<Vec<String>> {
    texts(
        client,
        "SELECT DISTINCT action COLLATE \"C\" FROM audit ORDER BY 1",
    )
}

pub(crate) fn customers(client: &mut impl GenericClient, limit: i64) -> Result<Vec<(Id, String)>> {
    // SQLite's `LIMIT -1` is no limit: PostgreSQL's `LIMIT NULL`.
    let limit = (limit >= 0).then_some(limit);
    let rows = client.query(
        "SELECT a.customer_id, coalesce(a.customer_name, '#' || a.customer_id::text)
         FROM (SELECT customer_id, max(id) AS last FROM audit
               WHERE customer_id IS NOT NULL GROUP BY customer_id
               ORDER BY last DESC LIMIT $1) l
         JOIN audit a ON a.id = l.last
         ORDER BY l.last DESC",
        &[&limit],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub(crate) fn archive_for_audit(
    client: &mut impl GenericClient,
    audit_id: Id,
) -> Result<Option<(Id, Option<String>)>> {
    let row = client.query_opt(
        "SELECT id, restored_at FROM archive WHERE audit_id = $1 ORDER BY id DESC LIMIT 1",
        &[&audit_id],
    )?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}
