//! The pieces the Roles and Users panes share: the table with its selection, the footer of
//! keys, the one-time notice, the popup form footer and the error line.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::scroll::TableScroll;

use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::TextField;
use crate::ui::form::paged::step;
use crate::ui::form::{display, draw_line};
use crate::ui::help::hint_line;
use crate::ui::modal::{dialog_text_width, render_box, wrap_paragraphs};
use crate::ui::table::{column_widths, fit_cell};

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// Selection and scroll of a table of `len` rows.
#[derive(Debug, Clone, Default)]
pub(super) struct TablePos {
    scroll: TableScroll,
    len: usize,
    /// Rows shown at the last draw, for PgUp/PgDn.
    page: std::cell::Cell<usize>,
}

impl TablePos {
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        let at = self.scroll.selected().unwrap_or(0);
        self.scroll.select((len > 0).then(|| at.min(len - 1)));
    }

    pub fn selected(&self) -> Option<usize> {
        self.scroll.selected().filter(|i| *i < self.len)
    }

    pub fn select(&mut self, i: usize) {
        self.scroll
            .select((self.len > 0).then(|| i.min(self.len - 1)));
    }

    /// Applies a list movement; false when `action` is not one.
    pub fn apply(&mut self, action: Action) -> bool {
        let last = self.len.saturating_sub(1);
        let now = self.scroll.selected().unwrap_or(0);
        let Some(next) = step(now, last, self.page.get().max(1), action) else {
            return false;
        };
        self.select(next);
        true
    }
}

/// A table of already sanitised cells with a footer line under it: the rows of the
/// [`TablePos`] it is drawn with.
pub(super) struct TableSpec<'a> {
    pub header: &'a [&'a str],
    pub widths: &'a [Constraint],
    pub rows: Vec<Vec<(String, Style)>>,
    pub footer: Line<'static>,
}

pub(super) fn draw_table(
    frame: &mut Frame,
    area: Rect,
    spec: TableSpec<'_>,
    pos: &TablePos,
    theme: &Theme,
) {
    let TableSpec {
        header,
        widths,
        rows,
        footer,
    } = spec;
    let area = area.intersection(frame.area());
    if area.is_empty() {
        return;
    }
    draw_line(frame.buffer_mut(), area, area.bottom() - 1, &footer);
    let body = Rect::new(area.x, area.y, area.width, area.height - 1);
    if body.is_empty() {
        return;
    }
    pos.page
        .set(usize::from(body.height.saturating_sub(1)).max(1));
    // The selected row's highlight symbol takes its width from the columns.
    let symbol = match pos.scroll.selected() {
        Some(_) => Span::raw(theme.selection_symbol).width() as u16,
        None => 0,
    };
    let fitted = column_widths(widths, body.width.saturating_sub(symbol), 1);
    let header = Row::new(header.iter().map(|h| Cell::from(*h))).style(theme.table.header);
    let rows =
        rows.into_iter().map(|cells| {
            Row::new(cells.into_iter().enumerate().map(|(n, (text, style))| {
                Cell::from(Span::styled(fit_cell(&text, &fitted, n), style))
            }))
        });
    let table = Table::new(rows, widths.to_vec())
        .header(header)
        .style(theme.table.row)
        .row_highlight_style(theme.table.selected)
        .highlight_symbol(theme.selection_symbol);
    pos.scroll.render(frame, table, body);
}

/// The pane's own keys for the footer, from the key map where an action exists, plus extras
/// such as `u assign users` that have none yet.
pub(super) fn keys_line(
    keymap: &Keymap,
    actions: &[Action],
    extra: &[(&str, &str)],
    lead: String,
    theme: &Theme,
) -> Line<'static> {
    let mut line = Line::from(Span::styled(lead, theme.muted));
    let hints = hint_line(keymap, &[KeyContext::List], actions, theme);
    for span in hints.spans {
        if line.spans.len() == 1 {
            line.spans.push(Span::raw("  "));
        }
        line.spans.push(span);
    }
    for (key, label) in extra {
        line.spans.push(Span::raw("  "));
        line.spans
            .push(Span::styled(key.to_string(), theme.hint_key));
        line.spans.push(Span::raw(" "));
        line.spans
            .push(Span::styled(label.to_string(), theme.hint_label));
    }
    line
}

