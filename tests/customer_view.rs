//! The customer view over a temporary store: what it draws (snapshots) and what its keys do.

mod support;

use admin_portal::app::Effect;
use admin_portal::app::press as hand;
use admin_portal::domain::{
    Address, Billing, CustomerType, DefaultSettings, Id, NewCustomer, Operator, PaymentTerms,
};
use admin_portal::theme::{COLOR, MONO, Theme};
use admin_portal::ui::component::Component;
use admin_portal::ui::customer::{CustomerView, StatusButton, SubTab};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use support::fixture::*;

const FIXED_TIME: &str = "2024-05-01T09:30:00Z";

impl Env {
    fn plan(&self) -> Id {
        self.plan_row("Standard 30", 1299, FIXED_TIME)
    }

    fn camera(&self, name: &str, mac: &str, serial: &str) -> Id {
        self.camera_row(name, mac, serial, FIXED_TIME)
    }

    /// Creates a customer; audit times are fixed so snapshots do not change with the clock.
    fn create(&mut self, new: &NewCustomer) -> Id {
        let op = self.operator.clone();
        let id = self
            .store
            .create_customer(new, &hashes(new), &op)
            .expect("create")
            .id;
        self.sql(&format!(
            "UPDATE audit SET at = '{FIXED_TIME}'; UPDATE customers SET created_at = '{FIXED_TIME}', updated_at = '{FIXED_TIME}'"
        ));
        id
    }

    /// Acme Security: a plan, two linked cameras, Owner and Admin, two users.
    fn acme(&mut self) -> Id {
        let plan = self.plan();
        let cams = vec![
            self.camera("Front door", "AA:BB:CC:00:00:01", "SN-0001"),
            self.camera("Loading dock", "AA:BB:CC:00:00:02", "SN-0002"),
        ];
        self.camera("Spare", "AA:BB:CC:00:00:03", "SN-0003");
        let mut new = new_customer("Acme Security", CustomerType::Customer, None);
        new.profile.defaults.default_plan_id = Some(plan);
        new.camera_ids = cams;
        self.create(&new)
    }

    fn open(&mut self, id: Id) -> CustomerView {
        let mut ctx = self.ctx();
        CustomerView::open(id, &mut ctx).expect("open")
    }

    fn key(&mut self, view: &mut CustomerView, code: KeyCode) -> Effect {
        let mut ctx = self.ctx();
        hand(view, &press(code), &mut ctx)
    }

    fn type_text(&mut self, view: &mut CustomerView, text: &str) {
        for c in text.chars() {
            assert_eq!(self.key(view, KeyCode::Char(c)), Effect::Done, "{c:?}");
        }
    }

    fn draw(
        &self,
        view: &mut CustomerView,
        theme: &Theme,
        width: u16,
        height: u16,
    ) -> Terminal<TestBackend> {
        render(width, height, |frame| {
            view.before_draw(frame.area());
            view.render(frame, frame.area(), theme, &self.keymap)
        })
    }

    fn screen(&self, view: &mut CustomerView) -> String {
        buffer_text(self.draw(view, &COLOR, 100, 30).backend().buffer())
    }
}

/// The sample customer with every optional field filled and camera share disabled.
fn new_customer(name: &str, kind: CustomerType, parent_id: Option<Id>) -> NewCustomer {
    let slug = slug(name);
    let mut new = sample_customer(name);
    let profile = &mut new.profile;
    profile.kind = kind;
    profile.parent_id = parent_id;
    profile.contact.address.line2 = "Building B".into();
    profile.contact.address.state = "Île-de-France".into();
    profile.contact.reference = "ACME-42".into();
    profile.contact.notes = "Night guard on site from 22:00.".into();
    profile.defaults = DefaultSettings {
        disable_admin_portal: false,
        disable_camera_share: true,
        default_plan_id: None,
    };
    profile.user_creation.change_password = false;
    profile.billing = Billing {
        same_as_company: true,
        contact: "Accounts Payable".into(),
        email: format!("billing@{slug}.example.com"),
        phone: "+33 1 98 76 54 32".into(),
        address: Address::default(),
        tax_id: "FR12345678901".into(),
        tax_exempt: false,
        terms: PaymentTerms::Net30,
    };
    new
}

