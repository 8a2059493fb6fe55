//! The inventory (cameras) CSV: parsed and checked against the rules and the store.

use std::collections::{HashMap, HashSet};

use super::Problem;
use super::csv::{csv_uncell, line_of, parse_bool};
use crate::domain::CameraSpec;
use crate::domain::validate::{display, normalize_camera, normalize_mac, validate_camera};
use crate::store::export::InventoryCamera;
use crate::store::{Store, StoreError};

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
    let headers = match camera_headers(&mut reader) {
        Ok(h) => h,
        Err(problems) => return Ok(Err(problems)),
    };
    let mut rows = CameraRows::new(Columns::of(&headers), store)?;
    for record in reader.records() {
        match record {
            Ok(record) => rows.row(text, &record)?,
            Err(e) => rows.problems.push(Problem {
                line: e.position().map_or(0, |p| line_of(text, p)),
                field: "(row)".into(),
                message: e.to_string(),
            }),
        }
    }
    Ok(if rows.problems.is_empty() {
        Ok(rows.cameras)
    } else {
        Err(rows.problems)
    })
}

/// The header row, lower-cased: every column known, the required ones there.
fn camera_headers(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, Vec<Problem>> {
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            return Err(vec![Problem {
                line: 1,
                field: "(header)".into(),
                message: e.to_string(),
            }]);
        }
    };
    let mut problems = Vec::new();
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
    if problems.is_empty() {
        Ok(headers)
    } else {
        Err(problems)
    }
}

/// Where each of [`CAMERA_COLUMNS`] is in the file, if it is.
#[derive(Debug, Clone, Copy)]
struct Columns {
    name: Option<usize>,
    mac: Option<usize>,
    serial: Option<usize>,
    model: Option<usize>,
    location: Option<usize>,
    customer: Option<usize>,
    plan: Option<usize>,
    recording: Option<usize>,
}

impl Columns {
    fn of(headers: &[String]) -> Columns {
        let col = |name: &str| headers.iter().position(|h| h == name);
        Columns {
            name: col("name"),
            mac: col("mac"),
            serial: col("serial"),
            model: col("model"),
            location: col("location"),
            customer: col("customer"),
            plan: col("plan"),
            recording: col("recording"),
        }
    }
}

/// The rows read so far: the cameras, their problems, and what earlier rows took.
struct CameraRows<'a> {
    store: &'a Store,
    columns: Columns,
    plans: HashSet<String>,
    /// Customer name (lower case) -> whether the store has it, asked once per name.
    customers: HashMap<String, bool>,
    /// MAC (normalised) -> the line that gave it first.
    macs: HashMap<String, usize>,
    /// Serial (lower case) -> the line that gave it first.
    serials: HashMap<String, usize>,
    problems: Vec<Problem>,
    cameras: Vec<InventoryCamera>,
}

impl<'a> CameraRows<'a> {
    fn new(columns: Columns, store: &'a Store) -> Result<Self, StoreError> {
        let plans = store
            .plans()?
            .into_iter()
            .map(|p| p.name.to_lowercase())
            .collect();
        Ok(CameraRows {
            store,
            columns,
            plans,
            customers: HashMap::new(),
            macs: HashMap::new(),
            serials: HashMap::new(),
            problems: Vec::new(),
            cameras: Vec::new(),
        })
    }

    fn problem(&mut self, line: usize, field: &str, message: String) {
        self.problems.push(Problem {
            line,
            field: field.into(),
            message,
        });
    }

    fn row(&mut self, text: &str, record: &csv::StringRecord) -> Result<(), StoreError> {
        let line = record.position().map_or(0, |p| line_of(text, p));
        let get = |c: Option<usize>| {
            c.and_then(|i| record.get(i))
                .map(csv_uncell)
                .unwrap_or_default()
        };
        let cols = self.columns;
        let mut spec = CameraSpec {
            name: get(cols.name),
            mac: get(cols.mac),
            serial: get(cols.serial),
            model: get(cols.model),
            location: get(cols.location),
        };
        // Checked as typed, so a position in a message counts the cell's own spaces.
        let found = validate_camera(&spec);
        normalize_camera(&mut spec);
        for e in found {
            self.problem(line, e.field.trim_start_matches("camera."), e.message);
        }
        self.mac_and_serial(line, &spec)?;
        let customer = Some(get(cols.customer)).filter(|s| !s.trim().is_empty());
        if let Some(name) = &customer
            && !self.customer_exists(name)?
        {
            self.problem(
                line,
                "customer",
                format!("no customer \"{}\"", display(name)),
            );
        }
        let plan = Some(get(cols.plan)).filter(|s| !s.trim().is_empty());
        if let Some(p) = &plan
            && !self.plans.contains(&p.trim().to_lowercase())
        {
            self.problem(line, "plan", format!("unknown plan \"{}\"", display(p)));
        }
        let recording = self.recording(line, &get(cols.recording));
        self.cameras.push(InventoryCamera {
            spec,
            customer,
            plan,
            recording,
        });
        Ok(())
    }

    /// The MAC and serial: once in the file, not registered in the store yet.
    fn mac_and_serial(&mut self, line: usize, spec: &CameraSpec) -> Result<(), StoreError> {
        if normalize_mac(&spec.mac).is_ok() {
            if let Some(first) = self.macs.insert(spec.mac.clone(), line) {
                self.problem(line, "mac", format!("{} is also on line {first}", spec.mac));
            }
            let (mac_taken, serial_taken) = self.store.camera_exists(&spec.mac, &spec.serial)?;
            if mac_taken {
                self.problem(line, "mac", format!("{} is already registered", spec.mac));
            }
            if serial_taken {
                let message = format!("{} is already registered", display(&spec.serial));
                self.problem(line, "serial", message);
            }
        }
        if !spec.serial.is_empty()
            && let Some(first) = self.serials.insert(spec.serial.to_lowercase(), line)
        {
            let message = format!("{} is also on line {first}", display(&spec.serial));
            self.problem(line, "serial", message);
        }
        Ok(())
    }

    fn customer_exists(&mut self, name: &str) -> Result<bool, StoreError> {
        let key = name.trim().to_lowercase();
        if let Some(exists) = self.customers.get(&key) {
            return Ok(*exists);
        }
        let exists = self.store.customer_name_taken(name, None)?;
        self.customers.insert(key, exists);
        Ok(exists)
    }

    /// The recording cell: yes when empty; a problem (and yes) when not yes or no.
    fn recording(&mut self, line: usize, text: &str) -> bool {
        if text.trim().is_empty() {
            return true;
        }
        parse_bool(text).unwrap_or_else(|| {
            let message = format!("{:?} is not yes or no", display(text));
            self.problem(line, "recording", message);
            true
        })
    }
}
