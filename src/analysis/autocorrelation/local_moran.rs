//! Local Moran's Iᵢ (LISA, esda.Moran_Local): where high values sit among high (HH), low
//! among low (LL), and the spatial outliers (HL, LH), with conditional permutation p-values.

use super::StatsError;
use super::permutation::{ConditionalDraws, directed_p, moments};
use crate::i18n::Text;
use crate::spatial::SpatialWeights;
use serde::Serialize;

/// The Moran scatter plot's quadrant of a unit: its value against its neighbours' (esda's
/// numbering: 1 HH, 2 LH, 3 LL, 4 HL; a value exactly at the mean counts as low).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Quadrant {
    /// High value, high neighbours: a hot cluster.
    HH = 1,
    /// Low value among high neighbours: a low outlier.
    LH = 2,
    /// Low value, low neighbours: a cold cluster.
    LL = 3,
    /// High value among low neighbours: a high outlier.
    HL = 4,
}

impl Quadrant {
    /// How the map's legend names the quadrant when significant.
    pub fn label(self) -> Text {
        match self {
            Quadrant::HH => Text::new("高-高聚集", "High-High"),
            Quadrant::LH => Text::new("低-高异常", "Low-High"),
            Quadrant::LL => Text::new("低-低聚集", "Low-Low"),
            Quadrant::HL => Text::new("高-低异常", "High-Low"),
        }
    }

    /// GeoDa's colour of the quadrant (its LISA cluster map), sRGB.
    pub fn geoda_colour(self) -> [u8; 3] {
        match self {
            Quadrant::HH => [255, 0, 0],
            Quadrant::LL => [0, 0, 255],
            Quadrant::LH => [167, 173, 249],
            Quadrant::HL => [244, 173, 168],
        }
    }
}

/// One unit's local Moran.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct LocalMoranValue {
    /// Iᵢ = (n − 1) zᵢ (Wz)ᵢ / Σz², z standardised with the population standard deviation.
    pub Ii: f64,
    /// Its quadrant.
    pub quadrant: Quadrant,
    /// Directed conditional-permutation p.
    pub p_sim: Option<f64>,
    /// (Iᵢ − EI_sim) / seI_sim.
    pub z_sim: Option<f64>,
    /// Mean of the unit's permuted Iᵢ.
    pub EI_sim: Option<f64>,
    /// Standard deviation of the unit's permuted Iᵢ.
    pub seI_sim: Option<f64>,
}

/// Local Moran of every unit, in the order of the weights' units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LocalMoran {
    /// Per unit.
    pub values: Vec<LocalMoranValue>,
    /// Permutations drawn.
    pub permutations: usize,
    /// Their seed.
    pub seed: u64,
}

impl LocalMoran {
    /// The quadrant of unit `i` when its p_sim is below `alpha` (strictly, as esda labels),
    /// `None` when not significant (or without permutations).
    pub fn significant(&self, i: usize, alpha: f64) -> Option<Quadrant> {
        let value = &self.values[i];
        value.p_sim.filter(|&p| p < alpha).map(|_| value.quadrant)
    }
}

/// The local Moran of `values` (in the order of `weights.units()`).
pub fn local_moran(
    values: &[f64],
    weights: &SpatialWeights,
    permutations: usize,
    seed: u64,
) -> Result<LocalMoran, StatsError> {
    let n = super::check_input(values, weights, 3)?;
    let z = super::standardised(values).ok_or(StatsError::Constant)?;
    let z2: f64 = z.iter().map(|v| v * v).sum();
    let scale = (n as f64 - 1.0) / z2;
    let lag = weights.lag(&z);
    let draws = (permutations > 0)
        .then(|| ConditionalDraws::new(n, weights.max_neighbours(), permutations, seed));
    let mut sims = vec![0.0; permutations];
    let values = (0..n)
        .map(|i| {
            let ii = scale * z[i] * lag[i];
            let quadrant = match (z[i] > 0.0, lag[i] > 0.0) {
                (true, true) => Quadrant::HH,
                (false, true) => Quadrant::LH,
                (false, false) => Quadrant::LL,
                (true, false) => Quadrant::HL,
            };
            let mut value = LocalMoranValue {
                Ii: ii,
                quadrant,
                p_sim: None,
                z_sim: None,
                EI_sim: None,
                seI_sim: None,
            };
            if let Some(draws) = &draws {
                let row = weights.row(i);
                for (r, sim) in sims.iter_mut().enumerate() {
                    // Row i's weights in order, paired with the draws' sites.
                    let lag: f64 = row
                        .iter()
                        .zip(draws.row(r, i, row.len()))
                        .map(|(&(_, w), j)| w * z[j])
                        .sum();
                    *sim = scale * z[i] * lag;
                }
                let larger = sims.iter().filter(|&&s| s >= ii).count();
                let (ei, se) = moments(&sims);
                value.p_sim = Some(directed_p(larger, permutations));
                value.EI_sim = Some(ei);
                value.seI_sim = Some(se);
                value.z_sim = Some((ii - ei) / se);
            }
            value
        })
        .collect();
    Ok(LocalMoran {
        values,
        permutations,
        seed,
    })
}
