//! The add-customer wizard: eight steps under a step indicator, each validated before the next
//! opens; going back never loses input; a draft (never a password) is saved on every step change
//! and every few seconds, so a dropped SSH session loses nothing; step 8 commits everything in
//! one transaction after hashing the temporary passwords on a background thread.
//!
//! Steps 1-5 are the sections of [`ProfileForm`]; 6 is [`CameraStep`], 7 [`PeopleStep`], 8 the
//! [`Review`]. A key goes to the open popup first, then to the step, then to the wizard (Ctrl-N,
//! Ctrl-P, Enter past the last field, Esc), so Esc closes a popup or a filter before it asks
//! whether to keep the draft.

pub mod cameras;
mod chrome;
pub mod commit;
mod create;
pub mod done;
mod draft;
mod draw;
mod flow;
pub mod people;
pub mod review;

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use serde::{Deserialize, Serialize};

use crate::action::{Action, KeyContext};
use crate::domain::validate::{display, field};
use crate::domain::{CustomerProfile, Id, NewCustomer};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::draw_line;
use crate::ui::profile_form::{Lookups, ProfileForm, Section};

use cameras::CameraStep;
/// The start-up draft prompt asks its second question with the wizard's own dialog.
pub(crate) use chrome::render_discard_question;
use chrome::{LeaveAnswer, LeavePrompt};
use commit::{Committing, PasswordSource, Secret};
use done::{Account, Done};
pub use draft::draft_summary;
use draft::{Content, DraftData};
use people::PeopleStep;
use review::{PageInput, Problem, Review};

/// How often the draft is saved while the operator types, when something changed.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// The eight steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Step {
    Type,
    Contact,
    Defaults,
    UserCreation,
    Billing,
    Cameras,
    People,
    Review,
}

impl Step {
    pub const ALL: [Step; 8] = [
        Self::Type,
        Self::Contact,
        Self::Defaults,
        Self::UserCreation,
        Self::Billing,
        Self::Cameras,
        Self::People,
        Self::Review,
    ];

    /// 1-8, as the indicator shows it.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    pub fn from_number(n: usize) -> Option<Step> {
        n.checked_sub(1).and_then(|i| Self::ALL.get(i).copied())
    }

    /// The short name of the indicator.
    pub fn title(self) -> &'static str {
        match self.section() {
            Some(section) => section.label(),
            None => match self {
                Self::Cameras => "Cameras",
                Self::People => "Roles & users",
                _ => "Review",
            },
        }
    }

    /// The heading over the step.
    pub fn heading(self) -> &'static str {
        match self.section() {
            Some(section) => section.title(),
            None => match self {
                Self::Cameras => "Link cameras",
                Self::People => "Roles and users",
                _ => "Review",
            },
        }
    }

    /// The profile form section of steps 1-5.
    pub fn section(self) -> Option<Section> {
        Section::ALL.get(self as usize).copied()
    }

    fn next(self) -> Option<Step> {
        Self::ALL.get(self as usize + 1).copied()
    }

    fn prev(self) -> Option<Step> {
        (self as usize).checked_sub(1).map(|i| Self::ALL[i])
    }
}

/// Where the wizard is in its life.
enum Phase {
    Editing,
    /// The passwords are being hashed; then the customer is written.
    Committing(Committing),
    /// Written: the final screen with the passwords.
    Done(Done),
}

pub struct Wizard {
    step: Step,
    /// Steps that passed their validation when the operator last moved on from them.
    completed: Vec<Step>,
    lookups: Lookups,
    form: ProfileForm,
    cameras: CameraStep,
    people: PeopleStep,
    review: Review,
    /// Esc asked what to do with the draft.
    leave: Option<LeavePrompt>,
    phase: Phase,
    passwords: PasswordSource,
    /// The content of a wizard nobody typed in, for `is_dirty`.
    pristine: String,
    /// The content last written to the draft, and when.
    saved: Option<(String, Instant)>,
    last_autosave: Instant,
}

impl Wizard {
    /// A fresh wizard on step 1. Does not touch a saved draft until the first save.
    pub fn new(ctx: &mut Ctx) -> Result<Wizard, StoreError> {
        let lookups = Lookups::load(ctx.store)?;
        let form = ProfileForm::new(&CustomerProfile::default(), &lookups);
        let cameras = CameraStep::new(ctx)?;
        let people = PeopleStep::new(&form.profile().contact);
        Ok(Self::assemble(
            Step::Type,
            Vec::new(),
            lookups,
            form,
            cameras,
            people,
        ))
    }

