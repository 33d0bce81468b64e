//! The `EventStore` contract, one suite for every backend: SQLite always, PostgreSQL when
//! `COALITION_TEST_POSTGRES_URL` is set (and the backend exists).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, NewIncident};
use coalition_core::dates::Timestamp;
use coalition_core::event::Event;
use coalition_core::id::{CoalitionId, IncidentId, PartyCode, PrincipalId};
use coalition_core::incident::{Incident, IncidentKind, VerificationRule};
use coalition_core::party::{Principal, PrincipalRole, Seat, SeatRole};
use coalition_ledger::seal::seal;
use coalition_ledger::verify::verify_chain;
use coalition_ledger::{EventStore, Hash, Head, Ledger, SealedEvent, StoreError};
use coalition_store::{Durability, SqliteStore};
use sqlx::Connection;

fn coalition(id: &str) -> CoalitionId {
    CoalitionId::parse(id).unwrap()
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn party(code: &str) -> PartyCode {
    PartyCode::parse(code).unwrap()
}

/// `n` events sealed after `head` (the store does not interpret them).
fn batch(id: &CoalitionId, head: Head, n: usize) -> Vec<SealedEvent> {
    let events = (0..n)
        .map(|k| Event::CeasefireEntered {
            at: Timestamp::from_unix(1_780_000_000 + head.seq as i64 * 100 + k as i64),
        })
        .collect();
    seal(
        id,
        head,
        at("2026-01-06T12:00:00Z"),
        &PrincipalId::parse("secretariat").unwrap(),
        events,
    )
    .unwrap()
}

fn head_of(events: &[SealedEvent]) -> Head {
    events.last().map_or(Head::EMPTY, |last| Head {
        seq: last.seq,
        hash: last.hash,
    })
}

/// The contract every backend must keep.
async fn suite(store: Arc<dyn EventStore>) {
    appends_in_order_and_reads_back(store.as_ref()).await;
    a_stale_expected_sequence_gets_a_conflict_and_writes_nothing(store.as_ref()).await;
    a_stale_expected_hash_gets_a_conflict_and_writes_nothing(store.as_ref()).await;
    a_batch_that_fails_part_way_writes_nothing(store.as_ref()).await;
    coalitions_do_not_see_each_other(store.as_ref()).await;
    concurrent_appenders_lose_nothing_and_never_fork(store.clone(), Writers::Separate).await;
    concurrent_appenders_lose_nothing_and_never_fork(store, Writers::OneLedger).await;
}

async fn appends_in_order_and_reads_back(store: &dyn EventStore) {
    let id = coalition("in-order");
    assert_eq!(store.head(&id).await.unwrap(), Head::EMPTY);
    assert!(store.read(&id, 1).await.unwrap().is_empty());
    let mut all = Vec::new();
    for size in [1, 3, 2] {
        let events = batch(&id, head_of(&all), size);
        store.append(&id, head_of(&all), &events).await.unwrap();
        all.extend(events);
        assert_eq!(store.head(&id).await.unwrap(), head_of(&all));
    }
    assert_eq!(store.read(&id, 1).await.unwrap(), all);
    assert_eq!(store.read(&id, 4).await.unwrap(), all[3..]);
    assert!(store.read(&id, 7).await.unwrap().is_empty());
    assert!(verify_chain(&id, &all).is_ok());
    assert!(store.coalitions().await.unwrap().contains(&id));
}

async fn a_stale_expected_sequence_gets_a_conflict_and_writes_nothing(store: &dyn EventStore) {
    let id = coalition("stale-seq");
    let first = batch(&id, Head::EMPTY, 2);
    store.append(&id, Head::EMPTY, &first).await.unwrap();
    // A second writer that read the log when it was empty.
    let rival = batch(&id, Head::EMPTY, 1);
    let refused = store.append(&id, Head::EMPTY, &rival).await;
    assert_eq!(
        refused,
        Err(StoreError::Conflict {
            expected: 0,
            actual: 2
        })
    );
    // One that is ahead of the log.
    let ahead = Head {
        seq: 5,
        hash: Hash::of(&[b"imagined"]),
    };
    let refused = store.append(&id, ahead, &batch(&id, ahead, 1)).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    assert_eq!(store.read(&id, 1).await.unwrap(), first);
    assert_eq!(store.head(&id).await.unwrap(), head_of(&first));
}

async fn a_stale_expected_hash_gets_a_conflict_and_writes_nothing(store: &dyn EventStore) {
    let id = coalition("stale-hash");
    let first = batch(&id, Head::EMPTY, 2);
    store.append(&id, Head::EMPTY, &first).await.unwrap();
    // The right length but another history: a fork, which must not be written.
    let forked = Head {
        seq: 2,
        hash: Hash::of(&[b"another history"]),
    };
    let refused = store.append(&id, forked, &batch(&id, forked, 1)).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    assert_eq!(store.read(&id, 1).await.unwrap(), first);
}

async fn a_batch_that_fails_part_way_writes_nothing(store: &dyn EventStore) {
    let id = coalition("all-or-nothing");
    let first = batch(&id, Head::EMPTY, 1);
    store.append(&id, Head::EMPTY, &first).await.unwrap();
    // The second row repeats the first one's sequence number: the insert fails after one row
    // of the batch went in, and that row must be rolled back with it.
    let mut broken = batch(&id, head_of(&first), 2);
    broken[1].seq = broken[0].seq;
    let refused = store.append(&id, head_of(&first), &broken).await;
    assert!(refused.is_err(), "a batch with a repeated sequence number");
    assert_eq!(store.read(&id, 1).await.unwrap(), first);
    assert_eq!(store.head(&id).await.unwrap(), head_of(&first));
    // The log is still writable afterwards.
    let next = batch(&id, head_of(&first), 1);
    store.append(&id, head_of(&first), &next).await.unwrap();
}

async fn coalitions_do_not_see_each_other(store: &dyn EventStore) {
    let (a, b) = (coalition("apart-a"), coalition("apart-b"));
    let in_a = batch(&a, Head::EMPTY, 3);
    let in_b = batch(&b, Head::EMPTY, 2);
    store.append(&a, Head::EMPTY, &in_a).await.unwrap();
    // The same sequence numbers in another coalition are no conflict.
    store.append(&b, Head::EMPTY, &in_b).await.unwrap();
    assert_eq!(store.read(&a, 1).await.unwrap(), in_a);
    assert_eq!(store.read(&b, 1).await.unwrap(), in_b);
    assert_eq!(store.head(&b).await.unwrap(), head_of(&in_b));
    // A's head does not let anyone write to B.
    let refused = store
        .append(&b, head_of(&in_a), &batch(&b, head_of(&in_a), 1))
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    let listed = store.coalitions().await.unwrap();
    assert!(listed.contains(&a) && listed.contains(&b));
    assert!(!listed.contains(&coalition("never-written")));
}

const TASKS: usize = 8;
const APPENDS_PER_TASK: usize = 20;

/// Founds `id` with a secretariat and the seats an incident report needs.
async fn found(ledger: &Ledger, id: &CoalitionId) -> PrincipalId {
    let secretariat = PrincipalId::parse("secretariat").unwrap();
    let seat = |code: &str, role| {
        Command::GrantSeat(Seat {
            party: party(code),
            role,
            from: None,
            until: None,
            disclosed: true,
            note: String::new(),
        })
    };
    let commands = vec![
        Command::FoundCoalition {
            id: id.clone(),
            name: "concurrency".into(),
            protected: party("UKR"),
            verification: VerificationRule::default(),
            founder: Principal {
                id: secretariat.clone(),
                name: "Secretariat".into(),
                party: party("FRA"),
                role: PrincipalRole::Secretariat,
                clearance: Level::TopSecret,
                marking: Marking::public(),
                public_key: None,
            },
            at: None,
        },
        seat("FRA", SeatRole::Member),
        seat("UKR", SeatRole::ProtectedState),
        seat("RUS", SeatRole::Adversary),
    ];
    ledger
        .execute(id, &secretariat, at("2026-06-01T00:00:00Z"), &commands)
        .await
        .unwrap();
    secretariat
}

fn report() -> Command {
    Command::ReportIncident(NewIncident {
        id: None,
        incident: Incident {
            id: IncidentId::parse("new").unwrap(),
            aggressor: party("RUS"),
            target: party("UKR"),
            kind: IncidentKind::ArmedAttack,
            occurred_at: at("2026-06-01T00:00:00Z"),
            location: String::new(),
            description: "concurrent report".into(),
            evidence: Vec::new(),
            marking: Marking::at(Level::Restricted),
        },
        at: None,
    })
}

/// Whether concurrent writers share one ledger (one process) or each have their own (separate
/// servers, racing through the store's head check).
#[derive(Clone, Copy)]
enum Writers {
    Separate,
    OneLedger,
}

async fn concurrent_appenders_lose_nothing_and_never_fork(
    store: Arc<dyn EventStore>,
    writers: Writers,
) {
    let id = coalition(match writers {
        Writers::Separate => "concurrent",
        Writers::OneLedger => "concurrent-one-ledger",
    });
    let shared = Ledger::new(store.clone());
    let founder = found(&shared, &id).await;
    let founding = store.head(&id).await.unwrap().seq;
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let ledger = match writers {
            // Each task has its own ledger (its own cache), as separate servers would.
            Writers::Separate => Ledger::new(store.clone()),
            // One ledger queues its own writers per coalition.
            Writers::OneLedger => shared.clone(),
        };
        let (id, founder) = (id.clone(), founder.clone());
        tasks.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for _ in 0..APPENDS_PER_TASK {
                let receipt = ledger
                    .execute(&id, &founder, at("2026-06-01T01:00:00Z"), &[report()])
                    .await
                    .expect("every append is eventually acknowledged");
                acknowledged.push(receipt.head);
            }
            acknowledged
        }));
    }
    let mut acknowledged = Vec::new();
    for task in tasks {
        acknowledged.extend(task.await.unwrap());
    }
    assert_eq!(acknowledged.len(), TASKS * APPENDS_PER_TASK);
    let distinct: BTreeSet<u64> = acknowledged.iter().map(|head| head.seq).collect();
    assert_eq!(
        distinct.len(),
        acknowledged.len(),
        "two acknowledgements for one seq"
    );

    let entries = store.read(&id, 1).await.unwrap();
    assert_eq!(
        entries.len() as u64,
        founding + (TASKS * APPENDS_PER_TASK) as u64
    );
    for (index, entry) in entries.iter().enumerate() {
        assert_eq!(entry.seq, index as u64 + 1, "gap or duplicate");
    }
    for head in &acknowledged {
        let stored = &entries[head.seq as usize - 1];
        assert_eq!(
            stored.hash, head.hash,
            "acknowledged event {} lost",
            head.seq
        );
    }
    let envelopes = verify_chain(&id, &entries).expect("one unbroken chain");
    let incidents: BTreeSet<String> = envelopes
        .iter()
        .filter_map(|e| match &e.event {
            Event::IncidentReported { incident, .. } => Some(incident.id.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        incidents.len(),
        TASKS * APPENDS_PER_TASK,
        "incident ids are unique"
    );
}

async fn temp_sqlite(dir: &Path) -> Arc<SqliteStore> {
    Arc::new(
        SqliteStore::open(&dir.join("coalition.sqlite"))
            .await
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_the_event_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_sqlite(dir.path()).await;
    suite(store.clone()).await;
    store.close().await;
}

#[tokio::test]
async fn postgres_keeps_the_event_store_contract() {
    match std::env::var("COALITION_TEST_POSTGRES_URL") {
        Err(_) => {
            eprintln!("postgres conformance SKIPPED: set COALITION_TEST_POSTGRES_URL to run it")
        }
        Ok(_) => panic!(
            "COALITION_TEST_POSTGRES_URL is set, but coalition-store has no PostgreSQL backend \
             yet: nothing to run the suite against"
        ),
    }
}

// --- SQLite specifics ----------------------------------------------------------------------------

#[tokio::test]
async fn sqlite_survives_reopening_with_every_append_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let id = coalition("reopened");
    let events = batch(&id, Head::EMPTY, 5);
    {
        let store = temp_sqlite(dir.path()).await;
        store.append(&id, Head::EMPTY, &events).await.unwrap();
        store.close().await;
    }
    let store = temp_sqlite(dir.path()).await;
    assert_eq!(store.read(&id, 1).await.unwrap(), events);
    store.close().await;
}

#[tokio::test]
async fn sqlite_leaves_the_database_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_sqlite(dir.path()).await;
    // journal_mode is a property of the file: a second, independent connection sees it.
    let url = format!("sqlite://{}", dir.path().join("coalition.sqlite").display());
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut other)
        .await
        .unwrap();
    assert_eq!(mode.to_ascii_lowercase(), "wal");
    other.close().await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn sqlite_refuses_to_run_where_write_ahead_logging_is_impossible() {
    // An in-memory database cannot be put in WAL mode: the start-up assertion must refuse it
    // rather than run with weaker durability.
    for durability in [Durability::Full, Durability::NormalForNegativeControl] {
        let refused = SqliteStore::open_with(Path::new(":memory:"), durability).await;
        assert!(
            matches!(refused, Err(StoreError::Unsafe(ref message)) if message.contains("journal_mode")),
            "{durability:?}: {refused:?}"
        );
    }
}

