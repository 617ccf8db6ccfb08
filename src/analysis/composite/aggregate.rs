//! Step 5 of the method and the ranks of step 6: dimension and composite scores from the
//! normalised values, with each county's own weights. Laid out for the uncertainty
//! analysis, which runs this thousands of times: one flat row per county, NaN for a missing
//! value, logarithms taken once for the geometric mean.

use super::definition::{Aggregation, DefinitionError, IndexDefinition};
use super::prepare::Classes;

/// The index's shape: each indicator's dimension and each county's weights.
#[derive(Clone, Debug)]
pub struct Structure {
    /// Indicators.
    pub k: usize,
    /// Each indicator's dimension (the order of [`IndexDefinition::dimension_names`]).
    pub dimension_of: Vec<usize>,
    /// How many dimensions.
    pub dimensions: usize,
    /// The dimensions' weights where the composite is their mean (`[[dimension]]`).
    pub dimension_weights: Option<Vec<f64>>,
    /// [unit · k + indicator]: the indicator's weight for the county (its class's, or the
    /// indicator's own).
    pub weights: Vec<f64>,
}

impl Structure {
    /// The shape of `def` for `units` counties classed by `classes`.
    pub fn new(
        def: &IndexDefinition,
        units: usize,
        classes: Option<&Classes>,
    ) -> Result<Self, DefinitionError> {
        let names = def.dimension_names();
        let dimension_of = def
            .indicators
            .iter()
            .map(|i| names.iter().position(|n| *n == i.dimension).unwrap_or(0))
            .collect();
        for (i, indicator) in def.indicators.iter().enumerate() {
            for class in indicator.group_weights.keys() {
                let known = classes.is_some_and(|c| c.names.contains(class));
                if !known {
                    let listed = classes.map_or_else(String::new, |c| c.names.join("、"));
                    return Err(DefinitionError {
                        line: def.lines.get(i).copied().unwrap_or(1),
                        zh: format!(
                            "“{}”的分类权重提到“{class}”,但分类中没有它(有:{listed})",
                            indicator.layer
                        ),
                        en: format!(
                            "the group_weights of '{}' name '{class}', which is not a class (the classes: {listed})",
                            indicator.layer
                        ),
                    });
                }
            }
        }
        let k = def.indicators.len();
        let mut weights = Vec::with_capacity(units * k);
        for u in 0..units {
            let class = classes.and_then(|c| c.of_unit[u].map(|g| c.names[g].as_str()));
            for indicator in &def.indicators {
                let own = class.and_then(|c| indicator.group_weights.get(c));
                weights.push(own.copied().unwrap_or(indicator.weight));
            }
        }
        Ok(Structure {
            k,
            dimension_of,
            dimensions: names.len(),
            dimension_weights: (!def.dimensions.is_empty())
                .then(|| def.dimensions.iter().map(|d| d.weight).collect()),
            weights,
        })
    }
}

/// Normalised values ready to aggregate: [unit · k + indicator], NaN where missing, their
/// logarithms for the geometric mean (ln 0 = −∞ makes a zero's mean zero, as it should).
#[derive(Clone, Debug)]
pub struct Table {
    /// How they are combined.
    pub aggregation: Aggregation,
    values: Vec<f64>,
}

impl Table {
    /// Lays out `normalised` ([indicator][unit]).
    pub fn new(normalised: &[Vec<Option<f64>>], aggregation: Aggregation) -> Self {
        let k = normalised.len();
        let units = normalised.first().map_or(0, Vec::len);
        let mut values = vec![f64::NAN; units * k];
        for (i, column) in normalised.iter().enumerate() {
            for (u, v) in column.iter().enumerate() {
                if let Some(v) = v {
                    values[u * k + i] = match aggregation {
                        Aggregation::Arithmetic => *v,
                        Aggregation::Geometric => v.ln(),
                    };
                }
            }
        }
        Table {
            aggregation,
            values,
        }
    }
}

/// One variant of the index: weight factors and an indicator left out.
#[derive(Clone, Copy, Debug)]
pub struct Variant<'a> {
    /// Per indicator: its weights are multiplied by this.
    pub indicator_factors: &'a [f64],
    /// Per dimension: its weight is multiplied by this.
    pub dimension_factors: &'a [f64],
    /// An indicator not used.
    pub left_out: Option<usize>,
}

/// Scratch space for [`score_into`], reused across draws.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    numerator: Vec<f64>,
    denominator: Vec<f64>,
}

