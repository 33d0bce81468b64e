//! Coverage: what the protected state can count on, when each category's cover ends, which
//! commitments lapse first, and how much is committed, allocated and delivered.

use coalition_core::classification::{Level, Marking, Viewer};
use coalition_core::commitment::{
    Category, ClockStart, CommitmentStatus, Discretion, ResponseKind, Stage, Strength,
};
use coalition_core::coverage::{AmountTotals, CoverEnd, Coverage, CoverageQuery, coverage};
use coalition_core::disclosure::Gate;

use crate::support::*;

use ClockStart::Verification;
use ResponseKind::{Deliver, Sanction};

/// FRA, GBR and DNK signed and ratified a Paris-style declaration (15 years from activation);
/// DEU signed only; NLD has a 2024-style political agreement (10 years from 16 February 2024).
///
/// - `fra-military`: Paris, automatic, consult within 24 h → a guarantee.
/// - `gbr-intelligence`: Paris, but the guarantor only "intends to" → an assurance.
/// - `dnk-sanctions`: Paris, sanctions with no stated deadline → an assurance.
/// - `deu-diplomatic`: Paris, DEU has not ratified → not in force.
/// - `pol-logistics`: a unilateral pledge (no instrument) with a deadline → political.
/// - `nld-military`: the 2024 agreement → political, ends 2034-02-15.
fn guarantees() -> Scenario {
    Scenario::new()
        .given(record(paris_style(
            "paris",
            &["FRA", "GBR", "DNK", "DEU", "UKR"],
        )))
        .given(record(bilateral_2024("nld-ukr-2024", &["NLD", "UKR"])))
        .given(sign("paris", "FRA", "2026-01-06T12:00:00Z"))
        .given(sign("paris", "GBR", "2026-01-06T12:00:00Z"))
        .given(sign("paris", "DEU", "2026-01-06T12:00:00Z"))
        .given(sign("paris", "DNK", "2026-01-06T12:00:00Z"))
        .given(ratify("paris", "FRA", "2026-02-01T00:00:00Z"))
        .given(ratify("paris", "GBR", "2026-02-01T00:00:00Z"))
        .given(ratify("paris", "DNK", "2026-02-01T00:00:00Z"))
        .given(sign("nld-ukr-2024", "NLD", "2024-02-16T00:00:00Z"))
        .given(
            pledge("fra-military", "FRA")
                .on("paris")
                .without_from()
                .category("military-capabilities"),
        )
        .given(
            pledge("gbr-intelligence", "GBR")
                .on("paris")
                .without_from()
                .category("intelligence")
                .discretion(Discretion::IntendsTo),
        )
        .given(
            pledge("dnk-sanctions", "DNK")
                .on("paris")
                .without_from()
                .category("sanctions")
                .responses(&[(Sanction, None, Verification)]),
        )
        .given(
            pledge("deu-diplomatic", "DEU")
                .on("paris")
                .without_from()
                .category("diplomatic-initiatives"),
        )
        .given(
            pledge("pol-logistics", "POL")
                .category("logistical-support")
                .responses(&[(Deliver, Some("7d"), Verification)]),
        )
        .given(
            pledge("nld-military", "NLD")
                .on("nld-ukr-2024")
                .without_from()
                .category("military-capabilities"),
        )
}

fn report(scenario: &Scenario, time: &str) -> Coverage {
    report_as(scenario, time, &Viewer::Custodian, None)
}

fn report_as(
    scenario: &Scenario,
    time: &str,
    viewer: &Viewer,
    assume_ceasefire: Option<&str>,
) -> Coverage {
    let gate = Gate::new(&scenario.state, viewer);
    coverage(
        &gate,
        &CoverageQuery {
            protected: party("UKR"),
            at: at(time),
            horizon_years: 20,
            assume_ceasefire: assume_ceasefire.map(at),
        },
    )
}

fn category<'a>(report: &'a Coverage, slug: &str) -> &'a coalition_core::coverage::CategoryCover {
    report
        .categories
        .iter()
        .find(|c| c.category.as_str() == slug)
        .unwrap_or_else(|| panic!("no category {slug} in the report"))
}

fn slugs(categories: &[Category]) -> Vec<&str> {
    categories.iter().map(Category::as_str).collect()
}

