//! The customers on PostgreSQL (`store::customers` holds the SQLite side, the callers and the
//! rules that are not SQL, called from here): the paged table with its counts and filter, one
//! whole customer, the delete's impact and archive, and the writes (the wizard's create, a
//! profile save, the delete that archives).

mod archive;
mod insert;
mod load;
mod query;
mod write;

pub(crate) use archive::archive;
pub(crate) use insert::create;
pub(crate) use load::{customer, delete_impact, load_customer};
pub(crate) use query::{
    count, count_capped, customer_name_taken, customer_row, customers_under, integrators, page,
};
pub(crate) use write::{delete, update_profile, write_billing};
