#![deny(clippy::unwrap_used, clippy::too_many_lines)]

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use admin_portal::cli::Cli;

fn main() -> ExitCode {
    install_error_hooks();
    let cli = Cli::parse();
    match admin_portal::run::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("admin-portal: {e}");
            ExitCode::from(1)
        }
    }
}

/// color-eyre's panic report: the location and a backtrace under `RUST_BACKTRACE`, in colour only
/// on a terminal without `NO_COLOR`. The portal's own hook (`term`) is chained in front of it when
/// the screen opens, so the terminal is restored before the report is printed.
fn install_error_hooks() {
    let plain = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || !std::io::stderr().is_terminal();
    let theme = if plain {
        color_eyre::config::Theme::new()
    } else {
        color_eyre::config::Theme::dark()
    };
    // Fails only when a hook is already installed, which leaves that one in place.
    let _ = color_eyre::config::HookBuilder::default()
        .theme(theme)
        .display_env_section(false)
        .install();
}
