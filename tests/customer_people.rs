//! Roles and users of an existing customer: the store rules of PRODUCT.md §4, and the Roles and
//! Users panes of the customer view (snapshots and keys).

mod support;

use admin_portal::app::{Ctx, Effect};
use admin_portal::domain::{
    Address, Contact, CustomerProfile, Id, NewCustomer, NewUser, Permissions, Role, RoleType, User,
    UserCreation,
};
use admin_portal::keymap::Keymap;
use admin_portal::store::people::NewUserSpec;
use admin_portal::store::{OpenMode, Store, StoreError};
use admin_portal::theme::COLOR;
use support::db::RawConn;
use support::fixture::*;

const FIXED_TIME: &str = "2024-05-01T09:30:00Z";

/// An empty store; the operator is at 10.0.0.7.
fn empty() -> Env {
    Env::new().with_client("10.0.0.7")
}

/// Ids in the customer made by [`Env::acme`].
struct Acme {
    id: Id,
    owner: Id,
    admin: Id,
    guards: Id,
    cameras: Vec<Id>,
    jane: Id,
    bob: Id,
    carl: Id,
}

impl Env {
    fn camera(&self, name: &str, n: u8) -> Id {
        let (mac, serial) = (format!("AA:BB:CC:00:00:{n:02X}"), format!("SN-{n:04}"));
        self.camera_row(name, &mac, &serial, FIXED_TIME)
    }

    /// Acme Security: two linked cameras, Owner, Admin and a Guard role "Night guards" on the
    /// first camera; Jane (Owner), Bob (Admin) and Carl (Night guards).
    fn acme(&mut self, share_disabled: bool) -> Acme {
        let cameras = vec![self.camera("Front door", 1), self.camera("Loading dock", 2)];
        self.camera("Spare", 3);
        let guards = Role {
            id: None,
            name: "Night guards".into(),
            description: "Guards on the night shift".into(),
            system: None,
            role_type: RoleType::Guard,
            all_cameras: false,
            camera_ids: vec![cameras[0]],
            new_camera_refs: vec![],
            permissions: Permissions {
                ptz: true,
                ..Permissions::default()
            },
        };
        let user = |first: &str, last: &str, roles: Vec<usize>| NewUser {
            first_name: first.into(),
            last_name: last.into(),
            email: format!("{}@acme.example.com", first.to_lowercase()),
            roles,
        };
        let mut new = NewCustomer {
            profile: CustomerProfile {
                contact: Contact {
                    company: "Acme Security".into(),
                    first_name: "Jane".into(),
                    last_name: "Doe".into(),
                    email: "jane@acme.example.com".into(),
                    address: Address {
                        city: "Paris".into(),
                        ..Address::default()
                    },
                    ..Contact::default()
                },
                user_creation: UserCreation {
                    confirm_email: true,
                    change_password: false,
                },
                ..CustomerProfile::default()
            },
            camera_ids: cameras.clone(),
            roles: vec![Role::owner(), Role::admin(), guards],
            users: vec![
                user("Jane", "Doe", vec![0]),
                user("Bob", "Martin", vec![1]),
                user("Carl", "Night", vec![2]),
            ],
            ..NewCustomer::default()
        };
        new.profile.defaults.disable_camera_share = share_disabled;
        let op = self.operator.clone();
        let created = self
            .store
            .create_customer(&new, &hashes(&new), &op)
            .expect("create");
        self.sql(&format!(
            "UPDATE audit SET at = '{FIXED_TIME}';
             UPDATE customers SET created_at = '{FIXED_TIME}', updated_at = '{FIXED_TIME}'"
        ));
        let roles = self.store.roles_of(created.id).expect("roles");
        let role = |name: &str| {
            roles
                .iter()
                .find(|r| r.name == name)
                .and_then(|r| r.id)
                .expect(name)
        };
        Acme {
            id: created.id,
            owner: role("Owner"),
            admin: role("Admin"),
            guards: role("Night guards"),
            cameras,
            jane: created.user_ids[0],
            bob: created.user_ids[1],
            carl: created.user_ids[2],
        }
    }

    fn role(&self, id: Id) -> (Role, i64) {
        self.store.role(id).expect("role").expect("role exists")
    }

    fn user(&self, id: Id) -> User {
        self.store.user(id).expect("user").expect("user exists")
    }

