//! PostgreSQL side of the store seam, P2: catalog reads (cameras of a customer, roles of, users
//! of, links by MAC). The SQLite side and the callers are in `store::catalog`; the orders are
//! SQLite's (binary text order, ties broken by id), the id lists of a role or user come in id
//! order as SQLite's `group_concat` over the primary key gives them.

use postgres::{GenericClient, Row};

use crate::domain::{Camera, CameraSpec, Id, Permissions, Role, RoleType, SystemRole, User};
use crate::store::Result;
use crate::store::customers::escape_like;

const CAMERA_SELECT: &str = "SELECT k.id, k.name, k.mac, k.serial, k.model, k.location,
        k.customer_id, c.name, k.plan_id, k.recording, k.version
    FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id";

fn camera(r: &Row) -> Camera {
    let spec = CameraSpec {
        name: r.get(1),
        mac: r.get(2),
        serial: r.get(3),
        model: r.get(4),
        location: r.get(5),
    };
    Camera {
        id: r.get(0),
        spec,
        customer_id: r.get(6),
        customer_name: r.get(7),
        plan_id: r.get(8),
        recording: r.get(9),
        version: r.get(10),
    }
}

/// `store::Store::unlinked_cameras`: the same texts matched, `%`/`_` literal.
pub(crate) fn unlinked_cameras(
    client: &mut impl GenericClient,
    filter: &str,
    limit: i64,
) -> Result<Vec<Camera>> {
    let pattern = format!("%{}%", escape_like(filter.trim()));
    let sql = format!(
        "{CAMERA_SELECT} WHERE k.customer_id IS NULL
         AND ($1 = '%%' OR k.name ILIKE $1 ESCAPE '\\' OR k.mac ILIKE $1 ESCAPE '\\'
              OR k.serial ILIKE $1 ESCAPE '\\' OR k.model ILIKE $1 ESCAPE '\\'
              OR k.location ILIKE $1 ESCAPE '\\')
         ORDER BY k.name, k.id LIMIT $2"
    );
    let rows = client.query(&sql, &[&pattern, &limit.max(0)])?;
    Ok(rows.iter().map(camera).collect())
}

pub(crate) fn cameras_of(client: &mut impl GenericClient, customer_id: Id) -> Result<Vec<Camera>> {
    let sql = format!("{CAMERA_SELECT} WHERE k.customer_id = $1 ORDER BY k.name, k.id");
    let rows = client.query(&sql, &[&customer_id])?;
    Ok(rows.iter().map(camera).collect())
}

pub(crate) fn camera_one(client: &mut impl GenericClient, id: Id) -> Result<Option<Camera>> {
    let sql = format!("{CAMERA_SELECT} WHERE k.id = $1");
    Ok(client.query_opt(&sql, &[&id])?.as_ref().map(camera))
}

pub(crate) fn camera_exists(
    client: &mut impl GenericClient,
    mac: &str,
    serial: &str,
) -> Result<(bool, bool)> {
    let r = client.query_one(
        "SELECT EXISTS (SELECT 1 FROM cameras WHERE mac = $1),
                EXISTS (SELECT 1 FROM cameras WHERE nocase(serial) = nocase($2))",
        &[&mac, &serial],
    )?;
    Ok((r.get(0), r.get(1)))
}

pub(crate) fn camera_link_by_mac(
    client: &mut impl GenericClient,
    mac: &str,
) -> Result<Option<(Option<String>, String)>> {
    let row = client.query_opt(
        "SELECT c.name, k.serial FROM cameras k
         LEFT JOIN customers c ON c.id = k.customer_id WHERE k.mac = $1",
        &[&mac],
    )?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

const ROLE_SELECT: &str = "SELECT id, name, description, system, role_type, all_cameras,
        perm_share, perm_ptz, perm_update_delete, perm_save_clip,
        ARRAY(SELECT camera_id FROM role_cameras WHERE role_id = roles.id ORDER BY camera_id)
    FROM roles";

/// The system roles first (Owner, Admin), then by name.
const ROLE_ORDER: &str = "CASE system WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, name";

fn role(r: &Row) -> Role {
    let permissions = Permissions {
        share: r.get(6),
        ptz: r.get(7),
        update_delete: r.get(8),
        save_clip: r.get(9),
    };
    Role {
        id: Some(r.get(0)),
        name: r.get(1),
        description: r.get(2),
        system: r.get::<_, Option<&str>>(3).and_then(SystemRole::parse),
        role_type: RoleType::parse(r.get(4)).unwrap_or_default(),
        all_cameras: r.get(5),
        permissions,
        camera_ids: r.get(10),
        new_camera_refs: vec![],
    }
}

/// The roles of a customer, system roles first, with their camera sets.
pub(crate) fn roles_of(client: &mut impl GenericClient, customer_id: Id) -> Result<Vec<Role>> {
    let sql = format!("{ROLE_SELECT} WHERE customer_id = $1 ORDER BY {ROLE_ORDER}");
    let rows = client.query(&sql, &[&customer_id])?;
    Ok(rows.iter().map(role).collect())
}

/// One role with its version and customer.
pub(crate) fn role_one(
    client: &mut impl GenericClient,
    role_id: Id,
) -> Result<Option<(Role, i64, Id)>> {
    let sql = ROLE_SELECT.replacen(" FROM roles", ", version, customer_id FROM roles", 1);
    let row = client.query_opt(&format!("{sql} WHERE id = $1"), &[&role_id])?;
    Ok(row.map(|r| (role(&r), r.get(11), r.get(12))))
}

pub(crate) const USER_SELECT: &str = "SELECT id, customer_id, first_name, last_name, email,
        must_confirm_email, must_change_password, active, version,
        ARRAY(SELECT role_id FROM user_roles WHERE user_id = users.id ORDER BY role_id), blocked
    FROM users";

pub(crate) const USER_ORDER: &str = "last_name, first_name, id";

pub(crate) fn user(r: &Row) -> User {
    User {
        id: r.get(0),
        customer_id: r.get(1),
        first_name: r.get(2),
        last_name: r.get(3),
        email: r.get(4),
        must_confirm_email: r.get(5),
        must_change_password: r.get(6),
        active: r.get(7),
        version: r.get(8),
        role_ids: r.get(9),
    }
}

/// The users of a customer, by name, each with its blocked state.
pub(crate) fn users_blocked_of(
    client: &mut impl GenericClient,
    customer_id: Id,
) -> Result<Vec<(User, bool)>> {
    let sql = format!("{USER_SELECT} WHERE customer_id = $1 ORDER BY {USER_ORDER}");
    let rows = client.query(&sql, &[&customer_id])?;
    Ok(rows.iter().map(|r| (user(r), r.get(10))).collect())
}

pub(crate) fn users_of(client: &mut impl GenericClient, customer_id: Id) -> Result<Vec<User>> {
    Ok(users_blocked_of(client, customer_id)?
        .into_iter()
        .map(|(u, _)| u)
        .collect())
}

pub(crate) fn user_email_taken(client: &mut impl GenericClient, email: &str) -> Result<bool> {
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM users WHERE nocase(email) = nocase($1))",
            &[&email.trim()],
        )?
        .get(0))
}
