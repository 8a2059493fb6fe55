//! Broken stores and who gets in (issue 5).
//!
//! Broken: missing folder, read-only file, read-only folder, a lock held past the busy timeout,
//! random bytes, a truncated file, a schema newer than the program. Each is a run of the real
//! binary, which must print one clear line, exit 1, never panic, and leave the file's bytes as
//! they were.
//!
//! Who gets in: store, WAL, shared memory, backups and exports of secrets are 0600; `--readonly`
//! is read-only at the SQLite level and offers no write action; no password hash in drafts, audit
//! details or exports; the audit names the operating system's login, whatever `$USER` says.
//!
//! CI runs as root, for whom permission bits stop nothing: read-only files and folders are made
//! immutable with `chattr +i` instead (skipped, with a note, where the file system refuses it).

mod reliability;
mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use admin_portal::store::{OpenMode, Store, StoreError};
use rand::RngCore;
use reliability::{bytes, count, customer, operator, seed_inventory};
use support::db::RawConn;
use support::pty::Pty;
use support::readonly::{self, read_only};
use support::skip::skipped;
use tempfile::TempDir;

const APP: &str = env!("CARGO_BIN_EXE_admin-portal");

fn isolated_env(dir: &Path) -> Vec<(String, String)> {
    let mut env = support::app::isolated_env(dir);
    env.push(("RUST_BACKTRACE".into(), "1".into()));
    env
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(APP)
        .args(args)
        .envs(isolated_env(dir))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run admin-portal")
}

/// A store with a few customers, closed (checkpointed, no WAL beside it).
fn store_with_data(dir: &Path) -> PathBuf {
    let db = dir.join("s.db");
    let mut store = Store::open(&db, OpenMode::Create).unwrap();
    seed_inventory(&store, 1, 30);
    for n in 0..12u64 {
        let (new, hashes) = customer(
            &format!("Customer {n}"),
            &format!("c{n}"),
            vec![n as i64 + 1],
            2,
            100_000 + n * 10,
            2,
        );
        store
            .create_customer(&new, &hashes, &operator("setup"))
            .unwrap();
    }
    drop(store);
    db
}

/// Runs `db check` on `db` and asserts the one-line refusal; returns the line.
#[track_caller]
fn refused_in_one_line(dir: &Path, args: &[&str], what: &str) -> String {
    let out = run(dir, args, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{what}: exit code; stderr: {stderr} stdout: {stdout}"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "{what}: one line on stderr, got: {stderr:?}"
    );
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE", "Location:"] {
        assert!(!stderr.contains(bad), "{what}: {bad} in {stderr:?}");
    }
    assert!(lines[0].starts_with("admin-portal: "), "{what}: {stderr:?}");
    eprintln!("{what}: {}", lines[0]);
    lines[0].to_string()
}

fn check_args(db: &Path) -> Vec<String> {
    vec![
        "--db".into(),
        db.display().to_string(),
        "db".into(),
        "check".into(),
    ]
}

fn as_strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn missing_folder_is_one_line_and_creates_nothing() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("no-such-folder").join("s.db");
    let args = check_args(&db);
    let line = refused_in_one_line(dir.path(), &as_strs(&args), "missing store");
    assert!(line.contains("no store at"), "{line}");
    let line = refused_in_one_line(
        dir.path(),
        &["--db", &db.display().to_string(), "--init", "db", "init"],
        "missing folder with --init",
    );
    assert!(line.contains("does not exist"), "{line}");
    assert!(!db.parent().unwrap().exists(), "the folder was created");
}

#[test]
fn read_only_file_is_one_line_and_readonly_mode_still_works() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    let before = bytes(&db);
    let Some(_guard) = read_only(&db, false) else {
        skipped(readonly::CANNOT);
        return;
    };
    let line = refused_in_one_line(dir.path(), &as_strs(&check_args(&db)), "read-only file");
    assert!(line.contains("read-only"), "{line}");
    let out = run(
        dir.path(),
        &[
            "--readonly",
            "--db",
            &db.display().to_string(),
            "db",
            "check",
        ],
        &[],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "--readonly on a read-only file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(bytes(&db), before, "the file changed");
}

#[test]
fn read_only_folder_without_room_for_the_wal_is_one_line() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let db = store_with_data(&folder);
    let before = bytes(&db);
    let Some(guard) = read_only(&folder, true) else {
        skipped(readonly::CANNOT);
        return;
    };
    let line = refused_in_one_line(dir.path(), &as_strs(&check_args(&db)), "read-only folder");
    assert!(line.contains("read-only"), "{line}");
    assert_eq!(bytes(&db), before, "the file changed");
    let out = run(
        dir.path(),
        &[
            "--readonly",
            "--db",
            &db.display().to_string(),
            "db",
            "check",
        ],
        &[],
    );
    // --readonly browses it anyway: the store is opened as immutable when no journal fits.
    assert_eq!(
        out.status.code(),
        Some(0),
        "--readonly in a read-only folder: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
    assert_eq!(bytes(&db), before, "the file changed");
    drop(guard);
}

