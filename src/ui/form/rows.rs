//! What the role and user forms share: focus moving through their rows, a text field on some
//! rows that reads the raw key first, Enter going on (and saving on the last row where the
//! form's style says so), Ctrl-S saving and Esc cancelling. A [`RowForm`] over the
//! [`RowFields`] of a record is its [`Component`]: it answers [`Effect::Answered`]`(true)` when
//! the operator asks to save and `Answered(false)` when they cancel; checking and saving stay
//! with the form's parent.

use std::ops::{Deref, DerefMut};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::TextField;
use crate::ui::form::popup;
use crate::ui::help::hint_line;

/// What a popup form of rows says of itself (see the module doc).
pub(crate) trait RowFields {
    type Row: Copy + PartialEq;
    /// The rows focus moves through, in order; never empty.
    fn rows(&self) -> Vec<Self::Row>;
    fn focus_mut(&mut self) -> &mut Self::Row;
    /// Enter on the last row saves (else it wraps to the first).
    fn enter_saves(&self) -> bool;
    /// The text field of the focused row, if it is one.
    fn focused_field(&mut self) -> Option<&mut TextField>;
    /// The text field of `row` was edited: its message goes.
    fn edited(&mut self, row: Self::Row);
    /// A key the rows did not use: Toggle, or what the focused row reads itself.
    fn act(&mut self, key: &KeyEvent, action: Option<Action>);
    /// Draws the form over `area`.
    fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap);
}

/// The popup form over the fields `F`: the one [`Component`] of the role and user forms. It
/// reads as its fields (`form.errors`, `form.typed_role()`).
pub(crate) struct RowForm<F>(pub(crate) F);

impl<F> Deref for RowForm<F> {
    type Target = F;
    fn deref(&self) -> &F {
        &self.0
    }
}

impl<F> DerefMut for RowForm<F> {
    fn deref_mut(&mut self) -> &mut F {
        &mut self.0
    }
}

impl<F: RowFields> Component for RowForm<F> {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.0.draw(frame, area, theme, keymap);
    }

    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Form]
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        let focus = *self.0.focus_mut();
        if let Some(field) = self.0.focused_field()
            && field.handle_key(key)
        {
            self.0.edited(focus);
            return Effect::Done;
        }
        let rows = self.0.rows();
        let at = rows.iter().position(|r| *r == focus).unwrap_or(0);
        let last = at + 1 == rows.len();
        match action {
            Some(Action::Submit) if last && self.0.enter_saves() => return Effect::Answered(true),
            Some(Action::NextField | Action::Submit) => {
                *self.0.focus_mut() = rows[(at + 1) % rows.len()]
            }
            Some(Action::PrevField) => {
                *self.0.focus_mut() = rows[(at + rows.len() - 1) % rows.len()]
            }
            Some(Action::Save) => return Effect::Answered(true),
            Some(Action::Cancel) => return Effect::Answered(false),
            _ => self.0.act(key, action),
        }
        Effect::Done
    }

    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        match self.0.focused_field() {
            Some(field) => {
                field.insert_str(text);
                Effect::Done
            }
            None => Effect::Ignored,
        }
    }

    fn captures_text(&self) -> bool {
        true
    }

    /// Enter goes on (and saves on the last row) where it saves, else Ctrl-S saves.
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        let save = if self.0.enter_saves() {
            Action::Submit
        } else {
            Action::Save
        };
        (
            vec![KeyContext::Form],
            vec![
                Action::NextField,
                Action::PrevField,
                Action::Toggle,
                save,
                Action::Cancel,
            ],
        )
    }

    /// An open form holds what was typed.
    fn is_dirty(&self) -> bool {
        true
    }
}

/// The footer of a row form, from the key map: Enter and Ctrl-S where Enter saves, else
/// Ctrl-S.
pub(crate) fn form_footer(enter_saves: bool, keymap: &Keymap, theme: &Theme) -> Line<'static> {
    if enter_saves {
        return popup::form_footer(keymap, theme, true, "save");
    }
    hint_line(
        keymap,
        &[KeyContext::Form],
        &[
            Action::NextField,
            Action::Toggle,
            Action::Save,
            Action::Cancel,
        ],
        theme,
    )
}
