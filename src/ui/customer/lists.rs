//! The read-only panes of the customer view: Roles, Users and Logs, until their editors come.
//!
//! Each is a table with a footer line that says what comes next, so nobody mistakes it for a
//! finished editor. Every stored text goes through [`display`]; the table cuts cells to their
//! columns and never wraps.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use super::AuditEntry;
use crate::action::Action;
use crate::domain::{Role, User};
use crate::theme::Theme;
use crate::ui::form::{clip, display, draw_line};

/// Scroll and selection of one list pane.
#[derive(Debug, Clone, Default)]
pub struct ListPane {
    state: TableState,
    len: usize,
    /// Rows shown at the last draw, for PgUp/PgDn.
    page: usize,
}

impl ListPane {
    /// Keeps the selection inside a list of `len` rows.
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        let selected = self.state.selected().unwrap_or(0);
        self.state.select((len > 0).then(|| selected.min(len - 1)));
        if len == 0 {
            *self.state.offset_mut() = 0;
        }
    }

    #[cfg(test)]
    fn selected(&self) -> Option<usize> {
        self.state.selected()
    }

    /// Applies a list movement; false for actions that are not one.
    pub fn apply(&mut self, action: Action) -> bool {
        if self.len == 0 {
            return matches!(
                action,
                Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::Top
                    | Action::Bottom
            );
        }
        let last = self.len - 1;
        let now = self.state.selected().unwrap_or(0);
        let page = self.page.max(1);
        let next = match action {
            Action::Up => now.saturating_sub(1),
            Action::Down => (now + 1).min(last),
            Action::PageUp => now.saturating_sub(page),
            Action::PageDown => (now + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        self.state.select(Some(next));
        true
    }
}

/// One pane's table: header, column widths, rows, and the footer line.
struct PaneTable<'a> {
    header: &'a [&'a str],
    widths: &'a [Constraint],
    rows: Vec<Row<'static>>,
    empty: &'a str,
    footer: String,
}

pub fn render_roles(
    frame: &mut Frame,
    area: Rect,
    roles: &[Role],
    pane: &mut ListPane,
    theme: &Theme,
) {
    let rows = roles
        .iter()
        .map(|r| {
            let cameras = if r.all_cameras {
                "All".to_string()
            } else {
                r.camera_ids.len().to_string()
            };
            let kind = if r.system.is_some() {
                "System"
            } else {
                "Custom"
            };
            text_row([
                &r.name,
                r.role_type.label(),
                &cameras,
                &r.permissions.summary(),
                kind,
            ])
        })
        .collect();
    let table = PaneTable {
        header: &["Name", "Type", "Cameras", "Permissions", "Kind"],
        widths: &[
            Constraint::Fill(2),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Fill(3),
            Constraint::Length(6),
        ],
        rows,
        empty: "This customer has no roles.",
        footer: footer(
            roles.len(),
            "role",
            "roles",
            "Adding, editing and deleting roles comes with the next release",
        ),
    };
    render_table(frame, area, table, pane, theme);
}

pub fn render_users(
    frame: &mut Frame,
    area: Rect,
    users: &[User],
    roles: &[Role],
    pane: &mut ListPane,
    theme: &Theme,
) {
    let rows = users
        .iter()
        .map(|u| {
            let name = format!("{} {}", u.first_name, u.last_name);
            let role_names = u
                .role_ids
                .iter()
                .map(|id| {
                    roles
                        .iter()
                        .find(|r| r.id == Some(*id))
                        .map_or_else(|| format!("#{id}"), |r| r.name.clone())
                })
                .collect::<Vec<_>>()
                .join(", ");
            let state = if u.active { "Active" } else { "Inactive" };
            text_row([&name, &u.email, &role_names, state])
        })
        .collect();
    let table = PaneTable {
        header: &["Name", "Email", "Roles", "State"],
        widths: &[
            Constraint::Fill(2),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(8),
        ],
        rows,
        empty: "This customer has no users.",
        footer: footer(
            users.len(),
            "user",
            "users",
            "Adding, editing and removing users comes with the next release",
        ),
    };
    render_table(frame, area, table, pane, theme);
}

