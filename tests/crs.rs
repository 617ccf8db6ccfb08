//! Coordinate transforms against published coordinate pairs (official API documentation and
//! reference implementations; see tests/fixtures/README.md), and round trips.

use county_atlas::crs::{Crs, gcj02_to_wgs84, wgs84_to_gcj02};

/// Ground distance in metres between two nearby lon/lat points (local equirectangular).
fn metres(a: [f64; 2], b: [f64; 2]) -> f64 {
    let lat = ((a[1] + b[1]) / 2.0).to_radians();
    let dx = (a[0] - b[0]) * 111_320.0 * lat.cos();
    let dy = (a[1] - b[1]) * 110_574.0;
    dx.hypot(dy)
}

#[test]
fn published_pairs_agree_within_their_stated_tolerance() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/published_coord_pairs.csv"
    );
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut checked = 0;
    for record in reader.records() {
        let r = record.unwrap();
        let (from, to): (Crs, Crs) = (r[0].parse().unwrap(), r[1].parse().unwrap());
        let input = [r[2].parse().unwrap(), r[3].parse().unwrap()];
        let published = [r[4].parse().unwrap(), r[5].parse().unwrap()];
        let tolerance: f64 = r[7].parse().unwrap();
        let ours = to.from_wgs84(from.to_wgs84(input));
        let off = metres(ours, published);
        assert!(
            off <= tolerance,
            "{from}→{to} {input:?}: ours {ours:?}, published {published:?}, {off:.3} m > {tolerance} m ({})",
            &r[8]
        );
        checked += 1;
    }
    assert_eq!(checked, 20);
}

#[test]
fn official_amap_example_is_reproduced_to_five_centimetres() {
    let gcj = wgs84_to_gcj02([116.481499, 39.990475]);
    assert!(metres(gcj, [116.487585177952, 39.991754014757]) < 0.05);
}

#[test]
fn inverse_residual_is_under_a_millimetre_over_sichuan() {
    let mut worst: f64 = 0.0;
    for i in 0..=40 {
        for j in 0..=30 {
            let gcj = [97.3 + i as f64 * 0.28, 26.0 + j as f64 * 0.28];
            let back = wgs84_to_gcj02(gcj02_to_wgs84(gcj));
            worst = worst.max(metres(back, gcj));
        }
    }
    assert!(worst < 0.001, "worst residual {worst} m");
}

#[test]
fn bd09_goes_through_gcj02() {
    let wgs = [104.0657, 30.6595];
    let bd = Crs::Bd09.from_wgs84(wgs);
    let gcj = Crs::Gcj02.from_wgs84(wgs);
    assert!(
        metres(bd, gcj) > 500.0,
        "BD-09 adds its own offset on top of GCJ-02"
    );
    assert!(metres(Crs::Bd09.to_wgs84(bd), wgs) < 1e-4);
}
