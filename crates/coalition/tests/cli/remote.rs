//! The CLI against a server (`--server`, `--token`): the README's walk-through gives the same
//! answers through `serve --demo` as on a data directory; bad input and refused writes exit 2
//! with nothing written; `log verify --server` pins per server and catches a rewritten log;
//! pins are kept per source, so a fresh demo elsewhere is not taken for a rewrite.

use serde_json::Value;

use crate::support::{DEMO, Env, Serving, copy_tree, items};

/// A command against `serving` as `principal` (its demo token): the same arguments with
/// `--server URL --token TOKEN` added.
fn through(serving: &Serving, principal: &str, args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    all.extend(["--server".into(), serving.url()]);
    if principal != "public" {
        all.extend(["--token".into(), serving.token(principal)]);
    }
    all
}

/// The walk-through's steps, each with the principal it runs as (`--as`, and remotely that
/// principal's token); `{INC}` and `{OB}` are filled in from earlier answers.
const WALK: &[(&str, &[&str])] = &[
    ("secretariat", &["coverage", DEMO, "--as", "secretariat"]),
    (
        "secretariat",
        &[
            "ceasefire",
            DEMO,
            "--in-force-from",
            "2026-03-01T00:00:00Z",
            "--as",
            "secretariat",
        ],
    ),
    ("secretariat", &["coverage", DEMO, "--as", "secretariat"]),
    (
        "zelenskyy",
        &[
            "incident",
            "report",
            DEMO,
            "--aggressor",
            "RUS",
            "--target",
            "UKR",
            "--kind",
            "armed-attack",
            "--at",
            "2026-11-20T03:40:00Z",
            "--location",
            "Kharkiv oblast",
            "--as",
            "zelenskyy",
        ],
    ),
    (
        "monitor",
        &["incident", "confirm", DEMO, "{INC}", "--as", "monitor"],
    ),
    ("secretariat", &["obligations", DEMO, "--as", "secretariat"]),
    (
        "zelenskyy",
        &[
            "consultations",
            "request",
            DEMO,
            "--by",
            "UKR",
            "--with",
            "GBR",
            "--at",
            "2026-11-20T06:00:00Z",
            "--as",
            "zelenskyy",
        ],
    ),
    (
        "starmer",
        &[
            "obligation",
            "fulfil",
            DEMO,
            "{OB}",
            "--report",
            "consultations held in London",
            "--as",
            "starmer",
        ],
    ),
    ("meloni", &["obligations", DEMO, "--as", "meloni"]),
    (
        "secretariat",
        &[
            "statement",
            "status",
            DEMO,
            "paris-declaration",
            "--as",
            "secretariat",
        ],
    ),
    (
        "public",
        &["communique", DEMO, "--meeting", "paris-summit-2026-01-06"],
    ),
    (
        "public",
        &["commitments", DEMO, "--public", "--guarantor", "GBR"],
    ),
    (
        "meloni",
        &[
            "incident", "show", DEMO, "{INC}", "--as", "meloni", "--json",
        ],
    ),
    // Beyond the walk-through: every other read, as someone who may read it.
    (
        "meloni",
        &[
            "commitments",
            DEMO,
            "--as",
            "meloni",
            "--in-force-at",
            "2030-01-01T00:00:00Z",
        ],
    ),
    (
        "starmer",
        &[
            "commitment",
            "show",
            DEMO,
            "gbr-2024-consult",
            "--as",
            "starmer",
        ],
    ),
    ("public", &["members", DEMO, "--public"]),
    ("secretariat", &["principals", DEMO, "--as", "secretariat"]),
    (
        "secretariat",
        &["instruments", DEMO, "--as", "secretariat", "--json"],
    ),
    ("secretariat", &["incidents", DEMO, "--as", "secretariat"]),
    (
        "starmer",
        &["obligations", DEMO, "--as", "starmer", "--format", "ics"],
    ),
    ("secretariat", &["support", DEMO, "--as", "secretariat"]),
    ("public", &["statements", DEMO, "--public"]),
    (
        "secretariat",
        &[
            "statement",
            "show",
            DEMO,
            "paris-declaration",
            "--as",
            "secretariat",
        ],
    ),
    (
        "public",
        &[
            "statement",
            "diff",
            DEMO,
            "paris-declaration",
            "1",
            "2",
            "--public",
        ],
    ),
    ("public", &["meetings", DEMO, "--public"]),
    ("secretariat", &["aggregates", DEMO, "--as", "secretariat"]),
    (
        "starmer",
        &[
            "whatif",
            DEMO,
            "incident",
            "--aggressor",
            "RUS",
            "--target",
            "UKR",
            "--at",
            "2027-06-14T04:00:00Z",
            "--request",
            "GBR@2027-06-14T12:00:00Z",
            "--as",
            "starmer",
        ],
    ),
    (
        "secretariat",
        &[
            "coverage",
            DEMO,
            "--as",
            "secretariat",
            "--as-of",
            "2026-11-20T12:00:00Z",
            "--json",
        ],
    ),
];

