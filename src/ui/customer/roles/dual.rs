//! The dual list of the Roles pane: the users who hold a role on the right, the others on the
//! left; Space or Enter moves the selected user across.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::action::{Action, KeyContext};
use crate::domain::{Id, User};
use crate::keymap::Keymap;
use crate::store::people::user_ident;
use crate::theme::Theme;
use crate::ui::form::popup::popup_frame;
use crate::ui::form::{clip, display, draw_line};
use crate::ui::help::hint_line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Without,
    With,
}

pub(super) struct DualList {
    pub(super) role_id: Id,
    pub(super) role_name: String,
    /// Every user of the customer, by name.
    pub(super) users: Vec<User>,
    /// Ids of the users on the right (holding the role).
    pub(super) holding: BTreeSet<Id>,
    pub(super) original: BTreeSet<Id>,
    pub(super) side: Side,
    pub(super) left: usize,
    pub(super) right: usize,
    pub(super) error: Option<String>,
}

impl DualList {
    pub(super) fn column(&self, side: Side) -> Vec<&User> {
        self.users
            .iter()
            .filter(|u| self.holding.contains(&u.id) == (side == Side::With))
            .collect()
    }

    pub(super) fn cursor(&mut self, side: Side) -> &mut usize {
        match side {
            Side::Without => &mut self.left,
            Side::With => &mut self.right,
        }
    }

    pub(super) fn clamp(&mut self) {
        for side in [Side::Without, Side::With] {
            let len = self.column(side).len();
            let c = self.cursor(side);
            *c = (*c).min(len.saturating_sub(1));
        }
    }

    pub(super) fn move_by(&mut self, by: isize) {
        let len = self.column(self.side).len();
        let side = self.side;
        let c = self.cursor(side);
        *c = c.saturating_add_signed(by).min(len.saturating_sub(1));
    }

    /// Moves the selected user to the other side.
    pub(super) fn transfer(&mut self) {
        let side = self.side;
        let at = *self.cursor(side);
        let Some(id) = self.column(side).get(at).map(|u| u.id) else {
            return;
        };
        if !self.holding.remove(&id) {
            self.holding.insert(id);
        }
        self.error = None;
        self.clamp();
    }

    pub(super) fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let title = format!("Users of role {}", self.role_name);
        let longest = self.users.len().max(1) as u16;
        let rows = longest + 3 + u16::from(self.error.is_some());
        let Some(inner) = popup_frame(frame, area, 90, rows, &title, theme.modal_border) else {
            return;
        };
        let mut y = inner.y;
        if let Some(error) = &self.error {
            let line = Line::styled(format!("{}{error}", theme.blank_symbol), theme.error);
            draw_line(frame.buffer_mut(), inner, y, &line);
            y += 1;
        }
        let footer = hint_line(
            keymap,
            &[KeyContext::List, KeyContext::Form],
            &[
                Action::Down,
                Action::Toggle,
                Action::NextField,
                Action::Save,
                Action::Cancel,
            ],
            theme,
        );
        draw_line(frame.buffer_mut(), inner, inner.bottom() - 1, &footer);
        let half = inner.width / 2;
        let height = inner.bottom().saturating_sub(1).saturating_sub(y);
        let left = Rect::new(inner.x, y, half.saturating_sub(1), height);
        let right = Rect::new(inner.x + half, y, inner.width - half, height);
        self.render_column(frame, left, Side::Without, "Not holding it", theme);
        self.render_column(frame, right, Side::With, "Holding it", theme);
    }

    pub(super) fn render_column(
        &self,
        frame: &mut Frame,
        area: Rect,
        side: Side,
        title: &str,
        theme: &Theme,
    ) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let focused = self.side == side;
        let users = self.column(side);
        let style = if focused { theme.focus } else { theme.title };
        let head = format!("{title} ({})", users.len());
        draw_line(frame.buffer_mut(), area, area.y, &Line::styled(head, style));
        let rows = usize::from(area.height - 1);
        let at = match side {
            Side::Without => self.left,
            Side::With => self.right,
        };
        let top = (at + 1).saturating_sub(rows.max(1));
        let width = usize::from(area.width);
        for (n, (i, user)) in users.iter().enumerate().skip(top).take(rows).enumerate() {
            let selected = focused && i == at;
            let text = format!(
                "{}{}",
                theme.mark(theme.selection_symbol, selected),
                display(&user_ident(user))
            );
            let style = if selected {
                theme.table.selected
            } else {
                theme.table.row
            };
            let line = Line::styled(clip(&text, width).into_owned(), style);
            draw_line(frame.buffer_mut(), area, area.y + 1 + n as u16, &line);
        }
        if users.is_empty() && rows > 0 {
            let line = Line::styled(format!("{}(nobody)", theme.blank_symbol), theme.muted);
            draw_line(frame.buffer_mut(), area, area.y + 1, &line);
        }
    }
}
