//! The application: a record opened from a [`Config`], and every call a front end makes on it.
//! What differs between a laptop and a server node (where log keys and trusted checkpoints are
//! kept, the clock) comes in as trait objects.

use std::collections::BTreeMap;
use std::sync::Arc;

use coalition_core::dates::Timestamp;
use coalition_core::disclosure::Gate;
use coalition_core::id::{CoalitionId, PrincipalId};
use coalition_core::state::State;
use coalition_core::{Command, Event};
use coalition_ledger::audience::{Audience, extend};
use coalition_ledger::store::read_all;
use coalition_ledger::{
    Claim, Claimed, EventStore, Hash, Head, Ledger, SealedEvent, StoreError, VerifiedEntry,
};
use coalition_store::OpenOptions;

use crate::clock::Clock;
use crate::error::AppError;
use crate::keys::LogKeys;
use crate::reader::{Reader, Reading, Who};
use crate::request::Request;
use crate::tokens::TokenStore;
use crate::trust::TrustStore;
use crate::views::{CoalitionName, CoalitionRow, ReceiptView};

/// Where the record is and what the application needs beside it.
#[derive(Clone)]
pub struct Config {
    /// The record: `sqlite://PATH` (the embedded default).
    pub database: String,
    /// Where each coalition's log signing key is kept.
    pub log_keys: Arc<dyn LogKeys>,
    /// Where this machine keeps the checkpoints it verified.
    pub trust: Arc<dyn TrustStore>,
    /// The time commands are recorded at.
    pub clock: Arc<dyn Clock>,
    /// Where the API's bearer tokens are kept (only their hashes).
    pub tokens: Arc<dyn TokenStore>,
    /// Connections to the record: one for a one-shot command, more for a server.
    pub connections: u32,
}

/// Whether the caller will write. A reader never creates anything: opening a record that does
/// not exist for reading finds it empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads only.
    Read,
    /// Reads and writes; creates the record if needed.
    Write,
}

/// An open record.
pub struct App {
    /// `None` when a record opened for reading does not exist: it is read as empty.
    record: Option<Record>,
    pub(crate) log_keys: Arc<dyn LogKeys>,
    pub(crate) trust: Arc<dyn TrustStore>,
    clock: Arc<dyn Clock>,
    pub(crate) tokens: Arc<dyn TokenStore>,
    /// Where each audience log ends, and the master head it was derived up to.
    derived: tokio::sync::Mutex<BTreeMap<(CoalitionId, String), (Head, Head)>>,
}

struct Record {
    ledger: Ledger,
    store: Arc<dyn EventStore>,
}

/// A keyed write's answer.
#[derive(Debug)]
pub struct Submitted {
    /// What was recorded (the first time) or had been (every later time).
    pub receipt: ReceiptView,
    /// Whether the write was recorded before, under the same key, and nothing was done now.
    pub replayed: bool,
}

impl App {
    /// Opens the record named by `config.database`.
    pub async fn open(config: Config, access: Access) -> Result<App, AppError> {
        let options = match access {
            Access::Read => OpenOptions::READ,
            Access::Write => OpenOptions::WRITE,
        }
        .with_connections(config.connections);
        let record = match coalition_store::open(&config.database, options).await {
            Ok(store) => Some(Record {
                ledger: Ledger::new(store.clone()),
                store,
            }),
            Err(StoreError::Missing(_)) if access == Access::Read => None,
            Err(StoreError::Location(problem)) => {
                return Err(AppError::invalid("database", problem));
            }
            Err(damaged @ StoreError::Damaged(_)) => return Err(damaged.into()),
            Err(err) => {
                return Err(AppError::internal(format!("cannot open the record: {err}")));
            }
        };
        Ok(App {
            record,
            log_keys: config.log_keys,
            trust: config.trust,
            clock: config.clock,
            tokens: config.tokens,
            derived: tokio::sync::Mutex::default(),
        })
    }

    /// Closes the record cleanly.
    pub async fn close(self) {
        if let Some(record) = self.record {
            record.store.close().await;
        }
    }

    /// The time commands are recorded at.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Every coalition in the record, with its name and head.
    pub async fn coalitions(&self) -> Result<Vec<CoalitionRow>, AppError> {
        let Some(record) = &self.record else {
            return Ok(Vec::new());
        };
        let mut rows = Vec::new();
        for id in record.ledger.coalitions().await? {
            let current = record.ledger.current(&id).await?;
            rows.push(CoalitionRow {
                name: current
                    .state
                    .coalition()
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                id,
                events: current.head.seq,
                head: current.head.hash,
            });
        }
        Ok(rows)
    }

