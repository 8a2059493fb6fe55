//! The customer profile form and the Account Profile editor over a temporary store: what they
//! draw (snapshots at 100x30 and 80x24) and what their keys do.

mod support;

use admin_portal::action::KeyContext;
use admin_portal::app::{Effect, press as hand};
use admin_portal::domain::validate::field;
use admin_portal::domain::{
    Address, Billing, Contact, CustomerProfile, CustomerType, Id, NewCustomer, Operator, Role,
};
use admin_portal::keymap::Keymap;
use admin_portal::theme::COLOR;
use admin_portal::ui::component::Component;
use admin_portal::ui::customer::edit::ProfileEdit;
use admin_portal::ui::profile_form::{Lookups, ProfileForm, Section, key};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use support::fixture::*;

const FIXED_TIME: &str = "2024-05-01T09:30:00Z";

impl Env {
    fn plan(&self, name: &str, cents: i64) -> Id {
        self.plan_row(name, cents, FIXED_TIME)
    }

    fn create(&mut self, profile: CustomerProfile) -> Id {
        let new = NewCustomer {
            profile,
            roles: vec![Role::owner(), Role::admin()],
            ..NewCustomer::default()
        };
        let op = self.operator.clone();
        self.store
            .create_customer(&new, &[], &op)
            .expect("create")
            .id
    }

    fn lookups(&self) -> Lookups {
        Lookups::load(&self.store).expect("lookups")
    }
}

fn filled() -> CustomerProfile {
    CustomerProfile {
        kind: CustomerType::Customer,
        parent_id: None,
        contact: Contact {
            company: "Acme Security".into(),
            first_name: "Jane".into(),
            last_name: "Doe".into(),
            email: "jane@acme.example.com".into(),
            phone: "+1 555 0100".into(),
            address: Address {
                line1: "1 Main Street".into(),
                line2: "Suite 4".into(),
                city: "Springfield".into(),
                state: "IL".into(),
                postal_code: "62701".into(),
                country: "US".into(),
            },
            time_zone: "America/Chicago".into(),
            reference: "ACME-01".into(),
            notes: "Gate code 1234".into(),
        },
        billing: Billing {
            contact: "Accounts payable".into(),
            email: "ap@acme.example.com".into(),
            tax_id: "US-12-3456789".into(),
            ..Billing::default()
        },
        ..CustomerProfile::default()
    }
}

/// A key of the form's Form context, as the customer editor hands it over.
trait FormKeys {
    fn press(&mut self, section: Section, key: &KeyEvent, keymap: &Keymap) -> Effect;
}

impl FormKeys for ProfileForm {
    fn press(&mut self, section: Section, key: &KeyEvent, keymap: &Keymap) -> Effect {
        let action = keymap.lookup(KeyContext::Form, key);
        self.handle_action(section, key, action)
    }
}

fn draw_form(form: &mut ProfileForm, section: Section, width: u16, height: u16) -> String {
    render_text(width, height, |frame| {
        form.render(section, frame, frame.area(), &COLOR)
    })
}

fn draw_edit(edit: &mut ProfileEdit, width: u16, height: u16) -> String {
    render_text(width, height, |frame| {
        edit.render(frame, frame.area(), &COLOR, &Keymap::default())
    })
}

