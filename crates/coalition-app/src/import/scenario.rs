//! Scenario files: a coalition described in TOML (docs/scenario-format.md), read into the
//! commands that record it. Every error names the file, line and column and what was expected.

use std::collections::BTreeMap;
use std::ops::Range;

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, NewCommitment};
use coalition_core::commitment::{
    Amount, Category, ClockStart, Commitment, Condition, Discretion, Response, ResponseKind, Stage,
    Trigger, TriggerKind, Validity,
};
use coalition_core::dates::{Day, Span, Timestamp};
use coalition_core::id::{CoalitionId, CommitmentId, InstrumentId, PartyCode, PrincipalId};
use coalition_core::incident::VerificationRule;
use coalition_core::instrument::{
    Activation, Instrument, InstrumentForm, LegalForce, Ratification, Term, TermStart,
    TerminationCondition,
};
use coalition_core::party::{Principal, PrincipalRole, Seat, SeatRole};
use coalition_core::signature::PublicKey;
use coalition_core::statement::{
    AdoptionRule, Attendance, Meeting, MeetingId, Paragraph, StatementId,
};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use toml::Spanned;

use super::SourceError;

/// A scenario read into commands, each with the place in the file it came from.
#[derive(Debug)]
pub struct Scenario {
    /// The coalition it creates.
    pub coalition: CoalitionId,
    /// The principal the import is recorded under (the founding secretariat).
    pub recorded_by: PrincipalId,
    /// The commands, in order, with their source span.
    pub commands: Vec<(Command, Range<usize>)>,
}

