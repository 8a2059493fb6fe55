//! The add-customer wizard driven by key events over a temporary store: all eight steps to a
//! written customer, validation, going back, drafts, commit conflicts; snapshots of every step;
//! and "never panics" at tiny sizes.

use std::time::{Duration, Instant};

mod support;

use admin_portal::app::Effect;
use admin_portal::domain::{CustomerProfile, NewCustomer, NewUser, Operator, Role};
use admin_portal::keymap::Keymap;
use admin_portal::theme::COLOR;
use admin_portal::ui::component::Component;
use admin_portal::ui::render_hints;
use admin_portal::ui::wizard::commit::Secret;
use admin_portal::ui::wizard::{Step, Wizard, draft_summary};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use support::db::RawConn;
use support::fixture::*;

const OPERATOR: &str = "alice";
const COMPANY: &str = "Northwind Dental";
const EMAIL: &str = "dana.reyes@northwind-dental.com";

/// Five demo customers and forty cameras in `wizard.db`; the operator is [`OPERATOR`].
fn demo_env() -> Env {
    let mut test = TestStore::named("wizard.db");
    demo(&mut test.store, 5, 40, 1);
    Env::from(test).with_login(OPERATOR)
}

impl Env {
    fn wizard(&mut self) -> Wizard {
        Wizard::new(&mut self.ctx())
            .unwrap()
            .with_password_source(fixed_passwords())
    }

    fn resume(&mut self) -> Wizard {
        Wizard::resume(&mut self.ctx())
            .unwrap()
            .expect("a draft")
            .with_password_source(fixed_passwords())
    }

    /// The key as the app hands it over: looked up once in the wizard's contexts.
    fn press(&mut self, w: &mut Wizard, key: KeyEvent) -> Effect {
        let action = self.keymap.lookup_in(&w.contexts(), &key);
        w.handle_key(&key, action, &mut self.ctx())
    }

    fn keys(&mut self, w: &mut Wizard, keys: &[KeyEvent]) {
        for key in keys {
            self.press(w, *key);
        }
    }

    fn type_text(&mut self, w: &mut Wizard, text: &str) {
        type_text(text, |event| {
            self.press(w, event);
        });
    }

    /// Ticks until the hashing is done; returns the effect of the tick that finished it.
    fn finish(&mut self, w: &mut Wizard) -> Effect {
        let start = Instant::now();
        while w.busy() {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "hashing never ended"
            );
            std::thread::sleep(Duration::from_millis(10));
            let effect = w.tick(&mut self.ctx());
            if !w.busy() {
                return effect;
            }
        }
        panic!("the wizard was not hashing");
    }
}

fn fixed_passwords() -> Box<dyn FnMut() -> Secret + Send> {
    let mut n = 0;
    Box::new(move || {
        n += 1;
        Secret::new(format!("TestPassword{n:04}"))
    })
}

fn tab() -> KeyEvent {
    key(KeyCode::Tab)
}

fn enter() -> KeyEvent {
    key(KeyCode::Enter)
}

fn esc() -> KeyEvent {
    key(KeyCode::Esc)
}

/// Step 2: every required field, the country picked from its list (the time zone follows).
fn fill_contact(env: &mut Env, w: &mut Wizard, email: &str) {
    assert_eq!(w.step(), Step::Contact);
    for (text, tabs) in [
        (COMPANY, 1),
        ("Dana", 1),
        ("Reyes", 1),
        (email, 1),
        ("+1 (555) 010-4477", 1),
        ("12 Harbor Street", 2),
        ("Portland", 1),
        ("OR", 1),
        ("97201", 1),
    ] {
        env.type_text(w, text);
        for _ in 0..tabs {
            env.press(w, tab());
        }
    }
    // Country: typing opens the list and filters it; Enter picks.
    env.type_text(w, "United States");
    env.press(w, enter());
}

