//! From parsed flags to a running portal or a finished subcommand: configuration layers, the log,
//! the store, then the command.

use std::fs::DirBuilder;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use etcetera::BaseStrategy;

use crate::app::{App, Flash};
use crate::cli::{Cli, Command, DbCommand, Format, db, output, records};
use crate::config::{self, LoadedConfig, Source};
use crate::domain::Operator;
use crate::logging;
use crate::store::demo::DemoSpec;
use crate::store::{OpenMode, Store};
use crate::theme::Theme;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The store every operator of this account opens when no `--db` is given and no configuration
/// names one.
pub fn default_store_path() -> Result<PathBuf, Error> {
    let strategy = etcetera::choose_base_strategy()
        .map_err(|e| format!("cannot find the home folder for the default store: {e}"))?;
    Ok(strategy.data_dir().join("admin-portal").join("store.db"))
}

/// The settings in force: configuration files with the flags laid over them.
struct Settings {
    loaded: LoadedConfig,
    /// The store path and whether it was chosen explicitly (flag or configuration).
    store: PathBuf,
    explicit_store: bool,
    log: Option<PathBuf>,
}

fn settings(cli: &Cli) -> Result<Settings, Error> {
    let mut loaded = config::load(cli.config.as_deref())?;
    let c = &mut loaded.config;
    if let Some(db) = &cli.db {
        c.store.set(Some(db.clone()), Source::Flag("--db"));
    }
    if cli.readonly {
        c.read_only.set(true, Source::Flag("--readonly"));
    }
    if cli.no_color {
        c.no_color.set(true, Source::Flag("--no-color"));
    } else if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        c.no_color.set(true, Source::Env("NO_COLOR"));
    }
    let (store, explicit_store) = match &c.store.value {
        Some(p) => (p.clone(), true),
        None => (default_store_path()?, false),
    };
    let log = cli.log_file.clone().or_else(logging::default_log_path);
    Ok(Settings {
        loaded,
        store,
        explicit_store,
        log,
    })
}

/// Opens the store the settings name. The default store (and an explicit one with `--init`) is
/// created when missing; an explicit path that does not exist is an error otherwise. A new store
/// is shared with the configured group (0660).
fn open_store(cli: &Cli, s: &Settings, create: bool) -> Result<Store, Error> {
    let c = &s.loaded.config;
    let read_only = c.read_only.value;
    let path = &s.store;
    let mode = if read_only {
        OpenMode::ReadOnly
    } else if !s.explicit_store || cli.init || create {
        OpenMode::Create
    } else {
        OpenMode::Existing
    };
    if db::is_postgres(path) {
        return open_postgres(s, mode);
    }
    if !s.explicit_store
        && !read_only
        && let Some(dir) = path.parent()
        && !dir.exists()
    {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let store = Store::open(path, mode)
        .inspect_err(|e| tracing::error!(path = ?path, "cannot open the store: {e}"))?;
    tracing::info!(path = ?store.path(), read_only, created = store.was_created(), "store opened");
    if store.was_created()
        && let Some(group) = &c.group.value
    {
        share_with_group(store.path(), group)?;
    }
    Ok(store)
}

/// A `postgres://` store: the URL, the password of `password_file` when the configuration
/// names one (else `PGPASSWORD` or `~/.pgpass`), then [`Store::open_postgres`].
fn open_postgres(s: &Settings, mode: OpenMode) -> Result<Store, Error> {
    let url = s.store.to_str().unwrap_or_default();
    let mut location = crate::store::pg::Location::parse(url)?;
    if let Some(file) = &s.loaded.config.password_file.value {
        location = location.with_password_file(file)?;
    }
    let store = Store::open_postgres(location, crate::store::StoreOptions::new(mode))
        .inspect_err(|e| tracing::error!(location = url, "cannot open the store: {e}"))?;
    tracing::info!(location = ?store.path(), mode = ?mode, "store opened");
    Ok(store)
}

/// chgrp + chmod 0660 of the store and its WAL files, so every member of `group` can use it.
fn share_with_group(path: &Path, group: &str) -> Result<(), Error> {
    let gid = group_id(group).ok_or_else(|| format!("no group {group:?} on this system"))?;
    let mut files = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            files.push(p);
        }
    }
    for f in files {
        std::os::unix::fs::chown(&f, None, Some(gid))
            .map_err(|e| format!("cannot give {} to group {group}: {e}", f.display()))?;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o660))?;
    }
    tracing::info!(path = ?path, group, "store shared with group (0660)");
    Ok(())
}

