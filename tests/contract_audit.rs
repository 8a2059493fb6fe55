//! The contract suite, the audit log's reads: the filters (text, operator, action, customer),
//! paging newest first, one entry with the names in its details, the filters' choices, and the
//! archive behind a "customer.delete" entry. Every test runs on SQLite and on PostgreSQL
//! (`support::contract`) and asserts the same results.

mod support;

use admin_portal::domain::{Id, Operator};
use admin_portal::store::Store;
use admin_portal::store::views::AuditQuery;
use support::contract::Subject;
use support::fixture::{sample_customer, sql};

fn op(login: &str) -> Operator {
    Operator {
        login: login.into(),
        client: Some("10.0.0.7".into()),
    }
}

/// Five demo customers; Acme Security created by alice, its recording plan changed, a camera
/// unlinked; Doomed Ltd created and deleted by bob; two hand-written entries with a `%` and
/// mixed case in their texts.
fn seed(store: &mut Store) {
    support::fixture::demo(store, 5, 40, 1);
    let plans = store.plans().unwrap();
    let mut acme = sample_customer("Acme Security");
    acme.profile.defaults.default_plan_id = Some(plans[0].id);
    let free: Vec<Id> = store
        .unlinked_cameras("", 2)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    acme.camera_ids = free.clone();
    let hashes = vec![support::fixture::HASH.to_string(); acme.users.len()];
    let id = store
        .create_customer(&acme, &hashes, &op("alice"))
        .unwrap()
        .id;
    let c = store.customer(id).unwrap().unwrap();
    let mut profile = c.profile.clone();
    profile.defaults.default_plan_id = Some(plans[1].id);
    store
        .update_profile(id, c.version, &profile, &op("alice"))
        .unwrap();
    store.unlink_cameras(id, &free[..1], &op("alice")).unwrap();

    let doomed = sample_customer("Doomed Ltd");
    let hashes = vec![support::fixture::HASH.to_string(); doomed.users.len()];
    let gone = store
        .create_customer(&doomed, &hashes, &op("bob"))
        .unwrap()
        .id;
    let version = store.customer(gone).unwrap().unwrap().version;
    store.delete_customer(gone, version, &op("bob")).unwrap();
    sql(
        store,
        "INSERT INTO audit (at, operator, client, action, summary, details) VALUES
           ('2026-11-27T10:00:00Z', 'Bob', '10.0.0.9', 'plan.update', 'changed price of Gold 90', '{}'),
           ('2026-11-27T10:01:00Z', 'bob', NULL, 'camera.create', 'registered Lobby 100%', '{}')",
    );
}

fn by(text: &str) -> AuditQuery {
    AuditQuery {
        text: text.into(),
        ..AuditQuery::default()
    }
}

fn customer_named(s: &Subject, name: &str) -> Id {
    s.store
        .find_customer(name)
        .unwrap()
        .unwrap_or_else(|| panic!("{name}"))
}

fn pages_cover_the_log_newest_first(s: &mut Subject) {
    let all = AuditQuery::default();
    let total = s.store.audit_count(&all).unwrap();
    assert!(total > 10, "{total}");
    let mut paged = Vec::new();
    for offset in (0..total).step_by(4) {
        paged.extend(s.store.audit_page(&all, offset, 4).unwrap());
    }
    assert_eq!(paged.len() as i64, total);
    assert!(paged.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(paged[0].action, "camera.create");
    assert_eq!(paged[0].client, None);
    assert_eq!(paged[1].client.as_deref(), Some("10.0.0.9"));
    assert_eq!(s.store.audit_page(&all, total, 4).unwrap(), []);
    assert_eq!(s.store.audit_page(&all, 0, -1).unwrap(), [], "no rows");
    // The same page from both ends of the log.
    let last = s.store.audit_page(&all, total - 2, 10).unwrap();
    assert_eq!(last, paged[paged.len() - 2..]);
}
contract!(pages_cover_the_log_newest_first, seed);

fn the_filters_narrow_as_on_sqlite(s: &mut Subject) {
    let count = |q: AuditQuery| {
        let n = s.store.audit_count(&q).unwrap();
        let page = s.store.audit_page(&q, 0, 1000).unwrap();
        assert_eq!(page.len() as i64, n, "{q:?}");
        n
    };
    assert_eq!(count(by("gold 90")), 1, "summary, any case");
    assert_eq!(count(by("  GOLD 90 ")), 1, "trimmed");
    assert_eq!(count(by("100%")), 1, "% is literal");
    assert_eq!(count(by("y 1_0")), 0, "_ is literal");
    assert_eq!(count(by("acme security")), 3, "customer name");
    assert_eq!(count(by("BOB")), 4, "operator, any case: Bob and bob");
    assert_eq!(count(by("camera.cr")), 1, "action");
    assert_eq!(count(by("zzz-nothing")), 0);
    let bob = AuditQuery {
        operator: Some("bob".into()),
        ..AuditQuery::default()
    };
    assert_eq!(count(bob.clone()), 3, "the operator is matched exactly");
    let created = AuditQuery {
        action: Some("customer.create".into()),
        ..AuditQuery::default()
    };
    assert_eq!(count(created.clone()), 7);
    let acme = customer_named(s, "acme security");
    let of_acme = AuditQuery {
        customer_id: Some(acme),
        ..created
    };
    assert_eq!(count(of_acme.clone()), 1);
    assert!(of_acme.is_filtered() && !AuditQuery::default().is_filtered());
    assert!(!by("   ").is_filtered());
    assert_eq!(
        count(AuditQuery {
            operator: Some("bob".into()),
            ..of_acme
        }),
        0
    );
    let log = s.store.audit_of(acme, 10).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["camera.unlink", "customer.update", "customer.create"]
    );
    assert_eq!(s.store.audit_of(acme, 1).unwrap().len(), 1);
}
contract!(the_filters_narrow_as_on_sqlite, seed);

