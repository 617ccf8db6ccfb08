//! A computed index as a table: one row per scored county, best first, with its scores,
//! ranks, group, strengths and rank interval; and the indicators with their coverage and
//! treatment. `county-atlas index` prints it (text, JSON, CSV), the window's index panel
//! lists it and the county reports read it.

use super::compute::Grade;
use super::run::IndexRun;
use super::treatment::Treatment;
use super::uncertainty::{RankInterval, Sensitivity};
use crate::atlas::{Atlas, UnitId};
use crate::i18n::Lang;
use serde::Serialize;

/// Pairs as a JSON object that keeps their order.
fn in_order<S: serde::Serializer>(
    pairs: &[(String, Option<f64>)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// One scored county.
#[derive(Clone, Debug, Serialize)]
pub struct CountyRow {
    /// Its unit.
    #[serde(skip)]
    pub unit: UnitId,
    /// Adcode.
    pub adcode: String,
    /// Name.
    pub name: String,
    /// Prefecture.
    pub prefecture: String,
    /// Economic region.
    pub region: String,
    /// The composite.
    pub score: f64,
    /// Rank in the province.
    pub rank: usize,
    /// Performance group (none under z-scores).
    pub group: Option<Grade>,
    /// Rank within its region.
    pub rank_in_region: Option<usize>,
    /// Its class (分类), where the index has classes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Rank within its class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_in_class: Option<usize>,
    /// Each dimension's score, in the definition's order (a JSON object).
    #[serde(serialize_with = "in_order")]
    pub dimensions: Vec<(String, Option<f64>)>,
    /// Its strengths (indicator layer ids), largest first.
    pub strengths: Vec<String>,
    /// Its weaknesses.
    pub weaknesses: Vec<String>,
    /// Its rank interval, where the uncertainty analysis ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<RankInterval>,
    /// Its change since an earlier year, where one was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<super::progress::Change>,
}

/// A county not scored, and which indicators it lacks.
#[derive(Clone, Debug, Serialize)]
pub struct NotScored {
    /// Adcode.
    pub adcode: String,
    /// Name.
    pub name: String,
    /// The indicators without a value.
    pub missing: Vec<String>,
}

/// One indicator's row.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorRow {
    /// The layer id.
    pub layer: String,
    /// Its name.
    pub name: String,
    /// Its dimension.
    pub dimension: String,
    /// higher | lower.
    pub direction: super::definition::Direction,
    /// Its weight.
    pub weight: f64,
    /// Counties with a value.
    pub with_value: usize,
    /// Of them, scored.
    pub scored_with_value: usize,
    /// The outlier treatment.
    pub treatment: Treatment,
    /// Its target, where it has one.
    pub target: Option<f64>,
    /// The plain mean of the counties with a value, where it has a target.
    pub target_mean: Option<f64>,
    /// Counties reaching the target.
    pub target_reached: Option<usize>,
    /// The province's mean against the target weighted by another layer, where the
    /// definition names one (`mean_weight`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_weighted: Option<super::compute::WeightedMean>,
}

/// The whole table.
#[derive(Clone, Debug, Serialize)]
pub struct IndexTable {
    /// The index's name.
    pub name: String,
    /// The year.
    pub year: i32,
    /// How it was computed, in a sentence.
    pub method: String,
    /// The provincial average of the composite.
    pub mean_score: f64,
    /// The scored counties, best first.
    pub counties: Vec<CountyRow>,
    /// The counties not scored.
    pub not_scored: Vec<NotScored>,
    /// The indicators.
    pub indicators: Vec<IndicatorRow>,
    /// Which choices move ranks most (with the uncertainty analysis).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sensitivity: Vec<Sensitivity>,
    /// The Monte Carlo draws and seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draws: Option<(usize, u64)>,
    /// The earlier year progress is measured from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress_from: Option<i32>,
}

impl IndexTable {
    /// The table of `run` in `lang`.
    pub fn new(atlas: &Atlas, run: &IndexRun, lang: Lang) -> Self {
        let def = &run.definition;
        let r = &run.result;
        let dimension_names = def.dimension_names();
        let mut counties: Vec<CountyRow> = atlas
            .units()
            .iter()
            .filter_map(|u| {
                let i = u.id.index();
                let (score, rank) = (r.score[i]?, r.rank[i]?);
                let layer_ids = |list: &[super::compute::Standout]| {
                    list.iter()
                        .map(|s| def.indicators[s.indicator].layer.clone())
                        .collect()
                };
                Some(CountyRow {
                    unit: u.id,
                    adcode: u.adcode.to_string(),
                    name: u.name_in(lang).to_owned(),
                    prefecture: atlas.prefecture_of(u).name_in(lang).to_owned(),
                    region: u.region.name(lang).to_owned(),
                    score,
                    rank,
                    group: r.grade[i],
                    rank_in_region: r.rank_in_region[i],
                    class: run
                        .classes
                        .as_ref()
                        .and_then(|c| c.of_unit[i].map(|g| c.groups[g].get(lang).to_owned())),
                    rank_in_class: r.rank_in_class[i],
                    dimensions: dimension_names
                        .iter()
                        .enumerate()
                        .map(|(d, name)| {
                            (
                                def.dimension_title(name).get(lang).to_owned(),
                                r.dimensions[d][i],
                            )
                        })
                        .collect(),
                    strengths: layer_ids(&r.strengths[i]),
                    weaknesses: layer_ids(&r.weaknesses[i]),
                    uncertainty: run.intervals.as_ref().and_then(|v| v[i]),
                    progress: None,
                })
            })
            .collect();
        counties.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.adcode.cmp(&b.adcode)));
        let not_scored = atlas
            .units()
            .iter()
            .filter(|u| !r.scored[u.id.index()])
            .map(|u| NotScored {
                adcode: u.adcode.to_string(),
                name: u.name_in(lang).to_owned(),
                missing: def
                    .indicators
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| run.data.values[*i][u.id.index()].is_none())
                    .map(|(_, ind)| ind.layer.clone())
                    .collect(),
            })
            .collect();
        let indicators = def
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| IndicatorRow {
                layer: ind.layer.clone(),
                name: run.indicator_names[i].get(lang).to_owned(),
                dimension: def.dimension_title(&ind.dimension).get(lang).to_owned(),
                direction: ind.direction,
                weight: ind.weight,
                with_value: r.coverage[i].with_value,
                scored_with_value: r.coverage[i].scored_with_value,
                treatment: r.treatments[i],
                target: ind.target,
                target_mean: r.targets[i].as_ref().map(|t| t.mean),
                target_reached: r.targets[i].as_ref().map(|t| t.reached),
                target_weighted: r.targets[i].as_ref().and_then(|t| t.weighted.clone()),
            })
            .collect();
        let mut table = IndexTable {
            name: def.title().get(lang).to_owned(),
            year: def.year,
            method: super::layers::method_text(def, run.scored(), atlas.units().len())
                .get(lang)
                .to_owned(),
            mean_score: r.mean_score,
            counties,
            not_scored,
            indicators,
            sensitivity: run.sensitivity.clone(),
            draws: run.draws,
            progress_from: None,
        };
        if let Some(progress) = &run.progress {
            table.set_progress(progress);
        }
        table
    }

    /// Adds each county's change since the earlier year of `progress`.
    pub fn set_progress(&mut self, progress: &super::progress::Progress) {
        self.progress_from = Some(progress.from_year);
        for row in &mut self.counties {
            row.progress = progress.per_unit[row.unit.index()];
        }
    }
}

