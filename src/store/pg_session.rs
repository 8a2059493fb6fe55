//! The PostgreSQL half of [`Store`]'s own methods: opening a `postgres://` store, and the
//! connection every PostgreSQL branch runs on (`pg_read`, `pg_write`, the cancel token).

use std::cell::{RefCell, RefMut};
use std::path::PathBuf;

use super::{Backend, OpenMode, Result, Store, StoreError, StoreOptions, pg};

impl Store {
    /// Opens a PostgreSQL store: connects (one line per failure), then, as [`Store::open`] does
    /// for a file, brings the schema up to date; `OpenMode::Create` fills an empty database,
    /// `Existing` refuses one without the schema, `ReadOnly` refuses to migrate and runs every
    /// transaction of the session read-only at the server.
    pub fn open_postgres(location: pg::Location, options: StoreOptions) -> Result<Store> {
        let StoreOptions { mode, busy_timeout } = options;
        let mut pg = pg::PgStore::connect(&location)?;
        let found = pg.schema_version()?;
        let known = pg::migrations::LATEST;
        let dbname = location.dbname().to_string();
        if found > known {
            return Err(pg::PgError::TooNew(dbname, found, known).into());
        }
        if found == 0 && mode != OpenMode::Create {
            return Err(pg::PgError::NoSchema(dbname).into());
        }
        let path = PathBuf::from(format!("postgres://{location}"));
        if found < known {
            if mode == OpenMode::ReadOnly {
                return Err(StoreError::NeedsMigration { path, found, known });
            }
            pg.migrate()?;
        }
        pg.configure(mode == OpenMode::ReadOnly, busy_timeout)?;
        Ok(Store {
            backend: Backend::Postgres(Box::new(RefCell::new(pg))),
            path,
            read_only: mode == OpenMode::ReadOnly,
            created: found == 0,
            busy_timeout,
        })
    }

    /// The PostgreSQL connection, borrowed for one call.
    pub(super) fn pg(&self) -> Result<RefMut<'_, pg::PgStore>> {
        match &self.backend {
            Backend::Postgres(pg) => pg.try_borrow_mut().map_err(|_| {
                StoreError::Refused("the PostgreSQL connection is busy with another call".into())
            }),
            Backend::Sqlite(_) => Err(StoreError::Refused("not a PostgreSQL store".into())),
        }
    }

    /// What [`Store::cancellable`] needs to stop a statement running on the connection.
    pub(crate) fn pg_cancel_token(&self) -> Result<postgres::CancelToken> {
        let mut pg = self.pg()?;
        pg.ensure_connected()?;
        Ok(pg.client().cancel_token())
    }

    /// Runs the PostgreSQL reads of `f` on the store's connection (each statement sees what
    /// was committed when it began, as on SQLite; `f` opens a transaction itself when several
    /// statements must see one snapshot). A lost connection is [`StoreError::Disconnected`].
    pub(crate) fn pg_read<T>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> Result<T>,
    ) -> Result<T> {
        let mut pg = self.pg()?;
        pg.ensure_connected()?;
        let server = pg.location().server();
        f(pg.client()).map_err(|e| pg::disconnected(e, &server))
    }

    /// Runs `f` in one PostgreSQL transaction, all of it or none, as [`Store::write`] does on
    /// SQLite. Writers are serialized like SQLite's `BEGIN IMMEDIATE`: each first takes one
    /// transaction-level advisory lock ([`pg::WRITE_LOCK`]), so the read-then-check-then-write
    /// rules (versions, unique names, counts) see no concurrent writer, and a writer that waits
    /// longer than the busy timeout gets [`StoreError::Busy`].
    pub(crate) fn pg_write<T>(
        &mut self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.read_only {
            return Err(StoreError::Refused(
                "the store is open read-only (--readonly)".into(),
            ));
        }
        let mut pg = self.pg()?;
        pg.ensure_connected()?;
        let server = pg.location().server();
        pg::write(pg.client(), f).map_err(|e| pg::disconnected(e, &server))
    }
}
