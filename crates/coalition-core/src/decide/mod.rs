//! `decide`: the rules. Given the state, a command and its context (clock, actor), it returns the
//! events to record or the rule that refused. It never changes the state; a rejected command
//! emits nothing.
//!
//! This module dispatches; [`rules`] holds the checks every family shares, and each family of
//! commands has its own file.

mod ceasefires;
mod commitments;
mod exercises;
mod incidents;
mod instruments;
mod membership;
mod obligations;
mod publication;
mod rules;
mod statements;

pub(crate) use incidents::check_incident;

use crate::command::{Command, Context};
use crate::disclosure::Gate;
use crate::event::Event;
use crate::rejection::Rejection;
use crate::state::{ExerciseClock, State};
use membership::Founding;
use rules::{Rules, invalid};

/// Decides a command: the events to record, or why not.
pub fn decide(state: &State, command: &Command, ctx: &Context) -> Result<Vec<Event>, Rejection> {
    if let Command::FoundCoalition {
        id,
        name,
        protected,
        verification,
        founder,
        at,
    } = command
    {
        let founding = Founding {
            id,
            name,
            protected,
            verification: *verification,
            founder,
            at: at.unwrap_or(ctx.now),
        };
        return membership::found(state, &founding, ctx);
    }
    if state.coalition().is_none() {
        return Err(Rejection::NotFounded);
    }
    let actor = state
        .principal(&ctx.actor)
        .ok_or_else(|| Rejection::UnknownPrincipal(ctx.actor.clone()))?;
    // An exercise decides at its simulated clock; the log still records the real time.
    let now = match state.exercise_clock() {
        Some(ExerciseClock {
            ended: Some(ended), ..
        }) => {
            return Err(rules::wrong_state(
                "the exercise",
                format!("ended at {ended}"),
                "an ended exercise records nothing more",
            ));
        }
        Some(clock) => clock.now,
        None => ctx.now,
    };
    if let Err(over) = crate::limits::check(command) {
        return Err(invalid(over.field, over.problem));
    }
    if let Some(at) = command.stated_times().into_iter().find(|at| *at > now) {
        return Err(invalid(
            "at",
            format!("{at} is in the future (now is {now})"),
        ));
    }
    let viewer = state.viewer_for(actor);
    let rules = Rules {
        state,
        actor,
        now,
        gate: Gate::new(state, &viewer),
        recorded_at: ctx.now,
    };
    match command {
        Command::FoundCoalition { id, .. } => Err(Rejection::AlreadyFounded(id.clone())),
        Command::DefineCategory {
            category,
            description,
        } => rules.define_category(category, description),
        Command::GrantSeat(seat) => rules.grant_seat(seat),
        Command::EndSeat { party, until } => rules.end_seat(party, *until),
        Command::RegisterPrincipal(principal) => rules.register_principal(principal),
        Command::RegisterKey { principal, key } => rules.register_key(principal, key),
        Command::RegisterLogKey { name, key } => rules.register_log_key(name, key),
        Command::IssueToken {
            token,
            principal,
            label,
            expires_at,
            sha256,
        } => rules.issue_token(token, principal, label, *expires_at, sha256),
        Command::RevokeToken { token } => rules.revoke_token(token),
        Command::SetWitnessPolicy { policy, approvals } => {
            rules.set_witness_policy(policy, approvals)
        }
        Command::RecordInstrument(instrument) => rules.record_instrument(instrument),
        Command::SignInstrument {
            instrument,
            party,
            at,
        } => rules.sign_instrument(instrument, party, *at),
        Command::RecordRatification {
            instrument,
            party,
            status,
            at,
        } => rules.record_ratification(instrument, party, *status, *at),
        Command::ExtendInstrument {
            instrument,
            years,
            at,
        } => rules.extend_instrument(instrument, *years, rules.at(*at)),
        Command::TerminateInstrument {
            instrument,
            condition,
            at,
        } => rules.terminate_instrument(instrument, condition, *at),
        Command::AddCommitment(new) => rules.add_commitment(new),
        Command::WithdrawCommitment {
            commitment,
            reason,
            at,
        } => rules.withdraw_commitment(commitment, reason, rules.at(*at)),
        Command::RecordSupport {
            commitment,
            stage,
            quantity,
            at,
        } => rules.record_support(commitment, *stage, *quantity, rules.at(*at)),
        Command::DeclareCeasefire { in_force_from } => rules.declare_ceasefire(*in_force_from),
        Command::EndCeasefire { at } => rules.end_ceasefire(*at),
        Command::ReportIncident(new) => rules.report_incident(new),
        Command::ConfirmIncident { incident, at } => {
            rules.confirm_incident(incident, rules.at(*at))
        }
        Command::TriggerProvisionally { incident, at } => {
            rules.trigger_provisionally(incident, rules.at(*at))
        }
        Command::RejectIncident {
            incident,
            reason,
            at,
        } => rules.reject_incident(incident, reason, rules.at(*at)),
        Command::RequestConsultations {
            by,
            with,
            at,
            marking,
        } => rules.request_consultations(by, with, *at, marking),
        Command::FulfilObligation {
            obligation,
            at,
            report,
        } => rules.fulfil_obligation(obligation, rules.at(*at), report),
        Command::WaiveObligation {
            obligation,
            at,
            note,
        } => rules.waive_obligation(obligation, rules.at(*at), note),
        Command::DisputeObligation {
            obligation,
            at,
            reason,
        } => rules.dispute_obligation(obligation, rules.at(*at), reason),
        Command::DraftStatement {
            statement,
            title,
            signatories,
            rule,
            paragraphs,
            seed,
            at,
        } => rules.draft_statement(
            statement,
            title,
            signatories,
            *rule,
            (paragraphs, seed),
            rules.at(*at),
        ),
        Command::ReviseStatement {
            statement,
            paragraphs,
            seed,
            at,
        } => rules.revise_statement(statement, (paragraphs, seed), rules.at(*at)),
        Command::ApproveVersion {
            statement,
            version,
            signature,
            meeting,
            at,
        } => rules.approve(
            statement,
            *version,
            *signature,
            meeting.as_ref(),
            rules.at(*at),
        ),
        Command::WithdrawApproval { statement, at } => {
            rules.withdraw_approval(statement, rules.at(*at))
        }
        Command::ObjectToStatement { statement, at } => {
            rules.object_to_statement(statement, rules.at(*at))
        }
        Command::ConcludeSilence { statement } => rules.conclude_silence(statement),
        Command::RecordMeeting(meeting) => rules.record_meeting(meeting),
        Command::ReleaseAggregate { aggregate } => rules.release_aggregate(aggregate),
        Command::MergeIncident {
            duplicate,
            into,
            at,
        } => rules.merge_incident(duplicate, into, rules.at(*at)),
        Command::CorrectIncident {
            incident,
            correction,
            at,
        } => rules.correct_incident(incident, correction, rules.at(*at)),
        Command::SetExerciseClock { at } => rules.set_exercise_clock(*at),
        Command::EndExercise => rules.end_exercise(),
    }
}
