//! Reads of the audit log: the Audit Log tab (filtered, paged, newest first), one entry with its
//! details, the choices of its filters, and the archive behind a "customer.delete" entry.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params, params_from_iter};
use serde::{Deserialize, Serialize};

use super::customers::escape_like;
use crate::domain::Id;
use crate::store::{Result, Store, pg};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: Id,
    /// RFC 3339 in UTC, as stored.
    pub at: String,
    pub operator: String,
    /// The SSH client address of the operator, when there was one.
    pub client: Option<String>,
    /// `customer.create`, `customer.update`, `customer.delete`, ...
    pub action: String,
    pub customer_id: Option<Id>,
    pub customer_name: Option<String>,
    pub summary: String,
}

/// One entry with what it recorded: `details` is the stored JSON (`before`, `after`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntryFull {
    pub entry: AuditEntry,
    /// The stored details, ids replaced by names (`store::audit_names`); text that is not JSON
    /// comes back as a JSON string.
    pub details: serde_json::Value,
}

/// Which entries the Audit Log shows. Every part narrows; the default shows everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditQuery {
    /// Substring over summary, customer name, action and operator; case-insensitive.
    pub text: String,
    pub operator: Option<String>,
    pub action: Option<String>,
    pub customer_id: Option<Id>,
}

impl AuditQuery {
    /// True when any part narrows the log.
    pub fn is_filtered(&self) -> bool {
        !self.text.trim().is_empty()
            || self.operator.is_some()
            || self.action.is_some()
            || self.customer_id.is_some()
    }

    fn where_clause(&self) -> (String, Vec<Value>) {
        let mut conds = Vec::new();
        let mut args = Vec::new();
        let text = self.text.trim();
        if !text.is_empty() {
            args.push(Value::Text(format!("%{}%", escape_like(text))));
            let n = args.len();
            conds.push(format!(
                "(summary LIKE ?{n} ESCAPE '\\' OR customer_name LIKE ?{n} ESCAPE '\\'
                  OR action LIKE ?{n} ESCAPE '\\' OR operator LIKE ?{n} ESCAPE '\\')"
            ));
        }
        if let Some(op) = &self.operator {
            args.push(Value::Text(op.clone()));
            conds.push(format!("operator = ?{}", args.len()));
        }
        if let Some(action) = &self.action {
            args.push(Value::Text(action.clone()));
            conds.push(format!("action = ?{}", args.len()));
        }
        if let Some(id) = self.customer_id {
            args.push(Value::Integer(id));
            conds.push(format!("customer_id = ?{}", args.len()));
        }
        if conds.is_empty() {
            (String::new(), args)
        } else {
            (format!("WHERE {}", conds.join(" AND ")), args)
        }
    }
}

const ENTRY_COLUMNS: &str = "id, at, operator, client, action, customer_id, customer_name, summary";

fn entry_row(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        client: r.get(3)?,
        action: r.get(4)?,
        customer_id: r.get(5)?,
        customer_name: r.get(6)?,
        summary: r.get(7)?,
    })
}

impl Store {
    /// The newest `limit` audit entries of one customer, newest first.
    pub fn audit_of(&self, customer_id: Id, limit: i64) -> Result<Vec<AuditEntry>> {
        let q = AuditQuery {
            customer_id: Some(customer_id),
            ..AuditQuery::default()
        };
        self.audit_page(&q, 0, limit)
    }

    /// How many entries match the query.
    pub fn audit_count(&self, q: &AuditQuery) -> Result<i64> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::audit::count(c, q));
        }
        let (w, args) = q.where_clause();
        let sql = format!("SELECT count(*) FROM audit {w}");
        Ok(self
            .conn()?
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?)
    }

    /// `limit` entries matching the query from `offset`, newest first.
    pub fn audit_page(&self, q: &AuditQuery, offset: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::audit::page(c, q, offset, limit));
        }
        let (w, mut args) = q.where_clause();
        let n = args.len();
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM audit {w} ORDER BY id DESC LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        );
        args.push(Value::Integer(limit.max(0)));
        args.push(Value::Integer(offset.max(0)));
        let mut stmt = self.conn()?.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), entry_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One entry with its details, or `None` when there is no such entry.
    pub fn audit_entry(&self, id: Id) -> Result<Option<AuditEntryFull>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::audit::entry(c, id));
        }
        let sql = format!("SELECT {ENTRY_COLUMNS}, details FROM audit WHERE id = ?1");
        let found = self
            .conn()?
            .prepare_cached(&sql)?
            .query_row([id], |r| Ok((entry_row(r)?, r.get::<_, String>(8)?)))
            .optional()?;
        let Some((entry, raw)) = found else {
            return Ok(None);
        };
        let mut details = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
        super::audit_names::name_ids(self.conn()?, &mut details)?;
        Ok(Some(AuditEntryFull { entry, details }))
    }

    /// Every operator named in the log, by name: the choices of the operator filter.
    pub fn audit_operators(&self) -> Result<Vec<String>> {
        if self.is_postgres() {
            return self.pg_read(pg::audit::operators);
        }
        self.distinct_audit_texts("SELECT DISTINCT operator FROM audit ORDER BY operator")
    }

    /// Every action in the log, by name: the choices of the action filter.
    pub fn audit_actions(&self) -> Result<Vec<String>> {
        if self.is_postgres() {
            return self.pg_read(pg::audit::actions);
        }
        self.distinct_audit_texts("SELECT DISTINCT action FROM audit ORDER BY action")
    }

    /// Customers named in the log (deleted ones too), most recently active first, each with
    /// the name of its newest entry; at most `limit`: the choices of the customer filter.
    pub fn audit_customers(&self, limit: i64) -> Result<Vec<(Id, String)>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::audit::customers(c, limit));
        }
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT a.customer_id, coalesce(a.customer_name, '#' || a.customer_id)
             FROM (SELECT customer_id, max(id) AS last FROM audit
                   WHERE customer_id IS NOT NULL GROUP BY customer_id
                   ORDER BY last DESC LIMIT ?1) l
             JOIN audit a ON a.id = l.last
             ORDER BY l.last DESC",
        )?;
        let rows = stmt.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The archive written with a "customer.delete" entry: its id and when it was restored.
    pub fn archive_for_audit(&self, audit_id: Id) -> Result<Option<(Id, Option<String>)>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::audit::archive_for_audit(c, audit_id));
        }
        Ok(self
            .conn()?
            .prepare_cached(
                "SELECT id, restored_at FROM archive WHERE audit_id = ?1 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![audit_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn distinct_audit_texts(&self, sql: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn()?.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
