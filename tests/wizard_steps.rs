//! Wizard steps 6 (Link cameras) and 7 (Roles and users), driven with key events over a
//! temporary store, with snapshots of what they draw and "never panics" at tiny sizes.

mod support;

use admin_portal::app::Ctx;
use admin_portal::domain::{Contact, Operator, RoleType};
use admin_portal::keymap::Keymap;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme;
use admin_portal::ui::component::{Component, Effect};
use admin_portal::ui::wizard::cameras::{CameraKey, CameraStep};
use admin_portal::ui::wizard::people::{MIXED_TYPES, NO_OWNER, PeopleDraft, PeopleStep};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::{Frame, Terminal};
use support::db::RawConn;
use support::fixture::{buffer_cells, ch, ctrl, demo, key, render};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers

fn store_in(dir: &TempDir) -> Store {
    Store::open(&dir.path().join("s.db"), OpenMode::Create).unwrap()
}

/// A store with the colleague's demo data and three cameras whose names we know.
fn demo_store(dir: &TempDir) -> Store {
    let mut store = store_in(dir);
    demo(&mut store, 5, 40, 1);
    insert_cameras(
        &store,
        &[
            (
                "Zeta lobby 1",
                "02:00:00:00:00:01",
                "ZL-0001",
                "P3245",
                "Lobby",
            ),
            (
                "Zeta lobby 2",
                "02:00:00:00:00:02",
                "ZL-0002",
                "P3245",
                "Lobby",
            ),
            (
                "Zeta lobby 3",
                "02:00:00:00:00:03",
                "ZL-0003",
                "P3245",
                "Lobby",
            ),
        ],
    );
    store
}

/// A store whose only cameras are these, so snapshots do not depend on generated data.
fn small_store(dir: &TempDir) -> Store {
    let store = store_in(dir);
    insert_cameras(
        &store,
        &[
            (
                "Back door",
                "00:1A:2B:3C:4D:01",
                "SN-1001",
                "AXIS M3106",
                "Warehouse",
            ),
            (
                "Car park east",
                "00:1A:2B:3C:4D:02",
                "SN-1002",
                "Hanwha XNV",
                "Car park",
            ),
            (
                "Front desk",
                "00:1A:2B:3C:4D:03",
                "SN-1003",
                "AXIS P3245",
                "Reception",
            ),
            (
                "Loading bay",
                "00:1A:2B:3C:4D:04",
                "SN-1004",
                "Hikvision 2CD",
                "Warehouse",
            ),
            (
                "Server room",
                "00:1A:2B:3C:4D:05",
                "SN-1005",
                "AXIS M3106",
                "Basement",
            ),
        ],
    );
    store
}

fn insert_cameras(store: &Store, cameras: &[(&str, &str, &str, &str, &str)]) {
    for (name, mac, serial, model, location) in cameras {
        store
            .raw_conn()
            .execute(
                "INSERT INTO cameras (name, mac, serial, model, location, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '2024-01-01', '2024-01-01')",
                [name, mac, serial, model, location],
            )
            .unwrap();
    }
}

struct Env {
    keymap: Keymap,
    operator: Operator,
}

impl Env {
    fn new() -> Self {
        Self {
            keymap: Keymap::default(),
            operator: Operator {
                login: "test".into(),
                client: None,
            },
        }
    }
    fn ctx<'a>(&'a self, store: &'a mut Store) -> Ctx<'a> {
        Ctx {
            store,
            keymap: &self.keymap,
            operator: &self.operator,
            theme: &theme::COLOR,
        }
    }
}

fn tab() -> KeyEvent {
    key(KeyCode::Tab)
}
fn space() -> KeyEvent {
    ch(' ')
}

/// A step as the wizard drives it.
trait Step {
    fn press(&mut self, key: KeyEvent, ctx: &mut Ctx);
    fn draw(&mut self, frame: &mut Frame, keymap: &Keymap);
}

impl Step for CameraStep {
    fn press(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        answer(self, key, ctx);
    }
    fn draw(&mut self, frame: &mut Frame, keymap: &Keymap) {
        self.render(frame, frame.area(), &theme::COLOR, keymap);
    }
}

impl Step for PeopleStep {
    fn press(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        answer(self, key, ctx);
    }
    fn draw(&mut self, frame: &mut Frame, keymap: &Keymap) {
        self.render(frame, frame.area(), &theme::COLOR, keymap);
    }
}