/// Where `needle` starts on screen (column, row), by cells.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let first = needle.chars().next()?.to_string();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            if buf[(x, y)].symbol() != first {
                continue;
            }
            let found = needle.chars().enumerate().all(|(i, c)| {
                x + (i as u16) < buf.area.width && buf[(x + i as u16, y)].symbol() == c.to_string()
            });
            if found {
                return Some((x, y));
            }
        }
    }
    None
}

// --- what is drawn ----------------------------------------------------------------------------

#[test]
fn account_profile_snapshot() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    insta::assert_snapshot!("profile_color", f.screen(&mut view));
}

#[test]
fn account_profile_at_80_columns_is_one_column_and_scrolls() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    let top = buffer_text(f.draw(&mut view, &COLOR, 80, 24).backend().buffer());
    assert!(top.contains("Contact"), "{top}");
    f.key(&mut view, KeyCode::Char('G'));
    let bottom = buffer_text(f.draw(&mut view, &COLOR, 80, 24).backend().buffer());
    assert!(bottom.contains("Monthly estimate"), "{bottom}");
    insta::assert_snapshot!("profile_80x24_bottom", bottom);
}

#[test]
fn status_and_delete_are_on_screen_when_the_profile_opens() {
    let mut f = Env::new();
    let id = f.acme();
    for (w, h) in [(80, 24), (100, 30), (200, 50)] {
        let mut view = f.open(id);
        let screen = buffer_text(f.draw(&mut view, &COLOR, w, h).backend().buffer());
        assert!(screen.contains("Customer Status"), "{w}x{h}:\n{screen}");
        assert!(screen.contains("[ Delete ]"), "{w}x{h}:\n{screen}");
        insta::assert_snapshot!(format!("profile_open_{w}x{h}"), screen);
    }
}

#[test]
fn list_panes_snapshots() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    for name in ["cameras", "roles", "users", "logs"] {
        assert_eq!(f.key(&mut view, KeyCode::Right), Effect::Done);
        insta::assert_snapshot!(name, f.screen(&mut view));
    }
    assert_eq!(view.tab(), SubTab::Logs);
    f.key(&mut view, KeyCode::Char('l'));
    assert_eq!(view.tab(), SubTab::Profile, "sub-tabs wrap around");
    f.key(&mut view, KeyCode::Char('h'));
    assert_eq!(view.tab(), SubTab::Logs);
}

#[test]
fn delete_modal_snapshots() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    assert_eq!(f.key(&mut view, KeyCode::Char('D')), Effect::DialogOpened);
    let terminal = f.draw(&mut view, &COLOR, 100, 30);
    let buf = terminal.backend().buffer();
    insta::assert_snapshot!("delete_modal_empty", buffer_text(buf));
    let (x, y) = find(buf, "[ Delete ]  Esc").expect("button drawn");
    assert_eq!(
        buf[(x, y)].fg,
        Color::DarkGray,
        "the button is dim until Delete is typed"
    );
    let (bx, by) = find(buf, "Delete customer").expect("title");
    assert_eq!(buf[(bx - 2, by)].fg, Color::LightRed, "the border is red");

    f.type_text(&mut view, "Delete");
    let terminal = f.draw(&mut view, &COLOR, 100, 30);
    let buf = terminal.backend().buffer();
    insta::assert_snapshot!("delete_modal_typed", buffer_text(buf));
    let (x, y) = find(buf, "[ Delete ]  Esc").expect("button drawn");
    assert_eq!(buf[(x, y)].bg, Color::Red, "armed: the red button");
}

#[test]
fn delete_modal_reminds_when_the_word_is_wrong() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Char('D'));
    f.type_text(&mut view, "delete");
    assert_eq!(f.key(&mut view, KeyCode::Enter), Effect::Done);
    let screen = f.screen(&mut view);
    assert!(
        screen.contains("Type Delete exactly (capital D) to confirm"),
        "{screen}"
    );
    insta::assert_snapshot!("delete_modal_reminder", screen);
}

#[test]
fn mono_profile_with_delete_focused() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    assert_eq!(f.key(&mut view, KeyCode::Tab), Effect::Done);
    assert_eq!(view.focused_button(), Some(StatusButton::Disable));
    assert_eq!(f.key(&mut view, KeyCode::Tab), Effect::Done);
    assert_eq!(view.focused_button(), Some(StatusButton::Delete));
    let terminal = f.draw(&mut view, &MONO, 100, 30);
    let buf = terminal.backend().buffer();
    let screen = buffer_text(buf);
    assert!(screen.contains("▶ ! [ Delete ]"), "{screen}");
    let (x, y) = find(buf, "[ Delete ]").expect("button");
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    assert_eq!(buf[(x, y)].fg, Color::Reset, "no colour in MONO");
    insta::assert_snapshot!("profile_mono_delete_focused", screen);
}

