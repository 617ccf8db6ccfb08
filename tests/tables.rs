//! A user's county table read from a workbook (the committed fixture made by
//! `scripts/fixtures/workbooks.py`), and inputs that are no table at all.

mod common;

use common::{adcode, atlas, fixture};
use county_atlas::io::values_csv::{ValuesCsvError, ValuesCsvOptions, read_values_csv};

fn options(sheet: Option<&str>) -> ValuesCsvOptions {
    ValuesCsvOptions {
        column: "R&D经费".into(),
        sheet: sheet.map(str::to_owned),
        ..ValuesCsvOptions::default()
    }
}

#[test]
fn a_workbook_sheet_is_read_from_its_header_with_sheet_row_numbers() {
    let path = fixture("tables/county_values.xlsx");
    let read = read_values_csv(&path, atlas(), &options(Some("2022年"))).unwrap();
    assert_eq!(read.sheet.as_deref(), Some("2022年"));
    let value = |code: &str| {
        let unit = atlas().unit_by_adcode(adcode(code)).unwrap();
        read.layer.value_for(unit, 0).map(|o| o.value)
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
    assert_eq!(read.matched, 4);
    assert_eq!(read.skipped.len(), 1, "{:?}", read.skipped);
    assert_eq!(
        read.skipped[0].line, 7,
        "the sheet's row, title row counted"
    );
    assert!(read.skipped[0].reason.contains("date"));
}

#[test]
fn the_wrong_sheet_is_named_with_the_sheets_there_are() {
    let path = fixture("tables/county_values.xlsx");
    let error = read_values_csv(&path, atlas(), &options(Some("2021年"))).unwrap_err();
    assert!(matches!(error, ValuesCsvError::Workbook { .. }));
    let message = error.to_string();
    assert!(
        message.contains("说明") && message.contains("2022年"),
        "{message}"
    );
    // The first sheet is a note without a header: said so, not misread.
    let error = read_values_csv(&path, atlas(), &options(None)).unwrap_err();
    assert!(error.to_string().contains("has no header"), "{error}");
}

#[test]
fn inputs_that_are_no_table_are_refused_without_hanging() {
    for path in ["/dev/zero", "/dev/urandom"] {
        let error = read_values_csv(path.as_ref(), atlas(), &options(None)).unwrap_err();
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
    assert!(read_values_csv(&fifo, atlas(), &options(None)).is_err());
    let geojson = dir.path().join("counties.csv");
    std::fs::write(&geojson, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let error = read_values_csv(&geojson, atlas(), &options(None)).unwrap_err();
    assert!(error.to_string().contains("GeoJSON"), "{error}");
}