/// A form in the state named, with errors shown where the section can have them.
fn form_in_state(fx: &Env, section: Section, state: &str) -> ProfileForm {
    let lookups = fx.lookups();
    let mut form = match state {
        "empty" => ProfileForm::new(&CustomerProfile::default(), &lookups),
        "filled" => {
            let mut profile = filled();
            profile.defaults.default_plan_id = lookups.plans.first().map(|p| p.id);
            profile.defaults.disable_camera_share = true;
            profile.user_creation.change_password = false;
            ProfileForm::new(&profile, &lookups)
        }
        "errors" => {
            let mut profile = filled();
            profile.contact.email = "jane@".into();
            profile.contact.phone = "12".into();
            profile.contact.first_name.clear();
            profile.billing.same_as_company = false;
            profile.billing.email = "billing@".into();
            ProfileForm::new(&profile, &lookups)
        }
        other => panic!("unknown state {other}"),
    };
    form.set_camera_count(4);
    form.set_focus_first(section);
    if state == "errors" {
        match section {
            Section::Type => {
                form.set_error(
                    field::PARENT,
                    "Parent: the chosen sub-integrator no longer exists".into(),
                );
            }
            Section::Defaults => {
                form.set_error(
                    field::DEFAULTS_DEFAULT_PLAN,
                    "Default plan: choose a plan from the list".into(),
                );
            }
            _ => {
                form.validate(section, &fx.store, None);
            }
        }
    }
    form
}

#[test]
fn snapshots_of_every_section() {
    let fx = Env::new();
    fx.plan("Standard 30", 999);
    for section in Section::ALL {
        for state in ["empty", "filled", "errors"] {
            if section == Section::UserCreation && state == "errors" {
                continue; // two checkboxes: nothing can be wrong
            }
            for (w, h) in [(100, 30), (80, 24)] {
                let mut form = form_in_state(&fx, section, state);
                let screen = draw_form(&mut form, section, w, h);
                let name = format!("{}_{state}_{w}x{h}", section.label().replace(' ', "_"));
                insta::assert_snapshot!(name.to_lowercase(), screen);
            }
        }
    }
}

#[test]
fn unchecking_same_as_company_copies_the_company_address() {
    let fx = Env::new();
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&filled(), &fx.lookups());
    form.set_focus_first(Section::Billing);
    assert_eq!(
        form.focused_key(Section::Billing),
        Some(key::SAME_AS_COMPANY)
    );
    // While checked, the address follows the company's and is read-only, so Tab skips it.
    assert!(form.profile().billing.same_as_company);
    let outcome = form.press(Section::Billing, &key(KeyCode::Char(' ')), &keymap);
    assert_eq!(outcome, Effect::Done);
    let profile = form.profile();
    assert!(!profile.billing.same_as_company);
    assert_eq!(profile.billing.address, profile.contact.address);
    form.press(Section::Billing, &key(KeyCode::Tab), &keymap);
    assert_eq!(
        form.focused_key(Section::Billing),
        Some(field::BILLING_ADDRESS_LINE1)
    );
    assert!(form.text_focused(Section::Billing));
    form.press(Section::Billing, &ctrl('u'), &keymap);
    form.handle_paste(Section::Billing, "PO Box 9");
    assert_eq!(form.profile().billing.address.line1, "PO Box 9");
    assert_eq!(form.profile().contact.address.line1, "1 Main Street");
}

#[test]
fn checked_same_as_company_shows_the_company_address_read_only() {
    let fx = Env::new();
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&filled(), &fx.lookups());
    form.set_focus_first(Section::Billing);
    let screen = draw_form(&mut form, Section::Billing, 100, 30);
    assert!(screen.contains("1 Main Street"), "{screen}");
    assert!(screen.contains("(read-only)"), "{screen}");
    // Tab goes from the checkbox straight past the greyed address.
    form.press(Section::Billing, &key(KeyCode::Tab), &keymap);
    assert_eq!(
        form.focused_key(Section::Billing),
        Some(field::BILLING_CONTACT)
    );
}

#[test]
fn q_typed_into_a_text_field_is_text() {
    let fx = Env::new();
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
    form.set_focus_first(Section::Contact);
    assert!(form.text_focused(Section::Contact));
    for c in "qq?1".chars() {
        let outcome = form.press(Section::Contact, &ch(c), &keymap);
        assert_eq!(outcome, Effect::Done, "{c}");
    }
    assert_eq!(form.profile().contact.company, "qq?1");
    assert!(form.is_dirty());
}

