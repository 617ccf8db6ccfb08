//! Getis-Ord local G (esda.G_Local): hot spots (high values surrounded by high values) and
//! cold spots. G*ᵢ counts the unit itself among its neighbours (self weight 1 before the row
//! is standardised, as esda's `star=True`); Gᵢ leaves it out.

use super::permutation::{ConditionalDraws, directed_p};
use super::{StatsError, normal};
use crate::spatial::SpatialWeights;
use serde::Serialize;

/// A unit's hot or cold spot class at a significance level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HotSpot {
    /// Significantly high: G above its expectation.
    Hot,
    /// Significantly low.
    Cold,
}

/// One unit's local G.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct LocalG {
    /// Gᵢ or G*ᵢ: the weighted share of the total held by the unit's neighbourhood.
    pub Gs: f64,
    /// Its expectation.
    pub EGs: f64,
    /// Its variance under normality.
    pub VGs: f64,
    /// (Gs − EGs) / √VGs; `None` for a unit without neighbours.
    pub Zs: Option<f64>,
    /// One-sided p of Zs.
    pub p_norm: Option<f64>,
    /// Directed conditional-permutation p; `None` without neighbours or permutations.
    pub p_sim: Option<f64>,
}

/// Local G of every unit, in the order of the weights' units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GetisOrd {
    /// Whether the unit is its own neighbour (G*).
    pub star: bool,
    /// Per unit.
    pub values: Vec<LocalG>,
    /// Permutations drawn.
    pub permutations: usize,
    /// Their seed.
    pub seed: u64,
}

impl GetisOrd {
    /// Unit `i`'s class when its p_sim is below `alpha`: hot when Zs is positive.
    pub fn spot(&self, i: usize, alpha: f64) -> Option<HotSpot> {
        let value = &self.values[i];
        let p = value.p_sim?;
        let spot = if value.Gs > value.EGs {
            HotSpot::Hot
        } else {
            HotSpot::Cold
        };
        (p < alpha).then_some(spot)
    }
}

/// Local G of `values` (non-negative, in the order of `weights.units()`); `star` for G*ᵢ.
pub fn getis_ord(
    values: &[f64],
    weights: &SpatialWeights,
    star: bool,
    permutations: usize,
    seed: u64,
) -> Result<GetisOrd, StatsError> {
    let n = super::check_input(values, weights, 3)?;
    if let Some(&value) = values.iter().find(|v| **v < 0.0 || !v.is_finite()) {
        return Err(StatsError::Negative {
            what: "Getis-Ord G",
            what_en: "Getis-Ord G",
            value,
        });
    }
    let total: f64 = values.iter().sum();
    let total_2: f64 = values.iter().map(|v| v * v).sum();
    if values.iter().all(|&v| v == values[0]) {
        return Err(StatsError::Constant);
    }
    let draws = (permutations > 0)
        .then(|| ConditionalDraws::new(n, weights.max_neighbours(), permutations, seed));
    let mut sims = vec![0.0; permutations];
    let values_out = (0..n)
        .map(|i| {
            let row = weights.row(i);
            let k = row.len() as f64;
            // G*: the unit among its own k neighbours, each weighing 1/(k + 1); an island
            // has no weights at all, itself included (esda's self weight is its row's
            // largest binary weight, 0).
            let (neighbour_weight, self_weight) = match (star, row.is_empty()) {
                (_, true) => (0.0, 0.0),
                (true, false) => (1.0 / (k + 1.0), 1.0 / (k + 1.0)),
                (false, false) => (1.0 / k, 0.0),
            };
            let own = if star { 0.0 } else { values[i] };
            let others = (n - usize::from(!star)) as f64;
            let denominator = total - own;
            let lagged: f64 = row
                .iter()
                .map(|&(j, _)| neighbour_weight * values[j as usize])
                .sum::<f64>()
                + self_weight * values[i];
            let gs = lagged / denominator;
            // The row's weights summed, as esda sums them (1 to rounding, 0 for an island).
            let c: f64 = row.iter().map(|_| neighbour_weight).sum::<f64>() + self_weight;
            let m = (total - own) / others;
            let s2 = (total_2 - own * own) / others - m * m;
            let egs = c / others;
            let vgs = c * (others - c) / (others - 1.0) / (others * others) * s2 / (m * m);
            let mut value = LocalG {
                Gs: gs,
                EGs: egs,
                VGs: vgs,
                Zs: None,
                p_norm: None,
                p_sim: None,
            };
            if row.is_empty() {
                return value;
            }
            let zs = (gs - egs) / vgs.sqrt();
            value.Zs = Some(zs);
            value.p_norm = Some(normal::one_sided(zs));
            if let Some(draws) = &draws {
                for (r, sim) in sims.iter_mut().enumerate() {
                    let drawn: f64 = draws
                        .row(r, i, row.len())
                        .map(|j| neighbour_weight * values[j])
                        .sum();
                    *sim = (drawn + self_weight * values[i]) / denominator;
                }
                let larger = sims.iter().filter(|&&s| s >= gs).count();
                value.p_sim = Some(directed_p(larger, permutations));
            }
            value
        })
        .collect();
    Ok(GetisOrd {
        star,
        values: values_out,
        permutations,
        seed,
    })
}
