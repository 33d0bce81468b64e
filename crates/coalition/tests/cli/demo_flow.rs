//! The demo, end to end: demo → ceasefire → incident → confirmations → obligations → request
//! → fulfilment → coverage → log verify, with the `--json` documents a script would read.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::*;

/// The obligation of `commitment` of response `kind`.
fn obligation<'a>(obligations: &'a Value, commitment: &str, kind: &str) -> &'a Value {
    items(obligations)
        .iter()
        .find(|o| o["commitment"] == commitment && o["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} obligation for {commitment} in {obligations:#}"))
}

fn id_of(obligation: &Value) -> String {
    obligation["id"].as_str().expect("an id").to_owned()
}

#[test]
fn the_demo_flow_runs_end_to_end_from_a_fresh_data_directory() {
    let mut env = Env::new();

    // demo: the Paris scenario, as the article has it — no ceasefire, the Paris guarantees wait.
    let summary = env.json(&["demo"]);
    assert_eq!(summary["coalition"], DEMO);
    assert_eq!(summary["protected"], "UKR");
    assert_eq!(summary["members"], 36);
    assert_eq!(summary["undisclosed_members"], 2);
    assert_eq!(summary["partners"], 1);
    assert_eq!(summary["commitments"], 19);
    assert_eq!(summary["commitments_by_status"]["dormant"], 6);
    let commitments = env.json(&["commitments", DEMO]);
    assert_eq!(
        find(&commitments, "id", "paris-fra-military")["status"],
        "dormant"
    );

    // ceasefire: the Paris guarantees of the parties that ratified come into force.
    env.ok(&CEASEFIRE);
    let commitments = env.json(&["commitments", DEMO]);
    assert_eq!(
        find(&commitments, "id", "paris-fra-military")["status"],
        "in-force"
    );
    assert_eq!(
        find(&commitments, "id", "paris-deu-intelligence")["status"],
        "signed",
        "Germany has not ratified"
    );

    // incident report prints the new id.
    let reported = env.ok(&report(&[
        "--kind",
        "armed-attack",
        "--location",
        "Kharkiv oblast",
    ]));
    let incident = reported.trim();
    assert!(
        incident.starts_with("INC-") && incident.len() == "INC-".len() + 8,
        "an id derived from the report, not a count: {incident}"
    );

    // The secretariat and two members do not verify; a third member does.
    for principal in ["secretariat", "macron", "starmer"] {
        env.ok(&["incident", "confirm", DEMO, incident, "--as", principal]);
    }
    let record = find(&env.json(&["incidents", DEMO]), "id", incident).clone();
    assert_eq!(record["status"], "reported");
    assert_eq!(items(&record["confirmations"]).len(), 3);
    assert!(items(&env.json(&["obligations", DEMO])).is_empty());
    let verified = env.ok(&["incident", "confirm", DEMO, incident, "--as", "merz"]);
    // Germany is told of the obligations it may read (issue 9: receipts go through the gate).
    let for_germany = items(&env.json(&["obligations", DEMO, "--as", "merz"])).len();
    assert!(
        verified.contains(&format!(
            "{incident} verified: {for_germany} obligations opened"
        )),
        "{verified}"
    );
    assert_eq!(items(&env.json(&["obligations", DEMO])).len(), 12);

    // obligations: exactly the commitments in force on 20 November whose trigger matches.
    let obligations = env.json(&["obligations", DEMO]);
    let activated: BTreeSet<&str> = items(&obligations)
        .iter()
        .map(|o| o["commitment"].as_str().expect("a commitment id"))
        .collect();
    // Not the 1994 Budapest assurance: its scope requires that nuclear weapons were used.
    let expected: BTreeSet<&str> = [
        "gbr-2024-consult",
        "fra-2024-consult",
        "usa-2024-consult",
        "compact-nld",
        "compact-swe",
        "paris-fra-military",
        "paris-gbr-force-land",
        "paris-pol-logistics",
        "paris-dnk-air-defence",
        "nor-2025-air-defence",
    ]
    .into();
    assert_eq!(
        activated, expected,
        "lapsed 2024 pledges, unratified and unsigned Paris commitments stay out"
    );
    assert_eq!(items(&obligations).len(), 12);
    for o in items(&obligations) {
        for field in [
            "id",
            "commitment",
            "incident",
            "guarantor",
            "protected",
            "kind",
            "clock",
            "deadline",
            "status",
            "settlement",
            "marking",
        ] {
            assert!(!o[field].is_null(), "{field} missing in {o}");
        }
        assert_eq!(o["incident"], incident);
        assert_eq!(o["status"], "open");
    }
    let usa = obligation(&obligations, "usa-2024-consult", "consult");
    assert_eq!(usa["deadline"]["deadline"], "due");
    assert_eq!(
        usa["deadline"]["at"], "2026-11-21T03:40:00Z",
        "24 h from the attack"
    );
    let paris = obligation(&obligations, "paris-fra-military", "deploy");
    assert_eq!(
        paris["deadline"]["at"], "2026-11-23T12:00:00Z",
        "72 h from verification"
    );
    let gbr = obligation(&obligations, "gbr-2024-consult", "consult");
    assert_eq!(gbr["deadline"]["deadline"], "awaiting-request");
    let compact = obligation(&obligations, "compact-nld", "consult");
    assert_eq!(compact["deadline"]["deadline"], "no-deadline");
    let human = env.ok(&["obligations", DEMO]);
    assert!(human.contains("no deadline"), "{human}");
    assert!(human.contains("awaiting request"), "{human}");

    // Ukraine asks the UK to consult: the 24-hour clock starts at the request.
    env.ok(&[
        "consultations",
        "request",
        DEMO,
        "--by",
        "UKR",
        "--with",
        "GBR",
        "--at",
        "2026-11-20T06:00:00Z",
        "--as",
        "zelenskyy",
    ]);
    let obligations = env.json(&["obligations", DEMO]);
    let gbr = obligation(&obligations, "gbr-2024-consult", "consult");
    assert_eq!(gbr["deadline"]["at"], "2026-11-21T06:00:00Z");

    // Fulfilment in time, late, and a waiver.
    env.ok(&[
        "obligation",
        "fulfil",
        DEMO,
        &id_of(gbr),
        "--report",
        "consultations held in London",
        "--as",
        "starmer",
    ]);
    env.set_now("2026-11-22T00:00:00Z");
    let usa = obligation(&obligations, "usa-2024-consult", "consult");
    env.ok(&[
        "obligation",
        "fulfil",
        DEMO,
        &id_of(usa),
        "--report",
        "senior officials met",
        "--as",
        "witkoff",
    ]);
    let compact = obligation(&obligations, "compact-nld", "consult");
    env.ok(&[
        "obligation",
        "waive",
        DEMO,
        &id_of(compact),
        "--as",
        "zelenskyy",
    ]);
    let obligations = env.json(&["obligations", DEMO]);
    assert_eq!(
        obligation(&obligations, "gbr-2024-consult", "consult")["status"],
        "fulfilled"
    );
    assert_eq!(
        obligation(&obligations, "usa-2024-consult", "consult")["status"],
        "fulfilled-late"
    );
    assert_eq!(
        obligation(&obligations, "compact-nld", "consult")["status"],
        "waived"
    );

    // Overdue on 25 November: the Paris consultations and France's deployment; nothing settled,
    // nothing without a deadline, nothing still waiting for a request.
    let overdue = env.json(&[
        "obligations",
        DEMO,
        "--overdue",
        "--at",
        "2026-11-25T00:00:00Z",
    ]);
    let overdue: BTreeSet<(String, String)> = items(&overdue)
        .iter()
        .map(|o| {
            assert_eq!(o["status"], "overdue");
            (
                o["commitment"].as_str().unwrap().to_owned(),
                o["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let pair = |c: &str, k: &str| (c.to_owned(), k.to_owned());
    assert_eq!(
        overdue,
        [
            pair("paris-fra-military", "consult"),
            pair("paris-fra-military", "deploy"),
            pair("paris-gbr-force-land", "consult"),
        ]
        .into()
    );

    // As of 21 November the late fulfilment had not been recorded yet.
    let then = env.json(&["obligations", DEMO, "--as-of", "2026-11-21T00:00:00Z"]);
    assert_eq!(
        obligation(&then, "usa-2024-consult", "consult")["status"],
        "open"
    );

    // Coverage: the Paris guarantees run fifteen years from the ceasefire.
    let coverage = env.json(&["coverage", DEMO]);
    let military = find(&coverage["categories"], "category", "military-capabilities");
    assert_eq!(military["best"], "guarantee");
    assert_eq!(military["guarantee_until"]["ends"], "last-day");
    assert_eq!(military["guarantee_until"]["last_day"], "2041-02-28");
    let gaps: Vec<&str> = items(&coverage["gaps"])
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert_eq!(
        gaps,
        ["intelligence", "diplomatic-initiatives", "sanctions"],
        "the unratified and assurance-only categories"
    );
    assert!(
        has(&coverage["no_deadline"], "commitment", "compact-nld"),
        "{coverage:#}"
    );

    // And the record verifies.
    let verify = env.json(&["log", "verify", DEMO]);
    assert_eq!(verify["verified"], true);
    let show = env.json(&["log", "show", DEMO]);
    assert_eq!(
        items(&show).len() as u64,
        verify["events"].as_u64().unwrap(),
        "log show lists every event"
    );
}

#[test]
fn demo_refuses_to_run_twice_without_reset() {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let before = env.head(DEMO);
    let stderr = env.fails(2, &["demo"]);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("--reset"), "the message says how: {stderr}");
    assert_eq!(env.head(DEMO), before, "nothing was written");

    env.ok(&["demo", "--reset"]);
    let (events, _) = env.head(DEMO);
    assert_eq!(events, before.0 - 1, "a fresh log, without the ceasefire");
    let commitments = env.json(&["commitments", DEMO]);
    assert_eq!(
        find(&commitments, "id", "paris-fra-military")["status"],
        "dormant"
    );
}

#[test]
fn every_read_command_prints_one_json_document_with_its_fields() {
    let env = Env::demo();
    let coalitions = env.json(&["coalitions"]);
    let demo = find(&coalitions, "id", DEMO);
    for field in ["name", "events", "head"] {
        assert!(!demo[field].is_null(), "coalitions: {field}");
    }
    let members = env.json(&["members", DEMO]);
    let fra = find(&members, "party", "FRA");
    assert_eq!(fra["role"], "member");
    assert_eq!(find(&members, "party", "RUS")["role"], "adversary");
    let principals = env.json(&["principals", DEMO]);
    let macron = find(&principals, "id", "macron");
    assert_eq!(macron["party"], "FRA");
    assert_eq!(macron["role"], "leader");
    assert_eq!(macron["clearance"], "TOP_SECRET");
    let instruments = env.json(&["instruments", DEMO]);
    assert!(items(&instruments).len() >= 7, "{instruments:#}");
    let commitments = env.json(&["commitments", DEMO]);
    let uk = find(&commitments, "id", "gbr-2024-consult");
    for field in [
        "guarantor",
        "protected",
        "category",
        "trigger",
        "discretion",
        "responses",
        "validity",
        "marking",
        "status",
        "strength",
        "runs_until",
    ] {
        assert!(!uk[field].is_null(), "commitments: {field} in {uk}");
    }
    assert_eq!(
        uk["runs_until"], "2034-01-11",
        "ten years from 12 January 2024"
    );
    let by_guarantor = env.json(&["commitments", DEMO, "--guarantor", "GBR"]);
    assert!(items(&by_guarantor).iter().all(|c| c["guarantor"] == "GBR"));
    let in_force = env.json(&["commitments", DEMO, "--in-force-at", "2030-01-01"]);
    assert!(items(&in_force).iter().all(|c| c["status"] == "in-force"));
    assert!(has(&in_force, "id", "gbr-2024-consult"));
    assert!(
        !has(&in_force, "id", "nor-2025-air-defence"),
        "lapsed in 2027"
    );
    let one = env.json(&["commitment", "show", DEMO, "gbr-2024-consult"]);
    assert_eq!(one["id"], "gbr-2024-consult");
    assert!(items(&env.json(&["incidents", DEMO])).is_empty());
    assert!(items(&env.json(&["obligations", DEMO])).is_empty());
    let coverage = env.json(&["coverage", DEMO]);
    for field in [
        "protected",
        "at",
        "categories",
        "timeline",
        "lapsing_first",
        "no_deadline",
        "awaiting_activation",
        "amounts",
        "gaps",
    ] {
        assert!(!coverage[field].is_null(), "coverage: {field}");
    }
    let entries = env.json(&["log", "show", DEMO]);
    let first = &items(&entries)[0];
    assert_eq!(first["seq"], 1);
    assert_eq!(first["kind"], "coalition_founded");
    let verify = env.json(&["log", "verify", DEMO]);
    assert_eq!(verify["verified"], true);
    assert_eq!(
        verify["head"],
        find(&coalitions, "id", DEMO)["head"],
        "coalitions and log verify agree on the head"
    );
}

#[test]
fn appends_from_concurrent_processes_are_all_kept_once_on_one_chain() {
    let env = Env::demo();
    let (before, _) = env.head(DEMO);
    const PROCESSES: usize = 8;
    let children: Vec<_> = (0..PROCESSES)
        .map(|n| {
            let location = format!("parallel-{n}");
            env.command()
                .args(report(&["--location", &location]))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the binary starts")
        })
        .collect();
    let mut ids = BTreeSet::new();
    for child in children {
        let output = child.wait_with_output().expect("the process ends");
        assert!(
            output.status.success(),
            "a concurrent report failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        ids.insert(String::from_utf8_lossy(&output.stdout).trim().to_owned());
    }
    assert_eq!(ids.len(), PROCESSES, "each report got its own id: {ids:?}");
    let (after, _) = env.head(DEMO);
    assert_eq!(after, before + PROCESSES as u64);
    let incidents = env.json(&["incidents", DEMO]);
    let locations: BTreeSet<&str> = items(&incidents)
        .iter()
        .map(|i| i["location"].as_str().unwrap())
        .collect();
    assert_eq!(locations.len(), PROCESSES);
    for id in &ids {
        assert!(has(&incidents, "id", id), "{id} acknowledged but missing");
    }
}
