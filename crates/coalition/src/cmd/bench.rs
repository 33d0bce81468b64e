//! `coalition bench …`: speed and durability measurements, each against a baseline in the same
//! run (machines here are small and noisy; only ratios travel).
//!
//! - `append`: durable appends through the ledger against a bare SQLite insert loop with the
//!   same durability (WAL, synchronous=FULL), in the same directory, in the same process.
//! - `activation`: the latency of the confirmation that verifies an incident and opens every
//!   obligation, over many commitments spread over many coalitions.
//! - `crash`: kill -9 a writer at random moments; every acknowledged event must survive.
//! - `fsync-audit`: under strace, every acknowledgement must follow an fsync of the WAL.
//! - `verify`: offline verification of a log of many signed approvals (chain + signature audit,
//!   and the whole bundle) against bare ed25519-dalek `verify_strict` over the same signatures.
//! - `writer`: the process `crash` and `fsync-audit` run (prints `ACK <seq>` per durable append).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Subcommand;
use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, NewCommitment, NewIncident};
use coalition_core::commitment::{
    Category, ClockStart, Commitment, Discretion, Response, ResponseKind, Trigger, TriggerKind,
    Validity,
};
use coalition_core::dates::{Day, Span, Timestamp};
use coalition_core::id::{CoalitionId, CommitmentId, IncidentId, PartyCode, PrincipalId};
use coalition_core::incident::{Incident, IncidentKind, VerificationRule};
use coalition_core::party::{Principal, PrincipalRole, Seat, SeatRole};
use coalition_core::{Context, State, apply, decide};
use coalition_ledger::seal::seal;
use coalition_ledger::verify::verify_chain;
use coalition_ledger::{EventStore, Head, Ledger};
use coalition_store::{Durability, SqliteStore};
use rand::Rng;
use serde_json::json;

use crate::clock;
use crate::failure::{bad_input, verification_failed};
use crate::output::print_json;
use crate::session::DATABASE_FILE;

/// Benchmarks and durability harnesses.
#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// Durable appends per second: the ledger against a bare SQLite insert loop (same durability).
    #[command(after_help = "Example:\n  coalition bench append --events 2000")]
    Append {
        /// Appends to time on each side.
        #[arg(long, default_value_t = 2000)]
        events: u64,
        /// Where to put the scratch databases (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Latency of verification → all obligations, on many commitments over many coalitions.
    #[command(
        after_help = "Example:\n  coalition bench activation --coalitions 10000 --commitments-per-coalition 100 --samples 200"
    )]
    Activation {
        /// How many coalitions.
        #[arg(long, default_value_t = 10_000)]
        coalitions: u64,
        /// Commitments in each coalition (all in force, all matching the incident).
        #[arg(long, default_value_t = 100)]
        commitments_per_coalition: u64,
        /// Incidents to verify (each in a different coalition).
        #[arg(long, default_value_t = 200)]
        samples: u64,
        /// Where to put the scratch database (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// kill -9 a writer at random moments and check that no acknowledged event is lost.
    #[command(
        after_help = "Example:\n  coalition bench crash --cycles 30\n  coalition bench crash --cycles 30 --negative-control ack-before-commit   # must FAIL"
    )]
    Crash {
        /// Kill/restart cycles.
        #[arg(long, default_value_t = 30)]
        cycles: u32,
        /// Run a deliberately broken writer, to show the harness catches it.
        #[arg(long, value_name = "KIND")]
        negative_control: Option<NegativeControl>,
        /// Where the writer's database lives (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Random seed for the kill times (default: from the clock).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Under strace: every acknowledgement must follow an fsync of the -wal file.
    #[command(
        after_help = "Example:\n  coalition bench fsync-audit --acks 200\n  coalition bench fsync-audit --negative-control normal-sync   # must FAIL"
    )]
    FsyncAudit {
        /// Acknowledged appends to audit.
        #[arg(long, default_value_t = 200)]
        acks: u64,
        /// Run the writer with synchronous=NORMAL, to show the audit catches it.
        #[arg(long, value_name = "KIND")]
        negative_control: Option<NegativeControl>,
        /// Where the writer's database lives (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Offline verification of N approvals (chain + audit, and the bundle) against bare
    /// ed25519-dalek `verify_strict` (and `verify_batch`) over the same signatures.
    #[command(after_help = "Example:\n  coalition bench verify --approvals 10000 --signatories 50")]
    Verify {
        /// Approvals in the log.
        #[arg(long, default_value_t = 10_000)]
        approvals: u64,
        /// Required signatories per statement (each a party with a leader and a key).
        #[arg(long, default_value_t = 50)]
        signatories: usize,
        /// Times each side is measured; the fastest run counts.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
    },
    /// The writer process the harnesses run: appends until killed, printing `ACK <seq>`.
    #[command(hide = true)]
    Writer {
        /// Where its database lives.
        #[arg(long)]
        dir: PathBuf,
        /// Stop after this many acknowledgements.
        #[arg(long)]
        max: Option<u64>,
        /// Misbehave on purpose.
        #[arg(long, value_name = "KIND")]
        negative_control: Option<NegativeControl>,
    },
}

