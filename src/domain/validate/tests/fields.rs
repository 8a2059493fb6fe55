use super::*;

#[test]
fn valid_emails_are_accepted() {
    for value in [
        "a@example.com",
        "first.last+tag@sub.example.co.uk",
        "o'brien@example.ie",
        "x_y-z@a-b.example",
        "  padded@example.com  ",
        "josé@exämple.com",
        "user@xn--bcher-kva.example",
    ] {
        assert!(
            email(field::CONTACT_EMAIL, "Email", value).is_ok(),
            "{value}"
        );
    }
}

#[test]
fn invalid_emails_get_clear_messages() {
    for (value, message) in [
        ("", "required"),
        (
            "Bob <b@x.com>",
            "display names are not allowed, type the address alone",
        ),
        (
            "<b@x.com>",
            "display names are not allowed, type the address alone",
        ),
        (
            "\"Bob Smith\" b@x.com",
            "display names are not allowed, type the address alone",
        ),
        (
            "bob smith@x.com",
            "spaces are not allowed in an email address",
        ),
        ("bob", "missing @, like name@example.com"),
        ("a@b@example.com", "only one @ is allowed"),
        ("@example.com", "missing the name before @"),
        ("bob@", "missing domain after @"),
        ("bob@localhost", "domain needs a dot, like example.com"),
        (
            "bob@example..com",
            "domain cannot start or end with a dot or have two dots in a row",
        ),
        (
            "bob@.example.com",
            "domain cannot start or end with a dot or have two dots in a row",
        ),
        (
            "bob@example.com.",
            "domain cannot start or end with a dot or have two dots in a row",
        ),
        (
            "bob@-x.com",
            "a part of the domain cannot start or end with a hyphen",
        ),
        ("bob@x.c", "domain must end in a name like .com"),
        ("bob@1.2.3.4", "domain must end in a name like .com"),
        ("bob@[1.2.3.4]", "'[' is not allowed in the domain"),
        ("bob@ex_ample.com", "'_' is not allowed in the domain"),
        (
            "a..b@x.com",
            "the name before @ cannot start or end with a dot or have two dots in a row",
        ),
        (
            ".a@x.com",
            "the name before @ cannot start or end with a dot or have two dots in a row",
        ),
        ("a,b@x.com", "',' is not allowed before @"),
        ("\"ab\"@x.com", "'\"' is not allowed before @"),
    ] {
        let r = email(field::CONTACT_EMAIL, "Email", value);
        assert_eq!(msg(r), format!("Email: {message}"), "{value:?}");
    }
    let long_local = format!("{}@example.com", "a".repeat(65));
    assert!(msg(email(field::USER_EMAIL, "Email", &long_local)).contains("at most 64"));
    let long_label = format!("a@{}.com", "b".repeat(64));
    assert!(msg(email(field::USER_EMAIL, "Email", &long_label)).contains("63"));
    let r = email(field::USER_EMAIL, "Email", "a\u{1b}@x.com");
    assert_eq!(
        msg(r),
        "Email: control character U+001B at position 2 is not allowed"
    );
}

// --- phone, postal code, time zone --------------------------------------------------------

#[test]
fn valid_phones_are_accepted() {
    for value in [
        "5551234",
        "+1 (555) 123-4567",
        "030.1234.5678",
        "+44 20 7946 0958",
        "+12345678901234567890",
    ] {
        assert!(
            phone(field::CONTACT_PHONE, "Phone", value).is_ok(),
            "{value}"
        );
    }
}

