//! The authorization matrix: every reader (the public and a principal of each demo role) ×
//! every classification level × releasable to the reader's party or not, against a table of
//! what each may see, for the item, the list, its count and a write naming the item. Unique
//! canary strings are seeded in every classified field (location, description, evidence), and a
//! crawl of every GET route — with each seeded id, and the error answers too — finds none that
//! the reader may not read.

use std::collections::BTreeMap;

use serde_json::json;

use crate::support::Server;

/// The levels, lowest first, as the API names them.
const LEVELS: [&str; 6] = [
    "PUBLIC",
    "UNCLASSIFIED",
    "RESTRICTED",
    "CONFIDENTIAL",
    "SECRET",
    "TOP_SECRET",
];

/// The releasability of the restricted half of the seeded items (PUBLIC has none: it is
/// releasable to everyone).
const REL: [&str; 3] = ["FRA", "GBR", "UKR"];

/// What each reader may see: for each level, lowest first, (releasable to all members,
/// releasable to FRA, GBR and UKR only). `y` seen, `-` not; PUBLIC has no REL TO variant.
#[rustfmt::skip]
const EXPECTED: [(&str, &str, [&str; 6]); 7] = [
    // reader        role               PUB  UNCL  REST  CONF  SEC   TS
    ("-",           "the public",      ["y", "--", "--", "--", "--", "--"]),
    ("secretariat", "secretariat",     ["y", "yy", "yy", "yy", "yy", "yy"]),
    ("macron",      "leader FRA TS",   ["y", "yy", "yy", "yy", "yy", "yy"]),
    ("zelenskyy",   "leader UKR S",    ["y", "yy", "yy", "yy", "yy", "--"]),
    ("meloni",      "leader ITA S",    ["y", "y-", "y-", "y-", "y-", "--"]),
    ("monitor",     "monitor USA S",   ["y", "y-", "y-", "y-", "y-", "--"]),
    ("witkoff",     "envoy USA S",     ["y", "y-", "y-", "y-", "y-", "--"]),
];

/// One seeded incident.
struct Seeded {
    id: String,
    level: &'static str,
    restricted: bool,
    canaries: [String; 3],
}

async fn seed(server: &Server) -> Vec<Seeded> {
    let secretariat = server.token("secretariat");
    let mut seeded = Vec::new();
    for level in LEVELS {
        for restricted in [false, true] {
            if level == "PUBLIC" && restricted {
                continue;
            }
            let tag = format!("{level}-{}", if restricted { "REL" } else { "ALL" });
            let canaries = [
                format!("CANARY-LOC-{tag}"),
                format!("CANARY-DESC-{tag}"),
                format!("CANARY-EVIDENCE-{tag}"),
            ];
            let mut request = json!({
                "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
                "at": "2026-11-01T00:00:00Z", "location": canaries[0],
                "description": canaries[1], "evidence": [canaries[2]],
                "classification": level});
            if restricted {
                request["releasable_to"] = json!(REL);
            }
            let answer = server
                .post(
                    &server.path("requests"),
                    Some(secretariat),
                    &json!({"action": "report-incident", "request": request}),
                )
                .await;
            assert_eq!(answer.status, 201, "seeding {tag}: {answer:?}");
            let id = answer.json()["recorded"][0]["payload"]["incident"]["id"]
                .as_str()
                .expect("an id")
                .to_owned();
            seeded.push(Seeded {
                id,
                level,
                restricted,
                canaries,
            });
        }
    }
    seeded
}

/// Whether the table says `reader` sees `item`.
fn expected(row: &[&str; 6], item: &Seeded) -> bool {
    let level = LEVELS
        .iter()
        .position(|l| *l == item.level)
        .expect("a level");
    let cell = row[level].as_bytes();
    cell[usize::from(item.restricted)] == b'y'
}

