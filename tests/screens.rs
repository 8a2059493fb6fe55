//! Whole frames as the operator sees them: `App::render` into a ratatui `TestBackend`, compared
//! with insta snapshots, over temporary stores (empty, or filled by `demo`). Keys go through
//! `App::handle_event` exactly as the loop hands them over. Also "never panics" at any size
//! after random keys.

mod support;

use std::time::Instant;

use admin_portal::app::App;
use admin_portal::domain::Operator;
use admin_portal::keymap::Keymap;
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::{COLOR, MONO, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use support::db::RawConn;
use tempfile::TempDir;

const OPERATOR: &str = "alice";
/// Every demo row gets this creation time, so nothing on screen depends on the day of the run.
const FIXED_TIME: &str = "2024-05-01T09:30:00Z";

/// A store in a temporary folder, and the app over it.
struct Fixture {
    dir: TempDir,
    app: App,
}

impl Fixture {
    fn empty(theme: &'static Theme) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), OpenMode::Create).unwrap();
        Fixture {
            app: app(store, theme),
            dir,
        }
    }

    fn demo(theme: &'static Theme) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db"), OpenMode::Create).unwrap();
        store
            .fill_demo(
                &DemoSpec {
                    customers: 40,
                    cameras: 200,
                    seed: 7,
                },
                &mut |_| {},
            )
            .unwrap();
        store
            .raw_conn()
            .execute_batch(&format!(
                "UPDATE customers SET created_at = '{FIXED_TIME}', updated_at = '{FIXED_TIME}';"
            ))
            .unwrap();
        Fixture {
            app: app(store, theme),
            dir,
        }
    }

    /// A fresh app over the same store file, as after a restart.
    fn restart(&mut self, theme: &'static Theme) {
        let store = Store::open(&self.dir.path().join("s.db"), OpenMode::Existing).unwrap();
        self.app = app(store, theme);
    }

    fn press(&mut self, code: KeyCode) {
        self.app
            .handle_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn ctrl(&mut self, c: char) {
        self.app.handle_event(Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    fn draw(&mut self, width: u16, height: u16) -> Buffer {
        draw(&mut self.app, width, height)
    }

    fn screen(&mut self, width: u16, height: u16) -> String {
        text(&self.draw(width, height))
    }
}

fn app(store: Store, theme: &'static Theme) -> App {
    let operator = Operator {
        login: OPERATOR.into(),
        client: None,
    };
    App::new(store, Keymap::default(), theme, operator, None).unwrap()
}

fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (area.top()..area.bottom())
        .map(|y| {
            let row: String = (area.left()..area.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            row.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `s` holds a date like `2024-05-01`.
fn has_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(10).any(|w| {
        w.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
    })
}

// --- the Customers tab ------------------------------------------------------------------------

#[test]
fn customers_empty_says_press_a() {
    let mut f = Fixture::empty(&COLOR);
    let screen = f.screen(100, 30);
    assert!(screen.contains("Press a to add the first one"), "{screen}");
    assert!(screen.contains("0 of 0"), "{screen}");
    insta::assert_snapshot!("customers_empty_100x30", screen);
    insta::assert_snapshot!("customers_empty_80x24", f.screen(80, 24));
}

#[test]
fn customers_full() {
    let mut f = Fixture::demo(&COLOR);
    let screen = f.screen(100, 30);
    assert!(screen.contains("1 of 40"), "{screen}");
    assert!(screen.contains("+ Add (a)"), "{screen}");
    assert!(
        !screen.contains("Created") && !has_date(&screen),
        "no creation dates at 100 columns:\n{screen}"
    );
    insta::assert_snapshot!("customers_full_100x30", screen);
    let wide = f.screen(180, 30);
    assert!(
        wide.contains("Created") && has_date(&wide),
        "dates come back on a wide screen:\n{wide}"
    );
}

#[test]
fn customers_filter_being_typed() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Char('/'));
    f.type_text("an");
    let screen = f.screen(100, 30);
    assert!(screen.contains("filter: /an"), "{screen}");
    assert!(screen.contains("(of 40 in all)"), "{screen}");
    // Single letters are text while the filter line has focus.
    f.type_text("q");
    let typed = f.screen(100, 30);
    assert!(!f.app.is_quitting());
    assert!(typed.contains("filter: /anq"), "{typed}");
    f.press(KeyCode::Backspace);
    insta::assert_snapshot!("customers_filter_typed_100x30", f.screen(100, 30));
    // Esc clears it: all 40 again, the selected customer kept.
    f.press(KeyCode::Esc);
    let cleared = f.screen(100, 30);
    assert!(cleared.contains(" of 40   sort"), "{cleared}");
    assert!(!cleared.contains("in all"), "{cleared}");
    assert!(!cleared.contains("filter:"), "{cleared}");
}

#[test]
fn customers_sorted_by_type() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Char('s'));
    let screen = f.screen(100, 30);
    assert!(screen.contains("sort: type"), "{screen}");
    assert!(screen.contains("sorted by type"), "{screen}");
    insta::assert_snapshot!("customers_sorted_by_type_100x30", screen);
}

#[test]
fn one_lands_on_the_customer_list_and_a_filter_typed_next_is_a_filter() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Enter);
    assert!(f.screen(100, 30).contains("Account Profile"));
    f.press(KeyCode::Char('2'));
    f.press(KeyCode::Char('1'));
    let screen = f.screen(100, 30);
    assert!(!screen.contains("Account Profile"), "{screen}");
    assert!(screen.contains(" of 40"), "{screen}");
    f.press(KeyCode::Enter);
    f.press(KeyCode::Char('1'));
    f.press(KeyCode::Char('/'));
    f.type_text("an");
    let screen = f.screen(100, 30);
    assert!(screen.contains("filter: /an"), "{screen}");
}

