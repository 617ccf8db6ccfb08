//! `county-atlas stats`: global Moran's I, local Moran (LISA), Getis-Ord G* and inequality
//! (Gini, Theil and its decomposition between groups) of a layer, as PySAL computes them.

use super::compare::{OutputFormat, grouping};
use super::value_args::ValueArgs;
use anyhow::{Context, bail};
use county_atlas::analysis::autocorrelation::{
    GetisOrd, HotSpot, LocalMoran, fdr, getis_ord, local_moran, moran,
};
use county_atlas::analysis::inequality::inequality;
use county_atlas::analysis::mapped::MappedValues;
use county_atlas::atlas::{Atlas, Layer, Level, UnitId};
use county_atlas::format::{columns, number};
use county_atlas::i18n::{Lang, tr};
use county_atlas::spatial::{SpatialIndex, SpatialWeights, WeightsKind};
use serde::Serialize;
use std::io::Write;

/// Which statistic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Statistic {
    /// Global Moran's I.
    Moran,
    /// Local Moran (LISA) with quadrants.
    Lisa,
    /// Getis-Ord G*: hot and cold spots.
    Gstar,
    /// Gini, Theil T and its between/within-group decomposition.
    Inequality,
}

/// The options of `stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// moran, lisa, gstar or inequality.
    pub statistic: Statistic,
    /// The values.
    #[command(flatten)]
    pub values: ValueArgs,
    /// Spatial weights: queen, rook, knn:K or band:KM (row-standardised).
    #[arg(long, default_value = "queen")]
    pub weights: WeightsKind,
    /// Random permutations for the pseudo p-values (0 for none; esda's default is 999).
    #[arg(long, default_value_t = 999, value_parser = clap::value_parser!(u32).range(0..=99_999))]
    pub permutations: u32,
    /// Seed of the permutations (the same seed gives the same p-values).
    #[arg(long, default_value_t = 12345)]
    pub seed: u64,
    /// Significance level for LISA and G* labels.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Label LISA and G* by the false-discovery-rate threshold (esda.fdr) instead of alpha.
    #[arg(long)]
    pub fdr: bool,
    /// inequality: the groups of the decomposition (region, prefecture, trunk, or a grouping
    /// table's file).
    #[arg(long, default_value = "region")]
    pub by: String,
    /// inequality: weigh counties by population (for per-capita indicators).
    #[arg(long = "weight")]
    pub weight: Option<Weighting>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Print CSV (one row per county for lisa and gstar).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
}

/// What weighs a county in the inequality measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Weighting {
    /// Residents (2020 census).
    Population,
}

/// The counties with a value and their values, ascending by unit.
struct Values {
    layer: Layer,
    year: i32,
    units: Vec<UnitId>,
    values: Vec<f64>,
    name: county_atlas::i18n::Text,
}

fn values(atlas: &Atlas, args: &ValueArgs) -> anyhow::Result<Values> {
    let layer = args.layer(atlas)?;
    if layer.level == Level::Prefecture {
        bail!(
            "图层“{0}”是市级数据:空间统计需要每县一个值 / layer '{0}' holds prefecture values: these statistics need a value per county",
            layer.id
        );
    }
    let mapped = MappedValues::new(atlas, &layer, args.year, args.normalize)?;
    let (units, values) = mapped.with_values();
    Ok(Values {
        layer,
        year: mapped.year,
        units,
        values,
        name: mapped.name,
    })
}

