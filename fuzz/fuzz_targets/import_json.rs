//! The customers import (JSON): any bytes give customers or problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = admin_portal::transfer::parse_customers_json(text);
});
