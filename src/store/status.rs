//! Disabling and enabling a customer (PRODUCT.md §4).
//!
//! Disabling stops every linked camera recording, remembering each camera's state in
//! `recording_before_disable`, and blocks every user; a sub-integrator takes its active customers
//! with it (marked `disabled_by_parent`). Enabling gives each camera back exactly its remembered
//! state, unblocks the users, and enables again only the customers the disable took with it.

use rusqlite::{Connection, Transaction, params};

use super::customers::load_customer;
use super::{Result, Store, StoreError, audit, now};
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

/// The customer itself, then the customers a disable (or enable) of it reaches, depth first.
fn reached(conn: &Connection, id: Id, disable: bool) -> Result<Vec<Id>> {
    let sql = if disable {
        "SELECT id FROM customers WHERE parent_id = ?1 AND status = 'active' ORDER BY id"
    } else {
        "SELECT id FROM customers WHERE parent_id = ?1 AND status = 'disabled'
         AND disabled_by_parent = 1 ORDER BY id"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut out = vec![id];
    let mut next = 0;
    while next < out.len() {
        let parent = out[next];
        next += 1;
        let children = stmt
            .query_map([parent], |r| r.get::<_, Id>(0))?
            .collect::<rusqlite::Result<Vec<Id>>>()?;
        for child in children {
            // A damaged parent chain must not loop forever.
            if !out.contains(&child) {
                out.push(child);
            }
        }
    }
    Ok(out)
}

fn count(conn: &Connection, sql: &str, ids: &[Id]) -> Result<usize> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut n = 0usize;
    for id in ids {
        n += stmt.query_row([id], |r| r.get::<_, i64>(0))? as usize;
    }
    Ok(n)
}

/// What disabling (`disable`) or enabling the customers `ids` changes.
fn change_of(conn: &Connection, ids: &[Id], disable: bool) -> Result<StatusChange> {
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
    Ok(StatusChange {
        cameras: count(conn, cameras, ids)?,
        users: count(conn, users, ids)?,
        children: ids.len().saturating_sub(1),
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn current(tx: &Transaction<'_>, id: Id, expected_version: i64, verb: &str) -> Result<Customer> {
    let customer = load_customer(tx, id)?.ok_or_else(|| {
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

/// Stops the cameras, blocks the users and marks one customer disabled.
fn disable_one(tx: &Transaction<'_>, id: Id, by_parent: bool, stamp: &str) -> Result<()> {
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

/// Gives the cameras back their remembered state, unblocks the users, marks the customer active.
fn enable_one(tx: &Transaction<'_>, id: Id, stamp: &str) -> Result<()> {
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

impl Store {
    /// What disabling (when the customer is active) or enabling (when disabled) would change;
    /// the confirmation dialog names these counts.
    pub fn status_change_preview(&self, id: Id) -> Result<StatusChange> {
        let customer = load_customer(self.conn()?, id)?
            .ok_or_else(|| StoreError::NotFound(format!("customer #{id}")))?;
        let disable = customer.status == Status::Active;
        let ids = reached(self.conn()?, id, disable)?;
        change_of(self.conn()?, &ids, disable)
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

    /// Disable (`disable`) or enable a customer and the customers it reaches, with one audit
    /// entry for each of them and one for the customer itself.
    fn set_status(
        &mut self,
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
        self.write(|tx| {
            let customer = current(tx, id, expected_version, verb)?;
            if customer.status == already {
                return Err(StoreError::Refused(format!(
                    "{} is already {}",
                    customer.name(),
                    if disable { "disabled" } else { "active" }
                )));
            }
            let ids = reached(tx, id, disable)?;
            let change = change_of(tx, &ids, disable)?;
            let stamp = now();
            for &child in &ids[1..] {
                let name = load_customer(tx, child)?
                    .map(|c| c.name().to_string())
                    .unwrap_or_default();
                let own = change_of(tx, &[child], disable)?;
                let (verb, cams, users) = if disable {
                    ("disabled", "stopped recording", "blocked")
                } else {
                    ("enabled", "recording again", "unblocked")
                };
                let line = format!(
                    "{verb} with {}; {} {cams}, {} {users}",
                    customer.name(),
                    plural(own.cameras, "camera", "cameras"),
                    plural(own.users, "user", "users"),
                );
                audit(
                    tx,
                    op,
                    action,
                    Some((child, &name)),
                    &line,
                    &serde_json::json!({ "by_parent": id }),
                )?;
            }
            for (i, &cid) in ids.iter().enumerate() {
                if disable {
                    disable_one(tx, cid, i > 0, &stamp)?;
                } else {
                    enable_one(tx, cid, &stamp)?;
                }
            }
            audit(
                tx,
                op,
                action,
                Some((id, customer.name())),
                &summary(if disable { "disabled" } else { "enabled" }, &change),
                &serde_json::json!({
                    "cameras": change.cameras,
                    "users": change.users,
                    "children": &ids[1..],
                }),
            )?;
            Ok(change)
        })
    }
}
