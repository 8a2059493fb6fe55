//! Linking inventory cameras to a customer, unlinking them, and a camera's own plan.
//!
//! Every change is one `BEGIN IMMEDIATE` transaction with its audit entry. A link is all or
//! nothing: when another operator took one of the cameras meanwhile, nothing is linked and the
//! message names the camera and who has it now.

use rusqlite::{OptionalExtension, Transaction, params};

use super::customers::load_customer;
use super::inventory::plans::gone as plan_gone;
use super::{Result, Store, StoreError, audit, now, pg};
use crate::domain::{Customer, Id, Operator, Status};

/// A camera as `set_camera_plan` reads it: (name, version, plan id, customer id, customer name).
type PlanRow = (String, i64, Option<Id>, Option<Id>, Option<String>);

/// A camera's link as read inside a write: (name, customer id, customer name).
pub(crate) type LinkRow = (String, Option<Id>, Option<String>);

/// A camera as `set_recording` reads it: (name, customer id, recording).
pub(crate) type RecordingRow = (String, Option<Id>, bool);

/// What a link or a recording change needs of the customer: id, name, disabled.
pub(crate) type CustomerState = (Id, String, bool);

/// The cameras of one customer whose recording changes: (customer id, name), names, ids.
pub(crate) type RecordingChange = ((Id, String), Vec<String>, Vec<Id>);

