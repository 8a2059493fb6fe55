//! Key and paste sequences into the whole App at a size taken from the input: never a panic,
//! every frame inside its area. Each input byte pair is one event.
#![no_main]

use std::sync::OnceLock;

use admin_portal::app::App;
use admin_portal::domain::Operator;
use admin_portal::keymap::Keymap;
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::COLOR;
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// A demo store made once; every run works on a fresh copy.
fn template() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
        let spec = DemoSpec {
            customers: 20,
            cameras: 100,
            seed: 1,
        };
        store.fill_demo(&spec, &mut |_| {}).unwrap();
        dir
    });
    Box::leak(dir.path().join("t.db").into_boxed_path())
}

fn key(b: u8, m: u8) -> KeyCode {
    match b {
        0 => KeyCode::Enter,
        1 => KeyCode::Esc,
        2 => KeyCode::Tab,
        3 => KeyCode::BackTab,
        4 => KeyCode::Up,
        5 => KeyCode::Down,
        6 => KeyCode::Left,
        7 => KeyCode::Right,
        8 => KeyCode::Backspace,
        9 => KeyCode::PageDown,
        10 => KeyCode::Home,
        11 => KeyCode::End,
        12..=23 => KeyCode::F(b - 11),
        _ if m & 0x80 != 0 => {
            KeyCode::Char(char::from_u32(0x80 + u32::from(b) * 37).unwrap_or('?'))
        }
        _ => KeyCode::Char(char::from(b)),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    std::fs::copy(template(), &db).unwrap();
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let op = Operator {
        login: "fuzz".into(),
        client: None,
    };
    let mut app = App::new(store, Keymap::default(), &COLOR, op, None).unwrap();
    let (w, h) = (u16::from(data[0]), u16::from(data[1]) / 3);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    for pair in data[2..].chunks(2) {
        let (b, m) = (pair[0], pair.get(1).copied().unwrap_or(0));
        let event = if m & 0x40 != 0 {
            Event::Paste(String::from_utf8_lossy(&pair[..1]).repeat(usize::from(m & 0x3f)))
        } else {
            let mods = KeyModifiers::from_bits_truncate(m & 0x07);
            Event::Key(KeyEvent::new(key(b, m), mods))
        };
        app.handle_event(event);
        terminal.draw(|f| app.render(f)).unwrap();
    }
    assert!(app.store().integrity_problems().unwrap().is_empty());
});
