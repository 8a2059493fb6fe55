//! Step 8, Review: everything the wizard will write on one scrollable page grouped by step, the
//! problems that remain listed at the top (each with its step; Enter on one, or a digit, opens
//! that step), and the `Create customer` button.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Step;
use super::cameras::{CameraChoice, CameraKey};
use crate::action::{Action, KeyContext};
use crate::domain::validate::{display, normalize_mac, validate_new_customer};
use crate::domain::{Address, Contact, CustomerProfile, CustomerType, Id, NewCustomer};
use crate::keymap::Keymap;
use crate::store::{Store, StoreError};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::draw_line;
use crate::ui::profile_form::Lookups;

/// Width of the label column of the page.
const LABEL_WIDTH: usize = 22;
pub const CREATE_LABEL: &str = "[ Create customer ]";

/// One problem left, and the step where it is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub step: Step,
    pub text: String,
}

impl Problem {
    pub fn new(step: Step, text: impl Into<String>) -> Self {
        Self {
            step,
            text: text.into(),
        }
    }
}

/// The step whose form holds the field with this key (see `validate::field`).
pub fn step_of_field(key: &str) -> Step {
    match key.split('.').next().unwrap_or("") {
        "kind" | "parent" => Step::Type,
        "contact" => Step::Contact,
        "defaults" => Step::Defaults,
        "user_creation" => Step::UserCreation,
        "billing" => Step::Billing,
        "camera" => Step::Cameras,
        _ => Step::People,
    }
}

/// The problems the store and the shared rules find in what the wizard would write: every rule of
/// `validate_new_customer`, a company name taken meanwhile, cameras linked meanwhile and new
/// cameras whose MAC or serial is registered already.
pub fn problems_of(new: &NewCustomer, store: &Store) -> Result<Vec<Problem>, StoreError> {
    let mut problems: Vec<Problem> = validate_new_customer(new)
        .into_iter()
        .map(|e| Problem::new(step_of_field(e.field), e.to_string()))
        .collect();
    let name = new.profile.contact.company.trim();
    if !name.is_empty() && store.customer_name_taken(name, None)? {
        problems.push(Problem::new(
            Step::Contact,
            format!(
                "Company name: \"{}\" is already taken by another customer",
                display(name)
            ),
        ));
    }
    for &id in &new.camera_ids {
        match store.camera(id)? {
            Some(camera) if camera.customer_id.is_none() => {}
            Some(camera) => problems.push(Problem::new(
                Step::Cameras,
                format!(
                    "Camera {} is now linked to {}",
                    display(&camera.spec.name),
                    display(
                        camera
                            .customer_name
                            .as_deref()
                            .unwrap_or("another customer")
                    )
                ),
            )),
            None => problems.push(Problem::new(
                Step::Cameras,
                format!("Camera #{id} was deleted from the inventory"),
            )),
        }
    }
    for cam in &new.new_cameras {
        let mac = normalize_mac(&cam.mac).unwrap_or_else(|_| cam.mac.clone());
        let (mac_taken, serial_taken) = store.camera_exists(&mac, cam.serial.trim())?;
        if mac_taken || serial_taken {
            let what = if mac_taken { "MAC" } else { "serial number" };
            problems.push(Problem::new(
                Step::Cameras,
                format!(
                    "Camera {}: its {what} is already registered in the inventory",
                    display(&cam.name)
                ),
            ));
        }
    }
    problems.sort_by_key(|p| p.step);
    Ok(problems)
}

/// One group of the page: the step and its rows (label, value; an empty label continues a list).
#[derive(Debug, Clone, Default)]
struct Group {
    step: Option<Step>,
    rows: Vec<(String, String)>,
}

/// What the page shows, gathered from the steps.
pub struct PageInput<'a> {
    pub profile: &'a CustomerProfile,
    pub lookups: &'a Lookups,
    pub cameras: &'a [CameraChoice],
    pub people: Vec<String>,
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Review {
    problems: Vec<Problem>,
    groups: Vec<Group>,
    /// 0..problems: a problem line; `problems.len()`: the button.
    focus: usize,
    /// The first line shown; drawing keeps the focused problem in view.
    scroll: Cell<usize>,
    /// Rows of the page last drawn, for paging.
    page_height: Cell<usize>,
    /// The step a problem line (Enter) or a digit asked to open, for the wizard to take.
    jump: Option<Step>,
    /// Beside the button while the customer is being created ("Hashing passwords 3/50…"),
    /// kept current by the wizard between keys.
    status: Option<String>,
}

