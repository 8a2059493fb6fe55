//! PostgreSQL side of the store seam, P3: the demo generator's fill.
//! Filled call by call; the SQLite side and the callers are in `store::*`.
