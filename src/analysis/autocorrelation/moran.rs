//! Global Moran's I (esda.Moran): how much a county's value resembles its neighbours'.

use super::permutation::{directed_p, moments, stream};
use super::{StatsError, normal};
use crate::spatial::SpatialWeights;
use rand::seq::SliceRandom;
use serde::Serialize;

/// Global Moran's I with its normal, randomisation and permutation inference. The field names
/// follow esda's (`I`, `EI`, `z_norm`, ...), so that JSON output reads as esda's does.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct Moran {
    /// Units with a value.
    pub n: usize,
    /// Moran's I.
    pub I: f64,
    /// Its expectation under no autocorrelation, −1/(n − 1).
    pub EI: f64,
    /// Variance of I under normality.
    pub VI_norm: f64,
    /// Standard error under normality.
    pub seI_norm: f64,
    /// z under normality.
    pub z_norm: f64,
    /// Two-sided p under normality.
    pub p_norm: f64,
    /// Variance of I under randomisation.
    pub VI_rand: f64,
    /// Standard error under randomisation.
    pub seI_rand: f64,
    /// z under randomisation.
    pub z_rand: f64,
    /// Two-sided p under randomisation.
    pub p_rand: f64,
    /// Permutations drawn (0: no permutation inference).
    pub permutations: usize,
    /// The seed of the permutations.
    pub seed: u64,
    /// Directed permutation p ((folded count + 1) / (permutations + 1)).
    pub p_sim: Option<f64>,
    /// Mean of the permuted I.
    pub EI_sim: Option<f64>,
    /// Standard deviation of the permuted I.
    pub seI_sim: Option<f64>,
    /// (I − EI_sim) / seI_sim.
    pub z_sim: Option<f64>,
    /// One-sided p of z_sim.
    pub p_z_sim: Option<f64>,
}

/// Moran's I of `values` (in the order of `weights.units()`) under row-standardised
/// `weights`, with `permutations` random permutations drawn from `seed`.
pub fn moran(
    values: &[f64],
    weights: &SpatialWeights,
    permutations: usize,
    seed: u64,
) -> Result<Moran, StatsError> {
    // The randomisation variance divides by (n − 1)(n − 2)(n − 3).
    let n = super::check_input(values, weights, 4)?;
    let (s0, s1, s2) = weights.s0_s1_s2();
    if s0 == 0.0 {
        return Err(StatsError::NoNeighbours);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let z: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let z2: f64 = z.iter().map(|v| v * v).sum();
    if z2 == 0.0 {
        return Err(StatsError::Constant);
    }
    let nf = n as f64;
    let statistic = |z: &[f64], lag: &mut [f64]| -> f64 {
        weights.lag_into(z, lag);
        nf / s0 * z.iter().zip(lag.iter()).map(|(a, b)| a * b).sum::<f64>() / z2
    };
    let mut lag = vec![0.0; n];
    let i = statistic(&z, &mut lag);

    let ei = -1.0 / (nf - 1.0);
    let vi_norm = (nf * nf * s1 - nf * s2 + 3.0 * s0 * s0) / ((nf - 1.0) * (nf + 1.0) * s0 * s0)
        - 1.0 / ((nf - 1.0) * (nf - 1.0));
    let k = (z.iter().map(|v| v.powi(4)).sum::<f64>() / nf) / ((z2 / nf) * (z2 / nf));
    let a = nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s0 * s0);
    let b = k * ((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s0 * s0);
    let vi_rand = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s0 * s0) - ei * ei;
    let (se_norm, se_rand) = (vi_norm.sqrt(), vi_rand.sqrt());
    let (z_norm, z_rand) = ((i - ei) / se_norm, (i - ei) / se_rand);

    let mut result = Moran {
        n,
        I: i,
        EI: ei,
        VI_norm: vi_norm,
        seI_norm: se_norm,
        z_norm,
        p_norm: normal::two_sided(z_norm),
        VI_rand: vi_rand,
        seI_rand: se_rand,
        z_rand,
        p_rand: normal::two_sided(z_rand),
        permutations,
        seed,
        p_sim: None,
        EI_sim: None,
        seI_sim: None,
        z_sim: None,
        p_z_sim: None,
    };
    if permutations > 0 {
        let mut rng = stream(seed);
        let mut shuffled = z.clone();
        let sims: Vec<f64> = (0..permutations)
            .map(|_| {
                shuffled.shuffle(&mut rng);
                statistic(&shuffled, &mut lag)
            })
            .collect();
        let larger = sims.iter().filter(|&&s| s >= i).count();
        let (ei_sim, se_sim) = moments(&sims);
        let z_sim = (i - ei_sim) / se_sim;
        result.p_sim = Some(directed_p(larger, permutations));
        result.EI_sim = Some(ei_sim);
        result.seI_sim = Some(se_sim);
        result.z_sim = Some(z_sim);
        result.p_z_sim = Some(normal::one_sided(z_sim));
    }
    Ok(result)
}
