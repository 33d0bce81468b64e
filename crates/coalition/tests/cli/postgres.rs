//! The record in PostgreSQL (`--database`, `COALITION_DATABASE_URL`) on a server the test
//! starts itself: the same commands, several processes appending at once without a fork, and
//! `migrate` from SQLite and back. Skipped, saying so, where PostgreSQL is not installed.

use std::collections::BTreeSet;

use coalition_pgtest::Cluster;
use serde_json::Value;

use crate::support::{DEMO, Env, path, report};

/// An environment whose record is the database `name` on `cluster`.
fn on_postgres(cluster: &Cluster, name: &str) -> Env {
    let mut env = Env::new();
    env.database_url = Some(cluster.create_database(name).unwrap());
    env
}

fn incidents(env: &Env) -> usize {
    env.json(&["incidents", DEMO])
        .as_array()
        .map_or(0, Vec::len)
}

#[test]
fn the_record_lives_in_postgres_when_the_database_is_named() {
    let Some(cluster) = Cluster::for_test("the_record_lives_in_postgres") else {
        return;
    };
    let env = on_postgres(&cluster, "cli");
    env.ok(&["demo"]);
    env.ok(&report(&["--description", "shelling of Kharkiv"]));
    assert!(env.ok(&["log", "verify", DEMO]).contains("verified"));
    // The data directory holds the log keys, not the record.
    assert!(!env.database().exists(), "no SQLite file beside the keys");
    // The flag names the same record as the variable; without either, the (empty) SQLite one.
    let url = env.database_url.clone().unwrap();
    let mut plain = Env::new();
    plain.trust = env.trust_dir();
    assert_eq!(
        plain.ok(&["coalitions", "--database", &url]),
        env.ok(&["coalitions"])
    );
    assert!(!plain.ok(&["coalitions"]).contains(DEMO));
    assert_eq!(incidents(&env), 1);
}

