//! The log: tracing to a file in the XDG state folder (or `--log-file`), never to the screen, so
//! not a byte reaches the terminal while the portal is up. User text is logged escaped (`{:?}`).
//! One file opened 0600 and written in place (no tracing-appender: its rolling files are created
//! with the umask's mode, and its background writer drops the last lines on `process::exit`).

use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Overrides the level filter with tracing's directive syntax, e.g. `admin_portal=trace`.
pub const LOG_ENV: &str = "ADMIN_PORTAL_LOG";

/// `$XDG_STATE_HOME/admin-portal/admin-portal.log` (`~/.local/state/...`).
pub fn default_log_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    let state = strategy.state_dir().unwrap_or_else(|| strategy.data_dir());
    Some(state.join("admin-portal").join("admin-portal.log"))
}

/// The level for `-v` counted: info by default, debug with `-v`, trace with `-vv`.
pub fn level_for(verbose: u8) -> &'static str {
    match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    }
}

/// Starts logging to `path` (created 0600, appended). Returns an error message when the file
/// cannot be opened; the caller decides whether to say so (never while the portal is up).
pub fn init(path: &Path, verbose: u8) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot open the log {}: {e}", path.display()))?;
    let filter = std::env::var(LOG_ENV)
        .ok()
        .and_then(|s| EnvFilter::try_new(s).ok())
        .unwrap_or_else(|| EnvFilter::new(format!("admin_portal={}", level_for(verbose))));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .try_init()
        .map_err(|e| format!("cannot start the log: {e}"))
}
