//! The Cameras tab: the whole inventory, paged from the store (any number of cameras), with an
//! incremental filter, sorting and an `n of m` count; add and edit in a popup form, link to a
//! customer from a filtered pick list, unlink and delete after a y/N confirmation.
//!
//! Also the small popup pieces the Plans tab shares: [`PopupForm`] and [`Pending`].

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;
use unicode_width::UnicodeWidthStr;

use crate::action::{Action, KeyContext};
use crate::app::{Ctx, Effect, Flash};
use crate::domain::validate::{self, clean_paste, display, field, max_len};
use crate::domain::{CameraSpec, CustomerRow, Id};
use crate::keymap::Keymap;
use crate::store::inventory::{CameraQuery, CameraRow, refused_field};
use crate::store::{CustomerQuery, Result, Store, StoreError};
use crate::theme::Theme;
use crate::ui::form::{TextField, clip, draw_line, error_line, fit};
use crate::ui::help::hint_line;
use crate::ui::modal::{Confirm, ConfirmAction, DialogOutcome, MessageDialog};

/// What a write key says on a read-only store.
pub(crate) const READ_ONLY: &str = "read-only store";

/// How many customers the link list shows; typing narrows the rest.
const LINK_LIMIT: i64 = 50;

/// How many rows to read around the visible ones so that small moves need no query.
const READ_AHEAD: i64 = 50;

/// A window of rows read from the store: rows `start..start + rows.len()` of the current query.
#[derive(Debug, Default)]
struct Window {
    start: i64,
    rows: Vec<CameraRow>,
}

/// A change confirmed in a y/N dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CameraOp {
    Delete {
        id: Id,
        version: i64,
        name: String,
        unlink_first: bool,
    },
    Unlink {
        id: Id,
        customer_id: Id,
        name: String,
        customer: String,
    },
}

#[derive(Default)]
pub struct CamerasScreen {
    query: CameraQuery,
    /// Rows matching the query; counted again only when the query or the store changes.
    total: i64,
    /// Cameras in the store, for "n of m".
    all: i64,
    /// Absolute index of the selected row.
    selected: i64,
    /// Absolute index of the first visible row.
    top: i64,
    /// Rows that fit on screen at the last draw, for paging.
    page: i64,
    window: Window,
    /// The filter being typed after `/`; `None` when the filter line is not focused.
    filter_input: Option<Input>,
    /// An error reading the store, shown instead of the table.
    error: Option<String>,
    read_only: bool,
    form: Option<CameraForm>,
    picker: Option<LinkPicker>,
    dialog: Option<Pending<CameraOp>>,
}

impl CamerasScreen {
    pub fn new(store: &Store) -> Result<Self> {
        let mut s = Self {
            page: 20,
            read_only: store.is_read_only(),
            ..Self::default()
        };
        s.reload(store)?;
        Ok(s)
    }

