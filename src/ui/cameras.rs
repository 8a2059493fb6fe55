//! The Cameras tab: the whole inventory, paged from the store (any number of cameras), with an
//! incremental filter, sorting and an `n of m` count; add and edit in a popup form, link to a
//! customer from a filtered pick list, unlink and delete after a y/N confirmation.
//!
//! Its popup form, shared with the Plans tab, is [`crate::ui::form::popup::PopupForm`].

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::action::{Action, KeyContext};
use crate::domain::validate::{self, clean_paste, display, field};
use crate::domain::{CameraSpec, Id};
use crate::keymap::Keymap;
use crate::store::inventory::{CameraQuery, CameraRow, refused_field};
use crate::store::{Result, Store, StoreError};
use crate::theme::Theme;
use crate::ui::component::{Ctx, Effect, Flash};
use crate::ui::form::paged::{FilterKey, FilterLine, ListReads, Paging};
use crate::ui::form::popup::FormOutcome;
use crate::ui::form::{clip, draw_line};
use crate::ui::modal::{Confirm, Dialog, DialogOutcome, MessageDialog, answer, count_of};
use crate::ui::table::{column_widths, fit_cell, sort_label};

mod form;
mod link;

use form::CameraForm;
use link::LinkPicker;

/// What a write key says on a read-only store.
pub const READ_ONLY: &str = "read-only store";

/// How many customers the link list shows; typing narrows the rest.
pub(super) const LINK_LIMIT: i64 = 50;

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
    /// Cameras in the store, for "n of m".
    all: i64,
    list: Paging<CameraRow>,
    filter: FilterLine,
    /// The operator went past the capped count of this filter (`G`, or beyond the last row
    /// counted): it is counted exactly from then on, also when the store changes, until the
    /// filter does.
    exact: bool,
    /// An error reading the store, shown instead of the table.
    error: Option<String>,
    read_only: bool,
    /// Cameras picked with Space: `o` acts on all of them.
    picked: BTreeSet<Id>,
    form: Option<CameraForm>,
    picker: Option<LinkPicker>,
    dialog: Option<Dialog<CameraOp>>,
}

impl ListReads<CameraRow> for CameraQuery {
    fn count_capped(&self, store: &Store, cap: i64) -> Result<(i64, bool)> {
        store.camera_count_capped(self, cap)
    }

    fn window(
        &self,
        store: &Store,
        start: i64,
        limit: i64,
        total: Option<i64>,
    ) -> Result<Vec<CameraRow>> {
        store.camera_page_of(self, start, limit, total)
    }
}