#[tokio::test]
async fn sqlite_bulk_append_is_all_or_nothing_across_coalitions() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_sqlite(dir.path()).await;
    let (a, b) = (coalition("bulk-a"), coalition("bulk-b"));
    let existing = batch(&b, Head::EMPTY, 1);
    store.append(&b, Head::EMPTY, &existing).await.unwrap();
    // B's batch is stale, so A's must not be written either.
    let refused = store
        .append_all(&[
            (a.clone(), Head::EMPTY, batch(&a, Head::EMPTY, 2)),
            (b.clone(), Head::EMPTY, batch(&b, Head::EMPTY, 1)),
        ])
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { .. })),
        "{refused:?}"
    );
    assert!(store.read(&a, 1).await.unwrap().is_empty());
    assert_eq!(store.read(&b, 1).await.unwrap(), existing);
    store.close().await;
}

#[tokio::test]
async fn sqlite_discard_removes_one_coalition_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = temp_sqlite(dir.path()).await;
    let (a, b) = (coalition("discard-a"), coalition("discard-b"));
    store
        .append(&a, Head::EMPTY, &batch(&a, Head::EMPTY, 2))
        .await
        .unwrap();
    let kept = batch(&b, Head::EMPTY, 2);
    store.append(&b, Head::EMPTY, &kept).await.unwrap();
    store.discard(&a).await.unwrap();
    assert_eq!(store.head(&a).await.unwrap(), Head::EMPTY);
    assert_eq!(store.read(&b, 1).await.unwrap(), kept);
    assert_eq!(store.coalitions().await.unwrap(), [b]);
    store.close().await;
}