/// A deliberately broken writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum NegativeControl {
    /// Print the acknowledgement before the transaction commits.
    AckBeforeCommit,
    /// Run SQLite with synchronous=NORMAL (no fsync at commit).
    NormalSync,
}

pub(crate) async fn run(
    command: &BenchCommand,
    _data_dir: &Path,
    json: bool,
) -> anyhow::Result<()> {
    match command {
        BenchCommand::Append { events, dir } => append(*events, dir.as_deref(), json).await,
        BenchCommand::Activation {
            coalitions,
            commitments_per_coalition,
            samples,
            dir,
        } => {
            activation(
                *coalitions,
                *commitments_per_coalition,
                *samples,
                dir.as_deref(),
                json,
            )
            .await
        }
        BenchCommand::Crash {
            cycles,
            negative_control,
            dir,
            seed,
        } => crash(*cycles, *negative_control, dir.as_deref(), *seed, json).await,
        BenchCommand::FsyncAudit {
            acks,
            negative_control,
            dir,
        } => fsync_audit(*acks, *negative_control, dir.as_deref(), json),
        BenchCommand::Writer {
            dir,
            max,
            negative_control,
        } => writer(dir, *max, *negative_control).await,
        BenchCommand::Verify {
            approvals,
            signatories,
            rounds,
        } => verify(*approvals, *signatories, *rounds, json),
    }
}

/// A scratch directory: the one given, or a new temporary one kept for inspection.
fn scratch(dir: Option<&Path>, label: &str) -> anyhow::Result<PathBuf> {
    match dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            Ok(dir.to_owned())
        }
        None => Ok(tempfile::Builder::new()
            .prefix(&format!("coalition-{label}-"))
            .tempdir()?
            .keep()),
    }
}

fn party(code: &str) -> anyhow::Result<PartyCode> {
    Ok(PartyCode::parse(code)?)
}

/// A small coalition to write into: UKR protected, RUS adversary, ten guarantors, a
/// secretariat and a monitor.
fn founding(id: &CoalitionId) -> anyhow::Result<(PrincipalId, Vec<Command>)> {
    let secretariat = PrincipalId::parse("secretariat")?;
    let founder = Principal {
        id: secretariat.clone(),
        name: "Secretariat".into(),
        party: party("FRA")?,
        role: PrincipalRole::Secretariat,
        clearance: Level::TopSecret,
        marking: Marking::public(),
        public_key: None,
    };
    let mut commands = vec![Command::FoundCoalition {
        id: id.clone(),
        name: format!("bench {id}"),
        protected: party("UKR")?,
        verification: VerificationRule::default(),
        founder,
        // Before the benches' commitments (2026-01-01) and incident (2026-06-01).
        at: Some(Timestamp::parse("2026-01-01T00:00:00Z")?),
    }];
    let seat = |code: &str, role| -> anyhow::Result<Command> {
        Ok(Command::GrantSeat(Seat {
            party: party(code)?,
            role,
            from: None,
            until: None,
            disclosed: true,
            note: String::new(),
        }))
    };
    commands.push(seat("UKR", SeatRole::ProtectedState)?);
    commands.push(seat("RUS", SeatRole::Adversary)?);
    commands.push(seat("USA", SeatRole::Partner)?);
    for code in GUARANTORS {
        commands.push(seat(code, SeatRole::Member)?);
    }
    commands.push(Command::RegisterPrincipal(Principal {
        id: PrincipalId::parse("monitor")?,
        name: "Monitoring mechanism".into(),
        party: party("USA")?,
        role: PrincipalRole::Monitor,
        clearance: Level::TopSecret,
        marking: Marking::public(),
        public_key: None,
    }));
    Ok((secretariat, commands))
}

const GUARANTORS: [&str; 10] = [
    "FRA", "GBR", "DEU", "ITA", "POL", "ESP", "NLD", "DNK", "SWE", "CAN",
];

fn bench_commitment(n: u64) -> anyhow::Result<Command> {
    let guarantor = GUARANTORS[usize::try_from(n % 10)?];
    Ok(Command::AddCommitment(NewCommitment {
        id: Some(CommitmentId::parse(&format!("c{n}"))?),
        commitment: Commitment {
            id: CommitmentId::parse(&format!("c{n}"))?,
            guarantor: party(guarantor)?,
            protected: party("UKR")?,
            instrument: None,
            category: Category::parse("military-capabilities")?,
            what: format!("bench commitment {n}"),
            amount: None,
            trigger: Trigger {
                kind: TriggerKind::ArmedAttack,
                aggressor: party("RUS")?,
                scope: String::new(),
            },
            discretion: Discretion::Automatic,
            responses: vec![
                Response {
                    kind: ResponseKind::Consult,
                    within: Some(Span::hours(24)),
                    clock: ClockStart::Verification,
                },
                Response {
                    kind: ResponseKind::Deliver,
                    within: Some(Span::days(30)),
                    clock: ClockStart::Verification,
                },
            ],
            validity: Validity {
                from: Some(Day::from_ymd(2026, 1, 1)?),
                until: Some(Day::from_ymd(2041, 1, 1)?),
            },
            marking: Marking::at(Level::Restricted),
            illustrative: true,
        },
        at: None,
    }))
}

