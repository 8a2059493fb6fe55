//! Writing a customer's users: add, update, activate, remove, reset the password. Each rule is
//! written once, over [`PeopleTx`]: SQLite's transaction ([`Lite`]) or PostgreSQL's
//! (`pg::people`).

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
        if self.is_postgres() {
            return self.pg_write(|tx| add_user(tx, customer_id, &spec, password_hash, op));
        }
        self.write(|tx| add_user(&mut Lite(tx), customer_id, &spec, password_hash, op))
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
        if self.is_postgres() {
            return self.pg_write(|tx| update_user(tx, user_id, expected_version, &spec, op));
        }
        self.write(|tx| update_user(&mut Lite(tx), user_id, expected_version, &spec, op))
    }

    /// Deactivates or reactivates a user still at `expected_version`.
    pub fn set_user_active(
        &mut self,
        user_id: Id,
        expected_version: i64,
        active: bool,
        op: &Operator,
    ) -> Result<()> {
        if self.is_postgres() {
            return self.pg_write(|tx| set_active(tx, user_id, expected_version, active, op));
        }
        self.write(|tx| set_active(&mut Lite(tx), user_id, expected_version, active, op))
    }

    /// Removes a user still at `expected_version`.
    pub fn remove_user(&mut self, user_id: Id, expected_version: i64, op: &Operator) -> Result<()> {
        if self.is_postgres() {
            return self.pg_write(|tx| remove_user(tx, user_id, expected_version, op));
        }
        self.write(|tx| remove_user(&mut Lite(tx), user_id, expected_version, op))
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
        if self.is_postgres() {
            return self.pg_write(|tx| reset(tx, user_id, expected_version, new_hash, op));
        }
        self.write(|tx| reset(&mut Lite(tx), user_id, expected_version, new_hash, op))
    }
}

/// What the audit keeps of a stored user (never its password hash).
fn spec_of(user: &User) -> NewUserSpec {
    NewUserSpec {
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        email: user.email.clone(),
        role_ids: user.role_ids.clone(),
    }
}

fn add_user(
    db: &mut impl PeopleTx,
    customer_id: Id,
    spec: &NewUserSpec,
    password_hash: &str,
    op: &Operator,
) -> Result<Id> {
    let customer = customer_of(db, customer_id)?;
    check_user_roles(db, customer_id, &spec.role_ids)?;
    check_email_free(db, &spec.email, None)?;
    let row = UserInsert {
        spec,
        password_hash,
        confirm_email: customer.confirm_email,
        change_password: customer.change_password,
        blocked: customer.disabled,
    };
    let id = db.insert_user(customer_id, &row, &now())?;
    db.audit(
        op,
        "user.create",
        (customer_id, &customer.name),
        &format!(
            "added user {} {} <{}>",
            spec.first_name, spec.last_name, spec.email
        ),
        &serde_json::json!({
            "user_id": id,
            "after": user_json(spec),
            "must_confirm_email": customer.confirm_email,
            "must_change_password": customer.change_password,
        }),
    )?;
    Ok(id)
}

fn update_user(
    db: &mut impl PeopleTx,
    user_id: Id,
    expected_version: i64,
    spec: &NewUserSpec,
    op: &Operator,
) -> Result<()> {
    let before = current_user(db, user_id, expected_version)?;
    let customer = customer_of(db, before.customer_id)?;
    check_user_roles(db, before.customer_id, &spec.role_ids)?;
    check_email_free(db, &spec.email, Some(user_id))?;
    let owner = db.owner_role(before.customer_id)?;
    if owner.is_some_and(|o| before.role_ids.contains(&o) && !spec.role_ids.contains(&o)) {
        check_not_last_owner(db, &before, None)?;
    }
    let email_changed = !before.email.eq_ignore_ascii_case(&spec.email);
    let confirm = if email_changed {
        before.must_confirm_email || customer.confirm_email
    } else {
        before.must_confirm_email
    };
    db.update_user(user_id, spec, confirm, &now())?;
    db.audit(
        op,
        "user.update",
        (before.customer_id, &customer.name),
        &format!("changed user {}", spec.email),
        &serde_json::json!({
            "user_id": user_id,
            "before": user_json(&spec_of(&before)),
            "after": user_json(spec),
        }),
    )?;
    Ok(())
}

fn set_active(
    db: &mut impl PeopleTx,
    user_id: Id,
    expected_version: i64,
    active: bool,
    op: &Operator,
) -> Result<()> {
    let user = current_user(db, user_id, expected_version)?;
    let customer = customer_of(db, user.customer_id)?;
    if user.active == active {
        return Ok(());
    }
    if !active && holds_owner(db, &user)? {
        check_not_last_owner(db, &user, None)?;
    }
    db.set_user_active(user_id, active, &now())?;
    let (action, verb) = if active {
        ("user.reactivate", "reactivated")
    } else {
        ("user.deactivate", "deactivated")
    };
    db.audit(
        op,
        action,
        (user.customer_id, &customer.name),
        &format!("{verb} user {}", user.email),
        &serde_json::json!({ "user_id": user_id, "active": active }),
    )?;
    Ok(())
}

fn remove_user(
    db: &mut impl PeopleTx,
    user_id: Id,
    expected_version: i64,
    op: &Operator,
) -> Result<()> {
    let user = current_user(db, user_id, expected_version)?;
    let customer = customer_of(db, user.customer_id)?;
    if holds_owner(db, &user)? {
        check_not_last_owner(db, &user, None)?;
    }
    db.delete_user(user_id)?;
    db.audit(
        op,
        "user.remove",
        (user.customer_id, &customer.name),
        &format!("removed user {}", user_ident(&user)),
        &serde_json::json!({ "user_id": user_id, "before": user_json(&spec_of(&user)) }),
    )?;
    Ok(())
}

fn reset(
    db: &mut impl PeopleTx,
    user_id: Id,
    expected_version: i64,
    new_hash: &str,
    op: &Operator,
) -> Result<()> {
    let user = current_user(db, user_id, expected_version)?;
    let customer = customer_of(db, user.customer_id)?;
    let must_change = customer.change_password;
    db.set_password(user_id, new_hash, must_change, &now())?;
    db.audit(
        op,
        "user.reset_password",
        (user.customer_id, &customer.name),
        &format!("reset the password of {}", user.email),
        &serde_json::json!({ "user_id": user_id, "must_change_password": must_change }),
    )?;
    Ok(())
}
