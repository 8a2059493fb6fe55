//! The reads of an export: the SQL of each pass and the rows it turns into exported records.
//! The rows are read through [`Columns`], so the same code turns a SQLite and a PostgreSQL row
//! into the same record (`store::pg::export` runs the PostgreSQL passes).

use std::collections::HashMap;

use crate::domain::{
    Address, Contact, CustomerType, Id, PaymentTerms, Permissions, RoleType, Status, SystemRole,
    UserCreation,
};
use crate::store::Result;

use super::*;

pub(crate) const BY_NAME: &str = "ORDER BY c.name COLLATE NOCASE, c.id";

/// A customer with its billing and its parent's name (the columns `load_customer` reads).
pub(crate) const EXPORT_CUSTOMERS: &str = "
    SELECT c.id, c.kind, p.name, c.name, c.contact_first, c.contact_last, c.email, c.phone,
           c.address1, c.address2, c.city, c.state, c.postal_code, c.country, c.time_zone,
           c.reference, c.notes, c.disable_admin_portal, c.disable_camera_share,
           c.default_plan_id, c.confirm_email, c.change_password, c.status,
           c.disabled_by_parent, c.created_at,
           b.same_as_company, b.contact, b.email, b.phone, b.address1, b.address2, b.city,
           b.state, b.postal_code, b.country, b.tax_id, b.tax_exempt, b.terms
    FROM customers c LEFT JOIN billing b ON b.customer_id = c.id
         LEFT JOIN customers p ON p.id = c.parent_id";

/// The cameras linked to a customer (by MAC within it).
pub(crate) const EXPORT_CAMERAS: &str = "
    SELECT c.id, cam.name, cam.mac, cam.serial, cam.model, cam.location, cam.plan_id,
           cam.recording, cam.recording_before_disable
    FROM customers c JOIN cameras cam ON cam.customer_id = c.id";

/// The roles of a customer with the MACs of their cameras (only cameras linked to the same
/// customer, separated by the unit separator).
pub(super) const EXPORT_ROLES: &str = "
    SELECT c.id, r.name, r.description, r.system, r.role_type, r.all_cameras, r.perm_share,
           r.perm_ptz, r.perm_update_delete, r.perm_save_clip,
           (SELECT group_concat(cam.mac, char(31)) FROM role_cameras rc
            JOIN cameras cam ON cam.id = rc.camera_id
            WHERE rc.role_id = r.id AND cam.customer_id = r.customer_id)
    FROM customers c JOIN roles r ON r.customer_id = c.id";

/// The users of a customer with their roles' names, by name.
pub(super) const EXPORT_USERS: &str = "
    SELECT c.id, u.first_name, u.last_name, u.email, u.must_confirm_email,
           u.must_change_password, u.active, u.blocked, u.password_hash,
           (SELECT group_concat(name, char(31)) FROM
               (SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                WHERE ur.user_id = u.id ORDER BY r.name))
    FROM customers c JOIN users u ON u.customer_id = c.id";

/// The columns of a row of either store, as the export reads them: each backend's row type
/// converts its own values (SQLite's 0/1 and PostgreSQL's `boolean` are both `bool` here).
pub(crate) trait Columns {
    type Error;
    fn text(&self, i: usize) -> Result<String, Self::Error>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, Self::Error>;
    fn flag(&self, i: usize) -> Result<bool, Self::Error>;
    fn opt_flag(&self, i: usize) -> Result<Option<bool>, Self::Error>;
    fn id(&self, i: usize) -> Result<Id, Self::Error>;
    fn opt_id(&self, i: usize) -> Result<Option<Id>, Self::Error>;
}

impl Columns for rusqlite::Row<'_> {
    type Error = rusqlite::Error;
    fn text(&self, i: usize) -> rusqlite::Result<String> {
        self.get(i)
    }
    fn opt_text(&self, i: usize) -> rusqlite::Result<Option<String>> {
        self.get(i)
    }
    fn flag(&self, i: usize) -> rusqlite::Result<bool> {
        self.get(i)
    }
    fn opt_flag(&self, i: usize) -> rusqlite::Result<Option<bool>> {
        self.get(i)
    }
    fn id(&self, i: usize) -> rusqlite::Result<Id> {
        self.get(i)
    }
    fn opt_id(&self, i: usize) -> rusqlite::Result<Option<Id>> {
        self.get(i)
    }
}

impl Columns for postgres::Row {
    type Error = postgres::Error;
    fn text(&self, i: usize) -> Result<String, postgres::Error> {
        self.try_get(i)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, postgres::Error> {
        self.try_get(i)
    }
    fn flag(&self, i: usize) -> Result<bool, postgres::Error> {
        self.try_get(i)
    }
    fn opt_flag(&self, i: usize) -> Result<Option<bool>, postgres::Error> {
        self.try_get(i)
    }
    fn id(&self, i: usize) -> Result<Id, postgres::Error> {
        self.try_get(i)
    }
    fn opt_id(&self, i: usize) -> Result<Option<Id>, postgres::Error> {
        self.try_get(i)
    }
}

/// The rows of one pass, each with its customer's id, in the customers' order: `take` hands out
/// those of one customer.
pub(super) struct Pass<'s, T> {
    rows: std::iter::Peekable<Rows<'s, T>>,
}

/// The rows of a pass, each with its customer's id.
type Rows<'s, T> = Box<dyn Iterator<Item = rusqlite::Result<(Id, T)>> + 's>;

