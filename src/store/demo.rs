//! Realistic sample data of any size, deterministic from a seed (`admin-portal demo`).
//!
//! Built for speed: 100,000 customers and 1,000,000 cameras are written in batches of
//! [`BATCH`] customers, each batch one transaction with cached prepared statements, cameras
//! inserted already linked, and no `SELECT` per row (ids come from `last_insert_rowid`).
//! Everything is derived from the seed except the timestamps, which end at the time of the fill.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use rusqlite::{OptionalExtension, Transaction, params};

use super::customers::insert_role;
use super::{Result, Store, StoreError};
use crate::domain::{
    Address, Billing, Contact, CustomerProfile, CustomerType, DefaultSettings, Id, PaymentTerms,
    Permissions, Role, RoleType, UserCreation,
};

/// Customers written per transaction; progress is reported after each.
const BATCH: u64 = 10_000;
/// Unlinked inventory cameras written per transaction.
const INVENTORY_BATCH: u64 = 200_000;
/// Beyond these sizes the generated MAC ranges could run out.
const MAX_CUSTOMERS: u64 = 5_000_000;
const MAX_CAMERAS: u64 = 10_000_000;
/// The demo data's timeline: customers were created over the last four years.
const HISTORY_SECS: i64 = 4 * 365 * 24 * 3600;
/// Page cache for the fill (KiB, as `PRAGMA cache_size` takes negative numbers): the indexes on
/// random keys (names, e-mails) stay in memory instead of spilling to the log.
const FILL_CACHE_KIB: i64 = 256 * 1024;

/// How much sample data to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    pub customers: u64,
    /// The whole inventory; about three quarters end up linked to customers.
    pub cameras: u64,
    pub seed: u64,
}

impl Default for DemoSpec {
    fn default() -> Self {
        Self {
            customers: 1_000,
            cameras: 10_000,
            seed: 1,
        }
    }
}

/// What a fill wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DemoReport {
    pub customers: u64,
    pub cameras: u64,
    /// Cameras linked to a customer.
    pub linked: u64,
    pub users: u64,
    pub roles: u64,
    pub plans: u64,
    pub elapsed: Duration,
}

impl DemoReport {
    /// One line for the operator.
    pub fn summary(&self) -> String {
        format!(
            "{} customers, {} cameras ({} linked), {} roles, {} users, {} plans in {:.1} s",
            self.customers,
            self.cameras,
            self.linked,
            self.roles,
            self.users,
            self.plans,
            self.elapsed.as_secs_f64()
        )
    }
}

impl Store {
    /// Fills an empty store with sample data; refuses a store that already has customers.
    /// `progress` receives lines like "customers 20000/100000" after every transaction.
    pub fn fill_demo(
        &mut self,
        spec: &DemoSpec,
        progress: &mut dyn FnMut(&str),
    ) -> Result<DemoReport> {
        let started = Instant::now();
        if spec.customers > MAX_CUSTOMERS || spec.cameras > MAX_CAMERAS {
            return Err(StoreError::Refused(format!(
                "demo data is limited to {MAX_CUSTOMERS} customers and {MAX_CAMERAS} cameras"
            )));
        }
        let password_hash = demo_password_hash()?;
        let mut filler = Filler::new(spec, password_hash);
        self.write(|tx| filler.start(tx))?;
        progress(&format!("plans {}/{}", filler.report.plans, PLANS.len()));

        let cache: i64 = self
            .conn()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn()
            .execute_batch(&format!("PRAGMA cache_size = -{FILL_CACHE_KIB}"))?;
        let filled = self.fill_rest(&mut filler, progress);
        // Give the memory back whatever happened.
        self.conn()
            .execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
        filled?;
        // Leave no log of the fill's size behind; best effort, a reader may hold it open.
        self.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;

        filler.report.elapsed = started.elapsed();
        Ok(filler.report)
    }

    fn fill_rest(&mut self, filler: &mut Filler, progress: &mut dyn FnMut(&str)) -> Result<()> {
        let total = filler.spec.customers;
        let mut done = 0;
        while done < total {
            let end = (done + BATCH).min(total);
            self.write(|tx| bulk(tx, |tx| filler.customers(tx, done..end)))?;
            done = end;
            progress(&format!("customers {done}/{total}"));
        }
        let inventory = filler.spec.cameras - filler.report.linked;
        let mut done = 0;
        while done < inventory {
            let end = (done + INVENTORY_BATCH).min(inventory);
            self.write(|tx| bulk(tx, |tx| filler.inventory(tx, end - done)))?;
            done = end;
            progress(&format!("unlinked cameras {done}/{inventory}"));
        }
        self.write(|tx| filler.closing_audit(tx))
    }
}

/// The search indexes (migrations V2 and V3) a fill writes to: each FTS5 table, the table or
/// view it reads its content from (by the same column names, rowid `id`), and its insert trigger.
const SEARCH_INDEXES: &[(&str, &str, &str)] = &[
    ("customers_fts", "customers_search", "customers_fts_insert"),
    ("cameras_fts", "cameras", "cameras_fts_insert"),
];

/// Runs one batch of the fill with the search indexes filled in bulk rather than by their insert
/// triggers, all in the batch's transaction.
///
/// Why: every one-row `INSERT` that fires a trigger runs in a statement savepoint, and FTS5 writes
/// its pending terms out as a segment at each savepoint, so filling 1,000,000 cameras through
/// the trigger wrote about a million one-row segments and merged them over and over (129 s
/// instead of 11 s). Here the insert triggers are dropped, the batch is written, the new rows
/// (ids above the largest before the batch; ids only grow, AUTOINCREMENT) are indexed with one
/// `INSERT ... SELECT` from the index's own content table (what FTS5's `rebuild` reads, limited to
/// the new rows), and the triggers are created again from the very text `sqlite_master` held.
/// So every committed state, even after a crash between batches, has its triggers and a
/// complete index; nothing of the migrations' SQL is copied here.
fn bulk<T>(tx: &Transaction<'_>, batch: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    let mut paused = Vec::new();
    for &(fts, content, trigger) in SEARCH_INDEXES {
        let sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [trigger],
                |r| r.get(0),
            )
            .optional()?;
        // No trigger (a schema without this index): nothing to pause or fill.
        let Some(sql) = sql else { continue };
        let from: i64 = tx.query_row(
            &format!("SELECT ifnull(max(id), 0) FROM \"{content}\""),
            [],
            |r| r.get(0),
        )?;
        tx.execute_batch(&format!("DROP TRIGGER \"{trigger}\""))?;
        paused.push((fts, content, sql, from));
    }
    let out = batch(tx)?;
    for (fts, content, sql, from) in paused {
        let columns: Vec<String> = tx
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{fts}') ORDER BY cid"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let columns = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        tx.execute(
            &format!(
                "INSERT INTO \"{fts}\" (rowid, {columns})
                 SELECT id, {columns} FROM \"{content}\" WHERE id > ?1 ORDER BY id"
            ),
            [from],
        )?;
        tx.execute_batch(&sql)?;
    }
    Ok(out)
}

