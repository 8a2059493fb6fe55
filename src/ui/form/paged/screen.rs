//! [`ListScreen`]: a tab that is one [`PagedList`] (Customers, Cameras), with what the tab
//! keeps beside it. The hooks of the event loop and of the tests are written once, here.

use ratatui::layout::Rect;

use super::{PageSource, PagedList};
use crate::store::{Result, Store};
use crate::ui::component::Component;

/// What a tab keeps beside its list: its popups, picks, the store being read-only.
pub trait ListTab: Default {
    /// The store query the tab lists.
    type Source: PageSource + Default;
}

/// A tab made of a paged list and its own state `T`.
#[derive(Default)]
pub struct ListScreen<T: ListTab> {
    pub(crate) list: PagedList<T::Source>,
    pub(crate) tab: T,
}

impl<T: ListTab> ListScreen<T>
where
    Self: Component,
{
    /// The tab over `store`, its first rows read.
    pub fn new(store: &Store) -> Result<Self> {
        let mut s = Self::default();
        s.reload(store)?;
        Ok(s)
    }
}

impl<T: ListTab> ListScreen<T> {
    /// The same screen with filtered counts stopping at `cap` rows instead of
    /// [`COUNT_CAP`](super::COUNT_CAP) ("`cap`+ of m"); for tests.
    pub fn with_count_cap(mut self, cap: i64) -> Self {
        self.list.set_count_cap(cap);
        self
    }

    /// The same screen leaving every read of a new filter to idle time ([`Self::idle`]), as a
    /// slow store would; for tests.
    pub fn reading_when_idle(mut self) -> Self {
        self.list.read_only_when_idle();
        self
    }

    /// An event loop runs [`Self::idle`] when no key is waiting: a filter key reads what fits
    /// in its time and leaves the rest to it, a jump reads the visible rows first.
    pub fn read_in_idle_time(&mut self) {
        self.list.read_in_idle_time();
    }

    /// Whether the last filter left reading for idle time: the count or the first window.
    pub fn has_idle_work(&self) -> bool {
        self.list.has_idle_work()
    }

    /// One read left over by the last filter, abandoned when `cancel` answers true (a key came);
    /// true when the screen should be drawn again.
    pub fn idle(
        &mut self,
        store: &mut Store,
        cancel: impl FnMut() -> bool + Send + 'static,
    ) -> bool {
        self.list.idle(store, cancel)
    }

    /// Before drawing in `area`: the rows that became visible are read, so that drawing
    /// reads nothing.
    pub fn before_draw(&mut self, area: Rect, store: &Store) {
        self.list.before_draw(area, store);
    }

    /// The row under the cursor.
    pub fn selected_row(&self) -> Option<&<T::Source as PageSource>::Row> {
        self.list.selected_row()
    }
}
