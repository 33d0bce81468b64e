//! Obligations: fulfilment, waiver and dispute.

use super::rules::{Rules, not_authorised, wrong_state};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::ObligationId;
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
        Ok(vec![Event::ObligationDisputed {
            obligation: obligation.clone(),
            at,
            reason: reason.to_owned(),
            marking: record.obligation.marking.clone(),
        }])
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