/// One Argon2id hash shared by every demo user. Hashing per user would take minutes at 100,000
/// customers; one hash of a random password nobody knows is as good for sample data: no demo
/// user can sign in until an operator resets its password.
fn demo_password_hash() -> Result<String> {
    use argon2::password_hash::{PasswordHasher, phc::PasswordHash};
    let password: [u8; 24] = rand::random();
    let hash: PasswordHash = argon2::Argon2::default()
        .hash_password(&password)
        .map_err(|e| StoreError::Refused(format!("cannot hash the demo password: {e}")))?;
    Ok(hash.to_string())
}

/// splitmix64: small, fast and good enough for sample data; no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    /// Picks from `(weight, item)` pairs.
    fn weighted<'a, T>(&mut self, items: &'a [(u64, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(w, _)| w).sum();
        let mut at = self.below(total);
        for (w, item) in items {
            if at < *w {
                return item;
            }
            at -= w;
        }
        &items[items.len() - 1].1
    }
}

/// The state of one fill: the generator, what must stay unique, and the running totals.
struct Filler {
    spec: DemoSpec,
    rng: Rng,
    password_hash: String,
    report: DemoReport,
    plan_ids: Vec<Id>,
    /// Linked cameras of each customer, drawn up front so the totals come out exact.
    camera_counts: Vec<u64>,
    /// Sub-integrators written so far, with whether they are disabled.
    integrators: Vec<(Id, bool)>,
    /// Lower-cased company names taken, and the next number to try after a name and city.
    names: HashSet<String>,
    name_numbers: HashMap<String, u64>,
    emails: HashSet<String>,
    /// Next MAC suffix per OUI and next serial number per vendor.
    mac_next: Vec<u32>,
    serial_next: Vec<u64>,
    /// MACs and serials already in the store's inventory (empty unless it had cameras).
    taken_macs: HashSet<String>,
    taken_serials: HashSet<String>,
    now: i64,
}

/// What the rows of one customer need beyond its profile.
struct CustomerCtx {
    id: Id,
    country: &'static Country,
    domain: String,
    created_at: String,
    disabled: bool,
    vendor: usize,
}

