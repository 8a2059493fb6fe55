//! A customer's profile and billing columns, a profile save and the delete that archives, on
//! PostgreSQL. The checks, refusal texts and audit texts are `store::customers`'.

use postgres::Transaction;

use super::archive::build_archive;
use super::load::{delete_impact, load_customer};
use crate::domain::{Billing, Customer, CustomerProfile, Id, Operator};
use crate::store::customers::{
    Deleted, changes_named, current, deleted_audit, gone, name_taken, parent_rule,
    refuse_with_children, stale_delete, stale_edit, updated_audit,
};
use crate::store::pg::is_unique_violation;
use crate::store::{Result, now};

/// `customers::check_parent` on PostgreSQL.
pub(super) fn check_parent(
    tx: &mut Transaction<'_>,
    id: Option<Id>,
    p: &CustomerProfile,
) -> Result<()> {
    parent_rule(id, p, |parent| {
        let row = tx.query_opt("SELECT kind FROM customers WHERE id = $1", &[&parent])?;
        Ok(row.map(|r| r.get(0)))
    })
}

/// Every column of the profile; `bump` adds one to the version (an edit, not a create).
pub(super) fn write_profile_columns(
    tx: &mut Transaction<'_>,
    id: Id,
    p: &CustomerProfile,
    bump: bool,
) -> Result<()> {
    let c = &p.contact;
    let a = &c.address;
    let d = &p.defaults;
    let res = tx.execute(
        "UPDATE customers SET kind = $2, parent_id = $3, name = $4, contact_first = $5,
            contact_last = $6, email = $7, phone = $8, address1 = $9, address2 = $10, city = $11,
            state = $12, postal_code = $13, country = $14, time_zone = $15, reference = $16,
            notes = $17, disable_admin_portal = $18, disable_camera_share = $19,
            default_plan_id = $20, confirm_email = $21, change_password = $22,
            version = version + $23, updated_at = $24
         WHERE id = $1",
        &[
            &id,
            &p.kind.as_str(),
            &p.parent_id,
            &c.company.trim(),
            &c.first_name,
            &c.last_name,
            &c.email,
            &c.phone,
            &a.line1,
            &a.line2,
            &a.city,
            &a.state,
            &a.postal_code,
            &a.country,
            &c.time_zone,
            &c.reference,
            &c.notes,
            &d.disable_admin_portal,
            &d.disable_camera_share,
            &d.default_plan_id,
            &p.user_creation.confirm_email,
            &p.user_creation.change_password,
            &i64::from(bump),
            &now(),
        ],
    );
    match res {
        Err(e) if is_unique_violation(&e) => Err(name_taken(&c.company)),
        Err(e) => Err(e.into()),
        Ok(_) => Ok(()),
    }
}

/// The customer's billing row, inserted or replaced (`customers::write_billing`).
pub(crate) fn write_billing(tx: &mut Transaction<'_>, id: Id, b: &Billing) -> Result<()> {
    let a = &b.address;
    tx.execute(
        "INSERT INTO billing (customer_id, same_as_company, contact, email, phone, address1,
            address2, city, state, postal_code, country, tax_id, tax_exempt, terms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (customer_id) DO UPDATE SET same_as_company = excluded.same_as_company,
            contact = excluded.contact, email = excluded.email, phone = excluded.phone,
            address1 = excluded.address1, address2 = excluded.address2, city = excluded.city,
            state = excluded.state, postal_code = excluded.postal_code, country = excluded.country,
            tax_id = excluded.tax_id, tax_exempt = excluded.tax_exempt, terms = excluded.terms",
        &[
            &id,
            &b.same_as_company,
            &b.contact,
            &b.email,
            &b.phone,
            &a.line1,
            &a.line2,
            &a.city,
            &a.state,
            &a.postal_code,
            &a.country,
            &b.tax_id,
            &b.tax_exempt,
            &b.terms.as_str(),
        ],
    )?;
    Ok(())
}

pub(crate) fn update_profile(
    tx: &mut Transaction<'_>,
    id: Id,
    expected_version: i64,
    profile: &CustomerProfile,
    op: &Operator,
) -> Result<Customer> {
    let found = load_customer(tx, id, true)?;
    let before = current(found, id, expected_version, stale_edit)?;
    check_parent(tx, Some(id), profile)?;
    write_profile_columns(tx, id, profile, true)?;
    write_billing(tx, id, &profile.billing)?;
    let after = load_customer(tx, id, false)?.ok_or_else(|| gone(id))?;
    let summary = changes_named(&before.profile, &after.profile, |table, id| {
        let sql = format!("SELECT name FROM {table} WHERE id = $1");
        Ok(tx.query_opt(&sql, &[&id])?.map(|r| r.get(0)))
    })?;
    updated_audit(&before, &after, summary).write_pg(tx, op)?;
    Ok(after)
}

/// `Store::delete_customer`: the archive and the audit entry, the cameras back to the
/// inventory, the roles, users, billing and the customer removed, in the caller's transaction.
pub(crate) fn delete(
    tx: &mut Transaction<'_>,
    id: Id,
    expected_version: i64,
    op: &Operator,
) -> Result<Deleted> {
    let found = load_customer(tx, id, true)?;
    let customer = current(found, id, expected_version, stale_delete)?;
    let impact = delete_impact(tx, id)?;
    refuse_with_children(customer.name(), &impact)?;
    let archive = build_archive(tx, customer)?;
    let name = archive.customer.name().to_string();
    let audit_id = deleted_audit(&archive, &impact).write_pg(tx, op)?;
    let archive_id: Id = tx
        .query_one(
            "INSERT INTO archive (customer_id, name, deleted_at, operator, audit_id, data)
             VALUES ($1, $2, $3, $4, $5, CAST($6::text AS jsonb)) RETURNING id",
            &[
                &id,
                &name,
                &now(),
                &op.login,
                &audit_id,
                &serde_json::to_string(&archive)?,
            ],
        )?
        .get(0);
    tx.execute(
        "UPDATE cameras SET customer_id = NULL, plan_id = NULL, recording = false,
                recording_before_disable = NULL, version = version + 1, updated_at = $2
         WHERE customer_id = $1",
        &[&id, &now()],
    )?;
    // Roles, users and their links go by ON DELETE CASCADE with the customer.
    tx.execute("DELETE FROM customers WHERE id = $1", &[&id])?;
    Ok(Deleted {
        name,
        impact,
        archive_id,
    })
}
