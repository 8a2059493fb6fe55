//! Schema migrations, numbered in the code and tracked with `PRAGMA user_version`.
//! Each entry upgrades from its index to index + 1; all pending ones run in one IMMEDIATE transaction.

/// Migration `n` (0-based) takes the schema from version `n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7];

/// The schema version this program writes and understands.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

const V1: &str = r#"
CREATE TABLE plans (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    retention_days  INTEGER NOT NULL CHECK (retention_days > 0),
    mode            TEXT    NOT NULL CHECK (mode IN ('continuous', 'event')),
    price_cents     INTEGER NOT NULL CHECK (price_cents >= 0),
    currency        TEXT    NOT NULL DEFAULT 'USD',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE customers (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                    TEXT    NOT NULL CHECK (kind IN ('customer', 'integrator')),
    parent_id               INTEGER REFERENCES customers (id),
    name                    TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    contact_first           TEXT    NOT NULL DEFAULT '',
    contact_last            TEXT    NOT NULL DEFAULT '',
    email                   TEXT    NOT NULL DEFAULT '',
    phone                   TEXT    NOT NULL DEFAULT '',
    address1                TEXT    NOT NULL DEFAULT '',
    address2                TEXT    NOT NULL DEFAULT '',
    city                    TEXT    NOT NULL DEFAULT '',
    state                   TEXT    NOT NULL DEFAULT '',
    postal_code             TEXT    NOT NULL DEFAULT '',
    country                 TEXT    NOT NULL DEFAULT '',
    time_zone               TEXT    NOT NULL DEFAULT '',
    reference               TEXT    NOT NULL DEFAULT '',
    notes                   TEXT    NOT NULL DEFAULT '',
    disable_admin_portal    INTEGER NOT NULL DEFAULT 0,
    disable_camera_share    INTEGER NOT NULL DEFAULT 0,
    default_plan_id         INTEGER REFERENCES plans (id),
    confirm_email           INTEGER NOT NULL DEFAULT 1,
    change_password         INTEGER NOT NULL DEFAULT 1,
    status                  TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    disabled_by_parent      INTEGER NOT NULL DEFAULT 0,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL
);
CREATE INDEX customers_parent ON customers (parent_id);
CREATE INDEX customers_city ON customers (city COLLATE NOCASE, name);
CREATE INDEX customers_created ON customers (created_at, name);
CREATE INDEX customers_kind ON customers (kind, name);
CREATE INDEX customers_status ON customers (status, name);
CREATE INDEX customers_contact ON customers (contact_last COLLATE NOCASE, contact_first COLLATE NOCASE);

CREATE TABLE billing (
    customer_id     INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    same_as_company INTEGER NOT NULL DEFAULT 1,
    contact         TEXT    NOT NULL DEFAULT '',
    email           TEXT    NOT NULL DEFAULT '',
    phone           TEXT    NOT NULL DEFAULT '',
    address1        TEXT    NOT NULL DEFAULT '',
    address2        TEXT    NOT NULL DEFAULT '',
    city            TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL DEFAULT '',
    postal_code     TEXT    NOT NULL DEFAULT '',
    country         TEXT    NOT NULL DEFAULT '',
    tax_id          TEXT    NOT NULL DEFAULT '',
    tax_exempt      INTEGER NOT NULL DEFAULT 0,
    terms           TEXT    NOT NULL DEFAULT 'net30',
    plan_id         INTEGER REFERENCES plans (id)
);
CREATE INDEX billing_plan ON billing (plan_id);

CREATE TABLE cameras (
    id                          INTEGER PRIMARY KEY AUTOINCREMENT,
    name                        TEXT    NOT NULL,
    mac                         TEXT    NOT NULL UNIQUE,
    serial                      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    model                       TEXT    NOT NULL DEFAULT '',
    location                    TEXT    NOT NULL DEFAULT '',
    customer_id                 INTEGER REFERENCES customers (id),
    plan_id                     INTEGER REFERENCES plans (id),
    recording                   INTEGER NOT NULL DEFAULT 1,
    -- the recording state a camera had when its customer was disabled, restored on enable
    recording_before_disable    INTEGER,
    version                     INTEGER NOT NULL DEFAULT 1,
    created_at                  TEXT    NOT NULL,
    updated_at                  TEXT    NOT NULL
);
CREATE INDEX cameras_customer ON cameras (customer_id);
CREATE INDEX cameras_plan ON cameras (plan_id);
CREATE INDEX cameras_name ON cameras (name);

CREATE TABLE roles (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id         INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name                TEXT    NOT NULL COLLATE NOCASE,
    description         TEXT    NOT NULL DEFAULT '',
    system              TEXT    CHECK (system IN ('owner', 'admin')),
    role_type           TEXT    NOT NULL CHECK (role_type IN ('admin', 'guard')),
    all_cameras         INTEGER NOT NULL DEFAULT 1,
    perm_share          INTEGER NOT NULL DEFAULT 0,
    perm_ptz            INTEGER NOT NULL DEFAULT 0,
    perm_update_delete  INTEGER NOT NULL DEFAULT 0,
    perm_save_clip      INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    UNIQUE (customer_id, name)
);

CREATE TABLE role_cameras (
    role_id     INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    camera_id   INTEGER NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
    PRIMARY KEY (role_id, camera_id)
) WITHOUT ROWID;
CREATE INDEX role_cameras_camera ON role_cameras (camera_id);

CREATE TABLE users (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id             INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    first_name              TEXT    NOT NULL,
    last_name               TEXT    NOT NULL,
    email                   TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    password_hash           TEXT    NOT NULL,
    must_confirm_email      INTEGER NOT NULL DEFAULT 1,
    must_change_password    INTEGER NOT NULL DEFAULT 1,
    active                  INTEGER NOT NULL DEFAULT 1,
    -- set while the user is blocked because its customer is disabled
    blocked                 INTEGER NOT NULL DEFAULT 0,
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL
);
CREATE INDEX users_customer ON users (customer_id);

CREATE TABLE user_roles (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id     INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
) WITHOUT ROWID;
CREATE INDEX user_roles_role ON user_roles (role_id);

-- No foreign key to customers: entries outlive the customers they name.
CREATE TABLE audit (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT    NOT NULL,
    operator        TEXT    NOT NULL,
    client          TEXT,
    action          TEXT    NOT NULL,
    customer_id     INTEGER,
    customer_name   TEXT,
    summary         TEXT    NOT NULL,
    details         TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_customer ON audit (customer_id, id);
CREATE INDEX audit_action ON audit (action, id);

-- A deleted customer, whole, as JSON; restorable from its audit entry.
CREATE TABLE archive (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id     INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    deleted_at      TEXT    NOT NULL,
    operator        TEXT    NOT NULL,
    audit_id        INTEGER NOT NULL,
    data            TEXT    NOT NULL,
    restored_at     TEXT
);
CREATE INDEX archive_customer ON archive (customer_id);
CREATE INDEX archive_audit ON archive (audit_id);

-- The add-customer wizard's state, one per operator; never holds a password.
CREATE TABLE drafts (
    operator    TEXT    PRIMARY KEY,
    step        INTEGER NOT NULL,
    data        TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
"#;

/// The substring search index of the Customers filter (PRODUCT.md §7): `LIKE '%x%'` over the six
/// searched columns scans the whole table (32-330 ms at 100,000 customers), an FTS5 index with the
/// trigram tokenizer answers any substring of 3+ characters in 0.2-17 ms.
///
/// - External content (the rows live once, in `customers`) read through a view, because the filter
///   searches the contact as "first last", one text that is no column of `customers`; the view gives
///   `rebuild` and FTS5's own checks the same text the triggers index.
/// - `columnsize=0`: no per-row column sizes, which only ranking (bm25) needs.
/// - The triggers keep the index in step inside every writer's transaction; the update trigger fires
///   only on the searched columns, so status, version and timestamp changes cost nothing here.
/// - The trigram tokenizer folds case (Unicode-aware) by default, so the filter stays case-insensitive.
const V2: &str = r#"
CREATE VIEW customers_search AS
    SELECT id, name, contact_first || ' ' || contact_last AS contact, email, phone, city, reference
    FROM customers;

CREATE VIRTUAL TABLE customers_fts USING fts5(
    name, contact, email, phone, city, reference,
    content = 'customers_search', content_rowid = 'id', columnsize = 0, tokenize = 'trigram'
);

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, name, contact, email, phone, city, reference)
    VALUES (new.id, new.name, new.contact_first || ' ' || new.contact_last, new.email, new.phone,
            new.city, new.reference);
END;

CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, contact, email, phone, city, reference)
    VALUES ('delete', old.id, old.name, old.contact_first || ' ' || old.contact_last, old.email,
            old.phone, old.city, old.reference);
END;

CREATE TRIGGER customers_fts_update
AFTER UPDATE OF name, contact_first, contact_last, email, phone, city, reference ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, contact, email, phone, city, reference)
    VALUES ('delete', old.id, old.name, old.contact_first || ' ' || old.contact_last, old.email,
            old.phone, old.city, old.reference);
    INSERT INTO customers_fts (rowid, name, contact, email, phone, city, reference)
    VALUES (new.id, new.name, new.contact_first || ' ' || new.contact_last, new.email, new.phone,
            new.city, new.reference);
