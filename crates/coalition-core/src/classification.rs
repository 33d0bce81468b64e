//! Classification: levels, markings, and the one rule for who may read what.
//!
//! Levels follow NATO's order: PUBLIC < UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET <
//! TOP SECRET. UNCLASSIFIED is *not* public: only PUBLIC items reach the public. A marking also
//! names its originator and the parties it is releasable to. `may_read` is the only place that
//! decides access; `disclosure` applies it to every read.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::id::PartyCode;

/// A classification level, ordered from PUBLIC to TOP SECRET.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Level {
    /// Released to the public (NATO: "PUBLICLY DISCLOSED").
    Public,
    /// For official use only; not public.
    Unclassified,
    /// Disadvantageous if disclosed.
    Restricted,
    /// Damaging if disclosed.
    Confidential,
    /// Seriously damaging if disclosed.
    Secret,
    /// Exceptionally grave damage if disclosed.
    TopSecret,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 6] = [
        Level::Public,
        Level::Unclassified,
        Level::Restricted,
        Level::Confidential,
        Level::Secret,
        Level::TopSecret,
    ];

    /// The marking's printed name.
    pub fn name(self) -> &'static str {
        match self {
            Level::Public => "PUBLIC",
            Level::Unclassified => "UNCLASSIFIED",
            Level::Restricted => "RESTRICTED",
            Level::Confidential => "CONFIDENTIAL",
            Level::Secret => "SECRET",
            Level::TopSecret => "TOP SECRET",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Text that is not a classification level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown classification {0:?}: expected PUBLIC, UNCLASSIFIED, RESTRICTED, CONFIDENTIAL, SECRET or TOP SECRET"
)]
pub struct UnknownLevel(pub String);

impl FromStr for Level {
    type Err = UnknownLevel;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let normal = text.trim().to_ascii_uppercase().replace(['_', '-'], " ");
        Level::ALL
            .into_iter()
            .find(|level| level.name() == normal)
            .ok_or_else(|| UnknownLevel(text.to_owned()))
    }
}

/// A classification marking: level, originator, and to whom it may be released.
///
/// `releasable_to: None` means releasable to every party that holds a seat in the coalition
/// (members, the protected state, partners, observers); `Some(set)` narrows that to the listed
/// parties. A releasability list never reaches beyond the coalition, which is what makes `join`
/// exact: a derived item is readable only by those who may read every input. The originator may
/// always read its own items.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Marking {
    /// The level.
    pub level: Level,
    /// The party that originated the information, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originator: Option<PartyCode>,
    /// The parties it may be released to; `None` = the whole coalition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub releasable_to: Option<BTreeSet<PartyCode>>,
}

impl Marking {
    /// A PUBLIC marking with no originator.
    pub fn public() -> Marking {
        Marking::at(Level::Public)
    }

    /// A marking at `level`, releasable to the whole coalition.
    pub fn at(level: Level) -> Marking {
        Marking {
            level,
            originator: None,
            releasable_to: None,
        }
    }

    /// Why this marking contradicts itself, if it does: PUBLIC is releasable to everyone, so a
    /// releasability list on it would be ignored while looking like a restriction.
    pub fn contradiction(&self) -> Option<&'static str> {
        (self.is_public() && self.releasable_to.is_some())
            .then_some("PUBLIC is releasable to everyone; a releasability list (REL TO …) contradicts it: give a level above PUBLIC or no list")
    }

    /// Whether this marking lets the item reach the public.
    pub fn is_public(&self) -> bool {
        self.level == Level::Public
    }

    /// The least marking that covers both: the higher level, and releasable only where both
    /// are. Anything derived from several items (an aggregate, an obligation) carries this.
    pub fn join(&self, other: &Marking) -> Marking {
        let releasable_to = match (&self.releasable_to, &other.releasable_to) {
            (None, None) => None,
            (Some(set), None) | (None, Some(set)) => Some(set.clone()),
            (Some(a), Some(b)) => Some(a.intersection(b).cloned().collect()),
        };
        let originator = if self.originator == other.originator {
            self.originator.clone()
        } else {
            None
        };
        Marking {
            level: self.level.max(other.level),
            originator,
            releasable_to,
        }
    }

    /// Whether this marking is at least as restrictive as `other`: a level at least as high and
    /// releasable to no one that `other` is not.
    pub fn dominates(&self, other: &Marking) -> bool {
        let narrower = match (&self.releasable_to, &other.releasable_to) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(mine), Some(theirs)) => mine.is_subset(theirs),
        };
        self.level >= other.level && narrower
    }
}

impl Default for Marking {
    /// UNCLASSIFIED, releasable to the coalition: what a new item gets when the user names no
    /// marking. Not public: nothing reaches the public unless someone marks it PUBLIC.
    fn default() -> Self {
        Marking::at(Level::Unclassified)
    }
}

