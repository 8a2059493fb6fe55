//! Checking imported customers against the rules and the store, before anything is written.

use std::collections::{HashMap, HashSet};

use crate::domain::validate::{
    self, FieldError, display, normalize_mac, validate_camera, validate_profile,
};
use crate::domain::{CameraSpec, CustomerType, NewCustomer, SystemRole};
use crate::store::export::{CameraSource, ExportCustomer, ExportFile, to_new_customer};
use crate::store::inventory::validate_plan;
use crate::store::{Store, StoreError};

/// Every problem of an import as (JSON pointer, message); nothing is written.
pub fn check_customers(
    file: &ExportFile,
    store: &Store,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut check = Check::new(file, store)?;
    for (i, c) in file.customers.iter().enumerate() {
        check.customer(i, c)?;
    }
    Ok(check.out)
}

/// What the checks of one file share: the store, the plans known, what the customers checked so
/// far took (names, MACs, serials, e-mails), and every problem found.
struct Check<'a> {
    store: &'a Store,
    known_plans: HashSet<String>,
    file_integrators: HashSet<String>,
    names: HashSet<String>,
    /// MAC -> the customer of this file it is given to.
    macs: HashMap<String, String>,
    serials: HashSet<String>,
    emails: HashSet<String>,
    out: Vec<(String, String)>,
}

/// The customer being checked: the pointer its problems start with, the field errors the
/// screens' validators reported for it, and the MACs of its own cameras.
struct One {
    base: String,
    reported: Vec<(String, String)>,
    own_macs: HashSet<String>,
}

impl<'a> Check<'a> {
    /// Starts with the plans of the file: their own problems, and their names as known plans.
    fn new(file: &ExportFile, store: &'a Store) -> Result<Self, StoreError> {
        let mut out = Vec::new();
        let mut known_plans: HashSet<String> = store
            .plans()?
            .into_iter()
            .map(|p| p.name.to_lowercase())
            .collect();
        for (i, plan) in file.plans.iter().enumerate() {
            for e in validate_plan(plan) {
                let f = match e.field {
                    "plan.price" => "price_cents",
                    other => other.trim_start_matches("plan."),
                };
                out.push((format!("/plans/{i}/{f}"), e.message));
            }
            known_plans.insert(plan.name.trim().to_lowercase());
        }
        let file_integrators = file
            .customers
            .iter()
            .filter(|c| c.kind == CustomerType::Integrator)
            .map(|c| c.contact.company.trim().to_lowercase())
            .collect();
        Ok(Check {
            store,
            known_plans,
            file_integrators,
            names: HashSet::new(),
            macs: HashMap::new(),
            serials: HashSet::new(),
            emails: HashSet::new(),
            out,
        })
    }

    fn plan_known(&self, name: &str) -> bool {
        self.known_plans.contains(&name.trim().to_lowercase())
    }

    fn push(&mut self, one: &One, rel: &str, message: String) {
        self.out.push((format!("{}/{rel}", one.base), message));
    }

    /// A problem one of the screens' validators found, remembered so the whole-customer check
    /// does not report it twice.
    fn field_problem(&mut self, one: &mut One, rel: &str, e: &FieldError) {
        one.reported.push((e.field.to_string(), e.message.clone()));
        self.push(one, rel, e.message.clone());
    }

    fn customer(&mut self, i: usize, c: &ExportCustomer) -> Result<(), StoreError> {
        let mut one = One {
            base: format!("/customers/{i}"),
            reported: Vec::new(),
            own_macs: HashSet::new(),
        };
        self.plans_and_parent(&one, c)?;
        let new = to_new_customer(
            c,
            c.parent.as_ref().map(|_| 1),
            &|n| self.plan_known(n).then_some(1),
            &|_| CameraSource::New,
        );
        self.profile(&mut one, &new)?;
        let name = new.profile.contact.company.clone();
        for (j, cam) in new.new_cameras.iter().enumerate() {
            self.camera(&mut one, &name, j, cam, c.cameras[j].plan.as_deref())?;
        }
        self.roles(&mut one, c, &new);
        self.users(&mut one, c, &new)?;
        self.whole(&one, &new);
        Ok(())
    }

    /// The plans a customer names, and its parent: a sub-integrator of this file or the store.
    fn plans_and_parent(&mut self, one: &One, c: &ExportCustomer) -> Result<(), StoreError> {
        for (rel, plan) in [
            ("defaults/default_plan", &c.defaults.default_plan),
            ("billing/plan", &c.billing.plan),
        ] {
            if let Some(p) = plan
                && !self.plan_known(p)
            {
                self.push(one, rel, format!("unknown plan \"{}\"", display(p)));
            }
        }
        if let Some(parent) = &c.parent {
            let key = parent.trim().to_lowercase();
            let in_store = match self.store.find_customer(parent)? {
                Some(id) => self.store.customer(id)?.map(|p| p.profile.kind),
                None => None,
            };
            if !self.file_integrators.contains(&key) && in_store != Some(CustomerType::Integrator) {
                self.push(
                    one,
                    "parent",
                    format!(
                        "\"{}\" is not a sub-integrator of this file or the store",
                        display(parent)
                    ),
                );
            }
        }
        Ok(())
    }

