//! The contract suite, roles and users of a customer: the reads of the Roles and Users sub-tabs
//! and their writes (add, change, delete a role, who holds it; add, change, deactivate, remove a
//! user, reset a password) with the rules of PRODUCT.md §4, their refusals, stale-edit conflicts
//! and audit entries. Every test runs on SQLite and on PostgreSQL (`support::contract`).
//!
//! The reads are compared with the SQLite store the PostgreSQL subject was copied from (the
//! `twin`); on the SQLite run that is a second connection to the same file.

mod support;

use admin_portal::domain::{
    CameraSpec, Contact, CustomerProfile, Id, NewCustomer, NewUser, Operator, Permissions, Role,
    RoleType, UserCreation,
};
use admin_portal::store::inventory::CameraQuery;
use admin_portal::store::people::NewUserSpec;
use admin_portal::store::{OpenMode, Store, StoreError};
use support::contract::Subject;
use support::db::RawConn;
use support::fixture::HASH;

/// The demo's customers with their Owner, Admin, sometimes a Guard role, and users.
fn demo(store: &mut Store) {
    support::fixture::demo(store, 12, 80, 11);
}

fn twin(s: &Subject) -> Store {
    Store::open(&s.dir.path().join("s.db"), OpenMode::ReadOnly).expect("the seeded SQLite store")
}

