//! Incidents: reports, confirmations towards verification, the provisional trigger, rejection,
//! the protected state's requests for consultations, and activation — the obligations an
//! incident opens.

use super::rules::{Rules, duplicate, invalid, not_authorised, wrong_state};
use crate::activation::{self, Opening};
use crate::classification::Marking;
use crate::command::NewIncident;
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::{IncidentId, PartyCode, derived_id};
use crate::incident::{Confirmation, Correction, Incident, IncidentStatus, VerificationRule};
use crate::party::{PrincipalRole, SeatRole};
use crate::rejection::Rejection;
use crate::state::{IncidentRecord, State};

impl Rules<'_> {
    pub(super) fn report_incident(&self, new: &NewIncident) -> Result<Vec<Event>, Rejection> {
        let reporter_inside = self
            .state
            .seat(&self.actor.party)
            .is_some_and(|seat| seat.role.is_inside());
        if !reporter_inside || self.actor.role == PrincipalRole::Observer {
            return Err(not_authorised(
                self.actor,
                "report an incident",
                "only principals of parties inside the coalition, other than observers, may".into(),
            ));
        }
        let mut incident = new.incident.clone();
        self.marking_given("classification", &incident.marking)?;
        incident.id = match &new.id {
            Some(id) if self.state.incidents().contains_key(id) => {
                return Err(duplicate("incident", id));
            }
            Some(id) => id.clone(),
            None => derived_id(
                "INC",
                &self.identity(&(&incident, new.at)),
                |id: &IncidentId| self.state.incidents().contains_key(id),
            ),
        };
        check_incident(self.state, &incident, self.now)?;
        let reported = self.at(new.at);
        self.not_before(
            format_args!("the report of {}", incident.id),
            reported,
            "the incident",
            incident.occurred_at,
        )?;
        Ok(vec![Event::IncidentReported {
            incident,
            reported_by: self.actor.id.clone(),
            at: reported,
        }])
    }

    /// A fact about an incident is not dated before it was reported.
    fn after_report(
        &self,
        fact: &str,
        record: &IncidentRecord,
        at: Timestamp,
    ) -> Result<(), Rejection> {
        self.not_before(
            format_args!("{fact} of {}", record.incident.id),
            at,
            "its report",
            record.reported_at,
        )
    }

    pub(super) fn confirm_incident(
        &self,
        id: &IncidentId,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.incident(id)?;
        self.after_report("the confirmation", record, at)?;
        let actor = self.actor;
        let confirmation = self.confirmation(at, "confirm an incident")?;
        if record.status.is_settled() {
            return Err(wrong_state(
                format!("incident {id}"),
                record.status.name(),
                "its verification is settled",
            ));
        }
        if record.confirmations.iter().any(|c| c.principal == actor.id) {
            return Err(wrong_state(
                format!("incident {id}"),
                format!("already confirmed by {}", actor.id),
                "a principal confirms once",
            ));
        }
        let marking = record.incident.marking.clone();
        let mut events = vec![Event::IncidentConfirmed {
            incident: id.clone(),
            confirmation: confirmation.clone(),
            marking: marking.clone(),
        }];
        let mut confirmations = record.confirmations.clone();
        confirmations.push(confirmation);
        if let Some(verified_at) = self.verification_rule().met_at(&confirmations) {
            events.push(Event::IncidentVerified {
                incident: id.clone(),
                at: verified_at,
                marking,
            });
            events.extend(activation::obligations(
                self.state,
                &record.incident,
                Opening {
                    opened_at: verified_at,
                    verified_at,
                    provisional: false,
                },
            ));
        }
        Ok(events)
    }

    /// The actor's confirmation at `at`, if it may give one: the monitoring mechanism, the
    /// secretariat, or a leader, minister or envoy of a party holding a member's seat then.
    fn confirmation(&self, at: Timestamp, action: &'static str) -> Result<Confirmation, Rejection> {
        let actor = self.actor;
        let member = self.state.is_member_at(&actor.party, at);
        let may_confirm = matches!(
            actor.role,
            PrincipalRole::Monitor | PrincipalRole::Secretariat
        ) || (member && actor.role.speaks_for_party());
        if !may_confirm {
            return Err(not_authorised(
                actor,
                action,
                format!(
                    "{} is not a member of the coalition; only the monitoring mechanism, the secretariat or a member's leader, minister or envoy may",
                    actor.party
                ),
            ));
        }
        Ok(Confirmation {
            principal: actor.id.clone(),
            party: actor.party.clone(),
            role: actor.role,
            member,
            at,
        })
    }

    fn verification_rule(&self) -> VerificationRule {
        self.state
            .coalition()
            .map(|c| c.verification)
            .unwrap_or_default()
    }

    /// A report recorded as a duplicate of another: the duplicate's confirmations count towards
    /// the original's (which they may verify), its pending obligations are cancelled, and the
    /// history says so. Obligations the original opens take effect now, with verification
    /// clocks from when its confirmations first met the rule.
    pub(super) fn merge_incident(
        &self,
        duplicate: &IncidentId,
        into: &IncidentId,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("merge a duplicate report")?;
        let dup = self.incident(duplicate)?;
        let original = self.incident(into)?;
        if duplicate == into {
            return Err(invalid("into", "an incident does not duplicate itself"));
        }
        for record in [dup, original] {
            if matches!(
                record.status,
                IncidentStatus::Rejected { .. } | IncidentStatus::Merged { .. }
            ) {
                return Err(wrong_state(
                    format!("incident {}", record.incident.id),
                    record.status.name(),
                    "only open or verified reports are merged",
                ));
            }
        }
        if dup.incident.aggressor != original.incident.aggressor
            || dup.incident.target != original.incident.target
        {
            return Err(invalid(
                "into",
                format!(
                    "{duplicate} ({} against {}) and {into} ({} against {}) are not the same attack",
                    dup.incident.aggressor,
                    dup.incident.target,
                    original.incident.aggressor,
                    original.incident.target
                ),
            ));
        }
        self.after_report("the merge", dup, at)?;
        self.after_report("the merge", original, at)?;
        let carried: Vec<Confirmation> = dup
            .confirmations
            .iter()
            .filter(|c| {
                !original
                    .confirmations
                    .iter()
                    .any(|o| o.principal == c.principal)
            })
            .cloned()
            .collect();
        let marking = dup.incident.marking.join(&original.incident.marking);
        let mut events = vec![Event::IncidentMerged {
            duplicate: duplicate.clone(),
            into: into.clone(),
            at,
            confirmations: carried.clone(),
            marking,
        }];
        let reason = format!("incident {duplicate} is a duplicate of {into}");
        events.extend(
            self.state
                .obligations()
                .values()
                .filter(|o| &o.obligation.incident == duplicate && o.settlement.is_pending())
                .map(|o| Event::ObligationCancelled {
                    obligation: o.obligation.id.clone(),
                    at,
                    reason: Some(reason.clone()),
                    marking: o.obligation.marking.clone(),
                }),
        );
        if !matches!(original.status, IncidentStatus::Verified { .. }) {
            let mut confirmations = original.confirmations.clone();
            confirmations.extend(carried);
            if let Some(verified_at) = self.verification_rule().met_at(&confirmations) {
                events.push(Event::IncidentVerified {
                    incident: into.clone(),
                    at: at.max(verified_at),
                    marking: original.incident.marking.clone(),
                });
                events.extend(activation::obligations(
                    self.state,
                    &original.incident,
                    Opening {
                        opened_at: at.max(verified_at),
                        verified_at,
                        provisional: false,
                    },
                ));
            }
        }
        Ok(events)
    }

    /// A correction of a verified incident's attribution or time, decided by the rule that
    /// verified it: each confirmation of the same correction is recorded, and once they meet
    /// the rule the incident changes, deadlines are recomputed (in `apply`), obligations whose
    /// commitments no longer answer are cancelled and those that now answer are opened.
    pub(super) fn correct_incident(
        &self,
        id: &IncidentId,
        correction: &Correction,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.incident(id)?;
        let IncidentStatus::Verified { at: verified_at } = record.status else {
            return Err(wrong_state(
                format!("incident {id}"),
                record.status.name(),
                "only a verified incident is corrected; before that, confirm or reject it",
            ));
        };
        let confirmation = self.confirmation(at, "confirm a correction")?;
        self.not_before(
            format_args!("the correction of {id}"),
            at,
            "its verification",
            verified_at,
        )?;
        let corrected = correction.applied_to(&record.incident);
        if corrected == record.incident {
            return Err(invalid(
                "correction",
                "it changes neither the aggressor nor the time of occurrence",
            ));
        }
        if let Some(aggressor) = &correction.aggressor {
            let role = self.seat_role(aggressor)?;
            if role != SeatRole::Adversary {
                return Err(Rejection::WrongSeat {
                    party: aggressor.clone(),
                    actual: role,
                    expected: "adversary",
                });
            }
        }
        check_incident(self.state, &corrected, self.now)?;
        self.not_before(
            format_args!("the report of {id}"),
            record.reported_at,
            "the corrected time of the incident",
            corrected.occurred_at,
        )?;
        let mut confirmations = record
            .pending_corrections
            .iter()
            .find(|p| &p.correction == correction)
            .map(|p| p.confirmations.clone())
            .unwrap_or_default();
        if confirmations.iter().any(|c| c.principal == self.actor.id) {
            return Err(wrong_state(
                format!("the correction of {id}"),
                format!("already confirmed by {}", self.actor.id),
                "a principal confirms once",
            ));
        }
        confirmations.push(confirmation.clone());
        let marking = record.incident.marking.clone();
        let mut events = vec![Event::CorrectionConfirmed {
            incident: id.clone(),
            correction: correction.clone(),
            confirmation,
            marking: marking.clone(),
        }];
        let Some(corrected_at) = self.verification_rule().met_at(&confirmations) else {
            return Ok(events);
        };
        let corrected_at = corrected_at.max(verified_at);
        events.push(Event::IncidentCorrected {
            incident: id.clone(),
            correction: correction.clone(),
            at: corrected_at,
            marking,
        });
        let mut after = self.state.clone();
        for event in &events {
            crate::apply::apply(&mut after, event);
        }
        for o in self
            .state
            .obligations()
            .values()
            .filter(|o| &o.obligation.incident == id && o.settlement.is_pending())
        {
            let Some(commitment) = after.commitments().get(&o.obligation.commitment) else {
                continue;
            };
            if let Err(why) = activation::answers(&after, commitment, &corrected) {
                events.push(Event::ObligationCancelled {
                    obligation: o.obligation.id.clone(),
                    at: corrected_at,
                    reason: Some(format!(
                        "incident {id} was corrected: {} {why}",
                        o.obligation.commitment
                    )),
                    marking: o.obligation.marking.clone(),
                });
            }
        }
        events.extend(activation::obligations(
            &after,
            &corrected,
            Opening {
                opened_at: corrected_at,
                verified_at,
                provisional: false,
            },
        ));
        Ok(events)
    }

    /// Consultations before attribution is final (NATO, 12 September 2001): the consultations
    /// the incident would owe open now, the rest on verification.
    pub(super) fn trigger_provisionally(
        &self,
        incident: &IncidentId,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("trigger consultations provisionally")?;
        let record = self.incident(incident)?;
        self.after_report("the provisional trigger", record, at)?;
        if record.status != IncidentStatus::Reported {
            return Err(wrong_state(
                format!("incident {incident}"),
                record.status.name(),
                "only a reported incident can be triggered provisionally",
            ));
        }
        let marking = record.incident.marking.clone();
        let mut events = vec![Event::IncidentProvisionallyTriggered {
            incident: incident.clone(),
            at,
            marking,
        }];
        events.extend(activation::obligations(
            self.state,
            &record.incident,
            Opening {
                opened_at: at,
                verified_at: at,
                provisional: true,
            },
        ));
        Ok(events)
    }

    pub(super) fn reject_incident(
        &self,
        incident: &IncidentId,
        reason: &str,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat_or_monitor("reject an incident")?;
        let record = self.incident(incident)?;
        self.after_report("the rejection", record, at)?;
        if record.status.is_settled() {
            return Err(wrong_state(
                format!("incident {incident}"),
                record.status.name(),
                "its verification is settled",
            ));
        }
        let mut events = vec![Event::IncidentRejected {
            incident: incident.clone(),
            at,
            reason: reason.to_owned(),
            marking: record.incident.marking.clone(),
        }];
        // Obligations a provisional trigger opened are owed no more.
        events.extend(
            self.state
                .obligations()
                .values()
                .filter(|o| &o.obligation.incident == incident && o.settlement.is_pending())
                .map(|o| Event::ObligationCancelled {
                    obligation: o.obligation.id.clone(),
                    at,
                    reason: Some(format!("incident {incident} was rejected")),
                    marking: o.obligation.marking.clone(),
                }),
        );
        Ok(events)
    }

    pub(super) fn request_consultations(
        &self,
        by: &PartyCode,
        with: &[PartyCode],
        at: Timestamp,
        marking: &Marking,
    ) -> Result<Vec<Event>, Rejection> {
        self.for_party(by, "request consultations for")?;
        self.marking_given("classification", marking)?;
        let seat = self
            .state
            .seat(by)
            .ok_or_else(|| Rejection::NoSeat(by.clone()))?;
        if seat.role != SeatRole::ProtectedState {
            return Err(Rejection::WrongSeat {
                party: by.clone(),
                actual: seat.role,
                expected: "protected-state",
            });
        }
        if with.is_empty() {
            return Err(invalid("with", "name at least one guarantor"));
        }
        self.within_record("the request for consultations", at, false)?;
        with.iter()
            .map(|guarantor| {
                match self.seat_role(guarantor)? {
                    SeatRole::Member | SeatRole::Partner => {}
                    other => {
                        return Err(Rejection::WrongSeat {
                            party: guarantor.clone(),
                            actual: other,
                            expected: "member or partner (consultations are asked of guarantors)",
                        });
                    }
                }
                Ok(Event::ConsultationsRequested {
                    by: by.clone(),
                    with: guarantor.clone(),
                    at,
                    marking: marking.clone(),
                })
            })
            .collect()
    }
}

