//! `county-atlas index`: the county innovation index of a definition file, as a table, JSON
//! or CSV, with the Monte Carlo rank intervals where asked. Indicators may name built-in
//! layers, the columns of `--data` tables, and computed layers (`distance:chengdu`,
//! `access:POINTS`, `within:POINTS:KM`).

use super::table_args::TableArgs;
use anyhow::Context;
use clap::Args;
use county_atlas::analysis::composite::inputs::computed_inputs;
use county_atlas::analysis::composite::progress::Progress;
use county_atlas::analysis::composite::table::{
    IndexTable, choice_label, grade_name, index_csv, interval_text,
};
use county_atlas::analysis::composite::{IndexRun, Treatment};
use county_atlas::analysis::result_layers::is_computed_id;
use county_atlas::atlas::{Atlas, Layer};
use county_atlas::format::{columns, number};
use county_atlas::i18n::{Lang, tr};
use county_atlas::io::county_table::read_county_table;
use county_atlas::io::index_spec::{IndexSpec, read_index_spec};
use std::io::Write;
use std::path::PathBuf;

/// What `index` is asked.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The index's definition (TOML: name, year, [method], [[indicator]], optional
    /// [[dimension]], [groups], [grades], [uncertainty]; see docs/index-method.md).
    #[arg(long)]
    pub spec: PathBuf,
    /// Compute it for this year instead of the definition's.
    #[arg(long)]
    pub year: Option<i32>,
    /// A county table whose columns the definition's indicators name (repeatable).
    #[arg(long)]
    pub data: Vec<PathBuf>,
    /// How to read the --data tables.
    #[command(flatten)]
    pub table: TableArgs,
    /// Run the uncertainty analysis with this many Monte Carlo draws (default: the
    /// definition's [uncertainty] draws, where it has the section).
    #[arg(long)]
    pub uncertainty: Option<usize>,
    /// The draws' seed (default: the definition's, else 1).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Also compute it for this earlier year and give each county's change in score and
    /// rank (进步县: the counties that moved up most).
    #[arg(long = "from-year")]
    pub from_year: Option<i32>,
    /// Print JSON.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (adcode, name, prefecture, region, score, rank, group, ranks within the
    /// region and class, one column per dimension, the rank interval).
    #[arg(long)]
    pub csv: bool,
}

/// The layers an index can read beyond the atlas's: the --data tables' and computed ones.
pub struct ExtraLayers {
    layers: Vec<Layer>,
}

impl ExtraLayers {
    /// Reads the tables of `data` (their reports on stderr).
    pub fn read(atlas: &Atlas, data: &[PathBuf], table: &TableArgs) -> anyhow::Result<Self> {
        let mut layers = Vec::new();
        for path in data {
            let read = read_county_table(path, atlas, &table.options(Vec::new(), None))?;
            super::table_args::write_report(&read.report, &mut std::io::stderr())?;
            layers.extend(read.layers);
        }
        Ok(ExtraLayers { layers })
    }

    /// A layer by id: the atlas's, else one of these.
    pub fn find<'a>(&'a self, atlas: &'a Atlas, id: &str) -> Option<&'a Layer> {
        atlas
            .layer(id)
            .or_else(|| self.layers.iter().find(|l| l.id == id))
    }
}

/// What to compute besides the definition's own year.
#[derive(Clone, Copy, Debug, Default)]
pub struct Asked {
    /// Instead of the definition's year.
    pub year: Option<i32>,
    /// Monte Carlo draws of the rank intervals.
    pub draws: Option<usize>,
    /// Their seed.
    pub seed: Option<u64>,
    /// The earlier year progress is measured from.
    pub from_year: Option<i32>,
}

