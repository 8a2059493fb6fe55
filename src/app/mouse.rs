//! The mouse (configuration `mouse = true`): clicks on the top line's tabs and Add button, and
//! on list rows; the wheel moves in lists. Each takes the path of the key it stands for.

use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use super::App;
use crate::action::{Action, KeyContext};
use crate::ui;
use crate::ui::component::Effect;

impl App {
    /// The top line's tabs and Add button take clicks; the wheel moves in whatever list is
    /// shown, exactly as the arrow keys do.
    pub(super) fn handle_mouse(&mut self, mouse: MouseEvent) {
        if self.help.is_some() || self.prompt.is_some() {
            return;
        }
        match mouse.kind {
            MouseEventKind::ScrollDown => self.press(Action::Down),
            MouseEventKind::ScrollUp => self.press(Action::Up),
            MouseEventKind::Down(MouseButton::Left) if mouse.row > 0 => {
                if self.screen().captures_text() {
                    return;
                }
                // A row of a list: select it with the arrow keys' own path (so the window is
                // read as for a key); a click on the selected row opens it, as Enter does.
                match self.screen().clicked(mouse.column, mouse.row) {
                    Some(0) => self.press(Action::Open),
                    Some(delta) => {
                        let action = if delta > 0 { Action::Down } else { Action::Up };
                        for _ in 0..delta.unsigned_abs() {
                            self.press(action);
                        }
                    }
                    None => {}
                }
            }
            MouseEventKind::Down(MouseButton::Left) if mouse.row == 0 => {
                if self.screen().captures_text() {
                    return;
                }
                match ui::top_hit(self.last_width, mouse.column) {
                    Some(ui::TopHit::Tab(tab)) => self.land_on_tab(tab),
                    Some(ui::TopHit::Add) if self.on_customer_list() => {
                        self.apply(Effect::OpenWizard { resume: false })
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// A list key pressed by the mouse: the first key the key map binds to `action` in lists,
    /// so the click takes exactly the path of that key.
    pub(super) fn press(&mut self, action: Action) {
        if let Some(binding) = self.env.keymap.keys_for(KeyContext::List, action).first() {
            self.handle_key(&KeyEvent::new(binding.code, binding.modifiers));
        }
    }
}
