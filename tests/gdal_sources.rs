//! What GDAL reads (the `gdal` feature): Shapefiles in GBK without a .cpg and in UTF-8 with
//! one, a GeoPackage, KML (the committed fixtures of `scripts/fixtures/gdal_sources.py`), and a
//! real PostGIS server that `scripts/test` starts on loopback: a table read as a county table,
//! points counted here and on the server.
#![cfg(feature = "gdal")]

mod common;

use common::{adcode, atlas, fixture, index};
use county_atlas::crs::Crs;
use county_atlas::io::county_table::{Numbering, TableOptions, read_county_table};
use county_atlas::io::gdal_source::read_points;
use county_atlas::io::postgis_count::count_on_server;
use county_atlas::io::text::TextEncoding;

fn firms_of(path: &std::path::Path, options: &TableOptions) -> Vec<(String, Option<f64>)> {
    let read = read_county_table(path, atlas(), options).unwrap_or_else(|e| panic!("{e}"));
    let layer = read.layer_for_column("企业数").expect("the 企业数 column");
    ["510104", "510117", "513402", "511504"]
        .iter()
        .map(|code| {
            let unit = atlas().unit_by_adcode(adcode(code)).unwrap();
            (code.to_string(), layer.value_for(unit, 0).map(|o| o.value))
        })
        .collect()
}

fn expected() -> Vec<(String, Option<f64>)> {
    [
        ("510104", 12.0),
        ("510117", 7.0),
        ("513402", 3.0),
        ("511504", 5.0),
    ]
    .iter()
    .map(|(c, v)| (c.to_string(), Some(*v)))
    .collect()
}

#[test]
fn a_gbk_shapefile_without_a_cpg_file_reads_its_chinese_names() {
    let path = fixture("gdal/county_gbk.shp");
    // Keyed by the GBK name column: wrong decoding would find no column '名称' at all.
    let options = TableOptions {
        key_column: Some("名称".into()),
        ..TableOptions::default()
    };
    assert_eq!(firms_of(&path, &options), expected());
    let read = read_county_table(&path, atlas(), &options).unwrap();
    assert_eq!(read.report.numbering, Numbering::Feature);
    assert!(read.report.encoding.contains("ESRI Shapefile"));
    assert!(
        read.report
            .notes
            .iter()
            .any(|n| n.message.contains("GB18030") && n.message.contains("no .cpg")),
        "{:?}",
        read.report.notes
    );
    // Told the wrong encoding, the bytes that are no UTF-8 are named, feature by feature.
    let forced = TableOptions {
        encoding: Some(TextEncoding::Utf8),
        ..TableOptions::default()
    };
    let read = read_county_table(&path, atlas(), &forced).unwrap();
    assert!(
        read.report
            .notes
            .iter()
            .any(|n| n.message.contains("features 1, 2, 3, 4")),
        "{:?}",
        read.report.notes
    );
}

#[test]
fn shapefile_geopackage_kml_and_geojson_give_the_same_table() {
    let options = TableOptions {
        key_column: Some("名称".into()),
        ..TableOptions::default()
    };
    for name in [
        "county_utf8.shp",
        "county.gpkg",
        "county.kml",
        "county.geojson",
    ] {
        let path = fixture(&format!("gdal/{name}"));
        assert_eq!(firms_of(&path, &options), expected(), "{name}");
    }
}

#[test]
fn points_of_a_gdal_layer_fall_in_their_counties() {
    let points = read_points(
        fixture("gdal/county.gpkg").to_str().unwrap(),
        None,
        Crs::Wgs84,
    )
    .unwrap();
    assert_eq!(points.points.len(), 4);
    assert_eq!(points.srs.as_deref(), Some("EPSG:4326"));
    let counts = index().count(&points.points);
    for code in ["510104", "510117", "513402", "511504"] {
        let unit = atlas().unit_by_adcode(adcode(code)).unwrap();
        assert_eq!(counts.per_unit[unit.id.index()], 1, "{code}");
    }
}

/// The server `scripts/test` starts.
fn server() -> String {
    std::env::var("COUNTY_ATLAS_TEST_PG").expect(
        "COUNTY_ATLAS_TEST_PG is not set: run scripts/test, which starts a PostgreSQL server with PostGIS on loopback",
    )
}

