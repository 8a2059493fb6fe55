//! The mechanics every paged table shares (Customers, Cameras, the audit list): where the list
//! stands ([`Paging`]), a window of rows read from the store around the visible ones, the
//! movement keys, the `n of m` count and the `/` filter line ([`FilterLine`]).

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Span;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::action::{Action, KeyContext};
use crate::domain::validate::{clean_paste, display};
use crate::keymap::Keymap;
use crate::store::Result;
use crate::theme::Theme;

/// Rows read beyond the visible ones on each side, so that small moves need no query.
const READ_AHEAD: i64 = 50;

/// Where a filtered count stops by default ("10,000+ of 100,000"). Counting every match of a
/// common text costs a scan of the table on each typed character (28-75 ms at 100,000 customers
/// for one or two characters, ~40 ms for ".com"); stopping at 10,000 reads a few thousand rows,
/// and an operator does not page through 10,000 rows one screen at a time. The exact count is
/// made when it is needed: `G`/End, or moving past the last row counted.
pub const COUNT_CAP: i64 = 10_000;

/// A paged list of `T`: how many rows match, which is selected and which is on top (absolute
/// indexes), how many fit, and a window of rows `start..start + rows.len()` read from the store.
#[derive(Debug, Clone)]
pub struct Paging<T> {
    /// Rows matching the query; counted again only when the query or the store changes. At
    /// least this many when [`Paging::is_capped`].
    pub total: i64,
    /// The count stopped at [`Paging::count_cap`]: `total` is a lower bound.
    capped: bool,
    /// Where a count of a filter stops ([`COUNT_CAP`] unless a screen says otherwise).
    pub count_cap: i64,
    /// Absolute index of the selected row.
    pub selected: i64,
    /// Absolute index of the first visible row.
    pub top: i64,
    /// Rows that fit on screen at the last draw, for paging.
    pub page: i64,
    start: i64,
    rows: Vec<T>,
    /// Where the table (header row included) was drawn last, to map mouse clicks to rows.
    area: Rect,
}

impl<T> Default for Paging<T> {
    fn default() -> Self {
        Self {
            total: 0,
            capped: false,
            count_cap: COUNT_CAP,
            selected: 0,
            top: 0,
            page: 20,
            start: 0,
            rows: Vec::new(),
            area: Rect::default(),
        }
    }
}

impl<T> Paging<T> {
    /// Sets how many rows match: `capped` when the count stopped at the cap and `total` is only
    /// a lower bound. The rows read stay: the caller forgets them when the query changed.
    pub fn set_count(&mut self, total: i64, capped: bool) {
        self.total = total;
        self.capped = capped;
    }

    /// Whether `total` is a lower bound ("10,000+").
    pub fn is_capped(&self) -> bool {
        self.capped
    }

    /// Whether `action` needs the exact count first: the count stopped at the cap and the key
    /// goes to the end (`G`/End) or past the last row counted (`j`, PgDn). The caller counts,
    /// calls [`Paging::set_count`] with the exact figure, then [`Paging::apply`].
    pub fn needs_exact_count(&self, action: Action) -> bool {
        if !self.capped {
            return false;
        }
        let target = match action {
            Action::Bottom => return true,
            Action::Down => self.selected + 1,
            Action::PageDown => self.selected + self.page,
            _ => return false,
        };
        target >= self.total
    }

    /// The row at absolute `index`, when it is in the window read.
    pub fn row(&self, index: i64) -> Option<&T> {
        let i = index - self.start;
        if i < 0 {
            return None;
        }
        self.rows.get(i as usize)
    }

    pub fn selected_row(&self) -> Option<&T> {
        self.row(self.selected)
    }

    /// The rows read, wherever they are.
    pub fn window(&self) -> &[T] {
        &self.rows
    }

    /// Forgets the rows read, so that the next [`Paging::fill`] reads again.
    pub fn forget(&mut self) {
        self.start = 0;
        self.rows = Vec::new();
    }