#[test]
fn a_database_that_could_lose_commits_or_is_not_one_is_refused_and_nothing_is_written() {
    let Some(cluster) = Cluster::for_test("a_database_that_could_lose_commits_is_refused") else {
        return;
    };
    let mut env = on_postgres(&cluster, "unsafe");
    let url = env.database_url.clone().unwrap();
    env.database_url = Some(format!("{url}?options=-c%20synchronous_commit%3Doff"));
    let stderr = env.fails(1, &["demo"]);
    assert!(
        stderr.contains("synchronous_commit=off") && stderr.contains("set synchronous_commit = on"),
        "{stderr}"
    );
    assert_eq!(
        cluster
            .psql(
                "unsafe",
                "SELECT count(*) FROM pg_tables WHERE tablename = 'events'"
            )
            .unwrap(),
        "0"
    );
    env.database_url = Some("mysql://db/x".into());
    let stderr = env.fails(2, &["demo"]);
    assert!(
        stderr.contains("database") && stderr.contains("postgres://"),
        "{stderr}"
    );
    // A password in the URL is not repeated.
    env.database_url = Some("postgres://coalition:hunter2@127.0.0.1:1/x".into());
    let stderr = env.fails(1, &["demo"]);
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn several_processes_appending_at_once_never_fork_and_lose_nothing() {
    let Some(cluster) = Cluster::for_test("several_processes_appending_at_once") else {
        return;
    };
    let env = on_postgres(&cluster, "concurrent");
    env.ok(&["demo"]);
    let before = incidents(&env);
    const PROCESSES: usize = 6;
    const EACH: usize = 3;
    // Each thread runs its reports one after another, each a process of its own: six
    // processes race for the head at any moment.
    let receipts: Vec<Value> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..PROCESSES)
            .map(|n| {
                let env = &env;
                scope.spawn(move || {
                    (0..EACH)
                        .map(|k| {
                            let description = format!("report {n}.{k}");
                            env.json(&report(&["--description", &description]))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    let acknowledged: BTreeSet<String> = receipts
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        acknowledged.len(),
        PROCESSES * EACH,
        "one id acknowledged twice"
    );
    let listed = env.json(&["incidents", DEMO]);
    let present: BTreeSet<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        present.len(),
        before + PROCESSES * EACH,
        "no more, no fewer"
    );
    assert!(
        acknowledged.is_subset(&present),
        "every acknowledged report is there"
    );
    assert!(env.ok(&["log", "verify", DEMO]).contains("verified"));
}

/// The migration's JSON: how many entries it copied in all.
fn copied(view: &Value) -> u64 {
    view["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|log| log["copied"].as_u64().unwrap())
        .sum()
}

#[test]
fn migrate_copies_every_log_verified_continues_an_earlier_copy_and_refuses_another_record() {
    let Some(cluster) = Cluster::for_test("migrate_copies_every_log") else {
        return;
    };
    let env = Env::demo();
    env.ok(&report(&["--description", "before the move"]));
    let sqlite = format!("sqlite://{}", path(&env.database()));
    let pg = cluster.create_database("migrated").unwrap();

    let said = env.ok(&["migrate", "--from", &sqlite, "--to", &pg]);
    assert!(
        said.contains(&format!("{DEMO}: ")) && said.contains("verified"),
        "{said}"
    );
    // The same record through either store: heads, checkpoint roots, verification (which also
    // checks the copy against the checkpoint this machine pinned from the SQLite record).
    let (sqlite_heads, pg_heads) = (
        env.json(&["coalitions"]),
        env.json(&["coalitions", "--database", &pg]),
    );
    assert_eq!(sqlite_heads, pg_heads);
    let checkpoint = env.json(&["log", "checkpoint", DEMO]);
    let moved = env.json(&["log", "checkpoint", DEMO, "--database", &pg]);
    assert_eq!(checkpoint["root"], moved["root"]);
    assert_eq!(checkpoint["size"], moved["size"]);
    assert!(
        env.ok(&["log", "verify", DEMO, "--database", &pg])
            .contains("verified")
    );

    // Again: nothing to do. After more writes to the source: only those are copied.
    let again = env.json(&["migrate", "--from", &sqlite, "--to", &pg]);
    assert_eq!(copied(&again), 0, "{again}");
    env.ok(&report(&["--description", "written during the move"]));
    let resumed = env.json(&["migrate", "--from", &sqlite, "--to", &pg]);
    assert_eq!(copied(&resumed), 1, "{resumed}");
    assert_eq!(
        env.json(&["coalitions"]),
        env.json(&["coalitions", "--database", &pg])
    );

    // And back, to a new SQLite file.
    let back = format!("sqlite://{}", path(&env.root().join("back.sqlite")));
    env.ok(&["migrate", "--from", &pg, "--to", &back]);
    assert_eq!(
        env.json(&["coalitions"]),
        env.json(&["coalitions", "--database", &back])
    );

    // A target whose log went its own way is refused, and nothing is written to it.
    env.ok(&report(&["--description", "only in SQLite"]));
    env.ok(&report(&[
        "--description",
        "only in PostgreSQL",
        "--database",
        &pg,
    ]));
    let before = env.json(&["coalitions", "--database", &pg]);
    let refused = env.fails(3, &["migrate", "--from", &sqlite, "--to", &pg]);
    assert!(
        refused.contains("not a copy") && refused.contains(DEMO),
        "{refused}"
    );
    assert_eq!(env.json(&["coalitions", "--database", &pg]), before);

    // So is a target holding a coalition the source does not have.
    let other = cluster.create_database("other").unwrap();
    let scenario =
        crate::support::scenario_text().replacen("id = \"paris-2026\"", "id = \"other-2026\"", 1);
    let file = env.write("other.toml", &scenario);
    env.ok(&["import", path(&file), "--database", &other]);
    let refused = env.fails(2, &["migrate", "--from", &sqlite, "--to", &other]);
    assert!(refused.contains("other-2026"), "{refused}");
    assert!(!env.ok(&["coalitions", "--database", &other]).contains(DEMO));

    // A source that is not there is named.
    let missing = format!("sqlite://{}", path(&env.root().join("none.sqlite")));
    let refused = env.fails(2, &["migrate", "--from", &missing, "--to", &other]);
    assert!(
        refused.contains("--from") || refused.contains("from"),
        "{refused}"
    );
    assert!(!env.root().join("none.sqlite").exists());
}