/// Runs the walk-through, locally (`serving` none) or through the server, and returns every
/// step's exit code and output.
fn walk(env: &Env, serving: Option<&Serving>) -> Vec<(Option<i32>, String)> {
    let (mut incident, mut obligation) = (String::new(), String::new());
    let mut answers = Vec::new();
    for (principal, step) in WALK {
        let step: Vec<String> = step
            .iter()
            .map(|a| a.replace("{INC}", &incident).replace("{OB}", &obligation))
            .collect();
        let step: Vec<&str> = step.iter().map(String::as_str).collect();
        let args = match serving {
            Some(serving) => through(serving, principal, &step),
            None => step.iter().map(|a| (*a).to_owned()).collect(),
        };
        let run = env.run(&args);
        if step[..2] == ["incident", "report"] {
            incident = run.stdout.trim().to_owned();
        }
        if step[..2] == ["incident", "confirm"] {
            // Britain's consultation under gbr-2024-consult, as the README names it.
            let list = ["obligations", DEMO, "--json", "--as", "monitor"];
            let list = match serving {
                Some(serving) => through(serving, "monitor", &list),
                None => list.iter().map(|a| (*a).to_owned()).collect(),
            };
            let listed: Value = serde_json::from_str(&env.run(&list).stdout).expect("JSON");
            obligation = items(&listed)
                .iter()
                .find(|o| o["commitment"] == "gbr-2024-consult")
                .and_then(|o| o["id"].as_str())
                .expect("Britain's consultation")
                .to_owned();
        }
        let answer = format!("$ {}\n{}{}", step.join(" "), run.stdout, run.stderr);
        answers.push((run.code, without_positions(&without_hashes(&answer))));
    }
    answers
}

