//! The silence procedure: broken by an objection before its deadline, adopted after it.

use coalition_core::command::Command;
use coalition_core::dates::Span;
use coalition_core::event::Event;
use coalition_core::rejection::Rejection;
use coalition_core::statement::{AdoptionRule, PartyStanding, StatementStatus};

use super::{UNANIMITY, standing};
use crate::fixture::{World, adopts, at, statement_id};

fn second_before(t: coalition_core::dates::Timestamp) -> coalition_core::dates::Timestamp {
    coalition_core::dates::Timestamp::from_unix(t.unix() - 1)
}

#[test]
fn silence_is_broken_by_an_objection_before_the_deadline_and_holds_after_it() {
    let deadline = at("2026-01-10T12:00:00Z");
    let rule = AdoptionRule::Silence { deadline };
    let object = Command::ObjectToStatement {
        statement: statement_id("s"),
        at: None,
    };
    let conclude = Command::ConcludeSilence {
        statement: statement_id("s"),
    };

    // No objection: refused a second before the deadline, adopted at it.
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    // Approvals do not adopt under silence, even from every signatory.
    assert!(!adopts(&world.approve("macron", "s", 1).unwrap()));
    assert!(!adopts(&world.approve("starmer", "s", 1).unwrap()));
    world.now = second_before(deadline);
    assert!(matches!(
        world.decide("secretariat", &conclude),
        Err(Rejection::WrongState { .. })
    ));
    world.now = deadline;
    let events = world.must("secretariat", conclude.clone());
    assert!(matches!(
        events.as_slice(),
        [Event::StatementAdopted { version: 1, .. }]
    ));

    // An objection a second before the deadline breaks it for good.
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    world.now = second_before(deadline);
    assert!(matches!(
        world.decide("sanchez", &object),
        Err(Rejection::NotASignatory { .. })
    ));
    assert!(matches!(
        world.decide("barrot", &object),
        Err(Rejection::NotAuthorised { .. })
    ));
    world.must("starmer", object.clone());
    assert_eq!(standing(&world, "s", "GBR"), PartyStanding::Objected);
    world.now = deadline.plus(Span::days(30));
    assert!(matches!(
        world.decide("secretariat", &conclude),
        Err(Rejection::WrongState { .. })
    ));
    assert_eq!(world.statement("s").status, StatementStatus::Draft);

    // An objection at the deadline is too late; the silence holds.
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], rule);
    world.now = deadline;
    assert!(matches!(
        world.decide("starmer", &object),
        Err(Rejection::WrongState { .. })
    ));
    assert!(adopts(&world.must("secretariat", conclude)));
}

#[test]
fn objection_and_conclusion_are_refused_outside_a_silence_procedure() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    for (who, command) in [
        (
            "starmer",
            Command::ObjectToStatement {
                statement: statement_id("s"),
                at: None,
            },
        ),
        (
            "secretariat",
            Command::ConcludeSilence {
                statement: statement_id("s"),
            },
        ),
    ] {
        assert!(matches!(
            world.decide(who, &command),
            Err(Rejection::Invalid { .. })
        ));
    }
}
