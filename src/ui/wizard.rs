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
pub mod done;
mod draft;
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
use crate::ui::component::{Ctx, Effect, Flash};
use crate::ui::form::draw_line;
use crate::ui::profile_form::{FormOutcome, Lookups, ProfileForm, Section};

use cameras::{CameraStep, StepOutcome};
use chrome::LeaveChoice;
/// The start-up draft prompt asks its second question with the wizard's own dialog.
pub(crate) use chrome::render_discard_question;
use commit::{Hashing, PasswordSource, Secret};
use done::{Account, Done, DoneOutcome};
pub use draft::draft_summary;
use draft::{Content, DRAFT_VERSION, DraftData};
use people::PeopleStep;
use review::{PageInput, Problem, Review, ReviewOutcome};

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
    /// The passwords are being hashed; then `new` is written.
    Hashing {
        hashing: Hashing,
        passwords: Vec<Secret>,
        new: Box<NewCustomer>,
    },
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
    leave_prompt: bool,
    /// `d` was pressed in the leave prompt: a second `d` drops everything typed.
    discard_asked: bool,
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
            leave_prompt: false,
            discard_asked: false,
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

    pub fn handle_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        match &mut self.phase {
            Phase::Hashing { .. } => {
                // Nothing may change while the commit is under way; Ctrl-C still reaches the app.
                return match ctx.keymap.lookup(KeyContext::Global, key) {
                    Some(Action::Quit)
                        if key
                            .modifiers
                            .contains(ratatui::crossterm::event::KeyModifiers::CONTROL) =>
                    {
                        Effect::Ignored
                    }
                    _ => Effect::Done,
                };
            }
            Phase::Done(done) => {
                return match done.handle_key(key, ctx.keymap) {
                    DoneOutcome::Open => Effect::OpenCustomer(done.id),
                    DoneOutcome::Remind => Effect::Flash(Flash::warning(format!(
                        "Note the passwords first: they are not shown again. Enter opens {}",
                        display(&done.name)
                    ))),
                    DoneOutcome::Consumed => Effect::Done,
                    DoneOutcome::Ignored => Effect::Ignored,
                };
            }
            Phase::Editing => {}
        }
        if self.leave_prompt {
            return self.handle_prompt_key(key, ctx);
        }
        let effect = match self.step {
            Step::Review => match self.review.handle_key(key, ctx.keymap) {
                ReviewOutcome::Consumed => return Effect::Done,
                ReviewOutcome::Ignored => None,
                ReviewOutcome::Jump(step) => return self.jump(step, ctx),
                ReviewOutcome::Create => return self.create(ctx),
            },
            Step::Cameras => step_effect(self.cameras.handle_key(key, ctx)),
            Step::People => step_effect(self.people.handle_key(key, ctx)),
            step => {
                let section = step.section().unwrap_or(Section::Type);
                match self.form.handle_key(section, key, ctx.keymap) {
                    FormOutcome::Consumed => Some(Effect::Done),
                    FormOutcome::NextFromLast => return self.next(ctx),
                    FormOutcome::Ignored => None,
                }
            }
        };
        if let Some(effect) = effect {
            return effect;
        }
        match ctx.keymap.lookup(KeyContext::Form, key) {
            Some(Action::NextStep) => self.next(ctx),
            // Enter that no field of steps 6 and 7 took moves on, as on the last field.
            Some(Action::Submit) if matches!(self.step, Step::Cameras | Step::People) => {
                self.next(ctx)
            }
            Some(Action::PrevStep) => self.prev(ctx),
            Some(Action::Cancel) => self.ask_to_leave(),
            _ => Effect::Ignored,
        }
    }

    pub fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        if !matches!(self.phase, Phase::Editing) || self.leave_prompt {
            return Effect::Done;
        }
        match self.step {
            Step::Cameras => step_effect(self.cameras.handle_paste(text)).unwrap_or(Effect::Done),
            Step::People => step_effect(self.people.handle_paste(text)).unwrap_or(Effect::Done),
            Step::Review => Effect::Done,
            step => {
                if let Some(section) = step.section() {
                    self.form.handle_paste(section, text);
                }
                Effect::Done
            }
        }
    }

    fn handle_prompt_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        if self.discard_asked {
            return self.handle_discard_key(key, ctx);
        }
        match chrome::leave_choice(key, ctx.keymap) {
            Some(LeaveChoice::GoOn) => {
                self.leave_prompt = false;
                Effect::Done
            }
            Some(LeaveChoice::Keep) => {
                self.leave_prompt = false;
                match self.save_draft(ctx) {
                    Ok(()) => Effect::Back(Some(Flash::info("Draft kept: press a to resume"))),
                    Err(e) => Effect::Flash(Flash::error(format!("Draft not saved: {e}"))),
                }
            }
            Some(LeaveChoice::Discard) => {
                self.discard_asked = true;
                Effect::DialogOpened
            }
            // Ctrl-C still reaches the app; anything else waits for an answer.
            None => match ctx.keymap.lookup(KeyContext::Global, key) {
                Some(Action::Quit)
                    if key
                        .modifiers
                        .contains(ratatui::crossterm::event::KeyModifiers::CONTROL) =>
                {
                    Effect::Ignored
                }
                _ => Effect::Done,
            },
        }
    }

    /// The second question of a discard: `d` again drops the draft, any other key goes back to
    /// the leave prompt.
    fn handle_discard_key(&mut self, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if !plain {
            // Ctrl-C still reaches the app.
            return Effect::Ignored;
        }
        self.discard_asked = false;
        if !matches!(key.code, KeyCode::Char('d' | 'D')) {
            return Effect::Done;
        }
        self.leave_prompt = false;
        match ctx.store.discard_draft(&ctx.operator.login) {
            Ok(()) => Effect::Back(Some(Flash::info("Draft discarded"))),
            Err(e) => Effect::Flash(Flash::error(format!("Draft not discarded: {e}"))),
        }
    }

    /// `1`..`4` while the wizard is open: leaves as Esc does (at once when nothing was typed,
    /// else the leave prompt, which stays up when it already is); `None` when Esc would not
    /// leave (the customer being written, or the passwords shown once).
    pub fn leave_for_tab(&mut self) -> Option<Effect> {
        if !matches!(self.phase, Phase::Editing) {
            return None;
        }
        if self.leave_prompt {
            return Some(Effect::Done);
        }
        Some(self.ask_to_leave())
    }

    /// Esc: asks what to do with the draft; leaves at once when nothing was typed or saved.
    fn ask_to_leave(&mut self) -> Effect {
        if !self.is_dirty() && self.saved.is_none() {
            return Effect::Back(None);
        }
        self.leave_prompt = true;
        Effect::DialogOpened
    }

    // -----------------------------------------------------------------------------------------
    // Moving between steps

    /// Validates the current step; moves on when it passes, else shows the problems and stays.
    fn next(&mut self, ctx: &mut Ctx) -> Effect {
        if self.step == Step::Review {
            return Effect::Done;
        }
        if let Some(problem) = self.validate_step(self.step, ctx) {
            self.completed.retain(|s| *s != self.step);
            return Effect::Flash(Flash::error(problem).step_check(self.step));
        }
        if !self.completed.contains(&self.step) {
            self.completed.push(self.step);
        }
        let to = self.step.next().unwrap_or(Step::Review);
        self.go(to, ctx)
    }

    /// Back one step, without validating; nothing typed is lost.
    fn prev(&mut self, ctx: &mut Ctx) -> Effect {
        match self.step.prev() {
            Some(to) => self.go(to, ctx),
            None => Effect::Done,
        }
    }

    /// Opens `step` from the review (a problem there, or a digit).
    fn jump(&mut self, step: Step, ctx: &mut Ctx) -> Effect {
        if step == Step::Review {
            return Effect::Done;
        }
        let effect = self.go(step, ctx);
        // Show the step's problems where they are.
        match step.section() {
            Some(section) => {
                self.form.validate(section, ctx.store, None);
            }
            None if step == Step::People => {
                self.people.validate(ctx);
            }
            None => {}
        }
        effect
    }

    fn go(&mut self, to: Step, ctx: &mut Ctx) -> Effect {
        self.step = to;
        self.enter_step(ctx);
        match self.save_draft(ctx) {
            Ok(()) => Effect::Done,
            Err(e) => Effect::Flash(Flash::warning(format!("Draft not saved: {e}"))),
        }
    }

    /// Brings the steps in line with each other and prepares the step just opened.
    fn enter_step(&mut self, ctx: &mut Ctx) {
        self.sync();
        if self.step == Step::Review {
            self.refresh_review(ctx);
        }
    }

    /// Step 2's contact proposes the first user, step 3 may forbid Share, step 6's cameras are
    /// what roles choose from and what the estimate of step 5 counts.
    fn sync(&mut self) {
        let profile = self.form.profile();
        self.form.set_camera_count(self.cameras.count());
        self.people.sync_contact(&profile.contact);
        self.people
            .set_share_disabled(profile.defaults.disable_camera_share);
        self.people.set_cameras(self.cameras.choices());
    }

    /// The current step's problems as its summary says them; `None` once it has none.
    pub fn step_problems(&mut self, ctx: &mut Ctx) -> Option<String> {
        if let Some(section) = self.step.section() {
            let n = self.form.recheck(section, ctx.store, None);
            // The first problem in the order of the form, as the summary first said it.
            let first = self.form.first_error(section);
            return (n > 0)
                .then(|| with_more(first.unwrap_or_else(|| "this step has problems".into()), n));
        }
        self.validate_step(self.step, ctx)
    }

    /// The first problem of `step`, shown under its field; `None` when the step is fine.
    fn validate_step(&mut self, step: Step, ctx: &mut Ctx) -> Option<String> {
        if let Some(section) = step.section() {
            let n = self.form.validate(section, ctx.store, None);
            if n == 0 {
                return None;
            }
            let first = self
                .form
                .focused_key(section)
                .and_then(|key| self.form.error(key))
                .map(str::to_owned)
                .unwrap_or_else(|| "this step has problems".into());
            return Some(with_more(first, n));
        }
        match step {
            Step::People => {
                let problems = self.people.validate(ctx);
                let n = problems.len();
                problems.into_iter().next().map(|first| with_more(first, n))
            }
            _ => None,
        }
    }

    fn refresh_review(&mut self, ctx: &mut Ctx) {
        let new = self.new_customer();
        let problems = match self.gather_problems(&new, ctx) {
            Ok(problems) => problems,
            Err(e) => vec![Problem::new(
                Step::Review,
                format!("The store could not be checked: {e}"),
            )],
        };
        let choices = self.cameras.choices();
        let input = PageInput {
            profile: &new.profile,
            lookups: &self.lookups,
            cameras: &choices,
            people: self.people.summary(),
            estimate: self.form.monthly_estimate(self.cameras.count()),
        };
        self.review.refresh(&input, problems);
    }

    /// The shared rules and the store's checks, plus step 7's own (which name the role or user).
    fn gather_problems(
        &mut self,
        new: &NewCustomer,
        ctx: &mut Ctx,
    ) -> Result<Vec<Problem>, StoreError> {
        let mut problems = review::problems_of(new, ctx.store)?;
        let people: Vec<Problem> = self
            .people
            .validate(ctx)
            .into_iter()
            .map(|text| Problem::new(Step::People, text))
            .collect();
        // Step 7 names its problems better than the shared rules; keep the latter only when
        // step 7 found nothing.
        if !people.is_empty() {
            problems.retain(|p| p.step != Step::People);
            problems.extend(people);
        }
        problems.sort_by_key(|p| p.step);
        Ok(problems)
    }

    // -----------------------------------------------------------------------------------------
    // Commit

    /// Checks once more, then starts hashing the temporary passwords; `tick` writes when done.
    fn create(&mut self, ctx: &mut Ctx) -> Effect {
        self.sync();
        self.refresh_review(ctx);
        let n = self.review.problems().len();
        if n > 0 {
            return Effect::Flash(Flash::error(format!(
                "Not created: fix the {} listed first",
                if n == 1 {
                    "problem".to_string()
                } else {
                    format!("{n} problems")
                }
            )));
        }
        let new = self.new_customer();
        let passwords: Vec<Secret> = new.users.iter().map(|_| (self.passwords)()).collect();
        let hashing = Hashing::start(&passwords);
        self.phase = Phase::Hashing {
            hashing,
            passwords,
            new: Box::new(new),
        };
        Effect::Done
    }

    /// Called every turn of the app's loop: finishes a commit whose hashing is done, and saves
    /// the draft every few seconds while something changed.
    pub fn tick(&mut self, ctx: &mut Ctx) -> Effect {
        if let Phase::Hashing { hashing, .. } = &mut self.phase {
            let Some(result) = hashing.try_finish() else {
                return Effect::Done;
            };
            let Phase::Hashing { passwords, new, .. } =
                std::mem::replace(&mut self.phase, Phase::Editing)
            else {
                return Effect::Done;
            };
            return match result {
                Ok(hashes) => self.write(*new, passwords, &hashes, ctx),
                Err(e) => Effect::Flash(Flash::error(format!("Not created: {e}"))),
            };
        }
        if matches!(self.phase, Phase::Editing) && self.last_autosave.elapsed() >= AUTOSAVE_EVERY {
            self.last_autosave = Instant::now();
            let changed = self
                .saved
                .as_ref()
                .map_or(self.is_dirty(), |(json, _)| *json != self.content_json());
            if changed && let Err(e) = self.save_draft(ctx) {
                return Effect::Flash(Flash::warning(format!("Draft not saved: {e}")));
            }
        }
        Effect::Done
    }

    /// Passwords are being hashed: the app should call `tick` often (every 50 ms or so).
    pub fn busy(&self) -> bool {
        matches!(self.phase, Phase::Hashing { .. })
    }

    fn write(
        &mut self,
        new: NewCustomer,
        passwords: Vec<Secret>,
        hashes: &[String],
        ctx: &mut Ctx,
    ) -> Effect {
        match ctx.store.create_customer(&new, hashes, ctx.operator) {
            Ok(created) => {
                let name = new.profile.contact.company.clone();
                let discarded = ctx.store.discard_draft(&ctx.operator.login);
                self.saved = None;
                let accounts = new
                    .users
                    .iter()
                    .zip(passwords)
                    .map(|(user, password)| Account {
                        name: format!("{} {}", user.first_name, user.last_name)
                            .trim()
                            .to_string(),
                        email: user.email.clone(),
                        password,
                    })
                    .collect();
                self.phase = Phase::Done(Done::new(
                    created.id,
                    name.clone(),
                    accounts,
                    new.profile.user_creation,
                ));
                let flash = match discarded {
                    Ok(()) => Flash::info(format!("{} created", display(&name))),
                    Err(e) => Flash::warning(format!(
                        "{} created; its draft could not be removed: {e}",
                        display(&name)
                    )),
                };
                Effect::Changed(Some(flash))
            }
            Err(StoreError::Conflict(message)) => {
                drop(passwords);
                self.route_conflict(&new, &message, ctx);
                Effect::Flash(Flash::error(format!("Not created: {message}")))
            }
            Err(e) => Effect::Flash(Flash::error(format!("Not created: {e}"))),
        }
    }

    /// Nothing was written: brings the operator to the step concerned with the problem marked;
    /// every input stays.
    fn route_conflict(&mut self, new: &NewCustomer, message: &str, ctx: &mut Ctx) {
        let to = if message.starts_with("Company name") {
            self.form
                .set_error(field::CONTACT_COMPANY, message.to_string());
            Step::Contact
        } else if message.starts_with("User email") {
            let taken: Vec<String> = new
                .users
                .iter()
                .filter(|u| ctx.store.user_email_taken(&u.email).unwrap_or(false))
                .map(|u| u.email.clone())
                .collect();
            for email in &taken {
                self.people.mark_email_taken(email, message.to_string());
            }
            Step::People
        } else if message.starts_with("Camera") {
            for id in self.cameras.picked_ids() {
                let free = matches!(ctx.store.camera(id), Ok(Some(c)) if c.customer_id.is_none());
                if !free {
                    self.cameras.mark_taken(id, message.to_string());
                }
            }
            Step::Cameras
        } else {
            Step::Review
        };
        self.completed.retain(|s| *s < to);
        self.step = to;
        self.enter_step(ctx);
        // The picks changed; the draft follows. A failure here changes nothing on screen.
        let _ = self.save_draft(ctx);
    }

    // -----------------------------------------------------------------------------------------
    // Drafts

    fn content(&self) -> Content {
        Content {
            profile: self.form.profile(),
            camera_ids: self.cameras.picked_ids(),
            new_cameras: self.cameras.new_cameras().to_vec(),
            people: self.people.draft(),
        }
    }

    fn content_json(&self) -> String {
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
            Phase::Done(ref done) => !done.accounts.is_empty(),
            Phase::Hashing { .. } => true,
            Phase::Editing => self.content_json() != self.pristine,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Drawing

    pub fn captures_text(&self) -> bool {
        if !matches!(self.phase, Phase::Editing) || self.leave_prompt {
            return false;
        }
        match self.step {
            Step::Cameras => self.cameras.captures_text(),
            Step::People => self.people.captures_text(),
            Step::Review => false,
            step => step
                .section()
                .is_some_and(|section| self.form.text_focused(section)),
        }
    }

    /// The keys that matter now, for the app's hint line.
    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        match self.phase {
            Phase::Hashing { .. } => return (Vec::new(), Vec::new()),
            Phase::Done(_) => {
                return (
                    vec![KeyContext::Modal, KeyContext::List],
                    vec![Action::Confirm, Action::PageDown],
                );
            }
            Phase::Editing => {}
        }
        if self.leave_prompt {
            return (vec![KeyContext::Modal], vec![Action::Cancel]);
        }
        match self.step {
            Step::Cameras => with_leave(self.cameras.hint(), self.cameras.captures_text()),
            Step::People => with_leave(self.people.hint(), self.people.captures_text()),
            Step::Review => (
                vec![
                    KeyContext::Modal,
                    KeyContext::Form,
                    KeyContext::List,
                    KeyContext::Global,
                ],
                vec![
                    Action::Confirm,
                    Action::Save,
                    Action::NextField,
                    Action::PageDown,
                    Action::PrevStep,
                    Action::Cancel,
                    Action::Help,
                ],
            ),
            step => {
                let text = step
                    .section()
                    .is_some_and(|section| self.form.text_focused(section));
                // Step keys first: on a narrow hint line the last entries are the ones dropped.
                let mut actions = vec![
                    Action::NextStep,
                    Action::PrevStep,
                    Action::NextField,
                    Action::PrevField,
                ];
                if !text {
                    actions.push(Action::Toggle);
                }
                actions.extend([Action::Submit, Action::Cancel]);
                let mut ctxs = vec![KeyContext::Form];
                if !text {
                    ctxs.push(KeyContext::Global);
                    actions.push(Action::Help);
                }
                (ctxs, actions)
            }
        }
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        if let Phase::Done(done) = &mut self.phase {
            done.render(frame, area, theme, keymap);
            return;
        }
        let completed = self.completed();
        let indicator = chrome::indicator(self.step, &completed, area.width, theme);
        draw_line(frame.buffer_mut(), area, area.y, &indicator);
        // Steps 6 and 7 draw their own heading.
        let own_heading = matches!(self.step, Step::Cameras | Step::People);
        if area.height > 1 && !own_heading {
            let heading = chrome::heading(self.step, theme);
            draw_line(frame.buffer_mut(), area, area.y + 1, &heading);
        }
        let top = if own_heading { 2 } else { 3 };
        let body = Rect::new(
            area.x,
            area.y + area.height.min(top),
            area.width,
            area.height.saturating_sub(top),
        );
        if !body.is_empty() {
            self.render_step(frame, body, theme, keymap);
        }
        if self.discard_asked {
            chrome::render_discard_question(frame, area, theme);
        } else if self.leave_prompt {
            chrome::render_leave_prompt(frame, area, theme, keymap);
        }
    }

    fn render_step(&mut self, frame: &mut Frame, body: Rect, theme: &Theme, keymap: &Keymap) {
        match self.step {
            Step::Cameras => self.cameras.render(frame, body, theme, keymap),
            Step::People => self.people.render(frame, body, theme, keymap),
            Step::Review => {
                let status = match &self.phase {
                    Phase::Hashing { hashing, .. } => {
                        let (done, total) = hashing.progress();
                        Some(format!("Hashing passwords {done}/{total}…"))
                    }
                    _ => None,
                };
                self.review.render(frame, body, theme, status.as_deref());
            }
            step => {
                if let Some(section) = step.section() {
                    self.form.render(section, frame, body, theme);
                }
            }
        }
    }
}