impl fmt::Display for Marking {
    /// `SECRET//REL TO FRA, GBR` in the NATO/national style.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.level.name())?;
        if let Some(parties) = &self.releasable_to {
            let list: Vec<&str> = parties.iter().map(PartyCode::as_str).collect();
            write!(f, "//REL TO {}", list.join(", "))?;
        }
        Ok(())
    }
}

/// Text that is not a marking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid marking {text:?}: {problem} (expected e.g. PUBLIC, SECRET or SECRET//REL TO FRA, GBR)"
)]
pub struct InvalidMarking {
    /// The text given.
    pub text: String,
    /// What is wrong.
    pub problem: String,
}

impl FromStr for Marking {
    type Err = InvalidMarking;
    /// Parses the printed form: `LEVEL` or `LEVEL//REL TO A, B` (NATO/national style).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |problem: String| InvalidMarking {
            text: text.to_owned(),
            problem,
        };
        let (level, rest) = match text.split_once("//") {
            Some((level, rest)) => (level, Some(rest)),
            None => (text, None),
        };
        let level: Level = level
            .parse()
            .map_err(|e: UnknownLevel| fail(e.to_string()))?;
        let releasable_to = match rest {
            None => None,
            Some(rest) => {
                let list = rest
                    .trim()
                    .strip_prefix("REL TO")
                    .ok_or_else(|| fail("after // expected REL TO".into()))?;
                let parties = list
                    .split(',')
                    .map(|p| PartyCode::parse(p).map_err(|e| fail(e.to_string())))
                    .collect::<Result<BTreeSet<_>, _>>()?;
                Some(parties)
            }
        };
        let marking = Marking {
            level,
            originator: None,
            releasable_to,
        };
        match marking.contradiction() {
            Some(problem) => Err(fail(problem.to_owned())),
            None => Ok(marking),
        }
    }
}

/// Who is reading. Every read in the system names one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// Anyone, without a login: sees PUBLIC items only.
    Public,
    /// A principal acting for `party`, cleared to `clearance`.
    Cleared {
        /// The principal's party.
        party: PartyCode,
        /// The principal's clearance.
        clearance: Level,
        /// Whether the party holds a seat in the coalition (member, protected, partner, observer).
        has_seat: bool,
    },
    /// Whoever holds the database file itself (the local command line without `--as`): the file
    /// already contains everything, so the gate hides nothing from them.
    Custodian,
}

