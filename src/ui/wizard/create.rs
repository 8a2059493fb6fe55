//! Creating the customer: the last check, hashing the temporary passwords on a background
//! thread, the one transaction that writes everything, and what a conflict brings back.

use super::*;

impl Wizard {
    // -----------------------------------------------------------------------------------------
    // Commit

    /// Checks once more, then starts hashing the temporary passwords; `tick` writes when done.
    pub(super) fn create(&mut self, ctx: &mut Ctx) -> Effect {
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
        let committing = Committing::start(new, passwords);
        self.review.set_status(Some(committing.status()));
        self.phase = Phase::Committing(committing);
        Effect::Done
    }

    /// Called every turn of the app's loop: finishes a commit whose hashing is done, and saves
    /// the draft every few seconds while something changed.
    pub fn tick(&mut self, ctx: &mut Ctx) -> Effect {
        if let Phase::Committing(committing) = &mut self.phase {
            let Some(result) = committing.hashing.try_finish() else {
                // Drawn after this tick: the progress as of now.
                self.review.set_status(Some(committing.status()));
                return Effect::Done;
            };
            self.review.set_status(None);
            let Phase::Committing(Committing { passwords, new, .. }) =
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
        matches!(self.phase, Phase::Committing(_))
    }

    pub(super) fn write(
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
    pub(super) fn route_conflict(&mut self, new: &NewCustomer, message: &str, ctx: &mut Ctx) {
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
}
