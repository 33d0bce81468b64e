//! Writes as a front end submits them: one request type per action, with the defaults a user
//! expects (the coalition's protected state, a commitment's marking originated by its guarantor),
//! turned into the core's commands here and nowhere else. The CLI builds them from flags; the
//! API will deserialize them from request bodies.

use coalition_core::Command;
use coalition_core::classification::{Level, Marking};
use coalition_core::command::{NewCommitment, NewIncident};
use coalition_core::commitment::{
    Amount, Category, ClockStart, Commitment, Condition, Discretion, Response, ResponseKind, Stage,
    Trigger, TriggerKind, Validity,
};
use coalition_core::communique::Aggregate;
use coalition_core::dates::{Day, Span, Timestamp};
use coalition_core::id::{
    CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode, PrincipalId,
};
use coalition_core::incident::{Correction, Incident, IncidentKind};
use coalition_core::instrument::{Ratification, TerminationCondition};
use coalition_core::names::parse_named;
use coalition_core::party::{Principal, PrincipalRole};
use coalition_core::signature::{PublicKey, SignatureBytes};
use coalition_core::state::State;
use coalition_core::statement::{
    AdoptionRule, Attendance, Meeting, MeetingId, Paragraph, StatementId,
};
use coalition_core::witness::{PolicyApproval, WitnessPolicy};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A write. As JSON (the API's request body) it is `{"action": "record-support", "request":
/// {…}}`: adjacently tagged rather than flat, so that an error inside names its field's path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "kebab-case",
    tag = "action",
    content = "request",
    deny_unknown_fields
)]
pub enum Request {
    /// Register a principal acting for a party (the secretariat).
    RegisterPrincipal(NewPrincipal),
    /// Put a witness policy in force (the secretariat): the first freely, a change with the
    /// approvals of leaders of a quorum of the current witnesses' parties.
    SetWitnessPolicy {
        /// The policy.
        policy: WitnessPolicy,
        /// Approvals of it.
        #[serde(default)]
        approvals: Vec<PolicyApproval>,
    },
    /// Register a new signing key for a principal (rotation; the secretariat).
    RotateKey {
        /// The principal.
        principal: PrincipalId,
        /// The new public key.
        public_key: PublicKey,
    },
    /// Record a party's signature of an instrument.
    SignInstrument {
        /// The instrument.
        instrument: InstrumentId,
        /// The party.
        party: PartyCode,
        /// When it signed.
        at: Timestamp,
    },
    /// Record a party's ratification, or its parliament's rejection.
    RatifyInstrument {
        /// The instrument.
        instrument: InstrumentId,
        /// The party.
        party: PartyCode,
        /// When.
        at: Timestamp,
        /// The parliament rejected it.
        #[serde(default)]
        rejected: bool,
    },
    /// Extend an extendable term.
    ExtendInstrument {
        /// The instrument.
        instrument: InstrumentId,
        /// Years to add.
        years: u16,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Record that a termination condition was met.
    TerminateInstrument {
        /// The instrument.
        instrument: InstrumentId,
        /// The condition, as the instrument states it (`protected-state-joins-nato`).
        condition: String,
        /// When.
        at: Timestamp,
    },
    /// Record a commitment.
    AddCommitment(Box<NewCommitmentRequest>),
    /// Withdraw a commitment.
    WithdrawCommitment {
        /// The commitment.
        commitment: CommitmentId,
        /// Why.
        reason: String,
        /// When (default: now).
        at: Option<Timestamp>,
    },
    /// Record the cumulative quantity that reached a stage.
    RecordSupport {
        /// The commitment.
        commitment: CommitmentId,
        /// The stage reached.
        stage: Stage,
        /// How many units have reached it so far.
        quantity: u64,
        /// When (default: now).
        at: Option<Timestamp>,
    },
    /// Record that a ceasefire entered into force.
    DeclareCeasefire {
        /// When.
        in_force_from: Timestamp,
    },
    /// Record that the ceasefire in force ended.
    EndCeasefire {
        /// When.
        at: Timestamp,
    },
    /// Report an incident.
    ReportIncident(Box<NewIncidentRequest>),
    /// Confirm an incident towards verification.
    ConfirmIncident {
        /// The incident.
        incident: IncidentId,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Start consultations before attribution is final.
    TriggerIncident {
        /// The incident.
        incident: IncidentId,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Reject an incident.
    RejectIncident {
        /// The incident.
        incident: IncidentId,
        /// Why.
        #[serde(default)]
        reason: String,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// The protected state asks guarantors for consultations.
    RequestConsultations {
        /// The protected state.
        by: PartyCode,
        /// The guarantors asked.
        with: Vec<PartyCode>,
        /// When the request was made.
        at: Timestamp,
        /// Its classification (default UNCLASSIFIED).
        classification: Option<Level>,
    },
    /// Report an obligation fulfilled.
    FulfilObligation(ObligationReport),
    /// Waive an obligation (the protected state).
    WaiveObligation(ObligationReport),
    /// Dispute an obligation.
    DisputeObligation(ObligationReport),
    /// Table a statement's first version.
    DraftStatement(Box<NewStatementRequest>),
    /// Table a new version.
    ReviseStatement {
        /// The statement.
        statement: StatementId,
        /// Its paragraphs.
        paragraphs: Vec<Paragraph>,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Approve a version with a signature made on the signer's machine.
    ApproveVersion {
        /// The statement.
        statement: StatementId,
        /// The version.
        version: u32,
        /// The signature over the approval message (see `Reader::to_sign`).
        signature: SignatureBytes,
        /// The meeting where it is given.
        meeting: Option<MeetingId>,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Withdraw the actor's party's approval.
    WithdrawApproval {
        /// The statement.
        statement: StatementId,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Object under a silence procedure.
    ObjectToStatement {
        /// The statement.
        statement: StatementId,
        /// When it happened (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Conclude a silence procedure after its deadline.
    ConcludeSilence {
        /// The statement.
        statement: StatementId,
    },
    /// Record a meeting.
    RecordMeeting(Box<NewMeetingRequest>),
    /// Set an exercise's simulated clock (its director, the secretariat); it never runs back.
    SetExerciseClock {
        /// The simulated time from now on.
        at: Timestamp,
    },
    /// End an exercise: its log accepts nothing more.
    EndExercise,
    /// Record that a report is a duplicate of another (the secretariat): its confirmations
    /// count towards the original's, its obligations are cancelled with the reason.
    MergeIncident {
        /// The duplicate.
        duplicate: IncidentId,
        /// The original.
        into: IncidentId,
        /// When (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Confirm a correction of a verified incident's attribution or time, under the rule that
    /// verified it.
    CorrectIncident {
        /// The incident.
        incident: IncidentId,
        /// The aggressor it is attributed to instead.
        aggressor: Option<PartyCode>,
        /// When it occurred instead.
        occurred_at: Option<Timestamp>,
        /// When the confirmation was given (default: now).
        #[serde(default)]
        at: Option<Timestamp>,
    },
    /// Release an aggregate's current value to the public.
    ReleaseAggregate {
        /// `members` or `guarantors:CATEGORY[,CATEGORY…]`.
        aggregate: String,
    },
}

/// A principal to register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPrincipal {
    /// Its id.
    pub id: PrincipalId,
    /// The person's or office's name.
    pub name: String,
    /// The party it acts for.
    pub party: PartyCode,
    /// Its role.
    pub role: PrincipalRole,
    /// Its clearance.
    pub clearance: Level,
    /// Its signing key.
    pub public_key: Option<PublicKey>,
    /// How widely its record may be shown (default UNCLASSIFIED).
    pub classification: Option<Level>,
}

/// A commitment to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCommitmentRequest {
    /// The party that commits.
    pub guarantor: PartyCode,
    /// The party protected (default: the coalition's protected state).
    pub protected: Option<PartyCode>,
    /// The kind of support.
    pub category: Category,
    /// What exactly, in words.
    pub what: String,
    /// How many units (with `unit`).
    pub quantity: Option<u64>,
    /// The unit of the quantity (with `quantity`).
    pub unit: Option<String>,
    /// The stage the amount has reached.
    pub stage: Stage,
    /// The state whose attack sets it off.
    pub aggressor: PartyCode,
    /// What sets it off.
    pub kind: TriggerKind,
    /// A stated scope for the trigger.
    #[serde(default)]
    pub scope: String,
    /// The conditions of the scope the rules evaluate.
    #[serde(default)]
    pub requires: Vec<Condition>,
    /// Consult within this long.
    pub consult_within: Option<Span>,
    /// Deliver within this long.
    pub deliver_within: Option<Span>,
    /// Further responses as `KIND` or `KIND=SPAN` (a bare kind has no deadline).
    #[serde(default)]
    pub responses: Vec<String>,
    /// Where the response clocks start.
    pub clock_from: ClockStart,
    /// How much choice the guarantor keeps.
    pub discretion: Discretion,
    /// The instrument it stands on.
    pub instrument: Option<InstrumentId>,
    /// First day in force.
    pub from: Option<Day>,
    /// Last day in force (inclusive).
    pub until: Option<Day>,
    /// Classification level (default UNCLASSIFIED).
    pub classification: Option<Level>,
    /// The originating party (default: the guarantor).
    pub originator: Option<PartyCode>,
    /// Releasable only to these parties.
    pub releasable_to: Option<Vec<PartyCode>>,
    /// When it was made (default: when its guarantor signed its instrument, or now).
    #[serde(default)]
    pub at: Option<Timestamp>,
}

/// An incident to report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewIncidentRequest {
    /// The state alleged to have attacked.
    pub aggressor: PartyCode,
    /// The state attacked.
    pub target: PartyCode,
    /// What happened.
    pub kind: IncidentKind,
    /// When it happened.
    pub at: Timestamp,
    /// Where.
    #[serde(default)]
    pub location: String,
    /// What happened, in words.
    #[serde(default)]
    pub description: String,
    /// References to evidence.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// Whether nuclear weapons were used.
    #[serde(default)]
    pub nuclear_weapons_used: bool,
    /// Classification level (default UNCLASSIFIED).
    pub classification: Option<Level>,
    /// Releasable only to these parties.
    pub releasable_to: Option<Vec<PartyCode>>,
    /// When it was reported (default: now); not before it occurred.
    #[serde(default)]
    pub reported_at: Option<Timestamp>,
}

/// A fulfilment, waiver or dispute of an obligation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObligationReport {
    /// The obligation.
    pub obligation: ObligationId,
    /// The report, note or reason.
    #[serde(default)]
    pub report: String,
    /// When (default: now).
    pub at: Option<Timestamp>,
}

/// A statement to table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStatementRequest {
    /// Its id.
    pub id: StatementId,
    /// Its title.
    pub title: String,
    /// The parties whose leaders must approve.
    pub signatories: Vec<PartyCode>,
    /// Adopt once this many approve (default: all).
    pub quorum: Option<u16>,
    /// Silence procedure: adopted at this time unless a signatory objects before.
    pub silence_until: Option<Timestamp>,
    /// Version 1's paragraphs.
    pub paragraphs: Vec<Paragraph>,
    /// When it was tabled (default: now).
    #[serde(default)]
    pub at: Option<Timestamp>,
}

/// A meeting to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMeetingRequest {
    /// Its id.
    pub id: MeetingId,
    /// Its title.
    pub title: String,
    /// The host party.
    pub host: PartyCode,
    /// Where.
    pub place: String,
    /// The day.
    pub day: Day,
    /// `PRINCIPAL:in-person` or `PRINCIPAL:remote`.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// Statements on the agenda.
    #[serde(default)]
    pub agenda: Vec<StatementId>,
}

impl Request {
    /// The commands this request asks for, given the current state (for defaults).
    pub(crate) fn into_commands(self, state: &State) -> Result<Vec<Command>, AppError> {
        let command = match self {
            Request::RegisterPrincipal(p) => Command::RegisterPrincipal(Principal {
                id: p.id,
                name: p.name,
                party: p.party,
                role: p.role,
                clearance: p.clearance,
                marking: Marking::at(p.classification.unwrap_or(Level::Unclassified)),
                public_key: p.public_key,
            }),
            Request::RotateKey {
                principal,
                public_key,
            } => Command::RegisterKey {
                principal,
                key: public_key,
            },
            Request::SignInstrument {
                instrument,
                party,
                at,
            } => Command::SignInstrument {
                instrument,
                party,
                at,
            },
            Request::RatifyInstrument {
                instrument,
                party,
                at,
                rejected,
            } => Command::RecordRatification {
                instrument,
                party,
                status: if rejected {
                    Ratification::Rejected
                } else {
                    Ratification::Ratified
                },
                at,
            },
            Request::ExtendInstrument {
                instrument,
                years,
                at,
            } => Command::ExtendInstrument {
                instrument,
                years,
                at,
            },
            Request::TerminateInstrument {
                instrument,
                condition,
                at,
            } => Command::TerminateInstrument {
                instrument,
                condition: TerminationCondition::from_text(&condition),
                at,
            },
            Request::AddCommitment(new) => new.into_command(state)?,
            Request::WithdrawCommitment {
                commitment,
                reason,
                at,
            } => Command::WithdrawCommitment {
                commitment,
                reason,
                at,
            },
            Request::RecordSupport {
                commitment,
                stage,
                quantity,
                at,
            } => Command::RecordSupport {
                commitment,
                stage,
                quantity,
                at,
            },
            Request::DeclareCeasefire { in_force_from } => {
                Command::DeclareCeasefire { in_force_from }
            }
            Request::EndCeasefire { at } => Command::EndCeasefire { at },
            Request::ReportIncident(new) => new.into_command()?,
            Request::ConfirmIncident { incident, at } => Command::ConfirmIncident { incident, at },
            Request::TriggerIncident { incident, at } => {
                Command::TriggerProvisionally { incident, at }
            }
            Request::RejectIncident {
                incident,
                reason,
                at,
            } => Command::RejectIncident {
                incident,
                reason,
                at,
            },
            Request::RequestConsultations {
                by,
                with,
                at,
                classification,
            } => Command::RequestConsultations {
                by,
                with,
                at,
                marking: Marking::at(classification.unwrap_or(Level::Unclassified)),
            },
            Request::FulfilObligation(r) => Command::FulfilObligation {
                obligation: r.obligation,
                at: r.at,
                report: r.report,
            },
            Request::WaiveObligation(r) => Command::WaiveObligation {
                obligation: r.obligation,
                at: r.at,
                note: r.report,
            },
            Request::DisputeObligation(r) => Command::DisputeObligation {
                obligation: r.obligation,
                at: r.at,
                reason: r.report,
            },
            Request::DraftStatement(new) => Command::DraftStatement {
                rule: match (new.quorum, new.silence_until) {
                    (Some(_), Some(_)) => {
                        return Err(AppError::invalid(
                            "quorum",
                            "give a quorum or a silence deadline, not both",
                        ));
                    }
                    (Some(k), None) => AdoptionRule::Quorum { k },
                    (None, Some(deadline)) => AdoptionRule::Silence { deadline },
                    (None, None) => AdoptionRule::Unanimity,
                },
                statement: new.id,
                title: new.title,
                signatories: new.signatories,
                paragraphs: new.paragraphs,
                seed: crate::random::seed().map_err(AppError::internal)?,
                at: new.at,
            },
            Request::ReviseStatement {
                statement,
                paragraphs,
                at,
            } => Command::ReviseStatement {
                statement,
                paragraphs,
                seed: crate::random::seed().map_err(AppError::internal)?,
                at,
            },
            Request::ApproveVersion {
                statement,
                version,
                signature,
                meeting,
                at,
            } => Command::ApproveVersion {
                statement,
                version,
                signature,
                meeting,
                at,
            },
            Request::WithdrawApproval { statement, at } => {
                Command::WithdrawApproval { statement, at }
            }
            Request::ObjectToStatement { statement, at } => {
                Command::ObjectToStatement { statement, at }
            }
            Request::ConcludeSilence { statement } => Command::ConcludeSilence { statement },
            Request::RecordMeeting(new) => new.into_command()?,
            Request::SetExerciseClock { at } => Command::SetExerciseClock { at },
            Request::EndExercise => Command::EndExercise,
            Request::MergeIncident {
                duplicate,
                into,
                at,
            } => Command::MergeIncident {
                duplicate,
                into,
                at,
            },
            Request::CorrectIncident {
                incident,
                aggressor,
                occurred_at,
                at,
            } => {
                if aggressor.is_none() && occurred_at.is_none() {
                    return Err(AppError::invalid(
                        "aggressor",
                        "a correction names the aggressor or the time of occurrence (or both)",
                    ));
                }
                Command::CorrectIncident {
                    incident,
                    correction: Correction {
                        aggressor,
                        occurred_at,
                    },
                    at,
                }
            }
            Request::SetWitnessPolicy { policy, approvals } => {
                Command::SetWitnessPolicy { policy, approvals }
            }
            Request::ReleaseAggregate { aggregate } => Command::ReleaseAggregate {
                aggregate: Aggregate::parse(&aggregate)
                    .map_err(|e| AppError::invalid("aggregate", e.to_string()))?,
            },
        };
        Ok(vec![command])
    }
}

impl NewCommitmentRequest {
    fn into_command(self, state: &State) -> Result<Command, AppError> {
        let protected = match self.protected {
            Some(party) => party,
            None => state
                .coalition()
                .map(|c| c.protected.clone())
                .ok_or_else(|| AppError::invalid("protected", "the coalition is not founded"))?,
        };
        let mut responses = Vec::new();
        if let Some(within) = self.consult_within {
            responses.push(Response {
                kind: ResponseKind::Consult,
                within: Some(within),
                clock: self.clock_from,
            });
        }
        if let Some(within) = self.deliver_within {
            responses.push(Response {
                kind: ResponseKind::Deliver,
                within: Some(within),
                clock: self.clock_from,
            });
        }
        for text in &self.responses {
            responses.push(parse_response(text, self.clock_from)?);
        }
        if responses.is_empty() {
            return Err(AppError::invalid(
                "response",
                "name at least one response: --consult-within SPAN, --deliver-within SPAN or --response KIND[=SPAN]",
            ));
        }
        let commitment = Commitment {
            // Replaced by the id `decide` derives.
            id: CommitmentId::parse("new").map_err(AppError::internal)?,
            guarantor: self.guarantor.clone(),
            protected,
            instrument: self.instrument,
            category: self.category,
            what: self.what,
            amount: match (self.quantity, self.unit) {
                (Some(quantity), Some(unit)) => Some(Amount {
                    quantity,
                    unit,
                    stage: self.stage,
                }),
                (None, None) => None,
                (Some(_), None) => {
                    return Err(AppError::invalid("unit", "a quantity needs its unit"));
                }
                (None, Some(_)) => {
                    return Err(AppError::invalid("quantity", "a unit needs its quantity"));
                }
            },
            trigger: Trigger {
                kind: self.kind,
                aggressor: self.aggressor,
                scope: self.scope,
                requires: self.requires,
            },
            discretion: self.discretion,
            responses,
            validity: Validity {
                from: self.from,
                until: self.until,
            },
            marking: marking(
                self.classification,
                Some(self.originator.unwrap_or(self.guarantor)),
                self.releasable_to,
            )?,
            illustrative: false,
        };
        Ok(Command::AddCommitment(NewCommitment {
            // The record derives the id: chosen ids could collide with hidden ones.
            id: None,
            commitment,
            at: self.at,
        }))
    }
}

/// A new item's marking (UNCLASSIFIED unless a level is given). A releasability list on a
/// PUBLIC item is refused, naming the flag: PUBLIC is releasable to everyone.
fn marking(
    level: Option<Level>,
    originator: Option<PartyCode>,
    releasable_to: Option<Vec<PartyCode>>,
) -> Result<Marking, AppError> {
    let marking = Marking {
        level: level.unwrap_or(Level::Unclassified),
        originator,
        releasable_to: releasable_to.map(|parties| parties.into_iter().collect()),
    };
    match marking.contradiction() {
        Some(problem) => Err(AppError::invalid("releasable-to", problem)),
        None => Ok(marking),
    }
}

/// Parses `KIND[=SPAN]`.
fn parse_response(text: &str, clock: ClockStart) -> Result<Response, AppError> {
    let (kind, within) = match text.split_once('=') {
        Some((kind, span)) => (kind, Some(span)),
        None => (text, None),
    };
    let kind: ResponseKind =
        parse_named(kind).map_err(|err| AppError::invalid("response", format!("{text}: {err}")))?;
    let within = within
        .map(|span| {
            Span::parse(span).map_err(|err| AppError::invalid("response", format!("{text}: {err}")))
        })
        .transpose()?;
    Ok(Response {
        kind,
        within,
        clock,
    })
}

impl NewIncidentRequest {
    fn into_command(self) -> Result<Command, AppError> {
        Ok(Command::ReportIncident(NewIncident {
            // The record derives the id: chosen ids could collide with hidden ones.
            id: None,
            incident: Incident {
                // Replaced by the id `decide` derives.
                id: IncidentId::parse("new").map_err(AppError::internal)?,
                aggressor: self.aggressor,
                target: self.target,
                kind: self.kind,
                occurred_at: self.at,
                location: self.location,
                description: self.description,
                evidence: self.evidence,
                nuclear_weapons_used: self.nuclear_weapons_used,
                marking: marking(self.classification, None, self.releasable_to)?,
            },
            at: self.reported_at,
        }))
    }
}

impl NewMeetingRequest {
    fn into_command(self) -> Result<Command, AppError> {
        let mut attendees = Vec::new();
        for text in &self.attendees {
            let expected = || {
                AppError::invalid(
                    "attendee",
                    format!("{text}: expected PRINCIPAL:in-person or PRINCIPAL:remote"),
                )
            };
            let (principal, mode) = text.split_once(':').ok_or_else(expected)?;
            let principal = PrincipalId::parse(principal)
                .map_err(|e| AppError::invalid("attendee", format!("{text}: {e}")))?;
            let mode: Attendance = parse_named(mode)
                .map_err(|e| AppError::invalid("attendee", format!("{text}: {e}")))?;
            attendees.push((principal, mode));
        }
        Ok(Command::RecordMeeting(Meeting {
            id: self.id,
            title: self.title,
            host: self.host,
            place: self.place,
            day: self.day,
            attendees,
            agenda: self.agenda,
            marking: Marking::public(),
        }))
    }
}

/// A what-if question as a front end asks it: an incident supposed, and what to assume. Nothing
/// is written; its times may lie in the future.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRequest {
    /// The state supposed to attack.
    pub aggressor: PartyCode,
    /// The state attacked.
    pub target: PartyCode,
    /// What would happen.
    pub kind: IncidentKind,
    /// When.
    pub at: Timestamp,
    /// Where.
    #[serde(default)]
    pub location: String,
    /// Whether nuclear weapons would be used.
    #[serde(default)]
    pub nuclear_weapons_used: bool,
    /// When it would be verified (default: when it occurs).
    #[serde(default)]
    pub verified_at: Option<Timestamp>,
    /// Requests for consultations the protected state would make: the guarantor asked, when.
    #[serde(default)]
    pub requests: Vec<ConsultationAsked>,
    /// Assume a ceasefire entered into force then.
    #[serde(default)]
    pub assume_ceasefire: Option<Timestamp>,
    /// Assume these parties had ratified what they signed.
    #[serde(default)]
    pub assume_ratified: Vec<PartyCode>,
}

/// One request for consultations a what-if supposes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsultationAsked {
    /// The guarantor asked.
    pub party: PartyCode,
    /// When.
    pub at: Timestamp,
}

impl WhatIfRequest {
    /// The core's question.
    pub fn into_query(self) -> Result<coalition_core::whatif::WhatIf, AppError> {
        Ok(coalition_core::whatif::WhatIf {
            incident: Incident {
                // Replaced by the what-if's own id.
                id: IncidentId::parse("WHAT-IF").map_err(AppError::internal)?,
                aggressor: self.aggressor,
                target: self.target,
                kind: self.kind,
                occurred_at: self.at,
                location: self.location,
                description: String::new(),
                evidence: Vec::new(),
                nuclear_weapons_used: self.nuclear_weapons_used,
                // A supposition is no secret: what it reaches is as secret as the commitments.
                marking: Marking::public(),
            },
            verified_at: self.verified_at,
            requests: self
                .requests
                .into_iter()
                .map(|asked| (asked.party, asked.at))
                .collect(),
            assume_ceasefire: self.assume_ceasefire,
            assume_ratified: self.assume_ratified,
        })
    }
}
