//! The two county series built in: night-time lights 2013–2020 and CO₂ 1997–2017, checked
//! against the committed tables row by row; per-resident rates only where a population of
//! the same year is built in; a profile shows a series at its latest year with its change.

use county_atlas::analysis::mapped::{MapError, MappedValues, Normalization};
use county_atlas::analysis::profile::CountyProfile;
use county_atlas::atlas::{Adcode, Measure};
use county_atlas::scene::Workspace;
use std::collections::BTreeMap;

/// `(adcode, year) → value` of a committed long table (adcode, name, year, value first; no
/// quoted field among them).
fn table(name: &str) -> BTreeMap<(u32, i32), f64> {
    let path = format!("{}/geodata/indicators/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the committed table");
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.splitn(5, ',').collect();
            (
                (
                    fields[0].parse().expect("adcode"),
                    fields[2].parse().expect("year"),
                ),
                fields[3].parse().expect("value"),
            )
        })
        .collect()
}

/// `id` holds exactly the rows of `file`, each value times `scale` (the layer's unit against
/// the table's), in `years`, `units` counties a year.
fn layer_matches_table(
    (id, file, scale): (&str, &str, f64),
    years: std::ops::RangeInclusive<i32>,
    units: usize,
) {
    let workspace = Workspace::builtin().expect("atlas");
    let atlas = &workspace.atlas;
    let layer = atlas.layer(id).expect("the layer is built in");
    assert_eq!(
        layer.years().collect::<Vec<_>>(),
        years.clone().collect::<Vec<_>>()
    );
    let rows = table(file);
    let mut seen = 0;
    for year in years {
        let with_value: Vec<_> = atlas
            .units()
            .iter()
            .filter_map(|u| Some((u.adcode.0, layer.value_for(u, year)?.value)))
            .collect();
        assert_eq!(with_value.len(), units, "{id} {year}");
        for (adcode, value) in with_value {
            let row = rows.get(&(adcode, year)).expect("a row") * scale;
            assert!(
                (value - row).abs() <= 1e-9 * row.abs(),
                "{id} {adcode} {year}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, rows.len(), "every row of {file} is a value of {id}");
    assert!(layer.caveat.is_some(), "{id} says what it is");
}

#[test]
fn night_lights_are_every_county_2013_to_2020() {
    layer_matches_table(
        ("night_lights", "county_night_lights_viirs.csv", 1.0),
        2013..=2020,
        183,
    );
    let workspace = Workspace::builtin().expect("atlas");
    let layer = workspace.atlas.layer("night_lights").expect("layer");
    assert_eq!(layer.measure, Measure::Rate);
    assert!(
        layer.name.zh.contains("代理"),
        "labelled a proxy: {}",
        layer.name.zh
    );
    assert!(
        layer.name.en.contains("proxy"),
        "labelled a proxy: {}",
        layer.name.en
    );
}

#[test]
fn co2_is_181_counties_1997_to_2017_without_qianfeng_and_enyang() {
    // The table's million tonnes, in tonnes.
    layer_matches_table(
        ("co2_emissions", "county_co2_ceads.csv", 1e6),
        1997..=2017,
        181,
    );
    let workspace = Workspace::builtin().expect("atlas");
    let atlas = &workspace.atlas;
    let layer = atlas.layer("co2_emissions").expect("layer");
    assert_eq!(layer.measure, Measure::Amount);
    for (adcode, name) in [(511603, "前锋区"), (511903, "恩阳区")] {
        let unit = atlas.unit_by_adcode(Adcode(adcode)).expect(name);
        assert!(layer.value_for(unit, 2017).is_none(), "{name} has no value");
    }
    let caveat = layer.caveat.as_ref().expect("caveat");
    for named in ["广安区", "巴州区", "前锋区", "恩阳区"] {
        assert!(
            caveat.zh.contains(named) && caveat.en.contains(named),
            "{named}"
        );
    }
}

#[test]
fn per_resident_rates_need_a_population_of_the_same_year() {
    let workspace = Workspace::builtin().expect("atlas");
    let atlas = &workspace.atlas;
    let co2 = atlas.layer("co2_emissions").expect("layer");
    match MappedValues::new(atlas, co2, Some(2017), Normalization::Population) {
        Err(MapError::NoPopulation { year, years, .. }) => {
            assert_eq!((year, years), (2017, vec![2020]));
        }
        other => panic!("CO₂ of 2017 per 2020 resident: {other:?}"),
    }
    // Per km² every year can be mapped: the boundaries' area does not depend on the year.
    let per_km2 = MappedValues::new(atlas, co2, Some(1997), Normalization::Area).expect("area");
    assert_eq!(per_km2.observations.len(), 181);
    // 2020's amounts still go per resident.
    let lights = atlas.layer("population").expect("population");
    let per_resident =
        MappedValues::new(atlas, lights, Some(2020), Normalization::Population).expect("2020");
    assert!(
        per_resident
            .per_unit
            .iter()
            .flatten()
            .all(|&v| (v - 10_000.0).abs() < 1e-6)
    );
}

#[test]
fn a_profile_shows_a_series_at_its_latest_year_with_the_years_beside_it() {
    let workspace = Workspace::builtin().expect("atlas");
    let atlas = &workspace.atlas;
    let shuangliu = atlas.unit_by_adcode(Adcode(510116)).expect("双流区");
    let profile = CountyProfile::build(atlas, workspace.index(), shuangliu.id);
    let lights: Vec<_> = profile
        .indicators
        .iter()
        .filter(|v| v.layer == "night_lights")
        .collect();
    assert_eq!(lights.len(), 1, "one line, not one per year");
    let rows = table("county_night_lights_viirs.csv");
    assert_eq!(lights[0].year, 2020);
    assert_eq!(lights[0].value, rows[&(510116, 2020)]);
    let series: Vec<(i32, f64)> = lights[0].series.iter().map(|v| (v.year, v.value)).collect();
    let expected: Vec<(i32, f64)> = (2013..=2020).map(|y| (y, rows[&(510116, y)])).collect();
    assert_eq!(series, expected);
    let line = county_atlas::analysis::series_line(lights[0], county_atlas::i18n::Lang::Zh)
        .expect("a series line");
    let change = (rows[&(510116, 2020)] / rows[&(510116, 2013)] - 1.0) * 100.0;
    assert!(line.starts_with("历年 2013–2020: 7.62 → 13.78"), "{line}");
    assert!(line.ends_with(&format!("({change:+.1}%)")), "{line}");
    // A layer of fewer years keeps a line per year (the census has one).
    assert!(
        profile
            .indicators
            .iter()
            .any(|v| v.layer == "population" && v.series.is_empty())
    );
}