fn report_incident() -> anyhow::Result<Command> {
    Ok(Command::ReportIncident(NewIncident {
        id: None,
        incident: Incident {
            id: IncidentId::parse("new")?,
            aggressor: party("RUS")?,
            target: party("UKR")?,
            kind: IncidentKind::ArmedAttack,
            occurred_at: Timestamp::parse("2026-06-01T00:00:00Z")?,
            location: String::new(),
            description: "bench".into(),
            evidence: Vec::new(),
            marking: Marking::at(Level::Restricted),
        },
        at: None,
    }))
}

/// Decides commands in memory (no store) and seals them as one batch after `Head::EMPTY`.
fn decided_batch(
    id: &CoalitionId,
    actor: &PrincipalId,
    now: Timestamp,
    commands: &[Command],
) -> anyhow::Result<Vec<coalition_ledger::SealedEvent>> {
    let mut state = State::new();
    let ctx = Context {
        now,
        actor: actor.clone(),
    };
    let mut events = Vec::new();
    for command in commands {
        for event in decide(&state, command, &ctx)? {
            apply(&mut state, &event);
            events.push(event);
        }
    }
    Ok(seal(id, Head::EMPTY, now, actor, events)?)
}

async fn append(events: u64, dir: Option<&Path>, json: bool) -> anyhow::Result<()> {
    if events == 0 {
        return Err(bad_input("--events: expected at least 1"));
    }
    let dir = scratch(dir, "bench-append")?;
    let now = clock::now()?;

    // Baseline: the same durability, a bare one-row insert per transaction, no hashing.
    let raw = SqliteStore::open(&dir.join("baseline.sqlite")).await?;
    let payload = vec![b'x'; 600];
    let started = Instant::now();
    for n in 0..events {
        raw.raw_insert_for_baseline(n, &payload).await?;
    }
    let baseline = started.elapsed();
    raw.close().await;

    // Ours: decide, seal (canonical JSON + SHA-256), check the head and append, one event per
    // transaction, acknowledged after COMMIT.
    let store = std::sync::Arc::new(SqliteStore::open(&dir.join(DATABASE_FILE)).await?);
    let ledger = Ledger::new(store.clone());
    let id = CoalitionId::parse("bench-append")?;
    let (actor, founding) = founding(&id)?;
    ledger.execute(&id, &actor, now, &founding).await?;
    let started = Instant::now();
    for _ in 0..events {
        ledger
            .execute(&id, &actor, now, &[report_incident()?])
            .await?;
    }
    let ours = started.elapsed();
    store.close().await;

    let per_second = |d: Duration| events as f64 / d.as_secs_f64();
    let ratio = per_second(ours) / per_second(baseline);
    if json {
        return print_json(&json!({
            "events": events,
            "ledger_appends_per_second": per_second(ours),
            "baseline_inserts_per_second": per_second(baseline),
            "ratio": ratio,
            "dir": dir,
        }));
    }
    println!("durable appends, one per transaction, WAL + synchronous=FULL, {events} each:");
    println!(
        "  baseline (bare INSERT):          {:>9.0}/s",
        per_second(baseline)
    );
    println!(
        "  ledger (decide+seal+check+append): {:>7.0}/s",
        per_second(ours)
    );
    println!("  ratio ledger/baseline:           {ratio:>9.3}");
    Ok(())
}

