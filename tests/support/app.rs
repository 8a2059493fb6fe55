//! The real binary, isolated from the operator's home: demo stores, a portal in a
//! pseudo-terminal, and the store file opened afterwards to check what it holds.

use std::path::{Path, PathBuf};
use std::process::Command;

use admin_portal::store::{OpenMode, Store};

use super::pty::Pty;

pub const APP: &str = env!("CARGO_BIN_EXE_admin-portal");

/// Keeps the app away from the operator's own home, config and default store.
pub fn isolated_env(dir: &Path) -> Vec<(String, String)> {
    let at = |sub: &str| dir.join(sub).display().to_string();
    vec![
        ("HOME".into(), at("home")),
        ("XDG_CONFIG_HOME".into(), at("config")),
        ("XDG_DATA_HOME".into(), at("data")),
        ("XDG_STATE_HOME".into(), at("state")),
        ("XDG_CACHE_HOME".into(), at("cache")),
    ]
}

/// The real binary run in `dir` as its home: configuration, data and state below it, no system
/// configuration file, and no log variable of the caller's.
pub fn cli_in(dir: &Path) -> Command {
    let mut cmd = Command::new(APP);
    cmd.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("c"))
        .env("XDG_DATA_HOME", dir.join("d"))
        .env("XDG_STATE_HOME", dir.join("s"))
        .env("ADMIN_PORTAL_SYSTEM_CONFIG", dir.join("system.toml"))
        .env_remove("ADMIN_PORTAL_LOG");
    cmd
}

/// `admin-portal demo` into `<dir>/s.db`; returns its path.
pub fn demo_store(dir: &Path, customers: u32, cameras: u32, seed: u32) -> PathBuf {
    let db = dir.join("s.db");
    let output = Command::new(APP)
        .arg("demo")
        .arg("--db")
        .arg(&db)
        .args(["--customers", &customers.to_string()])
        .args(["--cameras", &cameras.to_string()])
        .args(["--seed", &seed.to_string()])
        .envs(isolated_env(dir))
        .output()
        .expect("run admin-portal demo");
    assert!(
        output.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    db
}

pub fn spawn_app(dir: &Path, db: &Path, cols: u16, rows: u16) -> Pty {
    let db = db.display().to_string();
    let env = isolated_env(dir);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Pty::spawn(&["--db", &db], &env, cols, rows)
}

pub fn open(db: &Path) -> Store {
    Store::open(db, OpenMode::Existing).expect("open the store file")
}
