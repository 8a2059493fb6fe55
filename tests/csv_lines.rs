//! `cameras import` and `customers import` name the true line of a bad row, whatever the file's
//! line endings (LF, CRLF as Excel and Python write, a mix) and when a quoted field before it
//! spans lines. The csv crate's own line count undercounts CRLF (rust-csv issue 395).

mod support;

use std::path::Path;
use std::process::Output;

fn run(dir: &Path, args: &[&str]) -> Output {
    support::app::cli_in(dir).args(args).output().unwrap()
}

/// What `import` says about `text` written to `name`: it must refuse the file.
fn refusal(kind: &str, name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let out = run(
        dir.path(),
        &["--db", "s.db", "--init", kind, "import", name],
    );
    assert_ne!(out.status.code(), Some(0), "{name} was accepted");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The same rows with `\n`, `\r\n` and a mix of both.
fn endings(lines: &[&str]) -> [(&'static str, String); 3] {
    let mixed: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{l}{}", if i % 2 == 0 { "\r\n" } else { "\n" }))
        .collect();
    [
        ("lf", lines.iter().map(|l| format!("{l}\n")).collect()),
        ("crlf", lines.iter().map(|l| format!("{l}\r\n")).collect()),
        ("mixed", mixed),
    ]
}

const CAMERAS: &[&str] = &[
    "name,mac,serial",
    "Door,00:11:22:33:44:55,S1",
    "Gate,00:11:22:33:44:56,S2",
    "Yard,not a mac,S3",
];

#[test]
fn cameras_import_names_the_line_of_a_bad_mac() {
    for (ending, text) in endings(CAMERAS) {
        let err = refusal("cameras", "cams.csv", &text);
        assert!(err.contains("cams.csv:4: mac: "), "{ending}: {err}");
    }
}

#[test]
fn cameras_import_names_the_line_of_a_row_with_too_few_fields() {
    for (ending, text) in endings(&["name,mac,serial", "Door,00:11:22:33:44:55,S1", "Gate"]) {
        let err = refusal("cameras", "cams.csv", &text);
        assert!(err.contains("cams.csv:3: "), "{ending}: {err}");
    }
}

#[test]
fn a_quoted_field_spanning_lines_counts_its_lines() {
    for (ending, text) in endings(&[
        "name,mac,serial,location",
        "Door,00:11:22:33:44:55,S1,\"first floor",
        "by the stairs\"",
        "Yard,not a mac,S3,",
    ]) {
        let err = refusal("cameras", "cams.csv", &text);
        assert!(err.contains("cams.csv:4: mac: "), "{ending}: {err}");
    }
    // The break inside the quotes is CRLF while the rows end in LF, and the other way round.
    let text = "name,mac,serial,location\nDoor,00:11:22:33:44:55,S1,\"a\r\nb\r\nc\"\nYard,x,S3,\n";
    let err = refusal("cameras", "cams.csv", text);
    assert!(err.contains("cams.csv:5: mac: "), "{err}");
    let text = "name,mac,serial,location\r\nDoor,00:11:22:33:44:55,S1,\"a\nb\"\r\nYard,x,S3,\r\n";
    let err = refusal("cameras", "cams.csv", text);
    assert!(err.contains("cams.csv:4: mac: "), "{err}");
}

#[test]
fn customers_import_names_the_line_of_a_bad_row() {
    for (ending, text) in endings(&[
        "contact.company,contact.notes,billing.tax_exempt",
        "Acme,,no",
        "Beta,\"two",
        "lines\",yes",
        "Gamma,,maybe",
    ]) {
        let err = refusal("customers", "c.csv", &text);
        assert!(
            err.contains("c.csv:5: billing.tax_exempt: "),
            "{ending}: {err}"
        );
        assert!(!err.contains("c.csv:4:"), "{ending}: {err}");
    }
}

#[test]
fn a_refused_character_is_placed_in_the_cell_as_written_not_as_trimmed() {
    let err = refusal(
        "cameras",
        "cams.csv",
        "name,mac,serial\n   Door\u{202e}x,00:11:22:33:44:55,S1\n",
    );
    assert!(
        err.contains("cams.csv:2: name: bidirectional control character U+202E at position 8 "),
        "{err}"
    );
}
