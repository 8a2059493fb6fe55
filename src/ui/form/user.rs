//! The user form: first name, last name, email and roles of one type. One form for the
//! customer's Users pane and the wizard's people step, generic over the roles it offers
//! ([`FormRole`]) and what saving needs to find the user again (`E`); what differs between the
//! two is in its [`UserFormStyle`]. A [`crate::ui::component::Component`] as a [`RowForm`],
//! as the role form is: saving stays with the caller, which the form asks with
//! `Effect::Answered(true)`.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::action::Action;
use crate::domain::validate::{field, max_len};
use crate::domain::{Id, Role, RoleType};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::form::TextField;
use crate::ui::form::popup::{FormRow, Layout, draw_popup};
use crate::ui::form::rows::{RowFields, RowForm, form_footer};
use crate::ui::wizard::people::{DraftRole, MIXED_TYPES};

/// A role the form offers: how a user holds it, and how its row reads.
pub(crate) trait FormRole {
    type Key: PartialEq + Copy;
    /// `None` for a role that cannot be held yet.
    fn key(&self) -> Option<Self::Key>;
    fn name(&self) -> &str;
    fn role_type(&self) -> RoleType;
}

impl FormRole for Role {
    type Key = Id;
    fn key(&self) -> Option<Id> {
        self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn role_type(&self) -> RoleType {
        self.role_type
    }
}

impl FormRole for DraftRole {
    type Key = u32;
    fn key(&self) -> Option<u32> {
        Some(self.id)
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn role_type(&self) -> RoleType {
        self.role_type
    }
}

/// What differs between the customer pane's form and the wizard's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserFormStyle {
    pub layout: Layout,
    pub roles_heading: &'static str,
    /// Enter on the last row saves (else it wraps to the first).
    pub enter_saves: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserItem {
    /// First name, last name, email.
    Text(usize),
    /// A role of the list, by position.
    Role(usize),
}

/// Where the reason goes under which the roles are listed.
pub(crate) const ROLES: usize = 3;

/// The user form: its [`UserFields`] as a [`RowForm`].
pub(crate) type UserForm<R, E> = RowForm<UserFields<R, E>>;

impl<R: FormRole, E> UserForm<R, E> {
    /// `values`: first name, last name, email.
    pub fn new(
        editing: Option<E>,
        values: [&str; 3],
        chosen: Vec<R::Key>,
        roles: Vec<R>,
        style: UserFormStyle,
    ) -> Self {
        RowForm(UserFields::new(editing, values, chosen, roles, style))
    }
}

/// What the user form holds.
pub(crate) struct UserFields<R: FormRole, E> {
    pub style: UserFormStyle,
    /// Set when editing.
    pub editing: Option<E>,
    pub fields: [TextField; 3],
    /// The chosen roles.
    pub chosen: Vec<R::Key>,
    /// First name, last name, email, roles ([`ROLES`]).
    pub errors: [Option<String>; 4],
    /// A store refusal, at the top.
    pub error: Option<String>,
    pub focus: UserItem,
    /// The roles a user may hold.
    pub roles: Vec<R>,
}

impl<R: FormRole, E> UserFields<R, E> {
    fn new(
        editing: Option<E>,
        values: [&str; 3],
        chosen: Vec<R::Key>,
        roles: Vec<R>,
        style: UserFormStyle,
    ) -> Self {
        let [first, last, email] = values;
        Self {
            style,
            editing,
            fields: [
                TextField::new(field::USER_FIRST_NAME, "First name")
                    .required()
                    .max_chars(max_len::NAME)
                    .with_value(first.to_string()),
                TextField::new(field::USER_LAST_NAME, "Last name")
                    .required()
                    .max_chars(max_len::NAME)
                    .with_value(last.to_string()),
                TextField::new(field::USER_EMAIL, "Email")
                    .required()
                    .max_chars(max_len::EMAIL)
                    .with_value(email.to_string()),
            ],
            chosen,
            errors: Default::default(),
            error: None,
            focus: UserItem::Text(0),
            roles,
        }
    }

    pub fn text_field(&mut self) -> Option<&mut TextField> {
        match self.focus {
            UserItem::Text(i) => self.fields.get_mut(i),
            UserItem::Role(_) => None,
        }
    }

    /// The chosen roles in the order of `roles`, whatever the order they were ticked in.
    pub fn chosen_in_order(&self) -> Vec<R::Key> {
        self.roles
            .iter()
            .filter_map(FormRole::key)
            .filter(|k| self.chosen.contains(k))
            .collect()
    }

    /// Ticks or unticks a role; one of the other type than those ticked is refused, saying so.
    fn toggle_role(&mut self, i: usize) {
        let Some(role) = self.roles.get(i) else {
            return;
        };
        let Some(key) = role.key() else { return };
        if let Some(at) = self.chosen.iter().position(|k| *k == key) {
            self.chosen.remove(at);
            self.errors[ROLES] = None;
            return;
        }
        let clash = self.roles.iter().any(|r| {
            r.key().is_some_and(|k| self.chosen.contains(&k)) && r.role_type() != role.role_type()
        });
        if clash {
            self.errors[ROLES] = Some(MIXED_TYPES.to_string());
            return;
        }
        self.chosen.push(key);
        self.errors[ROLES] = None;
    }
}

/// Typing, moving between rows, ticking roles; saving and cancelling are the caller's.
impl<R: FormRole, E> RowFields for UserFields<R, E> {
    type Row = UserItem;

    fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let mut rows = Vec::new();
        rows.extend(self.error.clone().map(FormRow::Error));
        for (i, f) in self.fields.iter().enumerate() {
            rows.push(FormRow::Text {
                field: f,
                focused: self.focus == UserItem::Text(i),
            });
            rows.extend(self.errors[i].clone().map(FormRow::Error));
        }
        rows.push(FormRow::Heading(self.style.roles_heading.into()));
        rows.extend(self.errors[ROLES].clone().map(FormRow::Error));
        for (i, role) in self.roles.iter().enumerate() {
            rows.push(FormRow::Check {
                label: format!("{} ({})", role.name(), role.role_type().label()),
                checked: role.key().is_some_and(|k| self.chosen.contains(&k)),
                focused: self.focus == UserItem::Role(i),
                locked: false,
                note: None,
                indent: 0,
            });
        }
        let title = if self.editing.is_some() {
            "Edit user"
        } else {
            "New user"
        };
        let footer: Line<'static> = form_footer(self.style.enter_saves, keymap, theme);
        draw_popup(frame, area, self.style.layout, title, &rows, footer, theme);
    }

    /// The three text fields, then the roles.
    fn rows(&self) -> Vec<UserItem> {
        (0..3)
            .map(UserItem::Text)
            .chain((0..self.roles.len()).map(UserItem::Role))
            .collect()
    }

    fn focus_mut(&mut self) -> &mut UserItem {
        &mut self.focus
    }
    fn enter_saves(&self) -> bool {
        self.style.enter_saves
    }
    fn focused_field(&mut self) -> Option<&mut TextField> {
        self.text_field()
    }
    fn edited(&mut self, row: UserItem) {
        if let UserItem::Text(i) = row {
            self.errors[i] = None;
        }
    }
    /// Space ticks the focused role.
    fn act(&mut self, _key: &KeyEvent, action: Option<Action>) {
        if action == Some(Action::Toggle)
            && let UserItem::Role(i) = self.focus
        {
            self.toggle_role(i);
        }
    }
}
