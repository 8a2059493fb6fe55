//! `db init|check|backup|migrate-to`, and on a PostgreSQL store `db init` (the schema),
//! `db check`, and `db backup` refused with the `pg_dump` line to use instead.

use std::fs::OpenOptions;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use crate::run::Error;
use crate::store::pg::{self, Location, PgStore};
use crate::store::{OpenMode, Store, StoreError, StoreOptions};

/// True when the store location is a `postgres://` URL.
pub fn is_postgres(location: &Path) -> bool {
    location.to_str().is_some_and(pg::is_postgres)
}

/// `db check` on `postgres://...`: connects, prints the schema version and the rows of each
/// table, checks the stored counts; 1 (one line) on any problem.
pub fn check_postgres(location: &Path) -> Result<u8, Error> {
    let url = location.to_str().unwrap_or_default();
    let location = Location::parse(url)?;
    let report = PgStore::connect(&location)?.check()?;
    crate::outln!(
        "{location}: schema {} of {}",
        report.version,
        pg::migrations::LATEST
    )?;
    print_counts(&report.counts)?;
    if report.problems.is_empty() {
        crate::outln!("{location}: ok")?;
        return Ok(0);
    }
    for p in &report.problems {
        crate::outln!("{location}: {p}")?;
    }
    tracing::error!(problems = report.problems.len(), "db check found problems");
    Ok(1)
}

/// `db init` on `postgres://...`: connects and creates the schema in an empty database (or
/// brings an older one up to date); a newer schema is refused, one line.
pub fn init_postgres(location: &Path) -> Result<u8, Error> {
    let url = location.to_str().unwrap_or_default();
    let location = Location::parse(url)?;
    let store = Store::open_postgres(location.clone(), StoreOptions::new(OpenMode::Create))?;
    crate::outln!(
        "{} {location} (schema {})",
        if store.was_created() {
            "created the store in"
        } else {
            "already a store:"
        },
        pg::migrations::LATEST
    )?;
    Ok(0)
}

/// `db backup` on `postgres://...`: the server's own tool makes a consistent copy; one line
/// naming it, exit 1, nothing written.
pub fn backup_postgres(location: &Path, target: &Path) -> Result<u8, Error> {
    let url = location.to_str().unwrap_or_default();
    let location = Location::parse(url)?;
    Err(format!(
        "db backup copies a SQLite store; back up PostgreSQL with its own tool: \
         pg_dump -Fc -d postgres://{location} -f {}",
        target.display()
    )
    .into())
}

/// `db migrate-to URL`: the whole store into an empty PostgreSQL database, in one transaction.
pub fn migrate_to(store: &Store, url: &str) -> Result<u8, Error> {
    let location = Location::parse(url)?;
    let report = pg::copy::migrate_to(store, &location)?;
    tracing::info!(target = %location, "store copied to PostgreSQL");
    crate::outln!(
        "copied {} to {location} (schema {}) in {:.1} s; every table counted on both sides:",
        store.path().display(),
        report.schema,
        report.elapsed.as_secs_f64()
    )?;
    print_counts(&report.counts)?;
    Ok(0)
}

fn print_counts(counts: &[(String, i64)]) -> Result<(), Error> {
    for (table, n) in counts {
        crate::outln!("  {table:<14} {n:>9}")?;
    }
    Ok(())
}

/// `db check`: SQLite's full integrity and foreign-key checks; 1 on a problem.
pub fn check(store: &Store) -> Result<u8, Error> {
    let problems = store.integrity_problems()?;
    let path = store.path().display().to_string();
    if problems.is_empty() {
        crate::outln!("{path}: ok")?;
        Ok(0)
    } else {
        for p in &problems {
            crate::outln!("{path}: {}", crate::domain::validate::display(p))?;
        }
        tracing::error!(problems = problems.len(), "db check found problems");
        Ok(1)
    }
}

/// `db backup PATH`: a consistent copy made online with `VACUUM INTO` (one read transaction, so
/// other operators keep working), into a file created 0600 beforehand; the copy is then checked.
pub fn backup(store: &Store, target: &Path) -> Result<u8, Error> {
    if target.exists() {
        return Err(format!("{} exists already: choose a new file", target.display()).into());
    }
    if target.to_str().is_none() {
        return Err(format!("{} is not a UTF-8 path", target.display()).into());
    }
    // SQLite keeps the mode of an existing empty file, so the copy is never readable by others.
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(target)
        .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
    if let Err(e) = store.backup_to(target) {
        let _ = std::fs::remove_file(target);
        let detail = match e {
            StoreError::Sqlite(e) => e.to_string(),
            other => other.to_string(),
        };
        return Err(format!("backup to {} failed: {detail}", target.display()).into());
    }
    std::fs::set_permissions(target, std::fs::Permissions::from_mode(0o600))?;
    let copy = Store::open(target, crate::store::OpenMode::ReadOnly)?;
    let problems = copy.integrity_problems()?;
    if !problems.is_empty() {
        for p in &problems {
            eprintln!(
                "{}: {}",
                target.display(),
                crate::domain::validate::display(p)
            );
        }
        return Ok(1);
    }
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    tracing::info!(path = ?target, bytes = size, "backup written");
    crate::outln!(
        "backed up {} to {} ({} KiB, checked)",
        store.path().display(),
        target.display(),
        size.div_ceil(1024)
    )?;
    Ok(0)
}
