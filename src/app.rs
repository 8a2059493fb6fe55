//! The app: owns the store, the key map and the screens of the four tabs; resolves each key
//! once and hands the action to the screen that has the keyboard; applies what it answers.
//! The loop is in [`run_loop`], the questions it asks in [`prompt`], the tabs in [`tabs`].

mod keys;
mod mouse;
mod prompt;
mod run_loop;
mod screens;
mod tabs;
mod timers;

use std::time::Instant;

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};

use crate::action::{Action, KeyContext};
use crate::domain::Operator;
use crate::keymap::Keymap;
use crate::store::Store;
use crate::theme::Theme;
use crate::ui;
use crate::ui::Tab;
use crate::ui::component::Component;
pub use crate::ui::component::{Ctx, Effect, Flash, FlashLevel};
use crate::ui::customers::CustomersScreen;
use crate::ui::help::HelpOverlay;
use crate::ui::wizard::draft_summary;
pub use keys::{actions_for, offer, press, resolve};
use prompt::Prompt;
use screens::Screens;

/// What a write key says on a `--readonly` store: the one refusal, given by the app before the
/// key reaches a screen.
pub const READ_ONLY: &str = "The store is open read-only (--readonly): nothing can be changed";

/// What every screen is handed, kept beside the screens so that both can be borrowed at once.
struct Env {
    store: Store,
    keymap: Keymap,
    operator: Operator,
    theme: &'static Theme,
}

impl Env {
    fn ctx(&mut self) -> Ctx<'_> {
        Ctx {
            store: &mut self.store,
            keymap: &self.keymap,
            operator: &self.operator,
            theme: self.theme,
        }
    }
}

pub struct App {
    env: Env,
    tab: Tab,
    screens: Screens,
    /// The help overlay, while open.
    help: Option<HelpOverlay>,
    prompt: Option<Prompt>,
    flash: Option<Flash>,
    quit: bool,
    /// Keys typed before a dialog opened are dropped.
    drain_input: bool,
    /// F12 panics (tests/crash.rs proves the terminal is restored after a panic).
    test_panic: bool,
    data_version: i64,
    last_poll: Instant,
    /// Something changed since the last draw.
    dirty: bool,
    /// The loop runs [`App::idle`] ([`App::read_in_idle_time`]).
    idle_reads: bool,
    /// Mouse capture (off by default so that terminal text selection works over SSH).
    mouse: bool,
    /// An OSC 52 sequence to write after the next draw.
    clipboard: Option<String>,
    /// The width of the last frame, to map clicks on the top line.
    last_width: u16,
    /// The wizard's draft as of the last event, for the hang-up watchdog to save.
    hangup_draft: std::sync::Arc<std::sync::Mutex<Option<(i64, String)>>>,
}

/// The test-only panic switch (`ADMIN_PORTAL_TEST_PANIC=1`, used by tests/crash.rs), read once at
/// start-up and only in builds with debug assertions (`cargo test` builds the binary so): a
/// release build never looks at the variable.
fn test_panic_requested() -> bool {
    cfg!(debug_assertions) && std::env::var_os("ADMIN_PORTAL_TEST_PANIC").is_some_and(|v| v == "1")
}

impl App {
    pub fn new(
        store: Store,
        keymap: Keymap,
        theme: &'static Theme,
        operator: Operator,
        flash: Option<Flash>,
    ) -> crate::store::Result<App> {
        let customers = CustomersScreen::new(&store)?;
        let data_version = store.data_version()?;
        let prompt = if store.is_read_only() {
            None
        } else {
            draft_summary(&store, &operator.login)?.map(Prompt::ResumeDraft)
        };
        Ok(App {
            env: Env {
                store,
                keymap,
                operator,
                theme,
            },
            tab: Tab::Customers,
            screens: Screens::new(customers),
            help: None,
            prompt,
            flash,
            quit: false,
            drain_input: false,
            test_panic: test_panic_requested(),
            data_version,
            last_poll: Instant::now(),
            dirty: true,
            idle_reads: false,
            mouse: false,
            clipboard: None,
            last_width: 0,
            hangup_draft: Default::default(),
        })
    }

