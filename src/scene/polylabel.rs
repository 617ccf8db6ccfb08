//! The pole of inaccessibility: the interior point farthest from a polygon's boundary, where a
//! label sits best (Mapbox's polylabel algorithm: a best-first search over square cells).

use crate::spatial::segment_distance_2;
use geo::{Area, BoundingRect, Centroid, Coord, Polygon};
use std::collections::BinaryHeap;

/// The pole of inaccessibility of `polygon`, to within `precision` (in its units), and its
/// distance to the boundary. Falls back to the first vertex for a degenerate polygon.
pub fn polylabel(polygon: &Polygon<f64>, precision: f64) -> ([f64; 2], f64) {
    let Some(bounds) = polygon.bounding_rect() else {
        return ([0.0, 0.0], 0.0);
    };
    let (width, height) = (bounds.width(), bounds.height());
    let cell_size = width.min(height);
    if cell_size <= 0.0 || polygon.unsigned_area() <= 0.0 {
        let c = polygon
            .exterior()
            .0
            .first()
            .copied()
            .unwrap_or(Coord { x: 0.0, y: 0.0 });
        return ([c.x, c.y], 0.0);
    }
    let rings: Vec<&[Coord<f64>]> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(|r| &r.0[..])
        .collect();
    let mut queue = BinaryHeap::new();
    let half = cell_size / 2.0;
    let mut x = bounds.min().x;
    while x < bounds.max().x {
        let mut y = bounds.min().y;
        while y < bounds.max().y {
            queue.push(Cell::new([x + half, y + half], half, &rings));
            y += cell_size;
        }
        x += cell_size;
    }
    let centroid = polygon
        .centroid()
        .map_or([bounds.center().x, bounds.center().y], |c| [c.x(), c.y()]);
    let mut best = Cell::new(centroid, 0.0, &rings);
    let box_centre = Cell::new([bounds.center().x, bounds.center().y], 0.0, &rings);
    if box_centre.distance > best.distance {
        best = box_centre;
    }
    while let Some(cell) = queue.pop() {
        let (centre, h, potential) = (cell.centre, cell.half / 2.0, cell.potential);
        if cell.distance > best.distance {
            best = cell;
        }
        if potential - best.distance <= precision {
            continue;
        }
        for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
            queue.push(Cell::new([centre[0] + dx, centre[1] + dy], h, &rings));
        }
    }
    (best.centre, best.distance)
}

/// A square cell of the search.
struct Cell {
    centre: [f64; 2],
    half: f64,
    /// Signed distance from the centre to the boundary (negative outside).
    distance: f64,
    /// The largest distance any point of the cell can have.
    potential: f64,
}

impl Cell {
    fn new(centre: [f64; 2], half: f64, rings: &[&[Coord<f64>]]) -> Self {
        let distance = signed_distance(centre, rings);
        Cell {
            centre,
            half,
            distance,
            potential: distance + half * std::f64::consts::SQRT_2,
        }
    }
}

impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        self.potential == other.potential
    }
}

impl Eq for Cell {}

impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Cell {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.potential.total_cmp(&other.potential)
    }
}

/// Distance from `p` to the nearest ring edge, positive inside (even–odd), negative outside.
fn signed_distance(p: [f64; 2], rings: &[&[Coord<f64>]]) -> f64 {
    let mut inside = false;
    let mut min_2 = f64::INFINITY;
    for ring in rings {
        for w in ring.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.y > p[1]) != (b.y > p[1]) && p[0] < (b.x - a.x) * (p[1] - a.y) / (b.y - a.y) + a.x
            {
                inside = !inside;
            }
            min_2 = min_2.min(segment_distance_2(p, [a.x, a.y], [b.x, b.y]));
        }
    }
    let d = min_2.sqrt();
    if inside { d } else { -d }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn an_l_shape_gets_its_label_in_the_thick_part() {
        // A wide bar with a thin arm: the centroid leans towards the arm, the pole does not.
        let l = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 4.0), (x: 1.0, y: 4.0), (x: 1.0, y: 20.0), (x: 0.0, y: 20.0)];
        let (p, d) = polylabel(&l, 0.01);
        assert!((d - 2.0).abs() < 0.02, "distance {d}");
        assert!(p[1] > 1.9 && p[1] < 2.1 && p[0] > 2.0, "{p:?}");
    }

    #[test]
    fn a_square_with_a_hole_keeps_away_from_the_hole() {
        let donut = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
            interiors: [[(x: 3.0, y: 3.0), (x: 7.0, y: 3.0), (x: 7.0, y: 7.0), (x: 3.0, y: 7.0)]],
        );
        let (p, d) = polylabel(&donut, 0.01);
        assert!(d > 1.4, "{d}");
        assert!(
            !(3.0..=7.0).contains(&p[0]) || !(3.0..=7.0).contains(&p[1]),
            "{p:?} is in the hole"
        );
    }
}
