//! From parsed flags to a running portal or a finished subcommand.

use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;

use etcetera::BaseStrategy;

use crate::app::{App, Flash};
use crate::cli::{Cli, Command, DbCommand};
use crate::domain::Operator;
use crate::keymap::Keymap;
use crate::store::demo::DemoSpec;
use crate::store::{OpenMode, Store};
use crate::theme::{Theme, no_color_requested};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The store every operator of this account opens when no `--db` is given.
pub fn default_store_path() -> Result<PathBuf, Error> {
    let strategy = etcetera::choose_base_strategy()
        .map_err(|e| format!("cannot find the home folder for the default store: {e}"))?;
    Ok(strategy.data_dir().join("admin-portal").join("store.db"))
}

/// Opens the store the flags name. The default store (and `--db` with `--init`) is created when
/// missing; an explicit `--db` that does not exist is an error otherwise.
fn open_store(cli: &Cli, create: bool) -> Result<Store, Error> {
    let (path, mode) = match &cli.db {
        Some(path) if cli.readonly => (path.clone(), OpenMode::ReadOnly),
        Some(path) if cli.init || create => (path.clone(), OpenMode::Create),
        Some(path) => (path.clone(), OpenMode::Existing),
        None => {
            let path = default_store_path()?;
            if let Some(dir) = path.parent()
                && !dir.exists()
                && !cli.readonly
            {
                DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            let mode = if cli.readonly {
                OpenMode::ReadOnly
            } else {
                OpenMode::Create
            };
            (path, mode)
        }
    };
    Ok(Store::open(&path, mode)?)
}

/// Runs what the command line asks; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    match &cli.command {
        None => portal(&cli),
        Some(Command::Demo {
            customers,
            cameras,
            seed,
        }) => {
            let mut store = open_store(&cli, true)?;
            let spec = DemoSpec {
                customers: *customers,
                cameras: cameras.unwrap_or(customers * 10),
                seed: *seed,
            };
            let report = store.fill_demo(&spec, &mut |line| eprintln!("{line}"))?;
            println!(
                "filled {} with {} customers, {} cameras ({} linked), {} users, {} roles, {} plans in {:.1} s",
                store.path().display(),
                report.customers,
                report.cameras,
                report.linked,
                report.users,
                report.roles,
                report.plans,
                report.elapsed.as_secs_f64()
            );
            Ok(0)
        }
        Some(Command::Db { command }) => match command {
            DbCommand::Init => {
                let store = open_store(&cli, true)?;
                println!(
                    "{} {}",
                    if store.was_created() {
                        "created"
                    } else {
                        "already a store:"
                    },
                    store.path().display()
                );
                Ok(0)
            }
            DbCommand::Check => {
                let store = open_store(&cli, false)?;
                let problems = store.integrity_problems()?;
                if problems.is_empty() {
                    println!("{}: ok", store.path().display());
                    Ok(0)
                } else {
                    for p in &problems {
                        println!("{}: {p}", store.path().display());
                    }
                    Ok(1)
                }
            }
        },
    }
}

fn portal(cli: &Cli) -> Result<u8, Error> {
    let store = open_store(cli, false)?;
    let mut first_flash = None;
    if store.was_created() {
        let line = format!("created a new store at {}", store.path().display());
        eprintln!("admin-portal: {line}");
        first_flash = Some(Flash::info(line));
    }
    let theme = Theme::pick(no_color_requested(cli.no_color));
    let app = App::new(
        store,
        Keymap::default(),
        theme,
        Operator::from_env(),
        first_flash,
    )?;
    app.run()
}
