//! Drives a real program in a pseudo-terminal, the way an operator would: type keys, paste, resize,
//! send signals, and read the screen through a `vt100` parser.
//!
//! A reader thread feeds everything the program writes into the parser and keeps the raw bytes. It
//! also answers the terminal queries the program may make (cursor position `ESC[6n`, status
//! `ESC[5n`, primary device attributes `ESC[c`), because a real terminal would and crossterm waits
//! for the answer.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How long `wait_*` helpers wait by default; CI machines are slow and shared.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);
/// How long after the program exits we wait for its last output to reach the parser.
const DRAIN: Duration = Duration::from_secs(3);

/// Keys as a terminal encodes them (xterm, normal cursor-key mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PgUp,
    PgDn,
    Home,
    End,
    Backspace,
    Delete,
    /// A printable character.
    Char(char),
    /// `Ctrl` with a letter (or `@[\]^_`), e.g. `Key::Ctrl('c')`.
    Ctrl(char),
    /// A function key, `F(1)` to `F(12)`.
    F(u8),
}

impl Key {
    /// The bytes a terminal sends for this key.
    pub fn bytes(self) -> Vec<u8> {
        let text: &str = match self {
            Key::Enter => "\r",
            Key::Esc => "\x1b",
            Key::Tab => "\t",
            Key::BackTab => "\x1b[Z",
            Key::Up => "\x1b[A",
            Key::Down => "\x1b[B",
            Key::Right => "\x1b[C",
            Key::Left => "\x1b[D",
            Key::PgUp => "\x1b[5~",
            Key::PgDn => "\x1b[6~",
            Key::Home => "\x1b[H",
            Key::End => "\x1b[F",
            Key::Backspace => "\x7f",
            Key::Delete => "\x1b[3~",
            Key::Char(c) => return c.to_string().into_bytes(),
            Key::Ctrl(c) => return vec![(c.to_ascii_lowercase() as u8) & 0x1f],
            Key::F(n) => match n {
                1 => "\x1bOP",
                2 => "\x1bOQ",
                3 => "\x1bOR",
                4 => "\x1bOS",
                5 => "\x1b[15~",
                6 => "\x1b[17~",
                7 => "\x1b[18~",
                8 => "\x1b[19~",
                9 => "\x1b[20~",
                10 => "\x1b[21~",
                11 => "\x1b[23~",
                12 => "\x1b[24~",
                _ => panic!("no function key F{n}"),
            },
        };
        text.as_bytes().to_vec()
    }
}

/// Collects the answers to terminal queries while the parser runs; the reader thread writes them.
#[derive(Default)]
struct Replies {
    pending: Vec<u8>,
}

impl vt100::Callbacks for Replies {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied();
        match (i1, c, first) {
            (None, 'n', Some(6)) => {
                let (row, col) = screen.cursor_position();
                let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                self.pending.extend_from_slice(reply.as_bytes());
            }
            (None, 'n', Some(5)) => self.pending.extend_from_slice(b"\x1b[0n"),
            // A VT220-class terminal; lets crossterm's keyboard-enhancement probe finish at once.
            (None, 'c', None | Some(0)) => self.pending.extend_from_slice(b"\x1b[?62;22c"),
            _ => {}
        }
    }
}

struct Output {
    parser: vt100::Parser<Replies>,
    raw: Vec<u8>,
}

type Writer = Arc<Mutex<Box<dyn Write + Send>>>;

/// A program running in a pseudo-terminal. Dropping it kills the program.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Writer,
    output: Arc<Mutex<Output>>,
    reader_done: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
    description: String,
}

