//! Plans, cameras, roles and users: the reads the screens need.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, Store, pg};
use crate::domain::{
    Camera, CameraSpec, Id, Permissions, Plan, RecordingMode, Role, RoleType, SystemRole, User,
};

/// "1,2,3" from `group_concat` into ids.
pub(crate) fn split_ids(s: Option<String>) -> Vec<Id> {
    s.map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_default()
}

fn plan_row(r: &Row<'_>) -> rusqlite::Result<Plan> {
    Ok(Plan {
        id: r.get(0)?,
        name: r.get(1)?,
        retention_days: r.get(2)?,
        mode: RecordingMode::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
        price_cents: r.get(4)?,
        currency: r.get(5)?,
        version: r.get(6)?,
    })
}

const CAMERA_SELECT: &str = "SELECT cameras.id, cameras.name, cameras.mac, cameras.serial,
        cameras.model, cameras.location, cameras.customer_id, customers.name, cameras.plan_id,
        cameras.recording, cameras.version
    FROM cameras LEFT JOIN customers ON customers.id = cameras.customer_id";

fn camera_row(r: &Row<'_>) -> rusqlite::Result<Camera> {
    Ok(Camera {
        id: r.get(0)?,
        spec: CameraSpec {
            name: r.get(1)?,
            mac: r.get(2)?,
            serial: r.get(3)?,
            model: r.get(4)?,
            location: r.get(5)?,
        },
        customer_id: r.get(6)?,
        customer_name: r.get(7)?,
        plan_id: r.get(8)?,
        recording: r.get(9)?,
        version: r.get(10)?,
    })
}

/// The roles of a customer, system roles first, with their camera sets.
pub(crate) fn roles_of(conn: &Connection, customer_id: Id) -> Result<Vec<Role>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, description, system, role_type, all_cameras, perm_share, perm_ptz,
                perm_update_delete, perm_save_clip,
                (SELECT group_concat(camera_id) FROM role_cameras WHERE role_id = roles.id)
         FROM roles WHERE customer_id = ?1
         ORDER BY CASE system WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, name",
    )?;
    let rows = stmt.query_map([customer_id], |r| {
        Ok(Role {
            id: Some(r.get(0)?),
            name: r.get(1)?,
            description: r.get(2)?,
            system: r
                .get::<_, Option<String>>(3)?
                .and_then(|s| SystemRole::parse(&s)),
            role_type: RoleType::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
            all_cameras: r.get(5)?,
            permissions: Permissions {
                share: r.get(6)?,
                ptz: r.get(7)?,
                update_delete: r.get(8)?,
                save_clip: r.get(9)?,
            },
            camera_ids: split_ids(r.get(10)?),
            new_camera_refs: vec![],
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Every plan, by name.
    pub fn plans(&self) -> Result<Vec<Plan>> {
        if self.is_postgres() {
            return self.pg_read(pg::plans::all);
        }
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT id, name, retention_days, mode, price_cents, currency, version
             FROM plans ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], plan_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn plan(&self, id: Id) -> Result<Option<Plan>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::plans::one(c, id));
        }
        Ok(self
            .conn()?
            .prepare_cached(
                "SELECT id, name, retention_days, mode, price_cents, currency, version
                 FROM plans WHERE id = ?1",
            )?
            .query_row([id], plan_row)
            .optional()?)
    }

    /// Cameras of the inventory not linked to any customer, whose name, MAC, serial, model or
    /// location contains `filter`; at most `limit`, by name.
    pub fn unlinked_cameras(&self, filter: &str, limit: i64) -> Result<Vec<Camera>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::unlinked_cameras(c, filter, limit));
        }
        let pattern = format!("%{}%", super::customers::escape_like(filter.trim()));
        let sql = format!(
            "{CAMERA_SELECT} WHERE cameras.customer_id IS NULL
             AND (?1 = '%%' OR cameras.name LIKE ?1 ESCAPE '\\' OR cameras.mac LIKE ?1 ESCAPE '\\'
                  OR cameras.serial LIKE ?1 ESCAPE '\\' OR cameras.model LIKE ?1 ESCAPE '\\'
                  OR cameras.location LIKE ?1 ESCAPE '\\')
             ORDER BY cameras.name, cameras.id LIMIT ?2"
        );
        let mut stmt = self.conn()?.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![pattern, limit], camera_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The cameras linked to a customer, by name.
    pub fn cameras_of(&self, customer_id: Id) -> Result<Vec<Camera>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::cameras_of(c, customer_id));
        }
        let sql = format!(
            "{CAMERA_SELECT} WHERE cameras.customer_id = ?1 ORDER BY cameras.name, cameras.id"
        );
        let mut stmt = self.conn()?.prepare_cached(&sql)?;
        let rows = stmt.query_map([customer_id], camera_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn camera(&self, id: Id) -> Result<Option<Camera>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::camera_one(c, id));
        }
        let sql = format!("{CAMERA_SELECT} WHERE cameras.id = ?1");
        Ok(self
            .conn()?
            .prepare_cached(&sql)?
            .query_row([id], camera_row)
            .optional()?)
    }

    /// True when a camera with this MAC (normalised) or serial exists.
    pub fn camera_exists(&self, mac: &str, serial: &str) -> Result<(bool, bool)> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::camera_exists(c, mac, serial));
        }
        Ok(self.conn()?.query_row(
            "SELECT EXISTS (SELECT 1 FROM cameras WHERE mac = ?1),
                    EXISTS (SELECT 1 FROM cameras WHERE serial = ?2 COLLATE NOCASE)",
            params![mac, serial],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The camera registered with this (normalised) MAC: the name of the customer it is linked
    /// to (`None` when unlinked) and its serial; `None` when no camera has this MAC.
    pub fn camera_link_by_mac(&self, mac: &str) -> Result<Option<(Option<String>, String)>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::camera_link_by_mac(c, mac));
        }
        Ok(self
            .conn()?
            .query_row(
                "SELECT customers.name, cameras.serial FROM cameras
                 LEFT JOIN customers ON customers.id = cameras.customer_id WHERE mac = ?1",
                [mac],
                |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?)
    }

    /// The roles of a customer, Owner and Admin first.
    pub fn roles_of(&self, customer_id: Id) -> Result<Vec<Role>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::roles_of(c, customer_id));
        }
        roles_of(self.conn()?, customer_id)
    }

    /// The users of a customer, by name, with their role ids.
    pub fn users_of(&self, customer_id: Id) -> Result<Vec<User>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::users_of(c, customer_id));
        }
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT id, customer_id, first_name, last_name, email, must_confirm_email,
                    must_change_password, active, version,
                    (SELECT group_concat(role_id) FROM user_roles WHERE user_id = users.id)
             FROM users WHERE customer_id = ?1 ORDER BY last_name, first_name, id",
        )?;
        let rows = stmt.query_map([customer_id], |r| {
            Ok(User {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                first_name: r.get(2)?,
                last_name: r.get(3)?,
                email: r.get(4)?,
                must_confirm_email: r.get(5)?,
                must_change_password: r.get(6)?,
                active: r.get(7)?,
                version: r.get(8)?,
                role_ids: split_ids(r.get(9)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when a user (of any customer) has this e-mail address (case-insensitive).
    pub fn user_email_taken(&self, email: &str) -> Result<bool> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::catalog::user_email_taken(c, email));
        }
        Ok(self.conn()?.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1 COLLATE NOCASE)",
            [email.trim()],
            |r| r.get(0),
        )?)
    }
}
