//! End to end, issue 4: the real binary in a pseudo-terminal over a small `demo` store, driven key
//! by key as an operator would, then the store file checked with the library.
//!
//! Register two cameras in the Cameras tab, link both to one customer, create a Guard role with
//! one of them, add a user holding it, disable the customer (its cameras show not recording),
//! enable it (recording again), delete it by typing `Delete`, restore it from the Audit Log and
//! find its role (with its one camera) and its user again.

mod support;

use std::path::Path;
use std::time::Duration;

use admin_portal::domain::RoleType;
use support::app::{demo_store, open, spawn_app};
use support::db::RawConn;
use support::pty::{Key, Pty};
use support::pty::{expect, type_field};
use support::pty::{expect_gone, expect_screen, expect_within};

/// Argon2id of the new user's password, unoptimised on a busy machine.
const HASHING: Duration = Duration::from_secs(20);

const NORTH: &str = "E2E Gate North";
const SOUTH: &str = "E2E Gate South";
const NORTH_MAC: &str = "02:e2:e0:00:00:01";
const SOUTH_MAC: &str = "02:e2:e0:00:00:02";
const GUARD_EMAIL: &str = "marc.petit@e2e-portal.fr";

/// The screen row that shows `needle`, if any.
fn line_with(screen: &str, needle: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .map(str::to_owned)
}

/// A customer of the demo store that can be deleted and has no camera yet: (id, name).
fn plain_customer(db: &Path) -> (i64, String) {
    open(db)
        .raw_conn()
        .query_row(
            "SELECT c.id, c.name FROM customers c
             WHERE c.kind = 'customer'
               AND NOT EXISTS (SELECT 1 FROM cameras m WHERE m.customer_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM customers k WHERE k.parent_id = c.id)
             ORDER BY c.name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the demo store has a customer without cameras")
}

/// Registers a camera in the Cameras tab with `a` and its form.
#[track_caller]
fn register_camera(pty: &Pty, name: &str, mac: &str, serial: &str, location: &str) {
    pty.send("a");
    expect(pty, "Register a camera");
    for (text, last) in [
        (name, false),
        (mac, false),
        (serial, false),
        ("P-3265-LVE", false),
        (location, true),
    ] {
        type_field(pty, text);
        if !last {
            pty.send_key(Key::Tab);
        }
    }
    pty.send_key(Key::Ctrl('s'));
    expect(pty, &format!("Camera {name} ("));
    expect_gone(pty, "Register a camera");
}

/// Selects the camera `name` in the Cameras tab by filtering on it, then links it with `L` to
/// the customer found by typing `filter` in the pick list.
#[track_caller]
fn link_camera(pty: &Pty, name: &str, filter: &str, customer: &str) {
    // Clear a previous filter, then filter on this camera's name.
    pty.send("/");
    expect(pty, "filter: /");
    pty.send_key(Key::Esc);
    expect_gone(pty, "filter: /");
    pty.send("/");
    expect(pty, "filter: /");
    type_field(pty, name);
    pty.send_key(Key::Enter);
    expect(pty, " 1 of 1 ");
    pty.send("L");
    expect(pty, &format!("Link camera {name} to"));
    pty.send(filter);
    expect_screen(pty, "the customer alone in the pick list", |s| {
        s.contains("1 shown") && s.contains(customer)
    });
    pty.send_key(Key::Enter);
    expect(pty, &format!("Camera {name} linked to {customer}"));
    let screen = pty.screen();
    let row = line_with(&screen, NORTH_MAC.to_uppercase().as_str())
        .or_else(|| line_with(&screen, SOUTH_MAC.to_uppercase().as_str()))
        .unwrap_or_default();
    assert!(row.contains(filter), "{name} not shown linked:\n{screen}");
}

/// The rows of the customer's Cameras sub-tab that show one of our two cameras.
fn camera_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.contains(&NORTH_MAC.to_uppercase()) || l.contains(&SOUTH_MAC.to_uppercase()))
        .map(str::to_owned)
        .collect()
}

