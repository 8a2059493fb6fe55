//! Random keys (issue 5): at least 100,000 random key and paste events at random terminal sizes
//! (0x0, 1x1, 3x80, 200x5 and resizes in between) into the whole application over a demo store
//! with hostile names: no panic, every frame stays inside its area, and the store stays whole.
//!
//! Each frame is drawn into a viewport placed inside a larger test backend, so a widget that
//! draws outside the area it was given shows up in the margin. `ADMIN_PORTAL_LONG=1`: 1,000,000
//! events; `ADMIN_PORTAL_SEED` repeats a run.

mod reliability;
mod support;

use std::time::{Duration, Instant};

use admin_portal::app::App;
use admin_portal::domain::Operator;
use admin_portal::keymap::Keymap;
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::{COLOR, MONO};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use reliability::{Hostile, hostile_corpus, whole_store_problems};
use support::db::RawConn;

const SPECIAL_SIZES: [(u16, u16); 8] = [
    (0, 0),
    (1, 1),
    (80, 3),
    (200, 5),
    (80, 24),
    (79, 23),
    (100, 30),
    (220, 60),
];
/// Draw after this many events (and after every resize).
const DRAW_EVERY: usize = 10;

const LETTERS: &str = "aqjkhlgGsdeDnNyYrR/ ?xXcCu0123456789+-.,@";

