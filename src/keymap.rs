//! The key map: (context, key) -> [`Action`], as data. The hint line and the help overlay are
//! generated from it, so they never drift from the keys that really work; a config file can
//! override single bindings with [`Keymap::override_binding`] and [`KeyBinding::parse`].

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::action::{Action, KeyContext};

mod binding;

pub use binding::KeyBinding;

/// The bindings of every context. `Keymap::default()` holds the defaults of PRODUCT.md §3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    tables: BTreeMap<KeyContext, Vec<(KeyBinding, Action)>>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Action as A;
        use KeyBinding as K;
        use KeyCode as C;
        let key = K::plain;
        let ch = K::char;
        let mut map = Self {
            tables: BTreeMap::new(),
        };
        let global = [
            (ch('1'), A::Tab(0)),
            (ch('2'), A::Tab(1)),
            (ch('3'), A::Tab(2)),
            (ch('4'), A::Tab(3)),
            (ch('?'), A::Help),
            (ch('q'), A::Quit),
            (K::ctrl('c'), A::Quit),
            (key(C::Esc), A::Back),
        ];
        let list = [
            (key(C::Up), A::Up),
            (ch('k'), A::Up),
            (key(C::Down), A::Down),
            (ch('j'), A::Down),
            (key(C::PageUp), A::PageUp),
            (key(C::PageDown), A::PageDown),
            (ch('g'), A::Top),
            (key(C::Home), A::Top),
            (ch('G'), A::Bottom),
            (key(C::End), A::Bottom),
            (ch('/'), A::Filter),
            (ch('s'), A::Sort),
            (ch('S'), A::SortReverse),
            (key(C::Enter), A::Open),
            (ch('a'), A::Add),
            (ch(' '), A::Toggle),
            (ch('*'), A::ToggleAll),
            (ch('n'), A::New),
            (ch('e'), A::Edit),
            (ch('D'), A::Delete),
            (key(C::Delete), A::Delete),
            (ch('R'), A::Restore),
            (ch('L'), A::Link),
            (ch('U'), A::Unlink),
            (ch('o'), A::ToggleRecording),
            (ch('y'), A::Copy),
            (ch('u'), A::AssignUsers),
            (ch('x'), A::ToggleActive),
            (ch('r'), A::ResetPassword),
            (ch('p'), A::ChoosePlan),
        ];
        let customer = [
            (key(C::Left), A::PrevSubTab),
            (ch('h'), A::PrevSubTab),
            (key(C::Right), A::NextSubTab),
            (ch('l'), A::NextSubTab),
            (ch('e'), A::Edit),
            (ch('D'), A::Delete),
            (key(C::Tab), A::NextField),
            (key(C::BackTab), A::PrevField),
            (key(C::Enter), A::Confirm),
            (ch('S'), A::ToggleStatus),
        ];
        let form = [
            (key(C::Tab), A::NextField),
            (key(C::Down), A::NextField),
            (key(C::BackTab), A::PrevField),
            (key(C::Up), A::PrevField),
            (key(C::Enter), A::Submit),
            (ch(' '), A::Toggle),
            (K::ctrl('n'), A::NextStep),
            (K::ctrl('p'), A::PrevStep),
            (K::ctrl('s'), A::Save),
            (key(C::Esc), A::Cancel),
        ];
        let modal = [(key(C::Enter), A::Confirm), (key(C::Esc), A::Cancel)];
        let question = [
            (ch('y'), A::Yes),
            (ch('Y'), A::Yes),
            (ch('n'), A::No),
            (ch('N'), A::No),
            (ch('r'), A::Resume),
            (ch('d'), A::Discard),
            (ch('D'), A::Discard),
        ];
        map.tables.insert(KeyContext::Global, global.to_vec());
        map.tables.insert(KeyContext::List, list.to_vec());
        map.tables.insert(KeyContext::Customer, customer.to_vec());
        map.tables.insert(KeyContext::Form, form.to_vec());
        map.tables.insert(KeyContext::Modal, modal.to_vec());
        // The step digits of the review (`1`..`8`), and the leave prompt's `k` and `d`.
        let wizard = (1..=8u8)
            .map(|n| (ch(char::from(b'0' + n)), A::GoToStep(n)))
            .chain([
                (ch('k'), A::KeepDraft),
                (ch('K'), A::KeepDraft),
                (ch('d'), A::Discard),
                (ch('D'), A::Discard),
            ]);
        map.tables.insert(KeyContext::Question, question.to_vec());
        map.tables.insert(KeyContext::Wizard, wizard.collect());
        map
    }
}

