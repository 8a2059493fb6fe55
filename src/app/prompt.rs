//! The questions the app itself asks on the hint line: quit with unsaved input, and the
//! operator's saved wizard draft at start-up. Their answers are actions of the key map.

use super::App;
use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::ui::component::{Effect, Flash};

/// A question the app itself asks, over whatever screen is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Prompt {
    /// Quit was asked while a form had unsaved input.
    Quit,
    /// The operator has a saved wizard draft: resume it?
    ResumeDraft(String),
    /// `d` at the draft prompt: discard it for good? (It drops everything typed.)
    DiscardDraft(String),
}

impl Prompt {
    /// Where its answers are looked up, as a component's contexts are.
    pub(super) fn contexts(&self) -> Vec<KeyContext> {
        match self {
            Self::Quit | Self::DiscardDraft(_) => vec![KeyContext::Question],
            Self::ResumeDraft(_) => vec![KeyContext::Question, KeyContext::Modal, KeyContext::List],
        }
    }

    /// The question on the hint line, naming the keys the key map gives its answers.
    pub(super) fn text(&self, keymap: &Keymap) -> String {
        let key = |ctx, action| {
            keymap
                .keys_for(ctx, action)
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        };
        let discard = key(KeyContext::Question, Action::Discard);
        match self {
            // "N": any other key answers no.
            Self::Quit => format!(
                "A form has unsaved input. Quit anyway? {}/N",
                key(KeyContext::Question, Action::Yes)
            ),
            Self::ResumeDraft(summary) => format!(
                "{}/{} resume · {discard} discard · {} later: draft {summary}",
                key(KeyContext::Modal, Action::Confirm),
                key(KeyContext::List, Action::Add),
                key(KeyContext::Modal, Action::Cancel),
            ),
            Self::DiscardDraft(summary) => {
                format!("{discard} discard for good · any other key back: draft {summary}")
            }
        }
    }
}

impl App {
    pub(super) fn answer_prompt(&mut self, prompt: Prompt, action: Option<Action>) {
        match prompt {
            Prompt::Quit => {
                if action == Some(Action::Yes) {
                    // Ctrl-C or q, then y: the draft keeps every character, as on SIGTERM.
                    self.save_wizard_draft();
                    self.quit = true;
                } else {
                    self.flash = Some(Flash::info("Still here: nothing was lost"));
                }
            }
            Prompt::DiscardDraft(summary) => self.answer_discard(summary, action),
            Prompt::ResumeDraft(summary) => match action {
                // `a` (add) too: the operator who means to add a customer gets the draft at once.
                Some(Action::Confirm | Action::Yes | Action::Resume | Action::Add) => {
                    self.apply(Effect::OpenWizard { resume: true })
                }
                // Asked once more, as the wizard's own `d` is.
                Some(Action::Discard) => self.prompt = Some(Prompt::DiscardDraft(summary)),
                _ => {
                    self.flash = Some(Flash::info("Draft kept: press a on Customers to resume it"))
                }
            },
        }
    }

    /// The second question of a discard at start-up: Discard again drops the draft, any other
    /// key goes back to the resume question.
    pub(super) fn answer_discard(&mut self, summary: String, action: Option<Action>) {
        if action != Some(Action::Discard) {
            self.prompt = Some(Prompt::ResumeDraft(summary));
            return;
        }
        match self.env.store.discard_draft(&self.env.operator.login) {
            Ok(()) => self.flash = Some(Flash::info("Draft discarded")),
            Err(e) => self.flash = Some(Flash::error(e.to_string())),
        }
    }

    pub(super) fn ask_quit(&mut self) {
        if self.form_dirty() {
            self.prompt = Some(Prompt::Quit);
        } else {
            self.quit = true;
        }
    }
}
