//! The `/` filter line of a paged table: the text being typed while it has the focus.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Span;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::validate::{clean_paste, display};
use crate::theme::Theme;

#[derive(Debug, Default)]
pub struct FilterLine {
    /// `None` when the line is not focused.
    input: Option<Input>,
}

impl FilterLine {
    pub fn is_open(&self) -> bool {
        self.input.is_some()
    }

    /// Focuses the line holding `filter`.
    pub fn open(&mut self, filter: &str) {
        self.input = Some(Input::new(filter.to_string()));
    }

    pub fn close(&mut self) {
        self.input = None;
    }

    /// Edits the line with `key` (a character, Backspace, the cursor keys): the text typed when
    /// it changed.
    pub fn edit(&mut self, key: &KeyEvent) -> Option<String> {
        let input = self.input.as_mut()?;
        let change = input.handle_event(&Event::Key(*key))?;
        change.value.then(|| typed(input))
    }

    /// Pasted text goes on the end of the line, on one line: the text typed, or `None` when the
    /// line is not open.
    pub fn paste(&mut self, text: &str) -> Option<String> {
        let input = self.input.as_mut()?;
        let mut value = input.value().to_string();
        value.push_str(&clean_paste(text, false));
        *input = Input::new(value);
        Some(typed(input))
    }

    /// "   filter: /text▏" while typing, "   filter: /text" while `filter` applies, else nothing.
    pub fn spans(&self, filter: &str, theme: &Theme) -> Vec<Span<'static>> {
        if let Some(input) = &self.input {
            vec![
                Span::styled("   filter: /", theme.focus),
                Span::styled(display(input.value()).into_owned(), theme.input_focused),
                Span::styled("▏", theme.focus),
            ]
        } else if !filter.is_empty() {
            vec![
                Span::styled("   filter: /", theme.muted),
                Span::raw(display(filter).into_owned()),
            ]
        } else {
            Vec::new()
        }
    }
}

/// Whether `key` types a character into a focused text line (a letter, `j`, `/`) rather than
/// standing for the action it is bound to elsewhere: only the focused text field asks this.
pub fn types(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Control characters cannot be part of any stored text worth finding.
fn typed(input: &Input) -> String {
    input.value().chars().filter(|c| !c.is_control()).collect()
}
