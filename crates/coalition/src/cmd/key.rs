//! `key generate|public`, `principal add|rotate-key`.

use coalition_core::classification::{Level, Marking};
use coalition_core::command::Command;
use coalition_core::party::Principal;
use serde_json::json;

use crate::cli::{KeyCommand, PrincipalCommand};
use crate::failure::bad_input;
use crate::keyfile;
use crate::output::print_json;
use crate::session::Session;

/// Key generation needs no record.
pub(crate) fn key(command: &KeyCommand, json: bool) -> anyhow::Result<()> {
    let (public, file) = match command {
        KeyCommand::Generate { out, no_passphrase } => {
            let passphrase = keyfile::passphrase_from_env();
            if passphrase.is_none() && !no_passphrase {
                return Err(bad_input(format!(
                    "set {} to encrypt the key, or pass --no-passphrase for a throwaway key",
                    keyfile::PASSPHRASE_ENV
                )));
            }
            let key = keyfile::generate();
            let passphrase = if *no_passphrase { None } else { passphrase };
            keyfile::write(out, &key, passphrase.as_deref())?;
            (keyfile::public_key(&key)?, out)
        }
        KeyCommand::Public { key } => (keyfile::public_key(&keyfile::read(key)?)?, key),
    };
    if json {
        return print_json(&json!({"public_key": public, "file": file}));
    }
    println!("{public}");
    Ok(())
}

pub(crate) async fn principal(
    session: &Session,
    command: PrincipalCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (coalition, actor, command) = match command {
        PrincipalCommand::Add(args) => {
            let principal = Principal {
                id: args.id.clone(),
                name: args.name.clone(),
                party: args.party.clone(),
                role: args.role,
                clearance: args.clearance,
                marking: Marking::at(args.classification.unwrap_or(Level::Unclassified)),
                public_key: args.public_key,
            };
            (
                args.coalition.clone(),
                args.act.actor.clone(),
                Command::RegisterPrincipal(principal),
            )
        }
        PrincipalCommand::RotateKey {
            coalition,
            id,
            public_key,
            act,
        } => (
            coalition,
            act.actor,
            Command::RegisterKey {
                principal: id,
                key: public_key,
            },
        ),
    };
    super::record(session, &coalition, &actor, command, json).await
}
