//! The latency harness: starts the real release binary in a pseudo-terminal on the big store and
//! measures what an operator feels. Prints one table of medians over `--runs` starts.
//!
//! ```text
//! cargo build --release && cargo run --release --example latency -- --db /path/big.db [--runs 5]
//! PGPASSWORD=... ./target/release/examples/latency --db postgres://portal@host/big [--runs 3]
//! ```
//!
//! On a PostgreSQL store (issue 10) the same table is measured through the same store calls;
//! `--all-short` there takes its alphabet from the SQLite store it was copied from
//! (`--alphabet-db big.db`).
//!
//! A frame ends where ratatui ends every draw: hiding the cursor (`ESC[?25l`) and flushing. The
//! time from writing a key to the end of the next frame is the key's latency; it includes the
//! pseudo-terminal both ways. Filter characters are compared with the same search the Customers
//! tab runs (the count, stopped at 10,000 as on the screen, and the first window of rows) run
//! here directly through the store on the same file. `G` under a filter is timed apart: it is
//! the one key that counts a capped filter exactly. The Cameras tab's filter is timed too.
//!
//! A filter key's frame is the first one showing the text typed; what the key's time did not
//! cover is read after it ("searching…", "counting…"), so each filter text also gets the time
//! until its count is shown. `--all-short` types every one- and two-character text of the
//! sample data's alphabet (the characters the demo generator wrote into the store's searched
//! columns, read from the store) into both tabs, as fast as a frame allows, and prints the
//! worst cases per tab.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use admin_portal::store::inventory::CameraQuery;
use admin_portal::store::{CustomerQuery, OpenMode, SortKey, Store};
use admin_portal::ui::form::paged::COUNT_CAP;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const FRAME_END: &[u8] = b"\x1b[?25l";
const COLS: u16 = 200;
const ROWS: u16 = 60;
/// Texts typed into the filter, one character at a time.
const FILTERS: &[&str] = &["martin", "son", ".com", "ber", "zzq", "x"];
/// Filters under which `G` is timed (the exact count made once).
const G_FILTERS: &[&str] = &["m", ".com"];
/// Texts typed into the Cameras tab's filter.
const CAMERA_FILTERS: &[&str] = &["axis", "zzq"];

