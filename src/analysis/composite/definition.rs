//! What a composite innovation index is made of, as its TOML file says: a name and year, the
//! method (normalisation, aggregation, missing values, outliers), the indicators (a layer,
//! its dimension, direction, weight and optional target) and optionally the dimensions'
//! weights. Parsed and checked here, before anything is computed: every mistake a planner can
//! make in the file is an error naming its line and saying what to write, never a panic and
//! never an index quietly computed from something else.
//!
//! ```toml
//! name = "县域创新能力指数"
//! year = 2020
//! [method]
//! normalisation = "minmax"    # minmax | zscore | target | base-year
//! aggregation = "arithmetic"  # arithmetic | geometric
//! [[indicator]]
//! layer = "professional_share"
//! dimension = "创新投入"
//! direction = "higher"        # higher | lower
//! weight = 2.0
//! target = 15.0               # optional
//! ```

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// How each indicator's values are brought to one scale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalisation {
    /// 0–100 between the smallest and the largest value of the counties with one.
    #[default]
    Minmax,
    /// (x − mean) / population standard deviation.
    Zscore,
    /// 100 · x / target, capped at 100 (lower is better: 100 · target / x, capped).
    Target,
    /// 100 · x / the county's value in the base year.
    BaseYear,
}

/// How normalised values are combined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    /// The weighted arithmetic mean.
    #[default]
    Arithmetic,
    /// The weighted geometric mean (no compensation of a weak indicator by a strong one).
    Geometric,
}

/// What a county without a value for an indicator gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// The indicator is skipped for it and the others' weights re-weighted.
    #[default]
    Reweight,
    /// The county gets no score.
    Exclude,
}

/// Outlier treatment before normalisation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outliers {
    /// None.
    #[default]
    None,
    /// JRC's default (COINr): winsorise while skew > 2 and kurtosis > 3.5, then take logs.
    Jrc,
}

/// Whether higher or lower values are better.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Higher is better.
    #[default]
    Higher,
    /// Lower is better (emissions, for instance).
    Lower,
}

/// Over which values min-max and z-score normalisation take their statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The index's year only: scores compare counties within the year.
    #[default]
    Year,
    /// Every year the layer has: scores compare across years too (progress).
    AllYears,
}

/// The method section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Method {
    /// Normalisation.
    pub normalisation: Normalisation,
    /// Aggregation.
    pub aggregation: Aggregation,
    /// The missing-value rule.
    pub missing: Missing,
    /// Under [`Missing::Reweight`], the share of the indicators a county needs to be scored.
    pub min_coverage: f64,
    /// Outlier treatment.
    pub outliers: Outliers,
    /// The statistics' years for min-max and z-scores.
    pub scope: Scope,
    /// The base year of the base-year normalisation.
    pub base_year: Option<i32>,
    /// What the weights must add up to, where the definition says (an official table's
    /// percentages, say): a check on typing, not a rescaling.
    pub weight_total: Option<f64>,
}

impl Default for Method {
    fn default() -> Self {
        Method {
            normalisation: Normalisation::default(),
            aggregation: Aggregation::default(),
            missing: Missing::default(),
            min_coverage: DEFAULT_MIN_COVERAGE,
            outliers: Outliers::default(),
            scope: Scope::default(),
            base_year: None,
            weight_total: None,
        }
    }
}

/// Two thirds of the indicators, rounded down as JRC's examples write it.
const DEFAULT_MIN_COVERAGE: f64 = 0.66;

/// What an indicator's values are divided by before anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    /// Per 10,000 residents (2020 census).
    Population,
    /// Per km² (the boundary's Albers area).
    Area,
}

/// The county classes of 分类赋权: which grouping, and ranks within its groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Groups {
    /// `region`, `prefecture`, `trunk`, or a grouping table's path (relative to the
    /// definition's folder).
    pub by: String,
}

