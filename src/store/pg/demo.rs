//! The demo fill on PostgreSQL (`store::demo` holds the generator and the SQLite side). The
//! generator draws exactly what it draws for SQLite (same seed, same rows, same ids); here its
//! rows are gathered per batch and written with one `COPY` per table, the whole fill in the one
//! write transaction. Ids are handed out from each table's identity sequence as SQLite's
//! AUTOINCREMENT would (next after the last given), and the sequence is moved past them when
//! the batch is written, under the write lock, so no other writer of the store takes them.
//! The count triggers (`camera_count`, `user_count`) and the audit notification fire as usual.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;

use postgres::Transaction;

use crate::domain::{CustomerProfile, Id, Role, SystemRole};
use crate::store::demo::sink::{AuditRow, CameraRow, Sink, UserRow};
use crate::store::demo::{Filler, steps};
use crate::store::{Result, StoreError};

/// The whole fill in the caller's write transaction.
pub(crate) fn fill(
    tx: &mut Transaction<'_>,
    filler: &mut Filler,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    let mut sink = PgSink::new(tx)?;
    filler.start(&mut sink)?;
    progress(&format!(
        "plans {}/{}",
        filler.report.plans,
        crate::store::demo::PLAN_COUNT
    ));
    steps(filler, progress, |filler, step| {
        filler.step(&mut sink, step)?;
        sink.flush()
    })
}

/// A table the fill writes, its columns, and the rows gathered for it (`COPY` text format).
struct Table {
    name: &'static str,
    columns: &'static str,
    /// The identity column's next id, when the table has one.
    next: Option<Id>,
    rows: String,
}

impl Table {
    fn new(name: &'static str, columns: &'static str) -> Table {
        Table {
            name,
            columns,
            next: None,
            rows: String::new(),
        }
    }
}

/// The tables in the order a batch writes them (parents first).
const CUSTOMERS: usize = 0;
const BILLING: usize = 1;
const CAMERAS: usize = 2;
const ROLES: usize = 3;
const ROLE_CAMERAS: usize = 4;
const USERS: usize = 5;
const USER_ROLES: usize = 6;
const AUDIT: usize = 7;

struct PgSink<'a, 't> {
    tx: &'a mut Transaction<'t>,
    tables: Vec<Table>,
    /// Whether each customer of the fill disables camera share (its roles lose Share).
    share_disabled: HashMap<Id, bool>,
}

/// One value in `COPY`'s text format.
trait CopyValue {
    fn put(&self, out: &mut String);
}