impl Review {
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Fills the page anew; focus goes to the first problem, or to the button when none is left.
    pub fn refresh(&mut self, input: &PageInput<'_>, problems: Vec<Problem>) {
        self.groups = groups(input);
        self.problems = problems;
        self.focus = 0;
        self.scroll.set(0);
        self.jump = None;
    }

    pub fn button_focused(&self) -> bool {
        self.focus >= self.problems.len()
    }

    /// What the button row says while the customer is being created; `None` once done.
    pub fn set_status(&mut self, status: Option<String>) {
        self.status = status;
    }

    /// The step Enter on a problem line, or its digit, asked to open (once).
    pub fn take_jump(&mut self) -> Option<Step> {
        self.jump.take()
    }

    /// Draws the page in `area`: the problems and the groups scroll; the button stays on the last
    /// row, with the status ([`Review::set_status`]) beside it.
    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, _keymap: &Keymap) {
        let status = self.status.as_deref();
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let button_row = Rect::new(area.x, area.bottom() - 1, area.width, 1);
        let page = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(2));
        self.render_page(frame, page, theme);
        self.render_button(frame, button_row, theme, status);
    }

    fn render_page(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let lines = self.lines(theme);
        let height = usize::from(area.height);
        self.page_height.set(height);
        if height == 0 {
            return;
        }
        // A focused problem line is always in view.
        let mut scroll = self.scroll.get();
        if !self.button_focused() {
            let line = self.focus + 1;
            if line < scroll {
                scroll = line.saturating_sub(1);
            } else if line >= scroll + height {
                scroll = line + 1 - height;
            }
        }
        let scroll = scroll.min(lines.len().saturating_sub(height));
        self.scroll.set(scroll);
        let buf = frame.buffer_mut();
        for (i, line) in lines.iter().skip(scroll).take(height).enumerate() {
            draw_line(buf, area, area.y + i as u16, line);
        }
        if scroll + height < lines.len() && area.width > 0 {
            let more = "↓ more";
            let x = area.right().saturating_sub(more.chars().count() as u16);
            let r = Rect::new(x, area.bottom() - 1, area.right() - x, 1);
            draw_line(buf, r, r.y, &Line::styled(more, theme.muted));
        }
    }

    fn render_button(&self, frame: &mut Frame, row: Rect, theme: &Theme, status: Option<&str>) {
        let focused = self.button_focused();
        let mut spans = vec![
            Span::styled(theme.mark(theme.focus_symbol, focused), theme.focus),
            Span::styled(CREATE_LABEL, theme.button_add),
            Span::raw("  "),
        ];
        match (status, self.problems.len()) {
            (Some(status), _) => spans.push(Span::styled(status.to_owned(), theme.warning)),
            (None, 0) => spans.push(Span::styled("writes everything in one go", theme.muted)),
            (None, n) => spans.push(Span::styled(
                format!("fix the {} first", count_of(n, "problem", "problems")),
                theme.error,
            )),
        }
        draw_line(frame.buffer_mut(), row, row.y, &Line::from(spans));
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if self.problems.is_empty() {
            lines.push(Line::styled(
                "No problems left: check the details, then create the customer.",
                theme.info,
            ));
        } else {
            lines.push(Line::styled(
                format!(
                    "{} to fix (Enter on one, or its step number, opens the step):",
                    count_of(self.problems.len(), "problem", "problems")
                ),
                theme.error,
            ));
            for (i, problem) in self.problems.iter().enumerate() {
                let focused = i == self.focus;
                let style = if focused {
                    theme.table.selected
                } else {
                    theme.error
                };
                lines.push(Line::from(vec![
                    Span::styled(theme.mark(theme.selection_symbol, focused), theme.focus),
                    Span::styled(theme.danger_symbol, theme.error),
                    Span::styled(
                        format!(
                            "{} {}: {}",
                            problem.step.number(),
                            problem.step.title(),
                            display(&problem.text)
                        ),
                        style,
                    ),
                ]));
            }
        }
        for group in &self.groups {
            lines.push(Line::default());
            if let Some(step) = group.step {
                lines.push(Line::styled(
                    format!("{} {}", step.number(), step.heading()),
                    theme.title,
                ));
            }
            for (label, value) in &group.rows {
                let value = display(value).into_owned();
                // A list (cameras, roles and users) is indented under its group, not under the
                // label column, so long lines keep their room.
                if label.is_empty() {
                    lines.push(Line::from(vec![Span::raw("    "), Span::raw(value)]));
                    continue;
                }
                let pad = LABEL_WIDTH.saturating_sub(label.chars().count()).max(1);
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(label.clone(), theme.muted),
                    Span::raw(" ".repeat(pad)),
                    Span::raw(value),
                ]));
            }
        }
        lines
    }
}

