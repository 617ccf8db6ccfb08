//! Cutting polylines and rings to a rectangle: furniture drawn over the map that may run past
//! the map's frame (a page's backends clip the map itself, not its furniture), and the map's
//! own shapes in the vector formats, where what lies beyond the frame would only be written,
//! parsed and compressed to be hidden by the frame's clip.

use super::page::Rect;

/// The parts of `points` (a polyline) inside `rect`, each a polyline of its own; a segment
/// crossing the edge is cut where it crosses (Liang–Barsky).
pub fn polyline_in_rect(points: &[[f32; 2]], rect: Rect) -> Vec<Vec<[f32; 2]>> {
    let mut runs: Vec<Vec<[f32; 2]>> = Vec::new();
    let mut current: Vec<[f32; 2]> = Vec::new();
    for pair in points.windows(2) {
        match clip_segment(pair[0], pair[1], rect) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() > 1 {
                        runs.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
            }
            None => {
                if current.len() > 1 {
                    runs.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        runs.push(current);
    }
    runs
}

/// The part of the segment `a`–`b` inside `rect`, if any.
fn clip_segment(a: [f32; 2], b: [f32; 2], rect: Rect) -> Option<([f32; 2], [f32; 2])> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for (p, q) in [
        (-dx, a[0] - rect.x),
        (dx, rect.x + rect.w - a[0]),
        (-dy, a[1] - rect.y),
        (dy, rect.y + rect.h - a[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then(|| {
        (
            [a[0] + t0 * dx, a[1] + t0 * dy],
            [a[0] + t1 * dx, a[1] + t1 * dy],
        )
    })
}

/// The part of the ring `points` inside `rect` (Sutherland–Hodgman), as a ring; empty where
/// none is. Where the ring leaves and comes back, the result runs along the rectangle's edge
/// between, so filled with even-odd it covers exactly what the ring covers inside `rect`.
/// Written here rather than through geo's boolean operations: a convex clip of one ring
/// needs no overlay, and this runs per ring of every exported map.
pub fn ring_in_rect(points: &[[f32; 2]], rect: Rect) -> Vec<[f32; 2]> {
    let edges = [
        Edge::Left(rect.x),
        Edge::Right(rect.x + rect.w),
        Edge::Top(rect.y),
        Edge::Bottom(rect.y + rect.h),
    ];
    let mut ring: Vec<[f32; 2]> = points.to_vec();
    let mut next: Vec<[f32; 2]> = Vec::with_capacity(ring.len());
    for edge in edges {
        if ring.is_empty() {
            break;
        }
        if ring.iter().all(|p| edge.keeps(*p)) {
            continue;
        }
        next.clear();
        let mut previous = ring[ring.len() - 1];
        for &current in &ring {
            match (edge.keeps(previous), edge.keeps(current)) {
                (true, true) => next.push(current),
                (true, false) => next.push(edge.crossing(previous, current)),
                (false, true) => {
                    next.push(edge.crossing(previous, current));
                    next.push(current);
                }
                (false, false) => {}
            }
            previous = current;
        }
        std::mem::swap(&mut ring, &mut next);
    }
    ring
}

/// One side of the rectangle, at its coordinate.
#[derive(Clone, Copy)]
enum Edge {
    Left(f32),
    Right(f32),
    Top(f32),
    Bottom(f32),
}

impl Edge {
    /// Whether `p` is on the rectangle's side of it.
    fn keeps(self, p: [f32; 2]) -> bool {
        match self {
            Edge::Left(x) => p[0] >= x,
            Edge::Right(x) => p[0] <= x,
            Edge::Top(y) => p[1] >= y,
            Edge::Bottom(y) => p[1] <= y,
        }
    }

    /// Where the segment `a`–`b`, which crosses it, meets it.
    fn crossing(self, a: [f32; 2], b: [f32; 2]) -> [f32; 2] {
        match self {
            Edge::Left(x) | Edge::Right(x) => {
                let t = (x - a[0]) / (b[0] - a[0]);
                [x, a[1] + t * (b[1] - a[1])]
            }
            Edge::Top(y) | Edge::Bottom(y) => {
                let t = (y - a[1]) / (b[1] - a[1]);
                [a[0] + t * (b[0] - a[0]), y]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: Rect = Rect {
        x: 0.0,
        y: 0.0,
        w: 10.0,
        h: 10.0,
    };

    #[test]
    fn a_line_through_the_rectangle_is_cut_at_its_edges() {
        let runs = polyline_in_rect(&[[-5.0, 5.0], [15.0, 5.0]], SQUARE);
        assert_eq!(runs, vec![vec![[0.0, 5.0], [10.0, 5.0]]]);
    }

    #[test]
    fn a_line_leaving_and_coming_back_makes_two_runs() {
        let runs = polyline_in_rect(&[[2.0, 2.0], [2.0, 20.0], [8.0, 20.0], [8.0, 2.0]], SQUARE);
        assert_eq!(
            runs,
            vec![vec![[2.0, 2.0], [2.0, 10.0]], vec![[8.0, 10.0], [8.0, 2.0]]]
        );
        assert!(polyline_in_rect(&[[20.0, 20.0], [30.0, 30.0]], SQUARE).is_empty());
    }

    #[test]
    fn a_ring_is_cut_to_the_rectangle_and_kept_whole_inside_it() {
        let inside = vec![[1.0, 1.0], [9.0, 1.0], [9.0, 9.0], [1.0, 9.0]];
        assert_eq!(ring_in_rect(&inside, SQUARE), inside);
        let across = [[5.0, 5.0], [15.0, 5.0], [15.0, 8.0], [5.0, 8.0]];
        assert_eq!(
            ring_in_rect(&across, SQUARE),
            vec![[5.0, 5.0], [10.0, 5.0], [10.0, 8.0], [5.0, 8.0]]
        );
        let outside = [[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]];
        assert!(ring_in_rect(&outside, SQUARE).is_empty());
        // A ring around the whole rectangle becomes the rectangle.
        let around = [[-5.0, -5.0], [15.0, -5.0], [15.0, 15.0], [-5.0, 15.0]];
        let cut = ring_in_rect(&around, SQUARE);
        assert_eq!(cut.len(), 4);
        assert!(
            cut.iter()
                .all(|p| p.iter().all(|v| *v == 0.0 || *v == 10.0))
        );
    }
}
