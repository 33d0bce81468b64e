//! A demo record in a temporary directory, the whole site (pages + API) over it on
//! 127.0.0.1:0, one token per demo principal, and a client that keeps cookies like a browser.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use coalition_app::clock::FixedClock;
use coalition_app::keys::FileLogKeys;
use coalition_app::tokens::FileTokenStore;
use coalition_app::trust::DirTrustStore;
use coalition_app::{Access, App, Config, Reading};
use coalition_core::dates::Timestamp;
use coalition_core::id::CoalitionId;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The clock of every test record.
pub(crate) const NOW: &str = "2026-11-20T12:00:00Z";

/// A running site.
pub(crate) struct Site {
    pub(crate) url: String,
    pub(crate) tokens: BTreeMap<String, String>,
    pub(crate) app: Arc<App>,
    pub(crate) coalition: CoalitionId,
    /// Where the demo's leaders' key files are.
    pub(crate) keys: std::path::PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// An answer.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) text: String,
}

impl Page {
    /// The value of the first hidden input named `name`.
    pub(crate) fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .text
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.text))
            + marker.len();
        let end = self.text[start..].find('"').expect("a closing quote") + start;
        self.text[start..end].to_owned()
    }

    /// The text a person reads: tags dropped, entities decoded, whitespace collapsed.
    pub(crate) fn visible(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.text.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        let decoded = unescape(&out);
        decoded.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// The next event of a stream that is not a keep-alive comment, or None if none comes in time.
pub(crate) async fn next_event(
    body: &mut hyper::body::Incoming,
    within: std::time::Duration,
) -> Option<String> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .ok()??
            .ok()?;
        if let Ok(data) = frame.into_data() {
            let text = String::from_utf8_lossy(&data).into_owned();
            if text.contains("event:") {
                return Some(text);
            }
        }
    }
}

