//! The contract suite, the camera inventory: the Cameras table (pages, windows, counts, search,
//! orders), the catalog's camera reads, the camera writes (register, edit, delete) and linking
//! (link, unlink, own plan, recording), with their refusals, stale-edit conflicts and audit
//! entries. Every test runs on SQLite and on PostgreSQL (`support::contract`).
//!
//! The reads are compared with the SQLite store the PostgreSQL subject was copied from (the
//! `twin`): the same rows in the same order. On the SQLite run the twin is a second connection
//! to the same file, so the comparison holds trivially there and the other asserts carry it.

mod support;

use admin_portal::domain::{CameraSpec, Id, Operator};
use admin_portal::store::inventory::{CameraQuery, CameraRow, CameraSort, PlanSpec};
use admin_portal::store::{OpenMode, Store, StoreError};
use support::contract::Subject;
use support::db::RawConn;

fn op() -> Operator {
    Operator {
        login: "ada".into(),
        client: Some("10.0.0.7".into()),
    }
}

/// The demo's plans, customers, roles, users and cameras (some in the unlinked stock).
fn demo(store: &mut Store) {
    support::fixture::demo(store, 12, 80, 11);
}

/// The SQLite store the subject was seeded from (see the module doc).
fn twin(s: &Subject) -> Store {
    Store::open(&s.dir.path().join("s.db"), OpenMode::ReadOnly).expect("the seeded SQLite store")
}

/// The last `n` audit entries, newest first: (action, customer id, summary).
fn last_audit(s: &Subject, n: i64) -> Vec<(String, Option<Id>, String)> {
    let sql = format!("SELECT action, customer_id, summary FROM audit ORDER BY id DESC LIMIT {n}");
    if s.is_postgres() {
        let url = s.store.path().to_string_lossy().to_string();
        let db = url.rsplit('/').next().expect("a database name").to_string();
        let server = s.server.as_ref().expect("the server");
        let mut c = server.superuser(&db);
        c.query(&sql, &[])
            .expect("audit")
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    } else {
        let conn = s.store.raw_conn();
        let mut stmt = conn.prepare(&sql).expect("audit");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("audit")
            .map(|r| r.expect("row"))
            .collect()
    }
}

fn audit_len(s: &Subject) -> usize {
    int(s, "SELECT count(*) FROM audit") as usize
}

/// One number read by SQL outside the store (the stored counts the triggers keep).
fn int(s: &Subject, sql: &str) -> i64 {
    if s.is_postgres() {
        let url = s.store.path().to_string_lossy().to_string();
        let db = url.rsplit('/').next().expect("a database name").to_string();
        let server = s.server.as_ref().expect("the server");
        server.superuser(&db).query_one(sql, &[]).expect(sql).get(0)
    } else {
        support::fixture::int(&s.store, sql)
    }
}

fn camera_count_of(s: &Subject, customer: Id) -> i64 {
    int(
        s,
        &format!("SELECT camera_count FROM customers WHERE id = {customer}"),
    )
}

fn query(filter: &str, sort: CameraSort, descending: bool) -> CameraQuery {
    CameraQuery {
        filter: filter.into(),
        sort,
        descending,
    }
}

fn ids(rows: &[CameraRow]) -> Vec<Id> {
    rows.iter().map(|r| r.id).collect()
}

