//! A customer's cameras (link, unlink, plan) and disable/enable: the store rules, then the
//! Cameras pane and the Customer Status dialogs of the customer view.

mod support;

use admin_portal::app::Effect;
use admin_portal::app::press as hand;
use admin_portal::domain::{CustomerType, Id, NewCustomer, Operator, Status};
use admin_portal::store::status::StatusChange;
use admin_portal::store::{OpenMode, Store, StoreError};
use admin_portal::theme::{COLOR, Theme};
use admin_portal::ui::component::Component;
use admin_portal::ui::customer::{CustomerView, SubTab};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use support::db::RawConn;
use support::fixture::*;

const FIXED_TIME: &str = "2024-05-01T09:30:00Z";

struct Fixture {
    env: Env,
    next_camera: u32,
}

impl std::ops::Deref for Fixture {
    type Target = Env;
    fn deref(&self) -> &Env {
        &self.env
    }
}

impl std::ops::DerefMut for Fixture {
    fn deref_mut(&mut self) -> &mut Env {
        &mut self.env
    }
}

impl Fixture {
    fn new() -> Self {
        Self {
            env: Env::new(),
            next_camera: 0,
        }
    }

    fn plan(&self, name: &str) -> Id {
        self.plan_row(name, 1299, FIXED_TIME)
    }

    /// An unlinked inventory camera.
    fn camera(&mut self, name: &str) -> Id {
        self.next_camera += 1;
        let n = self.next_camera;
        let (mac, serial) = (format!("AA:BB:CC:00:00:{n:02X}"), format!("SN-{n:04}"));
        self.camera_row(name, &mac, &serial, FIXED_TIME)
    }

    fn create(&mut self, new: &NewCustomer) -> Id {
        let op = self.operator.clone();
        let id = self
            .store
            .create_customer(new, &hashes(new), &op)
            .expect("create")
            .id;
        self.fix_times();
        id
    }

    /// Audit and record times fixed so snapshots do not change with the clock.
    fn fix_times(&self) {
        self.sql(&format!(
            "UPDATE audit SET at = '{FIXED_TIME}';
             UPDATE customers SET created_at = '{FIXED_TIME}', updated_at = '{FIXED_TIME}'"
        ));
    }

    /// A customer with `cameras` new linked cameras named "<name> cam N".
    fn customer(&mut self, name: &str, cameras: usize, parent: Option<Id>) -> Id {
        let kind = CustomerType::Customer;
        self.with_kind(name, kind, cameras, parent)
    }

    fn with_kind(
        &mut self,
        name: &str,
        kind: CustomerType,
        cameras: usize,
        parent: Option<Id>,
    ) -> Id {
        let mut new = new_customer(name, kind, parent);
        for i in 0..cameras {
            let id = self.camera(&format!("{name} cam {}", i + 1));
            new.camera_ids.push(id);
        }
        self.create(&new)
    }

    /// The ids of the customer's cameras.
    fn camera_ids(&self, customer: Id) -> Vec<Id> {
        let cameras = self.store.cameras_of(customer).expect("read");
        cameras.iter().map(|c| c.id).collect()
    }

    fn customer_of(&self, id: Id) -> admin_portal::domain::Customer {
        self.store.customer(id).expect("read").expect("exists")
    }