/// Reads the definition and computes the index, with the draws and progress `asked`.
pub fn compute(
    atlas: &Atlas,
    spec: &std::path::Path,
    extra: &mut ExtraLayers,
    asked: Asked,
) -> anyhow::Result<(IndexSpec, IndexRun)> {
    let (spec, mut run) = compute_year(atlas, spec, asked.year, extra, asked.draws, asked.seed)?;
    if let Some(from) = asked.from_year {
        let (_, then) = compute_year(atlas, &spec.path, Some(from), extra, None, None)
            .with_context(|| {
                format!(
                    "比较年份 {from} 无法计算(换一个年份)/ the earlier year {from} cannot be computed (choose another)"
                )
            })?;
        run.set_progress(from, &then.result);
    }
    Ok((spec, run))
}

fn compute_year(
    atlas: &Atlas,
    spec: &std::path::Path,
    year: Option<i32>,
    extra: &mut ExtraLayers,
    draws: Option<usize>,
    seed: Option<u64>,
) -> anyhow::Result<(IndexSpec, IndexRun)> {
    let exists = |id: &str| extra.find(atlas, id).is_some() || is_computed_id(id);
    let spec = read_index_spec(spec, atlas, &exists, year)?;
    let on_line = |e: county_atlas::analysis::composite::DefinitionError| {
        anyhow::anyhow!("{}:{}: {} / {}", spec.path.display(), e.line, e.zh, e.en)
    };
    if spec
        .definition
        .indicators
        .iter()
        .any(|i| is_computed_id(&i.layer))
    {
        let index = county_atlas::spatial::SpatialIndex::build(atlas);
        let found = |id: &str| extra.find(atlas, id);
        let computed = computed_inputs(atlas, &index, &found, &spec.definition).map_err(on_line)?;
        extra.layers.extend(computed);
    }
    let settings = &spec.definition.uncertainty;
    let has_section = spec.text.contains("[uncertainty]");
    let draws = draws
        .or(has_section.then_some(settings.draws))
        .map(|n| (n, seed.unwrap_or(settings.seed)));
    let lookup = |id: &str| extra.find(atlas, id);
    let run = IndexRun::new(
        atlas,
        &lookup,
        spec.definition.clone(),
        spec.classes.clone(),
        draws,
    )
    .map_err(|e| anyhow::anyhow!("{}:{}: {} / {}", spec.path.display(), e.line, e.zh, e.en))?;
    Ok((spec, run))
}

/// Runs `index`.
pub fn run(atlas: &Atlas, lang: Lang, args: &IndexArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut extra = ExtraLayers::read(atlas, &args.data, &args.table)?;
    let asked = Asked {
        year: args.year,
        draws: args.uncertainty,
        seed: args.seed,
        from_year: args.from_year,
    };
    let (_, run) = compute(atlas, &args.spec, &mut extra, asked)?;
    let table = IndexTable::new(atlas, &run, lang);
    if args.json {
        return super::write_json(out, &table);
    }
    if args.csv {
        out.write_all(&index_csv(&table, false))
            .context("无法写出指数表 / cannot write the index table")?;
        return Ok(());
    }
    write_text(&table, &run, lang, out)?;
    if let Some(progress) = &run.progress {
        write_progress(atlas, progress, lang, out)?;
    }
    Ok(())
}

