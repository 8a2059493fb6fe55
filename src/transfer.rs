//! Export and import formats for scripts: JSON in the export's own shape, CSV for customers and
//! cameras. Imports are checked with the screens' validators and against the store, and every
//! problem is reported as `file:line: field: problem`, all of them, before anything is written.
//! CSV cells are neutralised against spreadsheet formulas; no control character reaches a file.

mod cameras;
mod check;
mod csv;
mod json;

use std::fmt;

use crate::domain::validate::display;

pub use cameras::{CAMERA_COLUMNS, parse_cameras_csv};
pub use check::check_customers;
pub use csv::{
    CUSTOMER_COLUMNS, csv_cell, csv_problems, csv_uncell, customers_csv, parse_customers_csv,
    write_customers_csv,
};
pub use json::{JsonImport, json_problems, parse_customers_json, value_lines};

/// One problem of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl Problem {
    /// `file:line: field: problem`, with the user's text made safe to print.
    pub fn render(&self, file: &str) -> String {
        format!(
            "{file}:{}: {}: {}",
            self.line,
            display(&self.field),
            display(&self.message)
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.line, self.field, self.message)
    }
}

/// One Argon2id hash of a random password nobody knows, for imported users without a hash:
/// they can sign in only after an operator resets their password.
pub fn unknown_password_hash() -> Result<String, String> {
    use argon2::password_hash::PasswordHasher;
    let password: [u8; 32] = rand::random();
    argon2::Argon2::default()
        .hash_password(&password)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash a password: {e}"))
}
