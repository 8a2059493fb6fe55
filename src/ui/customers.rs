//! The Customers tab: a table over any number of customers, paged from the store, with an
//! incremental filter, sorting and an `n of m` count.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::action::{Action, KeyContext};
use crate::app::{Ctx, Effect, Flash};
use crate::domain::validate::{clean_paste, display};
use crate::domain::{CustomerRow, Id, Status};
use crate::store::{CustomerQuery, Result, Store};
use crate::theme::Theme;
use crate::ui::form::clip;

/// A window of rows read from the store: rows `start..start + rows.len()` of the current query.
#[derive(Debug, Default)]
struct Window {
    start: i64,
    rows: Vec<CustomerRow>,
}

#[derive(Debug, Default)]
pub struct CustomersScreen {
    query: CustomerQuery,
    /// Rows matching the query; counted again only when the query or the store changes.
    total: i64,
    /// Rows in the store, for "n of m".
    all: i64,
    /// Absolute index of the selected row.
    selected: i64,
    /// Absolute index of the first visible row.
    top: i64,
    /// Rows that fit on screen at the last draw, for paging.
    page: i64,
    window: Window,
    /// The filter being typed after `/`; `None` when the filter line is not focused.
    filter_input: Option<Input>,
    /// An error reading the store, shown instead of the table.
    error: Option<String>,
}

/// How many rows to read around the visible ones so that small moves need no query.
const READ_AHEAD: i64 = 50;

