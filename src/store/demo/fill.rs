//! One fill: the customers, their profiles and billing, written batch by batch.

mod cameras;
mod people;

use std::collections::{HashMap, HashSet};

use super::random::*;
use super::sink::{AuditRow, Sink};
use super::words::*;
use super::{DemoReport, DemoSpec, HISTORY_SECS};
use crate::domain::{
    Address, Billing, Contact, CustomerProfile, CustomerType, DefaultSettings, Id, PaymentTerms,
    UserCreation,
};
use crate::store::{Result, StoreError};

/// The state of one fill: the generator, what must stay unique, and the running totals.
pub(crate) struct Filler {
    pub(super) spec: DemoSpec,
    pub(super) rng: Rng,
    pub(super) password_hash: String,
    pub(crate) report: DemoReport,
    pub(super) plan_ids: Vec<Id>,
    /// Linked cameras of each customer, drawn up front so the totals come out exact.
    pub(super) camera_counts: Vec<u64>,
    /// Sub-integrators written so far, with whether they are disabled.
    pub(super) integrators: Vec<(Id, bool)>,
    /// Lower-cased company names taken, and the next number to try after a name and city.
    pub(super) names: HashSet<String>,
    pub(super) name_numbers: HashMap<String, u64>,
    pub(super) emails: HashSet<String>,
    /// Next MAC suffix per OUI and next serial number per vendor.
    pub(super) mac_next: Vec<u32>,
    pub(super) serial_next: Vec<u64>,
    /// MACs and serials already in the store's inventory (empty unless it had cameras).
    pub(super) taken_macs: HashSet<String>,
    pub(super) taken_serials: HashSet<String>,
    pub(super) now: i64,
}

/// What the rows of one customer need beyond its profile.
pub(super) struct CustomerCtx {
    pub(super) id: Id,
    pub(super) country: &'static Country,
    pub(super) domain: String,
    pub(super) created_at: String,
    pub(super) disabled: bool,
    pub(super) vendor: usize,
}

impl Filler {
    pub(super) fn new(spec: &DemoSpec, password_hash: String) -> Self {
        let mut rng = Rng(spec.seed ^ 0x5DEE_CE66_D1CE_5EED);
        let linked = if spec.customers == 0 {
            0
        } else {
            spec.cameras * 3 / 4
        };
        let camera_counts = spread(&mut rng, spec.customers, linked);
        let mac_next = OUIS.iter().map(|_| rng.below(1 << 20) as u32).collect();
        Self {
            spec: *spec,
            rng,
            password_hash,
            report: DemoReport::default(),
            plan_ids: Vec::new(),
            camera_counts,
            integrators: Vec::new(),
            names: HashSet::new(),
            name_numbers: HashMap::new(),
            emails: HashSet::new(),
            mac_next,
            serial_next: vec![1; VENDORS.len()],
            taken_macs: HashSet::new(),
            taken_serials: HashSet::new(),
            now: jiff::Timestamp::now().as_second(),
        }
    }

    /// Refuses a store with customers, notes the inventory already there, writes the plans.
    pub(crate) fn start(&mut self, sink: &mut dyn Sink) -> Result<()> {
        let customers = sink.customers_present()?;
        if customers > 0 {
            return Err(StoreError::Refused(format!(
                "the store already has {}; demo fills an empty store",
                crate::domain::count::count(customers, "customer")
            )));
        }
        for (mac, serial) in sink.cameras_present()? {
            self.taken_macs.insert(mac);
            self.taken_serials.insert(serial);
        }
        let ts = self.timestamp(self.now - HISTORY_SECS - 86_400);
        for plan in &PLANS {
            let (added, id) = sink.plan(plan, &ts)?;
            self.report.plans += u64::from(added);
            self.plan_ids.push(id);
        }
        Ok(())
    }

    /// One batch of the fill (see `Step`).
    pub(crate) fn step(&mut self, sink: &mut dyn Sink, step: &super::Step) -> Result<()> {
        match step {
            super::Step::Customers(range) => self.customers(sink, range.clone()),
            super::Step::Inventory(n) => self.inventory(sink, *n),
            super::Step::Closing => self.closing_audit(sink),
        }
    }

    pub(super) fn customers(
        &mut self,
        sink: &mut dyn Sink,
        range: std::ops::Range<u64>,
    ) -> Result<()> {
        for i in range {
            self.customer(sink, i)?;
        }
        Ok(())
    }

