//! Writing a customer's roles: add, update, delete, and who holds one. Each rule is written
//! once, over [`PeopleTx`]: SQLite's transaction ([`Lite`]) or PostgreSQL's (`pg::people`).

use super::*;

impl Store {
    /// Adds a custom role to a customer; returns its id.
    pub fn add_role(&mut self, customer_id: Id, role: &Role, op: &Operator) -> Result<Id> {
        let mut role = role.clone();
        validate::normalize_role(&mut role);
        if self.is_postgres() {
            return self.pg_write(|tx| add_role(tx, customer_id, &role, op));
        }
        self.write(|tx| add_role(&mut Lite(tx), customer_id, &role, op))
    }

    /// Saves an edited role when it is still at `expected_version`.
    pub fn update_role(
        &mut self,
        role_id: Id,
        expected_version: i64,
        role: &Role,
        op: &Operator,
    ) -> Result<()> {
        let mut role = role.clone();
        validate::normalize_role(&mut role);
        if self.is_postgres() {
            return self.pg_write(|tx| update_role(tx, role_id, expected_version, role, op));
        }
        self.write(|tx| update_role(&mut Lite(tx), role_id, expected_version, role, op))
    }

    /// Deletes a custom role still at `expected_version`; returns the users who lost it.
    pub fn delete_role(
        &mut self,
        role_id: Id,
        expected_version: i64,
        op: &Operator,
    ) -> Result<Vec<User>> {
        if self.is_postgres() {
            return self.pg_write(|tx| delete_role(tx, role_id, expected_version, op));
        }
        self.write(|tx| delete_role(&mut Lite(tx), role_id, expected_version, op))
    }

    /// Makes exactly `user_ids` hold the role (the dual list): users of its customer only, none
    /// then holding roles of both types, and never taking Owner from the last Owner.
    pub fn set_role_users(&mut self, role_id: Id, user_ids: &[Id], op: &Operator) -> Result<()> {
        if self.is_postgres() {
            return self.pg_write(|tx| set_role_users(tx, role_id, user_ids, op));
        }
        self.write(|tx| set_role_users(&mut Lite(tx), role_id, user_ids, op))
    }
}

fn add_role(db: &mut impl PeopleTx, customer_id: Id, role: &Role, op: &Operator) -> Result<Id> {
    let customer = customer_of(db, customer_id)?;
    if role.system.is_some() {
        return Err(StoreError::Refused(
            "Roles: system roles exist from the start and cannot be added".into(),
        ));
    }
    check_role_fields(db, &customer, role, None)?;
    if role.permissions.share && customer.disable_camera_share {
        return Err(share_disabled());
    }
    let id = db.insert_role(customer_id, role, &now())?;
    db.audit(
        op,
        "role.create",
        (customer_id, &customer.name),
        &format!("added role {}", role.name),
        &serde_json::json!({ "role_id": id, "after": role }),
    )?;
    Ok(id)
}

/// What a system role refuses of an edit.
fn check_system_role(before: &Role, role: &Role) -> Result<()> {
    match before.system {
        Some(SystemRole::Owner) => Err(StoreError::Refused(
            "Owner is a system role: it cannot be changed".into(),
        )),
        Some(SystemRole::Admin) if role.name != before.name => Err(StoreError::Refused(
            "Admin is a system role: it cannot be renamed".into(),
        )),
        Some(SystemRole::Admin) if role.role_type != before.role_type => Err(StoreError::Refused(
            "Admin is a system role: its type cannot be changed".into(),
        )),
        _ => Ok(()),
    }
}

fn update_role(
    db: &mut impl PeopleTx,
    role_id: Id,
    expected_version: i64,
    mut role: Role,
    op: &Operator,
) -> Result<()> {
    let (before, _, customer_id) = current_role(db, role_id, expected_version)?;
    let customer = customer_of(db, customer_id)?;
    check_system_role(&before, &role)?;
    role.system = before.system;
    check_role_fields(db, &customer, &role, Some(role_id))?;
    // An existing grant survives (suspended) while share is disabled; a new one is refused.
    if role.permissions.share && !before.permissions.share && customer.disable_camera_share {
        return Err(share_disabled());
    }
    if role.role_type != before.role_type {
        let mixing = db.holders_of_other_type(role_id, role.role_type)?;
        if !mixing.is_empty() {
            let n = mixing.len();
            return Err(StoreError::Refused(format!(
                "Role type: {n} {} of this role also {} {} roles",
                if n == 1 { "user" } else { "users" },
                if n == 1 { "holds" } else { "hold" },
                before.role_type.label()
            )));
        }
    }
    db.update_role(role_id, &role, &now())?;
    role.id = Some(role_id);
    db.audit(
        op,
        "role.update",
        (customer_id, &customer.name),
        &format!("changed role {}", role.name),
        &serde_json::json!({ "role_id": role_id, "before": before, "after": role }),
    )?;
    Ok(())
}

