//! `db migrate-to` and `db check` on PostgreSQL, against a real server (`support::pg`): a demo
//! store copied row for row, a second copy refused, a server killed mid-copy leaving nothing,
//! and each connection problem one line with exit 1.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use admin_portal::store::pg::migrations::LATEST;
use admin_portal::store::pg::{self, Location, PgStore, TABLES};
use admin_portal::store::{OpenMode, Store};
use serde_json::Value;
use support::pg::{PASSWORD, PgServer};

/// A temporary home (no `.pgpass` unless a test writes one) with a demo store `store.db`.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        std::fs::create_dir_all(env.dir.path().join("c")).expect("config folder");
        env
    }

    /// 50 demo customers, one deleted (archived, audited) and one deleted then restored, and a
    /// wizard draft: every table has rows.
    fn demo() -> Env {
        let env = Env::new();
        env.ok(&["--db", "store.db", "demo", "--customers", "50"]);
        let list = env.ok(&["--db", "store.db", "customers", "list", "--format", "json"]);
        let list: Value = serde_json::from_str(&list).expect("customers list is JSON");
        let name = |i: usize| {
            list[i]["name"]
                .as_str()
                .unwrap_or_else(|| panic!("customer {i} has a name: {list}"))
                .to_string()
        };
        let (gone, back) = (name(3), name(7));
        for n in [&gone, &back] {
            env.ok(&[
                "--db",
                "store.db",
                "customers",
                "delete",
                n,
                "--confirm",
                "Delete",
            ]);
        }
        env.ok(&["--db", "store.db", "customers", "restore", &back]);
        let mut store = Store::open(&env.store(), OpenMode::Existing).expect("open the store");
        store
            .save_draft(
                "alice",
                2,
                r#"{"profile":{"name":"Draft Co","notes":"tab\there, \\ and\nnewline"}}"#,
            )
            .expect("save a draft");
        env
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("store.db")
    }

    /// The binary with `PGPASSWORD` set to the role's password.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = support::app::cli_in(self.dir.path());
        cmd.args(args)
            .env("PGPASSWORD", PASSWORD)
            .env_remove("PGPASSFILE")
            .env_remove("PGUSER");
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("run admin-portal");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn migrate_to(&self, url: &str) -> Output {
        self.cmd(&["--db", "store.db", "db", "migrate-to", url])
            .output()
            .expect("run admin-portal")
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 1 and exactly one line on stderr, containing `wanted`.
#[track_caller]
fn one_line_failure(out: &Output, wanted: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "exit code; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.contains(wanted), "{err:?} should say {wanted:?}");
}

/// Every row of `table` in SQLite, the copied columns in the copy's order, as JSON values.
fn sqlite_rows(path: &Path, table: &str, cols: &str, order: &str) -> Vec<Vec<Value>> {
    let conn = support::db::connect(path);
    let mut stmt = conn
        .prepare(&format!("SELECT {cols} FROM {table} ORDER BY {order}"))
        .expect("prepare");
    let width = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..width)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => Value::Null,
                        rusqlite::types::ValueRef::Integer(n) => Value::from(n),
                        rusqlite::types::ValueRef::Text(t) => {
                            Value::String(String::from_utf8_lossy(t).into_owned())
                        }
                        other => panic!("{table}: unexpected {other:?}"),
                    })
                })
                .collect::<rusqlite::Result<Vec<Value>>>()
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// The same from PostgreSQL, each row one `json_build_array` of the columns.
fn pg_rows(client: &mut postgres::Client, table: &str, cols: &str, order: &str) -> Vec<Vec<Value>> {
    client
        .query(
            &format!("SELECT json_build_array({cols})::text FROM {table} ORDER BY {order}"),
            &[],
        )
        .expect("select")
        .iter()
        .map(|r| {
            let text: String = r.get(0);
            match serde_json::from_str(&text).expect("JSON row") {
                Value::Array(values) => values,
                other => panic!("not an array: {other}"),
            }
        })
        .collect()
}

/// One value of SQLite against its copy: booleans are 0/1 there, JSON columns text.
fn same_value(sqlite: &Value, pg: &Value) -> bool {
    match (sqlite, pg) {
        (Value::Number(n), Value::Bool(b)) => n.as_i64() == Some(i64::from(*b)),
        (Value::String(text), Value::Object(_) | Value::Array(_)) => {
            serde_json::from_str::<Value>(text).is_ok_and(|v| &v == pg)
        }
        (a, b) => a == b,
    }
}

