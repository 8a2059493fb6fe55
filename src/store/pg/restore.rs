//! Restoring a deleted customer on PostgreSQL: the SQL of `store::restore`'s [`RestoreTx`];
//! the steps, checks, notes and the audit entry are there, written once.

use postgres::Transaction;
use postgres::types::ToSql;

use crate::domain::{Customer, Id, Operator, SystemRole};
use crate::store::customers::{ArchivedCamera, ArchivedRole, ArchivedUser, AuditLine};
use crate::store::restore::{RestoreTx, Restored};
use crate::store::{Result, now};

struct Pg<'a, 'b>(&'a mut Transaction<'b>);

impl Pg<'_, '_> {
    fn exists(&mut self, sql: &str, arg: &(dyn ToSql + Sync)) -> Result<bool> {
        Ok(self.0.query_one(sql, &[arg])?.get(0))
    }
}

impl RestoreTx for Pg<'_, '_> {
    fn archive_row(&mut self, archive_id: Id) -> Result<Option<(String, Option<String>)>> {
        let row = self.0.query_opt(
            "SELECT data::text, restored_at FROM archive WHERE id = $1 FOR UPDATE",
            &[&archive_id],
        )?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    fn name_used(&mut self, name: &str) -> Result<bool> {
        self.exists(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE nocase(name) = nocase($1))",
            &name,
        )
    }

    fn id_used(&mut self, id: Id) -> Result<bool> {
        self.exists("SELECT EXISTS (SELECT 1 FROM customers WHERE id = $1)", &id)
    }

    fn email_used(&mut self, email: &str) -> Result<bool> {
        self.exists(
            "SELECT EXISTS (SELECT 1 FROM users WHERE nocase(email) = nocase($1))",
            &email,
        )
    }

    fn is_integrator(&mut self, id: Id) -> Result<bool> {
        self.exists(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = $1 AND kind = 'integrator')",
            &id,
        )
    }

    fn plan_exists(&mut self, id: Id) -> Result<bool> {
        self.exists("SELECT EXISTS (SELECT 1 FROM plans WHERE id = $1)", &id)
    }

    fn insert_customer(&mut self, c: &Customer) -> Result<()> {
        insert_customer_row(self.0, c)
    }

    fn relink(&mut self, customer_id: Id, cam: &ArchivedCamera, plan: Option<Id>) -> Result<bool> {
        let n = self.0.execute(
            "UPDATE cameras SET customer_id = $1, plan_id = $2, recording = $3,
                    recording_before_disable = $4, version = version + 1, updated_at = $5
             WHERE id = $6 AND customer_id IS NULL",
            &[
                &customer_id,
                &plan,
                &cam.recording,
                &cam.recording_before_disable,
                &now(),
                &cam.id,
            ],
        )?;
        Ok(n == 1)
    }

    fn insert_role(
        &mut self,
        customer_id: Id,
        archived: &ArchivedRole,
        camera_ids: &[Id],
    ) -> Result<()> {
        let role = &archived.role;
        let perms = role.permissions;
        self.0.execute(
            "INSERT INTO roles (id, customer_id, name, description, system, role_type,
                all_cameras, perm_share, perm_ptz, perm_update_delete, perm_save_clip,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
            &[
                &archived.id,
                &customer_id,
                &role.name,
                &role.description,
                &role.system.map(SystemRole::as_str),
                &role.role_type.as_str(),
                &role.all_cameras,
                &perms.share,
                &perms.ptz,
                &perms.update_delete,
                &perms.save_clip,
                &now(),
            ],
        )?;
        if !role.all_cameras {
            self.0.execute(
                "INSERT INTO role_cameras (role_id, camera_id) SELECT $1, unnest($2::bigint[])",
                &[&archived.id, &camera_ids],
            )?;
        }
        Ok(())
    }

    fn insert_user(&mut self, customer_id: Id, u: &ArchivedUser, role_ids: &[Id]) -> Result<()> {
        self.0.execute(
            "INSERT INTO users (id, customer_id, first_name, last_name, email, password_hash,
                must_confirm_email, must_change_password, active, blocked, created_at,
                updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                &u.id,
                &customer_id,
                &u.first_name,
                &u.last_name,
                &u.email,
                &u.password_hash,
                &u.must_confirm_email,
                &u.must_change_password,
                &u.active,
                &u.blocked,
                &u.created_at,
                &now(),
            ],
        )?;
        self.0.execute(
            "INSERT INTO user_roles (user_id, role_id) SELECT $1, unnest($2::bigint[])",
            &[&u.id, &role_ids],
        )?;
        Ok(())
    }

    fn mark_restored(&mut self, archive_id: Id) -> Result<()> {
        self.0.execute(
            "UPDATE archive SET restored_at = $2 WHERE id = $1",
            &[&archive_id, &now()],
        )?;
        Ok(())
    }

    fn audit(&mut self, op: &Operator, line: &AuditLine) -> Result<Id> {
        line.write_pg(self.0, op)
    }
}

/// The customer row with its original id and creation time (`restore::insert_customer_row`),
/// then its billing.
fn insert_customer_row(tx: &mut Transaction<'_>, c: &Customer) -> Result<()> {
    let p = &c.profile;
    let k = &p.contact;
    let a = &k.address;
    let d = &p.defaults;
    tx.execute(
        "INSERT INTO customers (id, kind, parent_id, name, contact_first, contact_last, email,
            phone, address1, address2, city, state, postal_code, country, time_zone, reference,
            notes, disable_admin_portal, disable_camera_share, default_plan_id, confirm_email,
            change_password, status, disabled_by_parent, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
            $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)",
        &[
            &c.id,
            &p.kind.as_str(),
            &p.parent_id,
            &k.company.trim(),
            &k.first_name,
            &k.last_name,
            &k.email,
            &k.phone,
            &a.line1,
            &a.line2,
            &a.city,
            &a.state,
            &a.postal_code,
            &a.country,
            &k.time_zone,
            &k.reference,
            &k.notes,
            &d.disable_admin_portal,
            &d.disable_camera_share,
            &d.default_plan_id,
            &p.user_creation.confirm_email,
            &p.user_creation.change_password,
            &c.status.as_str(),
            &c.disabled_by_parent,
            // A screen still holding the version from before the delete must not save over it.
            &(c.version + 1),
            &c.created_at,
            &now(),
        ],
    )?;
    super::customers::write_billing(tx, c.id, &p.billing)
}

pub(crate) fn restore(tx: &mut Transaction<'_>, archive_id: Id, op: &Operator) -> Result<Restored> {
    crate::store::restore::restore(&mut Pg(tx), archive_id, op)
}
