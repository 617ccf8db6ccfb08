//! `county-atlas compare`: a layer compared across the five regions, the prefectures, 一干 and
//! the rest, or the user's grouping: a table, JSON or CSV.

use super::value_args::ValueArgs;
use anyhow::Context;
use county_atlas::analysis::group_compare::{GroupComparison, GroupRow, compare_groups};
use county_atlas::analysis::grouping::Grouping;
use county_atlas::atlas::Atlas;
use county_atlas::export::chart::{ChartKind, chart_png, chart_svg};
use county_atlas::format::{columns, number};
use county_atlas::i18n::{Lang, tr};
use std::io::Write;
use std::path::Path;

/// The grouping `--by` names: a built-in one, or a grouping table's file.
pub fn grouping(atlas: &Atlas, by: &str) -> anyhow::Result<Grouping> {
    Ok(county_atlas::io::grouping_table::grouping_by(
        atlas,
        by,
        Path::new(""),
    )?)
}

/// What `compare` was asked.
pub struct CompareArgs<'a> {
    /// The values.
    pub values: &'a ValueArgs,
    /// The grouping (`--by`).
    pub by: &'a str,
    /// A target of the user's own.
    pub target: Option<f64>,
    /// How the table is printed.
    pub format: OutputFormat,
    /// A chart to write, and where.
    pub chart: Option<(ChartChoice, std::path::PathBuf)>,
}

/// The chart `--chart` names.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartChoice {
    /// A chart of the groups.
    Groups(ChartKind),
    /// The distribution with the map's class breaks.
    Histogram,
    /// The Moran scatter plot (queen weights).
    Moran,
    /// Against another county layer (its id).
    Scatter(String),
}

impl std::str::FromStr for ChartChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "histogram" | "hist" => Ok(ChartChoice::Histogram),
            "moran" => Ok(ChartChoice::Moran),
            other => match other.split_once(':') {
                Some(("scatter", layer)) if !layer.trim().is_empty() => {
                    Ok(ChartChoice::Scatter(layer.trim().to_owned()))
                }
                _ => other.parse::<ChartKind>().map(ChartChoice::Groups).map_err(|_| {
                    format!(
                        "图表“{other}”无法识别:请用 means、boxes、histogram、moran 或 scatter:图层 / unknown chart '{other}': use means, boxes, histogram, moran or scatter:LAYER"
                    )
                }),
            },
        }
    }
}

/// Runs `compare`.
pub fn run(
    atlas: &Atlas,
    lang: Lang,
    args: &CompareArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let values = args.values;
    let layer = values.layer(atlas)?;
    let grouping = grouping(atlas, args.by)?;
    let table = compare_groups(
        atlas,
        &layer,
        values.year,
        values.normalize,
        &grouping,
        args.target,
    )
    .with_context(|| format!("compare --layer {}", layer.id))?;
    if let Some((choice, path)) = &args.chart {
        let chart = Chart {
            atlas,
            layer: &layer,
            table: &table,
            normalization: values.normalize,
            lang,
        };
        let svg = chart.svg(choice)?;
        write_chart(&svg, path)?;
    }
    match args.format {
        OutputFormat::Json => super::write_json(out, &table),
        OutputFormat::Csv => write_csv(&table, out),
        OutputFormat::Text => write_text(&table, lang, out),
    }
}

/// How results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// An aligned table for reading.
    Text,
    /// JSON.
    Json,
    /// CSV for a spreadsheet.
    Csv,
}

impl OutputFormat {
    /// From the `--json` and `--csv` flags.
    pub fn from_flags(json: bool, csv: bool) -> Self {
        match (json, csv) {
            (true, _) => OutputFormat::Json,
            (_, true) => OutputFormat::Csv,
            _ => OutputFormat::Text,
        }
    }
}

