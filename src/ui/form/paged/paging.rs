//! Where a paged list stands ([`Paging`]): the count, the selection, the window of rows read
//! from the store around the visible ones, and the reads a new query leaves to idle time.

use std::time::Instant;

use ratatui::layout::Rect;
use ratatui::text::Span;

use super::{COUNT_CAP, KEY_BUDGET, PageSource, READ_AHEAD, grouped};
use crate::action::Action;
use crate::store::{Result, Store, StoreError};
use crate::theme::Theme;

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
    /// Every read of a new query waits for idle time, however fast it would be, as on a slow
    /// store; for tests.
    pub idle_only: bool,
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
    /// The count of the query is still to be made ("counting…"): `total` is the rows found.
    pending_count: bool,
    /// The first window of the query is still to be read ("searching…").
    pending_window: bool,
    /// An event loop calls [`Paging::idle`] when no key is waiting: a new query reads what fits
    /// in [`KEY_BUDGET`] and a jump the visible rows only, leaving the rest to it.
    pub idle_reads: bool,
    /// The selection moved: a window read now reads the visible rows only.
    moved: bool,
    /// Only the visible rows were read (after a jump): the rows around them are still to come.
    pending_ahead: bool,
}

impl<T> Default for Paging<T> {
    fn default() -> Self {
        Self {
            total: 0,
            capped: false,
            count_cap: COUNT_CAP,
            idle_only: false,
            selected: 0,
            top: 0,
            page: 20,
            start: 0,
            rows: Vec::new(),
            area: Rect::default(),
            pending_count: false,
            pending_window: false,
            idle_reads: false,
            moved: false,
            pending_ahead: false,
        }
    }
}

impl<T> Paging<T> {
    /// Sets how many rows match: `capped` when the count stopped at the cap and `total` is only
    /// a lower bound. The rows read stay: the caller forgets them when the query changed. Reads
    /// left over for idle time are dropped: the caller counted itself and reads the rows now.
    pub fn set_count(&mut self, total: i64, capped: bool) {
        self.total = total;
        self.capped = capped;
        (self.pending_count, self.pending_window) = (false, false);
    }

    /// Whether reading is left over from the last query for [`Paging::idle`].
    pub fn has_pending(&self) -> bool {
        self.pending_count || self.pending_window || self.pending_ahead
    }

    /// The first window of the query is not read yet.
    pub fn is_searching(&self) -> bool {
        self.pending_window
    }

    /// Reads a new query (a filter typed): its count, then its first window, each given up
    /// when [`KEY_BUDGET`] is spent, so that the key's frame is drawn in time with what was
    /// read. What was not is left for [`Paging::idle`] (all of it with `idle_only`). Without
    /// `idle_reads` (no event loop runs the idle reads: tests, scripts) all is read here.
    ///
    /// Why not a bigram index for the rare one- and two-character texts whose scans overrun
    /// the budget (30-61 ms at 100,000 customers, 0.23 s at 1,000,000 cameras): every customer
    /// would carry ~60 distinct pairs of characters and every camera ~50, i.e. ~6 million and
    /// ~50 million index rows kept by triggers, several times the trigram index in size and in
    /// fill time (the `demo` fill of issue 7 has to stay under 60 s), on every write too. The
    /// scan stays, off the key's path, and the next key abandons it; the same hook
    /// ([`Store::cancellable`]) lets another store cancel its statement.
    pub fn start_query(
        &mut self,
        store: &mut Store,
        reads: &impl PageSource<Row = T>,
    ) -> Result<()> {
        self.forget();
        self.pending_ahead = false;
        (self.total, self.capped) = (0, true);
        self.clamp();
        (self.pending_count, self.pending_window) = (true, true);
        if self.idle_only {
            return Ok(());
        }
        if !self.idle_reads {
            while self.read_next(store, reads, true, || false)?.is_some() {}
            return Ok(());
        }
        let deadline = Instant::now() + KEY_BUDGET;
        // The count first: a search index answers it in under a millisecond and the window
        // then picks its plan by it; a scan that overruns leaves both for idle time.
        while self.has_pending() {
            let left = deadline.saturating_duration_since(Instant::now());
            let cancel = move || Instant::now() >= deadline;
            if left.is_zero() || self.read_next(store, reads, true, cancel)?.is_none() {
                break;
            }
        }
        Ok(())
    }

    /// One read left over by [`Paging::start_query`], given up as soon as `cancel` answers
    /// true (a key came: the read is abandoned and stays pending, or is replaced by the next
    /// query). True when something shown was read and the list should be drawn again (the rows
    /// around the visible ones read after a jump are not shown: false). The window
    /// comes first here: its rows are what the operator waits for, and a window shorter than
    /// asked for is the whole list, which then needs no count.
    pub fn idle(
        &mut self,
        store: &mut Store,
        reads: &impl PageSource<Row = T>,
        cancel: impl FnMut() -> bool + Send + 'static,
    ) -> Result<bool> {
        let read = self.read_next(store, reads, false, cancel);
        if read.is_err() {
            // Not again on every tick: the screen shows the error, the next query retries.
            (self.pending_count, self.pending_window) = (false, false);
            self.pending_ahead = false;
        }
        Ok(read?.unwrap_or(false))
    }

    /// Reads the first window now if idle time has not yet: a key typed ahead of it (Enter
    /// to open the first match, a movement) acts on the rows of the filter it follows.
    pub fn finish_window(
        &mut self,
        store: &mut Store,
        reads: &impl PageSource<Row = T>,
    ) -> Result<()> {
        while self.pending_window && self.read_next(store, reads, false, || false)?.is_some() {}
        Ok(())
    }

