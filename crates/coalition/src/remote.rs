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

    /// `POST path` with a JSON body (and an `Idempotency-Key`, so a retry records once).
    pub(crate) async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        body: &impl serde::Serialize,
        idempotency_key: Option<String>,
    ) -> anyhow::Result<T> {
        let bytes = serde_json::to_vec(body)?;
        let answer = self
            .send(
                Method::POST,
                path,
                query,
                Some((bytes, idempotency_key)),
                false,
            )
            .await?;
        parse(path, &answer.body)
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
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| anyhow::anyhow!("cannot reach {}: {e}", self.base))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| anyhow::anyhow!("{}: the answer broke off: {e}", self.base))?
            .to_bytes();
        if status.is_success() {
            return Ok(Answer { body, headers });
        }
        Err(refused(&self.base, status, &body))
    }
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
    use super::{Remote, flag};

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
