//! The result documents: what every analysis gives a reader, by name (issues, options and
//! parties named, not indexed), ready to serialise.
//!
//! One definition for every printer: `coalition negotiate … --json` prints these, and an HTTP
//! API prints the same shapes. Fields are declared in alphabetical order because that is the
//! order of the keys in the published JSON (the documents were first written as sorted JSON
//! maps, and readers compare them); outcomes are maps from issue name to option label, sorted
//! by issue name for the same reason.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::bargaining::{Solution, Solutions};
use crate::bloc::{Agreement, BlocAnalysis};
use crate::evaluate::Evaluation;
use crate::feasible::{FeasibleSet, StickingPoints};
use crate::forecast::{Exchange, ExchangeForecast, ForecastInput, Move};
use crate::genius::Semantics;
use crate::model::Negotiation;
use crate::space::Tables;

/// An outcome by name: issue name → option label.
pub type Outcome = BTreeMap<String, String>;

/// Numbers per issue by issue name (issues without a number are left out).
pub type IssueValues = BTreeMap<String, f64>;

fn outcome(negotiation: &Negotiation, options: &[u32]) -> Outcome {
    negotiation
        .labels(options)
        .into_iter()
        .map(|(i, l)| (i.to_owned(), l.to_owned()))
        .collect()
}

fn party_names(negotiation: &Negotiation, parties: &[usize]) -> Vec<String> {
    parties
        .iter()
        .map(|&p| negotiation.parties[p].name.clone())
        .collect()
}

fn issue_names(negotiation: &Negotiation, issues: &[usize]) -> Vec<String> {
    issues
        .iter()
        .map(|&i| negotiation.issues[i].name.clone())
        .collect()
}

/// An outcome with its utility for each party analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The outcome.
    pub outcome: Outcome,
    /// One utility per party, in the order of the document's parties.
    pub utilities: Vec<f64>,
}

/// A bargaining solution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolutionDocument {
    /// The outcome chosen.
    pub outcome: Outcome,
    /// One utility per party.
    pub utilities: Vec<f64>,
    /// The objective's value there (product, spread, sum or minimum).
    pub value: f64,
}

impl SolutionDocument {
    /// The document of `solution`.
    pub fn new(negotiation: &Negotiation, solution: &Solution) -> SolutionDocument {
        SolutionDocument {
            outcome: outcome(negotiation, &solution.outcome),
            utilities: solution.utilities.clone(),
            value: solution.value,
        }
    }

    fn of(negotiation: &Negotiation, solution: Option<&Solution>) -> Option<SolutionDocument> {
        solution.map(|s| SolutionDocument::new(negotiation, s))
    }
}

/// Every bargaining solution (`null` where undefined).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SolutionsDocument {
    /// Largest smallest gain.
    pub egalitarian: Option<SolutionDocument>,
    /// Kalai–Smorodinsky, normalised gains (literature, NegMAS).
    pub kalai_smorodinsky: Option<SolutionDocument>,
    /// Kalai–Smorodinsky as GENIUS computes it.
    pub kalai_smorodinsky_genius: Option<SolutionDocument>,
    /// Nash bargaining solution.
    pub nash: Option<SolutionDocument>,
    /// Largest sum of utilities.
    pub utilitarian: Option<SolutionDocument>,
}

impl SolutionsDocument {
    /// The document of `solutions`.
    pub fn new(negotiation: &Negotiation, solutions: &Solutions) -> SolutionsDocument {
        SolutionsDocument {
            egalitarian: SolutionDocument::of(negotiation, solutions.egalitarian.as_ref()),
            kalai_smorodinsky: SolutionDocument::of(
                negotiation,
                solutions.kalai_smorodinsky.as_ref(),
            ),
            kalai_smorodinsky_genius: SolutionDocument::of(
                negotiation,
                solutions.kalai_smorodinsky_genius.as_ref(),
            ),
            nash: SolutionDocument::of(negotiation, solutions.nash.as_ref()),
            utilitarian: SolutionDocument::of(negotiation, solutions.utilitarian.as_ref()),
        }
    }
}

/// A red line that must give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedLineDocument {
    /// The issues it concerns.
    pub issues: Vec<String>,
    /// Whose red line it is.
    pub party: String,
    /// The red line in words.
    pub red_line: String,
}

