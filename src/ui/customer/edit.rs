//! The Account Profile editor (`e` in the customer view): the profile form with one tab per
//! section, `Ctrl-S` to save against the version it was read at, and a refusal that keeps the
//! operator's input when another operator changed the customer meanwhile.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::action::{Action, KeyContext};
use crate::domain::validate::field;
use crate::domain::{Customer, CustomerProfile, Id, format_money};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::{clip, display, draw_line};
use crate::ui::profile_form::{Lookups, ProfileForm, Section};

/// Most lines of "X is now Y" shown under a refusal.
const MAX_CHANGE_LINES: usize = 6;
/// Longest value quoted in such a line.
const MAX_VALUE_CHARS: usize = 40;

pub struct ProfileEdit {
    /// The customer as last read: its version is the one a save expects.
    customer: Customer,
    form: ProfileForm,
    section: Section,
    lookups: Lookups,
    /// Why the last save was refused, and what the other operator changed.
    notice: Vec<(String, Style)>,
    /// "Discard changes? y/N" is showing.
    confirm_discard: bool,
    /// (keys, label) shown beside the tabs, from the key map.
    hints: Vec<(String, String)>,
    /// The customer as saved, until the view takes it ([`ProfileEdit::take_saved`]).
    saved: Option<Customer>,
}

impl ProfileEdit {
    pub fn new(customer: &Customer, ctx: &mut Ctx) -> Result<ProfileEdit, StoreError> {
        let mut lookups = Lookups::load(ctx.store)?;
        // A customer cannot sit under itself.
        lookups.integrators.retain(|(id, _)| *id != customer.id);
        let plans: Vec<_> = ctx
            .store
            .cameras_of(customer.id)?
            .iter()
            .map(|c| c.plan_id)
            .collect();
        let mut form = ProfileForm::new(&customer.profile, &lookups);
        form.set_linked_cameras(&plans);
        Ok(ProfileEdit {
            customer: customer.clone(),
            form,
            section: Section::Type,
            lookups,
            notice: Vec::new(),
            confirm_discard: false,
            hints: hints(ctx.keymap),
            saved: None,
        })
    }

    /// The customer being edited, as last read from the store.
    pub fn customer(&self) -> &Customer {
        &self.customer
    }

    pub fn form(&self) -> &ProfileForm {
        &self.form
    }

    pub fn form_mut(&mut self) -> &mut ProfileForm {
        &mut self.form
    }

    pub fn section(&self) -> Section {
        self.section
    }

    /// The customer as saved, once the editor answered [`Effect::Answered`]`(true)`.
    pub fn take_saved(&mut self) -> Option<Customer> {
        self.saved.take()
    }

