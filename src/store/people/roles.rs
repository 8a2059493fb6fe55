//! Writing a customer's roles: add, update, delete, and who holds one.

use rusqlite::params;

use super::*;

impl Store {
    /// Adds a custom role to a customer; returns its id.
    pub fn add_role(&mut self, customer_id: Id, role: &Role, op: &Operator) -> Result<Id> {
        let mut role = role.clone();
        validate::normalize_role(&mut role);
        self.write(|tx| {
            let customer = customer_of(tx, customer_id)?;
            if role.system.is_some() {
                return Err(StoreError::Refused(
                    "Roles: system roles exist from the start and cannot be added".into(),
                ));
            }
            check_role_fields(tx, &customer, &role, None)?;
            if role.permissions.share && customer.profile.defaults.disable_camera_share {
                return Err(share_disabled());
            }
            let id = insert_role(tx, customer_id, &role, &now())?;
            audit(
                tx,
                op,
                "role.create",
                Some((customer_id, customer.name())),
                &format!("added role {}", role.name),
                &serde_json::json!({ "role_id": id, "after": role }),
            )?;
            Ok(id)
        })
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
        self.write(|tx| {
            let (before, version, customer_id) = current_role(tx, role_id, expected_version)?;
            let customer = customer_of(tx, customer_id)?;
            match before.system {
                Some(SystemRole::Owner) => {
                    return Err(StoreError::Refused(
                        "Owner is a system role: it cannot be changed".into(),
                    ));
                }
                Some(SystemRole::Admin) => {
                    if role.name != before.name {
                        return Err(StoreError::Refused(
                            "Admin is a system role: it cannot be renamed".into(),
                        ));
                    }
                    if role.role_type != before.role_type {
                        return Err(StoreError::Refused(
                            "Admin is a system role: its type cannot be changed".into(),
                        ));
                    }
                }
                None => {}
            }
            role.system = before.system;
            check_role_fields(tx, &customer, &role, Some(role_id))?;
            // An existing grant survives (suspended) while share is disabled; a new one is refused.
            if role.permissions.share
                && !before.permissions.share
                && customer.profile.defaults.disable_camera_share
            {
                return Err(share_disabled());
            }
            if role.role_type != before.role_type {
                let mixing = holders_of_other_type(tx, role_id, role.role_type)?;
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
            let p = role.permissions;
            let changed = tx.execute(
                "UPDATE roles SET name = ?1, description = ?2, role_type = ?3, all_cameras = ?4,
                    perm_share = ?5, perm_ptz = ?6, perm_update_delete = ?7, perm_save_clip = ?8,
                    version = version + 1, updated_at = ?9
                 WHERE id = ?10 AND version = ?11",
                params![
                    role.name,
                    role.description,
                    role.role_type.as_str(),
                    role.all_cameras,
                    p.share,
                    p.ptz,
                    p.update_delete,
                    p.save_clip,
                    now(),
                    role_id,
                    version
                ],
            );
            match changed {
                Err(e) if is_unique_violation(&e) => return Err(role_name_taken(&role.name)),
                r => {
                    r?;
                }
            }
            tx.execute("DELETE FROM role_cameras WHERE role_id = ?1", [role_id])?;
            if !role.all_cameras {
                let mut link = tx.prepare_cached(
                    "INSERT OR IGNORE INTO role_cameras (role_id, camera_id) VALUES (?1, ?2)",
                )?;
                for cam in &role.camera_ids {
                    link.execute(params![role_id, cam])?;
                }
            }
            role.id = Some(role_id);
            audit(
                tx,
                op,
                "role.update",
                Some((customer_id, customer.name())),
                &format!("changed role {}", role.name),
                &serde_json::json!({ "role_id": role_id, "before": before, "after": role }),
            )?;
            Ok(())
        })
    }

    /// Deletes a custom role still at `expected_version`; returns the users who lost it.
    pub fn delete_role(
        &mut self,
        role_id: Id,
        expected_version: i64,
        op: &Operator,
    ) -> Result<Vec<User>> {
        self.write(|tx| {
            let (role, _, customer_id) = current_role(tx, role_id, expected_version)?;
            if role.system.is_some() {
                return Err(StoreError::Refused(format!(
                    "{} is a system role: it cannot be deleted",
                    role.name
                )));
            }
            let customer = customer_of(tx, customer_id)?;
            let holders = role_users(tx, role_id)?;
            let ts = now();
            for user in &holders {
                bump_user(tx, user.id, &ts)?;
            }
            tx.execute("DELETE FROM roles WHERE id = ?1", [role_id])?;
            let names: Vec<String> = holders.iter().map(user_ident).collect();
            let summary = if names.is_empty() {
                format!("deleted role {}", role.name)
            } else {
                format!("deleted role {}; {} lost it", role.name, names.join(", "))
            };
            audit(
                tx,
                op,
                "role.delete",
                Some((customer_id, customer.name())),
                &summary,
                &serde_json::json!({
                    "role_id": role_id,
                    "before": role,
                    "user_ids": holders.iter().map(|u| u.id).collect::<Vec<_>>(),
                }),
            )?;
            Ok(holders)
        })
    }

    /// Makes exactly `user_ids` hold the role (the dual list): users of its customer only, none
    /// then holding roles of both types, and never taking Owner from the last Owner.
    pub fn set_role_users(&mut self, role_id: Id, user_ids: &[Id], op: &Operator) -> Result<()> {
        self.write(|tx| {
            let (role, _, customer_id) =
                load_role(tx, role_id)?.ok_or_else(|| role_gone(role_id))?;
            let customer = customer_of(tx, customer_id)?;
            let before: BTreeSet<Id> = role_users(tx, role_id)?.iter().map(|u| u.id).collect();
            let after: BTreeSet<Id> = user_ids.iter().copied().collect();
            let added: Vec<Id> = after.difference(&before).copied().collect();
            let removed: Vec<Id> = before.difference(&after).copied().collect();
            let mut added_names = Vec::new();
            for &uid in &added {
                let user = load_user(tx, uid)?
                    .filter(|u| u.customer_id == customer_id)
                    .ok_or_else(|| {
                        StoreError::Conflict(format!(
                            "Users: user #{uid} no longer exists: another operator removed it"
                        ))
                    })?;
                let mut ids = user.role_ids.clone();
                ids.push(role_id);
                if mixes_types(tx, &ids)? {
                    return Err(StoreError::Refused(format!(
                        "Users: {} holds {} roles; a user's roles must all be of one type",
                        user_ident(&user),
                        other(role.role_type).label()
                    )));
                }
                added_names.push(user_ident(&user));
            }
            let mut removed_names = Vec::new();
            for &uid in &removed {
                let Some(user) = load_user(tx, uid)? else {
                    continue;
                };
                if role.system == Some(SystemRole::Owner) {
                    check_not_last_owner(tx, &user, Some(&after))?;
                }
                removed_names.push(user_ident(&user));
            }
            let ts = now();
            for &uid in &added {
                tx.execute(
                    "INSERT OR IGNORE INTO user_roles (user_id, role_id) VALUES (?1, ?2)",
                    params![uid, role_id],
                )?;
                bump_user(tx, uid, &ts)?;
            }
            for &uid in &removed {
                tx.execute(
                    "DELETE FROM user_roles WHERE user_id = ?1 AND role_id = ?2",
                    params![uid, role_id],
                )?;
                bump_user(tx, uid, &ts)?;
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
            audit(
                tx,
                op,
                "role.users",
                Some((customer_id, customer.name())),
                &format!("role {}: {}", role.name, parts.join("; ")),
                &serde_json::json!({
                    "role_id": role_id,
                    "added": added,
                    "removed": removed,
                }),
            )?;
            Ok(())
        })
    }
}
