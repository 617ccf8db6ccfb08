//! The neighbouring provinces' outline as the map draws it: only where no other line is drawn.
//!
//! A neighbour's border with Sichuan lies under the province's own border line, and a border
//! between two neighbours is in both of their rings. Drawn again there, the thin grey line
//! thickens the anti-aliased edge of the line over it and costs a software rasteriser a fifth
//! of a printed page's segments. So the rings are cut into chains of the edges drawn: an edge
//! whose two ends are vertices of Sichuan's outline goes (the neighbours share those vertices
//! bit for bit with the counties), and so does an edge already in an earlier ring.

use geo::{LineString, MultiPolygon};
use rustc_hash::FxHashSet;

/// A vertex's exact bits, to find shared vertices.
type Key = [u64; 2];

fn key(p: [f64; 2]) -> Key {
    [p[0].to_bits(), p[1].to_bits()]
}

/// The stretches of the `backdrop` shapes' rings that are drawn, as polylines in the shapes'
/// coordinates (a ring drawn whole is one closed polyline, its first vertex repeated at the
/// end), given the vertices of Sichuan's outline in the same coordinates.
pub fn chains(
    backdrop: &[&MultiPolygon<f64>],
    sichuan_outline: impl IntoIterator<Item = [f64; 2]>,
) -> Vec<Vec<[f64; 2]>> {
    let on_sichuan: FxHashSet<Key> = sichuan_outline.into_iter().map(key).collect();
    let mut drawn_edges: FxHashSet<(Key, Key)> = FxHashSet::default();
    let mut chains = Vec::new();
    let rings = backdrop
        .iter()
        .flat_map(|shape| &shape.0)
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()));
    for ring in rings {
        let drawn: Vec<bool> = ring
            .lines()
            .map(|line| {
                let (a, b) = (key(line.start.into()), key(line.end.into()));
                let under_sichuan = on_sichuan.contains(&a) && on_sichuan.contains(&b);
                // Either direction: the neighbour on the other side runs the other way.
                let undirected = if a <= b { (a, b) } else { (b, a) };
                !under_sichuan && drawn_edges.insert(undirected)
            })
            .collect();
        ring_chains(ring, &drawn, &mut chains);
    }
    chains
}

/// Appends the maximal runs of `ring`'s edges that are `drawn` (one flag per edge) to
/// `chains`, a run that wraps round the ring's start joined into one.
fn ring_chains(ring: &LineString<f64>, drawn: &[bool], chains: &mut Vec<Vec<[f64; 2]>>) {
    let edges = drawn.len();
    let point = |i: usize| -> [f64; 2] { ring.0[i % edges].into() };
    // Start after an edge that is not drawn, so that no run is cut at the ring's start.
    let Some(gap) = drawn.iter().position(|d| !d) else {
        if edges > 0 {
            chains.push((0..=edges).map(point).collect());
        }
        return;
    };
    let mut chain: Vec<[f64; 2]> = Vec::new();
    for i in gap + 1..=gap + edges {
        if drawn[i % edges] {
            if chain.is_empty() {
                chain.push(point(i));
            }
            chain.push(point(i + 1));
        } else if !chain.is_empty() {
            chains.push(std::mem::take(&mut chain));
        }
    }
    if !chain.is_empty() {
        chains.push(chain);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Polygon, polygon};

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0),
        ]])
    }

    #[test]
    fn a_ring_touching_nothing_is_one_closed_chain() {
        let shape = square(0.0, 0.0);
        let chains = chains(&[&shape], []);
        assert_eq!(chains.len(), 1);
        assert_eq!(chains[0].len(), 5);
        assert_eq!(chains[0].first(), chains[0].last());
    }

    #[test]
    fn the_border_with_sichuan_is_left_to_sichuan() {
        // Sichuan is the unit square; the neighbour is the square to its right, sharing the
        // edge x = 1.
        let neighbour = square(1.0, 0.0);
        let chains = chains(
            &[&neighbour],
            [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]],
        );
        assert_eq!(
            chains,
            vec![vec![[1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0]]],
            "three sides are drawn, in one chain from one end of the shared edge to the other"
        );
    }

    #[test]
    fn a_border_between_two_neighbours_is_drawn_once() {
        let (left, right) = (square(0.0, 0.0), square(1.0, 0.0));
        let chains = chains(&[&left, &right], []);
        let segments: usize = chains.iter().map(|c| c.len() - 1).sum();
        assert_eq!(segments, 7, "eight edges, the shared one once");
    }

    #[test]
    fn holes_are_outlined_too() {
        let with_hole = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (4.0, 0.0),
                (4.0, 4.0),
                (0.0, 4.0),
                (0.0, 0.0),
            ]),
            vec![LineString::from(vec![
                (1.0, 1.0),
                (2.0, 1.0),
                (2.0, 2.0),
                (1.0, 1.0),
            ])],
        )]);
        assert_eq!(chains(&[&with_hole], []).len(), 2);
    }
}
