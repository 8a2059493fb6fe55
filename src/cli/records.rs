//! The data subcommands: customers, cameras, plans and the audit log.

use std::io::{Read, Write};
use std::path::Path;

use serde_json::json;

use crate::cli::output::{Table, open_private, print};
use crate::cli::{CustomersCommand, FileFormat, Format, PlansCommand, View};
use crate::domain::count::count;
use crate::domain::{Id, Operator, format_money};
use crate::run::Error;
use crate::store::export::ExportFile;
use crate::store::views::AuditQuery;
use crate::store::{CustomerQuery, Store};
use crate::transfer::{self, Problem};

mod cameras;
pub use cameras::cameras;

/// How many rows one page read holds while listing everything.
const PAGE: i64 = 1000;

/// The customer an argument names (ID or exact name), or an error naming what was given.
fn resolve(store: &Store, what: &str) -> Result<Id, Error> {
    store
        .find_customer(what)?
        .ok_or_else(|| format!("no customer {:?} (give an ID or the exact name)", what).into())
}

pub fn customers(
    store: &mut Store,
    op: &Operator,
    command: &CustomersCommand,
) -> Result<u8, Error> {
    match command {
        CustomersCommand::List {
            filter,
            limit,
            view,
        } => list_customers(store, filter.as_deref(), *limit, view),
        CustomersCommand::Show {
            customer,
            format,
            wide,
        } => show_customer(store, customer, *format, *wide),
        CustomersCommand::Export {
            customers,
            format,
            output,
            include_secrets,
        } => export_customers(
            store,
            customers,
            *format,
            output.as_deref(),
            *include_secrets,
        ),
        CustomersCommand::Import {
            file,
            format,
            dry_run,
        } => import_customers(store, op, file, *format, *dry_run),
        CustomersCommand::Delete { customer, confirm } => {
            delete_customer(store, op, customer, confirm)
        }
        CustomersCommand::Restore { what, audit } => {
            restore_customer(store, op, what.as_deref(), *audit)
        }
    }
}

/// `customers export`: streamed, one customer at a time from the store to the output.
fn export_customers(
    store: &Store,
    customers: &[String],
    format: FileFormat,
    output: Option<&Path>,
    include_secrets: bool,
) -> Result<u8, Error> {
    if include_secrets && output.is_none() {
        eprintln!(
            "admin-portal: --include-secrets writes password hashes only to a file: add --output FILE"
        );
        return Ok(2);
    }
    if include_secrets && format == FileFormat::Csv {
        eprintln!("admin-portal: --include-secrets needs --format json");
        return Ok(2);
    }
    // Every customer: the store reads them in whole-table passes, by name.
    let ids = if customers.is_empty() {
        None
    } else {
        Some(
            customers
                .iter()
                .map(|c| resolve(store, c))
                .collect::<Result<Vec<_>, _>>()?,
        )
    };
    // Streamed: one customer at a time from the store to the output, never the whole
    // file in memory. The output is opened only once the plans are read, so a store that
    // cannot be read leaves an existing file untouched.
    let written = store.export_stream(
        ids.as_deref(),
        include_secrets,
        |plans, rows| -> Result<usize, Error> {
            let mut write = |out: &mut dyn Write| match format {
                FileFormat::Json => crate::store::export::write_json(out, &plans, rows),
                FileFormat::Csv => {
                    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
                    let n = transfer::write_customers_csv(&mut out, rows)?;
                    out.flush()?;
                    Ok(n)
                }
            };
            Ok(match output {
                Some(path) => {
                    let cannot =
                        |e: std::io::Error| format!("cannot write {}: {e}", path.display());
                    let mut file = open_private(path).map_err(cannot)?;
                    let n = write(&mut file).map_err(cannot)?;
                    file.sync_all().map_err(cannot)?;
                    n
                }
                None => write(&mut std::io::stdout().lock())?,
            })
        },
    )??;
    if let Some(path) = output {
        tracing::info!(customers = written, path = ?path, secrets = include_secrets, "customers exported");
        eprintln!(
            "exported {} to {}",
            count(written, "customer"),
            path.display()
        );
    }
    Ok(0)
}

