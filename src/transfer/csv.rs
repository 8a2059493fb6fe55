//! Customers as CSV: the columns, writing, reading; cells neutralised against formulas.

use serde_json::Value;

use super::Problem;
use super::json::{backticked, strip_position};
use crate::domain::validate::display;
use crate::domain::{Contact, CustomerType, UserCreation};
use crate::store::export::{
    ExportBilling, ExportCustomer, ExportDefaults, ExportFile, FORMAT, VERSION,
};

/// A cell as written to a CSV file: control characters escaped (`\u{1b}`), and a leading
/// `= + - @`, tab or carriage return neutralised with `'` so no spreadsheet runs it as a formula.
pub fn csv_cell(text: &str) -> String {
    let shown = display(text);
    let risky = |s: &str| s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky(text) || risky(&shown) {
        format!("'{shown}")
    } else {
        shown.into_owned()
    }
}

/// A cell as read from a CSV file: the neutralising `'` taken off again, escapes undone.
pub fn csv_uncell(text: &str) -> String {
    let text = match text.strip_prefix('\'') {
        Some(rest)
            if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) || rest.starts_with("\\u{") =>
        {
            rest
        }
        _ => text,
    };
    unescape(text)
}

/// Undoes [`display`]'s `\u{..}` escapes.
fn unescape(text: &str) -> String {
    if !text.contains("\\u{") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let decoded = after.find('}').and_then(|end| {
            u32::from_str_radix(&after[..end], 16)
                .ok()
                .and_then(char::from_u32)
                .map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("\\u{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The columns of a customers CSV, named like the fields of the JSON export.
pub const CUSTOMER_COLUMNS: &[&str] = &[
    "contact.company",
    "kind",
    "parent",
    "contact.first_name",
    "contact.last_name",
    "contact.email",
    "contact.phone",
    "contact.address.line1",
    "contact.address.line2",
    "contact.address.city",
    "contact.address.state",
    "contact.address.postal_code",
    "contact.address.country",
    "contact.time_zone",
    "contact.reference",
    "contact.notes",
    "defaults.disable_admin_portal",
    "defaults.disable_camera_share",
    "defaults.default_plan",
    "user_creation.confirm_email",
    "user_creation.change_password",
    "billing.same_as_company",
    "billing.contact",
    "billing.email",
    "billing.phone",
    "billing.address.line1",
    "billing.address.line2",
    "billing.address.city",
    "billing.address.state",
    "billing.address.postal_code",
    "billing.address.country",
    "billing.tax_id",
    "billing.tax_exempt",
    "billing.terms",
    "status",
    "disabled_by_parent",
    "created_at",
];

/// The billing plan column of files written before one plan model: still read, as the
/// recording plan when `defaults.default_plan` is empty (see `ExportBilling::plan`).
const RETIRED_BILLING_PLAN: &str = "billing.plan";

fn template() -> ExportCustomer {
    ExportCustomer {
        kind: CustomerType::Customer,
        parent: None,
        contact: Contact::default(),
        defaults: ExportDefaults::default(),
        user_creation: UserCreation::default(),
        billing: ExportBilling::default(),
        status: Default::default(),
        disabled_by_parent: false,
        created_at: None,
        cameras: vec![],
        roles: vec![],
        users: vec![],
    }
}

fn pointer(column: &str) -> String {
    format!("/{}", column.replace('.', "/"))
}

/// Customers as CSV rows (profile and billing; cameras, roles and users are in the JSON only).
pub fn customers_csv(file: &ExportFile) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CUSTOMER_COLUMNS)?;
    for c in &file.customers {
        w.write_record(customer_csv_record(c))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Writes customers as [`customers_csv`] does, one row at a time as the stream hands them out.
/// Returns how many it wrote; an error of the stream ends it.
pub fn write_customers_csv(
    out: &mut dyn std::io::Write,
    customers: &mut dyn Iterator<Item = crate::store::Result<ExportCustomer>>,
) -> std::io::Result<usize> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CUSTOMER_COLUMNS)?;
    let mut written = 0;
    for c in customers {
        let c = c.map_err(std::io::Error::other)?;
        w.write_record(customer_csv_record(&c))?;
        written += 1;
    }
    w.flush()?;
    Ok(written)
}

/// The cells of one customer under [`CUSTOMER_COLUMNS`].
fn customer_csv_record(c: &ExportCustomer) -> Vec<String> {
    let v = serde_json::to_value(c).unwrap_or(Value::Null);
    CUSTOMER_COLUMNS
        .iter()
        .map(|col| match v.pointer(&pointer(col)) {
            Some(Value::String(s)) => csv_cell(s),
            Some(Value::Bool(b)) => b.to_string(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        })
        .collect()
}

pub(super) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "x" => Some(true),
        "false" | "no" | "n" | "0" | "" => Some(false),
        _ => None,
    }
}

/// The line of the file on which the record at `position` starts, counting LF, CRLF and a lone
/// CR each as one line break (the csv crate's own `line()` undercounts CRLF: rust-csv #395), and
/// the breaks inside quoted fields before it.
pub(super) fn line_of(text: &str, position: &csv::Position) -> usize {
    let all = text.as_bytes();
    let mut end = usize::try_from(position.byte()).map_or(all.len(), |b| b.min(all.len()));
    // After a CRLF the crate puts the next record at the LF, which still ends the line before.
    if end > 0 && all[end - 1] == b'\r' && all.get(end) == Some(&b'\n') {
        end += 1;
    }
    let breaks = all[..end]
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && all.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}

/// Parses a customers CSV; the line of each customer is returned for later problems.
pub fn parse_customers_csv(text: &str) -> Result<(ExportFile, Vec<usize>), Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = customer_headers(&mut reader)?;
    let base = serde_json::to_value(template()).unwrap_or(Value::Null);
    let mut problems = Vec::new();
    let mut customers = Vec::new();
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(text, p));
                problems.push(Problem {
                    line,
                    field: "(row)".into(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_of(text, p));
        let Some(v) = row_value(&base, &headers, &record, line, &mut problems) else {
            continue;
        };
        match serde_json::from_value::<ExportCustomer>(v) {
            Ok(c) => {
                customers.push(c);
                lines.push(line);
            }
            Err(e) => problems.push(Problem {
                line,
                field: backticked(&e.to_string()).unwrap_or("(row)").to_string(),
                message: strip_position(&e.to_string()),
            }),
        }
    }
    if problems.is_empty() {
        Ok((
            ExportFile {
                format: FORMAT.into(),
                version: VERSION,
                plans: vec![],
                customers,
            },
            lines,
        ))
    } else {
        Err(problems)
    }
}