    /// `action` is the key in the Form context (the Question context while "Discard
    /// changes?" waits). Saved: [`Effect::Answered`]`(true)` ([`ProfileEdit::take_saved`]);
    /// cancelled: `Answered(false)`.
    fn key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        if self.confirm_discard {
            self.confirm_discard = false;
            return match action {
                Some(Action::Yes) => Effect::Answered(false),
                _ => Effect::Done,
            };
        }
        if action == Some(Action::Save) {
            return self.save(ctx);
        }
        let focused = self.form.focused_key(self.section).is_some();
        match self.form.handle_action(self.section, key, action) {
            // Enter on the section's last field: the next section, or save after the last.
            Effect::Ignored if focused && action == Some(Action::Submit) => {
                return match self.section.next() {
                    Some(next) => {
                        self.show(next);
                        Effect::Done
                    }
                    None => self.save(ctx),
                };
            }
            Effect::Ignored => {}
            _ => return Effect::Done,
        }
        match action {
            Some(Action::NextStep) => {
                let next = self.section.next().unwrap_or(Section::Type);
                self.show(next);
                Effect::Done
            }
            Some(Action::PrevStep) => {
                let prev = self.section.prev().unwrap_or(Section::Billing);
                self.show(prev);
                Effect::Done
            }
            Some(Action::Cancel) => self.cancel(),
            _ => Effect::Ignored,
        }
    }

    fn paste(&mut self, text: &str) -> Effect {
        if !self.confirm_discard {
            self.form.handle_paste(self.section, text);
        }
        Effect::Done
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let row = |y: u16| Rect::new(area.x, y, area.width, 1);
        let mut y = area.y;
        let tabs_width = self.render_tabs(frame, row(y), theme);
        let hints = self.hint_line(theme);
        let hints_width = hints.width();
        let roomy = area.height > 12;
        if tabs_width + hints_width < usize::from(area.width) {
            let x = area.right() - hints_width as u16;
            let beside = Rect::new(x, y, hints_width as u16, 1);
            draw_line(frame.buffer_mut(), beside, y, &hints);
            y += 1;
        } else if roomy {
            draw_line(frame.buffer_mut(), row(y + 1), y + 1, &hints);
            y += 2;
        } else {
            y += 1;
        }
        // The notice may take up to half of what is left; the form keeps the rest.
        let room = area.bottom().saturating_sub(y);
        let mut notice_rows = room / 2;
        'notice: for (text, style) in &self.notice {
            for part in wrap(&display(text), usize::from(area.width)) {
                if notice_rows == 0 {
                    break 'notice;
                }
                let line = Line::from(Span::styled(part, *style));
                draw_line(frame.buffer_mut(), row(y), y, &line);
                y += 1;
                notice_rows -= 1;
            }
        }
        if self.confirm_discard && y < area.bottom() {
            let line = Line::from(vec![
                Span::styled(theme.danger_symbol, theme.warning),
                Span::styled("Discard changes? ", theme.warning),
                Span::styled("y/N", theme.hint_key),
            ]);
            draw_line(frame.buffer_mut(), row(y), y, &line);
            y += 1;
        }
        if y < area.bottom() {
            // A blank row above the fields when there is room for it.
            if roomy && area.bottom() - y > 12 {
                y += 1;
            }
            let form_area = Rect::new(area.x, y, area.width, area.bottom() - y);
            self.form.render(self.section, frame, form_area, theme);
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    fn show(&mut self, section: Section) {
        self.section = section;
    }

    fn cancel(&mut self) -> Effect {
        if self.is_dirty() {
            self.confirm_discard = true;
            // Keys typed before the prompt must not answer it.
            Effect::DialogOpened
        } else {
            Effect::Answered(false)
        }
    }

    /// Validates every section (showing the first bad field), then saves against the version
    /// the form was read at.
    fn save(&mut self, ctx: &mut Ctx) -> Effect {
        let id = self.customer.id;
        let mut problems = 0;
        let mut first_bad = None;
        for section in Section::ALL {
            let n = self.form.validate(section, ctx.store, Some(id));
            if n > 0 && first_bad.is_none() {
                first_bad = Some(section);
            }
            problems += n;
        }
        if let Some(section) = first_bad {
            self.show(section);
            let noun = if problems == 1 {
                "field needs"
            } else {
                "fields need"
            };
            return Effect::Flash(Flash::error(format!(
                "Not saved: {problems} {noun} attention"
            )));
        }
        let profile = self.form.profile();
        let version = self.customer.version;
        match ctx
            .store
            .update_profile(id, version, &profile, ctx.operator)
        {
            Ok(customer) => {
                self.saved = Some(customer);
                Effect::Answered(true)
            }
            Err(StoreError::Conflict(message)) => self.refused(message, true, ctx),
            Err(StoreError::Refused(message)) => self.refused(message, false, ctx),
            Err(other) => {
                let message = format!("Not saved: {other}");
                self.notice = vec![(message.clone(), ctx.theme.error)];
                Effect::Flash(Flash::error(message))
            }
        }
    }

    /// Shows why the store refused the save. When another operator changed the customer, the
    /// fresh version is read so that the next save is a conscious overwrite, and their changes
    /// are listed; the operator's input stays as typed.
    fn refused(&mut self, message: String, conflict: bool, ctx: &mut Ctx) -> Effect {
        let theme = ctx.theme;
        self.notice = vec![(message.clone(), theme.error)];
        let fresh = if conflict {
            ctx.store.customer(self.customer.id)
        } else {
            Ok(None)
        };
        match fresh {
            Ok(Some(fresh)) if fresh.version != self.customer.version => {
                let changes = self.changes(&self.customer.profile, &fresh.profile);
                let shown = changes.len().min(MAX_CHANGE_LINES);
                for change in &changes[..shown] {
                    self.notice.push((change.clone(), theme.warning));
                }
                if changes.len() > shown {
                    let more = format!(
                        "and {}",
                        crate::domain::count::count(changes.len() - shown, "more change")
                    );
                    self.notice.push((more, theme.warning));
                }
                let key = |action, default: &str| {
                    ctx.keymap
                        .keys_for(KeyContext::Form, action)
                        .first()
                        .map_or_else(|| default.to_owned(), ToString::to_string)
                };
                let (save, cancel) = (key(Action::Save, "Ctrl-S"), key(Action::Cancel, "Esc"));
                self.notice.push((
                    format!(
                        "Their changes are in the form now, yours kept: {save} saves yours over theirs; {cancel} discards yours"
                    ),
                    theme.muted,
                ));
                self.form
                    .rebase(&self.customer.profile, &fresh.profile, &self.lookups);
                self.customer = fresh;
            }
            Ok(_) => {
                // A rule refused one field (a name taken meanwhile, a parent gone): put the
                // message under it.
                if let Some(field_key) = field_of_message(&message)
                    && let Some(section) = self.form.set_error(field_key, message.clone())
                {
                    self.show(section);
                }
            }
            Err(e) => self
                .notice
                .push((format!("Could not read it again: {e}"), theme.error)),
        }
        Effect::Flash(Flash::error(message))
    }

    /// "Phone is now +1 555 0100" for each field the other operator changed.
    fn changes(&self, before: &CustomerProfile, after: &CustomerProfile) -> Vec<String> {
        let mut lines = Vec::new();
        for (label, value) in WATCHED {
            let (old, new) = (value(before), value(after));
            if old != new {
                lines.push(now_line(label, &new));
            }
        }
        let ids: [(&str, IdGetter, bool); 2] = [
            ("Parent", |p| p.parent_id, true),
            ("Recording plan", |p| p.defaults.default_plan_id, false),
        ];
        for (label, id_of, is_parent) in ids {
            let (old, new) = (id_of(before), id_of(after));
            if old != new {
                let name = if is_parent {
                    self.parent_name(new)
                } else {
                    self.plan_name(new)
                };
                lines.push(now_line(label, &name));
            }
        }
        lines
    }

    fn parent_name(&self, id: Option<Id>) -> String {
        match id {
            None => "the integrator itself".to_owned(),
            Some(id) => self
                .lookups
                .integrators
                .iter()
                .find(|(i, _)| *i == id)
                .map_or_else(|| format!("#{id}"), |(_, name)| name.clone()),
        }
    }

    fn plan_name(&self, id: Option<Id>) -> String {
        match id {
            None => "None".to_owned(),
            Some(id) => self.lookups.plans.iter().find(|p| p.id == id).map_or_else(
                || format!("#{id}"),
                |p| format!("{} ({})", p.name, format_money(p.price_cents, &p.currency)),
            ),
        }
    }

    /// Draws the section tabs (those with errors marked); returns the columns they take.
    fn render_tabs(&self, frame: &mut Frame, row: Rect, theme: &Theme) -> usize {
        let mut spans = Vec::new();
        for section in Section::ALL {
            let active = section == self.section;
            let errors = self.form.error_count(section);
            let style = match (active, errors > 0) {
                (true, _) => theme.tabs.active,
                (false, true) => theme.error,
                (false, false) => theme.tabs.inactive,
            };
            let mark = if errors > 0 { " !" } else { "" };
            spans.push(Span::styled(format!(" {}{mark} ", section.label()), style));
            spans.push(Span::styled("│", theme.muted));
        }
        spans.pop();
        if self.is_dirty() {
            spans.push(Span::styled("  modified", theme.warning));
        }
        let tabs = Line::from(spans);
        draw_line(frame.buffer_mut(), row, row.y, &tabs);
        tabs.width()
    }

    fn hint_line(&self, theme: &Theme) -> Line<'static> {
        let spans: Vec<Span<'static>> = self
            .hints
            .iter()
            .flat_map(|(keys, label)| {
                [
                    Span::styled(format!("  {keys}"), theme.hint_key),
                    Span::styled(format!(" {label}"), theme.hint_label),
                ]
            })
            .collect();
        Line::from(spans)
    }
}

