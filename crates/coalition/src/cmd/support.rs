//! `support`, `support export`, `support import`, and `export` (open data).

use coalition_app::formats::opendata::{self, Layout};
use coalition_app::formats::{iati, table};
use coalition_app::views::{CommitmentFilter, PublishView, SupportSummary, SupportTotal};
use coalition_core::id::CoalitionId;

use crate::cli::{
    OpenDataArgs, OpenDataFormat, PublishArgs, SupportArgs, SupportCommand, SupportFilterArgs,
    SupportFormat, ViewArgs,
};
use crate::failure::bad_input;
use crate::output::{print_json, print_table};
use crate::source::{Route, Seen, Source};

fn filter(args: &SupportFilterArgs) -> CommitmentFilter {
    CommitmentFilter {
        guarantor: args.guarantor.clone(),
        category: args.category.clone(),
        in_force: false,
    }
}

/// The support summary the filter asks for, with who read it.
async fn summary(
    source: &Source,
    coalition: &CoalitionId,
    view: &ViewArgs,
    which: &SupportFilterArgs,
) -> anyhow::Result<Seen<SupportSummary>> {
    let route = Route::one("support")
        .with("guarantor", which.guarantor.as_ref())
        .with("category", which.category.as_ref());
    let filter = filter(which);
    source
        .read(coalition, &super::reading(view, None), route, |reader| {
            Ok(reader.support(&filter))
        })
        .await
}

pub(crate) async fn run(source: &Source, args: SupportArgs, json: bool) -> anyhow::Result<()> {
    match args.command {
        None => {
            let coalition = args
                .coalition
                .ok_or_else(|| bad_input("name the coalition"))?;
            let summary = summary(source, &coalition, &args.view, &args.filter)
                .await?
                .view;
            if json {
                return print_json(&summary);
            }
            if args.csv {
                print!("{}", table::csv(&summary.rows));
                return Ok(());
            }
            print_table(
                &format!("Support at {} (live commitments)", summary.at),
                &totals(&summary.totals),
                "no live commitment states an amount",
            );
            print_table(
                "\nLapsed, terminated or withdrawn (no longer counted)",
                &totals(&summary.ended),
                "none",
            );
            Ok(())
        }
        Some(SupportCommand::Export {
            coalition,
            format,
            out,
            filter: which,
            view,
        }) => {
            let Seen {
                view: summary,
                reader,
                ..
            } = summary(source, &coalition, &view, &which).await?;
            let bytes = match format {
                SupportFormat::Iati => {
                    iati::write(&coalition, &summary.rows, source.now()?).into_bytes()
                }
                SupportFormat::Csv => table::csv(&summary.rows).into_bytes(),
                SupportFormat::Xlsx => table::xlsx(&coalition, &reader, summary.at, &summary.rows)?,
            };
            crate::file::write_out("--out", &out, &bytes)?;
            if json {
                return print_json(&summary);
            }
            let written = match format {
                SupportFormat::Iati => summary
                    .rows
                    .iter()
                    .filter(|r| r.marking.is_public())
                    .count(),
                _ => summary.rows.len(),
            };
            println!("{written} commitment(s) written to {}", out.display());
            Ok(())
        }
        Some(SupportCommand::Import {
            coalition,
            format: _,
            from,
            act,
        }) => {
            let (app, _) = source.local("support import")?;
            let text = crate::file::read_text("--from", &from, table::MAX_TABLE_BYTES as u64)?;
            let receipt = app
                .import_support(&coalition, &act.actor, &from.display().to_string(), &text)
                .await?;
            super::print_receipt(&receipt, json)
        }
    }
}

fn totals(totals: &[SupportTotal]) -> crate::output::TextTable {
    let mut t = crate::output::table([
        "DONOR",
        "CATEGORY",
        "UNIT",
        "COMMITTED",
        "ALLOCATED",
        "DELIVERED",
        "OUTSTANDING",
        "COMMITMENTS",
    ]);
    for total in totals {
        t.add_row(vec![
            total.donor.to_string(),
            total.category.to_string(),
            total.unit.clone(),
            total.committed.to_string(),
            total.allocated.to_string(),
            total.delivered.to_string(),
            total.outstanding.to_string(),
            total.commitments.to_string(),
        ]);
    }
    t
}

