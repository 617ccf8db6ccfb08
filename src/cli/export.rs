//! `county-atlas export`: briefing maps as PNG, SVG or PDF, one file or a batch (every layer,
//! every region), with progress on stderr.

use super::map_args::MapArgs;
use anyhow::{Context, bail};
use clap::Args;
use county_atlas::atlas::{Atlas, EconomicRegion, LayerKind};
use county_atlas::export::png::MapDevice;
use county_atlas::export::{
    ExportError, ExportOptions, Exporter, Focus, Format, Orientation, PageSize, tolerance_for,
};
use county_atlas::i18n::Lang;
use county_atlas::render::RenderError;
use county_atlas::scene::MapGeometry;
use std::path::PathBuf;
use std::time::Instant;

/// Where and how to export.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to map.
    #[command(flatten)]
    pub map: MapArgs,
    /// The file to write; its extension gives the format unless --format does.
    #[arg(long, conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,
    /// png, svg or pdf (default: from --out's extension, else png).
    #[arg(long)]
    pub format: Option<Format>,
    /// a4, a3, slide (1920×1080), slide4k (3840×2160) or WIDTHxHEIGHT in pixels.
    #[arg(long, default_value = "a4")]
    pub size: PageSize,
    /// landscape or portrait (paper sizes).
    #[arg(long, default_value = "landscape")]
    pub orientation: Orientation,
    /// Resolution of paper sizes in PNG (150, 300, 600).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(36..=1200))]
    pub dpi: u32,
    /// Title (default: the layer's name and unit).
    #[arg(long)]
    pub title: Option<String>,
    /// Subtitle (default: scope, year, method).
    #[arg(long)]
    pub subtitle: Option<String>,
    /// Draw county names.
    #[arg(long)]
    pub labels: bool,
    /// Map review number (审图号) for the footer.
    #[arg(long = "review-number")]
    pub review_number: Option<String>,
    /// Centre on an economic region (成都平原, 川南, 川东北, 攀西, 川西北) or a prefecture
    /// (成都市, 510100), muting the rest.
    #[arg(long)]
    pub focus: Option<String>,
    /// The date in the footer (YYYY-MM-DD; default today, or SOURCE_DATE_EPOCH).
    #[arg(long)]
    pub date: Option<String>,
    /// Export every built-in layer (its latest year) into --out-dir.
    #[arg(long = "all-layers", conflicts_with_all = ["layer", "data", "year"])]
    pub all_layers: bool,
    /// One file per economic region (the others muted), into --out-dir.
    #[arg(long = "by-region", conflicts_with = "focus")]
    pub by_region: bool,
    /// The folder batch exports go to (created if missing); files are named after the layer
    /// (and region).
    #[arg(long = "out-dir")]
    pub out_dir: Option<PathBuf>,
}

impl ExportArgs {
    /// The format asked for: --format, else --out's extension, else PNG.
    pub fn format(&self) -> Format {
        match (self.format, &self.out) {
            (Some(format), _) => format,
            (None, Some(out)) => Format::from_path(out).unwrap_or_default(),
            (None, None) => Format::Png,
        }
    }
}

/// One file to make.
struct Job {
    layer: String,
    focus: Option<Focus>,
    path: PathBuf,
}

/// A device being opened on another thread (PNG only), for [`run`] to use.
pub type PendingDevice = std::thread::JoinHandle<Result<MapDevice, RenderError>>;

/// Starts opening the device for a PNG export on another thread (its pipelines compiled too);
/// `None` for vector formats.
pub fn open_device(args: &ExportArgs) -> Option<PendingDevice> {
    (args.format() == Format::Png).then(|| std::thread::spawn(MapDevice::open))
}

/// Runs the export, drawing PNG maps on `device` (from [`open_device`]).
pub fn run(
    atlas: &Atlas,
    lang: Lang,
    args: &ExportArgs,
    device: Option<PendingDevice>,
) -> anyhow::Result<()> {
    let mut device = device;
    let result = export(atlas, lang, args, &mut device);
    // A device still opening when the command failed early is waited for: the process must
    // not exit while a thread is inside the driver's start-up.
    if let Some(pending) = device {
        let _ = pending.join();
    }
    result
}

