//! The one protocol between the app and what it shows: every screen, pane, wizard step and
//! dialog is a [`Component`]. The app hands it a [`Ctx`] and the key already looked up in the
//! key map ([`Component::contexts`]); it answers with an [`Effect`].

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::action::{Action, KeyContext};
use crate::domain::{Id, Operator};
use crate::keymap::Keymap;
use crate::store::Store;
use crate::theme::Theme;

/// What every screen is handed: nothing is read from a global.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub keymap: &'a Keymap,
    pub operator: &'a Operator,
    pub theme: &'static Theme,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashLevel {
    Info,
    Warning,
    Error,
}

/// A one-line message at the bottom that clears itself after a few seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub level: FlashLevel,
    pub text: String,
    pub at: Instant,
    /// Shown until the operator's first key instead of for [`Flash::LIFETIME`] (a line they
    /// must not miss, such as where a new store was created).
    pub until_key: bool,
    /// The summary of this wizard step's problems: brought up to date after each key, and gone
    /// once the step has none.
    pub step_check: Option<crate::ui::wizard::Step>,
}

impl Flash {
    pub const LIFETIME: Duration = Duration::from_secs(6);

    pub fn info(text: impl Into<String>) -> Self {
        Self::new(FlashLevel::Info, text)
    }
    pub fn warning(text: impl Into<String>) -> Self {
        Self::new(FlashLevel::Warning, text)
    }
    pub fn error(text: impl Into<String>) -> Self {
        Self::new(FlashLevel::Error, text)
    }
    fn new(level: FlashLevel, text: impl Into<String>) -> Self {
        Self {
            level,
            text: text.into(),
            at: Instant::now(),
            until_key: false,
            step_check: None,
        }
    }
    /// This flash summarises the problems of wizard step `step` (see [`Flash::step_check`]).
    pub fn step_check(mut self, step: crate::ui::wizard::Step) -> Self {
        self.step_check = Some(step);
        self
    }
    /// This flash stays until the first key.
    pub fn until_key(mut self) -> Self {
        self.until_key = true;
        self
    }
    pub fn expired(&self, now: Instant) -> bool {
        !self.until_key && now.duration_since(self.at) >= Self::LIFETIME
    }
}

/// What a screen asks of the app after handling an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The screen did not use the event; the app may try its own keys.
    Ignored,
    /// Used; nothing else to do.
    Done,
    Flash(Flash),
    /// Open the customer view on this customer.
    OpenCustomer(Id),
    /// Open the add-customer wizard (`resume`: from the operator's saved draft).
    OpenWizard {
        resume: bool,
    },
    /// Close the current screen and go back to the list, with an optional message.
    Back(Option<Flash>),
    /// A dialog opened: keys typed before it must be dropped, so auto-repeat cannot confirm it.
    DialogOpened,
    /// A customer was created, changed or deleted: lists must reload.
    Changed(Option<Flash>),
    /// Put this text on the operator's clipboard (OSC 52: works through SSH and tmux).
    Copy(String),
    Quit,
    /// A dialog was answered and closes: `true` to run what it carries (its parent reads it
    /// from the dialog, e.g. [`crate::ui::modal::Confirm::action`]), `false` to just close it.
    /// Meant for the dialog's parent; the app does nothing with it.
    Answered(bool),
}

/// What the app asks of whichever component has the keyboard.
pub trait Component {
    /// The key map contexts of the focused part, innermost first: the app looks a key up in
    /// them once and hands the result to [`Component::handle_key`].
    fn contexts(&self) -> Vec<KeyContext>;
    /// `action` is `key` looked up in [`Component::contexts`] (`None`: not bound there). Only a
    /// focused text field reads `key` itself. [`Effect::Ignored`] means "not used".
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect;
    fn handle_paste(&mut self, _text: &str, _ctx: &mut Ctx) -> Effect {
        Effect::Ignored
    }
    /// A text field, filter line, popup or dialog has focus: every key goes here first and
    /// single-letter global shortcuts must not fire.
    fn captures_text(&self) -> bool {
        false
    }
    /// The actions the hint line shows, and the key map contexts to find their keys in.
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>);
    /// Draws the component into `area`. Drawing reads nothing: what it shows was read on a key,
    /// a reload or in a `before_draw` the app calls first (lists fit their window there).
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap);
    /// Whether `action` would change the store here: the app's one read-only guard refuses it
    /// on a `--readonly` store before it reaches the component. Lists whose Enter opens an
    /// editor say so.
    fn is_write(&self, action: Action) -> bool {
        action.is_write()
    }
    /// Unsaved input that quitting would lose.
    fn is_dirty(&self) -> bool {
        false
    }
    /// Another operator (or this one, elsewhere) changed the store: read what is shown again,
    /// keeping selection and filter.
    fn reload(&mut self, _store: &Store) -> crate::store::Result<()> {
        Ok(())
    }
    /// A mouse click at (`column`, `row`): how far the clicked list row is from the selected
    /// one (0: the selected row), or `None` when no list row is there.
    fn clicked(&self, _column: u16, _row: u16) -> Option<i64> {
        None
    }
    /// Work of its own between keys (the wizard hashing passwords); the app applies the effect.
    fn tick(&mut self, _ctx: &mut Ctx) -> Effect {
        Effect::Ignored
    }
    /// Working between keys: the app wakes more often to show the progress.
    fn busy(&self) -> bool {
        false
    }
    /// Unsaved input saved where it outlives the process (the wizard's draft), before a quit
    /// or on a signal.
    fn save_draft(&mut self, _ctx: &mut Ctx) -> crate::store::Result<()> {
        Ok(())
    }
    /// That draft as it stands, (step, JSON), for the hang-up watchdog to save.
    fn draft_snapshot(&self) -> Option<(i64, String)> {
        None
    }
    /// The shown summary of wizard step `step`'s problems, brought up to date; `None` when that
    /// step is not shown any more or has no problem left (the summary goes).
    fn step_check(&mut self, _step: crate::ui::wizard::Step, _ctx: &mut Ctx) -> Option<String> {
        None
    }
    /// A tab key (`1`..`4`) while shown: `None` to leave at once, else the effect of asking
    /// (the wizard's leave prompt, or [`Effect::Back`] when it may close at once).
    fn leave_for_tab(&mut self) -> Option<Effect> {
        None
    }
    /// Another process committed: read again what [`Component::reload`] does not (a screen
    /// that needs the whole context); the app applies the effect.
    fn refresh(&mut self, _ctx: &mut Ctx) -> Effect {
        Effect::Ignored
    }
    /// The customer selected or shown, for the app's Copy.
    fn customer_id(&self) -> Option<Id> {
        None
    }
    /// From now on reading that overruns a key's time is left to [`Component::idle`].
    fn read_in_idle_time(&mut self) {}
    /// Reading is left over from the last key ("counting…").
    fn has_idle_work(&self) -> bool {
        false
    }
    /// One read of that work, abandoned as soon as `cancel` answers true; true when the screen
    /// must be drawn again.
    fn idle(&mut self, _store: &mut Store, _cancel: Box<dyn FnMut() -> bool + Send>) -> bool {
        false
    }
}
