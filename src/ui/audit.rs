//! The Audit Log tab: every change, newest first, paged from the store; `/` filters by text,
//! operator, action and customer; `Enter` shows the full entry; on a "customer.delete" entry `R`
//! restores the customer from its archive after a y/N confirmation that names it.

mod browser;
mod detail;
mod filter;
mod table;

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

pub use browser::{AuditBrowser, AuditSource, Overlay};
pub use detail::{EntryDetail, local_time, operator_label, render_entry_detail};
pub use filter::FilterPopup;

use crate::action::{Action, KeyContext};
use crate::domain::Id;
use crate::keymap::Keymap;
use crate::store::views::{AuditEntry, AuditQuery};
use crate::store::{Store, StoreError};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::display;
use crate::ui::modal::{Confirm, answered, count_of};

/// The action of the entries `R` restores from.
pub const DELETE_ACTION: &str = "customer.delete";

/// What the y/N question before a restore runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restore {
    pub archive_id: Id,
    pub name: String,
}

pub struct AuditScreen {
    browser: AuditBrowser,
    confirm: Option<Confirm<Restore>>,
    read_only: bool,
}

impl AuditScreen {
    pub fn new(store: &Store) -> Result<Self, StoreError> {
        let mut screen = Self {
            browser: AuditBrowser::new(AuditQuery::default(), false),
            confirm: None,
            read_only: store.is_read_only(),
        };
        Component::reload(&mut screen, store)?;
        Ok(screen)
    }

    /// Times are shown in the system's time zone unless told otherwise (tests use UTC).
    pub fn with_time_zone(mut self, tz: TimeZone) -> Self {
        self.browser.tz = tz;
        self
    }

    /// The entry under the cursor, or the one shown in the popup.
    pub fn selected_entry(&self) -> Option<&AuditEntry> {
        self.browser
            .detail_entry()
            .or_else(|| self.browser.selected_entry())
    }

    pub fn query(&self) -> &AuditQuery {
        self.browser.query()
    }

    pub fn confirm(&self) -> Option<&Confirm<Restore>> {
        self.confirm.as_ref()
    }

    fn restorable(&self) -> bool {
        !self.read_only
            && self
                .selected_entry()
                .is_some_and(|e| e.action == DELETE_ACTION)
    }

    /// Opens the confirmation, or says why the entry cannot be restored.
    fn ask_restore(&mut self, store: &Store) -> Effect {
        if self.read_only {
            return Effect::Flash(Flash::warning(
                "The store is open read-only: nothing can be restored",
            ));
        }
        let Some(entry) = self.selected_entry() else {
            return Effect::Done;
        };
        if entry.action != DELETE_ACTION {
            return Effect::Flash(Flash::info(format!(
                "Only a {DELETE_ACTION} entry can be restored"
            )));
        }
        let (entry_id, fallback) = (entry.id, entry.customer_name.clone().unwrap_or_default());
        let archive_id = match store.archive_for_audit(entry_id) {
            Ok(Some((_, Some(at)))) => {
                return Effect::Flash(Flash::warning(format!(
                    "{} was already restored on {}",
                    display(&fallback),
                    local_time(&at, &self.browser.tz, false)
                )));
            }
            Ok(Some((id, None))) => id,
            Ok(None) => {
                return Effect::Flash(Flash::error("No archive was kept for this entry"));
            }
            Err(e) => return Effect::Flash(Flash::error(e.to_string())),
        };
        let archive = match store.archive(archive_id) {
            Ok(Some(a)) => a,
            Ok(None) => return Effect::Flash(Flash::error("The archive is gone")),
            Err(e) => return Effect::Flash(Flash::error(e.to_string())),
        };
        let name = archive.customer.name().to_string();
        let paragraphs = vec![
            format!("Restore {name}?"),
            format!(
                "Its profile, billing, {} and {} (with their passwords) come back, and those of \
                 its {} still unlinked are linked again. Cameras linked to another customer \
                 meanwhile stay where they are.",
                count_of(archive.roles.len() as i64, "role", "roles"),
                count_of(archive.users.len() as i64, "user", "users"),
                count_of(archive.cameras.len() as i64, "camera", "cameras"),
            ),
        ];
        self.confirm = Some(Confirm::headlined(
            "Restore customer",
            paragraphs,
            Restore { archive_id, name },
            "restore",
            "keep it deleted",
        ));
        Effect::DialogOpened
    }

