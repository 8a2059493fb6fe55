//! Drawing each main screen into a `TestBackend` (200x60 and 80x24): the Customers tab (a frame
//! as it is, and a frame after `j`), the customer view, the add-customer wizard, the help page and
//! the other tabs. Screens are reached by keys, as an operator reaches them.
//!
//! `cargo bench --bench render`. The store is a demo of 2,000 customers built once per run: what
//! a frame costs does not depend on how many rows are stored, only on how many are visible (the
//! list reads a window of rows; `benches/store.rs` measures the reads on the big store).

use std::hint::black_box;

use admin_portal::app::App;
use admin_portal::domain::Operator;
use admin_portal::keymap::Keymap;
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn app(path: &std::path::Path) -> App {
    let store = Store::open(path, OpenMode::Existing).expect("open the store");
    let operator = Operator {
        login: "bench".into(),
        client: None,
    };
    App::new(store, Keymap::default(), Theme::pick(false), operator, None).expect("start the app")
}

/// The screens, each as the keys that lead to it from the Customers tab.
const SCREENS: &[(&str, &[KeyCode])] = &[
    ("customers", &[]),
    ("customer view", &[KeyCode::Enter]),
    ("wizard", &[KeyCode::Char('a')]),
    ("help", &[KeyCode::Char('?')]),
    ("cameras tab", &[KeyCode::Char('2')]),
    ("plans tab", &[KeyCode::Char('3')]),
    ("audit tab", &[KeyCode::Char('4')]),
];

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("render.db");
    Store::open(&path, OpenMode::Create)
        .expect("create the store")
        .fill_demo(
            &DemoSpec {
                customers: 2_000,
                cameras: 20_000,
                seed: 1,
            },
            &mut |_| {},
        )
        .expect("fill the store");

    for (cols, rows) in [(200u16, 60u16), (80, 24)] {
        let mut g = c.benchmark_group(format!("render {cols}x{rows}"));
        for (name, keys) in SCREENS {
            let mut app = app(&path);
            for code in *keys {
                app.handle_key(&key(*code));
            }
            let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("terminal");
            // A full frame every time: the screen drawn, then diffed against a cleared buffer.
            g.bench_function(format!("{name}: full frame"), |b| {
                b.iter(|| {
                    terminal.clear().expect("clear");
                    terminal.draw(|f| app.render(f)).expect("draw");
                    black_box(terminal.backend().buffer().area.width)
                })
            });
        }
        // What `j` costs in the list: handling the key and drawing the frame after it (diffed
        // against the previous one, as in the real loop). `k` brings it back, drawn too.
        let mut app = app(&path);
        let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("terminal");
        terminal.draw(|f| app.render(f)).expect("draw");
        g.bench_function("customers: j and k, two frames", |b| {
            b.iter(|| {
                app.handle_key(&key(KeyCode::Char('j')));
                terminal.draw(|f| app.render(f)).expect("draw");
                app.handle_key(&key(KeyCode::Char('k')));
                terminal.draw(|f| app.render(f)).expect("draw");
            })
        });
        g.finish();
    }
}

criterion_group!(render, benches);
criterion_main!(render);
