//! Popup pieces shared by every screen: the centred frame, compact forms drawn row by row
//! ([`FormRow`], [`draw_popup`]), the stateful [`PopupForm`] of the Cameras and Plans tabs, and
//! the Ctrl-key helpers of their key handling.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use unicode_width::UnicodeWidthStr;

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::form::{TextField, clip, display, draw_line, error_line};
use crate::ui::help::hint_line;
use crate::ui::modal::Confirm;

/// Clears and frames a box `width` wide with `rows` rows inside, centred in `area` and clamped to
/// it, its border and title in `border`; returns its inside with one column of padding, or
/// `None` when nothing fits.
pub(crate) fn popup_frame(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    rows: u16,
    title: &str,
    border: Style,
) -> Option<Rect> {
    let area = area.intersection(frame.area());
    let height = rows.saturating_add(2).min(area.height);
    let width = width.min(area.width);
    if width < 5 || height < 3 {
        return None;
    }
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let title = clip(&display(title), usize::from(width - 4)).into_owned();
    let block = Block::bordered()
        .border_style(border)
        .title(Line::styled(format!(" {title} "), border));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let padded = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    (!padded.is_empty()).then_some(padded)
}

/// Ctrl-S: saves a popup form from any field.
pub(crate) fn is_ctrl_s(key: &KeyEvent) -> bool {
    key.code == KeyCode::Char('s') && key.modifiers.contains(KeyModifiers::CONTROL)
}

/// Ctrl plus a letter, as the letter.
pub(crate) fn ctrl_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c) if key.modifiers.contains(KeyModifiers::CONTROL) => {
            Some(c.to_ascii_lowercase())
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Compact popup forms: one row per field (label, then value), an error row under a field only
// when it has one, scrolled so that the focused row is always in view.

/// One row of a popup form.
pub(crate) enum FormRow<'a> {
    Text {
        field: &'a TextField,
        focused: bool,
    },
    Check {
        label: String,
        checked: bool,
        focused: bool,
        /// Cannot be changed (drawn muted).
        locked: bool,
        note: Option<&'static str>,
        indent: u16,
    },
    /// A one-of-n choice changed with Space or Left/Right.
    Radio {
        label: &'static str,
        options: &'static [&'static str],
        selected: usize,
        focused: bool,
        locked: bool,
    },
    Heading(String),
    Error(String),
    Note(String),
}

impl FormRow<'_> {
    fn focused(&self) -> bool {
        match self {
            Self::Text { focused, .. }
            | Self::Check { focused, .. }
            | Self::Radio { focused, .. } => *focused,
            _ => false,
        }
    }

    fn label_width(&self) -> usize {
        match self {
            Self::Text { field, .. } => field.label.width() + 2,
            Self::Radio { label, .. } => label.width() + 2,
            _ => 0,
        }
    }
}

/// The hint row at the bottom of a popup, from the key map, plus Ctrl-S.
pub(crate) fn form_footer(
    keymap: &Keymap,
    theme: &Theme,
    toggles: bool,
    save: &str,
) -> Line<'static> {
    let actions: &[Action] = if toggles {
        &[
            Action::NextField,
            Action::Toggle,
            Action::Submit,
            Action::Cancel,
        ]
    } else {
        &[Action::NextField, Action::Submit, Action::Cancel]
    };
    let mut line = hint_line(keymap, &[KeyContext::Form], actions, theme);
    line.spans.push(Span::raw("  "));
    line.spans.push(Span::styled("Ctrl-S", theme.hint_key));
    line.spans
        .push(Span::styled(format!(" {save}"), theme.hint_label));
    line
}

