//! [`PagedList`]: a [`Paging`] over its [`PageSource`], with the `/` filter line, the
//! list's own keys (movement, filter, sort) and the reads of issue 14 (a filter key reads what
//! fits in [`KEY_BUDGET`](super::KEY_BUDGET), idle time the rest, "counting…").

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Span;

use super::filter::{FilterLine, types};
use super::{PageSource, Paging};
use crate::action::{Action, KeyContext};
use crate::store::{Result, Store};
use crate::theme::Theme;
use crate::ui::component::{Effect, Flash};

/// A table over any number of rows of `S`, read from the store a window at a time.
pub struct PagedList<S: PageSource> {
    /// The query: filter, order, scope.
    pub source: S,
    /// Rows in scope without the filters, for "n of m".
    all: i64,
    pub(super) paging: Paging<S::Row>,
    filter: FilterLine,
    /// The operator went past the capped count of this filter (`G`, or beyond the last row
    /// counted): it is counted exactly from then on, also when the store changes, until the
    /// filter does.
    exact: bool,
    /// An error reading the store, shown instead of the table.
    pub(super) error: Option<String>,
}

impl<S: PageSource + Default> Default for PagedList<S> {
    fn default() -> Self {
        Self::new(S::default())
    }
}

/// The title row and the table (header row included) of a list drawn in `area`; `None` when
/// it is too small to draw.
pub fn split(area: Rect) -> Option<(Rect, Rect)> {
    if area.height < 3 || area.width < 10 {
        return None;
    }
    let title = Rect { height: 1, ..area };
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    Some((title, body))
}

impl<S: PageSource> PagedList<S> {
    /// A list over `source`, nothing read yet ([`Self::reload`] reads).
    pub fn new(source: S) -> Self {
        Self {
            source,
            all: 0,
            paging: Paging::default(),
            filter: FilterLine::default(),
            exact: false,
            error: None,
        }
    }

    /// Filtered counts stop at `cap` rows instead of [`COUNT_CAP`](super::COUNT_CAP); for tests.
    pub fn set_count_cap(&mut self, cap: i64) {
        self.paging.count_cap = cap.max(1);
    }

    /// Every read of a new filter waits for idle time, as on a slow store; for tests.
    pub fn read_only_when_idle(&mut self) {
        self.paging.idle_reads = true;
        self.paging.idle_only = true;
    }

    /// An event loop runs [`Self::idle`] when no key is waiting: a filter key reads what fits
    /// in its time and leaves the rest to it, a jump reads the visible rows first.
    pub fn read_in_idle_time(&mut self) {
        self.paging.idle_reads = true;
    }

    /// Whether the last filter left reading for idle time: the count or the first window.
    pub fn has_idle_work(&self) -> bool {
        self.paging.has_pending()
    }

    /// One read left over by the last filter, abandoned when `cancel` answers true (a key
    /// came); true when the list should be drawn again.
    pub fn idle(
        &mut self,
        store: &mut Store,
        cancel: impl FnMut() -> bool + Send + 'static,
    ) -> bool {
        self.paging
            .idle_or_error(store, &self.source, cancel, &mut self.error)
    }