#[test]
fn stored_escape_sequences_are_drawn_inert() {
    let mut f = Env::new();
    let id = f.acme();
    f.sql("UPDATE customers SET notes = 'evil \u{1b}[2J text', city = 'Par\u{202e}is'");
    let mut view = f.open(id);
    let screen = f.screen(&mut view);
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{202e}'),
        "{screen}"
    );
    assert!(screen.contains("\\u{1b}[2J"), "{screen}");
}

// --- what the keys do -------------------------------------------------------------------------

#[test]
fn capital_d_opens_the_modal_and_captures_text() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    assert!(!view.captures_text());
    assert_eq!(f.key(&mut view, KeyCode::Char('D')), Effect::DialogOpened);
    assert!(view.dialog_open());
    assert!(
        view.captures_text(),
        "letters go into the input, not to global shortcuts"
    );
    assert_eq!(
        f.key(&mut view, KeyCode::Char('q')),
        Effect::Done,
        "q is typed, not quit"
    );
}

#[test]
fn enter_on_the_focused_delete_button_opens_the_modal() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::BackTab);
    assert_eq!(view.focused_button(), Some(StatusButton::Delete));
    assert_eq!(f.key(&mut view, KeyCode::Enter), Effect::DialogOpened);
}

#[test]
fn the_disable_button_asks_before_disabling() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Tab);
    assert_eq!(f.key(&mut view, KeyCode::Enter), Effect::DialogOpened);
    assert!(view.dialog_open());
    assert!(f.screen(&mut view).contains("Disable Acme Security?"));
    // Nothing changes until the operator answers.
    assert_eq!(
        f.store
            .customer(id)
            .expect("read")
            .expect("still there")
            .status,
        admin_portal::domain::Status::Active
    );
}

#[test]
fn lowercase_delete_and_enter_does_not_delete() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Char('D'));
    for wrong in ["delete", "DELETE", "Delete "] {
        f.type_text(&mut view, wrong);
        assert_eq!(f.key(&mut view, KeyCode::Enter), Effect::Done, "{wrong:?}");
        assert!(
            f.store.customer(id).expect("read").is_some(),
            "{wrong:?} deleted it"
        );
        assert!(view.dialog_open());
        let ctrl_u = ctrl('u');
        let mut ctx = f.ctx();
        assert_eq!(hand(&mut view, &ctrl_u, &mut ctx), Effect::Done);
    }
}

#[test]
fn typing_delete_and_enter_deletes() {
    let mut f = Env::new();
    let id = f.acme();
    let cameras: Vec<Id> = f
        .store
        .cameras_of(id)
        .expect("cameras")
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(cameras.len(), 2);
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Char('D'));
    f.type_text(&mut view, "Delete");
    match f.key(&mut view, KeyCode::Enter) {
        Effect::Back(Some(flash)) => assert_eq!(
            flash.text,
            "Deleted Acme Security: 2 cameras returned to the inventory, 2 users and 2 roles removed"
        ),
        other => panic!("{other:?}"),
    }
    assert!(f.store.customer(id).expect("read").is_none());
    for cam in cameras {
        let cam = f.store.camera(cam).expect("read").expect("camera kept");
        assert_eq!(
            cam.customer_id, None,
            "{} is back in the inventory",
            cam.spec.name
        );
    }
}

#[test]
fn pasting_delete_arms_the_modal_too() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Char('D'));
    let mut ctx = f.ctx();
    assert_eq!(view.handle_paste("Delete", &mut ctx), Effect::Done);
    assert!(matches!(
        f.key(&mut view, KeyCode::Enter),
        Effect::Back(Some(_))
    ));
}

#[test]
fn esc_cancels_the_modal_then_leaves_the_view() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Char('D'));
    f.type_text(&mut view, "Delete");
    assert_eq!(f.key(&mut view, KeyCode::Esc), Effect::Done);
    assert!(!view.dialog_open());
    assert!(f.store.customer(id).expect("read").is_some());
    assert_eq!(f.key(&mut view, KeyCode::Esc), Effect::Back(None));
}