/// A group's id from its name (or a number), read from `/etc/group`.
fn group_id(group: &str) -> Option<u32> {
    if let Ok(n) = group.parse() {
        return Some(n);
    }
    let text = std::fs::read_to_string("/etc/group").ok()?;
    text.lines().find_map(|l| {
        let mut parts = l.split(':');
        (parts.next()? == group)
            .then(|| parts.nth(1)?.parse().ok())
            .flatten()
    })
}

/// Runs what the command line asks; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let s = settings(&cli)?;
    let log_problem = s
        .log
        .as_deref()
        .map(|p| logging::init(p, cli.verbose))
        .and_then(Result::err);
    if let Some(problem) = &log_problem
        && cli.command.is_some()
    {
        eprintln!("admin-portal: {problem}; going on without a log");
    }
    let result = dispatch(&cli, &s);
    if let Err(e) = &result {
        if output::closed_pipe(e.as_ref()) {
            tracing::debug!("standard output closed by its reader: output ends there");
            return Ok(0);
        }
        tracing::error!("{e}");
    }
    result
}

fn dispatch(cli: &Cli, s: &Settings) -> Result<u8, Error> {
    let op = Operator::from_env();
    let Some(command) = &cli.command else {
        return portal(cli, s);
    };
    match command {
        Command::Customers { command } => {
            let mut store = open_store(cli, s, false)?;
            records::customers(&mut store, &op, command)
        }
        Command::Cameras { command } => {
            let mut store = open_store(cli, s, false)?;
            records::cameras(&mut store, &op, command)
        }
        Command::Plans { command } => {
            let store = open_store(cli, s, false)?;
            records::plans(&store, command)
        }
        Command::Audit {
            customer,
            action,
            limit,
            view,
        } => {
            let store = open_store(cli, s, false)?;
            records::audit(&store, customer.as_deref(), action.as_deref(), *limit, view)
        }
        Command::Demo {
            customers,
            cameras,
            seed,
        } => {
            let mut store = open_store(cli, s, true)?;
            let spec = DemoSpec {
                customers: *customers,
                cameras: cameras.unwrap_or(customers * 10),
                seed: *seed,
            };
            let report = store.fill_demo(&spec, &mut |line| eprintln!("{line}"))?;
            tracing::info!(
                action = "demo",
                customers = report.customers,
                "demo data written"
            );
            crate::outln!(
                "filled {} with {}, {} ({} linked), {}, {}, {} in {:.1} s",
                store.path().display(),
                crate::domain::count::count(report.customers, "customer"),
                crate::domain::count::count(report.cameras, "camera"),
                report.linked,
                crate::domain::count::count(report.users, "user"),
                crate::domain::count::count(report.roles, "role"),
                crate::domain::count::count(report.plans, "plan"),
                report.elapsed.as_secs_f64()
            )?;
            Ok(0)
        }
        Command::Db { command } => match command {
            DbCommand::Init if db::is_postgres(&s.store) => db::init_postgres(&s.store),
            DbCommand::Init => {
                let store = open_store(cli, s, true)?;
                crate::outln!(
                    "{} {}",
                    if store.was_created() {
                        "created"
                    } else {
                        "already a store:"
                    },
                    store.path().display()
                )?;
                Ok(0)
            }
            DbCommand::Check if db::is_postgres(&s.store) => db::check_postgres(&s.store),
            DbCommand::Check => db::check(&open_store(cli, s, false)?),
            DbCommand::Backup { path } if db::is_postgres(&s.store) => {
                db::backup_postgres(&s.store, path)
            }
            DbCommand::Backup { path } => db::backup(&open_store(cli, s, false)?, path),
            DbCommand::MigrateTo { url } => db::migrate_to(&open_store(cli, s, false)?, url),
        },
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "admin-portal", &mut script);
            output::out(script)?;
            Ok(0)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .date(MAN_PAGE_DATE)
                .manual("admin-portal manual")
                .render(&mut out)?;
            output::out(out)?;
            Ok(0)
        }
        Command::Config { format } => print_config(s, *format),
    }
}

/// The date of this release, on the man page's `.TH` line (mandoc parses `YYYY-MM-DD`). A fixed
/// date, not the build's, so the page is the same on every build of a version.
pub const MAN_PAGE_DATE: &str = "2026-12-07";