    fn recording(&self, camera: Id) -> (bool, Option<bool>) {
        self.store
            .raw_conn()
            .query_row(
                "SELECT recording, recording_before_disable FROM cameras WHERE id = ?1",
                [camera],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("camera")
    }

    fn blocked_users(&self, customer: Id) -> i64 {
        self.int(&format!(
            "SELECT count(*) FROM users WHERE customer_id = {customer} AND blocked = 1"
        ))
    }

    fn disable(&mut self, id: Id) -> Result<StatusChange, StoreError> {
        let version = self.customer_of(id).version;
        let op = self.operator.clone();
        self.store.disable_customer(id, version, &op)
    }

    fn enable(&mut self, id: Id) -> Result<StatusChange, StoreError> {
        let version = self.customer_of(id).version;
        let op = self.operator.clone();
        self.store.enable_customer(id, version, &op)
    }

    fn audit_actions(&self, customer: Id) -> Vec<(String, String)> {
        self.store
            .audit_of(customer, 50)
            .expect("audit")
            .into_iter()
            .map(|e| (e.action, e.summary))
            .collect()
    }

    fn open(&mut self, id: Id) -> CustomerView {
        let mut ctx = self.ctx();
        CustomerView::open(id, &mut ctx).expect("open")
    }

    fn key(&mut self, view: &mut CustomerView, code: KeyCode) -> Effect {
        self.send(view, press(code))
    }

    fn send(&mut self, view: &mut CustomerView, event: KeyEvent) -> Effect {
        let mut ctx = self.ctx();
        hand(view, &event, &mut ctx)
    }

    fn type_text(&mut self, view: &mut CustomerView, text: &str) {
        for c in text.chars() {
            self.key(view, KeyCode::Char(c));
        }
    }

    fn draw(&self, view: &mut CustomerView, theme: &Theme, width: u16, height: u16) -> String {
        render_text(width, height, |frame| {
            view.before_draw(frame.area());
            view.render(frame, frame.area(), theme, &self.keymap)
        })
    }

    fn screen(&self, view: &mut CustomerView) -> String {
        self.draw(view, &COLOR, 100, 30)
    }
}

fn new_customer(name: &str, kind: CustomerType, parent_id: Option<Id>) -> NewCustomer {
    let mut new = sample_customer(name);
    new.profile.kind = kind;
    new.profile.parent_id = parent_id;
    new
}

// --- store: link, unlink, plan ----------------------------------------------------------------

#[test]
fn link_is_all_or_nothing_and_names_the_camera_taken_meanwhile() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 0, None);
    let other = f.customer("Globex", 0, None);
    let a = f.camera("Gate");
    let b = f.camera("Yard");
    // Another operator, through its own connection, links Yard to Globex first.
    let mut second = f.store.reopen().expect("reopen");
    let bob = Operator {
        login: "bob".into(),
        client: None,
    };
    assert_eq!(second.link_cameras(other, &[b], &bob).expect("link"), 1);
    let op = f.operator.clone();
    match f.store.link_cameras(acme, &[a, b], &op) {
        Err(StoreError::Conflict(msg)) => assert_eq!(
            msg,
            "Camera Yard was just linked to Globex by another operator"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        f.store.cameras_of(acme).expect("read").len(),
        0,
        "nothing linked"
    );
    assert_eq!(f.store.link_cameras(acme, &[a], &op).expect("link"), 1);
    let linked = f.store.cameras_of(acme).expect("read");
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].spec.name, "Gate");
    let audit = f.audit_actions(acme);
    assert_eq!(
        audit[0],
        (
            "camera.link".to_string(),
            "linked 1 camera: Gate (recording)".to_string()
        )
    );
}

#[test]
fn a_camera_linked_to_a_disabled_customer_starts_stopped_and_resumes_on_enable() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 1, None);
    f.disable(acme).expect("disable");
    let late = f.camera("Late");
    let op = f.operator.clone();
    f.store.link_cameras(acme, &[late], &op).expect("link");
    assert_eq!(f.recording(late), (false, Some(true)));
    f.enable(acme).expect("enable");
    assert_eq!(f.recording(late), (true, None));
}

#[test]
fn unlink_removes_role_cameras_and_stops_recording() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 3, None);
    let cams = f.camera_ids(acme);
    let admin = f.int(&format!(
        "SELECT id FROM roles WHERE customer_id = {acme} AND system = 'admin'"
    ));
    f.sql(&format!(
        "INSERT INTO role_cameras (role_id, camera_id) VALUES ({admin}, {}), ({admin}, {})",
        cams[0], cams[1]
    ));
    f.disable(acme).expect("disable");
    let op = f.operator.clone();
    assert_eq!(
        f.store
            .unlink_cameras(acme, &[cams[0], cams[2]], &op)
            .expect("unlink"),
        2
    );
    assert_eq!(
        f.int("SELECT count(*) FROM role_cameras"),
        1,
        "only the still-linked camera stays in the role"
    );
    assert_eq!(
        f.recording(cams[0]),
        (false, None),
        "back in the inventory, not recording, nothing remembered"
    );
    assert_eq!(f.recording(cams[1]), (false, Some(true)));
    let none: Option<Id> = f
        .store
        .raw_conn()
        .query_row(
            &format!("SELECT customer_id FROM cameras WHERE id = {}", cams[0]),
            [],
            |r| r.get(0),
        )
        .expect("read");
    assert_eq!(none, None);
    // Unlinking a camera that is no longer this customer's changes nothing.
    assert_eq!(
        f.store
            .unlink_cameras(acme, &[cams[0]], &op)
            .expect("no-op"),
        0
    );
    let audit = f.audit_actions(acme);
    assert_eq!(audit[0].0, "camera.unlink");
    assert_eq!(audit[0].1, "unlinked 2 cameras: Acme cam 1, Acme cam 3");
}

#[test]
fn camera_plan_is_set_and_cleared_with_a_version_check() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 1, None);
    let gold = f.plan("Gold 90");
    let cam = f.store.cameras_of(acme).expect("read")[0].clone();
    let op = f.operator.clone();
    f.store
        .set_camera_plan(cam.id, cam.version, Some(gold), &op)
        .expect("plan");
    let after = f.store.camera(cam.id).expect("read").expect("camera");
    assert_eq!(after.plan_id, Some(gold));
    match f.store.set_camera_plan(cam.id, cam.version, None, &op) {
        Err(StoreError::Conflict(msg)) => assert!(msg.contains("Acme cam 1"), "{msg}"),
        other => panic!("stale version accepted: {other:?}"),
    }
    f.store
        .set_camera_plan(cam.id, after.version, None, &op)
        .expect("default");
    assert_eq!(
        f.store.camera(cam.id).expect("read").expect("c").plan_id,
        None
    );
    let audit = f.audit_actions(acme);
    assert_eq!(
        audit[0],
        (
            "camera.plan".to_string(),
            "camera Acme cam 1: follows the customer's recording plan".to_string()
        )
    );
    assert_eq!(audit[1].1, "camera Acme cam 1: recording plan Gold 90");
}

