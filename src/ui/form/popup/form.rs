//! The stateful popup form of the Cameras and Plans tabs and the wizard's cameras step: one row
//! per field (label, then value), the error under its field, a notice for problems of no one
//! field, and Esc asking before it throws typed input away. A [`Component`]: it takes the
//! action its parent was handed and answers [`Effect::Answered`]`(true)` when the operator asks
//! to save (Ctrl-S, or Enter on the last field; the parent checks and writes, and keeps the
//! form open on a problem), `Answered(false)` when it closes unsaved, and [`Effect::Ignored`]
//! for the app's Quit (Ctrl-C), which the app then asks about.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{FormRow, Layout, draw_popup, form_footer};
use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::TextField;
use crate::ui::help::hint_line;
use crate::ui::modal::Confirm;

/// One field of a [`PopupForm`].
pub(crate) enum FormField {
    Text(TextField),
    /// One of a few options, changed with Space or Left/Right.
    Radio {
        key: &'static str,
        label: &'static str,
        options: &'static [&'static str],
        selected: usize,
    },
}

impl FormField {
    fn key(&self) -> &'static str {
        match self {
            Self::Text(t) => t.key,
            Self::Radio { key, .. } => key,
        }
    }

    fn state(&self) -> String {
        match self {
            Self::Text(t) => t.value().to_string(),
            Self::Radio { selected, .. } => selected.to_string(),
        }
    }
}

/// A popup form: one row per field (label, then value), the error under its field, a notice
/// for problems of no one field, and Esc asking before it throws typed input away.
pub(crate) struct PopupForm {
    pub(crate) title: String,
    pub(crate) fields: Vec<FormField>,
    pub(crate) errors: Vec<Option<String>>,
    pub(crate) focus: usize,
    /// A problem that is not about one field (another operator's change).
    pub(crate) notice: Option<String>,
    /// Esc on a changed form: waiting for y/N.
    asking_discard: bool,
    /// Esc on a changed form asks before it throws typed input away (else it closes).
    pub(crate) asks_discard: bool,
    /// The footer names Ctrl-S with this word instead of marking a changed form.
    pub(crate) save_word: Option<&'static str>,
    original: Vec<String>,
}

/// The key map contexts of the discard question.
const DISCARD_CONTEXTS: [KeyContext; 2] = [KeyContext::Question, KeyContext::Modal];

impl Component for PopupForm {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        if self.asking_discard {
            DISCARD_CONTEXTS.to_vec()
        } else {
            vec![KeyContext::Form]
        }
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        if self.asking_discard {
            self.asking_discard = false;
            return if action == Some(Action::Yes) {
                Effect::Answered(false)
            } else {
                Effect::Done
            };
        }
        match action {
            Some(Action::Quit) => return Effect::Ignored,
            Some(Action::Save) => return Effect::Answered(true),
            Some(Action::Cancel) => {
                if self.asks_discard && self.is_dirty() {
                    self.asking_discard = true;
                    return Effect::Done;
                }
                return Effect::Answered(false);
            }
            _ => {}
        }
        let focus = self.focus;
        if self.field_key(key, action) {
            self.errors[focus] = None;
            return Effect::Done;
        }
        let len = self.fields.len().max(1);
        match action {
            Some(Action::NextField) => self.focus = (self.focus + 1) % len,
            Some(Action::PrevField) => self.focus = (self.focus + len - 1) % len,
            Some(Action::Submit) if self.focus + 1 >= self.fields.len() => {
                return Effect::Answered(true);
            }
            Some(Action::Submit) => self.focus += 1,
            _ => {}
        }
        Effect::Done
    }

    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        self.paste(text);
        Effect::Done
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        PopupForm::hint(self)
    }

    fn is_dirty(&self) -> bool {
        PopupForm::is_dirty(self)
    }
}

impl PopupForm {
    pub(crate) fn new(title: String, fields: Vec<FormField>) -> Self {
        let original = fields.iter().map(FormField::state).collect();
        Self {
            title,
            errors: vec![None; fields.len()],
            fields,
            focus: 0,
            notice: None,
            asking_discard: false,
            asks_discard: true,
            save_word: None,
            original,
        }
    }

