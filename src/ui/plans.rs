//! The Plans tab: every plan with its retention, recording mode, price per camera per month and
//! how many customers and cameras use it; add and edit in a popup form, delete after a y/N
//! confirmation (a plan in use is refused, naming the counts). A [`Component`]: it reads the
//! actions the app looked up in its contexts; drawing reads only what was read before.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::action::{Action, KeyContext};
use crate::domain::validate::display;
use crate::domain::{Id, Plan, RecordingMode, format_money};
use crate::keymap::Keymap;
use crate::store::inventory::{
    PLAN_NAME_MAX, PlanSpec, PlanUsage, RETENTION_MAX, format_price, parse_price, plan_field,
    plan_in_use, refused_field, validate_plan,
};
use crate::store::{Result, Store};
use crate::theme::Theme;
use crate::ui::cameras::refusal_title;
use crate::ui::component::{Component, Ctx, Effect, Flash};
use crate::ui::form::paged::step;
use crate::ui::form::popup::{FormField, PopupForm};
use crate::ui::form::{TextField, clip, draw_line};
use crate::ui::modal::{Confirm, Dialog, MessageDialog};
use crate::ui::table::{column_widths, fit_cell};

const MODES: &[&str] = &["Continuous", "Event"];

#[derive(Default)]
pub struct PlansScreen {
    rows: Vec<PlanUsage>,
    selected: usize,
    top: usize,
    /// Rows that fit on screen, as of the last [`PlansScreen::before_draw`], for paging.
    page: usize,
    read_only: bool,
    error: Option<String>,
    form: Option<PlanForm>,
    /// The y/N question of a delete, carrying the plan as read (its version), or a message.
    dialog: Option<Dialog<Plan>>,
}

impl PlansScreen {
    pub fn new(store: &Store) -> Result<Self> {
        let mut s = Self {
            page: 20,
            ..Self::default()
        };
        s.reload(store)?;
        Ok(s)
    }

