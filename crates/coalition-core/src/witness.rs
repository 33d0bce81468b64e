//! The coalition's witness policy: which witnesses (name, party, public key) must cosign its
//! checkpoints, and how many of them make a quorum (k of n). It is part of the record
//! (`witness_policy_set`, PUBLIC: every verifier needs it).
//!
//! The first policy is set by the secretariat, as the log key is registered. Once a policy is
//! in force it changes only with the approval of the states that witness under it: leaders of
//! at least `quorum` distinct parties among the current witnesses sign
//!
//! ```text
//! message = SHA-256( JCS({"coalition": C, "content": H, "purpose": "coalition/approve-witness-policy/v1",
//!                         "version": N}) )
//! ```
//!
//! where `N` is the new policy's number (1 for the first, then 2, 3 …) and `H` is SHA-256 of the
//! new policy's RFC 8785 form, hex. The number stops an approval of one change from being
//! replayed for another; the purpose tag keeps it apart from statement approvals. A custodian
//! can then not quietly replace the witnesses with its own: the witnesses' states must agree.

use serde::{Deserialize, Serialize};

use crate::hash::Hash;
use crate::id::{CoalitionId, PartyCode, PrincipalId};
use crate::party::PrincipalRole;
use crate::signature::{PublicKey, SignatureBytes};
use crate::state::State;

/// The purpose tag of a witness policy approval.
pub const POLICY_PURPOSE: &str = "coalition/approve-witness-policy/v1";
/// The most witnesses a policy may name (a signed note carries at most 100 lines).
pub const MAX_WITNESSES: usize = 64;

/// One witness: the key name its cosignatures carry, the party that runs it, its Ed25519 key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    /// The witness's key name (e.g. `witness.diplomatie.gouv.fr/coalition`).
    pub name: String,
    /// The party that runs it.
    pub party: PartyCode,
    /// Its cosigning key.
    pub key: PublicKey,
    /// Where it takes `add-checkpoint` requests (`http://host:port`), if it is reachable;
    /// an air-gapped witness's cosignatures are brought by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Which witnesses cosign the coalition's checkpoints, and how many make a quorum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessPolicy {
    /// The witnesses.
    pub witnesses: Vec<Witness>,
    /// How many distinct witnesses must cosign a checkpoint (1 ..= the number of witnesses).
    pub quorum: u32,
}

/// A leader's signature approving a new witness policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyApproval {
    /// Who signed.
    pub principal: PrincipalId,
    /// Over [`policy_message`].
    pub signature: SignatureBytes,
}

/// The policy in force and its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyInForce {
    /// 1 for the first policy, then 2, 3 …
    pub version: u32,
    /// The policy.
    pub policy: WitnessPolicy,
}

impl WitnessPolicy {
    /// SHA-256 of the policy's RFC 8785 form: what approvals commit to.
    pub fn content(&self) -> Hash {
        // A policy holds strings and a small integer: canonicalising cannot fail.
        let bytes = serde_json_canonicalizer::to_vec(self).unwrap_or_default();
        Hash::of(&[&bytes])
    }