    /// The profile's fields, and its name: once in the file, not yet in the store.
    fn profile(&mut self, one: &mut One, new: &NewCustomer) -> Result<(), StoreError> {
        for e in validate_profile(&new.profile) {
            self.field_problem(one, &e.field.replace('.', "/"), &e);
        }
        let name = &new.profile.contact.company;
        if !name.is_empty() {
            if !self.names.insert(name.to_lowercase()) {
                self.push(
                    one,
                    "contact/company",
                    format!("\"{}\" appears twice in this file", display(name)),
                );
            } else if self.store.customer_name_taken(name, None)? {
                self.push(
                    one,
                    "contact/company",
                    format!("\"{}\" is already a customer of this store", display(name)),
                );
            }
        }
        Ok(())
    }

    /// Camera `j` of customer `name`: its fields, its plan, its MAC and serial once in the file.
    fn camera(
        &mut self,
        one: &mut One,
        name: &str,
        j: usize,
        cam: &CameraSpec,
        plan: Option<&str>,
    ) -> Result<(), StoreError> {
        for e in validate_camera(cam) {
            let rel = format!("cameras/{j}/{}", e.field.trim_start_matches("camera."));
            self.field_problem(one, &rel, &e);
        }
        if let Some(p) = plan
            && !self.plan_known(p)
        {
            let message = format!("unknown plan \"{}\"", display(p));
            self.push(one, &format!("cameras/{j}/plan"), message);
        }
        if let Ok(mac) = normalize_mac(&cam.mac) {
            one.own_macs.insert(mac.clone());
            if let Some(other) = self.macs.insert(mac.clone(), name.to_string()) {
                let message = format!("{mac} is also given to {}", display(&other));
                self.push(one, &format!("cameras/{j}/mac"), message);
            }
            self.camera_in_store(one, j, &mac, cam.serial.trim())?;
        }
        let serial = cam.serial.trim();
        if !serial.is_empty() && !self.serials.insert(serial.to_lowercase()) {
            let message = format!("{} appears twice in this file", display(serial));
            self.push(one, &format!("cameras/{j}/serial"), message);
        }
        Ok(())
    }

    /// A camera the store has already: linked to another customer, or with another serial.
    fn camera_in_store(
        &mut self,
        one: &One,
        j: usize,
        mac: &str,
        serial: &str,
    ) -> Result<(), StoreError> {
        let (mac_exists, serial_exists) = self.store.camera_exists(mac, serial)?;
        if mac_exists {
            match self.store.camera_link_by_mac(mac)? {
                Some((Some(owner), _)) => {
                    let message = format!("{mac} is linked to {}", display(&owner));
                    self.push(one, &format!("cameras/{j}/mac"), message);
                }
                Some((None, registered)) if !registered.eq_ignore_ascii_case(serial) => {
                    let message =
                        format!("{mac} is registered with serial {}", display(&registered));
                    self.push(one, &format!("cameras/{j}/serial"), message);
                }
                _ => {}
            }
        } else if serial_exists {
            let message = format!(
                "{} is already registered with another MAC address",
                display(serial)
            );
            self.push(one, &format!("cameras/{j}/serial"), message);
        }
        Ok(())
    }

    /// The custom roles: their fields, names once, Share only where allowed, own cameras only.
    fn roles(&mut self, one: &mut One, c: &ExportCustomer, new: &NewCustomer) {
        let offset = new.roles.len() - c.roles.len();
        let mut role_names: HashSet<String> = HashSet::new();
        for (k, r) in c.roles.iter().enumerate() {
            let role = &new.roles[offset + k];
            for e in validate::validate_role(role) {
                let rel = format!("roles/{k}/{}", e.field.trim_start_matches("role."));
                self.field_problem(one, &rel, &e);
            }
            if !role_names.insert(role.name.to_lowercase()) {
                let message = format!("\"{}\" is used twice", display(&role.name));
                self.push(one, &format!("roles/{k}/name"), message);
            }
            if new.profile.defaults.disable_camera_share && role.permissions.share {
                self.push(
                    one,
                    &format!("roles/{k}/permissions"),
                    "allows Share, but camera share is disabled for this customer".into(),
                );
            }
            for mac in &r.cameras {
                let m = normalize_mac(mac).unwrap_or_else(|_| mac.clone());
                if !one.own_macs.contains(&m) {
                    let message = format!("{} is not a camera of this customer", display(mac));
                    self.push(one, &format!("roles/{k}/cameras"), message);
                }
            }
        }
    }