    pub(super) fn customer(&mut self, sink: &mut dyn Sink, i: u64) -> Result<()> {
        let (profile, mut ctx) = self.profile(i);
        let (status, by_parent) = self.status(&profile, &mut ctx);
        ctx.id = sink.customer(&profile, status, by_parent, &ctx.created_at)?;
        if profile.kind == CustomerType::Integrator {
            self.integrators.push((ctx.id, ctx.disabled));
        }
        let cameras = self.linked_cameras(sink, &ctx, self.camera_counts[i as usize])?;
        let roles = self.roles(sink, &ctx, &profile, &cameras)?;
        let users = self.users(sink, &ctx, &profile, &roles)?;
        let summary = format!(
            "created {} with {}, {}, {} (demo data)",
            profile.kind.label().to_lowercase(),
            crate::domain::count::count(cameras.len(), "camera"),
            crate::domain::count::count(roles.len(), "role"),
            crate::domain::count::count(users, "user")
        );
        let name = profile.contact.company.as_str();
        let details = format!("{{\"demo\":{{\"seed\":{}}}}}", self.spec.seed);
        sink.audit(&AuditRow {
            at: &ctx.created_at,
            action: "customer.create",
            customer: Some((ctx.id, name)),
            summary: &summary,
            details: &details,
        })?;
        if ctx.disabled {
            let why = if by_parent {
                "disabled with its sub-integrator; cameras stopped recording, users blocked"
            } else {
                "disabled; cameras stopped recording, users blocked"
            };
            sink.audit(&AuditRow {
                at: &ctx.created_at,
                action: "customer.disable",
                customer: Some((ctx.id, name)),
                summary: why,
                details: &details,
            })?;
        }
        self.report.customers += 1;
        Ok(())
    }

    /// Active or disabled; customers of a disabled sub-integrator are disabled by their parent.
    pub(super) fn status(
        &mut self,
        p: &CustomerProfile,
        ctx: &mut CustomerCtx,
    ) -> (&'static str, bool) {
        let parent_disabled = p.parent_id.is_some_and(|parent| {
            self.integrators
                .iter()
                .any(|&(id, disabled)| id == parent && disabled)
        });
        ctx.disabled = parent_disabled || self.rng.percent(4);
        match (ctx.disabled, parent_disabled) {
            (false, _) => ("active", false),
            (true, by_parent) => ("disabled", by_parent),
        }
    }

    pub(super) fn profile(&mut self, i: u64) -> (CustomerProfile, CustomerCtx) {
        let rng = &mut self.rng;
        let kind = if rng.percent(5) {
            CustomerType::Integrator
        } else {
            CustomerType::Customer
        };
        let parent_id = match kind {
            CustomerType::Customer if !self.integrators.is_empty() && rng.percent(20) => {
                Some(rng.pick(&self.integrators).0)
            }
            _ => None,
        };
        let country = rng.weighted(COUNTRIES);
        let city = rng.pick(country.cities);
        let (company, core) = self.company_name(kind, country, city);
        let rng = &mut self.rng;
        let domain = format!("{}.{}", ascii_word(&core), country.tld);
        let (first, last) = person(rng, country);
        let email = self.unique_email(first, last, &domain);
        let rng = &mut self.rng;
        let contact_email = if rng.percent(20) {
            format!(
                "{}@{domain}",
                rng.pick(&["info", "office", "contact", "admin"])
            )
        } else {
            email
        };
        let default_plan_id = rng.percent(60).then(|| *rng.pick(&self.plan_ids));
        let contact = Contact {
            company,
            first_name: first.to_string(),
            last_name: last.to_string(),
            email: contact_email,
            phone: phone(rng, city),
            address: address(rng, country, city),
            time_zone: city.time_zone.to_string(),
            reference: if rng.percent(70) {
                format!("C-{:05}", 1000 + i)
            } else {
                String::new()
            },
            notes: if rng.percent(15) {
                rng.pick(NOTES).to_string()
            } else {
                String::new()
            },
        };
        let (billing, billing_plan) = self.billing(country, &domain);
        // The retired billing plan's draw is kept (the same seed fills the same store) and
        // becomes the recording plan where none was drawn, as migration 4 does for old stores.
        let default_plan_id = default_plan_id.or(billing_plan);
        let profile = CustomerProfile {
            kind,
            parent_id,
            contact,
            defaults: DefaultSettings {
                disable_admin_portal: self.rng.percent(5),
                disable_camera_share: self.rng.percent(10),
                default_plan_id,
            },
            user_creation: UserCreation {
                confirm_email: self.rng.percent(85),
                change_password: self.rng.percent(90),
            },
            billing,
        };
        let ctx = CustomerCtx {
            id: 0,
            country,
            domain,
            created_at: self.created_at(i),
            disabled: false,
            vendor: self.rng.below(VENDORS.len() as u64) as usize,
        };
        (profile, ctx)
    }

