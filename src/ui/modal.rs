//! Dialogs: a typed confirmation for destructive actions, a y/N question and a message.
//!
//! A dialog carries the action it will run (its type parameter), so the screen that opened it
//! runs exactly what the operator confirmed, in one line. An open dialog takes every key before
//! the screen under it. Drawing never panics at any size and never wraps untrusted text with
//! `Paragraph::wrap`: text goes through [`display`] and is broken and cut by display width here.
//!
//! Each dialog is a [`Component`]: it reads the action the app looked up in its contexts and
//! answers [`Effect::Answered`] when it closes. The older `handle_key(key, keymap)` methods
//! (a [`DialogOutcome`]) look the key up themselves, for the screens not yet passing actions.

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

/// What the customer's Delete dialog runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    /// Delete the customer if it is still at `version`.
    DeleteCustomer { id: Id, version: i64, name: String },
    /// Open the sub-integrator's Customers sub-tab (from the refusal to delete it).
    ShowCustomers,
}

/// What a key did to a dialog that runs an `A` when confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome<A> {
    /// The dialog used the key and stays open.
    Consumed,
    /// The dialog has no use for the key (Ctrl-C, say); it stays open.
    Ignored,
    /// Closed without doing anything.
    Closed,
    /// The operator confirmed: run this.
    Confirmed(A),
}

impl<A> DialogOutcome<A> {
    /// True when the dialog is answered and must close.
    pub fn closes(&self) -> bool {
        matches!(self, Self::Closed | Self::Confirmed(_))
    }

    /// What a dialog's [`Effect`] means, `action` being what it carries.
    pub fn of(effect: &Effect, action: impl FnOnce() -> A) -> Self {
        match effect {
            Effect::Answered(true) => Self::Confirmed(action()),
            Effect::Answered(false) => Self::Closed,
            Effect::Ignored => Self::Ignored,
            _ => Self::Consumed,
        }
    }
}

/// A destructive action the operator confirms by typing a word exactly (`Delete`).
#[derive(Debug, Clone)]
pub struct TypedConfirm<A> {
    pub title: String,
    /// Paragraphs of the explanation; wrapped to the dialog's width when drawn.
    pub paragraphs: Vec<String>,
    /// The word to type, case-sensitive and exact.
    pub word: &'static str,
    /// Label of the confirm button.
    pub button: &'static str,
    pub input: TextField,
    /// What Enter says while the word is not typed yet.
    pub reminder_text: &'static str,
    /// Shown after Enter while the word is not typed yet.
    pub reminder: Option<String>,
    pub action: A,
}

/// Reminder shown when Enter is pressed before `Delete` is typed.
pub const DELETE_REMINDER: &str = "Type Delete exactly (capital D) to confirm";

impl TypedConfirm<ConfirmAction> {
    /// The Delete dialog of PRODUCT.md §2: names the customer and what will happen.
    pub fn delete_customer(customer: &Customer, impact: &DeleteImpact) -> Self {
        let name = customer.name().to_string();
        Self {
            title: "Delete customer".into(),
            paragraphs: vec![
                format!("Delete {name}?"),
                format!(
                    "{} will be returned to the inventory, {} and {} removed. The customer is \
                     archived and can be restored from the Audit Log.",
                    count_of(impact.cameras, "camera", "cameras"),
                    count_of(impact.users, "user", "users"),
                    count_of(impact.roles, "role", "roles"),
                ),
            ],
            word: "Delete",
            button: "Delete",
            input: TextField::new("confirm", "Type Delete to confirm:").max_chars(40),
            reminder_text: DELETE_REMINDER,
            reminder: None,
            action: ConfirmAction::DeleteCustomer {
                id: customer.id,
                version: customer.version,
                name,
            },
        }
    }
}

impl<A: Clone> TypedConfirm<A> {
    /// True once the word is typed exactly; only then does Enter confirm.
    pub fn is_armed(&self) -> bool {
        self.input.value() == self.word
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> DialogOutcome<A> {
        let action = keymap.lookup_in(&Self::CONTEXTS, key);
        let effect = self.answer(key, action);
        DialogOutcome::of(&effect, || self.action.clone())
    }

    pub fn handle_paste(&mut self, text: &str) {
        self.input.insert_str(text);
        self.reminder = None;
    }
}

impl<A> TypedConfirm<A> {
    const CONTEXTS: [KeyContext; 1] = [KeyContext::Modal];

