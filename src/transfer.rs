//! Export and import formats for scripts: JSON in the export's own shape, CSV for customers and
//! cameras. Imports are checked with the screens' validators and against the store, and every
//! problem is reported as `file:line: field: problem`, all of them, before anything is written.
//! CSV cells are neutralised against spreadsheet formulas; no control character reaches a file.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::domain::validate::{
    self, FieldError, display, normalize_camera, normalize_mac, validate_camera, validate_profile,
};
use crate::domain::{CameraSpec, Contact, CustomerType, SystemRole, UserCreation};
use crate::store::export::{
    CameraSource, ExportBilling, ExportCustomer, ExportDefaults, ExportFile, FORMAT,
    InventoryCamera, VERSION, to_new_customer,
};
use crate::store::inventory::validate_plan;
use crate::store::{Store, StoreError};

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

// ---------------------------------------------------------------------------------------------
// CSV cells

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

/// Undoes [`validate::display`]'s `\u{..}` escapes.
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

// ---------------------------------------------------------------------------------------------
// Where each JSON value starts

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
fn strip_position(message: &str) -> String {
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

fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
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

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "x" => Some(true),
        "false" | "no" | "n" | "0" | "" => Some(false),
        _ => None,
    }
}

/// The line of the file on which the record at `position` starts, counting LF, CRLF and a lone
/// CR each as one line break (the csv crate's own `line()` undercounts CRLF: rust-csv #395), and
/// the breaks inside quoted fields before it.
fn line_of(text: &str, position: &csv::Position) -> usize {
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
    if !problems.is_empty() {
        return Err(problems);
    }
    let base = serde_json::to_value(template()).unwrap_or(Value::Null);
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
        if !row_ok {
            continue;
        }
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

// ---------------------------------------------------------------------------------------------
// Checking customers against the rules and the store

/// Every problem of an import as (JSON pointer, message); nothing is written.
pub fn check_customers(
    file: &ExportFile,
    store: &Store,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut known_plans: HashSet<String> = store
        .plans()?
        .into_iter()
        .map(|p| p.name.to_lowercase())
        .collect();
    for (i, plan) in file.plans.iter().enumerate() {
        for e in validate_plan(plan) {
            let f = match e.field {
                "plan.price" => "price_cents",
                other => other.trim_start_matches("plan."),
            };
            out.push((format!("/plans/{i}/{f}"), e.message));
        }
        known_plans.insert(plan.name.trim().to_lowercase());
    }
    let file_integrators: HashSet<String> = file
        .customers
        .iter()
        .filter(|c| c.kind == CustomerType::Integrator)
        .map(|c| c.contact.company.trim().to_lowercase())
        .collect();
    let mut names: HashSet<String> = HashSet::new();
    let mut macs: HashMap<String, String> = HashMap::new();
    let mut serials: HashSet<String> = HashSet::new();
    let mut emails: HashSet<String> = HashSet::new();
    for (i, c) in file.customers.iter().enumerate() {
        let base = format!("/customers/{i}");
        let mut push = |rel: &str, msg: String| out.push((format!("{base}/{rel}"), msg));
        let plan_known = |n: &str| known_plans.contains(&n.trim().to_lowercase());
        for (rel, plan) in [
            ("defaults/default_plan", &c.defaults.default_plan),
            ("billing/plan", &c.billing.plan),
        ] {
            if let Some(p) = plan
                && !plan_known(p)
            {
                push(rel, format!("unknown plan \"{}\"", display(p)));
            }
        }
        if let Some(parent) = &c.parent {
            let key = parent.trim().to_lowercase();
            let in_store = match store.find_customer(parent)? {
                Some(id) => store.customer(id)?.map(|p| p.profile.kind),
                None => None,
            };
            if !file_integrators.contains(&key) && in_store != Some(CustomerType::Integrator) {
                push(
                    "parent",
                    format!(
                        "\"{}\" is not a sub-integrator of this file or the store",
                        display(parent)
                    ),
                );
            }
        }
        let new = to_new_customer(
            c,
            c.parent.as_ref().map(|_| 1),
            &|n| plan_known(n).then_some(1),
            &|_| CameraSource::New,
        );
        let mut reported: Vec<(String, String)> = Vec::new();
        let mut field_problem = |rel: String, e: &FieldError, out: &mut Vec<(String, String)>| {
            reported.push((e.field.to_string(), e.message.clone()));
            out.push((format!("{base}/{rel}"), e.message.clone()));
        };
        let name = new.profile.contact.company.clone();
        for e in validate_profile(&new.profile) {
            let rel = e.field.replace('.', "/");
            field_problem(rel, &e, &mut out);
        }
        if !name.is_empty() {
            let key = name.to_lowercase();
            if !names.insert(key) {
                out.push((
                    format!("{base}/contact/company"),
                    format!("\"{}\" appears twice in this file", display(&name)),
                ));
            } else if store.customer_name_taken(&name, None)? {
                out.push((
                    format!("{base}/contact/company"),
                    format!("\"{}\" is already a customer of this store", display(&name)),
                ));
            }
        }
        let mut own_macs = HashSet::new();
        for (j, cam) in new.new_cameras.iter().enumerate() {
            for e in validate_camera(cam) {
                let rel = format!("cameras/{j}/{}", e.field.trim_start_matches("camera."));
                field_problem(rel, &e, &mut out);
            }
            let exported = &c.cameras[j];
            if let Some(p) = &exported.plan
                && !plan_known(p)
            {
                out.push((
                    format!("{base}/cameras/{j}/plan"),
                    format!("unknown plan \"{}\"", display(p)),
                ));
            }
            if let Ok(mac) = normalize_mac(&cam.mac) {
                own_macs.insert(mac.clone());
                if let Some(other) = macs.insert(mac.clone(), name.clone()) {
                    out.push((
                        format!("{base}/cameras/{j}/mac"),
                        format!("{mac} is also given to {}", display(&other)),
                    ));
                }
                let (mac_exists, serial_exists) = store.camera_exists(&mac, cam.serial.trim())?;
                if mac_exists {
                    match store.camera_link_by_mac(&mac)? {
                        Some((Some(owner), _)) => out.push((
                            format!("{base}/cameras/{j}/mac"),
                            format!("{mac} is linked to {}", display(&owner)),
                        )),
                        Some((None, serial)) if !serial.eq_ignore_ascii_case(cam.serial.trim()) => {
                            out.push((
                                format!("{base}/cameras/{j}/serial"),
                                format!("{mac} is registered with serial {}", display(&serial)),
                            ));
                        }
                        _ => {}
                    }
                } else if serial_exists {
                    out.push((
                        format!("{base}/cameras/{j}/serial"),
                        format!(
                            "{} is already registered with another MAC address",
                            display(cam.serial.trim())
                        ),
                    ));
                }
            }
            if !cam.serial.trim().is_empty() && !serials.insert(cam.serial.trim().to_lowercase()) {
                out.push((
                    format!("{base}/cameras/{j}/serial"),
                    format!("{} appears twice in this file", display(cam.serial.trim())),
                ));
            }
        }
        let offset = new.roles.len() - c.roles.len();
        let mut role_names: HashSet<String> = HashSet::new();
        for (k, r) in c.roles.iter().enumerate() {
            let role = &new.roles[offset + k];
            for e in validate::validate_role(role) {
                let rel = format!("roles/{k}/{}", e.field.trim_start_matches("role."));
                field_problem(rel, &e, &mut out);
            }
            if !role_names.insert(role.name.to_lowercase()) {
                out.push((
                    format!("{base}/roles/{k}/name"),
                    format!("\"{}\" is used twice", display(&role.name)),
                ));
            }
            if new.profile.defaults.disable_camera_share && role.permissions.share {
                out.push((
                    format!("{base}/roles/{k}/permissions"),
                    "allows Share, but camera share is disabled for this customer".into(),
                ));
            }
            for mac in &r.cameras {
                let m = normalize_mac(mac).unwrap_or_else(|_| mac.clone());
                if !own_macs.contains(&m) {
                    out.push((
                        format!("{base}/roles/{k}/cameras"),
                        format!("{} is not a camera of this customer", display(mac)),
                    ));
                }
            }
        }
        let owner = new
            .roles
            .iter()
            .position(|r| r.system == Some(SystemRole::Owner));
        for (u, user) in new.users.iter().enumerate() {
            for e in validate::validate_new_user(user) {
                let rel = format!("users/{u}/{}", e.field.trim_start_matches("user."));
                field_problem(rel, &e, &mut out);
            }
            for role in &c.users[u].roles {
                if !new
                    .roles
                    .iter()
                    .any(|r| r.name.trim().eq_ignore_ascii_case(role.trim()))
                {
                    out.push((
                        format!("{base}/users/{u}/roles"),
                        format!("no role \"{}\" in this customer", display(role)),
                    ));
                }
            }
            if let Err(e) = validate::validate_user_roles(&user.roles, &new.roles) {
                field_problem(format!("users/{u}/roles"), &e, &mut out);
            }
            let mail = user.email.to_lowercase();
            if !mail.is_empty() {
                if !emails.insert(mail.clone()) {
                    out.push((
                        format!("{base}/users/{u}/email"),
                        format!("{} is given to two users", display(&user.email)),
                    ));
                } else if store.user_email_taken(&user.email)? {
                    out.push((
                        format!("{base}/users/{u}/email"),
                        format!("{} is already used by another user", display(&user.email)),
                    ));
                }
            }
        }
        if !new.users.is_empty()
            && !owner.is_some_and(|o| new.users.iter().any(|u| u.roles.contains(&o)))
        {
            out.push((
                format!("{base}/users"),
                "at least one user must hold the Owner role".into(),
            ));
        }
        // The screens' own check of the whole customer, for any rule not covered above.
        for e in validate::validate_new_customer(&new) {
            if !reported
                .iter()
                .any(|(f, m)| f == e.field && *m == e.message)
                && !out
                    .iter()
                    .any(|(p, m)| p.starts_with(&base) && *m == e.message)
            {
                out.push((format!("{base}/{}", e.field.replace('.', "/")), e.message));
            }
        }
    }
    Ok(out)
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

// ---------------------------------------------------------------------------------------------
// Cameras CSV

/// The columns a cameras CSV may have; the first three are required.
pub const CAMERA_COLUMNS: &[&str] = &[
    "name",
    "mac",
    "serial",
    "model",
    "location",
    "customer",
    "plan",
    "recording",
];

/// Parses and checks an inventory CSV against the rules and the store.
pub fn parse_cameras_csv(
    text: &str,
    store: &Store,
) -> Result<Result<Vec<InventoryCamera>, Vec<Problem>>, StoreError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            return Ok(Err(vec![Problem {
                line: 1,
                field: "(header)".into(),
                message: e.to_string(),
            }]));
        }
    };
    for h in &headers {
        if !CAMERA_COLUMNS.contains(&h.as_str()) {
            problems.push(Problem {
                line: 1,
                field: h.clone(),
                message: format!(
                    "unknown column; the columns are {}",
                    CAMERA_COLUMNS.join(",")
                ),
            });
        }
    }
    for required in &CAMERA_COLUMNS[..3] {
        if !headers.iter().any(|h| h == required) {
            problems.push(Problem {
                line: 1,
                field: "(header)".into(),
                message: format!("the column {required} is required"),
            });
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (c_name, c_mac, c_serial) = (col("name"), col("mac"), col("serial"));
    let (c_model, c_location, c_customer, c_plan, c_recording) = (
        col("model"),
        col("location"),
        col("customer"),
        col("plan"),
        col("recording"),
    );
    let plans: HashSet<String> = store
        .plans()?
        .into_iter()
        .map(|p| p.name.to_lowercase())
        .collect();
    let mut customers: HashMap<String, bool> = HashMap::new();
    let mut macs: HashMap<String, usize> = HashMap::new();
    let mut serials: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem {
                    line: e.position().map_or(0, |p| line_of(text, p)),
                    field: "(row)".into(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| line_of(text, p));
        let get = |c: Option<usize>| {
            c.and_then(|i| record.get(i))
                .map(csv_uncell)
                .unwrap_or_default()
        };
        let mut spec = CameraSpec {
            name: get(c_name),
            mac: get(c_mac),
            serial: get(c_serial),
            model: get(c_model),
            location: get(c_location),
        };
        // Checked as typed, so a position in a message counts the cell's own spaces.
        let found = validate_camera(&spec);
        normalize_camera(&mut spec);
        let mut problem = |field: &str, message: String| {
            problems.push(Problem {
                line,
                field: field.into(),
                message,
            })
        };
        for e in found {
            problem(e.field.trim_start_matches("camera."), e.message);
        }
        if normalize_mac(&spec.mac).is_ok() {
            if let Some(first) = macs.insert(spec.mac.clone(), line) {
                problem("mac", format!("{} is also on line {first}", spec.mac));
            }
            let (mac_taken, serial_taken) = store.camera_exists(&spec.mac, &spec.serial)?;
            if mac_taken {
                problem("mac", format!("{} is already registered", spec.mac));
            }
            if serial_taken {
                problem(
                    "serial",
                    format!("{} is already registered", display(&spec.serial)),
                );
            }
        }
        if !spec.serial.is_empty()
            && let Some(first) = serials.insert(spec.serial.to_lowercase(), line)
        {
            problem(
                "serial",
                format!("{} is also on line {first}", display(&spec.serial)),
            );
        }
        let customer = Some(get(c_customer)).filter(|s| !s.trim().is_empty());
        if let Some(name) = &customer {
            let key = name.trim().to_lowercase();
            let exists = match customers.get(&key) {
                Some(e) => *e,
                None => {
                    let e = store.customer_name_taken(name, None)?;
                    customers.insert(key, e);
                    e
                }
            };
            if !exists {
                problem("customer", format!("no customer \"{}\"", display(name)));
            }
        }
        let plan = Some(get(c_plan)).filter(|s| !s.trim().is_empty());
        if let Some(p) = &plan
            && !plans.contains(&p.trim().to_lowercase())
        {
            problem("plan", format!("unknown plan \"{}\"", display(p)));
        }
        let recording_text = get(c_recording);
        let recording = if recording_text.trim().is_empty() {
            true
        } else {
            match parse_bool(&recording_text) {
                Some(b) => b,
                None => {
                    problem(
                        "recording",
                        format!("{:?} is not yes or no", display(&recording_text)),
                    );
                    true
                }
            }
        };
        out.push(InventoryCamera {
            spec,
            customer,
            plan,
            recording,
        });
    }
    Ok(if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    })
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
