//! The full audit entry in a scrollable popup: who, when, what, and the recorded details made
//! readable — per changed field "phone: +1 555 0100 → +1 555 0199" when the entry holds a
//! `before` and an `after`, the values otherwise. Shared by the Audit Log tab and the Logs pane.

use jiff::tz::TimeZone;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use serde_json::Value;

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::store::views::AuditEntryFull;
use crate::theme::{COLOR, Theme};
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::{clip, display, draw_line};
use crate::ui::modal::wrap;

/// Width of the label column of the header rows.
const LABEL: usize = 10;

/// The popup's state: the entry and how far it is scrolled.
#[derive(Debug, Clone)]
pub struct EntryDetail {
    pub full: AuditEntryFull,
    scroll: usize,
    /// Rows shown and rows in all at the last draw, for paging and clamping.
    page: usize,
    rows: usize,
    /// The zone its times are shown in.
    tz: TimeZone,
}

impl EntryDetail {
    pub fn new(full: AuditEntryFull, tz: TimeZone) -> Self {
        Self {
            full,
            scroll: 0,
            page: 10,
            rows: usize::MAX,
            tz,
        }
    }

    /// Scrolls for a list movement; false for actions that are not one.
    pub fn apply(&mut self, action: Action) -> bool {
        let last = self.rows.saturating_sub(self.page);
        self.scroll = match action {
            Action::Up => self.scroll.saturating_sub(1),
            Action::Down => self.scroll + 1,
            Action::PageUp => self.scroll.saturating_sub(self.page.max(1)),
            Action::PageDown => self.scroll + self.page.max(1),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        }
        .min(last);
        true
    }
}

/// One logical line of the popup before wrapping.
enum Item {
    Field(&'static str, String),
    Title(&'static str),
    Text(String),
    Blank,
}

impl EntryDetail {
    /// Before drawing over `area`: how many lines the entry takes and how many fit, for
    /// paging and clamping the scroll.
    pub fn fit(&mut self, area: Rect, tz: &TimeZone) {
        let Some((_, inner)) = geometry(area) else {
            return;
        };
        let lines = layout_lines(&items(&self.full, tz), usize::from(inner.width), &COLOR);
        let body_rows = usize::from(inner.height.saturating_sub(1));
        self.page = body_rows.max(1);
        self.rows = lines.len();
        self.scroll = self.scroll.min(lines.len().saturating_sub(body_rows));
    }

    /// A key while the popup is open: Esc, Enter (and Open) close it ([`Effect::Back`]), the
    /// movement keys scroll; `R` is for the Audit Log tab ([`Effect::Ignored`]). The popup
    /// takes every other key, so nothing under it acts unseen.
    pub fn key(&mut self, action: Option<Action>) -> Effect {
        match action {
            Some(Action::Cancel | Action::Confirm | Action::Open) => Effect::Back(None),
            Some(Action::Restore) => Effect::Ignored,
            Some(a) => {
                self.apply(a);
                Effect::Done
            }
            None => Effect::Done,
        }
    }
}

impl Component for EntryDetail {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        render_entry_detail(frame, area, self, &self.tz, theme, keymap, None);
    }

    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Modal, KeyContext::List]
    }

    fn handle_key(&mut self, _key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        self.key(action)
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (
            vec![KeyContext::Modal, KeyContext::List],
            vec![Action::Down, Action::PageDown, Action::Cancel],
        )
    }
}

