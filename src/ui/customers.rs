//! The Customers tab: a table over any number of customers, paged from the store, with an
//! incremental filter, sorting and an `n of m` count.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::action::{Action, KeyContext};
use crate::domain::validate::display;
use crate::domain::{CustomerRow, Id, Status};
use crate::store::{CustomerQuery, Result, Store};
use crate::theme::Theme;
use crate::ui::component::{Ctx, Effect, Flash};
use crate::ui::form::clip;
use crate::ui::form::paged::{FilterKey, FilterLine, ListReads, Paging};
use crate::ui::table::{column_widths, fit_cell, sort_label};

#[derive(Debug, Default)]
pub struct CustomersScreen {
    query: CustomerQuery,
    /// Rows in the store, for "n of m".
    all: i64,
    list: Paging<CustomerRow>,
    filter: FilterLine,
    /// The operator went past the capped count of this filter (`G`, or beyond the last row
    /// counted): it is counted exactly from then on, also when the store changes, until the
    /// filter does.
    exact: bool,
    /// An error reading the store, shown instead of the table.
    error: Option<String>,
}

impl ListReads<CustomerRow> for CustomerQuery {
    fn count_capped(&self, store: &Store, cap: i64) -> Result<(i64, bool)> {
        store.customer_count_capped(self, cap)
    }

    fn window(
        &self,
        store: &Store,
        start: i64,
        limit: i64,
        total: Option<i64>,
    ) -> Result<Vec<CustomerRow>> {
        store.customer_page_of(self, start, limit, total)
    }

    /// Three characters or more: the trigram index counts (see [`ListReads::count_first`]).
    fn count_first(&self) -> bool {
        self.filter.trim().chars().count() >= crate::store::customers::FTS_MIN_CHARS
    }
}