/// Why nothing is acceptable: the fewest constraints that must give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StickingPointsDocument {
    /// The issues involved.
    pub issues: Vec<String>,
    /// The parties involved.
    pub parties: Vec<String>,
    /// The red lines that must go.
    pub red_lines: Vec<RedLineDocument>,
    /// The parties whose reservation value must come down.
    pub reservations: Vec<String>,
    /// An outcome that becomes possible once they go.
    pub witness: Outcome,
}

impl StickingPointsDocument {
    /// The document of `sticking`.
    pub fn new(negotiation: &Negotiation, sticking: &StickingPoints) -> StickingPointsDocument {
        StickingPointsDocument {
            issues: issue_names(negotiation, &sticking.issues(negotiation)),
            parties: party_names(negotiation, &sticking.parties(negotiation)),
            red_lines: sticking
                .red_lines
                .iter()
                .map(|&r| {
                    let line = &negotiation.red_lines[r];
                    RedLineDocument {
                        issues: issue_names(negotiation, &line.issues()),
                        party: negotiation.parties[line.party].name.clone(),
                        red_line: line.describe(negotiation),
                    }
                })
                .collect(),
            reservations: party_names(negotiation, &sticking.reservations),
            witness: outcome(negotiation, &sticking.witness),
        }
    }

    /// The document of `sticking`, if any.
    pub fn of(
        negotiation: &Negotiation,
        sticking: Option<&StickingPoints>,
    ) -> Option<StickingPointsDocument> {
        sticking.map(|s| StickingPointsDocument::new(negotiation, s))
    }
}

/// `negotiate analyze` and `negotiate frontier`: the space, the frontier, the solutions, and
/// for `analyze` of a scenario the bloc, the sticking points and the forecasts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisDocument {
    /// The bloc's common position (`analyze` of a scenario with a bloc).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bloc: Option<BlocDocument>,
    /// The disagreement point the gains are measured from.
    pub disagreement: Vec<f64>,
    /// The forecasts (`analyze` of a scenario with stances).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<ForecastDocument>,
    /// Every non-dominated acceptable outcome.
    pub frontier: Vec<Point>,
    /// The input file.
    pub input: String,
    /// Issue names, in model order.
    pub issues: Vec<String>,
    /// Size of the outcome space.
    pub outcomes: u128,
    /// Party names, in the order of every utility vector.
    pub parties: Vec<String>,
    /// How GENIUS files were read (`genius` or `raw`; GENIUS input only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub semantics: Option<String>,
    /// The bargaining solutions.
    pub solutions: SolutionsDocument,
    /// Present (`analyze` of a scenario) when the frontier is empty: why (`null` when the
    /// search found nothing to drop).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sticking_points: Option<Option<StickingPointsDocument>>,
    /// Utilities closer than this were treated as equal.
    pub tolerance: f64,
}

impl AnalysisDocument {
    /// The document of `analysis` of every party of `negotiation`, read from `input`.
    pub fn new(negotiation: &Negotiation, analysis: &Analysis, input: &str) -> AnalysisDocument {
        let frontier = &analysis.frontier;
        AnalysisDocument {
            bloc: None,
            disagreement: analysis.solutions.disagreement.clone(),
            forecast: None,
            frontier: (0..frontier.len())
                .map(|i| Point {
                    outcome: outcome(negotiation, frontier.outcome(i)),
                    utilities: frontier.utility(i).to_vec(),
                })
                .collect(),
            input: input.to_owned(),
            issues: negotiation.issues.iter().map(|i| i.name.clone()).collect(),
            outcomes: analysis.outcomes,
            parties: party_names(negotiation, &analysis.parties),
            semantics: None,
            solutions: SolutionsDocument::new(negotiation, &analysis.solutions),
            sticking_points: None,
            tolerance: frontier.tolerance,
        }
    }

    /// Records how the GENIUS files were read.
    pub fn with_semantics(mut self, semantics: Semantics) -> AnalysisDocument {
        self.semantics = Some(semantics.name().to_owned());
        self
    }
}

/// `negotiate analyze` of exchange-model input: no outcome space, only the forecasts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeAnalysisDocument {
    /// The forecasts.
    pub forecast: ForecastDocument,
    /// Always empty (there is no outcome space).
    pub frontier: Vec<Point>,
    /// The input file.
    pub input: String,
    /// Always 0.
    pub outcomes: u128,
    /// Always `null` solutions.
    pub solutions: SolutionsDocument,
}

impl ExchangeAnalysisDocument {
    /// The document of the forecasts made from `input`.
    pub fn new(forecast: ForecastDocument, input: &str) -> ExchangeAnalysisDocument {
        ExchangeAnalysisDocument {
            forecast,
            frontier: Vec::new(),
            input: input.to_owned(),
            outcomes: 0,
            solutions: SolutionsDocument::default(),
        }
    }
}

