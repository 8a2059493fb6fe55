//! Filtered counts that stop at a cap: the Customers and Cameras tabs count a filter only up to
//! the cap ("5+ of 60"), and count it exactly once the operator goes to the end (`G`/End) or past
//! the last row counted. The cap here is 5 (`with_count_cap`) instead of 10,000, on a small store.

mod support;

use admin_portal::app::Effect;
use admin_portal::store::inventory::CameraQuery;
use admin_portal::store::{CustomerQuery, Store};
use admin_portal::theme::COLOR;
use admin_portal::ui::cameras::CamerasScreen;
use admin_portal::ui::component::Component;
use admin_portal::ui::customers::CustomersScreen;
use admin_portal::ui::form::paged::grouped;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use support::fixture::*;

const CAP: i64 = 5;
const W: u16 = 120;
const H: u16 = 30;

/// A key as the app hands it to the screen: looked up once in the screen's contexts.
fn send(screen: &mut impl Component, key: &KeyEvent, env: &mut Env) -> Effect {
    let action = env.keymap.lookup_in(&screen.contexts(), key);
    screen.handle_key(key, action, &mut env.ctx())
}

/// The two tabs behind one face.
trait Tab {
    fn key(&mut self, key: &KeyEvent, env: &mut Env) -> Effect;
    fn draw(&mut self, env: &Env) -> String;
    /// How many rows match `filter`, counted exactly by the store, and all rows.
    fn count(store: &Store, filter: &str) -> (i64, i64);
    /// The text of the `index`th row of `filter` (in the default order) that the table shows.
    fn row_text(store: &Store, filter: &str, index: i64) -> String;
}

impl Tab for CustomersScreen {
    fn key(&mut self, key: &KeyEvent, env: &mut Env) -> Effect {
        send(self, key, env)
    }
    fn draw(&mut self, env: &Env) -> String {
        render_text(W, H, |frame| {
            let area = frame.area();
            self.before_draw(area, &env.store);
            self.render(frame, area, &COLOR, &env.keymap)
        })
    }
    fn count(store: &Store, filter: &str) -> (i64, i64) {
        let q = CustomerQuery {
            filter: filter.into(),
            ..CustomerQuery::default()
        };
        (
            store.customer_count(&q).unwrap(),
            store.customer_count(&CustomerQuery::default()).unwrap(),
        )
    }
    fn row_text(store: &Store, filter: &str, index: i64) -> String {
        let q = CustomerQuery {
            filter: filter.into(),
            ..CustomerQuery::default()
        };
        store.customer_page(&q, index, 1).unwrap()[0].name.clone()
    }
}

impl Tab for CamerasScreen {
    fn key(&mut self, key: &KeyEvent, env: &mut Env) -> Effect {
        send(self, key, env)
    }
    fn draw(&mut self, env: &Env) -> String {
        render_text(W, H, |frame| {
            let area = frame.area();
            self.before_draw(area, &env.store);
            self.render(frame, area, &COLOR, &env.keymap)
        })
    }
    fn count(store: &Store, filter: &str) -> (i64, i64) {
        let q = CameraQuery {
            filter: filter.into(),
            ..CameraQuery::default()
        };
        (
            store.camera_count(&q).unwrap(),
            store.camera_count(&CameraQuery::default()).unwrap(),
        )
    }
    fn row_text(store: &Store, filter: &str, index: i64) -> String {
        let q = CameraQuery {
            filter: filter.into(),
            ..CameraQuery::default()
        };
        store.camera_page(&q, index, 1).unwrap()[0].mac.clone()
    }
}

fn press<S: Tab>(screen: &mut S, env: &mut Env, code: KeyCode) {
    let effect = screen.key(&press_key(code), env);
    assert!(
        !matches!(effect, Effect::Flash(_)),
        "{code:?} flashed a message"
    );
}

fn press_key(code: KeyCode) -> KeyEvent {
    support::fixture::press(code)
}

/// Types `/filter` and Enter: the filter applies, the line closes.
fn filter<S: Tab>(screen: &mut S, env: &mut Env, text: &str) {
    press(screen, env, KeyCode::Char('/'));
    for c in text.chars() {
        press(screen, env, KeyCode::Char(c));
    }
    press(screen, env, KeyCode::Enter);
}

fn title(screen: &str) -> &str {
    screen
        .lines()
        .find(|l| l.contains(" of "))
        .expect("a title with n of m")
}

/// A filter matching more than the cap says "1 of 5+ (of m in all)"; `G` counts exactly and
/// shows the last row; a new filter is capped again.
fn capped_then_exact<S: Tab>(mut screen: S, env: &mut Env, text: &str) {
    let (n, all) = S::count(&env.store, text);
    assert!(n > CAP, "{text:?} matches {n}, not more than the cap");
    filter(&mut screen, env, text);
    let shown = screen.draw(env);
    assert!(
        title(&shown).contains(&format!(" 1 of {CAP}+ (of {} in all)", grouped(all))),
        "{shown}"
    );

    press(&mut screen, env, KeyCode::Char('G'));
    let shown = screen.draw(env);
    let exact = format!(" {} of {}", grouped(n), grouped(n));
    assert!(title(&shown).contains(&exact), "{shown}");
    assert!(!title(&shown).contains('+'), "{shown}");
    let last = S::row_text(&env.store, text, n - 1);
    assert!(
        shown.contains(&last),
        "last row {last:?} not shown:\n{shown}"
    );

    // Back to the top: the count stays exact (counted once).
    press(&mut screen, env, KeyCode::Char('g'));
    let shown = screen.draw(env);
    assert!(
        title(&shown).contains(&format!(" 1 of {}", grouped(n))),
        "{shown}"
    );
    assert!(!title(&shown).contains('+'), "{shown}");
    let first = S::row_text(&env.store, text, 0);
    assert!(
        shown.contains(&first),
        "first row {first:?} not shown:\n{shown}"
    );

    // Another filter text is counted up to the cap again.
    press(&mut screen, env, KeyCode::Char('/'));
    press(&mut screen, env, KeyCode::Backspace);
    if let Some(c) = text.chars().last() {
        press(&mut screen, env, KeyCode::Char(c));
    }
    press(&mut screen, env, KeyCode::Enter);
    let shown = screen.draw(env);
    assert!(title(&shown).contains(&format!(" 1 of {CAP}+")), "{shown}");
}

