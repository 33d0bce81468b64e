//! The communiqué: nothing above PUBLIC reaches it without a release, and releases need a cleared secretariat that may read the figure.

use coalition_core::classification::{Level, Marking, may_read};
use coalition_core::command::Command;
use coalition_core::commitment::Category;
use coalition_core::communique::{Aggregate, communique, compute};
use coalition_core::event::Event;
use coalition_core::id::CommitmentId;
use coalition_core::rejection::Rejection;
use proptest::prelude::*;

use super::UNANIMITY;
use crate::fixture::{self, World, adopts, party};
use crate::support::{self, pledge};

fn commitment(n: usize, guarantor: &str, category: &str, marking: Marking) -> Command {
    let pledge = pledge(&format!("c{n}"), guarantor)
        .category(category)
        .marked(marking)
        .what(&format!("CANARY-COMMITMENT-{n}"));
    support::Step::from(pledge).command
}

fn marking_strategy() -> impl Strategy<Value = Marking> {
    let releasable = prop_oneof![
        Just(None),
        Just(Some(vec!["FRA", "GBR"])),
        Just(Some(vec!["FRA"])),
        Just(Some(vec!["GBR", "DEU"])),
    ];
    // Originated by France, so that the French secretariat recording it may read it.
    // PUBLIC is releasable to everyone: a list on it is refused.
    (0..Level::ALL.len(), releasable).prop_map(|(level, releasable)| Marking {
        level: Level::ALL[level],
        originator: Some(party("FRA")),
        releasable_to: releasable
            .filter(|_| level > 0)
            .map(|parties| parties.iter().map(|p| party(p)).collect()),
    })
}

const GUARANTORS: [&str; 5] = ["FRA", "GBR", "DEU", "ITA", "POL"];
const CATEGORIES: [&str; 5] = [
    "military-capabilities",
    "intelligence",
    "logistical-support",
    "diplomatic-initiatives",
    "force-land",
];

/// One step of a random history.
#[derive(Clone, Debug)]
enum Step {
    Commit {
        guarantor: usize,
        category: usize,
        marking: Marking,
    },
    Release(usize),
    Withdraw(usize),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..GUARANTORS.len(), 0..CATEGORIES.len(), marking_strategy()).prop_map(
            |(guarantor, category, marking)| Step::Commit { guarantor, category, marking }
        ),
        1 => (0..8usize).prop_map(Step::Release),
        1 => (0..8usize).prop_map(Step::Withdraw),
    ]
}

fn aggregates() -> Vec<Aggregate> {
    let mut all = Aggregate::standard();
    all.push(Aggregate::GuarantorsCommitted {
        categories: vec![Category::parse("intelligence").unwrap()],
    });
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever the markings of paragraphs and commitments, and whatever releases were made, the
    /// communiqué holds PUBLIC paragraphs of adopted statements only, and each figure is either
    /// computed from PUBLIC inputs or the value of a recorded release.
    #[test]
    fn nothing_above_public_reaches_the_communique_without_a_release(
        statements in prop::collection::vec(
            (prop::collection::vec(marking_strategy(), 1..6), any::<bool>()),
            1..4,
        ),
        steps in prop::collection::vec(step_strategy(), 0..14),
    ) {
        let mut world = World::new();
        let mut secret_texts = Vec::new();
        for (s, (markings, adopt)) in statements.iter().enumerate() {
            let id = format!("s{s}");
            let texts: Vec<String> = (0..markings.len())
                .map(|p| format!("CANARY-{s}-{p}-{}", markings[p].level))
                .collect();
            let paragraphs = texts
                .iter()
                .zip(markings)
                .map(|(text, marking)| coalition_core::statement::Paragraph {
                    text: text.clone(),
                    marking: marking.clone(),
                })
                .collect();
            for (text, marking) in texts.iter().zip(markings) {
                if !marking.is_public() {
                    secret_texts.push(text.clone());
                }
            }
            world.draft_with(&id, &["FRA"], UNANIMITY, paragraphs);
            if *adopt {
                prop_assert!(adopts(&world.approve("macron", &id, 1).unwrap()));
            }
        }
        let mut added = 0;
        for step in &steps {
            match step {
                Step::Commit { guarantor, category, marking } => {
                    world.must("secretariat", commitment(
                        added, GUARANTORS[*guarantor], CATEGORIES[*category], marking.clone(),
                    ));
                    added += 1;
                }
                Step::Release(n) => {
                    let all = aggregates();
                    let aggregate = all[n % all.len()].clone();
                    let computed = compute(&world.state, &aggregate);
                    let answer = world.run("secretariat", Command::ReleaseAggregate {
                        aggregate: aggregate.clone(),
                    });
                    // A release is refused exactly when there is nothing to release, or the
                    // secretariat (FRA, TOP SECRET) may not read the figure.
                    let secretariat = world.state.principal(&fixture::principal_id("secretariat")).unwrap();
                    let readable = may_read(&world.state.viewer_for(secretariat), &computed.marking);
                    prop_assert_eq!(
                        answer.is_ok(),
                        readable && !computed.marking.is_public(),
                        "{:?}", answer
                    );
                }
                Step::Withdraw(n) if added > 0 => {
                    let id = CommitmentId::parse(&format!("c{}", n % added)).unwrap();
                    let _ = world.run("secretariat", Command::WithdrawCommitment {
                        commitment: id, reason: "superseded".into(), at: None,
                    });
                }
                Step::Withdraw(_) => {}
            }
        }

        let published = communique(&world.state, None);
        for statement in &published.statements {
            let record = world.statement(statement.id.as_str());
            prop_assert!(record.is_adopted());
            for paragraph in &statement.paragraphs {
                prop_assert!(paragraph.marking.is_public(), "{:?}", paragraph);
            }
            let adopted = record.version(statement.version).unwrap();
            let public = adopted.paragraphs.iter().filter(|p| p.marking.is_public()).count();
            prop_assert_eq!(statement.paragraphs.len(), public);
        }
        let adopted_count = statements.iter().filter(|(_, adopt)| *adopt).count();
        prop_assert_eq!(published.statements.len(), adopted_count);
        for figure in &published.figures {
            let computed = compute(&world.state, &figure.aggregate);
            if figure.released {
                let release = world.state.releases().iter().rev()
                    .find(|r| r.aggregate == figure.aggregate);
                prop_assert!(release.is_some(), "released figure without a release: {:?}", figure);
                let release = release.unwrap();
                prop_assert_eq!(release.value, figure.value);
                prop_assert_eq!(release.of_members, figure.of_members);
            } else {
                prop_assert!(computed.marking.is_public(), "{:?} from {}", figure, computed.marking);
                prop_assert_eq!(computed.value, figure.value);
            }
        }
        // Every standard aggregate is accounted for: published, withheld, or public and zero.
        for aggregate in Aggregate::standard() {
            let computed = compute(&world.state, &aggregate);
            let shown = published.figures.iter().any(|f| f.aggregate == aggregate);
            let released = world.state.releases().iter().any(|r| r.aggregate == aggregate);
            if !computed.marking.is_public() && !released {
                prop_assert!(!shown, "{} shown without a release", aggregate);
            }
        }
        let text = serde_json::to_string(&published).unwrap();
        for secret in &secret_texts {
            prop_assert!(!text.contains(secret.as_str()), "{} reached the communiqué", secret);
        }
        prop_assert!(!text.contains("CANARY-COMMITMENT"));
    }
}

