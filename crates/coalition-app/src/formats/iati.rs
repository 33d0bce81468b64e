//! Support as IATI 2.03 activity files, the format aid is published in.
//!
//! One `iati-activity` per commitment that states an amount: reporting organisation and funder
//! the guarantor, implementer and recipient country the protected state, the category as a
//! sector in the reporting organisation's vocabulary (99), and transactions for money (units
//! `EUR`, `EUR-million` …): commitment (type 2) at the day committed, disbursement (type 3) of
//! what was delivered at the day it was last recorded. Support in kind (`interceptors`) has no
//! monetary value, so its activity carries the quantities in its description and no
//! transaction; IATI has no transaction type for an allocation, which is likewise described.
//!
//! An IATI file is a publication: it holds only PUBLIC commitments, whoever asks — the record
//! has no release decision for a classified commitment, so none is ever published this way.

use coalition_core::commitment::CommitmentStatus;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, PartyCode};

use super::xml::Xml;
use crate::views::{Money, SupportRow};

/// The IATI standard version written.
pub const VERSION: &str = "2.03";

/// The activities file for the rows, generated at `generated`. Rows that are not PUBLIC are
/// left out here as well as by the caller.
pub fn write(coalition: &CoalitionId, rows: &[SupportRow], generated: Timestamp) -> String {
    let mut xml = Xml::new();
    let generated = generated.to_string();
    let _ = xml.node(
        "iati-activities",
        &[("version", VERSION), ("generated-datetime", &generated)],
        |x| {
            for row in rows.iter().filter(|r| r.marking.is_public()) {
                activity(x, coalition, row, &generated)?;
            }
            Ok(())
        },
    );
    xml.finish()
}

/// An organisation's reference: the coalition's id and the party's code. These are not
/// registered IATI organisation identifiers; a publisher maps them to its own.
fn org_ref(coalition: &CoalitionId, party: &PartyCode) -> String {
    format!("{coalition}-{party}")
}

/// IATI's activity status for a commitment's status.
fn activity_status(status: CommitmentStatus) -> &'static str {
    match status {
        // Pipeline/identification: not yet in force.
        CommitmentStatus::Proposed
        | CommitmentStatus::Signed
        | CommitmentStatus::Ratified
        | CommitmentStatus::Dormant => "1",
        CommitmentStatus::InForce => "2",
        CommitmentStatus::Lapsed | CommitmentStatus::Terminated => "4",
        CommitmentStatus::Withdrawn => "5",
    }
}

fn activity(
    x: &mut Xml,
    coalition: &CoalitionId,
    row: &SupportRow,
    generated: &str,
) -> std::io::Result<()> {
    let donor = org_ref(coalition, &row.donor);
    let money = Money::of(&row.unit);
    let mut attrs = vec![("last-updated-datetime", generated), ("xml:lang", "en")];
    if let Some(money) = &money {
        attrs.push(("default-currency", money.currency.as_str()));
    }
    x.node("iati-activity", &attrs, |x| {
        x.leaf("iati-identifier", &[], &format!("{donor}-{}", row.commitment))?;
        x.node("reporting-org", &[("ref", &donor), ("type", "10")], |x| {
            x.leaf("narrative", &[], row.donor.as_str())
        })?;
        x.node("title", &[], |x| x.leaf("narrative", &[], &row.what))?;
        x.node("description", &[("type", "1")], |x| {
            x.leaf(
                "narrative",
                &[],
                &format!(
                    "{} {}: {} committed, {} allocated, {} delivered, {} outstanding ({}; commitment {} of {coalition})",
                    row.category,
                    row.unit,
                    row.committed,
                    row.allocated,
                    row.delivered,
                    row.outstanding,
                    row.status,
                    row.commitment
                ),
            )
        })?;
        x.node(
            "participating-org",
            &[("ref", &donor), ("role", "1"), ("type", "10")],
            |x| x.leaf("narrative", &[], row.donor.as_str()),
        )?;
        let recipient = org_ref(coalition, &row.recipient);
        x.node(
            "participating-org",
            &[("ref", &recipient), ("role", "4"), ("type", "10")],
            |x| x.leaf("narrative", &[], row.recipient.as_str()),
        )?;
        x.empty("activity-status", &[("code", activity_status(row.status))])?;
        let start = row.from.unwrap_or_else(|| row.committed_at.day()).to_string();
        x.empty("activity-date", &[("type", "1"), ("iso-date", &start)])?;
        if let Some(until) = row.until {
            x.empty("activity-date", &[("type", "3"), ("iso-date", &until.to_string())])?;
        }
        if let Some(country) = alpha2(&row.recipient) {
            x.empty("recipient-country", &[("code", country), ("percentage", "100")])?;
        }
        x.node(
            "sector",
            &[("vocabulary", "99"), ("code", row.category.as_str())],
            |x| x.leaf("narrative", &[], row.category.as_str()),
        )?;
        let Some(money) = &money else {
            return Ok(());
        };
        transaction(x, "2", row.committed, money, row.committed_at)?;
        if let (true, Some(at)) = (row.delivered > 0, row.delivered_at) {
            transaction(x, "3", row.delivered, money, at)?;
        }
        Ok(())
    })
}

fn transaction(
    x: &mut Xml,
    kind: &str,
    quantity: u64,
    money: &Money,
    at: Timestamp,
) -> std::io::Result<()> {
    let day = at.day().to_string();
    let value = (u128::from(quantity) * u128::from(money.scale)).to_string();
    x.node("transaction", &[], |x| {
        x.empty("transaction-type", &[("code", kind)])?;
        x.empty("transaction-date", &[("iso-date", &day)])?;
        x.leaf(
            "value",
            &[("currency", &money.currency), ("value-date", &day)],
            &value,
        )
    })
}

/// The ISO 3166-1 alpha-2 code IATI uses for a country party (none for an organisation).
fn alpha2(party: &PartyCode) -> Option<&'static str> {
    isocountry::CountryCode::for_alpha3(party.as_str())
        .ok()
        .map(|c| c.alpha2())
}
