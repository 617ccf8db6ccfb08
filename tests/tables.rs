//! A user's county table read from a workbook (the committed fixture made by
//! `scripts/fixtures/workbooks.py`), and inputs that are no table at all.

mod common;

use common::{adcode, atlas, fixture};
use county_atlas::io::county_table::{TableError, TableOptions, read_county_table};

fn options(sheet: Option<&str>) -> TableOptions {
    TableOptions {
        columns: vec!["R&D经费".into()],
        sheet: sheet.map(str::to_owned),
        ..TableOptions::default()
    }
}

#[test]
fn a_workbook_sheet_is_read_from_its_header_with_sheet_row_numbers() {
    let path = fixture("tables/county_values.xlsx");
    let read = read_county_table(&path, atlas(), &options(Some("2022年"))).unwrap();
    assert_eq!(read.report.sheet.as_deref(), Some("2022年"));
    let layer = read.layer_for_column("R&D经费").unwrap();
    let value = |code: &str| {
        let unit = atlas().unit_by_adcode(adcode(code)).unwrap();
        layer.value_for(unit, 0).map(|o| o.value)
    };
    // An adcode stored as the number 510104.0, a former name (郫县) where the code is blank,
    // "12%", a code typed as text.
    assert_eq!(value("510104"), Some(123_456.5));
    assert_eq!(value("510117"), Some(4_321.0));
    assert_eq!(value("510106"), Some(12.0));
    assert_eq!(value("510113"), Some(77.0));
    // An empty cell and "—" are no data, not errors; a date is refused on its sheet row.
    assert_eq!(value("510107"), None);
    assert_eq!(value("510112"), None);
    assert_eq!(read.report.coverage.n, 4);
    assert_eq!(read.report.matched, 7, "rows whose key matched");
    let errors = &read.report.errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, 7, "the sheet's row, title row counted");
    assert!(errors[0].message.contains("date"));
    assert_eq!(errors[0].column.as_deref(), Some("R&D经费"));
}

#[test]
fn the_wrong_sheet_is_named_with_the_sheets_there_are() {
    let path = fixture("tables/county_values.xlsx");
    let error = read_county_table(&path, atlas(), &options(Some("2021年"))).unwrap_err();
    assert!(matches!(error, TableError::Workbook { .. }));
    let message = error.to_string();
    assert!(
        message.contains("说明") && message.contains("2022年"),
        "{message}"
    );
    // The first sheet is a note without a header: with no sheet named it is passed over, said
    // so, and the sheet behind it read; the report lists both for a picker.
    let read = read_county_table(&path, atlas(), &options(None)).unwrap();
    assert_eq!(read.report.sheet.as_deref(), Some("2022年"));
    assert_eq!(read.report.sheets, ["说明", "2022年"]);
    assert_eq!(read.report.coverage.n, 4);
    assert!(
        read.report.notes.iter().any(|n| n
            .message
            .contains("sheet '说明' has no header and was passed over")),
        "{:?}",
        read.report.notes
    );
    // Named, the note sheet is refused for what it is.
    let error = read_county_table(&path, atlas(), &options(Some("说明"))).unwrap_err();
    assert!(error.to_string().contains("has no header"), "{error}");
}

