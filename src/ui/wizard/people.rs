//! Wizard step 7, Roles and users: the Owner and Admin system roles from the start, custom roles
//! (name, description, role type, all cameras or a chosen set, permitted actions) and users
//! (name, email, roles of one type). The contact of step 2 is proposed as the first user, holding
//! Owner, and follows the contact until the operator edits that user by hand.
//!
//! Keys: Tab / Shift-Tab switch between the Roles and the Users panel; `n` adds a role or a user
//! to the focused panel, Enter edits the selected one, `D` (or Delete) twice removes it. Forms
//! open in a popup: Tab / Shift-Tab move, Space toggles, Enter goes on and saves on the last
//! row, Ctrl-S saves from anywhere, Esc cancels.

mod check;
mod draw;
mod forms;

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

use super::cameras::{CameraChoice, CameraKey};
use crate::action::{Action, KeyContext};
use crate::domain::validate::{self, display, field};
use crate::domain::{Contact, NewUser, Permissions, Role, RoleType, SystemRole};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::popup::Layout;
use crate::ui::form::role::{self as role_form, RoleErrors, RoleFormStyle, RoleSeed};
use crate::ui::form::user::{self as user_form, UserFormStyle, UserItem};
use crate::ui::form::{clip, draw_line};

use check::{draft_role, mixed};
use draw::count_of;
use forms::{RoleForm, UserForm, new_role_form, new_user_form};

/// The message under Roles when a user would hold roles of both types.
pub const MIXED_TYPES: &str = "Roles: a user's roles must all be of one type (Admin or Guard)";
/// Why Share cannot be granted.
pub use crate::ui::form::role::SHARE_DISABLED;
/// The problem [`PeopleStep::validate`] reports when nobody holds Owner.
pub const NO_OWNER: &str = "Users: at least one user must hold Owner";

const OWNER_ID: u32 = 0;
const ADMIN_ID: u32 = 1;

/// A role as typed in the wizard. `id` is local to the wizard and stable, so users keep their
/// roles when another role is removed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DraftRole {
    pub id: u32,
    pub system: Option<SystemRole>,
    pub name: String,
    pub description: String,
    pub role_type: RoleType,
    pub all_cameras: bool,
    /// The chosen cameras when `all_cameras` is off.
    pub cameras: Vec<CameraChoice>,
    pub permissions: Permissions,
}

/// A user as typed in the wizard; `roles` are [`DraftRole::id`]s.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DraftUser {
    pub id: u32,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub roles: Vec<u32>,
    /// Proposed from the contact of step 2.
    pub from_contact: bool,
    /// The operator changed its name or email: it no longer follows the contact.
    pub edited: bool,
}

impl DraftUser {
    fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }

    /// How a problem names the user: its email, else its name.
    fn ident(&self) -> String {
        let email = self.email.trim();
        if email.is_empty() {
            self.full_name()
        } else {
            email.to_string()
        }
    }
}

/// Step 7 as the wizard saves it in its draft.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PeopleDraft {
    pub roles: Vec<DraftRole>,
    pub users: Vec<DraftUser>,
    pub next_id: u32,
    #[serde(default)]
    pub cameras: Vec<CameraChoice>,
    #[serde(default)]
    pub share_disabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Roles,
    Users,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Role(u32),
    User(u32),
}

enum Popup {
    Role(RoleForm),
    User(UserForm),
}

pub struct PeopleStep {
    roles: Vec<DraftRole>,
    users: Vec<DraftUser>,
    next_id: u32,
    /// The cameras picked in step 6.
    cameras: Vec<CameraChoice>,
    share_disabled: bool,
    panel: Panel,
    role_sel: usize,
    user_sel: usize,
    /// The first rows shown of each panel; drawing keeps the selection in view.
    role_top: Cell<usize>,
    user_top: Cell<usize>,
    popup: Option<Popup>,
    /// A first `D` names what a second one removes.
    pending_delete: Option<Target>,
    /// From the last [`PeopleStep::validate`]; cleared by any change.
    problems: Vec<String>,
    marked: Vec<Target>,
}

fn system_role(id: u32, role: Role) -> DraftRole {
    DraftRole {
        id,
        system: role.system,
        name: role.name,
        description: role.description,
        role_type: role.role_type,
        all_cameras: role.all_cameras,
        cameras: Vec::new(),
        permissions: role.permissions,
    }
}

impl PeopleStep {
    pub fn new(contact: &Contact) -> Self {
        let mut step = Self::restore(PeopleDraft {
            roles: Vec::new(),
            users: Vec::new(),
            next_id: 2,
            cameras: Vec::new(),
            share_disabled: false,
        });
        let id = step.take_id();
        step.users.push(DraftUser {
            id,
            first_name: contact.first_name.trim().to_string(),
            last_name: contact.last_name.trim().to_string(),
            email: contact.email.trim().to_string(),
            roles: vec![OWNER_ID],
            from_contact: true,
            edited: false,
        });
        step
    }