    /// The first thing wrong with the policy's form, as (field, what was expected).
    pub fn problem(&self) -> Option<(&'static str, String)> {
        let n = self.witnesses.len();
        if n == 0 {
            return Some(("witnesses", "at least one witness".into()));
        }
        if n > MAX_WITNESSES {
            return Some((
                "witnesses",
                format!("at most {MAX_WITNESSES} witnesses, found {n}"),
            ));
        }
        if self.quorum == 0 || self.quorum as usize > n {
            return Some((
                "quorum",
                format!(
                    "a number from 1 to {n} (the number of witnesses), found {}",
                    self.quorum
                ),
            ));
        }
        for (i, w) in self.witnesses.iter().enumerate() {
            if w.name.is_empty()
                || w.name
                    .chars()
                    .any(|c| c.is_whitespace() || c == '+' || c.is_control())
            {
                return Some((
                    "witnesses",
                    format!(
                        "[{i}].name: a key name without spaces or '+', found {:?}",
                        w.name
                    ),
                ));
            }
            if let Some(url) = &w.url
                && (!(url.starts_with("http://") || url.starts_with("https://"))
                    || url.chars().any(|c| c.is_whitespace() || c.is_control()))
            {
                return Some((
                    "witnesses",
                    format!("[{i}].url: an http:// or https:// URL without spaces, found {url:?}"),
                ));
            }
            if let Some(j) = self.witnesses[..i].iter().position(|o| o.name == w.name) {
                return Some((
                    "witnesses",
                    format!("[{i}].name: a name not already given to [{j}]"),
                ));
            }
            if let Some(j) = self.witnesses[..i].iter().position(|o| o.key == w.key) {
                return Some((
                    "witnesses",
                    format!("[{i}].key: a key not already given to [{j}]"),
                ));
            }
        }
        None
    }

    /// The distinct parties whose witnesses are in the policy.
    pub fn parties(&self) -> Vec<&PartyCode> {
        let mut parties: Vec<&PartyCode> = self.witnesses.iter().map(|w| &w.party).collect();
        parties.sort();
        parties.dedup();
        parties
    }
}

/// The 32 bytes a leader signs to approve policy number `version` with content `content`.
pub fn policy_message(coalition: &CoalitionId, version: u32, content: &Hash) -> Hash {
    let object = serde_json::json!({
        "purpose": POLICY_PURPOSE,
        "coalition": coalition.as_str(),
        "version": version,
        "content": content.to_hex(),
    });
    let bytes = serde_json_canonicalizer::to_vec(&object).unwrap_or_default();
    Hash::of(&[&bytes])
}

/// Whether `approvals` carry the change to policy number `version` under the policy in force in
/// `state`: each a leader's valid signature under the key registered at this point, and leaders
/// of at least `quorum` distinct parties among the current witnesses. The first policy needs
/// none. Used by `decide` and again by the offline audit, from the log alone.
pub fn check_approvals(
    state: &State,
    coalition: &CoalitionId,
    version: u32,
    policy: &WitnessPolicy,
    approvals: &[PolicyApproval],
) -> Result<(), String> {
    let Some(current) = state.witness_policy() else {
        return Ok(());
    };
    if version != current.version + 1 {
        return Err(format!(
            "the policy in force is number {}, so the next is {}, not {version}",
            current.version,
            current.version + 1
        ));
    }
    let message = policy_message(coalition, version, &policy.content());
    let witness_parties = current.policy.parties();
    let mut approving: Vec<&PartyCode> = Vec::new();
    for (i, approval) in approvals.iter().enumerate() {
        let principal = state
            .principal(&approval.principal)
            .ok_or_else(|| format!("approvals[{i}]: unknown principal {}", approval.principal))?;
        if principal.role != PrincipalRole::Leader {
            return Err(format!(
                "approvals[{i}]: {} is not a leader",
                approval.principal
            ));
        }
        let key = principal.public_key.ok_or_else(|| {
            format!(
                "approvals[{i}]: {} has no key registered",
                approval.principal
            )
        })?;
        if !key.verify_strict(message.as_bytes(), &approval.signature) {
            return Err(format!(
                "approvals[{i}]: {}'s signature does not verify for policy number {version} of {coalition}",
                approval.principal
            ));
        }
        if witness_parties.contains(&&principal.party) && !approving.contains(&&principal.party) {
            approving.push(&principal.party);
        }
    }
    let needed = current.policy.quorum as usize;
    if approving.len() < needed {
        return Err(format!(
            "changing the witness policy needs the approval of leaders of {needed} of the parties \
             that witness under policy {} ({}); approved by {}",
            current.version,
            witness_parties
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if approving.is_empty() {
                "none".to_owned()
            } else {
                approving
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ));
    }
    Ok(())
}
