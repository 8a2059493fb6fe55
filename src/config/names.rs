//! The names a configuration writes: contexts, actions and colours.

use ratatui::style::Color;

use crate::action::{Action, KeyContext};

/// The serde name of a context (`list`, `form`, ...).
pub fn context_name(ctx: KeyContext) -> String {
    serde_json::to_value(ctx)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An action by its serde name (`save`, `quit`, `page_down`); `tab1`..`tab4` for the top tabs,
/// `step1`..`step8` for the wizard's steps; `none` (or an empty string) unbinds the key.
pub fn parse_action(name: &str) -> Result<Option<Action>, String> {
    let name = name.trim();
    if name.is_empty() || name == "none" {
        return Ok(None);
    }
    if let Some(n) = name.strip_prefix("tab")
        && let Ok(n) = n.parse::<u8>()
        && (1..=4).contains(&n)
    {
        return Ok(Some(Action::Tab(n - 1)));
    }
    if let Some(n) = name.strip_prefix("step")
        && let Ok(n) = n.parse::<u8>()
        && (1..=8).contains(&n)
    {
        return Ok(Some(Action::GoToStep(n)));
    }
    serde_json::from_value::<Action>(serde_json::Value::String(name.to_string()))
        .map(Some)
        .map_err(|_| format!("unknown action {name:?}"))
}

/// The name of an action as a configuration writes it.
pub fn action_name(action: Action) -> String {
    match action {
        Action::Tab(n) => format!("tab{}", n + 1),
        Action::GoToStep(n) => format!("step{n}"),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("{other:?}")),
    }
}

/// A colour by name: the 16 ANSI names (`red`, `lightblue`, `darkgray`...), `#rrggbb` or an
/// index 0-255, as ratatui reads them.
pub fn parse_color(name: &str) -> Option<Color> {
    name.trim().parse::<Color>().ok()
}