fn delete_role(
    db: &mut impl PeopleTx,
    role_id: Id,
    expected_version: i64,
    op: &Operator,
) -> Result<Vec<User>> {
    let (role, _, customer_id) = current_role(db, role_id, expected_version)?;
    if role.system.is_some() {
        return Err(StoreError::Refused(format!(
            "{} is a system role: it cannot be deleted",
            role.name
        )));
    }
    let customer = customer_of(db, customer_id)?;
    let holders = db.role_users(role_id)?;
    let ts = now();
    for user in &holders {
        db.bump_user(user.id, &ts)?;
    }
    db.delete_role(role_id)?;
    let names: Vec<String> = holders.iter().map(user_ident).collect();
    let summary = if names.is_empty() {
        format!("deleted role {}", role.name)
    } else {
        format!("deleted role {}; {} lost it", role.name, names.join(", "))
    };
    db.audit(
        op,
        "role.delete",
        (customer_id, &customer.name),
        &summary,
        &serde_json::json!({
            "role_id": role_id,
            "before": role,
            "user_ids": holders.iter().map(|u| u.id).collect::<Vec<_>>(),
        }),
    )?;
    Ok(holders)
}

/// The users `added` to the role, named, refused when one is gone or would mix role types.
fn check_added(
    db: &mut impl PeopleTx,
    role: &Role,
    customer_id: Id,
    added: &[Id],
) -> Result<Vec<String>> {
    let role_id = role.id.unwrap_or_default();
    let mut names = Vec::new();
    for &uid in added {
        let user = db
            .user(uid)?
            .filter(|u| u.customer_id == customer_id)
            .ok_or_else(|| {
                StoreError::Conflict(format!(
                    "Users: user #{uid} no longer exists: another operator removed it"
                ))
            })?;
        let mut ids = user.role_ids.clone();
        ids.push(role_id);
        if mixes_types(db, &ids)? {
            return Err(StoreError::Refused(format!(
                "Users: {} holds {} roles; a user's roles must all be of one type",
                user_ident(&user),
                other(role.role_type).label()
            )));
        }
        names.push(user_ident(&user));
    }
    Ok(names)
}

fn set_role_users(
    db: &mut impl PeopleTx,
    role_id: Id,
    user_ids: &[Id],
    op: &Operator,
) -> Result<()> {
    let (role, _, customer_id) = db.role(role_id)?.ok_or_else(|| role_gone(role_id))?;
    let customer = customer_of(db, customer_id)?;
    let before: BTreeSet<Id> = db.role_users(role_id)?.iter().map(|u| u.id).collect();
    let after: BTreeSet<Id> = user_ids.iter().copied().collect();
    let added: Vec<Id> = after.difference(&before).copied().collect();
    let removed: Vec<Id> = before.difference(&after).copied().collect();
    let added_names = check_added(db, &role, customer_id, &added)?;
    let mut removed_names = Vec::new();
    for &uid in &removed {
        let Some(user) = db.user(uid)? else {
            continue;
        };
        if role.system == Some(SystemRole::Owner) {
            check_not_last_owner(db, &user, Some(&after))?;
        }
        removed_names.push(user_ident(&user));
    }
    let ts = now();
    for &uid in &added {
        db.grant(uid, &[role_id])?;
        db.bump_user(uid, &ts)?;
    }
    for &uid in &removed {
        db.revoke(uid, role_id)?;
        db.bump_user(uid, &ts)?;
    }
    if added.is_empty() && removed.is_empty() {
        return Ok(());
    }
    let mut parts = Vec::new();
    if !added_names.is_empty() {
        parts.push(format!("gave it to {}", added_names.join(", ")));
    }
    if !removed_names.is_empty() {
        parts.push(format!("took it from {}", removed_names.join(", ")));
    }
    db.audit(
        op,
        "role.users",
        (customer_id, &customer.name),
        &format!("role {}: {}", role.name, parts.join("; ")),
        &serde_json::json!({ "role_id": role_id, "added": added, "removed": removed }),
    )?;
    Ok(())
}
