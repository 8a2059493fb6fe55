//! The top-menu tabs: switching, leaving the wizard for another tab, opening the wizard.

use super::{App, READ_ONLY};
use crate::domain::Id;
use crate::ui::Tab;
use crate::ui::audit::AuditScreen;
use crate::ui::cameras::CamerasScreen;
use crate::ui::component::{Effect, Flash};
use crate::ui::customer::CustomerView;
use crate::ui::plans::PlansScreen;
use crate::ui::wizard::Wizard;

impl App {
    /// Shows a top-menu tab, building its screen on the first visit.
    pub(super) fn switch_tab(&mut self, tab: Tab) {
        let built = match tab {
            Tab::Customers => Ok(()),
            Tab::Cameras if self.screens.cameras.is_none() => CamerasScreen::new(&self.env.store)
                .map(|mut s| {
                    if self.idle_reads {
                        s.read_in_idle_time();
                    }
                    self.screens.cameras = Some(s);
                }),
            Tab::Plans if self.screens.plans.is_none() => {
                PlansScreen::new(&self.env.store).map(|s| self.screens.plans = Some(s))
            }
            Tab::Audit if self.screens.audit.is_none() => {
                AuditScreen::new(&self.env.store).map(|s| self.screens.audit = Some(s))
            }
            _ => Ok(()),
        };
        match built {
            Ok(()) => self.tab = tab,
            Err(e) => self.flash = Some(Flash::error(e.to_string())),
        }
    }

    /// `1`..`4`. With the wizard open it is left first, as Esc leaves it: at once when nothing
    /// was typed (then the tab's list), else its leave prompt is shown on the Customers tab.
    pub(super) fn tab_key(&mut self, tab: Tab) {
        match self.screens.top_mut(Tab::Customers).leave_for_tab() {
            None => self.land_on_tab(tab),
            Some(Effect::Back(flash)) => {
                self.apply(Effect::Back(flash));
                self.land_on_tab(tab);
            }
            Some(effect) => {
                self.tab = Tab::Customers;
                self.apply(effect);
            }
        }
    }

    /// `1`..`4`: the tab's list, not the customer last shown on it (whose keys would then take
    /// what the operator types for the list). A customer with an unsaved edit stays open.
    pub(super) fn land_on_tab(&mut self, tab: Tab) {
        self.switch_tab(tab);
        if self.tab != Tab::Customers || self.screens.wizard.is_some() {
            return;
        }
        match &self.screens.view {
            Some(view) if view.is_dirty() => {
                self.flash = Some(Flash::warning(
                    "Unsaved changes: save or cancel the edit before leaving this customer",
                ));
            }
            Some(_) => {
                self.screens.view = None;
                self.reload_lists();
            }
            None => {}
        }
    }

    pub(super) fn on_customer_list(&self) -> bool {
        self.tab == Tab::Customers && self.screens.view.is_none() && self.screens.wizard.is_none()
    }

    /// `a` (or resuming at start): the wizard, from the operator's draft when there is one.
    pub(super) fn open_wizard(&mut self, resume: bool) {
        if self.env.store.is_read_only() {
            self.flash = Some(Flash::warning(READ_ONLY));
            return;
        }
        self.tab = Tab::Customers;
        let mut ctx = self.env.ctx();
        let has_draft = matches!(ctx.store.draft(&ctx.operator.login), Ok(Some(_)));
        let opened = if resume || has_draft {
            Wizard::resume(&mut ctx).map(|w| w.map(|w| (w, true)))
        } else {
            Ok(None)
        };
        let opened = match opened {
            Ok(Some(found)) => Ok(found),
            Ok(None) => Wizard::new(&mut ctx).map(|w| (w, false)),
            Err(e) => Err(e),
        };
        match opened {
            Ok((wizard, resumed)) => {
                self.screens.wizard = Some(wizard);
                if resumed {
                    self.flash = Some(Flash::info("Resumed your draft"));
                }
            }
            Err(e) => {
                self.flash = Some(Flash::error(format!(
                    "Could not open the wizard: {e}. Press a again for a new one after d on the resume question."
                )))
            }
        }
    }

    /// Enter on a customer (or a new one created): its view, over the Customers list.
    pub(super) fn open_customer(&mut self, id: Id) {
        self.screens.wizard = None;
        self.tab = Tab::Customers;
        let mut ctx = self.env.ctx();
        match CustomerView::open(id, &mut ctx) {
            Ok(view) => self.screens.view = Some(view),
            Err(e) => self.flash = Some(Flash::error(e.to_string())),
        }
        self.reload_lists();
    }
}
