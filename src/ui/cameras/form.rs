//! The Cameras tab's camera form: the one camera form ([`crate::ui::form::camera`]) over a
//! camera of the store (id, version read, name as stored).

use crate::domain::Id;

pub(super) type CameraForm = crate::ui::form::camera::CameraForm<(Id, i64, String)>;
