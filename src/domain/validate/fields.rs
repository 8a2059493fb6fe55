//! Validators of single fields: texts, e-mail, phone, postal code, time zone, MAC.

use email_address::EmailAddress;

use super::*;

// ---------------------------------------------------------------------------------------------
// Field validators

pub(super) fn too_long(
    field: &'static str,
    label: &'static str,
    max: usize,
    len: usize,
) -> FieldError {
    FieldError::new(
        field,
        label,
        format!("must be at most {max} characters (it has {len})"),
    )
}

pub(super) fn required_error(field: &'static str, label: &'static str) -> FieldError {
    FieldError::new(field, label, "required")
}

pub(super) fn check_len(
    field: &'static str,
    label: &'static str,
    value: &str,
    max: usize,
) -> Result<(), FieldError> {
    let len = value.trim().chars().count();
    if len > max {
        Err(too_long(field, label, max, len))
    } else {
        Ok(())
    }
}

/// One line of free text that may be empty: no unsafe characters, at most `max` characters.
pub fn text(
    field: &'static str,
    label: &'static str,
    value: &str,
    max: usize,
) -> Result<(), FieldError> {
    check_chars(field, label, value, false)?;
    check_len(field, label, value, max)
}

/// Like [`text`], and not blank.
pub fn required_text(
    field: &'static str,
    label: &'static str,
    value: &str,
    max: usize,
) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return Err(required_error(field, label));
    }
    text(field, label, value, max)
}

/// Free text that may hold line breaks (`\n` only), such as notes.
pub fn multiline_text(
    field: &'static str,
    label: &'static str,
    value: &str,
    max: usize,
) -> Result<(), FieldError> {
    check_chars(field, label, value, true)?;
    check_len(field, label, value, max)
}

/// A required email address: one `@`, a local part, a domain with a dot; no display name.
pub fn email(field: &'static str, label: &'static str, value: &str) -> Result<(), FieldError> {
    let err = |m: &str| Err(FieldError::new(field, label, m));
    let v = value.trim();
    if v.is_empty() {
        return Err(required_error(field, label));
    }
    check_chars(field, label, value, false)?;
    check_len(field, label, value, max_len::EMAIL)?;
    if v.contains(['<', '>']) || (v.contains('"') && v.contains(' ')) {
        return err("display names are not allowed, type the address alone");
    }
    if v.contains(char::is_whitespace) {
        return err("spaces are not allowed in an email address");
    }
    let Some((local, domain)) = v.split_once('@') else {
        return err("missing @, like name@example.com");
    };
    if domain.contains('@') {
        return err("only one @ is allowed");
    }
    if local.is_empty() {
        return err("missing the name before @");
    }
    if domain.is_empty() {
        return err("missing domain after @");
    }
    check_local_part(local).or_else(|m| err(&m))?;
    check_domain(domain).or_else(|m| err(&m))?;
    // A second opinion from the RFC 5321/5322 parser, for anything our rules let through.
    if !EmailAddress::is_valid_local_part(local) || !EmailAddress::is_valid_domain(domain) {
        return err("is not a valid email address");
    }
    Ok(())
}

pub(super) fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

