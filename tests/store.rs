//! The store on real SQLite files in a temporary folder, several connections at once.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use admin_portal::domain::{
    Address, Billing, CameraSpec, Contact, CustomerProfile, CustomerType, Id, NewCustomer, NewUser,
    Operator, PaymentTerms, Permissions, Role, RoleType, Status,
};
use admin_portal::store::customers::Archive;
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::migrations::LATEST;
use admin_portal::store::{
    BUSY_TIMEOUT, CustomerQuery, OpenMode, SortKey, Store, StoreError, StoreOptions,
};
use support::db::RawConn;
use tempfile::TempDir;

// ---- builders -----------------------------------------------------------------------------------

/// A dummy PHC string: the store keeps hashes, it never checks them.
const HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0123456789abcdefghijklmnopqrstuvwxyzABCDE";

fn temp() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portal.db");
    (dir, path)
}

fn create(path: &Path) -> Store {
    Store::open(path, OpenMode::Create).unwrap()
}

fn op(login: &str) -> Operator {
    Operator {
        login: login.into(),
        client: Some("10.0.0.7".into()),
    }
}

fn profile(company: &str) -> CustomerProfile {
    CustomerProfile {
        kind: CustomerType::Customer,
        parent_id: None,
        contact: Contact {
            company: company.into(),
            first_name: "Ada".into(),
            last_name: "Moore".into(),
            email: "ada@example.com".into(),
            phone: "+1 (415) 555-0100".into(),
            address: Address {
                line1: "1 Market Street".into(),
                line2: String::new(),
                city: "San Francisco".into(),
                state: "CA".into(),
                postal_code: "94105".into(),
                country: "US".into(),
            },
            time_zone: "America/Los_Angeles".into(),
            reference: String::new(),
            notes: String::new(),
        },
        ..CustomerProfile::default()
    }
}

/// A customer with Owner and Admin, a user per e-mail (the first holds Owner, the others Admin).
fn customer(company: &str, emails: &[&str]) -> NewCustomer {
    NewCustomer {
        profile: profile(company),
        camera_ids: vec![],
        new_cameras: vec![],
        roles: vec![Role::owner(), Role::admin()],
        users: emails
            .iter()
            .enumerate()
            .map(|(i, email)| NewUser {
                first_name: format!("User{i}"),
                last_name: "Test".into(),
                email: (*email).into(),
                roles: vec![usize::from(i > 0)],
            })
            .collect(),
    }
}

fn hashes(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{HASH}{i}")).collect()
}

fn add(store: &mut Store, new: &NewCustomer) -> Id {
    store
        .create_customer(new, &hashes(new.users.len()), &op("alice"))
        .unwrap()
        .id
}