/// One party's view of a proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyViewDocument {
    /// Whether its utility is at least its reservation value.
    pub beats_reservation: bool,
    /// Its red lines the proposal breaks, in words.
    pub broken_red_lines: Vec<String>,
    /// The party.
    pub party: String,
    /// Its reservation value.
    pub reservation: f64,
    /// Its utility.
    pub utility: f64,
}

/// `negotiate evaluate`: what a proposal gives each party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationDocument {
    /// Whether every party could accept it.
    pub acceptable: bool,
    /// The proposal.
    pub outcome: Outcome,
    /// One view per party, in model order.
    pub parties: Vec<PartyViewDocument>,
}

impl EvaluationDocument {
    /// The document of `evaluation` of `proposal`.
    pub fn new(
        negotiation: &Negotiation,
        proposal: &[u32],
        evaluation: &Evaluation,
    ) -> EvaluationDocument {
        EvaluationDocument {
            acceptable: evaluation.acceptable,
            outcome: outcome(negotiation, proposal),
            parties: evaluation
                .parties
                .iter()
                .map(|v| PartyViewDocument {
                    beats_reservation: v.beats_reservation,
                    broken_red_lines: v
                        .broken
                        .iter()
                        .map(|&r| negotiation.red_lines[r].describe(negotiation))
                        .collect(),
                    party: negotiation.parties[v.party].name.clone(),
                    reservation: v.reservation,
                    utility: v.utility,
                })
                .collect(),
        }
    }
}

/// `negotiate feasible` (`zopa`): the zone of possible agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeasibleDocument {
    /// The first acceptable outcomes in enumeration order (at most the limit asked for).
    pub examples: Vec<Point>,
    /// How many outcomes are acceptable.
    pub feasible: u128,
    /// Size of the outcome space.
    pub outcomes: u128,
    /// Why nothing is acceptable (`null` when something is).
    pub sticking_points: Option<StickingPointsDocument>,
}

impl FeasibleDocument {
    /// The document of `set` (found with `tables`) and of the sticking points when it is
    /// empty.
    pub fn new(
        negotiation: &Negotiation,
        tables: &Tables,
        set: &FeasibleSet,
        sticking: Option<&StickingPoints>,
    ) -> FeasibleDocument {
        FeasibleDocument {
            examples: set
                .examples
                .iter()
                .map(|o| Point {
                    outcome: outcome(negotiation, o),
                    utilities: tables.utilities(o),
                })
                .collect(),
            feasible: set.count,
            outcomes: negotiation.outcome_count(),
            sticking_points: StickingPointsDocument::of(negotiation, sticking),
        }
    }
}

/// An outcome near the bloc's position that everyone could accept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementDocument {
    /// The issues on which it differs from the position.
    pub changed: Vec<String>,
    /// Nash product of gains over reservation values.
    pub nash_product: f64,
    /// The outcome.
    pub outcome: Outcome,
    /// Utilities of the members, then the adversary.
    pub utilities: Vec<f64>,
}

impl AgreementDocument {
    fn new(negotiation: &Negotiation, agreement: &Agreement) -> AgreementDocument {
        AgreementDocument {
            changed: issue_names(negotiation, &agreement.changed),
            nash_product: agreement.nash_product,
            outcome: outcome(negotiation, &agreement.outcome),
            utilities: agreement.utilities.clone(),
        }
    }
}

/// `negotiate bloc`: a bloc's common position and the ZOPA with its adversary near it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlocDocument {
    /// The adversary.
    pub adversary: Option<String>,
    /// Sticking points among the members, when they cannot agree at all.
    pub bloc_sticking_points: Option<StickingPointsDocument>,
    /// The members.
    pub members: Vec<String>,
    /// Points on the members' frontier.
    pub members_frontier_points: usize,
    /// The bloc.
    pub name: String,
    /// When the ZOPA is empty: the acceptable outcome nearest to the position.
    pub nearest_agreement: Option<AgreementDocument>,
    /// How many outcomes the neighbourhood has.
    pub neighbourhood: usize,
    /// The common position.
    pub position: Option<SolutionDocument>,
    /// Who the position leaves below their reservation value.
    pub position_below_reservation: Option<Vec<String>>,
    /// The red lines the position breaks, in words.
    pub position_breaks: Option<Vec<String>>,
    /// Which solution gave the position.
    pub rule: String,
    /// Sticking points between the bloc and the adversary when nothing is acceptable.
    pub sticking_points: Option<StickingPointsDocument>,
    /// The acceptable neighbours, best first.
    pub zopa: Vec<AgreementDocument>,
    /// The parties of the ZOPA's utility vectors: the members, then the adversary.
    pub zopa_parties: Vec<String>,
}

