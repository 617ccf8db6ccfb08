//! GCJ-02, the offset ("Mars") coordinates that Chinese web maps publish.
//!
//! The forward transform is the widely reimplemented public formula (Krasovsky 1940
//! ellipsoid constants). There is no closed-form inverse, so [`gcj02_to_wgs84`] inverts it by
//! iteration to well under a millimetre, instead of the one-step approximation many libraries
//! use (which is off by up to a few metres).

use super::{LonLat, invert_offset};
use std::f64::consts::PI;

/// Semi-major axis of the Krasovsky 1940 ellipsoid used by the formula, in metres.
const A: f64 = 6_378_245.0;
/// First eccentricity squared of the Krasovsky 1940 ellipsoid.
const EE: f64 = 0.006_693_421_622_965_943;

/// True for points the offset does not apply to: GCJ-02 equals WGS84 outside China's
/// rough bounding box, as in every reference implementation.
pub fn is_outside_china(p: LonLat) -> bool {
    let [lon, lat] = p;
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

/// Converts WGS84 to GCJ-02.
pub fn wgs84_to_gcj02(p: LonLat) -> LonLat {
    if is_outside_china(p) {
        return p;
    }
    let [lon, lat] = p;
    let d_lat = offset_lat(lon - 105.0, lat - 35.0);
    let d_lon = offset_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let sin_lat = rad_lat.sin();
    let magic = 1.0 - EE * sin_lat * sin_lat;
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad_lat.cos() * PI);
    [lon + d_lon, lat + d_lat]
}

/// Converts GCJ-02 to WGS84 by iterating the forward transform (residual below 1e-9°).
pub fn gcj02_to_wgs84(p: LonLat) -> LonLat {
    if is_outside_china(p) {
        return p;
    }
    invert_offset(p, wgs84_to_gcj02)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_is_a_few_hundred_metres_in_sichuan() {
        let wgs = [104.0657, 30.6595];
        let gcj = wgs84_to_gcj02(wgs);
        let (dx_m, dy_m) = ((gcj[0] - wgs[0]) * 96_000.0, (gcj[1] - wgs[1]) * 111_000.0);
        let shift_m = dx_m.hypot(dy_m);
        assert!((100.0..1000.0).contains(&shift_m), "shift {shift_m} m");
    }

    #[test]
    fn inverse_residual_is_far_below_half_a_metre() {
        for lon in [97.5, 100.0, 102.5, 104.1, 106.0, 108.4] {
            for lat in [26.1, 28.0, 30.6, 32.5, 34.2] {
                let gcj = [lon, lat];
                let wgs = gcj02_to_wgs84(gcj);
                let again = wgs84_to_gcj02(wgs);
                assert!((again[0] - gcj[0]).abs() < 1e-10 && (again[1] - gcj[1]).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn outside_china_is_unchanged() {
        let london = [-0.1276, 51.5072];
        assert_eq!(wgs84_to_gcj02(london), london);
        assert_eq!(gcj02_to_wgs84(london), london);
    }
}
