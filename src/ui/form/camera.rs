//! The camera form: name, MAC address, serial number, model and location of one camera. One
//! form for the Cameras tab and the wizard's cameras step, generic over what saving needs to
//! find the camera again ([`CameraEdit`]); what differs between the two is in its
//! [`CameraFormStyle`]. It runs on the popup engine ([`PopupForm`]); checking and saving stay
//! with the caller (the form answers [`crate::ui::component::Effect::Answered`]`(true)`).

use crate::domain::CameraSpec;
use crate::domain::Id;
use crate::domain::validate::{field, max_len};
use crate::ui::form::TextField;
use crate::ui::form::popup::{FormField, PopupForm};

/// The keys of the form's fields, in order.
pub(crate) const FIELDS: [&str; 5] = [
    field::CAMERA_NAME,
    field::CAMERA_MAC,
    field::CAMERA_SERIAL,
    field::CAMERA_MODEL,
    field::CAMERA_LOCATION,
];

/// What differs between the Cameras tab's form and the wizard's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CameraFormStyle {
    /// The title of a form for a new camera.
    pub new_title: &'static str,
    /// Esc on a changed form asks before it throws typed input away (else it closes).
    pub asks_discard: bool,
    /// The footer names Ctrl-S with this word instead of marking a changed form.
    pub save_word: Option<&'static str>,
}

/// What a camera form edits: how an edited camera is found again, and how the form reads.
pub(crate) trait CameraEdit {
    const STYLE: CameraFormStyle;
    /// The title of the form editing this camera.
    fn title(&self) -> String;
}

/// A camera of the store, as the Cameras tab edits it: id, version read, name as stored.
impl CameraEdit for (Id, i64, String) {
    const STYLE: CameraFormStyle = CameraFormStyle {
        new_title: "Register a camera",
        asks_discard: true,
        save_word: None,
    };
    fn title(&self) -> String {
        format!("Edit camera {}", self.2)
    }
}

/// The camera form of a camera `E`; `editing` is `None` for a new camera.
pub(crate) struct CameraForm<E> {
    pub(crate) editing: Option<E>,
    pub(crate) form: PopupForm,
}

impl<E: CameraEdit> CameraForm<E> {
    pub(crate) fn new(editing: Option<E>, spec: &CameraSpec) -> Self {
        let style = E::STYLE;
        let title = editing
            .as_ref()
            .map_or_else(|| style.new_title.to_string(), CameraEdit::title);
        let text = |key: &'static str, label: &'static str, max: usize, value: &str| {
            TextField::new(key, label).max_chars(max).with_value(value)
        };
        let fields = vec![
            text(FIELDS[0], "Name", max_len::CAMERA_NAME, &spec.name).required(),
            text(FIELDS[1], "MAC address", max_len::MAC + 8, &spec.mac).required(),
            text(FIELDS[2], "Serial number", max_len::SERIAL, &spec.serial).required(),
            text(FIELDS[3], "Model", max_len::MODEL, &spec.model),
            text(FIELDS[4], "Location", max_len::LOCATION, &spec.location),
        ];
        let mut form = PopupForm::new(title, fields.into_iter().map(FormField::Text).collect());
        form.asks_discard = style.asks_discard;
        form.save_word = style.save_word;
        Self { editing, form }
    }

    /// The camera as typed.
    pub(crate) fn spec(&self) -> CameraSpec {
        let f = &self.form;
        CameraSpec {
            name: f.text(field::CAMERA_NAME).to_string(),
            mac: f.text(field::CAMERA_MAC).to_string(),
            serial: f.text(field::CAMERA_SERIAL).to_string(),
            model: f.text(field::CAMERA_MODEL).to_string(),
            location: f.text(field::CAMERA_LOCATION).to_string(),
        }
    }
}
