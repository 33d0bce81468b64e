//! Server-sent events: each new entry of the caller's audience log as it is appended, by this
//! server or any other process on the same record. An entry the caller may not read reaches it
//! as nothing at all — not as a bare sequence number or hash, which would tell it how many
//! entries it may not read were recorded, and when. Its own log has no gaps to explain.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use coalition_app::Reading;
use coalition_app::views::LogEntryView;
use serde::Deserialize;
use utoipa::IntoParams;

use super::coalition;
use crate::caller::Caller;
use crate::error::ApiError;
use crate::extract::Query;
use crate::shared::Shared;

/// How often a subscriber's stream looks for new entries.
const POLL: Duration = Duration::from_millis(200);

/// Where to start.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct EventsQuery {
    /// Send the entries after this sequence number of the caller's log first (default: only
    /// new ones). `Last-Event-ID` does the same when a client reconnects.
    after: Option<u64>,
}

/// New entries of the caller's log as `text/event-stream`: `id` is the entry's sequence number
/// in that log, `event: entry`, `data` the `LogEntryView` (as `log show --json` prints it).
#[utoipa::path(get, path = "/api/coalitions/{coalition}/events", tag = "log",
    params(("coalition" = String, Path, description = "The coalition"), EventsQuery),
    responses((status = 200, description = "An event stream of `LogEntryView`s", content_type = "text/event-stream", body = String),
        (status = 404, description = "No such coalition", body = ApiError)))]
pub(crate) async fn events(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(c): Path<String>,
    Query(q): Query<EventsQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let c = coalition(&c)?;
    let reading = Reading::by(caller.who(&c)?);
    let log = shared.app.log(&c, &reading).await?;
    let resumed = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let after = resumed
        .or(q.after)
        .unwrap_or_else(|| log.last().map_or(0, |entry| entry.seq));
    let pending: Vec<LogEntryView> = log.into_iter().filter(|e| e.seq > after).collect();
    let seen = shared.app.appended(&c).await?;
    let state = Subscription {
        seen,
        shared,
        coalition: c,
        reading,
        after,
        pending: pending.into(),
    };
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(entry) = state.pending.pop_front() {
                state.after = entry.seq;
                let event = Event::default()
                    .id(entry.seq.to_string())
                    .event("entry")
                    .json_data(&entry);
                return Some((event, state));
            }
            // A shutting-down server ends its streams, so that it does not wait on them.
            if state.shared.draining() {
                return None;
            }
            tokio::time::sleep(POLL).await;
            // The caller's log is derived again only when the record grew.
            match state.shared.app.appended(&state.coalition).await {
                Ok(size) if size == state.seen => continue,
                Ok(size) => state.seen = size,
                Err(err) => {
                    tracing::warn!(%err, "an event stream ended");
                    return None;
                }
            }
            match state.shared.app.log(&state.coalition, &state.reading).await {
                Ok(log) => state
                    .pending
                    .extend(log.into_iter().filter(|e| e.seq > state.after)),
                Err(err) => {
                    tracing::warn!(%err, "an event stream ended");
                    return None;
                }
            }
        }
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

struct Subscription {
    /// The master log's size when the caller's log was last derived.
    seen: u64,
    shared: Arc<Shared>,
    coalition: coalition_core::id::CoalitionId,
    reading: Reading,
    after: u64,
    pending: std::collections::VecDeque<LogEntryView>,
}
