//! The classification gate from the command line: `--as P` reads with P's clearance and
//! releasability, `--public` reads PUBLIC only, and a hidden item answers like a missing one.

use serde_json::Value;

use crate::support::*;

/// `paris-fra-military` is SECRET, originated by France, releasable to FRA, GBR and UKR.
const SECRET_ID: &str = "paris-fra-military";
/// Words from its `what`, to look for anywhere in the output.
const SECRET_WORDS: &str = "air component of the multinational force";

/// The demo with a ceasefire and a verified attack, so the secret commitment has obligations;
/// and the attack's id.
fn activated() -> (Env, String) {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let incident = env.reported(&[]);
    env.ok(&["incident", "confirm", DEMO, &incident, "--as", "monitor"]);
    (env, incident)
}

/// Stands in for the attack's id in [`READS`].
const INCIDENT: &str = "INCIDENT";

/// Who reads: `--as P` or `--public`.
fn reader(who: &str) -> Vec<&str> {
    if who == "public" {
        vec!["--public"]
    } else {
        vec!["--as", who]
    }
}

fn read(env: &Env, who: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(reader(who));
    env.json(&all)
}

#[test]
fn a_secret_commitment_released_to_three_states_is_seen_by_them_only() {
    let (env, _) = activated();
    for who in ["macron", "starmer", "zelenskyy"] {
        let commitments = read(&env, who, &["commitments", DEMO]);
        assert!(has(&commitments, "id", SECRET_ID), "{who} may read it");
        let obligations = read(&env, who, &["obligations", DEMO]);
        assert!(
            has(&obligations, "commitment", SECRET_ID),
            "{who} sees what it owes or is owed"
        );
    }
    for who in ["meloni", "witkoff", "public"] {
        let commitments = read(&env, who, &["commitments", DEMO]);
        assert!(!has(&commitments, "id", SECRET_ID), "{who} must not see it");
        let obligations = read(&env, who, &["obligations", DEMO]);
        assert!(
            !has(&obligations, "commitment", SECRET_ID),
            "{who} must not see its obligations"
        );
    }
}

#[test]
fn the_public_sees_public_items_only() {
    let (env, _) = activated();
    let commitments = read(&env, "public", &["commitments", DEMO]);
    assert!(
        !items(&commitments).is_empty(),
        "some commitments are PUBLIC"
    );
    for c in items(&commitments) {
        assert_eq!(c["marking"]["level"], "PUBLIC", "{c}");
    }
    assert!(items(&read(&env, "public", &["incidents", DEMO])).is_empty());
    assert!(items(&read(&env, "public", &["obligations", DEMO])).is_empty());
    let members = read(&env, "public", &["members", DEMO]);
    assert!(has(&members, "party", "FRA"));
    assert!(
        !has(&members, "party", "NZL"),
        "an undisclosed membership is not public"
    );
    let custodian = env.json(&["members", DEMO]);
    assert!(has(&custodian, "party", "NZL"));
}

#[test]
fn a_hidden_item_answers_exactly_like_a_nonexistent_one() {
    let (env, _) = activated();
    let hidden = env.fails(
        2,
        &["commitment", "show", DEMO, SECRET_ID, "--as", "meloni"],
    );
    let missing = env.fails(
        2,
        &[
            "commitment",
            "show",
            DEMO,
            "no-such-commitment",
            "--as",
            "meloni",
        ],
    );
    assert_eq!(
        hidden.replace(SECRET_ID, "ID"),
        missing.replace("no-such-commitment", "ID")
    );
    // Readable by France.
    env.ok(&["commitment", "show", DEMO, SECRET_ID, "--as", "macron"]);
}

