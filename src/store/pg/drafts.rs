//! The wizard's drafts on PostgreSQL (`store::drafts` holds the SQLite side and the callers).
//! The draft is JSON text on both stores; here it is kept as `jsonb` and read back as text.

use postgres::{GenericClient, Transaction};

use crate::store::drafts::Draft;
use crate::store::{Result, now};

pub(crate) fn save(tx: &mut Transaction<'_>, operator: &str, step: i64, data: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO drafts (operator, step, data, updated_at)
         VALUES ($1, $2, CAST($3::text AS jsonb), $4)
         ON CONFLICT (operator) DO UPDATE SET step = excluded.step, data = excluded.data,
            updated_at = excluded.updated_at",
        &[&operator, &step, &data, &now()],
    )?;
    Ok(())
}

pub(crate) fn load(client: &mut impl GenericClient, operator: &str) -> Result<Option<Draft>> {
    let row = client.query_opt(
        "SELECT step, data::text, updated_at FROM drafts WHERE operator = $1",
        &[&operator],
    )?;
    Ok(row.map(|r| Draft {
        step: r.get(0),
        data: r.get(1),
        updated_at: r.get(2),
    }))
}

pub(crate) fn discard(tx: &mut Transaction<'_>, operator: &str) -> Result<()> {
    tx.execute("DELETE FROM drafts WHERE operator = $1", &[&operator])?;
    Ok(())
}
