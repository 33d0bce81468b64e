//! Statements: drafting and revision, signed approvals, withdrawal, objection under a silence
//! procedure, adoption, and the meetings where approvals are given.

use super::rules::{Rules, duplicate, invalid, not_authorised, wrong_state};
use crate::dates::Timestamp;
use crate::event::Event;
use crate::id::PartyCode;
use crate::party::PrincipalRole;
use crate::rejection::Rejection;
use crate::signature::{SignatureBytes, approval_message};
use crate::statement::{
    AdoptionRule, Approval, Meeting, MeetingId, Paragraph, Seed, StatementId, StatementRecord,
    table,
};

impl Rules<'_> {
    fn statement(&self, id: &StatementId) -> Result<&StatementRecord, Rejection> {
        self.state
            .statements()
            .get(id)
            .ok_or_else(|| Rejection::UnknownStatement(id.clone()))
    }

    fn open_statement(&self, record: &StatementRecord) -> Result<(), Rejection> {
        if record.is_adopted() {
            Err(Rejection::Adopted(record.id.clone()))
        } else {
            Ok(())
        }
    }

    /// An open statement under a silence procedure, with the procedure's deadline.
    fn under_silence(
        &self,
        statement: &StatementId,
    ) -> Result<(&StatementRecord, Timestamp), Rejection> {
        let record = self.statement(statement)?;
        self.open_statement(record)?;
        match record.rule {
            AdoptionRule::Silence { deadline } => Ok((record, deadline)),
            AdoptionRule::Unanimity | AdoptionRule::Quorum { .. } => Err(invalid(
                "statement",
                format!("{statement} is not under a silence procedure"),
            )),
        }
    }

    fn leader_of_signatory(&self, record: &StatementRecord) -> Result<(), Rejection> {
        if self.actor.role != PrincipalRole::Leader {
            return Err(not_authorised(
                self.actor,
                "act on a statement",
                format!(
                    "only leaders approve; {} is {}",
                    self.actor.id, self.actor.role
                ),
            ));
        }
        if !record.signatories.contains(&self.actor.party) {
            return Err(Rejection::NotASignatory {
                statement: record.id.clone(),
                party: self.actor.party.clone(),
            });
        }
        Ok(())
    }

    pub(super) fn draft_statement(
        &self,
        id: &StatementId,
        title: &str,
        signatories: &[PartyCode],
        rule: AdoptionRule,
        (paragraphs, seed): (&[Paragraph], &Seed),
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("table a draft statement")?;
        if self.state.statements().contains_key(id) {
            return Err(duplicate("statement", id));
        }
        if title.trim().is_empty() {
            return Err(invalid("title", "a statement needs a title"));
        }
        if signatories.is_empty() {
            return Err(invalid(
                "signatories",
                "name at least one party whose leader must approve",
            ));
        }
        let mut seen = Vec::new();
        for party in signatories {
            if seen.contains(&party) {
                return Err(invalid("signatories", format!("{party} is listed twice")));
            }
            seen.push(party);
            match self.state.seat(party) {
                None => return Err(Rejection::NoSeat(party.clone())),
                Some(seat) if !seat.role.is_inside() => {
                    return Err(Rejection::WrongSeat {
                        party: party.clone(),
                        actual: seat.role,
                        expected: "a seat inside the coalition",
                    });
                }
                Some(_) => {}
            }
        }
        if let AdoptionRule::Quorum { k } = rule
            && (k == 0 || usize::from(k) > signatories.len())
        {
            return Err(invalid(
                "quorum",
                format!("expected 1 to {}, found {k}", signatories.len()),
            ));
        }
        self.check_paragraphs(paragraphs)?;
        self.within_record(format_args!("the draft of {id}"), at, false)?;
        let mut events = vec![Event::StatementDrafted {
            statement: id.clone(),
            title: title.to_owned(),
            signatories: signatories.to_vec(),
            rule,
            at,
        }];
        events.extend(tabled(id, 1, paragraphs, seed, at));
        Ok(events)
    }

    pub(super) fn approve(
        &self,
        id: &StatementId,
        version: u32,
        signature: SignatureBytes,
        meeting: Option<&MeetingId>,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.statement(id)?;
        self.open_statement(record)?;
        let current = record.current().map_or(0, |v| v.number);
        let approved = record
            .version(version)
            .ok_or_else(|| Rejection::UnknownVersion {
                statement: id.clone(),
                version,
                latest: current,
            })?;
        if version != current {
            return Err(Rejection::StaleVersion {
                statement: id.clone(),
                approved: version,
                current,
            });
        }
        self.not_before(
            format_args!("the approval of {id} version {version}"),
            at,
            "the version being tabled",
            approved.at,
        )?;
        self.leader_of_signatory(record)?;
        let key = self
            .actor
            .public_key
            .ok_or_else(|| Rejection::NoKey(self.actor.id.clone()))?;
        let coalition = self
            .state
            .coalition()
            .map(|c| c.id.clone())
            .ok_or(Rejection::NotFounded)?;
        let message = approval_message(&coalition, id.as_str(), version, &approved.content);
        if !key.verify_strict(message.as_bytes(), &signature) {
            return Err(Rejection::BadSignature {
                principal: self.actor.id.clone(),
                statement: id.clone(),
                version,
            });
        }
        if record
            .approvals
            .get(&self.actor.party)
            .is_some_and(|a| a.version == version)
        {
            return Err(wrong_state(
                format!("{id} version {version}"),
                format!("already approved by {}", self.actor.party),
                "a party approves a version once",
            ));
        }
        if let Some(meeting) = meeting
            && !self.state.meetings().contains_key(meeting)
        {
            return Err(Rejection::UnknownMeeting(meeting.clone()));
        }
        let approval = Approval {
            principal: self.actor.id.clone(),
            party: self.actor.party.clone(),
            version,
            content: approved.content,
            signature,
            meeting: meeting.cloned(),
            at,
        };
        let mut after = record.clone();
        after
            .approvals
            .insert(approval.party.clone(), approval.clone());
        let mut events = vec![Event::VersionApproved {
            statement: id.clone(),
            approval,
        }];
        if let Some(adopted_at) = after.approvals_met_at() {
            events.push(Event::StatementAdopted {
                statement: id.clone(),
                version,
                at: adopted_at,
            });
        }
        Ok(events)
    }

    pub(super) fn revise_statement(
        &self,
        statement: &StatementId,
        (paragraphs, seed): (&[Paragraph], &Seed),
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("table a new version")?;
        let record = self.statement(statement)?;
        self.open_statement(record)?;
        self.check_paragraphs(paragraphs)?;
        let current = record.current().map_or(0, |v| v.number);
        if record.current().is_some_and(|v| v.paragraphs == paragraphs) {
            return Err(invalid(
                "paragraphs",
                format!("identical to version {current}"),
            ));
        }
        if let Some(previous) = record.current() {
            self.not_before(
                format_args!("version {} of {statement}", current + 1),
                at,
                format_args!("version {current}"),
                previous.at,
            )?;
        }
        Ok(tabled(statement, current + 1, paragraphs, seed, at))
    }

    pub(super) fn withdraw_approval(
        &self,
        statement: &StatementId,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let record = self.statement(statement)?;
        self.open_statement(record)?;
        let approval = record.approvals.get(&self.actor.party).ok_or_else(|| {
            wrong_state(
                format!("{statement} for {}", self.actor.party),
                "not approved",
                "there is no approval to withdraw",
            )
        })?;
        if self.actor.role != PrincipalRole::Leader {
            return Err(not_authorised(
                self.actor,
                "withdraw an approval",
                "only the party's leader may".into(),
            ));
        }
        self.not_before(
            format_args!(
                "the withdrawal of {}'s approval of {statement}",
                self.actor.party
            ),
            at,
            "the approval",
            approval.at,
        )?;
        Ok(vec![Event::ApprovalWithdrawn {
            statement: statement.clone(),
            party: self.actor.party.clone(),
            version: approval.version,
            at,
        }])
    }

    pub(super) fn object_to_statement(
        &self,
        statement: &StatementId,
        at: Timestamp,
    ) -> Result<Vec<Event>, Rejection> {
        let (record, deadline) = self.under_silence(statement)?;
        self.leader_of_signatory(record)?;
        if at >= deadline {
            return Err(wrong_state(
                format!("the silence procedure on {statement}"),
                "past its deadline",
                "objections must come before it",
            ));
        }
        if let Some(current) = record.current() {
            self.not_before(
                format_args!("{}'s objection to {statement}", self.actor.party),
                at,
                format_args!("version {}", current.number),
                current.at,
            )?;
        }
        Ok(vec![Event::ObjectionRaised {
            statement: statement.clone(),
            party: self.actor.party.clone(),
            at,
        }])
    }

    /// Silence held: the statement is adopted as of its deadline, whenever the conclusion is
    /// recorded.
    pub(super) fn conclude_silence(
        &self,
        statement: &StatementId,
    ) -> Result<Vec<Event>, Rejection> {
        let (record, deadline) = self.under_silence(statement)?;
        if self.now < deadline {
            return Err(wrong_state(
                format!("the silence procedure on {statement}"),
                format!("open until {deadline}"),
                "it concludes at its deadline",
            ));
        }
        if !record.objections.is_empty() {
            let parties: Vec<String> = record.objections.iter().map(ToString::to_string).collect();
            return Err(wrong_state(
                format!("the silence procedure on {statement}"),
                format!("broken by {}", parties.join(", ")),
                "it cannot conclude in adoption",
            ));
        }
        let version = record.current().map_or(0, |v| v.number);
        Ok(vec![Event::StatementAdopted {
            statement: statement.clone(),
            version,
            at: deadline,
        }])
    }

    pub(super) fn record_meeting(&self, meeting: &Meeting) -> Result<Vec<Event>, Rejection> {
        self.secretariat("record a meeting")?;
        if let Some(coalition) = self.state.coalition()
            && meeting.day < coalition.founded_at.day()
        {
            return Err(Rejection::Chronology {
                fact: format!("meeting {}", meeting.id),
                at: meeting.day.start(),
                earlier: format!("the founding of {}", coalition.id),
                since: coalition.founded_at,
            });
        }
        if self.state.meetings().contains_key(&meeting.id) {
            return Err(duplicate("meeting", &meeting.id));
        }
        self.state
            .seat(&meeting.host)
            .ok_or_else(|| Rejection::NoSeat(meeting.host.clone()))?;
        for (principal, _) in &meeting.attendees {
            self.state
                .principal(principal)
                .ok_or_else(|| Rejection::UnknownPrincipal(principal.clone()))?;
        }
        for statement in &meeting.agenda {
            self.statement(statement)?;
        }
        Ok(vec![Event::MeetingRecorded {
            meeting: meeting.clone(),
        }])
    }
}

