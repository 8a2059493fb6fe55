//! Characters: which are refused, how stored text is drawn, normalised and pasted.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::*;
use crate::domain::{Address, CameraSpec, CustomerProfile, NewUser, Role};

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

pub(super) fn normalize_address(a: &mut Address) {
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
