//! Bad input exits 2 with a message that names the file and line, or the flag, and writes
//! nothing: the log's head is the same afterwards.

use crate::support::*;

/// The Paris scenario as a new coalition `bad-copy`, so that only the defect stops the import.
pub(crate) fn copy() -> String {
    let text = scenario_text();
    assert!(text.contains("\nid = \"paris-2026\"\n"));
    text.replacen("\nid = \"paris-2026\"\n", "\nid = \"bad-copy\"\n", 1)
}

/// The 1-based number of the first line containing `needle`.
pub(crate) fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in the scenario"))
        + 1
}

/// The 1-based number of the last line before `line` that starts with `prefix`.
pub(crate) fn header_before(text: &str, line: usize, prefix: &str) -> usize {
    text.lines()
        .take(line)
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.starts_with(prefix))
        .expect("a table header")
        + 1
}

/// Imports `text` as `bad.toml` into a data directory holding the demo; it must exit 2 with a
/// message starting `bad.toml:LINE:` for a LINE in `lines`, change neither the demo's log nor
/// the list of coalitions, and return the message.
pub(crate) fn import_fails(text: &str, lines: std::ops::RangeInclusive<usize>) -> String {
    let env = Env::demo();
    let before = (env.head(DEMO), env.json(&["coalitions"]));
    let file = env.write("bad.toml", text);
    let stderr = env.fails(2, &["import", file.to_str().unwrap()]);
    let located = stderr
        .split_once("bad.toml:")
        .and_then(|(_, rest)| rest.split(':').next())
        .and_then(|line| line.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no bad.toml:LINE in {stderr}"));
    assert!(
        lines.contains(&located),
        "line {located} reported, expected {lines:?}: {stderr}"
    );
    assert_eq!(
        (env.head(DEMO), env.json(&["coalitions"])),
        before,
        "a refused import writes nothing"
    );
    stderr
}

#[test]
fn the_unchanged_copy_imports_so_each_defect_below_is_what_fails() {
    let env = Env::new();
    let file = env.write("good.toml", &copy());
    env.ok(&["import", file.to_str().unwrap()]);
    assert!(has(&env.json(&["coalitions"]), "id", "bad-copy"));
}

#[test]
fn malformed_toml_is_refused_with_its_line() {
    let text = copy();
    let line = line_of(&text, "role = \"protected-state\"");
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line {
                "role = \"protected-state".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect();
    import_fails(&(broken.join("\n") + "\n"), line..=line);
}

#[test]
fn an_unknown_party_code_in_a_scenario_is_refused_with_its_line() {
    let text = copy();
    let line = line_of(&text, "parties = [\"AUT\", \"TUR\"");
    let bad = text.replacen(
        "parties = [\"AUT\", \"TUR\"",
        "parties = [\"AUT\", \"XTR\"",
        1,
    );
    let stderr = import_fails(&bad, line..=line);
    assert!(stderr.contains("XTR"), "{stderr}");
}

#[test]
fn until_before_from_in_a_scenario_is_refused_with_its_line() {
    let text = copy();
    let until = line_of(&text, "until = \"2025-03-31\"");
    let bad = text.replacen(
        "until = \"2025-03-31\"",
        "from = \"2025-06-01\"\nuntil = \"2025-03-31\"",
        1,
    );
    let header = header_before(&bad, until, "[[commitments]]");
    let stderr = import_fails(&bad, header..=until + 1);
    assert!(
        stderr.contains("2025-03-31") && stderr.contains("2025-06-01"),
        "{stderr}"
    );
}

#[test]
fn a_duplicate_id_in_a_scenario_is_refused_with_its_line() {
    let text = copy();
    let second = line_of(&text, "id = \"fra-2024-consult\"");
    let bad = text.replacen("id = \"fra-2024-consult\"", "id = \"gbr-2024-consult\"", 1);
    let header = header_before(&bad, second, "[[commitments]]");
    let stderr = import_fails(&bad, header..=second);
    assert!(stderr.contains("gbr-2024-consult"), "{stderr}");
}

#[test]
fn a_second_import_of_an_existing_coalition_is_refused() {
    let env = Env::demo();
    let before = env.head(DEMO);
    let file = env.write("paris.toml", &scenario_text());
    let stderr = env.fails(2, &["import", file.to_str().unwrap()]);
    assert!(stderr.contains("paris.toml"), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(env.head(DEMO), before);
}

#[test]
fn a_missing_scenario_file_is_bad_input_naming_the_file() {
    let env = Env::new();
    let stderr = env.fails(2, &["import", "no-such-file.toml"]);
    assert!(stderr.contains("no-such-file.toml"), "{stderr}");
}

/// One bad command line: what it is, its arguments, and what the message must contain.
struct Case<'a> {
    what: &'static str,
    args: Vec<&'a str>,
    says: Vec<&'a str>,
}

fn case<'a>(what: &'static str, args: &[&'a str], says: &[&'a str]) -> Case<'a> {
    Case {
        what,
        args: args.to_vec(),
        says: says.to_vec(),
    }
}

