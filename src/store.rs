//! The SQLite store: open, migrate, queries and transactions. No terminal code here.
//!
//! One file shared by every operator's process: write-ahead log, foreign keys, `synchronous=FULL`,
//! a busy timeout, and `BEGIN IMMEDIATE` for every write (a deferred transaction that reads and then
//! writes fails at once when another process committed in between, whatever the busy timeout).

mod audit_names;
pub mod billing;
mod cancel;
pub mod catalog;
pub mod customers;
pub mod demo;
pub mod drafts;
pub mod export;
mod file;
pub mod inventory;
pub mod links;
pub mod migrations;
pub mod people;
pub mod pg;
mod pg_session;
pub mod restore;
pub mod status;
pub mod views;

use std::cell::RefCell;
use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior, params};

use crate::domain::{Id, Operator};
use file::{busy, check_header, classify, io_error, uri_path};

pub use customers::{CustomerQuery, SortKey};

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no store at {0}: pass --init to create one")]
    Missing(PathBuf),
    #[error("the folder of {0} does not exist")]
    NoFolder(PathBuf),
    #[error("{0} is not an admin-portal store (not a SQLite database)")]
    NotADatabase(PathBuf),
    #[error("{0} is not an admin-portal store (a SQLite database of another program)")]
    Foreign(PathBuf),
    #[error("{path} is truncated: {actual} bytes where its header promises {expected}")]
    Truncated {
        path: PathBuf,
        actual: u64,
        expected: u64,
    },
    #[error(
        "{path} was written by a newer admin-portal (schema {found}, this program knows {known}); upgrade the program"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path} needs an upgrade of its schema (from {found} to {known}); open it once without --readonly"
    )]
    NeedsMigration {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{0} is locked by another process for longer than {1} s; try again in a moment")]
    Locked(PathBuf, u64),
    #[error(
        "{0} is read-only here (or its folder is, so no journal can be written); use --readonly to browse it"
    )]
    ReadOnly(PathBuf),
    #[error("{0} is damaged: {1}")]
    Corrupt(PathBuf, String),
    #[error("cannot open {0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// Another operator changed or deleted the record since it was read.
    #[error("{0}")]
    Conflict(String),
    /// A rule of the product refuses the change; the text says why.
    #[error("{0}")]
    Refused(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("the store is busy with another operator's change; try again")]
    Busy,
    /// A read given up because its caller asked to ([`Store::cancellable`]): a newer key came.
    #[error("the read was cancelled")]
    Cancelled,
    #[error("store error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("store data error: {0}")]
    Json(#[from] serde_json::Error),
    /// Opening or checking a PostgreSQL store failed; the text is its one line.
    #[error("{0}")]
    Pg(Box<pg::PgError>),
    /// A statement on an open PostgreSQL store failed (the server's message, one line).
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    /// The PostgreSQL server went away; nothing of the interrupted write was committed.
    #[error(
        "lost the connection to the PostgreSQL server at {0}: nothing of this step was saved; what you typed is kept, try again once the server is back"
    )]
    Disconnected(String),
    /// A call the PostgreSQL backend does not carry yet (the seam is being laid call by call;
    /// the portal and the commands refuse a `postgres://` store until every call is there).
    #[error("{0} is not available on a PostgreSQL store yet")]
    NotOnPostgres(&'static str),
}

impl From<pg::PgError> for StoreError {
    fn from(e: pg::PgError) -> StoreError {
        StoreError::Pg(Box::new(e))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How to open a store file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The file must exist (an explicit `--db` without `--init`).
    Existing,
    /// Create the file (mode 0600) when missing.
    Create,
    /// Read-only at the SQLite level: no code path can write.
    ReadOnly,
}

/// How to open a store: the mode, and how long a writer waits for another process's transaction
/// (the CLI and the portal keep [`BUSY_TIMEOUT`]; tests that provoke a locked store pass less).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    pub mode: OpenMode,
    pub busy_timeout: Duration,
}

impl StoreOptions {
    /// `mode` with the default busy timeout.
    pub fn new(mode: OpenMode) -> StoreOptions {
        StoreOptions {
            mode,
            busy_timeout: BUSY_TIMEOUT,
        }
    }

    pub fn busy_timeout(self, busy_timeout: Duration) -> StoreOptions {
        StoreOptions {
            busy_timeout,
            ..self
        }
    }
}

/// The one store seam: the UI, the CLI, import/export and the demo call [`Store`]'s methods, and
/// each method runs its backend's SQL. An enum rather than a trait object: there are exactly two
/// backends, both in this crate, every call stays static, and the two clients' transaction types
/// (rusqlite's `Transaction`, postgres's `Transaction<'_>` over `&mut Client`) need no common
/// object-safe wrapper. The rules that are not SQL (validation, archive JSON, audit texts, the
/// merge of stale edits) stay above the backend code and are written once.
pub(crate) enum Backend {
    Sqlite(Connection),
    /// The postgres client needs `&mut` for every statement while reads take `&Store`: one
    /// connection, used by one thread at a time, so a `RefCell` is enough.
    Postgres(Box<RefCell<pg::PgStore>>),
}