/// `customers delete`: archives the customer exactly as the Delete button does.
fn delete_customer(
    store: &mut Store,
    op: &Operator,
    customer: &str,
    confirm: &str,
) -> Result<u8, Error> {
    if confirm != "Delete" {
        eprintln!("admin-portal: to delete, type --confirm Delete (exactly, with a capital D)");
        return Ok(2);
    }
    let id = resolve(store, customer)?;
    let version = store
        .customer(id)?
        .map(|c| c.version)
        .ok_or("the customer was deleted meanwhile")?;
    let deleted = store.delete_customer(id, version, op)?;
    tracing::info!(
        action = "customer.delete",
        customer_id = id,
        archive_id = deleted.archive_id,
        "customer deleted"
    );
    crate::outln!(
        "deleted {} (archive {}): {} returned to the inventory, {} and {} removed",
        crate::domain::validate::display(&deleted.name),
        deleted.archive_id,
        count(deleted.impact.cameras, "camera"),
        count(deleted.impact.users, "user"),
        count(deleted.impact.roles, "role")
    )?;
    Ok(0)
}

/// `customers restore`: by archive id, by name (its latest deletion) or by audit entry.
fn restore_customer(
    store: &mut Store,
    op: &Operator,
    what: Option<&str>,
    audit: Option<i64>,
) -> Result<u8, Error> {
    let archive_id = match (what, audit) {
        (_, Some(audit_id)) => store
            .archive_for_audit(audit_id)?
            .map(|(id, _)| id)
            .ok_or_else(|| format!("audit entry {audit_id} is not a deletion"))?,
        (Some(what), None) => match what.trim().parse::<Id>() {
            Ok(id) => id,
            Err(_) => store.latest_archive_named(what)?.ok_or_else(|| {
                format!("no deleted customer named {what:?} waiting to be restored")
            })?,
        },
        (None, None) => return Err("name an archive ID, a name, or --audit ID".into()),
    };
    let restored = store.restore_customer(archive_id, op)?;
    tracing::info!(
        action = "customer.restore",
        customer_id = restored.id,
        archive_id,
        "customer restored"
    );
    crate::outln!(
        "restored {} as #{} with {} linked again",
        crate::domain::validate::display(&restored.name),
        restored.id,
        count(restored.relinked, "camera")
    )?;
    for t in &restored.taken {
        crate::outln!(
            "  not relinked (taken meanwhile): {}",
            crate::domain::validate::display(t)
        )?;
    }
    for n in &restored.notes {
        crate::outln!("  note: {}", crate::domain::validate::display(n))?;
    }
    Ok(0)
}

fn list_customers(
    store: &Store,
    filter: Option<&str>,
    limit: Option<i64>,
    view: &View,
) -> Result<u8, Error> {
    let q = CustomerQuery {
        filter: filter.unwrap_or_default().to_string(),
        ..CustomerQuery::default()
    };
    let total = store.customer_count(&q)?;
    let want = limit.unwrap_or(total).min(total).max(0);
    let mut rows = Vec::new();
    while (rows.len() as i64) < want {
        let page =
            store.customer_page(&q, rows.len() as i64, PAGE.min(want - rows.len() as i64))?;
        if page.is_empty() {
            break;
        }
        rows.extend(page);
    }
    let mut table = Table::new(vec![
        "id", "name", "type", "parent", "contact", "email", "phone", "city", "cameras", "users",
        "plan", "status", "created",
    ])
    .useful_first(&[
        "id", "name", "type", "contact", "city", "cameras", "status", "email", "phone", "users",
        "plan", "parent", "created",
    ]);
    for r in &rows {
        table.push(vec![
            r.id.to_string(),
            r.name.clone(),
            r.kind.label().into(),
            r.parent.clone().unwrap_or_default(),
            r.contact.clone(),
            r.email.clone(),
            r.phone.clone(),
            r.city.clone(),
            r.cameras.to_string(),
            r.users.to_string(),
            r.plan.clone().unwrap_or_default(),
            r.status.label().into(),
            r.created_at.clone(),
        ]);
    }
    let json = serde_json::to_value(&rows)?;
    print(view, table, &json)
}

