//! Operator flows that several end-to-end tests drive the same way, whatever the store under
//! the portal (SQLite in `tests/e2e.rs`, PostgreSQL in `tests/e2e_pg.rs`).

use super::pty::{Key, Pty};
use super::pty::{expect, expect_gone, type_field};

pub const COMPANY: &str = "Quai Bakery Paris";
pub const BILLING_STREET: &str = "8 Avenue Foch";
pub const BILLING_CITY: &str = "Lyon";
pub const BILLING_POSTAL: &str = "69006";
pub const GUARD_EMAIL: &str = "marc.petit@quai-bakery.fr";
pub const NEW_CAMERA: &str = "Oven room";
pub const NEW_MAC: &str = "02:1a:2b:3c:4d:5e";

/// Types into a choice list (which opens and filters), waits for `shown` in the list, picks it.
#[track_caller]
pub fn choose(pty: &Pty, filter: &str, shown: &str) {
    pty.send(filter);
    expect(pty, shown);
    pty.send_key(Key::Enter);
}

/// Moves to the next step and waits for its heading.
#[track_caller]
pub fn next_step(pty: &Pty, heading: &str) {
    pty.send_key(Key::Ctrl('n'));
    expect(pty, heading);
}

/// Steps 1 and 2, filled; ends on step 2 with everything typed.
pub fn fill_type_and_contact(pty: &Pty, parent: &str) {
    pty.send("a");
    expect(pty, "step 1 of 8");
    // Customer Type: Customer, picked in its list; then Parent, found by typing.
    choose(pty, "Cust", "Customer");
    pty.send_key(Key::Tab);
    let filter: String = parent.chars().take(6).collect();
    choose(pty, &filter, parent);
    expect(pty, parent);
    next_step(pty, "step 2 of 8");
    for text in [
        COMPANY,
        "Claire",
        "Moreau",
        "claire.moreau@quai-bakery.fr",
        "+33 1 42 68 53 00",
        "12 Rue de Rivoli",
    ] {
        type_field(pty, text);
        pty.send_key(Key::Tab);
    }
    // Address line 2 stays empty.
    pty.send_key(Key::Tab);
    for text in ["Paris", "Ile-de-France", "75004"] {
        type_field(pty, text);
        pty.send_key(Key::Tab);
    }
    choose(pty, "France", "France");
    pty.send_key(Key::Tab);
    choose(pty, "Europe/Paris", "Europe/Paris");
    expect(pty, "Europe/Paris");
}

/// Step 5 reached from step 2, "same as company" unticked and a billing address of its own.
pub fn fill_billing(pty: &Pty) {
    next_step(pty, "step 3 of 8");
    next_step(pty, "step 4 of 8");
    next_step(pty, "step 5 of 8");
    // The checkbox has focus: Space unticks it and copies the company address for editing.
    pty.send(" ");
    pty.send_key(Key::Tab);
    pty.send_key(Key::Ctrl('u'));
    type_field(pty, BILLING_STREET);
    pty.send_keys(&[Key::Tab, Key::Tab]);
    pty.send_key(Key::Ctrl('u'));
    type_field(pty, BILLING_CITY);
    pty.send_keys(&[Key::Tab, Key::Tab]);
    pty.send_key(Key::Ctrl('u'));
    type_field(pty, BILLING_POSTAL);
}

/// The add-customer wizard from the list to its review (step 8), as an operator fills it: a
/// customer under `parent`, a billing address of its own, three cameras of the inventory and
/// one registered on the spot, a Guard role on two cameras with Share and PTZ, a user in it.
pub fn wizard_to_review(pty: &Pty, parent: &str) {
    fill_type_and_contact(pty, parent);
    fill_billing(pty);

    // Step 6: three cameras of the inventory and one registered here.
    next_step(pty, "Link cameras");
    pty.send(" ");
    pty.send_key(Key::Down);
    pty.send(" ");
    pty.send_key(Key::Down);
    pty.send(" ");
    expect(pty, "3 cameras picked");
    pty.send("n");
    expect(pty, "MAC");
    for (text, last) in [
        (NEW_CAMERA, false),
        (NEW_MAC, false),
        ("SN-QB-0001", false),
        ("Q-6085", false),
        ("Kitchen", true),
    ] {
        type_field(pty, text);
        pty.send_key(Key::Enter);
        if last {
            expect(pty, "4 cameras picked");
        }
    }

    // Step 7: a Guard role on two of the cameras with Share and PTZ, and a second user.
    next_step(pty, "Roles and users");
    pty.send("n");
    expect(pty, "New role");
    type_field(pty, "Guard");
    pty.send_key(Key::Tab);
    type_field(pty, "Night shift");
    // Role type is Guard by default; untick "all cameras", tick the first two.
    pty.send_keys(&[Key::Tab, Key::Tab]);
    pty.send(" ");
    pty.send_key(Key::Tab);
    pty.send(" ");
    pty.send_key(Key::Tab);
    pty.send(" ");
    // Past the other two cameras to Share, then PTZ.
    pty.send_keys(&[Key::Tab, Key::Tab, Key::Tab]);
    pty.send(" ");
    pty.send_key(Key::Tab);
    pty.send(" ");
    pty.send_key(Key::Ctrl('s'));
    expect_gone(pty, "New role");
    expect(pty, "Guard 2 cameras");
    assert!(
        pty.screen().contains("View, Share, PTZ\n") || pty.screen().contains("View, Share, PTZ ")
    );
    // The users panel: a user holding the Guard role.
    pty.send_key(Key::Tab);
    pty.send("n");
    expect(pty, "New user");
    type_field(pty, "Marc");
    pty.send_key(Key::Tab);
    type_field(pty, "Petit");
    pty.send_key(Key::Tab);
    type_field(pty, GUARD_EMAIL);
    pty.send_keys(&[Key::Tab, Key::Tab, Key::Tab]);
    pty.send(" ");
    pty.send_key(Key::Ctrl('s'));
    expect_gone(pty, "New user");
    expect(pty, "Marc Petit");
}