pub struct Store {
    backend: Backend,
    /// The SQLite file, or the `postgres://user@host:port/db` location (never a password).
    path: PathBuf,
    read_only: bool,
    /// True when this open created the file.
    created: bool,
    busy_timeout: Duration,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (and, with `OpenMode::Create`, creates) the store, then migrates it.
    /// Checks only what costs the same at any size: the header, the length, the schema version.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        Store::open_with(path, StoreOptions::new(mode))
    }

    /// [`Store::open`] with options; a lock held past the busy timeout names that timeout.
    pub fn open_with(path: &Path, options: StoreOptions) -> Result<Store> {
        Store::open_options(path, options).map_err(|e| match e {
            StoreError::Locked(path, _) => StoreError::Locked(path, options.busy_timeout.as_secs()),
            e => e,
        })
    }

    fn open_options(path: &Path, options: StoreOptions) -> Result<Store> {
        if let Some(url) = path.to_str().filter(|p| pg::is_postgres(p)) {
            return Store::open_postgres(pg::Location::parse(url)?, options);
        }
        let StoreOptions { mode, busy_timeout } = options;
        let path = path.to_path_buf();
        let exists = path.exists();
        if !exists {
            if mode != OpenMode::Create {
                return Err(StoreError::Missing(path));
            }
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(parent) = parent
                && !parent.is_dir()
            {
                return Err(StoreError::NoFolder(path));
            }
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(|e| io_error(&path, e))?;
        } else {
            check_header(&path)?;
        }
        let read_only = mode == OpenMode::ReadOnly;
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| classify(&path, e))?;
        let mut store = Store {
            backend: Backend::Sqlite(conn),
            path,
            read_only,
            created: !exists,
            busy_timeout,
        };
        match store.configure().and_then(|()| store.migrate()) {
            Err(StoreError::ReadOnly(_)) if read_only => {
                Store::open_immutable(&store.path, busy_timeout)
            }
            Err(e) => Err(e),
            Ok(()) => Ok(store),
        }
    }

    /// `--readonly` on a store whose folder is read-only: SQLite cannot create the WAL's shared
    /// memory file beside it, so open it as immutable (no locks, no journal). Safe exactly when
    /// nobody can write there, which is what a read-only folder means for this account.
    fn open_immutable(path: &Path, busy_timeout: Duration) -> Result<Store> {
        let uri = format!("file:{}?immutable=1", uri_path(path));
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&uri, flags).map_err(|e| classify(path, e))?;
        let mut store = Store {
            backend: Backend::Sqlite(conn),
            path: path.to_path_buf(),
            read_only: true,
            created: false,
            busy_timeout,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// A second connection to the same file (tests and background work).
    pub fn reopen(&self) -> Result<Store> {
        let mode = if self.read_only {
            OpenMode::ReadOnly
        } else {
            OpenMode::Existing
        };
        if self.is_postgres() {
            let location = self.pg()?.location().clone();
            let options = StoreOptions::new(mode).busy_timeout(self.busy_timeout);
            return Store::open_postgres(location, options);
        }
        Store::open_with(
            &self.path,
            StoreOptions::new(mode).busy_timeout(self.busy_timeout),
        )
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// How long a write waits for another process's transaction.
    pub fn busy_timeout(&self) -> Duration {
        self.busy_timeout
    }

    /// True when this open created the file.
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// True on a PostgreSQL store: a method with PostgreSQL SQL of its own takes that branch.
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    fn configure(&mut self) -> Result<()> {
        let path = self.path.clone();
        let conn = self.conn()?;
        conn.busy_timeout(self.busy_timeout)
            .map_err(|e| classify(&path, e))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")
            .map_err(|e| classify(&path, e))?;
        // Before anything that writes (the switch to WAL rewrites the header of a rollback-journal
        // file): a store this program refuses is left byte for byte as it was.
        self.refuse_unknown()?;
        if !self.read_only {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(|e| classify(&path, e))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::ReadOnly(path));
            }
            // SQLite quietly opens a file it may not write read-only: say so now, not at the
            // operator's first save.
            if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
                return Err(StoreError::ReadOnly(path));
            }
        }
        Ok(())
    }

    /// Refuses a newer schema and a SQLite file of another program (schema version 0 with tables
    /// in it) by reading only, so the refused file is never written.
    fn refuse_unknown(&self) -> Result<()> {
        let found = self.schema_version()?;
        let known = migrations::LATEST;
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        if found == 0 {
            let objects: i64 = self
                .conn()?
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(|e| classify(&self.path, e))?;
            if objects > 0 {
                return Err(StoreError::Foreign(self.path.clone()));
            }
        }
        Ok(())
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64> {
        if self.is_postgres() {
            return self.pg_read(|c| {
                pg::schema_version(c).map_err(|e| StoreError::Postgres(pg::one_line(&e)))
            });
        }
        let v = self
            .conn()?
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(&self.path, e))?;
        Ok(v)
    }

    fn migrate(&mut self) -> Result<()> {
        // `configure` has already refused a newer schema (`refuse_unknown`).
        let found = self.schema_version()?;
        let known = migrations::LATEST;
        if found >= known {
            return Ok(());
        }
        if self.read_only {
            return Err(StoreError::NeedsMigration {
                path: self.path.clone(),
                found,
                known,
            });
        }
        let path = self.path.clone();
        let tx = self
            .conn_mut()?
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        // Another process may have migrated while we waited for the lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (n, sql) in migrations::MIGRATIONS.iter().enumerate().skip(now as usize) {
            tx.execute_batch(sql).map_err(|e| classify(&path, e))?;
            tx.pragma_update(None, "user_version", (n + 1) as i64)?;
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::Refused(
                "the store is open read-only (--readonly)".into(),
            ));
        }
        let tx = self
            .conn_mut()?
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy)?;
        let out = f(&tx)?;
        tx.commit().map_err(busy)?;
        Ok(out)
    }

    /// The SQLite connection, for queries (one statement at a time; SQLite gives each a
    /// consistent view). On a PostgreSQL store: [`StoreError::NotOnPostgres`], which a method
    /// meets only while it has no PostgreSQL branch yet.
    pub(crate) fn conn(&self) -> Result<&Connection> {
        match &self.backend {
            Backend::Sqlite(conn) => Ok(conn),
            Backend::Postgres(_) => Err(StoreError::NotOnPostgres("this call")),
        }
    }

    pub(crate) fn conn_mut(&mut self) -> Result<&mut Connection> {
        match &mut self.backend {
            Backend::Sqlite(conn) => Ok(conn),
            Backend::Postgres(_) => Err(StoreError::NotOnPostgres("this call")),
        }
    }

    /// Changes whenever another connection commits: poll it to notice other operators' changes.
    pub fn data_version(&self) -> Result<i64> {
        if self.is_postgres() {
            return self.pg()?.data_version();
        }
        Ok(self
            .conn()?
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A consistent copy of the whole store into `target` (which must not hold a database yet),
    /// made online with `VACUUM INTO`: one read transaction, so other operators keep working.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        let text = target.to_str().ok_or_else(|| {
            StoreError::Refused(format!("{} is not a UTF-8 path", target.display()))
        })?;
        self.conn()?.execute("VACUUM INTO ?1", [text])?;
        Ok(())
    }

    /// SQLite's full checks, for `db check` and backups (seconds on a large store: never at start).
    /// On PostgreSQL: the checks of `db check` (schema version, the stored counts).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        if self.is_postgres() {
            let mut pg = self.pg()?;
            pg.ensure_connected()?;
            return Ok(pg.check()?.problems);
        }
        let mut problems = Vec::new();
        let mut stmt = self.conn()?.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = self.conn()?.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "foreign key: {} row {} -> {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            problems.push(row?);
        }
        Ok(problems)
    }
}