#[test]
fn pasted_line_breaks_become_spaces() {
    let fx = Env::new();
    let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
    form.set_focus_first(Section::Contact);
    form.handle_paste(Section::Contact, "Acme\nSecurity\r\nLtd\t(EU)");
    assert_eq!(form.profile().contact.company, "Acme Security Ltd (EU)");
}

#[test]
fn enter_moves_on_and_reports_the_last_field() {
    let fx = Env::new();
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
    form.set_focus_first(Section::UserCreation);
    let enter = key(KeyCode::Enter);
    assert_eq!(
        form.press(Section::UserCreation, &enter, &keymap),
        Effect::Done
    );
    assert_eq!(
        form.focused_key(Section::UserCreation),
        Some(key::CHANGE_PASSWORD)
    );
    // Enter on the last field is left to the caller (the next section, or save), which the
    // focus staying there tells apart from a field that moved on.
    assert_eq!(
        form.press(Section::UserCreation, &enter, &keymap),
        Effect::Ignored
    );
    assert_eq!(
        form.focused_key(Section::UserCreation),
        Some(key::CHANGE_PASSWORD)
    );
    // A key the form does not know is left to the caller.
    assert_eq!(
        form.press(Section::UserCreation, &key(KeyCode::Char('q')), &keymap),
        Effect::Ignored
    );
}

#[test]
fn a_bad_email_is_shown_under_the_field_and_focused() {
    let fx = Env::new();
    let mut profile = filled();
    profile.contact.email = "jane@".into();
    let mut form = ProfileForm::new(&profile, &fx.lookups());
    form.set_focus_first(Section::Contact);
    assert_eq!(form.validate(Section::Contact, &fx.store, None), 1);
    let error = form.error(field::CONTACT_EMAIL).expect("an email error");
    assert_eq!(error, "Email: missing domain after @");
    assert_eq!(
        form.focused_key(Section::Contact),
        Some(field::CONTACT_EMAIL)
    );
    let screen = draw_form(&mut form, Section::Contact, 100, 30);
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("Email: missing domain after @"))
        .expect(&screen);
    assert!(lines[at - 1].contains("jane@"), "{screen}");
}

#[test]
fn leaving_a_field_validates_it() {
    let fx = Env::new();
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&filled(), &fx.lookups());
    assert_eq!(form.focus(field::CONTACT_EMAIL), Some(Section::Contact));
    form.press(Section::Contact, &ctrl('u'), &keymap);
    form.handle_paste(Section::Contact, "jane@example");
    form.press(Section::Contact, &key(KeyCode::Tab), &keymap);
    assert!(form.error(field::CONTACT_EMAIL).is_some());
    assert_eq!(
        form.focused_key(Section::Contact),
        Some(field::CONTACT_PHONE)
    );
    // Fixing it clears the message as soon as it is right.
    form.press(Section::Contact, &key(KeyCode::BackTab), &keymap);
    form.handle_paste(Section::Contact, ".com");
    assert_eq!(form.error(field::CONTACT_EMAIL), None);
}

#[test]
fn the_company_name_is_unique_ignoring_case() {
    let mut fx = Env::new();
    let acme = fx.create(filled());
    let mut profile = filled();
    profile.contact.company = "ACME security".into();
    let mut form = ProfileForm::new(&profile, &fx.lookups());
    assert_eq!(form.validate(Section::Contact, &fx.store, None), 1);
    let error = form.error(field::CONTACT_COMPANY).expect("name taken");
    assert!(error.starts_with("Company name: "), "{error}");
    assert!(error.contains("already taken"), "{error}");
    assert_eq!(
        form.focused_key(Section::Contact),
        Some(field::CONTACT_COMPANY)
    );
    // The customer itself may keep its name in any case.
    assert_eq!(form.validate(Section::Contact, &fx.store, Some(acme)), 0);
    assert_eq!(form.error(field::CONTACT_COMPANY), None);
}

