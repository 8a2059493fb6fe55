//! Building the fields from a profile: one fn per section, and the option lists.

use super::*;

// --- building the fields -----------------------------------------------------------------------

pub(super) fn build_fields(p: &CustomerProfile, lookups: &Lookups) -> Vec<Field> {
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
    input(section, TextField::new(key, label).max_chars(max), value)
}

fn required_input(
    section: Section,
    key: &'static str,
    label: &'static str,
    value: &str,
    max: usize,
) -> Field {
    input(
        section,
        TextField::new(key, label).max_chars(max).required(),
        value,
    )
}

fn input(section: Section, field: TextField, value: &str) -> Field {
    Field::new(section, Widget::Text(field.with_value(value)))
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
pub(super) fn proposed_billing(contact: &Contact) -> (String, String) {
    let name = format!("{} {}", contact.first_name.trim(), contact.last_name.trim());
    (name.trim().to_string(), contact.email.trim().to_string())
}

/// No street, city or postal code: nothing the operator would miss.
pub(super) fn address_is_blank(a: &Address) -> bool {
    [&a.line1, &a.line2, &a.city, &a.postal_code]
        .iter()
        .all(|s| s.trim().is_empty())
}

/// "France (FR)" for each country, stored as its ISO code.
pub(super) fn country_options() -> Vec<(Opt, String)> {
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

pub(super) fn zone_options() -> Vec<(Opt, String)> {
    assets::time_zones()
        .iter()
        .map(|z| (Opt::Code((*z).to_owned()), (*z).to_owned()))
        .collect()
}

/// The time zone of a country that has just one in common use; `None` for the others.
pub(super) fn zone_of_country(code: &str) -> Option<&'static str> {
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