#[test]
fn a_lock_held_past_the_busy_timeout_is_one_line() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    // Another process's transaction that does not end: it holds the write lock.
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE customers SET notes = 'held' WHERE id = 1;")
        .unwrap();
    let before = bytes(&db);
    let started = Instant::now();
    let line = refused_in_one_line(
        dir.path(),
        &[
            "--db",
            &db.display().to_string(),
            "customers",
            "delete",
            "Customer 2",
            "--confirm",
            "Delete",
        ],
        "lock held",
    );
    assert!(line.contains("busy") || line.contains("locked"), "{line}");
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "gave up before the busy timeout: {:?}",
        started.elapsed()
    );
    assert_eq!(bytes(&db), before, "the file changed while locked");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    let store = Store::open(&db, OpenMode::ReadOnly).unwrap();
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM customers WHERE name = 'Customer 2'"
        ),
        1,
        "the refused delete wrote nothing"
    );
}

#[test]
fn random_bytes_are_one_line_and_untouched() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("random.db");
    let mut noise = vec![0u8; 64 * 1024];
    rand::rng().fill_bytes(&mut noise);
    std::fs::write(&db, &noise).unwrap();
    let line = refused_in_one_line(dir.path(), &as_strs(&check_args(&db)), "random bytes");
    assert!(line.contains("not an admin-portal store"), "{line}");
    assert_eq!(bytes(&db), noise, "the file changed");

    // A real header over random pages gets past the first check: SQLite must refuse the rest.
    let good = bytes(&store_with_data(dir.path()));
    let mut forged = noise.clone();
    forged[..100].copy_from_slice(&good[..100]);
    let page = u16::from_be_bytes([good[16], good[17]]) as usize;
    let pages = forged.len() / page;
    forged[28..32].copy_from_slice(&(pages as u32).to_be_bytes());
    let db = dir.path().join("forged.db");
    std::fs::write(&db, &forged).unwrap();
    refused_in_one_line(dir.path(), &as_strs(&check_args(&db)), "header over noise");
    assert_eq!(bytes(&db), forged, "the file changed");
}

#[test]
fn a_truncated_file_is_one_line_and_untouched() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    let full = bytes(&db);
    assert!(full.len() > 8192, "the store has several pages");
    let cut = &full[..full.len() / 2];
    std::fs::write(&db, cut).unwrap();
    let line = refused_in_one_line(dir.path(), &as_strs(&check_args(&db)), "truncated");
    assert!(line.contains("truncated"), "{line}");
    assert_eq!(bytes(&db), cut, "the file changed");
}

#[test]
fn a_newer_schema_is_one_line_and_untouched() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = bytes(&db);
    let line = refused_in_one_line(dir.path(), &as_strs(&check_args(&db)), "newer schema");
    assert!(line.contains("newer admin-portal"), "{line}");
    assert_eq!(bytes(&db), before, "the file changed");
    // The portal itself (no terminal here) refuses the same way before anything else.
    let line = refused_in_one_line(
        dir.path(),
        &["--db", &db.display().to_string()],
        "newer schema, portal",
    );
    assert!(line.contains("newer admin-portal"), "{line}");
    assert_eq!(bytes(&db), before, "the file changed");
}

/// A store in rollback-journal mode with a newer schema: refusing it must not switch it to WAL
/// first (that rewrites bytes 18-19 of the header), nor leave a `-wal` or `-shm` beside it.
#[test]
fn a_newer_schema_in_rollback_journal_mode_is_untouched() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = bytes(&db);
    assert_eq!(&before[18..20], &[1, 1], "rollback-journal header");
    for args in [
        check_args(&db),
        vec!["--db".into(), db.display().to_string()],
    ] {
        let line = refused_in_one_line(dir.path(), &as_strs(&args), "newer schema, journal");
        assert!(line.contains("newer admin-portal"), "{line}");
        assert_eq!(bytes(&db), before, "the file changed");
        assert!(!sidecar(&db, "-wal").exists(), "a WAL was left beside it");
    }
    let err = Store::open(&db, OpenMode::Existing).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 999, .. }),
        "{err}"
    );
    assert_eq!(bytes(&db), before, "the file changed");
}

/// A SQLite database of another program (schema version 0, tables of its own) is refused, not
/// migrated into, and left as it was.
#[test]
fn a_foreign_sqlite_file_is_one_line_and_untouched() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');")
            .unwrap();
    }
    let before = bytes(&db);
    for args in [
        check_args(&db),
        vec!["--db".into(), db.display().to_string()],
    ] {
        let line = refused_in_one_line(dir.path(), &as_strs(&args), "foreign file");
        assert!(line.contains("not an admin-portal store"), "{line}");
        assert_eq!(bytes(&db), before, "the file changed");
    }
}

// ---- who gets in ----

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

