//! Command-line flags and subcommands (clap). Exit codes: 0 ok, 1 error, 2 usage.

pub mod db;
pub mod output;
pub mod records;

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "admin-portal",
    version,
    about = "Manage a security integrator's customers, cameras, plans, roles and users from the terminal",
    long_about = None,
    after_help = "With no subcommand, admin-portal opens the portal: the interactive screens on the \
store. The subcommands that print data (customers, cameras, plans, audit, config) take --format \
table|json|csv; `admin-portal help SUBCOMMAND` shows each one's options."
)]
pub struct Cli {
    /// The store file (default: the configured store, else the operator's data folder; created
    /// on first start). `db check` also takes a PostgreSQL store: postgres://user@host/dbname.
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

    /// A configuration file read after the system and the operator's own.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Write the log here instead of the state folder.
    #[arg(long, global = true, value_name = "PATH")]
    pub log_file: Option<PathBuf>,

    /// More detail in the log: -v debug, -vv trace.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How data is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Aligned columns: at a terminal the most useful that fit its width; piped, all uncut.
    #[default]
    Table,
    /// One JSON document.
    Json,
    /// CSV with a header record.
    Csv,
}

/// The file formats of an export or an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    Json,
    Csv,
}

/// How a listing is printed: the format and, for a table, which columns.
#[derive(Debug, Clone, Default, Args)]
pub struct View {
    /// How to print it.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Every column at full width, however wide the table gets.
    #[arg(long, short = 'w')]
    pub wide: bool,
    /// Only these columns, in this order (table and csv), e.g. --columns name,email.
    #[arg(long, value_delimiter = ',', value_name = "NAME,...")]
    pub columns: Vec<String>,
}

impl View {
    /// The width a table must fit: the terminal's, or none (piped, `--wide`).
    pub fn width(&self) -> Option<usize> {
        if self.wide {
            None
        } else {
            output::terminal_width()
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List, show, export, import, delete and restore customers.
    Customers {
        #[command(subcommand)]
        command: CustomersCommand,
    },
    /// The camera inventory.
    Cameras {
        #[command(subcommand)]
        command: CamerasCommand,
    },
    /// Recording plans.
    Plans {
        #[command(subcommand)]
        command: PlansCommand,
    },
    /// The audit log, newest first.
    Audit {
        /// Only entries of this customer (ID or exact name; deleted customers by name too).
        #[arg(long, value_name = "ID|NAME")]
        customer: Option<String>,
        /// Only entries of this action, e.g. customer.delete.
        #[arg(long)]
        action: Option<String>,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[command(flatten)]
        view: View,
    },
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff); e.g. `admin-portal man > admin-portal.1`.
    Man,
    /// Print the effective settings, where each came from, and the paths in use.
    Config {
        /// How to print it.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// The customers table.
    List {
        /// Only customers whose name, contact, email, phone, city or reference contains this.
        #[arg(long)]
        filter: Option<String>,
        /// At most this many rows (all by default).
        #[arg(long)]
        limit: Option<i64>,
        #[command(flatten)]
        view: View,
    },
    /// One customer with its cameras, roles and users.
    Show {
        /// The customer's ID or exact name.
        #[arg(value_name = "ID|NAME")]
        customer: String,
        /// How to print it.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Tables at full width, however wide.
        #[arg(long, short = 'w')]
        wide: bool,
    },
    /// Customers with billing, cameras, roles and users, in the format `import` reads.
    Export {
        /// IDs or exact names; every customer when none is given.
        #[arg(value_name = "ID|NAME")]
        customers: Vec<String>,
        #[arg(long, value_enum, default_value_t = FileFormat::Json)]
        format: FileFormat,
        /// Write to this file (mode 0600) instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Include the users' password hashes (JSON only; needs --output).
        #[arg(long)]
        include_secrets: bool,
    },
    /// Create customers from an export (JSON) or a CSV file: all of them or none.
    Import {
        /// The file to read (`-` for standard input).
        file: PathBuf,
        /// The file's format (default: from its extension, JSON otherwise).
        #[arg(long, value_enum)]
        format: Option<FileFormat>,
        /// Check everything and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete (archive) a customer exactly as the Delete button does.
    Delete {
        #[arg(value_name = "ID|NAME")]
        customer: String,
        /// Type `Delete` to confirm.
        #[arg(long, value_name = "Delete", required = true)]
        confirm: String,
    },
    /// Bring a deleted customer back from its archive.
    Restore {
        /// The archive ID, or the name of the customer (its most recent deletion).
        #[arg(value_name = "ARCHIVE_ID|NAME", required_unless_present = "audit")]
        what: Option<String>,
        /// The ID of the audit entry of the deletion instead.
        #[arg(long, value_name = "ID", conflicts_with = "what")]
        audit: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CamerasCommand {
    /// The inventory, with the customer each camera is linked to.
    List {
        /// Only cameras whose name, MAC, serial, model or location contains this.
        #[arg(long)]
        filter: Option<String>,
        /// Only the cameras of this customer (ID or exact name).
        #[arg(long, value_name = "ID|NAME")]
        customer: Option<String>,
        /// At most this many rows (all by default).
        #[arg(long)]
        limit: Option<i64>,
        #[command(flatten)]
        view: View,
    },
    /// Register cameras from a CSV file (header: name,mac,serial,model,location[,customer,plan,recording]).
    Import {
        /// The file to read (`-` for standard input).
        file: PathBuf,
        /// Check everything and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlansCommand {
    /// Every plan with retention, mode and price.
    List {
        #[command(flatten)]
        view: View,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Create an empty store at --db (or the default path).
    Init,
    /// Run SQLite's full integrity and foreign-key checks; exit 1 on a problem. On a
    /// `--db postgres://user@host/dbname`: connect, print the schema version and the rows of each
    /// table, check the stored counts.
    Check,
    /// Copy the store consistently while others keep working (mode 0600).
    Backup {
        /// Where to write the copy; must not exist yet.
        path: PathBuf,
    },
    /// Copy the whole store (audit log and archives included) into an empty PostgreSQL database
    /// in one transaction, then check the counts table by table. The password comes from
    /// PGPASSWORD or ~/.pgpass (PGPASSFILE), never from the URL.
    #[command(name = "migrate-to")]
    MigrateTo {
        /// The empty database: postgres://user@host[:port]/dbname (no password in it).
        #[arg(value_name = "URL")]
        url: String,
    },
}
