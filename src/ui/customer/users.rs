//! The Users sub-tab: the customer's users with their roles and state; add (a temporary password
//! shown once), edit, deactivate/reactivate, remove and reset password.
//!
//! Keys: the list keys; `a`/`n` add, `e`/Enter edit, `x` deactivate or reactivate, `D`/Del
//! remove, `r` reset password (each change but add and edit asks y/N first).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use super::people::{
    Notice, TablePos, TableSpec, draw_table, error_text, form_hint, keys_line, paste,
};
use crate::action::{Action, KeyContext};
use crate::domain::{Customer, Id, Role, RoleType, Status, User};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::store::people::{NewUserSpec, UserRow, user_ident};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form;
use crate::ui::form::display;
use crate::ui::form::popup::Layout;
use crate::ui::form::user::{ROLES, UserFormStyle};
use crate::ui::modal::{Confirm, answered};
use crate::ui::wizard::commit::{PasswordSource, hash_password, random_source};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    Remove,
    SetActive(bool),
    ResetPassword,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    id: Id,
    version: i64,
    ident: String,
    op: Op,
}

/// The pane's user form: the store gives each user an id and a version.
type UserForm = form::user::UserForm<Role, (Id, i64)>;

const FORM_STYLE: UserFormStyle = UserFormStyle {
    layout: Layout::Stacked,
    roles_heading: "Roles * (all Admin roles or all Guard roles)",
    enter_saves: false,
};

fn new_form(user: Option<&User>, roles: &[Role]) -> UserForm {
    let values = user.map_or(["", "", ""], |u| {
        [
            u.first_name.as_str(),
            u.last_name.as_str(),
            u.email.as_str(),
        ]
    });
    let chosen = user.map(|u| u.role_ids.clone()).unwrap_or_default();
    let edit = user.map(|u| (u.id, u.version));
    UserForm::new(edit, values, chosen, roles.to_vec(), FORM_STYLE)
}

enum Popup {
    Form(Box<UserForm>),
    Ask(Confirm<Target>),
    Password(Notice),
}

pub struct UsersPane {
    customer: Customer,
    rows: Vec<UserRow>,
    roles: Vec<Role>,
    pos: TablePos,
    popup: Option<Popup>,
    read_only: bool,
    passwords: PasswordSource,
}

impl UsersPane {
    pub fn new(customer: &Customer, ctx: &mut Ctx) -> Result<Self, StoreError> {
        let mut pane = Self {
            customer: customer.clone(),
            rows: Vec::new(),
            roles: Vec::new(),
            pos: TablePos::default(),
            popup: None,
            read_only: ctx.store.is_read_only(),
            passwords: random_source(),
        };
        pane.reload(customer, ctx)?;
        Ok(pane)
    }

    /// Where temporary passwords come from (tests give a fixed one).
    pub fn set_password_source(&mut self, source: PasswordSource) {
        self.passwords = source;
    }

    pub fn reload(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        let selected = self.selected().map(|r| r.user.id);
        self.customer = customer.clone();
        self.read_only = ctx.store.is_read_only();
        self.rows = ctx.store.user_rows(customer.id)?;
        self.roles = ctx.store.roles_of(customer.id)?;
        if let Some(Popup::Form(form)) = &mut self.popup {
            form.roles = self.roles.clone();
        }
        self.pos.set_len(self.rows.len());
        if let Some(i) = selected.and_then(|id| self.rows.iter().position(|r| r.user.id == id)) {
            self.pos.select(i);
        }
        Ok(())
    }

    fn reload_now(&mut self, ctx: &mut Ctx) {
        if let Ok(Some(customer)) = ctx.store.customer(self.customer.id) {
            let _ = self.reload(&customer, ctx);
        }
    }

    fn selected(&self) -> Option<&UserRow> {
        self.pos.selected().and_then(|i| self.rows.get(i))
    }

    fn open_form(&mut self, edit: bool) -> Effect {
        let user = if edit {
            match self.selected() {
                Some(row) => Some(&row.user),
                None => return Effect::Done,
            }
        } else {
            None
        };
        self.popup = Some(Popup::Form(Box::new(new_form(user, &self.roles))));
        Effect::Done
    }

    fn ask(&mut self, op: Op) -> Effect {
        let Some(row) = self.selected() else {
            return Effect::Done;
        };
        let ident = display(&user_ident(&row.user)).into_owned();
        let (title, text) = match op {
            Op::Remove => (
                "Remove user",
                format!("Remove {ident}? The user can no longer sign in; this cannot be undone."),
            ),
            Op::SetActive(false) => (
                "Deactivate user",
                format!("Deactivate {ident}? The user cannot sign in until reactivated."),
            ),
            Op::SetActive(true) => (
                "Reactivate user",
                format!("Reactivate {ident}? The user can sign in again."),
            ),
            Op::ResetPassword => (
                "Reset password",
                format!(
                    "Reset the password of {ident}? A new temporary password is shown once; the \
                     old one stops working."
                ),
            ),
        };
        self.popup = Some(Popup::Ask(Confirm::new(
            title,
            text,
            Target {
                id: row.user.id,
                version: row.user.version,
                ident,
                op,
            },
        )));
        Effect::DialogOpened
    }