#[test]
fn the_estimate_follows_plan_and_camera_count() {
    let fx = Env::new();
    let plan = fx.plan("Standard 30", 999);
    let pro = fx.plan("Pro 90", 1999);
    let mut profile = filled();
    profile.defaults.default_plan_id = Some(plan);
    let mut form = ProfileForm::new(&profile, &fx.lookups());
    assert_eq!(
        form.monthly_estimate(4).as_deref(),
        Some("39.96 USD (4 × Standard 30 at 9.99 USD)")
    );
    form.set_camera_count(1);
    form.focus(field::BILLING_TERMS);
    let screen = draw_form(&mut form, Section::Billing, 100, 24);
    assert!(
        screen.contains("Estimated monthly charge: 9.99 USD (1 × Standard 30 at 9.99 USD)"),
        "{screen}"
    );
    // The profile's edit form: cameras with a plan of their own count at their plan's price.
    form.set_linked_cameras(&[None, Some(pro), None]);
    assert_eq!(
        form.monthly_estimate(2).as_deref(),
        Some("39.97 USD (1 × Pro 90 at 19.99 USD + 2 × Standard 30 at 9.99 USD)")
    );
    let none = ProfileForm::new(&filled(), &fx.lookups());
    assert_eq!(none.monthly_estimate(4), None);
}

#[test]
fn choosing_a_country_sets_an_obvious_time_zone() {
    let fx = Env::new();
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
    assert_eq!(form.profile().contact.time_zone, "UTC");
    form.focus(field::CONTACT_ADDRESS_COUNTRY);
    for c in "France".chars() {
        form.press(Section::Contact, &ch(c), &keymap);
    }
    assert!(
        form.text_focused(Section::Contact),
        "the open list takes letters"
    );
    form.press(Section::Contact, &key(KeyCode::Enter), &keymap);
    let profile = form.profile();
    assert_eq!(profile.contact.address.country, "FR");
    assert_eq!(profile.contact.time_zone, "Europe/Paris");
}

#[test]
fn a_sub_integrator_has_no_parent_to_choose() {
    let mut fx = Env::new();
    let mut sub = filled();
    sub.kind = CustomerType::Integrator;
    sub.contact.company = "North Integrators".into();
    let sub_id = fx.create(sub);
    let keymap = Keymap::default();
    let mut profile = filled();
    profile.parent_id = Some(sub_id);
    let mut form = ProfileForm::new(&profile, &fx.lookups());
    form.set_focus_first(Section::Type);
    let screen = draw_form(&mut form, Section::Type, 100, 30);
    assert!(screen.contains("North Integrators"), "{screen}");
    // Customer Type -> Integrator: the parent becomes the integrator itself and is skipped.
    form.press(Section::Type, &key(KeyCode::Char(' ')), &keymap);
    form.press(Section::Type, &key(KeyCode::Down), &keymap);
    form.press(Section::Type, &key(KeyCode::Enter), &keymap);
    assert_eq!(form.profile().kind, CustomerType::Integrator);
    assert_eq!(form.profile().parent_id, None);
    // Enter on the last field (the parent is skipped) is left to the caller.
    assert_eq!(
        form.press(Section::Type, &key(KeyCode::Enter), &keymap),
        Effect::Ignored
    );
}