fn show_customer(store: &Store, what: &str, format: Format, wide: bool) -> Result<u8, Error> {
    let id = resolve(store, what)?;
    let file = store.export_customers(&[id], false)?;
    let Some(c) = file.customers.first() else {
        return Err(format!("no customer {what:?}").into());
    };
    match format {
        Format::Json => {
            let mut v = serde_json::to_value(c)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("id".into(), json!(id));
            }
            crate::outln!("{}", serde_json::to_string_pretty(&v)?)?;
        }
        Format::Csv => crate::cli::output::out(transfer::customers_csv(&file)?)?,
        Format::Table => {
            let v = serde_json::to_value(c)?;
            let mut t = Table::new(vec!["field", "value"]);
            t.push(vec!["id".into(), id.to_string()]);
            for col in transfer::CUSTOMER_COLUMNS {
                let value = match v.pointer(&format!("/{}", col.replace('.', "/"))) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                t.push(vec![(*col).to_string(), value]);
            }
            let width = if wide {
                None
            } else {
                crate::cli::output::terminal_width()
            };
            crate::cli::output::out(t.render(width))?;
            let mut cams = Table::new(vec![
                "camera",
                "mac",
                "serial",
                "model",
                "location",
                "plan",
                "recording",
            ])
            .useful_first(&[
                "camera",
                "mac",
                "model",
                "location",
                "recording",
                "plan",
            ]);
            for cam in &c.cameras {
                cams.push(vec![
                    cam.name.clone(),
                    cam.mac.clone(),
                    cam.serial.clone(),
                    cam.model.clone(),
                    cam.location.clone(),
                    cam.plan.clone().unwrap_or_default(),
                    yes_no(cam.recording),
                ]);
            }
            crate::outln!("\n{}", count(c.cameras.len(), "camera"))?;
            if !c.cameras.is_empty() {
                crate::cli::output::out(cams.render(width))?;
            }
            let mut roles = Table::new(vec!["role", "type", "cameras", "permissions"]);
            for r in &c.roles {
                roles.push(vec![
                    r.name.clone(),
                    r.role_type.label().into(),
                    if r.all_cameras {
                        "all".into()
                    } else {
                        r.cameras.len().to_string()
                    },
                    r.permissions.summary(),
                ]);
            }
            crate::outln!("\n{}", count(c.roles.len(), "role"))?;
            crate::cli::output::out(roles.render(width))?;
            let mut users = Table::new(vec!["user", "email", "roles", "active"]);
            for u in &c.users {
                users.push(vec![
                    format!("{} {}", u.first_name, u.last_name),
                    u.email.clone(),
                    u.roles.join(", "),
                    yes_no(u.active),
                ]);
            }
            crate::outln!("\n{}", count(c.users.len(), "user"))?;
            if !c.users.is_empty() {
                crate::cli::output::out(users.render(width))?;
            }
        }
    }
    Ok(0)
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

/// Reads an import file (`-` is standard input).
fn read_input(path: &Path) -> Result<String, Error> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()).into())
}

fn report_problems(file: &Path, problems: &[Problem]) -> u8 {
    let name = if file == Path::new("-") {
        "-".to_string()
    } else {
        file.display().to_string()
    };
    let mut sorted = problems.to_vec();
    sorted.sort_by_key(|p| p.line);
    for p in &sorted {
        eprintln!("{}", p.render(&name));
    }
    eprintln!(
        "admin-portal: {} problem{} in {name}; nothing was written",
        sorted.len(),
        if sorted.len() == 1 { "" } else { "s" }
    );
    tracing::warn!(file = ?name, problems = sorted.len(), "import refused");
    1
}

