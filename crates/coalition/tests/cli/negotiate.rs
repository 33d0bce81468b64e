//! `coalition negotiate`: what a negotiator reads, and the inputs it refuses.

use std::path::{Path, PathBuf};

use crate::support::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn paris() -> String {
    repo("scenarios/paris-2026.toml").display().to_string()
}

/// The two-party GENIUS domain with one profile rewritten by `edit`, written under the test's
/// directory: (domain, UKR profile, RUS profile).
fn donbas_with(env: &Env, edit: impl Fn(&str) -> String) -> [String; 3] {
    let dir = repo("testdata/negotiate/genius/donbas-2p");
    let ukr = std::fs::read_to_string(dir.join("profile-1-ukr.xml")).expect("the UKR profile");
    let edited = edit(&ukr);
    assert_ne!(edited, ukr, "the edit changes the profile");
    let path = env.root().join("profile-1-ukr.xml");
    std::fs::write(&path, edited).expect("writable");
    [
        dir.join("domain.xml").display().to_string(),
        path.display().to_string(),
        dir.join("profile-2-rus.xml").display().to_string(),
    ]
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .expect("the needle is in the text")
}

#[test]
fn analyze_names_each_gap_in_words_and_explains_the_scale_once() {
    let env = Env::new();
    let out = env.ok(&["negotiate", "analyze", &paris()]);
    // Between all parties, and within the bloc.
    assert!(
        out.contains(
            "donbas: RUS demands “surrender of the fortress belt”, UKR offers “demilitarised zone with mutual withdrawal”"
        ),
        "{out}"
    );
    assert!(
        out.contains("duration: UKR asks 50 years, USA offers 15"),
        "{out}"
    );
    assert_eq!(out.matches("Utilities run from 0").count(), 1, "{out}");
    let json = env.json(&["negotiate", "analyze", &paris()]);
    assert_eq!(json["frontier"].as_array().map(Vec::len), Some(62));
}

#[test]
fn a_truncated_list_says_how_much_it_shows() {
    let env = Env::new();
    let out = env.ok(&["negotiate", "feasible", &paris()]);
    assert!(out.contains("72 of 594 outcomes"), "{out}");
    assert!(out.contains("(showing 10 of 72)"), "{out}");
    let all = env.ok(&["negotiate", "feasible", &paris(), "--limit", "100"]);
    assert!(!all.contains("showing"), "{all}");
}

#[test]
fn a_reservation_value_off_the_utility_scale_is_refused_with_its_line() {
    let env = Env::new();
    let text = scenario_text().replacen("reservation = 0.45", "reservation = 1.45", 1);
    let file = env.root().join("paris.toml");
    std::fs::write(&file, &text).expect("writable");
    let err = env.fails(2, &["negotiate", "analyze", &file.display().to_string()]);
    let line = line_of(&text, "reservation = 1.45");
    assert!(err.contains(&format!("paris.toml: line {line}:")), "{err}");
    assert!(err.contains("from 0") && err.contains("to 1"), "{err}");

    let [domain, ukr, rus] = donbas_with(&env, |p| {
        p.replace(
            r#"<reservation value="0.3"/>"#,
            r#"<reservation value="-0.2"/>"#,
        )
    });
    let err = env.fails(
        2,
        &["negotiate", "analyze", "--genius", &domain, &ukr, &rus],
    );
    assert!(err.contains("profile-1-ukr.xml: line 3:"), "{err}");
    assert!(err.contains("expected a number from 0 to 1"), "{err}");
}

/// The refusal of the UKR profile with its integer bounds set to `bounds`, checked to name
/// the profile's line of those bounds.
fn refused_bounds(env: &Env, bounds: &str) -> String {
    let [domain, ukr, rus] = donbas_with(env, |p| {
        p.replace(r#"lowerbound="10" upperbound="20""#, bounds)
    });
    let line = line_of(&std::fs::read_to_string(&ukr).expect("written"), bounds);
    let err = env.fails(
        2,
        &["negotiate", "frontier", "--genius", &domain, &ukr, &rus],
    );
    assert!(
        err.contains(&format!("profile-1-ukr.xml: line {line}:")),
        "{err}"
    );
    err
}

#[test]
fn integer_bounds_of_a_profile_must_be_the_domains() {
    let env = Env::new();
    let err = refused_bounds(&env, r#"lowerbound="20" upperbound="10""#);
    assert!(err.contains("lowerbound 20 > upperbound 10"), "{err}");
    let err = refused_bounds(&env, r#"lowerbound="12" upperbound="20""#);
    assert!(
        err.contains("12..20 here but 10..20 in the domain"),
        "{err}"
    );
}
