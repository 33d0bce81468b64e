//! The whole statement flow: a Markdown draft with portion markings, a revision, approvals
//! signed with keys from `key generate`, status per party and meeting, adoption, the public
//! text, the diff and the communiqué — and the SECRET paragraph's canary nowhere in public.

use super::world::{C, CANARY, DRAFT_V2, imported};
use crate::support::Env;

/// The row of `statement status` for a party.
fn row<'a>(status: &'a str, party: &str) -> &'a str {
    status
        .lines()
        .find(|line| line.starts_with(&format!("| {party}")))
        .unwrap_or_else(|| panic!("no row for {party} in\n{status}"))
}

/// What `statement status C joint` prints.
fn status(world: &Env) -> String {
    world.ok(&["statement", "status", C, "joint"])
}

/// Everything printed for the public, text and JSON.
const PUBLIC_OUTPUTS: [&[&str]; 15] = [
    &["communique", C],
    &["communique", C, "--meeting", "summit"],
    &["communique", C, "--json"],
    &["statement", "show", C, "joint", "--public"],
    &["statement", "show", C, "joint", "--public", "--json"],
    &[
        "statement",
        "show",
        C,
        "joint",
        "--version",
        "1",
        "--public",
    ],
    &["statement", "diff", C, "joint", "1", "2", "--public"],
    &[
        "statement",
        "diff",
        C,
        "joint",
        "1",
        "2",
        "--public",
        "--json",
    ],
    &["statement", "status", C, "joint", "--public", "--json"],
    &["statements", C, "--public", "--json"],
    &["log", "show", C, "--public"],
    &["log", "show", C, "--public", "--json"],
    &["aggregates", C, "--public"],
    &["aggregates", C, "--public", "--json"],
    &["meetings", C, "--public", "--json"],
];

