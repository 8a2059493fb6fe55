//! Recording plans on PostgreSQL. The rules (validation, the stale-edit and in-use refusals,
//! the audit texts) are `store::inventory::plans`', called from here; only the SQL differs.

use postgres::{GenericClient, Row, Transaction};

use super::{audit, is_unique_violation};
use crate::domain::{Id, Operator, Plan, RecordingMode};
use crate::store::inventory::plans::{
    PlanSpec, PlanUsage, gone, name_taken, plan_changes, plan_in_use, stale_delete, stale_edit,
};
use crate::store::{Result, StoreError, now};

const SELECT: &str =
    "SELECT id, name, retention_days, mode, price_cents, currency, version FROM plans";

fn plan_row(r: &Row) -> Plan {
    Plan {
        id: r.get(0),
        name: r.get(1),
        retention_days: r.get(2),
        mode: RecordingMode::parse(r.get(3)).unwrap_or_default(),
        price_cents: r.get(4),
        currency: r.get(5),
        version: r.get(6),
    }
}

/// Every plan by name, ignoring case as SQLite's `NOCASE` does.
pub(crate) fn all(client: &mut impl GenericClient) -> Result<Vec<Plan>> {
    let rows = client.query(&format!("{SELECT} ORDER BY nocase(name), id"), &[])?;
    Ok(rows.iter().map(plan_row).collect())
}

pub(crate) fn one(client: &mut impl GenericClient, id: Id) -> Result<Option<Plan>> {
    let row = client.query_opt(&format!("{SELECT} WHERE id = $1"), &[&id])?;
    Ok(row.as_ref().map(plan_row))
}

/// Every plan with how many customers (default plan) and cameras use it, in one statement.
pub(crate) fn with_usage(client: &mut impl GenericClient) -> Result<Vec<PlanUsage>> {
    let rows = client.query(
        "SELECT p.id, p.name, p.retention_days, p.mode, p.price_cents, p.currency, p.version,
                (SELECT count(*) FROM customers WHERE default_plan_id = p.id),
                (SELECT count(*) FROM cameras WHERE plan_id = p.id)
         FROM plans p ORDER BY nocase(p.name), p.id",
        &[],
    )?;
    Ok(rows
        .iter()
        .map(|r| PlanUsage {
            plan: plan_row(r),
            customers: r.get(7),
            cameras: r.get(8),
        })
        .collect())
}

fn usage(tx: &mut Transaction<'_>, id: Id) -> Result<(i64, i64)> {
    let r = tx.query_one(
        "SELECT (SELECT count(*) FROM customers WHERE default_plan_id = $1),
                (SELECT count(*) FROM cameras WHERE plan_id = $1)",
        &[&id],
    )?;
    Ok((r.get(0), r.get(1)))
}

fn load(tx: &mut Transaction<'_>, id: Id) -> Result<Plan> {
    let row = tx.query_opt(&format!("{SELECT} WHERE id = $1 FOR UPDATE"), &[&id])?;
    row.as_ref().map(plan_row).ok_or_else(|| gone(id))
}

fn taken(e: postgres::Error, spec: &PlanSpec) -> StoreError {
    if is_unique_violation(&e) {
        name_taken(spec)
    } else {
        e.into()
    }
}

/// `spec` is already checked (`checked_plan`).
pub(crate) fn add(tx: &mut Transaction<'_>, spec: &PlanSpec, op: &Operator) -> Result<Id> {
    let ts = now();
    let id: Id = tx
        .query_one(
            "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at,
                updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
            &[
                &spec.name,
                &spec.retention_days,
                &spec.mode.as_str(),
                &spec.price_cents,
                &spec.currency,
                &ts,
            ],
        )
        .map_err(|e| taken(e, spec))?
        .get(0);
    audit(
        tx,
        op,
        "plan.add",
        None,
        &format!("added plan {}", spec.name),
        &serde_json::json!({ "plan_id": id, "after": spec }),
    )?;
    Ok(id)
}

pub(crate) fn update(
    tx: &mut Transaction<'_>,
    id: Id,
    expected_version: i64,
    spec: &PlanSpec,
    op: &Operator,
) -> Result<()> {
    let before = load(tx, id)?;
    if before.version != expected_version {
        return Err(stale_edit(&before.name));
    }
    tx.execute(
        "UPDATE plans SET name = $2, retention_days = $3, mode = $4, price_cents = $5,
                currency = $6, version = version + 1, updated_at = $7
         WHERE id = $1",
        &[
            &id,
            &spec.name,
            &spec.retention_days,
            &spec.mode.as_str(),
            &spec.price_cents,
            &spec.currency,
            &now(),
        ],
    )
    .map_err(|e| taken(e, spec))?;
    let before = PlanSpec::from(&before);
    audit(
        tx,
        op,
        "plan.update",
        None,
        &plan_changes(&before, spec),
        &serde_json::json!({ "plan_id": id, "before": before, "after": spec }),
    )?;
    Ok(())
}

pub(crate) fn delete(
    tx: &mut Transaction<'_>,
    id: Id,
    expected_version: i64,
    op: &Operator,
) -> Result<()> {
    let before = load(tx, id)?;
    if before.version != expected_version {
        return Err(stale_delete(&before.name));
    }
    let (customers, cameras) = usage(tx, id)?;
    if customers > 0 || cameras > 0 {
        return Err(StoreError::Refused(plan_in_use(
            &before.name,
            customers,
            cameras,
        )));
    }
    tx.execute("DELETE FROM plans WHERE id = $1", &[&id])?;
    audit(
        tx,
        op,
        "plan.delete",
        None,
        &format!("deleted plan {}", before.name),
        &serde_json::json!({ "plan_id": id, "before": PlanSpec::from(&before) }),
    )?;
    Ok(())
}