    fn ask_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(Popup::Ask(ask)) = &mut self.popup else {
            return Effect::Ignored;
        };
        let outcome = answered(ask, key, action, ctx).map(|yes| yes.then(|| ask.action.clone()));
        if outcome.is_some() {
            self.popup = None;
        }
        match outcome {
            Some(Some(target)) => self.run(target, ctx),
            _ => Effect::Done,
        }
    }

    fn run(&mut self, t: Target, ctx: &mut Ctx) -> Effect {
        let op = ctx.operator;
        let result = match t.op {
            Op::Remove => ctx
                .store
                .remove_user(t.id, t.version, op)
                .map(|()| format!("User {} removed", t.ident)),
            Op::SetActive(active) => {
                ctx.store
                    .set_user_active(t.id, t.version, active, op)
                    .map(|()| {
                        let verb = if active { "reactivated" } else { "deactivated" };
                        format!("User {} {verb}", t.ident)
                    })
            }
            Op::ResetPassword => {
                let password = (self.passwords)();
                let result = match hash_password(&password) {
                    Ok(hash) => ctx.store.reset_password(t.id, t.version, &hash, op),
                    Err(e) => Err(StoreError::Refused(e)),
                };
                result.map(|()| {
                    self.show_password("Password reset", &t.ident, password.expose());
                    format!("Password of {} reset", t.ident)
                })
            }
        };
        self.reload_now(ctx);
        match result {
            Ok(message) => Effect::Changed(Some(Flash::info(message))),
            Err(e) => Effect::Flash(Flash::error(error_text(&e))),
        }
    }

    /// Opens the one-time dialog with a temporary password and the settings that apply.
    fn show_password(&mut self, title: &str, ident: &str, password: &str) {
        let uc = self.customer.profile.user_creation;
        let mut paragraphs = vec![
            format!("Temporary password of {ident}:"),
            format!("    {password}"),
            "Shown only this once: pass it on now. It is stored only as a hash.".to_string(),
        ];
        let mut rules = Vec::new();
        if uc.change_password {
            rules.push("must change it at the first login");
        }
        if uc.confirm_email {
            rules.push("must confirm the email address");
        }
        if !rules.is_empty() {
            paragraphs.push(format!("The user {}.", rules.join(" and ")));
        }
        self.popup = Some(Popup::Password(Notice {
            title: title.to_string(),
            paragraphs,
        }));
    }

    fn form_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(Popup::Form(form)) = &mut self.popup else {
            return Effect::Ignored;
        };
        match form.handle_key(key, action, ctx) {
            Effect::Answered(true) => return self.save_form(ctx),
            Effect::Answered(false) => self.popup = None,
            _ => {}
        }
        Effect::Done
    }

    fn save_form(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(Popup::Form(form)) = &mut self.popup else {
            return Effect::Ignored;
        };
        let spec = NewUserSpec {
            first_name: form.fields[0].value().to_string(),
            last_name: form.fields[1].value().to_string(),
            email: form.fields[2].value().to_string(),
            role_ids: form.chosen_in_order(),
        };
        let ident = display(spec.email.trim()).into_owned();
        let op = ctx.operator;
        let result = match form.editing {
            Some((id, version)) => ctx
                .store
                .update_user(id, version, &spec, op)
                .map(|()| (id, None)),
            None => {
                let password = (self.passwords)();
                match hash_password(&password) {
                    Ok(hash) => ctx
                        .store
                        .add_user(self.customer.id, &spec, &hash, op)
                        .map(|id| (id, Some(password))),
                    Err(e) => Err(StoreError::Refused(e)),
                }
            }
        };
        match result {
            Ok((id, password)) => {
                self.popup = None;
                self.reload_now(ctx);
                if let Some(i) = self.rows.iter().position(|r| r.user.id == id) {
                    self.pos.select(i);
                }
                let message = match password {
                    Some(password) => {
                        self.show_password("User added", &ident, password.expose());
                        format!("User {ident} added")
                    }
                    None => format!("User {ident} saved"),
                };
                Effect::Changed(Some(Flash::info(message)))
            }
            Err(e) => {
                let text = error_text(&e);
                if text.starts_with("Roles:") {
                    form.errors[ROLES] = Some(text.clone());
                } else {
                    form.error = Some(text.clone());
                }
                Effect::Flash(Flash::error(text))
            }
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        self.render_table(frame, area, theme, keymap);
        match &self.popup {
            Some(Popup::Form(form)) => form.render(frame, area, theme, keymap),
            Some(Popup::Ask(ask)) => ask.render(frame, area, theme, keymap),
            Some(Popup::Password(notice)) => notice.render(frame, area, theme, keymap),
            None => {}
        }
    }

    fn state(&self, row: &UserRow) -> String {
        let u = &row.user;
        if row.blocked || self.customer.status == Status::Disabled {
            return "blocked (customer disabled)".into();
        }
        if !u.active {
            return "deactivated".into();
        }
        let mut parts = Vec::new();
        if u.must_confirm_email {
            parts.push("must confirm email");
        }
        if u.must_change_password {
            parts.push("must change password");
        }
        let admin = self.roles.iter().any(|r| {
            r.role_type == RoleType::Admin && r.id.is_some_and(|id| u.role_ids.contains(&id))
        });
        if admin && self.customer.profile.defaults.disable_admin_portal {
            parts.push("admin portal blocked");
        }
        if parts.is_empty() {
            "active".into()
        } else {
            parts.join(", ")
        }
    }

    fn render_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let u = &row.user;
                let style = if u.active && !row.blocked {
                    Style::new()
                } else {
                    theme.table.disabled_row
                };
                let roles = self
                    .roles
                    .iter()
                    .filter(|r| r.id.is_some_and(|id| u.role_ids.contains(&id)))
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let name = format!("{} {}", u.first_name, u.last_name);
                vec![
                    (display(name.trim()).into_owned(), style),
                    (display(&u.email).into_owned(), style),
                    (display(&roles).into_owned(), style),
                    (self.state(row), style),
                ]
            })
            .collect();
        let n = self.rows.len();
        let lead = format!("{n} {}", if n == 1 { "user" } else { "users" });
        let footer = if self.read_only {
            Line::styled(format!("{lead} · read-only store"), theme.muted)
        } else {
            keys_line(
                keymap,
                &[Action::ToggleActive, Action::ResetPassword],
                &[],
                lead,
                theme,
            )
        };
        let spec = TableSpec {
            header: &["Name", "Email", "Roles", "State"],
            widths: &[
                Constraint::Fill(2),
                Constraint::Fill(3),
                Constraint::Fill(2),
                Constraint::Fill(3),
            ],
            rows,
            footer,
        };
        draw_table(frame, area, spec, &mut self.pos, theme);
    }
}

