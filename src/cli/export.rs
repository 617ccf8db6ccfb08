//! `county-atlas export`: briefing maps as PNG, SVG or PDF, one file or a batch (every layer,
//! every region), with progress on stderr.

use super::map_args::{MapArgs, ResolvedMap};
use anyhow::{Context, bail};
use clap::Args;
use county_atlas::analysis::composite::StoredIndex;
use county_atlas::analysis::composite::layers::{PREFIX as INDEX_PREFIX, SCORE};
use county_atlas::atlas::{Atlas, EconomicRegion, Layer, LayerKind, Level};
use county_atlas::export::png::MapDevice;
use county_atlas::export::{
    DPI_RANGE, ExportOptions, Exporter, Format, Inset, Orientation, PageSize, Renderer, file_name,
    is_date, tolerances_for,
};
use county_atlas::i18n::{Lang, tr};
use county_atlas::render::RenderError;
use county_atlas::scene::{Focus, MapDocument, MapGeometry, Overlay, OverlayStyle, Workspace};
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
    /// What draws a PNG's map: auto (the graphics device, or the CPU where there is none),
    /// gpu, or cpu (no graphics driver needed; slower).
    #[arg(long, default_value = "auto")]
    pub renderer: Renderer,
    /// Resolution of paper sizes in PNG (150, 300, 600).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(
        i64::from(*DPI_RANGE.start())..=i64::from(*DPI_RANGE.end())
    ))]
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
    /// A larger-scale inset in the legend column: chengdu (Chengdu's districts, named).
    #[arg(long)]
    pub inset: Option<Inset>,
    /// Set a comparison of the layer across groups beside the map: region (the five economic
    /// regions), prefecture, trunk (成都 and the rest) or a grouping table's file (county →
    /// group), as `county-atlas compare --by` makes it.
    #[arg(long, value_name = "region|prefecture|trunk|FILE")]
    pub compare: Option<String>,
    /// Distance rings: chengdu:50,100,200 (around 成都's population centre) or regions:100
    /// (around each economic region's), in km on the Albers plane.
    #[arg(long, value_name = "chengdu|regions:KM,KM")]
    pub rings: Option<county_atlas::scene::Rings>,
    /// Draw a designation list over the map: ID or ID:hatch (default) or ID:outline; repeat
    /// for several (ids from `county-atlas layers`, kind 名单).
    #[arg(long = "overlay", value_name = "ID[:STYLE]")]
    pub overlays: Vec<String>,
    /// Draw a point layer: an id from `county-atlas layers` (kind 点), or a point list of your
    /// own (a CSV or workbook with longitude and latitude columns; WGS84); repeat for several.
    #[arg(long = "points", value_name = "ID|FILE")]
    pub point_layers: Vec<String>,
    /// An innovation index's definition (as `county-atlas index --spec`), computed first:
    /// --layer then maps one of its layers (index:score, the default; index:grade,
    /// index:rank, index:rank_range, index:dimension:NAME, index:gap:LAYER, index:progress),
    /// and --all-layers every one; the definition goes into each file's record. The columns
    /// of --data may be its indicators (user:COLUMN).
    #[arg(long, value_name = "SPEC")]
    pub index: Option<PathBuf>,
    /// With --index: also compute it for this earlier year, for the index:progress layers
    /// (change in rank, and in score where scores compare across years).
    #[arg(long = "index-from-year", requires = "index")]
    pub index_from_year: Option<i32>,
    /// Export every built-in layer (its best-covered year) into --out-dir; with --data, every
    /// layer of the user's table instead; with --index, every layer of the index.
    #[arg(long = "all-layers", conflicts_with_all = ["layer", "year", "column"])]
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
    /// The format asked for: --format, else --out's extension, else PNG. An extension that
    /// names no format is refused by [`check_out`] before anything is written.
    pub fn format(&self) -> Format {
        match (self.format, &self.out) {
            (Some(format), _) => format,
            (None, Some(out)) => Format::from_path(out).unwrap_or_default(),
            (None, None) => Format::Png,
        }
    }

    /// Refuses an `--out` that would go wrong: a folder (`--out` takes a file name), a name
    /// whose extension gives no format while `--format` is not given, and one of the command's
    /// own input files (a CSV replaced by a PNG is lost work).
    fn check_out(&self) -> anyhow::Result<()> {
        let Some(out) = &self.out else {
            return Ok(());
        };
        let shown = out.display();
        let ends_in_separator = out.as_os_str().to_string_lossy().ends_with(['/', '\\']);
        if ends_in_separator || out.is_dir() {
            bail!(
                "--out {shown} 是文件夹:--out 需要文件名(如 map.png);批量导出到文件夹请用 --out-dir {shown} / --out {shown} is a folder: --out takes a file name (such as map.png); to write into a folder use --out-dir {shown}"
            );
        }
        if self.format.is_none() && Format::from_path(out).is_none() {
            let extension = out
                .extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_default();
            bail!(
                "--out {shown}: 扩展名“{extension}”不是 .png、.svg 或 .pdf;请改扩展名或加 --format png|svg|pdf / the extension '{extension}' is not .png, .svg or .pdf: change it or give --format png|svg|pdf"
            );
        }
        if let Some(input) = &self.map.data
            && same_file(out, input)
        {
            bail!(
                "--out {shown} 是输入文件 --data:不会覆盖它;请换一个输出文件名 / --out {shown} is the input file given to --data: it is not overwritten; choose another output name"
            );
        }
        Ok(())
    }
}

