//! The Cameras tab: the whole inventory, paged from the store (any number of cameras), with an
//! incremental filter, sorting and an `n of m` count; add and edit in a popup form, link to a
//! customer from a filtered pick list, unlink and delete after a y/N confirmation.
//!
//! The list is a [`PagedList`]; the tab's own are its columns, its picks, its row actions
//! ([`ops`]) and its popups: the camera form ([`CameraForm`], on the popup form shared with the
//! Plans tab, [`crate::ui::form::popup::PopupForm`]), the link pick list ([`LinkPicker`]) and
//! the y/N dialogs.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::action::{Action, KeyContext};
use crate::domain::Id;
use crate::keymap::Keymap;
use crate::store::inventory::{CameraQuery, CameraRow, CameraSort};
use crate::store::{Result, Store, StoreError};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::draw_line;
use crate::ui::form::paged::{
    Column, Empty, ListScreen, ListTab, Order, StoreReads, TextQuery, split,
};
use crate::ui::modal::Dialog;
use crate::ui::table::sort_label;

mod form;
mod link;
mod ops;

use form::CameraForm;
use link::LinkPicker;

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

/// The Cameras tab: the list and [`Cameras`], what the tab keeps beside it.
pub type CamerasScreen = ListScreen<Cameras>;

#[derive(Default)]
pub struct Cameras {
    read_only: bool,
    /// Cameras picked with Space: `o` acts on all of them.
    picked: BTreeSet<Id>,
    form: Option<CameraForm>,
    picker: Option<LinkPicker>,
    dialog: Option<Dialog<CameraOp>>,
}

impl ListTab for Cameras {
    type Source = CameraQuery;
}

impl Order for CameraSort {
    fn next(self) -> Self {
        CameraSort::next(self)
    }
    fn label(self) -> &'static str {
        CameraSort::label(self)
    }
}

/// One or two characters scan a million cameras (~0.6 s): only `G` or paging past the cap
/// counts exactly.
impl TextQuery for CameraQuery {
    type Row = CameraRow;
    type Order = CameraSort;
    const READS: StoreReads<Self, CameraRow> = StoreReads {
        count_capped: Store::camera_count_capped,
        count: Store::camera_count,
        window: Store::camera_page_of,
    };

    fn parts(&mut self) -> (&mut String, &mut CameraSort, &mut bool) {
        (&mut self.filter, &mut self.sort, &mut self.descending)
    }

    fn text(&self) -> &str {
        &self.filter
    }

    fn row_id(row: &CameraRow) -> Id {
        row.id
    }
}

impl CamerasScreen {
    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        let Some((title_area, table_area)) = split(area) else {
            return;
        };
        let title = self.title_line(area.width, theme);
        draw_line(frame.buffer_mut(), title_area, title_area.y, &title);
        let empty = match (self.list.source.filter.is_empty(), self.tab.read_only) {
            (true, false) => "No cameras in the inventory yet. Press a to register one.",
            (true, true) => "No cameras in the inventory.",
            (false, _) if self.list.is_searching() => "Searching…",
            (false, _) => "No camera matches the filter. Esc clears it.",
        };
        let columns = columns_for(table_area.width);
        self.list.render_body(
            frame,
            table_area,
            theme,
            Empty::Centered(empty),
            &columns,
            |row| {
                let picked = self.tab.picked.contains(&row.id);
                (theme.table.row, if picked { "[x] " } else { "" })
            },
        );
        if let Some(form) = &self.tab.form {
            form.form.render(frame, area, theme, keymap);
        }
        if let Some(picker) = &self.tab.picker {
            picker.render(frame, area, theme, keymap);
        }
        if let Some(dialog) = &self.tab.dialog {
            dialog.render(frame, area, theme, keymap);
        }
    }

    fn title_line(&self, width: u16, theme: &Theme) -> Line<'static> {
        let query = &self.list.source;
        let mut spans = vec![Span::styled("Cameras ", theme.title)];
        spans.extend(self.list.count_spans(theme));
        if !self.tab.picked.is_empty() {
            spans.push(Span::styled(
                format!(" · {} picked", self.tab.picked.len()),
                theme.info,
            ));
        }
        spans.push(Span::styled(
            format!(
                "   sort: {}",
                sort_label(query.sort.label(), query.descending)
            ),
            theme.muted,
        ));
        let filter = self.list.filter_spans(&query.filter, theme);
        if filter.is_empty() && width >= PLAN_WIDTH {
            spans.push(Span::styled(
                "   (plan) = the customer's recording plan",
                theme.muted,
            ));
        }
        spans.extend(filter);
        Line::from(spans)
    }
}

