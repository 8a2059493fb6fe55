//! Colour and monochrome themes: plain const data, handed to every screen.
//!
//! `COLOR` uses only the 16 ANSI colours, so it follows the operator's terminal palette. `MONO`
//! uses no colour at all (for `--no-color` and `NO_COLOR`): selection, focus and danger stay
//! visible through bold, reverse, underline and dim, and through the symbols on [`Theme`].

use ratatui::style::{Color, Modifier, Style};

/// Tabs of the top menu and of the customer view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TabStyles {
    pub active: Style,
    pub inactive: Style,
}

/// Tables and pick lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableStyles {
    pub header: Style,
    pub row: Style,
    pub selected: Style,
    /// A row that cannot be picked or is disabled (a disabled customer, a linked camera).
    pub disabled_row: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: &'static str,
    pub tabs: TabStyles,
    pub table: TableStyles,
    /// The green `Add` button.
    pub button_add: Style,
    /// The red `Delete` button and other destructive actions.
    pub button_danger: Style,
    /// Any other button.
    pub button: Style,
    /// The label of the focused field or button.
    pub focus: Style,
    pub error: Style,
    pub warning: Style,
    pub info: Style,
    pub hint_key: Style,
    pub hint_label: Style,
    pub border: Style,
    pub border_focused: Style,
    pub modal_border: Style,
    pub title: Style,
    pub muted: Style,
    pub input: Style,
    pub input_focused: Style,
    pub checkbox: Style,
    /// Prefix of the selected row of a list ("> "); the other rows get spaces of the same width.
    pub selection_symbol: &'static str,
    /// Prefix of the focused field ("▶ "); the other fields get spaces of the same width.
    pub focus_symbol: &'static str,
    /// Prefix of a destructive button or message; empty where colour says it already.
    pub danger_symbol: &'static str,
    /// Spaces as wide as `selection_symbol` and `focus_symbol`.
    pub blank_symbol: &'static str,
}

const fn fg(color: Color) -> Style {
    Style::new().fg(color)
}

const fn with(modifier: Modifier) -> Style {
    Style::new().add_modifier(modifier)
}

pub const COLOR: Theme = Theme {
    name: "color",
    tabs: TabStyles {
        active: fg(Color::Black)
            .bg(Color::Cyan)
            .add_modifier(Modifier::BOLD),
        inactive: Style::new(),
    },
    table: TableStyles {
        header: fg(Color::Yellow).add_modifier(Modifier::BOLD),
        row: Style::new(),
        selected: fg(Color::White)
            .bg(Color::Blue)
            .add_modifier(Modifier::BOLD),
        disabled_row: fg(Color::DarkGray),
    },
    button_add: fg(Color::Black)
        .bg(Color::Green)
        .add_modifier(Modifier::BOLD),
    button_danger: fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
    button: fg(Color::Black).bg(Color::Gray),
    focus: fg(Color::Cyan).add_modifier(Modifier::BOLD),
    error: fg(Color::LightRed).add_modifier(Modifier::BOLD),
    warning: fg(Color::Yellow),
    info: fg(Color::Green),
    hint_key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
    hint_label: Style::new(),
    border: fg(Color::DarkGray),
    border_focused: fg(Color::Cyan),
    modal_border: fg(Color::Yellow),
    title: with(Modifier::BOLD),
    muted: fg(Color::DarkGray),
    input: fg(Color::White).bg(Color::DarkGray),
    input_focused: fg(Color::White).bg(Color::Blue),
    checkbox: Style::new(),
    selection_symbol: "> ",
    focus_symbol: "▶ ",
    danger_symbol: "",
    blank_symbol: "  ",
};

pub const MONO: Theme = Theme {
    name: "mono",
    tabs: TabStyles {
        active: with(Modifier::REVERSED).add_modifier(Modifier::BOLD),
        inactive: Style::new(),
    },
    table: TableStyles {
        header: with(Modifier::BOLD).add_modifier(Modifier::UNDERLINED),
        row: Style::new(),
        selected: with(Modifier::REVERSED),
        disabled_row: with(Modifier::DIM),
    },
    button_add: with(Modifier::REVERSED).add_modifier(Modifier::BOLD),
    button_danger: with(Modifier::REVERSED)
        .add_modifier(Modifier::BOLD)
        .add_modifier(Modifier::UNDERLINED),
    button: with(Modifier::REVERSED),
    focus: with(Modifier::BOLD).add_modifier(Modifier::UNDERLINED),
    error: with(Modifier::BOLD),
    warning: with(Modifier::BOLD),
    info: Style::new(),
    hint_key: with(Modifier::BOLD),
    hint_label: Style::new(),
    border: Style::new(),
    border_focused: with(Modifier::BOLD),
    modal_border: with(Modifier::BOLD),
    title: with(Modifier::BOLD).add_modifier(Modifier::UNDERLINED),
    muted: with(Modifier::DIM),
    input: with(Modifier::UNDERLINED),
    input_focused: with(Modifier::REVERSED),
    checkbox: Style::new(),
    selection_symbol: "> ",
    focus_symbol: "▶ ",
    danger_symbol: "! ",
    blank_symbol: "  ",
};

impl Theme {
    /// The theme to run with: `MONO` when `--no-color` is given or `NO_COLOR` is set.
    pub fn pick(no_color: bool) -> &'static Theme {
        if no_color_requested(no_color) {
            &MONO
        } else {
            &COLOR
        }
    }

    /// The prefix of a row or field: the symbol when `on`, else spaces of the same width.
    pub fn mark(&self, symbol: &'static str, on: bool) -> &'static str {
        if on { symbol } else { self.blank_symbol }
    }
}

/// Whether to draw without colour: the `--no-color` flag, or `NO_COLOR` set to a non-empty
/// value (<https://no-color.org>).
pub fn no_color_requested(flag: bool) -> bool {
    flag || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(t: &Theme) -> Vec<Style> {
        vec![
            t.tabs.active,
            t.tabs.inactive,
            t.table.header,
            t.table.row,
            t.table.selected,
            t.table.disabled_row,
            t.button_add,
            t.button_danger,
            t.button,
            t.focus,
            t.error,
            t.warning,
            t.info,
            t.hint_key,
            t.hint_label,
            t.border,
            t.border_focused,
            t.modal_border,
            t.title,
            t.muted,
            t.input,
            t.input_focused,
            t.checkbox,
        ]
    }

    #[test]
    fn mono_has_no_colour() {
        for s in styles(&MONO) {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }

    #[test]
    fn mono_keeps_selection_focus_and_danger_visible() {
        assert_ne!(MONO.table.selected, MONO.table.row);
        assert_ne!(MONO.input_focused, MONO.input);
        assert_ne!(MONO.button_danger, MONO.button);
        assert!(!MONO.danger_symbol.is_empty());
        assert!(!MONO.selection_symbol.trim().is_empty());
        assert!(!MONO.focus_symbol.trim().is_empty());
    }

    #[test]
    fn colour_uses_only_the_16_ansi_colours() {
        for s in styles(&COLOR) {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{c:?} is not one of the 16 ANSI colours"
                );
            }
        }
    }

    #[test]
    fn the_flag_picks_mono() {
        assert_eq!(Theme::pick(true).name, "mono");
    }
}
