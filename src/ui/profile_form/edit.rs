//! Editing the form: keys and pastes, and what a change of one field does to the others.

use super::*;

impl ProfileForm {
    /// A key of `section`, `action` being the key in the Form context. A focused text field
    /// reads `key`; the rest acts on `action`. Enter on the last field is left to the caller
    /// ([`Effect::Ignored`] with [`Action::Submit`]): it moves on to the next step, or saves.
    pub fn handle_action(
        &mut self,
        section: Section,
        key: &KeyEvent,
        action: Option<Action>,
    ) -> Effect {
        let Some(index) = self.focused(section) else {
            return Effect::Ignored;
        };
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
            return Effect::Done;
        }
        match action {
            Some(Action::NextField) => {
                self.leave(index);
                self.step(section, true);
                Effect::Done
            }
            Some(Action::PrevField) => {
                self.leave(index);
                self.step(section, false);
                Effect::Done
            }
            Some(Action::Submit) => {
                self.leave(index);
                let skipped = self.skipped(section);
                if self.rings[section.index()].is_last(|i| skipped[i]) {
                    Effect::Ignored
                } else {
                    self.step(section, true);
                    Effect::Done
                }
            }
            _ => Effect::Ignored,
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

    /// Reacts to a changed value: dependent fields, and a message that is no longer true.
    pub(super) fn after_change(&mut self, index: usize) {
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
    pub(super) fn propose_billing_contact(&mut self) {
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
    pub(super) fn leave(&mut self, index: usize) {
        let field = &self.fields[index];
        if field.error().is_some() || !field.is_blank() {
            self.check_field(index);
        }
    }

    /// Runs the validators of the field's section and keeps the message about this field.
    pub(super) fn check_field(&mut self, index: usize) {
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
    pub(super) fn section_errors(
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

    pub(super) fn trimmed_section_errors(
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
}

impl ProfileForm {
    /// The section [`Component`] keys, pastes and hints are for.
    pub fn section(&self) -> Section {
        self.section
    }

    pub fn show_section(&mut self, section: Section) {
        self.section = section;
    }
}

/// The form as one section of it at a time (see [`ProfileForm::show_section`]).
impl Component for ProfileForm {
    /// The section shown (see [`ProfileForm::show_section`]).
    fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        _keymap: &crate::keymap::Keymap,
    ) {
        ProfileForm::render(self, self.section, frame, area, theme);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Form]
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        self.handle_action(self.section, key, action)
    }

    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        self.handle_paste(self.section, text);
        Effect::Done
    }

    fn captures_text(&self) -> bool {
        self.text_focused(self.section)
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        let mut actions = vec![Action::NextField, Action::PrevField];
        if !self.captures_text() {
            actions.push(Action::Toggle);
        }
        actions.push(Action::Submit);
        (vec![KeyContext::Form], actions)
    }

    fn is_dirty(&self) -> bool {
        ProfileForm::is_dirty(self)
    }
}
