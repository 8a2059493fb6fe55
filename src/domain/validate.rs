//! Validation of everything an operator types, and the one safe path for drawing stored text.
//!
//! Validators return [`FieldError`]s keyed by the stable names in [`field`], so a form can put
//! each message under the field it is about. Nothing here knows about the terminal or the store.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use email_address::EmailAddress;

use super::{
    Address, Billing, CameraSpec, Contact, CustomerProfile, CustomerType, DefaultSettings,
};
use super::{NewCustomer, NewUser, Role};

mod cluster;
pub use cluster::is_width_stable;

/// One problem with one field: "Label: message" when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// A key of [`field`], stable across versions.
    pub field: &'static str,
    /// What the form calls the field.
    pub label: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, label: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            label,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label, self.message)
    }
}

impl std::error::Error for FieldError {}

/// The stable keys of [`FieldError::field`].
pub mod field {
    pub const KIND: &str = "kind";
    pub const PARENT: &str = "parent";
    pub const CONTACT_COMPANY: &str = "contact.company";
    pub const CONTACT_FIRST_NAME: &str = "contact.first_name";
    pub const CONTACT_LAST_NAME: &str = "contact.last_name";
    pub const CONTACT_EMAIL: &str = "contact.email";
    pub const CONTACT_PHONE: &str = "contact.phone";
    pub const CONTACT_ADDRESS_LINE1: &str = "contact.address.line1";
    pub const CONTACT_ADDRESS_LINE2: &str = "contact.address.line2";
    pub const CONTACT_ADDRESS_CITY: &str = "contact.address.city";
    pub const CONTACT_ADDRESS_STATE: &str = "contact.address.state";
    pub const CONTACT_ADDRESS_POSTAL_CODE: &str = "contact.address.postal_code";
    pub const CONTACT_ADDRESS_COUNTRY: &str = "contact.address.country";
    pub const CONTACT_TIME_ZONE: &str = "contact.time_zone";
    pub const CONTACT_REFERENCE: &str = "contact.reference";
    pub const CONTACT_NOTES: &str = "contact.notes";
    pub const DEFAULTS_DEFAULT_PLAN: &str = "defaults.default_plan";
    pub const BILLING_CONTACT: &str = "billing.contact";
    pub const BILLING_EMAIL: &str = "billing.email";
    pub const BILLING_PHONE: &str = "billing.phone";
    pub const BILLING_ADDRESS_LINE1: &str = "billing.address.line1";
    pub const BILLING_ADDRESS_LINE2: &str = "billing.address.line2";
    pub const BILLING_ADDRESS_CITY: &str = "billing.address.city";
    pub const BILLING_ADDRESS_STATE: &str = "billing.address.state";
    pub const BILLING_ADDRESS_POSTAL_CODE: &str = "billing.address.postal_code";
    pub const BILLING_ADDRESS_COUNTRY: &str = "billing.address.country";
    pub const BILLING_TAX_ID: &str = "billing.tax_id";
    pub const BILLING_TERMS: &str = "billing.terms";
    pub const BILLING_PLAN: &str = "billing.plan";
    pub const CAMERA_NAME: &str = "camera.name";
    pub const CAMERA_MAC: &str = "camera.mac";
    pub const CAMERA_SERIAL: &str = "camera.serial";
    pub const CAMERA_MODEL: &str = "camera.model";
    pub const CAMERA_LOCATION: &str = "camera.location";
    pub const ROLE_NAME: &str = "role.name";
    pub const ROLE_DESCRIPTION: &str = "role.description";
    pub const ROLE_PERMISSIONS: &str = "role.permissions";
    pub const USER_FIRST_NAME: &str = "user.first_name";
    pub const USER_LAST_NAME: &str = "user.last_name";
    pub const USER_EMAIL: &str = "user.email";
    pub const USER_ROLES: &str = "user.roles";
}