// ---------------------------------------------------------------------------------------------
// The file's shape. Field values parse into domain types directly, so a bad party code or date
// is reported at the value itself.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    coalition: Spanned<CoalitionSpec>,
    #[serde(default)]
    seats: Vec<Spanned<SeatSpec>>,
    #[serde(default)]
    principals: Vec<Spanned<PrincipalSpec>>,
    #[serde(default)]
    instruments: Vec<Spanned<InstrumentSpec>>,
    #[serde(default)]
    commitments: Vec<Spanned<CommitmentSpec>>,
    #[serde(default)]
    ceasefires: Vec<Spanned<CeasefireSpec>>,
    #[serde(default)]
    statements: Vec<Spanned<StatementSpec>>,
    #[serde(default)]
    meetings: Vec<Spanned<MeetingSpec>>,
    /// Read by `coalition negotiate` (docs/negotiation.md); ignored here.
    #[serde(default)]
    #[allow(dead_code)]
    negotiation: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CoalitionSpec {
    id: CoalitionId,
    name: String,
    protected: PartyCode,
    recorded_by: PrincipalId,
    #[serde(default)]
    founded: Option<When<Timestamp>>,
    #[serde(default)]
    verification: Option<VerificationSpec>,
    #[serde(default)]
    categories: Vec<CategorySpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerificationSpec {
    monitor_suffices: bool,
    members_with_secretariat: u16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategorySpec {
    id: Text<Category>,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeatSpec {
    /// One party, or …
    #[serde(default)]
    party: Option<PartyCode>,
    /// … several with the same role and dates.
    #[serde(default)]
    parties: Vec<PartyCode>,
    role: Text<SeatRole>,
    #[serde(default)]
    from: Option<When<Day>>,
    #[serde(default)]
    until: Option<When<Day>>,
    #[serde(default = "yes")]
    disclosed: bool,
    #[serde(default)]
    note: String,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrincipalSpec {
    id: PrincipalId,
    name: String,
    party: PartyCode,
    role: Text<PrincipalRole>,
    clearance: Text<Level>,
    #[serde(default)]
    classification: Option<Text<Level>>,
    #[serde(default)]
    releasable_to: Option<Vec<PartyCode>>,
    #[serde(default)]
    public_key: Option<Text<PublicKey>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentSpec {
    id: InstrumentId,
    title: String,
    form: Text<InstrumentForm>,
    legal_force: Text<LegalForce>,
    parties: Vec<PartyCode>,
    activation: Text<Activation>,
    #[serde(default)]
    ratification_required: bool,
    #[serde(default)]
    term: Option<TermSpec>,
    #[serde(default)]
    termination: Vec<String>,
    #[serde(default)]
    signed: BTreeMap<String, When<Timestamp>>,
    #[serde(default)]
    ratified: BTreeMap<String, When<Timestamp>>,
    #[serde(default)]
    rejected: BTreeMap<String, When<Timestamp>>,
    #[serde(default)]
    classification: Option<Text<Level>>,
    #[serde(default)]
    releasable_to: Option<Vec<PartyCode>>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    illustrative: bool,
    #[serde(default)]
    historical: bool,
    #[serde(default)]
    statement: Option<StatementId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermSpec {
    years: u16,
    from: Text<TermStart>,
    #[serde(default)]
    extendable: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitmentSpec {
    id: CommitmentId,
    guarantor: PartyCode,
    #[serde(default)]
    protected: Option<PartyCode>,
    #[serde(default)]
    instrument: Option<InstrumentId>,
    category: Text<Category>,
    what: String,
    #[serde(default)]
    amount: Option<AmountSpec>,
    trigger: TriggerSpec,
    discretion: Text<Discretion>,
    responses: Vec<ResponseSpec>,
    #[serde(default)]
    from: Option<When<Day>>,
    #[serde(default)]
    until: Option<When<Day>>,
    #[serde(default)]
    classification: Option<Text<Level>>,
    #[serde(default)]
    originator: Option<PartyCode>,
    #[serde(default)]
    releasable_to: Option<Vec<PartyCode>>,
    #[serde(default)]
    illustrative: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmountSpec {
    quantity: u64,
    unit: String,
    #[serde(default)]
    stage: Option<Text<Stage>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerSpec {
    kind: Text<TriggerKind>,
    aggressor: PartyCode,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    requires: Vec<Text<Condition>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseSpec {
    kind: Text<ResponseKind>,
    /// `24h`, `30d` … or `"none"` / absent for "swiftly" (no deadline).
    #[serde(default)]
    within: Option<String>,
    clock: Text<ClockStart>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CeasefireSpec {
    in_force_from: When<Timestamp>,
    #[serde(default)]
    ended_at: Option<When<Timestamp>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementSpec {
    id: StatementId,
    title: String,
    signatories: Vec<PartyCode>,
    /// Adopt once this many approve; absent with no `silence_until`: unanimity.
    #[serde(default)]
    quorum: Option<u16>,
    #[serde(default)]
    silence_until: Option<When<Timestamp>>,
    /// Version 1, then each revision, in order.
    versions: Vec<VersionSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionSpec {
    #[serde(default)]
    tabled: Option<When<Timestamp>>,
    paragraphs: Vec<ParagraphSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParagraphSpec {
    text: String,
    /// The printed marking: `PUBLIC`, `SECRET//REL TO FRA, GBR` …
    marking: Text<Marking>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeetingSpec {
    id: MeetingId,
    title: String,
    host: PartyCode,
    place: String,
    day: When<Day>,
    #[serde(default)]
    attendees: Vec<AttendeeSpec>,
    #[serde(default)]
    agenda: Vec<StatementId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttendeeSpec {
    principal: PrincipalId,
    attendance: Text<Attendance>,
}

/// A value written as a string and parsed with `FromStr` (roles, levels, categories …), so the
/// error message is the domain's own ("expected one of …").
struct Text<T>(T);

impl<'de, T> Deserialize<'de> for Text<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map(Text).map_err(de::Error::custom)
    }
}

/// A date or time written either as a quoted string or as a TOML date/datetime.
struct When<T>(T);

impl<'de, T> Deserialize<'de> for When<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = match toml::Value::deserialize(deserializer)? {
            toml::Value::String(text) => text,
            toml::Value::Datetime(datetime) => datetime.to_string(),
            other => {
                return Err(de::Error::custom(format!(
                    "expected a date such as \"2026-01-06\" or a time such as \"2026-01-06T14:00:00Z\", found {}",
                    other.type_str()
                )));
            }
        };
        text.parse().map(When).map_err(de::Error::custom)
    }
}

/// An item's marking (PUBLIC unless a classification is given); a releasability list on a
/// PUBLIC item is refused, naming the field.
fn marking(
    level: Option<Text<Level>>,
    originator: Option<PartyCode>,
    releasable: Option<Vec<PartyCode>>,
) -> Result<Marking, String> {
    let marking = Marking {
        level: level.map_or(Level::Public, |text| text.0),
        originator,
        releasable_to: releasable.map(|parties| parties.into_iter().collect()),
    };
    match marking.contradiction() {
        Some(problem) => Err(format!("releasable_to: {problem}")),
        None => Ok(marking),
    }
}

/// Reads a scenario. `file` is only used in messages.
pub fn parse_scenario(file: &str, text: &str) -> Result<Scenario, SourceError> {
    let parsed: File = toml::from_str(text)
        .map_err(|err| SourceError::at(file, text, err.span(), err.message().trim()))?;
    let error =
        |span: Range<usize>, message: String| SourceError::at(file, text, Some(span), message);
    let seed = |span: Range<usize>| {
        crate::random::seed().map_err(|err| {
            error(
                span,
                format!("no randomness for the statement's commitments: {err}"),
            )
        })
    };

    let coalition_span = parsed.coalition.span();
    let coalition = parsed.coalition.into_inner();
    let mut commands: Vec<(Command, Range<usize>)> = Vec::new();

    // The founding secretariat is one of the principals; it must be found before anything else.
    let mut principals = Vec::new();
    for spec in parsed.principals {
        let span = spec.span();
        let spec = spec.into_inner();
        let principal = Principal {
            id: spec.id,
            name: spec.name,
            party: spec.party,
            role: spec.role.0,
            clearance: spec.clearance.0,
            marking: marking(spec.classification, None, spec.releasable_to)
                .map_err(|problem| error(span.clone(), problem))?,
            public_key: spec.public_key.map(|k| k.0),
        };
        principals.push((principal, span));
    }
    let Some(founder) = principals
        .iter()
        .find(|(p, _)| p.id == coalition.recorded_by)
        .map(|(p, _)| p.clone())
    else {
        return Err(error(
            coalition_span,
            format!(
                "recorded_by names principal {:?}, which is not among the [[principals]]",
                coalition.recorded_by.as_str()
            ),
        ));
    };
    let protected = coalition.protected.clone();
    let verification = coalition
        .verification
        .map_or_else(VerificationRule::default, |v| VerificationRule {
            monitor_suffices: v.monitor_suffices,
            members_with_secretariat: v.members_with_secretariat,
        });
    commands.push((
        Command::FoundCoalition {
            id: coalition.id.clone(),
            name: coalition.name,
            protected: coalition.protected,
            verification,
            founder: founder.clone(),
            at: coalition.founded.map(|w| w.0),
        },
        coalition_span.clone(),
    ));
    for category in coalition.categories {
        commands.push((
            Command::DefineCategory {
                category: category.id.0,
                description: category.description,
            },
            coalition_span.clone(),
        ));
    }

    for spec in parsed.seats {
        let span = spec.span();
        let spec = spec.into_inner();
        let parties: Vec<PartyCode> = spec.party.into_iter().chain(spec.parties).collect();
        if parties.is_empty() {
            return Err(error(span, "a seat needs `party` or `parties`".into()));
        }
        for party in parties {
            let seat = Seat {
                party,
                role: spec.role.0,
                from: spec.from.as_ref().map(|w| w.0),
                until: spec.until.as_ref().map(|w| w.0),
                disclosed: spec.disclosed,
                note: spec.note.clone(),
            };
            commands.push((Command::GrantSeat(seat), span.clone()));
        }
    }

    for (principal, span) in principals {
        if principal.id != founder.id {
            commands.push((Command::RegisterPrincipal(principal), span));
        }
    }

    for spec in parsed.instruments {
        let span = spec.span();
        let spec = spec.into_inner();
        let id = spec.id.clone();
        let party_of = |code: &str| {
            PartyCode::parse(code)
                .map_err(|err| error(span.clone(), format!("instrument {id}: {err}")))
        };
        let instrument = Instrument {
            id: spec.id,
            title: spec.title,
            form: spec.form.0,
            legal_force: spec.legal_force.0,
            parties: spec.parties,
            activation: spec.activation.0,
            ratification_required: spec.ratification_required,
            term: spec.term.map(|t| Term {
                years: t.years,
                from: t.from.0,
                extendable: t.extendable,
            }),
            termination: spec
                .termination
                .iter()
                .map(|t| TerminationCondition::from_text(t))
                .collect(),
            statement: spec.statement,
            marking: marking(spec.classification, None, spec.releasable_to)
                .map_err(|problem| error(span.clone(), problem))?,
            source: spec.source,
            illustrative: spec.illustrative,
            historical: spec.historical,
        };
        commands.push((Command::RecordInstrument(instrument), span.clone()));
        for (party, at) in &spec.signed {
            commands.push((
                Command::SignInstrument {
                    instrument: id.clone(),
                    party: party_of(party)?,
                    at: at.0,
                },
                span.clone(),
            ));
        }
        for (status, entries) in [
            (Ratification::Ratified, &spec.ratified),
            (Ratification::Rejected, &spec.rejected),
        ] {
            for (party, at) in entries {
                commands.push((
                    Command::RecordRatification {
                        instrument: id.clone(),
                        party: party_of(party)?,
                        status,
                        at: at.0,
                    },
                    span.clone(),
                ));
            }
        }
    }

    for spec in parsed.commitments {
        let span = spec.span();
        let spec = spec.into_inner();
        let mut responses = Vec::new();
        for response in spec.responses {
            let within = match response.within.as_deref() {
                None | Some("none") => None,
                Some(text) => Some(Span::parse(text).map_err(|err| {
                    error(
                        span.clone(),
                        format!("commitment {}: responses: {err}", spec.id),
                    )
                })?),
            };
            responses.push(Response {
                kind: response.kind.0,
                within,
                clock: response.clock.0,
            });
        }
        let commitment = Commitment {
            id: spec.id.clone(),
            guarantor: spec.guarantor,
            protected: spec.protected.unwrap_or_else(|| protected.clone()),
            instrument: spec.instrument,
            category: spec.category.0,
            what: spec.what,
            amount: spec.amount.map(|a| Amount {
                quantity: a.quantity,
                unit: a.unit,
                stage: a.stage.map_or(Stage::Committed, |s| s.0),
            }),
            trigger: Trigger {
                kind: spec.trigger.kind.0,
                aggressor: spec.trigger.aggressor,
                scope: spec.trigger.scope,
                requires: spec.trigger.requires.into_iter().map(|c| c.0).collect(),
            },
            discretion: spec.discretion.0,
            responses,
            validity: Validity {
                from: spec.from.map(|w| w.0),
                until: spec.until.map(|w| w.0),
            },
            marking: marking(spec.classification, spec.originator, spec.releasable_to)
                .map_err(|problem| error(span.clone(), problem))?,
            illustrative: spec.illustrative,
        };
        commands.push((
            Command::AddCommitment(NewCommitment {
                id: Some(spec.id),
                commitment,
                at: None,
            }),
            span,
        ));
    }

    for spec in parsed.ceasefires {
        let span = spec.span();
        let spec = spec.into_inner();
        commands.push((
            Command::DeclareCeasefire {
                in_force_from: spec.in_force_from.0,
            },
            span.clone(),
        ));
        if let Some(ended) = spec.ended_at {
            commands.push((Command::EndCeasefire { at: ended.0 }, span));
        }
    }

    for spec in parsed.statements {
        let span = spec.span();
        let spec = spec.into_inner();
        let rule = match (spec.quorum, spec.silence_until) {
            (Some(_), Some(_)) => {
                return Err(error(
                    span,
                    format!(
                        "statement {}: give quorum or silence_until, not both",
                        spec.id
                    ),
                ));
            }
            (Some(k), None) => AdoptionRule::Quorum { k },
            (None, Some(deadline)) => AdoptionRule::Silence {
                deadline: deadline.0,
            },
            (None, None) => AdoptionRule::Unanimity,
        };
        let mut versions = spec.versions.into_iter().map(|v| {
            let paragraphs = v
                .paragraphs
                .into_iter()
                .map(|p| Paragraph {
                    text: p.text.trim().to_owned(),
                    marking: p.marking.0,
                })
                .collect::<Vec<_>>();
            (paragraphs, v.tabled.map(|w| w.0))
        });
        let (first, first_tabled) = versions.next().ok_or_else(|| {
            error(
                span.clone(),
                format!("statement {}: needs at least one version", spec.id),
            )
        })?;
        commands.push((
            Command::DraftStatement {
                statement: spec.id.clone(),
                title: spec.title,
                signatories: spec.signatories,
                rule,
                paragraphs: first,
                seed: seed(span.clone())?,
                at: first_tabled,
            },
            span.clone(),
        ));
        for (paragraphs, tabled) in versions {
            commands.push((
                Command::ReviseStatement {
                    statement: spec.id.clone(),
                    paragraphs,
                    seed: seed(span.clone())?,
                    at: tabled,
                },
                span.clone(),
            ));
        }
    }

    for spec in parsed.meetings {
        let span = spec.span();
        let spec = spec.into_inner();
        let meeting = Meeting {
            id: spec.id,
            title: spec.title,
            host: spec.host,
            place: spec.place,
            day: spec.day.0,
            attendees: spec
                .attendees
                .into_iter()
                .map(|a| (a.principal, a.attendance.0))
                .collect(),
            agenda: spec.agenda,
            marking: Marking::public(),
        };
        commands.push((Command::RecordMeeting(meeting), span));
    }

    Ok(Scenario {
        coalition: coalition.id,
        recorded_by: founder.id,
        commands,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[coalition]
id = "test"
name = "Test coalition"
protected = "UKR"
recorded_by = "sec"

[[seats]]
parties = ["FRA", "GBR"]
role = "member"

[[principals]]
id = "sec"
name = "Secretariat"
party = "FRA"
role = "secretariat"
clearance = "SECRET"
"#;

    #[test]
    fn a_minimal_scenario_founds_the_coalition_first() {
        let scenario = parse_scenario("s.toml", MINIMAL).unwrap();
        assert_eq!(scenario.coalition.as_str(), "test");
        assert!(matches!(
            scenario.commands[0].0,
            Command::FoundCoalition { .. }
        ));
        assert_eq!(
            scenario.commands.len(),
            3,
            "founding + two seats; the founder is not registered twice"
        );
    }

    #[test]
    fn a_bad_party_code_is_reported_at_its_line() {
        let text = MINIMAL.replace(r#"parties = ["FRA", "GBR"]"#, r#"parties = ["FRA", "XXX"]"#);
        let err = parse_scenario("s.toml", &text).unwrap_err();
        assert_eq!(err.line, Some(9), "{err}");
        assert!(err.to_string().starts_with("s.toml:9:"), "{err}");
        assert!(err.message.contains("unknown party code \"XXX\""), "{err}");
    }

    #[test]
    fn malformed_toml_is_reported_with_its_line() {
        let text = MINIMAL.replace("role = \"member\"", "role = member");
        let err = parse_scenario("s.toml", &text).unwrap_err();
        assert_eq!(err.line, Some(10), "{err}");
    }

    #[test]
    fn an_unknown_field_is_an_error() {
        let text = MINIMAL.replace("role = \"member\"", "role = \"member\"\ncolour = \"blue\"");
        let err = parse_scenario("s.toml", &text).unwrap_err();
        assert!(err.message.contains("colour"), "{err}");
    }

    #[test]
    fn a_missing_founder_is_an_error() {
        let text = MINIMAL.replace("recorded_by = \"sec\"", "recorded_by = \"nobody\"");
        let err = parse_scenario("s.toml", &text).unwrap_err();
        assert!(err.message.contains("nobody"), "{err}");
        assert_eq!(err.line, Some(2));
    }
}
