//! The customer view: a title line, the sub-tabs Account Profile, Cameras, Roles, Users and Logs,
//! and the Delete dialog. Reads and writes go through [`Store`] methods only.

pub mod edit;
mod lists;
mod profile;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::action::{Action, KeyContext};
use crate::app::{Ctx, Effect, Flash};
use crate::domain::{Camera, Customer, CustomerType, Id, Role, Status, User};
use crate::keymap::Keymap;
use crate::store::views::AuditEntry;
use crate::store::{Store, StoreError};
use crate::theme::Theme;
use crate::ui::form::{clip, display, draw_line};
use crate::ui::modal::{
    ConfirmAction, Dialog, DialogOutcome, MessageDialog, TypedConfirm, count_of,
};

use edit::{EditOutcome, ProfileEdit};
use lists::ListPane;
pub use profile::StatusButton;
use profile::{ProfileData, ProfilePane};

/// The newest audit entries the Logs pane loads.
const LOG_LIMIT: i64 = 500;

/// The sub-tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubTab {
    Profile,
    Cameras,
    Roles,
    Users,
    Logs,
}

impl SubTab {
    pub const ALL: [SubTab; 5] = [
        Self::Profile,
        Self::Cameras,
        Self::Roles,
        Self::Users,
        Self::Logs,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Profile => "Account Profile",
            Self::Cameras => "Cameras",
            Self::Roles => "Roles",
            Self::Users => "Users",
            Self::Logs => "Logs",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    fn step(self, forward: bool) -> SubTab {
        let n = Self::ALL.len();
        let i = self.index();
        Self::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// Everything the panes show, loaded together.
#[derive(Debug, Clone, Default)]
struct ViewData {
    profile: ProfileData,
    cameras: Vec<Camera>,
    roles: Vec<Role>,
    users: Vec<User>,
    audit: Vec<AuditEntry>,
}

impl ViewData {
    fn load(store: &Store, customer: &Customer) -> Result<ViewData, StoreError> {
        let cameras = store.cameras_of(customer.id)?;
        Ok(ViewData {
            profile: ProfileData::load(store, customer, cameras.len())?,
            roles: store.roles_of(customer.id)?,
            users: store.users_of(customer.id)?,
            audit: store.audit_of(customer.id, LOG_LIMIT)?,
            cameras,
        })
    }
}

pub struct CustomerView {
    customer: Customer,
    data: ViewData,
    tab: SubTab,
    profile: ProfilePane,
    cameras: ListPane,
    roles: ListPane,
    users: ListPane,
    logs: ListPane,
    dialog: Option<Dialog>,
    /// The Account Profile editor while it is open: keys, pastes and drawing go to it.
    edit: Option<Box<ProfileEdit>>,
}

impl CustomerView {
    pub fn open(id: Id, ctx: &mut Ctx) -> Result<CustomerView, StoreError> {
        let customer = ctx
            .store
            .customer(id)?
            .ok_or_else(|| StoreError::NotFound(format!("customer #{id}")))?;
        let data = ViewData::load(ctx.store, &customer)?;
        Ok(CustomerView {
            customer,
            data,
            tab: SubTab::Profile,
            profile: ProfilePane::default(),
            cameras: ListPane::default(),
            roles: ListPane::default(),
            users: ListPane::default(),
            logs: ListPane::default(),
            dialog: None,
            edit: None,
        })
    }

    pub fn customer(&self) -> &Customer {
        &self.customer
    }

    pub fn tab(&self) -> SubTab {
        self.tab
    }

    /// The focused button of the Customer Status section, if any.
    pub fn focused_button(&self) -> Option<StatusButton> {
        self.profile.focus()
    }

    /// Whether a dialog (the Delete confirmation, a message) is open.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_some()
    }

    pub fn handle_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        if self.dialog.is_some() {
            return self.dialog_key(key, ctx);
        }
        if self.edit.is_some() {
            return self.edit_key(key, ctx);
        }
        let contexts = [KeyContext::Customer, KeyContext::List, KeyContext::Global];
        let Some(action) = ctx.keymap.lookup_in(&contexts, key) else {
            return Effect::Ignored;
        };
        match action {
            Action::PrevSubTab | Action::NextSubTab => {
                self.tab = self.tab.step(action == Action::NextSubTab);
                Effect::Done
            }
            Action::Edit => self.open_edit(ctx),
            Action::Delete => self.open_delete(ctx),
            Action::NextField | Action::PrevField if self.tab == SubTab::Profile => {
                if action == Action::NextField {
                    self.profile.focus_next();
                } else {
                    self.profile.focus_prev();
                }
                Effect::Done
            }
            Action::Confirm if self.tab == SubTab::Profile => match self.profile.focus() {
                Some(StatusButton::Delete) => self.open_delete(ctx),
                Some(StatusButton::Disable) => {
                    Effect::Flash(Flash::info("Disable and enable come with the next release"))
                }
                None => Effect::Ignored,
            },
            Action::Back => Effect::Back(None),
            other => {
                if self.scroll(other) {
                    Effect::Done
                } else {
                    Effect::Ignored
                }
            }
        }
    }

    pub fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        if let Some(dialog) = &mut self.dialog {
            dialog.handle_paste(text);
            return Effect::Done;
        }
        match &mut self.edit {
            Some(edit) => match edit.handle_paste(text, ctx) {
                EditOutcome::Continue(effect) => effect,
                outcome => self.edit_finished(outcome, ctx),
            },
            None => Effect::Ignored,
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, ctx_theme: &Theme, keymap: &Keymap) {
        let theme = ctx_theme;
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        self.render_title(frame, Rect::new(area.x, area.y, area.width, 1), theme);
        if area.height > 1 {
            self.render_tabs(frame, Rect::new(area.x, area.y + 1, area.width, 1), theme);
        }
        // A blank row under the tabs when there is room to spare.
        let top = if area.height > 12 { 3 } else { 2 };
        if area.height > top {
            let body = Rect::new(area.x, area.y + top, area.width, area.height - top);
            self.render_body(frame, body, theme);
        }
        if let Some(dialog) = &self.dialog {
            dialog.render(frame, area, theme, keymap);
        }
    }

    /// True while the Delete dialog's input (or any dialog, which takes every key) or the edit
    /// form has focus: the app must then send every key here first.
    pub fn captures_text(&self) -> bool {
        self.dialog.is_some() || self.edit.as_ref().is_some_and(|e| e.captures_text())
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if self.dialog.is_some() {
            return (
                vec![KeyContext::Modal],
                vec![Action::Confirm, Action::Cancel],
            );
        }
        if self.edit.is_some() {
            let contexts = vec![KeyContext::Form, KeyContext::Global];
            let actions = vec![
                Action::NextField,
                Action::PrevField,
                Action::NextStep,
                Action::PrevStep,
                Action::Cancel,
            ];
            return (contexts, actions);
        }
        let contexts = vec![KeyContext::Customer, KeyContext::List, KeyContext::Global];
        let mut actions = vec![Action::PrevSubTab, Action::NextSubTab];
        if self.tab == SubTab::Profile {
            actions.extend([Action::Edit, Action::NextField]);
            if self.profile.focus().is_some() {
                actions.push(Action::Confirm);
            }
            actions.push(Action::Down);
        } else {
            actions.extend([Action::Up, Action::Down]);
        }
        actions.extend([Action::Delete, Action::Back]);
        (contexts, actions)
    }

    pub fn refresh(&mut self, ctx: &mut Ctx) -> Effect {
        let customer = match ctx.store.customer(self.customer.id) {
            Ok(Some(customer)) => customer,
            Ok(None) => {
                return Effect::Back(Some(Flash::warning(format!(
                    "{} was deleted by another operator",
                    display(self.customer.name())
                ))));
            }
            Err(e) => return Effect::Flash(Flash::error(e.to_string())),
        };
        let data = match ViewData::load(ctx.store, &customer) {
            Ok(data) => data,
            Err(e) => return Effect::Flash(Flash::error(e.to_string())),
        };
        // An open Delete dialog keeps what was typed and the version it was opened at (so a
        // delete after another operator's change is refused), but shows the counts of now.
        if let Some(Dialog::Typed(dialog)) = &mut self.dialog
            && let Ok(impact) = ctx.store.delete_impact(customer.id)
        {
            dialog.paragraphs = TypedConfirm::delete_customer(&customer, &impact).paragraphs;
        }
        self.customer = customer;
        self.data = data;
        Effect::Done
    }

    pub fn is_dirty(&self) -> bool {
        self.edit.as_ref().is_some_and(|e| e.is_dirty())
    }

    /// Whether the Account Profile editor is open.
    pub fn editing(&self) -> bool {
        self.edit.is_some()
    }

    fn open_edit(&mut self, ctx: &mut Ctx) -> Effect {
        match ProfileEdit::new(&self.customer, ctx) {
            Ok(edit) => {
                self.tab = SubTab::Profile;
                self.edit = Some(Box::new(edit));
                Effect::Done
            }
            Err(e) => Effect::Flash(Flash::error(display(&e.to_string()).into_owned())),
        }
    }

    fn edit_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let Some(edit) = &mut self.edit else {
            return Effect::Ignored;
        };
        match edit.handle_key(key, ctx) {
            EditOutcome::Continue(effect) => effect,
            outcome => self.edit_finished(outcome, ctx),
        }
    }