END;

-- Indexes the customers already stored (about 3 s at 100,000; once, when the store is upgraded).
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');
"#;

/// The substring search index of the Cameras filter and the index of the Cameras table's order by
/// customer. At 1,000,000 cameras `LIKE '%x%'` over the five camera columns and the customer's
/// name costs about 0.66 s a keystroke (count and page), sorting by customer 0.54 s a window.
///
/// - `cameras_fts`: FTS5, trigram tokenizer, external content read straight from `cameras` (the
///   five searched columns are columns of it), `columnsize=0` as in V2. The customer's name, the
///   sixth searched text, is already indexed in `customers_fts` (V2); the query asks both indexes.
///   It adds about 290 MB to a store of 1,000,000 cameras (five columns, 75 trigrams a camera)
///   and about 10 s of CPU to build; the update trigger fires only on the
///   searched columns, so linking, plans, recording and versions cost nothing here.
/// - `cameras_customer_name (customer_id, name)`: the cameras of one customer in the table's
///   order, so the order by customer is a walk of the customers' name index nested with this one
///   (no sort of a million rows), and the unlinked stock (`customer_id IS NULL`) is one range of
///   it. It starts with `customer_id`, so it serves the foreign key and every per-customer query
///   `cameras_customer` served; that one is dropped rather than kept twice.
const V3: &str = r#"
CREATE VIRTUAL TABLE cameras_fts USING fts5(
    name, mac, serial, model, location,
    content = 'cameras', content_rowid = 'id', columnsize = 0, tokenize = 'trigram'
);

