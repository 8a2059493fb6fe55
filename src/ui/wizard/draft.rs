//! The wizard's draft: what is saved (never a password) and the line the app's resume prompt
//! shows.

use serde::{Deserialize, Serialize};

use super::Step;
use super::people::PeopleDraft;
use crate::domain::validate::display;
use crate::domain::{CameraSpec, CustomerProfile, Id};
use crate::store::{Store, StoreError};

/// What the wizard holds, as saved in a draft. Never a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Content {
    pub profile: CustomerProfile,
    pub camera_ids: Vec<Id>,
    pub new_cameras: Vec<CameraSpec>,
    pub people: PeopleDraft,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct DraftData {
    /// Format of the draft, for later versions of the program.
    pub version: u32,
    pub step: Step,
    pub completed: Vec<Step>,
    #[serde(flatten)]
    pub content: Content,
}

pub(super) const DRAFT_VERSION: u32 = 1;

/// "Northwind Dental, step 5 Billing, saved 10:32" for the app's resume prompt; `None` when the
/// operator has no draft.
pub fn draft_summary(store: &Store, operator: &str) -> Result<Option<String>, StoreError> {
    let Some(draft) = store.draft(operator)? else {
        return Ok(None);
    };
    let value: serde_json::Value = serde_json::from_str(&draft.data).unwrap_or_default();
    let company = value
        .pointer("/profile/contact/company")
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(
            || "Unnamed customer".to_string(),
            |s| display(s).into_owned(),
        );
    let step = usize::try_from(draft.step)
        .ok()
        .and_then(Step::from_number)
        .map_or_else(
            || format!("step {}", draft.step),
            |s| format!("step {} {}", s.number(), s.title()),
        );
    Ok(Some(format!(
        "{company}, {step}, saved {}",
        saved_at(&draft.updated_at)
    )))
}

/// `10:32` today, `2025-03-04 10:32` another day, in the box's time zone.
fn saved_at(stamp: &str) -> String {
    let Ok(ts) = stamp.parse::<jiff::Timestamp>() else {
        return display(stamp).into_owned();
    };
    let tz = jiff::tz::TimeZone::system();
    let at = ts.to_zoned(tz.clone());
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    if at.date() == today {
        at.strftime("%H:%M").to_string()
    } else {
        at.strftime("%Y-%m-%d %H:%M").to_string()
    }
}
