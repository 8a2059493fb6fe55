//! The contract suite, part one: the store's seam itself (open, reopen, read-only, live change
//! counter) and the calls already carried by both backends (plans, wizard drafts). Every test
//! runs on SQLite and on PostgreSQL (`support::contract`) and asserts the same behaviour.

mod support;

use admin_portal::domain::{Operator, RecordingMode};
use admin_portal::store::inventory::PlanSpec;
use admin_portal::store::{OpenMode, Store, StoreError, StoreOptions};
use support::contract::Subject;

fn op() -> Operator {
    Operator {
        login: "ada".into(),
        client: Some("10.0.0.7".into()),
    }
}

fn spec(name: &str, cents: i64) -> PlanSpec {
    PlanSpec {
        name: name.into(),
        retention_days: 30,
        mode: RecordingMode::Continuous,
        price_cents: cents,
        currency: "usd".into(),
    }
}

/// Fills the demo's plans, customers and cameras (a few plans are in use).
fn demo(store: &mut Store) {
    support::fixture::demo(store, 20, 60, 7);
}

fn plans_are_added_edited_and_deleted_with_their_rules(s: &mut Subject) {
    let store = &mut s.store;
    let id = store.add_plan(&spec("  Gold 30 ", 999), &op()).unwrap();
    let plan = store.plan(id).unwrap().expect("the new plan");
    assert_eq!(
        (plan.name.as_str(), plan.currency.as_str()),
        ("Gold 30", "USD")
    );
    assert_eq!(plan.version, 1);

    // Names are unique ignoring case, with the message naming the field.
    let err = store.add_plan(&spec("GOLD 30", 100), &op()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Plan name: \"GOLD 30\" is already taken by another plan"
    );
    let err = store.add_plan(&spec("", 100), &op()).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");

    // An edit at the version read is saved; a second edit from that stale version is refused.
    store
        .update_plan(id, 1, &spec("Gold 31", 1099), &op())
        .unwrap();
    let err = store
        .update_plan(id, 1, &spec("Gold 32", 1099), &op())
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(
        err.to_string().contains("Plan Gold 31 was changed"),
        "{err}"
    );
    let err = store.delete_plan(id, 1, &op()).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    store.delete_plan(id, 2, &op()).unwrap();
    assert_eq!(store.plan(id).unwrap(), None);
    let err = store.delete_plan(id, 2, &op()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("plan #{id} no longer exists: another operator deleted it")
    );
}
contract!(plans_are_added_edited_and_deleted_with_their_rules);

fn a_plan_in_use_is_not_deleted_and_usage_counts_agree(s: &mut Subject) {
    let usage = s.store.plans_with_usage().unwrap();
    let names: Vec<&str> = usage.iter().map(|u| u.plan.name.as_str()).collect();
    let plans: Vec<String> = s
        .store
        .plans()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, plans, "both lists by name, ignoring case");
    let used = usage
        .iter()
        .find(|u| u.customers + u.cameras > 0)
        .expect("the demo uses a plan");
    let err = s
        .store
        .delete_plan(used.plan.id, used.plan.version, &op())
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("Plan {} is used by", used.plan.name)),
        "{err}"
    );
    let total: i64 = usage.iter().map(|u| u.cameras).sum();
    assert!(total > 0 && total <= 60, "cameras on a plan: {total}");
}
contract!(a_plan_in_use_is_not_deleted_and_usage_counts_agree, demo);

fn drafts_are_one_per_operator_and_round_trip(s: &mut Subject) {
    let store = &mut s.store;
    assert_eq!(store.draft("ada").unwrap(), None);
    store.save_draft("ada", 2, r#"{"company":"Acme"}"#).unwrap();
    store
        .save_draft("ada", 3, r#"{"company":"Acme Two"}"#)
        .unwrap();
    store.save_draft("bob", 1, r#"{}"#).unwrap();
    let draft = store.draft("ada").unwrap().expect("ada's draft");
    assert_eq!(draft.step, 3);
    let data: serde_json::Value = serde_json::from_str(&draft.data).unwrap();
    assert_eq!(data["company"], "Acme Two");
    store.discard_draft("ada").unwrap();
    assert_eq!(store.draft("ada").unwrap(), None);
    assert!(store.draft("bob").unwrap().is_some());
}
contract!(drafts_are_one_per_operator_and_round_trip);

fn another_connections_commit_moves_the_change_counter_and_ours_does_not(s: &mut Subject) {
    let mut other = s.other();
    let start = s.store.data_version().unwrap();
    s.store.add_plan(&spec("Mine", 100), &op()).unwrap();
    assert_eq!(s.store.data_version().unwrap(), start, "our own commit");
    other.add_plan(&spec("Theirs", 100), &op()).unwrap();
    // The other session's notification arrives over the network: wait for it, a second at most.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while s.store.data_version().unwrap() == start {
        assert!(std::time::Instant::now() < deadline, "no change seen");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let names: Vec<String> = s
        .store
        .plans()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert!(names.contains(&"Theirs".to_string()), "{names:?}");
}
contract!(another_connections_commit_moves_the_change_counter_and_ours_does_not);

fn a_read_only_store_refuses_writes_and_reads(s: &mut Subject) {
    s.store.add_plan(&spec("Kept", 100), &op()).unwrap();
    let location = s.store.path().to_path_buf();
    let mut ro = if s.is_postgres() {
        let other = s.other();
        drop(other);
        // A read-only session on the same database.
        let loc = admin_portal::store::pg::Location::parse(location.to_str().unwrap())
            .unwrap()
            .with_password(support::pg::PASSWORD);
        Store::open_postgres(loc, StoreOptions::new(OpenMode::ReadOnly)).unwrap()
    } else {
        Store::open(&location, OpenMode::ReadOnly).unwrap()
    };
    assert!(ro.is_read_only());
    assert_eq!(ro.plans().unwrap().len(), 1);
    let err = ro.add_plan(&spec("Refused", 100), &op()).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    let err = ro.save_draft("ada", 1, "{}").unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}
contract!(a_read_only_store_refuses_writes_and_reads);
