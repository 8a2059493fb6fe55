//! Where a fill's rows go: [`Sink`] is what the generator (`fill`) writes through, so the same
//! seed draws the same data on both stores and only the writing differs. [`SqliteSink`] runs one
//! cached statement a row (ids from `last_insert_rowid`); `store::pg::demo` gathers a batch's
//! rows and writes them with `COPY`.

use rusqlite::{Transaction, params};

use crate::domain::{CustomerProfile, Id, Role};
use crate::store::Result;
use crate::store::customers::{insert_role, write_billing};

/// One camera row of the fill.
pub(crate) struct CameraRow<'a> {
    pub name: &'a str,
    pub mac: &'a str,
    pub serial: &'a str,
    pub model: &'a str,
    pub location: &'a str,
    pub customer: Option<Id>,
    pub plan: Option<Id>,
    pub recording: bool,
    pub before: Option<bool>,
    pub at: &'a str,
}

/// One user row of the fill.
pub(crate) struct UserRow<'a> {
    pub customer: Id,
    pub first: &'a str,
    pub last: &'a str,
    pub email: &'a str,
    pub hash: &'a str,
    pub confirm: bool,
    pub change: bool,
    pub active: bool,
    pub blocked: bool,
    pub at: &'a str,
}

/// One audit entry of the fill, written by the operator `demo` with no client address.
pub(crate) struct AuditRow<'a> {
    pub at: &'a str,
    pub action: &'a str,
    pub customer: Option<(Id, &'a str)>,
    pub summary: &'a str,
    pub details: &'a str,
}

/// What a fill writes, row by row; each insert returns the new row's id.
pub(crate) trait Sink {
    /// How many customers the store has (a fill refuses a store with customers).
    fn customers_present(&mut self) -> Result<i64>;
    /// The MAC and the ASCII-lower-cased serial of every camera already registered.
    fn cameras_present(&mut self) -> Result<Vec<(String, String)>>;
    /// Adds the plan unless one of that name exists; whether it was added, and its id.
    fn plan(&mut self, plan: &(&str, i64, &str, i64), at: &str) -> Result<(bool, Id)>;
    /// The customer's row with its profile, and its billing row.
    fn customer(
        &mut self,
        p: &CustomerProfile,
        status: &str,
        by_parent: bool,
        at: &str,
    ) -> Result<Id>;
    fn camera(&mut self, cam: &CameraRow<'_>) -> Result<Id>;
    /// A role with its cameras; Share is dropped where the customer disables camera share.
    fn role(&mut self, customer: Id, role: &Role, at: &str) -> Result<Id>;
    fn user(&mut self, user: &UserRow<'_>) -> Result<Id>;
    fn grant(&mut self, user: Id, role: Id) -> Result<()>;
    fn audit(&mut self, entry: &AuditRow<'_>) -> Result<()>;
}

/// The SQLite side: the statements of one transaction.
pub(crate) struct SqliteSink<'a, 't>(pub &'a Transaction<'t>);

impl Sink for SqliteSink<'_, '_> {
    fn customers_present(&mut self) -> Result<i64> {
        Ok(self
            .0
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
    }

    fn cameras_present(&mut self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.0.prepare("SELECT mac, lower(serial) FROM cameras")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn plan(&mut self, plan: &(&str, i64, &str, i64), at: &str) -> Result<(bool, Id)> {
        let (name, days, mode, cents) = *plan;
        let added = self
            .0
            .prepare_cached(
                "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'USD', ?5, ?5) ON CONFLICT (name) DO NOTHING",
            )?
            .execute(params![name, days, mode, cents, at])?;
        let id = self
            .0
            .prepare_cached("SELECT id FROM plans WHERE name = ?1")?
            .query_row([name], |r| r.get(0))?;
        Ok((added > 0, id))
    }

    fn customer(
        &mut self,
        p: &CustomerProfile,
        status: &str,
        by_parent: bool,
        at: &str,
    ) -> Result<Id> {
        let c = &p.contact;
        let a = &c.address;
        self.0
            .prepare_cached(
                "INSERT INTO customers (kind, parent_id, name, contact_first, contact_last, email,
                    phone, address1, address2, city, state, postal_code, country, time_zone,
                    reference, notes, disable_admin_portal, disable_camera_share, default_plan_id,
                    confirm_email, change_password, status, disabled_by_parent, created_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?24)",
            )?
            .execute(params![
                p.kind.as_str(),
                p.parent_id,
                c.company,
                c.first_name,
                c.last_name,
                c.email,
                c.phone,
                a.line1,
                a.line2,
                a.city,
                a.state,
                a.postal_code,
                a.country,
                c.time_zone,
                c.reference,
                c.notes,
                p.defaults.disable_admin_portal,
                p.defaults.disable_camera_share,
                p.defaults.default_plan_id,
                p.user_creation.confirm_email,
                p.user_creation.change_password,
                status,
                by_parent,
                at
            ])?;
        let id = self.0.last_insert_rowid();
        write_billing(self.0, id, &p.billing)?;
        Ok(id)
    }

    fn camera(&mut self, cam: &CameraRow<'_>) -> Result<Id> {
        self.0
            .prepare_cached(
                "INSERT INTO cameras (name, mac, serial, model, location, customer_id, plan_id,
                    recording, recording_before_disable, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            )?
            .execute(params![
                cam.name,
                cam.mac,
                cam.serial,
                cam.model,
                cam.location,
                cam.customer,
                cam.plan,
                cam.recording,
                cam.before,
                cam.at
            ])?;
        Ok(self.0.last_insert_rowid())
    }

    fn role(&mut self, customer: Id, role: &Role, at: &str) -> Result<Id> {
        insert_role(self.0, customer, role, at)
    }

    fn user(&mut self, u: &UserRow<'_>) -> Result<Id> {
        self.0
            .prepare_cached(
                "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
                    must_confirm_email, must_change_password, active, blocked, created_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            )?
            .execute(params![
                u.customer, u.first, u.last, u.email, u.hash, u.confirm, u.change, u.active,
                u.blocked, u.at
            ])?;
        Ok(self.0.last_insert_rowid())
    }

    fn grant(&mut self, user: Id, role: Id) -> Result<()> {
        self.0
            .prepare_cached("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?
            .execute(params![user, role])?;
        Ok(())
    }

    fn audit(&mut self, e: &AuditRow<'_>) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO audit (at, operator, action, customer_id, customer_name, summary,
                    details)
                 VALUES (?1, 'demo', ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                e.at,
                e.action,
                e.customer.map(|c| c.0),
                e.customer.map(|c| c.1),
                e.summary,
                e.details
            ])?;
        Ok(())
    }
}
