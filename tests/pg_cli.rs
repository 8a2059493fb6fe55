//! The `db` commands on a `postgres://` location, driving the binary against a real server
//! (`support::pg`): `db init` creates the schema (and says so once), `db check` finds it
//! healthy, `db backup` is refused with the `pg_dump` line to use, each failure one line, exit 1.

mod support;

use std::process::{Command, Output};

use admin_portal::store::pg::migrations::LATEST;
use support::pg::{PASSWORD, shared_or_skip};

fn cmd(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = support::app::cli_in(dir);
    cmd.args(args)
        .env("PGPASSWORD", PASSWORD)
        .env_remove("PGPASSFILE")
        .env_remove("PGUSER");
    cmd
}

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    cmd(dir, args).output().expect("run admin-portal")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 1 and exactly one line on stderr, containing `wanted`.
#[track_caller]
fn one_line_failure(out: &Output, wanted: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "exit code; stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.contains(wanted), "{err:?} should say {wanted:?}");
}

#[test]
fn db_init_creates_the_schema_once_and_db_check_finds_it_healthy() {
    let Some(server) = shared_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("c")).unwrap();
    let url = server.database("cli_init");
    let out = run(dir.path(), &["--db", &url, "db", "init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = url.trim_start_matches("postgres://");
    assert_eq!(
        stdout(&out),
        format!("created the store in {shown} (schema {LATEST})\n")
    );
    let out = run(dir.path(), &["--db", &url, "db", "init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("already a store: {shown} (schema {LATEST})\n")
    );
    let out = run(dir.path(), &["--db", &url, "db", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with(&format!("{shown}: ok\n")),
        "{}",
        stdout(&out)
    );

    // A database that does not exist: one line naming it, nothing created.
    let missing = server.url("cli_no_such_db");
    let out = run(dir.path(), &["--db", &missing, "db", "init"]);
    one_line_failure(&out, "database cli_no_such_db does not exist");
    // A wrong password: one line.
    let out = cmd(dir.path(), &["--db", &url, "db", "init"])
        .env("PGPASSWORD", "wrong")
        .output()
        .unwrap();
    one_line_failure(&out, "refused portal");
}

#[test]
fn db_backup_on_postgres_names_pg_dump_and_writes_nothing() {
    let Some(server) = shared_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("c")).unwrap();
    let url = server.database("cli_backup");
    assert!(
        run(dir.path(), &["--db", &url, "db", "init"])
            .status
            .success()
    );
    let out = run(dir.path(), &["--db", &url, "db", "backup", "copy.dump"]);
    let shown = url.trim_start_matches("postgres://");
    one_line_failure(
        &out,
        &format!("pg_dump -Fc -d postgres://{shown} -f copy.dump"),
    );
    assert!(!dir.path().join("copy.dump").exists());
}
