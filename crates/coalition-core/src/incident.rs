//! Incidents (an attack reported, then verified or rejected under the coalition's rule), the
//! rule itself, and ceasefires.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::classification::Marking;
use crate::dates::{Span, Timestamp};
use crate::id::{IncidentId, PartyCode, PrincipalId};
use crate::names::{Named, from_str_by_name};
use crate::party::PrincipalRole;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncidentKind {
    /// An armed attack.
    ArmedAttack,
    /// A threat of armed attack (the US agreement answers threats too).
    ThreatOfAttack,
    /// A breach of a ceasefire short of an armed attack.
    CeasefireBreach,
    /// Military aircraft or missiles entering the target's airspace without attacking.
    AirspaceViolation,
    /// Unmanned aircraft crossing into the target's territory.
    DroneIncursion,
    /// An attack on the target's networks or systems.
    CyberAttack,
    /// Sabotage or other covert attack on the target's infrastructure (cables, pipelines,
    /// energy, rail) short of an armed attack.
    HybridAttack,
}

impl Named for IncidentKind {
    const ALL: &'static [Self] = &[
        IncidentKind::ArmedAttack,
        IncidentKind::ThreatOfAttack,
        IncidentKind::CeasefireBreach,
        IncidentKind::AirspaceViolation,
        IncidentKind::DroneIncursion,
        IncidentKind::CyberAttack,
        IncidentKind::HybridAttack,
    ];
    const WHAT: &'static str = "incident kind";
    fn name(self) -> &'static str {
        match self {
            IncidentKind::ArmedAttack => "armed-attack",
            IncidentKind::ThreatOfAttack => "threat-of-attack",
            IncidentKind::CeasefireBreach => "ceasefire-breach",
            IncidentKind::AirspaceViolation => "airspace-violation",
            IncidentKind::DroneIncursion => "drone-incursion",
            IncidentKind::CyberAttack => "cyber-attack",
            IncidentKind::HybridAttack => "hybrid-attack",
        }
    }
}

/// An incident as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// Its id.
    pub id: IncidentId,
    /// The state alleged to have attacked; verification attributes it.
    pub aggressor: PartyCode,
    /// The state attacked.
    pub target: PartyCode,
    /// What happened.
    pub kind: IncidentKind,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// Where.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub location: String,
    /// What happened, in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// References to the evidence (often classified, like the 2001 briefing to the NAC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Whether nuclear weapons were used (a condition some assurances state).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nuclear_weapons_used: bool,
    /// Its marking.
    pub marking: Marking,
}

/// One confirmation towards verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// Who confirmed.
    pub principal: PrincipalId,
    /// For which party.
    pub party: PartyCode,
    /// In which role.
    pub role: PrincipalRole,
    /// Whether the party held a member's seat (only members count towards the quorum).
    pub member: bool,
    /// When.
    pub at: Timestamp,
}

/// How far apart two reports of the same aggressor and target may be dated and still look like
/// one attack (a report is entered within hours, and its time is approximate).
pub const DUPLICATE_WINDOW: Span = Span::hours(6);

impl Incident {
    /// Whether another report looks like the same attack: same aggressor and target, occurring
    /// within [`DUPLICATE_WINDOW`] of each other, at the same place (or either place unstated,
    /// or one naming a part of the other: "Kharkiv" and "Kharkiv oblast").
    pub fn looks_like(&self, other: &Incident) -> bool {
        let apart = self.occurred_at.unix().abs_diff(other.occurred_at.unix());
        self.aggressor == other.aggressor
            && self.target == other.target
            && apart <= DUPLICATE_WINDOW.seconds()
            && same_place(&self.location, &other.location)
    }
}

/// Places compared as people write them: case, spacing and punctuation aside, equal or one
/// within the other; an unstated place matches any.
fn same_place(a: &str, b: &str) -> bool {
    let words = |text: &str| -> String {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (a, b) = (words(a), words(b));
    a.is_empty() || b.is_empty() || a.contains(&b) || b.contains(&a)
}

/// A correction of a verified incident's attribution or time, as proposed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Correction {
    /// The aggressor it is attributed to instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggressor: Option<PartyCode>,
    /// When it occurred instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<Timestamp>,
}