/// The editor as the view's focused part: its keys are the Form context's, and the Question
/// context's while "Discard changes?" waits for y/N.
impl Component for ProfileEdit {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, _keymap: &Keymap) {
        self.draw(frame, area, theme);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        if self.confirm_discard {
            vec![KeyContext::Question]
        } else {
            vec![KeyContext::Form]
        }
    }
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        self.key(key, action, ctx)
    }
    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        self.paste(text)
    }
    /// Typed letters are text here (a text field or an open list has focus, or the discard
    /// prompt waits for y/N): single-letter shortcuts must not fire.
    fn captures_text(&self) -> bool {
        self.confirm_discard || self.form.text_focused(self.section)
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        let contexts = vec![KeyContext::Form, KeyContext::Global];
        let actions = vec![
            Action::NextField,
            Action::PrevField,
            Action::NextStep,
            Action::PrevStep,
            Action::Cancel,
        ];
        (contexts, actions)
    }
    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
    }
}

/// Cuts `text` into lines of at most `width` columns, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    if width == 0 {
        return Vec::new();
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = if line.is_empty() {
            word.width()
        } else {
            line.width() + 1 + word.width()
        };
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        // A word longer than the line is cut.
        if line.width() > width {
            lines.push(clip(&line, width).into_owned());
            line.clear();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn hints(keymap: &Keymap) -> Vec<(String, String)> {
    let keys = |action| {
        keymap
            .keys_for(KeyContext::Form, action)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    };
    let mut hints = Vec::new();
    let save = keys(Action::Save);
    if !save.is_empty() {
        hints.push((save, "save".to_owned()));
    }
    let (next, prev) = (keys(Action::NextStep), keys(Action::PrevStep));
    if !next.is_empty() || !prev.is_empty() {
        let both = [next, prev]
            .into_iter()
            .filter(|k| !k.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        hints.push((both, "section".to_owned()));
    }
    let cancel = keys(Action::Cancel);
    if !cancel.is_empty() {
        hints.push((cancel, "cancel".to_owned()));
    }
    hints
}

/// The field a store refusal is about, from the label it starts with.
fn field_of_message(message: &str) -> Option<&'static str> {
    let (label, _) = message.split_once(':')?;
    match label.trim() {
        "Company name" => Some(field::CONTACT_COMPANY),
        "Parent" | "Under" => Some(field::PARENT),
        _ => None,
    }
}

fn now_line(label: &str, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        format!("{label} is now empty")
    } else {
        format!("{label} is now {}", clip(&display(value), MAX_VALUE_CHARS))
    }
}

