//! What the wizard shows: the indicator and heading over the current step, its popups, and the
//! keys of the hint line.

use super::*;

impl Wizard {
    // -----------------------------------------------------------------------------------------
    // Drawing

    pub(super) fn text_captured(&self) -> bool {
        if !matches!(self.phase, Phase::Editing) || self.leave.is_some() {
            return false;
        }
        self.current().captures_text()
    }

    /// The keys that matter now, for the app's hint line.
    pub(super) fn keys_hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        match &self.phase {
            Phase::Committing(committing) => return committing.hint(),
            Phase::Done(done) => return done.hint(),
            Phase::Editing => {}
        }
        if let Some(leave) = &self.leave {
            return leave.hint();
        }
        match self.step {
            Step::Cameras => with_leave(self.cameras.hint(), self.cameras.captures_text()),
            Step::People => with_leave(self.people.hint(), self.people.captures_text()),
            Step::Review => self.review.hint(),
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

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        if let Phase::Done(done) = &self.phase {
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
        if let Some(leave) = &self.leave {
            leave.render(frame, area, theme, keymap);
        }
    }

    pub(super) fn render_step(
        &self,
        frame: &mut Frame,
        body: Rect,
        theme: &Theme,
        keymap: &Keymap,
    ) {
        match self.step {
            Step::Cameras => self.cameras.render(frame, body, theme, keymap),
            Step::People => self.people.render(frame, body, theme, keymap),
            Step::Review => self.review.render(frame, body, theme, keymap),
            step => {
                if let Some(section) = step.section() {
                    self.form.render(section, frame, body, theme);
                }
            }
        }
    }
}

/// A step's own hints plus the wizard's step keys and Esc, unless a popup of the step is open.
pub(super) fn with_leave(
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
