//! How much a command may carry. Every fact enters the permanent record and every later replay
//! reads it again, so free text and lists are bounded per field: one careless paste must not
//! weigh on the record forever. The limits are documented in docs/scenario-format.md.

use crate::command::{Command, NewCommitment, NewIncident};
use crate::statement::Paragraph;

/// Names, titles, places, locations, units, evidence references: one line.
pub const LINE: usize = 300;
/// Descriptions, reasons, reports, notes, scopes: a few paragraphs.
pub const TEXT: usize = 4_000;
/// One paragraph of a statement.
pub const PARAGRAPH: usize = 20_000;
/// Paragraphs in one version of a statement.
pub const PARAGRAPHS: usize = 500;
/// Items in a list (evidence references, parties asked, signatories).
pub const ITEMS: usize = 100;
/// The largest quantity (2^53 − 1): the record's canonical JSON (RFC 8785) holds integers exactly
/// only up to there.
pub const QUANTITY: u64 = (1 << 53) - 1;

/// A bounded field that is over its bound: the field and what was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverLimit {
    /// The field, as the command names it.
    pub field: &'static str,
    /// What it holds and what it may hold.
    pub problem: String,
}

/// The first field of a command over its limit, if any.
pub fn check(command: &Command) -> Result<(), OverLimit> {
    // (field, position in its list if it is one of many, text, limit)
    let mut texts: Vec<(&'static str, Option<usize>, &str, usize)> = Vec::new();
    let mut lists: Vec<(&'static str, usize, usize)> = Vec::new();
    let mut quantity = None;
    match command {
        Command::FoundCoalition { name, founder, .. } => {
            texts.push(("name", None, name, LINE));
            texts.push(("founder.name", None, &founder.name, LINE));
        }
        Command::DefineCategory { description, .. } => {
            texts.push(("description", None, description, TEXT));
        }
        Command::GrantSeat(seat) => texts.push(("note", None, &seat.note, TEXT)),
        Command::RegisterPrincipal(principal) => texts.push(("name", None, &principal.name, LINE)),
        Command::RecordInstrument(instrument) => {
            texts.push(("title", None, &instrument.title, LINE));
            texts.push(("source", None, &instrument.source, TEXT));
        }
        Command::AddCommitment(NewCommitment { commitment, .. }) => {
            texts.push(("what", None, &commitment.what, TEXT));
            texts.push(("scope", None, &commitment.trigger.scope, TEXT));
            if let Some(amount) = &commitment.amount {
                texts.push(("unit", None, &amount.unit, LINE));
                quantity = Some(amount.quantity);
            }
        }
        Command::WithdrawCommitment { reason, .. }
        | Command::RejectIncident { reason, .. }
        | Command::DisputeObligation { reason, .. } => texts.push(("reason", None, reason, TEXT)),
        Command::ReportIncident(NewIncident { incident, .. }) => {
            texts.push(("location", None, &incident.location, LINE));
            texts.push(("description", None, &incident.description, TEXT));
            lists.push(("evidence", incident.evidence.len(), ITEMS));
            texts.extend(
                incident
                    .evidence
                    .iter()
                    .enumerate()
                    .map(|(i, reference)| ("evidence", Some(i + 1), reference.as_str(), LINE)),
            );
        }
        Command::RecordSupport { quantity: q, .. } => quantity = Some(*q),
        Command::RequestConsultations { with, .. } => lists.push(("with", with.len(), ITEMS)),
        Command::FulfilObligation { report, .. } => texts.push(("report", None, report, TEXT)),
        Command::WaiveObligation { note, .. } => texts.push(("note", None, note, TEXT)),
        Command::RegisterLogKey { name, .. } => texts.push(("name", None, name, LINE)),
        Command::IssueToken { label, .. } => texts.push(("label", None, label, LINE)),
        Command::SetWitnessPolicy { policy, approvals } => {
            lists.push(("witnesses", policy.witnesses.len(), ITEMS));
            lists.push(("approvals", approvals.len(), ITEMS));
            texts.extend(
                policy
                    .witnesses
                    .iter()
                    .enumerate()
                    .map(|(i, w)| ("witnesses", Some(i + 1), w.name.as_str(), LINE)),
            );
        }
        Command::DraftStatement {
            title,
            signatories,
            paragraphs,
            ..
        } => {
            texts.push(("title", None, title, LINE));
            lists.push(("signatories", signatories.len(), ITEMS));
            lists.push(("paragraphs", paragraphs.len(), PARAGRAPHS));
            texts.extend(numbered(paragraphs));
        }
        Command::ReviseStatement { paragraphs, .. } => {
            lists.push(("paragraphs", paragraphs.len(), PARAGRAPHS));
            texts.extend(numbered(paragraphs));
        }
        Command::RecordMeeting(meeting) => {
            texts.push(("title", None, &meeting.title, LINE));
            texts.push(("place", None, &meeting.place, LINE));
        }
        Command::EndSeat { .. }
        | Command::SignInstrument { .. }
        | Command::RecordRatification { .. }
        | Command::ExtendInstrument { .. }
        | Command::TerminateInstrument { .. }
        | Command::DeclareCeasefire { .. }
        | Command::EndCeasefire { .. }
        | Command::ConfirmIncident { .. }
        | Command::TriggerProvisionally { .. }
        | Command::MergeIncident { .. }
        | Command::CorrectIncident { .. }
        | Command::RegisterKey { .. }
        | Command::RevokeToken { .. }
        | Command::ApproveVersion { .. }
        | Command::WithdrawApproval { .. }
        | Command::ObjectToStatement { .. }
        | Command::ConcludeSilence { .. }
        | Command::SetExerciseClock { .. }
        | Command::EndExercise
        | Command::ReleaseAggregate { .. } => {}
    }
    if let Some(quantity) = quantity.filter(|q| *q > QUANTITY) {
        return Err(OverLimit {
            field: "quantity",
            problem: format!(
                "{quantity} is more than the record holds exactly (at most {QUANTITY})"
            ),
        });
    }
    if let Some((field, len, max)) = lists.into_iter().find(|(_, len, max)| len > max) {
        return Err(OverLimit {
            field,
            problem: format!("{len} items, at most {max}"),
        });
    }
    match texts
        .into_iter()
        .map(|(field, position, text, max)| (field, position, text.chars().count(), max))
        .find(|(_, _, chars, max)| chars > max)
    {
        Some((field, position, chars, max)) => Err(OverLimit {
            field,
            problem: match position {
                Some(n) => format!("number {n} has {chars} characters, at most {max}"),
                None => format!("{chars} characters, at most {max}"),
            },
        }),
        None => Ok(()),
    }
}

fn numbered(
    paragraphs: &[Paragraph],
) -> impl Iterator<Item = (&'static str, Option<usize>, &str, usize)> {
    paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| ("paragraph", Some(i + 1), p.text.as_str(), PARAGRAPH))
}
