//! The plans: what an operator types, its checks and price text, usage, and the writes (add,
//! edit, delete), each in one transaction with its audit entry.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use super::PLAN_NAME_TAKEN;
use crate::domain::validate::{self, FieldError, required_text};
use crate::domain::{Id, Operator, Plan, RecordingMode};
use crate::store::{Result, Store, StoreError, audit, is_unique_violation, now, pg};

/// The fields of a plan that an operator types (the price already parsed into minor units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSpec {
    pub name: String,
    pub retention_days: i64,
    pub mode: RecordingMode,
    /// Price per camera per month in minor units (cents).
    pub price_cents: i64,
    /// Three capital letters (ISO 4217), `USD` by default.
    pub currency: String,
}

impl Default for PlanSpec {
    fn default() -> Self {
        Self {
            name: String::new(),
            retention_days: 30,
            mode: RecordingMode::Continuous,
            price_cents: 0,
            currency: "USD".into(),
        }
    }
}

impl From<&Plan> for PlanSpec {
    fn from(p: &Plan) -> Self {
        Self {
            name: p.name.clone(),
            retention_days: p.retention_days,
            mode: p.mode,
            price_cents: p.price_cents,
            currency: p.currency.clone(),
        }
    }
}

/// A plan with how many customers (recording plan) and cameras (own plan) name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanUsage {
    pub plan: Plan,
    pub customers: i64,
    pub cameras: i64,
}

/// The stable field keys of a plan form.
pub mod plan_field {
    pub const NAME: &str = "plan.name";
    pub const RETENTION: &str = "plan.retention_days";
    pub const MODE: &str = "plan.mode";
    pub const PRICE: &str = "plan.price";
    pub const CURRENCY: &str = "plan.currency";
}

/// Longest plan name in characters.
pub const PLAN_NAME_MAX: usize = 60;
/// Retention is one day to ten years.
pub const RETENTION_MAX: i64 = 3650;
/// The highest price accepted: 1,000,000.00 per camera per month.
pub const PRICE_MAX_CENTS: i64 = 100_000_000;

/// Every problem of a plan as typed, keyed by [`plan_field`].
pub fn validate_plan(p: &PlanSpec) -> Vec<FieldError> {
    let mut e = Vec::new();
    if let Err(err) = required_text(plan_field::NAME, "Name", &p.name, PLAN_NAME_MAX) {
        e.push(err);
    }
    if !(1..=RETENTION_MAX).contains(&p.retention_days) {
        e.push(FieldError::new(
            plan_field::RETENTION,
            "Retention days",
            format!("must be 1 to {RETENTION_MAX}"),
        ));
    }
    if !(0..=PRICE_MAX_CENTS).contains(&p.price_cents) {
        e.push(FieldError::new(
            plan_field::PRICE,
            "Price",
            "must be 0.00 to 1000000.00",
        ));
    }
    if let Err(m) = check_currency(&p.currency) {
        e.push(FieldError::new(plan_field::CURRENCY, "Currency", m));
    }
    e
}

fn check_currency(c: &str) -> Result<(), String> {
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err("three capital letters, like USD or EUR".into())
    }
}