struct Shared {
    raw: Vec<u8>,
    /// Time at which each frame ended, and the length of `raw` just after it.
    frames: Vec<(Instant, usize)>,
    parser: vt100::Parser,
    scanned: usize,
    /// Text the next frame of interest shows, and when the first frame showing it ended.
    expect: Option<String>,
    matched: Option<Instant>,
}

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    shared: Arc<Mutex<Shared>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(bin: &str, db: &str) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(["--db", db]);
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "latency");
        if let Ok(dir) = std::env::current_dir() {
            cmd.cwd(dir);
        }
        let child = pair.slave.spawn_command(cmd).expect("start admin-portal");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = Arc::new(Mutex::new(pair.master.take_writer().expect("writer")));
        let shared = Arc::new(Mutex::new(Shared {
            raw: Vec::new(),
            frames: Vec::new(),
            parser: vt100::Parser::new(ROWS, COLS, 0),
            scanned: 0,
            expect: None,
            matched: None,
        }));
        let reply_writer = Arc::clone(&writer);
        let s = Arc::clone(&shared);
        thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                let mut sh = s.lock().unwrap();
                sh.raw.extend_from_slice(&buf[..n]);
                sh.parser.process(&buf[..n]);
                // Answer a cursor-position query, as a terminal would (crossterm may ask).
                if buf[..n].windows(4).any(|w| w == b"\x1b[6n") {
                    let (r, c) = sh.parser.screen().cursor_position();
                    let mut w = reply_writer.lock().unwrap();
                    let _ = write!(w, "\x1b[{};{}R", r + 1, c + 1);
                    let _ = w.flush();
                }
                // A marker may straddle two reads: look back a little, never before the last one.
                let last = sh.frames.last().map_or(0, |f| f.1);
                let mut i = sh.scanned.saturating_sub(FRAME_END.len()).max(last);
                while let Some(pos) = find(&sh.raw[i..], FRAME_END) {
                    let end = i + pos + FRAME_END.len();
                    sh.frames.push((now, end));
                    i = end;
                }
                if sh.matched.is_none()
                    && let Some(text) = &sh.expect
                    && sh.frames.last().is_some_and(|f| f.0 == now)
                    && sh.parser.screen().contents().contains(text.as_str())
                {
                    sh.matched = Some(now);
                }
                sh.scanned = sh.raw.len();
            }
        });
        Session {
            child,
            writer,
            shared,
            _master: pair.master,
        }
    }

    fn frames(&self) -> usize {
        self.shared.lock().unwrap().frames.len()
    }

    fn screen(&self) -> String {
        self.shared.lock().unwrap().parser.screen().contents()
    }

    /// Waits for frame number `n` (0-based); its end time and the output length after it.
    fn wait_frame(&self, n: usize) -> (Instant, usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(f) = self.shared.lock().unwrap().frames.get(n) {
                return *f;
            }
            assert!(
                Instant::now() < deadline,
                "no frame {n}:\n{}",
                self.screen()
            );
            thread::sleep(Duration::from_micros(200));
        }
    }

    /// Sends `key`, waits for the frame it causes: (latency, bytes written for it).
    fn key(&mut self, key: &[u8]) -> (Duration, usize) {
        thread::sleep(Duration::from_millis(40));
        let n = self.frames();
        let before = self.shared.lock().unwrap().raw.len();
        let sent = Instant::now();
        {
            let mut w = self.writer.lock().unwrap();
            w.write_all(key).unwrap();
            w.flush().unwrap();
        }
        let (at, len) = self.wait_frame(n);
        (at - sent, len - before)
    }

    /// Sends `key` and waits for the first frame showing `shows` (frames drawn meanwhile by
    /// reading left over from an earlier key do not count); returns its latency. `gap` is the
    /// pause before the key.
    fn key_showing(&mut self, key: &[u8], shows: &str, gap: Duration) -> Duration {
        thread::sleep(gap);
        {
            let mut sh = self.shared.lock().unwrap();
            sh.expect = Some(shows.to_string());
            sh.matched = None;
        }
        let sent = Instant::now();
        {
            let mut w = self.writer.lock().unwrap();
            w.write_all(key).unwrap();
            w.flush().unwrap();
        }
        let deadline = sent + Duration::from_secs(30);
        loop {
            if let Some(at) = self.shared.lock().unwrap().matched {
                return at - sent;
            }
            assert!(
                Instant::now() < deadline,
                "no frame shows {shows:?}:\n{}",
                self.screen()
            );
            thread::sleep(Duration::from_micros(100));
        }
    }

    /// Waits until the reading left over from the last key is done (the screen says neither
    /// "searching…" nor "counting…"); the time since `since`.
    fn settled(&self, since: Instant) -> Duration {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if !screen.contains("searching…") && !screen.contains("counting…") {
                return since.elapsed();
            }
            assert!(Instant::now() < deadline, "never settled:\n{screen}");
            thread::sleep(Duration::from_micros(200));
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// utime + stime of a process, in seconds (clock ticks of 1/100 s on Linux).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|x| x.1).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of stat; after the ")" they are at 11 and 12 (0-based).
    (ticks(11) + ticks(12)) / 100.0
}

fn status_kb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0.0)
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Cells whose text or colours differ between two screens: the least a frame must write.
fn changed_cells(a: &vt100::Screen, b: &vt100::Screen) -> (usize, usize) {
    let (mut cells, mut bytes) = (0, 0);
    for r in 0..ROWS {
        for c in 0..COLS {
            let (x, y) = (a.cell(r, c), b.cell(r, c));
            let differ = match (x, y) {
                (Some(x), Some(y)) => {
                    x.contents() != y.contents()
                        || x.fgcolor() != y.fgcolor()
                        || x.bgcolor() != y.bgcolor()
                        || x.bold() != y.bold()
                        || x.inverse() != y.inverse()
                }
                _ => false,
            };
            if differ {
                cells += 1;
                bytes += y.map_or(1, |y| y.contents().len().max(1));
            }
        }
    }
    (cells, bytes)
}

#[derive(Default)]
struct Samples {
    rows: Vec<(String, Vec<f64>, String)>,
}

impl Samples {
    fn add(&mut self, name: &str, value: f64, target: &str) {
        match self.rows.iter_mut().find(|r| r.0 == name) {
            Some(r) => r.1.push(value),
            None => self.rows.push((name.into(), vec![value], target.into())),
        }
    }
}