    /// Clicks on tabs and the Add button, and the wheel in lists (configuration `mouse = true`).
    pub fn with_mouse(mut self, on: bool) -> App {
        self.mouse = on;
        self
    }

    pub fn handle_event(&mut self, ev: Event) {
        match ev {
            Event::Key(key) if matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) => {
                self.handle_key(&key);
                self.dirty = true;
            }
            Event::Paste(text) => {
                self.handle_paste(&text);
                self.dirty = true;
            }
            Event::Resize(..) => self.dirty = true,
            Event::Mouse(mouse) if self.mouse => {
                self.handle_mouse(mouse);
                self.dirty = true;
            }
            _ => {}
        }
    }

    fn handle_paste(&mut self, text: &str) {
        if self.help.is_some() || self.prompt.is_some() {
            return;
        }
        let effect = self.with_screen(|s, ctx| s.handle_paste(text, ctx));
        self.apply(effect);
    }

    pub fn handle_key(&mut self, key: &KeyEvent) {
        if self.test_panic && key.code == KeyCode::F(12) {
            panic!("ADMIN_PORTAL_TEST_PANIC: F12 pressed");
        }
        if self.flash.as_ref().is_some_and(|f| f.until_key) {
            self.flash = None;
            self.dirty = true;
        }
        if let Some(help) = &mut self.help {
            let action = resolve(&self.env.keymap, &help.contexts(), key)
                .first()
                .copied();
            let mut ctx = self.env.ctx();
            if help.handle_key(key, action, &mut ctx) != Effect::Done {
                self.help = None;
            }
            return;
        }
        if let Some(prompt) = self.prompt.take() {
            let action = resolve(&self.env.keymap, &prompt.contexts(), key)
                .first()
                .copied();
            return self.answer_prompt(prompt, action);
        }
        let captures = self.screen().captures_text();
        let actions = self.resolve(key, captures);
        let first = actions.first().copied();
        match first {
            Some(Action::Quit) if !captures => return self.ask_quit(),
            Some(Action::Help) if !captures => {
                self.help = Some(HelpOverlay::default());
                return;
            }
            Some(Action::Tab(n)) if !captures => {
                if let Some(tab) = Tab::ALL.get(n as usize) {
                    self.tab_key(*tab);
                }
                return;
            }
            _ => {}
        }
        let effect = self.with_screen(|s, ctx| offer(s, key, &actions, ctx));
        self.recheck_step_problems();
        if effect == Effect::Ignored {
            match first {
                // A text field may use Ctrl-C (never for anything but cancel); else it quits.
                Some(Action::Quit) => return self.ask_quit(),
                Some(Action::Copy) if !captures && self.screens.wizard.is_none() => {
                    let copy = self.copy_email();
                    return self.apply(copy);
                }
                _ => {}
            }
        }
        self.apply(effect);
    }

    /// The one lookup of a key press for the screens ([`keys`]): the app's own keys (Global:
    /// quit, help, the tabs) come first unless the focused screen captures text; then the
    /// key's actions in the screen's contexts, innermost first, and in Global, which
    /// [`offer`] hands the screen in turn.
    fn resolve(&self, key: &KeyEvent, captures: bool) -> Vec<Action> {
        let global = resolve(&self.env.keymap, &[KeyContext::Global], key);
        let own = |a: &Action| matches!(a, Action::Quit | Action::Help | Action::Tab(_));
        if !captures && global.first().is_some_and(own) {
            return global;
        }
        actions_for(self.screen(), &self.env.keymap, key)
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Ignored | Effect::Done | Effect::Answered(_) => {}
            Effect::Flash(f) => self.flash = Some(f),
            Effect::OpenCustomer(id) => self.open_customer(id),
            Effect::OpenWizard { resume } => self.open_wizard(resume),
            Effect::Back(flash) => {
                self.screens.pop_customer_screen();
                if let Some(f) = flash {
                    self.flash = Some(f);
                }
                self.reload_lists();
            }
            Effect::DialogOpened => self.drain_input = true,
            Effect::Changed(flash) => {
                if let Some(f) = flash {
                    self.flash = Some(f);
                }
                self.reload_lists();
            }
            Effect::Quit => self.ask_quit(),
            Effect::Copy(text) => {
                self.flash = Some(Flash::info(format!(
                    "Copied {} to the clipboard",
                    crate::domain::validate::display(&text)
                )));
                self.clipboard = Some(crate::clipboard::osc52(&text));
            }
        }
    }

    /// Runs `f` on the screen that has the keyboard, with the context every screen gets.
    fn with_screen<T>(&mut self, f: impl FnOnce(&mut dyn Component, &mut Ctx) -> T) -> T {
        let mut ctx = self.env.ctx();
        f(self.screens.top_mut(self.tab), &mut ctx)
    }

    /// The screen that has the keyboard, for questions that need no store.
    fn screen(&self) -> &dyn Component {
        self.screens.top(self.tab)
    }

    /// Some screen holds unsaved input that quitting would lose.
    fn form_dirty(&self) -> bool {
        self.screens.all().iter().any(|s| s.is_dirty())
    }

    /// Every screen reads what it shows again; the store's version is taken as seen.
    fn reload_lists(&mut self) {
        let store = &self.env.store;
        let reloaded = self
            .screens
            .all_mut()
            .into_iter()
            .try_for_each(|s| s.reload(store));
        if let Err(e) = reloaded {
            self.flash = Some(Flash::error(e.to_string()));
        }
        if let Ok(v) = self.env.store.data_version() {
            self.data_version = v;
        }
    }

    /// Copy: the email of the customer selected or shown on the Customers tab.
    fn copy_email(&mut self) -> Effect {
        let email = (self.tab == Tab::Customers)
            .then(|| self.screen().customer_id())
            .flatten()
            .and_then(|id| self.env.store.customer_row(id).ok().flatten())
            .map(|row| row.email);
        match email.filter(|e| !e.is_empty()) {
            Some(email) => Effect::Copy(email),
            None => Effect::Ignored,
        }
    }

    /// Draws the whole screen.
    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        self.last_width = area.width;
        if ui::too_small(area) {
            ui::render_too_small(frame, area, self.env.theme);
            return;
        }
        let layout = ui::layout(area);
        let show_add = self.on_customer_list() && !self.env.store.is_read_only();
        ui::render_top(frame, layout.top, self.tab, show_add, self.env.theme);
        if self.env.store.is_read_only() {
            ui::render_read_only_mark(frame, layout.top, self.env.theme);
        }
        self.screens
            .before_draw(self.tab, layout.body, &self.env.store);
        if let Some(screen) = self.screens.shown(self.tab) {
            screen.render(frame, layout.body, self.env.theme, &self.env.keymap);
        }
        let (ctxs, mut actions) = self.screen().hint();
        if self.env.store.is_read_only() {
            // --readonly: no write action is offered (the store would refuse it anyway).
            actions.retain(|a| !a.is_write());
        }
        match &self.prompt {
            Some(prompt) => {
                if matches!(prompt, Prompt::DiscardDraft(_)) {
                    crate::ui::wizard::render_discard_question(frame, layout.body, self.env.theme);
                }
                let text = prompt.text(&self.env.keymap);
                ui::render_flash(frame, layout.hint, &Flash::warning(text), self.env.theme);
            }
            None => ui::render_hints(
                frame,
                layout.hint,
                &self.env.keymap,
                &ctxs,
                &actions,
                self.env.theme,
            ),
        }
        if let Some(flash) = &self.flash {
            ui::render_flash(frame, layout.flash, flash, self.env.theme);
        }
        if let Some(help) = &self.help {
            help.render(frame, area, self.env.theme, &self.env.keymap);
        }
    }

    /// For tests: the store under the app.
    pub fn store(&self) -> &Store {
        &self.env.store
    }

    pub fn is_quitting(&self) -> bool {
        self.quit
    }

    pub fn flash(&self) -> Option<&Flash> {
        self.flash.as_ref()
    }
}
