//! A layer compared across groups (the five regions, the prefectures, 一干 and the rest, or a
//! user's grouping): per group the sum (amounts only), the mean of counties, the
//! population-weighted mean, the median, the extremes with the county that holds them,
//! coverage and the groups' rank; and, where the layer is one of the policy's 2022 targets,
//! the province's gap to it stated both ways the policy's "平均水平" can be read.
//!
//! A prefecture-level layer is compared between prefectures (a prefecture counts once, its
//! population the sum of its counties'), and only under groupings that keep prefectures whole.

use super::grouping::Grouping;
use super::mapped::{MappedValues, Normalization};
use crate::atlas::{Atlas, Layer, Level, Measure};
use crate::i18n::Text;
use serde::Serialize;

/// The unit holding a group's smallest or largest value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Extreme {
    /// The value.
    pub value: f64,
    /// The county's (or prefecture's) adcode.
    pub adcode: String,
    /// Its name.
    pub name: Text,
}

/// One group's figures (or the province's).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRow {
    /// The group.
    pub group: Text,
    /// Units in the group (counties, or prefectures for a prefecture-level layer).
    pub units: usize,
    /// Of them, with a value.
    pub with_value: usize,
    /// The total (amounts mapped as they are; `None` for rates).
    pub sum: Option<f64>,
    /// The mean of the units' values (each unit counts once).
    pub mean: Option<f64>,
    /// The mean weighted by residents (2020 census).
    pub population_weighted_mean: Option<f64>,
    /// The median.
    pub median: Option<f64>,
    /// The smallest value and where.
    pub min: Option<Extreme>,
    /// The largest value and where.
    pub max: Option<Extreme>,
    /// The group's rank by mean (1 highest); `None` for the province row.
    pub rank: Option<usize>,
}

/// A policy target the layer is measured against.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetGap {
    /// The target value (in the layer's unit).
    pub target: f64,
    /// The target as the policy states it.
    pub statement: Text,
    /// The document that sets it (number, issuer, year) and where a copy was read.
    pub document: String,
    /// The unweighted mean of the units with a value.
    pub mean: f64,
    /// mean − target (negative: short of it).
    pub gap: f64,
    /// The mean weighted by GDP, where every unit with a value has a GDP of the same year.
    pub gdp_weighted_mean: Option<f64>,
    /// gdp_weighted_mean − target.
    pub gdp_weighted_gap: Option<f64>,
    /// Why there is no GDP-weighted mean, or how its weights were found.
    pub gdp_note: Text,
    /// Units at or above the target, of those with a value.
    pub meeting: usize,
}

/// A layer compared across the groups of a grouping.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupComparison {
    /// The layer's id.
    pub layer: String,
    /// What is compared (with its normalisation).
    pub name: Text,
    /// Its unit.
    pub unit: Text,
    /// The year.
    pub year: i32,
    /// County or prefecture values.
    pub level: Level,
    /// The grouping.
    pub grouping: Text,
    /// Per group, in the grouping's order.
    pub rows: Vec<GroupRow>,
    /// All units together (those the grouping lists, when it leaves some out).
    pub province: GroupRow,
    /// The policy target, where the layer is one.
    pub target: Option<TargetGap>,
    /// Each group's values (for box plots), in the order of `rows`.
    #[serde(skip)]
    pub values: Vec<Vec<f64>>,
}

/// Why a comparison cannot be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CompareError {
    /// The values cannot be had.
    #[error(transparent)]
    Map(#[from] super::mapped::MapError),
    /// A prefecture-level layer under a grouping that divides prefectures.
    #[error(
        "图层“{0}”是市级数据,不能按拆分市州的分组比较 / layer '{0}' holds prefecture values: it cannot be compared under a grouping that divides prefectures"
    )]
    SplitsPrefectures(String),
    /// Categories have no mean.
    #[error(
        "图层“{0}”是分类数据,无法比较均值 / layer '{0}' holds categories: there is no mean to compare"
    )]
    Categorical(String),
}

/// A target of 川办发〔2018〕60号 (the 2022 targets).
struct PolicyTarget {
    layer: &'static str,
    value: f64,
    statement: (&'static str, &'static str),
}

/// The document the targets come from: its number, issuer and year first, where a copy was
/// read second.
pub const TARGET_DOCUMENT: &str =
    "川办发〔2018〕60号(四川省人民政府办公厅,2018);http://m.jmdznkj.cn/news/show.php?itemid=9206";

/// The targets with a layer in the atlas. (The other, an average S&T progress contribution of
/// 55%, has no public county data: give it with a target of your own on your layer.)
const TARGETS: &[PolicyTarget] = &[PolicyTarget {
    layer: "rd_intensity",
    value: 1.2,
    statement: (
        "到2022年县域研发经费投入强度平均达到1.2%",
        "by 2022, county R&D expenditure on average 1.2% of GDP",
    ),
}];

/// One compared unit: a county, or a prefecture for a prefecture-level layer.
struct Member {
    group: usize,
    value: Option<f64>,
    population: Option<f64>,
    adcode: String,
    name: Text,
}

