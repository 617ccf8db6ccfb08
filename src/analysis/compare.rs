//! Where a unit stands on a layer: its rank in the province and in its region, the region's
//! average and its neighbours' average. For prefecture-level layers the comparison is between
//! prefectures (a county's value is its prefecture's).

use crate::atlas::{Atlas, Layer, Level, PrefectureId, UnitId};
use crate::spatial::{ContiguityKind, SpatialIndex};
use serde::Serialize;
use std::collections::BTreeSet;

/// A rank: 1 is the largest value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rank {
    /// Position, 1-based; tied values share the best position.
    pub rank: usize,
    /// Out of how many with a value.
    pub of: usize,
}

/// How a unit compares on one layer and year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Rank among all counties (or prefectures) with a value.
    pub province_rank: Rank,
    /// Rank within the unit's economic region.
    pub region_rank: Rank,
    /// Mean over the region's counties (or prefectures) with a value.
    pub region_mean: f64,
    /// Mean over the neighbours (queen) with a value, if any has one.
    pub neighbor_mean: Option<f64>,
}

/// Compares `unit` on a numeric `layer` in `year`; `None` when the unit has no value.
pub fn compare(
    atlas: &Atlas,
    index: &SpatialIndex,
    layer: &Layer,
    year: i32,
    unit: UnitId,
) -> Option<Comparison> {
    let county = atlas.unit(unit);
    let own = layer.value_for(county, year)?.value;
    match layer.level {
        Level::County => {
            let value = |u: UnitId| layer.value_for(atlas.unit(u), year).map(|o| o.value);
            let all: Vec<f64> = atlas.units().iter().filter_map(|u| value(u.id)).collect();
            let region: Vec<f64> = atlas
                .units()
                .iter()
                .filter(|u| u.region == county.region)
                .filter_map(|u| value(u.id))
                .collect();
            let neighbours: Vec<f64> = index
                .neighbors(unit, ContiguityKind::Queen)
                .iter()
                .filter_map(|&n| value(n))
                .collect();
            Some(Comparison {
                province_rank: rank(own, &all),
                region_rank: rank(own, &region),
                region_mean: mean(&region)?,
                neighbor_mean: mean(&neighbours),
            })
        }
        Level::Prefecture => {
            let value = |p: PrefectureId| layer.prefecture_value(p, year).map(|o| o.value);
            let all: Vec<f64> = atlas
                .prefectures()
                .iter()
                .filter_map(|p| value(p.id))
                .collect();
            let region: Vec<f64> = atlas
                .prefectures()
                .iter()
                .filter(|p| p.region == county.region)
                .filter_map(|p| value(p.id))
                .collect();
            let neighbours: Vec<f64> = neighbouring_prefectures(atlas, index, county.prefecture)
                .into_iter()
                .filter_map(value)
                .collect();
            Some(Comparison {
                province_rank: rank(own, &all),
                region_rank: rank(own, &region),
                region_mean: mean(&region)?,
                neighbor_mean: mean(&neighbours),
            })
        }
    }
}

/// Prefectures sharing a boundary with `prefecture` (through any pair of queen-contiguous
/// counties).
pub fn neighbouring_prefectures(
    atlas: &Atlas,
    index: &SpatialIndex,
    prefecture: PrefectureId,
) -> Vec<PrefectureId> {
    let mut found = BTreeSet::new();
    for &unit in &atlas.prefecture(prefecture).units {
        for &n in index.neighbors(unit, ContiguityKind::Queen) {
            let other = atlas.unit(n).prefecture;
            if other != prefecture {
                found.insert(other);
            }
        }
    }
    found.into_iter().collect()
}

fn rank(own: f64, values: &[f64]) -> Rank {
    Rank {
        rank: 1 + values.iter().filter(|&&v| v > own).count(),
        of: values.len(),
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties_and_count_from_the_top() {
        assert_eq!(rank(5.0, &[1.0, 5.0, 9.0, 5.0]), Rank { rank: 2, of: 4 });
        assert_eq!(rank(9.0, &[1.0, 5.0, 9.0]), Rank { rank: 1, of: 3 });
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1.0, 2.0]), Some(1.5));
    }
}
