//! `coalition-bench`: the record's benchmarks and durability harnesses, each measured against a
//! baseline in the same run (machines here are small and noisy; only ratios travel). Every
//! bench prints its baseline and the ratio on its last line.
//!
//! - `append`: durable appends through the ledger against a bare SQLite insert per transaction
//!   with the same durability (WAL, synchronous=FULL), in the same directory (`--postgres`:
//!   the same on PostgreSQL too, and PostgreSQL against SQLite).
//! - `activation`: the latency of the confirmation that verifies an incident and opens every
//!   obligation, over many commitments spread over many coalitions, against one bare durable
//!   transaction.
//! - `replay`: reading a long log back (verified, replayed) against a raw scan of the same rows
//!   with one SHA-256 each; peak memory of each side.
//! - `read`: a current-state read served from the kept state (as a server node serves it)
//!   against a full replay of the same log.
//! - `verify`: offline verification of many signed approvals (chain + signature audit, and the
//!   whole bundle) against bare ed25519-dalek `verify_strict` over the same signatures.
//! - `api`: requests/s and p50/p99 of an API read and an API write on loopback, against a bare
//!   axum hello-world route and the same `App` call in process, in the same run.
//! - `crash`: kill -9 a writer at random moments; every acknowledged event must survive
//!   (`--postgres`: two writers on a PostgreSQL server that is itself SIGKILLed mid-run).
//! - `fsync-audit`: under strace, every acknowledgement must follow the fsync of its own commit.
//! - `writer`: the process `crash` and `fsync-audit` run (prints `ACK <seq>` per durable append).
//!
//! Run with `cargo run --release -p coalition-bench -- append --events 2000`.

mod activation;
mod api;
mod append;
mod durability;
mod failure;
mod load;
mod raw;
mod read;
mod replay;
mod report;
mod verify;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Measure the record's speed and durability (each against a baseline in the same run).
#[derive(Debug, Parser)]
#[command(name = "coalition-bench", version)]
struct Cli {
    /// Print one JSON document instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    bench: Bench,
}