/// Whether two paths name one existing file (through links or different spellings).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return (a.dev(), a.ino()) == (b.dev(), b.ino());
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
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
    (args.format() == Format::Png && args.renderer != Renderer::Cpu)
        .then(|| std::thread::spawn(MapDevice::open))
}

/// Runs the export, drawing PNG maps on `device` (from [`open_device`]).
pub fn run(
    atlas: Atlas,
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
    atlas: Atlas,
    lang: Lang,
    args: &ExportArgs,
    device: &mut Option<PendingDevice>,
) -> anyhow::Result<()> {
    let batch = args.all_layers || args.by_region;
    match (batch, &args.out, &args.out_dir) {
        (true, Some(_), _) => bail!(
            "--all-layers 与 --by-region 会写出多个文件:请用 --out-dir DIR 代替 --out / --all-layers and --by-region write several files: give --out-dir DIR instead of --out"
        ),
        (_, None, None) => {
            bail!(
                "请给出 --out FILE;--all-layers 与 --by-region 请给出 --out-dir DIR / give --out FILE, or --out-dir DIR for --all-layers and --by-region"
            )
        }
        _ => {}
    }
    args.check_out()?;
    if args.date.is_none() {
        county_atlas::export::source_date_epoch().map_err(anyhow::Error::msg)?;
    }
    let format = args.format();
    let focus = args
        .focus
        .as_deref()
        .map(|f| Focus::parse(&atlas, f))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let mut options = ExportOptions {
        format,
        size: args.size,
        orientation: args.orientation,
        dpi: args.dpi,
        title: args.title.clone(),
        subtitle: args.subtitle.clone(),
        review_number: args.review_number.clone(),
        inset: args.inset,
        compare: args
            .compare
            .as_deref()
            .map(|by| super::compare::grouping(&atlas, by))
            .transpose()
            .context("--compare")?,
        lang,
        date: args.date.clone(),
    };
    // Characters a page cannot carry are removed from its texts, and the user told.
    for field in options.clean_texts() {
        let flag = format!("--{}", field.replace('_', "-"));
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!("{flag}:已删除控制字符(制表符、换行等改为空格)"),
                Lang::En =>
                    format!("{flag}: control characters removed (tabs and line breaks made spaces)"),
            }
        );
    }
    let mut atlas = atlas;
    let point_args = super::point_files::add_point_files(&mut atlas, &args.point_layers, lang)?;
    let overlays = overlays(&atlas, &args.overlays)?;
    let point_layers = point_layers(&atlas, &point_args)?;
    // What every map of the run shows besides its layer.
    let document = |spec| MapDocument {
        overlays: overlays.clone(),
        point_layers: point_layers.clone(),
        labels: args.labels,
        rings: args.rings.clone(),
        ..MapDocument::of(spec)
    };
    if let Some(date) = &args.date
        && !is_date(date)
    {
        bail!(
            "--date “{date}”不是日期,请写成 YYYY-MM-DD / --date '{date}' is not a date: use YYYY-MM-DD"
        );
    }

    // The index is computed before anything is resolved: its layers may be the map.
    let index = args
        .index
        .as_deref()
        .map(|spec| index_layers(&atlas, spec, args))
        .transpose()?;
    // The user's table (or the named layer) is resolved once; --all-layers walks the atlas,
    // or with --data every layer of the user's table, or with --index the index's.
    let single = match (args.all_layers, &index) {
        (true, _) => None,
        (false, Some((layers, _)))
            // With --data, the table's --column may be the map instead.
            if args.map.data.is_none()
                || args
                    .map
                    .layer
                    .as_deref()
                    .map_or(args.map.column.is_none(), |id| id.starts_with(INDEX_PREFIX)) =>
        {
            let id = args.map.layer.as_deref().unwrap_or(SCORE);
            match layers.iter().find(|l| l.id == id) {
                Some(layer) => Some(ResolvedMap {
                    user_layer: Some(layer.clone()),
                    spec: args.map.spec_for(layer)?,
                }),
                None if id.starts_with(INDEX_PREFIX) => bail!(
                    "--layer {id}: 指数没有此图层;可用:{0} / the index has no such layer; it has: {0}",
                    layers
                        .iter()
                        .map(|l| l.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => Some(args.map.resolve(&atlas)?),
            }
        }
        (false, _) => Some(args.map.resolve(&atlas)?),
    };
    let user_layers = match (&index, args.all_layers) {
        (Some((layers, _)), true) => layers.clone(),
        (None, true) if args.map.data.is_some() => args.map.user_layers(&atlas)?,
        _ => Vec::new(),
    };
    let jobs = jobs(
        &atlas,
        args,
        single.as_ref().map(|s| s.spec.layer.as_str()),
        &user_layers,
        focus,
        format,
    )?;
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).with_context(|| {
            format!(
                "无法创建文件夹 {0} / cannot create the folder {0}",
                dir.display()
            )
        })?;
    }

    let started = Instant::now();
    // A single file needs one level of detail; a batch may zoom to regions and needs them all.
    let geometry = match (jobs.as_slice(), &single) {
        ([job], Some(resolved)) => {
            let doc = MapDocument {
                focus: job.focus.clone(),
                ..document(resolved.spec.clone())
            };
            let tolerances = tolerances_for(&atlas, resolved.layer(&atlas)?, &doc, &options)?;
            MapGeometry::build_levels(&atlas, &tolerances)
        }
        _ => MapGeometry::build(&atlas),
    };
    if format == Format::Png {
        // The device usually takes longer to open than the geometry to build: triangulate
        // the fills now rather than when they are uploaded.
        for level in &geometry.levels {
            level.fills();
        }
    }
    let mut workspace = Workspace::new(atlas, geometry);
    if let Some((layers, source)) = index {
        workspace.set_index_layers(layers, source);
    }
    for layer in user_layers {
        // The index's layers are in the workspace already.
        if workspace.layer(&layer.id).is_none() {
            workspace.add_layer(layer).map_err(anyhow::Error::msg)?;
        }
    }
    let single_spec = match single {
        Some(resolved) => {
            // A designation list mapped on its own is in the workspace already.
            if let Some(layer) = resolved.user_layer
                && workspace.layer(&layer.id).is_none()
            {
                workspace.add_layer(layer).map_err(anyhow::Error::msg)?;
            }
            Some(resolved.spec)
        }
        None => None,
    };
    let mut exporter = Exporter::new(&workspace);
    exporter.set_renderer(args.renderer);
    if let Some(device) = device.take() {
        match device.join().map_err(|_| {
            anyhow::anyhow!(
                "打开图形设备意外失败 / opening the graphics device failed unexpectedly"
            )
        })? {
            Ok(device) => exporter.set_device(device),
            Err(error) => exporter.device_failed(error)?,
        }
    }
    if let Some(why) = exporter.fell_back_to_cpu() {
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!("没有可用的图形设备,地图改在 CPU 上绘制(较慢):{why}"),
                Lang::En => format!(
                    "no graphics device could be used: the map is drawn on the CPU (slower): {why}"
                ),
            }
        );
    }
    let said_missing = std::sync::Mutex::new(Vec::new());
    let warn = |page: &county_atlas::export::Page| {
        if let Ok(mut said) = said_missing.lock() {
            warn_missing_glyphs(&page.missing_glyphs, &mut said, lang);
        }
    };
    let page_of =
        |exporter: &Exporter<'_>, job: &Job| -> anyhow::Result<county_atlas::export::Page> {
            let spec = match &single_spec {
                Some(spec) => spec.clone(),
                None => {
                    let layer = workspace
                        .layer(&job.layer)
                        .context("图层已不存在 / the layer is gone")?;
                    args.map.spec_for(layer)?
                }
            };
            let doc = MapDocument {
                focus: job.focus.clone(),
                ..document(spec)
            };
            let page = exporter.page(&doc, &options)?;
            warn(&page);
            Ok(page)
        };
    // What one job did, said on stderr; whether it failed in a batch (a single export's error
    // is the command's).
    let said = |i: usize,
                job: &Job,
                result: anyhow::Result<county_atlas::export::Record>,
                took: f64|
     -> anyhow::Result<bool> {
        let prefix = if jobs.len() > 1 {
            format!("[{}/{}] ", i + 1, jobs.len())
        } else {
            String::new()
        };
        match result {
            Ok(record) => {
                let layer = workspace.layer(&record.layer);
                let level = layer.map_or(Level::County, |l| l.level);
                let (covered, of) = match (layer, level) {
                    (Some(l), Level::Prefecture) => l.coverage(record.year),
                    _ => (record.coverage, record.units),
                };
                let units = match level {
                    Level::County => tr(lang, "个县有数据", " counties with a value"),
                    Level::Prefecture => tr(lang, "个市州有数据", " prefectures with a value"),
                };
                let thin = if covered * 2 < of {
                    tr(lang, ";覆盖不足一半", "; under half covered")
                } else {
                    ""
                };
                eprintln!(
                    "{prefix}{} ({took:.2} s; {}{covered}/{of}{units}{thin})",
                    job.path.display(),
                    if record.year > 0 {
                        format!("{}{} ", record.year, tr(lang, "年", ""))
                    } else {
                        String::new()
                    },
                );
                Ok(false)
            }
            Err(e) if jobs.len() > 1 => {
                eprintln!(
                    "{prefix}{}: {}{e}",
                    job.layer,
                    tr(lang, "已跳过:", "skipped: ")
                );
                Ok(true)
            }
            Err(e) => Err(e),
        }
    };
    let outcomes: Vec<anyhow::Result<bool>> = if format == Format::Png && jobs.len() == 1 {
        // The furniture is made beside the device's first strips.
        let job_started = Instant::now();
        let result = page_of(&exporter, &jobs[0]).and_then(|page| {
            let bytes = exporter.render_page(&page, format)?;
            county_atlas::export::write(&jobs[0].path, &bytes)?;
            Ok(page.record)
        });
        vec![said(
            0,
            &jobs[0],
            result,
            job_started.elapsed().as_secs_f64(),
        )]
    } else if format == Format::Png {
        // One device draws the maps, one after another; meanwhile one thread lays out the
        // next page and makes its furniture, and another writes the last file, so that the
        // device waits for neither.
        let layout = &Exporter::new(&workspace);
        let (page_of, said, all_jobs) = (&page_of, &said, &jobs);
        let (page_sender, pages) = std::sync::mpsc::sync_channel(1);
        let (file_sender, files) = std::sync::mpsc::sync_channel::<(
            usize,
            Instant,
            anyhow::Result<(county_atlas::export::Record, Vec<u8>)>,
        )>(1);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for job in all_jobs {
                    let job_started = Instant::now();
                    let made = page_of(layout, job).and_then(|page| {
                        let furniture = layout.furniture(&page)?;
                        Ok((page, furniture))
                    });
                    if page_sender.send((job_started, made)).is_err() {
                        break;
                    }
                }
            });
            let writer = scope.spawn(move || {
                files
                    .into_iter()
                    .map(|(i, job_started, made)| {
                        let job: &Job = &all_jobs[i];
                        let result = made.and_then(|(record, bytes)| {
                            county_atlas::export::write(&job.path, &bytes)?;
                            Ok(record)
                        });
                        said(i, job, result, job_started.elapsed().as_secs_f64())
                    })
                    .collect::<Vec<_>>()
            });
            for (i, (job_started, made)) in pages.into_iter().enumerate() {
                let drawn = made.and_then(|(page, furniture)| {
                    let bytes = exporter.render_png(&page, Some(&furniture))?;
                    Ok((page.record, bytes))
                });
                if file_sender.send((i, job_started, drawn)).is_err() {
                    break;
                }
            }
            drop(file_sender);
            writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    } else {
        // Vector pages need no device: every core writes them.
        use rayon::prelude::*;
        let shared = &exporter;
        jobs.par_iter()
            .enumerate()
            .map(|(i, job)| {
                let job_started = Instant::now();
                let result = page_of(shared, job).and_then(|page| {
                    let bytes = shared
                        .render_vector(&page, format)
                        .context("not a vector format")??;
                    county_atlas::export::write(&job.path, &bytes)?;
                    Ok(page.record)
                });
                said(i, job, result, job_started.elapsed().as_secs_f64())
            })
            .collect()
    };
    let mut failed = 0;
    for outcome in outcomes {
        if outcome? {
            failed += 1;
        }
    }
    if jobs.len() > 1 {
        let (written, seconds) = (jobs.len() - failed, started.elapsed().as_secs_f64());
        match lang {
            Lang::Zh => eprintln!(
                "已写入 {written}/{} 个文件,用时 {seconds:.1} 秒",
                jobs.len()
            ),
            Lang::En => eprintln!(
                "{written} of {} files written in {seconds:.1} s",
                jobs.len()
            ),
        }
    }
    if let Some(adapter) = exporter.adapter() {
        eprintln!(
            "{} {} ({:?})",
            tr(lang, "地图绘制于", "map drawn on"),
            adapter.name,
            adapter.backend
        );
    }
    if failed > 0 {
        bail!(
            "{failed}/{} 个导出失败(见上文) / {failed} of {} exports failed (see above)",
            jobs.len(),
            jobs.len()
        );
    }
    // The process ends after this command, and the operating system takes its memory back at
    // once: dropping the device and the geometry would return some 100 MB piece by piece and
    // wait for the driver's threads, about 15 ms of a 0.25 s export.
    std::mem::forget(exporter);
    std::mem::forget(workspace);
    Ok(())
}

