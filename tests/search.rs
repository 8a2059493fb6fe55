//! The Customers filter through the FTS5 trigram index (migration V2): the same rows as the plain
//! `LIKE '%text%'` scan it replaces, for any text, kept in step by every write, and paged the same
//! forwards and backwards.

mod support;

use std::path::Path;

use admin_portal::store::customers::fts_phrase;
use admin_portal::store::migrations::{LATEST, MIGRATIONS};
use admin_portal::store::{CustomerQuery, OpenMode, SortKey, Store};
use proptest::prelude::*;
use rusqlite::{Connection, params};
use support::db::RawConn;

/// One searched field per column: name, contact first, contact last, email, phone, city, reference.
type Fields = [String; 7];

fn create(path: &Path) -> Store {
    Store::open(path, OpenMode::Create).unwrap()
}

fn insert(store: &mut Store, rows: &[Fields]) {
    store
        .write(|tx| {
            for (i, f) in rows.iter().enumerate() {
                tx.execute(
                    "INSERT INTO customers (kind, name, contact_first, contact_last, email, phone,
                        city, reference, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '2026-01-01T00:00:00Z', ?9)",
                    params![
                        if i % 7 == 0 { "integrator" } else { "customer" },
                        f[0],
                        f[1],
                        f[2],
                        f[3],
                        f[4],
                        f[5],
                        f[6],
                        format!("2026-01-{:02}T00:00:00Z", 1 + i % 28)
                    ],
                )?;
            }
            Ok(())
        })
        .unwrap();
}

/// The ids the old way finds: a `LIKE` scan of the six columns, run directly as SQL.
fn like_ids(store: &Store, text: &str) -> Vec<i64> {
    let pattern = format!(
        "%{}%",
        text.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let conn = store.raw_conn();
    let mut stmt = conn
        .prepare(
            "SELECT id FROM customers WHERE name LIKE ?1 ESCAPE '\\'
                OR contact_first || ' ' || contact_last LIKE ?1 ESCAPE '\\'
                OR email LIKE ?1 ESCAPE '\\' OR phone LIKE ?1 ESCAPE '\\'
                OR city LIKE ?1 ESCAPE '\\' OR reference LIKE ?1 ESCAPE '\\'
             ORDER BY id",
        )
        .unwrap();
    stmt.query_map([pattern], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The ids the store's filter finds (count and page must agree).
fn filter_ids(store: &Store, text: &str) -> Vec<i64> {
    let q = CustomerQuery {
        filter: text.into(),
        sort: SortKey::Name,
        descending: false,
    };
    let page = store.customer_page(&q, 0, 100_000).unwrap();
    assert_eq!(
        store.customer_count(&q).unwrap(),
        page.len() as i64,
        "{text:?}"
    );
    let mut ids: Vec<i64> = page.into_iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids
}

fn fts_rows(store: &Store) -> i64 {
    store
        .raw_conn()
        .query_row("SELECT count(*) FROM customers_fts", [], |r| r.get(0))
        .unwrap()
}

/// Letters of both cases, digits, spaces, the `LIKE` and FTS5 syntax characters, and a few
/// characters outside ASCII that have no other case (the trigram tokenizer folds Unicode case,
/// `LIKE` only ASCII: "É" would match "é" in the index but not in `LIKE`).
const ALPHABET: &[char] = &[
    'a', 'b', 'c', 'A', 'B', 'C', 'x', 'Y', '0', '1', ' ', ' ', '%', '_', '"', '*', '-', ':', '(',
    '\\', '@', '.', 'é', 'ø', '東',
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..max)
        .prop_map(|chars| chars.into_iter().collect())
}

fn fields() -> impl Strategy<Value = Fields> {
    [
        text(14),
        text(6),
        text(6),
        text(10),
        text(8),
        text(6),
        text(5),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// For random substrings of stored texts (in a random case), the index finds exactly the rows
    /// the `LIKE` scan finds.
    #[test]
    fn the_index_finds_what_like_finds(
        rows in prop::collection::vec(fields(), 1..40),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0usize..7, 0usize..16, 1usize..9, any::<bool>()), 12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = create(&dir.path().join("portal.db"));
        // Names are unique (case-insensitively): number them.
        let rows: Vec<Fields> = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut f)| {
                f[0] = format!("{}#{i}", f[0]);
                f
            })
            .collect();
        insert(&mut store, &rows);
        for (row, column, start, len, upper) in picks {
            let f = &rows[row.index(rows.len())];
            // The contact is searched as "first last".
            let source = if column == 1 || column == 2 {
                format!("{} {}", f[1], f[2])
            } else {
                f[column].clone()
            };
            let chars: Vec<char> = source.chars().collect();
            let start = start.min(chars.len());
            let end = (start + len).min(chars.len());
            let mut needle: String = chars[start..end].iter().collect();
            if upper {
                needle = needle.to_ascii_uppercase();
            }
            prop_assert_eq!(filter_ids(&store, &needle), like_ids(&store, &needle), "filter {:?}", needle);
        }
    }

    /// Any text at all, found or not, with quotes and FTS5 operators: never an error, same rows.
    #[test]
    fn any_typed_text_is_literal(rows in prop::collection::vec(fields(), 1..20), needle in text(12)) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = create(&dir.path().join("portal.db"));
        let rows: Vec<Fields> = rows
            .into_iter()
            .enumerate()
            .map(|(i, mut f)| {
                f[0] = format!("n{i}{}", f[0]);
                f
            })
            .collect();
        insert(&mut store, &rows);
        prop_assert_eq!(filter_ids(&store, &needle), like_ids(&store, &needle), "filter {:?}", needle);
    }
}

