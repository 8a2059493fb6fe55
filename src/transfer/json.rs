//! The JSON import: where each value starts, customers read one by one, problems with lines.

use std::collections::HashMap;

use serde_json::Value;

use super::Problem;
use crate::store::export::{ExportCustomer, ExportFile, FORMAT, VERSION};

/// The 1-based line where each value starts, by JSON pointer (`/customers/0/contact/email`).
pub fn value_lines(text: &str) -> HashMap<String, usize> {
    let mut scan = Scan {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        out: HashMap::new(),
    };
    let _ = scan.value(String::new());
    scan.out
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    out: HashMap<String, usize>,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn value(&mut self, path: String) -> Option<()> {
        self.ws();
        self.out.insert(path.clone(), self.line);
        match self.peek()? {
            b'{' => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek()? == b'}' {
                        self.i += 1;
                        return Some(());
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.i += 1;
                    self.value(format!("{path}/{key}"))?;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    if self.peek()? == b']' {
                        self.i += 1;
                        return Some(());
                    }
                    self.value(format!("{path}/{n}"))?;
                    n += 1;
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(drop),
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\t' | b'\r') {
                        break;
                    }
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => self.i += 2,
                b'"' => {
                    let raw = &self.b[start..self.i];
                    self.i += 1;
                    let raw = String::from_utf8_lossy(raw);
                    return Some(
                        serde_json::from_str::<String>(&format!("\"{raw}\""))
                            .unwrap_or_else(|_| raw.into_owned()),
                    );
                }
                _ => self.i += 1,
            }
        }
        None
    }
}

/// `/customers/3/contact/email` as `customers[3].contact.email`.
fn pointer_to_field(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    if out.is_empty() { "(file)".into() } else { out }
}

/// The line of `path`, or of its nearest ancestor that the file has.
fn line_for(lines: &HashMap<String, usize>, path: &str) -> usize {
    let mut p = path;
    loop {
        if let Some(l) = lines.get(p) {
            return *l;
        }
        match p.rfind('/') {
            Some(i) => p = &p[..i],
            None => return 1,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading customers

/// A customers export as read: the customers that could be read (with their index in the
/// file), where each value starts, and the problems found so far.
#[derive(Debug)]
pub struct JsonImport {
    pub file: ExportFile,
    pub lines: HashMap<String, usize>,
    /// `file.customers[i]` is customer `index[i]` of the file.
    pub index: Vec<usize>,
    pub problems: Vec<Problem>,
}

/// Parses a customers export (JSON). A syntax error ends it; the problems of single customers
/// are listed and the other customers are still read, so every problem can be reported.
pub fn parse_customers_json(text: &str) -> Result<JsonImport, Vec<Problem>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![Problem {
            line: e.line().max(1),
            field: "(file)".into(),
            message: strip_position(&e.to_string()),
        }]
    })?;
    let lines = value_lines(text);
    let mut problems = Vec::new();
    let Value::Object(top) = &value else {
        return Err(vec![Problem {
            line: 1,
            field: "(file)".into(),
            message: "expected an object with \"format\", \"version\", \"plans\" and \"customers\""
                .into(),
        }]);
    };
    for key in top.keys() {
        if !["format", "version", "plans", "customers"].contains(&key.as_str()) {
            problems.push(at(&lines, &format!("/{key}"), "unknown field"));
        }
    }
    if top.get("format").and_then(Value::as_str) != Some(FORMAT) {
        problems.push(at(
            &lines,
            "/format",
            &format!("must be \"{FORMAT}\" (is this an admin-portal customers export?)"),
        ));
    }
    match top.get("version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        _ => problems.push(at(
            &lines,
            "/version",
            &format!("this program reads version {VERSION}"),
        )),
    }
    let mut plans = Vec::new();
    for (i, p) in top
        .get("plans")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        match serde_json::from_value(p.clone()) {
            Ok(plan) => plans.push(plan),
            Err(e) => problems.push(serde_problem(&lines, &format!("/plans/{i}"), p, &e)),
        }
    }
    let mut customers = Vec::new();
    let mut index = Vec::new();
    match top.get("customers").and_then(Value::as_array) {
        None => problems.push(at(&lines, "/customers", "required: a list of customers")),
        Some(list) => {
            for (i, c) in list.iter().enumerate() {
                match serde_json::from_value(c.clone()) {
                    Ok(customer) => {
                        customers.push(customer);
                        index.push(i);
                    }
                    Err(e) => {
                        problems.push(serde_problem(&lines, &format!("/customers/{i}"), c, &e))
                    }
                }
            }
        }
    }
    Ok(JsonImport {
        file: ExportFile {
            format: FORMAT.into(),
            version: VERSION,
            plans,
            customers,
        },
        lines,
        index,
        problems,
    })
}