impl CustomersScreen {
    /// A mouse click: how far the clicked row is from the selected one, if it hit a row.
    pub fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.list.clicked(column, row)
    }

    pub fn new(store: &Store) -> Result<Self> {
        let mut s = Self::default();
        s.reload(store)?;
        Ok(s)
    }

    /// The same screen with filtered counts stopping at `cap` rows instead of
    /// [`COUNT_CAP`](crate::ui::form::paged::COUNT_CAP) ("`cap`+ of m"); for tests.
    pub fn with_count_cap(mut self, cap: i64) -> Self {
        self.list.count_cap = cap.max(1);
        self
    }

    /// The same screen leaving every read of a new filter to idle time ([`Self::idle`]), as a
    /// slow store would; for tests.
    pub fn reading_when_idle(mut self) -> Self {
        self.read_in_idle_time();
        self.list.idle_only = true;
        self
    }

    /// An event loop runs [`Self::idle`] when no key is waiting: a filter key reads what fits
    /// in its time and leaves the rest to it, a jump reads the visible rows first.
    pub fn read_in_idle_time(&mut self) {
        self.list.idle_reads = true;
    }

    /// Whether the last filter left reading for idle time: the count or the first window.
    pub fn has_idle_work(&self) -> bool {
        self.list.has_pending()
    }

    /// One read left over by the last filter, abandoned when `cancel` answers true (a key came);
    /// true when the screen should be drawn again.
    pub fn idle(
        &mut self,
        store: &mut Store,
        cancel: impl FnMut() -> bool + Send + 'static,
    ) -> bool {
        self.list
            .idle_or_error(store, &self.query, cancel, &mut self.error)
    }

    /// A new filter or order: an unfiltered list or an exact count as [`Self::recount`] does
    /// it; a filter through [`Paging::start_query`], which leaves what overruns the key's time
    /// ([`KEY_BUDGET`](crate::ui::form::paged::KEY_BUDGET)) to idle time ("counting…").
    fn search(&mut self, store: &mut Store) -> Result<()> {
        if self.query.filter.trim().is_empty() || self.exact {
            return self.recount(store);
        }
        self.error = None;
        self.list.start_query(store, &self.query)
    }

    /// Counts again and rereads the visible rows, keeping the selection on the same customer
    /// when it is still there. Called when the store changed (a commit here or by another
    /// operator); a new filter or order goes through `requery`, which keeps the total of the store.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        self.all = store.customer_count(&CustomerQuery::default())?;
        self.recount(store)
    }

    /// Counts the rows of the current query and rereads the visible ones. The unfiltered count
    /// (`all`) is not asked again: it changes only with the store, and a typed character should
    /// cost one indexed search, not a count of the whole table besides. A filter is counted only
    /// up to the cap ("10,000+"): a common text then costs a few thousand rows read, not a scan
    /// of every match; `G` or paging past the cap counts it exactly ([`Self::count_exactly`]).
    fn recount(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_id();
        let (total, capped) = if self.query.filter.trim().is_empty() {
            (self.all, false)
        } else if self.exact {
            (store.customer_count(&self.query)?, false)
        } else {
            store.customer_count_capped(&self.query, self.list.count_cap)?
        };
        self.list.set_count(total, capped);
        self.list.forget();
        self.list.clamp();
        self.fill(store)?;
        if let Some(id) = keep {
            // The customer moved (renamed or deleted): look for it in the window only; a full
            // search for its new position would cost a scan.
            self.list.reselect(|r| r.id == id);
        }
        self.error = None;
        Ok(())
    }

    pub fn selected_id(&self) -> Option<Id> {
        self.list.selected_row().map(|r| r.id)
    }

    /// The exact count of a filter whose count stopped at the cap, once: before a key that goes
    /// to the end or past the last row counted. The rows read stay (same query, same order).
    fn count_exactly(&mut self, store: &Store) -> Result<()> {
        let total = store.customer_count(&self.query)?;
        self.list.set_count(total, false);
        self.exact = true;
        Ok(())
    }

    /// Reads the rows around the visible ones when the window does not cover them. The count
    /// (when exact) lets the store read a window near the end backwards (cheap `G`) and choose
    /// between walking the order's index and sorting the matches.
    fn fill(&mut self, store: &Store) -> Result<()> {
        let query = &self.query;
        self.list
            .fill(|start, limit, total| query.window(store, start, limit, total))
    }

    pub fn captures_text(&self) -> bool {
        self.filter.is_open()
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.filter.is_open() {
            return (
                vec![KeyContext::Modal],
                vec![Action::Confirm, Action::Cancel],
            );
        }
        (
            vec![KeyContext::List, KeyContext::Global],
            vec![
                Action::Open,
                Action::Add,
                Action::Filter,
                Action::Sort,
                Action::Down,
                Action::Bottom,
                Action::Help,
                Action::Quit,
            ],
        )
    }

    pub fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        match self.filter.paste(text, &mut self.query.filter) {
            Some(change) => self.filter_changed(change, ctx),
            None => Effect::Ignored,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        if self.filter.is_open() {
            return self.handle_filter_key(key, ctx);
        }
        let Some(action) = ctx.keymap.lookup(KeyContext::List, key) else {
            return Effect::Ignored;
        };
        if let Err(e) = self.list.finish_window(ctx.store, &self.query) {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        if self.list.needs_exact_count(action)
            && let Err(e) = self.count_exactly(ctx.store)
        {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        if let Some(moved) = self.list.apply(action) {
            if moved && let Err(e) = self.fill(ctx.store) {
                return Effect::Flash(Flash::error(e.to_string()));
            }
            return Effect::Done;
        }
        match action {
            Action::Filter => {
                self.filter.open(&self.query.filter);
                Effect::Done
            }
            Action::Sort => {
                self.query.sort = self.query.sort.next();
                self.query.descending = false;
                self.list.to_start();
                self.requery(ctx, Some(format!("sorted by {}", self.sort_label())))
            }
            Action::SortReverse => {
                self.query.descending = !self.query.descending;
                self.list.to_start();
                self.requery(ctx, Some(format!("sorted by {}", self.sort_label())))
            }
            Action::Open => match self.selected_id() {
                Some(id) => Effect::OpenCustomer(id),
                None => Effect::Done,
            },
            Action::Add => Effect::OpenWizard { resume: false },
            _ => Effect::Ignored,
        }
    }

    fn handle_filter_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        match self
            .filter
            .handle_key(key, ctx.keymap, &mut self.query.filter)
        {
            FilterKey::Move => {
                // Moving in the list while filtering keeps the filter open.
                let saved = self.filter.input.take();
                let effect = self.handle_key(key, ctx);
                self.filter.input = saved;
                effect
            }
            other => self.filter_changed(other, ctx),
        }
    }

    fn filter_changed(&mut self, change: FilterKey, ctx: &mut Ctx) -> Effect {
        match change {
            FilterKey::Changed => {
                self.exact = false;
                self.list.to_start();
                self.requery(ctx, None)
            }
            FilterKey::Cleared => {
                self.exact = false;
                self.requery(ctx, None)
            }
            FilterKey::Done | FilterKey::Move => Effect::Done,
        }
    }

    fn requery(&mut self, ctx: &mut Ctx, message: Option<String>) -> Effect {
        match self.search(ctx.store) {
            Ok(()) => message.map_or(Effect::Done, |m| Effect::Flash(Flash::info(m))),
            Err(e) => {
                self.error = Some(e.to_string());
                Effect::Flash(Flash::error(e.to_string()))
            }
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, store: &Store) {
        if area.height < 3 || area.width < 10 {
            return;
        }
        let title_area = Rect { height: 1, ..area };
        let table_area = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        // One header row; the rest are customers.
        self.list.place(table_area);
        if let Err(e) = self.fill(store) {
            self.error = Some(e.to_string());
        }
        frame.render_widget(Paragraph::new(self.title_line(theme)), title_area);
        if let Some(err) = &self.error {
            let line = Line::styled(
                clip(&display(err), area.width as usize).into_owned(),
                theme.error,
            );
            frame.render_widget(Paragraph::new(line), table_area);
            return;
        }
        if self.list.total == 0 {
            self.render_empty(frame, table_area, theme);
            return;
        }
        self.render_table(frame, table_area, theme);
    }

    /// "cameras", or "cameras, reversed" after `S`.
    fn sort_label(&self) -> String {
        sort_label(self.query.sort.label(), self.query.descending)
    }

    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let mut spans = vec![Span::styled("Customers ", theme.title)];
        spans.extend(self.list.count_spans(self.all, theme));
        spans.push(Span::styled(
            format!("   sort: {}", self.sort_label()),
            theme.muted,
        ));
        spans.extend(self.filter.spans(&self.query.filter, theme));
        Line::from(spans)
    }

    fn render_empty(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let text = if self.query.filter.is_empty() {
            "No customers yet. Press a to add the first one."
        } else if self.list.is_searching() {
            "Searching…"
        } else {
            "No customer matches the filter. Esc clears it."
        };
        let line = Line::styled(clip(text, area.width as usize).into_owned(), theme.muted);
        let y = area.y + area.height / 3;
        frame.render_widget(
            Paragraph::new(line).centered(),
            Rect {
                y,
                height: 1,
                ..area
            },
        );
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let columns = columns_for(area.width);
        let constraints: Vec<Constraint> = columns.iter().map(|c| c.width).collect();
        let fitted = column_widths(&constraints, area.width, 1);
        let header =
            Row::new(columns.iter().map(|c| Cell::from(c.title))).style(theme.table.header);
        let rows = self.list.visible(area.height).map(|(i, row)| {
            let selected = i == self.list.selected;
            let mut style = if row.status == Status::Disabled {
                theme.table.disabled_row
            } else {
                theme.table.row
            };
            if selected {
                style = theme.table.selected;
            }
            let mark = theme.mark(theme.selection_symbol, selected);
            let cells = columns.iter().enumerate().map(|(n, c)| {
                let text = (c.value)(row);
                let text = display(&text).into_owned();
                if n == 0 {
                    Cell::from(fit_cell(&format!("{mark}{text}"), &fitted, n))
                } else {
                    Cell::from(fit_cell(&text, &fitted, n))
                }
            });
            Row::new(cells).style(style)
        });
        let widths = columns.iter().map(|c| c.width);
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(Style::new());
        frame.render_widget(table, area);
    }
}

