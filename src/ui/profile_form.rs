//! The one form for a customer's profile: the Account Profile editor shows it whole, the
//! add-customer wizard shows one [`Section`] per step (steps 1-5).
//!
//! Every field is a widget of [`crate::ui::form`] keyed by the stable names of
//! [`validate::field`], so each validator's message lands under the field it is about.

mod build;
mod draw;
mod edit;
mod fields;
mod merge;
mod section;

use build::*;
use fields::*;
pub use merge::merge_profiles;
pub use section::Section;

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::action::{Action, KeyContext};
use crate::assets;
use crate::domain::bill::Bill;
use crate::domain::validate::{self, AddressFields, FieldError, clean_paste, field, max_len};
use crate::domain::{
    Address, Billing, Contact, CustomerProfile, CustomerType, DefaultSettings, Id, PaymentTerms,
    Plan, UserCreation, format_money,
};
use crate::store::{Store, StoreError};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::{Checkbox, Choice, FocusRing, TextField, clip, display, draw_line};

/// Keys of the checkboxes, which no validator names.
pub mod key {
    pub const DISABLE_ADMIN_PORTAL: &str = "defaults.disable_admin_portal";
    pub const DISABLE_CAMERA_SHARE: &str = "defaults.disable_camera_share";
    pub const CONFIRM_EMAIL: &str = "user_creation.confirm_email";
    pub const CHANGE_PASSWORD: &str = "user_creation.change_password";
    pub const SAME_AS_COMPANY: &str = "billing.same_as_company";
    pub const TAX_EXEMPT: &str = "billing.tax_exempt";
}

/// The live estimate line of the Billing section; not a field.
const ESTIMATE: &str = "billing.estimate";

/// Narrower areas get one column of fields.
const TWO_COLUMNS_MIN_WIDTH: u16 = 100;
const COLUMN_GAP: u16 = 2;

/// What the choice lists offer, read once from the store.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    /// Sub-integrators a customer can sit under: (id, name).
    pub integrators: Vec<(Id, String)>,
    pub plans: Vec<Plan>,
}

impl Lookups {
    pub fn load(store: &Store) -> Result<Lookups, StoreError> {
        Ok(Lookups {
            integrators: store.integrators()?,
            plans: store.plans()?,
        })
    }
}

/// Every field of a customer's profile, the focus of each section, and where each section is
/// scrolled to.
#[derive(Debug, Clone)]
pub struct ProfileForm {
    fields: Vec<Field>,
    /// Per section: indexes into `fields` in focus order.
    orders: [Vec<usize>; 5],
    rings: [FocusRing; 5],
    /// Per section: the first row shown; drawing keeps the focus in view.
    scroll: [Cell<u16>; 5],
    /// The stored billing address, kept while the billing address follows the company's.
    stored_billing_address: Address,
    /// The profile as first shown, for `is_dirty`.
    baseline: CustomerProfile,
    /// The time zone was filled in by the form, so choosing a country may change it.
    time_zone_auto: bool,
    /// The billing contact and email last proposed from the contact: while the billing fields
    /// still hold these (or nothing), they follow the contact; edited by hand, they stay.
    proposed_billing: (String, String),
    /// The billing address the operator had typed before checking "same as company address",
    /// brought back when it is unchecked.
    typed_billing_address: Option<Address>,
    /// Linked cameras that follow the customer's recording plan.
    cameras: usize,
    /// The plans of the linked cameras that have one of their own.
    own_plans: Vec<Id>,
    plans: Vec<Plan>,
    /// The section shown when the form is driven as a [`Component`].
    section: Section,
}