/// A price as typed, "9.99", into minor units (999), without floating point: digits, and
/// optionally a point with one or two digits. Signs, exponents, separators and a third decimal
/// are refused.
pub fn parse_price(text: &str) -> Result<i64, String> {
    const HOW: &str = "use digits with up to two decimals, like 9.99";
    let t = text.trim();
    if t.is_empty() {
        return Err("required".into());
    }
    let (units, cents) = match t.split_once('.') {
        Some((u, c)) => (u, c),
        None => (t, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || (t.contains('.') && !digits(cents)) {
        return Err(HOW.into());
    }
    if cents.len() > 2 {
        return Err("at most two decimals".into());
    }
    let too_big = || "too large".to_string();
    let units: i64 = units.parse().map_err(|_| too_big())?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().map_err(|_| HOW.to_string())? * 10,
        _ => cents.parse().map_err(|_| HOW.to_string())?,
    };
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or_else(too_big)
}

/// Minor units as typed in a form: 999 -> "9.99", 1000 -> "10.00".
pub fn format_price(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", c / 100, c % 100)
}

/// "1 customer", "12 cameras".
fn count_of(n: i64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

impl Store {
    /// Every plan by name, with how many customers and cameras use it.
    pub fn plans_with_usage(&self) -> Result<Vec<PlanUsage>> {
        if self.is_postgres() {
            return self.pg_read(pg::plans::with_usage);
        }
        let plans = self.plans()?;
        let mut out = Vec::with_capacity(plans.len());
        for plan in plans {
            let (customers, cameras) = plan_usage(self.conn()?, plan.id)?;
            out.push(PlanUsage {
                plan,
                customers,
                cameras,
            });
        }
        Ok(out)
    }

    /// Adds a plan; a name already taken (ignoring case) is refused.
    pub fn add_plan(&mut self, spec: &PlanSpec, op: &Operator) -> Result<Id> {
        let spec = checked_plan(spec)?;
        if self.is_postgres() {
            return self.pg_write(|tx| pg::plans::add(tx, &spec, op));
        }
        self.write(|tx| {
            let ts = now();
            tx.execute(
                "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    spec.name,
                    spec.retention_days,
                    spec.mode.as_str(),
                    spec.price_cents,
                    spec.currency,
                    ts
                ],
            )
            .map_err(|e| plan_name_taken(e, &spec))?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                op,
                "plan.add",
                None,
                &format!("added plan {}", spec.name),
                &serde_json::json!({ "plan_id": id, "after": spec }),
            )?;
            Ok(id)
        })
    }

    /// Saves an edited plan when it is still at `expected_version`.
    pub fn update_plan(
        &mut self,
        id: Id,
        expected_version: i64,
        spec: &PlanSpec,
        op: &Operator,
    ) -> Result<()> {
        let spec = checked_plan(spec)?;
        if self.is_postgres() {
            return self.pg_write(|tx| pg::plans::update(tx, id, expected_version, &spec, op));
        }
        self.write(|tx| {
            let before = load_plan(tx, id)?;
            if before.version != expected_version {
                return Err(stale_edit(&before.name));
            }
            tx.execute(
                "UPDATE plans SET name = ?2, retention_days = ?3, mode = ?4, price_cents = ?5,
                        currency = ?6, version = version + 1, updated_at = ?7
                 WHERE id = ?1",
                params![
                    id,
                    spec.name,
                    spec.retention_days,
                    spec.mode.as_str(),
                    spec.price_cents,
                    spec.currency,
                    now()
                ],
            )
            .map_err(|e| plan_name_taken(e, &spec))?;
            let before = PlanSpec::from(&before);
            audit(
                tx,
                op,
                "plan.update",
                None,
                &plan_changes(&before, &spec),
                &serde_json::json!({ "plan_id": id, "before": before, "after": spec }),
            )?;
            Ok(())
        })
    }

    /// Deletes a plan when it is still at `expected_version` and no customer or camera uses it;
    /// the refusal says by how many it is used.
    pub fn delete_plan(&mut self, id: Id, expected_version: i64, op: &Operator) -> Result<()> {
        if self.is_postgres() {
            return self.pg_write(|tx| pg::plans::delete(tx, id, expected_version, op));
        }
        self.write(|tx| {
            let before = load_plan(tx, id)?;
            if before.version != expected_version {
                return Err(stale_delete(&before.name));
            }
            let (customers, cameras) = plan_usage(tx, id)?;
            if customers > 0 || cameras > 0 {
                return Err(StoreError::Refused(plan_in_use(
                    &before.name,
                    customers,
                    cameras,
                )));
            }
            tx.execute("DELETE FROM plans WHERE id = ?1", [id])?;
            audit(
                tx,
                op,
                "plan.delete",
                None,
                &format!("deleted plan {}", before.name),
                &serde_json::json!({ "plan_id": id, "before": PlanSpec::from(&before) }),
            )?;
            Ok(())
        })
    }
}