#[test]
fn saving_over_another_operators_change_is_refused_and_keeps_the_input() {
    let mut fx = Env::new();
    let id = fx.create(filled());
    let customer = fx.store.customer(id).expect("read").expect("exists");
    let mut edit = ProfileEdit::new(&customer, &mut fx.ctx()).expect("editor");

    // This operator changes the city...
    assert_eq!(
        edit.form_mut().focus(field::CONTACT_ADDRESS_CITY),
        Some(Section::Contact)
    );
    while edit.section() != Section::Contact {
        let outcome = hand(&mut edit, &ctrl('n'), &mut fx.ctx());
        assert!(matches!(outcome, Effect::Done));
    }
    hand(&mut edit, &ctrl('u'), &mut fx.ctx());
    for c in "Shelbyville".chars() {
        hand(&mut edit, &ch(c), &mut fx.ctx());
    }
    assert!(edit.is_dirty());
    assert!(edit.captures_text());

    // ...while another one changes the phone and saves first.
    let mut other = fx.store.reopen().expect("second connection");
    let mut theirs = customer.profile.clone();
    theirs.contact.phone = "+1 555 0199".into();
    let bob = Operator {
        login: "bob".into(),
        client: None,
    };
    other
        .update_profile(id, customer.version, &theirs, &bob)
        .expect("bob saves");

    let outcome = hand(&mut edit, &ctrl('s'), &mut fx.ctx());
    assert!(
        matches!(outcome, Effect::Flash(_)),
        "refused with a message"
    );
    let stored = fx.store.customer(id).unwrap().unwrap();
    assert_eq!(stored.profile.contact.phone, "+1 555 0199");
    assert_eq!(stored.profile.contact.address.city, "Springfield");
    assert_eq!(edit.form().profile().contact.address.city, "Shelbyville");
    let screen = draw_edit(&mut edit, 100, 30);
    assert!(screen.contains("changed by another operator"), "{screen}");
    assert!(screen.contains("Phone is now +1 555 0199"), "{screen}");
    insta::assert_snapshot!("edit_refused_100x30", screen);

    // The second save is a conscious overwrite against the fresh version.
    match hand(&mut edit, &ctrl('s'), &mut fx.ctx()) {
        Effect::Answered(true) => {
            let saved = edit.take_saved().expect("saved");
            assert_eq!(saved.profile.contact.address.city, "Shelbyville");
            assert_eq!(saved.version, stored.version + 1);
        }
        _ => panic!("the second save goes through"),
    }
}

#[test]
fn saving_shows_the_first_bad_field() {
    let mut fx = Env::new();
    let id = fx.create(filled());
    let customer = fx.store.customer(id).unwrap().unwrap();
    let mut edit = ProfileEdit::new(&customer, &mut fx.ctx()).expect("editor");
    edit.form_mut().focus(field::BILLING_EMAIL);
    let keymap = Keymap::default();
    edit.form_mut().press(Section::Billing, &ctrl('u'), &keymap);
    edit.form_mut().handle_paste(Section::Billing, "x");
    let outcome = hand(&mut edit, &ctrl('s'), &mut fx.ctx());
    assert!(matches!(outcome, Effect::Flash(_)));
    assert_eq!(edit.section(), Section::Billing);
    assert_eq!(
        edit.form().focused_key(Section::Billing),
        Some(field::BILLING_EMAIL)
    );
    let screen = draw_edit(&mut edit, 80, 24);
    assert!(screen.contains("Billing email: "), "{screen}");
    assert_eq!(
        fx.store.customer(id).unwrap().unwrap().version,
        customer.version
    );
}

#[test]
fn esc_asks_before_discarding() {
    let mut fx = Env::new();
    let id = fx.create(filled());
    let customer = fx.store.customer(id).unwrap().unwrap();
    let mut edit = ProfileEdit::new(&customer, &mut fx.ctx()).expect("editor");
    assert!(matches!(
        hand(&mut edit, &key(KeyCode::Esc), &mut fx.ctx()),
        Effect::Answered(false)
    ));
    hand(&mut edit, &ctrl('n'), &mut fx.ctx());
    hand(&mut edit, &key(KeyCode::Char('x')), &mut fx.ctx());
    assert!(edit.is_dirty());
    assert!(matches!(
        hand(&mut edit, &key(KeyCode::Esc), &mut fx.ctx()),
        Effect::DialogOpened
    ));
    assert!(draw_edit(&mut edit, 80, 24).contains("Discard changes? y/N"));
    // Anything but y keeps editing.
    assert!(matches!(
        hand(&mut edit, &key(KeyCode::Char('n')), &mut fx.ctx()),
        Effect::Done
    ));
    assert!(edit.is_dirty());
    hand(&mut edit, &key(KeyCode::Esc), &mut fx.ctx());
    assert!(matches!(
        hand(&mut edit, &key(KeyCode::Char('y')), &mut fx.ctx()),
        Effect::Answered(false)
    ));
}

