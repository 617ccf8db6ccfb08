//! Spatial autocorrelation as PySAL's esda 2.x computes it: global Moran's I ([`moran`]),
//! local Moran (LISA, [`local_moran`]) and Getis-Ord G*ᵢ ([`getis_ord`]), with analytic
//! (normal-approximation) and permutation inference, and the false-discovery-rate cut
//! ([`fdr`]).
//!
//! The analytic results (I, EI, the variances, z and p_norm; each Iᵢ and quadrant; each G*ᵢ
//! and its z) equal esda's to rounding. Permutation results (p_sim and the *_sim moments) are
//! esda's statistics with the same p-value rule, but drawn from this crate's seeded PCG
//! stream, not numpy's Mersenne Twister, so they agree with esda statistically, not digit
//! for digit; the same seed gives the same result on every run and machine.
//!
//! **Which p-value**: `p_sim` is esda 2.x's default, the "directed" (folded) one:
//! (min(#sims ≥ observed, #sims < observed) + 1) / (permutations + 1), a one-sided p in
//! the direction the observed value lies. Global Moran's `p_norm` and `p_rand` are
//! two-sided (esda's `two_tailed=True`); the local statistics' `p_norm` and every `p_z_sim`
//! are one-sided, as esda's.

mod fdr;
mod getis_ord;
mod local_moran;
mod moran;
mod normal;
mod permutation;

pub use fdr::fdr;
pub use getis_ord::{GetisOrd, HotSpot, LocalG, getis_ord};
pub use local_moran::{LocalMoran, LocalMoranValue, Quadrant, local_moran};
pub use moran::{Moran, moran};
pub(crate) use permutation::stream as permutation_stream;

/// Why a statistic cannot be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum StatsError {
    /// Too few values.
    #[error(
        "只有 {n} 个有数值的单元,至少需要 {needed} 个 / only {n} units have a value; at least {needed} are needed"
    )]
    TooFew {
        /// Units with a value.
        n: usize,
        /// The least the statistic needs.
        needed: usize,
    },
    /// Every value is the same.
    #[error(
        "所有数值相同,没有变化可分析 / every value is the same: there is no variation to analyse"
    )]
    Constant,
    /// The values and the weights disagree in length.
    #[error(
        "数值个数({values})与权重单元数({weights})不一致 / {values} values for weights over {weights} units"
    )]
    Mismatch {
        /// Values given.
        values: usize,
        /// Units of the weights.
        weights: usize,
    },
    /// No unit has a neighbour.
    #[error(
        "没有任何单元有邻居(请放宽权重,如更大的距离带) / no unit has a neighbour: widen the weights (a larger band, say)"
    )]
    NoNeighbours,
    /// A value is negative or not finite where the statistic needs positive values.
    #[error(
        "{what}需要非负数值,而有单元的值为 {value} / {what_en} needs values of zero or more; a unit has {value}"
    )]
    Negative {
        /// The statistic, in Chinese.
        what: &'static str,
        /// The statistic, in English.
        what_en: &'static str,
        /// The offending value.
        value: f64,
    },
}

/// The number of permutations allowed (esda's default is 999).
pub const PERMUTATIONS: std::ops::RangeInclusive<usize> = 0..=99_999;

/// Checks that `values` fit `weights` and number at least `needed`; returns their count.
fn check_input(
    values: &[f64],
    weights: &crate::spatial::SpatialWeights,
    needed: usize,
) -> Result<usize, StatsError> {
    let n = values.len();
    if n != weights.len() {
        return Err(StatsError::Mismatch {
            values: n,
            weights: weights.len(),
        });
    }
    if n < needed {
        return Err(StatsError::TooFew { n, needed });
    }
    Ok(n)
}

/// `values` standardised (minus the mean, over the population standard deviation), as local
/// Moran and the Moran scatter plot use them; `None` when every value is the same.
pub fn standardised(values: &[f64]) -> Option<Vec<f64>> {
    let (mean, sd) = mean_sd(values);
    (sd > 0.0).then(|| values.iter().map(|v| (v - mean) / sd).collect())
}

/// Mean and population standard deviation (ddof 0) of `values`.
fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}
