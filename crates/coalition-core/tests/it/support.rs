//! The Given/When/Then helper: the test coalition of [`crate::fixture`], builders for the
//! commands the tests use, and the questions the tests ask of the resulting state.

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, Context, NewCommitment, NewIncident};
use coalition_core::commitment::{
    Amount, Category, ClockStart, Commitment, Discretion, Response, ResponseKind, Stage, Trigger,
    TriggerKind, Validity,
};
use coalition_core::dates::{Span, Timestamp};
use coalition_core::event::Event;
use coalition_core::id::{IncidentId, InstrumentId, PrincipalId};
use coalition_core::incident::{Incident, IncidentKind};
use coalition_core::instrument::{
    Activation, Instrument, InstrumentForm, LegalForce, Ratification, Term, TermStart,
};
use coalition_core::obligation::{Deadline, ObligationStatus};
use coalition_core::state::ObligationRecord;
use coalition_core::{Rejection, State, apply, decide};

pub(crate) use crate::fixture::{
    COALITION, World, at, cid, day, founding, iid, oid, party, principal_id, span,
};

/// One command as one principal.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub(crate) actor: PrincipalId,
    pub(crate) command: Command,
}

pub(crate) fn step(actor: &str, command: Command) -> Step {
    Step {
        actor: principal_id(actor),
        command,
    }
}

impl Step {
    /// The same step, stating when what it records happened (instead of the recording time).
    pub(crate) fn at(mut self, when: &str) -> Step {
        let time = Some(at(when));
        match &mut self.command {
            Command::AddCommitment(new) => new.at = time,
            Command::ReportIncident(new) => new.at = time,
            Command::ConfirmIncident { at, .. }
            | Command::TriggerProvisionally { at, .. }
            | Command::RejectIncident { at, .. }
            | Command::WithdrawCommitment { at, .. }
            | Command::RecordSupport { at, .. }
            | Command::FulfilObligation { at, .. }
            | Command::WaiveObligation { at, .. }
            | Command::DisputeObligation { at, .. }
            | Command::ExtendInstrument { at, .. } => *at = time,
            other => panic!("{other:?} states no optional time"),
        }
        self
    }
}

/// A coalition's state with the log that built it, and a clock.
#[derive(Clone, Debug)]
pub(crate) struct Scenario {
    pub(crate) state: State,
    pub(crate) log: Vec<Event>,
    /// When each event of `log` was recorded (the clock of the step that emitted it).
    pub(crate) recorded: Vec<Timestamp>,
    pub(crate) now: Timestamp,
}

impl Scenario {
    /// The test coalition ([`World::new`]), founded; the clock at 2026-06-01T12:00:00Z.
    pub(crate) fn new() -> Scenario {
        let world = World::new();
        Scenario {
            log: world.events().cloned().collect(),
            recorded: world
                .history
                .iter()
                .flat_map(|batch| batch.events.iter().map(|_| batch.at))
                .collect(),
            state: world.state,
            now: at("2026-06-01T12:00:00Z"),
        }
    }

    /// Moves the clock.
    pub(crate) fn now(mut self, text: &str) -> Scenario {
        self.now = at(text);
        self
    }

    /// Runs a step that must be accepted and applies its events.
    pub(crate) fn given(mut self, step: impl Into<Step>) -> Scenario {
        let step = step.into();
        match self.decide(&step) {
            Ok(events) => self.record(&events),
            Err(rejection) => panic!("given {step:?} was refused: {rejection}"),
        }
        self
    }

    /// Runs a step, accepted or not; the scenario afterwards has its events applied.
    pub(crate) fn when(self, step: impl Into<Step>) -> Outcome {
        let step = step.into();
        let result = self.decide(&step);
        let mut after = self.clone();
        if let Ok(events) = &result {
            after.record(events);
        }
        Outcome {
            before: self,
            step,
            result,
            after,
        }
    }

    fn decide(&self, step: &Step) -> Result<Vec<Event>, Rejection> {
        let ctx = Context {
            now: self.now,
            actor: step.actor.clone(),
        };
        decide(&self.state, &step.command, &ctx)
    }

    fn record(&mut self, events: &[Event]) {
        for event in events {
            apply(&mut self.state, event);
            self.log.push(event.clone());
            self.recorded.push(self.now);
        }
    }