/// Steps 1-7 filled; the wizard ends on the review.
fn to_review(env: &mut Env, w: &mut Wizard) {
    env.press(w, ctrl('n'));
    fill_contact(env, w, EMAIL);
    env.press(w, ctrl('n'));
    assert_eq!(w.step(), Step::Defaults);
    fill_defaults(env, w);
    env.press(w, ctrl('n'));
    assert_eq!(w.step(), Step::UserCreation);
    env.press(w, ctrl('n'));
    assert_eq!(w.step(), Step::Billing);
    env.press(w, ctrl('n'));
    assert_eq!(w.step(), Step::Cameras);
    pick_two_cameras(env, w);
    env.press(w, ctrl('n'));
    assert_eq!(w.step(), Step::People);
    env.press(w, ctrl('n'));
    assert_eq!(w.step(), Step::Review, "{:?}", w.problems());
}

/// Step 3: the default plan Pro 90.
fn fill_defaults(env: &mut Env, w: &mut Wizard) {
    env.keys(w, &[tab(), tab()]);
    env.type_text(w, "Pro 90");
    env.press(w, enter());
}

fn pick_two_cameras(env: &mut Env, w: &mut Wizard) {
    env.keys(w, &[ch(' '), key(KeyCode::Down), ch(' ')]);
}

fn draw(w: &mut Wizard, keymap: &Keymap, width: u16, height: u16) -> String {
    render_text(width, height, |frame| {
        let area = frame.area();
        let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
        w.render(frame, body, &COLOR, keymap);
        if area.height > 0 {
            let (ctxs, actions) = w.hint();
            let hint = Rect::new(area.x, area.bottom() - 1, area.width, 1);
            render_hints(frame, hint, keymap, &ctxs, &actions, &COLOR);
        }
    })
}

/// Snapshots at 100x30 and 80x24.
fn snap(env: &Env, w: &mut Wizard, name: &str) {
    for (width, height) in [(100, 30), (80, 24)] {
        let screen = draw(w, &env.keymap, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    }
}

// ---------------------------------------------------------------------------------------------

#[test]
fn all_eight_steps_write_the_customer() {
    let mut env = demo_env();
    let customers_before = env.int("SELECT count(*) FROM customers");
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    assert!(w.problems().is_empty(), "{:?}", w.problems());
    assert_eq!(
        w.completed(),
        &Step::ALL[..7],
        "every step before the review is ticked"
    );
    // The button has focus when nothing is left to fix.
    assert_eq!(env.press(&mut w, enter()), Effect::Done);
    assert!(w.busy());
    let effect = env.finish(&mut w);
    assert!(matches!(effect, Effect::Changed(Some(_))), "{effect:?}");
    let id = w.created().expect("created");

    assert_eq!(
        env.int("SELECT count(*) FROM customers"),
        customers_before + 1
    );
    let customer = env.store.customer(id).unwrap().unwrap();
    assert_eq!(customer.profile.contact.company, COMPANY);
    assert_eq!(customer.profile.contact.address.country, "US");
    assert!(customer.profile.billing.same_as_company);
    assert!(customer.profile.defaults.default_plan_id.is_some());
    assert_eq!(
        env.int(&format!(
            "SELECT count(*) FROM billing WHERE customer_id = {id}"
        )),
        1
    );
    assert_eq!(env.store.cameras_of(id).unwrap().len(), 2);
    let roles: Vec<String> = env
        .store
        .roles_of(id)
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(roles, ["Owner", "Admin"]);
    let users = env.store.users_of(id).unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].email, EMAIL);
    assert!(users[0].must_confirm_email && users[0].must_change_password);
    assert_eq!(users[0].role_ids.len(), 1);
    let hash: String = env
        .store
        .raw_conn()
        .query_row(
            "SELECT password_hash FROM users WHERE customer_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("TestPassword"));
    assert_eq!(
        env.int(&format!(
            "SELECT count(*) FROM audit WHERE customer_id = {id} AND action = 'customer.create'"
        )),
        1
    );
    assert_eq!(
        env.int(&format!(
            "SELECT count(*) FROM audit WHERE customer_id = {id}"
        )),
        1
    );
    assert!(
        env.store.draft(OPERATOR).unwrap().is_none(),
        "the draft is gone"
    );

    // The final screen shows the password once; Enter opens the customer.
    let screen = draw(&mut w, &env.keymap, 100, 30);
    assert!(screen.contains("TestPassword0001"), "{screen}");
    assert!(
        screen.contains("must change this password at first login"),
        "{screen}"
    );
    assert!(w.is_dirty(), "leaving would lose the passwords");
    assert!(matches!(env.press(&mut w, esc()), Effect::Flash(_)));
    assert_eq!(env.press(&mut w, enter()), Effect::OpenCustomer(id));
}

