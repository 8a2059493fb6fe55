//! What a newcomer meets in the first hour: the first-start message, the read-only mark, counts
//! that agree in number, the start-up draft prompt. The app over a temporary store, drawn into a
//! `TestBackend`.

mod support;

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use admin_portal::app::{App, Flash};
use admin_portal::domain::Operator;
use admin_portal::keymap::Keymap;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::COLOR;
use ratatui::crossterm::event::KeyCode;
use support::fixture::app_text as screen;
use support::fixture::{TestStore, ch, ctrl, key, type_text};

fn operator() -> Operator {
    Operator {
        login: "alice".into(),
        client: None,
    }
}

fn app_with(test: &TestStore, mode: OpenMode, flash: Option<Flash>) -> App {
    let store = Store::open(test.path(), mode).unwrap();
    App::new(store, Keymap::default(), &COLOR, operator(), flash).unwrap()
}

#[test]
fn the_new_store_line_stays_until_the_first_key() {
    let test = TestStore::new();
    let line = "created a new store at /tmp/x/store.db";
    let mut app = app_with(
        &test,
        OpenMode::Existing,
        Some(Flash::info(line).until_key()),
    );
    // Long after a flash's lifetime, no key yet: still shown.
    app.tick(Instant::now() + Flash::LIFETIME + Duration::from_secs(60));
    assert!(screen(&mut app, 100, 30).contains(line));
    app.handle_key(&ch('j'));
    assert!(!screen(&mut app, 100, 30).contains(line));
}

#[test]
fn readonly_is_marked_on_the_top_line_from_the_first_frame() {
    let test = TestStore::demo(3, 10, 1);
    for (width, height) in [(80, 24), (100, 30)] {
        let mut app = app_with(&test, OpenMode::ReadOnly, None);
        let text = screen(&mut app, width, height);
        let top = text.lines().next().unwrap();
        assert!(top.contains("READ-ONLY"), "{width}x{height}:\n{text}");
        assert!(top.contains("4 Audit Log"), "{width}x{height}:\n{text}");
        let mut app = app_with(&test, OpenMode::Existing, None);
        assert!(!screen(&mut app, width, height).contains("READ-ONLY"));
    }
}

#[test]
fn a_at_the_start_up_draft_prompt_opens_the_draft() {
    let test = TestStore::demo(3, 10, 1);
    let mut app = app_with(&test, OpenMode::Existing, None);
    app.handle_key(&ch('a'));
    app.handle_key(&ctrl('n'));
    type_text("Harbor Optics", |k| app.handle_key(&k));
    app.handle_key(&key(KeyCode::Esc));
    app.handle_key(&ch('k'));
    drop(app);

    let mut app = app_with(&test, OpenMode::Existing, None);
    let asked = screen(&mut app, 100, 30);
    assert!(asked.contains("draft Harbor Optics"), "{asked}");
    assert!(asked.contains("Enter/a resume"), "{asked}");
    app.handle_key(&ch('a'));
    let resumed = screen(&mut app, 100, 30);
    assert!(resumed.contains("Harbor Optics"), "{resumed}");
    assert!(resumed.contains("step 2 of 8"), "{resumed}");
}

#[test]
fn ctrl_c_then_y_in_the_wizard_keeps_every_character_in_the_draft() {
    let test = TestStore::demo(3, 10, 1);
    let mut app = app_with(&test, OpenMode::Existing, None);
    app.handle_key(&ch('a'));
    app.handle_key(&ctrl('n'));
    type_text("Harbor Optics", |k| app.handle_key(&k));
    app.handle_key(&ctrl('c'));
    assert!(screen(&mut app, 100, 30).contains("Quit anyway?"));
    app.handle_key(&ch('y'));
    assert!(app.is_quitting());
    drop(app);
    let store = Store::open(test.path(), OpenMode::Existing).unwrap();
    let draft = store.draft("alice").unwrap().expect("a draft");
    assert!(draft.data.contains("Harbor Optics"), "{}", draft.data);
}

/// The flash line of a screen (the last row).
fn flash_line(text: &str) -> String {
    text.lines().last().unwrap_or_default().to_string()
}

