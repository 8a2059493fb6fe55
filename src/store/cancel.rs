//! Reads that stop part-way when their caller no longer wants them: a count or a window of a
//! filter that a newer key has made stale.
//!
//! The hook is the store's, not SQLite's: a screen hands in a question ("has a key come? is the
//! frame's time up?") and gets [`StoreError::Cancelled`] back when it answered yes. SQLite asks
//! it through its progress handler every [`CANCEL_STEPS`] steps of the running statement; a
//! PostgreSQL store asks it from a watcher thread every [`PG_ASK_EVERY`] and, on a yes, sends
//! the server a cancel request for the running statement.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rusqlite::ErrorCode;

use super::{Result, Store, StoreError};

/// SQLite virtual machine steps between two questions: about 0.1 ms of a scan on the team
/// machine (a `LIKE` scan of 100,000 customers runs ~3 million steps in 25 ms), so a key stops
/// a count within a tenth of a millisecond while the question (a `poll` of the terminal, or a
/// clock read) costs well under 1% of the scan.
const CANCEL_STEPS: i32 = 10_000;

/// How often the PostgreSQL watcher asks: a cancel request costs the server a connection, so it
/// is sent once, when the answer turns yes; asking costs a poll, well under 1% of a core.
const PG_ASK_EVERY: Duration = Duration::from_micros(500);

impl Store {
    /// Runs `read` with `cancel` asked every so often while SQLite works; when it answers true
    /// the statement running stops, and this returns [`StoreError::Cancelled`] (whatever `read`
    /// made of the interruption). Only for reads: a write would be rolled back half done.
    pub fn cancellable<T>(
        &mut self,
        mut cancel: impl FnMut() -> bool + Send + 'static,
        read: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<T> {
        // Asked once before: a key already waiting stops even a read too short for SQLite
        // to ask.
        if cancel() {
            return Err(StoreError::Cancelled);
        }
        if self.is_postgres() {
            return self.pg_cancellable(cancel, read);
        }
        self.conn_mut()?
            .progress_handler(CANCEL_STEPS, Some(cancel))?;
        let out = read(self);
        self.conn_mut()?.progress_handler(0, None::<fn() -> bool>)?;
        match out {
            Err(StoreError::Sqlite(e))
                if e.sqlite_error_code() == Some(ErrorCode::OperationInterrupted) =>
            {
                Err(StoreError::Cancelled)
            }
            other => other,
        }
    }

    /// [`Store::cancellable`] on PostgreSQL: a watcher thread asks `cancel` while `read` runs
    /// and sends the server a cancel request on a yes. The watcher is joined before anything
    /// else runs on the connection, and the server ignores a cancel that reaches a session
    /// waiting for its next statement, so a late request never stops a later statement.
    fn pg_cancellable<T>(
        &mut self,
        mut cancel: impl FnMut() -> bool + Send + 'static,
        read: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<T> {
        let token = self.pg_cancel_token()?;
        let done = Arc::new(AtomicBool::new(false));
        let watcher = {
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                while !done.load(Ordering::Acquire) {
                    if cancel() {
                        let _ = token.cancel_query(postgres::NoTls);
                        return;
                    }
                    std::thread::sleep(PG_ASK_EVERY);
                }
            })
        };
        // A cancelled statement is `StoreError::Cancelled` already (`From<postgres::Error>`).
        let out = read(self);
        done.store(true, Ordering::Release);
        let _ = watcher.join();
        out
    }

    /// [`Store::cancellable`] with a time limit: `read` is given up `budget` from now.
    pub fn within<T>(
        &mut self,
        budget: Duration,
        read: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<T> {
        let deadline = Instant::now() + budget;
        self.cancellable(move || Instant::now() >= deadline, read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CustomerQuery, OpenMode};

    fn store_with_customers(n: u64) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut store = Store::open(&path, OpenMode::Create).unwrap();
        let spec = crate::store::demo::DemoSpec {
            customers: n,
            cameras: 0,
            seed: 1,
        };
        store.fill_demo(&spec, &mut |_| {}).unwrap();
        (dir, store)
    }

    #[test]
    fn a_cancelled_read_says_so_and_the_next_one_runs() {
        let (_dir, mut store) = store_with_customers(300);
        let q = CustomerQuery {
            filter: "e".into(),
            ..CustomerQuery::default()
        };
        let cancelled = store.cancellable(|| true, |s| s.customer_count(&q));
        assert!(
            matches!(cancelled, Err(StoreError::Cancelled)),
            "{cancelled:?}"
        );
        let counted = store
            .cancellable(|| false, |s| s.customer_count(&q))
            .unwrap();
        assert_eq!(counted, store.customer_count(&q).unwrap());
        assert!(counted > 0);
    }
}
