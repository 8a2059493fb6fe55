//! Popup pieces shared by every screen: the centred frame, compact forms drawn row by row
//! ([`FormRow`], [`draw_popup`]; one row is drawn in `popup/row.rs`), the stateful
//! [`PopupForm`] (`popup/form.rs`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use unicode_width::UnicodeWidthStr;

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::form::text_field::error_rows;
use crate::ui::form::{TextField, clip, display, draw_line};
use crate::ui::help::hint_line;

mod form;
mod row;

pub(crate) use form::{FormField, PopupForm};
use row::draw_row;

/// Clears and frames a box `width` wide with `rows` rows inside, centred in `area` and clamped to
/// it, its border and title in `border`; returns its inside with one column of padding, or
/// `None` when nothing fits.
pub(crate) fn popup_frame(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    rows: u16,
    title: &str,
    border: Style,
) -> Option<Rect> {
    let area = area.intersection(frame.area());
    let height = rows.saturating_add(2).min(area.height);
    let width = width.min(area.width);
    if width < 5 || height < 3 {
        return None;
    }
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let title = clip(&display(title), usize::from(width - 4)).into_owned();
    let block = Block::bordered()
        .border_style(border)
        .title(Line::styled(format!(" {title} "), border));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let padded = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    (!padded.is_empty()).then_some(padded)
}

// ---------------------------------------------------------------------------------------------
// Compact popup forms: one row per field (label, then value), an error row under a field only
// when it has one, scrolled so that the focused row is always in view.

/// How a popup form lays its rows out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// A label column beside the values, one row a field (the wizard, Cameras and Plans forms).
    Inline,
    /// Each text field's label above its value; checkboxes and choices on one row (the customer
    /// view's Roles and Users forms).
    Stacked,
}

/// How wide a popup form is, at most.
const FORM_WIDTH: u16 = 76;

/// One row of a popup form.
pub(crate) enum FormRow<'a> {
    Text {
        field: &'a TextField,
        focused: bool,
    },
    Check {
        label: String,
        checked: bool,
        focused: bool,
        /// Cannot be changed (drawn muted).
        locked: bool,
        note: Option<String>,
        indent: u16,
    },
    /// A one-of-n choice changed with Space or Left/Right.
    Radio {
        label: &'static str,
        options: &'static [&'static str],
        selected: usize,
        focused: bool,
        locked: bool,
    },
    Heading(String),
    Error(String),
    Note(String),
}

impl FormRow<'_> {
    fn focused(&self) -> bool {
        match self {
            Self::Text { focused, .. }
            | Self::Check { focused, .. }
            | Self::Radio { focused, .. } => *focused,
            _ => false,
        }
    }

    fn label_width(&self) -> usize {
        match self {
            Self::Text { field, .. } => field.label.width() + 2,
            Self::Radio { label, .. } => label.width() + 2,
            _ => 0,
        }
    }

    /// Rows taken in a popup `width` columns wide inside: a message wraps (see
    /// [`error_rows`]).
    fn height(&self, layout: Layout, width: u16) -> u16 {
        match (self, layout) {
            (Self::Text { .. }, Layout::Stacked) => 2,
            (Self::Error(text), _) => error_rows(Some(text), width).max(1),
            _ => 1,
        }
    }
}

/// The hint row at the bottom of a popup, from the key map, plus Ctrl-S.
pub(crate) fn form_footer(
    keymap: &Keymap,
    theme: &Theme,
    toggles: bool,
    save: &str,
) -> Line<'static> {
    let actions: &[Action] = if toggles {
        &[
            Action::NextField,
            Action::Toggle,
            Action::Submit,
            Action::Cancel,
        ]
    } else {
        &[Action::NextField, Action::Submit, Action::Cancel]
    };
    let mut line = hint_line(keymap, &[KeyContext::Form], actions, theme);
    line.spans.push(Span::raw("  "));
    line.spans.push(Span::styled("Ctrl-S", theme.hint_key));
    line.spans
        .push(Span::styled(format!(" {save}"), theme.hint_label));
    line
}

/// A bordered popup centred in `area` holding `rows`, scrolled so that the focused row (and an
/// error right under it) shows, and the footer line; places the terminal cursor in the focused
/// text field.
pub(crate) fn draw_popup(
    frame: &mut Frame,
    area: Rect,
    layout: Layout,
    title: &str,
    rows: &[FormRow<'_>],
    footer: Line<'static>,
    theme: &Theme,
) {
    // The inside of the frame `popup_frame` draws: border and padding off the clamped width.
    let inner_width = FORM_WIDTH
        .min(area.intersection(frame.area()).width)
        .saturating_sub(4);
    let height = |row: &FormRow<'_>| row.height(layout, inner_width);
    let total: u16 = rows.iter().map(height).sum();
    let wanted = total.saturating_add(2);
    let Some(inner) = popup_frame(frame, area, FORM_WIDTH, wanted, title, theme.modal_border)
    else {
        return;
    };
    if inner.height > 2 {
        draw_line(frame.buffer_mut(), inner, inner.bottom() - 1, &footer);
    }
    let body_rows = inner.height.saturating_sub(2).max(1);
    let focus = rows.iter().position(FormRow::focused).unwrap_or(0);
    let mut end: u16 = rows.iter().take(focus + 1).map(height).sum();
    if let Some(error @ FormRow::Error(_)) = rows.get(focus + 1) {
        end += height(error);
    }
    let skip = end.saturating_sub(body_rows);
    let label_width = rows
        .iter()
        .map(FormRow::label_width)
        .max()
        .unwrap_or(0)
        .saturating_add(theme.blank_symbol.width() + 1)
        .min(usize::from(inner.width / 2)) as u16;
    let mut y = 0u16;
    let mut cursor = None;
    for row in rows {
        let h = height(row);
        if y < skip {
            y += h;
            continue;
        }
        let top = inner.y + (y - skip);
        let room = (inner.y + body_rows).saturating_sub(top);
        // A message may take the rows left, its last one ending in "…"; other rows fit whole.
        let fits = h <= room || (matches!(row, FormRow::Error(_)) && room > 0);
        if !fits {
            break;
        }
        let rect = Rect::new(inner.x, top, inner.width, h.min(room));
        let buf = frame.buffer_mut();
        if let Some(p) = draw_row(buf, rect, row, layout, label_width, theme) {
            cursor = Some(p);
        }
        y += h;
    }
    if let Some(p) = cursor.filter(|p| inner.contains(*p)) {
        frame.set_cursor_position(p);
    }
}
