//! Noninterference, tested directly (issue 9; docs/threat-model.md): two records that differ only
//! in items a reader may not read look identical to that reader — every read in text and JSON,
//! the log, the bundle, the communiqué, the aggregates, a what-if, and every error of a write
//! that names a hidden item (in one record) or a missing one (in the other), byte for byte.
//!
//! Each case starts from the demo, makes a twin (a copy of the data directory), records random
//! items the reader may not read in one twin only, then records the same visible history in both
//! and compares everything the reader can get.

use crate::support::*;

/// A small deterministic generator (xorshift64*), so that a failing case can be replayed.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// A reader, and markings it may not read (with a principal allowed to record each).
struct Reader {
    /// `--as P` or `--public`.
    args: &'static [&'static str],
    /// The principal it acts as, if it may act.
    principal: Option<&'static str>,
    /// (classification, releasable to, the guarantor and the principal recording it).
    hidden: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

const READERS: [Reader; 3] = [
    Reader {
        args: &["--as", "meloni"],
        principal: Some("meloni"),
        hidden: &[
            ("SECRET", "FRA,GBR,UKR", "FRA", "macron"),
            ("CONFIDENTIAL", "GBR,UKR", "GBR", "starmer"),
            ("TOP SECRET", "FRA,GBR", "FRA", "secretariat"),
        ],
    },
    Reader {
        args: &["--as", "witkoff"],
        principal: Some("witkoff"),
        hidden: &[
            ("SECRET", "FRA,GBR,UKR", "FRA", "macron"),
            ("RESTRICTED", "DEU,UKR", "DEU", "merz"),
        ],
    },
    Reader {
        args: &["--public"],
        principal: None,
        hidden: &[
            ("UNCLASSIFIED", "", "POL", "tusk"),
            ("RESTRICTED", "", "GBR", "starmer"),
            ("SECRET", "FRA,GBR,UKR", "FRA", "macron"),
        ],
    },
];

/// Every read a reader can make, as arguments before the reader's own.
fn reads(incident: &str) -> Vec<Vec<String>> {
    let of = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    vec![
        of(&["members", DEMO]),
        of(&["principals", DEMO]),
        of(&["instruments", DEMO]),
        of(&["commitments", DEMO]),
        of(&["incidents", DEMO]),
        of(&["incident", "show", DEMO, incident]),
        of(&["obligations", DEMO]),
        of(&["obligations", DEMO, "--at", "2026-11-21T00:00:00Z"]),
        of(&["coverage", DEMO]),
        of(&["support", DEMO]),
        of(&["support", DEMO, "--csv"]),
        of(&["obligations", DEMO, "--format", "ics"]),
        of(&["statements", DEMO]),
        of(&["statement", "show", DEMO, "paris-declaration"]),
        of(&["statement", "status", DEMO, "paris-declaration"]),
        of(&["meetings", DEMO]),
        of(&["aggregates", DEMO]),
        of(&["log", "show", DEMO]),
        of(&["log", "checkpoint", DEMO]),
        of(&[
            "whatif",
            DEMO,
            "incident",
            "--aggressor",
            "RUS",
            "--target",
            "UKR",
            "--at",
            "2027-06-14T04:00:00Z",
        ]),
    ]
}

