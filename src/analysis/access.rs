//! Accessibility of a point layer (parks, incubators, 星创天地) from each county: the distance
//! from the county's centre to the nearest point, the points within a radius, and the
//! counties with none within it. Distances are straight lines on the Albers plane (good to
//! ±0.4% in Sichuan), not travel times.
//!
//! A county's centre is the centroid of its area, the point k-nearest weights use too. (The
//! population-weighted centre the issue names needs sub-county population, which no public
//! table gives; a centroid can lie outside a crescent-shaped county, which the distance then
//! slightly overstates or understates.)

use crate::atlas::{Atlas, PointFeature, PointLayer, UnitId};
use crate::crs::LonLat;
use crate::spatial::{PointIndex, SpatialIndex};
use serde::Serialize;

/// One county's access.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitAccess {
    /// The county.
    pub unit: UnitId,
    /// Distance from its centre to the nearest point, km; `None` when the layer is empty.
    pub nearest_km: Option<f64>,
    /// That point's position in the layer.
    pub nearest: Option<usize>,
    /// Points within the radius of its centre.
    pub within: usize,
}

/// Every county's access to a point layer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Access {
    /// The radius, km.
    pub within_km: f64,
    /// Points considered (those with a position).
    pub points: usize,
    /// Per county, in atlas order.
    pub per_unit: Vec<UnitAccess>,
}

impl Access {
    /// The counties with no point within the radius.
    pub fn without(&self) -> impl Iterator<Item = UnitId> + '_ {
        self.per_unit
            .iter()
            .filter(|a| a.within == 0)
            .map(|a| a.unit)
    }
}

/// The access of every county to the points of `layer` that have a position; `None` when none
/// has. The features returned are those points, in the order `UnitAccess::nearest` counts.
pub fn access_to_layer<'a>(
    atlas: &Atlas,
    index: &SpatialIndex,
    layer: &'a PointLayer,
    within_km: f64,
) -> Option<(Access, Vec<&'a PointFeature>)> {
    let placed: Vec<&PointFeature> = layer
        .features
        .iter()
        .filter(|f| f.position.is_some())
        .collect();
    if placed.is_empty() {
        return None;
    }
    let points: Vec<LonLat> = placed.iter().filter_map(|f| f.position).collect();
    Some((accessibility(atlas, index, &points, within_km), placed))
}

/// The access of every county of `atlas` to `points` (WGS84), with `within_km` the radius.
pub fn accessibility(
    atlas: &Atlas,
    index: &SpatialIndex,
    points: &[LonLat],
    within_km: f64,
) -> Access {
    let tree = PointIndex::new(points, *atlas.projection());
    let per_unit = atlas
        .units()
        .iter()
        .map(|u| {
            let [x, y] = index.centroid_km(u.id);
            let xy = [x * 1000.0, y * 1000.0];
            let nearest = tree.nearest_to_projected(xy);
            UnitAccess {
                unit: u.id,
                nearest_km: nearest.map(|n| n.1),
                nearest: nearest.map(|n| n.0),
                within: tree.count_within_projected(xy, within_km),
            }
        })
        .collect();
    Access {
        within_km,
        points: points.len(),
        per_unit,
    }
}