/// "Plan Pro 90 is used by 12 customers and 40 cameras; ..."
pub fn plan_in_use(name: &str, customers: i64, cameras: i64) -> String {
    let users = match (customers, cameras) {
        (0, n) => count_of(n, "camera"),
        (n, 0) => count_of(n, "customer"),
        (c, k) => format!("{} and {}", count_of(c, "customer"), count_of(k, "camera")),
    };
    format!("Plan {name} is used by {users}; move them to another plan before deleting it")
}

fn plan_usage(conn: &rusqlite::Connection, id: Id) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM customers WHERE default_plan_id = ?1),
                    (SELECT count(*) FROM cameras WHERE plan_id = ?1)",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

fn load_plan(tx: &Transaction<'_>, id: Id) -> Result<Plan> {
    tx.prepare_cached(
        "SELECT name, retention_days, mode, price_cents, currency, version FROM plans WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Plan {
            id,
            name: r.get(0)?,
            retention_days: r.get(1)?,
            mode: RecordingMode::parse(&r.get::<_, String>(2)?).unwrap_or_default(),
            price_cents: r.get(3)?,
            currency: r.get(4)?,
            version: r.get(5)?,
        })
    })
    .optional()?
    .ok_or_else(|| gone(id))
}

/// The refusals and texts of the plan rules, the same on both stores.
pub(crate) fn stale_edit(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "Plan {name} was changed by another operator while you edited it; review the fresh data and save again"
    ))
}

pub(crate) fn stale_delete(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "Plan {name} was changed by another operator; look at it again before deleting"
    ))
}

pub(crate) fn gone(id: Id) -> StoreError {
    StoreError::Conflict(format!(
        "plan #{id} no longer exists: another operator deleted it"
    ))
}

pub(crate) fn name_taken(spec: &PlanSpec) -> StoreError {
    StoreError::Refused(format!(
        "{PLAN_NAME_TAKEN}: \"{}\" is already taken by another plan",
        spec.name
    ))
}

pub(crate) fn checked_plan(spec: &PlanSpec) -> Result<PlanSpec> {
    let mut spec = spec.clone();
    validate::trim_in_place(&mut spec.name);
    spec.currency = spec.currency.trim().to_ascii_uppercase();
    match validate_plan(&spec).into_iter().next() {
        Some(e) => Err(StoreError::Refused(e.to_string())),
        None => Ok(spec),
    }
}

fn plan_name_taken(e: rusqlite::Error, spec: &PlanSpec) -> StoreError {
    if is_unique_violation(&e) {
        name_taken(spec)
    } else {
        e.into()
    }
}

pub(crate) fn plan_changes(before: &PlanSpec, after: &PlanSpec) -> String {
    let mut changed = Vec::new();
    if before.name != after.name {
        changed.push("name");
    }
    if before.retention_days != after.retention_days {
        changed.push("retention");
    }
    if before.mode != after.mode {
        changed.push("mode");
    }
    if before.price_cents != after.price_cents || before.currency != after.currency {
        changed.push("price");
    }
    if changed.is_empty() {
        format!("plan {} saved without changes", after.name)
    } else {
        format!("plan {}: changed {}", after.name, changed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_parse_strictly() {
        assert_eq!(parse_price("9.99"), Ok(999));
        assert_eq!(parse_price("10"), Ok(1000));
        assert_eq!(parse_price("0.5"), Ok(50));
        assert_eq!(parse_price(" 12.30 "), Ok(1230));
        for bad in [
            "9.999", "abc", "-1", "", "9.", ".5", "1e3", "1,00", "+1", "9 .99",
        ] {
            assert!(parse_price(bad).is_err(), "{bad:?}");
        }
        assert!(parse_price("99999999999999999999").is_err());
        assert_eq!(format_price(999), "9.99");
        assert_eq!(format_price(1000), "10.00");
    }
}
