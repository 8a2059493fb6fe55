//! The terminal as an operator sees it: the real binary in a pseudo-terminal, and the harness
//! itself (`harness_*`, against small shell programs, so it can be trusted when an app test fails).

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::app::isolated_env;
use support::pty::assert_terminal_restored;
use support::pty::{Key, Pty};

const APP: &str = env!("CARGO_BIN_EXE_admin-portal");

fn spawn_app(dir: &Path, cols: u16, rows: u16) -> Pty {
    let db = dir.join("s.db").display().to_string();
    let env = isolated_env(dir);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Pty::spawn(&["--db", &db, "--init"], &env, cols, rows)
}

#[test]
fn app_starts_on_customers_and_q_quits_with_a_clean_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn_app(dir.path(), 100, 30);
    pty.expect_text("Customers");
    assert!(
        pty.alternate_screen(),
        "the portal draws on the alternate screen"
    );
    assert!(pty.bracketed_paste(), "pasted text must arrive as a paste");

    pty.send("q");
    assert_eq!(pty.exit_code(None), Ok(0));
    assert_terminal_restored(&pty);
    assert!(
        pty.wrote(b"\x1b[?2004l"),
        "bracketed paste explicitly disabled"
    );
}

#[test]
fn app_on_sigterm_exits_128_plus_signal_with_a_clean_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn_app(dir.path(), 100, 30);
    pty.expect_text("Customers");

    pty.signal(libc::SIGTERM);
    assert_eq!(pty.exit_code(None), Ok(128 + libc::SIGTERM as u32));
    assert_terminal_restored(&pty);
}

#[test]
fn app_without_a_terminal_says_how_to_connect_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let output = Command::new(APP)
        .args(["--db".as_ref(), db.as_os_str(), "--init".as_ref()])
        .envs(isolated_env(dir.path()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run admin-portal");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("needs an interactive terminal"))
        .unwrap_or_else(|| panic!("stderr: {stderr}"));
    assert_eq!(
        line.matches("admin-portal").count(),
        1,
        "the program named once: {line}"
    );
    assert!(
        !output.stdout.contains(&0x1b),
        "escape sequences written into a pipe: {:?}",
        String::from_utf8_lossy(&output.stdout)
    );
}

// ---- the harness itself, against programs that are always there ----

fn bash(script: &str, cols: u16, rows: u16) -> Pty {
    Pty::spawn_cmd(
        "bash",
        &["--norc", "--noprofile", "-c", script],
        &[],
        cols,
        rows,
    )
}

#[test]
fn harness_sees_what_the_program_prints_and_erases() {
    let script = r"printf hello; sleep 0.3; printf '\033[2J\033[Hbye'; sleep 5";
    let pty = Pty::spawn_cmd("/bin/sh", &["-c", script], &[], 80, 24);
    pty.expect_text("hello");
    pty.wait_gone("hello").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pty.row(0), "bye");
}

#[test]
fn harness_timeout_error_shows_the_screen() {
    let pty = Pty::spawn_cmd("/bin/sh", &["-c", "printf visible; sleep 5"], &[], 40, 5);
    pty.expect_text("visible");
    let err = pty
        .wait_for("never printed", Duration::from_millis(100))
        .unwrap_err();
    assert!(err.contains("never printed"), "{err}");
    assert!(err.contains("visible"), "{err}");
}

#[test]
fn harness_answers_the_cursor_position_query() {
    let script = r#"stty raw -echo
printf '\033[3;5H\033[6n'
IFS= read -r -d R reply
stty sane
printf '\r\ngot[%s]\r\n' "${reply#?}"
sleep 5"#;
    let pty = bash(script, 80, 24);
    pty.expect_text("got[[3;5]");
}

#[test]
fn harness_tracks_modes_and_sees_them_restored_after_exit() {
    let script = r#"printf '\033[?1049h\033[?2004h\033[?1000h\033[?25lin-alt'
read -r _
printf '\033[?1000l\033[?2004l\033[?1049l\033[?25h'
exit 3"#;
    let mut pty = bash(script, 80, 24);
    pty.expect_text("in-alt");
    assert!(pty.alternate_screen());
    assert!(pty.bracketed_paste());
    assert!(pty.mouse_capture());
    assert!(pty.hide_cursor());
    assert!(pty.wrote(b"\x1b[?2004h"));

    pty.send_key(Key::Enter);
    assert_eq!(pty.exit_code(None), Ok(3));
    assert!(!pty.alternate_screen());
    assert!(!pty.bracketed_paste());
    assert!(!pty.mouse_capture());
    assert!(!pty.hide_cursor());
    assert!(pty.raw_text().ends_with("\x1b[?25h"));
}

#[test]
fn harness_keys_and_paste_arrive_as_a_terminal_sends_them() {
    let script = r#"stty -echo
IFS= read -r line
printf '%s\n' "$line" | cat -v
sleep 5"#;
    let pty = bash(script, 80, 24);
    pty.send_keys(&[
        Key::Up,
        Key::Ctrl('a'),
        Key::BackTab,
        Key::PgDn,
        Key::Char('x'),
    ]);
    pty.paste("pasted text");
    pty.send_key(Key::Enter);
    pty.expect_text("^[[A^A^[[Z^[[6~x^[[200~pasted text^[[201~");
}

#[test]
fn harness_resize_reaches_the_program() {
    let script = r#"trap 'stty size' WINCH
echo ready
while :; do sleep 0.05; done"#;
    let pty = bash(script, 80, 24);
    pty.expect_text("ready");
    pty.resize(100, 30);
    pty.expect_text("30 100");
    assert_eq!(pty.with_screen(vt100::Screen::size), (30, 100));
}

#[test]
fn harness_signal_reaches_the_program() {
    let script = r#"trap 'echo got-term; exit 7' TERM
echo ready
while :; do sleep 0.05; done"#;
    let mut pty = bash(script, 80, 24);
    pty.expect_text("ready");
    pty.signal(libc::SIGTERM);
    assert_eq!(pty.exit_code(None), Ok(7));
    assert!(pty.screen().contains("got-term"));
}

#[test]
fn harness_reports_a_program_still_running_and_drop_kills_it() {
    let mut pty = Pty::spawn_cmd("sleep", &["30"], &[], 80, 24);
    assert!(pty.wait_exit(Duration::from_millis(100)).is_none());
    assert!(pty.is_running());
    let proc_dir = format!("/proc/{}", pty.pid());
    drop(pty);
    assert!(!Path::new(&proc_dir).exists(), "{proc_dir} still exists");
}