async fn activation(
    coalitions: u64,
    per_coalition: u64,
    samples: u64,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    if coalitions == 0 || samples == 0 || samples > coalitions {
        return Err(bad_input(
            "expected --coalitions ≥ 1 and 1 ≤ --samples ≤ --coalitions",
        ));
    }
    let dir = scratch(dir, "bench-activation")?;
    let store = std::sync::Arc::new(SqliteStore::open(&dir.join(DATABASE_FILE)).await?);
    let now = Timestamp::parse("2026-06-02T00:00:00Z")?;
    let progress = indicatif::ProgressBar::new(coalitions);
    progress.set_style(indicatif::ProgressStyle::with_template(
        "loading {pos}/{len} coalitions {wide_bar} {eta}",
    )?);
    let started = Instant::now();
    let mut batch = Vec::new();
    for c in 0..coalitions {
        let id = CoalitionId::parse(&format!("bench-{c}"))?;
        let (actor, mut commands) = founding(&id)?;
        for n in 0..per_coalition {
            commands.push(bench_commitment(c * per_coalition + n)?);
        }
        let sealed = decided_batch(&id, &actor, now, &commands)?;
        batch.push((id, Head::EMPTY, sealed));
        // Bulk load: many coalitions per transaction, so the load is not fsync-bound.
        if batch.len() == 200 {
            store.append_all(&batch).await?;
            batch.clear();
        }
        progress.inc(1);
    }
    store.append_all(&batch).await?;
    progress.finish_and_clear();
    let load_time = started.elapsed();

    let ledger = Ledger::new(store.clone());
    let monitor = PrincipalId::parse("monitor")?;
    let secretariat = PrincipalId::parse("secretariat")?;
    let mut rng = rand::rng();
    let mut chosen: Vec<u64> = Vec::new();
    while (chosen.len() as u64) < samples {
        let c = rng.random_range(0..coalitions);
        if !chosen.contains(&c) {
            chosen.push(c);
        }
    }
    let mut latencies = Vec::new();
    let mut obligations_opened = 0usize;
    for c in chosen {
        let id = CoalitionId::parse(&format!("bench-{c}"))?;
        ledger
            .execute(&id, &secretariat, now, &[report_incident()?])
            .await?;
        let started = Instant::now();
        let receipt = ledger
            .execute(
                &id,
                &monitor,
                now,
                &[Command::ConfirmIncident {
                    incident: IncidentId::parse("INC-1")?,
                    at: None,
                }],
            )
            .await?;
        latencies.push(started.elapsed());
        obligations_opened += receipt
            .entries
            .iter()
            .filter(|(_, e)| matches!(e, coalition_core::Event::ObligationOpened { .. }))
            .count();
    }
    store.close().await;
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    let (p50, p99) = (pick(0.5), pick(0.99));
    let per_incident = obligations_opened as f64 / samples as f64;
    if json {
        return print_json(&json!({
            "coalitions": coalitions,
            "commitments": coalitions * per_coalition,
            "samples": samples,
            "obligations_per_incident": per_incident,
            "p50_ms": p50.as_secs_f64() * 1e3,
            "p99_ms": p99.as_secs_f64() * 1e3,
            "load_seconds": load_time.as_secs_f64(),
            "dir": dir,
        }));
    }
    println!(
        "{} commitments over {coalitions} coalitions loaded in {:.1}s",
        coalitions * per_coalition,
        load_time.as_secs_f64()
    );
    println!(
        "activation (confirm → verified → {per_incident:.0} obligations, durable): p50 {:.2} ms, p99 {:.2} ms over {samples} incidents",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
    Ok(())
}

/// The crash-test writer: appends until killed (or `max`), printing `ACK <seq>` after each
/// append is durable (or, as a negative control, before).
async fn writer(
    dir: &Path,
    max: Option<u64>,
    control: Option<NegativeControl>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let durability = match control {
        Some(NegativeControl::NormalSync) => Durability::NormalForNegativeControl,
        _ => Durability::Full,
    };
    std::fs::create_dir_all(dir)?;
    let store =
        std::sync::Arc::new(SqliteStore::open_with(&dir.join(DATABASE_FILE), durability).await?);
    let ledger = Ledger::new(store.clone());
    let id = CoalitionId::parse("crash-test")?;
    let (actor, founding) = founding(&id)?;
    let now = clock::now()?;
    if store.head(&id).await? == Head::EMPTY {
        ledger.execute(&id, &actor, now, &founding).await?;
    }
    let mut stdout = std::io::stdout().lock();
    let mut acked = 0u64;
    while max.is_none_or(|max| acked < max) {
        let next = store.head(&id).await?.seq + 1;
        if control == Some(NegativeControl::AckBeforeCommit) {
            writeln!(stdout, "ACK {next}")?;
            stdout.flush()?;
        }
        let receipt = ledger
            .execute(&id, &actor, now, &[report_incident()?])
            .await?;
        if control != Some(NegativeControl::AckBeforeCommit) {
            writeln!(stdout, "ACK {}", receipt.head.seq)?;
            stdout.flush()?;
        }
        acked += 1;
    }
    store.close().await;
    Ok(())
}

fn spawn_writer(
    dir: &Path,
    max: Option<u64>,
    control: Option<NegativeControl>,
    under: Option<&[&str]>,
) -> anyhow::Result<std::process::Child> {
    let exe = std::env::current_exe()?;
    let mut args: Vec<String> = vec![
        "bench".into(),
        "writer".into(),
        "--dir".into(),
        dir.display().to_string(),
    ];
    if let Some(max) = max {
        args.extend(["--max".into(), max.to_string()]);
    }
    if let Some(control) = control {
        let name = match control {
            NegativeControl::AckBeforeCommit => "ack-before-commit",
            NegativeControl::NormalSync => "normal-sync",
        };
        args.extend(["--negative-control".into(), name.into()]);
    }
    let mut process = match under {
        Some(prefix) => {
            let mut p = Process::new(prefix[0]);
            p.args(&prefix[1..]).arg(&exe).args(&args);
            p
        }
        None => {
            let mut p = Process::new(&exe);
            p.args(&args);
            p
        }
    };
    process.stdout(Stdio::piped()).stderr(Stdio::inherit());
    process
        .spawn()
        .with_context(|| format!("cannot start {}", exe.display()))
}

/// Jepsen's rule: lost = acknowledged but absent (must be 0); recovered = present but never
/// acknowledged (allowed).
async fn crash(
    cycles: u32,
    control: Option<NegativeControl>,
    dir: Option<&Path>,
    seed: Option<u64>,
    json: bool,
) -> anyhow::Result<()> {
    use rand::SeedableRng;
    let dir = scratch(dir, "crash")?;
    let seed = seed.unwrap_or_else(|| clock::now().map(|t| t.unix().unsigned_abs()).unwrap_or(1));
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let id = CoalitionId::parse("crash-test")?;
    let mut acked_max = 0u64;
    let mut total_acks = 0u64;
    let deadline = Instant::now() + Duration::from_secs(600);
    for cycle in 1..=cycles {
        if Instant::now() > deadline {
            return Err(anyhow::anyhow!(
                "crash harness ran past its 10-minute bound at cycle {cycle}"
            ));
        }
        let mut child = spawn_writer(&dir, None, control, None)?;
        let stdout = child.stdout.take().context("writer has no stdout")?;
        let kill_after = Duration::from_millis(rng.random_range(20..120));
        let (sender, receiver) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(seq) = line
                    .strip_prefix("ACK ")
                    .and_then(|s| s.parse::<u64>().ok())
                    && sender.send(seq).is_err()
                {
                    break;
                }
            }
        });
        let started = Instant::now();
        let mut acks = Vec::new();
        while started.elapsed() < kill_after {
            if let Ok(seq) = receiver.recv_timeout(Duration::from_millis(1)) {
                acks.push(seq);
            }
        }
        child.kill()?; // SIGKILL
        let status = child.wait()?;
        if status.code().is_some() {
            // Killed processes have no exit code; a writer that stopped by itself failed.
            return Err(anyhow::anyhow!(
                "cycle {cycle}: the writer exited by itself ({status}) instead of being killed"
            ));
        }
        let _ = reader.join();
        acks.extend(receiver.try_iter());
        total_acks += acks.len() as u64;
        if let Some(max) = acks.iter().max() {
            acked_max = acked_max.max(*max);
        }
        // Reopen as a fresh process would, verify the chain, and look for every ack.
        let store = SqliteStore::open(&dir.join(DATABASE_FILE)).await?;
        let entries = store.read(&id, 1).await?;
        store.close().await;
        if !entries.is_empty() {
            verify_chain(&id, &entries)
                .map_err(|e| verification_failed(format!("cycle {cycle}: chain broken: {e}")))?;
        }
        let present = entries.last().map_or(0, |e| e.seq);
        if acked_max > present {
            let message = format!(
                "FAIL at cycle {cycle}: acknowledged event {acked_max} is missing (log ends at {present}); {total_acks} acks so far"
            );
            if json {
                print_json(
                    &json!({"ok": false, "cycle": cycle, "lost_from": present + 1, "acked_max": acked_max, "acks": total_acks, "seed": seed}),
                )?;
            }
            return Err(verification_failed(message));
        }
    }
    if total_acks == 0 {
        // Every kill came before the first acknowledgement: nothing was tested.
        return Err(anyhow::anyhow!(
            "no acknowledgement in {cycles} cycles: the writer never got to append"
        ));
    }
    if json {
        return print_json(
            &json!({"ok": true, "cycles": cycles, "acks": total_acks, "lost": 0, "seed": seed, "dir": dir}),
        );
    }
    println!(
        "{cycles} kill -9 cycles, {total_acks} acknowledged appends, 0 lost, chain verified after every cycle (seed {seed})"
    );
    Ok(())
}

