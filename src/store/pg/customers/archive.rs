//! The archive of a deleted customer on PostgreSQL: reading it back, and building it (roles,
//! users with their hashes, cameras) inside the delete's transaction.

use postgres::{GenericClient, Row, Transaction};

use crate::domain::{Customer, Id, Permissions, Role, RoleType, SystemRole};
use crate::store::Result;
use crate::store::customers::{Archive, ArchivedCamera, ArchivedRole, ArchivedUser};

/// The archive of a deleted customer, by archive id.
pub(crate) fn archive(client: &mut impl GenericClient, archive_id: Id) -> Result<Option<Archive>> {
    let row = client.query_opt(
        "SELECT data::text FROM archive WHERE id = $1",
        &[&archive_id],
    )?;
    Ok(match row {
        Some(r) => Some(serde_json::from_str(r.get(0))?),
        None => None,
    })
}

fn role_row(r: &Row) -> Role {
    Role {
        id: Some(r.get(0)),
        name: r.get(1),
        description: r.get(2),
        system: r.get::<_, Option<&str>>(3).and_then(SystemRole::parse),
        role_type: RoleType::parse(r.get(4)).unwrap_or_default(),
        all_cameras: r.get(5),
        permissions: Permissions {
            share: r.get(6),
            ptz: r.get(7),
            update_delete: r.get(8),
            save_clip: r.get(9),
        },
        camera_ids: r.get(10),
        new_camera_refs: vec![],
    }
}

/// The roles of a customer as `catalog::roles_of` gives them: system roles first, then by
/// name (ignoring case: the column is `COLLATE NOCASE` on SQLite), each with its camera set in
/// id order.
fn roles_of(tx: &mut Transaction<'_>, customer_id: Id) -> Result<Vec<Role>> {
    let rows = tx.query(
        "SELECT id, name, description, system, role_type, all_cameras, perm_share, perm_ptz,
                perm_update_delete, perm_save_clip,
                ARRAY(SELECT camera_id FROM role_cameras WHERE role_id = roles.id
                      ORDER BY camera_id)
         FROM roles WHERE customer_id = $1
         ORDER BY CASE system WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END,
                  nocase(name)",
        &[&customer_id],
    )?;
    Ok(rows.iter().map(role_row).collect())
}

fn user_row(r: &Row) -> ArchivedUser {
    ArchivedUser {
        id: r.get(0),
        first_name: r.get(1),
        last_name: r.get(2),
        email: r.get(3),
        password_hash: r.get(4),
        must_confirm_email: r.get(5),
        must_change_password: r.get(6),
        active: r.get(7),
        blocked: r.get(8),
        created_at: r.get(9),
        role_ids: r.get(10),
    }
}

/// Everything of `customer` a restore needs, read inside the delete's transaction.
pub(super) fn build_archive(tx: &mut Transaction<'_>, customer: Customer) -> Result<Archive> {
    let id = customer.id;
    let roles = roles_of(tx, id)?
        .into_iter()
        .map(|role| ArchivedRole {
            id: role.id.unwrap_or_default(),
            role,
        })
        .collect();
    let users = tx
        .query(
            "SELECT id, first_name, last_name, email, password_hash, must_confirm_email,
                    must_change_password, active, blocked, created_at,
                    ARRAY(SELECT role_id FROM user_roles WHERE user_id = users.id
                          ORDER BY role_id)
             FROM users WHERE customer_id = $1 ORDER BY id",
            &[&id],
        )?
        .iter()
        .map(user_row)
        .collect();
    let cameras = tx
        .query(
            "SELECT id, name, plan_id, recording, recording_before_disable FROM cameras
             WHERE customer_id = $1 ORDER BY id",
            &[&id],
        )?
        .iter()
        .map(|r| ArchivedCamera {
            id: r.get(0),
            name: r.get(1),
            plan_id: r.get(2),
            recording: r.get(3),
            recording_before_disable: r.get(4),
        })
        .collect();
    Ok(Archive {
        customer,
        roles,
        users,
        cameras,
    })
}
