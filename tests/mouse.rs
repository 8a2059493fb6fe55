//! The mouse, when the configuration turns it on: tabs and the Add button on the top line,
//! rows of the lists (a click selects, a click on the selected row opens), and the wheel.

mod support;

use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use admin_portal::app::App;
use admin_portal::domain::Operator;
use admin_portal::keymap::Keymap;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::COLOR;
use support::fixture::{TestStore, app_cells};

fn app(test: &TestStore, mouse: bool) -> App {
    let store = Store::open(test.path(), OpenMode::Existing).unwrap();
    let operator = Operator {
        login: "alice".into(),
        client: None,
    };
    App::new(store, Keymap::default(), &COLOR, operator, None)
        .unwrap()
        .with_mouse(mouse)
}

fn screen(app: &mut App) -> Vec<String> {
    app_cells(app, 100, 30).lines().map(str::to_owned).collect()
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.handle_event(Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn click(app: &mut App, column: u16, row: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), column, row);
}

/// The row of the screen holding the selection marker of the list.
fn selected_line(lines: &[String]) -> usize {
    lines
        .iter()
        .position(|l| l.starts_with("> "))
        .expect("a selected row")
}

#[test]
fn a_click_selects_a_row_and_a_second_click_opens_it() {
    let test = TestStore::demo(20, 60, 3);
    let mut app = app(&test, true);
    let lines = screen(&mut app);
    // Top line, title line, header, then rows from line 3.
    assert_eq!(selected_line(&lines), 3, "{lines:#?}");
    let name = lines[6][2..30].trim().to_string();
    click(&mut app, 10, 6);
    let lines = screen(&mut app);
    assert_eq!(selected_line(&lines), 6, "{lines:#?}");
    click(&mut app, 10, 6);
    let lines = screen(&mut app);
    assert!(lines[1].contains(&name), "opened {name}: {lines:#?}");
    assert!(lines[2].contains("Account Profile"), "{lines:#?}");
}

#[test]
fn the_wheel_moves_the_selection_and_tabs_take_clicks() {
    let test = TestStore::demo(20, 60, 3);
    let mut app = app(&test, true);
    screen(&mut app);
    mouse(&mut app, MouseEventKind::ScrollDown, 10, 10);
    mouse(&mut app, MouseEventKind::ScrollDown, 10, 10);
    assert_eq!(selected_line(&screen(&mut app)), 5);
    mouse(&mut app, MouseEventKind::ScrollUp, 10, 10);
    assert_eq!(selected_line(&screen(&mut app)), 4);
    // " admin-portal  " then " 1 Customers " and " 2 Cameras " from column 29.
    click(&mut app, 31, 0);
    let lines = screen(&mut app);
    assert!(lines[1].starts_with("Cameras"), "{lines:#?}");
    // Clicks below the last row hit nothing.
    click(&mut app, 15, 0);
    let lines = screen(&mut app);
    assert!(lines[1].starts_with("Customers"), "{lines:#?}");
    click(&mut app, 10, 27);
    assert_eq!(selected_line(&screen(&mut app)), 4);
}

#[test]
fn without_the_mouse_setting_clicks_do_nothing() {
    let test = TestStore::demo(20, 60, 3);
    let mut app = app(&test, false);
    screen(&mut app);
    click(&mut app, 10, 6);
    click(&mut app, 31, 0);
    let lines = screen(&mut app);
    assert_eq!(selected_line(&lines), 3);
    assert!(lines[1].starts_with("Customers"), "{lines:#?}");
}
