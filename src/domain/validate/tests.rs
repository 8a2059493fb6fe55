use std::borrow::Cow;

use email_address::EmailAddress;

use super::*;
use crate::domain::{Permissions, RoleType};
use proptest::prelude::*;

fn msg<T>(r: Result<T, FieldError>) -> String {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

fn valid_profile() -> CustomerProfile {
    CustomerProfile {
        contact: Contact {
            company: "Acme Security".into(),
            first_name: "Zoë".into(),
            last_name: "O'Brien".into(),
            email: "zoe@acme.example.com".into(),
            phone: "+1 (555) 123-4567".into(),
            address: Address {
                line1: "1 Main Street".into(),
                line2: String::new(),
                city: "Springfield".into(),
                state: "IL".into(),
                postal_code: "62701".into(),
                country: "US".into(),
            },
            time_zone: "America/Chicago".into(),
            reference: "ACME-001".into(),
            notes: "Gate code 1234\nCall before visiting".into(),
        },
        ..CustomerProfile::default()
    }
}

fn fields(errors: &[FieldError]) -> Vec<&'static str> {
    errors.iter().map(|e| e.field).collect()
}

fn role(name: &str, role_type: RoleType) -> Role {
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

// --- characters ---------------------------------------------------------------------------

mod fields;
mod text;

#[test]
fn a_complete_profile_is_valid() {
    assert_eq!(validate_profile(&valid_profile()), []);
}

#[test]
fn an_empty_profile_lists_required_fields_in_form_order() {
    let errors = validate_profile(&CustomerProfile::default());
    assert_eq!(
        fields(&errors),
        [
            field::CONTACT_COMPANY,
            field::CONTACT_FIRST_NAME,
            field::CONTACT_LAST_NAME,
            field::CONTACT_EMAIL,
            field::CONTACT_ADDRESS_LINE1,
            field::CONTACT_ADDRESS_CITY,
            field::CONTACT_ADDRESS_COUNTRY,
            field::CONTACT_TIME_ZONE,
        ]
    );
    assert_eq!(errors[0].to_string(), "Company name: required");
}

#[test]
fn optional_contact_fields_are_checked_when_present() {
    let mut p = valid_profile();
    p.contact.phone = "12".into();
    p.contact.address.postal_code = "#".into();
    p.contact.reference = "r".repeat(41);
    assert_eq!(
        fields(&validate_contact(&p.contact)),
        [
            field::CONTACT_PHONE,
            field::CONTACT_ADDRESS_POSTAL_CODE,
            field::CONTACT_REFERENCE
        ]
    );
    p.contact.phone.clear();
    p.contact.address.postal_code.clear();
    p.contact.reference.clear();
    assert_eq!(validate_contact(&p.contact), []);
}

#[test]
fn billing_address_is_required_only_when_not_the_company_address() {
    let mut p = valid_profile();
    assert_eq!(validate_billing(&p.billing), []);
    p.billing.same_as_company = false;
    assert_eq!(
        fields(&validate_billing(&p.billing)),
        [
            field::BILLING_ADDRESS_LINE1,
            field::BILLING_ADDRESS_CITY,
            field::BILLING_ADDRESS_COUNTRY
        ]
    );
    assert_eq!(
        validate_billing(&p.billing)[0].to_string(),
        "Billing street address: required"
    );
    p.billing.address = p.contact.address.clone();
    assert_eq!(validate_billing(&p.billing), []);
}

#[test]
fn billing_email_and_phone_are_optional_but_valid() {
    let mut p = valid_profile();
    p.billing.email = "billing@".into();
    p.billing.phone = "call me".into();
    p.billing.tax_id = "\u{202e}DE123".into();
    let errors = validate_billing(&p.billing);
    assert_eq!(
        fields(&errors),
        [
            field::BILLING_EMAIL,
            field::BILLING_PHONE,
            field::BILLING_TAX_ID
        ]
    );
    assert_eq!(
        errors[0].to_string(),
        "Billing email: missing domain after @"
    );
}

#[test]
fn a_sub_integrator_sits_under_the_integrator() {
    let mut p = valid_profile();
    p.kind = CustomerType::Integrator;
    p.parent_id = Some(7);
    assert_eq!(fields(&validate_profile(&p)), [field::PARENT]);
    p.parent_id = None;
    assert_eq!(validate_profile(&p), []);
    p.kind = CustomerType::Customer;
    p.parent_id = Some(7);
    assert_eq!(validate_profile(&p), []);
}

#[test]
fn defaults_refuse_impossible_plan_ids() {
    let mut d = DefaultSettings::default();
    assert_eq!(validate_defaults(&d), []);
    d.default_plan_id = Some(0);
    assert_eq!(
        fields(&validate_defaults(&d)),
        [field::DEFAULTS_DEFAULT_PLAN]
    );
}

#[test]
fn cameras() {
    let cam = CameraSpec {
        name: "Front door".into(),
        mac: "aabbccddeeff".into(),
        serial: "SN-001".into(),
        model: "Axis P3245".into(),
        location: "Lobby".into(),
    };
    assert_eq!(validate_camera(&cam), []);
    let errors = validate_camera(&CameraSpec::default());
    assert_eq!(
        fields(&errors),
        [field::CAMERA_NAME, field::CAMERA_MAC, field::CAMERA_SERIAL]
    );
    let mut c = cam.clone();
    c.mac = " aa-bb-cc-dd-ee-ff ".into();
    c.name = " Front door ".into();
    normalize_camera(&mut c);
    assert_eq!(c.mac, "AA:BB:CC:DD:EE:FF");
    assert_eq!(c.name, "Front door");
}

#[test]
fn roles() {
    assert_eq!(validate_role(&Role::owner()), []);
    assert_eq!(validate_role(&Role::admin()), []);
    let mut r = role("", RoleType::Guard);
    r.description = "d".repeat(251);
    assert_eq!(
        fields(&validate_role(&r)),
        [field::ROLE_NAME, field::ROLE_DESCRIPTION]
    );
}

#[test]
fn new_users() {
    let mut u = NewUser {
        first_name: "山田".into(),
        last_name: "太郎".into(),
        email: "taro@example.jp".into(),
        roles: vec![0],
    };
    assert_eq!(validate_new_user(&u), []);
    u.email = "Taro <taro@example.jp>".into();
    u.roles.clear();
    assert_eq!(
        fields(&validate_new_user(&u)),
        [field::USER_EMAIL, field::USER_ROLES]
    );
    assert_eq!(
        fields(&validate_new_user(&NewUser::default())),
        [
            field::USER_FIRST_NAME,
            field::USER_LAST_NAME,
            field::USER_EMAIL,
            field::USER_ROLES
        ]
    );
}

#[test]
fn a_user_holds_roles_of_one_type() {
    let roles = [
        Role::owner(),
        Role::admin(),
        role("Guards", RoleType::Guard),
    ];
    assert!(validate_user_roles(&[0, 1], &roles).is_ok());
    assert!(validate_user_roles(&[2], &roles).is_ok());
    assert_eq!(
        msg(validate_user_roles(&[0, 2], &roles)),
        "Roles: a user's roles must all be Admin roles or all be Guard roles"
    );
    assert!(validate_user_roles(&[9], &roles).is_err());
}

#[test]
fn new_customer_rules_span_records() {
    let mut guards = role("Guards", RoleType::Guard);
    guards.permissions.share = true;
    let user = |email: &str| NewUser {
        first_name: "A".into(),
        last_name: "B".into(),
        email: email.into(),
        roles: vec![0],
    };
    let cam = CameraSpec {
        name: "Cam".into(),
        mac: "aa:bb:cc:dd:ee:ff".into(),
        serial: "S1".into(),
        ..CameraSpec::default()
    };
    let mut n = NewCustomer {
        profile: valid_profile(),
        camera_ids: vec![],
        new_cameras: vec![cam.clone()],
        roles: vec![Role::owner(), Role::admin(), guards],
        users: vec![user("a@example.com")],
    };
    assert_eq!(validate_new_customer(&n), []);
    n.profile.defaults.disable_camera_share = true;
    n.new_cameras.push(CameraSpec {
        mac: "AABB.CCDD.EEFF".into(),
        ..cam
    });
    n.roles.push(role("guards", RoleType::Guard));
    n.users.push(user("A@example.com"));
    n.roles[0].permissions.share = false;
    n.roles[1].permissions.share = false;
    assert_eq!(
        fields(&validate_new_customer(&n)),
        [
            field::CAMERA_MAC,
            field::ROLE_PERMISSIONS,
            field::ROLE_NAME,
            field::USER_EMAIL
        ]
    );
}

// --- properties ---------------------------------------------------------------------------

fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('x')),
        (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('x')),
        prop::sample::select(vec![
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            '\u{061c}',
            '\u{2060}',
            '\u{feff}',
            '\u{ad}',
            '\u{e0041}',
            '\u{2028}',
            '\u{2029}',
            '🎥',
            '山',
            'a',
            ' ',
            '\u{301}',
            '\u{fe0f}',
            '\u{fe0e}',
            '\u{20e3}',
            '\u{1f3ff}',
            '\u{1f1fa}',
            '\u{1f1f8}',
            '\u{ff9f}',
            '👩',
            '✋',
            '❤',
            '0',
            '@',
            '.',
            ':',
            '-',
            '+',
        ]),
    ]
}