#[test]
fn never_panics_at_tiny_sizes() {
    let mut fx = Env::new();
    fx.plan("Standard 30", 999);
    let id = fx.create(filled());
    let customer = fx.store.customer(id).unwrap().unwrap();
    let keymap = Keymap::default();
    let mut edit = ProfileEdit::new(&customer, &mut fx.ctx()).expect("editor");
    for state in ["empty", "filled", "errors"] {
        for section in Section::ALL {
            let mut form = form_in_state(&fx, section, state);
            for open_list in [false, true] {
                if open_list {
                    form.focus(match section {
                        Section::Type => field::KIND,
                        Section::Contact => field::CONTACT_ADDRESS_COUNTRY,
                        Section::Defaults => field::DEFAULTS_DEFAULT_PLAN,
                        Section::UserCreation => key::CONFIRM_EMAIL,
                        Section::Billing => field::BILLING_TERMS,
                    });
                    form.press(section, &key(KeyCode::Char(' ')), &keymap);
                }
                for w in 0..=30 {
                    for h in 0..=8 {
                        draw_form(&mut form, section, w, h);
                    }
                }
            }
        }
    }
    for w in 0..=30 {
        for h in 0..=8 {
            draw_edit(&mut edit, w, h);
        }
    }
}

/// Types `text` into the field `field_key` of `section`, after clearing it.
fn type_into(form: &mut ProfileForm, section: Section, field_key: &str, text: &str) {
    let keymap = Keymap::default();
    form.focus(field_key);
    form.press(section, &ctrl('u'), &keymap);
    for c in text.chars() {
        form.press(section, &ch(c), &keymap);
    }
}

fn pick_country(form: &mut ProfileForm, name: &str) {
    let keymap = Keymap::default();
    form.focus(field::CONTACT_ADDRESS_COUNTRY);
    for c in name.chars() {
        form.press(Section::Contact, &ch(c), &keymap);
    }
    form.press(Section::Contact, &key(KeyCode::Enter), &keymap);
}

#[test]
fn the_time_zone_follows_the_state_where_a_country_has_several() {
    let fx = Env::new();
    for (country, code, state, zone) in [
        ("United States", "US", "CA", "America/Los_Angeles"),
        ("United States", "US", "New York", "America/New_York"),
        ("Canada", "CA", "BC", "America/Vancouver"),
        ("Australia", "AU", "WA", "Australia/Perth"),
        ("Brazil", "BR", "AM", "America/Manaus"),
        ("Mexico", "MX", "Baja California", "America/Tijuana"),
        ("Russia", "RU", "Kaliningrad Oblast", "Europe/Kaliningrad"),
    ] {
        // State first, then the country; and the country first, then the state.
        let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
        type_into(
            &mut form,
            Section::Contact,
            field::CONTACT_ADDRESS_STATE,
            state,
        );
        pick_country(&mut form, country);
        let profile = form.profile();
        assert_eq!(profile.contact.address.country, code);
        assert_eq!(profile.contact.time_zone, zone, "{country} {state}");
        let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
        pick_country(&mut form, country);
        type_into(
            &mut form,
            Section::Contact,
            field::CONTACT_ADDRESS_STATE,
            state,
        );
        assert_eq!(form.profile().contact.time_zone, zone, "{country} {state}");
    }
    // A zone chosen by hand stays.
    let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
    form.focus(field::CONTACT_TIME_ZONE);
    let keymap = Keymap::default();
    for c in "Europe/Paris".chars() {
        form.press(Section::Contact, &ch(c), &keymap);
    }
    form.press(Section::Contact, &key(KeyCode::Enter), &keymap);
    pick_country(&mut form, "United States");
    type_into(
        &mut form,
        Section::Contact,
        field::CONTACT_ADDRESS_STATE,
        "CA",
    );
    assert_eq!(form.profile().contact.time_zone, "Europe/Paris");
}

