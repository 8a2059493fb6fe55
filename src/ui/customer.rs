//! The customer view: a title line, the sub-tabs Account Profile, Cameras, Roles, Users and Logs,
//! the Delete dialog and the Disable/Enable confirmation. Reads and writes go through [`Store`]
//! methods only. A pane (Cameras) gets the keys of its sub-tab first; what it ignores, the view
//! handles (sub-tab switching, `S`, `D`, `Esc`). The drawing is in `customer/draw.rs`.

pub mod cameras;
pub mod customers;
mod delete;
mod draw;
pub mod edit;
pub mod logs;
mod people;
mod profile;
pub mod roles;
mod scroll;
mod status;
pub mod users;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use crate::action::{Action, KeyContext};
use crate::domain::{Customer, CustomerType, Id};
use crate::keymap::Keymap;
use crate::store::{Store, StoreError};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::display;
use crate::ui::modal::{Confirm, ConfirmAction, Dialog, TypedConfirm};

use cameras::CamerasPane;
use customers::CustomersPane;
use edit::ProfileEdit;
use logs::LogsPane;
pub use profile::StatusButton;
use profile::{ProfileData, ProfilePane};
use roles::RolesPane;
use status::{StatusToggle, status_question};
use users::UsersPane;

/// A sub-tab's pane: a [`Component`] that also fits itself to its area before drawing and reads
/// its customer again (what the protocol does not carry yet).
trait Pane: Component {
    /// Before drawing in `area`: fits what the drawing needs to it, reading nothing.
    fn before_draw(&mut self, _area: Rect) {}
    /// Reads what the pane shows of `customer` again, keeping selection and filter.
    fn reload_customer(&mut self, customer: &Customer, ctx: &mut Ctx) -> Result<(), StoreError>;
}

/// The view's own keys: the sub-tabs, Edit, Delete and Disable/Enable (Customer), the Account
/// Profile's scrolling (List), Esc (Global).
const VIEW_CONTEXTS: [KeyContext; 3] = [KeyContext::Customer, KeyContext::List, KeyContext::Global];

/// A pane's contexts, then the view's.
fn with_view_contexts(mut contexts: Vec<KeyContext>) -> Vec<KeyContext> {
    for context in VIEW_CONTEXTS {
        if !contexts.contains(&context) {
            contexts.push(context);
        }
    }
    contexts
}

/// The sub-tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubTab {
    Profile,
    /// A sub-integrator's own customers; other customers have no such tab.
    Customers,
    Cameras,
    Roles,
    Users,
    Logs,
}

impl SubTab {
    pub const ALL: [SubTab; 6] = [
        Self::Profile,
        Self::Customers,
        Self::Cameras,
        Self::Roles,
        Self::Users,
        Self::Logs,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Profile => "Account Profile",
            Self::Customers => "Customers",
            Self::Cameras => "Cameras",
            Self::Roles => "Roles",
            Self::Users => "Users",
            Self::Logs => "Logs",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The next (or previous) sub-tab, skipping Customers unless the customer is a
    /// sub-integrator (`integrator`).
    fn step(self, forward: bool, integrator: bool) -> SubTab {
        let n = Self::ALL.len();
        let mut i = self.index();
        loop {
            i = if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            let tab = Self::ALL[i];
            if tab != Self::Customers || integrator {
                return tab;
            }
        }
    }
}

/// What the Account Profile shows beyond the customer; the other sub-tabs load their own.
#[derive(Debug, Clone, Default)]
struct ViewData {
    profile: ProfileData,
}

impl ViewData {
    fn load(store: &Store, customer: &Customer) -> Result<ViewData, StoreError> {
        Ok(ViewData {
            profile: ProfileData::load(store, customer)?,
        })
    }
}

pub struct CustomerView {
    customer: Customer,
    data: ViewData,
    tab: SubTab,
    profile: ProfilePane,
    /// The Customers sub-tab of a sub-integrator.
    children: CustomersPane,
    cameras: CamerasPane,
    roles: RolesPane,
    users: UsersPane,
    logs: LogsPane,
    dialog: Option<Dialog<ConfirmAction>>,
    /// The y/N of Disable or Enable while it is open.
    status_ask: Option<Confirm<StatusToggle>>,
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
        let children = CustomersPane::new(&customer, ctx)?;
        let cameras = CamerasPane::new(&customer, ctx)?;
        let roles = RolesPane::new(&customer, ctx)?;
        let users = UsersPane::new(&customer, ctx)?;
        let logs = LogsPane::new(&customer, ctx)?;
        let mut profile = ProfilePane::default();
        profile.set_read_only(ctx.store.is_read_only());
        Ok(CustomerView {
            customer,
            data,
            tab: SubTab::Profile,
            profile,
            children,
            cameras,
            roles,
            users,
            logs,
            dialog: None,
            status_ask: None,
            edit: None,
        })
    }