// --- store: disable and enable ----------------------------------------------------------------

#[test]
fn disable_enable_round_trip_restores_each_camera_exactly() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 4, None);
    let cams = f.camera_ids(acme);
    f.sql(&format!(
        "UPDATE cameras SET recording = 0 WHERE id IN ({}, {})",
        cams[1], cams[3]
    ));
    let preview = f.store.status_change_preview(acme).expect("preview");
    let change = f.disable(acme).expect("disable");
    assert_eq!(preview, change);
    assert_eq!(
        change,
        StatusChange {
            cameras: 2,
            users: 2,
            children: 0
        }
    );
    let c = f.customer_of(acme);
    assert_eq!(c.status, Status::Disabled);
    assert!(!c.disabled_by_parent);
    for &cam in &cams {
        assert!(!f.recording(cam).0, "every camera stopped");
    }
    assert_eq!(f.blocked_users(acme), 2);

    let preview = f.store.status_change_preview(acme).expect("preview");
    let change = f.enable(acme).expect("enable");
    assert_eq!(preview, change);
    assert_eq!(change.cameras, 2, "the same cameras the disable stopped");
    assert_eq!(change.users, 2);
    assert_eq!(f.customer_of(acme).status, Status::Active);
    let states: Vec<(bool, Option<bool>)> = cams.iter().map(|&c| f.recording(c)).collect();
    assert_eq!(
        states,
        vec![(true, None), (false, None), (true, None), (false, None)],
        "each camera back to exactly the state it had"
    );
    assert_eq!(f.blocked_users(acme), 0);
    let audit = f.audit_actions(acme);
    assert_eq!(
        audit[0],
        (
            "customer.enable".to_string(),
            "enabled; 2 cameras recording again, 2 users unblocked".to_string()
        )
    );
    assert_eq!(
        audit[1],
        (
            "customer.disable".to_string(),
            "disabled; 2 cameras stopped recording, 2 users blocked".to_string()
        )
    );
}

#[test]
fn a_remembered_state_is_not_overwritten_by_a_second_disable() {
    let mut f = Fixture::new();
    let parent = f.with_kind("Northwind", CustomerType::Integrator, 0, None);
    let child = f.customer("Child Co", 1, Some(parent));
    let cam = f.store.cameras_of(child).expect("read")[0].id;
    // The child's own disable and enable leave nothing behind that the parent's disable could
    // mistake for a remembered state.
    f.disable(child).expect("disable child");
    assert_eq!(f.recording(cam), (false, Some(true)));
    f.enable(child).expect("enable child");
    f.disable(parent).expect("disable parent");
    assert_eq!(f.recording(cam), (false, Some(true)));
    f.enable(parent).expect("enable parent");
    assert_eq!(f.recording(cam), (true, None));
}

#[test]
fn disabling_a_sub_integrator_cascades_and_enabling_undoes_only_its_own() {
    let mut f = Fixture::new();
    let parent = f.with_kind("Northwind", CustomerType::Integrator, 2, None);
    let a = f.customer("Alpha", 3, Some(parent));
    let b = f.customer("Bravo", 1, Some(parent));
    let c = f.customer("Charlie", 2, Some(parent));
    let unrelated = f.customer("Unrelated", 1, None);
    // Charlie was disabled on its own before.
    f.disable(c).expect("disable c");

    let preview = f.store.status_change_preview(parent).expect("preview");
    let change = f.disable(parent).expect("disable parent");
    assert_eq!(preview, change);
    assert_eq!(
        change,
        StatusChange {
            cameras: 6,
            users: 6,
            children: 2
        }
    );
    for id in [parent, a, b, c] {
        assert_eq!(f.customer_of(id).status, Status::Disabled);
    }
    assert!(f.customer_of(a).disabled_by_parent);
    assert!(f.customer_of(b).disabled_by_parent);
    assert!(!f.customer_of(c).disabled_by_parent, "disabled on its own");
    assert_eq!(f.blocked_users(a), 2);
    assert_eq!(f.customer_of(unrelated).status, Status::Active);
    assert_eq!(
        f.audit_actions(parent)[0].1,
        "disabled; 6 cameras stopped recording, 6 users blocked, 2 customers disabled with it"
    );
    assert_eq!(
        f.audit_actions(a)[0],
        (
            "customer.disable".to_string(),
            "disabled with Northwind; 3 cameras stopped recording, 2 users blocked".to_string()
        )
    );

    let change = f.enable(parent).expect("enable parent");
    assert_eq!(change.children, 2);
    for id in [parent, a, b] {
        let cust = f.customer_of(id);
        assert_eq!(cust.status, Status::Active);
        assert!(!cust.disabled_by_parent);
        assert_eq!(f.blocked_users(id), 0);
    }
    assert_eq!(
        f.customer_of(c).status,
        Status::Disabled,
        "a customer disabled on its own stays disabled"
    );
    assert_eq!(f.blocked_users(c), 2);
    for cam in f.store.cameras_of(c).expect("read") {
        assert!(!cam.recording);
    }
    for cam in f.store.cameras_of(a).expect("read") {
        assert!(cam.recording);
    }
    // The enable counts the same cameras and users the disable did.
    assert_eq!(
        f.audit_actions(b)[0].1,
        "enabled with Northwind; 1 camera recording again, 2 users unblocked"
    );
    assert_eq!(
        f.audit_actions(b)[1].1,
        "disabled with Northwind; 1 camera stopped recording, 2 users blocked"
    );
    assert_eq!(
        f.audit_actions(parent)[0].1,
        "enabled; 6 cameras recording again, 6 users unblocked, 2 customers enabled with it"
    );
}

