//! What frames every step: the step indicator across the top, the heading under it, and the
//! "leave the wizard?" prompt that Esc opens.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use unicode_width::UnicodeWidthStr;

use super::Step;
use crate::action::{Action, KeyContext};
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Component, Ctx, Effect};
use crate::ui::form::draw_line;
use crate::ui::help::centered_rect;

const TICK: &str = "✓";
const SEPARATOR: &str = " > ";

/// `1 Type ✓ > 2 Contact > [3 Defaults] > …`, shortened until it fits `width`: every step number
/// and tick always, the current step's title, and as many other titles as fit whole (the shortest
/// first, the nearest to the current step among equals); when some do not, every title
/// abbreviated ("4 User…", "7 Rol…") rather than any dropped; else `Step 3/8 Defaults`.
pub fn indicator(current: Step, completed: &[Step], width: u16, theme: &Theme) -> Line<'static> {
    let width = usize::from(width);
    let mut titled: [Option<String>; 8] = Default::default();
    titled[current as usize] = Some(current.title().to_string());
    if indicator_line(current, completed, &titled, theme).width() > width {
        let tick = if completed.contains(&current) {
            format!(" {TICK}")
        } else {
            String::new()
        };
        return Line::from(Span::styled(
            format!(
                "Step {}/{} {}{tick}",
                current.number(),
                Step::ALL.len(),
                current.title()
            ),
            theme.tabs.active,
        ));
    }
    // Each title costs its own width plus a space (and one more beside a tick): taking the
    // cheapest first shows the most titles; a title that does not fit is skipped, not cut.
    let at = current as usize;
    let mut others: Vec<Step> = Step::ALL.into_iter().filter(|s| *s != current).collect();
    others.sort_by_key(|s| {
        let tick = usize::from(completed.contains(s));
        (
            s.title().width() + tick,
            (*s as usize).abs_diff(at),
            *s as usize,
        )
    });
    for step in &others {
        titled[*step as usize] = Some(step.title().to_string());
        if indicator_line(current, completed, &titled, theme).width() > width {
            titled[*step as usize] = None;
        }
    }
    if titled.iter().any(Option::is_none) {
        // Some title does not fit whole: every step gets the start of its title instead, two
        // letters and "…" at least, then a letter more in turn (nearest first) while it fits.
        let mut fair = titled.clone();
        for step in &others {
            fair[*step as usize] = Some(abbreviation(step.title(), 2));
        }
        if indicator_line(current, completed, &fair, theme).width() <= width {
            grow_in_turn(current, completed, &mut fair, width, theme);
            return indicator_line(current, completed, &fair, theme);
        }
    }
    indicator_line(current, completed, &titled, theme)
}

/// The first `letters` of `title` and "…"; the whole title when that is no longer.
fn abbreviation(title: &str, letters: usize) -> String {
    if letters + 1 >= title.chars().count() {
        return title.to_string();
    }
    let start: String = title.chars().take(letters).collect();
    format!("{}…", start.trim_end_matches([' ', '&']))
}

/// Lengthens the abbreviated titles a letter at a time, nearest to the current step first, as
/// long as the line fits `width`.
fn grow_in_turn(
    current: Step,
    completed: &[Step],
    titled: &mut [Option<String>; 8],
    width: usize,
    theme: &Theme,
) {
    let at = current as usize;
    let mut order: Vec<Step> = Step::ALL.into_iter().filter(|s| *s != current).collect();
    order.sort_by_key(|s| ((*s as usize).abs_diff(at), *s as usize));
    let mut letters = [2usize; 8];
    loop {
        let mut grew = false;
        for step in &order {
            let i = *step as usize;
            let title = step.title();
            if titled[i].as_deref() == Some(title) {
                continue;
            }
            let before = titled[i].replace(abbreviation(title, letters[i] + 1));
            if indicator_line(current, completed, titled, theme).width() <= width {
                letters[i] += 1;
                grew = true;
            } else {
                titled[i] = before;
            }
        }
        if !grew {
            return;
        }
    }
}

fn indicator_line(
    current: Step,
    completed: &[Step],
    titled: &[Option<String>; 8],
    theme: &Theme,
) -> Line<'static> {
    let mut spans = Vec::new();
    for step in Step::ALL {
        if !spans.is_empty() {
            spans.push(Span::styled(SEPARATOR, theme.muted));
        }
        let done = completed.contains(&step);
        let text = match (&titled[step as usize], done) {
            (Some(title), true) => format!("{} {title} {TICK}", step.number()),
            (Some(title), false) => format!("{} {title}", step.number()),
            (None, true) => format!("{}{TICK}", step.number()),
            (None, false) => step.number().to_string(),
        };
        if step == current {
            spans.push(Span::styled(format!(" {text} "), theme.tabs.active));
        } else if done {
            spans.push(Span::styled(text, theme.info));
        } else {
            spans.push(Span::styled(text, theme.tabs.inactive));
        }
    }
    Line::from(spans)
}