#[test]
fn a_paris_style_cover_ends_fifteen_years_after_activation() {
    let scenario = guarantees().given(ceasefire("2026-06-01T00:00:00Z"));
    let report = report(&scenario, "2026-06-01T12:00:00Z");
    let military = category(&report, "military-capabilities");
    assert_eq!(military.best, Some(Strength::Guarantee));
    assert_eq!(
        military.guarantee_until,
        CoverEnd::LastDay(day("2041-05-31"))
    );
    assert_eq!(military.guarantors, [party("FRA"), party("NLD")]);
    let year = |k: usize| &report.timeline[k];
    assert_eq!(year(14).day, day("2040-06-01"));
    assert_eq!(
        year(14)
            .cover
            .get(&Category::parse("military-capabilities").unwrap()),
        Some(&Strength::Guarantee)
    );
    assert_eq!(year(15).day, day("2041-06-01"));
    assert_eq!(
        year(15)
            .cover
            .get(&Category::parse("military-capabilities").unwrap()),
        None,
        "no cover of any strength in the sixteenth year"
    );
    let record = &scenario.state.commitments()[&cid("fra-military")];
    assert_eq!(
        scenario
            .state
            .commitment_status(record, at("2041-05-31T23:59:59Z")),
        CommitmentStatus::InForce
    );
    assert_eq!(
        scenario
            .state
            .commitment_status(record, at("2041-06-01T00:00:00Z")),
        CommitmentStatus::Lapsed
    );
}

#[test]
fn without_a_ceasefire_the_paris_guarantees_wait_and_leave_gaps() {
    let report = report(&guarantees(), "2026-06-01T12:00:00Z");
    let military = category(&report, "military-capabilities");
    assert_eq!(
        military.best,
        Some(Strength::PoliticalCommitment),
        "NLD only"
    );
    assert_eq!(military.dormant, 1);
    let waiting: Vec<(&str, Option<u16>)> = report
        .awaiting_activation
        .iter()
        .map(|a| (a.commitment.as_str(), a.years_after_activation))
        .collect();
    assert_eq!(
        waiting,
        [
            ("dnk-sanctions", Some(15)),
            ("fra-military", Some(15)),
            ("gbr-intelligence", Some(15))
        ]
    );
    assert_eq!(
        slugs(&report.gaps),
        [
            "military-capabilities",
            "intelligence",
            "logistical-support",
            "diplomatic-initiatives",
            "sanctions"
        ]
    );
}

#[test]
fn a_what_if_ceasefire_shows_when_cover_would_end() {
    let report = report_as(
        &guarantees(),
        "2026-06-01T12:00:00Z",
        &Viewer::Custodian,
        Some("2026-09-01T00:00:00Z"),
    );
    assert_eq!(report.assumed_ceasefire, Some(at("2026-09-01T00:00:00Z")));
    let later = report_as(
        &guarantees(),
        "2026-09-02T00:00:00Z",
        &Viewer::Custodian,
        Some("2026-09-01T00:00:00Z"),
    );
    assert_eq!(
        category(&later, "military-capabilities").guarantee_until,
        CoverEnd::LastDay(day("2041-08-31"))
    );
}

#[test]
fn assurances_are_never_counted_as_guarantees() {
    let scenario = guarantees().given(ceasefire("2026-06-01T00:00:00Z"));
    let report = report(&scenario, "2026-06-01T12:00:00Z");
    let intelligence = category(&report, "intelligence");
    assert_eq!(intelligence.best, Some(Strength::Assurance), "intends to");
    assert_eq!(intelligence.guarantee_until, CoverEnd::NotCovered);
    assert_eq!(
        intelligence.cover_until,
        CoverEnd::LastDay(day("2041-05-31"))
    );
    let sanctions = category(&report, "sanctions");
    assert_eq!(sanctions.best, Some(Strength::Assurance), "no deadline");
    let no_deadline: Vec<&str> = report
        .no_deadline
        .iter()
        .map(|c| c.commitment.as_str())
        .collect();
    assert_eq!(no_deadline, ["dnk-sanctions"]);
    assert_eq!(
        slugs(&report.gaps),
        [
            "intelligence",
            "logistical-support",
            "diplomatic-initiatives",
            "sanctions"
        ],
        "only military capabilities have a guarantee; political and unratified ones do not count"
    );
    assert_eq!(
        category(&report, "logistical-support").best,
        Some(Strength::PoliticalCommitment)
    );
    assert_eq!(category(&report, "diplomatic-initiatives").best, None);
}