/// A bordered popup centred in `area`, holding `rows` and the footer line.
pub(crate) fn draw_popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    title: &str,
    rows: &[FormRow<'_>],
    footer: Line<'static>,
    theme: &Theme,
) {
    let wanted = rows.len() as u16 + 2;
    let Some(inner) = popup_frame(frame, area, width, wanted, title, theme.modal_border) else {
        return;
    };
    let body_height = if inner.height > 2 {
        inner.height - 2
    } else {
        inner.height
    };
    let body = Rect::new(inner.x, inner.y, inner.width, body_height);
    draw_form(frame, body, rows, theme);
    if inner.height > 2 {
        draw_line(frame.buffer_mut(), inner, inner.bottom() - 1, &footer);
    }
}

/// Draws the rows of a form in `area`, scrolled so that the focused row (and its error) shows;
/// places the terminal cursor in the focused text field.
pub(crate) fn draw_form(frame: &mut Frame, area: Rect, rows: &[FormRow<'_>], theme: &Theme) {
    let area = area.intersection(frame.area());
    if area.is_empty() {
        return;
    }
    let label_width = rows
        .iter()
        .map(FormRow::label_width)
        .max()
        .unwrap_or(0)
        .saturating_add(theme.blank_symbol.width() + 1)
        .min(usize::from(area.width / 2)) as u16;
    let height = usize::from(area.height);
    let focus = rows.iter().position(FormRow::focused).unwrap_or(0);
    let mut end = focus + 1;
    if matches!(rows.get(end), Some(FormRow::Error(_))) {
        end += 1;
    }
    let offset = end.saturating_sub(height);
    let mut cursor = None;
    let buf = frame.buffer_mut();
    for (i, row) in rows.iter().skip(offset).take(height).enumerate() {
        let y = area.y + i as u16;
        let line_area = Rect::new(area.x, y, area.width, 1);
        match row {
            FormRow::Text { field, focused } => {
                let note = match (field.read_only, field.required) {
                    (true, _) => " (locked)",
                    (false, true) => " *",
                    (false, false) => "",
                };
                let label = label_spans(field.label, note, *focused, theme);
                let label_area = Rect::new(area.x, y, label_width, 1);
                draw_line(buf, label_area, y, &label);
                let value_area = Rect::new(
                    area.x + label_width.saturating_sub(2),
                    y,
                    area.width.saturating_sub(label_width.saturating_sub(2)),
                    1,
                );
                if let Some(p) = field.draw(buf, value_area, *focused, theme) {
                    cursor = Some(p);
                }
            }
            FormRow::Check {
                label,
                checked,
                focused,
                locked,
                note,
                indent,
            } => {
                let style = match (*locked, *focused) {
                    (true, _) => theme.muted,
                    (false, true) => theme.focus,
                    (false, false) => theme.checkbox,
                };
                let mut spans = vec![
                    Span::styled(theme.mark(theme.focus_symbol, *focused), theme.focus),
                    Span::raw(" ".repeat(usize::from(*indent))),
                    Span::styled(if *checked { "[x] " } else { "[ ] " }, style),
                    Span::styled(display(label).into_owned(), style),
                ];
                if let Some(note) = note {
                    spans.push(Span::styled(format!("  ({note})"), theme.muted));
                }
                draw_line(buf, line_area, y, &Line::from(spans));
            }
            FormRow::Radio {
                label,
                options,
                selected,
                focused,
                locked,
            } => {
                let label = label_spans(label, "", *focused, theme);
                draw_line(buf, Rect::new(area.x, y, label_width, 1), y, &label);
                let style = match (*locked, *focused) {
                    (true, _) => theme.muted,
                    (false, true) => theme.focus,
                    (false, false) => Style::new(),
                };
                let mut spans = Vec::new();
                for (n, option) in options.iter().enumerate() {
                    let dot = if n == *selected { "(•) " } else { "( ) " };
                    spans.push(Span::styled(format!("{dot}{option}   "), style));
                }
                if *locked {
                    spans.push(Span::styled("(locked)", theme.muted));
                }
                let value = Rect::new(
                    area.x + label_width,
                    y,
                    area.width.saturating_sub(label_width),
                    1,
                );
                draw_line(buf, value, y, &Line::from(spans));
            }
            FormRow::Heading(text) => {
                let line = Line::styled(display(text).into_owned(), theme.title);
                draw_line(buf, line_area, y, &line);
            }
            FormRow::Error(text) => {
                draw_line(buf, line_area, y, &error_line(text, theme));
            }
            FormRow::Note(text) => {
                let line = Line::styled(display(text).into_owned(), theme.muted);
                draw_line(buf, line_area, y, &line);
            }
        }
    }
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
}

fn label_spans(label: &str, note: &'static str, focused: bool, theme: &Theme) -> Line<'static> {
    let style = if focused { theme.focus } else { Style::new() };
    Line::from(vec![
        Span::styled(theme.mark(theme.focus_symbol, focused), theme.focus),
        Span::styled(display(label).into_owned(), style),
        Span::styled(note, theme.muted),
    ])
}

// ---------------------------------------------------------------------------------------------
// The popup form of the Cameras and Plans tabs

/// One field of a [`PopupForm`].
pub(crate) enum FormField {
    Text(TextField),
    /// One of a few options, changed with Space or Left/Right.
    Radio {
        key: &'static str,
        label: &'static str,
        options: &'static [&'static str],
        selected: usize,
    },
}

impl FormField {
    fn key(&self) -> &'static str {
        match self {
            Self::Text(t) => t.key,
            Self::Radio { key, .. } => key,
        }
    }

    fn state(&self) -> String {
        match self {
            Self::Text(t) => t.value().to_string(),
            Self::Radio { selected, .. } => selected.to_string(),
        }
    }
}