/// The line under the indicator: the step's heading and where the operator is.
pub fn heading(step: Step, theme: &Theme) -> Line<'static> {
    let mut spans = vec![
        Span::styled(step.heading(), theme.title),
        Span::styled(
            format!("  step {} of {}", step.number(), Step::ALL.len()),
            theme.muted,
        ),
    ];
    if step.section().is_some() {
        spans.push(Span::styled("  · * required", theme.muted));
    }
    Line::from(spans)
}

/// The operator's answer to the leave prompt: leave keeping the draft, leave discarding it, or
/// go on with the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveAnswer {
    Keep,
    Discard,
    GoOn,
}

/// The "leave the wizard?" prompt Esc opens: `k` keeps the draft, `d` asks once more and a
/// second `d` discards it; the dialog keys of the map go on with the wizard.
#[derive(Debug, Default)]
pub struct LeavePrompt {
    /// `d` was pressed: a second `d` drops everything typed.
    discard_asked: bool,
    answer: Option<LeaveAnswer>,
}

impl LeavePrompt {
    /// The operator's answer, once.
    pub fn take_answer(&mut self) -> Option<LeaveAnswer> {
        self.answer.take()
    }

    /// The second question of a discard: `d` (the key map's Discard) again discards, any other
    /// key goes back to the prompt.
    fn answer_discard(&mut self, key: &KeyEvent, action: Option<Action>) -> Effect {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            // Ctrl-C still reaches the app.
            return Effect::Ignored;
        }
        self.discard_asked = false;
        if action == Some(Action::Discard) {
            self.answer = Some(LeaveAnswer::Discard);
        }
        Effect::Done
    }

    pub(crate) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        if self.discard_asked {
            let key = first_key(keymap, Action::Discard).unwrap_or_default();
            render_discard_question_keyed(frame, area, theme, &key);
        } else {
            render_leave_prompt(frame, area, theme, keymap);
        }
    }
}

impl Component for LeavePrompt {
    fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
        self.draw(frame, area, theme, keymap);
    }
    fn contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Wizard, KeyContext::Modal, KeyContext::Global]
    }

    fn handle_key(&mut self, key: &KeyEvent, action: Option<Action>, _ctx: &mut Ctx) -> Effect {
        if self.discard_asked {
            return self.answer_discard(key, action);
        }
        // Ctrl-C still reaches the app; anything else waits for an answer.
        if action == Some(Action::Quit) && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Effect::Ignored;
        }
        match action {
            Some(Action::KeepDraft) => self.answer = Some(LeaveAnswer::Keep),
            Some(Action::Discard) => {
                self.discard_asked = true;
                return Effect::DialogOpened;
            }
            Some(Action::Cancel | Action::Confirm) => self.answer = Some(LeaveAnswer::GoOn),
            _ => {}
        }
        Effect::Done
    }

    fn hint(&self) -> (Vec<KeyContext>, Vec<Action>) {
        (vec![KeyContext::Modal], vec![Action::Cancel])
    }
}

/// The small "leave the wizard?" popup over `area`.
pub fn render_leave_prompt(frame: &mut Frame, area: Rect, theme: &Theme, keymap: &Keymap) {
    let area = area.intersection(frame.area());
    if area.is_empty() {
        return;
    }
    let go_on: Vec<String> = [Action::Cancel, Action::Confirm]
        .iter()
        .flat_map(|a| keymap.keys_for(KeyContext::Modal, *a))
        .map(|k| k.to_string())
        .collect();
    let go_on = if go_on.is_empty() {
        "Esc".to_string()
    } else {
        go_on.join("/")
    };
    let keep = first_key(keymap, Action::KeepDraft);
    let discard = first_key(keymap, Action::Discard);
    let rows: Vec<(&str, &'static str)> = [
        (keep.as_deref(), "Keep draft and leave"),
        (discard.as_deref(), "Discard draft"),
        (Some(go_on.as_str()), "Go on"),
    ]
    .into_iter()
    .filter_map(|(key, label)| key.map(|k| (k, label)))
    .collect();
    render_key_popup(frame, area, theme, " Leave the wizard? ", &rows, 22);
}

/// The first key of a leave prompt's answer in the key map.
fn first_key(keymap: &Keymap, action: Action) -> Option<String> {
    keymap
        .keys_for(KeyContext::Wizard, action)
        .first()
        .map(ToString::to_string)
}

/// The second question of a discard, over the leave prompt: it drops everything typed.
pub fn render_discard_question(frame: &mut Frame, area: Rect, theme: &Theme) {
    render_discard_question_keyed(frame, area, theme, "d");
}

