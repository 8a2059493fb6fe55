//! Read-only files and folders for the tests of refused writes. CI runs as root, for whom
//! permission bits stop nothing: there the file is made immutable with `chattr +i` instead.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// True when this process runs as root.
pub fn is_root() -> bool {
    #[allow(unsafe_code)]
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    uid == 0
}

/// Makes `path` immutable (even for root) while alive; `None` when the file system refuses.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// Restores a file's or folder's mode bits when dropped.
struct Mode(PathBuf, u32);

impl Drop for Mode {
    fn drop(&mut self) {
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(self.1));
    }
}

/// Why [`read_only`] may fail here, for the test's SKIPPED line.
pub const CANNOT: &str = "chattr +i is not supported here and root ignores mode bits";

/// Makes `path` (a file, or a folder with `dir_mode`) read-only for this process until the guard
/// is dropped: chattr +i as root, mode bits otherwise. `None` when neither can be done.
pub fn read_only(path: &Path, dir_mode: bool) -> Option<Box<dyn std::any::Any>> {
    if is_root() {
        return Immutable::set(path).map(|g| Box::new(g) as Box<dyn std::any::Any>);
    }
    let mode = if dir_mode { 0o555 } else { 0o444 };
    let restore = if dir_mode { 0o755 } else { 0o644 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    Some(Box::new(Mode(path.to_path_buf(), restore)))
}
