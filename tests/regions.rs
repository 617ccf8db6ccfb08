//! Spatial weights, Moran's I, LISA, Getis-Ord G*, the FDR cut and Theil/Gini against PySAL
//! (libpysal 4.14, esda 2.9, inequality 1.1: tests/fixtures/regions.json, made by
//! scripts/fixtures/regions.py). Analytic results must agree to 1e-9; permutation results,
//! drawn from another random stream, must agree within their sampling error.

mod common;

use common::{adcode, atlas, index, json_fixture};
use county_atlas::analysis::autocorrelation::{fdr, getis_ord, local_moran, moran};
use county_atlas::analysis::inequality::inequality;
use county_atlas::atlas::UnitId;
use county_atlas::spatial::{SpatialWeights, WeightsKind};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const PERMUTATIONS: usize = 999;
const SEED: u64 = 20261202;

fn reference() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| json_fixture("regions.json"))
}

fn unit(code: &str) -> UnitId {
    atlas().unit_by_adcode(adcode(code)).expect("a unit").id
}

/// A fixture vector as (units ascending, values in that order).
fn vector(name: &str) -> (Vec<UnitId>, Vec<f64>) {
    let by_code = reference()["vectors"][name].as_object().expect("a vector");
    let mut pairs: Vec<(UnitId, f64)> = by_code
        .iter()
        .map(|(code, v)| (unit(code), v.as_f64().unwrap()))
        .collect();
    pairs.sort_by_key(|p| p.0);
    pairs.into_iter().unzip()
}

fn weights_kind(name: &str) -> WeightsKind {
    name.parse().expect("the fixture's weights parse")
}

fn close(ours: f64, theirs: &Value, what: &str) {
    let theirs = theirs
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no number"));
    let tolerance = 1e-9 * theirs.abs().max(1e-300) + 1e-12;
    assert!(
        (ours - theirs).abs() <= tolerance,
        "{what}: ours {ours:e}, PySAL's {theirs:e}"
    );
}

/// A permutation p within five standard errors of the reference's (both are estimates from
/// 999 draws), plus the grid's step.
fn p_close(ours: f64, theirs: f64, what: &str) {
    let p = theirs.max(ours).clamp(0.001, 0.5);
    let sd = (2.0 * p * (1.0 - p) / PERMUTATIONS as f64).sqrt();
    assert!(
        (ours - theirs).abs() <= 5.0 * sd + 0.002,
        "{what}: p_sim ours {ours}, esda's {theirs}"
    );
}

#[test]
fn centroids_are_shapelys_on_the_albers_plane() {
    for (code, point) in reference()["points_km"].as_object().unwrap() {
        let ours = index().centroid_km(unit(code));
        for axis in 0..2 {
            let theirs = point[axis].as_f64().unwrap();
            assert!(
                (ours[axis] - theirs).abs() < 1e-6,
                "{code}: {ours:?} against {point}"
            );
        }
    }
}

#[test]
fn knn_and_band_weights_are_libpysals() {
    for (case, vector_name) in [
        ("weights", "population"),
        ("weights_missing_case", "professional_share_missing"),
    ] {
        let (units, _) = vector(vector_name);
        for (name, theirs) in reference()[case]["neighbours"].as_object().unwrap() {
            let weights = SpatialWeights::build(index(), &units, weights_kind(name));
            let ours: BTreeMap<String, Vec<String>> = (0..weights.len())
                .map(|i| {
                    let mut codes: Vec<String> = weights
                        .row(i)
                        .iter()
                        .map(|&(j, _)| atlas().unit(units[j as usize]).adcode.to_string())
                        .collect();
                    codes.sort();
                    (atlas().unit(units[i]).adcode.to_string(), codes)
                })
                .collect();
            let theirs: BTreeMap<String, Vec<String>> =
                serde_json::from_value(theirs.clone()).unwrap();
            assert_eq!(ours, theirs, "{case} {name}");
            for i in 0..weights.len() {
                let sum: f64 = weights.row(i).iter().map(|&(_, w)| w).sum();
                assert!(
                    weights.row(i).is_empty() || (sum - 1.0).abs() < 1e-12,
                    "row-standardised"
                );
            }
        }
    }
}

