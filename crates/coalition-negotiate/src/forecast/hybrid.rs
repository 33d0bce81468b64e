//! decide's decimals at the speed of binary floats where that is safe.
//!
//! Every exchange is computed twice over: in [`Approx`] (binary floats that carry a bound on
//! their distance from decide's decimals) and, when needed, in [`Dec`] (decide's decimals).
//! Both follow [`Model`]'s code. A step is computed in `Approx` first; when one of its
//! comparisons falls within the bounds (decide's answer could depend on digits the float
//! does not have: a knife edge), the step is redone in `Dec` from the exchange's exact
//! state. Exchanges carried out, and exchanges whose gains tie within the bounds when the
//! list is ranked, are always computed in `Dec`. The state every later step starts from
//! (positions, the positions taken over from exchanges carried out, the updates of demand
//! positions, the compromises) is kept in `Dec`; the floats are derived from it.
//!
//! So every decision is decide's, and every number that outlives a step is decide's. The one
//! place the floats cannot be checked against decimals is the history of an actor's earlier
//! moves within an exchange, which only feeds `is_move_valid`'s sum and sign tests; when
//! those are within the bounds the whole run is redone in decimals ([`Fallback`]).

use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::rc::Rc;

use super::engine::{
    Done, DoneSide, Model, Pending, Side, SignTests, prepare_recalculation, set_ratios,
};
use super::num::{Approx, Dec, Num, clear_unsure, unsure};
use super::{ExchangeForecast, ExchangeOptions, ForecastInput, Round, TieBreaker};
use crate::error::ModelError;

/// The float filter could not guarantee a step: the run must be redone in decimals.
pub(super) struct Fallback;

/// One exchange in both number types.
/// An earlier move of one side of an exchange, which `is_move_valid` still sums and
/// sign-tests: decide's number, or the step of the exchange that computed it in floats (then
/// redone in decimals only if the tests need it).
#[derive(Clone)]
enum Earlier {
    Exact(Dec),
    Step(Rc<RefCell<Step>>, usize),
}

/// An exchange's state before one of its steps.
struct Step {
    state: Pending<Dec>,
    earlier: [Vec<Earlier>; 2],
    ratios: bool,
    /// The step's moves of side i and side j, once computed.
    moves: [Option<Dec>; 2],
}

/// One exchange in both number types.
struct Twin {
    a: Pending<Approx>,
    d: Pending<Dec>,
    /// Per side (i, j), the moves before the current one.
    earlier: [Vec<Earlier>; 2],
    /// Whether `d`'s results are those of the exchange's current state.
    fresh: bool,
    /// Whether `d`'s `by_exchange_ratio` factors are computed.
    ratios: bool,
    /// The float run's sign tests of the current step (see [`Model::sign_tests`]).
    sign_tests: [Option<(bool, bool)>; 2],
}

struct Hybrid<'a> {
    md: Model<'a, Dec>,
    ma: Model<'a, Approx>,
}

/// Runs the exchange model in decide's decimals, filtered by bounded floats.
pub(super) fn run(
    input: &ForecastInput,
    options: ExchangeOptions,
) -> Result<Result<ExchangeForecast, Fallback>, ModelError> {
    let mut h = Hybrid {
        md: Model::new(input),
        ma: Model::new(input),
    };
    let mut ties = TieBreaker::new(options.ties);
    h.md.calc_nbs();
    let initial = h.md.denormalised_nbs();
    let mut rounds = Vec::with_capacity(options.rounds);
    for _ in 0..options.rounds {
        match h.round(&mut ties)? {
            Ok(round) => rounds.push(round),
            Err(f) => return Ok(Err(f)),
        }
    }
    Ok(Ok(ExchangeForecast {
        initial,
        rounds,
        ties: ties.ties,
    }))
}

