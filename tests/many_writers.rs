//! Several operators at once (issue 5, "Many writers"): worker processes each run random
//! operations on one store file (add customers with cameras and users, edit with the version they
//! read, link and unlink cameras, disable and enable, delete, restore) and log each outcome.
//! Afterwards the store must be whole, every operation a worker reported done must be in the store
//! and in the audit log under that worker's login, and every refusal must be a conflict or a rule,
//! never "database is locked".
//!
//! The workers are this test binary run again (`worker_entry`: ignored, so not counted as a test;
//! the parent runs it with `--ignored`, and it is idle unless `ADMIN_PORTAL_WORKER` is set). In CI: 8 workers × 300 operations (about 3 s); `ADMIN_PORTAL_LONG=1`: 8 × 5,000.
//! `ADMIN_PORTAL_WRITER_OPS` sets the count per worker, `ADMIN_PORTAL_SEED` repeats a run.

mod reliability;
mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use admin_portal::domain::{Id, Status};
use admin_portal::store::{OpenMode, Store, StoreError};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use reliability::{count, customer, operator, seed_inventory, whole_store_problems, worker};
use serde::{Deserialize, Serialize};
use support::db::RawConn;

const WORKERS: usize = 8;
/// Names and e-mail tags several workers pick from, so that they collide on purpose.
const SHARED_NAMES: u64 = 12;

/// One line of a worker's log.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    op: String,
    /// done, conflict, refused, noop, busy, error
    outcome: String,
    /// The audit action a done operation must have written.
    action: String,
    customer: Option<Id>,
    message: String,
}

#[test]
#[ignore = "subprocess entry point of many_writers_lose_nothing_and_never_see_a_locked_store"]
fn worker_entry() {
    let Ok(login) = std::env::var("ADMIN_PORTAL_WORKER") else {
        support::skip::skipped("not started by the many-writers test (ADMIN_PORTAL_WORKER unset)");
        return;
    };
    let env = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} not set"));
    let db = PathBuf::from(env("ADMIN_PORTAL_WORKER_DB"));
    let log = PathBuf::from(env("ADMIN_PORTAL_WORKER_LOG"));
    let ops: usize = env("ADMIN_PORTAL_WORKER_OPS").parse().unwrap();
    let index: u64 = env("ADMIN_PORTAL_WORKER_INDEX").parse().unwrap();
    let seed: u64 = env("ADMIN_PORTAL_WORKER_SEED").parse().unwrap();
    run_worker(&db, &log, &login, index, ops, seed);
}

fn run_worker(db: &Path, log: &Path, login: &str, index: u64, ops: usize, seed: u64) {
    let mut store = Store::open(db, OpenMode::Existing).expect("worker opens the store");
    let mut rng = StdRng::seed_from_u64(seed ^ (index << 32));
    let op = operator(login);
    let mut out = std::io::BufWriter::new(std::fs::File::create(log).unwrap());
    for k in 0..ops {
        let entry = one_operation(&mut store, &mut rng, &op, index, k as u64);
        serde_json::to_writer(&mut out, &entry).unwrap();
        out.write_all(b"\n").unwrap();
    }
    out.flush().unwrap();
}

fn random_customer(store: &Store) -> Option<(Id, i64, Status)> {
    store
        .raw_conn()
        .query_row(
            "SELECT id, version, status FROM customers ORDER BY random() LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    Status::parse(&r.get::<_, String>(2)?).unwrap_or_default(),
                ))
            },
        )
        .ok()
}

