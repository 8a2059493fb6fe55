//! Drawing one row of a compact popup form: a text field, a checkbox, a one-of-n choice, a
//! heading, an error or a note.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{FormRow, Layout};
use crate::theme::Theme;
use crate::ui::form::text_field::draw_error;
use crate::ui::form::{TextField, display, draw_line};

/// Draws one row of a form in `rect`; where the cursor belongs when it is a focused text field.
pub(super) fn draw_row(
    buf: &mut Buffer,
    rect: Rect,
    row: &FormRow<'_>,
    layout: Layout,
    label_width: u16,
    theme: &Theme,
) -> Option<Position> {
    let y = rect.y;
    match row {
        FormRow::Text { field, focused } => {
            return draw_text(buf, rect, field, *focused, layout, label_width, theme);
        }
        FormRow::Check {
            label,
            checked,
            focused,
            locked,
            note,
            indent,
        } => {
            let check = Check {
                label,
                checked: *checked,
                focused: *focused,
                locked: *locked,
                note: note.as_deref(),
                indent: *indent,
            };
            draw_check(buf, rect, &check, layout, theme);
        }
        FormRow::Radio {
            label,
            options,
            selected,
            focused,
            locked,
        } => {
            let radio = Radio {
                label,
                options,
                selected: *selected,
                focused: *focused,
                locked: *locked,
            };
            draw_radio(buf, rect, &radio, layout, label_width, theme);
        }
        FormRow::Heading(text) => draw_styled(buf, rect, text, theme.title),
        FormRow::Error(text) => draw_error(buf, rect, y, text, theme),
        FormRow::Note(text) => draw_styled(buf, rect, text, theme.muted),
    }
    None
}

fn draw_styled(buf: &mut Buffer, rect: Rect, text: &str, style: Style) {
    let line = Line::styled(display(text).into_owned(), style);
    draw_line(buf, rect, rect.y, &line);
}

/// A text field: stacked, the field draws its own label; inline, the label with its note
/// ("*" required, "(locked)") in the label column and the value beside it.
fn draw_text(
    buf: &mut Buffer,
    rect: Rect,
    field: &TextField,
    focused: bool,
    layout: Layout,
    label_width: u16,
    theme: &Theme,
) -> Option<Position> {
    if layout == Layout::Stacked {
        return field.draw(buf, rect, focused, theme);
    }
    let y = rect.y;
    let note = match (field.read_only, field.required) {
        (true, _) => " (locked)",
        (false, true) => " *",
        (false, false) => "",
    };
    let label = label_spans(field.label, note, focused, theme);
    draw_line(buf, Rect::new(rect.x, y, label_width, 1), y, &label);
    let value_x = rect.x + label_width.saturating_sub(2);
    let value = Rect::new(value_x, y, rect.right().saturating_sub(value_x), 1);
    field.draw(buf, value, focused, theme)
}

/// The parts of a [`FormRow::Check`].
struct Check<'a> {
    label: &'a str,
    checked: bool,
    focused: bool,
    locked: bool,
    note: Option<&'a str>,
    indent: u16,
}

fn draw_check(buf: &mut Buffer, rect: Rect, check: &Check<'_>, layout: Layout, theme: &Theme) {
    let style = row_style(check.locked, check.focused, theme.checkbox, theme);
    let mark = Span::styled(theme.mark(theme.focus_symbol, check.focused), theme.focus);
    let indent = Span::raw(" ".repeat(usize::from(check.indent)));
    let mut spans = match layout {
        Layout::Inline => vec![mark, indent],
        Layout::Stacked => vec![indent, mark],
    };
    spans.push(Span::styled(
        if check.checked { "[x] " } else { "[ ] " },
        style,
    ));
    spans.push(Span::styled(display(check.label).into_owned(), style));
    if let Some(note) = check.note {
        spans.push(Span::styled(format!("  ({note})"), theme.muted));
    }
    draw_line(buf, rect, rect.y, &Line::from(spans));
}

/// The parts of a [`FormRow::Radio`].
struct Radio {
    label: &'static str,
    options: &'static [&'static str],
    selected: usize,
    focused: bool,
    locked: bool,
}

fn draw_radio(
    buf: &mut Buffer,
    rect: Rect,
    radio: &Radio,
    layout: Layout,
    label_width: u16,
    theme: &Theme,
) {
    let y = rect.y;
    let style = row_style(radio.locked, radio.focused, Style::new(), theme);
    let mut spans = Vec::new();
    let (value, gap) = match layout {
        Layout::Inline => {
            let label = label_spans(radio.label, "", radio.focused, theme);
            draw_line(buf, Rect::new(rect.x, y, label_width, 1), y, &label);
            let value_x = rect.x + label_width;
            let value = Rect::new(value_x, y, rect.right().saturating_sub(value_x), 1);
            (value, "   ")
        }
        Layout::Stacked => {
            spans.push(Span::styled(
                theme.mark(theme.focus_symbol, radio.focused),
                theme.focus,
            ));
            spans.push(Span::styled(format!("{}: ", radio.label), style));
            (rect, "  ")
        }
    };
    for (n, option) in radio.options.iter().enumerate() {
        let dot = if n == radio.selected {
            "(•) "
        } else {
            "( ) "
        };
        spans.push(Span::styled(format!("{dot}{option}{gap}"), style));
    }
    if radio.locked {
        spans.push(Span::styled("(locked)", theme.muted));
    }
    draw_line(buf, value, y, &Line::from(spans));
}

/// Muted when locked, else the focus style when focused, else `normal`.
fn row_style(locked: bool, focused: bool, normal: Style, theme: &Theme) -> Style {
    match (locked, focused) {
        (true, _) => theme.muted,
        (false, true) => theme.focus,
        (false, false) => normal,
    }
}

fn label_spans(label: &str, note: &'static str, focused: bool, theme: &Theme) -> Line<'static> {
    let style = if focused { theme.focus } else { Style::new() };
    Line::from(vec![
        Span::styled(theme.mark(theme.focus_symbol, focused), theme.focus),
        Span::styled(display(label).into_owned(), style),
        Span::styled(note, theme.muted),
    ])
}
