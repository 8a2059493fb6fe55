//! The loop: draw, read an event, map it to an action, update. Owns the screen stack.

use std::time::{Duration, Instant};

use crate::domain::Operator;
use crate::keymap::Keymap;
use crate::store::Store;
use crate::theme::Theme;
use crate::ui::component::Component;
pub use crate::ui::component::{Ctx, Effect, Flash, FlashLevel};

use ratatui::Frame;
use ratatui::crossterm::event::{
    self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

use crate::action::{Action, KeyContext};
use crate::term;
use crate::ui;
use crate::ui::Tab;
use crate::ui::audit::AuditScreen;
use crate::ui::cameras::CamerasScreen;
use crate::ui::customer::CustomerView;
use crate::ui::customers::CustomersScreen;
use crate::ui::help::HelpOverlay;
use crate::ui::plans::PlansScreen;
use crate::ui::wizard::{Wizard, draft_summary};

/// How often the loop wakes without input: flash expiry, signals, other operators' commits.
const TICK: Duration = Duration::from_millis(250);
/// How often the loop wakes while the wizard hashes passwords, to show its progress.
const BUSY_TICK: Duration = Duration::from_millis(50);
/// How often to ask SQLite whether another process committed.
const POLL_STORE: Duration = Duration::from_secs(1);

/// What a write key says on a `--readonly` store: the one refusal, given by the app before the
/// key reaches a screen.
pub const READ_ONLY: &str = "The store is open read-only (--readonly): nothing can be changed";

/// A question the app itself asks, over whatever screen is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Prompt {
    /// Quit was asked while a form had unsaved input.
    Quit,
    /// The operator has a saved wizard draft: resume it?
    ResumeDraft(String),
    /// `d` at the draft prompt: discard it for good? (It drops everything typed.)
    DiscardDraft(String),
}

impl Prompt {
    /// Where its answers are looked up, as a component's contexts are.
    fn contexts(&self) -> Vec<KeyContext> {
        match self {
            Self::Quit | Self::DiscardDraft(_) => vec![KeyContext::Question],
            Self::ResumeDraft(_) => vec![KeyContext::Question, KeyContext::Modal, KeyContext::List],
        }
    }

