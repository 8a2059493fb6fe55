//! Command-line flags and subcommands (clap). Exit codes: 0 ok, 1 error, 2 usage.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "admin-portal",
    version,
    about = "Manage a security integrator's customers, cameras, plans, roles and users from the terminal",
    long_about = None
)]
pub struct Cli {
    /// The store file (default: the operator's data folder; created on first start).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Create the store named by --db when it does not exist.
    #[arg(long, global = true)]
    pub init: bool,

    /// Open the store read-only: nothing can be written.
    #[arg(long, global = true)]
    pub readonly: bool,

    /// Monochrome theme (also when NO_COLOR is set).
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty store with realistic sample data.
    Demo {
        /// How many customers to create.
        #[arg(long, default_value_t = 200)]
        customers: u64,
        /// How many cameras the inventory holds (default: ten per customer).
        #[arg(long)]
        cameras: Option<u64>,
        /// Seed of the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Store maintenance.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create an empty store at --db (or the default path).
    Init,
    /// Run SQLite's full integrity and foreign-key checks; exit 1 on a problem.
    Check,
}
