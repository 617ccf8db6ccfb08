//! Cutting a polyline to a rectangle, for furniture drawn over the map that may run past the
//! map's frame (a page's backends clip the map itself, not its furniture).

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
}
