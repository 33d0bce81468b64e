//! Obligations' deadlines as iCalendar feeds, read back with an independent parser.

use std::collections::BTreeMap;
use std::io::BufReader;

use serde_json::Value;

use crate::support::*;

/// The demo after a verified attack: obligations open, some with deadlines.
fn attacked() -> Env {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let incident = env.json(&report(&[]));
    let id = incident["id"].as_str().expect("the incident's id");
    env.ok(&["incident", "confirm", DEMO, id, "--as", "monitor"]);
    env
}

/// The events of a feed: UID → (property → value), as the `ical` crate parses them.
fn events(feed: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut calendars = ical::IcalParser::new(BufReader::new(feed.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("not iCalendar ({e}):\n{feed}"));
    assert!(calendars.next().is_none(), "one calendar only");
    calendar
        .events
        .iter()
        .map(|event| {
            assert_eq!(event.alarms.len(), 1, "every event has an alarm");
            let alarm: Vec<&str> = event.alarms[0]
                .properties
                .iter()
                .map(|p| p.name.as_str())
                .collect();
            assert!(
                alarm.contains(&"TRIGGER") && alarm.contains(&"ACTION"),
                "{alarm:?}"
            );
            let properties: BTreeMap<String, String> = event
                .properties
                .iter()
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect();
            (properties["UID"].clone(), properties)
        })
        .collect()
}

/// `obligations --json` as `reader`: (id, commitment, deadline or None) of the open ones.
fn open_obligations(env: &Env, reader: &[&str]) -> Vec<(String, String, Option<String>)> {
    let mut args = vec!["obligations", DEMO];
    args.extend_from_slice(reader);
    items(&env.json(&args))
        .iter()
        .filter(|o| matches!(o["status"].as_str(), Some("open" | "overdue")))
        .map(|o: &Value| {
            (
                o["id"].as_str().expect("an id").to_owned(),
                o["commitment"].as_str().expect("a commitment").to_owned(),
                o["deadline"]["at"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
fn a_feed_has_one_event_per_open_deadline_with_stable_uids() {
    let mut env = attacked();
    let feed = env.ok(&["obligations", DEMO, "--format", "ics"]);
    assert!(feed.contains("\r\n"), "content lines end with CRLF");
    let parsed = events(&feed);
    let open = open_obligations(&env, &[]);
    let dated: Vec<_> = open.iter().filter(|(_, _, due)| due.is_some()).collect();
    assert!(!dated.is_empty() && dated.len() < open.len(), "{open:?}");
    assert_eq!(
        parsed.len(),
        dated.len(),
        "one event per dated open obligation:\n{feed}"
    );
    for (id, commitment, due) in &dated {
        let (uid, event) = parsed
            .iter()
            .find(|(uid, _)| uid.starts_with(&format!("{id}.")))
            .unwrap_or_else(|| panic!("no event for {id}:\n{feed}"));
        let due = due.as_deref().expect("a deadline").replace(['-', ':'], "");
        assert_eq!(event["DTSTART"], due, "{uid}");
        assert!(event["SUMMARY"].contains(commitment.as_str()), "{event:?}");
        assert!(event.contains_key("X-COALITION-MARKING"), "{event:?}");
    }
    for (id, _, _) in open.iter().filter(|(_, _, due)| due.is_none()) {
        assert!(
            !feed.contains(&format!("UID:{id}.")),
            "{id} has no deadline:\n{feed}"
        );
    }

    // Exported again later (to a file): the same events under the same UIDs.
    env.set_now("2026-11-20T18:00:00Z");
    let out = env.root().join("deadlines.ics");
    env.ok(&["obligations", DEMO, "--format", "ics", "--out", path(&out)]);
    let again = events(&std::fs::read_to_string(&out).expect("the feed"));
    assert_eq!(
        again.keys().collect::<Vec<_>>(),
        parsed.keys().collect::<Vec<_>>()
    );
    let (uid, first) = parsed.iter().next().expect("an event");
    assert_eq!(again[uid]["DTSTART"], first["DTSTART"]);
    assert_ne!(again[uid]["DTSTAMP"], first["DTSTAMP"]);
}

#[test]
fn a_readers_feed_holds_only_the_deadlines_it_may_read() {
    let env = attacked();
    let all: Vec<String> = open_obligations(&env, &[])
        .into_iter()
        .filter(|(_, _, due)| due.is_some())
        .map(|(_, commitment, _)| commitment)
        .collect();
    let visible: Vec<String> = open_obligations(&env, &["--as", "tusk"])
        .into_iter()
        .map(|(_, commitment, _)| commitment)
        .collect();
    let hidden: Vec<&String> = all.iter().filter(|c| !visible.contains(c)).collect();
    assert!(
        !hidden.is_empty(),
        "tusk may not read some dated obligations"
    );
    let feed = env.ok(&["obligations", DEMO, "--format", "ics", "--as", "tusk"]);
    events(&feed);
    for canary in hidden {
        assert!(
            !feed.contains(canary.as_str()),
            "tusk's feed names {canary}:\n{feed}"
        );
    }
    assert!(!feed.contains("SECRET"), "{feed}");
    let public = env.ok(&["obligations", DEMO, "--format", "ics", "--public"]);
    assert!(
        events(&public).values().all(|e| e["CLASS"] == "PUBLIC"),
        "{public}"
    );
}

#[test]
fn an_out_file_needs_a_format() {
    let env = Env::demo();
    let err = env.fails(2, &["obligations", DEMO, "--out", "x.ics"]);
    assert!(err.contains("--format"), "{err}");
}
