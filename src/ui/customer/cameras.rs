//! The Cameras sub-tab: the customer's cameras with their plan and recording state; `L` links
//! more from the unlinked inventory (a pick list with a filter), `U` unlinks the selected or
//! picked ones after a y/N naming the count, `e`/`p` chooses a camera's own plan, `o` starts
//! or stops the selected or picked cameras recording.

use std::cell::Cell;
use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use crate::action::{Action, KeyContext};
use crate::domain::{Camera, Customer, Id, Plan};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::display;
use crate::ui::modal::count_of;
use crate::ui::modal::{Confirm, answered};

/// Narrower than this, the pane leaves out the model and location columns.
const WIDE_FROM: u16 = 96;

/// Keys of the pane and its popups are looked up in these contexts, in order.
const PANE_KEYS: [KeyContext; 2] = [KeyContext::List, KeyContext::Global];
const POPUP_KEYS: [KeyContext; 3] = [KeyContext::List, KeyContext::Form, KeyContext::Global];

mod link;
mod plan;
mod table;

use super::scroll::TableScroll;
use link::LinkPicker;
use plan::PlanPicker;

enum Popup {
    Link(LinkPicker),
    Plan(PlanPicker),
    Unlink(Confirm<Vec<Id>>),
}

pub struct CamerasPane {
    customer_id: Id,
    customer_name: String,
    default_plan: Option<Id>,
    cameras: Vec<Camera>,
    plans: Vec<Plan>,
    scroll: TableScroll,
    picked: BTreeSet<Id>,
    /// Rows shown at the last draw, for PgUp/PgDn.
    page: Cell<usize>,
    popup: Option<Popup>,
    read_only: bool,
}

impl CamerasPane {
    pub fn new(customer: &Customer, ctx: &mut Ctx) -> Result<Self, StoreError> {
        let mut pane = CamerasPane {
            customer_id: customer.id,
            customer_name: customer.name().to_string(),
            default_plan: customer.profile.defaults.default_plan_id,
            cameras: Vec::new(),
            plans: Vec::new(),
            scroll: TableScroll::default(),
            picked: BTreeSet::new(),
            page: Cell::new(1),
            popup: None,
            read_only: ctx.store.is_read_only(),
        };
        pane.reload(customer, ctx)?;
        Ok(pane)
    }

    /// Reads the cameras again, keeping the selection on the same camera where it still is.
    pub fn reload(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        let selected = self.selected().map(|c| c.id);
        self.customer_name = customer.name().to_string();
        self.default_plan = customer.profile.defaults.default_plan_id;
        self.cameras = ctx.store.cameras_of(customer.id)?;
        self.plans = ctx.store.plans()?;
        self.read_only = ctx.store.is_read_only();
        let ids: BTreeSet<Id> = self.cameras.iter().map(|c| c.id).collect();
        self.picked.retain(|id| ids.contains(id));
        let at = selected
            .and_then(|id| self.cameras.iter().position(|c| c.id == id))
            .or(self.scroll.selected());
        self.scroll.select(
            (!self.cameras.is_empty()).then(|| at.unwrap_or(0).min(self.cameras.len() - 1)),
        );
        Ok(())
    }

    /// The camera under the cursor.
    pub fn selected(&self) -> Option<&Camera> {
        self.scroll.selected().and_then(|i| self.cameras.get(i))
    }

    /// The cameras listed, as last read.
    pub fn cameras(&self) -> &[Camera] {
        &self.cameras
    }

    fn open_link(&mut self, ctx: &mut Ctx) -> Effect {
        let mut picker = LinkPicker::new();
        if let Err(e) = picker.load(ctx) {
            return error(&e);
        }
        self.popup = Some(Popup::Link(picker));
        Effect::DialogOpened
    }

    /// The picked cameras, or else the one under the cursor.
    fn targets(&self) -> Vec<Id> {
        if self.picked.is_empty() {
            self.selected().map(|c| vec![c.id]).unwrap_or_default()
        } else {
            self.picked.iter().copied().collect()
        }
    }

    /// `o`: the picked cameras (or the selected one) start recording when any of them is
    /// stopped, else they all stop.
    fn toggle_recording(&mut self, ctx: &mut Ctx) -> Effect {
        let ids = self.targets();
        if ids.is_empty() {
            return Effect::Flash(Flash::info("No camera selected"));
        }
        let on = self
            .cameras
            .iter()
            .any(|c| ids.contains(&c.id) && !c.recording);
        match ctx.store.set_recording(&ids, on, ctx.operator) {
            Ok(n) => {
                self.picked.clear();
                let verb = if on { "Started" } else { "Stopped" };
                self.after_write(
                    ctx,
                    format!(
                        "{verb} recording {}",
                        count_of(n as i64, "camera", "cameras")
                    ),
                )
            }
            Err(e) => {
                let effect = error(&e);
                self.reload_quietly(ctx);
                effect
            }
        }
    }

