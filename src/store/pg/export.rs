//! Export and import on PostgreSQL (`store::export` holds the SQLite side, the file format and
//! the callers). The export reads one snapshot (a `REPEATABLE READ, READ ONLY` transaction, as
//! SQLite's one read transaction) in the same four passes, merged one customer at a time: here
//! each pass is a portal of that transaction, fetched [`CHUNK`] rows at a time, so a store of any
//! size streams out in bounded memory. The rows become records through the SQLite side's
//! functions (`store::export::rows`, over [`Columns`]); only the SQL differs. Names compare
//! and order as SQLite's `NOCASE` does (`nocase(..)`), other texts byte-wise (`COLLATE "C"`).

mod import;

pub(crate) use import::import_cameras;

use std::collections::{HashMap, VecDeque};

use postgres::types::ToSql;
use postgres::{Client, GenericClient, IsolationLevel, Row, Transaction};

use crate::domain::Id;
use crate::store::export::rows::{
    EXPORT_CAMERAS, EXPORT_CUSTOMERS, camera_row, customer_row, role_row, user_row,
};
use crate::store::export::{ExportCamera, ExportCustomer, ExportRole, ExportUser};
use crate::store::inventory::PlanSpec;
use crate::store::{Result, StoreError};

/// Rows fetched from a pass's portal at a time.
const CHUNK: i32 = 2_000;

const BY_NAME: &str = "ORDER BY nocase(c.name), c.id";

/// As `rows::EXPORT_ROLES`: the MACs of the role's cameras of the same customer.
const EXPORT_ROLES: &str = "
    SELECT c.id, r.name, r.description, r.system, r.role_type, r.all_cameras, r.perm_share,
           r.perm_ptz, r.perm_update_delete, r.perm_save_clip,
           (SELECT string_agg(cam.mac, chr(31)) FROM role_cameras rc
            JOIN cameras cam ON cam.id = rc.camera_id
            WHERE rc.role_id = r.id AND cam.customer_id = r.customer_id)
    FROM customers c JOIN roles r ON r.customer_id = c.id";

/// As `rows::EXPORT_USERS`: the names of the user's roles, byte-wise.
const EXPORT_USERS: &str = "
    SELECT c.id, u.first_name, u.last_name, u.email, u.must_confirm_email,
           u.must_change_password, u.active, u.blocked, u.password_hash,
           (SELECT string_agg(r.name, chr(31) ORDER BY r.name COLLATE \"C\")
            FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id)
    FROM customers c JOIN users u ON u.customer_id = c.id";

pub(crate) fn find_customer(client: &mut impl GenericClient, text: &str) -> Result<Option<Id>> {
    if let Ok(id) = text.parse::<Id>()
        && let Some(row) = client.query_opt("SELECT id FROM customers WHERE id = $1", &[&id])?
    {
        return Ok(Some(row.get(0)));
    }
    let row = client.query_opt(
        "SELECT id FROM customers WHERE nocase(name) = nocase($1)",
        &[&text],
    )?;
    Ok(row.map(|r| r.get(0)))
}

pub(crate) fn customer_ids_by_name(client: &mut impl GenericClient) -> Result<Vec<Id>> {
    let rows = client.query("SELECT id FROM customers ORDER BY nocase(name), id", &[])?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(crate) fn latest_archive_named(
    client: &mut impl GenericClient,
    name: &str,
) -> Result<Option<Id>> {
    let row = client.query_opt(
        "SELECT id FROM archive WHERE nocase(name) = nocase($1) AND restored_at IS NULL
         ORDER BY id DESC LIMIT 1",
        &[&name],
    )?;
    Ok(row.map(|r| r.get(0)))
}

/// The four passes' SQL, for every customer (`only` empty) or the one of `$1`.
fn pass_sql(only: &str) -> [String; 4] {
    [
        format!("{EXPORT_CUSTOMERS} {only} {BY_NAME}"),
        format!("{EXPORT_CAMERAS} {only} {BY_NAME}, cam.mac COLLATE \"C\""),
        format!(
            "{EXPORT_ROLES} {only} {BY_NAME},
             CASE r.system WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END,
             r.name COLLATE \"C\""
        ),
        format!("{EXPORT_USERS} {only} {BY_NAME}, u.email COLLATE \"C\""),
    ]
}

/// `Store::export_stream` on PostgreSQL: the same plans and customers in the same order.
pub(crate) fn stream<T>(
    client: &mut Client,
    ids: Option<&[Id]>,
    secrets: bool,
    write: impl FnOnce(Vec<PlanSpec>, &mut dyn Iterator<Item = Result<ExportCustomer>>) -> T,
) -> Result<T> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    let plans = super::plans::all(&mut tx)?;
    let used = plans_used(&mut tx, ids)?;
    let plan_name: HashMap<Id, String> = plans.iter().map(|p| (p.id, p.name.clone())).collect();
    let plan_specs: Vec<PlanSpec> = plans
        .iter()
        .filter(|p| used.contains(&p.id))
        .map(PlanSpec::from)
        .collect();
    let out = match ids {
        None => {
            let mut all = Merge::new(&mut tx, &plan_name, secrets)?;
            write(plan_specs, &mut all)
        }
        Some(ids) => {
            let sql = pass_sql("WHERE c.id = $1");
            let mut each = ids
                .iter()
                .map(|&id| one(&mut tx, &sql, id, &plan_name, secrets));
            write(plan_specs, &mut each)
        }
    };
    tx.commit()?;
    Ok(out)
}

/// One customer of an export by id: its four queries.
fn one(
    tx: &mut Transaction<'_>,
    sql: &[String; 4],
    id: Id,
    plan_name: &HashMap<Id, String>,
    secrets: bool,
) -> Result<ExportCustomer> {
    let params: &[&(dyn ToSql + Sync)] = &[&id];
    let row = tx
        .query_opt(&sql[0], params)?
        .ok_or_else(|| StoreError::NotFound(format!("customer #{id}")))?;
    let (_, mut c) = customer_row(&row, plan_name)?;
    let rows = |tx: &mut Transaction<'_>, sql: &str| tx.query(sql, params);
    c.cameras = collect(&rows(tx, &sql[1])?, |r| camera_row(r, plan_name))?;
    c.roles = collect(&rows(tx, &sql[2])?, role_row)?;
    c.users = collect(&rows(tx, &sql[3])?, |r| user_row(r, secrets))?;
    Ok(c)
}

fn collect<T>(
    rows: &[Row],
    f: impl Fn(&Row) -> Result<(Id, T), postgres::Error>,
) -> Result<Vec<T>> {
    rows.iter().map(|r| Ok(f(r)?.1)).collect::<Result<Vec<T>>>()
}

/// `plans_used` of the SQLite side: the plans the exported customers or their cameras name.
fn plans_used(tx: &mut Transaction<'_>, ids: Option<&[Id]>) -> Result<Vec<Id>> {
    let Some(ids) = ids else {
        let rows = tx.query(
            "SELECT p.id FROM plans p
             WHERE EXISTS (SELECT 1 FROM customers WHERE default_plan_id = p.id)
                OR EXISTS (SELECT 1 FROM cameras WHERE plan_id = p.id AND customer_id IS NOT NULL)",
            &[],
        )?;
        return Ok(rows.iter().map(|r| r.get(0)).collect());
    };
    let mut used = Vec::new();
    for &customer in ids {
        let rows = tx.query(
            "SELECT default_plan_id FROM customers WHERE id = $1
             UNION SELECT plan_id FROM cameras WHERE customer_id = $1",
            &[&customer],
        )?;
        for id in rows.iter().filter_map(|r| r.get::<_, Option<Id>>(0)) {
            if !used.contains(&id) {
                used.push(id);
            }
        }
    }
    Ok(used)
}

/// How a pass turns a row into its customer's id and a record.
type RowFn<'m, T> = Box<dyn Fn(&Row) -> Result<(Id, T), postgres::Error> + 'm>;

/// The rows of one pass, each with its customer's id, fetched from its portal a chunk at a
/// time: `take` hands out those of one customer (the SQLite side's `Pass`).
struct Pass<'m, T> {
    portal: postgres::Portal,
    rows: VecDeque<(Id, T)>,
    done: bool,
    row: RowFn<'m, T>,
}

