//! Disabling and enabling a customer (PRODUCT.md §4).
//!
//! Disabling stops every linked camera recording, remembering each camera's state in
//! `recording_before_disable`, and blocks every user; a sub-integrator takes its active customers
//! with it (marked `disabled_by_parent`). Enabling gives each camera back exactly its remembered
//! state, unblocks the users, and enables again only the customers the disable took with it.
//!
//! The walk, the counts, the refusals and the audit entries are written once here, over
//! [`StatusRead`] / [`StatusWrite`]: what a disable or enable needs of a store, implemented
//! for SQLite below and for PostgreSQL in `store::pg::status`.

use rusqlite::{Connection, Transaction, params};

use super::customers::{AuditLine, load_customer};
use super::{Result, Store, StoreError, now, pg};
use crate::domain::{Customer, Id, Operator, Status};

/// What a disable or enable changes (or, before it runs, would change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusChange {
    /// Disable: cameras that stop recording. Enable: cameras that record again (the same
    /// cameras, so a disable and the enable after it count alike).
    pub cameras: usize,
    /// Users blocked (disable) or unblocked (enable).
    pub users: usize,
    /// Customers of a sub-integrator disabled with it, or enabled again with it.
    pub children: usize,
}

/// What a preview of a disable or enable reads, on either store.
pub(crate) trait StatusRead {
    /// The whole customer (`lock`: read for update, inside a write).
    fn customer(&mut self, id: Id, lock: bool) -> Result<Option<Customer>>;
    /// The customers right under `parent` that a disable (active ones) or an enable (those
    /// disabled with their parent) reaches, by id.
    fn children(&mut self, parent: Id, disable: bool) -> Result<Vec<Id>>;
    /// A disable: the customer's recording cameras and unblocked users; an enable: its cameras
    /// that recorded before the disable and its blocked users.
    fn counts(&mut self, id: Id, disable: bool) -> Result<(usize, usize)>;
}

/// What a disable or enable writes, on either store, inside its one transaction.
pub(crate) trait StatusWrite: StatusRead {
    /// Stops the cameras, blocks the users and marks one customer disabled.
    fn disable_one(&mut self, id: Id, by_parent: bool, stamp: &str) -> Result<()>;
    /// Gives the cameras their remembered state, unblocks the users, marks the customer active.
    fn enable_one(&mut self, id: Id, stamp: &str) -> Result<()>;
    fn audit(&mut self, op: &Operator, line: &AuditLine) -> Result<Id>;
}

/// The customer itself, then the customers a disable (or enable) of it reaches, depth first.
fn reached(store: &mut impl StatusRead, id: Id, disable: bool) -> Result<Vec<Id>> {
    let mut out = vec![id];
    let mut next = 0;
    while next < out.len() {
        let parent = out[next];
        next += 1;
        for child in store.children(parent, disable)? {
            // A damaged parent chain must not loop forever.
            if !out.contains(&child) {
                out.push(child);
            }
        }
    }
    Ok(out)
}

