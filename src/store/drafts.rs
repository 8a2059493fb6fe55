//! The add-customer wizard's drafts: one per operator, saved as the operator goes.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, now, pg};

/// A saved draft: the step the operator was on and the wizard's state as JSON (never a password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub step: i64,
    pub data: String,
    pub updated_at: String,
}

impl Store {
    pub fn save_draft(&mut self, operator: &str, step: i64, data: &str) -> Result<()> {
        if self.is_postgres() {
            return self.pg_write(|tx| pg::drafts::save(tx, operator, step, data));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO drafts (operator, step, data, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (operator) DO UPDATE SET step = excluded.step, data = excluded.data,
                    updated_at = excluded.updated_at",
                params![operator, step, data, now()],
            )?;
            Ok(())
        })
    }

    pub fn draft(&self, operator: &str) -> Result<Option<Draft>> {
        if self.is_postgres() {
            return self.pg_read(|c| pg::drafts::load(c, operator));
        }
        Ok(self
            .conn()?
            .query_row(
                "SELECT step, data, updated_at FROM drafts WHERE operator = ?1",
                [operator],
                |r| {
                    Ok(Draft {
                        step: r.get(0)?,
                        data: r.get(1)?,
                        updated_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn discard_draft(&mut self, operator: &str) -> Result<()> {
        if self.is_postgres() {
            return self.pg_write(|tx| pg::drafts::discard(tx, operator));
        }
        self.write(|tx| {
            tx.execute("DELETE FROM drafts WHERE operator = ?1", [operator])?;
            Ok(())
        })
    }
}