/// The key as the app hands it to a component: looked up once in its contexts.
fn answer(component: &mut impl Component, key: KeyEvent, ctx: &mut Ctx) -> Effect {
    let action = ctx.keymap.lookup_in(&component.contexts(), &key);
    component.handle_key(&key, action, ctx)
}

fn press(step: &mut impl Step, ctx: &mut Ctx, keys: &[KeyEvent]) {
    for k in keys {
        step.press(*k, ctx);
    }
}

fn typed(step: &mut impl Step, ctx: &mut Ctx, text: &str) {
    for c in text.chars() {
        step.press(ch(c), ctx);
    }
}

fn screen(step: &mut impl Step, keymap: &Keymap, width: u16, height: u16) -> Terminal<TestBackend> {
    render(width, height, |frame| step.draw(frame, keymap))
}

fn shown(step: &mut impl Step, keymap: &Keymap) -> String {
    buffer_cells(screen(step, keymap, 100, 24).backend().buffer())
}

fn contact() -> Contact {
    Contact {
        company: "Acme Storage".into(),
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        email: "ann@example.com".into(),
        ..Contact::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Step 6

#[test]
fn step6_pick_filter_pick_all_and_register_new_cameras() {
    let dir = TempDir::new().unwrap();
    let mut store = demo_store(&dir);
    let env = Env::new();
    let existing_mac: String = store
        .raw_conn()
        .query_row(
            "SELECT mac FROM cameras WHERE name NOT LIKE 'Zeta%' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let ctx = &mut env.ctx(&mut store);
    let mut step = CameraStep::new(ctx).unwrap();
    assert_eq!(step.count(), 0);

    // Three picks with Space.
    press(
        &mut step,
        ctx,
        &[space(), ch('j'), space(), ch('j'), space()],
    );
    assert_eq!(step.count(), 3);
    let first_three = step.picked_ids();
    assert!(shown(&mut step, &env.keymap).contains("3 cameras picked"));

    // A filter: typed text refines, single letters type instead of acting, Enter keeps it.
    press(&mut step, ctx, &[ch('/')]);
    assert!(step.captures_text());
    typed(&mut step, ctx, "zeta lobby");
    press(&mut step, ctx, &[key(KeyCode::Enter)]);
    assert!(!step.captures_text());
    let screen_text = shown(&mut step, &env.keymap);
    assert_eq!(
        screen_text.matches("Zeta lobby").count(),
        3,
        "{screen_text}"
    );
    assert!(screen_text.contains("(3 not shown)"), "{screen_text}");

    // `*` picks all shown, again unpicks them, and a third time picks them again.
    press(&mut step, ctx, &[ch('*')]);
    assert_eq!(step.count(), 6);
    press(&mut step, ctx, &[ch('*')]);
    assert_eq!(step.count(), 3);
    press(&mut step, ctx, &[ch('*')]);
    assert_eq!(step.count(), 6);
    // The picks hidden by the filter stayed picked.
    let ids = step.picked_ids();
    assert!(first_three.iter().all(|id| ids.contains(id)));

    // Esc clears the kept filter.
    press(&mut step, ctx, &[key(KeyCode::Esc)]);
    assert!(!shown(&mut step, &env.keymap).contains("filter:"));

    // A new camera with a bad MAC: refused, the error under the field.
    press(&mut step, ctx, &[ch('n')]);
    assert!(step.captures_text());
    typed(&mut step, ctx, "Door cam");
    press(&mut step, ctx, &[tab()]);
    typed(&mut step, ctx, "12-34-56");
    press(&mut step, ctx, &[tab()]);
    typed(&mut step, ctx, "SN-NEW-1");
    press(&mut step, ctx, &[ctrl('s')]);
    assert_eq!(step.new_cameras().len(), 0);
    let screen_text = shown(&mut step, &env.keymap);
    assert!(
        screen_text.contains("MAC address: use 12 hex digits"),
        "{screen_text}"
    );

    // Corrected (focus went to the MAC field): Enter through the last field adds it, picked.
    press(&mut step, ctx, &[ctrl('u')]);
    typed(&mut step, ctx, "aa-bb-cc-00-11-22");
    press(&mut step, ctx, &[key(KeyCode::Enter); 4]);
    assert!(!step.captures_text());
    assert_eq!(step.new_cameras().len(), 1);
    assert_eq!(step.new_cameras()[0].mac, "AA:BB:CC:00:11:22");
    assert_eq!(step.count(), 7);
    let screen_text = shown(&mut step, &env.keymap);
    assert!(screen_text.contains("[x] new Door cam"), "{screen_text}");
    let choices = step.choices();
    assert_eq!(choices.len(), 7);
    assert_eq!(choices[6].key, CameraKey::New(0));

    // The same MAC again, written another way: refused, as is a MAC of the inventory.
    press(&mut step, ctx, &[ch('n')]);
    typed(&mut step, ctx, "Dup");
    press(&mut step, ctx, &[tab()]);
    typed(&mut step, ctx, "aabbcc001122");
    press(&mut step, ctx, &[tab()]);
    typed(&mut step, ctx, "SN-NEW-2");
    press(&mut step, ctx, &[ctrl('s')]);
    let screen_text = shown(&mut step, &env.keymap);
    assert!(
        screen_text.contains("MAC address: already used by new camera Door cam"),
        "{screen_text}"
    );
    press(&mut step, ctx, &[ctrl('u')]);
    typed(&mut step, ctx, &existing_mac);
    press(&mut step, ctx, &[ctrl('s')]);
    let screen_text = shown(&mut step, &env.keymap);
    assert!(
        screen_text.contains("is already in the inventory"),
        "{screen_text}"
    );
    // Esc cancels the popup; nothing was added.
    press(&mut step, ctx, &[key(KeyCode::Esc)]);
    assert!(!step.captures_text());
    assert_eq!(step.new_cameras().len(), 1);
}

#[test]
fn step6_restore_drops_cameras_linked_meanwhile_and_mark_taken_unpicks() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    {
        let ctx = &mut env.ctx(&mut store);
        let step = CameraStep::restore(vec![1, 2, 3], vec![], ctx).unwrap();
        assert_eq!(step.picked_ids(), vec![1, 2, 3]);
        assert!(step.taken_on_restore().is_empty());
    }
    // Another operator links camera 2 (through a customer made with raw SQL).
    store
        .raw_conn()
        .execute_batch(
            "INSERT INTO customers (kind, name, created_at, updated_at)
                 VALUES ('customer', 'Other', '2024-01-01', '2024-01-01');
             UPDATE cameras SET customer_id = (SELECT id FROM customers) WHERE id = 2;",
        )
        .unwrap();
    let ctx = &mut env.ctx(&mut store);
    let mut step = CameraStep::restore(vec![1, 2, 3], vec![], ctx).unwrap();
    assert_eq!(step.picked_ids(), vec![1, 3]);
    assert_eq!(step.taken_on_restore(), ["Car park east".to_string()]);
    step.mark_taken(3, "Front desk was linked to another customer".into());
    assert!(!step.picked_ids().contains(&3));
    assert!(shown(&mut step, &env.keymap).contains("Front desk was linked to another customer"));
}

#[test]
fn step6_paste_goes_into_the_focused_field_literally() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut step = CameraStep::new(ctx).unwrap();
    assert_eq!(step.handle_paste("x", ctx), Effect::Ignored);
    press(&mut step, ctx, &[ch('n')]);
    assert_eq!(step.handle_paste("Gate\r\ncam n", ctx), Effect::Done);
    assert!(shown(&mut step, &env.keymap).contains("Gate cam n"));
    press(&mut step, ctx, &[key(KeyCode::Esc)]);

    // A pasted filter applies on Enter.
    press(&mut step, ctx, &[ch('/')]);
    assert_eq!(step.handle_paste("Car park\n", ctx), Effect::Done);
    press(&mut step, ctx, &[key(KeyCode::Enter)]);
    let screen_text = shown(&mut step, &env.keymap);
    assert!(screen_text.contains("Car park east"), "{screen_text}");
    assert!(!screen_text.contains("Back door"), "{screen_text}");
}

#[test]
fn hints_come_from_the_key_map() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut cameras = CameraStep::new(ctx).unwrap();
    let (ctxs, actions) = cameras.hint();
    let hints = env.keymap.hints(&ctxs, &actions);
    for wanted in [
        ("Space", "pick"),
        ("*", "pick all"),
        ("/", "filter"),
        ("n", "new"),
    ] {
        assert!(
            hints.contains(&(wanted.0.to_string(), wanted.1.to_string())),
            "{hints:?}"
        );
    }
    press(&mut cameras, ctx, &[ch('n')]);
    let (ctxs, actions) = cameras.hint();
    assert!(
        env.keymap
            .hints(&ctxs, &actions)
            .contains(&("Esc".into(), "cancel".into()))
    );
    let people = PeopleStep::new(&contact());
    let (ctxs, actions) = people.hint();
    let hints = env.keymap.hints(&ctxs, &actions);
    for wanted in [
        ("n", "new"),
        ("Enter", "open"),
        ("D/Del", "delete"),
        ("Tab", "next field"),
    ] {
        assert!(
            hints.contains(&(wanted.0.to_string(), wanted.1.to_string())),
            "{hints:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Step 7

#[test]
fn step7_roles_users_types_owner_and_camera_mapping() {
    let dir = TempDir::new().unwrap();
    let mut store = demo_store(&dir);
    let env = Env::new();
    let taken_email: String = store
        .raw_conn()
        .query_row("SELECT email FROM users LIMIT 1", [], |r| r.get(0))
        .unwrap();
    let ctx = &mut env.ctx(&mut store);

    // Step 6: the three Zeta cameras and one new camera.
    let mut cameras = CameraStep::new(ctx).unwrap();
    press(&mut cameras, ctx, &[ch('/')]);
    typed(&mut cameras, ctx, "zeta");
    press(&mut cameras, ctx, &[key(KeyCode::Enter), ch('*'), ch('n')]);
    typed(&mut cameras, ctx, "Gate");
    press(&mut cameras, ctx, &[tab()]);
    typed(&mut cameras, ctx, "02:00:00:00:00:99");
    press(&mut cameras, ctx, &[tab()]);
    typed(&mut cameras, ctx, "GATE-1");
    press(&mut cameras, ctx, &[ctrl('s')]);
    let choices = cameras.choices();
    assert_eq!(choices.len(), 4);
    let first_id = match choices[0].key {
        CameraKey::Existing(id) => id,
        CameraKey::New(_) => panic!("inventory cameras come first"),
    };

    let mut people = PeopleStep::new(&contact());
    people.set_cameras(choices);
    let initial = shown(&mut people, &env.keymap);
    assert!(
        initial.contains("Owner") && initial.contains("Admin"),
        "{initial}"
    );
    assert!(initial.contains("ann@example.com"), "{initial}");

    // Owner cannot be removed.
    let outcome = answer(&mut people, ch('D'), ctx);
    assert!(matches!(outcome, Effect::Flash(f) if f.text.contains("cannot be removed")));

    // A Guard role with two chosen cameras (one of them new), Share and PTZ.
    press(&mut people, ctx, &[ch('n')]);
    assert!(people.captures_text());
    typed(&mut people, ctx, "Night guards");
    press(&mut people, ctx, &[tab(), tab()]); // description, role type (Guard by default)
    press(&mut people, ctx, &[tab(), space()]); // uncheck "Add all cameras"
    press(&mut people, ctx, &[tab(), space()]); // camera 0
    press(&mut people, ctx, &[tab(), tab(), tab(), space()]); // camera 3, the new one
    press(&mut people, ctx, &[tab(), space(), tab(), space()]); // Share, PTZ
    press(&mut people, ctx, &[ctrl('s')]);
    assert!(!people.captures_text());
    let (roles, _) = people.roles_and_users();
    assert_eq!(roles.len(), 3);
    let night = &roles[2];
    assert_eq!(night.name, "Night guards");
    assert_eq!(night.role_type, RoleType::Guard);
    assert!(!night.all_cameras);
    assert_eq!(night.camera_ids, vec![first_id]);
    assert_eq!(night.new_camera_refs, vec![0]);
    assert!(night.permissions.share && night.permissions.ptz);
    assert!(!night.permissions.update_delete && !night.permissions.save_clip);

    // A second user; mixing Admin and Guard roles is refused under the field.
    press(&mut people, ctx, &[tab(), ch('n')]);
    typed(&mut people, ctx, "Bob");
    press(&mut people, ctx, &[tab()]);
    typed(&mut people, ctx, "Stone");
    press(&mut people, ctx, &[tab()]);
    typed(&mut people, ctx, &taken_email);
    press(&mut people, ctx, &[tab(), tab(), space()]); // Admin
    press(&mut people, ctx, &[tab(), space()]); // Night guards: refused
    let screen_text = shown(&mut people, &env.keymap);
    assert!(screen_text.contains(MIXED_TYPES), "{screen_text}");
    // An email of another customer's user is refused.
    press(&mut people, ctx, &[ctrl('s')]);
    let screen_text = shown(&mut people, &env.keymap);
    assert!(
        screen_text.contains("Email: already used by another user"),
        "{screen_text}"
    );
    press(&mut people, ctx, &[ctrl('u')]);
    typed(&mut people, ctx, "bob@example.com");
    press(&mut people, ctx, &[ctrl('s')]);
    assert!(!people.captures_text());
    let (_, users) = people.roles_and_users();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].roles, vec![0]);
    assert_eq!(users[1].roles, vec![1]);
    assert!(people.validate(ctx).is_empty());

    // Take Owner away from Ann (the only holder): validation complains.
    press(&mut people, ctx, &[ch('k'), key(KeyCode::Enter)]);
    press(&mut people, ctx, &[tab(), tab(), tab(), space()]); // untick Owner
    press(&mut people, ctx, &[tab(), space(), ctrl('s')]); // tick Admin, save
    let (_, users) = people.roles_and_users();
    assert_eq!(users[0].roles, vec![1]);
    let problems = people.validate(ctx);
    assert_eq!(problems, vec![NO_OWNER.to_string()]);
    assert!(shown(&mut people, &env.keymap).contains(NO_OWNER));

    // A custom role removed with D twice: its holders lose it.
    press(&mut people, ctx, &[tab(), ch('G')]);
    let outcome = answer(&mut people, ch('D'), ctx);
    assert!(matches!(outcome, Effect::Flash(f) if f.text.contains("again")));
    answer(&mut people, ch('D'), ctx);
    assert_eq!(people.roles_and_users().0.len(), 2);

    let summary = people.summary();
    assert!(summary.contains(&"User Bob Stone <bob@example.com>: Admin".to_string()));
}

#[test]
fn step7_contact_sync_share_disabled_cameras_and_draft_round_trip() {
    let mut people = PeopleStep::new(&contact());
    let mut changed = contact();
    changed.email = "ann.lee@example.com".into();
    people.sync_contact(&changed);
    assert_eq!(people.roles_and_users().1[0].email, "ann.lee@example.com");

    // Share off everywhere once camera share is disabled.
    people.set_share_disabled(true);
    let (roles, _) = people.roles_and_users();
    assert!(roles.iter().all(|r| !r.permissions.share));

    // Summaries of roles and users.
    let summary = people.summary();
    assert_eq!(
        summary[0],
        "Role Owner (Admin): all cameras; View, PTZ, Update & Delete, Save Clip"
    );
    assert_eq!(
        summary.last().unwrap(),
        "User Ann Lee <ann.lee@example.com>: Owner"
    );

    // The draft survives JSON.
    let json = serde_json::to_string(&people.draft()).unwrap();
    let back: PeopleDraft = serde_json::from_str(&json).unwrap();
    let restored = PeopleStep::restore(back);
    assert_eq!(restored.roles_and_users(), people.roles_and_users());
}

#[test]
fn step7_edited_contact_user_no_longer_follows_the_contact() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut people = PeopleStep::new(&contact());
    press(
        &mut people,
        ctx,
        &[tab(), key(KeyCode::Enter), tab(), tab()],
    );
    press(&mut people, ctx, &[ctrl('u')]);
    typed(&mut people, ctx, "ops@example.com");
    press(&mut people, ctx, &[ctrl('s')]);
    let mut changed = contact();
    changed.first_name = "Anna".into();
    people.sync_contact(&changed);
    let (_, users) = people.roles_and_users();
    assert_eq!(users[0].first_name, "Ann");
    assert_eq!(users[0].email, "ops@example.com");
    // Single letters type in a text field.
    press(&mut people, ctx, &[ch('n')]);
    typed(&mut people, ctx, "nD");
    assert!(shown(&mut people, &env.keymap).contains("nD"));
}

