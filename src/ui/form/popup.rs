//! Popup pieces shared by every screen: the centred frame, compact forms drawn row by row
//! ([`FormRow`], [`draw_popup`]), the stateful [`PopupForm`] of the Cameras and Plans tabs, and
//! the Ctrl-key helpers of their key handling.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use unicode_width::UnicodeWidthStr;

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::form::text_field::{draw_error, error_rows};
use crate::ui::form::{TextField, clip, display, draw_line};
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

/// How a popup form lays its rows out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// A label column beside the values, one row a field (the wizard, Cameras and Plans forms).
    Inline,
    /// Each text field's label above its value; checkboxes and choices on one row (the customer
    /// view's Roles and Users forms).
    Stacked,
}

/// How wide a popup form is, at most.
const FORM_WIDTH: u16 = 76;

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
        note: Option<String>,
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

    /// Rows taken in a popup `width` columns wide inside: a message wraps (see
    /// [`error_rows`]).
    fn height(&self, layout: Layout, width: u16) -> u16 {
        match (self, layout) {
            (Self::Text { .. }, Layout::Stacked) => 2,
            (Self::Error(text), _) => error_rows(Some(text), width).max(1),
            _ => 1,
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

/// A bordered popup centred in `area` holding `rows`, scrolled so that the focused row (and an
/// error right under it) shows, and the footer line; places the terminal cursor in the focused
/// text field.
pub(crate) fn draw_popup(
    frame: &mut Frame,
    area: Rect,
    layout: Layout,
    title: &str,
    rows: &[FormRow<'_>],
    footer: Line<'static>,
    theme: &Theme,
) {
    // The inside of the frame `popup_frame` draws: border and padding off the clamped width.
    let inner_width = FORM_WIDTH
        .min(area.intersection(frame.area()).width)
        .saturating_sub(4);
    let height = |row: &FormRow<'_>| row.height(layout, inner_width);
    let total: u16 = rows.iter().map(height).sum();
    let wanted = total.saturating_add(2);
    let Some(inner) = popup_frame(frame, area, FORM_WIDTH, wanted, title, theme.modal_border)
    else {
        return;
    };
    if inner.height > 2 {
        draw_line(frame.buffer_mut(), inner, inner.bottom() - 1, &footer);
    }
    let body_rows = inner.height.saturating_sub(2).max(1);
    let focus = rows.iter().position(FormRow::focused).unwrap_or(0);
    let mut end: u16 = rows.iter().take(focus + 1).map(height).sum();
    if let Some(error @ FormRow::Error(_)) = rows.get(focus + 1) {
        end += height(error);
    }
    let skip = end.saturating_sub(body_rows);
    let label_width = rows
        .iter()
        .map(FormRow::label_width)
        .max()
        .unwrap_or(0)
        .saturating_add(theme.blank_symbol.width() + 1)
        .min(usize::from(inner.width / 2)) as u16;
    let mut y = 0u16;
    let mut cursor = None;
    for row in rows {
        let h = height(row);
        if y < skip {
            y += h;
            continue;
        }
        let top = inner.y + (y - skip);
        let room = (inner.y + body_rows).saturating_sub(top);
        // A message may take the rows left, its last one ending in "…"; other rows fit whole.
        let fits = h <= room || (matches!(row, FormRow::Error(_)) && room > 0);
        if !fits {
            break;
        }
        let rect = Rect::new(inner.x, top, inner.width, h.min(room));
        let buf = frame.buffer_mut();
        if let Some(p) = draw_row(buf, rect, row, layout, label_width, theme) {
            cursor = Some(p);
        }
        y += h;
    }
    if let Some(p) = cursor.filter(|p| inner.contains(*p)) {
        frame.set_cursor_position(p);
    }
}

/// Draws one row of a form in `rect`; where the cursor belongs when it is a focused text field.
#[allow(clippy::too_many_lines)] // issue 12: split with the popup engine
fn draw_row(
    buf: &mut Buffer,
    rect: Rect,
    row: &FormRow<'_>,
    layout: Layout,
    label_width: u16,
    theme: &Theme,
) -> Option<Position> {
    let y = rect.y;
    match row {
        FormRow::Text { field, focused } if layout == Layout::Stacked => {
            return field.draw(buf, rect, *focused, theme);
        }
        FormRow::Text { field, focused } => {
            let note = match (field.read_only, field.required) {
                (true, _) => " (locked)",
                (false, true) => " *",
                (false, false) => "",
            };
            let label = label_spans(field.label, note, *focused, theme);
            draw_line(buf, Rect::new(rect.x, y, label_width, 1), y, &label);
            let value_x = rect.x + label_width.saturating_sub(2);
            let value = Rect::new(value_x, y, rect.right().saturating_sub(value_x), 1);
            return field.draw(buf, value, *focused, theme);
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
            let mark = Span::styled(theme.mark(theme.focus_symbol, *focused), theme.focus);
            let indent = Span::raw(" ".repeat(usize::from(*indent)));
            let mut spans = match layout {
                Layout::Inline => vec![mark, indent],
                Layout::Stacked => vec![indent, mark],
            };
            spans.push(Span::styled(if *checked { "[x] " } else { "[ ] " }, style));
            spans.push(Span::styled(display(label).into_owned(), style));
            if let Some(note) = note {
                spans.push(Span::styled(format!("  ({note})"), theme.muted));
            }
            draw_line(buf, rect, y, &Line::from(spans));
        }
        FormRow::Radio {
            label,
            options,
            selected,
            focused,
            locked,
        } => {
            let style = match (*locked, *focused) {
                (true, _) => theme.muted,
                (false, true) => theme.focus,
                (false, false) => Style::new(),
            };
            let mut spans = Vec::new();
            let (value, gap) = match layout {
                Layout::Inline => {
                    let label = label_spans(label, "", *focused, theme);
                    draw_line(buf, Rect::new(rect.x, y, label_width, 1), y, &label);
                    let value_x = rect.x + label_width;
                    let value = Rect::new(value_x, y, rect.right().saturating_sub(value_x), 1);
                    (value, "   ")
                }
                Layout::Stacked => {
                    spans.push(Span::styled(
                        theme.mark(theme.focus_symbol, *focused),
                        theme.focus,
                    ));
                    spans.push(Span::styled(format!("{label}: "), style));
                    (rect, "  ")
                }
            };
            for (n, option) in options.iter().enumerate() {
                let dot = if n == *selected { "(•) " } else { "( ) " };
                spans.push(Span::styled(format!("{dot}{option}{gap}"), style));
            }
            if *locked {
                spans.push(Span::styled("(locked)", theme.muted));
            }
            draw_line(buf, value, y, &Line::from(spans));
        }
        FormRow::Heading(text) => {
            draw_line(
                buf,
                rect,
                y,
                &Line::styled(display(text).into_owned(), theme.title),
            );
        }
        FormRow::Error(text) => draw_error(buf, rect, y, text, theme),
        FormRow::Note(text) => {
            draw_line(
                buf,
                rect,
                y,
                &Line::styled(display(text).into_owned(), theme.muted),
            );
        }
    }
    None
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
    /// Esc on a changed form asks before it throws typed input away (else it closes).
    pub(crate) asks_discard: bool,
    /// The footer names Ctrl-S with this word instead of marking a changed form.
    pub(crate) save_word: Option<&'static str>,
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
            asks_discard: true,
            save_word: None,
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
                if self.asks_discard && self.is_dirty() {
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

    fn footer(&self, theme: &Theme, keymap: &Keymap) -> Line<'static> {
        if let Some(word) = self.save_word {
            return form_footer(keymap, theme, false, word);
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
        footer
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
        let footer = self.footer(theme, keymap);
        draw_popup(
            frame,
            area,
            Layout::Inline,
            &self.title,
            &rows,
            footer,
            theme,
        );
        if self.asking_discard {
            let text = "Discard what you typed in this form?".to_string();
            Confirm::new("Discard changes", text, ()).render(frame, area, theme, keymap);
        }
    }
}
