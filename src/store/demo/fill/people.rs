//! The demo roles and users of one customer.

use super::{CustomerCtx, Filler};
use crate::domain::{CustomerProfile, Id, Permissions, Role, RoleType};
use crate::store::Result;
use crate::store::demo::random::*;
use crate::store::demo::sink::{Sink, UserRow};
use crate::store::demo::words::*;

impl Filler {
    /// Owner and Admin, and sometimes a Guard role over some of the cameras; returns role ids.
    pub(in crate::store::demo) fn roles(
        &mut self,
        sink: &mut dyn Sink,
        ctx: &CustomerCtx,
        p: &CustomerProfile,
        cameras: &[Id],
    ) -> Result<Vec<(Id, RoleType)>> {
        let mut ids = vec![
            (sink.role(ctx.id, &OWNER, &ctx.created_at)?, RoleType::Admin),
            (sink.role(ctx.id, &ADMIN, &ctx.created_at)?, RoleType::Admin),
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
            ids.push((sink.role(ctx.id, &guard, &ctx.created_at)?, RoleType::Guard));
        }
        self.report.roles += ids.len() as u64;
        Ok(ids)
    }

    /// One to five users: the contact person holds Owner, the others Admin or the Guard role.
    pub(in crate::store::demo) fn users(
        &mut self,
        sink: &mut dyn Sink,
        ctx: &CustomerCtx,
        p: &CustomerProfile,
        roles: &[(Id, RoleType)],
    ) -> Result<u64> {
        let n = *self
            .rng
            .weighted(&[(30, 1u64), (30, 2), (20, 3), (12, 4), (8, 5)]);
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
            let user = sink.user(&UserRow {
                customer: ctx.id,
                first: &first,
                last: &last,
                email: &email,
                hash: &self.password_hash,
                confirm,
                change,
                active,
                blocked: ctx.disabled,
                at: &ctx.created_at,
            })?;
            sink.grant(user, role)?;
        }
        self.report.users += n;
        Ok(n)
    }
}