/// Length limits in characters, for validators and for the `max` of form inputs.
pub mod max_len {
    pub const COMPANY: usize = 120;
    pub const NAME: usize = 60;
    pub const EMAIL: usize = 254;
    /// 20 digits plus room for `+ ( ) - .` and spaces: PRODUCT.md §4 counts digits.
    pub const PHONE: usize = 32;
    pub const ADDRESS_LINE: usize = 120;
    pub const CITY: usize = 80;
    pub const STATE: usize = 80;
    pub const POSTAL_CODE: usize = 16;
    pub const COUNTRY: usize = 80;
    pub const TIME_ZONE: usize = 64;
    pub const REFERENCE: usize = 40;
    pub const NOTES: usize = 2000;
    pub const BILLING_CONTACT: usize = 120;
    pub const TAX_ID: usize = 40;
    pub const CAMERA_NAME: usize = 80;
    pub const MAC: usize = 17;
    pub const SERIAL: usize = 64;
    pub const MODEL: usize = 80;
    pub const LOCATION: usize = 120;
    pub const ROLE_NAME: usize = 60;
    pub const ROLE_DESCRIPTION: usize = 250;
}

/// The keys and labels of one address block, so company and billing addresses share the rules.
#[derive(Debug, Clone, Copy)]
pub struct AddressFields {
    pub line1: (&'static str, &'static str),
    pub line2: (&'static str, &'static str),
    pub city: (&'static str, &'static str),
    pub state: (&'static str, &'static str),
    pub postal_code: (&'static str, &'static str),
    pub country: (&'static str, &'static str),
}

pub const CONTACT_ADDRESS: AddressFields = AddressFields {
    line1: (field::CONTACT_ADDRESS_LINE1, "Street address"),
    line2: (field::CONTACT_ADDRESS_LINE2, "Address line 2"),
    city: (field::CONTACT_ADDRESS_CITY, "City"),
    state: (field::CONTACT_ADDRESS_STATE, "State/Province"),
    postal_code: (field::CONTACT_ADDRESS_POSTAL_CODE, "Postal code"),
    country: (field::CONTACT_ADDRESS_COUNTRY, "Country"),
};

pub const BILLING_ADDRESS: AddressFields = AddressFields {
    line1: (field::BILLING_ADDRESS_LINE1, "Billing street address"),
    line2: (field::BILLING_ADDRESS_LINE2, "Billing address line 2"),
    city: (field::BILLING_ADDRESS_CITY, "Billing city"),
    state: (field::BILLING_ADDRESS_STATE, "Billing state/province"),
    postal_code: (field::BILLING_ADDRESS_POSTAL_CODE, "Billing postal code"),
    country: (field::BILLING_ADDRESS_COUNTRY, "Billing country"),
};

// ---------------------------------------------------------------------------------------------
// Characters

/// Why a character may not be stored or drawn as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsafeChar {
    /// C0, DEL, C1, and the Unicode line and paragraph separators.
    Control,
    /// Marks, embeddings, overrides and isolates that reorder text.
    Bidi,
    /// Zero-width spaces and joiners, word joiner, byte-order mark.
    ZeroWidth,
    /// Other characters that draw nothing: soft hyphen, invisible operators, tags, fillers.
    Invisible,
}

impl UnsafeChar {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Control => "control character",
            Self::Bidi => "bidirectional control character",
            Self::ZeroWidth => "zero-width character",
            Self::Invisible => "invisible formatting character",
        }
    }
}

/// The class of `c` when it could move the cursor, restyle the terminal, reorder or hide text.
pub fn classify(c: char) -> Option<UnsafeChar> {
    match c {
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' => {
            Some(UnsafeChar::Control)
        }
        '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061c}' => Some(UnsafeChar::Bidi),
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => Some(UnsafeChar::ZeroWidth),
        '\u{00ad}'
        | '\u{034f}'
        | '\u{115f}'
        | '\u{1160}'
        | '\u{17b4}'
        | '\u{17b5}'
        | '\u{180e}'
        | '\u{2061}'..='\u{2064}'
        | '\u{206a}'..='\u{206f}'
        | '\u{3164}'
        | '\u{ffa0}'
        | '\u{fff0}'..='\u{fffb}'
        | '\u{fffe}'
        | '\u{ffff}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e007f}' => Some(UnsafeChar::Invisible),
        _ => None,
    }
}