    /// Counts again and rereads the visible rows, keeping the selection on the same camera
    /// when it is still in the window read.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_row().map(|r| r.id);
        self.read_only = store.is_read_only();
        self.all = store.camera_count(&CameraQuery::default())?;
        self.total = if self.query.filter.trim().is_empty() {
            self.all
        } else {
            store.camera_count(&self.query)?
        };
        self.window = Window::default();
        self.clamp();
        self.fill(store)?;
        if let Some(id) = keep
            && self.selected_row().map(|r| r.id) != Some(id)
            && let Some(pos) = self.window.rows.iter().position(|r| r.id == id)
        {
            self.selected = self.window.start + pos as i64;
            self.clamp();
        }
        self.error = None;
        Ok(())
    }

    /// The camera under the cursor.
    pub fn selected_row(&self) -> Option<&CameraRow> {
        self.row(self.selected)
    }

    fn row(&self, index: i64) -> Option<&CameraRow> {
        let i = index - self.window.start;
        if i < 0 {
            return None;
        }
        self.window.rows.get(i as usize)
    }

    fn clamp(&mut self) {
        let page = self.page.max(1);
        self.selected = self.selected.clamp(0, (self.total - 1).max(0));
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + page {
            self.top = self.selected - page + 1;
        }
        self.top = self.top.clamp(0, (self.total - page).max(0));
    }

    /// Reads the rows around the visible ones when the window does not cover them.
    fn fill(&mut self, store: &Store) -> Result<()> {
        let need_end = (self.top + self.page).min(self.total);
        let have_end = self.window.start + self.window.rows.len() as i64;
        if self.top >= self.window.start && need_end <= have_end && !self.window.rows.is_empty() {
            return Ok(());
        }
        if self.total == 0 {
            self.window = Window::default();
            return Ok(());
        }
        let start = (self.top - READ_AHEAD).max(0);
        let limit = self.page + 2 * READ_AHEAD;
        self.window = Window {
            start,
            rows: store.camera_page(&self.query, start, limit)?,
        };
        Ok(())
    }

    pub fn captures_text(&self) -> bool {
        self.filter_input.is_some()
            || self.form.is_some()
            || self.picker.is_some()
            || self.dialog.is_some()
    }

    pub fn is_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.form.is_dirty())
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if let Some(form) = &self.form {
            return form.form.hint();
        }
        if self.dialog.is_some() {
            return (vec![KeyContext::Modal], vec![Action::Cancel]);
        }
        if self.picker.is_some() {
            return (
                vec![KeyContext::Modal],
                vec![Action::Confirm, Action::Cancel],
            );
        }
        if self.filter_input.is_some() {
            return (
                vec![KeyContext::Modal],
                vec![Action::Confirm, Action::Cancel],
            );
        }
        let mut actions = Vec::new();
        if !self.read_only {
            actions.extend([
                Action::Add,
                Action::Edit,
                Action::Link,
                Action::Unlink,
                Action::Delete,
            ]);
        }
        actions.extend([Action::Filter, Action::Sort, Action::Help]);
        if self.read_only {
            actions.extend([Action::Down, Action::Bottom, Action::Quit]);
        }
        (vec![KeyContext::List, KeyContext::Global], actions)
    }

    pub fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        if let Some(form) = &mut self.form {
            form.form.handle_paste(text);
            return Effect::Done;
        }
        if let Some(picker) = &mut self.picker {
            let value = format!("{}{}", picker.filter.value(), clean_paste(text, false));
            picker.filter = Input::new(value);
            return picker.requery(ctx.store);
        }
        if self.dialog.is_some() {
            return Effect::Done;
        }
        if let Some(input) = &mut self.filter_input {
            let mut value = input.value().to_string();
            value.push_str(&clean_paste(text, false));
            *input = Input::new(value);
            return self.filter_changed(ctx);
        }
        Effect::Ignored
    }

    pub fn handle_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        if self.dialog.is_some() {
            return self.handle_dialog_key(key, ctx);
        }
        if self.form.is_some() {
            return self.handle_form_key(key, ctx);
        }
        if self.picker.is_some() {
            return self.handle_picker_key(key, ctx);
        }
        if self.filter_input.is_some() {
            return self.handle_filter_key(key, ctx);
        }
        let Some(action) = ctx.keymap.lookup(KeyContext::List, key) else {
            return Effect::Ignored;
        };
        let writes = matches!(
            action,
            Action::Add
                | Action::Edit
                | Action::Open
                | Action::Link
                | Action::Unlink
                | Action::Delete
        );
        if writes && (self.read_only || ctx.store.is_read_only()) {
            return Effect::Flash(Flash::warning(READ_ONLY));
        }
        let before = (self.selected, self.top);
        match action {
            Action::Up => self.selected -= 1,
            Action::Down => self.selected += 1,
            Action::PageUp => {
                self.selected -= self.page;
                self.top -= self.page;
            }
            Action::PageDown => {
                self.selected += self.page;
                self.top += self.page;
            }
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = self.total - 1,
            Action::Filter => {
                self.filter_input = Some(Input::new(self.query.filter.clone()));
                return Effect::Done;
            }
            Action::Sort => {
                self.query.sort = self.query.sort.next();
                self.selected = 0;
                self.top = 0;
                return self.requery(ctx, Some(format!("sorted by {}", self.query.sort.label())));
            }
            Action::Add => {
                self.form = Some(CameraForm::new(None, &CameraSpec::default()));
                return Effect::Done;
            }
            Action::Edit | Action::Open => return self.open_edit(),
            Action::Link => return self.open_picker(ctx),
            Action::Unlink => return self.ask_unlink(),
            Action::Delete => return self.ask_delete(),
            _ => return Effect::Ignored,
        }
        self.clamp();
        if (self.selected, self.top) != before
            && let Err(e) = self.fill(ctx.store)
        {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        Effect::Done
    }

    fn open_edit(&mut self) -> Effect {
        let Some(row) = self.selected_row() else {
            return Effect::Done;
        };
        self.form = Some(CameraForm::new(
            Some((row.id, row.version, row.name.clone())),
            &row.spec(),
        ));
        Effect::Done
    }

    fn open_picker(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(row) = self.selected_row() else {
            return Effect::Done;
        };
        if let Some(customer) = &row.customer {
            return Effect::Flash(Flash::warning(format!(
                "{} is already linked to {customer}: unlink it first (U)",
                row.name
            )));
        }
        let mut picker = LinkPicker {
            camera_id: row.id,
            camera: row.name.clone(),
            filter: Input::default(),
            rows: Vec::new(),
            more: false,
            highlight: 0,
        };
        let effect = picker.requery(ctx.store);
        self.picker = Some(picker);
        match effect {
            Effect::Done => Effect::DialogOpened,
            other => other,
        }
    }

    fn ask_unlink(&mut self) -> Effect {
        let Some(row) = self.selected_row() else {
            return Effect::Done;
        };
        let (Some(customer_id), Some(customer)) = (row.customer_id, row.customer.clone()) else {
            return Effect::Flash(Flash::warning(format!(
                "{} is not linked to a customer",
                row.name
            )));
        };
        let text = format!(
            "Unlink camera {} from {customer}? It goes back to the inventory and the customer's roles lose it.",
            row.name
        );
        self.dialog = Some(Pending::confirm(
            "Unlink camera",
            text,
            CameraOp::Unlink {
                id: row.id,
                customer_id,
                name: row.name.clone(),
                customer,
            },
        ));
        Effect::DialogOpened
    }

    fn ask_delete(&mut self) -> Effect {
        let Some(row) = self.selected_row() else {
            return Effect::Done;
        };
        let mut text = format!("Delete camera {} ({})?", row.name, row.mac);
        if let Some(customer) = &row.customer {
            text.push_str(&format!(" It will be unlinked from {customer} first."));
        }
        text.push_str(" This cannot be undone.");
        self.dialog = Some(Pending::confirm(
            "Delete camera",
            text,
            CameraOp::Delete {
                id: row.id,
                version: row.version,
                name: row.name.clone(),
                unlink_first: row.customer.is_some(),
            },
        ));
        Effect::DialogOpened
    }

    fn handle_dialog_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let Some(pending) = &mut self.dialog else {
            return Effect::Ignored;
        };
        match pending.handle_key(key, ctx.keymap) {
            PendingOutcome::Stay => Effect::Done,
            PendingOutcome::Closed => {
                self.dialog = None;
                Effect::Done
            }
            PendingOutcome::Run(op) => {
                self.dialog = None;
                self.run(op, ctx)
            }
        }
    }

    fn run(&mut self, op: CameraOp, ctx: &mut Ctx) -> Effect {
        let (result, done) = match &op {
            CameraOp::Delete {
                id,
                version,
                name,
                unlink_first,
            } => (
                ctx.store
                    .delete_camera(*id, *version, *unlink_first, ctx.operator),
                format!("Camera {name} deleted"),
            ),
            CameraOp::Unlink {
                id,
                customer_id,
                name,
                customer,
            } => (
                ctx.store
                    .unlink_cameras(*customer_id, &[*id], ctx.operator)
                    .map(drop),
                format!("Camera {name} unlinked from {customer}"),
            ),
        };
        self.after_write(result, done, ctx)
    }

    /// Reloads after a write; a refusal opens a message that says why.
    fn after_write(&mut self, result: Result<()>, done: String, ctx: &mut Ctx) -> Effect {
        match result {
            Ok(()) => {
                if let Err(e) = self.reload(ctx.store) {
                    self.error = Some(e.to_string());
                }
                Effect::Changed(Some(Flash::info(done)))
            }
            Err(e) => {
                let _ = self.reload(ctx.store);
                self.dialog = Some(Pending::message(refusal_title(&e), e.to_string()));
                Effect::DialogOpened
            }
        }
    }

    fn handle_form_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let Some(form) = &mut self.form else {
            return Effect::Ignored;
        };
        match form.form.handle_key(key, ctx.keymap) {
            FormOutcome::Consumed => Effect::Done,
            FormOutcome::Ignored => Effect::Ignored,
            FormOutcome::Close => {
                self.form = None;
                Effect::Done
            }
            FormOutcome::Save => self.save_form(ctx),
        }
    }

    /// Validates the form and writes the camera; problems go under their fields.
    fn save_form(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(form) = &mut self.form else {
            return Effect::Ignored;
        };
        if ctx.store.is_read_only() {
            return Effect::Flash(Flash::warning(READ_ONLY));
        }
        let mut spec = form.spec();
        validate::normalize_camera(&mut spec);
        // The operator sees the MAC address as it is stored.
        form.form.set_text(field::CAMERA_MAC, &spec.mac);
        form.form.clear_errors();
        let errors = validate::validate_camera(&spec);
        if !errors.is_empty() {
            for e in errors {
                form.form.set_error(e.field, e.to_string());
            }
            return Effect::Done;
        }
        let result = match &form.editing {
            Some((id, version, _)) => ctx
                .store
                .update_camera(*id, *version, &spec, ctx.operator)
                .map(|()| *id),
            None => ctx.store.add_camera(&spec, ctx.operator),
        };
        match result {
            Ok(_) => {
                let verb = if form.editing.is_some() {
                    "saved"
                } else {
                    "added to the inventory"
                };
                let done = format!("Camera {} ({}) {verb}", spec.name, spec.mac);
                self.form = None;
                self.after_write(Ok(()), done, ctx)
            }
            Err(e) => {
                match refused_field(&e) {
                    Some(key) => form.form.set_error(key, e.to_string()),
                    None => form.form.notice = Some(e.to_string()),
                }
                Effect::Done
            }
        }
    }

    fn handle_picker_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let Some(picker) = &mut self.picker else {
            return Effect::Ignored;
        };
        match ctx.keymap.lookup(KeyContext::Modal, key) {
            Some(Action::Cancel) => {
                self.picker = None;
                return Effect::Done;
            }
            Some(Action::Confirm) => {
                let Some(customer) = picker.rows.get(picker.highlight) else {
                    return Effect::Done;
                };
                let (customer_id, customer) = (customer.id, customer.name.clone());
                let (camera_id, camera) = (picker.camera_id, picker.camera.clone());
                self.picker = None;
                let result = ctx
                    .store
                    .link_cameras(customer_id, &[camera_id], ctx.operator)
                    .map(drop);
                return self.after_write(
                    result,
                    format!("Camera {camera} linked to {customer}"),
                    ctx,
                );
            }
            _ => {}
        }
        let last = picker.rows.len().saturating_sub(1);
        match key.code {
            KeyCode::Up => picker.highlight = picker.highlight.saturating_sub(1),
            KeyCode::Down => picker.highlight = (picker.highlight + 1).min(last),
            KeyCode::PageUp => picker.highlight = picker.highlight.saturating_sub(10),
            KeyCode::PageDown => picker.highlight = (picker.highlight + 10).min(last),
            _ => {
                if key.modifiers.contains(KeyModifiers::CONTROL)
                    && matches!(key.code, KeyCode::Char('c'))
                {
                    return Effect::Ignored;
                }
                match picker.filter.handle_event(&Event::Key(*key)) {
                    Some(change) if change.value => return picker.requery(ctx.store),
                    _ => {}
                }
            }
        }
        Effect::Done
    }

    fn handle_filter_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        match ctx.keymap.lookup(KeyContext::Modal, key) {
            Some(Action::Confirm) => {
                self.filter_input = None;
                return Effect::Done;
            }
            Some(Action::Cancel) => {
                self.filter_input = None;
                if self.query.filter.is_empty() {
                    return Effect::Done;
                }
                self.query.filter.clear();
                return self.requery(ctx, None);
            }
            _ => {}
        }
        if matches!(
            key.code,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown
        ) {
            // Moving in the list while filtering keeps the filter open.
            let saved = self.filter_input.take();
            let effect = self.handle_key(key, ctx);
            self.filter_input = saved;
            return effect;
        }
        let Some(input) = &mut self.filter_input else {
            return Effect::Ignored;
        };
        match input.handle_event(&Event::Key(*key)) {
            Some(change) if change.value => self.filter_changed(ctx),
            _ => Effect::Done,
        }
    }

    fn filter_changed(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(input) = &self.filter_input else {
            return Effect::Done;
        };
        // Control characters cannot be part of any stored text worth finding.
        let text: String = input.value().chars().filter(|c| !c.is_control()).collect();
        if text == self.query.filter {
            return Effect::Done;
        }
        self.query.filter = text;
        self.selected = 0;
        self.top = 0;
        self.requery(ctx, None)
    }

    fn requery(&mut self, ctx: &mut Ctx, message: Option<String>) -> Effect {
        match self.reload(ctx.store) {
            Ok(()) => message.map_or(Effect::Done, |m| Effect::Flash(Flash::info(m))),
            Err(e) => {
                self.error = Some(e.to_string());
                Effect::Flash(Flash::error(e.to_string()))
            }
        }
    }

    pub fn render(
        &mut self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        keymap: &Keymap,
        store: &Store,
    ) {
        let area = area.intersection(frame.area());
        if area.height < 3 || area.width < 10 {
            return;
        }
        let title_area = Rect { height: 1, ..area };
        let table_area = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        // One header row; the rest are cameras.
        self.page = (i64::from(table_area.height) - 1).max(1);
        self.clamp();
        if let Err(e) = self.fill(store) {
            self.error = Some(e.to_string());
        }
        draw_line(
            frame.buffer_mut(),
            title_area,
            title_area.y,
            &self.title_line(area.width, theme),
        );
        if let Some(err) = &self.error {
            let line = Line::styled(
                clip(&display(err), usize::from(area.width)).into_owned(),
                theme.error,
            );
            frame.render_widget(Paragraph::new(line), table_area);
        } else if self.total == 0 {
            self.render_empty(frame, table_area, theme);
        } else {
            self.render_table(frame, table_area, theme);
        }
        if let Some(form) = &self.form {
            form.form.render(frame, area, theme, keymap);
        }
        if let Some(picker) = &self.picker {
            picker.render(frame, area, theme, keymap);
        }
        if let Some(dialog) = &self.dialog {
            dialog.render(frame, area, theme, keymap);
        }
    }

    fn title_line(&self, width: u16, theme: &Theme) -> Line<'static> {
        let position = if self.total == 0 {
            0
        } else {
            self.selected + 1
        };
        let mut spans = vec![
            Span::styled("Cameras ", theme.title),
            Span::styled(format!(" {position} of {}", self.total), theme.muted),
        ];
        if self.total != self.all {
            spans.push(Span::styled(
                format!(" (of {} in all)", self.all),
                theme.muted,
            ));
        }
        spans.push(Span::styled(
            format!("   sort: {}", self.query.sort.label()),
            theme.muted,
        ));
        if let Some(input) = &self.filter_input {
            spans.push(Span::styled("   filter: /", theme.focus));
            spans.push(Span::styled(
                display(input.value()).into_owned(),
                theme.input_focused,
            ));
            spans.push(Span::styled("▏", theme.focus));
        } else if !self.query.filter.is_empty() {
            spans.push(Span::styled("   filter: /", theme.muted));
            spans.push(Span::raw(display(&self.query.filter).into_owned()));
        } else if width >= PLAN_WIDTH {
            spans.push(Span::styled("   (plan) = the customer's plan", theme.muted));
        }
        Line::from(spans)
    }

    fn render_empty(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let text = match (self.query.filter.is_empty(), self.read_only) {
            (true, false) => "No cameras in the inventory yet. Press a to register one.",
            (true, true) => "No cameras in the inventory.",
            (false, _) => "No camera matches the filter. Esc clears it.",
        };
        let line = Line::styled(
            clip(text, usize::from(area.width)).into_owned(),
            theme.muted,
        );
        let y = area.y + area.height / 3;
        frame.render_widget(
            Paragraph::new(line).centered(),
            Rect {
                y,
                height: 1,
                ..area
            },
        );
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let columns = columns_for(area.width);
        let header =
            Row::new(columns.iter().map(|c| Cell::from(c.title))).style(theme.table.header);
        let visible = (i64::from(area.height) - 1).max(0);
        let rows = (self.top..(self.top + visible).min(self.total)).filter_map(|i| {
            let row = self.row(i)?;
            let selected = i == self.selected;
            let style = if selected {
                theme.table.selected
            } else {
                theme.table.row
            };
            let mark = theme.mark(theme.selection_symbol, selected);
            let cells = columns.iter().enumerate().map(|(n, c)| {
                let text = (c.value)(row);
                let text = display(&text).into_owned();
                if n == 0 {
                    Cell::from(format!("{mark}{text}"))
                } else {
                    Cell::from(text)
                }
            });
            Some(Row::new(cells).style(style))
        });
        let widths = columns.iter().map(|c| c.width);
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(Style::new());
        frame.render_widget(table, area);
    }
}

