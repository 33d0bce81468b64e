//! Witness policy files: the witnesses (their party and verifier key, as `coalition witness
//! status` prints it) and the quorum.
//!
//! ```toml
//! quorum = 2
//!
//! [[witnesses]]
//! party = "FRA"
//! key = "witness.example.fr/coalition+1a2b3c4d+BASE64"
//! url = "http://witness.example.fr:7380"   # optional: where `log checkpoint` asks it
//! ```

use coalition_core::id::PartyCode;
use coalition_core::signature::PublicKey;
use coalition_core::witness::{Witness, WitnessPolicy};
use coalition_ledger::cosignature::CosignerKey;
use serde::Deserialize;
use toml::Spanned;

use super::SourceError;

/// The largest policy file accepted (64 KiB).
pub const MAX_POLICY_BYTES: usize = 64 << 10;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlPolicy {
    quorum: Spanned<u32>,
    witnesses: Vec<TomlWitness>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlWitness {
    party: Spanned<String>,
    key: Spanned<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Reads a witness policy file; `name` names it in messages (`policy.toml:4:7: …`).
pub fn parse_policy(name: &str, text: &str) -> Result<WitnessPolicy, SourceError> {
    super::check_size(name, text, MAX_POLICY_BYTES)?;
    let parsed: TomlPolicy = toml::from_str(text)
        .map_err(|e| SourceError::at(name, text, e.span(), e.message().trim()))?;
    let mut witnesses = Vec::with_capacity(parsed.witnesses.len());
    for (i, w) in parsed.witnesses.iter().enumerate() {
        let party = PartyCode::parse(w.party.get_ref()).map_err(|e| {
            SourceError::at(
                name,
                text,
                Some(w.party.span()),
                format!("witnesses[{i}].party: {e}"),
            )
        })?;
        let at_key = |message: String| {
            SourceError::at(
                name,
                text,
                Some(w.key.span()),
                format!("witnesses[{i}].key: {message}"),
            )
        };
        let key = CosignerKey::parse(w.key.get_ref()).map_err(|e| {
            at_key(format!(
                "{e}; expected the witness's key as `coalition witness status` prints it"
            ))
        })?;
        let public = PublicKey::from_bytes(key.public_key().to_bytes())
            .map_err(|e| at_key(e.to_string()))?;
        witnesses.push(Witness {
            name: key.name().to_owned(),
            party,
            key: public,
            url: w.url.clone(),
        });
    }
    let policy = WitnessPolicy {
        witnesses,
        quorum: *parsed.quorum.get_ref(),
    };
    if let Some((field, problem)) = policy.problem() {
        let span = (field == "quorum").then(|| parsed.quorum.span());
        return Err(SourceError::at(
            name,
            text,
            span,
            format!("{field}{}", sep(&problem)),
        ));
    }
    Ok(policy)
}

/// `[i].name: …` follows the field directly; anything else after a colon.
fn sep(problem: &str) -> String {
    if problem.starts_with('[') {
        problem.to_owned()
    } else {
        format!(": {problem}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn vkey(name: &str, seed: u8) -> String {
        CosignerKey::new(name, SigningKey::from_bytes(&[seed; 32]).verifying_key())
            .unwrap()
            .to_string()
    }

    #[test]
    fn a_policy_reads_and_bad_ones_name_the_line_and_field() {
        let good = format!(
            "quorum = 1\n[[witnesses]]\nparty = \"FRA\"\nkey = \"{}\"\n",
            vkey("w.fr", 1)
        );
        let policy = parse_policy("p.toml", &good).unwrap();
        assert_eq!(policy.witnesses[0].name, "w.fr");
        let bad_quorum = good.replace("quorum = 1", "quorum = 2");
        let err = parse_policy("p.toml", &bad_quorum).unwrap_err();
        assert_eq!(
            (err.line, err.message.starts_with("quorum")),
            (Some(1), true),
            "{err}"
        );
        let bad_key = good.replace("+", "-");
        let err = parse_policy("p.toml", &bad_key).unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        assert!(err.message.starts_with("witnesses[0].key"), "{err}");
        let err = parse_policy("p.toml", &good.replace("FRA", "XX")).unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
    }
}