#[test]
fn a_sub_integrator_with_customers_is_refused_with_the_count() {
    let mut f = Env::new();
    let parent = f.create(&new_customer(
        "Northwind Integration",
        CustomerType::Integrator,
        None,
    ));
    let mut child = new_customer("Contoso Retail", CustomerType::Customer, Some(parent));
    child.users.truncate(1);
    let child = f.create(&child);
    let mut view = f.open(parent);
    let profile = f.screen(&mut view);
    assert!(
        profile.contains("Type              Integrator"),
        "{profile}"
    );
    assert!(
        !profile.contains("Sub-integrator"),
        "one word for the type:\n{profile}"
    );
    assert_eq!(f.key(&mut view, KeyCode::Char('D')), Effect::DialogOpened);
    let screen = f.screen(&mut view);
    assert!(
        screen.contains("Northwind Integration still has 1 customer: move or delete"),
        "{screen}"
    );
    assert!(!screen.contains("Type Delete"), "{screen}");
    assert!(
        screen.contains("Its customers: Contoso Retail."),
        "{screen}"
    );
    assert!(screen.contains("y show its customers"), "{screen}");
    assert_eq!(f.key(&mut view, KeyCode::Enter), Effect::Done);
    assert!(!view.dialog_open());
    assert!(f.store.customer(parent).expect("read").is_some());
    assert_eq!(view.tab(), SubTab::Profile);
    // y in the refusal opens the Customers sub-tab; Enter there opens the customer.
    assert_eq!(f.key(&mut view, KeyCode::Char('D')), Effect::DialogOpened);
    assert_eq!(f.key(&mut view, KeyCode::Char('y')), Effect::Done);
    assert_eq!(view.tab(), SubTab::Customers);
    let list = f.screen(&mut view);
    assert!(list.contains("1 customer"), "{list}");
    assert!(list.contains("Contoso Retail"), "{list}");
    assert_eq!(
        f.key(&mut view, KeyCode::Enter),
        Effect::OpenCustomer(child)
    );

    let mut child_view = f.open(child);
    let child_screen = f.screen(&mut child_view);
    assert!(
        child_screen.contains("Northwind Integration"),
        "the parent is named:\n{child_screen}"
    );
}

#[test]
fn only_a_sub_integrator_has_a_customers_sub_tab() {
    let mut f = Env::new();
    let parent = f.create(&new_customer(
        "Northwind Integration",
        CustomerType::Integrator,
        None,
    ));
    let mut names = Vec::new();
    for name in [
        "Contoso Retail",
        "Fabrikam Dental",
        "A very long customer name that cannot fit in its column at all",
        "Litware Storage",
        "Adatum Clinics",
        "Tailspin Motors",
        "Wingtip Bakery",
    ] {
        let mut child = new_customer(name, CustomerType::Customer, Some(parent));
        child.users.truncate(1);
        names.push(f.create(&child));
    }
    let mut view = f.open(parent);
    f.key(&mut view, KeyCode::Char('l'));
    assert_eq!(view.tab(), SubTab::Customers);
    for (w, h) in [(80, 24), (100, 30)] {
        let screen = buffer_text(f.draw(&mut view, &COLOR, w, h).backend().buffer());
        assert!(screen.contains("7 customers"), "{screen}");
        assert!(screen.contains("A very long customer"), "{screen}");
        assert!(screen.contains('…'), "a cut name ends with …:\n{screen}");
        insta::assert_snapshot!(format!("sub_integrator_customers_{w}x{h}"), screen);
    }
    // The refusal names the first five and counts the rest.
    assert_eq!(f.key(&mut view, KeyCode::Char('D')), Effect::DialogOpened);
    let screen = f.screen(&mut view);
    assert!(screen.contains("still has 7 customers"), "{screen}");
    assert!(screen.contains("and 2 more"), "{screen}");
    f.key(&mut view, KeyCode::Esc);

    let mut child_view = f.open(names[0]);
    let screen = f.screen(&mut child_view);
    assert!(!screen.contains(" Customers "), "{screen}");
    f.key(&mut child_view, KeyCode::Char('l'));
    assert_eq!(child_view.tab(), SubTab::Cameras);
}