impl Filler {
    fn new(spec: &DemoSpec, password_hash: String) -> Self {
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
    fn start(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let customers: i64 = tx.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
        if customers > 0 {
            return Err(StoreError::Refused(format!(
                "the store already has {}; demo fills an empty store",
                crate::domain::count::count(customers, "customer")
            )));
        }
        let mut stmt = tx.prepare("SELECT mac, lower(serial) FROM cameras")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            self.taken_macs.insert(row.get(0)?);
            self.taken_serials.insert(row.get(1)?);
        }
        let ts = self.timestamp(self.now - HISTORY_SECS - 86_400);
        let mut insert = tx.prepare_cached(
            "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at,
                updated_at)
             VALUES (?1, ?2, ?3, ?4, 'USD', ?5, ?5) ON CONFLICT (name) DO NOTHING",
        )?;
        let mut find = tx.prepare_cached("SELECT id FROM plans WHERE name = ?1")?;
        for (name, days, mode, cents) in PLANS {
            self.report.plans += insert.execute(params![name, days, mode, cents, ts])? as u64;
            self.plan_ids.push(find.query_row([name], |r| r.get(0))?);
        }
        Ok(())
    }

    fn customers(&mut self, tx: &Transaction<'_>, range: std::ops::Range<u64>) -> Result<()> {
        for i in range {
            self.customer(tx, i)?;
        }
        Ok(())
    }

    fn customer(&mut self, tx: &Transaction<'_>, i: u64) -> Result<()> {
        let (profile, mut ctx) = self.profile(i);
        let (status, by_parent) = self.status(&profile, &mut ctx);
        ctx.id = insert_customer_row(tx, &profile, status, by_parent, &ctx.created_at)?;
        insert_billing_row(tx, ctx.id, &profile.billing)?;
        if profile.kind == CustomerType::Integrator {
            self.integrators.push((ctx.id, ctx.disabled));
        }
        let cameras = self.linked_cameras(tx, &ctx, self.camera_counts[i as usize])?;
        let roles = self.roles(tx, &ctx, &profile, &cameras)?;
        let users = self.users(tx, &ctx, &profile, &roles)?;
        let summary = format!(
            "created {} with {}, {}, {} (demo data)",
            profile.kind.label().to_lowercase(),
            crate::domain::count::count(cameras.len(), "camera"),
            crate::domain::count::count(roles.len(), "role"),
            crate::domain::count::count(users, "user")
        );
        let name = profile.contact.company.as_str();
        let details = format!("{{\"demo\":{{\"seed\":{}}}}}", self.spec.seed);
        let mut audit = tx.prepare_cached(
            "INSERT INTO audit (at, operator, action, customer_id, customer_name, summary, details)
             VALUES (?1, 'demo', ?2, ?3, ?4, ?5, ?6)",
        )?;
        audit.execute(params![
            ctx.created_at,
            "customer.create",
            ctx.id,
            name,
            summary,
            details
        ])?;
        if ctx.disabled {
            let why = if by_parent {
                "disabled with its sub-integrator; cameras stopped recording, users blocked"
            } else {
                "disabled; cameras stopped recording, users blocked"
            };
            audit.execute(params![
                ctx.created_at,
                "customer.disable",
                ctx.id,
                name,
                why,
                details
            ])?;
        }
        self.report.customers += 1;
        Ok(())
    }

    /// Active or disabled; customers of a disabled sub-integrator are disabled by their parent.
    fn status(&mut self, p: &CustomerProfile, ctx: &mut CustomerCtx) -> (&'static str, bool) {
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

    fn profile(&mut self, i: u64) -> (CustomerProfile, CustomerCtx) {
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

    fn billing(&mut self, country: &'static Country, domain: &str) -> (Billing, Option<Id>) {
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
    fn company_name(
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
    fn unique_email(&mut self, first: &str, last: &str, domain: &str) -> String {
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

    fn created_at(&mut self, i: u64) -> String {
        let n = self.spec.customers.max(1) as i64;
        let step = HISTORY_SECS / n;
        let at =
            self.now - HISTORY_SECS + i as i64 * step + self.rng.below(step.max(1) as u64) as i64;
        self.timestamp(at)
    }

    fn timestamp(&self, second: i64) -> String {
        jiff::Timestamp::from_second(second.min(self.now))
            .map(|t| t.to_string())
            .unwrap_or_else(|_| super::now())
    }

    /// Writes the customer's cameras, linked from the start; returns their ids.
    fn linked_cameras(
        &mut self,
        tx: &Transaction<'_>,
        ctx: &CustomerCtx,
        n: u64,
    ) -> Result<Vec<Id>> {
        let mut ids = Vec::with_capacity(n as usize);
        let start = self.rng.below(CAMERA_NAMES.len() as u64) as usize;
        for j in 0..n as usize {
            let round = j / CAMERA_NAMES.len();
            let base = CAMERA_NAMES[(start + j) % CAMERA_NAMES.len()];
            let name = if round == 0 {
                base.to_string()
            } else {
                format!("{base} {}", round + 1)
            };
            let vendor = if self.rng.percent(70) {
                ctx.vendor
            } else {
                self.rng.below(VENDORS.len() as u64) as usize
            };
            // Most cameras follow their customer's recording plan; one in ten has its own.
            let plan = if self.rng.percent(10) {
                Some(*self.rng.pick(&self.plan_ids))
            } else {
                None
            };
            let recording = self.rng.percent(95);
            let (recording, before) = if ctx.disabled {
                (false, Some(recording))
            } else {
                (recording, None)
            };
            let location = *self.rng.pick(LOCATIONS);
            let cam = Cam {
                name: &name,
                location,
                customer: Some(ctx.id),
                plan,
                recording,
                before,
                at: &ctx.created_at,
            };
            ids.push(self.insert_camera(tx, vendor, &cam)?);
        }
        self.report.linked += n;
        Ok(ids)
    }

    /// Unlinked cameras of the integrator's own inventory.
    fn inventory(&mut self, tx: &Transaction<'_>, n: u64) -> Result<()> {
        for _ in 0..n {
            let vendor = self.rng.below(VENDORS.len() as u64) as usize;
            let name = *self.rng.pick(CAMERA_NAMES);
            let location = *self.rng.pick(STOCK_LOCATIONS);
            let back = self.rng.below(HISTORY_SECS as u64) as i64;
            let at = self.timestamp(self.now - back);
            let cam = Cam {
                name,
                location,
                customer: None,
                plan: None,
                recording: false,
                before: None,
                at: &at,
            };
            self.insert_camera(tx, vendor, &cam)?;
        }
        Ok(())
    }

    fn insert_camera(&mut self, tx: &Transaction<'_>, vendor: usize, cam: &Cam<'_>) -> Result<Id> {
        let (mac, serial) = self.mac_and_serial(vendor);
        let model = *self.rng.pick(VENDORS[vendor].models);
        tx.prepare_cached(
            "INSERT INTO cameras (name, mac, serial, model, location, customer_id, plan_id,
                recording, recording_before_disable, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        )?
        .execute(params![
            cam.name,
            mac,
            serial,
            model,
            cam.location,
            cam.customer,
            cam.plan,
            cam.recording,
            cam.before,
            cam.at
        ])?;
        self.report.cameras += 1;
        Ok(tx.last_insert_rowid())
    }

    /// A fresh MAC from one of the vendor's OUIs (counting up, so the index grows at a few
    /// points instead of everywhere) and a serial in the vendor's style.
    fn mac_and_serial(&mut self, vendor: usize) -> (String, String) {
        loop {
            let v = &VENDORS[vendor];
            let oui_index = v.ouis[self.rng.below(v.ouis.len() as u64) as usize];
            let step = 1 + self.rng.below(2) as u32;
            let suffix = self.mac_next[oui_index];
            self.mac_next[oui_index] = suffix + step;
            let mac = (u64::from(OUIS[oui_index]) << 24) | u64::from(suffix & 0xFF_FFFF);
            let mac_text = format_mac(mac);
            let serial = match v.serial {
                SerialStyle::Mac => format!("{mac:012X}"),
                SerialStyle::Prefixed(prefix, digits) => {
                    let n = self.serial_next[vendor];
                    self.serial_next[vendor] += 1;
                    format!("{prefix}{n:0digits$}")
                }
            };
            if self.taken_macs.is_empty()
                || (!self.taken_macs.contains(&mac_text)
                    && !self.taken_serials.contains(&serial.to_lowercase()))
            {
                return (mac_text, serial);
            }
        }
    }

    /// Owner and Admin, and sometimes a Guard role over some of the cameras; returns role ids.
    fn roles(
        &mut self,
        tx: &Transaction<'_>,
        ctx: &CustomerCtx,
        p: &CustomerProfile,
        cameras: &[Id],
    ) -> Result<Vec<(Id, RoleType)>> {
        let mut ids = vec![
            (
                insert_role(tx, ctx.id, &OWNER, &ctx.created_at)?,
                RoleType::Admin,
            ),
            (
                insert_role(tx, ctx.id, &ADMIN, &ctx.created_at)?,
                RoleType::Admin,
            ),
        ];
        if cameras.len() >= 2 && self.rng.percent(35) {
            let mut chosen: Vec<Id> = cameras
                .iter()
                .copied()
                .filter(|_| self.rng.percent(50))
                .collect();
            if chosen.is_empty() {
                chosen.push(cameras[0]);
            }
            let (name, description) = *self.rng.pick(GUARD_ROLES);
            let guard = Role {
                id: None,
                name: name.into(),
                description: description.into(),
                system: None,
                role_type: RoleType::Guard,
                all_cameras: false,
                camera_ids: chosen,
                new_camera_refs: vec![],
                permissions: Permissions {
                    share: !p.defaults.disable_camera_share && self.rng.percent(40),
                    ptz: self.rng.percent(60),
                    update_delete: false,
                    save_clip: self.rng.percent(30),
                },
            };
            ids.push((
                insert_role(tx, ctx.id, &guard, &ctx.created_at)?,
                RoleType::Guard,
            ));
        }
        self.report.roles += ids.len() as u64;
        Ok(ids)
    }

    /// One to five users: the contact person holds Owner, the others Admin or the Guard role.
    fn users(
        &mut self,
        tx: &Transaction<'_>,
        ctx: &CustomerCtx,
        p: &CustomerProfile,
        roles: &[(Id, RoleType)],
    ) -> Result<u64> {
        let n = *self
            .rng
            .weighted(&[(30, 1u64), (30, 2), (20, 3), (12, 4), (8, 5)]);
        let mut insert = tx.prepare_cached(
            "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
                must_confirm_email, must_change_password, active, blocked, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        )?;
        let mut grant =
            tx.prepare_cached("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?;
        for k in 0..n {
            let (first, last, email, role) = if k == 0 {
                let c = &p.contact;
                let email = if self.emails.contains(&c.email) {
                    c.email.clone()
                } else {
                    self.unique_email(&c.first_name, &c.last_name, &ctx.domain)
                };
                (c.first_name.clone(), c.last_name.clone(), email, roles[0].0)
            } else {
                let (first, last) = person(&mut self.rng, ctx.country);
                let email = self.unique_email(first, last, &ctx.domain);
                let guard = roles.get(2).filter(|_| self.rng.percent(60));
                let role = guard.map_or(roles[1].0, |g| g.0);
                (first.to_string(), last.to_string(), email, role)
            };
            // Older accounts have mostly confirmed their address and changed their password.
            let confirm = p.user_creation.confirm_email && self.rng.percent(30);
            let change = p.user_creation.change_password && self.rng.percent(30);
            let active = k == 0 || self.rng.percent(95);
            insert.execute(params![
                ctx.id,
                first,
                last,
                email,
                self.password_hash,
                confirm,
                change,
                active,
                ctx.disabled,
                ctx.created_at
            ])?;
            grant.execute(params![tx.last_insert_rowid(), role])?;
        }
        self.report.users += n;
        Ok(n)
    }

    fn closing_audit(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let r = &self.report;
        let summary = format!(
            "filled with demo data (seed {}): {} customers, {} cameras ({} linked), {} users",
            self.spec.seed, r.customers, r.cameras, r.linked, r.users
        );
        tx.execute(
            "INSERT INTO audit (at, operator, action, summary, details)
             VALUES (?1, 'demo', 'demo.fill', ?2, ?3)",
            params![
                self.timestamp(self.now),
                summary,
                format!("{{\"demo\":{{\"seed\":{}}}}}", self.spec.seed)
            ],
        )?;
        Ok(())
    }
}

/// One camera row to write.
struct Cam<'a> {
    name: &'a str,
    location: &'a str,
    customer: Option<Id>,
    plan: Option<Id>,
    recording: bool,
    before: Option<bool>,
    at: &'a str,
}

fn insert_customer_row(
    tx: &Transaction<'_>,
    p: &CustomerProfile,
    status: &str,
    by_parent: bool,
    at: &str,
) -> Result<Id> {
    let c = &p.contact;
    let a = &c.address;
    tx.prepare_cached(
        "INSERT INTO customers (kind, parent_id, name, contact_first, contact_last, email, phone,
            address1, address2, city, state, postal_code, country, time_zone, reference, notes,
            disable_admin_portal, disable_camera_share, default_plan_id, confirm_email,
            change_password, status, disabled_by_parent, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24, ?24)",
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
    Ok(tx.last_insert_rowid())
}

fn insert_billing_row(tx: &Transaction<'_>, id: Id, b: &Billing) -> Result<()> {
    let a = &b.address;
    tx.prepare_cached(
        "INSERT INTO billing (customer_id, same_as_company, contact, email, phone, address1,
            address2, city, state, postal_code, country, tax_id, tax_exempt, terms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        id,
        b.same_as_company,
        b.contact,
        b.email,
        b.phone,
        a.line1,
        a.line2,
        a.city,
        a.state,
        a.postal_code,
        a.country,
        b.tax_id,
        b.tax_exempt,
        b.terms.as_str(),
    ])?;
    Ok(())
}

/// Shares `total` linked cameras among `customers`, unevenly: most have a few, about one in
/// ten a few dozen, one in a hundred hundreds.
fn spread(rng: &mut Rng, customers: u64, total: u64) -> Vec<u64> {
    let weights: Vec<u64> = (0..customers)
        .map(|_| match rng.below(100) {
            0 => rng.range(150, 600),
            1..10 => rng.range(10, 40),
            _ => {
                // Skewed towards the low end of 2..=20.
                let u = rng.below(1000);
                2 + u * u * 18 / 1_000_000
            }
        })
        .collect();
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut counts: Vec<u64> = weights
        .iter()
        .map(|&w| (u128::from(total) * u128::from(w) / u128::from(sum)) as u64)
        .collect();
    let mut left = total - counts.iter().sum::<u64>();
    let n = counts.len();
    if n == 0 {
        return counts;
    }
    let mut i = rng.below(n as u64) as usize;
    while left > 0 {
        counts[i % n] += 1;
        left -= 1;
        i += 1;
    }
    counts
}

fn person(rng: &mut Rng, country: &Country) -> (&'static str, &'static str) {
    let (firsts, lasts) = country.people;
    (*rng.pick(firsts), *rng.pick(lasts))
}

/// Lower-case ASCII letters and digits of `s`, accents folded, everything else dropped.
fn ascii_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        match ch {
            'a'..='z' | '0'..='9' => out.push(ch),
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'à' | 'á' | 'â' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' => out.push('i'),
            'ô' => out.push('o'),
            'ù' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            _ => {}
        }
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

fn format_mac(mac: u64) -> String {
    let b = mac.to_be_bytes();
    format!(
        "{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
        b[2], b[3], b[4], b[5], b[6], b[7]
    )
}

/// A telephone number in the city's format, from the ranges set aside for fiction where the
/// country has them (555-01xx in North America, Ofcom's drama numbers in Britain).
fn phone(rng: &mut Rng, city: &City) -> String {
    let area = city.area;
    match city.phone {
        PhoneStyle::NorthAmerica => format!("+1 ({area}) 555-01{:02}", rng.below(100)),
        PhoneStyle::Britain => format!("+44 {area} 0{:03}", rng.below(1000)),
        PhoneStyle::France => format!(
            "+33 {area} {:02} {:02} {:02} {:02}",
            rng.below(100),
            rng.below(100),
            rng.below(100),
            rng.below(100)
        ),
        PhoneStyle::Germany => format!("+49 {area} {}", rng.range(1_000_000, 9_999_999)),
    }
}

fn address(rng: &mut Rng, country: &Country, city: &City) -> Address {
    let street = rng.pick(country.streets);
    let number = rng.range(1, if country.code == "US" { 9999 } else { 180 });
    let line1 = if country.number_after_street {
        format!("{street} {number}")
    } else {
        format!("{number} {street}")
    };
    let line2 = if rng.percent(25) {
        rng.pick(country.second_lines)
            .replace('#', &rng.range(1, 30).to_string())
    } else {
        String::new()
    };
    let postal_code = match city.postal {
        Postal::Digits(prefix, width) => {
            let rest = width - prefix.len();
            let max = 10u64.pow(rest as u32);
            format!("{prefix}{:0rest$}", rng.below(max))
        }
        Postal::Canada(fsa) => {
            let letter = (b'A' + rng.below(26) as u8) as char;
            format!("{fsa} {}{letter}{}", rng.below(10), rng.below(10))
        }
        Postal::Britain(outward) => {
            let l1 = b"ABDEFGHJLNPQRSTUWXYZ"[rng.below(20) as usize] as char;
            let l2 = b"ABDEFGHJLNPQRSTUWXYZ"[rng.below(20) as usize] as char;
            format!("{} {}{l1}{l2}", rng.pick(outward), rng.below(10))
        }
    };
    Address {
        line1,
        line2,
        city: city.name.into(),
        state: city.state.into(),
        postal_code,
        country: country.code.into(),
    }
}

fn tax_id(rng: &mut Rng, country: &str) -> String {
    match country {
        "US" => format!("{:02}-{:07}", rng.range(10, 99), rng.below(10_000_000)),
        "CA" => format!("{:09} RT0001", rng.range(100_000_000, 999_999_999)),
        "GB" => format!("GB{:09}", rng.range(100_000_000, 999_999_999)),
        "FR" => format!(
            "FR{:02}{:09}",
            rng.below(100),
            rng.range(100_000_000, 999_999_999)
        ),
        _ => format!("DE{:09}", rng.range(100_000_000, 999_999_999)),
    }
}

// ---- the word lists ---------------------------------------------------------------------------

/// Name, retention days, mode, price per camera per month in cents (USD).
const PLANS: [(&str, i64, &str, i64); 6] = [
    ("Basic 7 days event", 7, "event", 499),
    ("Standard 30", 30, "continuous", 999),
    ("Standard 30 event", 30, "event", 799),
    ("Pro 90", 90, "continuous", 1999),
    ("Enterprise 180", 180, "continuous", 3499),
    ("Compliance 365", 365, "continuous", 5999),
];

static OWNER: std::sync::LazyLock<Role> = std::sync::LazyLock::new(Role::owner);
static ADMIN: std::sync::LazyLock<Role> = std::sync::LazyLock::new(Role::admin);

const GUARD_ROLES: &[(&str, &str)] = &[
    (
        "Night guards",
        "Night-shift guards: live view of the chosen cameras",
    ),
    (
        "Night guards",
        "Night-shift guards: live view of the chosen cameras",
    ),
    ("Day guards", "Day-shift guards at the front desk"),
    ("Front desk", "Reception staff: entrances and lobby"),
    ("Patrol", "Mobile patrol: perimeter and parking"),
];

enum SerialStyle {
    /// Axis prints the MAC address as the serial number.
    Mac,
    /// A fixed prefix and a zero-padded counter of this many digits.
    Prefixed(&'static str, usize),
}

struct Vendor {
    /// Indexes into [`OUIS`].
    ouis: &'static [usize],
    models: &'static [&'static str],
    serial: SerialStyle,
}

/// Organisationally unique identifiers of the vendors below.
const OUIS: [u32; 13] = [
    0x00408C, 0xACCC8E, 0xB8A44F, // Axis
    0x000918, 0xE43022, // Hanwha
    0x4419B6, 0xBCAD28, 0xC056E3, // Hikvision
    0x3CEF8C, 0xE0508B, // Dahua
    0x00075F, 0x000463, // Bosch
    0x001885, // Avigilon
];

const VENDORS: [Vendor; 6] = [
    Vendor {
        ouis: &[0, 1, 2],
        models: &[
            "Axis P3245-LVE",
            "Axis M3106-L Mk II",
            "Axis Q6135-LE",
            "Axis P1465-LE",
            "Axis M2036-LE",
            "Axis P3727-PLE",
            "Axis Q1656-LE",
        ],
        serial: SerialStyle::Mac,
    },
    Vendor {
        ouis: &[3, 4],
        models: &[
            "Hanwha XNV-8080R",
            "Hanwha XND-6080RV",
            "Hanwha QNV-7082R",
            "Hanwha PNM-9084RQZ",
            "Hanwha XNO-6120R",
            "Hanwha QND-8020R",
        ],
        serial: SerialStyle::Prefixed("ZC7L", 8),
    },
    Vendor {
        ouis: &[5, 6, 7],
        models: &[
            "Hikvision DS-2CD2143G2-I",
            "Hikvision DS-2CD2387G2-LU",
            "Hikvision DS-2DE4425IW-DE",
            "Hikvision DS-2CD2T47G2-L",
            "Hikvision DS-2CD2347G2-LU",
        ],
        serial: SerialStyle::Prefixed("K", 8),
    },
    Vendor {
        ouis: &[8, 9],
        models: &[
            "Dahua IPC-HFW2431S-S-S2",
            "Dahua IPC-HDBW2831E-S",
            "Dahua SD49425XB-HNR",
            "Dahua IPC-HFW3849T1-AS-PV",
        ],
        serial: SerialStyle::Prefixed("8D0", 10),
    },
    Vendor {
        ouis: &[10, 11],
        models: &[
            "Bosch FLEXIDOME IP 5000i",
            "Bosch DINION IP 3000i",
            "Bosch AUTODOME IP 4000i",
            "Bosch MIC IP starlight 7100i",
        ],
        serial: SerialStyle::Prefixed("0442", 9),
    },
    Vendor {
        ouis: &[12],
        models: &[
            "Avigilon H5A Bullet 4MP",
            "Avigilon H5SL Dome 2MP",
            "Avigilon H6A Fisheye",
        ],
        serial: SerialStyle::Prefixed("AV", 10),
    },
];

#[rustfmt::skip]
const CAMERA_NAMES: &[&str] = &[
    "Lobby entrance", "Front door", "Back door", "Reception", "Main entrance", "Parking lot north",
    "Parking lot south", "Loading dock 1", "Loading dock 2", "Loading dock 3", "Warehouse aisle 1",
    "Warehouse aisle 2", "Warehouse aisle 3", "Warehouse aisle 4", "Cash register 1",
    "Cash register 2", "Stock room", "Server room", "Hallway east", "Hallway west", "Stairwell A",
    "Stairwell B", "Elevator lobby", "Rooftop", "Perimeter fence", "Gate 1", "Gate 2",
    "Garage entrance", "Break room", "Office corridor", "Shipping area", "Receiving area", "Yard",
    "Bike storage", "Side entrance", "Drive-through", "Fuel pumps", "Dumpster area",
    "Conference room", "Production floor", "Cold room", "Safe room",
];

#[rustfmt::skip]
const LOCATIONS: &[&str] = &[
    "Main building", "Building B", "North wing", "South wing", "Ground floor", "1st floor",
    "2nd floor", "Basement", "Warehouse", "Parking structure", "Exterior", "Annex", "",
];

#[rustfmt::skip]
const STOCK_LOCATIONS: &[&str] = &[
    "Integrator stock", "Shelf B3", "Van 2", "Returned from site", "Pre-staged", "",
];

#[rustfmt::skip]
const COMPANY_WORDS: &[&str] = &[
    "Northwind", "Harbor View", "Summit", "Pinecrest", "Bluewater", "Cedar Ridge", "Lakeside",
    "Silver Oak", "Redwood", "Maple Leaf", "Granite", "Ironwood", "Evergreen", "Riverbend",
    "Westfield", "Eastgate", "Highland", "Sunrise", "Brightwater", "Oakmont", "Stonebridge",
    "Clearview", "Blue Harbor", "Coastal", "Prairie", "Timberline", "Copper Canyon", "Willow Creek",
    "Falcon", "Eagle Point", "Liberty", "Pioneer", "Heritage", "Crescent", "Meridian", "Keystone",
    "Beacon", "Anchor", "Compass", "Atlas", "Apex", "Vertex", "Horizon", "Sterling", "Windsor",
    "Kingsley", "Ashford", "Hawthorne", "Brookside", "Fairview", "Greenfield", "Parkside",
    "Hillcrest", "Bayside", "Northgate", "Southpoint", "Riverside", "Lakeview", "Mountain View",
    "Sandstone", "Cobalt", "Juniper", "Magnolia", "Sequoia", "Aspen", "Cypress", "Birchwood",
    "Elmwood", "Kestrel", "Osprey", "Heron", "Mariner", "Quarry", "Orchard", "Union Square",
    "Bridgeport", "Foxhollow", "Silverline", "Red Rock", "Tidewater",
];

#[rustfmt::skip]
const TRADES: &[&str] = &[
    "Dental", "Logistics", "Storage", "Auto Repair", "Pharmacy", "Bakery", "Realty",
    "Property Management", "Veterinary Clinic", "Fitness", "Medical Center", "Family Practice",
    "Law Group", "Accounting", "Construction", "Builders", "Hardware", "Garden Center",
    "Brewing Company", "Coffee Roasters", "Market", "Grocers", "Motors", "Self Storage", "Freight",
    "Distribution", "Cold Storage", "Manufacturing", "Plastics", "Metalworks", "Printing", "Hotel",
    "Inn", "Apartments", "Condominiums", "Marina", "Golf Club", "Academy", "Day Care",
    "Credit Union", "Insurance", "Car Wash", "Fuel Stop", "Diner", "Bistro", "Pizzeria", "Salon",
    "Spa", "Pet Supply", "Furniture", "Electronics", "Jewelers", "Optometry", "Chiropractic",
    "Physical Therapy", "Senior Living", "Cinema", "Lanes", "Outfitters", "Farms",
];

#[rustfmt::skip]
const INTEGRATOR_TRADES: &[&str] = &[
    "Security", "Security Systems", "Alarm & Video", "Integrated Security", "Surveillance",
    "Protection Services", "Security Solutions", "Video Systems", "Safety & Security",
    "Access & Video",
];

const NOTES: &[&str] = &[
    "Gate code 4512#; call the site manager before any visit.",
    "Prefers e-mail over phone.",
    "Night supervisor on site after 10 pm.",
    "Renewal discussed for next quarter.",
    "Two cameras on the roof need a lift to reach.",
    "Invoices go to the head office, not the site.",
    "Keys held by the property manager.",
];

struct City {
    name: &'static str,
    state: &'static str,
    time_zone: &'static str,
    area: &'static str,
    phone: PhoneStyle,
    postal: Postal,
}

#[derive(Clone, Copy)]
enum PhoneStyle {
    NorthAmerica,
    Britain,
    France,
    Germany,
}

#[derive(Clone, Copy)]
enum Postal {
    /// A fixed prefix completed with random digits to this width.
    Digits(&'static str, usize),
    /// A forward sortation area, completed as "M5V 2T6".
    Canada(&'static str),
    /// Outward codes, completed as "EC1A 1BB".
    Britain(&'static [&'static str]),
}

struct Country {
    code: &'static str,
    tld: &'static str,
    cities: &'static [City],
    streets: &'static [&'static str],
    number_after_street: bool,
    second_lines: &'static [&'static str],
    legal_forms: &'static [&'static str],
    people: (&'static [&'static str], &'static [&'static str]),
}

