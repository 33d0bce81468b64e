//! Forecasts of where a negotiation ends: the compromise model and the exchange model.
//!
//! * **Compromise model**: per issue, the mean of the actors' positions weighted by power ×
//!   salience.
//! * **Exchange model** (Stokman & Van Oosten, "equal gain" variant) as implemented by the
//!   `decide-exchange-model` package, version 2022.1.28, with its model code followed step by
//!   step: positions are rescaled to 0–100; every round, for every pair of issues, actors on
//!   opposite sides of the compromise on both issues offer to move on the issue that matters
//!   less to them in exchange for a move of the other actor on the issue that matters more;
//!   the exchange with the highest (equal) gain is carried out, the others that share an actor
//!   and an issue with it are recomputed, and so on until none is left; the round's outcome is
//!   the compromise of the positions the actors then vote with; the next round starts from
//!   positions moved part of the way towards those votes.
//!
//! decide breaks ties between exchanges of equal gain at random. Here the default is the
//! deterministic rule decide uses with randomness switched off (the exchange first in its list,
//! which is creation order kept by a stable sort); [`TieRule::Random`] applies decide's random
//! rule with a seeded generator (the same rule, not Python's random stream).
//!
//! decide computes in Python's `decimal` numbers (28 significant digits, rounded half to even
//! after every operation), and some of its decisions compare quantities that are equal on
//! paper (a compromise landing exactly on a demand position, two exchanges with the same
//! gain), so its rounding settles them. [`Arithmetic::Decimal`], the default, computes with
//! the same decimals in the same order of operations and so reproduces decide's exchanges and
//! predictions; [`Arithmetic::Float`] computes in binary floating point, faster, and agrees
//! with decide until the first such "knife edge", which it counts.

use crate::error::ModelError;

mod dec28;
mod engine;
mod hybrid;
mod num;

/// An issue of a forecast: positions lie between `lower` and `upper`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastIssue {
    /// The issue's key.
    pub name: String,
    /// Smallest position on the issue's scale.
    pub lower: f64,
    /// Largest position on the issue's scale.
    pub upper: f64,
}

/// One actor's stance on one issue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForecastStance {
    /// Index into the actors.
    pub actor: usize,
    /// Index into the issues.
    pub issue: usize,
    /// Position on the issue's scale.
    pub position: f64,
    /// Salience (0–1 in decide's data; the formulas use `1 - salience`, so keep 0–1).
    pub salience: f64,
    /// Power or capability.
    pub power: f64,
}

/// Everything the forecasting models need.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ForecastInput {
    /// Actor keys, in order.
    pub actors: Vec<String>,
    /// Issues, in order.
    pub issues: Vec<ForecastIssue>,
    /// Stances, in input order (sums are taken in this order).
    pub stances: Vec<ForecastStance>,
}

/// How to choose between exchanges with exactly the same gain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TieRule {
    /// The exchange first in the list (decide with randomness off). The default.
    First,
    /// decide's rule: a coin flip between the first two, with this seed.
    Random {
        /// Seed of the generator.
        seed: u64,
    },
}

/// The numbers the exchange model computes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Arithmetic {
    /// Decimals of 28 significant digits rounded half to even after every operation, as
    /// Python's `decimal` module in decide: decide's results, exactly. The default. Steps are
    /// first computed in binary floats with error bounds, and in decimals wherever the bounds
    /// cannot guarantee decide's decision, for every exchange carried out and for gains that
    /// may tie.
    #[default]
    Decimal,
    /// The same results as [`Arithmetic::Decimal`], every step computed in decimals (the
    /// reference the float filter is checked against; several times slower).
    DecimalOnly,
    /// Binary floating point: faster; equal to decide until a decision turns on rounding
    /// (counted in [`Round::knife_edges`]).
    Float,
}

