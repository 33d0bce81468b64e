//! Commitments: recording one, withdrawal, and support recorded at later stages.

use super::rules::{Rules, duplicate, invalid, wrong_state};
use crate::command::NewCommitment;
use crate::commitment::{Commitment, Stage};
use crate::dates::{Day, Timestamp};
use crate::event::Event;
use crate::id::{CommitmentId, derived_id};
use crate::names::Named as _;
use crate::party::SeatRole;
use crate::rejection::Rejection;

impl Rules<'_> {
    pub(super) fn add_commitment(&self, new: &NewCommitment) -> Result<Vec<Event>, Rejection> {
        let mut commitment = new.commitment.clone();
        self.for_party(&commitment.guarantor, "record a commitment of")?;
        self.marking_given("classification", &commitment.marking)?;
        commitment.id = match &new.id {
            Some(id) if self.state.commitments().contains_key(id) => {
                return Err(duplicate("commitment", id));
            }
            Some(id) => id.clone(),
            None => derived_id(
                "C",
                &self.identity(&(&commitment, new.at)),
                |id: &CommitmentId| self.state.commitments().contains_key(id),
            ),
        };
        match self.seat_role(&commitment.guarantor)? {
            SeatRole::Member | SeatRole::Partner => {}
            other => {
                return Err(Rejection::WrongSeat {
                    party: commitment.guarantor.clone(),
                    actual: other,
                    expected: "member or partner (a guarantor)",
                });
            }
        }
        let protected_role = self.seat_role(&commitment.protected)?;
        if protected_role != SeatRole::ProtectedState {
            return Err(Rejection::WrongSeat {
                party: commitment.protected.clone(),
                actual: protected_role,
                expected: "protected-state",
            });
        }
        let aggressor = &commitment.trigger.aggressor;
        let aggressor_role = self.seat_role(aggressor)?;
        if aggressor_role != SeatRole::Adversary {
            return Err(Rejection::WrongSeat {
                party: aggressor.clone(),
                actual: aggressor_role,
                expected: "adversary",
            });
        }
        if !self.state.knows_category(&commitment.category) {
            let choices: Vec<String> = self
                .state
                .categories()
                .into_iter()
                .map(|(c, _)| c.to_string())
                .collect();
            return Err(Rejection::UnknownCategory {
                category: commitment.category.clone(),
                choices: choices.join(", "),
            });
        }
        if let (Some(from), Some(until)) = (commitment.validity.from, commitment.validity.until)
            && until < from
        {
            return Err(Rejection::UntilBeforeFrom { from, until });
        }
        if commitment.responses.is_empty() {
            return Err(invalid(
                "responses",
                "a commitment owes at least one response (consult, deliver …)",
            ));
        }
        // A window of no time makes an obligation overdue the moment it opens: a typo, not a
        // promise (a response with no deadline is written without one: "swiftly").
        if let Some(response) = commitment
            .responses
            .iter()
            .find(|r| r.within.is_some_and(|span| span.seconds() == 0))
        {
            return Err(invalid(
                "responses",
                format!(
                    "the {} response has a window of no time: give a positive span (24h, 30d) \
                     or none for \"swiftly\"",
                    response.kind.name()
                ),
            ));
        }
        if commitment.what.trim().is_empty() {
            return Err(invalid("what", "say what is committed"));
        }
        if commitment
            .amount
            .as_ref()
            .is_some_and(|amount| amount.quantity == 0 || amount.unit.trim().is_empty())
        {
            return Err(invalid(
                "amount",
                "expected a positive quantity with a unit",
            ));
        }
        match &commitment.instrument {
            Some(id) => {
                let record = self.instrument(id)?;
                self.party_to(record, &commitment.guarantor)?;
            }
            None if commitment.validity.from.is_none() => {
                return Err(invalid(
                    "from",
                    "a unilateral pledge (no instrument) needs the day it comes into force",
                ));
            }
            None => {}
        }
        let historical = commitment
            .instrument
            .as_ref()
            .and_then(|id| self.state.instruments().get(id))
            .is_some_and(|record| record.instrument.historical);
        let made = new
            .at
            .unwrap_or_else(|| self.made_at(&commitment, historical));
        self.within_record(
            format_args!("commitment {}", commitment.id),
            made,
            historical,
        )?;
        Ok(vec![Event::CommitmentAdded {
            commitment,
            at: made,
        }])
    }

    /// When a commitment recorded without a stated time was made: when its guarantor signed its
    /// instrument, if that is recorded, or a unilateral pledge's first day if it has come;
    /// otherwise now (a proposal, or a pledge announced ahead of its first day). Not before the
    /// coalition's founding unless its instrument is historical: the coalition took on what was
    /// already promised when it was founded.
    fn made_at(&self, commitment: &Commitment, historical: bool) -> Timestamp {
        let inherent = match &commitment.instrument {
            Some(id) => self
                .state
                .instruments()
                .get(id)
                .and_then(|record| record.signed.get(&commitment.guarantor).copied()),
            None => commitment.validity.from.map(Day::start),
        };
        let founded = self
            .state
            .coalition()
            .map(|c| c.founded_at)
            .filter(|_| !historical);
        let made = inherent.map_or(self.now, |at| at.min(self.now));
        founded.map_or(made, |founded| made.max(founded))
    }

    pub(super) fn withdraw_commitment(
        &self,
        commitment: &CommitmentId,
        reason: &str,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.commitment(commitment)?;
        self.for_party(&record.commitment.guarantor, "withdraw a commitment of")?;
        if reason.trim().is_empty() {
            return Err(invalid(
                "reason",
                "say why the commitment is withdrawn: the record keeps why a promise ended",
            ));
        }
        if record.withdrawn.is_some() {
            return Err(wrong_state(
                format!("commitment {commitment}"),
                "withdrawn",
                "it can be withdrawn once",
            ));
        }
        self.not_before(
            format_args!("the withdrawal of {commitment}"),
            at,
            "the commitment being made",
            record.added_at,
        )?;
        // A withdrawal cannot reach back past an attack the commitment has already answered.
        let answered = self
            .gate
            .obligations()
            .filter(|o| &o.obligation.commitment == commitment)
            .filter_map(|o| self.gate.incident(&o.obligation.incident))
            .find(|i| i.incident.occurred_at >= at);
        if let Some(incident) = answered {
            return Err(invalid(
                "at",
                format!(
                    "{commitment} already answered incident {} of {}; it cannot be withdrawn as of an earlier time",
                    incident.incident.id, incident.incident.occurred_at
                ),
            ));
        }
        Ok(vec![Event::CommitmentWithdrawn {
            commitment: commitment.clone(),
            at,
            reason: reason.to_owned(),
            marking: record.commitment.marking.clone(),
        }])
    }

    pub(super) fn record_support(
        &self,
        commitment: &CommitmentId,
        stage: Stage,
        quantity: u64,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.commitment(commitment)?;
        self.for_party(&record.commitment.guarantor, "record support by")?;
        self.not_before(
            format_args!("support under {commitment}"),
            at,
            "the commitment being made",
            record.added_at,
        )?;
        if quantity == 0 {
            return Err(invalid("quantity", "expected a positive whole number"));
        }
        if stage == Stage::Committed {
            return Err(invalid(
                "stage",
                "the committed amount is the commitment's own (its amount when added); \
                 record support that was allocated or delivered",
            ));
        }
        let Some(amount) = &record.commitment.amount else {
            return Err(invalid(
                "commitment",
                format!("{commitment} states no amount to track"),
            ));
        };
        if quantity > amount.quantity {
            return Err(invalid(
                "quantity",
                format!(
                    "{quantity} exceeds the {} {} committed",
                    amount.quantity, amount.unit
                ),
            ));
        }
        // Handed over presupposes earmarked: a delivery never raises the allocation silently.
        let allocated = record.quantity_at(Stage::Allocated);
        if stage == Stage::Delivered && quantity > allocated {
            return Err(invalid(
                "quantity",
                format!(
                    "{quantity} {unit} delivered exceeds the {allocated} allocated so far: record \
                     the allocation first (commitment support … --stage allocated --quantity \
                     {quantity})",
                    unit = amount.unit
                ),
            ));
        }
        Ok(vec![Event::SupportRecorded {
            commitment: commitment.clone(),
            stage,
            quantity,
            at,
            marking: record.commitment.marking.clone(),
        }])
    }
}
