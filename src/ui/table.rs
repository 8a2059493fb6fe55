//! Cells of ratatui tables cut to their columns with "…", as all other text is: a `Table` cuts
//! a cell silently at its column's edge.

use ratatui::layout::{Constraint, Flex, Layout, Rect};

use crate::ui::form::clip;

/// The width of each column of a `Table` with these constraints and `spacing` over `width`
/// columns, as the table itself lays them out (no highlight symbol).
pub fn column_widths(constraints: &[Constraint], width: u16, spacing: u16) -> Vec<usize> {
    Layout::horizontal(constraints.to_vec())
        .flex(Flex::Start)
        .spacing(spacing)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| usize::from(r.width))
        .collect()
}

/// `text` (already made safe) cut to the column `n` of `widths`, ending in "…" when cut.
pub fn fit_cell(text: &str, widths: &[usize], n: usize) -> String {
    match widths.get(n) {
        Some(w) => clip(text, *w).into_owned(),
        None => text.to_owned(),
    }
}

/// How a list says its order: "name", or "name, reversed" after `S`.
pub fn sort_label(label: &str, descending: bool) -> String {
    if descending {
        format!("{label}, reversed")
    } else {
        label.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_a_table_and_cut_cells_end_with_an_ellipsis() {
        let widths = column_widths(&[Constraint::Length(4), Constraint::Fill(1)], 20, 1);
        assert_eq!(widths, [4, 15]);
        assert_eq!(fit_cell("abcdef", &widths, 0), "abc…");
        assert_eq!(fit_cell("abcd", &widths, 0), "abcd");
    }
}