/// The performance groups' thresholds, in % of the provincial average.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Grades {
    /// Leader above the first, strong above the second, moderate above the third, emerging
    /// at or below it (the EU Regional Innovation Scoreboard's 125, 100, 70).
    pub thresholds: [f64; 3],
}

impl Default for Grades {
    fn default() -> Self {
        Grades {
            thresholds: [125.0, 100.0, 70.0],
        }
    }
}

/// The Monte Carlo uncertainty analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Uncertainty {
    /// How many draws.
    pub draws: usize,
    /// The random stream's seed.
    pub seed: u64,
    /// Each weight is multiplied by a factor uniform in [1 − this, 1 + this].
    pub weight_noise: f64,
    /// The normalisations drawn from; empty: the method's, with min-max and z-scores
    /// standing in for each other.
    pub normalisations: Vec<Normalisation>,
    /// The aggregations drawn from.
    pub aggregations: Vec<Aggregation>,
    /// Whether each draw may leave one indicator out.
    pub leave_one_out: bool,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            draws: 1000,
            seed: 1,
            weight_noise: 0.25,
            normalisations: Vec::new(),
            aggregations: vec![Aggregation::Arithmetic, Aggregation::Geometric],
            leave_one_out: true,
        }
    }
}

impl Uncertainty {
    /// The normalisations drawn from for an index normalised by `nominal`.
    pub fn normalisations_for(&self, nominal: Normalisation) -> Vec<Normalisation> {
        if !self.normalisations.is_empty() {
            return self.normalisations.clone();
        }
        match nominal {
            Normalisation::Minmax | Normalisation::Zscore => {
                vec![Normalisation::Minmax, Normalisation::Zscore]
            }
            other => vec![other],
        }
    }
}

/// One indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The layer's id (built in, imported, or computed).
    pub layer: String,
    /// Its dimension (创新投入, 企业创新, ...).
    pub dimension: String,
    /// Higher or lower is better.
    #[serde(default)]
    pub direction: Direction,
    /// Its weight (relative; positive).
    #[serde(default = "one")]
    pub weight: f64,
    /// The monitoring standard (监测标准), in the layer's unit.
    #[serde(default)]
    pub target: Option<f64>,
    /// The layer that weights the province's mean against the target (GDP for R&D/GDP: the
    /// weighted mean is then the province's R&D over its GDP), read in the indicator's year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_weight: Option<String>,
    /// Divided by population or area first.
    #[serde(default)]
    pub per: Option<Per>,
    /// The year of its values where it differs from the index's: the latest a source
    /// publishes (R&D by prefecture for 2018 in a 2020 index). Reports say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Its weight for the counties of a class (分类赋权), by the class's name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub group_weights: BTreeMap<String, f64>,
}

/// One dimension's weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Its name, as the indicators give it.
    pub name: String,
    /// Its name in English exports (the Chinese name where not given).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Its weight (relative; positive).
    #[serde(default = "one")]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}

/// A checked index definition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexDefinition {
    /// Its name.
    pub name: String,
    /// Its name in English exports (the Chinese name where not given).
    pub name_en: Option<String>,
    /// The year computed.
    pub year: i32,
    /// How.
    pub method: Method,
    /// The indicators, in the file's order.
    pub indicators: Vec<Indicator>,
    /// The dimensions' weights; empty: the composite is the weighted mean of all indicators.
    pub dimensions: Vec<Dimension>,
    /// The county classes, where weights or ranks depend on them.
    pub groups: Option<Groups>,
    /// The performance groups' thresholds.
    pub grades: Grades,
    /// The uncertainty analysis's settings.
    pub uncertainty: Uncertainty,
    /// The line each indicator starts on, for errors found when it is computed.
    #[serde(skip)]
    pub lines: Vec<usize>,
}

