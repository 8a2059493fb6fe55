//! The contract suite, the camera inventory: the Cameras table (pages, windows, counts, search,
//! orders), the catalog's camera reads, the camera writes (register, edit, delete) and linking
//! (link, unlink, own plan, recording), with their refusals, stale-edit conflicts and audit
//! entries. Every test runs on SQLite and on PostgreSQL (`support::contract`).
//!
//! The reads are compared with the SQLite store the PostgreSQL subject was copied from (the
//! `twin`): the same rows in the same order. On the SQLite run the twin is a second connection
//! to the same file, so the comparison holds trivially there and the other asserts carry it.

mod support;

use admin_portal::domain::Id;
use admin_portal::store::inventory::{CameraQuery, CameraRow, CameraSort};
use admin_portal::store::{OpenMode, Store};
use support::contract::Subject;
use support::db::RawConn;

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
    last_audit(s, 1_000_000).len()
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

fn the_audit_log_is_readable(s: &mut Subject) {
    assert_eq!(audit_len(s), last_audit(s, 1_000_000).len());
}
contract!(the_audit_log_is_readable, demo);