/// Filters that take each way of searching: none, short (below a trigram), long, wildcards
/// taken literally, case folded, a customer's name, a MAC's digits, nothing found.
fn filters(store: &Store) -> Vec<String> {
    let all = store.camera_page(&CameraQuery::default(), 0, 1000).unwrap();
    let linked = all.iter().find(|r| r.customer.is_some()).expect("linked");
    let customer = linked.customer.clone().unwrap_or_default();
    let mut out: Vec<String> = ["", "a", "E", "10", "%", "_", "cam", "CAM", "zzzq"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    out.push(customer.chars().take(5).collect::<String>().to_uppercase());
    out.push(linked.mac[3..8].to_string());
    out.push(format!(" {} ", &linked.serial[..4]));
    out
}

fn the_cameras_table_shows_the_same_rows_in_the_same_order(s: &mut Subject) {
    let twin = twin(s);
    for filter in filters(&twin) {
        for sort in CameraSort::ALL {
            for descending in [false, true] {
                let q = query(&filter, sort, descending);
                let what = format!("{q:?}");
                let total = s.store.camera_count(&q).unwrap();
                assert_eq!(total, twin.camera_count(&q).unwrap(), "{what}");
                for cap in [0, 3, 1_000] {
                    let capped = s.store.camera_count_capped(&q, cap).unwrap();
                    assert_eq!(capped, (total.min(cap), total >= cap), "{what} cap {cap}");
                }
                let all = s.store.camera_page(&q, 0, 1_000).unwrap();
                assert_eq!(all.len() as i64, total, "{what}");
                assert_eq!(all, twin.camera_page(&q, 0, 1_000).unwrap(), "{what}");
                // Every window, read forwards or (knowing the total) from the end, is a slice
                // of the whole order.
                for (offset, limit) in [(0, 7), (5, 9), (total - 4, 10), (total / 2, 3)] {
                    let offset = offset.max(0);
                    let want: Vec<Id> = ids(&all)
                        .into_iter()
                        .skip(offset as usize)
                        .take(limit as usize)
                        .collect();
                    let got = s.store.camera_page(&q, offset, limit).unwrap();
                    assert_eq!(ids(&got), want, "{what} at {offset}+{limit}");
                    let got = s.store.camera_page_of(&q, offset, limit, Some(total));
                    assert_eq!(
                        ids(&got.unwrap()),
                        want,
                        "{what} at {offset}+{limit} of total"
                    );
                }
                let past = s.store.camera_page_of(&q, total + 5, 10, Some(total));
                assert!(past.unwrap().is_empty(), "{what}");
            }
        }
    }
}
contract!(
    the_cameras_table_shows_the_same_rows_in_the_same_order,
    demo
);

fn a_filter_matches_the_six_texts_ignoring_case_with_wildcards_literal(s: &mut Subject) {
    let all = s
        .store
        .camera_page(&CameraQuery::default(), 0, 1000)
        .unwrap();
    for filter in filters(&s.store) {
        let needle = filter.trim().to_ascii_lowercase();
        let want: Vec<Id> = all
            .iter()
            .filter(|r| {
                let customer = r.customer.clone().unwrap_or_default();
                [&r.name, &r.mac, &r.serial, &r.model, &r.location, &customer]
                    .iter()
                    .any(|t| t.to_ascii_lowercase().contains(&needle))
            })
            .map(|r| r.id)
            .collect();
        let q = query(&filter, CameraSort::Name, false);
        let got = s.store.camera_page(&q, 0, 1000).unwrap();
        assert_eq!(ids(&got), want, "{filter:?}");
    }
    // The order by name is by name then id; by customer, the linked first, then the stock.
    let q = query("", CameraSort::Customer, false);
    let rows = s.store.camera_page(&q, 0, 1000).unwrap();
    let stock = rows
        .iter()
        .position(|r| r.customer.is_none())
        .expect("stock");
    assert!(rows[stock..].iter().all(|r| r.customer.is_none()));
    assert!(rows[..stock].iter().all(|r| r.customer.is_some()));
}
contract!(
    a_filter_matches_the_six_texts_ignoring_case_with_wildcards_literal,
    demo
);

fn a_row_shows_its_own_plan_or_its_customers(s: &mut Subject) {
    let twin = twin(s);
    let all = s
        .store
        .camera_page(&CameraQuery::default(), 0, 1000)
        .unwrap();
    for row in &all {
        assert_eq!(s.store.camera_row(row.id).unwrap().as_ref(), Some(row));
        let camera = s.store.camera(row.id).unwrap().expect("the camera");
        assert_eq!(camera, twin.camera(row.id).unwrap().unwrap());
        assert_eq!(
            camera.plan_id.is_none() && row.plan.is_some(),
            row.plan_inherited
        );
        assert_eq!(camera.customer_name, row.customer);
        assert_eq!(
            s.store.camera_link_by_mac(&row.mac).unwrap(),
            Some((row.customer.clone(), row.serial.clone()))
        );
        let upper = row.serial.to_ascii_uppercase();
        assert_eq!(
            s.store.camera_exists(&row.mac, &upper).unwrap(),
            (true, true)
        );
    }
    assert_eq!(s.store.camera_row(999_999).unwrap(), None);
    assert_eq!(s.store.camera(999_999).unwrap(), None);
    assert_eq!(
        s.store.camera_link_by_mac("00:00:00:00:00:00").unwrap(),
        None
    );
    assert_eq!(s.store.camera_exists("x", "y").unwrap(), (false, false));
}
contract!(a_row_shows_its_own_plan_or_its_customers, demo);

fn a_customers_cameras_the_stock_and_the_bill_are_the_same(s: &mut Subject) {
    let twin = twin(s);
    let all = twin.camera_page(&CameraQuery::default(), 0, 1000).unwrap();
    let mut customers: Vec<Id> = all.iter().filter_map(|r| r.customer_id).collect();
    customers.sort_unstable();
    customers.dedup();
    assert!(customers.len() > 2);
    for id in customers {
        let cameras = s.store.cameras_of(id).unwrap();
        assert_eq!(cameras, twin.cameras_of(id).unwrap());
        let customer = twin.customer(id).unwrap().expect("customer");
        assert_eq!(
            s.store.monthly_bill(&customer).unwrap(),
            twin.monthly_bill(&customer).unwrap()
        );
    }
    for (filter, limit) in [
        ("", 100),
        ("", 3),
        ("a", 100),
        ("cam", 5),
        ("%", 10),
        ("Q", 9),
    ] {
        let got = s.store.unlinked_cameras(filter, limit).unwrap();
        assert_eq!(
            got,
            twin.unlinked_cameras(filter, limit).unwrap(),
            "{filter}"
        );
        assert!(got.iter().all(|c| c.customer_id.is_none()));
    }
}
contract!(
    a_customers_cameras_the_stock_and_the_bill_are_the_same,
    demo
);

fn cam(name: &str, mac: &str, serial: &str) -> CameraSpec {
    CameraSpec {
        name: name.into(),
        mac: mac.into(),
        serial: serial.into(),
        model: "Dome 4K".into(),
        location: "Gate".into(),
    }
}

fn cameras_are_registered_edited_and_deleted_with_their_rules(s: &mut Subject) {
    let store = &mut s.store;
    let id = store
        .add_camera(&cam(" Gate 1 ", "aa-bb-cc-00-11-22", "SN-100"), &op())
        .unwrap();
    let gate = store.camera(id).unwrap().expect("the new camera");
    assert_eq!(gate.spec.name, "Gate 1");
    assert_eq!(gate.spec.mac, "AA:BB:CC:00:11:22");
    assert_eq!(
        (gate.customer_id, gate.recording, gate.version),
        (None, false, 1)
    );
    let other = store
        .add_camera(&cam("Yard", "aa:bb:cc:00:11:33", "SN-200"), &op())
        .unwrap();

    // A MAC or serial (ignoring case) already registered is refused, naming the camera.
    let err = store
        .add_camera(&cam("Copy", "AABBCC001122", "SN-999"), &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "MAC address AA:BB:CC:00:11:22: already registered to camera Gate 1"
    );
    let err = store
        .add_camera(&cam("Copy", "AA:BB:CC:00:11:99", "sn-100"), &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Serial number sn-100: already registered to camera Gate 1"
    );
    let err = store
        .add_camera(&cam("", "AA:BB:CC:00:11:98", "SN-5"), &op())
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    let err = store
        .update_camera(other, 1, &cam("Yard", "AA:BB:CC:00:11:22", "SN-200"), &op())
        .unwrap_err();
    assert!(
        err.to_string().starts_with("MAC address AA:BB:CC:00:11:22"),
        "{err}"
    );

    // Edits at the version read; a stale one is refused.
    store
        .update_camera(id, 1, &cam("Gate 2", "AA:BB:CC:00:11:22", "SN-100"), &op())
        .unwrap();
    let err = store
        .update_camera(id, 1, &cam("Gate 3", "AA:BB:CC:00:11:22", "SN-100"), &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Camera Gate 2 was changed by another operator while you edited it; review the fresh data and save again"
    );
    let err = store.delete_camera(id, 1, false, &op()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Camera Gate 2 was changed by another operator; look at it again before deleting"
    );
    store.delete_camera(id, 2, false, &op()).unwrap();
    assert_eq!(store.camera(id).unwrap(), None);
    let err = store.delete_camera(id, 2, false, &op()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("camera #{id} no longer exists: another operator deleted it")
    );
    let audit = last_audit(s, 4);
    let summaries: Vec<(&str, &str)> = audit
        .iter()
        .map(|(a, _, t)| (a.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        summaries,
        [
            ("camera.delete", "deleted camera Gate 2 (AA:BB:CC:00:11:22)"),
            ("camera.update", "camera Gate 2: changed name"),
            ("camera.add", "registered camera Yard (AA:BB:CC:00:11:33)"),
            ("camera.add", "registered camera Gate 1 (AA:BB:CC:00:11:22)"),
        ]
    );
}
contract!(cameras_are_registered_edited_and_deleted_with_their_rules);

fn a_refused_camera_write_leaves_nothing(s: &mut Subject) {
    let before = audit_len(s);
    let all = s
        .store
        .camera_page(&CameraQuery::default(), 0, 1000)
        .unwrap();
    let (a, b) = (&all[0], &all[1]);
    let mut taken = b.spec();
    taken.mac = a.mac.clone();
    assert!(
        s.store
            .update_camera(b.id, b.version, &taken, &op())
            .is_err()
    );
    let linked = all.iter().find(|r| r.customer.is_some()).expect("linked");
    let err = s
        .store
        .delete_camera(linked.id, linked.version, false, &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Camera {} is linked to {}: unlink it first",
            linked.name,
            linked.customer.clone().unwrap_or_default()
        )
    );
    assert_eq!(audit_len(s), before);
    assert_eq!(
        s.store
            .camera_page(&CameraQuery::default(), 0, 1000)
            .unwrap(),
        all
    );

    // Deleting it with the unlink: the customer's stored count follows.
    let customer = linked.customer_id.expect("linked");
    let count = camera_count_of(s, customer);
    s.store
        .delete_camera(linked.id, linked.version, true, &op())
        .unwrap();
    assert_eq!(camera_count_of(s, customer), count - 1);
    let (action, who, summary) = last_audit(s, 1).remove(0);
    assert_eq!((action.as_str(), who), ("camera.delete", Some(customer)));
    assert!(summary.ends_with(&format!(
        ", unlinked from {} first",
        linked.customer.clone().unwrap_or_default()
    )));
}
contract!(a_refused_camera_write_leaves_nothing, demo);

/// The demo with its customer of the lowest id disabled (as SQL: the rule under test here is
/// what linking and recording do for a disabled customer, not how it is disabled).
fn demo_with_disabled(store: &mut Store) {
    demo(store);
    support::fixture::sql(
        store,
        "UPDATE customers SET status = 'disabled' WHERE id = (SELECT min(id) FROM customers)",
    );
}

struct Scene {
    stock: Vec<CameraRow>,
    /// Two active customers with cameras, and the disabled one.
    x: Id,
    y: Id,
    disabled: Id,
}

fn scene(s: &Subject) -> Scene {
    let all = s
        .store
        .camera_page(&CameraQuery::default(), 0, 1000)
        .unwrap();
    let stock: Vec<CameraRow> = all
        .iter()
        .filter(|r| r.customer.is_none())
        .cloned()
        .collect();
    let disabled = int(s, "SELECT min(id) FROM customers");
    let mut linked: Vec<Id> = all
        .iter()
        .filter_map(|r| r.customer_id)
        .filter(|c| *c != disabled)
        .collect();
    linked.sort_unstable();
    linked.dedup();
    assert!(stock.len() >= 4 && linked.len() >= 2, "the demo's shape");
    Scene {
        stock,
        x: linked[0],
        y: linked[1],
        disabled,
    }
}

fn a_link_is_all_or_nothing_and_the_loser_is_told_which_camera(s: &mut Subject) {
    let sc = scene(s);
    let (a, b) = (&sc.stock[0], &sc.stock[1]);
    let (x_count, y_count) = (camera_count_of(s, sc.x), camera_count_of(s, sc.y));
    let x_name = s.store.cameras_of(sc.x).unwrap()[0]
        .customer_name
        .clone()
        .unwrap();
    // Another operator takes camera a for X; our link of a and b for Y is refused whole.
    let mut other = s.other();
    assert_eq!(other.link_cameras(sc.x, &[a.id, a.id], &op()).unwrap(), 1);
    let before = audit_len(s);
    let err = s
        .store
        .link_cameras(sc.y, &[b.id, a.id], &op())
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "Camera {} was just linked to {x_name} by another operator",
            a.name
        )
    );
    assert_eq!(audit_len(s), before);
    assert_eq!(s.store.camera(b.id).unwrap().unwrap().customer_id, None);
    assert_eq!(camera_count_of(s, sc.x), x_count + 1);
    assert_eq!(camera_count_of(s, sc.y), y_count);

    // b links alone, records on the customer's plan.
    assert_eq!(s.store.link_cameras(sc.y, &[b.id], &op()).unwrap(), 1);
    let linked = s.store.camera(b.id).unwrap().unwrap();
    assert_eq!(
        (linked.customer_id, linked.recording, linked.plan_id),
        (Some(sc.y), true, None)
    );
    assert_eq!(camera_count_of(s, sc.y), y_count + 1);
    let (action, who, summary) = last_audit(s, 1).remove(0);
    assert_eq!((action.as_str(), who), ("camera.link", Some(sc.y)));
    assert_eq!(summary, format!("linked 1 camera: {} (recording)", b.name));

    // To a disabled customer: linked, recording once it is enabled.
    let c = &sc.stock[2];
    s.store.link_cameras(sc.disabled, &[c.id], &op()).unwrap();
    assert!(!s.store.camera(c.id).unwrap().unwrap().recording);
    let (_, _, summary) = last_audit(s, 1).remove(0);
    assert!(
        summary.ends_with("(recording once the customer is enabled)"),
        "{summary}"
    );
    let err = s
        .store
        .link_cameras(999_999, &[sc.stock[3].id], &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "customer #999999 no longer exists: another operator deleted it"
    );
    let err = s.store.link_cameras(sc.x, &[999_999], &op()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Camera #999999 was just deleted by another operator"
    );
}
contract!(
    a_link_is_all_or_nothing_and_the_loser_is_told_which_camera,
    demo_with_disabled
);