/// The file as written, with where each indicator and dimension stands.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    name: String,
    #[serde(default)]
    name_en: Option<String>,
    year: i32,
    #[serde(default)]
    method: Method,
    #[serde(default)]
    groups: Option<Groups>,
    #[serde(default)]
    grades: Grades,
    #[serde(default)]
    uncertainty: Uncertainty,
    #[serde(default)]
    indicator: Vec<Spanned<Indicator>>,
    #[serde(default)]
    dimension: Vec<Spanned<Dimension>>,
}

/// Why a definition cannot be used: its line and what to write, in both languages.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{line}: {zh} / {en}")]
pub struct DefinitionError {
    /// The line (1-based) the mistake is on.
    pub line: usize,
    /// What is wrong, in Chinese.
    pub zh: String,
    /// What is wrong, in English.
    pub en: String,
}

/// Where a section starts (the file's start where it has none).
fn section_offset(text: &str, header: &str) -> usize {
    text.find(header).unwrap_or(0)
}

type Problem = (String, String);

/// The choices of `[method]` and `[uncertainty]` that cannot go together.
fn check_method(
    method: &Method,
    indicators: &[Spanned<Indicator>],
    uncertainty: &Uncertainty,
) -> Result<(), Problem> {
    if !(method.min_coverage > 0.0 && method.min_coverage <= 1.0) {
        return Err((
            format!(
                "min_coverage 须在 0 与 1 之间,而不是 {}",
                method.min_coverage
            ),
            format!(
                "min_coverage must lie between 0 and 1, not {}",
                method.min_coverage
            ),
        ));
    }
    let scaled = matches!(
        method.normalisation,
        Normalisation::Minmax | Normalisation::Zscore
    );
    if method.outliers == Outliers::Jrc && !scaled {
        return Err((
            "异常值处理(outliers = \"jrc\")只用于 minmax 和 zscore 标准化:目标值和基年比的是原始单位".to_owned(),
            "the outlier treatment (outliers = \"jrc\") applies to the minmax and zscore normalisations only: targets and base years compare original units".to_owned(),
        ));
    }
    if method.scope == Scope::AllYears && !scaled {
        return Err((
            "scope = \"all-years\" 只用于 minmax 和 zscore 标准化".to_owned(),
            "scope = \"all-years\" applies to the minmax and zscore normalisations only".to_owned(),
        ));
    }
    if method.scope == Scope::AllYears && method.outliers == Outliers::Jrc {
        return Err((
            "scope = \"all-years\" 不能与 outliers = \"jrc\" 同用:异常值按一年的数值判断".to_owned(),
            "scope = \"all-years\" cannot go with outliers = \"jrc\": outliers are judged on one year's values".to_owned(),
        ));
    }
    if method.normalisation == Normalisation::Zscore && method.aggregation == Aggregation::Geometric
    {
        return Err(geometric_zscore());
    }
    if !(uncertainty.weight_noise >= 0.0 && uncertainty.weight_noise < 1.0) {
        return Err((
            format!(
                "weight_noise 须在 0 与 1 之间(不含 1),而不是 {}",
                uncertainty.weight_noise
            ),
            format!(
                "weight_noise must lie in [0, 1), not {}",
                uncertainty.weight_noise
            ),
        ));
    }
    let drawn = uncertainty.normalisations_for(method.normalisation);
    for n in &drawn {
        let no_target = indicators.iter().any(|i| i.get_ref().target.is_none());
        let problem = match n {
            Normalisation::Target if no_target => Some((
                "不确定性分析含 target 标准化,但并非每个指标都有目标值",
                "the uncertainty analysis draws the target normalisation, but not every indicator has a target",
            )),
            Normalisation::BaseYear if method.base_year.is_none() => Some((
                "不确定性分析含 base-year 标准化,但 [method] 中没有 base_year",
                "the uncertainty analysis draws the base-year normalisation, but [method] has no base_year",
            )),
            Normalisation::Target | Normalisation::BaseYear if method.outliers == Outliers::Jrc => {
                Some((
                    "异常值处理只用于 minmax 和 zscore,不确定性分析不能抽取其他标准化",
                    "the outlier treatment applies to minmax and zscore only, so the uncertainty analysis cannot draw another normalisation",
                ))
            }
            _ => None,
        };
        if let Some((zh, en)) = problem {
            return Err((zh.to_owned(), en.to_owned()));
        }
    }
    let any_pair = drawn.iter().any(|&n| {
        uncertainty
            .aggregations
            .iter()
            .any(|&a| !(n == Normalisation::Zscore && a == Aggregation::Geometric))
    });
    if !any_pair {
        return Err((
            "不确定性分析没有可用的标准化与加总组合(zscore 不能几何加总)".to_owned(),
            "the uncertainty analysis has no usable pair of normalisation and aggregation (zscore cannot be aggregated geometrically)".to_owned(),
        ));
    }
    Ok(())
}

