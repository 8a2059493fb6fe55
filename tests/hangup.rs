//! A terminal that vanishes (SSH connection dropped, terminal window closed) must end the portal
//! and keep the wizard's draft, even when no SIGHUP reaches it: crossterm 0.29 then spins inside
//! `event::poll` forever (crossterm issue 793), so the portal watches for the hang-up itself.
//! tmux gives a terminal that can vanish under a running program, as `kill-server` does.

// Only the SKIPPED line of the shared helpers.
#[path = "support/skip.rs"]
mod skip;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use admin_portal::store::{OpenMode, Store};

const APP: &str = env!("CARGO_BIN_EXE_admin-portal");

fn tmux(socket: &Path, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(args)
        .output()
        .expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_for_pane(socket: &Path, text: &str) {
    let start = Instant::now();
    loop {
        let screen = tmux(socket, &["capture-pane", "-p", "-t", "hup"]);
        if screen.contains(text) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "waiting for {text:?}:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Processes whose command line names `needle` (the test's own store path, so unique).
fn processes_naming(needle: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(needle) && pid != std::process::id() {
            found.push(pid);
        }
    }
    found
}

#[test]
fn a_vanished_terminal_ends_the_portal_and_keeps_the_draft() {
    if Command::new("tmux").arg("-V").output().is_err() {
        skip::skipped("tmux is not installed, so no terminal can vanish under the portal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hangup.db");
    let status = Command::new(APP)
        .args(["demo", "--db", db.to_str().unwrap(), "--customers", "5"])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(status.status.success());
    let socket = dir.path().join("tmux.sock");
    let cmd = format!(
        "env HOME={home} XDG_STATE_HOME={home}/state {APP} --db {db}",
        home = dir.path().display(),
        db = db.display()
    );
    tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "hup",
            "-x",
            "100",
            "-y",
            "30",
            &cmd,
        ],
    );
    wait_for_pane(&socket, "Customers");
    tmux(&socket, &["send-keys", "-t", "hup", "a"]);
    wait_for_pane(&socket, "Customer Type");
    tmux(&socket, &["send-keys", "-t", "hup", "C-n"]);
    wait_for_pane(&socket, "Company name");
    tmux(
        &socket,
        &["send-keys", "-t", "hup", "-l", "Vanishing Terminals Ltd"],
    );
    wait_for_pane(&socket, "Vanishing Terminals Ltd");
    let db_path = db.display().to_string();
    assert!(!processes_naming(&db_path).is_empty(), "the portal runs");

    tmux(&socket, &["kill-server"]);

    let start = Instant::now();
    while !processes_naming(&db_path).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the portal outlived its terminal: {:?}",
            processes_naming(&db_path)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    let login = admin_portal::domain::Operator::from_env().login;
    let draft = store.draft(&login).unwrap().expect("the draft was saved");
    assert_eq!(draft.step, 2);
    assert!(
        draft.data.contains("Vanishing Terminals Ltd"),
        "{}",
        draft.data
    );
}