/// The customers that have cameras, by id (the customer list is another stream's call).
fn customers(store: &Store) -> Vec<Id> {
    let all = store.camera_page(&CameraQuery::default(), 0, 1000).unwrap();
    let mut ids: Vec<Id> = all.iter().filter_map(|r| r.customer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn roles_and_users_read_the_same(s: &mut Subject) {
    let twin = twin(s);
    let customers = customers(&twin);
    assert!(customers.len() > 2);
    for id in customers {
        let roles = s.store.role_rows(id).unwrap();
        assert_eq!(roles, twin.role_rows(id).unwrap());
        assert_eq!(s.store.roles_of(id).unwrap(), twin.roles_of(id).unwrap());
        assert_eq!(roles[0].role.name, "Owner");
        assert_eq!(roles[1].role.name, "Admin");
        for row in &roles {
            let rid = row.role.id.expect("stored");
            assert_eq!(
                s.store.role(rid).unwrap(),
                Some((row.role.clone(), row.version))
            );
            assert_eq!(s.store.role_version(rid).unwrap(), Some(row.version));
            let reach = s.store.role_camera_reach(rid).unwrap();
            assert_eq!(reach, twin.role_camera_reach(rid).unwrap());
            let users = s.store.role_users(rid).unwrap();
            assert_eq!(users, twin.role_users(rid).unwrap());
            assert_eq!(users.len() as i64, row.users);
        }
        let users = s.store.user_rows(id).unwrap();
        assert_eq!(users, twin.user_rows(id).unwrap());
        assert_eq!(s.store.users_of(id).unwrap(), twin.users_of(id).unwrap());
        for row in &users {
            let user = &row.user;
            assert_eq!(s.store.user(user.id).unwrap().as_ref(), Some(user));
            let upper = user.email.to_ascii_uppercase();
            assert!(s.store.user_email_taken(&format!(" {upper} ")).unwrap());
        }
    }
    assert_eq!(s.store.role(999_999).unwrap(), None);
    assert_eq!(s.store.role_version(999_999).unwrap(), None);
    assert_eq!(s.store.user(999_999).unwrap(), None);
    assert!(!s.store.user_email_taken("nobody@example.com").unwrap());
}
contract!(roles_and_users_read_the_same, demo);

fn op() -> Operator {
    Operator {
        login: "ada".into(),
        client: Some("10.0.0.7".into()),
    }
}

fn camera(store: &mut Store, name: &str, n: u8) -> Id {
    let spec = CameraSpec {
        name: name.into(),
        mac: format!("AA:BB:CC:00:00:{n:02X}"),
        serial: format!("SN-{n:04}"),
        model: String::new(),
        location: String::new(),
    };
    store.add_camera(&spec, &op()).expect("camera")
}

fn guard_role(name: &str, cameras: Vec<Id>) -> Role {
    Role {
        id: None,
        name: name.into(),
        description: "Guards on the night shift".into(),
        system: None,
        role_type: RoleType::Guard,
        all_cameras: false,
        camera_ids: cameras,
        new_camera_refs: vec![],
        permissions: Permissions {
            ptz: true,
            ..Permissions::default()
        },
    }
}

fn customer(company: &str, cameras: Vec<Id>, users: Vec<NewUser>, guard: Role) -> NewCustomer {
    let mut new = NewCustomer {
        profile: CustomerProfile {
            contact: Contact {
                company: company.into(),
                ..Contact::default()
            },
            user_creation: UserCreation {
                confirm_email: true,
                change_password: false,
            },
            ..CustomerProfile::default()
        },
        camera_ids: cameras,
        roles: vec![Role::owner(), Role::admin(), guard],
        users,
        ..NewCustomer::default()
    };
    new.profile.contact.email = format!("office@{}.example.com", company.to_lowercase());
    new
}

fn user(first: &str, last: &str, domain: &str, roles: Vec<usize>) -> NewUser {
    NewUser {
        first_name: first.into(),
        last_name: last.into(),
        email: format!("{}@{domain}.example.com", first.to_lowercase()),
        roles,
    }
}

/// Acme: cameras Front door and Loading dock, roles Owner, Admin and Night guards (a Guard role
/// on Front door), users Jane (Owner), Bob (Admin), Carl (Night guards); a camera Spare in the
/// stock; Beta, with camera share disabled, its Zed the Owner.
fn acme(store: &mut Store) {
    let front = camera(store, "Front door", 1);
    let dock = camera(store, "Loading dock", 2);
    camera(store, "Spare", 3);
    let gate = camera(store, "Beta gate", 4);
    let users = vec![
        user("Jane", "Doe", "acme", vec![0]),
        user("Bob", "Martin", "acme", vec![1]),
        user("Carl", "Night", "acme", vec![2]),
    ];
    let new = customer(
        "Acme",
        vec![front, dock],
        users,
        guard_role("Night guards", vec![front]),
    );
    let hashes = vec![HASH.to_string(); new.users.len()];
    store.create_customer(&new, &hashes, &op()).expect("Acme");
    let users = vec![user("Zed", "Beta", "beta", vec![0])];
    let mut new = customer(
        "Beta",
        vec![gate],
        users,
        guard_role("Gate guards", vec![gate]),
    );
    new.profile.defaults.disable_camera_share = true;
    store
        .create_customer(&new, &[HASH.to_string()], &op())
        .expect("Beta");
}

/// The ids of the scene [`acme`] makes, read through the store.
struct Acme {
    id: Id,
    beta: Id,
    owner: Id,
    admin: Id,
    guards: Id,
    front: Id,
    spare: Id,
    jane: Id,
    bob: Id,
    carl: Id,
    zed: Id,
}

fn ids(s: &Subject) -> Acme {
    let all = s
        .store
        .camera_page(&CameraQuery::default(), 0, 100)
        .unwrap();
    let cam = |name: &str| all.iter().find(|r| r.name == name).expect(name).clone();
    let (front, spare, gate) = (cam("Front door"), cam("Spare"), cam("Beta gate"));
    let id = front.customer_id.expect("Acme");
    let beta = gate.customer_id.expect("Beta");
    let roles = s.store.roles_of(id).unwrap();
    let role = |name: &str| {
        roles
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.id)
            .expect(name)
    };
    let users = s.store.users_of(id).unwrap();
    let user = |first: &str| {
        users
            .iter()
            .find(|u| u.first_name == first)
            .expect(first)
            .id
    };
    Acme {
        id,
        beta,
        owner: role("Owner"),
        admin: role("Admin"),
        guards: role("Night guards"),
        front: front.id,
        spare: spare.id,
        jane: user("Jane"),
        bob: user("Bob"),
        carl: user("Carl"),
        zed: s.store.users_of(beta).unwrap()[0].id,
    }
}

/// The last `n` audit entries, newest first: (action, customer id, summary).
fn last_audit(s: &Subject, n: i64) -> Vec<(String, Option<Id>, String)> {
    let sql = format!("SELECT action, customer_id, summary FROM audit ORDER BY id DESC LIMIT {n}");
    if s.is_postgres() {
        let url = s.store.path().to_string_lossy().to_string();
        let db = url.rsplit('/').next().expect("a database name").to_string();
        let server = s.server.as_ref().expect("the server");
        let rows = server.superuser(&db).query(&sql, &[]).expect("audit");
        rows.iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    } else {
        let conn = s.store.raw_conn();
        let mut stmt = conn.prepare(&sql).expect("audit");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("audit")
            .map(|r| r.expect("row"))
            .collect()
    }
}

fn last(s: &Subject) -> (String, Option<Id>, String) {
    last_audit(s, 1).remove(0)
}

fn audit_len(s: &Subject) -> usize {
    last_audit(s, 1_000_000).len()
}

fn user_count(s: &Subject, customer: Id) -> i64 {
    let sql = format!("SELECT user_count FROM customers WHERE id = {customer}");
    if s.is_postgres() {
        let url = s.store.path().to_string_lossy().to_string();
        let db = url.rsplit('/').next().expect("a database name").to_string();
        let server = s.server.as_ref().expect("the server");
        server
            .superuser(&db)
            .query_one(&sql, &[])
            .expect("count")
            .get(0)
    } else {
        support::fixture::int(&s.store, &sql)
    }
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    let e = r.expect_err("refused");
    assert!(matches!(e, StoreError::Refused(_)), "{e:?}");
    e.to_string()
}

fn conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) -> String {
    let e = r.expect_err("a conflict");
    assert!(matches!(e, StoreError::Conflict(_)), "{e:?}");
    e.to_string()
}