fn unlinking_returns_only_the_customers_cameras_and_roles_lose_them(s: &mut Subject) {
    let sc = scene(s);
    let mine = s.store.cameras_of(sc.x).unwrap();
    let theirs = s.store.cameras_of(sc.y).unwrap();
    let count = camera_count_of(s, sc.x);
    let ids = [mine[0].id, theirs[0].id, 999_999, mine[0].id];
    assert_eq!(s.store.unlink_cameras(sc.x, &ids, &op()).unwrap(), 1);
    let back = s.store.camera(mine[0].id).unwrap().unwrap();
    assert_eq!(
        (back.customer_id, back.recording, back.plan_id),
        (None, false, None)
    );
    assert_eq!(camera_count_of(s, sc.x), count - 1);
    assert_eq!(
        s.store.camera(theirs[0].id).unwrap().unwrap().customer_id,
        Some(sc.y)
    );
    for role in s.store.roles_of(sc.x).unwrap() {
        assert!(!role.camera_ids.contains(&mine[0].id), "{}", role.name);
    }
    let (action, who, summary) = last_audit(s, 1).remove(0);
    assert_eq!((action.as_str(), who), ("camera.unlink", Some(sc.x)));
    assert_eq!(summary, format!("unlinked 1 camera: {}", mine[0].spec.name));
    // Nothing of this customer's: nothing written.
    let before = audit_len(s);
    assert_eq!(
        s.store
            .unlink_cameras(sc.x, &[theirs[0].id], &op())
            .unwrap(),
        0
    );
    assert_eq!(audit_len(s), before);
}
contract!(
    unlinking_returns_only_the_customers_cameras_and_roles_lose_them,
    demo_with_disabled
);

