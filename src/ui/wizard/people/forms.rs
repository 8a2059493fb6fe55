//! The role and user popups of step 7: saving checks what was typed against the other roles
//! and users of the step before it replaces or adds one.

use super::*;

impl PeopleStep {
    // -----------------------------------------------------------------------------------------
    // The role form

    /// A key of the open role or user form; Ctrl-C (the app's Quit) is left to the app.
    pub(super) fn handle_popup_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        if action == Some(Action::Quit) {
            return Effect::Ignored;
        }
        let effect = match &mut self.popup {
            Some(Popup::Role(form)) => form.handle_key(key, action, ctx),
            Some(Popup::User(form)) => form.handle_key(key, action, ctx),
            None => return Effect::Ignored,
        };
        match (effect, &self.popup) {
            (Effect::Answered(true), Some(Popup::Role(_))) => self.save_role(),
            (Effect::Answered(true), _) => self.save_user(ctx),
            (Effect::Answered(false), _) => {
                self.popup = None;
                Effect::Done
            }
            _ => Effect::Done,
        }
    }

    pub(super) fn save_role(&mut self) -> Effect {
        let Some(Popup::Role(form)) = &self.popup else {
            return Effect::Ignored;
        };
        let mut role = form.typed_role();
        // Checked as typed, so a position in a message counts the operator's own spaces.
        let found = validate::validate_role(&role);
        validate::normalize_role(&mut role);
        let editing = form.editing;
        let errors = self.role_errors(found, &role, editing);
        let Some(Popup::Role(form)) = &mut self.popup else {
            return Effect::Ignored;
        };
        if errors.any() {
            form.focus = errors.first_item();
            form.errors = errors;
            return Effect::Done;
        }
        let cameras: Vec<CameraChoice> = form.chosen_cameras().into_iter().cloned().collect();
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
        self.keep_role(draft, editing)
    }

    /// The problems of `role` (normalised; `found` as typed): its own, a name another role has,
    /// and a type change that would leave a user holding roles of both types.
    fn role_errors(
        &self,
        found: Vec<validate::FieldError>,
        role: &Role,
        editing: Option<u32>,
    ) -> RoleErrors {
        let mut errors = RoleErrors::default();
        for e in found {
            let slot = if e.field == field::ROLE_DESCRIPTION {
                &mut errors.description
            } else {
                &mut errors.name
            };
            slot.get_or_insert_with(|| e.to_string());
        }
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
        errors
    }

    /// Replaces the role being edited (a system role keeps its name, description and type) or
    /// adds a new one, and selects it.
    fn keep_role(&mut self, mut draft: DraftRole, editing: Option<u32>) -> Effect {
        let name = draft.name.clone();
        match editing.and_then(|id| self.roles.iter().position(|r| r.id == id)) {
            Some(i) => {
                if self.roles[i].system.is_some() {
                    draft.name = self.roles[i].name.clone();
                    draft.description = self.roles[i].description.clone();
                    draft.role_type = self.roles[i].role_type;
                }
                self.roles[i] = draft;
                self.role_sel = i;
                Effect::Flash(Flash::info(format!("Role {name} updated")))
            }
            None => {
                let id = self.take_id();
                self.roles.push(DraftRole { id, ..draft });
                self.role_sel = self.roles.len() - 1;
                Effect::Flash(Flash::info(format!("Role {name} added")))
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // The user form

    pub(super) fn save_user(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(Popup::User(form)) = &mut self.popup else {
            return Effect::Ignored;
        };
        // Roles in the order of the list, whatever the order they were ticked in.
        let chosen: Vec<u32> = form.chosen_in_order();
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
                Err(e) => return Effect::Flash(Flash::error(format!("Users: {e}"))),
            }
        }
        if let Some(first) = errors.iter().position(Option::is_some) {
            form.focus = if first == 3 {
                UserItem::Role(0)
            } else {
                UserItem::Text(first)
            };
            form.errors = errors;
            return Effect::Done;
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
                Effect::Flash(Flash::info(format!("User {ident} updated")))
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
                Effect::Flash(Flash::info(format!("User {ident} added")))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Forms

/// The step's role form: a role is kept by its wizard-local id.
pub(super) type RoleForm = role_form::RoleForm<CameraChoice, u32>;

const ROLE_FORM_STYLE: RoleFormStyle = RoleFormStyle {
    layout: Layout::Inline,
    system_description: false,
    keep_suspended_share: false,
    enter_saves: true,
    no_cameras: "    No cameras were picked in step 6.",
};

pub(super) fn new_role_form(
    role: Option<&DraftRole>,
    cameras: &[CameraChoice],
    share_disabled: bool,
) -> RoleForm {
    let typed = role.map(draft_role);
    let seed = role.zip(typed.as_ref()).map(|(r, typed)| RoleSeed {
        edit: Some(r.id),
        role: typed,
        chosen: r.cameras.iter().map(|c| c.mac.clone()).collect(),
    });
    RoleForm::new(seed, cameras.to_vec(), share_disabled, ROLE_FORM_STYLE)
}

/// The step's user form: users and roles are kept by their wizard-local ids.
pub(super) type UserForm = user_form::UserForm<DraftRole, u32>;

const USER_FORM_STYLE: UserFormStyle = UserFormStyle {
    layout: Layout::Inline,
    roles_heading: "Roles *",
    enter_saves: true,
};

pub(super) fn new_user_form(user: Option<&DraftUser>, roles: &[DraftRole]) -> UserForm {
    let values = user.map_or(["", "", ""], |u| {
        [
            u.first_name.as_str(),
            u.last_name.as_str(),
            u.email.as_str(),
        ]
    });
    let chosen = user.map(|u| u.roles.clone()).unwrap_or_default();
    let edit = user.map(|u| u.id);
    UserForm::new(edit, values, chosen, roles.to_vec(), USER_FORM_STYLE)
}
