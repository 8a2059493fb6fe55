use super::*;

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
            format!("Company: zero-width character U+200D at position {position} is not allowed"),
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
