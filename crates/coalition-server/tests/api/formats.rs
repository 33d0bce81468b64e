//! The field's formats over HTTP: the obligations feed a calendar subscribes to, support per
//! donor in JSON, CSV, IATI and XLSX, and open data that agrees with the API's public answers.

use std::collections::BTreeSet;
use std::io::BufReader;

use coalition_app::views::{CommitmentFilter, ObligationFilter};
use coalition_app::{Reading, Who};
use coalition_core::id::PrincipalId;
use coalition_core::obligation::{Deadline, ObligationStatus};
use serde_json::{Value, json};

use crate::support::{Server, view};

/// The demo after a ceasefire and a verified attack: obligations open, some with deadlines.
async fn attacked() -> Server {
    let server = Server::demo().await;
    let path = server.path("requests");
    let ceasefire = json!({"action": "declare-ceasefire",
        "request": {"in_force_from": "2026-03-01T00:00:00Z"}});
    let answer = server
        .post(&path, Some(server.token("secretariat")), &ceasefire)
        .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    let report = json!({"action": "report-incident", "request": {
        "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
        "at": "2026-11-01T00:00:00Z", "location": "Kharkiv"}});
    let answer = server
        .post(&path, Some(server.token("monitor")), &report)
        .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    let incident = answer.json()["recorded"][0]["payload"]["incident"]["id"].clone();
    let confirm = json!({"action": "confirm-incident", "request": {"incident": incident}});
    let answer = server
        .post(&path, Some(server.token("monitor")), &confirm)
        .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    server
}

/// The UIDs of a feed's events, as the `ical` crate parses them.
fn uids(feed: &str) -> BTreeSet<String> {
    let calendar = ical::IcalParser::new(BufReader::new(feed.as_bytes()))
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("not iCalendar ({e}):\n{feed}"));
    calendar
        .events
        .iter()
        .map(|event| {
            event
                .properties
                .iter()
                .find(|p| p.name == "UID")
                .and_then(|p| p.value.clone())
                .expect("every event has a UID")
        })
        .collect()
}

