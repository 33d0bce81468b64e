//! Sessions: a token (from `coalition token issue`) exchanged at sign-in for a random session
//! id in a cookie (HttpOnly, SameSite=Strict, Secure when the site is served over TLS). The
//! token is checked again on every request, so a revoked or expired token ends its sessions at
//! once; signing out forgets the session. Every form carries the session's CSRF token, compared
//! in constant time; the sign-in form, before any session, a double-submit cookie.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum::http::header;
use subtle::ConstantTimeEq as _;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "coalition_session";
/// The sign-in form's double-submit cookie.
pub(crate) const SIGN_IN_COOKIE: &str = "coalition_sign_in";
/// The language switch's cookie.
pub(crate) const LANG_COOKIE: &str = "coalition_lang";

/// How long a session lasts after sign-in, however active.
const LIFETIME: Duration = Duration::from_secs(12 * 3600);
/// The most sessions kept; the oldest is forgotten first.
const MOST_SESSIONS: usize = 10_000;

/// A signed-in browser.
#[derive(Clone)]
pub(crate) struct Session {
    /// The bearer token signed in with (kept in this server's memory only, never logged).
    pub(crate) token: String,
    /// The token every form of this session carries.
    pub(crate) csrf: String,
    started: Instant,
}

/// The sessions of this server, in memory: a restart signs everyone out.
#[derive(Default)]
pub(crate) struct Sessions {
    kept: Mutex<BTreeMap<String, Session>>,
}

/// 32 random bytes, hex.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 32];
    // The OS's randomness failing leaves no safe way to make a session.
    if getrandom::fill(&mut bytes).is_err() {
        panic!("the operating system gave no randomness for a session id");
    }
    hex::encode(bytes)
}

impl Sessions {
    /// A new session for `token`: its id (for the cookie).
    pub(crate) fn start(&self, token: String) -> String {
        let id = random_id();
        let session = Session {
            token,
            csrf: random_id(),
            started: Instant::now(),
        };
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|_, s| s.started.elapsed() < LIFETIME);
        if kept.len() >= MOST_SESSIONS
            && let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, s)| s.started)
                .map(|(id, _)| id.clone())
        {
            kept.remove(&oldest);
        }
        kept.insert(id.clone(), session);
        id
    }

    /// The session of this id, if it is still alive.
    pub(crate) fn get(&self, id: &str) -> Option<Session> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        match kept.get(id) {
            Some(s) if s.started.elapsed() < LIFETIME => Some(s.clone()),
            Some(_) => {
                kept.remove(id);
                None
            }
            None => None,
        }
    }

    /// Forgets a session (sign-out, or its token no longer valid).
    pub(crate) fn end(&self, id: &str) {
        self.kept
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
    }
}

/// A cookie's value from the request.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/, Secure over TLS; `max_age` 0
/// removes it.
pub(crate) fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<u64>) -> String {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    text
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    !a.is_empty() && a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Whether the request came through TLS: the site is behind a TLS-terminating proxy that says
/// so, or was told it always is.
pub(crate) fn over_tls(headers: &HeaderMap, always: bool) -> bool {
    always
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Whether a state-changing request comes from this site: an `Origin` (or, without one, a
/// `Referer`) naming another host is refused, on top of the CSRF token.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let from = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match from {
        None => true,
        Some(url) => {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .unwrap_or("");
            rest.split('/').next() == Some(host)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_when_signed_out() {
        let sessions = Sessions::default();
        let id = sessions.start("coalition_x".into());
        assert_eq!(
            sessions.get(&id).map(|s| s.token),
            Some("coalition_x".into())
        );
        sessions.end(&id);
        assert!(sessions.get(&id).is_none());
    }

    #[test]
    fn cookies_are_read_and_written_strictly() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; coalition_session=abc".parse().expect("a header"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "b"), None);
        let written = set_cookie(SESSION_COOKIE, "abc", true, None);
        assert!(written.contains("HttpOnly") && written.contains("SameSite=Strict"));
        assert!(written.ends_with("; Secure"));
        assert!(!set_cookie(SESSION_COOKIE, "abc", false, None).contains("Secure"));
    }

    #[test]
    fn secrets_compare_only_when_equal() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("", ""));
    }

    #[test]
    fn another_origin_is_refused() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:8080".parse().expect("a header"));
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            "http://127.0.0.1:8080".parse().expect("a header"),
        );
        assert!(same_origin(&headers));
        headers.insert(
            header::ORIGIN,
            "https://evil.example".parse().expect("a header"),
        );
        assert!(!same_origin(&headers));
    }
}