    /// Rereads the plans, keeping the selection on the same plan when it is still there.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        let keep = self.selected_plan().map(|p| p.plan.id);
        self.read_only = store.is_read_only();
        self.rows = store.plans_with_usage()?;
        if let Some(pos) = keep.and_then(|id| self.rows.iter().position(|r| r.plan.id == id)) {
            self.selected = pos;
        }
        self.clamp();
        self.error = None;
        Ok(())
    }

    /// The plan under the cursor, with its usage.
    pub fn selected_plan(&self) -> Option<&PlanUsage> {
        self.rows.get(self.selected)
    }

    fn clamp(&mut self) {
        let page = self.page.max(1);
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + page {
            self.top = self.selected + 1 - page;
        }
        self.top = self.top.min(self.rows.len().saturating_sub(page));
    }

    pub fn captures_text(&self) -> bool {
        self.form.is_some() || self.dialog.is_some()
    }

    pub fn is_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.form.is_dirty())
    }

    pub fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        if let Some(form) = &self.form {
            return form.form.hint();
        }
        if let Some(dialog) = &self.dialog {
            return dialog.hint();
        }
        let mut actions = Vec::new();
        if !self.read_only {
            actions.extend([Action::Add, Action::Edit, Action::Delete]);
        }
        actions.extend([Action::Down, Action::Up, Action::Help, Action::Quit]);
        (vec![KeyContext::List, KeyContext::Global], actions)
    }

    pub fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        match &mut self.form {
            Some(form) => form.form.handle_paste(text, ctx),
            None if self.dialog.is_some() => Effect::Done,
            None => Effect::Ignored,
        }
    }

    /// An open dialog takes every key; Yes to the delete question deletes the plan it carries.
    fn answer_dialog(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        let Some(dialog) = &mut self.dialog else {
            return Effect::Ignored;
        };
        match Component::handle_key(dialog, key, action, ctx) {
            Effect::Answered(yes) => {
                let plan = self.dialog.take().and_then(|d| d.action().cloned());
                match plan.filter(|_| yes) {
                    Some(plan) => self.delete(plan, ctx),
                    None => Effect::Done,
                }
            }
            _ => Effect::Done,
        }
    }

    /// The list's own keys: move, add, edit, delete.
    fn act(&mut self, action: Option<Action>) -> Effect {
        let Some(action) = action else {
            return Effect::Ignored;
        };
        let last = self.rows.len().saturating_sub(1);
        if let Some(next) = step(self.selected, last, self.page.max(1), action) {
            self.selected = next;
            self.clamp();
            return Effect::Done;
        }
        match action {
            Action::Add => {
                self.form = Some(PlanForm::new(None, &PlanSpec::default()));
            }
            Action::Edit | Action::Open => {
                if let Some(row) = self.selected_plan() {
                    let plan = &row.plan;
                    self.form = Some(PlanForm::new(
                        Some((plan.id, plan.version, plan.name.clone())),
                        &PlanSpec::from(plan),
                    ));
                }
            }
            Action::Delete => return self.ask_delete(),
            _ => return Effect::Ignored,
        }
        self.clamp();
        Effect::Done
    }

    fn ask_delete(&mut self) -> Effect {
        let Some(row) = self.selected_plan() else {
            return Effect::Done;
        };
        let plan = &row.plan;
        if row.customers > 0 || row.cameras > 0 {
            let text = plan_in_use(&plan.name, row.customers, row.cameras);
            self.dialog = Some(Dialog::Message(MessageDialog::new("Plan in use", text)));
            return Effect::DialogOpened;
        }
        let text = format!(
            "Delete plan {} ({} days, {}, {} per camera per month)? No customer or camera uses it.",
            plan.name,
            plan.retention_days,
            mode_label(plan.mode).to_lowercase(),
            format_money(plan.price_cents, &plan.currency)
        );
        self.dialog = Some(Dialog::Confirm(Confirm::new(
            "Delete plan",
            text,
            plan.clone(),
        )));
        Effect::DialogOpened
    }

    /// Deletes `plan` if it is still at the version the question was asked at.
    fn delete(&mut self, plan: Plan, ctx: &mut Ctx) -> Effect {
        let result = ctx.store.delete_plan(plan.id, plan.version, ctx.operator);
        self.after_write(result, format!("Plan {} deleted", plan.name), ctx)
    }

    /// Reads the plans again after a write; a refusal opens a message that says why.
    fn after_write(&mut self, result: Result<()>, done: String, ctx: &mut Ctx) -> Effect {
        let reloaded = self.reload(ctx.store);
        if let Err(e) = result {
            let title = refusal_title(&e);
            self.dialog = Some(Dialog::Message(MessageDialog::new(title, e.to_string())));
            return Effect::DialogOpened;
        }
        if let Err(e) = reloaded {
            self.error = Some(e.to_string());
        }
        Effect::Changed(Some(Flash::info(done)))
    }

    /// Parses and validates the form, then writes the plan; problems go under their fields.
    fn save_form(&mut self, ctx: &mut Ctx) -> Effect {
        let Some(form) = &mut self.form else {
            return Effect::Ignored;
        };
        form.form.clear_errors();
        let Some(spec) = form.spec() else {
            return Effect::Done;
        };
        let result = match &form.editing {
            Some((id, version, _)) => ctx.store.update_plan(*id, *version, &spec, ctx.operator),
            None => ctx.store.add_plan(&spec, ctx.operator).map(drop),
        };
        match result {
            Ok(()) => {
                let verb = if form.editing.is_some() {
                    "saved"
                } else {
                    "added"
                };
                self.form = None;
                self.after_write(Ok(()), format!("Plan {} {verb}", spec.name.trim()), ctx)
            }
            Err(e) => {
                match refused_field(&e) {
                    Some(key) => form.form.set_error(key, e.to_string()),
                    None => form.form.notice = Some(e.to_string()),
                }
                Effect::Done
            }
        }
    }

    /// Before drawing in `area`: how many rows fit, for paging, and the window kept on the
    /// selection. The rows themselves were read on the last key or reload.
    pub fn before_draw(&mut self, area: Rect, _store: &Store) {
        if area.height < 3 || area.width < 10 {
            return;
        }
        // The title line and the table's header take a row each.
        self.page = usize::from(area.height - 2).max(1);
        self.clamp();
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        if area.height < 3 || area.width < 10 {
            return;
        }
        let title_area = Rect { height: 1, ..area };
        let table_area = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        draw_line(
            frame.buffer_mut(),
            title_area,
            title_area.y,
            &self.title_line(theme),
        );
        if let Some(err) = &self.error {
            let line = Line::styled(
                clip(&display(err), usize::from(area.width)).into_owned(),
                theme.error,
            );
            frame.render_widget(Paragraph::new(line), table_area);
        } else if self.rows.is_empty() {
            let text = if self.read_only {
                "No plans."
            } else {
                "No plans yet. Press a to add the first one."
            };
            let line = Line::styled(
                clip(text, usize::from(area.width)).into_owned(),
                theme.muted,
            );
            let y = table_area.y + table_area.height / 3;
            frame.render_widget(
                Paragraph::new(line).centered(),
                Rect {
                    y,
                    height: 1,
                    ..table_area
                },
            );
        } else {
            self.render_table(frame, table_area, theme);
        }
        if let Some(form) = &self.form {
            form.form.render(frame, area, theme, keymap);
        }
        if let Some(dialog) = &self.dialog {
            dialog.render(frame, area, theme, keymap);
        }
    }

    fn title_line(&self, theme: &Theme) -> Line<'static> {
        let position = if self.rows.is_empty() {
            0
        } else {
            self.selected + 1
        };
        Line::from(vec![
            Span::styled("Plans ", theme.title),
            Span::styled(format!(" {position} of {}", self.rows.len()), theme.muted),
            Span::styled("   prices per camera per month", theme.muted),
        ])
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        const WIDTHS: [Constraint; 6] = [
            Constraint::Fill(1),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Length(9),
            Constraint::Length(9),
        ];
        let header = Row::new([
            "  Name",
            "Retention",
            "Mode",
            "Price",
            "Customers",
            "Cameras",
        ])
        .style(theme.table.header);
        let visible = usize::from(area.height.saturating_sub(1));
        let fitted = column_widths(&WIDTHS, area.width, 2);
        let rows = self
            .rows
            .iter()
            .enumerate()
            .skip(self.top)
            .take(visible)
            .map(|(i, row)| {
                let selected = i == self.selected;
                let style = if selected {
                    theme.table.selected
                } else {
                    theme.table.row
                };
                let mark = theme.mark(theme.selection_symbol, selected);
                let plan = &row.plan;
                Row::new([
                    Cell::from(fit_cell(
                        &format!("{mark}{}", display(&plan.name)),
                        &fitted,
                        0,
                    )),
                    Cell::from(format!("{} days", plan.retention_days)),
                    Cell::from(mode_label(plan.mode)),
                    Cell::from(
                        Line::from(
                            display(&format_money(plan.price_cents, &plan.currency)).into_owned(),
                        )
                        .right_aligned(),
                    ),
                    Cell::from(Line::from(row.customers.to_string()).right_aligned()),
                    Cell::from(Line::from(row.cameras.to_string()).right_aligned()),
                ])
                .style(style)
            });
        let table = Table::new(rows, WIDTHS)
            .header(header)
            .column_spacing(2)
            .style(Style::new());
        frame.render_widget(table, area);
    }
}

