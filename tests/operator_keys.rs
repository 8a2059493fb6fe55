//! Keys an operator reaches for anywhere: `1`..`4` with the wizard open, the start-up draft
//! prompt's `d`, the one read-only refusal and questions answered with the key map's keys.
//! The app over a temporary store, drawn into a `TestBackend`.

mod support;

use admin_portal::action::{Action, KeyContext};
use admin_portal::app::App;
use admin_portal::domain::Operator;
use admin_portal::keymap::{KeyBinding, Keymap};
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::COLOR;
use ratatui::crossterm::event::KeyCode;
use support::fixture::{TestStore, ch, ctrl, key, render_text, type_text};

fn app(test: &TestStore) -> App {
    let store = Store::open(test.path(), OpenMode::Existing).unwrap();
    let operator = Operator {
        login: "alice".into(),
        client: None,
    };
    App::new(store, Keymap::default(), &COLOR, operator, None).unwrap()
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    render_text(width, height, |f| app.render(f))
}

/// A draft of "Harbor Optics" saved by leaving the wizard with `k`.
fn with_draft(test: &TestStore) {
    let mut app = app(test);
    app.handle_key(&ch('a'));
    app.handle_key(&ctrl('n'));
    type_text("Harbor Optics", |k| app.handle_key(&k));
    app.handle_key(&key(KeyCode::Esc));
    app.handle_key(&ch('k'));
}

#[test]
fn a_tab_key_in_an_untouched_wizard_lands_on_that_tabs_list() {
    let test = TestStore::demo(3, 10, 1);
    let mut app = app(&test);
    app.handle_key(&ch('a'));
    assert!(screen(&mut app, 80, 24).contains("step 1 of 8"));
    app.handle_key(&ch('2'));
    let cameras = screen(&mut app, 80, 24);
    assert!(cameras.contains("Cameras  1 of 10"), "{cameras}");
    app.handle_key(&ch('1'));
    let customers = screen(&mut app, 80, 24);
    assert!(customers.contains("Customers  1 of 3"), "{customers}");
    assert!(!customers.contains("step 1 of 8"), "{customers}");
}

#[test]
fn a_tab_key_in_a_wizard_with_input_asks_as_esc_does_and_k_keeps_the_draft() {
    let test = TestStore::demo(3, 10, 1);
    let mut app = app(&test);
    app.handle_key(&ch('a'));
    app.handle_key(&ctrl('n'));
    type_text("Harbor Optics", |k| app.handle_key(&k));
    // Back on step 1 (no text field), where digits are keys, not text.
    app.handle_key(&ctrl('p'));
    app.handle_key(&ch('3'));
    let asked = screen(&mut app, 80, 24);
    assert!(asked.contains("Leave the wizard?"), "{asked}");
    app.handle_key(&ch('4'));
    assert!(screen(&mut app, 80, 24).contains("Leave the wizard?"));
    app.handle_key(&ch('k'));
    let list = screen(&mut app, 80, 24);
    assert!(list.contains("Customers  1 of 3"), "{list}");
    assert!(list.contains("Draft kept"), "{list}");
    assert!(app.store().draft("alice").unwrap().is_some());
}

#[test]
fn d_at_the_start_up_draft_prompt_asks_once_more() {
    let test = TestStore::demo(3, 10, 1);
    with_draft(&test);
    let mut app = app(&test);
    app.handle_key(&ch('d'));
    let asked = screen(&mut app, 80, 24);
    assert!(asked.contains("Discard the draft?"), "{asked}");
    assert!(app.store().draft("alice").unwrap().is_some());
    // Any other key: back to the first question, the draft kept.
    app.handle_key(&ch('x'));
    let back = screen(&mut app, 80, 24);
    assert!(back.contains("Enter/a resume"), "{back}");
    assert!(!back.contains("Discard the draft?"), "{back}");
    app.handle_key(&ch('d'));
    app.handle_key(&ch('d'));
    let done = screen(&mut app, 80, 24);
    assert!(done.contains("Draft discarded"), "{done}");
    assert!(app.store().draft("alice").unwrap().is_none());
}

/// The last row of a screen: the hint line when no flash is shown.
fn hint_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn pane_hint_lines_at_80_columns_keep_the_panes_own_keys() {
    let test = TestStore::demo(3, 30, 1);
    let mut app = app(&test);
    app.handle_key(&key(KeyCode::Enter));
    app.handle_key(&ch('l'));
    let pane = screen(&mut app, 80, 24);
    let hints = hint_line(&pane);
    for wanted in [
        "Space pick",
        "L link",
        "U unlink",
        "o record on/off",
        "e edit",
    ] {
        assert!(hints.contains(wanted), "{wanted:?} not in {hints:?}");
    }
    insta::assert_snapshot!("customer_cameras_pane_80x24", pane);
    // The Cameras tab: what does not fit is one ? away, and the line says so.
    app.handle_key(&ch('2'));
    let hints = hint_line(&screen(&mut app, 80, 24));
    assert!(hints.contains("o record on/off"), "{hints:?}");
    assert!(hints.ends_with("… ? help"), "{hints:?}");
}

fn app_with(test: &TestStore, mode: OpenMode, keymap: Keymap) -> App {
    let store = Store::open(test.path(), mode).unwrap();
    let operator = Operator {
        login: "alice".into(),
        client: None,
    };
    App::new(store, keymap, &COLOR, operator, None).unwrap()
}