impl CamerasScreen {
    /// A mouse click: how far the clicked row is from the selected one, if it hit a row.
    pub fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.list.clicked(column, row)
    }

    pub fn new(store: &Store) -> Result<Self> {
        let mut s = Self {
            read_only: store.is_read_only(),
            ..Self::default()
        };
        s.reload(store)?;
        Ok(s)
    }

    /// The same screen with filtered counts stopping at `cap` rows instead of
    /// [`COUNT_CAP`](crate::ui::form::paged::COUNT_CAP) ("`cap`+ of m"); for tests.
    pub fn with_count_cap(mut self, cap: i64) -> Self {
        self.list.count_cap = cap.max(1);
        self
    }

    /// The same screen leaving every read of a new filter to idle time ([`Self::idle`]), as a
    /// slow store would; for tests.
    pub fn reading_when_idle(mut self) -> Self {
        self.read_in_idle_time();
        self.list.idle_only = true;
        self
    }

    /// An event loop runs [`Self::idle`] when no key is waiting: a filter key reads what fits
    /// in its time and leaves the rest to it, a jump reads the visible rows first.
    pub fn read_in_idle_time(&mut self) {
        self.list.idle_reads = true;
    }

    /// Whether the last filter left reading for idle time: the count or the first window.
    pub fn has_idle_work(&self) -> bool {
        self.list.has_pending()
    }

    /// One read left over by the last filter, abandoned when `cancel` answers true (a key came);
    /// true when the screen should be drawn again.
    pub fn idle(
        &mut self,
        store: &mut Store,
        cancel: impl FnMut() -> bool + Send + 'static,
    ) -> bool {
        self.list
            .idle_or_error(store, &self.query, cancel, &mut self.error)
    }

    /// A new filter or order: an unfiltered list or an exact count as [`Self::recount`] does
    /// it; a filter through [`Paging::start_query`], which leaves what overruns the key's time
    /// to idle time ("counting…").
    fn search(&mut self, store: &mut Store) -> Result<()> {
        if self.query.filter.trim().is_empty() || self.exact {
            return self.recount(store);
        }
        self.error = None;
        self.list.start_query(store, &self.query)
    }

    /// Counts again and rereads the visible rows, keeping the selection on the same camera
    /// when it is still in the window read. Called when the store changed; a new filter or
    /// order goes through `requery`, which keeps the count of the store.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        self.read_only = store.is_read_only();
        self.all = store.camera_count(&CameraQuery::default())?;
        self.recount(store)
    }

    /// Counts the rows of the current query and rereads the visible ones. The unfiltered count
    /// (`all`) is not asked again: it changes only with the store. A filter is counted only up
    /// to the cap ("10,000+"): one or two characters otherwise scan a million cameras (~0.6 s)
    /// on each key; `G` or paging past the cap counts exactly ([`Self::count_exactly`]).
    fn recount(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_row().map(|r| r.id);
        let (total, capped) = if self.query.filter.trim().is_empty() {
            (self.all, false)
        } else if self.exact {
            (store.camera_count(&self.query)?, false)
        } else {
            store.camera_count_capped(&self.query, self.list.count_cap)?
        };
        self.list.set_count(total, capped);
        self.list.forget();
        self.list.clamp();
        self.fill(store)?;
        if let Some(id) = keep
            && self.list.reselect(|r| r.id == id)
        {
            self.list.clamp();
        }
        self.error = None;
        Ok(())
    }

    /// The camera under the cursor.
    pub fn selected_row(&self) -> Option<&CameraRow> {
        self.list.selected_row()
    }

    /// The exact count of a filter whose count stopped at the cap, once: before a key that goes
    /// to the end or past the last row counted. The rows read stay (same query, same order).
    fn count_exactly(&mut self, store: &Store) -> Result<()> {
        let total = store.camera_count(&self.query)?;
        self.list.set_count(total, false);
        self.exact = true;
        Ok(())
    }

    /// Reads the rows around the visible ones when the window does not cover them.
    fn fill(&mut self, store: &Store) -> Result<()> {
        let query = &self.query;
        self.list
            .fill(|start, limit, total| query.window(store, start, limit, total))
    }

    pub fn captures_text(&self) -> bool {
        self.filter.is_open()
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
        if self.filter.is_open() {
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
                Action::ToggleRecording,
                Action::Toggle,
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
        match self.filter.paste(text, &mut self.query.filter) {
            Some(change) => self.filter_changed(change, ctx),
            None => Effect::Ignored,
        }
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
        if self.filter.is_open() {
            return self.handle_filter_key(key, ctx);
        }
        let Some(action) = ctx.keymap.lookup(KeyContext::List, key) else {
            return Effect::Ignored;
        };
        if let Err(e) = self.list.finish_window(ctx.store, &self.query) {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        let writes = matches!(
            action,
            Action::Add
                | Action::Edit
                | Action::Open
                | Action::Link
                | Action::Unlink
                | Action::ToggleRecording
                | Action::Delete
        );
        if writes && (self.read_only || ctx.store.is_read_only()) {
            return Effect::Flash(Flash::warning(READ_ONLY));
        }
        if self.list.needs_exact_count(action)
            && let Err(e) = self.count_exactly(ctx.store)
        {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        if let Some(moved) = self.list.apply(action) {
            if moved && let Err(e) = self.fill(ctx.store) {
                return Effect::Flash(Flash::error(e.to_string()));
            }
            return Effect::Done;
        }
        match action {
            Action::Filter => {
                self.filter.open(&self.query.filter);
                Effect::Done
            }
            Action::Sort => {
                self.query.sort = self.query.sort.next();
                self.query.descending = false;
                self.list.to_start();
                self.requery(ctx, Some(format!("sorted by {}", self.sort_label())))
            }
            Action::SortReverse => {
                self.query.descending = !self.query.descending;
                self.list.to_start();
                self.requery(ctx, Some(format!("sorted by {}", self.sort_label())))
            }
            Action::Add => {
                self.form = Some(CameraForm::new(None, &CameraSpec::default()));
                Effect::Done
            }
            Action::Toggle => {
                // Every pick list: Space picks and the cursor stays (see the help).
                if let Some(id) = self.selected_row().map(|r| r.id)
                    && !self.picked.remove(&id)
                {
                    self.picked.insert(id);
                }
                Effect::Done
            }
            Action::Edit | Action::Open => self.open_edit(),
            Action::Link => self.open_picker(ctx),
            Action::Unlink => self.ask_unlink(),
            Action::ToggleRecording => self.toggle_recording(ctx),
            Action::Delete => self.ask_delete(),
            _ => Effect::Ignored,
        }
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
        self.dialog = Some(Dialog::Confirm(Confirm::new(
            "Unlink camera",
            text,
            CameraOp::Unlink {
                id: row.id,
                customer_id,
                name: row.name.clone(),
                customer,
            },
        )));
        Effect::DialogOpened
    }

    /// `o`: the picked cameras start recording when any of them is stopped, else they all
    /// stop (one audit entry per customer); with none picked, the selected camera.
    fn toggle_recording(&mut self, ctx: &mut Ctx) -> Effect {
        if !self.picked.is_empty() {
            return self.toggle_picked(ctx);
        }
        let Some(row) = self.selected_row().cloned() else {
            return Effect::Done;
        };
        if row.customer_id.is_none() {
            return Effect::Flash(Flash::warning(format!(
                "{} is in the inventory: only a customer's camera records; link it first (L)",
                row.name
            )));
        }
        let on = !row.recording;
        let result = ctx.store.set_recording(&[row.id], on, ctx.operator);
        let verb = if on { "started" } else { "stopped" };
        let done = format!("Camera {}: recording {verb}", row.name);
        self.after_write(result.map(drop), done, ctx)
    }

    fn toggle_picked(&mut self, ctx: &mut Ctx) -> Effect {
        let ids: Vec<Id> = self.picked.iter().copied().collect();
        let mut on = false;
        for id in &ids {
            match ctx.store.camera_row(*id) {
                Ok(row) => on |= row.is_some_and(|r| !r.recording),
                Err(e) => return Effect::Flash(Flash::error(e.to_string())),
            }
        }
        match ctx.store.set_recording(&ids, on, ctx.operator) {
            Ok(n) => {
                self.picked.clear();
                let verb = if on { "Started" } else { "Stopped" };
                let done = format!(
                    "{verb} recording {}",
                    count_of(n as i64, "camera", "cameras")
                );
                self.after_write(Ok(()), done, ctx)
            }
            // The picks stay, so the operator can unpick the camera named and go on.
            Err(e) => self.after_write(Err(e), String::new(), ctx),
        }
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
        self.dialog = Some(Dialog::Confirm(Confirm::new(
            "Delete camera",
            text,
            CameraOp::Delete {
                id: row.id,
                version: row.version,
                name: row.name.clone(),
                unlink_first: row.customer.is_some(),
            },
        )));
        Effect::DialogOpened
    }

    fn handle_dialog_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        if self.dialog.is_none() {
            return Effect::Ignored;
        }
        match answer(&mut self.dialog, key, ctx.keymap) {
            DialogOutcome::Confirmed(op) => self.run(op, ctx),
            _ => Effect::Done,
        }
    }

    fn run(&mut self, op: CameraOp, ctx: &mut Ctx) -> Effect {
        let (result, done) = match &op {
            CameraOp::Delete {
                id,
                version,
                name,
                unlink_first,
            } => {
                self.picked.remove(id);
                (
                    ctx.store
                        .delete_camera(*id, *version, *unlink_first, ctx.operator),
                    format!("Camera {name} deleted"),
                )
            }
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
                self.dialog = Some(Dialog::Message(MessageDialog::new(
                    refusal_title(&e),
                    e.to_string(),
                )));
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
        // Checked as typed, so a position in a message counts the operator's own spaces.
        let errors = validate::validate_camera(&spec);
        validate::normalize_camera(&mut spec);
        // The operator sees the MAC address as it is stored.
        form.form.set_text(field::CAMERA_MAC, &spec.mac);
        form.form.clear_errors();
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
        match self
            .filter
            .handle_key(key, ctx.keymap, &mut self.query.filter)
        {
            FilterKey::Move => {
                // Moving in the list while filtering keeps the filter open.
                let saved = self.filter.input.take();
                let effect = self.handle_key(key, ctx);
                self.filter.input = saved;
                effect
            }
            other => self.filter_changed(other, ctx),
        }
    }

    fn filter_changed(&mut self, change: FilterKey, ctx: &mut Ctx) -> Effect {
        match change {
            FilterKey::Changed => {
                self.exact = false;
                self.list.to_start();
                self.requery(ctx, None)
            }
            FilterKey::Cleared => {
                self.exact = false;
                self.requery(ctx, None)
            }
            FilterKey::Done | FilterKey::Move => Effect::Done,
        }
    }

    fn requery(&mut self, ctx: &mut Ctx, message: Option<String>) -> Effect {
        match self.search(ctx.store) {
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
        self.list.place(table_area);
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
        } else if self.list.total == 0 {
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

    /// "MAC", or "MAC, reversed" after `S`.
    fn sort_label(&self) -> String {
        sort_label(self.query.sort.label(), self.query.descending)
    }

    fn title_line(&self, width: u16, theme: &Theme) -> Line<'static> {
        let mut spans = vec![Span::styled("Cameras ", theme.title)];
        spans.extend(self.list.count_spans(self.all, theme));
        if !self.picked.is_empty() {
            spans.push(Span::styled(
                format!(" · {} picked", self.picked.len()),
                theme.info,
            ));
        }
        spans.push(Span::styled(
            format!("   sort: {}", self.sort_label()),
            theme.muted,
        ));
        let filter = self.filter.spans(&self.query.filter, theme);
        if filter.is_empty() && width >= PLAN_WIDTH {
            spans.push(Span::styled(
                "   (plan) = the customer's recording plan",
                theme.muted,
            ));
        }
        spans.extend(filter);
        Line::from(spans)
    }

    fn render_empty(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let text = match (self.query.filter.is_empty(), self.read_only) {
            (true, false) => "No cameras in the inventory yet. Press a to register one.",
            (true, true) => "No cameras in the inventory.",
            (false, _) if self.list.is_searching() => "Searching…",
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
        let constraints: Vec<Constraint> = columns.iter().map(|c| c.width).collect();
        let fitted = column_widths(&constraints, area.width, 1);
        let header =
            Row::new(columns.iter().map(|c| Cell::from(c.title))).style(theme.table.header);
        let rows = self.list.visible(area.height).map(|(i, row)| {
            let selected = i == self.list.selected;
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
                    let pick = if self.picked.contains(&row.id) {
                        "[x] "
                    } else {
                        ""
                    };
                    Cell::from(fit_cell(&format!("{mark}{pick}{text}"), &fitted, n))
                } else {
                    Cell::from(fit_cell(&text, &fitted, n))
                }
            });
            Row::new(cells).style(style)
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

// Until its keys are read from the looked-up action, the screen's own methods answer.
impl crate::ui::component::Component for CamerasScreen {
    fn contexts(&self) -> Vec<KeyContext> {
        CamerasScreen::hint(self).0
    }
    fn handle_key(&mut self, key: &KeyEvent, _action: Option<Action>, ctx: &mut Ctx) -> Effect {
        CamerasScreen::handle_key(self, key, ctx)
    }
    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        CamerasScreen::handle_paste(self, text, ctx)
    }
    fn captures_text(&self) -> bool {
        CamerasScreen::captures_text(self)
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        CamerasScreen::hint(self)
    }
    fn is_dirty(&self) -> bool {
        CamerasScreen::is_dirty(self)
    }
    fn reload(&mut self, store: &Store) -> crate::store::Result<()> {
        CamerasScreen::reload(self, store)
    }
    fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        CamerasScreen::clicked(self, column, row)
    }
    fn read_in_idle_time(&mut self) {
        CamerasScreen::read_in_idle_time(self)
    }
    fn has_idle_work(&self) -> bool {
        CamerasScreen::has_idle_work(self)
    }
    fn idle(&mut self, store: &mut Store, cancel: Box<dyn FnMut() -> bool + Send>) -> bool {
        CamerasScreen::idle(self, store, cancel)
    }
}