#[test]
fn inputs_that_are_no_table_are_refused_without_hanging() {
    for path in ["/dev/zero", "/dev/urandom"] {
        let error = read_county_table(path.as_ref(), atlas(), &options(None)).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("values.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    assert!(read_county_table(&fifo, atlas(), &options(None)).is_err());
    let geojson = dir.path().join("counties.csv");
    std::fs::write(&geojson, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let error = read_county_table(&geojson, atlas(), &options(None)).unwrap_err();
    assert!(error.to_string().contains("GeoJSON"), "{error}");
}

fn read_all(name: &str) -> county_atlas::io::county_table::CountyTable {
    read_county_table(
        &fixture(&format!("tables/{name}")),
        atlas(),
        &TableOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn value(layer: &county_atlas::atlas::Layer, code: &str, year: i32) -> Option<f64> {
    let unit = atlas().unit_by_adcode(adcode(code)).unwrap();
    layer.value_for(unit, year).map(|o| o.value)
}

#[test]
fn a_wide_gbk_table_with_a_title_line_and_a_unit_row() {
    let read = read_all("county_wide_gbk.csv");
    let report = &read.report;
    assert_eq!(report.encoding, "GB18030");
    // Two indicators: R&D经费 over two years from the headers, 企业数 with the unit of its header.
    let rd = read.layer_for_column("R&D经费").unwrap();
    assert_eq!(rd.years().collect::<Vec<_>>(), vec![2019, 2020]);
    assert_eq!(rd.unit.zh, "万元", "from the unit row");
    assert_eq!(
        value(rd, "510104", 2019),
        Some(1234.5),
        "510104.0, \"1,234.5\""
    );
    assert_eq!(value(rd, "510107", 2020), Some(950.0), "5.10107E+05");
    assert_eq!(
        value(rd, "510117", 2019),
        Some(800.0),
        "郫县 where the code is blank"
    );
    assert_eq!(value(rd, "510117", 2020), None, "— is no data");
    assert_eq!(value(rd, "513402", 2020), Some(11.0), "会理县's old code");
    let firms = read.layer_for_column("企业数（个）").unwrap();
    assert_eq!(firms.unit.zh, "个");
    assert_eq!(firms.measure, county_atlas::atlas::Measure::Amount);
    // The title line is passed over; lines keep the file's numbering.
    assert_eq!(report.unmatched.len(), 1);
    assert_eq!(report.unmatched[0].line, 8);
    assert_eq!(report.unmatched[0].text, "不存在县");
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 9);
    assert_eq!(report.errors[0].column.as_deref(), Some("R&D经费2019"));
    assert!(report.errors[0].message.contains("thousands separator"));
    assert_eq!(report.coverage.n, 5);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.line == Some(3) && n.message.contains("units"))
    );
}

#[test]
fn a_long_table_with_old_codes_divided_areas_and_bad_cells() {
    let read = read_all("county_long_old_codes.csv");
    let report = &read.report;
    assert_eq!(report.year_column.as_deref(), Some("年份"));
    let firms = &read.layers[0];
    assert_eq!(read.layers.len(), 1, "the year column is no indicator");
    assert_eq!(value(firms, "510117", 2015), Some(12.0), "郫县 510124");
    assert_eq!(
        value(firms, "510185", 2015),
        Some(20.0),
        "简阳市 under 资阳 (512081)"
    );
    assert_eq!(value(firms, "513402", 2020), Some(9.0), "会理县 513425");
    assert_eq!(value(firms, "511602", 2014), Some(42.0));
    assert_eq!(
        value(firms, "511602", 2012),
        None,
        "广安区 before 前锋区 split off"
    );
    assert_eq!(value(firms, "511504", 2017), None, "宜宾县 was divided");
    assert_eq!(value(firms, "510106", 2015), None, "a negative count");
    let by_line: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.message.as_str()))
        .collect();
    let lines: Vec<u64> = by_line.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![3, 4, 8, 9, 10], "{by_line:?}");
    assert!(by_line[0].1.contains("翠屏区") && by_line[0].1.contains("叙州区"));
    assert!(by_line[1].1.contains("前锋区"));
    assert!(
        by_line[2].1.contains("line 2"),
        "the duplicate names the first"
    );
    assert!(by_line[3].1.contains("not a year"));
    assert!(by_line[4].1.contains("negative"));
}

