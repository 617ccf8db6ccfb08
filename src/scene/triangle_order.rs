//! Triangles put in the order of a Z-order curve through their centroids, so that any run of
//! consecutive triangles covers a compact patch of its polygon. earcut emits them in the
//! order it clips ears, which wanders around the polygon: a run of 64 then spans most of a
//! county, and every view or strip of a page that meets the county sends all of it to the
//! device. In curve order a strip of a page sends little more than what it shows.

/// Reorders `indices` (a triangle list over `vertices`) along the Z-order curve of the
/// triangles' centroids within their bounding box. The triangles themselves are unchanged.
pub fn in_curve_order(vertices: &[[f64; 2]], indices: &mut [usize]) {
    let centroid = |t: &[usize]| {
        let [a, b, c] = [vertices[t[0]], vertices[t[1]], vertices[t[2]]];
        [(a[0] + b[0] + c[0]) / 3.0, (a[1] + b[1] + c[1]) / 3.0]
    };
    let (mut min, mut max) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for t in indices.chunks_exact(3) {
        let c = centroid(t);
        for axis in 0..2 {
            min[axis] = min[axis].min(c[axis]);
            max[axis] = max[axis].max(c[axis]);
        }
    }
    let scale = [0, 1].map(|axis| {
        let span = max[axis] - min[axis];
        if span > 0.0 {
            f64::from(u16::MAX) / span
        } else {
            0.0
        }
    });
    let mut keyed: Vec<(u32, [usize; 3])> = indices
        .chunks_exact(3)
        .map(|t| {
            let c = centroid(t);
            let cell = [0, 1].map(|axis| ((c[axis] - min[axis]) * scale[axis]) as u16);
            (interleave(cell[0], cell[1]), [t[0], t[1], t[2]])
        })
        .collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    for (slot, (_, t)) in indices.chunks_exact_mut(3).zip(keyed) {
        slot.copy_from_slice(&t);
    }
}

/// The Morton code of cell `(x, y)`: their bits interleaved, x in the even places.
fn interleave(x: u16, y: u16) -> u32 {
    fn spread(v: u16) -> u32 {
        let mut v = u32::from(v);
        v = (v | (v << 8)) & 0x00FF_00FF;
        v = (v | (v << 4)) & 0x0F0F_0F0F;
        v = (v | (v << 2)) & 0x3333_3333;
        (v | (v << 1)) & 0x5555_5555
    }
    spread(x) | (spread(y) << 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_interleave_the_bits() {
        assert_eq!(interleave(0, 0), 0);
        assert_eq!(interleave(1, 0), 1);
        assert_eq!(interleave(0, 1), 2);
        assert_eq!(interleave(3, 3), 15);
        assert_eq!(interleave(u16::MAX, 0), 0x5555_5555);
    }

    #[test]
    fn the_same_triangles_come_out_near_ones_together() {
        // Four triangles along a line, given far ones first.
        let vertices: Vec<[f64; 2]> = (0..8)
            .flat_map(|i| [[f64::from(i) * 10.0, 0.0], [f64::from(i) * 10.0 + 1.0, 1.0]])
            .collect();
        let triangle = |i: usize| [2 * i, 2 * i + 1, 2 * i + 2];
        let mut indices: Vec<usize> = [6, 0, 4, 2].into_iter().flat_map(triangle).collect();
        let mut before: Vec<[usize; 3]> = indices.chunks(3).map(|t| [t[0], t[1], t[2]]).collect();
        in_curve_order(&vertices, &mut indices);
        let after: Vec<[usize; 3]> = indices.chunks(3).map(|t| [t[0], t[1], t[2]]).collect();
        assert_eq!(after, [0, 2, 4, 6].map(triangle));
        before.sort_unstable();
        let mut sorted = after.clone();
        sorted.sort_unstable();
        assert_eq!(before, sorted);
    }
}
