//! How much to trust a rank (docs/index-method.md, step 7): Monte Carlo draws over the
//! weights, the normalisation and aggregation, and leaving one indicator out, giving each
//! county its median rank and 5–95% interval; and the one-at-a-time table of which choice
//! moves ranks most. Every normalised table a draw can use is computed once; a draw is then
//! one weighted pass over 183 rows and a sort, so 10,000 draws take a few tens of
//! milliseconds, spread over the cores in fixed chunks (the result does not depend on how
//! many there are).

use super::aggregate::{Scratch, Structure, Table, Variant, ranks_into, score_into};
use super::definition::{Aggregation, DefinitionError, IndexDefinition, Normalisation};
use super::prepare::{IndexData, Prepared};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;
use serde::Serialize;

/// Draws per chunk of work: each chunk has its own stream, seeded from the seed and its
/// number, so the result is the same on one core or sixteen.
const CHUNK: usize = 250;

/// One variant of the index, as a draw or a sensitivity step makes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Per indicator: its weight's factor.
    pub indicator_factors: Vec<f64>,
    /// Per `[[dimension]]`: its weight's factor (empty without them).
    pub dimension_factors: Vec<f64>,
    /// The normalisation.
    pub normalisation: Normalisation,
    /// The aggregation.
    pub aggregation: Aggregation,
    /// An indicator left out (definition order).
    pub left_out: Option<usize>,
}

/// A county's ranks over the draws.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RankInterval {
    /// Its rank in the nominal index.
    pub nominal: usize,
    /// The median rank.
    pub median: f64,
    /// The 5% quantile (its best plausible rank).
    pub q05: f64,
    /// The 95% quantile.
    pub q95: f64,
    /// The mean rank.
    pub mean: f64,
}

/// One row of the sensitivity table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    /// What was changed: `normalisation:zscore`, `aggregation:geometric`,
    /// `leave_out:LAYER`, `weight:LAYER:low|high`, `dimension_weight:NAME:low|high`.
    pub choice: String,
    /// The mean |rank − nominal rank| over the scored counties.
    pub mean_abs: f64,
    /// The largest.
    pub max_abs: usize,
}

/// Everything a draw needs, computed once.
pub struct Engine<'a> {
    def: &'a IndexDefinition,
    structure: Structure,
    scored: Vec<bool>,
    pairs: Vec<(Normalisation, Aggregation)>,
    tables: Vec<((Normalisation, Aggregation), Table)>,
    nominal: Vec<u32>,
}

impl<'a> Engine<'a> {
    /// Prepares the draws of `def`'s `[uncertainty]` section on `data`.
    pub fn new(def: &'a IndexDefinition, data: &IndexData) -> Result<Self, DefinitionError> {
        let prepared = Prepared::new(def, data)?;
        let structure = Structure::new(def, prepared.units(), data.classes.as_ref())?;
        let u = &def.uncertainty;
        let mut pairs = Vec::new();
        for &n in &u.normalisations_for(def.method.normalisation) {
            for &a in &u.aggregations {
                if !(n == Normalisation::Zscore && a == Aggregation::Geometric) {
                    pairs.push((n, a));
                }
            }
        }
        let nominal_pair = (def.method.normalisation, def.method.aggregation);
        let mut wanted = pairs.clone();
        // The sensitivity table changes one choice at a time from the nominal index.
        for &(n, a) in &pairs {
            for pair in [nominal_pair, (n, nominal_pair.1), (nominal_pair.0, a)] {
                let valid = !(pair.0 == Normalisation::Zscore && pair.1 == Aggregation::Geometric);
                if valid && !wanted.contains(&pair) {
                    wanted.push(pair);
                }
            }
        }
        let tables = wanted
            .iter()
            .map(|&(n, a)| Ok(((n, a), Table::new(&prepared.normalised(def, n, a)?, a))))
            .collect::<Result<Vec<_>, DefinitionError>>()?;
        let mut engine = Engine {
            def,
            structure,
            scored: prepared.scored,
            pairs,
            tables,
            nominal: Vec::new(),
        };
        engine.nominal = engine.ranks_u32(&engine.nominal_scenario(), &mut Workspace::default());
        Ok(engine)
    }

    /// The index as defined.
    pub fn nominal_scenario(&self) -> Scenario {
        Scenario {
            indicator_factors: vec![1.0; self.structure.k],
            dimension_factors: vec![1.0; self.def.dimensions.len()],
            normalisation: self.def.method.normalisation,
            aggregation: self.def.method.aggregation,
            left_out: None,
        }
    }