impl BlocDocument {
    /// The document of `bloc`.
    pub fn new(negotiation: &Negotiation, bloc: &BlocAnalysis) -> BlocDocument {
        let name = |p: usize| negotiation.parties[p].name.clone();
        BlocDocument {
            adversary: bloc.adversary.map(name),
            bloc_sticking_points: StickingPointsDocument::of(
                negotiation,
                bloc.bloc_sticking_points.as_ref(),
            ),
            members: party_names(negotiation, &bloc.members),
            members_frontier_points: bloc.frontier_len,
            name: negotiation.blocs[bloc.bloc].name.clone(),
            nearest_agreement: bloc
                .nearest
                .as_ref()
                .map(|z| AgreementDocument::new(negotiation, z)),
            neighbourhood: bloc.neighbourhood,
            position: SolutionDocument::of(negotiation, bloc.position.as_ref()),
            position_below_reservation: bloc.evaluation.as_ref().map(|e| {
                e.parties
                    .iter()
                    .filter(|v| !v.beats_reservation)
                    .map(|v| name(v.party))
                    .collect()
            }),
            position_breaks: bloc.evaluation.as_ref().map(|e| {
                e.parties
                    .iter()
                    .flat_map(|v| v.broken.iter())
                    .map(|&r| negotiation.red_lines[r].describe(negotiation))
                    .collect()
            }),
            rule: bloc.rule.to_owned(),
            sticking_points: StickingPointsDocument::of(negotiation, bloc.sticking_points.as_ref()),
            zopa: bloc
                .zopa
                .iter()
                .map(|z| AgreementDocument::new(negotiation, z))
                .collect(),
            zopa_parties: party_names(negotiation, &bloc.parties()),
        }
    }
}

/// One actor's move in an exchange carried out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoveDocument {
    /// The actor.
    pub actor: String,
    /// The issue it gains on.
    pub demand_issue: String,
    /// Its position before, in the issue's units.
    pub from: f64,
    /// The issue it gives way on.
    pub supply_issue: String,
    /// Its position after.
    pub to: f64,
}

/// An exchange carried out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeDocument {
    /// Its gain.
    pub gain: f64,
    /// Both actors' moves.
    pub moves: Vec<MoveDocument>,
}

/// The exchange model's run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeRunDocument {
    /// The exchanges carried out, per round.
    pub exchanges: Vec<Vec<ExchangeDocument>>,
    /// The predicted outcome after the last round.
    #[serde(rename = "final")]
    pub final_outcome: IssueValues,
    /// Knife edges met per round (always 0 except with binary floats).
    pub knife_edges: Vec<usize>,
    /// The predicted outcome after each round.
    pub rounds: Vec<IssueValues>,
    /// How many ties between equal-gain exchanges were met.
    pub ties: usize,
}

/// `negotiate forecast`: the compromise and exchange models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastDocument {
    /// The compromise model's prediction.
    pub compromise: IssueValues,
    /// The exchange model's run.
    pub exchange: ExchangeRunDocument,
}

