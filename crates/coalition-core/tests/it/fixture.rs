//! The test coalition every core test founds, driven through `decide` and `apply` only, with
//! the helpers that parse the ids and times tests write.
//!
//! Seats (all from 2025-03-02, disclosed): FRA, GBR, DEU, ITA, POL, ESP, NLD and DNK are members;
//! UKR and MDA are protected states; USA is a partner (it runs the monitoring mechanism); CHE
//! observes; RUS and BLR are adversaries. Principals: the secretariat (FRA, TOP SECRET), a leader
//! for each of FRA, GBR, DEU, ITA, POL, ESP, NLD, UKR and MDA, a French and a British minister, a
//! US envoy, the monitoring mechanism (USA), a Swiss observer, a secretariat clerk cleared to
//! CONFIDENTIAL, and a German secretariat office. The leaders in [`LEADERS`] and the French
//! minister hold a deterministic key, registered by the secretariat. Each accepted command is
//! kept as a batch (actor, time, events), so ledger tests can seal the same history.
//!
//! Shared by the core tests and `coalition-ledger/tests/it/bundle.rs`.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, Context};
use coalition_core::dates::{Day, Span, Timestamp};
use coalition_core::event::Event;
use coalition_core::hash::Hash;
use coalition_core::id::{
    CoalitionId, CommitmentId, IncidentId, InstrumentId, ObligationId, PartyCode, PrincipalId,
};
use coalition_core::incident::VerificationRule;
use coalition_core::party::{Principal, PrincipalRole, Seat, SeatRole};
use coalition_core::rejection::Rejection;
use coalition_core::signature::{PublicKey, SignatureBytes, approval_message};
use coalition_core::state::State;
use coalition_core::statement::{AdoptionRule, Paragraph, StatementId, StatementRecord};
use coalition_core::{apply, decide};
use ed25519_dalek::{Signer as _, SigningKey};

/// The test coalition's id.
pub const COALITION: &str = "test-coalition";

/// Every seat, with its role.
pub const SEATS: &[(&str, SeatRole)] = &[
    ("FRA", SeatRole::Member),
    ("GBR", SeatRole::Member),
    ("DEU", SeatRole::Member),
    ("ITA", SeatRole::Member),
    ("POL", SeatRole::Member),
    ("ESP", SeatRole::Member),
    ("NLD", SeatRole::Member),
    ("DNK", SeatRole::Member),
    ("UKR", SeatRole::ProtectedState),
    ("MDA", SeatRole::ProtectedState),
    ("USA", SeatRole::Partner),
    ("CHE", SeatRole::Observer),
    ("RUS", SeatRole::Adversary),
    ("BLR", SeatRole::Adversary),
];

/// The day the coalition was founded and every seat taken (the London summit).
pub const SEATED_FROM: &str = "2025-03-02";

/// The leaders that hold a signing key, by party.
pub const LEADERS: [(&str, &str); 7] = [
    ("macron", "FRA"),
    ("starmer", "GBR"),
    ("merz", "DEU"),
    ("meloni", "ITA"),
    ("tusk", "POL"),
    ("sanchez", "ESP"),
    ("zelenskyy", "UKR"),
];

/// The other principals: (id, party, role, clearance). Only `barrot` holds a key.
pub const OTHER_PRINCIPALS: &[(&str, &str, PrincipalRole, Level)] = &[
    ("barrot", "FRA", PrincipalRole::Minister, Level::TopSecret),
    (
        "clerk",
        "FRA",
        PrincipalRole::Secretariat,
        Level::Confidential,
    ),
    (
        "bonn-office",
        "DEU",
        PrincipalRole::Secretariat,
        Level::TopSecret,
    ),
    ("monitor", "USA", PrincipalRole::Monitor, Level::TopSecret),
    ("lammy", "GBR", PrincipalRole::Minister, Level::TopSecret),
    ("schoof", "NLD", PrincipalRole::Leader, Level::TopSecret),
    ("sandu", "MDA", PrincipalRole::Leader, Level::TopSecret),
    ("witkoff", "USA", PrincipalRole::Envoy, Level::TopSecret),
    (
        "swiss-observer",
        "CHE",
        PrincipalRole::Observer,
        Level::TopSecret,
    ),
];

pub fn party(code: &str) -> PartyCode {
    PartyCode::parse(code).unwrap()
}

pub fn principal_id(id: &str) -> PrincipalId {
    PrincipalId::parse(id).unwrap()
}

pub fn statement_id(id: &str) -> StatementId {
    StatementId::parse(id).unwrap()
}

pub fn instrument_id(id: &str) -> InstrumentId {
    InstrumentId::parse(id).unwrap()
}

pub fn coalition_id(id: &str) -> CoalitionId {
    CoalitionId::parse(id).unwrap()
}

pub fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

pub fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

pub fn span(text: &str) -> Span {
    Span::parse(text).unwrap()
}

pub fn cid(text: &str) -> CommitmentId {
    CommitmentId::parse(text).unwrap()
}