    /// From a draft; Owner and Admin are put back first should the draft lack them.
    pub fn restore(d: PeopleDraft) -> Self {
        let mut roles = d.roles;
        let has = |roles: &[DraftRole], s| roles.iter().any(|r| r.system == Some(s));
        if !has(&roles, SystemRole::Owner) {
            roles.insert(0, system_role(OWNER_ID, Role::owner()));
        }
        if !has(&roles, SystemRole::Admin) {
            roles.insert(1, system_role(ADMIN_ID, Role::admin()));
        }
        roles.sort_by_key(|r| match r.system {
            Some(SystemRole::Owner) => 0,
            Some(SystemRole::Admin) => 1,
            None => 2,
        });
        let top = roles
            .iter()
            .map(|r| r.id)
            .chain(d.users.iter().map(|u| u.id))
            .max()
            .unwrap_or(0);
        Self {
            roles,
            users: d.users,
            next_id: d.next_id.max(top + 1),
            cameras: d.cameras,
            share_disabled: d.share_disabled,
            panel: Panel::Roles,
            role_sel: 0,
            user_sel: 0,
            role_top: Cell::new(0),
            user_top: Cell::new(0),
            popup: None,
            pending_delete: None,
            problems: Vec::new(),
            marked: Vec::new(),
        }
    }

    pub fn draft(&self) -> PeopleDraft {
        PeopleDraft {
            roles: self.roles.clone(),
            users: self.users.clone(),
            next_id: self.next_id,
            cameras: self.cameras.clone(),
            share_disabled: self.share_disabled,
        }
    }

    fn take_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The proposed user follows the contact while the operator has not edited it by hand.
    pub fn sync_contact(&mut self, contact: &Contact) {
        if let Some(user) = self.users.iter_mut().find(|u| u.from_contact && !u.edited) {
            user.first_name = contact.first_name.trim().to_string();
            user.last_name = contact.last_name.trim().to_string();
            user.email = contact.email.trim().to_string();
        }
    }

    /// The cameras picked in step 6. Chosen cameras no longer picked are dropped; the others
    /// are matched by MAC address, so a new camera's changed index follows it.
    pub fn set_cameras(&mut self, cameras: Vec<CameraChoice>) {
        for role in &mut self.roles {
            role.cameras = role
                .cameras
                .iter()
                .filter_map(|c| cameras.iter().find(|n| n.mac == c.mac).cloned())
                .collect();
        }
        if let Some(Popup::Role(form)) = &mut self.popup {
            form.chosen
                .retain(|mac| cameras.iter().any(|c| &c.mac == mac));
            form.focus = role_form::RoleItem::AllCameras;
            form.cameras = cameras.clone();
        }
        self.cameras = cameras;
    }

    /// Turns Share off in every role when camera share is disabled for the customer.
    pub fn set_share_disabled(&mut self, disabled: bool) {
        self.share_disabled = disabled;
        if let Some(Popup::Role(form)) = &mut self.popup {
            form.share_disabled = disabled;
        }
        if disabled {
            for role in &mut self.roles {
                role.permissions.share = false;
            }
            if let Some(Popup::Role(form)) = &mut self.popup {
                form.permissions.share = false;
                if form.focus == role_form::RoleItem::Share {
                    form.focus = role_form::RoleItem::Ptz;
                }
            }
        }
    }