    fn last_audit(&self) -> (String, String, String, Option<String>) {
        self.store
            .raw_conn()
            .query_row(
                "SELECT action, summary, operator, client FROM audit ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .expect("audit")
    }

    fn audit_count(&self) -> i64 {
        self.store
            .raw_conn()
            .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
            .expect("count")
    }
}

fn custom_role(name: &str, role_type: RoleType) -> Role {
    Role {
        id: None,
        name: name.into(),
        description: String::new(),
        system: None,
        role_type,
        all_cameras: true,
        camera_ids: vec![],
        new_camera_refs: vec![],
        permissions: Permissions::default(),
    }
}

fn spec(first: &str, email: &str, role_ids: Vec<Id>) -> NewUserSpec {
    NewUserSpec {
        first_name: first.into(),
        last_name: "Tester".into(),
        email: email.into(),
        role_ids,
    }
}

#[track_caller]
fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[track_caller]
fn conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Err(StoreError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Store: system roles

#[test]
fn owner_cannot_be_changed_or_deleted() {
    let mut f = empty();
    let a = f.acme(false);
    let (mut owner, v) = f.role(a.owner);
    let op = f.operator.clone();
    owner.description = "mine now".into();
    let m = refused(f.store.update_role(a.owner, v, &owner, &op));
    assert_eq!(m, "Owner is a system role: it cannot be changed");
    let m = refused(f.store.delete_role(a.owner, v, &op));
    assert_eq!(m, "Owner is a system role: it cannot be deleted");
    assert_eq!(f.role(a.owner).1, v);
}

#[test]
fn admin_can_be_changed_but_not_renamed_retyped_or_deleted() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let (mut admin, v) = f.role(a.admin);
    admin.name = "Boss".into();
    let m = refused(f.store.update_role(a.admin, v, &admin, &op));
    assert_eq!(m, "Admin is a system role: it cannot be renamed");
    let (mut admin, v) = f.role(a.admin);
    admin.role_type = RoleType::Guard;
    let m = refused(f.store.update_role(a.admin, v, &admin, &op));
    assert_eq!(m, "Admin is a system role: its type cannot be changed");
    let m = refused(f.store.delete_role(a.admin, v, &op));
    assert_eq!(m, "Admin is a system role: it cannot be deleted");

    let (mut admin, v) = f.role(a.admin);
    admin.description = "Runs the site".into();
    admin.all_cameras = false;
    admin.camera_ids = vec![a.cameras[1]];
    admin.permissions.save_clip = false;
    f.store
        .update_role(a.admin, v, &admin, &op)
        .expect("update");
    let (after, v2) = f.role(a.admin);
    assert_eq!(v2, v + 1);
    assert_eq!(after.description, "Runs the site");
    assert_eq!(after.camera_ids, vec![a.cameras[1]]);
    assert!(!after.permissions.save_clip);
    // The version read before is stale now.
    let m = conflict(f.store.update_role(a.admin, v, &admin, &op));
    assert!(m.contains("changed by another operator"), "{m}");
}

#[test]
fn custom_roles_are_added_edited_and_deleted_naming_the_users_who_lose_them() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let id = f
        .store
        .add_role(a.id, &custom_role("Patrol", RoleType::Guard), &op)
        .expect("add");
    let (action, summary, operator, client) = f.last_audit();
    assert_eq!(
        (action.as_str(), summary.as_str()),
        ("role.create", "added role Patrol")
    );
    assert_eq!(
        (operator.as_str(), client.as_deref()),
        ("alice", Some("10.0.0.7"))
    );
    let m = refused(
        f.store
            .add_role(a.id, &custom_role("patrol", RoleType::Guard), &op),
    );
    assert_eq!(m, "Role name: \"patrol\" is already used by another role");
    let m = refused(
        f.store
            .add_role(a.id, &custom_role("  ", RoleType::Guard), &op),
    );
    assert!(m.starts_with("Role name"), "{m}");

    f.store
        .set_role_users(id, &[a.carl], &op)
        .expect("give Carl Patrol");
    let v = f.role(id).1;
    let lost = f.store.delete_role(id, v, &op).expect("delete");
    assert_eq!(
        lost.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(),
        ["carl@acme.example.com"]
    );
    let (action, summary, ..) = f.last_audit();
    assert_eq!(action, "role.delete");
    assert_eq!(
        summary,
        "deleted role Patrol; Carl Night (carl@acme.example.com) lost it"
    );
    assert!(f.store.role(id).unwrap().is_none());
    assert_eq!(f.user(a.carl).role_ids, vec![a.guards]);
}

