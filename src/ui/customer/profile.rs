//! The Account Profile pane: the Customer Status section with its buttons at the top, then every
//! field of the customer in the wizard's sections, two columns when the area is wide enough,
//! scrollable.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::domain::bill::Bill;
use crate::domain::{Address, Customer, Id, Plan, Status};
use crate::store::{Result, Store};
use crate::theme::Theme;
use crate::ui::form::{clip, display, draw_line, section_title};
use crate::ui::modal::wrap;

/// Narrower than this, the sections are stacked in one column.
const TWO_COLUMNS_FROM: u16 = 96;

/// What the profile shows beyond the customer itself.
#[derive(Debug, Clone, Default)]
pub struct ProfileData {
    pub parent: Option<String>,
    /// The customer's recording plan.
    pub default_plan: Option<Plan>,
    /// The sum over its cameras of each camera's plan.
    pub bill: Bill,
}

impl ProfileData {
    pub fn load(store: &Store, customer: &Customer) -> Result<ProfileData> {
        let p = &customer.profile;
        let plan = |id: Option<Id>| -> Result<Option<Plan>> {
            match id {
                Some(id) => store.plan(id),
                None => Ok(None),
            }
        };
        let parent = match p.parent_id {
            Some(id) => store.customer(id)?.map(|c| c.name().to_string()),
            None => None,
        };
        Ok(ProfileData {
            parent,
            default_plan: plan(p.defaults.default_plan_id)?,
            bill: store.monthly_bill(customer)?,
        })
    }
}

/// The buttons of the Customer Status section, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusButton {
    Disable,
    Delete,
}

/// Scroll and focus of the pane.
#[derive(Debug, Clone, Default)]
pub struct ProfilePane {
    /// The first row shown, clamped by the last draw, where the height is known.
    scroll: Cell<usize>,
    focus: Option<StatusButton>,
    /// Rows shown at the last draw, for PgUp/PgDn.
    page: Cell<usize>,
    /// Bring the buttons into view at the next draw (focus just moved there).
    reveal_buttons: Cell<bool>,
    /// The store is read-only: the Disable/Enable and Delete buttons are not shown.
    read_only: bool,
}

impl ProfilePane {
    pub fn focus(&self) -> Option<StatusButton> {
        self.focus
    }

    /// On a read-only store there are no buttons to focus.
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only;
        if read_only {
            self.focus = None;
        }
    }

    /// Tab: no focus -> Disable -> Delete -> Disable ...
    pub fn focus_next(&mut self) {
        if self.read_only {
            return;
        }
        self.focus = Some(match self.focus {
            Some(StatusButton::Disable) => StatusButton::Delete,
            _ => StatusButton::Disable,
        });
        self.reveal_buttons.set(true);
    }

    /// Shift-Tab: no focus -> Delete -> Disable -> Delete ...
    pub fn focus_prev(&mut self) {
        if self.read_only {
            return;
        }
        self.focus = Some(match self.focus {
            Some(StatusButton::Delete) => StatusButton::Disable,
            _ => StatusButton::Delete,
        });
        self.reveal_buttons.set(true);
    }

    /// Applies a scroll action; false for actions that are not one.
    pub fn apply(&mut self, action: Action) -> bool {
        let page = self.page.get().max(1);
        let scroll = self.scroll.get();
        self.scroll.set(match action {
            Action::Up => scroll.saturating_sub(1),
            Action::Down => scroll.saturating_add(1),
            Action::PageUp => scroll.saturating_sub(page),
            Action::PageDown => scroll.saturating_add(page),
            Action::Top => 0,
            Action::Bottom => usize::MAX,
            _ => return false,
        });
        true
    }

    /// Draws the pane; the scroll is clamped here, where the height is known.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        customer: &Customer,
        data: &ProfileData,
        theme: &Theme,
    ) {
        let area = area.intersection(frame.area());
        if area.is_empty() {
            return;
        }
        let focus = (!self.read_only).then_some(self.focus).flatten();
        let rows = layout_rows(customer, data, area.width, focus, self.read_only, theme);
        let height = usize::from(area.height);
        self.page.set(height);
        let max_scroll = rows.len().saturating_sub(height);
        let mut scroll = self.scroll.get();
        if self.reveal_buttons.replace(false)
            && let Some(at) = rows.iter().position(|r| r.buttons)
        {
            scroll = scroll.max((at + 1).saturating_sub(height)).min(at);
        }
        let scroll = scroll.min(max_scroll);
        self.scroll.set(scroll);
        let buf = frame.buffer_mut();
        for (i, row) in rows.iter().skip(scroll).take(height).enumerate() {
            let y = area.y + i as u16;
            for (x, line) in &row.cells {
                let cell = Rect::new(area.x + x, y, area.width.saturating_sub(*x), 1);
                draw_line(buf, cell, y, line);
            }
        }
        if max_scroll > 0 && area.width > 2 {
            let more = match (scroll > 0, scroll < max_scroll) {
                (true, true) => "↑↓",
                (true, false) => "↑",
                _ => "↓",
            };
            let x = area.right() - more.width() as u16;
            draw_line(
                buf,
                Rect::new(x, area.y, area.right() - x, 1),
                area.y,
                &Line::styled(more, theme.muted),
            );
        }
    }
}