/// Runs the writer under strace and checks that every `ACK` write follows an fsync of the WAL
/// that completed after the previous `ACK`.
fn fsync_audit(
    acks: u64,
    control: Option<NegativeControl>,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let dir = scratch(dir, "fsync-audit")?;
    let trace = dir.join("strace.txt");
    let trace_arg = trace.display().to_string();
    let prefix = [
        "strace",
        "-f",
        "-y",
        "-e",
        "trace=fsync,fdatasync,write",
        "-o",
        &trace_arg,
    ];
    let mut child = spawn_writer(&dir, Some(acks), control, Some(&prefix))
        .context("strace is needed for the audit (Debian package strace)")?;
    let stdout = child.stdout.take().context("writer has no stdout")?;
    let seen = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .filter(|l| l.starts_with("ACK "))
        .count();
    let status = child.wait()?;
    if !status.success() {
        return Err(anyhow::anyhow!("the writer under strace failed ({status})"));
    }
    let text = std::fs::read_to_string(&trace)?;
    let audit = audit_trace(&text);
    if json {
        print_json(
            &json!({"acks": audit.acks, "acks_seen_on_stdout": seen, "wal_fsyncs": audit.wal_fsyncs, "unsynced_acks": audit.unsynced_acks, "trace": trace}),
        )?;
    }
    if audit.acks == 0 {
        return Err(anyhow::anyhow!(
            "no acknowledgements found in the trace {}",
            trace.display()
        ));
    }
    if audit.unsynced_acks > 0 {
        return Err(verification_failed(format!(
            "{} of {} acknowledgements were not preceded by an fsync of the WAL ({} WAL fsyncs in all); trace: {}",
            audit.unsynced_acks,
            audit.acks,
            audit.wal_fsyncs,
            trace.display()
        )));
    }
    if !json {
        println!(
            "{} acknowledgements, each after an fsync of the WAL ({} WAL fsyncs in all)",
            audit.acks, audit.wal_fsyncs
        );
    }
    Ok(())
}

/// What the strace audit found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Audit {
    pub(crate) acks: u64,
    pub(crate) wal_fsyncs: u64,
    pub(crate) unsynced_acks: u64,
}

