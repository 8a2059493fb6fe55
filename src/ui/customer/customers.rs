//! A sub-integrator's Customers pane: the customers it owns, by name; Enter opens one.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::action::{Action, KeyContext};
use crate::domain::{Customer, CustomerRow, Status};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::{display, draw_line, fit};
use crate::ui::modal::count_of;

/// More than this many are not listed (a sub-integrator of thousands is found with the
/// Customers tab's filter); the title still gives the count.
const LIMIT: i64 = 1_000;

#[derive(Debug, Default)]
pub struct CustomersPane {
    rows: Vec<CustomerRow>,
    total: i64,
    selected: usize,
    /// The first row shown, as the last draw scrolled it to keep the selection in view.
    top: Cell<usize>,
    /// Rows shown at the last draw, for PgUp/PgDn.
    page: Cell<usize>,
}

impl CustomersPane {
    pub fn new(customer: &Customer, ctx: &mut Ctx) -> Result<Self, StoreError> {
        let mut pane = Self::default();
        pane.reload(customer, ctx)?;
        Ok(pane)
    }

    /// Reads the list again, keeping the selection where it can.
    pub fn reload(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        let selected = self.rows.get(self.selected).map(|r| r.id);
        self.rows = ctx.store.customers_under(customer.id, LIMIT)?;
        self.total = ctx.store.delete_impact(customer.id)?.children;
        self.selected = selected
            .and_then(|id| self.rows.iter().position(|r| r.id == id))
            .unwrap_or(0);
        Ok(())
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, _keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let buf = frame.buffer_mut();
        let mut title = vec![Span::styled(
            count_of(self.total, "customer", "customers"),
            theme.title,
        )];
        if self.total > self.rows.len() as i64 {
            title.push(Span::styled(
                format!("  (the first {} listed)", self.rows.len()),
                theme.muted,
            ));
        }
        draw_line(buf, area, area.y, &Line::from(title));
        if self.rows.is_empty() {
            if area.height > 2 {
                let text = "No customers under this sub-integrator.";
                draw_line(buf, area, area.y + 2, &Line::styled(text, theme.muted));
            }
            return;
        }
        if area.height < 3 {
            return;
        }
        let widths = column_widths(area.width);
        let header = ["Name", "Contact", "City", "Cams", "Users", "Status"];
        draw_line(
            buf,
            area,
            area.y + 1,
            &Line::styled(format!("  {}", cells(&header, &widths)), theme.table.header),
        );
        let height = usize::from(area.height - 2);
        self.page.set(height);
        let mut top = self.top.get();
        if self.selected < top {
            top = self.selected;
        } else if self.selected >= top + height {
            top = self.selected + 1 - height;
        }
        self.top.set(top);
        for (i, row) in self.rows.iter().enumerate().skip(top).take(height) {
            let selected = i == self.selected;
            let style = match (selected, row.status) {
                (true, _) => theme.table.selected,
                (false, Status::Disabled) => theme.table.disabled_row,
                (false, Status::Active) => theme.table.row,
            };
            let values = [
                display(&row.name).into_owned(),
                display(&row.contact).into_owned(),
                display(&row.city).into_owned(),
                row.cameras.to_string(),
                row.users.to_string(),
                row.status.label().to_string(),
            ];
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            let mark = theme.mark(theme.selection_symbol, selected);
            let y = area.y + 2 + (i - top) as u16;
            let line = Line::styled(format!("{mark}{}", cells(&values, &widths)), style);
            draw_line(buf, area, y, &line);
        }
    }
}

/// Name, contact and city share what the counts and the status leave.
fn column_widths(width: u16) -> [usize; 6] {
    let fixed = 5 + 5 + 8;
    let gaps = 5;
    let room = usize::from(width).saturating_sub(2 + fixed + gaps);
    let name = room * 2 / 5;
    let contact = room * 2 / 5;
    [name, contact, room - name - contact, 5, 5, 8]
}

/// The values cut to their columns ("…" where cut), one space apart.
fn cells(values: &[&str], widths: &[usize]) -> String {
    values
        .iter()
        .zip(widths)
        .map(|(v, w)| fit(v, *w))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Component for CustomersPane {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::List, KeyContext::Global]
    }

    /// Actions the pane has no use for come back `Ignored`, for the view (sub-tabs, Esc, ...).
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        let last = self.rows.len().saturating_sub(1);
        let page = self.page.get().max(1);
        self.selected = match action {
            Some(Action::Up) => self.selected.saturating_sub(1),
            Some(Action::Down) => (self.selected + 1).min(last),
            Some(Action::PageUp) => self.selected.saturating_sub(page),
            Some(Action::PageDown) => (self.selected + page).min(last),
            Some(Action::Top) => 0,
            Some(Action::Bottom) => last,
            Some(Action::Open) => {
                return match self.rows.get(self.selected) {
                    Some(row) => Effect::OpenCustomer(row.id),
                    None => Effect::Done,
                };
            }
            _ => return Effect::Ignored,
        };
        Effect::Done
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (
            self.contexts(),
            vec![Action::Open, Action::Down, Action::PageDown],
        )
    }
}

impl super::Pane for CustomersPane {
    fn reload_customer(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        CustomersPane::reload(self, customer, ctx)
    }
}