/// Every table and every copied column the same on both sides, and the stored counts.
fn assert_same_rows(sqlite: &Path, client: &mut postgres::Client) {
    for table in TABLES {
        let (cols, order) = pg::copy::columns(table).expect("a copied table");
        let left = sqlite_rows(sqlite, table, cols, order);
        let right = pg_rows(client, table, cols, order);
        assert!(!left.is_empty(), "the demo store has rows in {table}");
        assert_eq!(left.len(), right.len(), "{table}: row count");
        for (l, r) in left.iter().zip(&right) {
            assert_eq!(l.len(), r.len(), "{table}: width");
            let same = l.iter().zip(r).all(|(a, b)| same_value(a, b));
            assert!(same, "{table}: SQLite {l:?} vs PostgreSQL {r:?}");
        }
    }
    let counts = "id, camera_count, user_count";
    let left = sqlite_rows(sqlite, "customers", counts, "id");
    let right = pg_rows(client, "customers", counts, "id");
    assert_eq!(left, right, "stored camera and user counts");
}

#[test]
fn a_demo_store_is_copied_row_for_row_and_a_second_copy_is_refused() {
    let Some(server) = support::pg::shared_or_skip() else {
        return;
    };
    let env = Env::demo();
    let url = server.database("copy_all");
    let out = env.migrate_to(&url);
    assert!(out.status.success(), "migrate-to: {}", stderr(&out));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(printed.contains(&format!("(schema {LATEST})")), "{printed}");
    for table in TABLES {
        assert!(
            printed.contains(&format!("  {table} ")),
            "{table} counted: {printed}"
        );
    }

    let mut client = server.superuser("copy_all");
    assert_same_rows(&env.store(), &mut client);

    // The sequences continue past every id SQLite gave, the deleted customer's included.
    let conn = support::db::connect(&env.store());
    let last: i64 = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'customers'",
            [],
            |r| r.get(0),
        )
        .expect("sqlite_sequence");
    let next: i64 = client
        .query_one(
            "SELECT nextval(pg_get_serial_sequence('customers', 'id'))",
            &[],
        )
        .expect("nextval")
        .get(0);
    assert_eq!(next, last + 1);

    // `db check` on the copy: the version and the counts, exit 0.
    let check = env.ok(&["--db", &url, "db", "check"]);
    assert!(
        check.contains(&format!("schema {LATEST} of {LATEST}")),
        "{check}"
    );
    assert!(check.trim_end().ends_with(": ok"), "{check}");

    // A second copy into the same database: refused, nothing changed.
    let before = pg_rows(&mut client, "audit", "id, action", "id");
    let again = env.migrate_to(&url);
    one_line_failure(&again, "is not empty");
    assert_eq!(pg_rows(&mut client, "audit", "id, action", "id"), before);
    assert_same_rows(&env.store(), &mut client);

    // The count triggers, off during the copy, are on again: a camera moved and a user removed
    // keep the stored counts right, which `db check` verifies.
    client
        .batch_execute(
            "UPDATE cameras SET customer_id = NULL
                 WHERE id = (SELECT min(id) FROM cameras WHERE customer_id IS NOT NULL);
             DELETE FROM users WHERE id = (SELECT min(id) FROM users);",
        )
        .expect("writes after the copy");
    let check = env.ok(&["--db", &url, "db", "check"]);
    assert!(check.trim_end().ends_with(": ok"), "{check}");
}

#[test]
fn the_schema_counts_with_triggers_and_serves_the_filter_from_trigram_indexes() {
    let Some(server) = support::pg::shared_or_skip() else {
        return;
    };
    let url = server.database("schema_only");
    let location = Location::parse(&url).expect("URL").with_password(PASSWORD);
    let mut store = connect(&location);
    store.migrate().expect("migrate");
    store.migrate().expect("a second migrate is a no-op");
    let mut c = server.superuser("schema_only");
    c.batch_execute(
        "INSERT INTO customers (kind, name, created_at, updated_at)
             VALUES ('customer', 'Anchor Medical', 't', 't'), ('customer', 'Bay Diner', 't', 't');
         INSERT INTO cameras (name, mac, serial, customer_id, created_at, updated_at)
             VALUES ('Door', 'aa', 'S1', 1, 't', 't'), ('Yard', 'bb', 'S2', 1, 't', 't');
         UPDATE cameras SET customer_id = 2 WHERE mac = 'bb';
         INSERT INTO users (customer_id, first_name, last_name, email, password_hash, created_at,
                            updated_at) VALUES (2, 'A', 'B', 'a@b.c', 'h', 't', 't');",
    )
    .expect("writes");
    let counts: Vec<(i64, i64)> = c
        .query(
            "SELECT camera_count, user_count FROM customers ORDER BY id",
            &[],
        )
        .expect("counts")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(counts, vec![(1, 0), (1, 1)]);
    c.batch_execute("DELETE FROM cameras WHERE mac = 'bb'; DELETE FROM users;")
        .expect("deletes");
    let row = c
        .query_one(
            "SELECT camera_count, user_count FROM customers WHERE id = 2",
            &[],
        )
        .expect("counts");
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(1)), (0, 0));

    // NOCASE: the names SQLite refuses (ASCII case only) are refused.
    let dup = c.batch_execute(
        "INSERT INTO customers (kind, name, created_at, updated_at) VALUES ('customer', 'BAY DINER', 't', 't')",
    );
    assert!(
        dup.is_err(),
        "a name differing in ASCII case only is a duplicate"
    );

    // A filter of 3+ characters is answered from the trigram index.
    c.batch_execute("SET enable_seqscan = off").expect("set");
    let plan: Vec<String> = c
        .query(
            "EXPLAIN SELECT id FROM customers WHERE name ILIKE '%NCH%'",
            &[],
        )
        .expect("explain")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        plan.iter().any(|l| l.contains("customers_search_name")),
        "{plan:#?}"
    );
}

