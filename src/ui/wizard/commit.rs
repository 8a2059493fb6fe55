//! Temporary passwords of the new users and their Argon2id hashes, computed on a background
//! thread so the screen keeps drawing ("Hashing passwords 3/50…") while Argon2 works.
//!
//! Passwords live only in memory: [`Secret`] overwrites its bytes when dropped, and nothing here
//! writes one anywhere but to the thread that hashes it.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;

use argon2::Argon2;
use argon2::password_hash::PasswordHasher;
use rand::seq::IndexedRandom;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::keymap::Keymap;
use crate::theme::Theme;

use crate::action::{Action, KeyContext};
use crate::domain::NewCustomer;
use crate::ui::component::{Component, Ctx, Effect};

/// Letters and digits an operator can read aloud and copy without doubt: no `0 O o 1 l I`.
pub const PASSWORD_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

/// Characters in a temporary password.
pub const PASSWORD_LEN: usize = 16;

/// Where temporary passwords come from: the random generator, or a fixed one in tests.
pub type PasswordSource = Box<dyn FnMut() -> Secret + Send>;

/// A password in memory: never printed by `Debug`, overwritten when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

/// A fresh temporary password: [`PASSWORD_LEN`] characters of [`PASSWORD_ALPHABET`], from the
/// thread's cryptographically secure generator.
pub fn temporary_password() -> Secret {
    let mut rng = rand::rng();
    let text = (0..PASSWORD_LEN)
        .filter_map(|_| PASSWORD_ALPHABET.choose(&mut rng).map(|b| char::from(*b)))
        .collect::<String>();
    Secret(text)
}

/// The random source used outside tests.
pub fn random_source() -> PasswordSource {
    Box::new(temporary_password)
}

/// The Argon2id PHC string (`$argon2id$v=19$...`) of `password`, default parameters, random salt.
pub fn hash_password(password: &Secret) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| format!("cannot hash a password: {e}"))
}

/// Hashing in progress on a background thread.
#[derive(Debug)]
pub struct Hashing {
    done: Arc<AtomicUsize>,
    total: usize,
    work: Work,
}

type HashResult = Result<Vec<String>, String>;

#[derive(Debug)]
enum Work {
    Thread(JoinHandle<HashResult>),
    /// Computed already (no thread could be started), or taken.
    Ready(Option<HashResult>),
}

impl Hashing {
    /// Starts hashing copies of `passwords`, in order.
    pub fn start(passwords: &[Secret]) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let total = passwords.len();
        let copies: Vec<Secret> = passwords.to_vec();
        let counter = Arc::clone(&done);
        let spawned = std::thread::Builder::new()
            .name("argon2".into())
            .spawn(move || hash_all(&copies, &counter));
        let work = match spawned {
            Ok(handle) => Work::Thread(handle),
            // No thread to be had: hash here; the screen stalls a moment but nothing is lost.
            Err(_) => Work::Ready(Some(hash_all(passwords, &done))),
        };
        Self { done, total, work }
    }

    /// (hashed, total).
    pub fn progress(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed).min(self.total),
            self.total,
        )
    }

    /// The hashes once the work has finished; `None` while it goes on (and after it was taken).
    pub fn try_finish(&mut self) -> Option<HashResult> {
        if let Work::Thread(handle) = &self.work
            && !handle.is_finished()
        {
            return None;
        }
        self.take()
    }

    /// Waits for the work to finish (tests, and a last resort on exit).
    pub fn wait(&mut self) -> HashResult {
        self.take()
            .unwrap_or_else(|| Err("password hashing already finished".into()))
    }

    fn take(&mut self) -> Option<HashResult> {
        match std::mem::replace(&mut self.work, Work::Ready(None)) {
            Work::Thread(handle) => Some(
                handle
                    .join()
                    .unwrap_or_else(|_| Err("password hashing stopped unexpectedly".into())),
            ),
            Work::Ready(result) => result,
        }
    }
}

fn hash_all(passwords: &[Secret], done: &AtomicUsize) -> HashResult {
    let mut hashes = Vec::with_capacity(passwords.len());
    for password in passwords {
        hashes.push(hash_password(password)?);
        done.fetch_add(1, Ordering::Relaxed);
    }
    Ok(hashes)
}

/// Create was pressed: the temporary passwords are being hashed, then `new` is written.
pub struct Committing {
    pub hashing: Hashing,
    pub passwords: Vec<Secret>,
    pub new: Box<NewCustomer>,
}

impl Committing {
    pub fn start(new: NewCustomer, passwords: Vec<Secret>) -> Self {
        Self {
            hashing: Hashing::start(&passwords),
            passwords,
            new: Box::new(new),
        }
    }

    /// The line beside the review's button.
    pub fn status(&self) -> String {
        let (done, total) = self.hashing.progress();
        format!("Hashing passwords {done}/{total}…")
    }
}

/// Nothing may change while the commit is under way; Ctrl-C still reaches the app.
impl Component for Committing {
    /// Nothing of its own: the wizard draws the review under it, with [`Committing::status`]
    /// beside the button.
    fn render(&self, _frame: &mut Frame, _area: Rect, _theme: &Theme, _keymap: &Keymap) {}

    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Global]
    }

    fn handle_key(&mut self, _key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        if action == Some(Action::Quit) {
            Effect::Ignored
        } else {
            Effect::Done
        }
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (Vec::new(), Vec::new())
    }

    fn is_dirty(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_use_the_unambiguous_alphabet() {
        let a = temporary_password();
        let b = temporary_password();
        assert_eq!(a.expose().chars().count(), PASSWORD_LEN);
        assert!(a.expose().bytes().all(|c| PASSWORD_ALPHABET.contains(&c)));
        assert_ne!(a, b);
        for c in "0Oo1lI".bytes() {
            assert!(!PASSWORD_ALPHABET.contains(&c));
        }
        assert_eq!(format!("{a:?}"), "Secret(…)");
    }

    #[test]
    fn hashes_are_argon2id_phc_strings() {
        let mut hashing = Hashing::start(&[Secret::new("correct horse battery")]);
        let hashes = hashing.wait().unwrap();
        assert_eq!(hashes.len(), 1);
        assert!(hashes[0].starts_with("$argon2id$v=19$"), "{}", hashes[0]);
        assert_eq!(hashing.progress(), (1, 1));
    }
}
