//! Live updates: a page's stream says when the reader's own log grew, and says nothing when an
//! entry the reader may not read is appended.

use std::time::Duration;

use crate::support::{Site, next_event};

fn incident(classification: &str, releasable: Option<&[&str]>) -> serde_json::Value {
    let mut request = serde_json::json!({
        "aggressor": "RUS", "target": "UKR", "kind": "drone-incursion",
        "at": "2026-11-20T03:40:00Z", "classification": classification,
    });
    if let Some(parties) = releasable {
        request["releasable_to"] = serde_json::json!(parties);
    }
    serde_json::json!({"action": "report-incident", "request": request})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_tells_a_reader_of_its_own_entries_only() {
    let site = Site::demo().await;
    let mut meloni = site.signed_in("meloni").await;
    let mut stream = meloni.stream(&site.page("live")).await;
    // An incident Italy may not read: nothing reaches Italy's stream.
    site.submit(
        "zelenskyy",
        incident("SECRET", Some(&["FRA", "GBR", "UKR"])),
    )
    .await;
    assert_eq!(
        next_event(&mut stream, Duration::from_millis(1500)).await,
        None
    );
    // One it may read: the stream says its log grew.
    site.submit("zelenskyy", incident("UNCLASSIFIED", None))
        .await;
    let event = next_event(&mut stream, Duration::from_secs(10))
        .await
        .expect("an event");
    assert!(event.contains("event: grown"), "{event}");
    let log = site
        .api(
            &format!("/api/coalitions/{}/log/checkpoint", site.coalition),
            "meloni",
        )
        .await;
    assert!(
        event.contains(&format!("data: {}", log["size"])),
        "{event} {log}"
    );
}
