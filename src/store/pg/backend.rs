//! What the store seam needs of a PostgreSQL connection: the session set-up, the one write
//! transaction, the audit entry every write makes, the error mapping, and the change counter the
//! portal polls for other operators' commits.

use std::time::Duration;

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Transaction};

use super::PgStore;
use crate::domain::{Id, Operator};
use crate::store::{Result, StoreError, now};

/// The advisory lock every write transaction takes first (see [`write`]).
pub(crate) const WRITE_LOCK: i64 = 7_010_302;

/// The notification channel of migration 4.
const CHANNEL: &str = "admin_portal";

impl PgStore {
    /// The session set-up of a store connection: read-only at the server for `--readonly`, how
    /// long a writer waits for the write lock, and `LISTEN` for other boxes' commits.
    pub(crate) fn configure(
        &mut self,
        read_only: bool,
        busy_timeout: Duration,
    ) -> Result<(), super::PgError> {
        self.read_only = read_only;
        self.busy_timeout = busy_timeout;
        let location = self.location.clone();
        let err = |e: postgres::Error| super::sql(&location, &e);
        let ms = busy_timeout.as_millis().max(1);
        let mut setup = format!("SET lock_timeout = {ms}; LISTEN {CHANNEL};");
        if read_only {
            setup.push_str(" SET default_transaction_read_only = on;");
        }
        self.client.batch_execute(&setup).map_err(err)?;
        self.pid = self
            .client
            .query_one("SELECT pg_backend_pid()", &[])
            .map_err(err)?
            .get(0);
        Ok(())
    }

    /// A usable connection: the one we have, or, when it was lost (the server restarted, the
    /// network went away), a new one with the same session set-up. Called before every
    /// statement, so a portal whose server went away says so at each read or save (the typed
    /// input stays where it is: nothing is cleared on an error) and carries on by itself at the
    /// first call after the server is back. The change counter moves on a reconnection: what
    /// others wrote meanwhile was never notified, so the screens read everything again.
    pub(crate) fn ensure_connected(&mut self) -> Result<()> {
        if !self.client.is_closed() {
            return Ok(());
        }
        let server = self.location.server();
        let fresh = PgStore::connect(&self.location)
            .map_err(|_| StoreError::Disconnected(server.clone()))?;
        let (read_only, busy_timeout, seen) = (self.read_only, self.busy_timeout, self.seen);
        *self = fresh;
        self.seen = seen + 1;
        self.configure(read_only, busy_timeout)
            .map_err(|_| StoreError::Disconnected(server.clone()))?;
        tracing::info!(server = %server, "reconnected to the PostgreSQL server");
        Ok(())
    }

    /// Grows whenever another session committed a write since the last call (its notification
    /// arrived); our own commits do not count, as with SQLite's `PRAGMA data_version`.
    ///
    /// One round trip each call: the synchronous client reads its socket only while a
    /// statement runs (its non-blocking notification iterator does not turn the I/O driver),
    /// so a trivial statement brings in what the server sent meanwhile, and it tells a server
    /// gone away within the poll.
    pub(crate) fn data_version(&mut self) -> Result<i64> {
        self.ensure_connected()?;
        let pid = self.pid;
        let server = self.location.server();
        self.client
            .batch_execute("SELECT 1")
            .map_err(|e| disconnected(e.into(), &server))?;
        let mut others = 0;
        {
            let mut pending = self.client.notifications();
            let mut iter = pending.iter();
            loop {
                match iter.next() {
                    Ok(Some(n)) => others += i64::from(n.process_id() != pid),
                    Ok(None) => break,
                    Err(e) => return Err(disconnected(e.into(), &server)),
                }
            }
        }
        if self.client.is_closed() {
            return Err(StoreError::Disconnected(server));
        }
        self.seen += others;
        Ok(self.seen)
    }
}

/// Runs `f` in one transaction: all or nothing. Writers take [`WRITE_LOCK`] first, so they
/// run one at a time as SQLite's `BEGIN IMMEDIATE` makes them: every check-then-write rule of
/// the store (versions, unique names, counts) holds without retry loops, at the price of no
/// parallel writes, which a portal of keyboard operators never needs. Waiting past the
/// session's `lock_timeout` (the busy timeout) is [`StoreError::Busy`].
pub(crate) fn write<T>(
    client: &mut Client,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    let out = f(&mut tx)?;
    tx.commit()?;
    Ok(out)
}

/// Writes one audit entry inside the caller's transaction; returns its id. The texts are the
/// caller's, made by the same code as on SQLite ([`crate::store::audit`]).
pub(crate) fn audit(
    tx: &mut Transaction<'_>,
    op: &Operator,
    action: &str,
    customer: Option<(Id, &str)>,
    summary: &str,
    details: &serde_json::Value,
) -> Result<Id> {
    let id: Id = tx
        .query_one(
            "INSERT INTO audit (at, operator, client, action, customer_id, customer_name, \
             summary, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &now(),
                &op.login,
                &op.client,
                &action,
                &customer.map(|c| c.0),
                &customer.map(|c| c.1),
                &summary,
                details,
            ],
        )?
        .get(0);
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

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        if is_lost(&e) {
            return StoreError::Disconnected(String::new());
        }
        if e.code() == Some(&SqlState::QUERY_CANCELED) {
            // Only `Store::cancellable` cancels a statement (no statement timeout is set).
            return StoreError::Cancelled;
        }
        if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) {
            return StoreError::Busy;
        }
        if e.code() == Some(&SqlState::READ_ONLY_SQL_TRANSACTION) {
            return StoreError::Refused("the store is read-only".into());
        }
        StoreError::Postgres(super::one_line(&e))
    }
}

/// True when the error means the connection is gone (the server shut down or went away).
pub(crate) fn is_lost(e: &postgres::Error) -> bool {
    e.code()
        .is_some_and(|c| c == &SqlState::ADMIN_SHUTDOWN || c == &SqlState::CRASH_SHUTDOWN)
        || e.is_closed()
        || e.to_string()
            .starts_with("error communicating with the server")
}

/// Names the server in a [`StoreError::Disconnected`] that [`From`] could not name.
pub(crate) fn disconnected(e: StoreError, server: &str) -> StoreError {
    match e {
        StoreError::Disconnected(s) if s.is_empty() => StoreError::Disconnected(server.into()),
        e => e,
    }
}

/// True when `e` is a UNIQUE constraint violation (the PostgreSQL side of
/// `store::is_unique_violation`).
pub(crate) fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}
