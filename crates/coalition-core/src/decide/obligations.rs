//! Obligations: fulfilment, waiver and dispute.

use super::rules::{Rules, not_authorised, wrong_state};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::ObligationId;
use crate::names::Named;
use crate::obligation::{Deadline, Settlement};
use crate::party::PrincipalRole;
use crate::rejection::Rejection;
use crate::state::ObligationRecord;

impl Rules<'_> {
    pub(super) fn fulfil_obligation(
        &self,
        obligation: &ObligationId,
        at: Timestamp,
        report: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.obligation(obligation)?;
        self.for_party(&record.obligation.guarantor, "report fulfilment for")?;
        self.pending(record)?;
        self.after_clock("the fulfilment", record, at)?;
        if let Settlement::Disputed { at: disputed, .. } = record.settlement {
            self.not_before(
                format_args!("the fulfilment of {obligation}"),
                at,
                "its dispute",
                disputed,
            )?;
        }
        let late = matches!(record.deadline(), Deadline::Due(due) if due < at);
        Ok(vec![Event::ObligationFulfilled {
            obligation: obligation.clone(),
            at,
            report: report.to_owned(),
            late,
            marking: record.obligation.marking.clone(),
        }])
    }

    pub(super) fn waive_obligation(
        &self,
        obligation: &ObligationId,
        at: Timestamp,
        note: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.obligation(obligation)?;
        if !(self.actor.party == record.obligation.protected && self.actor.role.speaks_for_party())
        {
            return Err(not_authorised(
                self.actor,
                "waive",
                format!(
                    "only the protected state ({}) may waive what it is owed",
                    record.obligation.protected
                ),
            ));
        }
        self.pending(record)?;
        self.after_clock("the waiver", record, at)?;
        Ok(vec![Event::ObligationWaived {
            obligation: obligation.clone(),
            at,
            note: note.to_owned(),
            marking: record.obligation.marking.clone(),
        }])
    }

    pub(super) fn dispute_obligation(
        &self,
        obligation: &ObligationId,
        at: Timestamp,
        reason: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.obligation(obligation)?;
        let involved = [&record.obligation.protected, &record.obligation.guarantor]
            .contains(&&self.actor.party)
            && self.actor.role.speaks_for_party();
        if !involved && self.actor.role != PrincipalRole::Secretariat {
            return Err(not_authorised(
                self.actor,
                "dispute",
                "only the protected state, the guarantor or the secretariat may".into(),
            ));
        }
        if record.settlement != Settlement::Open {
            return Err(wrong_state(
                format!("obligation {obligation}"),
                record.status(self.now).name(),
                "only an open obligation can be disputed",
            ));
        }
        self.after_clock("the dispute", record, at)?;
        Ok(vec![Event::ObligationDisputed {
            obligation: obligation.clone(),
            at,
            reason: reason.to_owned(),
            marking: record.obligation.marking.clone(),
        }])
    }

    /// Nothing settles an obligation before its clock started (the attack, while the clock waits
    /// for a request). It may come before the verification that opened it: a guarantor can act
    /// first (docs/time.md).
    fn after_clock(
        &self,
        fact: &str,
        record: &ObligationRecord,
        at: Timestamp,
    ) -> Result<(), Rejection> {
        let (start, what) = match record.obligation.clock_started_at {
            Some(start) => (
                start,
                format!("its clock ({})", record.obligation.clock.name()),
            ),
            None => {
                let Some(incident) = self.state.incidents().get(&record.obligation.incident) else {
                    return Ok(());
                };
                (incident.incident.occurred_at, "the incident".to_owned())
            }
        };
        self.not_before(
            format_args!("{fact} of {}", record.obligation.id),
            at,
            what,
            start,
        )
    }

    fn pending(&self, record: &ObligationRecord) -> Result<(), Rejection> {
        if record.settlement.is_pending() {
            Ok(())
        } else {
            Err(wrong_state(
                format!("obligation {}", record.obligation.id),
                record.status(self.now).name(),
                "it is already closed",
            ))
        }
    }
}