#[test]
fn a_release_needs_a_secretariat_principal_cleared_to_the_aggregates_level() {
    let mut world = World::new();
    let marking = Marking::at(Level::Secret);
    world.must(
        "secretariat",
        commitment(0, "GBR", "force-land", marking.clone()),
    );
    let presence = Aggregate::GuarantorsCommitted {
        categories: ["force-land", "force-sea", "force-air"]
            .iter()
            .map(|c| Category::parse(c).unwrap())
            .collect(),
    };
    let release = Command::ReleaseAggregate {
        aggregate: presence.clone(),
    };
    // Not published before a release.
    assert!(
        !communique(&world.state, None)
            .figures
            .iter()
            .any(|f| f.aggregate == presence)
    );
    // A leader cleared TOP SECRET is not the secretariat.
    assert!(matches!(
        world.decide("macron", &release),
        Err(Rejection::NotAuthorised { .. })
    ));
    // A secretariat clerk cleared to CONFIDENTIAL may not release a SECRET figure.
    assert_eq!(
        world.decide("clerk", &release),
        Err(Rejection::Clearance {
            principal: fixture::principal_id("clerk"),
            clearance: Level::Confidential,
            needed: Level::Secret,
        })
    );
    // The secretariat, cleared TOP SECRET, may.
    let events = world.must("secretariat", release);
    let [Event::AggregateReleased { release, .. }] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(release.value, 1);
    assert_eq!(release.from_marking, marking);
    let published = communique(&world.state, None);
    let figure = published
        .figures
        .iter()
        .find(|f| f.aggregate == presence)
        .unwrap();
    assert!(figure.released);
    assert_eq!(figure.value, 1);

    // A PUBLIC aggregate needs no release.
    let public_aggregate = Aggregate::GuarantorsCommitted {
        categories: vec![Category::parse("sanctions").unwrap()],
    };
    assert!(matches!(
        world.decide(
            "secretariat",
            &Command::ReleaseAggregate {
                aggregate: public_aggregate
            }
        ),
        Err(Rejection::Invalid { .. })
    ));
}

#[test]
fn a_release_needs_a_secretariat_that_may_read_the_aggregate() {
    // A German secretariat office cleared TOP SECRET may not read a figure releasable to FRA and
    // GBR only; it may not publish it either.
    let mut world = World::new();
    let marking: Marking = "SECRET//REL TO FRA, GBR".parse().unwrap();
    world.must("secretariat", commitment(0, "GBR", "force-land", marking));
    let release = Command::ReleaseAggregate {
        aggregate: Aggregate::GuarantorsCommitted {
            categories: vec![Category::parse("force-land").unwrap()],
        },
    };
    assert!(
        world.decide("bonn-office", &release).is_err(),
        "released by a principal who may not read it"
    );
    assert!(world.decide("secretariat", &release).is_ok());
}
