//! Point symbols for the current zoom: nearby points merge into one symbol with a count; each
//! point layer has its own shape.

use super::camera::Camera;

/// The shape of a point layer's symbols. The renderer's shader (`fs_point`) draws the same
/// shapes with the same proportions as [`SymbolShape::polygon`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolShape {
    /// A disc.
    Circle,
    /// A square (half side 0.85 of the radius).
    Square,
    /// A triangle pointing up (circumradius 1.2 of the radius).
    Triangle,
    /// A diamond (half diagonal 1.15 of the radius).
    Diamond,
}

/// The triangle's corners for a radius of 1 (y down): circumradius 1.2, centred on its centroid.
const TRIANGLE: [[f32; 2]; 3] = [[0.0, -1.2], [1.039_23, 0.6], [-1.039_23, 0.6]];
const SQUARE: [[f32; 2]; 4] = [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]];
const DIAMOND: [[f32; 2]; 4] = [[0.0, -1.15], [1.15, 0.0], [0.0, 1.15], [-1.15, 0.0]];

impl SymbolShape {
    /// The code the shader reads (its `point_shape`).
    pub fn code(self) -> u32 {
        match self {
            SymbolShape::Circle => 0,
            SymbolShape::Square => 1,
            SymbolShape::Triangle => 2,
            SymbolShape::Diamond => 3,
        }
    }

    /// The outline for a radius of 1, y down; `None` for the circle.
    pub fn polygon(self) -> Option<&'static [[f32; 2]]> {
        match self {
            SymbolShape::Circle => None,
            SymbolShape::Square => Some(&SQUARE),
            SymbolShape::Triangle => Some(&TRIANGLE),
            SymbolShape::Diamond => Some(&DIAMOND),
        }
    }
}

/// A symbol on screen: one point or a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct PointSymbol {
    /// Centre, screen pixels (the mean of its members).
    pub centre: [f64; 2],
    /// Indices of the points it stands for.
    pub members: Vec<usize>,
}

/// Clusters world points for a viewport: points whose symbols would fall in the same
/// `cell_px` screen cell merge. Points outside the viewport are left out.
pub fn cluster(
    points: &[[f64; 2]],
    camera: &Camera,
    size: [f64; 2],
    cell_px: f64,
) -> Vec<PointSymbol> {
    let mut cells: Vec<((i64, i64), PointSymbol)> = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        let s = camera.world_to_screen(p, size);
        if s[0] < -cell_px
            || s[1] < -cell_px
            || s[0] > size[0] + cell_px
            || s[1] > size[1] + cell_px
        {
            continue;
        }
        let key = (
            (s[0] / cell_px).floor() as i64,
            (s[1] / cell_px).floor() as i64,
        );
        match cells.iter_mut().find(|(k, _)| *k == key) {
            Some((_, symbol)) => {
                let n = symbol.members.len() as f64;
                symbol.centre = [
                    (symbol.centre[0] * n + s[0]) / (n + 1.0),
                    (symbol.centre[1] * n + s[1]) / (n + 1.0),
                ];
                symbol.members.push(i);
            }
            None => cells.push((
                key,
                PointSymbol {
                    centre: s,
                    members: vec![i],
                },
            )),
        }
    }
    cells.into_iter().map(|(_, s)| s).collect()
}

/// Symbol radius in points for a cluster of `count` at a zoom: grows with the count and a
/// little as one zooms in.
pub fn symbol_radius(count: usize, metres_per_pixel: f64) -> f32 {
    let zoom_bonus = (2_000.0 / metres_per_pixel).log2().clamp(0.0, 3.0) as f32;
    4.0 + zoom_bonus + 3.0 * (count as f32).log2().max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearby_points_merge_until_zoomed_in() {
        let points = [[0.0, 0.0], [500.0, 0.0], [100_000.0, 0.0]];
        let far = Camera {
            centre: [0.0, 0.0],
            metres_per_pixel: 1000.0,
        };
        let symbols = cluster(&points, &far, [800.0, 600.0], 30.0);
        assert_eq!(symbols.len(), 2);
        assert_eq!(symbols[0].members, vec![0, 1]);
        let near = Camera {
            centre: [0.0, 0.0],
            metres_per_pixel: 10.0,
        };
        assert_eq!(
            cluster(&points, &near, [800.0, 600.0], 30.0).len(),
            2,
            "the far one leaves the view"
        );
        assert!(symbol_radius(10, 1000.0) > symbol_radius(1, 1000.0));
    }
}