/// The composite (NaN for a county not scored or without values) into `scores`, and each
/// dimension's score into `dimensions` ([dimension · units + unit]) when given.
pub fn score_into(
    structure: &Structure,
    table: &Table,
    scored: &[bool],
    variant: Variant,
    scratch: &mut Scratch,
    scores: &mut [f64],
    mut dimensions: Option<&mut [f64]>,
) {
    let k = structure.k;
    let units = scored.len();
    let d_count = structure.dimensions;
    scratch.numerator.resize(d_count, 0.0);
    scratch.denominator.resize(d_count, 0.0);
    let geometric = table.aggregation == Aggregation::Geometric;
    let finish = |num: f64, den: f64| {
        if geometric {
            (num / den).exp()
        } else {
            num / den
        }
    };
    for u in 0..units {
        if !scored[u] {
            scores[u] = f64::NAN;
            if let Some(out) = dimensions.as_deref_mut() {
                for d in 0..d_count {
                    out[d * units + u] = f64::NAN;
                }
            }
            continue;
        }
        let row = &table.values[u * k..(u + 1) * k];
        let weights = &structure.weights[u * k..(u + 1) * k];
        scratch.numerator.fill(0.0);
        scratch.denominator.fill(0.0);
        let (mut all_num, mut all_den) = (0.0, 0.0);
        for i in 0..k {
            let v = row[i];
            if v.is_nan() || variant.left_out == Some(i) {
                continue;
            }
            let w = weights[i] * variant.indicator_factors[i];
            let d = structure.dimension_of[i];
            scratch.numerator[d] += w * v;
            scratch.denominator[d] += w;
            all_num += w * v;
            all_den += w;
        }
        if let Some(out) = dimensions.as_deref_mut() {
            for d in 0..d_count {
                let den = scratch.denominator[d];
                out[d * units + u] = if den > 0.0 {
                    finish(scratch.numerator[d], den)
                } else {
                    f64::NAN
                };
            }
        }
        scores[u] = match &structure.dimension_weights {
            None => {
                if all_den > 0.0 {
                    finish(all_num, all_den)
                } else {
                    f64::NAN
                }
            }
            Some(dimension_weights) => {
                let (mut num, mut den) = (0.0, 0.0);
                let inner = scratch.numerator.iter().zip(&scratch.denominator);
                let outer = dimension_weights.iter().zip(variant.dimension_factors);
                for ((&inner_num, &inner_den), (&weight, &factor)) in inner.zip(outer) {
                    if inner_den <= 0.0 {
                        continue;
                    }
                    // The dimension's own mean, on the scale it is combined on (its
                    // logarithm for the geometric mean).
                    let w = weight * factor;
                    num += w * (inner_num / inner_den);
                    den += w;
                }
                if den > 0.0 {
                    finish(num, den)
                } else {
                    f64::NAN
                }
            }
        };
    }
}

/// Ranks, 1 the highest; ties share the best rank (pandas' `method="min"`); NaN gets none.
pub fn ranks(scores: &[f64]) -> Vec<Option<usize>> {
    ranks_where(scores, |_| true)
}

/// Ranks among the counties for which `member` holds.
pub fn ranks_where(scores: &[f64], member: impl Fn(usize) -> bool) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..scores.len())
        .filter(|&u| !scores[u].is_nan() && member(u))
        .collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut out = vec![None; scores.len()];
    let mut rank = 0;
    for (position, &u) in order.iter().enumerate() {
        if position == 0 || scores[u] != scores[order[position - 1]] {
            rank = position + 1;
        }
        out[u] = Some(rank);
    }
    out
}

/// Ranks into `out` (0 for none), reusing `order`: the draws' version of [`ranks`].
pub fn ranks_into(scores: &[f64], order: &mut Vec<u32>, out: &mut [u32]) {
    order.clear();
    order.extend((0..scores.len() as u32).filter(|&u| !scores[u as usize].is_nan()));
    order.sort_unstable_by(|&a, &b| scores[b as usize].total_cmp(&scores[a as usize]));
    out.fill(0);
    let mut rank = 0;
    for (position, &u) in order.iter().enumerate() {
        if position == 0 || scores[u as usize] != scores[order[position - 1] as usize] {
            rank = position as u32 + 1;
        }
        out[u as usize] = rank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_best_rank() {
        let r = ranks(&[3.0, 5.0, 3.0, f64::NAN, 1.0]);
        assert_eq!(r, vec![Some(2), Some(1), Some(2), None, Some(4)]);
        let (mut order, mut out) = (Vec::new(), vec![0; 5]);
        ranks_into(&[3.0, 5.0, 3.0, f64::NAN, 1.0], &mut order, &mut out);
        assert_eq!(out, vec![2, 1, 2, 0, 4]);
    }
}
