//! The reads of an export: the SQL of each pass and the rows it turns into exported records.

use std::collections::HashMap;

use crate::domain::{
    Address, Contact, CustomerType, Id, PaymentTerms, Permissions, RoleType, Status, SystemRole,
    UserCreation,
};
use crate::store::Result;

use super::*;

pub(super) const BY_NAME: &str = "ORDER BY c.name COLLATE NOCASE, c.id";

/// A customer with its billing and its parent's name (the columns `load_customer` reads).
pub(super) const EXPORT_CUSTOMERS: &str = "
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
pub(super) const EXPORT_CAMERAS: &str = "
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

pub(super) fn customer_row(
    r: &rusqlite::Row<'_>,
    plan_name: &HashMap<Id, String>,
) -> rusqlite::Result<(Id, ExportCustomer)> {
    let name_of = |id: Option<Id>| id.and_then(|i| plan_name.get(&i).cloned());
    let customer = ExportCustomer {
        kind: CustomerType::parse(&r.get::<_, String>(1)?).unwrap_or_default(),
        parent: r.get(2)?,
        contact: Contact {
            company: r.get(3)?,
            first_name: r.get(4)?,
            last_name: r.get(5)?,
            email: r.get(6)?,
            phone: r.get(7)?,
            address: Address {
                line1: r.get(8)?,
                line2: r.get(9)?,
                city: r.get(10)?,
                state: r.get(11)?,
                postal_code: r.get(12)?,
                country: r.get(13)?,
            },
            time_zone: r.get(14)?,
            reference: r.get(15)?,
            notes: r.get(16)?,
        },
        defaults: ExportDefaults {
            disable_admin_portal: r.get(17)?,
            disable_camera_share: r.get(18)?,
            default_plan: name_of(r.get(19)?),
        },
        user_creation: UserCreation {
            confirm_email: r.get(20)?,
            change_password: r.get(21)?,
        },
        billing: ExportBilling {
            same_as_company: r.get::<_, Option<bool>>(25)?.unwrap_or(true),
            contact: r.get::<_, Option<String>>(26)?.unwrap_or_default(),
            email: r.get::<_, Option<String>>(27)?.unwrap_or_default(),
            phone: r.get::<_, Option<String>>(28)?.unwrap_or_default(),
            address: Address {
                line1: r.get::<_, Option<String>>(29)?.unwrap_or_default(),
                line2: r.get::<_, Option<String>>(30)?.unwrap_or_default(),
                city: r.get::<_, Option<String>>(31)?.unwrap_or_default(),
                state: r.get::<_, Option<String>>(32)?.unwrap_or_default(),
                postal_code: r.get::<_, Option<String>>(33)?.unwrap_or_default(),
                country: r.get::<_, Option<String>>(34)?.unwrap_or_default(),
            },
            tax_id: r.get::<_, Option<String>>(35)?.unwrap_or_default(),
            tax_exempt: r.get::<_, Option<bool>>(36)?.unwrap_or(false),
            terms: r
                .get::<_, Option<String>>(37)?
                .and_then(|t| PaymentTerms::parse(&t))
                .unwrap_or_default(),
            plan: None,
        },
        status: Status::parse(&r.get::<_, String>(22)?).unwrap_or_default(),
        disabled_by_parent: r.get(23)?,
        created_at: Some(r.get(24)?),
        cameras: Vec::new(),
        roles: Vec::new(),
        users: Vec::new(),
    };
    Ok((r.get(0)?, customer))
}

pub(super) fn camera_row(
    r: &rusqlite::Row<'_>,
    plan_name: &HashMap<Id, String>,
) -> rusqlite::Result<(Id, ExportCamera)> {
    let plan: Option<Id> = r.get(6)?;
    Ok((
        r.get(0)?,
        ExportCamera {
            name: r.get(1)?,
            mac: r.get(2)?,
            serial: r.get(3)?,
            model: r.get(4)?,
            location: r.get(5)?,
            plan: plan.and_then(|i| plan_name.get(&i).cloned()),
            recording: r.get(7)?,
            recording_before_disable: r.get(8)?,
        },
    ))
}

pub(super) fn role_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Id, ExportRole)> {
    let mut cameras: Vec<String> = r
        .get::<_, Option<String>>(10)?
        .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
        .unwrap_or_default();
    cameras.sort();
    Ok((
        r.get(0)?,
        ExportRole {
            name: r.get(1)?,
            description: r.get(2)?,
            system: r
                .get::<_, Option<String>>(3)?
                .and_then(|s| SystemRole::parse(&s)),
            role_type: RoleType::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
            all_cameras: r.get(5)?,
            cameras,
            permissions: Permissions {
                share: r.get(6)?,
                ptz: r.get(7)?,
                update_delete: r.get(8)?,
                save_clip: r.get(9)?,
            },
        },
    ))
}

pub(super) fn user_row(r: &rusqlite::Row<'_>, secrets: bool) -> rusqlite::Result<(Id, ExportUser)> {
    let roles: Option<String> = r.get(9)?;
    Ok((
        r.get(0)?,
        ExportUser {
            first_name: r.get(1)?,
            last_name: r.get(2)?,
            email: r.get(3)?,
            must_confirm_email: r.get(4)?,
            must_change_password: r.get(5)?,
            active: r.get(6)?,
            blocked: r.get(7)?,
            password_hash: if secrets { Some(r.get(8)?) } else { None },
            roles: roles
                .map(|s| s.split('\u{1f}').map(str::to_owned).collect())
                .unwrap_or_default(),
        },
    ))
}
