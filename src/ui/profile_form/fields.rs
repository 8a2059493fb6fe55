//! The fields of the form: a widget, its section, its error; and where each is placed.

use super::*;

/// The value of an option of any choice list of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Opt {
    Kind(CustomerType),
    Id(Option<Id>),
    Code(String),
    Terms(PaymentTerms),
}

#[derive(Debug, Clone)]
pub(super) enum Widget {
    Text(TextField),
    Check(Checkbox),
    Choice(Choice<Opt>),
}

#[derive(Debug, Clone)]
pub(super) struct Field {
    pub(super) section: Section,
    pub(super) widget: Widget,
    /// Skipped by the focus and drawn greyed (parent of a sub-integrator, billing address
    /// that follows the company's).
    pub(super) disabled: Option<&'static str>,
}

impl Field {
    pub(super) fn new(section: Section, widget: Widget) -> Self {
        Self {
            section,
            widget,
            disabled: None,
        }
    }

    pub(super) fn key(&self) -> &'static str {
        match &self.widget {
            Widget::Text(t) => t.key,
            Widget::Check(c) => c.key,
            Widget::Choice(c) => c.key,
        }
    }

    pub(super) fn label(&self) -> &'static str {
        match &self.widget {
            Widget::Text(t) => t.label,
            Widget::Check(c) => c.label,
            Widget::Choice(c) => c.label,
        }
    }

    /// Rows at `width` columns: a message under the field wraps.
    pub(super) fn height(&self, width: u16) -> u16 {
        match &self.widget {
            Widget::Text(t) => t.height_in(width),
            Widget::Check(c) => c.height(),
            Widget::Choice(_) if self.disabled.is_some() => 2,
            Widget::Choice(c) => c.height_in(width),
        }
    }

    pub(super) fn error(&self) -> Option<&str> {
        match &self.widget {
            Widget::Text(t) => t.error.as_deref(),
            Widget::Check(_) => None,
            Widget::Choice(c) => c.error.as_deref(),
        }
    }

    pub(super) fn set_error(&mut self, error: Option<String>) {
        match &mut self.widget {
            Widget::Text(t) => t.error = error,
            Widget::Check(_) => {}
            Widget::Choice(c) => c.error = error,
        }
    }

    /// Whether the operator has put anything in it (leaving an untouched empty field does not
    /// complain about it yet).
    pub(super) fn is_blank(&self) -> bool {
        match &self.widget {
            Widget::Text(t) => t.value().trim().is_empty(),
            Widget::Check(_) => false,
            Widget::Choice(c) => c.selected.is_none(),
        }
    }
}

/// Where one item of a section lies, in rows from the top of the section.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    /// Index into `fields`; `None` for the estimate line.
    pub(super) field: Option<usize>,
    pub(super) x: u16,
    pub(super) y: u16,
    pub(super) width: u16,
    pub(super) height: u16,
}
