//! Criterion benchmarks of the frontier and the exchange model on synthetic inputs.

use coalition_negotiate::analysis::{AnalyzeOptions, analyze};
use coalition_negotiate::bargaining::Disagreement;
use coalition_negotiate::model::{Issue, Negotiation, Party, ValueFunction};
use criterion::{Criterion, criterion_group, criterion_main};

/// A deterministic pseudo-random additive domain: `issues` issues of `values` options.
fn synthetic(parties: usize, issues: usize, values: usize, seed: u64) -> Negotiation {
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let issue_list = (0..issues)
        .map(|k| Issue::options(format!("i{k}"), (0..values).map(|v| format!("v{v}"))))
        .collect();
    let party_list = (0..parties)
        .map(|p| {
            let w: Vec<f64> = (0..issues).map(|_| next()).collect();
            let total: f64 = w.iter().sum();
            Party::new(
                format!("p{p}"),
                w.iter().map(|x| x / total).collect(),
                (0..issues)
                    .map(|_| ValueFunction::Table((0..values).map(|_| next()).collect()))
                    .collect(),
            )
        })
        .collect();
    Negotiation {
        issues: issue_list,
        parties: party_list,
        ..Negotiation::default()
    }
}

fn frontier(c: &mut Criterion) {
    let options = AnalyzeOptions {
        rational_only: true,
        disagreement: Disagreement::Reservation,
    };
    let two = synthetic(2, 6, 10, 1);
    c.bench_function("frontier 2 parties 10^6 outcomes", |b| {
        b.iter(|| analyze(&two, &[0, 1], options, &mut |_, _| {}))
    });
    let five = synthetic(5, 6, 10, 2);
    let mut group = c.benchmark_group("slow");
    group.sample_size(10);
    group.bench_function("frontier 5 parties 10^6 outcomes", |b| {
        b.iter(|| analyze(&five, &[0, 1, 2, 3, 4], options, &mut |_, _| {}))
    });
    group.finish();
}

criterion_group!(benches, frontier);
criterion_main!(benches);
