//! The contract suite, moving data: the demo fill, the export (whole store and chosen customers,
//! one snapshot) and the round trip of an export file between the two stores. Every test runs
//! on SQLite and on PostgreSQL (`support::contract`) and asserts the same results.

mod support;

use admin_portal::domain::{CameraSpec, Operator, RecordingMode};
use admin_portal::store::Store;
use admin_portal::store::demo::{DemoReport, DemoSpec};
use admin_portal::store::export::{ExportFile, InventoryCamera, write_json};
use admin_portal::store::inventory::PlanSpec;
use admin_portal::store::views::AuditQuery;
use support::contract::Subject;

fn op() -> Operator {
    Operator {
        login: "ada".into(),
        client: None,
    }
}

const SPEC: DemoSpec = DemoSpec {
    customers: 300,
    cameras: 3_000,
    seed: 11,
};

fn demo(store: &mut Store) {
    support::fixture::demo(store, 40, 300, 5);
}

/// The whole store as an export, without what follows the clock (creation times).
fn everything(store: &Store) -> ExportFile {
    let ids = store.customer_ids_by_name().unwrap();
    let mut file = store.export_customers(&ids, true).unwrap();
    for c in &mut file.customers {
        c.created_at = None;
    }
    file
}

fn without_elapsed(r: &DemoReport) -> DemoReport {
    DemoReport {
        elapsed: Default::default(),
        ..r.clone()
    }
}

fn a_demo_fill_writes_the_same_data_on_both_stores(s: &mut Subject) {
    let report = s.store.fill_demo(&SPEC, &mut |_| {}).unwrap();
    let mut reference = support::contract::sqlite(support::contract::empty);
    let expected = reference.store.fill_demo(&SPEC, &mut |_| {}).unwrap();
    assert_eq!(without_elapsed(&report), without_elapsed(&expected));
    assert_eq!((report.customers, report.linked), (300, 2_250));
    let mut here = everything(&s.store);
    let mut there = everything(&reference.store);
    // One hash of a random password per fill: the same on every user of a store.
    for f in [&mut here, &mut there] {
        for u in f.customers.iter_mut().flat_map(|c| c.users.iter_mut()) {
            u.password_hash = None;
        }
    }
    assert_eq!(here.customers.len(), 300);
    assert_eq!(here, there);
    let all = AuditQuery::default();
    assert_eq!(
        s.store.audit_count(&all).unwrap(),
        reference.store.audit_count(&all).unwrap()
    );
    let newest = s.store.audit_page(&all, 0, 1).unwrap().remove(0);
    assert_eq!(newest.action, "demo.fill");

    // The ids the fill gave are behind every sequence: the next writes take the next ids.
    let plan = PlanSpec {
        name: "After the fill".into(),
        retention_days: 14,
        mode: RecordingMode::Event,
        price_cents: 100,
        currency: "USD".into(),
    };
    let id = s.store.add_plan(&plan, &op()).unwrap();
    assert_eq!(id, 7, "six demo plans before it");
    let entry = s.store.audit_page(&all, 0, 1).unwrap().remove(0);
    assert_eq!(
        (entry.id, entry.action.as_str()),
        (newest.id + 1, "plan.add")
    );

    // A store with customers is refused, and nothing is written.
    let err = s.store.fill_demo(&SPEC, &mut |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the store already has 300 customers; demo fills an empty store"
    );
    assert_eq!(s.store.audit_count(&all).unwrap(), entry.id);
}
contract!(a_demo_fill_writes_the_same_data_on_both_stores);

fn the_fill_reports_its_progress(s: &mut Subject) {
    let mut lines = Vec::new();
    let spec = DemoSpec {
        customers: 12,
        cameras: 100,
        seed: 2,
    };
    s.store
        .fill_demo(&spec, &mut |l| lines.push(l.to_string()))
        .unwrap();
    assert_eq!(
        lines,
        ["plans 6/6", "customers 12/12", "unlinked cameras 25/25"]
    );
}
contract!(the_fill_reports_its_progress);

fn an_export_is_the_same_from_both_stores(s: &mut Subject) {
    let reference = support::contract::sqlite(demo);
    assert_eq!(
        s.store.customer_ids_by_name().unwrap(),
        reference.store.customer_ids_by_name().unwrap()
    );
    let mut here = Vec::new();
    let mut there = Vec::new();
    let n = s
        .store
        .export_stream(None, true, |plans, customers| {
            write_json(&mut here, &plans, customers)
        })
        .unwrap()
        .unwrap();
    reference
        .store
        .export_stream(None, true, |plans, customers| {
            write_json(&mut there, &plans, customers)
        })
        .unwrap()
        .unwrap();
    assert_eq!(n, 40);
    // The creation times follow the seed's clock and the hash is a random password's: apart
    // from them the same store.
    let strip = |bytes: &[u8]| {
        let mut file: ExportFile = serde_json::from_slice(bytes).unwrap();
        for c in &mut file.customers {
            c.created_at = None;
            c.users.iter_mut().for_each(|u| u.password_hash = None);
        }
        file
    };
    let (here, there) = (strip(&here), strip(&there));
    assert_eq!(here, there);
    // The stream is the whole-file export, customer for customer.
    let mut whole = everything(&s.store);
    for c in &mut whole.customers {
        c.users.iter_mut().for_each(|u| u.password_hash = None);
    }
    assert_eq!(here.customers, whole.customers);

    // Chosen customers, in the order given, with the plans they name.
    let ids = s.store.customer_ids_by_name().unwrap();
    let chosen = [ids[7], ids[2]];
    let file = s.store.export_customers(&chosen, false).unwrap();
    let names: Vec<&str> = file
        .customers
        .iter()
        .map(|c| c.contact.company.as_str())
        .collect();
    assert_eq!(
        names,
        [
            &*here.customers[7].contact.company,
            &*here.customers[2].contact.company
        ]
    );
    assert!(
        file.customers
            .iter()
            .flat_map(|c| &c.users)
            .all(|u| u.password_hash.is_none())
    );
    let other = reference.store.export_customers(&chosen, false).unwrap();
    assert_eq!(file.plans, other.plans);
    let err = s.store.export_customers(&[9_999], false).unwrap_err();
    assert_eq!(err.to_string(), "customer #9999 not found");
    // By id or by name, any case.
    let name = here.customers[3].contact.company.to_uppercase();
    assert_eq!(s.store.find_customer(&name).unwrap(), Some(ids[3]));
    assert_eq!(
        s.store.find_customer(&ids[3].to_string()).unwrap(),
        Some(ids[3])
    );
    assert_eq!(s.store.find_customer("no such customer").unwrap(), None);
}
contract!(an_export_is_the_same_from_both_stores, demo);