/// A version's events, each about one marking: the PUBLIC `version_tabled` with its
/// commitments, then one `paragraph_tabled` per paragraph at the paragraph's own marking.
fn tabled(
    statement: &StatementId,
    version: u32,
    paragraphs: &[Paragraph],
    seed: &Seed,
    at: Timestamp,
) -> Vec<Event> {
    let commitments = table(paragraphs, seed);
    let mut events = vec![Event::VersionTabled {
        statement: statement.clone(),
        version,
        leaves: commitments.leaves,
        content: commitments.content,
        at,
    }];
    events.extend(
        paragraphs
            .iter()
            .zip(commitments.openings)
            .map(|(paragraph, opening)| Event::ParagraphTabled {
                statement: statement.clone(),
                version,
                paragraph: paragraph.clone(),
                opening,
            }),
    );
    events
}

impl Rules<'_> {
    /// A version needs paragraphs, each with text, at markings the secretariat tabling it may
    /// read.
    fn check_paragraphs(&self, paragraphs: &[Paragraph]) -> Result<(), Rejection> {
        if paragraphs.is_empty() {
            return Err(invalid(
                "paragraphs",
                "a version needs at least one paragraph",
            ));
        }
        if let Some(index) = paragraphs.iter().position(|p| p.text.trim().is_empty()) {
            return Err(invalid(
                "paragraphs",
                format!("paragraph {} has no text", index + 1),
            ));
        }
        for paragraph in paragraphs {
            self.marking_given("paragraphs", &paragraph.marking)?;
        }
        Ok(())
    }
}
