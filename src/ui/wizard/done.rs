//! The screen after a successful commit: the temporary passwords of the new users, shown this
//! once, and the user-creation settings that apply to them. Enter opens the new customer.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::commit::Secret;
use crate::action::{Action, KeyContext};
use crate::domain::validate::display;
use crate::domain::{Id, UserCreation};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::{clip, draw_line};

/// One new user and its temporary password.
#[derive(Debug)]
pub struct Account {
    pub name: String,
    pub email: String,
    pub password: Secret,
}

#[derive(Debug)]
pub struct Done {
    pub id: Id,
    pub name: String,
    pub accounts: Vec<Account>,
    pub settings: UserCreation,
    /// The first account row shown; kept in range when drawn.
    scroll: Cell<usize>,
    /// Rows of the table last drawn, for paging.
    page_height: Cell<usize>,
}

impl Done {
    pub fn new(id: Id, name: String, accounts: Vec<Account>, settings: UserCreation) -> Self {
        Self {
            id,
            name,
            accounts,
            settings,
            scroll: Cell::new(0),
            page_height: Cell::new(1),
        }
    }

    /// The settings that apply to the new users, as one sentence.
    pub fn settings_text(&self) -> String {
        match (self.settings.confirm_email, self.settings.change_password) {
            (true, true) => {
                "Users must confirm their email; must change this password at first login.".into()
            }
            (true, false) => "Users must confirm their email; they keep this password.".into(),
            (false, true) => "Users must change this password at first login.".into(),
            (false, false) => {
                "Users sign in with this password; no email confirmation, no forced change.".into()
            }
        }
    }

    /// The key that opens the customer, as the key map has it.
    fn open_key(keymap: &Keymap) -> String {
        keymap
            .keys_for(KeyContext::Modal, Action::Confirm)
            .first()
            .map_or_else(|| "Enter".to_string(), ToString::to_string)
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let name = display(&self.name).into_owned();
        let mut head = vec![
            Line::from(vec![
                Span::styled("✓ ", theme.info),
                Span::styled(format!("{name} was created."), theme.title),
            ]),
            Line::default(),
        ];
        if self.accounts.is_empty() {
            head.push(Line::styled("No users were created.", theme.muted));
        } else {
            head.push(Line::styled(
                "Temporary passwords, shown only this once: give them to the users now.",
                theme.warning,
            ));
            head.push(Line::styled(self.settings_text(), theme.muted));
            head.push(Line::default());
        }
        let foot = Line::from(vec![
            Span::styled(Self::open_key(keymap), theme.hint_key),
            Span::styled(format!(": open {name}'s Account Profile"), theme.hint_label),
        ]);
        let buf = frame.buffer_mut();
        let mut y = area.y;
        for line in &head {
            if y >= area.bottom() {
                break;
            }
            draw_line(buf, area, y, line);
            y += 1;
        }
        // The table takes the rows between the head and the last two (a gap and the Enter line).
        let table_bottom = area.bottom().saturating_sub(2).max(y);
        if !self.accounts.is_empty() && y < table_bottom {
            y = self.render_table(
                frame,
                Rect::new(area.x, y, area.width, table_bottom - y),
                theme,
            );
        }
        let foot_y = (y + 1).min(area.bottom().saturating_sub(1)).max(area.y);
        draw_line(frame.buffer_mut(), area, foot_y, &foot);
    }

    /// Draws the header and the rows that fit; returns the row after the last one drawn.
    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) -> u16 {
        let names: Vec<String> = self
            .accounts
            .iter()
            .map(|a| display(&a.name).into_owned())
            .collect();
        let emails: Vec<String> = self
            .accounts
            .iter()
            .map(|a| display(&a.email).into_owned())
            .collect();
        let width = |header: &str, values: &[String]| {
            values
                .iter()
                .map(|v| v.width())
                .chain([header.width()])
                .max()
                .unwrap_or(0)
                .min(40)
        };
        let name_w = width("User", &names);
        let email_w = width("Email", &emails);
        let cell = |text: &str, w: usize| {
            let text = clip(text, w).into_owned();
            let pad = w.saturating_sub(text.width());
            format!("{text}{}   ", " ".repeat(pad))
        };
        let buf = frame.buffer_mut();
        let header = Line::from(vec![
            Span::raw(theme.blank_symbol),
            Span::styled(cell("User", name_w), theme.table.header),
            Span::styled(cell("Email", email_w), theme.table.header),
            Span::styled("Temporary password", theme.table.header),
        ]);
        draw_line(buf, area, area.y, &header);
        let rows = usize::from(area.height.saturating_sub(1));
        self.page_height.set(rows.max(1));
        let scroll = self
            .scroll
            .get()
            .min(self.accounts.len().saturating_sub(rows.max(1)));
        self.scroll.set(scroll);
        let mut y = area.y + 1;
        for (i, account) in self.accounts.iter().enumerate().skip(scroll).take(rows) {
            let line = Line::from(vec![
                Span::raw(theme.blank_symbol),
                Span::raw(cell(&names[i], name_w)),
                Span::raw(cell(&emails[i], email_w)),
                Span::styled(account.password.expose().to_owned(), theme.title),
            ]);
            draw_line(buf, area, y, &line);
            y += 1;
        }
        if scroll + rows < self.accounts.len() && rows > 0 {
            let more = format!("↓ {} more (↓/PgDn)", self.accounts.len() - scroll - rows);
            let x = area.right().saturating_sub(more.width() as u16);
            let r = Rect::new(x, y - 1, area.right() - x, 1);
            draw_line(buf, r, r.y, &Line::styled(more, theme.muted));
        }
        y.min(area.bottom())
    }
}

/// Enter opens the customer; Esc reminds that the passwords are not shown again; the list keys
/// scroll the accounts.
impl Component for Done {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Modal, KeyContext::List]
    }

    fn handle_key(&mut self, _key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        let page = self.page_height.get().max(1);
        let scroll = self.scroll.get();
        let scroll = match action {
            Some(Action::Confirm) => return Effect::OpenCustomer(self.id),
            Some(Action::Cancel) => {
                return Effect::Flash(Flash::warning(format!(
                    "Note the passwords first: they are not shown again. Enter opens {}",
                    display(&self.name)
                )));
            }
            Some(Action::Up) => scroll.saturating_sub(1),
            Some(Action::Down) => scroll + 1,
            Some(Action::PageUp) => scroll.saturating_sub(page),
            Some(Action::PageDown) => scroll + page,
            Some(Action::Top) => 0,
            Some(Action::Bottom) => self.accounts.len(),
            _ => return Effect::Ignored,
        };
        self.scroll
            .set(scroll.min(self.accounts.len().saturating_sub(1)));
        Effect::Done
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (
            vec![KeyContext::Modal, KeyContext::List],
            vec![Action::Confirm, Action::PageDown],
        )
    }

    fn is_dirty(&self) -> bool {
        !self.accounts.is_empty()
    }
}
