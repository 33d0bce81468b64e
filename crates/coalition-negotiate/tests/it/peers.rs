//! Our results against the field's own tools, kept in testdata/negotiate/expected (written by
//! `tools/peers/peers.py expected`): frontier sets equal, utilities to 1e-9, bargaining points
//! among the peer's (tied) choices, forecasts to 1e-6.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use coalition_negotiate::analysis::{AnalyzeOptions, analyze};
use coalition_negotiate::bargaining::Solution;
use coalition_negotiate::decide_csv;
use coalition_negotiate::forecast::{ExchangeOptions, exchange_model};
use coalition_negotiate::genius::{Semantics, read_negotiation};
use serde_json::Value;

use crate::support::{shared, testdata};

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
}

/// Checks one GENIUS case (domain + profiles) against its expected file, in both readings.
fn check_genius(domain: &Path, profiles: &[PathBuf], expected: &Value) {
    let dtext = std::fs::read_to_string(domain).unwrap();
    let ptexts: Vec<(String, String)> = profiles
        .iter()
        .map(|p| (std::fs::read_to_string(p).unwrap(), p.display().to_string()))
        .collect();
    let pairs: Vec<(&str, &str)> = ptexts
        .iter()
        .map(|(t, f)| (t.as_str(), f.as_str()))
        .collect();
    for (key, semantics) in [("raw", Semantics::Raw), ("genius", Semantics::Genius)] {
        let case = format!("{} [{key}]", expected["case"].as_str().unwrap());
        let neg =
            read_negotiation(&dtext, &domain.display().to_string(), &pairs, semantics).unwrap();
        let parties: Vec<usize> = (0..neg.parties.len()).collect();
        let a = analyze(
            &neg,
            &parties,
            AnalyzeOptions::for_semantics(semantics),
            &mut |_, _| {},
        );
        assert_eq!(
            a.outcomes as u64,
            expected["outcomes"].as_u64().unwrap(),
            "{case}"
        );
        let exp = &expected[key];

        // Frontier: the same set of outcomes, each with the same utilities.
        let want: Vec<(Vec<u32>, Vec<f64>)> = exp["frontier"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let o = p["outcome"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as u32)
                    .collect();
                (o, floats(&p["utilities"]))
            })
            .collect();
        let ours: BTreeSet<Vec<u32>> = (0..a.frontier.len())
            .map(|i| a.frontier.outcome(i).to_vec())
            .collect();
        let theirs: BTreeSet<Vec<u32>> = want.iter().map(|(o, _)| o.clone()).collect();
        assert_eq!(
            ours.len(),
            a.frontier.len(),
            "{case}: an outcome listed twice"
        );
        assert_eq!(ours, theirs, "{case}: frontier outcomes differ");
        for i in 0..a.frontier.len() {
            let (_, u) = want
                .iter()
                .find(|(o, _)| o.as_slice() == a.frontier.outcome(i))
                .unwrap();
            assert!(
                close(a.frontier.utility(i), u, 1e-9),
                "{case}: utilities of {:?}",
                a.frontier.outcome(i)
            );
        }

        let among = |name: &str, ours: &Option<Solution>, theirs: &Value| {
            let choices: Vec<Vec<f64>> = theirs
                .as_array()
                .unwrap()
                .iter()
                .map(|p| floats(&p["utilities"]))
                .collect();
            match ours {
                Some(s) => assert!(
                    choices.iter().any(|c| close(c, &s.utilities, 1e-9)),
                    "{case}: our {name} {:?} is not among the peer's {choices:?}",
                    s.utilities
                ),
                None => assert!(
                    choices.is_empty(),
                    "{case}: no {name} point, the peer has {choices:?}"
                ),
            }
        };
        if key == "raw" {
            assert!(
                close(
                    &a.solutions.disagreement,
                    &floats(&exp["disagreement"]),
                    1e-9
                ),
                "{case}: disagreement point"
            );
            among("nash", &a.solutions.nash, &exp["nash"]);
            among(
                "kalai_smorodinsky",
                &a.solutions.kalai_smorodinsky,
                &exp["kalai_smorodinsky"],
            );
            among("egalitarian", &a.solutions.egalitarian, &exp["egalitarian"]);
            among("utilitarian", &a.solutions.utilitarian, &exp["utilitarian"]);
        } else {
            among(
                "kalai_smorodinsky_genius",
                &a.solutions.kalai_smorodinsky_genius,
                &exp["kalai_smorodinsky_genius"],
            );
            // GENIUS maximises the product over the whole frontier, gains or not; we only
            // consider points where nobody loses. They agree whenever GENIUS's point is one.
            let reserved = floats(&exp["reserved"]);
            let g = &exp["nash"][0];
            let gu = floats(&g["utilities"]);
            if gu.iter().zip(&reserved).all(|(u, r)| *u >= *r) {
                among("nash", &a.solutions.nash, &exp["nash"]);
            }
        }
    }
}

#[test]
fn our_own_genius_domains_match_negmas_and_genius_rules() {
    let root = testdata().join("genius");
    let mut cases = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let mut profiles: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("profile-")
            })
            .collect();
        profiles.sort();
        let expected = load(&testdata().join(format!("expected/genius-{name}.json")));
        check_genius(&dir.join("domain.xml"), &profiles, &expected);
        cases += 1;
    }
    assert!(
        cases >= 2,
        "expected our own GENIUS cases in {}",
        root.display()
    );
}