#[test]
fn a_write_key_on_a_read_only_store_gets_the_one_refusal_and_a_typed_letter_stays_text() {
    let test = TestStore::demo(3, 10, 1);
    let mut app = app_with(&test, OpenMode::ReadOnly, Keymap::default());
    for write in [ch('D'), ch('a'), ch('e'), ch('R')] {
        app.handle_key(&write);
        let flash = app.flash().map(|f| f.text.clone()).unwrap_or_default();
        assert_eq!(flash, admin_portal::app::READ_ONLY, "{write:?}");
    }
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Customers  1 of 3"), "{shown}");
    // In the filter line `D` is a letter of the filter, not Delete.
    app.handle_key(&ch('/'));
    app.handle_key(&ch('D'));
    let filtered = screen(&mut app, 100, 30);
    assert!(filtered.contains("/D"), "{filtered}");
}

#[test]
fn the_quit_question_answers_with_the_keys_of_the_key_map() {
    let test = TestStore::demo(3, 10, 1);
    let mut keymap = Keymap::default();
    for c in ['y', 'Y'] {
        keymap.unbind(KeyContext::Question, KeyBinding::char(c));
    }
    keymap.override_binding(KeyContext::Question, KeyBinding::char('j'), Action::Yes);
    let mut app = app_with(&test, OpenMode::Existing, keymap);
    app.handle_key(&ch('a'));
    app.handle_key(&ctrl('n'));
    type_text("Harbor Optics", |k| app.handle_key(&k));
    app.handle_key(&ctrl('c'));
    let asked = screen(&mut app, 100, 30);
    assert!(asked.contains("Quit anyway? j/N"), "{asked}");
    app.handle_key(&ch('y'));
    assert!(!app.is_quitting(), "y is no longer an answer");
    app.handle_key(&ctrl('c'));
    app.handle_key(&ch('j'));
    assert!(app.is_quitting());
}

/// A list that may or may not sort: what it was handed, in order.
struct Sorter {
    sorts: bool,
    seen: Vec<Option<Action>>,
}

impl admin_portal::ui::component::Component for Sorter {
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::List, KeyContext::Customer]
    }
    fn handle_key(
        &mut self,
        _key: &ratatui::crossterm::event::KeyEvent,
        action: Option<Action>,
        _ctx: &mut admin_portal::app::Ctx,
    ) -> admin_portal::app::Effect {
        use admin_portal::app::Effect;
        self.seen.push(action);
        match action {
            Some(Action::SortReverse) if self.sorts => Effect::Done,
            Some(Action::ToggleStatus) => Effect::DialogOpened,
            _ => Effect::Ignored,
        }
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (self.contexts(), Vec::new())
    }
    fn render(
        &self,
        _frame: &mut ratatui::Frame,
        _area: ratatui::layout::Rect,
        _theme: &admin_portal::theme::Theme,
        _keymap: &Keymap,
    ) {
    }
}

#[test]
fn a_key_is_looked_up_once_and_its_meanings_offered_in_context_order_until_one_is_used() {
    use admin_portal::app::{Ctx, Effect, press, resolve};
    let test = TestStore::demo(1, 1, 1);
    let mut store = Store::open(test.path(), OpenMode::Existing).unwrap();
    let keymap = Keymap::default();
    let operator = Operator {
        login: "alice".into(),
        client: None,
    };
    let contexts = [KeyContext::List, KeyContext::Customer];
    assert_eq!(
        resolve(&keymap, &contexts, &ch('S')),
        [Action::SortReverse, Action::ToggleStatus]
    );
    // `e` is Edit in both: offered once.
    assert_eq!(resolve(&keymap, &contexts, &ch('e')), [Action::Edit]);
    for (sorts, effect, seen) in [
        (true, Effect::Done, vec![Some(Action::SortReverse)]),
        (
            false,
            Effect::DialogOpened,
            vec![Some(Action::SortReverse), Some(Action::ToggleStatus)],
        ),
    ] {
        let mut list = Sorter {
            sorts,
            seen: Vec::new(),
        };
        let mut ctx = Ctx {
            store: &mut store,
            keymap: &keymap,
            operator: &operator,
            theme: &COLOR,
        };
        assert_eq!(
            press(&mut list, &ch('S'), &mut ctx),
            effect,
            "sorts: {sorts}"
        );
        assert_eq!(list.seen, seen, "sorts: {sorts}");
    }
}

#[test]
fn s_on_a_customer_pane_of_a_read_only_store_gets_the_one_refusal_not_the_question() {
    let test = TestStore::demo(3, 10, 1);
    let mut app = app_with(&test, OpenMode::ReadOnly, Keymap::default());
    app.handle_key(&key(KeyCode::Enter));
    app.handle_key(&key(KeyCode::Right));
    assert!(screen(&mut app, 100, 30).contains(" Cameras "));
    app.handle_key(&ch('S'));
    let flash = app.flash().map(|f| f.text.clone()).unwrap_or_default();
    assert_eq!(flash, admin_portal::app::READ_ONLY);
    let shown = screen(&mut app, 100, 30);
    assert!(!shown.contains("able customer"), "{shown}");
}