#[test]
fn a_bad_email_keeps_step_2_open_with_the_message() {
    let mut env = demo_env();
    let mut w = env.wizard();
    env.press(&mut w, ctrl('n'));
    fill_contact(&mut env, &mut w, "dana@northwind");
    let effect = env.press(&mut w, ctrl('n'));
    assert!(matches!(effect, Effect::Flash(_)), "{effect:?}");
    assert_eq!(w.step(), Step::Contact);
    assert!(!w.completed().contains(&Step::Contact));
    let screen = draw(&mut w, &env.keymap, 100, 30);
    assert!(screen.contains("Email: "), "{screen}");
    snap(&env, &mut w, "step2_errors");
    // Fixing it lets the operator on: the cursor is on Email already.
    for _ in 0.."dana@northwind".len() {
        env.press(&mut w, key(KeyCode::Backspace));
    }
    env.type_text(&mut w, EMAIL);
    env.press(&mut w, ctrl('n'));
    assert_eq!(w.step(), Step::Defaults);
}

#[test]
fn going_back_never_loses_input() {
    let mut env = demo_env();
    let mut w = env.wizard();
    env.press(&mut w, ctrl('n'));
    fill_contact(&mut env, &mut w, EMAIL);
    env.press(&mut w, ctrl('n'));
    fill_defaults(&mut env, &mut w);
    let typed = w.profile();
    // Back to step 1 without validating, then half-typed text on step 2 survives too.
    env.keys(&mut w, &[ctrl('p'), ctrl('p')]);
    assert_eq!(w.step(), Step::Type);
    assert_eq!(w.profile(), typed);
    env.press(&mut w, ctrl('n'));
    env.keys(&mut w, &[key(KeyCode::BackTab)]);
    env.press(&mut w, ctrl('p'));
    assert_eq!(w.profile(), typed);
    env.keys(&mut w, &[ctrl('n'), ctrl('n'), ctrl('n')]);
    assert_eq!(w.step(), Step::UserCreation);
    assert_eq!(w.profile(), typed);
}

