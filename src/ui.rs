//! Root layout, tab bar, hint and flash lines, and the screens.

pub mod audit;
pub mod cameras;
pub mod component;
pub mod customer;
pub mod customers;
pub mod form;
pub mod help;
pub mod modal;
pub mod plans;
pub mod profile_form;
pub mod table;
pub mod wizard;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::action::{Action, KeyContext};
use crate::domain::validate::display;
use crate::keymap::Keymap;
use crate::theme::Theme;
use crate::ui::component::{Flash, FlashLevel};
use crate::ui::form::clip;

/// The top menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Customers,
    Cameras,
    Plans,
    Audit,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Customers, Tab::Cameras, Tab::Plans, Tab::Audit];
    pub fn title(self) -> &'static str {
        match self {
            Tab::Customers => "Customers",
            Tab::Cameras => "Cameras",
            Tab::Plans => "Plans",
            Tab::Audit => "Audit Log",
        }
    }
}

/// The smallest window the layout is drawn in; below it the screen says how big it must be.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The rows of the frame: top menu, body, hint line, flash line.
pub struct Layout {
    pub top: Rect,
    pub body: Rect,
    pub hint: Rect,
    pub flash: Rect,
}

pub fn layout(area: Rect) -> Layout {
    let row = |y: u16| Rect::new(area.x, y, area.width, 1);
    Layout {
        top: row(area.y),
        body: Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height.saturating_sub(3),
        ),
        hint: row(area.bottom().saturating_sub(2)),
        flash: row(area.bottom().saturating_sub(1)),
    }
}

/// Says how big the window must be, in whatever room there is.
pub fn render_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let needs = format!("admin-portal needs at least {MIN_WIDTH}x{MIN_HEIGHT}");
    // On a narrow window the size it needs must not be the part that is cut off.
    let mut lines = if needs.len() <= usize::from(area.width) {
        vec![needs]
    } else {
        vec![
            "admin-portal needs".to_string(),
            format!("at least {MIN_WIDTH}x{MIN_HEIGHT}"),
        ]
    };
    lines.push(format!("this window is {}x{}", area.width, area.height));
    lines.push("enlarge it, or q to quit".to_string());
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, text) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.bottom() {
            break;
        }
        let line = Line::styled(clip(text, area.width as usize).into_owned(), theme.warning);
        frame.render_widget(
            Paragraph::new(line).centered(),
            Rect::new(area.x, y, area.width, 1),
        );
    }
}

const APP_TITLE: &str = " admin-portal ";
/// Shows its key, as the hint line would (`a` opens the wizard from the customer list).
const ADD_LABEL: &str = " + Add (a) ";

/// Where the top line's clickable parts are: one geometry for drawing and for mouse clicks.
struct TopGeometry {
    /// Each tab with the first column and width of its label.
    tabs: Vec<(Tab, u16, u16)>,
    /// The Add button's first column and width, when the line is wide enough for it.
    add: Option<(u16, u16)>,
}

fn top_geometry(width: u16) -> TopGeometry {
    let mut x = (APP_TITLE.len() + 1) as u16;
    let mut tabs = Vec::new();
    for (i, t) in Tab::ALL.iter().enumerate() {
        let w = format!(" {} {} ", i + 1, t.title()).len() as u16;
        tabs.push((*t, x, w));
        x += w + 1;
    }
    let add_w = ADD_LABEL.len() as u16;
    let add = (width > add_w + 60).then(|| (width - add_w - 1, add_w));
    TopGeometry { tabs, add }
}

/// The application name, the top menu tabs and, on Customers, the green Add button.
pub fn render_top(frame: &mut Frame, area: Rect, tab: Tab, show_add: bool, theme: &Theme) {
    let mut spans = vec![Span::styled(APP_TITLE, theme.title), Span::raw(" ")];
    for (i, t) in Tab::ALL.iter().enumerate() {
        let style = if *t == tab {
            theme.tabs.active
        } else {
            theme.tabs.inactive
        };
        spans.push(Span::styled(format!(" {} {} ", i + 1, t.title()), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if let (true, Some((x, w))) = (
        tab == Tab::Customers && show_add,
        top_geometry(area.width).add,
    ) {
        let r = Rect::new(area.x + x, area.y, w, 1);
        frame.render_widget(Paragraph::new(Span::styled(ADD_LABEL, theme.button_add)), r);
    }
}

const READ_ONLY_MARK: &str = " READ-ONLY ";

/// `--readonly`: a mark at the right end of the top line, where the Add button would be, on every
/// screen from the first frame, so nobody types into a store that cannot take it.
pub fn render_read_only_mark(frame: &mut Frame, area: Rect, theme: &Theme) {
    let w = READ_ONLY_MARK.len() as u16;
    // Right of the tabs only: never over them on a narrow terminal.
    let tabs_end = top_geometry(area.width)
        .tabs
        .last()
        .map_or(0, |(_, x, w)| x + w);
    if area.width < tabs_end + w + 2 {
        return;
    }
    let r = Rect::new(area.x + area.width - w - 1, area.y, w, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(
            READ_ONLY_MARK,
            theme
                .warning
                .add_modifier(ratatui::style::Modifier::REVERSED),
        )),
        r,
    );
}

/// What a click on the top line hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopHit {
    Tab(Tab),
    Add,
}

/// Maps a click at `column` of the top line of a frame `width` wide.
pub fn top_hit(width: u16, column: u16) -> Option<TopHit> {
    let TopGeometry { tabs, add } = top_geometry(width);
    if let Some((x, w)) = add
        && (x..x + w).contains(&column)
    {
        return Some(TopHit::Add);
    }
    tabs.into_iter()
        .find(|(_, x, w)| (*x..*x + *w).contains(&column))
        .map(|(t, _, _)| TopHit::Tab(t))
}

pub fn render_hints(
    frame: &mut Frame,
    area: Rect,
    keymap: &Keymap,
    ctxs: &[KeyContext],
    actions: &[Action],
    theme: &Theme,
) {
    let line = help::hint_line_fitting(keymap, ctxs, actions, theme, area.width as usize);
    frame.render_widget(Paragraph::new(line), area);
}

pub fn render_flash(frame: &mut Frame, area: Rect, flash: &Flash, theme: &Theme) {
    let (style, mark): (Style, &str) = match flash.level {
        FlashLevel::Info => (theme.info, ""),
        FlashLevel::Warning => (theme.warning, "! "),
        FlashLevel::Error => (theme.error, "✖ "),
    };
    let text = format!("{mark}{}", display(&flash.text));
    let line = Line::styled(clip(&text, area.width as usize).into_owned(), style);
    frame.render_widget(Paragraph::new(line), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_on_the_top_line_hit_what_is_drawn_there() {
        // " admin-portal " + " " then " 1 Customers " at column 15.
        assert_eq!(top_hit(100, 15), Some(TopHit::Tab(Tab::Customers)));
        assert_eq!(top_hit(100, 27), Some(TopHit::Tab(Tab::Customers)));
        assert_eq!(top_hit(100, 29), Some(TopHit::Tab(Tab::Cameras)));
        assert_eq!(top_hit(100, 99 - 3), Some(TopHit::Add));
        assert_eq!(top_hit(100, 3), None);
        // Too narrow for the Add button: nothing there to click.
        assert_eq!(top_hit(66, 65), None);
        assert_eq!(top_hit(66, 51), Some(TopHit::Tab(Tab::Audit)));
    }
}
