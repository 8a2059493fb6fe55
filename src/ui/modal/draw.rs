//! Drawing shared by the dialogs: the box, its width, key hints, and text broken by display
//! width.

use super::*;

pub(super) fn render_text_dialog(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &str,
    text: &str,
    footer: &str,
    border: Style,
) {
    let body = wrap(&display(text), dialog_text_width(area));
    let footer = Line::styled(footer.to_owned(), theme.muted);
    render_box(frame, area, title, &body, None, footer, border);
}

/// A centred dialog box of sanitised `body` lines (the first in `headline` style when given), a
/// blank row and the `footer` line.
pub(crate) fn render_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    body: &[String],
    headline: Option<Style>,
    footer: Line<'static>,
    border: Style,
) {
    let width = dialog_width(area);
    let wanted = body.len() as u16 + 2;
    let Some(inner) = popup_frame(frame, area, width, wanted, title, border) else {
        return;
    };
    let buf = frame.buffer_mut();
    let body_rows = inner.height.saturating_sub(2);
    for (i, line) in body.iter().take(usize::from(body_rows)).enumerate() {
        let style = headline.filter(|_| i == 0).unwrap_or_default();
        draw_line(
            buf,
            inner,
            inner.y + i as u16,
            &Line::styled(line.clone(), style),
        );
    }
    draw_line(buf, inner, inner.bottom().saturating_sub(1), &footer);
}

/// How wide the text inside a dialog in `area` may be.
pub(crate) fn dialog_text_width(area: Rect) -> usize {
    usize::from(dialog_width(area).saturating_sub(4))
}

/// Width of a dialog in `area`: 64 columns at most, two columns of margin when there is room.
pub(super) fn dialog_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).clamp(area.width.min(20), 64)
}

pub(super) fn inside(area: Rect, p: Position) -> bool {
    area.contains(p)
}

/// "Esc cancel" from the key map, so the dialog never names a key that does not work.
pub(super) fn key_hint(keymap: &Keymap, action: Action) -> String {
    let keys = keys_of(keymap, action);
    if keys.is_empty() {
        String::new()
    } else {
        format!("{keys} {}", action.label())
    }
}

pub(super) fn keys_of(keymap: &Keymap, action: Action) -> String {
    keymap
        .keys_for(KeyContext::Modal, action)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("/")
}

/// "1 camera", "3 cameras".
pub fn count_of(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Sanitised paragraphs broken to `width`, a blank line between them.
pub(crate) fn wrap_paragraphs(paragraphs: &[String], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        out.extend(wrap(&display(p), width));
    }
    out
}

/// Breaks already sanitised `text` into lines of at most `width` display columns, at spaces when
/// it can and inside a word when a word is wider than a line. Never panics; `width` 0 gives no
/// lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if width == 0 {
        return lines;
    }
    for source in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in source.split(' ') {
            let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
            let gap = usize::from(!line.is_empty());
            if used + gap + w <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                used += gap + w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                if cw <= width {
                    line.push(c);
                    used += cw;
                }
            }
        }
        lines.push(line);
    }
    lines
}
