//! The Roles sub-tab: the customer's roles (Owner locked, Admin editable, custom roles), a form
//! to add and edit one, a y/N delete that names the users who lose the role, and a dual list
//! that assigns users to a role (users on the right hold it).
//!
//! Keys: the list keys; `a`/`n` add, `e`/Enter edit, `D`/Del delete, `u` assign users. Forms:
//! Tab/Shift-Tab move, Space toggles, Ctrl-S saves, Esc cancels. Dual list: ↑/↓ select, Tab
//! switches sides, Space/Enter moves the selected user across, Ctrl-S saves, Esc cancels.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use crate::action::{Action, KeyContext};
use crate::domain::{Camera, Customer, Id, Permissions, Role, SystemRole};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::store::people::{RoleRow, user_ident};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form;
use crate::ui::form::popup::Layout;
use crate::ui::form::role::{RoleFormStyle, RoleSeed};
use crate::ui::form::{TextField, display};
use crate::ui::modal::{Confirm, answered};

mod dual;

use super::people::{
    RecordList, TablePos, TableSpec, draw_table, error_text, form_hint, keys_line,
    record_list_component, record_list_fields,
};
use dual::{DualList, Side};

/// "View, Share (suspended), PTZ" when camera share is disabled.
fn permissions_text(p: &Permissions, share_disabled: bool) -> String {
    let summary = p.summary();
    if share_disabled && p.share {
        summary.replacen("Share", "Share (suspended)", 1)
    } else {
        summary
    }
}

// ---------------------------------------------------------------------------------------------
// The role form

/// The pane's role form: the store gives each role an id and a version.
type RoleForm = form::role::RoleForm<Camera, (Id, i64)>;

const FORM_STYLE: RoleFormStyle = RoleFormStyle {
    layout: Layout::Stacked,
    system_description: true,
    keep_suspended_share: true,
    enter_saves: false,
    no_cameras: "    No cameras are linked to this customer.",
};

fn new_form(row: Option<&RoleRow>, cameras: &[Camera], share_disabled: bool) -> RoleForm {
    let seed = row.map(|r| RoleSeed {
        edit: r.role.id.map(|id| (id, r.version)),
        role: &r.role,
        chosen: r.role.camera_ids.iter().copied().collect(),
    });
    RoleForm::new(seed, cameras.to_vec(), share_disabled, FORM_STYLE)
}

// ---------------------------------------------------------------------------------------------
// The pane

/// The table's columns: their headings and widths.
const HEADER: [&str; 6] = ["Name", "Type", "Cameras", "Permissions", "Users", "Kind"];
const WIDTHS: [Constraint; 6] = [
    Constraint::Fill(2),
    Constraint::Length(6),
    Constraint::Length(7),
    Constraint::Fill(3),
    Constraint::Length(5),
    Constraint::Length(14),
];

enum Popup {
    Form(Box<RoleForm>),
    Dual(DualList),
    Delete(Confirm<(Id, i64, String)>),
}

pub struct RolesPane {
    customer_id: Id,
    share_disabled: bool,
    rows: Vec<RoleRow>,
    cameras: Vec<Camera>,
    pos: TablePos,
    popup: Option<Popup>,
    read_only: bool,
}

impl RolesPane {
    pub fn new(customer: &Customer, ctx: &mut Ctx) -> Result<Self, StoreError> {
        let mut pane = Self {
            customer_id: customer.id,
            share_disabled: customer.profile.defaults.disable_camera_share,
            rows: Vec::new(),
            cameras: Vec::new(),
            pos: TablePos::default(),
            popup: None,
            read_only: ctx.store.is_read_only(),
        };
        pane.reload(customer, ctx)?;
        Ok(pane)
    }

    /// Reloads from the store, keeping the selected role when it still exists.
    pub fn reload(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        let selected = self.selected().and_then(|r| r.role.id);
        self.customer_id = customer.id;
        self.share_disabled = customer.profile.defaults.disable_camera_share;
        self.read_only = ctx.store.is_read_only();
        self.rows = ctx.store.role_rows(customer.id)?;
        self.cameras = ctx.store.cameras_of(customer.id)?;
        if let Some(Popup::Form(form)) = &mut self.popup {
            (form.cameras, form.share_disabled) = (self.cameras.clone(), self.share_disabled);
        }
        self.pos.set_len(self.rows.len());
        if let Some(i) = self
            .rows
            .iter()
            .position(|r| r.role.id == selected && selected.is_some())
        {
            self.pos.select(i);
        }
        Ok(())
    }

    fn selected(&self) -> Option<&RoleRow> {
        self.pos.selected().and_then(|i| self.rows.get(i))
    }

    fn open_form(&mut self, index: Option<usize>) -> Effect {
        let row = match index {
            Some(i) => match self.rows.get(i) {
                Some(row) if row.role.system == Some(SystemRole::Owner) => {
                    return Effect::Flash(Flash::warning(
                        "Owner is a system role: it cannot be changed",
                    ));
                }
                Some(row) => Some(row),
                None => return Effect::Done,
            },
            None => None,
        };
        let form = new_form(row, &self.cameras, self.share_disabled);
        self.popup = Some(Popup::Form(Box::new(form)));
        Effect::Done
    }

