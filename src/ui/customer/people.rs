//! The pieces the Roles and Users panes share: the table with its selection, the footer of
//! keys, the one-time notice, the popup form footer and the error line.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::theme::Theme;
use crate::ui::component::Effect;
use crate::ui::form::TextField;
use crate::ui::form::paged::step;
use crate::ui::form::{display, draw_line};
use crate::ui::help::hint_line;
use crate::ui::modal::{dialog_text_width, render_box, wrap_paragraphs};
use crate::ui::table::{column_widths, fit_cell};

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// Selection and scroll of a table.
#[derive(Debug, Clone, Default)]
pub(super) struct TablePos {
    pub state: TableState,
    pub len: usize,
    pub page: usize,
}

impl TablePos {
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        let at = self.state.selected().unwrap_or(0);
        self.state.select((len > 0).then(|| at.min(len - 1)));
    }

    pub fn selected(&self) -> Option<usize> {
        self.state.selected().filter(|i| *i < self.len)
    }

    pub fn select(&mut self, i: usize) {
        self.state
            .select((self.len > 0).then(|| i.min(self.len - 1)));
    }

    /// Applies a list movement; false when `action` is not one.
    pub fn apply(&mut self, action: Action) -> bool {
        let last = self.len.saturating_sub(1);
        let now = self.state.selected().unwrap_or(0);
        let Some(next) = step(now, last, self.page.max(1), action) else {
            return false;
        };
        self.select(next);
        true
    }
}

/// A table of already sanitised cells with a footer line under it.
pub(super) struct TableSpec<'a> {
    pub header: &'a [&'a str],
    pub widths: &'a [Constraint],
    pub rows: Vec<Vec<(String, Style)>>,
    pub footer: Line<'static>,
}

pub(super) fn draw_table(
    frame: &mut Frame,
    area: Rect,
    spec: TableSpec<'_>,
    pos: &mut TablePos,
    theme: &Theme,
) {
    let TableSpec {
        header,
        widths,
        rows,
        footer,
    } = spec;
    let area = area.intersection(frame.area());
    if area.is_empty() {
        return;
    }
    pos.set_len(rows.len());
    draw_line(frame.buffer_mut(), area, area.bottom() - 1, &footer);
    let body = Rect::new(area.x, area.y, area.width, area.height - 1);
    if body.is_empty() {
        return;
    }
    pos.page = usize::from(body.height.saturating_sub(1)).max(1);
    // The selected row's highlight symbol takes its width from the columns.
    let symbol = match pos.state.selected() {
        Some(_) => Span::raw(theme.selection_symbol).width() as u16,
        None => 0,
    };
    let fitted = column_widths(widths, body.width.saturating_sub(symbol), 1);
    let header = Row::new(header.iter().map(|h| Cell::from(*h))).style(theme.table.header);
    let rows =
        rows.into_iter().map(|cells| {
            Row::new(cells.into_iter().enumerate().map(|(n, (text, style))| {
                Cell::from(Span::styled(fit_cell(&text, &fitted, n), style))
            }))
        });
    let table = Table::new(rows, widths.to_vec())
        .header(header)
        .style(theme.table.row)
        .row_highlight_style(theme.table.selected)
        .highlight_symbol(theme.selection_symbol);
    frame.render_stateful_widget(table, body, &mut pos.state);
}

/// The pane's own keys for the footer, from the key map where an action exists, plus extras
/// such as `u assign users` that have none yet.
pub(super) fn keys_line(
    keymap: &Keymap,
    actions: &[Action],
    extra: &[(&str, &str)],
    lead: String,
    theme: &Theme,
) -> Line<'static> {
    let mut line = Line::from(Span::styled(lead, theme.muted));
    let hints = hint_line(keymap, &[KeyContext::List], actions, theme);
    for span in hints.spans {
        if line.spans.len() == 1 {
            line.spans.push(Span::raw("  "));
        }
        line.spans.push(span);
    }
    for (key, label) in extra {
        line.spans.push(Span::raw("  "));
        line.spans
            .push(Span::styled(key.to_string(), theme.hint_key));
        line.spans.push(Span::raw(" "));
        line.spans
            .push(Span::styled(label.to_string(), theme.hint_label));
    }
    line
}

/// A message in paragraphs (the one-time password); Enter or Esc closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Notice {
    pub title: String,
    pub paragraphs: Vec<String>,
}

impl Notice {
    /// True when the key closes it.
    pub fn closes(&self, key: &KeyEvent, keymap: &Keymap) -> bool {
        matches!(
            keymap.lookup(KeyContext::Modal, key),
            Some(Action::Confirm | Action::Cancel)
        )
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let body = wrap_paragraphs(&self.paragraphs, dialog_text_width(area));
        let footer = hint_line(
            keymap,
            &[KeyContext::Modal],
            &[Action::Confirm, Action::Cancel],
            theme,
        );
        render_box(
            frame,
            area,
            &self.title,
            &body,
            None,
            footer,
            theme.modal_border,
        );
    }
}

/// A store error as one safe line.
pub(super) fn error_text(e: &StoreError) -> String {
    display(&e.to_string()).into_owned()
}

/// The hint of a pane's popup form.
pub(super) fn form_hint() -> (Vec<KeyContext>, Vec<Action>) {
    (
        vec![KeyContext::Form],
        vec![
            Action::NextField,
            Action::PrevField,
            Action::Toggle,
            Action::Save,
            Action::Cancel,
        ],
    )
}

/// A paste into a pane: into the focused text field of its form, swallowed by any other popup
/// (`popup_open`), left to the view when no popup is open.
pub(super) fn paste(popup_open: bool, field: Option<&mut TextField>, text: &str) -> Effect {
    if let Some(field) = field {
        field.insert_str(text);
    }
    if popup_open {
        Effect::Done
    } else {
        Effect::Ignored
    }
}