// ---------------------------------------------------------------------------------------------
// Store: one role type per user

#[test]
fn add_user_and_update_user_refuse_mixed_role_types() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let before = f.audit_count();
    let m = refused(f.store.add_user(
        a.id,
        &spec("Mia", "mia@acme.example.com", vec![a.admin, a.guards]),
        HASH,
        &op,
    ));
    assert_eq!(
        m,
        "Roles: a user's roles must all be of one type (Admin or Guard)"
    );
    assert_eq!(f.audit_count(), before, "a refused change writes no audit");
    let bob = f.user(a.bob);
    let m = refused(f.store.update_user(
        a.bob,
        bob.version,
        &spec("Bob", "bob@acme.example.com", vec![a.admin, a.guards]),
        &op,
    ));
    assert!(m.contains("one type"), "{m}");
    // Several roles of one type are fine.
    let patrol = f
        .store
        .add_role(a.id, &custom_role("Patrol", RoleType::Guard), &op)
        .unwrap();
    let carl = f.user(a.carl);
    f.store
        .update_user(
            a.carl,
            carl.version,
            &spec("Carl", "carl@acme.example.com", vec![a.guards, patrol]),
            &op,
        )
        .expect("two guard roles");
    assert_eq!(f.user(a.carl).role_ids, vec![a.guards, patrol]);
    assert_eq!(f.last_audit().0, "user.update");
}

#[test]
fn the_dual_list_refuses_a_user_who_would_mix_types_naming_them() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let m = refused(f.store.set_role_users(a.guards, &[a.carl, a.bob], &op));
    assert_eq!(
        m,
        "Users: Bob Martin (bob@acme.example.com) holds Admin roles; a user's roles must all be \
         of one type"
    );
    assert_eq!(f.store.role_users(a.guards).unwrap().len(), 1);
    let bob_v = f.user(a.bob).version;
    f.store
        .set_role_users(a.admin, &[a.bob, a.jane], &op)
        .expect("Jane gets Admin too");
    assert_eq!(
        f.store
            .role_users(a.admin)
            .unwrap()
            .iter()
            .map(|u| u.id)
            .collect::<Vec<_>>(),
        vec![a.jane, a.bob]
    );
    assert_eq!(
        f.user(a.bob).version,
        bob_v,
        "unchanged users keep their version"
    );
    let (action, summary, ..) = f.last_audit();
    assert_eq!(action, "role.users");
    assert_eq!(
        summary,
        "role Admin: gave it to Jane Doe (jane@acme.example.com)"
    );
}

#[test]
fn changing_a_role_type_is_refused_while_its_users_hold_roles_of_the_other_type() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let patrol = f
        .store
        .add_role(a.id, &custom_role("Patrol", RoleType::Guard), &op)
        .unwrap();
    f.store.set_role_users(patrol, &[a.carl], &op).unwrap();
    let (mut role, v) = f.role(patrol);
    role.role_type = RoleType::Admin;
    let m = refused(f.store.update_role(patrol, v, &role, &op));
    assert_eq!(m, "Role type: 1 user of this role also holds Guard roles");
    // Once Carl holds only Patrol, its type can change.
    let carl = f.user(a.carl);
    f.store
        .update_user(
            a.carl,
            carl.version,
            &spec("Carl", "carl@acme.example.com", vec![patrol]),
            &op,
        )
        .unwrap();
    f.store.update_role(patrol, v, &role, &op).expect("retype");
    assert_eq!(f.role(patrol).0.role_type, RoleType::Admin);
}

// ---------------------------------------------------------------------------------------------
// Store: the last Owner

