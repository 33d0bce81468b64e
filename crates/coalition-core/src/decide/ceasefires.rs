//! Ceasefires: one in force at a time, each ending after it began.

use super::rules::{Rules, invalid, wrong_state};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::rejection::Rejection;

impl Rules<'_> {
    pub(super) fn declare_ceasefire(
        &self,
        in_force_from: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat_or_monitor("declare a ceasefire")?;
        self.within_record("the ceasefire", in_force_from, false)?;
        if self.state.ceasefires().iter().any(|c| c.ended_at.is_none()) {
            return Err(wrong_state(
                "a ceasefire",
                "already in force",
                "end it before declaring another",
            ));
        }
        if let Some(last_end) = self
            .state
            .ceasefires()
            .iter()
            .filter_map(|c| c.ended_at)
            .max()
            && in_force_from < last_end
        {
            return Err(invalid(
                "in-force-from",
                format!("must not be before the last ceasefire ended ({last_end})"),
            ));
        }
        Ok(vec![Event::CeasefireEntered { at: in_force_from }])
    }

    pub(super) fn end_ceasefire(&self, at: Timestamp) -> Result<Vec<Event>, Rejection> {
        self.secretariat_or_monitor("end a ceasefire")?;
        let open = self
            .state
            .ceasefires()
            .iter()
            .find(|c| c.ended_at.is_none())
            .ok_or_else(|| {
                wrong_state("the ceasefire", "not in force", "there is nothing to end")
            })?;
        if at <= open.in_force_from {
            return Err(invalid(
                "at",
                format!(
                    "must be after the ceasefire entered into force ({})",
                    open.in_force_from
                ),
            ));
        }
        Ok(vec![Event::CeasefireEnded { at }])
    }
}