/// The first character of `value` that a field may not hold, as an error naming it and its
/// 1-based position. `multiline` allows `\n` (notes), nothing else.
pub fn check_chars(
    field: &'static str,
    label: &'static str,
    value: &str,
    multiline: bool,
) -> Result<(), FieldError> {
    // Printable ASCII is the common case and never needs a closer look.
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(());
    }
    match first_refused(value, multiline) {
        None => Ok(()),
        Some((position, c, class)) => Err(FieldError::new(
            field,
            label,
            format!(
                "{} U+{:04X} at position {position} is not allowed",
                class.describe(),
                c as u32,
            ),
        )),
    }
}

/// The first character of `value` a field refuses: its 1-based position in `value` as typed, the
/// character and why. Outer whitespace is not looked at (it is trimmed when stored), but counts
/// for the position, so the operator finds the character where they typed it.
/// A zero-width joiner between two emoji (a family, a profession, a rainbow flag) is part of the
/// emoji and allowed; anywhere else it is refused like every zero-width character.
pub fn first_refused(value: &str, multiline: bool) -> Option<(usize, char, UnsafeChar)> {
    let lead = value.chars().take_while(|c| c.is_whitespace()).count();
    let chars: Vec<char> = value.trim().chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        if multiline && c == '\n' || cluster::is_emoji_joiner(&chars, i) {
            return None;
        }
        classify(c).map(|class| (lead + i + 1, c, class))
    })
}

/// Moves the position in `e` (found in the trimmed value) to where it is in `typed`, the value
/// the operator typed with its outer whitespace.
pub fn count_from_typed(e: &mut FieldError, typed: &str) {
    const AT: &str = " at position ";
    let lead = typed.chars().take_while(|c| c.is_whitespace()).count();
    let Some(start) = e.message.find(AT).map(|i| i + AT.len()) else {
        return;
    };
    let digits = e.message[start..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(e.message.len(), |n| start + n);
    if lead == 0 || digits == start {
        return;
    }
    if let Ok(n) = e.message[start..digits].parse::<usize>() {
        e.message
            .replace_range(start..digits, &(n + lead).to_string());
    }
}

// ---------------------------------------------------------------------------------------------
// Normalisation, display and paste

/// The value as it is stored: without leading and trailing whitespace.
pub fn trimmed(s: &str) -> &str {
    s.trim()
}

/// Trims `s` in place, without reallocating when nothing changes.
pub fn trim_in_place(s: &mut String) {
    let t = s.trim();
    if t.len() != s.len() {
        *s = t.to_owned();
    }
}

/// Text safe to draw: every control, bidirectional, zero-width or invisible character becomes a
/// visible `\u{1b}` escape, and every grapheme cluster is drawn so that the program and every
/// terminal agree on its width (emoji sequences as their base emoji, flags as their letters; see
/// [`cluster`]). Borrows when nothing needs changing, which is almost always.
pub fn display(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b))
        || !(s.chars().any(|c| classify(c).is_some()) || cluster::needs_care(s))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    cluster::push_stable(&mut out, s, &|out, c| {
        if classify(c).is_none() {
            return false;
        }
        // Writing to a String cannot fail.
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
        true
    });
    Cow::Owned(out)
}

/// [`display`] as an owned string.
pub fn sanitize_for_display(s: &str) -> String {
    display(s).into_owned()
}

