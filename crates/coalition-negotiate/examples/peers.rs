//! Timing driver for `tools/peers/peers.py bench`: runs one analysis and prints one JSON line.
//!
//!     peers frontier DOMAIN.xml PROFILE.xml...   # GENIUS semantics, frontier over all outcomes
//!     peers exchange FILE.csv ROUNDS [decimal|decimal-only|float]   # exchange model, first-created ties
//!
//! `seconds` is the wall time of the computation, `cpu_seconds` the CPU time of this thread
//! spent on it, which other users of a busy machine do not inflate.

use std::time::Instant;

use coalition_negotiate::analysis::{AnalyzeOptions, analyze};
use coalition_negotiate::decide_csv;
use coalition_negotiate::forecast::{Arithmetic, ExchangeOptions, TieRule, exchange_model};
use coalition_negotiate::genius::{Semantics, read_negotiation};

/// CPU time of the calling thread so far, in seconds.
fn thread_cpu_seconds() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("frontier") if args.len() >= 3 => {
            let domain = std::fs::read_to_string(&args[1])?;
            let texts: Vec<String> = args[2..]
                .iter()
                .map(std::fs::read_to_string)
                .collect::<Result<_, _>>()?;
            let profiles: Vec<(&str, &str)> = texts
                .iter()
                .zip(&args[2..])
                .map(|(t, f)| (t.as_str(), f.as_str()))
                .collect();
            let neg = read_negotiation(&domain, &args[1], &profiles, Semantics::Genius)?;
            let parties: Vec<usize> = (0..neg.parties.len()).collect();
            let (start, cpu) = (Instant::now(), thread_cpu_seconds());
            let a = analyze(
                &neg,
                &parties,
                AnalyzeOptions::for_semantics(Semantics::Genius),
                &mut |_, _| {},
            );
            let seconds = start.elapsed().as_secs_f64();
            let cpu_seconds = thread_cpu_seconds() - cpu;
            let mut vectors: Vec<&[f64]> = (0..a.frontier.len())
                .map(|i| a.frontier.utility(i))
                .collect();
            vectors.dedup_by(|x, y| x.iter().zip(y.iter()).all(|(a, b)| (a - b).abs() <= 1e-12));
            println!(
                "{}",
                serde_json::json!({"seconds": seconds, "cpu_seconds": cpu_seconds, "outcomes": a.outcomes as f64, "frontier": a.frontier.len(), "vectors": vectors.len()})
            );
        }
        Some("exchange") if (3..=4).contains(&args.len()) => {
            let text = std::fs::read_to_string(&args[1])?;
            let input = decide_csv::read(&text, &args[1])?;
            let rounds: usize = args[2].parse()?;
            let arithmetic = match args.get(3).map(String::as_str) {
                None | Some("decimal") => Arithmetic::Decimal,
                Some("float") => Arithmetic::Float,
                Some("decimal-only") => Arithmetic::DecimalOnly,
                Some(other) => return Err(format!("unknown arithmetic {other:?}").into()),
            };
            let (start, cpu) = (Instant::now(), thread_cpu_seconds());
            let f = exchange_model(
                &input,
                ExchangeOptions {
                    rounds,
                    ties: TieRule::First,
                    arithmetic,
                },
            )?;
            let seconds = start.elapsed().as_secs_f64();
            let cpu_seconds = thread_cpu_seconds() - cpu;
            let fin: serde_json::Map<String, serde_json::Value> = input
                .issues
                .iter()
                .zip(f.final_outcome())
                .filter_map(|(i, v)| v.map(|v| (i.name.clone(), v.into())))
                .collect();
            let exchanges: usize = f.rounds.iter().map(|r| r.exchanges.len()).sum();
            println!(
                "{}",
                serde_json::json!({"seconds": seconds, "cpu_seconds": cpu_seconds, "final": fin, "exchanges": exchanges})
            );
        }
        _ => eprintln!(
            "usage: peers frontier DOMAIN.xml PROFILE.xml... | peers exchange FILE.csv ROUNDS [decimal|decimal-only|float]"
        ),
    }
    Ok(())
}
