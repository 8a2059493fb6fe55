//! Writing a customer's profile and billing columns, and the checks and audit text of an edit.

use rusqlite::{OptionalExtension, Transaction, params};

use super::*;

/// A customer may sit under the integrator itself or under a sub-integrator (never itself).
pub(super) fn check_parent(
    tx: &Transaction<'_>,
    id: Option<Id>,
    p: &CustomerProfile,
) -> Result<()> {
    parent_rule(id, p, |parent| {
        Ok(tx
            .query_row("SELECT kind FROM customers WHERE id = ?1", [parent], |r| {
                r.get(0)
            })
            .optional()?)
    })
}

/// The rule of [`check_parent`] on either store: `kind_of` reads the kind of a customer.
pub(crate) fn parent_rule(
    id: Option<Id>,
    p: &CustomerProfile,
    kind_of: impl FnOnce(Id) -> Result<Option<String>>,
) -> Result<()> {
    let Some(parent) = p.parent_id else {
        return Ok(());
    };
    if Some(parent) == id {
        return Err(StoreError::Refused(
            "a customer cannot be its own parent".into(),
        ));
    }
    match kind_of(parent)?.as_deref() {
        Some("integrator") => Ok(()),
        Some(_) => Err(StoreError::Refused(
            "Parent: only a sub-integrator can have customers".into(),
        )),
        None => Err(StoreError::Conflict(
            "Parent: the chosen sub-integrator no longer exists".into(),
        )),
    }
}

pub(super) fn write_profile_columns(
    tx: &Transaction<'_>,
    id: Id,
    p: &CustomerProfile,
    bump: bool,
) -> Result<()> {
    let c = &p.contact;
    let a = &c.address;
    let d = &p.defaults;
    let res = tx.execute(
        "UPDATE customers SET kind = ?2, parent_id = ?3, name = ?4, contact_first = ?5,
            contact_last = ?6, email = ?7, phone = ?8, address1 = ?9, address2 = ?10, city = ?11,
            state = ?12, postal_code = ?13, country = ?14, time_zone = ?15, reference = ?16,
            notes = ?17, disable_admin_portal = ?18, disable_camera_share = ?19,
            default_plan_id = ?20, confirm_email = ?21, change_password = ?22,
            version = version + ?23, updated_at = ?24
         WHERE id = ?1",
        params![
            id,
            p.kind.as_str(),
            p.parent_id,
            c.company.trim(),
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            a.line1,
            a.line2,
            a.city,
            a.state,
            a.postal_code,
            a.country,
            c.time_zone,
            c.reference,
            c.notes,
            d.disable_admin_portal,
            d.disable_camera_share,
            d.default_plan_id,
            p.user_creation.confirm_email,
            p.user_creation.change_password,
            bump as i64,
            now()
        ],
    );
    match res {
        Err(e) if is_unique_violation(&e) => Err(name_taken(&c.company)),
        Err(e) => Err(e.into()),
        Ok(_) => Ok(()),
    }
}

pub(crate) fn name_taken(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "Company name: \"{}\" is already taken by another customer",
        name.trim()
    ))
}

/// The customer's billing row, inserted or replaced: the one statement the wizard's commit,
/// profile saves, restores and the demo fill all write billing with.
pub(in crate::store) fn write_billing(tx: &Transaction<'_>, id: Id, b: &Billing) -> Result<()> {
    let a = &b.address;
    tx.prepare_cached(
        "INSERT INTO billing (customer_id, same_as_company, contact, email, phone, address1,
            address2, city, state, postal_code, country, tax_id, tax_exempt, terms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (customer_id) DO UPDATE SET same_as_company = excluded.same_as_company,
            contact = excluded.contact, email = excluded.email, phone = excluded.phone,
            address1 = excluded.address1, address2 = excluded.address2, city = excluded.city,
            state = excluded.state, postal_code = excluded.postal_code, country = excluded.country,
            tax_id = excluded.tax_id, tax_exempt = excluded.tax_exempt, terms = excluded.terms",
    )?
    .execute(params![
        id,
        b.same_as_company,
        b.contact,
        b.email,
        b.phone,
        a.line1,
        a.line2,
        a.city,
        a.state,
        a.postal_code,
        a.country,
        b.tax_id,
        b.tax_exempt,
        b.terms.as_str(),
    ])?;
    Ok(())
}

/// "changed contact.email, recording plan to Pro 90" for the audit line of an edit: fields by
/// path, the ones that hold an id by what they name.
pub(super) fn changed_fields_summary(
    tx: &Transaction<'_>,
    before: &CustomerProfile,
    after: &CustomerProfile,
) -> Result<String> {
    changes_named(before, after, |table, id| {
        let sql = format!("SELECT name FROM {table} WHERE id = ?1");
        Ok(tx.query_row(&sql, [id], |r| r.get(0)).optional()?)
    })
}

/// [`changed_fields_summary`] on either store: `name_of(table, id)` reads the name of a plan
/// (`plans`) or customer (`customers`).
pub(crate) fn changes_named(
    before: &CustomerProfile,
    after: &CustomerProfile,
    mut name_of: impl FnMut(&str, Id) -> Result<Option<String>>,
) -> Result<String> {
    let b = serde_json::to_value(before).unwrap_or_default();
    let a = serde_json::to_value(after).unwrap_or_default();
    let mut changed = Vec::new();
    diff_paths("", &b, &a, &mut changed);
    if changed.is_empty() {
        return Ok("saved without changes".into());
    }
    let mut name = |table: &str, id: Id| -> Result<String> {
        Ok(name_of(table, id)?.unwrap_or_else(|| format!("#{id}")))
    };
    for path in &mut changed {
        *path = match path.as_str() {
            "defaults.default_plan_id" => match after.defaults.default_plan_id {
                Some(id) => format!("recording plan to {}", name("plans", id)?),
                None => "recording plan to none".into(),
            },
            "parent_id" => match after.parent_id {
                Some(id) => format!("parent to {}", name("customers", id)?),
                None => "parent to the integrator itself".into(),
            },
            _ => continue,
        };
    }
    Ok(format!("changed {}", changed.join(", ")))
}

pub(super) fn diff_paths(
    prefix: &str,
    b: &serde_json::Value,
    a: &serde_json::Value,
    out: &mut Vec<String>,
) {
    match (b, a) {
        (serde_json::Value::Object(bo), serde_json::Value::Object(ao)) => {
            for (k, av) in ao {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                diff_paths(
                    &path,
                    bo.get(k).unwrap_or(&serde_json::Value::Null),
                    av,
                    out,
                );
            }
        }
        _ if b != a => out.push(prefix.to_string()),
        _ => {}
    }
}