fn row(name: &str, first: &str, last: &str, email: &str, city: &str) -> Fields {
    [
        name.into(),
        first.into(),
        last.into(),
        email.into(),
        "+1 555 0100".into(),
        city.into(),
        String::new(),
    ]
}

#[test]
fn fts_syntax_in_the_filter_is_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = create(&dir.path().join("portal.db"));
    insert(
        &mut store,
        &[
            row(
                "Say \"Cheese\" Studio",
                "Ann",
                "Lee",
                "a@say.example",
                "Oslo",
            ),
            row("AND OR NOT", "Bob", "Ray", "b@and.example", "Rome"),
            row("Star*Works", "Cy", "Moe", "c@star.example", "Lima"),
            row("col:on (one)", "Di", "Fox", "d@col.example", "Kiev"),
        ],
    );
    for (filter, expected) in [
        ("\"Cheese\"", 1),
        ("say \"", 1),
        ("\"\"\"", 0),
        ("AND", 1), // "AND OR NOT" (and its e-mail b@and.example)
        ("OR NOT", 1),
        ("r*W", 1),
        ("*Works", 1),
        ("l:on (", 1),
        ("(one)", 1),
        ("-x-", 0),
        ("NEAR(a b)", 0),
    ] {
        let ids = filter_ids(&store, filter);
        assert_eq!(ids.len(), expected, "{filter:?}");
        assert_eq!(ids, like_ids(&store, filter), "{filter:?}");
    }
    assert_eq!(fts_phrase("a\"b"), "\"a\"\"b\"");
}

