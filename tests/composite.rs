//! The innovation index against its independent reference (pandas and numpy:
//! tests/fixtures/composite.json, made by scripts/fixtures/composite.py from
//! docs/index-method.md). Normalised values and scores must agree to 1e-9 and ranks, grades,
//! treatments and strengths exactly, for every normalisation, aggregation, missing-value rule
//! and outlier treatment; the uncertainty analysis's explicit scenarios exactly, and its Monte
//! Carlo intervals, drawn from another random stream, within their sampling error.

mod common;

use common::json_fixture;
use county_atlas::analysis::composite::{
    Classes, Engine, IndexData, IndexDefinition, Normalisation, Scenario, Scope, Treatment, compute,
};
use serde_json::Value;
use std::sync::OnceLock;

const TOLERANCE: f64 = 1e-9;

fn reference() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| json_fixture("composite.json"))
}

fn layer(id: &str) -> Option<&'static Value> {
    reference()["layers"].get(id)
}

fn year_values(id: &str, year: i32) -> Vec<Option<f64>> {
    layer(id).expect("a fixture layer")[year.to_string()]
        .as_array()
        .expect("the year's values")
        .iter()
        .map(Value::as_f64)
        .collect()
}

/// Parses a fixture's definition; one with class weights gets the `[groups]` section the
/// fixture leaves out (its classes are given with the counties, not by a file).
fn parse(
    text: &str,
) -> Result<IndexDefinition, county_atlas::analysis::composite::DefinitionError> {
    let text = if text.contains("group_weights") && !text.contains("[groups]") {
        format!("{text}\n[groups]\nby = \"classes of the fixture\"\n")
    } else {
        text.to_owned()
    };
    IndexDefinition::parse(&text, &|id| layer(id).is_some())
}