/// Moving past the last row counted (`j` on the fifth row, PgDn) counts exactly and moves on.
fn past_the_cap<S: Tab>(mut screen: S, env: &mut Env, text: &str) {
    let (n, _) = S::count(&env.store, text);
    assert!(n > CAP + 1, "{text:?} matches {n}");
    filter(&mut screen, env, text);
    for _ in 0..CAP - 1 {
        press(&mut screen, env, KeyCode::Char('j'));
    }
    let shown = screen.draw(env);
    assert!(
        title(&shown).contains(&format!(" {CAP} of {CAP}+")),
        "{shown}"
    );
    press(&mut screen, env, KeyCode::Char('j'));
    let shown = screen.draw(env);
    assert!(
        title(&shown).contains(&format!(" {} of {}", CAP + 1, grouped(n))),
        "{shown}"
    );
    assert!(!title(&shown).contains('+'), "{shown}");
    let row = S::row_text(&env.store, text, CAP);
    assert!(shown.contains(&row), "row {row:?} not shown:\n{shown}");
}

fn pgdn_past_the_cap<S: Tab>(mut screen: S, env: &mut Env, text: &str) {
    let (n, _) = S::count(&env.store, text);
    filter(&mut screen, env, text);
    press(&mut screen, env, KeyCode::PageDown);
    let shown = screen.draw(env);
    assert!(!title(&shown).contains('+'), "{shown}");
    assert!(
        title(&shown).contains(&format!(" of {}", grouped(n))),
        "{shown}"
    );
}

#[test]
fn counts_are_grouped_by_thousands() {
    assert_eq!(grouped(10_000), "10,000");
    assert_eq!(grouped(100_000), "100,000");
    assert_eq!(grouped(1_000_000), "1,000,000");
    assert_eq!(grouped(999), "999");
    assert_eq!(grouped(0), "0");
    assert_eq!(grouped(-1234), "-1,234");
}

#[test]
fn customers_short_filter_is_capped_until_g() {
    let mut env = Env::demo(60, 120, 1);
    let screen = CustomersScreen::new(&env.store)
        .unwrap()
        .with_count_cap(CAP);
    capped_then_exact(screen, &mut env, "a");
}

#[test]
fn customers_long_filter_is_capped_until_g() {
    let mut env = Env::demo(60, 120, 1);
    let screen = CustomersScreen::new(&env.store)
        .unwrap()
        .with_count_cap(CAP);
    // Three characters: the search index path, capped alike.
    capped_then_exact(screen, &mut env, ".co");
}

#[test]
fn customers_j_and_pgdn_past_the_cap_count_exactly() {
    let mut env = Env::demo(60, 120, 1);
    let screen = CustomersScreen::new(&env.store)
        .unwrap()
        .with_count_cap(CAP);
    past_the_cap(screen, &mut env, "a");
    let screen = CustomersScreen::new(&env.store)
        .unwrap()
        .with_count_cap(CAP);
    pgdn_past_the_cap(screen, &mut env, "e");
}

#[test]
fn customers_filter_under_the_cap_is_exact() {
    let mut env = Env::demo(60, 120, 1);
    let mut screen = CustomersScreen::new(&env.store)
        .unwrap()
        .with_count_cap(1_000);
    filter(&mut screen, &mut env, "a");
    let (n, all) = CustomersScreen::count(&env.store, "a");
    let shown = screen.draw(&env);
    assert!(!title(&shown).contains('+'), "{shown}");
    assert!(title(&shown).contains(&format!(" 1 of {n}")), "{shown}");
    if n != all {
        assert!(title(&shown).contains(&format!("(of {all} in all)")));
    }
}

#[test]
fn cameras_short_filter_is_capped_until_g() {
    let mut env = Env::demo(10, 80, 1);
    let screen = CamerasScreen::new(&env.store).unwrap().with_count_cap(CAP);
    capped_then_exact(screen, &mut env, "a");
}

#[test]
fn cameras_long_filter_is_capped_until_g() {
    let mut env = Env::demo(10, 80, 1);
    let screen = CamerasScreen::new(&env.store).unwrap().with_count_cap(CAP);
    capped_then_exact(screen, &mut env, "room");
}

#[test]
fn cameras_j_and_pgdn_past_the_cap_count_exactly() {
    let mut env = Env::demo(10, 80, 1);
    let screen = CamerasScreen::new(&env.store).unwrap().with_count_cap(CAP);
    past_the_cap(screen, &mut env, "a");
    let screen = CamerasScreen::new(&env.store).unwrap().with_count_cap(CAP);
    pgdn_past_the_cap(screen, &mut env, "e");
}