impl CustomersScreen {
    pub fn new(store: &Store) -> Result<Self> {
        let mut s = Self {
            page: 20,
            ..Self::default()
        };
        s.reload(store)?;
        Ok(s)
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
    /// cost one indexed search, not a count of the whole table besides.
    fn recount(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_id();
        self.total = if self.query.filter.trim().is_empty() {
            self.all
        } else {
            store.customer_count(&self.query)?
        };
        self.window = Window::default();
        self.clamp();
        self.fill(store)?;
        if let Some(id) = keep
            && self.selected_id() != Some(id)
        {
            // The customer moved (renamed or deleted): look for it in the window only; a full
            // search for its new position would cost a scan.
            if let Some(pos) = self.window.rows.iter().position(|r| r.id == id) {
                self.selected = self.window.start + pos as i64;
            }
        }
        self.error = None;
        Ok(())
    }

    pub fn selected_id(&self) -> Option<Id> {
        self.row(self.selected).map(|r| r.id)
    }

    fn row(&self, index: i64) -> Option<&CustomerRow> {
        let i = index - self.window.start;
        if i < 0 {
            return None;
        }
        self.window.rows.get(i as usize)
    }

    fn clamp(&mut self) {
        self.selected = self.selected.clamp(0, (self.total - 1).max(0));
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + self.page.max(1) {
            self.top = self.selected - self.page.max(1) + 1;
        }
        self.top = self.top.clamp(0, (self.total - self.page.max(1)).max(0));
    }

    /// Reads the rows around the visible ones when the window does not cover them.
    fn fill(&mut self, store: &Store) -> Result<()> {
        let need_end = (self.top + self.page).min(self.total);
        let have_end = self.window.start + self.window.rows.len() as i64;
        if self.top >= self.window.start && need_end <= have_end && !self.window.rows.is_empty() {
            return Ok(());
        }
        if self.total == 0 {
            self.window = Window::default();
            return Ok(());
        }
        let start = (self.top - READ_AHEAD).max(0);
        let limit = self.page + 2 * READ_AHEAD;
        // The total lets the store read a window near the end backwards (cheap `G`).
        self.window = Window {
            start,
            rows: store.customer_page_of(&self.query, start, limit, Some(self.total))?,
        };
        Ok(())
    }

    pub fn captures_text(&self) -> bool {
        self.filter_input.is_some()
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.filter_input.is_some() {
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
        if let Some(input) = &mut self.filter_input {
            let mut value = input.value().to_string();
            value.push_str(&clean_paste(text, false));
            *input = Input::new(value);
            return self.filter_changed(ctx);
        }
        Effect::Ignored
    }

    pub fn handle_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        if self.filter_input.is_some() {
            return self.handle_filter_key(key, ctx);
        }
        let Some(action) = ctx.keymap.lookup(KeyContext::List, key) else {
            return Effect::Ignored;
        };
        let before = (self.selected, self.top);
        match action {
            Action::Up => self.selected -= 1,
            Action::Down => self.selected += 1,
            Action::PageUp => {
                self.selected -= self.page;
                self.top -= self.page;
            }
            Action::PageDown => {
                self.selected += self.page;
                self.top += self.page;
            }
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.total - 1,
            Action::Filter => {
                self.filter_input = Some(Input::new(self.query.filter.clone()));
                return Effect::Done;
            }
            Action::Sort => {
                self.query.sort = self.query.sort.next();
                self.selected = 0;
                self.top = 0;
                return self.requery(ctx, Some(format!("sorted by {}", self.query.sort.label())));
            }
            Action::Open => {
                return match self.selected_id() {
                    Some(id) => Effect::OpenCustomer(id),
                    None => Effect::Done,
                };
            }
            Action::Add => return Effect::OpenWizard { resume: false },
            _ => return Effect::Ignored,
        }
        self.clamp();
        if (self.selected, self.top) != before
            && let Err(e) = self.fill(ctx.store)
        {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        Effect::Done
    }

    fn handle_filter_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        match ctx.keymap.lookup(KeyContext::Modal, key) {
            Some(Action::Confirm) => {
                self.filter_input = None;
                return Effect::Done;
            }
            Some(Action::Cancel) => {
                self.filter_input = None;
                if self.query.filter.is_empty() {
                    return Effect::Done;
                }
                self.query.filter.clear();
                return self.requery(ctx, None);
            }
            _ => {}
        }
        if matches!(
            key.code,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown
        ) {
            // Moving in the list while filtering keeps the filter open.
            let saved = self.filter_input.take();
            let effect = self.handle_key(key, ctx);
            self.filter_input = saved;
            return effect;
        }
        let Some(input) = &mut self.filter_input else {
            return Effect::Ignored;
        };
        let event = ratatui::crossterm::event::Event::Key(*key);
        match input.handle_event(&event) {
            Some(change) if change.value => self.filter_changed(ctx),
            _ => Effect::Done,
        }
    }

    fn filter_changed(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(input) = &self.filter_input else {
            return Effect::Done;
        };
        // Control characters cannot be part of any stored text worth finding.
        let text: String = input.value().chars().filter(|c| !c.is_control()).collect();
        if text == self.query.filter {
            return Effect::Done;
        }
        self.query.filter = text;
        self.selected = 0;
        self.top = 0;
        self.requery(ctx, None)
    }

    fn requery(&mut self, ctx: &mut Ctx, message: Option<String>) -> Effect {
        match self.recount(ctx.store) {
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
        self.page = (table_area.height as i64 - 1).max(1);
        self.clamp();
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
        if self.total == 0 {
            self.render_empty(frame, table_area, theme);
            return;
        }
        self.render_table(frame, table_area, theme);
    }

    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let position = if self.total == 0 {
            0
        } else {
            self.selected + 1
        };
        let mut spans = vec![
            Span::styled("Customers ", theme.title),
            Span::styled(format!(" {position} of {}", self.total), theme.muted),
        ];
        if self.total != self.all {
            spans.push(Span::styled(
                format!(" (of {} in all)", self.all),
                theme.muted,
            ));
        }
        spans.push(Span::styled(
            format!("   sort: {}", self.query.sort.label()),
            theme.muted,
        ));
        if let Some(input) = &self.filter_input {
            spans.push(Span::styled("   filter: /", theme.focus));
            spans.push(Span::styled(
                display(input.value()).into_owned(),
                theme.input_focused,
            ));
            spans.push(Span::styled("▏", theme.focus));
        } else if !self.query.filter.is_empty() {
            spans.push(Span::styled("   filter: /", theme.muted));
            spans.push(Span::raw(display(&self.query.filter).into_owned()));
        }
        Line::from(spans)
    }

    fn render_empty(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let text = if self.query.filter.is_empty() {
            "No customers yet. Press a to add the first one."
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
        let header =
            Row::new(columns.iter().map(|c| Cell::from(c.title))).style(theme.table.header);
        let visible = (area.height as i64 - 1).max(0);
        let rows = (self.top..(self.top + visible).min(self.total)).filter_map(|i| {
            let row = self.row(i)?;
            let selected = i == self.selected;
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
                    Cell::from(format!("{mark}{text}"))
                } else {
                    Cell::from(text)
                }
            });
            Some(Row::new(cells).style(style))
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
