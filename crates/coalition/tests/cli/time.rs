//! Issue 8: the record tells the truth about time. The four questions a secretariat asks, with
//! every fact entered after the fact at its stated time; exercises; what the reads say about
//! times before the record.

use serde_json::Value;

use crate::support::*;

/// The attack of 14 October 2026, entered on 20 November: reported at 04:10 that morning and
/// verified by the monitoring mechanism at 10:00.
fn attack_entered_after_the_fact() -> (Env, String) {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let id = env
        .ok(&[
            "incident",
            "report",
            DEMO,
            "--aggressor",
            "RUS",
            "--target",
            "UKR",
            "--at",
            "2026-10-14T03:40:00Z",
            "--reported-at",
            "2026-10-14T04:10:00Z",
            "--location",
            "Kharkiv oblast",
            "--as",
            "zelenskyy",
        ])
        .trim()
        .to_owned();
    env.ok(&[
        "incident",
        "confirm",
        DEMO,
        &id,
        "--at",
        "2026-10-14T10:00:00Z",
        "--as",
        "monitor",
    ]);
    (env, id)
}

fn by_commitment<'a>(obligations: &'a Value, commitment: &str, kind: &str) -> &'a Value {
    items(obligations)
        .iter()
        .find(|o| o["commitment"] == commitment && o["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} obligation of {commitment} in {obligations:#}"))
}

fn due(obligation: &Value) -> &str {
    assert_eq!(obligation["deadline"]["deadline"], "due", "{obligation}");
    obligation["deadline"]["at"].as_str().unwrap()
}

/// Question 1: an attack entered after the fact — who must consult by when, each clock from the
/// right fact; which have no deadline; which lapsed.
#[test]
fn an_attack_entered_after_the_fact_counts_each_clock_from_the_fact_it_runs_from() {
    let (env, _) = attack_entered_after_the_fact();
    let obligations = env.json(&["obligations", DEMO]);
    // The US clock runs from the attack, not from when anything was entered.
    assert_eq!(
        due(by_commitment(&obligations, "usa-2024-consult", "consult")),
        "2026-10-15T03:40:00Z"
    );
    // The Paris clocks run from the verification on 14 October, not 20 November.
    assert_eq!(
        due(by_commitment(&obligations, "paris-fra-military", "consult")),
        "2026-10-15T10:00:00Z"
    );
    // The UK clock waits for Ukraine's request; "swiftly" has no deadline.
    assert_eq!(
        by_commitment(&obligations, "gbr-2024-consult", "consult")["deadline"]["deadline"],
        "awaiting-request"
    );
    assert_eq!(
        by_commitment(&obligations, "fra-2024-consult", "consult")["deadline"]["deadline"],
        "no-deadline"
    );
    // Aid that lapsed with 2024 opens nothing.
    assert!(!has(&obligations, "commitment", "gbr-2024-military"));
    // Ukraine's request, entered late but dated the morning after, starts the UK clock then.
    env.ok(&[
        "consultations",
        "request",
        DEMO,
        "--by",
        "UKR",
        "--with",
        "GBR",
        "--at",
        "2026-10-15T06:00:00Z",
        "--as",
        "zelenskyy",
    ]);
    let obligations = env.json(&["obligations", DEMO]);
    assert_eq!(
        due(by_commitment(&obligations, "gbr-2024-consult", "consult")),
        "2026-10-16T06:00:00Z",
        "the UK's 24 hours run from the request"
    );
}

