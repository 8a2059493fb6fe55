//! Crashes (issue 5): SIGKILL at random moments while a process commits big customers (the
//! wizard's commit), deletes and restores them and rewrites drafts; after every kill the store
//! opens, passes SQLite's checks and every customer is wholly there or wholly gone. SIGTERM and
//! SIGHUP during the wizard save the draft; the terminal is given back after a quit, a signal and
//! a panic; without a terminal the portal says how to run it.
//!
//! The killed process is this test binary run again (`crash_worker`: ignored, so not counted as a
//! test; the parent runs it with `--ignored`, and it is idle unless `ADMIN_PORTAL_WORKER` is set). In CI: 120 kills; `ADMIN_PORTAL_LONG=1`: 1,000.

mod reliability;
mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use admin_portal::domain::Operator;
use admin_portal::store::{OpenMode, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reliability::{count, customer, operator, seed_inventory, whole_store_problems, worker};
use support::db::RawConn;
use support::pty::{Key, Pty};

const APP: &str = env!("CARGO_BIN_EXE_admin-portal");
/// The draft saved before the kill, which must survive it byte for byte.
const KEPT_DRAFT: &str = "crash-kept";
/// The draft the worker rewrites all the time, which must always be one whole version.
const BUSY_DRAFT: &str = "crash-busy";

fn kept_draft_data(trial: u64) -> String {
    serde_json::json!({
        "version": 1,
        "step": 2,
        "completed": ["type"],
        "profile": { "contact": { "company": format!("Draft of trial {trial}") } },
        "trial": trial,
    })
    .to_string()
}

/// A draft that proves its own wholeness: `sum` is the length of `pad`.
fn busy_draft_data(n: u64) -> String {
    let pad = "x".repeat((n as usize * 37) % 20_000);
    serde_json::json!({ "n": n, "pad": pad, "sum": pad.len() }).to_string()
}

#[test]
#[ignore = "subprocess entry point of sigkill_at_random_moments_never_leaves_half_a_customer"]
fn crash_worker() {
    if std::env::var("ADMIN_PORTAL_WORKER").as_deref() != Ok("crash") {
        support::skip::skipped("not started by the crash test (ADMIN_PORTAL_WORKER unset)");
        return;
    }
    let db = PathBuf::from(std::env::var("ADMIN_PORTAL_WORKER_DB").unwrap());
    let trial: u64 = std::env::var("ADMIN_PORTAL_WORKER_TRIAL")
        .unwrap()
        .parse()
        .unwrap();
    let mut store = Store::open(&db, OpenMode::Existing).unwrap();
    let mut rng = StdRng::seed_from_u64(trial.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let op = operator("crasher");
    store
        .save_draft(KEPT_DRAFT, 2, &kept_draft_data(trial))
        .unwrap();
    println!("ready");
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut k = 0u64;
    while Instant::now() < deadline {
        k += 1;
        match rng.random_range(0..10) {
            0..=4 => {
                // A big customer, as the wizard commits it: many cameras, roles and users.
                let cams = rng.random_range(10..40);
                let users = rng.random_range(5..30);
                let tag = format!("t{trial}k{k}");
                let name = format!("Crash {tag} c{cams} u{users}");
                let mac_base = 1_000_000 + trial * 100_000 + k * 100;
                let (new, hashes) = customer(&name, &tag, vec![], cams, mac_base, users);
                store.create_customer(&new, &hashes, &op).unwrap();
            }
            5..=6 => {
                let pick: Option<(i64, i64)> = store
                    .raw_conn()
                    .query_row(
                        "SELECT id, version FROM customers ORDER BY random() LIMIT 1",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .ok();
                if let Some((id, version)) = pick {
                    store.delete_customer(id, version, &op).unwrap();
                }
            }
            7 => {
                let pick: Option<i64> = store
                    .raw_conn()
                    .query_row(
                        "SELECT id FROM archive WHERE restored_at IS NULL ORDER BY random() LIMIT 1",
                        [],
                        |r| r.get(0),
                    )
                    .ok();
                if let Some(archive) = pick {
                    store.restore_customer(archive, &op).unwrap();
                }
            }
            _ => store
                .save_draft(BUSY_DRAFT, 7, &busy_draft_data(trial * 1000 + k))
                .unwrap(),
        }
    }
}

/// What the store must show after any kill.
fn check_after_kill(db: &Path, trial: u64) -> usize {
    let store = Store::open(db, OpenMode::Existing)
        .unwrap_or_else(|e| panic!("trial {trial}: the store does not open after the kill: {e}"));
    let problems = whole_store_problems(&store);
    assert!(problems.is_empty(), "trial {trial}: {problems:#?}");

    // Each crash customer is whole: exactly the cameras and users its name promises.
    let conn = store.raw_conn();
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.name,
                (SELECT count(*) FROM cameras WHERE customer_id = c.id),
                (SELECT count(*) FROM users WHERE customer_id = c.id),
                (SELECT count(*) FROM roles WHERE customer_id = c.id)
             FROM customers c WHERE c.name LIKE 'Crash %'",
        )
        .unwrap();
    let rows: Vec<(i64, String, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (id, name, cams, users, roles) in &rows {
        let want = |mark: char| -> i64 {
            name.split_whitespace()
                .find_map(|w| w.strip_prefix(mark).and_then(|n| n.parse().ok()))
                .unwrap()
        };
        assert_eq!(
            (*cams, *users, *roles),
            (want('c'), want('u'), 2),
            "trial {trial}: customer #{id} {name} is not whole"
        );
    }

    // The draft saved before the kill is intact; the one being rewritten is one whole version.
    if let Some(draft) = store.draft(KEPT_DRAFT).unwrap() {
        assert_eq!(
            draft.data,
            kept_draft_data(trial),
            "trial {trial}: kept draft"
        );
        assert_eq!(draft.step, 2);
    } else {
        panic!("trial {trial}: the draft saved before the kill is gone");
    }
    if let Some(draft) = store.draft(BUSY_DRAFT).unwrap() {
        let v: serde_json::Value = serde_json::from_str(&draft.data)
            .unwrap_or_else(|e| panic!("trial {trial}: busy draft is not JSON: {e}"));
        assert_eq!(
            v["sum"].as_u64().unwrap() as usize,
            v["pad"].as_str().unwrap().len(),
            "trial {trial}: busy draft torn"
        );
    }
    rows.len()
}

#[test]
fn sigkill_at_random_moments_never_leaves_half_a_customer() {
    let trials: u64 = std::env::var("ADMIN_PORTAL_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if reliability::long_run() { 1000 } else { 120 });
    let seed: u64 = std::env::var("ADMIN_PORTAL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("crash: seed {seed} (ADMIN_PORTAL_SEED={seed} repeats the delays)");
    let mut rng = StdRng::seed_from_u64(seed);

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    {
        let mut store = Store::open(&db, OpenMode::Create).unwrap();
        seed_inventory(&store, 1, 50);
        let (new, hashes) = customer("Seed Customer", "seed", vec![1, 2, 3], 2, 900_000, 3);
        store
            .create_customer(&new, &hashes, &operator("seed"))
            .unwrap();
    }

    let started = Instant::now();
    let mut before_commit = 0;
    let mut present_max = 0;
    for trial in 0..trials {
        let audit_before = {
            let store = Store::open(&db, OpenMode::Existing).unwrap();
            count(&store, "SELECT count(*) FROM audit")
        };
        let mut child = worker("crash_worker")
            .env("ADMIN_PORTAL_WORKER", "crash")
            .env("ADMIN_PORTAL_WORKER_DB", &db)
            .env("ADMIN_PORTAL_WORKER_TRIAL", trial.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the crash worker");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) if line.trim() == "ready" => break,
                Some(Ok(_)) => continue,
                other => panic!("trial {trial}: the worker never got ready: {other:?}"),
            }
        }
        std::thread::sleep(Duration::from_micros(rng.random_range(0..30_000)));
        child.kill().expect("SIGKILL the worker");
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "trial {trial}: the worker was not killed"
        );
        present_max = present_max.max(check_after_kill(&db, trial));
        let store = Store::open(&db, OpenMode::Existing).unwrap();
        if count(&store, "SELECT count(*) FROM audit") == audit_before {
            before_commit += 1;
        }
    }
    let store = Store::open(&db, OpenMode::Existing).unwrap();
    eprintln!(
        "crash: {trials} SIGKILLs in {:.1} s ({before_commit} before the first commit of their \
         process); {} commits survived: {} creates, {} deletes, {} restores; up to {present_max} \
         crash customers at once",
        started.elapsed().as_secs_f64(),
        count(
            &store,
            "SELECT count(*) FROM audit WHERE operator = 'crasher'"
        ),
        count(
            &store,
            "SELECT count(*) FROM audit WHERE operator = 'crasher' AND action = 'customer.create'"
        ),
        count(
            &store,
            "SELECT count(*) FROM audit WHERE operator = 'crasher' AND action = 'customer.delete'"
        ),
        count(
            &store,
            "SELECT count(*) FROM audit WHERE operator = 'crasher' AND action = 'customer.restore'"
        ),
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM audit WHERE operator = 'crasher'"
        ) > 0,
        "no worker ever committed: the kills came too early to prove anything"
    );
}

// ---- the real binary in a pseudo-terminal ----

/// Keeps the app away from the operator's own home, config and default store.
fn isolated_env(dir: &Path) -> Vec<(String, String)> {
    let mut env = support::app::isolated_env(dir);
    env.push(("RUST_BACKTRACE".into(), "0".into()));
    env
}

fn spawn_app(dir: &Path, extra: &[(&str, &str)]) -> Pty {
    let db = dir.join("s.db").display().to_string();
    let mut env = isolated_env(dir);
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Pty::spawn(&["--db", &db, "--init"], &env, 100, 30)
}

/// Starts the wizard, goes to step 2 and types the company name.
fn type_company_in_wizard(pty: &Pty, company: &str) {
    pty.expect_text("Customers");
    pty.send("a");
    pty.expect_text("Customer Type");
    pty.send_key(Key::Ctrl('n'));
    pty.expect_text("Contact information");
    pty.send(company);
    pty.expect_text(company);
}

fn signal_during_wizard_saves_the_draft(signal: i32) {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = spawn_app(dir.path(), &[]);
    let company = format!("Signal {signal} Security");
    type_company_in_wizard(&pty, &company);
    pty.signal(signal);
    assert_eq!(pty.exit_code(None), Ok(128 + signal as u32));
    assert!(!pty.alternate_screen(), "left on the alternate screen");
    assert!(!pty.hide_cursor(), "cursor left hidden");

    let store = Store::open(&dir.path().join("s.db"), OpenMode::Existing).unwrap();
    let login = Operator::from_env().login;
    let draft = store
        .draft(&login)
        .unwrap()
        .unwrap_or_else(|| panic!("no draft saved for {login}"));
    let data: serde_json::Value = serde_json::from_str(&draft.data).unwrap();
    assert_eq!(data["profile"]["contact"]["company"], company.as_str());
    assert_eq!(draft.step, 2, "saved at step 2");
    assert!(!draft.data.contains("$argon2"));
}

#[test]
fn sigterm_during_the_wizard_saves_the_draft_and_exits_143() {
    signal_during_wizard_saves_the_draft(libc::SIGTERM);
}

#[test]
fn sighup_during_the_wizard_saves_the_draft_and_exits_129() {
    signal_during_wizard_saves_the_draft(libc::SIGHUP);
}

/// Runs the portal under bash in a pseudo-terminal; after it ends, bash prints its exit code and
/// `stty -a`, then echoes a line typed at the (now cooked) terminal.
fn portal_then_stty(dir: &Path, extra: &[(&str, &str)]) -> Pty {
    let db = dir.join("s.db").display().to_string();
    let script = format!(
        "'{APP}' --db '{db}' --init; echo \"RC=$?\"; stty -a | tr '\\n' ' '; echo; \
         IFS= read -r line; echo \"GOT[$line]\"; sleep 5"
    );
    let mut env = isolated_env(dir);
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Pty::spawn_cmd(
        "bash",
        &["--norc", "--noprofile", "-c", &script],
        &env,
        120,
        40,
    )
}

/// The terminal after the portal ended: main screen, cursor shown, no paste or mouse mode,
/// cooked mode with echo (stty says so, and a typed line comes back).
fn assert_restored(pty: &Pty, rc: &str) {
    pty.expect_text(&format!("RC={rc}"));
    // The last flag `stty -a` prints.
    pty.expect_text("extproc");
    let screen = pty.screen();
    assert!(!pty.alternate_screen(), "alternate screen:\n{screen}");
    assert!(!pty.hide_cursor(), "cursor hidden:\n{screen}");
    assert!(!pty.bracketed_paste(), "bracketed paste on:\n{screen}");
    assert!(!pty.mouse_capture(), "mouse capture on:\n{screen}");
    let raw = pty.raw_text();
    let stty = raw.split("RC=").nth(1).unwrap_or_default().to_string();
    for flag in [" icanon", " echo ", " icrnl", " opost", " isig"] {
        assert!(stty.contains(flag), "stty lacks {flag:?}: {stty}");
    }
    for flag in ["-icanon", " -echo ", "-isig"] {
        assert!(!stty.contains(flag), "stty shows {flag:?}: {stty}");
    }
}

fn type_line(pty: &Pty) {
    pty.send("plain line\r");
    pty.expect_text("GOT[plain line]");
    // Echoed by the terminal itself, before bash printed it back.
    assert!(
        pty.screen().matches("plain line").count() >= 2,
        "{}",
        pty.screen()
    );
}

#[test]
fn terminal_is_restored_after_quit() {
    let dir = tempfile::tempdir().unwrap();
    let pty = portal_then_stty(dir.path(), &[]);
    pty.expect_text("Customers");
    pty.send("q");
    assert_restored(&pty, "0");
    type_line(&pty);
}

#[test]
fn terminal_is_restored_after_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let pty = portal_then_stty(dir.path(), &[]);
    pty.expect_text("Customers");
    // The portal is bash's only child.
    let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", pty.pid()))
        .expect("children of bash");
    let app: i32 = children.split_whitespace().next().unwrap().parse().unwrap();
    send_signal(app, libc::SIGTERM);
    assert_restored(&pty, "143");
    type_line(&pty);
}

#[test]
fn terminal_is_restored_after_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let pty = portal_then_stty(dir.path(), &[("ADMIN_PORTAL_TEST_PANIC", "1")]);
    pty.expect_text("Customers");
    pty.send_key(Key::F(12));
    assert_restored(&pty, "101");
    type_line(&pty);
    assert!(
        pty.raw_text().contains("ADMIN_PORTAL_TEST_PANIC"),
        "the panic message is shown on the restored terminal"
    );
    // color-eyre's report, printed after the alternate screen was left.
    let raw = pty.raw_text();
    let report = raw.find("The application panicked (crashed)");
    let left = raw.rfind("\x1b[?1049l");
    assert!(
        report.is_some() && left.is_some_and(|l| Some(l) < report),
        "color-eyre's report after the restore: {raw:?}"
    );
}

#[test]
fn without_a_terminal_in_a_pipe_it_says_how_to_run_it_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let script = format!(
        "set -o pipefail; '{APP}' --db '{}' --init < /dev/null 2>&1 | cat",
        db.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .envs(isolated_env(dir.path()))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("needs an interactive terminal"), "{text}");
    assert!(text.contains("ssh -t"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "escape sequences in a pipe: {text:?}"
    );
}

#[allow(unsafe_code)]
fn send_signal(pid: i32, signal: i32) {
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill {pid}");
}