    /// The wizard of the operator's saved draft, at the saved step with every field as it was;
    /// `None` when there is no draft.
    pub fn resume(ctx: &mut Ctx) -> Result<Option<Wizard>, StoreError> {
        let Some(draft) = ctx.store.draft(&ctx.operator.login)? else {
            return Ok(None);
        };
        let data: DraftData = serde_json::from_str(&draft.data)?;
        let lookups = Lookups::load(ctx.store)?;
        let form = ProfileForm::new(&data.content.profile, &lookups);
        let cameras = CameraStep::restore(data.content.camera_ids, data.content.new_cameras, ctx)?;
        let people = PeopleStep::restore(data.content.people);
        let mut completed = data.completed;
        if !cameras.taken_on_restore().is_empty() {
            completed.retain(|s| *s < Step::Cameras);
        }
        let mut wizard = Self::assemble(data.step, completed, lookups, form, cameras, people);
        wizard.saved = Some((wizard.content_json(), Instant::now()));
        wizard.enter_step(ctx);
        Ok(Some(wizard))
    }

    fn assemble(
        step: Step,
        completed: Vec<Step>,
        lookups: Lookups,
        form: ProfileForm,
        cameras: CameraStep,
        people: PeopleStep,
    ) -> Self {
        let blank_form = ProfileForm::new(&CustomerProfile::default(), &lookups);
        let blank_profile = blank_form.profile();
        let pristine = Content {
            profile: blank_profile.clone(),
            camera_ids: Vec::new(),
            new_cameras: Vec::new(),
            people: PeopleStep::new(&blank_profile.contact).draft(),
        };
        let mut wizard = Self {
            step,
            completed,
            lookups,
            form,
            cameras,
            people,
            review: Review::default(),
            leave: None,
            phase: Phase::Editing,
            passwords: commit::random_source(),
            pristine: serde_json::to_string(&pristine).unwrap_or_default(),
            saved: None,
            last_autosave: Instant::now(),
        };
        wizard.sync();
        wizard
    }

    /// Temporary passwords from `source` instead of the random generator (tests).
    #[doc(hidden)]
    pub fn with_password_source(mut self, source: PasswordSource) -> Self {
        self.passwords = source;
        self
    }

    pub fn step(&self) -> Step {
        self.step
    }

    /// Steps ticked in the indicator, in order.
    pub fn completed(&self) -> Vec<Step> {
        let mut steps = self.completed.clone();
        steps.sort();
        steps.dedup();
        steps
    }

    /// The profile of steps 1-5 as it stands.
    pub fn profile(&self) -> CustomerProfile {
        self.form.profile()
    }

    /// The problems the review lists (as of the last time it was opened).
    pub fn problems(&self) -> &[Problem] {
        self.review.problems()
    }

    /// The id of the customer once it is written.
    pub fn created(&self) -> Option<Id> {
        match &self.phase {
            Phase::Done(done) => Some(done.id),
            _ => None,
        }
    }