CREATE TRIGGER cameras_fts_insert AFTER INSERT ON cameras BEGIN
    INSERT INTO cameras_fts (rowid, name, mac, serial, model, location)
    VALUES (new.id, new.name, new.mac, new.serial, new.model, new.location);
END;

CREATE TRIGGER cameras_fts_delete AFTER DELETE ON cameras BEGIN
    INSERT INTO cameras_fts (cameras_fts, rowid, name, mac, serial, model, location)
    VALUES ('delete', old.id, old.name, old.mac, old.serial, old.model, old.location);
END;

CREATE TRIGGER cameras_fts_update AFTER UPDATE OF name, mac, serial, model, location ON cameras BEGIN
    INSERT INTO cameras_fts (cameras_fts, rowid, name, mac, serial, model, location)
    VALUES ('delete', old.id, old.name, old.mac, old.serial, old.model, old.location);
    INSERT INTO cameras_fts (rowid, name, mac, serial, model, location)
    VALUES (new.id, new.name, new.mac, new.serial, new.model, new.location);
END;

-- Bulk writes (the demo fill, imports): FTS5 keeps the new terms of a transaction in memory and
-- writes them out as a segment each time they pass `hashsize` (1 MB by default), merging
-- segments `automerge` (4) at a time. At 75,000 cameras a transaction that is dozens of small
-- segments merged over and over: 64 MB and 16 halve the CPU of filling 1,000,000 cameras (the
-- memory is taken only while a transaction writes that much) and leave queries as fast.
INSERT INTO cameras_fts (cameras_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO cameras_fts (cameras_fts, rank) VALUES ('automerge', 16);
INSERT INTO customers_fts (customers_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', 16);

-- Indexes the cameras already stored (about 10 s of CPU at 1,000,000; once, on upgrade).
INSERT INTO cameras_fts (cameras_fts) VALUES ('rebuild');

CREATE INDEX cameras_customer_name ON cameras (customer_id, name);
DROP INDEX cameras_customer;
"#;

/// One plan model (issue 11): a camera records on its own plan or else on its customer's
/// **recording plan** (`customers.default_plan_id`), and the bill is the sum over the customer's
/// cameras of each camera's plan price. The separate billing plan (`billing.plan_id`) is retired:
///
/// - where a customer had no recording plan, its billing plan becomes it (what its cameras were
///   shown to record on the Cameras tab); where it had both, the recording plan stays;
/// - the column stays (SQLite cannot drop a column with a foreign key) but is emptied and no
///   longer read or written; its index goes, and one on the recording plan serves "plan in use";
/// - archived customers and wizard drafts (JSON) get the same move, so a restore or a resumed
///   draft keeps the plan; text that is not JSON is left alone;
/// - cameras in the inventory (no customer) lose their plan: a plan only means something for a
///   customer's camera, and linking one makes it follow the customer's recording plan.
const V4: &str = r#"
UPDATE customers
    SET default_plan_id = (SELECT plan_id FROM billing WHERE billing.customer_id = customers.id)
    WHERE default_plan_id IS NULL
      AND (SELECT plan_id FROM billing WHERE billing.customer_id = customers.id) IS NOT NULL;
UPDATE billing SET plan_id = NULL WHERE plan_id IS NOT NULL;
DROP INDEX billing_plan;
CREATE INDEX customers_default_plan ON customers (default_plan_id);

UPDATE archive
    SET data = json_set(data, '$.customer.profile.defaults.default_plan_id',
                        json_extract(data, '$.customer.profile.billing.plan_id'))
    WHERE json_valid(data)
      AND json_extract(data, '$.customer.profile.defaults.default_plan_id') IS NULL
      AND json_extract(data, '$.customer.profile.billing.plan_id') IS NOT NULL;
UPDATE archive SET data = json_remove(data, '$.customer.profile.billing.plan_id')
    WHERE json_valid(data) AND json_type(data, '$.customer.profile.billing.plan_id') IS NOT NULL;

UPDATE drafts
    SET data = json_set(data, '$.profile.defaults.default_plan_id',
                        json_extract(data, '$.profile.billing.plan_id'))
    WHERE json_valid(data)
      AND json_extract(data, '$.profile.defaults.default_plan_id') IS NULL
      AND json_extract(data, '$.profile.billing.plan_id') IS NOT NULL;
UPDATE drafts SET data = json_remove(data, '$.profile.billing.plan_id')
    WHERE json_valid(data) AND json_type(data, '$.profile.billing.plan_id') IS NOT NULL;

UPDATE cameras SET plan_id = NULL WHERE customer_id IS NULL AND plan_id IS NOT NULL;
"#;

/// Only a customer's camera records (issue 11): cameras in the inventory that still showed
/// `● rec` (registered recording, or returned to the inventory by a delete) stop, and remember
/// nothing from a disable. Linking one to an active customer starts it again.
const V5: &str = r#"
UPDATE cameras SET recording = 0, recording_before_disable = NULL
    WHERE customer_id IS NULL AND (recording <> 0 OR recording_before_disable IS NOT NULL);
"#;

/// The Customers filter also finds the customers of a sub-integrator by its name (issue 11): the
/// trigram index of V2 gets a seventh column, `parent`, the name of the customer's sub-integrator
/// ('' under the integrator itself). A filter stays one `MATCH` over the index, its count in the
/// index alone, as before.
///
/// - The view adds the parent's name by its primary key; the insert, delete and update triggers
///   look it up the same way (the update trigger also fires on `parent_id`, a move).
/// - Renaming a sub-integrator re-indexes its customers (the old name out, the new one in), so
///   the index always holds the parent names the view reads, which FTS5's `delete` needs.
/// - Rebuilt once on upgrade (about 3 s at 100,000 customers); the bulk settings of V3 again.
const V6: &str = r#"
DROP TRIGGER customers_fts_insert;
DROP TRIGGER customers_fts_delete;
DROP TRIGGER customers_fts_update;
DROP TABLE customers_fts;
DROP VIEW customers_search;

CREATE VIEW customers_search AS
    SELECT c.id, c.name, c.contact_first || ' ' || c.contact_last AS contact, c.email, c.phone,
           c.city, c.reference, coalesce(p.name, '') AS parent
    FROM customers c LEFT JOIN customers p ON p.id = c.parent_id;

CREATE VIRTUAL TABLE customers_fts USING fts5(
    name, contact, email, phone, city, reference, parent,
    content = 'customers_search', content_rowid = 'id', columnsize = 0, tokenize = 'trigram'
);

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, name, contact, email, phone, city, reference, parent)
    VALUES (new.id, new.name, new.contact_first || ' ' || new.contact_last, new.email, new.phone,
            new.city, new.reference,
            coalesce((SELECT name FROM customers WHERE id = new.parent_id), ''));
END;

CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, contact, email, phone, city, reference,
                               parent)
    VALUES ('delete', old.id, old.name, old.contact_first || ' ' || old.contact_last, old.email,
            old.phone, old.city, old.reference,
            coalesce((SELECT name FROM customers WHERE id = old.parent_id), ''));
