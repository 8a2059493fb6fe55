use super::random::{Rng, spread};
use super::words::COUNTRIES;
use std::collections::HashSet;

use super::*;
use crate::domain::validate;
use crate::domain::{CustomerType, Id};
use crate::store::{CustomerQuery, OpenMode};

fn filled(customers: u64, cameras: u64, seed: u64) -> (tempfile::TempDir, Store, DemoReport) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db"), OpenMode::Create).unwrap();
    let mut lines = Vec::new();
    let spec = DemoSpec {
        customers,
        cameras,
        seed,
    };
    let report = store
        .fill_demo(&spec, &mut |l| lines.push(l.to_string()))
        .unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l == &format!("customers {customers}/{customers}"))
    );
    (dir, store, report)
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .conn()
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn fills_a_thousand_customers_consistently() {
    let (_dir, store, report) = filled(1_000, 10_000, 7);
    assert_eq!(report.customers, 1_000);
    assert_eq!(report.cameras, 10_000);
    assert_eq!(report.linked, 7_500);
    assert_eq!(report.plans, 6);
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 1_000);
    assert_eq!(count(&store, "SELECT count(*) FROM cameras"), 10_000);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM cameras WHERE customer_id IS NOT NULL"
        ),
        7_500
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM users") as u64,
        report.users
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM roles") as u64,
        report.roles
    );
    assert_eq!(count(&store, "SELECT count(*) FROM billing"), 1_000);
    assert!(store.integrity_problems().unwrap().is_empty());

    let integrators = count(
        &store,
        "SELECT count(*) FROM customers WHERE kind = 'integrator'",
    );
    assert!(
        (20..=90).contains(&integrators),
        "{integrators} integrators"
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM customers WHERE parent_id IS NOT NULL"
        ) > 0
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM customers WHERE status = 'disabled'"
        ) > 0
    );
    // Every customer has Owner and Admin, and an Owner user as its first user.
    assert_eq!(
        count(&store, "SELECT count(*) FROM roles WHERE system = 'owner'"),
        1_000
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM roles WHERE system = 'admin'"),
        1_000
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(DISTINCT u.customer_id) FROM users u JOIN user_roles ur
             ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id WHERE r.system = 'owner'"
        ),
        1_000
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM roles WHERE role_type = 'guard'"
        ) > 0
    );
    assert!(count(&store, "SELECT count(*) FROM role_cameras") > 0);
    // Uneven spread: a few large customers.
    assert!(
        count(
            &store,
            "SELECT max(n) FROM (SELECT count(*) n FROM cameras GROUP BY customer_id
             HAVING customer_id IS NOT NULL)"
        ) >= 100
    );
    // Disabled customers' cameras do not record and their users are blocked.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM cameras JOIN customers c ON c.id = cameras.customer_id
             WHERE c.status = 'disabled' AND (recording = 1 OR recording_before_disable IS NULL)"
        ),
        0
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM audit WHERE action = 'customer.create' AND operator = 'demo'"
        ),
        1_000
    );
}

#[test]
fn everything_written_passes_validation() {
    let (_dir, store, _) = filled(300, 2_000, 3);
    let ids: Vec<Id> = store
        .customer_page(&CustomerQuery::default(), 0, 1_000)
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids.len(), 300);
    for id in ids {
        let c = store.customer(id).unwrap().unwrap();
        let errors = validate::validate_profile(&c.profile);
        assert!(errors.is_empty(), "{}: {errors:?}", c.name());
        for cam in store.cameras_of(id).unwrap() {
            assert!(validate::validate_camera(&cam.spec).is_empty(), "{cam:?}");
            assert_eq!(
                validate::normalize_mac(&cam.spec.mac).unwrap(),
                cam.spec.mac
            );
        }
        for role in store.roles_of(id).unwrap() {
            assert!(validate::validate_role(&role).is_empty(), "{role:?}");
        }
    }
    let hash: String = store
        .conn()
        .unwrap()
        .query_row("SELECT password_hash FROM users LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[test]
fn same_seed_same_data_and_unique_keys() {
    let dump = |store: &Store| -> Vec<String> {
        let mut stmt = store
            .conn()
            .unwrap()
            .prepare(
                "SELECT name || '|' || email || '|' || phone || '|' || city FROM customers
                 UNION ALL SELECT mac || serial || name || ifnull(customer_id, '-') FROM cameras
                 UNION ALL SELECT email FROM users",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let (_a, first, _) = filled(200, 1_500, 42);
    let (_b, again, _) = filled(200, 1_500, 42);
    let (_c, other, _) = filled(200, 1_500, 43);
    assert_eq!(dump(&first), dump(&again));
    assert_ne!(dump(&first), dump(&other));
    assert_eq!(
        count(&first, "SELECT count(DISTINCT lower(name)) FROM customers"),
        200
    );
}

#[test]
fn refuses_a_store_with_customers() {
    let (_dir, mut store, _) = filled(10, 50, 1);
    let err = store
        .fill_demo(&DemoSpec::default(), &mut |_| {})
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Refused(m) if m == "the store already has 10 customers; demo fills an empty store"),
        "{err}"
    );
}

#[test]
fn names_stay_unique_when_the_word_lists_run_out() {
    let mut filler = Filler::new(
        &DemoSpec {
            customers: 0,
            cameras: 0,
            seed: 9,
        },
        String::new(),
    );
    let mut seen = HashSet::new();
    for _ in 0..60_000 {
        let country = &COUNTRIES[0].1;
        let city = &country.cities[0];
        let (name, core) = filler.company_name(CustomerType::Customer, country, city);
        assert!(seen.insert(name.to_lowercase()), "{name} twice");
        assert!(name.starts_with(&core), "{name} / {core}");
    }
}

#[test]
fn spread_hits_the_total_exactly() {
    let mut rng = Rng(5);
    for (customers, total) in [(1, 10), (7, 0), (1000, 7500), (3, 100_000)] {
        let counts = spread(&mut rng, customers, total);
        assert_eq!(counts.len() as u64, customers);
        assert_eq!(counts.iter().sum::<u64>(), total);
    }
    assert!(spread(&mut rng, 0, 0).is_empty());
}

#[test]
fn time_zones_are_shipped_ones() {
    for (_, country) in COUNTRIES {
        for city in country.cities {
            assert!(
                crate::assets::is_time_zone(city.time_zone),
                "{}",
                city.time_zone
            );
        }
    }
}
