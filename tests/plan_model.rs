//! One plan model (issue 11): each camera records on its own plan or else on its customer's
//! recording plan, and the bill is the sum over the customer's cameras. Every screen that names
//! a camera's plan (the Customers tab, the Account Profile, the customer's Cameras pane, the
//! Cameras tab) and the exports (JSON and CSV) are drawn over one store and must agree.

mod support;

use admin_portal::app::App;
use admin_portal::domain::{CameraSpec, Id, Operator, RecordingMode};
use admin_portal::keymap::Keymap;
use admin_portal::store::inventory::PlanSpec;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::MONO;
use admin_portal::transfer::customers_csv;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use support::db::RawConn;
use support::fixture::{app_press as press, app_text as screen, hashes, row, sample_customer};

fn op() -> Operator {
    Operator {
        login: "alice".into(),
        client: None,
    }
}

fn plan(name: &str, cents: i64) -> PlanSpec {
    PlanSpec {
        name: name.into(),
        retention_days: 30,
        mode: RecordingMode::Continuous,
        price_cents: cents,
        currency: "USD".into(),
    }
}

fn camera(n: u8, name: &str) -> CameraSpec {
    CameraSpec {
        name: name.into(),
        mac: format!("AA:BB:CC:00:00:{n:02X}"),
        serial: format!("SN-{n:04}"),
        model: "Axis P3245".into(),
        location: "Hall".into(),
    }
}

/// Acme on Standard 30 (9.99) with three cameras, Front door on Pro 90 (19.99) of its own.
fn store(dir: &std::path::Path) -> (Store, Id) {
    let mut store = Store::open(&dir.join("s.db"), OpenMode::Create).expect("store");
    let standard = store
        .add_plan(&plan("Standard 30", 999), &op())
        .expect("plan");
    let pro = store.add_plan(&plan("Pro 90", 1999), &op()).expect("plan");
    let mut new = sample_customer("Acme Security");
    new.profile.defaults.default_plan_id = Some(standard);
    for (n, name) in [(1, "Front door"), (2, "Loading dock"), (3, "Lobby")] {
        new.camera_ids
            .push(store.add_camera(&camera(n, name), &op()).expect("camera"));
    }
    store
        .add_camera(&camera(9, "Spare"), &op())
        .expect("camera");
    let id = store
        .create_customer(&new, &hashes(&new), &op())
        .expect("create")
        .id;
    let front = new.camera_ids[0];
    let version = store.camera(front).expect("read").expect("camera").version;
    store
        .set_camera_plan(front, version, Some(pro), &op())
        .expect("own plan");
    (store, id)
}

#[track_caller]
fn assert_camera_plans(screen: &str, what: &str) {
    assert!(
        row(screen, "Front door").contains("Pro 90"),
        "{what}:\n{screen}"
    );
    for name in ["Loading dock", "Lobby"] {
        assert!(
            row(screen, name).contains("(Standard 30)"),
            "{what}: {name}\n{screen}"
        );
    }
}

