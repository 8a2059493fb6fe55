//! Plain types of the product and their validation. No terminal, no SQL.

pub mod bill;
pub mod count;
pub mod validate;

use serde::{Deserialize, Serialize};

/// Row id of a record in the store.
pub type Id = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CustomerType {
    /// A camera owner.
    #[default]
    Customer,
    /// A sub-integrator, which owns customers of its own.
    Integrator,
}

impl CustomerType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Integrator => "integrator",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Customer => "Customer",
            Self::Integrator => "Integrator",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Self::Customer),
            "integrator" => Some(Self::Integrator),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    Disabled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Disabled => "Disabled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RecordingMode {
    #[default]
    Continuous,
    Event,
}

impl RecordingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Continuous => "continuous",
            Self::Event => "event",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "continuous" => Some(Self::Continuous),
            "event" => Some(Self::Event),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PaymentTerms {
    DueOnReceipt,
    Net15,
    #[default]
    Net30,
    Net45,
    Net60,
}

impl PaymentTerms {
    pub const ALL: [PaymentTerms; 5] = [
        Self::DueOnReceipt,
        Self::Net15,
        Self::Net30,
        Self::Net45,
        Self::Net60,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DueOnReceipt => "due_on_receipt",
            Self::Net15 => "net15",
            Self::Net30 => "net30",
            Self::Net45 => "net45",
            Self::Net60 => "net60",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::DueOnReceipt => "Due on receipt",
            Self::Net15 => "Net 15",
            Self::Net30 => "Net 30",
            Self::Net45 => "Net 45",
            Self::Net60 => "Net 60",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RoleType {
    #[default]
    Admin,
    Guard,
}

impl RoleType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Guard => "guard",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "Admin",
            Self::Guard => "Guard",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "guard" => Some(Self::Guard),
            _ => None,
        }
    }
}

/// The two roles every customer has from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SystemRole {
    /// Cannot be changed or deleted.
    Owner,
    /// Can be changed, cannot be deleted.
    Admin,
}

impl SystemRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// What a role allows on its cameras beyond View, which is always granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Permissions {
    pub share: bool,
    pub ptz: bool,
    pub update_delete: bool,
    pub save_clip: bool,
}

impl Permissions {
    pub const ALL: Permissions = Permissions {
        share: true,
        ptz: true,
        update_delete: true,
        save_clip: true,
    };

    /// "View, Share, PTZ" style summary.
    pub fn summary(&self) -> String {
        let mut parts = vec!["View"];
        if self.share {
            parts.push("Share");
        }
        if self.ptz {
            parts.push("PTZ");
        }
        if self.update_delete {
            parts.push("Update & Delete");
        }
        if self.save_clip {
            parts.push("Save Clip");
        }
        parts.join(", ")
    }
}

/// A postal address; every line may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// One line for tables and summaries.
    pub fn one_line(&self) -> String {
        [
            &self.line1,
            &self.line2,
            &self.city,
            &self.state,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// Contact information of a customer (wizard step 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Contact {
    pub company: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: Address,
    pub time_zone: String,
    pub reference: String,
    pub notes: String,
}

/// Wizard step 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DefaultSettings {
    pub disable_admin_portal: bool,
    pub disable_camera_share: bool,
    /// The customer's **recording plan**: what each of its cameras records unless the camera has
    /// a plan of its own. The bill is derived from it: the sum over the customer's cameras of
    /// each camera's plan price (there is no separate billing plan).
    pub default_plan_id: Option<Id>,
}

/// Wizard step 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCreation {
    pub confirm_email: bool,
    pub change_password: bool,
}

impl Default for UserCreation {
    fn default() -> Self {
        Self {
            confirm_email: true,
            change_password: true,
        }
    }
}

/// Wizard step 5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Billing {
    /// When set, the billing address follows the company address.
    pub same_as_company: bool,
    pub contact: String,
    pub email: String,
    pub phone: String,
    pub address: Address,
    pub tax_id: String,
    pub tax_exempt: bool,
    pub terms: PaymentTerms,
}