fn a_cameras_own_plan_is_set_at_its_version(s: &mut Subject) {
    let sc = scene(s);
    let camera = s.store.cameras_of(sc.x).unwrap().remove(0);
    let plan = s
        .store
        .add_plan(
            &PlanSpec {
                name: "Own 60".into(),
                ..PlanSpec::default()
            },
            &op(),
        )
        .unwrap();
    let name = &camera.spec.name;
    s.store
        .set_camera_plan(camera.id, camera.version, Some(plan), &op())
        .unwrap();
    let row = s.store.camera_row(camera.id).unwrap().unwrap();
    assert_eq!(
        (row.plan.as_deref(), row.plan_inherited),
        (Some("Own 60"), false)
    );
    let (action, _, summary) = last_audit(s, 1).remove(0);
    assert_eq!(action, "camera.plan");
    assert_eq!(summary, format!("camera {name}: recording plan Own 60"));
    let err = s
        .store
        .set_camera_plan(camera.id, camera.version, None, &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Camera {name} was changed by another operator; look at it again")
    );
    let err = s
        .store
        .set_camera_plan(camera.id, camera.version + 1, Some(999_999), &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "plan #999999 no longer exists: another operator deleted it"
    );
    s.store
        .set_camera_plan(camera.id, camera.version + 1, None, &op())
        .unwrap();
    let (_, _, summary) = last_audit(s, 1).remove(0);
    assert_eq!(
        summary,
        format!("camera {name}: follows the customer's recording plan")
    );
    assert_eq!(s.store.camera(camera.id).unwrap().unwrap().plan_id, None);
}
contract!(a_cameras_own_plan_is_set_at_its_version, demo_with_disabled);