END;

CREATE TRIGGER customers_fts_update
AFTER UPDATE OF name, contact_first, contact_last, email, phone, city, reference, parent_id
ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, contact, email, phone, city, reference,
                               parent)
    VALUES ('delete', old.id, old.name, old.contact_first || ' ' || old.contact_last, old.email,
            old.phone, old.city, old.reference,
            coalesce((SELECT name FROM customers WHERE id = old.parent_id), ''));
    INSERT INTO customers_fts (rowid, name, contact, email, phone, city, reference, parent)
    VALUES (new.id, new.name, new.contact_first || ' ' || new.contact_last, new.email, new.phone,
            new.city, new.reference,
            coalesce((SELECT name FROM customers WHERE id = new.parent_id), ''));
END;

CREATE TRIGGER customers_fts_parent_rename AFTER UPDATE OF name ON customers
WHEN old.name IS NOT new.name BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, name, contact, email, phone, city, reference,
                               parent)
    SELECT 'delete', k.id, k.name, k.contact_first || ' ' || k.contact_last, k.email, k.phone,
           k.city, k.reference, old.name
    FROM customers k WHERE k.parent_id = new.id;
    INSERT INTO customers_fts (rowid, name, contact, email, phone, city, reference, parent)
    SELECT k.id, k.name, k.contact_first || ' ' || k.contact_last, k.email, k.phone, k.city,
           k.reference, new.name
    FROM customers k WHERE k.parent_id = new.id;
