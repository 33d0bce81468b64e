//! The exchange model, step by step as decide-exchange-model 2022.1.28 computes it
//! (`model/base.py`, `model/equalgain.py`, `model/calculations.py`, `model/utils.py`), over
//! either number type of [`super::num`]. Every arithmetic expression keeps decide's operands
//! and order of operations (`a * b * c` is `(a * b) * c`, sums run in decide's dict order from
//! an integer 0), so with [`Dec`](super::num::Dec) each intermediate result is decide's.
//!
//! Results decide recomputes without change are computed once: the sums of salience × power
//! per issue (`sum_salience_power`, `calc_nbs_denominator`), the salience ratio of
//! `by_exchange_ratio`, and, per round, each actor's term of the compromise and the running
//! sums of those terms (`adjusted_nbs` then resumes the sum at the first actor whose position
//! differs). These are the same numbers decide gets, taken from a cache.

use std::cell::Cell;

use smallvec::SmallVec;

use super::num::Num;
use super::{Exchange, ExchangeForecast, ExchangeOptions, ForecastInput, Move, Round, TieBreaker};
use crate::error::ModelError;

#[derive(Debug, Clone, Copy)]
pub(super) struct Scale<T> {
    lower: T,
    step: T,
}

impl<T: Num> Scale<T> {
    /// `Issue.normalize`: `Decimal(value - lower) * step_size`.
    fn normalise(&self, v: T) -> T {
        (v - self.lower) * self.step
    }

    /// `Issue.de_normalize`.
    fn denormalise(&self, v: T) -> T {
        if v.is_zero() || self.step.is_zero() {
            self.lower
        } else {
            v / self.step + self.lower
        }
    }
}

/// A side's moves within one exchange: a handful at most in practice, kept inline so that
/// creating and copying an exchange allocates nothing.
pub(super) type Moves<T> = SmallVec<[T; 4]>;

/// An exchange's updates of demand positions (issue, actor, position): rarely more than two.
pub(super) type Updates<T> = SmallVec<[(usize, usize, T); 2]>;

#[derive(Debug, Clone, Copy)]
pub(super) struct Stance<T> {
    pub(super) actor: usize,
    pub(super) position: T,
    pub(super) salience: T,
    pub(super) power: T,
    /// `salience * power`.
    pub(super) sc: T,
    pub(super) left: bool,
    /// `new_start_position`'s weights, which only depend on the salience:
    /// `(1 - salience) * Decimal(0.4)` for the vote and
    /// `(1 - (1 - salience) * Decimal(0.4)) - Decimal(0.1)` for the old position.
    pub(super) vote_weight: T,
    pub(super) keep_weight: T,
}

/// One side of an exchange (decide's `AbstractExchangeActor`).
#[derive(Debug, Clone)]
pub(super) struct Side<T> {
    pub(super) actor: usize,
    pub(super) supply_issue: usize,
    pub(super) demand_issue: usize,
    pub(super) supply_pos: T,
    pub(super) supply_sal: T,
    pub(super) supply_pow: T,
    /// `supply.power * supply.salience`.
    pub(super) supply_sc: T,
    pub(super) demand_pos: T,
    pub(super) demand_sal: T,
    pub(super) y: T,
    pub(super) start: T,
    pub(super) mv: T,
    pub(super) moves: Moves<T>,
    /// `by_exchange_ratio`'s factor with this side supplying:
    /// `(supply.salience + opposite.demand.salience) / (demand.salience + opposite.supply.salience)`.
    pub(super) ratio: T,
    /// How far the entries of `moves` before the current one may be from decide's (they
    /// were computed in binary floats); 0 when they are decide's numbers.
    pub(super) hist_err: f64,
}

#[derive(Debug, Clone)]
pub(super) struct Pending<T> {
    pub(super) i: Side<T>,
    pub(super) j: Side<T>,
    pub(super) gain: T,
    pub(super) valid: bool,
    pub(super) dp: T,
    pub(super) dq: T,
    /// decide's `updates`: per issue, actor → position, in insertion order.
    pub(super) updates: Updates<T>,
}

