//! Drawing step 7: the Roles and Users panels and the open popup.

use super::*;

impl PeopleStep {
    // -----------------------------------------------------------------------------------------
    // Drawing

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let mut spans = vec![Span::styled("Roles and users", theme.title)];
        if self.share_disabled {
            spans.push(Span::styled(format!("   ({SHARE_DISABLED})"), theme.muted));
        }
        draw_line(frame.buffer_mut(), area, area.y, &Line::from(spans));
        let mut y = area.y + 1;
        if let Some(first) = self.problems.first() {
            let more = self.problems.len() - 1;
            let text = if more > 0 {
                format!("{}✖ {first} (+{more} more)", theme.danger_symbol)
            } else {
                format!("{}✖ {first}", theme.danger_symbol)
            };
            let line = Line::styled(display(&text).into_owned(), theme.error);
            draw_line(frame.buffer_mut(), area, y, &line);
            y += 1;
        }
        let rest = area.bottom().saturating_sub(y);
        let wanted = self.roles.len() as u16 + 2;
        let roles_h = wanted.min(rest / 2).max(rest.min(3));
        let roles_area = Rect::new(area.x, y.min(area.bottom()), area.width, roles_h);
        let users_area = Rect::new(
            area.x,
            (y + roles_h).min(area.bottom()),
            area.width,
            rest.saturating_sub(roles_h),
        );
        self.render_roles(frame, roles_area, theme);
        self.render_users(frame, users_area, theme);
        match &self.popup {
            Some(Popup::Role(form)) => form.render(frame, area, theme, keymap),
            Some(Popup::User(form)) => form.render(frame, area, theme, keymap),
            None => {}
        }
    }

    pub(super) fn panel_block(&self, panel: Panel, title: String, theme: &Theme) -> Block<'static> {
        let style = if self.panel == panel && self.popup.is_none() {
            theme.border_focused
        } else {
            theme.border
        };
        Block::bordered()
            .border_style(style)
            .title(Line::styled(format!(" {title} "), style))
    }

    pub(super) fn render_roles(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 8 {
            return;
        }
        let block = self.panel_block(Panel::Roles, format!("Roles ({})", self.roles.len()), theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows = usize::from(inner.height);
        let top = scroll(self.role_top.get(), self.role_sel, rows);
        self.role_top.set(top);
        let focused = self.panel == Panel::Roles;
        let width = usize::from(inner.width);
        for (n, (i, role)) in self
            .roles
            .iter()
            .enumerate()
            .skip(top)
            .take(rows)
            .enumerate()
        {
            let selected = focused && i == self.role_sel;
            let cameras = if role.all_cameras {
                "all cameras".to_string()
            } else {
                count_of(role.cameras.len(), "camera", "cameras")
            };
            let lock = match role.system {
                Some(SystemRole::Owner) => "locked",
                Some(SystemRole::Admin) => "system",
                None => "",
            };
            let text = format!(
                "{}{} {} {} {} {}",
                theme.mark(theme.selection_symbol, selected),
                fit(&role.name, 20),
                fit(role.role_type.label(), 5),
                fit(&cameras, 11),
                fit(lock, 6),
                role.permissions.summary(),
            );
            let style = self.row_style(Target::Role(role.id), selected, theme);
            let line = Line::styled(clip(&text, width).into_owned(), style);
            draw_line(frame.buffer_mut(), inner, inner.y + n as u16, &line);
        }
    }

    pub(super) fn render_users(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 8 {
            return;
        }
        let block = self.panel_block(Panel::Users, format!("Users ({})", self.users.len()), theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.users.is_empty() {
            let line = Line::styled("No users yet: press n to add one.", theme.muted);
            draw_line(frame.buffer_mut(), inner, inner.y, &line);
            return;
        }
        let rows = usize::from(inner.height);
        let top = scroll(self.user_top.get(), self.user_sel, rows);
        self.user_top.set(top);
        let focused = self.panel == Panel::Users;
        let width = usize::from(inner.width);
        for (n, (i, user)) in self
            .users
            .iter()
            .enumerate()
            .skip(top)
            .take(rows)
            .enumerate()
        {
            let selected = focused && i == self.user_sel;
            let roles: Vec<&str> = self
                .roles
                .iter()
                .filter(|r| user.roles.contains(&r.id))
                .map(|r| r.name.as_str())
                .collect();
            let roles = if roles.is_empty() {
                "no role".to_string()
            } else {
                roles.join(", ")
            };
            let note = if user.from_contact && !user.edited {
                "  (the contact)"
            } else {
                ""
            };
            let text = format!(
                "{}{} {} {}{note}",
                theme.mark(theme.selection_symbol, selected),
                fit(&or_placeholder(user.full_name(), "(no name)"), 22),
                fit(&or_placeholder(user.email.clone(), "(no email)"), 28),
                display(&roles),
            );
            let style = self.row_style(Target::User(user.id), selected, theme);
            let line = Line::styled(clip(&text, width).into_owned(), style);
            draw_line(frame.buffer_mut(), inner, inner.y + n as u16, &line);
        }
    }

    pub(super) fn row_style(&self, target: Target, selected: bool, theme: &Theme) -> Style {
        match (selected, self.marked.contains(&target)) {
            (true, _) => theme.table.selected,
            (false, true) => theme.error,
            (false, false) => theme.table.row,
        }
    }
}

pub(super) fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(super) fn or_placeholder(text: String, placeholder: &str) -> String {
    if text.trim().is_empty() {
        placeholder.to_string()
    } else {
        text
    }
}

/// `text` made safe and cut or padded to exactly `width` columns.
pub(super) fn fit(text: &str, width: usize) -> String {
    let shown = display(text);
    let mut out = clip(&shown, width).into_owned();
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// The first row to show so that `selected` is inside `rows` rows.
pub(super) fn scroll(top: usize, selected: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < top {
        selected
    } else if selected >= top + rows {
        selected + 1 - rows
    } else {
        top
    }
}
