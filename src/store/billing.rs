//! The monthly bill of a customer: the sum over its cameras of each camera's recording plan.

use crate::domain::bill::Bill;
use crate::domain::{Customer, Id};
use crate::store::{Result, Store};

impl Store {
    /// What `customer`'s linked cameras cost a month, each on its own plan or the customer's
    /// recording plan.
    pub fn monthly_bill(&self, customer: &Customer) -> Result<Bill> {
        let plans = self.plans()?;
        let cameras: Vec<Option<Id>> = self
            .cameras_of(customer.id)?
            .iter()
            .map(|c| c.plan_id)
            .collect();
        Ok(Bill::of(
            &plans,
            customer.profile.defaults.default_plan_id,
            &cameras,
        ))
    }
}