/// Compares `layer` in `year` (its best-covered year when `None`) across `grouping`. A
/// `target` of the caller's own replaces the policy's.
pub fn compare_groups(
    atlas: &Atlas,
    layer: &Layer,
    year: Option<i32>,
    normalization: Normalization,
    grouping: &Grouping,
    target: Option<f64>,
) -> Result<GroupComparison, CompareError> {
    if matches!(layer.kind, crate::atlas::LayerKind::Categorical { .. }) {
        return Err(CompareError::Categorical(layer.id.clone()));
    }
    let mapped = MappedValues::new(atlas, layer, year, normalization)?;
    let population = atlas.layer("population");
    let population_of =
        |unit: &crate::atlas::Unit| population?.value_for(unit, 2020).map(|o| o.value);
    let members: Vec<Member> = match layer.level {
        Level::County => atlas
            .units()
            .iter()
            .filter_map(|u| {
                Some(Member {
                    group: grouping.of_unit[u.id.index()]?,
                    value: mapped.per_unit[u.id.index()],
                    population: population_of(u),
                    adcode: u.adcode.to_string(),
                    name: Text::new(u.name.clone(), u.name_en.clone()),
                })
            })
            .collect(),
        Level::Prefecture => {
            let mut members = Vec::new();
            for p in atlas.prefectures() {
                let groups: Vec<Option<usize>> = p
                    .units
                    .iter()
                    .map(|u| grouping.of_unit[u.index()])
                    .collect();
                if groups.windows(2).any(|w| w[0] != w[1]) {
                    return Err(CompareError::SplitsPrefectures(layer.id.clone()));
                }
                let Some(group) = groups.first().copied().flatten() else {
                    continue;
                };
                members.push(Member {
                    group,
                    value: mapped.per_unit[p.units[0].index()],
                    population: p.units.iter().map(|&u| population_of(atlas.unit(u))).sum(),
                    adcode: p.adcode.to_string(),
                    name: Text::new(p.name.clone(), p.name_en.clone()),
                });
            }
            members
        }
    };
    let summable = layer.measure == Measure::Amount && normalization == Normalization::None;
    let mut rows: Vec<GroupRow> = grouping
        .groups
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let in_group: Vec<&Member> = members.iter().filter(|m| m.group == g).collect();
            row(name.clone(), &in_group, summable)
        })
        .collect();
    let all: Vec<&Member> = members.iter().collect();
    // A grouping that leaves counties out sums up only those it lists.
    let whole = if grouping.of_unit.iter().all(Option::is_some) {
        Text::new("全省", "Province")
    } else {
        Text::new("分组所列县区", "Counties grouped")
    };
    let province = row(whole, &all, summable);
    // Groups ranked by mean, 1 the highest; ties share the better rank.
    let means: Vec<f64> = rows.iter().filter_map(|r| r.mean).collect();
    for row in &mut rows {
        row.rank = row
            .mean
            .map(|m| 1 + means.iter().filter(|&&other| other > m).count());
    }
    let target = target_gap(atlas, layer, &mapped, &members, target);
    let values = (0..grouping.groups.len())
        .map(|g| {
            members
                .iter()
                .filter(|m| m.group == g)
                .filter_map(|m| m.value)
                .collect()
        })
        .collect();
    Ok(GroupComparison {
        layer: layer.id.clone(),
        name: mapped.name.clone(),
        unit: mapped.unit.clone(),
        year: mapped.year,
        level: layer.level,
        grouping: grouping.name.clone(),
        rows,
        province,
        target,
        values,
    })
}

fn row(group: Text, members: &[&Member], summable: bool) -> GroupRow {
    let with: Vec<&&Member> = members.iter().filter(|m| m.value.is_some()).collect();
    let values: Vec<f64> = with.iter().filter_map(|m| m.value).collect();
    let n = values.len();
    let extreme = |better: fn(f64, f64) -> bool| {
        let mut best: Option<&&Member> = None;
        for m in &with {
            let v = m.value.unwrap_or_default();
            if best.is_none_or(|b| better(v, b.value.unwrap_or_default())) {
                best = Some(m);
            }
        }
        best.map(|m| Extreme {
            value: m.value.unwrap_or_default(),
            adcode: m.adcode.clone(),
            name: m.name.clone(),
        })
    };
    let weighted: Option<f64> = {
        let pairs: Option<Vec<(f64, f64)>> = with
            .iter()
            .map(|m| Some((m.value?, m.population?)))
            .collect();
        pairs.filter(|p| !p.is_empty()).map(|p| {
            let weight: f64 = p.iter().map(|(_, w)| w).sum();
            p.iter().map(|(v, w)| v * w).sum::<f64>() / weight
        })
    };
    GroupRow {
        group,
        units: members.len(),
        with_value: n,
        sum: (summable && n > 0).then(|| values.iter().sum()),
        mean: (n > 0).then(|| values.iter().sum::<f64>() / n as f64),
        population_weighted_mean: weighted,
        median: median(&values),
        min: extreme(|a, b| a < b),
        max: extreme(|a, b| a > b),
        rank: None,
    }
}