    /// The log with the time each event was recorded, as the ledger keeps it.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&Event, Timestamp)> {
        self.log.iter().zip(self.recorded.iter().copied())
    }

    /// The obligation opened for `commitment`'s response `kind` by `incident`.
    pub(crate) fn obligation(
        &self,
        incident: &str,
        commitment: &str,
        kind: ResponseKind,
    ) -> &ObligationRecord {
        self.find_obligation(incident, commitment, kind)
            .unwrap_or_else(|| {
                panic!(
                    "no {kind:?} obligation for {commitment} from {incident}; have {:?}",
                    self.opened(incident)
                )
            })
    }

    pub(crate) fn find_obligation(
        &self,
        incident: &str,
        commitment: &str,
        kind: ResponseKind,
    ) -> Option<&ObligationRecord> {
        self.state.obligations().values().find(|o| {
            o.obligation.incident == iid(incident)
                && o.obligation.commitment == cid(commitment)
                && o.obligation.kind == kind
        })
    }

    /// (commitment, response kind) of every obligation an incident opened, sorted.
    pub(crate) fn opened(&self, incident: &str) -> Vec<(String, ResponseKind)> {
        let mut opened: Vec<_> = self
            .state
            .obligations()
            .values()
            .filter(|o| o.obligation.incident == iid(incident))
            .map(|o| (o.obligation.commitment.to_string(), o.obligation.kind))
            .collect();
        opened.sort();
        opened
    }

    /// The id of the obligation for `commitment`'s response `kind` from `incident`.
    pub(crate) fn obligation_id(
        &self,
        incident: &str,
        commitment: &str,
        kind: ResponseKind,
    ) -> String {
        self.obligation(incident, commitment, kind)
            .obligation
            .id
            .to_string()
    }

    /// The obligation's deadline.
    pub(crate) fn due(&self, incident: &str, commitment: &str, kind: ResponseKind) -> Deadline {
        self.obligation(incident, commitment, kind).deadline()
    }

    /// The obligation's status at a time.
    pub(crate) fn status_at(
        &self,
        incident: &str,
        commitment: &str,
        kind: ResponseKind,
        time: &str,
    ) -> ObligationStatus {
        self.obligation(incident, commitment, kind).status(at(time))
    }
}

/// What a `when` step produced.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) before: Scenario,
    pub(crate) step: Step,
    pub(crate) result: Result<Vec<Event>, Rejection>,
    pub(crate) after: Scenario,
}

impl Outcome {
    /// The step was refused by the rule `matches` describes, and emitted nothing.
    pub(crate) fn then_rejected_with(self, matches: impl Fn(&Rejection) -> bool) -> Scenario {
        match &self.result {
            Err(rejection) => assert!(
                matches(rejection),
                "{:?} was refused, but with {rejection:?}",
                self.step
            ),
            Ok(events) => panic!(
                "{:?} was accepted with {} events; expected a refusal",
                self.step,
                events.len()
            ),
        }
        assert_eq!(
            self.after.log.len(),
            self.before.log.len(),
            "a refusal records nothing"
        );
        self.before
    }

    /// The step was accepted; returns the scenario with its events applied.
    pub(crate) fn then_accepted(self) -> Scenario {
        if let Err(rejection) = &self.result {
            panic!("{:?} was refused: {rejection}", self.step);
        }
        self.after
    }

    /// The events the step emitted (it must have been accepted).
    pub(crate) fn events(&self) -> &[Event] {
        match &self.result {
            Ok(events) => events,
            Err(rejection) => panic!("{:?} was refused: {rejection}", self.step),
        }
    }
}

// --- Commitments ------------------------------------------------------------------------------

/// A commitment under construction: by default an automatic, unilateral pledge by `guarantor` to
/// UKR against an armed attack by RUS, in force from 2026-01-01 with no end, owing a
/// consultation within 24 hours of verification.
#[derive(Clone, Debug)]
pub(crate) struct Pledge(pub(crate) Commitment);

pub(crate) fn pledge(id: &str, guarantor: &str) -> Pledge {
    Pledge(Commitment {
        id: cid(id),
        guarantor: party(guarantor),
        protected: party("UKR"),
        instrument: None,
        category: Category::parse("military-capabilities").unwrap(),
        what: format!("{id}: support"),
        amount: None,
        trigger: Trigger {
            kind: TriggerKind::ArmedAttack,
            aggressor: party("RUS"),
            scope: String::new(),
            requires: Vec::new(),
        },
        discretion: Discretion::Automatic,
        responses: vec![Response {
            kind: ResponseKind::Consult,
            within: Some(Span::hours(24)),
            clock: ClockStart::Verification,
        }],
        validity: Validity {
            from: Some(day("2026-01-01")),
            until: None,
        },
        marking: Marking::at(Level::Unclassified),
        illustrative: false,
    })
}