fn mode_label(mode: RecordingMode) -> &'static str {
    match mode {
        RecordingMode::Continuous => MODES[0],
        RecordingMode::Event => MODES[1],
    }
}

// ---------------------------------------------------------------------------------------------
// The plan form

struct PlanForm {
    /// The plan being edited: id, version read, name as stored; `None` for a new one.
    editing: Option<(Id, i64, String)>,
    form: PopupForm,
}

impl PlanForm {
    fn new(editing: Option<(Id, i64, String)>, spec: &PlanSpec) -> Self {
        let title = match &editing {
            Some((_, _, name)) => format!("Edit plan {name}"),
            None => "Add a plan".into(),
        };
        let (retention, price) = if editing.is_some() {
            (
                spec.retention_days.to_string(),
                format_price(spec.price_cents),
            )
        } else {
            (String::new(), String::new())
        };
        let fields = vec![
            FormField::Text(
                TextField::new(plan_field::NAME, "Name")
                    .required()
                    .max_chars(PLAN_NAME_MAX)
                    .with_value(&spec.name),
            ),
            FormField::Text(
                TextField::new(plan_field::RETENTION, "Retention days")
                    .required()
                    .max_chars(6)
                    .with_value(retention),
            ),
            FormField::Radio {
                key: plan_field::MODE,
                label: "Mode",
                options: MODES,
                selected: usize::from(spec.mode == RecordingMode::Event),
            },
            FormField::Text(
                TextField::new(plan_field::PRICE, "Price per camera/month")
                    .required()
                    .max_chars(14)
                    .with_value(price),
            ),
            FormField::Text(
                TextField::new(plan_field::CURRENCY, "Currency")
                    .max_chars(3)
                    .with_value(&spec.currency),
            ),
        ];
        Self {
            editing,
            form: PopupForm::new(title, fields),
        }
    }