/// The Customers tab's search for one filter text, as the screen runs it: the count stopped at
/// the cap, then the first window (with the count as a hint: the first window is read forwards).
fn sql_time(store: &Store, filter: &str, page: i64) -> f64 {
    let q = CustomerQuery {
        filter: filter.into(),
        sort: SortKey::Name,
        descending: false,
    };
    let mut times = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let (n, _) = store.customer_count_capped(&q, COUNT_CAP).unwrap();
        let _ = store.customer_page_of(&q, 0, page, Some(n)).unwrap();
        times.push(ms(t.elapsed()));
    }
    median(&mut times)
}

/// The Cameras tab's search, as the screen runs it.
fn camera_sql_time(store: &Store, filter: &str, page: i64) -> f64 {
    let q = CameraQuery {
        filter: filter.into(),
        ..CameraQuery::default()
    };
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let _ = store.camera_count_capped(&q, COUNT_CAP).unwrap();
        let _ = store.camera_page(&q, 0, page).unwrap();
        times.push(ms(t.elapsed()));
    }
    median(&mut times)
}

/// `G` and `g` three times each on the list shown (`tab` names it in the rows).
fn top_and_bottom(p: &mut Session, s: &mut Samples, tab: &str) {
    let (mut bottom, mut top) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        bottom.push(ms(p.key(b"G").0));
        top.push(ms(p.key(b"g").0));
    }
    s.add(
        &format!("{tab}key G to frame (ms)"),
        median(&mut bottom),
        "< 5",
    );
    s.add(
        &format!("{tab}key g to frame (ms)"),
        median(&mut top),
        "< 5",
    );
}

/// Types `ch`, the last character of `typed`, into the open filter line: the key's latency
/// (to the first frame showing `typed`) and the time until its count is shown.
fn type_char(p: &mut Session, ch: char, typed: &str) -> (Duration, Duration) {
    thread::sleep(Duration::from_millis(40));
    let sent = Instant::now();
    let d = p.key_showing(
        ch.to_string().as_bytes(),
        &format!("/{typed}▏"),
        Duration::ZERO,
    );
    (d, p.settled(sent))
}

/// The characters of the sample data: every character in the searched columns of the store
/// (as the demo generator wrote them), ASCII letters folded as the search folds them.
fn sample_alphabet(db: &str) -> Vec<char> {
    assert!(
        !admin_portal::store::pg::is_postgres(db),
        "--all-short on a PostgreSQL store needs --alphabet-db SQLITE_FILE (the store it was copied from)"
    );
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the store");
    let mut chars = std::collections::BTreeSet::new();
    for sql in [
        "SELECT name || contact_first || ' ' || contact_last || email || phone || city
                || reference FROM customers",
        "SELECT name || mac || serial || model || location FROM cameras",
    ] {
        let mut stmt = conn.prepare(sql).expect("the searched columns");
        let mut rows = stmt.query([]).expect("read them");
        while let Some(row) = rows.next().expect("a row") {
            let text: String = row.get(0).unwrap_or_default();
            chars.extend(
                text.chars()
                    .filter(|c| !c.is_control() && !c.is_whitespace())
                    .map(|c| c.to_ascii_lowercase()),
            );
        }
    }
    chars.into_iter().collect()
}

/// Every one- and two-character text of `alphabet` typed into the filter of the tab shown, one
/// key after the other as soon as its frame is drawn (so the reading a key leaves for idle time
/// is abandoned by the next, as when typing fast): each text's key-to-frame time.
fn all_short(p: &mut Session, alphabet: &[char]) -> Vec<(String, f64)> {
    let gap = Duration::from_millis(2);
    let mut times = Vec::new();
    p.key(b"/");
    for &a in alphabet {
        let one = a.to_string();
        let d = p.key_showing(one.as_bytes(), &format!("/{one}▏"), gap);
        times.push((one.clone(), ms(d)));
        for &b in alphabet {
            let two = format!("{a}{b}");
            let d = p.key_showing(b.to_string().as_bytes(), &format!("/{two}▏"), gap);
            times.push((two, ms(d)));
            // Backspace: the one-character text again, timed as such.
            let d = p.key_showing(b"\x7f", &format!("/{one}▏"), gap);
            times.push((one.clone(), ms(d)));
        }
        p.key_showing(b"\x7f", "/▏", gap);
    }
    p.key(b"\x1b");
    times.sort_by(|x, y| y.1.total_cmp(&x.1));
    times
}