pub fn iid(text: &str) -> IncidentId {
    IncidentId::parse(text).unwrap()
}

pub fn oid(text: &str) -> ObligationId {
    ObligationId::parse(text).unwrap()
}

/// A deterministic key: every byte of the seed is `n`.
pub fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

pub fn public(key: &SigningKey) -> PublicKey {
    PublicKey::from_bytes(key.verifying_key().to_bytes()).unwrap()
}

/// Paragraphs from (text, level) pairs.
pub fn paragraphs(items: &[(&str, Level)]) -> Vec<Paragraph> {
    items
        .iter()
        .map(|(text, level)| Paragraph {
            text: (*text).to_owned(),
            marking: Marking::at(*level),
        })
        .collect()
}

/// A signature by `key` approving `version` (content `content`) of `statement` in `coalition`.
pub fn sign(
    key: &SigningKey,
    coalition: &str,
    statement: &str,
    version: u32,
    content: &Hash,
) -> SignatureBytes {
    let message = approval_message(&coalition_id(coalition), statement, version, content);
    SignatureBytes(key.sign(message.as_bytes()).to_bytes())
}

/// The command that founds `coalition`, by its secretariat (FRA, TOP SECRET), on the day every
/// seat was taken.
pub fn founding(coalition: &str) -> Command {
    Command::FoundCoalition {
        id: coalition_id(coalition),
        name: format!("{coalition} (tests)"),
        protected: party("UKR"),
        verification: VerificationRule::default(),
        founder: person(
            "secretariat",
            "FRA",
            PrincipalRole::Secretariat,
            Level::TopSecret,
        ),
        at: Some(at(SEATED_FROM)),
    }
}

/// A principal with a PUBLIC record and no key.
pub fn person(id: &str, code: &str, role: PrincipalRole, clearance: Level) -> Principal {
    Principal {
        id: principal_id(id),
        name: id.to_owned(),
        party: party(code),
        role,
        clearance,
        marking: Marking::public(),
        public_key: None,
    }
}

/// One accepted command: who, when, and the events it recorded.
#[derive(Clone, Debug)]
pub struct Batch {
    pub actor: PrincipalId,
    pub at: Timestamp,
    pub events: Vec<Event>,
}

/// The coalition, its clock, its history and the private keys of its principals.
pub struct World {
    pub coalition: String,
    pub state: State,
    pub now: Timestamp,
    pub history: Vec<Batch>,
    pub keys: BTreeMap<String, SigningKey>,
}

impl World {
    /// The test coalition, founded and populated, every leader's key registered.
    pub fn new() -> World {
        World::named(COALITION)
    }

    /// The same coalition under another id (same principals, same keys).
    pub fn named(coalition: &str) -> World {
        let mut world = World::founded(coalition);
        for (code, role) in SEATS {
            world.seat(code, *role);
        }
        for (id, code) in LEADERS {
            world.principal(id, code, PrincipalRole::Leader, Level::TopSecret);
        }
        for (id, code, role, clearance) in OTHER_PRINCIPALS {
            world.principal(id, code, *role, *clearance);
        }
        let signers = LEADERS.iter().map(|(id, _)| *id).chain(["barrot"]);
        for (n, id) in signers.enumerate() {
            world.register_key(id, key(u8::try_from(n).unwrap() + 1));
        }
        world
    }

    /// The smallest useful coalition: seats for FRA and GBR, their leaders and keys (the same
    /// keys as in [`World::new`]).
    pub fn small() -> World {
        let mut world = World::founded(COALITION);
        for (n, (id, code)) in LEADERS[..2].iter().enumerate() {
            world.seat(code, SeatRole::Member);
            world.principal(id, code, PrincipalRole::Leader, Level::TopSecret);
            world.register_key(id, key(u8::try_from(n).unwrap() + 1));
        }
        world
    }

    /// A coalition with its founding secretariat (FRA, TOP SECRET) and nothing else.
    fn founded(coalition: &str) -> World {
        let mut world = World {
            coalition: coalition.to_owned(),
            state: State::new(),
            now: at("2026-01-06T09:00:00Z"),
            history: Vec::new(),
            keys: BTreeMap::new(),
        };
        world.must("secretariat", founding(coalition));
        world
    }

    /// Gives `code` a disclosed seat from [`SEATED_FROM`].
    pub fn seat(&mut self, code: &str, role: SeatRole) {
        self.must(
            "secretariat",
            Command::GrantSeat(Seat {
                party: party(code),
                role,
                from: Some(day(SEATED_FROM)),
                until: None,
                disclosed: true,
                note: String::new(),
            }),
        );
    }

    /// Registers a principal (without a key).
    pub fn principal(&mut self, id: &str, code: &str, role: PrincipalRole, clearance: Level) {
        self.must(
            "secretariat",
            Command::RegisterPrincipal(person(id, code, role, clearance)),
        );
    }

