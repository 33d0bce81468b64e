//! Live updates for the pages that show them (dashboard, incidents): a server-sent event each
//! time the reader's own log grows, and nothing when an entry it may not read is appended —
//! the event carries only the size of the reader's log, which the reader can see anyway.
//! `static/live.js` then fetches the page again and swaps its live region.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use coalition_app::Reading;

use crate::Web;
use crate::error::WebError;
use crate::pages::coalition;
use crate::visitor::Visitor;

/// How often a stream looks for new entries.
const POLL: Duration = Duration::from_millis(250);

struct Watch {
    web: Arc<Web>,
    coalition: coalition_core::id::CoalitionId,
    reading: Reading,
    /// The master log's size when the reader's log was last derived.
    seen: u64,
    /// The reader's log's size last told.
    size: usize,
}

/// `text/event-stream`: `event: grown`, `data` the reader's log size.
pub(crate) async fn live(
    State(web): State<Arc<Web>>,
    visitor: Visitor,
    Path(c): Path<String>,
) -> Result<Response, WebError> {
    let c = coalition(&c)?;
    let reading = Reading::by(visitor.who(&c)?);
    let size = web
        .app
        .log(&c, &reading)
        .await
        .map_err(WebError::from_app)?
        .len();
    let seen = web.app.appended(&c).await.map_err(WebError::from_app)?;
    let watch = Watch {
        web,
        coalition: c,
        reading,
        seen,
        size,
    };
    let stream = futures_util::stream::unfold(watch, |mut watch| async move {
        loop {
            tokio::time::sleep(POLL).await;
            match watch.web.app.appended(&watch.coalition).await {
                Ok(size) if size == watch.seen => continue,
                Ok(size) => watch.seen = size,
                Err(_) => return None,
            }
            let Ok(log) = watch.web.app.log(&watch.coalition, &watch.reading).await else {
                return None;
            };
            if log.len() > watch.size {
                watch.size = log.len();
                let event = Event::default().event("grown").data(watch.size.to_string());
                return Some((Ok::<Event, std::convert::Infallible>(event), watch));
            }
        }
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}