impl Pty {
    /// Starts the real `admin-portal` binary with `args` and extra `env`.
    pub fn spawn(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Pty {
        Self::spawn_cmd(env!("CARGO_BIN_EXE_admin-portal"), args, env, cols, rows)
    }

    /// Starts any `program` (looked up in `PATH` if not a path). `TERM` defaults to
    /// `xterm-256color`; the working directory is the test's.
    pub fn spawn_cmd(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (key, value) in env {
            cmd.env(key, value);
        }
        if let Ok(dir) = std::env::current_dir() {
            cmd.cwd(dir);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("spawn {program} {args:?} in a pty: {e}"));
        // Only the child may hold the slave side, so that its exit ends our reads.
        drop(pair.slave);

        let reader = pair.master.try_clone_reader().expect("pty reader");
        let writer: Writer = Arc::new(Mutex::new(pair.master.take_writer().expect("pty writer")));
        let output = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new_with_callbacks(rows, cols, 0, Replies::default()),
            raw: Vec::new(),
        }));
        let reader_done = Arc::new(AtomicBool::new(false));
        let handle = {
            let (output, writer, done) = (
                Arc::clone(&output),
                Arc::clone(&writer),
                Arc::clone(&reader_done),
            );
            thread::Builder::new()
                .name("pty-reader".into())
                .spawn(move || read_loop(reader, &output, &writer, &done))
                .expect("start the pty reader thread")
        };
        Pty {
            child,
            master: pair.master,
            writer,
            output,
            reader_done,
            reader: Some(handle),
            status: None,
            description: format!("{program} {args:?}"),
        }
    }

    /// The child's process id.
    pub fn pid(&self) -> i32 {
        let pid = self.child.process_id().expect("child has a pid");
        i32::try_from(pid).expect("pid fits in i32")
    }

    /// Types `text` as is (UTF-8 bytes, no translation).
    pub fn send(&self, text: &str) {
        self.send_bytes(text.as_bytes());
    }

    /// Writes raw bytes to the program's terminal input.
    pub fn send_bytes(&self, bytes: &[u8]) {
        let mut writer = self.writer.lock().expect("pty writer lock");
        writer.write_all(bytes).expect("write to the pty");
        writer.flush().expect("flush the pty");
    }

    /// Presses one key. After `Esc` it pauses briefly so the next key is not read as `Alt-<key>`.
    pub fn send_key(&self, key: Key) {
        self.send_bytes(&key.bytes());
        if key == Key::Esc {
            thread::sleep(Duration::from_millis(60));
        }
    }

    /// Presses several keys in order.
    pub fn send_keys(&self, keys: &[Key]) {
        for key in keys {
            self.send_key(*key);
        }
    }

    /// Pastes `text` as a terminal with bracketed paste does: `ESC[200~` text `ESC[201~`.
    pub fn paste(&self, text: &str) {
        let mut bytes = b"\x1b[200~".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(b"\x1b[201~");
        self.send_bytes(&bytes);
    }

    /// The text on the screen, rows separated by newlines, trailing blanks trimmed.
    pub fn screen(&self) -> String {
        self.output().parser.screen().contents()
    }

    /// One row of the screen (0 = top), trailing blanks trimmed.
    pub fn row(&self, row: u16) -> String {
        let output = self.output();
        let screen = output.parser.screen();
        let (_, cols) = screen.size();
        screen
            .rows(0, cols)
            .nth(usize::from(row))
            .unwrap_or_default()
    }

    /// Runs `f` with the current `vt100` screen, for checks the helpers here do not cover
    /// (colours, attributes of one cell, ...).
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.output().parser.screen())
    }

    /// Cursor position as (row, col), 0-based.
    pub fn cursor(&self) -> (u16, u16) {
        self.with_screen(vt100::Screen::cursor_position)
    }

    /// Whether the program has the alternate screen active.
    pub fn alternate_screen(&self) -> bool {
        self.with_screen(vt100::Screen::alternate_screen)
    }

    /// Whether the cursor is hidden.
    pub fn hide_cursor(&self) -> bool {
        self.with_screen(vt100::Screen::hide_cursor)
    }

    /// Whether bracketed paste mode is on.
    pub fn bracketed_paste(&self) -> bool {
        self.with_screen(vt100::Screen::bracketed_paste)
    }

    /// Whether any mouse reporting mode is on.
    pub fn mouse_capture(&self) -> bool {
        self.with_screen(|s| s.mouse_protocol_mode() != vt100::MouseProtocolMode::None)
    }

    /// Every byte the program has written so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.output().raw.clone()
    }

    /// Everything the program has written so far, lossily as text (escape sequences included).
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.output().raw).into_owned()
    }

    /// Whether the program has written `needle` (e.g. an escape sequence) at any point.
    pub fn wrote(&self, needle: &[u8]) -> bool {
        !needle.is_empty() && self.output().raw.windows(needle.len()).any(|w| w == needle)
    }

    /// Waits until `text` is on the screen. `timeout`: a `Duration`, or `None` for [`TIMEOUT`].
    /// The error shows the screen as it was when giving up.
    pub fn wait_for(&self, text: &str, timeout: impl Into<Option<Duration>>) -> Result<(), String> {
        self.wait_until(timeout, &format!("{text:?} to appear"), |s| {
            s.contains(text)
        })
    }

    /// Waits up to [`TIMEOUT`] for `text` and panics with the screen if it never shows.
    #[track_caller]
    pub fn expect_text(&self, text: &str) {
        if let Err(message) = self.wait_for(text, None) {
            panic!("{message}");
        }
    }

    /// Waits (up to [`TIMEOUT`]) until `text` is no longer on the screen.
    pub fn wait_gone(&self, text: &str) -> Result<(), String> {
        self.wait_until(None, &format!("{text:?} to disappear"), |s| {
            !s.contains(text)
        })
    }

    /// Waits until `done(screen contents)` holds; `what` names the condition in the error.
    pub fn wait_until(
        &self,
        timeout: impl Into<Option<Duration>>,
        what: &str,
        mut done: impl FnMut(&str) -> bool,
    ) -> Result<(), String> {
        let timeout = timeout.into().unwrap_or(TIMEOUT);
        let deadline = Instant::now() + timeout;
        loop {
            // Read before the screen: once all output is in, the screen cannot change any more.
            let ended = self.reader_done.load(Ordering::SeqCst);
            let screen = self.screen();
            if done(&screen) {
                return Ok(());
            }
            if ended {
                let what = format!("waiting for {what}: the program has ended its output");
                return Err(self.failure(&what, &screen));
            }
            if Instant::now() >= deadline {
                return Err(self.failure(&format!("waited {timeout:?} for {what}"), &screen));
            }
            thread::sleep(POLL);
        }
    }

    /// Resizes the terminal; the kernel sends the program SIGWINCH.
    pub fn resize(&self, cols: u16, rows: u16) {
        self.output().parser.screen_mut().set_size(rows, cols);
        self.master
            .resize(size(cols, rows))
            .expect("resize the pty");
    }

    /// Sends `signal` (e.g. `libc::SIGTERM`) to the program.
    pub fn signal(&self, signal: i32) {
        send_signal(self.pid(), signal).expect("send a signal to the child");
    }

    /// Waits for the program to exit (`None` timeout: [`TIMEOUT`]), then for its last output to
    /// reach the parser. `None` if it is still running.
    pub fn wait_exit(&mut self, timeout: impl Into<Option<Duration>>) -> Option<ExitStatus> {
        if self.status.is_none() {
            let deadline = Instant::now() + timeout.into().unwrap_or(TIMEOUT);
            loop {
                if let Some(status) = self.child.try_wait().expect("poll the child") {
                    self.status = Some(status);
                    break;
                }
                if Instant::now() >= deadline {
                    return None;
                }
                thread::sleep(POLL);
            }
            self.drain();
        }
        self.status.clone()
    }

    /// Like `wait_exit` but returns the exit code, or an error with the screen when the program
    /// is still running or was killed by a signal it did not handle.
    pub fn exit_code(&mut self, timeout: impl Into<Option<Duration>>) -> Result<u32, String> {
        match self.wait_exit(timeout) {
            Some(status) if status.signal().is_none() => Ok(status.exit_code()),
            Some(status) => Err(self.failure(&format!("program {status}"), &self.screen())),
            None => Err(self.failure("program did not exit", &self.screen())),
        }
    }

    /// Whether the program is still running.
    pub fn is_running(&mut self) -> bool {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("poll the child");
        }
        self.status.is_none()
    }

    fn drain(&mut self) {
        let deadline = Instant::now() + DRAIN;
        while !self.reader_done.load(Ordering::SeqCst) && Instant::now() < deadline {
            thread::sleep(POLL);
        }
        if self.reader_done.load(Ordering::SeqCst)
            && let Some(handle) = self.reader.take()
        {
            let _ = handle.join();
        }
    }

    fn failure(&self, what: &str, screen: &str) -> String {
        let (rows, cols) = self.with_screen(vt100::Screen::size);
        let rule = "-".repeat(usize::from(cols));
        format!(
            "{what} in `{}` ({cols}x{rows}); screen:\n{rule}\n{screen}\n{rule}",
            self.description
        )
    }

    fn output(&self) -> MutexGuard<'_, Output> {
        // A panic elsewhere while holding the lock must not hide the screen from the report.
        self.output.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.is_running() {
            // The child leads its own session and process group: take its helpers down too.
            let _ = send_signal(-self.pid(), libc::SIGKILL);
            let _ = send_signal(self.pid(), libc::SIGKILL);
            let _ = self.child.wait();
        }
    }
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn read_loop(
    mut reader: Box<dyn Read + Send>,
    output: &Mutex<Output>,
    writer: &Writer,
    done: &AtomicBool,
) {
    let mut buf = [0u8; 8192];
    loop {
        // EOF or EIO: every holder of the slave side (the child and its children) is gone.
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let replies = {
            let mut output = output.lock().unwrap_or_else(|e| e.into_inner());
            output.raw.extend_from_slice(&buf[..n]);
            output.parser.process(&buf[..n]);
            std::mem::take(&mut output.parser.callbacks_mut().pending)
        };
        if !replies.is_empty()
            && let Ok(mut writer) = writer.lock()
        {
            let _ = writer.write_all(&replies);
            let _ = writer.flush();
        }
    }
    done.store(true, Ordering::SeqCst);
}

