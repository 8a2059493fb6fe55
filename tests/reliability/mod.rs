//! Helpers shared by the reliability tests (`many_writers`, `crash`, `broken_stores`, `hostile`,
//! `fuzz_keys`): customers built in code, fake password hashes, worker processes that re-run the
//! test binary, and the whole-store checks every one of them ends with.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use admin_portal::domain::{
    Address, CameraSpec, Contact, CustomerProfile, NewCustomer, NewUser, Operator, Role,
};
use admin_portal::store::Store;

use crate::support::db::RawConn;

/// A well-formed Argon2id PHC string that hashes nothing: real hashing would take most of the
/// time of a stress run and proves nothing about the store.
pub const FAKE_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWg";

/// Long runs (README "Reliability") only when this variable is set to 1.
pub fn long_run() -> bool {
    std::env::var("ADMIN_PORTAL_LONG").is_ok_and(|v| v == "1")
}

pub fn operator(login: &str) -> Operator {
    Operator {
        login: login.into(),
        client: Some("192.0.2.10".into()),
    }
}

/// A MAC address unique for `n`.
pub fn mac(n: u64) -> String {
    let b = n.to_be_bytes();
    format!(
        "02:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
        b[3], b[4], b[5], b[6], b[7]
    )
}

/// Adds `count` unlinked cameras to the inventory (raw SQL, as an import would); MACs from
/// `first` on.
pub fn seed_inventory(store: &Store, first: u64, count: u64) {
    let conn = store.raw_conn();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    for n in first..first + count {
        conn.execute(
            "INSERT INTO cameras (name, mac, serial, model, location, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'AXIS M3106', 'Lobby', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
            rusqlite::params![format!("Cam {n}"), mac(n), format!("SN{n:010}")],
        )
        .unwrap();
    }
    conn.execute_batch("COMMIT").unwrap();
}

/// A customer with `new_cameras` cameras registered on the spot (MACs from `mac_base`), the
/// existing cameras `camera_ids`, the Owner and Admin roles, and `users` users (the first holds
/// Owner). E-mail addresses are `user{i}.{tag}@example.com`. Returns it with its fake hashes.
pub fn customer(
    name: &str,
    tag: &str,
    camera_ids: Vec<i64>,
    new_cameras: usize,
    mac_base: u64,
    users: usize,
) -> (NewCustomer, Vec<String>) {
    let profile = CustomerProfile {
        contact: Contact {
            company: name.into(),
            first_name: "Dana".into(),
            last_name: "Reyes".into(),
            email: format!("office.{tag}@example.com"),
            phone: "+1 555 010 4477".into(),
            address: Address {
                line1: "12 Harbor Street".into(),
                city: "Portland".into(),
                state: "OR".into(),
                postal_code: "97201".into(),
                country: "United States".into(),
                ..Address::default()
            },
            time_zone: "America/Los_Angeles".into(),
            ..Contact::default()
        },
        ..CustomerProfile::default()
    };
    let new_cameras = (0..new_cameras as u64)
        .map(|i| CameraSpec {
            name: format!("{tag} cam {i}"),
            mac: mac(mac_base + i),
            serial: format!("SN-{tag}-{i}"),
            model: "AXIS P3265".into(),
            location: "Gate".into(),
        })
        .collect();
    let users: Vec<NewUser> = (0..users)
        .map(|i| NewUser {
            first_name: format!("User{i}"),
            last_name: "Test".into(),
            email: format!("user{i}.{tag}@example.com"),
            roles: vec![if i == 0 { 0 } else { 1 }],
        })
        .collect();
    let hashes = vec![FAKE_HASH.to_string(); users.len()];
    (
        NewCustomer {
            profile,
            camera_ids,
            new_cameras,
            roles: vec![Role::owner(), Role::admin()],
            users,
        },
        hashes,
    )
}

/// A command that runs this test binary's `entry` test alone, as a worker process. The entry is
/// `#[ignore]`d, so a plain `cargo test` lists it as ignored instead of counting an empty pass;
/// `--ignored` runs it here, and it does its work only when `ADMIN_PORTAL_WORKER` is set (see
/// each test file).
pub fn worker(entry: &str) -> Command {
    // /proc/self/exe still runs this binary when a rebuild replaced the file meanwhile.
    let proc_exe = Path::new("/proc/self/exe");
    let exe = if proc_exe.exists() {
        proc_exe.to_path_buf()
    } else {
        std::env::current_exe().expect("the test binary")
    };
    let mut cmd = Command::new(exe);
    cmd.args([
        entry,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
        "--quiet",
    ]);
    cmd
}

