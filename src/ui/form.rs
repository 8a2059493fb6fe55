//! Form widgets for the Account Profile edit form and the add-customer wizard: a one-line text
//! field (tui-input), a checkbox, a choice list with type-to-filter, a focus ring and inline
//! errors.
//!
//! Every widget draws with `draw(&self, buf, area, focused, theme)`, which returns where the
//! terminal cursor belongs, and with `render(&self, frame, ..)`, which also places it. Drawing
//! never panics, whatever the text and however small the area: text goes through
//! [`display`] and is cut by display width, never wrapped.

pub(crate) mod camera;
mod checkbox;
mod choice;
pub mod paged;
pub mod popup;
pub(crate) mod role;
pub(crate) mod rows;
mod text_field;
pub(crate) mod user;

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

pub use checkbox::Checkbox;
pub use choice::Choice;
pub use text_field::TextField;

use crate::theme::Theme;

/// The one safe path from user or stored text to the screen.
pub(crate) fn display(text: &str) -> Cow<'_, str> {
    crate::domain::validate::display(text)
}

/// Which of `len` focusable items has focus; moves wrap around and skip items that are disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FocusRing {
    index: usize,
    len: usize,
}

impl FocusRing {
    pub fn new(len: usize) -> Self {
        Self { index: 0, len }
    }

    pub fn current(&self) -> usize {
        self.index
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn is_focused(&self, item: usize) -> bool {
        self.len > 0 && self.index == item
    }

    /// Focuses `item` (clamped to the last item).
    pub fn set(&mut self, item: usize) {
        self.index = item.min(self.len.saturating_sub(1));
    }

    /// Changes the number of items, keeping the focus inside.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.set(self.index);
    }

    /// Moves to the next item for which `disabled` is false, wrapping; stays put when there is
    /// none. Returns the new index.
    pub fn next(&mut self, disabled: impl Fn(usize) -> bool) -> usize {
        self.step(1, disabled)
    }

    /// Moves to the previous enabled item, wrapping.
    pub fn prev(&mut self, disabled: impl Fn(usize) -> bool) -> usize {
        self.step(self.len.saturating_sub(1), disabled)
    }

    /// Whether no enabled item follows the current one (Enter there means "next step").
    pub fn is_last(&self, disabled: impl Fn(usize) -> bool) -> bool {
        (self.index + 1..self.len).all(disabled)
    }

    fn step(&mut self, by: usize, disabled: impl Fn(usize) -> bool) -> usize {
        let mut item = self.index;
        for _ in 0..self.len {
            item = (item + by) % self.len;
            if !disabled(item) {
                self.index = item;
                break;
            }
        }
        self.index
    }
}

/// `text` cut to `width` columns and padded with spaces to exactly `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    let cut = clip(text, width);
    let pad = width.saturating_sub(cells(&cut));
    format!("{cut}{:pad$}", "")
}

/// Cuts `text` to at most `width` display columns, ending in "…" when something was cut.
/// Does not sanitise: pass text through [`display`] first.
pub fn clip(text: &str, width: usize) -> Cow<'_, str> {
    if cells(text) <= width {
        return Cow::Borrowed(text);
    }
    match width {
        0 => Cow::Borrowed(""),
        _ => Cow::Owned(format!("{}…", prefix(text, width - 1))),
    }
}

/// The columns `text` takes in the buffer: its grapheme clusters one by one, as ratatui lays
/// them out (a whole-string width can differ, e.g. for Arabic lam-alef).
fn cells(text: &str) -> usize {
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// The longest start of `text` that fits in `width` columns, never splitting a grapheme cluster.
fn prefix(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, cluster) in text.grapheme_indices(true) {
        used += cluster.width();
        if used > width {
            return &text[..i];
        }
    }
    text
}

fn line_cells(line: &Line<'_>) -> usize {
    line.spans.iter().map(|span| cells(&span.content)).sum()
}

