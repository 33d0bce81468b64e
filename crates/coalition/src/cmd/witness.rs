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

/// The largest cosignature file read.
const MAX_COSIGNATURE_BYTES: u64 = 64 << 10;

/// `log checkpoint`'s witnesses: asks those of the policy that have a URL, all at once, adds
/// the cosignatures brought in `cosign_from`, and says on stderr who cosigned. Without a
/// witness policy (and nothing brought), the checkpoint is returned as signed.
pub(crate) async fn gather(
    app: &App,
    coalition: &coalition_core::id::CoalitionId,
    who: &coalition_app::Who,
    checkpoint: coalition_app::views::CheckpointView,
    cosign_from: &[std::path::PathBuf],
    timeout_seconds: f64,
) -> anyhow::Result<coalition_app::views::CheckpointView> {
    use coalition_ledger::cosignature::{Cosignature, CosignerKey};
    use coalition_witness::client::{Endpoint, Outcome};
    if !(timeout_seconds.is_finite() && timeout_seconds > 0.0) {
        return Err(bad_input(format!(
            "--witness-timeout: a positive number of seconds, found {timeout_seconds}"
        )));
    }
    let mut brought = Vec::new();
    for path in cosign_from {
        let text = crate::file::read_text("--cosign-from", path, MAX_COSIGNATURE_BYTES)?;
        let mut found = 0;
        for (number, line) in text.lines().enumerate() {
            if !line.starts_with('\u{2014}') {
                continue;
            }
            match Cosignature::parse_line(line) {
                Ok(c) => {
                    brought.push(c);
                    found += 1;
                }
                // The log's own signature line in a cosigned note is not a cosignature.
                Err(coalition_ledger::cosignature::CosignatureError::WrongLength { .. }) => {}
                Err(e) => {
                    return Err(bad_input(format!(
                        "--cosign-from {}:{}: {e}",
                        path.display(),
                        number + 1
                    )));
                }
            }
        }
        if found == 0 {
            return Err(bad_input(format!(
                "--cosign-from {}: no cosignature line (`— <witness> <base64>`) in it",
                path.display()
            )));
        }
    }
    let reader = app.read(coalition, &Reading::custodian()).await?;
    let policy = reader.witness_policy();
    if policy.version.is_none() && brought.is_empty() {
        return Ok(checkpoint);
    }
    let endpoints: Vec<Endpoint> = policy
        .witnesses
        .iter()
        .filter_map(|w| {
            let url = w.url.clone()?;
            let key = CosignerKey::parse(&w.key).ok()?;
            Some(Endpoint { key, url })
        })
        .collect();
    if !endpoints.is_empty() {
        let leaves = app.leaves(coalition, who).await?;
        let outcomes = coalition_witness::client::gather(
            &endpoints,
            &checkpoint.note,
            &leaves,
            std::time::Duration::from_secs_f64(timeout_seconds),
        )
        .await;
        for (endpoint, outcome) in endpoints.iter().zip(outcomes) {
            let name = endpoint.key.name();
            match outcome {
                Outcome::Cosigned(c) => brought.push(c),
                Outcome::Refused { status, reason } => {
                    eprintln!("witness {name}: refused ({status}): {reason}")
                }
                Outcome::Failed(e) => eprintln!("witness {name}: unreachable: {e}"),
                Outcome::TimedOut => {
                    eprintln!("witness {name}: no answer within {timeout_seconds}s")
                }
            }
        }
    }
    let witnessed = app
        .witness_checkpoint(coalition, who, &checkpoint.note, &brought)
        .await?;
    if let Some(report) = &witnessed.witnesses {
        eprintln!(
            "cosigned by {} of the {} witnesses policy {} requires{}",
            report.cosigned.len(),
            report.quorum,
            report.policy,
            if report.quorum_met {
                ""
            } else {
                ": NOT WITNESSED (quorum not met)"
            }
        );
    }
    Ok(witnessed)
}