    fn open_unlink(&mut self) -> Effect {
        let ids = self.targets();
        if ids.is_empty() {
            return Effect::Flash(Flash::info("No camera to unlink"));
        }
        let what = if ids.len() == 1 {
            let name = self
                .cameras
                .iter()
                .find(|c| c.id == ids[0])
                .map(|c| display(&c.spec.name).into_owned())
                .unwrap_or_default();
            format!("camera {name}")
        } else {
            count_of(ids.len() as i64, "camera", "cameras")
        };
        let text = format!(
            "Unlink {what} from {}? They return to the inventory and leave this customer's roles.",
            display(&self.customer_name)
        );
        self.popup = Some(Popup::Unlink(Confirm::new("Unlink cameras", text, ids)));
        Effect::DialogOpened
    }

    fn open_plan(&mut self) -> Effect {
        let Some(camera) = self.selected().cloned() else {
            return Effect::Flash(Flash::info("No camera selected"));
        };
        let default = self
            .default_plan
            .and_then(|id| self.plans.iter().find(|p| p.id == id))
            .map_or_else(
                || "The customer's (none set)".to_string(),
                |p| format!("The customer's ({})", p.name),
            );
        let mut options = vec![(None, default)];
        options.extend(self.plans.iter().map(|p| (Some(p.id), p.name.clone())));
        let at = options
            .iter()
            .position(|(id, _)| *id == camera.plan_id)
            .unwrap_or(0);
        let mut scroll = TableScroll::default();
        scroll.select(Some(at));
        self.popup = Some(Popup::Plan(PlanPicker {
            camera,
            options,
            scroll,
        }));
        Effect::DialogOpened
    }

    /// Keys of an open popup; `action` is looked up in its contexts ([`POPUP_KEYS`]).
    fn popup_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(popup) = &mut self.popup else {
            return Effect::Ignored;
        };
        match popup {
            Popup::Unlink(ask) => match answered(ask, key, action, ctx) {
                Some(true) => {
                    let ids = ask.action.clone();
                    self.popup = None;
                    self.unlink(&ids, ctx)
                }
                Some(false) => {
                    self.popup = None;
                    Effect::Done
                }
                None => Effect::Done,
            },
            Popup::Plan(picker) => match action {
                Some(Action::Open | Action::Submit | Action::Save) => {
                    let choice = picker.scroll.selected().and_then(|i| picker.options.get(i));
                    let Some((plan, label)) = choice.cloned() else {
                        return Effect::Done;
                    };
                    let camera = picker.camera.clone();
                    self.popup = None;
                    self.set_plan(&camera, plan, &label, ctx)
                }
                Some(Action::Cancel | Action::Back) => {
                    self.popup = None;
                    Effect::Done
                }
                Some(a) => {
                    picker.scroll.move_in(picker.options.len(), 10, a);
                    Effect::Done
                }
                None => Effect::Done,
            },
            Popup::Link(picker) => match picker.handle_key(key, action, ctx) {
                Effect::Answered(true) => {
                    let ids = picker.chosen();
                    self.link(&ids, ctx)
                }
                Effect::Answered(false) => {
                    self.popup = None;
                    Effect::Done
                }
                effect => effect,
            },
        }
    }

    fn link(&mut self, ids: &[Id], ctx: &mut Ctx) -> Effect {
        match ctx.store.link_cameras(self.customer_id, ids, ctx.operator) {
            Ok(n) => {
                self.popup = None;
                self.after_write(
                    ctx,
                    format!(
                        "Linked {} to {}",
                        count_of(n as i64, "camera", "cameras"),
                        display(&self.customer_name)
                    ),
                )
            }
            Err(e) => {
                // Keep the picks; show the inventory as it is now (the taken camera is gone).
                if let Some(Popup::Link(picker)) = &mut self.popup {
                    let _ = picker.load(ctx);
                }
                error(&e)
            }
        }
    }

    fn unlink(&mut self, ids: &[Id], ctx: &mut Ctx) -> Effect {
        match ctx
            .store
            .unlink_cameras(self.customer_id, ids, ctx.operator)
        {
            Ok(n) => {
                self.picked.clear();
                self.after_write(
                    ctx,
                    format!(
                        "Unlinked {} from {}",
                        count_of(n as i64, "camera", "cameras"),
                        display(&self.customer_name)
                    ),
                )
            }
            Err(e) => error(&e),
        }
    }

    fn set_plan(
        &mut self,
        camera: &Camera,
        plan: Option<Id>,
        label: &str,
        ctx: &mut Ctx,
    ) -> Effect {
        match ctx
            .store
            .set_camera_plan(camera.id, camera.version, plan, ctx.operator)
        {
            Ok(()) => self.after_write(
                ctx,
                format!(
                    "{}: recording plan {}",
                    display(&camera.spec.name),
                    display(label)
                ),
            ),
            Err(e) => {
                let effect = error(&e);
                self.reload_quietly(ctx);
                effect
            }
        }
    }

    /// A write went through: read the cameras again and tell the app lists must reload.
    fn after_write(&mut self, ctx: &mut Ctx, message: String) -> Effect {
        self.reload_quietly(ctx);
        Effect::Changed(Some(Flash::info(message)))
    }

    fn reload_quietly(&mut self, ctx: &mut Ctx) {
        if let Ok(Some(customer)) = ctx.store.customer(self.customer_id) {
            let _ = self.reload(&customer, ctx);
        }
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        self.render_table(frame, area, theme);
        match &self.popup {
            Some(Popup::Link(picker)) => {
                picker.render(frame, area, &self.customer_name, theme, keymap)
            }
            Some(Popup::Plan(picker)) => picker.render(frame, area, theme),
            Some(Popup::Unlink(ask)) => ask.render(frame, area, theme, keymap),
            None => {}
        }
    }
}

