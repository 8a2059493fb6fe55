//! Plain types of the product and their validation. No terminal, no SQL.

pub mod bill;
pub mod count;
pub mod validate;

mod operator;
pub use operator::Operator;

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