#[test]
fn the_last_owner_cannot_be_removed_deactivated_or_lose_owner() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let jane = f.user(a.jane);
    let last = "Users: Jane Doe (jane@acme.example.com) is the last Owner";
    assert_eq!(
        refused(f.store.remove_user(a.jane, jane.version, &op)),
        last
    );
    assert_eq!(
        refused(f.store.set_user_active(a.jane, jane.version, false, &op)),
        last
    );
    assert_eq!(
        refused(f.store.update_user(
            a.jane,
            jane.version,
            &spec("Jane", "jane@acme.example.com", vec![a.admin]),
            &op
        )),
        last
    );
    assert_eq!(refused(f.store.set_role_users(a.owner, &[], &op)), last);

    // With a second active Owner, Jane may go.
    f.store.set_role_users(a.admin, &[], &op).unwrap();
    f.store
        .set_role_users(a.owner, &[a.jane, a.bob], &op)
        .unwrap();
    let jane = f.user(a.jane);
    f.store
        .set_user_active(a.jane, jane.version, false, &op)
        .expect("deactivate");
    assert!(!f.user(a.jane).active);
    assert_eq!(f.last_audit().0, "user.deactivate");
    // Bob is now the last active Owner.
    let bob = f.user(a.bob);
    let m = refused(f.store.remove_user(a.bob, bob.version, &op));
    assert_eq!(
        m,
        "Users: Bob Martin (bob@acme.example.com) is the last Owner"
    );
    let jane = f.user(a.jane);
    f.store
        .set_user_active(a.jane, jane.version, true, &op)
        .unwrap();
    assert_eq!(f.last_audit().0, "user.reactivate");
    let bob = f.user(a.bob);
    f.store
        .remove_user(a.bob, bob.version, &op)
        .expect("remove");
    assert!(f.store.user(a.bob).unwrap().is_none());
    let (action, summary, ..) = f.last_audit();
    assert_eq!(action, "user.remove");
    assert_eq!(summary, "removed user Bob Martin (bob@acme.example.com)");
}

// ---------------------------------------------------------------------------------------------
// Store: emails, passwords, share

#[test]
fn emails_are_unique_across_customers_ignoring_case() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    // A second customer.
    let other = f
        .store
        .create_customer(
            &NewCustomer {
                profile: CustomerProfile {
                    contact: Contact {
                        company: "Beta Guards".into(),
                        ..Contact::default()
                    },
                    ..CustomerProfile::default()
                },
                roles: vec![Role::owner(), Role::admin()],
                ..NewCustomer::default()
            },
            &[],
            &op,
        )
        .unwrap()
        .id;
    let beta_admin = f.store.roles_of(other).unwrap()[1].id.unwrap();
    let m = refused(f.store.add_user(
        other,
        &spec("Janet", "JANE@Acme.Example.com", vec![beta_admin]),
        HASH,
        &op,
    ));
    assert_eq!(
        m,
        "Email: JANE@Acme.Example.com is already used by another user"
    );
    let bob = f.user(a.bob);
    let m = refused(f.store.update_user(
        a.bob,
        bob.version,
        &spec("Bob", "Carl@acme.example.com", vec![a.admin]),
        &op,
    ));
    assert_eq!(
        m,
        "Email: Carl@acme.example.com is already used by another user"
    );
    // Changing only the case of one's own email is fine.
    f.store
        .update_user(
            a.bob,
            bob.version,
            &spec("Bob", "Bob@acme.example.com", vec![a.admin]),
            &op,
        )
        .expect("own email");
}

#[test]
fn passwords_are_stored_only_as_argon2id_hashes_and_settings_apply() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let m = refused(f.store.add_user(
        a.id,
        &spec("Mia", "mia@acme.example.com", vec![a.guards]),
        "hunter2",
        &op,
    ));
    assert_eq!(m, "Password: only Argon2id hashes are stored");
    let password = admin_portal::ui::wizard::commit::temporary_password();
    let hash = admin_portal::ui::wizard::commit::hash_password(&password).unwrap();
    let mia = f
        .store
        .add_user(
            a.id,
            &spec("Mia", " mia@acme.example.com ", vec![a.guards]),
            &hash,
            &op,
        )
        .expect("add");
    let user = f.user(mia);
    assert_eq!(user.email, "mia@acme.example.com");
    // Acme: confirm email on, change password off.
    assert!(user.must_confirm_email);
    assert!(!user.must_change_password);
    let (action, summary, ..) = f.last_audit();
    assert_eq!(action, "user.create");
    assert_eq!(summary, "added user Mia Tester <mia@acme.example.com>");

    f.sql(&format!(
        "UPDATE customers SET change_password = 1 WHERE id = {}",
        a.id
    ));
    let m = refused(f.store.reset_password(mia, user.version, "plain", &op));
    assert_eq!(m, "Password: only Argon2id hashes are stored");
    f.store
        .reset_password(mia, user.version, HASH, &op)
        .expect("reset");
    assert!(f.user(mia).must_change_password);
    assert_eq!(f.last_audit().0, "user.reset_password");

    let stored: Vec<String> = {
        let conn = f.store.raw_conn();
        let mut stmt = conn.prepare("SELECT password_hash FROM users").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert!(
        stored.iter().all(|h| h.starts_with("$argon2id$")),
        "{stored:?}"
    );
    let audit: String = f
        .store
        .raw_conn()
        .query_row(
            "SELECT group_concat(details || summary, ' ') FROM audit",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!audit.contains(password.expose()));
    assert!(!audit.contains("argon2"), "no hash in the audit: {audit}");
}

