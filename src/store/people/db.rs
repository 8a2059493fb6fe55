//! What the rules of roles and users need of a store, as one trait: the reads of their checks
//! and the statements of their writes. The rules themselves (`people.rs`, `roles.rs`,
//! `users.rs`) are written once over it; [`Lite`] is SQLite's side, `pg::people` PostgreSQL's.
//! Every call runs inside the caller's one write transaction.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{NewUserSpec, email_taken, load_role, load_user, role_name_taken, role_users};
use crate::domain::{Id, Operator, Role, RoleType, Status, User};
use crate::store::customers::{insert_role, load_customer};
use crate::store::{Result, audit, is_unique_violation};

/// What a write of roles or users needs of their customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PeopleCustomer {
    pub id: Id,
    pub name: String,
    pub disabled: bool,
    pub disable_camera_share: bool,
    /// New users must confirm their email / change their password.
    pub confirm_email: bool,
    pub change_password: bool,
}

/// A user's row as written: names and email, the flags a new one starts with.
pub(crate) struct UserInsert<'a> {
    pub spec: &'a NewUserSpec,
    pub password_hash: &'a str,
    pub confirm_email: bool,
    pub change_password: bool,
    pub blocked: bool,
}

/// One audit entry of a role or user write.
pub(crate) struct AuditEntry<'a> {
    pub action: &'a str,
    pub customer: (Id, &'a str),
    pub summary: &'a str,
    pub details: &'a serde_json::Value,
}

/// The reads and statements of the role and user writes (see the module doc).
pub(crate) trait PeopleTx {
    fn customer(&mut self, id: Id) -> Result<Option<PeopleCustomer>>;
    /// A role with its version and customer.
    fn role(&mut self, role_id: Id) -> Result<Option<(Role, i64, Id)>>;
    fn user(&mut self, user_id: Id) -> Result<Option<User>>;
    /// The users holding a role, by name.
    fn role_users(&mut self, role_id: Id) -> Result<Vec<User>>;
    fn owner_role(&mut self, customer_id: Id) -> Result<Option<Id>>;
    /// The active users other than `except` holding the role.
    fn active_holders(&mut self, role_id: Id, except: Id) -> Result<Vec<Id>>;
    /// The role's customer and type, `None` when it does not exist.
    fn role_kind(&mut self, role_id: Id) -> Result<Option<(Id, String)>>;
    /// Users holding `role_id` and some other role that is not of type `kind`.
    fn holders_of_other_type(&mut self, role_id: Id, kind: RoleType) -> Result<Vec<Id>>;
    fn email_taken(&mut self, email: &str, except: Option<Id>) -> Result<bool>;
    fn role_name_taken(&mut self, customer_id: Id, name: &str, except: Option<Id>) -> Result<bool>;
    /// A camera's name and customer.
    fn camera_owner(&mut self, camera_id: Id) -> Result<Option<(String, Option<Id>)>>;

