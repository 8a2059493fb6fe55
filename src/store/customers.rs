//! Customers: the paged table, the profile, and the writes (create, update, delete with archive).

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Result, Store, StoreError, is_unique_violation, now, pg};
use crate::domain::{
    Billing, Customer, CustomerProfile, DeleteImpact, Id, NewCustomer, Operator, Role,
};
mod archive;
mod insert;
mod load;
mod query;
mod rules;
mod write;

use archive::build_archive;
pub(crate) use insert::{
    camera_registered, camera_taken, check_owner, email_used, granted_role, insert_customer,
    insert_role, resolved_role, role_name_twice, stored_permissions, user_hash,
};
use load::impact;
pub(crate) use load::{CUSTOMER_COLUMNS, customer_from, load_customer};
pub use query::{CustomerQuery, FTS_MIN_CHARS, SortKey, fts_phrase};
pub(crate) use query::{Window, capped, escape_like};
pub(crate) use rules::{
    AuditLine, created_audit, current, deleted_audit, gone, refuse_with_children, stale_delete,
    stale_edit, updated_audit,
};
pub(in crate::store) use write::write_billing;
use write::{changed_fields_summary, check_parent, write_profile_columns};
pub(crate) use write::{changes_named, name_taken, parent_rule};

/// The archived form of a deleted customer: everything needed to restore it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archive {
    pub customer: Customer,
    pub roles: Vec<ArchivedRole>,
    pub users: Vec<ArchivedUser>,
    pub cameras: Vec<ArchivedCamera>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedRole {
    pub id: Id,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedUser {
    pub id: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password_hash: String,
    pub must_confirm_email: bool,
    pub must_change_password: bool,
    pub active: bool,
    pub blocked: bool,
    pub role_ids: Vec<Id>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedCamera {
    pub id: Id,
    pub name: String,
    pub plan_id: Option<Id>,
    pub recording: bool,
    pub recording_before_disable: Option<bool>,
}

/// What a delete did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    pub name: String,
    pub impact: DeleteImpact,
    pub archive_id: Id,
}

/// A customer created: its id and the users' e-mail addresses in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub id: Id,
    pub user_ids: Vec<Id>,
    pub camera_ids: Vec<Id>,
}

impl Store {
    /// Creates a customer with its billing, camera links, roles and users in one transaction.
    /// `password_hashes[i]` is the Argon2id hash of `new.users[i]`'s temporary password.
    pub fn create_customer(
        &mut self,
        new: &NewCustomer,
        password_hashes: &[String],
        op: &Operator,
    ) -> Result<Created> {
        if self.is_postgres() {
            return self.pg_write(|tx| pg::customers::create(tx, new, password_hashes, op));
        }
        self.write(|tx| {
            let created = insert_customer(tx, new, password_hashes)?;
            created_audit(new, &created).write(tx, op)?;
            Ok(created)
        })
    }

    /// Saves an edited profile when the customer is still at `expected_version`.
    pub fn update_profile(
        &mut self,
        id: Id,
        expected_version: i64,
        profile: &CustomerProfile,
        op: &Operator,
    ) -> Result<Customer> {
        if self.is_postgres() {
            return self.pg_write(|tx| {
                pg::customers::update_profile(tx, id, expected_version, profile, op)
            });
        }
        self.write(|tx| {
            let before = current(load_customer(tx, id)?, id, expected_version, stale_edit)?;
            check_parent(tx, Some(id), profile)?;
            write_profile_columns(tx, id, profile, true)?;
            write_billing(tx, id, &profile.billing)?;
            let after = load_customer(tx, id)?.ok_or_else(|| gone(id))?;
            let summary = changed_fields_summary(tx, &before.profile, &after.profile)?;
            updated_audit(&before, &after, summary).write(tx, op)?;
            Ok(after)
        })
    }

    /// Deletes the customer when it is still at `expected_version`: archives it whole, returns its
    /// cameras to the inventory unlinked, removes its roles and users, and writes the audit entry,
    /// all in one transaction. A sub-integrator that still has customers is refused.
    pub fn delete_customer(
        &mut self,
        id: Id,
        expected_version: i64,
        op: &Operator,
    ) -> Result<Deleted> {
        if self.is_postgres() {
            return self.pg_write(|tx| pg::customers::delete(tx, id, expected_version, op));
        }
        self.write(|tx| {
            let customer = current(load_customer(tx, id)?, id, expected_version, stale_delete)?;
            let impact = impact(tx, id)?;
            refuse_with_children(customer.name(), &impact)?;
            let archive = build_archive(tx, customer)?;
            let name = archive.customer.name().to_string();
            let audit_id = deleted_audit(&archive, &impact).write(tx, op)?;
            tx.execute(
                "INSERT INTO archive (customer_id, name, deleted_at, operator, audit_id, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, name, now(), op.login, audit_id, serde_json::to_string(&archive)?],
            )?;
            let archive_id = tx.last_insert_rowid();
            tx.execute(
                "UPDATE cameras SET customer_id = NULL, plan_id = NULL, recording = 0,
                        recording_before_disable = NULL, version = version + 1, updated_at = ?2
                 WHERE customer_id = ?1",
                params![id, now()],
            )?;
            // Roles, users and their links go by ON DELETE CASCADE; camera links of roles too.
            tx.execute("DELETE FROM role_cameras WHERE role_id IN (SELECT id FROM roles WHERE customer_id = ?1)", [id])?;
            tx.execute("DELETE FROM user_roles WHERE user_id IN (SELECT id FROM users WHERE customer_id = ?1)", [id])?;
            tx.execute("DELETE FROM users WHERE customer_id = ?1", [id])?;
            tx.execute("DELETE FROM roles WHERE customer_id = ?1", [id])?;
            tx.execute("DELETE FROM billing WHERE customer_id = ?1", [id])?;
            tx.execute("DELETE FROM customers WHERE id = ?1", [id])?;
            Ok(Deleted {
                name,
                impact,
                archive_id,
            })
        })
    }
}
