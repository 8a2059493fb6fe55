//! The role form: name, description, role type, all cameras or a chosen set, permitted actions.
//! One form for the customer's Roles pane and the wizard's people step, generic over how a
//! camera is named ([`FormCamera`]) and what saving needs to find the role again (`E`); what
//! differs between the two is in its [`RoleFormStyle`]. It is a
//! [`crate::ui::component::Component`] as a [`RowForm`]: it takes the action its parent was
//! handed. Saving stays with the caller: the form answers `Effect::Answered(true)` when the
//! operator asks to save (the caller reads the role typed with [`RoleFields::typed_role`] and
//! keeps the form open should saving fail) and `Answered(false)` when they cancel.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use crate::action::Action;
use crate::domain::validate::{field, max_len};
use crate::domain::{Camera, Id, Permissions, Role, RoleType, SystemRole};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::form::TextField;
use crate::ui::form::popup::{FormRow, Layout, draw_popup};
use crate::ui::form::rows::{RowFields, RowForm, form_footer};
use crate::ui::wizard::cameras::CameraChoice;

/// Why Share cannot be granted.
pub const SHARE_DISABLED: &str = "camera share is disabled for this customer";

/// A camera the form offers: how it is kept in the chosen set and how its row reads.
pub(crate) trait FormCamera {
    type Key: Ord + Clone;
    fn key(&self) -> Self::Key;
    fn label(&self) -> String;
}

impl FormCamera for Camera {
    type Key = Id;
    fn key(&self) -> Id {
        self.id
    }
    fn label(&self) -> String {
        format!("{}  {}", self.spec.name, self.spec.mac)
    }
}

impl FormCamera for CameraChoice {
    type Key = String;
    fn key(&self) -> String {
        self.mac.clone()
    }
    fn label(&self) -> String {
        format!("{}  {}", self.name, self.mac)
    }
}

/// What differs between the customer pane's form and the wizard's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleFormStyle {
    pub layout: Layout,
    /// The description of a system role (Admin) can be changed.
    pub system_description: bool,
    /// Share granted before camera share was disabled is kept (shown suspended), not dropped.
    pub keep_suspended_share: bool,
    /// Enter on the last row saves (else it wraps to the first).
    pub enter_saves: bool,
    /// The note when no camera can be chosen.
    pub no_cameras: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleItem {
    Name,
    Description,
    Type,
    AllCameras,
    Camera(usize),
    Share,
    Ptz,
    UpdateDelete,
    SaveClip,
}

/// The reasons shown in the form: `top` over everything (a store refusal), the others under
/// their field.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoleErrors {
    pub top: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub role_type: Option<String>,
}

impl RoleErrors {
    pub fn any(&self) -> bool {
        self.name.is_some() || self.description.is_some() || self.role_type.is_some()
    }

    pub fn first_item(&self) -> RoleItem {
        if self.name.is_some() {
            RoleItem::Name
        } else if self.description.is_some() {
            RoleItem::Description
        } else {
            RoleItem::Type
        }
    }
}

/// The role a form starts from.
pub(crate) struct RoleSeed<'a, K, E> {
    /// What saving needs to find the role again; `None` saves it as a new one.
    pub edit: Option<E>,
    pub role: &'a Role,
    pub chosen: BTreeSet<K>,
}

const ROLE_TYPES: &[&str] = &["Admin", "Guard"];

/// The role form: its [`RoleFields`] as a [`RowForm`].
pub(crate) type RoleForm<C, E> = RowForm<RoleFields<C, E>>;

impl<C: FormCamera, E> RoleForm<C, E> {
    pub fn new(
        seed: Option<RoleSeed<'_, C::Key, E>>,
        cameras: Vec<C>,
        share_disabled: bool,
        style: RoleFormStyle,
    ) -> Self {
        RowForm(RoleFields::new(seed, cameras, share_disabled, style))
    }
}

/// What the role form holds.
pub(crate) struct RoleFields<C: FormCamera, E> {
    pub style: RoleFormStyle,
    /// Set when editing.
    pub editing: Option<E>,
    pub system: Option<SystemRole>,
    pub name: TextField,
    pub description: TextField,
    pub role_type: RoleType,
    pub all_cameras: bool,
    pub chosen: BTreeSet<C::Key>,
    pub permissions: Permissions,
    /// Share was granted before camera share was disabled: kept, suspended.
    pub share_suspended: bool,
    pub errors: RoleErrors,
    pub focus: RoleItem,
    /// The cameras the role may be given.
    pub cameras: Vec<C>,
    /// Camera share is disabled for the customer: Share cannot be granted.
    pub share_disabled: bool,
}