#[test]
fn cameras_role_user_disable_enable_delete_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_store(dir.path(), 6, 8, 4);
    let (customer_id, customer) = plain_customer(&db);
    // Enough of the name to leave it alone in the pick list and the Customers filter.
    let filter: String = customer.chars().take(12).collect();

    let mut pty = spawn_app(dir.path(), &db, 120, 36);
    expect(&pty, "1 of 6");

    // --- Cameras tab: register two cameras and link both to the customer ---------------------
    pty.send("2");
    expect(&pty, "Cameras  1 of 8");
    register_camera(&pty, NORTH, NORTH_MAC, "SN-E2E-0001", "North gate");
    expect(&pty, "of 9");
    register_camera(&pty, SOUTH, SOUTH_MAC, "SN-E2E-0002", "South gate");
    expect(&pty, "of 10");
    // MAC addresses are stored and shown normalised.
    expect(&pty, &NORTH_MAC.to_uppercase());
    link_camera(&pty, NORTH, &filter, &customer);
    link_camera(&pty, SOUTH, &filter, &customer);

    // --- Customers: open the customer; its Cameras sub-tab shows both --------------------------
    pty.send("1");
    expect(&pty, "Customers");
    pty.send("/");
    expect(&pty, "filter: /");
    type_field(&pty, &filter);
    pty.send_key(Key::Enter);
    expect(&pty, " 1 of 1 ");
    pty.send_key(Key::Enter);
    expect(&pty, "Customer Status");
    expect(&pty, &format!("{customer}  [Active]"));

    pty.send_key(Key::Right);
    expect(&pty, "2 cameras linked");
    let rows = camera_rows(&pty.screen());
    assert_eq!(rows.len(), 2, "both cameras listed:\n{}", pty.screen());
    assert!(rows.iter().all(|r| r.contains("Recording")), "{rows:#?}");

    // --- Roles: a Guard role on one of the two cameras ------------------------------------------
    pty.send_key(Key::Right);
    expect(&pty, "assign users");
    pty.send("a");
    expect(&pty, "New role");
    type_field(&pty, "Guard");
    pty.send_key(Key::Tab);
    type_field(&pty, "Night shift");
    // Description -> Role type (Guard by default) -> "Add all cameras": untick it.
    pty.send_keys(&[Key::Tab, Key::Tab]);
    pty.send(" ");
    expect(&pty, "[ ] Add all cameras to the role");
    // The first camera of the list: tick it.
    pty.send_key(Key::Tab);
    pty.send(" ");
    expect_screen(&pty, "one camera ticked", |s| {
        s.matches("[x] E2E Gate").count() == 1 && s.contains("[ ] E2E Gate")
    });
    let screen = pty.screen();
    let chosen = if line_with(&screen, &format!("[x] {NORTH}")).is_some() {
        NORTH
    } else {
        SOUTH
    };
    assert!(
        screen.contains("(•) Guard"),
        "Guard is the role type:\n{screen}"
    );
    pty.send_key(Key::Ctrl('s'));
    expect(&pty, "Role Guard added");
    expect_gone(&pty, "New role");
    let screen = pty.screen();
    let guard_row = screen
        .lines()
        .find(|l| l.contains("Guard") && l.contains("Custom"))
        .unwrap_or_else(|| panic!("no Guard row:\n{screen}"));
    let cells: Vec<&str> = guard_row.split_whitespace().collect();
    assert!(
        cells.windows(3).any(|w| w == ["Guard", "Guard", "1"]),
        "Guard, type Guard, 1 camera: {guard_row:?}"
    );

    // --- Users: a user holding the Guard role ---------------------------------------------------
    pty.send_key(Key::Right);
    expect(&pty, "reset password");
    pty.send("a");
    expect(&pty, "New user");
    type_field(&pty, "Marc");
    pty.send_key(Key::Tab);
    type_field(&pty, "Petit");
    pty.send_key(Key::Tab);
    type_field(&pty, GUARD_EMAIL);
    // Roles are listed Owner, Admin, then the custom ones: Tab to Guard and tick it.
    pty.send_keys(&[Key::Tab, Key::Tab, Key::Tab]);
    pty.send(" ");
    expect(&pty, "[x] Guard (Guard)");
    let screen = pty.screen();
    assert_eq!(
        screen.matches("[x] ").count(),
        1,
        "only Guard is ticked:\n{screen}"
    );
    pty.send_key(Key::Ctrl('s'));
    expect_within(&pty, "User added", HASHING);
    expect(&pty, "Temporary password of");
    expect(&pty, "Shown only this once");
    pty.send_key(Key::Enter);
    expect_gone(&pty, "Temporary password of");
    expect(&pty, "Marc Petit");
    let screen = pty.screen();
    let user_row = line_with(&screen, "Marc Petit").unwrap_or_default();
    assert!(user_row.contains("Guard"), "holds Guard: {user_row:?}");

    // --- Account Profile: disable, the cameras stop recording -----------------------------------
    pty.send_keys(&[Key::Left, Key::Left, Key::Left]);
    expect(&pty, "Customer Status");
    pty.send("S");
    expect(&pty, "Disable customer");
    expect(&pty, "2 cameras stop");
    pty.send("y");
    expect(&pty, &format!("{customer}  [Disabled]"));
    expect(&pty, "2 cameras stopped recording");
    pty.send_key(Key::Right);
    expect(&pty, "2 cameras linked");
    let rows = camera_rows(&pty.screen());
    assert_eq!(rows.len(), 2, "{}", pty.screen());
    assert!(
        rows.iter()
            .all(|r| r.contains("Stopped") && !r.contains("Recording")),
        "cameras of a disabled customer do not record: {rows:#?}"
    );
    // The inventory says so too (its filter cleared to show both).
    pty.send("2");
    pty.send("/");
    expect(&pty, "filter: /");
    pty.send_key(Key::Esc);
    expect_screen(&pty, "both cameras off in the inventory", |s| {
        let rows = camera_rows(s);
        rows.len() == 2 && rows.iter().all(|r| r.contains("○ off"))
    });
    // 1 lands on the customer list (still filtered to this customer), not on its view.
    pty.send("1");
    expect_gone(&pty, "Customer Status");
    expect(&pty, " 1 of 1 ");
    pty.send_key(Key::Enter);
    expect(&pty, &format!("{customer}  [Disabled]"));
    pty.send_key(Key::Right);
    expect(&pty, "2 cameras linked");

    // --- enable: recording again ----------------------------------------------------------------
    pty.send_key(Key::Left);
    expect(&pty, "Customer Status");
    pty.send("S");
    expect(&pty, "Enable customer");
    pty.send("y");
    expect(&pty, &format!("{customer}  [Active]"));
    expect(&pty, "recording again");
    pty.send_key(Key::Right);
    expect(&pty, "2 cameras linked");
    let rows = camera_rows(&pty.screen());
    assert_eq!(rows.len(), 2, "{}", pty.screen());
    assert!(
        rows.iter()
            .all(|r| r.contains("Recording") && !r.contains("Stopped")),
        "recording again: {rows:#?}"
    );

    // --- delete by typing Delete ----------------------------------------------------------------
    pty.send_key(Key::Left);
    expect(&pty, "Customer Status");
    pty.send("D");
    expect(&pty, &format!("Delete {customer}?"));
    type_field(&pty, "Delete");
    pty.send_key(Key::Enter);
    expect(&pty, &format!("Deleted {customer}"));
    // Back on the list, still filtered on its name: nothing left.
    expect(&pty, " 0 of 0 ");
    expect_gone(&pty, "Customer Status");
    {
        let store = open(&db);
        assert!(store.customer(customer_id).unwrap().is_none(), "deleted");
        let unlinked = store.unlinked_cameras("E2E Gate", 10).unwrap();
        assert_eq!(unlinked.len(), 2, "both cameras back in the inventory");
    }

    // --- Audit Log: restore from the customer.delete entry --------------------------------------
    pty.send("4");
    expect(&pty, "Audit");
    pty.send("/");
    expect(&pty, "Filter the audit log");
    type_field(&pty, "customer.delete");
    pty.send_key(Key::Enter);
    expect_gone(&pty, "Filter the audit log");
    expect_screen(&pty, "the delete entry listed", |s| {
        s.lines()
            .any(|l| l.contains("customer.delete") && l.contains(&filter))
    });
    pty.send("R");
    expect(&pty, "Restore customer");
    expect(&pty, &format!("Restore {customer}?"));
    pty.send("y");
    expect(&pty, &format!("Restored {customer} with 2 cameras"));

    // --- the customer is back with its role, camera and user ------------------------------------
    pty.send("1");
    expect(&pty, " 1 of 1 ");
    expect(&pty, &customer);
    pty.send_key(Key::Enter);
    expect(&pty, "Customer Status");
    expect(&pty, &format!("{customer}  [Active]"));
    pty.send_key(Key::Right);
    expect(&pty, "2 cameras linked");
    pty.send_key(Key::Right);
    expect(&pty, "assign users");
    let screen = pty.screen();
    let guard_row = screen
        .lines()
        .find(|l| l.contains("Guard") && l.contains("Custom"))
        .unwrap_or_else(|| panic!("the Guard role is back:\n{screen}"));
    let cells: Vec<&str> = guard_row.split_whitespace().collect();
    assert!(
        cells.windows(3).any(|w| w == ["Guard", "Guard", "1"]),
        "Guard with its one camera: {guard_row:?}"
    );
    pty.send_key(Key::Right);
    expect(&pty, "Marc Petit");
    let user_row = line_with(&pty.screen(), "Marc Petit").unwrap_or_default();
    assert!(user_row.contains(GUARD_EMAIL), "{user_row:?}");
    assert!(user_row.contains("Guard"), "{user_row:?}");

    pty.send_key(Key::Esc);
    expect(&pty, " 1 of 1 ");
    pty.send("q");
    assert_eq!(pty.exit_code(None), Ok(0));

    check_store(&db, customer_id, &customer, chosen);
}

