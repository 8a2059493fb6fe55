//! PostgreSQL side of the store seam, P2: linking cameras to a customer, unlinking them, a
//! camera's own plan and its recording. The checks, the grouping, the refusals and the audit
//! texts are `store::links`' (called with this file's reads); the customers' camera counts are
//! kept by the triggers of migration 3.

use postgres::Transaction;

use super::audit;
use crate::domain::{Id, Operator};
use crate::store::inventory::plans::gone as plan_gone;
use crate::store::links::{
    CustomerState, LinkRow, RecordingRow, camera_deleted, customer_gone, free_cameras,
    link_details, link_summary, owned_cameras, plan_details, plan_stale, plan_summary,
    recording_changes, recording_details, recording_summary, unlink_summary,
};
use crate::store::{Result, now};

type Tx<'a> = Transaction<'a>;

/// The camera's name and link, its row locked for the rest of the write.
fn link_row(tx: &mut Tx<'_>, camera_id: Id) -> Result<Option<LinkRow>> {
    let row = tx.query_opt(
        "SELECT k.name, k.customer_id, c.name
         FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id
         WHERE k.id = $1 FOR UPDATE OF k",
        &[&camera_id],
    )?;
    Ok(row.map(|r| (r.get(0), r.get(1), r.get(2))))
}

fn customer_state(tx: &mut Tx<'_>, id: Id) -> Result<CustomerState> {
    let row = tx.query_opt(
        "SELECT id, name, status = 'disabled' FROM customers WHERE id = $1",
        &[&id],
    )?;
    let r = row.ok_or_else(|| customer_gone(id))?;
    Ok((r.get(0), r.get(1), r.get(2)))
}

/// `ids` are sorted and unique (`unique_ids`).
pub(crate) fn link(tx: &mut Tx<'_>, customer_id: Id, ids: &[Id], op: &Operator) -> Result<usize> {
    let (_, customer, disabled) = customer_state(tx, customer_id)?;
    let names = free_cameras(tx, ids, link_row)?;
    tx.execute(
        "UPDATE cameras SET customer_id = $2, plan_id = NULL,
                recording_before_disable = CASE WHEN $3 THEN true ELSE NULL END,
                recording = NOT $3,
                version = version + 1, updated_at = $4
         WHERE id = ANY($1) AND customer_id IS NULL",
        &[&ids, &customer_id, &disabled, &now()],
    )?;
    let summary = link_summary(&names, disabled);
    let details = link_details(ids, &names);
    let named = Some((customer_id, customer.as_str()));
    audit(tx, op, "camera.link", named, &summary, &details)?;
    Ok(ids.len())
}

pub(crate) fn unlink(tx: &mut Tx<'_>, customer_id: Id, ids: &[Id], op: &Operator) -> Result<usize> {
    let (_, customer, _) = customer_state(tx, customer_id)?;
    let (names, unlinked) = owned_cameras(tx, ids, customer_id, link_row)?;
    if unlinked.is_empty() {
        return Ok(0);
    }
    tx.execute(
        "DELETE FROM role_cameras WHERE camera_id = ANY($1)
         AND role_id IN (SELECT id FROM roles WHERE customer_id = $2)",
        &[&unlinked, &customer_id],
    )?;
    tx.execute(
        "UPDATE cameras SET customer_id = NULL, plan_id = NULL, recording = false,
                recording_before_disable = NULL, version = version + 1, updated_at = $2
         WHERE id = ANY($1)",
        &[&unlinked, &now()],
    )?;
    let summary = unlink_summary(&names);
    let details = link_details(&unlinked, &names);
    let named = Some((customer_id, customer.as_str()));
    audit(tx, op, "camera.unlink", named, &summary, &details)?;
    Ok(unlinked.len())
}

pub(crate) fn set_plan(
    tx: &mut Tx<'_>,
    camera_id: Id,
    expected_version: i64,
    plan_id: Option<Id>,
    op: &Operator,
) -> Result<()> {
    let row = tx.query_opt(
        "SELECT k.name, k.version, k.plan_id, k.customer_id, c.name
         FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id
         WHERE k.id = $1 FOR UPDATE OF k",
        &[&camera_id],
    )?;
    let r = row.ok_or_else(|| camera_deleted(camera_id))?;
    let (name, version): (String, i64) = (r.get(0), r.get(1));
    let (before, customer_id, customer_name): (Option<Id>, Option<Id>, Option<String>) =
        (r.get(2), r.get(3), r.get(4));
    if version != expected_version {
        return Err(plan_stale(&name));
    }
    let plan_name: Option<String> = match plan_id {
        Some(p) => Some(
            tx.query_opt("SELECT name FROM plans WHERE id = $1", &[&p])?
                .ok_or_else(|| plan_gone(p))?
                .get(0),
        ),
        None => None,
    };
    tx.execute(
        "UPDATE cameras SET plan_id = $2, version = version + 1, updated_at = $3 WHERE id = $1",
        &[&camera_id, &plan_id, &now()],
    )?;
    let customer = customer_id.zip(customer_name.as_deref());
    let summary = plan_summary(&name, plan_name.as_deref());
    let details = plan_details(camera_id, before, plan_id);
    audit(tx, op, "camera.plan", customer, &summary, &details)?;
    Ok(())
}

fn recording_row(tx: &mut Tx<'_>, id: Id) -> Result<Option<RecordingRow>> {
    let row = tx.query_opt(
        "SELECT name, customer_id, recording FROM cameras WHERE id = $1 FOR UPDATE",
        &[&id],
    )?;
    Ok(row.map(|r| (r.get(0), r.get(1), r.get(2))))
}

pub(crate) fn set_recording(tx: &mut Tx<'_>, ids: &[Id], on: bool, op: &Operator) -> Result<usize> {
    let changes = recording_changes(tx, ids, on, recording_row, customer_state)?;
    let stamp = now();
    let mut changed = 0;
    for ((customer_id, customer), names, cams) in &changes {
        tx.execute(
            "UPDATE cameras SET recording = $2, version = version + 1, updated_at = $3
             WHERE id = ANY($1)",
            &[cams, &on, &stamp],
        )?;
        changed += cams.len();
        let summary = recording_summary(on, names);
        let details = recording_details(cams, names, on);
        let named = Some((*customer_id, customer.as_str()));
        audit(tx, op, "camera.recording", named, &summary, &details)?;
    }
    Ok(changed)
}
