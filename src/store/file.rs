//! The SQLite file under a store: the checks made before SQLite reads it (the header, the
//! length), and SQLite's errors as the one-line messages an operator needs.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{BUSY_TIMEOUT, Result, StoreError};

/// A path as the path part of an SQLite `file:` URI: `?`, `#` and `%` must be escaped.
pub(super) fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for ch in path.to_string_lossy().chars() {
        match ch {
            '?' | '#' | '%' => out.push_str(&format!("%{:02X}", ch as u32)),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StoreError::ReadOnly(path.to_path_buf())
        }
        std::io::ErrorKind::NotFound => StoreError::NoFolder(path.to_path_buf()),
        _ => StoreError::Io(path.to_path_buf(), e),
    }
}

/// The checks that cost the same at any size: the magic string, and the file's length against the
/// page count its header gives (a truncated copy is refused before SQLite reads garbage).
pub(super) fn check_header(path: &Path) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let len = file.metadata().map_err(|e| io_error(path, e))?.len();
    if len == 0 {
        return Ok(()); // a fresh empty file becomes a store
    }
    let mut header = [0u8; 100];
    if len < 100 || file.read_exact(&mut header).is_err() {
        return Err(StoreError::NotADatabase(path.to_path_buf()));
    }
    if &header[..16] != b"SQLite format 3\0" {
        return Err(StoreError::NotADatabase(path.to_path_buf()));
    }
    let raw_page = u16::from_be_bytes([header[16], header[17]]) as u64;
    let page_size = if raw_page == 1 { 65536 } else { raw_page };
    if page_size < 512 || !page_size.is_power_of_two() {
        return Err(StoreError::Corrupt(
            path.to_path_buf(),
            format!("impossible page size {page_size}"),
        ));
    }
    let change_counter = u32::from_be_bytes([header[24], header[25], header[26], header[27]]);
    let pages = u32::from_be_bytes([header[28], header[29], header[30], header[31]]) as u64;
    let valid_for = u32::from_be_bytes([header[92], header[93], header[94], header[95]]);
    // The page count is only trustworthy when "version-valid-for" matches the change counter.
    if valid_for == change_counter && pages > 0 {
        let expected = pages * page_size;
        // A WAL may hold pages not yet checkpointed, so only a shorter main file is a problem
        // when there is no WAL beside it.
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        let wal_has_frames = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 32);
        if len < expected && !wal_has_frames {
            return Err(StoreError::Truncated {
                path: path.to_path_buf(),
                actual: len,
                expected,
            });
        }
    }
    Ok(())
}

/// Maps SQLite's error codes to the one-line messages an operator needs.
pub(super) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
        let path = path.to_path_buf();
        return match f.code {
            C::DatabaseBusy | C::DatabaseLocked => locked(path),
            C::ReadOnly | C::CannotOpen | C::PermissionDenied => StoreError::ReadOnly(path),
            C::NotADatabase => StoreError::NotADatabase(path),
            C::DatabaseCorrupt => StoreError::Corrupt(
                path,
                msg.clone()
                    .unwrap_or_else(|| "the file is malformed".to_string()),
            ),
            _ => StoreError::Sqlite(e),
        };
    }
    StoreError::Sqlite(e)
}

fn locked(path: PathBuf) -> StoreError {
    StoreError::Locked(path, BUSY_TIMEOUT.as_secs())
}

/// A write that still found the store busy after the timeout.
pub(super) fn busy(e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy,
        Some(C::ReadOnly) => StoreError::Refused("the store is read-only".into()),
        _ => StoreError::Sqlite(e),
    }
}
