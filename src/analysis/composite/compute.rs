//! The nominal index: scores, ranks overall and within regions and classes, performance
//! groups against the provincial average, strengths and weaknesses, coverage and target
//! gaps (docs/index-method.md, steps 1–6).

use super::aggregate::{Scratch, Structure, Table, Variant, ranks, ranks_where, score_into};
use super::definition::{DefinitionError, Direction, IndexDefinition, Normalisation};
use super::prepare::{IndexData, Prepared};
use super::treatment::Treatment;
use crate::i18n::Text;
use serde::Serialize;

/// Strengths and weaknesses are indicators this far above or below the provincial mean.
pub const STRENGTH_MARGIN: f64 = 0.2;

/// A performance group relative to the provincial average (the EU Regional Innovation
/// Scoreboard's four).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    /// Above the first threshold (125%).
    Leader,
    /// Above the second (100%).
    Strong,
    /// Above the third (70%).
    Moderate,
    /// At or below the third.
    Emerging,
}

impl Grade {
    /// The four, best first.
    pub const ALL: [Grade; 4] = [
        Grade::Leader,
        Grade::Strong,
        Grade::Moderate,
        Grade::Emerging,
    ];

    /// Its name in the interface.
    pub fn name(self) -> Text {
        match self {
            Grade::Leader => Text::new("领先", "Leader"),
            Grade::Strong => Text::new("较强", "Strong"),
            Grade::Moderate => Text::new("中等", "Moderate"),
            Grade::Emerging => Text::new("追赶", "Emerging"),
        }
    }

    /// The grade of a score at `relative` % of the average.
    pub fn of(relative: f64, thresholds: [f64; 3]) -> Grade {
        if relative > thresholds[0] {
            Grade::Leader
        } else if relative > thresholds[1] {
            Grade::Strong
        } else if relative > thresholds[2] {
            Grade::Moderate
        } else {
            Grade::Emerging
        }
    }
}

/// An indicator well above or below the provincial mean for a county.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Standout {
    /// The indicator (definition order).
    pub indicator: usize,
    /// x / mean − 1.
    pub relative: f64,
}

/// How many counties an indicator covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// With a value in the year.
    pub with_value: usize,
    /// Of those, scored.
    pub scored_with_value: usize,
}

/// An indicator's target and the province against it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetSummary {
    /// The target.
    pub target: f64,
    /// The plain mean of the counties with a value.
    pub mean: f64,
    /// How many counties reach it (at or above for higher-is-better, at or below else).
    pub reached: usize,
    /// Of how many with a value.
    pub of: usize,
    /// The mean weighted by the indicator's `mean_weight` layer, where it names one.
    pub weighted: Option<WeightedMean>,
}

/// A province's mean weighted by another layer: `Σ w·x / Σ w` over the counties with both
/// values and `w > 0`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeightedMean {
    /// The weight layer's id.
    pub layer: String,
    /// The weighted mean; `None` where no county has both values.
    pub mean: Option<f64>,
    /// Counties with both.
    pub of: usize,
}

/// The computed index.
#[derive(Clone, Debug)]
pub struct IndexResult {
    /// Per county: scored or not.
    pub scored: Vec<bool>,
    /// The outlier treatment of each indicator.
    pub treatments: Vec<Treatment>,
    /// [indicator][unit]: the normalised values.
    pub normalised: Vec<Vec<Option<f64>>>,
    /// [dimension][unit]: the dimensions' scores, in [`IndexDefinition::dimension_names`]'
    /// order.
    pub dimensions: Vec<Vec<Option<f64>>>,
    /// The composite per county.
    pub score: Vec<Option<f64>>,
    /// Rank in the province.
    pub rank: Vec<Option<usize>>,
    /// Rank within the county's economic region.
    pub rank_in_region: Vec<Option<usize>>,
    /// Rank within its class, where the definition has classes.
    pub rank_in_class: Vec<Option<usize>>,
    /// The provincial average of the composite (plain mean of the scored counties).
    pub mean_score: f64,
    /// The performance group; none under z-scores (their mean is 0).
    pub grade: Vec<Option<Grade>>,
    /// Per county: strengths, largest first.
    pub strengths: Vec<Vec<Standout>>,
    /// Per county: weaknesses, largest first.
    pub weaknesses: Vec<Vec<Standout>>,
    /// Per indicator.
    pub coverage: Vec<Coverage>,
    /// Per indicator with a target.
    pub targets: Vec<Option<TargetSummary>>,
}

