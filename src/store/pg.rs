//! The PostgreSQL store (issue 10): the connection (a `postgres://` location, its password from
//! `PGPASSWORD` or the password file), the schema as numbered migrations, the checks of
//! `db check`, the copy of a whole SQLite store (`db migrate-to`), and the backend half of the
//! store seam.
//!
//! The seam is `store::Backend`, an enum of the two backends behind the one [`Store`] the UI,
//! the CLI, import/export and the demo call (why an enum and not a trait: see there). A method
//! of `Store` with PostgreSQL SQL starts with `if self.is_postgres() { return
//! self.pg_read(..) / self.pg_write(..) }` and calls the function of this module's file for its
//! area (`plans`, `drafts`, ...); the rules that are not SQL (validation, refusal texts, audit
//! summaries) are the SQLite side's functions, called from both. [`write`] is the one write
//! transaction (serialized by an advisory lock, as `BEGIN IMMEDIATE` serializes SQLite's
//! writers), [`audit`] the one audit entry, and `PgStore::data_version` the change counter fed by
//! `LISTEN`/`NOTIFY` (migration 4). Until every call has its PostgreSQL branch the portal and the
//! commands other than `db check` and `db migrate-to` refuse a `postgres://` store with one line;
//! the contract suite (`tests/contract_*.rs`, `tests/support/contract.rs`) runs each carried
//! call on both stores.

pub(crate) mod audit;
mod backend;
pub(crate) mod billing;
pub(crate) mod cameras;
pub(crate) mod catalog;
pub mod copy;
pub(crate) mod customers;
pub(crate) mod demo;
pub(crate) mod drafts;
pub(crate) mod export;
pub(crate) mod links;
pub mod location;
pub mod migrations;
pub(crate) mod people;
pub(crate) mod plans;
pub(crate) mod restore;
pub(crate) mod status;

pub(crate) use backend::{audit, disconnected, is_unique_violation, write};

use postgres::error::SqlState;
use postgres::{Client, GenericClient, NoTls};

#[cfg(doc)]
use super::Store;

pub use location::{Location, is_postgres};

/// Every table of the schema, in the order a copy fills them (parents before children).
pub const TABLES: &[&str] = &[
    "plans",
    "customers",
    "billing",
    "cameras",
    "roles",
    "role_cameras",
    "users",
    "user_roles",
    "audit",
    "archive",
    "drafts",
];

/// What can go wrong with a PostgreSQL store; each is one line an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("{0}")]
    BadUrl(String),
    #[error(
        "the URL holds a password: leave it out and put it in PGPASSWORD or in ~/.pgpass \
         (a line host:port:database:user:password, mode 0600); a command line is visible to \
         every user of this box"
    )]
    PasswordInUrl,
    #[error("cannot reach the PostgreSQL server at {server}: {detail}")]
    Unreachable { server: String, detail: String },
    #[error(
        "the PostgreSQL server at {server} asks a password for {user}: put it in PGPASSWORD or \
         in ~/.pgpass (a line host:port:database:user:password, mode 0600)"
    )]
    NoPassword { server: String, user: String },
    #[error("the PostgreSQL server at {server} refused {user}: {detail}")]
    Refused {
        server: String,
        user: String,
        detail: String,
    },
    #[error(
        "database {dbname} does not exist on {server} (create it: createdb -O {user} {dbname})"
    )]
    NoDatabase {
        server: String,
        dbname: String,
        user: String,
    },
    #[error(
        "database {0} was written by a newer admin-portal (schema {found}, this program knows {known}); upgrade the program",
        found = .1, known = .2
    )]
    TooNew(String, i64, i64),
    #[error(
        "database {0} holds no admin-portal store (no schema_version table); fill it with `admin-portal db migrate-to`"
    )]
    NoSchema(String),
    #[error(
        "database {0} is not empty ({1} tables or sequences, e.g. {2}): migrate-to copies only into an empty database"
    )]
    NotEmpty(String, i64, String),
    #[error("lost the connection to the PostgreSQL server at {0}; nothing was written")]
    Lost(String),
    #[error("{0}")]
    Check(String),
    #[error("PostgreSQL: {0}")]
    Sql(String),
    #[error("the SQLite store: {0}")]
    Sqlite(#[from] super::StoreError),
}

impl From<rusqlite::Error> for PgError {
    fn from(e: rusqlite::Error) -> PgError {
        PgError::Sqlite(super::StoreError::Sqlite(e))
    }
}

/// A PostgreSQL error as one line: the server's message (and detail) without the severity
/// prefix, or the client's.
pub fn one_line(e: &postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                let more = s.to_string();
                if !text.contains(&more) {
                    text = format!("{text}: {more}");
                }
                source = s.source();
            }
            text
        }
    };
    text.replace(['\n', '\r'], " ")
}

/// An error of a statement on an open connection: a lost connection (the server shut down or
/// went away) says so, with the rest the server's message.
pub(crate) fn sql(location: &Location, e: &postgres::Error) -> PgError {
    let shutdown = e
        .code()
        .is_some_and(|c| c == &SqlState::ADMIN_SHUTDOWN || c == &SqlState::CRASH_SHUTDOWN);
    if shutdown
        || e.is_closed()
        || e.to_string()
            .starts_with("error communicating with the server")
    {
        return PgError::Lost(location.server());
    }
    PgError::Sql(one_line(e))
}

/// What `db check` found on a PostgreSQL store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub version: i64,
    /// The rows of each table, in [`TABLES`] order.
    pub counts: Vec<(String, i64)>,
    /// Inconsistencies, one line each (none on a healthy store).
    pub problems: Vec<String>,
}