#[test]
fn a_stale_version_is_refused_and_changes_nothing() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 2, None);
    let stale = f.customer_of(acme).version;
    f.sql(&format!(
        "UPDATE customers SET version = version + 1 WHERE id = {acme}"
    ));
    let op = f.operator.clone();
    match f.store.disable_customer(acme, stale, &op) {
        Err(StoreError::Conflict(msg)) => assert!(msg.contains("another operator"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(f.customer_of(acme).status, Status::Active);
    assert_eq!(f.blocked_users(acme), 0);
    assert_eq!(f.int("SELECT count(*) FROM cameras WHERE recording = 0"), 0);
    match f.enable(acme) {
        Err(StoreError::Refused(msg)) => assert_eq!(msg, "Acme is already active"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_read_only_store_refuses_every_write() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 1, None);
    let cam = f.camera("Spare");
    let mut ro = Store::open(f.store.path(), OpenMode::ReadOnly).expect("read-only");
    let op = f.operator.clone();
    assert!(matches!(
        ro.link_cameras(acme, &[cam], &op),
        Err(StoreError::Refused(_))
    ));
    let v = f.customer_of(acme).version;
    assert!(matches!(
        ro.disable_customer(acme, v, &op),
        Err(StoreError::Refused(_))
    ));
}

// --- the Cameras pane -------------------------------------------------------------------------

/// Acme Security with a default plan and three linked cameras (Front door on its own plan,
/// Loading dock not recording); the inventory holds three unlinked cameras.
fn acme(f: &mut Fixture) -> Id {
    let standard = f.plan("Standard 30");
    let gold = f.plan("Gold 90");
    let mut new = new_customer("Acme Security", CustomerType::Customer, None);
    new.profile.defaults.default_plan_id = Some(standard);
    for name in ["Front door", "Loading dock", "Lobby"] {
        let id = f.camera(name);
        new.camera_ids.push(id);
    }
    for name in ["Gate", "Parking", "Yard"] {
        f.camera(name);
    }
    let id = f.create(&new);
    f.sql(&format!(
        "UPDATE cameras SET plan_id = {gold} WHERE name = 'Front door';
         UPDATE cameras SET recording = 0 WHERE name = 'Loading dock';"
    ));
    id
}

fn camera_names(f: &Fixture, customer: Id) -> Vec<String> {
    f.store
        .cameras_of(customer)
        .expect("read")
        .into_iter()
        .map(|c| c.spec.name)
        .collect()
}

/// The text inside the dialog box, its rows joined with single spaces, so a sentence wrapped
/// in the box can be found whole.
fn flat(screen: &str) -> String {
    screen
        .lines()
        .filter_map(|l| {
            let start = l.find('│')?;
            let end = l.rfind('│')?;
            (end > start).then(|| &l[start + '│'.len_utf8()..end])
        })
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn flash_text(effect: &Effect) -> String {
    match effect {
        Effect::Changed(Some(flash)) | Effect::Flash(flash) => flash.text.clone(),
        other => panic!("no flash: {other:?}"),
    }
}

fn on_cameras(f: &mut Fixture, id: Id) -> CustomerView {
    let mut view = f.open(id);
    assert_eq!(f.key(&mut view, KeyCode::Right), Effect::Done);
    assert_eq!(view.tab(), SubTab::Cameras);
    view
}

#[test]
fn cameras_pane_snapshots() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    let screen = f.screen(&mut view);
    assert!(screen.contains("(Standard 30)"), "{screen}");
    assert!(screen.contains("Gold 90"), "{screen}");
    insta::assert_snapshot!("cameras_100x30", screen);
    insta::assert_snapshot!("cameras_80x24", f.draw(&mut view, &COLOR, 80, 24));
}

/// A camera name longer than its column ends with "…" in the customer's Cameras pane.
#[test]
fn cameras_pane_cells_that_do_not_fit_end_with_an_ellipsis() {
    let mut f = Fixture::new();
    let id = f.customer(
        "Northwind Logistics and Warehousing North Loading Dock",
        2,
        None,
    );
    let mut view = on_cameras(&mut f, id);
    let shown = f.draw(&mut view, &COLOR, 80, 24);
    assert!(shown.contains("Northwind Logistics"), "{shown}");
    assert!(shown.contains("…"), "{shown}");
    insta::assert_snapshot!("long_names_80x24", shown);
}

#[test]
fn link_popup_filters_picks_and_links() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    assert_eq!(f.key(&mut view, KeyCode::Char('L')), Effect::DialogOpened);
    assert!(view.captures_text());
    f.key(&mut view, KeyCode::Char(' '));
    f.key(&mut view, KeyCode::Down);
    f.key(&mut view, KeyCode::Char(' '));
    let screen = f.screen(&mut view);
    assert!(screen.contains("2 picked"), "{screen}");
    insta::assert_snapshot!("link_popup_picks_100x30", screen);
    insta::assert_snapshot!("link_popup_picks_80x24", f.draw(&mut view, &COLOR, 80, 24));
    // Unpick both, then filter to Yard and pick all shown.
    f.key(&mut view, KeyCode::Char('*'));
    f.key(&mut view, KeyCode::Char('*'));
    assert!(f.screen(&mut view).contains("0 picked"));
    f.key(&mut view, KeyCode::Char('/'));
    f.type_text(&mut view, "yar");
    assert!(
        f.screen(&mut view).contains("1 shown"),
        "{}",
        f.screen(&mut view)
    );
    f.key(&mut view, KeyCode::Enter);
    f.key(&mut view, KeyCode::Char('*'));
    let effect = f.send(&mut view, ctrl('s'));
    assert_eq!(flash_text(&effect), "Linked 1 camera to Acme Security");
    assert!(!view.captures_text(), "the popup closed");
    assert_eq!(
        camera_names(&f, id),
        ["Front door", "Loading dock", "Lobby", "Yard"]
    );
    assert!(f.screen(&mut view).contains("Yard"));
}

#[test]
fn enter_without_picks_says_how_and_esc_closes() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    f.key(&mut view, KeyCode::Char('L'));
    let effect = f.key(&mut view, KeyCode::Enter);
    assert!(flash_text(&effect).starts_with("Pick cameras with Space"));
    assert_eq!(f.key(&mut view, KeyCode::Esc), Effect::Done);
    assert!(!view.captures_text());
    assert_eq!(camera_names(&f, id).len(), 3);
    assert_eq!(view.tab(), SubTab::Cameras, "Esc closed only the popup");
}

#[test]
fn a_camera_taken_meanwhile_is_named_and_nothing_is_linked() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let other = f.customer("Globex", 0, None);
    let mut view = on_cameras(&mut f, id);
    f.key(&mut view, KeyCode::Char('L'));
    f.key(&mut view, KeyCode::Char('*'));
    let gate = f.int("SELECT id FROM cameras WHERE name = 'Gate'");
    let mut second = f.store.reopen().expect("reopen");
    let bob = Operator {
        login: "bob".into(),
        client: None,
    };
    second.link_cameras(other, &[gate], &bob).expect("link");
    let effect = f.key(&mut view, KeyCode::Enter);
    assert_eq!(
        flash_text(&effect),
        "Camera Gate was just linked to Globex by another operator"
    );
    assert_eq!(camera_names(&f, id).len(), 3, "all or nothing");
    assert!(view.captures_text(), "the picks stay for another try");
}

