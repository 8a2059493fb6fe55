//! The terminal's lifecycle: refuse to start without one, enter raw mode and the alternate screen,
//! and put everything back on every way out (return, `?`, panic, a signal the loop noticed).
//!
//! Typical use from `main` (after `color_eyre::install()`, so the panic hook here runs first):
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use admin_portal::term;
//! let signals = term::Signals::register()?;
//! let _guard = term::TerminalGuard::new();
//! let mut terminal = term::init(false)?;
//! // loop: draw, poll events, and between events `if let Some(sig) = signals.pending() { .. }`
//! # let _ = (&mut terminal, signals.pending());
//! # Ok(())
//! # }
//! ```

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Once};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::{DefaultTerminal, Terminal};
use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};

/// Why the terminal could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TermError {
    /// stdin or stdout is not a terminal (a pipe, a file, `ssh host cmd` without `-t`).
    /// (`main` puts the program's name in front: it is not repeated here.)
    #[error("the portal needs an interactive terminal; over SSH, connect with \"ssh -t\"")]
    NotATerminal,
    /// The terminal refused raw mode, the alternate screen or a size query.
    #[error("could not set up the terminal: {0}")]
    Io(#[from] io::Error),
}

/// True while this process has the terminal in raw mode / the alternate screen, so that
/// `restore` runs its escape sequences once and never writes them into a pipe.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Takes over the terminal: raw mode, alternate screen, bracketed paste, and mouse capture when
/// `mouse` is set. Refuses with [`TermError::NotATerminal`] before touching anything when stdin or
/// stdout is not a terminal. On failure the terminal is already restored.
pub fn init(mouse: bool) -> Result<DefaultTerminal, TermError> {
    check_interactive(io::stdin().is_terminal(), io::stdout().is_terminal())?;
    install_panic_hook();
    enter(mouse).inspect_err(|_| restore())
}

fn check_interactive(stdin_is_tty: bool, stdout_is_tty: bool) -> Result<(), TermError> {
    if stdin_is_tty && stdout_is_tty {
        Ok(())
    } else {
        Err(TermError::NotATerminal)
    }
}

fn enter(mouse: bool) -> Result<DefaultTerminal, TermError> {
    // Marked active first so that a failure half way is undone by `restore`.
    ACTIVE.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    execute!(stdout, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(stdout, EnableMouseCapture)?;
    }
    Ok(Terminal::new(CrosstermBackend::new(stdout))?)
}

/// Chains in front of whatever hook is installed (color-eyre's, or the default one), so the panic
/// report is printed on a terminal that is back in cooked mode on the main screen.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Gives the terminal back: mouse capture and bracketed paste off, main screen, cooked mode,
/// cursor shown. Idempotent, ignores errors (there is nobody left to tell), and does nothing when
/// `init` never took the terminal.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
}

/// Calls [`restore`] when dropped, so returning, `?` and unwinding all leave a sane terminal.
/// Create it before [`init`] and keep it alive for as long as the terminal is in use.
#[derive(Debug, Default)]
#[must_use = "the terminal is restored when the guard is dropped"]
pub struct TerminalGuard {
    _private: (),
}

impl TerminalGuard {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// The signals that end a session: `kill`, a dropped SSH connection, and an interrupt sent from
/// outside (in raw mode `Ctrl-C` arrives as a key, not as SIGINT).
pub const HANDLED_SIGNALS: [i32; 3] = [SIGTERM, SIGHUP, SIGINT];

/// Records the handled signals instead of dying, so the loop can save the wizard draft, restore
/// the terminal and exit with [`exit_code_for_signal`]. The handler only stores the number.
#[derive(Debug, Clone)]
pub struct Signals {
    last: Arc<AtomicUsize>,
}

impl Signals {
    /// Installs the handlers for [`HANDLED_SIGNALS`]; they stay for the life of the process.
    pub fn register() -> io::Result<Self> {
        let last = Arc::new(AtomicUsize::new(0));
        for signal in HANDLED_SIGNALS {
            // Signal numbers are small positive integers, so the cast is lossless.
            signal_hook::flag::register_usize(signal, Arc::clone(&last), signal as usize)?;
        }
        Ok(Self { last })
    }

    /// The most recent handled signal received since `register`, if any. Does not clear it: once
    /// asked to go, the app stays asked.
    pub fn pending(&self) -> Option<i32> {
        match self.last.load(Ordering::SeqCst) {
            0 => None,
            signal => i32::try_from(signal).ok(),
        }
    }
}

/// The shell convention for a process that ended because of `signal`: 128 + its number.
pub fn exit_code_for_signal(signal: i32) -> i32 {
    128 + signal
}

/// True when the terminal on standard input has hung up (the SSH connection or the terminal
/// window is gone). Needed because crossterm 0.29 spins inside `event::poll` on a vanished tty
/// instead of returning (crossterm issue 793), so the event loop never gets to see it.
pub fn terminal_hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: 0,
        events: 0,
        revents: 0,
    };
    // SAFETY: `fd` is a valid, exclusively borrowed pollfd and we pass a count of exactly one;
    // a zero timeout never blocks. POLLHUP/POLLERR/POLLNVAL are reported even with no events.
    #[allow(unsafe_code)]
    let ready = unsafe { libc::poll(&mut fd, 1, 0) };
    ready > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_without_a_terminal_on_either_side() {
        assert!(check_interactive(true, true).is_ok());
        for (stdin, stdout) in [(false, true), (true, false), (false, false)] {
            let err = check_interactive(stdin, stdout).unwrap_err();
            assert!(matches!(err, TermError::NotATerminal));
        }
    }

    #[test]
    fn not_a_terminal_message_tells_how_to_connect() {
        let message = TermError::NotATerminal.to_string();
        assert!(
            message.contains("needs an interactive terminal"),
            "{message}"
        );
        assert!(message.contains("ssh -t"), "{message}");
        assert!(!message.contains("admin-portal"), "{message}");
    }

    #[test]
    fn exit_codes_follow_the_shell_convention() {
        assert_eq!(exit_code_for_signal(SIGHUP), 129);
        assert_eq!(exit_code_for_signal(SIGINT), 130);
        assert_eq!(exit_code_for_signal(SIGTERM), 143);
    }

    #[test]
    fn restore_without_init_does_nothing_and_can_repeat() {
        restore();
        restore();
        drop(TerminalGuard::new());
        assert!(!ACTIVE.load(Ordering::SeqCst));
    }

    #[test]
    fn a_raised_signal_is_recorded_not_fatal() {
        let signals = Signals::register().expect("register handlers");
        assert_eq!(signals.pending(), None);
        signal_hook::low_level::raise(SIGHUP).expect("raise SIGHUP");
        assert_eq!(signals.pending(), Some(SIGHUP));
        signal_hook::low_level::raise(SIGTERM).expect("raise SIGTERM");
        assert_eq!(signals.pending(), Some(SIGTERM));
    }
}
