//! PostgreSQL side of the store seam, P1: restore from the archive.
//! Filled call by call; the SQLite side and the callers are in `store::*`.
