//! PostgreSQL side of the store seam, P3: the audit log reads (pages, entries, the names in details).
//! Filled call by call; the SQLite side and the callers are in `store::*`.