fn connect(location: &Location) -> PgStore {
    PgStore::connect(location).unwrap_or_else(|e| panic!("connect: {e}"))
}

#[test]
fn a_server_killed_mid_copy_leaves_the_database_empty() {
    let Some(server) = support::pg::own_or_skip() else {
        return;
    };
    let env = Env::demo();
    let url = server.database("killed");
    let child = env
        .cmd(&["--db", "store.db", "db", "migrate-to", &url])
        .env("ADMIN_PORTAL_TEST_PG_PAUSE", "cameras:20000")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn migrate-to");
    // Mid-copy: its transaction has written (plans, customers, billing, cameras so far).
    let mut watcher = server.superuser("postgres");
    server.wait_for(Duration::from_secs(60), || {
        let n: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE application_name = 'admin-portal' AND backend_xid IS NOT NULL",
                &[],
            )
            .expect("pg_stat_activity")
            .get(0);
        n == 1
    });
    drop(watcher);
    server.kill();
    let out = child.wait_with_output().expect("migrate-to ends");
    one_line_failure(&out, "nothing was written");

    server.boot().expect("restart the server");
    let mut c = server.superuser("killed");
    let tables: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind = 'r'",
            &[],
        )
        .expect("count tables")
        .get(0);
    assert_eq!(tables, 0, "no table survives the killed copy");
    // And the same copy now goes through.
    let again = env.migrate_to(&url);
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn connection_problems_are_one_line_and_exit_1() {
    let Some(server) = support::pg::shared_or_skip() else {
        return;
    };
    let env = Env::new();
    env.ok(&["--db", "store.db", "db", "init"]);
    let url = server.database("problems");
    let run = |args: &[&str], password: Option<&str>| {
        let mut cmd = env.cmd(args);
        match password {
            Some(p) => cmd.env("PGPASSWORD", p),
            None => cmd.env_remove("PGPASSWORD"),
        };
        cmd.output().expect("run admin-portal")
    };
    let migrate = ["--db", "store.db", "db", "migrate-to", url.as_str()];
    one_line_failure(&run(&migrate, Some("wrong")), "wrong password");
    one_line_failure(&run(&migrate, None), "asks a password for portal");
    let with_password = url.replace("portal@", "portal:secret@");
    one_line_failure(
        &run(
            &["--db", "store.db", "db", "migrate-to", &with_password],
            Some(PASSWORD),
        ),
        "the URL holds a password",
    );
    let nowhere = format!("postgres://portal@127.0.0.1:{}/x", unused_port(&server));
    one_line_failure(
        &run(
            &["--db", "store.db", "db", "migrate-to", &nowhere],
            Some(PASSWORD),
        ),
        "cannot reach the PostgreSQL server at 127.0.0.1:",
    );
    let missing = url.replace("/problems", "/no_such_db");
    one_line_failure(
        &run(&["--db", &missing, "db", "check"], Some(PASSWORD)),
        "does not exist",
    );

    // ~/.pgpass (mode 0600) serves when PGPASSWORD is not set: the check reaches the database.
    let pgpass = env.dir.path().join(".pgpass");
    std::fs::write(&pgpass, format!("127.0.0.1:*:*:portal:{PASSWORD}\n")).expect("pgpass");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    one_line_failure(
        &run(&["--db", &url, "db", "check"], None),
        "holds no admin-portal store",
    );

    // A schema of a newer program: check and migrate-to both refuse it, naming the versions.
    server
        .client(support::pg::ROLE, PASSWORD, "problems")
        .expect("connect as the role")
        .batch_execute(
            "CREATE TABLE schema_version (only_row boolean PRIMARY KEY DEFAULT true, version bigint);
             INSERT INTO schema_version (version) VALUES (99);",
        )
        .expect("a newer schema");
    one_line_failure(
        &run(&["--db", &url, "db", "check"], None),
        &format!("schema 99, this program knows {LATEST}"),
    );
    one_line_failure(&run(&migrate, None), "newer admin-portal");

    // Every other command and the portal refuse it the same way, writing nothing.
    one_line_failure(
        &run(&["--db", &url, "customers", "list"], None),
        &format!("schema 99, this program knows {LATEST}"),
    );
}

/// A port on loopback that nothing listens on (not the server's).
fn unused_port(server: &PgServer) -> u16 {
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("bind")
            .local_addr()
            .expect("address")
            .port();
        if port != server.port() {
            return port;
        }
    }
}