    /// Every coalition's id and name, as anyone may know them.
    pub async fn coalition_names(&self) -> Result<Vec<CoalitionName>, AppError> {
        Ok(self
            .coalitions()
            .await?
            .into_iter()
            .map(|row| CoalitionName {
                id: row.id,
                name: row.name,
            })
            .collect())
    }

    /// A coalition as one reader may see it: served from the state kept in memory (caught up
    /// with whatever was appended since), or replayed as the record stood at `reading.as_of`.
    pub async fn read(
        &self,
        coalition: &CoalitionId,
        reading: &Reading,
    ) -> Result<Reader, AppError> {
        let state = self.state(coalition, reading.as_of, reading.at).await?;
        Reader::new(coalition.clone(), state, reading, self.now())
    }

    /// Submits a write as `actor`: decided against the current state and recorded in one
    /// transaction, or refused with nothing written.
    pub async fn submit(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        request: Request,
    ) -> Result<ReceiptView, AppError> {
        let state = self.current(coalition).await?;
        let commands = request.into_commands(&state)?;
        let warnings = duplicate_warnings(&state, actor, &commands)?;
        let mut receipt = self.execute(coalition, actor, &commands).await?;
        receipt.warnings = warnings;
        Ok(receipt)
    }

    /// [`App::submit`] with the client's idempotency key: the first time, the request is decided
    /// and recorded with the key claimed in the same transaction; every later time — through
    /// this process, another server node on the same database, or after a restart — nothing is
    /// decided again and the answer is the first write's receipt, `replayed`. The same key with
    /// another request is refused.
    pub async fn submit_once(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        key: &str,
        request: Request,
    ) -> Result<Submitted, AppError> {
        let json = serde_json::to_vec(&request).map_err(AppError::internal)?;
        let claim = Claim {
            principal: actor.to_string(),
            key: key.to_owned(),
            request: Hash::of(&[b"idempotent-request", &json]),
        };
        let state = self.current(coalition).await?;
        let commands = request.into_commands(&state)?;
        let warnings = duplicate_warnings(&state, actor, &commands)?;
        match self
            .execute_or(coalition, actor, &commands, Some(&claim), |_, rejection| {
                AppError::Rejected { rejection }
            })
            .await
        {
            Ok(mut receipt) => {
                receipt.warnings = warnings;
                Ok(Submitted {
                    receipt,
                    replayed: false,
                })
            }
            Err(AppError::Claimed(claimed)) if claimed.request == claim.request => Ok(Submitted {
                receipt: self.receipt_of(coalition, actor, &claimed).await?,
                replayed: true,
            }),
            Err(AppError::Claimed(_)) => Err(AppError::KeyReused(
                "this Idempotency-Key was sent before with another request".into(),
            )),
            Err(other) => Err(other),
        }
    }

    /// The receipt an earlier write gave, made again from the record: what the actor may read
    /// of the entries it appended, numbered as the actor's log numbers them.
    async fn receipt_of(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        claimed: &Claimed,
    ) -> Result<ReceiptView, AppError> {
        let state = self.current(coalition).await?;
        let viewer = Reader::viewer(&state, &Who::Principal(actor.clone()))?;
        let audience = Audience::of(&viewer)
            .ok_or_else(|| AppError::internal("an acting principal has an audience"))?;
        let master = self
            .ledger_or_missing(coalition)?
            .entries_after(coalition, Head::EMPTY)
            .await?;
        let until = master.partition_point(|(sealed, _)| sealed.seq <= claimed.last);
        let derived = extend(coalition, &audience, Head::EMPTY, &master[..until])
            .map_err(AppError::internal)?;
        let head = derived
            .last()
            .map_or(Head::EMPTY, |(_, (sealed, _))| sealed.head());
        let mine: Vec<VerifiedEntry> = derived
            .into_iter()
            .filter(|(seq, _)| *seq >= claimed.first)
            .map(|(_, entry)| entry)
            .collect();
        Ok(ReceiptView::of(&mine, head))
    }

    /// Decides and records commands as `actor` now; a rejection writes nothing. The receipt
    /// lists what the actor may read of what was recorded: a verification that opens obligations
    /// the actor may not read does not tell it they exist.
    pub(crate) async fn execute(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        commands: &[Command],
    ) -> Result<ReceiptView, AppError> {
        self.execute_or(coalition, actor, commands, None, |_, rejection| {
            AppError::Rejected { rejection }
        })
        .await
    }

