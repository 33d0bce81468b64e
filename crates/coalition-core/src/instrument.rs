//! Instruments: the agreements and declarations commitments stand on, with their legal force,
//! activation condition, term, termination conditions, and each party's consent.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::classification::Marking;
use crate::dates::{Day, Timestamp};
use crate::id::{InstrumentId, PartyCode};
use crate::names::{Named, from_str_by_name};
use crate::statement::StatementId;

/// What kind of text an instrument is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstrumentForm {
    /// Two parties (the 2024 security agreements).
    Bilateral,
    /// Several parties (the Ukraine Compact, the Paris Declaration).
    Multilateral,
    /// A statement issued jointly by leaders.
    JointStatement,
    /// A declaration of intent.
    DeclarationOfIntent,
    /// A memorandum (Budapest 1994).
    Memorandum,
}

impl Named for InstrumentForm {
    const ALL: &'static [Self] = &[
        InstrumentForm::Bilateral,
        InstrumentForm::Multilateral,
        InstrumentForm::JointStatement,
        InstrumentForm::DeclarationOfIntent,
        InstrumentForm::Memorandum,
    ];
    const WHAT: &'static str = "instrument form";
    fn name(self) -> &'static str {
        match self {
            InstrumentForm::Bilateral => "bilateral",
            InstrumentForm::Multilateral => "multilateral",
            InstrumentForm::JointStatement => "joint-statement",
            InstrumentForm::DeclarationOfIntent => "declaration-of-intent",
            InstrumentForm::Memorandum => "memorandum",
        }
    }
}

/// How strongly an instrument binds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegalForce {
    /// A political commitment (the 2024 agreements; Budapest as read by the US).
    Political,
    /// "Politically and legally binding" (the Paris Declaration's guarantees).
    PoliticallyAndLegallyBinding,
    /// A ratified treaty.
    Treaty,
}

impl LegalForce {
    /// Whether the instrument binds in law, not only politically.
    pub fn is_binding(self) -> bool {
        !matches!(self, LegalForce::Political)
    }
}

impl Named for LegalForce {
    const ALL: &'static [Self] = &[
        LegalForce::Political,
        LegalForce::PoliticallyAndLegallyBinding,
        LegalForce::Treaty,
    ];
    const WHAT: &'static str = "legal force";
    fn name(self) -> &'static str {
        match self {
            LegalForce::Political => "political",
            LegalForce::PoliticallyAndLegallyBinding => "politically-and-legally-binding",
            LegalForce::Treaty => "treaty",
        }
    }
}

/// When an instrument's commitments come into force for a party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    /// On the party's signature.
    OnSignature,
    /// On the party's ratification.
    OnRatification,
    /// Once a ceasefire has entered into force (and the party has signed and, where required,
    /// ratified): the Paris guarantees.
    OnCeasefire,
}

impl Named for Activation {
    const ALL: &'static [Self] = &[
        Activation::OnSignature,
        Activation::OnRatification,
        Activation::OnCeasefire,
    ];
    const WHAT: &'static str = "activation condition";
    fn name(self) -> &'static str {
        match self {
            Activation::OnSignature => "on-signature",
            Activation::OnRatification => "on-ratification",
            Activation::OnCeasefire => "on-ceasefire",
        }
    }
}

/// Where a term in years is counted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TermStart {
    /// From the party's signature (the 2024 agreements: ten years from signature).
    Signature,
    /// From activation (the Paris guarantees: fifteen years once in force).
    Activation,
}

impl Named for TermStart {
    const ALL: &'static [Self] = &[TermStart::Signature, TermStart::Activation];
    const WHAT: &'static str = "term start";
    fn name(self) -> &'static str {
        match self {
            TermStart::Signature => "signature",
            TermStart::Activation => "activation",
        }
    }
}

/// A term: so many calendar years from signature or activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Length in calendar years.
    pub years: u16,
    /// Where it is counted from.
    pub from: TermStart,
    /// Whether the parties may extend it.
    pub extendable: bool,
}

/// An event that ends an instrument.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TerminationCondition {
    /// The protected state joins NATO (the UK–Ukraine agreement).
    ProtectedStateJoinsNato,
    /// The protected state leaves the path to EU membership (the EU commitments).
    ProtectedStateLeavesEuPath,
    /// A condition stated in the text.
    Stated(String),
}

impl fmt::Display for TerminationCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TerminationCondition::ProtectedStateJoinsNato => {
                f.write_str("protected state joins NATO")
            }
            TerminationCondition::ProtectedStateLeavesEuPath => {
                f.write_str("protected state leaves the EU path")
            }
            TerminationCondition::Stated(text) => f.write_str(text),
        }
    }
}

