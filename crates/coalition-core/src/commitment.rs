//! Commitments: who guarantees what to whom, on what trigger, with what response and deadline,
//! for how long; and the lifecycle derived from the record (proposed → signed → ratified →
//! dormant → in force → lapsed / terminated / withdrawn).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::classification::Marking;
use crate::dates::{Day, Span, Timestamp};
use crate::id::{CommitmentId, InstrumentId, PartyCode};
use crate::incident::{Incident, IncidentKind};
use crate::instrument::{Consent, InstrumentRecord, LegalForce, TermEnd};
use crate::names::{Named, from_str_by_name};

/// What kind of support a commitment gives. The coalition may define more than the built-in set.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Category(String);

impl Category {
    /// The built-in categories: the five named in the Paris draft, then those the 2024
    /// agreements and the Kiel tracker use.
    pub const BUILT_IN: &'static [(&'static str, &'static str)] = &[
        ("military-capabilities", "use of military capabilities"),
        ("intelligence", "intelligence sharing"),
        ("logistical-support", "logistical support"),
        ("diplomatic-initiatives", "diplomatic initiatives"),
        ("sanctions", "adoption of additional sanctions"),
        ("financial", "financial support"),
        ("training", "training"),
        ("defence-industrial", "defence-industrial cooperation"),
        ("force-land", "force contribution on land"),
        ("force-sea", "force contribution at sea"),
        ("force-air", "force contribution in the air"),
        ("consultation", "consultation"),
    ];

    /// The five kinds of support the Paris draft names; coverage reports gaps against these.
    pub const PARIS_FIVE: [&'static str; 5] = [
        "military-capabilities",
        "intelligence",
        "logistical-support",
        "diplomatic-initiatives",
        "sanctions",
    ];

    /// Parses a category slug, accepting short aliases (`military`, `logistics`, `diplomatic`).
    ///
    /// Any lowercase slug parses; whether the coalition knows it is checked when a command uses it.
    pub fn parse(text: &str) -> Result<Category, InvalidCategory> {
        let slug = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let resolved = match slug.as_str() {
            "military" => "military-capabilities",
            "logistics" | "logistical" => "logistical-support",
            "diplomatic" | "diplomacy" => "diplomatic-initiatives",
            "intel" => "intelligence",
            "defense-industrial" => "defence-industrial",
            other => other,
        };
        let valid = !resolved.is_empty()
            && resolved.len() <= 48
            && resolved
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !resolved.starts_with('-');
        if valid {
            Ok(Category(resolved.to_owned()))
        } else {
            Err(InvalidCategory(text.to_owned()))
        }
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the category is built in (as opposed to defined by a coalition).
    pub fn is_built_in(&self) -> bool {
        Category::BUILT_IN.iter().any(|(slug, _)| *slug == self.0)
    }

    /// A built-in category by slug; used for the fixed sets above.
    pub(crate) fn known(slug: &str) -> Category {
        Category(slug.to_owned())
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Category {
    type Err = InvalidCategory;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Category::parse(text)
    }
}

/// Text that cannot be a category slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid category {0:?}: expected a lowercase slug such as military-capabilities or sanctions"
)]
pub struct InvalidCategory(pub String);

/// The stage of support, as the Kiel tracker counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Promised.
    Committed,
    /// Earmarked in a specific package.
    Allocated,
    /// Handed over.
    Delivered,
}

impl Named for Stage {
    const ALL: &'static [Self] = &[Stage::Committed, Stage::Allocated, Stage::Delivered];
    const WHAT: &'static str = "stage";
    fn name(self) -> &'static str {
        match self {
            Stage::Committed => "committed",
            Stage::Allocated => "allocated",
            Stage::Delivered => "delivered",
        }
    }
}

/// How much is committed, in a unit (`EUR-million`, `air-defence-systems`) and at what stage.
/// Quantities are whole numbers: no floating point ever enters the record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// How many units.
    pub quantity: u64,
    /// The unit.
    pub unit: String,
    /// The stage the amount had reached when it was recorded.
    pub stage: Stage,
}

/// What kind of event sets a commitment off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerKind {
    /// An armed attack (the UK agreement, the Compact, the Paris guarantees).
    ArmedAttack,
    /// An armed attack or the threat of one (the US agreement).
    ArmedAttackOrThreat,
    /// A breach of the ceasefire attributed to the aggressor (the Paris monitoring mechanism).
    AttributedCeasefireBreach,
    /// Any incident that threatens the protected state's territorial integrity, political
    /// independence or security — attacks, threats, incursions, cyber and hybrid attacks — as
    /// NATO Article 4 consultations answer.
    ThreatToSecurity,
}

