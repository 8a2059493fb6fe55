//! The command line as scripts use it: the real binary, run as a process against temporary
//! stores, with HOME and the XDG folders in a temporary directory so nothing touches the real
//! home, and the system configuration moved with `ADMIN_PORTAL_SYSTEM_CONFIG`.

mod support;

use std::fmt::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use admin_portal::action::{Action, KeyContext};
use admin_portal::config;
use admin_portal::keymap::KeyBinding;
use admin_portal::theme::COLOR;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

/// A temporary home with a small demo store.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(env.path("c")).unwrap();
        env
    }

    /// With `store.db` filled with 20 demo customers.
    fn demo() -> Env {
        let env = Env::new();
        let out = env.run(&["--db", "store.db", "demo", "--customers", "20"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = support::app::cli_in(self.dir.path());
        cmd.args(args).env("COLUMNS", "100").env_remove("NO_COLOR");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        stdout(&out)
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn count(&self, db: &str, sql: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.path(db)).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The demo writes Share into the system roles of a customer whose camera share is disabled;
/// the store's insert (the wizard's and the import's) clears it, as PRODUCT.md §4 says.
fn as_the_store_writes_it(mut export: Value) -> Value {
    for c in export["customers"].as_array_mut().unwrap() {
        if c["defaults"]["disable_camera_share"] == Value::Bool(true) {
            for r in c["roles"].as_array_mut().unwrap() {
                r["permissions"]["share"] = Value::Bool(false);
            }
        }
    }
    export
}

#[test]
fn customers_list_and_show_in_every_format() {
    let env = Env::demo();
    let table = env.ok(&["--db", "store.db", "customers", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 21, "{table}");
    assert!(lines[0].starts_with("ID  NAME"), "{table}");

    let json = env.json(&[
        "--db",
        "store.db",
        "customers",
        "list",
        "--format",
        "json",
        "--limit",
        "5",
    ]);
    assert_eq!(json.as_array().unwrap().len(), 5);
    let first = &json[0];
    let csv = env.ok(&["--db", "store.db", "customers", "list", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 21);
    assert!(csv.starts_with("id,name,type,"));

    let id = first["id"].as_i64().unwrap().to_string();
    let name = first["name"].as_str().unwrap().to_string();
    let by_id = env.json(&[
        "--db",
        "store.db",
        "customers",
        "show",
        &id,
        "--format",
        "json",
    ]);
    let by_name = env.json(&[
        "--db",
        "store.db",
        "customers",
        "show",
        &name,
        "--format",
        "json",
    ]);
    assert_eq!(by_id, by_name);
    assert_eq!(by_id["contact"]["company"], first["name"]);
    let shown = env.ok(&["--db", "store.db", "customers", "show", &name]);
    assert!(
        shown.contains("contact.email") && shown.contains("roles"),
        "{shown}"
    );

    let out = env.run(&["--db", "store.db", "customers", "show", "No Such Co"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn cameras_plans_and_audit_lists() {
    let env = Env::demo();
    let cams = env.json(&["--db", "store.db", "cameras", "list", "--format", "json"]);
    assert_eq!(cams.as_array().unwrap().len(), 200);
    let customer = cams
        .as_array()
        .unwrap()
        .iter()
        .find_map(|c| c["customer"].as_str())
        .unwrap()
        .to_string();
    let own = env.json(&[
        "--db",
        "store.db",
        "cameras",
        "list",
        "--customer",
        &customer,
        "--format",
        "json",
    ]);
    assert!(
        own.as_array()
            .unwrap()
            .iter()
            .all(|c| c["customer"] == customer.as_str())
    );
    let plans = env.ok(&["--db", "store.db", "plans", "list"]);
    assert!(plans.starts_with("ID  NAME"), "{plans}");
    assert_eq!(plans.lines().count(), 7);
    let audit = env.json(&[
        "--db", "store.db", "audit", "--limit", "3", "--format", "json",
    ]);
    assert_eq!(audit.as_array().unwrap().len(), 3);
    let csv = env.ok(&["--db", "store.db", "audit", "--format", "csv"]);
    assert!(csv.starts_with("id,time,operator,action,customer,summary"));
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::demo();
    for args in [
        vec!["frobnicate"],
        vec!["--db", "store.db", "customers", "list", "--format", "xml"],
        vec!["--db", "store.db", "customers", "delete", "Acme"],
        vec!["--db", "store.db", "customers", "restore"],
        vec!["completions", "tcsh"],
        vec![
            "--db",
            "store.db",
            "customers",
            "export",
            "--include-secrets",
        ],
    ] {
        let out = env.run(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
}

#[test]
fn export_import_export_round_trips() {
    let env = Env::demo();
    env.ok(&["--db", "store.db", "customers", "export", "-o", "one.json"]);
    assert_eq!(mode(&env.path("one.json")), 0o600);
    let one: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("one.json")).unwrap()).unwrap();
    assert_eq!(one["customers"].as_array().unwrap().len(), 20);
    assert!(
        !one.to_string().contains("argon2"),
        "no hash without --include-secrets"
    );

    env.ok(&["--db", "empty.db", "--init", "db", "init"]);
    let out = env.ok(&["--db", "empty.db", "customers", "import", "one.json"]);
    assert!(out.starts_with("imported 20 customers"), "{out}");
    let two = env.json(&["--db", "empty.db", "customers", "export"]);
    assert_eq!(two, as_the_store_writes_it(one.clone()));
    // Users without a hash in the file get a random one nobody knows.
    assert_eq!(
        env.count(
            "empty.db",
            "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'"
        ),
        env.count("store.db", "SELECT count(*) FROM users")
    );

    // With secrets: the hashes travel too, into a 0600 file only.
    env.ok(&[
        "--db",
        "store.db",
        "customers",
        "export",
        "--include-secrets",
        "-o",
        "secret.json",
    ]);
    assert_eq!(mode(&env.path("secret.json")), 0o600);
    env.ok(&[
        "--db",
        "other.db",
        "--init",
        "customers",
        "import",
        "secret.json",
    ]);
    env.ok(&[
        "--db",
        "other.db",
        "customers",
        "export",
        "--include-secrets",
        "-o",
        "again.json",
    ]);
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("secret.json")).unwrap()).unwrap();
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("again.json")).unwrap()).unwrap();
    assert!(a.to_string().contains("$argon2id$"));
    assert_eq!(b, as_the_store_writes_it(a));
}

const BAD_IMPORT: &str = r#"{
  "format": "admin-portal.customers",
  "version": 1,
  "plans": [],
  "customers": [
    {
      "kind": "customer",
      "contact": {
        "company": "Good Co",
        "first_name": "Ann",
        "last_name": "Lee",
        "email": "ann@good.example.com",
        "phone": "",
        "address": {"line1": "1 Main St", "line2": "", "city": "Paris", "state": "",
                    "postal_code": "", "country": "FR"},
        "time_zone": "Europe/Paris",
        "reference": "",
        "notes": ""
      },
      "defaults": {},
      "user_creation": {"confirm_email": true, "change_password": true},
      "billing": {"same_as_company": true},
      "cameras": [
        {"name": "Door", "mac": "not-a-mac", "serial": "X1"}
      ],
      "users": [
        {"first_name": "Ann", "last_name": "Lee", "email": "ann@", "roles": ["Owner"]}
      ]
    },
    {
      "kind": "customer",
      "contact": {
        "company": "Second Co",
        "first_name": "",
        "last_name": "Moe",
        "email": "moe@second.example.com",
        "phone": "12",
        "address": {"line1": "2 Main St", "line2": "", "city": "Lyon", "state": "",
                    "postal_code": "", "country": "FR"},
        "time_zone": "Mars/Olympus",
        "reference": "",
        "notes": ""
      },
      "defaults": {"default_plan": "Gold"},
      "user_creation": {"confirm_email": true, "change_password": true},
      "billing": {"same_as_company": true}
    },
    {
      "kind": "customer",
      "contact": {"company": "Typo Co"},
      "defaults": {},
      "user_creation": {"confirm_email": "yes", "change_password": true},
      "billing": {"same_as_company": true}
    }
  ]
}
"#;

#[test]
fn a_bad_file_lists_every_problem_with_its_line_and_writes_nothing() {
    let env = Env::new();
    env.ok(&["--db", "s.db", "--init", "db", "init"]);
    env.write("bad.json", BAD_IMPORT);
    let out = env.run(&["--db", "s.db", "customers", "import", "bad.json"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    for expected in [
        "bad.json:24: customers[0].cameras[0].mac: use 12 hex digits",
        "bad.json:27: customers[0].users[0].email: missing domain after @",
        "bad.json:34: customers[1].contact.first_name: required",
        "bad.json:37: customers[1].contact.phone: needs at least 7 digits",
        "bad.json:40: customers[1].contact.time_zone: unknown time zone",
        "bad.json:44: customers[1].defaults.default_plan: unknown plan \"Gold\"",
        "bad.json:50: customers[2].contact.first_name: missing field `first_name`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(err.trim_end().ends_with("nothing was written"), "{err}");
    assert_eq!(env.count("s.db", "SELECT count(*) FROM customers"), 0);

    // Syntax errors name the line too.
    env.write(
        "broken.json",
        "{\n  \"format\": \"admin-portal.customers\",\n  oops\n}\n",
    );
    let out = env.run(&["--db", "s.db", "customers", "import", "broken.json"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with("broken.json:3: (file): "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let env = Env::demo();
    env.ok(&["--db", "store.db", "customers", "export", "-o", "all.json"]);
    env.ok(&["--db", "empty.db", "--init", "db", "init"]);
    let before = std::fs::read(env.path("empty.db")).unwrap();
    let out = env.ok(&[
        "--db",
        "empty.db",
        "customers",
        "import",
        "--dry-run",
        "all.json",
    ]);
    assert!(out.starts_with("dry run: 20 customers"), "{out}");
    assert_eq!(env.count("empty.db", "SELECT count(*) FROM customers"), 0);
    assert_eq!(env.count("empty.db", "SELECT count(*) FROM audit"), 0);
    assert_eq!(std::fs::read(env.path("empty.db")).unwrap(), before);
    // Importing into the store it came from: every name is taken.
    let out = env.run(&[
        "--db",
        "store.db",
        "customers",
        "import",
        "--dry-run",
        "all.json",
    ]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("is already a customer of this store"));
}

#[test]
fn csv_exports_neutralise_formulas_and_control_characters() {
    let env = Env::new();
    env.ok(&["--db", "s.db", "--init", "db", "init"]);
    let file = BAD_IMPORT
        .replace("\"Good Co\"", "\"=HYPERLINK(\\\"http://evil\\\")\"")
        .replace("not-a-mac", "00:11:22:33:44:55")
        .replace("\"ann@\"", "\"ann@good.example.com\"")
        .replace("\"notes\": \"\"", "\"notes\": \"line one\\nline two\"");
    let mut value: Value = serde_json::from_str(&file).unwrap();
    value["customers"].as_array_mut().unwrap().truncate(1);
    env.write("one.json", &value.to_string());
    env.ok(&["--db", "s.db", "customers", "import", "one.json"]);
    let csv = env.ok(&["--db", "s.db", "customers", "export", "--format", "csv"]);
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.starts_with("\"'=HYPERLINK(\"\"http://evil\"\")\""),
        "{csv}"
    );
    assert!(row.contains("line one\\u{a}line two"), "{csv}");
    assert!(!csv.bytes().any(|b| b < 0x20 && b != b'\n'), "{csv:?}");
    let list = env.ok(&["--db", "s.db", "customers", "list", "--format", "csv"]);
    assert!(
        list.lines().nth(1).unwrap().contains(",\"'=HYPERLINK("),
        "{list}"
    );
    let table = env.ok(&["--db", "s.db", "customers", "show", "1"]);
    assert!(table.contains("line one\\u{a}line two"), "{table}");
    // The neutralised CSV reads back to the same text.
    env.ok(&[
        "--db",
        "s.db",
        "customers",
        "export",
        "--format",
        "csv",
        "-o",
        "c.csv",
    ]);
    env.ok(&["--db", "t.db", "--init", "customers", "import", "c.csv"]);
    let back = env.json(&["--db", "t.db", "customers", "show", "1", "--format", "json"]);
    assert_eq!(back["contact"]["company"], "=HYPERLINK(\"http://evil\")");
    assert_eq!(back["contact"]["notes"], "line one\nline two");
}

#[test]
fn ten_thousand_cameras_import_in_one_transaction() {
    let env = Env::demo();
    let customer =
        env.json(&["--db", "store.db", "customers", "list", "--format", "json"])[0]["name"]
            .as_str()
            .unwrap()
            .to_string();
    let mut csv = String::from("name,mac,serial,model,location,customer,plan,recording\n");
    for i in 0..10_000u32 {
        let link = if i % 100 == 0 { customer.as_str() } else { "" };
        writeln!(
            csv,
            "Cam {i},02-AB-{:02X}-{:02X}-{:02X}-01,SN-{i:06},Axis P3245,Lobby,\"{link}\",,yes",
            i >> 16,
            (i >> 8) & 0xff,
            i & 0xff
        )
        .unwrap();
    }
    env.write("cams.csv", &csv);
    let before = env.count("store.db", "SELECT count(*) FROM cameras");
    let out = env.ok(&["--db", "store.db", "cameras", "import", "cams.csv"]);
    assert!(
        out.starts_with("imported 10000 cameras (100 linked"),
        "{out}"
    );
    assert_eq!(
        env.count("store.db", "SELECT count(*) FROM cameras"),
        before + 10_000
    );
    assert_eq!(
        env.count(
            "store.db",
            "SELECT count(*) FROM audit WHERE action = 'camera.import'"
        ),
        1
    );

    // One bad row at the end: nothing of the other 9,999 is written.
    let again =
        csv.replace("SN-", "SN2-").replace("02-AB-", "06-AB-") + "Broken,zz,SN-X,,,,,maybe\n";
    env.write("again.csv", &again);
    let out = env.run(&["--db", "store.db", "cameras", "import", "again.csv"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("again.csv:10002: mac: use 12 hex digits"),
        "{err}"
    );
    assert!(err.contains("again.csv:10002: recording: "), "{err}");
    assert_eq!(
        env.count("store.db", "SELECT count(*) FROM cameras"),
        before + 10_000
    );
}

#[test]
fn delete_needs_the_typed_confirmation_and_restore_brings_it_back() {
    let env = Env::demo();
    let list = env.json(&["--db", "store.db", "customers", "list", "--format", "json"]);
    let victim = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "customer" || c["kind"] == "customer")
        .unwrap();
    let name = victim["name"].as_str().unwrap().to_string();
    let cameras = victim["cameras"].as_i64().unwrap();

    let out = env.run(&[
        "--db",
        "store.db",
        "customers",
        "delete",
        &name,
        "--confirm",
        "delete",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--confirm Delete"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.count("store.db", "SELECT count(*) FROM customers"), 20);

    let out = env.ok(&[
        "--db",
        "store.db",
        "customers",
        "delete",
        &name,
        "--confirm",
        "Delete",
    ]);
    assert!(
        out.starts_with(&format!("deleted {name} (archive ")),
        "{out}"
    );
    assert!(out.contains(&format!("{cameras} cameras returned to the inventory")));
    assert_eq!(env.count("store.db", "SELECT count(*) FROM customers"), 19);
    let audit = env.json(&[
        "--db",
        "store.db",
        "audit",
        "--action",
        "customer.delete",
        "--format",
        "json",
    ]);
    assert_eq!(audit[0]["customer_name"], name.as_str());

    let out = env.ok(&["--db", "store.db", "customers", "restore", &name]);
    assert!(out.starts_with(&format!("restored {name}")), "{out}");
    assert_eq!(env.count("store.db", "SELECT count(*) FROM customers"), 20);

    // Again, this time by the audit entry of the deletion.
    env.ok(&[
        "--db",
        "store.db",
        "customers",
        "delete",
        &name,
        "--confirm",
        "Delete",
    ]);
    let audit = env.json(&[
        "--db",
        "store.db",
        "audit",
        "--action",
        "customer.delete",
        "--format",
        "json",
    ]);
    let entry = audit[0]["id"].as_i64().unwrap().to_string();
    env.ok(&[
        "--db",
        "store.db",
        "customers",
        "restore",
        "--audit",
        &entry,
    ]);
    assert_eq!(env.count("store.db", "SELECT count(*) FROM customers"), 20);
    let out = env.run(&[
        "--db",
        "store.db",
        "customers",
        "restore",
        "--audit",
        &entry,
    ]);
    assert_eq!(code(&out), 1);
}

#[test]
fn backup_is_private_consistent_and_checked() {
    let env = Env::demo();
    let out = env.ok(&["--db", "store.db", "db", "backup", "copy.db"]);
    assert!(out.starts_with("backed up"), "{out}");
    assert_eq!(mode(&env.path("copy.db")), 0o600);
    assert_eq!(
        env.ok(&["--db", "copy.db", "db", "check"]).trim_end(),
        format!("{}: ok", "copy.db")
    );
    assert_eq!(env.count("copy.db", "SELECT count(*) FROM customers"), 20);
    // An existing target is never overwritten.
    let out = env.run(&["--db", "store.db", "db", "backup", "copy.db"]);
    assert_eq!(code(&out), 1);
}

#[test]
fn db_check_exits_1_on_a_problem() {
    let env = Env::demo();
    assert!(
        env.ok(&["--db", "store.db", "db", "check"])
            .ends_with(": ok\n")
    );
    {
        let conn = rusqlite::Connection::open(env.path("store.db")).unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF; UPDATE cameras SET customer_id = 999999 WHERE id = 1;",
        )
        .unwrap();
    }
    let out = env.run(&["--db", "store.db", "db", "check"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("foreign key: cameras"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn store_problems_are_one_line_and_exit_1() {
    let env = Env::new();
    let out = env.run(&["--db", "missing.db", "customers", "list"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "admin-portal: no store at missing.db: pass --init to create one\n"
    );
    assert!(!env.path("missing.db").exists());

    env.ok(&["--db", "new.db", "--init", "db", "init"]);
    {
        let conn = rusqlite::Connection::open(env.path("new.db")).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let out = env.run(&["--db", "new.db", "customers", "list"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("newer admin-portal (schema 999"), "{err}");
}

#[test]
fn completions_and_man_page() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("admin-portal") && bash.contains("customers"));
    let zsh = env.ok(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef admin-portal"));
    let man = env.ok(&["man"]);
    assert!(man.contains(".TH admin-portal"), "{man}");
    assert!(man.contains("customers"));
}

#[test]
fn configuration_layers_and_where_each_setting_came_from() {
    let env = Env::new();
    env.write(
        "system.toml",
        "store = \"/srv/portal/shared.db\"\ngroup = \"portal\"\nmouse = true\n",
    );
    std::fs::create_dir_all(env.path("c/admin-portal")).unwrap();
    env.write(
        "c/admin-portal/config.toml",
        "mouse = false\n[theme]\naccent = \"magenta\"\n[keys.list]\nx = \"delete\"\n",
    );
    env.write("extra.toml", "read_only = true\n");
    let cfg = env.json(&["--config", "extra.toml", "config", "--format", "json"]);
    let s = &cfg["settings"];
    let system = env.path("system.toml").display().to_string();
    let user = env.path("c/admin-portal/config.toml").display().to_string();
    assert_eq!(s["store"]["value"], "/srv/portal/shared.db");
    assert_eq!(s["store"]["source"], format!("system file {system}"));
    assert_eq!(s["group"]["value"], "portal");
    assert_eq!(s["mouse"]["value"], "false");
    assert_eq!(s["mouse"]["source"], format!("user file {user}"));
    assert_eq!(s["read_only"]["source"], "--config extra.toml");
    assert_eq!(s["theme.accent"]["value"], "Magenta");
    assert_eq!(s["keys.list.x"]["value"], "delete");
    assert_eq!(s["no_color"]["source"], "default");
    assert!(
        cfg["paths"]["log"]
            .as_str()
            .unwrap()
            .ends_with("s/admin-portal/admin-portal.log")
    );

    // Flags come last.
    let cfg = env.json(&[
        "--config",
        "extra.toml",
        "--db",
        "mine.db",
        "--no-color",
        "config",
        "--format",
        "json",
    ]);
    assert_eq!(cfg["settings"]["store"]["value"], "mine.db");
    assert_eq!(cfg["settings"]["store"]["source"], "flag --db");
    assert_eq!(cfg["settings"]["no_color"]["source"], "flag --no-color");
    let table = env.ok(&["config"]);
    assert!(
        table.contains("system config") && table.contains("(read)"),
        "{table}"
    );
}

#[test]
fn a_bad_configuration_names_file_line_and_key() {
    let env = Env::new();
    env.write("bad.toml", "mouse = true\n\n[theme]\nacent = \"red\"\n");
    let out = env.run(&["--config", "bad.toml", "config"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.starts_with("admin-portal: bad.toml:4: theme.acent: unknown field"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    env.write("bad2.toml", "[keys.form]\n\"ctrl-s\" = \"explode\"\n");
    let out = env.run(&["--config", "bad2.toml", "config"]);
    assert_eq!(
        stderr(&out),
        "admin-portal: bad2.toml:2: keys.form.ctrl-s: unknown action \"explode\"\n"
    );
    env.write("system.toml", "read_only = \"sometimes\"\n");
    let out = env.run(&["config"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("system.toml:1: read_only: invalid type"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_key_map_override_changes_the_help_overlay() {
    let env = Env::new();
    let path = env.write(
        "keys.toml",
        "[keys.global]\nF1 = \"help\"\nq = \"none\"\n\"ctrl-q\" = \"quit\"\n[keys.list]\nx = \"delete\"\n",
    );
    let cfg = config::from_file(&path).unwrap();
    let keymap = cfg.keymap();
    assert!(
        keymap
            .keys_for(KeyContext::List, Action::Delete)
            .contains(&KeyBinding::char('x'))
    );
    let mut terminal = Terminal::new(TestBackend::new(100, 34)).unwrap();
    terminal
        .draw(|f| admin_portal::ui::help::render_help(f, f.area(), &keymap, &COLOR))
        .unwrap();
    let buf = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    assert!(text.contains("Ctrl-Q"), "{text}");
    insta::assert_snapshot!("help_with_key_overrides", text);
}

#[test]
fn logs_go_to_the_file_escaped_never_to_the_screen() {
    let env = Env::demo();
    let out = env.run(&[
        "--db",
        "store.db",
        "--log-file",
        "x.log",
        "-v",
        "customers",
        "show",
        "Evil\u{1b}[31mCo",
    ]);
    assert_eq!(code(&out), 1);
    let log = std::fs::read_to_string(env.path("x.log")).unwrap();
    assert!(log.contains("store opened"), "{log}");
    assert!(log.contains("ERROR"), "{log}");
    assert!(!log.contains('\u{1b}'), "{log:?}");
    assert_eq!(mode(&env.path("x.log")), 0o600);
    // The default place: the XDG state folder.
    env.ok(&["--db", "store.db", "plans", "list"]);
    let default = env.path("s/admin-portal/admin-portal.log");
    assert!(
        std::fs::read_to_string(default)
            .unwrap()
            .contains("store opened")
    );
}

#[test]
fn a_configured_group_shares_a_new_store_0660() {
    let env = Env::new();
    let gid = std::fs::metadata(env.dir.path()).unwrap().gid();
    env.write("system.toml", &format!("group = \"{gid}\"\n"));
    env.ok(&["--db", "shared.db", "--init", "db", "init"]);
    let meta = std::fs::metadata(env.path("shared.db")).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o660);
    assert_eq!(meta.gid(), gid);
    // Without a group, a store stays private.
    std::fs::remove_file(env.path("system.toml")).unwrap();
    env.ok(&["--db", "private.db", "--init", "db", "init"]);
    assert_eq!(mode(&env.path("private.db")), 0o600);
}

/// A pipe whose reader has already gone, as `| head` leaves it after its lines: the write end,
/// for a child's standard output. The reader is a process that exits without reading.
fn closed_pipe() -> std::process::Stdio {
    let mut reader = Command::new("true")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let write_end = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    std::process::Stdio::from(write_end)
}

#[test]
fn a_closed_pipe_ends_every_subcommand_quietly() {
    let env = Env::demo();
    let name = env.json(&[
        "--db",
        "store.db",
        "customers",
        "list",
        "--format",
        "json",
        "--limit",
        "1",
    ])[0]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let mut commands: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "json", "csv"] {
        commands.push(vec!["customers", "list", "--format", format]);
        commands.push(vec!["customers", "show", &name, "--format", format]);
        commands.push(vec!["cameras", "list", "--format", format]);
        commands.push(vec!["plans", "list", "--format", format]);
        commands.push(vec!["audit", "--format", format]);
        commands.push(vec!["config", "--format", format]);
    }
    commands.push(vec!["customers", "export"]);
    commands.push(vec!["customers", "export", "--format", "csv"]);
    commands.push(vec!["customers", "export", &name]);
    commands.push(vec!["db", "check"]);
    commands.push(vec!["completions", "bash"]);
    commands.push(vec!["man"]);
    commands.push(vec!["--help"]);
    for args in commands {
        let mut all = vec!["--db", "store.db"];
        all.extend(&args);
        let out = env.cmd(&all).stdout(closed_pipe()).output().unwrap();
        assert_eq!(
            code(&out),
            0,
            "{args:?} into a closed pipe: {:?} {}",
            out.status,
            stderr(&out)
        );
        assert_eq!(stderr(&out), "", "{args:?} into a closed pipe");
    }
}

/// The output of `args` (with an absolute `--db`) at a terminal `cols` wide (a pseudo-terminal),
/// one string per row.
fn at_terminal(env: &Env, args: &[&str], cols: u16) -> Vec<String> {
    let home = env.dir.path().display().to_string();
    let system = env.path("system.toml").display().to_string();
    let columns = cols.to_string();
    let envs = [
        ("HOME", home.as_str()),
        ("XDG_CONFIG_HOME", home.as_str()),
        ("XDG_DATA_HOME", home.as_str()),
        ("XDG_STATE_HOME", home.as_str()),
        ("ADMIN_PORTAL_SYSTEM_CONFIG", system.as_str()),
        ("COLUMNS", columns.as_str()),
    ];
    let mut pty = support::pty::Pty::spawn(args, &envs, cols, 40);
    assert_eq!(pty.exit_code(None), Ok(0), "{}", pty.screen());
    pty.screen()
        .lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn tables_show_the_columns_that_fit_the_terminal_and_never_cut_piped_output() {
    let env = Env::demo();
    let db = env.path("store.db").display().to_string();
    let args = ["--db", db.as_str(), "customers", "list", "--limit", "5"];
    // At 60 columns: the most useful columns, each row on one line, `…` where a value is cut.
    let rows = at_terminal(&env, &args, 60);
    assert_eq!(
        rows.len(),
        6,
        "every row on one line of the terminal: {rows:#?}"
    );
    assert!(rows[0].starts_with("ID  NAME"), "{rows:#?}");
    assert!(
        !rows[0].contains("EMAIL") && !rows[0].contains("CREATED"),
        "{rows:#?}"
    );
    assert!(rows.iter().all(|r| r.chars().count() <= 60), "{rows:#?}");
    assert!(rows.iter().any(|r| r.contains('…')), "{rows:#?}");
    // At 100: more of them, with the status.
    let rows = at_terminal(&env, &args, 100);
    assert_eq!(rows.len(), 6, "{rows:#?}");
    assert!(
        rows[0].contains("CONTACT") && rows[0].contains("STATUS"),
        "{rows:#?}"
    );
    // --wide: every column, however wide.
    let mut wide = args.to_vec();
    wide.push("--wide");
    let text = at_terminal(&env, &wide, 60).join("\n");
    for column in ["EMAIL", "PHONE", "PARENT", "CREATED"] {
        assert!(text.contains(column), "{column} with --wide: {text}");
    }

    // Piped (even with $COLUMNS set): every column, nothing cut.
    let out = env
        .cmd(&["--db", "store.db", "customers", "list"])
        .env("COLUMNS", "40")
        .output()
        .unwrap();
    let piped = stdout(&out);
    let header: Vec<&str> = piped.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "ID", "NAME", "TYPE", "PARENT", "CONTACT", "EMAIL", "PHONE", "CITY", "CAMERAS",
            "USERS", "PLAN", "STATUS", "CREATED"
        ]
    );
    assert!(!piped.contains('…'), "{piped}");
}

#[test]
fn columns_chooses_the_columns_and_an_unknown_one_is_a_usage_error() {
    let env = Env::demo();
    let table = env.ok(&[
        "--db",
        "store.db",
        "customers",
        "list",
        "--columns",
        "email,name",
        "--limit",
        "3",
    ]);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["EMAIL", "NAME"], "{table}");
    assert_eq!(table.lines().count(), 4, "{table}");
    let csv = env.ok(&[
        "--db",
        "store.db",
        "cameras",
        "list",
        "--columns",
        "mac,customer",
        "--format",
        "csv",
    ]);
    assert!(csv.starts_with("mac,customer\n"), "{csv}");

    let out = env.run(&[
        "--db",
        "store.db",
        "customers",
        "list",
        "--columns",
        "name,colour",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("\"colour\""), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn help_says_no_subcommand_opens_the_portal_and_lists_format() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    assert!(
        help.contains("With no subcommand, admin-portal opens the portal"),
        "{help}"
    );
    assert!(help.contains("--format"), "{help}");
    for args in [
        &["customers", "list", "--help"][..],
        &["customers", "show", "x", "--help"],
        &["cameras", "list", "--help"],
        &["plans", "list", "--help"],
        &["audit", "--help"],
        &["config", "--help"],
    ] {
        let help = env.ok(args);
        assert!(help.contains("--format <FORMAT>"), "{args:?}: {help}");
        assert!(help.contains("json"), "{args:?}: {help}");
    }
}

#[test]
fn counts_agree_in_number() {
    let env = Env::demo();
    let list = env.json(&["--db", "store.db", "customers", "list", "--format", "json"]);
    let one = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["users"] == 1)
        .expect("a demo customer with one user");
    let shown = env.ok(&[
        "--db",
        "store.db",
        "customers",
        "show",
        one["name"].as_str().unwrap(),
    ]);
    assert!(shown.contains("\n1 user\n"), "{shown}");
    let audit = env.ok(&["--db", "store.db", "audit", "--limit", "1000"]);
    let filled = env.run(&["--db", "other.db", "--init", "demo", "--customers", "1"]);
    let filled = stdout(&filled);
    assert!(filled.contains("with 1 customer,"), "{filled}");
    for text in [&audit, &filled] {
        for wrong in [
            " 1 customers",
            " 1 cameras",
            " 1 users",
            " 1 roles",
            " 1 plans",
        ] {
            assert!(!text.contains(wrong), "{wrong:?} in {text}");
        }
    }
}