/// Options of the exchange model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExchangeOptions {
    /// Rounds to run (decide's default is 10).
    pub rounds: usize,
    /// Tie rule.
    pub ties: TieRule,
    /// Number type.
    pub arithmetic: Arithmetic,
}

impl Default for ExchangeOptions {
    fn default() -> Self {
        ExchangeOptions {
            rounds: 10,
            ties: TieRule::First,
            arithmetic: Arithmetic::Decimal,
        }
    }
}

/// One actor's move in an executed exchange, in the issue's own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    /// The actor.
    pub actor: usize,
    /// The issue the actor gives way on.
    pub supply_issue: usize,
    /// The issue the actor gains on.
    pub demand_issue: usize,
    /// Position on the supply issue before the exchange.
    pub from: f64,
    /// Position the actor votes with after the exchange.
    pub to: f64,
}

/// An exchange carried out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exchange {
    /// The (equal) gain of both actors.
    pub gain: f64,
    /// The two actors' moves.
    pub moves: [Move; 2],
}

/// One round of the exchange model.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Predicted outcome per issue after the round (`None` for an issue nobody has a stance on).
    pub outcome: Vec<Option<f64>>,
    /// The exchanges carried out, in order.
    pub exchanges: Vec<Exchange>,
    /// With [`Arithmetic::Float`]: how many of decide's sign tests in this round compared
    /// numbers closer than [`KNIFE_EDGE`], or ranked two exchanges of gains closer than
    /// [`GAIN_GRID`]: there decide's answer is set by its decimal rounding, so from such a
    /// round on a float run may differ from decide's. Always 0 with [`Arithmetic::Decimal`],
    /// which settles them as decide does.
    pub knife_edges: usize,
    /// With [`Arithmetic::Float`]: how many exchanges had been carried out in this round when
    /// the first knife edge was met.
    pub first_knife_edge: Option<usize>,
}

/// The exchange model's forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeForecast {
    /// The compromise before any exchange.
    pub initial: Vec<Option<f64>>,
    /// Every round.
    pub rounds: Vec<Round>,
    /// How many ties between equal-gain exchanges were met.
    pub ties: usize,
}

impl ExchangeForecast {
    /// The outcome after the last round (the initial compromise if no round ran).
    pub fn final_outcome(&self) -> &[Option<f64>] {
        self.rounds
            .last()
            .map_or(self.initial.as_slice(), |r| r.outcome.as_slice())
    }
}

/// The compromise model: per issue, Σ position·salience·power / Σ salience·power.
pub fn compromise(input: &ForecastInput) -> Vec<Option<f64>> {
    let mut num = vec![0.0; input.issues.len()];
    let mut den = vec![0.0; input.issues.len()];
    let mut seen = vec![false; input.issues.len()];
    for s in &input.stances {
        num[s.issue] += s.position * s.salience * s.power;
        den[s.issue] += s.salience * s.power;
        seen[s.issue] = true;
    }
    (0..input.issues.len())
        .map(|i| {
            seen[i].then(|| {
                if den[i] == 0.0 {
                    input.issues[i].lower
                } else {
                    num[i] / den[i]
                }
            })
        })
        .collect()
}

/// Checks the input: indices in range, finite numbers, positions within bounds, no actor with
/// two stances on one issue.
pub fn validate(input: &ForecastInput) -> Result<(), ModelError> {
    let mut seen = vec![false; input.actors.len() * input.issues.len()];
    for s in &input.stances {
        let (Some(actor), Some(issue)) = (input.actors.get(s.actor), input.issues.get(s.issue))
        else {
            return Err(ModelError::Exchange(format!(
                "a stance refers to actor {} / issue {} that do not exist",
                s.actor, s.issue
            )));
        };
        for (what, v) in [
            ("position", s.position),
            ("salience", s.salience),
            ("power", s.power),
        ] {
            if !v.is_finite() {
                return Err(ModelError::NotFinite {
                    what: format!("{what} of `{actor}` on `{}`", issue.name),
                });
            }
        }
        if s.position < issue.lower || s.position > issue.upper {
            return Err(ModelError::Exchange(format!(
                "position {} of `{actor}` on `{}` is outside the issue's range {}..{}",
                s.position, issue.name, issue.lower, issue.upper
            )));
        }
        let slot = s.actor * input.issues.len() + s.issue;
        if seen[slot] {
            return Err(ModelError::Exchange(format!(
                "`{actor}` has two stances on `{}`",
                issue.name
            )));
        }
        seen[slot] = true;
    }
    Ok(())
}