/// Pasted text as it goes into a field, literally. A one-line field gets a space for each line
/// break (CRLF counts as one) and tab; a multi-line field gets `\n` for each line break and a space
/// for a tab. Anything else stays, so validation can name it.
pub fn clean_paste(s: &str, multiline: bool) -> String {
    let brk = if multiline { '\n' } else { ' ' };
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(brk);
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(brk),
            '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Trims every text field of a profile, as it is saved.
pub fn normalize_profile(p: &mut CustomerProfile) {
    let c = &mut p.contact;
    for s in [
        &mut c.company,
        &mut c.first_name,
        &mut c.last_name,
        &mut c.email,
        &mut c.phone,
        &mut c.time_zone,
        &mut c.reference,
        &mut c.notes,
    ] {
        trim_in_place(s);
    }
    normalize_address(&mut c.address);
    let b = &mut p.billing;
    for s in [&mut b.contact, &mut b.email, &mut b.phone, &mut b.tax_id] {
        trim_in_place(s);
    }
    normalize_address(&mut b.address);
}

fn normalize_address(a: &mut Address) {
    for s in [
        &mut a.line1,
        &mut a.line2,
        &mut a.city,
        &mut a.state,
        &mut a.postal_code,
        &mut a.country,
    ] {
        trim_in_place(s);
    }
}

/// Trims a camera's fields and writes its MAC address as `AA:BB:CC:DD:EE:FF` when it is valid.
pub fn normalize_camera(c: &mut CameraSpec) {
    for s in [
        &mut c.name,
        &mut c.mac,
        &mut c.serial,
        &mut c.model,
        &mut c.location,
    ] {
        trim_in_place(s);
    }
    if let Ok(mac) = normalize_mac(&c.mac) {
        c.mac = mac;
    }
}

pub fn normalize_role(r: &mut Role) {
    trim_in_place(&mut r.name);
    trim_in_place(&mut r.description);
}

pub fn normalize_new_user(u: &mut NewUser) {
    trim_in_place(&mut u.first_name);
    trim_in_place(&mut u.last_name);
    trim_in_place(&mut u.email);
}

// ---------------------------------------------------------------------------------------------
// Field validators

fn too_long(field: &'static str, label: &'static str, max: usize, len: usize) -> FieldError {
    FieldError::new(
        field,
        label,
        format!("must be at most {max} characters (it has {len})"),
    )
}

fn required_error(field: &'static str, label: &'static str) -> FieldError {
    FieldError::new(field, label, "required")
}

fn check_len(
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

fn is_local_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

fn check_local_part(local: &str) -> Result<(), String> {
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

fn check_domain(domain: &str) -> Result<(), String> {
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

fn push(errors: &mut Vec<FieldError>, r: Result<(), FieldError>) {
    if let Err(e) = r {
        errors.push(e);
    }
}

fn optional(value: &str, check: impl FnOnce() -> Result<(), FieldError>) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        Ok(())
    } else {
        check()
    }
}

// ---------------------------------------------------------------------------------------------
// Records

/// Every problem of a customer profile, in the order of the wizard's fields.
pub fn validate_profile(p: &CustomerProfile) -> Vec<FieldError> {
    let mut errors = validate_kind(p);
    errors.extend(validate_contact(&p.contact));
    errors.extend(validate_defaults(&p.defaults));
    errors.extend(validate_billing(&p.billing));
    errors
}

/// Wizard step 1. Sub-integrators sit under the integrator itself, so the hierarchy is at most
/// two levels deep and can never loop.
pub fn validate_kind(p: &CustomerProfile) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if p.kind == CustomerType::Integrator && p.parent_id.is_some() {
        errors.push(FieldError::new(
            field::PARENT,
            "Under",
            "a sub-integrator sits under the integrator itself",
        ));
    }
    errors
}

/// Wizard step 2.
pub fn validate_contact(c: &Contact) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(
            CONTACT_COMPANY,
            "Company name",
            &c.company,
            max_len::COMPANY,
        ),
    );
    push(
        &mut e,
        required_text(
            CONTACT_FIRST_NAME,
            "First name",
            &c.first_name,
            max_len::NAME,
        ),
    );
    push(
        &mut e,
        required_text(CONTACT_LAST_NAME, "Last name", &c.last_name, max_len::NAME),
    );
    push(&mut e, email(CONTACT_EMAIL, "Email", &c.email));
    push(
        &mut e,
        optional(&c.phone, || phone(CONTACT_PHONE, "Phone", &c.phone)),
    );
    e.extend(validate_address(&c.address, &CONTACT_ADDRESS));
    push(
        &mut e,
        time_zone(CONTACT_TIME_ZONE, "Time zone", &c.time_zone),
    );
    push(
        &mut e,
        text(
            CONTACT_REFERENCE,
            "Reference",
            &c.reference,
            max_len::REFERENCE,
        ),
    );
    push(
        &mut e,
        multiline_text(CONTACT_NOTES, "Notes", &c.notes, max_len::NOTES),
    );
    e
}

