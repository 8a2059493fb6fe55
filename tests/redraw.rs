//! Whatever the stored text, a full redraw changes nothing on any screen: the program and the
//! terminal agree on the width of every grapheme cluster, so no cell the program believes
//! covered is left stale (issue 15). The emoji lines of the Big List of Naughty Strings are
//! written into a store as customer, camera, role, user and audit text; every screen that shows
//! them is compared before and after a forced full redraw (resize by one column and back), in a
//! pseudo-terminal read by `vt100` and, when tmux is installed, in tmux.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};
use support::app::isolated_env;
use support::pty::{Key, Pty};

/// The emoji lines of blns.txt (see the licence note in the file).
fn emoji_lines() -> Vec<String> {
    include_str!("data/blns_emoji.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_owned)
        .collect()
}

const CUSTOMERS: usize = 5;

/// A demo store whose first customers, their cameras, roles, users and the audit log hold the
/// emoji lines, written with raw SQL as another tool would.
fn emoji_store(db: &Path) {
    let mut store = Store::open(db, OpenMode::Create).unwrap();
    let spec = DemoSpec {
        customers: 8,
        cameras: 40,
        seed: 3,
    };
    store.fill_demo(&spec, &mut |_| {}).unwrap();
    drop(store);
    let lines = emoji_lines();
    let line = |i: usize| lines[i % lines.len()].as_str();
    let conn = rusqlite::Connection::open(db).unwrap();
    for k in 0..CUSTOMERS {
        let id = k as i64 + 1;
        let notes = (0..5)
            .map(|j| line(5 * k + j))
            .collect::<Vec<_>>()
            .join("\n");
        conn.execute(
            "UPDATE customers SET name = ?1, contact_first = ?2, contact_last = ?3, city = ?4,
                reference = ?5, notes = ?6 WHERE id = ?7",
            rusqlite::params![
                format!("Emoji{k} {}", line(5 * k)),
                line(5 * k + 1),
                line(5 * k + 2),
                line(5 * k + 3),
                line(5 * k + 4),
                notes,
                id
            ],
        )
        .unwrap();
    }
    let set = |sql: &str| {
        let ids: Vec<i64> = {
            let table = sql.split_whitespace().nth(1).unwrap();
            let mut stmt = conn.prepare(&format!("SELECT id FROM {table}")).unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        for id in ids {
            let i = usize::try_from(id).unwrap();
            conn.execute(sql, rusqlite::params![line(i), line(i + 7), id])
                .unwrap();
        }
    };
    set("UPDATE cameras SET name = ?1, location = ?2, model = ?1 WHERE id = ?3");
    set("UPDATE roles SET name = ?1 || ' ' || ?3 WHERE id = ?3");
    set("UPDATE users SET first_name = ?1, last_name = ?2 WHERE id = ?3");
    set("UPDATE audit SET summary = ?1, customer_name = ?2 WHERE id = ?3");
}

/// Waits until the program has written nothing for a while: the screen is drawn.
fn settle(pty: &Pty) {
    settle_output(|| pty.raw_output().len());
}

/// Waits until `written()` (the bytes the program has written so far) stays the same for 250 ms,
/// up to the harness's timeout.
fn settle_output(written: impl Fn() -> usize) {
    let quiet = Duration::from_millis(250);
    let deadline = Instant::now() + support::pty::TIMEOUT;
    let mut len = written();
    let mut since = Instant::now();
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(25));
        let now = written();
        if now != len {
            len = now;
            since = Instant::now();
        } else if since.elapsed() >= quiet {
            return;
        }
    }
}

fn clears(pty: &Pty) -> usize {
    pty.raw_output()
        .windows(4)
        .filter(|w| w == b"\x1b[2J")
        .count()
}