/// A message in paragraphs (the one-time password); Enter or Esc closes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Notice {
    pub title: String,
    pub paragraphs: Vec<String>,
}

impl Notice {
    /// True when the key's action (in the Modal context) closes it.
    pub fn closes(action: Option<Action>) -> bool {
        matches!(action, Some(Action::Confirm | Action::Cancel))
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let body = wrap_paragraphs(&self.paragraphs, dialog_text_width(area));
        let footer = hint_line(
            keymap,
            &[KeyContext::Modal],
            &[Action::Confirm, Action::Cancel],
            theme,
        );
        render_box(
            frame,
            area,
            &self.title,
            &body,
            None,
            footer,
            theme.modal_border,
        );
    }
}

/// A store error as one safe line.
pub(super) fn error_text(e: &StoreError) -> String {
    display(&e.to_string()).into_owned()
}

/// The hint of a pane's popup form.
pub(super) fn form_hint() -> (Vec<KeyContext>, Vec<Action>) {
    (
        vec![KeyContext::Form],
        vec![
            Action::NextField,
            Action::PrevField,
            Action::Toggle,
            Action::Save,
            Action::Cancel,
        ],
    )
}

/// A paste into a pane: into the focused text field of its form, swallowed by any other popup
/// (`popup_open`), left to the view when no popup is open.
pub(super) fn paste(popup_open: bool, field: Option<&mut TextField>, text: &str) -> Effect {
    if let Some(field) = field {
        field.insert_str(text);
    }
    if popup_open {
        Effect::Done
    } else {
        Effect::Ignored
    }
}

/// What the Roles and Users panes share: a table of records to add, edit and remove, and a
/// popup (form, question, notice) that takes every key while it is open. A pane says what is
/// its own; the defaults and [`record_list_component`] do the rest for both.
pub(super) trait RecordList {
    fn pos_mut(&mut self) -> &mut TablePos;
    fn popup_open(&self) -> bool;
    /// An open popup's answer to a key: it takes every key.
    fn popup_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect;
    /// The open popup's hint.
    fn popup_hint(&self) -> (Vec<KeyContext>, Vec<Action>);
    /// Unsaved input in the open popup.
    fn popup_dirty(&self) -> bool;
    /// The focused text field of an open form, for a paste.
    fn form_field(&mut self) -> Option<&mut TextField>;
    /// The pane's own keys beyond add, edit and remove; `None` for the others.
    fn own_action(&mut self, key: &KeyEvent, action: Action, ctx: &mut Ctx) -> Option<Effect>;
    /// Opens the form on a new record, or on the selected one (`edit`).
    fn open_record(&mut self, edit: bool) -> Effect;
    /// Asks whether to remove the selected record.
    fn ask_remove(&mut self, ctx: &mut Ctx) -> Effect;
    /// The store is read-only: the list offers no change.
    fn read_only(&self) -> bool;
    /// The open popup when it is the record's form.
    fn form_mut(&mut self) -> Option<&mut dyn Component>;
    fn close_popup(&mut self);
    /// Saves what the open form holds (it stays open, with the reason, when refused).
    fn save_record(&mut self, ctx: &mut Ctx) -> Effect;