fn on_off(on: bool) -> String {
    if on { "on" } else { "off" }.to_owned()
}

type Getter = fn(&CustomerProfile) -> String;
type IdGetter = fn(&CustomerProfile) -> Option<Id>;

/// The fields whose change by another operator is worth naming, with their shown value.
const WATCHED: &[(&str, Getter)] = &[
    ("Customer Type", |p| p.kind.label().to_owned()),
    ("Company name", |p| p.contact.company.clone()),
    ("First name", |p| p.contact.first_name.clone()),
    ("Last name", |p| p.contact.last_name.clone()),
    ("Email", |p| p.contact.email.clone()),
    ("Phone", |p| p.contact.phone.clone()),
    ("Street address", |p| p.contact.address.line1.clone()),
    ("Address line 2", |p| p.contact.address.line2.clone()),
    ("City", |p| p.contact.address.city.clone()),
    ("State/Province", |p| p.contact.address.state.clone()),
    ("Postal code", |p| p.contact.address.postal_code.clone()),
    ("Country", |p| p.contact.address.country.clone()),
    ("Time zone", |p| p.contact.time_zone.clone()),
    ("Own reference number", |p| p.contact.reference.clone()),
    ("Notes", |p| p.contact.notes.clone()),
    ("Disable admin portal", |p| {
        on_off(p.defaults.disable_admin_portal)
    }),
    ("Disable camera share", |p| {
        on_off(p.defaults.disable_camera_share)
    }),
    ("Confirm email", |p| on_off(p.user_creation.confirm_email)),
    ("Change password", |p| {
        on_off(p.user_creation.change_password)
    }),
    ("Billing address same as company", |p| {
        on_off(p.billing.same_as_company)
    }),
    ("Billing address", |p| p.billing_address().one_line()),
    ("Billing contact", |p| p.billing.contact.clone()),
    ("Billing email", |p| p.billing.email.clone()),
    ("Billing phone", |p| p.billing.phone.clone()),
    ("Tax ID", |p| p.billing.tax_id.clone()),
    ("Tax exempt", |p| on_off(p.billing.tax_exempt)),
    ("Payment terms", |p| p.billing.terms.label().to_owned()),
];