/// What an incident must be, whoever reports it (and in a what-if): an attack on a party with a
/// seat, by another, not in the future, within the coalition's time.
pub(crate) fn check_incident(
    state: &State,
    incident: &Incident,
    now: Timestamp,
) -> Result<(), Rejection> {
    state
        .seat(&incident.target)
        .ok_or_else(|| Rejection::NoSeat(incident.target.clone()))?;
    if incident.aggressor == incident.target {
        return Err(invalid(
            "aggressor",
            "an incident's aggressor and target differ",
        ));
    }
    // A guarantor attacking the state it guarantees is outside what the record can answer (its
    // commitments refuse such a trigger too); an adversary or a state without a seat may attack.
    if let Some(seat) = state.seat(&incident.aggressor)
        && seat.role != SeatRole::Adversary
    {
        return Err(Rejection::WrongSeat {
            party: incident.aggressor.clone(),
            actual: seat.role,
            expected: "adversary, or no seat (an aggressor is not one of the coalition)",
        });
    }
    if incident.occurred_at > now {
        return Err(invalid(
            "at",
            format!("the incident cannot occur in the future (now is {now})"),
        ));
    }
    if let Some(coalition) = state.coalition()
        && incident.occurred_at < coalition.founded_at
    {
        return Err(Rejection::Chronology {
            fact: format!("incident {}", incident.id),
            at: incident.occurred_at,
            earlier: format!("the founding of {}", coalition.id),
            since: coalition.founded_at,
        });
    }
    Ok(())
}
