//! A table's selection, and the scroll its drawing keeps, so that the panes draw through
//! `&self`: the drawing scrolls to keep the selection in view and remembers where in a `Cell`.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Table, TableState};

use crate::action::Action;
use crate::ui::form::paged::step;

#[derive(Debug, Clone, Default)]
pub(super) struct TableScroll {
    selected: Option<usize>,
    /// The first row shown, as the last drawing left it.
    offset: Cell<usize>,
}

impl TableScroll {
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn select(&mut self, row: Option<usize>) {
        self.selected = row;
    }

    /// Moves the selection in a table of `len` rows (`page` of them shown); other actions
    /// leave it.
    pub fn move_in(&mut self, len: usize, page: usize, action: Action) {
        if len == 0 {
            self.selected = None;
            return;
        }
        let last = len - 1;
        let now = self.selected.unwrap_or(0).min(last);
        self.selected = Some(step(now, last, page.max(1), action).unwrap_or(now));
    }

    /// Draws `table` into `area` from where it was scrolled, the selection in view.
    pub fn render(&self, frame: &mut Frame, table: Table, area: Rect) {
        let mut state = TableState::default()
            .with_offset(self.offset.get())
            .with_selected(self.selected);
        frame.render_stateful_widget(table, area, &mut state);
        self.offset.set(state.offset());
    }
}