impl<C: FormCamera, E> RoleFields<C, E> {
    fn new(
        seed: Option<RoleSeed<'_, C::Key, E>>,
        cameras: Vec<C>,
        share_disabled: bool,
        style: RoleFormStyle,
    ) -> Self {
        let role = seed.as_ref().map(|s| s.role);
        let system = role.and_then(|r| r.system);
        let mut name = TextField::new(field::ROLE_NAME, "Name")
            .required()
            .max_chars(max_len::ROLE_NAME);
        let mut description = TextField::new(field::ROLE_DESCRIPTION, "Description")
            .max_chars(max_len::ROLE_DESCRIPTION);
        if let Some(role) = role {
            name.set_value(&role.name);
            description.set_value(&role.description);
        }
        if system.is_some() {
            name = name.read_only();
            if !style.system_description {
                description = description.read_only();
            }
        }
        let mut permissions = role.map_or_else(Permissions::default, |r| r.permissions);
        if share_disabled && !style.keep_suspended_share {
            permissions.share = false;
        }
        let focus = match system {
            None => RoleItem::Name,
            Some(_) if style.system_description => RoleItem::Description,
            Some(_) => RoleItem::AllCameras,
        };
        Self {
            style,
            system,
            name,
            description,
            role_type: role.map_or(RoleType::Guard, |r| r.role_type),
            all_cameras: role.is_none_or(|r| r.all_cameras),
            share_suspended: share_disabled && permissions.share,
            permissions,
            errors: RoleErrors::default(),
            focus,
            chosen: seed.as_ref().map(|s| s.chosen.clone()).unwrap_or_default(),
            editing: seed.and_then(|s| s.edit),
            cameras,
            share_disabled,
        }
    }

    fn description_editable(&self) -> bool {
        self.system.is_none() || self.style.system_description
    }

    pub fn text_field(&mut self) -> Option<&mut TextField> {
        match self.focus {
            RoleItem::Name if self.system.is_none() => Some(&mut self.name),
            RoleItem::Description if self.description_editable() => Some(&mut self.description),
            _ => None,
        }
    }

    /// The chosen cameras in the order of `cameras` (none when the role has all cameras).
    pub fn chosen_cameras(&self) -> Vec<&C> {
        if self.all_cameras {
            return Vec::new();
        }
        self.cameras
            .iter()
            .filter(|c| self.chosen.contains(&c.key()))
            .collect()
    }

    /// The role as typed; `id` and the cameras are the caller's.
    pub fn typed_role(&self) -> Role {
        Role {
            id: None,
            name: self.name.value().to_string(),
            description: self.description.value().to_string(),
            system: self.system,
            role_type: self.role_type,
            all_cameras: self.all_cameras,
            camera_ids: Vec::new(),
            new_camera_refs: Vec::new(),
            permissions: self.permissions,
        }
    }

    pub fn toggle(&mut self) {
        let p = &mut self.permissions;
        match self.focus {
            RoleItem::Type if self.system.is_none() => {
                self.role_type = match self.role_type {
                    RoleType::Admin => RoleType::Guard,
                    RoleType::Guard => RoleType::Admin,
                };
                self.errors.role_type = None;
            }
            RoleItem::AllCameras => self.all_cameras = !self.all_cameras,
            RoleItem::Camera(i) => {
                if let Some(key) = self.cameras.get(i).map(FormCamera::key)
                    && !self.chosen.remove(&key)
                {
                    self.chosen.insert(key);
                }
            }
            RoleItem::Share => p.share = !p.share,
            RoleItem::Ptz => p.ptz = !p.ptz,
            RoleItem::UpdateDelete => p.update_delete = !p.update_delete,
            RoleItem::SaveClip => p.save_clip = !p.save_clip,
            _ => {}
        }
    }

