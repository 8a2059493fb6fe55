//! Printing data: aligned tables that fit the terminal, JSON, and CSV with formula cells
//! neutralised. Every stored text goes through `validate::display` (tables, CSV) or JSON escaping,
//! so no control character reaches the terminal or a file.

use std::fs::OpenOptions;
use std::io::{IsTerminal, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use unicode_width::UnicodeWidthStr;

use crate::cli::Format;
use crate::domain::validate::display;
use crate::transfer::csv_cell;

/// The width tables must fit: `$COLUMNS`, else the terminal's, else 100.
pub fn terminal_width() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return n;
    }
    if std::io::stdout().is_terminal()
        && let Ok((w, _)) = ratatui::crossterm::terminal::size()
        && w > 0
    {
        return usize::from(w);
    }
    100
}

/// Rows of text cells with a header; printed as a table, CSV or JSON (an array of objects
/// keyed by the header, or the `json` value given).
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Self {
        Self {
            header,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Aligned columns within `width`: the widest columns are cut with `…` until it fits.
    pub fn render(&self, width: usize) -> String {
        let cells: Vec<Vec<String>> = std::iter::once(
            self.header
                .iter()
                .map(|h| h.to_uppercase())
                .collect::<Vec<_>>(),
        )
        .chain(
            self.rows
                .iter()
                .map(|r| r.iter().map(|c| one_line(c)).collect()),
        )
        .collect();
        let n = self.header.len();
        let mut widths: Vec<usize> = (0..n)
            .map(|i| cells.iter().map(|r| r[i].width()).max().unwrap_or(0))
            .collect();
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        while total(&widths) > width {
            let (i, widest) = widths
                .iter()
                .enumerate()
                .max_by_key(|(_, w)| **w)
                .map(|(i, w)| (i, *w))
                .unwrap_or((0, 0));
            if widest <= 3 {
                break;
            }
            widths[i] = widest - 1;
        }
        // Still too wide: the last columns are left out.
        let mut shown = n;
        while shown > 1 && total(&widths[..shown]) > width {
            shown -= 1;
        }

        let mut out = String::new();
        for row in &cells {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .take(shown)
                .map(|(c, w)| pad(&fit(c, *w), *w))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        out
    }

    /// CSV with the header as the first record.
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.header)?;
        for row in &self.rows {
            w.write_record(row.iter().map(|c| csv_cell(c)))?;
        }
        w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// A cell on one line, safe to draw.
fn one_line(text: &str) -> String {
    display(text).into_owned()
}

fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// Prints data in the format asked: the table, its CSV, or `json`.
pub fn print(format: Format, table: &Table, json: &serde_json::Value) -> std::io::Result<()> {
    match format {
        Format::Table => out(table.render(terminal_width())),
        Format::Csv => out(table.csv().map_err(std::io::Error::other)?),
        Format::Json => {
            let text = serde_json::to_string_pretty(json).map_err(std::io::Error::other)?;
            out(text + "\n")
        }
    }
}

/// `println!` through [`out`], returning its error: `outln!("{x}")?`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::output::out(format!("{}\n", format_args!($($arg)*)))
    };
}

/// Every byte a subcommand prints goes through here (never `print!`, which panics when the
/// reader has gone). A closed pipe comes back as an error that [`closed_pipe`] recognises, so
/// `run` ends quietly with exit 0, as `ls | head` does.
pub fn out(bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes.as_ref())?;
    stdout.flush()
}

/// Whether an error is standard output's reader going away (`admin-portal ... | head`), at any
/// depth of its chain: not a failure, the output simply ends there.
pub fn closed_pipe(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return true;
        }
        // A writer's own error wrapped in an `io::Error` (csv does this) is not its `source`.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            && closed_pipe(inner)
        {
            return true;
        }
        if let Some(json) = e.downcast_ref::<serde_json::Error>()
            && json.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        if let Some(csv) = e.downcast_ref::<csv::Error>()
            && let csv::ErrorKind::Io(io) = csv.kind()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return true;
        }
        next = e.source();
    }
    false
}

/// Writes an export to `path` with mode 0600 (the file may hold personal data or secrets);
/// an existing file is truncated and its mode tightened.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = open_private(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Opens `path` for an export as [`write_private`] writes it (mode 0600, truncated), for writing
/// in pieces; `sync_all` it when done.
pub fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_fit_and_escape() {
        let mut t = Table::new(vec!["name", "email"]);
        t.push(vec!["Acme\u{1b}[31m".into(), "a".repeat(80)]);
        let text = t.render(40);
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("Acme\\u{1b}[31m"));
    }
}
