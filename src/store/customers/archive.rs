//! The archive a delete keeps of a customer, so that restore can bring it back.

use rusqlite::Transaction;

use super::*;

pub(super) fn build_archive(tx: &Transaction<'_>, customer: Customer) -> Result<Archive> {
    let id = customer.id;
    let roles = crate::store::catalog::roles_of(tx, id)?
        .into_iter()
        .map(|role| ArchivedRole {
            id: role.id.unwrap_or_default(),
            role,
        })
        .collect();
    let mut stmt = tx.prepare_cached(
        "SELECT id, first_name, last_name, email, password_hash, must_confirm_email,
                must_change_password, active, blocked, created_at,
                (SELECT group_concat(role_id) FROM user_roles WHERE user_id = users.id)
         FROM users WHERE customer_id = ?1 ORDER BY id",
    )?;
    let users = stmt
        .query_map([id], |r| {
            Ok(ArchivedUser {
                id: r.get(0)?,
                first_name: r.get(1)?,
                last_name: r.get(2)?,
                email: r.get(3)?,
                password_hash: r.get(4)?,
                must_confirm_email: r.get(5)?,
                must_change_password: r.get(6)?,
                active: r.get(7)?,
                blocked: r.get(8)?,
                created_at: r.get(9)?,
                role_ids: crate::store::catalog::split_ids(r.get::<_, Option<String>>(10)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = tx.prepare_cached(
        "SELECT id, name, plan_id, recording, recording_before_disable FROM cameras
         WHERE customer_id = ?1 ORDER BY id",
    )?;
    let cameras = stmt
        .query_map([id], |r| {
            Ok(ArchivedCamera {
                id: r.get(0)?,
                name: r.get(1)?,
                plan_id: r.get(2)?,
                recording: r.get(3)?,
                recording_before_disable: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Archive {
        customer,
        roles,
        users,
        cameras,
    })
}