/// The popup over `area` and the rows inside its border and margins; `None` when too small.
fn geometry(area: Rect) -> Option<(Rect, Rect)> {
    let width = area.width.saturating_sub(4).clamp(area.width.min(20), 100);
    let height = area.height.saturating_sub(2).max(area.height.min(3));
    if width < 8 || height < 3 {
        return None;
    }
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let inner = Block::bordered().inner(popup);
    let inner = Rect::new(
        inner.x.saturating_add(1),
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    Some((popup, inner))
}

/// Draws the entry in a popup centred over `area`, scrolled as [`EntryDetail::fit`] left it;
/// never panics at any size.
pub fn render_entry_detail(
    frame: &mut Frame,
    area: Rect,
    detail: &EntryDetail,
    tz: &TimeZone,
    theme: &Theme,
    keymap: &Keymap,
    extra_footer: Option<&str>,
) {
    let area = area.intersection(frame.area());
    let Some((popup, inner)) = geometry(area) else {
        return;
    };
    let title = format!(" Audit entry #{} ", detail.full.entry.id);
    let block = Block::bordered()
        .border_style(theme.modal_border)
        .title(Line::styled(title, theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.is_empty() {
        return;
    }
    let lines = layout_lines(&items(&detail.full, tz), usize::from(inner.width), theme);
    let body_rows = usize::from(inner.height.saturating_sub(1));
    let scroll = detail.scroll.min(lines.len().saturating_sub(body_rows));
    let buf = frame.buffer_mut();
    for (i, line) in lines.iter().skip(scroll).take(body_rows).enumerate() {
        draw_line(buf, inner, inner.y + i as u16, line);
    }
    let mut footer = String::new();
    if lines.len() > body_rows {
        let last = (scroll + body_rows).min(lines.len());
        footer.push_str(&format!(
            "lines {}-{last} of {} · ↑/↓ PgUp/PgDn scroll · ",
            scroll + 1,
            lines.len()
        ));
    }
    if let Some(extra) = extra_footer {
        footer.push_str(extra);
        footer.push_str(" · ");
    }
    footer.push_str(&close_keys(keymap));
    let footer = Line::styled(
        clip(&footer, usize::from(inner.width)).into_owned(),
        theme.muted,
    );
    draw_line(buf, inner, inner.bottom() - 1, &footer);
}

/// "Esc/Enter close", from the key map.
fn close_keys(keymap: &Keymap) -> String {
    let keys: Vec<String> = [Action::Cancel, Action::Confirm]
        .into_iter()
        .flat_map(|a| keymap.keys_for(KeyContext::Modal, a))
        .map(|k| k.to_string())
        .collect();
    format!("{} close", keys.join("/"))
}

/// The stored time in `tz` as "2024-05-01 11:30 CEST"; anything unparsable as stored.
pub fn local_time(at: &str, tz: &TimeZone, with_zone: bool) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let format = if with_zone {
                "%Y-%m-%d %H:%M:%S %Z"
            } else {
                "%Y-%m-%d %H:%M"
            };
            t.to_zoned(tz.clone()).strftime(format).to_string()
        }
        Err(_) => display(at).into_owned(),
    }
}

fn items(full: &AuditEntryFull, tz: &TimeZone) -> Vec<Item> {
    let e = &full.entry;
    let mut out = vec![
        Item::Field("Time", local_time(&e.at, tz, true)),
        Item::Field("Operator", operator_label(&e.operator, e.client.as_deref())),
        Item::Field("Action", display(&e.action).into_owned()),
    ];
    if let Some(name) = &e.customer_name {
        let id = e
            .customer_id
            .map(|i| format!(" (#{i})"))
            .unwrap_or_default();
        out.push(Item::Field("Customer", format!("{}{id}", display(name))));
    }
    out.push(Item::Field("Summary", display(&e.summary).into_owned()));
    details_items(&full.details, &mut out);
    out
}

/// "alice@10.0.0.5", or the login alone; made safe to draw.
pub fn operator_label(login: &str, client: Option<&str>) -> String {
    match client.filter(|c| !c.is_empty()) {
        Some(c) => display(&format!("{login}@{c}")).into_owned(),
        None => display(login).into_owned(),
    }
}

