//! The shared-boundary topology of the units: every ring cut into arcs where the neighbour
//! on the other side changes, each arc stored once. Simplifying arcs rather than polygons
//! keeps a border identical for the two counties it separates at every level of detail: no
//! slivers, no overlaps, and each border drawn once with the kind its two sides give it.

mod store;

use super::simplify::douglas_peucker;
use geo::{LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use std::collections::HashMap;

/// One arc: a run of boundary between two junctions (or a whole ring without junctions).
#[derive(Clone, Debug, PartialEq)]
pub struct Arc {
    /// Vertices in canonical order, projected metres. For a closed arc the first vertex is not
    /// repeated at the end.
    pub points: Vec<[f64; 2]>,
    /// The unit on one side and, unless this is the province's outline, the unit on the other.
    pub sides: (u32, Option<u32>),
    /// A whole ring (no junction on it).
    pub closed: bool,
}

/// An arc used by a ring, possibly backwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArcUse {
    /// Index into [`Topology::arcs`].
    pub arc: u32,
    /// The ring runs along the arc against its canonical order.
    pub reversed: bool,
}

/// Rings as sequences of arcs: unit → polygon → ring (exterior first) → arcs.
pub type RingArcs = Vec<Vec<Vec<Vec<ArcUse>>>>;

/// The arcs of all units and how their rings are made of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Topology {
    /// Every arc once.
    pub arcs: Vec<Arc>,
    /// Every unit's rings as arcs.
    pub rings: RingArcs,
    /// Where each arc's vertices lie in the shapes it was built from (what is stored).
    spans: Vec<ArcSpan>,
}

/// An arc's vertices as a stretch of one ring of the shapes: `length + 1` vertices from
/// `start` (wrapping round; a closed arc has the ring's `length` vertices), backwards if
/// `reversed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ArcSpan {
    unit: u32,
    polygon: u32,
    ring: u32,
    start: u32,
    length: u32,
    reversed: bool,
}

/// A vertex: its exact geographic bits (shared vertices are bit-identical) and where it is drawn.
#[derive(Clone, Copy)]
struct Vertex {
    key: [u64; 2],
    xy: [f64; 2],
}

impl Topology {
    /// Builds the topology of `geographic` shapes (used to find shared vertices exactly),
    /// keeping the coordinates of the corresponding `projected` shapes.
    pub fn build(geographic: &[&MultiPolygon<f64>], projected: &[&MultiPolygon<f64>]) -> Self {
        // Every ring as a vertex list without its closing repeat.
        let mut rings: Vec<(u32, usize, usize, Vec<Vertex>)> = Vec::new();
        for (unit, (geo_shape, xy_shape)) in geographic.iter().zip(projected).enumerate() {
            for (p, (geo_polygon, xy_polygon)) in geo_shape.0.iter().zip(&xy_shape.0).enumerate() {
                let geo_rings =
                    std::iter::once(geo_polygon.exterior()).chain(geo_polygon.interiors());
                let xy_rings = std::iter::once(xy_polygon.exterior()).chain(xy_polygon.interiors());
                for (r, (g, x)) in geo_rings.zip(xy_rings).enumerate() {
                    let n = g.0.len().saturating_sub(1);
                    let vertices = g.0[..n]
                        .iter()
                        .zip(&x.0[..n])
                        .map(|(g, x)| Vertex {
                            key: [g.x.to_bits(), g.y.to_bits()],
                            xy: [x.x, x.y],
                        })
                        .collect();
                    rings.push((unit as u32, p, r, vertices));
                }
            }
        }
        let partners = edge_partners(&rings);

        let mut arcs: Vec<Arc> = Vec::new();
        let mut spans: Vec<ArcSpan> = Vec::new();
        let mut index: HashMap<ArcKey, u32> = HashMap::new();
        let mut uses: RingArcs = projected
            .iter()
            .map(|s| {
                s.0.iter()
                    .map(|p| vec![Vec::new(); 1 + p.interiors().len()])
                    .collect()
            })
            .collect();
        for ((unit, p, r, vertices), partner) in rings.iter().zip(&partners) {
            let n = vertices.len();
            if n < 3 {
                continue;
            }
            let junctions: Vec<usize> = (0..n)
                .filter(|&i| partner[(i + n - 1) % n] != partner[i])
                .collect();
            let ring_uses = &mut uses[*unit as usize][*p][*r];
            // A new arc, and where its vertices lie in this ring.
            let mut add = |arc: Arc, start: usize, length: usize, reversed: bool| {
                arcs.push(arc);
                spans.push(ArcSpan {
                    unit: *unit,
                    polygon: *p as u32,
                    ring: *r as u32,
                    start: start as u32,
                    length: length as u32,
                    reversed,
                });
                arcs.len() as u32 - 1
            };
            if junctions.is_empty() {
                let (key, points, reversed, start) = canonical_closed(vertices);
                let arc = *index.entry(key).or_insert_with(|| {
                    let arc = Arc {
                        points,
                        sides: sides(*unit, partner[0]),
                        closed: true,
                    };
                    add(arc, start, n, reversed)
                });
                ring_uses.push(ArcUse { arc, reversed });
                continue;
            }
            for (k, &start) in junctions.iter().enumerate() {
                let end = junctions[(k + 1) % junctions.len()];
                let length = (end + n - start) % n;
                let length = if length == 0 { n } else { length };
                let run: Vec<Vertex> = (0..=length).map(|i| vertices[(start + i) % n]).collect();
                let (key, points, reversed) = canonical_open(&run);
                let arc = *index.entry(key).or_insert_with(|| {
                    let arc = Arc {
                        points,
                        sides: sides(*unit, partner[start]),
                        closed: false,
                    };
                    add(arc, start, length, reversed)
                });
                ring_uses.push(ArcUse { arc, reversed });
            }
        }
        Topology {
            arcs,
            rings: uses,
            spans,
        }
    }