const fn us(
    name: &'static str,
    state: &'static str,
    tz: &'static str,
    area: &'static str,
    zip: &'static str,
) -> City {
    City {
        name,
        state,
        time_zone: tz,
        area,
        phone: PhoneStyle::NorthAmerica,
        postal: Postal::Digits(zip, 5),
    }
}

const fn ca(
    name: &'static str,
    state: &'static str,
    tz: &'static str,
    area: &'static str,
    fsa: &'static str,
) -> City {
    City {
        name,
        state,
        time_zone: tz,
        area,
        phone: PhoneStyle::NorthAmerica,
        postal: Postal::Canada(fsa),
    }
}

const fn gb(
    name: &'static str,
    state: &'static str,
    area: &'static str,
    outward: &'static [&'static str],
) -> City {
    City {
        name,
        state,
        time_zone: "Europe/London",
        area,
        phone: PhoneStyle::Britain,
        postal: Postal::Britain(outward),
    }
}

const fn fr(name: &'static str, state: &'static str, area: &'static str, cp: &'static str) -> City {
    City {
        name,
        state,
        time_zone: "Europe/Paris",
        area,
        phone: PhoneStyle::France,
        postal: Postal::Digits(cp, 5),
    }
}

const fn de(
    name: &'static str,
    state: &'static str,
    area: &'static str,
    plz: &'static str,
) -> City {
    City {
        name,
        state,
        time_zone: "Europe/Berlin",
        area,
        phone: PhoneStyle::Germany,
        postal: Postal::Digits(plz, 5),
    }
}