impl CopyValue for &str {
    fn put(&self, out: &mut String) {
        for ch in self.chars() {
            match ch {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
}

impl CopyValue for String {
    fn put(&self, out: &mut String) {
        self.as_str().put(out);
    }
}

impl CopyValue for bool {
    fn put(&self, out: &mut String) {
        out.push(if *self { 't' } else { 'f' });
    }
}

impl CopyValue for Id {
    fn put(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl<T: CopyValue> CopyValue for Option<T> {
    fn put(&self, out: &mut String) {
        match self {
            Some(v) => v.put(out),
            None => out.push_str("\\N"),
        }
    }
}

/// Appends one row of `COPY` text.
fn line(out: &mut String, values: &[&dyn CopyValue]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        v.put(out);
    }
    out.push('\n');
}

impl<'a, 't> PgSink<'a, 't> {
    fn new(tx: &'a mut Transaction<'t>) -> Result<Self> {
        let tables = vec![
            Table::new(
                "customers",
                "id, kind, parent_id, name, contact_first, contact_last, email, phone, \
                 address1, address2, city, state, postal_code, country, time_zone, reference, \
                 notes, disable_admin_portal, disable_camera_share, default_plan_id, \
                 confirm_email, change_password, status, disabled_by_parent, created_at, \
                 updated_at",
            ),
            Table::new(
                "billing",
                "customer_id, same_as_company, contact, email, phone, address1, address2, city, \
                 state, postal_code, country, tax_id, tax_exempt, terms",
            ),
            Table::new(
                "cameras",
                "id, name, mac, serial, model, location, customer_id, plan_id, recording, \
                 recording_before_disable, created_at, updated_at",
            ),
            Table::new(
                "roles",
                "id, customer_id, name, description, system, role_type, all_cameras, \
                 perm_share, perm_ptz, perm_update_delete, perm_save_clip, created_at, updated_at",
            ),
            Table::new("role_cameras", "role_id, camera_id"),
            Table::new(
                "users",
                "id, customer_id, first_name, last_name, email, password_hash, \
                 must_confirm_email, must_change_password, active, blocked, created_at, \
                 updated_at",
            ),
            Table::new("user_roles", "user_id, role_id"),
            Table::new(
                "audit",
                "id, at, operator, action, customer_id, customer_name, summary, details",
            ),
        ];
        let mut sink = PgSink {
            tx,
            tables,
            share_disabled: HashMap::new(),
        };
        sink.read_sequences()?;
        Ok(sink)
    }

    /// The next id of each table with an identity column: after the last one handed out.
    fn read_sequences(&mut self) -> Result<()> {
        for t in &mut self.tables {
            if !t.columns.starts_with("id,") {
                continue;
            }
            let last: Option<i64> = self
                .tx
                .query_one(
                    "SELECT pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass)",
                    &[&t.name],
                )?
                .get(0);
            t.next = Some(last.map_or(1, |v| v + 1));
        }
        Ok(())
    }

    /// The next id of table `t`.
    fn id(&mut self, t: usize) -> Result<Id> {
        let table = &mut self.tables[t];
        let name = table.name;
        let next = table
            .next
            .as_mut()
            .ok_or_else(|| StoreError::Refused(format!("{name} has no id")))?;
        let id = *next;
        *next += 1;
        Ok(id)
    }

    /// Writes the gathered rows, table by table, and moves each sequence past the ids given.
    fn flush(&mut self) -> Result<()> {
        for t in &mut self.tables {
            if t.rows.is_empty() {
                continue;
            }
            let mut copy = self
                .tx
                .copy_in(&format!("COPY {} ({}) FROM STDIN", t.name, t.columns))?;
            copy.write_all(t.rows.as_bytes())
                .map_err(|e| StoreError::Postgres(format!("COPY {}: {e}", t.name)))?;
            copy.finish()?;
            t.rows.clear();
            if let Some(next) = t.next {
                self.tx.execute(
                    "SELECT setval(pg_get_serial_sequence($1, 'id')::regclass, $2)",
                    &[&t.name, &(next - 1)],
                )?;
            }
        }
        Ok(())
    }
}

impl Sink for PgSink<'_, '_> {
    fn customers_present(&mut self) -> Result<i64> {
        Ok(self
            .tx
            .query_one("SELECT count(*) FROM customers", &[])?
            .get(0))
    }

    fn cameras_present(&mut self) -> Result<Vec<(String, String)>> {
        let rows = self
            .tx
            .query("SELECT mac, nocase(serial) FROM cameras", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn plan(&mut self, plan: &(&str, i64, &str, i64), at: &str) -> Result<(bool, Id)> {
        let (name, days, mode, cents) = *plan;
        let added = self.tx.execute(
            "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at,
                updated_at)
             VALUES ($1, $2, $3, $4, 'USD', $5, $5) ON CONFLICT DO NOTHING",
            &[&name, &days, &mode, &cents, &at],
        )?;
        let id = self
            .tx
            .query_one(
                "SELECT id FROM plans WHERE nocase(name) = nocase($1)",
                &[&name],
            )?
            .get(0);
        Ok((added > 0, id))
    }

    fn customer(
        &mut self,
        p: &CustomerProfile,
        status: &str,
        by_parent: bool,
        at: &str,
    ) -> Result<Id> {
        let id = self.id(CUSTOMERS)?;
        let (c, d) = (&p.contact, &p.defaults);
        let a = &c.address;
        self.share_disabled.insert(id, d.disable_camera_share);
        line(
            &mut self.tables[CUSTOMERS].rows,
            &[
                &id,
                &p.kind.as_str(),
                &p.parent_id,
                &c.company,
                &c.first_name,
                &c.last_name,
                &c.email,
                &c.phone,
                &a.line1,
                &a.line2,
                &a.city,
                &a.state,
                &a.postal_code,
                &a.country,
                &c.time_zone,
                &c.reference,
                &c.notes,
                &d.disable_admin_portal,
                &d.disable_camera_share,
                &d.default_plan_id,
                &p.user_creation.confirm_email,
                &p.user_creation.change_password,
                &status,
                &by_parent,
                &at,
                &at,
            ],
        );
        let b = &p.billing;
        let a = &b.address;
        line(
            &mut self.tables[BILLING].rows,
            &[
                &id,
                &b.same_as_company,
                &b.contact,
                &b.email,
                &b.phone,
                &a.line1,
                &a.line2,
                &a.city,
                &a.state,
                &a.postal_code,
                &a.country,
                &b.tax_id,
                &b.tax_exempt,
                &b.terms.as_str(),
            ],
        );
        Ok(id)
    }

    fn camera(&mut self, cam: &CameraRow<'_>) -> Result<Id> {
        let id = self.id(CAMERAS)?;
        line(
            &mut self.tables[CAMERAS].rows,
            &[
                &id,
                &cam.name,
                &cam.mac,
                &cam.serial,
                &cam.model,
                &cam.location,
                &cam.customer,
                &cam.plan,
                &cam.recording,
                &cam.before,
                &cam.at,
                &cam.at,
            ],
        );
        Ok(id)
    }

    fn role(&mut self, customer: Id, role: &Role, at: &str) -> Result<Id> {
        let id = self.id(ROLES)?;
        let mut perms = role.permissions;
        // As `customers::insert_role`: "disable camera share" forbids Share in every role.
        if self.share_disabled.get(&customer).copied().unwrap_or(false) {
            perms.share = false;
        }
        line(
            &mut self.tables[ROLES].rows,
            &[
                &id,
                &customer,
                &role.name.trim(),
                &role.description,
                &role.system.map(SystemRole::as_str),
                &role.role_type.as_str(),
                &role.all_cameras,
                &perms.share,
                &perms.ptz,
                &perms.update_delete,
                &perms.save_clip,
                &at,
                &at,
            ],
        );
        if !role.all_cameras {
            for cam in &role.camera_ids {
                line(&mut self.tables[ROLE_CAMERAS].rows, &[&id, cam]);
            }
        }
        Ok(id)
    }

    fn user(&mut self, u: &UserRow<'_>) -> Result<Id> {
        let id = self.id(USERS)?;
        line(
            &mut self.tables[USERS].rows,
            &[
                &id,
                &u.customer,
                &u.first,
                &u.last,
                &u.email,
                &u.hash,
                &u.confirm,
                &u.change,
                &u.active,
                &u.blocked,
                &u.at,
                &u.at,
            ],
        );
        Ok(id)
    }

    fn grant(&mut self, user: Id, role: Id) -> Result<()> {
        line(&mut self.tables[USER_ROLES].rows, &[&user, &role]);
        Ok(())
    }

    fn audit(&mut self, e: &AuditRow<'_>) -> Result<()> {
        let id = self.id(AUDIT)?;
        line(
            &mut self.tables[AUDIT].rows,
            &[
                &id,
                &e.at,
                &"demo",
                &e.action,
                &e.customer.map(|c| c.0),
                &e.customer.map(|c| c.1),
                &e.summary,
                &e.details,
            ],
        );
        Ok(())
    }
}