fn ids(store: &Store, sql: &str, arg: Option<Id>) -> Vec<Id> {
    let conn = store.raw_conn();
    let mut stmt = conn.prepare(sql).unwrap();
    let params: Vec<Id> = arg.into_iter().collect();
    stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn one_operation(
    store: &mut Store,
    rng: &mut StdRng,
    op: &admin_portal::domain::Operator,
    index: u64,
    k: u64,
) -> Entry {
    let dice = rng.random_range(0..100);
    let entry = |name: &str, action: &str, customer: Option<Id>| Entry {
        op: name.into(),
        outcome: "noop".into(),
        action: action.into(),
        customer,
        message: String::new(),
    };
    // (what, audit action, customer, result as "how many things changed")
    let (mut e, result): (Entry, Result<usize, StoreError>) = match dice {
        0..=21 => {
            // Names and e-mails mostly own, sometimes from the shared pool.
            let shared = rng.random_bool(0.15);
            let (name, tag) = if shared {
                let n = rng.random_range(0..SHARED_NAMES);
                (format!("Shared Customer {n}"), format!("shared{n}"))
            } else {
                (
                    format!("{} Customer {k}", op.login),
                    format!("{}-{k}", op.login),
                )
            };
            let free = ids(
                store,
                "SELECT id FROM cameras WHERE customer_id IS NULL ORDER BY random() LIMIT 3",
                None,
            );
            let take = rng.random_range(0..=free.len());
            let mac_base = (index + 1) * 10_000_000 + k * 10;
            let (new, hashes) = customer(
                &name,
                &tag,
                free[..take].to_vec(),
                rng.random_range(0..3),
                mac_base,
                rng.random_range(1..4),
            );
            let r = store.create_customer(&new, &hashes, op);
            let id = r.as_ref().ok().map(|c| c.id);
            (entry("create", "customer.create", id), r.map(|_| 1))
        }
        22..=41 => match random_customer(store) {
            None => (entry("edit", "customer.update", None), Ok(0)),
            Some((id, version, _)) => {
                let mut e = entry("edit", "customer.update", Some(id));
                let r = match store.customer(id) {
                    Ok(Some(c)) => {
                        let mut profile = c.profile.clone();
                        profile.contact.address.city = format!("City {}", rng.random_range(0..50));
                        profile.contact.notes = format!("edited by {} at {k}", op.login);
                        if rng.random_bool(0.1) {
                            let n = rng.random_range(0..SHARED_NAMES);
                            profile.contact.company = format!("Shared Customer {n}");
                        }
                        // The version read before the customer itself: a change in between
                        // must be refused, exactly like a screen opened a while ago.
                        store.update_profile(id, version, &profile, op).map(|_| 1)
                    }
                    Ok(None) => {
                        e.outcome = "gone".into();
                        Ok(0)
                    }
                    Err(err) => Err(err),
                };
                (e, r)
            }
        },
        42..=56 => match random_customer(store) {
            None => (entry("link", "camera.link", None), Ok(0)),
            Some((id, _, _)) => {
                let free = ids(
                    store,
                    "SELECT id FROM cameras WHERE customer_id IS NULL ORDER BY random() LIMIT 3",
                    None,
                );
                let take = rng.random_range(1..=3).min(free.len());
                let r = if take == 0 {
                    Ok(0)
                } else {
                    store.link_cameras(id, &free[..take], op)
                };
                (entry("link", "camera.link", Some(id)), r)
            }
        },
        57..=66 => match random_customer(store) {
            None => (entry("unlink", "camera.unlink", None), Ok(0)),
            Some((id, _, _)) => {
                let linked = ids(
                    store,
                    "SELECT id FROM cameras WHERE customer_id = ?1",
                    Some(id),
                );
                let take = rng.random_range(0..=linked.len().min(3));
                let r = store.unlink_cameras(id, &linked[..take], op);
                (entry("unlink", "camera.unlink", Some(id)), r)
            }
        },
        67..=81 => match random_customer(store) {
            None => (entry("status", "customer.disable", None), Ok(0)),
            Some((id, version, status)) => {
                if status == Status::Active {
                    let r = store.disable_customer(id, version, op).map(|_| 1);
                    (entry("disable", "customer.disable", Some(id)), r)
                } else {
                    let r = store.enable_customer(id, version, op).map(|_| 1);
                    (entry("enable", "customer.enable", Some(id)), r)
                }
            }
        },
        82..=91 => match random_customer(store) {
            None => (entry("delete", "customer.delete", None), Ok(0)),
            Some((id, version, _)) => {
                let r = store.delete_customer(id, version, op).map(|_| 1);
                (entry("delete", "customer.delete", Some(id)), r)
            }
        },
        _ => {
            let archives = ids(
                store,
                "SELECT id FROM archive WHERE restored_at IS NULL ORDER BY random() LIMIT 1",
                None,
            );
            match archives.choose(rng) {
                None => (entry("restore", "customer.restore", None), Ok(0)),
                Some(&archive) => {
                    let r = store.restore_customer(archive, op);
                    let id = r.as_ref().ok().map(|r| r.id);
                    (entry("restore", "customer.restore", id), r.map(|_| 1))
                }
            }
        }
    };
    match result {
        Ok(0) => {
            if e.outcome != "gone" {
                e.outcome = "noop".into();
            }
        }
        Ok(_) => e.outcome = "done".into(),
        Err(err) => {
            e.message = err.to_string();
            e.outcome = match err {
                StoreError::Conflict(_) => "conflict",
                StoreError::Refused(_) => "refused",
                StoreError::Busy | StoreError::Locked(..) => "busy",
                _ => "error",
            }
            .into();
        }
    }
    e
}

#[test]
fn many_writers_lose_nothing_and_never_see_a_locked_store() {
    let long = reliability::long_run();
    let ops: usize = std::env::var("ADMIN_PORTAL_WRITER_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if long { 5000 } else { 300 });
    let seed: u64 = std::env::var("ADMIN_PORTAL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("many writers: seed {seed} (ADMIN_PORTAL_SEED={seed} repeats it)");

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    {
        let mut store = Store::open(&db, OpenMode::Create).unwrap();
        seed_inventory(&store, 1, 400);
        let seeder = operator("seed");
        for n in 0..20 {
            let (new, hashes) = customer(
                &format!("Seed Customer {n}"),
                &format!("seed{n}"),
                vec![],
                1,
                5_000_000 + n * 10,
                2,
            );
            store.create_customer(&new, &hashes, &seeder).unwrap();
        }
    }

    let started = Instant::now();
    let children: Vec<_> = (0..WORKERS)
        .map(|i| {
            let login = format!("w{i}");
            let log = dir.path().join(format!("{login}.log"));
            let child = worker("worker_entry")
                .env("ADMIN_PORTAL_WORKER", &login)
                .env("ADMIN_PORTAL_WORKER_DB", &db)
                .env("ADMIN_PORTAL_WORKER_LOG", &log)
                .env("ADMIN_PORTAL_WORKER_OPS", ops.to_string())
                .env("ADMIN_PORTAL_WORKER_INDEX", i.to_string())
                .env("ADMIN_PORTAL_WORKER_SEED", seed.to_string())
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("start a worker");
            (login, log, child)
        })
        .collect();
    let mut logs = Vec::new();
    for (login, log, mut child) in children {
        let status = child.wait().unwrap();
        assert!(status.success(), "worker {login} failed: {status}");
        logs.push((login, log));
    }
    let elapsed = started.elapsed();

    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let problems = whole_store_problems(&store);
    assert!(problems.is_empty(), "the store is not whole: {problems:#?}");

    // outcome -> count, over all workers; and (login, action) -> done count.
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_op: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut done: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut done_on: BTreeMap<(String, String, Id), usize> = BTreeMap::new();
    let mut bad = Vec::new();
    for (login, log) in &logs {
        let text = std::fs::read_to_string(log).unwrap();
        let entries: Vec<Entry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(entries.len(), ops, "{login} logged every operation");
        for e in entries {
            *outcomes.entry(e.outcome.clone()).or_default() += 1;
            *per_op.entry((e.op.clone(), e.outcome.clone())).or_default() += 1;
            match e.outcome.as_str() {
                "done" => {
                    *done.entry((login.clone(), e.action.clone())).or_default() += 1;
                    let id = e.customer.expect("a done operation names its customer");
                    *done_on
                        .entry((login.clone(), e.action.clone(), id))
                        .or_default() += 1;
                }
                "conflict" | "refused" | "noop" | "gone" => {}
                _ => bad.push(format!("{login}: {e:?}")),
            }
            if e.message.contains("locked") {
                bad.push(format!("{login} saw a locked store: {e:?}"));
            }
        }
    }
    assert!(bad.is_empty(), "busy or failed operations: {bad:#?}");

    // Every done operation is in the audit log under the worker's login, and nothing else is.
    let conn = store.raw_conn();
    let mut stmt = conn
        .prepare(
            "SELECT operator, action, count(*) FROM audit WHERE operator LIKE 'w%'
             GROUP BY operator, action",
        )
        .unwrap();
    let audited: BTreeMap<(String, String), usize> = stmt
        .query_map([], |r| {
            Ok(((r.get(0)?, r.get(1)?), r.get::<_, i64>(2)? as usize))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(audited, done, "audit entries per worker and action");
    for ((login, action, id), n) in &done_on {
        let found = count(
            &store,
            &format!(
                "SELECT count(*) FROM audit WHERE operator = '{login}' AND action = '{action}'
                 AND customer_id = {id}"
            ),
        );
        assert_eq!(found as usize, *n, "{login} {action} on customer #{id}");
    }
    // Each done delete left its archive entry, written by that worker.
    for ((login, action, id), n) in &done_on {
        if action == "customer.delete" {
            let archived = count(
                &store,
                &format!(
                    "SELECT count(*) FROM archive WHERE customer_id = {id} AND operator = '{login}'"
                ),
            );
            assert_eq!(archived as usize, *n, "archive of #{id} deleted by {login}");
        }
    }
    let linked_twice = count(
        &store,
        "SELECT count(*) FROM (SELECT mac FROM cameras GROUP BY mac HAVING count(*) > 1)",
    );
    assert_eq!(linked_twice, 0, "a camera registered twice");

    let total: usize = outcomes.values().sum();
    eprintln!(
        "many writers: {WORKERS} processes × {ops} operations = {total} in {:.1} s; outcomes {outcomes:?}",
        elapsed.as_secs_f64()
    );
    eprintln!("many writers: per operation {per_op:?}");
    eprintln!(
        "many writers: store holds {} customers, {} linked cameras, {} archived, {} audit entries",
        count(&store, "SELECT count(*) FROM customers"),
        count(
            &store,
            "SELECT count(*) FROM cameras WHERE customer_id IS NOT NULL"
        ),
        count(&store, "SELECT count(*) FROM archive"),
        count(&store, "SELECT count(*) FROM audit"),
    );
    assert!(
        outcomes.get("done").copied().unwrap_or(0) > total / 3,
        "too few operations went through: {outcomes:?}"
    );
    assert!(
        outcomes.get("conflict").copied().unwrap_or(0) > 0,
        "no conflict at all: the workers did not overlap"
    );
}