fn the_filters_choices_are_sorted_and_recent_first(s: &mut Subject) {
    assert_eq!(
        s.store.audit_operators().unwrap(),
        ["Bob", "alice", "bob", "demo"],
        "byte order, as SQLite's BINARY"
    );
    let actions = s.store.audit_actions().unwrap();
    let mut sorted = actions.clone();
    sorted.sort();
    assert_eq!(actions, sorted);
    for a in [
        "camera.create",
        "customer.delete",
        "demo.fill",
        "plan.update",
    ] {
        assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
    }
    let customers = s.store.audit_customers(3).unwrap();
    let names: Vec<&str> = customers.iter().map(|c| c.1.as_str()).collect();
    assert_eq!(names[..2], ["Doomed Ltd", "Acme Security"]);
    assert_eq!(customers.len(), 3);
    let every = s.store.audit_customers(-1).unwrap();
    assert_eq!(every.len(), 7, "five demo customers, Acme, Doomed");
    assert_eq!(every[..3], customers[..]);
}
contract!(the_filters_choices_are_sorted_and_recent_first, seed);

fn an_entry_names_its_records_and_a_delete_finds_its_archive(s: &mut Subject) {
    let acme = customer_named(s, "Acme Security");
    let plans = s.store.plans().unwrap();
    let log = s.store.audit_of(acme, 10).unwrap();
    let update = s.store.audit_entry(log[1].id).unwrap().expect("update");
    assert_eq!(update.entry, log[1]);
    assert_eq!(
        update.details["before"]["defaults"]["default_plan"],
        plans[0].name.as_str()
    );
    assert_eq!(
        update.details["after"]["defaults"]["default_plan"],
        plans[1].name.as_str()
    );
    assert!(!update.details.to_string().contains("plan_id"));
    let unlink = s.store.audit_entry(log[0].id).unwrap().expect("unlink");
    assert!(!unlink.details.to_string().contains("camera_ids"));
    assert_eq!(s.store.audit_entry(-5).unwrap(), None);

    let deletes = AuditQuery {
        action: Some("customer.delete".into()),
        ..AuditQuery::default()
    };
    let entry = s.store.audit_page(&deletes, 0, 1).unwrap().remove(0);
    assert_eq!(entry.customer_name.as_deref(), Some("Doomed Ltd"));
    let (archive, restored) = s
        .store
        .archive_for_audit(entry.id)
        .unwrap()
        .expect("archive");
    assert_eq!(restored, None);
    assert_eq!(
        s.store.latest_archive_named("doomed ltd").unwrap(),
        Some(archive)
    );
    assert_eq!(s.store.latest_archive_named("Acme Security").unwrap(), None);
    assert_eq!(s.store.archive_for_audit(log[0].id).unwrap(), None);
    // A deleted customer is named from its archive.
    let full = s.store.audit_entry(entry.id).unwrap().expect("entry");
    assert_eq!(full.entry, entry);
    let customers = s.store.audit_customers(1).unwrap();
    assert_eq!(customers[0].1, "Doomed Ltd");
}
contract!(
    an_entry_names_its_records_and_a_delete_finds_its_archive,
    seed
);

/// The details of every entry read back the same from both stores: copy the log, then compare
/// each entry of the PostgreSQL copy with the SQLite original it was made from.
fn every_entry_reads_back_as_written(s: &mut Subject) {
    let all = AuditQuery::default();
    let total = s.store.audit_count(&all).unwrap();
    let page = s.store.audit_page(&all, 0, total).unwrap();
    let original = support::contract::sqlite(seed);
    for e in &page {
        let here = s.store.audit_entry(e.id).unwrap().expect("entry");
        let there = original.store.audit_entry(e.id).unwrap().expect("entry");
        // The times are the fill's and the seed's clock: equal up to the second they ran.
        assert_eq!(here.entry.action, there.entry.action);
        assert_eq!(here.entry.summary, there.entry.summary);
        assert_eq!(here.details, there.details, "entry {}", e.id);
    }
}
contract!(every_entry_reads_back_as_written, seed);
