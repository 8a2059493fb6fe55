//! PostgreSQL side of the store seam, P2: the monthly bill.
//! Filled call by call; the SQLite side and the callers are in `store::*`.
