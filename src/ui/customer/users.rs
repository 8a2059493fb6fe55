//! The Users sub-tab: the customer's users with their roles and state; add (a temporary password
//! shown once), edit, deactivate/reactivate, remove and reset password.
//!
//! Keys: the list keys; `a`/`n` add, `e`/Enter edit, `x` deactivate or reactivate, `D`/Del
//! remove, `r` reset password (each change but add and edit asks y/N first).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use super::people::{
    Notice, RecordList, TablePos, TableSpec, draw_table, error_text, form_hint, keys_line,
    record_list_component, record_list_fields,
};
use crate::action::{Action, KeyContext};
use crate::domain::{Customer, Id, Role, RoleType, Status, User};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::store::people::{NewUserSpec, UserRow, user_ident};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form;
use crate::ui::form::popup::Layout;
use crate::ui::form::user::{ROLES, UserFormStyle};
use crate::ui::form::{TextField, display};
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

/// The table's columns: their headings and widths.
const HEADER: [&str; 4] = ["Name", "Email", "Roles", "State"];
const WIDTHS: [Constraint; 4] = [
    Constraint::Fill(2),
    Constraint::Fill(3),
    Constraint::Fill(2),
    Constraint::Fill(3),
];

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

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        draw_table(frame, area, self.table(keymap, theme), &self.pos, theme);
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

    /// The table as drawn: a row per record, and the footer of keys.
    fn table(&self, keymap: &Keymap, theme: &Theme) -> TableSpec<'static> {
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
        TableSpec {
            header: &HEADER,
            widths: &WIDTHS,
            rows,
            footer,
        }
    }
}

// The list reads the action the app looked up; the user form and the questions still read the
// key (their widgets look it up in the key map).
impl RecordList for UsersPane {
    fn popup_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        match &mut self.popup {
            Some(Popup::Form(_)) => self.form_key(key, action, ctx),
            Some(Popup::Ask(_)) => self.ask_key(key, action, ctx),
            Some(Popup::Password(_)) => {
                if Notice::closes(action) {
                    self.popup = None;
                }
                Effect::Done
            }
            None => Effect::Ignored,
        }
    }

    record_list_fields!();

    /// `x` and `r` as typed (a Ctrl or Alt chord is not them).
    fn own_action(&mut self, key: &KeyEvent, action: Action, _ctx: &mut Ctx) -> Option<Effect> {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return None;
        }
        match action {
            Action::ToggleActive => {
                let active = self.selected().is_some_and(|r| r.user.active);
                Some(self.ask(Op::SetActive(!active)))
            }
            Action::ResetPassword => Some(self.ask(Op::ResetPassword)),
            _ => None,
        }
    }

    fn open_record(&mut self, edit: bool) -> Effect {
        self.open_form(edit)
    }

    fn ask_remove(&mut self, _ctx: &mut Ctx) -> Effect {
        self.ask(Op::Remove)
    }

    fn popup_hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        match &self.popup {
            Some(Popup::Ask(ask)) => ask.hint(),
            Some(Popup::Password(_)) => (vec![KeyContext::Modal], vec![Action::Confirm]),
            Some(Popup::Form(_)) | None => form_hint(),
        }
    }

    fn form_field(&mut self) -> Option<&mut TextField> {
        match &mut self.popup {
            Some(Popup::Form(form)) => form.text_field(),
            _ => None,
        }
    }

    fn popup_dirty(&self) -> bool {
        matches!(self.popup, Some(Popup::Form(_)))
    }
}

record_list_component!(UsersPane);

impl super::Pane for UsersPane {
    fn reload_customer(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        UsersPane::reload(self, customer, ctx)
    }
}
