//! Who is in the coalition: its founding, categories, seats, principals and signing keys.

use super::rules::{Rules, duplicate, invalid, wrong_state};
use crate::command::Context;
use crate::commitment::Category;
use crate::dates::{Day, EARLIEST, Timestamp};
use crate::event::Event;
use crate::exercise;
use crate::hash::Hash;
use crate::id::{CoalitionId, PartyCode, PrincipalId};
use crate::incident::VerificationRule;
use crate::party::{Principal, PrincipalRole, Seat};
use crate::rejection::Rejection;
use crate::signature::PublicKey;
use crate::state::State;
use crate::witness::{PolicyApproval, WitnessPolicy, check_approvals};

/// What founding a coalition states.
pub(super) struct Founding<'c> {
    pub(super) id: &'c CoalitionId,
    pub(super) name: &'c str,
    pub(super) protected: &'c PartyCode,
    pub(super) verification: VerificationRule,
    pub(super) founder: &'c Principal,
    pub(super) at: Timestamp,
}

/// Founds a coalition: once, by its secretariat acting as itself.
pub(super) fn found(
    state: &State,
    founding: &Founding<'_>,
    ctx: &Context,
) -> Result<Vec<Event>, Rejection> {
    if let Some(existing) = state.coalition() {
        return Err(Rejection::AlreadyFounded(existing.id.clone()));
    }
    if founding.at < EARLIEST {
        return Err(Rejection::Chronology {
            fact: format!("the founding of {}", founding.id),
            at: founding.at,
            earlier: "the earliest date the record accepts".into(),
            since: EARLIEST,
        });
    }
    if exercise::is_exercise_id(founding.id) {
        return Err(Rejection::Invalid {
            field: "id",
            problem: format!(
                "{} is an exercise's id; an exercise is forked from a real coalition",
                founding.id
            ),
        });
    }
    let founder = founding.founder;
    if founder.id != ctx.actor || founder.role != PrincipalRole::Secretariat {
        return Err(Rejection::BadFounder(format!(
            "founder {} ({}) acting as {}",
            founder.id, founder.role, ctx.actor
        )));
    }
    if let Some(problem) = founder.marking.contradiction() {
        return Err(invalid("classification", problem));
    }
    // Two events, each about one marking: the founding is public, the founder is as open as
    // its own record (docs/threat-model.md, "Every event is about one marking").
    Ok(vec![
        Event::CoalitionFounded {
            id: founding.id.clone(),
            name: founding.name.to_owned(),
            protected: founding.protected.clone(),
            verification: founding.verification,
            at: founding.at,
            exercise: None,
        },
        Event::PrincipalRegistered {
            principal: founder.clone(),
        },
    ])
}