fn inventory_camera(n: u32, customer: Option<&str>, plan: Option<&str>) -> InventoryCamera {
    InventoryCamera {
        spec: CameraSpec {
            name: format!("Imported {n}"),
            mac: format!("AA:BB:CC:00:00:{n:02X}"),
            serial: format!("IMP-{n:04}"),
            model: "Axis P3245".into(),
            location: "Lobby".into(),
        },
        customer: customer.map(str::to_string),
        plan: plan.map(str::to_string),
        recording: true,
    }
}

fn a_camera_import_is_all_or_nothing_with_one_audit_entry(s: &mut Subject) {
    let ids = s.store.customer_ids_by_name().unwrap();
    let first = s.store.export_customers(&ids[..1], false).unwrap();
    let name = first.customers[0].contact.company.clone();
    let plan = s.store.plans().unwrap()[0].name.clone();
    let all = AuditQuery::default();
    let before = s.store.audit_count(&all).unwrap();

    // A MAC given twice: refused, naming the camera, and nothing of the import is written.
    let mut twice = inventory_camera(2, None, None);
    twice.spec.serial = "IMP-OTHER".into();
    let batch = [
        inventory_camera(1, None, None),
        inventory_camera(2, None, None),
        twice,
    ];
    let err = s.store.import_cameras(&batch, &op()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Camera Imported 2: MAC AA:BB:CC:00:00:02 or serial IMP-OTHER is already registered"
    );
    let err = s
        .store
        .import_cameras(&[inventory_camera(3, Some("Nobody Inc"), None)], &op())
        .unwrap_err();
    assert_eq!(err.to_string(), "customer \"Nobody Inc\" not found");
    assert_eq!(s.store.audit_count(&all).unwrap(), before);

    let batch = [
        inventory_camera(1, Some(&name.to_uppercase()), Some(&plan.to_lowercase())),
        inventory_camera(2, None, Some(&plan)),
    ];
    assert_eq!(s.store.import_cameras(&batch, &op()).unwrap(), 2);
    let entry = s.store.audit_page(&all, 0, 1).unwrap().remove(0);
    assert_eq!(
        (entry.action.as_str(), entry.summary.as_str()),
        ("camera.import", "imported 2 cameras")
    );
    assert_eq!(s.store.audit_count(&all).unwrap(), before + 1);
    let after = s.store.export_customers(&ids[..1], false).unwrap();
    let cam = after.customers[0]
        .cameras
        .iter()
        .find(|c| c.name == "Imported 1")
        .expect("linked to the customer named");
    assert_eq!((cam.plan.as_deref(), cam.recording), (Some(&*plan), true));
    assert_eq!(
        after.customers[0].cameras.len(),
        first.customers[0].cameras.len() + 1
    );
}
contract!(a_camera_import_is_all_or_nothing_with_one_audit_entry, demo);

/// Export from the store under test, import into a fresh SQLite store, export again: the same
/// file. (The import into PostgreSQL waits for the wizard's insert there, `NotOnPostgres`.)
fn an_export_imports_whole_into_sqlite(s: &mut Subject) {
    let ids = s.store.customer_ids_by_name().unwrap();
    let file = s.store.export_customers(&ids, true).unwrap();
    let mut target = support::contract::sqlite(support::contract::empty);
    let report = target
        .store
        .import_customers(&file, support::fixture::HASH, &op())
        .unwrap();
    assert_eq!(report.customers, 40);
    assert_eq!(report.plans_created, file.plans.len());
    let ids = target.store.customer_ids_by_name().unwrap();
    let again = target.store.export_customers(&ids, true).unwrap();
    assert_eq!(again.customers, file.customers);
    let mut plans = again.plans.clone();
    plans.sort_by(|a, b| a.name.cmp(&b.name));
    let mut expected = file.plans.clone();
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(plans, expected);
    if s.is_postgres() {
        // Issue 10 is carried call by call: this one is not on PostgreSQL yet, and says so.
        let err = s
            .store
            .import_customers(&file, support::fixture::HASH, &op())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "customers import is not available on a PostgreSQL store yet"
        );
    }
}
contract!(an_export_imports_whole_into_sqlite, demo);