/// The error for the geometric mean of z-scores.
pub(super) fn geometric_zscore() -> Problem {
    (
        "几何加总需要正数,而 z 分数约一半为负:请用 minmax、target 或 base-year 标准化".to_owned(),
        "geometric aggregation needs positive values, and about half of all z-scores are negative: use the minmax, target or base-year normalisation".to_owned(),
    )
}

/// How close a sum of weights must come to `weight_total`.
const WEIGHT_TOTAL_TOLERANCE: f64 = 1e-9;

/// The weights add up to `total`: the indicators' (within each dimension where there are
/// `[[dimension]]` sections, whose weights must too).
fn check_weight_total(
    total: f64,
    indicators: &[Spanned<Indicator>],
    dimensions: &[Spanned<Dimension>],
) -> Result<(), (Option<usize>, String, String)> {
    let off = |sum: f64| (sum - total).abs() > WEIGHT_TOTAL_TOLERANCE * total.abs().max(1.0);
    let problem = |at: Option<usize>, what_zh: String, what_en: String, sum: f64| {
        (
            at,
            format!("{what_zh}的权重之和为 {sum},而 weight_total 为 {total}"),
            format!("the weights of {what_en} add up to {sum}, not weight_total = {total}"),
        )
    };
    if dimensions.is_empty() {
        let sum: f64 = indicators.iter().map(|i| i.get_ref().weight).sum();
        if off(sum) {
            return Err(problem(
                None,
                "全部指标".to_owned(),
                "all indicators".to_owned(),
                sum,
            ));
        }
        return Ok(());
    }
    let sum: f64 = dimensions.iter().map(|d| d.get_ref().weight).sum();
    if off(sum) {
        return Err(problem(
            Some(dimensions[0].span().start),
            "各维度".to_owned(),
            "the dimensions".to_owned(),
            sum,
        ));
    }
    for d in dimensions {
        let name = &d.get_ref().name;
        let sum: f64 = indicators
            .iter()
            .filter(|i| &i.get_ref().dimension == name)
            .map(|i| i.get_ref().weight)
            .sum();
        if off(sum) {
            return Err(problem(
                Some(d.span().start),
                format!("维度“{name}”内指标"),
                format!("the indicators of dimension '{name}'"),
                sum,
            ));
        }
    }
    Ok(())
}

