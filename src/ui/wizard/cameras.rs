//! Wizard step 6, Link cameras: pick unlinked cameras of the inventory (filter, multi-select,
//! pick all shown) or register a new camera on the spot in the camera form
//! ([`crate::ui::form::camera`]). Drawing is in `cameras/draw.rs`.
//!
//! A [`Component`]: the wizard hands it the key looked up in [`Component::contexts`].

use std::cell::Cell;

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use serde::{Deserialize, Serialize};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::action::{Action, KeyContext};
use crate::domain::validate::{self, clean_paste};
use crate::domain::{Camera, CameraSpec, Id};
use crate::store::StoreError;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::camera::{CameraEdit, CameraFormStyle, FIELDS};
use crate::ui::form::paged::step;

mod draw;

/// Most inventory cameras listed at once; a filter narrows the rest.
pub const LIMIT: usize = 500;

/// A camera picked in step 6: one of the inventory, or one registered on the spot (index into
/// the new cameras).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CameraKey {
    Existing(Id),
    New(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraChoice {
    pub key: CameraKey,
    pub name: String,
    /// Normalised; unique in the store and in the wizard, so it identifies the camera even when
    /// the index of a new camera changes.
    pub mac: String,
}

/// A row of the list: a new camera (linked), a new camera unpicked in this session, or one of
/// the inventory as last read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    New(usize),
    Parked(usize),
    Stock(usize),
}

pub struct CameraStep {
    /// Unlinked cameras matching `filter`, at most [`LIMIT`].
    rows: Vec<Camera>,
    /// More cameras match than are listed.
    more: bool,
    filter: String,
    /// The filter line while it is being typed.
    filter_input: Option<Input>,
    /// Inventory cameras picked, in the order picked; kept while the filter hides them.
    picked: Vec<Camera>,
    /// Cameras registered here; all of them are linked.
    new: Vec<CameraSpec>,
    /// Cameras registered here and then unpicked: shown, not linked, not in the draft.
    parked: Vec<CameraSpec>,
    selected: usize,
    /// First row shown and rows per page, as the last drawing fitted them (drawing takes
    /// `&self`).
    top: Cell<usize>,
    page: Cell<usize>,
    form: Option<CameraForm>,
    /// A message at the top of the step (a camera taken by another operator).
    notice: Option<String>,
    taken_on_restore: Vec<String>,
}

impl CameraStep {
    pub fn new(ctx: &mut Ctx) -> Result<Self, StoreError> {
        let mut step = Self {
            rows: Vec::new(),
            more: false,
            filter: String::new(),
            filter_input: None,
            picked: Vec::new(),
            new: Vec::new(),
            parked: Vec::new(),
            selected: 0,
            top: Cell::new(0),
            page: Cell::new(10),
            form: None,
            notice: None,
            taken_on_restore: Vec::new(),
        };
        step.read_rows(ctx)?;
        Ok(step)
    }

    /// From a draft: picks that are no longer unlinked are dropped and named by
    /// [`CameraStep::taken_on_restore`].
    pub fn restore(
        picked: Vec<Id>,
        new: Vec<CameraSpec>,
        ctx: &mut Ctx,
    ) -> Result<Self, StoreError> {
        let mut step = Self::new(ctx)?;
        for id in picked {
            match ctx.store.camera(id)? {
                Some(camera) if camera.customer_id.is_none() => {
                    if !step.picked.iter().any(|c| c.id == id) {
                        step.picked.push(camera);
                    }
                }
                Some(camera) => step.taken_on_restore.push(camera.spec.name),
                None => step
                    .taken_on_restore
                    .push(format!("camera #{id} (deleted)")),
            }
        }
        step.new = new;
        if !step.taken_on_restore.is_empty() {
            step.notice = Some(format!(
                "No longer available, unpicked: {}",
                step.taken_on_restore.join(", ")
            ));
        }
        Ok(step)
    }

    /// Names of the cameras of the draft that another operator linked meanwhile.
    pub fn taken_on_restore(&self) -> &[String] {
        &self.taken_on_restore
    }

    pub fn picked_ids(&self) -> Vec<Id> {
        self.picked.iter().map(|c| c.id).collect()
    }

    pub fn new_cameras(&self) -> &[CameraSpec] {
        &self.new
    }

    /// Cameras that will be linked: picked from the inventory plus registered here.
    pub fn count(&self) -> usize {
        self.picked.len() + self.new.len()
    }