    pub(crate) fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(FormField::state)
            .ne(self.original.iter().cloned())
    }

    /// The value of a text field, "" when there is none with this key.
    pub(crate) fn text(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find_map(|f| match f {
                FormField::Text(t) if t.key == key => Some(t.value()),
                _ => None,
            })
            .unwrap_or("")
    }

    /// Replaces the value of a text field when it differs.
    pub(crate) fn set_text(&mut self, key: &str, value: &str) {
        for f in &mut self.fields {
            if let FormField::Text(t) = f
                && t.key == key
                && t.value() != value
            {
                t.set_value(value);
            }
        }
    }

    /// The option chosen in a radio field, 0 when there is none with this key.
    pub(crate) fn radio(&self, key: &str) -> usize {
        self.fields
            .iter()
            .find_map(|f| match f {
                FormField::Radio {
                    key: k, selected, ..
                } if *k == key => Some(*selected),
                _ => None,
            })
            .unwrap_or(0)
    }

    pub(crate) fn clear_errors(&mut self) {
        self.errors.iter_mut().for_each(|e| *e = None);
        self.notice = None;
    }

    /// Puts `message` under the field `key` (the first message wins) and focuses the first
    /// field with a problem.
    pub(crate) fn set_error(&mut self, key: &str, message: String) {
        if let Some(i) = self.fields.iter().position(|f| f.key() == key) {
            self.errors[i].get_or_insert(message);
        } else {
            self.notice.get_or_insert(message);
        }
        if let Some(first) = self.errors.iter().position(Option::is_some) {
            self.focus = first;
        }
    }

    pub(crate) fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.asking_discard {
            return (vec![KeyContext::Modal], vec![Action::Cancel]);
        }
        (
            vec![KeyContext::Form],
            vec![
                Action::NextField,
                Action::Submit,
                Action::Save,
                Action::Cancel,
            ],
        )
    }

    fn paste(&mut self, text: &str) {
        if self.asking_discard {
            return;
        }
        if let Some(FormField::Text(t)) = self.fields.get_mut(self.focus) {
            t.insert_str(text);
            self.errors[self.focus] = None;
        }
    }

    /// `action` on the focused field: true when the field used it.
    fn field_key(&mut self, key: &KeyEvent, action: Option<Action>) -> bool {
        match self.fields.get_mut(self.focus) {
            Some(FormField::Text(t)) => t.handle_key(key),
            Some(FormField::Radio {
                options, selected, ..
            }) => {
                let n = options.len().max(1);
                // The focused choice reads Left/Right (and h/l) itself, as a text field reads
                // its keys.
                let step = match key.code {
                    KeyCode::Left | KeyCode::Char('h') => Some(n - 1),
                    KeyCode::Right | KeyCode::Char('l') => Some(1),
                    _ if action == Some(Action::Toggle) => Some(1),
                    _ => None,
                };
                if let Some(step) = step {
                    *selected = (*selected + step) % n;
                }
                step.is_some()
            }
            None => false,
        }
    }

    fn footer(&self, theme: &Theme, keymap: &Keymap) -> Line<'static> {
        if let Some(word) = self.save_word {
            return form_footer(keymap, theme, false, word);
        }
        let mut footer = hint_line(
            keymap,
            &[KeyContext::Form],
            &[Action::NextField, Action::Save, Action::Cancel],
            theme,
        );
        if self.is_dirty() {
            footer
                .spans
                .insert(0, Span::styled("• changed  ", theme.warning));
        }
        footer
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let mut rows = Vec::new();
        if let Some(notice) = &self.notice {
            rows.push(FormRow::Error(notice.clone()));
        }
        for (i, f) in self.fields.iter().enumerate() {
            // The discard question has the focus while it is open.
            let focused = i == self.focus && !self.asking_discard;
            rows.push(match f {
                FormField::Text(field) => FormRow::Text { field, focused },
                FormField::Radio {
                    label,
                    options,
                    selected,
                    ..
                } => FormRow::Radio {
                    label,
                    options,
                    selected: *selected,
                    focused,
                    locked: false,
                },
            });
            if let Some(e) = &self.errors[i] {
                rows.push(FormRow::Error(e.clone()));
            }
        }
        let footer = self.footer(theme, keymap);
        draw_popup(
            frame,
            area,
            Layout::Inline,
            &self.title,
            &rows,
            footer,
            theme,
        );
        if self.asking_discard {
            let text = "Discard what you typed in this form?".to_string();
            Confirm::new("Discard changes", text, ()).render(frame, area, theme, keymap);
        }
    }
}
