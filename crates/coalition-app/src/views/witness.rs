//! The witness policy as a reader sees it (it is PUBLIC), and what a leader signs to approve a
//! change of it.

use coalition_core::hash::Hash;
use coalition_core::id::{CoalitionId, PartyCode};
use serde::{Deserialize, Serialize};

/// One witness of the policy in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessView {
    /// Its key name.
    pub name: String,
    /// The party that runs it.
    pub party: PartyCode,
    /// Its verifier key (`name+keyid+base64(0x04 || key)`, C2SP tlog-cosignature).
    pub key: String,
    /// Where it takes `add-checkpoint` requests, if reachable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The witness policy in force, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessPolicyView {
    /// The coalition.
    pub coalition: CoalitionId,
    /// The policy's number (none: no policy was ever set, checkpoints need no witness).
    pub version: Option<u32>,
    /// How many distinct witnesses must cosign.
    pub quorum: u32,
    /// The witnesses.
    pub witnesses: Vec<WitnessView>,
}

/// What a leader signs to approve a new witness policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyToSign {
    /// The coalition.
    pub coalition: CoalitionId,
    /// The number the new policy will have.
    pub version: u32,
    /// SHA-256 of the new policy's RFC 8785 form.
    pub content: Hash,
    /// The 32 bytes to sign.
    pub message: Hash,
}
