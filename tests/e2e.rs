//! End to end: the real binary in a pseudo-terminal over a store filled by `demo`, driven key by
//! key as an operator would, then the store file checked with the library.
//!
//! - issue 2: open a customer, `D`, a wrong word is refused, `Delete` deletes; the terminal is
//!   restored on quit and the store holds the archive and the audit entry.
//! - issue 3: a full run of the add-customer wizard (sub-integrator parent, a billing address of
//!   its own, three cameras picked and one registered on the spot, a Guard role on two cameras
//!   with Share and PTZ, two users), then the Account Profile and the store.
//! - issue 3: a wizard killed by SIGHUP at step 5 is offered again on the next start and resumes
//!   with every field intact.

mod support;

use std::path::Path;
use std::time::Duration;

use admin_portal::store::Store;
use support::app::{demo_store, open, spawn_app};
use support::db::RawConn;
use support::flows::{
    self, BILLING_CITY, BILLING_POSTAL, BILLING_STREET, COMPANY, GUARD_EMAIL, NEW_CAMERA, NEW_MAC,
    fill_billing, fill_type_and_contact, next_step,
};
use support::pty::Key;
use support::pty::{assert_terminal_restored, expect_gone, expect_within};
use support::pty::{expect, type_field};

/// Argon2id in a debug build on a busy 2-core machine is slow: the commit gets this long.
const HASHING: Duration = Duration::from_secs(60);

fn count(store: &Store, sql: &str, id: i64) -> i64 {
    store
        .raw_conn()
        .query_row(sql, [id], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

// --- issue 2: Delete ---------------------------------------------------------------------------

#[test]
fn delete_a_customer_from_its_account_profile() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path(), 30, 200, 3);
    // The first customer in the list that can be deleted (a sub-integrator with customers
    // cannot), with cameras to return to the inventory.
    let (position, id, name, cameras) = {
        let store = open(&db);
        let conn = store.raw_conn();
        let mut stmt = conn
            .prepare(
                "SELECT c.id, c.name,
                        (SELECT count(*) FROM customers k WHERE k.parent_id = c.id),
                        (SELECT count(*) FROM cameras m WHERE m.customer_id = c.id)
                 FROM customers c ORDER BY c.name COLLATE NOCASE",
            )
            .unwrap();
        let rows: Vec<(i64, String, i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let position = rows
            .iter()
            .position(|(_, _, children, cams)| *children == 0 && *cams > 0)
            .expect("a demo customer without customers of its own");
        let (id, name, _, cameras) = rows[position].clone();
        (position, id, name, cameras)
    };

    let mut pty = spawn_app(dir.path(), &db, 100, 30);
    expect(&pty, "1 of 30");
    for _ in 0..position {
        pty.send_key(Key::Down);
    }
    expect(&pty, &format!("{} of 30", position + 1));
    pty.send_key(Key::Enter);
    expect(&pty, "Customer Status");
    assert!(pty.screen().contains("Account Profile"), "{}", pty.screen());
    assert!(pty.screen().contains(&name), "{}", pty.screen());

    pty.send("D");
    expect(&pty, "Delete customer");
    expect(&pty, &format!("Delete {name}?"));
    expect(&pty, &format!("{cameras} camera"));

    // The wrong word: Enter only reminds.
    type_field(&pty, "delete");
    pty.send_key(Key::Enter);
    expect(&pty, "Type Delete exactly (capital D) to confirm");
    assert!(pty.screen().contains("Delete customer"));
    assert_eq!(
        count(
            &open(&db),
            "SELECT count(*) FROM customers WHERE id = ?1",
            id
        ),
        1,
        "nothing deleted on the wrong word"
    );

    pty.send_key(Key::Ctrl('u'));
    expect_gone(&pty, "delete ");
    type_field(&pty, "Delete");
    pty.send_key(Key::Enter);
    expect(&pty, &format!("Deleted {name}"));
    expect(&pty, "1 of 29");
    let screen = pty.screen();
    assert!(!screen.contains("Delete customer"), "{screen}");
    let list: String = screen.lines().take(28).collect::<Vec<_>>().join("\n");
    assert!(
        !list
            .lines()
            .any(|l| l.trim_start_matches("> ").trim_start().starts_with(&name)),
        "{name} still listed:\n{screen}"
    );

    pty.send("q");
    assert_eq!(pty.exit_code(None), Ok(0));
    assert_terminal_restored(&pty);

    let store = open(&db);
    assert_eq!(
        count(&store, "SELECT count(*) FROM customers WHERE id = ?1", id),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM cameras WHERE customer_id = ?1",
            id
        ),
        0,
        "its cameras are unlinked"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM roles WHERE customer_id = ?1",
            id
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM users WHERE customer_id = ?1",
            id
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM archive WHERE customer_id = ?1",
            id
        ),
        1,
        "archived"
    );
    let archived: String = store
        .raw_conn()
        .query_row(
            "SELECT data FROM archive WHERE customer_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let archived: serde_json::Value = serde_json::from_str(&archived).unwrap();
    let archived_text = archived.to_string();
    assert!(archived_text.contains(&name), "{archived_text}");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM audit WHERE customer_id = ?1 AND action = 'customer.delete'",
            id
        ),
        1
    );
    let unlinked: i64 = store
        .raw_conn()
        .query_row(
            "SELECT count(*) FROM cameras WHERE customer_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(unlinked >= cameras, "{unlinked} unlinked cameras");
}