impl Default for Billing {
    fn default() -> Self {
        Self {
            same_as_company: true,
            contact: String::new(),
            email: String::new(),
            phone: String::new(),
            address: Address::default(),
            tax_id: String::new(),
            tax_exempt: false,
            terms: PaymentTerms::default(),
        }
    }
}

/// The editable part of a customer: everything the wizard's steps 1-5 and the Account Profile hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CustomerProfile {
    pub kind: CustomerType,
    /// The sub-integrator this customer is under; `None` means the integrator itself.
    pub parent_id: Option<Id>,
    pub contact: Contact,
    pub defaults: DefaultSettings,
    pub user_creation: UserCreation,
    pub billing: Billing,
}

impl CustomerProfile {
    /// The billing address in force: the company's while `same_as_company` is set.
    pub fn billing_address(&self) -> &Address {
        if self.billing.same_as_company {
            &self.contact.address
        } else {
            &self.billing.address
        }
    }
}

/// A customer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: Id,
    pub profile: CustomerProfile,
    pub status: Status,
    /// Set when the customer was disabled because its parent sub-integrator was.
    pub disabled_by_parent: bool,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl Customer {
    pub fn name(&self) -> &str {
        &self.profile.contact.company
    }
}

/// One line of the Customers table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: Id,
    pub name: String,
    pub kind: CustomerType,
    pub parent: Option<String>,
    pub contact: String,
    pub email: String,
    pub phone: String,
    pub city: String,
    pub cameras: i64,
    pub users: i64,
    pub plan: Option<String>,
    pub status: Status,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: Id,
    pub name: String,
    pub retention_days: i64,
    pub mode: RecordingMode,
    /// Price per camera per month in minor units (cents).
    pub price_cents: i64,
    pub currency: String,
    pub version: i64,
}

/// Formats minor units as "12.34".
pub fn format_money(cents: i64, currency: &str) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    format!("{sign}{}.{:02} {currency}", c / 100, c % 100)
}

/// The fields of a camera that an operator types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CameraSpec {
    pub name: String,
    /// Normalised `AA:BB:CC:DD:EE:FF`.
    pub mac: String,
    pub serial: String,
    pub model: String,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Camera {
    pub id: Id,
    pub spec: CameraSpec,
    pub customer_id: Option<Id>,
    pub customer_name: Option<String>,
    pub plan_id: Option<Id>,
    pub recording: bool,
    pub version: i64,
}

/// A role to create or as stored (`id` is `None` before it is written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub id: Option<Id>,
    pub name: String,
    pub description: String,
    pub system: Option<SystemRole>,
    pub role_type: RoleType,
    /// Covers every camera of the customer, those linked later too.
    pub all_cameras: bool,
    /// The chosen cameras when `all_cameras` is off.
    pub camera_ids: Vec<Id>,
    /// With `all_cameras` off, in a new customer: indexes into `NewCustomer::new_cameras` of
    /// cameras registered on the spot, which have no id before the commit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_camera_refs: Vec<usize>,
    pub permissions: Permissions,
}

impl Role {
    pub fn owner() -> Self {
        Self {
            id: None,
            name: "Owner".into(),
            description: "Full control of the account; cannot be changed or deleted".into(),
            system: Some(SystemRole::Owner),
            role_type: RoleType::Admin,
            all_cameras: true,
            camera_ids: vec![],
            new_camera_refs: vec![],
            permissions: Permissions::ALL,
        }
    }
    pub fn admin() -> Self {
        Self {
            id: None,
            name: "Admin".into(),
            description: "Manages cameras, roles and users; cannot be deleted".into(),
            system: Some(SystemRole::Admin),
            role_type: RoleType::Admin,
            all_cameras: true,
            camera_ids: vec![],
            new_camera_refs: vec![],
            permissions: Permissions::ALL,
        }
    }
}

