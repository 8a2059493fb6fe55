//! The filter popup of the audit log: a text field (substring over summary, customer, action and
//! operator) and choice lists with type-to-filter for operator, action and, in the Audit Log tab,
//! customer. Every change applies at once; Esc puts back the filters it was opened with.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear};

use crate::action::{Action, KeyContext};
use crate::domain::Id;
use crate::keymap::Keymap;
use crate::store::views::AuditQuery;
use crate::store::{Result, Store};
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::{Choice, FocusRing, TextField, clip, draw_line};

/// Most customers offered in the customer choice (those most recently in the log).
const CUSTOMER_CHOICES: i64 = 2_000;

#[derive(Debug, Clone)]
pub struct FilterPopup {
    text: TextField,
    operator: Choice<Option<String>>,
    action: Choice<Option<String>>,
    /// `None` in a customer's Logs pane, where the customer is fixed.
    customer: Option<Choice<Option<Id>>>,
    focus: FocusRing,
    opened_with: AuditQuery,
    /// Esc put back the filters it was opened with.
    reverted: bool,
}

fn any_first<T>(values: impl IntoIterator<Item = (T, String)>) -> Vec<(Option<T>, String)> {
    std::iter::once((None, "any".to_string()))
        .chain(values.into_iter().map(|(v, l)| (Some(v), l)))
        .collect()
}

impl FilterPopup {
    /// Reads the choices from the store and shows `query`'s filters.
    pub fn open(store: &Store, query: &AuditQuery, with_customer: bool) -> Result<Self> {
        let ops = store.audit_operators()?.into_iter().map(|o| (o.clone(), o));
        let mut operator = Choice::new("operator", "Operator", any_first(ops));
        operator.select_where(|v| *v == query.operator);
        let acts = store.audit_actions()?.into_iter().map(|a| (a.clone(), a));
        let mut action = Choice::new("action", "Action", any_first(acts));
        action.select_where(|v| *v == query.action);
        let customer = if with_customer {
            let mut list = store.audit_customers(CUSTOMER_CHOICES)?;
            if let Some(id) = query.customer_id
                && !list.iter().any(|(i, _)| *i == id)
            {
                list.push((id, format!("#{id}")));
            }
            let labelled = list
                .into_iter()
                .map(|(id, name)| (id, format!("{name} (#{id})")));
            let mut choice = Choice::new("customer", "Customer", any_first(labelled));
            choice.select_where(|v| *v == query.customer_id);
            Some(choice)
        } else {
            None
        };
        let fields = 3 + usize::from(customer.is_some());
        Ok(Self {
            text: TextField::new("text", "Text (summary, customer, action, operator)")
                .max_chars(100)
                .with_value(query.text.clone()),
            operator,
            action,
            customer,
            focus: FocusRing::new(fields),
            opened_with: query.clone(),
            reverted: false,
        })
    }

    /// The filters shown, over `base` (whose customer stays when there is no customer choice).
    pub fn query(&self, base: &AuditQuery) -> AuditQuery {
        let text: String = self
            .text
            .value()
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        AuditQuery {
            text,
            operator: self.operator.selected_value().cloned().flatten(),
            action: self.action.selected_value().cloned().flatten(),
            customer_id: match &self.customer {
                Some(c) => c.selected_value().copied().flatten(),
                None => base.customer_id,
            },
        }
    }

    fn dropdown_open(&self) -> bool {
        self.operator.open || self.action.open || self.customer.as_ref().is_some_and(|c| c.open)
    }

    /// The filters to apply now: those shown, or those it was opened with after Esc.
    pub fn result(&self, base: &AuditQuery) -> AuditQuery {
        if self.reverted {
            self.opened_with.clone()
        } else {
            self.query(base)
        }
    }

