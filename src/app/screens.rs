//! What the top-menu tabs show: a stack of screens per tab, asked through [`Component`].

use ratatui::layout::Rect;

use crate::store::Store;
use crate::ui::Tab;
use crate::ui::audit::AuditScreen;
use crate::ui::cameras::CamerasScreen;
use crate::ui::component::Component;
use crate::ui::customer::CustomerView;
use crate::ui::customers::CustomersScreen;
use crate::ui::plans::PlansScreen;
use crate::ui::wizard::Wizard;

/// The screens of the four tabs. Customers is a stack: its list, the customer opened from it
/// and the wizard over both; the topmost has the keyboard. The other tabs hold one list each,
/// built on the first visit: counting a million cameras or the whole audit log has no place in
/// start-up.
pub(super) struct Screens {
    pub(super) customers: CustomersScreen,
    pub(super) view: Option<CustomerView>,
    pub(super) wizard: Option<Wizard>,
    pub(super) cameras: Option<CamerasScreen>,
    pub(super) plans: Option<PlansScreen>,
    pub(super) audit: Option<AuditScreen>,
}

impl Screens {
    pub(super) fn new(customers: CustomersScreen) -> Self {
        Self {
            customers,
            view: None,
            wizard: None,
            cameras: None,
            plans: None,
            audit: None,
        }
    }

    /// The top of `tab`'s stack: the screen that has the keyboard there (the Customers list
    /// while the tab's own list is not built yet).
    pub(super) fn top(&self, tab: Tab) -> &dyn Component {
        self.shown(tab).unwrap_or(&self.customers)
    }

    /// The top of `tab`'s stack as drawn: `None` while the tab's own list is not built yet.
    pub(super) fn shown(&self, tab: Tab) -> Option<&dyn Component> {
        match tab {
            Tab::Customers => Some(match (&self.wizard, &self.view) {
                (Some(w), _) => w,
                (None, Some(v)) => v,
                (None, None) => &self.customers,
            }),
            Tab::Cameras => self.cameras.as_ref().map(|s| s as &dyn Component),
            Tab::Plans => self.plans.as_ref().map(|s| s as &dyn Component),
            Tab::Audit => self.audit.as_ref().map(|s| s as &dyn Component),
        }
    }

    /// Before [`Screens::shown`] draws in `area`: the lists fit the window of rows they read
    /// to it, and the customer view its panes.
    pub(super) fn before_draw(&mut self, tab: Tab, area: Rect, store: &Store) {
        match tab {
            Tab::Customers => match (&self.wizard, &mut self.view) {
                (Some(_), _) => {}
                (None, Some(view)) => view.before_draw(area),
                (None, None) => self.customers.before_draw(area, store),
            },
            Tab::Cameras => {
                if let Some(s) = &mut self.cameras {
                    s.before_draw(area, store);
                }
            }
            Tab::Plans => {
                if let Some(s) = &mut self.plans {
                    s.before_draw(area, store);
                }
            }
            Tab::Audit => {
                if let Some(s) = &mut self.audit {
                    s.before_draw(area, store);
                }
            }
        }
    }

    /// As [`Screens::top`], to hand it a key.
    pub(super) fn top_mut(&mut self, tab: Tab) -> &mut dyn Component {
        match tab {
            Tab::Customers => match (&mut self.wizard, &mut self.view) {
                (Some(w), _) => w,
                (None, Some(v)) => v,
                (None, None) => &mut self.customers,
            },
            Tab::Cameras => match &mut self.cameras {
                Some(s) => s,
                None => &mut self.customers,
            },
            Tab::Plans => match &mut self.plans {
                Some(s) => s,
                None => &mut self.customers,
            },
            Tab::Audit => match &mut self.audit {
                Some(s) => s,
                None => &mut self.customers,
            },
        }
    }

    /// Closes the top of the Customers stack (the wizard, else the customer shown).
    pub(super) fn pop_customer_screen(&mut self) {
        if self.wizard.is_some() {
            self.wizard = None;
        } else {
            self.view = None;
        }
    }

    /// Every screen built: the Customers stack bottom first, then the other tabs'.
    pub(super) fn all(&self) -> Vec<&dyn Component> {
        let mut all: Vec<&dyn Component> = vec![&self.customers];
        let over = [
            self.view.as_ref().map(|s| s as &dyn Component),
            self.wizard.as_ref().map(|s| s as _),
            self.cameras.as_ref().map(|s| s as _),
            self.plans.as_ref().map(|s| s as _),
            self.audit.as_ref().map(|s| s as _),
        ];
        all.extend(over.into_iter().flatten());
        all
    }

    /// As [`Screens::all`], to reload, tick or save them.
    pub(super) fn all_mut(&mut self) -> Vec<&mut dyn Component> {
        let mut all: Vec<&mut dyn Component> = vec![&mut self.customers];
        let over = [
            self.view.as_mut().map(|s| s as &mut dyn Component),
            self.wizard.as_mut().map(|s| s as _),
            self.cameras.as_mut().map(|s| s as _),
            self.plans.as_mut().map(|s| s as _),
            self.audit.as_mut().map(|s| s as _),
        ];
        all.extend(over.into_iter().flatten());
        all
    }
}
