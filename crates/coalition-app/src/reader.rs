//! The one way to read: a [`Reader`] holds a coalition's state privately, with the viewer and the
//! time of reading, and answers every question as a view built from what the gate hands out.
//! No front end can reach the state beside the gate.

use coalition_core::classification::Viewer;
use coalition_core::communique::{self, Aggregate, Communique};
use coalition_core::coverage::{Coverage, CoverageQuery, coverage};
use coalition_core::dates::Timestamp;
use coalition_core::disclosure::Gate;
use coalition_core::hash::Hash;
use coalition_core::id::{CoalitionId, CommitmentId, IncidentId, PartyCode, PrincipalId};
use coalition_core::incident::VerificationRule;
use coalition_core::party::{Principal, Seat};
use coalition_core::signature::{PublicKey, approval_message};
use coalition_core::state::State;
use coalition_core::statement::{
    Meeting, MeetingId, PartyStanding, StatementId, StatementRecord, Version, check_version, leaf,
};
use coalition_core::whatif::{WhatIf, what_if};
use coalition_core::witness::{Witness, WitnessPolicy, policy_message};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::error::AppError;
use crate::views::{
    AggregateRow, CommitmentFilter, CommitmentView, DiffLine, ExportedApproval, ExportedMeeting,
    IncidentDetail, IncidentView, InstrumentView, ObligationFilter, ObligationView, ParagraphView,
    PolicyToSign, StandingRow, StatementDiff, StatementExport, StatementRow, StatementShow,
    StatementStanding, SupportRow, SupportSummary, WhatIfView, WitnessPolicyView, WitnessView,
    natural_key,
};

/// Who is reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "who", content = "principal")]
pub enum Who {
    /// Whoever holds the record itself (the CLI on a data directory): sees everything.
    Custodian,
    /// The public: PUBLIC items only.
    Public,
    /// A principal of the coalition: its clearance and releasability apply.
    Principal(PrincipalId),
}

/// Who reads, and at which times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    /// The reader.
    pub who: Who,
    /// Answer from the record as it stood at this recording time (default: all of it).
    pub as_of: Option<Timestamp>,
    /// The moment statuses and deadlines are computed at (default: `as_of`, else now).
    pub at: Option<Timestamp>,
}

impl Reading {
    /// The custodian reading everything, now.
    pub fn custodian() -> Reading {
        Reading::by(Who::Custodian)
    }

    /// `who` reading the whole record, now.
    pub fn by(who: Who) -> Reading {
        Reading {
            who,
            as_of: None,
            at: None,
        }
    }
}

/// What a signer signs to approve a version, and the key the record expects it to be signed
/// with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToSign {
    /// The coalition.
    pub coalition: CoalitionId,
    /// The statement.
    pub statement: StatementId,
    /// The version.
    pub version: u32,
    /// The version's content hash.
    pub content: Hash,
    /// The 32 bytes to sign: SHA-256 of the domain-separated canonical approval (see
    /// docs/record-format.md).
    pub message: Hash,
    /// The key registered for the signer, if the signer was named and has one.
    pub registered_key: Option<PublicKey>,
}

/// A coalition as one reader may see it, at one time of reading.
pub struct Reader {
    coalition: CoalitionId,
    state: Arc<State>,
    viewer: Viewer,
    who: Who,
    at: Timestamp,
}

impl Reader {
    pub(crate) fn new(
        coalition: CoalitionId,
        state: Arc<State>,
        reading: &Reading,
        now: Timestamp,
    ) -> Result<Reader, AppError> {
        let viewer = Reader::viewer(&state, &reading.who)?;
        Ok(Reader {
            coalition,
            // An exercise reads at its simulated clock.
            at: reading
                .at
                .or(reading.as_of)
                .unwrap_or_else(|| state.exercise_clock().map_or(now, |clock| clock.now)),
            state,
            viewer,
            who: reading.who.clone(),
        })
    }

    /// The viewer the gate checks for `who`.
    pub(crate) fn viewer(state: &State, who: &Who) -> Result<Viewer, AppError> {
        Ok(match who {
            Who::Custodian => Viewer::Custodian,
            Who::Public => Viewer::Public,
            Who::Principal(id) => {
                let principal = state
                    .principal(id)
                    .ok_or_else(|| AppError::invalid("as", format!("unknown principal {id}")))?;
                state.viewer_for(principal)
            }
        })
    }

