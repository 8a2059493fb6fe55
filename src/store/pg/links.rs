//! PostgreSQL side of the store seam, P2: linking cameras, their plan and recording.
//! Filled call by call; the SQLite side and the callers are in `store::*`.
