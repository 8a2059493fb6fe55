//! A choice list: shows the chosen option; Enter, Space or typing opens a dropdown in which
//! typed text filters (case-insensitive substring), Up/Down move, Enter picks, Esc closes.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use super::text_field::{draw_error, error_rows};
use super::{display, draw_line, field_rows, fit, label_line, value_box};
use crate::theme::Theme;

/// Most options shown at once in the dropdown.
const MAX_ROWS: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct Choice<T> {
    pub key: &'static str,
    pub label: &'static str,
    /// The values and their labels, in the order shown.
    pub options: Vec<(T, String)>,
    /// Index into `options`.
    pub selected: Option<usize>,
    /// Typed text that filters the open dropdown.
    pub filter: String,
    pub open: bool,
    /// Index into the filtered options of the highlighted row of the open dropdown.
    pub highlight: usize,
    pub error: Option<String>,
}

impl<T> Choice<T> {
    pub fn new(key: &'static str, label: &'static str, options: Vec<(T, String)>) -> Self {
        Self {
            key,
            label,
            options,
            selected: None,
            filter: String::new(),
            open: false,
            highlight: 0,
            error: None,
        }
    }

    pub fn selected_value(&self) -> Option<&T> {
        self.selected
            .and_then(|i| self.options.get(i))
            .map(|(value, _)| value)
    }

    pub fn selected_label(&self) -> Option<&str> {
        self.selected
            .and_then(|i| self.options.get(i))
            .map(|(_, label)| label.as_str())
    }

    /// Selects the first option whose value matches; clears the choice when none does.
    pub fn select_where(&mut self, matches: impl Fn(&T) -> bool) {
        self.selected = self.options.iter().position(|(value, _)| matches(value));
    }

