//! PostgreSQL side of the store seam, P2: the monthly bill. It has no SQL of its own:
//! `Store::monthly_bill` sums over `Store::plans` and `Store::cameras_of`, which carry their
//! PostgreSQL branches (`pg::plans`, `pg::catalog`), so the bill is the same on both stores.
