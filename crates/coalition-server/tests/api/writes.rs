//! Writes over HTTP: acting as the token's principal, acknowledged with the new entries and the
//! head, and — whatever is wrong with a request — nothing written when it is refused.

use coalition_server::Options;
use serde_json::{Value, json};

use crate::support::Server;

fn report(location: &str) -> Value {
    json!({"action": "report-incident", "request": {
        "aggressor": "RUS", "target": "UKR", "kind": "armed-attack",
        "at": "2026-11-01T00:00:00Z", "location": location}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_is_acknowledged_with_its_entries_and_the_head() {
    let server = Server::demo().await;
    let before = server.head().await;
    let answer = server
        .post(
            &server.path("requests"),
            Some(server.token("monitor")),
            &report("Kharkiv"),
        )
        .await;
    assert_eq!(answer.status, 201, "{answer:?}");
    let receipt = answer.json();
    let recorded = receipt["recorded"].as_array().expect("entries");
    assert_eq!(recorded.len(), 1, "{receipt}");
    assert_eq!(recorded[0]["kind"], "incident_reported");
    assert_eq!(recorded[0]["payload"]["reported_by"], "monitor");
    assert_eq!(receipt["head"]["hash"], recorded[0]["hash"]);
    assert_eq!(server.head().await.0, before.0 + 1);
    // The new incident is read back from the state kept in memory, by id from the receipt.
    let id = recorded[0]["payload"]["incident"]["id"]
        .as_str()
        .expect("an id");
    let shown = server
        .get(
            &server.path(&format!("incidents/{id}")),
            Some(server.token("monitor")),
        )
        .await;
    assert_eq!(shown.status, 200, "{shown:?}");
    assert_eq!(shown.json()["incident"]["location"], "Kharkiv");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_writes_nothing() {
    let server = Server::demo().await;
    let monitor = Some(server.token("monitor"));
    let before = server.head().await;
    let path = server.path("requests");
    let mut bad_type = report("x");
    bad_type["request"]["at"] = json!(5);
    let mut unknown = report("x");
    unknown["request"]["colour"] = json!("red");
    let hidden = json!({"action": "withdraw-commitment",
        "request": {"commitment": "no-such-commitment", "at": null, "reason": "a test"}});
    // (case, token, content type, body, status, field at fault)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Vec<u8>,
        u16,
        Option<&'a str>,
    );
    let cases: Vec<Case> = vec![
        (
            "no token",
            None,
            Some("application/json"),
            report("x").to_string().into_bytes(),
            401,
            None,
        ),
        (
            "a bad token",
            Some("coalition_nope"),
            Some("application/json"),
            report("x").to_string().into_bytes(),
            401,
            None,
        ),
        (
            "not JSON",
            monitor,
            Some("application/json"),
            b"{not json".to_vec(),
            400,
            None,
        ),
        (
            "a wrong type",
            monitor,
            Some("application/json"),
            bad_type.to_string().into_bytes(),
            400,
            Some("/request/at"),
        ),
        (
            "an unknown field",
            monitor,
            Some("application/json"),
            unknown.to_string().into_bytes(),
            400,
            Some("/request/colour"),
        ),
        (
            "no content type",
            monitor,
            None,
            report("x").to_string().into_bytes(),
            415,
            None,
        ),
        (
            "too large",
            monitor,
            Some("application/json"),
            vec![b' '; 2 << 20],
            413,
            None,
        ),
        (
            "an unknown item",
            monitor,
            Some("application/json"),
            hidden.to_string().into_bytes(),
            404,
            None,
        ),
    ];
    for (case, token, content_type, body, status, field) in cases {
        let answer = server
            .send("POST", &path, token, content_type, Some(body))
            .await;
        assert_eq!(answer.status, status, "{case}: {answer:?}");
        let error = answer.json();
        assert!(
            error["code"].is_string() && error["message"].is_string(),
            "{case}: {error}"
        );
        if let Some(field) = field {
            assert_eq!(error["field"], field, "{case}: {error}");
        }
        assert_eq!(server.head().await, before, "{case} wrote something");
    }
    // A rule that refuses the principal: the monitor may not withdraw a guarantor's commitment.
    let refused = server
        .post(
            &path,
            monitor,
            &json!({"action": "withdraw-commitment", "request": {
                "commitment": server.get(&server.path("commitments?limit=1"), monitor).await.json()[0]["id"],
                "at": null, "reason": "a test"}}),
        )
        .await;
    assert!(
        [403, 422].contains(&refused.status),
        "a rule refuses: {refused:?}"
    );
    assert_eq!(
        server.head().await,
        before,
        "a refused rule wrote something"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_server_refuses_every_write() {
    let server = Server::start(Options {
        read_only: true,
        ..Options::default()
    })
    .await;
    let before = server.head().await;
    let answer = server
        .post(
            &server.path("requests"),
            Some(server.token("monitor")),
            &report("x"),
        )
        .await;
    assert_eq!(answer.status, 403, "{answer:?}");
    assert_eq!(answer.json()["code"], "server.read_only");
    assert_eq!(server.head().await, before);
    assert_eq!(server.get("/readyz", None).await.json()["read_only"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_is_refused_from_its_next_use() {
    let server = Server::demo().await;
    let token = server
        .app
        .issue_token(
            &server.coalition,
            &coalition_core::id::PrincipalId::parse("macron").expect("an id"),
            "to revoke",
            None,
        )
        .await
        .expect("issued");
    let path = server.path("commitments?limit=1");
    assert_eq!(server.get(&path, Some(&token.token)).await.status, 200);
    server
        .app
        .revoke_token(&server.coalition, &token.view.id)
        .await
        .expect("revoked");
    let refused = server.get(&path, Some(&token.token)).await;
    assert_eq!(refused.status, 401, "{refused:?}");
    assert_eq!(refused.json()["code"], "token.invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_write_with_its_idempotency_key_is_recorded_once() {
    let server = Server::demo().await;
    let before = server.head().await;
    let path = server.path("requests");
    let token = server.token("monitor");
    let send = |body: Value, key: &'static str| {
        let (server, path) = (&server, path.clone());
        async move {
            let mut request = axum::http::Request::post(format!("{}{path}", server.url))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json");
            if !key.is_empty() {
                request = request.header("idempotency-key", key);
            }
            server.raw(request, body.to_string()).await
        }
    };
    let first = send(report("Odesa"), "retry-1").await;
    assert_eq!(first.status, 201, "{first:?}");
    let again = send(report("Odesa"), "retry-1").await;
    assert_eq!(again.status, 201, "{again:?}");
    assert_eq!(again.text, first.text, "the first answer, again");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(server.head().await.0, before.0 + 1, "recorded once");
    let reused = send(report("Lviv"), "retry-1").await;
    assert_eq!(reused.status, 422, "{reused:?}");
    assert_eq!(reused.json()["field"], "Idempotency-Key");
    let bad = send(report("Lviv"), " ").await;
    assert_eq!(bad.status, 400, "{bad:?}");
    assert_eq!(
        server.head().await.0,
        before.0 + 1,
        "refused keys write nothing"
    );
}
