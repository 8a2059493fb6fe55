//! The help overlay and the hint line, both generated from the key map; and the centred-popup
//! helper the other popups use.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use ratatui::crossterm::event::KeyEvent;

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::draw_line;

/// Columns between two columns of the help overlay.
const GAP: usize = 3;

/// A `width` x `height` rectangle centred in `area`, shrunk to fit inside it.
pub fn centered_rect(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// `key label  key label` for the bottom line. The caller names the actions that matter on the
/// current screen and the contexts to look them up in; the keys come only from the key map.
pub fn hint_line(
    keymap: &Keymap,
    ctxs: &[KeyContext],
    actions: &[Action],
    theme: &Theme,
) -> Line<'static> {
    hint_line_within(keymap, ctxs, actions, theme, usize::MAX)
}

/// As [`hint_line`], keeping only the hints that fit whole in `width` columns: a hint cut in
/// half ("Ctrl-N next st") would name a key without saying what it does.
pub fn hint_line_within(
    keymap: &Keymap,
    ctxs: &[KeyContext],
    actions: &[Action],
    theme: &Theme,
    width: usize,
) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, label) in keymap.hints(ctxs, actions) {
        let gap = if spans.is_empty() { 0 } else { 2 };
        let need = gap + keys.width() + 1 + label.width();
        if used + need > width {
            break;
        }
        used += need;
        if gap > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(keys, theme.hint_key));
        spans.push(Span::raw(" "));
        spans.push(Span::styled(label, theme.hint_label));
    }
    Line::from(spans)
}

/// The first hints left out of a line too narrow for all: the cursor keys every list shares,
/// and the backward twin of a forward key that stays shown.
const OBVIOUS: [Action; 9] = [
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::Top,
    Action::Bottom,
    Action::PrevSubTab,
    Action::PrevField,
    Action::PrevStep,
];

/// The hint line of the app in `width` columns. When every hint does not fit, the [`OBVIOUS`]
/// ones go first; when the rest still does not fit, as many as fit are shown and the line ends in
/// "… ? help": every key stays one `?` away, none is shown cut.
pub fn hint_line_fitting(
    keymap: &Keymap,
    ctxs: &[KeyContext],
    actions: &[Action],
    theme: &Theme,
    width: usize,
) -> Line<'static> {
    let needs = |actions: &[Action]| -> usize {
        let hints = keymap.hints(ctxs, actions);
        let gaps = 2 * hints.len().saturating_sub(1);
        gaps + hints
            .iter()
            .map(|(keys, label)| keys.width() + 1 + label.width())
            .sum::<usize>()
    };
    if needs(actions) <= width {
        return hint_line_within(keymap, ctxs, actions, theme, width);
    }
    let mut kept: Vec<Action> = actions
        .iter()
        .copied()
        .filter(|a| !OBVIOUS.contains(a))
        .collect();
    if needs(&kept) <= width {
        return hint_line_within(keymap, ctxs, &kept, theme, width);
    }
    kept.retain(|a| *a != Action::Help);
    let Some((keys, label)) = keymap.hints(ctxs, &[Action::Help]).into_iter().next() else {
        return hint_line_within(keymap, ctxs, &kept, theme, width);
    };
    let tail = 2 + "… ".width() + keys.width() + 1 + label.width();
    let mut line = hint_line_within(keymap, ctxs, &kept, theme, width.saturating_sub(tail));
    if !line.spans.is_empty() {
        line.spans.push(Span::raw("  "));
    }
    line.spans.push(Span::styled("… ", theme.muted));
    line.spans.push(Span::styled(keys, theme.hint_key));
    line.spans.push(Span::raw(" "));
    line.spans.push(Span::styled(label, theme.hint_label));
    line
}

/// The help overlay as the app shows it: opened with `?`, scrolled with the list keys, closed
/// with the keys that close it (Back, Help, Quit). It takes every key while open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpOverlay {
    /// The first row shown.
    row: usize,
    /// The last draw showed the last row: do not scroll further (set while drawing, which
    /// alone knows how many rows fit).
    at_end: std::cell::Cell<bool>,
}

