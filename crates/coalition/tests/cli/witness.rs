//! Witnesses end to end: the policy in the record (set, shown, changed only with the witness
//! states' approval, bad input refused naming the field with nothing written), witnesses run
//! as processes, cosignatures gathered by `log checkpoint`, and verification that refuses a
//! checkpoint without its quorum.

use crate::support::*;

/// Makes a witness in the test's directory; returns its state dir and verifier key.
pub(crate) fn witness(env: &Env, name: &str) -> (std::path::PathBuf, String) {
    let state = env
        .root()
        .join(format!("witness-{}", name.replace('/', "_")));
    let key = env.ok(&["witness", "init", "--state", path(&state), "--name", name]);
    (state, key.trim().to_owned())
}

/// A policy file naming each (party, key, url) with a quorum.
pub(crate) fn policy_file(
    env: &Env,
    file: &str,
    quorum: u32,
    witnesses: &[(&str, &str, Option<&str>)],
) -> std::path::PathBuf {
    let mut text = format!("quorum = {quorum}\n");
    for (party, key, url) in witnesses {
        text.push_str(&format!(
            "\n[[witnesses]]\nparty = \"{party}\"\nkey = \"{key}\"\n"
        ));
        if let Some(url) = url {
            text.push_str(&format!("url = \"{url}\"\n"));
        }
    }
    env.write(file, &text)
}

#[test]
fn the_policy_is_set_shown_and_changed_only_with_the_witness_states_approval() {
    let env = Env::demo();
    let (_, fr) = witness(&env, "witness.fr/w");
    let (_, pl) = witness(&env, "witness.pl/w");
    let (_, de) = witness(&env, "witness.de/w");
    let none = env.json(&["witness", "policy", "show", DEMO]);
    assert_eq!(none["version"], serde_json::Value::Null);

    // Bad input names the field and the line, and writes nothing.
    let before = env.head(DEMO);
    let bad = policy_file(
        &env,
        "bad.toml",
        3,
        &[("FRA", &fr, None), ("POL", &pl, None)],
    );
    let stderr = env.fails(
        2,
        &[
            "witness",
            "policy",
            "set",
            DEMO,
            "--file",
            path(&bad),
            "--as",
            "secretariat",
        ],
    );
    assert!(
        stderr.contains("bad.toml:1") && stderr.contains("quorum"),
        "{stderr}"
    );
    let bad_key = policy_file(&env, "badkey.toml", 1, &[("FRA", "not-a-key", None)]);
    let stderr = env.fails(
        2,
        &[
            "witness",
            "policy",
            "set",
            DEMO,
            "--file",
            path(&bad_key),
            "--as",
            "secretariat",
        ],
    );
    assert!(stderr.contains("witnesses[0].key"), "{stderr}");
    let stderr = env.fails(
        2,
        &[
            "witness",
            "policy",
            "set",
            DEMO,
            "--file",
            "missing.toml",
            "--as",
            "secretariat",
        ],
    );
    assert!(stderr.contains("--file"), "{stderr}");
    assert_eq!(env.head(DEMO), before, "a refused policy writes nothing");

    let first = policy_file(
        &env,
        "p1.toml",
        2,
        &[("FRA", &fr, None), ("POL", &pl, None)],
    );
    env.ok(&[
        "witness",
        "policy",
        "set",
        DEMO,
        "--file",
        path(&first),
        "--as",
        "secretariat",
    ]);
    let shown = env.json(&["witness", "policy", "show", DEMO, "--public"]);
    assert_eq!(
        (shown["version"].as_u64(), shown["quorum"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(shown["witnesses"][0]["key"], fr.as_str());

    // A change without the witness states' approval is refused, and writes nothing.
    let second = policy_file(&env, "p2.toml", 1, &[("DEU", &de, None)]);
    let before = env.head(DEMO);
    let stderr = env.fails(
        2,
        &[
            "witness",
            "policy",
            "set",
            DEMO,
            "--file",
            path(&second),
            "--as",
            "secretariat",
        ],
    );
    assert!(stderr.contains("approvals"), "{stderr}");
    assert_eq!(env.head(DEMO), before);
    // France's and Poland's leaders approve with their own keys; then it is in force.
    let mut approvals = Vec::new();
    for leader in ["macron", "tusk"] {
        let key = env.root().join(format!("{leader}.pem"));
        let public = env.ok(&["key", "generate", "--out", path(&key), "--no-passphrase"]);
        env.ok(&[
            "principal",
            "rotate-key",
            DEMO,
            leader,
            "--public-key",
            public.trim(),
            "--as",
            "secretariat",
        ]);
        let out = env.root().join(format!("{leader}.approval"));
        env.ok(&[
            "witness",
            "policy",
            "approve",
            DEMO,
            "--file",
            path(&second),
            "--key",
            path(&key),
            "--as",
            leader,
            "--out",
            path(&out),
        ]);
        approvals.push(out);
    }
    let mut args = vec![
        "witness",
        "policy",
        "set",
        DEMO,
        "--file",
        path(&second),
        "--as",
        "secretariat",
    ];
    for a in &approvals {
        args.extend(["--approval", path(a)]);
    }
    env.ok(&args);
    let shown = env.json(&["witness", "policy", "show", DEMO]);
    assert_eq!(shown["version"].as_u64(), Some(2));
    // The log, with its policy change and approvals, still verifies (the audit re-checks them).
    let verified = env.json(&["log", "verify", DEMO, "--min-witnesses", "0"]);
    assert_eq!(verified["verified"], true);
}