    /// [`App::execute`], with the refusal of the command at an index reported by `refused` (an
    /// import names the row the command came from).
    pub(crate) async fn execute_or(
        &self,
        coalition: &CoalitionId,
        actor: &PrincipalId,
        commands: &[Command],
        claim: Option<&Claim>,
        refused: impl FnOnce(usize, coalition_core::Rejection) -> AppError,
    ) -> Result<ReceiptView, AppError> {
        // Held across the write, so that no other write of this app derives past this one
        // before its receipt is made.
        let mut derived = self.derived.lock().await;
        let receipt = match self
            .ledger()?
            .execute_claiming(coalition, actor, self.now(), commands, claim)
            .await
        {
            Ok(receipt) => receipt,
            Err(coalition_ledger::LedgerError::Rejected { index, rejection }) => {
                return Err(refused(index, rejection));
            }
            Err(coalition_ledger::LedgerError::AlreadyClaimed(claimed)) => {
                return Err(AppError::Claimed(claimed));
            }
            Err(other) => return Err(other.into()),
        };
        let state = self.current(coalition).await?;
        let viewer = Reader::viewer(&state, &Who::Principal(actor.clone()))?;
        let audience = Audience::of(&viewer)
            .ok_or_else(|| AppError::internal("an acting principal has an audience"))?;
        // Numbered as the actor's own log numbers them: master positions would tell it how
        // many entries it may not read fall in between.
        let (new, head) = self
            .audience_after(&mut derived, coalition, &audience)
            .await?;
        let written: Vec<u64> = receipt
            .entries
            .iter()
            .map(|(sealed, _)| sealed.seq)
            .collect();
        let mine: Vec<_> = new
            .into_iter()
            .filter(|(master, _)| written.contains(master))
            .map(|(_, entry)| entry)
            .collect();
        // Where the actor's log ended with this write: entries another process appended after
        // it are not this receipt's, or two concurrent writers would report the same head.
        let head = mine.last().map_or(head, |(sealed, _)| sealed.head());
        Ok(ReceiptView::of(&mine, head))
    }

    /// The entries an audience's log gained since this app last derived it (each with the
    /// master position it came from), and where it now ends: derived from the master entries
    /// appended since, not from the whole log.
    async fn audience_after(
        &self,
        derived: &mut BTreeMap<(CoalitionId, String), (Head, Head)>,
        coalition: &CoalitionId,
        audience: &Audience,
    ) -> Result<(Vec<(u64, VerifiedEntry)>, Head), AppError> {
        let key = (coalition.clone(), audience.name().to_owned());
        let (master, head) = derived
            .get(&key)
            .copied()
            .unwrap_or((Head::EMPTY, Head::EMPTY));
        let after = self
            .ledger_or_missing(coalition)?
            .entries_after(coalition, master)
            .await?;
        let master = after.last().map_or(master, |(sealed, _)| sealed.head());
        let new = extend(coalition, audience, head, &after).map_err(AppError::internal)?;
        let head = new.last().map_or(head, |(_, (sealed, _))| sealed.head());
        derived.insert(key, (master, head));
        Ok((new, head))
    }

    /// The state at the head of a coalition's log, from memory once it has been read.
    pub(crate) async fn current(&self, coalition: &CoalitionId) -> Result<Arc<State>, AppError> {
        Ok(self
            .ledger_or_missing(coalition)?
            .current(coalition)
            .await?
            .state)
    }

    /// The state now; or as the record stood at `as_of` (the entries recorded by then); or as
    /// the world stood at `at` (only the facts that hold by then), or both: what the record
    /// said at `as_of` about the world at `at`. Asked about a time before the coalition was
    /// recorded, or before it was founded, it says so rather than answer with nothing.
    pub(crate) async fn state(
        &self,
        coalition: &CoalitionId,
        as_of: Option<Timestamp>,
        at: Option<Timestamp>,
    ) -> Result<Arc<State>, AppError> {
        if as_of.is_none() && at.is_none() {
            return self.current(coalition).await;
        }
        let entries = self.entries(coalition).await?;
        let first = entries
            .first()
            .map(|(_, envelope)| envelope.recorded_at)
            .ok_or_else(|| AppError::not_found("coalition", coalition))?;
        if let Some(as_of) = as_of.filter(|as_of| *as_of < first) {
            return Err(AppError::invalid(
                "as-of",
                format!(
                    "{coalition} was not yet recorded at {as_of}: its record begins at {first}"
                ),
            ));
        }
        let recorded = entries
            .iter()
            .filter(|(_, envelope)| as_of.is_none_or(|as_of| envelope.recorded_at <= as_of));
        let state = match at {
            None => State::replay(recorded.map(|(_, envelope)| &envelope.event)),
            Some(at) => {
                let state = State::world_at(
                    recorded.map(|(_, envelope)| (&envelope.event, envelope.recorded_at)),
                    at,
                );
                if state.coalition().is_none() {
                    let founded = entries
                        .iter()
                        .find_map(|(_, envelope)| match &envelope.event {
                            Event::CoalitionFounded { at: founded, .. } => Some(*founded),
                            _ => None,
                        })
                        .unwrap_or(first);
                    return Err(AppError::invalid(
                        "at",
                        format!("{coalition} was founded at {founded}; nothing of it held at {at}"),
                    ));
                }
                state
            }
        };
        Ok(Arc::new(state))
    }