/// What a step's outcome means to the app; `None` when the wizard may still use the key.
fn step_effect(outcome: StepOutcome) -> Option<Effect> {
    match outcome {
        StepOutcome::Consumed => Some(Effect::Done),
        StepOutcome::Flash(flash) => Some(Effect::Flash(flash)),
        StepOutcome::Ignored => None,
    }
}

/// A step's own hints plus the wizard's step keys and Esc, unless a popup of the step is open.
fn with_leave(
    (mut ctxs, mut actions): (Vec<KeyContext>, Vec<Action>),
    popup: bool,
) -> (Vec<KeyContext>, Vec<Action>) {
    if popup {
        return (ctxs, actions);
    }
    if !ctxs.contains(&KeyContext::Form) {
        ctxs.push(KeyContext::Form);
    }
    for action in [Action::NextStep, Action::PrevStep, Action::Cancel] {
        if !actions.contains(&action) {
            // Before Help, which stays last.
            let at = actions
                .iter()
                .position(|a| *a == Action::Help)
                .unwrap_or(actions.len());
            actions.insert(at, action);
        }
    }
    (ctxs, actions)
}

fn with_more(first: String, n: usize) -> String {
    if n > 1 {
        format!("{first} (and {} more)", n - 1)
    } else {
        first
    }
}

// Until its keys are read from the looked-up action, the screen's own methods answer.
impl crate::ui::component::Component for Wizard {
    fn contexts(&self) -> Vec<KeyContext> {
        Wizard::hint(self).0
    }
    fn handle_key(&mut self, key: &KeyEvent, _action: Option<Action>, ctx: &mut Ctx) -> Effect {
        Wizard::handle_key(self, key, ctx)
    }
    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        Wizard::handle_paste(self, text, ctx)
    }
    fn captures_text(&self) -> bool {
        Wizard::captures_text(self)
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        Wizard::hint(self)
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
