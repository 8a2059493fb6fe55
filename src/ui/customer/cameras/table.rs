//! The table of the customer's Cameras pane: name, MAC, serial (model and location when wide),
//! plan and recording state of each linked camera.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::{CamerasPane, WIDE_FROM};
use crate::domain::{Camera, Id, Plan};
use crate::theme::Theme;
use crate::ui::form::{clip, display, draw_line};
use crate::ui::modal::count_of;
use crate::ui::table::{column_widths, fit_cell};

impl CamerasPane {
    pub(super) fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = usize::from(area.width);
        let mut footer = format!(
            "{} linked",
            count_of(self.cameras.len() as i64, "camera", "cameras")
        );
        if !self.picked.is_empty() {
            footer.push_str(&format!(" · {} picked", self.picked.len()));
        }
        if self.read_only {
            footer.push_str(" · read-only store");
        }
        let footer_y = area.bottom() - 1;
        let line = Line::styled(clip(&footer, width).into_owned(), theme.muted);
        draw_line(frame.buffer_mut(), area, footer_y, &line);
        let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
        if body.is_empty() {
            return;
        }
        if self.cameras.is_empty() {
            let text = if self.read_only {
                "No cameras are linked to this customer."
            } else {
                "No cameras are linked to this customer. Press L to link some from the inventory."
            };
            let line = Line::styled(clip(text, width).into_owned(), theme.muted);
            draw_line(frame.buffer_mut(), body, body.y, &line);
            return;
        }
        self.page
            .set(usize::from(body.height.saturating_sub(1)).max(1));
        let wide = area.width >= WIDE_FROM;
        let mut widths = vec![
            Constraint::Length(3),
            Constraint::Fill(3),
            Constraint::Length(17),
            Constraint::Fill(2),
        ];
        let mut header = vec!["", "Name", "MAC", "Serial"];
        if wide {
            widths.extend([Constraint::Fill(2), Constraint::Fill(2)]);
            header.extend(["Model", "Location"]);
        }
        widths.extend([Constraint::Length(16), Constraint::Length(9)]);
        header.extend(["Plan", "Recording"]);
        let fitted = fitted_widths(&widths, body.width, theme);
        let rows = self.cameras.iter().map(|c| {
            let plan = plan_label(c.plan_id, self.default_plan, &self.plans);
            let recording = if c.recording { "Recording" } else { "Stopped" };
            let mark = if self.picked.contains(&c.id) {
                "[x]"
            } else {
                "[ ]"
            };
            let mut row = camera_cells(mark, c, wide, &fitted);
            let n = row.len();
            row.push(Cell::from(fit_cell(&display(&plan), &fitted, n)));
            row.push(Cell::from(fit_cell(recording, &fitted, n + 1)));
            let row = Row::new(row);
            if c.recording {
                row
            } else {
                row.style(theme.table.disabled_row)
            }
        });
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(theme.table.header))
            .style(theme.table.row)
            .row_highlight_style(theme.table.selected)
            .highlight_symbol(theme.selection_symbol);
        self.scroll.render(frame, table, body);
    }
}

/// The plan a camera records on, as the Cameras tab shows it: its own, or in parentheses the
/// customer's recording plan; "—" when neither is set.
fn plan_label(plan_id: Option<Id>, recording_plan: Option<Id>, plans: &[Plan]) -> String {
    let name = |id: Id| {
        plans
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| format!("plan #{id}"), |p| p.name.clone())
    };
    match (plan_id, recording_plan) {
        (Some(id), _) => name(id),
        (None, Some(id)) => format!("({})", name(id)),
        (None, None) => "—".into(),
    }
}

/// The pick mark and the fields of a camera table (model and location only when `wide`), made
/// safe to draw and cut to their columns of `widths` with "…".
pub(super) fn camera_cells(
    mark: &'static str,
    c: &Camera,
    wide: bool,
    widths: &[usize],
) -> Vec<Cell<'static>> {
    let mut cells = vec![Cell::from(mark)];
    let mut texts = vec![&c.spec.name, &c.spec.mac, &c.spec.serial];
    if wide {
        texts.extend([&c.spec.model, &c.spec.location]);
    }
    for text in texts {
        let n = cells.len();
        cells.push(Cell::from(fit_cell(&display(text), widths, n)));
    }
    cells
}

/// The widths of the columns of a table drawn with the selection symbol in front of its rows
/// (the symbol takes its columns first, as the table lays it out).
pub(super) fn fitted_widths(constraints: &[Constraint], width: u16, theme: &Theme) -> Vec<usize> {
    let symbol = theme.selection_symbol.width() as u16;
    column_widths(constraints, width.saturating_sub(symbol), 1)
}