    /// The plan typed, or `None` after putting each problem under its field.
    fn spec(&mut self) -> Option<PlanSpec> {
        let f = &mut self.form;
        let mut ok = true;
        let retention = f.text(plan_field::RETENTION).trim().to_string();
        let retention_days = match retention.parse::<i64>() {
            Ok(n) if retention.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => {
                let message = if retention.is_empty() {
                    "required".to_string()
                } else {
                    format!("a whole number of days, 1 to {RETENTION_MAX}")
                };
                f.set_error(plan_field::RETENTION, format!("Retention days: {message}"));
                ok = false;
                0
            }
        };
        let price_cents = match parse_price(f.text(plan_field::PRICE)) {
            Ok(cents) => cents,
            Err(message) => {
                f.set_error(plan_field::PRICE, format!("Price: {message}"));
                ok = false;
                0
            }
        };
        let currency = f.text(plan_field::CURRENCY).trim();
        let spec = PlanSpec {
            name: f.text(plan_field::NAME).trim().to_string(),
            retention_days,
            mode: if f.radio(plan_field::MODE) == 1 {
                RecordingMode::Event
            } else {
                RecordingMode::Continuous
            },
            price_cents,
            currency: if currency.is_empty() {
                "USD".into()
            } else {
                currency.to_ascii_uppercase()
            },
        };
        for e in validate_plan(&spec) {
            // A field that did not parse already has its message.
            let parsed = match e.field {
                plan_field::RETENTION => !retention.is_empty() && ok_number(&retention),
                plan_field::PRICE => parse_price(f.text(plan_field::PRICE)).is_ok(),
                _ => true,
            };
            if parsed {
                f.set_error(e.field, e.to_string());
                ok = false;
            }
        }
        ok.then_some(spec)
    }
}

fn ok_number(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit()) && text.parse::<i64>().is_ok()
}

impl Component for PlansScreen {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        match &self.form {
            Some(form) => form.form.contexts(),
            None => PlansScreen::hint(self).0,
        }
    }

    /// Enter on a plan opens its form, as `e` does.
    fn is_write(&self, action: Action) -> bool {
        let list = self.form.is_none() && self.dialog.is_none();
        action.is_write() || (list && action == Action::Open)
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        if self.dialog.is_some() {
            return self.answer_dialog(key, action, ctx);
        }
        if let Some(form) = &mut self.form {
            return match form.form.handle_key(key, action, ctx) {
                Effect::Answered(true) => self.save_form(ctx),
                Effect::Answered(false) => {
                    self.form = None;
                    Effect::Done
                }
                other => other,
            };
        }
        self.act(action)
    }

    fn handle_paste(&mut self, text: &str, ctx: &mut Ctx) -> Effect {
        PlansScreen::handle_paste(self, text, ctx)
    }

    fn captures_text(&self) -> bool {
        PlansScreen::captures_text(self)
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        PlansScreen::hint(self)
    }

    fn is_dirty(&self) -> bool {
        PlansScreen::is_dirty(self)
    }

    fn reload(&mut self, store: &Store) -> crate::store::Result<()> {
        PlansScreen::reload(self, store)
    }
}
