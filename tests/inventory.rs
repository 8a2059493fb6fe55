//! The camera inventory and the plans: store rules over a temporary store, and what the Cameras
//! and Plans tabs draw (snapshots) and do with keys.

mod support;

use admin_portal::app::{Ctx, Effect};
use admin_portal::domain::validate::field;
use admin_portal::domain::{CameraSpec, Id, RecordingMode};
use admin_portal::keymap::Keymap;
use admin_portal::store::inventory::{
    CameraQuery, CameraSort, PlanSpec, parse_price, plan_field, refused_field,
};
use admin_portal::store::{OpenMode, Store, StoreError};
use admin_portal::theme::{COLOR, MONO, Theme};
use admin_portal::ui::cameras::CamerasScreen;
use admin_portal::ui::component::Component;
use admin_portal::ui::plans::PlansScreen;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use support::db::RawConn;
use support::fixture::*;

const T: &str = "2024-05-01T09:30:00Z";

/// An empty store; the operator is at 10.0.0.7.
fn empty() -> Env {
    Env::new().with_client("10.0.0.7")
}

/// Five demo customers and thirty cameras.
fn demo_env() -> Env {
    Env::demo(5, 30, 1).with_client("10.0.0.7")
}

impl Env {
    fn customer(&self, name: &str) -> Id {
        self.insert(&format!(
            "INSERT INTO customers (kind, name, created_at, updated_at)
             VALUES ('customer', '{name}', '{T}', '{T}')"
        ))
    }

    fn camera(&mut self, name: &str, mac: &str, serial: &str) -> Id {
        let op = self.operator.clone();
        self.store
            .add_camera(&spec(name, mac, serial), &op)
            .expect("add camera")
    }

    fn version(&self, table: &str, id: Id) -> i64 {
        self.store
            .raw_conn()
            .query_row(
                &format!("SELECT version FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .expect("version")
    }

    fn audit_actions(&self) -> Vec<(String, String, Option<String>)> {
        let conn = self.store.raw_conn();
        let mut stmt = conn
            .prepare("SELECT action, operator, customer_name FROM audit ORDER BY id")
            .expect("audit");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("audit rows")
            .collect::<Result<_, _>>()
            .expect("audit rows")
    }

    fn press(&mut self, screen: &mut dyn Screen, code: KeyCode) -> Effect {
        let mut ctx = self.ctx();
        screen.key(&key(code), &mut ctx)
    }

    fn ctrl(&mut self, screen: &mut dyn Screen, c: char) -> Effect {
        let mut ctx = self.ctx();
        screen.key(&ctrl(c), &mut ctx)
    }

    fn type_text(&mut self, screen: &mut dyn Screen, text: &str) {
        for c in text.chars() {
            self.press(screen, KeyCode::Char(c));
        }
    }

    fn draw(
        &self,
        screen: &mut dyn Screen,
        theme: &'static Theme,
        width: u16,
        height: u16,
    ) -> String {
        render_text(width, height, |frame| {
            screen.render(frame, theme, &self.keymap, &self.store)
        })
    }
}

/// The two screens behind one face, so the helpers serve both.
trait Screen {
    fn key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect;
    fn render(&mut self, frame: &mut ratatui::Frame, theme: &Theme, keymap: &Keymap, store: &Store);
}

/// The Cameras and Plans tabs through the one protocol: the key looked up once in its
/// contexts.
impl Screen for CamerasScreen {
    fn key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let action = ctx.keymap.lookup_in(&self.contexts(), key);
        Component::handle_key(self, key, action, ctx)
    }
    fn render(
        &mut self,
        frame: &mut ratatui::Frame,
        theme: &Theme,
        keymap: &Keymap,
        store: &Store,
    ) {
        let area = frame.area();
        self.before_draw(area, store);
        Component::render(self, frame, area, theme, keymap);
    }
}

impl Screen for PlansScreen {
    fn key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let action = ctx.keymap.lookup_in(&self.contexts(), key);
        Component::handle_key(self, key, action, ctx)
    }
    fn render(
        &mut self,
        frame: &mut ratatui::Frame,
        theme: &Theme,
        keymap: &Keymap,
        store: &Store,
    ) {
        let area = frame.area();
        self.before_draw(area, store);
        Component::render(self, frame, area, theme, keymap);
    }
}

fn spec(name: &str, mac: &str, serial: &str) -> CameraSpec {
    CameraSpec {
        name: name.into(),
        mac: mac.into(),
        serial: serial.into(),
        model: "Axis P3245-LVE".into(),
        location: "Lobby".into(),
    }
}