impl Named for TriggerKind {
    const ALL: &'static [Self] = &[
        TriggerKind::ArmedAttack,
        TriggerKind::ArmedAttackOrThreat,
        TriggerKind::AttributedCeasefireBreach,
        TriggerKind::ThreatToSecurity,
    ];
    const WHAT: &'static str = "trigger kind";
    fn name(self) -> &'static str {
        match self {
            TriggerKind::ArmedAttack => "armed-attack",
            TriggerKind::ArmedAttackOrThreat => "armed-attack-or-threat",
            TriggerKind::AttributedCeasefireBreach => "attributed-ceasefire-breach",
            TriggerKind::ThreatToSecurity => "threat-to-security",
        }
    }
}

/// The event a commitment answers: its kind, the aggressor it names, and an optional scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    /// The kind of event.
    pub kind: TriggerKind,
    /// The state whose attack sets it off.
    pub aggressor: PartyCode,
    /// A stated scope, such as "territory under Ukrainian control at the ceasefire", in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    /// The conditions of the scope the rules evaluate; the words alone are not evaluated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Condition>,
}

/// A condition of a trigger's scope that an incident's recorded facts decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// Nuclear weapons were used (the 1994 Budapest assurances' Security Council clause).
    NuclearWeaponsUsed,
}

impl Named for Condition {
    const ALL: &'static [Self] = &[Condition::NuclearWeaponsUsed];
    const WHAT: &'static str = "scope condition";
    fn name(self) -> &'static str {
        match self {
            Condition::NuclearWeaponsUsed => "nuclear-weapons-used",
        }
    }
}

impl Condition {
    /// Whether the incident's recorded facts meet the condition.
    pub fn met_by(self, incident: &Incident) -> bool {
        match self {
            Condition::NuclearWeaponsUsed => incident.nuclear_weapons_used,
        }
    }
}

impl Trigger {
    /// Whether an incident is of a kind this trigger answers, by the aggressor it names.
    ///
    /// An armed attack while a ceasefire is in force is also a breach of that ceasefire.
    pub fn matches(&self, incident: &Incident, ceasefire_in_force: bool) -> bool {
        if incident.aggressor != self.aggressor {
            return false;
        }
        match self.kind {
            TriggerKind::ArmedAttack => incident.kind == IncidentKind::ArmedAttack,
            TriggerKind::ArmedAttackOrThreat => {
                matches!(
                    incident.kind,
                    IncidentKind::ArmedAttack | IncidentKind::ThreatOfAttack
                )
            }
            // Under a ceasefire, any military act against the target breaches it.
            TriggerKind::AttributedCeasefireBreach => {
                incident.kind == IncidentKind::CeasefireBreach
                    || (ceasefire_in_force
                        && matches!(
                            incident.kind,
                            IncidentKind::ArmedAttack
                                | IncidentKind::AirspaceViolation
                                | IncidentKind::DroneIncursion
                        ))
            }
            TriggerKind::ThreatToSecurity => true,
        }
    }

    /// The first condition of its scope the incident does not meet, if any.
    pub fn unmet_condition(&self, incident: &Incident) -> Option<Condition> {
        self.requires.iter().copied().find(|c| !c.met_by(incident))
    }
}

/// How much choice the guarantor keeps. Recorded as data so that an assurance is never counted
/// as a guarantee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Discretion {
    /// Acts without a further decision.
    Automatic,
    /// "Such action as it deems necessary" (NATO Article 5).
    AsDeemedNecessary,
    /// "Intends to": an intention, not a duty.
    IntendsTo,
}

impl Named for Discretion {
    const ALL: &'static [Self] = &[
        Discretion::Automatic,
        Discretion::AsDeemedNecessary,
        Discretion::IntendsTo,
    ];
    const WHAT: &'static str = "discretion";
    fn name(self) -> &'static str {
        match self {
            Discretion::Automatic => "automatic",
            Discretion::AsDeemedNecessary => "as-deemed-necessary",
            Discretion::IntendsTo => "intends-to",
        }
    }
}

/// What the guarantor must do once a commitment is activated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResponseKind {
    /// Consult with the protected state on measures.
    Consult,
    /// Deliver materiel or funds.
    Deliver,
    /// Deploy forces.
    Deploy,
    /// Adopt sanctions.
    Sanction,
    /// Share intelligence.
    ShareIntelligence,
    /// Launch a diplomatic initiative.
    Diplomatic,
}

impl Named for ResponseKind {
    const ALL: &'static [Self] = &[
        ResponseKind::Consult,
        ResponseKind::Deliver,
        ResponseKind::Deploy,
        ResponseKind::Sanction,
        ResponseKind::ShareIntelligence,
        ResponseKind::Diplomatic,
    ];
    const WHAT: &'static str = "response kind";
    fn name(self) -> &'static str {
        match self {
            ResponseKind::Consult => "consult",
            ResponseKind::Deliver => "deliver",
            ResponseKind::Deploy => "deploy",
            ResponseKind::Sanction => "sanction",
            ResponseKind::ShareIntelligence => "share-intelligence",
            ResponseKind::Diplomatic => "diplomatic",
        }
    }
}

