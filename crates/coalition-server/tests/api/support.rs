//! A demo record in a temporary directory, a server over it on 127.0.0.1:0, one token per demo
//! principal, and a small HTTP client.

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
use coalition_server::Options;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// The clock of every test record.
pub(crate) const NOW: &str = "2026-11-20T12:00:00Z";

/// A running server and what a test needs to ask it.
pub(crate) struct Server {
    pub(crate) url: String,
    /// Demo principal → token.
    pub(crate) tokens: BTreeMap<String, String>,
    /// The same application the server runs on, for baselines and the log's head.
    pub(crate) app: Arc<App>,
    pub(crate) coalition: CoalitionId,
    client: Client<HttpConnector, Full<Bytes>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    dir: Arc<tempfile::TempDir>,
    database: String,
}

/// An application over the record at `database`, with the keys and tokens in `dir`.
async fn open(dir: &tempfile::TempDir, database: &str) -> Arc<App> {
    let data = dir.path().join("data");
    let config = Config {
        database: database.to_owned(),
        log_keys: Arc::new(FileLogKeys::in_data_dir(&data)),
        trust: Arc::new(DirTrustStore::new(dir.path().join("trust"))),
        clock: Arc::new(FixedClock(Timestamp::parse(NOW).expect("a time"))),
        tokens: Arc::new(FileTokenStore::in_data_dir(&data)),
        connections: 4,
    };
    Arc::new(App::open(config, Access::Write).await.expect("opened"))
}

/// `app` served on an ephemeral loopback port.
async fn serve(
    app: Arc<App>,
    options: Options,
    tokens: BTreeMap<String, String>,
    coalition: CoalitionId,
    dir: Arc<tempfile::TempDir>,
    database: String,
) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(coalition_server::serve(
        listener,
        app.clone(),
        options,
        async move {
            let _ = stopped.await;
        },
    ));
    Server {
        url,
        tokens,
        app,
        coalition,
        client: Client::builder(TokioExecutor::new()).build_http(),
        stop: Some(stop),
        dir,
        database,
    }
}

/// What a response said.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) text: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

impl Server {
    /// A server over a fresh demo.
    pub(crate) async fn demo() -> Server {
        Server::start(Options::default()).await
    }

    pub(crate) async fn start(options: Options) -> Server {
        let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
        let database = format!(
            "sqlite://{}",
            dir.path().join("data").join("coalition.sqlite").display()
        );
        Server::start_on(database, dir, options).await
    }

    /// A server over a fresh demo in the record at `database`; log keys and tokens in `dir`.
    pub(crate) async fn start_on(
        database: String,
        dir: Arc<tempfile::TempDir>,
        options: Options,
    ) -> Server {
        let data = dir.path().join("data");
        let app = open(&dir, &database).await;
        let summary = app
            .demo(false, &data.join("demo-keys"))
            .await
            .expect("the demo");
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
        serve(app, options, tokens, coalition, dir, database).await
    }

    /// A second server over the same record, as a second node on one database is: its own
    /// application and memory, the same tokens.
    pub(crate) async fn another_node(&self, options: Options) -> Server {
        let app = open(&self.dir, &self.database).await;
        serve(
            app,
            options,
            self.tokens.clone(),
            self.coalition.clone(),
            self.dir.clone(),
            self.database.clone(),
        )
        .await
    }

    /// The token of a demo principal.
    pub(crate) fn token(&self, principal: &str) -> &str {
        self.tokens
            .get(principal)
            .unwrap_or_else(|| panic!("no demo principal {principal}"))
    }

    /// `/api/coalitions/<the demo>/<path>`.
    pub(crate) fn path(&self, rest: &str) -> String {
        format!("/api/coalitions/{}/{rest}", self.coalition)
    }

    pub(crate) async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.send("GET", path, token, None, None).await
    }

    pub(crate) async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Answer {
        self.send(
            "POST",
            path,
            token,
            Some("application/json"),
            Some(body.to_string().into_bytes()),
        )
        .await
    }

    /// Sends a request built by the test.
    pub(crate) async fn raw(&self, request: axum::http::request::Builder, body: String) -> Answer {
        let request = request
            .body(Full::new(Bytes::from(body)))
            .expect("a request");
        self.answer(request).await
    }

    pub(crate) async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Answer {
        let mut request = axum::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let request = request
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .expect("a request");
        self.answer(request).await
    }

    async fn answer(&self, request: axum::http::Request<Full<Bytes>>) -> Answer {
        let response = self.client.request(request).await.expect("an answer");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        Answer {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// The master log's head, as the custodian sees it.
    pub(crate) async fn head(&self) -> (u64, String) {
        let row = self
            .app
            .coalitions()
            .await
            .expect("coalitions")
            .into_iter()
            .find(|row| row.id == self.coalition)
            .expect("the demo");
        (row.events, row.head.to_hex())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The value of a view as `--json` prints it.
pub(crate) fn view<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a view serialises")
}