impl ProfileForm {
    pub fn new(profile: &CustomerProfile, lookups: &Lookups) -> Self {
        let fields = build_fields(profile, lookups);
        let mut form = Self {
            fields,
            orders: Default::default(),
            rings: Default::default(),
            scroll: Default::default(),
            stored_billing_address: profile.billing.address.clone(),
            baseline: CustomerProfile::default(),
            time_zone_auto: false,
            proposed_billing: proposed_billing(&profile.contact),
            typed_billing_address: None,
            cameras: 0,
            own_plans: Vec::new(),
            plans: lookups.plans.clone(),
            section: Section::Type,
        };
        for section in Section::ALL {
            let order: Vec<usize> = section
                .rows()
                .iter()
                .flat_map(|row| row.iter())
                .filter_map(|key| form.index_of(key))
                .collect();
            form.rings[section.index()] = FocusRing::new(order.len());
            form.orders[section.index()] = order;
        }
        if profile.contact.time_zone.trim().is_empty() {
            form.time_zone_auto = true;
            form.default_time_zone();
        }
        form.sync();
        for section in Section::ALL {
            form.set_focus_first(section);
        }
        form.baseline = form.profile();
        form
    }

    /// After another operator saved the same customer: the fields this operator changed keep
    /// their input, every other field takes `theirs`, and the form counts as changed against
    /// `theirs` (so a save writes exactly the operator's own edits over the fresh record).
    pub fn rebase(&mut self, base: &CustomerProfile, theirs: &CustomerProfile, lookups: &Lookups) {
        let merged = merge_profiles(base, &self.profile(), theirs);
        let cameras = self.cameras;
        let scroll = self.scroll.clone();
        let focus: Vec<usize> = self.rings.iter().map(FocusRing::current).collect();
        *self = ProfileForm::new(&merged, lookups);
        self.cameras = cameras;
        self.scroll = scroll;
        for (ring, at) in self.rings.iter_mut().zip(focus) {
            ring.set(at);
        }
        self.baseline = theirs.clone();
    }

    /// The current values, trimmed as they are saved. While the billing address follows the
    /// company's, `billing.address` keeps the stored one (see `CustomerProfile::billing_address`).
    pub fn profile(&self) -> CustomerProfile {
        use field::*;
        let kind = match self.opt(KIND) {
            Some(Opt::Kind(kind)) => *kind,
            _ => CustomerType::Customer,
        };
        let same_as_company = self.checked(key::SAME_AS_COMPANY);
        let mut profile = CustomerProfile {
            kind,
            parent_id: match kind {
                CustomerType::Integrator => None,
                CustomerType::Customer => self.opt_id(PARENT),
            },
            contact: Contact {
                company: self.text(CONTACT_COMPANY),
                first_name: self.text(CONTACT_FIRST_NAME),
                last_name: self.text(CONTACT_LAST_NAME),
                email: self.text(CONTACT_EMAIL),
                phone: self.text(CONTACT_PHONE),
                address: self.address(&validate::CONTACT_ADDRESS),
                time_zone: self.opt_code(CONTACT_TIME_ZONE),
                reference: self.text(CONTACT_REFERENCE),
                notes: self.text(CONTACT_NOTES),
            },
            defaults: DefaultSettings {
                disable_admin_portal: self.checked(key::DISABLE_ADMIN_PORTAL),
                disable_camera_share: self.checked(key::DISABLE_CAMERA_SHARE),
                default_plan_id: self.opt_id(DEFAULTS_DEFAULT_PLAN),
            },
            user_creation: UserCreation {
                confirm_email: self.checked(key::CONFIRM_EMAIL),
                change_password: self.checked(key::CHANGE_PASSWORD),
            },
            billing: Billing {
                same_as_company,
                contact: self.text(BILLING_CONTACT),
                email: self.text(BILLING_EMAIL),
                phone: self.text(BILLING_PHONE),
                address: if same_as_company {
                    self.stored_billing_address.clone()
                } else {
                    self.address(&validate::BILLING_ADDRESS)
                },
                tax_id: self.text(BILLING_TAX_ID),
                tax_exempt: self.checked(key::TAX_EXEMPT),
                terms: match self.opt(BILLING_TERMS) {
                    Some(Opt::Terms(terms)) => *terms,
                    _ => PaymentTerms::default(),
                },
            },
        };
        validate::normalize_profile(&mut profile);
        profile
    }