#[test]
fn the_index_follows_inserts_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = create(&dir.path().join("portal.db"));
    insert(
        &mut store,
        &[
            row(
                "Harbor Freight Lines",
                "Ivy",
                "Stone",
                "ivy@harbor.example",
                "Duluth",
            ),
            row("Quarry Works", "Jon", "Pike", "jon@quarry.example", "Boise"),
        ],
    );
    assert_eq!(filter_ids(&store, "harbor").len(), 1);
    assert_eq!(fts_rows(&store), 2);

    // A rename and a new contact: the old texts are gone from the index, the new ones found.
    store
        .write(|tx| {
            tx.execute(
                "UPDATE customers SET name = 'Lakeside Freight', contact_last = 'Marsh'
                 WHERE name = 'Harbor Freight Lines'",
                [],
            )?;
            // Columns the filter does not search leave the index alone.
            tx.execute(
                "UPDATE customers SET status = 'disabled', version = version + 1",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(filter_ids(&store, "Harbor Freight"), Vec::<i64>::new());
    assert_eq!(filter_ids(&store, "lakeside").len(), 1);
    assert_eq!(filter_ids(&store, "ivy marsh").len(), 1);
    assert!(filter_ids(&store, "ivy stone").is_empty());
    assert_eq!(
        filter_ids(&store, "harbor").len(),
        1,
        "the e-mail still says harbor"
    );

    store
        .write(|tx| {
            tx.execute("DELETE FROM customers WHERE name = 'Quarry Works'", [])?;
            Ok(())
        })
        .unwrap();
    assert!(filter_ids(&store, "quarry").is_empty());
    assert_eq!(fts_rows(&store), 1);
    // FTS5's own check compares the index with the content it is built from.
    store
        .raw_conn()
        .execute(
            "INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
}

#[test]
fn upgrading_a_version_1_store_indexes_the_customers_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("portal.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO customers (kind, name, contact_first, contact_last, email, city,
                created_at, updated_at)
             VALUES ('customer', 'Old Mill Bakery', 'Kim', 'Ro', 'kim@mill.example', 'Bath',
                '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path, OpenMode::Existing).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST);
    assert_eq!(filter_ids(&store, "mill").len(), 1);
    assert_eq!(filter_ids(&store, "kim ro").len(), 1);
    assert_eq!(fts_rows(&store), 1);
}

#[test]
fn pages_read_backwards_near_the_end_equal_pages_read_forwards() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = create(&dir.path().join("portal.db"));
    let rows: Vec<Fields> = (0..57)
        .map(|i| {
            row(
                &format!("Company {:03} {}", (i * 37) % 57, ["Alpha", "beta"][i % 2]),
                ["Ann", "bob", "Cid"][i % 3],
                ["Zed", "yves", "Xu"][i % 3],
                &format!("c{i}@example.com"),
                ["Oslo", "bergen", "Oslo"][i % 3],
            )
        })
        .collect();
    insert(&mut store, &rows);
    for filter in ["", "a", "beta", "oslo", "nothing"] {
        for (sort, descending) in SortKey::ALL
            .into_iter()
            .flat_map(|sort| [(sort, false), (sort, true)])
        {
            let q = CustomerQuery {
                filter: filter.into(),
                sort,
                descending,
            };
            let total = store.customer_count(&q).unwrap();
            let all: Vec<i64> = store
                .customer_page(&q, 0, 1_000)
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect();
            assert_eq!(all.len() as i64, total);
            for (offset, limit) in [(0, 10), (20, 10), (40, 30), (50, 7), (56, 5), (60, 3)] {
                let page: Vec<i64> = store
                    .customer_page_of(&q, offset, limit, Some(total))
                    .unwrap()
                    .into_iter()
                    .map(|r| r.id)
                    .collect();
                let lo = (offset as usize).min(all.len());
                let hi = ((offset + limit) as usize).min(all.len());
                assert_eq!(
                    page,
                    all[lo..hi],
                    "{filter:?} {sort:?} {descending} {offset}+{limit}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The Cameras filter (migration V3) and the capped counts

fn insert_cameras(store: &mut Store, n: usize) {
    store
        .write(|tx| {
            for i in 0..n {
                // Every third camera linked to one of the customers; names repeat so the
                // orders need their tie-breakers.
                let customer: Option<i64> = if i % 3 == 0 {
                    tx.query_row(
                        "SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET ?1",
                        [((i / 3) % 5) as i64],
                        |r| r.get(0),
                    )
                    .ok()
                } else {
                    None
                };
                tx.execute(
                    "INSERT INTO cameras (name, mac, serial, model, location, customer_id,
                        created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, '2026-01-01T00:00:00Z',
                        '2026-01-01T00:00:00Z')",
                    params![
                        ["Lobby", "Dock 50%", "Gate_1", "Yard"][i % 4],
                        format!("AC:CC:8E:00:{:02X}:{:02X}", i / 256, i % 256),
                        format!("SN{i:05}x"),
                        ["Axis M3106", "Hanwha QNV", "Bosch Flexidome"][i % 3],
                        ["Building A", "Roof", "Ground floor"][i % 3],
                        customer
                    ],
                )?;
            }
            Ok(())
        })
        .unwrap();
}

fn camera_like_ids(store: &Store, text: &str) -> Vec<i64> {
    let pattern = format!(
        "%{}%",
        text.trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let conn = store.raw_conn();
    let mut stmt = conn
        .prepare(
            "SELECT k.id FROM cameras k LEFT JOIN customers c ON c.id = k.customer_id
             WHERE k.name LIKE ?1 ESCAPE '\\' OR k.mac LIKE ?1 ESCAPE '\\'
                OR k.serial LIKE ?1 ESCAPE '\\' OR k.model LIKE ?1 ESCAPE '\\'
                OR k.location LIKE ?1 ESCAPE '\\' OR c.name LIKE ?1 ESCAPE '\\'
             ORDER BY k.id",
        )
        .unwrap();
    stmt.query_map([pattern], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn camera_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = create(&dir.path().join("portal.db"));
    let customers: Vec<Fields> = [
        "Roofing Partners",
        "Dockside Ltd",
        "Axis Bakery",
        "Yardley",
        "Acme",
    ]
    .iter()
    .map(|n| {
        [
            n.to_string(),
            "Kim".into(),
            "Ro".into(),
            "k@x.example".into(),
            "1".into(),
            "Bath".into(),
            String::new(),
        ]
    })
    .collect();
    insert(&mut store, &customers);
    insert_cameras(&mut store, 300);
    (dir, store)
}

#[test]
fn the_camera_filter_finds_what_like_finds_in_every_order() {
    use admin_portal::store::inventory::{CameraQuery, CameraSort};
    let (_dir, store) = camera_store();
    for text in [
        "",
        "a",
        "ro",
        "roo",
        "roof",
        "axis",
        "AC:CC:8E:00:01",
        "sn0001",
        "50%",
        "gate_",
        "dock",
        "bakery",
        "zzq",
        "yard",
        "floor",
    ] {
        let want = camera_like_ids(&store, text);
        for sort in CameraSort::ALL {
            let q = CameraQuery {
                filter: text.into(),
                sort,
                ..CameraQuery::default()
            };
            assert_eq!(
                store.camera_count(&q).unwrap(),
                want.len() as i64,
                "{text:?} {sort:?}"
            );
            let whole = store.camera_page(&q, 0, 1_000).unwrap();
            let mut ids: Vec<i64> = whole.iter().map(|r| r.id).collect();
            ids.sort_unstable();
            assert_eq!(ids, want, "{text:?} {sort:?}");
            // Paging in small windows (which may take the other way to read a window) gives
            // the same rows in the same order.
            let mut paged = Vec::new();
            while let Ok(page) = store.camera_page(&q, paged.len() as i64, 7) {
                if page.is_empty() {
                    break;
                }
                paged.extend(page);
            }
            assert_eq!(paged, whole, "{text:?} {sort:?}");
            let (n, more) = store.camera_count_capped(&q, 10).unwrap();
            assert_eq!(
                (n, more),
                ((want.len() as i64).min(10), want.len() >= 10),
                "{text:?}"
            );
        }
    }
}

#[test]
fn the_camera_index_follows_every_write() {
    let (_dir, mut store) = camera_store();
    let count = |store: &Store, text: &str| {
        store
            .camera_count(&admin_portal::store::inventory::CameraQuery {
                filter: text.into(),
                ..Default::default()
            })
            .unwrap()
    };
    assert_eq!(count(&store, "quarry"), 0);
    // Camera 3 is the third inserted: serial SN00002x.
    assert_eq!(count(&store, "SN00002x"), 1);
    store
        .write(|tx| {
            tx.execute("UPDATE cameras SET name = 'Quarry gate' WHERE id = 1", [])?;
            tx.execute("UPDATE cameras SET recording = 0 WHERE id = 2", [])?;
            tx.execute("DELETE FROM cameras WHERE id = 3", [])?;
            Ok(())
        })
        .unwrap();
    assert_eq!(count(&store, "quarry"), 1);
    assert_eq!(count(&store, "SN00002x"), 0);
    store
        .raw_conn()
        .execute(
            "INSERT INTO cameras_fts (cameras_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
}

#[test]
fn capped_customer_counts_stop_at_the_cap_and_are_exact_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = create(&dir.path().join("portal.db"));
    let rows: Vec<Fields> = (0..40)
        .map(|i| {
            [
                format!("Company {i}"),
                "Kim".into(),
                if i < 3 { "Zq".into() } else { "Ro".into() },
                format!("c{i}@x.example"),
                String::new(),
                "Bath".into(),
                String::new(),
            ]
        })
        .collect();
    insert(&mut store, &rows);
    for (text, cap, want) in [
        ("", 25, (25, true)),
        ("", 40, (40, true)),
        ("", 41, (40, false)),
        ("o", 25, (25, true)),
        ("zq", 25, (3, false)),
        ("zq", 3, (3, true)),
        ("company", 100, (40, false)),
        ("company 1", 5, (5, true)),
        ("qqq", 5, (0, false)),
    ] {
        let q = CustomerQuery {
            filter: text.into(),
            sort: SortKey::Name,
            descending: false,
        };
        assert_eq!(
            store.customer_count_capped(&q, cap).unwrap(),
            want,
            "{text:?} {cap}"
        );
    }
}

/// The filter also finds the customers of a sub-integrator by its name (issue 11), with one or
/// two characters (LIKE) and with three or more (the index), and the index follows a rename of
/// the sub-integrator and a move of its customer.
#[test]
fn the_filter_finds_a_sub_integrators_customers_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = create(&dir.path().join("portal.db"));
    let at = "'2026-01-01T00:00:00Z'";
    store
        .write(|tx| {
            tx.execute_batch(&format!(
                "INSERT INTO customers (kind, name, created_at, updated_at)
                     VALUES ('integrator', 'Northwind Qx', {at}, {at});
                 INSERT INTO customers (kind, name, parent_id, created_at, updated_at)
                     VALUES ('customer', 'Alpha Bakery', 1, {at}, {at});
                 INSERT INTO customers (kind, name, created_at, updated_at)
                     VALUES ('customer', 'Bravo Diner', {at}, {at});"
            ))?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        filter_ids(&store, "northwind"),
        [1, 2],
        "Northwind itself and its customer Alpha"
    );
    assert_eq!(
        filter_ids(&store, "Qx"),
        [1, 2],
        "two characters: the LIKE path"
    );
    assert_eq!(filter_ids(&store, "bravo"), [3]);
    store
        .write(|tx| {
            tx.execute(
                "UPDATE customers SET name = 'Southwind Zy' WHERE id = 1",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    assert!(
        filter_ids(&store, "northwind").is_empty(),
        "the old name is gone"
    );
    assert_eq!(filter_ids(&store, "southwind"), [1, 2]);
    assert_eq!(filter_ids(&store, "Zy"), [1, 2]);
    store
        .write(|tx| {
            tx.execute("UPDATE customers SET parent_id = NULL WHERE id = 2", [])?;
            Ok(())
        })
        .unwrap();
    assert_eq!(filter_ids(&store, "southwind"), [1], "moved away from it");
    store
        .raw_conn()
        .execute(
            "INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
}