#[test]
fn a_statement_goes_from_draft_to_adoption_and_only_its_public_text_reaches_the_public() {
    let mut world = imported();
    world.passphrase = Some("correct horse".into());
    let macron = world.leader("macron", "FRA");
    let starmer = world.leader("starmer", "GBR");
    let merz = world.leader("merz", "DEU");

    world.draft("FRA,GBR,DEU");
    let listed = world.ok(&["statements", C]);
    assert!(
        listed.contains("joint") && listed.contains("draft") && listed.contains("v1"),
        "{listed}"
    );

    // FRA approves version 1; then version 2 is tabled.
    let approved = world.approve("macron", &macron, 1).ok();
    assert!(approved.contains("signature verified"), "{approved}");
    let v2 = world.write("joint-v2.md", DRAFT_V2);
    world.revise_from("joint", &v2).ok();

    // The summit where GBR approves.
    let mut meeting = vec![
        "meeting",
        "add",
        C,
        "--id",
        "summit",
        "--title",
        "Leaders' summit",
    ];
    meeting.extend(["--host", "FRA", "--place", "Paris", "--day", "2026-01-06"]);
    meeting.extend([
        "--attendee",
        "macron:in-person",
        "--attendee",
        "starmer:remote",
    ]);
    meeting.extend([
        "--attendee",
        "merz:in-person",
        "--agenda",
        "joint",
        "--as",
        "secretariat",
    ]);
    world.ok(&meeting);
    let at_summit = ["--meeting", "summit"];
    world
        .approve_in("joint", "starmer", &starmer, 2, &at_summit)
        .ok();

    let now = status(&world);
    assert!(
        row(&now, "FRA").contains("approved an older version (v1)"),
        "{now}"
    );
    assert!(row(&now, "GBR").contains("approved v2"), "{now}");
    assert!(
        row(&now, "GBR").contains("Leaders' summit (Paris, 2026-01-06)"),
        "{now}"
    );
    assert!(row(&now, "DEU").contains("pending"), "{now}");
    assert!(
        now.contains("latest version 2") && now.contains("draft"),
        "{now}"
    );
    let json = world.ok(&["statement", "status", C, "joint", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let standings: Vec<&str> = json["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["standing"]["standing"].as_str().unwrap())
        .collect();
    assert_eq!(standings, ["approved-older-version", "approved", "pending"]);

    // DEU, then FRA again on version 2: adopted.
    let out = world.approve("merz", &merz, 2).ok();
    assert!(!out.contains("adopted"), "{out}");
    let out = world.approve("macron", &macron, 2).ok();
    assert!(out.contains("joint adopted (version 2)"), "{out}");
    let now = status(&world);
    assert!(now.contains("adopted v2"), "{now}");
    for party in ["FRA", "GBR", "DEU"] {
        assert!(row(&now, party).contains("approved v2"), "{now}");
    }
    // Adopted means immutable.
    world.revise_from("joint", &v2).exits(2);
    world.fails(
        2,
        &["statement", "withdraw-approval", C, "joint", "--as", "merz"],
    );

    // The public text: PUBLIC paragraphs only, nothing withheld shown.
    let public = world.ok(&["statement", "show", C, "joint", "--public"]);
    assert!(public.contains("We, the leaders, stand with Ukraine for a just and lasting peace."));
    assert!(
        public.contains("air defence and a reassurance force"),
        "{public}"
    );
    assert!(
        !public.contains("SECRET") && !public.contains("withheld"),
        "{public}"
    );
    // The custodian of the file sees the SECRET paragraph: the canary is really in the record.
    let full = world.ok(&["statement", "show", C, "joint"]);
    assert!(full.contains(CANARY) && full.contains("(SECRET)"), "{full}");

    // The diff names the changed paragraph, old and new, and keeps the others.
    let diff = world.ok(&["statement", "diff", C, "joint", "1", "2"]);
    assert!(diff.contains("version 1 → version 2"), "{diff}");
    let minus: Vec<&str> = diff.lines().filter(|l| l.starts_with('-')).collect();
    let plus: Vec<&str> = diff.lines().filter(|l| l.starts_with('+')).collect();
    assert_eq!((minus.len(), plus.len()), (1, 1), "{diff}");
    assert!(minus[0].contains("¶2") && minus[0].ends_with("Our support will include air defence."));
    assert!(plus[0].contains("¶2") && plus[0].contains("and a reassurance force"));
    assert!(diff.lines().any(|l| l.starts_with("  ¶1→¶1")), "{diff}");

    // The communiqué: the public paragraphs, and nothing about the one withheld.
    let communique = world.ok(&["communique", C, "--meeting", "summit"]);
    assert!(
        communique.contains("joint (adopted version 2)"),
        "{communique}"
    );
    assert!(communique.contains("a reassurance force"), "{communique}");
    for telltale in ["withheld", "not for publication", "paragraph(s)"] {
        assert!(!communique.contains(telltale), "{communique}");
    }

    // No canary, no SECRET text in anything printed for the public.
    for args in PUBLIC_OUTPUTS {
        let out = world.ok(args);
        assert!(!out.contains(CANARY), "{args:?} printed the canary:\n{out}");
        assert!(!out.contains("operational modalities"), "{args:?}:\n{out}");
    }
    // The canary is in the custodian's log: the public view withholds it.
    assert!(world.ok(&["log", "show", C, "--json"]).contains(CANARY));

    // The whole record, signatures included, verifies.
    world.verified(4);
}

#[test]
fn a_quorum_statement_is_adopted_by_the_kth_approval_and_a_withdrawn_one_stops_counting() {
    let world = imported();
    let macron = world.leader("macron", "FRA");
    let starmer = world.leader("starmer", "GBR");
    let merz = world.leader("merz", "DEU");
    let v1 = world.write("q.md", "(PUBLIC) A quorum statement.\n");
    let two = ["--quorum", "2"];
    world.draft_from("joint", "FRA,GBR,DEU", &v1, &two).ok();
    world.approve("macron", &macron, 1).ok();
    world.ok(&[
        "statement",
        "withdraw-approval",
        C,
        "joint",
        "--as",
        "macron",
    ]);
    let now = status(&world);
    assert!(row(&now, "FRA").contains("pending"), "{now}");
    let out = world.approve("starmer", &starmer, 1).ok();
    assert!(!out.contains("adopted"), "{out}");
    let out = world.approve("merz", &merz, 1).ok();
    assert!(out.contains("adopted"), "{out}");
    // A quorum of 0, or above the signatories, is refused at drafting.
    for k in ["0", "4"] {
        let err = world.draft_from("other", "FRA,GBR,DEU", &v1, &["--quorum", k]);
        let err = err.exits(2);
        assert!(err.contains("quorum"), "{err}");
    }
}