// ---------------------------------------------------------------------------------------------
// Snapshots

fn snap(name: &str, step: &mut impl Step, keymap: &Keymap) {
    for (w, h) in [(100, 24), (80, 22)] {
        let terminal = screen(step, keymap, w, h);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn snapshot_step6_empty_inventory() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let env = Env::new();
    let mut step = CameraStep::new(&mut env.ctx(&mut store)).unwrap();
    snap("step6_empty", &mut step, &env.keymap);
}

#[test]
fn snapshot_step6_with_picks() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut step = CameraStep::new(ctx).unwrap();
    press(
        &mut step,
        ctx,
        &[space(), ch('j'), ch('j'), space(), ch('j')],
    );
    snap("step6_picks", &mut step, &env.keymap);
}

#[test]
fn snapshot_step6_new_camera_popup_with_errors() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut step = CameraStep::new(ctx).unwrap();
    press(&mut step, ctx, &[ch('n'), tab()]);
    typed(&mut step, ctx, "00:1a:2b:3c:4d:0");
    press(&mut step, ctx, &[tab()]);
    typed(&mut step, ctx, "sn-1003");
    press(&mut step, ctx, &[ctrl('s')]);
    snap("step6_popup_errors", &mut step, &env.keymap);
}

#[test]
fn snapshot_step7_initial() {
    let env = Env::new();
    let mut people = PeopleStep::new(&contact());
    snap("step7_initial", &mut people, &env.keymap);
}

