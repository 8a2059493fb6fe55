//! One configuration file parsed and laid over a [`Config`]: the raw TOML shape, the checks of
//! each value, and the file, line and key an error names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{Config, ConfigError, Setting, Source, context_name, parse_action, parse_color};
use crate::action::KeyContext;
use crate::keymap::KeyBinding;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    store: Option<Spanned<PathBuf>>,
    password_file: Option<Spanned<PathBuf>>,
    group: Option<Spanned<String>>,
    read_only: Option<bool>,
    mouse: Option<bool>,
    no_color: Option<bool>,
    theme: Option<RawTheme>,
    keys: Option<RawKeys>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    accent: Option<Spanned<String>>,
    danger: Option<Spanned<String>>,
    ok: Option<Spanned<String>>,
    warning: Option<Spanned<String>>,
    selected: Option<Spanned<String>>,
}

type RawBindings = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeys {
    global: Option<RawBindings>,
    list: Option<RawBindings>,
    customer: Option<RawBindings>,
    form: Option<RawBindings>,
    modal: Option<RawBindings>,
    wizard: Option<RawBindings>,
}

/// A `postgres://` store with a password in it is refused at its line, as on the command line
/// (the password belongs in PGPASSWORD or ~/.pgpass).
fn check_store_url(path: &Path, text: &str, store: &Spanned<PathBuf>) -> Result<(), ConfigError> {
    if let Some(url) = store.get_ref().to_str()
        && crate::store::pg::is_postgres(url)
        && let Err(e) = crate::store::pg::Location::parse(url)
    {
        return Err(ConfigError::at(
            path,
            text,
            store.span().start,
            "store",
            e.to_string(),
        ));
    }
    Ok(())
}

/// Parses one file and lays its settings over `config`.
/// A `group` value: a system group's name (letters, digits, `.`, `_`, `-`).
fn group_name(path: &Path, text: &str, group: &Spanned<String>) -> Result<String, ConfigError> {
    let name = group.get_ref().trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(ConfigError::at(
            path,
            text,
            group.span().start,
            "group",
            format!("{:?} is not a group name", group.get_ref()),
        ));
    }
    Ok(name.to_string())
}

pub(super) fn apply(
    config: &mut Config,
    path: &Path,
    text: &str,
    source: Source,
) -> Result<(), ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        ConfigError::at(
            path,
            text,
            offset,
            &key_at(text, offset),
            e.message().trim(),
        )
    })?;
    if let Some(store) = raw.store {
        check_store_url(path, text, &store)?;
        config.store.set(Some(store.into_inner()), source.clone());
    }
    if let Some(file) = raw.password_file {
        config
            .password_file
            .set(Some(file.into_inner()), source.clone());
    }
    if let Some(group) = raw.group {
        config
            .group
            .set(Some(group_name(path, text, &group)?), source.clone());
    }
    if let Some(v) = raw.read_only {
        config.read_only.set(v, source.clone());
    }
    if let Some(v) = raw.mouse {
        config.mouse.set(v, source.clone());
    }
    if let Some(v) = raw.no_color {
        config.no_color.set(v, source.clone());
    }
    if let Some(theme) = raw.theme {
        let entries = [
            ("accent", theme.accent),
            ("danger", theme.danger),
            ("ok", theme.ok),
            ("warning", theme.warning),
            ("selected", theme.selected),
        ];
        for (name, value) in entries {
            let Some(value) = value else { continue };
            let color = parse_color(value.get_ref()).ok_or_else(|| {
                ConfigError::at(
                    path,
                    text,
                    value.span().start,
                    &format!("theme.{name}"),
                    format!(
                        "unknown colour {:?}; use an ANSI colour name like red, lightblue or darkgray",
                        value.get_ref()
                    ),
                )
            })?;
            config.theme.insert(
                name.to_string(),
                Setting {
                    value: color,
                    source: source.clone(),
                },
            );
        }
    }
    if let Some(keys) = raw.keys {
        let tables = [
            (KeyContext::Global, keys.global),
            (KeyContext::List, keys.list),
            (KeyContext::Customer, keys.customer),
            (KeyContext::Form, keys.form),
            (KeyContext::Modal, keys.modal),
            (KeyContext::Wizard, keys.wizard),
        ];
        for (ctx, table) in tables {
            for (key, action) in table.into_iter().flatten() {
                let ctx_name = context_name(ctx);
                let full = format!("keys.{ctx_name}.{}", key.get_ref());
                let binding = KeyBinding::parse(key.get_ref())
                    .map_err(|m| ConfigError::at(path, text, key.span().start, &full, m))?;
                let action_value = parse_action(action.get_ref())
                    .map_err(|m| ConfigError::at(path, text, action.span().start, &full, m))?;
                config.keys.push((
                    ctx,
                    key.get_ref().clone(),
                    binding,
                    action_value,
                    source.clone(),
                ));
            }
        }
    }
    Ok(())
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The dotted key at a byte offset: the table header above it, and the key on its line.
fn key_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[line_start..line_end].trim();
    let header = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']'))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    if line.starts_with('[') {
        return line
            .trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_string();
    }
    let key = line
        .split_once('=')
        .map_or(line, |(k, _)| k)
        .trim()
        .trim_matches('"');
    match header {
        Some(h) if !key.is_empty() => format!("{h}.{key}"),
        Some(h) => h,
        None if key.is_empty() => "(file)".to_string(),
        None => key.to_string(),
    }
}
