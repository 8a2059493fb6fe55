//! Writing a customer's users: add, update, activate, remove, reset the password.

use rusqlite::params;

use super::*;

impl Store {
    /// Adds a user to a customer with the Argon2id hash of its temporary password; returns its
    /// id. The customer's user-creation settings say whether it must confirm its email and
    /// change its password.
    pub fn add_user(
        &mut self,
        customer_id: Id,
        spec: &NewUserSpec,
        password_hash: &str,
        op: &Operator,
    ) -> Result<Id> {
        let spec = normalized(spec)?;
        check_hash(password_hash)?;
        self.write(|tx| {
            let customer = customer_of(tx, customer_id)?;
            check_user_roles(tx, customer_id, &spec.role_ids)?;
            check_email_free(tx, &spec.email, None)?;
            let ts = now();
            let uc = customer.profile.user_creation;
            let res = tx.execute(
                "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
                    must_confirm_email, must_change_password, blocked, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                params![
                    customer_id,
                    spec.first_name,
                    spec.last_name,
                    spec.email,
                    password_hash,
                    uc.confirm_email,
                    uc.change_password,
                    customer.status == Status::Disabled,
                    ts
                ],
            );
            match res {
                Err(e) if is_unique_violation(&e) => return Err(email_taken(&spec.email)),
                r => {
                    r?;
                }
            }
            let id = tx.last_insert_rowid();
            grant_roles(tx, id, &spec.role_ids)?;
            audit(
                tx,
                op,
                "user.create",
                Some((customer_id, customer.name())),
                &format!(
                    "added user {} {} <{}>",
                    spec.first_name, spec.last_name, spec.email
                ),
                &serde_json::json!({
                    "user_id": id,
                    "after": user_json(&spec),
                    "must_confirm_email": uc.confirm_email,
                    "must_change_password": uc.change_password,
                }),
            )?;
            Ok(id)
        })
    }

    /// Saves an edited user (name, email, roles) when it is still at `expected_version`. A
    /// changed email must be confirmed again when the customer asks new users to confirm theirs.
    pub fn update_user(
        &mut self,
        user_id: Id,
        expected_version: i64,
        spec: &NewUserSpec,
        op: &Operator,
    ) -> Result<()> {
        let spec = normalized(spec)?;
        self.write(|tx| {
            let before = current_user(tx, user_id, expected_version)?;
            let customer = customer_of(tx, before.customer_id)?;
            check_user_roles(tx, before.customer_id, &spec.role_ids)?;
            check_email_free(tx, &spec.email, Some(user_id))?;
            let owner = owner_role(tx, before.customer_id)?;
            if owner.is_some_and(|o| before.role_ids.contains(&o) && !spec.role_ids.contains(&o)) {
                check_not_last_owner(tx, &before, None)?;
            }
            let email_changed = !before.email.eq_ignore_ascii_case(&spec.email);
            let confirm = if email_changed {
                before.must_confirm_email || customer.profile.user_creation.confirm_email
            } else {
                before.must_confirm_email
            };
            let res = tx.execute(
                "UPDATE users SET first_name = ?1, last_name = ?2, email = ?3,
                    must_confirm_email = ?4, version = version + 1, updated_at = ?5
                 WHERE id = ?6",
                params![
                    spec.first_name,
                    spec.last_name,
                    spec.email,
                    confirm,
                    now(),
                    user_id
                ],
            );
            match res {
                Err(e) if is_unique_violation(&e) => return Err(email_taken(&spec.email)),
                r => {
                    r?;
                }
            }
            tx.execute("DELETE FROM user_roles WHERE user_id = ?1", [user_id])?;
            grant_roles(tx, user_id, &spec.role_ids)?;
            let before_spec = NewUserSpec {
                first_name: before.first_name.clone(),
                last_name: before.last_name.clone(),
                email: before.email.clone(),
                role_ids: before.role_ids.clone(),
            };
            audit(
                tx,
                op,
                "user.update",
                Some((before.customer_id, customer.name())),
                &format!("changed user {}", spec.email),
                &serde_json::json!({
                    "user_id": user_id,
                    "before": user_json(&before_spec),
                    "after": user_json(&spec),
                }),
            )?;
            Ok(())
        })
    }

    /// Deactivates or reactivates a user still at `expected_version`.
    pub fn set_user_active(
        &mut self,
        user_id: Id,
        expected_version: i64,
        active: bool,
        op: &Operator,
    ) -> Result<()> {
        self.write(|tx| {
            let user = current_user(tx, user_id, expected_version)?;
            let customer = customer_of(tx, user.customer_id)?;
            if user.active == active {
                return Ok(());
            }
            if !active && holds_owner(tx, &user)? {
                check_not_last_owner(tx, &user, None)?;
            }
            tx.execute(
                "UPDATE users SET active = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
                params![active, now(), user_id],
            )?;
            let (action, verb) = if active {
                ("user.reactivate", "reactivated")
            } else {
                ("user.deactivate", "deactivated")
            };
            audit(
                tx,
                op,
                action,
                Some((user.customer_id, customer.name())),
                &format!("{verb} user {}", user.email),
                &serde_json::json!({ "user_id": user_id, "active": active }),
            )?;
            Ok(())
        })
    }

    /// Removes a user still at `expected_version`.
    pub fn remove_user(&mut self, user_id: Id, expected_version: i64, op: &Operator) -> Result<()> {
        self.write(|tx| {
            let user = current_user(tx, user_id, expected_version)?;
            let customer = customer_of(tx, user.customer_id)?;
            if holds_owner(tx, &user)? {
                check_not_last_owner(tx, &user, None)?;
            }
            tx.execute("DELETE FROM users WHERE id = ?1", [user_id])?;
            let spec = NewUserSpec {
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
                email: user.email.clone(),
                role_ids: user.role_ids.clone(),
            };
            audit(
                tx,
                op,
                "user.remove",
                Some((user.customer_id, customer.name())),
                &format!("removed user {}", user_ident(&user)),
                &serde_json::json!({ "user_id": user_id, "before": user_json(&spec) }),
            )?;
            Ok(())
        })
    }

    /// Replaces a user's password with the Argon2id hash of a new temporary one; it must be
    /// changed at the next login when the customer asks that of new users.
    pub fn reset_password(
        &mut self,
        user_id: Id,
        expected_version: i64,
        new_hash: &str,
        op: &Operator,
    ) -> Result<()> {
        check_hash(new_hash)?;
        self.write(|tx| {
            let user = current_user(tx, user_id, expected_version)?;
            let customer = customer_of(tx, user.customer_id)?;
            let must_change = customer.profile.user_creation.change_password;
            tx.execute(
                "UPDATE users SET password_hash = ?1, must_change_password = ?2,
                    version = version + 1, updated_at = ?3
                 WHERE id = ?4",
                params![new_hash, must_change, now(), user_id],
            )?;
            audit(
                tx,
                op,
                "user.reset_password",
                Some((user.customer_id, customer.name())),
                &format!("reset the password of {}", user.email),
                &serde_json::json!({ "user_id": user_id, "must_change_password": must_change }),
            )?;
            Ok(())
        })
    }
}
