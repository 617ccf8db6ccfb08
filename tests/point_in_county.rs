//! Point location against shapely on every point of a seeded fixture
//! (tests/fixtures/point_in_county.json): 20,000 uniform points around Sichuan, 4,000 points
//! 0.1–1 m off boundary edges and 2,000 points jittered around vertices.

mod common;

use common::{atlas, index, json_fixture};
use county_atlas::crs::LonLat;

fn fixture() -> Vec<(LonLat, Option<String>)> {
    let json = json_fixture("point_in_county.json");
    let scale = json["scale"].as_f64().unwrap();
    json["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let x = p[0].as_i64().unwrap() as f64 / scale;
            let y = p[1].as_i64().unwrap() as f64 / scale;
            let containing: Vec<String> = serde_json::from_value(p[2].clone()).unwrap();
            assert!(
                containing.len() <= 1,
                "the reference found overlapping counties"
            );
            ([x, y], containing.into_iter().next())
        })
        .collect()
}

#[test]
fn every_point_agrees_with_shapely() {
    let points = fixture();
    assert_eq!(points.len(), 26_000);
    let mut inside = 0;
    for (p, expected) in &points {
        let ours = index()
            .unit_at(*p)
            .map(|u| atlas().unit(u).adcode.to_string());
        assert_eq!(&ours, expected, "point {p:?}");
        inside += usize::from(ours.is_some());
    }
    assert!(
        inside > 10_000,
        "the fixture must exercise the inside, not only the outside"
    );
}

#[test]
fn counting_and_assigning_agree_with_single_lookups_in_parallel_too() {
    let points: Vec<LonLat> = fixture().into_iter().map(|(p, _)| p).collect();
    // Repeat the fixture past the parallel threshold.
    let many: Vec<LonLat> = points
        .iter()
        .cycle()
        .take(points.len() * 4)
        .copied()
        .collect();
    let counts = index().count(&many);
    let assigned = index().assign(&many);
    let mut expected = vec![0u64; atlas().units().len()];
    let mut outside = 0;
    for (p, a) in many.iter().zip(&assigned) {
        assert_eq!(*a, index().unit_at(*p));
        match a {
            Some(u) => expected[u.index()] += 1,
            None => outside += 1,
        }
    }
    assert_eq!(counts.per_unit, expected);
    assert_eq!(counts.outside, outside);
    assert_eq!(
        counts.per_unit.iter().sum::<u64>() + counts.outside,
        many.len() as u64
    );
}