/// What disabling (`disable`) or enabling the customers `ids` changes.
fn change_of(store: &mut impl StatusRead, ids: &[Id], disable: bool) -> Result<StatusChange> {
    let mut change = StatusChange {
        children: ids.len().saturating_sub(1),
        ..StatusChange::default()
    };
    for &id in ids {
        let (cameras, users) = store.counts(id, disable)?;
        change.cameras += cameras;
        change.users += users;
    }
    Ok(change)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn current(
    store: &mut impl StatusRead,
    id: Id,
    expected_version: i64,
    verb: &str,
) -> Result<Customer> {
    let customer = store.customer(id, true)?.ok_or_else(|| {
        StoreError::Conflict(format!(
            "customer #{id} no longer exists: another operator deleted it"
        ))
    })?;
    if customer.version != expected_version {
        return Err(StoreError::Conflict(format!(
            "{} was changed by another operator; look at it again before you {verb} it",
            customer.name()
        )));
    }
    Ok(customer)
}

fn summary(verb: &str, c: &StatusChange) -> String {
    let (cams, users, children) = if verb == "disabled" {
        ("stopped recording", "blocked", "disabled with it")
    } else {
        ("recording again", "unblocked", "enabled with it")
    };
    let mut text = format!(
        "{verb}; {} {cams}, {} {users}",
        plural(c.cameras, "camera", "cameras"),
        plural(c.users, "user", "users"),
    );
    if c.children > 0 {
        text.push_str(&format!(
            ", {} {children}",
            plural(c.children, "customer", "customers")
        ));
    }
    text
}

/// What disabling (when the customer is active) or enabling (when disabled) would change.
pub(crate) fn preview(store: &mut impl StatusRead, id: Id) -> Result<StatusChange> {
    let customer = store
        .customer(id, false)?
        .ok_or_else(|| StoreError::NotFound(format!("customer #{id}")))?;
    let disable = customer.status == Status::Active;
    let ids = reached(store, id, disable)?;
    change_of(store, &ids, disable)
}

/// The audit entry of a customer disabled (or enabled) with `parent`.
fn child_line(
    store: &mut impl StatusRead,
    parent: &Customer,
    child: Id,
    disable: bool,
) -> Result<AuditLine> {
    let name = store
        .customer(child, false)?
        .map(|c| c.name().to_string())
        .unwrap_or_default();
    let own = change_of(store, &[child], disable)?;
    let (verb, cams, users) = if disable {
        ("disabled", "stopped recording", "blocked")
    } else {
        ("enabled", "recording again", "unblocked")
    };
    Ok(AuditLine {
        action: if disable {
            "customer.disable"
        } else {
            "customer.enable"
        },
        customer: Some((child, name)),
        summary: format!(
            "{verb} with {}; {} {cams}, {} {users}",
            parent.name(),
            plural(own.cameras, "camera", "cameras"),
            plural(own.users, "user", "users"),
        ),
        details: serde_json::json!({ "by_parent": parent.id }),
    })
}

/// Disable (`disable`) or enable a customer and the customers it reaches, with one audit
/// entry for each of them and one for the customer itself, inside the caller's transaction.
pub(crate) fn set_status(
    store: &mut impl StatusWrite,
    id: Id,
    expected_version: i64,
    op: &Operator,
    disable: bool,
) -> Result<StatusChange> {
    let (verb, action, already) = if disable {
        ("disable", "customer.disable", Status::Disabled)
    } else {
        ("enable", "customer.enable", Status::Active)
    };
    let customer = current(store, id, expected_version, verb)?;
    if customer.status == already {
        return Err(StoreError::Refused(format!(
            "{} is already {}",
            customer.name(),
            if disable { "disabled" } else { "active" }
        )));
    }
    let ids = reached(store, id, disable)?;
    let change = change_of(store, &ids, disable)?;
    let stamp = now();
    for &child in &ids[1..] {
        let line = child_line(store, &customer, child, disable)?;
        store.audit(op, &line)?;
    }
    for (i, &cid) in ids.iter().enumerate() {
        if disable {
            store.disable_one(cid, i > 0, &stamp)?;
        } else {
            store.enable_one(cid, &stamp)?;
        }
    }
    let line = AuditLine {
        action,
        customer: Some((id, customer.name().to_string())),
        summary: summary(if disable { "disabled" } else { "enabled" }, &change),
        details: serde_json::json!({
            "cameras": change.cameras,
            "users": change.users,
            "children": &ids[1..],
        }),
    };
    store.audit(op, &line)?;
    Ok(change)
}

/// The SQLite side of a preview: a connection.
struct Sqlite<'a>(&'a Connection);

/// The SQLite side of a disable or enable: the write's transaction.
struct SqliteTx<'a, 'b>(&'a Transaction<'b>);

impl StatusRead for SqliteTx<'_, '_> {
    fn customer(&mut self, id: Id, lock: bool) -> Result<Option<Customer>> {
        Sqlite(self.0).customer(id, lock)
    }

    fn children(&mut self, parent: Id, disable: bool) -> Result<Vec<Id>> {
        Sqlite(self.0).children(parent, disable)
    }

    fn counts(&mut self, id: Id, disable: bool) -> Result<(usize, usize)> {
        Sqlite(self.0).counts(id, disable)
    }
}

