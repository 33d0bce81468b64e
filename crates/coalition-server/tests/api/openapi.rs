//! The OpenAPI document the server serves describes every route it serves.

use crate::support::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_lists_every_route_with_its_errors() {
    let server = Server::demo().await;
    let answer = server.get("/api/openapi.json", None).await;
    assert_eq!(answer.status, 200);
    let document = answer.json();
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(
        document,
        serde_json::to_value(coalition_server::openapi_document()).expect("json")
    );
    let paths = document["paths"].as_object().expect("paths");
    for path in [
        "/healthz",
        "/readyz",
        "/api/coalitions",
        "/api/coalitions/{coalition}/commitments",
        "/api/coalitions/{coalition}/commitments/{id}",
        "/api/coalitions/{coalition}/incidents/{id}",
        "/api/coalitions/{coalition}/obligations",
        "/api/coalitions/{coalition}/coverage",
        "/api/coalitions/{coalition}/statements/{id}/to-sign",
        "/api/coalitions/{coalition}/communique",
        "/api/coalitions/{coalition}/log/consistency",
        "/api/coalitions/{coalition}/requests",
        "/api/coalitions/{coalition}/whatif",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("operations") {
            let responses = operation["responses"].as_object().expect("responses");
            assert!(
                responses.contains_key("200") || responses.contains_key("201"),
                "{method} {path}"
            );
            assert!(
                operation["description"].is_string() || operation["summary"].is_string(),
                "{method} {path} says what it does"
            );
        }
    }
    assert!(document["components"]["schemas"]["ApiError"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_docs_page_renders_the_document_from_this_origin_only() {
    let server = Server::demo().await;
    let page = server.get("/api/docs", None).await;
    assert_eq!(page.status, 200, "{page:?}");
    assert!(
        page.headers["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/html")
    );
    let policy = page.headers["content-security-policy"]
        .to_str()
        .expect("text");
    assert!(
        policy.contains("default-src 'none'") && policy.contains("script-src 'self'"),
        "{policy}"
    );
    // Nothing from elsewhere: every address the page and its files name is this server's.
    for path in ["/api/docs", "/api/docs/docs.js", "/api/docs/docs.css"] {
        let answer = server.get(path, None).await;
        assert_eq!(answer.status, 200, "{path}: {answer:?}");
        assert!(
            answer.headers.contains_key("content-security-policy"),
            "{path}"
        );
        for scheme in ["http://", "https://", "//cdn", "@import"] {
            assert!(!answer.text.contains(scheme), "{path} names {scheme}");
        }
    }
    assert!(page.text.contains("/api/docs/docs.js") && page.text.contains("/api/docs/docs.css"));
    let script = server.get("/api/docs/docs.js", None).await.text;
    assert!(
        script.contains("fetch(\"/api/openapi.json\")"),
        "the page renders the served document"
    );
    assert!(
        !script.contains("innerHTML"),
        "values are set as text, never as markup"
    );
    let document = server.get("/api/openapi.json", None).await.json();
    assert!(
        document["paths"]["/api/docs"]["get"].is_object(),
        "the page is documented"
    );
}

/// Every `$ref` in `value`.
fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value.as_str()) {
                    ("$ref", Some(target)) => found.push(target.to_owned()),
                    _ => refs(value, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reference_resolves_and_lists_are_arrays() {
    let server = Server::demo().await;
    let document = server.get("/api/openapi.json", None).await.json();
    let mut found = Vec::new();
    refs(&document, &mut found);
    assert!(!found.is_empty());
    for target in found {
        let name = target
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{target}"));
        assert!(
            document["components"]["schemas"][name].is_object(),
            "{target} is not in the document"
        );
    }
    for list in ["/api/coalitions", "/api/coalitions/{coalition}/commitments"] {
        let schema = &document["paths"][list]["get"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert_eq!(schema["type"], "array", "{list}: {schema}");
    }
}