#[test]
fn snapshot_step7_role_form() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut cameras = CameraStep::new(ctx).unwrap();
    press(&mut cameras, ctx, &[space(), ch('j'), space()]);
    let mut people = PeopleStep::new(&contact());
    people.set_cameras(cameras.choices());
    people.set_share_disabled(true);
    press(&mut people, ctx, &[ch('n')]);
    typed(&mut people, ctx, "Night guards");
    press(
        &mut people,
        ctx,
        &[tab(), tab(), tab(), space(), tab(), space()],
    );
    snap("step7_role_form", &mut people, &env.keymap);
}

#[test]
fn snapshot_step7_user_form_mixed_types() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut people = PeopleStep::new(&contact());
    press(&mut people, ctx, &[ch('n')]);
    typed(&mut people, ctx, "Patrol");
    press(&mut people, ctx, &[ctrl('s'), tab(), ch('n')]);
    typed(&mut people, ctx, "Bob");
    press(&mut people, ctx, &[tab()]);
    typed(&mut people, ctx, "Stone");
    press(&mut people, ctx, &[tab()]);
    typed(&mut people, ctx, "bob@example.com");
    press(&mut people, ctx, &[tab(), space(), tab(), tab(), space()]);
    snap("step7_user_form_mixed", &mut people, &env.keymap);
}

