//! A filter's count and first window off the key's path: what a key's time does not cover is
//! read in idle time ("searching…", then "n of m+ counting…", then the number), and a key that
//! comes meanwhile abandons that read. The screens here leave every read to idle time
//! (`reading_when_idle`), as they do on a big store when a read overruns the key's budget.

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

const W: u16 = 120;
const H: u16 = 30;

/// A key as the app hands it to the screen: looked up once in the screen's contexts.
fn send(screen: &mut impl Component, key: &KeyEvent, env: &mut Env) -> Effect {
    let action = env.keymap.lookup_in(&screen.contexts(), key);
    screen.handle_key(key, action, &mut env.ctx())
}

/// The two tabs behind one face.
trait Tab {
    /// The first word of the title row.
    const TITLE: &'static str;
    fn key(&mut self, code: KeyCode, env: &mut Env) -> Effect;
    fn draw(&mut self, env: &Env) -> String;
    fn idle(&mut self, env: &mut Env, cancel: fn() -> bool) -> bool;
    fn pending(&self) -> bool;
    /// How many rows match `filter`, counted exactly by the store.
    fn count(store: &Store, filter: &str) -> i64;
}

impl Tab for CustomersScreen {
    const TITLE: &'static str = "Customers";
    fn key(&mut self, code: KeyCode, env: &mut Env) -> Effect {
        send(self, &press(code), env)
    }
    fn draw(&mut self, env: &Env) -> String {
        render_text(W, H, |frame| {
            let area = frame.area();
            self.before_draw(area, &env.store);
            self.render(frame, area, &COLOR, &env.keymap)
        })
    }
    fn idle(&mut self, env: &mut Env, cancel: fn() -> bool) -> bool {
        CustomersScreen::idle(self, &mut env.store, cancel)
    }
    fn pending(&self) -> bool {
        self.has_idle_work()
    }
    fn count(store: &Store, filter: &str) -> i64 {
        let q = CustomerQuery {
            filter: filter.into(),
            ..CustomerQuery::default()
        };
        store.customer_count(&q).unwrap()
    }
}

impl Tab for CamerasScreen {
    const TITLE: &'static str = "Cameras";
    fn key(&mut self, code: KeyCode, env: &mut Env) -> Effect {
        send(self, &press(code), env)
    }
    fn draw(&mut self, env: &Env) -> String {
        render_text(W, H, |frame| {
            let area = frame.area();
            self.before_draw(area, &env.store);
            self.render(frame, area, &COLOR, &env.keymap)
        })
    }
    fn idle(&mut self, env: &mut Env, cancel: fn() -> bool) -> bool {
        CamerasScreen::idle(self, &mut env.store, cancel)
    }
    fn pending(&self) -> bool {
        self.has_idle_work()
    }
    fn count(store: &Store, filter: &str) -> i64 {
        let q = CameraQuery {
            filter: filter.into(),
            ..CameraQuery::default()
        };
        store.camera_count(&q).unwrap()
    }
}

fn title(screen: &str) -> &str {
    screen.lines().next().expect("a title line")
}

/// A key came: the read is given up.
fn key_waiting() -> bool {
    true
}

fn no_key() -> bool {
    false
}

/// Types `text` into the open filter line, one key at a time.
fn type_into<S: Tab>(screen: &mut S, env: &mut Env, text: &str) {
    for c in text.chars() {
        let effect = screen.key(KeyCode::Char(c), env);
        assert!(!matches!(effect, Effect::Flash(_)), "{c:?} flashed");
    }
}

/// "searching…", a key abandons the read, then the rows with "counting…", then the number.
fn searching_counting_counted<S: Tab>(mut screen: S, env: &mut Env, text: &str) {
    let n = S::count(&env.store, text);
    assert!(n > 200, "{text:?} matches {n}: not more than one window");
    screen.key(KeyCode::Char('/'), env);
    type_into(&mut screen, env, text);
    let shown = screen.draw(env);
    assert!(title(&shown).contains(" searching…"), "{shown}");
    assert!(shown.contains("Searching…"), "{shown}");

    // A key is waiting: nothing is read, the work stays.
    assert!(!screen.idle(env, key_waiting));
    assert!(screen.pending());
    assert!(title(&screen.draw(env)).contains(" searching…"));

    // The window: its rows, and what was found so far while the count runs.
    assert!(screen.idle(env, no_key));
    let shown = screen.draw(env);
    assert!(title(&shown).contains("+ counting…"), "{shown}");
    assert!(title(&shown).starts_with(title_word::<S>()), "{shown}");
    assert!(title(&shown).contains(" 1 of "), "{shown}");
    assert!(!shown.contains("Searching…"), "{shown}");
    assert!(screen.pending());

    // A key comes while counting: the count is abandoned and stays to do.
    assert!(!screen.idle(env, key_waiting));
    assert!(title(&screen.draw(env)).contains("counting…"));

    assert!(screen.idle(env, no_key));
    assert!(!screen.pending());
    let shown = screen.draw(env);
    assert!(!title(&shown).contains("counting…"), "{shown}");
    assert!(
        title(&shown).contains(&format!(" 1 of {} ", grouped(n))),
        "{shown}"
    );
}

fn title_word<S: Tab>() -> &'static str {
    S::TITLE
}

/// The next key while the last one's reads are pending: they are dropped for the new text's.
fn next_key_replaces_the_reads<S: Tab>(mut screen: S, env: &mut Env, first: &str, more: &str) {
    screen.key(KeyCode::Char('/'), env);
    type_into(&mut screen, env, first);
    assert!(screen.idle(env, no_key));
    assert!(title(&screen.draw(env)).contains("counting…"));
    type_into(&mut screen, env, more);
    assert!(title(&screen.draw(env)).contains(" searching…"));
    while screen.pending() {
        assert!(screen.idle(env, no_key));
    }
    let n = S::count(&env.store, &format!("{first}{more}"));
    let shown = screen.draw(env);
    let expect = if n == 0 {
        " 0 of 0 ".to_string()
    } else {
        format!(" 1 of {} ", grouped(n))
    };
    assert!(title(&shown).contains(&expect), "{n}: {shown}");
}