/// Runs the exchange model.
pub fn exchange_model(
    input: &ForecastInput,
    options: ExchangeOptions,
) -> Result<ExchangeForecast, ModelError> {
    validate(input)?;
    match options.arithmetic {
        Arithmetic::Decimal => match hybrid::run(input, options)? {
            Ok(forecast) => Ok(forecast),
            Err(hybrid::Fallback) => engine::Model::<num::Dec>::new(input).run(options),
        },
        Arithmetic::DecimalOnly => engine::Model::<num::Dec>::new(input).run(options),
        Arithmetic::Float => engine::Model::<f64>::new(input).run(options),
    }
}

/// decide's choice between exchanges of equal gain (`EqualGainModel.highest_gain` with
/// randomness on): when the best exchange ties the next one, a coin flip decides which is
/// carried out, and the other goes to the end of the list. The one place both engines take
/// it from.
struct TieBreaker {
    /// The coin (`None` with [`TieRule::First`]: the first in the list is carried out).
    coin: Option<SplitMix>,
    /// How many ties were met.
    ties: usize,
}

impl TieBreaker {
    fn new(rule: TieRule) -> TieBreaker {
        TieBreaker {
            coin: match rule {
                TieRule::First => None,
                TieRule::Random { seed } => Some(SplitMix(seed)),
            },
            ties: 0,
        }
    }

    /// Whether the list can be reordered by a tie (so incremental sorting is off).
    fn is_random(&self) -> bool {
        self.coin.is_some()
    }

    /// The exchange to carry out, `first` having just been taken off the front of `list`;
    /// `tied(a, b)` is decide's tie test of two exchanges' gains.
    fn choose<E>(
        &mut self,
        list: &mut Vec<usize>,
        first: usize,
        tied: impl FnOnce(usize, usize) -> Result<bool, E>,
    ) -> Result<usize, E> {
        let (Some(coin), Some(&next)) = (self.coin.as_mut(), list.first()) else {
            return Ok(first);
        };
        if !tied(first, next)? {
            return Ok(first);
        }
        self.ties += 1;
        if coin.next_f64() >= 0.5 {
            list.push(first);
            Ok(list.remove(0))
        } else {
            list.push(next);
            Ok(first)
        }
    }
}

/// A small deterministic generator (SplitMix64) for the seeded tie rule.
struct SplitMix(u64);

impl SplitMix {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// With [`Arithmetic::Float`], differences below this in decide's sign tests are counted as
/// knife edges.
pub const KNIFE_EDGE: f64 = 1e-9;

/// With [`Arithmetic::Float`], gains closer than this count as equal when exchanges are
/// ranked.
pub const GAIN_GRID: f64 = 1e-9;

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ForecastInput {
        let issue = |n: &str| ForecastIssue {
            name: n.into(),
            lower: 0.0,
            upper: 100.0,
        };
        let st = |actor, issue, position, salience, power| ForecastStance {
            actor,
            issue,
            position,
            salience,
            power,
        };
        ForecastInput {
            actors: vec!["A".into(), "B".into(), "C".into()],
            issues: vec![issue("p"), issue("q")],
            stances: vec![
                st(0, 0, 100.0, 0.9, 1.0),
                st(0, 1, 100.0, 0.2, 1.0),
                st(1, 0, 0.0, 0.2, 1.0),
                st(1, 1, 0.0, 0.9, 1.0),
                st(2, 0, 50.0, 0.5, 1.0),
                st(2, 1, 50.0, 0.5, 1.0),
            ],
        }
    }

