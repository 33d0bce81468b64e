//! Publication: releasing an aggregate's value to the public (a trusted downgrade).

use super::rules::{Rules, invalid, not_authorised};
use crate::classification::may_read;
use crate::communique::{self, Aggregate, Release};
use crate::event::Event;
use crate::rejection::Rejection;

impl Rules<'_> {
    pub(super) fn release_aggregate(&self, aggregate: &Aggregate) -> Result<Vec<Event>, Rejection> {
        self.secretariat("release an aggregate")?;
        let computed = communique::compute(self.state, aggregate);
        if self.actor.clearance < computed.marking.level {
            return Err(Rejection::Clearance {
                principal: self.actor.id.clone(),
                clearance: self.actor.clearance,
                needed: computed.marking.level,
            });
        }
        if !may_read(&self.state.viewer_for(self.actor), &computed.marking) {
            return Err(not_authorised(
                self.actor,
                "release an aggregate",
                format!(
                    "{} may not read {aggregate} ({})",
                    self.actor.party, computed.marking
                ),
            ));
        }
        if computed.marking.is_public() {
            return Err(invalid(
                "aggregate",
                format!("{aggregate} is already public; nothing to release"),
            ));
        }
        Ok(vec![Event::AggregateReleased {
            release: Release {
                aggregate: aggregate.clone(),
                value: computed.value,
                of_members: computed.of_members,
                from_marking: computed.marking,
            },
            at: self.now,
        }])
    }
}