    pub(super) fn billing(
        &mut self,
        country: &'static Country,
        domain: &str,
    ) -> (Billing, Option<Id>) {
        let rng = &mut self.rng;
        let own = rng.percent(20);
        let city = rng.pick(country.cities);
        let terms = *rng.weighted(&[
            (10, PaymentTerms::DueOnReceipt),
            (15, PaymentTerms::Net15),
            (55, PaymentTerms::Net30),
            (12, PaymentTerms::Net45),
            (8, PaymentTerms::Net60),
        ]);
        let plan_id = rng.percent(80).then(|| *rng.pick(&self.plan_ids));
        let billing = Billing {
            same_as_company: !own,
            contact: if own {
                let (first, last) = person(rng, country);
                if rng.percent(50) {
                    "Accounts Payable".into()
                } else {
                    format!("{first} {last}")
                }
            } else {
                String::new()
            },
            email: if own {
                format!(
                    "{}@{domain}",
                    rng.pick(&["ap", "billing", "accounts", "invoices"])
                )
            } else {
                String::new()
            },
            phone: if own { phone(rng, city) } else { String::new() },
            address: if own {
                address(rng, country, city)
            } else {
                Address::default()
            },
            tax_id: if rng.percent(40) {
                tax_id(rng, country.code)
            } else {
                String::new()
            },
            tax_exempt: rng.percent(3),
            terms,
        };
        (billing, plan_id)
    }

    /// A company name not yet taken (case-insensitively), and its core without the legal form,
    /// from which the e-mail domain is made.
    pub(super) fn company_name(
        &mut self,
        kind: CustomerType,
        country: &Country,
        city: &City,
    ) -> (String, String) {
        let rng = &mut self.rng;
        let trade = match kind {
            CustomerType::Integrator => rng.pick(INTEGRATOR_TRADES),
            CustomerType::Customer => rng.pick(TRADES),
        };
        let base = format!("{} {trade}", rng.pick(COMPANY_WORDS));
        let form = *rng.pick(country.legal_forms);
        let with_form = |core: &str| {
            if form.is_empty() {
                core.to_string()
            } else {
                format!("{core} {form}")
            }
        };
        let name = with_form(&base);
        if self.names.insert(name.to_lowercase()) {
            return (name, base);
        }
        // Taken: add the city, then a number after it.
        let core = format!("{base} {}", city.name);
        let key = core.to_lowercase();
        let mut n = self.name_numbers.get(&key).copied().unwrap_or(1);
        loop {
            let candidate = if n == 1 {
                core.clone()
            } else {
                format!("{core} {n}")
            };
            let name = with_form(&candidate);
            if self.names.insert(name.to_lowercase()) {
                self.name_numbers.insert(key, n + 1);
                return (name, candidate);
            }
            n += 1;
        }
    }

    /// `first.last@domain` or a variant of it that no user has yet.
    pub(super) fn unique_email(&mut self, first: &str, last: &str, domain: &str) -> String {
        let (f, l) = (ascii_word(first), ascii_word(last));
        let local = match self.rng.below(100) {
            0..60 => format!("{f}.{l}"),
            60..85 => format!("{}{l}", &f[..1]),
            _ => f.clone(),
        };
        let mut email = format!("{local}@{domain}");
        let mut n = 1;
        while !self.emails.insert(email.clone()) {
            n += 1;
            email = format!("{local}{n}@{domain}");
        }
        email
    }

    pub(super) fn created_at(&mut self, i: u64) -> String {
        let n = self.spec.customers.max(1) as i64;
        let step = HISTORY_SECS / n;
        let at =
            self.now - HISTORY_SECS + i as i64 * step + self.rng.below(step.max(1) as u64) as i64;
        self.timestamp(at)
    }

    pub(super) fn timestamp(&self, second: i64) -> String {
        jiff::Timestamp::from_second(second.min(self.now))
            .map(|t| t.to_string())
            .unwrap_or_else(|_| crate::store::now())
    }

    pub(super) fn closing_audit(&mut self, sink: &mut dyn Sink) -> Result<()> {
        let r = &self.report;
        let summary = format!(
            "filled with demo data (seed {}): {} customers, {} cameras ({} linked), {} users",
            self.spec.seed, r.customers, r.cameras, r.linked, r.users
        );
        sink.audit(&AuditRow {
            at: &self.timestamp(self.now),
            action: "demo.fill",
            customer: None,
            summary: &summary,
            details: &format!("{{\"demo\":{{\"seed\":{}}}}}", self.spec.seed),
        })
    }
}