    /// Cancel closes; Confirm runs the action once the word is typed, else reminds; any other
    /// key edits the word.
    fn answer(&mut self, key: &KeyEvent, action: Option<Action>) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        match action {
            Some(Action::Cancel) => return Effect::Answered(false),
            Some(Action::Confirm) if self.input.value() == self.word => {
                return Effect::Answered(true);
            }
            Some(Action::Confirm) => {
                self.reminder = Some(self.reminder_text.to_owned());
                return Effect::Done;
            }
            _ => {}
        }
        if self.input.handle_key(key) {
            self.reminder = None;
            Effect::Done
        } else {
            Effect::Ignored
        }
    }
}

impl<A: Clone> TypedConfirm<A> {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let width = dialog_width(area);
        let inner_width = usize::from(width.saturating_sub(4));
        let body = wrap_paragraphs(&self.paragraphs, inner_width);
        // Body, blank, field label and value, reminder, buttons.
        let wanted = body.len() as u16 + 5;
        let Some(inner) = popup_frame(frame, area, width, wanted, &self.title, theme.error) else {
            return;
        };
        let buf_rows = inner.height;
        // The input, reminder and buttons matter most: the body gives way first.
        let fixed = 4.min(buf_rows);
        let body_rows = (buf_rows - fixed).min(body.len() as u16 + 1);
        let buf = frame.buffer_mut();
        for (i, text) in body.iter().take(usize::from(body_rows)).enumerate() {
            let style = if i == 0 { theme.title } else { Style::new() };
            draw_line(
                buf,
                inner,
                inner.y + i as u16,
                &Line::styled(text.clone(), style),
            );
        }
        let mut y = inner.y + body_rows;
        let field_rows = 2.min(inner.bottom().saturating_sub(y));
        let field = Rect::new(inner.x, y, inner.width, field_rows);
        y += field_rows;
        if let Some(reminder) = &self.reminder {
            let line = Line::from(vec![
                Span::styled(theme.danger_symbol, theme.error),
                Span::styled(
                    clip(&display(reminder), inner_width).into_owned(),
                    theme.error,
                ),
            ]);
            draw_line(buf, inner, y, &line);
        }
        y += 1;
        let (style, mark) = if self.is_armed() {
            (theme.button_danger, theme.danger_symbol)
        } else {
            (theme.muted, "")
        };
        let line = Line::from(vec![
            Span::styled(format!("{mark}[ {} ]", self.button), style),
            Span::raw("  "),
            Span::styled(key_hint(keymap, Action::Cancel), theme.muted),
        ]);
        draw_line(buf, inner, y, &line);
        let cursor = self.input.draw(buf, field, true, theme);
        if let Some(position) = cursor.filter(|p| inside(inner, *p)) {
            frame.set_cursor_position(position);
        }
    }
}

/// Where a [`Confirm`]'s answers are looked up.
const CONFIRM_CONTEXTS: [KeyContext; 2] = [KeyContext::Question, KeyContext::Modal];

/// A y/N question that carries the action it runs: `y` answers yes; `n`, Enter (the default,
/// No) and the Cancel keys answer no; any other key is swallowed while it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm<A> {
    pub title: String,
    /// The question in paragraphs, each made safe and wrapped when drawn.
    pub paragraphs: Vec<String>,
    pub action: A,
    /// The first paragraph is a headline, drawn in the title style.
    headline: bool,
    /// What `y` and `n` do, as the footer says it.
    yes: &'static str,
    no: &'static str,
}

impl<A> Confirm<A> {
    /// A one-paragraph question: "y yes · n/Esc no".
    pub fn new(title: impl Into<String>, text: impl Into<String>, action: A) -> Self {
        Self {
            title: title.into(),
            paragraphs: vec![text.into()],
            action,
            headline: false,
            yes: "yes",
            no: "no",
        }
    }

    /// A question in paragraphs, the first a headline, and what `y` and `n` do in the footer.
    pub fn headlined(
        title: impl Into<String>,
        paragraphs: Vec<String>,
        action: A,
        yes: &'static str,
        no: &'static str,
    ) -> Self {
        Self {
            title: title.into(),
            paragraphs,
            action,
            headline: true,
            yes,
            no,
        }
    }