/// Draws `line` on row `y` of `area`, cut to the area's width with "…" where something was cut;
/// nothing outside `area` or the buffer is touched. Returns the column after the last cell drawn.
pub fn draw_line(buf: &mut Buffer, area: Rect, y: u16, line: &Line<'_>) -> u16 {
    let area = area.intersection(buf.area);
    if area.is_empty() || y < area.top() || y >= area.bottom() {
        return area.x;
    }
    let width = usize::from(area.width);
    if line_cells(line) <= width {
        return buf.set_line(area.x, y, line, area.width).0;
    }
    buf.set_line(area.x, y, &clip_line(line, width), area.width)
        .0
}

/// `line` cut to `width` columns, its last column an ellipsis in the style of the cut span.
fn clip_line<'a>(line: &Line<'a>, width: usize) -> Line<'a> {
    let mut spans = Vec::new();
    let mut left = width;
    for span in &line.spans {
        let span_width = cells(&span.content);
        if span_width < left {
            left -= span_width;
            spans.push(span.clone());
            continue;
        }
        let kept = prefix(&span.content, left.saturating_sub(1));
        spans.push(Span::styled(format!("{kept}…"), span.style));
        break;
    }
    Line {
        spans,
        style: line.style,
        alignment: line.alignment,
    }
}

/// The line of an inline error under a field: the theme's danger mark and the message.
pub fn error_line(message: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(theme.blank_symbol, theme.error),
        Span::styled(theme.danger_symbol, theme.error),
        Span::styled(display(message).into_owned(), theme.error),
    ])
}

/// The title of a group of fields ("Contact", "Billing").
pub fn section_title(title: &str, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(display(title).into_owned(), theme.title))
}

/// The label line of a field: focus mark, label, and a note such as " *" or " (read-only)".
fn label_line(label: &str, note: &str, focused: bool, theme: &Theme) -> Line<'static> {
    let style = if focused { theme.focus } else { Style::new() };
    Line::from(vec![
        Span::styled(theme.mark(theme.focus_symbol, focused), theme.focus),
        Span::styled(display(label).into_owned(), style),
        Span::styled(note.to_owned(), theme.muted),
    ])
}

/// Splits a field's area into its label, value and error rows. A one-row area keeps only the
/// value; the error row exists only when there is room for it.
fn field_rows(area: Rect) -> (Option<Rect>, Option<Rect>, Option<Rect>) {
    let row = |i: u16| (i < area.height).then(|| Rect::new(area.x, area.y + i, area.width, 1));
    if area.width == 0 || area.height == 0 {
        return (None, None, None);
    }
    if area.height == 1 {
        return (None, row(0), None);
    }
    (row(0), row(1), row(2))
}

/// The value box of a field: indented under the label by the width of the focus mark.
fn value_box(row: Rect, theme: &Theme) -> Rect {
    let indent = (theme.blank_symbol.chars().count() as u16).min(row.width.saturating_sub(1));
    Rect::new(row.x + indent, row.y, row.width - indent, row.height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_ring_wraps_and_skips_disabled() {
        let mut ring = FocusRing::new(4);
        let disabled = |i: usize| i == 1;
        assert_eq!(ring.next(disabled), 2);
        assert_eq!(ring.next(disabled), 3);
        assert!(ring.is_last(disabled));
        assert_eq!(ring.next(disabled), 0);
        assert_eq!(ring.prev(disabled), 3);
        assert_eq!(ring.prev(disabled), 2);
        assert_eq!(ring.prev(disabled), 0);
        let mut all_off = FocusRing::new(3);
        assert_eq!(all_off.next(|_| true), 0);
        let mut empty = FocusRing::new(0);
        assert_eq!(empty.next(|_| false), 0);
        assert!(!empty.is_focused(0));
    }

    #[test]
    fn clip_respects_display_width() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("日本語", 4), "日…");
        assert_eq!(clip("日本語", 1), "…");
        assert_eq!(clip("日本語", 0), "");
    }

    #[test]
    fn clip_never_splits_a_cluster() {
        // Each "e\u{301}" is one column; a cut lands between clusters, never inside one.
        let text = "e\u{301}e\u{301}e\u{301}";
        assert_eq!(clip(text, 3), text);
        assert_eq!(clip(text, 2), "e\u{301}…");
        // Lam-alef is two clusters and two cells, though its string width is one.
        assert_eq!(cells("لا"), 2);
        assert_eq!(clip("لاب", 2), "ل…");
    }
}