    fn open_delete(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(row) = self.selected() else {
            return Effect::Done;
        };
        let name = display(&row.role.name).into_owned();
        if row.role.system.is_some() {
            return Effect::Flash(Flash::warning(format!(
                "{name} is a system role: it cannot be deleted"
            )));
        }
        let Some(id) = row.role.id else {
            return Effect::Done;
        };
        let version = row.version;
        let users = match ctx.store.role_users(id) {
            Ok(users) => users,
            Err(e) => return Effect::Flash(Flash::error(error_text(&e))),
        };
        let text = if users.is_empty() {
            format!("Delete role {name}? No user holds it.")
        } else {
            let names: Vec<String> = users.iter().map(user_ident).collect();
            format!(
                "Delete role {name}? {} will lose it: {}.",
                if users.len() == 1 {
                    "1 user".to_string()
                } else {
                    format!("{} users", users.len())
                },
                names.join(", ")
            )
        };
        self.popup = Some(Popup::Delete(Confirm::new(
            "Delete role",
            text,
            (id, version, name),
        )));
        Effect::DialogOpened
    }

    fn delete_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(Popup::Delete(ask)) = &mut self.popup else {
            return Effect::Ignored;
        };
        let outcome = answered(ask, key, action, ctx).map(|yes| yes.then(|| ask.action.clone()));
        if outcome.is_some() {
            self.popup = None;
        }
        match outcome {
            Some(Some((id, version, name))) => {
                match ctx.store.delete_role(id, version, ctx.operator) {
                    Ok(lost) => {
                        let _ = self.reload_by_id(ctx);
                        let flash = if lost.is_empty() {
                            format!("Role {name} deleted")
                        } else {
                            format!(
                                "Role {name} deleted; {} lost it",
                                display(
                                    &lost.iter().map(user_ident).collect::<Vec<_>>().join(", ")
                                )
                            )
                        };
                        Effect::Changed(Some(Flash::info(flash)))
                    }
                    Err(e) => {
                        let _ = self.reload_by_id(ctx);
                        Effect::Flash(Flash::error(error_text(&e)))
                    }
                }
            }
            _ => Effect::Done,
        }
    }

    /// Reloads with the customer as stored now (after a write of our own).
    fn reload_by_id(&mut self, ctx: &mut Ctx) -> Result<(), StoreError> {
        match ctx.store.customer(self.customer_id)? {
            Some(customer) => self.reload(&customer, ctx),
            None => Ok(()),
        }
    }

    fn save_form(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(Popup::Form(form)) = &mut self.popup else {
            return Effect::Ignored;
        };
        let role = Role {
            id: form.editing.map(|e| e.0),
            camera_ids: form.chosen_cameras().iter().map(|c| c.id).collect(),
            ..form.typed_role()
        };
        let result = match form.editing {
            Some((id, version)) => ctx
                .store
                .update_role(id, version, &role, ctx.operator)
                .map(|()| id),
            None => ctx.store.add_role(self.customer_id, &role, ctx.operator),
        };
        let verb = if form.editing.is_some() {
            "saved"
        } else {
            "added"
        };
        match result {
            Ok(id) => {
                self.popup = None;
                let _ = self.reload_by_id(ctx);
                if let Some(i) = self.rows.iter().position(|r| r.role.id == Some(id)) {
                    self.pos.select(i);
                }
                Effect::Changed(Some(Flash::info(format!(
                    "Role {} {verb}",
                    display(role.name.trim())
                ))))
            }
            Err(e) => {
                // The form stays open with everything typed; the reason shows at its top.
                form.errors.top = Some(error_text(&e));
                Effect::Flash(Flash::error(error_text(&e)))
            }
        }
    }

    fn open_dual(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(row) = self.selected() else {
            return Effect::Done;
        };
        let Some(role_id) = row.role.id else {
            return Effect::Done;
        };
        let role_name = row.role.name.clone();
        let users = match ctx.store.users_of(self.customer_id) {
            Ok(users) => users,
            Err(e) => return Effect::Flash(Flash::error(error_text(&e))),
        };
        let holding: BTreeSet<Id> = users
            .iter()
            .filter(|u| u.role_ids.contains(&role_id))
            .map(|u| u.id)
            .collect();
        self.popup = Some(Popup::Dual(DualList {
            role_id,
            role_name,
            users,
            original: holding.clone(),
            holding,
            side: Side::Without,
            left: 0,
            right: 0,
            error: None,
        }));
        Effect::Done
    }

    /// `action`: the key looked up in the dual list's contexts (List, then Form).
    fn dual_key(&mut self, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(Popup::Dual(dual)) = &mut self.popup else {
            return Effect::Ignored;
        };
        match action {
            Some(Action::Up) => dual.move_by(-1),
            Some(Action::Down) => dual.move_by(1),
            Some(Action::PageUp) => dual.move_by(-10),
            Some(Action::PageDown) => dual.move_by(10),
            Some(Action::Top) => dual.move_by(isize::MIN / 2),
            Some(Action::Bottom) => dual.move_by(isize::MAX / 2),
            Some(Action::Toggle | Action::Open | Action::Submit) => dual.transfer(),
            Some(Action::NextField | Action::PrevField) => {
                dual.side = match dual.side {
                    Side::Without => Side::With,
                    Side::With => Side::Without,
                };
            }
            Some(Action::Save) => return self.save_dual(ctx),
            Some(Action::Cancel) => self.popup = None,
            _ => {}
        }
        Effect::Done
    }

    fn save_dual(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(Popup::Dual(dual)) = &mut self.popup else {
            return Effect::Ignored;
        };
        let ids: Vec<Id> = dual.holding.iter().copied().collect();
        match ctx.store.set_role_users(dual.role_id, &ids, ctx.operator) {
            Ok(()) => {
                let name = display(&dual.role_name).into_owned();
                let n = ids.len();
                self.popup = None;
                let _ = self.reload_by_id(ctx);
                Effect::Changed(Some(Flash::info(format!(
                    "Role {name}: {n} {} hold it",
                    if n == 1 { "user" } else { "users" }
                ))))
            }
            Err(e) => {
                dual.error = Some(error_text(&e));
                Effect::Flash(Flash::error(error_text(&e)))
            }
        }
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        draw_table(frame, area, self.table(keymap, theme), &self.pos, theme);
        match &self.popup {
            Some(Popup::Form(form)) => form.render(frame, area, theme, keymap),
            Some(Popup::Dual(dual)) => dual.render(frame, area, theme, keymap),
            Some(Popup::Delete(ask)) => ask.render(frame, area, theme, keymap),
            None => {}
        }
    }

    /// The table as drawn: a row per record, and the footer of keys.
    fn table(&self, keymap: &Keymap, theme: &Theme) -> TableSpec<'static> {
        let share_disabled = self.share_disabled;
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let role = &r.role;
                let cameras = if role.all_cameras {
                    "All".to_string()
                } else {
                    role.camera_ids.len().to_string()
                };
                let kind = match role.system {
                    Some(SystemRole::Owner) => "System, locked",
                    Some(SystemRole::Admin) => "System",
                    None => "Custom",
                };
                let style = if role.system == Some(SystemRole::Owner) {
                    theme.muted
                } else {
                    Style::new()
                };
                vec![
                    (display(&role.name).into_owned(), style),
                    (role.role_type.label().to_string(), style),
                    (cameras, style),
                    (permissions_text(&role.permissions, share_disabled), style),
                    (r.users.to_string(), style),
                    (kind.to_string(), style),
                ]
            })
            .collect();
        let n = self.rows.len();
        let lead = format!("{n} {}", if n == 1 { "role" } else { "roles" });
        let footer = if self.read_only {
            Line::styled(format!("{lead} · read-only store"), theme.muted)
        } else {
            keys_line(keymap, &[Action::AssignUsers], &[], lead, theme)
        };
        TableSpec {
            header: &HEADER,
            widths: &WIDTHS,
            rows,
            footer,
        }
    }
}

