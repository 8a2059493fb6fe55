//! The loop: draw, read an event, hand it over, keep time; and the hang-up watchdog.

use std::time::{Duration, Instant};

use ratatui::crossterm::event;

use super::App;
use crate::store::Store;
use crate::term;

/// How often the loop wakes without input: flash expiry, signals, other operators' commits.
const TICK: Duration = Duration::from_millis(250);
/// How often the loop wakes while the wizard hashes passwords, to show its progress.
const BUSY_TICK: Duration = Duration::from_millis(50);

impl App {
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
            if self.screens.wizard.is_some() || self.dirty {
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
    pub(super) fn watch_for_hangup(&self) {
        let draft = std::sync::Arc::clone(&self.hangup_draft);
        let path = self.env.store.path().to_path_buf();
        let login = self.env.operator.login.clone();
        let read_only = self.env.store.is_read_only();
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
    pub(super) fn publish_draft(&mut self) {
        let snapshot = self.screens.all().iter().find_map(|s| s.draft_snapshot());
        if let Ok(mut d) = self.hangup_draft.lock() {
            *d = snapshot;
        }
    }
}
