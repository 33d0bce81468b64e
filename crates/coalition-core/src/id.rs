//! Identifiers: party codes (validated against ISO 3166-1 alpha-3 and a short list of
//! organisations) and the ids of coalitions, principals, instruments, commitments, incidents,
//! obligations.

use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Organisations that can be parties beside states.
pub const ORGANISATIONS: &[(&str, &str)] = &[
    ("EU", "European Union"),
    ("NATO", "North Atlantic Treaty Organization"),
    ("UN", "United Nations"),
    (
        "OSCE",
        "Organization for Security and Co-operation in Europe",
    ),
    ("G7", "Group of Seven"),
];

/// A party: a state by its ISO 3166-1 alpha-3 code (FRA, UKR, USA) or an organisation (EU, NATO).
///
/// An unknown code is an error, never a new party.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartyCode(String);

/// A code that is neither an ISO 3166-1 alpha-3 code nor a known organisation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown party code {0:?}: expected an ISO 3166-1 alpha-3 code (FRA, UKR, USA …) or one of EU, NATO, UN, OSCE, G7"
)]
pub struct UnknownParty(pub String);

impl PartyCode {
    /// Parses a party code; case-insensitive, printed in upper case.
    pub fn parse(text: &str) -> Result<PartyCode, UnknownParty> {
        let code = text.trim().to_ascii_uppercase();
        let known = ORGANISATIONS.iter().any(|(org, _)| *org == code)
            || (code.len() == 3 && isocountry::CountryCode::for_alpha3(&code).is_ok());
        if known {
            Ok(PartyCode(code))
        } else {
            Err(UnknownParty(text.to_owned()))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The English short name (ISO 3166-1) or the organisation's name.
    pub fn name(&self) -> &'static str {
        if let Some((_, name)) = ORGANISATIONS.iter().find(|(org, _)| *org == self.0) {
            return name;
        }
        isocountry::CountryCode::for_alpha3(&self.0)
            .map(|country| country.name())
            .unwrap_or("unknown")
    }

    /// Whether this party is an organisation rather than a state.
    pub fn is_organisation(&self) -> bool {
        ORGANISATIONS.iter().any(|(org, _)| *org == self.0)
    }
}

impl fmt::Display for PartyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PartyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PartyCode {
    type Err = UnknownParty;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PartyCode::parse(text)
    }
}

impl Serialize for PartyCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PartyCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PartyCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What an id names; only used as a type marker so ids of different things never mix.
pub trait IdKind {
    /// The noun used in messages ("commitment", "incident" …).
    const NOUN: &'static str;
}

/// The id of a thing in the record: 1–64 characters from letters, digits, `-`, `_` and `.`,
/// starting with a letter or digit.
pub struct Id<K: IdKind>(String, PhantomData<K>);

/// Text that cannot be an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid {noun} id {text:?}: expected 1–64 letters, digits, '-', '_' or '.', starting with a letter or digit"
)]
pub struct InvalidId {
    /// What kind of id was expected.
    pub noun: &'static str,
    /// The text given.
    pub text: String,
}