/// Runs `stats`.
pub fn run(atlas: &Atlas, lang: Lang, args: &StatsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if !(args.alpha > 0.0 && args.alpha < 1.0) {
        bail!("--alpha 须在 0 与 1 之间 / --alpha must lie between 0 and 1");
    }
    let data = values(atlas, &args.values)?;
    let format = OutputFormat::from_flags(args.json, args.csv);
    let permutations = args.permutations as usize;
    let missing = atlas.units().len() - data.units.len();
    if missing > 0 {
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => format!("{missing} 个县无数值,不参与计算(权重只在有数值的县之间建立)"),
                Lang::En => format!(
                    "{missing} counties have no value and are left out (weights are built among the counties with values)"
                ),
            }
        );
    }
    if args.statistic == Statistic::Inequality {
        return run_inequality(atlas, lang, args, &data, format, out);
    }
    let index = SpatialIndex::build(atlas);
    let weights = SpatialWeights::build(&index, &data.units, args.weights);
    let islands = weights.islands();
    if !islands.is_empty() {
        let names: Vec<&str> = islands
            .iter()
            .map(|&i| atlas.unit(data.units[i]).name_in(lang))
            .collect();
        eprintln!(
            "{}: {}",
            tr(
                lang,
                "以下县在此权重下没有邻居(孤岛),其局部统计不计算",
                "these counties have no neighbour under these weights (islands); their local statistics are not computed"
            ),
            names.join(", ")
        );
    }
    let context = || format!("stats {:?} --layer {}", args.statistic, data.layer.id).to_lowercase();
    match args.statistic {
        Statistic::Moran => {
            let result =
                moran(&data.values, &weights, permutations, args.seed).with_context(context)?;
            #[derive(Serialize)]
            struct Output<'a> {
                layer: &'a str,
                year: i32,
                weights: String,
                islands: usize,
                #[serde(flatten)]
                moran: &'a county_atlas::analysis::autocorrelation::Moran,
            }
            match format {
                OutputFormat::Csv => {
                    let mut csv = csv::Writer::from_writer(out);
                    csv.write_record(["statistic", "value"])?;
                    let value = serde_json::to_value(&result)?;
                    for (key, v) in value.as_object().into_iter().flatten() {
                        csv.write_record([key.as_str(), &v.to_string()])?;
                    }
                    csv.flush()?;
                    Ok(())
                }
                OutputFormat::Json => super::write_json(
                    out,
                    &Output {
                        layer: &data.layer.id,
                        year: data.year,
                        weights: args.weights.to_string(),
                        islands: islands.len(),
                        moran: &result,
                    },
                ),
                OutputFormat::Text => {
                    writeln!(
                        out,
                        "{} · {} · {}",
                        data.name.get(lang),
                        data.year,
                        args.weights
                    )?;
                    let rows = vec![
                        vec!["n".to_owned(), result.n.to_string()],
                        vec!["I".to_owned(), format!("{:.6}", result.I)],
                        vec!["EI".to_owned(), format!("{:.6}", result.EI)],
                        vec!["z_norm".to_owned(), format!("{:.4}", result.z_norm)],
                        vec!["p_norm".to_owned(), format!("{:.3e}", result.p_norm)],
                        vec![
                            "p_sim".to_owned(),
                            result
                                .p_sim
                                .map_or("—".into(), |p| format!("{p:.4} ({permutations})")),
                        ],
                    ];
                    write!(out, "{}", columns(&rows))?;
                    writeln!(
                        out,
                        "{}",
                        tr(
                            lang,
                            "p_norm 为正态近似双侧 p;p_sim 为置换检验的定向 p(esda 默认)",
                            "p_norm: two-sided, normal approximation; p_sim: directed permutation p (esda's default)"
                        )
                    )?;
                    Ok(())
                }
            }
        }
        Statistic::Lisa => {
            let result = local_moran(&data.values, &weights, permutations, args.seed)
                .with_context(context)?;
            let cut = cut(args, result.values.iter().map(|v| v.p_sim));
            write_lisa(atlas, lang, &data, &result, &weights, cut, format, out)
        }
        Statistic::Gstar => {
            let result = getis_ord(&data.values, &weights, true, permutations, args.seed)
                .with_context(context)?;
            let cut = cut(args, result.values.iter().map(|v| v.p_sim));
            write_gstar(atlas, lang, &data, &result, cut, format, out)
        }
        Statistic::Inequality => unreachable!("handled above"),
    }
}

/// The p below which a unit is significant: alpha, or the FDR threshold of the units' p.
fn cut(args: &StatsArgs, p: impl Iterator<Item = Option<f64>>) -> f64 {
    if args.fdr {
        let p: Vec<f64> = p.flatten().collect();
        fdr(&p, args.alpha)
    } else {
        args.alpha
    }
}