    fn insert_role(&mut self, customer_id: Id, role: &Role, ts: &str) -> Result<Id>;
    /// Writes the role's fields (a taken name refused) and replaces its camera set.
    fn update_role(&mut self, role_id: Id, role: &Role, ts: &str) -> Result<()>;
    fn delete_role(&mut self, role_id: Id) -> Result<()>;
    fn bump_user(&mut self, user_id: Id, ts: &str) -> Result<()>;
    fn grant(&mut self, user_id: Id, role_ids: &[Id]) -> Result<()>;
    fn revoke(&mut self, user_id: Id, role_id: Id) -> Result<()>;
    /// Inserts a user (a taken email refused) with `role_ids`; returns its id.
    fn insert_user(&mut self, customer_id: Id, user: &UserInsert<'_>, ts: &str) -> Result<Id>;
    /// Writes names, email (a taken one refused), the confirm flag, and the roles.
    fn update_user(
        &mut self,
        user_id: Id,
        spec: &NewUserSpec,
        confirm: bool,
        ts: &str,
    ) -> Result<()>;
    fn set_user_active(&mut self, user_id: Id, active: bool, ts: &str) -> Result<()>;
    fn delete_user(&mut self, user_id: Id) -> Result<()>;
    fn set_password(&mut self, user_id: Id, hash: &str, must_change: bool, ts: &str) -> Result<()>;
    /// Writes one audit entry of the customer's.
    fn write_audit(&mut self, op: &Operator, entry: AuditEntry<'_>) -> Result<Id>;

    fn audit(
        &mut self,
        op: &Operator,
        action: &str,
        customer: (Id, &str),
        summary: &str,
        details: &serde_json::Value,
    ) -> Result<Id> {
        let entry = AuditEntry {
            action,
            customer,
            summary,
            details,
        };
        self.write_audit(op, entry)
    }
}

/// SQLite's side of [`PeopleTx`]: a `BEGIN IMMEDIATE` transaction.
pub(crate) struct Lite<'a, 'c>(pub &'a Transaction<'c>);

impl PeopleTx for Lite<'_, '_> {
    fn customer(&mut self, id: Id) -> Result<Option<PeopleCustomer>> {
        Ok(load_customer(self.0, id)?.map(|c| PeopleCustomer {
            id: c.id,
            name: c.name().to_string(),
            disabled: c.status == Status::Disabled,
            disable_camera_share: c.profile.defaults.disable_camera_share,
            confirm_email: c.profile.user_creation.confirm_email,
            change_password: c.profile.user_creation.change_password,
        }))
    }

    fn role(&mut self, role_id: Id) -> Result<Option<(Role, i64, Id)>> {
        load_role(self.0, role_id)
    }

    fn user(&mut self, user_id: Id) -> Result<Option<User>> {
        load_user(self.0, user_id)
    }

    fn role_users(&mut self, role_id: Id) -> Result<Vec<User>> {
        role_users(self.0, role_id)
    }

    fn owner_role(&mut self, customer_id: Id) -> Result<Option<Id>> {
        Ok(self
            .0
            .query_row(
                "SELECT id FROM roles WHERE customer_id = ?1 AND system = 'owner'",
                [customer_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn active_holders(&mut self, role_id: Id, except: Id) -> Result<Vec<Id>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
             WHERE ur.role_id = ?1 AND u.active AND u.id <> ?2",
        )?;
        let rows = stmt.query_map(params![role_id, except], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn role_kind(&mut self, role_id: Id) -> Result<Option<(Id, String)>> {
        Ok(self
            .0
            .prepare_cached("SELECT customer_id, role_type FROM roles WHERE id = ?1")?
            .query_row([role_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn holders_of_other_type(&mut self, role_id: Id, kind: RoleType) -> Result<Vec<Id>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT DISTINCT ur.user_id FROM user_roles ur
             JOIN user_roles other ON other.user_id = ur.user_id AND other.role_id <> ur.role_id
             JOIN roles r ON r.id = other.role_id
             WHERE ur.role_id = ?1 AND r.role_type <> ?2",
        )?;
        let rows = stmt.query_map(params![role_id, kind.as_str()], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn email_taken(&mut self, email: &str, except: Option<Id>) -> Result<bool> {
        Ok(self.0.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?1 COLLATE NOCASE AND id IS NOT ?2)",
            params![email, except],
            |r| r.get(0),
        )?)
    }

    fn role_name_taken(&mut self, customer: Id, name: &str, except: Option<Id>) -> Result<bool> {
        Ok(self.0.query_row(
            "SELECT EXISTS (SELECT 1 FROM roles WHERE customer_id = ?1 AND name = ?2 COLLATE NOCASE
                AND id IS NOT ?3)",
            params![customer, name, except],
            |r| r.get(0),
        )?)
    }

    fn camera_owner(&mut self, camera_id: Id) -> Result<Option<(String, Option<Id>)>> {
        Ok(self
            .0
            .prepare_cached("SELECT name, customer_id FROM cameras WHERE id = ?1")?
            .query_row([camera_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    fn insert_role(&mut self, customer_id: Id, role: &Role, ts: &str) -> Result<Id> {
        insert_role(self.0, customer_id, role, ts)
    }

    fn update_role(&mut self, role_id: Id, role: &Role, ts: &str) -> Result<()> {
        let p = role.permissions;
        let changed = self.0.execute(
            "UPDATE roles SET name = ?1, description = ?2, role_type = ?3, all_cameras = ?4,
                perm_share = ?5, perm_ptz = ?6, perm_update_delete = ?7, perm_save_clip = ?8,
                version = version + 1, updated_at = ?9
             WHERE id = ?10",
            params![
                role.name,
                role.description,
                role.role_type.as_str(),
                role.all_cameras,
                p.share,
                p.ptz,
                p.update_delete,
                p.save_clip,
                ts,
                role_id,
            ],
        );
        match changed {
            Err(e) if is_unique_violation(&e) => return Err(role_name_taken(&role.name)),
            r => {
                r?;
            }
        }
        self.0
            .execute("DELETE FROM role_cameras WHERE role_id = ?1", [role_id])?;
        if !role.all_cameras {
            let mut link = self.0.prepare_cached(
                "INSERT OR IGNORE INTO role_cameras (role_id, camera_id) VALUES (?1, ?2)",
            )?;
            for cam in &role.camera_ids {
                link.execute(params![role_id, cam])?;
            }
        }
        Ok(())
    }

    fn delete_role(&mut self, role_id: Id) -> Result<()> {
        self.0
            .execute("DELETE FROM roles WHERE id = ?1", [role_id])?;
        Ok(())
    }

    fn bump_user(&mut self, user_id: Id, ts: &str) -> Result<()> {
        self.0.execute(
            "UPDATE users SET version = version + 1, updated_at = ?1 WHERE id = ?2",
            params![ts, user_id],
        )?;
        Ok(())
    }

    fn grant(&mut self, user_id: Id, role_ids: &[Id]) -> Result<()> {
        let mut grant = self.0.prepare_cached(
            "INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES (?1, ?2)",
        )?;
        for role in role_ids {
            grant.execute(params![user_id, role])?;
        }
        Ok(())
    }

    fn revoke(&mut self, user_id: Id, role_id: Id) -> Result<()> {
        self.0.execute(
            "DELETE FROM user_roles WHERE user_id = ?1 AND role_id = ?2",
            params![user_id, role_id],
        )?;
        Ok(())
    }

    fn insert_user(&mut self, customer_id: Id, user: &UserInsert<'_>, ts: &str) -> Result<Id> {
        let spec = user.spec;
        let res = self.0.execute(
            "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
                must_confirm_email, must_change_password, blocked, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                customer_id,
                spec.first_name,
                spec.last_name,
                spec.email,
                user.password_hash,
                user.confirm_email,
                user.change_password,
                user.blocked,
                ts
            ],
        );
        match res {
            Err(e) if is_unique_violation(&e) => return Err(email_taken(&spec.email)),
            r => {
                r?;
            }
        }
        let id = self.0.last_insert_rowid();
        self.grant(id, &spec.role_ids)?;
        Ok(id)
    }

    fn update_user(&mut self, id: Id, spec: &NewUserSpec, confirm: bool, ts: &str) -> Result<()> {
        let res = self.0.execute(
            "UPDATE users SET first_name = ?1, last_name = ?2, email = ?3,
                must_confirm_email = ?4, version = version + 1, updated_at = ?5
             WHERE id = ?6",
            params![spec.first_name, spec.last_name, spec.email, confirm, ts, id],
        );
        match res {
            Err(e) if is_unique_violation(&e) => return Err(email_taken(&spec.email)),
            r => {
                r?;
            }
        }
        self.0
            .execute("DELETE FROM user_roles WHERE user_id = ?1", [id])?;
        self.grant(id, &spec.role_ids)
    }

    fn set_user_active(&mut self, user_id: Id, active: bool, ts: &str) -> Result<()> {
        self.0.execute(
            "UPDATE users SET active = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
            params![active, ts, user_id],
        )?;
        Ok(())
    }

    fn delete_user(&mut self, user_id: Id) -> Result<()> {
        self.0
            .execute("DELETE FROM users WHERE id = ?1", [user_id])?;
        Ok(())
    }

    fn set_password(&mut self, id: Id, hash: &str, must_change: bool, ts: &str) -> Result<()> {
        self.0.execute(
            "UPDATE users SET password_hash = ?1, must_change_password = ?2,
                version = version + 1, updated_at = ?3
             WHERE id = ?4",
            params![hash, must_change, ts, id],
        )?;
        Ok(())
    }

    fn write_audit(&mut self, op: &Operator, e: AuditEntry<'_>) -> Result<Id> {
        audit(self.0, op, e.action, Some(e.customer), e.summary, e.details)
    }
}