/// One screen row: lines placed at column offsets.
struct ScreenRow {
    cells: Vec<(u16, Line<'static>)>,
    buttons: bool,
}

/// An item of a section, before it is placed.
enum Item {
    Title(&'static str),
    Field(&'static str, Value),
    Blank,
}

/// A value: stored text (made safe when drawn), cut to one row or, for notes, broken over
/// several; or the muted "—" of an empty one.
enum Value {
    Text(String),
    Long(String),
    Empty,
}

fn text(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::Empty
    } else {
        Value::Text(s.to_string())
    }
}

fn long_text(s: &str) -> Value {
    match text(s) {
        Value::Text(s) => Value::Long(s),
        other => other,
    }
}

fn yes_no(b: bool) -> Value {
    Value::Text(if b { "Yes" } else { "No" }.into())
}

fn contact_items(customer: &Customer, data: &ProfileData) -> Vec<Item> {
    let p = &customer.profile;
    let c = &p.contact;
    // The type's one word, as the list, the wizard and the title show it.
    let kind = p.kind.label();
    let mut items = vec![
        Item::Title("Contact"),
        Item::Field("Type", text(kind)),
        Item::Field("Parent", data.parent.as_deref().map_or(Value::Empty, text)),
        Item::Field("Company name", text(&c.company)),
        Item::Field(
            "Contact person",
            text(&format!("{} {}", c.first_name, c.last_name)),
        ),
        Item::Field("Email", text(&c.email)),
        Item::Field("Phone", text(&c.phone)),
    ];
    items.extend(address_items(&c.address, "Street address"));
    items.extend([
        Item::Field("Time zone", text(&c.time_zone)),
        Item::Field("Reference number", text(&c.reference)),
        Item::Field("Notes", long_text(&c.notes)),
    ]);
    items
}

fn address_items(a: &Address, street_label: &'static str) -> Vec<Item> {
    let country = crate::assets::country_name(&a.country)
        .map(str::to_string)
        .unwrap_or_else(|| a.country.clone());
    vec![
        Item::Field(street_label, text(&a.line1)),
        Item::Field("Address line 2", text(&a.line2)),
        Item::Field("City", text(&a.city)),
        Item::Field("State/Province", text(&a.state)),
        Item::Field("Postal code", text(&a.postal_code)),
        Item::Field("Country", text(&country)),
    ]
}

fn settings_items(customer: &Customer, data: &ProfileData) -> Vec<Item> {
    let p = &customer.profile;
    let mut items = vec![
        Item::Title("Default Settings"),
        Item::Field(
            "Disable admin portal",
            yes_no(p.defaults.disable_admin_portal),
        ),
        Item::Field(
            "Disable camera share",
            yes_no(p.defaults.disable_camera_share),
        ),
        Item::Field("Recording plan", plan_value(data.default_plan.as_ref())),
        Item::Blank,
        Item::Title("User Creation Settings"),
        Item::Field("Must confirm email", yes_no(p.user_creation.confirm_email)),
        Item::Field(
            "Must change password",
            yes_no(p.user_creation.change_password),
        ),
        Item::Blank,
    ];
    items.extend(billing_items(customer, data));
    items
}

fn billing_items(customer: &Customer, data: &ProfileData) -> Vec<Item> {
    let b = &customer.profile.billing;
    let mut items = vec![Item::Title("Billing")];
    if b.same_as_company {
        items.push(Item::Field(
            "Billing address",
            text("Same as company address"),
        ));
    } else {
        items.extend(address_items(&b.address, "Billing address"));
    }
    items.extend([
        Item::Field("Billing contact", text(&b.contact)),
        Item::Field("Billing email", text(&b.email)),
        Item::Field("Billing phone", text(&b.phone)),
        Item::Field("Tax ID", text(&b.tax_id)),
        Item::Field("Tax exempt", yes_no(b.tax_exempt)),
        Item::Field("Payment terms", text(b.terms.label())),
        Item::Field("Monthly estimate", text(&data.bill.total())),
    ]);
    // The sum over the cameras, one line per plan.
    items.extend(
        data.bill
            .terms(false)
            .iter()
            .map(|t| Item::Field("", text(t))),
    );
    items
}

fn plan_value(plan: Option<&Plan>) -> Value {
    plan.map_or(Value::Empty, |p| text(&p.name))
}

/// Geometry of one column: where it starts, how wide, and how wide its labels are.
#[derive(Clone, Copy)]
struct Column {
    x: u16,
    width: u16,
    label: u16,
}

impl Column {
    /// A column whose labels are as wide as the longest of `items` plus a gap, and never more
    /// than half of the column.
    fn new(x: u16, width: u16, items: &[Item]) -> Self {
        let longest = items
            .iter()
            .filter_map(|item| match item {
                Item::Field(label, _) => Some(label.width()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let label = u16::try_from(longest + 2).unwrap_or(u16::MAX);
        Self {
            x,
            width,
            label: label.min(width / 2),
        }
    }
}

/// Places each item of a column on rows; long values (notes) continue on further rows.
fn place(items: &[Item], col: Column, theme: &Theme) -> Vec<Line<'static>> {
    let value_width = usize::from(col.width.saturating_sub(col.label));
    let mut lines = Vec::new();
    for item in items {
        match item {
            Item::Title(t) => lines.push(section_title(t, theme)),
            Item::Blank => lines.push(Line::default()),
            Item::Field(label, value) => {
                let label_span = label_span(label, col, theme);
                let values = match value {
                    Value::Empty => vec![Span::styled("—", theme.muted)],
                    Value::Text(s) => vec![Span::raw(clip(&display(s), value_width).into_owned())],
                    Value::Long(s) => value_lines(s, value_width),
                };
                for (i, span) in values.into_iter().enumerate() {
                    let first = if i == 0 {
                        label_span.clone()
                    } else {
                        Span::raw(" ".repeat(usize::from(col.label)))
                    };
                    lines.push(Line::from(vec![first, span]));
                }
            }
        }
    }
    lines
}

/// A field's label, padded to the column's label width.
fn label_span(label: &str, col: Column, theme: &Theme) -> Span<'static> {
    let label_text = clip(label, usize::from(col.label.saturating_sub(1)));
    let pad = usize::from(col.label).saturating_sub(label_text.width());
    Span::styled(format!("{label_text}{}", " ".repeat(pad)), theme.muted)
}

/// A stored value made safe and broken to the width; at most 8 rows, the last cut with "…".
fn value_lines(s: &str, width: usize) -> Vec<Span<'static>> {
    const MAX_ROWS: usize = 8;
    let safe = display(s);
    let mut rows = wrap(&safe, width.max(1));
    if rows.len() > MAX_ROWS {
        rows.truncate(MAX_ROWS);
        if let Some(last) = rows.last_mut() {
            *last = format!("{}…", clip(last, width.saturating_sub(1)));
        }
    }
    if rows.is_empty() {
        rows.push(String::new());
    }
    rows.into_iter().map(Span::raw).collect()
}

fn status_rows(
    customer: &Customer,
    focus: Option<StatusButton>,
    read_only: bool,
    col: Column,
    theme: &Theme,
) -> Vec<ScreenRow> {
    let status = match customer.status {
        Status::Active => Span::styled("Active", theme.info),
        Status::Disabled => Span::styled("Disabled", theme.warning),
    };
    let mut status_line = Line::from(vec![label_span("Status", col, theme), status]);
    if customer.disabled_by_parent {
        status_line
            .spans
            .push(Span::styled(" (with its sub-integrator)", theme.muted));
    }
    let button =
        |which: StatusButton, label: &str, style: Style, mark: &str| -> Vec<Span<'static>> {
            let focused = focus == Some(which);
            let style = if focused {
                style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            } else {
                style
            };
            vec![
                Span::styled(theme.mark(theme.focus_symbol, focused), theme.focus),
                Span::styled(format!("{mark}[ {label} ]"), style),
                Span::raw("  "),
            ]
        };
    let toggle = match customer.status {
        Status::Active => "Disable",
        Status::Disabled => "Enable",
    };
    let mut buttons = button(StatusButton::Disable, toggle, theme.button, "");
    buttons.extend(button(
        StatusButton::Delete,
        "Delete",
        theme.button_danger,
        theme.danger_symbol,
    ));
    if read_only {
        buttons = vec![
            Span::raw(theme.blank_symbol),
            Span::styled("read-only store: no changes here", theme.muted),
        ];
    }
    let one = |line: Line<'static>, is_buttons: bool| ScreenRow {
        cells: vec![(0, line)],
        buttons: is_buttons,
    };
    vec![
        one(section_title("Customer Status", theme), false),
        one(status_line, false),
        one(Line::from(buttons), true),
    ]
}