/// Writes one audit entry inside the caller's transaction; returns its id.
pub fn audit(
    tx: &Transaction<'_>,
    op: &Operator,
    action: &str,
    customer: Option<(Id, &str)>,
    summary: &str,
    details: &serde_json::Value,
) -> Result<Id> {
    tx.execute(
        "INSERT INTO audit (at, operator, client, action, customer_id, customer_name, summary, details)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            now(),
            op.login,
            op.client,
            action,
            customer.map(|c| c.0),
            customer.map(|c| c.1),
            summary,
            details.to_string()
        ],
    )?;
    let id = tx.last_insert_rowid();
    // Every write passes here, so this one line logs them all (user text escaped by Debug).
    tracing::info!(
        audit = id,
        operator = %op.login,
        action,
        customer = ?customer.map(|c| c.0),
        summary = ?summary,
        "write"
    );
    Ok(id)
}

/// The current time as stored: RFC 3339 in UTC, to the second.
pub fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| jiff::Timestamp::now().to_string())
}

/// True when `e` is a UNIQUE constraint violation.
pub(crate) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
    )
}

#[cfg(test)]
mod open_tests {
    use super::*;

    /// `--readonly` holds past the store's own refusal: its connection itself cannot write.
    #[test]
    fn a_read_only_store_connection_is_refused_by_sqlite_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(Store::open(&path, OpenMode::Create).unwrap());
        let store = Store::open(&path, OpenMode::ReadOnly).unwrap();
        let err = store
            .conn()
            .unwrap()
            .execute(
                "INSERT INTO drafts (operator, step, data, updated_at) VALUES ('x', 1, '{}', '')",
                [],
            )
            .unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::ReadOnly),
            "{err}"
        );
    }
}
