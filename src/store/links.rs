//! Linking inventory cameras to a customer, unlinking them, and a camera's own plan.
//!
//! Every change is one `BEGIN IMMEDIATE` transaction with its audit entry. A link is all or
//! nothing: when another operator took one of the cameras meanwhile, nothing is linked and the
//! message names the camera and who has it now.

use rusqlite::{OptionalExtension, Transaction, params};

use super::customers::load_customer;
use super::{Result, Store, StoreError, audit, now};
use crate::domain::{Customer, Id, Operator, Status};

/// A camera as `set_camera_plan` reads it: (name, version, plan id, customer id, customer name).
type PlanRow = (String, i64, Option<Id>, Option<Id>, Option<String>);

/// A camera's link as read inside a write: (name, customer id, customer name).
type LinkRow = (String, Option<Id>, Option<String>);

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
    load_customer(tx, id)?.ok_or_else(|| {
        StoreError::Conflict(format!(
            "customer #{id} no longer exists: another operator deleted it"
        ))
    })
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
        let mut ids = camera_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        self.write(|tx| {
            let customer = customer_in(tx, customer_id)?;
            let mut names = Vec::with_capacity(ids.len());
            for &id in &ids {
                let (name, owner, owner_name) = link_row(tx, id)?.ok_or_else(|| {
                    StoreError::Conflict(format!(
                        "Camera #{id} was just deleted by another operator"
                    ))
                })?;
                if owner.is_some() {
                    return Err(StoreError::Conflict(format!(
                        "Camera {name} was just linked to {} by another operator",
                        owner_name.unwrap_or_else(|| format!("customer #{}", owner.unwrap_or(0)))
                    )));
                }
                names.push(name);
            }
            let disabled = customer.status == Status::Disabled;
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
            let mut summary = format!(
                "linked {}: {}",
                cameras_phrase(ids.len()),
                names_summary(&names)
            );
            if disabled {
                summary.push_str(" (recording once the customer is enabled)");
            } else {
                summary.push_str(" (recording)");
            }
            audit(
                tx,
                op,
                "camera.link",
                Some((customer_id, customer.name())),
                &summary,
                &serde_json::json!({ "camera_ids": ids, "cameras": names }),
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
        let mut ids = camera_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        self.write(|tx| {
            let customer = customer_in(tx, customer_id)?;
            let mut names = Vec::new();
            let mut unlinked = Vec::new();
            for &id in &ids {
                if let Some((name, Some(owner), _)) = link_row(tx, id)?
                    && owner == customer_id
                {
                    names.push(name);
                    unlinked.push(id);
                }
            }
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
                Some((customer_id, customer.name())),
                &format!(
                    "unlinked {}: {}",
                    cameras_phrase(unlinked.len()),
                    names_summary(&names)
                ),
                &serde_json::json!({ "camera_ids": unlinked, "cameras": names }),
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
            let (name, version, before, customer_id, customer_name) = row.ok_or_else(|| {
                StoreError::Conflict(format!(
                    "Camera #{camera_id} was just deleted by another operator"
                ))
            })?;
            if version != expected_version {
                return Err(StoreError::Conflict(format!(
                    "Camera {name} was changed by another operator; look at it again"
                )));
            }
            let plan_name = match plan_id {
                Some(p) => Some(
                    tx.query_row("SELECT name FROM plans WHERE id = ?1", [p], |r| {
                        r.get::<_, String>(0)
                    })
                    .optional()?
                    .ok_or_else(|| {
                        StoreError::Conflict(format!(
                            "plan #{p} no longer exists: another operator deleted it"
                        ))
                    })?,
                ),
                None => None,
            };
            tx.execute(
                "UPDATE cameras SET plan_id = ?2, version = version + 1, updated_at = ?3
                 WHERE id = ?1",
                params![camera_id, plan_id, now()],
            )?;
            let customer = match (customer_id, customer_name.as_deref()) {
                (Some(id), Some(n)) => Some((id, n)),
                _ => None,
            };
            audit(
                tx,
                op,
                "camera.plan",
                customer,
                &match plan_name.as_deref() {
                    Some(plan) => format!("camera {name}: recording plan {plan}"),
                    None => format!("camera {name}: follows the customer's recording plan"),
                },
                &serde_json::json!({
                    "camera_id": camera_id,
                    "before": before,
                    "after": plan_id,
                }),
            )?;
            Ok(())
        })
    }

    /// Starts (`on`) or stops cameras recording, one audit entry per customer. Refused, with
    /// nothing written, for a camera in the inventory (only a customer's camera records) and for
    /// the cameras of a disabled customer (enabling it restores their state). Cameras already in
    /// that state are left alone; returns how many changed.
    pub fn set_recording(&mut self, camera_ids: &[Id], on: bool, op: &Operator) -> Result<usize> {
        let mut ids = camera_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        self.write(|tx| {
            // (customer, names of its cameras that change, their ids), one per customer
            let mut changes: Vec<(Customer, Vec<String>, Vec<Id>)> = Vec::new();
            for &id in &ids {
                let row: Option<(String, Option<Id>, bool)> = tx
                    .prepare_cached("SELECT name, customer_id, recording FROM cameras WHERE id = ?1")?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                let Some((name, owner, recording)) = row else {
                    return Err(StoreError::Conflict(format!(
                        "Camera #{id} was just deleted by another operator"
                    )));
                };
                let Some(owner) = owner else {
                    return Err(StoreError::Refused(format!(
                        "Camera {name} is in the inventory: only a customer's camera records; link it first (L)"
                    )));
                };
                if recording == on {
                    continue;
                }
                let at = match changes.iter().position(|(c, _, _)| c.id == owner) {
                    Some(at) => at,
                    None => {
                        let customer = customer_in(tx, owner)?;
                        if customer.status == Status::Disabled {
                            return Err(StoreError::Refused(format!(
                                "{} is disabled: its cameras record again when it is enabled",
                                customer.name()
                            )));
                        }
                        changes.push((customer, Vec::new(), Vec::new()));
                        changes.len() - 1
                    }
                };
                changes[at].1.push(name);
                changes[at].2.push(id);
            }
            let stamp = now();
            let mut changed = 0;
            for (customer, names, cams) in &changes {
                for &id in cams {
                    tx.execute(
                        "UPDATE cameras SET recording = ?2, version = version + 1, updated_at = ?3
                         WHERE id = ?1",
                        params![id, on, stamp],
                    )?;
                }
                changed += cams.len();
                let verb = if on { "started" } else { "stopped" };
                audit(
                    tx,
                    op,
                    "camera.recording",
                    Some((customer.id, customer.name())),
                    &format!(
                        "{verb} recording {}: {}",
                        cameras_phrase(cams.len()),
                        names_summary(names)
                    ),
                    &serde_json::json!({ "camera_ids": cams, "cameras": names, "recording": on }),
                )?;
            }
            Ok(changed)
        })
    }
}
