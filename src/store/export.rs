//! Export and import of whole customers for the command line: the file format (references by
//! name and MAC address, never by id, so a file can go into any store), the reads that fill it,
//! and the one transaction that writes an import, through the same insert the wizard uses.

pub(crate) mod import;
pub(crate) mod rows;

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use std::io::Write as _;

use super::inventory::PlanSpec;
use super::{Result, Store, StoreError, pg};
use crate::domain::{
    Address, CameraSpec, Contact, CustomerType, Id, PaymentTerms, Permissions, RoleType, Status,
    SystemRole, UserCreation,
};

pub use import::to_new_customer;
use rows::*;

/// The `format` of an export file.
pub const FORMAT: &str = "admin-portal.customers";
/// The version of the file format this program writes and reads.
pub const VERSION: u32 = 1;

/// A customers export: the plans they name, then the customers, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportFile {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub plans: Vec<PlanSpec>,
    pub customers: Vec<ExportCustomer>,
}

/// One customer, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportCustomer {
    pub kind: CustomerType,
    /// The sub-integrator it is under, by name; none for the integrator itself.
    #[serde(default)]
    pub parent: Option<String>,
    pub contact: Contact,
    pub defaults: ExportDefaults,
    pub user_creation: UserCreation,
    pub billing: ExportBilling,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub disabled_by_parent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default)]
    pub cameras: Vec<ExportCamera>,
    #[serde(default)]
    pub roles: Vec<ExportRole>,
    #[serde(default)]
    pub users: Vec<ExportUser>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExportDefaults {
    #[serde(default)]
    pub disable_admin_portal: bool,
    #[serde(default)]
    pub disable_camera_share: bool,
    /// The customer's recording plan (what its cameras without a plan of their own record), by
    /// name.
    #[serde(default)]
    pub default_plan: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportBilling {
    pub same_as_company: bool,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: Address,
    #[serde(default)]
    pub tax_id: String,
    #[serde(default)]
    pub tax_exempt: bool,
    #[serde(default)]
    pub terms: PaymentTerms,
    /// Retired: files of earlier versions had a billing plan beside the recording plan. Read,
    /// never written; it becomes the recording plan (`defaults.default_plan`) when that is empty.
    /// The bill is the sum of the cameras' recording plans.
    #[serde(default, skip_serializing)]
    pub plan: Option<String>,
}

impl Default for ExportBilling {
    fn default() -> Self {
        Self {
            same_as_company: true,
            contact: String::new(),
            email: String::new(),
            phone: String::new(),
            address: Address::default(),
            tax_id: String::new(),
            tax_exempt: false,
            terms: PaymentTerms::default(),
            plan: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportCamera {
    pub name: String,
    pub mac: String,
    pub serial: String,
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub location: String,
    /// The camera's own recording plan, by name; none: the customer's (`defaults.default_plan`).
    #[serde(default)]
    pub plan: Option<String>,
    #[serde(default = "yes")]
    pub recording: bool,
    /// While its customer is disabled: the state to restore on enable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_before_disable: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRole {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<SystemRole>,
    pub role_type: RoleType,
    pub all_cameras: bool,
    /// With `all_cameras` off: the cameras by MAC address.
    #[serde(default)]
    pub cameras: Vec<String>,
    #[serde(default)]
    pub permissions: Permissions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportUser {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Role names of the same customer.
    pub roles: Vec<String>,
    #[serde(default = "yes")]
    pub must_confirm_email: bool,
    #[serde(default = "yes")]
    pub must_change_password: bool,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub blocked: bool,
    /// Only in exports made with `--include-secrets`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

fn yes() -> bool {
    true
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub customers: usize,
    pub cameras: usize,
    pub roles: usize,
    pub users: usize,
    pub plans_created: usize,
}

/// One camera of a CSV inventory import, already validated and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryCamera {
    pub spec: CameraSpec,
    /// Link to this customer (by exact name).
    pub customer: Option<String>,
    pub plan: Option<String>,
    pub recording: bool,
}

/// Where a camera of an imported customer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraSource {
    /// Registered, unlinked: link it.
    Existing(Id),
    /// Not registered: register it.
    New,
}

impl Store {
    /// The id of a customer given as an id or an exact name (case-insensitive).
    pub fn find_customer(&self, id_or_name: &str) -> Result<Option<Id>> {
        let text = id_or_name.trim();
        if self.is_postgres() {
            return self.pg_read(|c| pg::export::find_customer(c, text));
        }
        if let Ok(id) = text.parse::<Id>() {
            let found: Option<Id> = self
                .conn()?
                .query_row("SELECT id FROM customers WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(self
            .conn()?
            .query_row(
                "SELECT id FROM customers WHERE name = ?1 COLLATE NOCASE",
                [text],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every customer id, by name.
    pub fn customer_ids_by_name(&self) -> Result<Vec<Id>> {
        if self.is_postgres() {
            return self.pg_read(pg::export::customer_ids_by_name);
        }
        let mut stmt = self
            .conn()?
            .prepare("SELECT id FROM customers ORDER BY name COLLATE NOCASE, id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The most recent archive of a deleted customer named `name`, not restored yet.
    pub fn latest_archive_named(&self, name: &str) -> Result<Option<Id>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::export::latest_archive_named(c, name.trim()));
        }
        Ok(self
            .conn()?
            .query_row(
                "SELECT id FROM archive WHERE name = ?1 COLLATE NOCASE AND restored_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The customers named by `ids` as an export file; password hashes only with `secrets`.
    pub fn export_customers(&self, ids: &[Id], secrets: bool) -> Result<ExportFile> {
        self.export_stream(Some(ids), secrets, |plans, customers| {
            Ok(ExportFile {
                format: FORMAT.into(),
                version: VERSION,
                plans,
                customers: customers.collect::<Result<_>>()?,
            })
        })?
    }

    /// An export read as a stream: `write` gets the plans the customers name, then the customers
    /// one at a time, all read in one read transaction (one snapshot). `ids` `None` is every
    /// customer by name (as [`Store::customer_ids_by_name`] orders them), else those given, in
    /// their order. Nothing is held but the customer being handed out.
    ///
    /// Every customer costs no query of its own: with `None` the customers (with billing and
    /// parent), their cameras, roles (with their cameras' MACs) and users (with their roles'
    /// names) are four passes over the tables, each in the customers' order, merged here one
    /// customer at a time (100,000 customers: 110 s and 1.2 GB with seven queries a customer
    /// and the whole file in memory; now a few seconds and a few MB). With `ids` the same four
    /// queries run for each customer.
    pub fn export_stream<T>(
        &self,
        ids: Option<&[Id]>,
        secrets: bool,
        write: impl FnOnce(Vec<PlanSpec>, &mut dyn Iterator<Item = Result<ExportCustomer>>) -> T,
    ) -> Result<T> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::export::stream(c, ids, secrets, write));
        }
        // One snapshot for the plans and all four passes (unless the caller holds one already).
        let _snapshot = if self.conn()?.is_autocommit() {
            Some(self.conn()?.unchecked_transaction()?)
        } else {
            None
        };
        let plans = self.plans()?;
        let used = self.plans_used(ids)?;
        let plan_name: HashMap<Id, String> = plans.iter().map(|p| (p.id, p.name.clone())).collect();
        let plan_specs: Vec<PlanSpec> = plans
            .iter()
            .filter(|p| used.contains(&p.id))
            .map(PlanSpec::from)
            .collect();

        let only = if ids.is_some() { "WHERE c.id = ?1" } else { "" };
        let conn = self.conn()?;
        let mut customers = conn.prepare(&format!("{EXPORT_CUSTOMERS} {only} {BY_NAME}"))?;
        let mut cameras = conn.prepare(&format!("{EXPORT_CAMERAS} {only} {BY_NAME}, cam.mac"))?;
        let mut roles = conn.prepare(&format!(
            "{EXPORT_ROLES} {only} {BY_NAME},
             CASE r.system WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, r.name"
        ))?;
        let mut users = conn.prepare(&format!("{EXPORT_USERS} {only} {BY_NAME}, u.email"))?;
        let plan_name = &plan_name;
        let user_row = move |r: &rusqlite::Row<'_>| user_row(r, secrets);

        let out = match ids {
            None => {
                let mut camera_rows =
                    Pass::new(cameras.query_map([], |r| camera_row(r, plan_name))?);
                let mut role_rows = Pass::new(roles.query_map([], |r| role_row(r))?);
                let mut user_rows = Pass::new(users.query_map([], user_row)?);
                let mut all = customers
                    .query_map([], |r| customer_row(r, plan_name))?
                    .map(|row| {
                        let (id, mut c) = row?;
                        c.cameras = camera_rows.take(id)?;
                        c.roles = role_rows.take(id)?;
                        c.users = user_rows.take(id)?;
                        Ok(c)
                    });
                write(plan_specs, &mut all)
            }
            Some(ids) => {
                let mut each = ids.iter().map(|&id| {
                    let (_, mut c) = customers
                        .query_row([id], |r| customer_row(r, plan_name))
                        .optional()?
                        .ok_or_else(|| StoreError::NotFound(format!("customer #{id}")))?;
                    c.cameras = Pass::new(cameras.query_map([id], |r| camera_row(r, plan_name))?)
                        .take(id)?;
                    c.roles = Pass::new(roles.query_map([id], |r| role_row(r))?).take(id)?;
                    c.users = Pass::new(users.query_map([id], user_row)?).take(id)?;
                    Ok(c)
                });
                write(plan_specs, &mut each)
            }
        };
        Ok(out)
    }

    /// The ids of the plans the exported customers name: the recording plan or the plan of one
    /// of their cameras.
    fn plans_used(&self, ids: Option<&[Id]>) -> Result<Vec<Id>> {
        let mut used = Vec::new();
        match ids {
            None => {
                let mut stmt = self.conn()?.prepare(
                    "SELECT p.id FROM plans p
                     WHERE EXISTS (SELECT 1 FROM customers WHERE default_plan_id = p.id)
                        OR EXISTS (SELECT 1 FROM cameras
                                   WHERE plan_id = p.id AND customer_id IS NOT NULL)",
                )?;
                for id in stmt.query_map([], |r| r.get::<_, Id>(0))? {
                    used.push(id?);
                }
            }
            Some(ids) => {
                let mut stmt = self.conn()?.prepare(
                    "SELECT default_plan_id FROM customers WHERE id = ?1
                     UNION SELECT plan_id FROM cameras WHERE customer_id = ?1",
                )?;
                for &customer in ids {
                    for id in stmt.query_map([customer], |r| r.get::<_, Option<Id>>(0))? {
                        if let Some(id) = id?
                            && !used.contains(&id)
                        {
                            used.push(id);
                        }
                    }
                }
            }
        }
        Ok(used)
    }
}

/// Writes an export as JSON, one customer at a time, byte for byte what
/// `serde_json::to_string_pretty` of the whole [`ExportFile`] and a newline would be (the same
/// serializer drives it, the customers array filled from the stream). Returns how many customers
/// it wrote; an error of the stream ends it.
pub fn write_json(
    out: &mut dyn std::io::Write,
    plans: &[PlanSpec],
    customers: &mut dyn Iterator<Item = Result<ExportCustomer>>,
) -> std::io::Result<usize> {
    use serde::ser::{Error as _, SerializeSeq};
    use std::cell::{Cell, RefCell};

    struct Stream<'a, 'i> {
        customers: RefCell<&'a mut (dyn Iterator<Item = Result<ExportCustomer>> + 'i)>,
        failed: RefCell<Option<StoreError>>,
        written: Cell<usize>,
    }
    impl Serialize for Stream<'_, '_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            let mut seq = s.serialize_seq(None)?;
            for c in &mut **self.customers.borrow_mut() {
                match c {
                    Ok(c) => seq.serialize_element(&c)?,
                    Err(e) => {
                        let message = e.to_string();
                        *self.failed.borrow_mut() = Some(e);
                        return Err(S::Error::custom(message));
                    }
                }
                self.written.set(self.written.get() + 1);
            }
            seq.end()
        }
    }
    /// The fields of [`ExportFile`], in its order.
    #[derive(Serialize)]
    struct File<'a, 'b, 'i> {
        format: &'static str,
        version: u32,
        plans: &'a [PlanSpec],
        customers: &'a Stream<'b, 'i>,
    }

    let stream = Stream {
        customers: RefCell::new(customers),
        failed: RefCell::new(None),
        written: Cell::new(0),
    };
    let file = File {
        format: FORMAT,
        version: VERSION,
        plans,
        customers: &stream,
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    if let Err(e) = serde_json::to_writer_pretty(&mut out, &file) {
        return Err(match stream.failed.into_inner() {
            Some(failed) => std::io::Error::other(failed),
            None => e.into(),
        });
    }
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(stream.written.get())
}