pub(crate) enum FormOutcome {
    Consumed,
    Ignored,
    /// Ctrl-S, or Enter on the last field.
    Save,
    /// Esc on an unchanged form, or "discard" confirmed.
    Close,
}

/// A popup form: one row per field (label, then value), the error under its field, a notice
/// for problems of no one field, and Esc asking before it throws typed input away.
pub(crate) struct PopupForm {
    pub(crate) title: String,
    pub(crate) fields: Vec<FormField>,
    pub(crate) errors: Vec<Option<String>>,
    pub(crate) focus: usize,
    /// A problem that is not about one field (another operator's change).
    pub(crate) notice: Option<String>,
    /// Esc on a changed form: waiting for y/N.
    asking_discard: bool,
    original: Vec<String>,
}

impl PopupForm {
    pub(crate) fn new(title: String, fields: Vec<FormField>) -> Self {
        let original = fields.iter().map(FormField::state).collect();
        Self {
            title,
            errors: vec![None; fields.len()],
            fields,
            focus: 0,
            notice: None,
            asking_discard: false,
            original,
        }
    }

    pub(crate) fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(FormField::state)
            .ne(self.original.iter().cloned())
    }

    /// The value of a text field, "" when there is none with this key.
    pub(crate) fn text(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find_map(|f| match f {
                FormField::Text(t) if t.key == key => Some(t.value()),
                _ => None,
            })
            .unwrap_or("")
    }

    /// Replaces the value of a text field when it differs.
    pub(crate) fn set_text(&mut self, key: &str, value: &str) {
        for f in &mut self.fields {
            if let FormField::Text(t) = f
                && t.key == key
                && t.value() != value
            {
                t.set_value(value);
            }
        }
    }

    /// The option chosen in a radio field, 0 when there is none with this key.
    pub(crate) fn radio(&self, key: &str) -> usize {
        self.fields
            .iter()
            .find_map(|f| match f {
                FormField::Radio {
                    key: k, selected, ..
                } if *k == key => Some(*selected),
                _ => None,
            })
            .unwrap_or(0)
    }

    pub(crate) fn clear_errors(&mut self) {
        self.errors.iter_mut().for_each(|e| *e = None);
        self.notice = None;
    }

    /// Puts `message` under the field `key` (the first message wins) and focuses the first
    /// field with a problem.
    pub(crate) fn set_error(&mut self, key: &str, message: String) {
        if let Some(i) = self.fields.iter().position(|f| f.key() == key) {
            self.errors[i].get_or_insert(message);
        } else {
            self.notice.get_or_insert(message);
        }
        if let Some(first) = self.errors.iter().position(Option::is_some) {
            self.focus = first;
        }
    }

    pub(crate) fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.asking_discard {
            return (vec![KeyContext::Modal], vec![Action::Cancel]);
        }
        (
            vec![KeyContext::Form],
            vec![
                Action::NextField,
                Action::Submit,
                Action::Save,
                Action::Cancel,
            ],
        )
    }

    pub(crate) fn handle_paste(&mut self, text: &str) {
        if self.asking_discard {
            return;
        }
        if let Some(FormField::Text(t)) = self.fields.get_mut(self.focus) {
            t.insert_str(text);
            self.errors[self.focus] = None;
        }
    }

    pub(crate) fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> FormOutcome {
        if self.asking_discard {
            self.asking_discard = false;
            let yes = matches!(key.code, KeyCode::Char('y' | 'Y'))
                && !key.modifiers.contains(KeyModifiers::CONTROL);
            return if yes {
                FormOutcome::Close
            } else {
                FormOutcome::Consumed
            };
        }
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c {
            return FormOutcome::Ignored;
        }
        let action = keymap.lookup(KeyContext::Form, key);
        match action {
            Some(Action::Save) => return FormOutcome::Save,
            Some(Action::Cancel) => {
                if self.is_dirty() {
                    self.asking_discard = true;
                    return FormOutcome::Consumed;
                }
                return FormOutcome::Close;
            }
            _ => {}
        }
        let focus = self.focus;
        let used = match self.fields.get_mut(focus) {
            Some(FormField::Text(t)) => t.handle_key(key),
            Some(FormField::Radio {
                options, selected, ..
            }) => {
                let n = options.len().max(1);
                let step = match key.code {
                    KeyCode::Left | KeyCode::Char('h') => Some(n - 1),
                    KeyCode::Right | KeyCode::Char('l') => Some(1),
                    _ if action == Some(Action::Toggle) => Some(1),
                    _ => None,
                };
                if let Some(step) = step {
                    *selected = (*selected + step) % n;
                }
                step.is_some()
            }
            None => false,
        };
        if used {
            self.errors[focus] = None;
            return FormOutcome::Consumed;
        }
        let len = self.fields.len().max(1);
        match action {
            Some(Action::NextField) => self.focus = (self.focus + 1) % len,
            Some(Action::PrevField) => self.focus = (self.focus + len - 1) % len,
            Some(Action::Submit) if self.focus + 1 >= self.fields.len() => {
                return FormOutcome::Save;
            }
            Some(Action::Submit) => self.focus += 1,
            _ => {}
        }
        FormOutcome::Consumed
    }

    pub(crate) fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let mut rows = Vec::new();
        if let Some(notice) = &self.notice {
            rows.push(FormRow::Error(notice.clone()));
        }
        for (i, f) in self.fields.iter().enumerate() {
            // The discard question has the focus while it is open.
            let focused = i == self.focus && !self.asking_discard;
            rows.push(match f {
                FormField::Text(field) => FormRow::Text { field, focused },
                FormField::Radio {
                    label,
                    options,
                    selected,
                    ..
                } => FormRow::Radio {
                    label,
                    options,
                    selected: *selected,
                    focused,
                    locked: false,
                },
            });
            if let Some(e) = &self.errors[i] {
                rows.push(FormRow::Error(e.clone()));
            }
        }
        let mut footer = hint_line(
            keymap,
            &[KeyContext::Form],
            &[Action::NextField, Action::Save, Action::Cancel],
            theme,
        );
        if self.is_dirty() {
            footer
                .spans
                .insert(0, Span::styled("• changed  ", theme.warning));
        }
        draw_popup(frame, area, 76, &self.title, &rows, footer, theme);
        if self.asking_discard {
            let text = "Discard what you typed in this form?".to_string();
            Confirm::new("Discard changes", text, ()).render(frame, area, theme, keymap);
        }
    }
}