#[test]
fn the_error_summary_follows_the_fields_and_goes_once_they_are_fixed() {
    let test = TestStore::demo(3, 10, 1);
    let mut app = app_with(&test, OpenMode::Existing, None);
    app.handle_key(&ch('a'));
    app.handle_key(&ctrl('n'));
    app.handle_key(&ctrl('n'));
    let flash = flash_line(&screen(&mut app, 100, 30));
    assert_eq!(flash, "✖ Company name: required (and 6 more)");

    type_text("Harbor Optics", |k| app.handle_key(&k));
    let flash = flash_line(&screen(&mut app, 100, 30));
    assert!(flash.ends_with("(and 5 more)"), "{flash}");
    for text in [
        "Ana",
        "Lima",
        "ana@harbor-optics.example",
        "+1 617 555 0100",
        "1 Main Street",
        "",
        "Boston",
        "MA",
        "02110",
    ] {
        app.handle_key(&key(KeyCode::Tab));
        type_text(text, |k| app.handle_key(&k));
    }
    app.handle_key(&key(KeyCode::Tab));
    type_text("United States", |k| app.handle_key(&k));
    app.handle_key(&key(KeyCode::Enter));
    let text = screen(&mut app, 100, 30);
    assert!(
        !text.contains('✖'),
        "every field fixed, the summary gone:\n{text}"
    );
    assert!(text.contains("step 2 of 8"), "{text}");
}

/// A theme whose hint keys have a colour nothing else uses, so they can be found on screen.
fn marked_theme() -> &'static admin_portal::theme::Theme {
    Box::leak(Box::new(admin_portal::theme::Theme {
        hint_key: ratatui::style::Style::new().fg(ratatui::style::Color::Indexed(201)),
        ..COLOR
    }))
}

/// Every (key, label) drawn in the hint style in `buf`: a run of key cells, spaces, then the
/// label up to two spaces or the next key.
fn drawn_hints(buf: &ratatui::buffer::Buffer) -> Vec<(String, String)> {
    let is_key = |x: u16, y: u16| buf[(x, y)].fg == ratatui::style::Color::Indexed(201);
    let mut hints = Vec::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            if !is_key(x, y) {
                x += 1;
                continue;
            }
            let mut key = String::new();
            while x < buf.area.width && is_key(x, y) {
                key.push_str(buf[(x, y)].symbol());
                x += 1;
            }
            let mut label = String::new();
            while x < buf.area.width && buf[(x, y)].symbol() == " " {
                x += 1;
            }
            while x < buf.area.width && !is_key(x, y) {
                let s = buf[(x, y)].symbol();
                if s == " " && label.ends_with(' ') {
                    break;
                }
                label.push_str(s);
                x += 1;
            }
            hints.push((key.trim().to_string(), label.trim().to_string()));
        }
    }
    hints
}

fn keys_of(key: &str) -> Vec<String> {
    if key == "/" {
        return vec![key.into()];
    }
    key.split('/')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_key_of_every_hint_line_is_in_the_help_overlay() {
    let theme = marked_theme();
    let keymap = Keymap::default();
    let mut overlay = Terminal::new(TestBackend::new(200, 60)).unwrap();
    overlay
        .draw(|f| admin_portal::ui::help::render_help(f, f.area(), &keymap, theme))
        .unwrap();
    let help: Vec<(String, String)> = drawn_hints(overlay.backend().buffer())
        .into_iter()
        .flat_map(|(k, l)| keys_of(&k).into_iter().map(move |k| (k, l.clone())))
        .collect();

    let test = TestStore::demo(5, 40, 1);
    let store = Store::open(test.path(), OpenMode::Existing).unwrap();
    let mut app = App::new(store, Keymap::default(), theme, operator(), None).unwrap();
    let mut seen = 0;
    let mut check = |app: &mut App, screen_name: &str| {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal.draw(|f| app.render(f)).unwrap();
        let hints = drawn_hints(terminal.backend().buffer());
        assert!(!hints.is_empty(), "{screen_name}: no hint line found");
        for (keys, label) in hints {
            for key in keys_of(&keys) {
                // The overlay may spell a label out further ("pick" -> "pick in place").
                assert!(
                    help.iter().any(|(k, l)| *k == key && l.starts_with(&label)),
                    "{screen_name}: the hint {key:?} {label:?} is not in the ? overlay"
                );
                seen += 1;
            }
        }
    };
    check(&mut app, "Customers");
    for (tab, name) in [('2', "Cameras"), ('3', "Plans"), ('4', "Audit Log")] {
        app.handle_key(&ch(tab));
        check(&mut app, name);
    }
    app.handle_key(&ch('1'));
    app.handle_key(&key(KeyCode::Enter));
    check(&mut app, "Account Profile");
    for pane in ["Cameras pane", "Roles pane", "Users pane", "Logs pane"] {
        app.handle_key(&ch('l'));
        check(&mut app, pane);
    }
    app.handle_key(&key(KeyCode::Esc));
    app.handle_key(&ch('a'));
    check(&mut app, "wizard step 1");
    assert!(seen > 30, "only {seen} hints checked");
}
