//! The one form for a customer's profile: the Account Profile editor shows it whole, the
//! add-customer wizard shows one [`Section`] per step (steps 1-5).
//!
//! Every field is a widget of [`crate::ui::form`] keyed by the stable names of
//! [`validate::field`], so each validator's message lands under the field it is about.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
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
use crate::keymap::Keymap;
use crate::store::{Store, StoreError};
use crate::theme::Theme;
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

/// The groups of the profile: the wizard's steps 1-5, the editor's tabs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Section {
    Type,
    Contact,
    Defaults,
    UserCreation,
    Billing,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Self::Type,
        Self::Contact,
        Self::Defaults,
        Self::UserCreation,
        Self::Billing,
    ];

    /// The heading of the wizard step.
    pub fn title(self) -> &'static str {
        match self {
            Self::Type => "Customer Type",
            Self::Contact => "Contact information",
            Self::Defaults => "Default Settings",
            Self::UserCreation => "User creation setting",
            Self::Billing => "Billing information",
        }
    }

    /// A short name for tabs.
    pub fn label(self) -> &'static str {
        match self {
            Self::Type => "Type",
            Self::Contact => "Contact",
            Self::Defaults => "Defaults",
            Self::UserCreation => "User creation",
            Self::Billing => "Billing",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The section after this one, if any.
    pub fn next(self) -> Option<Section> {
        Self::ALL.get(self.index() + 1).copied()
    }

    /// The section before this one, if any.
    pub fn prev(self) -> Option<Section> {
        self.index().checked_sub(1).map(|i| Self::ALL[i])
    }

    /// Rows of field keys as laid out in two columns; one column takes them in the same order.
    fn rows(self) -> &'static [&'static [&'static str]] {
        use field::*;
        match self {
            Self::Type => &[&[KIND, PARENT]],
            Self::Contact => &[
                &[CONTACT_COMPANY],
                &[CONTACT_FIRST_NAME, CONTACT_LAST_NAME],
                &[CONTACT_EMAIL, CONTACT_PHONE],
                &[CONTACT_ADDRESS_LINE1, CONTACT_ADDRESS_LINE2],
                &[CONTACT_ADDRESS_CITY, CONTACT_ADDRESS_STATE],
                &[CONTACT_ADDRESS_POSTAL_CODE, CONTACT_ADDRESS_COUNTRY],
                &[CONTACT_TIME_ZONE, CONTACT_REFERENCE],
                &[CONTACT_NOTES],
            ],
            Self::Defaults => &[
                &[key::DISABLE_ADMIN_PORTAL],
                &[key::DISABLE_CAMERA_SHARE],
                &[DEFAULTS_DEFAULT_PLAN],
            ],
            Self::UserCreation => &[&[key::CONFIRM_EMAIL], &[key::CHANGE_PASSWORD]],
            Self::Billing => &[
                &[key::SAME_AS_COMPANY],
                &[BILLING_ADDRESS_LINE1, BILLING_ADDRESS_LINE2],
                &[BILLING_ADDRESS_CITY, BILLING_ADDRESS_STATE],
                &[BILLING_ADDRESS_POSTAL_CODE, BILLING_ADDRESS_COUNTRY],
                &[BILLING_CONTACT, BILLING_EMAIL],
                &[BILLING_PHONE, BILLING_TAX_ID],
                &[BILLING_TERMS, key::TAX_EXEMPT],
                &[ESTIMATE],
            ],
        }
    }
}

/// What a key did to the form.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FormOutcome {
    Consumed,
    /// Enter on the last field of the section: the caller moves on (next step, save).
    NextFromLast,
    /// Not a key of the form; the caller may use it.
    Ignored,
}

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

/// The value of an option of any choice list of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Opt {
    Kind(CustomerType),
    Id(Option<Id>),
    Code(String),
    Terms(PaymentTerms),
}

#[derive(Debug, Clone)]
enum Widget {
    Text(TextField),
    Check(Checkbox),
    Choice(Choice<Opt>),
}

#[derive(Debug, Clone)]
struct Field {
    section: Section,
    widget: Widget,
    /// Skipped by the focus and drawn greyed (parent of a sub-integrator, billing address
    /// that follows the company's).
    disabled: Option<&'static str>,
}

impl Field {
    fn new(section: Section, widget: Widget) -> Self {
        Self {
            section,
            widget,
            disabled: None,
        }
    }

