//! Restoring a deleted customer from its archive: the customer with its original id and
//! creation time, billing, roles, users with their password hashes, and the links of those of
//! its cameras nobody took meanwhile. One transaction, audited.
//!
//! The steps, checks, notes and audit entry are written once here, over [`RestoreTx`]: what a
//! restore needs of a store's write transaction, implemented for SQLite below and for
//! PostgreSQL in `store::pg::restore`.

use rusqlite::{OptionalExtension, Transaction, params};

use super::customers::{Archive, ArchivedCamera, ArchivedRole, ArchivedUser, AuditLine};
use super::{Result, Store, StoreError, now, pg};
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
        if self.is_postgres() {
            return self.pg_write(|tx| pg::restore::restore(tx, archive_id, op));
        }
        self.write(|tx| restore(&mut SqliteTx(tx), archive_id, op))
    }
}

/// What a restore reads and writes, on either store, inside its one transaction.
pub(crate) trait RestoreTx {
    /// The archived JSON and when it was restored, if it was.
    fn archive_row(&mut self, archive_id: Id) -> Result<Option<(String, Option<String>)>>;
    /// A customer of this name exists (ignoring case).
    fn name_used(&mut self, name: &str) -> Result<bool>;
    fn id_used(&mut self, id: Id) -> Result<bool>;
    /// A user has this e-mail address (ignoring case).
    fn email_used(&mut self, email: &str) -> Result<bool>;
    /// `id` is a sub-integrator.
    fn is_integrator(&mut self, id: Id) -> Result<bool>;
    fn plan_exists(&mut self, id: Id) -> Result<bool>;
    /// The customer row with its original id (version one past the archived), and billing.
    fn insert_customer(&mut self, c: &Customer) -> Result<()>;
    /// Links the camera again when it is still unlinked, with `plan`; true when it was.
    fn relink(&mut self, customer_id: Id, cam: &ArchivedCamera, plan: Option<Id>) -> Result<bool>;
    /// The role with its original id and the cameras of `camera_ids`.
    fn insert_role(
        &mut self,
        customer_id: Id,
        role: &ArchivedRole,
        camera_ids: &[Id],
    ) -> Result<()>;
    /// The user with its original id, hash and flags, and the roles of `role_ids`.
    fn insert_user(&mut self, customer_id: Id, user: &ArchivedUser, role_ids: &[Id]) -> Result<()>;
    fn mark_restored(&mut self, archive_id: Id) -> Result<()>;
    fn audit(&mut self, op: &Operator, line: &AuditLine) -> Result<Id>;
}

/// Restores the archive `archive_id` inside the caller's transaction.
pub(crate) fn restore(tx: &mut impl RestoreTx, archive_id: Id, op: &Operator) -> Result<Restored> {
    let row = tx.archive_row(archive_id)?;
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
    tx.insert_customer(&archive.customer)?;
    let (relinked, taken) = relink_cameras(tx, id, &archive.cameras, &mut notes)?;
    let linked: Vec<Id> = relinked.iter().map(|c| c.id).collect();
    for role in &archive.roles {
        let cameras: Vec<Id> = role
            .role
            .camera_ids
            .iter()
            .copied()
            .filter(|c| linked.contains(c))
            .collect();
        tx.insert_role(id, role, &cameras)?;
    }
    let role_ids: Vec<Id> = archive.roles.iter().map(|r| r.id).collect();
    for user in &archive.users {
        let granted: Vec<Id> = user
            .role_ids
            .iter()
            .copied()
            .filter(|r| role_ids.contains(r))
            .collect();
        tx.insert_user(id, user, &granted)?;
    }
    tx.mark_restored(archive_id)?;
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
    let line = AuditLine {
        action: "customer.restore",
        customer: Some((id, name.clone())),
        summary,
        details: serde_json::json!({
            "archive_id": archive_id,
            "after": archive.customer.profile,
            "relinked_camera_ids": linked,
            "taken_cameras": taken,
            "notes": notes,
        }),
    };
    tx.audit(op, &line)?;
    Ok(Restored {
        id,
        name,
        relinked: relinked.len(),
        taken,
        notes,
    })
}

