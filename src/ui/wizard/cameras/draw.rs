//! Drawing the wizard's cameras step: the title line with the count picked and the filter, the
//! list of new and inventory cameras, and the camera form over them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::{CameraStep, LIMIT, Slot};
use crate::domain::Id;
use crate::domain::validate::display;
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::form::draw_line;
use crate::ui::table::{column_widths, fit_cell};

impl CameraStep {
    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let mut y = area.y;
        draw_line(frame.buffer_mut(), area, y, &self.title_line(theme));
        y += 1;
        if let Some(notice) = &self.notice {
            let line = Line::styled(format!("! {}", display(notice)), theme.warning);
            draw_line(frame.buffer_mut(), area, y, &line);
            y += 1;
        }
        let footer = u16::from(self.more);
        let table = Rect::new(
            area.x,
            y.min(area.bottom()),
            area.width,
            area.bottom().saturating_sub(y).saturating_sub(footer),
        );
        if self.more && area.bottom() > y {
            let text = format!("showing first {LIMIT} — filter to narrow");
            let line = Line::styled(text, theme.muted);
            draw_line(frame.buffer_mut(), area, area.bottom() - 1, &line);
        }
        self.render_table(frame, table, theme);
        if let Some(form) = &self.form {
            form.form.draw(frame, area, theme, keymap);
        }
    }

    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let count = self.count();
        let noun = if count == 1 { "camera" } else { "cameras" };
        let mut spans = vec![
            Span::styled("Link cameras  ", theme.title),
            Span::styled(format!("{count} {noun} picked"), theme.info),
        ];
        let shown: Vec<Id> = self.rows.iter().map(|c| c.id).collect();
        let hidden = self
            .picked
            .iter()
            .filter(|c| !shown.contains(&c.id))
            .count();
        if hidden > 0 {
            spans.push(Span::styled(format!(" ({hidden} not shown)"), theme.muted));
        }
        if let Some(input) = &self.filter_input {
            spans.push(Span::styled("   filter: /", theme.focus));
            spans.push(Span::styled(
                display(input.value()).into_owned(),
                theme.input_focused,
            ));
            spans.push(Span::styled("▏", theme.focus));
        } else if !self.filter.is_empty() {
            spans.push(Span::styled("   filter: /", theme.muted));
            spans.push(Span::raw(display(&self.filter).into_owned()));
        }
        Line::from(spans)
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 2 || area.width < 10 {
            return;
        }
        let shown = self.shown();
        if shown.is_empty() {
            let text = if self.filter.is_empty() {
                "No unlinked cameras in the inventory. Press n to register a new one."
            } else {
                "No unlinked camera matches the filter. Esc clears it."
            };
            let line = Line::styled(text, theme.muted);
            draw_line(frame.buffer_mut(), area, area.y + 1, &line);
            return;
        }
        let page = usize::from(area.height - 1).max(1);
        let mut top = self.top.get();
        if self.selected >= top + page {
            top = self.selected + 1 - page;
        }
        let top = top.min(self.selected);
        self.page.set(page);
        self.top.set(top);
        let wide = area.width >= 80;
        let mut titles = vec!["", "Name", "MAC address", "Serial"];
        let mut widths = vec![
            Constraint::Length(9),
            Constraint::Fill(3),
            Constraint::Length(17),
            Constraint::Fill(2),
        ];
        if wide {
            titles.extend(["Model", "Location"]);
            widths.extend([Constraint::Fill(2), Constraint::Fill(2)]);
        }
        let fitted = column_widths(&widths, area.width, 1);
        let header = Row::new(titles.iter().map(|t| Cell::from(*t))).style(theme.table.header);
        let rows = shown
            .iter()
            .enumerate()
            .skip(top)
            .take(page)
            .map(|(i, &slot)| {
                let spec = self.spec(slot);
                let selected = i == self.selected;
                let mark = theme.mark(theme.selection_symbol, selected);
                let boxed = if self.is_picked(slot) { "[x]" } else { "[ ]" };
                let tag = if matches!(slot, Slot::Stock(_)) {
                    ""
                } else {
                    " new"
                };
                let mut texts = vec![
                    format!("{mark}{boxed}{tag}"),
                    display(&spec.name).into_owned(),
                    display(&spec.mac).into_owned(),
                    display(&spec.serial).into_owned(),
                ];
                if wide {
                    texts.push(display(&spec.model).into_owned());
                    texts.push(display(&spec.location).into_owned());
                }
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
        let table = Table::new(rows, widths).header(header).column_spacing(1);
        frame.render_widget(table, area);
    }
}