    #[test]
    fn the_compromise_weights_positions_by_salience_and_power() {
        let c = compromise(&input());
        let expect = (100.0 * 0.9 + 50.0 * 0.5) / (0.9 + 0.2 + 0.5);
        assert!((c[0].unwrap() - expect).abs() < 1e-12);
    }

    #[test]
    fn actors_trade_the_issue_they_care_less_about() {
        // A cares about p, B about q; they sit on opposite sides of the compromise on both,
        // so A gives way on q and B on p: p moves towards A, q towards B.
        let f = exchange_model(
            &input(),
            ExchangeOptions {
                rounds: 1,
                ..ExchangeOptions::default()
            },
        )
        .unwrap();
        let before = &f.initial;
        let after = f.final_outcome();
        assert!(
            after[0].unwrap() > before[0].unwrap(),
            "{before:?} → {after:?}"
        );
        assert!(
            after[1].unwrap() < before[1].unwrap(),
            "{before:?} → {after:?}"
        );
        let ex = &f.rounds[0].exchanges[0];
        let a = ex.moves.iter().find(|m| m.actor == 0).unwrap();
        assert_eq!(a.supply_issue, 1);
    }

    #[test]
    fn a_position_outside_the_issue_range_is_refused() {
        let mut i = input();
        i.stances[0].position = 120.0;
        assert!(exchange_model(&i, ExchangeOptions::default()).is_err());
    }

    /// Random inputs on coarse grids, so that compromises land on positions, moves reach the
    /// scale's ends and gains tie: the knife edges the float filter must hand to decimals.
    fn random_input(seed: u64) -> ForecastInput {
        let mut rng = SplitMix(seed);
        let mut pick = |options: &[f64]| options[(rng.next_f64() * options.len() as f64) as usize];
        let n_actors = 4 + (seed % 4) as usize;
        let n_issues = 3 + (seed % 3) as usize;
        let issues = (0..n_issues)
            .map(|k| ForecastIssue {
                name: format!("i{k}"),
                lower: if k == 0 { 0.5 } else { 0.0 },
                upper: if k == 0 { 7.0 } else { 100.0 },
            })
            .collect::<Vec<_>>();
        let mut stances = Vec::new();
        for actor in 0..n_actors {
            for (issue, i) in issues.iter().enumerate() {
                let position = if issue == 0 {
                    pick(&[0.5, 1.0, 3.25, 7.0])
                } else {
                    pick(&[0.0, 25.0, 50.0, 70.0, 100.0])
                };
                stances.push(ForecastStance {
                    actor,
                    issue,
                    position: position.clamp(i.lower, i.upper),
                    salience: pick(&[0.2, 0.4, 0.5, 0.65, 0.8, 1.0]),
                    power: pick(&[0.5, 1.0, 1.0, 2.0]),
                });
            }
        }
        ForecastInput {
            actors: (0..n_actors).map(|a| format!("a{a}")).collect(),
            issues,
            stances,
        }
    }

    #[test]
    fn the_float_filter_changes_nothing_of_decides_decimals() {
        let mut exchanges = 0;
        for seed in 0..40 {
            let input = random_input(seed);
            let run = |arithmetic| {
                let options = ExchangeOptions {
                    rounds: 6,
                    arithmetic,
                    ..ExchangeOptions::default()
                };
                exchange_model(&input, options).unwrap()
            };
            let (filtered, reference) = (run(Arithmetic::Decimal), run(Arithmetic::DecimalOnly));
            assert_eq!(filtered, reference, "seed {seed}");
            exchanges += reference
                .rounds
                .iter()
                .map(|r| r.exchanges.len())
                .sum::<usize>();
        }
        assert!(
            exchanges > 200,
            "the cases exercise the model ({exchanges} exchanges)"
        );
    }
}
