//! Hostile text (issue 5), from `tests/hostile_corpus.txt`.
//!
//! (a) Typed or pasted into a field: refused with a message naming the character and its
//!     position, or accepted where it is harmless (emoji, CJK, right-to-left, quotes, SQL and
//!     formulas, which are only text); long text stops at the field's length.
//! (b) Written into the store by another tool (raw SQL, no validation) into names, contacts,
//!     cities, notes, camera names and audit summaries: the real binary in a pseudo-terminal draws
//!     it inert. The bytes it writes hold no escape sequence, C1 control or bell from the data,
//!     and the screen keeps its frame.
//! (c) Wide and hostile text at every width: no panic, no line longer than the screen.

mod reliability;
mod support;

use std::path::Path;

use admin_portal::app::App;
use admin_portal::domain::validate::{classify, field, first_refused};
use admin_portal::domain::{CustomerProfile, Operator};
use admin_portal::keymap::Keymap;
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::MONO;
use admin_portal::ui::profile_form::{Lookups, ProfileForm, Section};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use reliability::{Hostile, hostile_corpus};
use support::db::RawConn;
use support::pty::{Key, Pty};

fn store(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("h.db"), OpenMode::Create).unwrap();
    store
        .fill_demo(
            &DemoSpec {
                customers: 8,
                cameras: 40,
                seed: 3,
            },
            &mut |_| {},
        )
        .unwrap();
    store
}

/// The first character a field may not hold, with its 1-based position.
fn first_unsafe(value: &str) -> Option<(usize, char)> {
    first_refused(value, false).map(|(position, c, _)| (position, c))
}

/// Puts `value` into the company field of a fresh form, by paste or by typing each character,
/// validates step 2 and checks the verdict against the corpus. Returns whether it was refused.
fn check_company(store: &Store, lookups: &Lookups, entry: &Hostile, typed: bool) -> bool {
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&CustomerProfile::default(), lookups);
    form.set_focus_first(Section::Contact);
    assert_eq!(
        form.focused_key(Section::Contact),
        Some(field::CONTACT_COMPANY)
    );
    if typed {
        for c in entry.text.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            let action = keymap.lookup(admin_portal::action::KeyContext::Form, &key);
            form.handle_action(Section::Contact, &key, action);
        }
    } else {
        form.handle_paste(Section::Contact, &entry.text);
    }
    let value = form.profile().contact.company;
    let how = if typed { "typed" } else { "pasted" };
    let at = format!("corpus line {} {how} ({:?})", entry.line, entry.class);
    assert!(
        value.chars().count() <= 120,
        "{at}: the field holds {} characters",
        value.chars().count()
    );
    assert!(
        !value.contains(['\n', '\r', '\t']),
        "{at}: a line break in a one-line field: {value:?}"
    );
    form.validate(Section::Contact, store, None);
    let error = form.error(field::CONTACT_COMPANY).map(str::to_owned);
    match first_unsafe(&value) {
        Some((position, c)) => {
            let error = error.unwrap_or_else(|| panic!("{at}: accepted {value:?}"));
            let named = format!("U+{:04X} at position {position}", c as u32);
            assert!(
                error.contains(&named),
                "{at}: {error:?} does not name {named}"
            );
            true
        }
        None => {
            assert_eq!(error, None, "{at}: refused harmless {value:?}");
            false
        }
    }
}

#[test]
fn fields_refuse_unsafe_characters_by_name_and_position_and_accept_the_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let lookups = Lookups::load(&store).unwrap();
    let corpus = hostile_corpus();
    let (mut refused, mut accepted) = (0, 0);
    for entry in &corpus {
        let pasted = check_company(&store, &lookups, entry, false);
        let typed = check_company(&store, &lookups, entry, true);
        match entry.class.as_str() {
            "unsafe" => {
                assert!(pasted, "line {}: a paste was accepted", entry.line);
                // Typing cannot produce C0/C1 controls (the terminal sends keys for them); any
                // other unsafe character must be refused typed too.
                if entry
                    .text
                    .chars()
                    .any(|c| classify(c).is_some() && !c.is_control())
                {
                    assert!(typed, "line {}: typed text was accepted", entry.line);
                }
            }
            "harmless" => {
                assert!(!pasted && !typed, "line {}: refused", entry.line);
            }
            // Typed, U+2028 and U+2029 stay and are refused; pasted, they become spaces.
            "linebreak" => assert!(!pasted, "line {}: refused", entry.line),
            "long" => {}
            other => panic!("line {}: unknown class {other}", entry.line),
        }
        for verdict in [pasted, typed] {
            if verdict {
                refused += 1;
            } else {
                accepted += 1;
            }
        }
    }
    eprintln!(
        "hostile text: {} corpus entries, {refused} refusals and {accepted} acceptances (pasted and typed)",
        corpus.len()
    );
}