/// The store after the run: the restored customer with its cameras linked and recording, the
/// Guard role on exactly the chosen camera, the user holding it, and every step audited.
fn check_store(db: &Path, id: i64, name: &str, chosen: &str) {
    let store = open(db);
    assert!(store.integrity_problems().unwrap().is_empty());
    let customer = store
        .customer(id)
        .unwrap()
        .expect("restored under its own id");
    assert_eq!(customer.name(), name);

    let cameras = store.cameras_of(id).unwrap();
    let mut names: Vec<&str> = cameras.iter().map(|c| c.spec.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, [NORTH, SOUTH]);
    assert!(cameras.iter().all(|c| c.recording), "{cameras:#?}");
    let macs: Vec<&str> = cameras.iter().map(|c| c.spec.mac.as_str()).collect();
    assert!(macs.contains(&"02:E2:E0:00:00:01"), "{macs:?}");
    let chosen_id = cameras
        .iter()
        .find(|c| c.spec.name == chosen)
        .map(|c| c.id)
        .unwrap();

    let roles = store.roles_of(id).unwrap();
    let guard = roles
        .iter()
        .find(|r| r.name == "Guard")
        .unwrap_or_else(|| panic!("no Guard role: {roles:#?}"));
    assert_eq!(guard.role_type, RoleType::Guard);
    assert!(!guard.all_cameras);
    assert_eq!(guard.camera_ids, [chosen_id]);
    assert_eq!(guard.description, "Night shift");

    let users = store.users_of(id).unwrap();
    let marc = users
        .iter()
        .find(|u| u.email == GUARD_EMAIL)
        .unwrap_or_else(|| panic!("no user {GUARD_EMAIL}: {users:#?}"));
    assert_eq!(
        (marc.first_name.as_str(), marc.last_name.as_str()),
        ("Marc", "Petit")
    );
    assert_eq!(marc.role_ids, [guard.id.unwrap()]);
    assert!(marc.active);
    let hash: String = store
        .raw_conn()
        .query_row(
            "SELECT password_hash FROM users WHERE id = ?1",
            [marc.id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "kept as a hash: {hash}");

    let actions: Vec<String> = store
        .raw_conn()
        .prepare("SELECT action FROM audit WHERE customer_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([id], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for action in [
        "camera.link",
        "role.create",
        "user.create",
        "customer.disable",
        "customer.enable",
        "customer.delete",
        "customer.restore",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} not audited: {actions:?}"
        );
    }
}
