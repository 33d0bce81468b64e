//! Text in, commands out: scenario files and draft statements. The functions take a name (for
//! messages) and the text; reading files is the front end's business, so the same parsers serve
//! a file on a laptop and a body posted to the server. Every error names its place.

mod draft;
mod policy;
mod scenario;

use std::fmt;
use std::ops::Range;

pub use draft::parse_draft;
pub use policy::{MAX_POLICY_BYTES, parse_policy};

/// The largest scenario text accepted (4 MiB): a scenario describes a coalition, not its
/// archive, and every later read replays what it records.
pub const MAX_SCENARIO_BYTES: usize = 4 << 20;

/// The largest draft statement text accepted (1 MiB).
pub const MAX_DRAFT_BYTES: usize = 1 << 20;

/// Refuses a text longer than `limit`, naming it.
pub fn check_size(file: &str, text: &str, limit: usize) -> Result<(), SourceError> {
    if text.len() > limit {
        return Err(SourceError::whole(
            file,
            format!("{} bytes; at most {} bytes are accepted", text.len(), limit),
        ));
    }
    Ok(())
}
pub use scenario::{Scenario, parse_scenario};

/// A problem in a text, with where it is: `file:line:column: message` (line and column when
/// known).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SourceError {
    /// The file's name (or the request field the text came from).
    pub file: String,
    /// The line, from 1.
    pub line: Option<usize>,
    /// The column, from 1.
    pub column: Option<usize>,
    /// What was wrong and what was expected.
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl SourceError {
    /// A problem at a byte span of `text` (the start of the file without one).
    pub fn at(
        file: &str,
        text: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> SourceError {
        let (line, column) = span.map_or((1, 1), |span| position(text, span.start));
        SourceError {
            file: file.to_owned(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// A problem on a line.
    pub fn line(file: &str, line: usize, message: impl Into<String>) -> SourceError {
        SourceError {
            file: file.to_owned(),
            line: Some(line),
            column: None,
            message: message.into(),
        }
    }

    /// A problem with the text as a whole.
    pub fn whole(file: &str, message: impl Into<String>) -> SourceError {
        SourceError {
            file: file.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

/// Line and column (1-based) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |tail| tail.chars().count())
        + 1;
    (line, column)
}

use std::collections::BTreeMap;
use std::sync::Arc;

use coalition_core::Command;
use coalition_core::party::SeatRole;
use coalition_core::state::State;
use coalition_ledger::Head;

use crate::app::App;
use crate::error::AppError;
use crate::keys;
use crate::views::{DemoApproval, ImportSummary};

impl App {
    /// Records a scenario as one new coalition, in one batch, with a fresh log signing key
    /// registered at the end. `file` is only used in messages; a refused command is reported at
    /// its place in the text and nothing is written.
    pub async fn import(&self, file: &str, text: &str) -> Result<ImportSummary, AppError> {
        let (state, head, recorded) = self.import_scenario(file, text).await?;
        summarise(&state, head, recorded, Vec::new(), self.now())
    }

    pub(crate) async fn import_scenario(
        &self,
        file: &str,
        text: &str,
    ) -> Result<(Arc<State>, Head, usize), AppError> {
        check_size(file, text, MAX_SCENARIO_BYTES)?;
        let scenario = parse_scenario(file, text)?;
        let coalition = &scenario.coalition;
        if coalition_ledger::audience::is_audience_id(coalition) {
            return Err(SourceError::whole(
                file,
                format!(
                    "{coalition}: ids containing {} name the logs derived for each audience; choose another",
                    coalition_ledger::audience::INFIX
                ),
            )
            .into());
        }
        if self.exists(coalition).await? {
            let hint = if coalition.as_str() == crate::demo::DEMO_COALITION {
                " (coalition demo --reset starts it again)"
            } else {
                ""
            };
            return Err(SourceError::whole(
                file,
                format!("coalition {coalition} already exists in this data directory{hint}"),
            )
            .into());
        }
        // The record keeper's key that signs this coalition's checkpoints. A key left by a
        // coalition that no longer exists signs nothing anyone holds, so it is replaced.
        let log_key = keys::generate();
        self.log_keys.replace(coalition, &log_key)?;
        let mut commands: Vec<Command> = scenario
            .commands
            .iter()
            .map(|(command, _)| command.clone())
            .collect();
        commands.push(Command::RegisterLogKey {
            name: coalition_ledger::bundle::origin(coalition),
            key: keys::public_key(&log_key).map_err(AppError::internal)?,
        });
        let executed = self
            .ledger()?
            .execute(coalition, &scenario.recorded_by, self.now(), &commands)
            .await;
        let receipt = match executed {
            Ok(receipt) => receipt,
            Err(err) => {
                self.log_keys.remove(coalition)?;
                return Err(match err {
                    coalition_ledger::LedgerError::Rejected { index, rejection } => {
                        let span = scenario.commands.get(index).map(|(_, span)| span.clone());
                        SourceError::at(file, text, span, format!("refused: {rejection}")).into()
                    }
                    other => other.into(),
                });
            }
        };
        let state = self.current(coalition).await?;
        Ok((state, receipt.head, receipt.entries.len()))
    }
}

/// The summary an import (or the demo) returns.
pub(crate) fn summarise(
    state: &State,
    head: Head,
    recorded: usize,
    approvals: Vec<DemoApproval>,
    now: coalition_core::dates::Timestamp,
) -> Result<ImportSummary, AppError> {
    let info = state
        .coalition()
        .ok_or_else(|| AppError::internal("imported coalition has no founding event"))?;
    let seats = state.seats().values();
    let count_role = |role: SeatRole| seats.clone().filter(|s| s.role == role).count();
    let members = || seats.clone().filter(|s| s.role == SeatRole::Member);
    let mut by_status = BTreeMap::new();
    for record in state.commitments().values() {
        *by_status
            .entry(state.commitment_status(record, now))
            .or_insert(0usize) += 1;
    }
    Ok(ImportSummary {
        coalition: info.id.clone(),
        name: info.name.clone(),
        protected: info.protected.clone(),
        events_recorded: recorded,
        head: head.hash,
        events: head.seq,
        members: count_role(SeatRole::Member),
        member_organisations: members().filter(|s| s.party.is_organisation()).count(),
        undisclosed_members: members().filter(|s| !s.disclosed).count(),
        partners: count_role(SeatRole::Partner),
        adversaries: count_role(SeatRole::Adversary),
        principals: state.principals().len(),
        instruments: state.instruments().len(),
        commitments: state.commitments().len(),
        commitments_by_status: by_status,
        ceasefire_recorded: state.first_ceasefire().is_some(),
        verification: info.verification.describe(),
        statements: approvals,
    })
}