#[test]
fn a_refused_character_is_placed_in_the_value_as_typed_not_as_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let lookups = Lookups::load(&store).unwrap();
    let mut form = ProfileForm::new(&CustomerProfile::default(), &lookups);
    form.set_focus_first(Section::Contact);
    form.handle_paste(Section::Contact, "   Acme\u{202e}x ");
    form.validate(Section::Contact, &store, None);
    let error = form.error(field::CONTACT_COMPANY).unwrap_or_default();
    assert!(
        error.contains("U+202E at position 8 is not allowed"),
        "{error:?}"
    );
}

#[test]
fn the_app_refuses_a_pasted_escape_on_step_2_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    let op = Operator {
        login: "alice".into(),
        client: None,
    };
    let mut app = App::new(store, Keymap::default(), &MONO, op, None).unwrap();
    let key = |c: KeyCode, m: KeyModifiers| Event::Key(KeyEvent::new(c, m));
    app.handle_event(key(KeyCode::Char('a'), KeyModifiers::NONE));
    app.handle_event(key(KeyCode::Char('n'), KeyModifiers::CONTROL));
    app.handle_event(Event::Paste("Acme\x1b]0;PWNED\x07".into()));
    app.handle_event(key(KeyCode::Char('n'), KeyModifiers::CONTROL));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        screen.contains("Contact information"),
        "left step 2:\n{screen}"
    );
    assert!(screen.contains("U+001B at position 5"), "{screen}");
    assert!(!screen.contains('\x1b') && !screen.contains('\x07'));
}

#[test]
fn wide_and_hostile_names_never_break_a_layout_at_any_width() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(dir.path());
    for (i, entry) in hostile_corpus().iter().enumerate().take(8) {
        store
            .raw_conn()
            .execute(
                "UPDATE customers SET name = ?1 || ' ' || id, contact_first = ?1, city = ?1
                 WHERE id = ?2",
                rusqlite::params![
                    entry.text.chars().take(200).collect::<String>(),
                    i as i64 + 1
                ],
            )
            .unwrap();
    }
    for entry in hostile_corpus()
        .iter()
        .filter(|e| e.class == "harmless")
        .skip(3)
        .take(5)
    {
        store
            .raw_conn()
            .execute(
                "UPDATE customers SET name = ?1 || ' w' || id, contact_last = ?1 WHERE id = 8",
                [&entry.text],
            )
            .unwrap();
    }
    let op = Operator {
        login: "alice".into(),
        client: None,
    };
    let mut app = App::new(store, Keymap::default(), &MONO, op, None).unwrap();
    let keys = [
        KeyCode::Down,
        KeyCode::Enter,
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Esc,
    ];
    for key in keys {
        for width in (1..=160).step_by(7).chain([80, 81, 100, 119, 120]) {
            for height in [1, 5, 24, 30] {
                let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
                terminal.draw(|f| app.render(f)).unwrap();
                let buffer = terminal.backend().buffer();
                // A wide character never starts in the last column (it would wrap).
                for y in 0..height {
                    let last = buffer[(width - 1, y)].symbol();
                    assert!(
                        unicode_width::UnicodeWidthStr::width(last) <= 1,
                        "a wide {last:?} in the last column of row {y} at {width}x{height}"
                    );
                    for x in 0..width {
                        let symbol = buffer[(x, y)].symbol();
                        assert!(
                            !symbol.chars().any(|c| classify(c).is_some()),
                            "{symbol:?} drawn raw at ({x}, {y}), {width}x{height}"
                        );
                    }
                }
            }
        }
        app.handle_event(Event::Key(KeyEvent::new(key, KeyModifiers::NONE)));
    }
}

// ---- (b) text written by another tool, drawn by the real binary ----

/// Sequences a terminal would act on, each with a marker; none may reach the terminal raw.
const INJECTED: &[&str] = &[
    "\x1b]0;PWNED-TITLE\x07",
    "\x1b]2;PWNED-TITLE2\x1b\\",
    "\x1b]52;c;UFdORUQtQ0xJUA==\x07",
    "\x1b[2JPWNED-CLEAR",
    "\x1b[10;10HPWNED-MOVE",
    "\x1bP1$qmPWNED-DCS\x1b\\",
    "\u{9b}2JPWNED-C1CSI",
    "\u{9d}0;PWNED-C1OSC\u{9c}",
    "\x1b[?1049lPWNED-ALT",
    "\u{202e}PWNED-BIDI",
    "PWNED-BS\x08\x08\x08\x08XXXX",
];