/// What a chart is drawn from.
struct Chart<'a> {
    atlas: &'a Atlas,
    layer: &'a county_atlas::atlas::Layer,
    table: &'a GroupComparison,
    normalization: county_atlas::analysis::mapped::Normalization,
    lang: Lang,
}

impl Chart<'_> {
    /// The chart `choice` names, as SVG.
    fn svg(&self, choice: &ChartChoice) -> anyhow::Result<String> {
        use county_atlas::analysis::chart_data::{Histogram, moran_scatter, two_layers};
        use county_atlas::analysis::mapped::MappedValues;
        use county_atlas::export::chart_xy::{histogram_chart, moran_chart, two_layer_chart};
        let Chart {
            atlas,
            layer,
            table,
            normalization,
            lang,
        } = *self;
        let sources = county_atlas::export::chart::chart_sources(atlas, layer, table.year);
        let mapped = MappedValues::new(atlas, layer, Some(table.year), normalization)?;
        let (units, values) = mapped.with_values();
        let county_level = |what: &str| -> anyhow::Result<()> {
            if layer.level != county_atlas::atlas::Level::County {
                anyhow::bail!(
                    "--chart {what}: 图层“{}”是市级数据,需县级数据 / layer '{}' holds prefecture values: the chart needs county values",
                    layer.id,
                    layer.id
                );
            }
            Ok(())
        };
        Ok(match choice {
            ChartChoice::Groups(kind) => chart_svg(table, *kind, &sources, lang),
            ChartChoice::Histogram => {
                let spec = county_atlas::scene::MapSpec {
                    layer: layer.id.clone(),
                    year: Some(table.year),
                    normalization,
                    ..Default::default()
                };
                let choropleth = county_atlas::scene::Choropleth::new(atlas, layer, &spec)?;
                let classification = choropleth.classification.as_ref().ok_or_else(|| {
                    anyhow::anyhow!("--chart histogram: 分类图层没有分布 / a layer of categories has no distribution")
                })?;
                let histogram =
                    Histogram::of(&values, county_atlas::analysis::chart_data::HISTOGRAM_BINS)
                        .ok_or_else(|| anyhow::anyhow!("--chart histogram: 无数值 / no values"))?;
                histogram_chart(
                    table,
                    &histogram,
                    classification,
                    &choropleth.class_colours(),
                    &sources,
                    lang,
                )
            }
            ChartChoice::Moran => {
                county_level("moran")?;
                let index = county_atlas::spatial::SpatialIndex::build(atlas);
                let scatter = moran_scatter(
                    &index,
                    &units,
                    &values,
                    county_atlas::spatial::WeightsKind::Queen,
                    999,
                    12345,
                )
                .ok_or_else(|| {
                    anyhow::anyhow!("--chart moran: 数值全部相同 / every value is the same")
                })?;
                moran_chart(table, &scatter, &[], &sources, lang)
            }
            ChartChoice::Scatter(other) => {
                county_level("scatter")?;
                let x_layer = atlas
                    .layer(other)
                    .ok_or_else(|| anyhow::anyhow!(super::map_args::not_a_layer(atlas, other)))?;
                let scatter = two_layers(atlas, &units, &values, x_layer)?;
                let sources = county_atlas::export::chart::two_layer_sources(
                    atlas, layer, table.year, x_layer,
                );
                two_layer_chart(table, &scatter, x_layer.name.get(lang), &[], &sources, lang)
            }
        })
    }
}

/// Writes the chart as SVG or PNG (by the file's extension), atomically.
fn write_chart(svg: &str, path: &Path) -> anyhow::Result<()> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let bytes = match extension.as_str() {
        "svg" => svg.as_bytes().to_vec(),
        "png" => chart_png(svg, 300.0 / 72.0)?,
        _ => anyhow::bail!(
            "--out {}: 图表须为 .svg 或 .png / the chart's file must end in .svg or .png",
            path.display()
        ),
    };
    county_atlas::export::write(path, &bytes)?;
    eprintln!("{}", path.display());
    Ok(())
}

