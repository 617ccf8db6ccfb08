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

/// The method section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Method {
    /// Normalisation.
    pub normalisation: Normalisation,
    /// Aggregation.
    pub aggregation: Aggregation,
    /// The missing-value rule.
    pub missing: Missing,
    /// Outlier treatment.
    pub outliers: Outliers,
    /// The base year of the base-year normalisation.
    pub base_year: Option<i32>,
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
}

/// One dimension's weight.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Its name, as the indicators give it.
    pub name: String,
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
    /// The year computed.
    pub year: i32,
    /// How.
    pub method: Method,
    /// The indicators, in the file's order.
    pub indicators: Vec<Indicator>,
    /// The dimensions' weights; empty: the composite is the weighted mean of all indicators.
    pub dimensions: Vec<Dimension>,
}

/// The file as written, with where each indicator and dimension stands.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    name: String,
    year: i32,
    #[serde(default)]
    method: Method,
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
        Ok(IndexDefinition {
            name: raw.name,
            year: raw.year,
            method,
            indicators: raw.indicator.into_iter().map(Spanned::into_inner).collect(),
            dimensions: raw.dimension.into_iter().map(Spanned::into_inner).collect(),
        })
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
