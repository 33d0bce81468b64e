//! Two ledgers on one store, standing for two processes or two server nodes: each keeps its own
//! state and brings it up to date by reading only the entries appended since, verified —
//! counted here by a store that counts the entries it hands out.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use coalition_core::State;
use coalition_core::command::Command;
use coalition_core::dates::Timestamp;
use coalition_core::id::{CoalitionId, IncidentId};
use coalition_ledger::{
    AsOf, Claim, Claimed, EventStore, Head, Ledger, LedgerError, SealedEvent, StoreError,
};

use crate::conformance::{Names, found, report};

type Hook = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

/// A store that counts the entries it reads out, and can let a rival write just before the
/// next append (to force a real conflict).
struct Counting {
    inner: Arc<dyn EventStore>,
    read: AtomicU64,
    before_append: Mutex<Option<Hook>>,
}

impl Counting {
    fn over(inner: Arc<dyn EventStore>) -> Arc<Counting> {
        Arc::new(Counting {
            inner,
            read: AtomicU64::new(0),
            before_append: Mutex::new(None),
        })
    }

    fn read_so_far(&self) -> u64 {
        self.read.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl EventStore for Counting {
    async fn append(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
    ) -> Result<(), StoreError> {
        let hook = self.before_append.lock().unwrap().take();
        if let Some(hook) = hook {
            hook().await;
        }
        self.inner.append(coalition, expected, events).await
    }

    async fn append_claiming(
        &self,
        coalition: &CoalitionId,
        expected: Head,
        events: &[SealedEvent],
        claim: &Claim,
    ) -> Result<(), StoreError> {
        self.inner
            .append_claiming(coalition, expected, events, claim)
            .await
    }

    async fn claimed(
        &self,
        coalition: &CoalitionId,
        principal: &str,
        key: &str,
    ) -> Result<Option<Claimed>, StoreError> {
        self.inner.claimed(coalition, principal, key).await
    }

    async fn read(
        &self,
        coalition: &CoalitionId,
        from: u64,
        limit: usize,
    ) -> Result<Vec<SealedEvent>, StoreError> {
        let page = self.inner.read(coalition, from, limit).await?;
        self.read.fetch_add(page.len() as u64, Ordering::SeqCst);
        Ok(page)
    }

    async fn head(&self, coalition: &CoalitionId) -> Result<Head, StoreError> {
        self.inner.head(coalition).await
    }

    async fn coalitions(&self) -> Result<Vec<CoalitionId>, StoreError> {
        self.inner.coalitions().await
    }

    async fn discard(&self, coalition: &CoalitionId) -> Result<(), StoreError> {
        self.inner.discard(coalition).await
    }

    async fn close(&self) {}
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

/// States are compared by their full debug form (the core gives them no equality).
fn debug(state: &State) -> String {
    format!("{state:?}")
}

fn incidents(state: &State) -> usize {
    state.incidents().len()
}

pub(crate) async fn two_ledgers_on_one_store_read_only_what_is_new(
    store: Arc<dyn EventStore>,
    names: &Names,
) {
    let id = names.id("two-ledgers");
    let (one, two) = (Counting::over(store.clone()), Counting::over(store.clone()));
    let (a, b) = (Ledger::new(one.clone()), Ledger::new(two.clone()));
    let secretariat = found(&a, &id).await;
    let founding = store.head(&id).await.unwrap().seq;
    let now = at("2026-06-01T01:00:00Z");
    assert_eq!(
        one.read_so_far(),
        0,
        "A wrote the founding: nothing to read"
    );

    // B has never seen the coalition: it reads the whole log once.
    let seen = b.current(&id).await.unwrap();
    assert_eq!(seen.head.seq, founding);
    assert_eq!(two.read_so_far(), founding);
    assert_eq!(incidents(&seen.state), 0);

    // A writes; B's next read takes exactly that one entry.
    a.execute(&id, &secretariat, now, &[report()])
        .await
        .unwrap();
    let seen = b.current(&id).await.unwrap();
    assert_eq!(two.read_so_far(), founding + 1);
    assert_eq!(incidents(&seen.state), 1);
    // Asked again with nothing new, B reads nothing.
    b.current(&id).await.unwrap();
    assert_eq!(two.read_so_far(), founding + 1);

    // B writes on what it knows (nothing to read first); A then reads B's entry before deciding.
    b.execute(&id, &secretariat, now, &[report()])
        .await
        .unwrap();
    assert_eq!(two.read_so_far(), founding + 1);
    let receipt = a
        .execute(&id, &secretariat, now, &[report()])
        .await
        .unwrap();
    assert_eq!(one.read_so_far(), 1);
    assert_eq!(receipt.head.seq, founding + 3);

    // A real conflict: B appends between A's decision and A's append. A reads only B's entry
    // and decides again.
    let rival = b.clone();
    let (rival_id, rival_actor) = (id.clone(), secretariat.clone());
    *one.before_append.lock().unwrap() = Some(Box::new(move || {
        Box::pin(async move {
            rival
                .execute(&rival_id, &rival_actor, now, &[report()])
                .await
                .unwrap();
        })
    }));
    let receipt = a
        .execute(&id, &secretariat, now, &[report()])
        .await
        .unwrap();
    assert_eq!(receipt.head.seq, founding + 5, "after the rival's entry");
    assert_eq!(one.read_so_far(), 2, "the conflict cost one entry's read");
    let now_a = a.current(&id).await.unwrap();
    assert_eq!(incidents(&now_a.state), 5);
    assert_eq!(one.read_so_far(), 2);

    // A rejected command writes nothing and leaves the kept state as it was.
    let refused = a
        .execute(
            &id,
            &secretariat,
            now,
            &[Command::ConfirmIncident {
                incident: IncidentId::parse("INC-99").unwrap(),
                at: None,
            }],
        )
        .await;
    assert!(
        matches!(refused, Err(LedgerError::Rejected { .. })),
        "{refused:?}"
    );
    let refused_batch = a
        .execute(
            &id,
            &secretariat,
            now,
            &[
                report(),
                Command::ConfirmIncident {
                    incident: IncidentId::parse("INC-99").unwrap(),
                    at: None,
                },
            ],
        )
        .await;
    assert!(
        matches!(refused_batch, Err(LedgerError::Rejected { index: 1, .. })),
        "{refused_batch:?}"
    );
    let after = a.current(&id).await.unwrap();
    assert_eq!(after.head, now_a.head);
    assert_eq!(one.read_so_far(), 2, "nothing replayed after a rejection");
    // The kept states equal a replay of the whole log, through either ledger.
    let replayed = a.replay(&id, AsOf::EVERYTHING).await.unwrap();
    assert_eq!(debug(&after.state), debug(&replayed.state));
    assert_eq!(replayed.head, after.head);
    assert_eq!(
        debug(&b.current(&id).await.unwrap().state),
        debug(&replayed.state)
    );

    // A write changes the kept state in place when no reader holds it …
    let address = Arc::as_ptr(&after.state);
    drop((after, now_a, seen));
    a.execute(&id, &secretariat, now, &[report()])
        .await
        .unwrap();
    let held = a.current(&id).await.unwrap();
    assert_eq!(
        Arc::as_ptr(&held.state),
        address,
        "no copy without a reader"
    );
    // … and leaves a reader's state alone when one does.
    a.execute(&id, &secretariat, now, &[report()])
        .await
        .unwrap();
    assert_eq!(
        incidents(&held.state),
        6,
        "the reader still sees its own state"
    );
    assert_eq!(incidents(&a.current(&id).await.unwrap().state), 7);

    // Reads as the record stood: before any report, nothing of them.
    let before = a
        .replay(
            &id,
            AsOf {
                recorded_by: Some(at("2026-06-01T00:30:00Z")),
            },
        )
        .await
        .unwrap();
    assert_eq!(incidents(&before.state), 0);
    assert_eq!(before.head, a.current(&id).await.unwrap().head);

    // An unknown coalition is named as such by every read.
    let unknown = names.id("never-founded");
    assert!(matches!(
        a.current(&unknown).await,
        Err(LedgerError::UnknownCoalition(_))
    ));
    assert!(matches!(
        a.replay(&unknown, AsOf::EVERYTHING).await,
        Err(LedgerError::UnknownCoalition(_))
    ));
    assert!(matches!(
        a.entries(&unknown).await,
        Err(LedgerError::UnknownCoalition(_))
    ));
    let not_founded = a.execute(&unknown, &secretariat, now, &[report()]).await;
    assert!(
        matches!(not_founded, Err(LedgerError::UnknownCoalition(_))),
        "{not_founded:?}"
    );
}
