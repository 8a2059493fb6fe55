//! SQL on a store's file from outside the store, as another program would: `Store` keeps its
//! connection to itself, so a test that sets rows up, inspects or corrupts the file opens one of
//! its own here. Being another connection, its commits count as another process's for the
//! store's live refresh (`data_version`).

use std::path::Path;
use std::time::Duration;

use admin_portal::domain::Id;
use admin_portal::store::Store;
use rusqlite::Connection;

/// A connection of its own on the SQLite file at `path`, with foreign keys on and the store's
/// default busy timeout.
pub fn connect(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    conn.busy_timeout(Duration::from_secs(5))
        .expect("busy timeout");
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .expect("foreign keys");
    conn
}

/// `store.raw_conn()`: a connection of its own on the store's file (see [`connect`]).
pub trait RawConn {
    fn raw_conn(&self) -> Connection;
}

impl RawConn for Store {
    fn raw_conn(&self) -> Connection {
        connect(self.path())
    }
}

/// Runs one `INSERT` and returns the id of the row it added.
pub fn insert(store: &Store, sql: &str) -> Id {
    let conn = store.raw_conn();
    conn.execute(sql, [])
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.last_insert_rowid()
}