    /// Every arc simplified by Douglas–Peucker to within `tolerance` metres (0 keeps all).
    /// Arc ends are kept, so neighbouring shapes stay joined.
    pub fn simplify(&self, tolerance: f64) -> Vec<Vec<[f64; 2]>> {
        self.arcs
            .par_iter()
            .map(|arc| {
                if tolerance <= 0.0 {
                    return arc.points.clone();
                }
                if arc.closed {
                    let mut ring = arc.points.clone();
                    ring.push(arc.points[0]);
                    let mut simple = douglas_peucker(&ring, tolerance);
                    simple.pop();
                    // A ring must keep three corners to stay a ring.
                    if simple.len() < 3 {
                        arc.points.clone()
                    } else {
                        simple
                    }
                } else {
                    douglas_peucker(&arc.points, tolerance)
                }
            })
            .collect()
    }

    /// Every unit's shape rebuilt from (simplified) arcs.
    pub fn shapes(&self, arcs: &[Vec<[f64; 2]>]) -> Vec<MultiPolygon<f64>> {
        self.rings
            .par_iter()
            .map(|polygons| {
                MultiPolygon::new(
                    polygons
                        .iter()
                        .filter_map(|rings| {
                            let mut rings = rings.iter().map(|uses| ring(arcs, uses));
                            let exterior = rings.next()?;
                            (exterior.0.len() >= 4).then(|| {
                                Polygon::new(exterior, rings.filter(|r| r.0.len() >= 4).collect())
                            })
                        })
                        .collect(),
                )
            })
            .collect()
    }
}

/// A ring from its arcs: each arc's points in the ring's direction, joints not repeated, closed.
fn ring(arcs: &[Vec<[f64; 2]>], uses: &[ArcUse]) -> LineString<f64> {
    // Sized up front: the shapes of every level are kept, and a vector grown by doubling
    // would hold up to twice their vertices.
    let points: usize = uses.iter().map(|u| arcs[u.arc as usize].len()).sum();
    let mut coords: Vec<geo::Coord<f64>> = Vec::with_capacity(points + 1);
    for use_ in uses {
        let points = &arcs[use_.arc as usize];
        let ordered: Box<dyn Iterator<Item = &[f64; 2]>> = if use_.reversed {
            Box::new(points.iter().rev())
        } else {
            Box::new(points.iter())
        };
        for (i, p) in ordered.enumerate() {
            // Consecutive arcs share their joint.
            if i == 0 && !coords.is_empty() {
                continue;
            }
            coords.push(geo::Coord { x: p[0], y: p[1] });
        }
    }
    if let Some(&first) = coords.first()
        && coords.last() != Some(&first)
    {
        coords.push(first);
    }
    LineString::new(coords)
}

fn sides(unit: u32, partner: Option<u32>) -> (u32, Option<u32>) {
    match partner {
        Some(other) if other < unit => (other, Some(unit)),
        other => (unit, other),
    }
}

/// Identifies an arc independently of the direction a ring runs along it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct ArcKey {
    first: [u64; 2],
    second: [u64; 2],
    last: [u64; 2],
    len: usize,
}

/// An open run in canonical direction (smaller end first), with whether it was reversed.
fn canonical_open(run: &[Vertex]) -> (ArcKey, Vec<[f64; 2]>, bool) {
    let n = run.len();
    let forward = (run[0].key, run[1].key) <= (run[n - 1].key, run[n - 2].key);
    let ordered: Vec<Vertex> = if forward {
        run.to_vec()
    } else {
        run.iter().rev().copied().collect()
    };
    let key = ArcKey {
        first: ordered[0].key,
        second: ordered[1].key,
        last: ordered[n - 1].key,
        len: n,
    };
    (key, ordered.iter().map(|v| v.xy).collect(), !forward)
}