#[test]
fn invalid_phones_get_clear_messages() {
    for (value, message) in [
        ("", "required"),
        ("12345", "needs at least 7 digits (it has 5)"),
        (
            "+123456789012345678901",
            "must have at most 20 digits (it has 21)",
        ),
        ("555 123 +4567", "+ is only allowed at the start"),
        (
            "555-CALL-NOW",
            "'C' at position 5 is not allowed; use digits, spaces and + ( ) - .",
        ),
        (
            "555 1234 ext 5",
            "'e' at position 10 is not allowed; use digits, spaces and + ( ) - .",
        ),
        (
            "555/1234567",
            "'/' at position 4 is not allowed; use digits, spaces and + ( ) - .",
        ),
    ] {
        let r = phone(field::CONTACT_PHONE, "Phone", value);
        assert_eq!(msg(r), format!("Phone: {message}"), "{value:?}");
    }
    let r = phone(field::CONTACT_PHONE, "Phone", &"1 ".repeat(20));
    assert!(msg(r).contains("at most 32 characters"));
}

#[test]
fn postal_codes() {
    for value in ["75001", "SW1A 1AA", "12345-6789", "K1A 0B8", "AB"] {
        assert!(postal_code(field::CONTACT_ADDRESS_POSTAL_CODE, "Postal code", value).is_ok());
    }
    for (value, message) in [
        ("", "required"),
        ("1", "needs at least 2 letters or digits"),
        ("- -", "needs at least 2 letters or digits"),
        (
            "12#45",
            "'#' is not allowed; use letters, digits, spaces and hyphens",
        ),
        (
            "12345678901234567",
            "must be at most 16 characters (it has 17)",
        ),
    ] {
        let r = postal_code(field::CONTACT_ADDRESS_POSTAL_CODE, "Postal code", value);
        assert_eq!(msg(r), format!("Postal code: {message}"), "{value:?}");
    }
}

#[test]
fn time_zones() {
    for value in ["Europe/Paris", "UTC", "America/New_York"] {
        assert!(time_zone(field::CONTACT_TIME_ZONE, "Time zone", value).is_ok());
    }
    assert_eq!(
        msg(time_zone(field::CONTACT_TIME_ZONE, "Time zone", "")),
        "Time zone: required"
    );
    assert_eq!(
        msg(time_zone(
            field::CONTACT_TIME_ZONE,
            "Time zone",
            "Mars/Olympus"
        )),
        "Time zone: unknown time zone \"Mars/Olympus\"; pick one like Europe/Paris"
    );
}

// --- MAC ----------------------------------------------------------------------------------

#[test]
fn mac_addresses_are_normalised() {
    for value in [
        "aa:bb:cc:dd:ee:0f",
        "AA-BB-CC-DD-EE-0F",
        "aabb.ccdd.ee0f",
        "aabbccddee0f",
        "  Aa:bB:cc:DD:ee:0F ",
    ] {
        assert_eq!(
            normalize_mac(value).as_deref(),
            Ok("AA:BB:CC:DD:EE:0F"),
            "{value}"
        );
    }
}

#[test]
fn malformed_mac_addresses_are_refused() {
    let shape = "MAC address: use 12 hex digits, like AA:BB:CC:DD:EE:FF";
    for value in [
        "aa:bb:cc:dd:ee",
        "aa:bb:cc:dd:ee:ff:00",
        "aa:bb-cc:dd:ee:ff",
        "gg:bb:cc:dd:ee:ff",
        "aabb.ccdd.eef",
        "aabbccddeef",
        "a:bb:cc:dd:ee:fff",
        "aa.bb.cc.dd.ee.ff",
        "aabb:ccdd:eeff",
        "::::::",
    ] {
        assert_eq!(msg(normalize_mac(value)), shape, "{value}");
    }
    assert_eq!(msg(normalize_mac("")), "MAC address: required");
    assert!(msg(normalize_mac("00:00:00:00:00:00")).contains("not a device address"));
    assert!(msg(normalize_mac("ff-ff-ff-ff-ff-ff")).contains("broadcast"));
    assert_eq!(
        msg(normalize_mac("aa:bb\u{1b}")),
        "MAC address: control character U+001B at position 6 is not allowed"
    );
}

// --- records ------------------------------------------------------------------------------