    /// A key of the panels (no popup open).
    fn handle_panel_action(&mut self, action: Option<Action>, keymap: &Keymap) -> Effect {
        let pending = self.pending_delete.take();
        let Some(action) = action else {
            return Effect::Ignored;
        };
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            Action::Top => self.move_by(-(1 << 20)),
            Action::Bottom => self.move_by(1 << 20),
            Action::NextField | Action::PrevField => {
                self.panel = match self.panel {
                    Panel::Roles => Panel::Users,
                    Panel::Users => Panel::Roles,
                };
            }
            Action::New => self.open_new(),
            Action::Open | Action::Edit => return self.open_selected(),
            Action::Delete => return self.delete_selected(pending, keymap),
            _ => return Effect::Ignored,
        }
        Effect::Done
    }

    fn move_by(&mut self, by: i64) {
        let (sel, len) = match self.panel {
            Panel::Roles => (&mut self.role_sel, self.roles.len()),
            Panel::Users => (&mut self.user_sel, self.users.len()),
        };
        let moved = (*sel as i64 + by).clamp(0, len.saturating_sub(1) as i64);
        *sel = moved as usize;
    }

    fn open_new(&mut self) {
        self.popup = Some(match self.panel {
            Panel::Roles => Popup::Role(new_role_form(None, &self.cameras, self.share_disabled)),
            Panel::Users => Popup::User(new_user_form(None, &self.roles)),
        });
    }

    fn open_selected(&mut self) -> Effect {
        match self.panel {
            Panel::Roles => {
                let Some(role) = self.roles.get(self.role_sel) else {
                    return Effect::Done;
                };
                if role.system == Some(SystemRole::Owner) {
                    return Effect::Flash(Flash::warning(
                        "Owner is a system role: it cannot be changed",
                    ));
                }
                let form = new_role_form(Some(role), &self.cameras, self.share_disabled);
                self.popup = Some(Popup::Role(form));
            }
            Panel::Users => {
                let Some(user) = self.users.get(self.user_sel) else {
                    return Effect::Done;
                };
                self.popup = Some(Popup::User(new_user_form(Some(user), &self.roles)));
            }
        }
        Effect::Done
    }

    /// The first `D` asks, a second one removes. System roles cannot be removed.
    fn delete_selected(&mut self, pending: Option<Target>, keymap: &Keymap) -> Effect {
        let target = match self.panel {
            Panel::Roles => match self.roles.get(self.role_sel) {
                Some(role) if role.system.is_some() => {
                    return Effect::Flash(Flash::warning(format!(
                        "{} is a system role: it cannot be removed",
                        role.name
                    )));
                }
                Some(role) => Target::Role(role.id),
                None => return Effect::Done,
            },
            Panel::Users => match self.users.get(self.user_sel) {
                Some(user) => Target::User(user.id),
                None => return Effect::Done,
            },
        };
        if pending != Some(target) {
            self.pending_delete = Some(target);
            let key = keymap
                .keys_for(KeyContext::Customer, Action::Delete)
                .first()
                .map_or_else(|| "Del".to_string(), ToString::to_string);
            let what = match target {
                Target::Role(id) => {
                    let holders = self.users.iter().filter(|u| u.roles.contains(&id)).count();
                    format!(
                        "role {} ({holders} {} lose it)",
                        self.role_name(id),
                        if holders == 1 {
                            "user would"
                        } else {
                            "users would"
                        }
                    )
                }
                Target::User(_) => format!("user {}", self.users[self.user_sel].ident()),
            };
            return Effect::Flash(Flash::warning(format!(
                "Press {key} again to remove {what}"
            )));
        }
        self.changed();
        let message = match target {
            Target::Role(id) => {
                let name = self.role_name(id);
                self.roles.retain(|r| r.id != id);
                for user in &mut self.users {
                    user.roles.retain(|r| *r != id);
                }
                self.role_sel = self.role_sel.min(self.roles.len().saturating_sub(1));
                format!("Role {name} removed")
            }
            Target::User(id) => {
                let ident = self.users[self.user_sel].ident();
                self.users.retain(|u| u.id != id);
                self.user_sel = self.user_sel.min(self.users.len().saturating_sub(1));
                format!("User {ident} removed")
            }
        };
        Effect::Flash(Flash::info(message))
    }

    fn role_name(&self, id: u32) -> String {
        self.roles
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_default()
    }

    /// Something changed: the problems of the last validation may no longer hold.
    fn changed(&mut self) {
        self.problems.clear();
        self.marked.clear();
    }
}

/// Tab and Shift-Tab switch panels, the list keys move, `n` adds, Enter edits, Delete twice
/// removes; an open popup takes every key first.
impl Component for PeopleStep {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        if self.popup.is_some() {
            vec![KeyContext::Form]
        } else {
            vec![KeyContext::List, KeyContext::Customer, KeyContext::Form]
        }
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        match &self.popup {
            Some(_) => self.handle_popup_key(key, action, ctx),
            None => self.handle_panel_action(action, ctx.keymap),
        }
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        match &mut self.popup {
            Some(Popup::Role(form)) => form.handle_paste(text, ctx),
            Some(Popup::User(form)) => form.handle_paste(text, ctx),
            None => Effect::Ignored,
        }
    }

    /// A popup takes every key (single letters type or do nothing; they never act beneath).
    fn captures_text(&self) -> bool {
        self.popup.is_some()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        match &self.popup {
            Some(Popup::Role(form)) => return form.hint(),
            Some(Popup::User(form)) => return form.hint(),
            None => {}
        }
        (
            vec![
                KeyContext::List,
                KeyContext::Customer,
                KeyContext::Form,
                KeyContext::Global,
            ],
            vec![
                Action::New,
                Action::Open,
                Action::Delete,
                Action::NextField,
                Action::Down,
                Action::NextStep,
                Action::PrevStep,
                Action::Help,
            ],
        )
    }
}