/// Widths from which the less important columns show.
const PLAN_WIDTH: u16 = 100;
const MODEL_WIDTH: u16 = 120;
const LOCATION_WIDTH: u16 = 150;

struct Column {
    title: &'static str,
    width: Constraint,
    value: fn(&CameraRow) -> String,
}

/// The columns that fit: the most useful first, the rest only on wider screens.
fn columns_for(width: u16) -> Vec<Column> {
    let mut cols = vec![
        Column {
            title: "  Name",
            width: Constraint::Fill(3),
            value: |r| r.name.clone(),
        },
        Column {
            title: "MAC",
            width: Constraint::Length(17),
            value: |r| r.mac.clone(),
        },
        Column {
            title: "Serial",
            width: Constraint::Length(13),
            value: |r| r.serial.clone(),
        },
        Column {
            title: "Customer",
            width: Constraint::Fill(2),
            value: |r| r.customer.clone().unwrap_or_else(|| "—".into()),
        },
        Column {
            title: "Rec",
            width: Constraint::Length(5),
            value: |r| if r.recording { "● rec" } else { "○ off" }.into(),
        },
    ];
    if width >= PLAN_WIDTH {
        cols.insert(
            4,
            Column {
                title: "Plan",
                width: Constraint::Fill(2),
                value: |r| match (&r.plan, r.plan_inherited) {
                    (Some(p), true) => format!("({p})"),
                    (Some(p), false) => p.clone(),
                    (None, _) => "—".into(),
                },
            },
        );
    }
    if width >= MODEL_WIDTH {
        cols.insert(
            3,
            Column {
                title: "Model",
                width: Constraint::Fill(2),
                value: |r| r.model.clone(),
            },
        );
    }
    if width >= LOCATION_WIDTH {
        cols.insert(
            4,
            Column {
                title: "Location",
                width: Constraint::Fill(2),
                value: |r| r.location.clone(),
            },
        );
    }
    cols
}

