//! Every read answers with the view the CLI's `--json` prints for the same reader and times.

use coalition_app::views::{CommitmentFilter, ObligationFilter};
use coalition_app::{Reading, Who};
use coalition_core::dates::Timestamp;
use coalition_core::id::PrincipalId;

use crate::support::{Server, view};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness_answer() {
    let server = Server::demo().await;
    let health = server.get("/healthz", None).await;
    assert_eq!(
        (health.status, health.json()["status"].clone()),
        (200, "ok".into())
    );
    let ready = server.get("/readyz", None).await;
    assert_eq!(ready.status, 200, "{ready:?}");
    assert_eq!(ready.json()["read_only"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_the_cli_views_for_each_reader() {
    let server = Server::demo().await;
    for (who, token) in [
        (Who::Public, None),
        (
            Who::Principal(PrincipalId::parse("macron").expect("an id")),
            Some(server.token("macron")),
        ),
        (
            Who::Principal(PrincipalId::parse("meloni").expect("an id")),
            Some(server.token("meloni")),
        ),
    ] {
        let reader = server
            .app
            .read(&server.coalition, &Reading::by(who.clone()))
            .await
            .expect("read");
        let statements = reader.statements();
        let statement = statements.first().expect("the demo has statements");
        let expected = [
            ("members".to_owned(), view(&reader.members())),
            ("principals".to_owned(), view(&reader.principals())),
            ("instruments".to_owned(), view(&reader.instruments())),
            (
                "commitments?limit=1000".to_owned(),
                view(&reader.commitments(&CommitmentFilter::default())),
            ),
            ("incidents".to_owned(), view(&reader.incidents())),
            (
                "obligations".to_owned(),
                view(&reader.obligations(&ObligationFilter::default())),
            ),
            ("statements".to_owned(), view(&statements)),
            (
                format!("statements/{}", statement.id),
                view(&reader.statement(&statement.id, None).expect("shown")),
            ),
            (
                format!("statements/{}/status", statement.id),
                view(&reader.statement_standing(&statement.id).expect("standing")),
            ),
            ("meetings".to_owned(), view(&reader.meetings())),
            (
                "communique".to_owned(),
                view(&reader.communique(None).expect("communiqué")),
            ),
            ("aggregates".to_owned(), view(&reader.aggregates())),
            (
                "coverage".to_owned(),
                view(&reader.coverage(None, 20, None).expect("coverage")),
            ),
            (
                "log".to_owned(),
                view(
                    &server
                        .app
                        .log(&server.coalition, &Reading::by(who.clone()))
                        .await
                        .expect("log"),
                ),
            ),
        ];
        for (path, expected) in expected {
            let answer = server.get(&server.path(&path), token).await;
            assert_eq!(answer.status, 200, "{who:?} {path}: {answer:?}");
            assert_eq!(answer.json(), expected, "{who:?} {path}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_take_the_two_times() {
    let server = Server::demo().await;
    let at = Timestamp::parse("2026-02-01T00:00:00Z").expect("a time");
    let as_of = Timestamp::parse("2026-11-20T12:00:00Z").expect("a time");
    let reader = server
        .app
        .read(
            &server.coalition,
            &Reading {
                who: Who::Public,
                as_of: Some(as_of),
                at: Some(at),
            },
        )
        .await
        .expect("read");
    let answer = server
        .get(
            &server.path(&format!("commitments?limit=1000&at={at}&as_of={as_of}")),
            None,
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.json(),
        view(&reader.commitments(&CommitmentFilter::default()))
    );
    // A time before the record says so, naming the parameter.
    let early = server
        .get(&server.path("commitments?as_of=1999-01-01T00:00:00Z"), None)
        .await;
    assert_eq!(early.status, 400, "{early:?}");
    assert_eq!(early.json()["field"], "as_of");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_lists_come_in_pages() {
    let server = Server::demo().await;
    let token = Some(server.token("secretariat"));
    let all = server
        .get(&server.path("commitments?limit=1000"), token)
        .await
        .json();
    let all = all.as_array().expect("a list").clone();
    assert!(all.len() > 3, "the demo has commitments");
    let first = server.get(&server.path("commitments?limit=2"), token).await;
    assert_eq!(first.json().as_array().expect("a list"), &all[..2]);
    assert_eq!(
        first.headers["x-total-count"].to_str().expect("text"),
        all.len().to_string()
    );
    let next = first.headers["link"].to_str().expect("text").to_owned();
    let next = next
        .strip_prefix('<')
        .and_then(|rest| rest.split_once('>'))
        .map(|(path, _)| path.to_owned())
        .expect("a next link");
    let second = server.get(&next, token).await;
    assert_eq!(second.json().as_array().expect("a list"), &all[2..4]);
    let bad = server.get(&server.path("commitments?limit=0"), token).await;
    assert_eq!(
        (bad.status, bad.json()["field"].clone()),
        (400, "limit".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_query_parameters_are_named() {
    let server = Server::demo().await;
    for (query, field) in [
        ("commitments?colour=red", "colour"),
        ("commitments?at=yesterday", "at"),
        ("commitments?category=Force%20on%20land!", "category"),
        ("obligations?overdue=perhaps", "overdue"),
        ("log/proof", "seq"),
    ] {
        let answer = server.get(&server.path(query), None).await;
        assert_eq!(answer.status, 400, "{query}: {answer:?}");
        let body = answer.json();
        assert_eq!(body["code"], "input.malformed", "{query}");
        if !field.is_empty() {
            assert_eq!(body["field"], field, "{query}: {body}");
        }
        assert!(!body["message"].as_str().expect("a message").is_empty());
    }
}