impl Keymap {
    /// A key map with no bindings at all.
    pub fn empty() -> Self {
        Self {
            tables: BTreeMap::new(),
        }
    }

    /// The bindings of one context, in order.
    pub fn bindings(&self, ctx: KeyContext) -> &[(KeyBinding, Action)] {
        self.tables.get(&ctx).map_or(&[], Vec::as_slice)
    }

    /// The action of a key press in one context. Releases never count.
    pub fn lookup(&self, ctx: KeyContext, key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let pressed = KeyBinding::from_event(key);
        self.bindings(ctx)
            .iter()
            .find(|(binding, _)| *binding == pressed)
            .map(|(_, action)| *action)
    }

    /// The action of a key press in the first of `ctxs` that binds the key.
    pub fn lookup_in(&self, ctxs: &[KeyContext], key: &KeyEvent) -> Option<Action> {
        ctxs.iter().find_map(|ctx| self.lookup(*ctx, key))
    }

    /// Every key bound to `action` in `ctx`, in order.
    pub fn keys_for(&self, ctx: KeyContext, action: Action) -> Vec<KeyBinding> {
        self.bindings(ctx)
            .iter()
            .filter(|(_, a)| *a == action)
            .map(|(binding, _)| *binding)
            .collect()
    }

    /// (keys, label) of each action for a hint line, keys joined with "/". Contexts are searched
    /// in order, as [`Keymap::lookup_in`] does: a key shadowed by an earlier context is not shown
    /// for a later one. Actions without a key are left out.
    pub fn hints(&self, ctxs: &[KeyContext], actions: &[Action]) -> Vec<(String, String)> {
        actions
            .iter()
            .filter_map(|action| {
                let keys = self.effective_keys(ctxs, *action);
                (!keys.is_empty()).then(|| (join(&keys), action.label()))
            })
            .collect()
    }

    fn effective_keys(&self, ctxs: &[KeyContext], action: Action) -> Vec<KeyBinding> {
        let mut seen: Vec<KeyBinding> = Vec::new();
        let mut keys = Vec::new();
        for ctx in ctxs {
            for (binding, bound) in self.bindings(*ctx) {
                if seen.contains(binding) {
                    continue;
                }
                seen.push(*binding);
                if *bound == action {
                    keys.push(*binding);
                }
            }
        }
        keys
    }

    /// Every binding grouped by context, keys of the same action merged: ("↑/k", "up"); the
    /// wizard's step keys share one row ("1…8", "go to step").
    pub fn help(&self) -> Vec<(KeyContext, Vec<(String, String)>)> {
        KeyContext::ALL
            .iter()
            .filter(|ctx| !self.bindings(**ctx).is_empty())
            .map(|ctx| {
                let mut actions: Vec<Action> = Vec::new();
                let mut steps = false;
                for (_, action) in self.bindings(*ctx) {
                    if let Action::GoToStep(_) = action {
                        if !steps {
                            steps = true;
                            actions.push(*action);
                        }
                    } else if !actions.contains(action) {
                        actions.push(*action);
                    }
                }
                let rows = actions
                    .into_iter()
                    .map(|action| {
                        let keys = match action {
                            Action::GoToStep(_) => self.step_keys(*ctx),
                            _ => join(&self.keys_for(*ctx, action)),
                        };
                        (keys, action.help_label())
                    })
                    .collect();
                (*ctx, rows)
            })
            .collect()
    }