#[test]
fn every_bad_command_line_exits_2_saying_what_is_wrong_and_writes_nothing() {
    let env = Env::demo();
    let incident = env.reported(&[]);
    let incident = incident.as_str();
    let commitment = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut args = vec![
            "commitment",
            "add",
            DEMO,
            "--guarantor",
            "FRA",
            "--category",
            "military",
            "--what",
            "air policing",
            "--aggressor",
            "RUS",
            "--consult-within",
            "24h",
            "--from",
            "2026-01-06",
            "--as",
            "macron",
        ];
        args.extend_from_slice(extra);
        args
    };
    let mut with_target = report(&[]);
    with_target[6] = "UKX";
    let mut with_time = report(&[]);
    with_time[8] = "yesterday";
    let mut unknown_guarantor = commitment(&[]);
    unknown_guarantor[4] = "XFR";
    let mut member_aggressor = report(&[]);
    member_aggressor[4] = "FRA";
    let pasted: &'static str = Box::leak("a".repeat(100_000).into_boxed_str());
    let cases = vec![
        case(
            "a member as the aggressor",
            &member_aggressor,
            &["FRA", "adversary"],
        ),
        case(
            "a 100 KB description",
            &report(&["--description", pasted]),
            &["description", "100000 characters, at most 4000"],
        ),
        case(
            "consultations asked of the adversary",
            &[
                "consultations",
                "request",
                DEMO,
                "--by",
                "UKR",
                "--with",
                "RUS",
                "--at",
                "2026-11-20T06:00:00Z",
                "--as",
                "zelenskyy",
            ],
            &["RUS", "guarantors"],
        ),
        case(
            "a response window of no time",
            &commitment(&["--deliver-within", "0s"]),
            &["window of no time"],
        ),
        case(
            "support at the committed stage",
            &[
                "commitment",
                "support",
                DEMO,
                "fra-2024-financial",
                "--stage",
                "committed",
                "--quantity",
                "5",
                "--as",
                "secretariat",
            ],
            &["allocated or delivered"],
        ),
        case(
            "a delivery above the allocation",
            &[
                "commitment",
                "support",
                DEMO,
                "fra-2024-financial",
                "--stage",
                "delivered",
                "--quantity",
                "5",
                "--as",
                "secretariat",
            ],
            &["exceeds the 0 allocated", "record the allocation first"],
        ),
        case(
            "a withdrawal without a reason",
            &[
                "commitment",
                "withdraw",
                DEMO,
                "fra-2024-financial",
                "--as",
                "macron",
            ],
            &["--reason"],
        ),
        case(
            "an unknown party code on a flag",
            &unknown_guarantor,
            &["--guarantor", "XFR"],
        ),
        case("an unknown target", &with_target, &["--target", "UKX"]),
        case(
            "until before from",
            &commitment(&["--until", "2025-12-31"]),
            &["until", "2025-12-31", "2026-01-06"],
        ),
        case("a malformed time", &with_time, &["--at", "yesterday"]),
        case(
            "a chosen id (the record derives ids; docs/threat-model.md)",
            &report(&["--id", "INC-1"]),
            &["--id"],
        ),
        case(
            "an unknown coalition (read)",
            &["obligations", "atlantis"],
            &["unknown coalition atlantis"],
        ),
        case(
            "an unknown coalition (write)",
            &[
                "incident", "confirm", "atlantis", incident, "--as", "monitor",
            ],
            &["unknown coalition atlantis"],
        ),
        case(
            "an unknown incident",
            &[
                "incident",
                "confirm",
                DEMO,
                "INC-AAAAAAAA",
                "--as",
                "monitor",
            ],
            &["INC-AAAAAAAA"],
        ),
        case(
            "an unknown principal",
            &["incident", "confirm", DEMO, incident, "--as", "nobody"],
            &["unknown principal nobody"],
        ),
        case(
            "a confirmation by a non-member (a US envoy)",
            &["incident", "confirm", DEMO, incident, "--as", "witkoff"],
            &["witkoff", "not a member"],
        ),
        case(
            "an unknown obligation",
            &[
                "obligation",
                "fulfil",
                DEMO,
                "OB-AAAAAAAA",
                "--as",
                "starmer",
            ],
            &["OB-AAAAAAAA"],
        ),
        case(
            "a leader acting for another state",
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
                "meloni",
            ],
            &["meloni"],
        ),
        case(
            "an unknown category",
            &{
                let mut args = commitment(&[]);
                args[6] = "cyber-defence";
                args
            },
            &["cyber-defence"],
        ),
        case(
            "a missing required flag",
            &["incident", "confirm", DEMO, incident],
            &["--as"],
        ),
    ];
    let before = (env.head(DEMO), env.json(&["coalitions"]));
    for Case { what, args, says } in cases {
        let stderr = env.fails(2, &args);
        for words in says {
            assert!(stderr.contains(words), "{what}: {words:?} not in {stderr}");
        }
        assert_eq!(
            (env.head(DEMO), env.json(&["coalitions"])),
            before,
            "{what} wrote something"
        );
    }
}