impl IndexDefinition {
    /// Parses and checks `text`; `layer_exists` says whether a layer id names a layer with
    /// values (built in, or the user's).
    pub fn parse(text: &str, layer_exists: &dyn Fn(&str) -> bool) -> Result<Self, DefinitionError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let raw: RawDefinition = toml::from_str(text).map_err(|e| DefinitionError {
            line: e.span().map_or(1, |s| line_of(s.start)),
            zh: format!("不是有效的指数定义:{}", e.message()),
            en: format!("not a valid index definition: {}", e.message()),
        })?;
        let error = |offset: usize, zh: String, en: String| DefinitionError {
            line: line_of(offset),
            zh,
            en,
        };
        if raw.indicator.is_empty() {
            return Err(error(
                text.len(),
                "没有指标:请加 [[indicator]] 段(layer、dimension、weight)".to_owned(),
                "no indicator: add [[indicator]] sections (layer, dimension, weight)".to_owned(),
            ));
        }
        let method = raw.method;
        let mut seen: Vec<&str> = Vec::new();
        for spanned in &raw.indicator {
            let at = spanned.span().start;
            let i = spanned.get_ref();
            if !layer_exists(&i.layer) {
                return Err(error(
                    at,
                    format!("没有图层“{}”,可用 `county-atlas layers` 列出", i.layer),
                    format!("no layer '{}'; `county-atlas layers` lists them", i.layer),
                ));
            }
            if seen.contains(&i.layer.as_str()) {
                return Err(error(
                    at,
                    format!("图层“{}”列了两次", i.layer),
                    format!("layer '{}' is listed twice", i.layer),
                ));
            }
            seen.push(&i.layer);
            if !(i.weight.is_finite() && i.weight > 0.0) {
                return Err(error(
                    at,
                    format!("“{}”的权重须为正数,而不是 {}", i.layer, i.weight),
                    format!(
                        "the weight of '{}' must be positive, not {}",
                        i.layer, i.weight
                    ),
                ));
            }
            if i.dimension.trim().is_empty() {
                return Err(error(
                    at,
                    format!("“{}”没有维度(dimension)", i.layer),
                    format!("'{}' has no dimension", i.layer),
                ));
            }
            match i.target {
                Some(t) if !(t.is_finite() && t > 0.0) => {
                    return Err(error(
                        at,
                        format!("“{}”的目标值须为正数,而不是 {t}", i.layer),
                        format!("the target of '{}' must be positive, not {t}", i.layer),
                    ));
                }
                None if method.normalisation == Normalisation::Target => {
                    return Err(error(
                        at,
                        format!("按目标标准化时,“{}”需要目标值(target = …)", i.layer),
                        format!(
                            "the target normalisation needs a target for '{}' (target = …)",
                            i.layer
                        ),
                    ));
                }
                _ => {}
            }
            if let Some(weight) = &i.mean_weight {
                if i.target.is_none() {
                    return Err(error(
                        at,
                        format!(
                            "“{}”的 mean_weight 用于加权全省平均与目标值比较:请同时给出目标值(target = …)",
                            i.layer
                        ),
                        format!(
                            "the mean_weight of '{}' weights the province's mean against the target: give a target too (target = …)",
                            i.layer
                        ),
                    ));
                }
                if !layer_exists(weight) {
                    return Err(error(
                        at,
                        format!(
                            "没有图层“{weight}”(“{}”的 mean_weight),可用 `county-atlas layers` 列出",
                            i.layer
                        ),
                        format!(
                            "no layer '{weight}' (the mean_weight of '{}'); `county-atlas layers` lists them",
                            i.layer
                        ),
                    ));
                }
            }
        }
        if method.normalisation == Normalisation::BaseYear {
            match method.base_year {
                None => {
                    return Err(error(
                        1,
                        "按基年标准化需要 [method] 中的 base_year".to_owned(),
                        "the base-year normalisation needs base_year in [method]".to_owned(),
                    ));
                }
                Some(base) if base == raw.year => {
                    return Err(error(
                        1,
                        format!("基年 {base} 与指数年份相同,全部得分将为 100"),
                        format!(
                            "the base year {base} is the index's year: every score would be 100"
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for spanned in &raw.dimension {
            let at = spanned.span().start;
            let d = spanned.get_ref();
            if names.contains(&d.name.as_str()) {
                return Err(error(
                    at,
                    format!("维度“{}”列了两次", d.name),
                    format!("dimension '{}' is listed twice", d.name),
                ));
            }
            names.push(&d.name);
            if !(d.weight.is_finite() && d.weight > 0.0) {
                return Err(error(
                    at,
                    format!("维度“{}”的权重须为正数,而不是 {}", d.name, d.weight),
                    format!(
                        "the weight of dimension '{}' must be positive, not {}",
                        d.name, d.weight
                    ),
                ));
            }
            if !raw
                .indicator
                .iter()
                .any(|i| i.get_ref().dimension == d.name)
            {
                return Err(error(
                    at,
                    format!("维度“{}”没有指标", d.name),
                    format!("dimension '{}' has no indicator", d.name),
                ));
            }
        }
        if !raw.dimension.is_empty()
            && let Some(spanned) = raw
                .indicator
                .iter()
                .find(|i| !names.contains(&i.get_ref().dimension.as_str()))
        {
            let i = spanned.get_ref();
            return Err(error(
                spanned.span().start,
                format!(
                    "“{}”的维度“{}”不在 [[dimension]] 中:请加上它,或删去全部 [[dimension]] 段",
                    i.layer, i.dimension
                ),
                format!(
                    "the dimension '{}' of '{}' is not among the [[dimension]] sections: add it, or remove them all",
                    i.dimension, i.layer
                ),
            ));
        }
        let method_at = section_offset(text, "[method]");
        check_method(&method, &raw.indicator, &raw.uncertainty)
            .map_err(|(zh, en)| error(method_at, zh, en))?;
        if let Some(total) = method.weight_total {
            check_weight_total(total, &raw.indicator, &raw.dimension)
                .map_err(|(at, zh, en)| error(at.unwrap_or(method_at), zh, en))?;
        }
        for spanned in &raw.indicator {
            let i = spanned.get_ref();
            if let Some((class, w)) = i
                .group_weights
                .iter()
                .find(|(_, w)| !(w.is_finite() && **w > 0.0))
            {
                return Err(error(
                    spanned.span().start,
                    format!("“{}”在“{class}”的权重须为正数,而不是 {w}", i.layer),
                    format!(
                        "the weight of '{}' for '{class}' must be positive, not {w}",
                        i.layer
                    ),
                ));
            }
            if !i.group_weights.is_empty() && raw.groups.is_none() {
                return Err(error(
                    spanned.span().start,
                    format!(
                        "“{}”有分类权重(group_weights),但没有 [groups] 段说明县的分类",
                        i.layer
                    ),
                    format!(
                        "'{}' has group_weights but there is no [groups] section saying how counties are classed",
                        i.layer
                    ),
                ));
            }
        }
        let [t1, t2, t3] = raw.grades.thresholds;
        if !(t1 > t2 && t2 > t3 && t3 > 0.0 && t1.is_finite()) {
            return Err(error(
                section_offset(text, "[grades]"),
                format!("分级阈值须为三个递减的正数(如 [125, 100, 70]),而不是 [{t1}, {t2}, {t3}]"),
                format!(
                    "the grade thresholds must be three decreasing positive numbers (like [125, 100, 70]), not [{t1}, {t2}, {t3}]"
                ),
            ));
        }
        let lines = raw
            .indicator
            .iter()
            .map(|i| line_of(i.span().start))
            .collect();
        Ok(IndexDefinition {
            name: raw.name,
            name_en: raw.name_en,
            year: raw.year,
            method,
            indicators: raw.indicator.into_iter().map(Spanned::into_inner).collect(),
            dimensions: raw.dimension.into_iter().map(Spanned::into_inner).collect(),
            groups: raw.groups,
            grades: raw.grades,
            uncertainty: raw.uncertainty,
            lines,
        })
    }

    /// The same index for another year (the command line's `--year`).
    pub fn with_year(mut self, year: i32) -> Result<Self, DefinitionError> {
        if self.method.normalisation == Normalisation::BaseYear
            && self.method.base_year == Some(year)
        {
            return Err(DefinitionError {
                line: 1,
                zh: format!("基年 {year} 与指数年份相同,全部得分将为 100"),
                en: format!("the base year {year} is the index's year: every score would be 100"),
            });
        }
        self.year = year;
        Ok(self)
    }

    /// The index's name in both languages.
    pub fn title(&self) -> crate::i18n::Text {
        crate::i18n::Text::new(
            self.name.clone(),
            self.name_en.clone().unwrap_or_else(|| self.name.clone()),
        )
    }

    /// A dimension's name in both languages (its `name_en` where a `[[dimension]]` gives one).
    pub fn dimension_title(&self, name: &str) -> crate::i18n::Text {
        let en = self
            .dimensions
            .iter()
            .find(|d| d.name == name)
            .and_then(|d| d.name_en.clone());
        crate::i18n::Text::new(name, en.unwrap_or_else(|| name.to_owned()))
    }

    /// The dimensions in the order they first appear: the `[[dimension]]` sections' order
    /// where there are any, else the indicators'.
    pub fn dimension_names(&self) -> Vec<&str> {
        if !self.dimensions.is_empty() {
            return self.dimensions.iter().map(|d| d.name.as_str()).collect();
        }
        let mut names: Vec<&str> = Vec::new();
        for i in &self.indicators {
            if !names.contains(&i.dimension.as_str()) {
                names.push(&i.dimension);
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"name = "县域创新能力指数"
year = 2020
[method]
normalisation = "minmax"
aggregation = "geometric"
[[indicator]]
layer = "professional_share"
dimension = "创新投入"
weight = 2.0
target = 15.0
[[indicator]]
layer = "schooling_years"
dimension = "创新环境"
direction = "higher"
"#;

    fn known(id: &str) -> bool {
        matches!(
            id,
            "professional_share" | "schooling_years" | "co2_emissions"
        )
    }

    fn parse(text: &str) -> Result<IndexDefinition, DefinitionError> {
        IndexDefinition::parse(text, &known)
    }

    #[test]
    fn the_issues_example_parses_with_its_defaults() {
        let d = parse(GOOD).unwrap();
        assert_eq!(d.name, "县域创新能力指数");
        assert_eq!(d.method.aggregation, Aggregation::Geometric);
        assert_eq!(d.method.missing, Missing::Reweight);
        assert_eq!(d.indicators[1].weight, 1.0, "weight defaults to 1");
        assert_eq!(d.indicators[0].target, Some(15.0));
        assert_eq!(d.dimension_names(), vec!["创新投入", "创新环境"]);
        let base = GOOD.replace("\"minmax\"", "\"base-year\"\nbase_year = 2015");
        assert_eq!(
            parse(&base).unwrap().method.normalisation,
            Normalisation::BaseYear
        );
    }

    #[test]
    fn mistakes_name_their_line() {
        let cases: Vec<(String, usize, &str)> = vec![
            (
                GOOD.replace("schooling_years", "no_such_layer"),
                11,
                "no_such_layer",
            ),
            (
                GOOD.replace("weight = 2.0", "weight = -1"),
                6,
                "must be positive",
            ),
            (
                GOOD.replace("\"minmax\"", "\"ranks\""),
                4,
                "not a valid index definition",
            ),
            (
                GOOD.replace("\"minmax\"", "\"target\""),
                11,
                "needs a target",
            ),
            (GOOD.replace("\"minmax\"", "\"base-year\""), 1, "base_year"),
            (
                GOOD.replace("schooling_years", "professional_share"),
                11,
                "twice",
            ),
            (
                GOOD.replace("target = 15.0", "traget = 15.0"),
                10,
                "not a valid index definition",
            ),
            (
                format!("{GOOD}[[dimension]]\nname = \"创新投入\"\n"),
                11,
                "is not among the [[dimension]]",
            ),
            (
                format!("{GOOD}[[dimension]]\nname = \"创新绩效\"\n"),
                15,
                "has no indicator",
            ),
            ("name = \"x\"\nyear = 2020\n".to_owned(), 3, "no indicator"),
        ];
        for (text, line, says) in cases {
            let e = parse(&text).unwrap_err();
            assert_eq!(e.line, line, "{e}\n{text}");
            assert!(e.en.contains(says), "{e}");
            assert!(!e.zh.is_empty());
        }
    }
}
