//! Export and import of whole customers for the command line: the file format (references by
//! name and MAC address, never by id, so a file can go into any store), the reads that fill it,
//! and the one transaction that writes an import, through the same insert the wizard uses.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use std::io::Write as _;

use super::customers::insert_customer;
use super::inventory::PlanSpec;
use super::{Result, Store, StoreError, audit, is_unique_violation, now};
use crate::domain::validate::{
    normalize_camera, normalize_mac, normalize_new_user, normalize_profile, normalize_role,
};
use crate::domain::{
    Address, Billing, CameraSpec, Contact, CustomerProfile, CustomerType, DefaultSettings, Id,
    NewCustomer, NewUser, Operator, PaymentTerms, Permissions, Role, RoleType, Status, SystemRole,
    UserCreation,
};

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

/// The wizard's `NewCustomer` for an exported customer, normalised as the screens save it.
/// `parent_id` and `plan_id` resolve names; `camera` says where each camera (by normalised MAC)
/// comes from. The Owner and Admin system roles are added when the file has none.
pub fn to_new_customer(
    c: &ExportCustomer,
    parent_id: Option<Id>,
    plan_id: &dyn Fn(&str) -> Option<Id>,
    camera: &dyn Fn(&str) -> CameraSource,
) -> NewCustomer {
    let plan = |name: Option<&String>| name.map(String::as_str).and_then(plan_id);
    let mut profile = CustomerProfile {
        kind: c.kind,
        parent_id,
        contact: c.contact.clone(),
        defaults: DefaultSettings {
            disable_admin_portal: c.defaults.disable_admin_portal,
            disable_camera_share: c.defaults.disable_camera_share,
            default_plan_id: plan(c.defaults.default_plan.as_ref().or(c.billing.plan.as_ref())),
        },
        user_creation: c.user_creation,
        billing: Billing {
            same_as_company: c.billing.same_as_company,
            contact: c.billing.contact.clone(),
            email: c.billing.email.clone(),
            phone: c.billing.phone.clone(),
            address: c.billing.address.clone(),
            tax_id: c.billing.tax_id.clone(),
            tax_exempt: c.billing.tax_exempt,
            terms: c.billing.terms,
        },
    };
    normalize_profile(&mut profile);
    let mut new = NewCustomer {
        profile,
        ..NewCustomer::default()
    };
    // MAC -> (existing id) or index into new_cameras.
    let mut where_is: HashMap<String, CameraSource> = HashMap::new();
    let mut new_index: HashMap<String, usize> = HashMap::new();
    for cam in &c.cameras {
        let mut spec = CameraSpec {
            name: cam.name.clone(),
            mac: cam.mac.clone(),
            serial: cam.serial.clone(),
            model: cam.model.clone(),
            location: cam.location.clone(),
        };
        normalize_camera(&mut spec);
        let source = camera(&spec.mac);
        match source {
            CameraSource::Existing(id) => new.camera_ids.push(id),
            CameraSource::New => {
                new_index.insert(spec.mac.clone(), new.new_cameras.len());
                new.new_cameras.push(spec.clone());
            }
        }
        where_is.insert(spec.mac, source);
    }
    let has = |s: SystemRole| c.roles.iter().any(|r| r.system == Some(s));
    if !has(SystemRole::Owner) {
        new.roles.push(Role::owner());
    }
    if !has(SystemRole::Admin) {
        new.roles.push(Role::admin());
    }
    for r in &c.roles {
        let mut role = Role {
            id: None,
            name: r.name.clone(),
            description: r.description.clone(),
            system: r.system,
            role_type: r.role_type,
            all_cameras: r.all_cameras,
            camera_ids: vec![],
            new_camera_refs: vec![],
            permissions: r.permissions,
        };
        normalize_role(&mut role);
        if !r.all_cameras {
            for mac in &r.cameras {
                let mac = normalize_mac(mac).unwrap_or_else(|_| mac.clone());
                match where_is.get(&mac) {
                    Some(CameraSource::Existing(id)) => role.camera_ids.push(*id),
                    Some(CameraSource::New) => {
                        if let Some(i) = new_index.get(&mac) {
                            role.new_camera_refs.push(*i);
                        }
                    }
                    None => {}
                }
            }
        }
        new.roles.push(role);
    }
    // As the store writes it: "disable camera share" forbids Share in every role.
    if c.defaults.disable_camera_share {
        for role in &mut new.roles {
            role.permissions.share = false;
        }
    }
    for u in &c.users {
        let mut user = NewUser {
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
            roles: u
                .roles
                .iter()
                .filter_map(|name| {
                    new.roles
                        .iter()
                        .position(|r| r.name.trim().eq_ignore_ascii_case(name.trim()))
                })
                .collect(),
        };
        normalize_new_user(&mut user);
        new.users.push(user);
    }
    new
}

