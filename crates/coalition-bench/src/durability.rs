//! The durability harnesses and their negative controls. `crash` kills a writer with SIGKILL at
//! random moments and looks for every acknowledged event (Jepsen's rule: lost = acknowledged but
//! absent, must be 0); `fsync-audit` traces the writer with strace and ties each acknowledgement
//! to the fsync of its own commit. Each must catch the deliberately broken writer, or it proves
//! nothing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use coalition_core::id::CoalitionId;
use coalition_ledger::store::read_all;
use coalition_ledger::verify::verify_chain;
use coalition_ledger::{EventStore, Head, Ledger};
use coalition_store::{OpenOptions, sqlite_url};
use rand::Rng as _;
use serde_json::json;

use crate::failure::verification_failed;
use crate::raw::NormalSyncStore;
use crate::report::{DATABASE_FILE, now, print_json, scratch};
use crate::world;

/// A deliberately broken writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum NegativeControl {
    /// Print the acknowledgement before the transaction commits.
    AckBeforeCommit,
    /// Run SQLite with synchronous=NORMAL (no fsync at commit).
    NormalSync,
}

impl NegativeControl {
    fn flag(self) -> &'static str {
        match self {
            NegativeControl::AckBeforeCommit => "ack-before-commit",
            NegativeControl::NormalSync => "normal-sync",
        }
    }
}

/// Where the writers write: an SQLite file in a directory, or a PostgreSQL database.
#[derive(Debug, Clone)]
pub(crate) enum Record {
    /// `coalition.sqlite` in this directory.
    Sqlite(PathBuf),
    /// This `postgres://` URL.
    Postgres(String),
}

impl Record {
    fn url(&self) -> String {
        match self {
            Record::Sqlite(dir) => sqlite_url(&dir.join(DATABASE_FILE)),
            Record::Postgres(url) => url.clone(),
        }
    }

    /// The writer's flags naming this record.
    fn args(&self) -> [String; 2] {
        match self {
            Record::Sqlite(dir) => ["--dir".into(), dir.display().to_string()],
            Record::Postgres(url) => ["--database".into(), url.clone()],
        }
    }
}

/// The crash-test writer: appends until killed (or `max`), printing `ACK <seq> <hash>` after
/// each append is durable (or, as a negative control, `ACK <seq>` before). On PostgreSQL it
/// rides out a restart of the server: a failed append is not acknowledged and is tried again.
pub(crate) async fn writer(
    record: &Record,
    max: Option<u64>,
    control: Option<NegativeControl>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let store = coalition_store::open(&record.url(), OpenOptions::WRITE).await?;
    let store: Arc<dyn EventStore> = match (control, record) {
        (Some(NegativeControl::NormalSync), Record::Sqlite(dir)) => {
            // The real store made the tables; the weakened one writes.
            store.close().await;
            Arc::new(NormalSyncStore::open(&dir.join(DATABASE_FILE)).await?)
        }
        (Some(NegativeControl::NormalSync), Record::Postgres(_)) => {
            anyhow::bail!("normal-sync is an SQLite setting; PostgreSQL refuses its equivalents")
        }
        _ => store,
    };
    let ledger = Ledger::new(store.clone());
    let id = CoalitionId::parse("crash-test")?;
    let (actor, founding) = world::founding(&id)?;
    let now = now();
    if store.head(&id).await? == Head::EMPTY {
        ledger.execute(&id, &actor, now, &founding).await?;
    }
    let report = world::report_incident()?;
    let retries = matches!(record, Record::Postgres(_));
    let mut stdout = std::io::stdout().lock();
    let mut acked = 0u64;
    while max.is_none_or(|max| acked < max) {
        let appended = async {
            if control == Some(NegativeControl::AckBeforeCommit) {
                let next = store.head(&id).await?.seq + 1;
                writeln!(stdout, "ACK {next}")?;
                stdout.flush()?;
            }
            let receipt = ledger
                .execute(&id, &actor, now, std::slice::from_ref(&report))
                .await?;
            anyhow::Ok(receipt.head)
        }
        .await;
        match appended {
            Ok(head) => {
                if control != Some(NegativeControl::AckBeforeCommit) {
                    writeln!(stdout, "ACK {} {}", head.seq, head.hash.to_hex())?;
                    stdout.flush()?;
                }
                acked += 1;
            }
            // The server is restarting: nothing was acknowledged; try again.
            Err(_) if retries => tokio::time::sleep(Duration::from_millis(20)).await,
            Err(err) => return Err(err),
        }
    }
    store.close().await;
    Ok(())
}

