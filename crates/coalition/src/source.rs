//! Where a command's record is: a data directory (the local `App`) or a server's API
//! (`--server`). Both answer with the same `coalition-app` views, so every command renders one
//! way whichever it is; a read names its route and its `Reader` call side by side, and the rest
//! of the command does not know which answered.

use std::fmt::Display;
use std::path::{Path, PathBuf};

use coalition_app::views::{
    CheckpointView, CoalitionName, ConsistencyProofView, ExportView, InclusionProofView,
    LogEntryView, ReceiptView,
};
use coalition_app::{App, AppError, Reader, Reading, Request, Who};
use coalition_core::classification::Level;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PrincipalId};
use serde::de::DeserializeOwned;

use crate::failure::bad_input;
use crate::remote::Remote;

/// The record a command works on.
pub(crate) enum Source {
    /// A data directory (or `--database`) opened here.
    Local {
        /// The application over it.
        app: App,
        /// The data directory (demo keys, tokens).
        dir: PathBuf,
    },
    /// A server's API.
    Remote(Remote),
}

/// A view as one reader saw it, with the time of reading its text names.
pub(crate) struct Seen<T> {
    /// The view.
    pub(crate) view: T,
    /// When statuses and deadlines were computed.
    pub(crate) at: Timestamp,
    /// Who read (`custodian`, `public` or a principal's id).
    pub(crate) reader: String,
}

/// A read route under `/api/coalitions/{coalition}/`: its path and parameters.
pub(crate) struct Route {
    path: String,
    query: Vec<(&'static str, String)>,
    kind: RouteKind,
    /// The parameter the reading's `at` is sent as.
    at: &'static str,
}

enum RouteKind {
    One,
    List,
    Post(serde_json::Value),
}

impl Route {
    /// A route answering one document.
    pub(crate) fn one(path: impl Into<String>) -> Route {
        Route {
            path: path.into(),
            query: Vec::new(),
            kind: RouteKind::One,
            at: "at",
        }
    }

    /// A paged list.
    pub(crate) fn list(path: impl Into<String>) -> Route {
        Route {
            kind: RouteKind::List,
            ..Route::one(path)
        }
    }

    /// A question posted as JSON (a what-if).
    pub(crate) fn post(path: impl Into<String>, body: &impl serde::Serialize) -> Route {
        Route {
            kind: RouteKind::Post(serde_json::to_value(body).unwrap_or_default()),
            ..Route::one(path)
        }
    }

    /// Sends the reading's `at` as this parameter (`in_force_at`: a filter that also sets the
    /// time of reading).
    pub(crate) fn at_as(mut self, name: &'static str) -> Route {
        self.at = name;
        self
    }

    /// A parameter, if given.
    pub(crate) fn with(mut self, name: &'static str, value: Option<impl Display>) -> Route {
        if let Some(value) = value {
            self.query.push((name, value.to_string()));
        }
        self
    }
}

impl Source {
    /// The local application, for a command that only works on a data directory.
    pub(crate) fn local(&self, command: &str) -> anyhow::Result<(&App, &Path)> {
        match self {
            Source::Local { app, dir } => Ok((app, dir)),
            Source::Remote(remote) => Err(bad_input(format!(
                "--server {}: `{command}` works on a data directory (run it where the record \
                 is kept), not through the API",
                remote.url()
            ))),
        }
    }

    /// Closes the record.
    pub(crate) async fn close(self) {
        if let Source::Local { app, .. } = self {
            app.close().await;
        }
    }

    /// The time commands are recorded at, as this machine's clock says.
    pub(crate) fn now(&self) -> anyhow::Result<Timestamp> {
        match self {
            Source::Local { app, .. } => Ok(app.now()),
            Source::Remote(_) => Ok(crate::clock::from_env()?.now()),
        }
    }