fn roles_are_added_changed_and_deleted_with_their_rules(s: &mut Subject) {
    let a = ids(s);
    let patrol = s
        .store
        .add_role(a.id, &guard_role(" Patrol ", vec![a.front]), &op())
        .unwrap();
    let (role, version) = s.store.role(patrol).unwrap().expect("Patrol");
    assert_eq!(
        (role.name.as_str(), role.camera_ids.clone(), version),
        ("Patrol", vec![a.front], 1)
    );
    assert_eq!(
        last(s),
        ("role.create".into(), Some(a.id), "added role Patrol".into())
    );
    let before = audit_len(s);
    let m = refused(s.store.add_role(a.id, &guard_role("PATROL", vec![]), &op()));
    assert_eq!(m, "Role name: \"PATROL\" is already used by another role");
    let m = refused(s.store.add_role(a.id, &Role::owner(), &op()));
    assert_eq!(
        m,
        "Roles: system roles exist from the start and cannot be added"
    );
    let m = conflict(
        s.store
            .add_role(a.id, &guard_role("Spare", vec![a.spare]), &op()),
    );
    assert_eq!(m, "Cameras: Spare is no longer linked to this customer");
    let mut share = guard_role("Sharers", vec![]);
    share.permissions.share = true;
    let m = refused(s.store.add_role(a.beta, &share, &op()));
    assert_eq!(
        m,
        "Permissions: camera share is disabled for this customer, so Share cannot be granted"
    );
    let (owner, v) = s.store.role(a.owner).unwrap().unwrap();
    let m = refused(s.store.update_role(a.owner, v, &owner, &op()));
    assert_eq!(m, "Owner is a system role: it cannot be changed");
    let (mut admin, v) = s.store.role(a.admin).unwrap().unwrap();
    admin.name = "Boss".into();
    let m = refused(s.store.update_role(a.admin, v, &admin, &op()));
    assert_eq!(m, "Admin is a system role: it cannot be renamed");
    let m = refused(s.store.delete_role(a.owner, v, &op()));
    assert_eq!(m, "Owner is a system role: it cannot be deleted");
    assert_eq!(audit_len(s), before, "refused writes leave nothing");

    // An edit at the version read; again from that version is stale.
    let mut edit = role.clone();
    edit.all_cameras = true;
    s.store.update_role(patrol, 1, &edit, &op()).unwrap();
    let (saved, v) = s.store.role(patrol).unwrap().unwrap();
    assert_eq!((saved.all_cameras, v), (true, 2));
    assert_eq!(s.store.role_camera_reach(patrol).unwrap().len(), 2);
    assert_eq!(last(s).2, "changed role Patrol");
    let m = conflict(s.store.update_role(patrol, 1, &edit, &op()));
    assert_eq!(
        m,
        "Role Patrol was changed by another operator; look at it again and retry"
    );
    // Carl holds Night guards; giving him Patrol and then making Patrol an Admin role mixes.
    s.store.set_role_users(patrol, &[a.carl], &op()).unwrap();
    let mut retype = saved.clone();
    retype.role_type = RoleType::Admin;
    let m = refused(s.store.update_role(patrol, 2, &retype, &op()));
    assert_eq!(m, "Role type: 1 user of this role also holds Guard roles");
    let carl = s.store.user(a.carl).unwrap().unwrap();
    let lost = s.store.delete_role(patrol, 2, &op()).unwrap();
    assert_eq!(lost.iter().map(|u| u.id).collect::<Vec<_>>(), vec![a.carl]);
    assert_eq!(
        s.store.user(a.carl).unwrap().unwrap().version,
        carl.version + 1
    );
    assert_eq!(
        last(s).2,
        "deleted role Patrol; Carl Night (carl@acme.example.com) lost it"
    );
    assert_eq!(s.store.role(patrol).unwrap(), None);
    let m = conflict(s.store.delete_role(patrol, 2, &op()));
    assert_eq!(
        m,
        format!("Role #{patrol} no longer exists: another operator deleted it")
    );
}
contract!(roles_are_added_changed_and_deleted_with_their_rules, acme);