fn print_worst(tab: &str, times: &[(String, f64)]) {
    let keys = times.len();
    let over = times.iter().filter(|t| t.1 >= 16.0).count();
    let at = |q: f64| times[((keys as f64 * q) as usize).min(keys.saturating_sub(1))].1;
    println!(
        "{tab}: {keys} filter keys over every 1-2 character text, {over} at 16 ms or more; \
         median {:.2} ms, 95% under {:.2} ms, 99% under {:.2} ms",
        at(0.5),
        at(0.05),
        at(0.01)
    );
    for (text, ms) in times.iter().take(5) {
        println!("  {text:?}: key to frame {ms:.2} ms");
    }
}

fn run_once(bin: &str, db: &str, store: &Store, s: &mut Samples) {
    let start = Instant::now();
    let mut p = Session::start(bin, db);
    // The first frame that shows the table (a draft prompt or a flash may come first).
    let mut n = 0;
    let first = loop {
        let (at, _) = p.wait_frame(n);
        if p.screen().contains(" of ") {
            break at;
        }
        n += 1;
    };
    s.add(
        "start-up to first full frame (ms)",
        ms(first - start),
        "< 150",
    );
    thread::sleep(Duration::from_millis(300));

    // One `j`: latency, bytes, and the cells that changed.
    let before = p.shared.lock().unwrap().parser.screen().clone();
    let (d, bytes) = p.key(b"j");
    let after = p.shared.lock().unwrap().parser.screen().clone();
    let (cells, min_bytes) = changed_cells(&before, &after);
    s.add("bytes written for one j (200x60)", bytes as f64, "minimum");
    s.add("  cells changed by that j", cells as f64, "");
    s.add("  bytes of text in those cells", min_bytes as f64, "");
    let mut js = vec![ms(d)];
    for _ in 0..9 {
        js.push(ms(p.key(b"j").0));
    }
    s.add("key j to frame (ms)", median(&mut js), "< 5");
    let mut pg = Vec::new();
    for _ in 0..10 {
        pg.push(ms(p.key(b"\x1b[6~").0));
    }
    s.add("key PgDn to frame (ms)", median(&mut pg), "< 5");
    top_and_bottom(&mut p, s, "");

    // The filter, typed character by character; Esc clears it between texts.
    let page = i64::from(ROWS) + 100;
    for text in FILTERS {
        p.key(b"/");
        let mut typed = String::new();
        for ch in text.chars() {
            typed.push(ch);
            let (d, settled) = type_char(&mut p, ch, &typed);
            let sql = sql_time(store, &typed, page);
            s.add(
                &format!("filter {typed:?}: key to frame (ms)"),
                ms(d),
                "< 16",
            );
            s.add(
                &format!("filter {typed:?}:   key to count shown (ms)"),
                ms(settled),
                "",
            );
            s.add(
                &format!("filter {typed:?}:   same search as SQL (ms)"),
                sql,
                "",
            );
        }
        p.key(b"\x1b");
        thread::sleep(Duration::from_millis(80));
    }

    // `G` under a filter counted up to the cap: the exact count, once, then the last window.
    for text in G_FILTERS {
        p.key(b"/");
        for ch in text.chars() {
            p.key(ch.to_string().as_bytes());
        }
        p.key(b"\r");
        let (d, _) = p.key(b"G");
        s.add(
            &format!("filter {text:?}: G, exact count (ms)"),
            ms(d),
            "(once)",
        );
        p.key(b"g");
        p.key(b"/");
        p.key(b"\x1b");
        thread::sleep(Duration::from_millis(80));
    }

    // The Cameras tab (1,000,000 cameras): the same, typed character by character.
    p.key(b"2");
    thread::sleep(Duration::from_millis(300));
    top_and_bottom(&mut p, s, "Cameras ");
    for text in CAMERA_FILTERS {
        p.key(b"/");
        let mut typed = String::new();
        for ch in text.chars() {
            typed.push(ch);
            let (d, settled) = type_char(&mut p, ch, &typed);
            s.add(
                &format!("Cameras filter {typed:?}: key to frame (ms)"),
                ms(d),
                "< 16",
            );
            s.add(
                &format!("Cameras filter {typed:?}:   key to count shown (ms)"),
                ms(settled),
                "",
            );
            s.add(
                &format!("Cameras filter {typed:?}:   as SQL (ms)"),
                camera_sql_time(store, &typed, page),
                "",
            );
        }
        p.key(b"\x1b");
        thread::sleep(Duration::from_millis(80));
    }
    p.key(b"1");

    // Idle: nothing typed for 10 s.
    let pid = p.pid();
    let cpu0 = cpu_seconds(pid);
    thread::sleep(Duration::from_secs(10));
    s.add("CPU while idle 10 s (s)", cpu_seconds(pid) - cpu0, "< 0.1");
    s.add(
        "peak resident memory (MB)",
        status_kb(pid, "VmHWM:") / 1024.0,
        "< 50",
    );
}