fn spawn_writer(
    record: &Record,
    max: Option<u64>,
    control: Option<NegativeControl>,
    under: Option<&[&str]>,
) -> anyhow::Result<std::process::Child> {
    let exe = std::env::current_exe()?;
    let mut args: Vec<String> = vec!["writer".into()];
    args.extend(record.args());
    if let Some(max) = max {
        args.extend(["--max".into(), max.to_string()]);
    }
    if let Some(control) = control {
        args.extend(["--negative-control".into(), control.flag().into()]);
    }
    let mut process = match under {
        Some([program, prefix @ ..]) => {
            let mut p = Process::new(program);
            p.args(prefix).arg(&exe).args(&args);
            p
        }
        _ => {
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

/// One acknowledgement: the sequence number, and the hash when the writer gave it.
type Ack = (u64, Option<String>);

fn parse_ack(line: &str) -> Option<Ack> {
    let mut words = line.strip_prefix("ACK ")?.split(' ');
    let seq = words.next()?.parse().ok()?;
    Some((seq, words.next().map(str::to_owned)))
}

/// Writers running in one cycle, their acknowledgements arriving on one channel.
struct Writers {
    children: Vec<std::process::Child>,
    readers: Vec<std::thread::JoinHandle<()>>,
    acks: std::sync::mpsc::Receiver<Ack>,
}

impl Writers {
    fn spawn(
        record: &Record,
        n: usize,
        control: Option<NegativeControl>,
    ) -> anyhow::Result<Writers> {
        let (sender, acks) = std::sync::mpsc::channel();
        let mut children = Vec::new();
        let mut readers = Vec::new();
        for _ in 0..n {
            let mut child = spawn_writer(record, None, control, None)?;
            let stdout = child.stdout.take().context("writer has no stdout")?;
            let sender = sender.clone();
            readers.push(std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(ack) = parse_ack(&line)
                        && sender.send(ack).is_err()
                    {
                        break;
                    }
                }
            }));
            children.push(child);
        }
        Ok(Writers {
            children,
            readers,
            acks,
        })
    }

    /// Collects acknowledgements for `span`.
    fn collect(&self, span: Duration, into: &mut Vec<Ack>) {
        let started = Instant::now();
        while started.elapsed() < span {
            if let Ok(ack) = self.acks.recv_timeout(Duration::from_millis(1)) {
                into.push(ack);
            }
        }
    }

    /// SIGKILLs every writer; a writer that had stopped by itself failed.
    fn kill(self, cycle: u32, into: &mut Vec<Ack>) -> anyhow::Result<()> {
        for mut child in self.children {
            child.kill()?; // SIGKILL
            let status = child.wait()?;
            if status.code().is_some() {
                // Killed processes have no exit code.
                return Err(anyhow::anyhow!(
                    "cycle {cycle}: the writer exited by itself ({status}) instead of being killed"
                ));
            }
        }
        for reader in self.readers {
            let _ = reader.join();
        }
        into.extend(self.acks.try_iter());
        Ok(())
    }
}