/// An address whose street line, city and country are required.
pub fn validate_address(a: &Address, f: &AddressFields) -> Vec<FieldError> {
    let mut e = Vec::new();
    let (k, l) = f.line1;
    push(&mut e, required_text(k, l, &a.line1, max_len::ADDRESS_LINE));
    let (k, l) = f.line2;
    push(&mut e, text(k, l, &a.line2, max_len::ADDRESS_LINE));
    let (k, l) = f.city;
    push(&mut e, required_text(k, l, &a.city, max_len::CITY));
    let (k, l) = f.state;
    push(&mut e, text(k, l, &a.state, max_len::STATE));
    let (k, l) = f.postal_code;
    push(
        &mut e,
        optional(&a.postal_code, || postal_code(k, l, &a.postal_code)),
    );
    let (k, l) = f.country;
    push(&mut e, required_text(k, l, &a.country, max_len::COUNTRY));
    e
}

/// Wizard step 3: nothing typed, so nothing the store does not check itself.
pub fn validate_defaults(d: &DefaultSettings) -> Vec<FieldError> {
    let mut e = Vec::new();
    if d.default_plan_id.is_some_and(|id| id <= 0) {
        e.push(FieldError::new(
            field::DEFAULTS_DEFAULT_PLAN,
            "Recording plan",
            "choose a plan from the list",
        ));
    }
    e
}

/// Wizard step 5. The billing address counts only while it is not the company's.
pub fn validate_billing(b: &Billing) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        text(
            BILLING_CONTACT,
            "Billing contact",
            &b.contact,
            max_len::BILLING_CONTACT,
        ),
    );
    push(
        &mut e,
        optional(&b.email, || email(BILLING_EMAIL, "Billing email", &b.email)),
    );
    push(
        &mut e,
        optional(&b.phone, || phone(BILLING_PHONE, "Billing phone", &b.phone)),
    );
    if !b.same_as_company {
        e.extend(validate_address(&b.address, &BILLING_ADDRESS));
    }
    push(
        &mut e,
        text(BILLING_TAX_ID, "Tax ID", &b.tax_id, max_len::TAX_ID),
    );
    e
}

/// A camera as typed: name, MAC address and serial number are required.
pub fn validate_camera(c: &CameraSpec) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(CAMERA_NAME, "Camera name", &c.name, max_len::CAMERA_NAME),
    );
    push(&mut e, normalize_mac(&c.mac).map(drop));
    push(
        &mut e,
        required_text(CAMERA_SERIAL, "Serial number", &c.serial, max_len::SERIAL),
    );
    push(
        &mut e,
        text(CAMERA_MODEL, "Model", &c.model, max_len::MODEL),
    );
    push(
        &mut e,
        text(CAMERA_LOCATION, "Location", &c.location, max_len::LOCATION),
    );
    e
}

pub fn validate_role(r: &Role) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(ROLE_NAME, "Role name", &r.name, max_len::ROLE_NAME),
    );
    push(
        &mut e,
        text(
            ROLE_DESCRIPTION,
            "Description",
            &r.description,
            max_len::ROLE_DESCRIPTION,
        ),
    );
    e
}

/// A user as typed; see [`validate_user_roles`] for the roles it holds.
pub fn validate_new_user(u: &NewUser) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(USER_FIRST_NAME, "First name", &u.first_name, max_len::NAME),
    );
    push(
        &mut e,
        required_text(USER_LAST_NAME, "Last name", &u.last_name, max_len::NAME),
    );
    push(&mut e, email(USER_EMAIL, "Email", &u.email));
    if u.roles.is_empty() {
        e.push(FieldError::new(
            USER_ROLES,
            "Roles",
            "choose at least one role",
        ));
    }
    e
}

