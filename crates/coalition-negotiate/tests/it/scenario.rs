//! The Paris scenario's negotiation, end to end through the engine.

use coalition_negotiate::bloc::common_position;
use coalition_negotiate::evaluate::evaluate;
use coalition_negotiate::forecast::{ExchangeOptions, exchange_model};
use coalition_negotiate::scenario;
use coalition_negotiate::space::{Constraints, Tables};

#[test]
fn the_paris_scenario_yields_a_bloc_position_and_an_acceptable_outcome_or_sticking_points() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/paris-2026.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let s = scenario::read(&text, "paris-2026.toml").unwrap();
    let neg = &s.negotiation;
    assert!(
        s.illustrative.iter().all(|i| *i),
        "every party's numbers are marked illustrative"
    );
    let rus = neg.party_index("RUS").unwrap();
    let bloc = s.default_bloc.unwrap();
    assert_eq!(neg.blocs[bloc].adversary, Some(rus));

    let b = common_position(neg, bloc, s.radius).unwrap();
    let position = b
        .position
        .as_ref()
        .expect("the coalition can agree among itself");
    // The position is acceptable to every member of the bloc.
    let e = evaluate(neg, &position.outcome);
    for v in e.parties.iter().filter(|v| b.members.contains(&v.party)) {
        assert!(
            v.broken.is_empty() && v.beats_reservation,
            "{} rejects the bloc's position",
            neg.parties[v.party].name
        );
    }
    // Whatever is proposed to Russia is acceptable to everyone, bloc and Russia.
    let mut all = b.members.clone();
    all.push(rus);
    let t = Tables::new(neg, &all, Constraints::FEASIBLE);
    for z in b.zopa.iter().chain(b.nearest.iter()) {
        assert!(
            t.is_feasible(neg, &z.outcome),
            "{:?} is not acceptable to all",
            z.outcome
        );
    }
    assert!(!b.zopa.is_empty() || b.nearest.is_some() || b.sticking_points.is_some());

    let input = s.forecast_input();
    assert_eq!(input.actors.len(), neg.parties.len());
    let f = exchange_model(
        &input,
        ExchangeOptions {
            rounds: s.rounds,
            ..ExchangeOptions::default()
        },
    )
    .unwrap();
    assert_eq!(f.rounds.len(), 10);
    assert!(
        f.final_outcome()
            .iter()
            .all(|v| v.is_some_and(|v| (0.0..=100.0).contains(&v)))
    );
}
