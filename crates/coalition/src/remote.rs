//! The API of a `coalition serve` as the CLI's record (`--server URL`, `--token`): plain
//! HTTP/1.1 with hyper's client (already in the tree through axum; no TLS stack is built, so an
//! `https://` server is refused by name). Answers are the views `--json` prints, read back into
//! the same types; the server's errors become the CLI's: a 4xx exits 2 with the server's
//! message (its field named as the flag), a 5xx or an unreachable server 1.

use coalition_app::AppError;
use coalition_core::id::{CoalitionId, PrincipalId};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::failure::bad_input;

/// The most a list asks for per page (the server's own maximum).
const PAGE: usize = 1000;

/// How often a write whose answer was lost is sent again (with the same `Idempotency-Key`, so
/// the server records it once), and how long to wait before each.
const RETRIES: [std::time::Duration; 2] = [
    std::time::Duration::from_millis(200),
    std::time::Duration::from_millis(1000),
];

/// The connection failed or broke off before an answer came: the request may or may not have
/// reached the server.
#[derive(Debug)]
struct Transport(String);

impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Transport {}

/// A server and the token the CLI presents to it.
pub(crate) struct Remote {
    /// `http://host:port`, without a trailing slash.
    base: String,
    token: Option<String>,
    client: Client<HttpConnector, Full<Bytes>>,
}

/// Who the token is (`GET /api/whoami`).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct WhoAmI {
    /// The token's coalition, or none for the public.
    pub(crate) coalition: Option<CoalitionId>,
    /// The token's principal, or none for the public.
    pub(crate) principal: Option<PrincipalId>,
}

/// The server's error shape.
#[derive(Debug, Deserialize)]
struct ServerError {
    code: String,
    message: String,
    #[serde(default)]
    field: Option<String>,
}

/// An answer: its body and headers.
pub(crate) struct Answer {
    pub(crate) body: Bytes,
    pub(crate) headers: hyper::HeaderMap,
}

impl Remote {
    /// The server at `url` (`http://host:port`), presenting `token` if given.
    pub(crate) fn new(url: &str, token: Option<String>) -> anyhow::Result<Remote> {
        let base = url.trim_end_matches('/');
        if base.starts_with("https://") {
            return Err(bad_input(format!(
                "--server {url}: https is not built into this CLI; reach the server over plain \
                 http on loopback or through a local TLS-terminating proxy"
            )));
        }
        let rest = base.strip_prefix("http://").ok_or_else(|| {
            bad_input(format!(
                "--server {url}: expected http://HOST:PORT, as `coalition serve` prints it"
            ))
        })?;
        if rest.is_empty() {
            return Err(bad_input(format!("--server {url}: no host")));
        }
        if let Some(token) = &token
            && (token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(bad_input(
                "--token: expected the token `token issue` printed",
            ));
        }
        Ok(Remote {
            base: base.to_owned(),
            token,
            client: Client::builder(TokioExecutor::new()).build_http(),
        })
    }

    /// The server's URL, as pins name their source.
    pub(crate) fn url(&self) -> &str {
        &self.base
    }

    /// Whether a token is presented.
    pub(crate) fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// `GET path?query` as JSON; `public` leaves the token out (`--public`).
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        public: bool,
    ) -> anyhow::Result<T> {
        let answer = self.send(Method::GET, path, query, None, public).await?;
        parse(path, &answer.body)
    }

    /// `GET path?query` as raw bytes with the headers.
    pub(crate) async fn get_raw(
        &self,
        path: &str,
        query: &[(&str, String)],
        public: bool,
    ) -> anyhow::Result<Answer> {
        self.send(Method::GET, path, query, None, public).await
    }

    /// Every page of a list (`offset`, `limit`, `X-Total-Count`).
    pub(crate) async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        public: bool,
    ) -> anyhow::Result<Vec<T>> {
        let mut items: Vec<T> = Vec::new();
        loop {
            let mut paged = query.to_vec();
            paged.push(("offset", items.len().to_string()));
            paged.push(("limit", PAGE.to_string()));
            let answer = self.send(Method::GET, path, &paged, None, public).await?;
            let page: Vec<T> = parse(path, &answer.body)?;
            let total = total_count(&answer.headers).unwrap_or(0);
            let got = page.len();
            items.extend(page);
            if got == 0 || items.len() >= total {
                return Ok(items);
            }
        }
    }

    /// `POST path` with a JSON body, asking a question that writes nothing (a what-if).
    pub(crate) async fn ask<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        body: &impl serde::Serialize,
    ) -> anyhow::Result<T> {
        let bytes = serde_json::to_vec(body)?;
        let answer = self
            .send(Method::POST, path, query, Some((bytes, None)), false)
            .await?;
        parse(path, &answer.body)
    }

    /// `POST path` with a write: sent with a fresh `Idempotency-Key` and, if the connection
    /// fails or breaks off before the answer, sent again with the same key, so that a write the
    /// server recorded but whose answer was lost is not recorded twice.
    pub(crate) async fn write<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> anyhow::Result<T> {
        let bytes = serde_json::to_vec(body)?;
        let key = idempotency_key()?;
        let mut waits = RETRIES.iter();
        loop {
            let sent = Some((bytes.clone(), Some(key.clone())));
            match self.send(Method::POST, path, &[], sent, false).await {
                Err(err) if err.is::<Transport>() => match waits.next() {
                    Some(wait) => tokio::time::sleep(*wait).await,
                    None => return Err(err),
                },
                answer => return parse(path, &answer?.body),
            }
        }
    }

    /// Who the token is.
    pub(crate) async fn whoami(&self) -> anyhow::Result<WhoAmI> {
        self.get("/api/whoami", &[], false).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<(Vec<u8>, Option<String>)>,
        public: bool,
    ) -> anyhow::Result<Answer> {
        let mut uri = format!("{}{path}", self.base);
        if !query.is_empty() {
            let mut encoded = form_urlencoded::Serializer::new(String::new());
            for (name, value) in query {
                encoded.append_pair(name, value);
            }
            uri.push('?');
            uri.push_str(&encoded.finish());
        }
        let mut request = Request::builder().method(method).uri(&uri);
        if let Some(token) = self.token.as_deref().filter(|_| !public) {
            request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some((bytes, key)) => {
                request = request.header(hyper::header::CONTENT_TYPE, "application/json");
                if let Some(key) = key {
                    request = request.header("idempotency-key", key);
                }
                request.body(Full::new(Bytes::from(bytes)))
            }
            None => request.body(Full::new(Bytes::new())),
        }
        .map_err(|e| bad_input(format!("--server {}: {e}", self.base)))?;
        let response = self.client.request(request).await.map_err(|e| {
            anyhow::Error::new(Transport(format!("cannot reach {}: {e}", self.base)))
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| {
                anyhow::Error::new(Transport(format!(
                    "{}: the answer broke off: {e}",
                    self.base
                )))
            })?
            .to_bytes();
        if status.is_success() {
            return Ok(Answer { body, headers });
        }
        Err(refused(&self.base, status, &body))
    }
}

