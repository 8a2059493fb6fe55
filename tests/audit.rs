//! The audit log: restore after delete (round trip), the log's filters and paging, and what the
//! Audit Log tab and a customer's Logs pane draw (snapshots).

mod support;

use admin_portal::app::{Effect, FlashLevel, press as hand};
use admin_portal::domain::{
    Address, Billing, Camera, Customer, Id, NewCustomer, NewUser, PaymentTerms, Permissions, Role,
    RoleType, User,
};
use admin_portal::store::views::AuditQuery;
use admin_portal::store::{OpenMode, Store, StoreError};
use admin_portal::theme::COLOR;
use admin_portal::ui::audit::AuditScreen;
use admin_portal::ui::component::Component;
use admin_portal::ui::customer::logs::LogsPane;
use jiff::tz::TimeZone;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use support::db::RawConn;
use support::fixture::*;

const FIXED_TIME: &str = "2026-11-27T09:00:00Z";

/// Five demo customers and forty cameras, some unlinked.
fn demo_env() -> Env {
    Env::demo(5, 40, 1).with_client("10.0.0.5")
}

impl Env {
    fn camera(&self, name: &str, n: u32) -> Id {
        let (mac, serial) = (format!("AA:BB:CC:DD:00:{n:02X}"), format!("TEST-{n:04}"));
        self.camera_row(name, &mac, &serial, FIXED_TIME)
    }

    fn plan(&self) -> Id {
        self.store.plans().expect("plans")[0].id
    }

    /// Acme Security: three cameras, Owner, Admin and a Guard role on two of them, three users.
    fn acme(&mut self) -> (Id, Vec<Id>) {
        let cams = vec![
            self.camera("Front door", 1),
            self.camera("Loading dock", 2),
            self.camera("Back gate", 3),
        ];
        let plan = self.plan();
        let mut new = new_customer("Acme Security");
        new.profile.defaults.default_plan_id = Some(plan);
        new.camera_ids = cams.clone();
        new.roles.push(Role {
            id: None,
            name: "Night guard".into(),
            description: "Gate and dock at night".into(),
            system: None,
            role_type: RoleType::Guard,
            all_cameras: false,
            camera_ids: vec![cams[1], cams[2]],
            new_camera_refs: vec![],
            permissions: Permissions {
                share: false,
                ptz: true,
                update_delete: false,
                save_clip: true,
            },
        });
        new.users.push(NewUser {
            first_name: "Gus".into(),
            last_name: "Guard".into(),
            email: "gus@acme.example.com".into(),
            roles: vec![2],
        });
        let hashes: Vec<String> = (0..new.users.len()).map(|i| format!("{HASH}{i}")).collect();
        let op = self.operator.clone();
        let id = self
            .store
            .create_customer(&new, &hashes, &op)
            .expect("create")
            .id;
        // A camera with its own plan and one stopped, so both come back as they were.
        self.sql(&format!(
            "UPDATE cameras SET plan_id = {plan} WHERE id = {};
             UPDATE cameras SET recording = 0 WHERE id = {};
             UPDATE users SET must_change_password = 0, active = 0 WHERE email LIKE 'bob@%'",
            cams[0], cams[1]
        ));
        (id, cams)
    }

    fn delete(&mut self, id: Id) {
        let version = self.store.customer(id).unwrap().unwrap().version;
        let op = self.operator.clone();
        self.store
            .delete_customer(id, version, &op)
            .expect("delete");
    }

    fn delete_entry(&self, id: Id) -> Id {
        self.store
            .raw_conn()
            .query_row(
                "SELECT id FROM audit WHERE action = 'customer.delete' AND customer_id = ?1",
                [id],
                |r| r.get(0),
            )
            .expect("delete entry")
    }

    fn archive_of(&self, customer: Id) -> Id {
        let entry = self.delete_entry(customer);
        self.store
            .archive_for_audit(entry)
            .unwrap()
            .expect("archive")
            .0
    }

    /// Audit times one minute apart, newest last, so that snapshots do not follow the clock.
    fn fix_times(&self) {
        self.sql(
            "UPDATE audit SET at = strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-27 08:00:00',
                                            '+' || (id * 7) || ' minutes')",
        );
    }
}