    /// The keys of every [`Action::GoToStep`] in `ctx`, by step: a run of digits as "1…8".
    fn step_keys(&self, ctx: KeyContext) -> String {
        let mut steps: Vec<(u8, KeyBinding)> = self
            .bindings(ctx)
            .iter()
            .filter_map(|(binding, action)| match action {
                Action::GoToStep(n) => Some((*n, *binding)),
                _ => None,
            })
            .collect();
        steps.sort_by_key(|(n, _)| *n);
        let keys: Vec<KeyBinding> = steps.into_iter().map(|(_, key)| key).collect();
        let digits: Option<Vec<u32>> = keys
            .iter()
            .map(|key| match key.code {
                KeyCode::Char(c) if key.modifiers.is_empty() => c.to_digit(10),
                _ => None,
            })
            .collect();
        let run = digits.filter(|d| d.len() > 2 && d.windows(2).all(|w| w[1] == w[0] + 1));
        match run.as_deref() {
            Some([first, .., last]) => format!("{first}…{last}"),
            _ => join(&keys),
        }
    }

    /// Binds `key` to `action` in `ctx`, replacing whatever that key did there before.
    pub fn override_binding(&mut self, ctx: KeyContext, key: KeyBinding, action: Action) {
        let key = KeyBinding::new(key.code, key.modifiers);
        let table = self.tables.entry(ctx).or_default();
        table.retain(|(binding, _)| *binding != key);
        table.push((key, action));
    }

    /// Removes a binding of `key` in `ctx`, if any.
    pub fn unbind(&mut self, ctx: KeyContext, key: KeyBinding) {
        let key = KeyBinding::new(key.code, key.modifiers);
        if let Some(table) = self.tables.get_mut(&ctx) {
            table.retain(|(binding, _)| *binding != key);
        }
    }
}

