//! The audit list both the Audit Log tab and a customer's Logs pane show: newest first, a
//! [`PagedList`] over the store (a window of rows around the visible ones, never the whole
//! log), with the filter popup and the entry popup. The Audit Log tab adds restore on top.

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::detail::{EntryDetail, render_entry_detail};
use super::filter::FilterPopup;
use crate::action::{Action, KeyContext};
use crate::domain::Id;
use crate::keymap::Keymap;
use crate::store::views::{AuditEntry, AuditQuery};
use crate::store::{Result, Store};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::paged::{PageSource, PagedList};

/// What is open over the list.
#[derive(Debug, Clone)]
pub enum Overlay {
    Filter(Box<FilterPopup>),
    Detail(Box<EntryDetail>),
}

/// The audit query of a list and its scope: a customer's Logs pane keeps its customer.
#[derive(Debug, Clone, Default)]
pub struct AuditSource {
    /// The filters; `customer_id` is fixed in a customer's Logs pane.
    pub query: AuditQuery,
    /// A customer's Logs pane: no customer column and no customer filter.
    pub scoped: bool,
}

impl AuditSource {
    /// The query without the operator's filters: everything in scope.
    pub fn scope(&self) -> AuditQuery {
        AuditQuery {
            customer_id: if self.scoped {
                self.query.customer_id
            } else {
                None
            },
            ..AuditQuery::default()
        }
    }
}

/// The log is counted exactly: its count is an indexed count, not a scan of a million rows.
impl PageSource for AuditSource {
    type Row = AuditEntry;

    fn count_capped(&self, store: &Store, _cap: i64) -> Result<(i64, bool)> {
        Ok((store.audit_count(&self.query)?, false))
    }

    fn count(&self, store: &Store) -> Result<i64> {
        store.audit_count(&self.query)
    }

    fn count_all(&self, store: &Store) -> Result<i64> {
        store.audit_count(&self.scope())
    }

    fn window(
        &self,
        store: &Store,
        start: i64,
        limit: i64,
        _total: Option<i64>,
    ) -> Result<Vec<AuditEntry>> {
        store.audit_page(&self.query, start, limit)
    }

    fn is_filtered(&self) -> bool {
        self.query != self.scope()
    }

    fn id(row: &AuditEntry) -> Id {
        row.id
    }

    fn capped(&self) -> bool {
        false
    }
}

pub struct AuditBrowser {
    pub(super) list: PagedList<AuditSource>,
    pub overlay: Option<Overlay>,
    pub tz: TimeZone,
}

impl AuditBrowser {
    pub fn new(query: AuditQuery, scoped: bool) -> Self {
        Self {
            list: PagedList::new(AuditSource { query, scoped }),
            overlay: None,
            tz: TimeZone::system(),
        }
    }

    /// The filters in force (and the Logs pane's customer).
    pub fn query(&self) -> &AuditQuery {
        &self.list.source.query
    }

    /// A customer's Logs pane.
    pub fn scoped(&self) -> bool {
        self.list.source.scoped
    }