/// Reads `strace -f -y` output. A WAL fsync counts when it *completes* (the whole call on one
/// line, or its `resumed` line); an ACK write is synced if one completed since the previous ACK.
pub(crate) fn audit_trace(text: &str) -> Audit {
    let mut audit = Audit::default();
    let mut pending_wal: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut synced_since_ack = false;
    for line in text.lines() {
        let mut parts = line.splitn(2, ' ');
        let pid = parts.next().unwrap_or("").to_owned();
        let call = parts.next().unwrap_or("").trim_start();
        let is_sync = call.starts_with("fsync(") || call.starts_with("fdatasync(");
        if is_sync && call.contains("-wal>") {
            if call.contains("<unfinished ...>") {
                pending_wal.insert(pid);
            } else if returns_zero(call) {
                audit.wal_fsyncs += 1;
                synced_since_ack = true;
            }
        } else if call.starts_with("<... fsync resumed>")
            || call.starts_with("<... fdatasync resumed>")
        {
            if pending_wal.remove(&pid) && returns_zero(call) {
                audit.wal_fsyncs += 1;
                synced_since_ack = true;
            }
        } else if call.starts_with("write(1") && call.contains("\"ACK ") {
            audit.acks += 1;
            if !synced_since_ack {
                audit.unsynced_acks += 1;
            }
            synced_since_ack = false;
        }
    }
    audit
}

/// Whether a traced call returned 0. strace pads short lines before the result
/// (`<... fsync resumed>)              = 0`), so look past the closing parenthesis.
fn returns_zero(call: &str) -> bool {
    call.rsplit_once(')')
        .is_some_and(|(_, result)| result.trim_start() == "= 0")
}

/// Parties for `bench verify`: each gets a member's seat and a leader with a key.
const VERIFY_PARTIES: [&str; 50] = [
    "FRA", "GBR", "DEU", "ITA", "POL", "ESP", "NLD", "DNK", "SWE", "CAN", "BEL", "BGR", "HRV",
    "EST", "FIN", "GRC", "ISL", "LVA", "LTU", "LUX", "NOR", "PRT", "ROU", "SVN", "CZE", "AUT",
    "TUR", "CYP", "IRL", "JPN", "AUS", "NZL", "MNE", "ALB", "MKD", "SVK", "HUN", "MLT", "CHE",
    "USA", "KOR", "BRA", "MEX", "ARG", "CHL", "ZAF", "IND", "IDN", "PHL", "SGP",
];

/// A log of `approvals` signed approvals: statements with `signatories` required parties each,
/// every leader approving (so every complete statement is adopted). Decided and sealed in memory,
/// signatures made here with each leader's key. Returns the sealed entries with their envelopes
/// and the (message, signature, key) of every approval.
#[allow(clippy::type_complexity)]
fn approvals_log(
    id: &CoalitionId,
    approvals: u64,
    signatories: usize,
    log_key: &ed25519_dalek::SigningKey,
) -> anyhow::Result<(
    Vec<(
        coalition_ledger::SealedEvent,
        coalition_ledger::canonical::Envelope,
    )>,
    Vec<(
        [u8; 32],
        ed25519_dalek::Signature,
        ed25519_dalek::VerifyingKey,
    )>,
)> {
    use coalition_core::signature::{PublicKey, SignatureBytes, approval_message};
    use coalition_core::statement::{AdoptionRule, Paragraph, StatementId};
    use ed25519_dalek::{Signer as _, SigningKey};

    let now = Timestamp::parse("2026-01-06T12:00:00Z")?;
    let secretariat = PrincipalId::parse("secretariat")?;
    let mut batches: Vec<(PrincipalId, Command)> = Vec::new();
    let (_, founding) = founding(id)?;
    batches.extend(founding.into_iter().map(|c| (secretariat.clone(), c)));
    let parties = &VERIFY_PARTIES[..signatories];
    let mut leaders = Vec::new();
    for (n, code) in parties.iter().enumerate() {
        let party = party(code)?;
        if !GUARANTORS.contains(code) && *code != "USA" {
            batches.push((
                secretariat.clone(),
                Command::GrantSeat(Seat {
                    party: party.clone(),
                    role: SeatRole::Member,
                    from: None,
                    until: None,
                    disclosed: true,
                    note: String::new(),
                }),
            ));
        }
        let key = SigningKey::from_bytes(&[u8::try_from(n)? + 1; 32]);
        let leader = PrincipalId::parse(&format!("leader-{}", code.to_lowercase()))?;
        batches.push((
            secretariat.clone(),
            Command::RegisterPrincipal(Principal {
                id: leader.clone(),
                name: format!("Leader of {code}"),
                party,
                role: PrincipalRole::Leader,
                clearance: Level::Secret,
                marking: Marking::public(),
                public_key: Some(PublicKey::from_bytes(key.verifying_key().to_bytes())?),
            }),
        ));
        leaders.push((leader, key));
    }
    batches.push((
        secretariat.clone(),
        Command::RegisterLogKey {
            name: coalition_ledger::bundle::origin(id),
            key: PublicKey::from_bytes(log_key.verifying_key().to_bytes())?,
        },
    ));

    let mut state = State::new();
    let mut head = Head::EMPTY;
    let mut entries = Vec::new();
    let mut triples = Vec::new();
    let mut record = |state: &mut State,
                      head: &mut Head,
                      actor: &PrincipalId,
                      command: &Command|
     -> anyhow::Result<()> {
        let ctx = Context {
            now,
            actor: actor.clone(),
        };
        let events = decide(state, command, &ctx)?;
        for event in &events {
            apply(state, event);
        }
        for sealed in seal(id, *head, now, actor, events)? {
            *head = Head {
                seq: sealed.seq,
                hash: sealed.hash,
            };
            let envelope =
                coalition_ledger::canonical::Envelope::from_canonical_bytes(&sealed.body)?;
            entries.push((sealed, envelope));
        }
        Ok(())
    };
    for (actor, command) in &batches {
        record(&mut state, &mut head, actor, command)?;
    }
    let statements = approvals.div_ceil(signatories as u64);
    let mut left = approvals;
    for s in 0..statements {
        let statement = StatementId::parse(&format!("s{s}"))?;
        let paragraphs = vec![Paragraph {
            text: format!("Statement {s}: we stand together."),
            marking: Marking::public(),
        }];
        let draft = Command::DraftStatement {
            statement: statement.clone(),
            title: format!("Statement {s}"),
            signatories: parties
                .iter()
                .map(|p| party(p))
                .collect::<anyhow::Result<_>>()?,
            rule: AdoptionRule::Unanimity,
            paragraphs,
            at: None,
        };
        record(&mut state, &mut head, &secretariat, &draft)?;
        let content = state
            .statements()
            .get(&statement)
            .and_then(|r| r.current())
            .map(|v| v.content)
            .context("the statement just drafted")?;
        let message = approval_message(id, statement.as_str(), 1, &content);
        for (leader, key) in leaders
            .iter()
            .take(usize::try_from(left.min(signatories as u64))?)
        {
            let signature = key.sign(message.as_bytes());
            let approve = Command::ApproveVersion {
                statement: statement.clone(),
                version: 1,
                signature: SignatureBytes(signature.to_bytes()),
                meeting: None,
                at: None,
            };
            record(&mut state, &mut head, leader, &approve)?;
            triples.push((message.0, signature, key.verifying_key()));
            left -= 1;
        }
    }
    Ok((entries, triples))
}

