//! Roles and users of an existing customer: the Roles and Users sub-tabs of the customer view.
//!
//! Every change runs in one `BEGIN IMMEDIATE` transaction with an audit entry naming the operator,
//! checks the version it was read at (a stale one is a [`StoreError::Conflict`]) and enforces the
//! rules of PRODUCT.md §4 as [`StoreError::Refused`] with a one-line reason:
//! - Owner cannot be changed or deleted; Admin can be changed but not renamed, retyped or deleted.
//! - A user's roles are all of one role type.
//! - The last Owner (no other active user holds Owner) cannot be removed, deactivated or lose it.
//! - A user's email is unique across the store, case-insensitive.
//! - Share cannot be granted while the customer has camera share disabled.
//! - Passwords are stored only as Argon2id hashes.

pub(crate) mod db;
mod roles;
mod users;

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};

use super::catalog::split_ids;
use super::{Result, Store, StoreError, now, pg};
use crate::domain::validate::{self, display};
use crate::domain::{Id, NewUser, Operator, Role, RoleType, SystemRole, User};
use db::{Lite, PeopleCustomer, PeopleTx, UserInsert};

/// The prefix of every password hash the store accepts.
pub const ARGON2ID_PREFIX: &str = "$argon2id$";

/// A user as the Users form types it: roles by their ids in the store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewUserSpec {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub role_ids: Vec<Id>,
}

/// A role of the Roles table: the role, its version and how many users hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    pub role: Role,
    pub version: i64,
    pub users: i64,
}

/// A user of the Users table with the state the domain type does not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub user: User,
    /// Blocked because the customer is disabled.
    pub blocked: bool,
}

impl Store {
    /// The roles of a customer with their versions and user counts, Owner and Admin first.
    pub fn role_rows(&self, customer_id: Id) -> Result<Vec<RoleRow>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::people::role_rows(c, customer_id));
        }
        let roles = super::catalog::roles_of(self.conn()?, customer_id)?;
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT version, (SELECT count(*) FROM user_roles WHERE role_id = roles.id)
             FROM roles WHERE id = ?1",
        )?;
        let mut out = Vec::with_capacity(roles.len());
        for role in roles {
            let id = role.id.unwrap_or_default();
            let found: Option<(i64, i64)> = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((version, users)) = found {
                out.push(RoleRow {
                    role,
                    version,
                    users,
                });
            }
        }
        Ok(out)
    }

    /// One role with its version, or `None` when it does not exist (any more).
    pub fn role(&self, role_id: Id) -> Result<Option<(Role, i64)>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::people::role(c, role_id));
        }
        Ok(load_role(self.conn()?, role_id)?.map(|(role, version, _)| (role, version)))
    }

    /// The version of a role, or `None` when it does not exist (any more).
    pub fn role_version(&self, role_id: Id) -> Result<Option<i64>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::people::role_version(c, role_id));
        }
        Ok(self
            .conn()?
            .query_row("SELECT version FROM roles WHERE id = ?1", [role_id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The ids of the cameras a role reaches now: every camera linked to its customer when it
    /// has all cameras (those linked later too), else its chosen cameras still linked to it.
    pub fn role_camera_reach(&self, role_id: Id) -> Result<Vec<Id>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::people::role_camera_reach(c, role_id));
        }
        let mut stmt = self.conn()?.prepare_cached(
            "SELECT c.id FROM roles r JOIN cameras c ON c.customer_id = r.customer_id
             WHERE r.id = ?1 AND (r.all_cameras
                OR EXISTS (SELECT 1 FROM role_cameras rc WHERE rc.role_id = r.id AND rc.camera_id = c.id))
             ORDER BY c.id",
        )?;
        let rows = stmt.query_map([role_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The users holding a role, by name.
    pub fn role_users(&self, role_id: Id) -> Result<Vec<User>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::people::role_users(c, role_id));
        }
        role_users(self.conn()?, role_id)
    }

    /// The users of a customer, by name, with their blocked state.
    pub fn user_rows(&self, customer_id: Id) -> Result<Vec<UserRow>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::people::user_rows(c, customer_id));
        }
        let users = self.users_of(customer_id)?;
        let mut stmt = self
            .conn()?
            .prepare_cached("SELECT blocked FROM users WHERE id = ?1")?;
        let mut out = Vec::with_capacity(users.len());
        for user in users {
            let blocked: bool = stmt.query_row([user.id], |r| r.get(0))?;
            out.push(UserRow { user, blocked });
        }
        Ok(out)
    }

    /// One user, or `None` when it does not exist (any more).
    pub fn user(&self, user_id: Id) -> Result<Option<User>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::people::user_one(c, user_id));
        }
        load_user(self.conn()?, user_id)
    }
}