impl HelpOverlay {
    /// Draws it over `area`, remembering whether the last row was shown.
    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let more = draw_help(frame.buffer_mut(), area, keymap, theme, self.row);
        self.at_end.set(!more);
    }
}

impl Component for HelpOverlay {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Global, KeyContext::List]
    }

    /// [`Effect::Back`] when the key closes it.
    fn handle_key(&mut self, _key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        let (row, at_end) = (self.row, self.at_end.get());
        self.row = match action {
            Some(Action::Help | Action::Back | Action::Quit) => return Effect::Back(None),
            Some(Action::Down) if !at_end => row + 1,
            Some(Action::Up) => row.saturating_sub(1),
            Some(Action::PageDown) if !at_end => row + 10,
            Some(Action::PageUp) => row.saturating_sub(10),
            Some(Action::Top) => 0,
            _ => row,
        };
        Effect::Done
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (self.contexts(), vec![Action::Back])
    }
}

/// One row of the help overlay.
enum Row {
    Title(&'static str),
    Entry(String, String),
    Gap,
}

/// Draws every binding of the key map, grouped by context, in as many columns as fit, in a
/// centred box over `area` (whatever was under it is cleared).
pub fn render_help(frame: &mut Frame, area: Rect, keymap: &Keymap, theme: &Theme) {
    draw_help(frame.buffer_mut(), area, keymap, theme, 0);
}

/// As [`render_help`] into a buffer, starting at row `first` of the list, for terminals too
/// small to show it whole. Returns whether rows were left out at the end.
pub fn draw_help(
    buf: &mut Buffer,
    area: Rect,
    keymap: &Keymap,
    theme: &Theme,
    first: usize,
) -> bool {
    let area = area.intersection(buf.area);
    let rows = help_rows(keymap);
    let rows = &rows[first.min(rows.len())..];
    let key_width = rows.iter().map(key_width).max().unwrap_or(0);
    let column_width = rows
        .iter()
        .map(|row| match row {
            Row::Title(title) => title.width(),
            Row::Entry(_, label) => key_width + 2 + label.width(),
            Row::Gap => 0,
        })
        .max()
        .unwrap_or(0)
        .max(1);
    // Borders and one space of padding on each side.
    let room = usize::from(area.width).saturating_sub(4);
    let fit = ((room + GAP) / (column_width + GAP)).max(1);
    let max_height = usize::from(area.height).saturating_sub(2).max(1);
    // The lowest box that fits the width: groups kept whole if the terminal allows it.
    let lowest = rows.len().div_ceil(fit).clamp(1, max_height);
    let layout = |keep_groups| {
        (lowest..=max_height)
            .map(|height| (height, flow(rows, height, keep_groups)))
            .find(|(_, columns)| columns.len() <= fit)
    };
    let (height, columns) = layout(true)
        .or_else(|| layout(false))
        .unwrap_or_else(|| (max_height, flow(rows, max_height, false)));
    let shown = columns.len().min(fit);
    let width = shown * column_width + (shown - 1) * GAP + 4;
    let popup = centered_rect(area, width as u16, height as u16 + 2);
    let clipped = columns.len() > fit;
    draw_box(buf, popup, keymap, theme, clipped);
    let inner = Rect::new(
        popup.x + 2,
        popup.y + 1,
        popup.width.saturating_sub(4),
        popup.height.saturating_sub(2),
    )
    .intersection(popup);
    for (i, column) in columns.iter().take(shown).enumerate() {
        let x = inner.x.saturating_add((i * (column_width + GAP)) as u16);
        let slot = Rect::new(x, inner.y, column_width as u16, inner.height).intersection(inner);
        for (j, row) in column.iter().enumerate() {
            let y = slot.y + j as u16;
            draw_line(buf, slot, y, &row_line(row, key_width, theme));
        }
    }
    clipped
}

fn draw_box(buf: &mut Buffer, popup: Rect, keymap: &Keymap, theme: &Theme, clipped: bool) {
    let close = |action| {
        keymap
            .keys_for(KeyContext::Global, action)
            .first()
            .map(ToString::to_string)
    };
    let title = match (close(Action::Back), close(Action::Help)) {
        (Some(back), Some(help)) => format!(" Keys — {back} or {help} to close "),
        (Some(key), None) | (None, Some(key)) => format!(" Keys — {key} to close "),
        (None, None) => " Keys ".to_string(),
    };
    let mut block = Block::bordered()
        .border_style(theme.modal_border)
        .title(Span::styled(title, theme.title));
    if clipped {
        block = block.title_bottom(Span::styled(" more… ", theme.muted));
    }
    Clear.render(popup, buf);
    block.render(popup, buf);
}

fn help_rows(keymap: &Keymap) -> Vec<Row> {
    let mut rows = Vec::new();
    for (ctx, entries) in keymap.help() {
        if !rows.is_empty() {
            rows.push(Row::Gap);
        }
        rows.push(Row::Title(ctx.title()));
        rows.extend(
            entries
                .into_iter()
                .map(|(keys, label)| Row::Entry(keys, label)),
        );
    }
    rows
}

fn key_width(row: &Row) -> usize {
    match row {
        Row::Entry(keys, _) => keys.width(),
        _ => 0,
    }
}

/// Splits the rows into columns of at most `height` rows; no column starts with a gap, and a
/// title never ends a column. With `keep_groups`, a context's rows start a new column rather
/// than be split, unless they are taller than a column.
fn flow(rows: &[Row], height: usize, keep_groups: bool) -> Vec<Vec<&Row>> {
    let mut columns: Vec<Vec<&Row>> = vec![Vec::new()];
    for (i, row) in rows.iter().enumerate() {
        let column = columns.last_mut().expect("never empty");
        let used = column.len();
        let is_title = matches!(row, Row::Title(_));
        let group = rows[i..]
            .iter()
            .take_while(|r| !matches!(r, Row::Gap))
            .count();
        let orphan = is_title && used > 0 && used + 1 >= height;
        let split = keep_groups && is_title && used > 0 && used + group > height && group <= height;
        if used >= height || orphan || split {
            if matches!(row, Row::Gap) {
                continue;
            }
            columns.push(Vec::new());
        }
        let column = columns.last_mut().expect("never empty");
        if !(column.is_empty() && matches!(row, Row::Gap)) {
            column.push(row);
        }
    }
    columns.retain(|column| !column.is_empty());
    if columns.is_empty() {
        columns.push(Vec::new());
    }
    columns
}

fn row_line(row: &Row, key_width: usize, theme: &Theme) -> Line<'static> {
    match row {
        Row::Title(title) => Line::from(Span::styled(*title, theme.title)),
        Row::Entry(keys, label) => {
            let pad = " ".repeat(key_width.saturating_sub(keys.width()) + 2);
            Line::from(vec![
                Span::styled(keys.clone(), theme.hint_key),
                Span::raw(pad),
                Span::styled(label.clone(), theme.hint_label),
            ])
        }
        Row::Gap => Line::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centered_rect_is_clamped() {
        let area = Rect::new(10, 5, 20, 10);
        assert_eq!(centered_rect(area, 10, 4), Rect::new(15, 8, 10, 4));
        assert_eq!(centered_rect(area, 50, 50), area);
        assert_eq!(centered_rect(Rect::ZERO, 5, 5), Rect::ZERO);
    }

    #[test]
    fn hint_line_comes_from_the_key_map() {
        let keymap = Keymap::default();
        let line = hint_line(
            &keymap,
            &[KeyContext::List, KeyContext::Global],
            &[Action::Filter, Action::Quit],
            &crate::theme::COLOR,
        );
        assert_eq!(line.to_string(), "/ filter  q/Ctrl-C quit");
    }
}