    pub fn customer(&self) -> &Customer {
        &self.customer
    }

    fn is_integrator(&self) -> bool {
        self.customer.profile.kind == CustomerType::Integrator
    }

    pub fn tab(&self) -> SubTab {
        self.tab
    }

    /// The focused button of the Customer Status section, if any.
    pub fn focused_button(&self) -> Option<StatusButton> {
        self.profile.focus()
    }

    /// Whether a dialog (the Delete confirmation, a message, the Disable/Enable y/N) is open.
    pub fn dialog_open(&self) -> bool {
        self.dialog.is_some() || self.status_ask.is_some()
    }

    /// The Cameras pane, as last drawn.
    pub fn cameras_pane(&self) -> &CamerasPane {
        &self.cameras
    }

    /// The pane of the sub-tab shown; `None` on Account Profile.
    fn pane(&self) -> Option<&dyn Pane> {
        match self.tab {
            SubTab::Profile => None,
            SubTab::Customers => Some(&self.children),
            SubTab::Cameras => Some(&self.cameras),
            SubTab::Roles => Some(&self.roles),
            SubTab::Users => Some(&self.users),
            SubTab::Logs => Some(&self.logs),
        }
    }

    fn pane_mut(&mut self) -> Option<&mut dyn Pane> {
        match self.tab {
            SubTab::Profile => None,
            SubTab::Customers => Some(&mut self.children),
            SubTab::Cameras => Some(&mut self.cameras),
            SubTab::Roles => Some(&mut self.roles),
            SubTab::Users => Some(&mut self.users),
            SubTab::Logs => Some(&mut self.logs),
        }
    }

    fn panes(&self) -> [&dyn Pane; 5] {
        [
            &self.children,
            &self.cameras,
            &self.roles,
            &self.users,
            &self.logs,
        ]
    }

    fn panes_mut(&mut self) -> [&mut dyn Pane; 5] {
        [
            &mut self.children,
            &mut self.cameras,
            &mut self.roles,
            &mut self.users,
            &mut self.logs,
        ]
    }

    /// A key with its action ([`Component::handle_key`]): an open dialog, question or editor
    /// takes it; else the pane of the sub-tab sees it first, and what the pane leaves is the
    /// view's. An action neither uses is [`Effect::Ignored`]: the app then offers the key's
    /// next meaning (on a pane that does not sort, `S` comes back as Customer's ToggleStatus).
    fn key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        if self.dialog.is_some() {
            return self.dialog_key(key, action, ctx);
        }
        if self.status_ask.is_some() {
            return self.status_key(key, action, ctx);
        }
        if self.edit.is_some() {
            return self.edit_key(key, action, ctx);
        }
        if let Some(effect) = self.pane_key(key, action, ctx) {
            return effect;
        }
        let Some(action) = action else {
            return Effect::Ignored;
        };
        match action {
            Action::PrevSubTab | Action::NextSubTab => {
                self.tab = self
                    .tab
                    .step(action == Action::NextSubTab, self.is_integrator());
                Effect::Done
            }
            Action::Edit => self.open_edit(ctx),
            Action::Delete => self.open_delete(ctx),
            Action::ToggleStatus => self.open_status(ctx),
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
                Some(StatusButton::Disable) => self.open_status(ctx),
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
        if self.status_ask.is_some() {
            return Effect::Done;
        }
        let tab = self.tab;
        if self.edit.is_none() && tab != SubTab::Profile {
            let effect = self
                .pane_mut()
                .map_or(Effect::Ignored, |p| p.handle_paste(text, ctx));
            return self.after_pane(effect, ctx);
        }
        match &mut self.edit {
            Some(edit) => edit.handle_paste(text, ctx),
            None => Effect::Ignored,
        }
    }