/// Computes the index `def` on `data`.
pub fn compute(def: &IndexDefinition, data: &IndexData) -> Result<IndexResult, DefinitionError> {
    let prepared = Prepared::new(def, data)?;
    let units = prepared.units();
    let structure = Structure::new(def, units, data.classes.as_ref())?;
    let normalised = prepared.normalised(def, def.method.normalisation, def.method.aggregation)?;
    let table = Table::new(&normalised, def.method.aggregation);
    let ones_i = vec![1.0; structure.k];
    let ones_d = vec![1.0; structure.dimensions];
    let mut scores = vec![f64::NAN; units];
    let mut dims = vec![f64::NAN; structure.dimensions * units];
    score_into(
        &structure,
        &table,
        &prepared.scored,
        Variant {
            indicator_factors: &ones_i,
            dimension_factors: &ones_d,
            left_out: None,
        },
        &mut Scratch::default(),
        &mut scores,
        Some(&mut dims),
    );
    let option = |v: f64| (!v.is_nan()).then_some(v);
    let rank = ranks(&scores);
    let rank_in_region = within(&scores, &data.regions);
    let rank_in_class = data
        .classes
        .as_ref()
        .map_or_else(|| vec![None; units], |c| within(&scores, &c.of_unit));
    let valid: Vec<f64> = scores.iter().copied().filter(|v| !v.is_nan()).collect();
    let mean_score = valid.iter().sum::<f64>() / valid.len() as f64;
    let grade = scores
        .iter()
        .map(|&s| {
            let graded = def.method.normalisation != Normalisation::Zscore && mean_score > 0.0;
            (graded && !s.is_nan())
                .then(|| Grade::of(100.0 * s / mean_score, def.grades.thresholds))
        })
        .collect();
    let (strengths, weaknesses) = standouts(def, data, &prepared.scored);
    let coverage = (0..def.indicators.len())
        .map(|i| Coverage {
            with_value: data.values[i].iter().flatten().count(),
            scored_with_value: data.values[i]
                .iter()
                .zip(&prepared.scored)
                .filter(|(v, s)| v.is_some() && **s)
                .count(),
        })
        .collect();
    let targets = def
        .indicators
        .iter()
        .enumerate()
        .map(|(i, indicator)| {
            let target = indicator.target?;
            let values: Vec<f64> = data.values[i].iter().flatten().copied().collect();
            let reached = values
                .iter()
                .filter(|&&x| match indicator.direction {
                    Direction::Higher => x >= target,
                    Direction::Lower => x <= target,
                })
                .count();
            let weighted = indicator.mean_weight.as_ref().map(|layer| {
                let weights = data.mean_weights.get(i).and_then(Option::as_ref);
                let (mut sum, mut total, mut of) = (0.0, 0.0, 0);
                for (u, x) in data.values[i].iter().enumerate() {
                    let w = weights.and_then(|w| w.get(u).copied().flatten());
                    if let (Some(x), Some(w)) = (x, w)
                        && w > 0.0
                    {
                        sum += w * x;
                        total += w;
                        of += 1;
                    }
                }
                WeightedMean {
                    layer: layer.clone(),
                    mean: (of > 0).then(|| sum / total),
                    of,
                }
            });
            Some(TargetSummary {
                target,
                mean: values.iter().sum::<f64>() / values.len() as f64,
                reached,
                of: values.len(),
                weighted,
            })
        })
        .collect();
    Ok(IndexResult {
        scored: prepared.scored.clone(),
        treatments: prepared.treatments.clone(),
        normalised,
        dimensions: (0..structure.dimensions)
            .map(|d| {
                dims[d * units..(d + 1) * units]
                    .iter()
                    .map(|&v| option(v))
                    .collect()
            })
            .collect(),
        score: scores.iter().map(|&v| option(v)).collect(),
        rank,
        rank_in_region,
        rank_in_class,
        mean_score,
        grade,
        strengths,
        weaknesses,
        coverage,
        targets,
    })
}

/// Ranks within each group of `group_of`.
fn within(scores: &[f64], group_of: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut out = vec![None; scores.len()];
    let groups = group_of
        .iter()
        .flatten()
        .copied()
        .max()
        .map_or(0, |g| g + 1);
    for g in 0..groups {
        let r = ranks_where(scores, |u| group_of.get(u).copied().flatten() == Some(g));
        for (u, rank) in r.into_iter().enumerate() {
            if rank.is_some() {
                out[u] = rank;
            }
        }
    }
    out
}

/// Each scored county's indicators more than [`STRENGTH_MARGIN`] better or worse than the
/// mean of the scored counties, on the values as read (untreated).
fn standouts(
    def: &IndexDefinition,
    data: &IndexData,
    scored: &[bool],
) -> (Vec<Vec<Standout>>, Vec<Vec<Standout>>) {
    let units = scored.len();
    let means: Vec<Option<f64>> = data
        .values
        .iter()
        .map(|column| {
            let v: Vec<f64> = column
                .iter()
                .zip(scored)
                .filter(|(_, s)| **s)
                .filter_map(|(v, _)| *v)
                .collect();
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            (!v.is_empty() && mean > 0.0).then_some(mean)
        })
        .collect();
    let mut strengths = vec![Vec::new(); units];
    let mut weaknesses = vec![Vec::new(); units];
    for u in (0..units).filter(|&u| scored[u]) {
        for (i, indicator) in def.indicators.iter().enumerate() {
            let (Some(x), Some(mean)) = (data.values[i][u], means[i]) else {
                continue;
            };
            let relative = x / mean - 1.0;
            let better = match indicator.direction {
                Direction::Higher => relative,
                Direction::Lower => -relative,
            };
            let standout = Standout {
                indicator: i,
                relative,
            };
            if better > STRENGTH_MARGIN {
                strengths[u].push(standout);
            } else if better < -STRENGTH_MARGIN {
                weaknesses[u].push(standout);
            }
        }
        for list in [&mut strengths[u], &mut weaknesses[u]] {
            list.sort_by(|a, b| b.relative.abs().total_cmp(&a.relative.abs()));
        }
    }
    (strengths, weaknesses)
}
