//! The Cameras tab's link pick list: the customers to link a camera to, narrowed by typing.

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::LINK_LIMIT;
use crate::action::{Action, KeyContext};
use crate::domain::validate::{clean_paste, display};
use crate::domain::{CustomerRow, Id};
use crate::keymap::Keymap;
use crate::store::{CustomerQuery, Store};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::paged::{step, types};
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
    /// The customer Enter chose, for the Cameras tab to link the camera to.
    chosen: Option<(Id, String)>,
}

/// How far PgUp and PgDn move the highlight.
const PAGE: usize = 10;

impl LinkPicker {
    /// The pick list for camera `camera_id` named `camera`; nothing read yet.
    pub(super) fn new(camera_id: Id, camera: String) -> Self {
        Self {
            camera_id,
            camera,
            filter: Input::default(),
            rows: Vec::new(),
            more: false,
            highlight: 0,
            chosen: None,
        }
    }

    /// The customer chosen with Enter, once.
    pub(super) fn take_chosen(&mut self) -> Option<(Id, String)> {
        self.chosen.take()
    }

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

    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
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

impl Component for LinkPicker {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    /// Global too: Ctrl-C (quit) is not the picker's.
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Modal, KeyContext::List, KeyContext::Global]
    }

    /// Enter chooses the highlighted customer ([`LinkPicker::take_chosen`]), Esc answers
    /// [`Effect::Back`]; the arrows and page keys move, everything else narrows the list.
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let last = self.rows.len().saturating_sub(1);
        match action {
            Some(Action::Cancel) => Effect::Back(None),
            Some(Action::Confirm) => {
                if let Some(customer) = self.rows.get(self.highlight) {
                    self.chosen = Some((customer.id, customer.name.clone()));
                }
                Effect::Done
            }
            Some(a @ (Action::Up | Action::Down | Action::PageUp | Action::PageDown))
                if !types(key) =>
            {
                if let Some(to) = step(self.highlight, last, PAGE, a) {
                    self.highlight = to;
                }
                Effect::Done
            }
            Some(Action::Quit) if !types(key) => Effect::Ignored,
            _ => match self.filter.handle_event(&Event::Key(*key)) {
                Some(change) if change.value => self.requery(ctx.store),
                _ => Effect::Done,
            },
        }
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        let value = format!("{}{}", self.filter.value(), clean_paste(text, false));
        self.filter = Input::new(value);
        self.requery(ctx.store)
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (
            vec![KeyContext::Modal],
            vec![Action::Confirm, Action::Cancel],
        )
    }
}