impl Pledge {
    pub(crate) fn from(mut self, text: &str) -> Pledge {
        self.0.validity.from = Some(day(text));
        self
    }

    pub(crate) fn without_from(mut self) -> Pledge {
        self.0.validity.from = None;
        self
    }

    pub(crate) fn until(mut self, text: &str) -> Pledge {
        self.0.validity.until = Some(day(text));
        self
    }

    pub(crate) fn protecting(mut self, code: &str) -> Pledge {
        self.0.protected = party(code);
        self
    }

    pub(crate) fn against(mut self, code: &str) -> Pledge {
        self.0.trigger.aggressor = party(code);
        self
    }

    pub(crate) fn triggered_by(mut self, kind: TriggerKind) -> Pledge {
        self.0.trigger.kind = kind;
        self
    }

    pub(crate) fn category(mut self, slug: &str) -> Pledge {
        self.0.category = Category::parse(slug).unwrap();
        self
    }

    pub(crate) fn discretion(mut self, discretion: Discretion) -> Pledge {
        self.0.discretion = discretion;
        self
    }

    /// Replaces the responses: each (kind, within or None for "swiftly", clock).
    pub(crate) fn responses(
        mut self,
        responses: &[(ResponseKind, Option<&str>, ClockStart)],
    ) -> Pledge {
        self.0.responses = responses
            .iter()
            .map(|(kind, within, clock)| Response {
                kind: *kind,
                within: within.map(span),
                clock: *clock,
            })
            .collect();
        self
    }

    pub(crate) fn on(mut self, instrument: &str) -> Pledge {
        self.0.instrument = Some(InstrumentId::parse(instrument).unwrap());
        self
    }

    pub(crate) fn amount(mut self, quantity: u64, unit: &str, stage: Stage) -> Pledge {
        self.0.amount = Some(Amount {
            quantity,
            unit: unit.into(),
            stage,
        });
        self
    }

    pub(crate) fn what(mut self, text: &str) -> Pledge {
        self.0.what = text.to_owned();
        self
    }

    pub(crate) fn marked(mut self, marking: Marking) -> Pledge {
        self.0.marking = marking;
        self
    }
}

impl From<Pledge> for Step {
    /// The secretariat records commitments on the guarantors' behalf.
    fn from(pledge: Pledge) -> Step {
        step(
            "secretariat",
            Command::AddCommitment(NewCommitment {
                id: Some(pledge.0.id.clone()),
                commitment: pledge.0,
                at: None,
            }),
        )
    }
}

pub(crate) fn withdraw(commitment: &str, when: &str) -> Step {
    step(
        "secretariat",
        Command::WithdrawCommitment {
            commitment: cid(commitment),
            reason: "superseded".into(),
            at: Some(at(when)),
        },
    )
}

pub(crate) fn support(commitment: &str, stage: Stage, quantity: u64) -> Step {
    step(
        "secretariat",
        Command::RecordSupport {
            commitment: cid(commitment),
            stage,
            quantity,
            at: None,
        },
    )
}

// --- Instruments ------------------------------------------------------------------------------

/// A Paris-style instrument: politically and legally binding, active once a ceasefire is in
/// force, ratification by each party, fifteen years from activation, extendable.
pub(crate) fn paris_style(id: &str, parties: &[&str]) -> Instrument {
    Instrument {
        id: InstrumentId::parse(id).unwrap(),
        title: format!("{id} declaration"),
        form: InstrumentForm::Multilateral,
        legal_force: LegalForce::PoliticallyAndLegallyBinding,
        parties: parties.iter().map(|p| party(p)).collect(),
        activation: Activation::OnCeasefire,
        ratification_required: true,
        term: Some(Term {
            years: 15,
            from: TermStart::Activation,
            extendable: true,
        }),
        termination: Vec::new(),
        statement: None,
        marking: Marking::public(),
        source: String::new(),
        illustrative: true,
        historical: false,
    }
}

/// A 2024-style bilateral agreement: political, in force on signature, ten years from signature;
/// concluded before the coalition (historical).
pub(crate) fn bilateral_2024(id: &str, parties: &[&str]) -> Instrument {
    Instrument {
        id: InstrumentId::parse(id).unwrap(),
        title: format!("{id} agreement"),
        form: InstrumentForm::Bilateral,
        legal_force: LegalForce::Political,
        parties: parties.iter().map(|p| party(p)).collect(),
        activation: Activation::OnSignature,
        ratification_required: false,
        term: Some(Term {
            years: 10,
            from: TermStart::Signature,
            extendable: true,
        }),
        termination: Vec::new(),
        statement: None,
        marking: Marking::public(),
        source: String::new(),
        illustrative: true,
        historical: true,
    }
}