    /// Everything the wizard would write, as it stands.
    pub fn new_customer(&self) -> NewCustomer {
        let (roles, users) = self.people.roles_and_users();
        NewCustomer {
            profile: self.form.profile(),
            camera_ids: self.cameras.picked_ids(),
            new_cameras: self.cameras.new_cameras().to_vec(),
            roles,
            users,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Keys

    /// The current step as a component.
    fn current(&self) -> &dyn Component {
        match self.step {
            Step::Cameras => &self.cameras,
            Step::People => &self.people,
            Step::Review => &self.review,
            _ => &self.form,
        }
    }

    fn current_mut(&mut self) -> &mut dyn Component {
        match self.step {
            Step::Cameras => &mut self.cameras,
            Step::People => &mut self.people,
            Step::Review => &mut self.review,
            _ => &mut self.form,
        }
    }

    /// The current step's answer to a key; [`Effect::Ignored`] leaves the key to the wizard.
    fn step_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let effect = self.current_mut().handle_key(key, action, ctx);
        match self.review.take_jump() {
            Some(step) => self.jump(step, ctx),
            None => effect,
        }
    }

    /// The wizard's own keys, for what the step left: Ctrl-N and Enter past the last field move
    /// on, Ctrl-P goes back, Esc asks whether to keep the draft; on the review Enter on the
    /// button and Ctrl-S create the customer.
    fn wizard_action(&mut self, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let review = self.step == Step::Review;
        match action {
            Some(Action::NextStep) => self.next(ctx),
            Some(Action::Submit | Action::Save) if review => self.create(ctx),
            // Enter that no field of steps 6 and 7 took moves on, as on the last field (their
            // lists and dialogs call it Open and Confirm).
            Some(Action::Submit | Action::Open | Action::Confirm) if !review => self.next(ctx),
            Some(Action::PrevStep) => self.prev(ctx),
            Some(Action::Cancel) => self.ask_to_leave(),
            _ => Effect::Ignored,
        }
    }

    /// The leave prompt's answer: keep the draft and leave, discard it and leave, or go on.
    fn leave_with(&mut self, answer: LeaveAnswer, ctx: &mut Ctx) -> Effect {
        self.leave = None;
        match answer {
            LeaveAnswer::Keep => match self.save_draft(ctx) {
                Ok(()) => Effect::Back(Some(Flash::info("Draft kept: press a to resume"))),
                Err(e) => Effect::Flash(Flash::error(format!("Draft not saved: {e}"))),
            },
            LeaveAnswer::Discard => match ctx.store.discard_draft(&ctx.operator.login) {
                Ok(()) => Effect::Back(Some(Flash::info("Draft discarded"))),
                Err(e) => Effect::Flash(Flash::error(format!("Draft not discarded: {e}"))),
            },
            LeaveAnswer::GoOn => Effect::Done,
        }
    }

    /// `1`..`4` while the wizard is open: leaves as Esc does (at once when nothing was typed,
    /// else the leave prompt, which stays up when it already is); `None` when Esc would not
    /// leave (the customer being written, or the passwords shown once).
    pub fn leave_for_tab(&mut self) -> Option<Effect> {
        if !matches!(self.phase, Phase::Editing) {
            return None;
        }
        if self.leave.is_some() {
            return Some(Effect::Done);
        }
        Some(self.ask_to_leave())
    }

    /// Esc: asks what to do with the draft; leaves at once when nothing was typed or saved.
    fn ask_to_leave(&mut self) -> Effect {
        if !self.is_dirty() && self.saved.is_none() {
            return Effect::Back(None);
        }
        self.leave = Some(LeavePrompt::default());
        Effect::DialogOpened
    }
}

/// A key goes to the open dialog first, then to the step, then to the wizard itself.
impl Component for Wizard {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        match &self.phase {
            Phase::Committing(committing) => return committing.contexts(),
            Phase::Done(done) => return done.contexts(),
            Phase::Editing => {}
        }
        if let Some(leave) = &self.leave {
            return leave.contexts();
        }
        let mut ctxs = self.current().contexts();
        // Global keys are the app's; the wizard's own are the form's.
        ctxs.retain(|c| *c != KeyContext::Global);
        if !ctxs.contains(&KeyContext::Form) {
            ctxs.push(KeyContext::Form);
        }
        ctxs
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        match &mut self.phase {
            Phase::Committing(committing) => return committing.handle_key(key, action, ctx),
            Phase::Done(done) => return done.handle_key(key, action, ctx),
            Phase::Editing => {}
        }
        if let Some(leave) = &mut self.leave {
            let effect = leave.handle_key(key, action, ctx);
            return match leave.take_answer() {
                Some(answer) => self.leave_with(answer, ctx),
                None => effect,
            };
        }
        match self.step_key(key, action, ctx) {
            Effect::Ignored => self.wizard_action(action, ctx),
            effect => effect,
        }
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        if !matches!(self.phase, Phase::Editing) || self.leave.is_some() {
            return Effect::Done;
        }
        let effect = self.current_mut().handle_paste(text, ctx);
        match effect {
            Effect::Ignored => Effect::Done,
            effect => effect,
        }
    }

    fn captures_text(&self) -> bool {
        self.text_captured()
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        self.keys_hint()
    }

    fn is_dirty(&self) -> bool {
        Wizard::is_dirty(self)
    }
    fn tick(&mut self, ctx: &mut Ctx) -> Effect {
        Wizard::tick(self, ctx)
    }
    fn busy(&self) -> bool {
        Wizard::busy(self)
    }
    fn save_draft(&mut self, ctx: &mut Ctx) -> crate::store::Result<()> {
        Wizard::save_draft(self, ctx)
    }
    fn draft_snapshot(&self) -> Option<(i64, String)> {
        Wizard::draft_snapshot(self)
    }
    fn step_check(&mut self, step: Step, ctx: &mut Ctx) -> Option<String> {
        (self.step() == step)
            .then(|| self.step_problems(ctx))
            .flatten()
    }
    fn leave_for_tab(&mut self) -> Option<Effect> {
        Wizard::leave_for_tab(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_count_from_one() {
        assert_eq!(Step::Type.number(), 1);
        assert_eq!(Step::Review.number(), 8);
        assert_eq!(Step::from_number(5), Some(Step::Billing));
        assert_eq!(Step::from_number(0), None);
        assert_eq!(Step::from_number(9), None);
        assert_eq!(Step::People.title(), "Roles & users");
        assert_eq!(Step::UserCreation.title(), "User creation");
        assert_eq!(Step::Billing.section(), Some(Section::Billing));
        assert_eq!(Step::Cameras.section(), None);
    }
}