/// The name, the id and every user's e-mail address must still be free.
fn check_free(tx: &mut impl RestoreTx, archive: &Archive) -> Result<()> {
    let name = archive.customer.name().trim();
    if tx.name_used(name)? {
        return Err(StoreError::Refused(format!(
            "Company name: {name} is now used by another customer; rename that one first"
        )));
    }
    if tx.id_used(archive.customer.id)? {
        return Err(StoreError::Conflict(format!(
            "customer #{} exists again; {name} cannot be restored over it",
            archive.customer.id
        )));
    }
    for user in &archive.users {
        if tx.email_used(user.email.trim())? {
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
fn fix_references(tx: &mut impl RestoreTx, customer: &mut Customer) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let p = &mut customer.profile;
    if let Some(parent) = p.parent_id
        && !tx.is_integrator(parent)?
    {
        p.parent_id = None;
        notes.push(
            "its sub-integrator no longer exists: restored under the integrator itself".into(),
        );
    }
    if let Some(id) = p.defaults.default_plan_id
        && !tx.plan_exists(id)?
    {
        p.defaults.default_plan_id = None;
        notes.push("its recording plan no longer exists: cleared".into());
    }
    Ok(notes)
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
    tx: &mut impl RestoreTx,
    customer_id: Id,
    cameras: &'a [ArchivedCamera],
    notes: &mut Vec<String>,
) -> Result<(Vec<&'a ArchivedCamera>, Vec<String>)> {
    let mut relinked = Vec::new();
    let mut taken = Vec::new();
    for cam in cameras {
        let plan = match cam.plan_id {
            Some(p) if !tx.plan_exists(p)? => {
                notes.push(format!(
                    "camera {}: its plan no longer exists; it follows the customer's plan",
                    cam.name
                ));
                None
            }
            other => other,
        };
        if tx.relink(customer_id, cam, plan)? {
            relinked.push(cam);
        } else {
            taken.push(cam.name.clone());
        }
    }
    Ok((relinked, taken))
}

/// The SQLite side of a restore: the write's transaction.
struct SqliteTx<'a, 'b>(&'a Transaction<'b>);

impl RestoreTx for SqliteTx<'_, '_> {
    fn archive_row(&mut self, archive_id: Id) -> Result<Option<(String, Option<String>)>> {
        Ok(self
            .0
            .query_row(
                "SELECT data, restored_at FROM archive WHERE id = ?1",
                [archive_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    fn name_used(&mut self, name: &str) -> Result<bool> {
        self.exists(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE name = ?1 COLLATE NOCASE)",
            name,
        )
    }

    fn id_used(&mut self, id: Id) -> Result<bool> {
        self.exists("SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)", id)
    }

    fn email_used(&mut self, email: &str) -> Result<bool> {
        self.exists(
            "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1 COLLATE NOCASE)",
            email,
        )
    }

    fn is_integrator(&mut self, id: Id) -> Result<bool> {
        self.exists(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1 AND kind = 'integrator')",
            id,
        )
    }

    fn plan_exists(&mut self, id: Id) -> Result<bool> {
        self.exists("SELECT EXISTS (SELECT 1 FROM plans WHERE id = ?1)", id)
    }

    fn insert_customer(&mut self, c: &Customer) -> Result<()> {
        insert_customer_row(self.0, c)
    }

    fn relink(&mut self, customer_id: Id, cam: &ArchivedCamera, plan: Option<Id>) -> Result<bool> {
        let n = self
            .0
            .prepare_cached(
                "UPDATE cameras SET customer_id = ?1, plan_id = ?2, recording = ?3,
                        recording_before_disable = ?4, version = version + 1, updated_at = ?5
                 WHERE id = ?6 AND customer_id IS NULL",
            )?
            .execute(params![
                customer_id,
                plan,
                cam.recording,
                cam.recording_before_disable,
                now(),
                cam.id
            ])?;
        Ok(n == 1)
    }

    fn insert_role(
        &mut self,
        customer_id: Id,
        role: &ArchivedRole,
        camera_ids: &[Id],
    ) -> Result<()> {
        insert_role(self.0, customer_id, role, camera_ids)
    }

    fn insert_user(&mut self, customer_id: Id, user: &ArchivedUser, role_ids: &[Id]) -> Result<()> {
        insert_user(self.0, customer_id, user, role_ids)
    }

    fn mark_restored(&mut self, archive_id: Id) -> Result<()> {
        self.0.execute(
            "UPDATE archive SET restored_at = ?2 WHERE id = ?1",
            params![archive_id, now()],
        )?;
        Ok(())
    }

    fn audit(&mut self, op: &Operator, line: &AuditLine) -> Result<Id> {
        line.write(self.0, op)
    }
}

impl SqliteTx<'_, '_> {
    fn exists(&self, sql: &str, arg: impl rusqlite::ToSql) -> Result<bool> {
        Ok(self.0.prepare_cached(sql)?.query_row([arg], |r| r.get(0))?)
    }
}

/// Inserts a role with its original id and the camera set `linked` (the archived cameras linked
/// again).
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
        for cam in linked {
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
    for role in role_ids {
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
