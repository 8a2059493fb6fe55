//! A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on
//! loopback with a free port and a socket folder of its own, a database per test, and
//! `pg_ctl stop -m immediate` when the last user of the server drops it (a panicking test too:
//! the guard is dropped while unwinding). `initdb` refuses to run as root, so as root (CI) every
//! server command runs as the `postgres` user, which owns the folder.
//!
//! Authentication is real: the socket trusts, TCP on 127.0.0.1 asks a SCRAM password, so the
//! tests see wrong and missing passwords as a remote box would. The superuser `postgres` has
//! [`SUPERUSER_PASSWORD`]; the role [`ROLE`] (password [`PASSWORD`]) owns each test database.
//!
//! Where the binaries are missing, [`shared_or_skip`] / [`own_or_skip`] print the
//! `SKIPPED: <test>: <reason>` line of `support::skip` and the test returns.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

pub const SUPERUSER_PASSWORD: &str = "test-superuser-secret";
pub const ROLE: &str = "portal";
pub const PASSWORD: &str = "portal-secret";

/// One running server; stopped when dropped.
pub struct PgServer {
    /// Holds the data folder, the socket and the log; removed after the stop.
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// Run the server's commands as the `postgres` user (we are root).
    as_postgres: bool,
}

/// The folder holding `initdb`, `pg_ctl` and `postgres`: `PG_BIN`, Debian's PostgreSQL 15
/// (or any version there), else the folder of `initdb` on the PATH.
fn bin_dir() -> Option<PathBuf> {
    let has_all = |d: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| d.join(b).is_file())
    };
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("PG_BIN") {
        candidates.push(PathBuf::from(p));
    }
    candidates.push(PathBuf::from("/usr/lib/postgresql/15/bin"));
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut more: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        more.sort();
        candidates.extend(more.into_iter().rev());
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates.into_iter().find(|d| has_all(d))
}

/// uid and gid of the `postgres` user, from `/etc/passwd`.
fn postgres_user() -> Option<(u32, u32)> {
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() > 3 && f[0] == "postgres")
            .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))?
    })
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

impl PgServer {
    /// initdb + start; `Err` says why it cannot run here (for the SKIPPED line).
    pub fn start() -> Result<PgServer, String> {
        let bin =
            bin_dir().ok_or("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found")?;
        let root = is_root();
        let owner = if root {
            Some(
                postgres_user()
                    .ok_or("running as root and there is no postgres user to run initdb as")?,
            )
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("admin-portal-pg")
            .tempdir()
            .map_err(|e| format!("temporary folder: {e}"))?;
        let pwfile = dir.path().join("pwfile");
        std::fs::write(&pwfile, SUPERUSER_PASSWORD).map_err(|e| e.to_string())?;
        if let Some((uid, gid)) = owner {
            for p in [dir.path(), pwfile.as_path()] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid))
                    .map_err(|e| format!("chown: {e}"))?;
            }
        }
        let server = PgServer {
            dir,
            bin,
            port: free_port(),
            as_postgres: root,
        };
        let data = server.data();
        let out = server.run(
            "initdb",
            &[
                "-D",
                path_str(&data),
                "-U",
                "postgres",
                &format!("--pwfile={}", pwfile.display()),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "-N",
            ],
        );
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        server.boot()?;
        server.create_role()?;
        Ok(server)
    }

    /// Starts the server on its data folder (again, after [`PgServer::kill`]).
    pub fn boot(&self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off \
             -c synchronous_commit=off -c max_connections=40 -c shared_buffers=16MB",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        let out = self.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&self.data()),
                "-l",
                path_str(&log),
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        if !out.status.success() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!(
                "pg_ctl start failed: {}{log}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(())
    }

    /// `pg_ctl stop -m immediate`: the server dies as in a crash (no checkpoint, open
    /// transactions lost), as the kill of the machine or of the postmaster would.
    pub fn kill(&self) {
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&self.data()),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// One of the server's programs, as the `postgres` user when we are root.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let exe = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"))
    }

    /// A superuser connection to `dbname` over TCP.
    pub fn superuser(&self, dbname: &str) -> postgres::Client {
        self.client("postgres", SUPERUSER_PASSWORD, dbname)
            .unwrap_or_else(|e| panic!("superuser connection to {dbname}: {e}"))
    }

    pub fn client(
        &self,
        user: &str,
        password: &str,
        dbname: &str,
    ) -> Result<postgres::Client, postgres::Error> {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(user)
            .password(password)
            .dbname(dbname)
            .connect_timeout(Duration::from_secs(10))
            .connect(postgres::NoTls)
    }

    fn create_role(&self) -> Result<(), String> {
        let mut c = self
            .client("postgres", SUPERUSER_PASSWORD, "postgres")
            .map_err(|e| format!("connect as superuser: {e}"))?;
        c.batch_execute(&format!("CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'"))
            .map_err(|e| format!("create role: {e}"))
    }

    /// A new empty database owned by [`ROLE`]; returns its URL (no password in it).
    pub fn database(&self, name: &str) -> String {
        self.superuser("postgres")
            .batch_execute(&format!("CREATE DATABASE {name} OWNER {ROLE}"))
            .unwrap_or_else(|e| panic!("create database {name}: {e}"));
        self.url(name)
    }

    /// `postgres://portal@127.0.0.1:PORT/name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{name}", self.port)
    }

    /// Waits until `cond` holds, polling every 20 ms; panics after `limit`.
    pub fn wait_for(&self, limit: Duration, mut cond: impl FnMut() -> bool) {
        let start = Instant::now();
        while !cond() {
            assert!(
                start.elapsed() < limit,
                "condition not met within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn is_root() -> bool {
    // The uid of /proc/self: no unsafe call needed.
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

static SHARED: Mutex<Weak<PgServer>> = Mutex::new(Weak::new());

/// The server this test binary shares (started by the first test that asks, stopped when the
/// last one holding it ends).
pub fn shared() -> Result<Arc<PgServer>, String> {
    let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(server) = slot.upgrade() {
        return Ok(server);
    }
    let server = Arc::new(PgServer::start()?);
    *slot = Arc::downgrade(&server);
    Ok(server)
}

/// [`shared`], or `None` after printing the SKIPPED line.
pub fn shared_or_skip() -> Option<Arc<PgServer>> {
    shared()
        .map_err(|reason| super::skip::skipped(&reason))
        .ok()
}

/// A server of the test's own (one it may kill), or `None` after printing the SKIPPED line.
pub fn own_or_skip() -> Option<PgServer> {
    PgServer::start()
        .map_err(|reason| super::skip::skipped(&reason))
        .ok()
}