fn details_items(details: &Value, out: &mut Vec<Item>) {
    let Value::Object(map) = details else {
        if !details.is_null() {
            section(out, "Details");
            out.push(Item::Text(scalar(details)));
        }
        return;
    };
    let before = map.get("before");
    let after = map.get("after");
    match (before, after) {
        (Some(b), Some(a)) => {
            section(out, "Changes (before → after)");
            let mut changes = Vec::new();
            diff("", b, a, &mut changes);
            if changes.is_empty() {
                out.push(Item::Text("nothing changed".into()));
            }
            out.extend(changes.into_iter().map(Item::Text));
        }
        (Some(b), None) => leaves_section(out, "Before", b),
        (None, Some(a)) => leaves_section(out, "Values", a),
        (None, None) => {}
    }
    let rest: Vec<(&String, &Value)> = map
        .iter()
        .filter(|(k, _)| *k != "before" && *k != "after")
        .collect();
    if !rest.is_empty() {
        section(out, "Details");
        for (k, v) in rest {
            let mut lines = Vec::new();
            leaves(&display(k), v, &mut lines);
            out.extend(lines.into_iter().map(Item::Text));
        }
    }
}

fn section(out: &mut Vec<Item>, title: &'static str) {
    out.push(Item::Blank);
    out.push(Item::Title(title));
}

fn leaves_section(out: &mut Vec<Item>, title: &'static str, value: &Value) {
    section(out, title);
    let mut lines = Vec::new();
    leaves("", value, &mut lines);
    out.extend(lines.into_iter().map(Item::Text));
}

/// "path: before → after" for every leaf that differs.
fn diff(prefix: &str, b: &Value, a: &Value, out: &mut Vec<String>) {
    match (b, a) {
        (Value::Object(bo), Value::Object(ao)) => {
            let keys = bo.keys().chain(ao.keys().filter(|k| !bo.contains_key(*k)));
            for k in keys {
                let path = join(prefix, &display(k));
                diff(
                    &path,
                    bo.get(k).unwrap_or(&Value::Null),
                    ao.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        _ if b != a => out.push(format!("{prefix}: {} → {}", scalar(b), scalar(a))),
        _ => {}
    }
}

/// "path: value" for every leaf that holds something.
fn leaves(prefix: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Null => {}
        Value::String(s) if s.is_empty() => {}
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(&join(prefix, &display(k)), v, out);
            }
        }
        _ if prefix.is_empty() => out.push(scalar(v)),
        _ => out.push(format!("{prefix}: {}", scalar(v))),
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// A value as an operator reads it: text unquoted, "(empty)", "none", "yes"/"no", lists joined.
fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) => display(s).into_owned(),
        Value::Array(items) if items.is_empty() => "(none)".into(),
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Value::Object(_) => display(&v.to_string()).into_owned(),
    }
}

/// The items broken into screen lines of at most `width` columns; continuation lines indented.
fn layout_lines(items: &[Item], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for item in items {
        match item {
            Item::Blank => lines.push(Line::default()),
            Item::Title(t) => lines.push(Line::styled(*t, theme.title)),
            Item::Field(label, value) => {
                let room = width.saturating_sub(LABEL + 1);
                for (i, part) in wrap(value, room.max(1)).into_iter().enumerate() {
                    let label = if i == 0 { *label } else { "" };
                    lines.push(Line::from(vec![
                        Span::styled(format!("{label:<LABEL$} "), theme.muted),
                        Span::raw(part),
                    ]));
                }
            }
            Item::Text(text) => {
                for (i, part) in wrap(text, width.saturating_sub(4).max(1))
                    .into_iter()
                    .enumerate()
                {
                    let indent = if i == 0 { "  " } else { "    " };
                    lines.push(Line::from(vec![
                        Span::raw(indent),
                        Span::styled(part, Style::new()),
                    ]));
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_change_reads_as_before_and_after() {
        let mut out = Vec::new();
        diff(
            "",
            &json!({"contact": {"phone": "+1 555 0100", "city": "Paris"}, "notes": ""}),
            &json!({"contact": {"phone": "+1 555 0199", "city": "Paris"}, "notes": "gate"}),
            &mut out,
        );
        assert_eq!(
            out,
            [
                "contact.phone: +1 555 0100 → +1 555 0199",
                "notes: (empty) → gate"
            ]
        );
    }

    #[test]
    fn escapes_in_stored_text_are_made_visible() {
        let mut out = Vec::new();
        leaves("", &json!({"name": "a\u{1b}[2Jb"}), &mut out);
        assert_eq!(out, ["name: a\\u{1b}[2Jb"]);
    }
}