fn join(keys: &[KeyBinding]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyEventState, KeyModifiers};

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn q_quits() {
        let map = Keymap::default();
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map.lookup(KeyContext::Global, &q), Some(Action::Quit));
        assert_eq!(map.lookup(KeyContext::List, &q), None);
    }

    #[test]
    fn ctrl_c_quits() {
        let map = Keymap::default();
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map.lookup(KeyContext::Global, &ctrl_c), Some(Action::Quit));
        assert_eq!(map.keys_for(KeyContext::Global, Action::Quit).len(), 2);
    }

    #[test]
    fn capital_g_with_or_without_shift() {
        let map = Keymap::default();
        for key in [
            press(KeyCode::Char('G'), KeyModifiers::NONE),
            press(KeyCode::Char('G'), KeyModifiers::SHIFT),
            press(KeyCode::Char('g'), KeyModifiers::SHIFT),
        ] {
            assert_eq!(map.lookup(KeyContext::List, &key), Some(Action::Bottom));
        }
        let g = press(KeyCode::Char('g'), KeyModifiers::NONE);
        assert_eq!(map.lookup(KeyContext::List, &g), Some(Action::Top));
    }

    #[test]
    fn backtab_and_shift_tab_are_the_same_key() {
        let map = Keymap::default();
        for key in [
            press(KeyCode::BackTab, KeyModifiers::NONE),
            press(KeyCode::BackTab, KeyModifiers::SHIFT),
            press(KeyCode::Tab, KeyModifiers::SHIFT),
        ] {
            assert_eq!(map.lookup(KeyContext::Form, &key), Some(Action::PrevField));
        }
    }

    #[test]
    fn release_is_ignored_repeat_counts() {
        let map = Keymap::default();
        let mut key = KeyEvent::new_with_kind_and_state(
            KeyCode::Char('q'),
            KeyModifiers::NONE,
            KeyEventKind::Release,
            KeyEventState::NONE,
        );
        assert_eq!(map.lookup(KeyContext::Global, &key), None);
        key.kind = KeyEventKind::Repeat;
        assert_eq!(map.lookup(KeyContext::Global, &key), Some(Action::Quit));
    }

    #[test]
    fn override_changes_lookup_and_hints() {
        let mut map = Keymap::default();
        let hints = map.hints(&[KeyContext::Global], &[Action::Quit]);
        assert_eq!(hints, vec![("q/Ctrl-C".to_string(), "quit".to_string())]);
        map.override_binding(KeyContext::Global, KeyBinding::char('q'), Action::Help);
        map.override_binding(
            KeyContext::Global,
            KeyBinding::parse("ctrl-x").unwrap(),
            Action::Quit,
        );
        let hints = map.hints(&[KeyContext::Global], &[Action::Quit, Action::Help]);
        assert_eq!(
            hints,
            vec![
                ("Ctrl-C/Ctrl-X".to_string(), "quit".to_string()),
                ("?/q".to_string(), "help".to_string()),
            ]
        );
    }

    #[test]
    fn hints_follow_context_shadowing() {
        let map = Keymap::default();
        let ctxs = [KeyContext::Form, KeyContext::Global];
        let hints = map.hints(&ctxs, &[Action::Cancel, Action::Back, Action::NextStep]);
        assert_eq!(
            hints,
            vec![
                ("Esc".to_string(), "cancel".to_string()),
                ("Ctrl-N".to_string(), "next step".to_string()),
            ]
        );
    }

    #[test]
    fn parse_and_display_round_trip() {
        for (text, shown) in [
            ("q", "q"),
            ("G", "G"),
            ("shift-g", "G"),
            ("ctrl-c", "Ctrl-C"),
            ("Ctrl+N", "Ctrl-N"),
            ("shift-tab", "Shift-Tab"),
            ("backtab", "Shift-Tab"),
            ("pgdn", "PgDn"),
            ("PageUp", "PgUp"),
            ("f1", "F1"),
            ("enter", "Enter"),
            ("esc", "Esc"),
            ("space", "Space"),
            ("up", "↑"),
            ("-", "-"),
            ("ctrl--", "Ctrl--"),
            ("alt-x", "Alt-X"),
        ] {
            let key = KeyBinding::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(key.to_string(), shown, "{text}");
            assert_eq!(KeyBinding::parse(shown), Ok(key), "{shown}");
        }
        assert!(KeyBinding::parse("").is_err());
        assert!(KeyBinding::parse("hyper-q").is_err());
        assert!(KeyBinding::parse("f99").is_err());
    }

    #[test]
    fn the_wizard_step_keys_share_one_help_row() {
        let mut map = Keymap::default();
        let wizard = |map: &Keymap| {
            let help = map.help();
            let (ctx, rows) = help.last().cloned().expect("contexts");
            assert_eq!(ctx, KeyContext::Wizard);
            rows
        };
        assert_eq!(
            wizard(&map)[0],
            ("1…8".to_string(), "go to step".to_string())
        );
        let three = KeyBinding::char('3');
        assert_eq!(
            map.lookup(KeyContext::Wizard, &press(three.code, three.modifiers)),
            Some(Action::GoToStep(3))
        );
        map.override_binding(
            KeyContext::Wizard,
            KeyBinding::plain(KeyCode::F(3)),
            Action::GoToStep(3),
        );
        map.unbind(KeyContext::Wizard, three);
        assert_eq!(wizard(&map)[0].0, "1/2/F3/4/5/6/7/8");
    }

    #[test]
    fn help_merges_keys_of_one_action() {
        let help = Keymap::default().help();
        let (ctx, rows) = &help[1];
        assert_eq!(*ctx, KeyContext::List);
        assert_eq!(rows[0], ("↑/k".to_string(), "up".to_string()));
        assert!(rows.contains(&("G/End".to_string(), "last".to_string())));
    }
}