    /// What `decide` answers, without recording anything.
    pub fn decide(&self, actor: &str, command: &Command) -> Result<Vec<Event>, Rejection> {
        let ctx = Context {
            now: self.now,
            actor: principal_id(actor),
        };
        decide(&self.state, command, &ctx)
    }

    /// Decides and, when accepted, applies and records the events.
    pub fn run(&mut self, actor: &str, command: Command) -> Result<Vec<Event>, Rejection> {
        let events = self.decide(actor, &command)?;
        for event in &events {
            apply(&mut self.state, event);
        }
        self.history.push(Batch {
            actor: principal_id(actor),
            at: self.now,
            events: events.clone(),
        });
        Ok(events)
    }

    /// Like `run`, but the command must be accepted.
    pub fn must(&mut self, actor: &str, command: Command) -> Vec<Event> {
        let text = format!("{command:?}");
        self.run(actor, command)
            .unwrap_or_else(|rejection| panic!("{actor}: {text} refused: {rejection}"))
    }

    /// Moves the clock on.
    pub fn advance(&mut self, span: Span) {
        self.now = self.now.plus(span);
    }

    /// Registers (or rotates to) `key` for `principal`, as the secretariat.
    pub fn register_key(&mut self, principal: &str, key: SigningKey) {
        self.must(
            "secretariat",
            Command::RegisterKey {
                principal: principal_id(principal),
                key: public(&key),
            },
        );
        self.keys.insert(principal.to_owned(), key);
    }

    /// The private key a principal holds.
    pub fn key(&self, principal: &str) -> &SigningKey {
        &self.keys[principal]
    }

    /// A statement's record.
    pub fn statement(&self, id: &str) -> &StatementRecord {
        &self.state.statements()[&statement_id(id)]
    }

    /// A version's content hash.
    pub fn content(&self, statement: &str, version: u32) -> Hash {
        self.statement(statement).version(version).unwrap().content
    }

    /// The current version's number.
    pub fn current(&self, statement: &str) -> u32 {
        self.statement(statement).current().unwrap().number
    }

    /// Tables a statement (as the secretariat) with one PUBLIC paragraph naming it.
    pub fn draft(&mut self, statement: &str, signatories: &[&str], rule: AdoptionRule) {
        let text = format!("{statement}: version 1.");
        self.draft_with(
            statement,
            signatories,
            rule,
            paragraphs(&[(&text, Level::Public)]),
        );
    }

    /// Tables a statement with the given paragraphs.
    pub fn draft_with(
        &mut self,
        statement: &str,
        signatories: &[&str],
        rule: AdoptionRule,
        paragraphs: Vec<Paragraph>,
    ) {
        self.must(
            "secretariat",
            Command::DraftStatement {
                statement: statement_id(statement),
                title: format!("Statement {statement}"),
                signatories: signatories.iter().map(|p| party(p)).collect(),
                rule,
                seed: coalition_core::statement::Seed([7; 32]),
                paragraphs,
                at: None,
            },
        );
    }

    /// Tables the next version of a statement with one PUBLIC paragraph.
    pub fn revise(&mut self, statement: &str) -> u32 {
        let next = self.current(statement) + 1;
        let text = format!("{statement}: version {next}.");
        self.must(
            "secretariat",
            Command::ReviseStatement {
                statement: statement_id(statement),
                seed: coalition_core::statement::Seed([7; 32]),
                paragraphs: paragraphs(&[(&text, Level::Public)]),
                at: None,
            },
        );
        next
    }

    /// The command by which `leader` approves `version` of `statement`, signed with the leader's
    /// own key over this coalition's approval message (of the version's real content, or of the
    /// current content when the version does not exist).
    pub fn approval(&self, leader: &str, statement: &str, version: u32) -> Command {
        let record = self.statement(statement);
        let content = record
            .version(version)
            .or(record.current())
            .unwrap()
            .content;
        Command::ApproveVersion {
            statement: statement_id(statement),
            version,
            signature: sign(
                self.key(leader),
                &self.coalition,
                statement,
                version,
                &content,
            ),
            meeting: None,
            at: None,
        }
    }

    /// `leader` approves `version` of `statement`.
    pub fn approve(
        &mut self,
        leader: &str,
        statement: &str,
        version: u32,
    ) -> Result<Vec<Event>, Rejection> {
        let command = self.approval(leader, statement, version);
        self.run(leader, command)
    }

    /// `leader` approves `version` of `statement`, stating when the approval was given.
    pub fn approve_at(
        &mut self,
        leader: &str,
        statement: &str,
        version: u32,
        when: &str,
    ) -> Result<Vec<Event>, Rejection> {
        let mut command = self.approval(leader, statement, version);
        if let Command::ApproveVersion { at: given, .. } = &mut command {
            *given = Some(at(when));
        }
        self.run(leader, command)
    }

    /// Every event recorded so far, in order.
    pub fn events(&self) -> impl Iterator<Item = &Event> {
        self.history.iter().flat_map(|b| b.events.iter())
    }
}

/// Whether events include an adoption.
pub fn adopts(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, Event::StatementAdopted { .. }))
}
