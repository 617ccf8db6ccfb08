//! Steps 1–4 of the method (docs/index-method.md): which counties are scored, the outlier
//! treatment, and each indicator normalised. What the nominal index and every uncertainty
//! draw share is computed once here.

use super::definition::{
    Aggregation, DefinitionError, Direction, IndexDefinition, Missing, Normalisation, Outliers,
    Scope,
};
use super::treatment::{Treatment, treat};

/// The values an index is computed from, per indicator (the definition's order) and county
/// (the atlas's unit order, or any fixed order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndexData {
    /// The values of the index's year, divided by population or area where the indicator
    /// says.
    pub values: Vec<Vec<Option<f64>>>,
    /// The base year's values (the base-year normalisation; empty otherwise).
    pub base: Vec<Vec<Option<f64>>>,
    /// Every year's values, the index's year included (`scope = "all-years"`; empty
    /// otherwise).
    pub all_years: Vec<Vec<Vec<Option<f64>>>>,
    /// Per indicator with a `mean_weight`: that layer's values in the indicator's year (the
    /// weights of the province's mean against the target); `None` for the others. May be
    /// empty where no indicator has one.
    pub mean_weights: Vec<Option<Vec<Option<f64>>>>,
    /// Each county's economic region (index into the five), for ranks within regions.
    pub regions: Vec<Option<usize>>,
    /// The county classes of `[groups]`, if any.
    pub classes: Option<Classes>,
}

/// A classification of the counties (分类) with names the definition's `group_weights` use.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// The classes' names.
    pub names: Vec<String>,
    /// Each county's class.
    pub of_unit: Vec<Option<usize>>,
}

/// The scored counties and their treated values, ready to normalise and aggregate.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Per county: whether it is scored.
    pub scored: Vec<bool>,
    /// The outlier treatment of each indicator.
    pub treatments: Vec<Treatment>,
    /// [indicator][unit]: the treated values of the scored counties that have one.
    treated: Vec<Vec<Option<f64>>>,
    /// [indicator][unit]: the base year's values, where the base-year normalisation may be
    /// used.
    base: Vec<Vec<Option<f64>>>,
    /// [indicator]: the scored counties' values of every year (`scope = "all-years"`).
    pooled: Vec<Vec<f64>>,
}

/// Why an index cannot be computed, on the line of the indicator concerned.
fn indicator_error(def: &IndexDefinition, i: usize, zh: String, en: String) -> DefinitionError {
    DefinitionError {
        line: def.lines.get(i).copied().unwrap_or(1),
        zh,
        en,
    }
}

/// Whether indicator `i` counts as available for county `u` (step 1).
fn available(def: &IndexDefinition, data: &IndexData, i: usize, u: usize) -> bool {
    let Some(x) = data.values[i][u] else {
        return false;
    };
    if def.method.normalisation != Normalisation::BaseYear {
        return true;
    }
    let base = data.base.get(i).and_then(|b| b[u]);
    let lower = def.indicators[i].direction == Direction::Lower;
    base.is_some_and(|b| b > 0.0) && (!lower || x > 0.0)
}