fn import_customers(
    store: &mut Store,
    op: &Operator,
    path: &Path,
    format: Option<FileFormat>,
    dry_run: bool,
) -> Result<u8, Error> {
    let text = read_input(path)?;
    let format = format.unwrap_or_else(|| {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            FileFormat::Csv
        } else {
            FileFormat::Json
        }
    });
    let (file, problems): (ExportFile, Vec<Problem>) = match format {
        FileFormat::Json => match transfer::parse_customers_json(&text) {
            Err(p) => return Ok(report_problems(path, &p)),
            Ok(mut import) => {
                let found = transfer::check_customers(&import.file, store)?;
                let mut problems = std::mem::take(&mut import.problems);
                problems.extend(transfer::json_problems(found, &import));
                (import.file, problems)
            }
        },
        FileFormat::Csv => match transfer::parse_customers_csv(&text) {
            Err(p) => return Ok(report_problems(path, &p)),
            Ok((file, rows)) => {
                let found = transfer::check_customers(&file, store)?;
                (file, transfer::csv_problems(found, &rows))
            }
        },
    };
    if !problems.is_empty() {
        return Ok(report_problems(path, &problems));
    }
    let users: usize = file.customers.iter().map(|c| c.users.len()).sum();
    let cameras: usize = file.customers.iter().map(|c| c.cameras.len()).sum();
    if dry_run {
        crate::outln!(
            "dry run: {} with {} and {} ready to import; nothing was written",
            count(file.customers.len(), "customer"),
            count(cameras, "camera"),
            count(users, "user")
        )?;
        return Ok(0);
    }
    let hash = transfer::unknown_password_hash()?;
    let report = store.import_customers(&file, &hash, op)?;
    tracing::info!(
        action = "customer.import",
        customers = report.customers,
        "customers imported"
    );
    crate::outln!(
        "imported {} with {}, {}, {} ({} created)",
        count(report.customers, "customer"),
        count(report.cameras, "camera"),
        count(report.roles, "role"),
        count(report.users, "user"),
        count(report.plans_created, "plan")
    )?;
    let without_hash = file
        .customers
        .iter()
        .flat_map(|c| &c.users)
        .filter(|u| u.password_hash.is_none())
        .count();
    if without_hash > 0 {
        crate::outln!(
            "{} a random unknown password: reset theirs before they sign in",
            if without_hash == 1 {
                "1 user has".to_string()
            } else {
                format!("{without_hash} users have")
            }
        )?;
    }
    Ok(0)
}

pub fn plans(store: &Store, command: &PlansCommand) -> Result<u8, Error> {
    let PlansCommand::List { view } = command;
    let plans = store.plans()?;
    let mut table = Table::new(vec!["id", "name", "retention", "mode", "price"]);
    for p in &plans {
        table.push(vec![
            p.id.to_string(),
            p.name.clone(),
            format!("{} days", p.retention_days),
            p.mode.as_str().into(),
            format_money(p.price_cents, &p.currency),
        ]);
    }
    let json = serde_json::to_value(&plans)?;
    print(view, table, &json)
}

pub fn audit(
    store: &Store,
    customer: Option<&str>,
    action: Option<&str>,
    limit: i64,
    view: &View,
) -> Result<u8, Error> {
    let mut q = AuditQuery {
        action: action.map(str::to_owned),
        ..AuditQuery::default()
    };
    if let Some(c) = customer {
        match store.find_customer(c)? {
            Some(id) => q.customer_id = Some(id),
            // A deleted customer: its entries still carry its name.
            None => q.text = c.to_string(),
        }
    }
    let entries = store.audit_page(&q, 0, limit.max(0))?;
    let mut table = Table::new(vec![
        "id", "time", "operator", "action", "customer", "summary",
    ])
    .useful_first(&["id", "time", "action", "customer", "summary", "operator"]);
    for e in &entries {
        table.push(vec![
            e.id.to_string(),
            e.at.clone(),
            e.operator.clone(),
            e.action.clone(),
            e.customer_name.clone().unwrap_or_default(),
            e.summary.clone(),
        ]);
    }
    let json = serde_json::to_value(&entries)?;
    print(view, table, &json)
}
