//! A key press becomes actions here, and only here: the one place that reads the key map for a
//! key (the app's own keys, the screens, the help overlay, the app's questions).
//!
//! A key can mean something in several of the focused component's contexts: on a customer's
//! Roles pane `S` is List's SortReverse and Customer's ToggleStatus, Enter is List's Open and
//! Customer's Confirm. The key is looked up once into all its meanings, innermost context
//! first, and the component is offered them in that order until it uses one
//! ([`Effect::Ignored`] means "not mine, try the next"). So a pane that sorts sorts, a pane
//! that does not leaves `S` to the view, and Enter still opens the pane's row.
//!
//! Why this rather than contexts that shadow each other less: the contexts are the key map's
//! tables (and the sections of the operator's configuration file), and no order of them gives
//! both answers above, while a pane that declines an action is something only the pane knows.
//! A component that captures text (a field, a dialog) is offered the first meaning only: it
//! reads the key itself, and must not see it twice.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::READ_ONLY;
use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::ui::component::{Component, Ctx, Effect, Flash};

/// The actions `key` has in `contexts`, in their order, each once.
pub fn resolve(keymap: &Keymap, contexts: &[KeyContext], key: &KeyEvent) -> Vec<Action> {
    let mut actions = Vec::new();
    for context in contexts {
        if let Some(action) = keymap.lookup(*context, key)
            && !actions.contains(&action)
        {
            actions.push(action);
        }
    }
    actions
}

/// The actions of `key` for `component`: in its contexts, then Global, except for a key that
/// types text into a component that captures text.
pub fn actions_for(component: &dyn Component, keymap: &Keymap, key: &KeyEvent) -> Vec<Action> {
    let mut contexts = component.contexts();
    let types_text = matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if !(component.captures_text() && types_text) {
        contexts.push(KeyContext::Global);
    }
    resolve(keymap, &contexts, key)
}

/// Hands `key` to `component` with each of `actions` in turn until one is used (with no action
/// when the key has none). On a `--readonly` store an action the component calls a write is
/// refused with the one message instead of being offered.
pub fn offer(
    component: &mut dyn Component,
    key: &KeyEvent,
    actions: &[Action],
    ctx: &mut Ctx,
) -> Effect {
    let captures = component.captures_text();
    if actions.is_empty() {
        return component.handle_key(key, None, ctx);
    }
    for action in actions {
        if !captures && ctx.store.is_read_only() && component.is_write(*action) {
            return Effect::Flash(Flash::warning(READ_ONLY));
        }
        let effect = component.handle_key(key, Some(*action), ctx);
        if effect != Effect::Ignored || captures {
            return effect;
        }
    }
    Effect::Ignored
}

/// A key as the app hands it to the screen that has the keyboard ([`actions_for`], then
/// [`offer`]): for driving one component without the app (tests).
pub fn press(component: &mut dyn Component, key: &KeyEvent, ctx: &mut Ctx) -> Effect {
    let actions = actions_for(component, ctx.keymap, key);
    offer(component, key, &actions, ctx)
}