/// The open obligations with a deadline that `who` may read.
async fn dated_obligations(server: &Server, who: Who) -> BTreeSet<String> {
    server
        .app
        .read(&server.coalition, &Reading::by(who))
        .await
        .expect("read")
        .obligations(&ObligationFilter::default())
        .into_iter()
        .filter(|v| {
            matches!(v.deadline, Deadline::Due(_))
                && matches!(v.status, ObligationStatus::Open | ObligationStatus::Overdue)
        })
        .map(|v| v.obligation.id.to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_obligations_feed_holds_the_readers_deadlines_by_header_or_address() {
    let server = attacked().await;
    let path = server.path("obligations.ics");
    let macron = server.token("macron");
    let by_header = server.get(&path, Some(macron)).await;
    assert_eq!(by_header.status, 200, "{by_header:?}");
    assert!(
        by_header.headers["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("text/calendar")),
        "{by_header:?}"
    );
    let expected = dated_obligations(
        &server,
        Who::Principal(PrincipalId::parse("macron").expect("an id")),
    )
    .await;
    assert!(!expected.is_empty(), "the attack opened dated obligations");
    let events = uids(&by_header.text);
    assert_eq!(events.len(), expected.len(), "{}", by_header.text);
    for id in &expected {
        assert!(
            events.iter().any(|uid| uid.contains(id.as_str())),
            "{id} is in the feed: {events:?}"
        );
    }
    // A calendar program subscribes by address: the same feed, the same bytes.
    let by_address = server.get(&format!("{path}?token={macron}"), None).await;
    assert_eq!(by_address.status, 200, "{by_address:?}");
    assert_eq!(uids(&by_address.text), events);

    // The public's feed holds only what the public may read.
    let public = server.get(&path, None).await;
    assert_eq!(public.status, 200, "{public:?}");
    assert_eq!(
        uids(&public.text).len(),
        dated_obligations(&server, Who::Public).await.len()
    );

    for (query, token, status, field) in [
        ("?token=coalition_nope", None, 401, None),
        (
            &*format!("?token={macron}"),
            Some(macron),
            400,
            Some("token"),
        ),
        ("?colour=red", Some(macron), 400, Some("colour")),
    ] {
        let answer = server.get(&format!("{path}{query}"), token).await;
        assert_eq!(answer.status, status, "{query}: {answer:?}");
        if let Some(field) = field {
            assert_eq!(answer.json()["field"], field, "{query}: {answer:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_is_the_cli_table_in_every_format() {
    let server = Server::demo().await;
    let meloni = server.token("meloni");
    let reader = server
        .app
        .read(
            &server.coalition,
            &Reading::by(Who::Principal(PrincipalId::parse("meloni").expect("an id"))),
        )
        .await
        .expect("read");
    let summary = reader.support(&CommitmentFilter::default());
    assert!(!summary.rows.is_empty(), "the demo states amounts");
    let answer = server.get(&server.path("support"), Some(meloni)).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(answer.json(), view(&summary));

    let donor = summary.rows[0].donor.to_string();
    let filtered = server
        .get(
            &server.path(&format!("support?guarantor={donor}")),
            Some(meloni),
        )
        .await
        .json();
    let rows = filtered["rows"].as_array().expect("rows");
    assert!(!rows.is_empty() && rows.iter().all(|r| r["donor"] == donor.as_str()));

    let csv = server
        .get(&server.path("support?format=csv"), Some(meloni))
        .await;
    assert_eq!(csv.status, 200, "{csv:?}");
    let mut table = csv::Reader::from_reader(csv.text.as_bytes());
    assert!(
        table
            .headers()
            .expect("a header row")
            .iter()
            .any(|c| c == "committed"),
        "{}",
        csv.text
    );
    assert_eq!(table.records().count(), summary.rows.len());
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .is_ok_and(|d| d.contains("support.csv"))
    );

    let iati = server
        .get(&server.path("support?format=iati"), Some(meloni))
        .await;
    assert_eq!(iati.status, 200, "{iati:?}");
    assert!(iati.text.contains("<iati-activities"), "{}", iati.text);
    let xlsx = server
        .get(&server.path("support?format=xlsx"), Some(meloni))
        .await;
    assert_eq!(xlsx.status, 200, "{xlsx:?}");
    assert!(xlsx.text.starts_with("PK"), "an XLSX file is a zip");

    for (query, field) in [
        ("support?format=pdf", "format"),
        ("support?category=not%20a%20category!", "category"),
        ("support?guarantor=ZZZ", "guarantor"),
    ] {
        let answer = server.get(&server.path(query), Some(meloni)).await;
        assert_eq!(answer.status, 400, "{query}: {answer:?}");
        assert_eq!(answer.json()["field"], field, "{query}: {answer:?}");
    }
}

/// The rows of an open-data JSON table, one column picked.
fn column(table: &Value, name: &str) -> Vec<Value> {
    table
        .as_array()
        .expect("a table")
        .iter()
        .map(|row| row[name].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_data_agrees_with_the_apis_public_answers() {
    let server = attacked().await;
    let file = |name: &str| server.path(&format!("open-data/json/{name}"));
    let manifest = server.get(&file("manifest.json"), None).await;
    assert_eq!(manifest.status, 200, "{manifest:?}");
    let manifest = manifest.json();
    let files = manifest["files"].as_array().expect("files");
    assert!(files.len() >= 5, "{manifest}");
    for entry in files {
        let path = entry["path"].as_str().expect("a path");
        let answer = server.get(&file(path), None).await;
        assert_eq!(answer.status, 200, "{path}: {answer:?}");
        assert_eq!(
            answer.json().as_array().map(Vec::len),
            entry["rows"].as_u64().map(|n| n as usize),
            "{path}: the manifest counts its rows"
        );
    }

    // The same numbers as the public's API reads.
    let ids = |list: &Value, key: &str| -> Vec<Value> {
        list.as_array()
            .expect("a list")
            .iter()
            .map(|item| item[key].clone())
            .collect()
    };
    let members = server.get(&server.path("members"), None).await.json();
    let open = server.get(&file("members.json"), None).await.json();
    assert_eq!(column(&open, "party"), ids(&members, "party"));
    let commitments = server
        .get(&server.path("commitments?limit=1000"), None)
        .await
        .json();
    let open = server.get(&file("commitments.json"), None).await.json();
    assert_eq!(column(&open, "commitment"), ids(&commitments, "id"));
    let obligations = server.get(&server.path("obligations"), None).await.json();
    let open = server.get(&file("obligations.json"), None).await.json();
    assert_eq!(column(&open, "obligation"), ids(&obligations, "id"));
    let support = server.get(&server.path("support"), None).await.json();
    let open = server.get(&file("support.json"), None).await.json();
    let live: Vec<Value> = column(&open, "committed")
        .into_iter()
        .zip(column(&open, "ended"))
        .filter(|(_, ended)| ended == &Value::Bool(false))
        .map(|(committed, _)| committed)
        .collect();
    assert_eq!(live, ids(&support["totals"], "committed"));

    // Whoever asks, open data is the public's: a token shows nothing more.
    let as_macron = server
        .get(&file("commitments.json"), Some(server.token("macron")))
        .await
        .json();
    assert_eq!(column(&as_macron, "commitment"), ids(&commitments, "id"));

    let csv = server
        .get(&server.path("open-data/csv/members.csv"), None)
        .await;
    assert_eq!(csv.status, 200, "{csv:?}");
    assert!(csv.text.starts_with("party,"), "{}", csv.text);
    for missing in ["open-data/json/secrets.json", "open-data/xml/manifest.json"] {
        let answer = server.get(&server.path(missing), None).await;
        assert_eq!(answer.status, 404, "{missing}: {answer:?}");
    }
}
