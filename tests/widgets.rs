//! Snapshots of the form widgets and the help overlay, and "never panics" at any size.

mod support;

use admin_portal::action::{Action, KeyContext};
use admin_portal::keymap::Keymap;
use admin_portal::theme::{COLOR, MONO, Theme};
use admin_portal::ui::form::{Checkbox, Choice, TextField, draw_line};
use admin_portal::ui::help::{draw_help, hint_line, render_help};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use support::fixture::{buffer_cells, render, type_text};

fn type_into(choice: &mut Choice<&'static str>, typed: &str) {
    type_text(typed, |event| {
        choice.handle_key(&event);
    });
}

fn countries() -> Choice<&'static str> {
    let names = [
        "Austria",
        "Belgium",
        "Canada",
        "France",
        "Germany",
        "Japan",
        "Netherlands",
        "Switzerland",
        "United Kingdom",
        "United States",
    ];
    let options = names.iter().map(|n| (*n, n.to_string())).collect();
    Choice::new("country", "Country", options)
}

#[test]
fn text_field_without_error() {
    let field = TextField::new("company", "Company name")
        .required()
        .with_value("Acme Security GmbH");
    let terminal = render(32, 3, |frame| {
        field.render(frame, frame.area(), false, &COLOR)
    });
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn text_field_focused_with_error() {
    let mut field = TextField::new("email", "Email").with_value("ops@example");
    field.error = Some("Email needs a domain with a dot, like example.com".into());
    let mut terminal = render(40, 3, |frame| {
        field.render(frame, frame.area(), true, &COLOR)
    });
    insta::assert_snapshot!(terminal.backend());
    // The cursor sits after the last character, inside the box.
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(13, 1));
}

#[test]
fn text_field_scrolls_to_keep_the_cursor_visible() {
    let field = TextField::new("street", "Street").with_value("1234 Very Long Boulevard Name");
    let mut terminal = render(16, 2, |frame| {
        field.render(frame, frame.area(), true, &COLOR)
    });
    insta::assert_snapshot!(terminal.backend());
    terminal
        .backend_mut()
        .assert_cursor_position(Position::new(15, 1));
}