fn inject(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    for (i, evil) in INJECTED.iter().enumerate() {
        let id = i as i64 + 1;
        conn.execute(
            "UPDATE customers SET name = 'Evil ' || ?1 || ' ' || ?2, contact_first = ?1,
                contact_last = ?1, city = ?1, notes = ?1, reference = ?1, email = ?1
             WHERE id = ?2",
            rusqlite::params![evil, id],
        )
        .unwrap();
        conn.execute(
            "UPDATE cameras SET name = ?1, location = ?1, model = ?1 WHERE customer_id = ?2",
            rusqlite::params![evil, id],
        )
        .unwrap();
        conn.execute(
            "UPDATE audit SET summary = ?1, customer_name = ?1, operator = ?1
             WHERE id % ?2 = ?3",
            rusqlite::params![evil, INJECTED.len() as i64, i as i64],
        )
        .unwrap();
        conn.execute(
            "UPDATE users SET first_name = ?1, last_name = ?1 WHERE customer_id = ?2",
            rusqlite::params![evil, id],
        )
        .unwrap();
        conn.execute(
            "UPDATE roles SET name = ?1 || id, description = ?1 WHERE customer_id = ?2
                AND system IS NULL",
            rusqlite::params![evil, id],
        )
        .unwrap();
    }
}

/// No sequence from the data reached the terminal: no OSC, DCS, C1 control or bell at all (the
/// portal itself never writes one), and no marker right behind an ESC.
/// A tab's title line is drawn: its name, two spaces and its counter ("Plans  1 of 7"); the tab
/// bar puts three spaces after each name.
fn titled(screen: &str, title: &str) -> bool {
    let head = format!("{title}  ");
    screen.match_indices(&head).any(|(at, _)| {
        screen[at + head.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

fn assert_inert(pty: &Pty, screen_name: &str) {
    let raw = pty.raw_output();
    let text = String::from_utf8_lossy(&raw);
    for needle in [
        "\x1b]", "\x1bP", "\x07", "\x08", "\u{9b}", "\u{9d}", "\u{9c}", "\u{202e}",
    ] {
        assert!(
            !text.contains(needle),
            "{screen_name}: the program wrote {needle:?}"
        );
    }
    // CSI sequences the portal writes too (cursor moves, clears) are only a problem right
    // before the data's marker.
    for evil in INJECTED {
        if let (Some(esc), Some(marker)) = (evil.find('\x1b'), evil.find("PWNED")) {
            let sequence = &evil[esc..marker + 5];
            assert!(
                !text.contains(sequence),
                "{screen_name}: {sequence:?} reached the terminal"
            );
        }
    }
    if screen_name == "after quit" {
        return;
    }
    assert!(
        pty.alternate_screen(),
        "{screen_name}: left the alternate screen"
    );
    let top = pty.row(0);
    assert!(
        top.contains("admin-portal"),
        "{screen_name}: top row {top:?}"
    );
}

#[test]
fn text_written_by_another_tool_is_drawn_inert_by_every_screen() {
    let dir = tempfile::tempdir().unwrap();
    drop(store(dir.path()));
    let db = dir.path().join("h.db");
    inject(&db);
    let at = |sub: &str| dir.path().join(sub).display().to_string();
    let env = [
        ("HOME", at("home")),
        ("XDG_CONFIG_HOME", at("config")),
        ("XDG_DATA_HOME", at("data")),
        ("XDG_STATE_HOME", at("state")),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut pty = Pty::spawn(&["--db", &db.display().to_string()], &env, 140, 40);
    pty.expect_text("PWNED");
    assert_inert(&pty, "Customers");
    // Drawn visibly, as an escape the operator can read.
    assert!(pty.screen().contains("\\u{1b}"), "{}", pty.screen());

    // The first hostile customer: profile, then each sub-tab.
    pty.send("/");
    pty.send("Evil");
    pty.send_key(Key::Enter);
    pty.send_key(Key::Home);
    pty.send_key(Key::Enter);
    pty.expect_text("Account Profile");
    assert_inert(&pty, "Account Profile");
    // Each pane and tab is checked once its own text is drawn.
    for (tab, shown) in [
        ("Cameras", "linked"),
        ("Roles", "assign users"),
        ("Users", "reset password"),
        ("Logs", "newest first"),
    ] {
        pty.send_key(Key::Right);
        pty.expect_text(shown);
        assert_inert(&pty, tab);
    }
    pty.send_key(Key::Esc);
    for (tab, title) in [
        ("2", "Cameras"),
        ("3", "Plans"),
        ("4", "Audit Log"),
        ("1", "Customers"),
    ] {
        pty.send(tab);
        pty.wait_until(None, &format!("the {title} tab"), |s| titled(s, title))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_inert(&pty, &format!("tab {tab}"));
    }
    pty.send("q");
    assert_eq!(pty.exit_code(None), Ok(0));
    assert_inert(&pty, "after quit");
}