    /// The editor saved or was cancelled: close it and show the customer as stored now.
    fn edit_finished(&mut self, outcome: EditOutcome, ctx: &mut Ctx) -> Effect {
        self.edit = None;
        match outcome {
            EditOutcome::Saved(customer) => {
                let name = display(customer.name()).into_owned();
                self.customer = customer;
                match self.refresh(ctx) {
                    Effect::Done => Effect::Changed(Some(Flash::info(format!("Saved {name}")))),
                    other => other,
                }
            }
            EditOutcome::Cancelled | EditOutcome::Continue(_) => Effect::Done,
        }
    }

    fn dialog_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        let Some(dialog) = &mut self.dialog else {
            return Effect::Ignored;
        };
        match dialog.handle_key(key, ctx.keymap) {
            DialogOutcome::Consumed => Effect::Done,
            DialogOutcome::Ignored => Effect::Ignored,
            DialogOutcome::Closed => {
                self.dialog = None;
                Effect::Done
            }
            DialogOutcome::Confirmed(action) => {
                self.dialog = None;
                self.run(action, ctx)
            }
        }
    }

    /// Opens the Delete dialog, or says why this customer cannot be deleted.
    fn open_delete(&mut self, ctx: &mut Ctx) -> Effect {
        let impact = match ctx.store.delete_impact(self.customer.id) {
            Ok(impact) => impact,
            Err(e) => return Effect::Flash(Flash::error(e.to_string())),
        };
        self.dialog = Some(if impact.children > 0 {
            Dialog::Message(MessageDialog::new(
                "Cannot delete",
                format!(
                    "{} still has {}: move or delete them first",
                    self.customer.name(),
                    count_of(impact.children, "customer", "customers")
                ),
            ))
        } else {
            Dialog::Typed(Box::new(TypedConfirm::delete_customer(
                &self.customer,
                &impact,
            )))
        });
        Effect::DialogOpened
    }

    /// Runs what a dialog confirmed.
    fn run(&mut self, action: ConfirmAction, ctx: &mut Ctx) -> Effect {
        match action {
            ConfirmAction::DeleteCustomer { id, version, name } => {
                match ctx.store.delete_customer(id, version, ctx.operator) {
                    Ok(deleted) => {
                        let i = deleted.impact;
                        Effect::Back(Some(Flash::info(format!(
                            "Deleted {}: {} returned to the inventory, {} and {} removed",
                            display(&name),
                            count_of(i.cameras, "camera", "cameras"),
                            count_of(i.users, "user", "users"),
                            count_of(i.roles, "role", "roles"),
                        ))))
                    }
                    Err(e) => {
                        let flash =
                            Effect::Flash(Flash::error(display(&e.to_string()).into_owned()));
                        match self.refresh(ctx) {
                            back @ Effect::Back(_) => back,
                            _ => flash,
                        }
                    }
                }
            }
        }
    }

    fn scroll(&mut self, action: Action) -> bool {
        match self.tab {
            SubTab::Profile => self.profile.apply(action),
            SubTab::Cameras => self.cameras.apply(action),
            SubTab::Roles => self.roles.apply(action),
            SubTab::Users => self.users.apply(action),
            SubTab::Logs => self.logs.apply(action),
        }
    }

    fn render_title(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let c = &self.customer;
        let (badge, badge_style) = match c.status {
            Status::Active => ("[Active]", theme.info),
            Status::Disabled => ("[Disabled]", theme.warning),
        };
        let kind = match c.profile.kind {
            CustomerType::Customer => "Customer",
            CustomerType::Integrator => "Sub-integrator",
        };
        let room = usize::from(area.width).saturating_sub(badge.len() + kind.len() + 6);
        let name = clip(&display(c.name()), room.max(1)).into_owned();
        let line = Line::from(vec![
            Span::styled(name, theme.title),
            Span::raw("  "),
            Span::styled(badge, badge_style),
            Span::raw("  "),
            Span::styled(kind, theme.muted),
        ]);
        draw_line(frame.buffer_mut(), area, area.y, &line);
    }

    fn render_tabs(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut spans = Vec::new();
        for tab in SubTab::ALL {
            let style = if tab == self.tab {
                theme.tabs.active
            } else {
                theme.tabs.inactive
            };
            spans.push(Span::styled(format!(" {} ", tab.title()), style));
            spans.push(Span::raw(" "));
        }
        draw_line(frame.buffer_mut(), area, area.y, &Line::from(spans));
    }

    fn render_body(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(edit) = &mut self.edit {
            edit.render(frame, area, theme);
            return;
        }
        let data = &self.data;
        match self.tab {
            SubTab::Profile => {
                self.profile
                    .render(frame, area, &self.customer, &data.profile, theme)
            }
            SubTab::Cameras => {
                lists::render_cameras(frame, area, &data.cameras, &mut self.cameras, theme)
            }
            SubTab::Roles => lists::render_roles(frame, area, &data.roles, &mut self.roles, theme),
            SubTab::Users => lists::render_users(
                frame,
                area,
                &data.users,
                &data.roles,
                &mut self.users,
                theme,
            ),
            SubTab::Logs => lists::render_logs(frame, area, &data.audit, &mut self.logs, theme),
        }
    }
}
