//! The built-in atlas: what it holds, that every value carries its source, and that bad data
//! files give errors naming the file, line and column.

mod common;

use common::{adcode, atlas, index};
use county_atlas::atlas::{Atlas, DesignationStatus, EconomicRegion, Level, LoadError, Target};
use std::path::{Path, PathBuf};

#[test]
fn units_prefectures_and_regions() {
    let atlas = atlas();
    assert_eq!(atlas.units().len(), 183);
    assert_eq!(atlas.prefectures().len(), 21);
    let per_region: Vec<usize> = EconomicRegion::ALL
        .iter()
        .map(|r| {
            atlas
                .prefectures()
                .iter()
                .filter(|p| p.region == *r)
                .count()
        })
        .collect();
    assert_eq!(per_region, [8, 4, 5, 2, 2]);
    assert!(
        atlas.units().windows(2).all(|w| w[0].adcode < w[1].adcode),
        "units are in adcode order"
    );
    let huili = atlas.unit_by_adcode(adcode("513402")).unwrap();
    assert_eq!(huili.name, "会理市");
    assert_eq!(atlas.prefecture_of(huili).name, "凉山彝族自治州");
    assert_eq!(huili.region, EconomicRegion::PanxiRegion);
    let chengdu_units = &atlas
        .prefectures()
        .iter()
        .find(|p| p.name == "成都市")
        .unwrap()
        .units;
    assert_eq!(chengdu_units.len(), 20);
}

#[test]
fn census_covers_every_county_and_sums_to_the_published_total() {
    let atlas = atlas();
    let population = atlas.layer("population").unwrap();
    let values: Vec<f64> = atlas
        .units()
        .iter()
        .map(|u| population.value_for(u, 2020).unwrap().value)
        .collect();
    // The provincial census total 83,674,866 minus the three separately enumerated
    // development zones (87,914 + 45,463 + 67,504), which belong to no county.
    assert_eq!(
        values.iter().sum::<f64>(),
        83_674_866.0 - 87_914.0 - 45_463.0 - 67_504.0
    );
    let jinjiang = atlas.unit_by_adcode(adcode("510104")).unwrap();
    assert_eq!(
        population.value_for(jinjiang, 2020).unwrap().value,
        902_933.0
    );
    let urban = atlas.layer("urbanization_rate").unwrap();
    assert_eq!(urban.value_for(jinjiang, 2020).unwrap().value, 100.0);
}

#[test]
fn every_value_has_a_source_and_computed_layers_say_so() {
    let atlas = atlas();
    for layer in atlas.layers() {
        for values in layer.values.values() {
            for observation in values.iter().flatten() {
                assert!(
                    !atlas.source(observation.source).trim().is_empty(),
                    "{}",
                    layer.id
                );
            }
        }
    }
    let density = atlas.layer("population_density").unwrap();
    assert!(density.computed);
    let jinjiang = atlas.unit_by_adcode(adcode("510104")).unwrap();
    let value = density.value_for(jinjiang, 2020).unwrap();
    assert!((value.value - 902_933.0 / jinjiang.area_km2).abs() < 1e-9);
    let source = atlas.source(value.source);
    assert!(source.starts_with("county-atlas 计算"), "{source}");
    assert!(source.contains("computed by county-atlas"), "{source}");
    assert!(
        atlas.document(value.source).is_none(),
        "a computed value cites the computation, not the census"
    );
    for designation in atlas.designations() {
        assert!(
            !designation.members.is_empty(),
            "{} has members",
            designation.id
        );
        for member in &designation.members {
            assert!(!atlas.source(member.source).trim().is_empty());
        }
    }
}

#[test]
fn prefecture_layers_give_counties_their_prefectures_value() {
    let atlas = atlas();
    let rd = atlas.layer("rd_intensity").unwrap();
    assert_eq!(rd.level, Level::Prefecture);
    let pidu = atlas.unit_by_adcode(adcode("510117")).unwrap();
    assert_eq!(rd.value_for(pidu, 2018).unwrap().value, 2.56);
    assert_eq!(rd.province[&2018].value, 1.81);
    let ganzi_county = atlas.unit_by_adcode(adcode("513301")).unwrap();
    assert!(
        rd.value_for(ganzi_county, 2018).is_none(),
        "甘孜 has no 2018 value: no data, not zero"
    );
    let expenditure = atlas.layer("rd_expenditure").unwrap();
    let aba = atlas
        .prefectures()
        .iter()
        .find(|p| p.name.starts_with("阿坝"))
        .unwrap();
    assert_eq!(
        expenditure.prefecture_value(aba.id, 2018).unwrap().value,
        1.0
    );
    assert!(
        rd.prefecture_value(aba.id, 2018).is_none(),
        "阿坝 has an amount but no intensity"
    );
}

#[test]
fn designation_lists_have_their_published_sizes() {
    let atlas = atlas();
    let count = |id: &str| atlas.designation(id).unwrap().members.len();
    assert_eq!(count("innovative_county"), 3);
    assert_eq!(count("ip_pilot_county"), 21);
    assert_eq!(count("deep_poverty_45"), 45);
    assert_eq!(count("rural_revitalization_88"), 88);
    assert_eq!(count("poverty_68"), 68);
    assert_eq!(count("ethnic_remote_119"), 119);
    assert_eq!(count("hardship_area"), 77);
    assert_eq!(count("hightech_zone_national"), 8);
    assert_eq!(
        atlas.designation("eco_demo_candidate").unwrap().status,
        DesignationStatus::Candidate
    );
    let bazhong = atlas
        .prefectures()
        .iter()
        .find(|p| p.name == "巴中市")
        .unwrap()
        .id;
    assert!(
        atlas
            .designation("eco_demo")
            .unwrap()
            .members
            .iter()
            .any(|m| m.target == Target::Prefecture(bazhong))
    );
    // 会理 appears in the tables under its pre-2021 code 513425 and joins to 会理市.
    let huili = atlas.unit_by_adcode(adcode("513402")).unwrap().id;
    assert!(
        atlas
            .designation("deep_poverty_45")
            .is_some_and(|d| d.for_unit(huili).count() == 0)
    );
    assert!(
        atlas
            .designation("rural_revitalization_88")
            .unwrap()
            .for_unit(huili)
            .count()
            + atlas
                .designation("ethnic_remote_119")
                .unwrap()
                .for_unit(huili)
                .count()
            > 0
    );
}

