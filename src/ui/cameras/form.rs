//! The Cameras tab's camera form: register or edit one camera in a popup.

use crate::domain::CameraSpec;
use crate::domain::Id;
use crate::domain::validate::{field, max_len};
use crate::ui::form::TextField;
use crate::ui::form::popup::{FormField, PopupForm};

pub(super) struct CameraForm {
    /// The camera being edited: id, version read, name as stored; `None` for a new one.
    pub(super) editing: Option<(Id, i64, String)>,
    pub(super) form: PopupForm,
}

impl CameraForm {
    pub(super) fn new(editing: Option<(Id, i64, String)>, spec: &CameraSpec) -> Self {
        let title = match &editing {
            Some((_, _, name)) => format!("Edit camera {name}"),
            None => "Register a camera".into(),
        };
        let fields = vec![
            FormField::Text(
                TextField::new(field::CAMERA_NAME, "Name")
                    .required()
                    .max_chars(max_len::CAMERA_NAME)
                    .with_value(&spec.name),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_MAC, "MAC address")
                    .required()
                    .max_chars(max_len::MAC + 8)
                    .with_value(&spec.mac),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_SERIAL, "Serial number")
                    .required()
                    .max_chars(max_len::SERIAL)
                    .with_value(&spec.serial),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_MODEL, "Model")
                    .max_chars(max_len::MODEL)
                    .with_value(&spec.model),
            ),
            FormField::Text(
                TextField::new(field::CAMERA_LOCATION, "Location")
                    .max_chars(max_len::LOCATION)
                    .with_value(&spec.location),
            ),
        ];
        Self {
            editing,
            form: PopupForm::new(title, fields),
        }
    }

    pub(super) fn spec(&self) -> CameraSpec {
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
