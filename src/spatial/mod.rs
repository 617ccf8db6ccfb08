//! The spatial index over the atlas: point location, points → per-unit counts, queen and
//! rook contiguity, nearest units and units within a distance; plus [`PointIndex`] for
//! nearest point features.
//!
//! Point location works in WGS84 degrees (the atlas's storage), through a grid
//! ([`PointLocator`]). Distances are planar on the atlas's Albers equal-area projection, in
//! kilometres: within Sichuan its scale error is under ±0.4%, so a distance is good to that.

mod contiguity;
mod distance;
mod locator;
mod nearest;
mod weights;

pub use contiguity::{Contiguity, ContiguityKind};
pub use distance::segment_distance_2;
pub use locator::PointLocator;
pub use nearest::{PointIndex, UnitDistance};
pub use weights::{SpatialWeights, WeightsKind};

use crate::atlas::{Atlas, UnitId};
use crate::crs::{Albers, LonLat};
use geo::MultiPolygon;
use rayon::prelude::*;

/// Below this many points, counting stays on one thread: spawning costs more than it saves.
const PARALLEL_MIN_POINTS: usize = 1 << 16;

/// Points → units: how many fell in each unit and how many outside all of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointCounts {
    /// Count per unit, indexed by [`UnitId`].
    pub per_unit: Vec<u64>,
    /// Points in no unit (outside Sichuan, or in a gap between boundaries).
    pub outside: u64,
}

/// The spatial index of an [`Atlas`]. Build once with [`SpatialIndex::build`].
#[derive(Clone, Debug)]
pub struct SpatialIndex {
    locator: PointLocator,
    queen: Contiguity,
    rook: Contiguity,
    edges: nearest::EdgeTree,
    /// Each unit's centroid on the Albers plane, in km (the points of k-nearest and
    /// distance-band weights).
    centroids_km: Vec<[f64; 2]>,
    projection: Albers,
}

/// A projected shape's area centroid (as shapely's) in km; NaN for an empty shape.
pub fn area_centroid_km(projected: &MultiPolygon<f64>) -> [f64; 2] {
    use geo::Centroid;
    projected
        .centroid()
        .map_or([f64::NAN; 2], |c| [c.x() / 1000.0, c.y() / 1000.0])
}

impl SpatialIndex {
    /// Builds every part of the index, in parallel where the machine allows.
    pub fn build(atlas: &Atlas) -> Self {
        let geographic: Vec<&MultiPolygon<f64>> =
            atlas.units().iter().map(|u| &u.geometry).collect();
        let projected: Vec<&MultiPolygon<f64>> =
            atlas.units().iter().map(|u| &u.projected).collect();
        let (locator, ((queen, rook), edges)) = rayon::join(
            || PointLocator::new(&geographic),
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || Contiguity::build(&geographic, ContiguityKind::Queen),
                            || Contiguity::build(&geographic, ContiguityKind::Rook),
                        )
                    },
                    || nearest::EdgeTree::new(&projected),
                )
            },
        );
        let centroids_km = projected.iter().map(|p| area_centroid_km(p)).collect();
        SpatialIndex {
            locator,
            queen,
            rook,
            edges,
            centroids_km,
            projection: *atlas.projection(),
        }
    }

    /// The unit holding a WGS84 point, if any.
    ///
    /// ```
    /// use county_atlas::{atlas::Atlas, spatial::SpatialIndex};
    /// let atlas = Atlas::builtin()?;
    /// let index = SpatialIndex::build(&atlas);
    /// let unit = index.unit_at([104.0657, 30.6595]).map(|id| &atlas.unit(id).name);
    /// assert_eq!(unit.map(String::as_str), Some("锦江区"));
    /// assert_eq!(index.unit_at([106.55, 29.56]), None); // Chongqing
    /// # Ok::<(), county_atlas::atlas::LoadError>(())
    /// ```
    #[inline]
    pub fn unit_at(&self, p: LonLat) -> Option<UnitId> {
        self.locator.locate(p).map(UnitId)
    }

    /// The unit of each WGS84 point.
    pub fn assign(&self, points: &[LonLat]) -> Vec<Option<UnitId>> {
        if points.len() < PARALLEL_MIN_POINTS {
            points.iter().map(|&p| self.unit_at(p)).collect()
        } else {
            points.par_iter().map(|&p| self.unit_at(p)).collect()
        }
    }

    /// Counts WGS84 points per unit.
    pub fn count(&self, points: &[LonLat]) -> PointCounts {
        let units = self.queen.len();
        let count_chunk = |chunk: &[LonLat]| {
            let mut counts = vec![0u64; units + 1];
            for &p in chunk {
                counts[self.locator.locate(p).map_or(units, |u| u as usize)] += 1;
            }
            counts
        };
        let counts = if points.len() < PARALLEL_MIN_POINTS {
            count_chunk(points)
        } else {
            points
                .par_chunks(PARALLEL_MIN_POINTS / 4)
                .map(count_chunk)
                .reduce(
                    || vec![0u64; units + 1],
                    |mut a, b| {
                        a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                        a
                    },
                )
        };
        PointCounts {
            outside: counts[units],
            per_unit: counts[..units].to_vec(),
        }
    }

    /// The queen or rook contiguity of the units.
    pub fn contiguity(&self, kind: ContiguityKind) -> &Contiguity {
        match kind {
            ContiguityKind::Queen => &self.queen,
            ContiguityKind::Rook => &self.rook,
        }
    }

    /// A unit's neighbours under a rule, sorted by id.
    pub fn neighbors(&self, unit: UnitId, kind: ContiguityKind) -> &[UnitId] {
        self.contiguity(kind).neighbors(unit)
    }

    /// The `k` units nearest a WGS84 point, nearest first; the unit holding it comes first at
    /// distance 0. Distance is to the unit's boundary, in km on the Albers plane.
    pub fn nearest_units(&self, p: LonLat, k: usize) -> Vec<UnitDistance> {
        self.edges
            .nearest_units(self.projection.forward(p), self.unit_at(p), k)
    }

    /// Every unit within `km` of a WGS84 point, nearest first (the holding unit at 0).
    pub fn units_within(&self, p: LonLat, km: f64) -> Vec<UnitDistance> {
        self.edges
            .units_within(self.projection.forward(p), self.unit_at(p), km)
    }

    /// A unit's centroid (area-weighted, as shapely's) on the Albers plane, in km.
    pub fn centroid_km(&self, unit: UnitId) -> [f64; 2] {
        self.centroids_km[unit.index()]
    }

    /// The grid's columns, rows and mixed-cell count.
    pub fn locator_dimensions(&self) -> (usize, usize, usize) {
        self.locator.dimensions()
    }
}