/// The text with each log position (`#N`) blanked: `serve --demo` records the tokens it
/// issues (`token_issued`), so the server's log holds more entries than a plain demo's.
fn without_positions(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..=at]);
        let after = &rest[at + 1..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str("<seq>");
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// The text with every 64-hex-digit hash blanked: two demos salt their statements' leaves
/// differently, whichever front end shows them.
fn without_hashes(text: &str) -> String {
    let (mut out, mut run) = (String::new(), String::new());
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        out.push_str(if run.len() == 64 { "<hash>" } else { &run });
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

#[test]
fn the_readme_walk_through_gives_the_same_answers_through_the_server() {
    let local = Env::demo();
    let answers_here = walk(&local, None);
    let env = Env::new();
    let serving = Serving::start(&env, &["--demo"]);
    let answers_there = walk(&env, Some(&serving));
    for ((code_here, here), (code_there, there)) in answers_here.iter().zip(&answers_there) {
        assert_eq!(code_here, &Some(0), "{here}");
        assert_eq!((code_there, there), (code_here, here));
    }
    // The steps did something: an incident was reported and Britain's obligation fulfilled.
    assert!(
        answers_there[3].1.contains("INC-"),
        "{}",
        answers_there[3].1
    );
    assert!(
        answers_there[8].1.contains("fulfilled"),
        "{}",
        answers_there[8].1
    );
}

/// The log as the secretariat sees it through the server: what a refused write must not change.
fn log_through(env: &Env, serving: &Serving) -> String {
    env.ok(
        &through(serving, "secretariat", &["log", "show", DEMO, "--json"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
}

#[test]
fn bad_input_and_refused_writes_through_the_server_exit_2_and_write_nothing() {
    let env = Env::new();
    let serving = Serving::start(&env, &["--demo"]);
    let before = log_through(&env, &serving);
    let cases: &[(&str, &[&str], &str)] = &[
        // A rule refuses: Italy's leader may not record a ceasefire.
        (
            "meloni",
            &[
                "ceasefire",
                DEMO,
                "--in-force-from",
                "2026-03-01T00:00:00Z",
                "--as",
                "meloni",
            ],
            "refused:",
        ),
        // Another principal's token: refused before anything is sent.
        (
            "zelenskyy",
            &[
                "ceasefire",
                DEMO,
                "--in-force-from",
                "2026-03-01T00:00:00Z",
                "--as",
                "secretariat",
            ],
            "--as: the token given is zelenskyy's",
        ),
        // An unknown item.
        (
            "monitor",
            &[
                "incident",
                "confirm",
                DEMO,
                "INC-AAAAAAAA",
                "--as",
                "monitor",
            ],
            "INC-AAAAAAAA",
        ),
        // A bad time, named as the flag it came from.
        (
            "secretariat",
            &["commitments", DEMO, "--as-of", "1990-01-01"],
            "--as-of:",
        ),
        // What only a data directory can do.
        ("secretariat", &["demo"], "works on a data directory"),
        // A write as the public.
        (
            "public",
            &[
                "ceasefire",
                DEMO,
                "--in-force-from",
                "2026-03-01T00:00:00Z",
                "--as",
                "secretariat",
            ],
            "needs its own token",
        ),
    ];
    for (principal, args, message) in cases {
        let run = env.run(&through(&serving, principal, args));
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    // The same bad time gives the same message as on a data directory.
    let here = Env::demo().fails(2, &["commitments", DEMO, "--as-of", "1990-01-01"]);
    let there = env.run(&through(
        &serving,
        "secretariat",
        &["commitments", DEMO, "--as-of", "1990-01-01"],
    ));
    assert_eq!(there.stderr, here);
    assert_eq!(
        log_through(&env, &serving),
        before,
        "a refused request wrote nothing"
    );
    // A server that is not there, or not plain http, is said so.
    let gone = env.run(&["coverage", DEMO, "--server", "http://127.0.0.1:9"]);
    assert_eq!(gone.code, Some(1), "{gone:?}");
    assert!(gone.stderr.contains("cannot reach"), "{}", gone.stderr);
    env.fails(2, &["coverage", DEMO, "--server", "https://example.org"]);
}

/// A free loopback port (a server restarted on it is the same source).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

#[test]
fn verify_through_the_server_pins_it_and_catches_a_rewritten_log() {
    let env = Env::demo();
    let token = env
        .ok(&["token", "issue", DEMO, "secretariat"])
        .trim()
        .to_owned();
    let snapshot = env.root().join("snapshot");
    copy_tree(&env.data_dir(), &snapshot);
    let addr = format!("127.0.0.1:{}", free_port());
    let url = format!("http://{addr}");
    let ceasefire = |from: &str| {
        env.ok(&[
            "ceasefire",
            DEMO,
            "--in-force-from",
            from,
            "--as",
            "secretariat",
            "--server",
            &url,
            "--token",
            &token,
        ]);
    };

    let serving = Serving::start_at(&env, &addr, &[]);
    // First contact: the public log's entries verified and its checkpoint pinned.
    let first = env.json(&["log", "verify", DEMO, "--server", &url]);
    assert_eq!(first["coalition"], "paris-2026.AUDIENCE.public");
    assert!(first["approvals_verified"].as_u64() > Some(0), "{first}");
    ceasefire("2026-03-01T00:00:00Z");
    // Then only the checkpoint, a consistency proof and the hash tiles are asked.
    let second = env.json(&["log", "verify", DEMO, "--server", &url]);
    assert_eq!(second["consistent_with_size"], first["events"]);
    assert_eq!(
        second["events"].as_u64(),
        first["events"].as_u64().map(|n| n + 1)
    );
    // With a token, the secretariat's own log and every entry in it.
    let mine = env.json(&["log", "verify", DEMO, "--server", &url, "--token", &token]);
    assert_eq!(mine["verified"], true, "{mine}");
    assert_ne!(mine["coalition"], first["coalition"]);
    serving.terminate();

    // The server's record is put back as it was before the ceasefire and another one recorded
    // instead: the same size, another history.
    std::fs::remove_dir_all(env.data_dir()).expect("remove");
    copy_tree(&snapshot, &env.data_dir());
    let serving = Serving::start_at(&env, &addr, &[]);
    ceasefire("2026-04-01T00:00:00Z");
    for args in [vec![], vec!["--token", token.as_str()]] {
        let mut verify = vec!["log", "verify", DEMO, "--server", &url];
        verify.extend(args);
        let stderr = env.fails(3, &verify);
        assert!(stderr.contains("rewritten or forked"), "{stderr}");
    }
    drop(serving);
}

#[test]
fn pins_are_kept_per_source_so_a_fresh_demo_is_not_a_rewrite() {
    let first = Env::demo();
    first.ok(&["log", "verify", DEMO]);
    // Another data directory on the same machine (the same trust directory), with its own demo.
    let mut second = Env::new();
    second.trust = first.trust_dir();
    second.ok(&["demo"]);
    second.ok(&["log", "verify", DEMO]);
    first.ok(&["log", "verify", DEMO]);
    // A real replacement under the same data directory is still caught, with the same message.
    std::fs::copy(second.database(), first.database()).expect("copy");
    let stderr = first.fails(3, &["log", "verify", DEMO]);
    assert!(stderr.contains("not a key this log registered"), "{stderr}");
    let listed = std::fs::read_dir(first.trust_dir())
        .expect("trust dir")
        .count();
    assert_eq!(listed, 2, "one pin directory per data directory");
}

/// `GET path` without a token: (status, body bytes).
fn public_get(addr: &str, path: &str) -> (u16, Vec<u8>) {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("an answer");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, response[split + 4..].to_vec())
}

#[test]
fn publish_writes_what_the_servers_public_routes_serve_byte_for_byte() {
    let env = Env::demo();
    let site = env.root().join("site");
    let published = env.json(&["publish", DEMO, "--out", crate::support::path(&site)]);
    let files: Vec<&str> = published["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f.as_str().expect("a path"))
        .collect();
    for expected in [
        "communique",
        "members",
        "coverage",
        "tlog/checkpoint",
        "tlog/tile/0/000.p/",
        "open-data/json/manifest.json",
    ] {
        assert!(
            files.iter().any(|f| f.contains(expected)),
            "{expected} in {files:?}"
        );
    }
    let serving = Serving::start(&env, &[]);
    for file in &files {
        let written = std::fs::read(site.join(file)).expect("written");
        let (status, served) = public_get(&serving.addr, &format!("/{file}"));
        assert_eq!(status, 200, "{file}");
        assert!(served == written, "{file}: the server gives other bytes");
    }
    // Nothing secret is published: the public log's checkpoint, and no classified marking.
    let checkpoint =
        std::fs::read_to_string(site.join(format!("api/coalitions/{DEMO}/tlog/checkpoint")))
            .expect("the checkpoint");
    assert!(
        checkpoint.starts_with(&format!("coalition/{DEMO}.AUDIENCE.public\n")),
        "{checkpoint}"
    );
    for file in files.iter().filter(|f| !f.contains("/tlog/tile/")) {
        let text = std::fs::read_to_string(site.join(file)).expect("text");
        assert!(
            !text.contains("\"SECRET\"") && !text.contains("CONFIDENTIAL"),
            "{file}"
        );
    }
    // And what the server serves, the same bytes as the copy, verifies from this machine.
    let verified = env.json(&["log", "verify", DEMO, "--server", &serving.url()]);
    assert_eq!(verified["verified"], true);
}

#[test]
fn statement_approve_through_the_server_signs_here_with_the_signers_key() {
    let env = Env::new();
    let serving = Serving::start(&env, &["--demo"]);
    // The demo's leaders' keys, written where `serve --demo` keeps its data.
    let keys = serving
        .banner
        .iter()
        .find_map(|line| line.strip_prefix("demo data in "))
        .and_then(|rest| rest.split(' ').next())
        .map(|dir| std::path::Path::new(dir).join("demo-keys"))
        .expect("the demo's directory");
    let key = |who: &str| keys.join(format!("DEMO-{who}.pem")).display().to_string();
    let draft = env.write(
        "arctic.md",
        "(PUBLIC) We, the leaders, agree on the Arctic.\n",
    );
    let run = |who: &str, args: &[&str]| env.run(&through(&serving, who, args));
    let drafted = run(
        "secretariat",
        &[
            "statement",
            "draft",
            DEMO,
            "--id",
            "arctic",
            "--title",
            "On the Arctic",
            "--signatories",
            "FRA,GBR",
            "--from",
            crate::support::path(&draft),
            "--as",
            "secretariat",
        ],
    );
    assert_eq!(drafted.code, Some(0), "{drafted:?}");
    let approve = |who: &str, with: &str| {
        run(
            who,
            &[
                "statement",
                "approve",
                DEMO,
                "arctic",
                "--version",
                "1",
                "--key",
                &key(with),
                "--as",
                who,
            ],
        )
    };
    let before = log_through(&env, &serving);
    // Another leader's key is refused here, before anything is sent.
    let wrong = approve("starmer", "macron");
    assert_eq!(wrong.code, Some(2), "{wrong:?}");
    assert!(
        wrong
            .stderr
            .contains("is not the key registered for starmer"),
        "{}",
        wrong.stderr
    );
    assert_eq!(log_through(&env, &serving), before);
    let macron = approve("macron", "macron");
    assert!(macron.stdout.contains("signature verified"), "{macron:?}");
    let starmer = approve("starmer", "starmer");
    assert!(
        starmer.stdout.contains("arctic adopted (version 1)"),
        "{starmer:?}"
    );
}

#[test]
fn open_data_through_the_server_is_the_files_a_data_directory_writes() {
    let env = Env::demo();
    let serving = Serving::start(&env, &[]);
    for format in ["json", "csv"] {
        let here = env.root().join(format!("here-{format}"));
        let there = env.root().join(format!("there-{format}"));
        let args = |out: &std::path::Path| {
            vec![
                "export".to_owned(),
                DEMO.into(),
                "--public".into(),
                "--format".into(),
                format.into(),
                "--out".into(),
                crate::support::path(out).into(),
            ]
        };
        let local = env.run(&args(&here));
        let mut remote = args(&there);
        remote.extend(["--server".into(), serving.url()]);
        let remote = env.run(&remote);
        assert_eq!(local.code, Some(0), "{local:?}");
        assert_eq!(remote.code, Some(0), "{remote:?}");
        let listing = |dir: &std::path::Path| {
            let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
                .expect("written")
                .map(|e| {
                    let path = e.expect("an entry").path();
                    let name = path
                        .file_name()
                        .expect("a name")
                        .to_string_lossy()
                        .into_owned();
                    (name, std::fs::read(&path).expect("bytes"))
                })
                .collect();
            files.sort();
            files
        };
        assert!(listing(&here).len() > 1);
        assert!(
            listing(&here) == listing(&there),
            "{format}: other files through the server"
        );
    }
    // Open data through the server is the public's: another reader is refused, nothing written.
    let out = env.root().join("as-meloni");
    let run = env.run(&[
        "export",
        DEMO,
        "--as",
        "meloni",
        "--format",
        "json",
        "--out",
        crate::support::path(&out),
        "--server",
        &serving.url(),
    ]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(!out.exists());
}