fn export_time(bin: &str, db: &str) -> Option<f64> {
    let help = std::process::Command::new(bin)
        .args(["customers", "export", "--help"])
        .output()
        .ok()?;
    if !help.status.success() {
        return None;
    }
    let out = std::env::temp_dir().join(format!("latency-export-{}.json", std::process::id()));
    let t = Instant::now();
    let status = std::process::Command::new(bin)
        .args(["--db", db, "customers", "export", "--output"])
        .arg(&out)
        .status()
        .ok()?;
    let secs = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&out);
    status.success().then_some(secs)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut db, mut runs, mut bin, mut short) = (None, 5, None, false);
    let mut alphabet_db = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--db" => db = args.next(),
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(5),
            "--bin" => bin = args.next(),
            "--all-short" => short = true,
            "--alphabet-db" => alphabet_db = args.next(),
            _ => {
                eprintln!(
                    "usage: latency --db PATH|URL [--runs N] [--bin PATH] [--all-short [--alphabet-db PATH]]"
                );
                std::process::exit(2);
            }
        }
    }
    let Some(db) = db else {
        eprintln!(
            "usage: latency --db PATH|URL [--runs N] [--bin PATH] [--all-short [--alphabet-db PATH]]"
        );
        std::process::exit(2);
    };
    // target/release/examples/latency -> target/release/admin-portal
    let bin = bin.unwrap_or_else(|| {
        let exe = std::env::current_exe().expect("own path");
        let dir = exe.parent().and_then(|d| d.parent()).map(PathBuf::from);
        dir.map(|d| d.join("admin-portal").display().to_string())
            .unwrap_or_else(|| "admin-portal".into())
    });
    let store = Store::open(std::path::Path::new(&db), OpenMode::ReadOnly)
        .expect("open the store (run the binary once on it first to migrate it)");
    if short {
        let alphabet = sample_alphabet(alphabet_db.as_deref().unwrap_or(&db));
        eprintln!(
            "every 1-2 character text of {} characters: {}",
            alphabet.len(),
            alphabet.iter().collect::<String>()
        );
        let mut p = Session::start(&bin, &db);
        p.wait_frame(0);
        thread::sleep(Duration::from_millis(300));
        let customers = all_short(&mut p, &alphabet);
        p.key(b"2");
        thread::sleep(Duration::from_millis(300));
        let cameras = all_short(&mut p, &alphabet);
        print_worst("Customers", &customers);
        print_worst("Cameras", &cameras);
        return;
    }
    let mut samples = Samples::default();
    for i in 0..runs {
        eprintln!("run {} of {runs}", i + 1);
        run_once(&bin, &db, &store, &mut samples);
    }
    let mut exports = Vec::new();
    for _ in 0..runs.min(3) {
        if let Some(t) = export_time(&bin, &db) {
            exports.push(t);
        }
    }
    if !exports.is_empty() {
        samples.add("customers export of all (s)", median(&mut exports), "< 5");
    }
    println!(
        "{:<48} {:>10} {:>10}  runs",
        "what (200x60, medians)", "measured", "target"
    );
    for (name, mut values, target) in samples.rows {
        let n = values.len();
        println!("{name:<48} {:>10.2} {target:>10}  {n}", median(&mut values));
    }
}