    pub fn choices(&self) -> Vec<CameraChoice> {
        let existing = self.picked.iter().map(|c| CameraChoice {
            key: CameraKey::Existing(c.id),
            name: c.spec.name.clone(),
            mac: c.spec.mac.clone(),
        });
        let new = self.new.iter().enumerate().map(|(i, c)| CameraChoice {
            key: CameraKey::New(i),
            name: c.name.clone(),
            mac: c.mac.clone(),
        });
        existing.chain(new).collect()
    }

    /// After a commit conflict: unpicks the camera and shows `message` at the top of the step.
    pub fn mark_taken(&mut self, id: Id, message: String) {
        self.picked.retain(|c| c.id != id);
        self.rows.retain(|c| c.id != id);
        self.notice = Some(message);
        self.clamp();
    }

    /// The filter line: Enter keeps the filter, Esc drops it, the list's moves still move (the
    /// line does not use them); everything else types.
    fn handle_filter_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        match action {
            Some(Action::Confirm) => {
                // Pasted text has not been applied yet (a paste has no store at hand).
                let text = self.filter_input.take().map(|i| filter_text(&i));
                return match text {
                    Some(text) if text != self.filter => {
                        self.filter = text;
                        self.requery(ctx)
                    }
                    _ => Effect::Done,
                };
            }
            Some(Action::Cancel) => {
                self.filter_input = None;
                self.filter.clear();
                return self.requery(ctx);
            }
            _ => {}
        }
        let Some(input) = &mut self.filter_input else {
            return Effect::Ignored;
        };
        let Some(change) = input.handle_event(&ratatui::crossterm::event::Event::Key(*key)) else {
            // A text field never uses the quit key: it quits.
            if action == Some(Action::Quit) {
                return Effect::Ignored;
            }
            if let Some(action) = action {
                self.move_by(action);
            }
            return Effect::Done;
        };
        if !change.value {
            return Effect::Done;
        }
        let text = filter_text(input);
        if text == self.filter {
            return Effect::Done;
        }
        self.filter = text;
        self.requery(ctx)
    }

    /// A list move (up, down, a page, the ends); false for any other action.
    fn move_by(&mut self, action: Action) -> bool {
        let last = self.shown().len().saturating_sub(1);
        let Some(next) = step(self.selected, last, self.page.get(), action) else {
            return false;
        };
        self.selected = next;
        self.clamp();
        true
    }

    /// The list's actions; Esc clears a kept filter before it means anything to the wizard.
    fn handle_list_action(&mut self, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(action) = action else {
            return Effect::Ignored;
        };
        if self.move_by(action) {
            return Effect::Done;
        }
        match action {
            Action::Cancel if !self.filter.is_empty() => {
                self.filter.clear();
                return self.requery(ctx);
            }
            Action::Filter => self.filter_input = Some(Input::new(self.filter.clone())),
            Action::Toggle => return self.toggle_selected(),
            Action::ToggleAll => return self.toggle_all(),
            Action::New => self.form = Some(CameraForm::new(None, &CameraSpec::default())),
            Action::Open => return self.edit_selected(),
            _ => return Effect::Ignored,
        }
        self.clamp();
        Effect::Done
    }

    fn requery(&mut self, ctx: &mut Ctx) -> Effect {
        self.selected = 0;
        self.top.set(0);
        match self.read_rows(ctx) {
            Ok(()) => Effect::Done,
            Err(e) => Effect::Flash(Flash::error(format!("Cameras: {e}"))),
        }
    }

    fn read_rows(&mut self, ctx: &mut Ctx) -> Result<(), StoreError> {
        let mut rows = ctx.store.unlinked_cameras(&self.filter, LIMIT as i64 + 1)?;
        self.more = rows.len() > LIMIT;
        rows.truncate(LIMIT);
        self.rows = rows;
        self.clamp();
        Ok(())
    }

    /// The rows shown, in order: new cameras, unpicked new ones, then the inventory.
    fn shown(&self) -> Vec<Slot> {
        let needle = self.filter.trim().to_lowercase();
        let matches = |c: &CameraSpec| {
            needle.is_empty()
                || [&c.name, &c.mac, &c.serial, &c.model, &c.location]
                    .iter()
                    .any(|s| s.to_lowercase().contains(&needle))
        };
        let new = (0..self.new.len()).filter(|&i| matches(&self.new[i]));
        let parked = (0..self.parked.len()).filter(|&i| matches(&self.parked[i]));
        new.map(Slot::New)
            .chain(parked.map(Slot::Parked))
            .chain((0..self.rows.len()).map(Slot::Stock))
            .collect()
    }

    fn is_picked(&self, slot: Slot) -> bool {
        match slot {
            Slot::New(_) => true,
            Slot::Parked(_) => false,
            Slot::Stock(i) => self.picked.iter().any(|c| c.id == self.rows[i].id),
        }
    }

    fn spec(&self, slot: Slot) -> &CameraSpec {
        match slot {
            Slot::New(i) => &self.new[i],
            Slot::Parked(i) => &self.parked[i],
            Slot::Stock(i) => &self.rows[i].spec,
        }
    }

    fn clamp(&mut self) {
        let len = self.shown().len();
        self.selected = self.selected.min(len.saturating_sub(1));
        self.top.set(self.top.get().min(self.selected));
    }

    fn toggle_selected(&mut self) -> Effect {
        let Some(&slot) = self.shown().get(self.selected) else {
            return Effect::Done;
        };
        let picked = self.is_picked(slot);
        self.set_picked(slot, !picked);
        self.clamp();
        Effect::Done
    }

    /// Picks every row shown, or unpicks them all when all are picked already.
    fn toggle_all(&mut self) -> Effect {
        let shown = self.shown();
        let pick = !shown.iter().all(|s| self.is_picked(*s));
        // New and parked rows move between lists: handle them from the end so indexes hold.
        for slot in shown.into_iter().rev() {
            if self.is_picked(slot) != pick {
                self.set_picked(slot, pick);
            }
        }
        self.clamp();
        Effect::Done
    }

    fn set_picked(&mut self, slot: Slot, pick: bool) {
        match (slot, pick) {
            (Slot::Stock(i), true) => self.picked.push(self.rows[i].clone()),
            (Slot::Stock(i), false) => {
                let id = self.rows[i].id;
                self.picked.retain(|c| c.id != id);
            }
            (Slot::New(i), false) => {
                let spec = self.new.remove(i);
                self.parked.insert(0, spec);
            }
            (Slot::Parked(i), true) => {
                let spec = self.parked.remove(i);
                self.new.push(spec);
            }
            _ => {}
        }
    }

    fn edit_selected(&mut self) -> Effect {
        match self.shown().get(self.selected) {
            Some(&slot @ (Slot::New(_) | Slot::Parked(_))) => {
                self.form = Some(CameraForm::new(Some(slot), self.spec(slot)));
                Effect::Done
            }
            _ => Effect::Ignored,
        }
    }

    fn handle_form_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(form) = &mut self.form else {
            return Effect::Ignored;
        };
        match form.form.handle_key(key, action, ctx) {
            Effect::Answered(true) => self.submit_form(ctx),
            Effect::Answered(false) => {
                self.form = None;
                Effect::Done
            }
            other => other,
        }
    }

    /// Validates the popup; adds (or replaces) the camera, picked, when all is well.
    fn submit_form(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(form) = &self.form else {
            return Effect::Ignored;
        };
        let mut spec = form.spec();
        let editing = form.editing;
        // Checked as typed, so a position in a message counts the operator's own spaces.
        let found = validate::validate_camera(&spec);
        validate::normalize_camera(&mut spec);
        let mut errors: [Option<String>; 5] = Default::default();
        for e in found {
            let i = FIELDS.iter().position(|k| *k == e.field).unwrap_or(0);
            errors[i].get_or_insert_with(|| e.to_string());
        }
        if let Err(e) = self.find_taken(&spec, editing, &mut errors, ctx) {
            return Effect::Flash(Flash::error(format!("Cameras: {e}")));
        }
        if errors.iter().any(Option::is_some) {
            if let Some(form) = &mut self.form {
                form.form.clear_errors();
                for (key, error) in FIELDS.iter().zip(errors) {
                    if let Some(error) = error {
                        form.form.set_error(key, error);
                    }
                }
            }
            return Effect::Done;
        }
        let name = spec.name.clone();
        let target = self.keep_new(spec, editing);
        self.form = None;
        if let Some(pos) = self.shown().iter().position(|s| *s == target) {
            self.selected = pos;
        }
        self.clamp();
        let verb = if editing.is_some() {
            "updated"
        } else {
            "registered"
        };
        Effect::Flash(Flash::info(format!("New camera {name} {verb} and picked")))
    }

    /// Puts under MAC and serial (where nothing is said yet) whether another new camera of this
    /// step or one of the inventory has them already.
    fn find_taken(
        &self,
        spec: &CameraSpec,
        editing: Option<Slot>,
        errors: &mut [Option<String>; 5],
        ctx: &mut Ctx,
    ) -> Result<(), StoreError> {
        let others = self
            .new
            .iter()
            .enumerate()
            .filter(|(i, _)| editing != Some(Slot::New(*i)))
            .chain(
                self.parked
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| editing != Some(Slot::Parked(*i))),
            )
            .map(|(_, c)| c);
        for other in others {
            if errors[1].is_none() && other.mac == spec.mac {
                errors[1] = Some(format!(
                    "MAC address: already used by new camera {}",
                    other.name
                ));
            }
            if errors[2].is_none() && other.serial.eq_ignore_ascii_case(&spec.serial) {
                errors[2] = Some(format!(
                    "Serial number: already used by new camera {}",
                    other.name
                ));
            }
        }
        if errors[1].is_some() && errors[2].is_some() {
            return Ok(());
        }
        let (mac_taken, serial_taken) = ctx.store.camera_exists(&spec.mac, &spec.serial)?;
        if mac_taken && errors[1].is_none() {
            errors[1] = Some(format!(
                "MAC address: {} is already in the inventory",
                spec.mac
            ));
        }
        if serial_taken && errors[2].is_none() {
            errors[2] = Some(format!(
                "Serial number: {} is already in the inventory",
                spec.serial
            ));
        }
        Ok(())
    }

    /// Keeps a checked camera of the form: replaces the one edited, or adds it, picked.
    fn keep_new(&mut self, spec: CameraSpec, editing: Option<Slot>) -> Slot {
        match editing {
            Some(Slot::New(i)) => {
                self.new[i] = spec;
                Slot::New(i)
            }
            Some(Slot::Parked(i)) => {
                self.parked.remove(i);
                self.new.push(spec);
                Slot::New(self.new.len() - 1)
            }
            _ => {
                self.new.push(spec);
                Slot::New(self.new.len() - 1)
            }
        }
    }
}

