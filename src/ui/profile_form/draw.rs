//! Drawing the form: layout, scrolling to the focus, fields, the monthly estimate.

use super::*;

impl ProfileForm {
    /// Draws `section` into `area`: two columns from 100 columns on, else one; scrolled so that
    /// the focused field is visible; an open choice list on top of everything.
    pub fn render(&self, section: Section, frame: &mut Frame, area: Rect, theme: &Theme) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let (mut placed, mut total) = self.layout(section, area.width);
        let overflow = total > area.height && area.width > 2;
        let content_width = if overflow { area.width - 1 } else { area.width };
        if overflow {
            (placed, total) = self.layout(section, content_width);
        }
        let scroll = self.scroll_to_focus(section, &placed, total, area.height);
        let focused = self.focused(section);
        let mut focused_rect = None;
        for item in &placed {
            // Only whole items are drawn (a value without its label would mislead), except one
            // taller than the whole area, which is cut.
            let fits = item.y.saturating_add(item.height) <= scroll.saturating_add(area.height);
            if item.y < scroll
                || item.y >= scroll + area.height
                || !(fits || item.height > area.height)
            {
                continue;
            }
            let y = area.y + (item.y - scroll);
            let height = item.height.min(area.bottom() - y);
            let rect = Rect::new(area.x + item.x, y, item.width, height);
            match item.field {
                Some(index) => {
                    let is_focused = focused == Some(index);
                    if is_focused {
                        focused_rect = Some(rect);
                    }
                    self.render_field(index, frame, rect, is_focused, theme);
                }
                None => self.render_estimate(frame, rect, theme),
            }
        }
        if overflow {
            let gutter = Rect::new(area.right() - 1, area.y, 1, area.height);
            render_scroll_marks(
                frame,
                gutter,
                scroll > 0,
                scroll + area.height < total,
                theme,
            );
        }
        if let (Some(index), Some(rect)) = (focused, focused_rect)
            && let Widget::Choice(choice) = &self.fields[index].widget
            && choice.open
        {
            choice.render_popup(frame, rect, theme);
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    /// Where every item of `section` lies at this width, and the rows they take in all.
    pub(super) fn layout(&self, section: Section, width: u16) -> (Vec<Placed>, u16) {
        let two_columns = width >= TWO_COLUMNS_MIN_WIDTH;
        let left = width.saturating_sub(COLUMN_GAP) / 2;
        let mut placed = Vec::new();
        let mut y: u16 = 0;
        for row in section.rows() {
            let side_by_side = two_columns && row.len() == 2;
            let column = if side_by_side { left } else { width };
            let items: Vec<(Option<usize>, u16)> = row
                .iter()
                .filter_map(|key| {
                    if *key == ESTIMATE {
                        return Some((None, 1));
                    }
                    let index = self.index_of(key)?;
                    Some((Some(index), self.fields[index].height(column)))
                })
                .collect();
            if two_columns && items.len() == 2 {
                let height = items.iter().map(|(_, h)| *h).max().unwrap_or(1);
                let right_x = left + COLUMN_GAP;
                for ((field, h), (x, w)) in items
                    .into_iter()
                    .zip([(0, left), (right_x, width.saturating_sub(right_x))])
                {
                    placed.push(Placed {
                        field,
                        x,
                        y,
                        width: w,
                        height: h,
                    });
                }
                y = y.saturating_add(height);
            } else {
                for (field, height) in items {
                    placed.push(Placed {
                        field,
                        x: 0,
                        y,
                        width,
                        height,
                    });
                    y = y.saturating_add(height);
                }
            }
        }
        (placed, y)
    }

    /// Scrolls `section` so that the focused item is whole on screen; returns the first row.
    pub(super) fn scroll_to_focus(
        &self,
        section: Section,
        placed: &[Placed],
        total: u16,
        height: u16,
    ) -> u16 {
        let focused = self.focused(section);
        let cell = &self.scroll[section.index()];
        let mut scroll = cell.get();
        if let Some(item) = placed
            .iter()
            .find(|p| p.field.is_some() && p.field == focused)
        {
            let mut bottom = item.y.saturating_add(item.height);
            // The estimate line right under the plan moves into view with it when it fits.
            let estimate_follows = placed.iter().any(|p| p.field.is_none() && p.y == bottom);
            if estimate_follows && item.height < height {
                bottom += 1;
            }
            if bottom > scroll.saturating_add(height) {
                scroll = bottom.saturating_sub(height);
            }
            if item.y < scroll {
                scroll = item.y;
            }
        }
        let scroll = scroll.min(total.saturating_sub(height));
        cell.set(scroll);
        scroll
    }

    pub(super) fn render_field(
        &self,
        index: usize,
        frame: &mut Frame,
        rect: Rect,
        focused: bool,
        theme: &Theme,
    ) {
        let field = &self.fields[index];
        match (&field.widget, field.disabled) {
            (Widget::Choice(choice), Some(why)) => {
                let value = choice.selected_label().unwrap_or("");
                render_fixed(frame, rect, choice.label, why, value, theme);
            }
            (Widget::Text(text), _) => text.render(frame, rect, focused, theme),
            (Widget::Check(check), _) => check.render(frame, rect, focused, theme),
            (Widget::Choice(choice), None) => choice.render(frame, rect, focused, theme),
        }
    }

    pub(super) fn render_estimate(&self, frame: &mut Frame, rect: Rect, theme: &Theme) {
        let value = self
            .monthly_estimate(self.cameras)
            .unwrap_or_else(|| "no recording plan chosen".to_owned());
        let line = Line::from(vec![
            Span::raw(theme.blank_symbol),
            Span::styled("Estimated monthly charge: ", theme.title),
            Span::styled(value, theme.info),
        ]);
        draw_line(frame.buffer_mut(), rect, rect.y, &line);
    }
}

/// A field that cannot be changed now: greyed label with the reason, greyed value.
fn render_fixed(frame: &mut Frame, rect: Rect, label: &str, why: &str, value: &str, theme: &Theme) {
    let buf = frame.buffer_mut();
    let rect = rect.intersection(buf.area);
    if rect.is_empty() {
        return;
    }
    let label_line = Line::from(vec![
        Span::raw(theme.blank_symbol),
        Span::styled(
            display(label.trim_end_matches(" *")).into_owned(),
            theme.muted,
        ),
        Span::styled(format!(" ({why})"), theme.muted),
    ]);
    let value_y = if rect.height >= 2 { rect.y + 1 } else { rect.y };
    if rect.height >= 2 {
        draw_line(buf, rect, rect.y, &label_line);
    }
    let indent = theme.blank_symbol.chars().count() as u16;
    let value_rect = Rect::new(
        rect.x + indent.min(rect.width),
        value_y,
        rect.width.saturating_sub(indent),
        1,
    );
    let room = usize::from(value_rect.width);
    let shown = display(value);
    let line = Line::from(Span::styled(clip(&shown, room).into_owned(), theme.muted));
    draw_line(buf, value_rect, value_y, &line);
}

fn render_scroll_marks(frame: &mut Frame, gutter: Rect, above: bool, below: bool, theme: &Theme) {
    let buf = frame.buffer_mut();
    if above {
        draw_line(
            buf,
            gutter,
            gutter.y,
            &Line::from(Span::styled("▲", theme.muted)),
        );
    }
    if below {
        let y = gutter.bottom().saturating_sub(1);
        draw_line(buf, gutter, y, &Line::from(Span::styled("▼", theme.muted)));
    }
}
