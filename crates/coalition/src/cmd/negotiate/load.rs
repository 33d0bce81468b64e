//! Reading the input of a negotiation command: exactly one scenario TOML, GENIUS domain and
//! profiles, or decide CSV.

use std::path::Path;

use coalition_negotiate::analysis::AnalyzeOptions;
use coalition_negotiate::decide_csv;
use coalition_negotiate::genius::{self, Semantics};
use coalition_negotiate::model::Negotiation;
use coalition_negotiate::scenario::{self, Scenario};

use super::{Input, SemanticsArg};
use crate::failure::bad_input;

pub(super) use coalition_negotiate::report::Input as Loaded;

/// The text of `path`, or a bad-input error naming it.
pub(super) fn read(path: &Path) -> anyhow::Result<String> {
    crate::file::read_text("", path, crate::file::MAX_NEGOTIATION_BYTES)
}

/// Reads the one input `input` names.
pub(super) fn load(input: &Input) -> anyhow::Result<Loaded> {
    let given = usize::from(input.scenario.is_some())
        + usize::from(!input.genius.is_empty())
        + usize::from(input.exchange_csv.is_some());
    if given != 1 {
        return Err(bad_input(
            "give exactly one input: SCENARIO.toml, --genius DOMAIN.xml PROFILE.xml..., or --exchange-csv FILE",
        ));
    }
    if let Some(path) = &input.scenario {
        return read_scenario(path).map(|(s, name)| Loaded::Scenario(Box::new(s), name));
    }
    if let Some(path) = &input.exchange_csv {
        let name = path.display().to_string();
        let f = decide_csv::read(&read(path)?, &name).map_err(bad_input)?;
        return Ok(Loaded::Exchange(f, name));
    }
    if input.genius.len() < 3 {
        return Err(bad_input(
            "--genius needs a domain file and at least two profile files",
        ));
    }
    let semantics = match input.semantics {
        SemanticsArg::Genius => Semantics::Genius,
        SemanticsArg::Raw => Semantics::Raw,
    };
    let domain_name = input.genius[0].display().to_string();
    let domain = read(&input.genius[0])?;
    let texts = input.genius[1..]
        .iter()
        .map(|p| read(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let names: Vec<String> = input.genius[1..]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let profiles: Vec<(&str, &str)> = texts
        .iter()
        .zip(&names)
        .map(|(t, n)| (t.as_str(), n.as_str()))
        .collect();
    let neg =
        genius::read_negotiation(&domain, &domain_name, &profiles, semantics).map_err(bad_input)?;
    Ok(Loaded::Genius(neg, semantics, domain_name))
}

/// Reads a scenario file; its name for messages and documents.
pub(super) fn read_scenario(path: &Path) -> anyhow::Result<(Scenario, String)> {
    let name = path.display().to_string();
    let s = scenario::read(&read(path)?, &name).map_err(bad_input)?;
    Ok((s, name))
}

/// The outcome space of what was read, for a command that needs one (`what` it does, for
/// the message when exchange-model input has none).
pub(super) fn negotiation_of(
    loaded: Loaded,
    what: &str,
) -> anyhow::Result<(Negotiation, AnalyzeOptions)> {
    match loaded {
        Loaded::Scenario(s, _) => Ok((s.negotiation, AnalyzeOptions::SCENARIO)),
        Loaded::Genius(n, sem, _) => Ok((n, AnalyzeOptions::for_semantics(sem))),
        Loaded::Exchange(_, name) => Err(bad_input(format!(
            "{name}: exchange-model input has no outcome space to {what}"
        ))),
    }
}