pub fn count(store: &Store, sql: &str) -> i64 {
    store
        .raw_conn()
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Everything that must hold in any store at rest, as a list of problems (empty when whole):
/// SQLite's integrity and foreign-key checks, and each customer wholly present: its billing row,
/// its two system roles, users and cameras of existing customers only, an archive entry for
/// every deletion audited and for nothing else.
pub fn whole_store_problems(store: &Store) -> Vec<String> {
    let mut problems = store.integrity_problems().expect("integrity checks ran");
    let checks: &[(&str, &str)] = &[
        (
            "customers without billing",
            "SELECT count(*) FROM customers c WHERE NOT EXISTS
                (SELECT 1 FROM billing b WHERE b.customer_id = c.id)",
        ),
        (
            "billing rows without customer",
            "SELECT count(*) FROM billing b WHERE NOT EXISTS
                (SELECT 1 FROM customers c WHERE c.id = b.customer_id)",
        ),
        (
            "customers without exactly the Owner and Admin system roles",
            "SELECT count(*) FROM customers c WHERE
                (SELECT count(*) FROM roles r WHERE r.customer_id = c.id AND r.system IS NOT NULL) != 2",
        ),
        (
            "cameras linked to a missing customer",
            "SELECT count(*) FROM cameras WHERE customer_id IS NOT NULL
                AND customer_id NOT IN (SELECT id FROM customers)",
        ),
        (
            "users of a missing customer",
            "SELECT count(*) FROM users WHERE customer_id NOT IN (SELECT id FROM customers)",
        ),
        (
            "roles of a missing customer",
            "SELECT count(*) FROM roles WHERE customer_id NOT IN (SELECT id FROM customers)",
        ),
        (
            "role camera sets naming a camera of another customer",
            "SELECT count(*) FROM role_cameras rc JOIN roles r ON r.id = rc.role_id
                JOIN cameras k ON k.id = rc.camera_id WHERE k.customer_id IS NOT r.customer_id",
        ),
        (
            "user roles of another customer",
            "SELECT count(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id
                JOIN roles r ON r.id = ur.role_id WHERE u.customer_id != r.customer_id",
        ),
        (
            "deletions audited without an archive entry (or the reverse)",
            "SELECT abs((SELECT count(*) FROM audit WHERE action = 'customer.delete')
                      - (SELECT count(*) FROM archive))",
        ),
        (
            "archive entries whose audit entry is missing",
            "SELECT count(*) FROM archive a WHERE NOT EXISTS
                (SELECT 1 FROM audit WHERE id = a.audit_id AND action = 'customer.delete')",
        ),
        (
            "deleted customers (archive not restored) still present",
            "SELECT count(*) FROM archive a WHERE restored_at IS NULL
                AND customer_id IN (SELECT id FROM customers)",
        ),
        (
            "restores audited without the archive marked restored (or the reverse)",
            "SELECT abs((SELECT count(*) FROM audit WHERE action = 'customer.restore')
                      - (SELECT count(*) FROM archive WHERE restored_at IS NOT NULL))",
        ),
        (
            "customers created or restored, not deleted since, but absent",
            "SELECT count(*) FROM audit a WHERE a.action IN ('customer.create', 'customer.restore')
                AND NOT EXISTS (SELECT 1 FROM audit d WHERE d.customer_id = a.customer_id
                                AND d.action = 'customer.delete' AND d.id > a.id)
                AND a.customer_id NOT IN (SELECT id FROM customers)",
        ),
        (
            "password hashes in audit details or drafts",
            "SELECT (SELECT count(*) FROM audit WHERE details LIKE '%$argon2%' OR summary LIKE '%$argon2%')
                  + (SELECT count(*) FROM drafts WHERE data LIKE '%$argon2%')",
        ),
    ];
    for (what, sql) in checks {
        let n = count(store, sql);
        if n != 0 {
            problems.push(format!("{what}: {n}"));
        }
    }
    problems
}

/// The bytes of a file, or an empty list when it does not exist.
pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

/// One entry of `tests/hostile_corpus.txt`.
#[derive(Debug, Clone)]
pub struct Hostile {
    pub class: String,
    pub text: String,
    /// The line in the corpus file, for messages.
    pub line: usize,
}

/// The hostile-text corpus, escapes decoded.
pub fn hostile_corpus() -> Vec<Hostile> {
    let raw = include_str!("../hostile_corpus.txt");
    let mut out = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut parts = line.split('\t');
        let class = parts.next().unwrap().to_string();
        let text = unescape(parts.next().unwrap_or_else(|| panic!("line {}", i + 1)));
        let times = parts
            .next()
            .and_then(|r| r.strip_prefix('x'))
            .map_or(1, |n| n.parse::<usize>().unwrap());
        out.push(Hostile {
            class,
            text: text.repeat(times),
            line: i + 1,
        });
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('e') => out.push('\x1b'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('x') => {
                let hex: String = [chars.next().unwrap(), chars.next().unwrap()]
                    .iter()
                    .collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            Some('u') => {
                assert_eq!(chars.next(), Some('{'));
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            other => panic!("unknown escape \\{other:?} in the corpus"),
        }
    }
    out
}