    fn key(&self) -> &'static str {
        match &self.widget {
            Widget::Text(t) => t.key,
            Widget::Check(c) => c.key,
            Widget::Choice(c) => c.key,
        }
    }

    fn label(&self) -> &'static str {
        match &self.widget {
            Widget::Text(t) => t.label,
            Widget::Check(c) => c.label,
            Widget::Choice(c) => c.label,
        }
    }

    /// Rows at `width` columns: a message under the field wraps.
    fn height(&self, width: u16) -> u16 {
        match &self.widget {
            Widget::Text(t) => t.height_in(width),
            Widget::Check(c) => c.height(),
            Widget::Choice(_) if self.disabled.is_some() => 2,
            Widget::Choice(c) => c.height_in(width),
        }
    }

    fn error(&self) -> Option<&str> {
        match &self.widget {
            Widget::Text(t) => t.error.as_deref(),
            Widget::Check(_) => None,
            Widget::Choice(c) => c.error.as_deref(),
        }
    }

    fn set_error(&mut self, error: Option<String>) {
        match &mut self.widget {
            Widget::Text(t) => t.error = error,
            Widget::Check(_) => {}
            Widget::Choice(c) => c.error = error,
        }
    }

    /// Whether the operator has put anything in it (leaving an untouched empty field does not
    /// complain about it yet).
    fn is_blank(&self) -> bool {
        match &self.widget {
            Widget::Text(t) => t.value().trim().is_empty(),
            Widget::Check(_) => false,
            Widget::Choice(c) => c.selected.is_none(),
        }
    }
}

/// Where one item of a section lies, in rows from the top of the section.
#[derive(Debug, Clone, Copy)]
struct Placed {
    /// Index into `fields`; `None` for the estimate line.
    field: Option<usize>,
    x: u16,
    y: u16,
    width: u16,
    height: u16,
}

/// Every field of a customer's profile, the focus of each section, and where each section is
/// scrolled to.
#[derive(Debug, Clone)]
pub struct ProfileForm {
    fields: Vec<Field>,
    /// Per section: indexes into `fields` in focus order.
    orders: [Vec<usize>; 5],
    rings: [FocusRing; 5],
    scroll: [u16; 5],
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
}