fn nasty_string() -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..40).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn sanitized_text_holds_no_unsafe_character(s in nasty_string()) {
        let out = sanitize_for_display(&s);
        prop_assert!(out.chars().all(|c| classify(c).is_none()), "{out:?}");
        if s.chars().all(|c| classify(c).is_none() && c < '\u{2000}' || c == '山') {
            prop_assert_eq!(out, s);
        }
    }

    #[test]
    fn every_drawn_cluster_is_width_stable(s in nasty_string()) {
        use unicode_segmentation::UnicodeSegmentation;
        let out = sanitize_for_display(&s);
        for cluster in out.graphemes(true) {
            prop_assert!(is_width_stable(cluster), "{cluster:?} in {out:?} from {s:?}");
        }
        let disputed = ['\u{200d}', '\u{fe0f}', '\u{fe0e}', '\u{20e3}', '\u{1f3ff}'];
        prop_assert!(!out.contains(disputed), "{out:?}");
        let flag = |c: char| ('\u{1f1e6}'..='\u{1f1ff}').contains(&c);
        prop_assert!(!out.chars().any(flag), "{:?}", out);
        // Drawing what is drawn changes nothing more.
        prop_assert_eq!(sanitize_for_display(&out), out.clone());
    }

    #[test]
    fn text_that_passes_validation_is_drawn_unchanged_but_for_emoji_sequences(
        s in nasty_string()
    ) {
        let plain = !s.contains(['\u{fe0f}', '\u{fe0e}', '\u{20e3}', '\u{1f3ff}', '\u{ff9f}'])
            && !s.chars().any(|c| ('\u{1f1e6}'..='\u{1f1ff}').contains(&c));
        if plain && text(field::CONTACT_COMPANY, "Company name", &s, 120).is_ok() {
            // Stored trimmed: outer whitespace is never drawn.
            prop_assert!(matches!(display(s.trim()), Cow::Borrowed(_)), "{:?}", s);
        }
    }

    #[test]
    fn one_line_paste_holds_no_line_break(s in nasty_string()) {
        let out = clean_paste(&s, false);
        let breaks = ['\n', '\r', '\t', '\u{2028}', '\u{2029}', '\u{85}'];
        prop_assert!(!out.contains(breaks), "{:?}", out);
    }

    #[test]
    fn mac_round_trips(bytes in any::<[u8; 6]>(), style in 0usize..4, lower in any::<bool>()) {
        prop_assume!(bytes != [0; 6] && bytes != [0xff; 6]);
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
        let canonical = hex.join(":");
        let mut typed = match style {
            0 => hex.join(":"),
            1 => hex.join("-"),
            2 => hex.chunks(2).map(|c| c.concat()).collect::<Vec<_>>().join("."),
            _ => hex.concat(),
        };
        if lower {
            typed = typed.to_lowercase();
        }
        let normalized = normalize_mac(&typed);
        prop_assert_eq!(normalized.as_deref(), Ok(canonical.as_str()));
        let again = normalize_mac(&canonical);
        prop_assert_eq!(again.as_deref(), Ok(canonical.as_str()));
    }

    #[test]
    fn validators_never_panic(s in nasty_string(), t in any::<String>()) {
        for v in [&s, &t] {
            let _ = email(field::CONTACT_EMAIL, "Email", v);
            let _ = phone(field::CONTACT_PHONE, "Phone", v);
            let _ = postal_code(field::CONTACT_ADDRESS_POSTAL_CODE, "Postal code", v);
            let _ = time_zone(field::CONTACT_TIME_ZONE, "Time zone", v);
            let _ = normalize_mac(v);
            let _ = multiline_text(field::CONTACT_NOTES, "Notes", v, 2000);
            let _ = clean_paste(v, true);
        }
        let mut p = valid_profile();
        p.contact.company = s.clone();
        p.contact.email = t.clone();
        p.contact.phone = s.clone();
        p.contact.address.postal_code = t.clone();
        p.billing.same_as_company = false;
        p.billing.email = s.clone();
        p.billing.address.line1 = t.clone();
        let _ = validate_profile(&p);
        let _ = validate_camera(&CameraSpec {
            name: s.clone(),
            mac: t.clone(),
            serial: s.clone(),
            model: t.clone(),
            location: s.clone(),
        });
    }

    #[test]
    fn valid_emails_pass_the_crate_too(s in nasty_string()) {
        if email(field::CONTACT_EMAIL, "Email", &s).is_ok() {
            prop_assert!(EmailAddress::is_valid(s.trim()));
        }
    }
}
