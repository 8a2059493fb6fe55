//! The Disable/Enable question of the customer view: what it says (the cameras that stop
//! recording, the users blocked, the customers disabled with it) and what answering yes runs.

use ratatui::crossterm::event::KeyEvent;

use super::CustomerView;
use crate::action::Action;
use crate::domain::{Customer, Status};
use crate::store::status::StatusChange;
use crate::ui::component::{Ctx, Effect, Flash};
use crate::ui::form::display;
use crate::ui::modal::{Confirm, answered, count_of};

impl CustomerView {
    /// Opens the y/N of Disable (active customer) or Enable (disabled one), naming the effects.
    pub(super) fn open_status(&mut self, ctx: &mut Ctx) -> Effect {
        let change = match ctx.store.status_change_preview(self.customer.id) {
            Ok(change) => change,
            Err(e) => return Effect::Flash(Flash::error(display(&e.to_string()).into_owned())),
        };
        let disable = self.customer.status == Status::Active;
        let title = if disable {
            "Disable customer"
        } else {
            "Enable customer"
        };
        let text = status_question(&self.customer, disable, &change);
        let action = StatusToggle {
            disable,
            version: self.customer.version,
        };
        self.status_ask = Some(Confirm::new(title, text, action));
        Effect::DialogOpened
    }

    pub(super) fn status_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        let Some(ask) = &mut self.status_ask else {
            return Effect::Ignored;
        };
        let toggle = match answered(ask, key, action, ctx) {
            None => return Effect::Done,
            Some(false) => {
                self.status_ask = None;
                return Effect::Done;
            }
            Some(true) => ask.action,
        };
        self.status_ask = None;
        let id = self.customer.id;
        let name = display(self.customer.name()).into_owned();
        let result = if toggle.disable {
            ctx.store.disable_customer(id, toggle.version, ctx.operator)
        } else {
            ctx.store.enable_customer(id, toggle.version, ctx.operator)
        };
        match result {
            Ok(change) => {
                let flash = Flash::info(status_done(&name, toggle.disable, &change));
                match self.refresh(ctx) {
                    back @ Effect::Back(_) => back,
                    _ => Effect::Changed(Some(flash)),
                }
            }
            Err(e) => {
                let flash = Effect::Flash(Flash::error(display(&e.to_string()).into_owned()));
                match self.refresh(ctx) {
                    back @ Effect::Back(_) => back,
                    _ => flash,
                }
            }
        }
    }
}

/// What the Disable/Enable question runs when answered yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StatusToggle {
    pub(super) disable: bool,
    /// The customer's version when the question opened: a change since is refused.
    version: i64,
}

fn n_of(n: usize, one: &str, many: &str) -> String {
    count_of(n as i64, one, many)
}

/// "Disable Acme? 12 cameras stop recording, 5 users are blocked, and its 2 customers are
/// disabled too." and its Enable counterpart.
pub(super) fn status_question(customer: &Customer, disable: bool, c: &StatusChange) -> String {
    let name = display(customer.name()).into_owned();
    let one = |n: usize, a: &str, b: &str| if n == 1 { a.to_string() } else { b.to_string() };
    let customers = n_of(c.children, "customer", "customers");
    let are = one(c.children, "is", "are");
    let (verb, cams, users, children) = if disable {
        (
            "Disable",
            one(c.cameras, "stops recording", "stop recording"),
            one(c.users, "is blocked", "are blocked"),
            format!("and its {customers} {are} disabled too"),
        )
    } else {
        (
            "Enable",
            one(c.cameras, "starts recording again", "start recording again"),
            one(c.users, "is unblocked", "are unblocked"),
            format!("{customers} it disabled {are} enabled"),
        )
    };
    let cams = format!("{} {cams}", n_of(c.cameras, "camera", "cameras"));
    let users = format!("{} {users}", n_of(c.users, "user", "users"));
    if c.children > 0 {
        format!("{verb} {name}? {cams}, {users}, {children}.")
    } else {
        format!("{verb} {name}? {cams} and {users}.")
    }
}

/// The flash after a disable or enable went through.
fn status_done(name: &str, disabled: bool, c: &StatusChange) -> String {
    let (verb, cams, users, children) = if disabled {
        (
            "Disabled",
            "stopped recording",
            "blocked",
            "disabled with it",
        )
    } else {
        ("Enabled", "recording again", "unblocked", "enabled with it")
    };
    let mut text = format!(
        "{verb} {name}: {} {cams}, {} {users}",
        n_of(c.cameras, "camera", "cameras"),
        n_of(c.users, "user", "users")
    );
    if c.children > 0 {
        text.push_str(&format!(
            ", {} {children}",
            n_of(c.children, "customer", "customers")
        ));
    }
    text
}
