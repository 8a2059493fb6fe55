//! Between keys: idle reading of the lists, the wizard's work, the flash line's expiry, other
//! operators' commits, and the draft saved before the process ends.

use std::time::{Duration, Instant};

use super::App;
use crate::store::StoreError;
use crate::ui::component::{Effect, Flash};

/// How often to ask SQLite whether another process committed.
const POLL_STORE: Duration = Duration::from_secs(1);

/// How the status line begins while the PostgreSQL server is unreachable.
const LOST: &str = "lost the connection to the PostgreSQL server at";

impl App {
    /// From now on the loop runs [`App::idle`]: the lists leave what overruns a key's time to it.
    pub fn read_in_idle_time(&mut self) {
        self.idle_reads = true;
        for screen in self.screens.all_mut() {
            screen.read_in_idle_time();
        }
    }

    /// Whether the list shown has reading left over from its last filter key ("counting…").
    pub fn has_idle_work(&self) -> bool {
        self.screen().has_idle_work()
    }

    /// One read of that work, abandoned as soon as `cancel` answers true: the loop asks whether
    /// a key is waiting, so the next key's frame never waits for the last key's count.
    pub fn idle(&mut self, cancel: impl FnMut() -> bool + Send + 'static) {
        let read = self
            .screens
            .top_mut(self.tab)
            .idle(&mut self.env.store, Box::new(cancel));
        self.dirty |= read;
    }

    /// Some screen works between keys: the loop wakes more often to show its progress.
    pub(super) fn busy(&self) -> bool {
        self.screens.all().iter().any(|s| s.busy())
    }

    /// A shown summary of the wizard step's problems follows the fields: fewer problems, a new
    /// first one, or none left, or the step left (the summary goes).
    pub(super) fn recheck_step_problems(&mut self) {
        let Some(step) = self.flash.as_ref().and_then(|f| f.step_check) else {
            return;
        };
        let mut ctx = self.env.ctx();
        let problems = self
            .screens
            .all_mut()
            .into_iter()
            .find_map(|s| s.step_check(step, &mut ctx));
        match (problems, &mut self.flash) {
            (Some(text), Some(flash)) => flash.text = text,
            _ => self.flash = None,
        }
        self.dirty = true;
    }

    /// The wizard's draft as it stands, saved now (the periodic save may not have run since the
    /// last key): quitting loses nothing typed.
    pub(super) fn save_wizard_draft(&mut self) {
        if self.env.store.is_read_only() {
            return;
        }
        let mut ctx = self.env.ctx();
        for screen in self.screens.all_mut() {
            if let Err(e) = screen.save_draft(&mut ctx) {
                tracing::warn!("draft not saved on quit: {e}");
            }
        }
    }

    /// A dropped connection or a kill: nothing typed may be lost.
    pub fn on_signal(&mut self) {
        self.save_wizard_draft();
    }

    /// Timers: the screens' own work, the flash line and other operators' commits.
    pub fn tick(&mut self, now: Instant) {
        let mut ctx = self.env.ctx();
        let mut effects = Vec::new();
        for screen in self.screens.all_mut() {
            let busy = screen.busy();
            let effect = screen.tick(&mut ctx);
            if busy || effect != Effect::Done && effect != Effect::Ignored {
                effects.push(effect);
            }
        }
        for effect in effects {
            self.dirty = true;
            self.apply(effect);
        }
        if self.flash.as_ref().is_some_and(|f| f.expired(now)) {
            self.flash = None;
            self.dirty = true;
        }
        if now.duration_since(self.last_poll) >= POLL_STORE {
            self.last_poll = now;
            match self.env.store.data_version() {
                Ok(v) => {
                    if self
                        .flash
                        .as_ref()
                        .is_some_and(|f| f.text.starts_with(LOST))
                    {
                        self.flash = Some(Flash::info(
                            "reconnected to the PostgreSQL server; the screens were read again",
                        ));
                        self.dirty = true;
                    }
                    if v != self.data_version {
                        self.data_version = v;
                        self.refresh();
                    }
                }
                // A PostgreSQL server gone away: said once a poll, until it is back (the
                // store reconnects at the first call that finds it).
                Err(StoreError::Disconnected(server)) => {
                    self.flash = Some(
                        Flash::error(format!(
                            "{LOST} {server}: retrying every second; what you typed is kept"
                        ))
                        .until_key(),
                    );
                    self.dirty = true;
                }
                Err(_) => {}
            }
        }
    }

    /// Another process committed: reload what is shown, keeping selection and filter.
    fn refresh(&mut self) {
        self.reload_lists();
        let mut ctx = self.env.ctx();
        let effects: Vec<Effect> = self
            .screens
            .all_mut()
            .into_iter()
            .map(|s| s.refresh(&mut ctx))
            .collect();
        for effect in effects {
            self.apply(effect);
        }
        self.dirty = true;
    }
}