#[test]
fn text_cut_in_the_customer_table_ends_with_an_ellipsis() {
    let mut f = Fixture::demo(&COLOR);
    f.app
        .store()
        .raw_conn()
        .execute_batch(
            "UPDATE customers SET name = 'Aaaa Extraordinarily Long Company Name Holdings International',
             contact_first = 'Maximiliana-Theodora', contact_last = 'Vandenberghe-Oosterhuis'
             WHERE id = (SELECT min(id) FROM customers)",
        )
        .unwrap();
    f.restart(&COLOR);
    for (w, h) in [(80, 24), (100, 30), (200, 50)] {
        let screen = f.screen(w, h);
        let row = screen
            .lines()
            .find(|l| l.contains("Aaaa Extra"))
            .unwrap_or_else(|| panic!("{screen}"));
        if w < 200 {
            assert!(row.contains("…"), "{w}x{h}: {row}");
        }
        assert!(!row.contains("Holdings Internationa "), "{w}x{h}: {row}");
    }
    insta::assert_snapshot!("customers_long_name_80x24", f.screen(80, 24));
}

/// The numbers of the `Cams` column, top to bottom.
fn cams_column(screen: &str) -> Vec<u32> {
    let lines: Vec<&str> = screen.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.contains("Cams"))
        .expect("header");
    let at = lines[header].find("Cams").expect("Cams");
    lines[header + 1..]
        .iter()
        .filter_map(|l| l.get(at..at + 4)?.trim().parse().ok())
        .collect()
}

#[test]
fn s_steps_to_the_camera_count_and_capital_s_reverses() {
    let mut f = Fixture::demo(&COLOR);
    for _ in 0..4 {
        f.press(KeyCode::Char('s'));
    }
    let screen = f.screen(100, 30);
    assert!(screen.contains("sort: cameras"), "{screen}");
    let up = cams_column(&screen);
    assert!(up.len() > 10, "{screen}");
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}\n{screen}");
    f.press(KeyCode::Char('S'));
    let screen = f.screen(100, 30);
    assert!(screen.contains("sort: cameras, reversed"), "{screen}");
    let down = cams_column(&screen);
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}\n{screen}");
    assert!(down[0] > up[0], "{screen}");
    insta::assert_snapshot!("customers_sorted_by_cameras_reversed_100x30", screen);
    // The users column, on a screen wide enough for it.
    f.press(KeyCode::Char('s'));
    assert!(f.screen(120, 30).contains("sort: users"));
}