fn error(e: &StoreError) -> Effect {
    Effect::Flash(Flash::error(display(&e.to_string()).into_owned()))
}

impl Component for CamerasPane {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        self.hint().0
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        if self.popup.is_some() {
            return self.popup_key(key, action, ctx);
        }
        let Some(action) = action else {
            return Effect::Ignored;
        };
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.scroll
                    .move_in(self.cameras.len(), self.page.get(), action);
                Effect::Done
            }
            Action::Toggle => {
                if let Some(id) = self.selected().map(|c| c.id)
                    && !self.picked.remove(&id)
                {
                    self.picked.insert(id);
                }
                // Every pick list: Space picks and the cursor stays (see the help).
                Effect::Done
            }
            Action::ToggleAll => {
                if self.picked.len() == self.cameras.len() {
                    self.picked.clear();
                } else {
                    self.picked = self.cameras.iter().map(|c| c.id).collect();
                }
                Effect::Done
            }
            Action::Link => self.open_link(ctx),
            Action::Unlink => self.open_unlink(),
            Action::ToggleRecording => self.toggle_recording(ctx),
            Action::Edit | Action::ChoosePlan => self.open_plan(),
            _ => Effect::Ignored,
        }
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        match &mut self.popup {
            Some(Popup::Link(picker)) if picker.filtering => {
                picker.filter.insert_str(text);
                picker.refilter(ctx)
            }
            Some(_) => Effect::Done,
            None => Effect::Ignored,
        }
    }

    fn captures_text(&self) -> bool {
        self.popup.is_some()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        match &self.popup {
            Some(Popup::Link(p)) if p.filtering => {
                (vec![KeyContext::Form], vec![Action::Submit, Action::Cancel])
            }
            Some(Popup::Link(_)) => (
                POPUP_KEYS.to_vec(),
                vec![
                    Action::Up,
                    Action::Down,
                    Action::Filter,
                    Action::Toggle,
                    Action::ToggleAll,
                    Action::Save,
                    Action::Cancel,
                ],
            ),
            Some(Popup::Plan(_)) => (
                POPUP_KEYS.to_vec(),
                vec![Action::Up, Action::Down, Action::Open, Action::Cancel],
            ),
            Some(Popup::Unlink(ask)) => ask.hint(),
            None => {
                let mut actions = vec![Action::Up, Action::Down, Action::Toggle];
                if !self.read_only {
                    actions.extend([
                        Action::Link,
                        Action::Unlink,
                        Action::ToggleRecording,
                        Action::Edit,
                    ]);
                }
                (PANE_KEYS.to_vec(), actions)
            }
        }
    }

    fn is_dirty(&self) -> bool {
        matches!(&self.popup, Some(Popup::Link(p)) if !p.picked.is_empty())
    }
}

impl super::Pane for CamerasPane {
    fn reload_customer(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        CamerasPane::reload(self, customer, ctx)
    }
}