#[test]
fn checkboxes_focused_and_disabled() {
    let confirm = Checkbox::new("confirm_email", "Users must confirm their email", true);
    let mut share = Checkbox::new("disable_share", "Disable camera share", false);
    share.disabled = Some("admin portal disabled".into());
    let terminal = render(60, 2, |frame| {
        confirm.render(frame, Rect::new(0, 0, 60, 1), true, &COLOR);
        share.render(frame, Rect::new(0, 1, 60, 1), false, &COLOR);
    });
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn choice_open_and_filtered() {
    let mut country = countries();
    country.select_where(|c| *c == "Germany");
    type_into(&mut country, "unit");
    assert!(country.open);
    country.handle_key(&KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    let field = Rect::new(0, 0, 30, 2);
    let terminal = render(36, 9, |frame| {
        country.render(frame, field, true, &COLOR);
        country.render_popup(frame, field, &COLOR);
    });
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn choice_popup_opens_above_when_there_is_no_room_below() {
    let mut country = countries();
    country.open_list();
    let field = Rect::new(0, 10, 30, 2);
    let terminal = render(36, 12, |frame| {
        country.render(frame, field, true, &COLOR);
        country.render_popup(frame, field, &COLOR);
    });
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn help_overlay_color() {
    let keymap = Keymap::default();
    let terminal = render(80, 24, |frame| {
        render_help(frame, frame.area(), &keymap, &COLOR)
    });
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn help_overlay_mono() {
    let keymap = Keymap::default();
    // Tall enough for every binding; at 80x24 the overlay scrolls (see help_overlay_color).
    let terminal = render(120, 40, |frame| {
        render_help(frame, frame.area(), &keymap, &MONO)
    });
    insta::assert_snapshot!(terminal.backend());
    let shown = buffer_cells(terminal.backend().buffer());
    for keys in ["q/Ctrl-C", "↑/k", "Shift-Tab/↑", "Ctrl-N", "G/End"] {
        assert!(shown.contains(keys), "help lacks {keys}");
    }
}

/// Without colour, focus and selection must still show: as symbols and as reverse video.
#[test]
fn mono_marks_focus_and_selection() {
    let name = TextField::new("name", "Name").with_value("Acme");
    let mut country = countries();
    type_into(&mut country, "an");
    let field = Rect::new(0, 2, 30, 2);
    let terminal = render(36, 12, |frame| {
        name.render(frame, Rect::new(0, 0, 30, 2), false, &MONO);
        country.render(frame, field, true, &MONO);
        country.render_popup(frame, field, &MONO);
    });
    insta::assert_snapshot!(terminal.backend());
    let buffer = terminal.backend().buffer();
    let shown = buffer_cells(buffer);
    assert!(shown.contains(MONO.focus_symbol), "no focus mark");
    assert!(shown.contains("> Canada"), "no selection mark");
    let canada = buffer
        .area
        .positions()
        .find(|p| buffer[*p].symbol() == ">" && buffer[(p.x + 2, p.y)].symbol() == "C")
        .unwrap();
    assert!(
        buffer[(canada.x + 2, canada.y)]
            .modifier
            .contains(Modifier::REVERSED)
    );
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            assert_eq!(buffer[(x, y)].fg, ratatui::style::Color::Reset);
            assert_eq!(buffer[(x, y)].bg, ratatui::style::Color::Reset);
        }
    }
}

#[test]
fn hint_line_snapshot() {
    let keymap = Keymap::default();
    let actions = [
        Action::Up,
        Action::Open,
        Action::Filter,
        Action::Add,
        Action::Help,
        Action::Quit,
    ];
    let line = hint_line(
        &keymap,
        &[KeyContext::List, KeyContext::Global],
        &actions,
        &COLOR,
    );
    let terminal = render(70, 1, |frame| {
        frame.render_widget(&line, frame.area());
    });
    insta::assert_snapshot!(terminal.backend());
}

const WIDE: &str = "日本語の会社名😀🎥テスト株式会社";

fn render_everything(frame: &mut Frame, theme: &Theme, keymap: &Keymap) {
    let area = frame.area();
    let mut field = TextField::new("name", "会社名😀")
        .required()
        .with_value(WIDE);
    field.error = Some(format!("「{WIDE}」 is too long"));
    field.render(frame, area, true, theme);
    let mut read_only = field.clone();
    read_only.read_only = true;
    read_only.render(frame, area, false, theme);
    let mut check = Checkbox::new("x", "カメラ共有を無効にする📷", true);
    check.render(frame, area, true, theme);
    check.disabled = Some(WIDE.into());
    check.render(frame, area, false, theme);
    let options = ["東京", "😀 smile", "Zürich", WIDE]
        .iter()
        .map(|s| (*s, s.to_string()))
        .collect();
    let mut choice = Choice::new("tz", "タイムゾーン", options);
    choice.error = Some(WIDE.into());
    choice.render(frame, area, false, theme);
    choice.selected = Some(3);
    choice.render(frame, area, true, theme);
    type_into(&mut choice, "😀");
    choice.render_popup(frame, area, theme);
    type_into(&mut choice, "no match at all");
    choice.render_popup(frame, area, theme);
    render_help(frame, area, keymap, theme);
    let hints = hint_line(
        keymap,
        &KeyContext::ALL,
        &[Action::Quit, Action::NextField],
        theme,
    );
    draw_line(frame.buffer_mut(), area, area.y, &hints);
}

#[test]
fn never_panics_at_any_size() {
    let keymap = Keymap::default();
    for theme in [&COLOR, &MONO] {
        for width in 0..=12 {
            for height in 0..=4 {
                render(width, height, |frame| {
                    render_everything(frame, theme, &keymap)
                });
                // Also into a sub-area away from the origin.
                render(width + 3, height + 2, |frame| {
                    let inner = Rect::new(2, 1, width, height);
                    let buffer = frame.buffer_mut();
                    let mut field = TextField::new("n", "名前").with_value(WIDE);
                    field.error = Some(WIDE.into());
                    field.draw(buffer, inner, true, theme);
                    draw_help(buffer, inner, &keymap, theme, 0);
                });
            }
        }
    }
}

/// A cursor in the middle of wide text at every width stays inside the box.
#[test]
fn cursor_stays_inside_at_every_width() {
    for width in 1..=12u16 {
        for cursor in 0..=WIDE.chars().count() {
            let mut field = TextField::new("n", "名前").with_value(WIDE);
            field.input = field.input.clone().with_cursor(cursor);
            let area = Rect::new(0, 0, width, 2);
            let mut buffer = Buffer::empty(area);
            let position = field.draw(&mut buffer, area, true, &COLOR).unwrap();
            assert!(
                position.x < width,
                "width {width}, cursor {cursor}: {position:?}"
            );
            assert_eq!(position.y, 1);
        }
    }
}

#[test]
fn dialogs_answer_the_actions_of_the_key_map() {
    use admin_portal::keymap::KeyBinding;
    use admin_portal::ui::component::{Component, Effect};
    use admin_portal::ui::modal::{Confirm, Dialog, MessageDialog, answer_in, answered};
    let plain = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let mut keymap = Keymap::default();
    for c in ['y', 'Y'] {
        keymap.unbind(KeyContext::Question, KeyBinding::char(c));
    }
    keymap.override_binding(KeyContext::Question, KeyBinding::char('j'), Action::Yes);
    let mut confirm = Confirm::new("Delete plan", "Delete plan Basic?", 7);
    let area = Rect::new(0, 0, 70, 12);
    let shown = support::fixture::render_text(70, 12, |f| confirm.render(f, area, &COLOR, &keymap));
    assert!(shown.contains("j yes · n/Esc no"), "{shown}");
    let mut env = support::fixture::Env::new();
    let mut ctx = env.ctx();
    // The key looked up in its contexts, as the app does.
    let mut answer = |confirm: &mut Confirm<i32>, c| {
        let action = keymap.lookup_in(&confirm.contexts(), &plain(c));
        answered(confirm, &plain(c), action, &mut ctx)
    };
    assert_eq!(answer(&mut confirm, 'y'), None);
    assert_eq!(answer(&mut confirm, 'j'), Some(true));
    assert_eq!(answer(&mut confirm, 'n'), Some(false));

    // As a component it reads the action the app looked up, not the key.
    let mut dialog = Dialog::Confirm(confirm);
    assert_eq!(dialog.contexts()[0], KeyContext::Question);
    let yes = Component::handle_key(&mut dialog, &plain('x'), Some(Action::Yes), &mut ctx);
    assert_eq!(yes, Effect::Answered(true));
    let other = Component::handle_key(&mut dialog, &plain('y'), None, &mut ctx);
    assert_eq!(other, Effect::Ignored);
    let mut slot = Some(dialog);
    let confirmed = answer_in(&mut slot, &plain('x'), Some(Action::Yes), &mut ctx);
    assert_eq!(confirmed, (Some(7), Effect::Done));
    assert!(slot.is_none(), "answered: closed");
    let mut message = MessageDialog::new("Plan in use", "Basic is used by 3 customers");
    let closed = Component::handle_key(&mut message, &plain('x'), Some(Action::Cancel), &mut ctx);
    assert_eq!(closed, Effect::Answered(false));
}