// --- the customer view and Delete -------------------------------------------------------------

#[test]
fn account_profile_of_a_customer() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Enter);
    let screen = f.screen(100, 30);
    assert!(screen.contains("Account Profile"), "{screen}");
    assert!(screen.contains("Customer Status"), "{screen}");
    insta::assert_snapshot!("account_profile_100x30", screen);
}

#[test]
fn delete_modal_before_and_after_typing() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Enter);
    f.press(KeyCode::Char('D'));
    let before = f.screen(100, 30);
    assert!(before.contains("Delete customer"), "{before}");
    insta::assert_snapshot!("delete_modal_empty_100x30", before);
    f.type_text("Delete");
    let after = f.screen(100, 30);
    assert!(after.contains("Delete customer"), "{after}");
    insta::assert_snapshot!("delete_modal_typed_100x30", after);
}

// --- help and the too-small screen --------------------------------------------------------------

#[test]
fn help_overlay_top_and_scrolled() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Char('?'));
    let top = f.screen(80, 24);
    insta::assert_snapshot!("help_80x24_top", top);
    f.press(KeyCode::Char('j'));
    f.press(KeyCode::Char('j'));
    let scrolled = f.screen(80, 24);
    assert_ne!(top, scrolled, "j scrolls the help");
    insta::assert_snapshot!("help_80x24_scrolled", scrolled);
    f.press(KeyCode::Esc);
    assert!(f.screen(80, 24).contains("1 of 40"));
}

#[test]
fn too_small_screens_say_how_big() {
    let mut f = Fixture::demo(&COLOR);
    let narrow = f.screen(79, 24);
    assert!(narrow.contains("at least 80x24"), "{narrow}");
    assert!(narrow.contains("79x24"), "{narrow}");
    insta::assert_snapshot!("too_small_79x24", narrow);
    let tiny = f.screen(30, 10);
    assert!(tiny.contains("30x10") && tiny.contains("80x24"), "{tiny}");
    insta::assert_snapshot!("too_small_30x10", tiny);
}

// --- monochrome -------------------------------------------------------------------------------

#[test]
fn monochrome_customers_with_a_selected_row() {
    let mut f = Fixture::demo(&MONO);
    f.press(KeyCode::Down);
    f.press(KeyCode::Down);
    let buffer = f.draw(100, 30);
    let screen = text(&buffer);
    insta::assert_snapshot!("mono_customers_100x30", screen);
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let style = buffer[(x, y)].style();
            assert_eq!(
                (style.fg, style.bg),
                (Some(Color::Reset), Some(Color::Reset)),
                "colour at {x},{y} in the monochrome theme:\n{screen}"
            );
        }
    }
    // Rows: top menu, title, header, then customers; the third customer is selected.
    let selected_y = 3 + 2;
    let row: String = (0..100).map(|x| buffer[(x, selected_y)].symbol()).collect();
    assert!(
        row.starts_with(MONO.selection_symbol),
        "the selected row starts with the selection symbol: {row:?}\n{screen}"
    );
    assert!(
        buffer[(3, selected_y)]
            .style()
            .add_modifier
            .contains(Modifier::REVERSED),
        "the selected row is reversed"
    );
    for y in [selected_y - 1, selected_y + 1] {
        assert!(
            !buffer[(3, y)]
                .style()
                .add_modifier
                .contains(Modifier::REVERSED),
            "only the selected row is reversed (row {y})"
        );
        assert_eq!(buffer[(0, y)].symbol(), " ", "no mark on row {y}");
    }
}

// --- the wizard from the app ------------------------------------------------------------------

