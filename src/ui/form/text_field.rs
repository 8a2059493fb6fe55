//! A one-line text field over tui-input.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::{display, draw_line, error_line, field_rows, label_line, value_box};
use crate::theme::Theme;

#[derive(Debug, Clone, Default)]
pub struct TextField {
    /// Stable name of the field (for drafts and error lookup).
    pub key: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub required: bool,
    /// Longest value in characters; typing and pasting stop there.
    pub max_chars: usize,
    /// Always false: fields are one line; pasted line breaks become spaces.
    pub multiline_ok: bool,
    pub read_only: bool,
    pub error: Option<String>,
}

impl TextField {
    pub fn new(key: &'static str, label: &'static str) -> Self {
        Self {
            key,
            label,
            max_chars: 200,
            ..Self::default()
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn max_chars(mut self, max_chars: usize) -> Self {
        self.max_chars = max_chars;
        self
    }

    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.set_value(value);
        self
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Replaces the value; the cursor goes to its end.
    pub fn set_value(&mut self, value: impl Into<String>) {
        self.input = Input::new(value.into());
    }

    /// Rows the field needs: label, value, and the error when there is one.
    pub fn height(&self) -> u16 {
        2 + u16::from(self.error.is_some())
    }

    /// Rows taken at `width` columns: label, value and the message wrapped (see [`error_rows`]).
    pub fn height_in(&self, width: u16) -> u16 {
        2 + error_rows(self.error.as_deref(), width)
    }

    /// Applies a line-editing key. Returns false for keys the form moves with (Tab, Shift-Tab,
    /// Enter, Esc, Up, Down, Ctrl-N, Ctrl-P) and for anything else it does not know, so they
    /// reach the key map.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if self.read_only || key.kind == KeyEventKind::Release || moves_focus(key) {
            return false;
        }
        let Some(request) = to_input_request(&Event::Key(*key)) else {
            return false;
        };
        if let InputRequest::InsertChar(c) = request {
            if c.is_control() {
                return false;
            }
            if self.is_full() {
                return true;
            }
        }
        self.input.handle(request);
        self.enforce_limit();
        true
    }

    /// Inserts pasted text at the cursor, literally except that line breaks and tabs become
    /// spaces; stops at `max_chars`.
    pub fn insert_str(&mut self, text: &str) {
        if self.read_only {
            return;
        }
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if self.is_full() {
                break;
            }
            let c = match c {
                '\r' if chars.peek() == Some(&'\n') => {
                    chars.next();
                    ' '
                }
                '\r' | '\n' | '\t' => ' ',
                c => c,
            };
            self.input.handle(InputRequest::InsertChar(c));
        }
    }

    fn is_full(&self) -> bool {
        self.input.value().chars().count() >= self.max_chars
    }

    /// Yank can bring back more than fits; cut it to `max_chars`.
    fn enforce_limit(&mut self) {
        if self.input.value().chars().count() > self.max_chars {
            let cursor = self.input.cursor().min(self.max_chars);
            let value = self.input.value().chars().take(self.max_chars).collect();
            self.input = Input::new(value).with_cursor(cursor);
        }
    }

    /// Draws the field and, when focused, places the terminal cursor in it.
    pub fn render(&self, frame: &mut Frame, area: Rect, focused: bool, theme: &Theme) {
        let cursor = self.draw(frame.buffer_mut(), area, focused, theme);
        if let (true, Some(position)) = (focused, cursor) {
            frame.set_cursor_position(position);
        }
    }

    /// Draws the field; returns where the cursor belongs when focused and editable.
    pub fn draw(
        &self,
        buf: &mut Buffer,
        area: Rect,
        focused: bool,
        theme: &Theme,
    ) -> Option<Position> {
        let area = area.intersection(buf.area);
        let (label_row, value_row, error_row) = field_rows(area);
        if let Some(row) = label_row {
            let note = match (self.read_only, self.required) {
                (true, _) => " (read-only)",
                (false, true) => " *",
                (false, false) => "",
            };
            draw_line(
                buf,
                row,
                row.y,
                &label_line(self.label, note, focused, theme),
            );
        }
        if let (Some(row), Some(error)) = (error_row, &self.error) {
            draw_error(buf, area, row.y, error, theme);
        }
        let row = value_row?;
        let cursor = self.draw_value(buf, value_box(row, theme), focused, theme);
        (focused && !self.read_only).then_some(cursor)
    }

    /// Draws the value scrolled so that the cursor is inside the box.
    fn draw_value(&self, buf: &mut Buffer, area: Rect, focused: bool, theme: &Theme) -> Position {
        let style = match (focused, self.read_only) {
            (_, true) => theme.muted,
            (true, false) => theme.input_focused,
            (false, false) => theme.input,
        };
        buf.set_style(area, style);
        let width = usize::from(area.width);
        let cells = shown_chars(self.input.value());
        let column = |upto: usize| -> usize { cells[..upto].iter().map(|(_, w)| w).sum() };
        let cursor = self.input.cursor().min(cells.len());
        let cursor_column = column(cursor);
        let mut start = 0;
        while start < cursor && cursor_column - column(start) >= width {
            start += 1;
        }
        let mut used = 0;
        let mut visible = String::new();
        for (shown, w) in &cells[start..] {
            if used + w > width {
                break;
            }
            used += w;
            visible.push_str(shown);
        }
        draw_line(buf, area, area.y, &Line::from(Span::styled(visible, style)));
        let offset = (cursor_column - column(start)).min(width.saturating_sub(1));
        Position::new(area.x + offset as u16, area.y)
    }
}

