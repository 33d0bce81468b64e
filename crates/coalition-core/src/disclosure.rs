//! The one gate every read passes through. A [`Gate`] pairs the state with a [`Viewer`] and only
//! ever hands out what [`may_read`] allows; an item the viewer may not read is indistinguishable
//! from an item that does not exist.

use crate::classification::{Marking, Viewer, may_read};
use crate::id::{CommitmentId, IncidentId, InstrumentId, ObligationId, PrincipalId};
use crate::instrument::InstrumentRecord;
use crate::party::{Principal, Seat};
use crate::state::{
    CommitmentRecord, ConsultationRequest, IncidentRecord, ObligationRecord, State,
};
use crate::statement::{Meeting, MeetingId, Paragraph, StatementId, StatementRecord, Version};

/// The state as one viewer may see it.
#[derive(Clone, Copy, Debug)]
pub struct Gate<'a> {
    state: &'a State,
    viewer: &'a Viewer,
}

impl<'a> Gate<'a> {
    /// The state as `viewer` may see it.
    pub fn new(state: &'a State, viewer: &'a Viewer) -> Gate<'a> {
        Gate { state, viewer }
    }

    /// Who is looking.
    pub fn viewer(&self) -> &Viewer {
        self.viewer
    }

    /// The whole state, for rules that need facts the viewer cannot see (statuses derive from
    /// instruments and ceasefires). Results computed from it must be filtered through the gate.
    pub(crate) fn state(&self) -> &'a State {
        self.state
    }

    /// Whether the viewer may read an item with this marking.
    pub fn may_read(&self, marking: &Marking) -> bool {
        may_read(self.viewer, marking)
    }

    /// The seats the viewer may see (an undisclosed seat is not public).
    pub fn seats(&self) -> impl Iterator<Item = &'a Seat> + '_ {
        self.state
            .seats()
            .values()
            .filter(|seat| self.may_read(&seat.marking()))
    }

    /// The principals the viewer may see.
    pub fn principals(&self) -> impl Iterator<Item = &'a Principal> + '_ {
        self.state
            .principals()
            .values()
            .filter(|p| self.may_read(&p.marking))
    }

    /// One principal, if visible.
    pub fn principal(&self, id: &PrincipalId) -> Option<&'a Principal> {
        self.state
            .principal(id)
            .filter(|p| self.may_read(&p.marking))
    }

    /// The instruments the viewer may see.
    pub fn instruments(&self) -> impl Iterator<Item = &'a InstrumentRecord> + '_ {
        self.state
            .instruments()
            .values()
            .filter(|r| self.may_read(&r.instrument.marking))
    }

    /// One instrument, if visible.
    pub fn instrument(&self, id: &InstrumentId) -> Option<&'a InstrumentRecord> {
        self.state
            .instruments()
            .get(id)
            .filter(|r| self.may_read(&r.instrument.marking))
    }

    /// The commitments the viewer may see.
    pub fn commitments(&self) -> impl Iterator<Item = &'a CommitmentRecord> + '_ {
        self.state
            .commitments()
            .values()
            .filter(|r| self.may_read(&r.commitment.marking))
    }

    /// One commitment, if visible.
    pub fn commitment(&self, id: &CommitmentId) -> Option<&'a CommitmentRecord> {
        self.state
            .commitments()
            .get(id)
            .filter(|r| self.may_read(&r.commitment.marking))
    }

    /// The incidents the viewer may see.
    pub fn incidents(&self) -> impl Iterator<Item = &'a IncidentRecord> + '_ {
        self.state
            .incidents()
            .values()
            .filter(|r| self.may_read(&r.incident.marking))
    }

    /// One incident, if visible.
    pub fn incident(&self, id: &IncidentId) -> Option<&'a IncidentRecord> {
        self.state
            .incidents()
            .get(id)
            .filter(|r| self.may_read(&r.incident.marking))
    }

    /// The obligations the viewer may see.
    pub fn obligations(&self) -> impl Iterator<Item = &'a ObligationRecord> + '_ {
        self.state
            .obligations()
            .values()
            .filter(|r| self.may_read(&r.obligation.marking))
    }

    /// One obligation, if visible.
    pub fn obligation(&self, id: &ObligationId) -> Option<&'a ObligationRecord> {
        self.state
            .obligations()
            .get(id)
            .filter(|r| self.may_read(&r.obligation.marking))
    }

    /// The requests for consultations the viewer may see.
    pub fn requests(&self) -> impl Iterator<Item = &'a ConsultationRequest> + '_ {
        self.state
            .requests()
            .iter()
            .filter(|r| self.may_read(&r.marking))
    }

    /// Every statement as the viewer may read it (see [`Gate::statement`]).
    pub fn statements(&self) -> impl Iterator<Item = StatementRecord> + '_ {
        self.state
            .statements()
            .values()
            .map(|record| self.statement_view(record))
    }

    /// One statement as the viewer may read it: its title, signatories, approvals and versions'
    /// commitments are public; each version holds only the paragraphs the viewer may read, the
    /// others absent by construction (see [`Gate::version`]).
    pub fn statement(&self, id: &StatementId) -> Option<StatementRecord> {
        self.state
            .statements()
            .get(id)
            .map(|record| self.statement_view(record))
    }

    fn statement_view(&self, record: &StatementRecord) -> StatementRecord {
        StatementRecord {
            versions: record.versions.iter().map(|v| self.version(v)).collect(),
            ..record.clone()
        }
    }

    /// A version as the viewer may read it: its public commitments and the paragraphs (with
    /// their openings) the viewer may read; the others are absent, not marked as withheld. The
    /// viewer can check what it holds with [`crate::statement::check_version`].
    pub fn version(&self, version: &Version) -> Version {
        let (paragraphs, openings) = version
            .paragraphs
            .iter()
            .zip(&version.openings)
            .filter(|(p, _)| self.may_read(&p.marking))
            .map(|(p, o)| (p.clone(), *o))
            .unzip();
        Version {
            paragraphs,
            openings,
            ..version.clone()
        }
    }

    /// The paragraphs of a version the viewer may read, in order. Nothing marks where the
    /// others were: how many there are is not the viewer's to know.
    pub fn paragraphs<'v>(&self, version: &'v Version) -> Vec<&'v Paragraph> {
        version
            .paragraphs
            .iter()
            .filter(|p| self.may_read(&p.marking))
            .collect()
    }

    /// The meetings the viewer may see.
    pub fn meetings(&self) -> impl Iterator<Item = &'a Meeting> + '_ {
        self.state
            .meetings()
            .values()
            .filter(|m| self.may_read(&m.marking))
    }

    /// One meeting, if visible.
    pub fn meeting(&self, id: &MeetingId) -> Option<&'a Meeting> {
        self.state
            .meetings()
            .get(id)
            .filter(|m| self.may_read(&m.marking))
    }
}