/// A performance group's name in `lang`, or "—".
pub fn grade_name(grade: Option<Grade>, lang: Lang) -> String {
    grade.map_or_else(|| "—".to_owned(), |g| g.name().get(lang).to_owned())
}

/// The table as CSV: adcode, name, prefecture, region, score, rank, group, rank_in_region,
/// [class, rank_in_class,] one column per dimension, [median_rank, q05, q95]; a byte-order
/// mark first when `bom` (Excel reads the Chinese names right).
pub fn index_csv(table: &IndexTable, bom: bool) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let classes = table.counties.iter().any(|c| c.class.is_some());
    let uncertainty = table.counties.iter().any(|c| c.uncertainty.is_some());
    let dimensions: Vec<String> = table
        .counties
        .first()
        .map(|c| c.dimensions.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = [
        "adcode",
        "name",
        "prefecture",
        "region",
        "score",
        "rank",
        "group",
        "rank_in_region",
    ]
    .map(str::to_owned)
    .to_vec();
    if classes {
        header.extend(["class", "rank_in_class"].map(str::to_owned));
    }
    header.extend(dimensions.iter().cloned());
    if uncertainty {
        header.extend(["median_rank", "q05", "q95"].map(str::to_owned));
    }
    let progress = table.progress_from.is_some();
    if progress {
        header.extend(["score_from", "rank_from", "rank_change"].map(str::to_owned));
    }
    let mut csv = csv::Writer::from_writer(out);
    let _ = csv.write_record(&header);
    let opt = |v: Option<usize>| v.map_or_else(String::new, |v| v.to_string());
    for c in &table.counties {
        let mut record = vec![
            c.adcode.clone(),
            c.name.clone(),
            c.prefecture.clone(),
            c.region.clone(),
            c.score.to_string(),
            c.rank.to_string(),
            c.group
                .and_then(|g| serde_json::to_value(g).ok())
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            opt(c.rank_in_region),
        ];
        if classes {
            record.push(c.class.clone().unwrap_or_default());
            record.push(opt(c.rank_in_class));
        }
        for (_, v) in &c.dimensions {
            record.push(v.map_or_else(String::new, |v| v.to_string()));
        }
        if uncertainty {
            match c.uncertainty {
                Some(u) => record.extend([u.median, u.q05, u.q95].map(|v| v.to_string())),
                None => record.extend([String::new(), String::new(), String::new()]),
            }
        }
        if progress {
            match c.progress {
                Some(p) => record.extend([
                    p.score_from.to_string(),
                    p.rank_from.to_string(),
                    p.rank_change.to_string(),
                ]),
                None => record.extend([String::new(), String::new(), String::new()]),
            }
        }
        // Writing to memory cannot fail.
        let _ = csv.write_record(&record);
    }
    csv.into_inner().unwrap_or_default()
}