    /// The users: their fields, roles of this customer, e-mails once anywhere, one Owner.
    fn users(
        &mut self,
        one: &mut One,
        c: &ExportCustomer,
        new: &NewCustomer,
    ) -> Result<(), StoreError> {
        for (u, user) in new.users.iter().enumerate() {
            for e in validate::validate_new_user(user) {
                let rel = format!("users/{u}/{}", e.field.trim_start_matches("user."));
                self.field_problem(one, &rel, &e);
            }
            for role in &c.users[u].roles {
                if !new
                    .roles
                    .iter()
                    .any(|r| r.name.trim().eq_ignore_ascii_case(role.trim()))
                {
                    let message = format!("no role \"{}\" in this customer", display(role));
                    self.push(one, &format!("users/{u}/roles"), message);
                }
            }
            if let Err(e) = validate::validate_user_roles(&user.roles, &new.roles) {
                self.field_problem(one, &format!("users/{u}/roles"), &e);
            }
            self.user_email(one, u, &user.email)?;
        }
        let owner = new
            .roles
            .iter()
            .position(|r| r.system == Some(SystemRole::Owner));
        if !new.users.is_empty()
            && !owner.is_some_and(|o| new.users.iter().any(|u| u.roles.contains(&o)))
        {
            self.push(
                one,
                "users",
                "at least one user must hold the Owner role".into(),
            );
        }
        Ok(())
    }

    /// User `u`'s e-mail: given once in the file, not used in the store.
    fn user_email(&mut self, one: &One, u: usize, email: &str) -> Result<(), StoreError> {
        let mail = email.to_lowercase();
        if mail.is_empty() {
            return Ok(());
        }
        if !self.emails.insert(mail) {
            let message = format!("{} is given to two users", display(email));
            self.push(one, &format!("users/{u}/email"), message);
        } else if self.store.user_email_taken(email)? {
            let message = format!("{} is already used by another user", display(email));
            self.push(one, &format!("users/{u}/email"), message);
        }
        Ok(())
    }

    /// The screens' own check of the whole customer, for any rule not covered above.
    fn whole(&mut self, one: &One, new: &NewCustomer) {
        for e in validate::validate_new_customer(new) {
            if !one
                .reported
                .iter()
                .any(|(f, m)| f == e.field && *m == e.message)
                && !self
                    .out
                    .iter()
                    .any(|(p, m)| p.starts_with(&one.base) && *m == e.message)
            {
                self.push(one, &e.field.replace('.', "/"), e.message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Operator;
    use crate::store::OpenMode;
    use crate::store::export::{ExportCamera, InventoryCamera};
    use crate::transfer::parse_customers_csv;

    fn op() -> Operator {
        Operator {
            login: "test".into(),
            client: None,
        }
    }

    fn registered(name: &str, mac: &str, serial: &str, customer: Option<&str>) -> InventoryCamera {
        InventoryCamera {
            spec: CameraSpec {
                name: name.into(),
                mac: mac.into(),
                serial: serial.into(),
                model: String::new(),
                location: String::new(),
            },
            customer: customer.map(Into::into),
            plan: None,
            recording: true,
        }
    }

    fn exported(name: &str, mac: &str, serial: &str) -> ExportCamera {
        ExportCamera {
            name: name.into(),
            mac: mac.into(),
            serial: serial.into(),
            model: String::new(),
            location: String::new(),
            plan: None,
            recording: true,
            recording_before_disable: None,
        }
    }

    /// A camera the store has already is named with the customer it is linked to, or, unlinked,
    /// with the serial it was registered with when the file gives another.
    #[test]
    fn a_registered_camera_is_named_with_its_owner_or_its_serial() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("check.db"), OpenMode::Create).unwrap();
        let (acme, _) = parse_customers_csv("contact.company\nAcme\n").unwrap();
        store.import_customers(&acme, "unused", &op()).unwrap();
        let linked = normalize_mac("00408c000001").unwrap();
        let spare = normalize_mac("00408c000002").unwrap();
        store
            .import_cameras(
                &[
                    registered("Lobby", &linked, "S1", Some("Acme")),
                    registered("Spare", &spare, "S2", None),
                ],
                &op(),
            )
            .unwrap();

        let (mut file, _) = parse_customers_csv("contact.company\nBeta\n").unwrap();
        file.customers[0].cameras = vec![
            exported("Lobby", &linked, "S1"),
            exported("Spare", &spare, "OTHER"),
        ];
        let found = check_customers(&file, &store).unwrap();
        let has = |path: &str, message: String| {
            assert!(
                found.contains(&(path.to_string(), message.clone())),
                "{path}: {message} not in {found:?}"
            );
        };
        has(
            "/customers/0/cameras/0/mac",
            format!("{linked} is linked to Acme"),
        );
        has(
            "/customers/0/cameras/1/serial",
            format!("{spare} is registered with serial S2"),
        );
    }
}