fn at(lines: &HashMap<String, usize>, path: &str, message: &str) -> Problem {
    Problem {
        line: line_for(lines, path),
        field: pointer_to_field(path),
        message: message.into(),
    }
}

/// serde_json's message without its "at line 3 column 5".
pub(super) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Finds the field a serde error is about by deserialising the value's pretty form again and
/// looking up which value starts on the line serde stopped at.
fn serde_problem(
    lines: &HashMap<String, usize>,
    base: &str,
    value: &Value,
    error: &serde_json::Error,
) -> Problem {
    let message = strip_position(&error.to_string());
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut rel = String::new();
    let located = match value {
        Value::Object(_) => {
            let e = serde_json::from_str::<ExportCustomer>(&pretty)
                .err()
                .filter(|_| base.starts_with("/customers"))
                .or_else(|| {
                    serde_json::from_str::<crate::store::inventory::PlanSpec>(&pretty).err()
                });
            e.map(|e| e.line())
        }
        _ => None,
    };
    if let Some(err_line) = located {
        let inner = value_lines(&pretty);
        let best = inner
            .iter()
            .filter(|(_, l)| **l <= err_line)
            .max_by_key(|(p, l)| (**l, p.len()))
            .map(|(p, _)| p.clone());
        if let Some(p) = best {
            rel = p;
            let missing = message.starts_with("missing field");
            if missing && let Some(i) = rel.rfind('/') {
                rel.truncate(i);
            }
            if let Some(name) = backticked(&message)
                && missing
            {
                rel = format!("{rel}/{name}");
            }
        }
    }
    let path = format!("{base}{rel}");
    Problem {
        line: line_for(lines, &path),
        field: pointer_to_field(&path),
        message,
    }
}

pub(super) fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

/// Problems of a JSON import with their lines; customer indexes mapped back to the file's.
pub fn json_problems(found: Vec<(String, String)>, import: &JsonImport) -> Vec<Problem> {
    found
        .into_iter()
        .map(|(path, message)| {
            let path = match path.strip_prefix("/customers/") {
                Some(rest) => {
                    let (i, tail) = rest.split_once('/').unwrap_or((rest, ""));
                    let i = i
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| import.index.get(i).copied())
                        .unwrap_or(0);
                    if tail.is_empty() {
                        format!("/customers/{i}")
                    } else {
                        format!("/customers/{i}/{tail}")
                    }
                }
                None => path,
            };
            Problem {
                line: line_for(&import.lines, &path),
                field: pointer_to_field(&path),
                message,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lines_follow_the_text() {
        let text = "{\n  \"a\": 1,\n  \"b\": [\n    {\"c\": \"x\\\"y\"},\n    2\n  ]\n}";
        let lines = value_lines(text);
        assert_eq!(lines["/a"], 2);
        assert_eq!(lines["/b"], 3);
        assert_eq!(lines["/b/0/c"], 4);
        assert_eq!(lines["/b/1"], 5);
        assert_eq!(
            pointer_to_field("/customers/3/contact/email"),
            "customers[3].contact.email"
        );
    }
}
