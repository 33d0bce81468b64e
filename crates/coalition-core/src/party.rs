//! Parties in a coalition (their seats) and the principals who act for them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::classification::{Level, Marking};
use crate::dates::Day;
use crate::id::{PartyCode, PrincipalId};
use crate::names::{Named, from_str_by_name};
use crate::signature::PublicKey;

/// The place a party holds in a coalition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeatRole {
    /// A member state or organisation of the coalition.
    Member,
    /// The state the guarantees protect (Ukraine).
    ProtectedState,
    /// Works with the coalition without being a member (the United States).
    Partner,
    /// Attends without commitments.
    Observer,
    /// Named in triggers; never a member and never a reader of coalition material.
    Adversary,
}

impl SeatRole {
    /// Whether this seat gives access to material releasable to the coalition.
    pub fn is_inside(self) -> bool {
        !matches!(self, SeatRole::Adversary)
    }
}

impl fmt::Display for SeatRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A party's seat: its role, since when, until when, and whether membership is disclosed.
///
/// The coalition of the willing does not publish its list; an undisclosed seat is recorded with
/// a non-public marking and never counted in public.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// The party.
    pub party: PartyCode,
    /// Its role.
    pub role: SeatRole,
    /// First day of the seat, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Day>,
    /// Last day of the seat (inclusive), if it has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Day>,
    /// Whether the coalition has made this membership public.
    pub disclosed: bool,
    /// Where the fact comes from, or why it is uncertain.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Seat {
    /// The marking of the seat itself: PUBLIC when disclosed, RESTRICTED otherwise.
    pub fn marking(&self) -> Marking {
        if self.disclosed {
            Marking::public()
        } else {
            Marking::at(Level::Restricted)
        }
    }

    /// Whether the seat is held on `day`.
    pub fn is_held_on(&self, day: Day) -> bool {
        self.from.is_none_or(|from| from <= day) && self.until.is_none_or(|until| day <= until)
    }
}

/// What a principal does for its party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalRole {
    /// Head of state or government: signs and approves.
    Leader,
    /// A special envoy.
    Envoy,
    /// A minister.
    Minister,
    /// The coalition's secretariat: keeps the record, records on behalf of parties.
    Secretariat,
    /// The ceasefire monitoring mechanism: verifies and attributes incidents.
    Monitor,
    /// Reads, does not act.
    Observer,
}

impl PrincipalRole {
    /// Whether the role may act for its party's government (commit, confirm, request).
    pub fn speaks_for_party(self) -> bool {
        matches!(
            self,
            PrincipalRole::Leader | PrincipalRole::Envoy | PrincipalRole::Minister
        )
    }
}

impl fmt::Display for PrincipalRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A person or office acting for a party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The id used with `--as`.
    pub id: PrincipalId,
    /// The person's or office's name.
    pub name: String,
    /// The party it acts for.
    pub party: PartyCode,
    /// What it does.
    pub role: PrincipalRole,
    /// The highest level it may read.
    pub clearance: Level,
    /// How widely the principal's own record may be shown.
    pub marking: Marking,
    /// The ed25519 key its signatures are checked against (the latest registered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<PublicKey>,
}

impl Named for SeatRole {
    const ALL: &'static [Self] = &[
        SeatRole::Member,
        SeatRole::ProtectedState,
        SeatRole::Partner,
        SeatRole::Observer,
        SeatRole::Adversary,
    ];
    const WHAT: &'static str = "seat role";
    fn name(self) -> &'static str {
        match self {
            SeatRole::Member => "member",
            SeatRole::ProtectedState => "protected-state",
            SeatRole::Partner => "partner",
            SeatRole::Observer => "observer",
            SeatRole::Adversary => "adversary",
        }
    }
}

impl Named for PrincipalRole {
    const ALL: &'static [Self] = &[
        PrincipalRole::Leader,
        PrincipalRole::Envoy,
        PrincipalRole::Minister,
        PrincipalRole::Secretariat,
        PrincipalRole::Monitor,
        PrincipalRole::Observer,
    ];
    const WHAT: &'static str = "principal role";
    fn name(self) -> &'static str {
        match self {
            PrincipalRole::Leader => "leader",
            PrincipalRole::Envoy => "envoy",
            PrincipalRole::Minister => "minister",
            PrincipalRole::Secretariat => "secretariat",
            PrincipalRole::Monitor => "monitor",
            PrincipalRole::Observer => "observer",
        }
    }
}

from_str_by_name!(SeatRole, PrincipalRole);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_by_name_and_name_the_choices_when_wrong() {
        assert_eq!(
            "protected-state".parse::<SeatRole>(),
            Ok(SeatRole::ProtectedState)
        );
        assert_eq!("Leader".parse::<PrincipalRole>(), Ok(PrincipalRole::Leader));
        let err = "king".parse::<PrincipalRole>().unwrap_err();
        assert!(err.to_string().contains("leader, envoy"), "{err}");
    }

    #[test]
    fn a_seat_is_held_between_its_days_inclusive() {
        let seat = Seat {
            party: PartyCode::parse("ALB").unwrap(),
            role: SeatRole::Member,
            from: Some(Day::parse("2025-12-01").unwrap()),
            until: Some(Day::parse("2026-12-31").unwrap()),
            disclosed: false,
            note: String::new(),
        };
        assert!(!seat.is_held_on(Day::parse("2025-11-30").unwrap()));
        assert!(seat.is_held_on(Day::parse("2025-12-01").unwrap()));
        assert!(seat.is_held_on(Day::parse("2026-12-31").unwrap()));
        assert!(!seat.is_held_on(Day::parse("2027-01-01").unwrap()));
        assert_eq!(seat.marking().level, Level::Restricted);
    }
}