/// The popup in which a new camera is registered (or one registered here is corrected): the one
/// camera form over a row of this step.
type CameraForm = crate::ui::form::camera::CameraForm<Slot>;

impl CameraEdit for Slot {
    const STYLE: CameraFormStyle = CameraFormStyle {
        new_title: "Register a new camera",
        asks_discard: false,
        save_word: Some("add"),
    };
    fn title(&self) -> String {
        "Edit new camera".into()
    }
}

/// The filter typed: control characters cannot be part of any stored text worth finding.
fn filter_text(input: &Input) -> String {
    input.value().chars().filter(|c| !c.is_control()).collect()
}

/// A popup or the filter line takes every key first; the list's keys act on the rows.
impl Component for CameraStep {
    fn render(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        theme: &crate::theme::Theme,
        keymap: &crate::keymap::Keymap,
    ) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        if let Some(form) = &self.form {
            form.form.contexts()
        } else if self.filter_input.is_some() {
            // The list's moves still move while the filter is typed.
            vec![KeyContext::Modal, KeyContext::List]
        } else {
            vec![KeyContext::List, KeyContext::Form]
        }
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        if self.form.is_some() {
            return self.handle_form_key(key, action, ctx);
        }
        if self.filter_input.is_some() {
            return self.handle_filter_key(key, action, ctx);
        }
        self.handle_list_action(action, ctx)
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        if let Some(form) = &mut self.form {
            return form.form.handle_paste(text, ctx);
        }
        if let Some(input) = &mut self.filter_input {
            let mut value = input.value().to_string();
            value.push_str(&clean_paste(text, false));
            *input = Input::new(value);
            return Effect::Done;
        }
        Effect::Ignored
    }

    /// A popup or the filter line takes every key: single letters type, they never act.
    fn captures_text(&self) -> bool {
        self.filter_input.is_some() || self.form.is_some()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.form.is_some() {
            return (
                vec![KeyContext::Form],
                vec![
                    Action::NextField,
                    Action::PrevField,
                    Action::Submit,
                    Action::Cancel,
                ],
            );
        }
        if self.filter_input.is_some() {
            return (
                vec![KeyContext::Modal],
                vec![Action::Confirm, Action::Cancel],
            );
        }
        (
            vec![KeyContext::List, KeyContext::Form, KeyContext::Global],
            vec![
                Action::Toggle,
                Action::ToggleAll,
                Action::Filter,
                Action::New,
                Action::Down,
                Action::NextStep,
                Action::PrevStep,
                Action::Help,
            ],
        )
    }
}