    fn confirm_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(confirm) = &mut self.confirm else {
            return Effect::Done;
        };
        let Some(yes) = answered(confirm, key, action, ctx) else {
            return Effect::Done;
        };
        let Some(confirm) = self.confirm.take().filter(|_| yes) else {
            return Effect::Done;
        };
        let restore = confirm.action;
        match ctx.store.restore_customer(restore.archive_id, ctx.operator) {
            Ok(restored) => {
                self.browser.overlay = None;
                let _ = self.browser.reload(ctx.store);
                let mut text = format!(
                    "Restored {} with {}",
                    display(&restored.name),
                    count_of(restored.relinked as i64, "camera", "cameras")
                );
                if !restored.taken.is_empty() {
                    let names: Vec<String> = restored
                        .taken
                        .iter()
                        .map(|n| display(n).into_owned())
                        .collect();
                    text.push_str(&format!(
                        "; taken meanwhile, left out: {}",
                        names.join(", ")
                    ));
                }
                for note in &restored.notes {
                    text.push_str(&format!("; {}", display(note)));
                }
                let flash = if restored.taken.is_empty() && restored.notes.is_empty() {
                    Flash::info(text)
                } else {
                    Flash::warning(text)
                };
                Effect::Changed(Some(flash))
            }
            Err(e) => Effect::Flash(Flash::error(display(&e.to_string()).into_owned())),
        }
    }

    /// Before drawing in `area`: the rows that became visible are read.
    pub fn before_draw(&mut self, area: Rect, store: &Store) {
        self.browser.before_draw(area, store);
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let restore_note = self.restorable().then(|| restore_footer(keymap));
        self.browser
            .draw(frame, area, theme, keymap, restore_note.as_deref());
        if let Some(confirm) = &self.confirm {
            confirm.render(frame, area, theme, keymap);
        }
    }
}

/// "R restore" for the entry popup's footer, from the key map.
fn restore_footer(keymap: &Keymap) -> String {
    let keys: Vec<String> = keymap
        .keys_for(KeyContext::List, Action::Restore)
        .iter()
        .map(ToString::to_string)
        .collect();
    format!("{} restore this customer", keys.join("/"))
}

impl Component for AuditScreen {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        if let Some(confirm) = &self.confirm {
            return confirm.contexts();
        }
        self.browser.contexts()
    }

    /// The y/N question first, then the list and its popups; `R` is this tab's own.
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        if self.confirm.is_some() {
            return self.confirm_key(key, action, ctx);
        }
        let effect = Component::handle_key(&mut self.browser, key, action, ctx);
        if effect != Effect::Ignored {
            return effect;
        }
        match action {
            Some(Action::Restore) => self.ask_restore(ctx.store),
            _ if self.browser.overlay.is_some() => Effect::Done,
            _ => Effect::Ignored,
        }
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        if self.confirm.is_some() {
            return Effect::Done;
        }
        self.browser.handle_paste(text, ctx.store)
    }

    fn captures_text(&self) -> bool {
        self.confirm.is_some() || self.browser.captures_text()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.confirm.is_some() {
            return (vec![KeyContext::Modal], vec![Action::Cancel]);
        }
        if let Some(hint) = self.browser.overlay_hint(self.restorable()) {
            return hint;
        }
        let mut actions = vec![Action::Open, Action::Filter];
        if self.restorable() {
            actions.push(Action::Restore);
        }
        actions.extend([Action::Down, Action::PageDown, Action::Help, Action::Quit]);
        (vec![KeyContext::List, KeyContext::Global], actions)
    }

    /// Nothing typed here is work to lose: filters are not saved input.
    fn is_dirty(&self) -> bool {
        false
    }

    fn reload(&mut self, store: &Store) -> Result<(), StoreError> {
        self.read_only = store.is_read_only();
        self.browser.reload(store)
    }

    fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.browser.clicked(column, row)
    }
}
