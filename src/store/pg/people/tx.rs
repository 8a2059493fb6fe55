//! PostgreSQL's side of `store::people::db::PeopleTx`: the reads and statements the role and
//! user rules (written once in `store::people`) run inside the one write transaction. Each
//! check reads the row it checks `FOR UPDATE`; the user counts are kept by their trigger.

use postgres::Transaction;

use crate::domain::{Id, Operator, Role, RoleType, SystemRole, User};
use crate::store::people::db::{AuditEntry, PeopleCustomer, PeopleTx, UserInsert};
use crate::store::people::{NewUserSpec, email_taken, role_name_taken};
use crate::store::pg::catalog::role_one;
use crate::store::pg::{audit, is_unique_violation};
use crate::store::{Result, StoreError};

/// A unique index's refusal as the rule's text (`taken`), any other error as it is.
fn unique(e: postgres::Error, taken: impl FnOnce() -> StoreError) -> StoreError {
    if is_unique_violation(&e) {
        taken()
    } else {
        e.into()
    }
}

impl PeopleTx for Transaction<'_> {
    fn customer(&mut self, id: Id) -> Result<Option<PeopleCustomer>> {
        let row = self.query_opt(
            "SELECT id, name, status = 'disabled', disable_camera_share, confirm_email,
                    change_password
             FROM customers WHERE id = $1",
            &[&id],
        )?;
        Ok(row.map(|r| PeopleCustomer {
            id: r.get(0),
            name: r.get(1),
            disabled: r.get(2),
            disable_camera_share: r.get(3),
            confirm_email: r.get(4),
            change_password: r.get(5),
        }))
    }

    fn role(&mut self, role_id: Id) -> Result<Option<(Role, i64, Id)>> {
        self.execute("SELECT 1 FROM roles WHERE id = $1 FOR UPDATE", &[&role_id])?;
        role_one(self, role_id)
    }

    fn user(&mut self, user_id: Id) -> Result<Option<User>> {
        self.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", &[&user_id])?;
        super::user_one(self, user_id)
    }

    fn role_users(&mut self, role_id: Id) -> Result<Vec<User>> {
        super::role_users(self, role_id)
    }

    fn owner_role(&mut self, customer_id: Id) -> Result<Option<Id>> {
        let row = self.query_opt(
            "SELECT id FROM roles WHERE customer_id = $1 AND system = 'owner'",
            &[&customer_id],
        )?;
        Ok(row.map(|r| r.get(0)))
    }

    fn active_holders(&mut self, role_id: Id, except: Id) -> Result<Vec<Id>> {
        let rows = self.query(
            "SELECT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
             WHERE ur.role_id = $1 AND u.active AND u.id <> $2",
            &[&role_id, &except],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn role_kind(&mut self, role_id: Id) -> Result<Option<(Id, String)>> {
        let row = self.query_opt(
            "SELECT customer_id, role_type FROM roles WHERE id = $1",
            &[&role_id],
        )?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    fn holders_of_other_type(&mut self, role_id: Id, kind: RoleType) -> Result<Vec<Id>> {
        let rows = self.query(
            "SELECT DISTINCT ur.user_id FROM user_roles ur
             JOIN user_roles other ON other.user_id = ur.user_id AND other.role_id <> ur.role_id
             JOIN roles r ON r.id = other.role_id
             WHERE ur.role_id = $1 AND r.role_type <> $2",
            &[&role_id, &kind.as_str()],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    fn email_taken(&mut self, email: &str, except: Option<Id>) -> Result<bool> {
        Ok(self
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM users WHERE nocase(email) = nocase($1)
                    AND id IS DISTINCT FROM $2)",
                &[&email, &except],
            )?
            .get(0))
    }

    fn role_name_taken(&mut self, customer: Id, name: &str, except: Option<Id>) -> Result<bool> {
        Ok(self
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM roles WHERE customer_id = $1
                    AND nocase(name) = nocase($2) AND id IS DISTINCT FROM $3)",
                &[&customer, &name, &except],
            )?
            .get(0))
    }

    fn camera_owner(&mut self, camera_id: Id) -> Result<Option<(String, Option<Id>)>> {
        let row = self.query_opt(
            "SELECT name, customer_id FROM cameras WHERE id = $1 FOR UPDATE",
            &[&camera_id],
        )?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    /// Only custom roles are added here, never with Share while the customer disables it
    /// (refused before), so the role is written as given.
    fn insert_role(&mut self, customer_id: Id, role: &Role, ts: &str) -> Result<Id> {
        let p = role.permissions;
        let id: Id = self
            .query_one(
                "INSERT INTO roles (customer_id, name, description, system, role_type,
                    all_cameras, perm_share, perm_ptz, perm_update_delete, perm_save_clip,
                    created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                &[
                    &customer_id,
                    &role.name.trim(),
                    &role.description,
                    &role.system.map(SystemRole::as_str),
                    &role.role_type.as_str(),
                    &role.all_cameras,
                    &p.share,
                    &p.ptz,
                    &p.update_delete,
                    &p.save_clip,
                    &ts,
                ],
            )
            .map_err(|e| unique(e, || role_name_taken(&role.name)))?
            .get(0);
        if !role.all_cameras {
            self.execute(
                "INSERT INTO role_cameras (role_id, camera_id)
                 SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
                &[&id, &role.camera_ids],
            )?;
        }
        Ok(id)
    }

    fn update_role(&mut self, role_id: Id, role: &Role, ts: &str) -> Result<()> {
        let p = role.permissions;
        self.execute(
            "UPDATE roles SET name = $1, description = $2, role_type = $3, all_cameras = $4,
                perm_share = $5, perm_ptz = $6, perm_update_delete = $7, perm_save_clip = $8,
                version = version + 1, updated_at = $9
             WHERE id = $10",
            &[
                &role.name,
                &role.description,
                &role.role_type.as_str(),
                &role.all_cameras,
                &p.share,
                &p.ptz,
                &p.update_delete,
                &p.save_clip,
                &ts,
                &role_id,
            ],
        )
        .map_err(|e| unique(e, || role_name_taken(&role.name)))?;
        self.execute("DELETE FROM role_cameras WHERE role_id = $1", &[&role_id])?;
        if !role.all_cameras {
            self.execute(
                "INSERT INTO role_cameras (role_id, camera_id)
                 SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
                &[&role_id, &role.camera_ids],
            )?;
        }
        Ok(())
    }

    fn delete_role(&mut self, role_id: Id) -> Result<()> {
        self.execute("DELETE FROM roles WHERE id = $1", &[&role_id])?;
        Ok(())
    }

    fn bump_user(&mut self, user_id: Id, ts: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET version = version + 1, updated_at = $1 WHERE id = $2",
            &[&ts, &user_id],
        )?;
        Ok(())
    }

    fn grant(&mut self, user_id: Id, role_ids: &[Id]) -> Result<()> {
        self.execute(
            "INSERT INTO user_roles (user_id, role_id)
             SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
            &[&user_id, &role_ids],
        )?;
        Ok(())
    }

    fn revoke(&mut self, user_id: Id, role_id: Id) -> Result<()> {
        self.execute(
            "DELETE FROM user_roles WHERE user_id = $1 AND role_id = $2",
            &[&user_id, &role_id],
        )?;
        Ok(())
    }

    fn insert_user(&mut self, customer_id: Id, user: &UserInsert<'_>, ts: &str) -> Result<Id> {
        let spec = user.spec;
        let id: Id = self
            .query_one(
                "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
                    must_confirm_email, must_change_password, blocked, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                &[
                    &customer_id,
                    &spec.first_name,
                    &spec.last_name,
                    &spec.email,
                    &user.password_hash,
                    &user.confirm_email,
                    &user.change_password,
                    &user.blocked,
                    &ts,
                ],
            )
            .map_err(|e| unique(e, || email_taken(&spec.email)))?
            .get(0);
        self.grant(id, &spec.role_ids)?;
        Ok(id)
    }

    fn update_user(&mut self, id: Id, spec: &NewUserSpec, confirm: bool, ts: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET first_name = $1, last_name = $2, email = $3,
                must_confirm_email = $4, version = version + 1, updated_at = $5
             WHERE id = $6",
            &[
                &spec.first_name,
                &spec.last_name,
                &spec.email,
                &confirm,
                &ts,
                &id,
            ],
        )
        .map_err(|e| unique(e, || email_taken(&spec.email)))?;
        self.execute("DELETE FROM user_roles WHERE user_id = $1", &[&id])?;
        self.grant(id, &spec.role_ids)
    }

    fn set_user_active(&mut self, user_id: Id, active: bool, ts: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET active = $1, version = version + 1, updated_at = $2 WHERE id = $3",
            &[&active, &ts, &user_id],
        )?;
        Ok(())
    }

    fn delete_user(&mut self, user_id: Id) -> Result<()> {
        self.execute("DELETE FROM users WHERE id = $1", &[&user_id])?;
        Ok(())
    }

    fn set_password(&mut self, id: Id, hash: &str, must_change: bool, ts: &str) -> Result<()> {
        self.execute(
            "UPDATE users SET password_hash = $1, must_change_password = $2,
                version = version + 1, updated_at = $3
             WHERE id = $4",
            &[&hash, &must_change, &ts, &id],
        )?;
        Ok(())
    }

    fn write_audit(&mut self, op: &Operator, e: AuditEntry<'_>) -> Result<Id> {
        audit(self, op, e.action, Some(e.customer), e.summary, e.details)
    }
}