#[test]
fn a_conflicting_delete_is_refused_and_flashed() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Char('D'));
    f.type_text(&mut view, "Delete");
    // Another operator changes the customer meanwhile.
    f.sql("UPDATE customers SET version = version + 1, phone = '+33 1 00 00 00 00'");
    match f.key(&mut view, KeyCode::Enter) {
        Effect::Flash(flash) => assert!(
            flash.text.contains("changed by another operator"),
            "{}",
            flash.text
        ),
        other => panic!("{other:?}"),
    }
    assert!(!view.dialog_open());
    assert!(f.store.customer(id).expect("read").is_some());
    assert!(
        f.screen(&mut view).contains("+33 1 00 00 00 00"),
        "the view was refreshed"
    );
}

#[test]
fn refresh_notices_a_delete_by_another_operator() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    let mut other = f.store.reopen().expect("second connection");
    let version = f.store.customer(id).expect("read").expect("there").version;
    other
        .delete_customer(
            id,
            version,
            &Operator {
                login: "bob".into(),
                client: None,
            },
        )
        .expect("delete");
    let mut ctx = f.ctx();
    match view.refresh(&mut ctx) {
        Effect::Back(Some(flash)) => {
            assert_eq!(flash.text, "Acme Security was deleted by another operator")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn e_opens_the_editor_and_hints_follow_the_state() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    assert_eq!(f.key(&mut view, KeyCode::Char('e')), Effect::Done);
    assert!(view.editing());
    assert!(!view.is_dirty());
    let (contexts, _) = view.hint();
    assert_eq!(contexts[0], admin_portal::action::KeyContext::Form);
    f.draw(&mut view, &COLOR, 100, 30);
    f.draw(&mut view, &MONO, 10, 3);
    f.key(&mut view, KeyCode::Esc);
    assert!(!view.editing(), "Esc closes an unchanged editor");
    assert_eq!(view.tab(), SubTab::Profile);
    let (_, actions) = view.hint();
    assert!(actions.contains(&admin_portal::action::Action::Delete));
    f.key(&mut view, KeyCode::Char('D'));
    let (contexts, _) = view.hint();
    assert_eq!(contexts, [admin_portal::action::KeyContext::Modal]);
    assert_eq!(
        f.key(&mut view, KeyCode::Char('?')),
        Effect::Done,
        "typed into the input"
    );
    let mut ctx = f.ctx();
    assert_eq!(
        hand(&mut view, &key(KeyCode::Char('1')), &mut ctx),
        Effect::Done
    );
}

#[test]
fn lists_scroll_and_unused_keys_are_ignored() {
    let mut f = Env::new();
    let id = f.acme();
    let mut view = f.open(id);
    f.key(&mut view, KeyCode::Right);
    for code in [
        KeyCode::Down,
        KeyCode::Char('G'),
        KeyCode::Char('g'),
        KeyCode::PageDown,
        KeyCode::Up,
    ] {
        assert_eq!(f.key(&mut view, code), Effect::Done, "{code:?}");
    }
    assert_eq!(
        f.key(&mut view, KeyCode::Char('q')),
        Effect::Ignored,
        "q is the app's"
    );
    assert_eq!(f.key(&mut view, KeyCode::Char('x')), Effect::Ignored);
}

#[test]
fn never_panics_at_any_small_size() {
    let mut f = Env::new();
    let id = f.acme();
    f.sql("UPDATE customers SET name = '日本語の会社名がとても長いセキュリティ株式会社', notes = 'x\u{1b}y'");
    let mut view = f.open(id);
    let mut sizes: Vec<(u16, u16)> = (0..=20)
        .flat_map(|w| (0..=6).map(move |h| (w, h)))
        .collect();
    sizes.extend([(80, 24), (1, 40), (200, 3)]);
    for stage in 0..8 {
        match stage {
            0..=4 => {}
            5 => {
                f.key(&mut view, KeyCode::Char('D'));
            }
            6 => {
                f.type_text(&mut view, "Delete");
            }
            _ => {
                f.key(&mut view, KeyCode::Enter);
            }
        }
        for &(w, h) in &sizes {
            for theme in [&COLOR, &MONO] {
                f.draw(&mut view, theme, w, h);
            }
        }
        if stage < 4 {
            f.key(&mut view, KeyCode::Right);
        } else if stage == 4 {
            f.key(&mut view, KeyCode::Right);
            f.key(&mut view, KeyCode::Tab);
        }
    }
}
