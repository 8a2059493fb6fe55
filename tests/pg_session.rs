//! The PostgreSQL session under the store seam: a server that goes away and comes back (every
//! call in between fails with the one-line "lost the connection" error and writes nothing; the
//! first call after the server is back reconnects by itself, with the change counter moved so
//! screens reload), and a read given up part-way when its caller asks (a newer key).

mod support;

use admin_portal::domain::{Operator, RecordingMode};
use admin_portal::store::inventory::PlanSpec;
use admin_portal::store::pg::Location;
use admin_portal::store::{OpenMode, Store, StoreError, StoreOptions};
use std::time::{Duration, Instant};

fn op() -> Operator {
    Operator {
        login: "ada".into(),
        client: None,
    }
}

fn spec(name: &str) -> PlanSpec {
    PlanSpec {
        name: name.into(),
        retention_days: 30,
        mode: RecordingMode::Event,
        price_cents: 100,
        currency: "EUR".into(),
    }
}

#[test]
fn a_lost_server_fails_each_call_in_one_line_and_the_store_reconnects_when_it_is_back() {
    let Some(server) = support::pg::own_or_skip() else {
        return;
    };
    let url = server.database("reconnect");
    let location = Location::parse(&url)
        .unwrap()
        .with_password(support::pg::PASSWORD);
    let mut store = Store::open_postgres(location, StoreOptions::new(OpenMode::Create)).unwrap();
    store.add_plan(&spec("Before"), &op()).unwrap();
    let version = store.data_version().unwrap();

    // The test server runs with `synchronous_commit=off` (speed): make what was committed
    // durable before the immediate stop, as a production server's commit is.
    server
        .superuser("postgres")
        .batch_execute("CHECKPOINT")
        .unwrap();
    server.kill();
    let err = store.plans().unwrap_err();
    assert!(matches!(err, StoreError::Disconnected(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "lost the connection to the PostgreSQL server at 127.0.0.1:{}",
            server.port()
        )) && !text.contains('\n'),
        "{text}"
    );
    let err = store.add_plan(&spec("While down"), &op()).unwrap_err();
    assert!(matches!(err, StoreError::Disconnected(_)), "{err:?}");
    assert!(store.data_version().is_err(), "the poll says so too");

    server.boot().unwrap();
    let names: Vec<String> = store.plans().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        ["Before"],
        "reconnected; the write while down left nothing"
    );
    assert!(
        store.data_version().unwrap() > version,
        "screens reload after a reconnect"
    );
    store.add_plan(&spec("After"), &op()).unwrap();
    assert_eq!(store.plans().unwrap().len(), 2);
}

#[test]
fn a_read_the_caller_gives_up_is_cancelled_at_the_server_and_the_next_read_runs() {
    let Some(server) = support::pg::shared_or_skip() else {
        return;
    };
    let url = server.database("cancel");
    let location = Location::parse(&url)
        .unwrap()
        .with_password(support::pg::PASSWORD);
    let mut store = Store::open_postgres(location, StoreOptions::new(OpenMode::Create)).unwrap();
    store.add_plan(&spec("Only"), &op()).unwrap();

    // Another session holds the table, so the read waits (up to the 5 s busy timeout) until
    // the caller gives up after 100 ms.
    let mut holder = server
        .client(support::pg::ROLE, support::pg::PASSWORD, "cancel")
        .unwrap();
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE plans IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let started = Instant::now();
    let out = store.within(Duration::from_millis(100), |s| s.plans());
    let took = started.elapsed();
    assert!(matches!(out, Err(StoreError::Cancelled)), "{out:?}");
    assert!(
        took < Duration::from_secs(3),
        "stopped by the cancel, not the lock timeout: {took:?}"
    );
    tx.rollback().unwrap();

    // Nothing of the cancel is left over for the next statements.
    for _ in 0..3 {
        assert_eq!(store.plans().unwrap().len(), 1);
    }
    let fast = store.within(Duration::from_secs(5), |s| s.plans()).unwrap();
    assert_eq!(fast.len(), 1);
}