fn export(
    atlas: &Atlas,
    lang: Lang,
    args: &ExportArgs,
    device: &mut Option<PendingDevice>,
) -> anyhow::Result<()> {
    let batch = args.all_layers || args.by_region;
    match (batch, &args.out, &args.out_dir) {
        (true, Some(_), _) => bail!(
            "--all-layers and --by-region write several files: give --out-dir DIR instead of --out"
        ),
        (_, None, None) => {
            bail!("give --out FILE, or --out-dir DIR for --all-layers and --by-region")
        }
        _ => {}
    }
    let format = args.format();
    let focus = args
        .focus
        .as_deref()
        .map(|f| Focus::parse(atlas, f))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let options = ExportOptions {
        format,
        size: args.size,
        orientation: args.orientation,
        dpi: args.dpi,
        title: args.title.clone(),
        subtitle: args.subtitle.clone(),
        labels: args.labels,
        review_number: args.review_number.clone(),
        focus: focus.clone(),
        lang,
        date: args.date.clone(),
    };
    if let Some(date) = &args.date
        && !is_date(date)
    {
        bail!("--date '{date}' is not a date: use YYYY-MM-DD");
    }

    // The user's CSV (or the named layer) is resolved once; --all-layers walks the atlas.
    let single = if args.all_layers {
        None
    } else {
        Some(args.map.resolve(atlas)?)
    };
    let jobs = jobs(
        atlas,
        args,
        single.as_ref().map(|s| s.layer.id.as_str()),
        focus,
        format,
    )?;
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }

    let started = Instant::now();
    // A single file needs one level of detail; a batch may zoom to regions and needs them all.
    let geometry = match (jobs.as_slice(), &single) {
        ([job], Some(resolved)) => {
            let options = ExportOptions {
                focus: job.focus.clone(),
                ..options.clone()
            };
            let tolerance = tolerance_for(atlas, &resolved.layer, &resolved.spec, &options)?;
            MapGeometry::build_levels(atlas, &[tolerance])
        }
        _ => MapGeometry::build(atlas),
    };
    if format == Format::Png {
        // The device usually takes longer to open than the geometry to build: triangulate
        // the fills now rather than when they are uploaded.
        for level in &geometry.levels {
            level.fills();
        }
    }
    let mut exporter = Exporter::new(atlas, &geometry);
    if let Some(device) = device.take() {
        let device = device
            .join()
            .map_err(|_| anyhow::anyhow!("opening the graphics device failed unexpectedly"))?
            .map_err(ExportError::from)?;
        exporter.set_device(device);
    }
    let mut failed = 0;
    for (i, job) in jobs.iter().enumerate() {
        let job_started = Instant::now();
        let (layer, spec) = match &single {
            Some(resolved) => (resolved.layer.as_ref(), resolved.spec.clone()),
            None => {
                let layer = atlas.layer(&job.layer).context("layer vanished")?;
                (layer, args.map.spec_for(layer)?)
            }
        };
        let options = ExportOptions {
            focus: job.focus.clone(),
            ..options.clone()
        };
        let result = exporter.export(layer, &spec, &options, &job.path);
        let prefix = if jobs.len() > 1 {
            format!("[{}/{}] ", i + 1, jobs.len())
        } else {
            String::new()
        };
        match result {
            Ok(()) => eprintln!(
                "{prefix}{} ({:.2} s)",
                job.path.display(),
                job_started.elapsed().as_secs_f64()
            ),
            Err(e) if jobs.len() > 1 => {
                failed += 1;
                eprintln!("{prefix}{}: skipped: {e}", job.layer);
            }
            Err(e) => return Err(e.into()),
        }
    }
    if jobs.len() > 1 {
        eprintln!(
            "{} of {} files written in {:.1} s",
            jobs.len() - failed,
            jobs.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if let Some(adapter) = exporter.adapter() {
        eprintln!("map drawn on {} ({:?})", adapter.name, adapter.backend);
    }
    if failed > 0 {
        bail!("{failed} of {} exports failed (see above)", jobs.len());
    }
    // The process ends after this command, and the operating system takes its memory back at
    // once: dropping the device and the geometry would return some 100 MB piece by piece and
    // wait for the driver's threads, about 15 ms of a 0.25 s export.
    std::mem::forget(exporter);
    std::mem::forget(geometry);
    Ok(())
}

/// The files a run makes.
fn jobs(
    atlas: &Atlas,
    args: &ExportArgs,
    single: Option<&str>,
    focus: Option<Focus>,
    format: Format,
) -> anyhow::Result<Vec<Job>> {
    let layers: Vec<String> = match single {
        Some(id) => vec![id.to_owned()],
        None => atlas
            .layers()
            .iter()
            .filter(|l| {
                l.years().next().is_some()
                    && matches!(l.kind, LayerKind::Numeric | LayerKind::Categorical { .. })
            })
            .map(|l| l.id.clone())
            .collect(),
    };
    let focuses: Vec<Option<Focus>> = if args.by_region {
        EconomicRegion::ALL
            .into_iter()
            .map(|r| Some(Focus::Region(r)))
            .collect()
    } else {
        vec![focus]
    };
    let mut jobs = Vec::new();
    for layer in &layers {
        for focus in &focuses {
            let path = match (&args.out, &args.out_dir) {
                (Some(out), _) => out.clone(),
                (None, Some(dir)) => dir.join(file_name(layer, focus.as_ref(), format)),
                (None, None) => bail!("give --out FILE, or --out-dir DIR for a batch"),
            };
            jobs.push(Job {
                layer: layer.clone(),
                focus: focus.clone(),
                path,
            });
        }
    }
    Ok(jobs)
}

fn file_name(layer: &str, focus: Option<&Focus>, format: Format) -> String {
    let safe: String = layer
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    match focus {
        Some(focus) => format!("{safe}_{}.{}", focus.id(), format.extension()),
        None => format!("{safe}.{}", format.extension()),
    }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[1].parse::<u32>(), Ok(1..=12))
        && matches!(parts[2].parse::<u32>(), Ok(1..=31))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("population", None, Format::Png), "population.png");
        assert_eq!(
            file_name(
                "a/b",
                Some(&Focus::Region(EconomicRegion::PanxiRegion)),
                Format::Pdf
            ),
            "a_b_panxi.pdf"
        );
        assert!(
            Path::new(&file_name("x", None, Format::Svg))
                .extension()
                .is_some()
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2026-11-26"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("26-11-2026"));
    }
}