/// Every GET route of the document, each item route with each of `ids` and a missing one; then
/// the answers to bad parameters.
async fn routes(server: &Server, token: Option<&str>, ids: &[String]) -> Vec<String> {
    let statement = server.get(&server.path("statements"), token).await.json()[0]["id"]
        .as_str()
        .expect("a statement")
        .to_owned();
    let mut routes = server
        .documented_gets(|path| {
            if path.contains("/statements/") {
                vec![statement.clone()]
            } else {
                ids.iter()
                    .cloned()
                    .chain(["NO-SUCH-ID".to_owned()])
                    .collect()
            }
        })
        .await;
    // Errors: bad parameters name what was expected, never what is there.
    for list in ["incidents", "obligations", "commitments", "log"] {
        for bad in ["limit=0", "as_of=not-a-time", "unknown=1"] {
            routes.push(server.path(&format!("{list}?{bad}")));
        }
    }
    for id in ids {
        routes.push(server.path(&format!("obligations?incident={id}")));
        routes.push(server.path(&format!("incidents/{id}?as_of=2026-11-20T12:00:00Z")));
    }
    routes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reader_sees_exactly_what_the_table_says() {
    let server = Server::demo().await;
    // Counts before seeding, per reader, to check X-Total-Count against.
    let mut before = BTreeMap::new();
    for (reader, _, _) in EXPECTED {
        let token = (reader != "-").then(|| server.token(reader));
        let answer = server.get(&server.path("incidents"), token).await;
        let count: usize = answer.headers["x-total-count"]
            .to_str()
            .expect("text")
            .parse()
            .expect("a count");
        before.insert(reader, count);
    }
    let seeded = seed(&server).await;
    assert_eq!(seeded.len(), 11);
    let ids: Vec<String> = seeded.iter().map(|s| s.id.clone()).collect();

    for (reader, role, row) in EXPECTED {
        let token = (reader != "-").then(|| server.token(reader));
        let missing = server
            .get(&server.path("incidents/INC-AAAAAAAA"), token)
            .await;
        assert_eq!(missing.status, 404, "{role}: {missing:?}");
        // The item: 200 when the table says so, else the same 404 as a missing one.
        for item in &seeded {
            let answer = server
                .get(&server.path(&format!("incidents/{}", item.id)), token)
                .await;
            if expected(&row, item) {
                assert_eq!(answer.status, 200, "{role} {}: {answer:?}", item.level);
                for canary in &item.canaries {
                    assert!(answer.text.contains(canary.as_str()), "{role}: {canary}");
                }
            } else {
                assert_eq!(answer.status, 404, "{role} {}: {answer:?}", item.level);
                assert_eq!(
                    answer.text.replace(&item.id, "ID"),
                    missing.text.replace("INC-AAAAAAAA", "ID"),
                    "{role}: a hidden incident answers like a missing one"
                );
            }
        }
        // The list and its count.
        let list = server
            .get(&server.path("incidents?limit=1000"), token)
            .await;
        let listed: Vec<String> = list
            .json()
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|i| i["incident"]["id"].as_str().or(i["id"].as_str()))
            .map(str::to_owned)
            .collect();
        let shown: Vec<&Seeded> = seeded.iter().filter(|s| expected(&row, s)).collect();
        for item in &seeded {
            assert_eq!(
                listed.contains(&item.id),
                expected(&row, item),
                "{role}: {} {} in the list",
                item.level,
                item.restricted
            );
        }
        assert_eq!(
            list.headers["x-total-count"],
            (before[reader] + shown.len()).to_string().as_str(),
            "{role}: the count counts only what the reader may see"
        );
        // A write naming the item: a hidden one is refused exactly as a missing one.
        if let Some(token) = token {
            let confirm = |id: &str| {
                json!({"action": "reject-incident", "request": {
                    "incident": id, "reason": "a test", "at": null}})
            };
            let head = server.head().await;
            let absent = server
                .post(
                    &server.path("requests"),
                    Some(token),
                    &confirm("INC-AAAAAAAA"),
                )
                .await;
            assert!((400..500).contains(&absent.status), "{role}: {absent:?}");
            for item in seeded.iter().filter(|s| !expected(&row, s)) {
                let answer = server
                    .post(&server.path("requests"), Some(token), &confirm(&item.id))
                    .await;
                assert_eq!(answer.status, absent.status, "{role}: {answer:?}");
                assert_eq!(
                    answer.text.replace(&item.id, "ID"),
                    absent.text.replace("INC-AAAAAAAA", "ID"),
                    "{role}: a write naming a hidden incident answers as a missing one"
                );
            }
            assert_eq!(server.head().await, head, "{role}: a refused write wrote");
        }
        // The crawl: no answer to this reader holds a canary it may not read.
        let hidden: Vec<&String> = seeded
            .iter()
            .filter(|s| !expected(&row, s))
            .flat_map(|s| s.canaries.iter())
            .collect();
        let crawled = routes(&server, token, &ids).await;
        assert!(crawled.len() > 60, "{crawled:?}");
        for route in crawled {
            let answer = server.get(&route, token).await;
            assert!(answer.status < 500, "{role} {route}: {answer:?}");
            for canary in &hidden {
                assert!(
                    !answer.text.contains(canary.as_str()),
                    "{role} {route} shows {canary}: {}",
                    answer.text
                );
            }
        }
    }
}