#[test]
fn free_text_cannot_forge_a_line_or_move_the_cursor_but_json_keeps_it_exact() {
    let env = Env::demo();
    let forged = "shelling\nstatus: verified\u{1b}[2J";
    let id = env
        .ok(&report(&["--description", forged]))
        .trim()
        .to_owned();
    let text = env.ok(&["incident", "show", DEMO, &id]);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        !text
            .lines()
            .any(|l| l.trim_start().starts_with("status: verified")),
        "{text}"
    );
    assert!(
        text.contains("shelling\\nstatus: verified\\u{1b}[2J"),
        "{text}"
    );
    let json = env.json(&["incident", "show", DEMO, &id]);
    assert_eq!(json["incident"]["description"], forged);
}

#[test]
fn a_quantity_or_a_text_over_its_limit_in_a_scenario_is_refused_once_with_its_line() {
    let text = copy();
    let line = line_of(&text, "quantity = 2500, unit = \"GBP-million\"");
    let bad = text.replacen(
        "quantity = 2500, unit = \"GBP-million\"",
        "quantity = 90071992547409930, unit = \"GBP-million\"",
        1,
    );
    let header = header_before(&bad, line, "[[commitments]]");
    let stderr = import_fails(&bad, header..=line);
    assert!(stderr.contains("90071992547409930"), "{stderr}");
    let what = "convene swiftly and collectively at the most senior levels to determine next steps";
    let line = line_of(&text, what);
    let bad = text.replacen(what, &"a".repeat(5_000), 1);
    let header = header_before(&bad, line, "[[commitments]]");
    let stderr = import_fails(&bad, header..=line);
    assert_eq!(
        stderr.matches("at most 4000").count(),
        1,
        "said once: {stderr}"
    );
}
