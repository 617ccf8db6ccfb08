//! A user's own indicator from a CSV file or a workbook sheet (.xlsx, .xls, .ods): one row per
//! county, keyed by adcode or by name (current, former or prefecture-qualified), one numeric
//! column. Becomes a [`Layer`] that
//! maps, classifies and exports like a built-in one, with the file named as its source.

use super::csv_table::{self, HeaderError};
use crate::atlas::{
    Atlas, Layer, LayerKind, Level, Measure, Observation, ResolveError, SourceId, UnitId,
};
use crate::csv_lines::LineCounter;
use crate::i18n::Text;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Column names recognised as the county key, compared case-insensitively.
const KEY_NAMES: &[&str] = &[
    "adcode",
    "code",
    "区划代码",
    "行政区划代码",
    "代码",
    "name",
    "county",
    "名称",
    "县区",
    "区县",
    "县",
    "地区",
];

/// How to read the file.
#[derive(Clone, Debug, Default)]
pub struct ValuesCsvOptions {
    /// The value column (required).
    pub column: String,
    /// The key column; guessed (adcode, name, 名称, ...) when `None`.
    pub key_column: Option<String>,
    /// The values are amounts (counts, totals) rather than rates.
    pub amounts: bool,
    /// The year the values are for (0 when unknown).
    pub year: i32,
    /// The sheet of a workbook (the first when `None`); ignored for CSV.
    pub sheet: Option<String>,
}

/// A row that could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedRow {
    /// 1-based line number.
    pub line: u64,
    /// Why.
    pub reason: String,
}

/// The layer read, with what was skipped.
#[derive(Clone, Debug)]
pub struct ValuesCsv {
    /// The layer (id `user:<column>`), county level.
    pub layer: Layer,
    /// Rows that could not be used.
    pub skipped: Vec<SkippedRow>,
    /// Counties with a value.
    pub matched: usize,
    /// "UTF-8" or "GB18030", or for a workbook "Excel".
    pub encoding: &'static str,
    /// The workbook sheet read, if the file is a workbook.
    pub sheet: Option<String>,
}

/// Why the file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ValuesCsvError {
    /// The file could not be read (missing, not a regular file, too large).
    #[error(transparent)]
    Input(#[from] super::input_file::InputError),
    /// A workbook's sheet could not be read.
    #[error("{}: {source}", path.display())]
    Workbook {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: super::workbook::WorkbookError,
    },
    /// The file is something other than a table.
    #[error(
        "{}:这是 {format} 文件,不是表格;请给出 CSV 或 Excel 表格 / {} is a {format} file, not a table: give a CSV or Excel table",
        path.display(), path.display()
    )]
    NotATable {
        /// The file.
        path: PathBuf,
        /// What it is.
        format: &'static str,
    },
    /// The header is missing or malformed.
    #[error("{}:1: {message}", path.display())]
    Header {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A named column is missing.
    #[error("{}:1: no column named '{column}'{hint}; the columns are: {}", path.display(), available.join(", "))]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column looked for.
        column: String,
        /// What to do.
        hint: String,
        /// The header's columns.
        available: Vec<String>,
    },
    /// No row gave a value.
    #[error("{}: no row gives a value for a county in column '{column}'; check the key column ('{key}') holds adcodes or county names", path.display())]
    NothingMatched {
        /// The file.
        path: PathBuf,
        /// The value column.
        column: String,
        /// The key column used.
        key: String,
    },
}

/// What a file that is no table is, judged by its text: GeoJSON (or other JSON), XML, a PDF.
fn not_a_table(text: &str) -> Option<&'static str> {
    let start = text.trim_start();
    if start.starts_with('{') || start.starts_with('[') {
        Some(
            if start.contains("\"FeatureCollection\"") || start.contains("\"Feature\"") {
                "GeoJSON"
            } else {
                "JSON"
            },
        )
    } else if start.starts_with("<?xml") || start.starts_with('<') {
        Some("XML")
    } else if start.starts_with("%PDF") {
        Some("PDF")
    } else {
        None
    }
}