impl TerminationCondition {
    /// `protected-state-joins-nato`, `protected-state-leaves-eu-path`, or any other text as a
    /// condition stated in the instrument.
    pub fn from_text(text: &str) -> TerminationCondition {
        match text.trim() {
            "protected-state-joins-nato" => TerminationCondition::ProtectedStateJoinsNato,
            "protected-state-leaves-eu-path" => TerminationCondition::ProtectedStateLeavesEuPath,
            other => TerminationCondition::Stated(other.to_owned()),
        }
    }
}

/// A party's ratification status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ratification {
    /// Ratified by the party's parliament or equivalent.
    Ratified,
    /// Rejected by the party's parliament.
    Rejected,
}

impl Named for Ratification {
    const ALL: &'static [Self] = &[Ratification::Ratified, Ratification::Rejected];
    const WHAT: &'static str = "ratification status";
    fn name(self) -> &'static str {
        match self {
            Ratification::Ratified => "ratified",
            Ratification::Rejected => "rejected",
        }
    }
}

/// An agreement or declaration, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    /// Its id.
    pub id: InstrumentId,
    /// Its title.
    pub title: String,
    /// Its form.
    pub form: InstrumentForm,
    /// How strongly it binds.
    pub legal_force: LegalForce,
    /// The parties to it.
    pub parties: Vec<PartyCode>,
    /// When its commitments come into force.
    pub activation: Activation,
    /// Whether each party must ratify before it binds that party.
    pub ratification_required: bool,
    /// Its term, if it states one (open-ended otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Term>,
    /// What ends it early.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub termination: Vec<TerminationCondition>,
    /// The statement whose adoption signs it for every approving party, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementId>,
    /// Its marking.
    pub marking: Marking,
    /// Where the facts come from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Whether the record is an illustration rather than a fact.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
    /// Whether it was concluded before the coalition (Budapest 1994, the 2024 agreements): its
    /// signatures, ratifications and the commitments on it may be dated before the founding,
    /// though never before [`crate::dates::EARLIEST`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub historical: bool,
}

/// Where an instrument's term ends for one party.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermEnd {
    /// The instrument states no term.
    OpenEnded,
    /// The last day in force, inclusive.
    LastDay(Day),
    /// So many years after an activation that has not happened yet.
    YearsAfterActivation(u16),
}

/// An instrument together with what has happened to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentRecord {
    /// The instrument as recorded.
    pub instrument: Instrument,
    /// When each party signed.
    pub signed: BTreeMap<PartyCode, Timestamp>,
    /// Each party's ratification, when it happened.
    pub ratified: BTreeMap<PartyCode, (Ratification, Timestamp)>,
    /// Extensions: when each was agreed, and the years it added.
    pub extensions: Vec<(Timestamp, u16)>,
    /// When and why it ended, if it has.
    pub terminated: Option<(Timestamp, TerminationCondition)>,
}

/// Where a party stands under an instrument at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consent {
    /// The party has not signed.
    Unsigned,
    /// Signed; ratification pending.
    Signed,
    /// Signed and ratified where required.
    Complete {
        /// When consent became complete (the later of signature and ratification).
        at: Timestamp,
        /// Whether ratification was part of it.
        ratified: bool,
    },
    /// The party's parliament rejected it.
    Rejected,
}

impl InstrumentRecord {
    /// A freshly recorded instrument.
    pub fn new(instrument: Instrument) -> InstrumentRecord {
        InstrumentRecord {
            instrument,
            signed: BTreeMap::new(),
            ratified: BTreeMap::new(),
            extensions: Vec::new(),
            terminated: None,
        }
    }

    /// The party's consent as it stood at `at`.
    pub fn consent(&self, party: &PartyCode, at: Timestamp) -> Consent {
        let Some(&signed) = self.signed.get(party).filter(|signed| **signed <= at) else {
            return Consent::Unsigned;
        };
        if !self.instrument.ratification_required {
            return Consent::Complete {
                at: signed,
                ratified: false,
            };
        }
        match self.ratified.get(party) {
            Some((Ratification::Ratified, when)) if *when <= at => Consent::Complete {
                at: signed.max(*when),
                ratified: true,
            },
            Some((Ratification::Rejected, when)) if *when <= at => Consent::Rejected,
            _ => Consent::Signed,
        }
    }

    /// When the instrument took effect for `party`, given the first ceasefire's start, as it
    /// stood at `at`; `None` while its activation condition is unmet.
    pub fn activated_for(
        &self,
        party: &PartyCode,
        first_ceasefire: Option<Timestamp>,
        at: Timestamp,
    ) -> Option<Timestamp> {
        let Consent::Complete { at: consented, .. } = self.consent(party, at) else {
            return None;
        };
        match self.instrument.activation {
            Activation::OnSignature | Activation::OnRatification => Some(consented),
            Activation::OnCeasefire => first_ceasefire
                .filter(|start| *start <= at)
                .map(|start| start.max(consented)),
        }
    }

