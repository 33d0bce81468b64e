//! `decide`: the rules. Given the state, a command and its context (clock, actor), it returns the
//! events to record or the rule that refused. It never changes the state; a rejected command
//! emits nothing.

use crate::command::{Command, Context, NewCommitment, NewIncident};
use crate::commitment::{ClockStart, CommitmentStatus, ResponseKind};
use crate::communique::{self, Release};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::{CommitmentId, Id, IdKind, IncidentId, ObligationId, PartyCode};
use crate::incident::{Confirmation, IncidentStatus};
use crate::obligation::{Deadline, Obligation};
use crate::party::{Principal, PrincipalRole, SeatRole};
use crate::rejection::Rejection;
use crate::signature::{SignatureBytes, approval_message};
use crate::state::{IncidentRecord, ObligationRecord, State};
use crate::statement::{
    AdoptionRule, Approval, MeetingId, Paragraph, StatementId, StatementRecord, content_hash,
};

/// Decides a command: the events to record, or why not.
pub fn decide(state: &State, command: &Command, ctx: &Context) -> Result<Vec<Event>, Rejection> {
    if let Command::FoundCoalition {
        id,
        name,
        protected,
        verification,
        founder,
    } = command
    {
        if let Some(existing) = state.coalition() {
            return Err(Rejection::AlreadyFounded(existing.id.clone()));
        }
        if founder.id != ctx.actor || founder.role != PrincipalRole::Secretariat {
            return Err(Rejection::BadFounder(format!(
                "founder {} ({}) acting as {}",
                founder.id, founder.role, ctx.actor
            )));
        }
        return Ok(vec![Event::CoalitionFounded {
            id: id.clone(),
            name: name.clone(),
            protected: protected.clone(),
            verification: *verification,
            founder: founder.clone(),
            at: ctx.now,
        }]);
    }
    if state.coalition().is_none() {
        return Err(Rejection::NotFounded);
    }
    let actor = state
        .principal(&ctx.actor)
        .ok_or_else(|| Rejection::UnknownPrincipal(ctx.actor.clone()))?;
    if let Some(at) = command.stated_time().filter(|at| *at > ctx.now) {
        return Err(invalid(
            "at",
            format!("{at} is in the future (now is {})", ctx.now),
        ));
    }
    let rules = Rules {
        state,
        actor,
        now: ctx.now,
    };
    match command {
        Command::FoundCoalition { id, .. } => Err(Rejection::AlreadyFounded(id.clone())),
        Command::DefineCategory {
            category,
            description,
        } => {
            rules.secretariat("define a category")?;
            if state.knows_category(category) {
                return Err(duplicate("category", category));
            }
            Ok(vec![Event::CategoryDefined {
                category: category.clone(),
                description: description.clone(),
            }])
        }
        Command::GrantSeat(seat) => {
            rules.secretariat("grant a seat")?;
            if state.seat(&seat.party).is_some() {
                return Err(duplicate("seat for", &seat.party));
            }
            if let (Some(from), Some(until)) = (seat.from, seat.until)
                && until < from
            {
                return Err(Rejection::UntilBeforeFrom { from, until });
            }
            Ok(vec![Event::SeatGranted { seat: seat.clone() }])
        }
        Command::EndSeat { party, until } => {
            rules.secretariat("end a seat")?;
            let seat = state
                .seat(party)
                .ok_or_else(|| Rejection::NoSeat(party.clone()))?;
            if let Some(from) = seat.from.filter(|from| until < from) {
                return Err(Rejection::UntilBeforeFrom {
                    from,
                    until: *until,
                });
            }
            Ok(vec![Event::SeatEnded {
                party: party.clone(),
                until: *until,
                marking: seat.marking(),
            }])
        }
        Command::RegisterPrincipal(principal) => {
            rules.secretariat("register a principal")?;
            if state.principal(&principal.id).is_some() {
                return Err(duplicate("principal", &principal.id));
            }
            let seat = state
                .seat(&principal.party)
                .ok_or_else(|| Rejection::NoSeat(principal.party.clone()))?;
            if !seat.role.is_inside() {
                return Err(Rejection::WrongSeat {
                    party: principal.party.clone(),
                    actual: seat.role,
                    expected: "a seat inside the coalition (an adversary has no principals)",
                });
            }
            if let Some(key) = &principal.public_key {
                key_unused(state, key, &principal.id)?;
            }
            Ok(vec![Event::PrincipalRegistered {
                principal: principal.clone(),
            }])
        }
        Command::RecordInstrument(instrument) => {
            rules.secretariat("record an instrument")?;
            if state.instruments().contains_key(&instrument.id) {
                return Err(duplicate("instrument", &instrument.id));
            }
            if instrument.parties.is_empty() {
                return Err(invalid("parties", "an instrument needs at least one party"));
            }
            if instrument.term.is_some_and(|term| term.years == 0) {
                return Err(invalid("term", "a term must be at least one year"));
            }
            Ok(vec![Event::InstrumentRecorded {
                instrument: instrument.clone(),
            }])
        }
        Command::SignInstrument {
            instrument,
            party,
            at,
        } => {
            let record = rules.instrument(instrument)?;
            rules.for_party(party, "sign for")?;
            rules.party_to(record, party)?;
            if record.signed.contains_key(party) {
                return Err(wrong_state(
                    format!("{party}'s signature of {instrument}"),
                    "recorded",
                    "a party signs once",
                ));
            }
            let marking = record.instrument.marking.clone();
            Ok(vec![Event::InstrumentSigned {
                instrument: instrument.clone(),
                party: party.clone(),
                at: *at,
                marking,
            }])
        }
        Command::RecordRatification {
            instrument,
            party,
            status,
            at,
        } => {
            let record = rules.instrument(instrument)?;
            rules.for_party(party, "record ratification for")?;
            rules.party_to(record, party)?;
            if !record.instrument.ratification_required {
                return Err(invalid(
                    "status",
                    format!("instrument {instrument} needs no ratification"),
                ));
            }
            if !record.signed.contains_key(party) {
                return Err(wrong_state(
                    format!("{instrument} for {party}"),
                    "unsigned",
                    "a party ratifies what it has signed",
                ));
            }
            if record.ratified.contains_key(party) {
                return Err(wrong_state(
                    format!("{party}'s ratification of {instrument}"),
                    "recorded",
                    "ratification is recorded once",
                ));
            }
            let marking = record.instrument.marking.clone();
            Ok(vec![Event::RatificationRecorded {
                instrument: instrument.clone(),
                party: party.clone(),
                status: *status,
                at: *at,
                marking,
            }])
        }
        Command::ExtendInstrument { instrument, years } => {
            rules.secretariat("extend an instrument")?;
            let record = rules.instrument(instrument)?;
            match record.instrument.term {
                Some(term) if term.extendable => {}
                Some(_) => {
                    return Err(invalid(
                        "instrument",
                        format!("{instrument}'s term is not extendable"),
                    ));
                }
                None => {
                    return Err(invalid(
                        "instrument",
                        format!("{instrument} states no term to extend"),
                    ));
                }
            }
            if *years == 0 {
                return Err(invalid("years", "an extension adds at least one year"));
            }
            let marking = record.instrument.marking.clone();
            Ok(vec![Event::InstrumentExtended {
                instrument: instrument.clone(),
                years: *years,
                marking,
            }])
        }
        Command::TerminateInstrument {
            instrument,
            condition,
            at,
        } => {
            rules.secretariat("terminate an instrument")?;
            let record = rules.instrument(instrument)?;
            if record.terminated.is_some() {
                return Err(wrong_state(
                    format!("instrument {instrument}"),
                    "terminated",
                    "it ends once",
                ));
            }
            let marking = record.instrument.marking.clone();
            Ok(vec![Event::InstrumentTerminated {
                instrument: instrument.clone(),
                condition: condition.clone(),
                at: *at,
                marking,
            }])
        }
        Command::AddCommitment(new) => rules.add_commitment(new),
        Command::WithdrawCommitment { commitment, at } => {
            let record = rules.commitment(commitment)?;
            rules.for_party(&record.commitment.guarantor, "withdraw a commitment of")?;
            if record.withdrawn.is_some() {
                return Err(wrong_state(
                    format!("commitment {commitment}"),
                    "withdrawn",
                    "it can be withdrawn once",
                ));
            }
            let at = at.unwrap_or(ctx.now);
            // A withdrawal cannot reach back past an attack the commitment has already answered.
            let answered = state
                .obligations()
                .values()
                .filter(|o| &o.obligation.commitment == commitment)
                .filter_map(|o| state.incidents().get(&o.obligation.incident))
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
                marking: record.commitment.marking.clone(),
            }])
        }
        Command::RecordSupport {
            commitment,
            stage,
            quantity,
            at,
        } => {
            let record = rules.commitment(commitment)?;
            rules.for_party(&record.commitment.guarantor, "record support by")?;
            if *quantity == 0 {
                return Err(invalid("quantity", "expected a positive whole number"));
            }
            let Some(amount) = &record.commitment.amount else {
                return Err(invalid(
                    "commitment",
                    format!("{commitment} states no amount to track"),
                ));
            };
            if *quantity > amount.quantity {
                return Err(invalid(
                    "quantity",
                    format!(
                        "{quantity} exceeds the {} {} committed",
                        amount.quantity, amount.unit
                    ),
                ));
            }
            Ok(vec![Event::SupportRecorded {
                commitment: commitment.clone(),
                stage: *stage,
                quantity: *quantity,
                at: at.unwrap_or(ctx.now),
                marking: record.commitment.marking.clone(),
            }])
        }
        Command::DeclareCeasefire { in_force_from } => {
            rules.secretariat_or_monitor("declare a ceasefire")?;
            if state.ceasefires().iter().any(|c| c.ended_at.is_none()) {
                return Err(wrong_state(
                    "a ceasefire",
                    "already in force",
                    "end it before declaring another",
                ));
            }
            if let Some(last_end) = state.ceasefires().iter().filter_map(|c| c.ended_at).max()
                && *in_force_from < last_end
            {
                return Err(invalid(
                    "in-force-from",
                    format!("must not be before the last ceasefire ended ({last_end})"),
                ));
            }
            Ok(vec![Event::CeasefireEntered { at: *in_force_from }])
        }
        Command::EndCeasefire { at } => {
            rules.secretariat_or_monitor("end a ceasefire")?;
            let open = state
                .ceasefires()
                .iter()
                .find(|c| c.ended_at.is_none())
                .ok_or_else(|| {
                    wrong_state("the ceasefire", "not in force", "there is nothing to end")
                })?;
            if *at <= open.in_force_from {
                return Err(invalid(
                    "at",
                    format!(
                        "must be after the ceasefire entered into force ({})",
                        open.in_force_from
                    ),
                ));
            }
            Ok(vec![Event::CeasefireEnded { at: *at }])
        }
        Command::ReportIncident(new) => rules.report_incident(new),
        Command::ConfirmIncident { incident } => rules.confirm_incident(incident),
        Command::TriggerProvisionally { incident } => {
            rules.secretariat("trigger consultations provisionally")?;
            let record = rules.incident(incident)?;
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
                at: ctx.now,
                marking,
            }];
            events.extend(rules.activate(record, true));
            Ok(events)
        }
        Command::RejectIncident { incident, reason } => {
            rules.secretariat_or_monitor("reject an incident")?;
            let record = rules.incident(incident)?;
            if record.status.is_settled() {
                return Err(wrong_state(
                    format!("incident {incident}"),
                    record.status.name(),
                    "its verification is settled",
                ));
            }
            let mut events = vec![Event::IncidentRejected {
                incident: incident.clone(),
                at: ctx.now,
                reason: reason.clone(),
                marking: record.incident.marking.clone(),
            }];
            // Obligations a provisional trigger opened are owed no more.
            events.extend(
                state
                    .obligations()
                    .values()
                    .filter(|o| &o.obligation.incident == incident && o.settlement.is_pending())
                    .map(|o| Event::ObligationCancelled {
                        obligation: o.obligation.id.clone(),
                        at: ctx.now,
                        marking: o.obligation.marking.clone(),
                    }),
            );
            Ok(events)
        }
        Command::RequestConsultations {
            by,
            with,
            at,
            marking,
        } => {
            rules.for_party(by, "request consultations for")?;
            let seat = state
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
            with.iter()
                .map(|guarantor| {
                    state
                        .seat(guarantor)
                        .ok_or_else(|| Rejection::NoSeat(guarantor.clone()))?;
                    Ok(Event::ConsultationsRequested {
                        by: by.clone(),
                        with: guarantor.clone(),
                        at: *at,
                        marking: marking.clone(),
                    })
                })
                .collect()
        }
        Command::FulfilObligation {
            obligation,
            at,
            report,
        } => {
            let record = rules.obligation(obligation)?;
            rules.for_party(&record.obligation.guarantor, "report fulfilment for")?;
            rules.pending(record)?;
            let at = at.unwrap_or(ctx.now);
            let late = matches!(record.deadline(), Deadline::Due(due) if due < at);
            Ok(vec![Event::ObligationFulfilled {
                obligation: obligation.clone(),
                at,
                report: report.clone(),
                late,
                marking: record.obligation.marking.clone(),
            }])
        }
        Command::WaiveObligation {
            obligation,
            at,
            note,
        } => {
            let record = rules.obligation(obligation)?;
            if !(actor.party == record.obligation.protected && actor.role.speaks_for_party()) {
                return Err(not_authorised(
                    actor,
                    "waive",
                    format!(
                        "only the protected state ({}) may waive what it is owed",
                        record.obligation.protected
                    ),
                ));
            }
            rules.pending(record)?;
            Ok(vec![Event::ObligationWaived {
                obligation: obligation.clone(),
                at: at.unwrap_or(ctx.now),
                note: note.clone(),
                marking: record.obligation.marking.clone(),
            }])
        }
        Command::DisputeObligation {
            obligation,
            at,
            reason,
        } => {
            let record = rules.obligation(obligation)?;
            let involved = [&record.obligation.protected, &record.obligation.guarantor]
                .contains(&&actor.party)
                && actor.role.speaks_for_party();
            if !involved && actor.role != PrincipalRole::Secretariat {
                return Err(not_authorised(
                    actor,
                    "dispute",
                    "only the protected state, the guarantor or the secretariat may".into(),
                ));
            }
            if record.settlement != crate::obligation::Settlement::Open {
                return Err(wrong_state(
                    format!("obligation {obligation}"),
                    record.status(ctx.now).name(),
                    "only an open obligation can be disputed",
                ));
            }
            Ok(vec![Event::ObligationDisputed {
                obligation: obligation.clone(),
                at: at.unwrap_or(ctx.now),
                reason: reason.clone(),
                marking: record.obligation.marking.clone(),
            }])
        }
        Command::RegisterKey { principal, key } => {
            rules.secretariat("register a signing key")?;
            if state.principal(principal).is_none() {
                return Err(Rejection::UnknownPrincipal(principal.clone()));
            }
            if state
                .principal(principal)
                .and_then(|p| p.public_key.as_ref())
                == Some(key)
            {
                return Err(wrong_state(
                    format!("{principal}'s key"),
                    "already registered",
                    "a rotation needs a new key",
                ));
            }
            key_unused(state, key, principal)?;
            Ok(vec![Event::KeyRegistered {
                principal: principal.clone(),
                key: *key,
            }])
        }
        Command::RegisterLogKey { name, key } => {
            rules.secretariat("register the log key")?;
            if name.is_empty() || name.contains(char::is_whitespace) || name.contains('+') {
                return Err(invalid("name", "a signer name without spaces or '+'"));
            }
            Ok(vec![Event::LogKeyRegistered {
                name: name.clone(),
                key: *key,
            }])
        }
        Command::DraftStatement {
            statement,
            title,
            signatories,
            rule,
            paragraphs,
        } => rules.draft_statement(statement, title, signatories, *rule, paragraphs),
        Command::ReviseStatement {
            statement,
            paragraphs,
        } => {
            rules.secretariat("table a new version")?;
            let record = rules.statement(statement)?;
            rules.open_statement(record)?;
            check_paragraphs(paragraphs)?;
            let content = content_hash(paragraphs);
            let current = record.current().map_or(0, |v| v.number);
            if record.current().is_some_and(|v| v.content == content) {
                return Err(invalid(
                    "paragraphs",
                    format!("identical to version {current}"),
                ));
            }
            Ok(vec![Event::StatementRevised {
                statement: statement.clone(),
                version: current + 1,
                paragraphs: paragraphs.clone(),
                content,
                at: ctx.now,
            }])
        }
        Command::ApproveVersion {
            statement,
            version,
            signature,
            meeting,
        } => rules.approve(statement, *version, *signature, meeting.as_ref()),
        Command::WithdrawApproval { statement } => {
            let record = rules.statement(statement)?;
            rules.open_statement(record)?;
            let approval = record.approvals.get(&actor.party).ok_or_else(|| {
                wrong_state(
                    format!("{statement} for {}", actor.party),
                    "not approved",
                    "there is no approval to withdraw",
                )
            })?;
            if actor.role != PrincipalRole::Leader {
                return Err(not_authorised(
                    actor,
                    "withdraw an approval",
                    "only the party's leader may".into(),
                ));
            }
            Ok(vec![Event::ApprovalWithdrawn {
                statement: statement.clone(),
                party: actor.party.clone(),
                version: approval.version,
                at: ctx.now,
            }])
        }
        Command::ObjectToStatement { statement } => {
            let record = rules.statement(statement)?;
            rules.open_statement(record)?;
            let AdoptionRule::Silence { deadline } = record.rule else {
                return Err(invalid(
                    "statement",
                    format!("{statement} is not under a silence procedure"),
                ));
            };
            rules.leader_of_signatory(record)?;
            if ctx.now >= deadline {
                return Err(wrong_state(
                    format!("the silence procedure on {statement}"),
                    "past its deadline",
                    "objections must come before it",
                ));
            }
            Ok(vec![Event::ObjectionRaised {
                statement: statement.clone(),
                party: actor.party.clone(),
                at: ctx.now,
            }])
        }
        Command::ConcludeSilence { statement } => {
            let record = rules.statement(statement)?;
            rules.open_statement(record)?;
            let AdoptionRule::Silence { deadline } = record.rule else {
                return Err(invalid(
                    "statement",
                    format!("{statement} is not under a silence procedure"),
                ));
            };
            if ctx.now < deadline {
                return Err(wrong_state(
                    format!("the silence procedure on {statement}"),
                    format!("open until {deadline}"),
                    "it concludes at its deadline",
                ));
            }
            if !record.objections.is_empty() {
                let parties: Vec<String> =
                    record.objections.iter().map(ToString::to_string).collect();
                return Err(wrong_state(
                    format!("the silence procedure on {statement}"),
                    format!("broken by {}", parties.join(", ")),
                    "it cannot conclude in adoption",
                ));
            }
            let version = record.current().map_or(0, |v| v.number);
            Ok(vec![Event::StatementAdopted {
                statement: statement.clone(),
                version,
                at: ctx.now,
            }])
        }
        Command::RecordMeeting(meeting) => {
            rules.secretariat("record a meeting")?;
            if state.meetings().contains_key(&meeting.id) {
                return Err(duplicate("meeting", &meeting.id));
            }
            state
                .seat(&meeting.host)
                .ok_or_else(|| Rejection::NoSeat(meeting.host.clone()))?;
            for (principal, _) in &meeting.attendees {
                state
                    .principal(principal)
                    .ok_or_else(|| Rejection::UnknownPrincipal(principal.clone()))?;
            }
            for statement in &meeting.agenda {
                rules.statement(statement)?;
            }
            Ok(vec![Event::MeetingRecorded {
                meeting: meeting.clone(),
            }])
        }
        Command::ReleaseAggregate { aggregate } => {
            rules.secretariat("release an aggregate")?;
            let computed = communique::compute(state, aggregate);
            if actor.clearance < computed.marking.level {
                return Err(Rejection::Clearance {
                    principal: actor.id.clone(),
                    clearance: actor.clearance,
                    needed: computed.marking.level,
                });
            }
            if !crate::classification::may_read(&state.viewer_for(actor), &computed.marking) {
                return Err(not_authorised(
                    actor,
                    "release an aggregate",
                    format!(
                        "{} may not read {aggregate} ({})",
                        actor.party, computed.marking
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
                at: ctx.now,
            }])
        }
    }
}