impl ProfileForm {
    pub fn new(profile: &CustomerProfile, lookups: &Lookups) -> Self {
        let fields = build_fields(profile, lookups);
        let mut form = Self {
            fields,
            orders: Default::default(),
            rings: Default::default(),
            scroll: [0; 5],
            stored_billing_address: profile.billing.address.clone(),
            baseline: CustomerProfile::default(),
            time_zone_auto: false,
            proposed_billing: proposed_billing(&profile.contact),
            typed_billing_address: None,
            cameras: 0,
            own_plans: Vec::new(),
            plans: lookups.plans.clone(),
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
        let scroll = self.scroll;
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
        self.scroll[s] = 0;
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

    pub fn handle_key(&mut self, section: Section, key: &KeyEvent, keymap: &Keymap) -> FormOutcome {
        if key.kind == KeyEventKind::Release {
            return FormOutcome::Ignored;
        }
        let Some(index) = self.focused(section) else {
            return FormOutcome::Ignored;
        };
        let action = keymap.lookup(KeyContext::Form, key);
        let used = match &mut self.fields[index].widget {
            // An open list takes every key but Tab and Shift-Tab, which close it and move on.
            Widget::Choice(choice) if choice.open => {
                let before = choice.selected;
                let used = choice.handle_key(key);
                used.then_some(choice.selected != before)
            }
            // Closed: Space opens; Enter and the form's moves are the form's; letters filter.
            Widget::Choice(choice) => match action {
                Some(Action::Toggle) => {
                    choice.open_list();
                    Some(false)
                }
                Some(
                    Action::Submit
                    | Action::NextField
                    | Action::PrevField
                    | Action::NextStep
                    | Action::PrevStep
                    | Action::Cancel,
                ) => None,
                _ => choice.handle_key(key).then_some(false),
            },
            // Text fields see every key first; they leave the form's moves alone.
            Widget::Text(text) => text.handle_key(key).then_some(true),
            Widget::Check(check) => {
                (action == Some(Action::Toggle)).then(|| check.disabled.is_none() && check.toggle())
            }
        };
        if let Some(changed) = used {
            if changed {
                self.after_change(index);
            }
            return FormOutcome::Consumed;
        }
        match action {
            Some(Action::NextField) => {
                self.leave(index);
                self.step(section, true);
                FormOutcome::Consumed
            }
            Some(Action::PrevField) => {
                self.leave(index);
                self.step(section, false);
                FormOutcome::Consumed
            }
            Some(Action::Submit) => {
                self.leave(index);
                let skipped = self.skipped(section);
                if self.rings[section.index()].is_last(|i| skipped[i]) {
                    FormOutcome::NextFromLast
                } else {
                    self.step(section, true);
                    FormOutcome::Consumed
                }
            }
            _ => FormOutcome::Ignored,
        }
    }

    /// Inserts pasted text literally into the focused text field (line breaks become spaces),
    /// or into the filter of an open choice list.
    pub fn handle_paste(&mut self, section: Section, text: &str) {
        let Some(index) = self.focused(section) else {
            return;
        };
        let text = clean_paste(text, false);
        match &mut self.fields[index].widget {
            Widget::Text(field) if !field.read_only => field.insert_str(&text),
            Widget::Choice(choice) if choice.open => {
                choice.filter.push_str(&text);
                choice.highlight = 0;
                return;
            }
            _ => return,
        }
        self.after_change(index);
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

    /// Draws `section` into `area`: two columns from 100 columns on, else one; scrolled so that
    /// the focused field is visible; an open choice list on top of everything.
    pub fn render(&mut self, section: Section, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let (mut placed, mut total) = self.layout(section, area.width);
        let overflow = total > area.height && area.width > 2;
        let content_width = if overflow { area.width - 1 } else { area.width };
        if overflow {
            (placed, total) = self.layout(section, content_width);
        }
        let scroll = self.scroll_to_focus(section, &placed, total, area.height);
        let focused = self.focused(section);
        let mut focused_rect = None;
        for item in &placed {
            // Only whole items are drawn (a value without its label would mislead), except one
            // taller than the whole area, which is cut.
            let fits = item.y.saturating_add(item.height) <= scroll.saturating_add(area.height);
            if item.y < scroll
                || item.y >= scroll + area.height
                || !(fits || item.height > area.height)
            {
                continue;
            }
            let y = area.y + (item.y - scroll);
            let height = item.height.min(area.bottom() - y);
            let rect = Rect::new(area.x + item.x, y, item.width, height);
            match item.field {
                Some(index) => {
                    let is_focused = focused == Some(index);
                    if is_focused {
                        focused_rect = Some(rect);
                    }
                    self.render_field(index, frame, rect, is_focused, theme);
                }
                None => self.render_estimate(frame, rect, theme),
            }
        }
        if overflow {
            let gutter = Rect::new(area.right() - 1, area.y, 1, area.height);
            render_scroll_marks(
                frame,
                gutter,
                scroll > 0,
                scroll + area.height < total,
                theme,
            );
        }
        if let (Some(index), Some(rect)) = (focused, focused_rect)
            && let Widget::Choice(choice) = &self.fields[index].widget
            && choice.open
        {
            choice.render_popup(frame, rect, theme);
        }
    }

    // --- helpers ------------------------------------------------------------------------------

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

    /// Reacts to a changed value: dependent fields, and a message that is no longer true.
    fn after_change(&mut self, index: usize) {
        let changed = self.fields[index].key();
        if changed == field::CONTACT_TIME_ZONE {
            self.time_zone_auto = false;
        }
        if (changed == field::CONTACT_ADDRESS_COUNTRY || changed == field::CONTACT_ADDRESS_STATE)
            && self.time_zone_auto
        {
            self.default_time_zone();
        }
        if [
            field::CONTACT_FIRST_NAME,
            field::CONTACT_LAST_NAME,
            field::CONTACT_EMAIL,
        ]
        .contains(&changed)
        {
            self.propose_billing_contact();
        }
        if changed == key::SAME_AS_COMPANY && self.checked(key::SAME_AS_COMPANY) {
            // Kept for unchecking: the operator's own billing address is not lost.
            let typed = self.address(&validate::BILLING_ADDRESS);
            self.typed_billing_address = (!address_is_blank(&typed)).then_some(typed);
        }
        if changed == key::SAME_AS_COMPANY && !self.checked(key::SAME_AS_COMPANY) {
            // Unchecking brings back the address typed before checking, else the stored one,
            // else starts from the company address, so only the differences need typing.
            let company = self
                .typed_billing_address
                .take()
                .or_else(|| {
                    let stored = self.stored_billing_address.clone();
                    (!address_is_blank(&stored)).then_some(stored)
                })
                .unwrap_or_else(|| self.address(&validate::CONTACT_ADDRESS));
            let billing = validate::BILLING_ADDRESS;
            self.set_text(billing.line1.0, &company.line1);
            self.set_text(billing.line2.0, &company.line2);
            self.set_text(billing.city.0, &company.city);
            self.set_text(billing.state.0, &company.state);
            self.set_text(billing.postal_code.0, &company.postal_code);
            self.select(billing.country.0, Opt::Code(company.country));
        }
        self.sync();
        if self.fields[index].error().is_some() {
            self.check_field(index);
        }
    }

    /// The billing contact and email follow the contact's name and email while they hold what
    /// was last proposed (or nothing): once edited by hand they are the operator's.
    fn propose_billing_contact(&mut self) {
        let proposed = proposed_billing(&self.profile().contact);
        let (contact, email) = std::mem::replace(&mut self.proposed_billing, proposed.clone());
        let current = self.text_raw(field::BILLING_CONTACT);
        if current.trim().is_empty() || current.trim() == contact {
            self.set_text(field::BILLING_CONTACT, &proposed.0);
        }
        let current = self.text_raw(field::BILLING_EMAIL);
        if current.trim().is_empty() || current.trim() == email {
            self.set_text(field::BILLING_EMAIL, &proposed.1);
        }
    }

    /// Validates the field being left, unless it is empty and untouched.
    fn leave(&mut self, index: usize) {
        let field = &self.fields[index];
        if field.error().is_some() || !field.is_blank() {
            self.check_field(index);
        }
    }

    /// Runs the validators of the field's section and keeps the message about this field.
    fn check_field(&mut self, index: usize) {
        let field = &self.fields[index];
        let field_key = field.key();
        let message = self
            .section_errors(field.section, None)
            .into_iter()
            .find(|e| e.field == field_key)
            .map(|e| e.to_string());
        self.fields[index].set_error(message);
    }

    /// The problems of `section`, their positions counted in the values as typed.
    fn section_errors(
        &self,
        section: Section,
        store: Option<(&Store, Option<Id>)>,
    ) -> Vec<FieldError> {
        let mut errors = self.trimmed_section_errors(section, store);
        for e in &mut errors {
            if let Some(Widget::Text(t)) = self.index_of(e.field).map(|i| &self.fields[i].widget) {
                validate::count_from_typed(e, t.value());
            }
        }
        errors
    }

    fn trimmed_section_errors(
        &self,
        section: Section,
        store: Option<(&Store, Option<Id>)>,
    ) -> Vec<FieldError> {
        let profile = self.profile();
        match section {
            Section::Type => validate::validate_kind(&profile),
            Section::Contact => {
                let mut errors = validate::validate_contact(&profile.contact);
                let company = &profile.contact.company;
                if let Some((store, except)) = store
                    && !errors.iter().any(|e| e.field == field::CONTACT_COMPANY)
                    && store.customer_name_taken(company, except).unwrap_or(false)
                {
                    errors.insert(
                        0,
                        FieldError::new(
                            field::CONTACT_COMPANY,
                            "Company name",
                            format!("\"{company}\" is already taken by another customer"),
                        ),
                    );
                }
                errors
            }
            Section::Defaults => validate::validate_defaults(&profile.defaults),
            Section::UserCreation => Vec::new(),
            Section::Billing => validate::validate_billing(&profile.billing),
        }
    }

    /// Where every item of `section` lies at this width, and the rows they take in all.
    fn layout(&self, section: Section, width: u16) -> (Vec<Placed>, u16) {
        let two_columns = width >= TWO_COLUMNS_MIN_WIDTH;
        let left = width.saturating_sub(COLUMN_GAP) / 2;
        let mut placed = Vec::new();
        let mut y: u16 = 0;
        for row in section.rows() {
            let side_by_side = two_columns && row.len() == 2;
            let column = if side_by_side { left } else { width };
            let items: Vec<(Option<usize>, u16)> = row
                .iter()
                .filter_map(|key| {
                    if *key == ESTIMATE {
                        return Some((None, 1));
                    }
                    let index = self.index_of(key)?;
                    Some((Some(index), self.fields[index].height(column)))
                })
                .collect();
            if two_columns && items.len() == 2 {
                let height = items.iter().map(|(_, h)| *h).max().unwrap_or(1);
                let right_x = left + COLUMN_GAP;
                for ((field, h), (x, w)) in items
                    .into_iter()
                    .zip([(0, left), (right_x, width.saturating_sub(right_x))])
                {
                    placed.push(Placed {
                        field,
                        x,
                        y,
                        width: w,
                        height: h,
                    });
                }
                y = y.saturating_add(height);
            } else {
                for (field, height) in items {
                    placed.push(Placed {
                        field,
                        x: 0,
                        y,
                        width,
                        height,
                    });
                    y = y.saturating_add(height);
                }
            }
        }
        (placed, y)
    }

    /// Scrolls `section` so that the focused item is whole on screen; returns the first row.
    fn scroll_to_focus(
        &mut self,
        section: Section,
        placed: &[Placed],
        total: u16,
        height: u16,
    ) -> u16 {
        let focused = self.focused(section);
        let scroll = &mut self.scroll[section.index()];
        if let Some(item) = placed
            .iter()
            .find(|p| p.field.is_some() && p.field == focused)
        {
            let mut bottom = item.y.saturating_add(item.height);
            // The estimate line right under the plan moves into view with it when it fits.
            let estimate_follows = placed.iter().any(|p| p.field.is_none() && p.y == bottom);
            if estimate_follows && item.height < height {
                bottom += 1;
            }
            if bottom > scroll.saturating_add(height) {
                *scroll = bottom.saturating_sub(height);
            }
            if item.y < *scroll {
                *scroll = item.y;
            }
        }
        *scroll = (*scroll).min(total.saturating_sub(height));
        *scroll
    }

    fn render_field(
        &self,
        index: usize,
        frame: &mut Frame,
        rect: Rect,
        focused: bool,
        theme: &Theme,
    ) {
        let field = &self.fields[index];
        match (&field.widget, field.disabled) {
            (Widget::Choice(choice), Some(why)) => {
                let value = choice.selected_label().unwrap_or("");
                render_fixed(frame, rect, choice.label, why, value, theme);
            }
            (Widget::Text(text), _) => text.render(frame, rect, focused, theme),
            (Widget::Check(check), _) => check.render(frame, rect, focused, theme),
            (Widget::Choice(choice), None) => choice.render(frame, rect, focused, theme),
        }
    }

    fn render_estimate(&self, frame: &mut Frame, rect: Rect, theme: &Theme) {
        let value = self
            .monthly_estimate(self.cameras)
            .unwrap_or_else(|| "no recording plan chosen".to_owned());
        let line = Line::from(vec![
            Span::raw(theme.blank_symbol),
            Span::styled("Estimated monthly charge: ", theme.title),
            Span::styled(value, theme.info),
        ]);
        draw_line(frame.buffer_mut(), rect, rect.y, &line);
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

/// A field that cannot be changed now: greyed label with the reason, greyed value.
fn render_fixed(frame: &mut Frame, rect: Rect, label: &str, why: &str, value: &str, theme: &Theme) {
    let buf = frame.buffer_mut();
    let rect = rect.intersection(buf.area);
    if rect.is_empty() {
        return;
    }
    let label_line = Line::from(vec![
        Span::raw(theme.blank_symbol),
        Span::styled(
            display(label.trim_end_matches(" *")).into_owned(),
            theme.muted,
        ),
        Span::styled(format!(" ({why})"), theme.muted),
    ]);
    let value_y = if rect.height >= 2 { rect.y + 1 } else { rect.y };
    if rect.height >= 2 {
        draw_line(buf, rect, rect.y, &label_line);
    }
    let indent = theme.blank_symbol.chars().count() as u16;
    let value_rect = Rect::new(
        rect.x + indent.min(rect.width),
        value_y,
        rect.width.saturating_sub(indent),
        1,
    );
    let room = usize::from(value_rect.width);
    let shown = display(value);
    let line = Line::from(Span::styled(clip(&shown, room).into_owned(), theme.muted));
    draw_line(buf, value_rect, value_y, &line);
}

fn render_scroll_marks(frame: &mut Frame, gutter: Rect, above: bool, below: bool, theme: &Theme) {
    let buf = frame.buffer_mut();
    if above {
        draw_line(
            buf,
            gutter,
            gutter.y,
            &Line::from(Span::styled("▲", theme.muted)),
        );
    }
    if below {
        let y = gutter.bottom().saturating_sub(1);
        draw_line(buf, gutter, y, &Line::from(Span::styled("▼", theme.muted)));
    }
}

// --- building the fields -----------------------------------------------------------------------

fn build_fields(p: &CustomerProfile, lookups: &Lookups) -> Vec<Field> {
    let mut fields = type_fields(p, lookups);
    fields.extend(contact_fields(&p.contact));
    fields.extend(defaults_fields(p, lookups));
    fields.extend(billing_fields(&p.billing));
    fields
}

fn text_input(
    section: Section,
    key: &'static str,
    label: &'static str,
    value: &str,
    max: usize,
) -> Field {
    Field::new(
        section,
        Widget::Text(TextField::new(key, label).max_chars(max).with_value(value)),
    )
}

fn required_input(
    section: Section,
    key: &'static str,
    label: &'static str,
    value: &str,
    max: usize,
) -> Field {
    Field::new(
        section,
        Widget::Text(
            TextField::new(key, label)
                .max_chars(max)
                .required()
                .with_value(value),
        ),
    )
}

fn checkbox(section: Section, key: &'static str, label: &'static str, checked: bool) -> Field {
    Field::new(section, Widget::Check(Checkbox::new(key, label, checked)))
}

fn choice_of(
    section: Section,
    key: &'static str,
    label: &'static str,
    options: Vec<(Opt, String)>,
    value: Opt,
) -> Field {
    let mut choice = Choice::new(key, label, options);
    select_or_add(&mut choice, value);
    Field::new(section, Widget::Choice(choice))
}

/// Customer or sub-integrator, and under which integrator.
fn type_fields(p: &CustomerProfile, lookups: &Lookups) -> Vec<Field> {
    let kinds = [CustomerType::Customer, CustomerType::Integrator]
        .map(|k| (Opt::Kind(k), k.label().to_owned()))
        .to_vec();
    let mut parents = vec![(Opt::Id(None), "The integrator itself".to_owned())];
    parents.extend(
        lookups
            .integrators
            .iter()
            .map(|(id, name)| (Opt::Id(Some(*id)), name.clone())),
    );
    vec![
        choice_of(
            Section::Type,
            field::KIND,
            "Customer Type",
            kinds,
            Opt::Kind(p.kind),
        ),
        choice_of(
            Section::Type,
            field::PARENT,
            "Parent",
            parents,
            Opt::Id(p.parent_id),
        ),
    ]
}

fn contact_fields(c: &Contact) -> Vec<Field> {
    use Section as S;
    use field::*;
    let ca = &c.address;
    vec![
        required_input(
            S::Contact,
            CONTACT_COMPANY,
            "Company name",
            &c.company,
            max_len::COMPANY,
        ),
        required_input(
            S::Contact,
            CONTACT_FIRST_NAME,
            "First name",
            &c.first_name,
            max_len::NAME,
        ),
        required_input(
            S::Contact,
            CONTACT_LAST_NAME,
            "Last name",
            &c.last_name,
            max_len::NAME,
        ),
        required_input(S::Contact, CONTACT_EMAIL, "Email", &c.email, max_len::EMAIL),
        text_input(S::Contact, CONTACT_PHONE, "Phone", &c.phone, max_len::PHONE),
        required_input(
            S::Contact,
            CONTACT_ADDRESS_LINE1,
            "Street address",
            &ca.line1,
            max_len::ADDRESS_LINE,
        ),
        text_input(
            S::Contact,
            CONTACT_ADDRESS_LINE2,
            "Address line 2",
            &ca.line2,
            max_len::ADDRESS_LINE,
        ),
        required_input(
            S::Contact,
            CONTACT_ADDRESS_CITY,
            "City",
            &ca.city,
            max_len::CITY,
        ),
        text_input(
            S::Contact,
            CONTACT_ADDRESS_STATE,
            "State/Province",
            &ca.state,
            max_len::STATE,
        ),
        text_input(
            S::Contact,
            CONTACT_ADDRESS_POSTAL_CODE,
            "Postal code",
            &ca.postal_code,
            max_len::POSTAL_CODE,
        ),
        choice_of(
            S::Contact,
            CONTACT_ADDRESS_COUNTRY,
            "Country *",
            country_options(),
            Opt::Code(ca.country.clone()),
        ),
        choice_of(
            S::Contact,
            CONTACT_TIME_ZONE,
            "Time zone *",
            zone_options(),
            Opt::Code(c.time_zone.trim().to_owned()),
        ),
        text_input(
            S::Contact,
            CONTACT_REFERENCE,
            "Own reference number",
            &c.reference,
            max_len::REFERENCE,
        ),
        text_input(S::Contact, CONTACT_NOTES, "Notes", &c.notes, max_len::NOTES),
    ]
}

/// The defaults for the customer's cameras and new users.
fn defaults_fields(p: &CustomerProfile, lookups: &Lookups) -> Vec<Field> {
    use Section as S;
    let mut plans = vec![(Opt::Id(None), "None".to_owned())];
    plans.extend(lookups.plans.iter().map(|plan| {
        let price = format_money(plan.price_cents, &plan.currency);
        (
            Opt::Id(Some(plan.id)),
            format!("{} · {price} per camera per month", plan.name),
        )
    }));
    vec![
        checkbox(
            S::Defaults,
            key::DISABLE_ADMIN_PORTAL,
            "Disable admin portal (restrict access)",
            p.defaults.disable_admin_portal,
        ),
        checkbox(
            S::Defaults,
            key::DISABLE_CAMERA_SHARE,
            "Disable camera share",
            p.defaults.disable_camera_share,
        ),
        choice_of(
            S::Defaults,
            field::DEFAULTS_DEFAULT_PLAN,
            "Recording plan",
            plans,
            Opt::Id(p.defaults.default_plan_id),
        ),
        checkbox(
            S::UserCreation,
            key::CONFIRM_EMAIL,
            "New users must confirm their email",
            p.user_creation.confirm_email,
        ),
        checkbox(
            S::UserCreation,
            key::CHANGE_PASSWORD,
            "New users must change their password on first login",
            p.user_creation.change_password,
        ),
    ]
}

fn billing_fields(b: &Billing) -> Vec<Field> {
    use Section as S;
    use field::*;
    let ba = &b.address;
    let terms = PaymentTerms::ALL
        .map(|t| (Opt::Terms(t), t.label().to_owned()))
        .to_vec();
    vec![
        checkbox(
            S::Billing,
            key::SAME_AS_COMPANY,
            "Billing address same as company address",
            b.same_as_company,
        ),
        required_input(
            S::Billing,
            BILLING_ADDRESS_LINE1,
            "Billing street address",
            &ba.line1,
            max_len::ADDRESS_LINE,
        ),
        text_input(
            S::Billing,
            BILLING_ADDRESS_LINE2,
            "Billing address line 2",
            &ba.line2,
            max_len::ADDRESS_LINE,
        ),
        required_input(
            S::Billing,
            BILLING_ADDRESS_CITY,
            "Billing city",
            &ba.city,
            max_len::CITY,
        ),
        text_input(
            S::Billing,
            BILLING_ADDRESS_STATE,
            "Billing state/province",
            &ba.state,
            max_len::STATE,
        ),
        text_input(
            S::Billing,
            BILLING_ADDRESS_POSTAL_CODE,
            "Billing postal code",
            &ba.postal_code,
            max_len::POSTAL_CODE,
        ),
        choice_of(
            S::Billing,
            BILLING_ADDRESS_COUNTRY,
            "Billing country *",
            country_options(),
            Opt::Code(ba.country.clone()),
        ),
        text_input(
            S::Billing,
            BILLING_CONTACT,
            "Billing contact",
            &b.contact,
            max_len::BILLING_CONTACT,
        ),
        text_input(
            S::Billing,
            BILLING_EMAIL,
            "Billing email",
            &b.email,
            max_len::EMAIL,
        ),
        text_input(
            S::Billing,
            BILLING_PHONE,
            "Billing phone",
            &b.phone,
            max_len::PHONE,
        ),
        text_input(
            S::Billing,
            BILLING_TAX_ID,
            "Tax ID",
            &b.tax_id,
            max_len::TAX_ID,
        ),
        choice_of(
            S::Billing,
            BILLING_TERMS,
            "Payment terms",
            terms,
            Opt::Terms(b.terms),
        ),
        checkbox(S::Billing, key::TAX_EXEMPT, "Tax exempt", b.tax_exempt),
    ]
}

/// The billing contact and email proposed from the contact: "First Last" and the same email.
fn proposed_billing(contact: &Contact) -> (String, String) {
    let name = format!("{} {}", contact.first_name.trim(), contact.last_name.trim());
    (name.trim().to_string(), contact.email.trim().to_string())
}

/// No street, city or postal code: nothing the operator would miss.
fn address_is_blank(a: &Address) -> bool {
    [&a.line1, &a.line2, &a.city, &a.postal_code]
        .iter()
        .all(|s| s.trim().is_empty())
}

/// "France (FR)" for each country, stored as its ISO code.
fn country_options() -> Vec<(Opt, String)> {
    assets::countries()
        .iter()
        .map(|c| {
            (
                Opt::Code(c.code.to_owned()),
                format!("{} ({})", c.name, c.code),
            )
        })
        .collect()
}

fn zone_options() -> Vec<(Opt, String)> {
    assets::time_zones()
        .iter()
        .map(|z| (Opt::Code((*z).to_owned()), (*z).to_owned()))
        .collect()
}

/// The time zone of a country that has just one in common use; `None` for the others.
fn zone_of_country(code: &str) -> Option<&'static str> {
    const ZONES: &[(&str, &str)] = &[
        ("AE", "Asia/Dubai"),
        ("AT", "Europe/Vienna"),
        ("BE", "Europe/Brussels"),
        ("BG", "Europe/Sofia"),
        ("CH", "Europe/Zurich"),
        ("CN", "Asia/Shanghai"),
        ("CO", "America/Bogota"),
        ("CZ", "Europe/Prague"),
        ("DE", "Europe/Berlin"),
        ("DK", "Europe/Copenhagen"),
        ("EE", "Europe/Tallinn"),
        ("EG", "Africa/Cairo"),
        ("FI", "Europe/Helsinki"),
        ("FR", "Europe/Paris"),
        ("GB", "Europe/London"),
        ("GR", "Europe/Athens"),
        ("HK", "Asia/Hong_Kong"),
        ("HR", "Europe/Zagreb"),
        ("HU", "Europe/Budapest"),
        ("IE", "Europe/Dublin"),
        ("IL", "Asia/Jerusalem"),
        ("IN", "Asia/Kolkata"),
        ("IS", "Atlantic/Reykjavik"),
        ("IT", "Europe/Rome"),
        ("JP", "Asia/Tokyo"),
        ("KE", "Africa/Nairobi"),
        ("KR", "Asia/Seoul"),
        ("LT", "Europe/Vilnius"),
        ("LU", "Europe/Luxembourg"),
        ("LV", "Europe/Riga"),
        ("NG", "Africa/Lagos"),
        ("NL", "Europe/Amsterdam"),
        ("NO", "Europe/Oslo"),
        ("NZ", "Pacific/Auckland"),
        ("PE", "America/Lima"),
        ("PH", "Asia/Manila"),
        ("PL", "Europe/Warsaw"),
        ("RO", "Europe/Bucharest"),
        ("RS", "Europe/Belgrade"),
        ("SA", "Asia/Riyadh"),
        ("SE", "Europe/Stockholm"),
        ("SG", "Asia/Singapore"),
        ("SI", "Europe/Ljubljana"),
        ("SK", "Europe/Bratislava"),
        ("TH", "Asia/Bangkok"),
        ("TR", "Europe/Istanbul"),
        ("TW", "Asia/Taipei"),
        ("ZA", "Africa/Johannesburg"),
    ];
    ZONES
        .iter()
        .find(|(country, _)| country.eq_ignore_ascii_case(code.trim()))
        .map(|(_, zone)| *zone)
        .filter(|zone| assets::is_time_zone(zone))
}

/// Three-way merge of profiles, field by field: where `mine` differs from `base` the operator
/// changed it and it wins; everywhere else `theirs` (the record as stored now) is kept.
pub fn merge_profiles(
    base: &CustomerProfile,
    mine: &CustomerProfile,
    theirs: &CustomerProfile,
) -> CustomerProfile {
    fn merge(base: &Value, mine: &Value, theirs: &Value) -> Value {
        match (base, mine, theirs) {
            (Value::Object(b), Value::Object(m), Value::Object(t)) => Value::Object(
                t.iter()
                    .map(|(k, tv)| {
                        let merged = match (b.get(k), m.get(k)) {
                            (Some(bv), Some(mv)) => merge(bv, mv, tv),
                            _ => tv.clone(),
                        };
                        (k.clone(), merged)
                    })
                    .collect(),
            ),
            _ if mine != base => mine.clone(),
            _ => theirs.clone(),
        }
    }
    use serde_json::Value;
    let as_value = |p: &CustomerProfile| serde_json::to_value(p).unwrap_or(Value::Null);
    let merged = merge(&as_value(base), &as_value(mine), &as_value(theirs));
    serde_json::from_value(merged).unwrap_or_else(|_| mine.clone())
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