    /// What `key` answers: `Some(true)` yes, `Some(false)` no, `None` for a key that answers
    /// nothing.
    pub fn answer(&self, key: &KeyEvent, keymap: &Keymap) -> Option<bool> {
        Self::answer_to(keymap.lookup_in(&CONFIRM_CONTEXTS, key))
    }

    /// What an action answers: Yes yes; No, Confirm (Enter: the default) and Cancel no.
    fn answer_to(action: Option<Action>) -> Option<bool> {
        match action {
            Some(Action::Yes) => Some(true),
            Some(Action::No | Action::Confirm | Action::Cancel) => Some(false),
            _ => None,
        }
    }

    /// A centred box: the question broken to its width, then "y yes · n/Esc no".
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let body = wrap_paragraphs(&self.paragraphs, dialog_text_width(area));
        let first = |ctx, action| keymap.keys_for(ctx, action).into_iter().take(1);
        let yes = first(KeyContext::Question, Action::Yes).map(|k| k.to_string());
        let no = first(KeyContext::Question, Action::No)
            .chain(keymap.keys_for(KeyContext::Modal, Action::Cancel))
            .map(|k| k.to_string());
        let footer = format!(
            "{} {} · {} {}",
            yes.collect::<String>(),
            self.yes,
            no.collect::<Vec<_>>().join("/"),
            self.no
        );
        let headline = self.headline.then_some(theme.title);
        render_box(
            frame,
            area,
            &self.title,
            &body,
            headline,
            Line::styled(footer, theme.muted),
            theme.modal_border,
        );
    }
}

impl<A: Clone> Confirm<A> {
    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> DialogOutcome<A> {
        match self.answer(key, keymap) {
            Some(true) => DialogOutcome::Confirmed(self.action.clone()),
            Some(false) => DialogOutcome::Closed,
            None => DialogOutcome::Ignored,
        }
    }
}

/// A message with a title; Enter or Esc closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDialog {
    pub title: String,
    pub text: String,
}

impl MessageDialog {
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            text: text.into(),
        }
    }

    pub fn handle_key<A>(&mut self, key: &KeyEvent, keymap: &Keymap) -> DialogOutcome<A> {
        let action = keymap.lookup_in(&[KeyContext::Modal], key);
        match Self::answer(action) {
            Effect::Answered(_) => DialogOutcome::Closed,
            _ => DialogOutcome::Ignored,
        }
    }

    /// Confirm or Cancel closes it.
    fn answer(action: Option<Action>) -> Effect {
        match action {
            Some(Action::Confirm | Action::Cancel) => Effect::Answered(false),
            _ => Effect::Ignored,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let keys = [Action::Confirm, Action::Cancel]
            .into_iter()
            .map(|a| keys_of(keymap, a))
            .filter(|k| !k.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        let footer = format!("{keys} to close");
        render_text_dialog(
            frame,
            area,
            theme,
            &self.title,
            &self.text,
            &footer,
            theme.modal_border,
        );
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
    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> DialogOutcome<A> {
        match self {
            Self::Typed(d) => d.handle_key(key, keymap),
            Self::Confirm(d) => d.handle_key(key, keymap),
            Self::Message(d) => d.handle_key(key, keymap),
        }
    }

    /// Pasted text goes into the typed confirmation's input; other dialogs ignore it.
    pub fn handle_paste(&mut self, text: &str) {
        if let Self::Typed(d) = self {
            d.handle_paste(text);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        match self {
            Self::Typed(d) => d.render(frame, area, theme, keymap),
            Self::Confirm(d) => d.render(frame, area, theme, keymap),
            Self::Message(d) => d.render(frame, area, theme, keymap),
        }
    }
}

/// Gives `key` to the dialog open in `slot` and closes it once answered, so a screen confirms in
/// one line: `if let DialogOutcome::Confirmed(op) = answer(&mut self.dialog, ..) { run(op) }`.
pub fn answer<A: Clone>(
    slot: &mut Option<Dialog<A>>,
    key: &KeyEvent,
    keymap: &Keymap,
) -> DialogOutcome<A> {
    let Some(dialog) = slot else {
        return DialogOutcome::Ignored;
    };
    let outcome = dialog.handle_key(key, keymap);
    if outcome.closes() {
        *slot = None;
    }
    outcome
}

impl<A> Component for TypedConfirm<A> {
    fn contexts(&self) -> Vec<KeyContext> {
        Self::CONTEXTS.to_vec()
    }
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        self.answer(key, action)
    }
    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        self.input.insert_str(text);
        self.reminder = None;
        Effect::Done
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (self.contexts(), vec![Action::Cancel])
    }
}

impl<A> Component for Confirm<A> {
    fn contexts(&self) -> Vec<KeyContext> {
        CONFIRM_CONTEXTS.to_vec()
    }
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        Self::answer_to(action).map_or(Effect::Ignored, Effect::Answered)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (self.contexts(), vec![Action::Cancel])
    }
}

