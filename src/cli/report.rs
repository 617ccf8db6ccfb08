//! `county-atlas report`: the graded reports (分级报告) of an innovation index, one A4 PDF
//! (or SVG) per county, per economic region and for the province, in parallel, with progress
//! on stderr.
//! What every report shares (the index, its uncertainty draws, the geometry, the map's
//! classes, the LISA of the composite) is computed once.

use super::index::{Asked, ExtraLayers, compute};
use super::table_args::TableArgs;
use anyhow::Context;
use clap::Args;
use county_atlas::analysis::composite::area_report::Area;
use county_atlas::atlas::{Atlas, EconomicRegion};
use county_atlas::export::report::{ReportOf, write_reports};
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
#[command(group = clap::ArgGroup::new("what").required(true).multiple(true))]
pub struct ReportArgs {
    /// The index's definition (as `county-atlas index --spec`).
    #[arg(long)]
    pub index: PathBuf,
    /// One county (name, former name or adcode).
    #[arg(long, conflicts_with = "all", group = "what")]
    pub county: Option<String>,
    /// Every county.
    #[arg(long, group = "what")]
    pub all: bool,
    /// An economic region's report (成都平原, 川南, 川东北, 攀西, 川西北, or the English
    /// name); repeatable.
    #[arg(long, group = "what")]
    pub region: Vec<String>,
    /// The five regions' reports.
    #[arg(long, group = "what")]
    pub regions: bool,
    /// The province's report.
    #[arg(long, group = "what")]
    pub province: bool,
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
    let of = asked_reports(&atlas, args)?;
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
    let total = of.len();
    let progress = |path: &std::path::Path| {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        eprintln!("{n}/{total} {}", path.display());
    };
    if let Err(failed) = write_reports(&workspace, &run, &of, &args.out_dir, &options, &progress) {
        anyhow::bail!(
            "{} {}: {}",
            failed.len(),
            tr(lang, "份报告未能写出", "reports could not be written"),
            failed.join("; ")
        );
    }
    Ok(())
}

/// The reports the arguments ask for: counties first, then regions, then the province.
fn asked_reports(atlas: &Atlas, args: &ReportArgs) -> anyhow::Result<Vec<ReportOf>> {
    let mut of: Vec<ReportOf> = match (&args.county, args.all) {
        (Some(name), _) => vec![ReportOf::County(atlas.resolve(name)?.unit)],
        (None, true) => atlas
            .units()
            .iter()
            .map(|u| ReportOf::County(u.id))
            .collect(),
        (None, false) => Vec::new(),
    };
    let mut regions: Vec<EconomicRegion> = Vec::new();
    for name in &args.region {
        let region = EconomicRegion::parse(name).with_context(|| {
            let known: Vec<&str> = EconomicRegion::ALL.iter().map(|r| r.name_zh()).collect();
            format!(
                "--region {name}: 没有这个经济区;可用:{0} / no such economic region; use one of: {0}",
                known.join(", ")
            )
        })?;
        regions.push(region);
    }
    if args.regions {
        regions.extend(EconomicRegion::ALL);
    }
    for region in EconomicRegion::ALL {
        if regions.contains(&region) {
            of.push(ReportOf::Area(Area::Region(region)));
        }
    }
    if args.province {
        of.push(ReportOf::Area(Area::Province));
    }
    Ok(of)
}
