//! `db migrate-to`: a whole SQLite store, audit log and archives included, copied into an empty
//! PostgreSQL database in one transaction: the schema (the migrations), every row (`COPY`), the
//! identity sequences set past the ids SQLite gave, then every table counted on both sides.
//! Anything wrong, the server gone included, rolls it all back: the database stays empty.
//!
//! The SQLite side is read in one read transaction, so the copy is one consistent moment of the
//! store while other operators keep working on it (their later changes are not copied).

use std::io::Write;
use std::time::{Duration, Instant};

use rusqlite::types::ValueRef;

use super::{Location, PgError, PgStore, migrate_in, sql, table_counts};
use crate::store::Store;

/// The columns copied of each table, in `TABLES` order. The stored counts
/// (`customers.camera_count`, `user_count`) are copied as SQLite holds them, with the count
/// triggers off for the copy (a trigger's update of a customer row per camera and user writes
/// every index of `customers` again, the trigram ones included: 12 s instead of 2 s at 1,000
/// customers), then checked against the copied rows. `billing.plan_id` (retired, always empty)
/// is not in the PostgreSQL schema.
const COLUMNS: &[(&str, &str, &str)] = &[
    (
        "plans",
        "id, name, retention_days, mode, price_cents, currency, version, created_at, updated_at",
        "id",
    ),
    (
        "customers",
        "id, kind, parent_id, name, contact_first, contact_last, email, phone, address1, \
         address2, city, state, postal_code, country, time_zone, reference, notes, \
         disable_admin_portal, disable_camera_share, default_plan_id, confirm_email, \
         change_password, status, disabled_by_parent, version, created_at, updated_at, \
         camera_count, user_count",
        "id",
    ),
    (
        "billing",
        "customer_id, same_as_company, contact, email, phone, address1, address2, city, state, \
         postal_code, country, tax_id, tax_exempt, terms",
        "customer_id",
    ),
    (
        "cameras",
        "id, name, mac, serial, model, location, customer_id, plan_id, recording, \
         recording_before_disable, version, created_at, updated_at",
        "id",
    ),
    (
        "roles",
        "id, customer_id, name, description, system, role_type, all_cameras, perm_share, \
         perm_ptz, perm_update_delete, perm_save_clip, version, created_at, updated_at",
        "id",
    ),
    ("role_cameras", "role_id, camera_id", "role_id, camera_id"),
    (
        "users",
        "id, customer_id, first_name, last_name, email, password_hash, must_confirm_email, \
         must_change_password, active, blocked, version, created_at, updated_at",
        "id",
    ),
    ("user_roles", "user_id, role_id", "user_id, role_id"),
    (
        "audit",
        "id, at, operator, client, action, customer_id, customer_name, summary, details",
        "id",
    ),
    (
        "archive",
        "id, customer_id, name, deleted_at, operator, audit_id, data, restored_at",
        "id",
    ),
    ("drafts", "operator, step, data, updated_at", "operator"),
];

/// The columns copied of `table` and its order: for a comparison of the two stores.
pub fn columns(table: &str) -> Option<(&'static str, &'static str)> {
    COLUMNS
        .iter()
        .find(|(t, _, _)| *t == table)
        .map(|(_, c, o)| (*c, *o))
}

/// What a copy did: the rows of each table (the same on both sides, checked).
#[derive(Debug, Clone)]
pub struct CopyReport {
    pub schema: i64,
    pub counts: Vec<(String, i64)>,
    pub elapsed: Duration,
}

/// Copies `store` into the empty database at `location`; see the module doc.
pub fn migrate_to(store: &Store, location: &Location) -> Result<CopyReport, PgError> {
    let started = Instant::now();
    let snapshot = store.conn()?.unchecked_transaction()?;
    let mut pg = PgStore::connect(location)?;
    let client = pg.client();
    let mut tx = client.transaction().map_err(|e| sql(location, &e))?;
    refuse_unless_empty(&mut tx, location)?;
    let schema = migrate_in(&mut tx, location)?;
    tx.batch_execute(
        "SET CONSTRAINTS ALL DEFERRED;
         ALTER TABLE cameras DISABLE TRIGGER USER; ALTER TABLE users DISABLE TRIGGER USER;",
    )
    .map_err(|e| sql(location, &e))?;
    for (table, cols, order) in COLUMNS {
        copy_table(&snapshot, &mut tx, location, table, cols, order)?;
        test_pause(table);
    }
    // The foreign keys are checked now (a table with pending checks cannot be altered).
    tx.batch_execute(
        "SET CONSTRAINTS ALL IMMEDIATE;
         ALTER TABLE cameras ENABLE TRIGGER USER; ALTER TABLE users ENABLE TRIGGER USER;",
    )
    .map_err(|e| sql(location, &e))?;
    set_sequences(&snapshot, &mut tx, location)?;
    let counts = check_counts(&snapshot, &mut tx, location)?;
    tx.commit().map_err(|e| sql(location, &e))?;
    drop(snapshot);
    Ok(CopyReport {
        schema,
        counts,
        elapsed: started.elapsed(),
    })
}

/// The target must hold no table, view or sequence of anyone (a schema of a newer program says so).
fn refuse_unless_empty(
    tx: &mut postgres::Transaction<'_>,
    location: &Location,
) -> Result<(), PgError> {
    let err = |e: postgres::Error| sql(location, &e);
    let db = location.dbname().to_string();
    let version = super::schema_version(tx).map_err(err)?;
    if version > super::migrations::LATEST {
        return Err(PgError::TooNew(db, version, super::migrations::LATEST));
    }
    let row = tx
        .query_one(
            "SELECT count(*), min(c.relname::text) FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\\_toast%'
               AND NOT EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.objid = c.oid AND d.deptype = 'e')",
            &[],
        )
        .map_err(err)?;
    let n: i64 = row.get(0);
    if n > 0 {
        let example: Option<String> = row.get(1);
        return Err(PgError::NotEmpty(db, n, example.unwrap_or_default()));
    }
    Ok(())
}