/// Every cell of the screen: its text (a wide character's second cell and a blank are empty).
fn cells(pty: &Pty) -> Vec<Vec<String>> {
    pty.with_screen(|s| {
        let (rows, cols) = s.size();
        (0..rows)
            .map(|r| {
                (0..cols)
                    .map(|c| match s.cell(r, c) {
                        // A space written and a cell cleared look the same.
                        Some(x) if x.contents() == " " => String::new(),
                        Some(x) => x.contents().to_string(),
                        None => String::new(),
                    })
                    .collect()
            })
            .collect()
    })
}

/// The cells that differ between two screens, for a failure message.
fn cell_diff(before: &[Vec<String>], after: &[Vec<String>]) -> String {
    let mut out = String::new();
    for (r, (b, a)) in before.iter().zip(after).enumerate() {
        for (c, (x, y)) in b.iter().zip(a).enumerate() {
            if x != y {
                out.push_str(&format!("({r},{c}): {x:?} then {y:?}\n"));
            }
        }
    }
    out
}

/// The rows that differ between two screens, for a failure message.
fn diff(before: &str, after: &str) -> String {
    let (b, a): (Vec<_>, Vec<_>) = (before.lines().collect(), after.lines().collect());
    let mut out = String::new();
    for i in 0..b.len().max(a.len()) {
        let (x, y) = (b.get(i).unwrap_or(&""), a.get(i).unwrap_or(&""));
        if x != y {
            out.push_str(&format!("row {i}\n  before: {x}\n  after:  {y}\n"));
        }
    }
    out
}

/// Resizes by one column and back, and checks the fully redrawn screen is the one before.
fn assert_redraw_changes_nothing(pty: &Pty, cols: u16, rows: u16, screen: &str) {
    settle(pty);
    let before = pty.screen();
    let before_cells = cells(pty);
    let cleared = clears(pty);
    pty.resize(cols + 1, rows);
    pty.wait_until(None, "a redraw at the wider size", |_| {
        clears(pty) > cleared
    })
    .unwrap();
    settle(pty);
    pty.resize(cols, rows);
    pty.wait_until(None, "a redraw at the first size", |_| {
        clears(pty) > cleared + 1
    })
    .unwrap();
    settle(pty);
    let after = pty.screen();
    let after_cells = cells(pty);
    assert!(
        before_cells == after_cells,
        "{screen} at {cols}x{rows}: a full redraw changed the screen\n{}{}",
        diff(&before, &after),
        cell_diff(&before_cells, &after_cells)
    );
}

/// Shows the customer whose name starts with `Emoji{k}`, from the Customers list.
fn open_customer(pty: &Pty, k: usize) {
    pty.send("/");
    pty.send_keys(&[Key::Ctrl('u')]);
    pty.send(&format!("Emoji{k}"));
    pty.send_key(Key::Enter);
    pty.send_key(Key::Home);
    pty.send_key(Key::Enter);
    pty.expect_text("Account Profile");
}

fn every_screen_redraws_unchanged(cols: u16, rows: u16) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    emoji_store(&db);
    let env = isolated_env(dir.path());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let pty = Pty::spawn(&["--db", &db.display().to_string()], &env, cols, rows);
    pty.expect_text("Emoji");
    assert_redraw_changes_nothing(&pty, cols, rows, "Customers");
    pty.send_key(Key::PgDn);
    assert_redraw_changes_nothing(&pty, cols, rows, "Customers, last row selected");
    pty.send_key(Key::PgUp);
    for k in 0..CUSTOMERS {
        open_customer(&pty, k);
        assert_redraw_changes_nothing(&pty, cols, rows, &format!("Account Profile {k}"));
        for tab in ["Cameras", "Roles", "Users", "Logs"] {
            pty.send_key(Key::Right);
            assert_redraw_changes_nothing(&pty, cols, rows, &format!("{tab} of customer {k}"));
        }
        pty.send_key(Key::Esc);
        pty.expect_text("Emoji");
    }
    for tab in ["2", "3", "4"] {
        pty.send(tab);
        assert_redraw_changes_nothing(&pty, cols, rows, &format!("tab {tab}"));
    }
    pty.send_key(Key::Enter);
    pty.expect_text("Audit entry #");
    assert_redraw_changes_nothing(&pty, cols, rows, "an audit entry");
}