#[allow(clippy::too_many_arguments)]
fn write_lisa(
    atlas: &Atlas,
    lang: Lang,
    data: &Values,
    result: &LocalMoran,
    weights: &SpatialWeights,
    cut: f64,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    #[allow(non_snake_case)]
    struct Row<'a> {
        adcode: String,
        name: &'a str,
        value: f64,
        Ii: f64,
        quadrant: &'static str,
        p_sim: Option<f64>,
        z_sim: Option<f64>,
        label: &'static str,
    }
    let rows: Vec<Row> = data
        .units
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            let v = &result.values[i];
            let significant = !weights.row(i).is_empty() && v.p_sim.is_some_and(|p| p < cut);
            Row {
                adcode: atlas.unit(u).adcode.to_string(),
                name: atlas.unit(u).name_in(lang),
                value: data.values[i],
                Ii: v.Ii,
                quadrant: quadrant_code(v.quadrant),
                p_sim: v.p_sim,
                z_sim: v.z_sim,
                label: if significant {
                    quadrant_code(v.quadrant)
                } else {
                    "ns"
                },
            }
        })
        .collect();
    match format {
        OutputFormat::Json | OutputFormat::Csv => write_rows(&rows, format, out),
        OutputFormat::Text => {
            writeln!(
                out,
                "{} · {} · {} · p < {}",
                data.name.get(lang),
                data.year,
                weights.kind(),
                number(cut, 6)
            )?;
            for code in ["HH", "LL", "HL", "LH"] {
                let names: Vec<&str> = rows
                    .iter()
                    .filter(|r| r.label == code)
                    .map(|r| r.name)
                    .collect();
                writeln!(out, "{code} ({}): {}", names.len(), names.join(", "))?;
            }
            let ns = rows.iter().filter(|r| r.label == "ns").count();
            writeln!(out, "{}: {ns}", tr(lang, "不显著", "not significant"))?;
            Ok(())
        }
    }
}

/// One row per county, as JSON or CSV.
fn write_rows<T: Serialize>(
    rows: &[T],
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if format == OutputFormat::Json {
        return super::write_json(out, &rows);
    }
    let mut csv = csv::Writer::from_writer(out);
    for row in rows {
        csv.serialize(row)?;
    }
    csv.flush()?;
    Ok(())
}

fn quadrant_code(q: county_atlas::analysis::autocorrelation::Quadrant) -> &'static str {
    use county_atlas::analysis::autocorrelation::Quadrant;
    match q {
        Quadrant::HH => "HH",
        Quadrant::LH => "LH",
        Quadrant::LL => "LL",
        Quadrant::HL => "HL",
    }
}

fn write_gstar(
    atlas: &Atlas,
    lang: Lang,
    data: &Values,
    result: &GetisOrd,
    cut: f64,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    #[allow(non_snake_case)]
    struct Row<'a> {
        adcode: String,
        name: &'a str,
        value: f64,
        Gs: f64,
        Zs: Option<f64>,
        p_norm: Option<f64>,
        p_sim: Option<f64>,
        spot: &'static str,
    }
    let rows: Vec<Row> = data
        .units
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            let v = &result.values[i];
            Row {
                adcode: atlas.unit(u).adcode.to_string(),
                name: atlas.unit(u).name_in(lang),
                value: data.values[i],
                Gs: v.Gs,
                Zs: v.Zs,
                p_norm: v.p_norm,
                p_sim: v.p_sim,
                spot: match result.spot(i, cut) {
                    Some(HotSpot::Hot) => "hot",
                    Some(HotSpot::Cold) => "cold",
                    None => "ns",
                },
            }
        })
        .collect();
    match format {
        OutputFormat::Json | OutputFormat::Csv => write_rows(&rows, format, out),
        OutputFormat::Text => {
            writeln!(
                out,
                "{} · {} · G* · p < {}",
                data.name.get(lang),
                data.year,
                number(cut, 6)
            )?;
            for (code, label) in [
                ("hot", tr(lang, "热点", "hot spots")),
                ("cold", tr(lang, "冷点", "cold spots")),
            ] {
                let names: Vec<&str> = rows
                    .iter()
                    .filter(|r| r.spot == code)
                    .map(|r| r.name)
                    .collect();
                writeln!(out, "{label} ({}): {}", names.len(), names.join(", "))?;
            }
            Ok(())
        }
    }
}