#[test]
fn unlink_asks_naming_the_count_then_unlinks() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    // Space picks and the cursor stays: a second Space unpicks the same camera.
    f.key(&mut view, KeyCode::Char(' '));
    f.key(&mut view, KeyCode::Char(' '));
    f.key(&mut view, KeyCode::Char(' '));
    f.key(&mut view, KeyCode::Down);
    f.key(&mut view, KeyCode::Char(' '));
    assert_eq!(f.key(&mut view, KeyCode::Char('U')), Effect::DialogOpened);
    let screen = f.screen(&mut view);
    assert!(
        flat(&screen).contains("Unlink 2 cameras from Acme Security?"),
        "{screen}"
    );
    insta::assert_snapshot!("unlink_confirm_100x30", screen);
    insta::assert_snapshot!("unlink_confirm_80x24", f.draw(&mut view, &COLOR, 80, 24));
    // Enter takes the default, No.
    assert_eq!(f.key(&mut view, KeyCode::Enter), Effect::Done);
    assert_eq!(camera_names(&f, id).len(), 3);
    f.key(&mut view, KeyCode::Char('U'));
    let effect = f.key(&mut view, KeyCode::Char('y'));
    assert_eq!(flash_text(&effect), "Unlinked 2 cameras from Acme Security");
    assert_eq!(camera_names(&f, id), ["Lobby"]);
    let spare = f.store.unlinked_cameras("", 50).expect("inventory");
    assert_eq!(spare.len(), 5);
    // One camera without picks: the selected one, named.
    f.key(&mut view, KeyCode::Char('U'));
    assert!(
        f.screen(&mut view)
            .contains("Unlink camera Lobby from Acme Security?")
    );
}