    /// The question on the hint line, naming the keys the key map gives its answers.
    fn text(&self, keymap: &Keymap) -> String {
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

pub struct App {
    store: Store,
    keymap: Keymap,
    theme: &'static Theme,
    operator: Operator,
    tab: Tab,
    customers: CustomersScreen,
    view: Option<CustomerView>,
    wizard: Option<Wizard>,
    /// The other tabs are built on their first visit: counting a million cameras or the whole
    /// audit log has no place in start-up.
    cameras: Option<CamerasScreen>,
    plans: Option<PlansScreen>,
    audit: Option<AuditScreen>,
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
            store,
            keymap,
            theme,
            operator,
            tab: Tab::Customers,
            customers,
            view: None,
            wizard: None,
            cameras: None,
            plans: None,
            audit: None,
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

    /// Takes the terminal, runs until the operator quits or a signal arrives, gives it back.
    /// Returns the exit code.
    pub fn run(mut self) -> Result<u8, Box<dyn std::error::Error + Send + Sync>> {
        let _guard = term::TerminalGuard::new();
        let mut terminal = term::init(self.mouse)?;
        let signals = term::Signals::register()?;
        self.watch_for_hangup();
        self.read_in_idle_time();
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
            if let Some(seq) = self.clipboard.take() {
                use std::io::Write;
                let mut out = std::io::stdout();
                out.write_all(seq.as_bytes())?;
                out.flush()?;
            }
            if self.quit {
                break;
            }
            let wait = if self.busy() { BUSY_TICK } else { TICK };
            if self.has_idle_work() && !event::poll(Duration::ZERO)? {
                // Reading a filter's key left over, until a key comes (which abandons it).
                self.idle(|| event::poll(Duration::ZERO).unwrap_or(true));
            } else if event::poll(wait)? {
                let ev = event::read()?;
                self.handle_event(ev);
                self.publish_draft();
                if self.drain_input {
                    while event::poll(Duration::ZERO)? {
                        let _ = event::read()?;
                    }
                    self.drain_input = false;
                }
            }
            self.tick(Instant::now());
            if self.wizard.is_some() || self.dirty {
                self.publish_draft();
            }
        }
        drop(terminal);
        term::restore();
        Ok(0)
    }

    /// A dropped connection does not always bring SIGHUP (a terminal closed under a shell that
    /// does not pass it on), and crossterm then spins forever inside `event::poll`. This thread
    /// notices the hang-up itself, saves the wizard's draft through its own connection and ends
    /// the process as SIGHUP would.
    fn watch_for_hangup(&self) {
        let draft = std::sync::Arc::clone(&self.hangup_draft);
        let path = self.store.path().to_path_buf();
        let login = self.operator.login.clone();
        let read_only = self.store.is_read_only();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(200));
                if !term::terminal_hung_up() {
                    continue;
                }
                let snapshot = draft.lock().ok().and_then(|mut d| d.take());
                if let (Some((step, json)), false) = (snapshot, read_only)
                    && let Ok(mut store) = Store::open(&path, crate::store::OpenMode::Existing)
                {
                    let _ = store.save_draft(&login, step, &json);
                }
                tracing::info!("terminal hung up; draft saved, exiting");
                std::process::exit(term::exit_code_for_signal(libc::SIGHUP));
            }
        });
    }

    /// Keeps the watchdog's copy of the draft current: after every event and tick.
    fn publish_draft(&mut self) {
        let snapshot = self.wizard.as_ref().and_then(|w| w.draft_snapshot());
        if let Ok(mut d) = self.hangup_draft.lock() {
            *d = snapshot;
        }
    }

    /// From now on the loop runs [`App::idle`]: the lists leave what overruns a key's time to it.
    pub fn read_in_idle_time(&mut self) {
        self.idle_reads = true;
        self.customers.read_in_idle_time();
        if let Some(c) = &mut self.cameras {
            c.read_in_idle_time();
        }
    }

    /// Whether the list shown has reading left over from its last filter key ("counting…").
    pub fn has_idle_work(&self) -> bool {
        match self.tab {
            Tab::Customers => self.on_customer_list() && self.customers.has_idle_work(),
            Tab::Cameras => self.cameras.as_ref().is_some_and(|c| c.has_idle_work()),
            _ => false,
        }
    }

    /// One read of that work, abandoned as soon as `cancel` answers true: the loop asks whether
    /// a key is waiting, so the next key's frame never waits for the last key's count.
    pub fn idle(&mut self, cancel: impl FnMut() -> bool + Send + 'static) {
        let read = match self.tab {
            Tab::Customers if self.on_customer_list() => {
                self.customers.idle(&mut self.store, cancel)
            }
            Tab::Cameras => match &mut self.cameras {
                Some(c) => c.idle(&mut self.store, cancel),
                None => false,
            },
            _ => false,
        };
        self.dirty |= read;
    }

    fn busy(&self) -> bool {
        self.wizard.as_ref().is_some_and(|w| w.busy())
    }

    /// A shown summary of the wizard step's problems follows the fields: fewer problems, a new
    /// first one, or none left (the summary goes).
    fn recheck_step_problems(&mut self) {
        let Some(step) = self.flash.as_ref().and_then(|f| f.step_check) else {
            return;
        };
        let Some(wizard) = &mut self.wizard else {
            self.flash = None;
            return;
        };
        if wizard.step() != step {
            // Moved on (the step passed) or back: the summary is no longer about this screen.
            self.flash = None;
            self.dirty = true;
            return;
        }
        let mut ctx = Ctx {
            store: &mut self.store,
            keymap: &self.keymap,
            operator: &self.operator,
            theme: self.theme,
        };
        match wizard.step_problems(&mut ctx) {
            None => self.flash = None,
            Some(text) => {
                if let Some(flash) = &mut self.flash {
                    flash.text = text;
                }
            }
        }
        self.dirty = true;
    }

    /// The wizard's draft as it stands, saved now (the periodic save may not have run since the
    /// last key): quitting loses nothing typed.
    fn save_wizard_draft(&mut self) {
        if self.store.is_read_only() {
            return;
        }
        if let Some(wizard) = &mut self.wizard {
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            if let Err(e) = wizard.save_draft(&mut ctx) {
                tracing::warn!("draft not saved on quit: {e}");
            }
        }
    }

    /// A dropped connection or a kill: nothing typed may be lost.
    pub fn on_signal(&mut self) {
        self.save_wizard_draft();
    }

    /// Timers: the wizard's work, the flash line and other operators' commits.
    pub fn tick(&mut self, now: Instant) {
        if let Some(wizard) = &mut self.wizard {
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            let busy = wizard.busy();
            let effect = wizard.tick(&mut ctx);
            if busy || effect != Effect::Done && effect != Effect::Ignored {
                self.dirty = true;
            }
            self.apply(effect);
        }
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
        self.reload_lists();
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
            Event::Mouse(mouse) if self.mouse => {
                self.handle_mouse(mouse);
                self.dirty = true;
            }
            _ => {}
        }
    }

    /// The top line's tabs and Add button take clicks; the wheel moves in whatever list is
    /// shown, exactly as the arrow keys do.
    fn handle_mouse(&mut self, mouse: MouseEvent) {
        if self.help.is_some() || self.prompt.is_some() {
            return;
        }
        match mouse.kind {
            MouseEventKind::ScrollDown => self.press(Action::Down),
            MouseEventKind::ScrollUp => self.press(Action::Up),
            MouseEventKind::Down(MouseButton::Left) if mouse.row > 0 => {
                if self.screen().captures_text() {
                    return;
                }
                // A row of a list: select it with the arrow keys' own path (so the window is
                // read as for a key); a click on the selected row opens it, as Enter does.
                match self.screen().clicked(mouse.column, mouse.row) {
                    Some(0) => self.press(Action::Open),
                    Some(delta) => {
                        let action = if delta > 0 { Action::Down } else { Action::Up };
                        for _ in 0..delta.unsigned_abs() {
                            self.press(action);
                        }
                    }
                    None => {}
                }
            }
            MouseEventKind::Down(MouseButton::Left) if mouse.row == 0 => {
                if self.screen().captures_text() {
                    return;
                }
                match ui::top_hit(self.last_width, mouse.column) {
                    Some(ui::TopHit::Tab(tab)) => self.land_on_tab(tab),
                    Some(ui::TopHit::Add) if self.on_customer_list() => {
                        self.apply(Effect::OpenWizard { resume: false })
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// A list key pressed by the mouse: the first key the key map binds to `action` in lists,
    /// so the click takes exactly the path of that key.
    fn press(&mut self, action: Action) {
        if let Some(binding) = self.keymap.keys_for(KeyContext::List, action).first() {
            self.handle_key(&KeyEvent::new(binding.code, binding.modifiers));
        }
    }

    /// Shows a top-menu tab, building its screen on the first visit.
    fn switch_tab(&mut self, tab: Tab) {
        let built = match tab {
            Tab::Customers => Ok(()),
            Tab::Cameras if self.cameras.is_none() => {
                CamerasScreen::new(&self.store).map(|mut s| {
                    if self.idle_reads {
                        s.read_in_idle_time();
                    }
                    self.cameras = Some(s);
                })
            }
            Tab::Plans if self.plans.is_none() => {
                PlansScreen::new(&self.store).map(|s| self.plans = Some(s))
            }
            Tab::Audit if self.audit.is_none() => {
                AuditScreen::new(&self.store).map(|s| self.audit = Some(s))
            }
            _ => Ok(()),
        };
        match built {
            Ok(()) => self.tab = tab,
            Err(e) => self.flash = Some(Flash::error(e.to_string())),
        }
    }

    /// `1`..`4`. With the wizard open it is left first, as Esc leaves it: at once when nothing
    /// was typed (then the tab's list), else its leave prompt is shown on the Customers tab.
    fn tab_key(&mut self, tab: Tab) {
        match self.wizard.as_mut().and_then(Wizard::leave_for_tab) {
            None => self.land_on_tab(tab),
            Some(Effect::Back(flash)) => {
                self.apply(Effect::Back(flash));
                self.land_on_tab(tab);
            }
            Some(effect) => {
                self.tab = Tab::Customers;
                self.apply(effect);
            }
        }
    }

    /// `1`..`4`: the tab's list, not the customer last shown on it (whose keys would then take
    /// what the operator types for the list). A customer with an unsaved edit stays open.
    fn land_on_tab(&mut self, tab: Tab) {
        self.switch_tab(tab);
        if self.tab != Tab::Customers || self.wizard.is_some() {
            return;
        }
        match &self.view {
            Some(view) if view.is_dirty() => {
                self.flash = Some(Flash::warning(
                    "Unsaved changes: save or cancel the edit before leaving this customer",
                ));
            }
            Some(_) => {
                self.view = None;
                self.reload_lists();
            }
            None => {}
        }
    }

    fn on_customer_list(&self) -> bool {
        self.tab == Tab::Customers && self.view.is_none() && self.wizard.is_none()
    }

    /// `y`: the selected customer's email (or the shown customer's) to the clipboard.
    fn copy_email(&mut self) -> Effect {
        let email = match (&self.view, self.tab) {
            (Some(view), Tab::Customers) => Some(view.customer().profile.contact.email.clone()),
            (None, Tab::Customers) => self
                .customers
                .selected_id()
                .and_then(|id| self.store.customer_row(id).ok().flatten())
                .map(|row| row.email),
            _ => None,
        };
        match email.filter(|e| !e.is_empty()) {
            Some(email) => Effect::Copy(email),
            None => Effect::Ignored,
        }
    }

    /// Runs `f` on the screen that has the keyboard, with the context every screen gets.
    fn with_screen<T>(&mut self, f: impl FnOnce(&mut dyn Component, &mut Ctx) -> T) -> T {
        let mut ctx = Ctx {
            store: &mut self.store,
            keymap: &self.keymap,
            operator: &self.operator,
            theme: self.theme,
        };
        let screen: &mut dyn Component = match self.tab {
            Tab::Customers => match (&mut self.wizard, &mut self.view) {
                (Some(w), _) => w,
                (None, Some(v)) => v,
                (None, None) => &mut self.customers,
            },
            Tab::Cameras => match &mut self.cameras {
                Some(s) => s,
                None => &mut self.customers,
            },
            Tab::Plans => match &mut self.plans {
                Some(s) => s,
                None => &mut self.customers,
            },
            Tab::Audit => match &mut self.audit {
                Some(s) => s,
                None => &mut self.customers,
            },
        };
        f(screen, &mut ctx)
    }

    /// The screen that has the keyboard, for questions that need no store.
    fn screen(&self) -> &dyn Component {
        match self.tab {
            Tab::Customers => match (&self.wizard, &self.view) {
                (Some(w), _) => w as &dyn Component,
                (None, Some(v)) => v,
                (None, None) => &self.customers,
            },
            Tab::Cameras => match &self.cameras {
                Some(s) => s,
                None => &self.customers,
            },
            Tab::Plans => match &self.plans {
                Some(s) => s,
                None => &self.customers,
            },
            Tab::Audit => match &self.audit {
                Some(s) => s,
                None => &self.customers,
            },
        }
    }

    fn form_dirty(&self) -> bool {
        self.wizard.as_ref().is_some_and(|w| w.is_dirty())
            || self.view.as_ref().is_some_and(|v| v.is_dirty())
            || self.cameras.as_ref().is_some_and(Component::is_dirty)
            || self.plans.as_ref().is_some_and(Component::is_dirty)
            || self.audit.as_ref().is_some_and(Component::is_dirty)
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
            let action = self.keymap.lookup_in(&help.contexts(), key);
            let mut ctx = Ctx {
                store: &mut self.store,
                keymap: &self.keymap,
                operator: &self.operator,
                theme: self.theme,
            };
            if help.handle_key(key, action, &mut ctx) != Effect::Done {
                self.help = None;
            }
            return;
        }
        if let Some(prompt) = self.prompt.take() {
            let action = self.keymap.lookup_in(&prompt.contexts(), key);
            return self.answer_prompt(prompt, action);
        }
        let captures = self.screen().captures_text();
        let action = self.resolve(key, captures);
        match action {
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
            Some(a) if a.is_write() && !captures && self.store.is_read_only() => {
                self.flash = Some(Flash::warning(READ_ONLY));
                return;
            }
            _ => {}
        }
        let effect = self.with_screen(|s, ctx| s.handle_key(key, action, ctx));
        self.recheck_step_problems();
        if effect == Effect::Ignored {
            match action {
                // A text field may use Ctrl-C (never for anything but cancel); else it quits.
                Some(Action::Quit) => return self.ask_quit(),
                Some(Action::Copy) if !captures && self.wizard.is_none() => {
                    let copy = self.copy_email();
                    return self.apply(copy);
                }
                _ => {}
            }
        }
        self.apply(effect);
    }

    /// The one lookup of a key press. The app's own keys (Global: quit, help, the tabs) come
    /// first unless the focused screen captures text; then the screen's contexts, innermost
    /// first; then Global, except for a key that types text into a capturing screen.
    fn resolve(&self, key: &KeyEvent, captures: bool) -> Option<Action> {
        let global = self.keymap.lookup(KeyContext::Global, key);
        let own = |a: &Action| matches!(a, Action::Quit | Action::Help | Action::Tab(_));
        if !captures && global.as_ref().is_some_and(own) {
            return global;
        }
        let types_text = matches!(key.code, KeyCode::Char(_))
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        self.keymap
            .lookup_in(&self.screen().contexts(), key)
            .or(global.filter(|_| !(captures && types_text)))
    }

    fn answer_prompt(&mut self, prompt: Prompt, action: Option<Action>) {
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
    fn answer_discard(&mut self, summary: String, action: Option<Action>) {
        if action != Some(Action::Discard) {
            self.prompt = Some(Prompt::ResumeDraft(summary));
            return;
        }
        match self.store.discard_draft(&self.operator.login) {
            Ok(()) => self.flash = Some(Flash::info("Draft discarded")),
            Err(e) => self.flash = Some(Flash::error(e.to_string())),
        }
    }

    fn ask_quit(&mut self) {
        if self.form_dirty() {
            self.prompt = Some(Prompt::Quit);
        } else {
            self.quit = true;
        }
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Ignored | Effect::Done => {}
            Effect::Flash(f) => self.flash = Some(f),
            Effect::OpenCustomer(id) => {
                self.wizard = None;
                self.tab = Tab::Customers;
                let mut ctx = self.ctx();
                match CustomerView::open(id, &mut ctx) {
                    Ok(view) => self.view = Some(view),
                    Err(e) => self.flash = Some(Flash::error(e.to_string())),
                }
                self.reload_lists();
            }
            Effect::OpenWizard { resume } => self.open_wizard(resume),
            Effect::Back(flash) => {
                if self.wizard.is_some() {
                    self.wizard = None;
                } else {
                    self.view = None;
                }
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

    /// `a` (or resuming at start): the wizard, from the operator's draft when there is one.
    fn open_wizard(&mut self, resume: bool) {
        if self.store.is_read_only() {
            self.flash = Some(Flash::warning(READ_ONLY));
            return;
        }
        self.tab = Tab::Customers;
        let mut ctx = self.ctx();
        let has_draft = matches!(ctx.store.draft(&ctx.operator.login), Ok(Some(_)));
        let opened = if resume || has_draft {
            Wizard::resume(&mut ctx).map(|w| w.map(|w| (w, true)))
        } else {
            Ok(None)
        };
        let opened = match opened {
            Ok(Some(found)) => Ok(found),
            Ok(None) => Wizard::new(&mut ctx).map(|w| (w, false)),
            Err(e) => Err(e),
        };
        match opened {
            Ok((wizard, resumed)) => {
                self.wizard = Some(wizard);
                if resumed {
                    self.flash = Some(Flash::info("Resumed your draft"));
                }
            }
            Err(e) => {
                self.flash = Some(Flash::error(format!(
                    "Could not open the wizard: {e}. Press a again for a new one after d on the resume question."
                )))
            }
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

    fn reload_lists(&mut self) {
        let reloaded = self
            .customers
            .reload(&self.store)
            .and_then(|()| match &mut self.cameras {
                Some(s) => s.reload(&self.store),
                None => Ok(()),
            })
            .and_then(|()| match &mut self.plans {
                Some(s) => s.reload(&self.store),
                None => Ok(()),
            })
            .and_then(|()| match &mut self.audit {
                Some(s) => s.reload(&self.store),
                None => Ok(()),
            });
        if let Err(e) = reloaded {
            self.flash = Some(Flash::error(e.to_string()));
        }
        if let Ok(v) = self.store.data_version() {
            self.data_version = v;
        }
    }

    /// Draws the whole screen.
    pub fn render(&mut self, frame: &mut Frame) {
        let area = frame.area();
        self.last_width = area.width;
        if ui::too_small(area) {
            ui::render_too_small(frame, area, self.theme);
            return;
        }
        let layout = ui::layout(area);
        let on_list = self.tab == Tab::Customers && self.view.is_none() && self.wizard.is_none();
        let show_add = on_list && !self.store.is_read_only();
        ui::render_top(frame, layout.top, self.tab, show_add, self.theme);
        if self.store.is_read_only() {
            ui::render_read_only_mark(frame, layout.top, self.theme);
        }
        match self.tab {
            Tab::Customers => {
                if let Some(wizard) = &mut self.wizard {
                    wizard.render(frame, layout.body, self.theme, &self.keymap);
                } else if let Some(view) = &mut self.view {
                    view.render(frame, layout.body, self.theme, &self.keymap);
                } else {
                    self.customers
                        .render(frame, layout.body, self.theme, &self.store);
                }
            }
            Tab::Cameras => {
                if let Some(s) = &mut self.cameras {
                    s.render(frame, layout.body, self.theme, &self.keymap, &self.store)
                }
            }
            Tab::Plans => {
                if let Some(s) = &mut self.plans {
                    s.render(frame, layout.body, self.theme, &self.keymap, &self.store)
                }
            }
            Tab::Audit => {
                if let Some(s) = &mut self.audit {
                    s.render(frame, layout.body, self.theme, &self.keymap, &self.store)
                }
            }
        }
        let (ctxs, mut actions) = self.screen().hint();
        if self.store.is_read_only() {
            // --readonly: no write action is offered (the store would refuse it anyway).
            actions.retain(|a| !a.is_write());
        }
        match &self.prompt {
            Some(prompt) => {
                if matches!(prompt, Prompt::DiscardDraft(_)) {
                    crate::ui::wizard::render_discard_question(frame, layout.body, self.theme);
                }
                let text = prompt.text(&self.keymap);
                ui::render_flash(frame, layout.hint, &Flash::warning(text), self.theme);
            }
            None => ui::render_hints(
                frame,
                layout.hint,
                &self.keymap,
                &ctxs,
                &actions,
                self.theme,
            ),
        }
        if let Some(flash) = &self.flash {
            ui::render_flash(frame, layout.flash, flash, self.theme);
        }
        if let Some(help) = &self.help {
            help.render(frame, area, self.theme, &self.keymap);
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
