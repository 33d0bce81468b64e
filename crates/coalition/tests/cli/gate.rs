//! The classification gate from the command line: `--as P` reads with P's clearance and
//! releasability, `--public` reads PUBLIC only, and a hidden item answers like a missing one.

use serde_json::Value;

use crate::support::*;

/// `paris-fra-military` is SECRET, originated by France, releasable to FRA, GBR and UKR.
const SECRET_ID: &str = "paris-fra-military";
/// Words from its `what`, to look for anywhere in the output.
const SECRET_WORDS: &str = "air component of the multinational force";

/// The demo with a ceasefire and a verified attack, so the secret commitment has obligations.
fn activated() -> Env {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    env.ok(&report(&[]));
    env.ok(&["incident", "confirm", DEMO, "INC-1", "--as", "monitor"]);
    env
}

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
    let env = activated();
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
    let env = activated();
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
    let env = activated();
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

#[test]
fn nothing_a_reader_may_not_see_appears_in_any_output() {
    let env = activated();
    for who in ["meloni", "public"] {
        for args in [
            vec!["commitments", DEMO],
            vec!["obligations", DEMO],
            vec!["coverage", DEMO],
            vec!["log", "show", DEMO],
            vec!["incident", "show", DEMO, "INC-1"],
        ] {
            let mut all = args.clone();
            all.extend(reader(who));
            let run = env.run(&all);
            let mut with_json = all.clone();
            with_json.push("--json");
            let json = env.run(&with_json);
            for out in [&run, &json] {
                assert!(
                    !out.stdout.contains(SECRET_WORDS) && !out.stderr.contains(SECRET_WORDS),
                    "coalition {}: the secret text leaked:\n{}",
                    all.join(" "),
                    out.stdout
                );
                assert!(
                    !out.stdout.contains(SECRET_ID),
                    "coalition {}: the secret id leaked",
                    all.join(" ")
                );
            }
        }
    }
    // The custodian of the file sees it, so the words are really there to leak.
    assert!(
        env.ok(&["commitments", DEMO, "--json"])
            .contains(SECRET_WORDS)
    );
}

#[test]
fn the_log_withholds_entries_a_reader_may_not_see_but_keeps_their_hashes() {
    let env = activated();
    let full = env.json(&["log", "show", DEMO]);
    let italy = read(&env, "meloni", &["log", "show", DEMO]);
    assert_eq!(items(&full).len(), items(&italy).len());
    let secret_seq = items(&full)
        .iter()
        .find(|e| {
            e["kind"] == "commitment_added"
                && e["payload"]["payload"]["commitment"]["id"] == SECRET_ID
        })
        .map(|e| e["seq"].clone())
        .expect("the secret commitment's entry");
    let withheld = items(&italy)
        .iter()
        .find(|e| e["seq"] == secret_seq)
        .expect("the entry is listed");
    assert_eq!(withheld["withheld"], true, "{withheld}");
    assert!(withheld["payload"].is_null());
    let genuine = items(&full)
        .iter()
        .find(|e| e["seq"] == secret_seq)
        .unwrap();
    assert_eq!(withheld["hash"], genuine["hash"]);
}

#[test]
fn coverage_for_a_reader_counts_only_what_the_reader_may_see() {
    let env = activated();
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