#[test]
fn p_sets_a_cameras_own_plan_and_e_sets_it_back_to_the_default() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    f.key(&mut view, KeyCode::Down); // Loading dock, on the customer default
    assert_eq!(f.key(&mut view, KeyCode::Char('p')), Effect::DialogOpened);
    let screen = f.screen(&mut view);
    assert!(screen.contains("The customer's (Standard 30)"), "{screen}");
    f.key(&mut view, KeyCode::Down); // Gold 90 (plans by name)
    let effect = f.key(&mut view, KeyCode::Enter);
    assert_eq!(flash_text(&effect), "Loading dock: recording plan Gold 90");
    let gold = f.int("SELECT id FROM plans WHERE name = 'Gold 90'");
    let dock = f.int("SELECT plan_id FROM cameras WHERE name = 'Loading dock'");
    assert_eq!(dock, gold);
    f.key(&mut view, KeyCode::Char('e'));
    f.key(&mut view, KeyCode::Char('g'));
    let effect = f.key(&mut view, KeyCode::Enter);
    assert_eq!(
        flash_text(&effect),
        "Loading dock: recording plan The customer's (Standard 30)"
    );
    assert!(
        !view.editing(),
        "e on the Cameras tab is the plan, not the profile editor"
    );
}

// --- disable and enable in the view -----------------------------------------------------------

#[test]
fn s_asks_naming_the_effects_and_y_disables() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = f.open(id);
    assert_eq!(f.key(&mut view, KeyCode::Char('S')), Effect::DialogOpened);
    assert!(view.captures_text());
    let screen = f.screen(&mut view);
    assert!(
        flat(&screen)
            .contains("Disable Acme Security? 2 cameras stop recording and 2 users are blocked."),
        "{screen}"
    );
    insta::assert_snapshot!("disable_confirm_100x30", screen);
    insta::assert_snapshot!("disable_confirm_80x24", f.draw(&mut view, &COLOR, 80, 24));
    assert_eq!(f.key(&mut view, KeyCode::Esc), Effect::Done);
    assert_eq!(f.customer_of(id).status, Status::Active);

    f.key(&mut view, KeyCode::Char('S'));
    let effect = f.key(&mut view, KeyCode::Char('y'));
    assert_eq!(
        flash_text(&effect),
        "Disabled Acme Security: 2 cameras stopped recording, 2 users blocked"
    );
    assert_eq!(view.customer().status, Status::Disabled);
    assert_eq!(
        f.int("SELECT count(*) FROM cameras WHERE recording = 1 AND customer_id IS NOT NULL"),
        0
    );
    let screen = f.screen(&mut view);
    assert!(screen.contains("[Disabled]"), "{screen}");
    f.key(&mut view, KeyCode::Right);
    assert!(f.screen(&mut view).contains("Stopped"));
}

#[test]
fn the_profile_of_a_disabled_customer_offers_enable_and_restores_the_cameras() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    f.disable(id).expect("disable");
    f.fix_times();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Tab);
    let screen = f.screen(&mut view);
    assert!(screen.contains("[ Enable ]"), "{screen}");
    insta::assert_snapshot!("profile_disabled_100x30", screen);
    assert_eq!(f.key(&mut view, KeyCode::Enter), Effect::DialogOpened);
    let screen = f.screen(&mut view);
    assert!(
        flat(&screen).contains(
            "Enable Acme Security? 2 cameras start recording again and 2 users are unblocked."
        ),
        "{screen}"
    );
    insta::assert_snapshot!("enable_confirm_100x30", screen);
    let effect = f.key(&mut view, KeyCode::Char('Y'));
    assert_eq!(
        flash_text(&effect),
        "Enabled Acme Security: 2 cameras recording again, 2 users unblocked"
    );
    let dock = f.int("SELECT recording FROM cameras WHERE name = 'Loading dock'");
    let lobby = f.int("SELECT recording FROM cameras WHERE name = 'Lobby'");
    assert_eq!((dock, lobby), (0, 1), "each camera as it was");
}