#[test]
fn customers_filter_searches_counts_then_shows_the_number() {
    let mut env = Env::demo(400, 0, 3);
    let screen = CustomersScreen::new(&env.store)
        .unwrap()
        .reading_when_idle();
    searching_counting_counted(screen, &mut env, "a");
}

#[test]
fn customers_next_key_abandons_the_count() {
    let mut env = Env::demo(400, 0, 3);
    let screen = CustomersScreen::new(&env.store)
        .unwrap()
        .reading_when_idle();
    next_key_replaces_the_reads(screen, &mut env, "e", "r");
}

#[test]
fn cameras_filter_searches_counts_then_shows_the_number() {
    let mut env = Env::demo(20, 600, 3);
    let screen = CamerasScreen::new(&env.store).unwrap().reading_when_idle();
    searching_counting_counted(screen, &mut env, "a");
}

#[test]
fn cameras_next_key_abandons_the_count() {
    let mut env = Env::demo(20, 600, 3);
    let screen = CamerasScreen::new(&env.store).unwrap().reading_when_idle();
    next_key_replaces_the_reads(screen, &mut env, "a", "x");
}

/// A window shorter than asked for is the whole list: no count is made after it.
#[test]
fn a_short_window_is_the_count() {
    let mut env = Env::demo(60, 0, 3);
    let mut screen = CustomersScreen::new(&env.store)
        .unwrap()
        .reading_when_idle();
    let n = CustomersScreen::count(&env.store, "e");
    assert!(n > 0 && n < 100, "{n}");
    screen.key(KeyCode::Char('/'), &mut env);
    type_into(&mut screen, &mut env, "e");
    assert!(Tab::idle(&mut screen, &mut env, no_key));
    assert!(!screen.pending());
    let shown = screen.draw(&env);
    assert!(title(&shown).contains(&format!(" 1 of {n} ")), "{shown}");
}

/// `G` reads the visible rows only and leaves the rows around them to idle time: the last rows
/// are shown at once, and after the idle read moving up needs no read of its own.
#[test]
fn g_reads_the_visible_rows_then_the_rest_when_idle() {
    let mut env = Env::demo(300, 0, 3);
    let mut screen = CustomersScreen::new(&env.store).unwrap();
    screen.read_in_idle_time();
    screen.draw(&env);
    assert!(!screen.pending());
    screen.key(KeyCode::Char('G'), &mut env);
    let shown = screen.draw(&env);
    let q = CustomerQuery::default();
    let last = env.store.customer_page(&q, 299, 1).unwrap()[0].name.clone();
    assert!(shown.contains(&last), "{shown}");
    assert!(
        screen.pending(),
        "the rows around the visible ones are still to read"
    );
    assert!(
        !Tab::idle(&mut screen, &mut env, no_key),
        "nothing shown changed"
    );
    assert!(!screen.pending());
    let visible = i64::from(H) - 2;
    for _ in 0..visible {
        screen.key(KeyCode::Char('k'), &mut env);
    }
    let shown = screen.draw(&env);
    let above = env.store.customer_page(&q, 299 - visible, 1).unwrap()[0]
        .name
        .clone();
    assert!(shown.contains(&above), "{shown}");
    assert!(
        !screen.pending(),
        "moving within the rows read needs no read"
    );
}

/// The last window of the Cameras table read backwards from the end is the same as read
/// forwards, in every order.
#[test]
fn camera_windows_read_backwards_are_the_same() {
    use admin_portal::store::inventory::CameraSort;
    let env = Env::demo(20, 500, 3);
    for sort in CameraSort::ALL {
        for (filter, descending) in [
            ("", false),
            ("a", false),
            ("axis", false),
            ("", true),
            ("a", true),
        ] {
            let q = CameraQuery {
                filter: filter.into(),
                sort,
                descending,
            };
            let total = env.store.camera_count(&q).unwrap();
            for (offset, limit) in [(total - 30, 30), (total - 50, 80), (total / 2 + 1, 20)] {
                let forwards = env.store.camera_page(&q, offset.max(0), limit).unwrap();
                let backwards = env
                    .store
                    .camera_page_of(&q, offset.max(0), limit, Some(total))
                    .unwrap();
                let ids = |rows: &[admin_portal::store::inventory::CameraRow]| {
                    rows.iter().map(|r| r.id).collect::<Vec<_>>()
                };
                assert_eq!(
                    ids(&forwards),
                    ids(&backwards),
                    "{sort:?} {filter:?} {offset}"
                );
            }
        }
    }
}

/// Enter typed ahead of the idle reads opens the first match of the filter it follows.
#[test]
fn a_key_typed_ahead_acts_on_the_filtered_rows() {
    let mut env = Env::demo(400, 0, 3);
    let mut screen = CustomersScreen::new(&env.store)
        .unwrap()
        .reading_when_idle();
    screen.key(KeyCode::Char('/'), &mut env);
    type_into(&mut screen, &mut env, "er");
    screen.key(KeyCode::Enter, &mut env);
    assert!(screen.pending());
    let q = CustomerQuery {
        filter: "er".into(),
        ..CustomerQuery::default()
    };
    let first = env.store.customer_page(&q, 0, 1).unwrap()[0].id;
    let effect = screen.key(KeyCode::Enter, &mut env);
    assert!(
        matches!(effect, Effect::OpenCustomer(id) if id == first),
        "{effect:?}"
    );
}
