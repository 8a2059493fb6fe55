//! What a key means. The key map turns (context, key) into one of these; screens apply it.

use serde::{Deserialize, Serialize};

/// Where a key is pressed. The key map has one table per context; the hint line and help use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyContext {
    /// Anywhere no text field has focus.
    Global,
    /// Tables: customers, cameras, plans, audit, pick lists.
    List,
    /// The customer view (sub-tabs, profile buttons).
    Customer,
    /// Forms and the wizard.
    Form,
    /// Confirmation dialogs.
    Modal,
    /// The answers of a y/N question (a [`crate::ui::modal::Confirm`], the quit and draft
    /// prompts). The question names its keys itself, so it is not in [`KeyContext::ALL`] (the
    /// help overlay).
    Question,
    /// The add-customer wizard's own keys: a step's number on the review, the leave prompt's
    /// answers.
    Wizard,
}

impl KeyContext {
    pub const ALL: [KeyContext; 6] = [
        Self::Global,
        Self::List,
        Self::Customer,
        Self::Form,
        Self::Modal,
        Self::Wizard,
    ];
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::List => "Lists",
            Self::Customer => "Customer view",
            Self::Form => "Forms and wizard",
            Self::Modal => "Dialogs",
            Self::Question => "Questions",
            Self::Wizard => "Wizard",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // Global
    Quit,
    Help,
    /// Top menu tab, 0-based.
    Tab(u8),
    Back,
    // Lists
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    Sort,
    /// `S`: the same column, the other way round.
    SortReverse,
    Open,
    Add,
    /// Space in pick lists.
    Toggle,
    /// `*` in pick lists: pick all shown.
    ToggleAll,
    /// `n`: register a new item on the spot.
    New,
    // Customer view
    PrevSubTab,
    NextSubTab,
    Edit,
    Delete,
    // Forms
    NextField,
    PrevField,
    NextStep,
    PrevStep,
    /// Enter in a form: next field, or next step on the last one.
    Submit,
    /// Save a form or popup from any field.
    Save,
    /// Restore a deleted customer from its audit entry.
    Restore,
    /// Link the selected camera to a customer.
    Link,
    /// Unlink the selected camera from its customer.
    Unlink,
    /// Disable or enable the customer (or user) shown.
    ToggleStatus,
    /// Start or stop the selected (or picked) cameras recording.
    ToggleRecording,
    /// Copy the selected customer's email (or the focused field) to the clipboard.
    Copy,
    /// Roles pane: choose the users who hold the selected role.
    AssignUsers,
    /// Users pane: deactivate the selected user, or reactivate them.
    ToggleActive,
    /// Users pane: give the selected user a new temporary password.
    ResetPassword,
    // Dialogs
    Confirm,
    Cancel,
    /// `y` to a y/N question.
    Yes,
    /// `n` to a y/N question.
    No,
    /// `r` at the start-up question: resume the saved wizard draft.
    Resume,
    /// `d` at the start-up question: discard the saved wizard draft (asked once more).
    Discard,
    /// Customer's Cameras pane: choose the selected camera's own recording plan (as `e` does).
    ChoosePlan,
    /// Wizard review: open step `n`, 1-based as the step indicator numbers them.
    GoToStep(u8),
    /// Wizard leave prompt: keep the draft and leave.
    KeepDraft,
}

impl Action {
    /// Short label for the hint line and help.
    pub fn label(self) -> String {
        match self {
            Self::Quit => "quit".into(),
            Self::Help => "help".into(),
            Self::Tab(n) => match n {
                0 => "Customers".into(),
                1 => "Cameras".into(),
                2 => "Plans".into(),
                3 => "Audit Log".into(),
                _ => format!("tab {}", n + 1),
            },
            Self::Back => "back".into(),
            Self::Up => "up".into(),
            Self::Down => "down".into(),
            Self::PageUp => "page up".into(),
            Self::PageDown => "page down".into(),
            Self::Top => "first".into(),
            Self::Bottom => "last".into(),
            Self::Filter => "filter".into(),
            Self::Sort => "sort".into(),
            Self::SortReverse => "reverse sort".into(),
            Self::Open => "open".into(),
            Self::Add => "add".into(),
            Self::Toggle => "pick".into(),
            Self::ToggleAll => "pick all".into(),
            Self::New => "new".into(),
            Self::PrevSubTab => "prev tab".into(),
            Self::NextSubTab => "next tab".into(),
            Self::Edit => "edit".into(),
            Self::Delete => "delete".into(),
            Self::NextField => "next field".into(),
            Self::PrevField => "prev field".into(),
            Self::NextStep => "next step".into(),
            Self::PrevStep => "prev step".into(),
            Self::Submit => "next".into(),
            Self::Save => "save".into(),
            Self::Restore => "restore".into(),
            Self::Link => "link".into(),
            Self::Unlink => "unlink".into(),
            Self::ToggleStatus => "disable/enable".into(),
            Self::ToggleRecording => "record on/off".into(),
            Self::Copy => "copy".into(),
            Self::AssignUsers => "assign users".into(),
            Self::ToggleActive => "deactivate/reactivate".into(),
            Self::ResetPassword => "reset password".into(),
            Self::Confirm => "confirm".into(),
            Self::Cancel => "cancel".into(),
            Self::Yes => "yes".into(),
            Self::No => "no".into(),
            Self::Resume => "resume".into(),
            Self::Discard => "discard".into(),
            Self::ChoosePlan => "camera plan".into(),
            Self::GoToStep(n) => format!("go to step {n}"),
            Self::KeepDraft => "keep draft".into(),
        }
    }

    /// Changes the store: refused by the app on a `--readonly` store (one message) and left out
    /// of its hint line.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Self::Add
                | Self::New
                | Self::Edit
                | Self::Delete
                | Self::Save
                | Self::Restore
                | Self::Link
                | Self::Unlink
                | Self::ToggleStatus
                | Self::ToggleRecording
                | Self::AssignUsers
                | Self::ToggleActive
                | Self::ResetPassword
                | Self::ChoosePlan
        )
    }

    /// The label in the help overlay: the hint's, with the one rule of pick lists spelled out
    /// (and the step keys on one row, see [`crate::keymap::Keymap::help`]).
    pub fn help_label(self) -> String {
        match self {
            Self::Toggle => "pick in place".into(),
            Self::GoToStep(_) => "go to step".into(),
            other => other.label(),
        }
    }
}
