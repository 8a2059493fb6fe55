//! Reads the customer view needs beyond the catalogue: the audit entries of one customer.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::domain::Id;
use crate::store::{Result, Store};

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

impl Store {
    /// The newest `limit` audit entries of one customer, newest first.
    pub fn audit_of(&self, customer_id: Id, limit: i64) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, at, operator, client, action, customer_id, customer_name, summary
             FROM audit WHERE customer_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![customer_id, limit], |r| {
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
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