END;

INSERT INTO customers_fts (customers_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', 16);
INSERT INTO customers_fts (customers_fts) VALUES ('rebuild');
"#;

/// Each customer's camera and user counts stored and kept by triggers, with an index each: the
/// Customers list sorted by cameras or users reads one window from the index instead of
/// counting every customer's cameras and users and sorting them all (0.13-0.33 s a page at
/// 100,000 customers).
const V7: &str = r#"
ALTER TABLE customers ADD COLUMN camera_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN user_count INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET
    camera_count = (SELECT count(*) FROM cameras WHERE customer_id = customers.id),
    user_count = (SELECT count(*) FROM users WHERE customer_id = customers.id);
CREATE INDEX customers_camera_count ON customers (camera_count, name COLLATE NOCASE);
CREATE INDEX customers_user_count ON customers (user_count, name COLLATE NOCASE);

CREATE TRIGGER cameras_count_insert AFTER INSERT ON cameras
WHEN new.customer_id IS NOT NULL BEGIN
    UPDATE customers SET camera_count = camera_count + 1 WHERE id = new.customer_id;
END;
CREATE TRIGGER cameras_count_delete AFTER DELETE ON cameras
WHEN old.customer_id IS NOT NULL BEGIN
    UPDATE customers SET camera_count = camera_count - 1 WHERE id = old.customer_id;
END;
CREATE TRIGGER cameras_count_move AFTER UPDATE OF customer_id ON cameras
WHEN old.customer_id IS NOT new.customer_id BEGIN
    UPDATE customers SET camera_count = camera_count - 1 WHERE id = old.customer_id;
    UPDATE customers SET camera_count = camera_count + 1 WHERE id = new.customer_id;
END;

CREATE TRIGGER users_count_insert AFTER INSERT ON users
WHEN new.customer_id IS NOT NULL BEGIN
    UPDATE customers SET user_count = user_count + 1 WHERE id = new.customer_id;
END;
CREATE TRIGGER users_count_delete AFTER DELETE ON users
WHEN old.customer_id IS NOT NULL BEGIN
    UPDATE customers SET user_count = user_count - 1 WHERE id = old.customer_id;
END;
CREATE TRIGGER users_count_move AFTER UPDATE OF customer_id ON users
WHEN old.customer_id IS NOT new.customer_id BEGIN
    UPDATE customers SET user_count = user_count - 1 WHERE id = old.customer_id;
    UPDATE customers SET user_count = user_count + 1 WHERE id = new.customer_id;
END;
"#;