/// The p-quantile of sorted values (linear interpolation between the two nearest, numpy's
/// default).
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// A box plot's figures: whiskers at the furthest values within 1.5 IQR of the quartiles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoxSummary {
    /// The lower whisker.
    pub low: f64,
    /// The first quartile.
    pub q1: f64,
    /// The median.
    pub median: f64,
    /// The third quartile.
    pub q3: f64,
    /// The upper whisker.
    pub high: f64,
}

impl BoxSummary {
    /// The summary of `values` (any order); `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let (q1, median, q3) = (quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75));
        let iqr = q3 - q1;
        let low = v
            .iter()
            .copied()
            .find(|&x| x >= q1 - 1.5 * iqr)
            .unwrap_or(q1);
        let high = v
            .iter()
            .rev()
            .copied()
            .find(|&x| x <= q3 + 1.5 * iqr)
            .unwrap_or(q3);
        Some(BoxSummary {
            low,
            q1,
            median,
            q3,
            high,
        })
    }
}

/// The median (the mean of the middle two for an even count).
fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

fn target_gap(
    atlas: &Atlas,
    layer: &Layer,
    mapped: &MappedValues,
    members: &[Member],
    own: Option<f64>,
) -> Option<TargetGap> {
    let policy = TARGETS.iter().find(|t| t.layer == layer.id);
    let (target, statement, document) = match (own, policy) {
        (Some(value), _) => (
            value,
            Text::new(
                format!("用户给定目标 {value}"),
                format!("target given: {value}"),
            ),
            String::new(),
        ),
        (None, Some(p)) => (
            p.value,
            Text::new(p.statement.0, p.statement.1),
            TARGET_DOCUMENT.to_owned(),
        ),
        (None, None) => return None,
    };
    let values: Vec<(&Member, f64)> = members.iter().filter_map(|m| Some((m, m.value?))).collect();
    if values.is_empty() {
        return None;
    }
    let mean = values.iter().map(|(_, v)| v).sum::<f64>() / values.len() as f64;
    let (gdp_weighted_mean, gdp_note) = gdp_weighted(atlas, layer, mapped.year, &values);
    Some(TargetGap {
        target,
        statement,
        document,
        mean,
        gap: mean - target,
        gdp_weighted_gap: gdp_weighted_mean.map(|m| m - target),
        gdp_weighted_mean,
        gdp_note,
        meeting: values.iter().filter(|(_, v)| *v >= target).count(),
    })
}

/// The GDP-weighted mean: from the atlas's GDP layer for county values; for the prefectures'
/// R&D intensity, from GDP implied by the same table (R&D expenditure ÷ intensity, same year),
/// which makes it Σ expenditure / Σ GDP.
fn gdp_weighted(
    atlas: &Atlas,
    layer: &Layer,
    year: i32,
    values: &[(&Member, f64)],
) -> (Option<f64>, Text) {
    let gdp: Vec<Option<f64>> = match layer.level {
        Level::County => {
            let Some(gdp) = atlas.layer("gdp") else {
                return (None, Text::new("没有GDP图层", "no GDP layer"));
            };
            values
                .iter()
                .map(|(m, _)| {
                    let unit = atlas
                        .units()
                        .iter()
                        .find(|u| u.adcode.to_string() == m.adcode)?;
                    gdp.value_for(unit, year).map(|o| o.value)
                })
                .collect()
        }
        Level::Prefecture if layer.id == "rd_intensity" => {
            let Some(expenditure) = atlas.layer("rd_expenditure") else {
                return (
                    None,
                    Text::new("没有R&D经费图层", "no R&D expenditure layer"),
                );
            };
            values
                .iter()
                .map(|(m, intensity)| {
                    let p = atlas
                        .prefectures()
                        .iter()
                        .find(|p| p.adcode.to_string() == m.adcode)?;
                    let e = expenditure.prefecture_value(p.id, year)?.value;
                    (*intensity > 0.0).then(|| e / (intensity / 100.0))
                })
                .collect()
        }
        Level::Prefecture => {
            return (
                None,
                Text::new(
                    "市级数据没有GDP权重",
                    "no GDP weights for prefecture values",
                ),
            );
        }
    };
    let missing = gdp.iter().filter(|g| g.is_none()).count();
    if missing > 0 {
        return (
            None,
            Text::new(
                format!("{missing} 个有数值的单元缺少同年GDP,未计算GDP加权均值"),
                format!(
                    "{missing} units with a value have no GDP of the same year: no GDP-weighted mean"
                ),
            ),
        );
    }
    let total: f64 = gdp.iter().flatten().sum();
    let weighted = values
        .iter()
        .zip(&gdp)
        .map(|((_, v), g)| v * g.unwrap_or_default())
        .sum::<f64>()
        / total;
    let note = if layer.level == Level::Prefecture {
        Text::new(
            "GDP由同表R&D经费÷投入强度得出(即全部经费÷全部GDP)",
            "GDP implied by the same table (R&D expenditure ÷ intensity): total expenditure ÷ total GDP",
        )
    } else {
        Text::new("按同年地区生产总值加权", "weighted by GDP of the same year")
    };
    (Some(weighted), note)
}