pub(super) fn check_local_part(local: &str) -> Result<(), String> {
    if local.chars().count() > 64 {
        return Err("the name before @ must be at most 64 characters".into());
    }
    if let Some(c) = local.chars().find(|&c| !is_local_char(c)) {
        return Err(format!("'{c}' is not allowed before @"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(
            "the name before @ cannot start or end with a dot or have two dots in a row".into(),
        );
    }
    Ok(())
}

pub(super) fn check_domain(domain: &str) -> Result<(), String> {
    if !domain.contains('.') {
        return Err("domain needs a dot, like example.com".into());
    }
    if domain.chars().count() > 253 {
        return Err("domain must be at most 253 characters".into());
    }
    if let Some(c) = domain
        .chars()
        .find(|&c| !(c.is_alphanumeric() || c == '-' || c == '.'))
    {
        return Err(format!("'{c}' is not allowed in the domain"));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return Err("domain cannot start or end with a dot or have two dots in a row".into());
    }
    if labels
        .iter()
        .any(|l| l.starts_with('-') || l.ends_with('-'))
    {
        return Err("a part of the domain cannot start or end with a hyphen".into());
    }
    if labels.iter().any(|l| l.chars().count() > 63) {
        return Err("a part of the domain is longer than 63 characters".into());
    }
    let tld = labels[labels.len() - 1];
    if tld.chars().count() < 2 || tld.chars().all(|c| c.is_ascii_digit()) {
        return Err("domain must end in a name like .com".into());
    }
    Ok(())
}

/// A required phone number: 7-20 digits, with `+ ( ) - .` and spaces; `+` only first.
pub fn phone(field: &'static str, label: &'static str, value: &str) -> Result<(), FieldError> {
    let err = |m: String| Err(FieldError::new(field, label, m));
    let v = value.trim();
    if v.is_empty() {
        return Err(required_error(field, label));
    }
    check_chars(field, label, value, false)?;
    check_len(field, label, value, max_len::PHONE)?;
    let lead = value.chars().take_while(|c| c.is_whitespace()).count();
    for (i, c) in v.chars().enumerate() {
        match c {
            '0'..='9' | '(' | ')' | '-' | '.' | ' ' => {}
            '+' if i == 0 => {}
            '+' => return err("+ is only allowed at the start".into()),
            _ => {
                return err(format!(
                    "'{c}' at position {} is not allowed; use digits, spaces and + ( ) - .",
                    lead + i + 1
                ));
            }
        }
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if digits < 7 {
        return err(format!("needs at least 7 digits (it has {digits})"));
    }
    if digits > 20 {
        return err(format!("must have at most 20 digits (it has {digits})"));
    }
    Ok(())
}

/// A required postal code: 2-16 letters, digits, spaces and hyphens.
pub fn postal_code(
    field: &'static str,
    label: &'static str,
    value: &str,
) -> Result<(), FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(required_error(field, label));
    }
    check_chars(field, label, value, false)?;
    check_len(field, label, value, max_len::POSTAL_CODE)?;
    if let Some(c) = v
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || c == ' ' || c == '-'))
    {
        return Err(FieldError::new(
            field,
            label,
            format!("'{c}' is not allowed; use letters, digits, spaces and hyphens"),
        ));
    }
    if v.chars().filter(char::is_ascii_alphanumeric).count() < 2 {
        return Err(FieldError::new(
            field,
            label,
            "needs at least 2 letters or digits",
        ));
    }
    Ok(())
}

/// A required time zone: one of the shipped IANA names, or any name the system's tz database knows.
pub fn time_zone(field: &'static str, label: &'static str, value: &str) -> Result<(), FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(required_error(field, label));
    }
    check_chars(field, label, value, false)?;
    check_len(field, label, value, max_len::TIME_ZONE)?;
    if crate::assets::is_time_zone(v) || jiff::tz::db().get(v).is_ok() {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            label,
            format!("unknown time zone \"{v}\"; pick one like Europe/Paris"),
        ))
    }
}

/// A MAC address as `AA:BB:CC:DD:EE:FF`, from `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`,
/// `aabb.ccdd.eeff` or `aabbccddeeff`.
pub fn normalize_mac(value: &str) -> Result<String, FieldError> {
    const LABEL: &str = "MAC address";
    let err = |m: &str| Err(FieldError::new(field::CAMERA_MAC, LABEL, m));
    let v = value.trim();
    if v.is_empty() {
        return Err(required_error(field::CAMERA_MAC, LABEL));
    }
    check_chars(field::CAMERA_MAC, LABEL, value, false)?;
    if v.len() > 17
        || !v
            .chars()
            .all(|c| c.is_ascii_hexdigit() || ":-.".contains(c))
    {
        return err("use 12 hex digits, like AA:BB:CC:DD:EE:FF");
    }
    let groups: Vec<&str> = v.split([':', '-', '.']).collect();
    let seps: Vec<char> = v.chars().filter(|c| !c.is_ascii_hexdigit()).collect();
    let shape_ok = match groups.len() {
        1 => v.len() == 12,
        3 => seps.iter().all(|&c| c == '.') && groups.iter().all(|g| g.len() == 4),
        6 => seps.iter().all(|&c| c == seps[0] && c != '.') && groups.iter().all(|g| g.len() == 2),
        _ => false,
    };
    if !shape_ok {
        return err("use 12 hex digits, like AA:BB:CC:DD:EE:FF");
    }
    let hex: String = groups.concat().to_ascii_uppercase();
    if hex.bytes().all(|b| b == b'0') {
        return err("00:00:00:00:00:00 is not a device address");
    }
    if hex.bytes().all(|b| b == b'F') {
        return err("FF:FF:FF:FF:FF:FF is the broadcast address, not a device's");
    }
    let mut out = String::with_capacity(17);
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push(pair[0] as char);
        out.push(pair[1] as char);
    }
    Ok(out)
}

pub(super) fn push(errors: &mut Vec<FieldError>, r: Result<(), FieldError>) {
    if let Err(e) = r {
        errors.push(e);
    }
}

pub(super) fn optional(
    value: &str,
    check: impl FnOnce() -> Result<(), FieldError>,
) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        Ok(())
    } else {
        check()
    }
}