fn cells(row: &GroupRow, lang: Lang, digits: usize) -> Vec<String> {
    let value = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| number(v, digits));
    let extreme = |e: &Option<county_atlas::analysis::group_compare::Extreme>| {
        e.as_ref().map_or_else(
            || "—".to_owned(),
            |e| format!("{} ({})", number(e.value, digits), e.name.get(lang)),
        )
    };
    vec![
        row.group.get(lang).to_owned(),
        format!("{}/{}", row.with_value, row.units),
        value(row.sum),
        value(row.mean),
        value(row.population_weighted_mean),
        value(row.median),
        extreme(&row.min),
        extreme(&row.max),
        row.rank.map_or_else(String::new, |r| r.to_string()),
    ]
}

fn write_text(table: &GroupComparison, lang: Lang, out: &mut dyn Write) -> anyhow::Result<()> {
    // Year 0 is a layer without a year (a distance, an undated table of the user's).
    writeln!(
        out,
        "{} ({}) · {}{}",
        table.name.get(lang),
        table.unit.get(lang),
        county_atlas::export::chart::year_prefix(table.year, lang),
        table.grouping.get(lang)
    )?;
    let digits = 2;
    let mut rows = vec![vec![
        tr(lang, "分组", "group").to_owned(),
        tr(lang, "有数值/单元", "with value/units").to_owned(),
        tr(lang, "合计", "sum").to_owned(),
        tr(lang, "均值", "mean").to_owned(),
        tr(lang, "人口加权均值", "population-weighted").to_owned(),
        tr(lang, "中位数", "median").to_owned(),
        tr(lang, "最小", "min").to_owned(),
        tr(lang, "最大", "max").to_owned(),
        tr(lang, "排名", "rank").to_owned(),
    ]];
    rows.extend(table.rows.iter().map(|r| cells(r, lang, digits)));
    rows.push(cells(&table.province, lang, digits));
    write!(out, "{}", columns(&rows))?;
    if table.level == county_atlas::atlas::Level::Prefecture {
        writeln!(
            out,
            "{}",
            tr(
                lang,
                "注:市级数据,按市州比较(每个市州计一次)",
                "Note: prefecture values, compared between prefectures (each counted once)"
            )
        )?;
    }
    if let Some(target) = &table.target {
        let gap = |g: f64| format!("{}{}", if g >= 0.0 { "+" } else { "" }, number(g, 2));
        writeln!(
            out,
            "{}: {} {}",
            tr(lang, "目标", "Target"),
            number(target.target, 2),
            target.statement.get(lang)
        )?;
        writeln!(
            out,
            "  {} {} ({} {});{} {}/{}",
            tr(lang, "单元平均", "mean of units"),
            number(target.mean, 2),
            tr(lang, "差距", "gap"),
            gap(target.gap),
            tr(lang, "达到目标", "meeting it"),
            target.meeting,
            table.province.with_value
        )?;
        match (target.gdp_weighted_mean, target.gdp_weighted_gap) {
            (Some(mean), Some(g)) => writeln!(
                out,
                "  {} {} ({} {});{}",
                tr(lang, "GDP加权平均", "GDP-weighted mean"),
                number(mean, 2),
                tr(lang, "差距", "gap"),
                gap(g),
                target.gdp_note.get(lang)
            )?,
            _ => writeln!(
                out,
                "  {}: {}",
                tr(lang, "GDP加权平均", "GDP-weighted mean"),
                target.gdp_note.get(lang)
            )?,
        }
        if !target.document.is_empty() {
            writeln!(out, "  {}: {}", tr(lang, "依据", "Source"), target.document)?;
        }
    }
    Ok(())
}

fn write_csv(table: &GroupComparison, out: &mut dyn Write) -> anyhow::Result<()> {
    out.write_all(&county_atlas::export::table_csv::comparison_csv(
        table, false,
    ))
    .context("无法写出比较表 / cannot write the comparison")?;
    Ok(())
}