    /// Back to the first row (a new filter or order).
    pub fn to_start(&mut self) {
        self.selected = 0;
        self.top = 0;
    }

    /// Keeps the selection in the list and visible, and the page as full as it can be.
    pub fn clamp(&mut self) {
        let page = self.page.max(1);
        self.selected = self.selected.clamp(0, (self.total - 1).max(0));
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + page {
            self.top = self.selected - page + 1;
        }
        self.top = self.top.clamp(0, (self.total - page).max(0));
    }

    /// The table is drawn in `area` (one header row, then rows): fits the page to it and
    /// remembers it for [`Paging::clicked`].
    pub fn place(&mut self, area: Rect) {
        self.area = area;
        self.fit(area.height);
    }

    /// A click at (`column`, `row`) of the screen: how far the clicked row is from the selected
    /// one (0: the selected row itself), or `None` outside the rows drawn.
    pub fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        let a = self.area;
        if column < a.x || column >= a.right() || row <= a.y || row >= a.bottom() {
            return None;
        }
        let index = self.top + i64::from(row - a.y - 1);
        (index < self.total).then_some(index - self.selected)
    }

    /// The rows fitting in a table of `height` rows under one header row; clamps to them.
    pub fn fit(&mut self, height: u16) {
        self.page = (i64::from(height) - 1).max(1);
        self.clamp();
    }

    /// Reads the rows around the visible ones when the window does not cover them;
    /// `read(start, limit)` reads rows of the current query.
    pub fn fill(&mut self, read: impl FnOnce(i64, i64) -> Result<Vec<T>>) -> Result<()> {
        let need_end = (self.top + self.page).min(self.total);
        let have_end = self.start + self.rows.len() as i64;
        if self.top >= self.start && need_end <= have_end && !self.rows.is_empty() {
            return Ok(());
        }
        if self.total == 0 {
            self.forget();
            return Ok(());
        }
        let start = (self.top - READ_AHEAD).max(0);
        self.rows = read(start, self.page + 2 * READ_AHEAD)?;
        self.start = start;
        Ok(())
    }

    /// After a reread, selects again the row `is_it` finds when the selected row is another and
    /// the window holds it; true when the selection moved.
    pub fn reselect(&mut self, is_it: impl Fn(&T) -> bool) -> bool {
        if self.selected_row().is_some_and(&is_it) {
            return false;
        }
        match self.rows.iter().position(is_it) {
            Some(pos) => {
                self.selected = self.start + pos as i64;
                true
            }
            None => false,
        }
    }

    /// Applies a movement key, clamped: `Some(true)` when the selection or the page moved,
    /// `Some(false)` when it did not, `None` for an action that is not a movement.
    pub fn apply(&mut self, action: Action) -> Option<bool> {
        let before = (self.selected, self.top);
        match action {
            Action::Up => self.selected -= 1,
            Action::Down => self.selected += 1,
            Action::PageUp => {
                self.selected -= self.page;
                self.top -= self.page;
            }
            Action::PageDown => {
                self.selected += self.page;
                self.top += self.page;
            }
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.total - 1,
            _ => return None,
        }
        self.clamp();
        Some((self.selected, self.top) != before)
    }

    /// The visible rows of a table `height` rows high under one header row, with their
    /// absolute indexes.
    pub fn visible(&self, height: u16) -> impl Iterator<Item = (i64, &T)> {
        let visible = (i64::from(height) - 1).max(0);
        (self.top..(self.top + visible).min(self.total)).filter_map(|i| Some((i, self.row(i)?)))
    }

    /// " 3 of 40", and " (of 90 in all)" when a filter hides some of the `all` rows;
    /// " 1 of 10,000+ (of 100,000 in all)" when the count stopped at the cap.
    pub fn count_spans(&self, all: i64, theme: &Theme) -> Vec<Span<'static>> {
        let position = if self.total == 0 {
            0
        } else {
            self.selected + 1
        };
        let more = if self.capped { "+" } else { "" };
        let mut spans = vec![Span::styled(
            format!(" {} of {}{more}", grouped(position), grouped(self.total)),
            theme.muted,
        )];
        if self.total != all || self.capped {
            spans.push(Span::styled(
                format!(" (of {} in all)", grouped(all)),
                theme.muted,
            ));
        }
        spans
    }
}

