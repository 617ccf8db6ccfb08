//! Spatial weights over a set of units, as libpysal builds them: queen or rook contiguity, the
//! k nearest neighbours, or every unit within a distance band, between the units' centroids on
//! the Albers plane; binary, then row-standardised (each row sums to 1, an island's row stays
//! empty) for the statistics of [`crate::analysis::autocorrelation`].
//!
//! Weights are built over the units that have a value (libpysal's `w_subset` for contiguity;
//! k-nearest and distance bands rebuilt from those units' points), so a county without data is
//! left out rather than counted as zero.

use super::{ContiguityKind, SpatialIndex};
use crate::atlas::UnitId;
use serde::Serialize;

/// How neighbours are defined.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum WeightsKind {
    /// Sharing a boundary vertex.
    Queen,
    /// Sharing a boundary edge.
    Rook,
    /// The `k` units with the nearest centroids.
    Knn {
        /// Neighbours per unit.
        k: usize,
    },
    /// Every unit whose centroid lies within `km` of the unit's.
    Band {
        /// The band's radius in km.
        km: f64,
    },
}

impl std::fmt::Display for WeightsKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeightsKind::Queen => write!(f, "queen"),
            WeightsKind::Rook => write!(f, "rook"),
            WeightsKind::Knn { k } => write!(f, "knn:{k}"),
            WeightsKind::Band { km } => write!(f, "band:{km}"),
        }
    }
}

impl std::str::FromStr for WeightsKind {
    type Err = String;

    /// `queen`, `rook`, `knn:K` (1 ≤ K ≤ 50) or `band:KM` (a distance in km, > 0).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || {
            format!(
                "权重“{s}”无法识别:请用 queen、rook、knn:K(如 knn:6)或 band:KM(如 band:120) / unknown weights '{s}': use queen, rook, knn:K (e.g. knn:6) or band:KM (e.g. band:120)"
            )
        };
        match s.split_once(':') {
            None if s == "queen" => Ok(WeightsKind::Queen),
            None if s == "rook" => Ok(WeightsKind::Rook),
            Some(("knn", k)) => match k.trim().parse::<usize>() {
                Ok(k) if (1..=50).contains(&k) => Ok(WeightsKind::Knn { k }),
                _ => Err(format!(
                    "knn:{k}:K 须为 1 到 50 的整数 / knn:{k}: K must be a whole number from 1 to 50"
                )),
            },
            Some(("band", km)) => match km.trim().parse::<f64>() {
                Ok(km) if km.is_finite() && km > 0.0 && km <= 2000.0 => {
                    Ok(WeightsKind::Band { km })
                }
                _ => Err(format!(
                    "band:{km}:距离须为 0 到 2000 公里之间的数 / band:{km}: the distance must be a number of km above 0 and at most 2000"
                )),
            },
            _ => Err(bad()),
        }
    }
}

/// Row-standardised spatial weights over `units` (positions in this list, not unit ids).
#[derive(Clone, Debug, PartialEq)]
pub struct SpatialWeights {
    /// The units, in atlas order.
    units: Vec<UnitId>,
    /// Per unit (position): its neighbours (positions, ascending) and their weights.
    rows: Vec<Vec<(u32, f64)>>,
    /// The rule.
    kind: WeightsKind,
}

impl SpatialWeights {
    /// The weights of `kind` among `units` (ascending unit ids; those without a value left
    /// out), row-standardised.
    pub fn build(index: &SpatialIndex, units: &[UnitId], kind: WeightsKind) -> Self {
        debug_assert!(units.windows(2).all(|w| w[0] < w[1]), "units ascending");
        let binary: Vec<Vec<u32>> = match kind {
            WeightsKind::Queen => contiguity(index, units, ContiguityKind::Queen),
            WeightsKind::Rook => contiguity(index, units, ContiguityKind::Rook),
            WeightsKind::Knn { k } => nearest(index, units, k),
            WeightsKind::Band { km } => band(index, units, km),
        };
        let rows = binary
            .into_iter()
            .map(|neighbours| {
                let w = 1.0 / neighbours.len() as f64;
                neighbours.into_iter().map(|j| (j, w)).collect()
            })
            .collect();
        SpatialWeights {
            units: units.to_vec(),
            rows,
            kind,
        }
    }

