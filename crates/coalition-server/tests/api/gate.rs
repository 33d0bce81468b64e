//! The gate over HTTP: an item the caller may not read is the same 404 as a missing one, lists
//! leave it out, and no GET route tells a reader what it may not read.

use coalition_app::views::CommitmentFilter;
use coalition_app::{Reading, Who};
use coalition_core::id::PrincipalId;
use serde_json::Value;

use crate::support::Server;

/// The commitments the custodian sees that `who` does not: (id, what).
async fn hidden_from(server: &Server, who: Who) -> Vec<(String, String)> {
    let all = server
        .app
        .read(&server.coalition, &Reading::custodian())
        .await
        .expect("read")
        .commitments(&CommitmentFilter::default());
    let seen: Vec<String> = server
        .app
        .read(&server.coalition, &Reading::by(who))
        .await
        .expect("read")
        .commitments(&CommitmentFilter::default())
        .into_iter()
        .map(|c| c.commitment.id.to_string())
        .collect();
    all.into_iter()
        .filter(|c| !seen.contains(&c.commitment.id.to_string()))
        .map(|c| (c.commitment.id.to_string(), c.commitment.what.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_the_caller_may_not_read_is_the_same_404_as_a_missing_one() {
    let server = Server::demo().await;
    let meloni = PrincipalId::parse("meloni").expect("an id");
    for (who, token) in [
        (Who::Public, None),
        (Who::Principal(meloni), Some(server.token("meloni"))),
    ] {
        let hidden = hidden_from(&server, who.clone()).await;
        assert!(
            !hidden.is_empty(),
            "{who:?} may not read some demo commitment"
        );
        let missing = "no-such-commitment";
        let absent = server
            .get(&server.path(&format!("commitments/{missing}")), token)
            .await;
        assert_eq!(absent.status, 404, "{absent:?}");
        for (id, _) in &hidden {
            let answer = server
                .get(&server.path(&format!("commitments/{id}")), token)
                .await;
            assert_eq!(answer.status, 404, "{who:?} {id}: {answer:?}");
            assert_eq!(
                answer.text.replace(id.as_str(), "ID"),
                absent.text.replace(missing, "ID"),
                "{who:?}: a hidden commitment answers like a missing one"
            );
            let headers = |a: &crate::support::Answer| {
                let mut names: Vec<String> = a
                    .headers
                    .keys()
                    .filter(|name| *name != "date" && *name != "content-length")
                    .map(|name| name.to_string())
                    .collect();
                names.sort();
                names
            };
            assert_eq!(headers(&answer), headers(&absent));
        }
    }
}

/// Every GET route of the OpenAPI document, with its path parameters filled from the demo and
/// its required query parameters given.
async fn every_get_route(server: &Server, token: Option<&str>) -> Vec<String> {
    let document = server.get("/api/openapi.json", None).await.json();
    let commitment = server
        .get(&server.path("commitments?limit=1"), token)
        .await
        .json()[0]["id"]
        .as_str()
        .expect("a commitment the reader may read")
        .to_owned();
    let statement = server.get(&server.path("statements"), token).await.json()[0]["id"]
        .as_str()
        .expect("a statement")
        .to_owned();
    let mut routes = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        let Some(get) = item.get("get") else { continue };
        // The event stream never ends; tests/api/events.rs reads it.
        if path.ends_with("/events") {
            continue;
        }
        let mut query = Vec::new();
        for parameter in get["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] == "query" && parameter["required"] == true {
                query.push(format!("{}=1", parameter["name"].as_str().expect("a name")));
            }
        }
        let id = if path.contains("/statements/") {
            &statement
        } else {
            &commitment
        };
        let mut route = path
            .replace("{coalition}", server.coalition.as_str())
            .replace("{id}", id)
            .replace("{layout}", "json")
            .replace("{file}", "commitments.json");
        if path.ends_with("/diff") {
            route.push_str("?from=1&to=1");
        } else if !query.is_empty() {
            route.push('?');
            route.push_str(&query.join("&"));
        }
        routes.push(route);
    }
    routes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_get_route_shows_a_reader_what_it_may_not_read() {
    let server = Server::demo().await;
    let meloni = PrincipalId::parse("meloni").expect("an id");
    for (who, token) in [
        (Who::Public, None),
        (Who::Principal(meloni), Some(server.token("meloni"))),
    ] {
        let secrets = hidden_from(&server, who.clone()).await;
        let routes = every_get_route(&server, token).await;
        assert!(routes.len() >= 20, "{routes:?}");
        for route in routes {
            let answer = server.get(&route, token).await;
            assert!(answer.status < 500, "{who:?} {route}: {answer:?}");
            assert_ne!(
                serde_json::from_str::<Value>(&answer.text)
                    .ok()
                    .map(|v| v["code"].clone()),
                Some("route.unknown".into()),
                "{route} is documented but not served"
            );
            for (id, what) in &secrets {
                for secret in [id, what] {
                    assert!(
                        !answer.text.contains(secret.as_str()),
                        "{who:?} {route} shows {secret:?}: {}",
                        answer.text
                    );
                }
            }
        }
    }
}