/// The acting principal and the state, with the checks every rule shares.
struct Rules<'a> {
    state: &'a State,
    actor: &'a Principal,
    now: Timestamp,
}

impl<'a> Rules<'a> {
    fn secretariat(&self, action: &'static str) -> Result<(), Rejection> {
        if self.actor.role == PrincipalRole::Secretariat {
            Ok(())
        } else {
            Err(not_authorised(
                self.actor,
                action,
                "only the secretariat may".into(),
            ))
        }
    }

    fn secretariat_or_monitor(&self, action: &'static str) -> Result<(), Rejection> {
        if matches!(
            self.actor.role,
            PrincipalRole::Secretariat | PrincipalRole::Monitor
        ) {
            Ok(())
        } else {
            Err(not_authorised(
                self.actor,
                action,
                "only the secretariat or the monitoring mechanism may".into(),
            ))
        }
    }

    /// The actor speaks for `party`, or is the secretariat recording on its behalf.
    fn for_party(&self, party: &PartyCode, action: &'static str) -> Result<(), Rejection> {
        let speaks = self.actor.party == *party && self.actor.role.speaks_for_party();
        if speaks || self.actor.role == PrincipalRole::Secretariat {
            Ok(())
        } else {
            Err(not_authorised(
                self.actor,
                action,
                format!("only a leader, minister or envoy of {party}, or the secretariat, may"),
            ))
        }
    }