    /// The years extensions agreed by `at` add to the term.
    pub fn extended_years(&self, at: Timestamp) -> u16 {
        self.extensions
            .iter()
            .filter(|(agreed, _)| *agreed <= at)
            .fold(0, |total, (_, years)| total.saturating_add(*years))
    }

    /// Where the term ends for `party`, given when the instrument took effect for it, with the
    /// extensions agreed by `at`.
    pub fn term_end(
        &self,
        party: &PartyCode,
        activated: Option<Timestamp>,
        at: Timestamp,
    ) -> TermEnd {
        let Some(term) = self.instrument.term else {
            return TermEnd::OpenEnded;
        };
        let start = match term.from {
            TermStart::Signature => self.signed.get(party).copied(),
            TermStart::Activation => activated,
        };
        let years = term.years.saturating_add(self.extended_years(at));
        match start {
            Some(start) => TermEnd::LastDay(start.day().last_day_of_term(years)),
            None => TermEnd::YearsAfterActivation(years),
        }
    }

    /// When the instrument was terminated, if it was by `at`.
    pub fn terminated_by(&self, at: Timestamp) -> Option<Timestamp> {
        self.terminated
            .as_ref()
            .map(|(when, _)| *when)
            .filter(|when| *when <= at)
    }
}

from_str_by_name!(
    InstrumentForm,
    LegalForce,
    Activation,
    TermStart,
    Ratification
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classification::Marking;
    use crate::id::tests::party;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn paris() -> InstrumentRecord {
        InstrumentRecord::new(Instrument {
            id: InstrumentId::parse("paris").unwrap(),
            title: "Paris Declaration".into(),
            form: InstrumentForm::Multilateral,
            legal_force: LegalForce::PoliticallyAndLegallyBinding,
            parties: vec![party("FRA"), party("GBR")],
            activation: Activation::OnCeasefire,
            ratification_required: true,
            term: Some(Term {
                years: 15,
                from: TermStart::Activation,
                extendable: true,
            }),
            termination: vec![],
            statement: None,
            marking: Marking::public(),
            source: String::new(),
            illustrative: false,
            historical: false,
        })
    }

    #[test]
    fn a_ceasefire_instrument_waits_for_signature_ratification_and_ceasefire() {
        let mut record = paris();
        let fra = party("FRA");
        let ceasefire = Some(at("2026-06-01"));
        assert_eq!(
            record.activated_for(&fra, ceasefire, at("2026-07-01")),
            None
        );
        record.signed.insert(fra.clone(), at("2026-01-06"));
        assert_eq!(record.consent(&fra, at("2026-02-01")), Consent::Signed);
        assert_eq!(
            record.activated_for(&fra, ceasefire, at("2026-07-01")),
            None
        );
        record
            .ratified
            .insert(fra.clone(), (Ratification::Ratified, at("2026-03-01")));
        assert_eq!(record.activated_for(&fra, None, at("2026-07-01")), None);
        assert_eq!(
            record.activated_for(&fra, ceasefire, at("2026-05-31")),
            None
        );
        let activated = record.activated_for(&fra, ceasefire, at("2026-07-01"));
        assert_eq!(activated, Some(at("2026-06-01")));
        assert_eq!(
            record.term_end(&fra, activated, at("2026-07-01")),
            TermEnd::LastDay(Day::parse("2041-05-31").unwrap())
        );
    }

    #[test]
    fn a_rejected_ratification_never_completes_consent() {
        let mut record = paris();
        let gbr = party("GBR");
        record.signed.insert(gbr.clone(), at("2026-01-06"));
        record
            .ratified
            .insert(gbr.clone(), (Ratification::Rejected, at("2026-02-01")));
        assert_eq!(record.consent(&gbr, at("2026-03-01")), Consent::Rejected);
    }

    #[test]
    fn an_extension_adds_years_to_the_term() {
        let mut record = paris();
        record.extensions.push((at("2030-01-01"), 5));
        let fra = party("FRA");
        let last = record.term_end(&fra, Some(at("2026-06-01")), at("2030-01-01"));
        assert_eq!(last, TermEnd::LastDay(Day::parse("2046-05-31").unwrap()));
        assert_eq!(
            record.term_end(&fra, None, at("2030-01-01")),
            TermEnd::YearsAfterActivation(20)
        );
        assert_eq!(
            record.term_end(&fra, Some(at("2026-06-01")), at("2029-12-31")),
            TermEnd::LastDay(Day::parse("2041-05-31").unwrap()),
            "not extended before the extension was agreed"
        );
    }
}
