//! Restoring a deleted customer from its archive: the customer with its original id and
//! creation time, billing, roles, users with their password hashes, and the links of those of
//! its cameras nobody took meanwhile. One transaction, audited.

use rusqlite::{OptionalExtension, Transaction, params};

use super::customers::{Archive, ArchivedCamera, ArchivedRole, ArchivedUser};
use super::{Result, Store, StoreError, audit, now};
use crate::domain::{Customer, Id, Operator, SystemRole};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The customer's id: the one it had before the delete.
    pub id: Id,
    pub name: String,
    /// Cameras linked again.
    pub relinked: usize,
    /// Names of the cameras linked to another customer or deleted meanwhile: left out.
    pub taken: Vec<String>,
    /// What had to change because the store changed meanwhile (a parent or plan gone).
    pub notes: Vec<String>,
}

impl Store {
    /// Restores the customer archived as `archive_id`. Refused when it was restored already, when
    /// its name or one of its users' e-mail addresses is now used by someone else.
    pub fn restore_customer(&mut self, archive_id: Id, op: &Operator) -> Result<Restored> {
        self.write(|tx| restore(tx, archive_id, op))
    }
}

fn restore(tx: &Transaction<'_>, archive_id: Id, op: &Operator) -> Result<Restored> {
    let row: Option<(String, Option<String>)> = tx
        .query_row(
            "SELECT data, restored_at FROM archive WHERE id = ?1",
            [archive_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (data, restored_at) =
        row.ok_or_else(|| StoreError::NotFound(format!("archive #{archive_id}")))?;
    let mut archive: Archive = serde_json::from_str(&data)?;
    let name = archive.customer.name().trim().to_string();
    if let Some(at) = restored_at {
        return Err(StoreError::Refused(format!(
            "{name} was already restored on {}",
            short_time(&at)
        )));
    }
    check_free(tx, &archive)?;
    let mut notes = fix_references(tx, &mut archive.customer)?;
    let id = archive.customer.id;
    insert_customer_row(tx, &archive.customer)?;
    let (relinked, taken) = relink_cameras(tx, id, &archive.cameras, &mut notes)?;
    let linked: Vec<Id> = relinked.iter().map(|c| c.id).collect();
    for role in &archive.roles {
        insert_role(tx, id, role, &linked)?;
    }
    let role_ids: Vec<Id> = archive.roles.iter().map(|r| r.id).collect();
    for user in &archive.users {
        insert_user(tx, id, user, &role_ids)?;
    }
    tx.execute(
        "UPDATE archive SET restored_at = ?2 WHERE id = ?1",
        params![archive_id, now()],
    )?;
    let mut summary = format!(
        "restored with {}, {}, {}",
        crate::domain::count::count(relinked.len(), "camera"),
        crate::domain::count::count(archive.roles.len(), "role"),
        crate::domain::count::count(archive.users.len(), "user")
    );
    if !taken.is_empty() {
        summary.push_str(&format!(
            "; taken meanwhile, left out: {}",
            taken.join(", ")
        ));
    }
    audit(
        tx,
        op,
        "customer.restore",
        Some((id, &name)),
        &summary,
        &serde_json::json!({
            "archive_id": archive_id,
            "after": archive.customer.profile,
            "relinked_camera_ids": linked,
            "taken_cameras": taken,
            "notes": notes,
        }),
    )?;
    Ok(Restored {
        id,
        name,
        relinked: relinked.len(),
        taken,
        notes,
    })
}

/// The name, the id and every user's e-mail address must still be free.
fn check_free(tx: &Transaction<'_>, archive: &Archive) -> Result<()> {
    let name = archive.customer.name().trim();
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE name = ?1 COLLATE NOCASE)",
        [name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::Refused(format!(
            "Company name: {name} is now used by another customer; rename that one first"
        )));
    }
    let id_used: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
        [archive.customer.id],
        |r| r.get(0),
    )?;
    if id_used {
        return Err(StoreError::Conflict(format!(
            "customer #{} exists again; {name} cannot be restored over it",
            archive.customer.id
        )));
    }
    let mut email_used =
        tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1 COLLATE NOCASE)")?;
    for user in &archive.users {
        if email_used.query_row([user.email.trim()], |r| r.get::<_, bool>(0))? {
            return Err(StoreError::Refused(format!(
                "User email: {} is now used by another user; change that user's email first",
                user.email.trim()
            )));
        }
    }
    Ok(())
}

/// A parent sub-integrator or a plan deleted meanwhile: the customer goes under the integrator
/// itself, the plan is cleared. Returns what was changed, for the operator.
fn fix_references(tx: &Transaction<'_>, customer: &mut Customer) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let p = &mut customer.profile;
    if let Some(parent) = p.parent_id {
        let ok: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1 AND kind = 'integrator')",
            [parent],
            |r| r.get(0),
        )?;
        if !ok {
            p.parent_id = None;
            notes.push(
                "its sub-integrator no longer exists: restored under the integrator itself".into(),
            );
        }
    }
    if let Some(id) = p.defaults.default_plan_id
        && !plan_exists(tx, id)?
    {
        p.defaults.default_plan_id = None;
        notes.push("its recording plan no longer exists: cleared".into());
    }
    Ok(notes)
}