    /// Indices into `options` of those whose label contains the filter, ignoring case.
    pub fn filtered(&self) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        self.options
            .iter()
            .enumerate()
            .filter(|(_, (_, label))| needle.is_empty() || label.to_lowercase().contains(&needle))
            .map(|(i, _)| i)
            .collect()
    }

    /// Opens the dropdown with an empty filter, on the chosen option.
    pub fn open_list(&mut self) {
        self.open = true;
        self.filter.clear();
        self.highlight = self
            .selected
            .unwrap_or(0)
            .min(self.options.len().saturating_sub(1));
    }

    /// Closes the dropdown without changing the choice.
    pub fn close(&mut self) {
        self.open = false;
        self.filter.clear();
        self.highlight = 0;
    }

    pub fn height(&self) -> u16 {
        2 + u16::from(self.error.is_some())
    }

    /// Rows taken at `width` columns, the message wrapped.
    pub fn height_in(&self, width: u16) -> u16 {
        2 + error_rows(self.error.as_deref(), width)
    }

    /// Closed: Enter or Space opens, a typed character opens and starts the filter. Open: the
    /// dropdown takes every key but Tab, Shift-Tab (which close it and move on) and Ctrl keys.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        if self.open {
            return self.handle_open(key);
        }
        match typed_char(key) {
            _ if key.code == KeyCode::Enter && key.modifiers.is_empty() => self.open_list(),
            Some(' ') => self.open_list(),
            Some(c) => {
                self.open_list();
                self.push_filter(c);
            }
            None => return false,
        }
        true
    }

    fn handle_open(&mut self, key: &KeyEvent) -> bool {
        let shown = self.filtered().len();
        let last = shown.saturating_sub(1);
        match key.code {
            KeyCode::Esc => self.close(),
            KeyCode::Enter => {
                if let Some(&picked) = self.filtered().get(self.highlight) {
                    self.selected = Some(picked);
                    self.close();
                }
            }
            KeyCode::Tab | KeyCode::BackTab => {
                self.close();
                return false;
            }
            KeyCode::Up => self.highlight = self.highlight.saturating_sub(1),
            KeyCode::Down => self.highlight = (self.highlight + 1).min(last),
            KeyCode::PageUp => self.highlight = self.highlight.saturating_sub(MAX_ROWS),
            KeyCode::PageDown => self.highlight = (self.highlight + MAX_ROWS).min(last),
            KeyCode::Home => self.highlight = 0,
            KeyCode::End => self.highlight = last,
            KeyCode::Backspace => {
                self.filter.pop();
                self.highlight = 0;
            }
            KeyCode::Char('u') if key.modifiers == KeyModifiers::CONTROL => {
                self.filter.clear();
                self.highlight = 0;
            }
            _ => match typed_char(key) {
                Some(c) => self.push_filter(c),
                None => return !key.modifiers.contains(KeyModifiers::CONTROL),
            },
        }
        true
    }

    fn push_filter(&mut self, c: char) {
        self.filter.push(c);
        self.highlight = 0;
    }

    /// Draws the field (label, chosen option, error). Draw the dropdown with
    /// [`Choice::render_popup`] after every other field, so that it lies on top.
    pub fn render(&self, frame: &mut Frame, area: Rect, focused: bool, theme: &Theme) {
        self.draw(frame.buffer_mut(), area, focused, theme);
    }

    pub fn draw(&self, buf: &mut Buffer, area: Rect, focused: bool, theme: &Theme) {
        let area = area.intersection(buf.area);
        let (label_row, value_row, error_row) = field_rows(area);
        if let Some(row) = label_row {
            draw_line(buf, row, row.y, &label_line(self.label, "", focused, theme));
        }
        if let (Some(row), Some(error)) = (error_row, &self.error) {
            draw_error(buf, area, row.y, error, theme);
        }
        let Some(row) = value_row else { return };
        let area = value_box(row, theme);
        let style = if focused {
            theme.input_focused
        } else {
            theme.input
        };
        buf.set_style(area, style);
        let arrow = if area.width > 2 { " ▾" } else { "" };
        let room = usize::from(area.width).saturating_sub(arrow.width());
        let (text, text_style) = match self.selected_label() {
            Some(label) => (display(label), style),
            None => ("choose…".into(), style.patch(theme.muted)),
        };
        let line = Line::from(vec![
            Span::styled(fit(&text, room), text_style),
            Span::styled(arrow, style),
        ]);
        draw_line(buf, area, area.y, &line);
    }

    /// Draws the open dropdown under (or, when there is no room, over) the field drawn in
    /// `field_area`, inside the frame, and places the cursor at the end of the filter.
    pub fn render_popup(&self, frame: &mut Frame, field_area: Rect, theme: &Theme) {
        let bounds = frame.area();
        if let Some(position) = self.draw_popup(frame.buffer_mut(), field_area, bounds, theme) {
            frame.set_cursor_position(position);
        }
    }

    /// Draws the open dropdown inside `bounds`; returns where the cursor belongs.
    pub fn draw_popup(
        &self,
        buf: &mut Buffer,
        field_area: Rect,
        bounds: Rect,
        theme: &Theme,
    ) -> Option<Position> {
        if !self.open {
            return None;
        }
        let shown = self.filtered();
        let popup = self.popup_area(field_area, bounds.intersection(buf.area), shown.len());
        if popup.is_empty() {
            return None;
        }
        Clear.render(popup, buf);
        let count = format!("{} of {}", shown.len(), self.options.len());
        let block = Block::bordered()
            .border_style(theme.modal_border)
            .title(Span::styled(display(self.label).into_owned(), theme.title))
            .title_bottom(Span::styled(count, theme.muted));
        let inner = block.inner(popup);
        block.render(popup, buf);
        if inner.is_empty() {
            return None;
        }
        let filter = display(&self.filter);
        let room = usize::from(inner.width).saturating_sub(2);
        let filter_line = Line::from(vec![
            Span::styled("/ ", theme.hint_key),
            Span::styled(tail(&filter, room).to_owned(), theme.input_focused),
        ]);
        let end = draw_line(buf, inner, inner.y, &filter_line);
        let rows = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
        self.draw_rows(buf, rows, &shown, theme);
        Some(Position::new(end.min(inner.right() - 1), inner.y))
    }

    fn draw_rows(&self, buf: &mut Buffer, rows: Rect, shown: &[usize], theme: &Theme) {
        if rows.is_empty() {
            return;
        }
        if shown.is_empty() {
            let line = Line::from(Span::styled("  no match", theme.muted));
            draw_line(buf, rows, rows.y, &line);
            return;
        }
        let height = usize::from(rows.height);
        let first = (self.highlight + 1).saturating_sub(height);
        let width = usize::from(rows.width);
        for (row, &option) in shown.iter().enumerate().skip(first).take(height) {
            let lit = row == self.highlight;
            let style = if lit {
                theme.table.selected
            } else {
                theme.table.row
            };
            let mark = theme.mark(theme.selection_symbol, lit);
            let room = width.saturating_sub(mark.width());
            let label = display(&self.options[option].1);
            let text = format!("{mark}{}", fit(&label, room));
            let y = rows.y + (row - first) as u16;
            draw_line(buf, rows, y, &Line::from(Span::styled(text, style)));
        }
    }

    /// Under the field's value row when it fits there (or there is more room there than above),
    /// else above the field; always inside `bounds`.
    fn popup_area(&self, field: Rect, bounds: Rect, shown: usize) -> Rect {
        let longest = self
            .options
            .iter()
            .map(|(_, l)| display(l).width())
            .max()
            .unwrap_or(0);
        let want_width = (longest + 4)
            .max(usize::from(field.width.saturating_sub(2)))
            .max(20);
        let width = want_width.min(usize::from(bounds.width)) as u16;
        let want_height = (shown.clamp(1, MAX_ROWS) + 3) as u16;
        let below = field.y.saturating_add(field.height.min(2)).max(bounds.y);
        let room_below = bounds.bottom().saturating_sub(below);
        let room_above = field.y.saturating_sub(bounds.y);
        let (y, height) = if room_below >= want_height || room_below >= room_above {
            (below, want_height.min(room_below))
        } else {
            let height = want_height.min(room_above);
            (field.y - height, height)
        };
        let x = field
            .x
            .saturating_add(2)
            .min(bounds.right().saturating_sub(width))
            .max(bounds.x);
        Rect::new(x, y, width, height).intersection(bounds)
    }
}

