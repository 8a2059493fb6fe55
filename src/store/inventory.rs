//! The camera inventory and the plans: the paged camera table, usage of plans, and their writes
//! (add, edit, delete), each in one transaction with its audit entry.

pub(crate) mod cameras;
pub(crate) mod plans;
pub(crate) mod query;

pub use plans::{
    PLAN_NAME_MAX, PRICE_MAX_CENTS, PlanSpec, PlanUsage, RETENTION_MAX, format_price, parse_price,
    plan_field, plan_in_use, validate_plan,
};
pub use query::{CameraQuery, CameraRow, CameraSort};

use super::StoreError;
use crate::domain::validate::field;

// ---------------------------------------------------------------------------------------------
// Refusals the forms put under a field

const MAC_TAKEN: &str = "MAC address";
const SERIAL_TAKEN: &str = "Serial number";
const PLAN_NAME_TAKEN: &str = "Plan name";

/// The form field a refusal of a camera or plan write is about, if any: a taken MAC address or
/// serial number, or a plan name.
pub fn refused_field(e: &StoreError) -> Option<&'static str> {
    let StoreError::Refused(m) = e else {
        return None;
    };
    if m.starts_with(MAC_TAKEN) {
        Some(field::CAMERA_MAC)
    } else if m.starts_with(SERIAL_TAKEN) {
        Some(field::CAMERA_SERIAL)
    } else if m.starts_with(PLAN_NAME_TAKEN) {
        Some(plan_field::NAME)
    } else {
        None
    }
}