    /// The rule the weights were built by.
    pub fn kind(&self) -> WeightsKind {
        self.kind
    }

    /// The units, in the order of every vector these weights apply to.
    pub fn units(&self) -> &[UnitId] {
        &self.units
    }

    /// How many units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Unit `i`'s neighbours (positions) and weights.
    pub fn row(&self, i: usize) -> &[(u32, f64)] {
        &self.rows[i]
    }

    /// The units (positions) without neighbours.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.rows[i].is_empty())
            .collect()
    }

    /// The largest number of neighbours of any unit.
    pub fn max_neighbours(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The spatial lag `W z` into `out`.
    pub fn lag_into(&self, z: &[f64], out: &mut [f64]) {
        for (row, lag) in self.rows.iter().zip(out.iter_mut()) {
            *lag = row.iter().map(|&(j, w)| w * z[j as usize]).sum();
        }
    }

    /// The spatial lag `W z`.
    pub fn lag(&self, z: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; z.len()];
        self.lag_into(z, &mut out);
        out
    }

    /// libpysal's S0 (the sum of all weights), S1 = ½ Σ_ij (w_ij + w_ji)² and
    /// S2 = Σ_i (Σ_j w_ij + Σ_j w_ji)², as its Moran's I uses them.
    pub fn s0_s1_s2(&self) -> (f64, f64, f64) {
        let n = self.len();
        let weight = |i: usize, j: usize| -> f64 {
            let row = &self.rows[i];
            row.binary_search_by_key(&(j as u32), |&(k, _)| k)
                .map_or(0.0, |p| row[p].1)
        };
        let mut s0 = 0.0;
        let mut s1 = 0.0;
        let mut column_sums = vec![0.0; n];
        for (i, row) in self.rows.iter().enumerate() {
            for &(j, w) in row {
                let j = j as usize;
                s0 += w;
                column_sums[j] += w;
                let back = weight(j, i);
                s1 += (w + back) * (w + back);
                // The ordered pair (j, i) is no entry of row j when the weight is one way
                // (k-nearest neighbours): its term, w_ij², is counted here.
                if back == 0.0 {
                    s1 += w * w;
                }
            }
        }
        let s2 = self
            .rows
            .iter()
            .zip(&column_sums)
            .map(|(row, column)| {
                let r: f64 = row.iter().map(|&(_, w)| w).sum();
                (r + column) * (r + column)
            })
            .sum();
        (s0, s1 / 2.0, s2)
    }
}

/// Contiguity among `units`: each unit's neighbours that are also in `units`.
fn contiguity(index: &SpatialIndex, units: &[UnitId], kind: ContiguityKind) -> Vec<Vec<u32>> {
    units
        .iter()
        .map(|&u| {
            index
                .neighbors(u, kind)
                .iter()
                .filter_map(|n| units.binary_search(n).ok().map(|p| p as u32))
                .collect()
        })
        .collect()
}

/// The `k` nearest centroids among `units`. With at most a few hundred units every distance
/// is computed (exact, and faster than a tree at this size); ties go to the lower unit id.
fn nearest(index: &SpatialIndex, units: &[UnitId], k: usize) -> Vec<Vec<u32>> {
    let points: Vec<[f64; 2]> = units.iter().map(|&u| index.centroid_km(u)).collect();
    (0..points.len())
        .map(|i| {
            let mut others: Vec<(f64, u32)> = (0..points.len())
                .filter(|&j| j != i)
                .map(|j| (distance_2(points[i], points[j]), j as u32))
                .collect();
            let k = k.min(others.len());
            if k < others.len() {
                others
                    .select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            }
            let mut chosen: Vec<u32> = others[..k].iter().map(|&(_, j)| j).collect();
            chosen.sort_unstable();
            chosen
        })
        .collect()
}

/// Every other unit within `km` (inclusive, as libpysal's `DistanceBand`).
fn band(index: &SpatialIndex, units: &[UnitId], km: f64) -> Vec<Vec<u32>> {
    let points: Vec<[f64; 2]> = units.iter().map(|&u| index.centroid_km(u)).collect();
    let limit = km * km;
    (0..points.len())
        .map(|i| {
            (0..points.len())
                .filter(|&j| j != i && distance_2(points[i], points[j]) <= limit)
                .map(|j| j as u32)
                .collect()
        })
        .collect()
}

fn distance_2(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}
