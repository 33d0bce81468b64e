//! Meetings: an approval names a recorded meeting only.

use coalition_core::classification::Marking;
use coalition_core::command::Command;
use coalition_core::dates::Day;
use coalition_core::rejection::Rejection;
use coalition_core::statement::PartyStanding;

use super::{UNANIMITY, standing};
use crate::fixture::{self, World, party, statement_id};

#[test]
fn an_approval_names_a_recorded_meeting_only() {
    use coalition_core::statement::{Attendance, Meeting, MeetingId};
    let mut world = World::new();
    world.draft("s", &["FRA", "GBR"], UNANIMITY);
    let meeting = MeetingId::parse("paris-summit").unwrap();
    let mut approval = world.approval("macron", "s", 1);
    if let Command::ApproveVersion { meeting: m, .. } = &mut approval {
        *m = Some(meeting.clone());
    }
    assert_eq!(
        world.decide("macron", &approval),
        Err(Rejection::UnknownMeeting(meeting.clone()))
    );
    world.must(
        "secretariat",
        Command::RecordMeeting(Meeting {
            id: meeting.clone(),
            title: "Summit".into(),
            host: party("FRA"),
            place: "Paris".into(),
            day: Day::parse("2026-01-06").unwrap(),
            attendees: vec![
                (fixture::principal_id("macron"), Attendance::InPerson),
                (fixture::principal_id("starmer"), Attendance::Remote),
            ],
            agenda: vec![statement_id("s")],
            marking: Marking::public(),
        }),
    );
    world.must("macron", approval);
    let PartyStanding::Approved { approval } = standing(&world, "s", "FRA") else {
        panic!("FRA has not approved");
    };
    assert_eq!(approval.meeting, Some(meeting));
}