#[test]
fn encodings_bad_bytes_and_unclosed_quotes() {
    let read = read_all("county_utf16.txt");
    assert_eq!(read.report.encoding, "UTF-16LE");
    assert_eq!(value(&read.layers[0], "510117", 0), Some(139.5));
    // One bad byte leaves the file UTF-8 (not GB18030 mojibake) and names its line.
    let read = read_all("county_bad_byte.csv");
    assert_eq!(read.report.encoding, "UTF-8");
    assert_eq!(value(&read.layers[0], "510117", 0), Some(3.0));
    assert_eq!(read.report.unmatched[0].line, 3);
    assert_eq!(
        read.report.unmatched[0].suggestions[0],
        "锦江区 (510104, 成都市)"
    );
    assert!(read.report.notes.iter().any(|n| n.line == Some(3)));
    let error = read_county_table(
        &fixture("tables/county_unclosed_quote.csv"),
        atlas(),
        &TableOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(error, TableError::UnclosedQuote { line: 3, .. }),
        "{error}"
    );
}

#[test]
fn unknown_keys_are_counted_and_listed_up_to_a_cap() {
    use county_atlas::io::county_table::MAX_LISTED;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut text = String::from("name,value\n");
    for i in 0..20_000 {
        text.push_str(&format!("无此县{},{i}\n", i % 5000));
    }
    text.push_str("郫都区,1\n");
    std::fs::write(&path, text).unwrap();
    let read = read_county_table(&path, atlas(), &TableOptions::default()).unwrap();
    assert_eq!(read.report.unmatched_count, 20_000);
    assert_eq!(read.report.unmatched.len(), MAX_LISTED);
    assert_eq!(read.report.unmatched[0].text, "无此县0");
    assert_eq!(read.report.coverage.n, 1);
    // (The speed of 5,000,000 unknown keys is measured in benches/tables.rs.)
}

#[test]
fn a_geojson_files_properties_are_a_table_without_gdal() {
    let read = read_county_table(
        &fixture("gdal/county.geojson"),
        atlas(),
        &TableOptions::default(),
    )
    .unwrap();
    assert_eq!(read.report.encoding, "GeoJSON");
    assert_eq!(
        read.report.numbering,
        county_atlas::io::county_table::Numbering::Feature
    );
    let firms = read.layer_for_column("企业数").unwrap();
    assert_eq!(value(firms, "510117", 0), Some(7.0));
    assert_eq!(read.report.coverage.n, 4);
    // A broken GeoJSON says so in one line, not the file.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.geojson");
    let mut text = String::from(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":"#,
    );
    text.push_str(&"[".repeat(50_000));
    std::fs::write(&broken, text).unwrap();
    let error = read_county_table(&broken, atlas(), &TableOptions::default()).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, TableError::GeoJson { .. }), "{message}");
    assert!(message.len() < 600, "{} bytes", message.len());
}

#[test]
fn a_sidecar_file_says_what_the_data_is_and_where_it_is_from() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("rd.csv");
    std::fs::write(&table, "adcode,R&D经费\n510104,1200\n510117,800\n").unwrap();
    std::fs::write(
        dir.path().join("rd.csv.atlas.toml"),
        r#"
[source]
document = "《2020年四川省科技经费投入统计公报》"
issuer = "四川省统计局"
year = 2021
address = "https://tjj.sc.gov.cn/example"

[[layer]]
column = "R&D经费"
name = "R&D经费内部支出"
name_en = "Internal R&D expenditure"
unit = "万元"
unit_en = "10,000 yuan"
measure = "amount"
year = 2020

[[layer]]
column = "不存在的列"
"#,
    )
    .unwrap();
    let read = read_county_table(&table, atlas(), &TableOptions::default()).unwrap();
    let layer = &read.layers[0];
    assert_eq!(layer.id, "user:R&D经费", "the id stays the table's");
    assert_eq!(layer.name.zh, "R&D经费内部支出");
    assert_eq!(layer.name.en, "Internal R&D expenditure");
    assert_eq!(layer.unit.en, "10,000 yuan");
    assert_eq!(layer.measure, county_atlas::atlas::Measure::Amount);
    assert_eq!(
        value(layer, "510104", 2020),
        Some(1200.0),
        "the sidecar's year"
    );
    let citation = layer.citation.as_ref().unwrap();
    let document = citation.document.as_ref().unwrap();
    assert_eq!(
        document.cite(),
        "《2020年四川省科技经费投入统计公报》(四川省统计局, 2021)"
    );
    assert_eq!(
        citation.address.as_deref(),
        Some("https://tjj.sc.gov.cn/example")
    );
    assert_eq!(read.report.layers[0].years[0].year, 2020);
    assert!(
        read.report
            .notes
            .iter()
            .any(|n| n.message.contains("不存在的列"))
    );
    // A malformed sidecar stops the read with its line, loading nothing.
    std::fs::write(
        dir.path().join("rd.csv.atlas.toml"),
        "[source]\ndocument = 公报\n",
    )
    .unwrap();
    let error = read_county_table(&table, atlas(), &TableOptions::default()).unwrap_err();
    assert!(error.to_string().contains("rd.csv.atlas.toml:2"), "{error}");
}

