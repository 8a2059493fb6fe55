//! How the audit list is drawn: its title row (count, filters) and its columns, the operator
//! and action columns as wide as what is shown.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::browser::AuditBrowser;
use super::detail::{local_time, operator_label};
use crate::domain::validate::display;
use crate::store::views::AuditEntry;
use crate::theme::Theme;
use crate::ui::form::draw_line;
use crate::ui::form::paged::{Column, Empty, split};

impl AuditBrowser {
    /// The title row and the table, or the line saying none matches.
    pub(super) fn draw_list(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some((title, body)) = split(area) else {
            return;
        };
        draw_line(frame.buffer_mut(), title, title.y, &self.title_line(theme));
        let empty = if self.list.source.query != self.list.source.scope() {
            "No entry matches the filter. Esc clears it."
        } else {
            "No audit entries yet."
        };
        let columns = self.columns(body.width);
        self.list
            .render_body(frame, body, theme, Empty::Left(empty), &columns, |_| {
                (theme.table.row, "")
            });
    }

    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let scoped = self.scoped();
        let name = if scoped { "Logs" } else { "Audit Log" };
        let mut spans = vec![Span::styled(format!("{name} "), theme.title)];
        spans.extend(self.list.count_spans(theme));
        spans.push(Span::styled("   newest first", theme.muted));
        let q = self.query();
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
        if let (Some(id), false) = (q.customer_id, scoped) {
            filters.push(format!("customer #{id}"));
        }
        if !filters.is_empty() {
            spans.push(Span::styled("   filter: ", theme.focus));
            spans.push(Span::raw(filters.join(", ")));
        }
        Line::from(spans)
    }

    /// Time, operator, action, (customer), summary. Narrow screens drop the year, so the
    /// summary keeps some room.
    fn columns(&self, width: u16) -> Vec<Column<'_, AuditEntry>> {
        let zone = jiff::Timestamp::now()
            .to_zoned(self.tz.clone())
            .strftime("%Z")
            .to_string();
        let compact = width < 100;
        let time_width = if compact { 13 } else { 18 };
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
        let tz = &self.tz;
        let short = move |t: String| {
            if compact && t.len() == 16 && t.is_char_boundary(5) {
                t[5..].to_string()
            } else {
                t
            }
        };
        let mut columns = vec![
            Column::new(
                format!("  Time ({})", display(&zone)),
                Constraint::Length(time_width),
                move |e: &AuditEntry| short(local_time(&e.at, tz, false)),
            ),
            Column::new(
                "Operator",
                Constraint::Length(operator),
                |e: &AuditEntry| operator_label(&e.operator, e.client.as_deref()),
            ),
            Column::new("Action", Constraint::Length(action), |e: &AuditEntry| {
                display(&e.action).into_owned()
            }),
        ];
        if !self.scoped() {
            columns.push(Column::new(
                "Customer",
                Constraint::Fill(1),
                |e: &AuditEntry| display(e.customer_name.as_deref().unwrap_or("")).into_owned(),
            ));
        }
        columns.push(Column::new(
            "Summary",
            Constraint::Fill(2),
            |e: &AuditEntry| display(&e.summary).into_owned(),
        ));
        columns
    }
}