/// The character a key types, if it types one.
fn typed_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            (!c.is_control()).then_some(c)
        }
        _ => None,
    }
}

/// The end of `text` that fits in `width` columns, so the filter's last letters stay visible.
fn tail(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices().rev() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > width {
            return &text[i + c.len_utf8()..];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn countries() -> Choice<&'static str> {
        let names = ["Austria", "Australia", "Belgium", "Germany", "Switzerland"];
        let options = names.iter().map(|n| (*n, n.to_string())).collect();
        Choice::new("country", "Country", options)
    }

    #[test]
    fn typing_filters_and_enter_picks() {
        let mut choice = countries();
        assert!(choice.handle_key(&press(KeyCode::Char('A'))));
        assert!(choice.open);
        for c in "ust".chars() {
            choice.handle_key(&press(KeyCode::Char(c)));
        }
        assert_eq!(choice.filtered(), vec![0, 1]);
        choice.handle_key(&press(KeyCode::Down));
        choice.handle_key(&press(KeyCode::Enter));
        assert!(!choice.open);
        assert_eq!(choice.selected_value(), Some(&"Australia"));
    }

    #[test]
    fn esc_closes_without_change() {
        let mut choice = countries();
        choice.select_where(|c| *c == "Germany");
        choice.handle_key(&press(KeyCode::Char(' ')));
        assert_eq!(choice.highlight, 3);
        choice.handle_key(&press(KeyCode::Down));
        choice.handle_key(&press(KeyCode::Esc));
        assert!(!choice.open);
        assert_eq!(choice.selected_label(), Some("Germany"));
    }

    #[test]
    fn closed_leaves_navigation_and_ctrl_keys_to_the_form() {
        let mut choice = countries();
        assert!(!choice.handle_key(&press(KeyCode::Tab)));
        assert!(!choice.handle_key(&press(KeyCode::Down)));
        choice.open_list();
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(!choice.handle_key(&ctrl_c));
        assert!(!choice.handle_key(&press(KeyCode::Tab)));
        assert!(!choice.open);
    }

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("abcdef", 3), "def");
        assert_eq!(tail("日本語", 3), "語");
        assert_eq!(tail("ab", 0), "");
    }
}