fn plan(name: &str, cents: i64) -> PlanSpec {
    PlanSpec {
        name: name.into(),
        retention_days: 90,
        mode: RecordingMode::Continuous,
        price_cents: cents,
        currency: "USD".into(),
    }
}

fn refused(e: StoreError) -> String {
    match e {
        StoreError::Refused(m) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Store rules

#[test]
fn mac_is_normalised_and_unique_mac_and_serial_refusals_name_the_field() {
    let mut f = empty();
    let id = f.camera("Lobby", "aa-bb-cc-00-11-22", "SN-1");
    let row = f.store.camera_row(id).unwrap().unwrap();
    assert_eq!(row.mac, "AA:BB:CC:00:11:22");
    assert_eq!(row.customer, None);

    let op = f.operator.clone();
    let e = f
        .store
        .add_camera(&spec("Gate", "aabb.cc00.1122", "SN-2"), &op)
        .unwrap_err();
    assert_eq!(refused_field(&e), Some(field::CAMERA_MAC));
    assert_eq!(
        refused(e),
        "MAC address AA:BB:CC:00:11:22: already registered to camera Lobby"
    );

    let e = f
        .store
        .add_camera(&spec("Gate", "AA:BB:CC:00:11:23", "sn-1"), &op)
        .unwrap_err();
    assert_eq!(refused_field(&e), Some(field::CAMERA_SERIAL));
    assert_eq!(
        refused(e),
        "Serial number sn-1: already registered to camera Lobby"
    );

    // An edit may keep its own MAC and serial, but not take another camera's.
    let gate = f.camera("Gate", "AA:BB:CC:00:11:23", "SN-2");
    let v = f.version("cameras", id);
    f.store
        .update_camera(id, v, &spec("Lobby east", "aabbcc001122", "SN-1"), &op)
        .expect("own MAC kept");
    let v = f.version("cameras", gate);
    let e = f
        .store
        .update_camera(gate, v, &spec("Gate", "AA:BB:CC:00:11:23", "SN-1"), &op)
        .unwrap_err();
    assert_eq!(refused_field(&e), Some(field::CAMERA_SERIAL));
    assert!(refused(e).contains("camera Lobby east"));

    // Invalid input is refused by the store too, not only by the form.
    let e = f
        .store
        .add_camera(&spec("", "zz", "SN-9"), &op)
        .unwrap_err();
    assert!(matches!(e, StoreError::Refused(_)));
}

#[test]
fn a_stale_version_is_refused() {
    let mut f = empty();
    let id = f.camera("Lobby", "AA:BB:CC:00:11:22", "SN-1");
    let op = f.operator.clone();
    let v = f.version("cameras", id);
    f.store
        .update_camera(id, v, &spec("Lobby 2", "AA:BB:CC:00:11:22", "SN-1"), &op)
        .unwrap();
    // A second operator still holds version v.
    let e = f
        .store
        .update_camera(id, v, &spec("Lobby 3", "AA:BB:CC:00:11:22", "SN-1"), &op)
        .unwrap_err();
    let StoreError::Conflict(m) = e else {
        panic!("expected a conflict, got {e:?}")
    };
    assert!(m.contains("Lobby 2 was changed by another operator"), "{m}");
    let e = f.store.delete_camera(id, v, false, &op).unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)));
    assert!(f.store.camera_row(id).unwrap().is_some());

    let p = f.store.add_plan(&plan("Pro 90", 1999), &op).unwrap();
    f.store
        .update_plan(p, 1, &plan("Pro 90+", 2099), &op)
        .unwrap();
    let e = f
        .store
        .update_plan(p, 1, &plan("Pro 91", 2099), &op)
        .unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)));
    let e = f.store.delete_plan(p, 1, &op).unwrap_err();
    assert!(matches!(e, StoreError::Conflict(_)));
}

#[test]
fn a_linked_camera_is_deleted_only_with_unlink_first() {
    let mut f = empty();
    let acme = f.customer("Acme");
    let id = f.camera("Lobby", "AA:BB:CC:00:11:22", "SN-1");
    let op = f.operator.clone();
    f.store.link_cameras(acme, &[id], &op).unwrap();
    let row = f.store.camera_row(id).unwrap().unwrap();
    assert_eq!(row.customer.as_deref(), Some("Acme"));

    let e = f
        .store
        .delete_camera(id, row.version, false, &op)
        .unwrap_err();
    assert_eq!(
        refused(e),
        "Camera Lobby is linked to Acme: unlink it first"
    );
    assert!(f.store.camera_row(id).unwrap().is_some());

    f.store.delete_camera(id, row.version, true, &op).unwrap();
    assert!(f.store.camera_row(id).unwrap().is_none());
    let last = f.audit_actions().pop().unwrap();
    assert_eq!(
        last,
        ("camera.delete".into(), "alice".into(), Some("Acme".into()))
    );
}

