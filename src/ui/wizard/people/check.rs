//! Step 7's validation and what it hands on: the roles and users to write, and the review's
//! summary lines.

use super::*;

impl PeopleStep {
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
}

/// Whether the roles (ids) are of both types.
pub(super) fn mixed(chosen: &[u32], roles: &[DraftRole]) -> bool {
    let mut types = roles
        .iter()
        .filter(|r| chosen.contains(&r.id))
        .map(|r| r.role_type);
    let first = types.next();
    types.any(|t| Some(t) != first)
}

pub(super) fn to_role(r: &DraftRole) -> Role {
    let mut role = draft_role(r);
    role.name = role.name.trim().to_string();
    role.description = role.description.trim().to_string();
    role
}

/// The draft as a role, as typed.
pub(super) fn draft_role(r: &DraftRole) -> Role {
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