#[rustfmt::skip]
const ENGLISH_FIRST: &[&str] = &[
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark",
    "Ashley", "Steven", "Emily", "Andrew", "Michelle", "Kevin", "Amanda", "Brian", "Melissa",
    "Priya", "Wei", "Carlos", "Maria", "Ahmed", "Fatima", "Hiroshi", "Olga", "Diego", "Aisha",
    "Liam", "Olivia", "Noah", "Emma",
];

#[rustfmt::skip]
const ENGLISH_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
    "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Nguyen", "Patel", "Kim", "Chen", "O'Brien", "Murphy",
    "Campbell", "Evans", "Hughes", "Singh", "Kowalski", "Cohen", "Okafor",
];

#[rustfmt::skip]
const FRENCH_FIRST: &[&str] = &[
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Hélène", "Julien", "Nicolas", "Thomas", "Antoine",
    "Mathieu", "François", "Émilie", "Sébastien", "Céline", "Pierre", "Luc", "Margaux", "Théo",
    "Lucas",
];

#[rustfmt::skip]
const FRENCH_LAST: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier",
];

#[rustfmt::skip]
const GERMAN_FIRST: &[&str] = &[
    "Lukas", "Jonas", "Leon", "Finn", "Paul", "Maximilian", "Jürgen", "Stefan", "Andreas", "Anna",
    "Lena", "Sophie", "Marie", "Katharina", "Julia", "Sabine", "Monika", "Jörg", "Uwe", "Björn",
];