fn run_inequality(
    atlas: &Atlas,
    lang: Lang,
    args: &StatsArgs,
    data: &Values,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let grouping = grouping(atlas, &args.by)?;
    // Counties the grouping leaves out are left out of the decomposition too.
    let kept: Vec<usize> = (0..data.units.len())
        .filter(|&i| grouping.of_unit[data.units[i].index()].is_some())
        .collect();
    let values: Vec<f64> = kept.iter().map(|&i| data.values[i]).collect();
    let groups: Vec<usize> = kept
        .iter()
        .map(|&i| grouping.of_unit[data.units[i].index()].unwrap_or_default())
        .collect();
    let population: Option<Vec<f64>> = match args.weight {
        None => None,
        Some(Weighting::Population) => {
            let layer = atlas.layer("population").context("population")?;
            Some(
                kept.iter()
                    .map(|&i| {
                        layer
                            .value_for(atlas.unit(data.units[i]), 2020)
                            .map(|o| o.value)
                            .context("人口缺失 / a county has no population")
                    })
                    .collect::<anyhow::Result<_>>()?,
            )
        }
    };
    let result = inequality(
        &values,
        population.as_deref(),
        Some((&groups, grouping.groups.len())),
        args.permutations as usize,
        args.seed,
    )
    .with_context(|| format!("stats inequality --layer {}", data.layer.id))?;
    #[derive(Serialize)]
    struct Group<'a> {
        group: &'a str,
        group_en: &'a str,
        #[serde(flatten)]
        share: &'a county_atlas::analysis::inequality::GroupShare,
    }
    #[derive(Serialize)]
    struct Output<'a> {
        layer: &'a str,
        year: i32,
        grouping: &'a str,
        weight: &'static str,
        #[serde(flatten)]
        result: &'a county_atlas::analysis::inequality::Inequality,
        #[serde(rename = "groups")]
        named_groups: Vec<Group<'a>>,
    }
    let named_groups: Vec<Group> = grouping
        .groups
        .iter()
        .zip(&result.groups)
        .filter_map(|(name, share)| {
            Some(Group {
                group: &name.zh,
                group_en: &name.en,
                share: share.as_ref()?,
            })
        })
        .collect();
    match format {
        OutputFormat::Json => super::write_json(
            out,
            &Output {
                layer: &data.layer.id,
                year: data.year,
                grouping: &grouping.name.zh,
                weight: if population.is_some() {
                    "population"
                } else {
                    "equal"
                },
                result: &result,
                named_groups,
            },
        ),
        OutputFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(["group", "group_en", "n", "share", "weight_share", "theil"])?;
            for g in &named_groups {
                csv.write_record([
                    g.group.to_owned(),
                    g.group_en.to_owned(),
                    g.share.n.to_string(),
                    g.share.share.to_string(),
                    g.share.weight_share.to_string(),
                    g.share.theil.to_string(),
                ])?;
            }
            csv.flush()?;
            Ok(())
        }
        OutputFormat::Text => {
            writeln!(
                out,
                "{} · {} · {} · {}",
                data.name.get(lang),
                data.year,
                grouping.name.get(lang),
                if population.is_some() {
                    tr(lang, "按人口加权", "population-weighted")
                } else {
                    tr(lang, "各县等权", "counties weighted equally")
                }
            )?;
            let share = result.between_share.unwrap_or_default();
            let rows = vec![
                vec![
                    tr(lang, "基尼系数", "Gini").to_owned(),
                    format!("{:.4}", result.gini),
                ],
                vec![
                    tr(lang, "泰尔指数 T", "Theil T").to_owned(),
                    format!("{:.4}", result.theil),
                ],
                vec![
                    tr(lang, "组间", "between groups").to_owned(),
                    format!(
                        "{:.4} ({:.1}%)",
                        result.between.unwrap_or_default(),
                        share * 100.0
                    ),
                ],
                vec![
                    tr(lang, "组内", "within groups").to_owned(),
                    format!("{:.4}", result.within.unwrap_or_default()),
                ],
                vec![
                    tr(lang, "组间部分置换 p", "permutation p of between").to_owned(),
                    result
                        .between_p_sim
                        .map_or("—".into(), |p| format!("{p:.4}")),
                ],
            ];
            write!(out, "{}", columns(&rows))?;
            Ok(())
        }
    }
}
