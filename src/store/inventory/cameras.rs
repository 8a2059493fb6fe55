//! Camera writes: register, edit and delete, each in one transaction with its audit entry.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{MAC_TAKEN, SERIAL_TAKEN};
use crate::domain::validate::{normalize_camera, validate_camera};
use crate::domain::{CameraSpec, Id, Operator};
use crate::store::{Result, Store, StoreError, audit, is_unique_violation, now, pg};

/// A camera as it is in the store, for the checks of a write.
pub(crate) struct Stored {
    pub(crate) spec: CameraSpec,
    pub(crate) customer: Option<(Id, String)>,
    pub(crate) version: i64,
}

fn load_camera(tx: &Transaction<'_>, id: Id) -> Result<Option<Stored>> {
    Ok(tx
        .prepare_cached(
            "SELECT k.name, k.mac, k.serial, k.model, k.location, k.customer_id, c.name, k.version
             FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id WHERE k.id = ?1",
        )?
        .query_row([id], |r| {
            let customer = match (r.get::<_, Option<Id>>(5)?, r.get::<_, Option<String>>(6)?) {
                (Some(id), Some(name)) => Some((id, name)),
                _ => None,
            };
            Ok(Stored {
                spec: CameraSpec {
                    name: r.get(0)?,
                    mac: r.get(1)?,
                    serial: r.get(2)?,
                    model: r.get(3)?,
                    location: r.get(4)?,
                },
                customer,
                version: r.get(7)?,
            })
        })
        .optional()?)
}

pub(crate) fn camera_gone(id: Id) -> StoreError {
    StoreError::Conflict(format!(
        "camera #{id} no longer exists: another operator deleted it"
    ))
}

/// The camera as it will be stored: trimmed, MAC normalised, and valid (else the first problem).
pub(crate) fn checked_camera(spec: &CameraSpec) -> Result<CameraSpec> {
    let mut spec = spec.clone();
    normalize_camera(&mut spec);
    match validate_camera(&spec).into_iter().next() {
        Some(e) => Err(StoreError::Refused(e.to_string())),
        None => Ok(spec),
    }
}

/// Refuses a MAC address or serial number that another camera (not `except`) already has.
fn check_camera_unique(tx: &Transaction<'_>, spec: &CameraSpec, except: Option<Id>) -> Result<()> {
    let owner = |sql: &str, value: &str| -> Result<Option<String>> {
        Ok(tx
            .prepare_cached(sql)?
            .query_row(params![value, except], |r| r.get(0))
            .optional()?)
    };
    if let Some(other) = owner(
        "SELECT name FROM cameras WHERE mac = ?1 AND id IS NOT ?2",
        &spec.mac,
    )? {
        return Err(mac_taken(spec, &other));
    }
    if let Some(other) = owner(
        "SELECT name FROM cameras WHERE serial = ?1 COLLATE NOCASE AND id IS NOT ?2",
        &spec.serial,
    )? {
        return Err(serial_taken(spec, &other));
    }
    Ok(())
}

pub(crate) fn mac_taken(spec: &CameraSpec, other: &str) -> StoreError {
    StoreError::Refused(format!(
        "{MAC_TAKEN} {}: already registered to camera {other}",
        spec.mac
    ))
}

pub(crate) fn serial_taken(spec: &CameraSpec, other: &str) -> StoreError {
    StoreError::Refused(format!(
        "{SERIAL_TAKEN} {}: already registered to camera {other}",
        spec.serial
    ))
}

/// The refusal of a unique index that the checks before the write did not foresee.
pub(crate) fn already_registered(spec: &CameraSpec) -> StoreError {
    StoreError::Refused(format!(
        "{MAC_TAKEN} {} or serial {}: already registered",
        spec.mac, spec.serial
    ))
}

pub(crate) fn stale_edit(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "Camera {name} was changed by another operator while you edited it; review the fresh data and save again"
    ))
}

pub(crate) fn stale_delete(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "Camera {name} was changed by another operator; look at it again before deleting"
    ))
}

pub(crate) fn added_summary(spec: &CameraSpec) -> String {
    format!("registered camera {} ({})", spec.name, spec.mac)
}

/// The audit summary of deleting `before`, or the refusal of deleting a linked camera without
/// `unlink_first`.
pub(crate) fn delete_summary(before: &Stored, unlink_first: bool) -> Result<String> {
    let mut summary = format!("deleted camera {} ({})", before.spec.name, before.spec.mac);
    if let Some((_, customer)) = &before.customer {
        if !unlink_first {
            return Err(StoreError::Refused(format!(
                "Camera {} is linked to {customer}: unlink it first",
                before.spec.name
            )));
        }
        summary.push_str(&format!(", unlinked from {customer} first"));
    }
    Ok(summary)
}