#[test]
fn global_moran_is_esdas() {
    let cases = reference()["moran"].as_array().unwrap();
    assert!(cases.len() >= 20, "every vector under four weights");
    for case in cases {
        let what = format!("{} {}", case["vector"], case["weights"]);
        let (units, values) = vector(case["vector"].as_str().unwrap());
        let weights = SpatialWeights::build(
            index(),
            &units,
            weights_kind(case["weights"].as_str().unwrap()),
        );
        let ours = moran(&values, &weights, PERMUTATIONS, SEED).unwrap();
        let (s0, s1, s2) = weights.s0_s1_s2();
        close(s0, &case["s0"], &format!("{what} s0"));
        close(s1, &case["s1"], &format!("{what} s1"));
        close(s2, &case["s2"], &format!("{what} s2"));
        for (field, value) in [
            ("I", ours.I),
            ("EI", ours.EI),
            ("VI_norm", ours.VI_norm),
            ("seI_norm", ours.seI_norm),
            ("z_norm", ours.z_norm),
            ("p_norm", ours.p_norm),
            ("VI_rand", ours.VI_rand),
            ("seI_rand", ours.seI_rand),
            ("z_rand", ours.z_rand),
            ("p_rand", ours.p_rand),
        ] {
            close(value, &case[field], &format!("{what} {field}"));
        }
        assert_eq!(ours.n, case["n"].as_u64().unwrap() as usize);
        // The permutation moments: the mean of 999 draws within five of its standard errors,
        // the spread within 15%.
        let se = case["seI_sim"].as_f64().unwrap();
        let ei_sim = ours.EI_sim.unwrap();
        assert!(
            (ei_sim - case["EI_sim"].as_f64().unwrap()).abs() < 5.0 * se * (2.0 / 999f64).sqrt(),
            "{what}: EI_sim {ei_sim} against {}",
            case["EI_sim"]
        );
        assert!(
            (ours.seI_sim.unwrap() / se - 1.0).abs() < 0.15,
            "{what}: seI_sim"
        );
        p_close(ours.p_sim.unwrap(), case["p_sim"].as_f64().unwrap(), &what);
    }
}

#[test]
fn moran_permutations_are_reproducible_from_their_seed() {
    let (units, values) = vector("schooling_years");
    let weights = SpatialWeights::build(index(), &units, WeightsKind::Queen);
    let a = moran(&values, &weights, 99, 7).unwrap();
    let b = moran(&values, &weights, 99, 7).unwrap();
    let c = moran(&values, &weights, 99, 8).unwrap();
    assert_eq!(a, b);
    assert_ne!(a.EI_sim, c.EI_sim, "another seed, other draws");
}

#[test]
fn local_moran_is_esdas() {
    let cases = reference()["lisa"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let what = format!("{} {}", case["vector"], case["weights"]);
        let (units, values) = vector(case["vector"].as_str().unwrap());
        let weights = SpatialWeights::build(
            index(),
            &units,
            weights_kind(case["weights"].as_str().unwrap()),
        );
        let ours = local_moran(&values, &weights, PERMUTATIONS, SEED).unwrap();
        let mut differences = Vec::new();
        for (i, &u) in units.iter().enumerate() {
            let code = atlas().unit(u).adcode.to_string();
            let theirs = &case["values"][&code];
            let value = &ours.values[i];
            close(value.Ii, &theirs["Ii"], &format!("{what} {code} Ii"));
            assert_eq!(
                value.quadrant as u64,
                theirs["q"].as_u64().unwrap(),
                "{what} {code} quadrant"
            );
            let (p, p_theirs) = (value.p_sim.unwrap(), theirs["p_sim"].as_f64().unwrap());
            p_close(p, p_theirs, &format!("{what} {code}"));
            differences.push(p - p_theirs);
        }
        // No bias either way over all units.
        let bias = differences.iter().sum::<f64>() / differences.len() as f64;
        assert!(bias.abs() < 0.01, "{what}: mean p difference {bias}");
    }
}

