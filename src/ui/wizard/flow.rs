//! Moving between the steps: each is validated before the next opens, going back never loses
//! input, and the steps are kept in line with each other.

use super::*;

impl Wizard {
    // -----------------------------------------------------------------------------------------
    // Moving between steps

    /// Validates the current step; moves on when it passes, else shows the problems and stays.
    pub(super) fn next(&mut self, ctx: &mut Ctx) -> Effect {
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
    pub(super) fn prev(&mut self, ctx: &mut Ctx) -> Effect {
        match self.step.prev() {
            Some(to) => self.go(to, ctx),
            None => Effect::Done,
        }
    }

    /// Opens `step` from the review (a problem there, or a digit).
    pub(super) fn jump(&mut self, step: Step, ctx: &mut Ctx) -> Effect {
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

    pub(super) fn go(&mut self, to: Step, ctx: &mut Ctx) -> Effect {
        self.step = to;
        self.enter_step(ctx);
        match self.save_draft(ctx) {
            Ok(()) => Effect::Done,
            Err(e) => Effect::Flash(Flash::warning(format!("Draft not saved: {e}"))),
        }
    }

    /// Brings the steps in line with each other and prepares the step just opened.
    pub(super) fn enter_step(&mut self, ctx: &mut Ctx) {
        self.sync();
        if self.step == Step::Review {
            self.refresh_review(ctx);
        }
    }

    /// Step 2's contact proposes the first user, step 3 may forbid Share, step 6's cameras are
    /// what roles choose from and what the estimate of step 5 counts.
    pub(super) fn sync(&mut self) {
        let profile = self.form.profile();
        if let Some(section) = self.step.section() {
            self.form.show_section(section);
        }
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
    pub(super) fn validate_step(&mut self, step: Step, ctx: &mut Ctx) -> Option<String> {
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

    pub(super) fn refresh_review(&mut self, ctx: &mut Ctx) {
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
    pub(super) fn gather_problems(
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
}

pub(super) fn with_more(first: String, n: usize) -> String {
    if n > 1 {
        format!("{first} (and {} more)", n - 1)
    } else {
        first
    }
}