/// Reads `path` as a layer over `atlas`'s counties. Its values cite [`SourceId::USER`]; the
/// layer's caveat names the file.
pub fn read_values_csv(
    path: &Path,
    atlas: &Atlas,
    options: &ValuesCsvOptions,
) -> Result<ValuesCsv, ValuesCsvError> {
    let source = SourceId::USER;
    let bytes = super::input_file::read_input(path, super::input_file::MAX_TABLE_BYTES)?;
    // A workbook is read as its sheet's CSV; its lines are then counted from the header's row.
    let (text, encoding, line_offset, sheet) = if super::workbook::is_workbook(&bytes) {
        let sheet =
            super::workbook::sheet_as_csv(bytes, options.sheet.as_deref()).map_err(|source| {
                ValuesCsvError::Workbook {
                    path: path.to_owned(),
                    source,
                }
            })?;
        (
            std::borrow::Cow::Owned(sheet.csv),
            "Excel",
            sheet.header_row - 1,
            Some(sheet.name),
        )
    } else {
        let (text, encoding) = csv_table::decode(&bytes);
        if let Some(format) = not_a_table(&text) {
            return Err(ValuesCsvError::NotATable {
                path: path.to_owned(),
                format,
            });
        }
        (
            std::borrow::Cow::Owned(text.into_owned()),
            encoding,
            0,
            None,
        )
    };
    let (mut reader, headers) = csv_table::open(&text).map_err(|e| ValuesCsvError::Header {
        path: path.to_owned(),
        message: match e {
            HeaderError::Empty => "the file is empty; it needs a header line".into(),
            HeaderError::Invalid(e) => format!("the header line is not valid CSV: {e}"),
        },
    })?;
    let find = |name: &str| {
        headers.iter().position(|h| h == name.trim()).or_else(|| {
            headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name.trim()))
        })
    };
    let value_column = find(&options.column).ok_or_else(|| ValuesCsvError::MissingColumn {
        path: path.to_owned(),
        column: options.column.clone(),
        hint: " (given by --column)".into(),
        available: headers.clone(),
    })?;
    // The key columns, most telling first: the one named, or every recognised one (a code
    // column and a name column), so that a row whose code is blank is keyed by its name.
    let key_columns: Vec<usize> = match &options.key_column {
        Some(name) => vec![find(name).ok_or_else(|| ValuesCsvError::MissingColumn {
            path: path.to_owned(),
            column: name.clone(),
            hint: " (given by --key-col)".into(),
            available: headers.clone(),
        })?],
        None => {
            let mut found: Vec<usize> = KEY_NAMES.iter().filter_map(|n| find(n)).collect();
            found.dedup();
            if found.is_empty() {
                return Err(ValuesCsvError::MissingColumn {
                    path: path.to_owned(),
                    column: "adcode".into(),
                    hint: format!(
                        " or any of {}; name the county column with --key-col",
                        KEY_NAMES.join(", ")
                    ),
                    available: headers.clone(),
                });
            }
            found
        }
    };
    let key_column = key_columns[0];

    let mut values: Vec<Option<Observation>> = vec![None; atlas.units().len()];
    let mut first_line: BTreeMap<UnitId, u64> = BTreeMap::new();
    let mut skipped = Vec::new();
    let mut lines = LineCounter::new(&text);
    let mut record = csv::StringRecord::new();
    loop {
        let line = lines.line_of(Some(reader.position())) + line_offset;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                skipped.push(SkippedRow {
                    line,
                    reason: format!("not valid CSV: {e}"),
                });
                continue;
            }
        }
        let line = lines.line_of(record.position()) + line_offset;
        let key = key_columns
            .iter()
            .filter_map(|&c| record.get(c).map(str::trim))
            .find(|k| !k.is_empty())
            .unwrap_or_default();
        let cell = record.get(value_column).map(str::trim).unwrap_or_default();
        if key.is_empty() && cell.is_empty() {
            continue;
        }
        let unit = match atlas.resolve(key) {
            Ok(resolved) => resolved.unit,
            Err(error) => {
                skipped.push(SkippedRow {
                    line,
                    reason: resolve_reason(key, &error),
                });
                continue;
            }
        };
        let value = match super::number::parse_cell(cell) {
            Ok(super::number::Cell::Number(v)) => v,
            Ok(super::number::Cell::Missing) => continue,
            Err(error) => {
                skipped.push(SkippedRow {
                    line,
                    reason: format!("column '{}': {error}", headers[value_column]),
                });
                continue;
            }
        };
        if let Some(first) = first_line.get(&unit) {
            skipped.push(SkippedRow {
                line,
                reason: format!(
                    "{} already has a value on line {first}; keep one row per county",
                    atlas.unit(unit).name
                ),
            });
            continue;
        }
        first_line.insert(unit, line);
        values[unit.index()] = Some(Observation {
            value,
            source,
            note: None,
        });
    }
    let matched = first_line.len();
    if matched == 0 {
        return Err(ValuesCsvError::NothingMatched {
            path: path.to_owned(),
            column: headers[value_column].clone(),
            key: headers[key_column].clone(),
        });
    }
    // The column's name becomes the layer's, on pages too: without control characters.
    let (column, _) = crate::format::page_text(&headers[value_column]);
    let (file, _) = crate::format::page_text(&path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    ));
    let layer = Layer {
        id: format!("user:{column}"),
        name: Text::new(column.clone(), column.clone()),
        unit: Text::default(),
        level: Level::County,
        kind: LayerKind::Numeric,
        measure: if options.amounts {
            Measure::Amount
        } else {
            Measure::Rate
        },
        caveat: Some(Text::new(
            format!("用户数据:{file}"),
            format!("User data: {file}"),
        )),
        computed: false,
        values: BTreeMap::from([(options.year, values)]),
        province: BTreeMap::new(),
    };
    Ok(ValuesCsv {
        layer,
        skipped,
        matched,
        encoding,
        sheet,
    })
}