/// A whole ring rotated to start at its smallest vertex and turned so that the smaller of
/// that vertex's two neighbours comes second.
fn canonical_closed(ring: &[Vertex]) -> (ArcKey, Vec<[f64; 2]>, bool, usize) {
    let n = ring.len();
    let start = (0..n).min_by_key(|&i| ring[i].key).unwrap_or(0);
    let next = ring[(start + 1) % n].key;
    let previous = ring[(start + n - 1) % n].key;
    let reversed = previous < next;
    let ordered: Vec<Vertex> = (0..n)
        .map(|i| {
            if reversed {
                ring[(start + n - i) % n]
            } else {
                ring[(start + i) % n]
            }
        })
        .collect();
    let key = ArcKey {
        first: ordered[0].key,
        second: ordered[1].key,
        last: ordered[n - 1].key,
        len: n,
    };
    (key, ordered.iter().map(|v| v.xy).collect(), reversed, start)
}

/// For every edge of every ring (edge i joins vertex i and i + 1), the unit on its other
/// side, found by sorting all edges by their exact endpoints.
fn edge_partners(rings: &[(u32, usize, usize, Vec<Vertex>)]) -> Vec<Vec<Option<u32>>> {
    // Each end's bits as one u128, so that comparing two edges is two integer comparisons.
    let edge_count = rings.iter().map(|r| r.3.len()).sum();
    let mut edges: Vec<(u128, u128, u32, u32, u32)> = Vec::with_capacity(edge_count);
    for (ring_index, (unit, _, _, vertices)) in rings.iter().enumerate() {
        let n = vertices.len();
        for i in 0..n {
            let bits = |v: &Vertex| (u128::from(v.key[0]) << 64) | u128::from(v.key[1]);
            let (a, b) = (bits(&vertices[i]), bits(&vertices[(i + 1) % n]));
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            edges.push((lo, hi, *unit, ring_index as u32, i as u32));
        }
    }
    edges.par_sort_unstable_by_key(|e| (e.0, e.1, e.2));
    let mut partners: Vec<Vec<Option<u32>>> = rings.iter().map(|r| vec![None; r.3.len()]).collect();
    for group in edges.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        for edge in group {
            let other = group.iter().map(|e| e.2).find(|&u| u != edge.2);
            partners[edge.3 as usize][edge.4 as usize] = other;
        }
    }
    partners
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, polygon};

    /// Two squares side by side with a wiggly shared border, and an island in the right one.
    pub(super) fn shapes() -> Vec<MultiPolygon<f64>> {
        let left = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.1, y: 5.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)];
        let right = polygon!(
            exterior: [(x: 10.0, y: 0.0), (x: 20.0, y: 0.0), (x: 20.0, y: 10.0), (x: 10.0, y: 10.0), (x: 10.1, y: 5.0)],
            interiors: [[(x: 14.0, y: 4.0), (x: 16.0, y: 4.0), (x: 16.0, y: 6.0), (x: 14.0, y: 6.0)]],
        );
        let island =
            polygon![(x: 14.0, y: 4.0), (x: 16.0, y: 4.0), (x: 16.0, y: 6.0), (x: 14.0, y: 6.0)];
        [left, right, island]
            .into_iter()
            .map(|p| MultiPolygon::new(vec![p]))
            .collect()
    }

    #[test]
    fn shared_borders_are_one_arc_and_rebuild_exactly() {
        let shapes = shapes();
        let refs: Vec<&MultiPolygon<f64>> = shapes.iter().collect();
        let topology = Topology::build(&refs, &refs);
        // left|right border, left outline, right outline, right hole = island ring.
        assert_eq!(topology.arcs.len(), 4);
        let shared = topology.arcs.iter().filter(|a| a.sides.1.is_some()).count();
        assert_eq!(shared, 2, "the wiggle and the island ring");
        let rebuilt = topology.shapes(&topology.simplify(0.0));
        for (a, b) in rebuilt.iter().zip(&shapes) {
            assert!((a.unsigned_area() - b.unsigned_area()).abs() < 1e-9);
        }
    }

    #[test]
    fn simplification_keeps_neighbours_joined() {
        let shapes = shapes();
        let refs: Vec<&MultiPolygon<f64>> = shapes.iter().collect();
        let topology = Topology::build(&refs, &refs);
        let simple = topology.shapes(&topology.simplify(0.5));
        // The 0.1 wiggle is gone from both sides alike: the two areas still sum to the whole.
        let total: f64 =
            simple[..2].iter().map(|s| s.unsigned_area()).sum::<f64>() + simple[2].unsigned_area();
        assert!((total - 200.0).abs() < 1e-9, "{total}");
        assert!((simple[0].unsigned_area() - 100.0).abs() < 1e-9);
    }
}