pub(crate) fn delete_details(id: Id, before: &Stored) -> serde_json::Value {
    serde_json::json!({
        "camera_id": id,
        "before": before.spec,
        "unlinked_from": before.customer.as_ref().map(|c| &c.1),
    })
}

fn unique_fallback(e: rusqlite::Error, spec: &CameraSpec) -> StoreError {
    if is_unique_violation(&e) {
        already_registered(spec)
    } else {
        e.into()
    }
}

pub(crate) fn customer_ref(c: &Option<(Id, String)>) -> Option<(Id, &str)> {
    c.as_ref().map(|(id, name)| (*id, name.as_str()))
}

impl Store {
    /// Registers a camera in the inventory, unlinked. The MAC address is normalised; a MAC or
    /// serial number already registered is refused, naming the camera that has it.
    pub fn add_camera(&mut self, spec: &CameraSpec, op: &Operator) -> Result<Id> {
        let spec = checked_camera(spec)?;
        if self.is_postgres() {
            return self.pg_write(|tx| pg::cameras::write::add(tx, &spec, op));
        }
        self.write(|tx| {
            check_camera_unique(tx, &spec, None)?;
            let ts = now();
            tx.execute(
                "INSERT INTO cameras (name, mac, serial, model, location, recording, created_at,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6)",
                params![
                    spec.name,
                    spec.mac,
                    spec.serial,
                    spec.model,
                    spec.location,
                    ts
                ],
            )
            .map_err(|e| unique_fallback(e, &spec))?;
            let id = tx.last_insert_rowid();
            audit(
                tx,
                op,
                "camera.add",
                None,
                &added_summary(&spec),
                &serde_json::json!({ "camera_id": id, "after": spec }),
            )?;
            Ok(id)
        })
    }

    /// Saves an edited camera when it is still at `expected_version`.
    pub fn update_camera(
        &mut self,
        id: Id,
        expected_version: i64,
        spec: &CameraSpec,
        op: &Operator,
    ) -> Result<()> {
        let spec = checked_camera(spec)?;
        if self.is_postgres() {
            return self
                .pg_write(|tx| pg::cameras::write::update(tx, id, expected_version, &spec, op));
        }
        self.write(|tx| {
            let before = load_camera(tx, id)?.ok_or_else(|| camera_gone(id))?;
            if before.version != expected_version {
                return Err(stale_edit(&before.spec.name));
            }
            check_camera_unique(tx, &spec, Some(id))?;
            tx.execute(
                "UPDATE cameras SET name = ?2, mac = ?3, serial = ?4, model = ?5, location = ?6,
                        version = version + 1, updated_at = ?7
                 WHERE id = ?1",
                params![
                    id,
                    spec.name,
                    spec.mac,
                    spec.serial,
                    spec.model,
                    spec.location,
                    now()
                ],
            )
            .map_err(|e| unique_fallback(e, &spec))?;
            audit(
                tx,
                op,
                "camera.update",
                customer_ref(&before.customer),
                &camera_changes(&before.spec, &spec),
                &serde_json::json!({ "camera_id": id, "before": before.spec, "after": spec }),
            )?;
            Ok(())
        })
    }

    /// Deletes a camera when it is still at `expected_version`. A linked camera is refused
    /// unless `unlink_first`, which unlinks it in the same transaction.
    pub fn delete_camera(
        &mut self,
        id: Id,
        expected_version: i64,
        unlink_first: bool,
        op: &Operator,
    ) -> Result<()> {
        if self.is_postgres() {
            return self.pg_write(|tx| {
                pg::cameras::write::delete(tx, id, expected_version, unlink_first, op)
            });
        }
        self.write(|tx| {
            let before = load_camera(tx, id)?.ok_or_else(|| camera_gone(id))?;
            if before.version != expected_version {
                return Err(stale_delete(&before.spec.name));
            }
            let summary = delete_summary(&before, unlink_first)?;
            // Role camera sets go by ON DELETE CASCADE.
            tx.execute("DELETE FROM cameras WHERE id = ?1", [id])?;
            audit(
                tx,
                op,
                "camera.delete",
                customer_ref(&before.customer),
                &summary,
                &delete_details(id, &before),
            )?;
            Ok(())
        })
    }
}

pub(crate) fn camera_changes(before: &CameraSpec, after: &CameraSpec) -> String {
    let mut changed = Vec::new();
    for (name, b, a) in [
        ("name", &before.name, &after.name),
        ("MAC", &before.mac, &after.mac),
        ("serial", &before.serial, &after.serial),
        ("model", &before.model, &after.model),
        ("location", &before.location, &after.location),
    ] {
        if b != a {
            changed.push(name);
        }
    }
    if changed.is_empty() {
        format!("camera {} saved without changes", after.name)
    } else {
        format!("camera {}: changed {}", after.name, changed.join(", "))
    }
}