/// "Jane Doe (jane@example.com)": how messages name a user.
pub fn user_ident(user: &User) -> String {
    let name = format!("{} {}", user.first_name, user.last_name);
    format!("{} ({})", name.trim(), user.email)
}

fn other(t: RoleType) -> RoleType {
    match t {
        RoleType::Admin => RoleType::Guard,
        RoleType::Guard => RoleType::Admin,
    }
}

fn share_disabled() -> StoreError {
    StoreError::Refused(
        "Permissions: camera share is disabled for this customer, so Share cannot be granted"
            .into(),
    )
}

pub(crate) fn role_name_taken(name: &str) -> StoreError {
    StoreError::Refused(format!(
        "Role name: \"{}\" is already used by another role",
        display(name)
    ))
}

pub(crate) fn email_taken(email: &str) -> StoreError {
    StoreError::Refused(format!(
        "Email: {} is already used by another user",
        display(email)
    ))
}

fn role_gone(role_id: Id) -> StoreError {
    StoreError::Conflict(format!(
        "Role #{role_id} no longer exists: another operator deleted it"
    ))
}

fn user_gone(user_id: Id) -> StoreError {
    StoreError::Conflict(format!(
        "User #{user_id} no longer exists: another operator removed it"
    ))
}

fn check_hash(hash: &str) -> Result<()> {
    if hash.starts_with(ARGON2ID_PREFIX) {
        Ok(())
    } else {
        Err(StoreError::Refused(
            "Password: only Argon2id hashes are stored".into(),
        ))
    }
}

/// Trimmed and validated as the wizard validates a new user.
fn normalized(spec: &NewUserSpec) -> Result<NewUserSpec> {
    let mut user = NewUser {
        first_name: spec.first_name.clone(),
        last_name: spec.last_name.clone(),
        email: spec.email.clone(),
        roles: (0..spec.role_ids.len()).collect(),
    };
    validate::normalize_new_user(&mut user);
    if let Some(e) = validate::validate_new_user(&user).into_iter().next() {
        return Err(StoreError::Refused(e.to_string()));
    }
    let mut role_ids = spec.role_ids.clone();
    role_ids.sort_unstable();
    role_ids.dedup();
    Ok(NewUserSpec {
        first_name: user.first_name,
        last_name: user.last_name,
        email: user.email,
        role_ids,
    })
}

/// What the audit keeps of a user: never a password or its hash.
fn user_json(spec: &NewUserSpec) -> serde_json::Value {
    serde_json::json!({
        "first_name": spec.first_name,
        "last_name": spec.last_name,
        "email": spec.email,
        "role_ids": spec.role_ids,
    })
}

fn customer_of(db: &mut impl PeopleTx, customer_id: Id) -> Result<PeopleCustomer> {
    db.customer(customer_id)?.ok_or_else(|| {
        StoreError::Conflict(format!(
            "customer #{customer_id} no longer exists: another operator deleted it"
        ))
    })
}

/// A role with its version and customer.
fn load_role(conn: &Connection, role_id: Id) -> Result<Option<(Role, i64, Id)>> {
    let found: Option<(Id, i64)> = conn
        .query_row(
            "SELECT customer_id, version FROM roles WHERE id = ?1",
            [role_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((customer_id, version)) = found else {
        return Ok(None);
    };
    let role = super::catalog::roles_of(conn, customer_id)?
        .into_iter()
        .find(|r| r.id == Some(role_id));
    Ok(role.map(|r| (r, version, customer_id)))
}

/// The role as stored, refused when another operator changed or deleted it since `expected`.
fn current_role(db: &mut impl PeopleTx, role_id: Id, expected: i64) -> Result<(Role, i64, Id)> {
    let (role, version, customer_id) = db.role(role_id)?.ok_or_else(|| role_gone(role_id))?;
    if version != expected {
        return Err(StoreError::Conflict(format!(
            "Role {} was changed by another operator; look at it again and retry",
            display(&role.name)
        )));
    }
    Ok((role, version, customer_id))
}

fn load_user(conn: &Connection, user_id: Id) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!("{USER_SELECT} WHERE id = ?1"))?
        .query_row([user_id], user_row)
        .optional()?)
}