fn write_text(
    table: &IndexTable,
    run: &IndexRun,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "{} {}", table.name, table.year)?;
    writeln!(out, "{}", table.method)?;
    let dimensions: Vec<String> = table
        .counties
        .first()
        .map(|c| c.dimensions.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let uncertainty = table.counties.iter().any(|c| c.uncertainty.is_some());
    let mut header: Vec<String> = vec![
        tr(lang, "位次", "rank").to_owned(),
        tr(lang, "县", "county").to_owned(),
        tr(lang, "得分", "score").to_owned(),
        tr(lang, "分级", "group").to_owned(),
        tr(lang, "区内", "in region").to_owned(),
    ];
    header.extend(dimensions.iter().cloned());
    if uncertainty {
        header.push(tr(lang, "位次中位数(5%–95%)", "median rank (5–95%)").to_owned());
    }
    let mut rows = vec![header];
    for c in &table.counties {
        let mut row = vec![
            c.rank.to_string(),
            c.name.clone(),
            number(c.score, 2),
            grade_name(c.group, lang),
            c.rank_in_region.map_or_else(String::new, |r| r.to_string()),
        ];
        for (_, v) in &c.dimensions {
            row.push(v.map_or_else(|| "—".to_owned(), |v| number(v, 2)));
        }
        if let Some(u) = &c.uncertainty {
            row.push(interval_text(u));
        }
        rows.push(row);
    }
    write!(out, "{}", columns(&rows))?;
    writeln!(
        out,
        "{}{}",
        tr(lang, "全省平均得分 ", "provincial average score "),
        number(table.mean_score, 2)
    )?;
    for (n, i) in table.indicators.iter().enumerate() {
        let treatment = match i.treatment {
            Treatment::None => String::new(),
            Treatment::Winsorised { points } => {
                format!(" · {} {points}", tr(lang, "缩尾", "winsorised"))
            }
            Treatment::Log => format!(" · {}", tr(lang, "取对数", "logged")),
        };
        let mut target = match (i.target, i.target_mean, i.target_reached) {
            (Some(t), Some(mean), Some(reached)) => format!(
                " · {} {} · {} {} · {} {reached}/{}",
                tr(lang, "目标", "target"),
                number(t, 2),
                tr(lang, "平均", "mean"),
                number(mean, 2),
                tr(lang, "达标", "reached"),
                i.with_value
            ),
            _ => String::new(),
        };
        if let (Some(w), Some(Some(name))) = (&i.target_weighted, run.mean_weight_names.get(n)) {
            target.push_str(&format!(
                " · {} {} {} ({}/{})",
                tr(lang, "加权平均,按", "mean weighted by"),
                name.get(lang),
                w.mean.map_or_else(
                    || tr(lang, "无数据", "no data").to_owned(),
                    |m| number(m, 2)
                ),
                w.of,
                i.with_value
            ));
        }
        writeln!(
            out,
            "{} · {} · {} {}/{}{treatment}{target}",
            i.name,
            i.dimension,
            tr(lang, "覆盖", "coverage"),
            i.with_value,
            table.counties.len() + table.not_scored.len(),
        )?;
    }
    if !table.not_scored.is_empty() {
        let names: Vec<&str> = table.not_scored.iter().map(|n| n.name.as_str()).collect();
        writeln!(
            out,
            "{} {}: {}",
            tr(lang, "未计分", "not scored"),
            names.len(),
            names.join(tr(lang, "、", ", "))
        )?;
    }
    if !table.sensitivity.is_empty() {
        writeln!(
            out,
            "{}",
            tr(
                lang,
                "最影响位次的选择(平均/最大位次变化):",
                "choices that move ranks most (mean / largest rank change):"
            )
        )?;
        for s in table.sensitivity.iter().take(8) {
            writeln!(
                out,
                "  {}: {} / {}",
                choice_label(&s.choice, run, lang),
                number(s.mean_abs, 1),
                s.max_abs
            )?;
        }
    }
    Ok(())
}

fn write_progress(
    atlas: &Atlas,
    progress: &Progress,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} {}{}",
        tr(
            lang,
            "进步最大的县(位次上升),自",
            "Counties that moved up most since"
        ),
        progress.from_year,
        if progress.scores_compare {
            ""
        } else {
            tr(
                lang,
                "(各年分别标准化:只比较位次)",
                " (normalised within each year: ranks compare, scores do not)",
            )
        }
    )?;
    for (u, change) in progress.most_improved(10, |_| true) {
        writeln!(
            out,
            "  {} {} → {} (+{})",
            atlas.units()[u].name_in(lang),
            change.rank_from,
            change.rank_now(),
            change.rank_change
        )?;
    }
    Ok(())
}
