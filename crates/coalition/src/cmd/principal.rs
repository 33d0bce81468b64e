//! `key generate|public|sign`, `principal add|rotate-key`.

use coalition_app::Request;
use coalition_app::keys::{generate, public_key};
use coalition_app::request::NewPrincipal;
use coalition_app::views::KeyFileView;

use crate::cli::{KeyCommand, PrincipalCommand};
use crate::failure::bad_input;
use crate::output::print_json;
use crate::signer_key::{self, PASSPHRASE_ENV, passphrase_from_env};
use crate::source::Source;

/// `key generate|public`: the signer's own key files need no record.
pub(crate) fn key(command: &KeyCommand, json: bool) -> anyhow::Result<()> {
    let (public, file) = match command {
        KeyCommand::Generate { out, no_passphrase } => {
            let passphrase = passphrase_from_env();
            if passphrase.is_none() && !no_passphrase {
                return Err(bad_input(format!(
                    "set {PASSPHRASE_ENV} to encrypt the key, or pass --no-passphrase for a throwaway key"
                )));
            }
            let signing = generate();
            let passphrase = if *no_passphrase { None } else { passphrase };
            signer_key::write(out, &signing, passphrase.as_deref())?;
            (public_key(&signing)?, out)
        }
        KeyCommand::Public { key: path } => (public_key(&signer_key::read(path)?)?, path),
        KeyCommand::Sign { key: path, message } => return sign(path, message, json),
    };
    if json {
        return print_json(&KeyFileView {
            public_key: public,
            file: file.clone(),
        });
    }
    println!("{public}");
    Ok(())
}

/// `key sign`: the signature over the bytes a page showed, made with the signer's own key.
fn sign(path: &std::path::Path, message: &str, json: bool) -> anyhow::Result<()> {
    use ed25519_dalek::Signer as _;
    let bytes = coalition_core::hash::Hash::from_hex(message.trim()).map_err(|_| {
        bad_input(format!(
            "--message {message:?}: expected the 64 hex digits of the 32 bytes to sign"
        ))
    })?;
    let signing = signer_key::read(path)?;
    let signature =
        coalition_core::signature::SignatureBytes(signing.sign(bytes.as_bytes()).to_bytes());
    if json {
        return print_json(&signature.to_string());
    }
    println!("{signature}");
    Ok(())
}

pub(crate) async fn principal(
    app: &Source,
    command: PrincipalCommand,
    json: bool,
) -> anyhow::Result<()> {
    let (coalition, actor, request) = match command {
        PrincipalCommand::Add(args) => (
            args.coalition,
            args.act.actor,
            Request::RegisterPrincipal(NewPrincipal {
                id: args.id,
                name: args.name,
                party: args.party,
                role: args.role,
                clearance: args.clearance,
                public_key: args.public_key,
                classification: args.classification,
            }),
        ),
        PrincipalCommand::RotateKey {
            coalition,
            id,
            public_key,
            act,
        } => (
            coalition,
            act.actor,
            Request::RotateKey {
                principal: id,
                public_key,
            },
        ),
    };
    super::submit(app, &coalition, &actor, request, json).await
}