    fn instrument(
        &self,
        id: &crate::id::InstrumentId,
    ) -> Result<&'a crate::instrument::InstrumentRecord, Rejection> {
        self.state
            .instruments()
            .get(id)
            .ok_or_else(|| Rejection::UnknownInstrument(id.clone()))
    }

    fn party_to(
        &self,
        record: &crate::instrument::InstrumentRecord,
        party: &PartyCode,
    ) -> Result<(), Rejection> {
        if record.instrument.parties.contains(party) {
            Ok(())
        } else {
            Err(Rejection::NotAParty {
                instrument: record.instrument.id.clone(),
                party: party.clone(),
            })
        }
    }

    fn commitment(
        &self,
        id: &CommitmentId,
    ) -> Result<&'a crate::state::CommitmentRecord, Rejection> {
        self.state
            .commitments()
            .get(id)
            .ok_or_else(|| Rejection::UnknownCommitment(id.clone()))
    }

    fn incident(&self, id: &IncidentId) -> Result<&'a IncidentRecord, Rejection> {
        self.state
            .incidents()
            .get(id)
            .ok_or_else(|| Rejection::UnknownIncident(id.clone()))
    }

    fn obligation(&self, id: &ObligationId) -> Result<&'a ObligationRecord, Rejection> {
        self.state
            .obligations()
            .get(id)
            .ok_or_else(|| Rejection::UnknownObligation(id.clone()))
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

    fn seat_role(&self, party: &PartyCode) -> Result<SeatRole, Rejection> {
        self.state
            .seat(party)
            .map(|seat| seat.role)
            .ok_or_else(|| Rejection::NoSeat(party.clone()))
    }

    fn add_commitment(&self, new: &NewCommitment) -> Result<Vec<Event>, Rejection> {
        let mut commitment = new.commitment.clone();
        self.for_party(&commitment.guarantor, "record a commitment of")?;
        commitment.id = match &new.id {
            Some(id) if self.state.commitments().contains_key(id) => {
                return Err(duplicate("commitment", id));
            }
            Some(id) => id.clone(),
            None => next_id("C", self.state.commitments().len(), |id: &CommitmentId| {
                self.state.commitments().contains_key(id)
            }),
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
        Ok(vec![Event::CommitmentAdded {
            commitment,
            at: self.now,
        }])
    }

    fn report_incident(&self, new: &NewIncident) -> Result<Vec<Event>, Rejection> {
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
        incident.id = match &new.id {
            Some(id) if self.state.incidents().contains_key(id) => {
                return Err(duplicate("incident", id));
            }
            Some(id) => id.clone(),
            None => next_id("INC", self.state.incidents().len(), |id: &IncidentId| {
                self.state.incidents().contains_key(id)
            }),
        };
        self.seat_role(&incident.target)?;
        if incident.aggressor == incident.target {
            return Err(invalid(
                "aggressor",
                "an incident's aggressor and target differ",
            ));
        }
        if incident.occurred_at > self.now {
            return Err(invalid(
                "at",
                format!(
                    "the incident cannot occur in the future (now is {})",
                    self.now
                ),
            ));
        }
        Ok(vec![Event::IncidentReported {
            incident,
            reported_by: self.actor.id.clone(),
            at: self.now,
        }])
    }

    fn confirm_incident(&self, id: &IncidentId) -> Result<Vec<Event>, Rejection> {
        let record = self.incident(id)?;
        let actor = self.actor;
        let member = self.state.is_member_at(&actor.party, self.now);
        let may_confirm = matches!(
            actor.role,
            PrincipalRole::Monitor | PrincipalRole::Secretariat
        ) || (member && actor.role.speaks_for_party());
        if !may_confirm {
            return Err(not_authorised(
                actor,
                "confirm an incident",
                format!(
                    "{} is not a member of the coalition; only the monitoring mechanism, the secretariat or a member's leader, minister or envoy may",
                    actor.party
                ),
            ));
        }
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
        let confirmation = Confirmation {
            principal: actor.id.clone(),
            party: actor.party.clone(),
            role: actor.role,
            member,
            at: self.now,
        };
        let marking = record.incident.marking.clone();
        let mut events = vec![Event::IncidentConfirmed {
            incident: id.clone(),
            confirmation: confirmation.clone(),
            marking: marking.clone(),
        }];
        let mut confirmations = record.confirmations.clone();
        confirmations.push(confirmation);
        let rule = self
            .state
            .coalition()
            .map(|c| c.verification)
            .unwrap_or_default();
        if rule.is_met(&confirmations) {
            events.push(Event::IncidentVerified {
                incident: id.clone(),
                at: self.now,
                marking,
            });
            events.extend(self.activate(record, false));
        }
        Ok(events)
    }

    /// The obligations an incident opens: one per response of every commitment that was in
    /// force when the attack occurred and whose trigger matches. A provisional trigger opens
    /// consultations only; verification opens the rest, never twice.
    fn activate(&self, record: &IncidentRecord, provisional: bool) -> Vec<Event> {
        let incident = &record.incident;
        let ceasefire_in_force = self.state.ceasefire_in_force(incident.occurred_at);
        let mut taken: Vec<ObligationId> = Vec::new();
        let mut events = Vec::new();
        for candidate in self
            .state
            .commitments_triggered_by(&incident.target, &incident.aggressor)
        {
            let commitment = &candidate.commitment;
            if self
                .state
                .commitment_status(candidate, incident.occurred_at)
                != CommitmentStatus::InForce
                || !commitment.trigger.matches(incident, ceasefire_in_force)
            {
                continue;
            }
            for (index, response) in commitment.responses.iter().enumerate() {
                if provisional && response.kind != ResponseKind::Consult {
                    continue;
                }
                let already = self.state.obligations().values().any(|o| {
                    o.obligation.incident == incident.id
                        && o.obligation.commitment == commitment.id
                        && o.obligation.response_index == index
                });
                if already {
                    continue;
                }
                let clock_started_at = match response.clock {
                    ClockStart::Attack => Some(incident.occurred_at),
                    ClockStart::Verification => Some(self.now),
                    ClockStart::Request => self.state.first_request(
                        &commitment.protected,
                        &commitment.guarantor,
                        incident.occurred_at,
                    ),
                };
                let existing = self.state.obligations().len() + taken.len();
                let id = next_id("OB", existing, |id: &ObligationId| {
                    self.state.obligations().contains_key(id) || taken.contains(id)
                });
                taken.push(id.clone());
                events.push(Event::ObligationOpened {
                    obligation: Obligation {
                        id,
                        commitment: commitment.id.clone(),
                        incident: incident.id.clone(),
                        response_index: index,
                        guarantor: commitment.guarantor.clone(),
                        protected: commitment.protected.clone(),
                        kind: response.kind,
                        within: response.within,
                        clock: response.clock,
                        clock_started_at,
                        opened_at: self.now,
                        provisional,
                        marking: commitment.marking.join(&incident.marking),
                    },
                });
            }
        }
        events
    }
}