    /// The open form's answer to a key: asked to save, cancelled, or typing.
    fn form_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(form) = self.form_mut() else {
            return Effect::Ignored;
        };
        match form.handle_key(key, action, ctx) {
            Effect::Answered(true) => return self.save_record(ctx),
            Effect::Answered(false) => self.close_popup(),
            _ => {}
        }
        Effect::Done
    }

    /// The list's keys, with no popup open: movement, then add, edit and remove.
    fn list_action(&mut self, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(action) = action else {
            return Effect::Ignored;
        };
        if self.pos_mut().apply(action) {
            return Effect::Done;
        }
        match action {
            Action::Add | Action::New => self.open_record(false),
            Action::Edit | Action::Open => self.open_record(true),
            Action::Delete => self.ask_remove(ctx),
            _ => Effect::Ignored,
        }
    }

    /// [`Component::handle_key`]: the popup first, then the pane's own keys, then the list's.
    fn record_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        if self.popup_open() {
            return self.popup_key(key, action, ctx);
        }
        if let Some(action) = action
            && let Some(effect) = self.own_action(key, action, ctx)
        {
            return effect;
        }
        self.list_action(action, ctx)
    }

    /// [`Component::handle_paste`]: into the open form's text field.
    fn record_paste(&mut self, text: &str) -> Effect {
        let open = self.popup_open();
        paste(open, self.form_field(), text)
    }

    /// [`Component::hint`].
    fn record_hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.popup_open() {
            return self.popup_hint();
        }
        let mut actions = vec![Action::Up, Action::Down];
        if !self.read_only() {
            actions.extend([Action::Add, Action::Edit, Action::Delete]);
        }
        (vec![KeyContext::List], actions)
    }

    /// [`Component::is_write`]: Enter on a record opens its form, as `e` does.
    fn record_writes(&self, action: Action) -> bool {
        action.is_write() || (!self.popup_open() && action == Action::Open)
    }
}

/// The [`Component`] of a Roles or Users pane: what its [`RecordList`] says. (A macro, not
/// `impl<T: RecordList> Component for T`: that would overlap the role and user forms' own
/// blanket impl.)
macro_rules! record_list_component {
    ($pane:ty) => {
        impl $crate::ui::component::Component for $pane {
            fn render(
                &self,
                frame: &mut ratatui::Frame,
                area: ratatui::layout::Rect,
                theme: &$crate::theme::Theme,
                keymap: &$crate::keymap::Keymap,
            ) {
                self.draw(frame, area, theme, keymap);
            }
            fn contexts(&self) -> Vec<$crate::action::KeyContext> {
                self.record_hint().0
            }
            fn is_write(&self, action: $crate::action::Action) -> bool {
                self.record_writes(action)
            }
            fn handle_key(
                &mut self,
                key: &ratatui::crossterm::event::KeyEvent,
                action: Option<$crate::action::Action>,
                ctx: &mut $crate::ui::component::Ctx,
            ) -> $crate::ui::component::Effect {
                self.record_key(key, action, ctx)
            }
            fn handle_paste(
                &mut self,
                text: &str,
                _ctx: &mut $crate::ui::component::Ctx,
            ) -> $crate::ui::component::Effect {
                self.record_paste(text)
            }
            fn captures_text(&self) -> bool {
                self.popup_open()
            }
            fn hint(&self) -> (Vec<$crate::action::KeyContext>, Vec<$crate::action::Action>) {
                self.record_hint()
            }
            fn is_dirty(&self) -> bool {
                self.popup_dirty()
            }
        }
    };
}
pub(super) use record_list_component;

/// The [`RecordList`] methods every pane has the same way, over its `popup` (whose `Form`
/// variant holds the record's form), `pos` and `read_only` fields and its `save_form`.
macro_rules! record_list_fields {
    () => {
        fn popup_open(&self) -> bool {
            self.popup.is_some()
        }

        fn form_mut(&mut self) -> Option<&mut dyn $crate::ui::component::Component> {
            match &mut self.popup {
                Some(Popup::Form(form)) => Some(form.as_mut()),
                _ => None,
            }
        }

        fn close_popup(&mut self) {
            self.popup = None;
        }

        fn save_record(&mut self, ctx: &mut $crate::ui::component::Ctx) -> Effect {
            self.save_form(ctx)
        }

        fn pos_mut(&mut self) -> &mut TablePos {
            &mut self.pos
        }

        fn read_only(&self) -> bool {
            self.read_only
        }
    };
}
pub(super) use record_list_fields;
