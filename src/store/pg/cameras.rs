//! PostgreSQL side of the store seam, P2: the camera inventory (page, counts, search, add/update/delete).
//! Filled call by call; the SQLite side and the callers are in `store::*`.
