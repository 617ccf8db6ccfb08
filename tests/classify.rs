//! Classification against mapclassify (tests/fixtures/classify.json, written by
//! scripts/fixtures/generate.py): the breaks to 1e-9 and the class counts exactly, for the
//! built-in layers and for vectors with ties, tiny n and negative values; where mapclassify
//! refuses (too few distinct values, no range), the atlas refuses too.

mod common;

use common::{atlas, json_fixture};
use county_atlas::analysis::classify::{Classification, Method};
use county_atlas::analysis::mapped::{MappedValues, Normalization};
use std::collections::BTreeMap;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn every_case_matches_mapclassify() {
    let fixture = json_fixture("classify.json");
    let vectors: BTreeMap<String, Vec<f64>> =
        serde_json::from_value(fixture["vectors"].clone()).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() > 300);
    let mut compared = 0;
    for case in cases {
        let values = &vectors[case["vector"].as_str().unwrap()];
        let k = case["k"].as_u64().unwrap_or(0) as usize;
        let method = match case["method"].as_str().unwrap() {
            "quantile" => Method::Quantile,
            "equal-interval" => Method::EqualInterval,
            "fisher-jenks" => Method::FisherJenks,
            "std-mean" => Method::StdMean,
            "box" => Method::BoxPlot {
                hinge: case["hinge"].as_f64().unwrap(),
            },
            "manual" => Method::Manual {
                breaks: serde_json::from_value(case["breaks_in"].clone()).unwrap(),
            },
            other => panic!("unknown method {other}"),
        };
        let ours = Classification::new(values, method.clone(), k);
        let label = format!("{} {:?} k={k}", case["vector"], method);
        if case.get("error").is_some() {
            assert!(
                ours.is_err(),
                "{label}: mapclassify refused ({}), we gave {ours:?}",
                case["error"]
            );
            continue;
        }
        let ours = ours.unwrap_or_else(|e| panic!("{label}: {e}"));
        let breaks: Vec<f64> = serde_json::from_value(case["breaks"].clone()).unwrap();
        let counts: Vec<usize> = serde_json::from_value(case["counts"].clone()).unwrap();
        assert_eq!(
            ours.breaks.len(),
            breaks.len(),
            "{label}: {:?} vs {breaks:?}",
            ours.breaks
        );
        for (a, b) in ours.breaks.iter().zip(&breaks) {
            assert!(
                close(*a, *b),
                "{label}: breaks {:?} vs {breaks:?}",
                ours.breaks
            );
        }
        assert_eq!(ours.counts, counts, "{label}");
        compared += 1;
    }
    assert!(compared > 280, "{compared}");
}

#[test]
fn the_fixture_vectors_are_the_atlas_values() {
    let fixture = json_fixture("classify.json");
    let vectors: BTreeMap<String, Vec<f64>> =
        serde_json::from_value(fixture["vectors"].clone()).unwrap();
    let atlas = atlas();
    for (id, name) in [
        ("population", "population"),
        ("urbanization_rate", "urbanization_rate"),
        ("schooling_years", "schooling_years"),
        ("professional_share", "professional_share"),
        ("population_density", "population_density"),
    ] {
        let mapped =
            MappedValues::new(atlas, atlas.layer(id).unwrap(), None, Normalization::None).unwrap();
        let mut ours = mapped.observations.clone();
        let mut theirs = vectors[name].clone();
        ours.sort_by(f64::total_cmp);
        theirs.sort_by(f64::total_cmp);
        assert_eq!(ours.len(), theirs.len(), "{id}");
        for (a, b) in ours.iter().zip(&theirs) {
            assert!(close(*a, *b), "{id}: {a} vs {b}");
        }
    }
    let rd = MappedValues::new(
        atlas,
        atlas.layer("rd_intensity").unwrap(),
        Some(2018),
        Normalization::None,
    )
    .unwrap();
    let mut ours = rd.observations;
    let mut theirs = vectors["rd_intensity_2018"].clone();
    ours.sort_by(f64::total_cmp);
    theirs.sort_by(f64::total_cmp);
    assert_eq!(ours, theirs);
}
