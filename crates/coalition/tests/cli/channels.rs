//! Issue 9: the side channels found around the gate, each reproduced as it was found and shown
//! closed. See docs/threat-model.md.

use serde_json::Value;

use crate::support::*;

/// Words only France's SECRET//REL TO FRA, GBR, UKR commitment holds.
const SECRET_MARKING: &str = "SECRET//REL TO FRA, GBR, UKR";

/// The demo with a ceasefire in force and an attack reported.
fn reported() -> Env {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    env.ok(&report(&[]));
    env
}

fn count_kind(receipt: &Value, kind: &str) -> usize {
    items(&receipt["recorded"])
        .iter()
        .filter(|e| e["kind"] == kind)
        .count()
}

/// Channel 2: completing a verification as Italy printed "13 obligations opened" where Italy may
/// read 9. The receipt now lists, and the text counts, only what the actor may read.
#[test]
fn a_write_receipt_counts_only_what_the_actor_may_read() {
    let env = reported();
    for principal in ["secretariat", "macron", "starmer"] {
        env.ok(&["incident", "confirm", DEMO, "INC-1", "--as", principal]);
    }
    let receipt = env.json(&["incident", "confirm", DEMO, "INC-1", "--as", "meloni"]);
    let opened_for_italy = count_kind(&receipt, "obligation_opened");
    let visible_to_italy = items(&env.json(&["obligations", DEMO, "--as", "meloni"])).len();
    let all = items(&env.json(&["obligations", DEMO])).len();
    assert_eq!(opened_for_italy, visible_to_italy, "{receipt:#}");
    assert!(
        visible_to_italy < all,
        "the demo has obligations Italy may not read ({visible_to_italy} of {all})"
    );
    for entry in items(&receipt["recorded"]) {
        let marking = &entry["payload"]["obligation"]["marking"];
        assert!(
            !entry.to_string().contains("REL TO FRA, GBR, UKR"),
            "an entry Italy may not read: {entry} {marking}"
        );
    }
}

/// The text form says the same number.
#[test]
fn the_activation_text_counts_what_the_actor_may_read() {
    let env = reported();
    for principal in ["secretariat", "macron", "starmer"] {
        env.ok(&["incident", "confirm", DEMO, "INC-1", "--as", principal]);
    }
    let text = env.ok(&["incident", "confirm", DEMO, "INC-1", "--as", "meloni"]);
    let visible_to_italy = items(&env.json(&["obligations", DEMO, "--as", "meloni"])).len();
    assert!(
        text.contains(&format!("verified: {visible_to_italy} obligations opened")),
        "{text}"
    );
}

/// Channel 5: `aggregates --public` printed "SECRET//REL TO FRA, GBR, UKR" as the marking of
/// the military-capabilities figure. The public now sees only figures it may read or that were
/// released, and never the marking of inputs it may not read.
#[test]
fn the_public_sees_no_marking_of_a_figure_it_may_not_read() {
    let env = Env::demo();
    let custodian = env.ok(&["aggregates", DEMO]);
    assert!(
        custodian.contains(SECRET_MARKING),
        "the custodian sees the marking, so it is there to leak:\n{custodian}"
    );
    for reader in [&["--public"][..], &["--as", "meloni"][..]] {
        let mut args = vec!["aggregates", DEMO];
        args.extend_from_slice(reader);
        let text = env.ok(&args);
        assert!(!text.contains(SECRET_MARKING), "{reader:?}:\n{text}");
        args.push("--json");
        let json = env.ok(&args);
        assert!(!json.contains(SECRET_MARKING), "{reader:?}:\n{json}");
        let rows: Value = serde_json::from_str(&json).unwrap();
        for row in items(&rows) {
            assert!(
                !row["value"].is_null() || !row["released_value"].is_null(),
                "a row the reader may neither read nor was released: {row}"
            );
        }
    }
}

/// Channel 6: the communiqué advertised "[1 paragraph(s) not for publication]" and "3 figure(s)
/// withheld". What may be published now says nothing about what may not.
#[test]
fn the_communique_says_nothing_about_what_it_withholds() {
    let env = Env::demo();
    let text = env.ok(&["communique", DEMO]);
    for telltale in [
        "withheld",
        "not for publication",
        "paragraph(s)",
        "figure(s)",
    ] {
        assert!(!text.contains(telltale), "{telltale:?} in:\n{text}");
    }
    let json = env.ok(&["communique", DEMO, "--json"]);
    assert!(!json.contains("withheld"), "{json}");
}

/// Channel 7: the demo released a member count of 36 while the public list shows 34: the
/// difference revealed the two undisclosed seats. Undisclosed seats are never counted: the
/// released count is the count of disclosed members.
#[test]
fn the_public_member_count_is_the_count_of_members_it_can_see() {
    let env = Env::demo();
    let members = env.json(&["members", DEMO, "--public"]);
    let listed = items(&members)
        .iter()
        .filter(|s| s["role"] == "member")
        .count();
    let communique = env.json(&["communique", DEMO]);
    let figure = items(&communique["figures"])
        .iter()
        .find(|f| f["aggregate"]["aggregate"] == "members")
        .unwrap_or_else(|| panic!("no member figure in {communique:#}"));
    assert_eq!(figure["value"], listed as u64, "{figure}");
    let custodian = env.json(&["members", DEMO]);
    let all = items(&custodian)
        .iter()
        .filter(|s| s["role"] == "member")
        .count();
    assert!(
        all > listed,
        "the demo has undisclosed seats ({all} > {listed})"
    );
}
