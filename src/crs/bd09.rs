//! BD-09, Baidu's coordinates: a rotation-and-scale perturbation applied on top of GCJ-02.

use super::{LonLat, invert_offset};
use std::f64::consts::PI;

/// Baidu's constant, π·3000/180.
const X_PI: f64 = PI * 3000.0 / 180.0;

/// Converts GCJ-02 to BD-09 (Baidu's published forward formula).
pub fn gcj02_to_bd09(p: LonLat) -> LonLat {
    let [x, y] = p;
    let z = (x * x + y * y).sqrt() + 0.000_02 * (y * X_PI).sin();
    let theta = y.atan2(x) + 0.000_003 * (x * X_PI).cos();
    [z * theta.cos() + 0.0065, z * theta.sin() + 0.006]
}

/// Converts BD-09 to GCJ-02 by iterating the forward formula, which is exact to 1e-10°,
/// rather than the usual closed-form approximation (off by up to about a metre).
pub fn bd09_to_gcj02(p: LonLat) -> LonLat {
    invert_offset(p, gcj02_to_bd09)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_undoes_forward() {
        let gcj = [104.0721, 30.6632];
        let back = bd09_to_gcj02(gcj02_to_bd09(gcj));
        assert!((back[0] - gcj[0]).abs() < 1e-10 && (back[1] - gcj[1]).abs() < 1e-10);
    }
}
