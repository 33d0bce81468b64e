//! Issue 9: the side channels found around the gate, each reproduced as it was found and shown
//! closed. See docs/threat-model.md.

use serde_json::Value;

use crate::support::*;

/// Words only France's SECRET//REL TO FRA, GBR, UKR commitment holds.
const SECRET_MARKING: &str = "SECRET//REL TO FRA, GBR, UKR";

/// The demo with a ceasefire in force and an attack reported; and the attack's id.
fn reported() -> (Env, String) {
    let env = Env::demo();
    env.ok(&CEASEFIRE);
    let incident = env.reported(&[]);
    (env, incident)
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
    let (env, incident) = reported();
    for principal in ["secretariat", "macron", "starmer"] {
        env.ok(&["incident", "confirm", DEMO, &incident, "--as", principal]);
    }
    let receipt = env.json(&["incident", "confirm", DEMO, &incident, "--as", "meloni"]);
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
    let (env, incident) = reported();
    for principal in ["secretariat", "macron", "starmer"] {
        env.ok(&["incident", "confirm", DEMO, &incident, "--as", principal]);
    }
    let text = env.ok(&["incident", "confirm", DEMO, &incident, "--as", "meloni"]);
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

/// A copy of `env`'s data and trust directories, as a second machine holding the same record.
fn twin(env: &Env) -> Env {
    let copy = Env::new();
    copy_tree(&env.data_dir(), &copy.data_dir());
    if env.trust_dir().exists() {
        copy_tree(&env.trust_dir(), &copy.trust_dir());
    }
    copy
}

/// A SECRET commitment France makes, releasable to FRA, GBR and UKR only.
const HIDDEN_FROM_ITALY: [&str; 26] = [
    "commitment",
    "add",
    DEMO,
    "--guarantor",
    "FRA",
    "--category",
    "military",
    "--what",
    "a second air wing",
    "--aggressor",
    "RUS",
    "--consult-within",
    "24h",
    "--classification",
    "SECRET",
    "--releasable-to",
    "FRA,GBR,UKR",
    "--from",
    "2026-01-06",
    "--until",
    "2041-01-05",
    "--discretion",
    "automatic",
    "--as",
    "macron",
    "--json",
];

/// Italy's own public pledge, recorded in both records after the hidden one.
const ITALY_PLEDGE: [&str; 20] = [
    "commitment",
    "add",
    DEMO,
    "--guarantor",
    "ITA",
    "--category",
    "diplomatic",
    "--what",
    "convene the UN Security Council",
    "--aggressor",
    "RUS",
    "--response",
    "diplomatic",
    "--classification",
    "PUBLIC",
    "--from",
    "2026-01-06",
    "--as",
    "meloni",
    "--json",
];

/// Channel 4: `log show --public` printed `(withheld)` rows with sequence numbers and hashes,
/// so the public saw that seven classified obligations were opened and where. Each reader now
/// reads its own audience's log: the entries it may read, numbered 1, 2, 3 … and chained among
/// themselves; the same for two records that differ only in what it may not read.
#[test]
fn a_reader_s_log_holds_nothing_of_what_it_may_not_read() {
    let env = Env::demo();
    let with_hidden = twin(&env);
    with_hidden.ok(&HIDDEN_FROM_ITALY);
    for record in [&env, &with_hidden] {
        record.ok(&ITALY_PLEDGE);
    }
    for reader in [&["--as", "meloni"][..], &["--public"][..]] {
        let log = |record: &Env| {
            let mut args = vec!["log", "show", DEMO, "--json"];
            args.extend_from_slice(reader);
            record.ok(&args)
        };
        assert_eq!(log(&env), log(&with_hidden), "{reader:?} sees a difference");
        let entries: Value = serde_json::from_str(&log(&env)).unwrap();
        for (i, entry) in items(&entries).iter().enumerate() {
            assert_eq!(entry["seq"], i as u64 + 1, "numbered without gaps: {entry}");
            assert!(entry.get("withheld").is_none());
        }
    }
    // The custodian's master log does hold the difference.
    assert_ne!(
        env.ok(&["log", "show", DEMO, "--json"]),
        with_hidden.ok(&["log", "show", DEMO, "--json"])
    );
    // Italy's log is a log like any other: exported, it verifies offline.
    let bundle = env.root().join("italy.bundle");
    env.ok(&[
        "log",
        "export",
        DEMO,
        "--as",
        "meloni",
        "--out",
        path(&bundle),
    ]);
    env.ok(&["log", "verify", "--bundle", path(&bundle)]);
}

/// Channels 2 and 3 for writes: a receipt numbers the actor's entries in its own log, so the
/// same visible write gets the same receipt whatever else the record holds.
#[test]
fn a_write_receipt_is_the_same_whatever_the_actor_may_not_read() {
    let env = Env::demo();
    let with_hidden = twin(&env);
    with_hidden.ok(&HIDDEN_FROM_ITALY);
    assert_eq!(env.ok(&ITALY_PLEDGE), with_hidden.ok(&ITALY_PLEDGE));
}

/// Channels 1 and 11: `obligation fulfil C OB-7 --as meloni` on a hidden French obligation
/// answered "only a leader, minister or envoy of FRA … may" where a made-up id answered "unknown
/// obligation". The rules now look items up through the actor's own gate: a hidden item is
/// refused exactly as a missing one (same message but for the id, same exit code), and the log
/// is left as it was.
#[test]
fn a_write_naming_a_hidden_item_fails_as_for_a_missing_one() {
    let (env, incident) = reported();
    env.ok(&["incident", "confirm", DEMO, &incident, "--as", "monitor"]);
    let visible = env.json(&["obligations", DEMO, "--as", "meloni"]);
    let hidden: Vec<String> = items(&env.json(&["obligations", DEMO]))
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .filter(|id| !has(&visible, "id", id))
        .collect();
    let visible_commitments = env.json(&["commitments", DEMO, "--as", "meloni"]);
    let hidden_commitment = items(&env.json(&["commitments", DEMO]))
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .find(|id| !has(&visible_commitments, "id", id))
        .expect("the demo has a commitment Italy may not read");
    assert!(
        !hidden.is_empty(),
        "the demo opens obligations Italy may not read"
    );
    let head = env.head(DEMO);
    let missing = "OB-ZZZZ";
    for (id, missing) in hidden
        .iter()
        .map(|id| (id.as_str(), missing))
        .chain([(hidden_commitment.as_str(), "C-ZZZZ")])
    {
        for verb in [
            &["obligation", "fulfil"][..],
            &["obligation", "dispute"],
            &["commitment", "withdraw"],
            &[
                "commitment",
                "support",
                "--stage",
                "delivered",
                "--quantity",
                "1",
            ],
        ] {
            let answer = |named: &str| {
                let mut args = verb.to_vec();
                args.extend([DEMO, named, "--as", "meloni"]);
                let run = env.run(&args);
                (run.code, run.stdout, run.stderr.replace(named, "ID"))
            };
            let (hidden_answer, missing_answer) = (answer(id), answer(missing));
            assert_ne!(hidden_answer.0, Some(0), "{verb:?} {id}: {hidden_answer:?}");
            assert_eq!(hidden_answer, missing_answer, "{verb:?} {id}");
        }
    }
    assert_eq!(env.head(DEMO), head, "a refused write writes nothing");
}

/// A principal records items only at markings it may read itself: Italy's leader (cleared to
/// SECRET) may not record a TOP SECRET commitment, nor Ukraine's a TOP SECRET incident; nothing
/// is written.
#[test]
fn a_principal_may_not_create_what_it_could_not_read() {
    let env = Env::demo();
    let head = env.head(DEMO);
    let pledge: Vec<&str> = ITALY_PLEDGE
        .iter()
        .map(|a| if *a == "PUBLIC" { "TOP SECRET" } else { a })
        .collect();
    let err = env.fails(2, &pledge);
    assert!(
        err.contains("classification") && err.contains("may not read"),
        "{err}"
    );
    let err = env.fails(2, &report(&["--classification", "TOP SECRET"]));
    assert!(err.contains("may not read"), "{err}");
    assert_eq!(env.head(DEMO), head);
}

/// Channel 8: `--classification PUBLIC --releasable-to FRA,GBR` was stored and shown to everyone,
/// its releasability ignored. A releasability list on a PUBLIC item is refused wherever a marking
/// is given, naming the flag (or the file and line), and nothing is written.
#[test]
fn a_public_marking_with_a_releasability_list_is_refused() {
    let env = Env::demo();
    let head = env.head(DEMO);
    let mut pledge: Vec<&str> = ITALY_PLEDGE.to_vec();
    pledge.extend(["--releasable-to", "FRA,GBR"]);
    let err = env.fails(2, &pledge);
    assert!(
        err.contains("releasable-to") && err.contains("PUBLIC is releasable to everyone"),
        "{err}"
    );
    let err = env.fails(
        2,
        &report(&["--classification", "PUBLIC", "--releasable-to", "FRA"]),
    );
    assert!(err.contains("releasable-to"), "{err}");
    assert_eq!(env.head(DEMO), head, "a refused write writes nothing");

    // In a scenario, an item with a releasability list and no classification (so PUBLIC).
    let text = crate::bad_input::copy();
    let public = crate::bad_input::line_of(&text, "classification = \"PUBLIC\"");
    let bad = text.replacen(
        "classification = \"PUBLIC\"",
        "classification = \"PUBLIC\"\nreleasable_to = [\"FRA\", \"GBR\"]",
        1,
    );
    let header = crate::bad_input::header_before(&bad, public, "[[");
    let err = crate::bad_input::import_fails(&bad, header..=public + 1);
    assert!(err.contains("releasable_to"), "{err}");

    // In a draft's portion marking.
    let draft = env.write(
        "draft.md",
        "(PUBLIC//REL TO FRA) The coalition stands by Ukraine.\n",
    );
    let err = env.fails(
        2,
        &[
            "statement",
            "draft",
            DEMO,
            "--id",
            "second-declaration",
            "--title",
            "A second declaration",
            "--signatories",
            "FRA",
            "--from",
            path(&draft),
            "--as",
            "secretariat",
        ],
    );
    assert!(
        err.contains("draft.md:1") && err.contains("releasable to everyone"),
        "{err}"
    );
    assert_eq!(env.head(DEMO), head);
}

/// The demo's SECRET paragraph of the Paris Declaration (words only it holds).
const SECRET_PARAGRAPH: &str = "operational modalities converged upon by the chiefs of defence";

/// Issue 9, §4 of the threat model: every event is about one marking, so the public's own log
/// holds the whole public history — the founding, the statements' versions and their public
/// paragraphs — and its bundle, which anyone may have, verifies offline with its approvals
/// (it failed with "approval of unknown statement paris-declaration" while a version was one
/// event as secret as its most secret paragraph).
#[test]
fn the_public_bundle_verifies_offline_with_its_approvals() {
    let env = Env::demo();
    let bundle = env.root().join("public.bundle");
    env.ok(&["log", "export", DEMO, "--public", "--out", path(&bundle)]);
    let verified = env.json(&["log", "verify", "--bundle", path(&bundle)]);
    assert!(
        verified.to_string().contains("approvals"),
        "the audit counts approvals: {verified}"
    );
    let bytes = std::fs::read_to_string(&bundle).unwrap();
    assert!(
        !bytes.contains(SECRET_PARAGRAPH),
        "the public bundle holds no secret text"
    );
    let log = env.json(&["log", "show", DEMO, "--public"]);
    let kinds: Vec<&str> = items(&log)
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds.first(), Some(&"coalition_founded"), "{kinds:?}");
    for kind in [
        "statement_drafted",
        "version_tabled",
        "paragraph_tabled",
        "version_approved",
    ] {
        assert!(
            kinds.contains(&kind),
            "{kind} not in the public log: {kinds:?}"
        );
    }
}