fn link_row(tx: &Transaction<'_>, camera_id: Id) -> Result<Option<LinkRow>> {
    Ok(tx
        .prepare_cached(
            "SELECT cameras.name, cameras.customer_id, customers.name
             FROM cameras LEFT JOIN customers ON customers.id = cameras.customer_id
             WHERE cameras.id = ?1",
        )?
        .query_row([camera_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

fn customer_in(tx: &Transaction<'_>, id: Id) -> Result<Customer> {
    load_customer(tx, id)?.ok_or_else(|| customer_gone(id))
}

fn customer_state(tx: &Transaction<'_>, id: Id) -> Result<CustomerState> {
    let c = customer_in(tx, id)?;
    Ok((c.id, c.name().to_string(), c.status == Status::Disabled))
}

// ---------------------------------------------------------------------------------------------
// The rules and texts of linking, the same on both stores (the PostgreSQL side: `pg::links`).

pub(crate) fn customer_gone(id: Id) -> StoreError {
    StoreError::Conflict(format!(
        "customer #{id} no longer exists: another operator deleted it"
    ))
}

pub(crate) fn camera_deleted(id: Id) -> StoreError {
    StoreError::Conflict(format!("Camera #{id} was just deleted by another operator"))
}

/// "3 cameras" / "1 camera".
pub(crate) fn cameras_phrase(n: usize) -> String {
    format!("{n} camera{}", if n == 1 { "" } else { "s" })
}

/// The names of the cameras, at most five, then "and N more".
fn names_summary(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// The names of the cameras to link, each read by `row`; refused (all of it) when one is gone
/// or another operator linked it meanwhile.
pub(crate) fn free_cameras<T>(
    db: &mut T,
    ids: &[Id],
    row: impl Fn(&mut T, Id) -> Result<Option<LinkRow>>,
) -> Result<Vec<String>> {
    let mut names = Vec::with_capacity(ids.len());
    for &id in ids {
        let (name, owner, owner_name) = row(db, id)?.ok_or_else(|| camera_deleted(id))?;
        if owner.is_some() {
            return Err(StoreError::Conflict(format!(
                "Camera {name} was just linked to {} by another operator",
                owner_name.unwrap_or_else(|| format!("customer #{}", owner.unwrap_or(0)))
            )));
        }
        names.push(name);
    }
    Ok(names)
}

/// Of `ids`, the cameras still linked to `customer_id`: their names and ids.
pub(crate) fn owned_cameras<T>(
    db: &mut T,
    ids: &[Id],
    customer_id: Id,
    row: impl Fn(&mut T, Id) -> Result<Option<LinkRow>>,
) -> Result<(Vec<String>, Vec<Id>)> {
    let mut names = Vec::new();
    let mut owned = Vec::new();
    for &id in ids {
        if let Some((name, Some(owner), _)) = row(db, id)?
            && owner == customer_id
        {
            names.push(name);
            owned.push(id);
        }
    }
    Ok((names, owned))
}

/// The sorted ids without repeats.
pub(crate) fn unique_ids(camera_ids: &[Id]) -> Vec<Id> {
    let mut ids = camera_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

pub(crate) fn link_summary(names: &[String], disabled: bool) -> String {
    let mut summary = format!(
        "linked {}: {}",
        cameras_phrase(names.len()),
        names_summary(names)
    );
    if disabled {
        summary.push_str(" (recording once the customer is enabled)");
    } else {
        summary.push_str(" (recording)");
    }
    summary
}

pub(crate) fn link_details(ids: &[Id], names: &[String]) -> serde_json::Value {
    serde_json::json!({ "camera_ids": ids, "cameras": names })
}

pub(crate) fn unlink_summary(names: &[String]) -> String {
    format!(
        "unlinked {}: {}",
        cameras_phrase(names.len()),
        names_summary(names)
    )
}

pub(crate) fn plan_stale(name: &str) -> StoreError {
    StoreError::Conflict(format!(
        "Camera {name} was changed by another operator; look at it again"
    ))
}

pub(crate) fn plan_summary(name: &str, plan: Option<&str>) -> String {
    match plan {
        Some(plan) => format!("camera {name}: recording plan {plan}"),
        None => format!("camera {name}: follows the customer's recording plan"),
    }
}

pub(crate) fn plan_details(
    camera_id: Id,
    before: Option<Id>,
    after: Option<Id>,
) -> serde_json::Value {
    serde_json::json!({ "camera_id": camera_id, "before": before, "after": after })
}

/// The cameras whose recording changes, grouped by customer in the order first met. Refused,
/// nothing written, for a camera gone, one in the inventory, and those of a disabled customer.
pub(crate) fn recording_changes<T>(
    db: &mut T,
    ids: &[Id],
    on: bool,
    camera: impl Fn(&mut T, Id) -> Result<Option<RecordingRow>>,
    customer: impl Fn(&mut T, Id) -> Result<CustomerState>,
) -> Result<Vec<RecordingChange>> {
    let mut changes: Vec<RecordingChange> = Vec::new();
    for &id in ids {
        let Some((name, owner, recording)) = camera(db, id)? else {
            return Err(camera_deleted(id));
        };
        let Some(owner) = owner else {
            return Err(StoreError::Refused(format!(
                "Camera {name} is in the inventory: only a customer's camera records; link it first (L)"
            )));
        };
        if recording == on {
            continue;
        }
        let at = match changes.iter().position(|((c, _), _, _)| *c == owner) {
            Some(at) => at,
            None => {
                let (cid, cname, disabled) = customer(db, owner)?;
                if disabled {
                    return Err(StoreError::Refused(format!(
                        "{cname} is disabled: its cameras record again when it is enabled"
                    )));
                }
                changes.push(((cid, cname), Vec::new(), Vec::new()));
                changes.len() - 1
            }
        };
        changes[at].1.push(name);
        changes[at].2.push(id);
    }
    Ok(changes)
}

pub(crate) fn recording_summary(on: bool, names: &[String]) -> String {
    let verb = if on { "started" } else { "stopped" };
    format!(
        "{verb} recording {}: {}",
        cameras_phrase(names.len()),
        names_summary(names)
    )
}

pub(crate) fn recording_details(ids: &[Id], names: &[String], on: bool) -> serde_json::Value {
    serde_json::json!({ "camera_ids": ids, "cameras": names, "recording": on })
}

impl Store {
    /// Links unlinked inventory cameras to a customer, all or nothing; each then records on the
    /// customer's recording plan (a plan of its own is chosen after) and starts recording. A
    /// camera another operator linked meanwhile refuses the whole link with
    /// [`StoreError::Conflict`] naming it. Cameras linked to a disabled customer start recording
    /// when it is enabled.
    pub fn link_cameras(
        &mut self,
        customer_id: Id,
        camera_ids: &[Id],
        op: &Operator,
    ) -> Result<usize> {
        let ids = unique_ids(camera_ids);
        if self.is_postgres() {
            return self.pg_write(|tx| pg::links::link(tx, customer_id, &ids, op));
        }
        self.write(|tx| {
            let (_, customer, disabled) = customer_state(tx, customer_id)?;
            let names = free_cameras(&mut &*tx, &ids, |tx, id| link_row(tx, id))?;
            let stamp = now();
            let mut stmt = tx.prepare_cached(
                "UPDATE cameras SET customer_id = ?2, plan_id = NULL,
                        recording_before_disable = CASE WHEN ?3 THEN 1 ELSE NULL END,
                        recording = CASE WHEN ?3 THEN 0 ELSE 1 END,
                        version = version + 1, updated_at = ?4
                 WHERE id = ?1 AND customer_id IS NULL",
            )?;
            for &id in &ids {
                stmt.execute(params![id, customer_id, disabled, stamp])?;
            }
            audit(
                tx,
                op,
                "camera.link",
                Some((customer_id, &customer)),
                &link_summary(&names, disabled),
                &link_details(&ids, &names),
            )?;
            Ok(ids.len())
        })
    }

    /// Returns cameras of a customer to the inventory: the customer's roles lose them and they
    /// stop recording (only a customer's camera records).
    /// Cameras no longer linked to this customer are left alone (not counted).
    pub fn unlink_cameras(
        &mut self,
        customer_id: Id,
        camera_ids: &[Id],
        op: &Operator,
    ) -> Result<usize> {
        let ids = unique_ids(camera_ids);
        if self.is_postgres() {
            return self.pg_write(|tx| pg::links::unlink(tx, customer_id, &ids, op));
        }
        self.write(|tx| {
            let (_, customer, _) = customer_state(tx, customer_id)?;
            let (names, unlinked) =
                owned_cameras(&mut &*tx, &ids, customer_id, |tx, id| link_row(tx, id))?;
            let stamp = now();
            for &id in &unlinked {
                tx.execute(
                    "DELETE FROM role_cameras WHERE camera_id = ?1
                     AND role_id IN (SELECT id FROM roles WHERE customer_id = ?2)",
                    params![id, customer_id],
                )?;
                tx.execute(
                    "UPDATE cameras SET customer_id = NULL, plan_id = NULL, recording = 0,
                            recording_before_disable = NULL,
                            version = version + 1, updated_at = ?2
                     WHERE id = ?1",
                    params![id, stamp],
                )?;
            }
            if unlinked.is_empty() {
                return Ok(0);
            }
            audit(
                tx,
                op,
                "camera.unlink",
                Some((customer_id, &customer)),
                &unlink_summary(&names),
                &link_details(&unlinked, &names),
            )?;
            Ok(unlinked.len())
        })
    }

    /// Gives a camera its own plan, or (`None`) lets it follow its customer's recording plan.
    /// Refused when the camera changed since it was read at `expected_version`.
    pub fn set_camera_plan(
        &mut self,
        camera_id: Id,
        expected_version: i64,
        plan_id: Option<Id>,
        op: &Operator,
    ) -> Result<()> {
        if self.is_postgres() {
            return self
                .pg_write(|tx| pg::links::set_plan(tx, camera_id, expected_version, plan_id, op));
        }
        self.write(|tx| {
            let row: Option<PlanRow> = tx
                .query_row(
                    "SELECT cameras.name, cameras.version, cameras.plan_id, cameras.customer_id,
                            customers.name
                     FROM cameras LEFT JOIN customers ON customers.id = cameras.customer_id
                     WHERE cameras.id = ?1",
                    [camera_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()?;
            let (name, version, before, customer_id, customer_name) =
                row.ok_or_else(|| camera_deleted(camera_id))?;
            if version != expected_version {
                return Err(plan_stale(&name));
            }
            let plan_name = match plan_id {
                Some(p) => Some(
                    tx.query_row("SELECT name FROM plans WHERE id = ?1", [p], |r| {
                        r.get::<_, String>(0)
                    })
                    .optional()?
                    .ok_or_else(|| plan_gone(p))?,
                ),
                None => None,
            };
            tx.execute(
                "UPDATE cameras SET plan_id = ?2, version = version + 1, updated_at = ?3
                 WHERE id = ?1",
                params![camera_id, plan_id, now()],
            )?;
            let customer = customer_id.zip(customer_name.as_deref());
            audit(
                tx,
                op,
                "camera.plan",
                customer,
                &plan_summary(&name, plan_name.as_deref()),
                &plan_details(camera_id, before, plan_id),
            )?;
            Ok(())
        })
    }

    /// Starts (`on`) or stops cameras recording, one audit entry per customer. Refused, with
    /// nothing written, for a camera in the inventory (only a customer's camera records) and for
    /// the cameras of a disabled customer (enabling it restores their state). Cameras already in
    /// that state are left alone; returns how many changed.
    pub fn set_recording(&mut self, camera_ids: &[Id], on: bool, op: &Operator) -> Result<usize> {
        let ids = unique_ids(camera_ids);
        if self.is_postgres() {
            return self.pg_write(|tx| pg::links::set_recording(tx, &ids, on, op));
        }
        self.write(|tx| {
            let camera = |tx: &mut &Transaction<'_>, id: Id| -> Result<Option<RecordingRow>> {
                Ok(tx
                    .prepare_cached(
                        "SELECT name, customer_id, recording FROM cameras WHERE id = ?1",
                    )?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?)
            };
            let customer = |tx: &mut &Transaction<'_>, id: Id| customer_state(tx, id);
            let changes = recording_changes(&mut &*tx, &ids, on, camera, customer)?;
            let stamp = now();
            let mut changed = 0;
            for ((customer_id, customer), names, cams) in &changes {
                for &id in cams {
                    tx.execute(
                        "UPDATE cameras SET recording = ?2, version = version + 1, updated_at = ?3
                         WHERE id = ?1",
                        params![id, on, stamp],
                    )?;
                }
                changed += cams.len();
                audit(
                    tx,
                    op,
                    "camera.recording",
                    Some((*customer_id, customer)),
                    &recording_summary(on, names),
                    &recording_details(cams, names, on),
                )?;
            }
            Ok(changed)
        })
    }
}