// The list reads the action the app looked up; the user form and the questions still read the
// key (their widgets look it up in the key map).
impl Component for UsersPane {
    fn contexts(&self) -> Vec<KeyContext> {
        self.hint().0
    }

    /// Enter on a user opens its form, as `e` does.
    fn is_write(&self, action: Action) -> bool {
        action.is_write() || (self.popup.is_none() && action == Action::Open)
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        match &mut self.popup {
            Some(Popup::Form(_)) => return self.form_key(key, action, ctx),
            Some(Popup::Ask(_)) => return self.ask_key(key, action, ctx),
            Some(Popup::Password(notice)) => {
                if notice.closes(key, ctx.keymap) {
                    self.popup = None;
                }
                return Effect::Done;
            }
            None => {}
        }
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match action {
            Some(Action::ToggleActive) if plain => {
                let active = self.selected().is_some_and(|r| r.user.active);
                return self.ask(Op::SetActive(!active));
            }
            Some(Action::ResetPassword) if plain => return self.ask(Op::ResetPassword),
            _ => {}
        }
        let Some(action) = action else {
            return Effect::Ignored;
        };
        if self.pos.apply(action) {
            return Effect::Done;
        }
        match action {
            Action::Add | Action::New => self.open_form(false),
            Action::Edit | Action::Open => self.open_form(true),
            Action::Delete => self.ask(Op::Remove),
            _ => Effect::Ignored,
        }
    }

    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        let open = self.popup.is_some();
        let field = match &mut self.popup {
            Some(Popup::Form(form)) => form.text_field(),
            _ => None,
        };
        paste(open, field, text)
    }

    fn captures_text(&self) -> bool {
        self.popup.is_some()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        match &self.popup {
            Some(Popup::Form(_)) => form_hint(),
            Some(Popup::Ask(ask)) => ask.hint(),
            Some(Popup::Password(_)) => (vec![KeyContext::Modal], vec![Action::Confirm]),
            None => {
                let mut actions = vec![Action::Up, Action::Down];
                if !self.read_only {
                    actions.extend([Action::Add, Action::Edit, Action::Delete]);
                }
                (vec![KeyContext::List], actions)
            }
        }
    }

    fn is_dirty(&self) -> bool {
        matches!(self.popup, Some(Popup::Form(_)))
    }
}

impl super::Pane for UsersPane {
    fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        UsersPane::render(self, frame, area, theme, keymap);
    }
    fn reload_customer(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        UsersPane::reload(self, customer, ctx)
    }
}
