//! PostgreSQL side of the store seam, P1: the customers' reads and writes (list pages, counts, search, load, create, update, delete, archive).
//! Filled call by call; the SQLite side and the callers are in `store::*`.