#[test]
fn a_plan_in_use_cannot_be_deleted_and_the_message_names_the_counts() {
    let mut f = empty();
    let op = f.operator.clone();
    let pro = f.store.add_plan(&plan("Pro 90", 1999), &op).unwrap();
    let acme = f.customer("Acme");
    f.customer("Bolt");
    f.sql(&format!(
        "UPDATE customers SET default_plan_id = {pro} WHERE id = {acme} OR name = 'Bolt';"
    ));
    let a = f.camera("A", "AA:BB:CC:00:00:01", "SN-1");
    let b = f.camera("B", "AA:BB:CC:00:00:02", "SN-2");
    f.sql(&format!(
        "UPDATE cameras SET plan_id = {pro} WHERE id IN ({a}, {b})"
    ));

    let usage = f.store.plans_with_usage().unwrap();
    assert_eq!(usage.len(), 1);
    assert_eq!((usage[0].customers, usage[0].cameras), (2, 2));

    let e = f.store.delete_plan(pro, 1, &op).unwrap_err();
    assert_eq!(
        refused(e),
        "Plan Pro 90 is used by 2 customers and 2 cameras; move them to another plan before deleting it"
    );
    f.sql("UPDATE cameras SET plan_id = NULL; DELETE FROM billing; UPDATE customers SET default_plan_id = NULL WHERE name = 'Bolt'");
    let e = f.store.delete_plan(pro, 1, &op).unwrap_err();
    assert!(refused(e).starts_with("Plan Pro 90 is used by 1 customer;"));
    f.sql("UPDATE customers SET default_plan_id = NULL");
    f.store.delete_plan(pro, 1, &op).unwrap();
    assert!(f.store.plans_with_usage().unwrap().is_empty());
}

#[test]
fn plan_names_are_unique_and_plans_are_validated() {
    let mut f = empty();
    let op = f.operator.clone();
    f.store.add_plan(&plan("Pro 90", 1999), &op).unwrap();
    let e = f.store.add_plan(&plan("pro 90", 999), &op).unwrap_err();
    assert_eq!(refused_field(&e), Some(plan_field::NAME));
    let mut bad = plan("Long", 100);
    bad.retention_days = 3651;
    assert!(f.store.add_plan(&bad, &op).is_err());
    let mut bad = plan("Euro", 100);
    bad.currency = "EURO".into();
    assert!(f.store.add_plan(&bad, &op).is_err());
    let mut lower = plan("Euro", 100);
    lower.currency = "eur".into();
    let id = f.store.add_plan(&lower, &op).unwrap();
    assert_eq!(f.store.plan(id).unwrap().unwrap().currency, "EUR");
}

