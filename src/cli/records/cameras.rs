//! `cameras list|import`.

use std::path::Path;

use super::{PAGE, read_input, report_problems, resolve, yes_no};
use crate::cli::output::{Table, print};
use crate::cli::{CamerasCommand, View};
use crate::domain::count::count;
use crate::domain::{Id, Operator};
use crate::run::Error;
use crate::store::Store;
use crate::store::inventory::{CameraQuery, CameraRow};
use crate::transfer;

pub fn cameras(store: &mut Store, op: &Operator, command: &CamerasCommand) -> Result<u8, Error> {
    match command {
        CamerasCommand::List {
            filter,
            customer,
            limit,
            view,
        } => list_cameras(store, filter.as_deref(), customer.as_deref(), *limit, view),
        CamerasCommand::Import { file, dry_run } => import_cameras(store, op, file, *dry_run),
    }
}

/// `cameras list`: the inventory, or one customer's cameras, as a table or JSON.
fn list_cameras(
    store: &Store,
    filter: Option<&str>,
    customer: Option<&str>,
    limit: Option<i64>,
    view: &View,
) -> Result<u8, Error> {
    let rows: Vec<CameraRow> = match customer {
        Some(c) => cameras_of_customer(store, c, filter, limit)?,
        None => inventory_cameras(store, filter, limit)?,
    };
    let mut table = Table::new(vec![
        "id",
        "name",
        "mac",
        "serial",
        "model",
        "location",
        "customer",
        "plan",
        "recording",
    ])
    .useful_first(&[
        "id",
        "name",
        "mac",
        "customer",
        "model",
        "location",
        "recording",
        "plan",
    ]);
    for r in &rows {
        table.push(vec![
            r.id.to_string(),
            r.name.clone(),
            r.mac.clone(),
            r.serial.clone(),
            r.model.clone(),
            r.location.clone(),
            r.customer.clone().unwrap_or_default(),
            r.plan.clone().unwrap_or_default(),
            yes_no(r.recording),
        ]);
    }
    let json = serde_json::to_value(&rows)?;
    print(view, table, &json)
}

/// One customer's cameras matching `filter` (any of name, MAC, serial, model, location).
fn cameras_of_customer(
    store: &Store,
    c: &str,
    filter: Option<&str>,
    limit: Option<i64>,
) -> Result<Vec<CameraRow>, Error> {
    let id = resolve(store, c)?;
    let plans: std::collections::HashMap<Id, String> =
        store.plans()?.into_iter().map(|p| (p.id, p.name)).collect();
    let f = filter.unwrap_or_default().to_lowercase();
    Ok(store
        .cameras_of(id)?
        .into_iter()
        .filter(|cam| {
            f.is_empty()
                || [
                    &cam.spec.name,
                    &cam.spec.mac,
                    &cam.spec.serial,
                    &cam.spec.model,
                    &cam.spec.location,
                ]
                .iter()
                .any(|s| s.to_lowercase().contains(&f))
        })
        .take(limit.map_or(usize::MAX, |l| l.max(0) as usize))
        .map(|cam| CameraRow {
            id: cam.id,
            name: cam.spec.name,
            mac: cam.spec.mac,
            serial: cam.spec.serial,
            model: cam.spec.model,
            location: cam.spec.location,
            customer_id: cam.customer_id,
            customer: cam.customer_name,
            plan: cam.plan_id.and_then(|p| plans.get(&p).cloned()),
            plan_inherited: false,
            recording: cam.recording,
            version: cam.version,
        })
        .collect())
}

/// The cameras of the whole inventory matching `filter`, read page by page.
fn inventory_cameras(
    store: &Store,
    filter: Option<&str>,
    limit: Option<i64>,
) -> Result<Vec<CameraRow>, Error> {
    let q = CameraQuery {
        filter: filter.unwrap_or_default().to_string(),
        ..CameraQuery::default()
    };
    let total = store.camera_count(&q)?;
    let want = limit.unwrap_or(total).min(total).max(0);
    let mut rows = Vec::new();
    while (rows.len() as i64) < want {
        let page = store.camera_page(&q, rows.len() as i64, PAGE.min(want - rows.len() as i64))?;
        if page.is_empty() {
            break;
        }
        rows.extend(page);
    }
    Ok(rows)
}

/// `cameras import`: an inventory CSV, checked whole before anything is written.
fn import_cameras(
    store: &mut Store,
    op: &Operator,
    file: &Path,
    dry_run: bool,
) -> Result<u8, Error> {
    let text = read_input(file)?;
    let cameras = match transfer::parse_cameras_csv(&text, store)? {
        Ok(c) => c,
        Err(problems) => return Ok(report_problems(file, &problems)),
    };
    let linked = cameras.iter().filter(|c| c.customer.is_some()).count();
    if dry_run {
        crate::outln!(
            "dry run: {} ({linked} to link) ready to import; nothing was written",
            count(cameras.len(), "camera")
        )?;
        return Ok(0);
    }
    let n = store.import_cameras(&cameras, op)?;
    tracing::info!(action = "camera.import", cameras = n, "cameras imported");
    crate::outln!(
        "imported {} ({linked} linked to customers)",
        count(n, "camera")
    )?;
    Ok(0)
}