    /// Counts again and rereads the visible rows, keeping the selection on the same entry
    /// when it is still in the window.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        self.list.reload(store)
    }

    /// An overlay is open: it takes every key.
    pub fn captures_text(&self) -> bool {
        self.overlay.is_some()
    }

    pub fn selected_entry(&self) -> Option<&AuditEntry> {
        self.list.selected_row()
    }

    /// An open overlay takes the key first, then the list (movement); then `/` (the filter
    /// popup), Enter (the entry popup) and Esc (clear the filters).
    fn key(&mut self, key: &KeyEvent, action: Option<Action>, store: &mut Store) -> Effect {
        match &mut self.overlay {
            Some(Overlay::Filter(popup)) => {
                let effect = popup.key(key, action);
                return self.filter_changed(effect, store);
            }
            Some(Overlay::Detail(detail)) => {
                return match detail.key(action) {
                    Effect::Back(_) => {
                        self.overlay = None;
                        Effect::Done
                    }
                    effect => effect,
                };
            }
            None => {}
        }
        let effect = self.list.handle_key(key, action, store);
        if effect != Effect::Ignored {
            return effect;
        }
        match action {
            Some(Action::Filter) => self.open_filter(store),
            Some(Action::Open) => self.open_detail(store),
            Some(Action::Back) if self.list.source.is_filtered() => {
                let source = &mut self.list.source;
                source.query = source.scope();
                self.list.to_start();
                self.list.requery(store, Some("filters cleared".into()))
            }
            _ => Effect::Ignored,
        }
    }

    /// Pasted text goes to the filter popup's text field.
    pub fn handle_paste(&mut self, text: &str, store: &mut Store) -> Effect {
        match &mut self.overlay {
            Some(Overlay::Filter(popup)) => {
                popup.paste(text);
                self.filter_changed(Effect::Done, store)
            }
            Some(Overlay::Detail(_)) => Effect::Done,
            None => Effect::Ignored,
        }
    }

    fn open_filter(&mut self, store: &Store) -> Effect {
        match FilterPopup::open(store, self.query(), !self.scoped()) {
            Ok(popup) => {
                self.overlay = Some(Overlay::Filter(Box::new(popup)));
                Effect::Done
            }
            Err(e) => Effect::Flash(Flash::error(e.to_string())),
        }
    }

    fn open_detail(&mut self, store: &Store) -> Effect {
        let Some(id) = self.selected_entry().map(|e| e.id) else {
            return Effect::Done;
        };
        match store.audit_entry(id) {
            Ok(Some(full)) => {
                self.overlay = Some(Overlay::Detail(Box::new(EntryDetail::new(
                    full,
                    self.tz.clone(),
                ))));
                Effect::Done
            }
            Ok(None) => Effect::Flash(Flash::warning(format!("audit entry #{id} is gone"))),
            Err(e) => Effect::Flash(Flash::error(e.to_string())),
        }
    }

    /// After a key of the filter popup (`effect`: [`Effect::Back`] closes it): its filters
    /// apply at once.
    fn filter_changed(&mut self, effect: Effect, store: &mut Store) -> Effect {
        let Some(Overlay::Filter(popup)) = &self.overlay else {
            return Effect::Done;
        };
        let query = popup.result(self.query());
        if let Effect::Back(_) = effect {
            self.overlay = None;
        }
        if query == *self.query() {
            return Effect::Done;
        }
        self.list.source.query = query;
        self.list.to_start();
        self.list.requery(store, None)
    }

    /// The hint of an open overlay, or `None` for the list's own.
    pub fn overlay_hint(&self, restorable: bool) -> Option<(Vec<KeyContext>, Vec<Action>)> {
        match &self.overlay {
            Some(Overlay::Filter(popup)) => Some(popup.hint()),
            Some(Overlay::Detail(detail)) => {
                let (contexts, mut actions) = detail.hint();
                if restorable {
                    actions.insert(actions.len() - 1, Action::Restore);
                }
                Some((contexts, actions))
            }
            None => None,
        }
    }

    /// The entry shown in the detail popup, if it is open.
    pub fn detail_entry(&self) -> Option<&AuditEntry> {
        match &self.overlay {
            Some(Overlay::Detail(d)) => Some(&d.full.entry),
            _ => None,
        }
    }

    /// Before drawing in `area`: the rows that became visible are read, and the entry popup
    /// learns how much fits.
    pub fn before_draw(&mut self, area: Rect, store: &Store) {
        self.list.before_draw(area, store);
        self.fit_detail(area);
    }

    fn fit_detail(&mut self, area: Rect) {
        if let Some(Overlay::Detail(detail)) = &mut self.overlay {
            detail.fit(area, &self.tz);
        }
    }

    /// [`Self::before_draw`] without reading, for the Logs pane: the rows read at the last
    /// key are drawn.
    pub fn place(&mut self, area: Rect) {
        self.list.place(area);
        self.fit_detail(area);
    }

    /// Draws the title line, the table and any overlay; reads nothing.
    pub fn draw(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        keymap: &Keymap,
        detail_footer: Option<&str>,
    ) {
        let area = area.intersection(frame.area());
        self.draw_list(frame, area, theme);
        match &self.overlay {
            Some(Overlay::Filter(popup)) => popup.render(frame, area, theme, keymap),
            Some(Overlay::Detail(detail)) => {
                render_entry_detail(frame, area, detail, &self.tz, theme, keymap, detail_footer)
            }
            None => {}
        }
    }
}

impl Component for AuditBrowser {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap, None);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        match &self.overlay {
            Some(Overlay::Filter(popup)) => popup.contexts(),
            Some(Overlay::Detail(detail)) => detail.contexts(),
            None => self.list.contexts(),
        }
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        self.key(key, action, ctx.store)
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        AuditBrowser::handle_paste(self, text, ctx.store)
    }

    fn captures_text(&self) -> bool {
        self.overlay.is_some()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        self.overlay_hint(false).unwrap_or_else(|| {
            (
                vec![KeyContext::List, KeyContext::Global],
                vec![Action::Open, Action::Filter, Action::Down, Action::PageDown],
            )
        })
    }

    fn reload(&mut self, store: &Store) -> Result<()> {
        AuditBrowser::reload(self, store)
    }

    fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.list.clicked(column, row)
    }
}