    /// One reading: locally `local` asked of the `Reader`; remotely `route` asked of the API as
    /// the token's principal (or the public), with the reading's two times.
    pub(crate) async fn read<T: DeserializeOwned>(
        &self,
        coalition: &CoalitionId,
        reading: &Reading,
        route: Route,
        local: impl FnOnce(&Reader) -> Result<T, AppError>,
    ) -> anyhow::Result<Seen<T>> {
        match self {
            Source::Local { app, .. } => {
                let reader = app.read(coalition, reading).await?;
                Ok(Seen {
                    view: local(&reader)?,
                    at: reader.at(),
                    reader: reader.reader_name(),
                })
            }
            Source::Remote(remote) => {
                let (public, reader) = remote_reader(remote, coalition, &reading.who).await?;
                let path = format!("/api/coalitions/{coalition}/{}", route.path);
                let mut query = route.query;
                query.extend(reading.at.map(|at| (route.at, at.to_string())));
                query.extend(reading.as_of.map(|as_of| ("as_of", as_of.to_string())));
                let view = match route.kind {
                    RouteKind::One => remote.get(&path, &query, public).await?,
                    RouteKind::List => {
                        let items = remote.list::<serde_json::Value>(&path, &query, public);
                        serde_json::from_value(serde_json::Value::Array(items.await?))?
                    }
                    RouteKind::Post(body) => remote.ask(&path, &query, &body).await?,
                };
                Ok(Seen {
                    view,
                    // The server's time of reading is its clock's; an exercise's simulated
                    // clock is the server's to apply.
                    at: reading.at.or(reading.as_of).unwrap_or(self.now()?),
                    reader,
                })
            }
        }
    }

    /// The coalition's name (public).
    pub(crate) async fn name(&self, coalition: &CoalitionId) -> anyhow::Result<String> {
        match self {
            Source::Local { app, .. } => {
                Ok(app.read(coalition, &Reading::custodian()).await?.name())
            }
            Source::Remote(_) => Ok(self
                .names()
                .await?
                .into_iter()
                .find(|c| &c.id == coalition)
                .map(|c| c.name)
                .unwrap_or_default()),
        }
    }

    /// Every coalition's id and name, as anyone may know them.
    pub(crate) async fn names(&self) -> anyhow::Result<Vec<CoalitionName>> {
        match self {
            Source::Local { app, .. } => Ok(app.coalition_names().await?),
            Source::Remote(remote) => remote.get("/api/coalitions", &[], true).await,
        }
    }

    /// Submits one write as `actor`: remotely, only the token's own principal acts.
    pub(crate) async fn submit(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        request: Request,
    ) -> anyhow::Result<ReceiptView> {
        match self {
            Source::Local { app, .. } => Ok(app.submit(coalition, actor, request).await?),
            Source::Remote(remote) => {
                acting(remote, coalition, actor).await?;
                let path = format!("/api/coalitions/{coalition}/requests");
                remote.write(&path, &request).await
            }
        }
    }

    /// The bytes `actor` signs to approve a version, and the key the record expects.
    pub(crate) async fn to_sign(
        &self,
        coalition: &CoalitionId,
        statement: &coalition_core::statement::StatementId,
        version: u32,
        actor: &PrincipalId,
    ) -> anyhow::Result<coalition_app::ToSign> {
        match self {
            Source::Local { app, .. } => Ok(app
                .read(coalition, &Reading::custodian())
                .await?
                .to_sign(statement, version, actor)?),
            Source::Remote(remote) => {
                acting(remote, coalition, actor).await?;
                let path = format!("/api/coalitions/{coalition}/statements/{statement}/to-sign");
                remote
                    .get(&path, &[("version", version.to_string())], false)
                    .await
            }
        }
    }

    /// The log as the reader may see it.
    pub(crate) async fn log(
        &self,
        coalition: &CoalitionId,
        reading: &Reading,
    ) -> anyhow::Result<Vec<LogEntryView>> {
        match self {
            Source::Local { app, .. } => Ok(app.log(coalition, reading).await?),
            Source::Remote(remote) => {
                let (public, _) = remote_reader(remote, coalition, &reading.who).await?;
                let path = format!("/api/coalitions/{coalition}/log");
                let mut entries: Vec<LogEntryView> = Vec::new();
                loop {
                    let mut query = vec![
                        ("after", entries.last().map_or(0, |e| e.seq).to_string()),
                        ("limit", "1000".to_owned()),
                    ];
                    query.extend(reading.as_of.map(|as_of| ("as_of", as_of.to_string())));
                    let page: Vec<LogEntryView> = remote.get(&path, &query, public).await?;
                    if page.is_empty() {
                        return Ok(entries);
                    }
                    entries.extend(page);
                }
            }
        }
    }

    /// A signed checkpoint of the log `who` may see.
    pub(crate) async fn checkpoint(
        &self,
        coalition: &CoalitionId,
        who: &Who,
    ) -> anyhow::Result<CheckpointView> {
        match self {
            Source::Local { app, .. } => Ok(app.checkpoint(coalition, who).await?),
            Source::Remote(remote) => {
                let (public, _) = remote_reader(remote, coalition, who).await?;
                let path = format!("/api/coalitions/{coalition}/log/checkpoint");
                remote.get(&path, &[], public).await
            }
        }
    }

