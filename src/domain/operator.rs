//! The operator at the keyboard, as the operating system names them.

use serde::{Deserialize, Serialize};

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