/// Statements: drafting and approval.
impl Rules<'_> {
    fn statement(&self, id: &StatementId) -> Result<&StatementRecord, Rejection> {
        self.state
            .statements()
            .get(id)
            .ok_or_else(|| Rejection::UnknownStatement(id.clone()))
    }

    fn open_statement(&self, record: &StatementRecord) -> Result<(), Rejection> {
        if record.is_adopted() {
            Err(Rejection::Adopted(record.id.clone()))
        } else {
            Ok(())
        }
    }

    fn leader_of_signatory(&self, record: &StatementRecord) -> Result<(), Rejection> {
        if self.actor.role != PrincipalRole::Leader {
            return Err(not_authorised(
                self.actor,
                "act on a statement",
                format!(
                    "only leaders approve; {} is {}",
                    self.actor.id, self.actor.role
                ),
            ));
        }
        if !record.signatories.contains(&self.actor.party) {
            return Err(Rejection::NotASignatory {
                statement: record.id.clone(),
                party: self.actor.party.clone(),
            });
        }
        Ok(())
    }

    fn draft_statement(
        &self,
        id: &StatementId,
        title: &str,
        signatories: &[PartyCode],
        rule: AdoptionRule,
        paragraphs: &[Paragraph],
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("table a draft statement")?;
        if self.state.statements().contains_key(id) {
            return Err(duplicate("statement", id));
        }
        if title.trim().is_empty() {
            return Err(invalid("title", "a statement needs a title"));
        }
        if signatories.is_empty() {
            return Err(invalid(
                "signatories",
                "name at least one party whose leader must approve",
            ));
        }
        let mut seen = Vec::new();
        for party in signatories {
            if seen.contains(&party) {
                return Err(invalid("signatories", format!("{party} is listed twice")));
            }
            seen.push(party);
            match self.state.seat(party) {
                None => return Err(Rejection::NoSeat(party.clone())),
                Some(seat) if !seat.role.is_inside() => {
                    return Err(Rejection::WrongSeat {
                        party: party.clone(),
                        actual: seat.role,
                        expected: "a seat inside the coalition",
                    });
                }
                Some(_) => {}
            }
        }
        if let AdoptionRule::Quorum { k } = rule
            && (k == 0 || usize::from(k) > signatories.len())
        {
            return Err(invalid(
                "quorum",
                format!("expected 1 to {}, found {k}", signatories.len()),
            ));
        }
        check_paragraphs(paragraphs)?;
        Ok(vec![Event::StatementDrafted {
            statement: id.clone(),
            title: title.to_owned(),
            signatories: signatories.to_vec(),
            rule,
            paragraphs: paragraphs.to_vec(),
            content: content_hash(paragraphs),
            at: self.now,
        }])
    }

    fn approve(
        &self,
        id: &StatementId,
        version: u32,
        signature: SignatureBytes,
        meeting: Option<&MeetingId>,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.statement(id)?;
        self.open_statement(record)?;
        let current = record.current().map_or(0, |v| v.number);
        let approved = record
            .version(version)
            .ok_or_else(|| Rejection::UnknownVersion {
                statement: id.clone(),
                version,
                latest: current,
            })?;
        if version != current {
            return Err(Rejection::StaleVersion {
                statement: id.clone(),
                approved: version,
                current,
            });
        }
        self.leader_of_signatory(record)?;
        let key = self
            .actor
            .public_key
            .ok_or_else(|| Rejection::NoKey(self.actor.id.clone()))?;
        let coalition = self
            .state
            .coalition()
            .map(|c| c.id.clone())
            .ok_or(Rejection::NotFounded)?;
        let message = approval_message(&coalition, id.as_str(), version, &approved.content);
        if !key.verify_strict(message.as_bytes(), &signature) {
            return Err(Rejection::BadSignature {
                principal: self.actor.id.clone(),
                statement: id.clone(),
                version,
            });
        }
        if record
            .approvals
            .get(&self.actor.party)
            .is_some_and(|a| a.version == version)
        {
            return Err(wrong_state(
                format!("{id} version {version}"),
                format!("already approved by {}", self.actor.party),
                "a party approves a version once",
            ));
        }
        if let Some(meeting) = meeting
            && !self.state.meetings().contains_key(meeting)
        {
            return Err(Rejection::UnknownMeeting(meeting.clone()));
        }
        let approval = Approval {
            principal: self.actor.id.clone(),
            party: self.actor.party.clone(),
            version,
            content: approved.content,
            signature,
            meeting: meeting.cloned(),
            at: self.now,
        };
        let mut after = record.clone();
        after
            .approvals
            .insert(approval.party.clone(), approval.clone());
        let mut events = vec![Event::VersionApproved {
            statement: id.clone(),
            approval,
        }];
        let counts_approvals = matches!(
            record.rule,
            AdoptionRule::Unanimity | AdoptionRule::Quorum { .. }
        );
        if counts_approvals && after.rule_holds(self.now) {
            events.push(Event::StatementAdopted {
                statement: id.clone(),
                version,
                at: self.now,
            });
        }
        Ok(events)
    }
}