impl StatusRead for Sqlite<'_> {
    fn customer(&mut self, id: Id, _lock: bool) -> Result<Option<Customer>> {
        load_customer(self.0, id)
    }

    fn children(&mut self, parent: Id, disable: bool) -> Result<Vec<Id>> {
        let sql = if disable {
            "SELECT id FROM customers WHERE parent_id = ?1 AND status = 'active' ORDER BY id"
        } else {
            "SELECT id FROM customers WHERE parent_id = ?1 AND status = 'disabled'
             AND disabled_by_parent = 1 ORDER BY id"
        };
        let mut stmt = self.0.prepare_cached(sql)?;
        let ids = stmt.query_map([parent], |r| r.get::<_, Id>(0))?;
        Ok(ids.collect::<rusqlite::Result<Vec<Id>>>()?)
    }

    fn counts(&mut self, id: Id, disable: bool) -> Result<(usize, usize)> {
        let (cameras, users) = if disable {
            (
                "SELECT count(*) FROM cameras WHERE customer_id = ?1 AND recording = 1",
                "SELECT count(*) FROM users WHERE customer_id = ?1 AND blocked = 0",
            )
        } else {
            (
                "SELECT count(*) FROM cameras WHERE customer_id = ?1
                 AND recording_before_disable = 1",
                "SELECT count(*) FROM users WHERE customer_id = ?1 AND blocked = 1",
            )
        };
        let count = |sql: &str| -> Result<usize> {
            let n: i64 = self.0.prepare_cached(sql)?.query_row([id], |r| r.get(0))?;
            Ok(n as usize)
        };
        Ok((count(cameras)?, count(users)?))
    }
}

impl StatusWrite for SqliteTx<'_, '_> {
    fn disable_one(&mut self, id: Id, by_parent: bool, stamp: &str) -> Result<()> {
        let tx = self.0;
        tx.execute(
            "UPDATE cameras SET recording_before_disable = coalesce(recording_before_disable, recording),
                    recording = 0, version = version + 1, updated_at = ?2
             WHERE customer_id = ?1",
            params![id, stamp],
        )?;
        tx.execute(
            "UPDATE users SET blocked = 1, version = version + 1, updated_at = ?2
             WHERE customer_id = ?1 AND blocked = 0",
            params![id, stamp],
        )?;
        tx.execute(
            "UPDATE customers SET status = 'disabled', disabled_by_parent = ?2,
                    version = version + 1, updated_at = ?3
             WHERE id = ?1",
            params![id, by_parent, stamp],
        )?;
        Ok(())
    }

    fn enable_one(&mut self, id: Id, stamp: &str) -> Result<()> {
        let tx = self.0;
        tx.execute(
            "UPDATE cameras SET recording = coalesce(recording_before_disable, recording),
                    recording_before_disable = NULL, version = version + 1, updated_at = ?2
             WHERE customer_id = ?1 AND recording_before_disable IS NOT NULL",
            params![id, stamp],
        )?;
        tx.execute(
            "UPDATE users SET blocked = 0, version = version + 1, updated_at = ?2
             WHERE customer_id = ?1 AND blocked = 1",
            params![id, stamp],
        )?;
        tx.execute(
            "UPDATE customers SET status = 'active', disabled_by_parent = 0,
                    version = version + 1, updated_at = ?2
             WHERE id = ?1",
            params![id, stamp],
        )?;
        Ok(())
    }

    fn audit(&mut self, op: &Operator, line: &AuditLine) -> Result<Id> {
        line.write(self.0, op)
    }
}

impl Store {
    /// What disabling (when the customer is active) or enabling (when disabled) would change;
    /// the confirmation dialog names these counts.
    pub fn status_change_preview(&self, id: Id) -> Result<StatusChange> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::status::preview(c, id));
        }
        preview(&mut Sqlite(self.conn()?), id)
    }

    /// Disables an active customer still at `expected_version`, and with a sub-integrator its
    /// active customers, in one transaction with audit entries.
    pub fn disable_customer(
        &mut self,
        id: Id,
        expected_version: i64,
        op: &Operator,
    ) -> Result<StatusChange> {
        self.set_status(id, expected_version, op, true)
    }

    /// Enables a disabled customer still at `expected_version`: each camera gets back exactly the
    /// recording state it had, users are unblocked, and a sub-integrator's customers that were
    /// disabled with it (not those disabled on their own) are enabled too.
    pub fn enable_customer(
        &mut self,
        id: Id,
        expected_version: i64,
        op: &Operator,
    ) -> Result<StatusChange> {
        self.set_status(id, expected_version, op, false)
    }

    fn set_status(
        &mut self,
        id: Id,
        expected_version: i64,
        op: &Operator,
        disable: bool,
    ) -> Result<StatusChange> {
        if self.is_postgres() {
            return self
                .pg_write(|tx| pg::status::set_status(tx, id, expected_version, op, disable));
        }
        self.write(|tx| set_status(&mut SqliteTx(tx), id, expected_version, op, disable))
    }
}
