//! The wizard's draft: what is saved (never a password) and the line the app's resume prompt
//! shows.

use serde::{Deserialize, Serialize};

use std::time::Instant;

use super::people::PeopleDraft;
use super::{Phase, Step, Wizard};
use crate::domain::validate::display;
use crate::domain::{CameraSpec, CustomerProfile, Id};
use crate::store::{Store, StoreError};
use crate::ui::component::{Component, Ctx};

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

impl Wizard {
    // -----------------------------------------------------------------------------------------
    // Drafts

    pub(super) fn content(&self) -> Content {
        Content {
            profile: self.form.profile(),
            camera_ids: self.cameras.picked_ids(),
            new_cameras: self.cameras.new_cameras().to_vec(),
            people: self.people.draft(),
        }
    }

    pub(super) fn content_json(&self) -> String {
        serde_json::to_string(&self.content()).unwrap_or_default()
    }

    /// Saves the operator's draft: the step, the ticked steps and every field (never a password).
    /// After the customer was written there is nothing to save.
    pub fn save_draft(&mut self, ctx: &mut Ctx) -> Result<(), StoreError> {
        let Some((step, json)) = self.draft_snapshot() else {
            return Ok(());
        };
        ctx.store.save_draft(&ctx.operator.login, step, &json)?;
        self.saved = Some((self.content_json(), Instant::now()));
        Ok(())
    }

    /// The draft as it would be saved now (step number and JSON, never a password); `None` once
    /// the customer is created, when there is no draft to keep.
    pub fn draft_snapshot(&self) -> Option<(i64, String)> {
        if matches!(self.phase, Phase::Done(_)) {
            return None;
        }
        let data = DraftData {
            version: DRAFT_VERSION,
            step: self.step,
            completed: self.completed(),
            content: self.content(),
        };
        let json = serde_json::to_string(&data).ok()?;
        Some((self.step.number() as i64, json))
    }

    /// Something was typed or picked (or the passwords are on screen and would be lost).
    pub fn is_dirty(&self) -> bool {
        match self.phase {
            Phase::Done(ref done) => done.is_dirty(),
            Phase::Committing(ref committing) => committing.is_dirty(),
            Phase::Editing => self.content_json() != self.pristine,
        }
    }
}