#[test]
fn s_on_a_pane_that_does_not_sort_asks_as_on_the_profile() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    for tab in [SubTab::Cameras, SubTab::Roles, SubTab::Users, SubTab::Logs] {
        while view.tab() != tab {
            f.key(&mut view, KeyCode::Right);
        }
        assert_eq!(
            f.key(&mut view, KeyCode::Char('S')),
            Effect::DialogOpened,
            "{tab:?}"
        );
        assert!(view.dialog_open(), "{tab:?}");
        assert_eq!(f.key(&mut view, KeyCode::Esc), Effect::Done);
        assert!(!view.dialog_open(), "{tab:?}");
    }
    assert_eq!(f.customer_of(id).status, Status::Active);
}

#[test]
fn a_sub_integrators_question_names_its_customers() {
    let mut f = Fixture::new();
    let parent = f.with_kind("Northwind", CustomerType::Integrator, 1, None);
    f.customer("Alpha", 2, Some(parent));
    f.customer("Bravo", 0, Some(parent));
    let mut view = f.open(parent);
    f.key(&mut view, KeyCode::Char('S'));
    let screen = f.screen(&mut view);
    assert!(
        flat(&screen).contains("Disable Northwind? 3 cameras stop recording, 6 users are blocked,"),
        "{screen}"
    );
    assert!(
        flat(&screen).contains("and its 2 customers are disabled too."),
        "{screen}"
    );
    f.key(&mut view, KeyCode::Char('y'));
    f.key(&mut view, KeyCode::Char('S'));
    let screen = f.screen(&mut view);
    assert!(
        flat(&screen).contains("6 users are unblocked, 2 customers it disabled are enabled."),
        "{screen}"
    );
}

#[test]
fn a_stale_disable_is_refused_with_a_flash() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Char('S'));
    f.sql(&format!(
        "UPDATE customers SET version = version + 1 WHERE id = {id}"
    ));
    let effect = f.key(&mut view, KeyCode::Char('y'));
    assert!(flash_text(&effect).contains("changed by another operator"));
    assert_eq!(f.customer_of(id).status, Status::Active);
}

#[test]
fn a_read_only_store_hides_the_buttons_and_refuses_write_keys() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let path = f.store.path().to_path_buf();
    f.store = Store::open(&path, OpenMode::ReadOnly).expect("read-only");
    let mut view = f.open(id);
    let screen = f.draw(&mut view, &COLOR, 100, 40);
    assert!(!screen.contains("[ Disable ]"), "{screen}");
    assert!(!screen.contains("[ Delete ]"), "{screen}");
    assert!(screen.contains("read-only store"), "{screen}");
    // The view says which keys write; the app's one guard refuses them on a read-only store
    // (tests/operator_keys.rs drives that through the app).
    let keymap = f.keymap.clone();
    let writes = |view: &CustomerView, code| {
        let action = keymap.lookup_in(&view.contexts(), &key(code));
        action.is_some_and(|a| view.is_write(a))
    };
    for code in [KeyCode::Char('S'), KeyCode::Char('D'), KeyCode::Char('e')] {
        assert!(writes(&view, code), "{code:?} on the profile");
    }
    assert!(!writes(&view, KeyCode::Right));
    f.key(&mut view, KeyCode::Right);
    for code in [KeyCode::Char('L'), KeyCode::Char('U'), KeyCode::Char('p')] {
        assert!(writes(&view, code), "{code:?} on the Cameras pane");
    }
    assert!(!writes(&view, KeyCode::Down));
    assert!(!view.dialog_open());
}

#[test]
fn the_pane_leaves_sub_tabs_and_esc_to_the_view() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    f.key(&mut view, KeyCode::Char('G'));
    assert_eq!(
        view.cameras_pane().selected().map(|c| c.spec.name.as_str()),
        Some("Lobby")
    );
    assert_eq!(f.key(&mut view, KeyCode::Char('x')), Effect::Ignored);
    assert_eq!(f.key(&mut view, KeyCode::Esc), Effect::Back(None));
    assert_eq!(f.key(&mut view, KeyCode::Char('l')), Effect::Done);
    assert_eq!(view.tab(), SubTab::Roles);
}

// --- recording state (issue 11) -------------------------------------------------------------