    /// The ranks under `scenario` (whose normalisation and aggregation must be among those
    /// the definition draws from or the nominal ones).
    pub fn ranks(&self, scenario: &Scenario) -> Vec<Option<usize>> {
        self.ranks_u32(scenario, &mut Workspace::default())
            .into_iter()
            .map(|r| (r > 0).then_some(r as usize))
            .collect()
    }

    fn ranks_u32(&self, scenario: &Scenario, work: &mut Workspace) -> Vec<u32> {
        self.rank_into(scenario, work);
        work.ranks.clone()
    }

    fn rank_into(&self, scenario: &Scenario, work: &mut Workspace) {
        let units = self.scored.len();
        let pair = (scenario.normalisation, scenario.aggregation);
        let table = self
            .tables
            .iter()
            .find(|(p, _)| *p == pair)
            .map(|(_, t)| t)
            .unwrap_or(&self.tables[0].1);
        work.scores.resize(units, f64::NAN);
        work.ranks.resize(units, 0);
        let ones;
        let dimension_factors = if scenario.dimension_factors.is_empty() {
            ones = vec![1.0; self.structure.dimensions];
            &ones
        } else {
            &scenario.dimension_factors
        };
        score_into(
            &self.structure,
            table,
            &self.scored,
            Variant {
                indicator_factors: &scenario.indicator_factors,
                dimension_factors,
                left_out: scenario.left_out,
            },
            &mut work.scratch,
            &mut work.scores,
            None,
        );
        ranks_into(&work.scores, &mut work.order, &mut work.ranks);
    }

    /// Draws one scenario from `rng` (step 7's order: indicator factors, dimension factors,
    /// the pair, the indicator left out).
    fn draw(&self, rng: &mut Pcg64Mcg, scenario: &mut Scenario) {
        let noise = self.def.uncertainty.weight_noise;
        let mut factor = || 1.0 - noise + 2.0 * noise * rng.random::<f64>();
        for f in scenario.indicator_factors.iter_mut() {
            *f = factor();
        }
        for f in scenario.dimension_factors.iter_mut() {
            *f = factor();
        }
        let (n, a) = self.pairs[rng.random_range(0..self.pairs.len())];
        scenario.normalisation = n;
        scenario.aggregation = a;
        scenario.left_out = if self.def.uncertainty.leave_one_out {
            match rng.random_range(0..=self.structure.k) {
                0 => None,
                i => Some(i - 1),
            }
        } else {
            None
        };
    }

