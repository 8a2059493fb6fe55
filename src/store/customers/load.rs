//! Reading one whole customer (profile and billing), what deleting it would take, and the
//! archive of a deleted one.

use rusqlite::OptionalExtension;

use super::Archive;
use crate::domain::{
    Address, Billing, Contact, Customer, CustomerProfile, CustomerType, DefaultSettings,
    DeleteImpact, Id, PaymentTerms, Status, UserCreation,
};
use crate::store::{Result, Store, pg};

impl Store {
    /// The whole customer, or `None` when it does not exist (any more).
    pub fn customer(&self, id: Id) -> Result<Option<Customer>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::customer(c, id));
        }
        load_customer(self.conn()?, id)
    }

    /// What deleting the customer would take with it.
    pub fn delete_impact(&self, id: Id) -> Result<DeleteImpact> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::delete_impact(c, id));
        }
        impact(self.conn()?, id)
    }

    /// The archive of a deleted customer, by archive id.
    pub fn archive(&self, archive_id: Id) -> Result<Option<Archive>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::customers::archive(c, archive_id));
        }
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

/// The columns of [`CUSTOMER_COLUMNS`] from a row of either store, typed.
pub(crate) trait CustomerColumns {
    fn text(&self, i: usize) -> Result<String>;
    fn opt_text(&self, i: usize) -> Result<Option<String>>;
    fn flag(&self, i: usize) -> Result<bool>;
    fn opt_flag(&self, i: usize) -> Result<Option<bool>>;
    fn int(&self, i: usize) -> Result<i64>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>>;
}

impl CustomerColumns for rusqlite::Row<'_> {
    fn text(&self, i: usize) -> Result<String> {
        Ok(self.get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        Ok(self.get(i)?)
    }
    fn flag(&self, i: usize) -> Result<bool> {
        Ok(self.get(i)?)
    }
    fn opt_flag(&self, i: usize) -> Result<Option<bool>> {
        Ok(self.get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.get(i)?)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.get(i)?)
    }
}

impl CustomerColumns for postgres::Row {
    fn text(&self, i: usize) -> Result<String> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>> {
        Ok(self.try_get(i)?)
    }
    fn flag(&self, i: usize) -> Result<bool> {
        Ok(self.try_get(i)?)
    }
    fn opt_flag(&self, i: usize) -> Result<Option<bool>> {
        Ok(self.try_get(i)?)
    }
    fn int(&self, i: usize) -> Result<i64> {
        Ok(self.try_get(i)?)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        Ok(self.try_get(i)?)
    }
}

/// The columns a whole customer is read from, over `customers c LEFT JOIN billing b` (the same
/// text on both stores).
pub(crate) const CUSTOMER_COLUMNS: &str = "SELECT c.kind, c.parent_id, c.name, c.contact_first,
        c.contact_last, c.email, c.phone,
        c.address1, c.address2, c.city, c.state, c.postal_code, c.country, c.time_zone,
        c.reference, c.notes, c.disable_admin_portal, c.disable_camera_share,
        c.default_plan_id, c.confirm_email, c.change_password, c.status,
        c.disabled_by_parent, c.version, c.created_at, c.updated_at,
        b.same_as_company, b.contact, b.email, b.phone, b.address1, b.address2, b.city,
        b.state, b.postal_code, b.country, b.tax_id, b.tax_exempt, b.terms
    FROM customers c LEFT JOIN billing b ON b.customer_id = c.id";

/// Reads a customer with its billing from any connection or transaction.
pub(crate) fn load_customer(conn: &rusqlite::Connection, id: Id) -> Result<Option<Customer>> {
    let mut stmt = conn.prepare_cached(&format!("{CUSTOMER_COLUMNS} WHERE c.id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(r) => Ok(Some(customer_from(r, id)?)),
        None => Ok(None),
    }
}

fn billing_from(r: &impl CustomerColumns) -> Result<Billing> {
    let text = |i| -> Result<String> { Ok(r.opt_text(i)?.unwrap_or_default()) };
    Ok(Billing {
        same_as_company: r.opt_flag(26)?.unwrap_or(true),
        contact: text(27)?,
        email: text(28)?,
        phone: text(29)?,
        address: Address {
            line1: text(30)?,
            line2: text(31)?,
            city: text(32)?,
            state: text(33)?,
            postal_code: text(34)?,
            country: text(35)?,
        },
        tax_id: text(36)?,
        tax_exempt: r.opt_flag(37)?.unwrap_or(false),
        terms: r
            .opt_text(38)?
            .and_then(|t| PaymentTerms::parse(&t))
            .unwrap_or_default(),
    })
}

/// A customer from a row of [`CUSTOMER_COLUMNS`], on either store.
pub(crate) fn customer_from(r: &impl CustomerColumns, id: Id) -> Result<Customer> {
    let profile = CustomerProfile {
        kind: CustomerType::parse(&r.text(0)?).unwrap_or_default(),
        parent_id: r.opt_int(1)?,
        contact: Contact {
            company: r.text(2)?,
            first_name: r.text(3)?,
            last_name: r.text(4)?,
            email: r.text(5)?,
            phone: r.text(6)?,
            address: Address {
                line1: r.text(7)?,
                line2: r.text(8)?,
                city: r.text(9)?,
                state: r.text(10)?,
                postal_code: r.text(11)?,
                country: r.text(12)?,
            },
            time_zone: r.text(13)?,
            reference: r.text(14)?,
            notes: r.text(15)?,
        },
        defaults: DefaultSettings {
            disable_admin_portal: r.flag(16)?,
            disable_camera_share: r.flag(17)?,
            default_plan_id: r.opt_int(18)?,
        },
        user_creation: UserCreation {
            confirm_email: r.flag(19)?,
            change_password: r.flag(20)?,
        },
        billing: billing_from(r)?,
    };
    Ok(Customer {
        id,
        profile,
        status: Status::parse(&r.text(21)?).unwrap_or_default(),
        disabled_by_parent: r.flag(22)?,
        version: r.int(23)?,
        created_at: r.text(24)?,
        updated_at: r.text(25)?,
    })
}