impl<'s, T> Pass<'s, T> {
    pub(super) fn new(rows: impl Iterator<Item = rusqlite::Result<(Id, T)>> + 's) -> Self {
        let rows: Rows<'s, T> = Box::new(rows);
        Self {
            rows: rows.peekable(),
        }
    }

    /// The rows of customer `id`: those next in the pass that name it.
    pub(super) fn take(&mut self, id: Id) -> Result<Vec<T>> {
        let mut out = Vec::new();
        while let Some(row) = self.rows.next_if(|r| !matches!(r, Ok((c, _)) if *c != id)) {
            out.push(row?.1);
        }
        Ok(out)
    }
}

pub(crate) fn customer_row<R: Columns + ?Sized>(
    r: &R,
    plan_name: &HashMap<Id, String>,
) -> Result<(Id, ExportCustomer), R::Error> {
    let name_of = |id: Option<Id>| id.and_then(|i| plan_name.get(&i).cloned());
    let customer = ExportCustomer {
        kind: CustomerType::parse(&r.text(1)?).unwrap_or_default(),
        parent: r.opt_text(2)?,
        contact: Contact {
            company: r.text(3)?,
            first_name: r.text(4)?,
            last_name: r.text(5)?,
            email: r.text(6)?,
            phone: r.text(7)?,
            address: Address {
                line1: r.text(8)?,
                line2: r.text(9)?,
                city: r.text(10)?,
                state: r.text(11)?,
                postal_code: r.text(12)?,
                country: r.text(13)?,
            },
            time_zone: r.text(14)?,
            reference: r.text(15)?,
            notes: r.text(16)?,
        },
        defaults: ExportDefaults {
            disable_admin_portal: r.flag(17)?,
            disable_camera_share: r.flag(18)?,
            default_plan: name_of(r.opt_id(19)?),
        },
        user_creation: UserCreation {
            confirm_email: r.flag(20)?,
            change_password: r.flag(21)?,
        },
        billing: ExportBilling {
            same_as_company: r.opt_flag(25)?.unwrap_or(true),
            contact: r.opt_text(26)?.unwrap_or_default(),
            email: r.opt_text(27)?.unwrap_or_default(),
            phone: r.opt_text(28)?.unwrap_or_default(),
            address: Address {
                line1: r.opt_text(29)?.unwrap_or_default(),
                line2: r.opt_text(30)?.unwrap_or_default(),
                city: r.opt_text(31)?.unwrap_or_default(),
                state: r.opt_text(32)?.unwrap_or_default(),
                postal_code: r.opt_text(33)?.unwrap_or_default(),
                country: r.opt_text(34)?.unwrap_or_default(),
            },
            tax_id: r.opt_text(35)?.unwrap_or_default(),
            tax_exempt: r.opt_flag(36)?.unwrap_or(false),
            terms: r
                .opt_text(37)?
                .and_then(|t| PaymentTerms::parse(&t))
                .unwrap_or_default(),
            plan: None,
        },
        status: Status::parse(&r.text(22)?).unwrap_or_default(),
        disabled_by_parent: r.flag(23)?,
        created_at: Some(r.text(24)?),
        cameras: Vec::new(),
        roles: Vec::new(),
        users: Vec::new(),
    };
    Ok((r.id(0)?, customer))
}

pub(crate) fn camera_row<R: Columns + ?Sized>(
    r: &R,
    plan_name: &HashMap<Id, String>,
) -> Result<(Id, ExportCamera), R::Error> {
    let plan: Option<Id> = r.opt_id(6)?;
    Ok((
        r.id(0)?,
        ExportCamera {
            name: r.text(1)?,
            mac: r.text(2)?,
            serial: r.text(3)?,
            model: r.text(4)?,
            location: r.text(5)?,
            plan: plan.and_then(|i| plan_name.get(&i).cloned()),
            recording: r.flag(7)?,
            recording_before_disable: r.opt_flag(8)?,
        },
    ))
}

pub(crate) fn role_row<R: Columns + ?Sized>(r: &R) -> Result<(Id, ExportRole), R::Error> {
    let mut cameras: Vec<String> = r
        .opt_text(10)?
        .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
        .unwrap_or_default();
    cameras.sort();
    Ok((
        r.id(0)?,
        ExportRole {
            name: r.text(1)?,
            description: r.text(2)?,
            system: r.opt_text(3)?.and_then(|s| SystemRole::parse(&s)),
            role_type: RoleType::parse(&r.text(4)?).unwrap_or_default(),
            all_cameras: r.flag(5)?,
            cameras,
            permissions: Permissions {
                share: r.flag(6)?,
                ptz: r.flag(7)?,
                update_delete: r.flag(8)?,
                save_clip: r.flag(9)?,
            },
        },
    ))
}

pub(crate) fn user_row<R: Columns + ?Sized>(
    r: &R,
    secrets: bool,
) -> Result<(Id, ExportUser), R::Error> {
    let roles: Option<String> = r.opt_text(9)?;
    Ok((
        r.id(0)?,
        ExportUser {
            first_name: r.text(1)?,
            last_name: r.text(2)?,
            email: r.text(3)?,
            must_confirm_email: r.flag(4)?,
            must_change_password: r.flag(5)?,
            active: r.flag(6)?,
            blocked: r.flag(7)?,
            password_hash: if secrets { Some(r.text(8)?) } else { None },
            roles: roles
                .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
                .unwrap_or_default(),
        },
    ))
}