/// A fresh `Idempotency-Key`: 128 random bits in hex.
fn idempotency_key() -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a key: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// How many items a list holds in all, as the server says.
fn total_count(headers: &hyper::HeaderMap) -> Option<usize> {
    headers.get("x-total-count")?.to_str().ok()?.parse().ok()
}

fn parse<T: DeserializeOwned>(path: &str, body: &[u8]) -> anyhow::Result<T> {
    serde_json::from_slice(body)
        .map_err(|e| anyhow::anyhow!("the server's answer to {path} is not what was expected: {e}"))
}

/// The server's error as the CLI's: a 4xx is the caller's to fix (exit 2, the field named as
/// the flag it came from), anything else the server's (exit 1).
fn refused(base: &str, status: StatusCode, body: &[u8]) -> anyhow::Error {
    let Ok(error) = serde_json::from_slice::<ServerError>(body) else {
        return anyhow::anyhow!("{base} answered {status}");
    };
    if !status.is_client_error() {
        return anyhow::anyhow!(
            "{base} answered {status} ({}): {}",
            error.code,
            error.message
        );
    }
    match error.field.as_deref().map(flag) {
        Some(field) if !field.is_empty() => anyhow::Error::new(AppError::Invalid {
            field,
            message: error.message,
        }),
        _ => bad_input(error.message),
    }
}

/// A JSON pointer (`/request/at`) or query parameter (`as_of`) as the flag it came from (`at`,
/// `as-of`).
fn flag(field: &str) -> String {
    field
        .rsplit('/')
        .next()
        .unwrap_or(field)
        .replace('_', "-")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use std::io::{Read as _, Write as _};

    use super::{Remote, flag};

    /// A server that reads each request whole and hangs up without an answer the first time,
    /// then answers `{"ok": true}`: the requests it got, as text.
    fn loses_the_first_answer() -> (String, std::thread::JoinHandle<Vec<String>>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for answer in [false, true] {
                let (mut stream, _) = listener.accept().expect("a connection");
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !String::from_utf8_lossy(&request).contains("{\"a\":1}") {
                    let n = stream.read(&mut buf).expect("read");
                    request.extend_from_slice(&buf[..n]);
                }
                seen.push(String::from_utf8_lossy(&request).into_owned());
                if answer {
                    let body = "{\"ok\":true}";
                    write!(
                        stream,
                        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .expect("answer");
                }
            }
            seen
        });
        (url, handle)
    }

    #[test]
    fn a_write_whose_answer_is_lost_is_sent_again_with_the_same_key() {
        let (url, server) = loses_the_first_answer();
        let remote = Remote::new(&url, Some("t".into())).expect("a server");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let answer: serde_json::Value = runtime
            .block_on(remote.write("/w", &serde_json::json!({"a": 1})))
            .expect("answered the second time");
        assert_eq!(answer["ok"], true);
        let seen = server.join().expect("the server");
        let key = |request: &str| {
            request
                .lines()
                .find_map(|l| l.strip_prefix("idempotency-key: "))
                .map(str::to_owned)
        };
        assert_eq!(seen.len(), 2);
        assert!(key(&seen[0]).is_some_and(|k| k.len() == 32), "{}", seen[0]);
        assert_eq!(key(&seen[0]), key(&seen[1]));
    }

    #[test]
    fn fields_are_named_as_flags() {
        assert_eq!(flag("/request/at"), "at");
        assert_eq!(flag("as_of"), "as-of");
        assert_eq!(flag("/request/old_size"), "old-size");
    }

    #[test]
    fn only_plain_http_urls_are_servers() {
        assert!(Remote::new("http://127.0.0.1:8080/", None).is_ok());
        for bad in [
            "https://example.org",
            "127.0.0.1:8080",
            "http://",
            "ftp://x",
        ] {
            assert!(Remote::new(bad, None).is_err(), "{bad}");
        }
        assert!(Remote::new("http://127.0.0.1:1", Some("bad token".into())).is_err());
    }
}
