//! [`TextQuery`]: a store query with a `/` text filter and orders that `s` steps through
//! (customers, cameras); it is a [`PageSource`] through the store's reads it names.

use super::PageSource;
use crate::domain::Id;
use crate::store::{Result, Store};
use crate::ui::table::sort_label;

/// How the store reads `limit` rows of `Q` from `start`, with the exact count when known.
pub type WindowRead<Q, R> = fn(&Store, &Q, i64, i64, Option<i64>) -> Result<Vec<R>>;

/// The store's reads of a query `Q` listing rows `R`.
pub struct StoreReads<Q, R> {
    /// The rows matching, stopped at a cap: (count, whether it stopped).
    pub count_capped: fn(&Store, &Q, i64) -> Result<(i64, bool)>,
    pub count: fn(&Store, &Q) -> Result<i64>,
    pub window: WindowRead<Q, R>,
}

/// The orders of a list: the next one (`s`) and how the title says it.
pub trait Order: Copy {
    fn next(self) -> Self;
    fn label(self) -> &'static str;
}

/// A query filtered by text and sorted by an [`Order`], up or down (`S`).
pub trait TextQuery: Default {
    type Row;
    type Order: Order;
    const READS: StoreReads<Self, Self::Row>;
    /// The filter text, the order and whether it is reversed.
    fn parts(&mut self) -> (&mut String, &mut Self::Order, &mut bool);
    fn text(&self) -> &str;
    fn row_id(row: &Self::Row) -> Id;
    /// See [`PageSource::count_first`].
    fn count_first(&self) -> bool {
        false
    }
}

impl<Q: TextQuery> PageSource for Q {
    type Row = Q::Row;

    fn count_capped(&self, store: &Store, cap: i64) -> Result<(i64, bool)> {
        (Q::READS.count_capped)(store, self, cap)
    }

    fn count(&self, store: &Store) -> Result<i64> {
        (Q::READS.count)(store, self)
    }

    fn count_all(&self, store: &Store) -> Result<i64> {
        (Q::READS.count)(store, &Q::default())
    }

    fn window(
        &self,
        store: &Store,
        start: i64,
        limit: i64,
        total: Option<i64>,
    ) -> Result<Vec<Q::Row>> {
        (Q::READS.window)(store, self, start, limit, total)
    }

    fn is_filtered(&self) -> bool {
        !self.text().trim().is_empty()
    }

    fn id(row: &Q::Row) -> Id {
        Q::row_id(row)
    }

    fn count_first(&self) -> bool {
        TextQuery::count_first(self)
    }

    fn text_filter(&mut self) -> Option<&mut String> {
        Some(self.parts().0)
    }

    fn sort(&mut self, reverse: bool) -> Option<String> {
        let (_, order, descending) = self.parts();
        if reverse {
            *descending = !*descending;
        } else {
            *order = order.next();
            *descending = false;
        }
        Some(sort_label(order.label(), *descending))
    }
}