/// The access rule, in one place.
///
/// - PUBLIC items: anyone.
/// - The custodian of the file: everything.
/// - A cleared principal: clearance ≥ level, and the party is the originator, or it holds a seat
///   and the item is releasable to the whole coalition or lists the party.
/// - The public: nothing above PUBLIC.
pub fn may_read(viewer: &Viewer, marking: &Marking) -> bool {
    if marking.is_public() {
        return true;
    }
    match viewer {
        Viewer::Public => false,
        Viewer::Custodian => true,
        Viewer::Cleared {
            party,
            clearance,
            has_seat,
        } => {
            let released = marking.originator.as_ref() == Some(party)
                || (*has_seat
                    && marking
                        .releasable_to
                        .as_ref()
                        .is_none_or(|parties| parties.contains(party)));
            *clearance >= marking.level && released
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::tests::party;
    use proptest::prelude::*;

    const PARTIES: [&str; 4] = ["FRA", "GBR", "UKR", "USA"];

    fn arb_level() -> impl Strategy<Value = Level> {
        prop::sample::select(Level::ALL.to_vec())
    }

    fn arb_marking() -> impl Strategy<Value = Marking> {
        (
            arb_level(),
            prop::option::of(prop::sample::select(PARTIES.to_vec())),
            prop::option::of(prop::collection::btree_set(
                prop::sample::select(PARTIES.to_vec()),
                0..4,
            )),
        )
            .prop_map(|(level, originator, releasable)| Marking {
                level,
                originator: originator.map(party),
                releasable_to: releasable.map(|set| set.into_iter().map(party).collect()),
            })
    }

    fn arb_viewer() -> impl Strategy<Value = Viewer> {
        prop_oneof![
            Just(Viewer::Public),
            Just(Viewer::Custodian),
            (
                prop::sample::select(PARTIES.to_vec()),
                arb_level(),
                any::<bool>()
            )
                .prop_map(|(code, clearance, has_seat)| Viewer::Cleared {
                    party: party(code),
                    clearance,
                    has_seat
                }),
        ]
    }

    #[test]
    fn unclassified_is_not_public() {
        assert!(!may_read(
            &Viewer::Public,
            &Marking::at(Level::Unclassified)
        ));
        assert!(may_read(&Viewer::Public, &Marking::public()));
    }

    #[test]
    fn markings_parse_from_their_printed_form() {
        let marking: Marking = "SECRET//REL TO GBR, FRA".parse().unwrap();
        assert_eq!(marking.to_string(), "SECRET//REL TO FRA, GBR");
        assert_eq!("PUBLIC".parse::<Marking>().unwrap(), Marking::public());
        assert!("SECRET//FRA".parse::<Marking>().is_err());
        let contradiction = "PUBLIC//REL TO FRA".parse::<Marking>().unwrap_err();
        assert!(contradiction.problem.contains("releasable to everyone"));
        assert!("SECRET//REL TO XXX".parse::<Marking>().is_err());
    }

    #[test]
    fn levels_parse_from_their_printed_names() {
        assert_eq!("top secret".parse::<Level>(), Ok(Level::TopSecret));
        assert_eq!("TOP_SECRET".parse::<Level>(), Ok(Level::TopSecret));
        assert!("COSMIC".parse::<Level>().is_err());
    }

    /// The access rule written out as a table (RELIABILITY row 11): a 4-party coalition, every
    /// clearance × party × seat × marking level × originator × releasability subset.
    #[test]
    fn the_gate_agrees_with_the_written_table_for_every_combination() {
        let subsets: Vec<Option<BTreeSet<PartyCode>>> = std::iter::once(None)
            .chain((0u8..16).map(|mask| {
                Some(
                    PARTIES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, code)| party(code))
                        .collect(),
                )
            }))
            .collect();
        let mut checked = 0;
        for level in Level::ALL {
            for originator in std::iter::once(None).chain(PARTIES.iter().map(|c| Some(party(c)))) {
                for releasable_to in &subsets {
                    let marking = Marking {
                        level,
                        originator: originator.clone(),
                        releasable_to: releasable_to.clone(),
                    };
                    for reader in PARTIES {
                        for clearance in Level::ALL {
                            for has_seat in [false, true] {
                                let viewer = Viewer::Cleared {
                                    party: party(reader),
                                    clearance,
                                    has_seat,
                                };
                                // The table, row by row.
                                let expected = if level == Level::Public {
                                    true
                                } else if clearance < level {
                                    false
                                } else if originator.as_ref().is_some_and(|o| o.as_str() == reader)
                                {
                                    true
                                } else if !has_seat {
                                    false
                                } else {
                                    match releasable_to {
                                        None => true,
                                        Some(set) => set.iter().any(|p| p.as_str() == reader),
                                    }
                                };
                                assert_eq!(
                                    may_read(&viewer, &marking),
                                    expected,
                                    "{viewer:?} {marking:?}"
                                );
                                checked += 1;
                            }
                        }
                    }
                    assert_eq!(may_read(&Viewer::Public, &marking), level == Level::Public);
                    assert!(may_read(&Viewer::Custodian, &marking));
                }
            }
        }
        assert_eq!(checked, 6 * 5 * 17 * 4 * 6 * 2);
    }

    proptest! {
        #[test]
        fn join_is_commutative_associative_and_idempotent(a in arb_marking(), b in arb_marking(), c in arb_marking()) {
            prop_assert_eq!(a.join(&b).level, b.join(&a).level);
            prop_assert_eq!(&a.join(&b).releasable_to, &b.join(&a).releasable_to);
            prop_assert_eq!(a.join(&b).join(&c), a.join(&b.join(&c)));
            prop_assert_eq!(a.join(&a), a.clone());
        }

        #[test]
        fn a_join_dominates_both_inputs(a in arb_marking(), b in arb_marking()) {
            let joined = a.join(&b);
            prop_assert!(joined.dominates(&a));
            prop_assert!(joined.dominates(&b));
        }

        #[test]
        fn dominance_is_reflexive_and_transitive(a in arb_marking(), b in arb_marking(), c in arb_marking()) {
            prop_assert!(a.dominates(&a));
            if a.dominates(&b) && b.dominates(&c) {
                prop_assert!(a.dominates(&c));
            }
        }

        /// Whoever may read a derived item may read each of its inputs: a join never opens
        /// what an input kept closed.
        #[test]
        fn reading_a_join_implies_reading_its_inputs(v in arb_viewer(), a in arb_marking(), b in arb_marking()) {
            if may_read(&v, &a.join(&b)) {
                prop_assert!(may_read(&v, &a));
                prop_assert!(may_read(&v, &b));
            }
        }

        /// Raising a marking never lets more viewers read it.
        #[test]
        fn a_dominating_marking_is_never_easier_to_read(v in arb_viewer(), a in arb_marking(), b in arb_marking()) {
            let same_originator = a.originator == b.originator;
            if a.dominates(&b) && same_originator && may_read(&v, &a) {
                prop_assert!(may_read(&v, &b));
            }
        }
    }
}
