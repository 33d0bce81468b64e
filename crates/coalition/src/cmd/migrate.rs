//! `coalition migrate`: one store's record copied to another, with a progress bar.

use coalition_app::AppError;
use coalition_app::migrate::{Progress, migrate};
use coalition_core::id::CoalitionId;

use crate::cli::MigrateArgs;
use crate::failure::bad_input;
use crate::output::print_json;

/// A bar on stderr (hidden when stderr is not a terminal).
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn start(&mut self, total: u64) {
        self.0.set_length(total);
    }

    fn advance(&mut self, coalition: &CoalitionId, entries: u64) {
        self.0.set_message(coalition.to_string());
        self.0.inc(entries);
    }
}

pub(crate) fn run(args: &MigrateArgs, json: bool) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(0), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} entries")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut progress = Bar(bar);
    let view = runtime
        .block_on(migrate(&args.from, &args.to, &mut progress))
        .map_err(|err| match err {
            // Named as the flags they are (`from` and `to` are also positional names elsewhere).
            AppError::Invalid { field, message } => bad_input(format!("--{field}: {message}")),
            err => err.into(),
        })?;
    progress.0.finish_and_clear();
    if json {
        return print_json(&view);
    }
    for log in &view.logs {
        println!(
            "{}: {} entries ({} copied, {} already there), root {}, verified",
            log.coalition,
            log.entries,
            log.copied,
            log.entries - log.copied,
            log.root
        );
    }
    let copied: u64 = view.logs.iter().map(|l| l.copied).sum();
    println!(
        "migrated {} logs from {} to {}: {copied} entries copied, every chain and root verified on arrival",
        view.logs.len(),
        view.from,
        view.to
    );
    Ok(())
}
