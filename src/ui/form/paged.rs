//! The one paged list of the Customers tab, the Cameras tab and the audit list: a
//! [`PagedList`] over a [`PageSource`] (the store query of each list) holds where the list
//! stands ([`Paging`]: the count, the selection, a window of rows read around the visible ones,
//! the reads left to idle time), the `/` filter line ([`FilterLine`]) and the table drawing
//! ([`Column`]). A screen adds only its columns, its row actions and its popups.

mod filter;
mod list;
mod paging;
mod screen;
mod table;
#[cfg(test)]
mod tests;
mod text;

use std::time::Duration;

pub use filter::{FilterLine, types};
pub use list::{PagedList, split};
pub use paging::Paging;
pub use screen::{ListScreen, ListTab};
pub use table::{Column, Empty};
pub use text::{Order, StoreReads, TextQuery};

use crate::action::Action;
use crate::domain::Id;
use crate::store::{Result, Store};

/// Rows read beyond the visible ones on each side, so that small moves need no query.
pub(crate) const READ_AHEAD: i64 = 50;

/// Where a filtered count stops by default ("10,000+ of 100,000"). Counting every match of a
/// common text costs a scan of the table on each typed character (28-75 ms at 100,000 customers
/// for one or two characters, ~40 ms for ".com"); stopping at 10,000 reads a few thousand rows,
/// and an operator does not page through 10,000 rows one screen at a time. The exact count is
/// made when it is needed: `G`/End, or moving past the last row counted.
pub const COUNT_CAP: i64 = 10_000;

/// What a typed filter character may spend in the store before its frame is drawn: the frame's
/// 16 ms less the drawing and the terminal both ways (2-5 ms at 200x60), with room to spare.
/// What does not fit is read after the frame, in idle time ([`Paging::idle`]).
pub const KEY_BUDGET: Duration = Duration::from_millis(8);

/// The store query of a list: its counts and a window of its rows. `total` is the exact count
/// when known (a store may then read a window near the end backwards and choose its plan by
/// it), else `None`.
pub trait PageSource {
    type Row;
    /// The rows matching, stopped at `cap`: (count, whether it stopped).
    fn count_capped(&self, store: &Store, cap: i64) -> Result<(i64, bool)>;
    /// Every row matching.
    fn count(&self, store: &Store) -> Result<i64>;
    /// Every row in scope, the filters left out: the "of m in all".
    fn count_all(&self, store: &Store) -> Result<i64>;
    fn window(
        &self,
        store: &Store,
        start: i64,
        limit: i64,
        total: Option<i64>,
    ) -> Result<Vec<Self::Row>>;
    /// Whether a filter narrows the rows in scope.
    fn is_filtered(&self) -> bool;
    /// The row's id, to keep the selection on it when the list is read again.
    fn id(row: &Self::Row) -> Id;
    /// Whether the count is cheap and the window needs it to choose its plan, so that idle
    /// time counts first too (a search index counts in ~1 ms, while the window of "mar" without
    /// the count sorts all 15,000 matches: 28-86 ms instead of 11 at 100,000 customers).
    fn count_first(&self) -> bool {
        false
    }
    /// Whether a filter is counted up to [`COUNT_CAP`] and read within [`KEY_BUDGET`], the rest
    /// in idle time; false: counted exactly and read at once (the audit log, whose count is cheap).
    fn capped(&self) -> bool {
        true
    }
    /// The text the `/` filter line edits, for a list that has one.
    fn text_filter(&mut self) -> Option<&mut String> {
        None
    }
    /// The next order (`s`), or the same one reversed (`S`): its label ("name, reversed"), or
    /// `None` for a list with one order only.
    fn sort(&mut self, _reverse: bool) -> Option<String> {
        None
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
