//! Distance queries (nearest units, units within a distance, nearest points) against brute
//! force with geo, and the accuracy of Albers distances against the geodesic.

mod common;

use common::{adcode, atlas, index};
use county_atlas::crs::LonLat;
use county_atlas::spatial::PointIndex;
use geo::{Distance, Euclidean, Geodesic, Point};

fn brute_force(p: LonLat) -> Vec<(u32, f64)> {
    let xy = atlas().projection().forward(p);
    let point = Point::new(xy[0], xy[1]);
    let mut all: Vec<(u32, f64)> = atlas()
        .units()
        .iter()
        .map(|u| (u.id.0, Euclidean.distance(&point, &u.projected) / 1000.0))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1));
    all
}

fn sample_points() -> Vec<LonLat> {
    (0..40)
        .map(|i| {
            [
                97.6 + (i as f64 * 0.731) % 10.8,
                26.3 + (i as f64 * 0.377) % 7.9,
            ]
        })
        .collect()
}

#[test]
fn nearest_units_match_brute_force() {
    for p in sample_points() {
        let ours = index().nearest_units(p, 6);
        let expected = brute_force(p);
        assert_eq!(ours.len(), 6);
        for (got, want) in ours.iter().zip(&expected) {
            assert!((got.km - want.1).abs() < 1e-6, "{p:?}: {got:?} vs {want:?}");
        }
        let inside = index().unit_at(p);
        assert_eq!(inside.is_some(), ours[0].km == 0.0);
        if let Some(unit) = inside {
            assert_eq!(ours[0].unit, unit);
        }
    }
}

#[test]
fn units_within_a_distance_match_brute_force() {
    for p in sample_points() {
        let ours = index().units_within(p, 25.0);
        let expected: Vec<(u32, f64)> = brute_force(p)
            .into_iter()
            .filter(|(_, d)| *d <= 25.0)
            .collect();
        assert_eq!(ours.len(), expected.len(), "{p:?}");
        for (got, want) in ours.iter().zip(&expected) {
            assert!((got.km - want.1).abs() < 1e-6);
        }
    }
}

#[test]
fn the_neighbours_of_jinjiang_are_within_a_few_kilometres() {
    let jinjiang = atlas().unit_by_adcode(adcode("510104")).unwrap();
    let centre = [104.1, 30.6];
    assert_eq!(index().unit_at(centre), Some(jinjiang.id));
    let near = index().units_within(centre, 5.0);
    assert!(near.len() >= 3, "{near:?}");
}

#[test]
fn nearest_points_match_brute_force() {
    let points: Vec<LonLat> = (0..500)
        .map(|i| {
            [
                97.5 + (i as f64 * 0.0917) % 11.0,
                26.1 + (i as f64 * 0.0533) % 8.2,
            ]
        })
        .collect();
    let tree = PointIndex::new(&points, *atlas().projection());
    let albers = atlas().projection();
    let query = [104.0, 30.6];
    let q = albers.forward(query);
    let mut expected: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let xy = albers.forward(p);
            (i, (xy[0] - q[0]).hypot(xy[1] - q[1]) / 1000.0)
        })
        .collect();
    expected.sort_by(|a, b| a.1.total_cmp(&b.1));
    let nearest = tree.nearest(query, 5);
    assert_eq!(
        nearest.iter().map(|n| n.0).collect::<Vec<_>>(),
        expected[..5].iter().map(|e| e.0).collect::<Vec<_>>()
    );
    let within = tree.within(query, 80.0);
    assert_eq!(
        within.len(),
        expected.iter().filter(|e| e.1 <= 80.0).count()
    );
}

#[test]
fn albers_distances_are_within_half_a_percent_of_the_geodesic() {
    let albers = atlas().projection();
    let pairs = [
        ([104.06, 30.66], [102.27, 27.89]),
        ([98.6, 31.8], [108.4, 32.1]),
        ([101.96, 30.05], [106.08, 30.8]),
    ];
    for (a, b) in pairs {
        let (pa, pb) = (albers.forward(a), albers.forward(b));
        let planar = (pa[0] - pb[0]).hypot(pa[1] - pb[1]);
        let geodesic = Geodesic.distance(Point::new(a[0], a[1]), Point::new(b[0], b[1]));
        assert!(
            (planar - geodesic).abs() / geodesic < 0.005,
            "{a:?}–{b:?}: {planar} vs {geodesic}"
        );
    }
}