#[test]
fn prices_parse_strictly_into_minor_units() {
    assert_eq!(parse_price("9.99"), Ok(999));
    assert_eq!(parse_price("10"), Ok(1000));
    assert_eq!(parse_price("0.5"), Ok(50));
    for bad in [
        "9.999", "abc", "-1", "", "1e2", "9,99", "9.", ".9", "NaN", "inf",
    ] {
        assert!(parse_price(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn every_write_is_audited_with_the_operator() {
    let mut f = empty();
    let op = f.operator.clone();
    let id = f.camera("Lobby", "AA:BB:CC:00:11:22", "SN-1");
    f.store
        .update_camera(id, 1, &spec("Lobby 2", "AA:BB:CC:00:11:22", "SN-1"), &op)
        .unwrap();
    f.store.delete_camera(id, 2, false, &op).unwrap();
    let p = f.store.add_plan(&plan("Pro 90", 1999), &op).unwrap();
    f.store
        .update_plan(p, 1, &plan("Pro 90", 2099), &op)
        .unwrap();
    f.store.delete_plan(p, 2, &op).unwrap();
    let actions: Vec<String> = f.audit_actions().into_iter().map(|a| a.0).collect();
    assert_eq!(
        actions,
        [
            "camera.add",
            "camera.update",
            "camera.delete",
            "plan.add",
            "plan.update",
            "plan.delete"
        ]
    );
    assert!(f.audit_actions().iter().all(|a| a.1 == "alice"));
    let summary: String = f
        .store
        .raw_conn()
        .query_row(
            "SELECT summary FROM audit WHERE action = 'plan.update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(summary, "plan Pro 90: changed price");
}

#[test]
fn the_inventory_query_pages_filters_literally_and_sorts() {
    let mut f = demo_env();
    let all = CameraQuery::default();
    assert_eq!(f.store.camera_count(&all).unwrap(), 30);
    for sort in CameraSort::ALL {
        let q = CameraQuery {
            filter: String::new(),
            sort,
            ..CameraQuery::default()
        };
        let whole = f.store.camera_page(&q, 0, 100).unwrap();
        let mut paged = f.store.camera_page(&q, 0, 7).unwrap();
        paged.extend(f.store.camera_page(&q, 7, 100).unwrap());
        assert_eq!(whole, paged, "{sort:?}");
        assert_eq!(whole.len(), 30);
    }
    f.camera("50% off", "AA:BB:CC:00:11:22", "X_1");
    f.camera("500 off", "AA:BB:CC:00:11:33", "X21");
    let q = |filter: &str| CameraQuery {
        filter: filter.into(),
        sort: CameraSort::Name,
        ..CameraQuery::default()
    };
    let names = |f: &Env, filter: &str| -> Vec<String> {
        f.store
            .camera_page(&q(filter), 0, 100)
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    assert_eq!(names(&f, "50%"), ["50% off"]);
    assert_eq!(f.store.camera_count(&q("X_")).unwrap(), 1);
    assert_eq!(names(&f, "aa:bb:cc:00:11:3"), ["500 off"]);
    // The customer's name finds its cameras.
    let linked = f
        .store
        .camera_page(&all, 0, 100)
        .unwrap()
        .into_iter()
        .find(|r| r.customer.is_some())
        .expect("a linked camera");
    let customer = linked.customer.unwrap();
    let found = f.store.camera_page(&q(&customer), 0, 100).unwrap();
    assert!(
        found
            .iter()
            .all(|r| r.customer.as_deref() == Some(&customer))
    );
    assert!(found.iter().any(|r| r.id == linked.id));
    assert_eq!(
        f.store.camera_count(&q(&customer)).unwrap(),
        found.len() as i64
    );
}

// ---------------------------------------------------------------------------------------------
// The Cameras tab

#[test]
fn cameras_tab_snapshots() {
    let mut f = demo_env();
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    insta::assert_snapshot!("cameras_100x30", f.draw(&mut screen, &COLOR, 100, 30));
    insta::assert_snapshot!("cameras_80x24", f.draw(&mut screen, &COLOR, 80, 24));
    let (_, actions) = screen.hint();
    assert!(actions.contains(&admin_portal::action::Action::Link));

    // Filter by a customer's name: the count says n of m.
    f.press(&mut screen, KeyCode::Char('/'));
    f.type_text(&mut screen, "Lobby");
    f.press(&mut screen, KeyCode::Enter);
    insta::assert_snapshot!(
        "cameras_filtered_100x30",
        f.draw(&mut screen, &COLOR, 100, 30)
    );
}

/// Long names on the Cameras tab end with "…" instead of being cut silently at their column.
#[test]
fn cameras_tab_cells_that_do_not_fit_end_with_an_ellipsis() {
    let mut f = empty();
    let customer = f.customer("Northwind Logistics and Warehousing International Holdings");
    let camera = f.camera(
        "Loading dock north entrance camera number seventeen",
        "AA:BB:CC:00:11:22",
        "SN-2024-000000017-LONG",
    );
    f.camera("Lobby", "AA:BB:CC:00:11:33", "SN-2");
    let op = f.operator.clone();
    f.store.link_cameras(customer, &[camera], &op).unwrap();
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    for (name, width, height) in [("long_names_80x24", 80, 24), ("long_names_100x30", 100, 30)] {
        let shown = f.draw(&mut screen, &COLOR, width, height);
        assert!(shown.contains("Loading dock north"), "{shown}");
        assert!(shown.contains("…"), "{shown}");
        insta::assert_snapshot!(name, shown);
    }
}

/// `S` reverses the order the Cameras tab is sorted by, `s` goes on to the next order from the
/// start; the store pages a reversed order as the exact reverse of the order.
#[test]
fn shift_s_reverses_the_cameras_order() {
    let mut f = demo_env();
    f.camera("Zulu spare", "AA:BB:CC:00:11:22", "ZZ-1");
    for sort in CameraSort::ALL {
        let q = |descending| CameraQuery {
            sort,
            descending,
            ..CameraQuery::default()
        };
        let ids = |rows: Vec<admin_portal::store::inventory::CameraRow>| -> Vec<Id> {
            rows.into_iter().map(|r| r.id).collect()
        };
        let mut forwards = ids(f.store.camera_page(&q(false), 0, 100).unwrap());
        let mut paged = ids(f.store.camera_page(&q(true), 0, 7).unwrap());
        paged.extend(ids(f.store.camera_page(&q(true), 7, 100).unwrap()));
        forwards.reverse();
        assert_eq!(paged, forwards, "{sort:?} reversed");
    }
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    let effect = f.press(&mut screen, KeyCode::Char('S'));
    assert!(
        matches!(&effect, Effect::Flash(m) if m.text == "sorted by name, reversed"),
        "{effect:?}"
    );
    // The selection stays on its camera; the top of the list is the last name.
    f.press(&mut screen, KeyCode::Char('g'));
    let shown = f.draw(&mut screen, &COLOR, 100, 30);
    assert!(shown.contains("sort: name, reversed"), "{shown}");
    assert_eq!(screen.selected_row().unwrap().name, "Zulu spare");
    f.press(&mut screen, KeyCode::Char('s'));
    let shown = f.draw(&mut screen, &COLOR, 100, 30);
    assert!(shown.contains("sort: MAC "), "{shown}");
    assert!(!shown.contains("reversed"), "{shown}");
}

/// Space picks cameras in place on the Cameras tab; `o` then starts or stops all the picked
/// ones (one audit entry per customer) and clears the picks; with none picked, the selected.
#[test]
fn o_on_the_cameras_tab_acts_on_the_picked_cameras() {
    let mut f = demo_env();
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    let first = screen.selected_row().unwrap().clone();
    f.press(&mut screen, KeyCode::Char(' '));
    assert_eq!(
        screen.selected_row().unwrap().id,
        first.id,
        "Space picks in place"
    );
    f.press(&mut screen, KeyCode::Down);
    let second = screen.selected_row().unwrap().clone();
    f.press(&mut screen, KeyCode::Char(' '));
    assert!(first.recording && second.recording);
    assert_ne!(first.customer, second.customer);
    let shown = f.draw(&mut screen, &COLOR, 100, 30);
    assert!(shown.contains("2 picked"), "{shown}");
    assert!(shown.contains("[x] Bike storage"), "{shown}");
    let before = f.audit_actions().len();
    let effect = f.press(&mut screen, KeyCode::Char('o'));
    assert!(
        matches!(&effect, Effect::Changed(Some(m)) if m.text == "Stopped recording 2 cameras"),
        "{effect:?}"
    );
    let row = |f: &Env, id| f.store.camera_row(id).unwrap().unwrap();
    assert!(!row(&f, first.id).recording && !row(&f, second.id).recording);
    assert_eq!(
        f.audit_actions().len(),
        before + 2,
        "one entry per customer"
    );
    let shown = f.draw(&mut screen, &COLOR, 100, 30);
    assert!(!shown.contains("picked"), "{shown}");
    // None picked: the selected camera alone.
    f.press(&mut screen, KeyCode::Char('o'));
    assert!(row(&f, second.id).recording);
    assert!(!row(&f, first.id).recording);
}

#[test]
fn add_camera_form_shows_errors_under_fields() {
    let mut f = empty();
    f.camera("Lobby", "AA:BB:CC:00:11:22", "SN-1");
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    f.press(&mut screen, KeyCode::Char('a'));
    assert!(screen.captures_text());
    assert!(!screen.is_dirty());
    insta::assert_snapshot!(
        "add_camera_empty_80x24",
        f.draw(&mut screen, &COLOR, 80, 24)
    );
    // Nothing typed: the required fields say so.
    f.ctrl(&mut screen, 's');
    insta::assert_snapshot!(
        "add_camera_required_100x30",
        f.draw(&mut screen, &COLOR, 100, 30)
    );

    // A bad MAC and a serial already registered.
    f.type_text(&mut screen, "Gate");
    f.press(&mut screen, KeyCode::Tab);
    f.type_text(&mut screen, "00:11:22");
    f.press(&mut screen, KeyCode::Tab);
    f.type_text(&mut screen, "SN-1");
    assert!(screen.is_dirty());
    f.ctrl(&mut screen, 's');
    insta::assert_snapshot!(
        "add_camera_errors_100x30",
        f.draw(&mut screen, &COLOR, 100, 30)
    );

    // A good MAC (the focus went to the first field with a problem): now the store refuses
    // the serial, under the serial field.
    f.ctrl(&mut screen, 'u');
    f.type_text(&mut screen, "aa-bb-cc-00-11-99");
    let effect = f.ctrl(&mut screen, 's');
    assert_eq!(effect, Effect::Done);
    insta::assert_snapshot!(
        "add_camera_serial_taken_80x24",
        f.draw(&mut screen, &COLOR, 80, 24)
    );

    // Fixed, Enter on the last field saves.
    f.ctrl(&mut screen, 'u');
    f.type_text(&mut screen, "SN-2");
    for _ in 0..2 {
        f.press(&mut screen, KeyCode::Tab);
    }
    let effect = f.press(&mut screen, KeyCode::Enter);
    assert!(matches!(effect, Effect::Changed(Some(_))), "{effect:?}");
    assert!(!screen.captures_text());
    let count = f.store.camera_count(&CameraQuery::default()).unwrap();
    assert_eq!(count, 2);
    let macs: Vec<String> = f
        .store
        .camera_page(&CameraQuery::default(), 0, 10)
        .unwrap()
        .into_iter()
        .map(|r| r.mac)
        .collect();
    assert!(macs.contains(&"AA:BB:CC:00:11:99".to_string()));
}

/// A message longer than the popup form is wide wraps under its field, every word shown.
#[test]
fn a_long_message_in_the_camera_form_wraps_under_its_field() {
    let mut f = empty();
    let long = "Loading dock north entrance camera number seventeen of building C";
    f.camera(long, "AA:BB:CC:00:11:22", "SN-1");
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    f.press(&mut screen, KeyCode::Char('a'));
    f.type_text(&mut screen, "Gate");
    f.press(&mut screen, KeyCode::Tab);
    f.type_text(&mut screen, "aa-bb-cc-00-11-99");
    f.press(&mut screen, KeyCode::Tab);
    f.type_text(&mut screen, "SN-1");
    assert_eq!(f.ctrl(&mut screen, 's'), Effect::Done);
    let shown = f.draw(&mut screen, &COLOR, 80, 24);
    assert!(shown.contains("of building C"), "{shown}");
    insta::assert_snapshot!("add_camera_long_error_80x24", shown);
    // Tiny terminals with wide characters in the message never panic.
    for (w, h) in [(6, 4), (9, 5), (14, 6)] {
        f.draw(&mut screen, &COLOR, w, h);
    }
}

#[test]
fn esc_on_a_changed_form_asks_first() {
    let mut f = empty();
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    f.press(&mut screen, KeyCode::Char('a'));
    f.press(&mut screen, KeyCode::Esc);
    assert!(!screen.captures_text(), "an untouched form closes at once");
    f.press(&mut screen, KeyCode::Char('a'));
    f.type_text(&mut screen, "Gate");
    f.press(&mut screen, KeyCode::Esc);
    assert!(screen.captures_text());
    insta::assert_snapshot!(
        "add_camera_discard_80x24",
        f.draw(&mut screen, &COLOR, 80, 24)
    );
    f.press(&mut screen, KeyCode::Char('n'));
    assert!(screen.is_dirty(), "n keeps the input");
    f.press(&mut screen, KeyCode::Esc);
    f.press(&mut screen, KeyCode::Char('y'));
    assert!(!screen.captures_text());
    assert!(!screen.is_dirty());
}

#[test]
fn delete_asks_naming_the_camera_and_its_customer() {
    let mut f = empty();
    let acme = f.customer("Acme");
    let id = f.camera("Lobby", "AA:BB:CC:00:11:22", "SN-1");
    let op = f.operator.clone();
    f.store.link_cameras(acme, &[id], &op).unwrap();
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    let effect = f.press(&mut screen, KeyCode::Char('D'));
    assert_eq!(effect, Effect::DialogOpened);
    let shown = f.draw(&mut screen, &COLOR, 100, 30);
    assert!(shown.contains("Delete camera Lobby"), "{shown}");
    insta::assert_snapshot!("delete_camera_100x30", shown);
    insta::assert_snapshot!("delete_camera_80x24", f.draw(&mut screen, &COLOR, 80, 24));
    // Enter means No.
    f.press(&mut screen, KeyCode::Enter);
    assert!(f.store.camera_row(id).unwrap().is_some());
    f.press(&mut screen, KeyCode::Char('D'));
    let effect = f.press(&mut screen, KeyCode::Char('y'));
    assert!(matches!(effect, Effect::Changed(Some(_))), "{effect:?}");
    assert!(f.store.camera_row(id).unwrap().is_none());
    assert!(f.draw(&mut screen, &COLOR, 80, 24).contains("No cameras"));
}

#[test]
fn link_and_unlink_from_the_cameras_tab() {
    let mut f = empty();
    f.customer("Acme");
    f.customer("Bolt Logistics");
    let id = f.camera("Lobby", "AA:BB:CC:00:11:22", "SN-1");
    let mut screen = CamerasScreen::new(&f.store).unwrap();
    f.press(&mut screen, KeyCode::Char('L'));
    f.type_text(&mut screen, "bolt");
    insta::assert_snapshot!("link_picker_80x24", f.draw(&mut screen, &COLOR, 80, 24));
    let effect = f.press(&mut screen, KeyCode::Enter);
    assert!(matches!(effect, Effect::Changed(Some(_))), "{effect:?}");
    let row = f.store.camera_row(id).unwrap().unwrap();
    assert_eq!(row.customer.as_deref(), Some("Bolt Logistics"));

    f.press(&mut screen, KeyCode::Char('U'));
    let shown = f.draw(&mut screen, &COLOR, 80, 24);
    assert!(shown.contains("Unlink camera Lobby from Bolt"), "{shown}");
    f.press(&mut screen, KeyCode::Char('y'));
    assert_eq!(f.store.camera_row(id).unwrap().unwrap().customer, None);
}

#[test]
fn a_read_only_store_hides_and_refuses_writes() {
    let mut f = empty();
    f.camera("Lobby", "AA:BB:CC:00:11:22", "SN-1");
    let path = f.store.path().to_path_buf();
    f.store = Store::open(&path, OpenMode::ReadOnly).unwrap();
    let cameras = CamerasScreen::new(&f.store).unwrap();
    let plans = PlansScreen::new(&f.store).unwrap();
    use admin_portal::action::Action;
    for (_, actions) in [cameras.hint(), plans.hint()] {
        for write in [Action::Add, Action::Edit, Action::Delete, Action::Link] {
            assert!(!actions.contains(&write), "{write:?} shown");
        }
    }
    // The screens say which keys write (Enter opens the form, as `e` does); the app's one
    // guard refuses them on a read-only store (tests/operator_keys.rs drives that).
    let writes = |screen: &dyn Component, code: KeyCode| {
        let action = f
            .keymap
            .lookup_in(&screen.contexts(), &KeyEvent::from(code));
        action.is_some_and(|a| screen.is_write(a))
    };
    let keys = ['a', 'e', 'D', 'L', 'U'].map(KeyCode::Char);
    for code in keys.into_iter().chain([KeyCode::Enter]) {
        assert!(writes(&cameras, code), "{code:?} on Cameras");
    }
    for code in [KeyCode::Char('a'), KeyCode::Char('e'), KeyCode::Enter] {
        assert!(writes(&plans, code), "{code:?} on Plans");
    }
    assert!(!writes(&cameras, KeyCode::Down) && !writes(&plans, KeyCode::Down));
    assert!(!plans.captures_text());
}

// ---------------------------------------------------------------------------------------------
// The Plans tab

#[test]
fn plans_tab_snapshots_and_refusal() {
    let mut f = demo_env();
    let op = f.operator.clone();
    f.store.add_plan(&plan("Trial", 0), &op).unwrap();
    let mut screen = PlansScreen::new(&f.store).unwrap();
    insta::assert_snapshot!("plans_100x30", f.draw(&mut screen, &COLOR, 100, 30));
    insta::assert_snapshot!("plans_80x24", f.draw(&mut screen, &MONO, 80, 24));

    // The first plan is in use: D explains, nothing is deleted.
    let before = f.store.plans_with_usage().unwrap();
    let in_use = before
        .iter()
        .position(|p| p.customers + p.cameras > 0)
        .unwrap();
    for _ in 0..in_use {
        f.press(&mut screen, KeyCode::Down);
    }
    let effect = f.press(&mut screen, KeyCode::Char('D'));
    assert_eq!(effect, Effect::DialogOpened);
    let shown = f.draw(&mut screen, &COLOR, 100, 30);
    assert!(shown.contains("is used by"), "{shown}");
    insta::assert_snapshot!("plan_in_use_100x30", shown);
    f.press(&mut screen, KeyCode::Enter);
    assert_eq!(f.store.plans_with_usage().unwrap().len(), before.len());

    // The unused one goes after y.
    let trial = before.iter().position(|p| p.plan.name == "Trial").unwrap();
    f.press(&mut screen, KeyCode::Char('g'));
    for _ in 0..trial {
        f.press(&mut screen, KeyCode::Down);
    }
    f.press(&mut screen, KeyCode::Char('D'));
    insta::assert_snapshot!("plan_delete_80x24", f.draw(&mut screen, &COLOR, 80, 24));
    let effect = f.press(&mut screen, KeyCode::Char('y'));
    assert!(matches!(effect, Effect::Changed(Some(_))), "{effect:?}");
    assert_eq!(f.store.plans_with_usage().unwrap().len(), before.len() - 1);
}

#[test]
fn plan_form_parses_and_saves() {
    let mut f = empty();
    let mut screen = PlansScreen::new(&f.store).unwrap();
    insta::assert_snapshot!("plans_empty_80x24", f.draw(&mut screen, &COLOR, 80, 24));
    f.press(&mut screen, KeyCode::Char('a'));
    f.type_text(&mut screen, "Pro 90");
    f.press(&mut screen, KeyCode::Tab);
    f.type_text(&mut screen, "9000");
    f.press(&mut screen, KeyCode::Tab);
    f.press(&mut screen, KeyCode::Char(' '));
    f.press(&mut screen, KeyCode::Tab);
    f.type_text(&mut screen, "9.999");
    f.ctrl(&mut screen, 's');
    insta::assert_snapshot!(
        "plan_form_errors_100x30",
        f.draw(&mut screen, &COLOR, 100, 30)
    );
    assert!(f.store.plans_with_usage().unwrap().is_empty());

    // The focus is on the first field with a problem, the retention.
    f.ctrl(&mut screen, 'u');
    f.type_text(&mut screen, "90");
    f.press(&mut screen, KeyCode::Tab);
    f.press(&mut screen, KeyCode::Tab);
    f.ctrl(&mut screen, 'u');
    f.type_text(&mut screen, "19.9");
    f.press(&mut screen, KeyCode::Tab);
    f.ctrl(&mut screen, 'u');
    f.type_text(&mut screen, "eur");
    insta::assert_snapshot!(
        "plan_form_filled_80x24",
        f.draw(&mut screen, &COLOR, 80, 24)
    );
    let effect = f.press(&mut screen, KeyCode::Enter);
    assert!(matches!(effect, Effect::Changed(Some(_))), "{effect:?}");
    let plans = f.store.plans_with_usage().unwrap();
    let p = &plans[0].plan;
    assert_eq!(
        (
            p.name.as_str(),
            p.retention_days,
            p.mode,
            p.price_cents,
            p.currency.as_str()
        ),
        ("Pro 90", 90, RecordingMode::Event, 1990, "EUR")
    );

    // Edit shows the price as typed, and a taken name goes under the name field.
    let op = f.operator.clone();
    f.store.add_plan(&plan("Basic", 499), &op).unwrap();
    screen.reload(&f.store).unwrap();
    f.press(&mut screen, KeyCode::Char('G'));
    f.press(&mut screen, KeyCode::Char('e'));
    let shown = f.draw(&mut screen, &COLOR, 80, 24);
    assert!(shown.contains("19.90"), "{shown}");
    f.ctrl(&mut screen, 'u');
    f.type_text(&mut screen, "basic");
    f.ctrl(&mut screen, 's');
    let shown = f.draw(&mut screen, &COLOR, 80, 24);
    assert!(shown.contains("already taken"), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// Never panics

#[test]
fn rendering_never_panics_at_tiny_sizes_with_wide_text() {
    let mut f = empty();
    let acme = f.customer("株式会社 🎥 監視");
    let op = f.operator.clone();
    let id = f.camera("正面玄関カメラ 🎥🎥🎥", "AA:BB:CC:00:11:22", "序列-1");
    // Text written by another tool, with a zero-width joiner and a bidi override.
    f.sql(&format!(
        "INSERT INTO cameras (name, mac, serial, model, location, created_at, updated_at)
         VALUES ('👁️‍🗨️ 後門 \u{202e}evil', 'AA:BB:CC:00:11:23', 'SN-2', '模型', '場所', '{T}', '{T}')"
    ));
    f.store.link_cameras(acme, &[id], &op).unwrap();
    f.store.add_plan(&plan("プロ 90 日 🎥", 1999), &op).unwrap();
    let mut cameras = CamerasScreen::new(&f.store).unwrap();
    let mut plans = PlansScreen::new(&f.store).unwrap();
    let states: [&[char]; 5] = [&[], &['a'], &['D'], &['L'], &['/']];
    for keys in states {
        for &k in keys {
            f.press(&mut cameras, KeyCode::Char(k));
        }
        for w in 0..=30 {
            for h in 0..=8 {
                f.draw(&mut cameras, &COLOR, w, h);
                f.draw(&mut plans, &MONO, w, h);
            }
        }
        f.press(&mut cameras, KeyCode::Esc);
        f.press(&mut cameras, KeyCode::Esc);
    }
    for k in ['a', 'D'] {
        f.press(&mut plans, KeyCode::Char(k));
        for w in 0..=30 {
            for h in 0..=8 {
                f.draw(&mut plans, &COLOR, w, h);
            }
        }
        f.press(&mut plans, KeyCode::Esc);
    }
}
