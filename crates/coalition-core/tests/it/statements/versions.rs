//! Versions: an approval counts for the exact version it signed, and only while it is current.

use coalition_core::command::Command;
use coalition_core::rejection::Rejection;
use coalition_core::statement::{PartyStanding, StatementStatus};

use super::{UNANIMITY, standing};
use crate::fixture::{World, adopts, statement_id};

#[test]
fn an_approval_of_version_n_does_not_count_for_version_n_plus_1() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    assert!(!adopts(&world.approve("macron", "s", 1).unwrap()));
    assert_eq!(world.revise("s"), 2);

    let record = world.statement("s");
    assert_eq!(record.current_approvals(), 0);
    assert_eq!(
        standing(&world, "s", "FRA"),
        PartyStanding::ApprovedOlderVersion { version: 1 }
    );
    assert_eq!(standing(&world, "s", "GBR"), PartyStanding::Pending);

    // GBR alone on version 2 is not unanimity: FRA's approval of version 1 does not count.
    let events = world.approve("starmer", "s", 2).unwrap();
    assert!(!adopts(&events));
    assert_eq!(world.statement("s").status, StatementStatus::Draft);
    assert!(matches!(
        standing(&world, "s", "GBR"),
        PartyStanding::Approved { .. }
    ));

    // FRA approves again, the current version this time: adopted, version 2.
    let events = world.approve("macron", "s", 2).unwrap();
    assert!(adopts(&events));
    assert!(matches!(
        world.statement("s").status,
        StatementStatus::Adopted { version: 2, .. }
    ));
}

#[test]
fn an_approval_racing_a_new_version_is_stale_and_records_nothing() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    // Signed while version 1 was current …
    let signed_on_v1 = world.approval("macron", "s", 1);
    // … and submitted after version 2 was tabled.
    world.revise("s");
    let before = world.history.len();
    assert_eq!(
        world.run("macron", signed_on_v1),
        Err(Rejection::StaleVersion {
            statement: statement_id("s"),
            approved: 1,
            current: 2,
        })
    );
    assert_eq!(world.history.len(), before, "a refusal records nothing");
    assert!(world.statement("s").approvals.is_empty());
}

#[test]
fn approving_a_version_that_does_not_exist_is_refused() {
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    for version in [0, 2, 7, u32::MAX] {
        assert_eq!(
            world.run("macron", world.approval("macron", "s", version)),
            Err(Rejection::UnknownVersion {
                statement: statement_id("s"),
                version,
                latest: 1,
            }),
            "version {version}"
        );
    }
    assert_eq!(
        world.run("macron", world.approval("macron", "s", 1)).err(),
        None
    );
    assert_eq!(
        world
            .decide("macron", &{
                let mut c = world.approval("macron", "s", 1);
                if let Command::ApproveVersion { statement, .. } = &mut c {
                    *statement = statement_id("nope");
                }
                c
            })
            .unwrap_err(),
        Rejection::UnknownStatement(statement_id("nope"))
    );
}