#[test]
fn every_screen_and_the_exports_show_the_same_plan_for_each_camera() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, acme) = store(dir.path());
    let bill = store
        .monthly_bill(&store.customer(acme).expect("read").expect("acme"))
        .expect("bill");
    // The estimate is the sum over the cameras of each camera's plan.
    assert_eq!(bill.total_cents, 1999 + 2 * 999);

    let export = store.export_customers(&[acme], false).expect("export");
    let c = &export.customers[0];
    assert_eq!(c.defaults.default_plan.as_deref(), Some("Standard 30"));
    let plan_of = |name: &str| {
        c.cameras
            .iter()
            .find(|k| k.name == name)
            .map(|k| k.plan.clone())
            .expect("camera exported")
    };
    assert_eq!(plan_of("Front door").as_deref(), Some("Pro 90"));
    assert_eq!(plan_of("Loading dock"), None, "follows the recording plan");
    let json = serde_json::to_value(&export).expect("json");
    assert!(
        json.pointer("/customers/0/billing/plan").is_none(),
        "no second plan in the export: {json}"
    );
    let csv = String::from_utf8(customers_csv(&export).expect("csv")).expect("utf-8");
    let header = csv.lines().next().expect("header");
    assert!(!header.contains("billing.plan"), "{header}");
    let column = header
        .split(',')
        .position(|h| h == "defaults.default_plan")
        .expect("recording plan column");
    let cells: Vec<&str> = csv.lines().nth(1).expect("row").split(',').collect();
    assert_eq!(cells[column], "Standard 30", "{csv}");

    let mut app = App::new(store, Keymap::default(), &MONO, op(), None).expect("app");
    // The plan column shows from 200 columns on.
    let customers = screen(&mut app, 200, 50);
    assert!(
        row(&customers, "Acme Security").contains("Standard 30"),
        "Customers tab:\n{customers}"
    );

    press(&mut app, KeyCode::Enter);
    let profile = screen(&mut app, 100, 30);
    assert!(
        row(&profile, "Recording plan").contains("Standard 30"),
        "{profile}"
    );
    assert!(
        row(&profile, "Monthly estimate").contains("39.97 USD for 3 cameras"),
        "{profile}"
    );
    assert!(profile.contains("1 × Pro 90"), "{profile}");
    assert!(profile.contains("2 × Standard 30"), "{profile}");
    assert!(!profile.contains("Plan "), "no second plan:\n{profile}");

    press(&mut app, KeyCode::Right);
    let pane = screen(&mut app, 100, 30);
    assert_camera_plans(&pane, "the customer's Cameras pane");

    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('2'));
    let tab = screen(&mut app, 100, 30);
    assert_camera_plans(&tab, "the Cameras tab");
    assert!(
        !row(&tab, "Spare").contains("Standard 30"),
        "an inventory camera has no customer's plan:\n{tab}"
    );

    // The profile's edit form counts the same bill.
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..4 {
        app.handle_event(Event::Key(KeyEvent::new(
            KeyCode::Char('n'),
            KeyModifiers::CONTROL,
        )));
    }
    let edit = screen(&mut app, 100, 30);
    assert!(
        edit.contains("39.97 USD (1 × Pro 90 at 19.99 USD + 2 × Standard 30 at 9.99 USD)"),
        "{edit}"
    );
}