/// Registers unlinked cameras named "Cam 1".. and returns their ids.
fn inventory(store: &mut Store, n: usize) -> Vec<Id> {
    store
        .write(|tx| {
            let mut ids = Vec::new();
            for i in 1..=n {
                tx.execute(
                    "INSERT INTO cameras (name, mac, serial, created_at, updated_at)
                     VALUES (?1, ?2, ?3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                    (
                        format!("Cam {i}"),
                        format!("00:40:8C:00:{:02X}:{:02X}", i / 256, i % 256),
                        format!("SER{i:06}"),
                    ),
                )?;
                ids.push(tx.last_insert_rowid());
            }
            Ok(ids)
        })
        .unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.raw_conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Rows of every table that a customer write touches.
fn totals(store: &Store) -> Vec<i64> {
    [
        "SELECT count(*) FROM customers",
        "SELECT count(*) FROM billing",
        "SELECT count(*) FROM users",
        "SELECT count(*) FROM user_roles",
        "SELECT count(*) FROM roles",
        "SELECT count(*) FROM role_cameras",
        "SELECT count(*) FROM cameras",
        "SELECT count(*) FROM cameras WHERE customer_id IS NOT NULL",
        "SELECT count(*) FROM audit",
        "SELECT count(*) FROM archive",
    ]
    .iter()
    .map(|sql| count(store, sql))
    .collect()
}

fn small_demo(store: &mut Store) {
    let spec = DemoSpec {
        customers: 300,
        cameras: 3_000,
        seed: 11,
    };
    store.fill_demo(&spec, &mut |_| {}).unwrap();
}

// ---- opening ------------------------------------------------------------------------------------

#[test]
fn migrates_an_empty_file_to_the_latest_schema() {
    let (_dir, path) = temp();
    let store = create(&path);
    assert!(store.was_created());
    assert_eq!(store.schema_version().unwrap(), LATEST);
    let tables: Vec<String> = store
        .raw_conn()
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in [
        "archive",
        "audit",
        "billing",
        "cameras",
        "customers",
        "drafts",
        "plans",
        "role_cameras",
        "roles",
        "user_roles",
        "users",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "no table {table} in {tables:?}"
        );
    }
    let mode: String = store
        .raw_conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
    let perms = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(perms & 0o777, 0o600, "mode {perms:o}");
    drop(store);

    let again = Store::open(&path, OpenMode::Existing).unwrap();
    assert!(!again.was_created());
    assert_eq!(again.schema_version().unwrap(), LATEST);
}

#[test]
fn an_explicit_missing_path_is_an_error_not_a_new_store() {
    let (_dir, path) = temp();
    let err = Store::open(&path, OpenMode::Existing).unwrap_err();
    assert!(
        matches!(&err, StoreError::Missing(p) if p == &path),
        "{err}"
    );
    assert!(!path.exists());
    let err = Store::open(&path, OpenMode::ReadOnly).unwrap_err();
    assert!(matches!(err, StoreError::Missing(_)), "{err}");
}

#[test]
fn a_file_of_random_bytes_is_refused_untouched() {
    let (_dir, path) = temp();
    let mut x = 0x1234_5678_9ABC_DEF0u64;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    std::fs::write(&path, &bytes).unwrap();
    for mode in [OpenMode::Existing, OpenMode::Create, OpenMode::ReadOnly] {
        let err = Store::open(&path, mode).unwrap_err();
        assert!(
            matches!(err, StoreError::NotADatabase(_)),
            "{mode:?}: {err}"
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_truncated_store_is_refused() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    small_demo(&mut store);
    store
        .raw_conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(store);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(!wal.exists(), "the last connection should remove the log");
    let len = std::fs::metadata(&path).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(len / 2).unwrap();
    drop(file);
    let before = std::fs::read(&path).unwrap();

    let err = Store::open(&path, OpenMode::Existing).unwrap_err();
    match err {
        StoreError::Truncated {
            actual, expected, ..
        } => {
            assert_eq!(actual, len / 2);
            assert_eq!(expected, len);
        }
        other => panic!("expected Truncated, got {other}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_schema_newer_than_the_program_is_refused_untouched() {
    let (_dir, path) = temp();
    drop(create(&path));
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.pragma_update(None, "user_version", LATEST + 1).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for mode in [OpenMode::Existing, OpenMode::ReadOnly] {
        let err = Store::open(&path, mode).unwrap_err();
        assert!(
            matches!(err, StoreError::TooNew { found, known, .. } if found == LATEST + 1 && known == LATEST),
            "{mode:?}: {err}"
        );
        assert!(err.to_string().contains("upgrade the program"), "{err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_write_waits_for_another_writer_then_reports_busy() {
    let (_dir, path) = temp();
    drop(create(&path));
    // A short busy timeout of its own, so the test does not wait out the default 5 s.
    let timeout = Duration::from_millis(400);
    let mut store = Store::open_with(
        &path,
        StoreOptions::new(OpenMode::Existing).busy_timeout(timeout),
    )
    .unwrap();
    let (locked_tx, locked_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let holder_path = path.clone();
    let holder = std::thread::spawn(move || {
        let raw = rusqlite::Connection::open(&holder_path).unwrap();
        raw.execute_batch("BEGIN EXCLUSIVE").unwrap();
        locked_tx.send(()).unwrap();
        // Hold the lock only while the other write waits.
        done_rx.recv().unwrap();
        raw.execute_batch("ROLLBACK").unwrap();
    });
    locked_rx.recv().unwrap();
    let started = Instant::now();
    let res = store.save_draft("alice", 1, "{}");
    let waited = started.elapsed();
    done_tx.send(()).unwrap();
    holder.join().unwrap();
    assert!(matches!(res, Err(StoreError::Busy)), "{res:?}");
    assert!(
        waited >= timeout - Duration::from_millis(100) && waited < BUSY_TIMEOUT,
        "waited {waited:?} with a busy timeout of {timeout:?}"
    );
    // A second connection opened from this one keeps its busy timeout.
    assert_eq!(store.reopen().unwrap().busy_timeout(), timeout);
    // Once the lock is gone the same write goes through.
    store.save_draft("alice", 1, "{}").unwrap();
}

#[test]
fn a_read_only_store_refuses_every_write() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    add(&mut store, &customer("Acme", &["owner@acme.example"]));
    drop(store);

    let mut ro = Store::open(&path, OpenMode::ReadOnly).unwrap();
    assert!(ro.is_read_only());
    assert_eq!(ro.customer_count(&CustomerQuery::default()).unwrap(), 1);
    let err = ro.save_draft("alice", 1, "{}").unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    let err = ro
        .create_customer(&customer("Other", &[]), &[], &op("alice"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    let err = ro.fill_demo(&DemoSpec::default(), &mut |_| {}).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    drop(ro);
    let store = Store::open(&path, OpenMode::Existing).unwrap();
    assert_eq!(store.customer_count(&CustomerQuery::default()).unwrap(), 1);
}

#[test]
fn a_file_without_write_permission_is_not_written() {
    let (_dir, path) = temp();
    drop(create(&path));
    // Mode bits, or chattr +i for root (as in CI), whom mode bits do not stop.
    let Some(_guard) = support::readonly::read_only(&path, false) else {
        support::skip::skipped(support::readonly::CANNOT);
        return;
    };
    match Store::open(&path, OpenMode::Existing) {
        Err(StoreError::ReadOnly(_)) => {}
        Ok(mut store) => {
            let err = store.save_draft("alice", 1, "{}").unwrap_err();
            assert!(
                matches!(err, StoreError::Refused(_) | StoreError::ReadOnly(_)),
                "{err}"
            );
        }
        Err(other) => panic!("expected ReadOnly, got {other}"),
    }
}

// ---- customers ----------------------------------------------------------------------------------

#[test]
fn create_customer_writes_everything_in_one_transaction() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    let cams = inventory(&mut store, 3);
    let mut new = customer(
        "Harbor View Logistics",
        &[
            "owner@harbor.example",
            "ops@harbor.example",
            "guard@harbor.example",
        ],
    );
    new.profile.billing = Billing {
        same_as_company: false,
        contact: "Accounts Payable".into(),
        email: "ap@harbor.example".into(),
        terms: PaymentTerms::Net45,
        address: Address {
            line1: "PO Box 12".into(),
            city: "Oakland".into(),
            country: "US".into(),
            ..Address::default()
        },
        ..Billing::default()
    };
    new.camera_ids = vec![cams[0], cams[1]];
    new.new_cameras = vec![CameraSpec {
        name: "Loading dock 2".into(),
        mac: "AC:CC:8E:12:34:56".into(),
        serial: "ACCC8E123456".into(),
        model: "Axis P3245-LVE".into(),
        location: "Warehouse".into(),
    }];
    new.roles.push(Role {
        id: None,
        name: "Night guards".into(),
        description: "Night shift".into(),
        system: None,
        role_type: RoleType::Guard,
        all_cameras: false,
        camera_ids: vec![cams[1]],
        new_camera_refs: vec![0],
        permissions: Permissions {
            share: true,
            ptz: true,
            ..Permissions::default()
        },
    });
    new.users[2].roles = vec![2];

    let created = store
        .create_customer(&new, &hashes(3), &op("alice"))
        .unwrap();
    assert_eq!(created.user_ids.len(), 3);
    assert_eq!(created.camera_ids.len(), 3);

    let stored = store.customer(created.id).unwrap().unwrap();
    assert_eq!(stored.profile, new.profile);
    assert_eq!(stored.version, 1);
    assert_eq!(stored.status, Status::Active);
    let cameras = store.cameras_of(created.id).unwrap();
    assert_eq!(cameras.len(), 3);
    assert!(cameras.iter().all(|c| c.customer_id == Some(created.id)));
    let roles = store.roles_of(created.id).unwrap();
    let names: Vec<&str> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Owner", "Admin", "Night guards"]);
    let mut guard_cams = roles[2].camera_ids.clone();
    guard_cams.sort();
    assert_eq!(guard_cams, vec![cams[1], created.camera_ids[2]]);
    let users = store.users_of(created.id).unwrap();
    assert_eq!(users.len(), 3);
    let owner = users
        .iter()
        .find(|u| u.email == "owner@harbor.example")
        .unwrap();
    assert_eq!(owner.role_ids, vec![roles[0].id.unwrap()]);
    let hash: String = store
        .raw_conn()
        .query_row(
            "SELECT password_hash FROM users WHERE id = ?1",
            [owner.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hash, format!("{HASH}0"));
    let (action, operator, client): (String, String, Option<String>) = store
        .raw_conn()
        .query_row(
            "SELECT action, operator, client FROM audit WHERE customer_id = ?1",
            [created.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (action.as_str(), operator.as_str()),
        ("customer.create", "alice")
    );
    assert_eq!(client.as_deref(), Some("10.0.0.7"));
}

#[test]
fn a_failing_create_leaves_nothing_behind() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    let cams = inventory(&mut store, 4);
    add(&mut store, &customer("First", &["taken@example.com"]));
    let before = totals(&store);

    // The second user's e-mail is taken (in another case): everything before it is rolled back.
    let mut new = customer("Second", &["fresh@example.com", "TAKEN@example.com"]);
    new.camera_ids = vec![cams[0], cams[1]];
    new.new_cameras = vec![CameraSpec {
        name: "Gate 1".into(),
        mac: "AC:CC:8E:00:00:01".into(),
        serial: "ACCC8E000001".into(),
        ..CameraSpec::default()
    }];
    let err = store
        .create_customer(&new, &hashes(2), &op("alice"))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("TAKEN@example.com")),
        "{err}"
    );
    assert_eq!(totals(&store), before);
    assert!(!store.customer_name_taken("Second", None).unwrap());
    assert!(!store.user_email_taken("fresh@example.com").unwrap());
    assert_eq!(store.camera(cams[0]).unwrap().unwrap().customer_id, None);

    // A taken name (in another case) is a conflict too.
    let err = store
        .create_customer(
            &customer("FIRST", &["x@example.com"]),
            &hashes(1),
            &op("alice"),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(totals(&store), before);
}

#[test]
fn a_camera_linked_by_another_operator_meanwhile_is_a_conflict() {
    let (_dir, path) = temp();
    let mut mine = create(&path);
    inventory(&mut mine, 5);
    let mut theirs = mine.reopen().unwrap();

    // Both operators pick from the same list of unlinked cameras.
    let picked: Vec<Id> = mine
        .unlinked_cameras("", 10)
        .unwrap()
        .iter()
        .map(|c| c.id)
        .take(2)
        .collect();
    let taken = mine.camera(picked[1]).unwrap().unwrap();
    let mut rival = customer("Rival Security", &["r@rival.example"]);
    rival.camera_ids = vec![picked[1]];
    add(&mut theirs, &rival);

    let before = totals(&mine);
    let mut slow = customer("Slow Bakery", &["s@slow.example"]);
    slow.camera_ids = picked.clone();
    let err = mine
        .create_customer(&slow, &hashes(1), &op("alice"))
        .unwrap_err();
    match &err {
        StoreError::Conflict(m) => {
            assert!(m.contains(&taken.spec.name), "{m}");
            assert!(m.contains("Rival Security"), "{m}");
        }
        other => panic!("expected Conflict, got {other}"),
    }
    assert_eq!(totals(&mine), before);
    assert!(!mine.customer_name_taken("Slow Bakery", None).unwrap());
    assert_eq!(mine.camera(picked[0]).unwrap().unwrap().customer_id, None);
}

#[test]
fn update_profile_refuses_a_stale_version() {
    let (_dir, path) = temp();
    let mut mine = create(&path);
    let id = add(
        &mut mine,
        &customer("Northwind Dental", &["o@northwind.example"]),
    );
    let mut theirs = mine.reopen().unwrap();
    let seen = mine.customer(id).unwrap().unwrap();
    assert_eq!(seen.version, 1);

    let mut their_edit = seen.profile.clone();
    their_edit.contact.phone = "+1 (415) 555-0199".into();
    let saved = theirs
        .update_profile(id, seen.version, &their_edit, &op("bob"))
        .unwrap();
    assert_eq!(saved.version, 2);

    let mut my_edit = seen.profile.clone();
    my_edit.contact.address.city = "Oakland".into();
    let err = mine
        .update_profile(id, seen.version, &my_edit, &op("alice"))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict(m) if m.contains("Northwind Dental")),
        "{err}"
    );
    let now = mine.customer(id).unwrap().unwrap();
    assert_eq!(now.version, 2);
    assert_eq!(now.profile, their_edit);

    // With the fresh version the edit is saved and audited.
    let saved = mine
        .update_profile(id, now.version, &my_edit, &op("alice"))
        .unwrap();
    assert_eq!(saved.version, 3);
    assert_eq!(saved.profile, my_edit);
    let (summary, operator): (String, String) = mine
        .raw_conn()
        .query_row(
            "SELECT summary, operator FROM audit WHERE action = 'customer.update' ORDER BY id DESC",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(operator, "alice");
    assert!(summary.contains("city"), "{summary}");
    assert_eq!(
        count(
            &mine,
            "SELECT count(*) FROM audit WHERE action = 'customer.update'"
        ),
        2
    );
}

#[test]
fn delete_archives_the_whole_customer() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    let cams = inventory(&mut store, 3);
    let mut new = customer("Summit Storage", &["a@summit.example", "b@summit.example"]);
    new.camera_ids = cams.clone();
    let created = store
        .create_customer(&new, &hashes(2), &op("alice"))
        .unwrap();
    let id = created.id;
    let version = store.customer(id).unwrap().unwrap().version;
    let before = totals(&store);

    let err = store
        .delete_customer(id, version + 1, &op("carol"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(totals(&store), before);

    let deleted = store.delete_customer(id, version, &op("carol")).unwrap();
    assert_eq!(deleted.name, "Summit Storage");
    assert_eq!(
        (
            deleted.impact.cameras,
            deleted.impact.users,
            deleted.impact.roles
        ),
        (3, 2, 2)
    );
    assert!(store.customer(id).unwrap().is_none());
    for cam in &cams {
        assert_eq!(store.camera(*cam).unwrap().unwrap().customer_id, None);
    }
    for table in ["roles", "users", "billing"] {
        let n: i64 = store
            .raw_conn()
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE customer_id = ?1"),
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    assert_eq!(count(&store, "SELECT count(*) FROM user_roles"), 0);

    let archive = store.archive(deleted.archive_id).unwrap().unwrap();
    assert_eq!(archive.customer.id, id);
    assert_eq!(archive.customer.profile, new.profile);
    assert_eq!(archive.roles.len(), 2);
    assert_eq!(archive.users.len(), 2);
    let mut archived_hashes: Vec<&str> = archive
        .users
        .iter()
        .map(|u| u.password_hash.as_str())
        .collect();
    archived_hashes.sort();
    assert_eq!(
        archived_hashes,
        hashes(2).iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(archive.users.iter().all(|u| !u.role_ids.is_empty()));
    assert_eq!(
        archive.cameras.iter().map(|c| c.id).collect::<Vec<_>>(),
        cams
    );
    let raw: String = store
        .raw_conn()
        .query_row(
            "SELECT data FROM archive WHERE id = ?1",
            [deleted.archive_id],
            |r| r.get(0),
        )
        .unwrap();
    let parsed: Archive = serde_json::from_str(&raw).unwrap();
    assert_eq!(parsed, archive);
    let again: Archive = serde_json::from_str(&serde_json::to_string(&parsed).unwrap()).unwrap();
    assert_eq!(again, archive);

    let (operator, summary): (String, String) = store
        .raw_conn()
        .query_row(
            "SELECT operator, summary FROM audit WHERE action = 'customer.delete' AND customer_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(operator, "carol");
    assert!(summary.contains("3 cameras"), "{summary}");
    let archive_operator: String = store
        .raw_conn()
        .query_row(
            "SELECT operator FROM archive WHERE id = ?1",
            [deleted.archive_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(archive_operator, "carol");
}

#[test]
fn delete_refuses_a_sub_integrator_that_still_has_customers() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    let mut integrator = customer("Guardian Alarm", &["g@guardian.example"]);
    integrator.profile.kind = CustomerType::Integrator;
    let parent = add(&mut store, &integrator);
    for (name, email) in [
        ("Child One", "c1@child.example"),
        ("Child Two", "c2@child.example"),
    ] {
        let mut child = customer(name, &[email]);
        child.profile.parent_id = Some(parent);
        add(&mut store, &child);
    }
    let before = totals(&store);
    let version = store.customer(parent).unwrap().unwrap().version;
    let err = store
        .delete_customer(parent, version, &op("alice"))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(m) if m.contains("2 customers")),
        "{err}"
    );
    assert_eq!(totals(&store), before);
}

// ---- the Customers table ------------------------------------------------------------------------

/// Six customers whose fields each match exactly one filter below.
fn table_store(path: &Path) -> (Store, Vec<Id>) {
    let mut store = create(path);
    let specs: [(&str, &str, &str, &str, &str, &str, &str); 6] = [
        // name, first, last, email, phone, city, reference
        (
            "Alpha Dental",
            "Zoe",
            "Quinn",
            "zoe@alpha.example",
            "+1 (212) 555-0101",
            "Boston",
            "",
        ),
        (
            "Beta_Logistics",
            "Yann",
            "Petit",
            "yann@beta.example",
            "+33 1 23 45 67 89",
            "Paris",
            "",
        ),
        (
            "Gamma 100% Fitness",
            "Xavier",
            "Olsen",
            "x@gamma.example",
            "+1 (303) 555-0102",
            "Denver",
            "",
        ),
        (
            "delta storage",
            "Wanda",
            "Nash",
            "w@delta.example",
            "+49 30 1234567",
            "Berlin",
            "PO-7781",
        ),
        (
            "Epsilon Bakery",
            "Victor",
            "Mills",
            "v@epsilon.example",
            "+44 20 7946 0555",
            "London",
            "",
        ),
        (
            "Zeta Motors",
            "Ursula",
            "Lee",
            "u@zeta.example",
            "+1 (415) 555-0103",
            "oakland",
            "",
        ),
    ];
    let mut ids = Vec::new();
    for (i, (name, first, last, email, phone, city, reference)) in specs.iter().enumerate() {
        let mut new = customer(name, &[&format!("user{i}@table.example")]);
        let c = &mut new.profile.contact;
        c.first_name = (*first).into();
        c.last_name = (*last).into();
        c.email = (*email).into();
        c.phone = (*phone).into();
        c.address.city = (*city).into();
        c.reference = (*reference).into();
        if *name == "Epsilon Bakery" {
            new.profile.kind = CustomerType::Integrator;
        }
        ids.push(add(&mut store, &new));
    }
    // Distinct creation times (newest first in the list) and one disabled customer.
    store
        .write(|tx| {
            for (i, id) in ids.iter().enumerate() {
                tx.execute(
                    "UPDATE customers SET created_at = ?2 WHERE id = ?1",
                    (id, format!("2026-0{}-01T00:00:00Z", 6 - i)),
                )?;
            }
            tx.execute(
                "UPDATE customers SET status = 'disabled' WHERE id = ?1",
                [ids[2]],
            )?;
            Ok(())
        })
        .unwrap();
    (store, ids)
}

fn names(store: &Store, filter: &str, sort: SortKey) -> Vec<String> {
    let q = CustomerQuery {
        filter: filter.into(),
        sort,
        descending: false,
    };
    let page = store.customer_page(&q, 0, 100).unwrap();
    assert_eq!(
        store.customer_count(&q).unwrap(),
        page.len() as i64,
        "{filter:?}"
    );
    page.into_iter().map(|r| r.name).collect()
}

#[test]
fn customers_sort_by_camera_and_user_counts_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db"), OpenMode::Create).unwrap();
    store
        .fill_demo(
            &admin_portal::store::demo::DemoSpec {
                customers: 30,
                cameras: 120,
                seed: 3,
            },
            &mut |_| {},
        )
        .unwrap();
    for (sort, count) in [
        (
            SortKey::Cameras,
            (|r: &admin_portal::domain::CustomerRow| r.cameras) as fn(&_) -> i64,
        ),
        (SortKey::Users, |r| r.users),
    ] {
        let page = |descending| {
            let q = CustomerQuery {
                filter: String::new(),
                sort,
                descending,
            };
            store.customer_page(&q, 0, 100).unwrap()
        };
        let up: Vec<i64> = page(false).iter().map(count).collect();
        assert_eq!(up.len(), 30);
        assert!(up.windows(2).all(|w| w[0] <= w[1]), "{sort:?} {up:?}");
        assert!(up.first() < up.last(), "{sort:?}: the counts differ {up:?}");
        let mut down: Vec<String> = page(true).into_iter().map(|r| r.name).collect();
        down.reverse();
        let up_names: Vec<String> = page(false).into_iter().map(|r| r.name).collect();
        assert_eq!(
            down, up_names,
            "{sort:?} reversed is the same order backwards"
        );
    }
}

#[test]
fn the_filter_is_a_case_insensitive_substring_of_six_columns() {
    let (_dir, path) = temp();
    let (store, _) = table_store(&path);
    assert_eq!(names(&store, "", SortKey::Name).len(), 6);
    assert_eq!(names(&store, "DENTAL", SortKey::Name), ["Alpha Dental"]); // name
    assert_eq!(names(&store, "zoe quinn", SortKey::Name), ["Alpha Dental"]); // contact
    assert_eq!(names(&store, "@BETA.", SortKey::Name), ["Beta_Logistics"]); // email
    assert_eq!(names(&store, "7946 05", SortKey::Name), ["Epsilon Bakery"]); // phone
    assert_eq!(names(&store, "OAKLAND", SortKey::Name), ["Zeta Motors"]); // city
    assert_eq!(names(&store, "po-77", SortKey::Name), ["delta storage"]); // reference
    assert_eq!(
        names(&store, "  storage  ", SortKey::Name),
        ["delta storage"]
    );
    assert!(names(&store, "nothing like this", SortKey::Name).is_empty());
}

#[test]
fn percent_and_underscore_in_the_filter_are_literal() {
    let (_dir, path) = temp();
    let (store, _) = table_store(&path);
    assert_eq!(names(&store, "%", SortKey::Name), ["Gamma 100% Fitness"]);
    assert_eq!(names(&store, "100%", SortKey::Name), ["Gamma 100% Fitness"]);
    assert_eq!(names(&store, "_", SortKey::Name), ["Beta_Logistics"]);
    // `a_l` would match "a D" or "a L" if `_` were a wildcard.
    assert_eq!(names(&store, "a_l", SortKey::Name), ["Beta_Logistics"]);
    assert!(names(&store, "a%l", SortKey::Name).is_empty());
    assert!(names(&store, "\\", SortKey::Name).is_empty());
}

#[test]
fn every_sort_key_orders_the_table() {
    let (_dir, path) = temp();
    let (store, _) = table_store(&path);
    let all = |sort| names(&store, "", sort);
    assert_eq!(
        all(SortKey::Name),
        [
            "Alpha Dental",
            "Beta_Logistics",
            "delta storage",
            "Epsilon Bakery",
            "Gamma 100% Fitness",
            "Zeta Motors"
        ]
    );
    assert_eq!(
        all(SortKey::Type),
        [
            "Alpha Dental",
            "Beta_Logistics",
            "delta storage",
            "Gamma 100% Fitness",
            "Zeta Motors",
            "Epsilon Bakery"
        ]
    );
    // By last name: Lee, Mills, Nash, Olsen, Petit, Quinn.
    assert_eq!(
        all(SortKey::Contact),
        [
            "Zeta Motors",
            "Epsilon Bakery",
            "delta storage",
            "Gamma 100% Fitness",
            "Beta_Logistics",
            "Alpha Dental"
        ]
    );
    // Berlin, Boston, Denver, London, oakland, Paris: case does not matter.
    assert_eq!(
        all(SortKey::City),
        [
            "delta storage",
            "Alpha Dental",
            "Gamma 100% Fitness",
            "Epsilon Bakery",
            "Zeta Motors",
            "Beta_Logistics"
        ]
    );
    let status = all(SortKey::Status);
    assert_eq!(
        status.last().map(String::as_str),
        Some("Gamma 100% Fitness")
    );
    assert_eq!(
        all(SortKey::Created),
        [
            "Zeta Motors",
            "Epsilon Bakery",
            "delta storage",
            "Gamma 100% Fitness",
            "Beta_Logistics",
            "Alpha Dental"
        ]
    );
    // Pages follow the same order.
    let q = CustomerQuery {
        filter: String::new(),
        sort: SortKey::Name,
        descending: false,
    };
    let second: Vec<String> = store
        .customer_page(&q, 2, 2)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(second, ["delta storage", "Epsilon Bakery"]);
    // Every key is reachable by stepping.
    let mut key = SortKey::Name;
    for _ in 0..SortKey::ALL.len() {
        key = key.next();
    }
    assert_eq!(key, SortKey::Name);
}

#[test]
fn rows_carry_counts_and_the_parent() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    let cams = inventory(&mut store, 2);
    let mut integrator = customer("Guardian Alarm", &["g@guardian.example"]);
    integrator.profile.kind = CustomerType::Integrator;
    let parent = add(&mut store, &integrator);
    let mut child = customer("Child", &["c1@child.example", "c2@child.example"]);
    child.profile.parent_id = Some(parent);
    child.camera_ids = cams;
    let id = add(&mut store, &child);
    let row = store.customer_row(id).unwrap().unwrap();
    assert_eq!(row.parent.as_deref(), Some("Guardian Alarm"));
    assert_eq!((row.cameras, row.users), (2, 2));
    assert_eq!(row.contact, "Ada Moore");
}

// ---- several connections, drafts, checks --------------------------------------------------------

#[test]
fn two_connections_see_each_others_commits() {
    let (_dir, path) = temp();
    let mut writer = create(&path);
    let reader = Store::open(&path, OpenMode::Existing).unwrap();
    let q = CustomerQuery::default();
    assert_eq!(reader.customer_count(&q).unwrap(), 0);
    let v0 = reader.data_version().unwrap();
    assert_eq!(
        reader.data_version().unwrap(),
        v0,
        "no change, no new version"
    );

    let id = add(
        &mut writer,
        &customer("Lakeside Realty", &["o@lakeside.example"]),
    );
    assert_ne!(reader.data_version().unwrap(), v0);
    assert_eq!(reader.customer_count(&q).unwrap(), 1);
    assert_eq!(
        reader.customer(id).unwrap().unwrap().name(),
        "Lakeside Realty"
    );

    // And the other way round, through a read-only connection that keeps up too.
    let ro = writer.reopen().unwrap();
    let v1 = ro.data_version().unwrap();
    let mut second = reader;
    add(
        &mut second,
        &customer("Pinecrest Motors", &["o@pinecrest.example"]),
    );
    assert_ne!(ro.data_version().unwrap(), v1);
    assert_eq!(writer.customer_count(&q).unwrap(), 2);
}

#[test]
fn drafts_are_saved_loaded_and_discarded_per_operator() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    assert!(store.draft("alice").unwrap().is_none());
    store
        .save_draft("alice", 2, r#"{"company":"Acme"}"#)
        .unwrap();
    store.save_draft("bob", 1, "{}").unwrap();
    store
        .save_draft("alice", 3, r#"{"company":"Acme Inc."}"#)
        .unwrap();

    let other = store.reopen().unwrap();
    let draft = other.draft("alice").unwrap().unwrap();
    assert_eq!(
        (draft.step, draft.data.as_str()),
        (3, r#"{"company":"Acme Inc."}"#)
    );
    assert!(!draft.updated_at.is_empty());

    store.discard_draft("alice").unwrap();
    assert!(other.draft("alice").unwrap().is_none());
    assert_eq!(other.draft("bob").unwrap().unwrap().step, 1);
    store.discard_draft("nobody").unwrap();
}

#[test]
fn a_demo_filled_store_passes_the_full_checks() {
    let (_dir, path) = temp();
    let mut store = create(&path);
    small_demo(&mut store);
    assert_eq!(
        store.customer_count(&CustomerQuery::default()).unwrap(),
        300
    );
    assert_eq!(count(&store, "SELECT count(*) FROM cameras"), 3_000);
    assert!(store.integrity_problems().unwrap().is_empty());
    // A second fill is refused and changes nothing.
    let before = totals(&store);
    let err = store
        .fill_demo(&DemoSpec::default(), &mut |_| {})
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(m) if m.contains("already has 300 customers")),
        "{err}"
    );
    assert_eq!(totals(&store), before);
}
