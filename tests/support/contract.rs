//! The contract suite's two stores: every contract test runs once on SQLite and once on
//! PostgreSQL (issue 10), through the one `Store` interface, and asserts the same behaviour.
//!
//! Both start from the same data: `seed` fills a SQLite store through the store's own calls
//! (or the demo generator), and the PostgreSQL subject is that store copied by `db migrate-to`
//! into a fresh database of this test binary's throwaway server (`support::pg`). So a test of
//! one PostgreSQL call does not depend on the others being there yet.
//!
//! `contract!(name, seed)` writes the two tests `name::sqlite` and `name::postgres` around
//! `fn name(s: &mut Subject)`; where the PostgreSQL binaries are missing the second prints its
//! SKIPPED line and returns.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use admin_portal::store::pg::Location;
use admin_portal::store::pg::copy::migrate_to;
use admin_portal::store::{OpenMode, Store, StoreOptions};
use tempfile::TempDir;

use super::pg::{PASSWORD, PgServer, shared_or_skip};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One store under test, and what keeps it alive.
pub struct Subject {
    pub store: Store,
    pub backend: Backend,
    pub dir: TempDir,
    pub server: Option<Arc<PgServer>>,
}

impl Subject {
    /// A second connection to the same store (another operator's process).
    pub fn other(&self) -> Store {
        self.store.reopen().expect("second connection")
    }

    pub fn is_postgres(&self) -> bool {
        self.backend == Backend::Postgres
    }
}

/// Seeds nothing: an empty store.
pub fn empty(_: &mut Store) {}

/// A SQLite store in a temporary folder, filled by `seed`.
pub fn sqlite(seed: impl FnOnce(&mut Store)) -> Subject {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("s.db"), OpenMode::Create).expect("store");
    seed(&mut store);
    Subject {
        store,
        backend: Backend::Sqlite,
        dir,
        server: None,
    }
}

/// The same data in a fresh PostgreSQL database, or `None` (SKIPPED printed) without a server.
pub fn postgres(name: &str, seed: impl FnOnce(&mut Store)) -> Option<Subject> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = shared_or_skip()?;
    let source = sqlite(seed);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dbname: String = format!("c{n}_{name}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let url = server.database(&dbname);
    let location = Location::parse(&url)
        .expect("test URL")
        .with_password(PASSWORD);
    migrate_to(&source.store, &location).unwrap_or_else(|e| panic!("copy into {url}: {e}"));
    let store = Store::open_postgres(location, StoreOptions::new(OpenMode::Existing))
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    Some(Subject {
        store,
        backend: Backend::Postgres,
        dir: source.dir,
        server: Some(server),
    })
}

/// `contract!(name)` or `contract!(name, seed)`: the tests `name::sqlite` and
/// `name::postgres`, each calling `name(&mut Subject)` on its store.
#[macro_export]
macro_rules! contract {
    ($name:ident) => {
        $crate::contract!($name, $crate::support::contract::empty);
    };
    ($name:ident, $seed:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                let mut s = $crate::support::contract::sqlite($seed);
                super::$name(&mut s);
            }

            #[test]
            fn postgres() {
                let Some(mut s) = $crate::support::contract::postgres(stringify!($name), $seed)
                else {
                    return;
                };
                super::$name(&mut s);
            }
        }
    };
}