#[test]
fn share_cannot_be_granted_while_camera_share_is_disabled() {
    let mut f = empty();
    let a = f.acme(true);
    let op = f.operator.clone();
    let mut role = custom_role("Sharers", RoleType::Guard);
    role.permissions.share = true;
    let m = refused(f.store.add_role(a.id, &role, &op));
    assert_eq!(
        m,
        "Permissions: camera share is disabled for this customer, so Share cannot be granted"
    );
    let (mut guards, v) = f.role(a.guards);
    guards.permissions.share = true;
    assert_eq!(refused(f.store.update_role(a.guards, v, &guards, &op)), m);
    role.permissions.share = false;
    f.store.add_role(a.id, &role, &op).expect("without share");
}

#[test]
fn an_all_cameras_role_reaches_cameras_linked_later() {
    let mut f = empty();
    let a = f.acme(false);
    let op = f.operator.clone();
    let all = f
        .store
        .add_role(a.id, &custom_role("Everything", RoleType::Guard), &op)
        .unwrap();
    assert_eq!(f.store.role_camera_reach(all).unwrap(), a.cameras);
    assert_eq!(
        f.store.role_camera_reach(a.guards).unwrap(),
        vec![a.cameras[0]]
    );
    let later = f.camera("Car park", 9);
    f.sql(&format!(
        "UPDATE cameras SET customer_id = {} WHERE id = {later}",
        a.id
    ));
    let mut expected = a.cameras.clone();
    expected.push(later);
    assert_eq!(f.store.role_camera_reach(all).unwrap(), expected);
    assert_eq!(
        f.store.role_camera_reach(a.guards).unwrap(),
        vec![a.cameras[0]]
    );
    // A role cannot be given a camera of another customer.
    let spare: Id = f
        .store
        .raw_conn()
        .query_row("SELECT id FROM cameras WHERE name = 'Spare'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut role = custom_role("Spare only", RoleType::Guard);
    role.all_cameras = false;
    role.camera_ids = vec![spare];
    let m = conflict(f.store.add_role(a.id, &role, &op));
    assert_eq!(m, "Cameras: Spare is no longer linked to this customer");
}

#[test]
fn writes_are_refused_on_a_read_only_store() {
    let mut f = empty();
    let a = f.acme(false);
    let path = f.store.path().to_path_buf();
    let mut ro = Store::open(&path, OpenMode::ReadOnly).unwrap();
    let op = f.operator.clone();
    let m = refused(ro.add_role(a.id, &custom_role("X", RoleType::Guard), &op));
    assert!(m.contains("read-only"), "{m}");
}

// ---------------------------------------------------------------------------------------------
// The panes

use admin_portal::app::FlashLevel;
use admin_portal::ui::component::Component;
use admin_portal::ui::customer::roles::RolesPane;
use admin_portal::ui::customer::users::UsersPane;
use admin_portal::ui::wizard::commit::Secret;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

const PASSWORD: &str = "Qz7kW3mPa9Xt4HvB";

trait Pane {
    fn key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect;
    fn draw(&mut self, frame: &mut ratatui::Frame, keymap: &Keymap);
}

impl Pane for RolesPane {
    /// As the app hands a key over: looked up once in the pane's contexts.
    fn key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let action = ctx.keymap.lookup_in(&Component::contexts(self), key);
        Component::handle_key(self, key, action, ctx)
    }
    fn draw(&mut self, frame: &mut ratatui::Frame, keymap: &Keymap) {
        self.render(frame, frame.area(), &COLOR, keymap);
    }
}