#[test]
fn the_fdr_cut_is_esdas() {
    for case in reference()["fdr_cases"].as_array().unwrap() {
        let p: Vec<f64> = serde_json::from_value(case["p"].clone()).unwrap();
        for (alpha, theirs) in case["fdr"].as_object().unwrap() {
            let alpha: f64 = alpha.parse().unwrap();
            assert_eq!(
                fdr(&p, alpha),
                theirs.as_f64().unwrap(),
                "{} at {alpha}",
                case["name"]
            );
        }
    }
}

#[test]
fn getis_ord_is_esdas() {
    let cases = reference()["gstar"].as_array().unwrap();
    assert!(cases.iter().any(|c| c["star"] == false), "Gi too");
    for case in cases {
        let what = format!(
            "{} {} star={}",
            case["vector"], case["weights"], case["star"]
        );
        let (units, values) = vector(case["vector"].as_str().unwrap());
        let weights = SpatialWeights::build(
            index(),
            &units,
            weights_kind(case["weights"].as_str().unwrap()),
        );
        let star = case["star"].as_bool().unwrap();
        let ours = getis_ord(&values, &weights, star, PERMUTATIONS, SEED).unwrap();
        for (i, &u) in units.iter().enumerate() {
            let code = atlas().unit(u).adcode.to_string();
            let theirs = &case["values"][&code];
            let value = &ours.values[i];
            if weights.row(i).is_empty() {
                // esda's island: G and its moments 0, z undefined (NaN), and a spurious p_sim;
                // here no z and no p.
                assert_eq!(value.Zs, None, "{what} {code}");
                assert_eq!(value.p_sim, None);
                assert!(theirs["Zs"].is_null());
                continue;
            }
            close(value.Gs, &theirs["Gs"], &format!("{what} {code} Gs"));
            close(value.EGs, &theirs["EGs"], &format!("{what} {code} EGs"));
            close(value.VGs, &theirs["VGs"], &format!("{what} {code} VGs"));
            let zs = value.Zs.unwrap();
            let z_theirs = theirs["Zs"].as_f64().unwrap();
            assert!(
                (zs - z_theirs).abs() <= 1e-9 * z_theirs.abs() + 1e-9,
                "{what} {code} Zs {zs} against {z_theirs}"
            );
            close(
                value.p_norm.unwrap(),
                &theirs["p_norm"],
                &format!("{what} {code} p_norm"),
            );
            p_close(
                value.p_sim.unwrap(),
                theirs["p_sim"].as_f64().unwrap(),
                &format!("{what} {code}"),
            );
        }
    }
}

