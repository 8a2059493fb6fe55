//! Camera writes on PostgreSQL: register, edit and delete, each in the caller's transaction with
//! its audit entry. The checks, refusals and texts are `store::inventory::cameras`'.

use postgres::Transaction;

use crate::domain::{CameraSpec, Id, Operator};
use crate::store::inventory::cameras::{
    Stored, added_summary, already_registered, camera_changes, camera_gone, customer_ref,
    delete_details, delete_summary, mac_taken, serial_taken, stale_delete, stale_edit,
};
use crate::store::pg::{audit, is_unique_violation};
use crate::store::{Result, StoreError, now};

/// The camera as stored, its row locked for the rest of the write.
fn load(tx: &mut Transaction<'_>, id: Id) -> Result<Stored> {
    let row = tx.query_opt(
        "SELECT k.name, k.mac, k.serial, k.model, k.location, k.customer_id, c.name, k.version
         FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id WHERE k.id = $1
         FOR UPDATE OF k",
        &[&id],
    )?;
    let r = row.ok_or_else(|| camera_gone(id))?;
    let customer = match (r.get::<_, Option<Id>>(5), r.get::<_, Option<String>>(6)) {
        (Some(id), Some(name)) => Some((id, name)),
        _ => None,
    };
    let spec = CameraSpec {
        name: r.get(0),
        mac: r.get(1),
        serial: r.get(2),
        model: r.get(3),
        location: r.get(4),
    };
    Ok(Stored {
        spec,
        customer,
        version: r.get(7),
    })
}

/// Refuses a MAC address or serial number that another camera (not `except`) already has.
fn check_unique(tx: &mut Transaction<'_>, spec: &CameraSpec, except: Option<Id>) -> Result<()> {
    let taken = tx.query_opt(
        "SELECT name FROM cameras WHERE mac = $1 AND id IS DISTINCT FROM $2 LIMIT 1",
        &[&spec.mac, &except],
    )?;
    if let Some(r) = taken {
        return Err(mac_taken(spec, r.get(0)));
    }
    let taken = tx.query_opt(
        "SELECT name FROM cameras WHERE nocase(serial) = nocase($1)
         AND id IS DISTINCT FROM $2 LIMIT 1",
        &[&spec.serial, &except],
    )?;
    match taken {
        Some(r) => Err(serial_taken(spec, r.get(0))),
        None => Ok(()),
    }
}

fn unique_fallback(e: postgres::Error, spec: &CameraSpec) -> StoreError {
    if is_unique_violation(&e) {
        already_registered(spec)
    } else {
        e.into()
    }
}

/// `spec` is already checked (`checked_camera`); the camera starts unlinked, not recording.
pub(crate) fn add(tx: &mut Transaction<'_>, spec: &CameraSpec, op: &Operator) -> Result<Id> {
    check_unique(tx, spec, None)?;
    let id: Id = tx
        .query_one(
            "INSERT INTO cameras (name, mac, serial, model, location, recording, created_at,
                updated_at)
             VALUES ($1, $2, $3, $4, $5, false, $6, $6) RETURNING id",
            &[
                &spec.name,
                &spec.mac,
                &spec.serial,
                &spec.model,
                &spec.location,
                &now(),
            ],
        )
        .map_err(|e| unique_fallback(e, spec))?
        .get(0);
    let details = serde_json::json!({ "camera_id": id, "after": spec });
    audit(tx, op, "camera.add", None, &added_summary(spec), &details)?;
    Ok(id)
}

pub(crate) fn update(
    tx: &mut Transaction<'_>,
    id: Id,
    expected_version: i64,
    spec: &CameraSpec,
    op: &Operator,
) -> Result<()> {
    let before = load(tx, id)?;
    if before.version != expected_version {
        return Err(stale_edit(&before.spec.name));
    }
    check_unique(tx, spec, Some(id))?;
    tx.execute(
        "UPDATE cameras SET name = $2, mac = $3, serial = $4, model = $5, location = $6,
                version = version + 1, updated_at = $7
         WHERE id = $1",
        &[
            &id,
            &spec.name,
            &spec.mac,
            &spec.serial,
            &spec.model,
            &spec.location,
            &now(),
        ],
    )
    .map_err(|e| unique_fallback(e, spec))?;
    let details = serde_json::json!({ "camera_id": id, "before": before.spec, "after": spec });
    let summary = camera_changes(&before.spec, spec);
    let customer = customer_ref(&before.customer);
    audit(tx, op, "camera.update", customer, &summary, &details)?;
    Ok(())
}

/// A linked camera is refused unless `unlink_first`; role camera sets go by `ON DELETE CASCADE`
/// and the customer's camera count by its trigger.
pub(crate) fn delete(
    tx: &mut Transaction<'_>,
    id: Id,
    expected_version: i64,
    unlink_first: bool,
    op: &Operator,
) -> Result<()> {
    let before = load(tx, id)?;
    if before.version != expected_version {
        return Err(stale_delete(&before.spec.name));
    }
    let summary = delete_summary(&before, unlink_first)?;
    tx.execute("DELETE FROM cameras WHERE id = $1", &[&id])?;
    let customer = customer_ref(&before.customer);
    let details = delete_details(id, &before);
    audit(tx, op, "camera.delete", customer, &summary, &details)?;
    Ok(())
}
