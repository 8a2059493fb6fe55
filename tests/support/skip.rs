//! Rust has no run-time skip: a test that cannot run here (a tool or a privilege is missing)
//! returns early, and says so on one line that `.ci/run` collects into its summary.

use std::io::Write;

/// Prints `SKIPPED: <test>: <reason>` straight to the process's stderr: the test harness captures
/// `eprintln!`, so the line would only show for a failure; written past it, it shows in every
/// run. The test's name is the harness thread's name.
pub fn skipped(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("unnamed test");
    let line = format!("SKIPPED: {test}: {reason}\n");
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}
