//! Validation of everything an operator types, and the one safe path for drawing stored text.
//!
//! Validators return [`FieldError`]s keyed by the stable names in [`field`], so a form can put
//! each message under the field it is about. Nothing here knows about the terminal or the store.

use std::fmt;

use super::{
    Address, Billing, CameraSpec, Contact, CustomerProfile, CustomerType, DefaultSettings,
};
use super::{NewCustomer, NewUser, Role};

mod chars;
mod cluster;
mod fields;
#[cfg(test)]
mod tests;

pub use chars::*;
pub use cluster::is_width_stable;
pub use fields::*;

/// One problem with one field: "Label: message" when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// A key of [`field`], stable across versions.
    pub field: &'static str,
    /// What the form calls the field.
    pub label: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, label: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            label,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label, self.message)
    }
}

impl std::error::Error for FieldError {}

/// The stable keys of [`FieldError::field`].
pub mod field {
    pub const KIND: &str = "kind";
    pub const PARENT: &str = "parent";
    pub const CONTACT_COMPANY: &str = "contact.company";
    pub const CONTACT_FIRST_NAME: &str = "contact.first_name";
    pub const CONTACT_LAST_NAME: &str = "contact.last_name";
    pub const CONTACT_EMAIL: &str = "contact.email";
    pub const CONTACT_PHONE: &str = "contact.phone";
    pub const CONTACT_ADDRESS_LINE1: &str = "contact.address.line1";
    pub const CONTACT_ADDRESS_LINE2: &str = "contact.address.line2";
    pub const CONTACT_ADDRESS_CITY: &str = "contact.address.city";
    pub const CONTACT_ADDRESS_STATE: &str = "contact.address.state";
    pub const CONTACT_ADDRESS_POSTAL_CODE: &str = "contact.address.postal_code";
    pub const CONTACT_ADDRESS_COUNTRY: &str = "contact.address.country";
    pub const CONTACT_TIME_ZONE: &str = "contact.time_zone";
    pub const CONTACT_REFERENCE: &str = "contact.reference";
    pub const CONTACT_NOTES: &str = "contact.notes";
    pub const DEFAULTS_DEFAULT_PLAN: &str = "defaults.default_plan";
    pub const BILLING_CONTACT: &str = "billing.contact";
    pub const BILLING_EMAIL: &str = "billing.email";
    pub const BILLING_PHONE: &str = "billing.phone";
    pub const BILLING_ADDRESS_LINE1: &str = "billing.address.line1";
    pub const BILLING_ADDRESS_LINE2: &str = "billing.address.line2";
    pub const BILLING_ADDRESS_CITY: &str = "billing.address.city";
    pub const BILLING_ADDRESS_STATE: &str = "billing.address.state";
    pub const BILLING_ADDRESS_POSTAL_CODE: &str = "billing.address.postal_code";
    pub const BILLING_ADDRESS_COUNTRY: &str = "billing.address.country";
    pub const BILLING_TAX_ID: &str = "billing.tax_id";
    pub const BILLING_TERMS: &str = "billing.terms";
    pub const BILLING_PLAN: &str = "billing.plan";
    pub const CAMERA_NAME: &str = "camera.name";
    pub const CAMERA_MAC: &str = "camera.mac";
    pub const CAMERA_SERIAL: &str = "camera.serial";
    pub const CAMERA_MODEL: &str = "camera.model";
    pub const CAMERA_LOCATION: &str = "camera.location";
    pub const ROLE_NAME: &str = "role.name";
    pub const ROLE_DESCRIPTION: &str = "role.description";
    pub const ROLE_PERMISSIONS: &str = "role.permissions";
    pub const USER_FIRST_NAME: &str = "user.first_name";
    pub const USER_LAST_NAME: &str = "user.last_name";
    pub const USER_EMAIL: &str = "user.email";
    pub const USER_ROLES: &str = "user.roles";
}

/// Length limits in characters, for validators and for the `max` of form inputs.
pub mod max_len {
    pub const COMPANY: usize = 120;
    pub const NAME: usize = 60;
    pub const EMAIL: usize = 254;
    /// 20 digits plus room for `+ ( ) - .` and spaces: PRODUCT.md §4 counts digits.
    pub const PHONE: usize = 32;
    pub const ADDRESS_LINE: usize = 120;
    pub const CITY: usize = 80;
    pub const STATE: usize = 80;
    pub const POSTAL_CODE: usize = 16;
    pub const COUNTRY: usize = 80;
    pub const TIME_ZONE: usize = 64;
    pub const REFERENCE: usize = 40;
    pub const NOTES: usize = 2000;
    pub const BILLING_CONTACT: usize = 120;
    pub const TAX_ID: usize = 40;
    pub const CAMERA_NAME: usize = 80;
    pub const MAC: usize = 17;
    pub const SERIAL: usize = 64;
    pub const MODEL: usize = 80;
    pub const LOCATION: usize = 120;
    pub const ROLE_NAME: usize = 60;
    pub const ROLE_DESCRIPTION: usize = 250;
}