    /// True while the Delete dialog's input (or any dialog, which takes every key) or the edit
    /// form has focus: the app must then send every key here first.
    pub fn captures_text(&self) -> bool {
        self.dialog.is_some()
            || self.status_ask.is_some()
            || match &self.edit {
                Some(edit) => edit.captures_text(),
                None => self.pane().is_some_and(|p| p.captures_text()),
            }
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if let Some(dialog) = &self.dialog {
            return (dialog.contexts(), vec![Action::Confirm, Action::Cancel]);
        }
        if let Some(ask) = &self.status_ask {
            return ask.hint();
        }
        if let Some(edit) = &self.edit {
            return edit.hint();
        }
        if self.tab != SubTab::Profile {
            let (pane_contexts, pane_actions) = self.pane().map(|p| p.hint()).unwrap_or_default();
            if self.pane().is_some_and(|p| p.captures_text()) {
                return (pane_contexts, pane_actions);
            }
            let contexts = with_view_contexts(pane_contexts);
            let mut actions = vec![Action::PrevSubTab, Action::NextSubTab];
            actions.extend(pane_actions);
            actions.push(Action::Back);
            return (contexts, actions);
        }
        let contexts = VIEW_CONTEXTS.to_vec();
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
        actions.extend([Action::ToggleStatus, Action::Delete, Action::Back]);
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
        let reloaded = self
            .panes_mut()
            .into_iter()
            .try_for_each(|p| p.reload_customer(&customer, ctx));
        if let Err(e) = reloaded {
            return Effect::Flash(Flash::error(e.to_string()));
        }
        // An open Disable/Enable question keeps its version (a stale one is refused), but says
        // what would happen now.
        if let Some(ask) = &mut self.status_ask
            && let Ok(change) = ctx.store.status_change_preview(customer.id)
        {
            ask.paragraphs = vec![status_question(&customer, ask.action.disable, &change)];
        }
        self.customer = customer;
        self.data = data;
        if self.tab == SubTab::Customers && !self.is_integrator() {
            self.tab = SubTab::Profile;
        }
        Effect::Done
    }

    pub fn is_dirty(&self) -> bool {
        self.edit.as_ref().is_some_and(|e| e.is_dirty())
            || self.panes().iter().any(|p| p.is_dirty())
    }

    /// On a pane's sub-tab, the pane sees the key first; `None` when it left the key to the view.
    fn pane_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Option<Effect> {
        let pane = self.pane_mut()?;
        let captured = pane.captures_text();
        let effect = pane.handle_key(key, action, ctx);
        if effect == Effect::Ignored && !captured {
            return None;
        }
        Some(self.after_pane(effect, ctx))
    }

    /// A pane wrote: show the customer as stored now (counts, estimate) and pass the news on.
    fn after_pane(&mut self, effect: Effect, ctx: &mut Ctx) -> Effect {
        match effect {
            Effect::Changed(flash) => match self.refresh(ctx) {
                back @ Effect::Back(_) => back,
                _ => Effect::Changed(flash),
            },
            Effect::Ignored => Effect::Done,
            other => other,
        }
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

    fn edit_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(edit) = &mut self.edit else {
            return Effect::Ignored;
        };
        match edit.handle_key(key, action, ctx) {
            Effect::Answered(_) => {
                let saved = edit.take_saved();
                self.edit_finished(saved, ctx)
            }
            effect => effect,
        }
    }

    /// The editor saved (`saved`) or was cancelled: close it and show the customer as stored
    /// now.
    fn edit_finished(&mut self, saved: Option<Customer>, ctx: &mut Ctx) -> Effect {
        self.edit = None;
        let Some(customer) = saved else {
            return Effect::Done;
        };
        let name = display(customer.name()).into_owned();
        self.customer = customer;
        match self.refresh(ctx) {
            Effect::Done => Effect::Changed(Some(Flash::info(format!("Saved {name}")))),
            other => other,
        }
    }

    fn scroll(&mut self, action: Action) -> bool {
        self.tab == SubTab::Profile && self.profile.apply(action)
    }
}

impl Component for CustomerView {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    /// An open dialog's, the editor's, a capturing pane's; else the pane's (innermost) and
    /// the view's own: on a pane tab a key can mean something to both, and the app offers
    /// the pane's meaning first, the view's if the pane answers `Ignored`.
    fn contexts(&self) -> Vec<KeyContext> {
        if let Some(dialog) = &self.dialog {
            return dialog.contexts();
        }
        if let Some(ask) = &self.status_ask {
            return ask.contexts();
        }
        if let Some(edit) = &self.edit {
            return edit.contexts();
        }
        match self.pane() {
            Some(pane) if pane.captures_text() => pane.contexts(),
            Some(pane) => with_view_contexts(pane.contexts()),
            None => VIEW_CONTEXTS.to_vec(),
        }
    }

    /// The shown pane's writes, and Enter on the Account Profile's Delete or Disable button.
    fn is_write(&self, action: Action) -> bool {
        if action.is_write() {
            return true;
        }
        if self.dialog_open() || self.edit.is_some() {
            return false;
        }
        match self.pane() {
            Some(pane) => pane.is_write(action),
            None => action == Action::Confirm && self.profile.focus().is_some(),
        }
    }
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        self.key(key, action, ctx)
    }
    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        CustomerView::handle_paste(self, text, ctx)
    }
    fn captures_text(&self) -> bool {
        CustomerView::captures_text(self)
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        CustomerView::hint(self)
    }
    fn is_dirty(&self) -> bool {
        CustomerView::is_dirty(self)
    }
    fn refresh(&mut self, ctx: &mut Ctx) -> Effect {
        CustomerView::refresh(self, ctx)
    }
    fn customer_id(&self) -> Option<crate::domain::Id> {
        Some(self.customer().id)
    }
}