struct Column {
    title: &'static str,
    width: Constraint,
    value: fn(&CustomerRow) -> String,
}

/// The columns that fit: the most useful first, the rest only on wider screens.
fn columns_for(width: u16) -> Vec<Column> {
    let mut cols = vec![
        Column {
            title: "  Name",
            width: Constraint::Fill(3),
            value: |r| r.name.clone(),
        },
        Column {
            title: "Type",
            width: Constraint::Length(10),
            value: |r| r.kind.label().to_string(),
        },
        Column {
            title: "Contact",
            width: Constraint::Fill(2),
            value: |r| r.contact.clone(),
        },
        Column {
            title: "City",
            width: Constraint::Fill(1),
            value: |r| r.city.clone(),
        },
        Column {
            title: "Cams",
            width: Constraint::Length(5),
            value: |r| r.cameras.to_string(),
        },
        Column {
            title: "Status",
            width: Constraint::Length(8),
            value: |r| r.status.label().to_string(),
        },
    ];
    if width >= 110 {
        cols.insert(
            3,
            Column {
                title: "Email",
                width: Constraint::Fill(2),
                value: |r| r.email.clone(),
            },
        );
        cols.insert(
            5,
            Column {
                title: "Users",
                width: Constraint::Length(5),
                value: |r| r.users.to_string(),
            },
        );
    }
    if width >= 140 {
        cols.insert(
            2,
            Column {
                title: "Parent",
                width: Constraint::Fill(1),
                value: |r| r.parent.clone().unwrap_or_default(),
            },
        );
        cols.insert(
            5,
            Column {
                title: "Phone",
                width: Constraint::Length(18),
                value: |r| r.phone.clone(),
            },
        );
        cols.push(Column {
            title: "Plan",
            width: Constraint::Fill(1),
            value: |r| r.plan.clone().unwrap_or_default(),
        });
    }
    if width >= 170 {
        cols.push(Column {
            title: "Created",
            width: Constraint::Length(10),
            value: |r| r.created_at.chars().take(10).collect(),
        });
    }
    cols
}

