//! The sections of the form: the wizard's steps 1-5, the editor's tabs.

use super::*;

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
    pub(super) fn rows(self) -> &'static [&'static [&'static str]] {
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
