//! The README, verbatim: its "Sample data" commands fill a store in a temporary folder, then every
//! fenced `sh` block runs there, in order, as written, with `admin-portal` on `PATH` as the
//! binary under test. The blocks come from README.md itself, so the examples cannot drift.
//! Blocks that need root (first line `# needs root...`) or run cargo are skipped, and say so.

// Only the SKIPPED line of the shared helpers.
#[path = "support/skip.rs"]
mod skip;

use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../README.md");
const APP: &str = env!("CARGO_BIN_EXE_admin-portal");

/// The text of the section under `heading` (up to the next `## `).
fn section(heading: &str) -> &'static str {
    let start = README
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("README has no {heading:?}"));
    let rest = &README[start + heading.len() + 2..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// The fenced blocks of the README whose language is `sh`, in order.
fn sh_blocks() -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in README.lines() {
        match &mut current {
            None if line.starts_with("```") => {
                let info = line.trim_start_matches('`').trim();
                current = Some(String::new());
                if info.split_whitespace().next() != Some("sh") {
                    // Not shell: skipped to its closing fence below.
                    current = Some("\u{0}".into());
                }
            }
            None => {}
            Some(block) if line.starts_with("```") => {
                if !block.starts_with('\u{0}') {
                    blocks.push(std::mem::take(block));
                }
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    assert!(current.is_none(), "README: a fence is not closed");
    blocks
}

fn has_jq() -> bool {
    Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn bash(dir: &Path, script: &str) -> std::process::Output {
    let bin = dir.join("bin");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args([
            "--norc",
            "--noprofile",
            "-e",
            "-o",
            "pipefail",
            "-c",
            script,
        ])
        .current_dir(dir)
        .env("PATH", path)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("c"))
        .env("XDG_DATA_HOME", dir.join("d"))
        .env("XDG_STATE_HOME", dir.join("s"))
        .env("ADMIN_PORTAL_SYSTEM_CONFIG", dir.join("system.toml"))
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .output()
        .expect("run bash")
}

#[test]
fn the_newcomer_commands_stay_as_they_are() {
    let fresh = section("## On a fresh machine");
    assert!(fresh.contains("\n    cargo run --release\n"), "{fresh}");
    assert!(fresh.contains("\n    cargo test\n"), "{fresh}");
    assert!(fresh.contains("Rust 1.88"), "{fresh}");
    assert!(fresh.contains("C\ncompiler") || fresh.contains("C compiler"));
    assert!(fresh.contains("cargo install --path ."), "{fresh}");
    let manifest = include_str!("../Cargo.toml");
    assert!(manifest.contains("rust-version = \"1.88\""), "{manifest}");
}

#[test]
fn every_shell_example_runs_as_written_after_the_sample_data_commands() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(APP, bin.join("admin-portal")).unwrap();
    std::fs::create_dir(dir.path().join("c")).unwrap();

    // "Sample data", with the built program in place of `cargo run --release --`.
    let fills: Vec<String> = section("## Sample data")
        .lines()
        .filter_map(|l| l.strip_prefix("    cargo run --release -- "))
        .filter(|l| l.starts_with("demo "))
        .map(|l| format!("admin-portal {l}"))
        .collect();
    assert_eq!(fills.len(), 1, "one demo command in Sample data");
    for fill in &fills {
        let out = bash(dir.path(), fill);
        assert!(
            out.status.success(),
            "{fill}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let jq = has_jq();
    let mut ran = 0;
    for block in sh_blocks() {
        let first = block.lines().next().unwrap_or_default();
        if first.starts_with("# needs root") {
            println!("skipped (needs root): {first}");
            continue;
        }
        if block
            .lines()
            .any(|l| l.trim_start().starts_with("cargo ") || l.contains(" cargo "))
        {
            println!("skipped (builds with cargo; run by hand): {first}");
            continue;
        }
        if !jq && block.contains("| jq") {
            skip::skipped(&format!(
                "jq is not installed, so this example did not run: {first}"
            ));
            continue;
        }
        let out = bash(dir.path(), &block);
        assert!(
            out.status.success(),
            "this README example failed ({}):\n{block}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        println!("ran: {first}");
        ran += 1;
    }
    assert!(ran >= 6, "only {ran} examples ran");
}