/// A store of schema 3 with billing plans: migration 4 makes the billing plan the recording plan
/// where there was none (also in archives and drafts), keeps the recording plan where both were
/// set, and leaves no billing plan behind.
#[test]
fn migration_4_moves_the_billing_plan_into_the_recording_plan() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, acme) = store(dir.path());
    let path = store.path().to_path_buf();
    let standard = store.plans().expect("plans")[1].id;
    let pro = store.plans().expect("plans")[0].id;
    assert_eq!(store.plans().expect("plans")[0].name, "Pro 90");
    let mut bolt = sample_customer("Bolt Logistics");
    bolt.profile.defaults.default_plan_id = None;
    drop(store);
    let mut store = Store::open(&path, OpenMode::Existing).expect("open");
    let bolt = store
        .create_customer(&bolt, &hashes(&bolt), &op())
        .expect("create")
        .id;
    drop(store);
    // Back to schema 3 as an older program wrote it.
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let archived = serde_json::json!({
        "customer": { "profile": { "defaults": { "default_plan_id": null },
                                   "billing": { "plan_id": pro, "terms": "net30" } } },
        "roles": [], "users": [], "cameras": []
    });
    let draft = serde_json::json!({
        "step": 5, "profile": { "defaults": { "default_plan_id": null },
                                "billing": { "plan_id": standard } }
    });
    conn.execute_batch(&format!(
        "DROP INDEX customers_default_plan;
         DROP TRIGGER customers_fts_parent_rename;
         DROP TRIGGER cameras_count_insert;
         DROP TRIGGER cameras_count_delete;
         DROP TRIGGER cameras_count_move;
         DROP TRIGGER users_count_insert;
         DROP TRIGGER users_count_delete;
         DROP TRIGGER users_count_move;
         DROP INDEX customers_camera_count;
         DROP INDEX customers_user_count;
         ALTER TABLE customers DROP COLUMN camera_count;
         ALTER TABLE customers DROP COLUMN user_count;
         CREATE INDEX billing_plan ON billing (plan_id);
         UPDATE billing SET plan_id = {pro};
         UPDATE cameras SET plan_id = {pro} WHERE customer_id IS NULL;
         INSERT INTO archive (customer_id, name, deleted_at, operator, audit_id, data)
             VALUES (99, 'Gone', '2024-01-01T00:00:00Z', 'bob', 1, '{archived}');
         INSERT INTO drafts (operator, step, data, updated_at)
             VALUES ('bob', 5, '{draft}', '2024-01-01T00:00:00Z');
         INSERT INTO drafts (operator, step, data, updated_at)
             VALUES ('eve', 2, 'not json', '2024-01-01T00:00:00Z');
         PRAGMA user_version = 3;"
    ))
    .expect("downgrade");
    drop(conn);

    let store = Store::open(&path, OpenMode::Existing).expect("migrate");
    let int = |sql: &str| support::fixture::int(&store, sql);
    let plan_of = |id: Id| {
        int(&format!(
            "SELECT coalesce(default_plan_id, 0) FROM customers WHERE id = {id}"
        ))
    };
    assert_eq!(
        plan_of(acme),
        standard,
        "the recording plan stays where both were set"
    );
    assert_eq!(
        plan_of(bolt),
        pro,
        "the billing plan became the recording plan"
    );
    assert_eq!(
        int("SELECT count(*) FROM billing WHERE plan_id IS NOT NULL"),
        0
    );
    assert_eq!(
        int("SELECT count(*) FROM cameras WHERE customer_id IS NULL AND plan_id IS NOT NULL"),
        0
    );
    let archive: String = store
        .raw_conn()
        .query_row("SELECT data FROM archive WHERE name = 'Gone'", [], |r| {
            r.get(0)
        })
        .expect("archive");
    let archive: serde_json::Value = serde_json::from_str(&archive).expect("json");
    assert_eq!(
        archive["customer"]["profile"]["defaults"]["default_plan_id"],
        pro
    );
    assert!(
        archive["customer"]["profile"]["billing"]
            .get("plan_id")
            .is_none()
    );
    let draft: String = store
        .raw_conn()
        .query_row("SELECT data FROM drafts WHERE operator = 'bob'", [], |r| {
            r.get(0)
        })
        .expect("draft");
    let draft: serde_json::Value = serde_json::from_str(&draft).expect("json");
    assert_eq!(draft["profile"]["defaults"]["default_plan_id"], standard);
    assert_eq!(
        int("SELECT count(*) FROM drafts WHERE data = 'not json'"),
        1
    );
}

/// An export written before one plan model (a `billing.plan` key, a `billing.plan` CSV column)
/// still imports: the billing plan becomes the recording plan when that is empty.
#[test]
fn an_old_export_with_a_billing_plan_imports_it_as_the_recording_plan() {
    use admin_portal::transfer::{check_customers, parse_customers_csv, parse_customers_json};
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, acme) = store(dir.path());
    let mut file = store.export_customers(&[acme], false).expect("export");
    file.customers[0].cameras.clear();
    let mut json = serde_json::to_value(&file).expect("json");
    let c = &mut json["customers"][0];
    c["contact"]["company"] = "Old Json".into();
    c["defaults"]["default_plan"] = serde_json::Value::Null;
    c["billing"]["plan"] = "Pro 90".into();
    for u in c["users"].as_array_mut().expect("users") {
        let email = u["email"].as_str().expect("email").replace('@', "@old.");
        u["email"] = email.into();
    }
    let import = parse_customers_json(&json.to_string()).expect("parses");
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    assert!(
        check_customers(&import.file, &store)
            .expect("check")
            .is_empty()
    );

    let csv = "contact.company,defaults.default_plan,billing.plan\nOld Csv,,Pro 90\n";
    let (csv_file, _) = parse_customers_csv(csv).expect("old CSV column accepted");
    assert_eq!(
        csv_file.customers[0].billing.plan.as_deref(),
        Some("Pro 90")
    );

    for f in [&import.file, &csv_file] {
        store.import_customers(f, "x", &op()).expect("import");
    }
    for name in ["Old Json", "Old Csv"] {
        let plan: String = store
            .raw_conn()
            .query_row(
                "SELECT p.name FROM customers c JOIN plans p ON p.id = c.default_plan_id
                 WHERE c.name = ?1",
                [name],
                |r| r.get(0),
            )
            .expect("recording plan");
        assert_eq!(plan, "Pro 90", "{name}");
    }
}
