//! The link popup of the customer's Cameras pane: the unlinked inventory, a filter, and the
//! picks.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table};

use super::table::{camera_cells, fitted_widths};
use super::{POPUP_KEYS, TableScroll, error};
use crate::action::Action;
use crate::domain::{Camera, Id};
use crate::keymap::Keymap;
use crate::store::StoreError;
use crate::theme::Theme;
use crate::ui::component::{Ctx, Effect, Flash};
use crate::ui::form::popup::popup_frame;
use crate::ui::form::{TextField, clip, draw_line};

/// The most unlinked cameras the link popup lists at once; the filter narrows them.
const LINK_LIMIT: i64 = 500;

/// The link popup: the unlinked inventory, a filter, and the picks.
pub(super) struct LinkPicker {
    pub(super) filter: TextField,
    /// The filter field has the keys.
    pub(super) filtering: bool,
    shown: Vec<Camera>,
    scroll: TableScroll,
    pub(super) picked: BTreeSet<Id>,
}

/// "Space pick · * pick all" from the key map, so the popup never names a key that does not work.
fn key_hints(keymap: &Keymap, items: &[(Action, &str)]) -> String {
    items
        .iter()
        .filter_map(|(action, label)| {
            let mut keys: Vec<String> = Vec::new();
            for key in POPUP_KEYS
                .iter()
                .flat_map(|ctx| keymap.keys_for(*ctx, *action))
            {
                let key = key.to_string();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            (!keys.is_empty()).then(|| format!("{} {label}", keys.join("/")))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

impl LinkPicker {
    pub(super) fn new() -> Self {
        LinkPicker {
            filter: TextField::new("filter", "Filter").max_chars(60),
            filtering: false,
            shown: Vec::new(),
            scroll: TableScroll::default(),
            picked: BTreeSet::new(),
        }
    }

    pub(super) fn load(&mut self, ctx: &mut Ctx) -> Result<(), StoreError> {
        self.shown = ctx
            .store
            .unlinked_cameras(self.filter.value(), LINK_LIMIT)?;
        let len = self.shown.len();
        let at = self.scroll.selected().unwrap_or(0);
        self.scroll.select((len > 0).then(|| at.min(len - 1)));
        Ok(())
    }

    pub(super) fn refilter(&mut self, ctx: &mut Ctx) -> Effect {
        self.scroll.select(Some(0));
        match self.load(ctx) {
            Ok(()) => Effect::Done,
            Err(e) => error(&e),
        }
    }

    /// The picked cameras, once the popup answered [`Effect::Answered`]`(true)`; they stay
    /// picked, for a link the store refuses.
    pub(super) fn chosen(&self) -> Vec<Id> {
        self.picked.iter().copied().collect()
    }

    /// `action`: the key looked up in the popup's contexts (the filter field's while it has
    /// the focus). Closed: [`Effect::Answered`]`(true)` to link the picks
    /// ([`LinkPicker::chosen`]), `Answered(false)` to cancel.
    pub(super) fn handle_key(
        &mut self,
        key: &KeyEvent,
        action: Option<Action>,
        ctx: &mut Ctx,
    ) -> Effect {
        if self.filtering {
            return self.filter_key(key, action, ctx);
        }
        let Some(action) = action else {
            return Effect::Done;
        };
        match action {
            Action::Cancel | Action::Back => Effect::Answered(false),
            Action::Filter => {
                self.filtering = true;
                Effect::Done
            }
            Action::Toggle => {
                if let Some(id) = self
                    .scroll
                    .selected()
                    .and_then(|i| self.shown.get(i))
                    .map(|c| c.id)
                    && !self.picked.remove(&id)
                {
                    self.picked.insert(id);
                }
                // Every pick list: Space picks and the cursor stays (see the help).
                Effect::Done
            }
            Action::ToggleAll => {
                let shown: BTreeSet<Id> = self.shown.iter().map(|c| c.id).collect();
                if shown.is_subset(&self.picked) {
                    self.picked.retain(|id| !shown.contains(id));
                } else {
                    self.picked.extend(shown);
                }
                Effect::Done
            }
            Action::Open | Action::Save | Action::Submit => {
                if self.picked.is_empty() {
                    Effect::Flash(Flash::info(
                        "Pick cameras with Space (or * for all shown), then Enter",
                    ))
                } else {
                    Effect::Answered(true)
                }
            }
            other => {
                self.scroll.move_in(self.shown.len(), 10, other);
                Effect::Done
            }
        }
    }

    /// Keys while the filter field has focus: Enter keeps the filter, Esc clears it.
    fn filter_key(&mut self, key: &KeyEvent, action: Option<Action>, ctx: &mut Ctx) -> Effect {
        match action {
            Some(Action::Submit | Action::NextField) => {
                self.filtering = false;
                Effect::Done
            }
            Some(Action::Cancel) => {
                self.filtering = false;
                self.filter.set_value("");
                self.refilter(ctx)
            }
            _ => {
                let before = self.filter.value().to_string();
                if self.filter.handle_key(key) && self.filter.value() != before {
                    self.refilter(ctx)
                } else {
                    Effect::Done
                }
            }
        }
    }

    pub(super) fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        customer: &str,
        theme: &Theme,
        keymap: &Keymap,
    ) {
        let width = area.width.saturating_sub(4).max(area.width.min(40));
        let height = area.height.saturating_sub(2).max(area.height.min(8));
        let title = format!("Link cameras to {customer}");
        let Some(inner) = popup_frame(
            frame,
            area,
            width,
            height.saturating_sub(2),
            &title,
            theme.modal_border,
        ) else {
            return;
        };
        let field = Rect::new(inner.x, inner.y, inner.width, 2.min(inner.height));
        let cursor = self
            .filter
            .draw(frame.buffer_mut(), field, self.filtering, theme);
        if self.filtering
            && let Some(position) = cursor
        {
            frame.set_cursor_position(position);
        }
        let footer_y = inner.bottom().saturating_sub(1);
        let hints = if self.filtering {
            "Enter keep filter · Esc clear filter".to_string()
        } else {
            key_hints(
                keymap,
                &[
                    (Action::Toggle, "pick"),
                    (Action::ToggleAll, "pick all"),
                    (Action::Filter, "filter"),
                    (Action::Save, "link"),
                    (Action::Cancel, "cancel"),
                ],
            )
        };
        let status = format!(
            "{} shown{} · {} picked",
            self.shown.len(),
            if self.shown.len() as i64 >= LINK_LIMIT {
                " (filter to narrow)"
            } else {
                ""
            },
            self.picked.len()
        );
        let width = usize::from(inner.width);
        if inner.height >= 5 {
            let line = Line::styled(clip(&status, width).into_owned(), theme.info);
            draw_line(frame.buffer_mut(), inner, footer_y.saturating_sub(1), &line);
        }
        let line = Line::styled(clip(&hints, width).into_owned(), theme.muted);
        draw_line(frame.buffer_mut(), inner, footer_y, &line);
        let top = inner.y + 2;
        let bottom = footer_y.saturating_sub(if inner.height >= 5 { 1 } else { 0 });
        if bottom <= top {
            return;
        }
        let body = Rect::new(inner.x, top, inner.width, bottom - top);
        if self.shown.is_empty() {
            let text = if self.filter.value().is_empty() {
                "The inventory has no unlinked cameras."
            } else {
                "No unlinked camera matches the filter."
            };
            let line = Line::from(Span::styled(clip(text, width).into_owned(), theme.muted));
            draw_line(frame.buffer_mut(), body, body.y, &line);
            return;
        }
        let widths = [
            Constraint::Length(3),
            Constraint::Fill(3),
            Constraint::Length(17),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Fill(2),
        ];
        let fitted = fitted_widths(&widths, body.width, theme);
        let rows = self.shown.iter().map(|c| {
            let mark = if self.picked.contains(&c.id) {
                "[x]"
            } else {
                "[ ]"
            };
            Row::new(camera_cells(mark, c, true, &fitted))
        });
        let header = ["", "Name", "MAC", "Serial", "Model", "Location"];
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(theme.table.header))
            .style(theme.table.row)
            .row_highlight_style(theme.table.selected)
            .highlight_symbol(theme.selection_symbol);
        self.scroll.render(frame, table, body);
    }
}
