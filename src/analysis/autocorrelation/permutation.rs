//! Permutation inference shared by the statistics: the seeded random stream, the table of
//! conditional draws, and esda's directed p-value.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

/// The seeded stream every statistic draws from.
pub fn stream(seed: u64) -> Pcg64Mcg {
    Pcg64Mcg::seed_from_u64(seed)
}

/// esda's "directed" p-value: with `larger` of `permutations` simulated values at or above
/// the observed one, (min(larger, permutations − larger) + 1) / (permutations + 1).
pub fn directed_p(larger: usize, permutations: usize) -> f64 {
    let folded = larger.min(permutations - larger);
    (folded + 1) as f64 / (permutations + 1) as f64
}

/// Conditional permutation draws as esda's `crand` makes them: one table, shared by every
/// site, of `permutations` rows of `width` distinct positions among the n − 1 other sites.
/// Site i reads position p as site p (p < i) or p + 1 (p ≥ i), so each row gives it
/// neighbours drawn without replacement from everyone but itself.
pub struct ConditionalDraws {
    table: Vec<u32>,
    width: usize,
}

impl ConditionalDraws {
    /// Draws the table for `n` sites whose largest neighbour count is `width`.
    pub fn new(n: usize, width: usize, permutations: usize, seed: u64) -> Self {
        let mut rng = stream(seed);
        let width = width.min(n.saturating_sub(1));
        let mut table = Vec::with_capacity(permutations * width);
        for _ in 0..permutations {
            let row = rand::seq::index::sample(&mut rng, n - 1, width);
            table.extend(row.iter().map(|p| p as u32));
        }
        ConditionalDraws { table, width }
    }

    /// Row `r`'s first `k` draws for site `i`, as site positions.
    #[inline]
    pub fn row(&self, r: usize, i: usize, k: usize) -> impl Iterator<Item = usize> + '_ {
        let start = r * self.width;
        self.table[start..start + k].iter().map(move |&p| {
            let p = p as usize;
            if p < i { p } else { p + 1 }
        })
    }
}

/// Mean and population standard deviation of simulated values.
pub fn moments(sims: &[f64]) -> (f64, f64) {
    super::mean_sd(sims)
}
