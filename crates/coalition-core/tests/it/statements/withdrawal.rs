//! Withdrawn approvals stop counting; an adopted statement never changes again.

use coalition_core::classification::Level;
use coalition_core::command::Command;
use coalition_core::event::Event;
use coalition_core::rejection::Rejection;
use coalition_core::statement::{AdoptionRule, PartyStanding, StatementStatus};

use super::{UNANIMITY, standing};
use crate::fixture::{World, adopts, paragraphs, statement_id};

#[test]
fn a_withdrawn_approval_stops_counting() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    world.approve("macron", "s", 1).unwrap();
    // Only the party's leader withdraws; a party that has not approved has nothing to withdraw.
    let withdraw = Command::WithdrawApproval {
        statement: statement_id("s"),
        at: None,
    };
    assert!(matches!(
        world.decide("barrot", &withdraw),
        Err(Rejection::NotAuthorised { .. })
    ));
    assert!(matches!(
        world.decide("starmer", &withdraw),
        Err(Rejection::WrongState { .. })
    ));
    let events = world.must("macron", withdraw.clone());
    assert!(matches!(
        events.as_slice(),
        [Event::ApprovalWithdrawn { version: 1, .. }]
    ));
    assert_eq!(standing(&world, "s", "FRA"), PartyStanding::Pending);

    // GBR's approval would have completed unanimity with FRA's; withdrawn, it does not.
    assert!(!adopts(&world.approve("starmer", "s", 1).unwrap()));
    assert_eq!(world.statement("s").status, StatementStatus::Draft);
    assert_eq!(world.statement("s").current_approvals(), 1);

    // FRA approves again: adopted.
    assert!(adopts(&world.approve("macron", "s", 1).unwrap()));
}

#[test]
fn a_withdrawn_approval_stops_counting_towards_a_quorum() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR", "DEU"], AdoptionRule::Quorum { k: 2 });
    world.approve("macron", "s", 1).unwrap();
    world.must(
        "macron",
        Command::WithdrawApproval {
            statement: statement_id("s"),
            at: None,
        },
    );
    assert!(!adopts(&world.approve("starmer", "s", 1).unwrap()));
    assert!(adopts(&world.approve("merz", "s", 1).unwrap()));
}

#[test]
fn an_adopted_statement_is_immutable() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], AdoptionRule::Quorum { k: 1 });
    assert!(adopts(&world.approve("macron", "s", 1).unwrap()));
    let adopted = world.statement("s").clone();
    let s = statement_id("s");
    let adopted_rejection = Err(Rejection::Adopted(s.clone()));

    // Approvals withdrawn after adoption, new approvals, new versions, objections: all refused.
    assert_eq!(
        world.decide(
            "macron",
            &Command::WithdrawApproval {
                statement: s.clone(),
                at: None,
            }
        ),
        adopted_rejection
    );
    assert_eq!(
        world.decide("starmer", &world.approval("starmer", "s", 1)),
        adopted_rejection
    );
    assert_eq!(
        world.decide(
            "secretariat",
            &Command::ReviseStatement {
                statement: s.clone(),
                seed: coalition_core::statement::Seed([7; 32]),
                paragraphs: paragraphs(&[("Changed after adoption.", Level::Public)]),
                at: None,
            }
        ),
        adopted_rejection
    );
    assert_eq!(
        world.decide(
            "starmer",
            &Command::ObjectToStatement {
                statement: s.clone(),
                at: None,
            }
        ),
        adopted_rejection
    );
    assert_eq!(
        world.decide("secretariat", &Command::ConcludeSilence { statement: s }),
        adopted_rejection
    );
    assert_eq!(*world.statement("s"), adopted);
}
