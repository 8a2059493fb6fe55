//! The audit list both the Audit Log tab and a customer's Logs pane show: newest first, paged
//! from the store (a window of rows around the visible ones, never the whole log), with the
//! filter popup and the entry popup. The Audit Log tab adds restore on top.

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::detail::{EntryDetail, local_time, operator_label, render_entry_detail};
use super::filter::{FilterOutcome, FilterPopup};
use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::store::views::{AuditEntry, AuditQuery};
use crate::store::{Result, Store};
use crate::theme::Theme;
use crate::ui::component::{Effect, Flash};
use crate::ui::form::paged::Paging;
use crate::ui::form::{clip, display, draw_line};
use crate::ui::table::{column_widths, fit_cell};

/// What is open over the list.
#[derive(Debug, Clone)]
pub enum Overlay {
    Filter(Box<FilterPopup>),
    Detail(Box<EntryDetail>),
}

#[derive(Debug, Clone)]
pub struct AuditBrowser {
    /// The filters; `base.customer_id` is fixed in a customer's Logs pane.
    pub query: AuditQuery,
    /// A customer's Logs pane: no customer column and no customer filter.
    pub scoped: bool,
    /// Entries in scope without the filters, for "n of m".
    all: i64,
    list: Paging<AuditEntry>,
    pub overlay: Option<Overlay>,
    pub tz: TimeZone,
    error: Option<String>,
}