/// The sample customer in Springfield, with its own billing address, terms and tax id.
fn new_customer(name: &str) -> NewCustomer {
    let slug = slug(name);
    let mut new = sample_customer(name);
    let contact = &mut new.profile.contact;
    contact.phone = "+1 555 0100".into();
    contact.address = Address {
        line1: "1 Main Street".into(),
        line2: String::new(),
        city: "Springfield".into(),
        state: "IL".into(),
        postal_code: "62701".into(),
        country: "US".into(),
    };
    contact.time_zone = "America/Chicago".into();
    contact.reference = "ACME-42".into();
    contact.notes = "Night guard on site from 22:00.".into();
    new.profile.billing = Billing {
        same_as_company: false,
        contact: "Accounts Payable".into(),
        email: format!("billing@{slug}.example.com"),
        phone: "+1 555 0101".into(),
        address: Address {
            line1: "PO Box 9".into(),
            city: "Springfield".into(),
            country: "US".into(),
            ..Address::default()
        },
        tax_id: "US-123".into(),
        tax_exempt: true,
        terms: PaymentTerms::Net45,
    };
    new
}

/// Everything of a customer that a restore must bring back, as the store reads it; versions and
/// update times left out (a restore is a change).
#[derive(Debug, Clone, PartialEq)]
struct Export {
    customer: Customer,
    roles: Vec<Role>,
    users: Vec<(User, String)>,
    cameras: Vec<Camera>,
}

fn export(store: &Store, id: Id) -> Export {
    let mut customer = store.customer(id).unwrap().expect("customer");
    customer.version = 0;
    customer.updated_at.clear();
    let mut roles = store.roles_of(id).unwrap();
    for r in &mut roles {
        r.camera_ids.sort();
    }
    let users = store
        .users_of(id)
        .unwrap()
        .into_iter()
        .map(|mut u| {
            u.version = 0;
            u.role_ids.sort();
            let hash: String = store
                .raw_conn()
                .query_row(
                    "SELECT password_hash FROM users WHERE id = ?1",
                    [u.id],
                    |r| r.get(0),
                )
                .unwrap();
            (u, hash)
        })
        .collect();
    let cameras = store
        .cameras_of(id)
        .unwrap()
        .into_iter()
        .map(|mut c| {
            c.version = 0;
            c
        })
        .collect();
    Export {
        customer,
        roles,
        users,
        cameras,
    }
}

// --- restore ----------------------------------------------------------------------------------

#[test]
fn restore_brings_back_everything_but_the_camera_taken_meanwhile() {
    let mut f = demo_env();
    let (id, cams) = f.acme();
    let before = export(&f.store, id);
    assert_eq!(before.cameras.len(), 3);
    assert!(before.roles.iter().any(|r| r.camera_ids.len() == 2));
    f.delete(id);
    assert!(f.store.customer(id).unwrap().is_none());

    // Meanwhile another customer gets the loading dock camera.
    let other = f.store.customer_page(&Default::default(), 0, 1).unwrap()[0].id;
    f.sql(&format!(
        "UPDATE cameras SET customer_id = {other} WHERE id = {}",
        cams[1]
    ));

    let archive = f.archive_of(id);
    let op = f.operator.clone();
    let restored = f.store.restore_customer(archive, &op).expect("restore");
    assert_eq!(restored.id, id, "the original id comes back");
    assert_eq!(restored.relinked, 2);
    assert_eq!(restored.taken, vec!["Loading dock".to_string()]);

    let mut expected = before.clone();
    expected.cameras.retain(|c| c.id != cams[1]);
    for r in &mut expected.roles {
        r.camera_ids.retain(|c| *c != cams[1]);
    }
    assert_eq!(export(&f.store, id), expected);

    let again = f.store.restore_customer(archive, &op).unwrap_err();
    assert!(
        matches!(&again, StoreError::Refused(m) if m.contains("already restored on")),
        "{again}"
    );

    let (kind, who, summary): (String, String, String) = f
        .store
        .raw_conn()
        .query_row(
            "SELECT action, operator, summary FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), who.as_str()), ("customer.restore", "alice"));
    assert!(summary.contains("Loading dock"), "{summary}");
}

#[test]
fn restore_is_refused_when_the_name_is_taken() {
    let mut f = demo_env();
    let (id, _) = f.acme();
    f.delete(id);
    let mut twin = new_customer("ACME Security");
    for u in &mut twin.users {
        u.email = u.email.replace("acme", "twin");
    }
    let op = f.operator.clone();
    let hashes = vec![HASH.to_string(); 2];
    f.store.create_customer(&twin, &hashes, &op).expect("twin");
    let err = f.store.restore_customer(f.archive_of(id), &op).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Company name: Acme Security is now used by another customer; rename that one first"
    );
    assert!(f.store.customer(id).unwrap().is_none(), "nothing written");
}