#[test]
fn store_wal_shm_backup_and_secret_exports_are_0600() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("modes.db");
    let out = run(
        dir.path(),
        &["--db", &db.display().to_string(), "--init", "db", "init"],
        &[],
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&db), 0o600, "store");

    // A write, with the connection still open so that the WAL and shared memory exist.
    let mut store = Store::open(&db, OpenMode::Existing).unwrap();
    let (new, hashes) = customer("Mode Check", "mode", vec![], 1, 42, 2);
    store
        .create_customer(&new, &hashes, &operator("setup"))
        .unwrap();
    assert_eq!(mode(&db), 0o600, "store after a write");
    assert_eq!(mode(&sidecar(&db, "-wal")), 0o600, "write-ahead log");
    assert_eq!(mode(&sidecar(&db, "-shm")), 0o600, "shared memory");

    let backup = dir.path().join("backup.db");
    let out = run(
        dir.path(),
        &[
            "--db",
            &db.display().to_string(),
            "db",
            "backup",
            &backup.display().to_string(),
        ],
        &[],
    );
    assert!(out.status.success(), "db backup: {out:?}");
    assert_eq!(mode(&backup), 0o600, "backup");

    let export = dir.path().join("secrets.json");
    let out = run(
        dir.path(),
        &[
            "--db",
            &db.display().to_string(),
            "customers",
            "export",
            "--include-secrets",
            "--output",
            &export.display().to_string(),
        ],
        &[],
    );
    assert!(out.status.success(), "export --include-secrets: {out:?}");
    assert_eq!(mode(&export), 0o600, "export with secrets");

    // Without --include-secrets no hash leaves the store, in any format.
    for format in ["json", "csv"] {
        let out = run(
            dir.path(),
            &[
                "--db",
                &db.display().to_string(),
                "customers",
                "export",
                "--format",
                format,
            ],
            &[],
        );
        assert!(out.status.success(), "export {format}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Mode Check"), "export {format}: {text}");
        assert!(!text.contains("$argon2"), "a hash in the {format} export");
    }
    // Nor does the audit log (details included) or a draft.
    let out = run(
        dir.path(),
        &[
            "--db",
            &db.display().to_string(),
            "audit",
            "--format",
            "json",
        ],
        &[],
    );
    assert!(out.status.success(), "audit: {out:?}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("$argon2"));
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM audit WHERE details LIKE '%$argon2%' OR summary LIKE '%$argon2%'"
        ),
        0
    );
}

#[test]
fn readonly_is_enforced_by_sqlite_itself() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    let before = bytes(&db);
    let mut store = Store::open(&db, OpenMode::ReadOnly).unwrap();
    assert!(store.is_read_only());
    // That SQLite itself refuses writes on the store's connection is tested in src/store.rs,
    // where that connection is reachable.
    let err = store
        .delete_customer(1, 1, &operator("mallory"))
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    drop(store);

    // The command line in --readonly: a delete is refused, nothing changes.
    let out = run(
        dir.path(),
        &[
            "--readonly",
            "--db",
            &db.display().to_string(),
            "customers",
            "delete",
            "Customer 1",
            "--confirm",
            "Delete",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(bytes(&db), before, "--readonly changed the store");
}

#[test]
fn readonly_portal_shows_no_add_and_a_flashes_read_only() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    let env = isolated_env(dir.path());
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let db_arg = db.display().to_string();

    // Read-write first: the button is there.
    let mut rw = Pty::spawn(&["--db", &db_arg], &env, 120, 30);
    rw.expect_text("Customer 1");
    assert!(rw.row(0).contains("+ Add"), "{}", rw.row(0));
    rw.send("q");
    assert_eq!(rw.exit_code(None), Ok(0));

    let before = bytes(&db);
    let mut ro = Pty::spawn(&["--readonly", "--db", &db_arg], &env, 120, 30);
    ro.expect_text("Customer 1");
    assert!(!ro.row(0).contains("Add"), "read-only shows: {}", ro.row(0));
    ro.send("a");
    ro.expect_text("read-only");
    assert!(!ro.screen().contains("Customer Type"), "the wizard opened");
    ro.send("q");
    assert_eq!(ro.exit_code(None), Ok(0));
    assert_eq!(bytes(&db), before, "--readonly changed the store");
}

/// The login name of this process's real uid, as `id -un` says.
fn os_login() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_audit_names_the_os_login_whatever_user_says() {
    let dir = TempDir::new().unwrap();
    let db = store_with_data(dir.path());
    let out = run(
        dir.path(),
        &[
            "--db",
            &db.display().to_string(),
            "customers",
            "delete",
            "Customer 3",
            "--confirm",
            "Delete",
        ],
        &[
            ("USER", "mallory"),
            ("LOGNAME", "mallory"),
            ("SSH_CONNECTION", "203.0.113.9 50022 192.0.2.1 22"),
            ("SSH_CLIENT", "198.51.100.1 50022 22"),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let store = Store::open(&db, OpenMode::ReadOnly).unwrap();
    let (who, client): (String, Option<String>) = store
        .raw_conn()
        .query_row(
            "SELECT operator, client FROM audit WHERE action = 'customer.delete'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(who, os_login(), "the audit believed $USER");
    assert_ne!(who, "mallory");
    assert_eq!(client.as_deref(), Some("203.0.113.9"));
    eprintln!("audit operator: {who} from {client:?}");
}