fn count_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".to_string()
    } else {
        s.to_string()
    }
}

fn plan_name(lookups: &Lookups, id: Option<Id>) -> String {
    match id {
        None => "none".to_string(),
        Some(id) => lookups.plans.iter().find(|p| p.id == id).map_or_else(
            || format!("#{id} (no longer available)"),
            |p| p.name.clone(),
        ),
    }
}

fn address(a: &Address) -> String {
    or_dash(&a.one_line())
}

fn groups(input: &PageInput<'_>) -> Vec<Group> {
    let p = input.profile;
    vec![
        type_group(input),
        contact_group(&p.contact),
        Group {
            step: Some(Step::Defaults),
            rows: vec![
                row(
                    "Disable admin portal",
                    yes_no(p.defaults.disable_admin_portal),
                ),
                row(
                    "Disable camera share",
                    yes_no(p.defaults.disable_camera_share),
                ),
                row(
                    "Recording plan",
                    plan_name(input.lookups, p.defaults.default_plan_id),
                ),
            ],
        },
        Group {
            step: Some(Step::UserCreation),
            rows: vec![
                row("Confirm email", yes_no(p.user_creation.confirm_email)),
                row(
                    "Change password",
                    format!(
                        "{} (at first login)",
                        yes_no(p.user_creation.change_password)
                    ),
                ),
            ],
        },
        billing_group(input),
        cameras_group(input),
        people_group(input),
    ]
}

fn row(label: &str, value: String) -> (String, String) {
    (label.to_string(), value)
}

fn type_group(input: &PageInput<'_>) -> Group {
    let p = input.profile;
    let parent = match (p.kind, p.parent_id) {
        (CustomerType::Integrator, _) | (_, None) => "the integrator itself".to_string(),
        (_, Some(id)) => input
            .lookups
            .integrators
            .iter()
            .find(|(i, _)| *i == id)
            .map_or_else(|| format!("#{id}"), |(_, name)| name.clone()),
    };
    Group {
        step: Some(Step::Type),
        rows: vec![
            row("Customer type", p.kind.label().into()),
            row("Under", parent),
        ],
    }
}

fn contact_group(c: &Contact) -> Group {
    let notes = c.notes.lines().collect::<Vec<_>>().join(" / ");
    Group {
        step: Some(Step::Contact),
        rows: vec![
            row("Company name", or_dash(&c.company)),
            row(
                "Contact",
                or_dash(format!("{} {}", c.first_name, c.last_name).trim()),
            ),
            row("Email", or_dash(&c.email)),
            row("Phone", or_dash(&c.phone)),
            row("Address", address(&c.address)),
            row("Time zone", or_dash(&c.time_zone)),
            row("Reference", or_dash(&c.reference)),
            row("Notes", or_dash(&notes)),
        ],
    }
}