#[test]
fn a_draft_saved_at_step_5_resumes_there_and_holds_no_password() {
    let mut env = demo_env();
    let mut w = env.wizard();
    env.press(&mut w, ctrl('n'));
    fill_contact(&mut env, &mut w, EMAIL);
    env.keys(&mut w, &[ctrl('n')]);
    fill_defaults(&mut env, &mut w);
    env.keys(&mut w, &[ctrl('n'), ctrl('n')]);
    assert_eq!(w.step(), Step::Billing);
    let typed = w.profile();

    let draft = env
        .store
        .draft(OPERATOR)
        .unwrap()
        .expect("saved on the way");
    assert_eq!(draft.step, 5);
    let json: serde_json::Value = serde_json::from_str(&draft.data).unwrap();
    assert_eq!(password_keys(&json), ["change_password"], "{}", draft.data);
    assert!(!draft.data.contains("TestPassword"));
    let summary = draft_summary(&env.store, OPERATOR).unwrap().unwrap();
    assert!(
        summary.starts_with("Northwind Dental, step 5 Billing, saved "),
        "{summary}"
    );

    // Esc, then k: the draft is kept.
    assert_eq!(env.press(&mut w, esc()), Effect::DialogOpened);
    snap(&env, &mut w, "esc_prompt");
    let effect = env.press(&mut w, ch('k'));
    assert!(
        matches!(&effect, Effect::Back(Some(f)) if f.text == "Draft kept: press a to resume"),
        "{effect:?}"
    );
    drop(w);

    let mut back = env.resume();
    assert_eq!(back.step(), Step::Billing);
    assert_eq!(back.profile(), typed);
    assert_eq!(
        back.completed(),
        [
            Step::Type,
            Step::Contact,
            Step::Defaults,
            Step::UserCreation
        ]
    );
    // It goes on from there to a customer.
    env.press(&mut back, ctrl('n'));
    pick_two_cameras(&mut env, &mut back);
    env.keys(&mut back, &[ctrl('n'), ctrl('n')]);
    assert_eq!(back.step(), Step::Review, "{:?}", back.problems());

    // Esc, then d asks once more; another key goes back; d, d: the draft is gone.
    env.press(&mut back, esc());
    assert_eq!(env.press(&mut back, ch('d')), Effect::DialogOpened);
    let screen = draw(&mut back, &env.keymap, 100, 30);
    assert!(screen.contains("Discard the draft?"), "{screen}");
    assert!(screen.contains("everything typed is lost"), "{screen}");
    assert_eq!(env.press(&mut back, ch('x')), Effect::Done);
    assert!(env.store.draft(OPERATOR).unwrap().is_some());
    let screen = draw(&mut back, &env.keymap, 100, 30);
    assert!(screen.contains("Leave the wizard?"), "{screen}");
    assert_eq!(env.press(&mut back, ch('d')), Effect::DialogOpened);
    assert!(matches!(
        env.press(&mut back, ch('d')),
        Effect::Back(Some(_))
    ));
    assert!(env.store.draft(OPERATOR).unwrap().is_none());
}