    /// Every entry of a coalition's log, verified.
    pub(crate) async fn entries(
        &self,
        coalition: &CoalitionId,
    ) -> Result<Vec<VerifiedEntry>, AppError> {
        Ok(self
            .ledger_or_missing(coalition)?
            .entries(coalition)
            .await?)
    }

    /// Whether the record holds this coalition.
    pub(crate) async fn exists(&self, coalition: &CoalitionId) -> Result<bool, AppError> {
        match &self.record {
            Some(record) => Ok(record.ledger.coalitions().await?.contains(coalition)),
            None => Ok(false),
        }
    }

    /// How many entries the master log holds, caught up with other processes: for a front end
    /// to notice that something was appended (an event stream), never to show a reader, whose
    /// own log counts differently.
    pub async fn appended(&self, coalition: &CoalitionId) -> Result<u64, AppError> {
        Ok(self.head(coalition).await?.seq)
    }

    /// The head of a coalition's log.
    pub(crate) async fn head(&self, coalition: &CoalitionId) -> Result<Head, AppError> {
        Ok(self
            .ledger_or_missing(coalition)?
            .current(coalition)
            .await?
            .head)
    }

    /// Deletes a coalition's whole log: only for `demo --reset`, on the user's explicit request.
    pub(crate) async fn discard(&self, coalition: &CoalitionId) -> Result<(), AppError> {
        Ok(self.record()?.store.discard(coalition).await?)
    }

    /// The raw stored entries, unverified: verification reports what is wrong with them.
    pub(crate) async fn stored_entries(
        &self,
        coalition: &CoalitionId,
    ) -> Result<Vec<SealedEvent>, AppError> {
        let entries = match &self.record {
            Some(record) => read_all(record.store.as_ref(), coalition, 1).await?,
            None => Vec::new(),
        };
        if entries.is_empty() {
            return Err(AppError::not_found("coalition", coalition));
        }
        Ok(entries)
    }

    /// The ledger, for writes.
    pub(crate) fn ledger(&self) -> Result<&Ledger, AppError> {
        Ok(&self.record()?.ledger)
    }

    /// The ledger, for reads: an absent record holds no coalition.
    fn ledger_or_missing(&self, coalition: &CoalitionId) -> Result<&Ledger, AppError> {
        self.record
            .as_ref()
            .map(|record| &record.ledger)
            .ok_or_else(|| AppError::not_found("coalition", coalition))
    }

    fn record(&self) -> Result<&Record, AppError> {
        self.record
            .as_ref()
            .ok_or_else(|| AppError::internal("the record was opened for reading only"))
    }
}

/// "INC-D5WQ3ZKA looks like INC-NFHLRKGQ (…)": a report that names the same aggressor and target at about the
/// same time and place as one the actor may read. Reports it may not read are not mentioned.
fn duplicate_warnings(
    state: &State,
    actor: &PrincipalId,
    commands: &[Command],
) -> Result<Vec<String>, AppError> {
    let viewer = Reader::viewer(state, &Who::Principal(actor.clone()))?;
    let gate = Gate::new(state, &viewer);
    Ok(commands
        .iter()
        .filter_map(|command| match command {
            Command::ReportIncident(new) => Some(&new.incident),
            _ => None,
        })
        .flat_map(|incident| state.possible_duplicates(incident))
        .filter(|earlier| gate.may_read(&earlier.incident.marking))
        .map(|earlier| {
            format!(
                "this report looks like {} ({} by {} against {} at {}{}, {}): if it is the same \
                 attack, record it with `incident merge … --into {}`",
                earlier.incident.id,
                coalition_core::names::Named::name(earlier.incident.kind),
                earlier.incident.aggressor,
                earlier.incident.target,
                earlier.incident.occurred_at,
                if earlier.incident.location.is_empty() {
                    String::new()
                } else {
                    format!(", {}", earlier.incident.location)
                },
                earlier.status.name(),
                earlier.incident.id
            )
        })
        .collect())
}