/// The layers of the index `spec` defines, computed on the atlas (and the computed layers it
/// names), with the definition as it is stored.
fn index_layers(
    atlas: &Atlas,
    spec: &std::path::Path,
    args: &ExportArgs,
) -> anyhow::Result<(Vec<Layer>, StoredIndex)> {
    // The map's own table feeds the index too, as `index --data` does.
    let mut extra =
        super::index::ExtraLayers::read(atlas, args.map.data.as_slice(), &args.map.table)?;
    let asked = super::index::Asked {
        from_year: args.index_from_year,
        ..Default::default()
    };
    let (spec, run) = super::index::compute(atlas, spec, &mut extra, asked)?;
    Ok((run.layers(), spec.stored(atlas, &run)))
}

/// Says, once per character over a run, which characters the bundled font cannot draw (shown
/// as a box on the page).
fn warn_missing_glyphs(missing: &[char], said: &mut Vec<char>, lang: Lang) {
    let new: String = missing.iter().filter(|c| !said.contains(c)).collect();
    if new.is_empty() {
        return;
    }
    said.extend(new.chars());
    let shown = county_atlas::format::terminal_safe(&new);
    let mark = county_atlas::export::metrics::MISSING_GLYPH;
    eprintln!(
        "{}",
        match lang {
            Lang::Zh => format!("内置字体缺少这些字符,页面上以 {mark} 代替:{shown}"),
            Lang::En =>
                format!("the bundled font lacks these characters, drawn as {mark}: {shown}"),
        }
    );
}

