//! The `EventStore` contract, one suite for every backend: SQLite always (one connection and a
//! pool), PostgreSQL when `COALITION_TEST_POSTGRES_URL` is set (and the backend exists).
//!
//! Every coalition the suite writes has a name of its own run (`…-<run>`), so it can run again
//! and again against a persistent database.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use coalition_core::classification::{Level, Marking};
use coalition_core::command::{Command, NewIncident};
use coalition_core::dates::Timestamp;
use coalition_core::event::Event;
use coalition_core::id::{CoalitionId, IncidentId, PartyCode, PrincipalId};
use coalition_core::incident::{Incident, IncidentKind, VerificationRule};
use coalition_core::party::{Principal, PrincipalRole, Seat, SeatRole};
use coalition_ledger::seal::seal;
use coalition_ledger::store::read_all;
use coalition_ledger::verify::verify_chain;
use coalition_ledger::{Claim, Claimed, EventStore, Hash, Head, Ledger, SealedEvent, StoreError};

use crate::ledgers::two_ledgers_on_one_store_read_only_what_is_new;

/// A name unique to this run of the suite, so that coalitions never meet an earlier run's.
pub(crate) fn run_name() -> String {
    #[allow(clippy::disallowed_methods)] // a name, not a time the record keeps
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}-{nanos}", std::process::id())
}

/// The suite's coalitions: `id` in this run.
pub(crate) struct Names(String);

impl Names {
    pub(crate) fn new() -> Names {
        Names(run_name())
    }

