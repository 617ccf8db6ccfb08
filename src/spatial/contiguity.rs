//! Queen and rook contiguity, defined as libpysal defines them: two units are queen
//! neighbours if their boundaries share a vertex, rook neighbours if they share an edge
//! (two consecutive vertices), with coordinates compared exactly.

use crate::atlas::UnitId;
use geo::MultiPolygon;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Which contiguity rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContiguityKind {
    /// Sharing at least one vertex.
    Queen,
    /// Sharing at least one edge.
    Rook,
}

/// A symmetric neighbour list per unit, each sorted by unit id.
#[derive(Clone, Debug, PartialEq)]
pub struct Contiguity {
    neighbors: Vec<Vec<UnitId>>,
}

impl Contiguity {
    /// Builds the contiguity of `polygons` (indexed by unit id).
    pub fn build(polygons: &[&MultiPolygon<f64>], kind: ContiguityKind) -> Self {
        // Keys are the exact bit patterns of the coordinates, as in libpysal's dict of tuples.
        let mut keys: Vec<([u64; 4], u32)> = Vec::new();
        for (unit, multi) in polygons.iter().enumerate() {
            for polygon in &multi.0 {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    let bits = |c: &geo::Coord<f64>| [c.x.to_bits(), c.y.to_bits()];
                    match kind {
                        ContiguityKind::Queen => keys.extend(ring.0.iter().map(|c| {
                            let [x, y] = bits(c);
                            ([x, y, 0, 0], unit as u32)
                        })),
                        ContiguityKind::Rook => keys.extend(ring.0.windows(2).map(|w| {
                            let (a, b) = (bits(&w[0]), bits(&w[1]));
                            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                            ([lo[0], lo[1], hi[0], hi[1]], unit as u32)
                        })),
                    }
                }
            }
        }
        keys.par_sort_unstable();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for group in keys.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < 2 {
                continue;
            }
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    if a.1 != b.1 {
                        pairs.push((a.1, b.1));
                        pairs.push((b.1, a.1));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut neighbors = vec![Vec::new(); polygons.len()];
        for (a, b) in pairs {
            neighbors[a as usize].push(UnitId(b));
        }
        Contiguity { neighbors }
    }

    /// The neighbours of a unit, sorted by id.
    pub fn neighbors(&self, unit: UnitId) -> &[UnitId] {
        &self.neighbors[unit.index()]
    }

    /// How many units the relation covers.
    pub fn len(&self) -> usize {
        self.neighbors.len()
    }

    /// True when it covers no unit.
    pub fn is_empty(&self) -> bool {
        self.neighbors.is_empty()
    }

    /// The number of neighbour pairs (each counted once).
    pub fn pair_count(&self) -> usize {
        self.neighbors.iter().map(Vec::len).sum::<usize>() / 2
    }

    /// Units without neighbours.
    pub fn islands(&self) -> Vec<UnitId> {
        (0..self.neighbors.len())
            .filter(|&i| self.neighbors[i].is_empty())
            .map(|i| UnitId(i as u32))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn corner_touch_is_queen_but_not_rook() {
        let a = MultiPolygon::new(vec![
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)],
        ]);
        let b = MultiPolygon::new(vec![
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)],
        ]);
        let c = MultiPolygon::new(vec![
            polygon![(x: 2.0, y: 1.0), (x: 3.0, y: 1.0), (x: 3.0, y: 2.0), (x: 2.0, y: 2.0)],
        ]);
        let d = MultiPolygon::new(vec![
            polygon![(x: 9.0, y: 9.0), (x: 10.0, y: 9.0), (x: 10.0, y: 10.0)],
        ]);
        let all = [&a, &b, &c, &d];
        let queen = Contiguity::build(&all, ContiguityKind::Queen);
        let rook = Contiguity::build(&all, ContiguityKind::Rook);
        assert_eq!(queen.neighbors(UnitId(1)), &[UnitId(0), UnitId(2)]);
        assert_eq!(rook.neighbors(UnitId(1)), &[UnitId(0)]);
        assert_eq!(queen.pair_count(), 2);
        assert_eq!(rook.islands(), vec![UnitId(2), UnitId(3)]);
    }
}
