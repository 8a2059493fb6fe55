//! How a [`PagedList`] is drawn under its title row: the store's error, a line saying the list
//! is empty, or the visible rows in columns cut with "…". Drawing reads nothing: the rows were
//! read before ([`PagedList::before_draw`]).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{PageSource, PagedList};
use crate::domain::validate::display;
use crate::theme::Theme;
use crate::ui::form::{clip, draw_line};
use crate::ui::table::{column_widths, fit_cell};

/// One column of a table: its header, its width and the text of each row.
pub struct Column<'a, R> {
    pub title: String,
    pub width: Constraint,
    value: Box<dyn Fn(&R) -> String + 'a>,
}

impl<'a, R: 'a> Column<'a, R> {
    /// A column whose `value` is already safe to draw.
    pub fn new(
        title: impl Into<String>,
        width: Constraint,
        value: impl Fn(&R) -> String + 'a,
    ) -> Self {
        Self {
            title: title.into(),
            width,
            value: Box::new(value),
        }
    }

    /// A column of stored text, made safe to draw.
    pub fn text(title: &str, width: Constraint, value: fn(&R) -> String) -> Self {
        Self::new(title, width, move |r| display(&value(r)).into_owned())
    }
}

/// What the body says when no row matches, a third of the way down.
pub enum Empty<'t> {
    Centered(&'t str),
    Left(&'t str),
}

impl<S: PageSource> PagedList<S> {
    /// Draws the body of the list in `area` (one header row, then rows): the error of the last
    /// read, `empty`, or the table of `columns`. `look` gives the style of a row that is not
    /// selected and what its first cell shows before its text ("[x] " when picked).
    pub fn render_body(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        empty: Empty<'_>,
        columns: &[Column<'_, S::Row>],
        look: impl Fn(&S::Row) -> (Style, &'static str),
    ) {
        let width = usize::from(area.width);
        if let Some(err) = &self.error {
            let line = Line::styled(clip(&display(err), width).into_owned(), theme.error);
            frame.render_widget(Paragraph::new(line), area);
        } else if self.paging.total == 0 {
            let y = area.y + area.height / 3;
            let row = Rect {
                y,
                height: 1,
                ..area
            };
            match empty {
                Empty::Centered(text) => {
                    let line = Line::styled(clip(text, width).into_owned(), theme.muted);
                    frame.render_widget(Paragraph::new(line).centered(), row);
                }
                Empty::Left(text) => {
                    let line = Line::styled(clip(text, width).into_owned(), theme.muted);
                    draw_line(frame.buffer_mut(), area, y, &line);
                }
            }
        } else {
            self.render_table(frame, area, theme, columns, look);
        }
    }

    fn render_table(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        columns: &[Column<'_, S::Row>],
        look: impl Fn(&S::Row) -> (Style, &'static str),
    ) {
        let constraints: Vec<Constraint> = columns.iter().map(|c| c.width).collect();
        let fitted = column_widths(&constraints, area.width, 1);
        let header = Row::new(columns.iter().map(|c| Cell::from(c.title.as_str())))
            .style(theme.table.header);
        let rows = self.paging.visible(area.height).map(|(i, row)| {
            let selected = i == self.paging.selected;
            let (style, prefix) = look(row);
            let style = if selected {
                theme.table.selected
            } else {
                style
            };
            let mark = theme.mark(theme.selection_symbol, selected);
            let cells = columns.iter().enumerate().map(|(n, c)| {
                let text = (c.value)(row);
                if n == 0 {
                    Cell::from(fit_cell(&format!("{mark}{prefix}{text}"), &fitted, n))
                } else {
                    Cell::from(fit_cell(&text, &fitted, n))
                }
            });
            Row::new(cells).style(style)
        });
        let table = Table::new(rows, constraints)
            .header(header)
            .column_spacing(1)
            .style(Style::new());
        frame.render_widget(table, area);
    }
}
