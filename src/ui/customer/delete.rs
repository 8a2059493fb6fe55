//! The Delete dialog of the customer view: the typed confirmation, or why a sub-integrator
//! with customers cannot be deleted; and what a confirmed dialog runs.

use ratatui::crossterm::event::KeyEvent;

use super::{CustomerView, SubTab};
use crate::action::Action;
use crate::ui::component::{Ctx, Effect, Flash};
use crate::ui::form::display;
use crate::ui::modal::{
    Confirm, ConfirmAction, Dialog, MessageDialog, TypedConfirm, answer_in, count_of,
};

impl CustomerView {
    pub(super) fn dialog_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        match answer_in(&mut self.dialog, key, action, ctx) {
            (Some(action), _) => self.run(action, ctx),
            (None, effect) => effect,
        }
    }

    /// Opens the Delete dialog, or says why this customer cannot be deleted.
    pub(super) fn open_delete(&mut self, ctx: &mut Ctx) -> Effect {
        let impact = match ctx.store.delete_impact(self.customer.id) {
            Ok(impact) => impact,
            Err(e) => return Effect::Flash(Flash::error(e.to_string())),
        };
        self.dialog = Some(if impact.children > 0 {
            self.refusal(impact.children, ctx)
        } else {
            Dialog::Typed(Box::new(TypedConfirm::delete_customer(
                &self.customer,
                &impact,
            )))
        });
        Effect::DialogOpened
    }

    /// Why a sub-integrator with customers cannot be deleted: their count, the first few by
    /// name, and `y` to open its Customers sub-tab.
    fn refusal(&self, children: i64, ctx: &mut Ctx) -> Dialog<ConfirmAction> {
        const NAMED: i64 = 5;
        let headline = format!(
            "{} still has {}: move or delete them first",
            self.customer.name(),
            count_of(children, "customer", "customers")
        );
        let names: Vec<String> = match ctx.store.customers_under(self.customer.id, NAMED) {
            Ok(rows) => rows.into_iter().map(|r| r.name).collect(),
            Err(_) => Vec::new(),
        };
        if names.is_empty() {
            return Dialog::Message(MessageDialog::new("Cannot delete", headline));
        }
        let mut named = names.join(", ");
        let more = children - names.len() as i64;
        if more > 0 {
            named.push_str(&format!(" and {more} more"));
        }
        Dialog::Confirm(Confirm::headlined(
            "Cannot delete",
            vec![headline, format!("Its customers: {named}.")],
            ConfirmAction::ShowCustomers,
            "show its customers",
            "close",
        ))
    }

    /// Runs what a dialog confirmed.
    fn run(&mut self, action: ConfirmAction, ctx: &mut Ctx) -> Effect {
        match action {
            ConfirmAction::ShowCustomers => {
                self.tab = SubTab::Customers;
                Effect::Done
            }
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
}
