//! PostgreSQL side of the store seam, P2: roles and users of a customer. The reads are here;
//! the rules of the writes are written once in `store::people` over its `db::PeopleTx`, which
//! `people/tx.rs` implements for a PostgreSQL transaction. The texts and callers are there too.

mod tx;

use postgres::GenericClient;

use super::catalog::{USER_ORDER, USER_SELECT, role_one, roles_of, user, users_blocked_of};
use crate::domain::{Id, Role, User};
use crate::store::Result;
use crate::store::people::{RoleRow, UserRow};

/// The roles of a customer with their versions and user counts, Owner and Admin first.
pub(crate) fn role_rows(client: &mut impl GenericClient, customer_id: Id) -> Result<Vec<RoleRow>> {
    let roles = roles_of(client, customer_id)?;
    let counts = client.query(
        "SELECT r.id, r.version, (SELECT count(*) FROM user_roles WHERE role_id = r.id)
         FROM roles r WHERE r.customer_id = $1",
        &[&customer_id],
    )?;
    let mut out = Vec::with_capacity(roles.len());
    for role in roles {
        let id = role.id.unwrap_or_default();
        if let Some(r) = counts.iter().find(|r| r.get::<_, Id>(0) == id) {
            out.push(RoleRow {
                role,
                version: r.get(1),
                users: r.get(2),
            });
        }
    }
    Ok(out)
}

pub(crate) fn role(client: &mut impl GenericClient, role_id: Id) -> Result<Option<(Role, i64)>> {
    Ok(role_one(client, role_id)?.map(|(role, version, _)| (role, version)))
}

pub(crate) fn role_version(client: &mut impl GenericClient, role_id: Id) -> Result<Option<i64>> {
    let row = client.query_opt("SELECT version FROM roles WHERE id = $1", &[&role_id])?;
    Ok(row.map(|r| r.get(0)))
}

pub(crate) fn role_camera_reach(client: &mut impl GenericClient, role_id: Id) -> Result<Vec<Id>> {
    let rows = client.query(
        "SELECT c.id FROM roles r JOIN cameras c ON c.customer_id = r.customer_id
         WHERE r.id = $1 AND (r.all_cameras
            OR EXISTS (SELECT 1 FROM role_cameras rc WHERE rc.role_id = r.id AND rc.camera_id = c.id))
         ORDER BY c.id",
        &[&role_id],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(crate) fn role_users(client: &mut impl GenericClient, role_id: Id) -> Result<Vec<User>> {
    let sql = format!(
        "{USER_SELECT} WHERE id IN (SELECT user_id FROM user_roles WHERE role_id = $1)
         ORDER BY {USER_ORDER}"
    );
    let rows = client.query(&sql, &[&role_id])?;
    Ok(rows.iter().map(user).collect())
}

pub(crate) fn user_rows(client: &mut impl GenericClient, customer_id: Id) -> Result<Vec<UserRow>> {
    Ok(users_blocked_of(client, customer_id)?
        .into_iter()
        .map(|(user, blocked)| UserRow { user, blocked })
        .collect())
}

pub(crate) fn user_one(client: &mut impl GenericClient, user_id: Id) -> Result<Option<User>> {
    let row = client.query_opt(&format!("{USER_SELECT} WHERE id = $1"), &[&user_id])?;
    Ok(row.as_ref().map(user))
}
