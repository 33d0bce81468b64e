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

/// Puts the policy in `file` in force, as the secretariat.
pub(crate) fn set_policy(env: &Env, file: &std::path::Path) {
    env.ok(&[
        "witness",
        "policy",
        "set",
        DEMO,
        "--file",
        path(file),
        "--as",
        "secretariat",
    ]);
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
    set_policy(&env, &first);
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

/// A `coalition witness serve` child, killed when dropped.
pub(crate) struct Serving {
    child: std::process::Child,
    pub(crate) url: String,
}

impl Serving {
    pub(crate) fn start(env: &Env, state: &std::path::Path, log: &str, log_key: &str) -> Serving {
        Serving::at(env, state, log, log_key, "127.0.0.1:0")
    }

    /// Serves on a given address (a witness restarted where the policy says it is).
    pub(crate) fn at(
        env: &Env,
        state: &std::path::Path,
        log: &str,
        log_key: &str,
        addr: &str,
    ) -> Serving {
        use std::io::BufRead as _;
        let mut child = env
            .command()
            .args([
                "witness",
                "serve",
                "--log",
                log,
                "--log-key",
                log_key,
                "--addr",
                addr,
                "--state",
            ])
            .arg(state)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("witness serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut url = None;
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.expect("a line");
            if let Some(u) = line.strip_prefix("listening on ") {
                url = Some(u.to_owned());
            }
            if line == "ready" {
                break;
            }
        }
        Serving {
            child,
            url: url.expect("the witness printed its URL"),
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The demo's log key, as `log checkpoint --json` prints it.
pub(crate) fn log_key(env: &Env) -> String {
    env.json(&["log", "checkpoint", DEMO])["log_key"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn checkpoints_are_cosigned_by_running_witnesses_and_verification_requires_the_quorum() {
    let env = Env::demo();
    let key = log_key(&env);
    let (fr_state, fr) = witness(&env, "witness.fr/w");
    let (pl_state, pl) = witness(&env, "witness.pl/w");
    let fr_serving = Serving::start(&env, &fr_state, DEMO, &key);
    // Poland's witness is air-gapped: no URL, its cosignature comes by hand.
    let policy = policy_file(
        &env,
        "p.toml",
        2,
        &[("FRA", &fr, Some(&fr_serving.url)), ("POL", &pl, None)],
    );
    set_policy(&env, &policy);

    // Only France cosigned: the checkpoint is printed but not witnessed; verify refuses (exit 3).
    let run = env.run(&["log", "checkpoint", DEMO, "--out", "cp.txt"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stderr.contains("cosigned by 1 of the 2"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("\u{2014} witness.fr/w "),
        "{}",
        run.stdout
    );
    let stderr = env.fails(3, &["log", "verify", DEMO]);
    assert!(
        stderr.contains("not witnessed") && stderr.contains("witness.pl/w (POL)"),
        "{stderr}"
    );
    // Accepting fewer says plainly what was accepted.
    let accepted = env.ok(&["log", "verify", DEMO, "--min-witnesses", "1"]);
    assert!(accepted.contains("ACCEPTED BELOW QUORUM"), "{accepted}");
    env.ok(&["log", "export", DEMO, "--out", "one.bundle"]);
    let stderr = env.fails(3, &["log", "verify", "--bundle", "one.bundle"]);
    assert!(stderr.contains("not witnessed"), "{stderr}");

    // Poland's witness runs on another machine: it is shown the checkpoint there and its answer
    // is carried back by hand.
    let pl_serving = Serving::start(&env, &pl_state, DEMO, &key);
    let leaves_size = env.json(&["log", "consistency", DEMO, "--old-size", "0"])["new_size"]
        .as_u64()
        .unwrap();
    let note = std::fs::read_to_string(env.root().join("cp.txt")).unwrap();
    let answer = add_checkpoint(&pl_serving.url, &format!("old 0\n\n{note}"));
    assert_eq!(answer.0, 200, "{answer:?}");
    drop(pl_serving);
    let cosig = env.write("pl.cosig", &answer.1);
    let run = env.run(&["log", "checkpoint", DEMO, "--cosign-from", path(&cosig)]);
    assert!(run.stderr.contains("cosigned by 2 of the 2"), "{run:?}");
    let report = env.json(&["log", "verify", DEMO]);
    assert_eq!(report["witnesses"]["quorum_met"], true, "{report}");
    assert_eq!(
        report["witnesses"]["witnessed_size"].as_u64(),
        Some(leaves_size)
    );
    env.ok(&["log", "export", DEMO, "--out", "two.bundle"]);
    let bundle = env.json(&["log", "verify", "--bundle", "two.bundle"]);
    assert_eq!(
        bundle["witnesses"]["cosigned"].as_array().unwrap().len(),
        2,
        "{bundle}"
    );
    // A brought line that is not a cosignature is refused naming the file and line.
    let junk = env.write("junk.cosig", "\u{2014} witness.pl/w AAAA\n");
    let stderr = env.fails(
        2,
        &["log", "checkpoint", DEMO, "--cosign-from", path(&junk)],
    );
    assert!(stderr.contains("junk.cosig:1"), "{stderr}");
    let status = env.json(&["witness", "status", "--state", path(&fr_state)]);
    assert_eq!(status["logs"][0]["origin"], format!("coalition/{DEMO}"));
}

/// POSTs an add-checkpoint body; returns (status, body).
pub(crate) fn add_checkpoint(url: &str, body: &str) -> (u16, String) {
    try_add_checkpoint(url, body).expect("the witness answers")
}

/// [`add_checkpoint`], or the I/O error of a witness that is gone.
pub(crate) fn try_add_checkpoint(url: &str, body: &str) -> std::io::Result<(u16, String)> {
    use std::io::{Read as _, Write as _};
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address)?;
    write!(
        stream,
        "POST /add-checkpoint HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no HTTP status line"))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// A loopback address no one listens on yet.
fn free_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

#[test]
fn a_split_view_is_caught_neither_fork_verifies_and_the_witness_keeps_the_conflict() {
    let a = Env::demo();
    let key = log_key(&a);
    let (fr_state, fr) = witness(&a, "witness.fr/w");
    let (pl_state, pl) = witness(&a, "witness.pl/w");
    let (fr_addr, pl_addr) = (free_address(), free_address());
    let (fr_url, pl_url) = (format!("http://{fr_addr}"), format!("http://{pl_addr}"));
    let policy = policy_file(
        &a,
        "p.toml",
        2,
        &[("FRA", &fr, Some(&fr_url)), ("POL", &pl, Some(&pl_url))],
    );
    set_policy(&a, &policy);
    {
        let _fr = Serving::at(&a, &fr_state, DEMO, &key, &fr_addr);
        let _pl = Serving::at(&a, &pl_state, DEMO, &key, &pl_addr);
        a.ok(&["log", "checkpoint", DEMO]);
    }
    a.ok(&["log", "verify", DEMO]);

    // The custodian forks the log: a copy of the data directory, then different events.
    let b = Env::new();
    copy_tree(&a.data_dir(), &b.data_dir());
    a.ok(&report(&[
        "--kind",
        "armed-attack",
        "--location",
        "Kharkiv",
    ]));
    b.ok(&report(&["--kind", "armed-attack", "--location", "Odesa"]));

    // France is shown fork A, Poland fork B; each cosigns what it is shown first.
    {
        let _fr = Serving::at(&a, &fr_state, DEMO, &key, &fr_addr);
        let run = a.run(&["log", "checkpoint", DEMO, "--witness-timeout", "5"]);
        assert!(run.stderr.contains("cosigned by 1 of the 2"), "{run:?}");
    }
    {
        let _pl = Serving::at(&b, &pl_state, DEMO, &key, &pl_addr);
        let run = b.run(&["log", "checkpoint", DEMO, "--witness-timeout", "5"]);
        assert!(run.stderr.contains("cosigned by 1 of the 2"), "{run:?}");
    }
    // Shown the other fork, each honest witness refuses it.
    {
        let _fr = Serving::at(&b, &fr_state, DEMO, &key, &fr_addr);
        let _pl = Serving::at(&a, &pl_state, DEMO, &key, &pl_addr);
        let run = b.run(&["log", "checkpoint", DEMO]);
        assert!(
            run.stderr.contains("witness.fr/w: refused (422)"),
            "{run:?}"
        );
        let run = a.run(&["log", "checkpoint", DEMO]);
        assert!(
            run.stderr.contains("witness.pl/w: refused (422)"),
            "{run:?}"
        );
    }
    // With a quorum that needs both, neither branch verifies, in place or as a bundle.
    for env in [&a, &b] {
        let stderr = env.fails(3, &["log", "verify", DEMO]);
        assert!(stderr.contains("not witnessed"), "{stderr}");
        env.ok(&["log", "export", DEMO, "--out", "fork.bundle"]);
        let stderr = env.fails(3, &["log", "verify", "--bundle", "fork.bundle"]);
        assert!(stderr.contains("not witnessed"), "{stderr}");
    }
    // Each witness's evidence holds both conflicting checkpoints, signed by the log.
    let (size, _) = a.head(DEMO);
    let root_of = |env: &Env| {
        env.json(&["log", "consistency", DEMO, "--old-size", "0"])["new_root"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let roots = [root_of(&a), root_of(&b)];
    assert_ne!(roots[0], roots[1]);
    for state in [&fr_state, &pl_state] {
        let status = a.json(&["witness", "status", "--state", path(state)]);
        let evidence = status["evidence"].as_array().unwrap();
        assert_eq!(evidence.len(), 1, "{status}");
        let text = std::fs::read_to_string(evidence[0].as_str().unwrap()).unwrap();
        assert_eq!(
            text.matches(&format!("coalition/{DEMO}\n{size}\n")).count(),
            2,
            "{text}"
        );
    }
}
