//! `county-atlas report`: the graded county report (分级报告) of an innovation index, one A4
//! PDF (or SVG) per county: one county, or all of them in parallel, with progress on stderr.
//! What every report shares (the index, its uncertainty draws, the geometry, the map's
//! classes, the LISA of the composite) is computed once.

use super::index::{Asked, ExtraLayers, compute};
use super::table_args::TableArgs;
use anyhow::Context;
use clap::Args;
use county_atlas::atlas::{Atlas, UnitId};
use county_atlas::export::report::write_reports;
use county_atlas::export::{ExportOptions, Format};
use county_atlas::i18n::{Lang, tr};
use county_atlas::scene::{MapGeometry, Workspace};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Draws of the rank interval when the command line names none: enough for a stable 5–95%
/// interval, a few tens of milliseconds.
const DEFAULT_DRAWS: usize = 1000;

/// What `report` is asked.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The index's definition (as `county-atlas index --spec`).
    #[arg(long)]
    pub index: PathBuf,
    /// One county (name, former name or adcode).
    #[arg(long, conflicts_with = "all", required_unless_present = "all")]
    pub county: Option<String>,
    /// Every county.
    #[arg(long)]
    pub all: bool,
    /// The folder the reports are written to (made if missing).
    #[arg(long = "out-dir")]
    pub out_dir: PathBuf,
    /// pdf (default) or svg.
    #[arg(long, default_value = "pdf")]
    pub format: String,
    /// Compute it for this year instead of the definition's.
    #[arg(long)]
    pub year: Option<i32>,
    /// A county table whose columns the definition's indicators name (repeatable).
    #[arg(long)]
    pub data: Vec<PathBuf>,
    /// How to read the --data tables.
    #[command(flatten)]
    pub table: TableArgs,
    /// Monte Carlo draws of the rank interval (0: none).
    #[arg(long, default_value_t = DEFAULT_DRAWS)]
    pub uncertainty: usize,
    /// The draws' seed (default: the definition's, else 1).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Also compute it for this earlier year: each report gives the county's change in rank
    /// (and score, where the normalisation lets scores compare across years).
    #[arg(long = "from-year")]
    pub from_year: Option<i32>,
}

/// Runs `report`.
pub fn run(atlas: Atlas, lang: Lang, args: &ReportArgs) -> anyhow::Result<()> {
    let format = match args.format.as_str() {
        "pdf" => Format::Pdf,
        "svg" => Format::Svg,
        other => anyhow::bail!(
            "报告格式“{other}”无法识别:请用 pdf 或 svg / unknown report format '{other}': use pdf or svg"
        ),
    };
    let mut extra = ExtraLayers::read(&atlas, &args.data, &args.table)?;
    let draws = (args.uncertainty > 0).then_some(args.uncertainty);
    let asked = Asked {
        year: args.year,
        draws,
        seed: args.seed,
        from_year: args.from_year,
    };
    let (spec, run) = compute(&atlas, &args.index, &mut extra, asked)?;
    let source = spec.stored(&atlas, &run);
    let units: Vec<UnitId> = match &args.county {
        Some(name) => vec![atlas.resolve(name)?.unit],
        None => atlas.units().iter().map(|u| u.id).collect(),
    };
    std::fs::create_dir_all(&args.out_dir).with_context(|| {
        format!(
            "{}: 无法创建文件夹 / cannot create the folder",
            args.out_dir.display()
        )
    })?;
    let geometry = MapGeometry::build(&atlas);
    let mut workspace = Workspace::new(atlas, geometry);
    workspace.set_index_layers(run.layers(), source);
    let options = ExportOptions {
        lang,
        format,
        ..ExportOptions::default()
    };
    let done = AtomicUsize::new(0);
    let total = units.len();
    let progress = |path: &std::path::Path| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        eprintln!("{n}/{total} {}", path.display());
    };
    if let Err(failed) = write_reports(&workspace, &run, &units, &args.out_dir, &options, &progress)
    {
        anyhow::bail!(
            "{} {}: {}",
            failed.len(),
            tr(lang, "份报告未能写出", "reports could not be written"),
            failed.join("; ")
        );
    }
    Ok(())
}