/// A connection to one PostgreSQL store.
pub struct PgStore {
    client: Client,
    location: Location,
    /// This session's server process, to tell other sessions' notifications from our own.
    pid: i32,
    /// Other sessions' commits noticed so far: [`PgStore::data_version`].
    seen: i64,
    /// The session set-up, to do again on a new connection after a lost one.
    read_only: bool,
    busy_timeout: std::time::Duration,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("location", &self.location)
            .finish()
    }
}

/// The schema version a database holds: 0 when it has no `schema_version` table.
pub fn schema_version(client: &mut impl GenericClient) -> Result<i64, postgres::Error> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let row = client.query_opt("SELECT version FROM schema_version", &[])?;
    Ok(row.map_or(0, |r| r.get(0)))
}

impl PgStore {
    /// Connects; an unreachable server, a missing or refused password and a missing database
    /// each give their one-line error. Reads nothing and writes nothing.
    pub fn connect(location: &Location) -> Result<PgStore, PgError> {
        let client = location
            .config()
            .connect(NoTls)
            .map_err(|e| connect_error(location, &e))?;
        Ok(PgStore {
            client,
            location: location.clone(),
            pid: 0,
            seen: 0,
            read_only: false,
            busy_timeout: super::BUSY_TIMEOUT,
        })
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub(crate) fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    /// The schema version of the database (0: none).
    pub fn schema_version(&mut self) -> Result<i64, PgError> {
        schema_version(&mut self.client).map_err(|e| sql(&self.location, &e))
    }

    /// Brings the schema up to [`migrations::LATEST`] in one transaction; refuses a newer one.
    pub fn migrate(&mut self) -> Result<(), PgError> {
        let location = self.location.clone();
        let mut tx = self.client.transaction().map_err(|e| sql(&location, &e))?;
        migrate_in(&mut tx, &location)?;
        tx.commit().map_err(|e| sql(&location, &e))
    }

    /// `db check`: the schema version (refusing none and a newer one), the rows of each table,
    /// and whether the stored camera and user counts are right. `Err` for what stops the check.
    pub fn check(&mut self) -> Result<CheckReport, PgError> {
        let location = self.location.clone();
        let db = location.dbname().to_string();
        let mut tx = self
            .client
            .build_transaction()
            .read_only(true)
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()
            .map_err(|e| sql(&location, &e))?;
        let version = schema_version(&mut tx).map_err(|e| sql(&location, &e))?;
        if version == 0 {
            return Err(PgError::NoSchema(db));
        }
        if version > migrations::LATEST {
            return Err(PgError::TooNew(db, version, migrations::LATEST));
        }
        let counts = table_counts(&mut tx).map_err(|e| sql(&location, &e))?;
        let mut problems = Vec::new();
        if version >= 3 {
            let wrong: i64 = tx
                .query_one(
                    "SELECT count(*) FROM customers c
                     WHERE camera_count <> (SELECT count(*) FROM cameras WHERE customer_id = c.id)
                        OR user_count <> (SELECT count(*) FROM users WHERE customer_id = c.id)",
                    &[],
                )
                .map_err(|e| sql(&location, &e))?
                .get(0);
            if wrong > 0 {
                problems.push(format!(
                    "{wrong} customers have a stored camera or user count that differs from their rows"
                ));
            }
        }
        Ok(CheckReport {
            version,
            counts,
            problems,
        })
    }
}

/// Applies the pending migrations inside the caller's transaction, under an advisory lock (a
/// second box starting at once waits, then finds the schema current).
pub(crate) fn migrate_in(
    tx: &mut postgres::Transaction<'_>,
    location: &Location,
) -> Result<i64, PgError> {
    let err = |e: postgres::Error| sql(location, &e);
    tx.execute("SELECT pg_advisory_xact_lock(7010301)", &[])
        .map_err(err)?;
    let found = schema_version(tx).map_err(err)?;
    let known = migrations::LATEST;
    if found > known {
        return Err(PgError::TooNew(location.dbname().to_string(), found, known));
    }
    let exists: bool = tx
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .map_err(err)?
        .get(0);
    if !exists {
        tx.batch_execute(migrations::VERSION_TABLE).map_err(err)?;
    }
    for (n, step) in migrations::MIGRATIONS
        .iter()
        .enumerate()
        .skip(found as usize)
    {
        tx.batch_execute(step).map_err(err)?;
        tx.execute(
            "UPDATE schema_version SET version = $1",
            &[&((n + 1) as i64)],
        )
        .map_err(err)?;
    }
    Ok(known)
}

/// The rows of every table, in [`TABLES`] order.
pub(crate) fn table_counts(
    client: &mut impl GenericClient,
) -> Result<Vec<(String, i64)>, postgres::Error> {
    let mut counts = Vec::new();
    for table in TABLES {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .get(0);
        counts.push(((*table).to_string(), n));
    }
    Ok(counts)
}

/// A failed connection as its one-line error.
fn connect_error(location: &Location, e: &postgres::Error) -> PgError {
    let server = location.server();
    let user = location.user.clone();
    if let Some(code) = e.code() {
        if code == &SqlState::INVALID_PASSWORD {
            return if location.password().is_some() {
                PgError::Refused {
                    server,
                    user,
                    detail: "wrong password (check PGPASSWORD or ~/.pgpass)".into(),
                }
            } else {
                PgError::NoPassword { server, user }
            };
        }
        if code == &SqlState::INVALID_CATALOG_NAME {
            return PgError::NoDatabase {
                server,
                dbname: location.dbname.clone(),
                user,
            };
        }
        return PgError::Refused {
            server,
            user,
            detail: one_line(e),
        };
    }
    let text = one_line(e);
    if text.contains("password missing") {
        return PgError::NoPassword { server, user };
    }
    PgError::Unreachable {
        server,
        detail: text,
    }
}