/// Every read command, with the exit code each reader must get: 0, or 2 where the item named is
/// one the reader may not see (then it must answer as for a missing one).
const READS: &[(&[&str], i32, i32)] = &[
    // (arguments, exit for meloni, exit for the public)
    (&["members", DEMO], 0, 0),
    (&["principals", DEMO], 0, 0),
    (&["instruments", DEMO], 0, 0),
    (&["commitments", DEMO], 0, 0),
    (&["commitment", "show", DEMO, "paris-ita-diplomatic"], 0, 0),
    (&["commitment", "show", DEMO, SECRET_ID], 2, 2),
    (&["incidents", DEMO], 0, 0),
    (&["incident", "show", DEMO, INCIDENT], 0, 2),
    (&["obligations", DEMO], 0, 0),
    (&["coverage", DEMO], 0, 0),
    (&["support", DEMO], 0, 0),
    (&["support", DEMO, "--csv"], 0, 0),
    (&["obligations", DEMO, "--format", "ics"], 0, 0),
    (&["statements", DEMO], 0, 0),
    (&["statement", "show", DEMO, "paris-declaration"], 0, 0),
    (
        &["statement", "diff", DEMO, "paris-declaration", "1", "2"],
        0,
        0,
    ),
    (&["statement", "status", DEMO, "paris-declaration"], 0, 0),
    (&["meetings", DEMO], 0, 0),
    (&["aggregates", DEMO], 0, 0),
    (&["log", "show", DEMO], 0, 0),
];

#[test]
fn nothing_a_reader_may_not_see_appears_in_any_output() {
    let (env, incident) = activated();
    let mut checked = 0;
    for (who, column) in [("meloni", 1), ("public", 2)] {
        for &(args, for_meloni, for_public) in READS {
            let expected = if column == 1 { for_meloni } else { for_public };
            let mut all: Vec<&str> = args
                .iter()
                .map(|a| if *a == INCIDENT { incident.as_str() } else { a })
                .collect();
            all.extend(reader(who));
            let mut with_json = all.clone();
            with_json.push("--json");
            for out in [env.run(&all), env.run(&with_json)] {
                assert_eq!(
                    out.code,
                    Some(expected),
                    "coalition {}: expected exit {expected}: {out:?}",
                    out.args
                );
                for secret in [SECRET_WORDS, SECRET_ID] {
                    assert!(
                        !out.stdout.contains(secret) || args.contains(&secret),
                        "coalition {}: {secret:?} leaked:\n{}",
                        out.args,
                        out.stdout
                    );
                    assert!(
                        !out.stderr.contains(SECRET_WORDS),
                        "coalition {}: the secret text leaked on stderr",
                        out.args
                    );
                }
                checked += 1;
            }
        }
    }
    // The communiqué is composed for the public, whoever asks.
    for out in [
        env.run(&["communique", DEMO]),
        env.run(&["communique", DEMO, "--json"]),
    ] {
        assert_eq!(out.code, Some(0), "{out:?}");
        assert!(!out.stdout.contains(SECRET_WORDS) && !out.stdout.contains(SECRET_ID));
        checked += 1;
    }
    assert_eq!(checked, READS.len() * 4 + 2, "every read was checked");
    // The custodian of the file sees it, so the words are really there to leak.
    assert!(
        env.ok(&["commitments", DEMO, "--json"])
            .contains(SECRET_WORDS)
    );
}

#[test]
fn coverage_for_a_reader_counts_only_what_the_reader_may_see() {
    let (env, _) = activated();
    let gaps = |who: Option<&str>| -> Vec<String> {
        let mut args = vec!["coverage", DEMO];
        if let Some(who) = who {
            args.extend(reader(who));
        }
        let report = env.json(&args);
        items(&report["gaps"])
            .iter()
            .map(|g| g.as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!gaps(None).contains(&"military-capabilities".to_owned()));
    assert!(!gaps(Some("starmer")).contains(&"military-capabilities".to_owned()));
    assert!(
        gaps(Some("meloni")).contains(&"military-capabilities".to_owned()),
        "France's secret guarantee is not Italy's to count"
    );
}

#[test]
fn an_unknown_reader_is_refused() {
    let env = Env::demo();
    let stderr = env.fails(2, &["commitments", DEMO, "--as", "nobody"]);
    assert!(stderr.contains("nobody"), "{stderr}");
    env.fails(2, &["commitments", DEMO, "--as", "macron", "--public"]);
}
