//! The Audit Log names records, not ids: before an entry's details are shown, each id under a
//! key that says what it is (`plan_id`, `default_plan_id`, `parent_id`, `camera_ids`, ...) is
//! replaced by that record's name as stored now, and the key loses its `_id`
//! (`defaults.default_plan_id: 4` is shown as `defaults.default_plan: Standard 30`). A record
//! deleted since is "#4 (deleted)". Where the entry already holds the names (`cameras` beside
//! `camera_ids`), the ids are left out.

use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use crate::store::Result;

/// What an id names, by the key it is stored under.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Plan,
    Customer,
    Camera,
    Role,
    User,
}

fn kind_of(key: &str) -> Option<Kind> {
    match key {
        k if k.ends_with("plan_id") => Some(Kind::Plan),
        "parent_id" | "customer_id" | "by_parent" => Some(Kind::Customer),
        "camera_id" | "camera_ids" | "relinked_camera_ids" => Some(Kind::Camera),
        "role_id" | "role_ids" => Some(Kind::Role),
        "user_id" | "user_ids" => Some(Kind::User),
        _ => None,
    }
}

/// The name of record `id` as SQLite stores it now; `None` when it is gone.
fn name_of(conn: &Connection, kind: Kind, id: i64) -> Result<Option<String>> {
    let sql = match kind {
        Kind::Plan => "SELECT name FROM plans WHERE id = ?1",
        Kind::Customer => {
            "SELECT coalesce((SELECT name FROM customers WHERE id = ?1),
                             (SELECT name || ' (deleted)' FROM archive WHERE customer_id = ?1
                              ORDER BY id DESC LIMIT 1))"
        }
        Kind::Camera => "SELECT name FROM cameras WHERE id = ?1",
        Kind::Role => "SELECT name FROM roles WHERE id = ?1",
        Kind::User => "SELECT trim(first_name || ' ' || last_name) FROM users WHERE id = ?1",
    };
    let name: Option<Option<String>> = conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(name.flatten())
}

/// Looks up the name of one record (`None`: deleted); each backend has its own.
pub(crate) type Lookup<'a> = dyn FnMut(Kind, i64) -> Result<Option<String>> + 'a;

/// `value` with every id it names replaced by a name (see the module).
fn named(lookup: &mut Lookup<'_>, kind: Kind, value: &Value) -> Result<Value> {
    Ok(match value {
        Value::Number(n) => match n.as_i64() {
            Some(id) => {
                Value::String(lookup(kind, id)?.unwrap_or_else(|| format!("#{id} (deleted)")))
            }
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| named(lookup, kind, v))
                .collect::<Result<_>>()?,
        ),
        other => other.clone(),
    })
}

/// Replaces the ids in an audit entry's details by names as the SQLite store holds them.
pub(crate) fn name_ids(conn: &Connection, details: &mut Value) -> Result<()> {
    name_ids_with(&mut |kind, id| name_of(conn, kind, id), details)
}

/// Replaces the ids in an audit entry's details by the names `lookup` finds, in place.
pub(crate) fn name_ids_with(lookup: &mut Lookup<'_>, details: &mut Value) -> Result<()> {
    match details {
        Value::Object(map) => {
            let stored = std::mem::take(map);
            let keys: Vec<String> = stored.keys().cloned().collect();
            let mut out = Map::new();
            for (key, value) in stored {
                let Some(kind) = kind_of(&key) else {
                    let mut value = value;
                    name_ids_with(lookup, &mut value)?;
                    out.insert(key, value);
                    continue;
                };
                let bare = key
                    .strip_suffix("_ids")
                    .map(|k| format!("{k}s"))
                    .or_else(|| key.strip_suffix("_id").map(str::to_string))
                    .unwrap_or_else(|| key.clone());
                // The names are there already ("cameras" beside "camera_ids").
                if bare != key && keys.contains(&bare) {
                    continue;
                }
                out.insert(bare, named(lookup, kind, &value)?);
            }
            *map = out;
        }
        Value::Array(items) => {
            for item in items {
                name_ids_with(lookup, item)?;
            }
        }
        _ => {}
    }
    Ok(())
}