pub(crate) fn record(instrument: Instrument) -> Step {
    step("secretariat", Command::RecordInstrument(instrument))
}

pub(crate) fn sign(instrument: &str, code: &str, when: &str) -> Step {
    step(
        "secretariat",
        Command::SignInstrument {
            instrument: InstrumentId::parse(instrument).unwrap(),
            party: party(code),
            at: at(when),
        },
    )
}

pub(crate) fn ratify(instrument: &str, code: &str, when: &str) -> Step {
    step(
        "secretariat",
        Command::RecordRatification {
            instrument: InstrumentId::parse(instrument).unwrap(),
            party: party(code),
            status: Ratification::Ratified,
            at: at(when),
        },
    )
}

// --- Incidents --------------------------------------------------------------------------------

/// An incident under construction: an armed attack by RUS on UKR, reported by Zelenskyy.
#[derive(Clone, Debug)]
pub(crate) struct Report {
    pub(crate) id: Option<IncidentId>,
    pub(crate) incident: Incident,
    pub(crate) by: &'static str,
}

/// An armed attack by RUS on UKR at `when`, with id `id`.
pub(crate) fn attack(id: &str, when: &str) -> Report {
    Report {
        id: Some(iid(id)),
        incident: Incident {
            id: iid(id),
            aggressor: party("RUS"),
            target: party("UKR"),
            kind: IncidentKind::ArmedAttack,
            occurred_at: at(when),
            location: String::new(),
            description: format!("incident {id}"),
            evidence: Vec::new(),
            nuclear_weapons_used: false,
            marking: Marking::at(Level::Unclassified),
        },
        by: "zelenskyy",
    }
}

impl Report {
    pub(crate) fn by_aggressor(mut self, code: &str) -> Report {
        self.incident.aggressor = party(code);
        self
    }

    pub(crate) fn on(mut self, code: &str) -> Report {
        self.incident.target = party(code);
        self
    }

    pub(crate) fn kind(mut self, kind: IncidentKind) -> Report {
        self.incident.kind = kind;
        self
    }

    pub(crate) fn reported_by(mut self, principal: &'static str) -> Report {
        self.by = principal;
        self
    }
}

impl From<Report> for Step {
    fn from(report: Report) -> Step {
        step(
            report.by,
            Command::ReportIncident(NewIncident {
                id: report.id,
                incident: report.incident,
                at: None,
            }),
        )
    }
}

pub(crate) fn confirm(incident: &str, by: &str) -> Step {
    step(
        by,
        Command::ConfirmIncident {
            incident: iid(incident),
            at: None,
        },
    )
}

/// The monitoring mechanism's confirmation: enough on its own to verify.
pub(crate) fn verify(incident: &str) -> Step {
    confirm(incident, "monitor")
}

pub(crate) fn trigger(incident: &str) -> Step {
    step(
        "secretariat",
        Command::TriggerProvisionally {
            incident: iid(incident),
            at: None,
        },
    )
}

pub(crate) fn reject(incident: &str, by: &str) -> Step {
    step(
        by,
        Command::RejectIncident {
            incident: iid(incident),
            reason: "not attributable".into(),
            at: None,
        },
    )
}

pub(crate) fn ceasefire(from: &str) -> Step {
    step(
        "secretariat",
        Command::DeclareCeasefire {
            in_force_from: at(from),
        },
    )
}

/// UKR (Zelenskyy) asks `with` for consultations at `when`.
pub(crate) fn request(with: &[&str], when: &str) -> Step {
    step(
        "zelenskyy",
        Command::RequestConsultations {
            by: party("UKR"),
            with: with.iter().map(|p| party(p)).collect(),
            at: at(when),
            marking: Marking::at(Level::Unclassified),
        },
    )
}

// --- Obligations ------------------------------------------------------------------------------

pub(crate) fn fulfil(obligation: &str, by: &str, when: &str) -> Step {
    step(
        by,
        Command::FulfilObligation {
            obligation: oid(obligation),
            at: Some(at(when)),
            report: "done".into(),
        },
    )
}

pub(crate) fn waive(obligation: &str, by: &str) -> Step {
    step(
        by,
        Command::WaiveObligation {
            obligation: oid(obligation),
            at: None,
            note: "not needed".into(),
        },
    )
}

pub(crate) fn dispute(obligation: &str, by: &str) -> Step {
    step(
        by,
        Command::DisputeObligation {
            obligation: oid(obligation),
            at: None,
            reason: "incomplete".into(),
        },
    )
}
