//! Creating a customer: the one insert the wizard, the import and restore share.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Created, check_parent, name_taken, write_billing, write_profile_columns};
use crate::domain::{
    CameraSpec, Id, NewCustomer, NewUser, Permissions, Role, RoleType, SystemRole,
};
use crate::store::{Result, StoreError, is_unique_violation, now};

/// Inserts everything of a new customer inside the caller's transaction (the wizard, the demo and
/// restore share it). Refuses a taken name or e-mail and a camera linked meanwhile, naming it.
pub(crate) fn insert_customer(
    tx: &Transaction<'_>,
    new: &NewCustomer,
    password_hashes: &[String],
) -> Result<Created> {
    let p = &new.profile;
    check_parent(tx, None, p)?;
    let ts = now();
    let res = tx.execute(
        "INSERT INTO customers (kind, name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![p.kind.as_str(), p.contact.company.trim(), ts],
    );
    match res {
        Err(e) if is_unique_violation(&e) => return Err(name_taken(&p.contact.company)),
        r => {
            r?;
        }
    }
    let id = tx.last_insert_rowid();
    write_profile_columns(tx, id, p, false)?;
    write_billing(tx, id, &p.billing)?;
    let mut camera_ids = link_cameras(tx, id, &new.camera_ids, &ts)?;
    register_cameras(tx, id, &new.new_cameras, &ts, &mut camera_ids)?;
    let role_ids = insert_roles(tx, id, new, &camera_ids, &ts)?;
    let user_ids = insert_users(tx, id, new, password_hashes, &role_ids, &ts)?;
    check_owner(new)?;
    Ok(Created {
        id,
        user_ids,
        camera_ids,
    })
}

/// With users, one of them holds the Owner role.
pub(crate) fn check_owner(new: &NewCustomer) -> Result<()> {
    if new.users.is_empty() {
        return Ok(());
    }
    let owner = new
        .roles
        .iter()
        .position(|r| r.system == Some(SystemRole::Owner));
    if owner.is_some_and(|o| new.users.iter().any(|u| u.roles.contains(&o))) {
        Ok(())
    } else {
        Err(StoreError::Refused(
            "Users: at least one user must hold the Owner role".into(),
        ))
    }
}

/// Camera `cam` could not be linked: `name` and `owner` say what became of it.
pub(crate) fn camera_taken(cam: Id, name: Option<String>, owner: Option<String>) -> StoreError {
    StoreError::Conflict(match (name, owner) {
        (Some(n), Some(o)) => format!("Camera {n} was just linked to {o} by another operator"),
        (Some(n), None) => format!("Camera {n} is no longer available"),
        _ => format!("Camera #{cam} was deleted by another operator"),
    })
}

/// A new camera whose MAC or serial is already registered.
pub(crate) fn camera_registered(cam: &CameraSpec) -> StoreError {
    StoreError::Conflict(format!(
        "Camera {}: MAC {} or serial {} is already registered",
        cam.name, cam.mac, cam.serial
    ))
}

/// A user's e-mail address already used by another user.
pub(crate) fn email_used(user: &NewUser) -> StoreError {
    StoreError::Conflict(format!(
        "User email: {} is already used by another user",
        user.email.trim()
    ))
}

/// A role name given twice (ignoring case) in one customer.
pub(crate) fn role_name_twice(role: &Role) -> StoreError {
    StoreError::Refused(format!("Role name: \"{}\" is used twice", role.name.trim()))
}

/// The role as stored: its references to new cameras (`new_camera_refs`, indexes into
/// `new.new_cameras`) resolved to their ids, registered after the `new.camera_ids` linked.
pub(crate) fn resolved_role(new: &NewCustomer, role: &Role, camera_ids: &[Id]) -> Result<Role> {
    let mut role = role.clone();
    let first_new = new.camera_ids.len();
    for &k in &role.new_camera_refs {
        let cam = camera_ids.get(first_new + k).ok_or_else(|| {
            StoreError::Refused(format!(
                "Role {}: names a camera that is not registered",
                role.name
            ))
        })?;
        role.camera_ids.push(*cam);
    }
    Ok(role)
}

/// The hash of user `i`, after checking its roles are of one type.
pub(crate) fn user_hash<'a>(
    new: &NewCustomer,
    password_hashes: &'a [String],
    i: usize,
) -> Result<&'a String> {
    let user = &new.users[i];
    let hash = password_hashes
        .get(i)
        .ok_or_else(|| StoreError::Refused(format!("user {} has no password hash", user.email)))?;
    check_role_types(new, user)?;
    Ok(hash)
}

/// The id of the role a user names by index.
pub(crate) fn granted_role(user: &NewUser, role_ids: &[Id], r: usize) -> Result<Id> {
    role_ids.get(r).copied().ok_or_else(|| {
        StoreError::Refused(format!(
            "user {} names a role that does not exist",
            user.email
        ))
    })
}

/// The permissions a role is stored with: "disable camera share" forbids Share in every role
/// of the customer, so that every path that creates roles (wizard, demo, import, restore)
/// obeys it.
pub(crate) fn stored_permissions(role: &Role, share_disabled: bool) -> Permissions {
    let mut perms = role.permissions;
    if share_disabled {
        perms.share = false;
    }
    perms
}

