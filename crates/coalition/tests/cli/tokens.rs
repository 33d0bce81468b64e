//! `token issue` and `token revoke` are recorded on the log — who was given access, when, and
//! the SHA-256 of the exact credential, never the token — each at the principal's own marking.

use serde_json::Value;

use crate::support::{Env, scenario_text};

const PARIS: &str = "paris-2026";

/// The Paris scenario with one principal whose own record is SECRET, releasable to France.
fn env_with_a_secret_principal() -> Env {
    let env = Env::new();
    let scenario = format!(
        "{}\n[[principals]]\nid = \"dgse-liaison\"\nname = \"DGSE liaison\"\nparty = \"FRA\"\n\
         role = \"envoy\"\nclearance = \"SECRET\"\nclassification = \"SECRET\"\n\
         releasable_to = [\"FRA\"]\n",
        scenario_text()
    );
    let path = env.write("paris.toml", &scenario);
    env.ok(&["import", path.to_str().expect("a path")]);
    env
}

/// The entries of `kind` in a log.
fn of_kind<'a>(log: &'a Value, kind: &str) -> Vec<&'a Value> {
    log.as_array()
        .expect("entries")
        .iter()
        .filter(|entry| entry["kind"] == kind)
        .collect()
}

#[test]
fn issuing_and_revoking_are_on_the_log_without_the_secret() {
    let env = env_with_a_secret_principal();
    let token = env
        .ok(&[
            "token",
            "issue",
            PARIS,
            "macron",
            "--label",
            "Élysée scripts",
        ])
        .trim()
        .to_owned();
    let listed = env.json(&["token", "list", PARIS]);
    let id = listed[0]["id"].as_str().expect("an id").to_owned();
    let log = env.json(&["log", "show", PARIS]);
    let issued = of_kind(&log, "token_issued");
    assert_eq!(issued.len(), 1, "{log}");
    let event = &issued[0]["payload"]["payload"];
    assert_eq!(event["token"], id.as_str());
    assert_eq!(event["principal"], "macron");
    assert_eq!(event["label"], "Élysée scripts");
    // The hash the record names is the one the token store checks against.
    let stored: Value = serde_json::from_str(
        &std::fs::read_to_string(env.data_dir().join("tokens.json")).expect("tokens.json"),
    )
    .expect("JSON");
    assert_eq!(event["sha256"], stored[0]["sha256"], "{event}");
    assert!(
        !log.to_string().contains(&token),
        "the secret is on the log"
    );

    env.ok(&["token", "revoke", PARIS, &id]);
    let log = env.json(&["log", "show", PARIS]);
    let revoked = of_kind(&log, "token_revoked");
    assert_eq!(revoked.len(), 1, "{log}");
    assert_eq!(revoked[0]["payload"]["payload"]["token"], id.as_str());
    // A second revocation changes nothing, on the log or in the store.
    let head = env.head(PARIS);
    env.ok(&["token", "revoke", PARIS, &id]);
    assert_eq!(env.head(PARIS), head);
    // `token list` shows what it showed before, now with the revocation.
    let listed = env.json(&["token", "list", PARIS]);
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(listed[0]["revoked_at"].is_string(), "{listed}");
    assert!(listed[0].get("sha256").is_none(), "{listed}");
    env.ok(&["log", "verify", PARIS]);
}

#[test]
fn a_secret_principals_tokens_are_seen_only_by_who_may_read_it() {
    let env = env_with_a_secret_principal();
    env.ok(&["token", "issue", PARIS, "dgse-liaison"]);
    let listed = env.json(&["token", "list", PARIS]);
    let id = listed[0]["id"].as_str().expect("an id").to_owned();
    for reader in [vec!["--public"], vec!["--as", "meloni"]] {
        let mut args = vec!["log", "show", PARIS];
        args.extend(reader.iter().copied());
        let log = env.json(&args);
        assert!(
            of_kind(&log, "token_issued").is_empty(),
            "{reader:?} sees a SECRET principal's token: {log}"
        );
        assert!(!log.to_string().contains(&id), "{reader:?}");
    }
    let log = env.json(&["log", "show", PARIS, "--as", "macron"]);
    assert_eq!(of_kind(&log, "token_issued").len(), 1, "{log}");
}

#[test]
fn a_token_for_no_principal_writes_nothing() {
    let env = Env::demo();
    let head = env.head(PARIS);
    let stderr = env.fails(2, &["token", "issue", PARIS, "nobody"]);
    assert!(stderr.contains("nobody"), "{stderr}");
    assert_eq!(env.head(PARIS), head);
    assert!(
        env.json(&["token", "list", PARIS])
            .as_array()
            .expect("a list")
            .is_empty()
    );
}