impl ForecastDocument {
    /// The document of the `compromise` prediction and the `exchange` run made from `input`.
    pub fn new(
        input: &ForecastInput,
        compromise: &[Option<f64>],
        exchange: &ExchangeForecast,
    ) -> ForecastDocument {
        let values = |v: &[Option<f64>]| -> IssueValues {
            input
                .issues
                .iter()
                .zip(v)
                .filter_map(|(i, v)| v.map(|v| (i.name.clone(), v)))
                .collect()
        };
        let moved = |m: &Move| MoveDocument {
            actor: input.actors[m.actor].clone(),
            demand_issue: input.issues[m.demand_issue].name.clone(),
            from: m.from,
            supply_issue: input.issues[m.supply_issue].name.clone(),
            to: m.to,
        };
        let exchanged = |e: &Exchange| ExchangeDocument {
            gain: e.gain,
            moves: e.moves.iter().map(moved).collect(),
        };
        ForecastDocument {
            compromise: values(compromise),
            exchange: ExchangeRunDocument {
                exchanges: exchange
                    .rounds
                    .iter()
                    .map(|r| r.exchanges.iter().map(exchanged).collect())
                    .collect(),
                final_outcome: values(exchange.final_outcome()),
                knife_edges: exchange.rounds.iter().map(|r| r.knife_edges).collect(),
                rounds: exchange.rounds.iter().map(|r| values(&r.outcome)).collect(),
                ties: exchange.ties,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

    use super::*;
    use crate::analysis::{AnalyzeOptions, analyze};
    use crate::scenario;

    /// JSON read with every object's keys in the order they were written (`serde_json::Value`
    /// re-sorts them).
    enum Tree {
        Leaf,
        List(Vec<Tree>),
        Map(Vec<(String, Tree)>),
    }

    struct TreeVisitor;

    impl<'de> Visitor<'de> for TreeVisitor {
        type Value = Tree;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Tree, E> {
            Ok(Tree::Leaf)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Tree, E> {
            Ok(Tree::Leaf)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Tree, E> {
            Ok(Tree::Leaf)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Tree, E> {
            Ok(Tree::Leaf)
        }
        fn visit_str<E>(self, _: &str) -> Result<Tree, E> {
            Ok(Tree::Leaf)
        }
        fn visit_unit<E>(self) -> Result<Tree, E> {
            Ok(Tree::Leaf)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
            let mut items = Vec::new();
            while let Some(t) = seq.next_element()? {
                items.push(t);
            }
            Ok(Tree::List(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
            let mut entries = Vec::new();
            while let Some(e) = map.next_entry()? {
                entries.push(e);
            }
            Ok(Tree::Map(entries))
        }
    }

    impl<'de> Deserialize<'de> for Tree {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
            d.deserialize_any(TreeVisitor)
        }
    }

    /// The paths of the objects whose keys are not written in sorted order.
    fn unsorted(t: &Tree, path: &str, out: &mut Vec<String>) {
        match t {
            Tree::Leaf => {}
            Tree::List(items) => items
                .iter()
                .for_each(|t| unsorted(t, &format!("{path}[]"), out)),
            Tree::Map(entries) => {
                if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
                    out.push(path.to_owned());
                }
                for (k, t) in entries {
                    unsorted(t, &format!("{path}.{k}"), out);
                }
            }
        }
    }

    fn paris() -> scenario::Scenario {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scenarios/paris-2026.toml"
        ))
        .expect("the Paris scenario");
        scenario::read(&text, "paris-2026.toml").expect("a valid scenario")
    }

    #[test]
    fn documents_write_their_keys_sorted_as_published() {
        let s = paris();
        let neg = &s.negotiation;
        let all: Vec<usize> = (0..neg.parties.len()).collect();
        let a = analyze(neg, &all, AnalyzeOptions::SCENARIO, &mut |_, _| {});
        let mut doc = AnalysisDocument::new(neg, &a, "paris-2026.toml");
        let b = crate::bloc::common_position(neg, 0, 1).expect("the coalition bloc");
        doc.bloc = Some(BlocDocument::new(neg, &b));
        let input = s.forecast_input();
        let ex = crate::forecast::exchange_model(
            &input,
            crate::forecast::ExchangeOptions {
                rounds: 2,
                ..Default::default()
            },
        )
        .expect("a forecast");
        doc.forecast = Some(ForecastDocument::new(
            &input,
            &crate::forecast::compromise(&input),
            &ex,
        ));
        doc.sticking_points = Some(None);
        let written = serde_json::to_string(&doc).expect("serialisable");
        let tree: Tree = serde_json::from_str(&written).expect("JSON");
        let mut wrong = Vec::new();
        unsorted(&tree, "$", &mut wrong);
        assert!(wrong.is_empty(), "keys out of order at {wrong:?}");
        let value: serde_json::Value = serde_json::from_str(&written).expect("JSON");
        assert_eq!(value["sticking_points"], serde_json::Value::Null);
        assert!(value.get("semantics").is_none());
        assert_eq!(value["bloc"]["zopa_parties"][7], "RUS");
        assert_eq!(
            value["forecast"]["exchange"]["rounds"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            value["frontier"][0]["utilities"].as_array().map(Vec::len),
            Some(8)
        );
    }

    #[test]
    fn the_unsorted_check_catches_a_key_out_of_order() {
        let tree: Tree = serde_json::from_str(r#"{"b": 1, "a": {"y": [], "x": 2}}"#).expect("JSON");
        let mut wrong = Vec::new();
        unsorted(&tree, "$", &mut wrong);
        assert_eq!(wrong, ["$", "$.a"]);
    }
}