#[test]
fn restore_is_refused_when_a_users_email_is_taken() {
    let mut f = demo_env();
    let (id, _) = f.acme();
    f.delete(id);
    let mut other = new_customer("Other Co");
    other.users[0].email = "gus@acme.example.com".into();
    let op = f.operator.clone();
    let hashes = vec![HASH.to_string(); 2];
    f.store
        .create_customer(&other, &hashes, &op)
        .expect("other");
    let err = f.store.restore_customer(f.archive_of(id), &op).unwrap_err();
    assert!(err.to_string().contains("gus@acme.example.com"), "{err}");
}

// --- filters and paging -----------------------------------------------------------------------

#[test]
fn filters_narrow_and_pages_cover_the_log_newest_first() {
    let mut f = demo_env();
    let (id, _) = f.acme();
    f.sql(
        "INSERT INTO audit (at, operator, client, action, summary) VALUES
           ('2026-11-27T10:00:00Z', 'bob', '10.0.0.9', 'plan.update', 'changed price of Gold 90'),
           ('2026-11-27T10:01:00Z', 'bob', NULL, 'camera.create', 'registered Lobby 100%')",
    );
    let all = AuditQuery::default();
    let total = f.store.audit_count(&all).unwrap();
    let mut paged = Vec::new();
    for offset in (0..total).step_by(3) {
        paged.extend(f.store.audit_page(&all, offset, 3).unwrap());
    }
    assert_eq!(paged.len() as i64, total);
    assert!(paged.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(paged[0].action, "camera.create");

    let count = |q: AuditQuery| {
        let n = f.store.audit_count(&q).unwrap();
        assert_eq!(f.store.audit_page(&q, 0, 1000).unwrap().len() as i64, n);
        n
    };
    let by = |text: &str| AuditQuery {
        text: text.into(),
        ..AuditQuery::default()
    };
    assert_eq!(count(by("gold 90")), 1, "summary, any case");
    assert_eq!(count(by("100%")), 1, "% is literal");
    assert_eq!(count(by("acme security")), 1, "customer name");
    assert_eq!(count(by("BOB")), 2, "operator");
    let bob = AuditQuery {
        operator: Some("bob".into()),
        ..AuditQuery::default()
    };
    assert_eq!(count(bob.clone()), 2);
    let created = AuditQuery {
        action: Some("customer.create".into()),
        ..AuditQuery::default()
    };
    assert_eq!(count(created.clone()), 6);
    let acme = AuditQuery {
        customer_id: Some(id),
        ..created
    };
    assert_eq!(count(acme.clone()), 1);
    assert_eq!(
        count(AuditQuery {
            operator: Some("bob".into()),
            ..acme
        }),
        0
    );
    assert_eq!(f.store.audit_operators().unwrap(), ["alice", "bob", "demo"]);
    assert!(
        f.store
            .audit_actions()
            .unwrap()
            .contains(&"plan.update".to_string())
    );
    assert_eq!(f.store.audit_of(id, 10).unwrap().len(), 1);
    let entry = f.store.audit_entry(paged[1].id).unwrap().expect("entry");
    assert_eq!(entry.entry.client.as_deref(), Some("10.0.0.9"));
}

#[test]
fn the_screen_filters_through_the_popup_and_pages() {
    let mut f = demo_env();
    f.acme();
    let mut screen = AuditScreen::new(&f.store)
        .unwrap()
        .with_time_zone(TimeZone::UTC);
    let total = f.store.audit_count(&AuditQuery::default()).unwrap();
    key(&mut f, &mut screen, KeyCode::End);
    let oldest: Id = f
        .store
        .raw_conn()
        .query_row("SELECT min(id) FROM audit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        screen.selected_entry().map(|e| e.id),
        Some(oldest),
        "the oldest entry is last"
    );
    assert!(total > 5);
    key(&mut f, &mut screen, KeyCode::Home);
    key(&mut f, &mut screen, KeyCode::Char('/'));
    assert!(screen.captures_text());
    type_into(&mut f, &mut screen, "acme");
    assert_eq!(screen.query().text, "acme");
    key(&mut f, &mut screen, KeyCode::Tab);
    type_into(&mut f, &mut screen, "alic");
    key(&mut f, &mut screen, KeyCode::Enter);
    assert_eq!(screen.query().operator.as_deref(), Some("alice"));
    key(&mut f, &mut screen, KeyCode::Esc);
    assert!(!screen.captures_text());
    assert_eq!(screen.query().text, "", "Esc put back what was there");
    key(&mut f, &mut screen, KeyCode::Char('/'));
    key(&mut f, &mut screen, KeyCode::Tab);
    key(&mut f, &mut screen, KeyCode::Tab);
    type_into(&mut f, &mut screen, "demo.f");
    key(&mut f, &mut screen, KeyCode::Enter);
    key(&mut f, &mut screen, KeyCode::Char('s'));
    assert!(!screen.captures_text(), "Ctrl-S keeps");
    assert_eq!(screen.query().action.as_deref(), Some("demo.fill"));
    assert_eq!(
        screen.selected_entry().map(|e| e.action.as_str()),
        Some("demo.fill")
    );
    key(&mut f, &mut screen, KeyCode::Esc);
    assert_eq!(
        *screen.query(),
        AuditQuery::default(),
        "Esc on the list clears"
    );
}

// --- screens ----------------------------------------------------------------------------------

fn key(f: &mut Env, screen: &mut AuditScreen, code: KeyCode) -> Effect {
    let event = match code {
        // Ctrl-S: keep the filters.
        KeyCode::Char('s') if screen.captures_text() => ctrl('s'),
        _ => press(code),
    };
    send(f, screen, &event)
}

/// A key as the app hands it to the screen: looked up once in the screen's contexts.
fn send(f: &mut Env, screen: &mut AuditScreen, event: &KeyEvent) -> Effect {
    let action = f.keymap.lookup_in(&screen.contexts(), event);
    screen.handle_key(event, action, &mut f.ctx())
}

fn type_into(f: &mut Env, screen: &mut AuditScreen, text: &str) {
    type_text(text, |event| {
        send(f, screen, &event);
    });
}

fn draw_screen(f: &Env, screen: &mut AuditScreen, w: u16, h: u16) -> String {
    render_text(w, h, |frame| {
        let area = frame.area();
        screen.before_draw(area, &f.store);
        screen.render(frame, area, &COLOR, &f.keymap)
    })
}

/// Demo data, Acme with an edited phone (an update entry), and Beta Alarm deleted.
fn busy_log() -> (Env, Id) {
    let mut f = demo_env();
    let (id, _) = f.acme();
    let customer = f.store.customer(id).unwrap().unwrap();
    let mut profile = customer.profile.clone();
    profile.contact.phone = "+1 555 0199".into();
    profile.contact.notes = "Gate code changed".into();
    let op = f.operator.clone();
    f.store
        .update_profile(id, customer.version, &profile, &op)
        .expect("update");
    let mut beta = new_customer("Beta Alarm");
    beta.users.truncate(1);
    let hashes = vec![HASH.to_string()];
    let beta_id = f.store.create_customer(&beta, &hashes, &op).unwrap().id;
    f.delete(beta_id);
    f.fix_times();
    (f, id)
}

#[test]
fn audit_log_tab_snapshots() {
    let (mut f, _) = busy_log();
    let mut screen = AuditScreen::new(&f.store)
        .unwrap()
        .with_time_zone(TimeZone::UTC);
    insta::assert_snapshot!("tab_100x30", draw_screen(&f, &mut screen, 100, 30));
    insta::assert_snapshot!("tab_80x24", draw_screen(&f, &mut screen, 80, 24));
    let (ctxs, actions) = screen.hint();
    let hint = f.keymap.hints(&ctxs, &actions);
    assert!(hint.contains(&("R".into(), "restore".into())), "{hint:?}");

    key(&mut f, &mut screen, KeyCode::Char('/'));
    key(&mut f, &mut screen, KeyCode::Tab);
    key(&mut f, &mut screen, KeyCode::Tab);
    type_into(&mut f, &mut screen, "cust");
    insta::assert_snapshot!("filter_popup_100x30", draw_screen(&f, &mut screen, 100, 30));
}

#[test]
fn entry_detail_snapshots() {
    let (mut f, _) = busy_log();
    let mut screen = AuditScreen::new(&f.store)
        .unwrap()
        .with_time_zone(TimeZone::UTC);
    // Newest first: the delete, Beta's create, then Acme's update.
    key(&mut f, &mut screen, KeyCode::Down);
    key(&mut f, &mut screen, KeyCode::Down);
    assert_eq!(
        screen.selected_entry().map(|e| e.action.as_str()),
        Some("customer.update")
    );
    key(&mut f, &mut screen, KeyCode::Enter);
    let text = draw_screen(&f, &mut screen, 100, 30);
    assert!(
        text.contains("contact.phone: +1 555 0100 → +1 555 0199"),
        "{text}"
    );
    insta::assert_snapshot!("detail_100x30", text);
    insta::assert_snapshot!("detail_80x24", draw_screen(&f, &mut screen, 80, 24));
    key(&mut f, &mut screen, KeyCode::Esc);
    assert!(!screen.captures_text());
}

#[test]
fn restore_from_the_tab_asks_then_restores() {
    let (mut f, _) = busy_log();
    let mut screen = AuditScreen::new(&f.store)
        .unwrap()
        .with_time_zone(TimeZone::UTC);
    assert_eq!(
        screen.selected_entry().map(|e| e.action.as_str()),
        Some("customer.delete")
    );
    assert_eq!(
        key(&mut f, &mut screen, KeyCode::Char('R')),
        Effect::DialogOpened
    );
    insta::assert_snapshot!(
        "restore_confirm_100x30",
        draw_screen(&f, &mut screen, 100, 30)
    );
    insta::assert_snapshot!(
        "restore_confirm_80x24",
        draw_screen(&f, &mut screen, 80, 24)
    );
    assert_eq!(key(&mut f, &mut screen, KeyCode::Char('n')), Effect::Done);
    assert!(screen.confirm().is_none());
    assert!(!f.store.customer_name_taken("Beta Alarm", None).unwrap());

    key(&mut f, &mut screen, KeyCode::Char('R'));
    let Effect::Changed(Some(flash)) = key(&mut f, &mut screen, KeyCode::Char('y')) else {
        panic!("restore did not report a change");
    };
    assert_eq!(flash.level, FlashLevel::Info);
    assert_eq!(flash.text, "Restored Beta Alarm with 0 cameras");
    assert!(f.store.customer_name_taken("Beta Alarm", None).unwrap());
    assert_eq!(
        screen.selected_entry().map(|e| e.action.as_str()),
        Some("customer.delete"),
        "the selection stays on the entry"
    );
    key(&mut f, &mut screen, KeyCode::Up);
    assert_eq!(
        screen.selected_entry().map(|e| e.action.as_str()),
        Some("customer.restore"),
        "the restore is at the top"
    );

    // The delete entry again: refused with the reason, no dialog.
    key(&mut f, &mut screen, KeyCode::Down);
    let Effect::Flash(flash) = key(&mut f, &mut screen, KeyCode::Char('R')) else {
        panic!("expected a refusal");
    };
    assert!(flash.text.contains("already restored on"), "{}", flash.text);
}

#[test]
fn read_only_hides_and_refuses_restore() {
    let (f, _) = busy_log();
    let mut ro = Env::new().with_client("10.0.0.5");
    ro.store = Store::open(f.store.path(), OpenMode::ReadOnly).unwrap();
    let mut screen = AuditScreen::new(&ro.store).unwrap();
    let (_, actions) = screen.hint();
    assert!(!actions.contains(&admin_portal::action::Action::Restore));
    let Effect::Flash(flash) = key(&mut ro, &mut screen, KeyCode::Char('R')) else {
        panic!("expected a refusal");
    };
    assert!(flash.text.contains("read-only"), "{}", flash.text);
}

#[test]
fn logs_pane_snapshots() {
    let (mut f, id) = busy_log();
    let customer = f.store.customer(id).unwrap().unwrap();
    let mut ctx = f.ctx();
    let mut pane = LogsPane::new(&customer, &mut ctx)
        .unwrap()
        .with_time_zone(TimeZone::UTC);
    let draw = |pane: &mut LogsPane, w, h| {
        render_text(w, h, |frame| {
            pane.before_draw(frame.area());
            pane.render(frame, frame.area(), &COLOR, &f.keymap)
        })
    };
    insta::assert_snapshot!("logs_100x30", draw(&mut pane, 100, 30));
    insta::assert_snapshot!("logs_80x24", draw(&mut pane, 80, 24));
    let mut ctx = f.ctx();
    assert_eq!(
        hand(&mut pane, &press(KeyCode::Char('l')), &mut ctx),
        Effect::Ignored,
        "sub-tab keys are the view's"
    );
    assert_eq!(
        hand(&mut pane, &press(KeyCode::Enter), &mut ctx),
        Effect::Done
    );
    assert!(pane.captures_text());
    let mut ctx = f.ctx();
    assert_eq!(
        hand(&mut pane, &press(KeyCode::Esc), &mut ctx),
        Effect::Done
    );
    assert_eq!(
        hand(&mut pane, &press(KeyCode::Esc), &mut ctx),
        Effect::Ignored
    );
}

#[test]
fn nothing_panics_at_any_size() {
    let (mut f, id) = busy_log();
    f.sql("UPDATE audit SET summary = 'evil \u{1b}[2J\u{202e} 日本語日本語' WHERE id % 2 = 0");
    let mut screen = AuditScreen::new(&f.store).unwrap();
    let customer = f.store.customer(id).unwrap().unwrap();
    let mut ctx = f.ctx();
    let mut pane = LogsPane::new(&customer, &mut ctx).unwrap();
    let opens: [&[KeyCode]; 4] = [
        &[],
        &[KeyCode::Enter],
        &[KeyCode::Char('/'), KeyCode::Tab, KeyCode::Char('a')],
        &[KeyCode::Char('R')],
    ];
    for keys in opens {
        for &k in keys {
            key(&mut f, &mut screen, k);
            let mut ctx = f.ctx();
            hand(&mut pane, &press(k), &mut ctx);
        }
        for w in [0, 1, 5, 12, 30, 80] {
            for h in [0, 1, 2, 3, 6, 24] {
                let text = draw_screen(&f, &mut screen, w, h);
                assert!(!text.contains('\u{1b}'));
                render(w, h, |frame| {
                    pane.before_draw(frame.area());
                    pane.render(frame, frame.area(), &COLOR, &f.keymap)
                });
            }
        }
        for k in [KeyCode::Esc, KeyCode::Esc, KeyCode::Char('n')] {
            key(&mut f, &mut screen, k);
            let mut ctx = f.ctx();
            hand(&mut pane, &press(k), &mut ctx);
        }
    }
}

/// The Audit Log names plans, customers and cameras instead of their ids (issue 11), in the
/// summary line and in the detail popup.
#[test]
fn the_log_shows_names_not_ids() {
    let mut f = demo_env();
    let (id, cams) = f.acme();
    let plans = f.store.plans().unwrap();
    let (old, new) = (&plans[0], &plans[1]);
    let customer = f.store.customer(id).unwrap().unwrap();
    assert_eq!(customer.profile.defaults.default_plan_id, Some(old.id));
    let mut profile = customer.profile.clone();
    profile.defaults.default_plan_id = Some(new.id);
    let op = f.operator.clone();
    f.store
        .update_profile(id, customer.version, &profile, &op)
        .expect("update");
    f.store.unlink_cameras(id, &cams[..1], &op).expect("unlink");
    let log = f.store.audit_of(id, 5).unwrap();
    assert_eq!(log[1].action, "customer.update");
    assert_eq!(
        log[1].summary,
        format!("changed recording plan to {}", new.name)
    );

    let mut screen = AuditScreen::new(&f.store)
        .unwrap()
        .with_time_zone(TimeZone::UTC);
    key(&mut f, &mut screen, KeyCode::Down); // the update, under the unlink
    key(&mut f, &mut screen, KeyCode::Enter);
    let text = draw_screen(&f, &mut screen, 120, 40);
    let change = format!("defaults.default_plan: {} → {}", old.name, new.name);
    assert!(text.contains(&change), "{text}");
    assert!(!text.contains("plan_id"), "{text}");
    key(&mut f, &mut screen, KeyCode::Esc);

    key(&mut f, &mut screen, KeyCode::Up); // the unlink
    key(&mut f, &mut screen, KeyCode::Enter);
    let text = draw_screen(&f, &mut screen, 120, 40);
    assert!(text.contains("cameras: Front door"), "{text}");
    assert!(!text.contains("camera_ids"), "{text}");
}
