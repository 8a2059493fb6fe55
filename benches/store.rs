//! Store paths on the big store (100,000 customers, 1,000,000 cameras): the first page, the
//! count, a filter typed character by character, the wizard's commit, a delete with its archive,
//! and a restore.
//!
//! `cargo bench --bench store`. The store is filled once per run in a temporary folder (~12 s);
//! set `ADMIN_PORTAL_BENCH_DB=/path/big.db` (made with `admin-portal --db /path/big.db demo
//! --customers 100000 --cameras 1000000`) to start from a copy of that file instead. The copy is
//! what the write benchmarks change; the file named is never written.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use admin_portal::domain::{
    CameraSpec, Contact, CustomerProfile, NewCustomer, NewUser, Operator, Permissions, Role,
    RoleType,
};
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::inventory::{CameraQuery, CameraSort};
use admin_portal::store::{CustomerQuery, OpenMode, SortKey, Store};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const CUSTOMERS: u64 = 100_000;
const CAMERAS: u64 = 1_000_000;

/// A dummy PHC string: hashing (Argon2id, ~0.1 s a user) is measured apart, not here.
const HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$0123456789abcdefghijklmnopqrstuvwxyzABCDE";

/// Makes the keys (names, e-mails, MACs, serials) of every customer the benchmarks create unique.
static NEXT: AtomicU64 = AtomicU64::new(1);

fn big_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    // A PostgreSQL store (issue 10) is benchmarked where it is: a throwaway database filled by
    // `db migrate-to` from the sizing store (the commits add customers to it). Its password
    // comes from PGPASSWORD or ~/.pgpass.
    if let Some(url) = std::env::var_os("ADMIN_PORTAL_BENCH_PG") {
        let path = PathBuf::from(url);
        drop(Store::open(&path, OpenMode::Existing).expect("open ADMIN_PORTAL_BENCH_PG"));
        eprintln!("bench store: {}", path.display());
        return (dir, path);
    }
    let path = dir.path().join("big.db");
    match std::env::var_os("ADMIN_PORTAL_BENCH_DB") {
        Some(source) => {
            let source = PathBuf::from(source);
            // Opened (migrated) through the store, then checkpointed on a connection of its
            // own so that the copy of the main file is the whole store.
            drop(Store::open(&source, OpenMode::Existing).expect("open ADMIN_PORTAL_BENCH_DB"));
            rusqlite::Connection::open(&source)
                .and_then(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)"))
                .expect("checkpoint ADMIN_PORTAL_BENCH_DB");
            std::fs::copy(&source, &path).expect("copy ADMIN_PORTAL_BENCH_DB");
            eprintln!("bench store: copy of {}", source.display());
        }
        None => {
            let mut store = Store::open(&path, OpenMode::Create).expect("create the bench store");
            let report = store
                .fill_demo(
                    &DemoSpec {
                        customers: CUSTOMERS,
                        cameras: CAMERAS,
                        seed: 1,
                    },
                    &mut |_| {},
                )
                .expect("fill the bench store");
            eprintln!("bench store: {}", report.summary());
        }
    }
    // Opening migrates a copy of an older store (the search index: ~3 s, once).
    Store::open(&path, OpenMode::Existing).expect("open the bench store");
    (dir, path)
}

fn operator() -> Operator {
    Operator {
        login: "bench".into(),
        client: None,
    }
}

/// A customer as the wizard commits it: `cameras` registered on the spot, Owner, Admin and
/// `roles - 2` custom roles (half of them on a subset of the cameras), `users` users.
fn new_customer(cameras: usize, roles: usize, users: usize) -> NewCustomer {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let profile = CustomerProfile {
        contact: Contact {
            company: format!("Bench Customer {n}"),
            first_name: "Bench".into(),
            last_name: "Mark".into(),
            email: format!("owner{n}@bench.example"),
            phone: "+1 555 0100".into(),
            ..Contact::default()
        },
        ..CustomerProfile::default()
    };
    let new_cameras = (0..cameras)
        .map(|i| {
            let mac = (n << 16) | i as u64;
            CameraSpec {
                name: format!("Bench cam {i}"),
                // 02: a locally administered prefix no vendor (and no demo camera) uses.
                mac: format!(
                    "02:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
                    (mac >> 32) & 0xff,
                    (mac >> 24) & 0xff,
                    (mac >> 16) & 0xff,
                    (mac >> 8) & 0xff,
                    mac & 0xff
                ),
                serial: format!("BENCH-{n}-{i}"),
                model: "Bench".into(),
                location: "Lab".into(),
            }
        })
        .collect();
    let mut all_roles = vec![Role::owner(), Role::admin()];
    for r in 2..roles {
        let mut role = Role::admin();
        role.system = None;
        role.name = format!("Role {r}");
        role.role_type = if r % 2 == 0 {
            RoleType::Admin
        } else {
            RoleType::Guard
        };
        role.permissions = Permissions::ALL;
        if r % 2 == 1 {
            role.all_cameras = false;
            role.new_camera_refs = (0..cameras).step_by(2).collect();
        }
        all_roles.push(role);
    }
    let users = (0..users)
        .map(|u| NewUser {
            first_name: format!("User{u}"),
            last_name: "Bench".into(),
            email: format!("u{u}.{n}@bench.example"),
            // The first holds Owner; the others one role each, cycling through the Admin-type ones.
            roles: vec![if u == 0 {
                0
            } else {
                [1, 2, 4, 6, 8][u % 5] % roles
            }],
        })
        .collect();
    NewCustomer {
        profile,
        camera_ids: vec![],
        new_cameras,
        roles: all_roles,
        users,
    }
}