/// The fixture's values for `def`, as the atlas would hand them over.
fn data_for(def: &IndexDefinition) -> IndexData {
    let units = reference()["units"].as_array().expect("units");
    let ids = || def.indicators.iter().map(|i| i.layer.as_str());
    IndexData {
        values: ids().map(|id| year_values(id, def.year)).collect(),
        base: def
            .method
            .base_year
            .map(|y| ids().map(|id| year_values(id, y)).collect())
            .unwrap_or_default(),
        all_years: if def.method.scope == Scope::AllYears {
            ids()
                .map(|id| {
                    let years = layer(id).expect("a layer").as_object().expect("years");
                    years
                        .keys()
                        .map(|y| year_values(id, y.parse().expect("a year")))
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        },
        mean_weights: def
            .indicators
            .iter()
            .map(|i| i.mean_weight.as_ref().map(|w| year_values(w, def.year)))
            .collect(),
        regions: units
            .iter()
            .map(|u| u["region"].as_u64().map(|r| r as usize))
            .collect(),
        classes: Some(Classes {
            names: reference()["class_names"]
                .as_array()
                .expect("class names")
                .iter()
                .map(|n| n.as_str().expect("a name").to_owned())
                .collect(),
            of_unit: units
                .iter()
                .map(|u| u["class"].as_u64().map(|c| c as usize))
                .collect(),
        }),
    }
}

fn close(name: &str, what: &str, u: usize, got: Option<f64>, want: &Value) {
    match (got, want.as_f64()) {
        (None, None) => {}
        (Some(g), Some(w)) => assert!(
            (g - w).abs() <= TOLERANCE * w.abs().max(1.0),
            "{name}: {what} of unit {u}: {g} against {w}"
        ),
        (g, _) => panic!("{name}: {what} of unit {u}: {g:?} against {want}"),
    }
}

fn count(v: &Value) -> Option<usize> {
    v.as_u64().map(|n| n as usize)
}

#[test]
fn every_case_matches_the_pandas_reference() {
    let cases = reference()["cases"].as_array().expect("cases");
    assert!(cases.len() >= 15, "the fixture covers every method");
    let weighted = cases
        .iter()
        .filter(|c| {
            c["targets"]
                .as_object()
                .is_some_and(|t| t.values().any(|t| t.get("weighted_mean").is_some()))
        })
        .count();
    assert!(weighted >= 1, "the fixture has a weighted target mean");
    for case in cases {
        let name = case["name"].as_str().expect("a name");
        let def = parse(case["definition"].as_str().expect("a definition"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let result = compute(&def, &data_for(&def)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let scored: Vec<bool> = case["scored"]
            .as_array()
            .expect("scored")
            .iter()
            .map(|v| v.as_bool().expect("a bool"))
            .collect();
        assert_eq!(result.scored, scored, "{name}: scored counties");
        for (i, indicator) in def.indicators.iter().enumerate() {
            let id = indicator.layer.as_str();
            for (u, want) in case["normalised"][id]
                .as_array()
                .expect("normalised")
                .iter()
                .enumerate()
            {
                close(
                    name,
                    &format!("normalised {id}"),
                    u,
                    result.normalised[i][u],
                    want,
                );
            }
            let t = &case["treatment"][id];
            let expected = match t["kind"].as_str() {
                Some("none") => Treatment::None,
                Some("log") => Treatment::Log,
                Some("winsorised") => Treatment::Winsorised {
                    points: count(&t["points"]).expect("points"),
                },
                other => panic!("{name}: treatment {other:?}"),
            };
            assert_eq!(result.treatments[i], expected, "{name}: treatment of {id}");
            let want = &case["targets"][id];
            match &result.targets[i] {
                None => assert!(want.is_null(), "{name}: a target summary of {id}"),
                Some(t) => {
                    close(
                        name,
                        &format!("target mean {id}"),
                        0,
                        Some(t.mean),
                        &want["mean"],
                    );
                    assert_eq!(Some(t.reached), count(&want["reached"]), "{name}: {id}");
                    assert_eq!(Some(t.of), count(&want["of"]), "{name}: {id}");
                    match &t.weighted {
                        None => assert!(want["weighted_mean"].is_null(), "{name}: {id}"),
                        Some(w) => {
                            close(
                                name,
                                &format!("weighted mean {id}"),
                                0,
                                w.mean,
                                &want["weighted_mean"],
                            );
                            assert_eq!(Some(w.of), count(&want["weighted_of"]), "{name}: {id}");
                        }
                    }
                }
            }
            let c = &case["coverage"][id];
            assert_eq!(
                Some(result.coverage[i].with_value),
                count(&c["with_value"]),
                "{name}"
            );
            assert_eq!(
                Some(result.coverage[i].scored_with_value),
                count(&c["scored_with_value"]),
                "{name}"
            );
        }
        for (d, dimension) in def.dimension_names().iter().enumerate() {
            let want = case["dimensions"][*dimension]
                .as_array()
                .expect("a dimension");
            for (u, w) in want.iter().enumerate() {
                close(name, dimension, u, result.dimensions[d][u], w);
            }
        }
        for (u, w) in case["score"].as_array().expect("scores").iter().enumerate() {
            close(name, "score", u, result.score[u], w);
        }
        for (key, got) in [
            ("rank", &result.rank),
            ("rank_in_region", &result.rank_in_region),
            ("rank_in_class", &result.rank_in_class),
        ] {
            let want: Vec<Option<usize>> = case[key]
                .as_array()
                .expect("ranks")
                .iter()
                .map(count)
                .collect();
            assert_eq!(got, &want, "{name}: {key}");
        }
        let grades: Vec<Option<String>> = result
            .grade
            .iter()
            .map(|g| {
                g.map(|g| {
                    serde_json::to_value(g)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
            })
            .collect();
        let want: Vec<Option<String>> = case["grade"]
            .as_array()
            .expect("grades")
            .iter()
            .map(|g| g.as_str().map(str::to_owned))
            .collect();
        assert_eq!(grades, want, "{name}: grades");
        for (key, got) in [
            ("strengths", &result.strengths),
            ("weaknesses", &result.weaknesses),
        ] {
            for (u, list) in case[key].as_array().expect("lists").iter().enumerate() {
                let want: Vec<&str> = list
                    .as_array()
                    .expect("a list")
                    .iter()
                    .map(|v| v.as_str().expect("a layer"))
                    .collect();
                let ours: Vec<&str> = got[u]
                    .iter()
                    .map(|s| def.indicators[s.indicator].layer.as_str())
                    .collect();
                assert_eq!(ours, want, "{name}: {key} of unit {u}");
            }
        }
    }
}

#[test]
fn bad_definitions_are_refused_with_their_reason() {
    for case in reference()["errors"].as_array().expect("errors") {
        let text = case["definition"].as_str().expect("a definition");
        let says = case["says"].as_str().expect("a reason");
        let error = match parse(text) {
            Err(e) => e,
            Ok(def) => compute(&def, &data_for(&def)).expect_err(text),
        };
        assert!(error.en.contains(says), "{error} does not say '{says}'");
        assert!(!error.zh.is_empty() && error.line >= 1);
    }
}

fn uncertainty_engine_definition() -> IndexDefinition {
    let u = &reference()["uncertainty"];
    parse(u["definition"].as_str().expect("the definition")).expect("a definition")
}

fn scenario(v: &Value) -> Scenario {
    let floats = |key: &str| -> Vec<f64> {
        v[key]
            .as_array()
            .expect("factors")
            .iter()
            .map(|f| f.as_f64().expect("a factor"))
            .collect()
    };
    Scenario {
        indicator_factors: floats("indicator_factors"),
        dimension_factors: floats("dimension_factors"),
        normalisation: serde_json::from_value(v["normalisation"].clone()).expect("a normalisation"),
        aggregation: serde_json::from_value(v["aggregation"].clone()).expect("an aggregation"),
        left_out: count(&v["left_out"]),
    }
}

#[test]
fn explicit_scenarios_rank_exactly_as_the_reference() {
    let def = uncertainty_engine_definition();
    let engine = Engine::new(&def, &data_for(&def)).expect("an engine");
    let u = &reference()["uncertainty"];
    let scenarios: Vec<Scenario> = u["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(scenario)
        .collect();
    assert!(
        scenarios
            .iter()
            .any(|s| s.normalisation == Normalisation::Zscore)
    );
    assert!(scenarios.iter().any(|s| s.left_out.is_some()));
    for (s, v) in scenarios
        .iter()
        .zip(u["scenarios"].as_array().expect("scenarios"))
    {
        let want: Vec<Option<usize>> = v["ranks"]
            .as_array()
            .expect("ranks")
            .iter()
            .map(count)
            .collect();
        assert_eq!(engine.ranks(s), want, "{s:?}");
    }
    let intervals = engine.intervals(&scenarios);
    for (unit, (got, want)) in intervals
        .iter()
        .zip(u["quantiles"].as_array().expect("quantiles"))
        .enumerate()
    {
        match got {
            None => assert!(want.is_null(), "unit {unit}"),
            Some(i) => {
                for (ours, key) in [(i.median, "median"), (i.q05, "q05"), (i.q95, "q95")] {
                    let theirs = want[key].as_f64().expect("a quantile");
                    assert!(
                        (ours - theirs).abs() < 1e-9,
                        "unit {unit} {key}: {ours} against {theirs}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_sensitivity_table_matches_the_reference() {
    let def = uncertainty_engine_definition();
    let engine = Engine::new(&def, &data_for(&def)).expect("an engine");
    let ours = engine.sensitivity();
    let theirs = reference()["uncertainty"]["sensitivity"]
        .as_array()
        .expect("rows");
    assert_eq!(ours.len(), theirs.len(), "{ours:?}");
    for row in theirs {
        let choice = row["choice"].as_str().expect("a choice");
        let mine = ours
            .iter()
            .find(|r| r.choice == choice)
            .unwrap_or_else(|| panic!("no row {choice}"));
        assert!(
            (mine.mean_abs - row["mean_abs"].as_f64().unwrap()).abs() < 1e-12,
            "{choice}"
        );
        assert_eq!(Some(mine.max_abs), count(&row["max_abs"]), "{choice}");
    }
    assert!(ours.windows(2).all(|w| w[0].mean_abs >= w[1].mean_abs));
}

#[test]
fn monte_carlo_intervals_agree_within_sampling_error() {
    let def = uncertainty_engine_definition();
    let engine = Engine::new(&def, &data_for(&def)).expect("an engine");
    let mc = &reference()["uncertainty"]["monte_carlo"];
    let draws = mc["draws"].as_u64().expect("draws") as usize;
    let ours = engine.monte_carlo(draws, 7);
    let again = engine.monte_carlo(draws, 7);
    assert_eq!(ours, again, "a seed gives the same intervals");
    let mut worst = 0.0f64;
    for (unit, (got, want)) in ours
        .iter()
        .zip(mc["units"].as_array().expect("units"))
        .enumerate()
    {
        let (Some(got), false) = (got, want.is_null()) else {
            assert!(got.is_none() && want.is_null(), "unit {unit}");
            continue;
        };
        let sd = want["sd"].as_f64().expect("sd");
        // Two independent means of `draws` ranks each: their difference has this sd.
        let se = sd * (2.0 / draws as f64).sqrt();
        let mean = want["mean"].as_f64().unwrap();
        assert!(
            (got.mean - mean).abs() <= 5.0 * se + 1e-9,
            "unit {unit}: mean {} against {mean}",
            got.mean
        );
        worst = worst.max((got.mean - mean).abs() / se.max(1e-12));
        let spread = want["q95"].as_f64().unwrap() - want["q05"].as_f64().unwrap();
        for key in ["median", "q05", "q95"] {
            let theirs = want[key].as_f64().unwrap();
            let mine = match key {
                "median" => got.median,
                "q05" => got.q05,
                _ => got.q95,
            };
            assert!(
                (mine - theirs).abs() <= 2.0 + 0.05 * spread,
                "unit {unit} {key}: {mine} against {theirs} (spread {spread})"
            );
        }
        assert!(got.q05 <= got.median && got.median <= got.q95);
    }
    eprintln!("largest mean-rank difference: {worst:.2} standard errors");
}
