//! Start and stop recording from the keys (issue 11), as the operator sees it: the whole App
//! drawn into a TestBackend over one store; `o` is in the hint lines and the `?` help.

mod support;

use admin_portal::app::App;
use admin_portal::domain::{CameraSpec, Operator};
use admin_portal::keymap::Keymap;
use admin_portal::store::{OpenMode, Store};
use admin_portal::theme::MONO;
use ratatui::crossterm::event::KeyCode;
use support::fixture::{app_press as press, app_text, hashes, row, sample_customer};

fn op() -> Operator {
    Operator {
        login: "alice".into(),
        client: None,
    }
}

fn screen(app: &mut App) -> String {
    app_text(app, 100, 30)
}

#[test]
fn o_on_the_cameras_tab_stops_and_starts_the_selected_camera() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&dir.path().join("s.db"), OpenMode::Create).expect("store");
    let spec = |n: u8, name: &str| CameraSpec {
        name: name.into(),
        mac: format!("AA:BB:CC:00:00:{n:02X}"),
        serial: format!("SN-{n:04}"),
        ..Default::default()
    };
    let gate = store.add_camera(&spec(1, "A gate"), &op()).expect("camera");
    store
        .add_camera(&spec(2, "B spare"), &op())
        .expect("camera");
    let mut new = sample_customer("Acme Security");
    new.camera_ids.push(gate);
    store
        .create_customer(&new, &hashes(&new), &op())
        .expect("create");
    let mut app = App::new(store, Keymap::default(), &MONO, op(), None).expect("app");

    press(&mut app, KeyCode::Char('2'));
    let tab = screen(&mut app);
    assert!(
        row(&tab, "A gate").contains("● rec"),
        "linked by the wizard:\n{tab}"
    );
    assert!(
        !row(&tab, "B spare").contains("● rec"),
        "in the inventory:\n{tab}"
    );
    assert!(tab.contains("o record on/off"), "hint line:\n{tab}");

    press(&mut app, KeyCode::Char('o'));
    let tab = screen(&mut app);
    assert!(!row(&tab, "A gate").contains("● rec"), "{tab}");
    assert!(tab.contains("Camera A gate: recording stopped"), "{tab}");
    press(&mut app, KeyCode::Char('o'));
    let tab = screen(&mut app);
    assert!(row(&tab, "A gate").contains("● rec"), "{tab}");

    // The inventory camera cannot record: said, nothing changed.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('o'));
    let tab = screen(&mut app);
    assert!(tab.contains("B spare is in the inventory"), "{tab}");
    assert!(!row(&tab, "B spare").contains("● rec"), "{tab}");

    press(&mut app, KeyCode::Char('?'));
    let help = screen(&mut app);
    assert!(row(&help, "record on/off").contains('o'), "{help}");
}
