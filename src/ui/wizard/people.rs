//! Wizard step 7, Roles and users: the Owner and Admin system roles from the start, custom roles
//! (name, description, role type, all cameras or a chosen set, permitted actions) and users
//! (name, email, roles of one type). The contact of step 2 is proposed as the first user, holding
//! Owner, and follows the contact until the operator edits that user by hand.
//!
//! Keys: Tab / Shift-Tab switch between the Roles and the Users panel; `n` adds a role or a user
//! to the focused panel, Enter edits the selected one, `D` (or Delete) twice removes it. Forms
//! open in a popup: Tab / Shift-Tab move, Space toggles, Enter goes on and saves on the last
//! row, Ctrl-S saves from anywhere, Esc cancels.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

use super::cameras::{CameraChoice, CameraKey, StepOutcome};
use crate::action::{Action, KeyContext};
use crate::domain::validate::{self, display, field};
use crate::domain::{Contact, NewUser, Permissions, Role, RoleType, SystemRole};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Ctx, Flash};
use crate::ui::form::popup::{Layout, ctrl_char, form_footer};
use crate::ui::form::role::{self as role_form, FormKey, RoleErrors, RoleFormStyle, RoleSeed};
use crate::ui::form::user::{self as user_form, UserFormStyle, UserItem};
use crate::ui::form::{clip, draw_line};

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
    role_top: usize,
    user_top: usize,
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
            role_top: 0,
            user_top: 0,
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
        }
        self.cameras = cameras;
    }

    /// Turns Share off in every role when camera share is disabled for the customer.
    pub fn set_share_disabled(&mut self, disabled: bool) {
        self.share_disabled = disabled;
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

    /// A popup takes every key (single letters type or do nothing; they never act beneath).
    pub fn captures_text(&self) -> bool {
        self.popup.is_some()
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.popup.is_some() {
            return (
                vec![KeyContext::Form],
                vec![
                    Action::NextField,
                    Action::PrevField,
                    Action::Toggle,
                    Action::Submit,
                    Action::Cancel,
                ],
            );
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

    pub fn handle_paste(&mut self, text: &str) -> StepOutcome {
        let field = match &mut self.popup {
            Some(Popup::Role(form)) => form.text_field(),
            Some(Popup::User(form)) => form.text_field(),
            None => None,
        };
        match field {
            Some(field) => {
                field.insert_str(text);
                StepOutcome::Consumed
            }
            None => StepOutcome::Ignored,
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> StepOutcome {
        if key.kind == KeyEventKind::Release {
            return StepOutcome::Ignored;
        }
        match &self.popup {
            Some(Popup::Role(_)) => return self.handle_role_key(key, ctx),
            Some(Popup::User(_)) => return self.handle_user_key(key, ctx),
            None => {}
        }
        let action = if key.code == KeyCode::Delete {
            Some(Action::Delete)
        } else {
            ctx.keymap.lookup_in(
                &[KeyContext::List, KeyContext::Customer, KeyContext::Form],
                key,
            )
        };
        let pending = self.pending_delete.take();
        let Some(action) = action else {
            return StepOutcome::Ignored;
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
            Action::Delete => return self.delete_selected(pending, ctx.keymap),
            _ => return StepOutcome::Ignored,
        }
        StepOutcome::Consumed
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
            Panel::Roles => Popup::Role(new_role_form(None, self.share_disabled)),
            Panel::Users => Popup::User(new_user_form(None)),
        });
    }

    fn open_selected(&mut self) -> StepOutcome {
        match self.panel {
            Panel::Roles => {
                let Some(role) = self.roles.get(self.role_sel) else {
                    return StepOutcome::Consumed;
                };
                if role.system == Some(SystemRole::Owner) {
                    return StepOutcome::Flash(Flash::warning(
                        "Owner is a system role: it cannot be changed",
                    ));
                }
                let form = new_role_form(Some(role), self.share_disabled);
                self.popup = Some(Popup::Role(form));
            }
            Panel::Users => {
                let Some(user) = self.users.get(self.user_sel) else {
                    return StepOutcome::Consumed;
                };
                self.popup = Some(Popup::User(new_user_form(Some(user))));
            }
        }
        StepOutcome::Consumed
    }

    /// The first `D` asks, a second one removes. System roles cannot be removed.
    fn delete_selected(&mut self, pending: Option<Target>, keymap: &Keymap) -> StepOutcome {
        let target = match self.panel {
            Panel::Roles => match self.roles.get(self.role_sel) {
                Some(role) if role.system.is_some() => {
                    return StepOutcome::Flash(Flash::warning(format!(
                        "{} is a system role: it cannot be removed",
                        role.name
                    )));
                }
                Some(role) => Target::Role(role.id),
                None => return StepOutcome::Consumed,
            },
            Panel::Users => match self.users.get(self.user_sel) {
                Some(user) => Target::User(user.id),
                None => return StepOutcome::Consumed,
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
            return StepOutcome::Flash(Flash::warning(format!(
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
        StepOutcome::Flash(Flash::info(message))
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

    // -----------------------------------------------------------------------------------------
    // The role form

    fn handle_role_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> StepOutcome {
        let Some(Popup::Role(form)) = &mut self.popup else {
            return StepOutcome::Ignored;
        };
        if ctrl_char(key) == Some('c') {
            return StepOutcome::Ignored;
        }
        match form.handle_key(key, ctx.keymap, &self.cameras, self.share_disabled) {
            FormKey::Save => return self.save_role(),
            FormKey::Cancel => self.popup = None,
            FormKey::Consumed => {}
        }
        StepOutcome::Consumed
    }

    #[allow(clippy::too_many_lines)] // issue 12: split with the popup engine
    fn save_role(&mut self) -> StepOutcome {
        let Some(Popup::Role(form)) = &mut self.popup else {
            return StepOutcome::Ignored;
        };
        let mut role = form.typed_role();
        // Checked as typed, so a position in a message counts the operator's own spaces.
        let found = validate::validate_role(&role);
        validate::normalize_role(&mut role);
        let mut errors = RoleErrors::default();
        for e in found {
            let slot = if e.field == field::ROLE_DESCRIPTION {
                &mut errors.description
            } else {
                &mut errors.name
            };
            slot.get_or_insert_with(|| e.to_string());
        }
        let editing = form.editing;
        if errors.name.is_none()
            && self
                .roles
                .iter()
                .any(|r| Some(r.id) != editing && r.name.trim().eq_ignore_ascii_case(&role.name))
        {
            errors.name = Some(format!(
                "Role name: \"{}\" is already used by another role",
                role.name
            ));
        }
        if let Some(id) = editing {
            // A type change must not leave a user holding roles of both types.
            let clash = self.users.iter().find(|u| {
                u.roles.contains(&id)
                    && u.roles.iter().any(|r| {
                        *r != id
                            && self
                                .roles
                                .iter()
                                .any(|x| x.id == *r && x.role_type != role.role_type)
                    })
            });
            if let Some(user) = clash {
                errors.role_type = Some(format!(
                    "Role type: {} also holds roles of the other type; a user's roles must all \
                     be of one type",
                    user.ident()
                ));
            }
        }
        if errors.any() {
            form.focus = errors.first_item();
            form.errors = errors;
            return StepOutcome::Consumed;
        }
        let cameras: Vec<CameraChoice> = form
            .chosen_cameras(&self.cameras)
            .into_iter()
            .cloned()
            .collect();
        let name = role.name.clone();
        let draft = DraftRole {
            id: editing.unwrap_or(0),
            system: role.system,
            name: role.name,
            description: role.description,
            role_type: role.role_type,
            all_cameras: role.all_cameras,
            cameras,
            permissions: role.permissions,
        };
        self.popup = None;
        self.changed();
        match editing.and_then(|id| self.roles.iter().position(|r| r.id == id)) {
            Some(i) => {
                let system = self.roles[i].system;
                let mut draft = draft;
                if system.is_some() {
                    draft.name = self.roles[i].name.clone();
                    draft.description = self.roles[i].description.clone();
                    draft.role_type = self.roles[i].role_type;
                }
                self.roles[i] = draft;
                self.role_sel = i;
                StepOutcome::Flash(Flash::info(format!("Role {name} updated")))
            }
            None => {
                let id = self.take_id();
                self.roles.push(DraftRole { id, ..draft });
                self.role_sel = self.roles.len() - 1;
                StepOutcome::Flash(Flash::info(format!("Role {name} added")))
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // The user form

    fn handle_user_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> StepOutcome {
        let Some(Popup::User(form)) = &mut self.popup else {
            return StepOutcome::Ignored;
        };
        if ctrl_char(key) == Some('c') {
            return StepOutcome::Ignored;
        }
        match form.handle_key(key, ctx.keymap, &self.roles) {
            FormKey::Save => return self.save_user(ctx),
            FormKey::Cancel => self.popup = None,
            FormKey::Consumed => {}
        }
        StepOutcome::Consumed
    }

    fn save_user(&mut self, ctx: &mut Ctx) -> StepOutcome {
        let Some(Popup::User(form)) = &mut self.popup else {
            return StepOutcome::Ignored;
        };
        // Roles in the order of the list, whatever the order they were ticked in.
        let chosen: Vec<u32> = form.chosen_in_order(&self.roles);
        let indexes: Vec<usize> = (0..chosen.len()).collect();
        let mut user = NewUser {
            first_name: form.fields[0].value().to_string(),
            last_name: form.fields[1].value().to_string(),
            email: form.fields[2].value().to_string(),
            roles: indexes,
        };
        // Checked as typed, so a position in a message counts the operator's own spaces.
        let found = validate::validate_new_user(&user);
        validate::normalize_new_user(&mut user);
        let mut errors: [Option<String>; 4] = Default::default();
        for e in found {
            let i = match e.field {
                field::USER_FIRST_NAME => 0,
                field::USER_LAST_NAME => 1,
                field::USER_EMAIL => 2,
                _ => 3,
            };
            errors[i].get_or_insert_with(|| e.to_string());
        }
        if errors[3].is_none() && mixed(&chosen, &self.roles) {
            errors[3] = Some(MIXED_TYPES.to_string());
        }
        let editing = form.editing;
        if errors[2].is_none() {
            let twin = self.users.iter().find(|u| {
                Some(u.id) != editing && u.email.trim().eq_ignore_ascii_case(&user.email)
            });
            if let Some(twin) = twin {
                errors[2] = Some(format!("Email: already given to {}", twin.full_name()));
            }
        }
        if errors[2].is_none() {
            match ctx.store.user_email_taken(&user.email) {
                Ok(true) => {
                    errors[2] = Some("Email: already used by another user".to_string());
                }
                Ok(false) => {}
                Err(e) => return StepOutcome::Flash(Flash::error(format!("Users: {e}"))),
            }
        }
        if let Some(first) = errors.iter().position(Option::is_some) {
            form.focus = if first == 3 {
                UserItem::Role(0)
            } else {
                UserItem::Text(first)
            };
            form.errors = errors;
            return StepOutcome::Consumed;
        }
        self.popup = None;
        self.changed();
        let ident = user.email.clone();
        match editing.and_then(|id| self.users.iter().position(|u| u.id == id)) {
            Some(i) => {
                let old = &mut self.users[i];
                let renamed = old.first_name != user.first_name
                    || old.last_name != user.last_name
                    || old.email != user.email;
                old.edited |= renamed;
                old.first_name = user.first_name;
                old.last_name = user.last_name;
                old.email = user.email;
                old.roles = chosen;
                self.user_sel = i;
                StepOutcome::Flash(Flash::info(format!("User {ident} updated")))
            }
            None => {
                let id = self.take_id();
                self.users.push(DraftUser {
                    id,
                    first_name: user.first_name,
                    last_name: user.last_name,
                    email: user.email,
                    roles: chosen,
                    from_contact: false,
                    edited: false,
                });
                self.user_sel = self.users.len() - 1;
                StepOutcome::Flash(Flash::info(format!("User {ident} added")))
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Validation and the results

    /// Every remaining problem as one line naming the role or user, the field and the problem;
    /// the rows concerned are marked in red until the next change.
    pub fn validate(&mut self, ctx: &mut Ctx) -> Vec<String> {
        let mut problems = Vec::new();
        let mut marked = Vec::new();
        for (i, role) in self.roles.iter().enumerate() {
            let mut check = Role {
                name: role.name.clone(),
                description: role.description.clone(),
                ..Role::owner()
            };
            validate::normalize_role(&mut check);
            let name = if check.name.is_empty() {
                format!("#{}", i + 1)
            } else {
                check.name.clone()
            };
            let mut bad = Vec::new();
            for e in validate::validate_role(&check) {
                bad.push(format!("Role {name}: {e}"));
            }
            if self.roles[..i]
                .iter()
                .any(|r| r.name.trim().eq_ignore_ascii_case(&check.name))
            {
                bad.push(format!("Role {name}: Role name: used by another role"));
            }
            if self.share_disabled && role.permissions.share {
                bad.push(format!(
                    "Role {name}: Permissions: Share is not allowed, {SHARE_DISABLED}"
                ));
            }
            if !bad.is_empty() {
                marked.push(Target::Role(role.id));
                problems.extend(bad);
            }
        }
        if !self.users.iter().any(|u| u.roles.contains(&OWNER_ID)) {
            problems.push(NO_OWNER.to_string());
        }
        for (i, user) in self.users.iter().enumerate() {
            let mut ident = user.ident();
            if ident.is_empty() {
                ident = format!("#{}", i + 1);
            }
            let mut bad = Vec::new();
            let mut check = NewUser {
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
                email: user.email.clone(),
                roles: user.roles.iter().map(|_| 0).collect(),
            };
            validate::normalize_new_user(&mut check);
            for e in validate::validate_new_user(&check) {
                bad.push(format!("User {ident}: {e}"));
            }
            if mixed(&user.roles, &self.roles) {
                bad.push(format!("User {ident}: {MIXED_TYPES}"));
            }
            let email = check.email.as_str();
            if !email.is_empty() {
                if self.users[..i]
                    .iter()
                    .any(|u| u.email.trim().eq_ignore_ascii_case(email))
                {
                    bad.push(format!("User {ident}: email is given to two users"));
                } else if validate::email(field::USER_EMAIL, "Email", email).is_ok() {
                    match ctx.store.user_email_taken(email) {
                        Ok(true) => {
                            bad.push(format!("User {ident}: email already used by another user"))
                        }
                        Ok(false) => {}
                        Err(e) => bad.push(format!("User {ident}: email not checked: {e}")),
                    }
                }
            }
            if !bad.is_empty() {
                marked.push(Target::User(user.id));
                problems.extend(bad);
            }
        }
        self.problems = problems.clone();
        self.marked = marked;
        problems
    }

    /// Owner (index 0) and Admin (1) first, then the custom roles; users name roles by index.
    pub fn roles_and_users(&self) -> (Vec<Role>, Vec<NewUser>) {
        let roles: Vec<Role> = self.roles.iter().map(to_role).collect();
        let users = self
            .users
            .iter()
            .map(|u| NewUser {
                first_name: u.first_name.trim().to_string(),
                last_name: u.last_name.trim().to_string(),
                email: u.email.trim().to_string(),
                roles: self
                    .roles
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| u.roles.contains(&r.id))
                    .map(|(i, _)| i)
                    .collect(),
            })
            .collect();
        (roles, users)
    }

    /// After a commit conflict: marks the user with this email and shows the message.
    pub fn mark_email_taken(&mut self, email: &str, message: String) {
        let email = email.trim();
        if let Some(i) = self
            .users
            .iter()
            .position(|u| u.email.trim().eq_ignore_ascii_case(email))
        {
            self.marked.push(Target::User(self.users[i].id));
            self.panel = Panel::Users;
            self.user_sel = i;
        }
        self.problems.insert(0, message);
    }

    /// Lines for the review step, already safe to draw.
    pub fn summary(&self) -> Vec<String> {
        let roles = self.roles.iter().map(|r| {
            let cameras = if r.all_cameras {
                "all cameras".to_string()
            } else {
                count_of(r.cameras.len(), "camera", "cameras")
            };
            format!(
                "Role {} ({}): {cameras}; {}",
                r.name,
                r.role_type.label(),
                r.permissions.summary()
            )
        });
        let users = self.users.iter().map(|u| {
            let names: Vec<String> = self
                .roles
                .iter()
                .filter(|r| u.roles.contains(&r.id))
                .map(|r| r.name.clone())
                .collect();
            let names = if names.is_empty() {
                "no role".to_string()
            } else {
                names.join(", ")
            };
            format!("User {} <{}>: {names}", u.full_name(), u.email)
        });
        roles
            .chain(users)
            .map(|line| display(&line).into_owned())
            .collect()
    }

    // -----------------------------------------------------------------------------------------
    // Drawing

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
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
            Some(Popup::Role(form)) => {
                form.render(
                    frame,
                    area,
                    &self.cameras,
                    self.share_disabled,
                    form_footer(keymap, theme, true, "save"),
                    theme,
                );
            }
            Some(Popup::User(form)) => {
                let footer = form_footer(keymap, theme, true, "save");
                form.render(frame, area, &self.roles, footer, theme);
            }
            None => {}
        }
    }

    fn panel_block(&self, panel: Panel, title: String, theme: &Theme) -> Block<'static> {
        let style = if self.panel == panel && self.popup.is_none() {
            theme.border_focused
        } else {
            theme.border
        };
        Block::bordered()
            .border_style(style)
            .title(Line::styled(format!(" {title} "), style))
    }

    fn render_roles(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 8 {
            return;
        }
        let block = self.panel_block(Panel::Roles, format!("Roles ({})", self.roles.len()), theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows = usize::from(inner.height);
        self.role_top = scroll(self.role_top, self.role_sel, rows);
        let focused = self.panel == Panel::Roles;
        let width = usize::from(inner.width);
        for (n, (i, role)) in self
            .roles
            .iter()
            .enumerate()
            .skip(self.role_top)
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

    fn render_users(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
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
        self.user_top = scroll(self.user_top, self.user_sel, rows);
        let focused = self.panel == Panel::Users;
        let width = usize::from(inner.width);
        for (n, (i, user)) in self
            .users
            .iter()
            .enumerate()
            .skip(self.user_top)
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

    fn row_style(&self, target: Target, selected: bool, theme: &Theme) -> Style {
        match (selected, self.marked.contains(&target)) {
            (true, _) => theme.table.selected,
            (false, true) => theme.error,
            (false, false) => theme.table.row,
        }
    }
}

/// Whether the roles (ids) are of both types.
fn mixed(chosen: &[u32], roles: &[DraftRole]) -> bool {
    let mut types = roles
        .iter()
        .filter(|r| chosen.contains(&r.id))
        .map(|r| r.role_type);
    let first = types.next();
    types.any(|t| Some(t) != first)
}

fn to_role(r: &DraftRole) -> Role {
    let mut role = draft_role(r);
    role.name = role.name.trim().to_string();
    role.description = role.description.trim().to_string();
    role
}

/// The draft as a role, as typed.
fn draft_role(r: &DraftRole) -> Role {
    let (mut camera_ids, mut new_camera_refs) = (Vec::new(), Vec::new());
    if !r.all_cameras {
        for c in &r.cameras {
            match c.key {
                CameraKey::Existing(id) => camera_ids.push(id),
                CameraKey::New(i) => new_camera_refs.push(i),
            }
        }
    }
    Role {
        id: None,
        name: r.name.clone(),
        description: r.description.clone(),
        system: r.system,
        role_type: r.role_type,
        all_cameras: r.all_cameras,
        camera_ids,
        new_camera_refs,
        permissions: r.permissions,
    }
}

fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn or_placeholder(text: String, placeholder: &str) -> String {
    if text.trim().is_empty() {
        placeholder.to_string()
    } else {
        text
    }
}

/// `text` made safe and cut or padded to exactly `width` columns.
fn fit(text: &str, width: usize) -> String {
    let shown = display(text);
    let mut out = clip(&shown, width).into_owned();
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// The first row to show so that `selected` is inside `rows` rows.
fn scroll(top: usize, selected: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < top {
        selected
    } else if selected >= top + rows {
        selected + 1 - rows
    } else {
        top
    }
}

// ---------------------------------------------------------------------------------------------
// Forms

/// The step's role form: a role is kept by its wizard-local id.
type RoleForm = role_form::RoleForm<CameraChoice, u32>;

const ROLE_FORM_STYLE: RoleFormStyle = RoleFormStyle {
    layout: Layout::Inline,
    system_description: false,
    keep_suspended_share: false,
    enter_saves: true,
    no_cameras: "    No cameras were picked in step 6.",
};

fn new_role_form(role: Option<&DraftRole>, share_disabled: bool) -> RoleForm {
    let typed = role.map(draft_role);
    let seed = role.zip(typed.as_ref()).map(|(r, typed)| RoleSeed {
        edit: Some(r.id),
        role: typed,
        chosen: r.cameras.iter().map(|c| c.mac.clone()).collect(),
    });
    RoleForm::new(seed, share_disabled, ROLE_FORM_STYLE)
}

/// The step's user form: users and roles are kept by their wizard-local ids.
type UserForm = user_form::UserForm<u32, u32>;

const USER_FORM_STYLE: UserFormStyle = UserFormStyle {
    layout: Layout::Inline,
    roles_heading: "Roles *",
    enter_saves: true,
};

fn new_user_form(user: Option<&DraftUser>) -> UserForm {
    let values = user.map_or(["", "", ""], |u| {
        [
            u.first_name.as_str(),
            u.last_name.as_str(),
            u.email.as_str(),
        ]
    });
    let chosen = user.map(|u| u.roles.clone()).unwrap_or_default();
    UserForm::new(user.map(|u| u.id), values, chosen, USER_FORM_STYLE)
}