impl<'m, T> Pass<'m, T> {
    fn new(
        tx: &mut Transaction<'_>,
        sql: &str,
        row: impl Fn(&Row) -> Result<(Id, T), postgres::Error> + 'm,
    ) -> Result<Self> {
        let portal = tx.bind(sql, &[])?;
        Ok(Self {
            portal,
            rows: VecDeque::new(),
            done: false,
            row: Box::new(row),
        })
    }

    /// The next row's customer, fetching a chunk when none is buffered; `None` at the end.
    fn peek(&mut self, tx: &mut Transaction<'_>) -> Result<Option<Id>> {
        if self.rows.is_empty() && !self.done {
            let rows = tx.query_portal(&self.portal, CHUNK)?;
            self.done = rows.len() < CHUNK as usize;
            for r in &rows {
                self.rows.push_back((self.row)(r)?);
            }
        }
        Ok(self.rows.front().map(|r| r.0))
    }

    fn take(&mut self, tx: &mut Transaction<'_>, id: Id) -> Result<Vec<T>> {
        let mut out = Vec::new();
        while self.peek(tx)? == Some(id) {
            if let Some((_, row)) = self.rows.pop_front() {
                out.push(row);
            }
        }
        Ok(out)
    }
}

/// Every customer by name, each with its cameras, roles and users from the other passes.
struct Merge<'t, 'a, 'm> {
    tx: &'t mut Transaction<'a>,
    customers: Pass<'m, ExportCustomer>,
    cameras: Pass<'m, ExportCamera>,
    roles: Pass<'m, ExportRole>,
    users: Pass<'m, ExportUser>,
    failed: bool,
}

impl<'t, 'a, 'm> Merge<'t, 'a, 'm> {
    fn new(
        tx: &'t mut Transaction<'a>,
        plan_name: &'m HashMap<Id, String>,
        secrets: bool,
    ) -> Result<Self> {
        let [customers, cameras, roles, users] = pass_sql("");
        Ok(Self {
            customers: Pass::new(tx, &customers, |r| customer_row(r, plan_name))?,
            cameras: Pass::new(tx, &cameras, |r| camera_row(r, plan_name))?,
            roles: Pass::new(tx, &roles, role_row)?,
            users: Pass::new(tx, &users, move |r| user_row(r, secrets))?,
            tx,
            failed: false,
        })
    }

    fn next_customer(&mut self) -> Result<Option<ExportCustomer>> {
        let tx = &mut *self.tx;
        if self.customers.peek(tx)?.is_none() {
            return Ok(None);
        }
        let Some((id, mut c)) = self.customers.rows.pop_front() else {
            return Ok(None);
        };
        c.cameras = self.cameras.take(tx, id)?;
        c.roles = self.roles.take(tx, id)?;
        c.users = self.users.take(tx, id)?;
        Ok(Some(c))
    }
}

impl Iterator for Merge<'_, '_, '_> {
    type Item = Result<ExportCustomer>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let next = self.next_customer();
        self.failed = next.is_err();
        next.transpose()
    }
}