/// What [`Model::recalculate`] needs of the exchange just carried out.
pub(super) struct Done<T> {
    pub(super) i: DoneSide<T>,
    pub(super) j: DoneSide<T>,
}

#[derive(Clone, Copy)]
pub(super) struct DoneSide<T> {
    pub(super) actor: usize,
    pub(super) supply_issue: usize,
    pub(super) demand_issue: usize,
    pub(super) y: T,
    pub(super) start: T,
    pub(super) last_move: Option<T>,
}

impl<T: Num> DoneSide<T> {
    pub(super) fn of(s: &Side<T>) -> DoneSide<T> {
        DoneSide {
            actor: s.actor,
            supply_issue: s.supply_issue,
            demand_issue: s.demand_issue,
            y: s.y,
            start: s.start,
            last_move: s.moves.last().copied(),
        }
    }
}

pub(super) struct Model<'a, T> {
    pub(super) input: &'a ForecastInput,
    pub(super) scales: Vec<Scale<T>>,
    /// Per issue, the stances in input order (decide's dict order).
    pub(super) ai: Vec<Vec<Stance<T>>>,
    /// `[issue * actors + actor]` → index into `ai[issue]`.
    pub(super) lookup: Vec<Option<usize>>,
    pub(super) nbs: Vec<T>,
    /// Per issue, Σ salience × power.
    pub(super) den: Vec<T>,
    /// Per issue and stance, `position * salience * power` at the round's positions.
    pub(super) terms: Vec<Vec<T>>,
    /// Per issue, the running sums of `terms` from 0: `prefix[k]` sums the first `k`.
    pub(super) prefix: Vec<Vec<T>>,
    pub(super) knife_edges: Cell<usize>,
    pub(super) first_knife_edge: Cell<Option<usize>>,
    pub(super) realized_so_far: Cell<usize>,
    /// The answers of `check_nbs`'s two sign tests in the current `calculate`, recorded (by
    /// a float run, while no comparison has been unsure) or replayed (by the decimal run of
    /// the same step, which then needs not compute the compromises they compare).
    pub(super) sign_tests: Cell<SignTests>,
}

/// See [`Model::sign_tests`].
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct SignTests {
    pub(super) replay: bool,
    pub(super) record: bool,
    pub(super) answers: [Option<(bool, bool)>; 2],
    pub(super) next: usize,
}

