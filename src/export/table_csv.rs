//! The comparison table as CSV, for a spreadsheet: one row per group and the province, the
//! numbers unrounded, the extremes' adcodes. `county-atlas compare --csv` prints it and the
//! Compare panel's 保存表格 writes it; a UTF-8 byte-order mark goes first, so that Excel reads
//! the Chinese names right.

use crate::analysis::group_compare::GroupComparison;

/// The table's CSV, with a byte-order mark when `bom`.
pub fn comparison_csv(table: &GroupComparison, bom: bool) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut csv = csv::Writer::from_writer(out);
    let value = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
    let header = [
        "group",
        "group_en",
        "units",
        "with_value",
        "sum",
        "mean",
        "population_weighted_mean",
        "median",
        "min",
        "min_adcode",
        "max",
        "max_adcode",
        "rank",
    ]
    .map(str::to_owned);
    let rows = table
        .rows
        .iter()
        .chain(std::iter::once(&table.province))
        .map(|row| {
            [
                row.group.zh.clone(),
                row.group.en.clone(),
                row.units.to_string(),
                row.with_value.to_string(),
                value(row.sum),
                value(row.mean),
                value(row.population_weighted_mean),
                value(row.median),
                value(row.min.as_ref().map(|e| e.value)),
                row.min
                    .as_ref()
                    .map_or_else(String::new, |e| e.adcode.clone()),
                value(row.max.as_ref().map(|e| e.value)),
                row.max
                    .as_ref()
                    .map_or_else(String::new, |e| e.adcode.clone()),
                row.rank.map_or_else(String::new, |r| r.to_string()),
            ]
        });
    // Writing to memory cannot fail; a record's fields are all strings.
    for record in std::iter::once(header).chain(rows) {
        let _ = csv.write_record(&record);
    }
    csv.into_inner().unwrap_or_default()
}
