//! A checkbox: `[x] label`, toggled with Space.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{display, draw_line};
use crate::theme::Theme;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkbox {
    pub key: &'static str,
    pub label: &'static str,
    pub checked: bool,
    /// Why it cannot be changed now, shown beside it; `None` when it can.
    pub disabled: Option<String>,
}

impl Checkbox {
    pub fn new(key: &'static str, label: &'static str, checked: bool) -> Self {
        Self {
            key,
            label,
            checked,
            disabled: None,
        }
    }

    /// Flips the box unless it is disabled; returns whether it changed.
    pub fn toggle(&mut self) -> bool {
        if self.disabled.is_some() {
            return false;
        }
        self.checked = !self.checked;
        true
    }

    /// Space toggles; every other key is left to the form.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let space = key.code == KeyCode::Char(' ') && key.modifiers == KeyModifiers::NONE;
        if key.kind == KeyEventKind::Release || !space {
            return false;
        }
        self.toggle();
        true
    }

    pub fn height(&self) -> u16 {
        1
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, focused: bool, theme: &Theme) {
        if let Some(position) = self.draw(frame.buffer_mut(), area, focused, theme) {
            frame.set_cursor_position(position);
        }
    }

    /// Draws `▶ [x] label  (why disabled)` on the first row of `area`. Returns the cursor
    /// position (on the box) when focused, so that screen readers and terminals that show the
    /// cursor follow the focus.
    pub fn draw(
        &self,
        buf: &mut Buffer,
        area: Rect,
        focused: bool,
        theme: &Theme,
    ) -> Option<Position> {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return None;
        }
        let style = match (self.disabled.is_some(), focused) {
            (true, _) => theme.muted,
            (false, true) => theme.focus,
            (false, false) => theme.checkbox,
        };
        let mark = theme.mark(theme.focus_symbol, focused);
        let mut spans = vec![
            Span::styled(mark, theme.focus),
            Span::styled(if self.checked { "[x] " } else { "[ ] " }, style),
            Span::styled(display(self.label).into_owned(), style),
        ];
        if let Some(why) = &self.disabled {
            spans.push(Span::styled("  (", theme.muted));
            spans.push(Span::styled(display(why).into_owned(), theme.muted));
            spans.push(Span::styled(")", theme.muted));
        }
        draw_line(buf, area, area.y, &Line::from(spans).style(Style::new()));
        let x = area.x + (mark.chars().count() as u16 + 1).min(area.width - 1);
        focused.then_some(Position::new(x, area.y))
    }
}