impl<'a, T: Num> Model<'a, T> {
    pub(super) fn new(input: &'a ForecastInput) -> Model<'a, T> {
        let n_issues = input.issues.len();
        let n_actors = input.actors.len();
        let scales: Vec<Scale<T>> = input
            .issues
            .iter()
            .map(|i| {
                let (lower, upper) = (T::input(i.lower), T::input(i.upper));
                let delta = upper - lower;
                Scale {
                    lower,
                    step: if delta.is_zero() {
                        T::int(0)
                    } else {
                        T::int(100) / delta
                    },
                }
            })
            .collect();
        let mut ai = vec![Vec::new(); n_issues];
        let mut lookup = vec![None; n_issues * n_actors];
        for s in &input.stances {
            lookup[s.issue * n_actors + s.actor] = Some(ai[s.issue].len());
            let (salience, power) = (T::input(s.salience), T::input(s.power));
            let one = T::int(1);
            let vote_weight = (one - salience).times_salience_weight();
            ai[s.issue].push(Stance {
                vote_weight,
                keep_weight: (one - vote_weight).minus_fixed_weight(),
                actor: s.actor,
                position: scales[s.issue].normalise(T::input(s.position)),
                salience,
                power,
                sc: salience * power,
                left: false,
            });
        }
        Model {
            input,
            scales,
            ai,
            lookup,
            nbs: vec![T::int(0); n_issues],
            den: vec![T::int(0); n_issues],
            terms: vec![Vec::new(); n_issues],
            prefix: vec![Vec::new(); n_issues],
            knife_edges: Cell::new(0),
            first_knife_edge: Cell::new(None),
            realized_so_far: Cell::new(0),
            sign_tests: Cell::new(SignTests::default()),
        }
    }

    pub(super) fn run(mut self, options: ExchangeOptions) -> Result<ExchangeForecast, ModelError> {
        let mut ties = TieBreaker::new(options.ties);
        self.calc_nbs();
        let initial = self.denormalised_nbs();
        let mut rounds = Vec::with_capacity(options.rounds);
        for _ in 0..options.rounds {
            rounds.push(self.round(&mut ties)?);
        }
        Ok(ExchangeForecast {
            initial,
            rounds,
            ties: ties.ties,
        })
    }

    pub(super) fn knife_edge(&self) {
        self.knife_edges.set(self.knife_edges.get() + 1);
        if self.first_knife_edge.get().is_none() {
            self.first_knife_edge.set(Some(self.realized_so_far.get()));
        }
    }

    pub(super) fn index(&self, issue: usize, actor: usize) -> Option<usize> {
        self.lookup[issue * self.input.actors.len() + actor]
    }

    pub(super) fn get(&self, issue: usize, actor: usize) -> Option<&Stance<T>> {
        self.index(issue, actor).map(|k| &self.ai[issue][k])
    }

    /// `AbstractModel.calc_nbs`: per issue Σ salience·power, and the compromise
    /// Σ position·salience·power / Σ salience·power; also the round's cached terms.
    pub(super) fn calc_nbs(&mut self) {
        for (issue, list) in self.ai.iter().enumerate() {
            let mut den = T::int(0);
            for a in list {
                den = den + a.sc;
            }
            self.den[issue] = den;
            let terms: Vec<T> = list
                .iter()
                .map(|a| a.position * a.salience * a.power)
                .collect();
            let mut prefix = Vec::with_capacity(terms.len() + 1);
            let mut num = T::int(0);
            prefix.push(num);
            for &t in &terms {
                num = num + t;
                prefix.push(num);
            }
            self.nbs[issue] = if den.is_zero() { T::int(0) } else { num / den };
            self.terms[issue] = terms;
            self.prefix[issue] = prefix;
        }
    }

    pub(super) fn denormalised_nbs(&self) -> Vec<Option<f64>> {
        (0..self.input.issues.len())
            .map(|i| {
                (!self.ai[i].is_empty()).then(|| self.scales[i].denormalise(self.nbs[i]).to_f64())
            })
            .collect()
    }

    /// `calculations.adjusted_nbs`: the compromise on `side`'s supply issue with the updates
    /// applied and then `side`'s own position set to `new_position`.
    fn adjusted_nbs(&self, side: &Side<T>, updates: &[(usize, usize, T)], new_position: T) -> T {
        let issue = side.supply_issue;
        let den = self.den[issue];
        if den.is_zero() {
            return T::int(0);
        }
        let list = &self.ai[issue];
        let changed = |k: usize| -> Option<T> {
            let actor = list[k].actor;
            if actor == side.actor {
                return Some(new_position);
            }
            updates
                .iter()
                .find(|u| u.0 == issue && u.1 == actor)
                .map(|u| u.2)
        };
        let first = (0..list.len())
            .find(|&k| changed(k).is_some())
            .unwrap_or(list.len());
        let mut num = self.prefix[issue][first];
        for (k, (a, &term)) in list.iter().zip(&self.terms[issue]).enumerate().skip(first) {
            num = num
                + match changed(k) {
                    Some(x) => x * a.salience * a.power,
                    None => term,
                };
        }
        num / den
    }

    /// `calculations.adjusted_nbs_by_position`. decide means to sum over the other actors,
    /// but its test `key is not actor` compares a deep-copied key with the original and is
    /// always true, so the actor's own term (at `x_pos`) is included: the result is the shift
    /// from `x_pos` that moves the compromise to `new_nbs`. Followed as written (there the
    /// updates are applied after the actor's own position, so an update of the actor wins).
    fn adjusted_nbs_by_position(
        &self,
        side: &Side<T>,
        updates: &[(usize, usize, T)],
        x_pos: T,
        new_nbs: T,
    ) -> T {
        let issue = side.supply_issue;
        let list = &self.ai[issue];
        let mut num = T::int(0);
        for (k, a) in list.iter().enumerate() {
            let update = updates.iter().find(|u| u.0 == issue && u.1 == a.actor);
            num = num
                + match (update, a.actor == side.actor) {
                    (Some(u), _) => u.2 * a.salience * a.power,
                    (None, true) => x_pos * a.salience * a.power,
                    (None, false) => self.terms[issue][k],
                };
        }
        (new_nbs * self.den[issue] - num) / side.supply_sc
    }

    fn round(&mut self, ties: &mut TieBreaker) -> Result<Round, ModelError> {
        // ModelLoop.loop: calc_nbs, determine_positions, calc_combinations,
        // determine_groups_and_calculate_exchanges.
        self.start_round();
        let mut pool: Vec<Pending<T>> = Vec::new();
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

        // The loop of ModelLoop.loop with EqualGainModel.highest_gain (a stable sort on the
        // gain, highest first, then the first of the list) and remove_invalid_exchanges.
        let mut list: Vec<usize> = (0..pool.len()).collect();
        let mut realized: Vec<usize> = Vec::new();
        while !list.is_empty() {
            list.sort_by(|&a, &b| pool[b].gain.gain_cmp(pool[a].gain));
            let first = list.remove(0);
            if T::COUNTS_KNIFE_EDGES
                && let Some(&next) = list.first()
                && pool[first].valid
                && pool[next].valid
                && pool[first].gain.tie(pool[next].gain)
            {
                self.knife_edge();
            }
            let realize = ties.choose(&mut list, first, |a, b| {
                Ok::<_, ModelError>(pool[a].gain.tie(pool[b].gain))
            })?;
            if !pool[realize].valid {
                continue;
            }
            let done = Done {
                i: DoneSide::of(&pool[realize].i),
                j: DoneSide::of(&pool[realize].j),
            };
            list.retain(|&e| {
                if !pool[e].valid {
                    return false;
                }
                self.recalculate(&mut pool[e], &done);
                pool[e].valid
            });
            realized.push(realize);
            self.realized_so_far.set(realized.len());
        }

        let realized: Vec<&Pending<T>> = realized.iter().map(|&r| &pool[r]).collect();
        let (outcome, exchanges) = self.finish_round(&realized);
        Ok(Round {
            outcome,
            exchanges,
            knife_edges: self.knife_edges.get(),
            first_knife_edge: self.first_knife_edge.get(),
        })
    }

    /// The start of `ModelLoop.loop`: `calc_nbs` and `determine_positions`.
    pub(super) fn start_round(&mut self) {
        self.calc_nbs();
        self.knife_edges.set(0);
        self.first_knife_edge.set(None);
        self.realized_so_far.set(0);
        for (issue, list) in self.ai.iter_mut().enumerate() {
            for a in list {
                a.left = a.position.le(self.nbs[issue]);
            }
        }
    }

    /// The end of `ModelLoop.loop`: the realized exchanges (reported in the issues' units),
    /// the compromise of the positions the actors vote with (the round's outcome), and the
    /// next round's starting positions (`calculations.new_start_position`, with decide's
    /// binary floats 0.4 and 0.1).
    pub(super) fn finish_round(
        &mut self,
        realized: &[&Pending<T>],
    ) -> (Vec<Option<f64>>, Vec<Exchange>) {
        let mut exchanges = Vec::with_capacity(realized.len());
        for e in realized {
            let mv = |s: &Side<T>| Move {
                actor: s.actor,
                supply_issue: s.supply_issue,
                demand_issue: s.demand_issue,
                from: self.scales[s.supply_issue].denormalise(s.start).to_f64(),
                to: self.scales[s.supply_issue].denormalise(s.y).to_f64(),
            };
            exchanges.push(Exchange {
                gain: e.gain.to_f64(),
                moves: [mv(&e.i), mv(&e.j)],
            });
        }
        // The actors vote with their new positions; the round's outcome is their compromise.
        for e in realized {
            for s in [&e.i, &e.j] {
                if let Some(k) = self.index(s.supply_issue, s.actor) {
                    self.ai[s.supply_issue][k].position = s.y;
                }
            }
        }
        self.calc_nbs();
        let outcome = self.denormalised_nbs();
        // calculations.new_start_position, with decide's binary floats 0.4 and 0.1.
        // The weights are the stance's (its salience is the side's supply salience).
        for e in realized {
            for s in [&e.i, &e.j] {
                let (x, y) = (s.start, s.y);
                if let Some(k) = self.index(s.supply_issue, s.actor) {
                    let a = &mut self.ai[s.supply_issue][k];
                    let swv = a.vote_weight * y;
                    let fwv = y.times_fixed_weight();
                    let pv = a.keep_weight * x;
                    a.position = swv + fwv + pv;
                }
            }
        }
        (outcome, exchanges)
    }

    pub(super) fn side(&self, actor: usize, supply: usize, demand: usize) -> Side<T> {
        let zero = T::int(0);
        let (s, d) = (self.get(supply, actor), self.get(demand, actor));
        let (sp, ss, sw, sc) = s.map_or((zero, zero, zero, zero), |a| {
            (a.position, a.salience, a.power, a.sc)
        });
        let (dp, ds) = d.map_or((zero, zero), |a| (a.position, a.salience));
        Side {
            actor,
            supply_issue: supply,
            demand_issue: demand,
            supply_pos: sp,
            supply_sal: ss,
            supply_pow: sw,
            supply_sc: sc,
            demand_pos: dp,
            demand_sal: ds,
            y: zero,
            start: sp,
            mv: zero,
            moves: Moves::new(),
            ratio: zero,
            hist_err: 0.0,
        }
    }

    /// `AbstractExchange.__init__` followed by `calculate`.
    fn new_exchange(
        &self,
        i: usize,
        j: usize,
        p: usize,
        q: usize,
    ) -> Result<Pending<T>, ModelError> {
        self.check_saliences(i, j, q)?;
        let mut e = self.pending(i, j, p, q, self.swapped(i, j, p, q), true);
        self.calculate(&mut e);
        Ok(e)
    }

    /// The exchange divides by both actors' saliences on `q`.
    pub(super) fn check_saliences(&self, i: usize, j: usize, q: usize) -> Result<(), ModelError> {
        for a in [i, j] {
            if self.get(q, a).is_none_or(|s| s.salience.is_zero()) {
                return Err(ModelError::Exchange(format!(
                    "salience of `{}` on `{}` is 0; the exchange model divides by it",
                    self.input.actors[a], self.input.issues[q].name
                )));
            }
        }
        Ok(())
    }

    /// Whether `j` supplies `q` (decide: `s[i,p] / s[i,q] < s[j,p] / s[j,q]`).
    pub(super) fn swapped(&self, i: usize, j: usize, p: usize, q: usize) -> bool {
        let sal =
            |actor: usize, issue: usize| self.get(issue, actor).map_or(T::int(0), |a| a.salience);
        (sal(i, p) / sal(i, q)).lt(sal(j, p) / sal(j, q))
    }

    /// The exchange before its first calculation; `ratios` computes the sides'
    /// `by_exchange_ratio` factors.
    pub(super) fn pending(
        &self,
        i: usize,
        j: usize,
        p: usize,
        q: usize,
        swapped: bool,
        ratios: bool,
    ) -> Pending<T> {
        let (a, b) = if swapped {
            (self.side(j, q, p), self.side(i, p, q))
        } else {
            (self.side(i, q, p), self.side(j, p, q))
        };
        let zero = T::int(0);
        let mut e = Pending {
            i: a,
            j: b,
            gain: zero,
            valid: true,
            dp: zero,
            dq: zero,
            updates: Updates::new(),
        };
        if ratios {
            set_ratios(&mut e);
        }
        e
    }

    /// `EqualGainExchange.calculate` with p = 0 (no random component).
    pub(super) fn calculate(&self, e: &mut Pending<T>) {
        let den_i = self.den[e.i.supply_issue];
        let den_j = self.den[e.j.supply_issue];
        e.dp = by_absolute_move(&e.j, &e.i, den_j);
        e.dq = e.j.ratio * e.dp;
        e.i.mv = reverse_move(&e.i, e.dq, den_i);
        e.j.mv = (e.i.demand_pos - e.j.supply_pos).abs();
        if e.i.mv.abs().gt((e.j.demand_pos - e.i.supply_pos).abs()) {
            e.dq = by_absolute_move(&e.i, &e.j, den_i);
            e.dp = e.i.ratio * e.dq;
            e.i.mv = (e.j.demand_pos - e.i.supply_pos).abs();
            e.j.mv = reverse_move(&e.j, e.dp, den_j);
        }
        if e.i.supply_pos.gt(e.j.demand_pos) {
            e.i.mv = -e.i.mv;
        }
        if e.j.supply_pos.gt(e.i.demand_pos) {
            e.j.mv = -e.j.mv;
        }
        e.i.moves.push(e.i.mv);
        e.j.moves.push(e.j.mv);
        e.i.y = e.i.supply_pos + e.i.mv;
        e.j.y = e.j.supply_pos + e.j.mv;
        e.gain = expected_utility(&e.i, e.dq, e.dp).abs();
        e.valid = is_move_valid(&e.i, e.i.mv) && is_move_valid(&e.j, e.j.mv);
        if e.gain.cmp_tiny().is_lt() {
            e.valid = false;
        }
        if !e.valid {
            return;
        }
        let cut_i = self.check_nbs(e, true);
        let cut_j = self.check_nbs(e, false);
        // Moves that neither check cut are the ones just found valid: same answer.
        if cut_i || cut_j {
            e.valid = is_move_valid(&e.i, e.i.mv) && is_move_valid(&e.j, e.j.mv);
        }
    }

    /// `AbstractExchangeActor.check_nbs` for side i (`me_is_i`) or j: when the move would
    /// carry the compromise past the other actor's demand position, the move is cut to reach
    /// it exactly and the other side's move is recomputed for an equal gain. Returns whether
    /// it did so.
    fn check_nbs(&self, e: &mut Pending<T>, me_is_i: bool) -> bool {
        let updates = std::mem::take(&mut e.updates);
        let (me, opp) = if me_is_i {
            (&mut e.i, &mut e.j)
        } else {
            (&mut e.j, &mut e.i)
        };
        let x = opp.demand_pos;
        let mut tests = self.sign_tests.get();
        let slot = tests.next.min(1);
        tests.next += 1;
        let replayed = if tests.replay {
            tests.answers[slot]
        } else {
            None
        };
        let (both_above, both_below) = replayed.unwrap_or_else(|| {
            let nbs0 = self.adjusted_nbs(me, &updates, me.supply_pos);
            let nbs1 = self.adjusted_nbs(me, &updates, me.y);
            if T::COUNTS_KNIFE_EDGES && (x.near(nbs0) || x.near(nbs1)) {
                self.knife_edge();
            }
            // `(x - nbs) >= 0` has the sign of the exact difference, rounded or not.
            let answer = (x.ge(nbs0) && x.ge(nbs1), x.le(nbs0) && x.le(nbs1));
            if tests.record {
                tests.answers[slot] = (!super::num::unsure()).then_some(answer);
            }
            answer
        });
        self.sign_tests.set(tests);
        let cut = !both_above && !both_below;
        if cut {
            let den = self.den[me.supply_issue];
            let delta = self
                .adjusted_nbs_by_position(me, &updates, me.supply_pos, x)
                .abs();
            e.dp = delta * me.supply_sal * me.supply_pow / den;
            e.dq = me.ratio * e.dp;
            opp.mv = reverse_move(opp, e.dq, self.den[opp.supply_issue]).abs();
            me.mv = delta;
            if opp.supply_pos.gt(me.demand_pos) {
                opp.mv = -opp.mv;
            }
            if me.supply_pos.gt(opp.demand_pos) {
                me.mv = -me.mv;
            }
            opp.moves.pop();
            me.moves.pop();
            opp.moves.push(opp.mv);
            me.moves.push(me.mv);
            opp.y = opp.supply_pos + opp.mv;
            me.y = me.supply_pos + me.mv;
            e.gain = expected_utility(opp, e.dq, e.dp).abs();
            e.valid = is_move_valid(opp, opp.mv) && is_move_valid(me, me.mv);
        }
        e.updates = updates;
        cut
    }

    /// `AbstractExchange.recalculate` after `done` was carried out.
    pub(super) fn recalculate(&self, e: &mut Pending<T>, done: &Done<T>) {
        if prepare_recalculation(e, done) {
            self.calculate(e);
        }
    }
}

/// The part of `AbstractExchange.recalculate` before `calculate`: takes over the new supply
/// positions and the demand positions that moved; returns whether to recalculate.
pub(super) fn prepare_recalculation<T: Num>(e: &mut Pending<T>, done: &Done<T>) -> bool {
    {
        let mut re_calc = invalidate_by_supply(e, done);
        for (giver, taker) in [(&done.i, &done.j), (&done.j, &done.i)] {
            // `taker` demands the issue `giver` supplies.
            let shares =
                |s: &Side<T>| s.actor == taker.actor && s.demand_issue == taker.demand_issue;
            if shares(&e.j) || shares(&e.i) {
                let issue = taker.demand_issue;
                let existing = e
                    .updates
                    .iter()
                    .position(|u| u.0 == issue && u.1 == giver.actor);
                match existing {
                    // update_updates
                    Some(k) => {
                        let updated = e.updates[k].2;
                        e.updates[k].2 = if giver.start.le(updated) {
                            if updated.lt(giver.y) {
                                updated
                            } else {
                                giver.y
                            }
                        } else if updated.gt(giver.y) {
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
        re_calc
    }
}

/// `by_exchange_ratio`'s salience factors, with side i and with side j supplying.
pub(super) fn set_ratios<T: Num>(e: &mut Pending<T>) {
    let (a, b) = (&e.i, &e.j);
    let ra = (a.supply_sal + b.demand_sal) / (a.demand_sal + b.supply_sal);
    let rb = (b.supply_sal + a.demand_sal) / (b.demand_sal + a.supply_sal);
    e.i.ratio = ra;
    e.j.ratio = rb;
}

/// `invalidate_exchange_by_supply`.
fn invalidate_by_supply<T: Num>(e: &mut Pending<T>, done: &Done<T>) -> bool {
    let same =
        |a: &Side<T>, b: &DoneSide<T>| a.actor == b.actor && a.supply_issue == b.supply_issue;
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
            if let Some(last) = s.last_move {
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

/// `by_absolute_move`: the exchange ratio when `s_actor` moves all the way to the demand
/// position of `d_actor`.
fn by_absolute_move<T: Num>(s_actor: &Side<T>, d_actor: &Side<T>, sum_sc: T) -> T {
    (d_actor.demand_pos - s_actor.supply_pos).abs() * s_actor.supply_sal * s_actor.supply_pow
        / sum_sc
}

/// `reverse_move`.
fn reverse_move<T: Num>(actor: &Side<T>, ratio: T, sum_sc: T) -> T {
    ratio * sum_sc / actor.supply_sc
}

/// `expected_utility`.
fn expected_utility<T: Num>(actor: &Side<T>, demand_ratio: T, supply_ratio: T) -> T {
    (demand_ratio * actor.supply_sal - supply_ratio * actor.demand_sal).abs()
}

/// `AbstractExchangeActor.is_move_valid`.
pub(super) fn is_move_valid<T: Num>(s: &Side<T>, mv: T) -> bool {
    let (zero, hundred) = (T::int(0), T::int(100));
    let size = mv.abs();
    if size.gt(hundred) || size.cmp_tiny().is_le() {
        return false;
    }
    let to = s.supply_pos + mv;
    if to.lt(zero) || to.gt(hundred) {
        return false;
    }
    let mut sum = zero;
    for &m in &s.moves {
        sum = sum + m;
    }
    if s.hist_err > 0.0 {
        // Earlier moves known to within hist_err only: the sum's test and their signs must
        // hold for any values within the bound, or the answer is not guaranteed.
        let slack = 2.0 * s.hist_err;
        let sum_margin = (sum.to_f64() - 100.0).abs() > slack + 1e-9;
        let earlier = &s.moves[..s.moves.len().saturating_sub(1)];
        let signs_clear = earlier.iter().all(|m| m.to_f64().abs() > slack);
        if !sum_margin || !signs_clear {
            super::num::mark_unsure();
        }
    }
    if sum.gt(hundred) {
        return false;
    }
    !s.moves.is_empty()
        && (s.moves.iter().all(|m| m.lt(zero)) || s.moves.iter().all(|m| m.gt(zero)))
}
