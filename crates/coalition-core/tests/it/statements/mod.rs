//! Statements, signed approvals, adoption and the communiqué, as pure rules: races, replays,
//! keys of others, withdrawals, quorum and silence boundaries, key rotation, and what may reach
//! the public.

mod communique;
mod keys;
mod meetings;
mod quorum;
mod signatures;
mod silence;
mod versions;
mod withdrawal;

use coalition_core::statement::{AdoptionRule, PartyStanding};

use crate::fixture::{World, party};

const UNANIMITY: AdoptionRule = AdoptionRule::Unanimity;

fn standing(world: &World, statement: &str, code: &str) -> PartyStanding {
    world
        .statement(statement)
        .standings()
        .into_iter()
        .find(|(p, _)| *p == party(code))
        .map(|(_, s)| s)
        .unwrap()
}