/// Channel 9: `statement show --public` printed the hash of the whole version, classified
/// paragraphs included, so anyone could confirm a guessed classified paragraph. A version now
/// commits to salted leaves, one per paragraph, padded to 16: the public sees the leaves of the
/// public paragraphs among them and checks them against the signed content hash, and nothing it
/// holds opens the secret one.
#[test]
fn a_public_reader_checks_the_public_paragraphs_against_the_signed_hash_and_nothing_else() {
    let env = Env::demo();
    let custodian = env.json(&["statement", "show", DEMO, "paris-declaration"]);
    let public = env.json(&["statement", "show", DEMO, "paris-declaration", "--public"]);
    assert_eq!(
        public["content"], custodian["content"],
        "one signed hash for everyone"
    );
    assert_eq!(public["verified"], true, "{public:#}");
    assert_eq!(public["leaves"], 16, "{public:#}");
    let shown = items(&public["paragraphs"]);
    assert!(
        shown.iter().all(|p| p["marking"]["level"] == "PUBLIC"),
        "{public:#}"
    );
    assert!(items(&custodian["paragraphs"]).len() > shown.len());
    assert!(!public.to_string().contains(SECRET_PARAGRAPH));
    let text = env.ok(&["statement", "show", DEMO, "paris-declaration", "--public"]);
    assert!(
        text.contains("verified") && !text.contains("withheld"),
        "{text}"
    );
    // The public's log holds the leaves and the openings of the public paragraphs only: the
    // secret paragraph's salt is not there to test a guess with.
    let log = env.json(&["log", "show", DEMO, "--public"]);
    let openings: Vec<&Value> = items(&log)
        .iter()
        .filter(|e| e["kind"] == "paragraph_tabled")
        .collect();
    assert_eq!(
        openings.len(),
        5 + 6 + 3,
        "the public paragraphs of every version"
    );
    assert!(
        openings
            .iter()
            .all(|e| e["payload"]["payload"]["paragraph"]["marking"]["level"] == "PUBLIC")
    );
    // Two records of the same text commit to different hashes: a hash confirms no guess.
    let again = Env::demo();
    let other = again.json(&["statement", "show", DEMO, "paris-declaration", "--public"]);
    assert_ne!(other["content"], public["content"]);
}