    /// An inclusion proof of entry `seq` of the log `who` may see.
    pub(crate) async fn prove(
        &self,
        coalition: &CoalitionId,
        seq: u64,
        who: &Who,
    ) -> anyhow::Result<InclusionProofView> {
        match self {
            Source::Local { app, .. } => Ok(app.prove(coalition, seq, who).await?),
            Source::Remote(remote) => {
                let (public, _) = remote_reader(remote, coalition, who).await?;
                let path = format!("/api/coalitions/{coalition}/log/proof");
                remote.get(&path, &[("seq", seq.to_string())], public).await
            }
        }
    }

    /// A consistency proof from `old_size` of the log `who` may see.
    pub(crate) async fn consistency(
        &self,
        coalition: &CoalitionId,
        old_size: u64,
        who: &Who,
    ) -> anyhow::Result<ConsistencyProofView> {
        match self {
            Source::Local { app, .. } => Ok(app.consistency(coalition, old_size, who).await?),
            Source::Remote(remote) => {
                let (public, _) = remote_reader(remote, coalition, who).await?;
                let path = format!("/api/coalitions/{coalition}/log/consistency");
                remote
                    .get(&path, &[("old_size", old_size.to_string())], public)
                    .await
            }
        }
    }

    /// The log `who` may see as bundle bytes, with what they hold.
    pub(crate) async fn export(
        &self,
        coalition: &CoalitionId,
        who: &Who,
    ) -> anyhow::Result<(Vec<u8>, ExportView)> {
        match self {
            Source::Local { app, .. } => Ok(app.export(coalition, who).await?),
            Source::Remote(remote) => {
                let (public, _) = remote_reader(remote, coalition, who).await?;
                let path = format!("/api/coalitions/{coalition}/log/export");
                let answer = remote.get_raw(&path, &[], public).await?;
                let bundle = coalition_ledger::bundle::Bundle::from_bytes(&answer.body)
                    .map_err(|e| AppError::Verification(format!("the server's bundle: {e}")))?;
                let classification = answer
                    .headers
                    .get("x-classification")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<Level>().ok())
                    .unwrap_or(Level::Public);
                let view = ExportView {
                    coalition: bundle.coalition.clone(),
                    events: bundle.entries.len(),
                    keys: bundle.keys.len(),
                    bytes: answer.body.len(),
                    out: None,
                    classification,
                };
                Ok((answer.body.to_vec(), view))
            }
        }
    }
}

/// Whether a remote read goes without the token (the public), and the reader's name. `--as P`
/// needs P's own token: the server reads as the token's principal and no other.
async fn remote_reader(
    remote: &Remote,
    coalition: &CoalitionId,
    who: &Who,
) -> anyhow::Result<(bool, String)> {
    match who {
        Who::Public => Ok((true, "public".into())),
        Who::Custodian if !remote.has_token() => Ok((true, "public".into())),
        Who::Custodian => {
            let me = remote.whoami().await?;
            Ok((
                false,
                me.principal.map_or("public".into(), |p| p.to_string()),
            ))
        }
        Who::Principal(principal) => {
            acting(remote, coalition, principal).await?;
            Ok((false, principal.to_string()))
        }
    }
}

/// Refuses, before anything is sent, a token that is not `principal`'s in `coalition`.
async fn acting(
    remote: &Remote,
    coalition: &CoalitionId,
    principal: &PrincipalId,
) -> anyhow::Result<()> {
    if !remote.has_token() {
        return Err(anyhow::Error::new(AppError::invalid(
            "as",
            format!(
                "{principal} needs its own token against a server: pass --token or set \
                 COALITION_TOKEN"
            ),
        )));
    }
    let me = remote.whoami().await?;
    if me.coalition.as_ref() == Some(coalition) && me.principal.as_ref() == Some(principal) {
        return Ok(());
    }
    Err(anyhow::Error::new(AppError::invalid(
        "as",
        format!(
            "the token given is {}'s in {}, not {principal}'s in {coalition}: a token acts and \
             reads as its own principal only",
            me.principal.map_or("nobody".into(), |p| p.to_string()),
            me.coalition
                .map_or("no coalition".into(), |c| c.to_string()),
        ),
    )))
}
