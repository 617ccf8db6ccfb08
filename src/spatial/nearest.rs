//! Distance queries on the Albers plane: nearest units (by distance to their boundary) and
//! nearest point features, through rstar R-trees.

use crate::atlas::UnitId;
use crate::crs::{Albers, LonLat};
use geo::MultiPolygon;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};
use serde::Serialize;

/// A unit and its distance from a query point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct UnitDistance {
    /// The unit.
    pub unit: UnitId,
    /// Distance in km (0 for the unit holding the point).
    pub km: f64,
}

type EdgeEntry = GeomWithData<Line<[f64; 2]>, u32>;

/// Every boundary edge of every unit, projected, in an R-tree.
#[derive(Clone, Debug)]
pub(super) struct EdgeTree {
    tree: RTree<EdgeEntry>,
    units: usize,
}

impl EdgeTree {
    pub(super) fn new(projected: &[&MultiPolygon<f64>]) -> Self {
        let mut entries = Vec::new();
        for (unit, multi) in projected.iter().enumerate() {
            for polygon in &multi.0 {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    entries.extend(ring.lines().map(|l| {
                        GeomWithData::new(
                            Line::new([l.start.x, l.start.y], [l.end.x, l.end.y]),
                            unit as u32,
                        )
                    }));
                }
            }
        }
        EdgeTree {
            tree: RTree::bulk_load(entries),
            units: projected.len(),
        }
    }

    /// Walks edges outwards from `xy` and keeps each unit's first (closest) edge.
    pub(super) fn nearest_units(
        &self,
        xy: [f64; 2],
        holding: Option<UnitId>,
        k: usize,
    ) -> Vec<UnitDistance> {
        let mut found: Vec<UnitDistance> = holding
            .map(|unit| UnitDistance { unit, km: 0.0 })
            .into_iter()
            .collect();
        let mut seen = vec![false; self.units];
        if let Some(unit) = holding {
            seen[unit.index()] = true;
        }
        for (edge, distance_2) in self.tree.nearest_neighbor_iter_with_distance_2(&xy) {
            if found.len() >= k {
                break;
            }
            if !std::mem::replace(&mut seen[edge.data as usize], true) {
                found.push(UnitDistance {
                    unit: UnitId(edge.data),
                    km: distance_2.sqrt() / 1000.0,
                });
            }
        }
        found.truncate(k);
        found
    }

    pub(super) fn units_within(
        &self,
        xy: [f64; 2],
        holding: Option<UnitId>,
        km: f64,
    ) -> Vec<UnitDistance> {
        let metres = km * 1000.0;
        let mut best = vec![f64::INFINITY; self.units];
        for edge in self.tree.locate_within_distance(xy, metres * metres) {
            let d = rstar::PointDistance::distance_2(edge.geom(), &xy).sqrt() / 1000.0;
            let slot = &mut best[edge.data as usize];
            *slot = slot.min(d);
        }
        if let Some(unit) = holding {
            best[unit.index()] = 0.0;
        }
        let mut found: Vec<UnitDistance> = best
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_finite())
            .map(|(i, &km)| UnitDistance {
                unit: UnitId(i as u32),
                km,
            })
            .collect();
        found.sort_by(|a, b| a.km.total_cmp(&b.km).then(a.unit.cmp(&b.unit)));
        found
    }
}

/// Point features in an R-tree on the Albers plane.
#[derive(Clone, Debug)]
pub struct PointIndex {
    tree: RTree<GeomWithData<[f64; 2], usize>>,
    projection: Albers,
}

impl PointIndex {
    /// Indexes WGS84 points; results refer to them by position in `points`.
    pub fn new(points: &[LonLat], projection: Albers) -> Self {
        let entries = points
            .iter()
            .enumerate()
            .map(|(i, &p)| GeomWithData::new(projection.forward(p), i))
            .collect();
        PointIndex {
            tree: RTree::bulk_load(entries),
            projection,
        }
    }

    /// The `k` points nearest a WGS84 point: (index, km), nearest first.
    pub fn nearest(&self, p: LonLat, k: usize) -> Vec<(usize, f64)> {
        let xy = self.projection.forward(p);
        self.tree
            .nearest_neighbor_iter_with_distance_2(&xy)
            .take(k)
            .map(|(e, d2)| (e.data, d2.sqrt() / 1000.0))
            .collect()
    }

    /// Every point within `km` of a WGS84 point: (index, km), nearest first.
    pub fn within(&self, p: LonLat, km: f64) -> Vec<(usize, f64)> {
        let xy = self.projection.forward(p);
        let metres = km * 1000.0;
        let mut found: Vec<(usize, f64)> = self
            .tree
            .locate_within_distance(xy, metres * metres)
            .map(|e| {
                (
                    e.data,
                    rstar::PointDistance::distance_2(e.geom(), &xy).sqrt() / 1000.0,
                )
            })
            .collect();
        found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        found
    }
}