/// The contact of a new customer, as the wizard's step 2 takes it field by field: the text and
/// how many Tabs lead to the next field. Emoji lines of blns.txt where free text goes.
fn wizard_contact() -> Vec<(String, usize)> {
    let lines = emoji_lines();
    let find = |start: &str| lines.iter().find(|l| l.starts_with(start)).unwrap().clone();
    vec![
        (format!("Emoji {}", find("✋")), 1),
        (find("👨\u{200d}👩"), 1),
        (find("🇺🇸🇷🇺🇸 "), 1),
        ("dana@example.com".into(), 1),
        ("+1 555 010 4477".into(), 1),
        (find("0\u{fe0f}"), 2),
        (find("ﾟ･✿"), 1),
        (find("❤\u{fe0f}"), 1),
        ("97201".into(), 1),
    ]
}

#[test]
fn the_wizard_review_redraws_unchanged() {
    let (cols, rows) = (80, 24);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    emoji_store(&db);
    let env = isolated_env(dir.path());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let pty = Pty::spawn(&["--db", &db.display().to_string()], &env, cols, rows);
    pty.expect_text("Emoji");
    pty.send("a");
    pty.expect_text("step 1 of 8");
    pty.send_key(Key::Ctrl('n'));
    pty.expect_text("step 2 of 8");
    for (text, tabs) in wizard_contact() {
        pty.paste(&text);
        for _ in 0..tabs {
            pty.send_key(Key::Tab);
        }
    }
    pty.send("United States");
    pty.send_key(Key::Enter);
    assert_redraw_changes_nothing(&pty, cols, rows, "wizard, Contact");
    for step in 3..=8 {
        pty.send_key(Key::Ctrl('n'));
        settle(&pty);
        if step == 6 {
            pty.expect_text("Link cameras");
            assert_redraw_changes_nothing(&pty, cols, rows, "wizard, Cameras");
        }
    }
    pty.expect_text("No problems left");
    assert_redraw_changes_nothing(&pty, cols, rows, "wizard, Review");
    pty.send_key(Key::PgDn);
    assert_redraw_changes_nothing(&pty, cols, rows, "wizard, Review, page 2");
}

#[test]
fn every_screen_redraws_unchanged_at_80x24() {
    every_screen_redraws_unchanged(80, 24);
}

// ---- the same under tmux ----

/// The real portal in a detached tmux session on a private server, its output piped to a file
/// so a test can tell when it has redrawn.
struct Tmux {
    socket: std::path::PathBuf,
    output: std::path::PathBuf,
}