fn spec(first: &str, email: &str, roles: Vec<Id>) -> NewUserSpec {
    NewUserSpec {
        first_name: first.into(),
        last_name: "Newman".into(),
        email: email.into(),
        role_ids: roles,
    }
}

fn users_are_added_with_unique_emails_and_one_role_type(s: &mut Subject) {
    let a = ids(s);
    let count = user_count(s, a.id);
    let before = audit_len(s);
    let m = refused(s.store.add_user(
        a.id,
        &spec("Dan", "ZED@beta.example.com", vec![a.admin]),
        HASH,
        &op(),
    ));
    assert_eq!(
        m,
        "Email: ZED@beta.example.com is already used by another user"
    );
    let m = refused(s.store.add_user(
        a.id,
        &spec("Dan", "dan@acme.example.com", vec![a.admin]),
        "plain",
        &op(),
    ));
    assert_eq!(m, "Password: only Argon2id hashes are stored");
    let both = vec![a.admin, a.guards];
    let m = refused(s.store.add_user(
        a.id,
        &spec("Dan", "dan@acme.example.com", both),
        HASH,
        &op(),
    ));
    assert_eq!(
        m,
        "Roles: a user's roles must all be of one type (Admin or Guard)"
    );
    let m = refused(s.store.add_user(
        a.id,
        &spec("Dan", "dan@acme.example.com", vec![]),
        HASH,
        &op(),
    ));
    assert_eq!(m, "Roles: choose at least one role");
    let m = conflict(s.store.add_user(
        a.id,
        &spec("Dan", "dan@acme.example.com", vec![999_999]),
        HASH,
        &op(),
    ));
    assert_eq!(
        m,
        "Roles: role #999999 no longer exists: another operator deleted it"
    );
    assert_eq!((audit_len(s), user_count(s, a.id)), (before, count));

    let dan = s
        .store
        .add_user(
            a.id,
            &spec(" Dan ", "dan@acme.example.com", vec![a.admin, a.admin]),
            HASH,
            &op(),
        )
        .unwrap();
    let user = s.store.user(dan).unwrap().expect("Dan");
    assert_eq!(user.first_name, "Dan");
    assert_eq!(user.role_ids, vec![a.admin]);
    assert_eq!(
        (
            user.must_confirm_email,
            user.must_change_password,
            user.active
        ),
        (true, false, true)
    );
    assert_eq!(user_count(s, a.id), count + 1);
    assert_eq!(
        last(s),
        (
            "user.create".into(),
            Some(a.id),
            "added user Dan Newman <dan@acme.example.com>".into()
        )
    );
    let rows = s.store.user_rows(a.id).unwrap();
    assert!(rows.iter().any(|r| r.user.id == dan && !r.blocked));

    // Edits at the version read: the email again free of others, case aside.
    let m = refused(s.store.update_user(
        dan,
        1,
        &spec("Dan", "Bob@Acme.example.com", vec![a.admin]),
        &op(),
    ));
    assert_eq!(
        m,
        "Email: Bob@Acme.example.com is already used by another user"
    );
    s.store
        .update_user(
            dan,
            1,
            &spec("Dan", "DAN@acme.example.com", vec![a.guards]),
            &op(),
        )
        .unwrap();
    let user = s.store.user(dan).unwrap().unwrap();
    assert_eq!(
        (user.email.as_str(), user.role_ids.clone(), user.version),
        ("DAN@acme.example.com", vec![a.guards], 2)
    );
    assert_eq!(last(s).2, "changed user DAN@acme.example.com");
    let m = conflict(s.store.update_user(
        dan,
        1,
        &spec("Dan", "dan@acme.example.com", vec![a.guards]),
        &op(),
    ));
    assert_eq!(
        m,
        "User DAN@acme.example.com was changed by another operator; look at it again and retry"
    );
    s.store.reset_password(dan, 2, HASH, &op()).unwrap();
    assert_eq!(last(s).2, "reset the password of DAN@acme.example.com");
    s.store.set_user_active(dan, 3, false, &op()).unwrap();
    assert!(!s.store.user(dan).unwrap().unwrap().active);
    assert_eq!(last(s).0, "user.deactivate");
    s.store.remove_user(dan, 4, &op()).unwrap();
    assert_eq!(s.store.user(dan).unwrap(), None);
    assert_eq!(user_count(s, a.id), count);
    assert_eq!(last(s).2, "removed user Dan Newman (DAN@acme.example.com)");
    let m = conflict(s.store.remove_user(dan, 4, &op()));
    assert_eq!(
        m,
        format!("User #{dan} no longer exists: another operator removed it")
    );
}
contract!(users_are_added_with_unique_emails_and_one_role_type, acme);