/// Runs SQL on the test server through GDAL.
fn sql(statements: &[&str]) {
    let dataset = gdal::Dataset::open_ex(
        server(),
        gdal::DatasetOptions {
            open_flags: gdal::GdalOpenFlags::GDAL_OF_VECTOR | gdal::GdalOpenFlags::GDAL_OF_UPDATE,
            ..Default::default()
        },
    )
    .expect("the test server");
    for statement in statements {
        dataset
            .execute_sql(statement, None, gdal::vector::sql::Dialect::DEFAULT)
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

#[test]
fn a_postgis_table_is_read_as_a_county_table_and_points_are_counted_on_the_server() {
    sql(&[
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "DROP TABLE IF EXISTS atlas_county_values",
        "CREATE TABLE atlas_county_values (id serial PRIMARY KEY, adcode text, 名称 text, 企业数 integer, geom geometry(Point, 4326))",
        "INSERT INTO atlas_county_values (adcode, 名称, 企业数, geom) VALUES \
         ('510104', '锦江区', 12, ST_SetSRID(ST_MakePoint(104.0657, 30.6595), 4326)), \
         (NULL, '郫县', 7, ST_SetSRID(ST_MakePoint(103.9, 30.8), 4326)), \
         ('513425', '会理县', 3, ST_SetSRID(ST_MakePoint(102.25, 26.65), 4326)), \
         ('511504', '叙州区', 5, ST_SetSRID(ST_MakePoint(104.64, 28.77), 4326))",
        // 20,000 seeded points over Sichuan's bounding box, with a GiST index.
        "DROP TABLE IF EXISTS atlas_firms",
        "CREATE TABLE atlas_firms (id serial PRIMARY KEY, geom geometry(Point, 4326))",
        "SELECT setseed(0.42)",
        "INSERT INTO atlas_firms (geom) SELECT ST_SetSRID(ST_MakePoint(97.35 + random() * 11.2, 26.05 + random() * 8.3), 4326) FROM generate_series(1, 20000)",
        "CREATE INDEX ON atlas_firms USING GIST (geom)",
    ]);
    let connection = server();
    // The table's attributes as a county table: the code where there is one, the old name
    // (郫县) where not, the old code 513425 through the code history.
    let options = TableOptions {
        table: Some("atlas_county_values".into()),
        ..TableOptions::default()
    };
    assert_eq!(firms_of(connection.as_ref(), &options), expected());

    // The same points counted here (read through GDAL) and on the server.
    let points = read_points(&connection, Some("atlas_firms"), Crs::Wgs84).unwrap();
    assert_eq!(points.points.len(), 20_000);
    let here = index().count(&points.points);
    let there = count_on_server(&connection, "atlas_firms", atlas(), Crs::Wgs84).unwrap();
    assert_eq!(there.total, 20_000);
    assert_eq!(there.geometry_column, "geom");
    assert_eq!(there.srid, 4326);
    assert_eq!(there.per_unit, here.per_unit);
    assert_eq!(there.outside, here.outside);
    // Sichuan fills about half of its bounding box.
    let inside = there.per_unit.iter().sum::<u64>();
    assert!((8_000..12_000).contains(&inside), "{inside}");
}

#[test]
fn join_counts_gdal_points_here_and_on_the_server_alike() {
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_county-atlas"))
            .args(args)
            .env_remove("COUNTY_ATLAS_LANG")
            .output()
            .expect("the binary runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (counts, log) = run(&["join", fixture("gdal/county.gpkg").to_str().unwrap()]);
    assert!(counts.contains("510117,郫都区,1\n"), "{counts}");
    assert!(log.contains("4 个点已读取"), "{log}");
    sql(&[
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "DROP TABLE IF EXISTS atlas_join_points",
        "CREATE TABLE atlas_join_points (id serial PRIMARY KEY, geom geometry(Point, 4326))",
        "SELECT setseed(0.7)",
        "INSERT INTO atlas_join_points (geom) SELECT ST_SetSRID(ST_MakePoint(102 + random() * 4, 28 + random() * 4), 4326) FROM generate_series(1, 5000)",
    ]);
    let connection = server();
    let here = run(&["join", &connection, "--table", "atlas_join_points"]).0;
    let (there, log) = run(&[
        "join",
        &connection,
        "--table",
        "atlas_join_points",
        "--on-server",
    ]);
    assert_eq!(here, there);
    assert!(log.contains("5000 个点在服务器上计数"), "{log}");
    assert!(!log.contains("password"), "no password in messages");
}