    fn permission_rows(&self, rows: &mut Vec<FormRow<'_>>) {
        let on = |item: RoleItem| self.focus == item;
        let share_disabled = self.share_disabled;
        rows.push(FormRow::Heading("Permitted actions".into()));
        rows.push(FormRow::Check {
            label: "View".into(),
            checked: true,
            focused: false,
            locked: true,
            note: Some("always".into()),
            indent: 0,
        });
        let share_note = share_disabled.then(|| {
            if self.share_suspended {
                format!("suspended: {SHARE_DISABLED}")
            } else {
                SHARE_DISABLED.to_string()
            }
        });
        rows.push(FormRow::Check {
            label: "Share".into(),
            checked: self.permissions.share && (!share_disabled || self.share_suspended),
            focused: on(RoleItem::Share),
            locked: share_disabled,
            note: share_note,
            indent: 0,
        });
        let p = self.permissions;
        rows.push(check("PTZ", p.ptz, on(RoleItem::Ptz)));
        rows.push(check(
            "Update & Delete",
            p.update_delete,
            on(RoleItem::UpdateDelete),
        ));
        rows.push(check("Save Clip", p.save_clip, on(RoleItem::SaveClip)));
    }
}

/// Typing, moving between rows, toggling; saving and cancelling are the caller's.
impl<C: FormCamera, E> RowFields for RoleFields<C, E> {
    type Row = RoleItem;

    fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let cameras = &self.cameras;
        let on = |item: RoleItem| self.focus == item;
        let e = &self.errors;
        let mut rows = Vec::new();
        rows.extend(e.top.clone().map(FormRow::Error));
        rows.push(FormRow::Text {
            field: &self.name,
            focused: on(RoleItem::Name),
        });
        rows.extend(e.name.clone().map(FormRow::Error));
        rows.push(FormRow::Text {
            field: &self.description,
            focused: on(RoleItem::Description),
        });
        rows.extend(e.description.clone().map(FormRow::Error));
        rows.push(FormRow::Radio {
            label: "Role type",
            options: ROLE_TYPES,
            selected: usize::from(self.role_type == RoleType::Guard),
            focused: on(RoleItem::Type),
            locked: self.system.is_some(),
        });
        rows.extend(e.role_type.clone().map(FormRow::Error));
        rows.push(check(
            "Add all cameras to the role",
            self.all_cameras,
            on(RoleItem::AllCameras),
        ));
        if !self.all_cameras {
            if cameras.is_empty() {
                rows.push(FormRow::Note(self.style.no_cameras.into()));
            }
            for (i, c) in cameras.iter().enumerate() {
                rows.push(FormRow::Check {
                    label: c.label(),
                    checked: self.chosen.contains(&c.key()),
                    focused: on(RoleItem::Camera(i)),
                    locked: false,
                    note: None,
                    indent: 4,
                });
            }
        }
        self.permission_rows(&mut rows);
        let title = match (self.system, &self.editing) {
            (Some(_), _) => "Edit system role Admin",
            (None, Some(_)) => "Edit role",
            (None, None) => "New role",
        };
        let footer = form_footer(self.style.enter_saves, keymap, theme);
        draw_popup(frame, area, self.style.layout, title, &rows, footer, theme);
    }

    /// The rows focus moves through, in order.
    fn rows(&self) -> Vec<RoleItem> {
        let mut items = Vec::new();
        if self.system.is_none() {
            items.push(RoleItem::Name);
        }
        if self.description_editable() {
            items.push(RoleItem::Description);
        }
        if self.system.is_none() {
            items.push(RoleItem::Type);
        }
        items.push(RoleItem::AllCameras);
        if !self.all_cameras {
            items.extend((0..self.cameras.len()).map(RoleItem::Camera));
        }
        if !self.share_disabled {
            items.push(RoleItem::Share);
        }
        items.extend([RoleItem::Ptz, RoleItem::UpdateDelete, RoleItem::SaveClip]);
        items
    }

    fn focus_mut(&mut self) -> &mut RoleItem {
        &mut self.focus
    }
    fn enter_saves(&self) -> bool {
        self.style.enter_saves
    }
    fn focused_field(&mut self) -> Option<&mut TextField> {
        self.text_field()
    }
    fn edited(&mut self, row: RoleItem) {
        match row {
            RoleItem::Name => self.errors.name = None,
            _ => self.errors.description = None,
        }
    }
    /// Space toggles the focused row; the role type's choice also reads Left/Right itself.
    fn act(&mut self, key: &KeyEvent, action: Option<Action>) {
        let side = matches!(key.code, KeyCode::Left | KeyCode::Right);
        if action == Some(Action::Toggle) || (side && self.focus == RoleItem::Type) {
            self.toggle();
        }
    }
}

/// An unlocked checkbox row.
pub(crate) fn check(label: &str, checked: bool, focused: bool) -> FormRow<'static> {
    FormRow::Check {
        label: label.to_string(),
        checked,
        focused,
        locked: false,
        note: None,
        indent: 0,
    }
}