/// A signing key identifies one principal: a key already registered to another is refused, or
/// whoever holds it could approve for both (a leader signing with another party's key).
fn key_unused(
    state: &State,
    key: &crate::signature::PublicKey,
    for_principal: &crate::id::PrincipalId,
) -> Result<(), Rejection> {
    match state
        .principals()
        .values()
        .find(|p| &p.id != for_principal && p.public_key.as_ref() == Some(key))
    {
        Some(holder) => Err(wrong_state(
            format!("key {key}"),
            format!("registered to {}", holder.id),
            "a signing key belongs to one principal",
        )),
        None => Ok(()),
    }
}

/// A version needs paragraphs, each with text.
fn check_paragraphs(paragraphs: &[Paragraph]) -> Result<(), Rejection> {
    if paragraphs.is_empty() {
        return Err(invalid(
            "paragraphs",
            "a version needs at least one paragraph",
        ));
    }
    if let Some(index) = paragraphs.iter().position(|p| p.text.trim().is_empty()) {
        return Err(invalid(
            "paragraphs",
            format!("paragraph {} has no text", index + 1),
        ));
    }
    Ok(())
}

/// The first `PREFIX-n` not yet taken, counting from n = `existing` + 1 (the number of things of
/// that kind already recorded): where the next generated id almost always is, so assigning ids
/// stays cheap in long logs. In a log of generated ids they run 1, 2, 3 …
fn next_id<K: IdKind>(prefix: &str, existing: usize, taken: impl Fn(&Id<K>) -> bool) -> Id<K> {
    (existing as u64 + 1..)
        .filter_map(|n| Id::parse(&format!("{prefix}-{n}")).ok())
        .find(|id| !taken(id))
        .unwrap_or_else(|| unreachable!("ids are unbounded"))
}

fn duplicate(noun: &'static str, id: &impl std::fmt::Display) -> Rejection {
    Rejection::DuplicateId {
        noun,
        id: id.to_string(),
    }
}

fn invalid(field: &'static str, problem: impl Into<String>) -> Rejection {
    Rejection::Invalid {
        field,
        problem: problem.into(),
    }
}

fn wrong_state(what: impl Into<String>, state: impl Into<String>, why: &'static str) -> Rejection {
    Rejection::WrongState {
        what: what.into(),
        state: state.into(),
        why,
    }
}

fn not_authorised(actor: &Principal, action: &'static str, why: String) -> Rejection {
    Rejection::NotAuthorised {
        actor: actor.id.clone(),
        action,
        why,
    }
}
