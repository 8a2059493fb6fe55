//! The contract suite, roles and users of a customer: the reads of the Roles and Users sub-tabs
//! and their writes (add, change, delete a role, who holds it; add, change, deactivate, remove a
//! user, reset a password) with the rules of PRODUCT.md §4, their refusals, stale-edit conflicts
//! and audit entries. Every test runs on SQLite and on PostgreSQL (`support::contract`).
//!
//! The reads are compared with the SQLite store the PostgreSQL subject was copied from (the
//! `twin`); on the SQLite run that is a second connection to the same file.

mod support;

use admin_portal::domain::Id;
use admin_portal::store::inventory::CameraQuery;
use admin_portal::store::{OpenMode, Store};
use support::contract::Subject;

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