// --- issue 3: the wizard -----------------------------------------------------------------------

/// A sub-integrator of the demo store: (id, name).
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

#[test]
fn wizard_full_run_creates_the_customer() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path(), 30, 200, 3);
    let (parent_id, parent) = sub_integrator(&db);
    let mut pty = spawn_app(dir.path(), &db, 100, 30);
    expect(&pty, "1 of 30");

    flows::wizard_to_review(&pty, &parent);

    // Step 8: the review, then Create customer.
    flows::next_step(&pty, "No problems left");
    assert!(pty.screen().contains(COMPANY), "{}", pty.screen());
    pty.send_key(Key::Enter);
    expect_within(&pty, "Temporary passwords, shown only this once", HASHING);
    let done = pty.screen();
    assert!(done.contains("Claire Moreau"), "{done}");
    assert!(done.contains("Marc Petit"), "{done}");
    assert!(done.contains(GUARD_EMAIL), "{done}");

    // Enter opens the new customer's Account Profile.
    pty.send_key(Key::Enter);
    expect(&pty, &format!("{COMPANY}  [Active]"));
    expect(&pty, "Account Profile");
    let profile = pty.screen();
    // A long parent name is cut with an ellipsis in the profile's left column.
    let parent_start: String = parent.chars().take(25).collect();
    for text in [
        COMPANY,
        parent_start.as_str(),
        BILLING_STREET,
        BILLING_CITY,
        BILLING_POSTAL,
    ] {
        assert!(profile.contains(text), "{text} not shown:\n{profile}");
    }

    pty.send_key(Key::Esc);
    expect(&pty, "1 of 31");
    pty.send("q");
    assert_eq!(pty.exit_code(None), Ok(0));
    assert_terminal_restored(&pty);

    check_created(&db, parent_id);
}