/// The keys and labels of one address block, so company and billing addresses share the rules.
#[derive(Debug, Clone, Copy)]
pub struct AddressFields {
    pub line1: (&'static str, &'static str),
    pub line2: (&'static str, &'static str),
    pub city: (&'static str, &'static str),
    pub state: (&'static str, &'static str),
    pub postal_code: (&'static str, &'static str),
    pub country: (&'static str, &'static str),
}

pub const CONTACT_ADDRESS: AddressFields = AddressFields {
    line1: (field::CONTACT_ADDRESS_LINE1, "Street address"),
    line2: (field::CONTACT_ADDRESS_LINE2, "Address line 2"),
    city: (field::CONTACT_ADDRESS_CITY, "City"),
    state: (field::CONTACT_ADDRESS_STATE, "State/Province"),
    postal_code: (field::CONTACT_ADDRESS_POSTAL_CODE, "Postal code"),
    country: (field::CONTACT_ADDRESS_COUNTRY, "Country"),
};

pub const BILLING_ADDRESS: AddressFields = AddressFields {
    line1: (field::BILLING_ADDRESS_LINE1, "Billing street address"),
    line2: (field::BILLING_ADDRESS_LINE2, "Billing address line 2"),
    city: (field::BILLING_ADDRESS_CITY, "Billing city"),
    state: (field::BILLING_ADDRESS_STATE, "Billing state/province"),
    postal_code: (field::BILLING_ADDRESS_POSTAL_CODE, "Billing postal code"),
    country: (field::BILLING_ADDRESS_COUNTRY, "Billing country"),
};

// ---------------------------------------------------------------------------------------------
// Records

/// Every problem of a customer profile, in the order of the wizard's fields.
pub fn validate_profile(p: &CustomerProfile) -> Vec<FieldError> {
    let mut errors = validate_kind(p);
    errors.extend(validate_contact(&p.contact));
    errors.extend(validate_defaults(&p.defaults));
    errors.extend(validate_billing(&p.billing));
    errors
}

/// Wizard step 1. Sub-integrators sit under the integrator itself, so the hierarchy is at most
/// two levels deep and can never loop.
pub fn validate_kind(p: &CustomerProfile) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if p.kind == CustomerType::Integrator && p.parent_id.is_some() {
        errors.push(FieldError::new(
            field::PARENT,
            "Under",
            "a sub-integrator sits under the integrator itself",
        ));
    }
    errors
}

/// Wizard step 2.
pub fn validate_contact(c: &Contact) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(
            CONTACT_COMPANY,
            "Company name",
            &c.company,
            max_len::COMPANY,
        ),
    );
    push(
        &mut e,
        required_text(
            CONTACT_FIRST_NAME,
            "First name",
            &c.first_name,
            max_len::NAME,
        ),
    );
    push(
        &mut e,
        required_text(CONTACT_LAST_NAME, "Last name", &c.last_name, max_len::NAME),
    );
    push(&mut e, email(CONTACT_EMAIL, "Email", &c.email));
    push(
        &mut e,
        optional(&c.phone, || phone(CONTACT_PHONE, "Phone", &c.phone)),
    );
    e.extend(validate_address(&c.address, &CONTACT_ADDRESS));
    push(
        &mut e,
        time_zone(CONTACT_TIME_ZONE, "Time zone", &c.time_zone),
    );
    push(
        &mut e,
        text(
            CONTACT_REFERENCE,
            "Reference",
            &c.reference,
            max_len::REFERENCE,
        ),
    );
    push(
        &mut e,
        multiline_text(CONTACT_NOTES, "Notes", &c.notes, max_len::NOTES),
    );
    e
}

/// An address whose street line, city and country are required.
pub fn validate_address(a: &Address, f: &AddressFields) -> Vec<FieldError> {
    let mut e = Vec::new();
    let (k, l) = f.line1;
    push(&mut e, required_text(k, l, &a.line1, max_len::ADDRESS_LINE));
    let (k, l) = f.line2;
    push(&mut e, text(k, l, &a.line2, max_len::ADDRESS_LINE));
    let (k, l) = f.city;
    push(&mut e, required_text(k, l, &a.city, max_len::CITY));
    let (k, l) = f.state;
    push(&mut e, text(k, l, &a.state, max_len::STATE));
    let (k, l) = f.postal_code;
    push(
        &mut e,
        optional(&a.postal_code, || postal_code(k, l, &a.postal_code)),
    );
    let (k, l) = f.country;
    push(&mut e, required_text(k, l, &a.country, max_len::COUNTRY));
    e
}

/// Wizard step 3: nothing typed, so nothing the store does not check itself.
pub fn validate_defaults(d: &DefaultSettings) -> Vec<FieldError> {
    let mut e = Vec::new();
    if d.default_plan_id.is_some_and(|id| id <= 0) {
        e.push(FieldError::new(
            field::DEFAULTS_DEFAULT_PLAN,
            "Recording plan",
            "choose a plan from the list",
        ));
    }
    e
}

