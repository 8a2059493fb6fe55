//! The CSV imports (customers, and cameras checked against a small store): never a panic.
#![no_main]

use std::sync::OnceLock;

use admin_portal::store::{OpenMode, Store};
use libfuzzer_sys::fuzz_target;

fn store_path() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        Store::open(&dir.path().join("fuzz.db"), OpenMode::Create).unwrap();
        dir
    });
    Box::leak(dir.path().join("fuzz.db").into_boxed_path())
}

fuzz_target!(|text: &str| {
    let _ = admin_portal::transfer::parse_customers_csv(text);
    let store = Store::open(store_path(), OpenMode::ReadOnly).unwrap();
    let _ = admin_portal::transfer::parse_cameras_csv(text, &store);
});