    /// [`Paging::idle`] for a screen that shows a read's error in place of its table: the
    /// error goes to `error`; true when the screen should be drawn again.
    pub fn idle_or_error(
        &mut self,
        store: &mut Store,
        reads: &impl PageSource<Row = T>,
        cancel: impl FnMut() -> bool + Send + 'static,
        error: &mut Option<String>,
    ) -> bool {
        self.idle(store, reads, cancel).unwrap_or_else(|e| {
            *error = Some(e.to_string());
            true
        })
    }

    /// The exact count when it is known, for the store to read a window near the end backwards
    /// and choose its plan by: a capped count is only a lower bound, fine for the choice (many
    /// matches favour walking the order's index), wrong as an end to read backwards from, which
    /// the store does for a window in the second half of `total`; such a window is read
    /// forwards without it.
    fn hint(&self, start: i64, limit: i64) -> Option<i64> {
        let known = !self.pending_count;
        (known && (!self.capped || 2 * start + limit <= self.total)).then_some(self.total)
    }

    /// The next pending read: the count or the window, whichever `count_first` says when both
    /// are pending, else the rows around the visible ones. `None` when it was cancelled or
    /// nothing was pending, else whether what was read is shown.
    fn read_next(
        &mut self,
        store: &mut Store,
        reads: &impl PageSource<Row = T>,
        count_first: bool,
        cancel: impl FnMut() -> bool + Send + 'static,
    ) -> Result<Option<bool>> {
        let count_first = count_first || reads.count_first();
        let count = self.pending_count && (count_first || !self.pending_window);
        let done = if count {
            let cap = self.count_cap;
            store
                .cancellable(cancel, |s| reads.count_capped(s, cap))
                .map(|(n, capped)| {
                    (self.total, self.capped, self.pending_count) = (n, capped, false);
                    self.pending_window &= n > 0;
                    self.clamp();
                })
        } else if self.pending_window {
            let start = (self.top - READ_AHEAD).max(0);
            let limit = self.page + 2 * READ_AHEAD;
            let hint = self.hint(start, limit);
            store
                .cancellable(cancel, |s| reads.window(s, start, limit, hint))
                .map(|rows| self.found(start, limit, rows))
        } else if self.pending_ahead {
            let start = (self.top - READ_AHEAD).max(0);
            let limit = self.page + 2 * READ_AHEAD;
            let hint = self.hint(start, limit);
            let read = store.cancellable(cancel, |s| reads.window(s, start, limit, hint));
            return match read {
                Ok(rows) => {
                    (self.start, self.rows, self.pending_ahead) = (start, rows, false);
                    Ok(Some(false))
                }
                Err(StoreError::Cancelled) => Ok(None),
                Err(e) => Err(e),
            };
        } else {
            return Ok(None);
        };
        match done {
            Ok(()) => Ok(Some(true)),
            Err(StoreError::Cancelled) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The first window read: `limit` rows asked from `start`.
    fn found(&mut self, start: i64, limit: i64, rows: Vec<T>) {
        let end = start + rows.len() as i64;
        (self.start, self.rows, self.pending_window) = (start, rows, false);
        if self.pending_count {
            // The count is still to come: what was found is its lower bound, or all of it
            // when the window ended early.
            let complete = start == 0 && end < limit;
            self.total = end;
            self.capped = !complete;
            self.pending_count = !complete;
        }
        self.clamp();
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
    /// `read(start, limit, total)` reads rows of the current query, `total` as in
    /// [`PageSource::window`].
    ///
    /// After a movement key (`G`, `g`, PgDn, a jump) only the visible rows are read, and the
    /// rows around them are left to idle time ([`Paging::idle`], with `idle_reads`): reading 58 rows instead of
    /// 158 with their camera and user counts is what takes `G` and `g` under 5 ms at 100,000
    /// customers (the frame waited ~2 ms for the rows nobody sees yet).
    pub fn fill(
        &mut self,
        read: impl FnOnce(i64, i64, Option<i64>) -> Result<Vec<T>>,
    ) -> Result<()> {
        let moved = std::mem::take(&mut self.moved);
        if self.pending_window {
            // Idle time reads it, abandoned by the next key; not here, on the key's path.
            return Ok(());
        }
        let need_end = (self.top + self.page).min(self.total);
        let have_end = self.start + self.rows.len() as i64;
        if self.top >= self.start && need_end <= have_end && !self.rows.is_empty() {
            return Ok(());
        }
        if self.total == 0 {
            self.start = 0;
            self.rows = Vec::new();
            return Ok(());
        }
        let (start, limit) = if moved && self.idle_reads {
            (self.top, self.page)
        } else {
            ((self.top - READ_AHEAD).max(0), self.page + 2 * READ_AHEAD)
        };
        let hint = self.hint(start, limit);
        self.rows = read(start, limit, hint)?;
        self.start = start;
        self.pending_window = false;
        self.pending_ahead = moved && self.idle_reads;
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
        self.moved = (self.selected, self.top) != before;
        Some(self.moved)
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
        let shown = if self.pending_window {
            " searching…".to_string()
        } else if self.pending_count {
            format!(
                " {} of {}+ counting…",
                grouped(position),
                grouped(self.total)
            )
        } else {
            format!(" {} of {}{more}", grouped(position), grouped(self.total))
        };
        let mut spans = vec![Span::styled(shown, theme.muted)];
        if self.total != all || self.capped {
            spans.push(Span::styled(
                format!(" (of {} in all)", grouped(all)),
                theme.muted,
            ));
        }
        spans
    }
}