/// A user to create: roles are named by their index in the list of roles created with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewUser {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Indexes into `NewCustomer::roles`.
    pub roles: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Id,
    pub customer_id: Id,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub must_confirm_email: bool,
    pub must_change_password: bool,
    pub active: bool,
    pub role_ids: Vec<Id>,
    pub version: i64,
}

/// Everything the wizard writes in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewCustomer {
    pub profile: CustomerProfile,
    /// Existing unlinked cameras to link.
    pub camera_ids: Vec<Id>,
    /// Cameras registered on the spot; linked too.
    pub new_cameras: Vec<CameraSpec>,
    /// Owner and Admin first, then custom roles.
    pub roles: Vec<Role>,
    pub users: Vec<NewUser>,
}

/// What a delete will take with it; shown in the confirmation modal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeleteImpact {
    pub cameras: i64,
    pub users: i64,
    pub roles: i64,
    /// Customers of a sub-integrator: a delete is refused while this is not zero.
    pub children: i64,
}

/// Who is at the keyboard, from the operating system, never from anything typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operator {
    pub login: String,
    /// The SSH client address, when there is one.
    pub client: Option<String>,
}

impl Operator {
    /// The operator as the operating system knows them: the login name of the real user id (from
    /// the password database, so `USER=someone` in the environment changes nothing), and the SSH
    /// client address from `SSH_CONNECTION` (or `SSH_CLIENT`). `$USER` is read only when the
    /// password database has no entry for the uid (a container with a bare uid).
    pub fn from_env() -> Self {
        let uid = current_uid();
        let login = login_of_uid(uid)
            .or_else(|| {
                std::env::var("USER")
                    .or_else(|_| std::env::var("LOGNAME"))
                    .ok()
            })
            .map(|s| s.chars().filter(|c| !c.is_control()).collect::<String>())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| format!("uid{uid}"));
        let client = ["SSH_CONNECTION", "SSH_CLIENT"]
            .iter()
            .find_map(|var| std::env::var(var).ok().and_then(|v| ssh_client_address(&v)));
        Self { login, client }
    }
}

/// The client address of an `SSH_CONNECTION` ("client port server port") or `SSH_CLIENT`
/// ("client port port") value; `None` unless it is an IP address.
fn ssh_client_address(value: &str) -> Option<String> {
    let first = value.split_whitespace().next()?;
    first
        .parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

/// The login name of `uid` from the password database (`getpwuid_r`), `None` when there is none.
#[allow(unsafe_code)]
fn login_of_uid(uid: u32) -> Option<String> {
    let mut size = 1024usize;
    loop {
        let mut buf = vec![0 as libc::c_char; size];
        // SAFETY: all-zero is a valid `passwd` (plain integers and null pointers).
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is to live memory of ours, `buf` has `size` bytes; on success
        // `result` points to `pwd`, whose strings point into `buf`, which outlives their use.
        let rc =
            unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
        if rc == libc::ERANGE && size < 1 << 20 {
            size *= 4;
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: `pw_name` is a NUL-terminated string inside `buf`, still alive here.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        return name.to_str().ok().map(str::to_owned);
    }
}

fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail; libc exposes it as unsafe.
    #[allow(unsafe_code)]
    unsafe {
        libc::getuid()
    }
}

#[cfg(test)]
mod operator_tests {
    use super::*;

    #[test]
    fn ssh_client_is_the_first_field_and_must_be_an_address() {
        let conn = "203.0.113.7 51234 192.0.2.1 22";
        assert_eq!(ssh_client_address(conn).as_deref(), Some("203.0.113.7"));
        assert_eq!(
            ssh_client_address("2001:db8::1 51234 22").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(ssh_client_address("\x1b]0;pwned\x07 1 2"), None);
        assert_eq!(ssh_client_address(""), None);
    }

    #[test]
    fn the_login_comes_from_the_password_database() {
        let login = login_of_uid(current_uid());
        // Root exists in every password database the tests run on; other uids may not.
        if current_uid() == 0 {
            assert_eq!(login.as_deref(), Some("root"));
        }
        assert!(!Operator::from_env().login.is_empty());
    }
}
