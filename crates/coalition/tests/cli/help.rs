//! Every command explains itself: `--help` exits 0, and every command that does something shows
//! an example.

use crate::support::*;

/// The subcommands a `--help` text lists (none for a command that does something).
fn subcommands(help: &str) -> Vec<String> {
    let Some((_, listed)) = help.split_once("Commands:\n") else {
        return Vec::new();
    };
    listed
        .lines()
        .take_while(|line| !line.trim().is_empty())
        // Entries are indented by two spaces; wrapped descriptions by more.
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// Every command path under the top level (`["incident", "report"]` …), with whether it is a
/// leaf and whether its help shows an example. Every `--help` must exit 0.
fn every_command(env: &Env) -> Vec<(String, bool, bool)> {
    let top = env.ok(&["--help"]);
    assert!(top.contains("Exit codes"), "{top}");
    let mut pending: Vec<Vec<String>> = subcommands(&top).into_iter().map(|c| vec![c]).collect();
    assert!(pending.len() > 10, "{top}");
    let mut found = Vec::new();
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.ok(&args);
        let children = subcommands(&help);
        found.push((
            path.join(" "),
            children.is_empty(),
            help.contains("Example"),
        ));
        for child in children {
            let mut deeper = path.clone();
            deeper.push(child);
            pending.push(deeper);
        }
    }
    found
}

/// The leaf commands whose help has no example, among those `keep` selects.
fn without_example(keep: impl Fn(&str) -> bool) -> Vec<String> {
    let env = Env::new();
    let commands = every_command(&env);
    let leaves = commands.iter().filter(|(_, leaf, _)| *leaf).count();
    assert!(leaves > 30, "only {leaves} commands found");
    commands
        .into_iter()
        .filter(|(path, leaf, example)| *leaf && !example && keep(path))
        .map(|(path, _, _)| path)
        .collect()
}

#[test]
fn every_command_has_help_and_every_leaf_command_an_example() {
    let missing = without_example(|path| !path.starts_with("negotiate"));
    assert!(missing.is_empty(), "no example in the help of: {missing:?}");
}

#[test]
fn every_negotiate_command_shows_an_example() {
    let missing = without_example(|path| path.starts_with("negotiate"));
    assert!(missing.is_empty(), "no example in the help of: {missing:?}");
}

#[test]
fn a_mistyped_command_is_bad_input() {
    let env = Env::new();
    let stderr = env.fails(2, &["obligatoins"]);
    assert!(stderr.contains("obligatoins"), "{stderr}");
}