/// Where a response's clock starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClockStart {
    /// When the attack occurred (the US agreement: within 24 hours of an attack).
    Attack,
    /// When the coalition verified the incident (or provisionally triggered).
    Verification,
    /// When the protected state asked for consultations (the UK agreement).
    Request,
}

impl Named for ClockStart {
    const ALL: &'static [Self] = &[
        ClockStart::Attack,
        ClockStart::Verification,
        ClockStart::Request,
    ];
    const WHAT: &'static str = "clock start";
    fn name(self) -> &'static str {
        match self {
            ClockStart::Attack => "attack",
            ClockStart::Verification => "verification",
            ClockStart::Request => "request",
        }
    }
}

/// One response a commitment owes once activated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// What is owed.
    pub kind: ResponseKind,
    /// Within how long; `None` when the text says only "swiftly" (then never overdue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Span>,
    /// Where the clock starts.
    pub clock: ClockStart,
}

/// The days a commitment states for itself. `until` is inclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// First day in force, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Day>,
    /// Last day in force (inclusive), if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Day>,
}

/// A commitment as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// Its id.
    pub id: CommitmentId,
    /// The party that commits.
    pub guarantor: PartyCode,
    /// The party protected.
    pub protected: PartyCode,
    /// The instrument it stands on; without one it is a unilateral pledge in force from `from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<InstrumentId>,
    /// The kind of support.
    pub category: Category,
    /// What exactly, in words.
    pub what: String,
    /// How much, if quantified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    /// What sets it off.
    pub trigger: Trigger,
    /// How much choice the guarantor keeps.
    pub discretion: Discretion,
    /// What it owes once activated.
    pub responses: Vec<Response>,
    /// Its own days in force.
    pub validity: Validity,
    /// Its marking.
    pub marking: Marking,
    /// Whether the record is an illustration rather than a fact.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
}

/// Where a commitment stands at a moment. Derived from the record, never typed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitmentStatus {
    /// The guarantor has not signed the instrument.
    Proposed,
    /// Signed; ratification pending, or waiting only for its first day.
    Signed,
    /// Ratified; waiting only for its first day.
    Ratified,
    /// Consent complete; waiting for the activation condition (a ceasefire).
    Dormant,
    /// In force: the only status that activates.
    InForce,
    /// Its term or validity ended.
    Lapsed,
    /// The instrument ended, or the guarantor's parliament rejected it.
    Terminated,
    /// The guarantor withdrew it.
    Withdrawn,
}

impl Named for CommitmentStatus {
    const ALL: &'static [Self] = &[
        CommitmentStatus::Proposed,
        CommitmentStatus::Signed,
        CommitmentStatus::Ratified,
        CommitmentStatus::Dormant,
        CommitmentStatus::InForce,
        CommitmentStatus::Lapsed,
        CommitmentStatus::Terminated,
        CommitmentStatus::Withdrawn,
    ];
    const WHAT: &'static str = "commitment status";
    fn name(self) -> &'static str {
        match self {
            CommitmentStatus::Proposed => "proposed",
            CommitmentStatus::Signed => "signed",
            CommitmentStatus::Ratified => "ratified",
            CommitmentStatus::Dormant => "dormant",
            CommitmentStatus::InForce => "in-force",
            CommitmentStatus::Lapsed => "lapsed",
            CommitmentStatus::Terminated => "terminated",
            CommitmentStatus::Withdrawn => "withdrawn",
        }
    }
}

impl fmt::Display for CommitmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How much a commitment is worth when the protected state counts on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// An intention or a response with no deadline: the Budapest pattern. Never a guarantee.
    Assurance,
    /// A dated response on a political instrument (the 2024 agreements).
    PoliticalCommitment,
    /// A dated response, without "intends to", on a binding instrument.
    Guarantee,
}

impl Named for Strength {
    const ALL: &'static [Self] = &[
        Strength::Assurance,
        Strength::PoliticalCommitment,
        Strength::Guarantee,
    ];
    const WHAT: &'static str = "strength";
    fn name(self) -> &'static str {
        match self {
            Strength::Assurance => "assurance",
            Strength::PoliticalCommitment => "political-commitment",
            Strength::Guarantee => "guarantee",
        }
    }
}

/// The facts beside a commitment that its status depends on.
#[derive(Clone, Copy, Debug)]
pub struct Standing<'a> {
    /// The instrument, if the commitment names one.
    pub instrument: Option<&'a InstrumentRecord>,
    /// When the first ceasefire entered into force, if one has.
    pub first_ceasefire: Option<Timestamp>,
    /// When the guarantor withdrew it, if it did.
    pub withdrawn: Option<Timestamp>,
}

