//! Configuration in TOML, read in layers: the system file (`/etc/admin-portal/config.toml`, or
//! `$ADMIN_PORTAL_SYSTEM_CONFIG`), the operator's XDG file, `--config PATH`; flags come last and
//! are applied by the caller. Every setting remembers where its value came from, for
//! `admin-portal config`. An unknown key or a bad value is an error naming file, line and key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier};

use crate::action::{Action, KeyContext};
use crate::keymap::{KeyBinding, Keymap};
use crate::theme::Theme;

mod names;
mod parse;

pub use names::{action_name, context_name, parse_action, parse_color};
use parse::apply;
pub use parse::line_of;

/// The system-wide file; tests and packagers point elsewhere with [`SYSTEM_CONFIG_ENV`].
pub const SYSTEM_CONFIG: &str = "/etc/admin-portal/config.toml";
/// Overrides the path of the system-wide file (tests, packaging).
pub const SYSTEM_CONFIG_ENV: &str = "ADMIN_PORTAL_SYSTEM_CONFIG";

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    /// The system-wide file.
    System(PathBuf),
    /// The operator's own file.
    User(PathBuf),
    /// The file named by `--config`.
    Explicit(PathBuf),
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::System(p) => write!(f, "system file {}", p.display()),
            Self::User(p) => write!(f, "user file {}", p.display()),
            Self::Explicit(p) => write!(f, "--config {}", p.display()),
            Self::Flag(name) => write!(f, "flag {name}"),
            Self::Env(name) => write!(f, "environment {name}"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Setting<T> {
    fn default_of(value: T) -> Self {
        Self {
            value,
            source: Source::Default,
        }
    }
    /// Replaces the value, recording the new source.
    pub fn set(&mut self, value: T, source: Source) {
        self.value = value;
        self.source = source;
    }
}

/// The named colours a configuration may change.
pub const THEME_KEYS: [&str; 5] = ["accent", "danger", "ok", "warning", "selected"];

/// The effective settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The store file; `None` means the default in the operator's data folder.
    pub store: Setting<Option<PathBuf>>,
    /// A file holding the password of a `postgres://` store (mode 0600), before `PGPASSWORD`
    /// and `~/.pgpass`.
    pub password_file: Setting<Option<PathBuf>>,
    /// The group that shares the store (files 0660 with that group).
    pub group: Setting<Option<String>>,
    pub read_only: Setting<bool>,
    pub mouse: Setting<bool>,
    pub no_color: Setting<bool>,
    /// Colour overrides by [`THEME_KEYS`] name.
    pub theme: BTreeMap<String, Setting<Color>>,
    /// Key map overrides: (context, key name as written) -> action, `None` unbinds.
    pub keys: Vec<(KeyContext, String, KeyBinding, Option<Action>, Source)>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            store: Setting::default_of(None),
            password_file: Setting::default_of(None),
            group: Setting::default_of(None),
            read_only: Setting::default_of(false),
            mouse: Setting::default_of(false),
            no_color: Setting::default_of(false),
            theme: BTreeMap::new(),
            keys: Vec::new(),
        }
    }
}

/// One file of the layers, and whether it was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub found: bool,
}

/// The settings and the files they were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedConfig {
    pub config: Config,
    pub system: ConfigFile,
    /// `None` when there is no home folder.
    pub user: Option<ConfigFile>,
    pub explicit: Option<ConfigFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}:{line}: {key}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
}

impl ConfigError {
    fn at(path: &Path, text: &str, offset: usize, key: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, offset),
            key: key.to_string(),
            message: message.into(),
        }
    }
}

/// The operator's own file: `$XDG_CONFIG_HOME/admin-portal/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    Some(
        strategy
            .config_dir()
            .join("admin-portal")
            .join("config.toml"),
    )
}

/// The system-wide file, unless [`SYSTEM_CONFIG_ENV`] names another.
pub fn system_config_path() -> PathBuf {
    std::env::var_os(SYSTEM_CONFIG_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(SYSTEM_CONFIG))
}

/// Reads the layers: system file, the operator's file, then `explicit` (which must exist).
pub fn load(explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    let mut config = Config::default();
    let system_path = system_config_path();
    let system = read_layer(
        &mut config,
        &system_path,
        Source::System(system_path.clone()),
    )?;
    let user = match user_config_path() {
        Some(path) => Some(read_layer(&mut config, &path, Source::User(path.clone()))?),
        None => None,
    };
    let explicit = match explicit {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ConfigError::Read(path.to_path_buf(), e))?;
            apply(
                &mut config,
                path,
                &text,
                Source::Explicit(path.to_path_buf()),
            )?;
            Some(ConfigFile {
                path: path.to_path_buf(),
                found: true,
            })
        }
        None => None,
    };
    Ok(LoadedConfig {
        config,
        system,
        user,
        explicit,
    })
}

