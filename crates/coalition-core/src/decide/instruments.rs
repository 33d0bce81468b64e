//! Instruments: recording one, each party's signature and ratification, extension, termination.

use super::rules::{Rules, duplicate, invalid, wrong_state};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::{InstrumentId, PartyCode};
use crate::instrument::{Instrument, Ratification, TerminationCondition};
use crate::rejection::Rejection;

impl Rules<'_> {
    pub(super) fn record_instrument(
        &self,
        instrument: &Instrument,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("record an instrument")?;
        self.marking_given("classification", &instrument.marking)?;
        if self.state.instruments().contains_key(&instrument.id) {
            return Err(duplicate("instrument", &instrument.id));
        }
        if instrument.parties.is_empty() {
            return Err(invalid("parties", "an instrument needs at least one party"));
        }
        if instrument.term.is_some_and(|term| term.years == 0) {
            return Err(invalid("term", "a term must be at least one year"));
        }
        Ok(vec![Event::InstrumentRecorded {
            instrument: instrument.clone(),
        }])
    }

    pub(super) fn sign_instrument(
        &self,
        instrument: &InstrumentId,
        party: &PartyCode,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.instrument(instrument)?;
        self.for_party(party, "sign for")?;
        self.party_to(record, party)?;
        self.within_record(
            format_args!("{party}'s signature of {instrument}"),
            at,
            record.instrument.historical,
        )?;
        if record.signed.contains_key(party) {
            return Err(wrong_state(
                format!("{party}'s signature of {instrument}"),
                "recorded",
                "a party signs once",
            ));
        }
        Ok(vec![Event::InstrumentSigned {
            instrument: instrument.clone(),
            party: party.clone(),
            at,
            marking: record.instrument.marking.clone(),
        }])
    }

    pub(super) fn record_ratification(
        &self,
        instrument: &InstrumentId,
        party: &PartyCode,
        status: Ratification,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.instrument(instrument)?;
        self.for_party(party, "record ratification for")?;
        self.party_to(record, party)?;
        if !record.instrument.ratification_required {
            return Err(invalid(
                "status",
                format!("instrument {instrument} needs no ratification"),
            ));
        }
        let Some(signed) = record.signed.get(party) else {
            return Err(wrong_state(
                format!("{instrument} for {party}"),
                "unsigned",
                "a party ratifies what it has signed",
            ));
        };
        self.not_before(
            format_args!("{party}'s ratification of {instrument}"),
            at,
            format_args!("its signature"),
            *signed,
        )?;
        if record.ratified.contains_key(party) {
            return Err(wrong_state(
                format!("{party}'s ratification of {instrument}"),
                "recorded",
                "ratification is recorded once",
            ));
        }
        Ok(vec![Event::RatificationRecorded {
            instrument: instrument.clone(),
            party: party.clone(),
            status,
            at,
            marking: record.instrument.marking.clone(),
        }])
    }

    pub(super) fn extend_instrument(
        &self,
        instrument: &InstrumentId,
        years: u16,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("extend an instrument")?;
        let record = self.instrument(instrument)?;
        match record.instrument.term {
            Some(term) if term.extendable => {}
            Some(_) => {
                return Err(invalid(
                    "instrument",
                    format!("{instrument}'s term is not extendable"),
                ));
            }
            None => {
                return Err(invalid(
                    "instrument",
                    format!("{instrument} states no term to extend"),
                ));
            }
        }
        if years == 0 {
            return Err(invalid("years", "an extension adds at least one year"));
        }
        self.within_record(
            format_args!("the extension of {instrument}"),
            at,
            record.instrument.historical,
        )?;
        Ok(vec![Event::InstrumentExtended {
            instrument: instrument.clone(),
            years,
            at,
            marking: record.instrument.marking.clone(),
        }])
    }

    pub(super) fn terminate_instrument(
        &self,
        instrument: &InstrumentId,
        condition: &TerminationCondition,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("terminate an instrument")?;
        let record = self.instrument(instrument)?;
        if record.terminated.is_some() {
            return Err(wrong_state(
                format!("instrument {instrument}"),
                "terminated",
                "it ends once",
            ));
        }
        self.within_record(
            format_args!("the termination of {instrument}"),
            at,
            record.instrument.historical,
        )?;
        Ok(vec![Event::InstrumentTerminated {
            instrument: instrument.clone(),
            condition: condition.clone(),
            at,
            marking: record.instrument.marking.clone(),
        }])
    }
}