/// When a commitment is in force, as far as the record knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// In force from `start`; ends at `end` (exclusive) or never.
    Known {
        /// First instant in force.
        start: Timestamp,
        /// First instant no longer in force, if it ends.
        end: Option<Timestamp>,
    },
    /// Waiting for activation; once activated it runs this many years (or open-ended).
    AwaitingActivation {
        /// Years it will run after activation, if the instrument states a term.
        years: Option<u16>,
    },
    /// It cannot come into force (withdrawn, terminated, rejected, or never signed).
    Never,
}

impl Commitment {
    /// The commitment's strength: assurance, political commitment or guarantee.
    pub fn strength(&self, legal_force: Option<LegalForce>) -> Strength {
        let dated = self
            .responses
            .iter()
            .any(|response| response.within.is_some());
        if self.discretion == Discretion::IntendsTo || !dated {
            return Strength::Assurance;
        }
        match legal_force {
            Some(force) if force.is_binding() => Strength::Guarantee,
            _ => Strength::PoliticalCommitment,
        }
    }

    /// The last instant before which the commitment's own `until` stops it.
    fn own_end(&self) -> Option<Timestamp> {
        self.validity.until.map(Day::end)
    }

    /// The window in force, as the record stood at `at`.
    pub fn window(&self, standing: &Standing<'_>, at: Timestamp) -> Window {
        let stopped = [
            standing.withdrawn,
            standing.instrument.and_then(|i| i.terminated_by(at)),
        ]
        .into_iter()
        .flatten()
        .filter(|when| *when <= at)
        .min();
        let from = self.validity.from.map(Day::start);
        let (activated, term_end) = match standing.instrument {
            // A unilateral pledge is in force from its first day; `decide` insists on one.
            None => (from, TermEnd::OpenEnded),
            Some(record) => {
                if record.consent(&self.guarantor, at) == Consent::Rejected {
                    return Window::Never;
                }
                let activated = record.activated_for(&self.guarantor, standing.first_ceasefire, at);
                (activated, record.term_end(&self.guarantor, activated, at))
            }
        };
        let Some(activated) = activated else {
            if stopped.is_some() {
                return Window::Never;
            }
            let years = match term_end {
                TermEnd::YearsAfterActivation(years) => Some(years),
                TermEnd::OpenEnded | TermEnd::LastDay(_) => None,
            };
            return Window::AwaitingActivation { years };
        };
        let start = from.map_or(activated, |from| from.max(activated));
        let term_end = match term_end {
            TermEnd::LastDay(day) => Some(day.end()),
            TermEnd::OpenEnded | TermEnd::YearsAfterActivation(_) => None,
        };
        let end = [self.own_end(), term_end, stopped]
            .into_iter()
            .flatten()
            .min();
        if end.is_some_and(|end| end <= start) {
            return Window::Never;
        }
        Window::Known { start, end }
    }

    /// The status at `at`, from the record as it stood then.
    pub fn status(&self, standing: &Standing<'_>, at: Timestamp) -> CommitmentStatus {
        if standing.withdrawn.is_some_and(|when| when <= at) {
            return CommitmentStatus::Withdrawn;
        }
        if let Some(record) = standing.instrument
            && record.terminated_by(at).is_some()
        {
            return CommitmentStatus::Terminated;
        }
        if self.own_end().is_some_and(|end| end <= at) {
            return CommitmentStatus::Lapsed;
        }
        let consent = standing
            .instrument
            .map(|record| record.consent(&self.guarantor, at));
        match consent {
            Some(Consent::Unsigned) => return CommitmentStatus::Proposed,
            Some(Consent::Signed) => return CommitmentStatus::Signed,
            Some(Consent::Rejected) => return CommitmentStatus::Terminated,
            Some(Consent::Complete { .. }) | None => {}
        }
        match self.window(standing, at) {
            Window::Known { start, end } => {
                if end.is_some_and(|end| end <= at) {
                    CommitmentStatus::Lapsed
                } else if start <= at {
                    CommitmentStatus::InForce
                } else if matches!(consent, Some(Consent::Complete { ratified: true, .. })) {
                    CommitmentStatus::Ratified
                } else {
                    CommitmentStatus::Signed
                }
            }
            Window::AwaitingActivation { .. } => CommitmentStatus::Dormant,
            Window::Never => CommitmentStatus::Terminated,
        }
    }
}

from_str_by_name!(
    Stage,
    TriggerKind,
    Condition,
    Discretion,
    ResponseKind,
    ClockStart,
    CommitmentStatus,
    Strength
);
