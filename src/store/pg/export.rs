//! PostgreSQL side of the store seam, P3: export and import.
//! Filled call by call; the SQLite side and the callers are in `store::*`.