/// Each unit's group index under a fixture partition, with the labels sorted (as numpy.unique
/// sorts them).
fn partition(name: &str, units: &[UnitId]) -> (Vec<usize>, Vec<String>) {
    let by_code = reference()["partitions"][name].as_object().unwrap();
    let label = |u: &UnitId| {
        by_code[&atlas().unit(*u).adcode.to_string()]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut labels: Vec<String> = units.iter().map(label).collect();
    labels.sort();
    labels.dedup();
    let of_unit = units
        .iter()
        .map(|u| labels.binary_search(&label(u)).unwrap())
        .collect();
    (of_unit, labels)
}

#[test]
fn gini_and_theil_decompositions_are_inequalitys() {
    let population = vector("population").1;
    for (name, theirs) in reference()["inequality"].as_object().unwrap() {
        let (units, values) = vector(name);
        for (partition_name, parts) in theirs["theil_d"].as_object().unwrap() {
            let what = format!("{name} by {partition_name}");
            let (of_unit, labels) = partition(partition_name, &units);
            let ours = inequality(
                &values,
                None,
                Some((&of_unit, labels.len())),
                PERMUTATIONS,
                SEED,
            )
            .unwrap();
            assert_eq!(ours.n, theirs["n"].as_u64().unwrap() as usize);
            close(ours.gini, &theirs["gini"], &format!("{what} gini"));
            close(ours.theil, &theirs["theil"], &format!("{what} theil"));
            close(
                ours.between.unwrap(),
                &parts["bg"],
                &format!("{what} between"),
            );
            close(
                ours.within.unwrap(),
                &parts["wg"],
                &format!("{what} within"),
            );
            p_close(
                ours.between_p_sim.unwrap(),
                parts["bg_pvalue"].as_f64().unwrap(),
                &what,
            );
        }
        let Some(weighted) = theirs.get("weighted") else {
            continue;
        };
        let (all_units, _) = vector("population");
        let population: Vec<f64> = units
            .iter()
            .map(|u| population[all_units.binary_search(u).unwrap()])
            .collect();
        for (partition_name, parts) in weighted["theil_d"].as_object().unwrap() {
            let what = format!("{name} population-weighted by {partition_name}");
            let (of_unit, labels) = partition(partition_name, &units);
            let ours = inequality(
                &values,
                Some(&population),
                Some((&of_unit, labels.len())),
                0,
                SEED,
            )
            .unwrap();
            close(ours.theil, &weighted["T"], &format!("{what} T"));
            close(
                ours.between.unwrap(),
                &parts["between"],
                &format!("{what} between"),
            );
            close(
                ours.within.unwrap(),
                &parts["within"],
                &format!("{what} within"),
            );
            for (g, label) in labels.iter().enumerate() {
                let group = ours.groups[g].as_ref().unwrap();
                let theirs = &parts["groups"][label];
                close(group.share, &theirs["S"], &format!("{what} {label} S"));
                close(
                    group.weight_share,
                    &theirs["P"],
                    &format!("{what} {label} P"),
                );
                close(group.theil, &theirs["T"], &format!("{what} {label} T"));
            }
        }
    }
}

#[test]
fn population_centres_are_the_census_weighted_means_of_shapelys_centroids() {
    use county_atlas::analysis::centres::{CentreOf, DistanceTo, centre, distances};
    use county_atlas::atlas::EconomicRegion;
    let atlas = atlas();
    let points = reference()["points_km"].as_object().unwrap();
    let population = reference()["vectors"]["population"].as_object().unwrap();
    let mut centres = vec![CentreOf::Chengdu];
    centres.extend(EconomicRegion::ALL.map(CentreOf::Region));
    for of in centres {
        // Σ pᵢ·cᵢ / Σ pᵢ over the group's counties, from the fixture's numbers.
        let (mut x, mut y, mut total) = (0.0, 0.0, 0.0);
        for u in of.units(atlas) {
            let code = atlas.unit(u).adcode.to_string();
            let p = population[&code].as_f64().unwrap();
            x += p * points[&code][0].as_f64().unwrap();
            y += p * points[&code][1].as_f64().unwrap();
            total += p;
        }
        let ours = centre(atlas, of).expect("a centre");
        assert!(
            (ours[0] - x / total).abs() < 1e-6 && (ours[1] - y / total).abs() < 1e-6,
            "{}: {ours:?}",
            of.name().zh
        );
        // The centre lies in the group it is the centre of.
        let lonlat = atlas
            .projection()
            .inverse([ours[0] * 1000.0, ours[1] * 1000.0]);
        let holder = index().unit_at(lonlat).expect("inside Sichuan");
        assert!(of.units(atlas).contains(&holder), "{}", of.name().zh);
    }
    // Each county's distance is the straight line from its centroid to the centre.
    let to_chengdu = distances(atlas, DistanceTo::Chengdu);
    let to_region = distances(atlas, DistanceTo::OwnRegion);
    let chengdu = centre(atlas, CentreOf::Chengdu).unwrap();
    for u in atlas.units() {
        let [cx, cy] = index().centroid_km(u.id);
        let expected = (cx - chengdu[0]).hypot(cy - chengdu[1]);
        assert!((to_chengdu[u.id.index()].unwrap() - expected).abs() < 1e-9);
        let own = centre(atlas, CentreOf::Region(u.region)).unwrap();
        let expected = (cx - own[0]).hypot(cy - own[1]);
        assert!((to_region[u.id.index()].unwrap() - expected).abs() < 1e-9);
    }
    // 青羊区 lies at Chengdu's centre; 石渠县 is the farthest county from it.
    let qingyang = to_chengdu[unit("510105").index()].unwrap();
    let shiqu = to_chengdu[unit("513332").index()].unwrap();
    assert!(qingyang < 10.0, "{qingyang}");
    let farthest = to_chengdu.iter().flatten().copied().fold(0.0, f64::max);
    assert_eq!(shiqu, farthest);
}