impl Pane for UsersPane {
    /// As the app hands a key over: looked up once in the pane's contexts.
    fn key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let action = ctx.keymap.lookup_in(&Component::contexts(self), key);
        Component::handle_key(self, key, action, ctx)
    }
    fn draw(&mut self, frame: &mut ratatui::Frame, keymap: &Keymap) {
        self.render(frame, frame.area(), &COLOR, keymap);
    }
}

impl Env {
    fn customer(&self, id: Id) -> admin_portal::domain::Customer {
        self.store.customer(id).unwrap().unwrap()
    }

    fn roles_pane(&mut self, id: Id) -> RolesPane {
        let customer = self.customer(id);
        RolesPane::new(&customer, &mut self.ctx()).expect("roles pane")
    }

    fn users_pane(&mut self, id: Id) -> UsersPane {
        let customer = self.customer(id);
        let mut pane = UsersPane::new(&customer, &mut self.ctx()).expect("users pane");
        pane.set_password_source(Box::new(|| Secret::new(PASSWORD)));
        pane
    }

    fn send(&mut self, pane: &mut impl Pane, key: KeyEvent) -> Effect {
        let mut ctx = self.ctx();
        pane.key(&key, &mut ctx)
    }

    fn keys(&mut self, pane: &mut impl Pane, codes: &[KeyCode]) {
        for code in codes {
            self.send(pane, press(*code));
        }
    }

    fn type_text(&mut self, pane: &mut impl Pane, text: &str) {
        for c in text.chars() {
            self.send(pane, press(KeyCode::Char(c)));
        }
    }

    fn screen(&self, pane: &mut impl Pane, width: u16, height: u16) -> String {
        render_text(width, height, |f| pane.draw(f, &self.keymap))
            .replace(PASSWORD, &"*".repeat(PASSWORD.len()))
    }

    /// Snapshots at 100x30 and 80x24.
    fn snap(&self, name: &str, pane: &mut impl Pane) {
        insta::assert_snapshot!(format!("{name}_100x30"), self.screen(pane, 100, 30));
        insta::assert_snapshot!(format!("{name}_80x24"), self.screen(pane, 80, 24));
    }
}

fn flash_text(effect: &Effect) -> Option<(FlashLevel, String)> {
    match effect {
        Effect::Flash(f) | Effect::Changed(Some(f)) | Effect::Back(Some(f)) => {
            Some((f.level, f.text.clone()))
        }
        _ => None,
    }
}

