//! Imports on PostgreSQL (`store::export::import` holds the SQLite side, the refusal texts and
//! the audit texts, called from here).

use std::collections::HashMap;

use postgres::Transaction;

use crate::domain::{Id, Operator};
use crate::store::Result;
use crate::store::export::InventoryCamera;
use crate::store::export::import::{camera_registered, cameras_imported, not_found};
use crate::store::now;
use crate::store::pg::{audit, is_unique_violation};

/// The id of the customer or plan named `name` (as SQLite's `NOCASE`), remembered in `cache`.
fn lookup(
    tx: &mut Transaction<'_>,
    cache: &mut HashMap<String, Id>,
    table: &str,
    name: &str,
    what: &str,
) -> Result<Id> {
    let key = name.trim().to_lowercase();
    if let Some(id) = cache.get(&key) {
        return Ok(*id);
    }
    let row = tx.query_opt(
        &format!("SELECT id FROM {table} WHERE nocase(name) = nocase($1)"),
        &[&name.trim()],
    )?;
    let id: Id = row.ok_or_else(|| not_found(what, name))?.get(0);
    cache.insert(key, id);
    Ok(id)
}

/// `Store::import_cameras`: every camera registered (and linked) with one audit entry.
pub(crate) fn import_cameras(
    tx: &mut Transaction<'_>,
    cameras: &[InventoryCamera],
    op: &Operator,
) -> Result<usize> {
    let ts = now();
    let mut customer_ids: HashMap<String, Id> = HashMap::new();
    let mut plan_ids: HashMap<String, Id> = HashMap::new();
    let insert = tx.prepare(
        "INSERT INTO cameras (name, mac, serial, model, location, customer_id, plan_id,
            recording, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )?;
    for cam in cameras {
        let customer = match &cam.customer {
            Some(name) => Some(lookup(
                tx,
                &mut customer_ids,
                "customers",
                name,
                "customer",
            )?),
            None => None,
        };
        let plan = match &cam.plan {
            Some(name) => Some(lookup(tx, &mut plan_ids, "plans", name, "plan")?),
            None => None,
        };
        let s = &cam.spec;
        // Only a customer's camera records.
        let recording = cam.recording && customer.is_some();
        tx.execute(
            &insert,
            &[
                &s.name,
                &s.mac,
                &s.serial,
                &s.model,
                &s.location,
                &customer,
                &plan,
                &recording,
                &ts,
            ],
        )
        .map_err(|e| {
            if is_unique_violation(&e) {
                camera_registered(s)
            } else {
                e.into()
            }
        })?;
    }
    let (summary, details) = cameras_imported(cameras.len());
    audit(tx, op, "camera.import", None, &summary, &details)?;
    Ok(cameras.len())
}