/// Channel 10: the gate handed out whole statement records, and readers were shown where a
/// paragraph was withheld (`[withheld]`, numbered in place), which counts and places what they
/// may not read. Every reader is now shown the paragraphs it may read, numbered among
/// themselves, in `statement show` and `statement diff`, text and JSON.
#[test]
fn a_statement_shows_nothing_of_the_paragraphs_a_reader_may_not_read() {
    let env = Env::demo();
    // A French secretariat clerk cleared to CONFIDENTIAL: below the SECRET paragraph.
    env.ok(&[
        "principal",
        "add",
        DEMO,
        "clerk-fra",
        "--name",
        "A clerk",
        "--party",
        "FRA",
        "--role",
        "secretariat",
        "--clearance",
        "CONFIDENTIAL",
        "--as",
        "secretariat",
    ]);
    for reader in [&["--public"][..], &["--as", "clerk-fra"][..]] {
        for read in [
            &["statement", "show", DEMO, "paris-declaration"][..],
            &["statement", "diff", DEMO, "paris-declaration", "1", "2"],
        ] {
            let mut args = read.to_vec();
            args.extend_from_slice(reader);
            let text = env.ok(&args);
            args.push("--json");
            let json = env.ok(&args);
            for out in [&text, &json] {
                assert!(!out.contains("withheld"), "{args:?}:\n{out}");
                assert!(!out.contains(SECRET_PARAGRAPH), "{args:?}:\n{out}");
            }
        }
        let mut args = vec!["statement", "show", DEMO, "paris-declaration"];
        args.extend_from_slice(reader);
        let shown = env.json(&args);
        for (i, p) in items(&shown["paragraphs"]).iter().enumerate() {
            assert_eq!(p["number"], i as u64 + 1, "numbered among themselves: {p}");
        }
    }
}
