//! The paged list over a source held in memory: where the window stands, the selection at
//! the ends, the selection kept across a reload, and keys typed ahead of a filter's reads.

use std::cell::RefCell;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::{PageSource, PagedList, READ_AHEAD};
use crate::action::Action;
use crate::domain::Id;
use crate::store::{OpenMode, Result, Store};
use crate::ui::component::Effect;

/// Rows are numbers (their own ids); a filter keeps those whose digits contain it. Every
/// window read is logged as (start, limit).
#[derive(Default)]
struct Numbers {
    rows: Vec<Id>,
    filter: String,
    reads: RefCell<Vec<(i64, i64)>>,
}

impl Numbers {
    fn upto(n: Id) -> Self {
        Self {
            rows: (0..n).collect(),
            ..Self::default()
        }
    }

    fn matching(&self) -> Vec<Id> {
        let f = self.filter.trim();
        self.rows
            .iter()
            .copied()
            .filter(|r| r.to_string().contains(f))
            .collect()
    }
}

impl PageSource for Numbers {
    type Row = Id;

    fn count_capped(&self, _: &Store, cap: i64) -> Result<(i64, bool)> {
        let n = self.matching().len() as i64;
        Ok((n.min(cap), n > cap))
    }

    fn count(&self, _: &Store) -> Result<i64> {
        Ok(self.matching().len() as i64)
    }

    fn count_all(&self, _: &Store) -> Result<i64> {
        Ok(self.rows.len() as i64)
    }

    fn window(&self, _: &Store, start: i64, limit: i64, _: Option<i64>) -> Result<Vec<Id>> {
        self.reads.borrow_mut().push((start, limit));
        let rows = self.matching();
        let from = (start.max(0) as usize).min(rows.len());
        let to = ((start + limit).max(0) as usize).min(rows.len());
        Ok(rows[from..to].to_vec())
    }

    fn is_filtered(&self) -> bool {
        !self.filter.trim().is_empty()
    }

    fn id(row: &Id) -> Id {
        *row
    }

    fn text_filter(&mut self) -> Option<&mut String> {
        Some(&mut self.filter)
    }
}

/// A real (empty) store: the list hands it to the source, which does not read it.
fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("list.db"), OpenMode::Create).unwrap();
    (dir, store)
}

/// 22 rows high: a title row, a header row and 20 rows.
const AREA: Rect = Rect::new(0, 0, 80, 22);

fn list(n: Id, store: &Store) -> PagedList<Numbers> {
    let mut list = PagedList::new(Numbers::upto(n));
    list.reload(store).unwrap();
    list.before_draw(AREA, store);
    list
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn act(list: &mut PagedList<Numbers>, store: &mut Store, action: Action) -> Effect {
    let effect = list.handle_key(&key('x'), Some(action), store);
    list.before_draw(AREA, store);
    effect
}

#[test]
fn the_window_covers_the_visible_rows_and_reads_ahead_around_them() {
    let (_dir, mut store) = store();
    let mut list = list(1_000, &store);
    assert_eq!(
        list.paging.page, 20,
        "the rows under the title and header rows"
    );
    assert_eq!(
        list.window().len() as i64,
        20 + 2 * READ_AHEAD,
        "as many as fit and the read-ahead of both sides, from the first row"
    );
    assert_eq!(list.window()[0], 0);
    for _ in 0..5 {
        act(&mut list, &mut store, Action::PageDown);
    }
    assert_eq!(list.selected_row(), Some(&100));
    assert_eq!(
        list.source.reads.borrow().len(),
        1,
        "rows 100-119 were read with the first window: no read"
    );
    act(&mut list, &mut store, Action::Bottom);
    assert_eq!(list.selected_row(), Some(&999));
    let top = list.paging.top;
    assert_eq!(top, 980);
    assert_eq!(
        list.source.reads.borrow().last(),
        Some(&(top - READ_AHEAD, 20 + 2 * READ_AHEAD)),
        "a jump reads the visible rows and those around them"
    );
    act(&mut list, &mut store, Action::PageUp);
    assert_eq!(
        list.source.reads.borrow().len(),
        2,
        "PgUp stays in the window"
    );
}

#[test]
fn the_selection_stops_at_both_ends() {
    let (_dir, mut store) = store();
    let mut list = list(30, &store);
    assert_eq!(act(&mut list, &mut store, Action::Up), Effect::Done);
    assert_eq!(list.selected_row(), Some(&0), "Up on the first row stays");
    act(&mut list, &mut store, Action::Bottom);
    assert_eq!(list.selected_row(), Some(&29));
    assert_eq!(list.paging.top, 10, "the last page is full");
    act(&mut list, &mut store, Action::Down);
    act(&mut list, &mut store, Action::PageDown);
    assert_eq!(list.selected_row(), Some(&29), "nothing past the last row");
    act(&mut list, &mut store, Action::Top);
    assert_eq!((list.selected_row(), list.paging.top), (Some(&0), 0));
}

#[test]
fn a_reload_keeps_the_selection_on_the_same_row_when_rows_come_before_it() {
    let (_dir, mut store) = store();
    let mut list = list(100, &store);
    for _ in 0..40 {
        act(&mut list, &mut store, Action::Down);
    }
    assert_eq!(list.selected_row(), Some(&40));
    // Five rows come before it (another operator added them).
    list.source.rows.splice(0..0, 1_000..1_005);
    list.reload(&store).unwrap();
    list.before_draw(AREA, &store);
    assert_eq!(list.selected_row(), Some(&40), "the same row, now the 46th");
    assert_eq!(list.paging.selected, 45);
    // The row goes: the selection stays where it was.
    list.source.rows.retain(|r| *r != 40);
    list.reload(&store).unwrap();
    assert_eq!(list.paging.selected, 45);
}

#[test]
fn a_key_typed_ahead_of_the_filters_reads_acts_on_the_rows_of_the_filter() {
    let (_dir, mut store) = store();
    let mut list = list(1_000, &store);
    list.read_only_when_idle();
    assert_eq!(act(&mut list, &mut store, Action::Filter), Effect::Done);
    assert!(list.captures_text());
    for c in ['7', '7'] {
        list.handle_key(&key(c), None, &mut store);
    }
    assert_eq!(list.source.filter, "77");
    assert!(list.is_searching(), "nothing read on the key's path");
    assert!(list.has_idle_work());
    // Enter closes the line, then Down comes before any idle time.
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    list.handle_key(&enter, Some(Action::Confirm), &mut store);
    assert!(!list.captures_text());
    act(&mut list, &mut store, Action::Down);
    assert_eq!(
        list.selected_row(),
        Some(&177),
        "the second match of 77 (77, 177, ...), not the second row of the list before"
    );
}

#[test]
fn a_typed_character_bound_elsewhere_is_text_in_the_filter_line() {
    let (_dir, mut store) = store();
    let mut list = list(100, &store);
    act(&mut list, &mut store, Action::Filter);
    // `j` is Down in the list: in the filter line it is a character.
    list.handle_key(&key('j'), Some(Action::Down), &mut store);
    assert_eq!(list.source.filter, "j");
    // The arrow moves in the list and keeps the line open.
    let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
    list.handle_key(&esc, Some(Action::Cancel), &mut store);
    assert_eq!(list.source.filter, "", "Esc clears the filter");
    act(&mut list, &mut store, Action::Filter);
    list.handle_key(&down, Some(Action::Down), &mut store);
    assert!(list.captures_text());
    assert_eq!(list.selected_row(), Some(&1));
}