fn hashes(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{HASH}{i}")).collect()
}

fn open(path: &Path) -> Store {
    Store::open(path, OpenMode::Existing).expect("open the bench store")
}

fn reads(c: &mut Criterion, path: &Path) {
    let store = open(path);
    let all = CustomerQuery::default();
    let total = store.customer_count(&all).expect("count");
    let mut g = c.benchmark_group("list");
    g.bench_function("count all", |b| {
        b.iter(|| black_box(store.customer_count(&all).unwrap()))
    });
    // The screen reads the visible rows and 50 either side: 160 rows for a 60-line window.
    for (name, offset) in [
        ("first page", 0),
        ("page at 25%", total / 4),
        ("page at 50% (deepest OFFSET)", total / 2),
        ("last page (G)", total - 60),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    store
                        .customer_page_of(&all, (offset - 50).max(0), 160, Some(total))
                        .unwrap(),
                )
            })
        });
    }
    for sort in [
        SortKey::Contact,
        SortKey::Created,
        SortKey::Cameras,
        SortKey::Users,
    ] {
        let q = CustomerQuery {
            filter: String::new(),
            sort,
            descending: false,
        };
        g.bench_function(format!("first page by {}", sort.label()), |b| {
            b.iter(|| black_box(store.customer_page_of(&q, 0, 160, Some(total)).unwrap()))
        });
    }
    g.finish();

    // What one typed character costs the screen: the count of the new text and its first page.
    let mut g = c.benchmark_group("filter");
    let mut seen = std::collections::HashSet::new();
    for text in [
        "mar", "martin", "son", "gmail", ".com", "zzq", "x", "qz", "e",
    ] {
        for len in 1..=text.chars().count() {
            let prefix: String = text.chars().take(len).collect();
            // "mar" and "martin" share their first three prefixes; criterion wants unique ids.
            if !seen.insert(prefix.clone()) {
                continue;
            }
            let q = CustomerQuery {
                filter: prefix.clone(),
                sort: SortKey::Name,
                descending: false,
            };
            g.bench_function(format!("{prefix:?}"), |b| {
                b.iter(|| {
                    let n = store.customer_count(&q).unwrap();
                    black_box(store.customer_page_of(&q, 0, 160, Some(n)).unwrap())
                })
            });
        }
    }
    g.finish();

    // The Cameras tab on 1,000,000 cameras: a filter typed character by character (count and
    // first window), and the first window of each order.
    let mut g = c.benchmark_group("cameras");
    for text in ["a", "ax", "axis", "floor", "AC:CC:8E", "zzq"] {
        let q = CameraQuery {
            filter: text.into(),
            sort: CameraSort::Name,
            ..CameraQuery::default()
        };
        g.bench_function(format!("filter {text:?}"), |b| {
            b.iter(|| {
                black_box(store.camera_count(&q).unwrap());
                black_box(store.camera_page(&q, 0, 160).unwrap())
            })
        });
    }
    for sort in CameraSort::ALL {
        let q = CameraQuery {
            filter: String::new(),
            sort,
            ..CameraQuery::default()
        };
        g.bench_function(format!("first window by {}", sort.label()), |b| {
            b.iter(|| black_box(store.camera_page(&q, 0, 160).unwrap()))
        });
    }
    g.finish();
}

fn writes(c: &mut Criterion, path: &Path) {
    let mut g = c.benchmark_group("write");
    // Each sample of a delete or restore first builds the customer (untimed, ~0.2 s): few samples.
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    let op = operator();
    let mut store = open(path);

    let user_hashes = hashes(50);
    g.bench_function("wizard commit: 200 cameras, 10 roles, 50 users", |b| {
        b.iter_batched(
            || new_customer(200, 10, 50),
            |new| store.create_customer(&new, &user_hashes, &op).unwrap(),
            BatchSize::PerIteration,
        )
    });

    // Setup and routine both need the store: lend it to one at a time.
    let store = std::cell::RefCell::new(store);
    let big_hashes = hashes(500);
    let make_big = || {
        let mut store = store.borrow_mut();
        let new = new_customer(5_000, 10, 500);
        let id = store.create_customer(&new, &big_hashes, &op).unwrap().id;
        let version = store.customer(id).unwrap().unwrap().version;
        (id, version)
    };
    g.bench_function("delete: 5,000 cameras, 500 users, archive included", |b| {
        b.iter_batched(
            make_big,
            |(id, version)| {
                store
                    .borrow_mut()
                    .delete_customer(id, version, &op)
                    .unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("restore: 5,000 cameras, 500 users", |b| {
        b.iter_batched(
            || {
                let (id, version) = make_big();
                let mut store = store.borrow_mut();
                store.delete_customer(id, version, &op).unwrap().archive_id
            },
            |archive| store.borrow_mut().restore_customer(archive, &op).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let (_dir, path) = big_store();
    reads(c, &path);
    writes(c, &path);
}

criterion_group! {
    name = store;
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = benches
}
criterion_main!(store);