/// Question 2: overdue as of a time, with fulfilments at stated times.
#[test]
fn overdue_and_fulfilled_are_as_the_world_stood_at_the_time_asked() {
    let (env, _) = attack_entered_after_the_fact();
    let us = by_commitment(
        &env.json(&["obligations", DEMO]),
        "usa-2024-consult",
        "consult",
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    env.ok(&[
        "obligation",
        "fulfil",
        DEMO,
        &us,
        "--report",
        "consulted in Washington",
        "--at",
        "2026-10-14T20:00:00Z",
        "--as",
        "witkoff",
    ]);
    let status_at = |at: &str| -> String {
        let list = env.json(&["obligations", DEMO, "--at", at]);
        find(&list, "id", &us)["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        status_at("2026-10-14T19:00:00Z"),
        "open",
        "not yet fulfilled at 19:00"
    );
    assert_eq!(status_at("2026-10-14T21:00:00Z"), "fulfilled");
    // Before the verification at 10:00 no obligation existed.
    assert!(items(&env.json(&["obligations", DEMO, "--at", "2026-10-14T09:00:00Z"])).is_empty());
    // Overdue as of 16 October: the Paris consultations were due on the 15th and not fulfilled.
    let overdue = env.json(&[
        "obligations",
        DEMO,
        "--overdue",
        "--at",
        "2026-10-16T00:00:00Z",
    ]);
    assert!(has(&overdue, "commitment", "paris-fra-military"));
    assert!(!has(&overdue, "id", &us), "fulfilled in time");
    // And what did the record say on 1 November about the 15th? Nothing: it was entered later.
    let known = env.run(&[
        "obligations",
        DEMO,
        "--at",
        "2026-10-15T00:00:00Z",
        "--as-of",
        "2026-11-01T00:00:00Z",
    ]);
    assert_eq!(known.code, Some(2), "{known:?}");
    assert!(known.stderr.contains("not yet recorded"), "{known:?}");
}

/// Question 3: a what-if for a future date gives the same answers as `--at` once the same attack
/// is entered with the same times.
#[test]
fn a_what_if_gives_the_answers_the_record_gives_once_the_attack_is_entered() {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let whatif = env.json(&[
        "whatif",
        DEMO,
        "incident",
        "--aggressor",
        "RUS",
        "--target",
        "UKR",
        "--at",
        "2027-06-14T04:00:00Z",
        "--verified-at",
        "2027-06-14T09:00:00Z",
    ]);
    let before = env.head(DEMO);
    assert_eq!(env.head(DEMO), before, "a what-if writes nothing");
    let mut later = env;
    later.now = "2027-06-20T12:00:00Z".to_owned();
    let reported = later
        .run(&[
            "incident",
            "report",
            DEMO,
            "--aggressor",
            "RUS",
            "--target",
            "UKR",
            "--at",
            "2027-06-14T04:00:00Z",
            "--reported-at",
            "2027-06-14T05:00:00Z",
            "--as",
            "zelenskyy",
        ])
        .ok();
    let id = reported.trim();
    later.ok(&[
        "incident",
        "confirm",
        DEMO,
        id,
        "--at",
        "2027-06-14T09:00:00Z",
        "--as",
        "monitor",
    ]);
    let actual = later.json(&[
        "obligations",
        DEMO,
        "--incident",
        id,
        "--at",
        "2027-06-15T00:00:00Z",
    ]);
    let deadlines = |list: &Vec<Value>| -> Vec<(String, String, String)> {
        let mut all: Vec<_> = list
            .iter()
            .map(|o| {
                (
                    o["commitment"].as_str().unwrap().to_owned(),
                    o["kind"].as_str().unwrap().to_owned(),
                    o["deadline"].to_string(),
                )
            })
            .collect();
        all.sort();
        all
    };
    assert_eq!(
        deadlines(items(&whatif["would_open"])),
        deadlines(items(&actual)),
        "the what-if and the record agree"
    );
}

/// Question 4: two reports of one attack, merged: the obligations are not doubled.
#[test]
fn a_duplicate_report_merged_does_not_double_the_obligations() {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let first = env
        .ok(&report(&["--location", "Kharkiv"]))
        .trim()
        .to_owned();
    // The same attack, reported again by the secretariat.
    let second = env.run(&[
        "incident",
        "report",
        DEMO,
        "--aggressor",
        "RUS",
        "--target",
        "UKR",
        "--at",
        "2026-11-20T04:10:00Z",
        "--location",
        "Kharkiv oblast",
        "--as",
        "secretariat",
    ]);
    let second_id = second.stdout.trim().to_owned();
    assert_eq!(second.code, Some(0), "{second:?}");
    assert!(
        second.stderr.contains(&format!("looks like {first}")),
        "a warning names the earlier report: {second:?}"
    );
    for id in [&first, &second_id] {
        env.ok(&["incident", "confirm", DEMO, id, "--as", "monitor"]);
    }
    let doubled = items(&env.json(&["obligations", DEMO])).len();
    env.ok(&[
        "incident",
        "merge",
        DEMO,
        &second_id,
        "--into",
        &first,
        "--as",
        "secretariat",
    ]);
    let obligations = env.json(&["obligations", DEMO]);
    let owed: Vec<&Value> = items(&obligations)
        .iter()
        .filter(|o| o["status"] != "cancelled")
        .collect();
    assert_eq!(owed.len() * 2, doubled, "each obligation is owed once");
    assert!(owed.iter().all(|o| o["incident"] == first.as_str()));
}

#[test]
fn a_read_before_the_record_began_says_so() {
    let env = Env::demo();
    let run = env.run(&["commitments", DEMO, "--as-of", "2020-01-01T00:00:00Z"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("not yet recorded"), "{run:?}");
    let run = env.run(&["commitments", DEMO, "--at", "2020-01-01T00:00:00Z"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("was founded at"), "{run:?}");
}

#[test]
fn an_exercise_rehearses_at_its_own_clock_and_never_touches_the_real_record() {
    let env = Env::demo();
    let real = env.head(DEMO);
    let started = env.ok(&[
        "exercise",
        "start",
        DEMO,
        "--name",
        "steadfast",
        "--clock",
        "2027-06-14T06:00:00Z",
        "--as",
        "secretariat",
    ]);
    let exercise = started.lines().next().unwrap().trim().to_owned();
    assert!(exercise.contains("EXERCISE"), "{started}");
    // A time in 2027 is the future for the real record, the present for the exercise.
    let future = [
        "incident",
        "report",
        DEMO,
        "--aggressor",
        "RUS",
        "--target",
        "UKR",
        "--at",
        "2027-06-14T04:00:00Z",
        "--as",
        "zelenskyy",
    ];
    env.fails(2, &future);
    let mut in_exercise = future;
    in_exercise[2] = &exercise;
    let out = env.ok(&in_exercise);
    assert!(out.starts_with("EXERCISE EXERCISE EXERCISE"), "{out}");
    assert!(
        out.trim_end().ends_with("EXERCISE EXERCISE EXERCISE"),
        "{out}"
    );
    let json = env.json(&["incidents", &exercise]);
    assert_eq!(json["exercise"], "EXERCISE EXERCISE EXERCISE", "{json}");
    assert_eq!(items(&json["document"]).len(), 1);
    // The real record is exactly as it was.
    assert_eq!(env.head(DEMO), real);
    assert!(items(&env.json(&["incidents", DEMO])).is_empty());
    // The clock never runs back, and an ended exercise records nothing more.
    env.fails(
        2,
        &[
            "exercise",
            "clock",
            &exercise,
            "--set",
            "2027-01-01T00:00:00Z",
            "--as",
            "secretariat",
        ],
    );
    env.ok(&["exercise", "end", &exercise, "--as", "secretariat"]);
    env.fails(2, &in_exercise);
    // Its log verifies, and carries its own log key.
    env.ok(&["log", "verify", &exercise]);
}