fn random_key(rng: &mut StdRng, corpus: &[Hostile]) -> KeyEvent {
    let code = match rng.random_range(0..100) {
        0..=39 => KeyCode::Char(*LETTERS.as_bytes().choose(rng).unwrap() as char),
        40..=47 => KeyCode::Enter,
        48..=53 => KeyCode::Esc,
        54..=61 => KeyCode::Tab,
        62..=64 => KeyCode::BackTab,
        65..=72 => *[KeyCode::Up, KeyCode::Down, KeyCode::Left, KeyCode::Right]
            .choose(rng)
            .unwrap(),
        73..=77 => *[
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Insert,
        ]
        .choose(rng)
        .unwrap(),
        78..=80 => KeyCode::F(rng.random_range(1..=11)),
        81..=90 => {
            // A character of the hostile corpus: wide, combining, right-to-left, invisible.
            let entry = corpus.choose(rng).unwrap();
            let chars: Vec<char> = entry.text.chars().collect();
            KeyCode::Char(*chars.choose(rng).unwrap_or(&'x'))
        }
        _ => KeyCode::Char(char::from_u32(rng.random_range(0x20..0x3000)).unwrap_or('?')),
    };
    let modifiers = match rng.random_range(0..20) {
        0..=1 => KeyModifiers::CONTROL,
        2 => KeyModifiers::ALT,
        3 => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    let kind = if rng.random_range(0..50) == 0 {
        KeyEventKind::Repeat
    } else {
        KeyEventKind::Press
    };
    KeyEvent::new_with_kind(code, modifiers, kind)
}

fn random_paste(rng: &mut StdRng, corpus: &[Hostile]) -> String {
    let entry = corpus.choose(rng).unwrap();
    match rng.random_range(0..4) {
        0 => entry.text.clone(),
        1 => entry.text.chars().take(rng.random_range(0..40)).collect(),
        2 => format!("Customer {}", rng.random_range(0..100)),
        _ => String::from_utf8_lossy(
            &(0..rng.random_range(0..30))
                .map(|_| rng.random())
                .collect::<Vec<u8>>(),
        )
        .into_owned(),
    }
}

fn random_size(rng: &mut StdRng) -> (u16, u16) {
    if rng.random_bool(0.4) {
        *SPECIAL_SIZES.choose(rng).unwrap()
    } else {
        (rng.random_range(0..=230), rng.random_range(0..=70))
    }
}

/// Draws the app into a `w`×`h` viewport at (1, 1) of a backend one cell larger on every side;
/// panics (with the seed) when anything lands outside the viewport.
fn draw(app: &mut App, w: u16, h: u16, seed: u64, event: usize) {
    let backend = TestBackend::new(w + 2, h + 2);
    let area = Rect::new(1, 1, w, h);
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(area),
        },
    )
    .unwrap();
    terminal
        .draw(|frame| {
            assert_eq!(frame.area(), area);
            app.render(frame);
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    for y in 0..h + 2 {
        for x in 0..w + 2 {
            if area.contains((x, y).into()) {
                continue;
            }
            let cell = &buffer[(x, y)];
            assert!(
                cell.symbol() == " " && cell.bg == ratatui::style::Color::Reset,
                "seed {seed}, event {event}: drawn outside the {w}x{h} area at ({x}, {y}): {:?}",
                cell.symbol()
            );
        }
    }
}

/// A store of 50 demo customers, some renamed with hostile and wide text by "another tool".
fn store(dir: &std::path::Path, corpus: &[Hostile]) -> Store {
    let mut store = Store::open(&dir.join("fuzz.db"), OpenMode::Create).unwrap();
    store
        .fill_demo(
            &DemoSpec {
                customers: 50,
                cameras: 400,
                seed: 7,
            },
            &mut |_| {},
        )
        .unwrap();
    for (i, entry) in corpus.iter().take(40).enumerate() {
        let text: String = entry.text.chars().take(300).collect();
        store
            .raw_conn()
            .execute(
                "UPDATE customers SET name = ?1 || ' #' || id, city = ?1, notes = ?1 WHERE id = ?2",
                rusqlite::params![text, i as i64 + 1],
            )
            .unwrap();
        store
            .raw_conn()
            .execute(
                "UPDATE cameras SET name = ?1 WHERE id = ?2",
                rusqlite::params![text, i as i64 + 1],
            )
            .unwrap();
    }
    store
}

#[test]
fn random_keys_and_pastes_at_random_sizes_never_break_the_app() {
    let events: usize = std::env::var("ADMIN_PORTAL_FUZZ_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if reliability::long_run() {
            1_000_000
        } else {
            100_000
        });
    let seed: u64 = std::env::var("ADMIN_PORTAL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("random keys: seed {seed} (ADMIN_PORTAL_SEED={seed} repeats it)");
    let mut rng = StdRng::seed_from_u64(seed);
    let corpus = hostile_corpus();
    let dir = tempfile::tempdir().unwrap();
    let operator = Operator {
        login: "fuzzer".into(),
        client: None,
    };
    let new_app = |store: Store, rng: &mut StdRng| {
        let theme = if rng.random_bool(0.5) { &COLOR } else { &MONO };
        App::new(store, Keymap::default(), theme, operator.clone(), None).unwrap()
    };
    let mut app = new_app(store(dir.path(), &corpus), &mut rng);

    let started = Instant::now();
    let (mut w, mut h) = (100u16, 30u16);
    let (mut keys, mut pastes, mut resizes, mut draws, mut restarts) = (0, 0, 0, 0, 0);
    let mut clock = Instant::now();
    for event in 0..events {
        match rng.random_range(0..100) {
            0..=91 => {
                app.handle_event(Event::Key(random_key(&mut rng, &corpus)));
                keys += 1;
            }
            92..=97 => {
                app.handle_event(Event::Paste(random_paste(&mut rng, &corpus)));
                pastes += 1;
            }
            _ => {
                (w, h) = random_size(&mut rng);
                app.handle_event(Event::Resize(w, h));
                resizes += 1;
                draw(&mut app, w, h, seed, event);
                draws += 1;
            }
        }
        if event % DRAW_EVERY == 0 {
            draw(&mut app, w, h, seed, event);
            draws += 1;
            // Time moves on: flashes expire, the store is polled, the wizard's hashing ends.
            clock += Duration::from_millis(rng.random_range(0..3000));
            app.tick(clock.max(Instant::now()));
        }
        if app.is_quitting() {
            // Quit took effect: start again on the same store, as the operator would.
            let store = Store::open(app.store().path(), OpenMode::Existing).unwrap();
            app = new_app(store, &mut rng);
            restarts += 1;
        }
    }
    let problems = whole_store_problems(app.store());
    assert!(
        problems.is_empty(),
        "seed {seed}: the store is not whole: {problems:#?}"
    );
    eprintln!(
        "random keys: {events} events ({keys} keys, {pastes} pastes, {resizes} resizes), \
         {draws} frames, {restarts} restarts after quit, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