impl Hybrid<'_> {
    /// The floats of the round's state, from the decimals.
    fn shadow(&mut self) {
        let (md, ma) = (&self.md, &mut self.ma);
        for issue in 0..md.ai.len() {
            ma.den[issue] = Approx::of(md.den[issue]);
            ma.nbs[issue] = Approx::of(md.nbs[issue]);
            for (a, d) in ma.ai[issue].iter_mut().zip(&md.ai[issue]) {
                a.position = Approx::of(d.position);
                a.salience = Approx::of(d.salience);
                a.power = Approx::of(d.power);
                a.sc = Approx::of(d.sc);
                a.left = d.left;
            }
            ma.terms[issue] = md.terms[issue].iter().map(|&t| Approx::of(t)).collect();
            ma.prefix[issue] = md.prefix[issue].iter().map(|&t| Approx::of(t)).collect();
        }
    }

    /// Brings `t.d` up to date: the exchange's current step in decimals, its results copied
    /// to the floats.
    fn exact(&self, t: &mut Twin) -> Result<(), Fallback> {
        if t.fresh {
            return Ok(());
        }
        if !t.ratios {
            set_ratios(&mut t.d);
            t.ratios = true;
        }
        // First with the earlier moves as far as they are known in decimals (the others
        // within their float bounds), then, if the history tests needed more, with all.
        for full in [false, true] {
            for (k, ds) in [&mut t.d.i, &mut t.d.j].into_iter().enumerate() {
                let floats = [&t.a.i, &t.a.j][k];
                ds.moves.clear();
                ds.hist_err = 0.0;
                for (n, e) in t.earlier[k].iter().enumerate() {
                    let known = match e {
                        Earlier::Exact(v) => Some(*v),
                        Earlier::Step(s, side) => s.borrow().moves[*side],
                    };
                    let v = match known {
                        Some(v) => v,
                        None if full => self.earlier_move(e)?,
                        None => {
                            let f = floats.moves[n];
                            ds.hist_err += f.e + f.v.abs() * f64::EPSILON;
                            Dec::input(f.v)
                        }
                    };
                    ds.moves.push(v);
                }
            }
            clear_unsure();
            self.md.sign_tests.set(SignTests {
                replay: true,
                answers: t.sign_tests,
                ..SignTests::default()
            });
            self.md.calculate(&mut t.d);
            self.md.sign_tests.set(SignTests::default());
            if !unsure() {
                break;
            }
            if full {
                return Err(Fallback);
            }
        }
        t.a.gain = Approx::of(t.d.gain);
        t.a.valid = t.d.valid;
        for (fs, ds) in [(&mut t.a.i, &t.d.i), (&mut t.a.j, &t.d.j)] {
            fs.y = Approx::of(ds.y);
            fs.mv = Approx::of(ds.mv);
            if let (Some(f), Some(&d)) = (fs.moves.last_mut(), ds.moves.last()) {
                *f = Approx::of(d);
            }
        }
        t.fresh = true;
        Ok(())
    }

    /// decide's number for an earlier move: the step that made it, redone in decimals.
    fn earlier_move(&self, e: &Earlier) -> Result<Dec, Fallback> {
        let (step, side) = match e {
            Earlier::Exact(v) => return Ok(*v),
            Earlier::Step(s, side) => (s, *side),
        };
        if let Some(v) = step.borrow().moves[side] {
            return Ok(v);
        }
        let (mut state, earlier, ratios) = {
            let s = step.borrow();
            (s.state.clone(), s.earlier.clone(), s.ratios)
        };
        for (k, ds) in [&mut state.i, &mut state.j].into_iter().enumerate() {
            ds.moves = earlier[k]
                .iter()
                .map(|e| self.earlier_move(e))
                .collect::<Result<_, _>>()?;
            ds.hist_err = 0.0;
        }
        if !ratios {
            set_ratios(&mut state);
        }
        clear_unsure();
        self.md.calculate(&mut state);
        if unsure() {
            return Err(Fallback);
        }
        let moves = [state.i.moves.last().copied(), state.j.moves.last().copied()];
        step.borrow_mut().moves = moves;
        moves[side].ok_or(Fallback)
    }

    /// One step of an exchange: in floats, and again in decimals if they were not enough.
    fn calculate(&self, t: &mut Twin) -> Result<(), Fallback> {
        clear_unsure();
        self.ma.sign_tests.set(SignTests {
            record: true,
            ..SignTests::default()
        });
        self.ma.calculate(&mut t.a);
        t.sign_tests = self.ma.sign_tests.get().answers;
        t.fresh = false;
        if unsure() { self.exact(t) } else { Ok(()) }
    }

    /// decide's order of two gains (highest first); decimals when the floats cannot tell.
    fn order(&self, pool: &mut [Twin], x: usize, y: usize, failed: &Cell<bool>) -> Ordering {
        clear_unsure();
        let o = pool[y].a.gain.cmp(pool[x].a.gain);
        if !unsure() {
            return o;
        }
        for k in [x, y] {
            if self.exact(&mut pool[k]).is_err() {
                failed.set(true);
            }
        }
        pool[y].d.gain.cmp(pool[x].d.gain)
    }

    /// decide's tie test of the random rule.
    fn tie(&self, pool: &mut [Twin], x: usize, y: usize) -> Result<bool, Fallback> {
        clear_unsure();
        let t = pool[x].a.gain.tie(pool[y].a.gain);
        if !unsure() {
            return Ok(t);
        }
        self.exact(&mut pool[x])?;
        self.exact(&mut pool[y])?;
        Ok(pool[x].d.gain.tie(pool[y].d.gain))
    }

    /// `AbstractExchange.recalculate` on both number types; whether the exchange (and so
    /// its gain) was recalculated.
    fn recalculate(
        &self,
        t: &mut Twin,
        done_d: &Done<Dec>,
        done_a: &Done<Approx>,
    ) -> Result<bool, Fallback> {
        // Only exchanges sharing an actor with the one carried out change.
        let actors = [done_d.i.actor, done_d.j.actor];
        if !actors.contains(&t.d.i.actor) && !actors.contains(&t.d.j.actor) {
            return Ok(false);
        }
        // A side whose supply position was taken over keeps its current move among the
        // earlier ones (see invalidate_exchange_by_supply).
        let same = |s: &Side<Dec>, d: &DoneSide<Dec>| {
            s.actor == d.actor && s.supply_issue == d.supply_issue
        };
        let mut step: Option<Rc<RefCell<Step>>> = None;
        for (k, side) in [&t.d.i, &t.d.j].into_iter().enumerate() {
            if !(same(side, &done_d.i) || same(side, &done_d.j)) {
                continue;
            }
            let e = match side.moves.last() {
                Some(&v) if t.fresh => Earlier::Exact(v),
                _ => {
                    let s = step.get_or_insert_with(|| {
                        Rc::new(RefCell::new(Step {
                            state: t.d.clone(),
                            earlier: t.earlier.clone(),
                            ratios: t.ratios,
                            moves: [None, None],
                        }))
                    });
                    Earlier::Step(Rc::clone(s), k)
                }
            };
            t.earlier[k].push(e);
        }
        let again = prepare_recalculation(&mut t.d, done_d);
        clear_unsure();
        prepare_recalculation(&mut t.a, done_a);
        if unsure() {
            // update_updates chose between positions the floats cannot order: take decide's.
            t.a.updates =
                t.d.updates
                    .iter()
                    .map(|&(i, a, v)| (i, a, Approx::of(v)))
                    .collect();
        }
        if again {
            self.calculate(t)?;
        }
        Ok(again)
    }

    /// decide's stable sort of `list` on the gains (highest first). When `changed` is given,
    /// `list` is already in that order except for the flagged exchanges (the others kept
    /// their gains since the last sort): those are sorted and merged in, ties going to the
    /// one first in `list`, which is the order a stable sort gives.
    fn sort(
        &self,
        pool: &mut [Twin],
        list: &mut Vec<usize>,
        changed: Option<&mut [bool]>,
        failed: &Cell<bool>,
    ) {
        let Some(changed) = changed else {
            list.sort_by(|&x, &y| self.order(pool, x, y, failed));
            return;
        };
        // (position in `list`, exchange)
        type Entries = Vec<(usize, usize)>;
        let (mut moved, kept): (Entries, Entries) = list
            .iter()
            .copied()
            .enumerate()
            .partition(|&(_, e)| changed[e]);
        for &(_, e) in &moved {
            changed[e] = false;
        }
        if moved.is_empty() {
            return;
        }
        moved.sort_by(|&(_, x), &(_, y)| self.order(pool, x, y, failed));
        list.clear();
        let (mut a, mut b) = (kept.into_iter().peekable(), moved.into_iter().peekable());
        while let (Some(&(pk, k)), Some(&(pm, m))) = (a.peek(), b.peek()) {
            let first_kept = match self.order(pool, k, m, failed) {
                Ordering::Less => true,
                Ordering::Greater => false,
                Ordering::Equal => pk < pm,
            };
            if first_kept {
                list.push(k);
                a.next();
            } else {
                list.push(m);
                b.next();
            }
        }
        list.extend(a.map(|(_, e)| e).chain(b.map(|(_, e)| e)));
    }

    fn round(&mut self, ties: &mut TieBreaker) -> Result<Result<Round, Fallback>, ModelError> {
        self.md.start_round();
        self.shadow();
        let input = self.md.input;
        let mut pool: Vec<Twin> = Vec::new();
        let n_issues = input.issues.len();
        for p in 0..n_issues {
            for q in p + 1..n_issues {
                let mut groups: [Vec<usize>; 4] = Default::default();
                for actor in 0..input.actors.len() {
                    if let (Some(a0), Some(a1)) = (self.md.get(p, actor), self.md.get(q, actor)) {
                        groups[usize::from(a0.left) | (usize::from(a1.left) * 2)].push(actor);
                    }
                }
                for (ga, gb) in [(0, 3), (1, 2)] {
                    for &i in &groups[ga] {
                        for &j in &groups[gb] {
                            self.md.check_saliences(i, j, q)?;
                            clear_unsure();
                            let mut swapped = self.ma.swapped(i, j, p, q);
                            if unsure() {
                                swapped = self.md.swapped(i, j, p, q);
                            }
                            let mut t = Twin {
                                a: self.ma.pending(i, j, p, q, swapped, true),
                                d: self.md.pending(i, j, p, q, swapped, false),
                                earlier: [Vec::new(), Vec::new()],
                                fresh: false,
                                ratios: false,
                                sign_tests: [None, None],
                            };
                            if let Err(f) = self.calculate(&mut t) {
                                return Ok(Err(f));
                            }
                            pool.push(t);
                        }
                    }
                }
            }
        }

        let mut list: Vec<usize> = (0..pool.len()).collect();
        let mut realized: Vec<usize> = Vec::new();
        let failed = Cell::new(false);
        // Exchanges recalculated since the last sort; `None` before the first sort and with
        // random ties (which move an exchange to the end of the list).
        let mut changed = vec![false; pool.len()];
        let mut sorted = false;
        while !list.is_empty() {
            let incremental = (sorted && !ties.is_random()).then_some(&mut changed[..]);
            self.sort(&mut pool, &mut list, incremental, &failed);
            sorted = true;
            if failed.get() {
                return Ok(Err(Fallback));
            }
            let first = list.remove(0);
            let realize = match ties.choose(&mut list, first, |a, b| self.tie(&mut pool, a, b)) {
                Ok(realize) => realize,
                Err(f) => return Ok(Err(f)),
            };
            if !pool[realize].a.valid {
                continue;
            }
            if let Err(f) = self.exact(&mut pool[realize]) {
                return Ok(Err(f));
            }
            let r = &pool[realize];
            let done_d = Done {
                i: DoneSide::of(&r.d.i),
                j: DoneSide::of(&r.d.j),
            };
            let done_a = Done {
                i: DoneSide::of(&r.a.i),
                j: DoneSide::of(&r.a.j),
            };
            let mut outcome = Ok(());
            list.retain(|&e| {
                if outcome.is_err() || !pool[e].a.valid {
                    return false;
                }
                match self.recalculate(&mut pool[e], &done_d, &done_a) {
                    Ok(again) => changed[e] |= again,
                    Err(f) => outcome = Err(f),
                }
                pool[e].a.valid
            });
            if let Err(f) = outcome {
                return Ok(Err(f));
            }
            realized.push(realize);
        }

        let realized: Vec<&Pending<Dec>> = realized.iter().map(|&r| &pool[r].d).collect();
        let (outcome, exchanges) = self.md.finish_round(&realized);
        Ok(Ok(Round {
            outcome,
            exchanges,
            knife_edges: 0,
            first_knife_edge: None,
        }))
    }
}