impl Store {
    /// The id of a customer given as an id or an exact name (case-insensitive).
    pub fn find_customer(&self, id_or_name: &str) -> Result<Option<Id>> {
        let text = id_or_name.trim();
        if let Ok(id) = text.parse::<Id>() {
            let found: Option<Id> = self
                .conn()
                .query_row("SELECT id FROM customers WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM customers WHERE name = ?1 COLLATE NOCASE",
                [text],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every customer id, by name.
    pub fn customer_ids_by_name(&self) -> Result<Vec<Id>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id FROM customers ORDER BY name COLLATE NOCASE, id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The most recent archive of a deleted customer named `name`, not restored yet.
    pub fn latest_archive_named(&self, name: &str) -> Result<Option<Id>> {
        Ok(self
            .conn()
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
        // One snapshot for the plans and all four passes (unless the caller holds one already).
        let _snapshot = if self.conn().is_autocommit() {
            Some(self.conn().unchecked_transaction()?)
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
        let conn = self.conn();
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
                let mut role_rows = Pass::new(roles.query_map([], role_row)?);
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
                    c.roles = Pass::new(roles.query_map([id], role_row)?).take(id)?;
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
                let mut stmt = self.conn().prepare(
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
                let mut stmt = self.conn().prepare(
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

    /// Writes a validated import in one transaction: missing plans, then the customers
    /// (sub-integrators first), each through the wizard's insert, with its state as exported
    /// and an audit entry. Users without a hash in the file get `fallback_hash`.
    pub fn import_customers(
        &mut self,
        file: &ExportFile,
        fallback_hash: &str,
        op: &Operator,
    ) -> Result<ImportReport> {
        self.write(|tx| import_in(tx, file, fallback_hash, op))
    }

    /// Registers (and links) inventory cameras in one transaction with one audit entry.
    pub fn import_cameras(&mut self, cameras: &[InventoryCamera], op: &Operator) -> Result<usize> {
        self.write(|tx| {
            let ts = now();
            let mut customer_ids: HashMap<String, Id> = HashMap::new();
            let mut plan_ids: HashMap<String, Id> = HashMap::new();
            let mut insert = tx.prepare_cached(
                "INSERT INTO cameras (name, mac, serial, model, location, customer_id, plan_id,
                    recording, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            )?;
            for cam in cameras {
                let customer = match &cam.customer {
                    Some(name) => Some(lookup(
                        tx,
                        &mut customer_ids,
                        "SELECT id FROM customers WHERE name = ?1 COLLATE NOCASE",
                        name,
                        "customer",
                    )?),
                    None => None,
                };
                let plan = match &cam.plan {
                    Some(name) => Some(lookup(
                        tx,
                        &mut plan_ids,
                        "SELECT id FROM plans WHERE name = ?1 COLLATE NOCASE",
                        name,
                        "plan",
                    )?),
                    None => None,
                };
                let s = &cam.spec;
                insert
                    .execute(params![
                        s.name,
                        s.mac,
                        s.serial,
                        s.model,
                        s.location,
                        customer,
                        plan,
                        // Only a customer's camera records.
                        cam.recording && customer.is_some(),
                        ts
                    ])
                    .map_err(|e| camera_taken(e, s))?;
            }
            audit(
                tx,
                op,
                "camera.import",
                None,
                &format!(
                    "imported {}",
                    crate::domain::count::count(cameras.len(), "camera")
                ),
                &serde_json::json!({ "cameras": cameras.len() }),
            )?;
            Ok(cameras.len())
        })
    }
}

/// The order of every export pass: the customers by name, as `customer_ids_by_name`.
const BY_NAME: &str = "ORDER BY c.name COLLATE NOCASE, c.id";

/// A customer with its billing and its parent's name (the columns `load_customer` reads).
const EXPORT_CUSTOMERS: &str = "
    SELECT c.id, c.kind, p.name, c.name, c.contact_first, c.contact_last, c.email, c.phone,
           c.address1, c.address2, c.city, c.state, c.postal_code, c.country, c.time_zone,
           c.reference, c.notes, c.disable_admin_portal, c.disable_camera_share,
           c.default_plan_id, c.confirm_email, c.change_password, c.status,
           c.disabled_by_parent, c.created_at,
           b.same_as_company, b.contact, b.email, b.phone, b.address1, b.address2, b.city,
           b.state, b.postal_code, b.country, b.tax_id, b.tax_exempt, b.terms
    FROM customers c LEFT JOIN billing b ON b.customer_id = c.id
         LEFT JOIN customers p ON p.id = c.parent_id";

/// The cameras linked to a customer (by MAC within it).
const EXPORT_CAMERAS: &str = "
    SELECT c.id, cam.name, cam.mac, cam.serial, cam.model, cam.location, cam.plan_id,
           cam.recording, cam.recording_before_disable
    FROM customers c JOIN cameras cam ON cam.customer_id = c.id";

/// The roles of a customer with the MACs of their cameras (only cameras linked to the same
/// customer, separated by the unit separator).
const EXPORT_ROLES: &str = "
    SELECT c.id, r.name, r.description, r.system, r.role_type, r.all_cameras, r.perm_share,
           r.perm_ptz, r.perm_update_delete, r.perm_save_clip,
           (SELECT group_concat(cam.mac, char(31)) FROM role_cameras rc
            JOIN cameras cam ON cam.id = rc.camera_id
            WHERE rc.role_id = r.id AND cam.customer_id = r.customer_id)
    FROM customers c JOIN roles r ON r.customer_id = c.id";

/// The users of a customer with their roles' names, by name.
const EXPORT_USERS: &str = "
    SELECT c.id, u.first_name, u.last_name, u.email, u.must_confirm_email,
           u.must_change_password, u.active, u.blocked, u.password_hash,
           (SELECT group_concat(name, char(31)) FROM
               (SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                WHERE ur.user_id = u.id ORDER BY r.name))
    FROM customers c JOIN users u ON u.customer_id = c.id";

/// The rows of one pass, each with its customer's id, in the customers' order: `take` hands out
/// those of one customer.
struct Pass<'s, T> {
    rows: std::iter::Peekable<Rows<'s, T>>,
}

/// The rows of a pass, each with its customer's id.
type Rows<'s, T> = Box<dyn Iterator<Item = rusqlite::Result<(Id, T)>> + 's>;

impl<'s, T> Pass<'s, T> {
    fn new(rows: impl Iterator<Item = rusqlite::Result<(Id, T)>> + 's) -> Self {
        let rows: Rows<'s, T> = Box::new(rows);
        Self {
            rows: rows.peekable(),
        }
    }

    /// The rows of customer `id`: those next in the pass that name it.
    fn take(&mut self, id: Id) -> Result<Vec<T>> {
        let mut out = Vec::new();
        while let Some(row) = self.rows.next_if(|r| !matches!(r, Ok((c, _)) if *c != id)) {
            out.push(row?.1);
        }
        Ok(out)
    }
}

fn customer_row(
    r: &rusqlite::Row<'_>,
    plan_name: &HashMap<Id, String>,
) -> rusqlite::Result<(Id, ExportCustomer)> {
    let name_of = |id: Option<Id>| id.and_then(|i| plan_name.get(&i).cloned());
    let customer = ExportCustomer {
        kind: CustomerType::parse(&r.get::<_, String>(1)?).unwrap_or_default(),
        parent: r.get(2)?,
        contact: Contact {
            company: r.get(3)?,
            first_name: r.get(4)?,
            last_name: r.get(5)?,
            email: r.get(6)?,
            phone: r.get(7)?,
            address: Address {
                line1: r.get(8)?,
                line2: r.get(9)?,
                city: r.get(10)?,
                state: r.get(11)?,
                postal_code: r.get(12)?,
                country: r.get(13)?,
            },
            time_zone: r.get(14)?,
            reference: r.get(15)?,
            notes: r.get(16)?,
        },
        defaults: ExportDefaults {
            disable_admin_portal: r.get(17)?,
            disable_camera_share: r.get(18)?,
            default_plan: name_of(r.get(19)?),
        },
        user_creation: UserCreation {
            confirm_email: r.get(20)?,
            change_password: r.get(21)?,
        },
        billing: ExportBilling {
            same_as_company: r.get::<_, Option<bool>>(25)?.unwrap_or(true),
            contact: r.get::<_, Option<String>>(26)?.unwrap_or_default(),
            email: r.get::<_, Option<String>>(27)?.unwrap_or_default(),
            phone: r.get::<_, Option<String>>(28)?.unwrap_or_default(),
            address: Address {
                line1: r.get::<_, Option<String>>(29)?.unwrap_or_default(),
                line2: r.get::<_, Option<String>>(30)?.unwrap_or_default(),
                city: r.get::<_, Option<String>>(31)?.unwrap_or_default(),
                state: r.get::<_, Option<String>>(32)?.unwrap_or_default(),
                postal_code: r.get::<_, Option<String>>(33)?.unwrap_or_default(),
                country: r.get::<_, Option<String>>(34)?.unwrap_or_default(),
            },
            tax_id: r.get::<_, Option<String>>(35)?.unwrap_or_default(),
            tax_exempt: r.get::<_, Option<bool>>(36)?.unwrap_or(false),
            terms: r
                .get::<_, Option<String>>(37)?
                .and_then(|t| PaymentTerms::parse(&t))
                .unwrap_or_default(),
            plan: None,
        },
        status: Status::parse(&r.get::<_, String>(22)?).unwrap_or_default(),
        disabled_by_parent: r.get(23)?,
        created_at: Some(r.get(24)?),
        cameras: Vec::new(),
        roles: Vec::new(),
        users: Vec::new(),
    };
    Ok((r.get(0)?, customer))
}

fn camera_row(
    r: &rusqlite::Row<'_>,
    plan_name: &HashMap<Id, String>,
) -> rusqlite::Result<(Id, ExportCamera)> {
    let plan: Option<Id> = r.get(6)?;
    Ok((
        r.get(0)?,
        ExportCamera {
            name: r.get(1)?,
            mac: r.get(2)?,
            serial: r.get(3)?,
            model: r.get(4)?,
            location: r.get(5)?,
            plan: plan.and_then(|i| plan_name.get(&i).cloned()),
            recording: r.get(7)?,
            recording_before_disable: r.get(8)?,
        },
    ))
}

fn role_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Id, ExportRole)> {
    let mut cameras: Vec<String> = r
        .get::<_, Option<String>>(10)?
        .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
        .unwrap_or_default();
    cameras.sort();
    Ok((
        r.get(0)?,
        ExportRole {
            name: r.get(1)?,
            description: r.get(2)?,
            system: r
                .get::<_, Option<String>>(3)?
                .and_then(|s| SystemRole::parse(&s)),
            role_type: RoleType::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
            all_cameras: r.get(5)?,
            cameras,
            permissions: Permissions {
                share: r.get(6)?,
                ptz: r.get(7)?,
                update_delete: r.get(8)?,
                save_clip: r.get(9)?,
            },
        },
    ))
}

fn user_row(r: &rusqlite::Row<'_>, secrets: bool) -> rusqlite::Result<(Id, ExportUser)> {
    let roles: Option<String> = r.get(9)?;
    Ok((
        r.get(0)?,
        ExportUser {
            first_name: r.get(1)?,
            last_name: r.get(2)?,
            email: r.get(3)?,
            must_confirm_email: r.get(4)?,
            must_change_password: r.get(5)?,
            active: r.get(6)?,
            blocked: r.get(7)?,
            password_hash: if secrets { Some(r.get(8)?) } else { None },
            roles: roles
                .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
                .unwrap_or_default(),
        },
    ))
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

fn lookup(
    tx: &Transaction<'_>,
    cache: &mut HashMap<String, Id>,
    sql: &str,
    name: &str,
    what: &str,
) -> Result<Id> {
    let key = name.trim().to_lowercase();
    if let Some(id) = cache.get(&key) {
        return Ok(*id);
    }
    let id: Id = tx
        .query_row(sql, [name.trim()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("{what} {:?}", name.trim())))?;
    cache.insert(key, id);
    Ok(id)
}

fn camera_taken(e: rusqlite::Error, s: &CameraSpec) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Conflict(format!(
            "Camera {}: MAC {} or serial {} is already registered",
            s.name, s.mac, s.serial
        ))
    } else {
        e.into()
    }
}

fn import_in(
    tx: &Transaction<'_>,
    file: &ExportFile,
    fallback_hash: &str,
    op: &Operator,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let ts = now();
    for plan in &file.plans {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM plans WHERE name = ?1 COLLATE NOCASE)",
            [plan.name.trim()],
            |r| r.get(0),
        )?;
        if !exists {
            tx.execute(
                "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at,
                    updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    plan.name.trim(),
                    plan.retention_days,
                    plan.mode.as_str(),
                    plan.price_cents,
                    plan.currency,
                    ts
                ],
            )?;
            report.plans_created += 1;
        }
    }
    let mut plans: HashMap<String, Id> = HashMap::new();
    {
        let mut stmt = tx.prepare("SELECT id, name FROM plans")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, name) = row?;
            plans.insert(name.to_lowercase(), id);
        }
    }
    let plan_id = |name: &str| plans.get(&name.trim().to_lowercase()).copied();
    // Sub-integrators first, so their customers can name them.
    let mut order: Vec<&ExportCustomer> = file.customers.iter().collect();
    order.sort_by_key(|c| c.kind != CustomerType::Integrator);
    for c in order {
        let parent_id = match &c.parent {
            Some(name) => Some(
                tx.query_row(
                    "SELECT id FROM customers WHERE name = ?1 COLLATE NOCASE",
                    [name.trim()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| {
                    StoreError::Refused(format!(
                        "{}: parent {:?} does not exist",
                        c.contact.company.trim(),
                        name
                    ))
                })?,
            ),
            None => None,
        };
        let existing = |mac: &str| -> CameraSource {
            tx.query_row(
                "SELECT id FROM cameras WHERE mac = ?1 AND customer_id IS NULL",
                [mac],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten()
            .map_or(CameraSource::New, CameraSource::Existing)
        };
        let new = to_new_customer(c, parent_id, &plan_id, &existing);
        let hashes: Vec<String> = c
            .users
            .iter()
            .map(|u| {
                u.password_hash
                    .clone()
                    .unwrap_or_else(|| fallback_hash.to_string())
            })
            .collect();
        let created = insert_customer(tx, &new, &hashes)?;
        let id = created.id;
        tx.execute(
            "UPDATE customers SET status = ?2, disabled_by_parent = ?3,
                created_at = coalesce(?4, created_at) WHERE id = ?1",
            params![
                id,
                c.status.as_str(),
                c.disabled_by_parent,
                c.created_at.as_deref()
            ],
        )?;
        {
            let mut cam = tx.prepare_cached(
                "UPDATE cameras SET plan_id = ?2, recording = ?3, recording_before_disable = ?4
                 WHERE mac = ?1 AND customer_id = ?5",
            )?;
            for (spec, exported) in new
                .new_cameras
                .iter()
                .map(|s| s.mac.clone())
                .chain(
                    new.camera_ids
                        .iter()
                        .filter_map(|i| mac_of(tx, *i).ok().flatten()),
                )
                .filter_map(|mac| {
                    c.cameras
                        .iter()
                        .find(|e| normalize_mac(&e.mac).is_ok_and(|m| m == mac))
                        .map(|e| (mac, e))
                })
            {
                cam.execute(params![
                    spec,
                    exported.plan.as_deref().and_then(plan_id),
                    exported.recording,
                    exported.recording_before_disable,
                    id
                ])?;
            }
            let mut user = tx.prepare_cached(
                "UPDATE users SET must_confirm_email = ?2, must_change_password = ?3, active = ?4,
                    blocked = ?5 WHERE email = ?1 COLLATE NOCASE AND customer_id = ?6",
            )?;
            for u in &c.users {
                user.execute(params![
                    u.email.trim(),
                    u.must_confirm_email,
                    u.must_change_password,
                    u.active,
                    u.blocked,
                    id
                ])?;
            }
        }
        let name = new.profile.contact.company.clone();
        audit(
            tx,
            op,
            "customer.import",
            Some((id, &name)),
            &format!(
                "imported with {}, {}, {}",
                crate::domain::count::count(created.camera_ids.len(), "camera"),
                crate::domain::count::count(new.roles.len(), "role"),
                crate::domain::count::count(new.users.len(), "user")
            ),
            &serde_json::json!({ "after": new.profile, "camera_ids": created.camera_ids }),
        )?;
        report.customers += 1;
        report.cameras += created.camera_ids.len();
        report.roles += new.roles.len();
        report.users += created.user_ids.len();
    }
    Ok(report)
}

fn mac_of(tx: &Transaction<'_>, id: Id) -> Result<Option<String>> {
    Ok(tx
        .query_row("SELECT mac FROM cameras WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}
