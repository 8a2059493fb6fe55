//! One whole customer and what deleting it would take, on PostgreSQL.

use postgres::GenericClient;

use crate::domain::{Customer, DeleteImpact, Id};
use crate::store::Result;
use crate::store::customers::{CUSTOMER_COLUMNS, customer_from};

/// The whole customer; `lock` reads it `FOR UPDATE` (a write's version check).
pub(crate) fn load_customer(
    client: &mut impl GenericClient,
    id: Id,
    lock: bool,
) -> Result<Option<Customer>> {
    let lock = if lock { " FOR UPDATE OF c" } else { "" };
    let sql = format!("{CUSTOMER_COLUMNS} WHERE c.id = $1{lock}");
    match client.query_opt(&sql, &[&id])? {
        Some(r) => Ok(Some(customer_from(&r, id)?)),
        None => Ok(None),
    }
}

pub(crate) fn customer(client: &mut impl GenericClient, id: Id) -> Result<Option<Customer>> {
    load_customer(client, id, false)
}

pub(crate) fn delete_impact(client: &mut impl GenericClient, id: Id) -> Result<DeleteImpact> {
    let r = client.query_one(
        "SELECT (SELECT count(*) FROM cameras WHERE customer_id = $1),
                (SELECT count(*) FROM users WHERE customer_id = $1),
                (SELECT count(*) FROM roles WHERE customer_id = $1),
                (SELECT count(*) FROM customers WHERE parent_id = $1)",
        &[&id],
    )?;
    Ok(DeleteImpact {
        cameras: r.get(0),
        users: r.get(1),
        roles: r.get(2),
        children: r.get(3),
    })
}
