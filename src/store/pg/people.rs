//! PostgreSQL side of the store seam, P2: roles and users.
//! Filled call by call; the SQLite side and the callers are in `store::*`.