/// The `/` filter line of a paged table: the text being typed while it has the focus.
#[derive(Debug, Default)]
pub struct FilterLine {
    /// `None` when the line is not focused.
    pub input: Option<Input>,
}

/// What a key did to an open [`FilterLine`] and the filter it edits.
pub enum FilterKey {
    /// Nothing to read again (Enter closed the line, or the text did not change).
    Done,
    /// Esc closed the line and cleared the filter: read again from where the list is.
    Cleared,
    /// The filter changed: read again from the first row.
    Changed,
    /// A movement key: move in the list and keep the line open.
    Move,
}

impl FilterLine {
    pub fn is_open(&self) -> bool {
        self.input.is_some()
    }

    /// Focuses the line holding `filter`.
    pub fn open(&mut self, filter: &str) {
        self.input = Some(Input::new(filter.to_string()));
    }

    /// Applies `key` to the line and to `filter`, the filter in force.
    pub fn handle_key(
        &mut self,
        key: &KeyEvent,
        keymap: &Keymap,
        filter: &mut String,
    ) -> FilterKey {
        match keymap.lookup(KeyContext::Modal, key) {
            Some(Action::Confirm) => {
                self.input = None;
                return FilterKey::Done;
            }
            Some(Action::Cancel) => {
                self.input = None;
                if filter.is_empty() {
                    return FilterKey::Done;
                }
                filter.clear();
                return FilterKey::Cleared;
            }
            _ => {}
        }
        if matches!(
            key.code,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown
        ) {
            return FilterKey::Move;
        }
        let Some(input) = &mut self.input else {
            return FilterKey::Done;
        };
        match input.handle_event(&Event::Key(*key)) {
            Some(change) if change.value => set(filter, typed(input)),
            _ => FilterKey::Done,
        }
    }

    /// Pasted text goes on the end of the line, on one line, and into `filter`; `None` when the
    /// line is not open.
    pub fn paste(&mut self, text: &str, filter: &mut String) -> Option<FilterKey> {
        let input = self.input.as_mut()?;
        let mut value = input.value().to_string();
        value.push_str(&clean_paste(text, false));
        *input = Input::new(value);
        Some(set(filter, typed(input)))
    }

    /// "   filter: /text▏" while typing, "   filter: /text" while `filter` applies, else nothing.
    pub fn spans(&self, filter: &str, theme: &Theme) -> Vec<Span<'static>> {
        if let Some(input) = &self.input {
            vec![
                Span::styled("   filter: /", theme.focus),
                Span::styled(display(input.value()).into_owned(), theme.input_focused),
                Span::styled("▏", theme.focus),
            ]
        } else if !filter.is_empty() {
            vec![
                Span::styled("   filter: /", theme.muted),
                Span::raw(display(filter).into_owned()),
            ]
        } else {
            Vec::new()
        }
    }
}

/// `n` with its digits in groups of three: "100,000".
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `filter` becomes `text`: [`FilterKey::Changed`] unless it already was.
fn set(filter: &mut String, text: String) -> FilterKey {
    if *filter == text {
        return FilterKey::Done;
    }
    *filter = text;
    FilterKey::Changed
}

/// Control characters cannot be part of any stored text worth finding.
fn typed(input: &Input) -> String {
    input.value().chars().filter(|c| !c.is_control()).collect()
}

/// Where a movement key takes the selection of a list held in memory, `last` its last index:
/// `None` for an action that is not a movement.
pub fn step(now: usize, last: usize, page: usize, action: Action) -> Option<usize> {
    Some(match action {
        Action::Up => now.saturating_sub(1),
        Action::Down => (now + 1).min(last),
        Action::PageUp => now.saturating_sub(page),
        Action::PageDown => (now + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}