impl Prepared {
    /// Screens the counties, treats outliers and checks every indicator can be normalised.
    pub fn new(def: &IndexDefinition, data: &IndexData) -> Result<Self, DefinitionError> {
        let k = def.indicators.len();
        let units = data.values.first().map_or(0, Vec::len);
        for (i, indicator) in def.indicators.iter().enumerate() {
            if data.values[i].iter().all(Option::is_none) {
                return Err(indicator_error(
                    def,
                    i,
                    format!("“{}”在 {} 年没有任何数值", indicator.layer, def.year),
                    format!("'{}' has no value in {}", indicator.layer, def.year),
                ));
            }
        }
        let scored: Vec<bool> = (0..units)
            .map(|u| {
                let have = (0..k).filter(|&i| available(def, data, i, u)).count();
                match def.method.missing {
                    Missing::Exclude => have == k,
                    Missing::Reweight => {
                        have > 0 && have as f64 / k as f64 >= def.method.min_coverage
                    }
                }
            })
            .collect();
        if !scored.contains(&true) {
            return Err(DefinitionError {
                line: 1,
                zh: "没有一个县有足够的指标数值可计算指数".to_owned(),
                en: "no county has values for enough indicators to be scored".to_owned(),
            });
        }
        let mut treatments = Vec::with_capacity(k);
        let mut treated = Vec::with_capacity(k);
        for i in 0..k {
            let mut column: Vec<Option<f64>> = (0..units)
                .map(|u| {
                    (scored[u] && available(def, data, i, u))
                        .then_some(data.values[i][u])
                        .flatten()
                })
                .collect();
            let present: Vec<usize> = (0..units).filter(|&u| column[u].is_some()).collect();
            if present.is_empty() {
                return Err(indicator_error(
                    def,
                    i,
                    format!("“{}”在计分的县中没有数值", def.indicators[i].layer),
                    format!(
                        "'{}' has no value among the scored counties",
                        def.indicators[i].layer
                    ),
                ));
            }
            let treatment = if def.method.outliers == Outliers::Jrc {
                let mut x: Vec<f64> = present.iter().filter_map(|&u| column[u]).collect();
                let t = treat(&mut x);
                for (&u, v) in present.iter().zip(x) {
                    column[u] = Some(v);
                }
                t
            } else {
                Treatment::None
            };
            treatments.push(treatment);
            treated.push(column);
        }
        let pooled = if def.method.scope == Scope::AllYears {
            (0..k)
                .map(|i| {
                    data.all_years[i]
                        .iter()
                        .flat_map(|year| {
                            year.iter()
                                .enumerate()
                                .filter(|&(u, _)| scored[u])
                                .filter_map(|(_, v)| *v)
                        })
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        let prepared = Prepared {
            scored,
            treatments,
            treated,
            base: data.base.clone(),
            pooled,
        };
        Ok(prepared)
    }

    /// The number of counties.
    pub fn units(&self) -> usize {
        self.scored.len()
    }

    /// [indicator][unit]: each indicator normalised by `normalisation`, for the scored
    /// counties that have it (min-max runs 1–100 under the geometric mean).
    pub fn normalised(
        &self,
        def: &IndexDefinition,
        normalisation: Normalisation,
        aggregation: Aggregation,
    ) -> Result<Vec<Vec<Option<f64>>>, DefinitionError> {
        if normalisation == Normalisation::Zscore && aggregation == Aggregation::Geometric {
            let (zh, en) = super::definition::geometric_zscore();
            return Err(DefinitionError { line: 1, zh, en });
        }
        (0..def.indicators.len())
            .map(|i| self.normalise_one(def, i, normalisation, aggregation))
            .collect()
    }

    fn normalise_one(
        &self,
        def: &IndexDefinition,
        i: usize,
        normalisation: Normalisation,
        aggregation: Aggregation,
    ) -> Result<Vec<Option<f64>>, DefinitionError> {
        let indicator = &def.indicators[i];
        let higher = indicator.direction == Direction::Higher;
        let column = &self.treated[i];
        let reference: Vec<f64> = if self.pooled.is_empty() {
            column.iter().flatten().copied().collect()
        } else {
            self.pooled[i].clone()
        };
        let all_equal = || {
            indicator_error(
                def,
                i,
                format!(
                    "“{}”在计分的县中数值全部相等,无法标准化:请删去这个指标",
                    indicator.layer
                ),
                format!(
                    "the values of '{}' are all equal among the scored counties, so it cannot be normalised: remove it",
                    indicator.layer
                ),
            )
        };
        let map = |f: &dyn Fn(f64, usize) -> Option<f64>| -> Vec<Option<f64>> {
            column
                .iter()
                .enumerate()
                .map(|(u, v)| v.and_then(|x| f(x, u)))
                .collect()
        };
        Ok(match normalisation {
            Normalisation::Minmax => {
                let min = reference.iter().copied().fold(f64::INFINITY, f64::min);
                let max = reference.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                if max <= min {
                    return Err(all_equal());
                }
                let (lo, hi) = match aggregation {
                    Aggregation::Arithmetic => (0.0, 100.0),
                    Aggregation::Geometric => (1.0, 100.0),
                };
                map(&|x, _| {
                    let t = if higher { x - min } else { max - x };
                    Some(lo + (hi - lo) * t / (max - min))
                })
            }
            Normalisation::Zscore => {
                let n = reference.len() as f64;
                let mean = reference.iter().sum::<f64>() / n;
                let sd = (reference.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
                if sd <= 0.0 {
                    return Err(all_equal());
                }
                map(&|x, _| {
                    let z = (x - mean) / sd;
                    Some(if higher { z } else { -z })
                })
            }
            Normalisation::Target => {
                let Some(t) = indicator.target else {
                    return Err(indicator_error(
                        def,
                        i,
                        format!("“{}”没有目标值(target)", indicator.layer),
                        format!("'{}' has no target", indicator.layer),
                    ));
                };
                map(&|x, _| {
                    Some(if higher {
                        100.0 * (x / t).clamp(0.0, 1.0)
                    } else if x <= t {
                        100.0
                    } else {
                        100.0 * t / x
                    })
                })
            }
            Normalisation::BaseYear => map(&|x, u| {
                let b = self.base.get(i)?.get(u).copied().flatten()?;
                if b <= 0.0 || (!higher && x <= 0.0) {
                    return None;
                }
                Some(if higher { 100.0 * x / b } else { 100.0 * b / x })
            }),
        })
    }
}
