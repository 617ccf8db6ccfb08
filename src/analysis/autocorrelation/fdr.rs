//! The false-discovery-rate cut of Benjamini and Hochberg, as esda.fdr computes it.

/// The p-value threshold that keeps the false discovery rate of `p` (one p per unit) at
/// `alpha`: the largest (k·alpha)/n with the k-th smallest p strictly below it; alpha/n when
/// no p passes. Units with p below the returned threshold are significant. The threshold is
/// computed as (k·alpha)/n, in that order, as esda does, so values at the boundary fall alike.
pub fn fdr(p: &[f64], alpha: f64) -> f64 {
    let n = p.len();
    if n == 0 {
        return alpha;
    }
    let mut sorted = p.to_vec();
    sorted.sort_by(f64::total_cmp);
    for k in (1..=n).rev() {
        let threshold = (k as f64 * alpha) / n as f64;
        if sorted[k - 1] < threshold {
            return threshold;
        }
    }
    alpha / n as f64
}
