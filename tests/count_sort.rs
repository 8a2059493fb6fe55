//! The Customers list sorted by camera or user count: the counts are stored and kept by
//! triggers (migration 7), the order is read from their index, and it stays right when cameras
//! move.

mod support;

use admin_portal::domain::{CustomerRow, Operator};
use admin_portal::store::{CustomerQuery, OpenMode, SortKey, Store};
use support::fixture::TestStore;

fn operator() -> Operator {
    Operator {
        login: "alice".into(),
        client: None,
    }
}

/// The whole list in the order of `sort`, read in pages of 7.
fn paged(store: &Store, sort: SortKey, descending: bool) -> Vec<CustomerRow> {
    let q = CustomerQuery {
        sort,
        descending,
        ..CustomerQuery::default()
    };
    let mut rows = Vec::new();
    loop {
        let page = store.customer_page(&q, rows.len() as i64, 7).unwrap();
        if page.is_empty() {
            return rows;
        }
        rows.extend(page);
    }
}

fn assert_sorted(store: &Store) {
    for descending in [false, true] {
        let key = |r: &CustomerRow| (r.cameras, r.name.to_lowercase());
        let rows = paged(store, SortKey::Cameras, descending);
        let mut want: Vec<_> = rows.iter().map(key).collect();
        want.sort();
        if descending {
            want.reverse();
        }
        assert_eq!(rows.iter().map(key).collect::<Vec<_>>(), want);
        let key = |r: &CustomerRow| (r.users, r.name.to_lowercase());
        let rows = paged(store, SortKey::Users, descending);
        let mut want: Vec<_> = rows.iter().map(key).collect();
        want.sort();
        if descending {
            want.reverse();
        }
        assert_eq!(rows.iter().map(key).collect::<Vec<_>>(), want);
    }
}

#[test]
fn sorting_by_counts_reads_an_index_and_follows_links_and_unlinks() {
    let test = TestStore::demo(12, 60, 1);
    let mut store = Store::open(test.path(), OpenMode::Existing).unwrap();
    assert_sorted(&store);

    // Move cameras: the stored counts follow, and so does the order.
    let rows = paged(&store, SortKey::Cameras, true);
    let (most, least) = (&rows[0], &rows[rows.len() - 1]);
    let cameras = store.cameras_of(most.id).unwrap();
    let ids: Vec<_> = cameras.iter().map(|c| c.id).collect();
    store.unlink_cameras(most.id, &ids, &operator()).unwrap();
    store.link_cameras(least.id, &ids, &operator()).unwrap();
    assert_sorted(&store);
    let after = paged(&store, SortKey::Cameras, true);
    assert_eq!(after[0].id, least.id);

    // The order comes from the index of the stored count, not from counting and sorting.
    let conn = rusqlite::Connection::open(test.path()).unwrap();
    for (column, index) in [
        ("camera_count", "customers_camera_count"),
        ("user_count", "customers_user_count"),
    ] {
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT id FROM customers c
             ORDER BY c.{column} DESC, c.name COLLATE NOCASE DESC LIMIT 10"
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join("\n");
        assert!(plan.contains(index), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