/// The defaults with one file laid over them (tests, and checking a file before installing it).
pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_path_buf(), e))?;
    let mut config = Config::default();
    apply(
        &mut config,
        path,
        &text,
        Source::Explicit(path.to_path_buf()),
    )?;
    Ok(config)
}

fn read_layer(config: &mut Config, path: &Path, source: Source) -> Result<ConfigFile, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            apply(config, path, &text, source)?;
            Ok(ConfigFile {
                path: path.to_path_buf(),
                found: true,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile {
            path: path.to_path_buf(),
            found: false,
        }),
        Err(e) => Err(ConfigError::Read(path.to_path_buf(), e)),
    }
}

impl Config {
    /// The default key map with this configuration's overrides applied in file order.
    pub fn keymap(&self) -> Keymap {
        let mut map = Keymap::default();
        for (ctx, _, key, action, _) in &self.keys {
            match action {
                Some(action) => map.override_binding(*ctx, *key, *action),
                None => map.unbind(*ctx, *key),
            }
        }
        map
    }

    /// `base` with the configured colours laid over it. Monochrome themes keep no colour.
    pub fn theme(&self, base: &Theme) -> Theme {
        let mut t = *base;
        if base.name == "mono" {
            return t;
        }
        for (name, setting) in &self.theme {
            let c = setting.value;
            match name.as_str() {
                "accent" => {
                    t.tabs.active = t.tabs.active.bg(c);
                    t.focus = t.focus.fg(c);
                    t.hint_key = t.hint_key.fg(c);
                    t.border_focused = t.border_focused.fg(c);
                }
                "danger" => {
                    t.button_danger = t.button_danger.bg(c);
                    t.error = t.error.fg(c);
                }
                "ok" => {
                    t.button_add = t.button_add.bg(c);
                    t.info = t.info.fg(c);
                }
                "warning" => {
                    t.warning = t.warning.fg(c);
                    t.modal_border = t.modal_border.fg(c);
                }
                "selected" => {
                    t.table.selected = t.table.selected.bg(c).add_modifier(Modifier::BOLD);
                    t.input_focused = t.input_focused.bg(c);
                }
                _ => {}
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        let mut c = Config::default();
        apply(
            &mut c,
            Path::new("t.toml"),
            text,
            Source::User("t.toml".into()),
        )?;
        Ok(c)
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            "store = \"/srv/p.db\"\npassword_file = \"/etc/admin-portal/pw\"\ngroup = \"portal\"\n\
             read_only = true\nmouse = true\n\
             no_color = false\n[theme]\naccent = \"magenta\"\n[keys.form]\n\"ctrl-w\" = \"save\"\n\
             [keys.global]\nF2 = \"tab2\"\nq = \"none\"\n",
        )
        .unwrap();
        assert_eq!(c.store.value, Some(PathBuf::from("/srv/p.db")));
        assert_eq!(
            c.password_file.value,
            Some(PathBuf::from("/etc/admin-portal/pw"))
        );
        assert_eq!(c.group.value.as_deref(), Some("portal"));
        assert!(c.read_only.value && c.mouse.value);
        assert_eq!(c.theme["accent"].value, Color::Magenta);
        assert_eq!(c.keys.len(), 3);
        let map = c.keymap();
        assert!(
            map.keys_for(KeyContext::Form, Action::Save)
                .contains(&KeyBinding::ctrl('w'))
        );
        assert!(map.keys_for(KeyContext::Global, Action::Quit).len() == 1);
    }

    #[test]
    fn a_postgres_store_url_is_kept_and_one_with_a_password_refused_at_its_line() {
        let c = parse("store = \"postgres://portal@db.example/portal\"\n").unwrap();
        assert_eq!(
            c.store.value,
            Some(PathBuf::from("postgres://portal@db.example/portal"))
        );
        let e = parse("mouse = true\nstore = \"postgres://portal:secret@db/portal\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains(":2: store: the URL holds a password"), "{e}");
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let e = parse("mouse = true\n\n[theme]\naccent = \"red\"\ncolour = \"blue\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.toml:5: theme.colour: unknown field"),
            "{e}"
        );
    }

    #[test]
    fn bad_values_name_file_line_and_key() {
        let e = parse("mouse = \"yes\"\n").unwrap_err().to_string();
        assert!(e.starts_with("t.toml:1: mouse: invalid type"), "{e}");
        let e = parse("[keys.list]\nx = \"explode\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "t.toml:2: keys.list.x: unknown action \"explode\"");
        let e = parse("[keys.list]\n\"ctrl-\u{e9}\u{e9}\" = \"up\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:2: keys.list.ctrl-"), "{e}");
        let e = parse("[keys.nowhere]\nx = \"up\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:1: keys.nowhere"), "{e}");
        let e = parse("[theme]\nok = \"greenish\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.toml:2: theme.ok: unknown colour"), "{e}");
    }
}