fn resolve_reason(key: &str, error: &ResolveError) -> String {
    match error {
        ResolveError::Empty => "no county name or adcode in the key column".into(),
        other => format!("'{key}': {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, options: &ValuesCsvOptions) -> Result<ValuesCsv, ValuesCsvError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.csv");
        std::fs::write(&path, text).unwrap();
        read_values_csv(&path, &Atlas::builtin().unwrap(), options)
    }

    #[test]
    fn keys_by_adcode_current_and_former_names() {
        let csv =
            "名称,企业数\n郫县,12\n510104,7\n会理,3\n不存在县,9\n锦江区,8\n双流区,\n温江区,abc\n";
        let options = ValuesCsvOptions {
            column: "企业数".into(),
            amounts: true,
            year: 2023,
            ..Default::default()
        };
        let result = read(csv, &options).unwrap();
        assert_eq!(result.matched, 3);
        let atlas = Atlas::builtin().unwrap();
        let value = |name: &str| {
            result.layer.values[&2023][atlas.resolve(name).unwrap().unit.index()]
                .as_ref()
                .map(|o| o.value)
        };
        assert_eq!(value("郫都区"), Some(12.0));
        assert_eq!(value("锦江区"), Some(7.0));
        assert_eq!(value("会理市"), Some(3.0));
        assert_eq!(value("双流区"), None, "an empty cell is no data");
        let lines: Vec<u64> = result.skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![5, 6, 8]);
        assert!(result.skipped[0].reason.contains("'不存在县'"));
        assert!(
            result.skipped[1]
                .reason
                .contains("already has a value on line 3")
        );
        assert_eq!(result.layer.measure, Measure::Amount);
    }

    #[test]
    fn missing_columns_say_what_to_pass() {
        let err = read(
            "name,x\n郫都区,1\n",
            &ValuesCsvOptions {
                column: "y".into(),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.ends_with(
                "v.csv:1: no column named 'y' (given by --column); the columns are: name, x"
            ),
            "{err}"
        );
        let err = read(
            "a,x\n郫都区,1\n",
            &ValuesCsvOptions {
                column: "x".into(),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("--key-col"), "{err}");
        let err = read(
            "name,x\nnowhere,1\n",
            &ValuesCsvOptions {
                column: "x".into(),
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("no row gives a value"), "{err}");
    }
}
