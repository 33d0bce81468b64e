//! Quorum and unanimity boundaries, and what drafting refuses.

use coalition_core::classification::Level;
use coalition_core::command::Command;
use coalition_core::rejection::Rejection;
use coalition_core::statement::{AdoptionRule, StatementStatus};

use super::UNANIMITY;
use crate::fixture::{World, adopts, paragraphs, party, statement_id};

#[test]
fn with_a_quorum_of_k_of_n_k_minus_1_approvals_do_not_adopt_and_the_kth_does() {
    let leaders = ["macron", "starmer", "merz", "meloni", "tusk"];
    let parties = ["FRA", "GBR", "DEU", "ITA", "POL"];
    let mut checked = 0;
    for n in 1..=parties.len() {
        for k in 1..=n {
            let mut world = World::new();
            let rule = AdoptionRule::Quorum {
                k: u16::try_from(k).unwrap(),
            };
            world.draft("s", &parties[..n], rule);
            for leader in &leaders[..k - 1] {
                assert!(
                    !adopts(&world.approve(leader, "s", 1).unwrap()),
                    "{k} of {n}: adopted early"
                );
            }
            assert_eq!(world.statement("s").status, StatementStatus::Draft);
            let events = world.approve(leaders[k - 1], "s", 1).unwrap();
            assert!(
                adopts(&events),
                "{k} of {n}: the k-th approval did not adopt"
            );
            assert!(matches!(
                world.statement("s").status,
                StatementStatus::Adopted { version: 1, .. }
            ));
            // The rest are too late.
            if k < n {
                assert_eq!(
                    world.approve(leaders[k], "s", 1),
                    Err(Rejection::Adopted(statement_id("s")))
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 15);
}

#[test]
fn unanimity_needs_the_last_signatory() {
    let mut world = World::new();
    let parties = ["FRA", "GBR", "DEU", "ITA"];
    world.draft("s", &parties, UNANIMITY);
    for leader in ["macron", "starmer", "merz"] {
        assert!(!adopts(&world.approve(leader, "s", 1).unwrap()));
    }
    // A party approves a version once.
    assert!(matches!(
        world.approve("merz", "s", 1),
        Err(Rejection::WrongState { .. })
    ));
    assert!(adopts(&world.approve("meloni", "s", 1).unwrap()));
}

#[test]
fn a_quorum_counts_approvals_of_the_current_version_only() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR", "DEU"], AdoptionRule::Quorum { k: 2 });
    world.approve("macron", "s", 1).unwrap();
    world.revise("s");
    assert!(!adopts(&world.approve("starmer", "s", 2).unwrap()));
    assert!(adopts(&world.approve("merz", "s", 2).unwrap()));
}

#[test]
fn a_quorum_of_zero_or_above_the_signatories_is_refused_at_drafting() {
    let world = World::new();
    for (k, signatories) in [
        (0, vec!["FRA"]),
        (0, vec!["FRA", "GBR", "DEU"]),
        (2, vec!["FRA"]),
        (4, vec!["FRA", "GBR", "DEU"]),
        (u16::MAX, vec!["FRA", "GBR", "DEU"]),
    ] {
        let answer = world.decide(
            "secretariat",
            &Command::DraftStatement {
                statement: statement_id("s"),
                title: "Quorum".into(),
                signatories: signatories.iter().map(|p| party(p)).collect(),
                rule: AdoptionRule::Quorum { k },
                seed: coalition_core::statement::Seed([7; 32]),
                paragraphs: paragraphs(&[("Text.", Level::Public)]),
                at: None,
            },
        );
        assert!(
            matches!(
                answer,
                Err(Rejection::Invalid {
                    field: "quorum",
                    ..
                })
            ),
            "quorum {k} of {}: {answer:?}",
            signatories.len()
        );
    }
}

#[test]
fn drafting_refuses_unknown_or_repeated_signatories_and_empty_text() {
    let world = World::new();
    let draft = |signatories: &[&str], texts: &[(&str, Level)]| Command::DraftStatement {
        statement: statement_id("s"),
        title: "T".into(),
        signatories: signatories.iter().map(|p| party(p)).collect(),
        rule: UNANIMITY,
        seed: coalition_core::statement::Seed([7; 32]),
        paragraphs: paragraphs(texts),
        at: None,
    };
    let text = [("Text.", Level::Public)];
    assert_eq!(
        world.decide("secretariat", &draft(&["FRA", "NZL"], &text)),
        Err(Rejection::NoSeat(party("NZL")))
    );
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA", "RUS"], &text)),
        Err(Rejection::WrongSeat { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA", "FRA"], &text)),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&[], &text)),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA"], &[])),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("secretariat", &draft(&["FRA"], &[("  ", Level::Public)])),
        Err(Rejection::Invalid { .. })
    ));
    assert!(matches!(
        world.decide("macron", &draft(&["FRA"], &text)),
        Err(Rejection::NotAuthorised { .. })
    ));
}