#[test]
fn point_features_fall_in_the_county_the_source_names() {
    let atlas = atlas();
    let mut placed = 0;
    for layer in atlas.point_layers() {
        for feature in &layer.features {
            if let Some(position) = feature.position {
                assert_eq!(index().unit_at(position), feature.unit, "{}", feature.name);
                placed += 1;
            } else {
                assert!(
                    feature.prefecture.is_some(),
                    "{} is at least placed in a prefecture",
                    feature.name
                );
            }
        }
    }
    assert_eq!(placed, 14);
}

#[test]
fn the_folder_and_the_embedded_copy_are_the_same_data() {
    let from_dir = Atlas::load_dir(&geodata()).unwrap();
    let embedded = atlas();
    assert_eq!(from_dir.units().len(), embedded.units().len());
    for (a, b) in from_dir.units().iter().zip(embedded.units()) {
        assert_eq!(
            (a.adcode, &a.name, &a.geometry),
            (b.adcode, &b.name, &b.geometry)
        );
    }
}

fn geodata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata")
}

/// A copy of geodata/ in a temporary folder, with one file replaced.
fn broken_copy(
    file: &str,
    edit: impl FnOnce(Vec<u8>) -> Vec<u8>,
) -> (tempfile::TempDir, LoadError) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&geodata(), dir.path());
    let path = dir.path().join(file);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, edit(bytes)).unwrap();
    let error = Atlas::load_dir(dir.path()).unwrap_err();
    (dir, error)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn replace(bytes: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    String::from_utf8(bytes)
        .unwrap()
        .replacen(from, to, 1)
        .into_bytes()
}

#[test]
fn a_bad_number_names_file_line_and_column() {
    let (_dir, error) = broken_copy("indicators/county_census2020.csv", |b| {
        replace(b, ",902933,", ",9O2933,")
    });
    assert_eq!(
        error.to_string(),
        "indicators/county_census2020.csv:2: column 'population_2020_census': '9O2933' is not a number; write a plain decimal such as 12.5"
    );
}

#[test]
fn an_unknown_adcode_names_the_row() {
    let (_dir, error) = broken_copy("indicators/county_gdp_partial.csv", |b| {
        replace(b, "510521,泸县", "519999,泸县")
    });
    let message = error.to_string();
    assert!(message.starts_with("indicators/county_gdp_partial.csv:2: column 'adcode': adcode 519999 is not one of the 183"), "{message}");
}

#[test]
fn a_missing_column_lists_the_header() {
    let (_dir, error) = broken_copy("indicators/rd_intensity.csv", |b| {
        replace(b, "rd_intensity_pct_gdp", "intensity")
    });
    let message = error.to_string();
    assert!(message.starts_with("indicators/rd_intensity.csv:1: no column named 'rd_intensity_pct_gdp'; the header has: adcode, name"), "{message}");
}

#[test]
fn an_unknown_designation_says_where_to_add_it() {
    let (_dir, error) = broken_copy("indicators/county_eco_designations.csv", |b| {
        replace(b, "四川省省级生态县", "某某新称号")
    });
    let message = error.to_string();
    assert!(
        message.contains("'某某新称号' is not a designation the atlas knows"),
        "{message}"
    );
    assert!(
        message.starts_with("indicators/county_eco_designations.csv:"),
        "{message}"
    );
}

#[test]
fn a_truncated_boundary_file_is_reported_not_panicked_on() {
    let (_dir, error) = broken_copy("sichuan_counties.cageo", |mut b| {
        b.truncate(b.len() / 2);
        b
    });
    let message = error.to_string();
    assert!(
        message.starts_with("sichuan_counties.cageo: the file is cut off at byte"),
        "{message}"
    );
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let message = Atlas::load_dir(dir.path()).unwrap_err().to_string();
    assert!(
        message.contains("prefecture_economic_regions.csv: cannot read the file"),
        "{message}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported_with_its_line() {
    let (_dir, error) = broken_copy("indicators/hightech_zones.csv", |mut b| {
        let second_line = b.iter().position(|&c| c == b'\n').unwrap() + 1;
        b[second_line + 2] = 0xFF;
        b
    });
    assert_eq!(
        error.to_string(),
        "indicators/hightech_zones.csv:2: the file is not UTF-8; save it as UTF-8"
    );
}

#[test]
fn the_stored_topology_is_the_one_the_boundaries_give() {
    use county_atlas::scene::topology::Topology;
    use geo::MultiPolygon;
    let atlas = common::atlas();
    let geographic: Vec<&MultiPolygon<f64>> = atlas.units().iter().map(|u| &u.geometry).collect();
    let projected: Vec<&MultiPolygon<f64>> = atlas.units().iter().map(|u| &u.projected).collect();
    let bytes = atlas
        .stored_topology()
        .expect("geodata/topology.bin is embedded");
    let stored = Topology::from_bytes(bytes, &geographic, &projected)
        .expect("topology.bin was made from other boundaries: run build-geodata");
    assert_eq!(stored, Topology::build(&geographic, &projected));
}