/// Links the chosen unlinked cameras to customer `id`; refuses one another operator linked or
/// deleted meanwhile, naming it. Returns their ids.
fn link_cameras(tx: &Transaction<'_>, id: Id, cameras: &[Id], ts: &str) -> Result<Vec<Id>> {
    let mut linked = Vec::with_capacity(cameras.len());
    let mut link = tx.prepare_cached(
        "UPDATE cameras SET customer_id = ?1, plan_id = NULL, recording = 1,
                recording_before_disable = NULL, version = version + 1, updated_at = ?3
         WHERE id = ?2 AND customer_id IS NULL",
    )?;
    for &cam in cameras {
        if link.execute(params![id, cam, ts])? == 0 {
            let (name, owner): (Option<String>, Option<String>) = tx
                .query_row(
                    "SELECT cameras.name, customers.name FROM cameras
                     LEFT JOIN customers ON customers.id = cameras.customer_id
                     WHERE cameras.id = ?1",
                    [cam],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .unwrap_or((None, None));
            return Err(camera_taken(cam, name, owner));
        }
        linked.push(cam);
    }
    Ok(linked)
}

/// Registers the customer's new cameras, linked to it; their ids go after the linked ones.
fn register_cameras(
    tx: &Transaction<'_>,
    id: Id,
    cameras: &[CameraSpec],
    ts: &str,
    camera_ids: &mut Vec<Id>,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO cameras (name, mac, serial, model, location, customer_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?;
    for cam in cameras {
        match insert.execute(params![
            cam.name,
            cam.mac,
            cam.serial,
            cam.model,
            cam.location,
            id,
            ts
        ]) {
            Err(e) if is_unique_violation(&e) => return Err(camera_registered(cam)),
            r => {
                r?;
            }
        }
        camera_ids.push(tx.last_insert_rowid());
    }
    Ok(())
}

/// Inserts the roles, their references to new cameras resolved; returns the role ids in order.
fn insert_roles(
    tx: &Transaction<'_>,
    id: Id,
    new: &NewCustomer,
    camera_ids: &[Id],
    ts: &str,
) -> Result<Vec<Id>> {
    let mut role_ids = Vec::with_capacity(new.roles.len());
    for role in &new.roles {
        let role = resolved_role(new, role, camera_ids)?;
        role_ids.push(insert_role(tx, id, &role, ts)?);
    }
    Ok(role_ids)
}

/// Inserts the users with their hashes and role grants; returns the user ids in order.
fn insert_users(
    tx: &Transaction<'_>,
    id: Id,
    new: &NewCustomer,
    password_hashes: &[String],
    role_ids: &[Id],
    ts: &str,
) -> Result<Vec<Id>> {
    let p = &new.profile;
    let mut user_ids = Vec::with_capacity(new.users.len());
    let mut insert = tx.prepare_cached(
        "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
            must_confirm_email, must_change_password, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?;
    let mut grant =
        tx.prepare_cached("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?;
    for (i, user) in new.users.iter().enumerate() {
        let hash = user_hash(new, password_hashes, i)?;
        match insert.execute(params![
            id,
            user.first_name,
            user.last_name,
            user.email.trim(),
            hash,
            p.user_creation.confirm_email,
            p.user_creation.change_password,
            ts
        ]) {
            Err(e) if is_unique_violation(&e) => return Err(email_used(user)),
            r => {
                r?;
            }
        }
        let uid = tx.last_insert_rowid();
        for &r in &user.roles {
            grant.execute(params![uid, granted_role(user, role_ids, r)?])?;
        }
        user_ids.push(uid);
    }
    Ok(user_ids)
}

/// A user's roles are all Admin or all Guard.
fn check_role_types(new: &NewCustomer, user: &NewUser) -> Result<()> {
    let types: Vec<RoleType> = user
        .roles
        .iter()
        .filter_map(|&r| new.roles.get(r).map(|r| r.role_type))
        .collect();
    if types.windows(2).any(|w| w[0] != w[1]) {
        return Err(StoreError::Refused(format!(
            "User {}: roles must all be of one type (Admin or Guard)",
            user.email
        )));
    }
    Ok(())
}

/// Inserts one role of customer `customer_id` with its camera set; returns the role id.
pub(crate) fn insert_role(
    tx: &Transaction<'_>,
    customer_id: Id,
    role: &Role,
    ts: &str,
) -> Result<Id> {
    let share_disabled: bool = tx
        .prepare_cached("SELECT disable_camera_share FROM customers WHERE id = ?1")?
        .query_row([customer_id], |r| r.get(0))?;
    let perms = stored_permissions(role, share_disabled);
    let res = tx
        .prepare_cached(
            "INSERT INTO roles (customer_id, name, description, system, role_type, all_cameras,
            perm_share, perm_ptz, perm_update_delete, perm_save_clip, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        )?
        .execute(params![
            customer_id,
            role.name.trim(),
            role.description,
            role.system.map(SystemRole::as_str),
            role.role_type.as_str(),
            role.all_cameras,
            perms.share,
            perms.ptz,
            perms.update_delete,
            perms.save_clip,
            ts
        ]);
    match res {
        Err(e) if is_unique_violation(&e) => return Err(role_name_twice(role)),
        r => {
            r?;
        }
    }
    let role_id = tx.last_insert_rowid();
    if !role.all_cameras {
        let mut link =
            tx.prepare_cached("INSERT INTO role_cameras (role_id, camera_id) VALUES (?1, ?2)")?;
        for cam in &role.camera_ids {
            link.execute(params![role_id, cam])?;
        }
    }
    Ok(role_id)
}
