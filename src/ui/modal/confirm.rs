//! The y/N question and the message dialog.

use super::*;

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

    /// What an action answers: Yes yes; No, Confirm (Enter: the default) and Cancel no.
    fn answer_to(action: Option<Action>) -> Option<bool> {
        match action {
            Some(Action::Yes) => Some(true),
            Some(Action::No | Action::Confirm | Action::Cancel) => Some(false),
            _ => None,
        }
    }

    /// A centred box: the question broken to its width, then "y yes · n/Esc no".
    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
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

    /// Confirm or Cancel closes it.
    fn answer(action: Option<Action>) -> Effect {
        match action {
            Some(Action::Confirm | Action::Cancel) => Effect::Answered(false),
            _ => Effect::Ignored,
        }
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
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

impl<A> Component for Confirm<A> {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
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
    fn render(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        theme: &crate::theme::Theme,
        keymap: &crate::keymap::Keymap,
    ) {
        self.draw(frame, area, theme, keymap);
    }
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
