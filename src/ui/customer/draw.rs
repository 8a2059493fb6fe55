//! Drawing the customer view: the title line, the sub-tabs and the shown pane (or the Account
//! Profile editor), with an open question or dialog over them. Drawing reads nothing: the
//! pane fits itself to its area in [`CustomerView::before_draw`] first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{CustomerView, SubTab};
use crate::domain::Status;
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::Component;
use crate::ui::form::{clip, display, draw_line};

impl CustomerView {
    /// Before drawing in `area`: the shown pane fits itself to its part of it.
    pub fn before_draw(&mut self, area: Rect) {
        if self.edit.is_some() {
            return;
        }
        if let Some(body) = body_area(area)
            && let Some(pane) = self.pane_mut()
        {
            pane.before_draw(body);
        }
    }

    /// Draws the view as [`CustomerView::before_draw`] left it; reads nothing.
    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        self.render_title(frame, Rect::new(area.x, area.y, area.width, 1), theme);
        if area.height > 1 {
            self.render_tabs(frame, Rect::new(area.x, area.y + 1, area.width, 1), theme);
        }
        if let Some(body) = body_area(area) {
            self.render_body(frame, body, theme, keymap);
        }
        if let Some(ask) = &self.status_ask {
            ask.render(frame, area, theme, keymap);
        }
        if let Some(dialog) = &self.dialog {
            dialog.render(frame, area, theme, keymap);
        }
    }

    fn render_title(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let c = &self.customer;
        let (badge, badge_style) = match c.status {
            Status::Active => ("[Active]", theme.info),
            Status::Disabled => ("[Disabled]", theme.warning),
        };
        let kind = c.profile.kind.label();
        let room = usize::from(area.width).saturating_sub(badge.len() + kind.len() + 6);
        let name = clip(&display(c.name()), room.max(1)).into_owned();
        let line = Line::from(vec![
            Span::styled(name, theme.title),
            Span::raw("  "),
            Span::styled(badge, badge_style),
            Span::raw("  "),
            Span::styled(kind, theme.muted),
        ]);
        draw_line(frame.buffer_mut(), area, area.y, &line);
    }

    fn render_tabs(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut spans = Vec::new();
        for tab in SubTab::ALL {
            if tab == SubTab::Customers && !self.is_integrator() {
                continue;
            }
            let style = if tab == self.tab {
                theme.tabs.active
            } else {
                theme.tabs.inactive
            };
            spans.push(Span::styled(format!(" {} ", tab.title()), style));
            spans.push(Span::raw(" "));
        }
        draw_line(frame.buffer_mut(), area, area.y, &Line::from(spans));
    }

    fn render_body(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        if let Some(edit) = &self.edit {
            edit.draw(frame, area, theme);
            return;
        }
        if let Some(pane) = self.pane() {
            pane.render(frame, area, theme, keymap);
            return;
        }
        self.profile
            .render(frame, area, &self.customer, &self.data.profile, theme);
    }
}

/// Where the shown pane goes in the view's `area`: under the title and the sub-tabs, with a
/// blank row under the tabs when there is room to spare.
fn body_area(area: Rect) -> Option<Rect> {
    let top = if area.height > 12 { 3 } else { 2 };
    (area.height > top).then(|| Rect::new(area.x, area.y + top, area.width, area.height - top))
}