#[test]
fn commitments_lapsing_first_are_listed_first() {
    let scenario = guarantees().given(ceasefire("2026-06-01T00:00:00Z")).given(
        pledge("ita-short", "ITA")
            .category("training")
            .until("2027-12-31"),
    );
    let report = report(&scenario, "2026-06-01T12:00:00Z");
    let order: Vec<(&str, String)> = report
        .lapsing_first
        .iter()
        .map(|l| (l.commitment.as_str(), l.last_day.to_string()))
        .collect();
    assert_eq!(
        order,
        [
            ("ita-short", "2027-12-31".to_owned()),
            ("nld-military", "2034-02-15".to_owned()),
            ("dnk-sanctions", "2041-05-31".to_owned()),
            ("fra-military", "2041-05-31".to_owned()),
            ("gbr-intelligence", "2041-05-31".to_owned()),
        ]
    );
    assert_eq!(
        category(&report, "logistical-support").cover_until,
        CoverEnd::OpenEnded,
        "a pledge with no last day"
    );
}

#[test]
fn amounts_are_counted_by_stage_as_committed_allocated_and_delivered() {
    let scenario = Scenario::new()
        .given(pledge("dnk-financial", "DNK").category("financial").amount(
            3000,
            "EUR-million",
            Stage::Committed,
        ))
        .given(pledge("nld-financial", "NLD").category("financial").amount(
            1000,
            "EUR-million",
            Stage::Allocated,
        ))
        .given(
            pledge("fra-batteries", "FRA")
                .category("military-capabilities")
                .amount(4, "air-defence batteries", Stage::Committed),
        )
        .given(pledge("withdrawn", "ITA").category("financial").amount(
            500,
            "EUR-million",
            Stage::Committed,
        ))
        .given(support("dnk-financial", Stage::Allocated, 2000))
        .given(support("dnk-financial", Stage::Delivered, 500))
        .given(support("fra-batteries", Stage::Allocated, 1))
        .given(support("fra-batteries", Stage::Delivered, 1))
        .given(withdraw("withdrawn", "2026-05-01T00:00:00Z"));
    let report = report(&scenario, "2026-06-01T12:00:00Z");
    assert_eq!(
        report.amounts,
        [
            AmountTotals {
                unit: "EUR-million".into(),
                committed: 4000,
                allocated: 3000,
                delivered: 500,
            },
            AmountTotals {
                unit: "air-defence batteries".into(),
                committed: 4,
                allocated: 1,
                delivered: 1,
            },
        ],
        "delivered counts as allocated; a withdrawn pledge counts for nothing"
    );
}

#[test]
fn support_beyond_what_was_committed_is_refused() {
    Scenario::new()
        .given(pledge("dnk-financial", "DNK").category("financial").amount(
            3000,
            "EUR-million",
            Stage::Committed,
        ))
        .when(support("dnk-financial", Stage::Delivered, 3001))
        .then_rejected_with(|r| matches!(r, coalition_core::Rejection::Invalid { .. }));
}

#[test]
fn coverage_counts_only_what_the_viewer_may_read() {
    let secret = Marking {
        level: Level::Secret,
        originator: Some(party("FRA")),
        releasable_to: Some([party("FRA"), party("GBR"), party("UKR")].into()),
    };
    let scenario = Scenario::new()
        .given(record(paris_style("paris", &["FRA", "UKR"])))
        .given(sign("paris", "FRA", "2026-01-06T12:00:00Z"))
        .given(ratify("paris", "FRA", "2026-02-01T00:00:00Z"))
        .given(ceasefire("2026-03-01T00:00:00Z"))
        .given(
            pledge("fra-military", "FRA")
                .on("paris")
                .without_from()
                .marked(secret),
        );
    let cleared = |code: &str| Viewer::Cleared {
        party: party(code),
        clearance: Level::Secret,
        has_seat: true,
    };
    let seen = |viewer: &Viewer| {
        let report = report_as(&scenario, "2026-06-01T12:00:00Z", viewer, None);
        category(&report, "military-capabilities").best
    };
    assert_eq!(seen(&cleared("GBR")), Some(Strength::Guarantee));
    assert_eq!(seen(&cleared("ITA")), None, "not releasable to Italy");
    assert_eq!(seen(&Viewer::Public), None);
    let uncleared = Viewer::Cleared {
        party: party("GBR"),
        clearance: Level::Confidential,
        has_seat: true,
    };
    assert_eq!(seen(&uncleared), None, "clearance below SECRET");
}
