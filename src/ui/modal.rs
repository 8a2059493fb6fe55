//! Dialogs: a typed confirmation for destructive actions, a y/N question and a message.
//!
//! A dialog carries the action it will run (its type parameter), so the screen that opened it
//! runs exactly what the operator confirmed, in one line. An open dialog takes every key before
//! the screen under it. Drawing never panics at any size and never wraps untrusted text with
//! `Paragraph::wrap`: text goes through [`display`] and is broken and cut by display width here.
//!
//! Each dialog is a [`Component`]: it reads the action the app looked up in its contexts (its
//! screen names them: [`Component::contexts`] of the open dialog) and answers
//! [`Effect::Answered`] when it closes. [`answered`] and [`answer_in`] turn that answer into
//! what the screen runs.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::action::{Action, KeyContext};
use crate::domain::{Customer, DeleteImpact, Id};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::popup::popup_frame;
use crate::ui::form::{TextField, clip, display, draw_line};

mod confirm;
mod draw;
mod typed;

pub use confirm::{Confirm, MessageDialog};
pub use draw::{count_of, wrap};
pub(crate) use draw::{dialog_text_width, render_box, wrap_paragraphs};
use draw::{dialog_width, inside, key_hint, keys_of, render_text_dialog};
pub use typed::{DELETE_REMINDER, TypedConfirm};

/// What the customer's Delete dialog runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    /// Delete the customer if it is still at `version`.
    DeleteCustomer { id: Id, version: i64, name: String },
    /// Open the sub-integrator's Customers sub-tab (from the refusal to delete it).
    ShowCustomers,
}

/// Hands `key` and its `action` to the dialog `d` ([`Component::handle_key`]): `Some(true)`
/// once it is answered yes, `Some(false)` no (it closes either way), `None` while it stays open.
pub fn answered(
    d: &mut dyn Component,
    key: &KeyEvent,
    action: Option<Action>,
    ctx: &mut Ctx,
) -> Option<bool> {
    match d.handle_key(key, action, ctx) {
        Effect::Answered(yes) => Some(yes),
        _ => None,
    }
}

/// Hands `key` and its `action` to the dialog open in `slot` and closes it once answered, so a
/// screen confirms in one line: `if let (Some(op), _) = answer_in(&mut self.dialog, ..)`.
/// Gives the action it carries when confirmed, and the effect of the key otherwise:
/// [`Effect::Ignored`] when the dialog had no use for it (Ctrl-C, say), else [`Effect::Done`].
pub fn answer_in<A>(
    slot: &mut Option<Dialog<A>>,
    key: &KeyEvent,
    action: Option<Action>,
    ctx: &mut Ctx,
) -> (Option<A>, Effect) {
    let Some(dialog) = slot else {
        return (None, Effect::Ignored);
    };
    match dialog.handle_key(key, action, ctx) {
        Effect::Answered(yes) => {
            let carried = slot.take().and_then(Dialog::into_action);
            (carried.filter(|_| yes), Effect::Done)
        }
        Effect::Ignored => (None, Effect::Ignored),
        _ => (None, Effect::Done),
    }
}

/// Any open dialog of a screen, running an `A` when confirmed.
#[derive(Debug, Clone)]
pub enum Dialog<A> {
    Typed(Box<TypedConfirm<A>>),
    Confirm(Confirm<A>),
    Message(MessageDialog),
}

impl<A: Clone> Dialog<A> {
    /// Pasted text goes into the typed confirmation's input; other dialogs ignore it.
    pub fn handle_paste(&mut self, text: &str) {
        if let Self::Typed(d) = self {
            d.handle_paste(text);
        }
    }
}

impl<A> Dialog<A> {
    fn inner(&self) -> &dyn Component {
        match self {
            Self::Typed(d) => d.as_ref(),
            Self::Confirm(d) => d,
            Self::Message(d) => d,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Component {
        match self {
            Self::Typed(d) => d.as_mut(),
            Self::Confirm(d) => d,
            Self::Message(d) => d,
        }
    }

    /// The action it carries (a message carries none).
    pub fn action(&self) -> Option<&A> {
        match self {
            Self::Typed(d) => Some(&d.action),
            Self::Confirm(d) => Some(&d.action),
            Self::Message(_) => None,
        }
    }

    /// The action it carries, taken out of the closed dialog.
    pub fn into_action(self) -> Option<A> {
        match self {
            Self::Typed(d) => Some(d.action),
            Self::Confirm(d) => Some(d.action),
            Self::Message(_) => None,
        }
    }
}

impl<A> Component for Dialog<A> {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.inner().render(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        self.inner().contexts()
    }
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        self.inner_mut().handle_key(key, action, ctx)
    }
    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        self.inner_mut().handle_paste(text, ctx)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        self.inner().hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn wrap_breaks_at_spaces_and_inside_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("日本語", 3), ["日", "本", "語"]);
        assert_eq!(wrap("日本", 1), [""]);
        assert!(wrap("x", 0).is_empty());
    }

    #[test]
    fn only_the_exact_word_arms_the_delete() {
        let keymap = Keymap::default();
        let customer_json = serde_json::json!({
            "id": 1, "profile": crate::domain::CustomerProfile::default(), "status": "active",
            "disabled_by_parent": false, "version": 1, "created_at": "", "updated_at": ""
        });
        let customer: Customer = serde_json::from_value(customer_json).expect("customer");
        let mut dialog = TypedConfirm::delete_customer(&customer, &DeleteImpact::default());
        for word in ["delete", "DELETE", "Delete "] {
            dialog.input.set_value(word);
            assert!(!dialog.is_armed(), "{word:?}");
            let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
            let action = keymap.lookup_in(&dialog.contexts(), &enter);
            // What its Component::handle_key answers.
            assert_eq!(dialog.answer(&enter, action), Effect::Done);
            assert_eq!(dialog.reminder.as_deref(), Some(DELETE_REMINDER));
        }
        dialog.input.set_value("Delete");
        assert!(dialog.is_armed());
    }
}