/// Jepsen's rule: lost = acknowledged but absent (must be 0); recovered = present but never
/// acknowledged (allowed). On PostgreSQL two writers race for the head, and every third cycle
/// the postmaster itself is SIGKILLed mid-run and started again while they write.
pub(crate) async fn crash(
    cycles: u32,
    control: Option<NegativeControl>,
    dir: Option<&Path>,
    postgres: bool,
    seed: Option<u64>,
    json: bool,
) -> anyhow::Result<()> {
    use rand::SeedableRng;
    let dir = scratch(dir, "crash")?;
    let seed = seed.unwrap_or_else(|| now().unix().unsigned_abs());
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let id = CoalitionId::parse("crash-test")?;
    let mut cluster = if postgres {
        Some(coalition_pgtest::Cluster::start().map_err(|e| anyhow::anyhow!("PostgreSQL: {e}"))?)
    } else {
        None
    };
    let record = match &cluster {
        Some(cluster) => {
            let url = cluster
                .create_database("crash")
                .map_err(|e| anyhow::anyhow!(e))?;
            // Founded here, so that racing writers do not both try.
            let store = coalition_store::open(&url, OpenOptions::WRITE).await?;
            let (actor, founding) = world::founding(&id)?;
            Ledger::new(store.clone())
                .execute(&id, &actor, now(), &founding)
                .await?;
            store.close().await;
            Record::Postgres(url)
        }
        None => Record::Sqlite(dir.clone()),
    };
    let writers_per_cycle = if postgres { 2 } else { 1 };
    let mut total_acks = 0u64;
    let mut restarts = 0u32;
    let deadline = Instant::now() + Duration::from_secs(600);
    for cycle in 1..=cycles {
        if Instant::now() > deadline {
            return Err(anyhow::anyhow!(
                "crash harness ran past its 10-minute bound at cycle {cycle}"
            ));
        }
        let writers = Writers::spawn(&record, writers_per_cycle, control)?;
        let mut acks = Vec::new();
        let (low, high) = if postgres { (100, 400) } else { (20, 120) };
        writers.collect(
            Duration::from_millis(rng.random_range(low..high)),
            &mut acks,
        );
        if let Some(cluster) = cluster.as_mut().filter(|_| cycle % 3 == 0) {
            cluster.kill();
            cluster
                .restart()
                .map_err(|e| anyhow::anyhow!("PostgreSQL restart: {e}"))?;
            restarts += 1;
            // The writers reconnect by themselves and go on.
            writers.collect(
                Duration::from_millis(rng.random_range(low..high)),
                &mut acks,
            );
        }
        writers.kill(cycle, &mut acks)?;
        total_acks += acks.len() as u64;
        // Reopen as a fresh process would, verify the chain, and look for every ack.
        let entries = match coalition_store::open(&record.url(), OpenOptions::READ).await {
            Ok(store) => {
                let entries = read_all(store.as_ref(), &id, 1).await?;
                store.close().await;
                entries
            }
            // Killed before the database was made.
            Err(coalition_ledger::StoreError::Missing(_)) => Vec::new(),
            Err(other) => return Err(other.into()),
        };
        if !entries.is_empty() {
            verify_chain(&id, &entries)
                .map_err(|e| verification_failed(format!("cycle {cycle}: chain broken: {e}")))?;
        }
        let present = entries.last().map_or(0, |e| e.seq);
        let lost: Vec<&Ack> = acks
            .iter()
            .filter(|(seq, hash)| {
                match usize::try_from(*seq)
                    .ok()
                    .and_then(|s| entries.get(s.wrapping_sub(1)))
                {
                    None => true,
                    Some(entry) => hash.as_ref().is_some_and(|h| *h != entry.hash.to_hex()),
                }
            })
            .collect();
        if let Some((first, _)) = lost.first() {
            let acked_max = acks.iter().map(|(seq, _)| *seq).max().unwrap_or(0);
            let message = format!(
                "FAIL at cycle {cycle}: {} acknowledged events missing, the first {first} (log ends at {present}); {total_acks} acks so far",
                lost.len()
            );
            if json {
                print_json(
                    &json!({"ok": false, "cycle": cycle, "lost": lost.len(), "lost_from": first, "acked_max": acked_max, "acks": total_acks, "seed": seed}),
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
    let backend = if postgres { "postgres" } else { "sqlite" };
    if json {
        return print_json(
            &json!({"ok": true, "backend": backend, "cycles": cycles, "writers": writers_per_cycle, "database_restarts": restarts, "acks": total_acks, "lost": 0, "seed": seed, "dir": dir}),
        );
    }
    println!(
        "{backend}: {cycles} kill -9 cycles of {writers_per_cycle} writer(s), {restarts} SIGKILLs of the database server, {total_acks} acknowledged appends, 0 lost, chain verified after every cycle (seed {seed})"
    );
    Ok(())
}

/// Runs the writer under strace and ties each `ACK n` to its own commit: the first write to
/// the WAL that holds event n must be followed by a completed WAL fsync, and both must come
/// before the acknowledgement.
pub(crate) fn fsync_audit(
    acks: u64,
    control: Option<NegativeControl>,
    dir: Option<&Path>,
    json: bool,
) -> anyhow::Result<()> {
    let dir = scratch(dir, "fsync-audit")?;
    let trace = dir.join("strace.txt");
    let trace_arg = trace.display().to_string();
    // -s: whole WAL frames (a 4 KiB page and its header), so each commit's rows can be found.
    let prefix = [
        "strace",
        "-f",
        "-y",
        "-s",
        "8192",
        "-e",
        "trace=fsync,fdatasync,write,pwrite64",
        "-o",
        &trace_arg,
    ];
    let mut child = spawn_writer(
        &Record::Sqlite(dir.clone()),
        Some(acks),
        control,
        Some(&prefix),
    )
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
        print_json(&json!({
            "acks": audit.acks,
            "acks_seen_on_stdout": seen,
            "wal_fsyncs": audit.wal_fsyncs,
            "unsynced_acks": audit.unsynced_acks,
            "acks_before_their_commit_was_written": audit.unwritten_acks,
            "trace": trace,
        }))?;
    }
    if audit.acks == 0 {
        return Err(anyhow::anyhow!(
            "no acknowledgements found in the trace {}",
            trace.display()
        ));
    }
    if audit.unsynced_acks > 0 {
        return Err(verification_failed(format!(
            "{} of {} acknowledgements came before the fsync of their own commit ({} before the \
             commit was even written; {} WAL fsyncs in all); trace: {}",
            audit.unsynced_acks,
            audit.acks,
            audit.unwritten_acks,
            audit.wal_fsyncs,
            trace.display()
        )));
    }
    if !json {
        println!(
            "{} acknowledgements, each after the fsync of its own commit ({} WAL fsyncs in all)",
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
    /// Acknowledgements not preceded by their commit's write and a WAL fsync after it.
    pub(crate) unsynced_acks: u64,
    /// Of those, the ones whose commit had not even been written to the WAL.
    pub(crate) unwritten_acks: u64,
}

/// Reads `strace -f -y -s 8192` output, line by line in the order the calls happened.
///
/// An event's commit is the first WAL write whose data holds the event's sequence number as
/// the envelope writes it (`"seq":n,"v":1}`: `v` is the one member after `seq`). A WAL fsync
/// counts when it returns 0; it covers a write that had completed before it started. `ACK n`
/// is synced if such an fsync of event n's commit completed before it.
pub(crate) fn audit_trace(text: &str) -> Audit {
    let mut audit = Audit::default();
    // Per process: a WAL write (the sequence numbers it carries) or fsync (its start) that is
    // still running.
    let mut writing: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    let mut syncing: BTreeMap<&str, usize> = BTreeMap::new();
    let mut written: BTreeMap<u64, usize> = BTreeMap::new();
    // (start, end) of every completed WAL fsync.
    let mut fsyncs: Vec<(usize, usize)> = Vec::new();
    for (at, line) in text.lines().enumerate() {
        let (pid, call) = line.split_once(' ').unwrap_or(("", line));
        let call = call.trim_start();
        let wal = call.contains("-wal>");
        if (call.starts_with("write(") || call.starts_with("pwrite64(")) && wal {
            let seqs = sequence_numbers(call);
            if call.contains("<unfinished ...>") {
                writing.insert(pid, seqs);
            } else if wrote(call) {
                for seq in seqs {
                    written.entry(seq).or_insert(at);
                }
            }
        } else if call.starts_with("<... write resumed>")
            || call.starts_with("<... pwrite64 resumed>")
        {
            if let Some(seqs) = writing.remove(pid)
                && wrote(call)
            {
                for seq in seqs {
                    written.entry(seq).or_insert(at);
                }
            }
        } else if (call.starts_with("fsync(") || call.starts_with("fdatasync(")) && wal {
            if call.contains("<unfinished ...>") {
                syncing.insert(pid, at);
            } else if returns_zero(call) {
                audit.wal_fsyncs += 1;
                fsyncs.push((at, at));
            }
        } else if call.starts_with("<... fsync resumed>")
            || call.starts_with("<... fdatasync resumed>")
        {
            if let Some(start) = syncing.remove(pid)
                && returns_zero(call)
            {
                audit.wal_fsyncs += 1;
                fsyncs.push((start, at));
            }
        } else if call.starts_with("write(1") {
            let Some(seq) = acknowledged(call) else {
                continue;
            };
            audit.acks += 1;
            match written.get(&seq) {
                None => {
                    audit.unsynced_acks += 1;
                    audit.unwritten_acks += 1;
                }
                Some(&write) => {
                    if !fsyncs.iter().any(|&(start, end)| start > write && end < at) {
                        audit.unsynced_acks += 1;
                    }
                }
            }
        }
    }
    audit
}

/// The sequence numbers of the envelopes whose ends a traced write carries (strace shows the
/// data's quotes as `\"`).
fn sequence_numbers(call: &str) -> Vec<u64> {
    const BEFORE: &str = "\\\"seq\\\":";
    const AFTER: &str = ",\\\"v\\\":1}";
    let mut found = Vec::new();
    let mut rest = call;
    while let Some(start) = rest.find(BEFORE) {
        rest = &rest[start + BEFORE.len()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if rest[digits..].starts_with(AFTER)
            && let Ok(seq) = rest[..digits].parse()
        {
            found.push(seq);
        }
    }
    found
}

/// The `n` of an `ACK n` written to stdout.
fn acknowledged(call: &str) -> Option<u64> {
    let start = call.find("\"ACK ")? + "\"ACK ".len();
    let digits = call[start..].bytes().take_while(u8::is_ascii_digit).count();
    call[start..start + digits].parse().ok()
}

/// Whether a traced write wrote something (returned a positive count).
fn wrote(call: &str) -> bool {
    call.rsplit_once(')').is_some_and(|(_, result)| {
        result
            .trim_start()
            .strip_prefix("= ")
            .and_then(|n| n.trim().parse::<u64>().ok())
            .is_some_and(|n| n > 0)
    })
}

/// Whether a traced call returned 0. strace pads short lines before the result
/// (`<... fsync resumed>)              = 0`), so look past the closing parenthesis.
fn returns_zero(call: &str) -> bool {
    call.rsplit_once(')')
        .is_some_and(|(_, result)| result.trim_start() == "= 0")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WAL frame write carrying the end of event `seq` (and, as pages do, the one before).
    fn frame(pid: u32, seq: u64) -> String {
        format!(
            "{pid} pwrite64(14</d/coalition.sqlite-wal>, \"\\0\\0\\\"seq\\\":{}}},\\\"v\\\":1}}\\3\\\"seq\\\":{seq},\\\"v\\\":1}}\\0\", 4096, 8216) = 4096\n",
            seq - 1
        )
    }

    fn ack(seq: u64) -> String {
        format!("10 write(1<pipe:[1]>, \"ACK {seq}\\n\", 6) = 6\n")
    }

    const FSYNC: &str = "11 fsync(14</d/coalition.sqlite-wal>) = 0\n";

    #[test]
    fn an_acknowledgement_after_its_own_commit_and_its_fsync_passes() {
        let trace = [
            frame(11, 5),
            FSYNC.into(),
            ack(5),
            frame(11, 6),
            FSYNC.into(),
            ack(6),
        ]
        .concat();
        assert_eq!(
            audit_trace(&trace),
            Audit {
                acks: 2,
                wal_fsyncs: 2,
                unsynced_acks: 0,
                unwritten_acks: 0
            }
        );
    }

    #[test]
    fn an_acknowledgement_one_commit_early_fails_though_an_fsync_precedes_it() {
        // ack-before-commit: each ACK follows the fsync of the *previous* commit, which the old
        // audit (any WAL fsync since the last ACK) accepted.
        let trace = [
            frame(11, 4),
            FSYNC.into(),
            ack(5),
            frame(11, 5),
            FSYNC.into(),
            ack(6),
            frame(11, 6),
            FSYNC.into(),
        ]
        .concat();
        assert_eq!(
            audit_trace(&trace),
            Audit {
                acks: 2,
                wal_fsyncs: 3,
                unsynced_acks: 2,
                unwritten_acks: 2
            }
        );
    }

    #[test]
    fn an_acknowledgement_whose_commit_was_written_but_not_synced_fails() {
        // synchronous=NORMAL: the frame is written, no fsync follows before the ACK.
        let trace = [FSYNC.into(), frame(11, 5), ack(5)].concat();
        let audit = audit_trace(&trace);
        assert_eq!((audit.unsynced_acks, audit.unwritten_acks), (1, 0));
    }

    #[test]
    fn the_audit_reads_unfinished_calls_and_padded_results() {
        // From a trace on a loaded machine: the fsync is interrupted by another thread, and
        // strace pads the resumed line before its result.
        let trace = [
            frame(18765, 64),
            "18765 fsync(14</tmp/fz2/coalition.sqlite-wal> <unfinished ...>\n".into(),
            "18689 <... write resumed>)              = 8\n".into(),
            "18765 <... fsync resumed>)              = 0\n".into(),
            ack(64),
            "18765 pwrite64(14</d/x-wal>, \"\\\"seq\\\":65,\\\"v\\\":1}\", 4096, 0 <unfinished ...>\n".into(),
            "18765 <... pwrite64 resumed>)              = 4096\n".into(),
            "18765 fsync(14</d/x-wal>)               = -1 EIO (Input/output error)\n".into(),
            ack(65),
        ]
        .concat();
        let audit = audit_trace(&trace);
        assert_eq!(
            audit,
            Audit {
                acks: 2,
                wal_fsyncs: 1,
                unsynced_acks: 1,
                unwritten_acks: 0
            }
        );
    }

    #[test]
    fn an_fsync_that_started_before_the_write_finished_does_not_cover_it() {
        let trace = [
            "11 fsync(14</d/coalition.sqlite-wal> <unfinished ...>\n".to_owned(),
            frame(12, 7),
            "11 <... fsync resumed>) = 0\n".into(),
            ack(7),
        ]
        .concat();
        assert_eq!(audit_trace(&trace).unsynced_acks, 1);
    }

    #[test]
    fn only_the_envelope_sequence_number_is_read() {
        assert_eq!(
            sequence_numbers("\"\\\"seq\\\":3,\\\"x\\\":1 \\\"seq\\\":12,\\\"v\\\":1}\""),
            [12]
        );
    }
}