/// As [`render_discard_question`], `key` discarding.
fn render_discard_question_keyed(frame: &mut Frame, area: Rect, theme: &Theme, key: &str) {
    let area = area.intersection(frame.area());
    if area.is_empty() {
        return;
    }
    let rows = [
        (key, "Discard: everything typed is lost"),
        ("any other key", "Back"),
    ];
    render_key_popup(frame, area, theme, " Discard the draft? ", &rows, 0);
}

/// A bordered popup centred in `area` listing `rows` of key and what it does, at least
/// `min_width` columns inside.
fn render_key_popup(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    title: &'static str,
    rows: &[(&str, &'static str)],
    min_width: usize,
) {
    let key_width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(1);
    let inner_width = rows
        .iter()
        .map(|(_, label)| key_width + 2 + label.width())
        .max()
        .unwrap_or(0)
        .max(min_width);
    let popup = centered_rect(area, inner_width as u16 + 4, rows.len() as u16 + 2);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Block::bordered()
            .border_style(theme.modal_border)
            .title(Span::styled(title, theme.title)),
        popup,
    );
    let inner = Rect::new(
        popup.x.saturating_add(2),
        popup.y.saturating_add(1),
        popup.width.saturating_sub(4),
        popup.height.saturating_sub(2),
    )
    .intersection(popup);
    for (i, (key, label)) in rows.iter().enumerate() {
        let pad = " ".repeat(key_width - key.width() + 2);
        let line = Line::from(vec![
            Span::styled(key.to_string(), theme.hint_key),
            Span::raw(pad),
            Span::styled(*label, theme.hint_label),
        ]);
        draw_line(frame.buffer_mut(), inner, inner.y + i as u16, &line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::COLOR;

    #[test]
    fn the_indicator_fits_and_shortens() {
        let done = [Step::Type, Step::Contact];
        let wide = indicator(Step::Defaults, &done, 200, &COLOR).to_string();
        assert_eq!(
            wide,
            "1 Type ✓ > 2 Contact ✓ >  3 Defaults  > 4 User creation > 5 Billing > 6 Cameras \
             > 7 Roles & users > 8 Review"
        );
        for width in [100, 80, 60, 40] {
            let line = indicator(Step::People, &Step::ALL[..6], width, &COLOR);
            assert!(line.width() <= usize::from(width), "{width}: {line}");
            assert!(
                line.to_string().contains("Roles & users"),
                "{width}: {line}"
            );
        }
        let narrow = indicator(Step::Review, &Step::ALL[..7], 30, &COLOR).to_string();
        assert_eq!(narrow, "Step 8/8 Review");
    }

    #[test]
    fn at_100_columns_review_keeps_its_title() {
        let line = indicator(Step::Type, &[], 100, &COLOR).to_string();
        assert_eq!(
            line,
            " 1 Type  > 2 Contact > 3 Defaults > 4 User creat… > 5 Billing > 6 Cameras \
             > 7 Roles & us… > 8 Review"
        );
        let line = indicator(Step::People, &Step::ALL[..6], 100, &COLOR).to_string();
        assert!(line.contains("7 Roles & users"), "{line}");
        assert!(line.ends_with("> 8 Review"), "{line}");
    }

    /// From 80 columns up: every number, every tick, the current title, whole titles only.
    #[test]
    fn from_80_columns_every_step_shows_whole() {
        for width in 80..=130u16 {
            for current in Step::ALL {
                for done in 0..=Step::ALL.len() {
                    let completed = &Step::ALL[..done];
                    let line = indicator(current, completed, width, &COLOR);
                    let text = line.to_string();
                    assert!(line.width() <= usize::from(width), "{width}: {text}");
                    let parts: Vec<&str> = text.split(SEPARATOR).map(str::trim).collect();
                    assert_eq!(parts.len(), 8, "{width}: {text}");
                    for (step, part) in Step::ALL.into_iter().zip(parts) {
                        let number = step.number().to_string();
                        let part = part
                            .strip_prefix(number.as_str())
                            .unwrap_or_else(|| panic!("{width}: step {number} missing in {text}"));
                        let ticked = completed.contains(&step);
                        let part = match part.strip_suffix(TICK) {
                            Some(rest) => {
                                assert!(ticked, "{width}: {number} ticked in {text}");
                                rest.trim_end()
                            }
                            None => {
                                assert!(!ticked, "{width}: {number} not ticked in {text}");
                                part
                            }
                        };
                        let title = format!(" {}", step.title());
                        let abbreviated = part
                            .strip_suffix('…')
                            .is_some_and(|start| start.len() > 2 && title.starts_with(start));
                        assert!(
                            part.is_empty() || part == title || abbreviated,
                            "{width}: title of {number} cut without … in {text}"
                        );
                        if step == current {
                            assert_eq!(part, title, "{width}: current title in {text}");
                        }
                    }
                }
            }
        }
    }
}