/// Every row of the pane for this width.
fn layout_rows(
    customer: &Customer,
    data: &ProfileData,
    width: u16,
    focus: Option<StatusButton>,
    read_only: bool,
    theme: &Theme,
) -> Vec<ScreenRow> {
    let left_items = contact_items(customer, data);
    let right_items = settings_items(customer, data);
    let mut rows: Vec<ScreenRow> = Vec::new();
    let status_col;
    if width >= TWO_COLUMNS_FROM {
        let half = (width - 2) / 2;
        let left_col = Column::new(0, half, &left_items);
        status_col = Column { width, ..left_col };
        let left = place(&left_items, left_col, theme);
        let right_col = Column::new(half + 2, width - half - 2, &right_items);
        let right = place(&right_items, right_col, theme);
        for i in 0..left.len().max(right.len()) {
            let mut cells = Vec::new();
            if let Some(l) = left.get(i) {
                cells.push((0, clip_line(l, half)));
            }
            if let Some(r) = right.get(i) {
                cells.push((right_col.x, r.clone()));
            }
            rows.push(ScreenRow {
                cells,
                buttons: false,
            });
        }
    } else {
        let mut items = left_items;
        items.push(Item::Blank);
        items.extend(right_items);
        let col = Column::new(0, width, &items);
        status_col = col;
        for line in place(&items, col, theme) {
            rows.push(ScreenRow {
                cells: vec![(0, line)],
                buttons: false,
            });
        }
    }
    // Status and its buttons (the red Delete) come first, so they are on screen when the
    // profile opens at any size, without scrolling.
    let mut top = status_rows(customer, focus, read_only, status_col, theme);
    top.push(ScreenRow {
        cells: vec![],
        buttons: false,
    });
    top.extend(rows);
    top
}

/// The left column's line, cut so it never runs into the right column.
fn clip_line(line: &Line<'static>, width: u16) -> Line<'static> {
    let mut room = usize::from(width);
    let mut spans = Vec::new();
    for span in &line.spans {
        let cut = clip(&span.content, room).into_owned();
        room = room.saturating_sub(cut.width());
        spans.push(Span::styled(cut, span.style));
        if room == 0 {
            break;
        }
    }
    Line::from(spans)
}
