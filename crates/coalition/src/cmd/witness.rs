//! `witness policy show|approve|set`.

use coalition_app::import::{MAX_POLICY_BYTES, parse_policy};
use coalition_app::views::WitnessPolicyView;
use coalition_app::{App, Reading, Request};
use coalition_core::signature::SignatureBytes;
use coalition_core::witness::PolicyApproval;
use ed25519_dalek::Signer;

use crate::cli::{PolicyCommand, WitnessCommand};
use crate::failure::bad_input;
use crate::output::{print_json, print_table, table};

/// The largest approval file read.
const MAX_APPROVAL_BYTES: u64 = 4 << 10;

pub(crate) async fn run(app: &App, command: WitnessCommand, json: bool) -> anyhow::Result<()> {
    match command {
        WitnessCommand::Policy(PolicyCommand::Show(args)) => {
            let reader = app
                .read(&args.coalition, &super::reading(&args.view, None))
                .await?;
            let view = reader.witness_policy();
            if json {
                return print_json(&view);
            }
            print_policy(&view);
            Ok(())
        }
        WitnessCommand::Policy(PolicyCommand::Approve {
            coalition,
            file,
            key,
            out,
            act,
        }) => {
            let policy = read_policy(&file)?;
            let reader = app.read(&coalition, &Reading::custodian()).await?;
            let to_sign = reader.policy_to_sign(&policy);
            let signing = crate::signer_key::read(&key)?;
            let approval = PolicyApproval {
                principal: act.actor,
                signature: SignatureBytes(signing.sign(to_sign.message.as_bytes()).to_bytes()),
            };
            let text = format!("{}\n", serde_json::to_string(&approval)?);
            match &out {
                Some(path) => crate::file::write_out("--out", path, text.as_bytes())?,
                None => print!("{text}"),
            }
            if out.is_some() && !json {
                println!(
                    "approval of witness policy number {} of {coalition} (content {}) written",
                    to_sign.version, to_sign.content
                );
            }
            Ok(())
        }
        WitnessCommand::Policy(PolicyCommand::Set {
            coalition,
            file,
            approvals,
            act,
        }) => {
            let policy = read_policy(&file)?;
            let approvals = approvals
                .iter()
                .map(|path| {
                    let text = crate::file::read_text("--approval", path, MAX_APPROVAL_BYTES)?;
                    serde_json::from_str::<PolicyApproval>(&text).map_err(|e| {
                        bad_input(format!(
                            "--approval {}: {e}; expected the file `witness policy approve` writes",
                            path.display()
                        ))
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let request = Request::SetWitnessPolicy { policy, approvals };
            super::submit(app, &coalition, &act.actor, request, json).await
        }
        own @ (WitnessCommand::Init { .. }
        | WitnessCommand::Serve(_)
        | WitnessCommand::Status { .. }) => {
            unreachable!("{own:?} is run before the record is opened")
        }
    }
}

fn read_policy(path: &std::path::Path) -> anyhow::Result<coalition_core::witness::WitnessPolicy> {
    let text = crate::file::read_text("--file", path, MAX_POLICY_BYTES as u64)?;
    parse_policy(&path.display().to_string(), &text).map_err(|e| bad_input(format!("--file {e}")))
}

fn print_policy(view: &WitnessPolicyView) {
    match view.version {
        None => println!(
            "{}: no witness policy: checkpoints need no cosignature",
            view.coalition
        ),
        Some(version) => println!(
            "{}: witness policy {version}: {} of {} witnesses must cosign",
            view.coalition,
            view.quorum,
            view.witnesses.len()
        ),
    }
    let mut t = table(["NAME", "PARTY", "KEY"]);
    for w in &view.witnesses {
        t.add_row(vec![w.name.clone(), w.party.to_string(), w.key.clone()]);
    }
    if view.version.is_some() {
        print_table("", &t, "no witnesses");
    }
}

/// `witness init|serve|status`: a member state's own witness, which needs no record.
pub(crate) fn own(command: WitnessCommand, json: bool) -> anyhow::Result<()> {
    match command {
        WitnessCommand::Init { state, name } => {
            let key = coalition_witness::init(&state, &name)
                .map_err(|e| bad_input(format!("--state {}: {e}", state.display())))?;
            if json {
                return print_json(&serde_json::json!({ "name": name, "key": key.to_string() }));
            }
            println!("{key}");
            Ok(())
        }
        WitnessCommand::Status { state } => {
            let status = coalition_witness::state::status(&state)
                .map_err(|e| bad_input(format!("--state {}: {e}", state.display())))?;
            if json {
                return print_json(&status);
            }
            println!("witness {}", status.name);
            println!("key {}", status.key);
            let mut t = table(["LOG", "SIZE", "ROOT", "COSIGNED AT"]);
            for held in &status.logs {
                t.add_row(vec![
                    held.origin.clone(),
                    held.size.to_string(),
                    held.root.to_string(),
                    held.cosigned_at.to_string(),
                ]);
            }
            print_table("", &t, "no checkpoint cosigned yet");
            if status.evidence.is_empty() {
                println!("no inconsistency shown");
            }
            for path in &status.evidence {
                println!("evidence of an inconsistent log: {}", path.display());
            }
            Ok(())
        }
        WitnessCommand::Serve(args) => serve(&args),
        WitnessCommand::Policy(_) => unreachable!("policy commands open the record"),
    }
}

fn serve(args: &crate::cli::WitnessServeArgs) -> anyhow::Result<()> {
    use coalition_ledger::checkpoint::VerifierKey;
    if args.logs.len() != args.log_keys.len() {
        return Err(bad_input(format!(
            "--log-key: one per --log; found {} --log and {} --log-key",
            args.logs.len(),
            args.log_keys.len()
        )));
    }
    let mut logs = Vec::new();
    for (log, key) in args.logs.iter().zip(&args.log_keys) {
        let key =
            VerifierKey::parse(key).map_err(|e| bad_input(format!("--log-key {key}: {e}")))?;
        let origin = format!("coalition/{log}");
        if key.name() != origin {
            return Err(bad_input(format!(
                "--log-key: the key is named {:?}, but --log {log} has the origin {origin:?}",
                key.name()
            )));
        }
        logs.push(coalition_witness::WitnessedLog { key });
    }
    let witness = coalition_witness::Witness::open(&args.state, logs)
        .map_err(|e| bad_input(format!("--state {}: {e}", args.state.display())))?;
    super::serve::init_logging();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| bad_input(format!("--addr {}: {e}", args.addr)))?;
        println!(
            "witness {} for {}",
            witness.public_key(),
            args.logs.join(", ")
        );
        println!("listening on http://{}", listener.local_addr()?);
        println!("ready");
        use std::io::Write as _;
        std::io::stdout().flush()?;
        let clock: coalition_witness::server::Clock = std::sync::Arc::new(|| {
            #[allow(clippy::disallowed_methods)] // a witness's cosignature time is its own clock
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
        coalition_witness::server::serve(
            listener,
            std::sync::Arc::new(witness),
            clock,
            super::serve::shutdown(),
        )
        .await?;
        Ok(())
    })
}