#[allow(unsafe_code)]
fn send_signal(pid: i32, signal: i32) -> std::io::Result<()> {
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    if unsafe { libc::kill(pid, signal) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

// --- waits that fail the test --------------------------------------------------------------------

/// Waits for `text` (up to `timeout`, or [`TIMEOUT`] for `None`); panics with the screen.
#[track_caller]
pub fn expect_within(pty: &Pty, text: &str, timeout: impl Into<Option<Duration>>) {
    if let Err(message) = pty.wait_for(text, timeout) {
        panic!("{message}");
    }
}

/// Waits until `text` is gone from the screen; panics with the screen.
#[track_caller]
pub fn expect_gone(pty: &Pty, text: &str) {
    if let Err(message) = pty.wait_gone(text) {
        panic!("{message}");
    }
}

/// Waits until `done` holds for the screen; panics with `what` and the screen otherwise.
#[track_caller]
pub fn expect_screen(pty: &Pty, what: &str, done: impl FnMut(&str) -> bool) {
    if let Err(message) = pty.wait_until(None, what, done) {
        panic!("{message}");
    }
}

/// After the program ended: the terminal is as it found it (main screen, cursor shown, no
/// bracketed paste, no mouse capture).
#[track_caller]
pub fn assert_terminal_restored(pty: &Pty) {
    let screen = pty.screen();
    assert!(
        !pty.alternate_screen(),
        "still on the alternate screen:\n{screen}"
    );
    assert!(!pty.hide_cursor(), "cursor left hidden:\n{screen}");
    assert!(!pty.bracketed_paste(), "bracketed paste left on:\n{screen}");
    assert!(!pty.mouse_capture(), "mouse capture left on:\n{screen}");
}

/// Waits up to [`TIMEOUT`] for `text`; panics with the screen.
#[track_caller]
pub fn expect(pty: &Pty, text: &str) {
    pty.expect_text(text);
}

/// Types `text` into the focused field, then waits until it shows (the app has read it).
#[track_caller]
pub fn type_field(pty: &Pty, text: &str) {
    pty.send(text);
    expect(pty, text);
}