/// `admin-portal config`: every setting, its value and where it came from; then the paths.
fn print_config(s: &Settings, format: Format) -> Result<u8, Error> {
    let rows = config_rows(s);
    let paths = config_paths(s);
    match format {
        Format::Json => {
            let settings: serde_json::Map<String, serde_json::Value> = rows
                .iter()
                .map(|(k, v, src)| (k.clone(), serde_json::json!({ "value": v, "source": src })))
                .collect();
            let paths: serde_json::Map<String, serde_json::Value> = paths
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            crate::outln!(
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({ "settings": settings, "paths": paths })
                )?
            )?;
        }
        Format::Table | Format::Csv => {
            let mut t = output::Table::new(vec!["setting", "value", "from"]);
            for (k, v, src) in rows {
                t.push(vec![k, v, src]);
            }
            let mut p = output::Table::new(vec!["path", "where"]);
            for (k, v) in paths {
                p.push(vec![k, v]);
            }
            if format == Format::Csv {
                output::out(t.csv()?)?;
            } else {
                let width = output::terminal_width();
                output::out(format!("{}\n{}", t.render(width), p.render(width)))?;
            }
        }
    }
    Ok(0)
}

/// Each setting of `admin-portal config`: its name, its value and where the value came from.
fn config_rows(s: &Settings) -> Vec<(String, String, String)> {
    let c = &s.loaded.config;
    let mut rows: Vec<(String, String, String)> = vec![
        (
            "store".into(),
            s.store.display().to_string(),
            if c.store.value.is_some() {
                c.store.source.to_string()
            } else {
                "default".into()
            },
        ),
        (
            "password_file".into(),
            c.password_file
                .value
                .as_ref()
                .map_or_else(|| "(none)".into(), |p| p.display().to_string()),
            c.password_file.source.to_string(),
        ),
        (
            "group".into(),
            c.group.value.clone().unwrap_or_else(|| "(none)".into()),
            c.group.source.to_string(),
        ),
        (
            "read_only".into(),
            c.read_only.value.to_string(),
            c.read_only.source.to_string(),
        ),
        (
            "mouse".into(),
            c.mouse.value.to_string(),
            c.mouse.source.to_string(),
        ),
        (
            "no_color".into(),
            c.no_color.value.to_string(),
            c.no_color.source.to_string(),
        ),
    ];
    for (name, setting) in &c.theme {
        rows.push((
            format!("theme.{name}"),
            format!("{}", setting.value),
            setting.source.to_string(),
        ));
    }
    for (ctx, key, _, action, source) in &c.keys {
        rows.push((
            format!("keys.{}.{key}", config::context_name(*ctx)),
            action.map_or_else(|| "none".into(), config::action_name),
            source.to_string(),
        ));
    }
    rows
}

/// The files `admin-portal config` names: the store, each configuration file, the log.
fn config_paths(s: &Settings) -> Vec<(String, String)> {
    let file_state = |f: &config::ConfigFile| {
        format!(
            "{} ({})",
            f.path.display(),
            if f.found { "read" } else { "not found" }
        )
    };
    let mut paths: Vec<(String, String)> = vec![
        (
            "store".into(),
            format!(
                "{} ({})",
                s.store.display(),
                if s.store.exists() {
                    "exists"
                } else {
                    "not created yet"
                }
            ),
        ),
        ("system config".into(), file_state(&s.loaded.system)),
    ];
    if let Some(u) = &s.loaded.user {
        paths.push(("user config".into(), file_state(u)));
    }
    if let Some(e) = &s.loaded.explicit {
        paths.push(("--config".into(), file_state(e)));
    }
    paths.push((
        "log".into(),
        s.log
            .as_ref()
            .map_or_else(|| "(none)".into(), |p| p.display().to_string()),
    ));
    paths
}

fn portal(cli: &Cli, s: &Settings) -> Result<u8, Error> {
    let store = open_store(cli, s, false)?;
    let mut first_flash = None;
    if store.was_created() {
        let line = format!("created a new store at {}", store.path().display());
        eprintln!("admin-portal: {line}");
        first_flash = Some(Flash::info(line).until_key());
    }
    let c = &s.loaded.config;
    let base = Theme::pick(c.no_color.value);
    // One theme per process: the configured colours over the base, for the whole run.
    let theme: &'static Theme = Box::leak(Box::new(c.theme(base)));
    let app = App::new(store, c.keymap(), theme, Operator::from_env(), first_flash)?
        .with_mouse(c.mouse.value);
    app.run()
}