impl AuditBrowser {
    /// A mouse click: how far the clicked row is from the selected one, if it hit a row.
    pub fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.list.clicked(column, row)
    }

    pub fn new(query: AuditQuery, scoped: bool) -> Self {
        Self {
            query,
            scoped,
            all: 0,
            list: Paging::default(),
            overlay: None,
            tz: TimeZone::system(),
            error: None,
        }
    }

    /// The query without the operator's filters: everything in scope.
    fn scope(&self) -> AuditQuery {
        AuditQuery {
            customer_id: if self.scoped {
                self.query.customer_id
            } else {
                None
            },
            ..AuditQuery::default()
        }
    }

    /// Counts again and rereads the visible rows, keeping the selection on the same entry
    /// when it is still in the window.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_entry().map(|e| e.id);
        self.all = store.audit_count(&self.scope())?;
        self.list.total = if self.query == self.scope() {
            self.all
        } else {
            store.audit_count(&self.query)?
        };
        self.list.forget();
        self.list.clamp();
        self.fill(store)?;
        if let Some(id) = keep
            && self.list.reselect(|r| r.id == id)
        {
            self.list.clamp();
        }
        self.error = None;
        Ok(())
    }

    pub fn selected_entry(&self) -> Option<&AuditEntry> {
        self.list.selected_row()
    }

    /// Reads the rows around the visible ones when the window does not cover them.
    pub fn fill(&mut self, store: &Store) -> Result<()> {
        let query = &self.query;
        self.list
            .fill(|start, limit, _| store.audit_page(query, start, limit))
    }

    /// Applies a list movement and reads what became visible; `None` for other actions.
    pub fn apply_move(&mut self, action: Action, store: &Store) -> Option<Effect> {
        self.list.apply(action)?;
        Some(match self.fill(store) {
            Ok(()) => Effect::Done,
            Err(e) => Effect::Flash(Flash::error(e.to_string())),
        })
    }

    /// Keys for an open overlay, or the list's own keys (movement, filter, open, clear with
    /// Esc). Returns `None` for keys the caller may use (restore) or pass on.
    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap, store: &Store) -> Option<Effect> {
        if let Some(overlay) = &mut self.overlay {
            return Some(match overlay {
                Overlay::Filter(popup) => {
                    let outcome = popup.handle_key(key, keymap);
                    self.filter_outcome(outcome, store)
                }
                Overlay::Detail(detail) => {
                    let action = keymap.lookup_in(&[KeyContext::Modal, KeyContext::List], key);
                    match action {
                        Some(Action::Cancel | Action::Confirm | Action::Open) => {
                            self.overlay = None;
                            Effect::Done
                        }
                        Some(Action::Restore) => return None,
                        Some(a) if detail.apply(a) => Effect::Done,
                        // The popup takes every key, so nothing under it acts unseen.
                        _ => Effect::Done,
                    }
                }
            });
        }
        let action = keymap.lookup_in(&[KeyContext::List, KeyContext::Global], key)?;
        if let Some(effect) = self.apply_move(action, store) {
            return Some(effect);
        }
        match action {
            Action::Filter => Some(self.open_filter(store)),
            Action::Open => Some(self.open_detail(store)),
            Action::Back if self.query != self.scope() => {
                self.query = self.scope();
                self.list.to_start();
                Some(self.requery(store, Some("filters cleared")))
            }
            _ => None,
        }
    }

    pub fn handle_paste(&mut self, text: &str, store: &Store) -> Effect {
        match &mut self.overlay {
            Some(Overlay::Filter(popup)) => {
                let outcome = popup.handle_paste(text);
                self.filter_outcome(outcome, store)
            }
            Some(Overlay::Detail(_)) => Effect::Done,
            None => Effect::Ignored,
        }
    }

    fn open_filter(&mut self, store: &Store) -> Effect {
        match FilterPopup::open(store, &self.query, !self.scoped) {
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
                self.overlay = Some(Overlay::Detail(Box::new(EntryDetail::new(full))));
                Effect::Done
            }
            Ok(None) => Effect::Flash(Flash::warning(format!("audit entry #{id} is gone"))),
            Err(e) => Effect::Flash(Flash::error(e.to_string())),
        }
    }

    fn filter_outcome(&mut self, outcome: FilterOutcome, store: &Store) -> Effect {
        let query = match (outcome, &self.overlay) {
            (FilterOutcome::Consumed, _) => return Effect::Done,
            (FilterOutcome::Keep, _) => {
                self.overlay = None;
                return Effect::Done;
            }
            (FilterOutcome::Revert(q), _) => {
                self.overlay = None;
                q
            }
            (FilterOutcome::Changed, Some(Overlay::Filter(popup))) => popup.query(&self.query),
            (FilterOutcome::Changed, _) => return Effect::Done,
        };
        if query == self.query {
            return Effect::Done;
        }
        self.query = query;
        self.list.to_start();
        self.requery(store, None)
    }

    fn requery(&mut self, store: &Store, message: Option<&str>) -> Effect {
        match self.reload(store) {
            Ok(()) => message.map_or(Effect::Done, |m| Effect::Flash(Flash::info(m))),
            Err(e) => {
                self.error = Some(e.to_string());
                Effect::Flash(Flash::error(e.to_string()))
            }
        }
    }

    pub fn captures_text(&self) -> bool {
        self.overlay.is_some()
    }

    /// The hint of an open overlay, or `None` for the list's own.
    pub fn overlay_hint(&self, restorable: bool) -> Option<(Vec<KeyContext>, Vec<Action>)> {
        match &self.overlay {
            Some(Overlay::Filter(_)) => Some((
                vec![KeyContext::Form],
                vec![
                    Action::NextField,
                    Action::PrevField,
                    Action::Save,
                    Action::Cancel,
                ],
            )),
            Some(Overlay::Detail(_)) => {
                let mut actions = vec![Action::Down, Action::PageDown];
                if restorable {
                    actions.push(Action::Restore);
                }
                actions.push(Action::Cancel);
                Some((vec![KeyContext::Modal, KeyContext::List], actions))
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

    /// Draws the title line, the table and any overlay. `store` reads rows that became
    /// visible; without it (the Logs pane) the window read at the last key is drawn.
    pub fn render(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        keymap: &Keymap,
        store: Option<&Store>,
        detail_footer: Option<&str>,
    ) {
        let area = area.intersection(frame.area());
        if area.height < 3 || area.width < 10 {
            return;
        }
        let title = Rect { height: 1, ..area };
        let body = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        self.list.place(body);
        if let Some(store) = store
            && let Err(e) = self.fill(store)
        {
            self.error = Some(e.to_string());
        }
        draw_line(frame.buffer_mut(), title, title.y, &self.title_line(theme));
        if let Some(err) = &self.error {
            let line = Line::styled(
                clip(&display(err), usize::from(area.width)).into_owned(),
                theme.error,
            );
            frame.render_widget(Paragraph::new(line), body);
        } else if self.list.total == 0 {
            self.render_empty(frame, body, theme);
        } else {
            self.render_table(frame, body, theme);
        }
        match &mut self.overlay {
            Some(Overlay::Filter(popup)) => popup.render(frame, area, theme, keymap),
            Some(Overlay::Detail(detail)) => {
                render_entry_detail(frame, area, detail, &self.tz, theme, keymap, detail_footer)
            }
            None => {}
        }
    }

    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let name = if self.scoped { "Logs" } else { "Audit Log" };
        let mut spans = vec![Span::styled(format!("{name} "), theme.title)];
        spans.extend(self.list.count_spans(self.all, theme));
        spans.push(Span::styled("   newest first", theme.muted));
        let q = &self.query;
        let mut filters = Vec::new();
        if !q.text.is_empty() {
            filters.push(format!("\"{}\"", display(&q.text)));
        }
        if let Some(op) = &q.operator {
            filters.push(format!("operator {}", display(op)));
        }
        if let Some(action) = &q.action {
            filters.push(format!("action {}", display(action)));
        }
        if let (Some(id), false) = (q.customer_id, self.scoped) {
            filters.push(format!("customer #{id}"));
        }
        if !filters.is_empty() {
            spans.push(Span::styled("   filter: ", theme.focus));
            spans.push(Span::raw(filters.join(", ")));
        }
        Line::from(spans)
    }

    fn render_empty(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let text = if self.query != self.scope() {
            "No entry matches the filter. Esc clears it."
        } else {
            "No audit entries yet."
        };
        let line = Line::styled(
            clip(text, usize::from(area.width)).into_owned(),
            theme.muted,
        );
        let y = area.y + area.height / 3;
        draw_line(frame.buffer_mut(), area, y, &line);
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let zone = jiff::Timestamp::now()
            .to_zoned(self.tz.clone())
            .strftime("%Z")
            .to_string();
        // Narrow screens drop the year, so the summary keeps some room.
        let compact = area.width < 100;
        let time_width = if compact { 13 } else { 18 };
        let mut header = vec![format!("  Time ({})", display(&zone)), "Operator".into()];
        header.push("Action".into());
        if !self.scoped {
            header.push("Customer".into());
        }
        header.push("Summary".into());
        // Operator and action columns as wide as what is shown, within bounds.
        let widest = |f: &dyn Fn(&AuditEntry) -> usize, min: usize, max: usize| {
            let w = self.list.window().iter().map(f).max().unwrap_or(0);
            w.clamp(min, max) as u16
        };
        let operator = widest(
            &|e| operator_label(&e.operator, e.client.as_deref()).width(),
            8,
            22,
        );
        let action = widest(&|e| display(&e.action).width(), 6, 22);
        let mut widths = vec![
            Constraint::Length(time_width),
            Constraint::Length(operator),
            Constraint::Length(action),
        ];
        if !self.scoped {
            widths.push(Constraint::Fill(1));
        }
        widths.push(Constraint::Fill(2));
        let short = |t: String| {
            if compact && t.len() == 16 && t.is_char_boundary(5) {
                t[5..].to_string()
            } else {
                t
            }
        };
        let fitted = column_widths(&widths, area.width, 1);
        let rows = self.list.visible(area.height).map(|(i, e)| {
            let selected = i == self.list.selected;
            let mark = theme.mark(theme.selection_symbol, selected);
            let mut texts = vec![
                format!("{mark}{}", short(local_time(&e.at, &self.tz, false))),
                operator_label(&e.operator, e.client.as_deref()),
                display(&e.action).into_owned(),
            ];
            if !self.scoped {
                let name = e.customer_name.as_deref().unwrap_or("");
                texts.push(display(name).into_owned());
            }
            texts.push(display(&e.summary).into_owned());
            let cells: Vec<Cell> = texts
                .iter()
                .enumerate()
                .map(|(n, t)| Cell::from(fit_cell(t, &fitted, n)))
                .collect();
            let style = if selected {
                theme.table.selected
            } else {
                theme.table.row
            };
            Row::new(cells).style(style)
        });
        let table = Table::new(rows, widths)
            .header(Row::new(header.into_iter().map(Cell::from)).style(theme.table.header))
            .column_spacing(1);
        frame.render_widget(table, area);
    }
}