#[test]
fn billing_contact_and_email_are_proposed_from_the_contact_until_edited() {
    let fx = Env::new();
    let mut form = ProfileForm::new(&CustomerProfile::default(), &fx.lookups());
    type_into(
        &mut form,
        Section::Contact,
        field::CONTACT_FIRST_NAME,
        "Dana",
    );
    type_into(
        &mut form,
        Section::Contact,
        field::CONTACT_LAST_NAME,
        "Reyes",
    );
    type_into(
        &mut form,
        Section::Contact,
        field::CONTACT_EMAIL,
        "dana@example.com",
    );
    let billing = form.profile().billing;
    assert_eq!(billing.contact, "Dana Reyes");
    assert_eq!(billing.email, "dana@example.com");
    // Edited by hand, the billing contact stays; the email still follows.
    type_into(
        &mut form,
        Section::Billing,
        field::BILLING_CONTACT,
        "Accounts",
    );
    type_into(
        &mut form,
        Section::Contact,
        field::CONTACT_FIRST_NAME,
        "Dan",
    );
    type_into(
        &mut form,
        Section::Contact,
        field::CONTACT_EMAIL,
        "dan@example.com",
    );
    let billing = form.profile().billing;
    assert_eq!(billing.contact, "Accounts");
    assert_eq!(billing.email, "dan@example.com");
    // A stored customer's own billing contact is never replaced.
    let mut form = ProfileForm::new(&filled(), &fx.lookups());
    type_into(
        &mut form,
        Section::Contact,
        field::CONTACT_FIRST_NAME,
        "Janet",
    );
    assert_eq!(form.profile().billing.contact, "Accounts payable");
}

#[test]
fn unchecking_same_as_company_again_brings_back_the_typed_billing_address() {
    let fx = Env::new();
    let keymap = Keymap::default();
    let mut form = ProfileForm::new(&filled(), &fx.lookups());
    form.focus(key::SAME_AS_COMPANY);
    form.press(Section::Billing, &key(KeyCode::Char(' ')), &keymap);
    assert!(!form.profile().billing.same_as_company);
    type_into(
        &mut form,
        Section::Billing,
        field::BILLING_ADDRESS_LINE1,
        "PO Box 9",
    );
    type_into(
        &mut form,
        Section::Billing,
        field::BILLING_ADDRESS_CITY,
        "Shelbyville",
    );
    form.focus(key::SAME_AS_COMPANY);
    form.press(Section::Billing, &key(KeyCode::Char(' ')), &keymap);
    assert!(form.profile().billing.same_as_company);
    form.press(Section::Billing, &key(KeyCode::Char(' ')), &keymap);
    let billing = form.profile().billing;
    assert!(!billing.same_as_company);
    assert_eq!(billing.address.line1, "PO Box 9");
    assert_eq!(billing.address.city, "Shelbyville");
}

#[test]
fn a_long_validation_message_wraps_under_its_field() {
    let fx = Env::new();
    let mut form = ProfileForm::new(&filled(), &fx.lookups());
    let message = "The email address must have a name, an @ and a domain with a dot, such as \
                   name@example.com, and no spaces";
    form.set_error(field::CONTACT_EMAIL, message.to_string());
    form.focus(field::CONTACT_EMAIL);
    for (w, h) in [(80, 24), (100, 30)] {
        let screen = draw_form(&mut form, Section::Contact, w, h);
        let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(message),
            "{w}x{h}: the whole message is shown:\n{screen}"
        );
        insta::assert_snapshot!(format!("contact_long_error_{w}x{h}"), screen);
    }
}