    /// Counts everything again and rereads the visible rows, keeping the selection on the same
    /// row when it is still in the window. Called when the store changed (a commit here or by
    /// another operator); a new filter or order goes through [`Self::requery`], which keeps the
    /// count of the store.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        self.all = self.source.count_all(store)?;
        self.recount(store)
    }

    /// Counts the rows of the query and rereads the visible ones. The unfiltered count (`all`)
    /// is not asked again: it changes only with the store, and a typed character should cost
    /// one indexed search, not a count of the whole table besides. A filter is counted only up
    /// to the cap ("10,000+"): a common text then costs a few thousand rows read, not a scan of
    /// every match; `G` or paging past the cap counts it exactly ([`Self::count_exactly`]).
    fn recount(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_row().map(S::id);
        let (total, capped) = if !self.source.is_filtered() {
            (self.all, false)
        } else if self.exact || !self.source.capped() {
            (self.source.count(store)?, false)
        } else {
            self.source.count_capped(store, self.paging.count_cap)?
        };
        self.paging.set_count(total, capped);
        self.paging.forget();
        self.paging.clamp();
        self.fill(store)?;
        // The row moved (renamed or deleted): look for it in the window only; a full search
        // for its new position would cost a scan.
        if let Some(id) = keep
            && self.paging.reselect(|r| S::id(r) == id)
        {
            self.paging.clamp();
        }
        self.error = None;
        Ok(())
    }

    /// A new filter or order: an unfiltered list or an exact count as [`Self::recount`] does
    /// it; a filter through [`Paging::start_query`], which leaves what overruns the key's time
    /// to idle time ("counting…").
    fn search(&mut self, store: &mut Store) -> Result<()> {
        if !self.source.is_filtered() || self.exact || !self.source.capped() {
            return self.recount(store);
        }
        self.error = None;
        self.paging.start_query(store, &self.source)
    }

    /// Reads the list again after its query changed (call [`Self::to_start`] first to go back
    /// to the first row); `message` is flashed when it worked.
    pub fn requery(&mut self, store: &mut Store, message: Option<String>) -> Effect {
        match self.search(store) {
            Ok(()) => message.map_or(Effect::Done, |m| Effect::Flash(Flash::info(m))),
            Err(e) => {
                self.error = Some(e.to_string());
                Effect::Flash(Flash::error(e.to_string()))
            }
        }
    }

    /// Back to the first row (a new filter or order).
    pub fn to_start(&mut self) {
        self.paging.to_start();
    }

    /// The exact count of a filter whose count stopped at the cap, once: before a key that goes
    /// to the end or past the last row counted. The rows read stay (same query, same order).
    fn count_exactly(&mut self, store: &Store) -> Result<()> {
        let total = self.source.count(store)?;
        self.paging.set_count(total, false);
        self.exact = true;
        Ok(())
    }

    /// Reads the rows around the visible ones when the window does not cover them. The count
    /// (when exact) lets the store read a window near the end backwards (cheap `G`) and choose
    /// between walking the order's index and sorting the matches.
    fn fill(&mut self, store: &Store) -> Result<()> {
        let source = &self.source;
        self.paging
            .fill(|start, limit, total| source.window(store, start, limit, total))
    }

    /// Before drawing in `area` (title row, header row, rows): fits the page to it and reads
    /// the rows that became visible, so that drawing reads nothing.
    pub fn before_draw(&mut self, area: Rect, store: &Store) {
        if self.place(area)
            && let Err(e) = self.fill(store)
        {
            self.error = Some(e.to_string());
        }
    }

    /// Fits the page to a list drawn in `area` without reading (the rows read at the last key
    /// are drawn); false when it is too small to draw.
    pub fn place(&mut self, area: Rect) -> bool {
        match split(area) {
            Some((_, body)) => {
                self.paging.place(body);
                true
            }
            None => false,
        }
    }

    /// The row under the cursor.
    pub fn selected_row(&self) -> Option<&S::Row> {
        self.paging.selected_row()
    }

    /// The rows read, wherever they are.
    pub fn window(&self) -> &[S::Row] {
        self.paging.window()
    }

    /// A mouse click: how far the clicked row is from the selected one, if it hit a row.
    pub fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.paging.clicked(column, row)
    }

    /// Whether the filter line has the keyboard.
    pub fn captures_text(&self) -> bool {
        self.filter.is_open()
    }

    /// The key map contexts of the list's keys: the filter line's while it is open.
    pub fn contexts(&self) -> Vec<KeyContext> {
        if self.filter.is_open() {
            vec![KeyContext::Modal, KeyContext::List]
        } else {
            vec![KeyContext::List, KeyContext::Global]
        }
    }

    /// The list's own keys: movement, `/`, `s`/`S`, and typing in the open filter line.
    /// [`Effect::Ignored`] for the screen's keys (it acts on the rows the filter typed before
    /// them found) and for Esc, which is the screen's or the app's.
    pub fn handle_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        store: &mut Store,
    ) -> Effect {
        if self.filter.is_open() {
            return self.filter_key(key, action, store);
        }
        let Some(action) = action.filter(|a| *a != Action::Back) else {
            return Effect::Ignored;
        };
        if let Err(e) = self.paging.finish_window(store, &self.source) {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        if let Some(effect) = self.movement(action, store) {
            return effect;
        }
        match action {
            Action::Filter => match self.source.text_filter() {
                Some(text) => {
                    let text = text.clone();
                    self.filter.open(&text);
                    Effect::Done
                }
                None => Effect::Ignored,
            },
            Action::Sort | Action::SortReverse => {
                match self.source.sort(action == Action::SortReverse) {
                    Some(label) => {
                        self.to_start();
                        self.requery(store, Some(format!("sorted by {label}")))
                    }
                    None => Effect::Ignored,
                }
            }
            _ => Effect::Ignored,
        }
    }

    /// A movement of the selection, with the exact count it may need first and the rows it
    /// makes visible; `None` for an action that is not a movement.
    pub fn movement(&mut self, action: Action, store: &Store) -> Option<Effect> {
        if self.paging.needs_exact_count(action)
            && let Err(e) = self.count_exactly(store)
        {
            return Some(Effect::Flash(Flash::error(e.to_string())));
        }
        let moved = self.paging.apply(action)?;
        Some(match moved.then(|| self.fill(store)) {
            Some(Err(e)) => Effect::Flash(Flash::error(e.to_string())),
            _ => Effect::Done,
        })
    }

    /// The open filter line: Enter keeps the filter, Esc clears it, the arrows and page keys
    /// move in the list, everything else edits the text.
    fn filter_key(&mut self, key: &KeyEvent, action: Option<Action>, store: &mut Store) -> Effect {
        match action {
            Some(Action::Confirm) => {
                self.filter.close();
                Effect::Done
            }
            Some(Action::Cancel) => {
                self.filter.close();
                match self.source.text_filter() {
                    Some(text) if !text.is_empty() => {
                        text.clear();
                        self.exact = false;
                        // Cleared: read again from where the list is.
                        self.requery(store, None)
                    }
                    _ => Effect::Done,
                }
            }
            Some(a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown))
                if !types(key) =>
            {
                self.movement(a, store).unwrap_or(Effect::Done)
            }
            _ => {
                let typed = self.filter.edit(key);
                self.filter_typed(typed, store)
            }
        }
    }

    /// Pasted text goes into the open filter line.
    pub fn handle_paste(&mut self, text: &str, store: &mut Store) -> Effect {
        if !self.filter.is_open() {
            return Effect::Ignored;
        }
        let typed = self.filter.paste(text);
        self.filter_typed(typed, store)
    }

    /// The filter line's text became `typed`: the list is read again from the first row when
    /// that changed the filter.
    fn filter_typed(&mut self, typed: Option<String>, store: &mut Store) -> Effect {
        let Some(typed) = typed else {
            return Effect::Done;
        };
        match self.source.text_filter() {
            Some(text) if *text != typed => *text = typed,
            _ => return Effect::Done,
        }
        self.exact = false;
        self.to_start();
        self.requery(store, None)
    }

    /// " 3 of 40 (of 90 in all)" for the title row.
    pub fn count_spans(&self, theme: &Theme) -> Vec<Span<'static>> {
        self.paging.count_spans(self.all, theme)
    }

    /// The filter line for the title row: "   filter: /text▏" while typing.
    pub fn filter_spans(&self, filter: &str, theme: &Theme) -> Vec<Span<'static>> {
        self.filter.spans(filter, theme)
    }

    /// Shows `error` in place of the table until the next read that works.
    pub fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }

    /// The first window of the filter is not read yet ("Searching…").
    pub fn is_searching(&self) -> bool {
        self.paging.is_searching()
    }
}
