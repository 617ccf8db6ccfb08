//! Inequality among counties and how much of it lies between groups (the five economic
//! regions, the prefectures): the Gini coefficient and Theil's T with its between/within
//! decomposition, as PySAL's `inequality` computes them (`Gini`, `Theil`, `TheilD`,
//! `TheilDSim`), equal-weighted or weighted by population.
//!
//! Equal-weighted, each county counts once: the disparity among counties. Population-
//! weighted, each county counts by its residents: for a per-capita indicator, the disparity
//! among people. With shares sᵢ = wᵢyᵢ / Σwⱼyⱼ of the total and pᵢ = wᵢ / Σwⱼ of the weight,
//! T = Σ sᵢ ln(sᵢ/pᵢ); between groups B = Σ_g S_g ln(S_g/P_g); within W = T − B
//! (= Σ_g S_g T_g). Equal weights (pᵢ = 1/n) give PySAL's formulas exactly.

use super::autocorrelation::StatsError;
use rand::seq::SliceRandom;
use serde::Serialize;

/// One group's part of the decomposition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupShare {
    /// Units with a value in the group.
    pub n: usize,
    /// The group's share of the total (S_g).
    pub share: f64,
    /// Its share of the weight (P_g; n_g/n when equal-weighted).
    pub weight_share: f64,
    /// Theil's T inside the group.
    pub theil: f64,
}

/// Gini, Theil and, with groups, the decomposition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inequality {
    /// Units with a value.
    pub n: usize,
    /// Whether units are weighted by population.
    pub population_weighted: bool,
    /// Gini coefficient (equal-weighted: Σᵢ Σⱼ |yᵢ − yⱼ| / (2 n² ȳ)).
    pub gini: f64,
    /// Theil's T.
    pub theil: f64,
    /// Between-group part (None without groups).
    pub between: Option<f64>,
    /// Within-group part.
    pub within: Option<f64>,
    /// between / theil.
    pub between_share: Option<f64>,
    /// Per group (index of the group as given), where groups were given. Not serialised:
    /// without the groups' names the list means little; callers write it with them.
    #[serde(skip)]
    pub groups: Vec<Option<GroupShare>>,
    /// Permutations of the between part (values shuffled across units, groups fixed).
    pub permutations: usize,
    /// (1 + #(permuted between ≥ observed)) / (permutations + 1), as TheilDSim's bg_pvalue.
    pub between_p_sim: Option<f64>,
}

/// The inequality of `values` (non-negative). `weights` (population) weighs each unit, or
/// `None` for equal weights; `groups` gives each unit's group (an index below `group_count`).
pub fn inequality(
    values: &[f64],
    weights: Option<&[f64]>,
    groups: Option<(&[usize], usize)>,
    permutations: usize,
    seed: u64,
) -> Result<Inequality, StatsError> {
    let n = values.len();
    if n < 2 {
        return Err(StatsError::TooFew { n, needed: 2 });
    }
    if let Some(&value) = values.iter().find(|v| **v < 0.0 || !v.is_finite()) {
        return Err(StatsError::Negative {
            what: "基尼系数与泰尔指数",
            what_en: "Gini and Theil",
            value,
        });
    }
    if let Some(&value) = weights
        .into_iter()
        .flatten()
        .find(|w| **w <= 0.0 || !w.is_finite())
    {
        return Err(StatsError::Negative {
            what: "人口权重",
            what_en: "The population weight",
            value,
        });
    }
    if values.iter().all(|&v| v == 0.0) {
        return Err(StatsError::Constant);
    }
    let equal = vec![1.0; n];
    let w = weights.unwrap_or(&equal);
    let theil = theil_t(values, w);
    let mut result = Inequality {
        n,
        population_weighted: weights.is_some(),
        gini: gini(values),
        theil,
        between: None,
        within: None,
        between_share: None,
        groups: Vec::new(),
        permutations: 0,
        between_p_sim: None,
    };
    let Some((of_unit, group_count)) = groups else {
        return Ok(result);
    };
    let between = between_part(values, w, of_unit, group_count);
    result.between = Some(between);
    result.within = Some(theil - between);
    result.between_share = Some(if theil > 0.0 { between / theil } else { 0.0 });
    result.groups = group_shares(values, w, of_unit, group_count);
    if permutations > 0 {
        let mut rng = super::autocorrelation::permutation_stream(seed);
        let mut shuffled = values.to_vec();
        let mut larger = 0;
        for _ in 0..permutations {
            shuffled.shuffle(&mut rng);
            if between_part(&shuffled, w, of_unit, group_count) >= between {
                larger += 1;
            }
        }
        result.permutations = permutations;
        result.between_p_sim = Some((larger + 1) as f64 / (permutations + 1) as f64);
    }
    Ok(result)
}

/// The Gini coefficient, from the values sorted ascending:
/// (Σᵢ (2i − n − 1) x₍ᵢ₎) / (n Σx), which is Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄).
pub fn gini(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let total: f64 = sorted.iter().sum();
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| 2.0 * (i as f64 + 1.0) * x)
        .sum();
    (weighted - n * total - total) / (n * total)
}

/// Theil's T = Σ sᵢ ln(sᵢ/pᵢ); a zero value adds nothing (s ln s → 0).
fn theil_t(values: &[f64], weights: &[f64]) -> f64 {
    let total: f64 = values.iter().zip(weights).map(|(y, w)| y * w).sum();
    let weight: f64 = weights.iter().sum();
    values
        .iter()
        .zip(weights)
        .map(|(y, w)| {
            let s = y * w / total;
            let p = w / weight;
            if s > 0.0 { s * (s / p).ln() } else { 0.0 }
        })
        .sum()
}

/// (S_g, P_g, n_g) per group.
fn group_sums(
    values: &[f64],
    weights: &[f64],
    of_unit: &[usize],
    group_count: usize,
) -> Vec<(f64, f64, usize)> {
    let total: f64 = values.iter().zip(weights).map(|(y, w)| y * w).sum();
    let weight: f64 = weights.iter().sum();
    let mut sums = vec![(0.0, 0.0, 0usize); group_count];
    for ((y, w), &g) in values.iter().zip(weights).zip(of_unit) {
        sums[g].0 += y * w / total;
        sums[g].1 += w / weight;
        sums[g].2 += 1;
    }
    sums
}

/// B = Σ_g S_g ln(S_g / P_g).
fn between_part(values: &[f64], weights: &[f64], of_unit: &[usize], group_count: usize) -> f64 {
    group_sums(values, weights, of_unit, group_count)
        .into_iter()
        .filter(|&(s, _, n)| n > 0 && s > 0.0)
        .map(|(s, p, _)| s * (s / p).ln())
        .sum()
}

fn group_shares(
    values: &[f64],
    weights: &[f64],
    of_unit: &[usize],
    group_count: usize,
) -> Vec<Option<GroupShare>> {
    let sums = group_sums(values, weights, of_unit, group_count);
    (0..group_count)
        .map(|g| {
            let (share, weight_share, n) = sums[g];
            if n == 0 {
                return None;
            }
            let members: Vec<usize> = (0..values.len()).filter(|&i| of_unit[i] == g).collect();
            let ys: Vec<f64> = members.iter().map(|&i| values[i]).collect();
            let ws: Vec<f64> = members.iter().map(|&i| weights[i]).collect();
            let theil = if share > 0.0 { theil_t(&ys, &ws) } else { 0.0 };
            Some(GroupShare {
                n,
                share,
                weight_share,
                theil,
            })
        })
        .collect()
}
