//! The typed confirmation of a destructive action (type `Delete` to confirm).

use super::*;

/// A destructive action the operator confirms by typing a word exactly (`Delete`).
#[derive(Debug, Clone)]
pub struct TypedConfirm<A> {
    pub title: String,
    /// Paragraphs of the explanation; wrapped to the dialog's width when drawn.
    pub paragraphs: Vec<String>,
    /// The word to type, case-sensitive and exact.
    pub word: &'static str,
    /// Label of the confirm button.
    pub button: &'static str,
    pub input: TextField,
    /// What Enter says while the word is not typed yet.
    pub reminder_text: &'static str,
    /// Shown after Enter while the word is not typed yet.
    pub reminder: Option<String>,
    pub action: A,
}

/// Reminder shown when Enter is pressed before `Delete` is typed.
pub const DELETE_REMINDER: &str = "Type Delete exactly (capital D) to confirm";

impl TypedConfirm<ConfirmAction> {
    /// The Delete dialog of PRODUCT.md §2: names the customer and what will happen.
    pub fn delete_customer(customer: &Customer, impact: &DeleteImpact) -> Self {
        let name = customer.name().to_string();
        Self {
            title: "Delete customer".into(),
            paragraphs: vec![
                format!("Delete {name}?"),
                format!(
                    "{} will be returned to the inventory, {} and {} removed. The customer is \
                     archived and can be restored from the Audit Log.",
                    count_of(impact.cameras, "camera", "cameras"),
                    count_of(impact.users, "user", "users"),
                    count_of(impact.roles, "role", "roles"),
                ),
            ],
            word: "Delete",
            button: "Delete",
            input: TextField::new("confirm", "Type Delete to confirm:").max_chars(40),
            reminder_text: DELETE_REMINDER,
            reminder: None,
            action: ConfirmAction::DeleteCustomer {
                id: customer.id,
                version: customer.version,
                name,
            },
        }
    }
}

impl<A> TypedConfirm<A> {
    /// True once the word is typed exactly; only then does Enter confirm.
    pub fn is_armed(&self) -> bool {
        self.input.value() == self.word
    }

    pub fn handle_paste(&mut self, text: &str) {
        self.input.insert_str(text);
        self.reminder = None;
    }
}

impl<A> TypedConfirm<A> {
    const CONTEXTS: [KeyContext; 1] = [KeyContext::Modal];

    /// Cancel closes; Confirm runs the action once the word is typed, else reminds; any other
    /// key edits the word.
    pub(super) fn answer(&mut self, key: &KeyEvent, action: Option<Action>) -> Effect {
        if key.kind == KeyEventKind::Release {
            return Effect::Ignored;
        }
        match action {
            Some(Action::Cancel) => return Effect::Answered(false),
            Some(Action::Confirm) if self.input.value() == self.word => {
                return Effect::Answered(true);
            }
            Some(Action::Confirm) => {
                self.reminder = Some(self.reminder_text.to_owned());
                return Effect::Done;
            }
            _ => {}
        }
        if self.input.handle_key(key) {
            self.reminder = None;
            Effect::Done
        } else {
            Effect::Ignored
        }
    }
}

impl<A> TypedConfirm<A> {
    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        let width = dialog_width(area);
        let inner_width = usize::from(width.saturating_sub(4));
        let body = wrap_paragraphs(&self.paragraphs, inner_width);
        // Body, blank, field label and value, reminder, buttons.
        let wanted = body.len() as u16 + 5;
        let Some(inner) = popup_frame(frame, area, width, wanted, &self.title, theme.error) else {
            return;
        };
        let buf_rows = inner.height;
        // The input, reminder and buttons matter most: the body gives way first.
        let fixed = 4.min(buf_rows);
        let body_rows = (buf_rows - fixed).min(body.len() as u16 + 1);
        let buf = frame.buffer_mut();
        for (i, text) in body.iter().take(usize::from(body_rows)).enumerate() {
            let style = if i == 0 { theme.title } else { Style::new() };
            draw_line(
                buf,
                inner,
                inner.y + i as u16,
                &Line::styled(text.clone(), style),
            );
        }
        let mut y = inner.y + body_rows;
        let field_rows = 2.min(inner.bottom().saturating_sub(y));
        let field = Rect::new(inner.x, y, inner.width, field_rows);
        y += field_rows;
        if let Some(reminder) = &self.reminder {
            let line = Line::from(vec![
                Span::styled(theme.danger_symbol, theme.error),
                Span::styled(
                    clip(&display(reminder), inner_width).into_owned(),
                    theme.error,
                ),
            ]);
            draw_line(buf, inner, y, &line);
        }
        y += 1;
        let (style, mark) = if self.is_armed() {
            (theme.button_danger, theme.danger_symbol)
        } else {
            (theme.muted, "")
        };
        let line = Line::from(vec![
            Span::styled(format!("{mark}[ {} ]", self.button), style),
            Span::raw("  "),
            Span::styled(key_hint(keymap, Action::Cancel), theme.muted),
        ]);
        draw_line(buf, inner, y, &line);
        let cursor = self.input.draw(buf, field, true, theme);
        if let Some(position) = cursor.filter(|p| inside(inner, *p)) {
            frame.set_cursor_position(position);
        }
    }
}

impl<A> Component for TypedConfirm<A> {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        Self::CONTEXTS.to_vec()
    }
    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        self.answer(key, action)
    }
    fn handle_paste(&mut self, text: &str, _ctx: &mut Ctx) -> Effect {
        self.input.insert_str(text);
        self.reminder = None;
        Effect::Done
    }
    fn captures_text(&self) -> bool {
        true
    }
    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (self.contexts(), vec![Action::Cancel])
    }
}
