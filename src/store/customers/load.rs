//! Reading one whole customer (profile and billing), what deleting it would take, and the
//! archive of a deleted one.

use rusqlite::OptionalExtension;

use super::Archive;
use crate::domain::{
    Address, Billing, Contact, Customer, CustomerProfile, CustomerType, DefaultSettings,
    DeleteImpact, Id, PaymentTerms, Status, UserCreation,
};
use crate::store::{Result, Store};

impl Store {
    /// The whole customer, or `None` when it does not exist (any more).
    pub fn customer(&self, id: Id) -> Result<Option<Customer>> {
        load_customer(self.conn()?, id)
    }

    /// What deleting the customer would take with it.
    pub fn delete_impact(&self, id: Id) -> Result<DeleteImpact> {
        impact(self.conn()?, id)
    }

    /// The archive of a deleted customer, by archive id.
    pub fn archive(&self, archive_id: Id) -> Result<Option<Archive>> {
        let data: Option<String> = self
            .conn()?
            .query_row(
                "SELECT data FROM archive WHERE id = ?1",
                [archive_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match data {
            Some(d) => Some(serde_json::from_str(&d)?),
            None => None,
        })
    }
}

pub(super) fn impact(conn: &rusqlite::Connection, id: Id) -> Result<DeleteImpact> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM cameras WHERE customer_id = ?1),
                (SELECT count(*) FROM users WHERE customer_id = ?1),
                (SELECT count(*) FROM roles WHERE customer_id = ?1),
                (SELECT count(*) FROM customers WHERE parent_id = ?1)",
        [id],
        |r| {
            Ok(DeleteImpact {
                cameras: r.get(0)?,
                users: r.get(1)?,
                roles: r.get(2)?,
                children: r.get(3)?,
            })
        },
    )?)
}

/// Reads a customer with its billing from any connection or transaction.
pub(crate) fn load_customer(conn: &rusqlite::Connection, id: Id) -> Result<Option<Customer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.kind, c.parent_id, c.name, c.contact_first, c.contact_last, c.email, c.phone,
                c.address1, c.address2, c.city, c.state, c.postal_code, c.country, c.time_zone,
                c.reference, c.notes, c.disable_admin_portal, c.disable_camera_share,
                c.default_plan_id, c.confirm_email, c.change_password, c.status,
                c.disabled_by_parent, c.version, c.created_at, c.updated_at,
                b.same_as_company, b.contact, b.email, b.phone, b.address1, b.address2, b.city,
                b.state, b.postal_code, b.country, b.tax_id, b.tax_exempt, b.terms
         FROM customers c LEFT JOIN billing b ON b.customer_id = c.id WHERE c.id = ?1",
    )?;
    let customer = stmt
        .query_row([id], |r| {
            let profile = CustomerProfile {
                kind: CustomerType::parse(&r.get::<_, String>(0)?).unwrap_or_default(),
                parent_id: r.get(1)?,
                contact: Contact {
                    company: r.get(2)?,
                    first_name: r.get(3)?,
                    last_name: r.get(4)?,
                    email: r.get(5)?,
                    phone: r.get(6)?,
                    address: Address {
                        line1: r.get(7)?,
                        line2: r.get(8)?,
                        city: r.get(9)?,
                        state: r.get(10)?,
                        postal_code: r.get(11)?,
                        country: r.get(12)?,
                    },
                    time_zone: r.get(13)?,
                    reference: r.get(14)?,
                    notes: r.get(15)?,
                },
                defaults: DefaultSettings {
                    disable_admin_portal: r.get(16)?,
                    disable_camera_share: r.get(17)?,
                    default_plan_id: r.get(18)?,
                },
                user_creation: UserCreation {
                    confirm_email: r.get(19)?,
                    change_password: r.get(20)?,
                },
                billing: Billing {
                    same_as_company: r.get::<_, Option<bool>>(26)?.unwrap_or(true),
                    contact: r.get::<_, Option<String>>(27)?.unwrap_or_default(),
                    email: r.get::<_, Option<String>>(28)?.unwrap_or_default(),
                    phone: r.get::<_, Option<String>>(29)?.unwrap_or_default(),
                    address: Address {
                        line1: r.get::<_, Option<String>>(30)?.unwrap_or_default(),
                        line2: r.get::<_, Option<String>>(31)?.unwrap_or_default(),
                        city: r.get::<_, Option<String>>(32)?.unwrap_or_default(),
                        state: r.get::<_, Option<String>>(33)?.unwrap_or_default(),
                        postal_code: r.get::<_, Option<String>>(34)?.unwrap_or_default(),
                        country: r.get::<_, Option<String>>(35)?.unwrap_or_default(),
                    },
                    tax_id: r.get::<_, Option<String>>(36)?.unwrap_or_default(),
                    tax_exempt: r.get::<_, Option<bool>>(37)?.unwrap_or(false),
                    terms: r
                        .get::<_, Option<String>>(38)?
                        .and_then(|t| PaymentTerms::parse(&t))
                        .unwrap_or_default(),
                },
            };
            Ok(Customer {
                id,
                profile,
                status: Status::parse(&r.get::<_, String>(21)?).unwrap_or_default(),
                disabled_by_parent: r.get(22)?,
                version: r.get(23)?,
                created_at: r.get(24)?,
                updated_at: r.get(25)?,
            })
        })
        .optional()?;
    Ok(customer)
}
