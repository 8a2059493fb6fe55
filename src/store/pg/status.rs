//! Disabling and enabling a customer on PostgreSQL: the SQL of `store::status`'s
//! [`StatusRead`] / [`StatusWrite`]; the walk, counts, refusals and audit entries are there.

use postgres::{GenericClient, Transaction};

use crate::domain::{Customer, Id, Operator};
use crate::store::Result;
use crate::store::customers::AuditLine;
use crate::store::status::{StatusChange, StatusRead, StatusWrite};

/// A PostgreSQL connection or transaction, as the status walk reads and writes it.
struct Pg<'a, C>(&'a mut C);

impl<C: GenericClient> StatusRead for Pg<'_, C> {
    fn customer(&mut self, id: Id, lock: bool) -> Result<Option<Customer>> {
        super::customers::load_customer(self.0, id, lock)
    }

    fn children(&mut self, parent: Id, disable: bool) -> Result<Vec<Id>> {
        let sql = if disable {
            "SELECT id FROM customers WHERE parent_id = $1 AND status = 'active' ORDER BY id"
        } else {
            "SELECT id FROM customers WHERE parent_id = $1 AND status = 'disabled'
             AND disabled_by_parent ORDER BY id"
        };
        Ok(self
            .0
            .query(sql, &[&parent])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn counts(&mut self, id: Id, disable: bool) -> Result<(usize, usize)> {
        let sql = if disable {
            "SELECT (SELECT count(*) FROM cameras WHERE customer_id = $1 AND recording),
                    (SELECT count(*) FROM users WHERE customer_id = $1 AND NOT blocked)"
        } else {
            "SELECT (SELECT count(*) FROM cameras WHERE customer_id = $1
                     AND recording_before_disable),
                    (SELECT count(*) FROM users WHERE customer_id = $1 AND blocked)"
        };
        let r = self.0.query_one(sql, &[&id])?;
        Ok((r.get::<_, i64>(0) as usize, r.get::<_, i64>(1) as usize))
    }
}

impl StatusWrite for Pg<'_, Transaction<'_>> {
    fn disable_one(&mut self, id: Id, by_parent: bool, stamp: &str) -> Result<()> {
        self.0.execute(
            "UPDATE cameras SET recording_before_disable = coalesce(recording_before_disable, recording),
                    recording = false, version = version + 1, updated_at = $2
             WHERE customer_id = $1",
            &[&id, &stamp],
        )?;
        self.0.execute(
            "UPDATE users SET blocked = true, version = version + 1, updated_at = $2
             WHERE customer_id = $1 AND NOT blocked",
            &[&id, &stamp],
        )?;
        self.0.execute(
            "UPDATE customers SET status = 'disabled', disabled_by_parent = $2,
                    version = version + 1, updated_at = $3
             WHERE id = $1",
            &[&id, &by_parent, &stamp],
        )?;
        Ok(())
    }

    fn enable_one(&mut self, id: Id, stamp: &str) -> Result<()> {
        self.0.execute(
            "UPDATE cameras SET recording = coalesce(recording_before_disable, recording),
                    recording_before_disable = NULL, version = version + 1, updated_at = $2
             WHERE customer_id = $1 AND recording_before_disable IS NOT NULL",
            &[&id, &stamp],
        )?;
        self.0.execute(
            "UPDATE users SET blocked = false, version = version + 1, updated_at = $2
             WHERE customer_id = $1 AND blocked",
            &[&id, &stamp],
        )?;
        self.0.execute(
            "UPDATE customers SET status = 'active', disabled_by_parent = false,
                    version = version + 1, updated_at = $2
             WHERE id = $1",
            &[&id, &stamp],
        )?;
        Ok(())
    }

    fn audit(&mut self, op: &Operator, line: &AuditLine) -> Result<Id> {
        line.write_pg(self.0, op)
    }
}

pub(crate) fn preview(client: &mut impl GenericClient, id: Id) -> Result<StatusChange> {
    crate::store::status::preview(&mut Pg(client), id)
}

pub(crate) fn set_status(
    tx: &mut Transaction<'_>,
    id: Id,
    expected_version: i64,
    op: &Operator,
    disable: bool,
) -> Result<StatusChange> {
    crate::store::status::set_status(&mut Pg(tx), id, expected_version, op, disable)
}
