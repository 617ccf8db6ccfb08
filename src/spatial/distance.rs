//! Point-to-segment distance, shared by the nearest-unit search, the simplification and the
//! label search.

/// Squared distance from `p` to the segment `a`–`b` (to `a` when the segment has no length).
pub fn segment_distance_2(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let length_2 = dx * dx + dy * dy;
    let t = if length_2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length_2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    x * x + y * y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_to_the_middle_the_ends_and_a_point_segment() {
        let (a, b) = ([0.0, 0.0], [4.0, 0.0]);
        assert_eq!(segment_distance_2([2.0, 3.0], a, b), 9.0);
        assert_eq!(segment_distance_2([-3.0, 4.0], a, b), 25.0);
        assert_eq!(segment_distance_2([7.0, 0.0], a, b), 9.0);
        assert_eq!(segment_distance_2([1.0, 1.0], a, a), 2.0);
    }
}
