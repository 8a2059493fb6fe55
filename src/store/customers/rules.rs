//! The rules of the customers' writes that are not SQL, the same on both stores: the refusal
//! and conflict texts, and the audit entries (summary and details) of each write.

use super::{Archive, Created};
use crate::domain::{Customer, DeleteImpact, Id, NewCustomer, Operator};
use crate::store::{Result, StoreError};

/// One audit entry as a write makes it, before either store writes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AuditLine {
    pub action: &'static str,
    pub customer: Option<(Id, String)>,
    pub summary: String,
    pub details: serde_json::Value,
}

impl AuditLine {
    /// Writes the entry inside a SQLite transaction; its id.
    pub(crate) fn write(&self, tx: &rusqlite::Transaction<'_>, op: &Operator) -> Result<Id> {
        let customer = self
            .customer
            .as_ref()
            .map(|(id, name)| (*id, name.as_str()));
        crate::store::audit(tx, op, self.action, customer, &self.summary, &self.details)
    }

    /// Writes the entry inside a PostgreSQL transaction; its id.
    pub(crate) fn write_pg(&self, tx: &mut postgres::Transaction<'_>, op: &Operator) -> Result<Id> {
        let customer = self
            .customer
            .as_ref()
            .map(|(id, name)| (*id, name.as_str()));
        crate::store::pg::audit(tx, op, self.action, customer, &self.summary, &self.details)
    }
}

/// The customer a write found, at the version the operator saw: `None` is another operator's
/// delete, another version their change (`stale` says so for this write).
pub(crate) fn current(
    found: Option<Customer>,
    id: Id,
    expected_version: i64,
    stale: impl FnOnce(&str) -> StoreError,
) -> Result<Customer> {
    let customer = found.ok_or_else(|| gone(id))?;
    if customer.version != expected_version {
        return Err(stale(customer.name()));
    }
    Ok(customer)
}

/// The audit summary and details of a customer created (by the wizard, on either store).
pub(crate) fn created_audit(new: &NewCustomer, created: &Created) -> AuditLine {
    let summary = format!(
        "created {} with {}, {}, {}",
        new.profile.kind.label().to_lowercase(),
        crate::domain::count::count(created.camera_ids.len(), "camera"),
        crate::domain::count::count(new.roles.len(), "role"),
        crate::domain::count::count(new.users.len(), "user")
    );
    AuditLine {
        action: "customer.create",
        customer: Some((created.id, new.profile.contact.company.clone())),
        summary,
        details: serde_json::json!({ "after": new.profile, "camera_ids": created.camera_ids }),
    }
}

/// The audit entry of a profile save; `summary` is [`super::changes_named`]'s.
pub(crate) fn updated_audit(before: &Customer, after: &Customer, summary: String) -> AuditLine {
    AuditLine {
        action: "customer.update",
        customer: Some((after.id, after.name().to_string())),
        summary,
        details: serde_json::json!({ "before": before.profile, "after": after.profile }),
    }
}

/// The audit summary and details of a delete.
pub(crate) fn deleted_audit(archive: &Archive, impact: &DeleteImpact) -> AuditLine {
    let summary = format!(
        "deleted; {} returned to the inventory, {} and {} removed",
        crate::domain::count::count(impact.cameras, "camera"),
        crate::domain::count::count(impact.users, "user"),
        crate::domain::count::count(impact.roles, "role")
    );
    let c = &archive.customer;
    AuditLine {
        action: "customer.delete",
        customer: Some((c.id, c.name().to_string())),
        summary,
        details: serde_json::json!({ "before": c.profile, "impact": impact }),
    }
}

/// A sub-integrator that still has customers is not deleted; the refusal says how many.
pub(crate) fn refuse_with_children(name: &str, impact: &DeleteImpact) -> Result<()> {
    if impact.children > 0 {
        return Err(StoreError::Refused(format!(
            "{name} still has {} customer{}: move or delete them first",
            impact.children,
            if impact.children == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

pub(crate) fn stale_edit(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "{name} was changed by another operator while you edited it; your changes are kept, review the fresh data and save again"
    ))
}

pub(crate) fn stale_delete(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "{name} was changed by another operator; look at it again before deleting"
    ))
}

pub(crate) fn gone(id: Id) -> StoreError {
    StoreError::Conflict(format!(
        "customer #{id} no longer exists: another operator deleted it"
    ))
}
