//! Realistic sample data of any size, deterministic from a seed (`admin-portal demo`).
//!
//! Built for speed: 100,000 customers and 1,000,000 cameras are written in batches of
//! [`BATCH`] customers, each batch one transaction with cached prepared statements, cameras
//! inserted already linked, and no `SELECT` per row (ids come from `last_insert_rowid`).
//! Everything is derived from the seed except the timestamps, which end at the time of the fill.

mod fill;
mod random;
pub(crate) mod sink;
#[cfg(test)]
mod tests;
mod words;

use std::time::{Duration, Instant};

use rusqlite::{OptionalExtension, Transaction};

use super::{Result, Store, StoreError, pg};

pub(crate) use fill::Filler;
use sink::SqliteSink;
use words::PLANS;

/// How many plans a fill writes (when the store has none of their names).
pub(crate) const PLAN_COUNT: usize = PLANS.len();
/// Customers written per transaction; progress is reported after each.
const BATCH: u64 = 10_000;
/// Unlinked inventory cameras written per transaction.
const INVENTORY_BATCH: u64 = 200_000;
/// Beyond these sizes the generated MAC ranges could run out.
const MAX_CUSTOMERS: u64 = 5_000_000;
const MAX_CAMERAS: u64 = 10_000_000;
/// The demo data's timeline: customers were created over the last four years.
const HISTORY_SECS: i64 = 4 * 365 * 24 * 3600;
/// Page cache for the fill (KiB, as `PRAGMA cache_size` takes negative numbers): the indexes on
/// random keys (names, e-mails) stay in memory instead of spilling to the log.
const FILL_CACHE_KIB: i64 = 256 * 1024;

/// One batch of a fill: customers (with their cameras, people and audit entries), unlinked
/// inventory cameras, or the closing audit entry.
pub(crate) enum Step {
    Customers(std::ops::Range<u64>),
    Inventory(u64),
    Closing,
}

/// The fill's batches in order, each handed to `run`, with a progress line after each.
pub(crate) fn steps(
    filler: &mut Filler,
    progress: &mut dyn FnMut(&str),
    mut run: impl FnMut(&mut Filler, &Step) -> Result<()>,
) -> Result<()> {
    let total = filler.spec.customers;
    let mut done = 0;
    while done < total {
        let end = (done + BATCH).min(total);
        run(filler, &Step::Customers(done..end))?;
        done = end;
        progress(&format!("customers {done}/{total}"));
    }
    let inventory = filler.spec.cameras - filler.report.linked;
    let mut done = 0;
    while done < inventory {
        let end = (done + INVENTORY_BATCH).min(inventory);
        run(filler, &Step::Inventory(end - done))?;
        done = end;
        progress(&format!("unlinked cameras {done}/{inventory}"));
    }
    run(filler, &Step::Closing)
}

/// How much sample data to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    pub customers: u64,
    /// The whole inventory; about three quarters end up linked to customers.
    pub cameras: u64,
    pub seed: u64,
}

impl Default for DemoSpec {
    fn default() -> Self {
        Self {
            customers: 1_000,
            cameras: 10_000,
            seed: 1,
        }
    }
}

/// What a fill wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DemoReport {
    pub customers: u64,
    pub cameras: u64,
    /// Cameras linked to a customer.
    pub linked: u64,
    pub users: u64,
    pub roles: u64,
    pub plans: u64,
    pub elapsed: Duration,
}

impl DemoReport {
    /// One line for the operator.
    pub fn summary(&self) -> String {
        format!(
            "{} customers, {} cameras ({} linked), {} roles, {} users, {} plans in {:.1} s",
            self.customers,
            self.cameras,
            self.linked,
            self.roles,
            self.users,
            self.plans,
            self.elapsed.as_secs_f64()
        )
    }
}