/// Benchmarks and durability harnesses.
#[derive(Debug, Subcommand)]
enum Bench {
    /// Durable appends per second: the ledger against a bare SQLite insert loop (same durability).
    #[command(after_help = "Example:\n  coalition-bench append --events 2000")]
    Append {
        /// Appends to time on each side.
        #[arg(long, default_value_t = 2000)]
        events: u64,
        /// Where to put the scratch databases (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Also on a PostgreSQL server of the bench's own (Debian's postgresql-15): ours
        /// against a bare INSERT loop there, and against SQLite, in the same run.
        #[arg(long)]
        postgres: bool,
    },
    /// Latency of verification → all obligations, on many commitments over many coalitions.
    #[command(
        after_help = "Example:\n  coalition-bench activation --coalitions 10000 --commitments-per-coalition 100 --samples 200"
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
    /// Reading a log of N events back (verified and replayed) against a raw scan + SHA-256.
    #[command(
        after_help = "Examples:\n  coalition-bench replay --events 332699\n  coalition-bench replay --events 1000000 --postgres"
    )]
    Replay {
        /// Events in the log.
        #[arg(long, default_value_t = 100_000)]
        events: u64,
        /// Where to put the scratch database (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Times each side is measured; the fastest run counts.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
        /// Read the log from a PostgreSQL server started for the run (both sides).
        #[arg(long)]
        postgres: bool,
    },
    /// A current-state read served from the kept state against a full replay of the same log.
    #[command(after_help = "Example:\n  coalition-bench read --events 10000 --samples 200")]
    Read {
        /// Events in the log.
        #[arg(long, default_value_t = 10_000)]
        events: u64,
        /// Reads measured from the kept state.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Where to put the scratch database (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Offline verification of N approvals (chain + audit, and the bundle) against bare
    /// ed25519-dalek `verify_strict` (and `verify_batch`) over the same signatures.
    #[command(after_help = "Example:\n  coalition-bench verify --approvals 10000 --signatories 50")]
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
    /// kill -9 a writer at random moments and check that no acknowledged event is lost.
    #[command(
        after_help = "Example:\n  coalition-bench crash --cycles 30\n  coalition-bench crash --cycles 30 --negative-control ack-before-commit   # must FAIL"
    )]
    Crash {
        /// Kill/restart cycles.
        #[arg(long, default_value_t = 30)]
        cycles: u32,
        /// Run a deliberately broken writer, to show the harness catches it.
        #[arg(long, value_name = "KIND")]
        negative_control: Option<durability::NegativeControl>,
        /// Where the writer's database lives (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// On a PostgreSQL server of the harness's own (Debian's postgresql-15): two writers,
        /// and every third cycle the database server is SIGKILLed and restarted mid-run.
        #[arg(long)]
        postgres: bool,
        /// Random seed for the kill times (default: from the clock).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Under strace: every acknowledgement must follow the fsync of its own commit.
    #[command(
        after_help = "Example:\n  coalition-bench fsync-audit --acks 200\n  coalition-bench fsync-audit --negative-control normal-sync         # must FAIL\n  coalition-bench fsync-audit --negative-control ack-before-commit   # must FAIL"
    )]
    FsyncAudit {
        /// Acknowledged appends to audit.
        #[arg(long, default_value_t = 200)]
        acks: u64,
        /// Run a deliberately broken writer, to show the audit catches it.
        #[arg(long, value_name = "KIND")]
        negative_control: Option<durability::NegativeControl>,
        /// Where the writer's database lives (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// The writer process the harnesses run: appends until killed, printing `ACK <seq>`.
    #[command(hide = true)]
    Writer {
        /// Where its SQLite database lives.
        #[arg(long, required_unless_present = "database")]
        dir: Option<PathBuf>,
        /// Or the PostgreSQL database it writes to.
        #[arg(long, conflicts_with = "dir")]
        database: Option<String>,
        /// Stop after this many acknowledgements.
        #[arg(long)]
        max: Option<u64>,
        /// Misbehave on purpose.
        #[arg(long, value_name = "KIND")]
        negative_control: Option<durability::NegativeControl>,
    },
    /// Requests/s of an API read and write against hello-world and the same App call in process.
    #[command(after_help = "Example:\n  coalition-bench api --seconds 3 --clients 8")]
    Api {
        /// Seconds each side runs.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Concurrent clients (connections).
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Where to put the scratch record (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// A mixed read/write load through the API on one node, then two nodes on one record.
    #[command(
        after_help = "Examples:\n  coalition-bench load --postgres --clients 8 --seconds 10\n  coalition-bench load --postgres --soak-minutes 10"
    )]
    Load {
        /// Concurrent clients (connections), spread over the nodes.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Seconds each run (one node, two nodes) lasts.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// The share of requests that are writes (0 to 1).
        #[arg(long, default_value_t = 0.2)]
        write_share: f64,
        /// Then run the two-node mix this many minutes, watching memory.
        #[arg(long)]
        soak_minutes: Option<f64>,
        /// On a PostgreSQL server started for the run (default: one SQLite file).
        #[arg(long)]
        postgres: bool,
        /// Where to put the scratch record (default: a new temporary directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// One side of `replay`, in a process of its own so that its peak memory is its own.
    #[command(hide = true)]
    ReplaySide {
        /// The database.
        #[arg(long)]
        dir: PathBuf,
        /// `ours` or `baseline`.
        #[arg(long)]
        side: replay::Side,
        /// Times to measure; the fastest run counts.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
        /// Read from this PostgreSQL database instead of the SQLite file in `--dir`.
        #[arg(long)]
        database: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(failure::exit_code(&err))
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let json = cli.json;
    if let Bench::Verify {
        approvals,
        signatories,
        rounds,
    } = cli.bench
    {
        return verify::run(approvals, signatories, rounds, json);
    }
    if let Bench::FsyncAudit {
        acks,
        negative_control,
        dir,
    } = &cli.bench
    {
        return durability::fsync_audit(*acks, *negative_control, dir.as_deref(), json);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match cli.bench {
            Bench::Append {
                events,
                dir,
                postgres,
            } => append::run(events, dir.as_deref(), postgres, json).await,
            Bench::Api {
                seconds,
                clients,
                dir,
            } => api::run(seconds, clients, dir.as_deref(), json).await,
            Bench::Activation {
                coalitions,
                commitments_per_coalition,
                samples,
                dir,
            } => {
                activation::run(
                    coalitions,
                    commitments_per_coalition,
                    samples,
                    dir.as_deref(),
                    json,
                )
                .await
            }
            Bench::Replay {
                events,
                dir,
                rounds,
                postgres,
            } => replay::run(events, dir.as_deref(), rounds, postgres, json).await,
            Bench::Read {
                events,
                samples,
                dir,
            } => read::run(events, samples, dir.as_deref(), json).await,
            Bench::Load {
                clients,
                seconds,
                write_share,
                soak_minutes,
                postgres,
                dir,
            } => {
                load::run(
                    load::Plan {
                        clients,
                        seconds,
                        write_share,
                        soak_minutes,
                        postgres,
                    },
                    dir.as_deref(),
                    json,
                )
                .await
            }
            Bench::ReplaySide {
                dir,
                side,
                rounds,
                database,
            } => replay::side(&dir, database.as_deref(), side, rounds).await,
            Bench::Crash {
                cycles,
                negative_control,
                dir,
                postgres,
                seed,
            } => {
                durability::crash(
                    cycles,
                    negative_control,
                    dir.as_deref(),
                    postgres,
                    seed,
                    json,
                )
                .await
            }
            Bench::Writer {
                dir,
                database,
                max,
                negative_control,
            } => {
                let record = match (database, dir) {
                    (Some(url), _) => durability::Record::Postgres(url),
                    (None, Some(dir)) => durability::Record::Sqlite(dir),
                    (None, None) => unreachable!("clap requires one"),
                };
                durability::writer(&record, max, negative_control).await
            }
            Bench::Verify { .. } | Bench::FsyncAudit { .. } => {
                unreachable!("run before the runtime starts")
            }
        }
    })
}