/// A row of the sensitivity table as a planner reads it: "without 专业技术人员占比",
/// "z-scores instead", "weight of 创新投入 −25%".
pub fn choice_label(choice: &str, run: &IndexRun, lang: Lang) -> String {
    let def = &run.definition;
    let indicator_name = |layer: &str| {
        def.indicators
            .iter()
            .position(|i| i.layer == layer)
            .map_or_else(
                || layer.to_owned(),
                |i| run.indicator_names[i].get(lang).to_owned(),
            )
    };
    let noise = crate::format::number(def.uncertainty.weight_noise * 100.0, 0);
    let sign = |end: &str| if end == "low" { "−" } else { "+" };
    let zh = lang == Lang::Zh;
    // "改用 z 分数" (a space before Latin), "z-scores instead".
    let instead = |name: &str| {
        if zh {
            let space = if name.starts_with(|c: char| c.is_ascii()) {
                " "
            } else {
                ""
            };
            format!("改用{space}{name}")
        } else {
            format!("{name} instead")
        }
    };
    let parts: Vec<&str> = choice.splitn(2, ':').collect();
    match parts.as_slice() {
        ["normalisation", n] => {
            let name = match *n {
                "minmax" => crate::i18n::tr(lang, "最小–最大标准化", "min-max"),
                "zscore" => crate::i18n::tr(lang, "z 分数", "z-scores"),
                "target" => crate::i18n::tr(lang, "距目标标准化", "distance to target"),
                _ => crate::i18n::tr(lang, "基年指数", "base-year index"),
            };
            instead(name)
        }
        ["aggregation", a] => {
            let name = if *a == "geometric" {
                crate::i18n::tr(lang, "几何平均", "the geometric mean")
            } else {
                crate::i18n::tr(lang, "算术平均", "the arithmetic mean")
            };
            instead(name)
        }
        ["leave_out", layer] => {
            if zh {
                format!("去掉“{}”", indicator_name(layer))
            } else {
                format!("without '{}'", indicator_name(layer))
            }
        }
        ["weight", rest] | ["dimension_weight", rest] => {
            let (what, end) = rest.rsplit_once(':').unwrap_or((rest, "high"));
            let what = if parts[0] == "weight" {
                indicator_name(what)
            } else {
                def.dimension_title(what).get(lang).to_owned()
            };
            if zh {
                format!("“{what}”权重 {}{noise}%", sign(end))
            } else {
                format!("weight of '{what}' {}{noise}%", sign(end))
            }
        }
        _ => choice.to_owned(),
    }
}

/// The interval "12 (8–20)" of a rank, in the interface.
pub fn interval_text(interval: &RankInterval) -> String {
    format!(
        "{} ({}–{})",
        crate::format::number(interval.median, 0),
        crate::format::number(interval.q05, 0),
        crate::format::number(interval.q95, 0)
    )
}

/// A county's move in rank, "15 → 12 (+3)", in the interface: positive where it moved up.
pub fn rank_change_text(change: super::progress::Change) -> String {
    format!(
        "{} → {} ({:+})",
        change.rank_from,
        change.rank_now(),
        change.rank_change
    )
}
