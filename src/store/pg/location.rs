//! A `postgres://` store location: the URL parsed, a password in it refused, the password found
//! the libpq way (`PGPASSWORD`, then the password file: `PGPASSFILE` or `~/.pgpass`).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;

use super::PgError;

/// How long a connection attempt waits for the server before the location is called unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// True when a store location names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A parsed `postgres://user@host[:port]/dbname` with the password it will use.
#[derive(Clone)]
pub struct Location {
    config: postgres::Config,
    /// `user@host:port/dbname`, for messages (never the password).
    shown: String,
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) user: String,
    pub(super) dbname: String,
    given: Option<String>,
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Location {
    /// Parses `url`; refuses one that holds a password. The user defaults to the login name (as
    /// libpq does), the database to the user, the port to 5432.
    pub fn parse(url: &str) -> Result<Location, PgError> {
        if !is_postgres(url) {
            return Err(PgError::BadUrl(format!("{url} is not a postgres:// URL")));
        }
        let mut config = postgres::Config::from_str(url)
            .map_err(|e| PgError::BadUrl(format!("cannot read {}: {e}", redact(url))))?;
        if config.get_password().is_some() {
            return Err(PgError::PasswordInUrl);
        }
        let host = match config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            Some(Host::Unix(p)) => p.display().to_string(),
            None => {
                config.host("localhost");
                "localhost".to_string()
            }
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let user = match config.get_user() {
            Some(u) => u.to_string(),
            None => {
                let u = std::env::var("PGUSER")
                    .or_else(|_| std::env::var("USER"))
                    .map_err(|_| PgError::BadUrl(format!("{url} names no user")))?;
                config.user(&u);
                u
            }
        };
        let dbname = match config.get_dbname() {
            Some(d) => d.to_string(),
            None => {
                config.dbname(&user);
                user.clone()
            }
        };
        config
            .connect_timeout(CONNECT_TIMEOUT)
            .application_name("admin-portal");
        let shown = format!("{user}@{host}:{port}/{dbname}");
        Ok(Location {
            config,
            shown,
            host,
            port,
            user,
            dbname,
            given: None,
        })
    }

    /// The password given by the program rather than found (a `password_file` of the
    /// configuration, later; a test's server): it goes before `PGPASSWORD` and the file.
    pub fn with_password(mut self, password: &str) -> Location {
        self.given = Some(password.to_string());
        self
    }

    /// The password of the configuration's `password_file`: its first line. A file that is
    /// missing, unreadable, empty, or readable by its group or others is refused in one line
    /// (libpq's rule for its password file).
    pub fn with_password_file(self, file: &Path) -> Result<Location, PgError> {
        let refuse =
            |why: String| PgError::BadUrl(format!("password_file {}: {why}", file.display()));
        let text = std::fs::read_to_string(file).map_err(|e| refuse(e.to_string()))?;
        if !private(file) {
            return Err(refuse(
                "readable by other users: chmod 600 it (or 400)".into(),
            ));
        }
        let password = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end_matches('\r');
        if password.is_empty() {
            return Err(refuse(
                "its first line is empty: put the password there".into(),
            ));
        }
        Ok(self.with_password(password))
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    pub fn dbname(&self) -> &str {
        &self.dbname
    }

    /// The connection settings with the password of `PGPASSWORD` or the password file, if any.
    pub(super) fn config(&self) -> postgres::Config {
        let mut config = self.config.clone();
        if let Some(password) = self.password() {
            config.password(password);
        }
        config
    }

    /// Whether a password was found (to tell "none given" from "refused").
    pub(super) fn password(&self) -> Option<String> {
        if let Some(p) = &self.given {
            return Some(p.clone());
        }
        if let Ok(p) = std::env::var("PGPASSWORD")
            && !p.is_empty()
        {
            return Some(p);
        }
        let file = password_file()?;
        let text = std::fs::read_to_string(&file).ok()?;
        if !private(&file) {
            tracing::warn!(path = ?file, "password file readable by others: ignored, as libpq does");
            return None;
        }
        // libpq matches a Unix socket connection as `localhost`.
        let host = if self.host.starts_with('/') {
            "localhost"
        } else {
            &self.host
        };
        pgpass_lookup(&text, host, self.port, &self.dbname, &self.user)
    }
}

/// `PGPASSFILE`, else `~/.pgpass`.
fn password_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| Path::new(&h).join(".pgpass"))
}

/// libpq ignores a password file that its group or others may read.
fn private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
}

/// The password of the first line `host:port:database:user:password` that matches (`*` matches
/// anything; `\:` and `\\` escape), as libpq reads `.pgpass`.
pub fn pgpass_lookup(
    text: &str,
    host: &str,
    port: u16,
    dbname: &str,
    user: &str,
) -> Option<String> {
    let port = port.to_string();
    let wanted = [host, port.as_str(), dbname, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let fields = split_fields(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields.iter().zip(wanted).all(|(f, w)| f == "*" || f == w);
            matches.then(|| fields[4..].join(":"))
        })
}

/// Splits one `.pgpass` line at unescaped colons, removing the escapes.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && let Some(last) = fields.last_mut()
                {
                    last.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

/// The URL with anything between `://` and `@` that holds a `:` replaced, for an error message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(start), Some(at)) if url[start + 3..at].contains(':') => {
            format!("{}***{}", &url[..start + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_first_matching_line_wins_with_wildcards_and_escapes() {
        let text = "# comment\n\
                    db.example:5432:other:portal:no\n\
                    db.example:*:portal:portal:pa\\:ss\\\\word\n\
                    *:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, "db.example", 5433, "portal", "portal").as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(
            pgpass_lookup(text, "elsewhere", 5432, "x", "y").as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("a:1:b:c:d\n", "a", 2, "b", "c"), None);
    }

    #[test]
    fn a_url_with_a_password_is_refused_and_defaults_are_filled_in() {
        assert!(matches!(
            Location::parse("postgres://portal:secret@db/portal"),
            Err(PgError::PasswordInUrl)
        ));
        let l = Location::parse("postgres://portal@db.example/store").expect("parses");
        assert_eq!(l.to_string(), "portal@db.example:5432/store");
        let l = Location::parse("postgresql://portal@db.example:6543").expect("parses");
        assert_eq!(l.to_string(), "portal@db.example:6543/portal");
        assert!(matches!(
            Location::parse("mysql://x@y/z"),
            Err(PgError::BadUrl(_))
        ));
        assert_eq!(redact("postgres://u:p@h/d"), "postgres://***@h/d");
    }

    #[test]
    fn a_password_file_gives_its_first_line_and_is_refused_when_others_may_read_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        let location = || Location::parse("postgres://portal@db.example/portal").unwrap();
        std::fs::write(&file, "s3cret\nignored\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let with = location().with_password_file(&file).unwrap();
        assert_eq!(with.password().as_deref(), Some("s3cret"));

        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = location()
            .with_password_file(&file)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("readable by other users") && err.contains("pw"),
            "{err}"
        );

        std::fs::write(&file, "\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let err = location()
            .with_password_file(&file)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("first line is empty"), "{err}");

        let err = location()
            .with_password_file(&dir.path().join("missing"))
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("password_file "), "{err}");
    }
}