impl Tmux {
    /// None when tmux is not installed.
    fn start(dir: &Path, program: &str, cols: u16, rows: u16) -> Option<Tmux> {
        let tmux = Tmux {
            socket: dir.join("tmux.sock"),
            output: dir.join("pane.out"),
        };
        let status = tmux
            .cmd(&[
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                &cols.to_string(),
                "-y",
                &rows.to_string(),
                program,
            ])
            .status()
            .ok()?;
        assert!(status.success(), "tmux new-session failed");
        tmux.run(&[
            "pipe-pane",
            "-o",
            "-t",
            "t",
            &format!("cat >> {}", tmux.output.display()),
        ]);
        Some(tmux)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-u")
            .arg("-S")
            .arg(&self.socket)
            .args(["-f", "/dev/null"])
            .args(args)
            .env("LC_ALL", "C.UTF-8")
            .env("TERM", "xterm-256color");
        cmd
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn capture(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    fn send(&self, text: &str) {
        self.run(&["send-keys", "-t", "t", "-l", text]);
    }

    fn key(&self, key: &str) {
        self.run(&["send-keys", "-t", "t", key]);
    }

    fn raw(&self) -> Vec<u8> {
        std::fs::read(&self.output).unwrap_or_default()
    }

    fn clears(&self) -> usize {
        self.raw().windows(4).filter(|w| w == b"\x1b[2J").count()
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut(&Tmux) -> bool) {
        let deadline = Instant::now() + support::pty::TIMEOUT;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "tmux: waited for {what}; the pane:\n{}",
                self.capture()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn expect_text(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |t| t.capture().contains(text));
    }

    /// Waits until the program has written nothing for a while.
    fn settle(&self) {
        settle_output(|| self.raw().len());
    }

    fn assert_redraw_changes_nothing(&self, cols: u16, screen: &str) {
        self.settle();
        let before = self.capture();
        let cleared = self.clears();
        self.run(&["resize-window", "-t", "t", "-x", &(cols + 1).to_string()]);
        self.wait_until("a redraw at the wider size", |t| t.clears() > cleared);
        self.settle();
        self.run(&["resize-window", "-t", "t", "-x", &cols.to_string()]);
        self.wait_until("a redraw at the first size", |t| t.clears() > cleared + 1);
        self.settle();
        let after = self.capture();
        assert!(
            before == after,
            "tmux, {screen}: a full redraw changed the screen\n{}",
            diff(&before, &after)
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]).output();
    }
}

#[test]
fn every_screen_redraws_unchanged_under_tmux() {
    let (cols, rows) = (100, 30);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    emoji_store(&db);
    let vars: String = isolated_env(dir.path())
        .iter()
        .map(|(k, v)| format!("{k}={v} "))
        .collect();
    let program = format!(
        "env {vars}{} --db {}",
        env!("CARGO_BIN_EXE_admin-portal"),
        db.display()
    );
    let Some(tmux) = Tmux::start(dir.path(), &program, cols, rows) else {
        support::skip::skipped("tmux is not installed");
        return;
    };
    tmux.expect_text("Emoji");
    tmux.assert_redraw_changes_nothing(cols, "Customers");
    for k in 0..CUSTOMERS {
        tmux.send("/");
        tmux.key("C-u");
        tmux.send(&format!("Emoji{k}"));
        tmux.key("Enter");
        tmux.key("Home");
        tmux.key("Enter");
        tmux.expect_text("Account Profile");
        tmux.assert_redraw_changes_nothing(cols, &format!("Account Profile {k}"));
        for tab in ["Cameras", "Roles", "Users", "Logs"] {
            tmux.key("Right");
            tmux.assert_redraw_changes_nothing(cols, &format!("{tab} of customer {k}"));
        }
        tmux.key("Escape");
        tmux.expect_text("Emoji");
    }
    for tab in ["2", "3", "4"] {
        tmux.send(tab);
        tmux.assert_redraw_changes_nothing(cols, &format!("tab {tab}"));
    }
    tmux.key("Enter");
    tmux.expect_text("Audit entry #");
    tmux.assert_redraw_changes_nothing(cols, "an audit entry");
    tmux.key("Escape");
    tmux.settle();
    tmux.send("1");
    tmux.expect_text("Emoji");
    tmux.send("a");
    tmux.expect_text("step 1 of 8");
    tmux.key("C-n");
    tmux.expect_text("step 2 of 8");
    for (text, tabs) in wizard_contact() {
        tmux.send(&text);
        for _ in 0..tabs {
            tmux.key("Tab");
        }
    }
    tmux.send("United States");
    tmux.key("Enter");
    tmux.assert_redraw_changes_nothing(cols, "wizard, Contact");
    for step in 3..=8 {
        tmux.key("C-n");
        tmux.settle();
        if step == 6 {
            tmux.expect_text("Link cameras");
            tmux.assert_redraw_changes_nothing(cols, "wizard, Cameras");
        }
    }
    tmux.expect_text("No problems left");
    tmux.assert_redraw_changes_nothing(cols, "wizard, Review");
    tmux.key("PageDown");
    tmux.assert_redraw_changes_nothing(cols, "wizard, Review, page 2");
}