fn current_user(db: &mut impl PeopleTx, user_id: Id, expected: i64) -> Result<User> {
    let user = db.user(user_id)?.ok_or_else(|| user_gone(user_id))?;
    if user.version != expected {
        return Err(StoreError::Conflict(format!(
            "User {} was changed by another operator; look at it again and retry",
            display(&user.email)
        )));
    }
    Ok(user)
}

const USER_SELECT: &str = "SELECT id, customer_id, first_name, last_name, email,
        must_confirm_email, must_change_password, active, version,
        (SELECT group_concat(role_id) FROM user_roles WHERE user_id = users.id)
    FROM users";

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        email: r.get(4)?,
        must_confirm_email: r.get(5)?,
        must_change_password: r.get(6)?,
        active: r.get(7)?,
        version: r.get(8)?,
        role_ids: split_ids(r.get(9)?),
    })
}

fn role_users(conn: &Connection, role_id: Id) -> Result<Vec<User>> {
    let sql = format!(
        "{USER_SELECT} WHERE id IN (SELECT user_id FROM user_roles WHERE role_id = ?1)
         ORDER BY last_name, first_name, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([role_id], user_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn holds_owner(db: &mut impl PeopleTx, user: &User) -> Result<bool> {
    Ok(db
        .owner_role(user.customer_id)?
        .is_some_and(|o| user.role_ids.contains(&o)))
}

/// Refuses when no other active user would hold Owner: `keeping` are the users that hold it
/// after the change (`None`: those holding it now).
fn check_not_last_owner(
    db: &mut impl PeopleTx,
    user: &User,
    keeping: Option<&BTreeSet<Id>>,
) -> Result<()> {
    let Some(owner) = db.owner_role(user.customer_id)? else {
        return Ok(());
    };
    let others = db.active_holders(owner, user.id)?;
    let remains = match keeping {
        None => !others.is_empty(),
        Some(keeping) => others.iter().any(|id| keeping.contains(id)),
    };
    if remains {
        Ok(())
    } else {
        Err(StoreError::Refused(format!(
            "Users: {} is the last Owner",
            display(&user_ident(user))
        )))
    }
}

/// Roles exist, belong to the customer, are at least one and all of one type.
fn check_user_roles(db: &mut impl PeopleTx, customer_id: Id, role_ids: &[Id]) -> Result<()> {
    if role_ids.is_empty() {
        return Err(StoreError::Refused(
            "Roles: choose at least one role".into(),
        ));
    }
    for &id in role_ids {
        let owner = db.role_kind(id)?.map(|(customer, _)| customer);
        if owner != Some(customer_id) {
            return Err(StoreError::Conflict(format!(
                "Roles: role #{id} no longer exists: another operator deleted it"
            )));
        }
    }
    if mixes_types(db, role_ids)? {
        return Err(StoreError::Refused(
            "Roles: a user's roles must all be of one type (Admin or Guard)".into(),
        ));
    }
    Ok(())
}

fn mixes_types(db: &mut impl PeopleTx, role_ids: &[Id]) -> Result<bool> {
    let mut kinds = BTreeSet::new();
    for &id in role_ids {
        if let Some((_, kind)) = db.role_kind(id)? {
            kinds.insert(kind);
        }
    }
    Ok(kinds.len() > 1)
}

fn check_email_free(db: &mut impl PeopleTx, email: &str, except: Option<Id>) -> Result<()> {
    if db.email_taken(email, except)? {
        Err(email_taken(email))
    } else {
        Ok(())
    }
}

/// Name, description, unique name, and cameras linked to the customer.
fn check_role_fields(
    db: &mut impl PeopleTx,
    customer: &PeopleCustomer,
    role: &Role,
    except: Option<Id>,
) -> Result<()> {
    if let Some(e) = validate::validate_role(role).into_iter().next() {
        return Err(StoreError::Refused(e.to_string()));
    }
    if db.role_name_taken(customer.id, &role.name, except)? {
        return Err(role_name_taken(&role.name));
    }
    if !role.all_cameras {
        for &cam in &role.camera_ids {
            match db.camera_owner(cam)? {
                Some((_, Some(c))) if c == customer.id => {}
                Some((name, _)) => {
                    return Err(StoreError::Conflict(format!(
                        "Cameras: {} is no longer linked to this customer",
                        display(&name)
                    )));
                }
                None => {
                    return Err(StoreError::Conflict(format!(
                        "Cameras: camera #{cam} was deleted by another operator"
                    )));
                }
            }
        }
    }
    Ok(())
}
