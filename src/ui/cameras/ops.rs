//! The Cameras tab's row actions: add and edit in the camera form, link through the pick list,
//! unlink and delete after a y/N question, recording on and off, and what a write answers.

use ratatui::crossterm::event::KeyEvent;

use super::{CameraForm, CameraOp, CamerasScreen, LinkPicker, refusal_title};
use crate::action::Action;
use crate::domain::validate::{self, field};
use crate::domain::{CameraSpec, Id};
use crate::store::Result;
use crate::store::inventory::refused_field;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::modal::{Confirm, Dialog, MessageDialog, answer_in, count_of};

impl CamerasScreen {
    /// A key of the list that is not the list's own: the write actions and the picks.
    pub(super) fn row_action(&mut self, action: Action, ctx: &mut Ctx) -> Effect {
        match action {
            Action::Add => {
                self.tab.form = Some(CameraForm::new(None, &CameraSpec::default()));
                Effect::Done
            }
            Action::Toggle => {
                // Every pick list: Space picks and the cursor stays (see the help).
                if let Some(id) = self.selected_row().map(|r| r.id)
                    && !self.tab.picked.remove(&id)
                {
                    self.tab.picked.insert(id);
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

    /// A key for the open link pick list; its choice links the camera.
    pub(super) fn picker_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        let Some(picker) = &mut self.tab.picker else {
            return Effect::Ignored;
        };
        let effect = picker.handle_key(key, action, ctx);
        if let Effect::Back(_) = effect {
            self.tab.picker = None;
            return Effect::Done;
        }
        let Some((customer_id, customer)) = picker.take_chosen() else {
            return effect;
        };
        let (camera_id, camera) = (picker.camera_id, picker.camera.clone());
        self.tab.picker = None;
        let result = ctx
            .store
            .link_cameras(customer_id, &[camera_id], ctx.operator)
            .map(drop);
        self.after_write(result, format!("Camera {camera} linked to {customer}"), ctx)
    }

    fn open_edit(&mut self) -> Effect {
        let Some(row) = self.selected_row() else {
            return Effect::Done;
        };
        self.tab.form = Some(CameraForm::new(
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
        let mut picker = LinkPicker::new(row.id, row.name.clone());
        let effect = picker.requery(ctx.store);
        self.tab.picker = Some(picker);
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
        self.tab.dialog = Some(Dialog::Confirm(Confirm::new(
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
        if !self.tab.picked.is_empty() {
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
        let ids: Vec<Id> = self.tab.picked.iter().copied().collect();
        let mut on = false;
        for id in &ids {
            match ctx.store.camera_row(*id) {
                Ok(row) => on |= row.is_some_and(|r| !r.recording),
                Err(e) => return Effect::Flash(Flash::error(e.to_string())),
            }
        }
        match ctx.store.set_recording(&ids, on, ctx.operator) {
            Ok(n) => {
                self.tab.picked.clear();
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
        self.tab.dialog = Some(Dialog::Confirm(Confirm::new(
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

    pub(super) fn dialog_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        if self.tab.dialog.is_none() {
            return Effect::Ignored;
        }
        match answer_in(&mut self.tab.dialog, key, action, ctx) {
            (Some(op), _) => self.run(op, ctx),
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
                self.tab.picked.remove(id);
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
                if let Err(e) = Component::reload(self, ctx.store) {
                    self.list.set_error(e.to_string());
                }
                Effect::Changed(Some(Flash::info(done)))
            }
            Err(e) => {
                let _ = Component::reload(self, ctx.store);
                self.tab.dialog = Some(Dialog::Message(MessageDialog::new(
                    refusal_title(&e),
                    e.to_string(),
                )));
                Effect::DialogOpened
            }
        }
    }

    pub(super) fn form_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        let Some(form) = &mut self.tab.form else {
            return Effect::Ignored;
        };
        match form.form.handle_key(key, action, ctx) {
            Effect::Answered(true) => self.save_form(ctx),
            Effect::Answered(false) => {
                self.tab.form = None;
                Effect::Done
            }
            other => other,
        }
    }

    /// Validates the form and writes the camera; problems go under their fields.
    fn save_form(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(form) = &mut self.tab.form else {
            return Effect::Ignored;
        };
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
                self.tab.form = None;
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
}
