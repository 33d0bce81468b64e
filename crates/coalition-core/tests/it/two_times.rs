//! The record's two times as a property (issue 8): for random histories with stated times,
//! - "as the record stood at R" is the log cut at R: replaying the events recorded by R gives
//!   exactly the state the record held when the last of them was recorded;
//! - "as the world stood at T" holds only facts effective by T: no commitment made, no
//!   obligation opened and no settlement given after T, and every commitment's status at T is
//!   the one the full record derives for T.

use coalition_core::State;
use coalition_core::dates::Timestamp;
use coalition_core::obligation::Settlement;
use proptest::prelude::*;

use crate::replay::{Op, arb_op, base, step_for};

fn settled_at(settlement: &Settlement) -> Option<Timestamp> {
    match settlement {
        Settlement::Open => None,
        Settlement::Fulfilled { at, .. }
        | Settlement::FulfilledLate { at, .. }
        | Settlement::Waived { at, .. }
        | Settlement::Disputed { at, .. }
        | Settlement::Cancelled { at, .. } => Some(*at),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_record_as_of_r_is_the_log_cut_at_r_and_the_world_at_t_holds_only_what_was_effective(
        ops in prop::collection::vec(arb_op(), 1..40)
    ) {
        let mut scenario = base();
        // After each step: the clock, the log's length and the state as it then stood.
        let mut snapshots: Vec<(Timestamp, usize, String)> = Vec::new();
        for (counter, op) in ops.iter().enumerate() {
            if let Op::Advance { hours } = op {
                scenario.now = Timestamp::from_unix(scenario.now.unix() + hours * 3600);
                continue;
            }
            let Some(step) = step_for(&scenario, op, counter) else { continue };
            scenario = scenario.when(step).after;
            snapshots.push((scenario.now, scenario.log.len(), format!("{:?}", scenario.state)));
        }
        // As of R: several steps may share a recording time; the cut holds all of them.
        for (i, (recorded_by, len, state)) in snapshots.iter().enumerate() {
            if snapshots.get(i + 1).is_some_and(|next| next.0 == *recorded_by) {
                continue;
            }
            let cut: Vec<_> = scenario
                .entries()
                .filter(|(_, recorded)| recorded <= recorded_by)
                .map(|(event, _)| event.clone())
                .collect();
            prop_assert_eq!(cut.len(), *len);
            prop_assert_eq!(&format!("{:?}", State::replay(&cut)), state);
        }
        // At T: a spread of times around the history.
        let full = &scenario.state;
        for hours in [-3000i64, -500, -48, -1, 0] {
            let at = Timestamp::from_unix(scenario.now.unix() + hours * 3600);
            let world = State::world_at(scenario.entries(), at);
            for (id, record) in full.commitments() {
                match world.commitments().get(id) {
                    Some(then) => {
                        prop_assert!(then.added_at <= at, "{id} made after {at}");
                        prop_assert_eq!(
                            world.commitment_status(then, at),
                            full.commitment_status(record, at),
                            "{} at {}", id, at
                        );
                    }
                    None => prop_assert!(record.added_at > at, "{id} made by {at} but absent"),
                }
            }
            for (id, record) in full.obligations() {
                match world.obligations().get(id) {
                    Some(then) => {
                        prop_assert!(then.obligation.opened_at <= at, "{id} opened after {at}");
                        if let Some(settled) = settled_at(&then.settlement) {
                            prop_assert!(settled <= at, "{id} settled after {at}");
                        }
                    }
                    None => prop_assert!(
                        record.obligation.opened_at > at,
                        "{id} opened by {at} but absent"
                    ),
                }
            }
        }
    }
}
