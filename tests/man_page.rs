//! The man page's `.TH` line holds a real date, and mandoc finds nothing to warn about.

// Only the SKIPPED line of the shared helpers.
#[path = "support/skip.rs"]
mod skip;

use std::process::Command;

fn man_page() -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_admin-portal"))
        .arg("man")
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("c"))
        .env("ADMIN_PORTAL_SYSTEM_CONFIG", dir.path().join("system.toml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_title_line_holds_a_real_date() {
    let page = man_page();
    let th = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
    let words: Vec<&str> = th.split(' ').collect();
    assert_eq!(&words[..2], [".TH", "admin-portal"], "{th}");
    assert_eq!(words[2], "1", "{th}");
    let date: jiff::civil::Date = words[3].parse().unwrap_or_else(|e| panic!("{th}: {e}"));
    assert!(date.year() >= 2026, "{th}");
    assert_eq!(words[3], date.to_string(), "{th}: not YYYY-MM-DD");
    assert!(
        th.ends_with(&format!(
            "\"admin-portal {}\" \"admin-portal manual\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{th}"
    );
}

#[test]
fn mandoc_finds_nothing_to_warn_about() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("admin-portal.1");
    std::fs::write(&path, man_page()).unwrap();
    let Ok(out) = Command::new("mandoc")
        .args(["-T", "lint", "-W", "warning"])
        .arg(&path)
        .output()
    else {
        skip::skipped("mandoc is not installed");
        return;
    };
    let report =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && report.trim().is_empty(), "{report}");
}
