//! What the screen and store tests build again and again: a store in a temporary folder, the
//! context a screen is handed, key events, the text of a drawn buffer, and a sample customer.

use std::path::Path;

use admin_portal::app::{App, Ctx};
use admin_portal::domain::{
    Address, Billing, Contact, CustomerProfile, CustomerType, DefaultSettings, Id, NewCustomer,
    NewUser, Operator, PaymentTerms, Role, UserCreation,
};
use admin_portal::keymap::Keymap;
use admin_portal::store::demo::DemoSpec;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::COLOR;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::{Frame, Terminal};
use tempfile::TempDir;

use super::db::{self, RawConn};

/// A dummy PHC string: the store keeps hashes, it never checks them.
pub const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

// --- stores --------------------------------------------------------------------------------------

/// A new store in its own temporary folder, removed when this is dropped.
pub struct TestStore {
    pub dir: TempDir,
    pub store: Store,
}

impl TestStore {
    /// An empty store, `s.db`.
    pub fn new() -> Self {
        Self::named("s.db")
    }

    /// An empty store in a file of that name.
    pub fn named(file: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join(file), OpenMode::Create).expect("store");
        Self { dir, store }
    }

    /// A store filled by the demo generator.
    pub fn demo(customers: u64, cameras: u64, seed: u64) -> Self {
        let mut test = Self::new();
        demo(&mut test.store, customers, cameras, seed);
        test
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }
}

/// Fills `store` with the demo generator's customers and cameras.
pub fn demo(store: &mut Store, customers: u64, cameras: u64, seed: u64) {
    let spec = DemoSpec {
        customers,
        cameras,
        seed,
    };
    store.fill_demo(&spec, &mut |_| {}).expect("demo");
}

/// Runs statements, panicking with the SQL when one fails.
pub fn sql(store: &Store, sql: &str) {
    store.raw_conn().execute_batch(sql).expect(sql);
}

/// The first column of the first row, as an integer.
pub fn int(store: &Store, sql: &str) -> i64 {
    store
        .raw_conn()
        .query_row(sql, [], |r| r.get(0))
        .expect(sql)
}

// --- what a screen is handed ---------------------------------------------------------------------

/// A store with the default key map and a test operator: all a [`Ctx`] needs.
pub struct Env {
    dir: TempDir,
    pub store: Store,
    pub keymap: Keymap,
    pub operator: Operator,
}

impl Env {
    /// An empty store; the operator is `alice`, with no client address.
    pub fn new() -> Self {
        Self::from(TestStore::new())
    }

    /// A store filled by the demo generator.
    pub fn demo(customers: u64, cameras: u64, seed: u64) -> Self {
        Self::from(TestStore::demo(customers, cameras, seed))
    }

    /// The same operator, connected from `client`.
    pub fn with_client(mut self, client: &str) -> Self {
        self.operator.client = Some(client.into());
        self
    }

    /// The same store, keymap and operator under another login.
    pub fn with_login(mut self, login: &str) -> Self {
        self.operator.login = login.into();
        self
    }