// ---------------------------------------------------------------------------------------------
// Never panics

#[test]
fn never_panics_at_tiny_sizes() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut plain = CameraStep::new(ctx).unwrap();
    let mut popup = CameraStep::new(ctx).unwrap();
    press(&mut popup, ctx, &[space(), ch('n'), tab()]);
    typed(&mut popup, ctx, "日本語のテキスト\u{1b}[31m");
    press(&mut popup, ctx, &[ctrl('s')]);
    let mut people = PeopleStep::new(&contact());
    people.set_cameras(popup.choices());
    let mut role_form = PeopleStep::new(&contact());
    role_form.set_cameras(popup.choices());
    press(&mut role_form, ctx, &[ch('n')]);
    typed(&mut role_form, ctx, "長い名前の役割\u{202e}");
    press(&mut role_form, ctx, &[tab(), tab(), tab(), space(), tab()]);
    let mut user_form = PeopleStep::new(&contact());
    press(&mut user_form, ctx, &[tab(), ch('n'), ctrl('s')]);
    for w in 0..=30 {
        for h in 0..=8 {
            screen(&mut plain, &env.keymap, w, h);
            screen(&mut popup, &env.keymap, w, h);
            screen(&mut people, &env.keymap, w, h);
            screen(&mut role_form, &env.keymap, w, h);
            screen(&mut user_form, &env.keymap, w, h);
        }
    }
}

#[test]
fn snapshot_step6_filter_typing() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut step = CameraStep::new(ctx).unwrap();
    press(&mut step, ctx, &[space(), ch('/')]);
    typed(&mut step, ctx, "ware");
    snap("step6_filter", &mut step, &env.keymap);
}

#[test]
fn snapshot_step7_problems_marked() {
    let dir = TempDir::new().unwrap();
    let mut store = small_store(&dir);
    let env = Env::new();
    let ctx = &mut env.ctx(&mut store);
    let mut people = PeopleStep::new(&Contact::default());
    press(&mut people, ctx, &[tab(), ch('n')]);
    typed(&mut people, ctx, "Bob");
    press(&mut people, ctx, &[tab()]);
    typed(&mut people, ctx, "Stone");
    press(&mut people, ctx, &[tab()]);
    typed(&mut people, ctx, "bob@example.com");
    press(&mut people, ctx, &[tab(), tab(), space(), ctrl('s')]);
    let problems = people.validate(ctx);
    assert_eq!(
        problems,
        [
            "User #1: First name: required",
            "User #1: Last name: required",
            "User #1: Email: required"
        ]
    );
    snap("step7_problems", &mut people, &env.keymap);
}