/// One table: read in primary-key order, written with `COPY ... FROM STDIN` (text format).
fn copy_table(
    snapshot: &rusqlite::Transaction<'_>,
    tx: &mut postgres::Transaction<'_>,
    location: &Location,
    table: &str,
    cols: &str,
    order: &str,
) -> Result<(), PgError> {
    let mut stmt = snapshot.prepare(&format!("SELECT {cols} FROM {table} ORDER BY {order}"))?;
    let width = stmt.column_count();
    let mut writer = tx
        .copy_in(&format!("COPY {table} ({cols}) FROM STDIN"))
        .map_err(|e| sql(location, &e))?;
    let mut rows = stmt.query([])?;
    let mut buf = String::with_capacity(1 << 17);
    while let Some(row) = rows.next()? {
        for i in 0..width {
            if i > 0 {
                buf.push('\t');
            }
            push_value(&mut buf, row.get_ref(i)?, table, i)?;
        }
        buf.push('\n');
        if buf.len() >= 1 << 16 {
            writer
                .write_all(buf.as_bytes())
                .map_err(|_| PgError::Lost(location.server()))?;
            buf.clear();
        }
    }
    writer
        .write_all(buf.as_bytes())
        .map_err(|_| PgError::Lost(location.server()))?;
    writer.finish().map_err(|e| sql(location, &e))?;
    Ok(())
}

/// One value in `COPY`'s text format: `\N` for NULL, backslash, tab, newline and carriage
/// return escaped. PostgreSQL reads `0`/`1` as booleans and JSON text as `jsonb` itself.
fn push_value(buf: &mut String, value: ValueRef<'_>, table: &str, i: usize) -> Result<(), PgError> {
    match value {
        ValueRef::Null => buf.push_str("\\N"),
        ValueRef::Integer(n) => buf.push_str(&n.to_string()),
        ValueRef::Real(f) => buf.push_str(&f.to_string()),
        ValueRef::Text(bytes) => {
            let text = std::str::from_utf8(bytes).map_err(|_| {
                PgError::Check(format!(
                    "{table}: column {} holds text that is not UTF-8",
                    i + 1
                ))
            })?;
            for c in text.chars() {
                match c {
                    '\\' => buf.push_str("\\\\"),
                    '\t' => buf.push_str("\\t"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    c => buf.push(c),
                }
            }
        }
        ValueRef::Blob(_) => {
            return Err(PgError::Check(format!(
                "{table}: column {} holds a blob, which no admin-portal store has",
                i + 1
            )));
        }
    }
    Ok(())
}

/// Each identity sequence past the highest id SQLite ever gave (`sqlite_sequence` remembers
/// the ids of deleted rows, which archives and audit entries still name), so new rows never
/// reuse one.
fn set_sequences(
    snapshot: &rusqlite::Transaction<'_>,
    tx: &mut postgres::Transaction<'_>,
    location: &Location,
) -> Result<(), PgError> {
    for (table, _, order) in COLUMNS {
        if *order != "id" {
            continue;
        }
        let given: i64 = snapshot.query_row(
            &format!(
                "SELECT max(coalesce((SELECT max(id) FROM {table}), 0),
                            coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0))"
            ),
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "SELECT setval(pg_get_serial_sequence($1, 'id'), greatest($2::bigint, 1), $2::bigint > 0)",
            &[table, &given],
        )
        .map_err(|e| sql(location, &e))?;
    }
    Ok(())
}

/// Counts every table on both sides, and checks the copied camera and user counts against the
/// copied rows; any difference stops the copy (rolled back) naming the table.
fn check_counts(
    snapshot: &rusqlite::Transaction<'_>,
    tx: &mut postgres::Transaction<'_>,
    location: &Location,
) -> Result<Vec<(String, i64)>, PgError> {
    let counts = table_counts(tx).map_err(|e| sql(location, &e))?;
    for (table, copied) in &counts {
        let source: i64 =
            snapshot.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        if source != *copied {
            return Err(PgError::Check(format!(
                "{table}: {source} rows in the SQLite store but {copied} copied; nothing was written"
            )));
        }
    }
    let wrong: i64 = tx
        .query_one(
            "SELECT count(*) FROM customers c
             WHERE camera_count <> (SELECT count(*) FROM cameras WHERE customer_id = c.id)
                OR user_count <> (SELECT count(*) FROM users WHERE customer_id = c.id)",
            &[],
        )
        .map_err(|e| sql(location, &e))?
        .get(0);
    if wrong > 0 {
        return Err(PgError::Check(format!(
            "customers: {wrong} stored camera or user counts of the SQLite store differ from its \
             rows; nothing was written"
        )));
    }
    Ok(counts)
}

/// Debug builds only: `ADMIN_PORTAL_TEST_PG_PAUSE=TABLE:MS` sleeps after copying TABLE, inside
/// the transaction, so a test can kill the server mid-copy.
fn test_pause(table: &str) {
    if !cfg!(debug_assertions) {
        return;
    }
    if let Ok(v) = std::env::var("ADMIN_PORTAL_TEST_PG_PAUSE")
        && let Some((t, ms)) = v.split_once(':')
        && t == table
        && let Ok(ms) = ms.parse()
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}
