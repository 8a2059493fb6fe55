//! Printing data: aligned tables that fit the terminal, JSON, and CSV with formula cells
//! neutralised. Every stored text goes through `validate::display` (tables, CSV) or JSON escaping,
//! so no control character reaches the terminal or a file.

use std::fs::OpenOptions;
use std::io::{IsTerminal, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use unicode_width::UnicodeWidthStr;

use crate::cli::{Format, View};
use crate::domain::validate::display;
use crate::run::Error;
use crate::transfer::csv_cell;

/// The width tables must fit at a terminal: `$COLUMNS`, else the terminal's. `None` when
/// standard output is not a terminal: piped or redirected output is never cut.
pub fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    match ratatui::crossterm::terminal::size() {
        Ok((w, _)) if w > 0 => Some(usize::from(w)),
        _ => Some(100),
    }
}

/// A column name of `--columns` that the table does not have.
#[derive(Debug, thiserror::Error)]
#[error("no column {name:?} here: choose from {choices}")]
pub struct UnknownColumn {
    pub name: String,
    pub choices: String,
}

/// Rows of text cells with a header; printed as a table, CSV or JSON (an array of objects
/// keyed by the header, or the `json` value given).
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Column indexes, most useful first: at a narrow terminal the last ones are left out.
    useful: Vec<usize>,
    /// Chosen with `--columns`: every one is shown (cut if need be), none left out.
    chosen: bool,
}

/// At a terminal a column is first given at most this width when deciding which columns fit.
const COLUMN_BUDGET: usize = 24;

impl Table {
    pub fn new(header: Vec<&'static str>) -> Self {
        Self {
            useful: (0..header.len()).collect(),
            header,
            rows: Vec::new(),
            chosen: false,
        }
    }

    /// The order in which columns earn their place at a narrow terminal (names of the header;
    /// columns not named follow in header order). The table still shows them in header order.
    pub fn useful_first(mut self, names: &[&str]) -> Self {
        let mut useful: Vec<usize> = names
            .iter()
            .filter_map(|n| self.header.iter().position(|h| h == n))
            .collect();
        for i in 0..self.header.len() {
            if !useful.contains(&i) {
                useful.push(i);
            }
        }
        self.useful = useful;
        self
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Keeps only the `names` given (`--columns`), in that order; none given keeps every column.
    pub fn choose(&mut self, names: &[String]) -> Result<(), UnknownColumn> {
        if names.is_empty() {
            return Ok(());
        }
        let mut picked = Vec::new();
        for name in names {
            let wanted = name.trim().to_lowercase();
            let Some(i) = self.header.iter().position(|h| *h == wanted) else {
                return Err(UnknownColumn {
                    name: name.clone(),
                    choices: self.header.join(","),
                });
            };
            picked.push(i);
        }
        self.header = picked.iter().map(|&i| self.header[i]).collect();
        for row in &mut self.rows {
            *row = picked.iter().map(|&i| row[i].clone()).collect();
        }
        self.useful = (0..picked.len()).collect();
        self.chosen = true;
        Ok(())
    }

    /// Aligned columns. Within `width` (a terminal): the most useful columns that fit, values
    /// cut with `…` where they must be; `None` (piped, or `--wide`): every column, nothing cut.
    pub fn render(&self, width: Option<usize>) -> String {
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
        let mut shown: Vec<usize> = (0..n).collect();
        if let Some(width) = width {
            shown = self.fitting(&widths, width);
            let total = |w: &[usize], shown: &[usize]| {
                shown.iter().map(|&i| w[i]).sum::<usize>() + 2 * shown.len().saturating_sub(1)
            };
            while total(&widths, &shown) > width {
                let Some(&widest) = shown.iter().max_by_key(|&&i| widths[i]) else {
                    break;
                };
                if widths[widest] <= 3 {
                    break;
                }
                widths[widest] -= 1;
            }
            // Still too wide: the least useful columns go.
            while shown.len() > 1 && total(&widths, &shown) > width {
                let last = self
                    .useful
                    .iter()
                    .rev()
                    .find(|i| shown.contains(i))
                    .copied();
                shown.retain(|i| Some(*i) != last);
            }
        }

        let mut out = String::new();
        for row in &cells {
            let line: Vec<String> = shown
                .iter()
                .map(|&i| pad(&fit(&row[i], widths[i]), widths[i]))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
        out
    }

    /// The columns shown within `width`, in header order: the most useful first, each at its
    /// width up to [`COLUMN_BUDGET`], while they fit; every column when chosen by name.
    fn fitting(&self, natural: &[usize], width: usize) -> Vec<usize> {
        if self.chosen {
            return (0..self.header.len()).collect();
        }
        let mut shown = Vec::new();
        let mut used = 0;
        for &i in &self.useful {
            let gap = if shown.is_empty() { 0 } else { 2 };
            let want = natural[i].min(COLUMN_BUDGET);
            if shown.is_empty() || used + gap + want <= width {
                shown.push(i);
                used += gap + want;
            }
        }
        shown.sort_unstable();
        shown
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

/// Prints data as `view` asks: the table (the columns that fit the terminal, every one with
/// `--wide`, or those of `--columns`), its CSV, or `json`. Returns the exit code: 2 when
/// `--columns` names a column the table does not have.
pub fn print(view: &View, mut table: Table, json: &serde_json::Value) -> Result<u8, Error> {
    if let Err(e) = table.choose(&view.columns) {
        eprintln!("admin-portal: {e}");
        return Ok(2);
    }
    write(view.format, &table, json, view.width())?;
    Ok(0)
}

/// The table, its CSV, or `json`, within `width` when a table.
fn write(
    format: Format,
    table: &Table,
    json: &serde_json::Value,
    width: Option<usize>,
) -> std::io::Result<()> {
    match format {
        Format::Table => out(table.render(width)),
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
        let text = t.render(Some(40));
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(!text.contains('\u{1b}'));
        assert!(text.contains("Acme\\u{1b}[31m"));
    }
}