impl Component for CamerasScreen {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        // In the order keys reach them: an open dialog first.
        if let Some(dialog) = &self.tab.dialog {
            return dialog.contexts();
        }
        if let Some(form) = &self.tab.form {
            return form.form.contexts();
        }
        if let Some(picker) = &self.tab.picker {
            return picker.contexts();
        }
        self.list.contexts()
    }

    /// Enter on a camera opens its form, as `e` does.
    fn is_write(&self, action: Action) -> bool {
        let list =
            self.tab.form.is_none() && self.tab.picker.is_none() && self.tab.dialog.is_none();
        action.is_write() || (list && action == Action::Open)
    }

    /// An open popup takes the key first; then the list (movement, filter, sort); then the
    /// tab's row actions ([`ops`]).
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if self.tab.dialog.is_some() {
            return self.dialog_key(key, action, ctx);
        }
        if self.tab.form.is_some() {
            return self.form_key(key, action, ctx);
        }
        if self.tab.picker.is_some() {
            return self.picker_key(key, action, ctx);
        }
        let effect = self.list.handle_key(key, action, ctx.store);
        if effect != Effect::Ignored || self.list.captures_text() {
            return effect;
        }
        match action {
            Some(action) => self.row_action(action, ctx),
            None => Effect::Ignored,
        }
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        if let Some(form) = &mut self.tab.form {
            return form.form.handle_paste(text, ctx);
        }
        if let Some(picker) = &mut self.tab.picker {
            return picker.handle_paste(text, ctx);
        }
        if self.tab.dialog.is_some() {
            return Effect::Done;
        }
        self.list.handle_paste(text, ctx.store)
    }

    fn captures_text(&self) -> bool {
        self.list.captures_text()
            || self.tab.form.is_some()
            || self.tab.picker.is_some()
            || self.tab.dialog.is_some()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if let Some(form) = &self.tab.form {
            return form.form.hint();
        }
        if self.tab.dialog.is_some() {
            return (vec![KeyContext::Modal], vec![Action::Cancel]);
        }
        if let Some(picker) = &self.tab.picker {
            return picker.hint();
        }
        if self.list.captures_text() {
            return (
                vec![KeyContext::Modal],
                vec![Action::Confirm, Action::Cancel],
            );
        }
        let mut actions = Vec::new();
        if !self.tab.read_only {
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
        if self.tab.read_only {
            actions.extend([Action::Down, Action::Bottom, Action::Quit]);
        }
        (vec![KeyContext::List, KeyContext::Global], actions)
    }

    fn is_dirty(&self) -> bool {
        self.tab.form.as_ref().is_some_and(|f| f.form.is_dirty())
    }

    /// Counts again and rereads the visible rows, keeping the selection on the same camera
    /// when it is still in the window read.
    fn reload(&mut self, store: &Store) -> Result<()> {
        self.tab.read_only = store.is_read_only();
        self.list.reload(store)
    }

    fn clicked(&self, column: u16, row: u16) -> Option<i64> {
        self.list.clicked(column, row)
    }

    fn read_in_idle_time(&mut self) {
        Self::read_in_idle_time(self)
    }

    fn has_idle_work(&self) -> bool {
        Self::has_idle_work(self)
    }

    fn idle(&mut self, store: &mut Store, cancel: Box<dyn FnMut() -> bool + Send>) -> bool {
        Self::idle(self, store, cancel)
    }
}

/// Widths from which the less important columns show.
const PLAN_WIDTH: u16 = 100;
const MODEL_WIDTH: u16 = 120;
const LOCATION_WIDTH: u16 = 150;

/// The columns that fit: the most useful first, the rest only on wider screens.
fn columns_for(width: u16) -> Vec<Column<'static, CameraRow>> {
    type Col = Column<'static, CameraRow>;
    let mut cols = vec![
        Col::text("  Name", Constraint::Fill(3), |r| r.name.clone()),
        Col::text("MAC", Constraint::Length(17), |r| r.mac.clone()),
        Col::text("Serial", Constraint::Length(13), |r| r.serial.clone()),
        Col::text("Customer", Constraint::Fill(2), |r| {
            r.customer.clone().unwrap_or_else(|| "—".into())
        }),
        Col::text("Rec", Constraint::Length(5), |r| {
            if r.recording { "● rec" } else { "○ off" }.into()
        }),
    ];
    if width >= PLAN_WIDTH {
        cols.insert(
            4,
            Col::text("Plan", Constraint::Fill(2), |r| {
                match (&r.plan, r.plan_inherited) {
                    (Some(p), true) => format!("({p})"),
                    (Some(p), false) => p.clone(),
                    (None, _) => "—".into(),
                }
            }),
        );
    }
    if width >= MODEL_WIDTH {
        cols.insert(
            3,
            Col::text("Model", Constraint::Fill(2), |r| r.model.clone()),
        );
    }
    if width >= LOCATION_WIDTH {
        cols.insert(
            4,
            Col::text("Location", Constraint::Fill(2), |r| r.location.clone()),
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