/// Each character of `value` as it will be shown, with its width, so the scroll and the cursor
/// agree with what is drawn even when `display` replaces a character. A grapheme cluster is
/// shown whole on its first character; the others of the cluster show nothing.
fn shown_chars(value: &str) -> Vec<(String, usize)> {
    let mut cells = Vec::with_capacity(value.len());
    for cluster in value.graphemes(true) {
        let shown = display(cluster).into_owned();
        let w = shown.width();
        cells.push((shown, w));
        cells.extend(cluster.chars().skip(1).map(|_| (String::new(), 0)));
    }
    cells
}

/// Keys the form moves focus or steps with; a text field never takes them.
fn moves_focus(key: &KeyEvent) -> bool {
    match key.code {
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Esc => true,
        KeyCode::Up | KeyCode::Down => true,
        KeyCode::Char('n' | 'p') => key.modifiers.contains(KeyModifiers::CONTROL),
        _ => false,
    }
}

/// Columns kept for the message's mark on every row of it: the widest theme's ("  ! ").
const ERROR_INDENT: usize = 4;
/// A message longer than this many rows is cut, its last row ending in "…".
const MAX_ERROR_ROWS: usize = 4;

/// The rows of `message` wrapped to `width` (made safe first), at most [`MAX_ERROR_ROWS`].
fn error_lines(message: &str, width: u16) -> Vec<String> {
    let room = usize::from(width).saturating_sub(ERROR_INDENT).max(1);
    let mut rows = crate::ui::modal::wrap(&display(message), room);
    if rows.len() > MAX_ERROR_ROWS {
        rows.truncate(MAX_ERROR_ROWS);
        if let Some(last) = rows.last_mut() {
            *last = format!("{}…", super::clip(last, room.saturating_sub(1)));
        }
    }
    rows
}

/// How many rows a field's message takes at `width`: 0 without one.
pub(crate) fn error_rows(message: Option<&str>, width: u16) -> u16 {
    message.map_or(0, |m| error_lines(m, width).len().max(1) as u16)
}

/// Draws `message` from row `y` of `area` down, wrapped (never cut without "…"), as many rows
/// as the area has.
pub(crate) fn draw_error(buf: &mut Buffer, area: Rect, y: u16, message: &str, theme: &Theme) {
    let indent = theme.blank_symbol.width() + theme.danger_symbol.width();
    let mut rows = error_lines(message, area.width);
    let room = usize::from(area.bottom().saturating_sub(y));
    if rows.len() > room {
        // Fewer rows than the message needs: the last one shown says it goes on.
        rows.truncate(room);
        let width = usize::from(area.width).saturating_sub(ERROR_INDENT).max(1);
        if let Some(last) = rows.last_mut() {
            *last = format!("{}…", super::clip(last, width.saturating_sub(1)));
        }
    }
    for (i, text) in rows.into_iter().enumerate() {
        let row_y = y.saturating_add(i as u16);
        let line = if i == 0 {
            error_line(&text, theme)
        } else {
            Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(text, theme.error),
            ])
        };
        draw_line(buf, area, row_y, &line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn typed(field: &mut TextField, text: &str) {
        for c in text.chars() {
            assert!(field.handle_key(&key(KeyCode::Char(c), KeyModifiers::NONE)));
        }
    }

    #[test]
    fn edits_with_line_keys_and_leaves_navigation_to_the_form() {
        let mut field = TextField::new("name", "Name");
        typed(&mut field, "hello world");
        assert!(field.handle_key(&key(KeyCode::Char('w'), KeyModifiers::CONTROL)));
        assert_eq!(field.value(), "hello ");
        assert!(field.handle_key(&key(KeyCode::Char('a'), KeyModifiers::CONTROL)));
        typed(&mut field, ">");
        assert_eq!(field.value(), ">hello ");
        assert!(field.handle_key(&key(KeyCode::Char('u'), KeyModifiers::CONTROL)));
        for code in [
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Up,
        ] {
            assert!(!field.handle_key(&key(code, KeyModifiers::NONE)));
        }
        assert!(!field.handle_key(&key(KeyCode::Char('n'), KeyModifiers::CONTROL)));
        assert!(!field.handle_key(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    }

    #[test]
    fn limits_and_paste() {
        let mut field = TextField::new("zip", "Postal code").max_chars(5);
        field.insert_str("12\r\n3\t456789");
        assert_eq!(field.value(), "12 3 ");
        assert!(field.handle_key(&key(KeyCode::Char('x'), KeyModifiers::NONE)));
        assert_eq!(field.value(), "12 3 ");
    }

    #[test]
    fn read_only_takes_no_keys() {
        let mut field = TextField::new("id", "Id").read_only().with_value("7");
        assert!(!field.handle_key(&key(KeyCode::Char('x'), KeyModifiers::NONE)));
        field.insert_str("8");
        assert_eq!(field.value(), "7");
    }

    #[test]
    fn cursor_stays_inside_a_narrow_box() {
        let theme = &crate::theme::COLOR;
        let mut field = TextField::new("name", "Name");
        field.set_value("日本語のテキストです");
        let area = Rect::new(0, 0, 8, 2);
        let mut buf = Buffer::empty(area);
        let cursor = field.draw(&mut buf, area, true, theme).unwrap();
        assert_eq!(cursor.y, 1);
        assert!(cursor.x < 8);
    }
}