fn the_last_owner_stays_and_role_holders_are_set_as_a_whole(s: &mut Subject) {
    let a = ids(s);
    let jane = s.store.user(a.jane).unwrap().unwrap();
    let last_owner = "Users: Jane Doe (jane@acme.example.com) is the last Owner";
    assert_eq!(
        refused(s.store.remove_user(a.jane, jane.version, &op())),
        last_owner
    );
    assert_eq!(
        refused(s.store.set_user_active(a.jane, jane.version, false, &op())),
        last_owner
    );
    let admin_only = spec("Jane", "jane@acme.example.com", vec![a.admin]);
    assert_eq!(
        refused(
            s.store
                .update_user(a.jane, jane.version, &admin_only, &op())
        ),
        last_owner
    );
    assert_eq!(
        refused(s.store.set_role_users(a.owner, &[], &op())),
        last_owner
    );
    let m = refused(s.store.set_role_users(a.owner, &[a.jane, a.carl], &op()));
    assert_eq!(
        m,
        "Users: Carl Night (carl@acme.example.com) holds Guard roles; a user's roles must all be of one type"
    );
    let m = conflict(s.store.set_role_users(a.owner, &[a.jane, a.zed], &op()));
    assert_eq!(
        m,
        format!(
            "Users: user #{} no longer exists: another operator removed it",
            a.zed
        )
    );
    // Owner passes from Jane to Bob: given to him first (the last Owner is one holding it now).
    let bob = s.store.user(a.bob).unwrap().unwrap();
    assert_eq!(
        refused(s.store.set_role_users(a.owner, &[a.bob], &op())),
        last_owner
    );
    s.store
        .set_role_users(a.owner, &[a.jane, a.bob], &op())
        .unwrap();
    assert_eq!(
        last(s).2,
        "role Owner: gave it to Bob Martin (bob@acme.example.com)"
    );
    s.store.set_role_users(a.owner, &[a.bob], &op()).unwrap();
    assert_eq!(
        s.store
            .role_users(a.owner)
            .unwrap()
            .iter()
            .map(|u| u.id)
            .collect::<Vec<_>>(),
        vec![a.bob]
    );
    assert_eq!(
        s.store.user(a.bob).unwrap().unwrap().version,
        bob.version + 1
    );
    assert_eq!(
        last(s).2,
        "role Owner: took it from Jane Doe (jane@acme.example.com)"
    );
    let n = audit_len(s);
    s.store.set_role_users(a.owner, &[a.bob], &op()).unwrap();
    assert_eq!(audit_len(s), n, "no change, no entry");
}
contract!(
    the_last_owner_stays_and_role_holders_are_set_as_a_whole,
    acme
);

fn a_save_over_another_operators_change_is_refused(s: &mut Subject) {
    let a = ids(s);
    let mut other = s.other();
    let carl = s.store.user(a.carl).unwrap().unwrap();
    let (guards, v) = s.store.role(a.guards).unwrap().unwrap();
    other
        .update_user(
            a.carl,
            carl.version,
            &spec("Carlos", "carl@acme.example.com", vec![a.guards]),
            &op(),
        )
        .unwrap();
    let mut desc = guards.clone();
    desc.description = "Theirs".into();
    other.update_role(a.guards, v, &desc, &op()).unwrap();
    let n = audit_len(s);
    let m = conflict(s.store.update_user(
        a.carl,
        carl.version,
        &spec("Carl", "carl@acme.example.com", vec![a.guards]),
        &op(),
    ));
    assert_eq!(
        m,
        "User carl@acme.example.com was changed by another operator; look at it again and retry"
    );
    let m = conflict(s.store.reset_password(a.carl, carl.version, HASH, &op()));
    assert!(
        m.starts_with("User carl@acme.example.com was changed"),
        "{m}"
    );
    let m = conflict(s.store.update_role(a.guards, v, &guards, &op()));
    assert_eq!(
        m,
        "Role Night guards was changed by another operator; look at it again and retry"
    );
    assert_eq!(audit_len(s), n);
    assert_eq!(s.store.user(a.carl).unwrap().unwrap().first_name, "Carlos");
    assert_eq!(
        s.store.role(a.guards).unwrap().unwrap().0.description,
        "Theirs"
    );
}
contract!(a_save_over_another_operators_change_is_refused, acme);