/// "Refused" for a rule, "Changed meanwhile" for another operator's change.
pub(crate) fn refusal_title(e: &StoreError) -> &'static str {
    match e {
        StoreError::Conflict(_) => "Changed meanwhile",
        StoreError::Refused(_) => "Refused",
        _ => "Store error",
    }
}

// ---------------------------------------------------------------------------------------------
// The camera form

struct CameraForm {
    /// The camera being edited: id, version read, name as stored; `None` for a new one.
    editing: Option<(Id, i64, String)>,
    form: PopupForm,
}

impl CameraForm {
    fn new(editing: Option<(Id, i64, String)>, spec: &CameraSpec) -> Self {
        let title = match &editing {
            Some((_, _, name)) => format!("Edit camera {name}"),
            None => "Register a camera".into(),
        };
        let fields = vec![
            FormField::Text(
                TextField::new(field::CAMERA_NAME, "Name")
                    .required()
                    .max_chars(max_len::CAMERA_NAME)
                    .with_value(&spec.name),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_MAC, "MAC address")
                    .required()
                    .max_chars(max_len::MAC + 8)
                    .with_value(&spec.mac),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_SERIAL, "Serial number")
                    .required()
                    .max_chars(max_len::SERIAL)
                    .with_value(&spec.serial),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_MODEL, "Model")
                    .max_chars(max_len::MODEL)
                    .with_value(&spec.model),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_LOCATION, "Location")
                    .max_chars(max_len::LOCATION)
                    .with_value(&spec.location),
            ),
        ];
        Self {
            editing,
            form: PopupForm::new(title, fields),
        }
    }

    fn spec(&self) -> CameraSpec {
        let f = &self.form;
        CameraSpec {
            name: f.text(field::CAMERA_NAME).to_string(),
            mac: f.text(field::CAMERA_MAC).to_string(),
            serial: f.text(field::CAMERA_SERIAL).to_string(),
            model: f.text(field::CAMERA_MODEL).to_string(),
            location: f.text(field::CAMERA_LOCATION).to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The link pick list

/// A popup listing customers by name, narrowed by what is typed; Enter links the camera.
struct LinkPicker {
    camera_id: Id,
    camera: String,
    filter: Input,
    /// The first [`LINK_LIMIT`] customers matching the filter.
    rows: Vec<CustomerRow>,
    /// More customers match than are listed.
    more: bool,
    highlight: usize,
}

impl LinkPicker {
    fn requery(&mut self, store: &Store) -> Effect {
        let query = CustomerQuery {
            filter: self
                .filter
                .value()
                .chars()
                .filter(|c| !c.is_control())
                .collect(),
            ..CustomerQuery::default()
        };
        match store.customer_page(&query, 0, LINK_LIMIT + 1) {
            Ok(mut rows) => {
                self.more = rows.len() as i64 > LINK_LIMIT;
                rows.truncate(LINK_LIMIT as usize);
                self.rows = rows;
                self.highlight = 0;
                Effect::Done
            }
            Err(e) => Effect::Flash(Flash::error(e.to_string())),
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let wanted = (self.rows.len().clamp(1, 12) + 3) as u16;
        let title = format!("Link camera {} to", self.camera);
        let Some(inner) = popup_frame(frame, area, 64, wanted, &title, theme) else {
            return;
        };
        let buf = frame.buffer_mut();
        let filter = Line::from(vec![
            Span::styled("/ ", theme.hint_key),
            Span::styled(
                display(self.filter.value()).into_owned(),
                theme.input_focused,
            ),
            Span::styled("▏", theme.focus),
        ]);
        draw_line(buf, inner, inner.y, &filter);
        let footer_y = inner.bottom().saturating_sub(1);
        let list = Rect::new(
            inner.x,
            inner.y.saturating_add(1),
            inner.width,
            inner.height.saturating_sub(2),
        );
        if self.rows.is_empty() && !list.is_empty() {
            let line = Line::styled("  no customer matches", theme.muted);
            draw_line(buf, list, list.y, &line);
        }
        let height = usize::from(list.height);
        let first = (self.highlight + 1).saturating_sub(height);
        for (i, row) in self.rows.iter().enumerate().skip(first).take(height) {
            let lit = i == self.highlight;
            let style = if lit {
                theme.table.selected
            } else {
                theme.table.row
            };
            let mark = theme.mark(theme.selection_symbol, lit);
            let city = if row.city.is_empty() {
                String::new()
            } else {
                format!("  · {}", row.city)
            };
            let text = format!("{mark}{}{}", display(&row.name), display(&city));
            let line = Line::styled(fit(&text, usize::from(list.width)), style);
            draw_line(buf, list, list.y + (i - first) as u16, &line);
        }
        if inner.height >= 3 {
            let shown = if self.more {
                format!("first {LINK_LIMIT}: type to narrow  ")
            } else {
                format!("{} shown  ", self.rows.len())
            };
            let mut line = hint_line(
                keymap,
                &[KeyContext::Modal],
                &[Action::Confirm, Action::Cancel],
                theme,
            );
            line.spans.insert(0, Span::styled(shown, theme.muted));
            draw_line(buf, inner, footer_y, &line);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shared with the Plans tab: a y/N dialog that carries its change, and a compact popup form.

/// An open dialog and, for a y/N question, the change it runs when confirmed.
#[derive(Debug, Clone)]
pub(crate) struct Pending<T> {
    confirm: Option<(Confirm, T)>,
    message: Option<MessageDialog>,
}

pub(crate) enum PendingOutcome<T> {
    Stay,
    Closed,
    Run(T),
}

impl<T: Clone> Pending<T> {
    /// A y/N question (Enter means No) that runs `op` on y.
    pub(crate) fn confirm(title: &str, text: String, op: T) -> Self {
        // The modal's own action is not used: this screen runs `op`.
        let placeholder = ConfirmAction::DeleteCustomer {
            id: 0,
            version: 0,
            name: String::new(),
        };
        Self {
            confirm: Some((Confirm::new(title, text, placeholder), op)),
            message: None,
        }
    }

    /// A message that Enter or Esc closes.
    pub(crate) fn message(title: &str, text: String) -> Self {
        Self {
            confirm: None,
            message: Some(MessageDialog::new(title, text)),
        }
    }

    pub(crate) fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> PendingOutcome<T> {
        let outcome = match (&mut self.confirm, &mut self.message) {
            (Some((dialog, _)), _) => dialog.handle_key(key, keymap),
            (None, Some(dialog)) => dialog.handle_key(key, keymap),
            (None, None) => DialogOutcome::Closed,
        };
        match outcome {
            DialogOutcome::Consumed | DialogOutcome::Ignored => PendingOutcome::Stay,
            DialogOutcome::Closed => PendingOutcome::Closed,
            DialogOutcome::Confirmed(_) => match &self.confirm {
                Some((_, op)) => PendingOutcome::Run(op.clone()),
                None => PendingOutcome::Closed,
            },
        }
    }

    pub(crate) fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        if let Some((dialog, _)) = &self.confirm {
            dialog.render(frame, area, theme, keymap);
        } else if let Some(dialog) = &self.message {
            dialog.render(frame, area, theme, keymap);
        }
    }
}

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

    fn label(&self) -> &'static str {
        match self {
            Self::Text(t) => t.label,
            Self::Radio { label, .. } => label,
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
            rows.push(Slot::Notice(notice));
        }
        for (i, f) in self.fields.iter().enumerate() {
            rows.push(Slot::Field(i, f));
            if let Some(e) = &self.errors[i] {
                rows.push(Slot::Error(e));
            }
        }
        // Rows, a blank line and the footer.
        let wanted = rows.len() as u16 + 2;
        let Some(inner) = popup_frame(frame, area, 76, wanted, &self.title, theme) else {
            return;
        };
        let body = Rect {
            height: inner.height.saturating_sub(2).max(1).min(inner.height),
            ..inner
        };
        let label_width = self
            .fields
            .iter()
            .map(|f| f.label().width() + 2)
            .max()
            .unwrap_or(0)
            .saturating_add(theme.blank_symbol.width() + 1)
            .min(usize::from(body.width / 2)) as u16;
        // Scroll so that the focused field and its error show.
        let focus_row = rows
            .iter()
            .position(|r| matches!(r, Slot::Field(i, _) if *i == self.focus))
            .unwrap_or(0);
        let mut end = focus_row + 1;
        if matches!(rows.get(end), Some(Slot::Error(_))) {
            end += 1;
        }
        let offset = end.saturating_sub(usize::from(body.height));
        let mut cursor = None;
        let buf = frame.buffer_mut();
        for (n, row) in rows
            .iter()
            .skip(offset)
            .take(usize::from(body.height))
            .enumerate()
        {
            let y = body.y + n as u16;
            match row {
                Slot::Notice(text) => {
                    draw_line(buf, body, y, &error_line(text, theme));
                }
                Slot::Error(text) => {
                    draw_line(buf, body, y, &error_line(text, theme));
                }
                Slot::Field(i, f) => {
                    let focused = *i == self.focus && !self.asking_discard;
                    let required = matches!(f, FormField::Text(t) if t.required);
                    let style = if focused { theme.focus } else { Style::new() };
                    let label = Line::from(vec![
                        Span::styled(theme.mark(theme.focus_symbol, focused), theme.focus),
                        Span::styled(f.label(), style),
                        Span::styled(if required { " *" } else { "" }, theme.muted),
                    ]);
                    let label_area = Rect::new(body.x, y, label_width, 1);
                    draw_line(buf, label_area, y, &label);
                    let value_x = body.x + label_width.saturating_sub(2).min(body.width);
                    let value = Rect::new(value_x, y, body.right().saturating_sub(value_x), 1);
                    match f {
                        FormField::Text(t) => {
                            if let Some(p) = t.draw(buf, value, focused, theme) {
                                cursor = Some(p);
                            }
                        }
                        FormField::Radio {
                            options, selected, ..
                        } => {
                            let style = if focused { theme.focus } else { Style::new() };
                            let mut spans = vec![Span::raw(theme.blank_symbol)];
                            for (n, option) in options.iter().enumerate() {
                                let dot = if n == *selected { "(•) " } else { "( ) " };
                                spans.push(Span::styled(format!("{dot}{option}   "), style));
                            }
                            draw_line(buf, value, y, &Line::from(spans));
                        }
                    }
                }
            }
        }
        if inner.height > 2 {
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
            draw_line(buf, inner, inner.bottom() - 1, &footer);
        }
        if self.asking_discard {
            let text = "Discard what you typed in this form?".to_string();
            Confirm::new(
                "Discard changes",
                text,
                ConfirmAction::DeleteCustomer {
                    id: 0,
                    version: 0,
                    name: String::new(),
                },
            )
            .render(frame, area, theme, keymap);
        } else if let Some(p) = cursor.filter(|p| inner.contains(*p)) {
            frame.set_cursor_position(p);
        }
    }
}

/// A row of a popup form as drawn.
enum Slot<'a> {
    Notice(&'a str),
    Field(usize, &'a FormField),
    Error(&'a str),
}

/// Clears and frames a box `width` wide holding `rows` rows, centred in `area`; returns its
/// inside with one column of padding, or `None` when nothing fits.
pub(crate) fn popup_frame(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    rows: u16,
    title: &str,
    theme: &Theme,
) -> Option<Rect> {
    let area = area.intersection(frame.area());
    let width = width.min(area.width.saturating_sub(2).max(area.width.min(20)));
    let width = width.min(area.width);
    let height = rows.saturating_add(2).min(area.height);
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
        .border_style(theme.modal_border)
        .title(Line::styled(format!(" {title} "), theme.modal_border));
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
