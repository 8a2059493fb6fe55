//! The customer's Logs pane: its audit entries, newest first, paged from the store, with the
//! filter popup (text, operator, action) and the entry popup of the Audit Log tab.

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use crate::action::{Action, KeyContext};
use crate::domain::Customer;
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::store::views::AuditQuery;
use crate::theme::Theme;
use crate::ui::audit::AuditBrowser;
use crate::ui::component::{Component, Ctx, Effect};

pub struct LogsPane {
    browser: AuditBrowser,
}

impl LogsPane {
    pub fn new(customer: &Customer, ctx: &mut Ctx) -> Result<Self, StoreError> {
        let query = AuditQuery {
            customer_id: Some(customer.id),
            ..AuditQuery::default()
        };
        let mut pane = Self {
            browser: AuditBrowser::new(query, true),
        };
        pane.browser.reload(ctx.store)?;
        Ok(pane)
    }

    /// Times are shown in the system's time zone unless told otherwise (tests use UTC).
    pub fn with_time_zone(mut self, tz: TimeZone) -> Self {
        self.browser.tz = tz;
        self
    }

    /// Reads the entries again, keeping the filters and the selection.
    pub fn reload(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        if self.browser.query().customer_id != Some(customer.id) {
            let tz = self.browser.tz.clone();
            let query = AuditQuery {
                customer_id: Some(customer.id),
                ..AuditQuery::default()
            };
            self.browser = AuditBrowser::new(query, true);
            self.browser.tz = tz;
        }
        self.browser.reload(ctx.store)
    }

    pub fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        self.browser.handle_paste(text, ctx.store)
    }

    /// Fits the list (and an open entry popup) to `area` without reading: the rows read at
    /// the last key are drawn.
    pub fn before_draw(&mut self, area: Rect) {
        self.browser.place(area);
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.browser.draw(frame, area, theme, keymap, None);
    }

    pub fn captures_text(&self) -> bool {
        self.browser.captures_text()
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if let Some(hint) = self.browser.overlay_hint(false) {
            return hint;
        }
        (
            vec![KeyContext::List, KeyContext::Global],
            vec![Action::Open, Action::Filter, Action::Down, Action::PageDown],
        )
    }

    pub fn is_dirty(&self) -> bool {
        false
    }
}

/// The browser's keys: the list's, or its open popup's.
impl Component for LogsPane {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        self.browser.contexts()
    }
    /// The Audit Log list's keys; those the pane has no use for come back `Ignored`, for the
    /// view (sub-tabs, Esc, ...).
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        let overlay = self.browser.overlay.is_some();
        match self.browser.handle_key(key, action, ctx) {
            // An open popup takes every key.
            Effect::Ignored if overlay => Effect::Done,
            effect => effect,
        }
    }
    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        LogsPane::handle_paste(self, text, ctx)
    }
    fn captures_text(&self) -> bool {
        LogsPane::captures_text(self)
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        LogsPane::hint(self)
    }
    fn is_dirty(&self) -> bool {
        LogsPane::is_dirty(self)
    }
}

impl super::Pane for LogsPane {
    fn before_draw(&mut self, area: Rect) {
        LogsPane::before_draw(self, area);
    }
    fn reload_customer(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        LogsPane::reload(self, customer, ctx)
    }
}