/// What the full run must have written.
fn check_created(db: &Path, parent_id: i64) {
    let store = open(db);
    let (id, kind, parent): (i64, String, Option<i64>) = store
        .raw_conn()
        .query_row(
            "SELECT id, kind, parent_id FROM customers WHERE name = ?1",
            [COMPANY],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the customer is in the store");
    assert_eq!(kind, "customer");
    assert_eq!(parent, Some(parent_id));
    let customer = store.customer(id).unwrap().unwrap();
    assert_eq!(customer.profile.contact.address.country, "FR");
    assert_eq!(customer.profile.contact.time_zone, "Europe/Paris");
    let billing = &customer.profile.billing;
    assert!(!billing.same_as_company);
    assert_eq!(billing.address.line1, BILLING_STREET);
    assert_eq!(billing.address.city, BILLING_CITY);
    assert_eq!(billing.address.postal_code, BILLING_POSTAL);

    let cameras = store.cameras_of(id).unwrap();
    assert_eq!(cameras.len(), 4, "{cameras:?}");
    assert!(
        cameras
            .iter()
            .any(|c| c.spec.name == NEW_CAMERA && c.spec.mac == NEW_MAC.to_uppercase()),
        "{cameras:?}"
    );

    let roles: Vec<(i64, String, i64, i64, i64)> = store
        .raw_conn()
        .prepare(
            "SELECT id, name, all_cameras, perm_share, perm_ptz FROM roles
             WHERE customer_id = ?1 ORDER BY id",
        )
        .unwrap()
        .query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let names: Vec<&str> = roles.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(names, ["Owner", "Admin", "Guard"]);
    let guard = &roles[2];
    assert_eq!((guard.2, guard.3, guard.4), (0, 1, 1), "{guard:?}");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM role_cameras WHERE role_id = ?1",
            guard.0
        ),
        2
    );

    let hashes: Vec<(String, String)> = store
        .raw_conn()
        .prepare("SELECT email, password_hash FROM users WHERE customer_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(hashes.len(), 2, "{hashes:?}");
    assert!(hashes.iter().all(|(_, h)| h.starts_with("$argon2id$")));
    assert_eq!(hashes[1].0, GUARD_EMAIL);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id
             WHERE u.customer_id = ?1 AND ur.role_id = (SELECT max(id) FROM roles WHERE customer_id = ?1)",
            id
        ),
        1,
        "the second user holds Guard"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM audit WHERE customer_id = ?1 AND action = 'customer.create'",
            id
        ),
        1
    );
    assert!(store.draft_exists_for_nobody());
}

trait NoDrafts {
    fn draft_exists_for_nobody(&self) -> bool;
}

impl NoDrafts for Store {
    fn draft_exists_for_nobody(&self) -> bool {
        self.raw_conn()
            .query_row("SELECT count(*) FROM drafts", [], |r| r.get::<_, i64>(0))
            .unwrap()
            == 0
    }
}

#[test]
fn wizard_killed_by_sighup_resumes_at_step_5_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path(), 30, 200, 3);
    let (_, parent) = sub_integrator(&db);
    let mut pty = spawn_app(dir.path(), &db, 100, 30);
    expect(&pty, "1 of 30");
    fill_type_and_contact(&pty, &parent);
    fill_billing(&pty);

    // The SSH session drops.
    pty.signal(libc::SIGHUP);
    assert_eq!(
        pty.exit_code(Duration::from_secs(10)),
        Ok(128 + libc::SIGHUP as u32)
    );
    assert_terminal_restored(&pty);
    drop(pty);

    let pty = spawn_app(dir.path(), &db, 100, 30);
    expect(&pty, &format!("draft {COMPANY}, step 5 Billing"));
    pty.send_key(Key::Enter);
    expect(&pty, "step 5 of 8");
    // Wait for each text: a frame read at once may still be half drawn on a loaded machine.
    for text in [
        BILLING_STREET,
        BILLING_CITY,
        BILLING_POSTAL,
        "[ ] Billing address same as company address",
    ] {
        expect(&pty, text);
    }

    pty.send_key(Key::Ctrl('p'));
    expect(&pty, "step 4 of 8");
    pty.send_key(Key::Ctrl('p'));
    expect(&pty, "step 3 of 8");
    pty.send_key(Key::Ctrl('p'));
    expect(&pty, "step 2 of 8");
    for text in [
        COMPANY,
        "Claire",
        "Moreau",
        "claire.moreau@quai-bakery.fr",
        "+33 1 42 68 53 00",
        "12 Rue de Rivoli",
        "75004",
        "France",
    ] {
        expect(&pty, text);
    }
    pty.send_key(Key::Ctrl('p'));
    expect(&pty, "step 1 of 8");
    assert!(pty.screen().contains(&parent), "{}", pty.screen());
    for step in ["step 2 of 8", "step 3 of 8", "step 4 of 8", "step 5 of 8"] {
        next_step(&pty, step);
    }
    let again = pty.screen();
    assert!(again.contains(BILLING_STREET), "{again}");
}