/// The header row, trimmed: every column known, the customer's name there.
fn customer_headers(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, Vec<Problem>> {
    let header_problem = |m: String| Problem {
        line: 1,
        field: "(header)".into(),
        message: m,
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| vec![header_problem(e.to_string())])?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut problems = Vec::new();
    for h in &headers {
        if !CUSTOMER_COLUMNS.contains(&h.as_str()) && h != RETIRED_BILLING_PLAN {
            problems.push(Problem {
                line: 1,
                field: h.clone(),
                message: format!(
                    "unknown column; the columns are {}",
                    CUSTOMER_COLUMNS.join(",")
                ),
            });
        }
    }
    if !headers.iter().any(|h| h == "contact.company") {
        problems.push(header_problem(
            "the column contact.company (the customer's name) is required".into(),
        ));
    }
    if problems.is_empty() {
        Ok(headers)
    } else {
        Err(problems)
    }
}

/// One row as the JSON value of a customer (`base` with the row's cells put in); `None`, with
/// the problems pushed, when a yes/no cell is neither.
fn row_value(
    base: &Value,
    headers: &[String],
    record: &csv::StringRecord,
    line: usize,
    problems: &mut Vec<Problem>,
) -> Option<Value> {
    let mut v = base.clone();
    let mut row_ok = true;
    for (h, cell) in headers.iter().zip(record.iter()) {
        let cell = csv_uncell(cell);
        if h == RETIRED_BILLING_PLAN {
            if !cell.trim().is_empty() {
                v["billing"]["plan"] = Value::String(cell);
            }
            continue;
        }
        let Some(slot) = v.pointer_mut(&pointer(h)) else {
            continue;
        };
        *slot = match slot {
            Value::Bool(_) => match parse_bool(&cell) {
                Some(b) => Value::Bool(b),
                None => {
                    problems.push(Problem {
                        line,
                        field: h.clone(),
                        message: format!("{:?} is not yes or no", display(&cell)),
                    });
                    row_ok = false;
                    continue;
                }
            },
            Value::Null if cell.trim().is_empty() => Value::Null,
            _ => Value::String(cell),
        };
    }
    row_ok.then_some(v)
}

/// Problems of a CSV import: the row's line, the column.
pub fn csv_problems(found: Vec<(String, String)>, rows: &[usize]) -> Vec<Problem> {
    found
        .into_iter()
        .map(|(path, message)| {
            let mut parts = path.split('/').filter(|p| !p.is_empty());
            let _customers = parts.next();
            let index: usize = parts.next().and_then(|i| i.parse().ok()).unwrap_or(0);
            let field = parts.collect::<Vec<_>>().join(".");
            Problem {
                line: rows.get(index).copied().unwrap_or(1),
                field: if field.is_empty() {
                    "(row)".into()
                } else {
                    field
                },
                message,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored() {
        for risky in ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx"] {
            let cell = csv_cell(risky);
            assert!(cell.starts_with('\''), "{cell:?}");
            assert!(!cell.contains(['\t', '\r']), "{cell:?}");
            assert_eq!(csv_uncell(&cell), risky);
        }
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a\u{1b}[31m"), "a\\u{1b}[31m");
        assert_eq!(csv_uncell("line\\u{a}two"), "line\ntwo");
    }
}