#[test]
fn roles_pane_table_form_delete_and_dual_list() {
    let mut f = empty();
    let a = f.acme(true);
    let mut pane = f.roles_pane(a.id);
    f.snap("roles_pane", &mut pane);
    let (_, actions) = pane.hint();
    assert!(actions.contains(&admin_portal::action::Action::Add));

    // Owner is locked.
    let e = f.send(&mut pane, press(KeyCode::Char('e')));
    assert_eq!(
        flash_text(&e),
        Some((
            FlashLevel::Warning,
            "Owner is a system role: it cannot be changed".into()
        ))
    );
    // The form of a new role, cameras chosen one by one.
    f.send(&mut pane, press(KeyCode::Char('a')));
    assert!(pane.captures_text());
    f.type_text(&mut pane, "Patrol");
    f.keys(&mut pane, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    f.send(&mut pane, press(KeyCode::Char(' '))); // all cameras off
    f.send(&mut pane, press(KeyCode::Tab));
    f.send(&mut pane, press(KeyCode::Char(' '))); // Front door
    f.snap("role_form", &mut pane);
    assert!(pane.is_dirty());
    let e = f.send(&mut pane, ctrl('s'));
    assert!(matches!(e, Effect::Changed(Some(_))), "{e:?}");
    assert!(!pane.captures_text());
    let patrol = f
        .store
        .roles_of(a.id)
        .unwrap()
        .into_iter()
        .find(|r| r.name == "Patrol")
        .expect("Patrol saved");
    assert!(!patrol.all_cameras);
    assert_eq!(patrol.camera_ids, vec![a.cameras[0]]);
    assert_eq!(patrol.role_type, RoleType::Guard);

    // The dual list on Night guards: give Patrol... first select Night guards (row 2).
    f.keys(
        &mut pane,
        &[KeyCode::Char('g'), KeyCode::Down, KeyCode::Down],
    );
    f.send(&mut pane, press(KeyCode::Char('u')));
    assert!(pane.captures_text());
    f.snap("role_dual_list", &mut pane);
    // Jane (first on the left) holds Owner, an Admin role: moving her across is refused by name.
    f.send(&mut pane, press(KeyCode::Char(' ')));
    let e = f.send(&mut pane, ctrl('s'));
    let (level, text) = flash_text(&e).expect("refused");
    assert_eq!(level, FlashLevel::Error);
    assert!(
        text.contains("Jane Doe (jane@acme.example.com) holds Admin roles"),
        "{text}"
    );
    f.send(&mut pane, press(KeyCode::Esc));
    assert!(!pane.captures_text());

    // Delete Night guards: the question names Carl, who loses it.
    let e = f.send(&mut pane, press(KeyCode::Char('D')));
    assert_eq!(e, Effect::DialogOpened);
    f.snap("role_delete_confirm", &mut pane);
    let e = f.send(&mut pane, press(KeyCode::Char('y')));
    let (_, text) = flash_text(&e).expect("deleted");
    assert_eq!(
        text,
        "Role Night guards deleted; Carl Night (carl@acme.example.com) lost it"
    );
    assert!(f.store.role(a.guards).unwrap().is_none());
    // System roles have no delete.
    f.send(&mut pane, press(KeyCode::Char('g')));
    let e = f.send(&mut pane, press(KeyCode::Char('D')));
    assert_eq!(
        flash_text(&e),
        Some((
            FlashLevel::Warning,
            "Owner is a system role: it cannot be deleted".into()
        ))
    );
}

#[test]
fn users_pane_form_mixed_types_and_one_time_password() {
    let mut f = empty();
    let a = f.acme(false);
    let mut pane = f.users_pane(a.id);
    f.snap("users_pane", &mut pane);
    f.send(&mut pane, press(KeyCode::Char('a')));
    f.type_text(&mut pane, "Mia");
    f.send(&mut pane, press(KeyCode::Tab));
    f.type_text(&mut pane, "Lopez");
    f.send(&mut pane, press(KeyCode::Tab));
    f.type_text(&mut pane, "mia@acme.example.com");
    // Roles: Owner, Admin, Night guards. Tick Admin, then try Night guards.
    f.keys(&mut pane, &[KeyCode::Tab, KeyCode::Tab]);
    f.send(&mut pane, press(KeyCode::Char(' ')));
    f.send(&mut pane, press(KeyCode::Tab));
    f.send(&mut pane, press(KeyCode::Char(' ')));
    f.snap("user_form_mixed_types", &mut pane);
    let e = f.send(&mut pane, ctrl('s'));
    assert!(matches!(e, Effect::Changed(Some(_))), "{e:?}");
    f.snap("user_password_once", &mut pane);
    let mia = f
        .store
        .users_of(a.id)
        .unwrap()
        .into_iter()
        .find(|u| u.email == "mia@acme.example.com")
        .expect("Mia added");
    assert_eq!(mia.role_ids, vec![a.admin]);
    let hash: String = f
        .store
        .raw_conn()
        .query_row(
            "SELECT password_hash FROM users WHERE id = ?1",
            [mia.id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"));
    // Enter closes the dialog; the password is gone from the screen.
    f.send(&mut pane, press(KeyCode::Enter));
    assert!(!pane.captures_text());
    assert!(
        !f.screen(&mut pane, 100, 30)
            .contains(&"*".repeat(PASSWORD.len()))
    );
}

#[test]
fn users_pane_keys_protect_the_last_owner_and_reset_passwords() {
    let mut f = empty();
    let a = f.acme(false);
    let mut pane = f.users_pane(a.id);
    // Rows by last name: Jane Doe, Bob Martin, Carl Night.
    let e = f.send(&mut pane, press(KeyCode::Char('x')));
    assert_eq!(e, Effect::DialogOpened);
    let e = f.send(&mut pane, press(KeyCode::Char('y')));
    assert_eq!(
        flash_text(&e),
        Some((
            FlashLevel::Error,
            "Users: Jane Doe (jane@acme.example.com) is the last Owner".into()
        ))
    );
    f.send(&mut pane, press(KeyCode::Char('D')));
    let e = f.send(&mut pane, press(KeyCode::Char('y')));
    assert!(flash_text(&e).unwrap().1.contains("is the last Owner"));
    // Enter answers No.
    f.send(&mut pane, press(KeyCode::Down));
    f.send(&mut pane, press(KeyCode::Char('x')));
    assert_eq!(f.send(&mut pane, press(KeyCode::Enter)), Effect::Done);
    assert!(f.user(a.bob).active);
    f.send(&mut pane, press(KeyCode::Char('x')));
    let e = f.send(&mut pane, press(KeyCode::Char('y')));
    assert_eq!(
        flash_text(&e).unwrap().1,
        "User Bob Martin (bob@acme.example.com) deactivated"
    );
    assert!(!f.user(a.bob).active);
    assert!(f.screen(&mut pane, 100, 30).contains("deactivated"));
    // Reset Carl's password: shown once, must change per the setting (off for Acme).
    f.send(&mut pane, press(KeyCode::Down));
    f.send(&mut pane, press(KeyCode::Char('r')));
    let e = f.send(&mut pane, press(KeyCode::Char('y')));
    assert!(matches!(e, Effect::Changed(Some(_))), "{e:?}");
    assert!(
        f.screen(&mut pane, 100, 30)
            .contains(&"*".repeat(PASSWORD.len()))
    );
    assert!(!f.user(a.carl).must_change_password);
    assert_eq!(f.last_audit().0, "user.reset_password");
    let _ = a.jane;
}

#[test]
fn read_only_store_hides_and_refuses_writes() {
    let mut f = empty();
    let a = f.acme(false);
    let path = f.store.path().to_path_buf();
    f.store = Store::open(&path, OpenMode::ReadOnly).unwrap();
    let roles = f.roles_pane(a.id);
    let (_, actions) = roles.hint();
    assert!(!actions.contains(&admin_portal::action::Action::Add));
    // The panes say which keys write (Enter opens the form, as `e` does); the app's one guard
    // refuses them on a read-only store (tests/operator_keys.rs drives that through the app).
    let keymap = f.keymap.clone();
    let writes = |pane: &dyn Component, code: KeyCode| {
        let action = keymap.lookup_in(&pane.contexts(), &press(code));
        action.is_some_and(|a| pane.is_write(a))
    };
    for code in [KeyCode::Char('a'), KeyCode::Char('e'), KeyCode::Enter] {
        assert!(writes(&roles, code), "{code:?} on Roles");
    }
    let users = f.users_pane(a.id);
    for c in ['a', 'x', 'r', 'D', '\n'] {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        assert!(writes(&users, code), "{c:?} on Users");
    }
    assert!(!writes(&roles, KeyCode::Down) && !writes(&users, KeyCode::Down));
    let mut users = users;
    assert!(!f.screen(&mut users, 80, 24).contains("reset password"));
}

#[test]
fn panes_never_panic_at_any_size() {
    let mut f = empty();
    let a = f.acme(true);
    let mut roles = f.roles_pane(a.id);
    let mut users = f.users_pane(a.id);
    for (w, h) in [(0, 0), (1, 1), (5, 3), (20, 4), (40, 10), (200, 60)] {
        f.screen(&mut roles, w, h);
        f.screen(&mut users, w, h);
    }
    f.send(&mut roles, press(KeyCode::Char('a')));
    f.send(&mut users, press(KeyCode::Char('a')));
    for (w, h) in [(1, 1), (7, 4), (20, 6), (33, 9)] {
        f.screen(&mut roles, w, h);
        f.screen(&mut users, w, h);
    }
}

#[test]
fn demo_data_loads_into_the_panes() {
    let mut f = empty();
    demo(&mut f.store, 5, 40, 1);
    let id: Id = f
        .store
        .raw_conn()
        .query_row("SELECT min(id) FROM customers", [], |r| r.get(0))
        .unwrap();
    let mut roles = f.roles_pane(id);
    let mut users = f.users_pane(id);
    assert!(f.screen(&mut roles, 100, 30).contains("Owner"));
    assert!(f.screen(&mut users, 100, 30).contains('@'));
}
