//! The demo: the Paris summit of 6 January 2026 from the bundled scenario, with its statements
//! approved by the demo's leaders (labelled DEMO keys) and two figures released.

use std::collections::BTreeMap;
use std::path::Path;

use coalition_core::Command;
use coalition_core::communique::Aggregate;
use coalition_core::event::Event;
use coalition_core::id::CoalitionId;
use coalition_core::party::PrincipalRole;
use coalition_core::signature::{SignatureBytes, approval_message};
use coalition_core::state::State;
use ed25519_dalek::Signer as _;

use crate::app::App;
use crate::error::AppError;
use crate::import::summarise;
use crate::keys::{generate, public_key, write_key_file};
use crate::views::{DemoApproval, ImportSummary};

/// The bundled Paris scenario, so the demo works from any directory.
pub const PARIS_SCENARIO: &str = include_str!("../../../scenarios/paris-2026.toml");

/// The demo coalition's id.
pub const DEMO_COALITION: &str = "paris-2026";

/// What the demo's leaders' keys directory holds besides the keys.
const KEYS_README: &str = "DEMO KEYS, written by `coalition demo` for the demo's leaders. They \
are not encrypted and\nmust never be used for anything real. Real keys: `coalition key \
generate`.\n";

impl App {
    /// Records the demo coalition and has its statements approved; the demo leaders' keys are
    /// written, unencrypted and labelled, to `keys_dir`. With `reset`, the demo coalition's log,
    /// its log key, the checkpoint this machine kept for it and the old demo keys are discarded
    /// first.
    pub async fn demo(&self, reset: bool, keys_dir: &Path) -> Result<ImportSummary, AppError> {
        let id = CoalitionId::parse(DEMO_COALITION).map_err(AppError::internal)?;
        if reset {
            if self.exists(&id).await? {
                self.discard(&id).await?;
            }
            self.log_keys.remove(&id)?;
            self.trust.forget(&id)?;
            if keys_dir.exists() {
                std::fs::remove_dir_all(keys_dir)?;
            }
        }
        let (state, _, recorded) = self
            .import_scenario("scenarios/paris-2026.toml", PARIS_SCENARIO)
            .await?;
        let approvals = self.demo_approvals(&id, &state, keys_dir).await?;
        let state = self.current(&id).await?;
        let head = self.head(&id).await?;
        summarise(&state, head, recorded, approvals, self.now())
    }

    /// The demo's leaders approve every draft: each gets a DEMO key, the secretariat registers
    /// the keys, and each leader signs the latest version at the meeting that has it on its
    /// agenda. Then the secretariat releases the count of states committed to a presence on
    /// land, at sea or in the air, as the coalition did in 2025 (the membership count, of
    /// disclosed seats only, is public by itself).
    async fn demo_approvals(
        &self,
        coalition: &CoalitionId,
        state: &State,
        keys_dir: &Path,
    ) -> Result<Vec<DemoApproval>, AppError> {
        let secretariat = state
            .principals()
            .values()
            .find(|p| p.role == PrincipalRole::Secretariat)
            .map(|p| p.id.clone())
            .ok_or_else(|| AppError::internal("the demo scenario has no secretariat"))?;
        std::fs::create_dir_all(keys_dir)?;
        std::fs::write(keys_dir.join("README.txt"), KEYS_README)?;
        let mut keys = BTreeMap::new();
        let mut register = Vec::new();
        for statement in state.statements().values() {
            for party in &statement.signatories {
                let leader = state
                    .principals()
                    .values()
                    .find(|p| &p.party == party && p.role == PrincipalRole::Leader);
                let Some(leader) = leader else { continue };
                if keys.contains_key(&leader.id) {
                    continue;
                }
                let key = generate();
                write_key_file(
                    &keys_dir.join(format!("DEMO-{}.pem", leader.id)),
                    &key,
                    None,
                )
                .map_err(AppError::internal)?;
                register.push(Command::RegisterKey {
                    principal: leader.id.clone(),
                    key: public_key(&key).map_err(AppError::internal)?,
                });
                keys.insert(leader.id.clone(), (party.clone(), key));
            }
        }
        self.execute(coalition, &secretariat, &register).await?;

        let mut done = Vec::new();
        for statement in state.statements().values() {
            let Some(version) = statement.current() else {
                continue;
            };
            let meeting = state
                .meetings()
                .values()
                .find(|m| m.agenda.contains(&statement.id));
            // Approvals given at a meeting are dated on its day, as they happened.
            let given_at = meeting.map(|m| m.day.start());
            let meeting = meeting.map(|m| m.id.clone());
            let mut approvals = 0;
            let mut adopted = false;
            for party in &statement.signatories {
                let Some((leader, (_, key))) = keys.iter().find(|(_, (p, _))| p == party) else {
                    continue;
                };
                let message = approval_message(
                    coalition,
                    statement.id.as_str(),
                    version.number,
                    &version.content,
                );
                let signature = SignatureBytes(key.sign(message.as_bytes()).to_bytes());
                let receipt = self
                    .execute(
                        coalition,
                        leader,
                        &[Command::ApproveVersion {
                            statement: statement.id.clone(),
                            version: version.number,
                            signature,
                            meeting: meeting.clone(),
                            at: given_at,
                        }],
                    )
                    .await?;
                approvals += 1;
                adopted |= receipt
                    .recorded
                    .iter()
                    .any(|entry| matches!(entry.event, Event::StatementAdopted { .. }));
            }
            done.push(DemoApproval {
                statement: statement.id.to_string(),
                version: version.number,
                approvals,
                adopted,
                meeting: meeting.map(|m| m.to_string()),
            });
        }
        let releases = ["guarantors:force-land,force-sea,force-air"]
            .iter()
            .map(|text| {
                Aggregate::parse(text).map(|aggregate| Command::ReleaseAggregate { aggregate })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(AppError::internal)?;
        self.execute(coalition, &secretariat, &releases).await?;
        Ok(done)
    }
}