#[test]
fn a_opens_the_wizard_on_its_first_step() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Char('a'));
    let screen = f.screen(100, 30);
    assert!(screen.contains("1 Type"), "{screen}");
    assert!(screen.contains("8 Review"), "{screen}");
    insta::assert_snapshot!("wizard_first_step_100x30", screen);
    insta::assert_snapshot!("wizard_first_step_80x24", f.screen(80, 24));
}

#[test]
fn a_saved_draft_is_offered_on_start() {
    let mut f = Fixture::demo(&COLOR);
    f.press(KeyCode::Char('a'));
    f.ctrl('n');
    f.type_text("Harbor Optics");
    f.press(KeyCode::Esc);
    f.press(KeyCode::Char('k'));
    let back = f.screen(100, 30);
    assert!(back.contains("1 of 40"), "back on the list: {back}");

    f.restart(&COLOR);
    let screen = f.screen(100, 30);
    assert!(
        screen.contains("draft Harbor Optics, step 2 Contact, saved "),
        "{screen}"
    );
    // The save time depends on the clock: keep it out of the snapshot.
    let stable: String = screen
        .lines()
        .map(|line| match line.find(", saved ") {
            Some(at) => {
                let rest = &line[at + ", saved ".len()..];
                let end = rest.find('.').unwrap_or(rest.len());
                format!("{}, saved <time>{}", &line[..at], &rest[end..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("resume_draft_question_100x30", stable);
    // Enter resumes at step 2 with the name typed.
    f.press(KeyCode::Enter);
    let resumed = f.screen(100, 30);
    assert!(resumed.contains("Harbor Optics"), "{resumed}");
    assert!(resumed.contains("step 2 of 8"), "{resumed}");
}

// --- never panics -----------------------------------------------------------------------------

/// xorshift64*: small, seeded, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_key(rng: &mut Rng) -> KeyEvent {
    const CODES: [KeyCode; 16] = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Char(' '),
        KeyCode::Char('/'),
    ];
    const CHARS: &[u8] = b"aaDdejkhlgGsnq?*12341kyY xX@.-";
    match rng.below(10) {
        0..=3 => KeyEvent::new(
            CODES[rng.below(CODES.len() as u64) as usize],
            KeyModifiers::NONE,
        ),
        4 => KeyEvent::new(
            KeyCode::Char(['n', 'p', 'u', 'w', 's', 'a', 'e'][rng.below(7) as usize]),
            KeyModifiers::CONTROL,
        ),
        _ => KeyEvent::new(
            KeyCode::Char(CHARS[rng.below(CHARS.len() as u64) as usize] as char),
            KeyModifiers::NONE,
        ),
    }
}

#[test]
fn never_panics_at_any_size_after_random_keys() {
    let mut f = Fixture::demo(&COLOR);
    for (w, h) in [
        (0, 0),
        (1, 1),
        (3, 80),
        (80, 3),
        (200, 5),
        (80, 24),
        (100, 30),
    ] {
        f.draw(w, h);
    }
    for seed in [1u64, 2, 3, 0x5eed] {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for _ in 0..400 {
            let key = random_key(&mut rng);
            f.app.handle_event(Event::Key(key));
            if rng.below(3) == 0 {
                f.app
                    .handle_event(Event::Paste("Pasted\ntext é 中文".into()));
            }
            if rng.below(5) == 0 {
                f.app.tick(Instant::now());
            }
            let (w, h) = match rng.below(4) {
                0 => (rng.below(12) as u16, rng.below(12) as u16),
                _ => (rng.below(220) as u16, rng.below(70) as u16),
            };
            f.draw(w, h);
            if rng.below(8) == 0 {
                for (w, h) in [(0, 0), (1, 1), (3, 80), (80, 3), (200, 5), (80, 24)] {
                    f.draw(w, h);
                }
            }
        }
        // Another start over whatever the keys left behind (a draft, a deleted customer...).
        f.restart(&COLOR);
        f.draw(100, 30);
    }
}