/// The `--overlay ID[:STYLE]` arguments as overlays, each list named once.
fn overlays(atlas: &Atlas, args: &[String]) -> anyhow::Result<Vec<Overlay>> {
    let mut overlays: Vec<Overlay> = Vec::new();
    for arg in args {
        let (id, style) = match arg.rsplit_once(':') {
            Some((id, style)) => (id, style.parse().map_err(anyhow::Error::msg)?),
            None => (arg.as_str(), OverlayStyle::Hatch),
        };
        if atlas.designation(id).is_none() {
            bail!(
                "--overlay {id}: {}",
                if atlas.layer(id).is_some() || atlas.point_layers().iter().any(|p| p.id == id) {
                    format!(
                        "“{id}”不是名单图层;有数值的图层用 --layer 绘制,点图层用 --points / '{id}' is not a designation list (名单); a layer with values is mapped with --layer, a point layer drawn with --points"
                    )
                } else {
                    format!(
                        "没有名单图层“{id}”;`county-atlas layers` 列出全部(类型 名单) / no designation list '{id}'; `county-atlas layers` lists them (kind 名单): {}",
                        atlas
                            .designations()
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            );
        }
        match overlays.iter_mut().find(|o| o.designation == id) {
            Some(existing) => existing.style = style,
            None => overlays.push(Overlay {
                designation: id.to_owned(),
                style,
            }),
        }
    }
    Ok(overlays)
}

/// The `--points ID` arguments, checked, each named once.
fn point_layers(atlas: &Atlas, args: &[String]) -> anyhow::Result<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    for id in args {
        if !atlas.point_layers().iter().any(|p| &p.id == id) {
            bail!(
                "--points {id}: 没有点图层“{id}”,也没有这个文件;`county-atlas layers` 列出内置点图层(类型 点) / no point layer or file '{id}'; `county-atlas layers` lists the built-in ones (kind 点): {}",
                atlas
                    .point_layers()
                    .iter()
                    .map(|p| p.id.as_str())
                    .filter(|id| !id.starts_with("user:"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Ok(ids)
}

/// The files a run makes.
fn jobs(
    atlas: &Atlas,
    args: &ExportArgs,
    single: Option<&str>,
    user_layers: &[Layer],
    focus: Option<Focus>,
    format: Format,
) -> anyhow::Result<Vec<Job>> {
    let layers: Vec<String> = match single {
        Some(id) => vec![id.to_owned()],
        None if !user_layers.is_empty() => user_layers.iter().map(|l| l.id.clone()).collect(),
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
                (None, None) => bail!(
                    "请给出 --out FILE,批量导出请给出 --out-dir DIR / give --out FILE, or --out-dir DIR for a batch"
                ),
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

#[cfg(test)]
mod tests {
    use county_atlas::export::is_date;

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2026-11-26"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("26-11-2026"));
    }
}