/// The roles a user holds (indexes into `roles`) exist and are all of one role type.
pub fn validate_user_roles(chosen: &[usize], roles: &[Role]) -> Result<(), FieldError> {
    let err = |m: &str| Err(FieldError::new(field::USER_ROLES, "Roles", m));
    let mut kind = None;
    for &i in chosen {
        let Some(role) = roles.get(i) else {
            return err("a chosen role no longer exists");
        };
        match kind {
            None => kind = Some(role.role_type),
            Some(k) if k != role.role_type => {
                return err("a user's roles must all be Admin roles or all be Guard roles");
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Everything the wizard would write, as the Review step lists it: the profile, new cameras,
/// roles and users, and the rules that span them.
pub fn validate_new_customer(n: &NewCustomer) -> Vec<FieldError> {
    let mut e = validate_profile(&n.profile);
    let mut macs = Vec::new();
    for cam in &n.new_cameras {
        e.extend(validate_camera(cam));
        if let Ok(mac) = normalize_mac(&cam.mac) {
            if macs.contains(&mac) {
                e.push(FieldError::new(
                    field::CAMERA_MAC,
                    "MAC address",
                    format!("{mac} is entered twice"),
                ));
            }
            macs.push(mac);
        }
    }
    for (i, role) in n.roles.iter().enumerate() {
        e.extend(validate_role(role));
        let name = role.name.trim();
        if n.roles[..i]
            .iter()
            .any(|r| r.name.trim().eq_ignore_ascii_case(name))
        {
            e.push(FieldError::new(
                field::ROLE_NAME,
                "Role name",
                format!("\"{}\" is used twice", display(name)),
            ));
        }
        if n.profile.defaults.disable_camera_share && role.permissions.share {
            e.push(FieldError::new(
                field::ROLE_PERMISSIONS,
                "Permissions",
                format!(
                    "role \"{}\" allows Share, but camera share is disabled for this customer",
                    display(name)
                ),
            ));
        }
    }
    for (i, user) in n.users.iter().enumerate() {
        e.extend(validate_new_user(user));
        push(&mut e, validate_user_roles(&user.roles, &n.roles));
        let mail = user.email.trim();
        if !mail.is_empty()
            && n.users[..i]
                .iter()
                .any(|u| u.email.trim().eq_ignore_ascii_case(mail))
        {
            e.push(FieldError::new(
                field::USER_EMAIL,
                "Email",
                format!("{} is given to two users", display(mail)),
            ));
        }
    }
    e
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn field_error_displays_label_and_message() {
        let e = FieldError::new(field::CONTACT_EMAIL, "Email", "missing domain after @");
        assert_eq!(e.to_string(), "Email: missing domain after @");
    }

    #[test]
    fn control_character_is_named_with_its_position() {
        let r = required_text(field::CONTACT_COMPANY, "Company name", "Acm\u{1b}[2J", 120);
        assert_eq!(
            msg(r),
            "Company name: control character U+001B at position 4 is not allowed"
        );
    }

    #[test]
    fn del_c1_newline_and_tab_are_refused_in_one_line_fields() {
        for (value, code, pos) in [
            ("ab\u{7f}", "U+007F", 3),
            ("\u{9b}31m", "U+009B", 1),
            ("one\ntwo", "U+000A", 4),
            ("a\tb", "U+0009", 2),
            ("a\rb", "U+000D", 2),
            ("a\u{2028}b", "U+2028", 2),
        ] {
            let r = text(field::CONTACT_COMPANY, "Company name", value, 120);
            assert_eq!(
                msg(r),
                format!("Company name: control character {code} at position {pos} is not allowed")
            );
        }
    }

    #[test]
    fn bidi_controls_are_refused() {
        for c in [
            '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}',
            '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{061c}',
        ] {
            let value = format!("abc{c}fdp.exe");
            let r = text(field::CAMERA_NAME, "Camera name", &value, 80);
            assert_eq!(
                msg(r),
                format!(
                    "Camera name: bidirectional control character U+{:04X} at position 4 is not allowed",
                    c as u32
                )
            );
        }
    }

    #[test]
    fn zero_width_characters_are_refused() {
        for c in ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'] {
            let value = format!("a{c}b");
            let r = text(field::CONTACT_FIRST_NAME, "First name", &value, 60);
            assert_eq!(
                msg(r),
                format!(
                    "First name: zero-width character U+{:04X} at position 2 is not allowed",
                    c as u32
                )
            );
        }
    }

    #[test]
    fn a_joiner_between_emoji_is_accepted_and_refused_elsewhere() {
        for value in [
            "👨\u{200d}👩\u{200d}👧 Family Security",
            "Rainbow 🏳\u{fe0f}\u{200d}🌈 Ltd",
            "👩🏽\u{200d}💻 Coders",
            "❤\u{fe0f}\u{200d}🔥",
        ] {
            assert!(
                text(field::CONTACT_COMPANY, "Company", value, 120).is_ok(),
                "{value}"
            );
        }
        for (value, position) in [
            ("a\u{200d}b", 2),
            ("👨\u{200d}", 2),
            ("\u{200d}👩", 1),
            ("👨\u{200d}x", 2),
            ("x\u{200d}👩", 2),
            ("👨\u{200d}\u{200d}👩", 2),
        ] {
            assert_eq!(
                msg(text(field::CONTACT_COMPANY, "Company", value, 120)),
                format!(
                    "Company: zero-width character U+200D at position {position} is not allowed"
                ),
                "{value:?}"
            );
        }
    }

    #[test]
    fn invisible_format_characters_are_refused() {
        for c in ['\u{ad}', '\u{2062}', '\u{e0041}', '\u{3164}', '\u{fff9}'] {
            let value = format!("x{c}");
            let r = text(field::ROLE_NAME, "Role name", &value, 60);
            assert_eq!(
                msg(r),
                format!(
                    "Role name: invisible formatting character U+{:04X} at position 2 is not allowed",
                    c as u32
                )
            );
        }
    }

    #[test]
    fn positions_count_in_the_value_as_typed_before_trimming() {
        let r = text(
            field::CONTACT_COMPANY,
            "Company name",
            "  \tAcme\u{7}  ",
            120,
        );
        assert_eq!(
            msg(r),
            "Company name: control character U+0007 at position 8 is not allowed"
        );
        // Outer whitespace itself is trimmed, never refused.
        assert!(text(field::CONTACT_COMPANY, "Company name", "\tAcme\n", 120).is_ok());
        let r = multiline_text(field::CONTACT_NOTES, "Notes", "\n\n  a\u{202e}", 2000);
        assert_eq!(
            msg(r),
            "Notes: bidirectional control character U+202E at position 6 is not allowed"
        );
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let r = text(field::CONTACT_COMPANY, "Company name", "山田🎥\u{7}", 120);
        assert_eq!(
            msg(r),
            "Company name: control character U+0007 at position 4 is not allowed"
        );
    }

    #[test]
    fn notes_allow_newlines_only() {
        assert!(multiline_text(field::CONTACT_NOTES, "Notes", "line 1\nline 2\n", 2000).is_ok());
        let r = multiline_text(field::CONTACT_NOTES, "Notes", "a\r\nb", 2000);
        assert_eq!(
            msg(r),
            "Notes: control character U+000D at position 2 is not allowed"
        );
        assert!(multiline_text(field::CONTACT_NOTES, "Notes", "a\tb", 2000).is_err());
    }

    #[test]
    fn emoji_cjk_rtl_and_quotes_are_accepted() {
        for value in [
            "山田太郎",
            "Café ☕ 🎥 Sécurité",
            "שלום עולם",
            "مرحبا",
            "O'Brien \"Big\" Co.",
            "❤️ Heart",
            "Ünïcödé – “quoted” ‘single’",
            "Ｆｕｌｌｗｉｄｔｈ",
        ] {
            assert!(
                required_text(field::CONTACT_COMPANY, "Company name", value, 120).is_ok(),
                "{value}"
            );
            // Drawn as they are, but for the variation selector of the heart (see below).
            let drawn_as_is = !value.contains('\u{fe0f}');
            assert_eq!(
                matches!(display(value), Cow::Borrowed(_)),
                drawn_as_is,
                "{value}"
            );
        }
    }

    #[test]
    fn ten_thousand_characters_are_refused_with_a_length_message() {
        let long = "a".repeat(10_000);
        let r = required_text(
            field::CONTACT_COMPANY,
            "Company name",
            &long,
            max_len::COMPANY,
        );
        assert_eq!(
            msg(r),
            "Company name: must be at most 120 characters (it has 10000)"
        );
        let r = multiline_text(field::CONTACT_NOTES, "Notes", &long, max_len::NOTES);
        assert_eq!(
            msg(r),
            "Notes: must be at most 2000 characters (it has 10000)"
        );
        let mut p = valid_profile();
        p.contact.email = format!("{long}@example.com");
        let errors = validate_profile(&p);
        assert_eq!(fields(&errors), [field::CONTACT_EMAIL]);
        assert!(errors[0].message.contains("at most 254"), "{}", errors[0]);
    }

    #[test]
    fn length_counts_characters_of_the_trimmed_value() {
        let emoji = "🎥".repeat(60);
        assert!(required_text(field::USER_FIRST_NAME, "First name", &emoji, 60).is_ok());
        let padded = format!("  {}  ", "a".repeat(60));
        assert!(required_text(field::USER_FIRST_NAME, "First name", &padded, 60).is_ok());
        assert!(required_text(field::USER_FIRST_NAME, "First name", &"a".repeat(61), 60).is_err());
    }

    #[test]
    fn blank_required_text_is_refused() {
        for value in ["", "   ", "\u{3000}"] {
            let r = required_text(field::CONTACT_COMPANY, "Company name", value, 120);
            assert_eq!(msg(r), "Company name: required");
        }
    }

    // --- normalisation, display, paste --------------------------------------------------------

    #[test]
    fn trimmed_strips_surrounding_whitespace() {
        assert_eq!(trimmed("  Acme \t"), "Acme");
        let mut s = String::from(" x ");
        trim_in_place(&mut s);
        assert_eq!(s, "x");
        let mut p = valid_profile();
        p.contact.company = "  Acme  ".into();
        p.billing.address.city = " Paris ".into();
        normalize_profile(&mut p);
        assert_eq!(p.contact.company, "Acme");
        assert_eq!(p.billing.address.city, "Paris");
    }

    #[test]
    fn display_escapes_terminal_sequences() {
        assert_eq!(
            sanitize_for_display("\u{1b}[31mred\u{7}"),
            "\\u{1b}[31mred\\u{7}"
        );
        assert_eq!(
            sanitize_for_display("evil\u{202e}txt.exe"),
            "evil\\u{202e}txt.exe"
        );
        assert_eq!(sanitize_for_display("a\u{200b}b\nc"), "a\\u{200b}b\\u{a}c");
        assert_eq!(sanitize_for_display("\u{9b}2J"), "\\u{9b}2J");
    }

    #[test]
    fn emoji_sequences_are_drawn_as_their_base() {
        assert_eq!(display("🇺🇸🇷🇺🇸 🇦🇫🇦🇲🇸"), "USRUS AFAMS");
        assert_eq!(display("✋🏿 💪🏿 Ltd"), "✋ 💪 Ltd");
        assert_eq!(display("👨\u{200d}👩\u{200d}👦 Family"), "👨 Family");
        assert_eq!(display("0\u{fe0f}\u{20e3} one"), "0  one");
        assert_eq!(display("I \u{2764}\u{fe0f} NY"), "I \u{2764}  NY");
        assert_eq!(display("ﾟ･✿ヾ"), "\u{309c}･✿ヾ");
        // Combining marks stay: every terminal puts them on their base.
        assert_eq!(display("Cafe\u{301}"), "Cafe\u{301}");
        // A joiner outside an emoji sequence is shown as an escape.
        assert_eq!(display("a\u{200d}b"), "a\\u{200d}b");
    }

    #[test]
    fn display_borrows_clean_text() {
        assert!(matches!(display("Acme Security"), Cow::Borrowed(_)));
        assert!(matches!(display("山田 🎥"), Cow::Borrowed(_)));
        assert!(matches!(display(""), Cow::Borrowed(_)));
        assert!(matches!(display("a\u{1b}"), Cow::Owned(_)));
    }

    #[test]
    fn paste_into_one_line_field_turns_breaks_into_spaces() {
        assert_eq!(clean_paste("a\r\nb\nc\rd\te", false), "a b c d e");
        assert_eq!(clean_paste("line\u{2028}two", false), "line two");
        assert_eq!(
            clean_paste("keep \u{1b} literal", false),
            "keep \u{1b} literal"
        );
    }

    #[test]
    fn paste_into_notes_keeps_line_breaks_as_newlines() {
        assert_eq!(clean_paste("a\r\nb\rc\nd\te", true), "a\nb\nc\nd e");
        assert!(
            multiline_text(
                field::CONTACT_NOTES,
                "Notes",
                &clean_paste("x\r\ny\tz", true),
                2000
            )
            .is_ok()
        );
    }

    // --- email --------------------------------------------------------------------------------

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
}
