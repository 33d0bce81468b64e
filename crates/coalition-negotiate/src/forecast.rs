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

use crate::error::ModelError;

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

/// Options of the exchange model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExchangeOptions {
    /// Rounds to run (decide's default is 10).
    pub rounds: usize,
    /// Tie rule.
    pub ties: TieRule,
}

impl Default for ExchangeOptions {
    fn default() -> Self {
        ExchangeOptions {
            rounds: 10,
            ties: TieRule::First,
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
    /// How many of decide's sign tests in this round compared numbers closer than
    /// [`KNIFE_EDGE`]: there decide's answer is set by the rounding noise of its 28-digit
    /// decimals, so from such a round on our rounds may legitimately differ from decide's.
    pub knife_edges: usize,
    /// How many exchanges had been carried out in this round when the first knife edge (a
    /// near-zero sign test or a tie in gain between the best two exchanges) was met.
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
    let mut m = Model::new(input);
    let mut rng = match options.ties {
        TieRule::First => None,
        TieRule::Random { seed } => Some(SplitMix(seed)),
    };
    m.calc_nbs();
    let initial = m.denormalised_nbs();
    let mut rounds = Vec::with_capacity(options.rounds);
    let mut ties = 0;
    for _ in 0..options.rounds {
        let (round, t) = m.round(&mut rng)?;
        ties += t;
        rounds.push(round);
    }
    Ok(ExchangeForecast {
        initial,
        rounds,
        ties,
    })
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

#[derive(Debug, Clone, Copy)]
struct Scale {
    lower: f64,
    step: f64,
}

impl Scale {
    fn normalise(&self, v: f64) -> f64 {
        (v - self.lower) * self.step
    }

    fn denormalise(&self, v: f64) -> f64 {
        if v == 0.0 || self.step == 0.0 {
            self.lower
        } else {
            v / self.step + self.lower
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct ActorIssue {
    actor: usize,
    position: f64,
    salience: f64,
    power: f64,
    left: bool,
}

/// One side of an exchange (decide's `AbstractExchangeActor`).
#[derive(Debug, Clone)]
struct Side {
    actor: usize,
    supply_issue: usize,
    demand_issue: usize,
    supply_pos: f64,
    supply_sal: f64,
    supply_pow: f64,
    demand_pos: f64,
    demand_sal: f64,
    y: f64,
    start: f64,
    mv: f64,
    moves: Vec<f64>,
    nbs0: f64,
    nbs1: f64,
}

#[derive(Debug, Clone)]
struct Pending {
    i: Side,
    j: Side,
    gain: f64,
    valid: bool,
    dp: f64,
    dq: f64,
    /// decide's `updates`: per issue, actor → position, in insertion order.
    updates: Vec<(usize, usize, f64)>,
}

struct Model<'a> {
    input: &'a ForecastInput,
    scales: Vec<Scale>,
    /// Per issue, the stances in input order.
    ai: Vec<Vec<ActorIssue>>,
    /// `[issue * actors + actor]` → index into `ai[issue]`.
    lookup: Vec<Option<usize>>,
    nbs: Vec<f64>,
    denominators: Vec<f64>,
    knife_edges: std::cell::Cell<usize>,
    first_knife_edge: std::cell::Cell<Option<usize>>,
    realized_so_far: std::cell::Cell<usize>,
}

impl<'a> Model<'a> {
    fn new(input: &'a ForecastInput) -> Model<'a> {
        let n_issues = input.issues.len();
        let n_actors = input.actors.len();
        let scales: Vec<Scale> = input
            .issues
            .iter()
            .map(|i| {
                let delta = i.upper - i.lower;
                Scale {
                    lower: i.lower,
                    step: if delta != 0.0 { 100.0 / delta } else { 0.0 },
                }
            })
            .collect();
        let mut ai = vec![Vec::new(); n_issues];
        let mut lookup = vec![None; n_issues * n_actors];
        for s in &input.stances {
            lookup[s.issue * n_actors + s.actor] = Some(ai[s.issue].len());
            ai[s.issue].push(ActorIssue {
                actor: s.actor,
                position: scales[s.issue].normalise(s.position),
                salience: s.salience,
                power: s.power,
                left: false,
            });
        }
        Model {
            input,
            scales,
            ai,
            lookup,
            nbs: vec![0.0; n_issues],
            denominators: vec![0.0; n_issues],
            knife_edges: std::cell::Cell::new(0),
            first_knife_edge: std::cell::Cell::new(None),
            realized_so_far: std::cell::Cell::new(0),
        }
    }

    fn knife_edge(&self) {
        self.knife_edges.set(self.knife_edges.get() + 1);
        if self.first_knife_edge.get().is_none() {
            self.first_knife_edge.set(Some(self.realized_so_far.get()));
        }
    }

    fn get(&self, issue: usize, actor: usize) -> Option<&ActorIssue> {
        self.lookup[issue * self.input.actors.len() + actor].map(|k| &self.ai[issue][k])
    }

    fn get_mut(&mut self, issue: usize, actor: usize) -> Option<&mut ActorIssue> {
        let k = self.lookup[issue * self.input.actors.len() + actor]?;
        Some(&mut self.ai[issue][k])
    }

    fn calc_nbs(&mut self) {
        for (issue, list) in self.ai.iter().enumerate() {
            let mut den = 0.0;
            for a in list {
                den += a.salience * a.power;
            }
            self.denominators[issue] = den;
            self.nbs[issue] = if den == 0.0 {
                0.0
            } else {
                let mut num = 0.0;
                for a in list {
                    num += a.position * a.salience * a.power;
                }
                num / den
            };
        }
    }

    fn denormalised_nbs(&self) -> Vec<Option<f64>> {
        (0..self.input.issues.len())
            .map(|i| (!self.ai[i].is_empty()).then(|| self.scales[i].denormalise(self.nbs[i])))
            .collect()
    }

    fn sum_sc(&self, issue: usize) -> f64 {
        let mut s = 0.0;
        for a in &self.ai[issue] {
            s += a.power * a.salience;
        }
        s
    }

    fn side(&self, actor: usize, supply: usize, demand: usize) -> Side {
        let (s, d) = (self.get(supply, actor), self.get(demand, actor));
        let (sp, ss, sc) = s.map_or((0.0, 0.0, 0.0), |a| (a.position, a.salience, a.power));
        let (dp, ds) = d.map_or((0.0, 0.0), |a| (a.position, a.salience));
        Side {
            actor,
            supply_issue: supply,
            demand_issue: demand,
            supply_pos: sp,
            supply_sal: ss,
            supply_pow: sc,
            demand_pos: dp,
            demand_sal: ds,
            y: 0.0,
            start: sp,
            mv: 0.0,
            moves: Vec::new(),
            nbs0: 0.0,
            nbs1: 0.0,
        }
    }

    /// decide's `calculations.adjusted_nbs`.
    fn adjusted_nbs(&self, side: &Side, updates: &[(usize, usize, f64)], new_position: f64) -> f64 {
        let issue = side.supply_issue;
        let den = self.denominators[issue];
        if den == 0.0 {
            return 0.0;
        }
        let mut num = 0.0;
        for a in &self.ai[issue] {
            let mut x = a.position;
            if let Some(&(_, _, v)) = updates.iter().find(|u| u.0 == issue && u.1 == a.actor) {
                x = v;
            }
            if a.actor == side.actor {
                x = new_position;
            }
            num += x * a.salience * a.power;
        }
        num / den
    }

    /// decide's `calculations.adjusted_nbs_by_position`. decide means to sum over the other
    /// actors, but its test `key is not actor` compares a deep-copied key with the original
    /// and is always true, so the actor's own term (at `x_pos`) is included: the result is
    /// the shift from `x_pos` that moves the compromise to `new_nbs`. Followed as written.
    fn adjusted_nbs_by_position(
        &self,
        side: &Side,
        updates: &[(usize, usize, f64)],
        x_pos: f64,
        new_nbs: f64,
    ) -> f64 {
        let issue = side.supply_issue;
        let den = self.denominators[issue];
        let mut num = 0.0;
        let mut own = (0.0, 0.0);
        for a in &self.ai[issue] {
            let mut x = if a.actor == side.actor {
                x_pos
            } else {
                a.position
            };
            if let Some(&(_, _, v)) = updates.iter().find(|u| u.0 == issue && u.1 == a.actor) {
                x = v;
            }
            if a.actor == side.actor {
                own = (a.salience, a.power);
            }
            num += x * a.salience * a.power;
        }
        (new_nbs * den - num) / (own.0 * own.1)
    }

    fn round(&mut self, rng: &mut Option<SplitMix>) -> Result<(Round, usize), ModelError> {
        self.calc_nbs();
        self.knife_edges.set(0);
        self.first_knife_edge.set(None);
        self.realized_so_far.set(0);
        for (issue, list) in self.ai.iter_mut().enumerate() {
            for a in list {
                a.left = a.position <= self.nbs[issue];
            }
        }
        let mut pool: Vec<Pending> = Vec::new();
        let n_issues = self.input.issues.len();
        for p in 0..n_issues {
            for q in p + 1..n_issues {
                let mut groups: [Vec<usize>; 4] = Default::default();
                for actor in 0..self.input.actors.len() {
                    if let (Some(a0), Some(a1)) = (self.get(p, actor), self.get(q, actor)) {
                        groups[usize::from(a0.left) | (usize::from(a1.left) * 2)].push(actor);
                    }
                }
                for (ga, gb) in [(0, 3), (1, 2)] {
                    for &i in &groups[ga] {
                        for &j in &groups[gb] {
                            let e = self.new_exchange(i, j, p, q)?;
                            pool.push(e);
                        }
                    }
                }
            }
        }
        let mut list: Vec<usize> = (0..pool.len()).collect();
        let mut realized: Vec<usize> = Vec::new();
        let mut ties = 0;
        while !list.is_empty() {
            // Highest gain first; a stable sort keeps list order among ties. decide computes
            // in 28-digit decimals, where gains that are equal on paper are equal; in binary
            // floating point they may differ in the last bits, so gains are compared on a
            // grid of GAIN_GRID.
            list.sort_by_key(|&e| std::cmp::Reverse(gain_key(pool[e].gain)));
            let mut realize = list.remove(0);
            if let Some(&next) = list.first()
                && pool[realize].valid
                && pool[next].valid
                && gain_key(pool[realize].gain) == gain_key(pool[next].gain)
            {
                self.knife_edge();
            }
            if let (Some(r), Some(&next)) = (rng.as_mut(), list.first())
                && gain_key(pool[realize].gain) == gain_key(pool[next].gain)
            {
                ties += 1;
                if r.next_f64() >= 0.5 {
                    list.push(realize);
                    realize = list.remove(0);
                } else {
                    list.push(next);
                }
            }
            if !pool[realize].valid {
                continue;
            }
            let mut kept = Vec::with_capacity(list.len());
            for &e in &list {
                if pool[e].valid {
                    let done = pool[realize].clone();
                    self.recalculate(&mut pool[e], &done);
                    if pool[e].valid {
                        kept.push(e);
                    }
                }
            }
            list = kept;
            realized.push(realize);
            self.realized_so_far.set(realized.len());
        }
        let mut exchanges = Vec::with_capacity(realized.len());
        for &r in &realized {
            let e = &pool[r];
            let mv = |s: &Side| Move {
                actor: s.actor,
                supply_issue: s.supply_issue,
                demand_issue: s.demand_issue,
                from: self.scales[s.supply_issue].denormalise(s.start),
                to: self.scales[s.supply_issue].denormalise(s.y),
            };
            exchanges.push(Exchange {
                gain: e.gain,
                moves: [mv(&e.i), mv(&e.j)],
            });
        }
        for &r in &realized {
            for s in [&pool[r].i, &pool[r].j] {
                let y = s.y;
                if let Some(a) = self.get_mut(s.supply_issue, s.actor) {
                    a.position = y;
                }
            }
        }
        self.calc_nbs();
        let outcome = self.denormalised_nbs();
        for &r in &realized {
            for s in [&pool[r].i, &pool[r].j] {
                let (sal, x, y) = (s.supply_sal, s.start, s.y);
                let swv = (1.0 - sal) * 0.4 * y;
                let fwv = 0.1 * y;
                let pv = (1.0 - (1.0 - sal) * 0.4 - 0.1) * x;
                if let Some(a) = self.get_mut(s.supply_issue, s.actor) {
                    a.position = swv + fwv + pv;
                }
            }
        }
        let knife_edges = self.knife_edges.get();
        Ok((
            Round {
                outcome,
                exchanges,
                knife_edges,
                first_knife_edge: self.first_knife_edge.get(),
            },
            ties,
        ))
    }

    fn new_exchange(&self, i: usize, j: usize, p: usize, q: usize) -> Result<Pending, ModelError> {
        let sal = |actor: usize, issue: usize| self.get(issue, actor).map_or(0.0, |a| a.salience);
        for (a, issue) in [(i, q), (j, q)] {
            if sal(a, issue) == 0.0 {
                return Err(ModelError::Exchange(format!(
                    "salience of `{}` on `{}` is 0; the exchange model divides by it",
                    self.input.actors[a], self.input.issues[issue].name
                )));
            }
        }
        let (a, b) = if sal(i, p) / sal(i, q) < sal(j, p) / sal(j, q) {
            (self.side(j, q, p), self.side(i, p, q))
        } else {
            (self.side(i, q, p), self.side(j, p, q))
        };
        let mut e = Pending {
            i: a,
            j: b,
            gain: 0.0,
            valid: true,
            dp: 0.0,
            dq: 0.0,
            updates: Vec::new(),
        };
        self.calculate(&mut e);
        Ok(e)
    }

    /// decide's `EqualGainExchange.calculate` with p = 0.
    fn calculate(&self, e: &mut Pending) {
        let sum_i = self.sum_sc(e.i.supply_issue);
        let sum_j = self.sum_sc(e.j.supply_issue);
        e.dp = by_absolute_move(&e.j, &e.i, sum_j);
        e.dq = by_exchange_ratio(&e.j, &e.i, e.dp);
        e.i.mv = reverse_move(&e.i, e.dq, sum_i);
        e.j.mv = (e.i.demand_pos - e.j.supply_pos).abs();
        if e.i.mv.abs() > (e.j.demand_pos - e.i.supply_pos).abs() {
            e.dq = by_absolute_move(&e.i, &e.j, sum_i);
            e.dp = by_exchange_ratio(&e.i, &e.j, e.dq);
            e.i.mv = (e.j.demand_pos - e.i.supply_pos).abs();
            e.j.mv = reverse_move(&e.j, e.dp, sum_j);
        }
        if e.i.supply_pos > e.j.demand_pos {
            e.i.mv = -e.i.mv;
        }
        if e.j.supply_pos > e.i.demand_pos {
            e.j.mv = -e.j.mv;
        }
        e.i.moves.push(e.i.mv);
        e.j.moves.push(e.j.mv);
        e.i.y = e.i.supply_pos + e.i.mv;
        e.j.y = e.j.supply_pos + e.j.mv;
        let eui = expected_utility(&e.i, e.dq, e.dp);
        e.gain = eui.abs();
        e.valid = is_move_valid(&e.i, e.i.mv) && is_move_valid(&e.j, e.j.mv);
        if e.gain < 1e-10 {
            e.valid = false;
        }
        if !e.valid {
            return;
        }
        self.check_nbs(e, true);
        self.check_nbs(e, false);
        e.valid = is_move_valid(&e.i, e.i.mv) && is_move_valid(&e.j, e.j.mv);
    }

    /// decide's `AbstractExchangeActor.check_nbs` for side i (`me_is_i`) or j.
    fn check_nbs(&self, e: &mut Pending, me_is_i: bool) {
        let updates = std::mem::take(&mut e.updates);
        let (me, opp) = if me_is_i {
            (&mut e.i, &mut e.j)
        } else {
            (&mut e.j, &mut e.i)
        };
        me.nbs0 = self.adjusted_nbs(me, &updates, me.supply_pos);
        me.nbs1 = self.adjusted_nbs(me, &updates, me.y);
        let x = opp.demand_pos;
        let (d0, d1) = (x - me.nbs0, x - me.nbs1);
        if d0.abs() <= KNIFE_EDGE || d1.abs() <= KNIFE_EDGE {
            self.knife_edge();
        }
        let both_above = d0 >= 0.0 && d1 >= 0.0;
        let both_below = d0 <= 0.0 && d1 <= 0.0;
        if !both_above && !both_below {
            let den = self.denominators[me.supply_issue];
            let delta = self
                .adjusted_nbs_by_position(me, &updates, me.supply_pos, x)
                .abs();
            e.dp = (delta * me.supply_sal * me.supply_pow) / den;
            e.dq = by_exchange_ratio(me, opp, e.dp);
            opp.mv = reverse_move(opp, e.dq, self.sum_sc(opp.supply_issue)).abs();
            me.mv = delta;
            if opp.supply_pos > me.demand_pos {
                opp.mv = -opp.mv;
            }
            if me.supply_pos > opp.demand_pos {
                me.mv = -me.mv;
            }
            opp.moves.pop();
            me.moves.pop();
            opp.moves.push(opp.mv);
            me.moves.push(me.mv);
            opp.y = opp.supply_pos + opp.mv;
            me.y = me.supply_pos + me.mv;
            let eui = expected_utility(opp, e.dq, e.dp);
            e.gain = eui.abs();
            let valid = is_move_valid(opp, opp.mv) && is_move_valid(me, me.mv);
            me.nbs1 = self.adjusted_nbs(me, &updates, me.y);
            e.valid = valid;
        }
        e.updates = updates;
    }

    /// decide's `AbstractExchange.recalculate` after `done` was carried out.
    fn recalculate(&self, e: &mut Pending, done: &Pending) {
        let mut re_calc = invalidate_by_supply(e, done);
        for (giver, taker) in [(&done.i, &done.j), (&done.j, &done.i)] {
            // `taker` demands the issue `giver` supplies.
            let shares = |s: &Side| s.actor == taker.actor && s.demand_issue == taker.demand_issue;
            if shares(&e.j) || shares(&e.i) {
                let issue = taker.demand_issue;
                let existing = e
                    .updates
                    .iter()
                    .position(|u| u.0 == issue && u.1 == giver.actor);
                match existing {
                    Some(k) => {
                        let updated = e.updates[k].2;
                        e.updates[k].2 = if giver.start <= updated {
                            if updated < giver.y { updated } else { giver.y }
                        } else if updated > giver.y {
                            updated
                        } else {
                            giver.y
                        };
                    }
                    None => e.updates.push((issue, giver.actor, giver.y)),
                }
                if !re_calc {
                    e.i.moves.pop();
                    e.j.moves.pop();
                    re_calc = true;
                }
            }
        }
        if re_calc {
            self.calculate(e);
        }
    }
}

/// Differences below this in decide's sign tests are counted as knife edges.
pub const KNIFE_EDGE: f64 = 1e-9;

/// Gains closer than this count as equal when exchanges are ranked.
pub const GAIN_GRID: f64 = 1e-9;

fn gain_key(gain: f64) -> i64 {
    (gain / GAIN_GRID).round() as i64
}

/// decide's `invalidate_exchange_by_supply`.
fn invalidate_by_supply(e: &mut Pending, done: &Pending) -> bool {
    let same = |a: &Side, b: &Side| a.actor == b.actor && a.supply_issue == b.supply_issue;
    let mut invalid = false;
    for mine in [&mut e.i, &mut e.j] {
        let source = if same(mine, &done.i) {
            Some(&done.i)
        } else if same(mine, &done.j) {
            Some(&done.j)
        } else {
            None
        };
        if let Some(s) = source {
            mine.supply_pos = s.y;
            if let Some(&last) = s.moves.last() {
                mine.moves.push(last);
            }
            invalid = true;
        }
    }
    if invalid {
        e.i.moves.pop();
        e.j.moves.pop();
    }
    invalid
}

/// decide's `by_absolute_move`: the exchange ratio when `s_actor` moves all the way to the
/// demand position of `d_actor`.
fn by_absolute_move(s_actor: &Side, d_actor: &Side, sum_sc: f64) -> f64 {
    ((d_actor.demand_pos - s_actor.supply_pos).abs() * s_actor.supply_sal * s_actor.supply_pow)
        / sum_sc
}

/// decide's `by_exchange_ratio`.
fn by_exchange_ratio(supply: &Side, opposite: &Side, ratio: f64) -> f64 {
    ((supply.supply_sal + opposite.demand_sal) / (supply.demand_sal + opposite.supply_sal)) * ratio
}

/// decide's `reverse_move`.
fn reverse_move(actor: &Side, ratio: f64, sum_sc: f64) -> f64 {
    (ratio * sum_sc) / (actor.supply_pow * actor.supply_sal)
}

/// decide's `expected_utility`.
fn expected_utility(actor: &Side, demand_ratio: f64, supply_ratio: f64) -> f64 {
    (demand_ratio * actor.supply_sal - supply_ratio * actor.demand_sal).abs()
}

/// decide's `is_move_valid`.
fn is_move_valid(s: &Side, mv: f64) -> bool {
    if mv.abs() > 100.0 || mv.abs() <= 1e-10 {
        return false;
    }
    if s.supply_pos + mv < 0.0 || s.supply_pos + mv > 100.0 {
        return false;
    }
    if s.moves.iter().sum::<f64>() > 100.0 {
        return false;
    }
    let lo = s.moves.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = s.moves.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    !s.moves.is_empty() && ((lo < 0.0 && hi < 0.0) || (lo > 0.0 && hi > 0.0))
}

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
                ties: TieRule::First,
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
}