fn recording_starts_and_stops_per_customer_with_its_refusals(s: &mut Subject) {
    let sc = scene(s);
    let xs = s.store.cameras_of(sc.x).unwrap();
    let ys = s.store.cameras_of(sc.y).unwrap();
    let on: Vec<Id> = xs
        .iter()
        .chain(&ys)
        .filter(|c| c.recording)
        .map(|c| c.id)
        .collect();
    let before = audit_len(s);
    // Stopping the cameras of two customers: one entry each.
    let ids = [xs[0].id, ys[0].id, xs[0].id];
    let want = ids[..2].iter().filter(|id| on.contains(id)).count();
    assert_eq!(s.store.set_recording(&ids, false, &op()).unwrap(), want);
    assert!(!s.store.camera(xs[0].id).unwrap().unwrap().recording);
    assert_eq!(audit_len(s), before + want);
    // Again: nothing changes.
    assert_eq!(s.store.set_recording(&ids, false, &op()).unwrap(), 0);
    assert_eq!(s.store.set_recording(&ids, true, &op()).unwrap(), 2);
    let (action, who, summary) = last_audit(s, 1).remove(0);
    assert_eq!((action.as_str(), who), ("camera.recording", Some(sc.y)));
    assert_eq!(
        summary,
        format!("started recording 1 camera: {}", ys[0].spec.name)
    );

    let before = audit_len(s);
    let err = s
        .store
        .set_recording(&[xs[0].id, sc.stock[0].id], false, &op())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Camera {} is in the inventory: only a customer's camera records; link it first (L)",
            sc.stock[0].name
        )
    );
    assert!(
        s.store.camera(xs[0].id).unwrap().unwrap().recording,
        "nothing written"
    );
    let off = s.store.cameras_of(sc.disabled).unwrap();
    if let Some(camera) = off.iter().find(|c| !c.recording) {
        let err = s
            .store
            .set_recording(&[camera.id], true, &op())
            .unwrap_err();
        assert!(
            err.to_string()
                .ends_with(" is disabled: its cameras record again when it is enabled"),
            "{err}"
        );
    }
    let err = s.store.set_recording(&[999_999], true, &op()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Camera #999999 was just deleted by another operator"
    );
    assert_eq!(audit_len(s), before);
}
contract!(
    recording_starts_and_stops_per_customer_with_its_refusals,
    demo_with_disabled
);