fn plan_exists(tx: &Transaction<'_>, id: Id) -> Result<bool> {
    Ok(tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?1)")?
        .query_row([id], |r| r.get(0))?)
}

fn insert_customer_row(tx: &Transaction<'_>, c: &Customer) -> Result<()> {
    let p = &c.profile;
    let k = &p.contact;
    let a = &k.address;
    let d = &p.defaults;
    tx.execute(
        "INSERT INTO customers (id, kind, parent_id, name, contact_first, contact_last, email,
            phone, address1, address2, city, state, postal_code, country, time_zone, reference,
            notes, disable_admin_portal, disable_camera_share, default_plan_id, confirm_email,
            change_password, status, disabled_by_parent, version, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
        params![
            c.id,
            p.kind.as_str(),
            p.parent_id,
            k.company.trim(),
            k.first_name,
            k.last_name,
            k.email,
            k.phone,
            a.line1,
            a.line2,
            a.city,
            a.state,
            a.postal_code,
            a.country,
            k.time_zone,
            k.reference,
            k.notes,
            d.disable_admin_portal,
            d.disable_camera_share,
            d.default_plan_id,
            p.user_creation.confirm_email,
            p.user_creation.change_password,
            c.status.as_str(),
            c.disabled_by_parent,
            // A screen still holding the version from before the delete must not save over it.
            c.version + 1,
            c.created_at,
            now()
        ],
    )?;
    super::customers::write_billing(tx, c.id, &p.billing)
}

/// Links again each archived camera that is still unlinked, with its plan and recording state.
/// Returns the cameras linked and the names of those taken (linked elsewhere or deleted).
fn relink_cameras<'a>(
    tx: &Transaction<'_>,
    customer_id: Id,
    cameras: &'a [ArchivedCamera],
    notes: &mut Vec<String>,
) -> Result<(Vec<&'a ArchivedCamera>, Vec<String>)> {
    let mut link = tx.prepare_cached(
        "UPDATE cameras SET customer_id = ?1, plan_id = ?2, recording = ?3,
                recording_before_disable = ?4, version = version + 1, updated_at = ?5
         WHERE id = ?6 AND customer_id IS NULL",
    )?;
    let ts = now();
    let mut relinked = Vec::new();
    let mut taken = Vec::new();
    for cam in cameras {
        let plan = match cam.plan_id {
            Some(p) if !plan_exists(tx, p)? => {
                notes.push(format!(
                    "camera {}: its plan no longer exists; it follows the customer's plan",
                    cam.name
                ));
                None
            }
            other => other,
        };
        let n = link.execute(params![
            customer_id,
            plan,
            cam.recording,
            cam.recording_before_disable,
            ts,
            cam.id
        ])?;
        if n == 1 {
            relinked.push(cam);
        } else {
            taken.push(cam.name.clone());
        }
    }
    Ok((relinked, taken))
}

/// Inserts a role with its original id; its camera set keeps only the cameras linked again.
fn insert_role(
    tx: &Transaction<'_>,
    customer_id: Id,
    archived: &ArchivedRole,
    linked: &[Id],
) -> Result<()> {
    let role = &archived.role;
    let perms = role.permissions;
    let ts = now();
    tx.prepare_cached(
        "INSERT INTO roles (id, customer_id, name, description, system, role_type, all_cameras,
            perm_share, perm_ptz, perm_update_delete, perm_save_clip, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        archived.id,
        customer_id,
        role.name,
        role.description,
        role.system.map(SystemRole::as_str),
        role.role_type.as_str(),
        role.all_cameras,
        perms.share,
        perms.ptz,
        perms.update_delete,
        perms.save_clip,
        ts
    ])?;
    if !role.all_cameras {
        let mut add =
            tx.prepare_cached("INSERT INTO role_cameras (role_id, camera_id) VALUES (?1, ?2)")?;
        for cam in role.camera_ids.iter().filter(|c| linked.contains(c)) {
            add.execute(params![archived.id, cam])?;
        }
    }
    Ok(())
}

/// Inserts a user with its original id, password hash, flags and role links.
fn insert_user(
    tx: &Transaction<'_>,
    customer_id: Id,
    u: &ArchivedUser,
    role_ids: &[Id],
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO users (id, customer_id, first_name, last_name, email, password_hash,
            must_confirm_email, must_change_password, active, blocked, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        u.id,
        customer_id,
        u.first_name,
        u.last_name,
        u.email,
        u.password_hash,
        u.must_confirm_email,
        u.must_change_password,
        u.active,
        u.blocked,
        u.created_at,
        now()
    ])?;
    let mut grant =
        tx.prepare_cached("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?;
    for role in u.role_ids.iter().filter(|r| role_ids.contains(r)) {
        grant.execute(params![u.id, role])?;
    }
    Ok(())
}

/// "2024-05-01T10:20:30Z" as "2024-05-01 10:20 UTC"; anything else as stored.
fn short_time(at: &str) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => at.to_string(),
    }
}