    /// The context screens are handed, in the colour theme.
    pub fn ctx(&mut self) -> Ctx<'_> {
        Ctx {
            store: &mut self.store,
            keymap: &self.keymap,
            operator: &self.operator,
            theme: &COLOR,
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn sql(&self, statements: &str) {
        sql(&self.store, statements);
    }

    pub fn int(&self, query: &str) -> i64 {
        int(&self.store, query)
    }

    /// An unlinked inventory camera (an Axis P3245 in the Lobby) written straight into the file,
    /// created and updated `at` (a fixed time keeps snapshots still); its id.
    pub fn camera_row(&self, name: &str, mac: &str, serial: &str, at: &str) -> Id {
        let conn = self.store.raw_conn();
        conn.execute(
            "INSERT INTO cameras (name, mac, serial, model, location, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'Axis P3245', 'Lobby', ?4, ?4)",
            rusqlite::params![name, mac, serial, at],
        )
        .expect("insert a camera");
        conn.last_insert_rowid()
    }

    /// A plan of 30 days, continuous, `cents` USD a camera a month, written straight into the
    /// file, created and updated `at`; its id.
    pub fn plan_row(&self, name: &str, cents: i64, at: &str) -> Id {
        let conn = self.store.raw_conn();
        conn.execute(
            "INSERT INTO plans (name, retention_days, mode, price_cents, currency, created_at, updated_at)
             VALUES (?1, 30, 'continuous', ?2, 'USD', ?3, ?3)",
            rusqlite::params![name, cents, at],
        )
        .expect("insert a plan");
        conn.last_insert_rowid()
    }

    /// Runs one `INSERT`; the id of the row it added.
    pub fn insert(&self, statement: &str) -> Id {
        db::insert(&self.store, statement)
    }
}

impl From<TestStore> for Env {
    fn from(test: TestStore) -> Self {
        Self {
            dir: test.dir,
            store: test.store,
            keymap: Keymap::default(),
            operator: Operator {
                login: "alice".into(),
                client: None,
            },
        }
    }
}

// --- keys ----------------------------------------------------------------------------------------

/// A key without modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// A character without modifiers.
pub fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// Ctrl with a character.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// A key as a terminal reports it: an uppercase letter comes with Shift.
pub fn press(code: KeyCode) -> KeyEvent {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    KeyEvent::new(code, modifiers)
}

/// Hands `send` each character of `text` as [`ch`] would make it.
pub fn type_text(text: &str, mut send: impl FnMut(KeyEvent)) {
    for c in text.chars() {
        send(ch(c));
    }
}

// --- drawing -------------------------------------------------------------------------------------

/// Draws once into a `TestBackend` of that size.
pub fn render(width: u16, height: u16, draw: impl FnOnce(&mut Frame)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(draw).expect("draw");
    terminal
}

/// Draws once and returns the text on screen (see [`buffer_text`]).
pub fn render_text(width: u16, height: u16, draw: impl FnOnce(&mut Frame)) -> String {
    buffer_text(render(width, height, draw).backend().buffer())
}

/// The text on screen as an operator reads it: a wide character once (not followed by the cell
/// it covers), each row without its trailing blanks and ended by a newline.
pub fn buffer_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Draws the whole [`App`] once at that size; the text on screen (see [`buffer_text`]).
pub fn app_text(app: &mut App, width: u16, height: u16) -> String {
    buffer_text(render(width, height, |f| app.render(f)).backend().buffer())
}

/// Draws the whole [`App`] once at that size; every cell (see [`buffer_cells`]).
pub fn app_cells(app: &mut App, width: u16, height: u16) -> String {
    buffer_cells(render(width, height, |f| app.render(f)).backend().buffer())
}

/// Hands the [`App`] one key press without modifiers.
pub fn app_press(app: &mut App, code: KeyCode) {
    app.handle_event(Event::Key(key(code)));
}

/// The row of `screen` that holds `needle`.
#[track_caller]
pub fn row<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?} in\n{screen}"))
}

/// Every cell's symbol, rows joined by newlines, nothing trimmed: for tests about where things
/// stand, one character a cell.
pub fn buffer_cells(buf: &Buffer) -> String {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// --- a customer ----------------------------------------------------------------------------------

/// The lowercase letters and digits of a name, for e-mail domains.
pub fn slug(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// A customer in Paris with Owner and Admin, and two users at `<slug>.example.com`: Jane Doe
/// (Owner) and Bob Martin (Admin). Billing is the company's, on Net 30, with no plan.
pub fn sample_customer(name: &str) -> NewCustomer {
    let slug = slug(name);
    let user = |first: &str, last: &str, roles: Vec<usize>| NewUser {
        first_name: first.into(),
        last_name: last.into(),
        email: format!("{}@{slug}.example.com", first.to_lowercase()),
        roles,
    };
    NewCustomer {
        profile: CustomerProfile {
            kind: CustomerType::Customer,
            parent_id: None,
            contact: Contact {
                company: name.into(),
                first_name: "Jane".into(),
                last_name: "Doe".into(),
                email: format!("jane@{slug}.example.com"),
                phone: "+33 1 23 45 67 89".into(),
                address: Address {
                    line1: "12 Rue de la Paix".into(),
                    line2: String::new(),
                    city: "Paris".into(),
                    state: String::new(),
                    postal_code: "75002".into(),
                    country: "FR".into(),
                },
                time_zone: "Europe/Paris".into(),
                reference: String::new(),
                notes: String::new(),
            },
            defaults: DefaultSettings::default(),
            user_creation: UserCreation {
                confirm_email: true,
                change_password: true,
            },
            billing: Billing {
                same_as_company: true,
                contact: String::new(),
                email: String::new(),
                phone: String::new(),
                address: Address::default(),
                tax_id: String::new(),
                tax_exempt: false,
                terms: PaymentTerms::Net30,
            },
        },
        camera_ids: vec![],
        new_cameras: vec![],
        roles: vec![Role::owner(), Role::admin()],
        users: vec![user("Jane", "Doe", vec![0]), user("Bob", "Martin", vec![1])],
    }
}

/// One [`HASH`] per user of `new`.
pub fn hashes(new: &NewCustomer) -> Vec<String> {
    vec![HASH.to_string(); new.users.len()]
}