#[test]
fn the_shared_anac_domains_match_negmas_and_genius_rules() {
    let Some(dir) = shared("shared ANAC domains vs peers") else {
        return;
    };
    let g = dir.join("genius");
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "laptop-2011",
            "laptop-2011/laptop_domain.xml",
            &[
                "laptop-2011/laptop_buyer_utility.xml",
                "laptop-2011/laptop_seller_utility.xml",
            ],
        ),
        (
            "energy-a-2012",
            "energy-a-2012/Energy-A-domain.xml",
            &[
                "energy-a-2012/Energy-A-prof1.xml",
                "energy-a-2012/Energy-A-prof2.xml",
            ],
        ),
        (
            "politics-2015",
            "politics-2015/Politics.xml",
            &[
                "politics-2015/Politics_util1.xml",
                "politics-2015/Politics_util2.xml",
                "politics-2015/Politics_util3.xml",
            ],
        ),
    ];
    for (name, domain, profiles) in cases {
        let expected = load(&testdata().join(format!("expected/genius-shared-{name}.json")));
        let profiles: Vec<PathBuf> = profiles.iter().map(|p| g.join(p)).collect();
        check_genius(&g.join(domain), &profiles, &expected);
    }
}

/// Checks one exchange-model input against decide's results, every round: the same exchanges
/// in the same order (actors, supply issues, gains to 1e-6) and the same predictions (1e-6).
fn check_exchange(path: &Path, expected: &Value) {
    let text = std::fs::read_to_string(path).unwrap();
    let input = decide_csv::read(&text, &path.display().to_string()).unwrap();
    let rounds = expected["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 10, "decide's results for ten rounds");
    let f = exchange_model(
        &input,
        ExchangeOptions {
            rounds: rounds.len(),
            ..ExchangeOptions::default()
        },
    )
    .unwrap();
    let case = expected["case"].as_str().unwrap();
    let check = |ours: &[Option<f64>], theirs: &Value, what: &str| {
        let theirs = theirs.as_object().unwrap();
        let ours_count = ours.iter().filter(|v| v.is_some()).count();
        assert_eq!(ours_count, theirs.len(), "{case}: {what}: issues");
        for (issue, v) in theirs {
            let k = input.issues.iter().position(|i| &i.name == issue).unwrap();
            let (o, t) = (ours[k].unwrap(), v.as_f64().unwrap());
            assert!(
                (o - t).abs() <= 1e-6,
                "{case}: {what}: {issue} is {o}, decide {t}"
            );
        }
    };
    check(
        &coalition_negotiate::forecast::compromise(&input),
        &expected["compromise"],
        "compromise model",
    );
    check(&f.initial, &expected["compromise"], "initial compromise");
    let mut total = 0;
    for (r, want) in rounds.iter().enumerate() {
        let ex = expected["exchanges"][r].as_array().unwrap();
        let got = &f.rounds[r].exchanges;
        let names = |e: &coalition_negotiate::forecast::Exchange| {
            format!(
                "{}/{} {}/{} {:.9}",
                input.actors[e.moves[0].actor],
                input.issues[e.moves[0].supply_issue].name,
                input.actors[e.moves[1].actor],
                input.issues[e.moves[1].supply_issue].name,
                e.gain
            )
        };
        for (k, (e, w)) in got.iter().zip(ex).enumerate() {
            let at = format!(
                "{case} round {} exchange {}: ours {}",
                r + 1,
                k + 1,
                names(e)
            );
            let ours = [
                input.actors[e.moves[0].actor].as_str(),
                input.issues[e.moves[0].supply_issue].name.as_str(),
                input.actors[e.moves[1].actor].as_str(),
                input.issues[e.moves[1].supply_issue].name.as_str(),
            ];
            let theirs = ["i", "i_supply", "j", "j_supply"].map(|k| w[k].as_str().unwrap());
            assert_eq!(ours, theirs, "{at}");
            assert!(
                (e.gain - w["gain"].as_f64().unwrap()).abs() <= 1e-6,
                "{at}: decide's gain {}",
                w["gain"]
            );
        }
        assert_eq!(
            got.len(),
            ex.len(),
            "{case} round {}: number of exchanges",
            r + 1
        );
        check(&f.rounds[r].outcome, want, &format!("round {}", r + 1));
        total += got.len();
    }
    eprintln!("{case}: 10 rounds, {total} exchanges, all equal to decide's");
}

#[test]
fn our_own_exchange_input_matches_decide() {
    let path = testdata().join("exchange/paris-forecast.csv");
    check_exchange(
        &path,
        &load(&testdata().join("expected/exchange-paris-forecast.json")),
    );
}

#[test]
fn decides_sample_copenhagen_and_cop21_match_decide() {
    let Some(dir) = shared("shared exchange-model inputs vs decide") else {
        return;
    };
    for (name, file) in [
        ("sample_data", "sample_data.txt"),
        ("copenhagen", "copenhagen.csv"),
        ("cop21", "cop21.csv"),
    ] {
        let expected = load(&testdata().join(format!("expected/exchange-shared-{name}.json")));
        check_exchange(&dir.join("exchange-csv").join(file), &expected);
    }
}
