//! The text sanitiser: whatever the input, `display` leaves no character a terminal acts on,
//! keeps safe text as it is, and `check_chars` refuses exactly the text `display` would change.
#![no_main]

use admin_portal::domain::validate::{check_chars, classify, clean_paste, display};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let shown = display(text);
    assert!(!shown.chars().any(|c| classify(c).is_some()), "{shown:?}");
    let refused = check_chars("f", "Field", text, false).is_err();
    assert_eq!(refused, shown != text, "{text:?}");
    let pasted = clean_paste(text, false);
    assert!(!pasted.contains(['\n', '\r', '\t']));
    let _ = check_chars("f", "Field", &pasted, true);
});