/// `export C --public --format json|csv --out DIR`.
pub(crate) async fn open_data(
    source: &Source,
    args: &OpenDataArgs,
    json: bool,
) -> anyhow::Result<()> {
    let (files, manifest) = match source {
        Source::Local { app, .. } => {
            let reader = app
                .read(&args.coalition, &super::reading(&args.view, None))
                .await?;
            let data = opendata::open_data(&reader)?;
            let layout = match args.format {
                OpenDataFormat::Json => Layout::Json,
                OpenDataFormat::Csv => Layout::Csv,
            };
            (data.files(layout), data.manifest)
        }
        Source::Remote(remote) => served_open_data(remote, args).await?,
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| bad_input(format!("--out {}: {e}", args.out.display())))?;
    for (name, bytes) in &files {
        crate::file::write_out("--out", &args.out.join(name), bytes)?;
    }
    if json {
        return print_json(&manifest);
    }
    println!(
        "{} files written to {}: {}",
        files.len(),
        args.out.display(),
        files
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// The open data a server serves (always the public's): the manifest, the files it names, and
/// the manifest as `export --json` prints it (without the file list the manifest file adds).
async fn served_open_data(
    remote: &crate::remote::Remote,
    args: &OpenDataArgs,
) -> anyhow::Result<(Vec<(String, Vec<u8>)>, serde_json::Value)> {
    if args.view.who.viewer.is_some() || args.view.as_of.is_some() || args.view.at.is_some() {
        return Err(bad_input(
            "--server: the API serves open data as the public sees it now; give --public alone",
        ));
    }
    let layout = match args.format {
        OpenDataFormat::Json => "json",
        OpenDataFormat::Csv => "csv",
    };
    let base = format!("/api/coalitions/{}/open-data/{layout}", args.coalition);
    let manifest = remote
        .get_raw(&format!("{base}/manifest.json"), &[], true)
        .await?
        .body
        .to_vec();
    let mut printed: serde_json::Value = serde_json::from_slice(&manifest)?;
    let names: Vec<String> = printed["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str().map(str::to_owned))
        .collect();
    if let Some(object) = printed.as_object_mut() {
        object.remove("files");
    }
    let mut files = vec![("manifest.json".to_owned(), manifest)];
    for name in names {
        if name.contains('/') || name.starts_with('.') {
            return Err(anyhow::anyhow!(
                "the server's manifest names {name:?}, not a file"
            ));
        }
        let bytes = remote
            .get_raw(&format!("{base}/{name}"), &[], true)
            .await?
            .body;
        files.push((name, bytes.to_vec()));
    }
    Ok((files, printed))
}

/// `publish C --out DIR`: the public's view as static files.
pub(crate) async fn publish(source: &Source, args: &PublishArgs, json: bool) -> anyhow::Result<()> {
    let (app, _) = source.local("publish")?;
    let files = app.publish(&args.coalition).await?;
    if args.out.exists() && !args.out.is_dir() {
        return Err(bad_input(format!(
            "--out {}: a file, expected a directory",
            args.out.display()
        )));
    }
    let mut bytes = 0;
    for (path, content) in &files {
        let target = args.out.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| bad_input(format!("--out {}: {e}", parent.display())))?;
        }
        crate::file::write_out("--out", &target, content)?;
        bytes += content.len();
    }
    if json {
        return print_json(&PublishView {
            coalition: args.coalition.clone(),
            out: args.out.clone(),
            files: files.into_iter().map(|(path, _)| path).collect(),
            bytes,
        });
    }
    println!(
        "{}: {} public files ({bytes} bytes) written to {}",
        args.coalition,
        files.len(),
        args.out.display()
    );
    Ok(())
}