impl<K: IdKind> Id<K> {
    /// Parses an id.
    pub fn parse(text: &str) -> Result<Self, InvalidId> {
        let valid = !text.is_empty()
            && text.len() <= 64
            && text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if valid {
            Ok(Id(text.to_owned(), PhantomData))
        } else {
            Err(InvalidId {
                noun: K::NOUN,
                text: text.to_owned(),
            })
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<K: IdKind> Clone for Id<K> {
    fn clone(&self) -> Self {
        Id(self.0.clone(), PhantomData)
    }
}

impl<K: IdKind> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<K: IdKind> Eq for Id<K> {}

impl<K: IdKind> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: IdKind> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl<K: IdKind> std::hash::Hash for Id<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<K: IdKind> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<K: IdKind> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<K: IdKind> FromStr for Id<K> {
    type Err = InvalidId;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Id::parse(text)
    }
}

impl<K: IdKind> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, K: IdKind> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Id::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Marker for coalition ids.
#[derive(Debug)]
pub enum CoalitionKind {}
impl IdKind for CoalitionKind {
    const NOUN: &'static str = "coalition";
}
/// A coalition: one workspace with its own log (`paris-2026`).
pub type CoalitionId = Id<CoalitionKind>;

/// Marker for principal ids.
#[derive(Debug)]
pub enum PrincipalKind {}
impl IdKind for PrincipalKind {
    const NOUN: &'static str = "principal";
}
/// A person or office acting for a party (`macron`, `secretariat-fra`).
pub type PrincipalId = Id<PrincipalKind>;

/// Marker for instrument ids.
#[derive(Debug)]
pub enum InstrumentKind {}
impl IdKind for InstrumentKind {
    const NOUN: &'static str = "instrument";
}
/// An agreement or declaration commitments stand on (`gbr-ukr-2024`).
pub type InstrumentId = Id<InstrumentKind>;

/// Marker for commitment ids.
#[derive(Debug)]
pub enum CommitmentKind {}
impl IdKind for CommitmentKind {
    const NOUN: &'static str = "commitment";
}
/// A commitment by one guarantor.
pub type CommitmentId = Id<CommitmentKind>;

/// Marker for incident ids.
#[derive(Debug)]
pub enum IncidentKind {}
impl IdKind for IncidentKind {
    const NOUN: &'static str = "incident";
}
/// A reported attack or breach.
pub type IncidentId = Id<IncidentKind>;

/// Marker for obligation ids.
#[derive(Debug)]
pub enum ObligationKind {}
impl IdKind for ObligationKind {
    const NOUN: &'static str = "obligation";
}
/// A dated duty that an activated commitment produced.
pub type ObligationId = Id<ObligationKind>;

/// How many base32 characters follow a derived id's prefix: 40 bits of the hash.
const DERIVED_CHARS: usize = 8;

/// An id derived from what an item is (docs/threat-model.md, "Ids do not count"): `PREFIX-` and
/// eight base32 characters (RFC 4648, 40 bits) of SHA-256 over the RFC 8785 form of
/// `{"kind": PREFIX, "attempt": n, "of": what}`, where `what` holds the coalition, the acting
/// principal, the recording time and the item's content. It reveals neither how many items of
/// its kind exist nor their order, and the same visible history gives the same ids whatever
/// else the record holds. If the id is `taken`, the next attempt is tried: deterministic, so a
/// replay or a second node derives the same id.
pub(crate) fn derived_id<K: IdKind>(
    prefix: &str,
    what: &serde_json::Value,
    taken: impl Fn(&Id<K>) -> bool,
) -> Id<K> {
    (0u64..)
        .filter_map(|attempt| {
            let input = serde_json::json!({ "kind": prefix, "attempt": attempt, "of": what });
            let bytes = serde_json_canonicalizer::to_vec(&input).ok()?;
            let digest = crate::hash::Hash::of(&[&bytes]);
            let code = data_encoding::BASE32_NOPAD.encode(&digest.as_bytes()[..5]);
            debug_assert_eq!(code.len(), DERIVED_CHARS);
            Id::parse(&format!("{prefix}-{code}")).ok()
        })
        .find(|id| !taken(id))
        .unwrap_or_else(|| unreachable!("attempts are unbounded"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A party code the unit tests know to be valid; the one helper they share.
    pub(crate) fn party(code: &str) -> PartyCode {
        PartyCode::parse(code).unwrap()
    }

    #[test]
    fn known_codes_parse_and_unknown_codes_are_errors() {
        assert_eq!(PartyCode::parse("fra").unwrap().as_str(), "FRA");
        assert_eq!(PartyCode::parse("UKR").unwrap().name(), "Ukraine");
        assert_eq!(
            PartyCode::parse("NATO").unwrap().name(),
            "North Atlantic Treaty Organization"
        );
        assert!(PartyCode::parse("XXX").is_err());
        assert!(PartyCode::parse("FR").is_err());
        assert!(PartyCode::parse("").is_err());
    }

    #[test]
    fn derived_ids_are_short_stable_and_step_past_what_is_taken() {
        let what = serde_json::json!({"coalition": "c", "text": "x"});
        let first: CommitmentId = derived_id("C", &what, |_| false);
        assert_eq!(first.as_str().len(), "C-".len() + DERIVED_CHARS);
        assert!(
            first.as_str()[2..]
                .chars()
                .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
        );
        assert_eq!(derived_id::<CommitmentKind>("C", &what, |_| false), first);
        let other: CommitmentId =
            derived_id("C", &serde_json::json!({"coalition": "d"}), |_| false);
        assert_ne!(other, first);
        let next: CommitmentId = derived_id("C", &what, |id| *id == first);
        assert_ne!(next, first);
        assert_eq!(
            derived_id::<CommitmentKind>("C", &what, |id| *id == first),
            next
        );
    }

    #[test]
    fn ids_accept_slugs_only() {
        assert!(CommitmentId::parse("gbr-2024.consult_1").is_ok());
        assert!(CommitmentId::parse("-leading-dash").is_err());
        assert!(CommitmentId::parse("has space").is_err());
        assert!(CommitmentId::parse(&"x".repeat(65)).is_err());
        let err = IncidentId::parse("").unwrap_err();
        assert!(err.to_string().contains("invalid incident id"));
    }
}