    fn gate(&self) -> Gate<'_> {
        Gate::new(&self.state, &self.viewer)
    }

    /// The coalition read.
    pub fn coalition(&self) -> &CoalitionId {
        &self.coalition
    }

    /// The moment statuses and deadlines are computed at.
    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// Whether the reader is the public.
    pub fn is_public(&self) -> bool {
        self.viewer == Viewer::Public
    }

    /// Who reads: `custodian`, `public` or the principal's id (as exports name their reader).
    pub fn reader_name(&self) -> String {
        match &self.who {
            Who::Custodian => "custodian".into(),
            Who::Public => "public".into(),
            Who::Principal(id) => id.to_string(),
        }
    }

    /// The coalition's name (public).
    pub fn name(&self) -> String {
        self.state
            .coalition()
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    /// The protected state (public).
    pub fn protected(&self) -> Option<PartyCode> {
        self.state.coalition().map(|c| c.protected.clone())
    }

    /// How the coalition verifies incidents (public, as its name is).
    pub fn verification(&self) -> Option<VerificationRule> {
        self.state.coalition().map(|c| c.verification)
    }

    /// The seats the reader may see.
    pub fn members(&self) -> Vec<Seat> {
        self.gate().seats().cloned().collect()
    }

    /// The principals the reader may see.
    pub fn principals(&self) -> Vec<Principal> {
        self.gate().principals().cloned().collect()
    }

    /// The instruments the reader may see, with consent at the time of reading.
    pub fn instruments(&self) -> Vec<InstrumentView> {
        self.gate()
            .instruments()
            .map(|record| InstrumentView::new(record, self.at))
            .collect()
    }

    /// The commitments the reader may see that the filter keeps, in id order.
    pub fn commitments(&self, filter: &CommitmentFilter) -> Vec<CommitmentView> {
        let mut views: Vec<CommitmentView> = self
            .gate()
            .commitments()
            .map(|record| CommitmentView::new(&self.state, record, self.at))
            .filter(|view| filter.keeps(view))
            .collect();
        views.sort_by_cached_key(|v| natural_key(v.commitment.id.as_str()));
        views
    }

    /// Support under the commitments the reader may read that state an amount and that the
    /// filter keeps (`in_force` is ignored: ended commitments are totalled apart), with totals
    /// per donor, category and unit.
    pub fn support(&self, filter: &CommitmentFilter) -> SupportSummary {
        let mut rows: Vec<SupportRow> = self
            .gate()
            .commitments()
            .filter(|record| {
                let c = &record.commitment;
                filter.guarantor.as_ref().is_none_or(|g| &c.guarantor == g)
                    && filter.category.as_ref().is_none_or(|k| &c.category == k)
            })
            .filter_map(|record| SupportRow::new(&self.state, record, self.at))
            .collect();
        rows.sort_by_cached_key(|r| natural_key(r.commitment.as_str()));
        SupportSummary::new(self.at, rows)
    }

    /// One commitment.
    pub fn commitment(&self, id: &CommitmentId) -> Result<CommitmentView, AppError> {
        let record = self
            .gate()
            .commitment(id)
            .ok_or_else(|| AppError::not_found("commitment", id))?;
        Ok(CommitmentView::new(&self.state, record, self.at))
    }

    /// The incidents the reader may see, in id order.
    pub fn incidents(&self) -> Vec<IncidentView> {
        let mut views: Vec<IncidentView> = self.gate().incidents().map(IncidentView::new).collect();
        views.sort_by_cached_key(|v| natural_key(v.incident.id.as_str()));
        views
    }

    /// One incident with the obligations it opened that the reader may see.
    pub fn incident(&self, id: &IncidentId) -> Result<IncidentDetail, AppError> {
        let record = self
            .gate()
            .incident(id)
            .ok_or_else(|| AppError::not_found("incident", id))?;
        Ok(IncidentDetail {
            incident: IncidentView::new(record),
            obligations: self.obligations(&ObligationFilter {
                incident: Some(id.clone()),
                overdue: false,
            }),
        })
    }

    /// The obligations the reader may see that the filter keeps, in id order.
    pub fn obligations(&self, filter: &ObligationFilter) -> Vec<ObligationView> {
        let mut views: Vec<ObligationView> = self
            .gate()
            .obligations()
            .map(|record| ObligationView::new(record, self.at))
            .filter(|view| filter.keeps(view))
            .collect();
        views.sort_by_cached_key(|v| natural_key(v.obligation.id.as_str()));
        views
    }

    /// What an incident would set off, on a copy of the state (nothing is written; only here may
    /// times lie in the future): the obligations and the commitments the reader may read.
    pub fn what_if(&self, query: &WhatIf) -> Result<WhatIfView, AppError> {
        let answer =
            what_if(&self.state, query).map_err(|rejection| AppError::Rejected { rejection })?;
        let gate = self.gate();
        Ok(WhatIfView {
            would_open: answer
                .would_open
                .into_iter()
                .filter(|o| gate.may_read(&o.obligation.marking))
                .collect(),
            not_answering: answer
                .not_answering
                .into_iter()
                .filter(|c| gate.may_read(&c.marking))
                .collect(),
            incident: answer.incident,
            verified_at: answer.verified_at,
            assumed_ceasefire: answer.assumed_ceasefire,
            assumed_ratified: answer.assumed_ratified,
        })
    }

    /// What the protected state (or `protected`) can count on, year by year, from the time of
    /// reading; `assume_ceasefire` asks what if a ceasefire entered into force then.
    pub fn coverage(
        &self,
        protected: Option<PartyCode>,
        horizon_years: u16,
        assume_ceasefire: Option<Timestamp>,
    ) -> Result<Coverage, AppError> {
        let protected = protected
            .or_else(|| self.protected())
            .ok_or_else(|| AppError::invalid("protected", "coalition not founded"))?;
        let query = CoverageQuery {
            protected,
            at: self.at,
            horizon_years,
            assume_ceasefire,
        };
        Ok(coverage(&self.gate(), &query))
    }

    /// Every statement (titles, signatories and approvals are public; paragraphs are not).
    pub fn statements(&self) -> Vec<StatementRow> {
        self.gate()
            .statements()
            .map(|s| StatementRow {
                id: s.id.clone(),
                title: s.title.clone(),
                status: s.status,
                rule: s.rule,
                latest_version: s.current().map(|v| v.number),
                signatories: s.signatories.clone(),
                approvals_of_latest: s.current_approvals(),
            })
            .collect()
    }

    fn statement_record(&self, id: &StatementId) -> Result<StatementRecord, AppError> {
        self.gate()
            .statement(id)
            .ok_or_else(|| AppError::not_found("statement", id))
    }

    fn version(record: &StatementRecord, number: Option<u32>) -> Result<&Version, AppError> {
        match number {
            Some(n) => record.version(n).ok_or_else(|| {
                AppError::invalid(
                    "version",
                    format!(
                        "statement {} has no version {n} (latest is {})",
                        record.id,
                        record.versions.len()
                    ),
                )
            }),
            None => record.current().ok_or_else(|| {
                AppError::invalid("version", format!("statement {} has no version", record.id))
            }),
        }
    }

    /// A version (default: the latest) as the reader may read it: the paragraphs it may read,
    /// checked against the content hash the approvals sign; nothing about the others.
    pub fn statement(
        &self,
        id: &StatementId,
        version: Option<u32>,
    ) -> Result<StatementShow, AppError> {
        let record = self.statement_record(id)?;
        let version = Reader::version(&record, version)?;
        let seen = self.gate().version(version);
        let paragraphs = seen
            .paragraphs
            .iter()
            .zip(&seen.openings)
            .enumerate()
            .map(|(i, (p, opening))| ParagraphView {
                number: i + 1,
                marking: p.marking.clone(),
                text: p.text.clone(),
                leaf: leaf(p, opening),
            })
            .collect();
        Ok(StatementShow {
            id: record.id.clone(),
            title: record.title.clone(),
            version: seen.number,
            content: seen.content,
            leaves: seen.leaves.len(),
            verified: check_version(&seen).is_ok(),
            status: record.status,
            paragraphs,
        })
    }

    /// A version (default: the latest) as the reader may export it: only the paragraphs it may
    /// read, the approvals of that version and the meeting they were given at if the reader may
    /// see it; the content hash only in the custodian's (complete) export.
    pub fn statement_export(
        &self,
        id: &StatementId,
        version: Option<u32>,
    ) -> Result<StatementExport, AppError> {
        let record = self.statement_record(id)?;
        let version = Reader::version(&record, version)?;
        let gate = self.gate();
        let mut approvals: Vec<&coalition_core::statement::Approval> = record
            .approvals
            .values()
            .filter(|a| a.version == version.number)
            .collect();
        approvals.sort_by_key(|a| (a.at, a.party.clone()));
        let meeting = approvals
            .iter()
            .filter_map(|a| gate.meeting(a.meeting.as_ref()?))
            .next()
            .map(|m| ExportedMeeting {
                title: m.title.clone(),
                place: m.place.clone(),
                day: m.day,
            });
        Ok(StatementExport {
            coalition: self.coalition.clone(),
            coalition_name: self.name(),
            id: record.id.clone(),
            title: record.title.clone(),
            version: version.number,
            tabled: record
                .versions
                .iter()
                .take_while(|v| v.number <= version.number)
                .map(|v| v.at)
                .collect(),
            status: record.status,
            rule: record.rule,
            signatories: record.signatories.clone(),
            approvals: approvals
                .iter()
                .map(|a| ExportedApproval {
                    party: a.party.clone(),
                    at: a.at,
                })
                .collect(),
            meeting,
            paragraphs: gate.paragraphs(version).into_iter().cloned().collect(),
            content: (self.viewer == Viewer::Custodian).then_some(version.content),
            reader: self.reader_name(),
        })
    }

    /// Two versions compared paragraph by paragraph: the paragraphs the reader may read.
    pub fn statement_diff(
        &self,
        id: &StatementId,
        from: u32,
        to: u32,
    ) -> Result<StatementDiff, AppError> {
        let record = self.statement_record(id)?;
        let version = |field: &str, n: u32| {
            record.version(n).ok_or_else(|| {
                AppError::invalid(field, format!("statement {id} has no version {n}"))
            })
        };
        let text = |v| -> Vec<String> {
            self.gate()
                .paragraphs(v)
                .into_iter()
                .map(|p| format!("({}) {}", p.marking, p.text))
                .collect()
        };
        let (old, new) = (text(version("from", from)?), text(version("to", to)?));
        let line = |op: &str, old: usize, new: usize, paragraph: &str| DiffLine {
            op: op.to_owned(),
            old,
            new,
            paragraph: paragraph.to_owned(),
        };
        let mut changes = Vec::new();
        for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
            let (old_index, old_len, new_index, new_len) = match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    for k in 0..len {
                        let (o, n) = (old_index + k, new_index + k);
                        changes.push(line("=", o + 1, n + 1, &new[n]));
                    }
                    continue;
                }
                DiffOp::Delete {
                    old_index, old_len, ..
                } => (old_index, old_len, 0, 0),
                DiffOp::Insert {
                    new_index, new_len, ..
                } => (0, 0, new_index, new_len),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => (old_index, old_len, new_index, new_len),
            };
            for (o, text) in old.iter().enumerate().skip(old_index).take(old_len) {
                changes.push(line("-", o + 1, 0, text));
            }
            for (n, text) in new.iter().enumerate().skip(new_index).take(new_len) {
                changes.push(line("+", 0, n + 1, text));
            }
        }
        Ok(StatementDiff {
            statement: id.clone(),
            from,
            to,
            changes,
        })
    }

    /// Where every required party stands on the latest version, and where each approval was
    /// given.
    pub fn statement_standing(&self, id: &StatementId) -> Result<StatementStanding, AppError> {
        let record = self.statement_record(id)?;
        let parties = record
            .standings()
            .into_iter()
            .map(|(party, standing)| StandingRow {
                meeting: self.where_given(&standing),
                party,
                standing,
            })
            .collect();
        let missing = record
            .standings()
            .into_iter()
            .filter(|(_, standing)| !matches!(standing, PartyStanding::Approved { .. }))
            .map(|(party, _)| party)
            .collect();
        Ok(StatementStanding {
            missing,
            statement: record.id.clone(),
            title: record.title.clone(),
            status: record.status,
            rule: record.rule,
            latest_version: record.current().map(|v| v.number),
            parties,
        })
    }

    /// The meeting (title, place, day) where an approval was given, if visible.
    fn where_given(&self, standing: &PartyStanding) -> Option<String> {
        let PartyStanding::Approved { approval } = standing else {
            return None;
        };
        let meeting = self.gate().meeting(approval.meeting.as_ref()?)?;
        Some(format!(
            "{} ({}, {})",
            meeting.title, meeting.place, meeting.day
        ))
    }

    /// What `signer` must sign to approve a version, with the key the record expects.
    pub fn to_sign(
        &self,
        id: &StatementId,
        version: u32,
        signer: &PrincipalId,
    ) -> Result<ToSign, AppError> {
        let record = self.statement_record(id)?;
        let latest = record.current().map_or(0, |v| v.number);
        let signed = record.version(version).ok_or_else(|| {
            AppError::invalid(
                "version",
                format!("statement {id} has no version {version} (latest is {latest})"),
            )
        })?;
        Ok(ToSign {
            coalition: self.coalition.clone(),
            statement: id.clone(),
            version,
            content: signed.content,
            message: approval_message(&self.coalition, id.as_str(), version, &signed.content),
            registered_key: self.gate().principal(signer).and_then(|p| p.public_key),
        })
    }

    /// The witness policy in force (PUBLIC: every verifier needs it).
    pub fn witness_policy(&self) -> WitnessPolicyView {
        let current = self.state.witness_policy();
        WitnessPolicyView {
            coalition: self.coalition.clone(),
            version: current.map(|p| p.version),
            quorum: current.map_or(0, |p| p.policy.quorum),
            witnesses: current
                .map(|p| p.policy.witnesses.iter().map(witness_view).collect())
                .unwrap_or_default(),
        }
    }

    /// What a leader signs to approve `policy` as the next witness policy.
    pub fn policy_to_sign(&self, policy: &WitnessPolicy) -> PolicyToSign {
        let version = self.state.witness_policy().map_or(1, |p| p.version + 1);
        let content = policy.content();
        PolicyToSign {
            coalition: self.coalition.clone(),
            version,
            content,
            message: policy_message(&self.coalition, version, &content),
        }
    }

    /// The meetings the reader may see.
    pub fn meetings(&self) -> Vec<Meeting> {
        self.gate().meetings().cloned().collect()
    }

    /// One meeting, if the reader may see it.
    pub fn meeting(&self, id: &MeetingId) -> Option<Meeting> {
        self.gate().meeting(id).cloned()
    }

    /// The standard figures the reader may read (its inputs' marking allows it) or that were
    /// released to the public; of a released figure whose inputs it may not read, only the
    /// released value, never the marking those inputs give it.
    pub fn aggregates(&self) -> Vec<AggregateRow> {
        let gate = self.gate();
        Aggregate::standard()
            .into_iter()
            .filter_map(|aggregate| {
                let computed = communique::compute(&self.state, &aggregate);
                let released = self
                    .state
                    .releases()
                    .iter()
                    .rev()
                    .find(|r| r.aggregate == aggregate);
                let readable = gate.may_read(&computed.marking);
                if !readable && released.is_none() {
                    return None;
                }
                Some(AggregateRow {
                    aggregate: aggregate.to_string(),
                    description: aggregate.describe(),
                    value: readable.then_some(computed.value),
                    of_members: readable.then_some(computed.of_members),
                    marking: readable.then(|| computed.marking.to_string()),
                    released_value: released.map(|r| r.value),
                })
            })
            .collect()
    }

    /// What may be published (for anyone: it is composed as the public reads).
    pub fn communique(&self, meeting: Option<&MeetingId>) -> Result<Communique, AppError> {
        if let Some(id) = meeting {
            Gate::new(&self.state, &Viewer::Public)
                .meeting(id)
                .ok_or_else(|| AppError::invalid("meeting", format!("unknown meeting {id}")))?;
        }
        Ok(communique::communique(&self.state, meeting))
    }
}

/// A witness as the view shows it, its key in the C2SP verifier-key form.
pub(crate) fn witness_view(witness: &Witness) -> WitnessView {
    let key = cosigner_key(witness)
        .map(|k| k.to_string())
        .unwrap_or_else(|_| witness.key.to_string());
    WitnessView {
        name: witness.name.clone(),
        party: witness.party.clone(),
        key,
        url: witness.url.clone(),
    }
}

/// A recorded witness as a cosignature verifier key (its name was checked when recorded).
pub(crate) fn cosigner_key(
    witness: &Witness,
) -> Result<coalition_ledger::cosignature::CosignerKey, AppError> {
    let key =
        ed25519_dalek::VerifyingKey::from_bytes(&witness.key.0).map_err(AppError::internal)?;
    coalition_ledger::cosignature::CosignerKey::new(&witness.name, key).map_err(AppError::internal)
}