    /// `draws` Monte Carlo draws seeded with `seed`: each scored county's rank interval.
    pub fn monte_carlo(&self, draws: usize, seed: u64) -> Vec<Option<RankInterval>> {
        let units = self.scored.len();
        let chunks = draws.div_ceil(CHUNK);
        let counts = (0..chunks)
            .into_par_iter()
            .fold(
                || vec![0u32; units * (units + 1)],
                |mut counts, chunk| {
                    let mut rng = Pcg64Mcg::seed_from_u64(
                        seed ^ (chunk as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                    );
                    let mut work = Workspace::default();
                    let mut scenario = self.nominal_scenario();
                    let n = CHUNK.min(draws - chunk * CHUNK);
                    for _ in 0..n {
                        self.draw(&mut rng, &mut scenario);
                        self.rank_into(&scenario, &mut work);
                        for (u, &r) in work.ranks.iter().enumerate() {
                            counts[u * (units + 1) + r as usize] += 1;
                        }
                    }
                    counts
                },
            )
            .reduce(
                || vec![0u32; units * (units + 1)],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        self.intervals_of(&counts)
    }

    /// Each scored county's rank interval over explicit `scenarios`.
    pub fn intervals(&self, scenarios: &[Scenario]) -> Vec<Option<RankInterval>> {
        let units = self.scored.len();
        let mut counts = vec![0u32; units * (units + 1)];
        let mut work = Workspace::default();
        for s in scenarios {
            self.rank_into(s, &mut work);
            for (u, &r) in work.ranks.iter().enumerate() {
                counts[u * (units + 1) + r as usize] += 1;
            }
        }
        self.intervals_of(&counts)
    }

    /// Each scored county's interval from its counts of ranks ([unit · (units + 1) + rank]).
    fn intervals_of(&self, counts: &[u32]) -> Vec<Option<RankInterval>> {
        let units = self.scored.len();
        (0..units)
            .map(|u| {
                let row = &counts[u * (units + 1)..(u + 1) * (units + 1)];
                let total: u64 = row[1..].iter().map(|&c| c as u64).sum();
                (self.scored[u] && total > 0).then(|| {
                    let sum: f64 = row
                        .iter()
                        .enumerate()
                        .map(|(r, &c)| r as f64 * c as f64)
                        .sum();
                    RankInterval {
                        nominal: self.nominal[u] as usize,
                        median: quantile(row, total, 0.5),
                        q05: quantile(row, total, 0.05),
                        q95: quantile(row, total, 0.95),
                        mean: sum / total as f64,
                    }
                })
            })
            .collect()
    }

    /// The one-at-a-time table, the choice that moves ranks most first.
    pub fn sensitivity(&self) -> Vec<Sensitivity> {
        let nominal = self.nominal_scenario();
        let noise = self.def.uncertainty.weight_noise;
        let mut steps: Vec<(String, Scenario)> = Vec::new();
        let drawn_normalisations: Vec<Normalisation> = self
            .def
            .uncertainty
            .normalisations_for(self.def.method.normalisation);
        for n in drawn_normalisations {
            let valid =
                !(n == Normalisation::Zscore && nominal.aggregation == Aggregation::Geometric);
            if n != nominal.normalisation && valid {
                steps.push((
                    format!("normalisation:{}", kebab(&n)),
                    Scenario {
                        normalisation: n,
                        ..nominal.clone()
                    },
                ));
            }
        }
        for &a in &self.def.uncertainty.aggregations {
            let valid =
                !(nominal.normalisation == Normalisation::Zscore && a == Aggregation::Geometric);
            if a != nominal.aggregation && valid {
                steps.push((
                    format!("aggregation:{}", kebab(&a)),
                    Scenario {
                        aggregation: a,
                        ..nominal.clone()
                    },
                ));
            }
        }
        if self.def.uncertainty.leave_one_out {
            for (i, indicator) in self.def.indicators.iter().enumerate() {
                steps.push((
                    format!("leave_out:{}", indicator.layer),
                    Scenario {
                        left_out: Some(i),
                        ..nominal.clone()
                    },
                ));
            }
        }
        if noise > 0.0 {
            for (i, indicator) in self.def.indicators.iter().enumerate() {
                for (end, factor) in [("low", 1.0 - noise), ("high", 1.0 + noise)] {
                    let mut s = nominal.clone();
                    s.indicator_factors[i] = factor;
                    steps.push((format!("weight:{}:{end}", indicator.layer), s));
                }
            }
            for (d, dimension) in self.def.dimensions.iter().enumerate() {
                for (end, factor) in [("low", 1.0 - noise), ("high", 1.0 + noise)] {
                    let mut s = nominal.clone();
                    s.dimension_factors[d] = factor;
                    steps.push((format!("dimension_weight:{}:{end}", dimension.name), s));
                }
            }
        }
        let mut work = Workspace::default();
        let mut rows: Vec<Sensitivity> = steps
            .into_iter()
            .map(|(choice, scenario)| {
                self.rank_into(&scenario, &mut work);
                let shifts: Vec<usize> = (0..self.scored.len())
                    .filter(|&u| self.nominal[u] > 0 && work.ranks[u] > 0)
                    .map(|u| self.nominal[u].abs_diff(work.ranks[u]) as usize)
                    .collect();
                Sensitivity {
                    choice,
                    mean_abs: shifts.iter().sum::<usize>() as f64 / shifts.len().max(1) as f64,
                    max_abs: shifts.iter().copied().max().unwrap_or(0),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.mean_abs.total_cmp(&a.mean_abs));
        rows
    }
}

/// A choice's name as the definition writes it.
fn kebab(value: &impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Reused buffers of one worker.
#[derive(Default)]
struct Workspace {
    scratch: Scratch,
    scores: Vec<f64>,
    order: Vec<u32>,
    ranks: Vec<u32>,
}

/// The `q` quantile of `total` ranks counted in `row` (row[r]: how many draws gave rank r),
/// interpolated linearly between order statistics as numpy's default does.
fn quantile(row: &[u32], total: u64, q: f64) -> f64 {
    let h = (total - 1) as f64 * q;
    let lo = h.floor() as u64;
    let at = |j: u64| -> f64 {
        let mut seen = 0u64;
        for (r, &c) in row.iter().enumerate().skip(1) {
            seen += c as u64;
            if seen > j {
                return r as f64;
            }
        }
        (row.len() - 1) as f64
    };
    let low = at(lo);
    let high = if lo + 1 < total { at(lo + 1) } else { low };
    low + (h - lo as f64) * (high - low)
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // Ranks 1, 2, 2, 5: numpy.quantile gives 2.0 (median), 1.15 (5%), 4.55 (95%).
        let mut row = vec![0u32; 6];
        row[1] = 1;
        row[2] = 2;
        row[5] = 1;
        assert!((quantile(&row, 4, 0.5) - 2.0).abs() < 1e-12);
        assert!((quantile(&row, 4, 0.05) - 1.15).abs() < 1e-12);
        assert!((quantile(&row, 4, 0.95) - 4.55).abs() < 1e-12);
    }
}