impl Correction {
    /// The incident as corrected.
    pub fn applied_to(&self, incident: &Incident) -> Incident {
        let mut corrected = incident.clone();
        if let Some(aggressor) = &self.aggressor {
            corrected.aggressor = aggressor.clone();
        }
        if let Some(occurred_at) = self.occurred_at {
            corrected.occurred_at = occurred_at;
        }
        corrected
    }
}

/// A correction on its way: the confirmations given for it so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCorrection {
    /// The correction.
    pub correction: Correction,
    /// Who confirmed it, under the verification rule.
    pub confirmations: Vec<Confirmation>,
}

/// A correction that was made, with what it replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedCorrection {
    /// The correction.
    pub correction: Correction,
    /// The aggressor before it.
    pub previous_aggressor: PartyCode,
    /// The time of occurrence before it.
    pub previous_occurred_at: Timestamp,
    /// When the verification rule was met for it.
    pub at: Timestamp,
}

/// Where an incident stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum IncidentStatus {
    /// Reported, awaiting verification.
    Reported,
    /// Consultations started before attribution is final (NATO, 12 September 2001).
    ProvisionallyTriggered {
        /// When the provisional trigger was pulled.
        at: Timestamp,
    },
    /// Verified and attributed: matching commitments are activated.
    Verified {
        /// When.
        at: Timestamp,
    },
    /// Not verified.
    Rejected {
        /// When.
        at: Timestamp,
    },
    /// A duplicate report of another incident: its confirmations count there, its obligations
    /// were cancelled.
    Merged {
        /// The incident it duplicates.
        into: IncidentId,
        /// When it was merged.
        at: Timestamp,
    },
}

impl IncidentStatus {
    /// The printed name.
    pub fn name(&self) -> &'static str {
        match self {
            IncidentStatus::Reported => "reported",
            IncidentStatus::ProvisionallyTriggered { .. } => "provisionally-triggered",
            IncidentStatus::Verified { .. } => "verified",
            IncidentStatus::Rejected { .. } => "rejected",
            IncidentStatus::Merged { .. } => "merged",
        }
    }

    /// When it reached this status (`None` while reported).
    pub fn at(&self) -> Option<Timestamp> {
        match self {
            IncidentStatus::Reported => None,
            IncidentStatus::ProvisionallyTriggered { at }
            | IncidentStatus::Verified { at }
            | IncidentStatus::Rejected { at }
            | IncidentStatus::Merged { at, .. } => Some(*at),
        }
    }

    /// Whether verification is settled either way (a merged duplicate's is, in the original).
    pub fn is_settled(&self) -> bool {
        matches!(
            self,
            IncidentStatus::Verified { .. }
                | IncidentStatus::Rejected { .. }
                | IncidentStatus::Merged { .. }
        )
    }
}

/// How the coalition verifies an incident.
///
/// The demo's rule: the monitoring mechanism alone, or the secretariat plus at least three
/// members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationRule {
    /// Whether one confirmation by the monitoring mechanism suffices.
    pub monitor_suffices: bool,
    /// How many distinct member parties must confirm beside the secretariat.
    pub members_with_secretariat: u16,
}

impl Default for VerificationRule {
    fn default() -> Self {
        VerificationRule {
            monitor_suffices: true,
            members_with_secretariat: 3,
        }
    }
}

impl VerificationRule {
    /// Whether these confirmations verify the incident.
    pub fn is_met(&self, confirmations: &[Confirmation]) -> bool {
        let by = |role| confirmations.iter().any(|c| c.role == role);
        if self.monitor_suffices && by(PrincipalRole::Monitor) {
            return true;
        }
        let members: BTreeSet<&PartyCode> = confirmations
            .iter()
            .filter(|c| c.member && c.role.speaks_for_party())
            .map(|c| &c.party)
            .collect();
        by(PrincipalRole::Secretariat)
            && members.len() >= usize::from(self.members_with_secretariat)
    }