/// The fastest of `rounds` runs of `f`, which must succeed.
fn fastest(rounds: u32, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        f()?;
        best = best.min(started.elapsed());
    }
    Ok(best)
}

fn verify(approvals: u64, signatories: usize, rounds: u32, json: bool) -> anyhow::Result<()> {
    if approvals == 0 || !(1..=VERIFY_PARTIES.len()).contains(&signatories) {
        return Err(bad_input(format!(
            "expected --approvals ≥ 1 and 1 ≤ --signatories ≤ {}",
            VERIFY_PARTIES.len()
        )));
    }
    let id = CoalitionId::parse("bench-verify")?;
    let log_key = ed25519_dalek::SigningKey::from_bytes(&[0xa5; 32]);
    let started = Instant::now();
    let (entries, triples) = approvals_log(&id, approvals, signatories, &log_key)?;
    let bundle = coalition_ledger::bundle::Bundle::build(&id, &entries, &log_key)?.to_bytes();
    let build_time = started.elapsed();
    let sealed: Vec<coalition_ledger::SealedEvent> =
        entries.into_iter().map(|(sealed, _)| sealed).collect();

    // Ours: the chain (canonical bytes, hashes, links) and the signature audit (every approval
    // against the key registered at that point, strict), as `log verify` runs them …
    let mut checked = 0;
    let ours = fastest(rounds, || {
        let envelopes = verify_chain(&id, &sealed)?;
        checked = coalition_ledger::audit::audit_signatures(&envelopes)?.approvals;
        Ok(())
    })?;
    if checked != approvals {
        return Err(verification_failed(format!(
            "the audit checked {checked} approvals, expected {approvals}"
        )));
    }
    // (The chain alone, to show where the rest of the time goes.)
    let chain = fastest(rounds, || {
        verify_chain(&id, &sealed)?;
        Ok(())
    })?;
    // … and the whole bundle offline (canonical form, key list, checkpoint, Merkle root too).
    let offline = fastest(rounds, || {
        coalition_ledger::bundle::verify_bundle(&bundle, None)?;
        Ok(())
    })?;
    // Bare ed25519-dalek over the same (message, signature, key) triples, keys already parsed.
    let bare = fastest(rounds, || {
        for (message, signature, key) in &triples {
            key.verify_strict(message, signature)?;
        }
        Ok(())
    })?;
    let messages: Vec<&[u8]> = triples.iter().map(|(m, _, _)| m.as_slice()).collect();
    let signatures: Vec<ed25519_dalek::Signature> = triples.iter().map(|(_, s, _)| *s).collect();
    let keys: Vec<ed25519_dalek::VerifyingKey> = triples.iter().map(|(_, _, k)| *k).collect();
    let batch = fastest(rounds, || {
        ed25519_dalek::verify_batch(&messages, &signatures, &keys)?;
        Ok(())
    })?;

    let rate = |d: Duration| approvals as f64 / d.as_secs_f64();
    if json {
        return print_json(&json!({
            "approvals": approvals,
            "events": sealed.len(),
            "bundle_bytes": bundle.len(),
            "build_seconds": build_time.as_secs_f64(),
            "ours_chain_and_audit_per_second": rate(ours),
            "ours_bundle_per_second": rate(offline),
            "chain_only_seconds": chain.as_secs_f64(),
            "chain_and_audit_seconds": ours.as_secs_f64(),
            "bare_verify_strict_per_second": rate(bare),
            "bare_verify_batch_per_second": rate(batch),
            "ratio_audit_to_strict": rate(ours) / rate(bare),
            "ratio_bundle_to_strict": rate(offline) / rate(bare),
            "ratio_batch_to_strict": rate(batch) / rate(bare),
        }));
    }
    println!(
        "{approvals} approvals ({signatories} signatories per statement), {} events, bundle {} bytes; built in {:.1}s",
        sealed.len(),
        bundle.len(),
        build_time.as_secs_f64()
    );
    println!("signatures per second (fastest of {rounds}):");
    println!(
        "  ours: chain + signature audit (log verify):      {:>9.0}/s  ratio {:.3}",
        rate(ours),
        rate(ours) / rate(bare)
    );
    println!(
        "    (of which the chain alone: {:.0} ms of {:.0} ms)",
        chain.as_secs_f64() * 1e3,
        ours.as_secs_f64() * 1e3
    );
    println!(
        "  ours: whole bundle offline (log verify --bundle): {:>8.0}/s  ratio {:.3}",
        rate(offline),
        rate(offline) / rate(bare)
    );
    println!(
        "  bare ed25519-dalek verify_strict:                 {:>8.0}/s  ratio 1",
        rate(bare)
    );
    println!(
        "  bare ed25519-dalek verify_batch (not strict):     {:>8.0}/s  ratio {:.3}",
        rate(batch),
        rate(batch) / rate(bare)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_reads_results_that_strace_pads_with_spaces() {
        // Taken from a trace on a loaded machine: the fsync is interrupted by another thread.
        let padded = "\
18765 fsync(14</tmp/fz2/coalition.sqlite-wal> <unfinished ...>
18689 <... write resumed>)              = 8
18765 <... fsync resumed>)              = 0
18669 write(1<pipe:[167825]>, \"ACK 64\\n\", 7) = 7
18765 fsync(14</d/x-wal>)               = 0
18669 write(1<pipe:[167825]>, \"ACK 65\\n\", 7) = 7
18765 fsync(14</d/x-wal>)               = -1 EIO (Input/output error)
18669 write(1<pipe:[167825]>, \"ACK 66\\n\", 7) = 7
";
        assert_eq!(
            audit_trace(padded),
            Audit {
                acks: 3,
                wal_fsyncs: 2,
                unsynced_acks: 1
            }
        );
    }

    #[test]
    fn the_audit_accepts_acks_after_a_completed_wal_fsync_only() {
        let good = "\
10 fsync(5</d/coalition.sqlite-wal>) = 0
11 write(1<pipe:[1]>, \"ACK 2\\n\", 6) = 6
10 fsync(5</d/coalition.sqlite-wal> <unfinished ...>
10 <... fsync resumed>) = 0
11 write(1<pipe:[1]>, \"ACK 3\\n\", 6) = 6
";
        assert_eq!(
            audit_trace(good),
            Audit {
                acks: 2,
                wal_fsyncs: 2,
                unsynced_acks: 0
            }
        );
        let bad = "\
10 fsync(6</d/coalition.sqlite>) = 0
11 write(1<pipe:[1]>, \"ACK 2\\n\", 6) = 6
10 fsync(5</d/coalition.sqlite-wal> <unfinished ...>
11 write(1<pipe:[1]>, \"ACK 3\\n\", 6) = 6
10 <... fsync resumed>) = 0
";
        assert_eq!(
            audit_trace(bad),
            Audit {
                acks: 2,
                wal_fsyncs: 1,
                unsynced_acks: 2
            }
        );
    }

    #[test]
    fn the_verify_bench_log_holds_the_approvals_asked_for_and_verifies() {
        let id = CoalitionId::parse("bench-verify").unwrap();
        let log_key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        // Three statements of three signatories; the last one approved by one leader only.
        let (entries, triples) = approvals_log(&id, 7, 3, &log_key).unwrap();
        assert_eq!(triples.len(), 7);
        let envelopes: Vec<_> = entries.iter().map(|(_, e)| e.clone()).collect();
        let audit = coalition_ledger::audit::audit_signatures(&envelopes).unwrap();
        assert_eq!(audit.approvals, 7);
        let adopted = envelopes
            .iter()
            .filter(|e| matches!(e.event, coalition_core::Event::StatementAdopted { .. }))
            .count();
        assert_eq!(adopted, 2);
        for (message, signature, key) in &triples {
            key.verify_strict(message, signature).unwrap();
        }
        let bundle = coalition_ledger::bundle::Bundle::build(&id, &entries, &log_key).unwrap();
        coalition_ledger::bundle::verify_bundle(&bundle.to_bytes(), None).unwrap();
    }
}
