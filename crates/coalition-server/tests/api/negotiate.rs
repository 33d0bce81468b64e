//! Negotiation analyses over HTTP: the analysis document for the files posted, and errors that
//! name the field (and the line) at fault.

use serde_json::{Value, json};

use crate::support::Server;

fn repo(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(path).expect("a test file")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_genius_negotiation_is_analysed_for_anyone() {
    let server = Server::demo().await;
    let before = server.head().await;
    let body = json!({"genius": {
        "domain": {"name": "donbas", "text": repo("testdata/negotiate/genius/donbas-2p/domain.xml")},
        "profiles": [
            {"text": repo("testdata/negotiate/genius/donbas-2p/profile-1-ukr.xml")},
            {"text": repo("testdata/negotiate/genius/donbas-2p/profile-2-rus.xml")}]}});
    let answer = server.post("/api/negotiate/analyze", None, &body).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let document = answer.json();
    assert_eq!(document["input"], "donbas");
    assert_eq!(document["outcomes"], 3 * 11 * 4);
    assert_eq!(document["semantics"], "genius");
    assert!(
        !document["frontier"]
            .as_array()
            .expect("a frontier")
            .is_empty()
    );
    assert!(
        document["solutions"]["nash"]["outcome"].is_object(),
        "{document}"
    );
    assert_eq!(server.head().await, before, "an analysis writes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_negotiation_input_names_its_field() {
    let server = Server::demo().await;
    let scenario = repo("scenarios/paris-2026.toml");
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        ("no input", json!({}), 400, ""),
        (
            "two inputs",
            json!({"scenario": {"text": scenario}, "exchange_csv": {"text": "x"}}),
            400,
            "",
        ),
        (
            "an unknown field",
            json!({"scenario": {"text": scenario}, "colour": 1}),
            400,
            "/colour",
        ),
        (
            "a broken scenario",
            json!({"scenario": {"name": "mine.toml", "text": "[negotiation\n"}}),
            400,
            "/scenario/text",
        ),
        (
            "an unknown bloc",
            json!({"scenario": {"text": scenario}, "bloc": "nobody"}),
            400,
            "/bloc",
        ),
        (
            "one profile",
            json!({"genius": {"domain": {"text": "<x/>"}, "profiles": [{"text": "<x/>"}]}}),
            400,
            "/genius/profiles",
        ),
        (
            "a broken profile",
            json!({"genius": {
                "domain": {"text": repo("testdata/negotiate/genius/donbas-2p/domain.xml")},
                "profiles": [
                    {"text": repo("testdata/negotiate/genius/donbas-2p/profile-1-ukr.xml")},
                    {"name": "rus.xml", "text": "<utility_space"}]}}),
            400,
            "/genius/profiles/1/text",
        ),
        (
            "a bad line of CSV",
            json!({"exchange_csv": {"name": "bad.csv",
                "text": "#A;X;X;\n#P;p;p;\n#D;X;p;fifty;0.5;1\n"}}),
            400,
            "/exchange_csv/text",
        ),
    ];
    for (case, body, status, field) in cases {
        let answer = server.post("/api/negotiate/analyze", None, &body).await;
        assert_eq!(answer.status, status, "{case}: {answer:?}");
        let error = answer.json();
        assert_eq!(error["field"], field, "{case}: {error}");
        assert!(error["message"].is_string(), "{case}: {error}");
    }
    let answer = server
        .post(
            "/api/negotiate/analyze",
            None,
            &json!({"exchange_csv": {"name": "bad.csv",
                "text": "#A;X;X;\n#P;p;p;\n#D;X;p;fifty;0.5;1\n"}}),
        )
        .await;
    assert!(
        answer.json()["message"]
            .as_str()
            .expect("a message")
            .contains("line 3"),
        "{answer:?}"
    );
}