/// HTML text with its character references decoded (`&amp;`, `&#62;`, `&#x27;` …).
pub(crate) fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find(';').filter(|end| *end <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

impl Site {
    pub(crate) async fn demo() -> Site {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let data = dir.path().join("data");
        let config = Config {
            database: format!("sqlite://{}", data.join("coalition.sqlite").display()),
            log_keys: Arc::new(FileLogKeys::in_data_dir(&data)),
            trust: Arc::new(DirTrustStore::new(dir.path().join("trust"))),
            clock: Arc::new(FixedClock(Timestamp::parse(NOW).expect("a time"))),
            tokens: Arc::new(FileTokenStore::in_data_dir(&data)),
            connections: 4,
        };
        let app = Arc::new(App::open(config, Access::Write).await.expect("opened"));
        let keys = data.join("demo-keys");
        let summary = app.demo(false, &keys).await.expect("the demo");
        let coalition = summary.coalition;
        let reader = app
            .read(&coalition, &Reading::custodian())
            .await
            .expect("read");
        let mut tokens = BTreeMap::new();
        for principal in reader.principals() {
            let issued = app
                .issue_token(&coalition, &principal.id, "test", None)
                .await
                .expect("issued");
            tokens.insert(principal.id.to_string(), issued.token);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let pages = app.clone();
        tokio::spawn(coalition_server::serve_with(
            listener,
            app.clone(),
            coalition_server::Options::default(),
            move |api| coalition_web::site(pages, api, coalition_web::WebOptions::default()),
            async move {
                let _ = stopped.await;
            },
        ));
        Site {
            url,
            tokens,
            app,
            coalition,
            keys,
            stop: Some(stop),
            _dir: dir,
        }
    }

    pub(crate) fn token(&self, principal: &str) -> &str {
        self.tokens
            .get(principal)
            .unwrap_or_else(|| panic!("no demo principal {principal}"))
    }

    /// `/c/<the demo>/<rest>`.
    pub(crate) fn page(&self, rest: &str) -> String {
        if rest.is_empty() {
            format!("/c/{}", self.coalition)
        } else {
            format!("/c/{}/{rest}", self.coalition)
        }
    }

    /// A browser with no cookies yet.
    pub(crate) fn browser(&self) -> Browser {
        Browser {
            url: self.url.clone(),
            client: Client::builder(TokioExecutor::new()).build_http(),
            cookies: BTreeMap::new(),
            language: None,
        }
    }

    /// A browser signed in as a demo principal.
    pub(crate) async fn signed_in(&self, principal: &str) -> Browser {
        let mut browser = self.browser();
        let answer = browser.sign_in(self.token(principal)).await;
        assert_eq!(answer.status, 303, "{answer:?}");
        browser
    }

    /// The master log's size.
    pub(crate) async fn events(&self) -> u64 {
        self.app.appended(&self.coalition).await.expect("the size")
    }

    /// A write through the API as a demo principal: `{action, request}`.
    pub(crate) async fn submit(
        &self,
        principal: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let mut browser = self.browser();
        let page = browser
            .send(
                "POST",
                &format!("/api/coalitions/{}/requests", self.coalition),
                &[
                    (
                        "authorization",
                        &format!("Bearer {}", self.token(principal)),
                    ),
                    ("content-type", "application/json"),
                ],
                Some(body.to_string()),
            )
            .await;
        assert_eq!(page.status, 201, "{page:?}");
        serde_json::from_str(&page.text).expect("JSON")
    }

    /// An API answer as JSON, with a demo principal's token.
    pub(crate) async fn api(&self, path: &str, principal: &str) -> serde_json::Value {
        let mut browser = self.browser();
        let page = browser
            .send(
                "GET",
                path,
                &[(
                    "authorization",
                    &format!("Bearer {}", self.token(principal)),
                )],
                None,
            )
            .await;
        assert_eq!(page.status, 200, "{page:?}");
        serde_json::from_str(&page.text).expect("JSON")
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A client that keeps cookies as a browser does (by name; the tests use one site).
pub(crate) struct Browser {
    url: String,
    client: Client<HttpConnector, Full<Bytes>>,
    pub(crate) cookies: BTreeMap<String, String>,
    pub(crate) language: Option<String>,
}

impl Browser {
    pub(crate) async fn get(&mut self, path: &str) -> Page {
        self.send("GET", path, &[], None).await
    }

    /// Posts a form (as `application/x-www-form-urlencoded`).
    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).expect("a form");
        self.send(
            "POST",
            path,
            &[("content-type", "application/x-www-form-urlencoded")],
            Some(body),
        )
        .await
    }

    /// Opens a stream (`text/event-stream`) with this browser's cookies; its body is read by
    /// [`next_event`].
    pub(crate) async fn stream(&mut self, path: &str) -> hyper::body::Incoming {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let request = axum::http::Request::builder()
            .uri(format!("{}{path}", self.url))
            .header("cookie", cookie.join("; "))
            .header("accept", "text/event-stream")
            .body(Full::new(Bytes::new()))
            .expect("a request");
        let response = self.client.request(request).await.expect("an answer");
        assert_eq!(response.status(), 200);
        response.into_body()
    }

    /// Signs in with a token through the form.
    pub(crate) async fn sign_in(&mut self, token: &str) -> Page {
        let form = self.get("/sign-in").await;
        assert_eq!(form.status, 200, "{form:?}");
        let csrf = form.hidden("csrf");
        self.post(
            "/sign-in",
            &[("csrf", &csrf), ("back", ""), ("token", token)],
        )
        .await
    }

    pub(crate) async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<String>,
    ) -> Page {
        let mut request = axum::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url));
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header("cookie", cookie.join("; "));
        }
        if let Some(language) = &self.language {
            request = request.header("accept-language", language);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .expect("a request");
        let response = self.client.request(request).await.expect("an answer");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().expect("a cookie");
            let pair = text.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        Page {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

/// The heatmap's cells from the API's commitments, as the dashboard counts them: per
/// guarantor and category, the strongest commitment still counting and how many.
pub(crate) async fn heatmap_from_api(
    site: &Site,
    principal: &str,
) -> BTreeMap<(String, String), (String, usize)> {
    let list = site
        .api(
            &format!("/api/coalitions/{}/commitments?limit=1000", site.coalition),
            principal,
        )
        .await;
    let rank = |s: &str| {
        ["assurance", "political-commitment", "guarantee"]
            .iter()
            .position(|x| *x == s)
    };
    let mut cells: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    for c in list.as_array().expect("a list") {
        let status = c["status"].as_str().expect("a status");
        if ["lapsed", "terminated", "withdrawn"].contains(&status) {
            continue;
        }
        let key = (
            c["guarantor"].as_str().expect("a guarantor").to_owned(),
            c["category"].as_str().expect("a category").to_owned(),
        );
        let strength = c["strength"].as_str().expect("a strength").to_owned();
        let cell = cells.entry(key).or_insert((strength.clone(), 0));
        cell.1 += 1;
        if rank(&strength) > rank(&cell.0) {
            cell.0 = strength;
        }
    }
    cells
}
