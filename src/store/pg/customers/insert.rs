//! The wizard's create on PostgreSQL: the customer, its billing, the cameras it links and
//! registers, its roles and users, and the audit entry, in the caller's transaction (one for
//! all of it). The rules and texts are `store::customers::insert`'s.

use postgres::Transaction;

use super::write::{check_parent, write_billing, write_profile_columns};
use crate::domain::{CameraSpec, Id, NewCustomer, Operator, Role, SystemRole};
use crate::store::customers::{
    Created, camera_registered, camera_taken, check_owner, created_audit, email_used, granted_role,
    name_taken, resolved_role, role_name_twice, stored_permissions, user_hash,
};
use crate::store::pg::is_unique_violation;
use crate::store::{Result, now};

/// `Store::create_customer`: everything of the new customer and its audit entry.
pub(crate) fn create(
    tx: &mut Transaction<'_>,
    new: &NewCustomer,
    password_hashes: &[String],
    op: &Operator,
) -> Result<Created> {
    let created = insert_customer(tx, new, password_hashes)?;
    created_audit(new, &created).write_pg(tx, op)?;
    Ok(created)
}

fn insert_customer(
    tx: &mut Transaction<'_>,
    new: &NewCustomer,
    password_hashes: &[String],
) -> Result<Created> {
    let p = &new.profile;
    check_parent(tx, None, p)?;
    let ts = now();
    let id: Id = match tx.query_one(
        "INSERT INTO customers (kind, name, created_at, updated_at) VALUES ($1, $2, $3, $3)
         RETURNING id",
        &[&p.kind.as_str(), &p.contact.company.trim(), &ts],
    ) {
        Err(e) if is_unique_violation(&e) => return Err(name_taken(&p.contact.company)),
        r => r?.get(0),
    };
    write_profile_columns(tx, id, p, false)?;
    write_billing(tx, id, &p.billing)?;
    let mut camera_ids = link_cameras(tx, id, &new.camera_ids, &ts)?;
    for cam in &new.new_cameras {
        camera_ids.push(register_camera(tx, id, cam, &ts)?);
    }
    let mut role_ids = Vec::with_capacity(new.roles.len());
    for role in &new.roles {
        let role = resolved_role(new, role, &camera_ids)?;
        role_ids.push(insert_role(tx, id, &role, &ts)?);
    }
    let user_ids = insert_users(tx, id, new, password_hashes, &role_ids, &ts)?;
    check_owner(new)?;
    Ok(Created {
        id,
        user_ids,
        camera_ids,
    })
}

/// Links the chosen cameras still unlinked; one linked or deleted meanwhile is refused by name.
fn link_cameras(tx: &mut Transaction<'_>, id: Id, cameras: &[Id], ts: &str) -> Result<Vec<Id>> {
    let link = tx.prepare(
        "UPDATE cameras SET customer_id = $1, plan_id = NULL, recording = true,
                recording_before_disable = NULL, version = version + 1, updated_at = $3
         WHERE id = $2 AND customer_id IS NULL",
    )?;
    for &cam in cameras {
        if tx.execute(&link, &[&id, &cam, &ts])? == 0 {
            let row = tx.query_opt(
                "SELECT cameras.name, customers.name FROM cameras
                 LEFT JOIN customers ON customers.id = cameras.customer_id
                 WHERE cameras.id = $1",
                &[&cam],
            )?;
            let (name, owner) = row.map_or((None, None), |r| (r.get(0), r.get(1)));
            return Err(camera_taken(cam, name, owner));
        }
    }
    Ok(cameras.to_vec())
}

fn register_camera(tx: &mut Transaction<'_>, id: Id, cam: &CameraSpec, ts: &str) -> Result<Id> {
    match tx.query_one(
        "INSERT INTO cameras (name, mac, serial, model, location, customer_id, created_at,
            updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        &[
            &cam.name,
            &cam.mac,
            &cam.serial,
            &cam.model,
            &cam.location,
            &id,
            &ts,
        ],
    ) {
        Err(e) if is_unique_violation(&e) => Err(camera_registered(cam)),
        r => Ok(r?.get(0)),
    }
}

/// One role of the customer with its camera set (`customers::insert_role`).
fn insert_role(tx: &mut Transaction<'_>, customer_id: Id, role: &Role, ts: &str) -> Result<Id> {
    let share_disabled: bool = tx
        .query_one(
            "SELECT disable_camera_share FROM customers WHERE id = $1",
            &[&customer_id],
        )?
        .get(0);
    let perms = stored_permissions(role, share_disabled);
    let role_id: Id = match tx.query_one(
        "INSERT INTO roles (customer_id, name, description, system, role_type, all_cameras,
            perm_share, perm_ptz, perm_update_delete, perm_save_clip, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        &[
            &customer_id,
            &role.name.trim(),
            &role.description,
            &role.system.map(SystemRole::as_str),
            &role.role_type.as_str(),
            &role.all_cameras,
            &perms.share,
            &perms.ptz,
            &perms.update_delete,
            &perms.save_clip,
            &ts,
        ],
    ) {
        Err(e) if is_unique_violation(&e) => return Err(role_name_twice(role)),
        r => r?.get(0),
    };
    if !role.all_cameras {
        tx.execute(
            "INSERT INTO role_cameras (role_id, camera_id) SELECT $1, unnest($2::bigint[])",
            &[&role_id, &role.camera_ids],
        )?;
    }
    Ok(role_id)
}

fn insert_users(
    tx: &mut Transaction<'_>,
    id: Id,
    new: &NewCustomer,
    password_hashes: &[String],
    role_ids: &[Id],
    ts: &str,
) -> Result<Vec<Id>> {
    let p = &new.profile;
    let mut user_ids = Vec::with_capacity(new.users.len());
    for (i, user) in new.users.iter().enumerate() {
        let hash = user_hash(new, password_hashes, i)?;
        let uid: Id = match tx.query_one(
            "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
                must_confirm_email, must_change_password, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
            &[
                &id,
                &user.first_name,
                &user.last_name,
                &user.email.trim(),
                hash,
                &p.user_creation.confirm_email,
                &p.user_creation.change_password,
                &ts,
            ],
        ) {
            Err(e) if is_unique_violation(&e) => return Err(email_used(user)),
            r => r?.get(0),
        };
        for &r in &user.roles {
            tx.execute(
                "INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)",
                &[&uid, &granted_role(user, role_ids, r)?],
            )?;
        }
        user_ids.push(uid);
    }
    Ok(user_ids)
}