pub fn render_logs(
    frame: &mut Frame,
    area: Rect,
    entries: &[AuditEntry],
    pane: &mut ListPane,
    theme: &Theme,
) {
    let rows = entries
        .iter()
        .map(|e| text_row([&short_time(&e.at), &e.operator, &e.action, &e.summary]))
        .collect();
    let table = PaneTable {
        header: &["Time (UTC)", "Operator", "Action", "Summary"],
        widths: &[
            Constraint::Length(16),
            Constraint::Length(12),
            Constraint::Length(16),
            Constraint::Fill(1),
        ],
        rows,
        empty: "No audit entries for this customer.",
        footer: footer(
            entries.len(),
            "entry, newest first",
            "entries, newest first",
            "filtering and details come with the next release",
        ),
    };
    render_table(frame, area, table, pane, theme);
}

/// "2024-05-01T10:20:30Z" as "2024-05-01 10:20"; anything else as stored.
fn short_time(at: &str) -> String {
    let bytes = at.as_bytes();
    if at.len() >= 16 && at.is_char_boundary(16) && bytes.get(10) == Some(&b'T') {
        format!("{} {}", &at[..10], &at[11..16])
    } else {
        at.to_string()
    }
}

fn footer(n: usize, one: &str, many: &str, next: &str) -> String {
    let noun = if n == 1 { one } else { many };
    format!("{n} {noun} · read-only: {next}")
}

/// A row of stored texts, each made safe to draw.
fn text_row<const N: usize>(cells: [&str; N]) -> Row<'static> {
    Row::new(
        cells
            .into_iter()
            .map(|c| Cell::from(display(c).into_owned())),
    )
}

fn render_table(
    frame: &mut Frame,
    area: Rect,
    table: PaneTable<'_>,
    pane: &mut ListPane,
    theme: &Theme,
) {
    let area = area.intersection(frame.area());
    if area.is_empty() {
        return;
    }
    pane.set_len(table.rows.len());
    let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    let footer_y = area.bottom() - 1;
    let width = usize::from(area.width);
    let footer = Line::styled(clip(&table.footer, width).into_owned(), theme.muted);
    draw_line(frame.buffer_mut(), area, footer_y, &footer);
    if body.is_empty() {
        return;
    }
    if table.rows.is_empty() {
        let line = Line::from(Span::styled(
            clip(table.empty, width).into_owned(),
            theme.muted,
        ));
        draw_line(frame.buffer_mut(), body, body.y, &line);
        return;
    }
    pane.page = usize::from(body.height.saturating_sub(1)).max(1);
    let header = Row::new(table.header.iter().map(|h| Cell::from(*h))).style(theme.table.header);
    let widget = Table::new(table.rows, table.widths.to_vec())
        .header(header)
        .style(theme.table.row)
        .row_highlight_style(theme.table.selected)
        .highlight_symbol(theme.selection_symbol);
    frame.render_stateful_widget(widget, body, &mut pane.state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shortened_only_when_they_look_like_rfc3339() {
        assert_eq!(short_time("2024-05-01T10:20:30Z"), "2024-05-01 10:20");
        assert_eq!(short_time("yesterday"), "yesterday");
        assert_eq!(
            short_time("2024-05-01 日本語日本語"),
            "2024-05-01 日本語日本語"
        );
    }

    #[test]
    fn movement_stays_inside_the_list() {
        let mut pane = ListPane::default();
        assert!(pane.apply(Action::Down));
        pane.set_len(3);
        assert!(pane.apply(Action::Bottom));
        assert_eq!(pane.selected(), Some(2));
        assert!(pane.apply(Action::Down));
        assert_eq!(pane.selected(), Some(2));
        assert!(pane.apply(Action::PageUp));
        assert_eq!(pane.selected(), Some(1));
        pane.set_len(1);
        assert_eq!(pane.selected(), Some(0));
        assert!(!pane.apply(Action::Edit));
    }
}
