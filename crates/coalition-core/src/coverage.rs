//! Coverage: which kinds of support a protected state can count on, year by year, when each
//! runs out, which guarantors lapse first, which promise no deadline, and how much is committed,
//! allocated and delivered (as the Kiel tracker counts it).
//!
//! Only commitments the viewer may read are counted, so a coverage report never reveals more
//! than the gate allows. Strength is data: an assurance ("intends to", or no deadline) is never
//! counted as a guarantee.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::commitment::{Category, CommitmentStatus, Stage, Strength, Window};
use crate::dates::{Day, Timestamp};
use crate::disclosure::Gate;
use crate::id::{CommitmentId, PartyCode};
use crate::incident::Ceasefire;
use crate::state::{CommitmentRecord, State};

/// What to compute coverage for.
#[derive(Clone, Debug)]
pub struct CoverageQuery {
    /// The protected state.
    pub protected: PartyCode,
    /// The moment the report describes.
    pub at: Timestamp,
    /// How many years the timeline runs.
    pub horizon_years: u16,
    /// A what-if: assume a ceasefire entered into force then (when none has).
    pub assume_ceasefire: Option<Timestamp>,
}

/// The coverage report.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Coverage {
    /// The protected state.
    pub protected: PartyCode,
    /// The moment described.
    pub at: Timestamp,
    /// The ceasefire assumed for the what-if, if any.
    pub assumed_ceasefire: Option<Timestamp>,
    /// Each category, built-in and the coalition's own, that any visible commitment covers or
    /// that the Paris draft names.
    pub categories: Vec<CategoryCover>,
    /// The best strength in force per category on each anniversary of `at`.
    pub timeline: Vec<TimelineRow>,
    /// Commitments in force with a known end, soonest first.
    pub lapsing_first: Vec<Lapse>,
    /// Commitments in force or dormant whose responses state no deadline.
    pub no_deadline: Vec<CommitmentRef>,
    /// Commitments waiting for their activation condition.
    pub awaiting_activation: Vec<Awaiting>,
    /// Quantities by unit and stage.
    pub amounts: Vec<AmountTotals>,
    /// Categories of the Paris five with no guarantee in force at `at`.
    pub gaps: Vec<Category>,
}

/// One category's cover.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CategoryCover {
    /// The category.
    pub category: Category,
    /// The strongest commitment in force at `at`, if any.
    pub best: Option<Strength>,
    /// The guarantors with a commitment in force at `at`.
    pub guarantors: Vec<PartyCode>,
    /// When the last guarantee-strength cover in force at `at` ends.
    pub guarantee_until: CoverEnd,
    /// When the last cover of any strength in force at `at` ends.
    pub cover_until: CoverEnd,
    /// How many commitments in this category are dormant.
    pub dormant: usize,
}

/// When cover ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "ends", content = "last_day")]
pub enum CoverEnd {
    /// No such cover is in force.
    NotCovered,
    /// The last day (inclusive).
    LastDay(Day),
    /// Some cover in force states no end.
    OpenEnded,
}

/// The best strength per category on one day.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimelineRow {
    /// The day.
    pub day: Day,
    /// Category → strongest in force that day (absent: none).
    pub cover: BTreeMap<Category, Strength>,
}

/// A commitment with a known last day.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Lapse {
    /// The commitment.
    pub commitment: CommitmentId,
    /// Its guarantor.
    pub guarantor: PartyCode,
    /// Its category.
    pub category: Category,
    /// Its last day in force.
    pub last_day: Day,
}

/// A reference to a commitment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CommitmentRef {
    /// The commitment.
    pub commitment: CommitmentId,
    /// Its guarantor.
    pub guarantor: PartyCode,
    /// Its category.
    pub category: Category,
    /// Its status at `at`.
    pub status: CommitmentStatus,
}

/// A commitment waiting for its activation condition.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Awaiting {
    /// The commitment.
    pub commitment: CommitmentId,
    /// Its guarantor.
    pub guarantor: PartyCode,
    /// Its category.
    pub category: Category,
    /// The years it will run once activated, if stated.
    pub years_after_activation: Option<u16>,
}

