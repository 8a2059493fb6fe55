//! PostgreSQL side of the store seam, P2: catalog reads (cameras of a customer, roles of, users of, links by MAC).
//! Filled call by call; the SQLite side and the callers are in `store::*`.