    /// When these confirmations first met the rule, as the world stood: the stated time of the
    /// confirmation that completed it, taking them in the order they were given (which need not
    /// be the order they were recorded in).
    pub fn met_at(&self, confirmations: &[Confirmation]) -> Option<Timestamp> {
        let mut by_time: Vec<&Confirmation> = confirmations.iter().collect();
        by_time.sort_by_key(|c| c.at);
        (1..=by_time.len()).find_map(|n| {
            let given: Vec<Confirmation> = by_time[..n].iter().map(|c| (*c).clone()).collect();
            self.is_met(&given).then(|| by_time[n - 1].at)
        })
    }

    /// The rule in words.
    pub fn describe(&self) -> String {
        let quorum = format!(
            "the secretariat plus at least {} member{}",
            self.members_with_secretariat,
            if self.members_with_secretariat == 1 {
                ""
            } else {
                "s"
            }
        );
        if self.monitor_suffices {
            format!("the monitoring mechanism, or {quorum}")
        } else {
            quorum
        }
    }
}

/// A ceasefire: in force from a moment, possibly ended later.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ceasefire {
    /// When it entered into force.
    pub in_force_from: Timestamp,
    /// When it ended, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
}

impl Ceasefire {
    /// Whether it was in force at `at`.
    pub fn is_in_force(&self, at: Timestamp) -> bool {
        self.in_force_from <= at && self.ended_at.is_none_or(|end| at < end)
    }
}

from_str_by_name!(IncidentKind);

#[cfg(test)]
mod tests {
    use super::*;

    fn confirmation(party: &str, role: PrincipalRole, member: bool) -> Confirmation {
        Confirmation {
            principal: PrincipalId::parse(&format!("{party}-{role}").to_lowercase()).unwrap(),
            party: PartyCode::parse(party).unwrap(),
            role,
            member,
            at: Timestamp::from_unix(0),
        }
    }

    #[test]
    fn the_monitor_alone_verifies() {
        let rule = VerificationRule::default();
        assert!(rule.is_met(&[confirmation("USA", PrincipalRole::Monitor, false)]));
    }

    #[test]
    fn the_secretariat_needs_three_distinct_members() {
        let rule = VerificationRule::default();
        let secretariat = confirmation("FRA", PrincipalRole::Secretariat, true);
        let two = vec![
            secretariat.clone(),
            confirmation("DEU", PrincipalRole::Leader, true),
            confirmation("POL", PrincipalRole::Minister, true),
        ];
        assert!(!rule.is_met(&two));
        let mut same_party_twice = two.clone();
        same_party_twice.push(confirmation("DEU", PrincipalRole::Envoy, true));
        assert!(!rule.is_met(&same_party_twice));
        let mut partner = two.clone();
        partner.push(confirmation("USA", PrincipalRole::Envoy, false));
        assert!(!rule.is_met(&partner), "a partner is not a member");
        let mut three = two.clone();
        three.push(confirmation("ITA", PrincipalRole::Leader, true));
        assert!(rule.is_met(&three));
        assert!(
            !rule.is_met(&three[1..]),
            "members without the secretariat do not verify"
        );
    }

    #[test]
    fn a_ceasefire_is_in_force_from_its_start_until_its_end() {
        let ceasefire = Ceasefire {
            in_force_from: Timestamp::from_unix(100),
            ended_at: Some(Timestamp::from_unix(200)),
        };
        assert!(!ceasefire.is_in_force(Timestamp::from_unix(99)));
        assert!(ceasefire.is_in_force(Timestamp::from_unix(100)));
        assert!(ceasefire.is_in_force(Timestamp::from_unix(199)));
        assert!(!ceasefire.is_in_force(Timestamp::from_unix(200)));
    }
}