/// Keys of `value`, at any depth, that mention a password.
fn password_keys(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| {
                let mut keys = password_keys(v);
                if k.to_lowercase().contains("password") {
                    keys.insert(0, k.clone());
                }
                keys
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(password_keys).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn esc_on_an_untouched_wizard_leaves_at_once() {
    let mut env = demo_env();
    let mut w = env.wizard();
    assert!(!w.is_dirty());
    assert_eq!(env.press(&mut w, esc()), Effect::Back(None));
    assert!(env.store.draft(OPERATOR).unwrap().is_none());
    assert!(Wizard::resume(&mut env.ctx()).unwrap().is_none());
    assert_eq!(draft_summary(&env.store, OPERATOR).unwrap(), None);
}

#[test]
fn esc_prompt_go_on_keeps_everything() {
    let mut env = demo_env();
    let mut w = env.wizard();
    env.press(&mut w, ctrl('n'));
    env.type_text(&mut w, "Acme");
    assert!(w.captures_text());
    assert_eq!(env.press(&mut w, esc()), Effect::DialogOpened);
    assert!(!w.captures_text());
    // Letters other than k and d do nothing while the prompt is open.
    assert_eq!(env.press(&mut w, ch('x')), Effect::Done);
    assert_eq!(env.press(&mut w, enter()), Effect::Done);
    assert_eq!(w.profile().contact.company, "Acme");
    env.type_text(&mut w, " Corp");
    assert_eq!(w.profile().contact.company, "Acme Corp");
}

#[test]
fn a_camera_linked_meanwhile_brings_back_step_6() {
    let mut env = demo_env();
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    let picked = w.new_customer().camera_ids;
    assert_eq!(picked.len(), 2);
    let audit_before = env.int("SELECT count(*) FROM audit");
    let customers_before = env.int("SELECT count(*) FROM customers");
    env.press(&mut w, enter());
    assert!(w.busy());
    // Another operator links the first picked camera while the passwords are hashed.
    let other = env.store.reopen().unwrap();
    other
        .raw_conn()
        .execute(
            "UPDATE cameras SET customer_id = (SELECT min(id) FROM customers) WHERE id = ?1",
            [picked[0]],
        )
        .unwrap();
    let effect = env.finish(&mut w);
    let Effect::Flash(flash) = effect else {
        panic!("{effect:?}");
    };
    assert!(flash.text.contains("Camera"), "{}", flash.text);
    assert_eq!(w.step(), Step::Cameras);
    assert_eq!(w.created(), None);
    assert_eq!(env.int("SELECT count(*) FROM customers"), customers_before);
    assert_eq!(env.int("SELECT count(*) FROM audit"), audit_before);
    assert_eq!(
        env.int(&format!(
            "SELECT count(*) FROM cameras WHERE id = {} AND customer_id IS NULL",
            picked[1]
        )),
        1,
        "the other camera is not linked"
    );
    // The taken camera is unpicked, the other kept; everything typed is still there.
    assert_eq!(w.new_customer().camera_ids, [picked[1]]);
    assert_eq!(w.profile().contact.company, COMPANY);
    let screen = draw(&mut w, &env.keymap, 100, 30);
    assert!(screen.contains("by another operator"), "{screen}");
}

#[test]
fn a_name_taken_meanwhile_brings_back_step_2() {
    let mut env = demo_env();
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    // Ctrl-S (the form's Save key) creates from anywhere on the review.
    env.press(&mut w, ctrl('s'));
    assert!(w.busy());
    let mut other = env.store.reopen().unwrap();
    let mut rival = NewCustomer {
        profile: CustomerProfile::default(),
        ..NewCustomer::default()
    };
    rival.profile.contact.company = COMPANY.to_uppercase();
    let op = Operator {
        login: "bob".into(),
        client: None,
    };
    other.create_customer(&rival, &[], &op).unwrap();
    let customers_before = env.int("SELECT count(*) FROM customers");
    let effect = env.finish(&mut w);
    assert!(matches!(effect, Effect::Flash(_)), "{effect:?}");
    assert_eq!(w.step(), Step::Contact);
    assert_eq!(env.int("SELECT count(*) FROM customers"), customers_before);
    let screen = draw(&mut w, &env.keymap, 100, 30);
    assert!(screen.contains("already taken"), "{screen}");
    assert_eq!(w.profile().contact.email, EMAIL);
}

#[test]
fn an_email_taken_meanwhile_brings_back_step_7() {
    let mut env = demo_env();
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    env.press(&mut w, enter());
    let screen = draw(&mut w, &env.keymap, 100, 30);
    assert!(screen.contains("Hashing passwords "), "{screen}");
    assert!(w.busy());
    let mut other = env.store.reopen().unwrap();
    let mut rival = NewCustomer {
        roles: vec![Role::owner()],
        users: vec![NewUser {
            first_name: "Dana".into(),
            last_name: "Reyes".into(),
            email: EMAIL.to_uppercase(),
            roles: vec![0],
        }],
        ..NewCustomer::default()
    };
    rival.profile.contact.company = "Reyes Consulting".into();
    let op = Operator {
        login: "bob".into(),
        client: None,
    };
    other
        .create_customer(&rival, &["$argon2id$v=19$x".into()], &op)
        .unwrap();
    let customers_before = env.int("SELECT count(*) FROM customers");
    let effect = env.finish(&mut w);
    assert!(matches!(effect, Effect::Flash(_)), "{effect:?}");
    assert_eq!(w.step(), Step::People);
    assert_eq!(env.int("SELECT count(*) FROM customers"), customers_before);
    let screen = draw(&mut w, &env.keymap, 100, 30);
    assert!(screen.contains("already used"), "{screen}");
    assert_eq!(w.new_customer().camera_ids.len(), 2, "the picks stay");
}

#[test]
fn the_review_lists_problems_and_jumps_to_their_step() {
    let mut env = demo_env();
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    // Another operator takes the name before the review is opened again.
    let mut other = env.store.reopen().unwrap();
    let mut rival = NewCustomer::default();
    rival.profile.contact.company = COMPANY.into();
    let op = Operator {
        login: "bob".into(),
        client: None,
    };
    other.create_customer(&rival, &[], &op).unwrap();
    env.keys(&mut w, &[ctrl('p'), ctrl('n')]);
    assert_eq!(w.step(), Step::Review);
    assert_eq!(w.problems().len(), 1, "{:?}", w.problems());
    assert_eq!(w.problems()[0].step, Step::Contact);
    snap(&env, &mut w, "review_with_problem");
    // Enter on the button refuses; Enter on the problem opens step 2.
    env.press(&mut w, tab());
    assert!(matches!(env.press(&mut w, enter()), Effect::Flash(_)));
    assert!(!w.busy());
    // The refusal puts the focus back on the first problem.
    env.press(&mut w, enter());
    assert_eq!(w.step(), Step::Contact);
    assert_eq!(
        w.profile().contact.company,
        COMPANY,
        "nothing typed is lost"
    );
}

#[test]
fn digits_on_the_review_open_a_step() {
    let mut env = demo_env();
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    env.press(&mut w, ch('3'));
    assert_eq!(w.step(), Step::Defaults);
    // On a text field a digit is text, never a shortcut: Country, Time zone, then Reference.
    env.keys(&mut w, &[ctrl('p'), tab(), tab()]);
    assert_eq!(w.step(), Step::Contact);
    assert!(w.captures_text());
    env.press(&mut w, ch('8'));
    assert_eq!(w.step(), Step::Contact);
    assert_eq!(w.profile().contact.reference, "8");
}

#[test]
fn paste_is_literal_and_one_line() {
    let mut env = demo_env();
    let mut w = env.wizard();
    env.press(&mut w, ctrl('n'));
    w.handle_paste("Acme\nSecurity\r\nGmbH", &mut env.ctx());
    assert_eq!(w.profile().contact.company, "Acme Security GmbH");
}

#[test]
fn hints_follow_the_focus() {
    let mut env = demo_env();
    let mut w = env.wizard();
    let (_, actions) = w.hint();
    assert!(actions.contains(&admin_portal::action::Action::NextStep));
    env.press(&mut w, ctrl('n'));
    let line = draw(&mut w, &env.keymap, 100, 30);
    let hint = line.lines().last().unwrap().to_string();
    assert!(hint.contains("Ctrl-N next step"), "{hint}");
    assert!(hint.contains("Esc cancel"), "{hint}");
    assert!(
        !hint.contains("help"),
        "no single-letter keys while typing: {hint}"
    );
}

// --- snapshots --------------------------------------------------------------------------------

#[test]
fn snapshots_of_every_step_filled() {
    let mut env = demo_env();
    let mut w = env.wizard();
    snap(&env, &mut w, "step1_filled");
    env.press(&mut w, ctrl('n'));
    fill_contact(&mut env, &mut w, EMAIL);
    snap(&env, &mut w, "step2_filled");
    env.press(&mut w, ctrl('n'));
    fill_defaults(&mut env, &mut w);
    snap(&env, &mut w, "step3_filled");
    env.press(&mut w, ctrl('n'));
    snap(&env, &mut w, "step4_filled");
    env.press(&mut w, ctrl('n'));
    env.press(&mut w, ctrl('n'));
    pick_two_cameras(&mut env, &mut w);
    snap(&env, &mut w, "step6_filled");
    env.press(&mut w, ctrl('p'));
    assert_eq!(w.step(), Step::Billing);
    snap(&env, &mut w, "step5_filled");
    env.keys(&mut w, &[ctrl('n'), ctrl('n')]);
    snap(&env, &mut w, "step7_filled");
    env.press(&mut w, ctrl('n'));
    snap(&env, &mut w, "step8_filled");
    env.press(&mut w, enter());
    env.finish(&mut w);
    snap(&env, &mut w, "final_passwords");
}

#[test]
fn snapshots_of_every_step_empty() {
    let mut env = demo_env();
    let mut w = env.wizard();
    snap(&env, &mut w, "step1_empty");
    env.press(&mut w, ctrl('n'));
    snap(&env, &mut w, "step2_empty");
    w.save_draft(&mut env.ctx()).unwrap();
    for step in [3, 4, 5, 6, 7, 8] {
        let mut w = resume_at(&mut env, step);
        snap(&env, &mut w, &format!("step{step}_empty"));
    }
}

/// The empty wizard's draft, moved to `step`, resumed.
fn resume_at(env: &mut Env, step: i64) -> Wizard {
    let draft = env.store.draft(OPERATOR).unwrap().unwrap();
    let mut data: serde_json::Value = serde_json::from_str(&draft.data).unwrap();
    let name = Step::from_number(step as usize).unwrap();
    data["step"] = serde_json::to_value(name).unwrap();
    env.store
        .save_draft(OPERATOR, step, &data.to_string())
        .unwrap();
    env.resume()
}

#[test]
fn never_panics_at_tiny_sizes() {
    let mut env = demo_env();
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    w.save_draft(&mut env.ctx()).unwrap();
    for step in 1..=8 {
        let mut w = resume_at(&mut env, step);
        for width in 0..=30 {
            for height in 0..=8 {
                draw(&mut w, &env.keymap, width, height);
            }
        }
        env.press(&mut w, esc());
        draw(&mut w, &env.keymap, 12, 5);
    }
    env.press(&mut w, enter());
    env.finish(&mut w);
    for width in 0..=30 {
        for height in 0..=8 {
            draw(&mut w, &env.keymap, width, height);
        }
    }
}

#[test]
fn the_current_step_is_marked_in_the_indicator() {
    let mut env = demo_env();
    let mut w = env.wizard();
    env.press(&mut w, ctrl('n'));
    let terminal = render(100, 30, |frame| {
        w.render(frame, frame.area(), &COLOR, &env.keymap)
    });
    let buffer = terminal.backend().buffer();
    let row: String = (0..100)
        .map(|x| buffer[(x, 0)].symbol().to_string())
        .collect();
    let at = row.find("2 Contact").unwrap();
    let column = row[..at].chars().count() as u16;
    assert_eq!(buffer[(column, 0)].style().bg, COLOR.tabs.active.bg);
    assert_eq!(
        buffer[(0, 0)].style().bg,
        COLOR.tabs.inactive.bg.or(buffer[(0, 0)].style().bg)
    );
    assert!(row.starts_with("1 Type ✓"), "{row}");
}

#[test]
fn the_review_scrolls_to_the_end() {
    let mut env = demo_env();
    let mut w = env.wizard();
    to_review(&mut env, &mut w);
    let top = draw(&mut w, &env.keymap, 80, 24);
    assert!(!top.contains("7 Roles and users"), "{top}");
    env.press(&mut w, ch('G'));
    let end = draw(&mut w, &env.keymap, 80, 24);
    assert!(end.contains("7 Roles and users"), "{end}");
    assert!(
        end.contains("User Dana Reyes <dana.reyes@northwind-dental.com>: Owner"),
        "{end}"
    );
    assert!(end.contains("6 Link cameras"), "{end}");
    insta::assert_snapshot!("review_end_80x24", end);
    env.press(&mut w, ch('g'));
    assert_eq!(draw(&mut w, &env.keymap, 80, 24), top);
}
