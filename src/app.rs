//! The loop: draw, read an event, map it to an action, update. Owns the screen stack.

use std::time::{Duration, Instant};

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
        }
    }
    pub fn expired(&self, now: Instant) -> bool {
        now.duration_since(self.at) >= Self::LIFETIME
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
    Quit,
}

use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::{Action, KeyContext};
use crate::term;
use crate::ui;
use crate::ui::Tab;
use crate::ui::customer::CustomerView;
use crate::ui::customers::CustomersScreen;

/// How often the loop wakes without input: flash expiry, signals, other operators' commits.
const TICK: Duration = Duration::from_millis(250);
/// How often to ask SQLite whether another process committed.
const POLL_STORE: Duration = Duration::from_secs(1);

pub struct App {
    store: Store,
    keymap: Keymap,
    theme: &'static Theme,
    operator: Operator,
    tab: Tab,
    customers: CustomersScreen,
    view: Option<CustomerView>,
    help: bool,
    /// Quit was asked while a form had unsaved input: waiting for y/N.
    confirm_quit: bool,
    flash: Option<Flash>,
    quit: bool,
    /// Keys typed before a dialog opened are dropped.
    drain_input: bool,
    data_version: i64,
    last_poll: Instant,
    /// Something changed since the last draw.
    dirty: bool,
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
        Ok(App {
            store,
            keymap,
            theme,
            operator,
            tab: Tab::Customers,
            customers,
            view: None,
            help: false,
            confirm_quit: false,
            flash,
            quit: false,
            drain_input: false,
            data_version,
            last_poll: Instant::now(),
            dirty: true,
        })
    }

    /// Takes the terminal, runs until the operator quits or a signal arrives, gives it back.
    /// Returns the exit code.
    pub fn run(mut self) -> Result<u8, Box<dyn std::error::Error + Send + Sync>> {
        let _guard = term::TerminalGuard::new();
        let mut terminal = term::init(false)?;
        let signals = term::Signals::register()?;
        loop {
            if let Some(sig) = signals.pending() {
                self.on_signal();
                term::restore();
                return Ok(term::exit_code_for_signal(sig).clamp(0, 255) as u8);
            }
            if self.dirty {
                terminal.draw(|f| self.render(f))?;
                self.dirty = false;
            }
            if self.quit {
                break;
            }
            if event::poll(TICK)? {
                let ev = event::read()?;
                self.handle_event(ev);
                if self.drain_input {
                    while event::poll(Duration::ZERO)? {
                        let _ = event::read()?;
                    }
                    self.drain_input = false;
                }
            }
            self.tick(Instant::now());
        }
        drop(terminal);
        term::restore();
        Ok(0)
    }

    /// A dropped connection or a kill: nothing typed may be lost.
    fn on_signal(&mut self) {
        // The wizard saves its draft here once it exists.
    }

    /// Timers: the flash line and other operators' commits.
    pub fn tick(&mut self, now: Instant) {
        if self.flash.as_ref().is_some_and(|f| f.expired(now)) {
            self.flash = None;
            self.dirty = true;
        }
        if now.duration_since(self.last_poll) >= POLL_STORE {
            self.last_poll = now;
            match self.store.data_version() {
                Ok(v) if v != self.data_version => {
                    self.data_version = v;
                    self.refresh();
                }
                _ => {}
            }
        }
    }

    /// Another process committed: reload what is shown, keeping selection and filter.
    fn refresh(&mut self) {
        if let Err(e) = self.customers.reload(&self.store) {
            self.flash = Some(Flash::error(e.to_string()));
        }
        if let Some(view) = &mut self.view {
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            let effect = view.refresh(&mut ctx);
            self.apply(effect);
        }
        self.dirty = true;
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
            _ => {}
        }
    }

    fn ctx(&mut self) -> Ctx<'_> {
        Ctx {
            store: &mut self.store,
            keymap: &self.keymap,
            operator: &self.operator,
            theme: self.theme,
        }
    }

    fn form_dirty(&self) -> bool {
        self.view.as_ref().is_some_and(|v| v.is_dirty())
    }

    fn handle_paste(&mut self, text: &str) {
        if self.help || self.confirm_quit || self.tab != Tab::Customers {
            return;
        }
        let effect = if let Some(view) = &mut self.view {
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            view.handle_paste(text, &mut ctx)
        } else {
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            self.customers.handle_paste(text, &mut ctx)
        };
        self.apply(effect);
    }

    pub fn handle_key(&mut self, key: &KeyEvent) {
        if self.help {
            if matches!(
                self.keymap.lookup(KeyContext::Global, key),
                Some(Action::Help | Action::Back | Action::Quit)
            ) {
                self.help = false;
            }
            return;
        }
        if self.confirm_quit {
            self.confirm_quit = false;
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                self.quit = true;
            } else {
                self.flash = Some(Flash::info("Still here: nothing was lost"));
            }
            return;
        }
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            self.ask_quit();
            return;
        }
        let captures = self.tab == Tab::Customers
            && match &self.view {
                Some(v) => v.captures_text(),
                None => self.customers.captures_text(),
            };
        if !captures {
            match self.keymap.lookup(KeyContext::Global, key) {
                Some(Action::Quit) => return self.ask_quit(),
                Some(Action::Help) => {
                    self.help = true;
                    return;
                }
                Some(Action::Tab(n)) => {
                    if let Some(tab) = Tab::ALL.get(n as usize) {
                        self.tab = *tab;
                    }
                    return;
                }
                _ => {}
            }
        }
        if self.tab != Tab::Customers {
            return;
        }
        let effect = if let Some(view) = &mut self.view {
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            view.handle_key(key, &mut ctx)
        } else {
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            self.customers.handle_key(key, &mut ctx)
        };
        self.apply(effect);
    }

    fn ask_quit(&mut self) {
        if self.form_dirty() {
            self.confirm_quit = true;
        } else {
            self.quit = true;
        }
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Ignored | Effect::Done => {}
            Effect::Flash(f) => self.flash = Some(f),
            Effect::OpenCustomer(id) => {
                let mut ctx = self.ctx();
                match CustomerView::open(id, &mut ctx) {
                    Ok(view) => self.view = Some(view),
                    Err(e) => self.flash = Some(Flash::error(e.to_string())),
                }
            }
            Effect::OpenWizard { .. } => {
                self.flash = Some(Flash::info(
                    "The add-customer wizard comes with the next release",
                ));
            }
            Effect::Back(flash) => {
                self.view = None;
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
        }
    }

    fn reload_lists(&mut self) {
        if let Err(e) = self.customers.reload(&self.store) {
            self.flash = Some(Flash::error(e.to_string()));
        }
        if let Ok(v) = self.store.data_version() {
            self.data_version = v;
        }
    }

    /// Draws the whole screen.
    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if ui::too_small(area) {
            ui::render_too_small(frame, area, self.theme);
            return;
        }
        let layout = ui::layout(area);
        let in_view = self.tab == Tab::Customers && self.view.is_some();
        ui::render_top(frame, layout.top, self.tab, !in_view, self.theme);
        let (ctxs, actions) = match self.tab {
            Tab::Customers => match &mut self.view {
                Some(view) => {
                    view.render(frame, layout.body, self.theme, &self.keymap);
                    view.hint()
                }
                None => {
                    self.customers
                        .render(frame, layout.body, self.theme, &self.store);
                    self.customers.hint()
                }
            },
            tab => {
                ui::render_coming(frame, layout.body, tab.title(), self.theme);
                (
                    vec![KeyContext::Global],
                    vec![Action::Tab(0), Action::Help, Action::Quit],
                )
            }
        };
        if self.confirm_quit {
            ui::render_flash(
                frame,
                layout.hint,
                &Flash::warning("A form has unsaved input. Quit anyway? y/N"),
                self.theme,
            );
        } else {
            ui::render_hints(
                frame,
                layout.hint,
                &self.keymap,
                &ctxs,
                &actions,
                self.theme,
            );
        }
        if let Some(flash) = &self.flash {
            ui::render_flash(frame, layout.flash, flash, self.theme);
        }
        if self.help {
            crate::ui::help::render_help(frame, area, &self.keymap, self.theme);
        }
    }

    /// For tests: the store under the app.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn is_quitting(&self) -> bool {
        self.quit
    }

    pub fn flash(&self) -> Option<&Flash> {
        self.flash.as_ref()
    }
}
