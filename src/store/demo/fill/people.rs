//! The demo roles and users of one customer.

use rusqlite::{Transaction, params};

use super::{CustomerCtx, Filler};
use crate::domain::{CustomerProfile, Id, Permissions, Role, RoleType};
use crate::store::Result;
use crate::store::customers::insert_role;
use crate::store::demo::random::*;
use crate::store::demo::words::*;

impl Filler {
    /// Owner and Admin, and sometimes a Guard role over some of the cameras; returns role ids.
    pub(in crate::store::demo) fn roles(
        &mut self,
        tx: &Transaction<'_>,
        ctx: &CustomerCtx,
        p: &CustomerProfile,
        cameras: &[Id],
    ) -> Result<Vec<(Id, RoleType)>> {
        let mut ids = vec![
            (
                insert_role(tx, ctx.id, &OWNER, &ctx.created_at)?,
                RoleType::Admin,
            ),
            (
                insert_role(tx, ctx.id, &ADMIN, &ctx.created_at)?,
                RoleType::Admin,
            ),
        ];
        if cameras.len() >= 2 && self.rng.percent(35) {
            let mut chosen: Vec<Id> = cameras
                .iter()
                .copied()
                .filter(|_| self.rng.percent(50))
                .collect();
            if chosen.is_empty() {
                chosen.push(cameras[0]);
            }
            let (name, description) = *self.rng.pick(GUARD_ROLES);
            let guard = Role {
                id: None,
                name: name.into(),
                description: description.into(),
                system: None,
                role_type: RoleType::Guard,
                all_cameras: false,
                camera_ids: chosen,
                new_camera_refs: vec![],
                permissions: Permissions {
                    share: !p.defaults.disable_camera_share && self.rng.percent(40),
                    ptz: self.rng.percent(60),
                    update_delete: false,
                    save_clip: self.rng.percent(30),
                },
            };
            ids.push((
                insert_role(tx, ctx.id, &guard, &ctx.created_at)?,
                RoleType::Guard,
            ));
        }
        self.report.roles += ids.len() as u64;
        Ok(ids)
    }

    /// One to five users: the contact person holds Owner, the others Admin or the Guard role.
    pub(in crate::store::demo) fn users(
        &mut self,
        tx: &Transaction<'_>,
        ctx: &CustomerCtx,
        p: &CustomerProfile,
        roles: &[(Id, RoleType)],
    ) -> Result<u64> {
        let n = *self
            .rng
            .weighted(&[(30, 1u64), (30, 2), (20, 3), (12, 4), (8, 5)]);
        let mut insert = tx.prepare_cached(
            "INSERT INTO users (customer_id, first_name, last_name, email, password_hash,
                must_confirm_email, must_change_password, active, blocked, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        )?;
        let mut grant =
            tx.prepare_cached("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?;
        for k in 0..n {
            let (first, last, email, role) = if k == 0 {
                let c = &p.contact;
                let email = if self.emails.contains(&c.email) {
                    c.email.clone()
                } else {
                    self.unique_email(&c.first_name, &c.last_name, &ctx.domain)
                };
                (c.first_name.clone(), c.last_name.clone(), email, roles[0].0)
            } else {
                let (first, last) = person(&mut self.rng, ctx.country);
                let email = self.unique_email(first, last, &ctx.domain);
                let guard = roles.get(2).filter(|_| self.rng.percent(60));
                let role = guard.map_or(roles[1].0, |g| g.0);
                (first.to_string(), last.to_string(), email, role)
            };
            // Older accounts have mostly confirmed their address and changed their password.
            let confirm = p.user_creation.confirm_email && self.rng.percent(30);
            let change = p.user_creation.change_password && self.rng.percent(30);
            let active = k == 0 || self.rng.percent(95);
            insert.execute(params![
                ctx.id,
                first,
                last,
                email,
                self.password_hash,
                confirm,
                change,
                active,
                ctx.disabled,
                ctx.created_at
            ])?;
            grant.execute(params![tx.last_insert_rowid(), role])?;
        }
        self.report.users += n;
        Ok(n)
    }
}