/// Quantities in one unit, by stage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmountTotals {
    /// The unit.
    pub unit: String,
    /// Promised.
    pub committed: u64,
    /// Earmarked (includes delivered).
    pub allocated: u64,
    /// Handed over.
    pub delivered: u64,
}

impl CommitmentRecord {
    /// The quantity that has reached `stage` so far. A support record states the cumulative
    /// quantity at its stage; a later stage counts towards the earlier ones.
    pub fn quantity_at(&self, stage: Stage) -> u64 {
        let Some(amount) = &self.commitment.amount else {
            return 0;
        };
        let initial = if amount.stage >= stage {
            amount.quantity
        } else {
            0
        };
        let mut latest: BTreeMap<Stage, u64> = BTreeMap::new();
        for record in &self.support {
            latest.insert(record.stage, record.quantity);
        }
        latest
            .into_iter()
            .filter(|(recorded, _)| *recorded >= stage)
            .map(|(_, quantity)| quantity)
            .chain([initial])
            .max()
            .unwrap_or(0)
    }
}

/// Computes coverage for what the gate lets the viewer read.
pub fn coverage(gate: &Gate<'_>, query: &CoverageQuery) -> Coverage {
    let assumed = query
        .assume_ceasefire
        .filter(|_| gate.state().first_ceasefire().is_none());
    let hypothetical;
    let state: &State = match assumed {
        Some(at) => {
            let mut copy = gate.state().clone();
            copy.ceasefires.push(Ceasefire {
                in_force_from: at,
                ended_at: None,
            });
            hypothetical = copy;
            &hypothetical
        }
        None => gate.state(),
    };
    let visible: Vec<&CommitmentRecord> = gate
        .commitments()
        .filter(|r| r.commitment.protected == query.protected)
        .filter_map(|r| state.commitments().get(&r.commitment.id))
        .collect();
    let strength = |record: &CommitmentRecord| {
        let force = record
            .commitment
            .instrument
            .as_ref()
            .and_then(|id| state.instruments().get(id))
            .map(|i| i.instrument.legal_force);
        record.commitment.strength(force)
    };
    let window_end = |record: &CommitmentRecord| match record
        .commitment
        .window(&state.standing(record), query.at)
    {
        Window::Known { end: Some(end), .. } => CoverEnd::LastDay(last_day_before(end)),
        Window::Known { end: None, .. } => CoverEnd::OpenEnded,
        Window::AwaitingActivation { .. } | Window::Never => CoverEnd::NotCovered,
    };
    let status = |record: &CommitmentRecord, at: Timestamp| state.commitment_status(record, at);

    let mut categories: Vec<Category> = Category::PARIS_FIVE
        .iter()
        .map(|slug| Category::known(slug))
        .collect();
    for record in &visible {
        if !categories.contains(&record.commitment.category) {
            categories.push(record.commitment.category.clone());
        }
    }

    let covers = categories
        .iter()
        .map(|category| {
            let in_category: Vec<&CommitmentRecord> = visible
                .iter()
                .copied()
                .filter(|r| &r.commitment.category == category)
                .collect();
            let in_force: Vec<&CommitmentRecord> = in_category
                .iter()
                .copied()
                .filter(|r| status(r, query.at) == CommitmentStatus::InForce)
                .collect();
            let mut guarantors: Vec<PartyCode> = in_force
                .iter()
                .map(|r| r.commitment.guarantor.clone())
                .collect();
            guarantors.sort();
            guarantors.dedup();
            let latest_end = |records: &mut dyn Iterator<Item = &&CommitmentRecord>| {
                records
                    .map(|r| window_end(r))
                    .fold(CoverEnd::NotCovered, later_end)
            };
            CategoryCover {
                category: category.clone(),
                best: in_force.iter().map(|r| strength(r)).max(),
                guarantors,
                guarantee_until: latest_end(
                    &mut in_force
                        .iter()
                        .filter(|r| strength(r) == Strength::Guarantee),
                ),
                cover_until: latest_end(&mut in_force.iter()),
                dormant: in_category
                    .iter()
                    .filter(|r| status(r, query.at) == CommitmentStatus::Dormant)
                    .count(),
            }
        })
        .collect::<Vec<_>>();

    let timeline = (0..=query.horizon_years)
        .map(|k| {
            let day = query.at.day().plus_years(k);
            let at = day.start().max(query.at);
            let mut cover = BTreeMap::new();
            for record in &visible {
                if status(record, at) == CommitmentStatus::InForce {
                    let entry = cover
                        .entry(record.commitment.category.clone())
                        .or_insert(Strength::Assurance);
                    *entry = (*entry).max(strength(record));
                }
            }
            TimelineRow { day, cover }
        })
        .collect();

    let mut lapsing_first: Vec<Lapse> = visible
        .iter()
        .filter(|r| status(r, query.at) == CommitmentStatus::InForce)
        .filter_map(|r| match window_end(r) {
            CoverEnd::LastDay(last_day) => Some(Lapse {
                commitment: r.commitment.id.clone(),
                guarantor: r.commitment.guarantor.clone(),
                category: r.commitment.category.clone(),
                last_day,
            }),
            CoverEnd::NotCovered | CoverEnd::OpenEnded => None,
        })
        .collect();
    lapsing_first.sort_by(|a, b| (a.last_day, &a.commitment).cmp(&(b.last_day, &b.commitment)));

    let no_deadline = visible
        .iter()
        .filter(|r| {
            r.commitment
                .responses
                .iter()
                .all(|response| response.within.is_none())
        })
        .map(|r| (r, status(r, query.at)))
        .filter(|(_, s)| matches!(s, CommitmentStatus::InForce | CommitmentStatus::Dormant))
        .map(|(r, status)| CommitmentRef {
            commitment: r.commitment.id.clone(),
            guarantor: r.commitment.guarantor.clone(),
            category: r.commitment.category.clone(),
            status,
        })
        .collect();

    let awaiting_activation = visible
        .iter()
        .filter_map(
            |r| match r.commitment.window(&state.standing(r), query.at) {
                Window::AwaitingActivation { years }
                    if status(r, query.at) == CommitmentStatus::Dormant =>
                {
                    Some(Awaiting {
                        commitment: r.commitment.id.clone(),
                        guarantor: r.commitment.guarantor.clone(),
                        category: r.commitment.category.clone(),
                        years_after_activation: years,
                    })
                }
                _ => None,
            },
        )
        .collect();

    let mut totals: BTreeMap<String, AmountTotals> = BTreeMap::new();
    for record in &visible {
        let Some(amount) = &record.commitment.amount else {
            continue;
        };
        if record.withdrawn.is_some_and(|when| when <= query.at) {
            continue;
        }
        let entry = totals
            .entry(amount.unit.clone())
            .or_insert_with(|| AmountTotals {
                unit: amount.unit.clone(),
                ..AmountTotals::default()
            });
        entry.committed += record.quantity_at(Stage::Committed);
        entry.allocated += record.quantity_at(Stage::Allocated);
        entry.delivered += record.quantity_at(Stage::Delivered);
    }

    let gaps = covers
        .iter()
        .filter(|c| Category::PARIS_FIVE.contains(&c.category.as_str()))
        .filter(|c| c.best != Some(Strength::Guarantee))
        .map(|c| c.category.clone())
        .collect();

    Coverage {
        protected: query.protected.clone(),
        at: query.at,
        assumed_ceasefire: assumed,
        categories: covers,
        timeline,
        lapsing_first,
        no_deadline,
        awaiting_activation,
        amounts: totals.into_values().collect(),
        gaps,
    }
}

/// The last day covered by a window that stops at `end` (exclusive).
fn last_day_before(end: Timestamp) -> Day {
    Timestamp::from_unix(end.unix() - 1).day()
}

/// The later of two ends; open-ended beats any day, any day beats none.
fn later_end(a: CoverEnd, b: CoverEnd) -> CoverEnd {
    match (a, b) {
        (CoverEnd::OpenEnded, _) | (_, CoverEnd::OpenEnded) => CoverEnd::OpenEnded,
        (CoverEnd::LastDay(x), CoverEnd::LastDay(y)) => CoverEnd::LastDay(x.max(y)),
        (CoverEnd::LastDay(x), CoverEnd::NotCovered)
        | (CoverEnd::NotCovered, CoverEnd::LastDay(x)) => CoverEnd::LastDay(x),
        (CoverEnd::NotCovered, CoverEnd::NotCovered) => CoverEnd::NotCovered,
    }
}