/// A commitment at `marking`, by `guarantor`, recorded by `principal`.
fn commitment(n: u64, hidden: (&str, &str, &str, &str)) -> Vec<String> {
    let (level, releasable, guarantor, principal) = hidden;
    let mut args: Vec<String> = [
        "commitment",
        "add",
        DEMO,
        "--guarantor",
        guarantor,
        "--category",
        "military",
        "--aggressor",
        "RUS",
        "--consult-within",
        "24h",
        "--discretion",
        "automatic",
        "--from",
        "2026-01-06",
        "--classification",
        level,
        "--as",
        principal,
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    args.extend(["--what".to_owned(), format!("hidden pledge {n}")]);
    if !releasable.is_empty() {
        args.extend(["--releasable-to".to_owned(), releasable.to_owned()]);
    }
    args
}

fn run_both(a: &Env, b: &Env, args: &[String]) {
    let (x, y) = (a.run(args), b.run(args));
    assert_eq!(x.code, Some(0), "{x:?}");
    assert_eq!(y.code, Some(0), "{y:?}");
}

/// The id a write printed.
fn created(env: &Env, args: &[String]) -> String {
    env.run(args).ok().trim().to_owned()
}

#[test]
fn two_records_that_differ_only_in_what_a_reader_may_not_read_look_the_same_to_it() {
    let mut compared = 0;
    for seed in [0x9E37_79B9_7F4A_7C15_u64, 0xD1B5_4A32_D192_ED03] {
        let mut draw = Draw(seed);
        for reader in &READERS {
            let plain = Env::demo();
            plain.ok(&CEASEFIRE);
            let hiding = Env::new();
            copy_tree(&plain.data_dir(), &hiding.data_dir());

            // Only in `hiding`: commitments the reader may not read, and an incident it may not
            // read, reported and confirmed by a principal who may read it (the monitoring
            // mechanism may not read every marking, so it does not verify it).
            let mut hidden_ids = Vec::new();
            for n in 0..=(draw.next() % 3) {
                let spec = *draw.pick(reader.hidden);
                hidden_ids.push(created(&hiding, &commitment(n, spec)));
            }
            let (level, releasable, _, reporter) = *draw.pick(reader.hidden);
            let mut report = vec![
                "incident",
                "report",
                DEMO,
                "--aggressor",
                "RUS",
                "--target",
                "UKR",
                "--at",
                "2026-11-20T01:00:00Z",
                "--location",
                "classified location",
                "--classification",
                level,
                "--as",
                reporter,
            ];
            if !releasable.is_empty() {
                report.extend(["--releasable-to", releasable]);
            }
            let report: Vec<String> = report.iter().map(|a| (*a).to_owned()).collect();
            let hidden_incident = created(&hiding, &report);
            hiding.ok(&[
                "incident",
                "confirm",
                DEMO,
                &hidden_incident,
                "--as",
                reporter,
            ]);

            // In both: the same visible history.
            let public_report: Vec<String> = crate::support::report(&["--location", "Odesa"])
                .iter()
                .map(|a| (*a).to_owned())
                .collect();
            let incident = created(&plain, &public_report);
            assert_eq!(
                created(&hiding, &public_report),
                incident,
                "the same id in both"
            );
            let confirm: Vec<String> = ["incident", "confirm", DEMO, &incident, "--as", "monitor"]
                .iter()
                .map(|a| (*a).to_string())
                .collect();
            run_both(&plain, &hiding, &confirm);
            // The public attack activates the hidden commitments too: obligations the reader may
            // not read, only in `hiding`.
            let ids = |env: &Env| -> Vec<String> {
                items(&env.json(&["obligations", DEMO]))
                    .iter()
                    .map(|o| o["id"].as_str().unwrap().to_owned())
                    .collect()
            };
            let visible = ids(&plain);
            let hidden_obligations: Vec<String> = ids(&hiding)
                .into_iter()
                .filter(|id| !visible.contains(id))
                .collect();
            assert!(
                !hidden_obligations.is_empty(),
                "seed {seed:#x}: the hidden commitments answered the attack"
            );

            // Every read, in text and JSON.
            for args in reads(&incident) {
                for json in [false, true] {
                    let mut all = args.clone();
                    all.extend(reader.args.iter().map(|a| (*a).to_owned()));
                    if json {
                        all.push("--json".to_owned());
                    }
                    let (x, y) = (plain.run(&all), hiding.run(&all));
                    assert_eq!(
                        (&x.code, &x.stdout, &x.stderr),
                        (&y.code, &y.stdout, &y.stderr),
                        "seed {seed:#x}, coalition {}: the reader tells the records apart",
                        x.args
                    );
                    compared += 1;
                }
            }
            // The reader's bundle, byte for byte.
            let bundle = |env: &Env| {
                let file = env.root().join("reader.bundle");
                let mut args = vec!["log", "export", DEMO, "--out", path(&file)];
                args.extend(reader.args);
                env.ok(&args);
                std::fs::read(file).unwrap()
            };
            assert_eq!(
                bundle(&plain),
                bundle(&hiding),
                "seed {seed:#x}: the bundles differ"
            );
            // Every file export (Akoma Ntoso, IATI, the support tables), byte for byte.
            for (name, export) in [
                (
                    "paris.akn.xml",
                    &[
                        "statement",
                        "export",
                        DEMO,
                        "paris-declaration",
                        "--format",
                        "akn",
                    ][..],
                ),
                (
                    "support.iati.xml",
                    &["support", "export", DEMO, "--format", "iati"][..],
                ),
                (
                    "support.csv",
                    &["support", "export", DEMO, "--format", "csv"][..],
                ),
                (
                    "support.xlsx",
                    &["support", "export", DEMO, "--format", "xlsx"][..],
                ),
            ] {
                let written = |env: &Env| {
                    let file = env.root().join(name);
                    let mut args = export.to_vec();
                    args.extend(["--out", path(&file)]);
                    args.extend(reader.args);
                    env.ok(&args);
                    std::fs::read(file).unwrap()
                };
                assert_eq!(
                    written(&plain),
                    written(&hiding),
                    "seed {seed:#x}: the {name} exports differ"
                );
            }
            // The open data, for the public.
            if reader.principal.is_none() {
                let files = |env: &Env| {
                    let dir = env.root().join("open-data");
                    env.ok(&[
                        "export",
                        DEMO,
                        "--public",
                        "--format",
                        "json",
                        "--out",
                        path(&dir),
                    ]);
                    let mut names: Vec<_> = std::fs::read_dir(&dir)
                        .unwrap()
                        .map(|e| e.unwrap().path())
                        .collect();
                    names.sort();
                    names
                        .iter()
                        .map(|p| (p.file_name().unwrap().to_owned(), std::fs::read(p).unwrap()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    files(&plain),
                    files(&hiding),
                    "seed {seed:#x}: the open data differ"
                );
            }
            // Writes naming a hidden item (in `hiding`) or a missing one (in `plain`) fail alike.
            if let Some(principal) = reader.principal {
                let named = hidden_ids
                    .iter()
                    .chain([&hidden_incident])
                    .chain(&hidden_obligations);
                for id in named {
                    for write in [
                        vec![
                            "commitment",
                            "withdraw",
                            DEMO,
                            id.as_str(),
                            "--reason",
                            "superseded",
                            "--as",
                            principal,
                        ],
                        vec![
                            "commitment",
                            "support",
                            DEMO,
                            id.as_str(),
                            "--stage",
                            "delivered",
                            "--quantity",
                            "1",
                            "--as",
                            principal,
                        ],
                        vec!["incident", "confirm", DEMO, id.as_str(), "--as", principal],
                        vec!["obligation", "fulfil", DEMO, id.as_str(), "--as", principal],
                    ] {
                        let (x, y) = (plain.run(&write), hiding.run(&write));
                        assert_eq!(
                            (&x.code, &x.stdout, &x.stderr),
                            (&y.code, &y.stdout, &y.stderr),
                            "seed {seed:#x}, coalition {}: a hidden id answers unlike a missing one",
                            x.args
                        );
                        compared += 1;
                    }
                }
            }
        }
    }
    eprintln!("{compared} outputs compared");
    assert!(compared > 200, "{compared}");
}