    /// A key: every change applies at once (the caller compares [`Self::result`] with the
    /// filters in force); Ctrl-S or Enter in the text field keeps them and Esc puts back those
    /// it was opened with, both answering [`Effect::Back`] (close).
    pub fn key(&mut self, key: &KeyEvent, action: Option<Action>) -> Effect {
        if self.dropdown_open() {
            self.focused_choice_key(key);
            return Effect::Done;
        }
        match action {
            Some(Action::Save) => return Effect::Back(None),
            Some(Action::Cancel) => {
                self.reverted = true;
                return Effect::Back(None);
            }
            Some(Action::NextField) => {
                self.focus.next(|_| false);
                return Effect::Done;
            }
            Some(Action::PrevField) => {
                self.focus.prev(|_| false);
                return Effect::Done;
            }
            Some(Action::Submit) if self.focus.current() == 0 => return Effect::Back(None),
            _ => {}
        }
        if self.focus.current() == 0 {
            self.text.handle_key(key);
        } else {
            self.focused_choice_key(key);
        }
        Effect::Done
    }

    fn focused_choice_key(&mut self, key: &KeyEvent) {
        match self.focus.current() {
            1 => self.operator.handle_key(key),
            2 => self.action.handle_key(key),
            3 => self.customer.as_mut().is_some_and(|c| c.handle_key(key)),
            _ => false,
        };
    }

    /// Pasted text goes into the text field when it has focus.
    pub fn paste(&mut self, text: &str) {
        if self.focus.current() == 0 && !self.dropdown_open() {
            self.text.insert_str(text);
        }
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let area = area.intersection(frame.area());
        let fields = self.focus.len() as u16;
        let width = area.width.saturating_sub(4).clamp(area.width.min(20), 64);
        let height = (fields * 2 + 3).min(area.height);
        if width < 10 || height < 4 {
            return;
        }
        let popup = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + (area.height - height) / 2,
            width,
            height,
        );
        let block = Block::bordered()
            .border_style(theme.modal_border)
            .title(Line::styled(" Filter the audit log ", theme.title));
        let inner = block.inner(popup);
        frame.render_widget(Clear, popup);
        frame.render_widget(block, popup);
        let inner = Rect::new(
            inner.x.saturating_add(1),
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        let slot = |i: u16| {
            Rect::new(inner.x, inner.y + i * 2, inner.width, 2).intersection(Rect::new(
                inner.x,
                inner.y,
                inner.width,
                inner.height - 1,
            ))
        };
        let f = |i: usize| self.focus.is_focused(i);
        self.text.render(frame, slot(0), f(0), theme);
        self.operator.render(frame, slot(1), f(1), theme);
        self.action.render(frame, slot(2), f(2), theme);
        if let Some(customer) = &self.customer {
            customer.render(frame, slot(3), f(3), theme);
        }
        let footer = footer(keymap);
        let line = Line::styled(
            clip(&footer, usize::from(inner.width)).into_owned(),
            theme.muted,
        );
        draw_line(frame.buffer_mut(), inner, inner.bottom() - 1, &line);
        self.operator.render_popup(frame, slot(1), theme);
        self.action.render_popup(frame, slot(2), theme);
        if let Some(customer) = &self.customer {
            customer.render_popup(frame, slot(3), theme);
        }
    }
}

/// "Tab next field · Ctrl-S keep · Esc put back", from the key map.
fn footer(keymap: &Keymap) -> String {
    let key = |a| {
        keymap
            .keys_for(KeyContext::Form, a)
            .first()
            .map(ToString::to_string)
    };
    [
        (Action::NextField, "next field"),
        (Action::Save, "keep"),
        (Action::Cancel, "put back"),
    ]
    .into_iter()
    .filter_map(|(a, label)| key(a).map(|k| format!("{k} {label}")))
    .collect::<Vec<_>>()
    .join(" · ")
}

impl Component for FilterPopup {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Form]
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        self.key(key, action)
    }

    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        self.paste(text);
        Effect::Done
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (
            vec![KeyContext::Form],
            vec![
                Action::NextField,
                Action::PrevField,
                Action::Save,
                Action::Cancel,
            ],
        )
    }
}