fn billing_group(input: &PageInput<'_>) -> Group {
    let b = &input.profile.billing;
    let billing_address = if b.same_as_company {
        "same as company".to_string()
    } else {
        address(&b.address)
    };
    Group {
        step: Some(Step::Billing),
        rows: vec![
            row("Billing address", billing_address),
            row("Billing contact", or_dash(&b.contact)),
            row("Billing email", or_dash(&b.email)),
            row("Billing phone", or_dash(&b.phone)),
            row("Tax ID", or_dash(&b.tax_id)),
            row("Tax exempt", yes_no(b.tax_exempt)),
            row("Payment terms", b.terms.label().into()),
            row(
                "Monthly estimate",
                input
                    .estimate
                    .clone()
                    .unwrap_or_else(|| "no recording plan chosen".into()),
            ),
        ],
    }
}

fn cameras_group(input: &PageInput<'_>) -> Group {
    let mut rows: Vec<(String, String)> = vec![row(
        "Cameras",
        count_of(input.cameras.len(), "camera", "cameras"),
    )];
    rows.extend(input.cameras.iter().map(|cam| {
        let new = matches!(cam.key, CameraKey::New(_));
        let mark = if new { "  (new)" } else { "" };
        (String::new(), format!("{}  {}{mark}", cam.name, cam.mac))
    }));
    Group {
        step: Some(Step::Cameras),
        rows,
    }
}

fn people_group(input: &PageInput<'_>) -> Group {
    let rows = if input.people.is_empty() {
        vec![row("", "nobody yet".into())]
    } else {
        input
            .people
            .iter()
            .map(|line| (String::new(), line.clone()))
            .collect()
    };
    Group {
        step: Some(Step::People),
        rows,
    }
}

/// Tab and Shift-Tab move between the problems and the button, the list keys scroll; Enter on a
/// problem (or a step's digit) leaves the step for the wizard to open ([`Review::take_jump`]).
/// Enter on the button and the form's Save key are the wizard's: it creates the customer.
impl Component for Review {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Form, KeyContext::List, KeyContext::Wizard]
    }

    fn handle_key(&mut self, _key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        let items = self.problems.len() + 1;
        match action {
            Some(Action::NextField) => self.focus = (self.focus + 1) % items,
            Some(Action::PrevField) => self.focus = (self.focus + items - 1) % items,
            Some(Action::Submit) => match self.problems.get(self.focus) {
                Some(problem) => self.jump = Some(problem.step),
                None => return Effect::Ignored,
            },
            Some(Action::Save) => return Effect::Ignored,
            _ => return self.scroll_or_jump(action),
        }
        Effect::Done
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (
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
        )
    }
}

impl Review {
    /// A step's number (the key map's `GoToStep`, digits by default) opens it; the list keys
    /// scroll the page.
    fn scroll_or_jump(&mut self, action: Option<Action>) -> Effect {
        if let Some(Action::GoToStep(n)) = action {
            self.jump = Step::from_number(usize::from(n));
            return if self.jump.is_some() {
                Effect::Done
            } else {
                Effect::Ignored
            };
        }
        let page = self.page_height.get().max(1);
        let scroll = self.scroll.get();
        let scroll = match action {
            Some(Action::Up) => scroll.saturating_sub(1),
            Some(Action::Down) => scroll + 1,
            Some(Action::PageUp) => scroll.saturating_sub(page),
            Some(Action::PageDown) => scroll + page,
            Some(Action::Top) => 0,
            Some(Action::Bottom) => usize::MAX / 2,
            _ => return Effect::Ignored,
        };
        self.scroll.set(scroll);
        Effect::Done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::field;

    #[test]
    fn fields_map_to_their_steps() {
        assert_eq!(step_of_field(field::KIND), Step::Type);
        assert_eq!(step_of_field(field::PARENT), Step::Type);
        assert_eq!(step_of_field(field::CONTACT_EMAIL), Step::Contact);
        assert_eq!(step_of_field(field::DEFAULTS_DEFAULT_PLAN), Step::Defaults);
        assert_eq!(step_of_field(field::BILLING_ADDRESS_CITY), Step::Billing);
        assert_eq!(step_of_field(field::CAMERA_MAC), Step::Cameras);
        assert_eq!(step_of_field(field::ROLE_NAME), Step::People);
        assert_eq!(step_of_field(field::USER_EMAIL), Step::People);
    }
}
