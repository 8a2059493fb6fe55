//! The Cameras tab's link pick list: the customers to link a camera to, narrowed by typing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use tui_input::Input;

use super::LINK_LIMIT;
use crate::action::{Action, KeyContext};
use crate::domain::validate::display;
use crate::domain::{CustomerRow, Id};
use crate::keymap::Keymap;
use crate::store::{CustomerQuery, Store};
use crate::theme::Theme;
use crate::ui::component::{Effect, Flash};
use crate::ui::form::popup::popup_frame;
use crate::ui::form::{draw_line, fit};
use crate::ui::help::hint_line;

/// A popup listing customers by name, narrowed by what is typed; Enter links the camera.
pub(super) struct LinkPicker {
    pub(super) camera_id: Id,
    pub(super) camera: String,
    pub(super) filter: Input,
    /// The first [`LINK_LIMIT`] customers matching the filter.
    pub(super) rows: Vec<CustomerRow>,
    /// More customers match than are listed.
    pub(super) more: bool,
    pub(super) highlight: usize,
}

impl LinkPicker {
    pub(super) fn requery(&mut self, store: &Store) -> Effect {
        let query = CustomerQuery {
            filter: self
                .filter
                .value()
                .chars()
                .filter(|c| !c.is_control())
                .collect(),
            ..CustomerQuery::default()
        };
        match store.customer_page(&query, 0, LINK_LIMIT + 1) {
            Ok(mut rows) => {
                self.more = rows.len() as i64 > LINK_LIMIT;
                rows.truncate(LINK_LIMIT as usize);
                self.rows = rows;
                self.highlight = 0;
                Effect::Done
            }
            Err(e) => Effect::Flash(Flash::error(e.to_string())),
        }
    }

    pub(super) fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let wanted = (self.rows.len().clamp(1, 12) + 3) as u16;
        let title = format!("Link camera {} to", self.camera);
        let Some(inner) = popup_frame(frame, area, 64, wanted, &title, theme.modal_border) else {
            return;
        };
        let buf = frame.buffer_mut();
        let filter = Line::from(vec![
            Span::styled("/ ", theme.hint_key),
            Span::styled(
                display(self.filter.value()).into_owned(),
                theme.input_focused,
            ),
            Span::styled("▏", theme.focus),
        ]);
        draw_line(buf, inner, inner.y, &filter);
        let footer_y = inner.bottom().saturating_sub(1);
        let list = Rect::new(
            inner.x,
            inner.y.saturating_add(1),
            inner.width,
            inner.height.saturating_sub(2),
        );
        if self.rows.is_empty() && !list.is_empty() {
            let line = Line::styled("  no customer matches", theme.muted);
            draw_line(buf, list, list.y, &line);
        }
        let height = usize::from(list.height);
        let first = (self.highlight + 1).saturating_sub(height);
        for (i, row) in self.rows.iter().enumerate().skip(first).take(height) {
            let lit = i == self.highlight;
            let style = if lit {
                theme.table.selected
            } else {
                theme.table.row
            };
            let mark = theme.mark(theme.selection_symbol, lit);
            let city = if row.city.is_empty() {
                String::new()
            } else {
                format!("  · {}", row.city)
            };
            let text = format!("{mark}{}{}", display(&row.name), display(&city));
            let line = Line::styled(fit(&text, usize::from(list.width)), style);
            draw_line(buf, list, list.y + (i - first) as u16, &line);
        }
        if inner.height >= 3 {
            let shown = if self.more {
                format!("first {LINK_LIMIT}: type to narrow  ")
            } else {
                format!("{} shown  ", self.rows.len())
            };
            let mut line = hint_line(
                keymap,
                &[KeyContext::Modal],
                &[Action::Confirm, Action::Cancel],
                theme,
            );
            line.spans.insert(0, Span::styled(shown, theme.muted));
            draw_line(buf, inner, footer_y, &line);
        }
    }
}
