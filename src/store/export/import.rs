//! Writing an import: each exported customer through the wizard's insert, in one transaction.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::validate::{
    normalize_camera, normalize_mac, normalize_new_user, normalize_profile, normalize_role,
};
use crate::domain::{
    Billing, CameraSpec, CustomerProfile, CustomerType, DefaultSettings, Id, NewCustomer, NewUser,
    Operator, Role, SystemRole,
};
use crate::store::customers::insert_customer;
use crate::store::{Result, Store, StoreError, audit, is_unique_violation, now, pg};

use super::*;

/// The wizard's `NewCustomer` for an exported customer, normalised as the screens save it.
/// `parent_id` and `plan_id` resolve names; `camera` says where each camera (by normalised MAC)
/// comes from. The Owner and Admin system roles are added when the file has none.
pub fn to_new_customer(
    c: &ExportCustomer,
    parent_id: Option<Id>,
    plan_id: &dyn Fn(&str) -> Option<Id>,
    camera: &dyn Fn(&str) -> CameraSource,
) -> NewCustomer {
    let mut new = NewCustomer {
        profile: import_profile(c, parent_id, plan_id),
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
        new.roles.push(import_role(r, &where_is, &new_index));
    }
    // As the store writes it: "disable camera share" forbids Share in every role.
    if c.defaults.disable_camera_share {
        for role in &mut new.roles {
            role.permissions.share = false;
        }
    }
    for u in &c.users {
        let user = import_user(u, &new.roles);
        new.users.push(user);
    }
    new
}

/// The profile of an exported customer, normalised; the default plan falls back on the retired
/// billing plan of older files.
fn import_profile(
    c: &ExportCustomer,
    parent_id: Option<Id>,
    plan_id: &dyn Fn(&str) -> Option<Id>,
) -> CustomerProfile {
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
    profile
}

/// An exported role, normalised, its cameras (by MAC) resolved to existing ids or to indexes
/// into the new cameras.
fn import_role(
    r: &ExportRole,
    where_is: &HashMap<String, CameraSource>,
    new_index: &HashMap<String, usize>,
) -> Role {
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
    role
}

/// An exported user, normalised, its roles (by name) resolved to indexes into `roles`.
fn import_user(u: &ExportUser, roles: &[Role]) -> NewUser {
    let mut user = NewUser {
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        email: u.email.clone(),
        roles: u
            .roles
            .iter()
            .filter_map(|name| {
                roles
                    .iter()
                    .position(|r| r.name.trim().eq_ignore_ascii_case(name.trim()))
            })
            .collect(),
    };
    normalize_new_user(&mut user);
    user
}

impl Store {
    /// Writes a validated import in one transaction: missing plans, then the customers
    /// (sub-integrators first), each through the wizard's insert, with its state as exported
    /// and an audit entry. Users without a hash in the file get `fallback_hash`.
    pub fn import_customers(
        &mut self,
        file: &ExportFile,
        fallback_hash: &str,
        op: &Operator,
    ) -> Result<ImportReport> {
        // Needs the wizard's insert on PostgreSQL (`store::pg::customers`, another stream's).
        if self.is_postgres() {
            return Err(StoreError::NotOnPostgres("customers import"));
        }
        self.write(|tx| import_in(tx, file, fallback_hash, op))
    }

    /// Registers (and links) inventory cameras in one transaction with one audit entry.
    pub fn import_cameras(&mut self, cameras: &[InventoryCamera], op: &Operator) -> Result<usize> {
        if self.is_postgres() {
            return self.pg_write(|tx| pg::export::import_cameras(tx, cameras, op));
        }
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
            let (summary, details) = cameras_imported(cameras.len());
            audit(tx, op, "camera.import", None, &summary, &details)?;
            Ok(cameras.len())
        })
    }
}

/// The audit summary and details of a camera import of `n` cameras.
pub(crate) fn cameras_imported(n: usize) -> (String, serde_json::Value) {
    (
        format!("imported {}", crate::domain::count::count(n, "camera")),
        serde_json::json!({ "cameras": n }),
    )
}

/// A customer or plan an import names that the store does not have.
pub(crate) fn not_found(what: &str, name: &str) -> StoreError {
    StoreError::NotFound(format!("{what} {:?}", name.trim()))
}

/// A camera whose MAC or serial another camera has.
pub(crate) fn camera_registered(s: &CameraSpec) -> StoreError {
    StoreError::Conflict(format!(
        "Camera {}: MAC {} or serial {} is already registered",
        s.name, s.mac, s.serial
    ))
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
        .ok_or_else(|| not_found(what, name))?;
    cache.insert(key, id);
    Ok(id)
}

fn camera_taken(e: rusqlite::Error, s: &CameraSpec) -> StoreError {
    if is_unique_violation(&e) {
        camera_registered(s)
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
    let mut report = ImportReport {
        plans_created: import_plans(tx, &file.plans)?,
        ..ImportReport::default()
    };
    let plans = plan_ids(tx)?;
    let plan_id = |name: &str| plans.get(&name.trim().to_lowercase()).copied();
    // Sub-integrators first, so their customers can name them.
    let mut order: Vec<&ExportCustomer> = file.customers.iter().collect();
    order.sort_by_key(|c| c.kind != CustomerType::Integrator);
    for c in order {
        let parent_id = parent_of(tx, c)?;
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
        restore_exported_state(tx, c, &new, id, &plan_id)?;
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

/// Creates the plans of the file the store does not have (by name); returns how many.
fn import_plans(tx: &Transaction<'_>, plans: &[PlanSpec]) -> Result<usize> {
    let ts = now();
    let mut created = 0;
    for plan in plans {
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
            created += 1;
        }
    }
    Ok(created)
}

/// Every plan's id by lower-cased name.
fn plan_ids(tx: &Transaction<'_>) -> Result<HashMap<String, Id>> {
    let mut plans: HashMap<String, Id> = HashMap::new();
    let mut stmt = tx.prepare("SELECT id, name FROM plans")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, name) = row?;
        plans.insert(name.to_lowercase(), id);
    }
    Ok(plans)
}

/// The id of the customer's parent, named in the file; refused when the store has none.
fn parent_of(tx: &Transaction<'_>, c: &ExportCustomer) -> Result<Option<Id>> {
    let Some(name) = &c.parent else {
        return Ok(None);
    };
    let id = tx
        .query_row(
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
        })?;
    Ok(Some(id))
}

/// What the wizard's insert does not write but the file says: the customer's status and
/// creation time, each camera's plan and recording, each user's flags.
fn restore_exported_state(
    tx: &Transaction<'_>,
    c: &ExportCustomer,
    new: &NewCustomer,
    id: Id,
    plan_id: &dyn Fn(&str) -> Option<Id>,
) -> Result<()> {
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
    Ok(())
}

fn mac_of(tx: &Transaction<'_>, id: Id) -> Result<Option<String>> {
    Ok(tx
        .query_row("SELECT mac FROM cameras WHERE id = ?1", [id], |r| r.get(0))
        .optional()?)
}