#[test]
fn a_project_round_trips_its_layers_and_refuses_what_it_cannot_read() {
    use county_atlas::io::project::{self, Project, ProjectError, StoredLayer};
    let read = read_all("county_wide_gbk.csv");
    let stored: Vec<StoredLayer> = read
        .layers
        .iter()
        .map(|l| StoredLayer::from_layer(l, atlas()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.json");
    let view = serde_json::json!({"any": "view"});
    project::save(
        &path,
        &Project {
            version: project::VERSION,
            layers: stored.clone(),
            points: Vec::new(),
            index: None,
            view: view.clone(),
        },
    )
    .unwrap();
    let (opened, layers) = project::open::<serde_json::Value>(&path, atlas()).unwrap();
    assert_eq!(opened.view, view);
    assert_eq!(opened.layers, stored);
    assert_eq!(layers[0].values, read.layers[0].values);
    assert_eq!(layers[1].measure, read.layers[1].measure);
    // A later version, damage and an unknown county are each named.
    std::fs::write(&path, r#"{"version": 99, "layers": [], "view": null}"#).unwrap();
    assert!(matches!(
        project::open::<serde_json::Value>(&path, atlas()),
        Err(ProjectError::Version { found: 99, .. })
    ));
    std::fs::write(&path, "{\"version\": 1,\n\"layers\": 7}").unwrap();
    let error = project::open::<serde_json::Value>(&path, atlas()).unwrap_err();
    assert!(error.to_string().contains("p.json:2"), "{error}");
    let mut unknown = stored[0].clone();
    unknown
        .values
        .insert(2020, vec![(county_atlas::atlas::Adcode(999_999), 1.0)]);
    project::save(
        &path,
        &Project {
            version: project::VERSION,
            layers: vec![unknown],
            points: Vec::new(),
            index: None,
            view: view.clone(),
        },
    )
    .unwrap();
    assert!(matches!(
        project::open::<serde_json::Value>(&path, atlas()),
        Err(ProjectError::UnknownUnit { .. })
    ));
}

#[test]
fn a_list_without_numbers_is_counted_per_county() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("星创天地.csv");
    std::fs::write(
        &path,
        "名称,县区\n甲,郫都区\n乙,郫县\n丙,锦江区\n丁,无此县\n",
    )
    .unwrap();
    let read = read_county_table(&path, atlas(), &TableOptions::default()).unwrap();
    assert_eq!(read.layers.len(), 1);
    let layer = &read.layers[0];
    assert_eq!(layer.name.zh, "星创天地(条目数)");
    assert_eq!(layer.measure, county_atlas::atlas::Measure::Amount);
    assert_eq!(
        value(layer, "510117", 0),
        Some(2.0),
        "郫都区 and 郫县 are one county"
    );
    assert_eq!(value(layer, "510104", 0), Some(1.0));
    assert_eq!(
        value(layer, "510105", 0),
        Some(0.0),
        "not in the list: none"
    );
    assert_eq!(read.report.unmatched[0].line, 5);
    assert_eq!(read.report.coverage.n, 2);
}