impl Component for MessageDialog {
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Modal]
    }
    fn handle_key(&mut self, _key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        Self::answer(action)
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (self.contexts(), vec![Action::Cancel])
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
}

impl<A> Component for Dialog<A> {
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

fn render_text_dialog(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    text: &str,
    footer: &str,
    border: Style,
) {
    let body = wrap(&display(text), dialog_text_width(area));
    let footer = Line::styled(footer.to_owned(), theme.muted);
    render_box(frame, area, title, &body, None, footer, border);
}

/// A centred dialog box of sanitised `body` lines (the first in `headline` style when given), a
/// blank row and the `footer` line.
pub(crate) fn render_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    body: &[String],
    headline: Option<Style>,
    footer: Line<'static>,
    border: Style,
) {
    let width = dialog_width(area);
    let wanted = body.len() as u16 + 2;
    let Some(inner) = popup_frame(frame, area, width, wanted, title, border) else {
        return;
    };
    let buf = frame.buffer_mut();
    let body_rows = inner.height.saturating_sub(2);
    for (i, line) in body.iter().take(usize::from(body_rows)).enumerate() {
        let style = headline.filter(|_| i == 0).unwrap_or_default();
        draw_line(
            buf,
            inner,
            inner.y + i as u16,
            &Line::styled(line.clone(), style),
        );
    }
    draw_line(buf, inner, inner.bottom().saturating_sub(1), &footer);
}

/// How wide the text inside a dialog in `area` may be.
pub(crate) fn dialog_text_width(area: Rect) -> usize {
    usize::from(dialog_width(area).saturating_sub(4))
}

/// Width of a dialog in `area`: 64 columns at most, two columns of margin when there is room.
fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).clamp(area.width.min(20), 64)
}

fn inside(area: Rect, p: Position) -> bool {
    area.contains(p)
}

/// "Esc cancel" from the key map, so the dialog never names a key that does not work.
fn key_hint(keymap: &Keymap, action: Action) -> String {
    let keys = keys_of(keymap, action);
    if keys.is_empty() {
        String::new()
    } else {
        format!("{keys} {}", action.label())
    }
}

fn keys_of(keymap: &Keymap, action: Action) -> String {
    keymap
        .keys_for(KeyContext::Modal, action)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

/// "1 camera", "3 cameras".
pub fn count_of(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Sanitised paragraphs broken to `width`, a blank line between them.
pub(crate) fn wrap_paragraphs(paragraphs: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        out.extend(wrap(&display(p), width));
    }
    out
}

/// Breaks already sanitised `text` into lines of at most `width` display columns, at spaces when
/// it can and inside a word when a word is wider than a line. Never panics; `width` 0 gives no
/// lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if width == 0 {
        return lines;
    }
    for source in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in source.split(' ') {
            let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
            let gap = usize::from(!line.is_empty());
            if used + gap + w <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                used += gap + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                if cw <= width {
                    line.push(c);
                    used += cw;
                }
            }
        }
        lines.push(line);
    }
    lines
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
            assert_eq!(dialog.handle_key(&enter, &keymap), DialogOutcome::Consumed);
            assert_eq!(dialog.reminder.as_deref(), Some(DELETE_REMINDER));
        }
        dialog.input.set_value("Delete");
        assert!(dialog.is_armed());
    }
}