/// Wizard step 5. The billing address counts only while it is not the company's.
pub fn validate_billing(b: &Billing) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        text(
            BILLING_CONTACT,
            "Billing contact",
            &b.contact,
            max_len::BILLING_CONTACT,
        ),
    );
    push(
        &mut e,
        optional(&b.email, || email(BILLING_EMAIL, "Billing email", &b.email)),
    );
    push(
        &mut e,
        optional(&b.phone, || phone(BILLING_PHONE, "Billing phone", &b.phone)),
    );
    if !b.same_as_company {
        e.extend(validate_address(&b.address, &BILLING_ADDRESS));
    }
    push(
        &mut e,
        text(BILLING_TAX_ID, "Tax ID", &b.tax_id, max_len::TAX_ID),
    );
    e
}

/// A camera as typed: name, MAC address and serial number are required.
pub fn validate_camera(c: &CameraSpec) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(CAMERA_NAME, "Camera name", &c.name, max_len::CAMERA_NAME),
    );
    push(&mut e, normalize_mac(&c.mac).map(drop));
    push(
        &mut e,
        required_text(CAMERA_SERIAL, "Serial number", &c.serial, max_len::SERIAL),
    );
    push(
        &mut e,
        text(CAMERA_MODEL, "Model", &c.model, max_len::MODEL),
    );
    push(
        &mut e,
        text(CAMERA_LOCATION, "Location", &c.location, max_len::LOCATION),
    );
    e
}

pub fn validate_role(r: &Role) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(ROLE_NAME, "Role name", &r.name, max_len::ROLE_NAME),
    );
    push(
        &mut e,
        text(
            ROLE_DESCRIPTION,
            "Description",
            &r.description,
            max_len::ROLE_DESCRIPTION,
        ),
    );
    e
}

/// A user as typed; see [`validate_user_roles`] for the roles it holds.
pub fn validate_new_user(u: &NewUser) -> Vec<FieldError> {
    use field::*;
    let mut e = Vec::new();
    push(
        &mut e,
        required_text(USER_FIRST_NAME, "First name", &u.first_name, max_len::NAME),
    );
    push(
        &mut e,
        required_text(USER_LAST_NAME, "Last name", &u.last_name, max_len::NAME),
    );
    push(&mut e, email(USER_EMAIL, "Email", &u.email));
    if u.roles.is_empty() {
        e.push(FieldError::new(
            USER_ROLES,
            "Roles",
            "choose at least one role",
        ));
    }
    e
}

/// The roles a user holds (indexes into `roles`) exist and are all of one role type.
pub fn validate_user_roles(chosen: &[usize], roles: &[Role]) -> Result<(), FieldError> {
    let err = |m: &str| Err(FieldError::new(field::USER_ROLES, "Roles", m));
    let mut kind = None;
    for &i in chosen {
        let Some(role) = roles.get(i) else {
            return err("a chosen role no longer exists");
        };
        match kind {
            None => kind = Some(role.role_type),
            Some(k) if k != role.role_type => {
                return err("a user's roles must all be Admin roles or all be Guard roles");
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Everything the wizard would write, as the Review step lists it: the profile, new cameras,
/// roles and users, and the rules that span them.
pub fn validate_new_customer(n: &NewCustomer) -> Vec<FieldError> {
    let mut e = validate_profile(&n.profile);
    let mut macs = Vec::new();
    for cam in &n.new_cameras {
        e.extend(validate_camera(cam));
        if let Ok(mac) = normalize_mac(&cam.mac) {
            if macs.contains(&mac) {
                e.push(FieldError::new(
                    field::CAMERA_MAC,
                    "MAC address",
                    format!("{mac} is entered twice"),
                ));
            }
            macs.push(mac);
        }
    }
    for (i, role) in n.roles.iter().enumerate() {
        e.extend(validate_role(role));
        let name = role.name.trim();
        if n.roles[..i]
            .iter()
            .any(|r| r.name.trim().eq_ignore_ascii_case(name))
        {
            e.push(FieldError::new(
                field::ROLE_NAME,
                "Role name",
                format!("\"{}\" is used twice", display(name)),
            ));
        }
        if n.profile.defaults.disable_camera_share && role.permissions.share {
            e.push(FieldError::new(
                field::ROLE_PERMISSIONS,
                "Permissions",
                format!(
                    "role \"{}\" allows Share, but camera share is disabled for this customer",
                    display(name)
                ),
            ));
        }
    }
    for (i, user) in n.users.iter().enumerate() {
        e.extend(validate_new_user(user));
        push(&mut e, validate_user_roles(&user.roles, &n.roles));
        let mail = user.email.trim();
        if !mail.is_empty()
            && n.users[..i]
                .iter()
                .any(|u| u.email.trim().eq_ignore_ascii_case(mail))
        {
            e.push(FieldError::new(
                field::USER_EMAIL,
                "Email",
                format!("{} is given to two users", display(mail)),
            ));
        }
    }
    e
}
