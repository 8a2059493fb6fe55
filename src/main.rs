use std::process::ExitCode;

use clap::Parser;

use admin_portal::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match admin_portal::run::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("admin-portal: {e}");
            ExitCode::from(1)
        }
    }
}