// The list and the dual list read the action the app looked up; the role form and the delete
// question still read the key (their widgets look it up in the key map).
impl RecordList for RolesPane {
    fn popup_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        match &self.popup {
            Some(Popup::Form(_)) => self.form_key(key, action, ctx),
            Some(Popup::Dual(_)) => self.dual_key(action, ctx),
            Some(Popup::Delete(_)) => self.delete_key(key, action, ctx),
            None => Effect::Ignored,
        }
    }

    record_list_fields!();

    fn own_action(&mut self, _key: &KeyEvent, action: Action, ctx: &mut Ctx) -> Option<Effect> {
        (action == Action::AssignUsers).then(|| self.open_dual(ctx))
    }

    fn open_record(&mut self, edit: bool) -> Effect {
        self.open_form(self.pos.selected().filter(|_| edit))
    }

    fn ask_remove(&mut self, ctx: &mut Ctx) -> Effect {
        self.open_delete(ctx)
    }

    fn popup_hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        match &self.popup {
            Some(Popup::Dual(_)) => (
                vec![KeyContext::List, KeyContext::Form],
                vec![
                    Action::Up,
                    Action::Down,
                    Action::Toggle,
                    Action::NextField,
                    Action::Save,
                    Action::Cancel,
                ],
            ),
            Some(Popup::Delete(ask)) => ask.hint(),
            Some(Popup::Form(_)) | None => form_hint(),
        }
    }

    fn form_field(&mut self) -> Option<&mut TextField> {
        match &mut self.popup {
            Some(Popup::Form(form)) => form.text_field(),
            _ => None,
        }
    }

    fn popup_dirty(&self) -> bool {
        match &self.popup {
            Some(Popup::Form(_)) => true,
            Some(Popup::Dual(d)) => d.holding != d.original,
            _ => false,
        }
    }
}

record_list_component!(RolesPane);

impl super::Pane for RolesPane {
    fn reload_customer(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError> {
        RolesPane::reload(self, customer, ctx)
    }
}