    /// Differs from the profile it was built from.
    pub fn is_dirty(&self) -> bool {
        self.profile() != self.baseline
    }

    /// Focuses the first field of `section` that can take focus, and scrolls it to the top.
    pub fn set_focus_first(&mut self, section: Section) {
        let s = section.index();
        self.rings[s].set(0);
        let skipped = self.skipped(section);
        if skipped.first().copied().unwrap_or(false) {
            self.rings[s].next(|i| skipped[i]);
        }
        self.scroll[s].set(0);
    }

    /// Focuses the field with this key; returns its section.
    pub fn focus(&mut self, field_key: &str) -> Option<Section> {
        let index = self.index_of(field_key)?;
        let section = self.fields[index].section;
        let position = self.orders[section.index()]
            .iter()
            .position(|&i| i == index)?;
        self.rings[section.index()].set(position);
        Some(section)
    }

    /// The key of the focused field of `section`.
    pub fn focused_key(&self, section: Section) -> Option<&'static str> {
        self.focused(section).map(|i| self.fields[i].key())
    }

    /// The message shown under the field with this key.
    pub fn error(&self, field_key: &str) -> Option<&str> {
        self.index_of(field_key)
            .and_then(|i| self.fields[i].error())
    }

    /// How many fields of `section` show an error.
    pub fn error_count(&self, section: Section) -> usize {
        self.orders[section.index()]
            .iter()
            .filter(|&&i| self.fields[i].error().is_some())
            .count()
    }

    /// A text field, or an open choice list, has focus: typed letters are text, not shortcuts.
    pub fn text_focused(&self, section: Section) -> bool {
        match self.focused(section).map(|i| &self.fields[i].widget) {
            Some(Widget::Text(t)) => !t.read_only,
            Some(Widget::Choice(c)) => c.open,
            _ => false,
        }
    }

    /// Runs the validators of `section` (and, for the company name, the store's check that no
    /// other customer has it), puts each message under its field, focuses the first bad field
    /// and returns the number of problems.
    pub fn validate(&mut self, section: Section, store: &Store, customer_id: Option<Id>) -> usize {
        self.clear_errors(section);
        let errors = self.section_errors(section, Some((store, customer_id)));
        for error in &errors {
            if let Some(index) = self.index_of(error.field) {
                self.fields[index].set_error(Some(error.to_string()));
            }
        }
        let s = section.index();
        if let Some(first) = self.orders[s]
            .iter()
            .position(|&i| self.fields[i].error().is_some())
        {
            self.rings[s].set(first);
        }
        errors.len()
    }

    /// As [`Self::validate`], leaving the focus on the field the operator is typing in: for
    /// checking again while they fix what a summary listed.
    pub fn recheck(&mut self, section: Section, store: &Store, customer_id: Option<Id>) -> usize {
        let s = section.index();
        let at = self.rings[s].current();
        let n = self.validate(section, store, customer_id);
        self.rings[s].set(at);
        n
    }

    /// The message of the first field of `section`, in form order, that shows one.
    pub fn first_error(&self, section: Section) -> Option<String> {
        self.orders[section.index()]
            .iter()
            .find_map(|&i| self.fields[i].error().map(str::to_owned))
    }

    pub fn clear_errors(&mut self, section: Section) {
        for field in self.fields.iter_mut().filter(|f| f.section == section) {
            field.set_error(None);
        }
    }

    /// Shows `message` under the field with this key (a refusal of the store, such as a name
    /// taken meanwhile) and focuses it. Returns the section that holds the field.
    pub fn set_error(&mut self, field_key: &str, message: String) -> Option<Section> {
        let index = self.index_of(field_key)?;
        self.fields[index].set_error(Some(message));
        self.focus(field_key)
    }

    /// The wizard says how many cameras are picked, for the estimate in Billing.
    pub fn set_camera_count(&mut self, n: usize) {
        self.cameras = n;
    }

    /// The Account Profile's edit form: each linked camera's own plan (`None`: it follows the
    /// customer's recording plan), for the estimate.
    pub fn set_linked_cameras(&mut self, plans: &[Option<Id>]) {
        self.cameras = plans.iter().filter(|p| p.is_none()).count();
        self.own_plans = plans.iter().flatten().copied().collect();
    }

    /// The bill of the linked cameras (`cameras` of them following the recording plan chosen
    /// here, plus those with a plan of their own): "39.96 USD (4 × Standard 30 at 9.99 USD)".
    /// `None` when no camera has a plan to bill.
    pub fn monthly_estimate(&self, cameras: usize) -> Option<String> {
        let mut linked: Vec<Option<Id>> = vec![None; cameras];
        linked.extend(self.own_plans.iter().map(|id| Some(*id)));
        let recording_plan = self.opt_id(field::DEFAULTS_DEFAULT_PLAN);
        let bill = Bill::of(&self.plans, recording_plan, &linked);
        (recording_plan.is_some() || !bill.lines.is_empty()).then(|| bill.summary())
    }

    fn index_of(&self, field_key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key() == field_key)
    }

    fn focused(&self, section: Section) -> Option<usize> {
        let s = section.index();
        if self.rings[s].is_empty() {
            return None;
        }
        self.orders[s].get(self.rings[s].current()).copied()
    }

    /// Per position of the section's focus order: whether focus skips it.
    fn skipped(&self, section: Section) -> Vec<bool> {
        self.orders[section.index()]
            .iter()
            .map(|&i| self.fields[i].disabled.is_some())
            .collect()
    }

    fn step(&mut self, section: Section, forward: bool) {
        let skipped = self.skipped(section);
        let ring = &mut self.rings[section.index()];
        if forward {
            ring.next(|i| skipped[i]);
        } else {
            ring.prev(|i| skipped[i]);
        }
    }

    fn text(&self, field_key: &str) -> String {
        match self.index_of(field_key).map(|i| &self.fields[i].widget) {
            Some(Widget::Text(t)) => t.value().trim().to_owned(),
            _ => String::new(),
        }
    }

    fn checked(&self, field_key: &str) -> bool {
        matches!(
            self.index_of(field_key).map(|i| &self.fields[i].widget),
            Some(Widget::Check(c)) if c.checked
        )
    }

    fn opt(&self, field_key: &str) -> Option<&Opt> {
        match self.index_of(field_key).map(|i| &self.fields[i].widget) {
            Some(Widget::Choice(c)) => c.selected_value(),
            _ => None,
        }
    }

    fn opt_id(&self, field_key: &str) -> Option<Id> {
        match self.opt(field_key) {
            Some(Opt::Id(id)) => *id,
            _ => None,
        }
    }

    fn opt_code(&self, field_key: &str) -> String {
        match self.opt(field_key) {
            Some(Opt::Code(code)) => code.clone(),
            _ => String::new(),
        }
    }

    fn address(&self, keys: &AddressFields) -> Address {
        Address {
            line1: self.text(keys.line1.0),
            line2: self.text(keys.line2.0),
            city: self.text(keys.city.0),
            state: self.text(keys.state.0),
            postal_code: self.text(keys.postal_code.0),
            country: self.opt_code(keys.country.0),
        }
    }

    fn set_text(&mut self, field_key: &str, value: &str) {
        if let Some(i) = self.index_of(field_key)
            && let Widget::Text(t) = &mut self.fields[i].widget
            && t.value() != value
        {
            t.set_value(value);
        }
    }

    fn select(&mut self, field_key: &str, value: Opt) {
        if let Some(i) = self.index_of(field_key)
            && let Widget::Choice(c) = &mut self.fields[i].widget
        {
            select_or_add(c, value);
        }
    }

    /// Sets the time zone to the state's or province's (in countries with several), else the
    /// country's when that is obvious, else to UTC.
    fn default_time_zone(&mut self) {
        let country = self.opt_code(field::CONTACT_ADDRESS_COUNTRY);
        let state = self.text_raw(field::CONTACT_ADDRESS_STATE);
        let zone = assets::state_time_zone(&country, &state)
            .or_else(|| zone_of_country(&country))
            .unwrap_or("UTC");
        self.select(field::CONTACT_TIME_ZONE, Opt::Code(zone.to_owned()));
    }

    /// Keeps the dependent fields in step: the parent of a sub-integrator, the billing address
    /// that follows the company's.
    fn sync(&mut self) {
        let integrator = matches!(
            self.opt(field::KIND),
            Some(Opt::Kind(CustomerType::Integrator))
        );
        if let Some(i) = self.index_of(field::PARENT) {
            self.fields[i].disabled =
                integrator.then_some("a sub-integrator sits under the integrator itself");
            if integrator {
                self.fields[i].set_error(None);
            }
        }
        let same = self.checked(key::SAME_AS_COMPANY);
        let company = validate::CONTACT_ADDRESS;
        let billing = validate::BILLING_ADDRESS;
        let pairs = [
            (company.line1.0, billing.line1.0),
            (company.line2.0, billing.line2.0),
            (company.city.0, billing.city.0),
            (company.state.0, billing.state.0),
            (company.postal_code.0, billing.postal_code.0),
        ];
        for (from, to) in pairs {
            if same {
                let value = self.text_raw(from);
                self.set_text(to, &value);
            }
            if let Some(i) = self.index_of(to) {
                let field = &mut self.fields[i];
                field.disabled = same.then_some("read-only");
                if let Widget::Text(t) = &mut field.widget {
                    t.read_only = same;
                }
                if same {
                    field.set_error(None);
                }
            }
        }
        if same {
            let country = self.opt_code(company.country.0);
            self.select(billing.country.0, Opt::Code(country));
        }
        if let Some(i) = self.index_of(billing.country.0) {
            self.fields[i].disabled = same.then_some("read-only");
            if same {
                self.fields[i].set_error(None);
            }
        }
    }

    fn text_raw(&self, field_key: &str) -> String {
        match self.index_of(field_key).map(|i| &self.fields[i].widget) {
            Some(Widget::Text(t)) => t.value().to_owned(),
            _ => String::new(),
        }
    }

    /// The label of each field, for messages about fields ("Phone is now ...").
    pub fn label_of(&self, field_key: &str) -> Option<&'static str> {
        self.index_of(field_key).map(|i| self.fields[i].label())
    }
}

/// Selects the option with this value, adding it (marked) when the list does not hold it, so a
/// stored value is never lost for not being offered.
fn select_or_add(choice: &mut Choice<Opt>, value: Opt) {
    choice.select_where(|o| *o == value);
    if choice.selected.is_some() {
        return;
    }
    let label = match &value {
        Opt::Code(code) if code.is_empty() => {
            return;
        }
        Opt::Code(code) => format!("{code} (not in the list)"),
        Opt::Id(Some(id)) => format!("#{id} (no longer available)"),
        Opt::Id(None) => "None".to_owned(),
        Opt::Kind(kind) => kind.label().to_owned(),
        Opt::Terms(terms) => terms.label().to_owned(),
    };
    choice.options.push((value, label));
    choice.selected = Some(choice.options.len() - 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obvious_zones_are_shipped() {
        assert_eq!(zone_of_country("fr"), Some("Europe/Paris"));
        assert_eq!(zone_of_country("US"), None);
    }

    #[test]
    fn a_new_profile_is_not_dirty() {
        let form = ProfileForm::new(&CustomerProfile::default(), &Lookups::default());
        assert!(!form.is_dirty());
        assert_eq!(form.profile().contact.time_zone, "UTC");
    }
}