#[test]
fn only_a_customers_camera_records() {
    let mut f = Fixture::new();
    let op = f.operator.clone();
    // Registered through the store: in the inventory, not recording.
    let spare = f
        .store
        .add_camera(
            &admin_portal::domain::CameraSpec {
                name: "Spare".into(),
                mac: "AA:BB:CC:00:99:01".into(),
                serial: "SN-9901".into(),
                ..Default::default()
            },
            &op,
        )
        .expect("add");
    assert_eq!(f.recording(spare), (false, None));
    // The wizard's linked and new cameras record.
    let stopped = f.camera("Stopped in stock");
    f.sql(&format!(
        "UPDATE cameras SET recording = 0 WHERE id = {stopped}"
    ));
    let mut new = new_customer("Acme", CustomerType::Customer, None);
    new.camera_ids.push(stopped);
    new.new_cameras.push(admin_portal::domain::CameraSpec {
        name: "Registered on the spot".into(),
        mac: "AA:BB:CC:00:99:02".into(),
        serial: "SN-9902".into(),
        ..Default::default()
    });
    let acme = f.create(&new);
    for cam in f.store.cameras_of(acme).expect("read") {
        assert!(cam.recording, "{} records", cam.spec.name);
    }
    // Linking from the inventory starts it.
    f.store.link_cameras(acme, &[spare], &op).expect("link");
    assert_eq!(f.recording(spare), (true, None));
    // Unlinking stops it.
    f.store.unlink_cameras(acme, &[spare], &op).expect("unlink");
    assert_eq!(f.recording(spare), (false, None));
    // A delete returns the cameras to the inventory, stopped.
    let cams = f.camera_ids(acme);
    let version = f.customer_of(acme).version;
    f.store.delete_customer(acme, version, &op).expect("delete");
    for cam in cams {
        assert_eq!(f.recording(cam), (false, None), "returned to the inventory");
    }
    assert_eq!(
        f.int("SELECT count(*) FROM cameras WHERE customer_id IS NULL AND recording = 1"),
        0,
        "no ● rec without a customer"
    );
}

#[test]
fn start_and_stop_recording_is_audited_and_disable_enable_keeps_each_state() {
    let mut f = Fixture::new();
    let acme = f.customer("Acme", 3, None);
    let cams = f.camera_ids(acme);
    let op = f.operator.clone();
    assert_eq!(
        f.store.set_recording(&cams[..2], false, &op).expect("stop"),
        2
    );
    assert_eq!(f.recording(cams[0]), (false, None));
    assert_eq!(f.recording(cams[2]), (true, None));
    assert_eq!(
        f.audit_actions(acme)[0],
        (
            "camera.recording".to_string(),
            "stopped recording 2 cameras: Acme cam 1, Acme cam 2".to_string()
        )
    );
    // Already stopped: nothing changes, nothing is audited.
    assert_eq!(
        f.store
            .set_recording(&cams[..1], false, &op)
            .expect("no-op"),
        0
    );
    assert_eq!(
        f.store
            .set_recording(&cams[1..2], true, &op)
            .expect("start"),
        1
    );
    assert_eq!(
        f.audit_actions(acme)[0].1,
        "started recording 1 camera: Acme cam 2"
    );
    // Disable stops all, enable gives each camera its own state back.
    f.disable(acme).expect("disable");
    let refused = f.store.set_recording(&cams, true, &op).unwrap_err();
    assert!(
        matches!(&refused, StoreError::Refused(m) if m.contains("Acme is disabled")),
        "{refused}"
    );
    f.enable(acme).expect("enable");
    let states: Vec<bool> = cams.iter().map(|c| f.recording(*c).0).collect();
    assert_eq!(states, [false, true, true]);
    // A camera in the inventory is refused, with nothing written.
    let spare = f.camera("Spare");
    f.sql(&format!(
        "UPDATE cameras SET recording = 0 WHERE id = {spare}"
    ));
    let refused = f
        .store
        .set_recording(&[cams[0], spare], true, &op)
        .unwrap_err();
    assert!(
        matches!(&refused, StoreError::Refused(m) if m.contains("Spare is in the inventory")),
        "{refused}"
    );
    assert_eq!(f.recording(cams[0]), (false, None), "all or nothing");
}

#[test]
fn o_in_the_cameras_pane_stops_the_picked_cameras_then_starts_them() {
    let mut f = Fixture::new();
    let id = acme(&mut f);
    let mut view = on_cameras(&mut f, id);
    let recording = |f: &Fixture| {
        f.int(&format!(
            "SELECT count(*) FROM cameras WHERE customer_id = {id} AND recording = 1"
        ))
    };
    // Front door and Lobby record, Loading dock is stopped: with all picked, `o` starts it.
    f.key(&mut view, KeyCode::Char('*'));
    let effect = f.key(&mut view, KeyCode::Char('o'));
    assert_eq!(flash_text(&effect), "Started recording 1 camera");
    assert_eq!(recording(&f), 3);
    // All picked and all recording: `o` stops them all.
    f.key(&mut view, KeyCode::Char('*'));
    let effect = f.key(&mut view, KeyCode::Char('o'));
    assert_eq!(flash_text(&effect), "Stopped recording 3 cameras");
    assert_eq!(recording(&f), 0);
    // No picks left: `o` on the selected camera (Front door) starts it.
    let effect = f.key(&mut view, KeyCode::Char('o'));
    assert_eq!(flash_text(&effect), "Started recording 1 camera");
    assert_eq!(recording(&f), 1);
    let screen = f.screen(&mut view);
    let front = screen
        .lines()
        .find(|l| l.contains("Front door"))
        .expect("row");
    assert!(front.contains("Recording"), "{screen}");
}
