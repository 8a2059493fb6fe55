//! The plan chooser of the customer's Cameras pane: one camera's own recording plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row, Table};

use super::TableScroll;

use crate::domain::{Camera, Id};
use crate::theme::Theme;
use crate::ui::form::display;
use crate::ui::form::popup::popup_frame;

/// The plan chooser of one camera: "Customer default" then every plan.
pub(super) struct PlanPicker {
    pub(super) camera: Camera,
    pub(super) options: Vec<(Option<Id>, String)>,
    pub(super) scroll: TableScroll,
}

impl PlanPicker {
    pub(super) fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let longest = self
            .options
            .iter()
            .map(|(_, l)| l.chars().count())
            .max()
            .unwrap_or(0);
        let width = (longest as u16).saturating_add(10).clamp(30, 60);
        let height = (self.options.len() as u16).saturating_add(2);
        let title = format!("Recording plan of {}", self.camera.spec.name);
        let Some(inner) = popup_frame(
            frame,
            area,
            width,
            height.saturating_sub(2),
            &title,
            theme.modal_border,
        ) else {
            return;
        };
        let rows = self
            .options
            .iter()
            .map(|(_, label)| Row::new([Cell::from(display(label).into_owned())]));
        let table = Table::new(rows, [Constraint::Fill(1)])
            .style(theme.table.row)
            .row_highlight_style(theme.table.selected)
            .highlight_symbol(theme.selection_symbol);
        self.scroll.render(frame, table, inner);
    }
}