impl Rules<'_> {
    pub(super) fn define_category(
        &self,
        category: &Category,
        description: &str,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("define a category")?;
        if self.state.knows_category(category) {
            return Err(duplicate("category", category));
        }
        Ok(vec![Event::CategoryDefined {
            category: category.clone(),
            description: description.to_owned(),
        }])
    }

    pub(super) fn grant_seat(&self, seat: &Seat) -> Result<Vec<Event>, Rejection> {
        self.secretariat("grant a seat")?;
        if self.state.seat(&seat.party).is_some() {
            return Err(duplicate("seat for", &seat.party));
        }
        if let (Some(from), Some(until)) = (seat.from, seat.until)
            && until < from
        {
            return Err(Rejection::UntilBeforeFrom { from, until });
        }
        Ok(vec![Event::SeatGranted { seat: seat.clone() }])
    }

    pub(super) fn end_seat(&self, party: &PartyCode, until: Day) -> Result<Vec<Event>, Rejection> {
        self.secretariat("end a seat")?;
        let seat = self
            .state
            .seat(party)
            .ok_or_else(|| Rejection::NoSeat(party.clone()))?;
        if let Some(from) = seat.from.filter(|from| until < *from) {
            return Err(Rejection::UntilBeforeFrom { from, until });
        }
        Ok(vec![Event::SeatEnded {
            party: party.clone(),
            until,
            marking: seat.marking(),
        }])
    }

    pub(super) fn register_principal(
        &self,
        principal: &Principal,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("register a principal")?;
        self.marking_given("classification", &principal.marking)?;
        if self.state.principal(&principal.id).is_some() {
            return Err(duplicate("principal", &principal.id));
        }
        let seat = self
            .state
            .seat(&principal.party)
            .ok_or_else(|| Rejection::NoSeat(principal.party.clone()))?;
        if !seat.role.is_inside() {
            return Err(Rejection::WrongSeat {
                party: principal.party.clone(),
                actual: seat.role,
                expected: "a seat inside the coalition (an adversary has no principals)",
            });
        }
        if let Some(key) = &principal.public_key {
            self.key_unused(key, &principal.id)?;
        }
        Ok(vec![Event::PrincipalRegistered {
            principal: principal.clone(),
        }])
    }

    pub(super) fn register_key(
        &self,
        principal: &PrincipalId,
        key: &PublicKey,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("register a signing key")?;
        let Some(registered) = self.state.principal(principal) else {
            return Err(Rejection::UnknownPrincipal(principal.clone()));
        };
        if registered.public_key.as_ref() == Some(key) {
            return Err(wrong_state(
                format!("{principal}'s key"),
                "already registered",
                "a rotation needs a new key",
            ));
        }
        self.key_unused(key, principal)?;
        Ok(vec![Event::KeyRegistered {
            principal: principal.clone(),
            key: *key,
        }])
    }

    pub(super) fn register_log_key(
        &self,
        name: &str,
        key: &PublicKey,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("register the log key")?;
        if name.is_empty() || name.contains(char::is_whitespace) || name.contains('+') {
            return Err(invalid("name", "a signer name without spaces or '+'"));
        }
        Ok(vec![Event::LogKeyRegistered {
            name: name.to_owned(),
            key: *key,
        }])
    }

    pub(super) fn issue_token(
        &self,
        token: &str,
        principal: &PrincipalId,
        label: &str,
        expires_at: Option<Timestamp>,
        sha256: &Hash,
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("record a token")?;
        let Some(registered) = self.gate.principal(principal) else {
            return Err(Rejection::UnknownPrincipal(principal.clone()));
        };
        if self.state.token(token).is_some() {
            return Err(duplicate("token", &token));
        }
        if expires_at.is_some_and(|end| end <= self.recorded_at) {
            return Err(invalid("expires", "a time after the token is issued"));
        }
        Ok(vec![Event::TokenIssued {
            token: token.to_owned(),
            principal: principal.clone(),
            label: label.to_owned(),
            expires_at,
            sha256: *sha256,
            marking: registered.marking.clone(),
        }])
    }

    pub(super) fn revoke_token(&self, token: &str) -> Result<Vec<Event>, Rejection> {
        self.secretariat("record a token's revocation")?;
        let Some(record) = self
            .state
            .token(token)
            .filter(|record| self.gate.may_read(&record.marking))
        else {
            return Err(invalid("token", format!("no token {token} in the record")));
        };
        if record.revoked {
            return Err(wrong_state(
                format!("token {token}"),
                "revoked",
                "a token is revoked once",
            ));
        }
        Ok(vec![Event::TokenRevoked {
            token: token.to_owned(),
            principal: record.principal.clone(),
            marking: record.marking.clone(),
        }])
    }

    pub(super) fn set_witness_policy(
        &self,
        policy: &WitnessPolicy,
        approvals: &[PolicyApproval],
    ) -> Result<Vec<Event>, Rejection> {
        self.secretariat("set the witness policy")?;
        if let Some((field, problem)) = policy.problem() {
            return Err(invalid(field, problem));
        }
        if let Some((i, w)) = policy
            .witnesses
            .iter()
            .enumerate()
            .find(|(_, w)| self.state.seat(&w.party).is_none())
        {
            return Err(invalid(
                "witnesses",
                format!(
                    "[{i}].party: a party with a seat in the coalition, found {}",
                    w.party
                ),
            ));
        }
        let coalition = self
            .state
            .coalition()
            .map(|c| c.id.clone())
            .ok_or(Rejection::NotFounded)?;
        let version = self.state.witness_policy().map_or(1, |p| p.version + 1);
        if self
            .state
            .witness_policy()
            .is_some_and(|current| &current.policy == policy)
        {
            return Err(wrong_state(
                "the witness policy",
                format!("already this one (number {})", version - 1),
                "a change must change something",
            ));
        }
        check_approvals(self.state, &coalition, version, policy, approvals)
            .map_err(|problem| invalid("approvals", problem))?;
        Ok(vec![Event::WitnessPolicySet {
            version,
            policy: policy.clone(),
            approvals: approvals.to_vec(),
        }])
    }

    /// A signing key identifies one principal: a key already registered to another is refused,
    /// or whoever holds it could approve for both (a leader signing with another party's key).
    fn key_unused(&self, key: &PublicKey, for_principal: &PrincipalId) -> Result<(), Rejection> {
        match self
            .state
            .principals()
            .values()
            .find(|p| &p.id != for_principal && p.public_key.as_ref() == Some(key))
        {
            Some(holder) => Err(wrong_state(
                format!("key {key}"),
                format!("registered to {}", holder.id),
                "a signing key belongs to one principal",
            )),
            None => Ok(()),
        }
    }
}