fn two_operators_racing_for_a_camera_one_wins_and_the_other_is_told(s: &mut Subject) {
    let sc = scene(s);
    let camera = sc.stock[0].clone();
    let x_name = s.store.cameras_of(sc.x).unwrap()[0]
        .customer_name
        .clone()
        .unwrap();
    let y_name = s.store.cameras_of(sc.y).unwrap()[0]
        .customer_name
        .clone()
        .unwrap();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let racers: Vec<_> = [sc.x, sc.y]
        .into_iter()
        .map(|customer| {
            let mut store = s.other();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                store.link_cameras(customer, &[camera.id], &op())
            })
        })
        .collect();
    let results: Vec<_> = racers
        .into_iter()
        .map(|t| t.join().expect("racer"))
        .collect();
    let won: Vec<bool> = results.iter().map(|r| r.is_ok()).collect();
    assert_eq!(won.iter().filter(|w| **w).count(), 1, "{results:?}");
    let (winner, loser) = if won[0] {
        (x_name, &results[1])
    } else {
        (y_name, &results[0])
    };
    let err = loser.as_ref().expect_err("the loser");
    assert_eq!(
        err.to_string(),
        format!(
            "Camera {} was just linked to {winner} by another operator",
            camera.name
        )
    );
    let linked = s.store.camera(camera.id).unwrap().unwrap();
    assert_eq!(linked.customer_name.as_deref(), Some(winner.as_str()));
}
contract!(
    two_operators_racing_for_a_camera_one_wins_and_the_other_is_told,
    demo_with_disabled
);