#[rustfmt::skip]
const GERMAN_LAST: &[&str] = &[
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann",
];

#[rustfmt::skip]
const NORTH_AMERICAN_STREETS: &[&str] = &[
    "Market Street", "Main Street", "Oak Avenue", "Maple Drive", "Industrial Parkway",
    "Commerce Boulevard", "Harbor Road", "Elm Street", "Washington Avenue", "Lake Shore Drive",
    "Park Avenue", "Broadway", "Cedar Lane", "Mission Street", "2nd Street", "5th Avenue",
    "Pine Street", "Airport Road", "Technology Drive", "River Road",
];

const NORTH_AMERICAN_SECOND: &[&str] = &["Suite #00", "Unit #", "Floor #", "Building B"];

const COUNTRIES: &[(u64, Country)] = &[
    (
        60,
        Country {
            code: "US",
            tld: "com",
            cities: &[
                us("New York", "NY", "America/New_York", "212", "100"),
                us("Brooklyn", "NY", "America/New_York", "718", "112"),
                us("Boston", "MA", "America/New_York", "617", "021"),
                us("Philadelphia", "PA", "America/New_York", "215", "191"),
                us("Atlanta", "GA", "America/New_York", "404", "303"),
                us("Miami", "FL", "America/New_York", "305", "331"),
                us("Detroit", "MI", "America/Detroit", "313", "482"),
                us("Chicago", "IL", "America/Chicago", "312", "606"),
                us("Houston", "TX", "America/Chicago", "713", "770"),
                us("Austin", "TX", "America/Chicago", "512", "787"),
                us("Dallas", "TX", "America/Chicago", "214", "752"),
                us("Minneapolis", "MN", "America/Chicago", "612", "554"),
                us("Nashville", "TN", "America/Chicago", "615", "372"),
                us("Denver", "CO", "America/Denver", "303", "802"),
                us("Phoenix", "AZ", "America/Phoenix", "602", "850"),
                us("Los Angeles", "CA", "America/Los_Angeles", "213", "900"),
                us("San Francisco", "CA", "America/Los_Angeles", "415", "941"),
                us("San Diego", "CA", "America/Los_Angeles", "619", "921"),
                us("Seattle", "WA", "America/Los_Angeles", "206", "981"),
                us("Portland", "OR", "America/Los_Angeles", "503", "972"),
            ],
            streets: NORTH_AMERICAN_STREETS,
            number_after_street: false,
            second_lines: NORTH_AMERICAN_SECOND,
            legal_forms: &["", "", "LLC", "Inc.", "Co.", "Group"],
            people: (ENGLISH_FIRST, ENGLISH_LAST),
        },
    ),
    (
        12,
        Country {
            code: "CA",
            tld: "ca",
            cities: &[
                ca("Toronto", "ON", "America/Toronto", "416", "M5V"),
                ca("Ottawa", "ON", "America/Toronto", "613", "K1P"),
                ca("Montreal", "QC", "America/Toronto", "514", "H3B"),
                ca("Vancouver", "BC", "America/Vancouver", "604", "V6B"),
                ca("Calgary", "AB", "America/Edmonton", "403", "T2P"),
                ca("Halifax", "NS", "America/Halifax", "902", "B3J"),
            ],
            streets: NORTH_AMERICAN_STREETS,
            number_after_street: false,
            second_lines: NORTH_AMERICAN_SECOND,
            legal_forms: &["", "", "Inc.", "Ltd."],
            people: (ENGLISH_FIRST, ENGLISH_LAST),
        },
    ),
    (
        12,
        Country {
            code: "GB",
            tld: "co.uk",
            cities: &[
                gb(
                    "London",
                    "Greater London",
                    "20 7946",
                    &["EC1A", "SW1A", "W1D", "E14", "N1"],
                ),
                gb("Manchester", "Greater Manchester", "161 496", &["M1", "M4"]),
                gb("Birmingham", "West Midlands", "121 496", &["B1", "B3"]),
                gb("Leeds", "West Yorkshire", "113 496", &["LS1", "LS2"]),
                gb("Bristol", "Bristol", "117 496", &["BS1", "BS2"]),
                gb("Edinburgh", "Scotland", "131 496", &["EH1", "EH2"]),
            ],
            streets: &[
                "High Street",
                "Station Road",
                "Church Lane",
                "Victoria Road",
                "Mill Lane",
                "King Street",
                "Queen Street",
                "Park Road",
                "London Road",
                "Bridge Street",
            ],
            number_after_street: false,
            second_lines: &["Unit #", "Floor #", "Suite #"],
            legal_forms: &["Ltd", "Ltd", "", "Group"],
            people: (ENGLISH_FIRST, ENGLISH_LAST),
        },
    ),
    (
        8,
        Country {
            code: "FR",
            tld: "fr",
            cities: &[
                fr("Paris", "Île-de-France", "1", "750"),
                fr("Lyon", "Auvergne-Rhône-Alpes", "4", "690"),
                fr("Marseille", "Provence-Alpes-Côte d'Azur", "4", "130"),
                fr("Toulouse", "Occitanie", "5", "310"),
                fr("Bordeaux", "Nouvelle-Aquitaine", "5", "330"),
                fr("Lille", "Hauts-de-France", "3", "590"),
                fr("Nantes", "Pays de la Loire", "2", "440"),
            ],
            streets: &[
                "rue de la République",
                "avenue Jean Jaurès",
                "rue Victor Hugo",
                "boulevard Haussmann",
                "rue du Commerce",
                "avenue de la Gare",
                "rue Pasteur",
                "quai des Chartrons",
            ],
            number_after_street: false,
            second_lines: &["Bâtiment B", "#e étage", "Zone d'activités"],
            legal_forms: &["SARL", "SAS", ""],
            people: (FRENCH_FIRST, FRENCH_LAST),
        },
    ),
    (
        8,
        Country {
            code: "DE",
            tld: "de",
            cities: &[
                de("Berlin", "Berlin", "30", "101"),
                de("München", "Bayern", "89", "803"),
                de("Hamburg", "Hamburg", "40", "200"),
                de("Frankfurt am Main", "Hessen", "69", "603"),
                de("Köln", "Nordrhein-Westfalen", "221", "506"),
                de("Stuttgart", "Baden-Württemberg", "711", "701"),
            ],
            streets: &[
                "Hauptstraße",
                "Bahnhofstraße",
                "Industriestraße",
                "Gartenstraße",
                "Schillerstraße",
                "Goethestraße",
                "Am Hafen",
                "Lindenallee",
            ],
            number_after_street: true,
            second_lines: &["Hinterhaus", "#. OG", "Halle #"],
            legal_forms: &["GmbH", "GmbH", "AG", "KG"],
            people: (GERMAN_FIRST, GERMAN_LAST),
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate;
    use crate::store::{CustomerQuery, OpenMode};

    fn filled(customers: u64, cameras: u64, seed: u64) -> (tempfile::TempDir, Store, DemoReport) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("demo.db"), OpenMode::Create).unwrap();
        let mut lines = Vec::new();
        let spec = DemoSpec {
            customers,
            cameras,
            seed,
        };
        let report = store
            .fill_demo(&spec, &mut |l| lines.push(l.to_string()))
            .unwrap();
        assert!(
            lines
                .iter()
                .any(|l| l == &format!("customers {customers}/{customers}"))
        );
        (dir, store, report)
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn fills_a_thousand_customers_consistently() {
        let (_dir, store, report) = filled(1_000, 10_000, 7);
        assert_eq!(report.customers, 1_000);
        assert_eq!(report.cameras, 10_000);
        assert_eq!(report.linked, 7_500);
        assert_eq!(report.plans, 6);
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 1_000);
        assert_eq!(count(&store, "SELECT count(*) FROM cameras"), 10_000);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM cameras WHERE customer_id IS NOT NULL"
            ),
            7_500
        );
        assert_eq!(
            count(&store, "SELECT count(*) FROM users") as u64,
            report.users
        );
        assert_eq!(
            count(&store, "SELECT count(*) FROM roles") as u64,
            report.roles
        );
        assert_eq!(count(&store, "SELECT count(*) FROM billing"), 1_000);
        assert!(store.integrity_problems().unwrap().is_empty());

        let integrators = count(
            &store,
            "SELECT count(*) FROM customers WHERE kind = 'integrator'",
        );
        assert!(
            (20..=90).contains(&integrators),
            "{integrators} integrators"
        );
        assert!(
            count(
                &store,
                "SELECT count(*) FROM customers WHERE parent_id IS NOT NULL"
            ) > 0
        );
        assert!(
            count(
                &store,
                "SELECT count(*) FROM customers WHERE status = 'disabled'"
            ) > 0
        );
        // Every customer has Owner and Admin, and an Owner user as its first user.
        assert_eq!(
            count(&store, "SELECT count(*) FROM roles WHERE system = 'owner'"),
            1_000
        );
        assert_eq!(
            count(&store, "SELECT count(*) FROM roles WHERE system = 'admin'"),
            1_000
        );
        assert_eq!(
            count(
                &store,
                "SELECT count(DISTINCT u.customer_id) FROM users u JOIN user_roles ur
                 ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE r.system = 'owner'"
            ),
            1_000
        );
        assert!(
            count(
                &store,
                "SELECT count(*) FROM roles WHERE role_type = 'guard'"
            ) > 0
        );
        assert!(count(&store, "SELECT count(*) FROM role_cameras") > 0);
        // Uneven spread: a few large customers.
        assert!(
            count(
                &store,
                "SELECT max(n) FROM (SELECT count(*) n FROM cameras GROUP BY customer_id
                 HAVING customer_id IS NOT NULL)"
            ) >= 100
        );
        // Disabled customers' cameras do not record and their users are blocked.
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM cameras JOIN customers c ON c.id = cameras.customer_id
                 WHERE c.status = 'disabled' AND (recording = 1 OR recording_before_disable IS NULL)"
            ),
            0
        );
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM audit WHERE action = 'customer.create' AND operator = 'demo'"
            ),
            1_000
        );
    }

    #[test]
    fn everything_written_passes_validation() {
        let (_dir, store, _) = filled(300, 2_000, 3);
        let ids: Vec<Id> = store
            .customer_page(&CustomerQuery::default(), 0, 1_000)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids.len(), 300);
        for id in ids {
            let c = store.customer(id).unwrap().unwrap();
            let errors = validate::validate_profile(&c.profile);
            assert!(errors.is_empty(), "{}: {errors:?}", c.name());
            for cam in store.cameras_of(id).unwrap() {
                assert!(validate::validate_camera(&cam.spec).is_empty(), "{cam:?}");
                assert_eq!(
                    validate::normalize_mac(&cam.spec.mac).unwrap(),
                    cam.spec.mac
                );
            }
            for role in store.roles_of(id).unwrap() {
                assert!(validate::validate_role(&role).is_empty(), "{role:?}");
            }
        }
        let hash: String = store
            .conn()
            .query_row("SELECT password_hash FROM users LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
    }

    #[test]
    fn same_seed_same_data_and_unique_keys() {
        let dump = |store: &Store| -> Vec<String> {
            let mut stmt = store
                .conn()
                .prepare(
                    "SELECT name || '|' || email || '|' || phone || '|' || city FROM customers
                     UNION ALL SELECT mac || serial || name || ifnull(customer_id, '-') FROM cameras
                     UNION ALL SELECT email FROM users",
                )
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let (_a, first, _) = filled(200, 1_500, 42);
        let (_b, again, _) = filled(200, 1_500, 42);
        let (_c, other, _) = filled(200, 1_500, 43);
        assert_eq!(dump(&first), dump(&again));
        assert_ne!(dump(&first), dump(&other));
        assert_eq!(
            count(&first, "SELECT count(DISTINCT lower(name)) FROM customers"),
            200
        );
    }

    #[test]
    fn refuses_a_store_with_customers() {
        let (_dir, mut store, _) = filled(10, 50, 1);
        let err = store
            .fill_demo(&DemoSpec::default(), &mut |_| {})
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Refused(m) if m == "the store already has 10 customers; demo fills an empty store"),
            "{err}"
        );
    }

    #[test]
    fn names_stay_unique_when_the_word_lists_run_out() {
        let mut filler = Filler::new(
            &DemoSpec {
                customers: 0,
                cameras: 0,
                seed: 9,
            },
            String::new(),
        );
        let mut seen = HashSet::new();
        for _ in 0..60_000 {
            let country = &COUNTRIES[0].1;
            let city = &country.cities[0];
            let (name, core) = filler.company_name(CustomerType::Customer, country, city);
            assert!(seen.insert(name.to_lowercase()), "{name} twice");
            assert!(name.starts_with(&core), "{name} / {core}");
        }
    }

    #[test]
    fn spread_hits_the_total_exactly() {
        let mut rng = Rng(5);
        for (customers, total) in [(1, 10), (7, 0), (1000, 7500), (3, 100_000)] {
            let counts = spread(&mut rng, customers, total);
            assert_eq!(counts.len() as u64, customers);
            assert_eq!(counts.iter().sum::<u64>(), total);
        }
        assert!(spread(&mut rng, 0, 0).is_empty());
    }

    #[test]
    fn time_zones_are_shipped_ones() {
        for (_, country) in COUNTRIES {
            for city in country.cities {
                assert!(
                    crate::assets::is_time_zone(city.time_zone),
                    "{}",
                    city.time_zone
                );
            }
        }
    }
}
