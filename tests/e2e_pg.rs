//! End to end on PostgreSQL (issue 10): two real portals in two pseudo-terminals, each on its
//! own connection to one PostgreSQL store, drive the flows of `tests/e2e.rs` and
//! `tests/e2e_portal.rs` (add through the wizard, disable/enable, delete with the typed word,
//! restore from the Audit Log) and each sees the other's commits live.
//!
//! The store starts as a demo SQLite store copied with `db migrate-to`; the checks at the end
//! read the PostgreSQL store through the library.

mod support;

use std::path::Path;
use std::time::Duration;

use admin_portal::store::pg::Location;
use admin_portal::store::{OpenMode, Store, StoreOptions};
use support::app::{cli_in, demo_store, isolated_env, open};
use support::db::RawConn;
use support::flows::{self, COMPANY, GUARD_EMAIL, NEW_CAMERA};
use support::pg::PASSWORD;
use support::pty::{Key, Pty, assert_terminal_restored, expect, expect_within, type_field};

/// Argon2id in a debug build on a busy 2-core machine is slow: the commit gets this long.
const HASHING: Duration = Duration::from_secs(60);
/// Another box's commit shows within a second (the poll); this leaves room for a loaded machine.
const LIVE: Duration = Duration::from_millis(2500);

fn sub_integrator(db: &Path) -> (i64, String) {
    open(db)
        .raw_conn()
        .query_row(
            "SELECT id, name FROM customers WHERE kind = 'integrator' ORDER BY name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the demo store has a sub-integrator")
}

/// `db migrate-to` of the SQLite store into the empty database at `url`.
fn migrate(dir: &Path, db: &Path, url: &str) {
    let out: std::process::Output = cli_in(dir)
        .arg("--db")
        .arg(db)
        .args(["db", "migrate-to", url])
        .env("PGPASSWORD", PASSWORD)
        .output()
        .expect("run migrate-to");
    assert!(
        out.status.success(),
        "migrate-to: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The portal on `url`, its password in `PGPASSWORD`.
fn portal(dir: &Path, url: &str) -> Pty {
    let mut env = isolated_env(dir);
    env.push(("PGPASSWORD".into(), PASSWORD.into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Pty::spawn(&["--db", url], &env, 100, 30)
}

fn open_customer(pty: &Pty, name: &str) {
    pty.send("/");
    expect(pty, "filter: /");
    pty.send(name);
    expect(pty, name);
    pty.send_key(Key::Enter);
    expect(pty, " 1 of 1 ");
    pty.send_key(Key::Enter);
    expect(pty, &format!("{name}  [Active]"));
}

/// A's status question answered yes; B, showing the same customer, follows.
fn toggle_status(a: &Pty, b: &Pty, question: &str, shown: &str) {
    a.send("S");
    expect(a, question);
    a.send("y");
    let status = format!("{COMPANY}  [{shown}]");
    expect(a, &status);
    expect_within(b, &status, LIVE);
}

#[test]
fn two_portals_on_postgres_add_disable_enable_delete_and_restore_seeing_each_other_live() {
    let Some(server) = support::pg::shared_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path(), 12, 60, 3);
    let (parent_id, parent) = sub_integrator(&db);
    let url = server.database("e2e_two_portals");
    migrate(dir.path(), &db, &url);
    let mut a = portal(dir.path(), &url);
    let mut b = portal(dir.path(), &url);
    expect(&a, "1 of 12");
    expect(&b, "1 of 12");

    // A adds a customer through the wizard; B's list shows it.
    flows::wizard_to_review(&a, &parent);
    flows::next_step(&a, "No problems left");
    a.send_key(Key::Enter);
    expect_within(&a, "Temporary passwords, shown only this once", HASHING);
    a.send_key(Key::Enter);
    expect(&a, &format!("{COMPANY}  [Active]"));
    expect_within(&b, "1 of 13", LIVE);

    // B opens it; A disables and enables it; B's view follows each time.
    open_customer(&b, COMPANY);
    toggle_status(&a, &b, "Disable customer", "Disabled");
    toggle_status(&a, &b, "Enable customer", "Active");

    // A deletes it with the typed word; B is told and put back on its list.
    a.send("D");
    expect(&a, &format!("Delete {COMPANY}?"));
    type_field(&a, "Delete");
    a.send_key(Key::Enter);
    expect(&a, &format!("Deleted {COMPANY}"));
    expect_within(
        &b,
        &format!("{COMPANY} was deleted by another operator"),
        LIVE,
    );
    expect_within(&b, " 0 of 0 ", LIVE);

    // A restores it from the Audit Log; B's filtered list finds it again.
    a.send("4");
    expect(&a, "Audit");
    a.send("/");
    expect(&a, "Filter the audit log");
    type_field(&a, "customer.delete");
    a.send_key(Key::Enter);
    support::pty::expect_gone(&a, "Filter the audit log");
    a.send("R");
    expect(&a, &format!("Restore {COMPANY}?"));
    a.send("y");
    expect(&a, &format!("Restored {COMPANY}"));
    expect_within(&b, " 1 of 1 ", LIVE);

    for pty in [&mut a, &mut b] {
        pty.send("q");
        assert_eq!(pty.exit_code(None), Ok(0));
        assert_terminal_restored(pty);
    }

    // The store: the customer back whole under its parent, with its cameras and its user.
    let location = Location::parse(&url).unwrap().with_password(PASSWORD);
    let store = Store::open_postgres(location, StoreOptions::new(OpenMode::Existing)).unwrap();
    let id = store
        .find_customer(COMPANY)
        .unwrap()
        .expect("the restored customer");
    let customer = store.customer(id).unwrap().expect("loaded");
    assert_eq!(customer.profile.parent_id, Some(parent_id));
    let cameras = store.cameras_of(id).unwrap();
    assert_eq!(cameras.len(), 4, "{cameras:?}");
    assert!(cameras.iter().any(|c| c.spec.name == NEW_CAMERA));
    let users = store.users_of(id).unwrap();
    assert!(users.iter().any(|u| u.email == GUARD_EMAIL), "{users:?}");
}

/// The server goes away under a running portal: the status line says so within a poll, what
/// the operator types meanwhile stays, and the portal carries on by itself once it is back.
#[test]
fn a_portal_whose_server_goes_away_says_so_keeps_the_typing_and_carries_on() {
    let Some(server) = support::pg::own_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path(), 5, 10, 2);
    let url = server.database("e2e_outage");
    migrate(dir.path(), &db, &url);
    let mut a = portal(dir.path(), &url);
    expect(&a, "1 of 5");
    // The test server commits without waiting for the disk: make the copy durable first.
    server
        .superuser("postgres")
        .batch_execute("CHECKPOINT")
        .unwrap();
    server.kill();
    expect_within(&a, "lost the connection to the PostgreSQL server at", LIVE);
    a.send("/");
    expect(&a, "filter: /");
    a.send("zq");
    expect(&a, "filter: /zq");
    server.boot().unwrap();
    expect_within(
        &a,
        "reconnected to the PostgreSQL server",
        Duration::from_secs(5),
    );
    expect(&a, "filter: /zq");
    a.send_key(Key::Esc);
    expect_within(&a, "1 of 5", LIVE);
    a.send("q");
    assert_eq!(a.exit_code(None), Ok(0));
    assert_terminal_restored(&a);
}
