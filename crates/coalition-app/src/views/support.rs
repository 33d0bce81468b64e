//! Support under commitments as the Kiel tracker counts it: committed, allocated, delivered and
//! outstanding, per commitment and per donor and category.

use std::collections::BTreeMap;

use coalition_core::classification::Marking;
use coalition_core::commitment::{Category, CommitmentStatus, Stage};
use coalition_core::dates::{Day, Timestamp};
use coalition_core::id::{CommitmentId, InstrumentId, PartyCode};
use coalition_core::state::{CommitmentRecord, State};
use serde::{Deserialize, Serialize};

/// One commitment that states an amount, with the support recorded under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportRow {
    /// The commitment.
    pub commitment: CommitmentId,
    /// Who gives (the guarantor).
    pub donor: PartyCode,
    /// Who receives (the protected state).
    pub recipient: PartyCode,
    /// The category.
    pub category: Category,
    /// What is given, in words.
    pub what: String,
    /// The unit the quantities count (`EUR-million`, `interceptors`).
    pub unit: String,
    /// The ISO 4217 currency when the unit is money (`EUR`, `EUR-million`), else none (in kind).
    pub currency: Option<String>,
    /// Units committed.
    pub committed: u64,
    /// Units allocated to a package so far.
    pub allocated: u64,
    /// Units delivered so far.
    pub delivered: u64,
    /// Committed but not delivered.
    pub outstanding: u64,
    /// The commitment's status at the time of reading.
    pub status: CommitmentStatus,
    /// When it was committed.
    pub committed_at: Timestamp,
    /// When allocations last changed, if any were recorded.
    pub allocated_at: Option<Timestamp>,
    /// When deliveries last changed, if any were recorded.
    pub delivered_at: Option<Timestamp>,
    /// First day it runs, if stated.
    pub from: Option<Day>,
    /// Last day it runs, if stated.
    pub until: Option<Day>,
    /// The instrument it stands on, if any.
    pub source: Option<InstrumentId>,
    /// Its marking.
    pub marking: Marking,
}

impl SupportRow {
    /// The row for a commitment that states an amount (`None` for one that states none).
    pub(crate) fn new(
        state: &State,
        record: &CommitmentRecord,
        at: Timestamp,
    ) -> Option<SupportRow> {
        let commitment = &record.commitment;
        let amount = commitment.amount.as_ref()?;
        let changed = |stage: Stage| {
            record
                .support
                .iter()
                .filter(|s| s.stage == stage)
                .map(|s| s.at)
                .next_back()
                .or_else(|| (amount.stage >= stage).then_some(record.added_at))
        };
        let delivered = record.quantity_at(Stage::Delivered);
        Some(SupportRow {
            commitment: commitment.id.clone(),
            donor: commitment.guarantor.clone(),
            recipient: commitment.protected.clone(),
            category: commitment.category.clone(),
            what: commitment.what.clone(),
            unit: amount.unit.clone(),
            currency: Money::of(&amount.unit).map(|m| m.currency),
            committed: amount.quantity,
            allocated: record.quantity_at(Stage::Allocated),
            delivered,
            outstanding: amount.quantity.saturating_sub(delivered),
            status: state.commitment_status(record, at),
            committed_at: record.added_at,
            allocated_at: changed(Stage::Allocated),
            delivered_at: changed(Stage::Delivered),
            from: commitment.validity.from,
            until: commitment.validity.until,
            source: commitment.instrument.clone(),
            marking: commitment.marking.clone(),
        })
    }

    /// Whether it still counts: not lapsed, terminated or withdrawn.
    pub fn is_live(&self) -> bool {
        !matches!(
            self.status,
            CommitmentStatus::Lapsed | CommitmentStatus::Terminated | CommitmentStatus::Withdrawn
        )
    }
}

/// A unit that is money: its currency and how many currency units one unit is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    /// ISO 4217 code.
    pub currency: String,
    /// 1, 1 000, 1 000 000 or 1 000 000 000.
    pub scale: u64,
}

impl Money {
    /// `EUR`, `EUR-thousand`, `EUR-million`, `EUR-billion` (any three capital letters).
    pub fn of(unit: &str) -> Option<Money> {
        let (code, scale) = match unit.split_once('-') {
            None => (unit, 1),
            Some((code, "thousand")) => (code, 1_000),
            Some((code, "million")) => (code, 1_000_000),
            Some((code, "billion")) => (code, 1_000_000_000),
            Some(_) => return None,
        };
        (code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())).then(|| Money {
            currency: code.to_owned(),
            scale,
        })
    }
}

/// Totals for one donor, category and unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportTotal {
    /// The donor.
    pub donor: PartyCode,
    /// The category.
    pub category: Category,
    /// The unit.
    pub unit: String,
    /// How many commitments are summed.
    pub commitments: usize,
    /// Units committed.
    pub committed: u64,
    /// Units allocated.
    pub allocated: u64,
    /// Units delivered.
    pub delivered: u64,
    /// Committed but not delivered.
    pub outstanding: u64,
}

/// `coalition support`: every commitment with an amount the reader may read, and the totals per
/// donor, category and unit — live commitments apart from lapsed, terminated and withdrawn
/// ones, which no longer count but are not forgotten.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportSummary {
    /// The time of reading.
    pub at: Timestamp,
    /// The commitments, in id order.
    pub rows: Vec<SupportRow>,
    /// Totals over live commitments.
    pub totals: Vec<SupportTotal>,
    /// Totals over lapsed, terminated and withdrawn commitments.
    pub ended: Vec<SupportTotal>,
}

impl SupportSummary {
    pub(crate) fn new(at: Timestamp, rows: Vec<SupportRow>) -> SupportSummary {
        let sum = |live: bool| {
            let mut totals: BTreeMap<(PartyCode, Category, String), SupportTotal> = BTreeMap::new();
            for row in rows.iter().filter(|r| r.is_live() == live) {
                let key = (row.donor.clone(), row.category.clone(), row.unit.clone());
                let total = totals.entry(key).or_insert_with(|| SupportTotal {
                    donor: row.donor.clone(),
                    category: row.category.clone(),
                    unit: row.unit.clone(),
                    commitments: 0,
                    committed: 0,
                    allocated: 0,
                    delivered: 0,
                    outstanding: 0,
                });
                total.commitments += 1;
                total.committed = total.committed.saturating_add(row.committed);
                total.allocated = total.allocated.saturating_add(row.allocated);
                total.delivered = total.delivered.saturating_add(row.delivered);
                total.outstanding = total.outstanding.saturating_add(row.outstanding);
            }
            totals.into_values().collect()
        };
        SupportSummary {
            at,
            totals: sum(true),
            ended: sum(false),
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn money_units_name_their_currency_and_scale() {
        let m = Money::of("EUR-million").unwrap();
        assert_eq!((m.currency.as_str(), m.scale), ("EUR", 1_000_000));
        assert_eq!(Money::of("GBP").unwrap().scale, 1);
        assert_eq!(Money::of("interceptors"), None);
        assert_eq!(Money::of("air-defence batteries"), None);
        assert_eq!(Money::of("EUR-lots"), None);
    }
}
