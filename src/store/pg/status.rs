//! PostgreSQL side of the store seam, P1: disable/enable.
//! Filled call by call; the SQLite side and the callers are in `store::*`.
