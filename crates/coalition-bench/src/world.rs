//! The coalitions the benches write: a founding with ten guarantors, commitments that all
//! answer an armed attack on UKR, incident reports, and a way to decide and seal a log in
//! memory (no store) for bulk loads.

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, NewCommitment, NewIncident};
use coalition_core::commitment::{
    Category, ClockStart, Commitment, Discretion, Response, ResponseKind, Trigger, TriggerKind,
    Validity,
};
use coalition_core::dates::{Day, Span, Timestamp};
use coalition_core::id::{CoalitionId, CommitmentId, IncidentId, PartyCode, PrincipalId};
use coalition_core::incident::{Incident, IncidentKind, VerificationRule};
use coalition_core::party::{Principal, PrincipalRole, Seat, SeatRole};
use coalition_core::{Context, Event, State, apply, decide};
use coalition_ledger::seal::seal;
use coalition_ledger::{Head, SealedEvent};

pub(crate) fn party(code: &str) -> anyhow::Result<PartyCode> {
    Ok(PartyCode::parse(code)?)
}

/// A small coalition to write into: UKR protected, RUS adversary, ten guarantors, a
/// secretariat and a monitor.
pub(crate) fn founding(id: &CoalitionId) -> anyhow::Result<(PrincipalId, Vec<Command>)> {
    let secretariat = PrincipalId::parse("secretariat")?;
    let founder = Principal {
        id: secretariat.clone(),
        name: "Secretariat".into(),
        party: party("FRA")?,
        role: PrincipalRole::Secretariat,
        clearance: Level::TopSecret,
        marking: Marking::public(),
        public_key: None,
    };
    let mut commands = vec![Command::FoundCoalition {
        id: id.clone(),
        name: format!("bench {id}"),
        protected: party("UKR")?,
        verification: VerificationRule::default(),
        founder,
        // Before the benches' commitments (2026-01-01) and incident (2026-06-01).
        at: Some(Timestamp::parse("2026-01-01T00:00:00Z")?),
    }];
    let seat = |code: &str, role| -> anyhow::Result<Command> {
        Ok(Command::GrantSeat(Seat {
            party: party(code)?,
            role,
            from: None,
            until: None,
            disclosed: true,
            note: String::new(),
        }))
    };
    commands.push(seat("UKR", SeatRole::ProtectedState)?);
    commands.push(seat("RUS", SeatRole::Adversary)?);
    commands.push(seat("USA", SeatRole::Partner)?);
    for code in GUARANTORS {
        commands.push(seat(code, SeatRole::Member)?);
    }
    commands.push(Command::RegisterPrincipal(Principal {
        id: PrincipalId::parse("monitor")?,
        name: "Monitoring mechanism".into(),
        party: party("USA")?,
        role: PrincipalRole::Monitor,
        clearance: Level::TopSecret,
        marking: Marking::public(),
        public_key: None,
    }));
    Ok((secretariat, commands))
}

pub(crate) const GUARANTORS: [&str; 10] = [
    "FRA", "GBR", "DEU", "ITA", "POL", "ESP", "NLD", "DNK", "SWE", "CAN",
];

pub(crate) fn bench_commitment(n: u64) -> anyhow::Result<Command> {
    let guarantor = GUARANTORS[usize::try_from(n % 10)?];
    Ok(Command::AddCommitment(NewCommitment {
        id: Some(CommitmentId::parse(&format!("c{n}"))?),
        commitment: Commitment {
            id: CommitmentId::parse(&format!("c{n}"))?,
            guarantor: party(guarantor)?,
            protected: party("UKR")?,
            instrument: None,
            category: Category::parse("military-capabilities")?,
            what: format!("bench commitment {n}"),
            amount: None,
            trigger: Trigger {
                kind: TriggerKind::ArmedAttack,
                aggressor: party("RUS")?,
                scope: String::new(),
                requires: Vec::new(),
            },
            discretion: Discretion::Automatic,
            responses: vec![
                Response {
                    kind: ResponseKind::Consult,
                    within: Some(Span::hours(24)),
                    clock: ClockStart::Verification,
                },
                Response {
                    kind: ResponseKind::Deliver,
                    within: Some(Span::days(30)),
                    clock: ClockStart::Verification,
                },
            ],
            validity: Validity {
                from: Some(Day::from_ymd(2026, 1, 1)?),
                until: Some(Day::from_ymd(2041, 1, 1)?),
            },
            marking: Marking::at(Level::Restricted),
            illustrative: true,
        },
        at: None,
    }))
}

pub(crate) fn report_incident() -> anyhow::Result<Command> {
    Ok(Command::ReportIncident(NewIncident {
        id: None,
        incident: Incident {
            id: IncidentId::parse("new")?,
            aggressor: party("RUS")?,
            target: party("UKR")?,
            kind: IncidentKind::ArmedAttack,
            occurred_at: Timestamp::parse("2026-06-01T00:00:00Z")?,
            location: String::new(),
            description: "bench".into(),
            evidence: Vec::new(),
            nuclear_weapons_used: false,
            marking: Marking::at(Level::Restricted),
        },
        at: None,
    }))
}

/// The id the record derived for the incident among `events` (ids are not counters).
pub(crate) fn reported<'e>(
    events: impl IntoIterator<Item = &'e Event>,
) -> anyhow::Result<IncidentId> {
    events
        .into_iter()
        .find_map(|event| match event {
            Event::IncidentReported { incident, .. } => Some(incident.id.clone()),
            _ => None,
        })
        .ok_or_else(|| anyhow::anyhow!("no incident reported"))
}

/// A log decided and sealed in memory, batch after batch, as the ledger would write it.
pub(crate) struct Sealer {
    id: CoalitionId,
    state: State,
    head: Head,
}

impl Sealer {
    pub(crate) fn new(id: &CoalitionId) -> Sealer {
        Sealer {
            id: id.clone(),
            state: State::new(),
            head: Head::EMPTY,
        }
    }

    /// Where the log sealed so far ends.
    pub(crate) fn head(&self) -> Head {
        self.head
    }

    /// Decides `commands` as `actor` at `now` and seals their events as one batch.
    pub(crate) fn seal(
        &mut self,
        actor: &PrincipalId,
        now: Timestamp,
        commands: &[Command],
    ) -> anyhow::Result<Vec<SealedEvent>> {
        let ctx = Context {
            now,
            actor: actor.clone(),
        };
        let mut events = Vec::new();
        for command in commands {
            for event in decide(&self.state, command, &ctx)? {
                apply(&mut self.state, &event);
                events.push(event);
            }
        }
        let sealed = seal(&self.id, self.head, now, actor, events)?;
        if let Some(last) = sealed.last() {
            self.head = last.head();
        }
        Ok(sealed)
    }
}