impl Store {
    /// Fills an empty store with sample data; refuses a store that already has customers.
    /// `progress` receives lines like "customers 20000/100000" after every transaction.
    pub fn fill_demo(
        &mut self,
        spec: &DemoSpec,
        progress: &mut dyn FnMut(&str),
    ) -> Result<DemoReport> {
        let started = Instant::now();
        if spec.customers > MAX_CUSTOMERS || spec.cameras > MAX_CAMERAS {
            return Err(StoreError::Refused(format!(
                "demo data is limited to {MAX_CUSTOMERS} customers and {MAX_CAMERAS} cameras"
            )));
        }
        let password_hash = demo_password_hash()?;
        let mut filler = Filler::new(spec, password_hash);
        if self.is_postgres() {
            self.pg_write(|tx| pg::demo::fill(tx, &mut filler, progress))?;
            filler.report.elapsed = started.elapsed();
            return Ok(filler.report);
        }
        self.write(|tx| filler.start(&mut SqliteSink(tx)))?;
        progress(&format!("plans {}/{}", filler.report.plans, PLANS.len()));

        let cache: i64 = self
            .conn()?
            .query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn()?
            .execute_batch(&format!("PRAGMA cache_size = -{FILL_CACHE_KIB}"))?;
        let filled = self.fill_rest(&mut filler, progress);
        // Give the memory back whatever happened.
        self.conn()?
            .execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
        filled?;
        // Leave no log of the fill's size behind; best effort, a reader may hold it open.
        self.conn()?
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;

        filler.report.elapsed = started.elapsed();
        Ok(filler.report)
    }

    fn fill_rest(&mut self, filler: &mut Filler, progress: &mut dyn FnMut(&str)) -> Result<()> {
        steps(filler, progress, |filler, step| match step {
            Step::Closing => self.write(|tx| filler.step(&mut SqliteSink(tx), step)),
            _ => self.write(|tx| bulk(tx, |tx| filler.step(&mut SqliteSink(tx), step))),
        })
    }
}

/// The search indexes (migrations V2 and V3) a fill writes to: each FTS5 table, the table or
/// view it reads its content from (by the same column names, rowid `id`), and its insert trigger.
const SEARCH_INDEXES: &[(&str, &str, &str)] = &[
    ("customers_fts", "customers_search", "customers_fts_insert"),
    ("cameras_fts", "cameras", "cameras_fts_insert"),
];

/// Runs one batch of the fill with the search indexes filled in bulk rather than by their insert
/// triggers, all in the batch's transaction.
///
/// Why: every one-row `INSERT` that fires a trigger runs in a statement savepoint, and FTS5 writes
/// its pending terms out as a segment at each savepoint, so filling 1,000,000 cameras through
/// the trigger wrote about a million one-row segments and merged them over and over (129 s
/// instead of 11 s). Here the insert triggers are dropped, the batch is written, the new rows
/// (ids above the largest before the batch; ids only grow, AUTOINCREMENT) are indexed with one
/// `INSERT ... SELECT` from the index's own content table (what FTS5's `rebuild` reads, limited to
/// the new rows), and the triggers are created again from the very text `sqlite_master` held.
/// So every committed state, even after a crash between batches, has its triggers and a
/// complete index; nothing of the migrations' SQL is copied here.
fn bulk<T>(tx: &Transaction<'_>, batch: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
    let mut paused = Vec::new();
    for &(fts, content, trigger) in SEARCH_INDEXES {
        let sql: Option<String> = tx
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                [trigger],
                |r| r.get(0),
            )
            .optional()?;
        // No trigger (a schema without this index): nothing to pause or fill.
        let Some(sql) = sql else { continue };
        let from: i64 = tx.query_row(
            &format!("SELECT ifnull(max(id), 0) FROM \"{content}\""),
            [],
            |r| r.get(0),
        )?;
        tx.execute_batch(&format!("DROP TRIGGER \"{trigger}\""))?;
        paused.push((fts, content, sql, from));
    }
    let out = batch(tx)?;
    for (fts, content, sql, from) in paused {
        let columns: Vec<String> = tx
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{fts}') ORDER BY cid"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let columns = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        tx.execute(
            &format!(
                "INSERT INTO \"{fts}\" (rowid, {columns})
                 SELECT id, {columns} FROM \"{content}\" WHERE id > ?1 ORDER BY id"
            ),
            [from],
        )?;
        tx.execute_batch(&sql)?;
    }
    Ok(out)
}

/// One Argon2id hash shared by every demo user. Hashing per user would take minutes at 100,000
/// customers; one hash of a random password nobody knows is as good for sample data: no demo
/// user can sign in until an operator resets its password.
fn demo_password_hash() -> Result<String> {
    use argon2::password_hash::{PasswordHasher, phc::PasswordHash};
    let password: [u8; 24] = rand::random();
    let hash: PasswordHash = argon2::Argon2::default()
        .hash_password(&password)
        .map_err(|e| StoreError::Refused(format!("cannot hash the demo password: {e}")))?;
    Ok(hash.to_string())
}