    pub(crate) fn id(&self, id: &str) -> CoalitionId {
        CoalitionId::parse(&format!("{id}-{}", self.0)).unwrap()
    }
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn party(code: &str) -> PartyCode {
    PartyCode::parse(code).unwrap()
}

/// `n` events sealed after `head` (the store does not interpret them).
pub(crate) fn batch(id: &CoalitionId, head: Head, n: usize) -> Vec<SealedEvent> {
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

pub(crate) fn head_of(events: &[SealedEvent]) -> Head {
    events.last().map_or(Head::EMPTY, |last| Head {
        seq: last.seq,
        hash: last.hash,
    })
}

/// Opens another store on the same database, as another process or server node would.
pub(crate) type Opener =
    Box<dyn Fn() -> Pin<Box<dyn Future<Output = Arc<dyn EventStore>> + Send>> + Send + Sync>;

/// The contract every backend must keep, on stores opened for writing by `open`. Coalition ids
/// are fresh for each call, so the suite can run twice against one persistent database.
pub(crate) async fn suite(open: &Opener) {
    let names = Names::new();
    let store = open().await;
    appends_in_order_and_reads_back(store.as_ref(), &names).await;
    reads_page_by_page(store.as_ref(), &names).await;
    a_stale_expected_sequence_gets_a_conflict_and_writes_nothing(store.as_ref(), &names).await;
    a_stale_expected_hash_gets_a_conflict_naming_both_hashes(store.as_ref(), &names).await;
    a_batch_that_fails_part_way_writes_nothing(store.as_ref(), &names).await;
    coalitions_do_not_see_each_other(store.as_ref(), &names).await;
    discard_removes_one_coalition_only(store.as_ref(), &names).await;
    large_payloads_and_long_batches_come_back_byte_for_byte(store.as_ref(), &names).await;
    many_coalitions_are_listed_and_kept_apart(store.as_ref(), &names).await;
    an_idempotency_key_is_claimed_with_its_entries_once(store.as_ref(), &names).await;
    concurrent_appenders_lose_nothing_and_never_fork(&store, open, &names, Writers::Separate).await;
    concurrent_appenders_lose_nothing_and_never_fork(&store, open, &names, Writers::OneLedger)
        .await;
    two_ledgers_on_one_store_read_only_what_is_new(store.clone(), &names).await;
    store.close().await;
}

async fn appends_in_order_and_reads_back(store: &dyn EventStore, names: &Names) {
    let id = names.id("in-order");
    assert_eq!(store.head(&id).await.unwrap(), Head::EMPTY);
    assert!(read_all(store, &id, 1).await.unwrap().is_empty());
    let mut all = Vec::new();
    for size in [1, 3, 2] {
        let events = batch(&id, head_of(&all), size);
        store.append(&id, head_of(&all), &events).await.unwrap();
        all.extend(events);
        assert_eq!(store.head(&id).await.unwrap(), head_of(&all));
    }
    assert_eq!(read_all(store, &id, 1).await.unwrap(), all);
    assert_eq!(read_all(store, &id, 4).await.unwrap(), all[3..]);
    assert!(read_all(store, &id, 7).await.unwrap().is_empty());
    assert!(verify_chain(&id, &all).is_ok());
    assert!(store.coalitions().await.unwrap().contains(&id));
}

async fn reads_page_by_page(store: &dyn EventStore, names: &Names) {
    let id = names.id("pages");
    let all = batch(&id, Head::EMPTY, 7);
    store.append(&id, Head::EMPTY, &all).await.unwrap();
    assert_eq!(store.read(&id, 1, 3).await.unwrap(), all[..3]);
    assert_eq!(store.read(&id, 4, 3).await.unwrap(), all[3..6]);
    assert_eq!(store.read(&id, 7, 3).await.unwrap(), all[6..]);
    assert!(store.read(&id, 8, 3).await.unwrap().is_empty());
    assert_eq!(store.read(&id, 2, 100).await.unwrap(), all[1..]);
}

async fn a_stale_expected_sequence_gets_a_conflict_and_writes_nothing(
    store: &dyn EventStore,
    names: &Names,
) {
    let id = names.id("stale-seq");
    let first = batch(&id, Head::EMPTY, 2);
    store.append(&id, Head::EMPTY, &first).await.unwrap();
    // A second writer that read the log when it was empty.
    let rival = batch(&id, Head::EMPTY, 1);
    let refused = store.append(&id, Head::EMPTY, &rival).await;
    assert_eq!(
        refused,
        Err(StoreError::Conflict {
            expected: Head::EMPTY,
            actual: head_of(&first),
        })
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "sequence conflict: expected the log to end at 0, it ends at 2"
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
    assert_eq!(read_all(store, &id, 1).await.unwrap(), first);
    assert_eq!(store.head(&id).await.unwrap(), head_of(&first));
}

async fn a_stale_expected_hash_gets_a_conflict_naming_both_hashes(
    store: &dyn EventStore,
    names: &Names,
) {
    let id = names.id("stale-hash");
    let first = batch(&id, Head::EMPTY, 2);
    store.append(&id, Head::EMPTY, &first).await.unwrap();
    // The right length but another history: a fork, which must not be written.
    let forked = Head {
        seq: 2,
        hash: Hash::of(&[b"another history"]),
    };
    let refused = store
        .append(&id, forked, &batch(&id, forked, 1))
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        StoreError::Conflict {
            expected: forked,
            actual: head_of(&first)
        }
    );
    let message = refused.to_string();
    assert!(
        message.contains(&forked.hash.to_hex())
            && message.contains(&head_of(&first).hash.to_hex())
            && message.contains("another history"),
        "{message}"
    );
    assert_eq!(read_all(store, &id, 1).await.unwrap(), first);
}

async fn a_batch_that_fails_part_way_writes_nothing(store: &dyn EventStore, names: &Names) {
    let id = names.id("all-or-nothing");
    let first = batch(&id, Head::EMPTY, 1);
    store.append(&id, Head::EMPTY, &first).await.unwrap();
    // The second row repeats the first one's sequence number, the third skips one.
    let mut broken = batch(&id, head_of(&first), 2);
    broken[1].seq = broken[0].seq;
    let refused = store.append(&id, head_of(&first), &broken).await;
    assert_eq!(
        refused,
        Err(StoreError::Numbering {
            expected: 3,
            found: 2
        })
    );
    let mut gap = batch(&id, head_of(&first), 2);
    gap[1].seq += 1;
    let refused = store.append(&id, head_of(&first), &gap).await;
    assert!(
        matches!(refused, Err(StoreError::Numbering { .. })),
        "{refused:?}"
    );
    assert_eq!(read_all(store, &id, 1).await.unwrap(), first);
    assert_eq!(store.head(&id).await.unwrap(), head_of(&first));
    // The log is still writable afterwards.
    let next = batch(&id, head_of(&first), 1);
    store.append(&id, head_of(&first), &next).await.unwrap();
}

async fn coalitions_do_not_see_each_other(store: &dyn EventStore, names: &Names) {
    let (a, b) = (names.id("apart-a"), names.id("apart-b"));
    let in_a = batch(&a, Head::EMPTY, 3);
    let in_b = batch(&b, Head::EMPTY, 2);
    store.append(&a, Head::EMPTY, &in_a).await.unwrap();
    // The same sequence numbers in another coalition are no conflict.
    store.append(&b, Head::EMPTY, &in_b).await.unwrap();
    assert_eq!(read_all(store, &a, 1).await.unwrap(), in_a);
    assert_eq!(read_all(store, &b, 1).await.unwrap(), in_b);
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
    assert!(!listed.contains(&names.id("never-written")));
}

async fn discard_removes_one_coalition_only(store: &dyn EventStore, names: &Names) {
    let (a, b) = (names.id("discard-a"), names.id("discard-b"));
    store
        .append(&a, Head::EMPTY, &batch(&a, Head::EMPTY, 2))
        .await
        .unwrap();
    let kept = batch(&b, Head::EMPTY, 2);
    store.append(&b, Head::EMPTY, &kept).await.unwrap();
    store.discard(&a).await.unwrap();
    assert_eq!(store.head(&a).await.unwrap(), Head::EMPTY);
    assert_eq!(read_all(store, &b, 1).await.unwrap(), kept);
    let listed = store.coalitions().await.unwrap();
    assert!(!listed.contains(&a) && listed.contains(&b), "{listed:?}");
    // A discarded log starts again from 1.
    store
        .append(&a, Head::EMPTY, &batch(&a, Head::EMPTY, 1))
        .await
        .unwrap();
}

async fn an_idempotency_key_is_claimed_with_its_entries_once(
    store: &dyn EventStore,
    names: &Names,
) {
    let id = names.id("claims");
    let claim = |key: &str, request: &[u8]| Claim {
        principal: "monitor".into(),
        key: key.into(),
        request: Hash::of(&[request]),
    };
    let first = claim("k-1", b"report Odesa");
    assert_eq!(store.claimed(&id, "monitor", "k-1").await.unwrap(), None);
    let events = batch(&id, Head::EMPTY, 3);
    store
        .append_claiming(&id, Head::EMPTY, &events, &first)
        .await
        .unwrap();
    let claimed = Claimed {
        request: first.request,
        first: 1,
        last: 3,
    };
    assert_eq!(
        store.claimed(&id, "monitor", "k-1").await.unwrap(),
        Some(claimed)
    );
    // Keys are each principal's own, and each coalition's.
    assert_eq!(
        store.claimed(&id, "secretariat", "k-1").await.unwrap(),
        None
    );
    assert_eq!(
        store
            .claimed(&names.id("other"), "monitor", "k-1")
            .await
            .unwrap(),
        None
    );
    // A key claimed once cannot be claimed again, and the failed append writes nothing.
    let head = head_of(&events);
    let again = batch(&id, head, 1);
    assert!(
        store
            .append_claiming(&id, head, &again, &claim("k-1", b"report Lviv"))
            .await
            .is_err()
    );
    assert_eq!(store.head(&id).await.unwrap(), head);
    assert_eq!(
        store.claimed(&id, "monitor", "k-1").await.unwrap(),
        Some(claimed)
    );
    // A refused append (a stale head) claims nothing.
    let stale = claim("k-2", b"stale");
    assert!(matches!(
        store
            .append_claiming(&id, Head::EMPTY, &batch(&id, Head::EMPTY, 1), &stale)
            .await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(store.claimed(&id, "monitor", "k-2").await.unwrap(), None);
    // Discarding the log forgets its keys.
    store.discard(&id).await.unwrap();
    assert_eq!(store.claimed(&id, "monitor", "k-1").await.unwrap(), None);
}

async fn large_payloads_and_long_batches_come_back_byte_for_byte(
    store: &dyn EventStore,
    names: &Names,
) {
    let id = names.id("large");
    // One event of a megabyte (the store does not look inside), then a batch of several
    // thousand rows: more than one statement's worth for SQLite, one array for PostgreSQL.
    let mut big = batch(&id, Head::EMPTY, 1);
    big[0].body = vec![b'x'; 1 << 20];
    store.append(&id, Head::EMPTY, &big).await.unwrap();
    let long = batch(&id, head_of(&big), 2500);
    store.append(&id, head_of(&big), &long).await.unwrap();
    let all = read_all(store, &id, 1).await.unwrap();
    assert_eq!(all.len(), 2501);
    assert_eq!(all[0], big[0]);
    assert_eq!(all[1..], long[..]);
    assert_eq!(store.head(&id).await.unwrap(), head_of(&long));
}

async fn many_coalitions_are_listed_and_kept_apart(store: &dyn EventStore, names: &Names) {
    let ids: Vec<CoalitionId> = (0..40).map(|n| names.id(&format!("many-{n}"))).collect();
    for (n, id) in ids.iter().enumerate() {
        store
            .append(id, Head::EMPTY, &batch(id, Head::EMPTY, n % 3 + 1))
            .await
            .unwrap();
    }
    let listed: BTreeSet<CoalitionId> = store.coalitions().await.unwrap().into_iter().collect();
    for (n, id) in ids.iter().enumerate() {
        assert!(listed.contains(id), "{id} listed");
        assert_eq!(store.head(id).await.unwrap().seq, (n % 3 + 1) as u64);
    }
}

const TASKS: usize = 8;
const APPENDS_PER_TASK: usize = 20;

/// Founds `id` with a secretariat and the seats an incident report needs.
pub(crate) async fn found(ledger: &Ledger, id: &CoalitionId) -> PrincipalId {
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

pub(crate) fn report() -> Command {
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
            nuclear_weapons_used: false,
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
    store: &Arc<dyn EventStore>,
    open: &Opener,
    names: &Names,
    writers: Writers,
) {
    let id = names.id(match writers {
        Writers::Separate => "concurrent",
        Writers::OneLedger => "concurrent-one-ledger",
    });
    let shared = Ledger::new(store.clone());
    let founder = found(&shared, &id).await;
    let founding = store.head(&id).await.unwrap().seq;
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let ledger = match writers {
            // Each task has its own store and ledger (its own kept state), as separate servers
            // would.
            Writers::Separate => Ledger::new(open().await),
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

    let entries = read_all(store.as_ref(), &id, 1).await.unwrap();
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