// Until its keys are read from the looked-up action, the screen's own methods answer.
impl crate::ui::component::Component for CustomersScreen {
    fn contexts(&self) -> Vec<KeyContext> {
        CustomersScreen::hint(self).0
    }
    fn handle_key(&mut self, key: &KeyEvent, _action: Option<Action>, ctx: &mut Ctx) -> Effect {
        CustomersScreen::handle_key(self, key, ctx)
    }
    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        CustomersScreen::handle_paste(self, text, ctx)
    }
    fn captures_text(&self) -> bool {
        CustomersScreen::captures_text(self)
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        CustomersScreen::hint(self)
    }
    fn reload(&mut self, store: &Store) -> crate::store::Result<()> {
        CustomersScreen::reload(self, store)
    }
    fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        CustomersScreen::clicked(self, column, row)
    }
    fn read_in_idle_time(&mut self) {
        CustomersScreen::read_in_idle_time(self)
    }
    fn has_idle_work(&self) -> bool {
        CustomersScreen::has_idle_work(self)
    }
    fn idle(&mut self, store: &mut Store, cancel: Box<dyn FnMut() -> bool + Send>) -> bool {
        CustomersScreen::idle(self, store, cancel)
    }
    fn customer_id(&self) -> Option<crate::domain::Id> {
        self.selected_id()
    }
}
