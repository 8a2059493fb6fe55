//! The Customers tab: a table over any number of customers, paged from the store, with an
//! incremental filter, sorting and an `n of m` count. The list is a [`PagedList`]; what is the
//! tab's own is its columns and its keys (open, add).

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::{Action, KeyContext};
use crate::domain::{CustomerRow, Id, Status};
use crate::keymap::Keymap;
use crate::store::customers::SortKey;
use crate::store::{CustomerQuery, Result, Store};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::paged::{Column, Empty, ListScreen, ListTab, Order, StoreReads, TextQuery};
use crate::ui::table::sort_label;

/// The Customers tab: its list is all there is.
pub type CustomersScreen = ListScreen<Customers>;

#[derive(Default)]
pub struct Customers;

impl ListTab for Customers {
    type Source = CustomerQuery;
}

impl Order for SortKey {
    fn next(self) -> Self {
        SortKey::next(self)
    }
    fn label(self) -> &'static str {
        SortKey::label(self)
    }
}

impl TextQuery for CustomerQuery {
    type Row = CustomerRow;
    type Order = SortKey;
    const READS: StoreReads<Self, CustomerRow> = StoreReads {
        count_capped: Store::customer_count_capped,
        count: Store::customer_count,
        window: Store::customer_page_of,
    };

    fn parts(&mut self) -> (&mut String, &mut SortKey, &mut bool) {
        (&mut self.filter, &mut self.sort, &mut self.descending)
    }

    fn text(&self) -> &str {
        &self.filter
    }

    fn row_id(row: &CustomerRow) -> Id {
        row.id
    }

    /// Three characters or more: the trigram index counts, and the window chooses its plan by
    /// the count (see [`PageSource::count_first`](crate::ui::form::paged::PageSource)).
    fn count_first(&self) -> bool {
        self.filter.trim().chars().count() >= crate::store::customers::FTS_MIN_CHARS
    }
}

impl CustomersScreen {
    pub fn selected_id(&self) -> Option<Id> {
        self.list.selected_row().map(|r| r.id)
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, _keymap: &Keymap) {
        let Some((title_area, table_area)) = crate::ui::form::paged::split(area) else {
            return;
        };
        frame.render_widget(Paragraph::new(self.title_line(theme)), title_area);
        let query = &self.list.source;
        let empty = if query.filter.is_empty() {
            "No customers yet. Press a to add the first one."
        } else if self.list.is_searching() {
            "Searching…"
        } else {
            "No customer matches the filter. Esc clears it."
        };
        let columns = columns_for(table_area.width);
        self.list.render_body(
            frame,
            table_area,
            theme,
            Empty::Centered(empty),
            &columns,
            |row| {
                let disabled = row.status == Status::Disabled;
                let style = if disabled {
                    theme.table.disabled_row
                } else {
                    theme.table.row
                };
                (style, "")
            },
        );
    }

    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let query = &self.list.source;
        let mut spans = vec![Span::styled("Customers ", theme.title)];
        spans.extend(self.list.count_spans(theme));
        spans.push(Span::styled(
            format!(
                "   sort: {}",
                sort_label(query.sort.label(), query.descending)
            ),
            theme.muted,
        ));
        spans.extend(self.list.filter_spans(&query.filter, theme));
        Line::from(spans)
    }
}

impl Component for CustomersScreen {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        self.list.contexts()
    }

    /// The list's keys first (movement, filter, sort); then open and add.
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let effect = self.list.handle_key(key, action, ctx.store);
        if effect != Effect::Ignored || self.list.captures_text() {
            return effect;
        }
        match action {
            Some(Action::Open) => match self.selected_id() {
                Some(id) => Effect::OpenCustomer(id),
                None => Effect::Done,
            },
            Some(Action::Add) => Effect::OpenWizard { resume: false },
            _ => Effect::Ignored,
        }
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        self.list.handle_paste(text, ctx.store)
    }

    fn captures_text(&self) -> bool {
        self.list.captures_text()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.list.captures_text() {
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

    /// Counts again and rereads the visible rows, keeping the selection on the same customer
    /// when it is still there.
    fn reload(&mut self, store: &Store) -> Result<()> {
        self.list.reload(store)
    }

    fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.list.clicked(column, row)
    }

    fn read_in_idle_time(&mut self) {
        Self::read_in_idle_time(self)
    }

    fn has_idle_work(&self) -> bool {
        Self::has_idle_work(self)
    }

    fn idle(&mut self, store: &mut Store, cancel: Box<dyn FnMut() -> bool + Send>) -> bool {
        Self::idle(self, store, cancel)
    }

    fn customer_id(&self) -> Option<Id> {
        self.selected_id()
    }
}

/// The columns that fit: the most useful first, the rest only on wider screens.
fn columns_for(width: u16) -> Vec<Column<'static, CustomerRow>> {
    type Col = Column<'static, CustomerRow>;
    let mut cols = vec![
        Col::text("  Name", Constraint::Fill(3), |r| r.name.clone()),
        Col::text("Type", Constraint::Length(10), |r| {
            r.kind.label().to_string()
        }),
        Col::text("Contact", Constraint::Fill(2), |r| r.contact.clone()),
        Col::text("City", Constraint::Fill(1), |r| r.city.clone()),
        Col::text("Cams", Constraint::Length(5), |r| r.cameras.to_string()),
        Col::text("Status", Constraint::Length(8), |r| {
            r.status.label().to_string()
        }),
    ];
    if width >= 110 {
        cols.insert(
            3,
            Col::text("Email", Constraint::Fill(2), |r| r.email.clone()),
        );
        cols.insert(
            5,
            Col::text("Users", Constraint::Length(5), |r| r.users.to_string()),
        );
    }
    if width >= 140 {
        cols.insert(
            2,
            Col::text("Parent", Constraint::Fill(1), |r| {
                r.parent.clone().unwrap_or_default()
            }),
        );
        cols.insert(
            5,
            Col::text("Phone", Constraint::Length(18), |r| r.phone.clone()),
        );
        cols.push(Col::text("Plan", Constraint::Fill(1), |r| {
            r.plan.clone().unwrap_or_default()
        }));
    }
    if width >= 170 {
        cols.push(Col::text("Created", Constraint::Length(10), |r| {
            r.created_at.chars().take(10).collect()
        }));
    }
    cols
}
