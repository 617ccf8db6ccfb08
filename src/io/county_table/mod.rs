//! A user's county table: a CSV file (UTF-8, UTF-16, GB18030, decided on evidence) or a
//! workbook sheet (.xlsx, .xls, .ods), keyed by adcode or by name (current, former, through
//! the division-code history), long (a year column) or wide (years in the headers), with
//! units in the headers or a row of their own. Becomes one [`Layer`] per indicator and a
//! [`Report`] that names every row it could not use.
//!
//! The file is read once; the shape is decided from the header and the first rows, then the
//! rows stream through, each key resolved once however often it repeats.

mod report;
mod rows;
mod shape;
mod sources;

pub use report::{
    Coverage, LayerSummary, MAX_LISTED, Note, Numbering, Report, RowError, Unmatched, YearCount,
};

use super::text::{self, TextEncoding};
use crate::atlas::{Atlas, Layer, LayerKind, Level, Measure, Observation, SourceId};
use crate::i18n::Text;
use rows::{Builder, LIST_ROWS};
use shape::{ValueColumn, find};
use sources::{read_gdal_table, read_geojson_table, read_text_table};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The columns of `headers` that name counties (codes first, then names), as tables are
/// keyed: adcode, 代码, 行政区划代码, name, 名称, 县区, ...
pub fn county_key_columns(headers: &[String]) -> Vec<usize> {
    shape::key_columns(headers)
}

/// How to read a table.
#[derive(Clone, Debug, Default)]
pub struct TableOptions {
    /// The value columns to read; every numeric column when empty.
    pub columns: Vec<String>,
    /// The key column; guessed (adcode, 代码, name, 名称, ...) when `None`.
    pub key_column: Option<String>,
    /// The year column of a long table; guessed (year, 年份, 年度) when `None`.
    pub year_column: Option<String>,
    /// The year of columns whose header names none, in a table without a year column.
    pub year: Option<i32>,
    /// The values are amounts (counts, totals) rather than rates; guessed from the unit
    /// (万元, 个, 人 …) when false.
    pub amounts: bool,
    /// The sheet of a workbook (the first when `None`).
    pub sheet: Option<String>,
    /// The layer or table of a GDAL source (a GeoPackage's layer, a PostGIS table; the only
    /// one when `None`).
    pub table: Option<String>,
    /// The text encoding, instead of the one the evidence points to.
    pub encoding: Option<TextEncoding>,
    /// The sidecar file saying what the data is; `TABLE.atlas.toml` beside the table when
    /// `None` and one is there.
    pub metadata: Option<PathBuf>,
}

/// A table read: its layers and the report.
#[derive(Clone, Debug)]
pub struct CountyTable {
    /// One layer per indicator, id `user:<indicator>`.
    pub layers: Vec<Layer>,
    /// What was read and what was not.
    pub report: Report,
}

impl CountyTable {
    /// The layer read from the column headed `header` (as written, or its indicator's name).
    pub fn layer_for_column(&self, header: &str) -> Option<&Layer> {
        let header = header.trim();
        self.report
            .layers
            .iter()
            .position(|l| {
                l.name == header
                    || l.columns.iter().any(|c| c == header)
                    || l.columns.iter().any(|c| c.eq_ignore_ascii_case(header))
            })
            .map(|i| &self.layers[i])
    }
}

/// Why a table could not be read at all (nothing is loaded then).
#[derive(Debug, thiserror::Error)]
pub enum TableError {
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
    /// A GeoJSON file that cannot be read as features with properties.
    #[error("{}: GeoJSON: {message}", path.display())]
    GeoJson {
        /// The file.
        path: PathBuf,
        /// What is wrong, in a line.
        message: String,
    },
    /// A format only GDAL reads, in a build without the `gdal` feature.
    #[error(
        "{}:这种格式需要 GDAL;请用 `cargo build --features gdal` 构建(需安装 libgdal-dev),或另存为 CSV / this format is read through GDAL: build with `cargo build --features gdal` (Debian's libgdal-dev), or save it as CSV",
        path.display()
    )]
    NeedsGdal {
        /// The file or connection.
        path: PathBuf,
    },
    /// GDAL could not give the layer.
    #[cfg(feature = "gdal")]
    #[error(transparent)]
    Gdal(#[from] super::gdal_source::GdalSourceError),
    /// The sidecar file is unreadable or malformed.
    #[error(transparent)]
    Sidecar(#[from] super::sidecar::SidecarError),
    /// A quoted cell never closes: a CSV reader would take the rest of the file as one cell.
    #[error(
        "{}:{line}: 此行的引号(\")没有闭合,其后整个文件会被读成一个单元格;请补上或删去引号 / the quote (\") opened on this line is never closed, so the rest of the file would read as one cell: close it or remove it",
        path.display()
    )]
    UnclosedQuote {
        /// The file.
        path: PathBuf,
        /// The line where the quote opens.
        line: u64,
    },
    /// A named column is missing.
    #[error("{}:1: 没有名为“{column}”的列 / no column named '{column}'{hint}; the columns are: {}", path.display(), available.join(", "))]
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
    /// No column holds numbers.
    #[error("{}:1: 没有数值列 / no column holds numbers; the columns are: {}; name one with --column", path.display(), available.join(", "))]
    NoValueColumns {
        /// The file.
        path: PathBuf,
        /// The header's columns.
        available: Vec<String>,
    },
    /// The table has a year column and years in its value headers.
    #[error("{}:1: 既有年份列“{year_column}”,列名中又含年份(“{header}”);请只用一种 / the table has a year column ('{year_column}') and a year in the header '{header}': use one or the other", path.display())]
    YearTwice {
        /// The file.
        path: PathBuf,
        /// The year column.
        year_column: String,
        /// A value header with a year.
        header: String,
    },
}

/// How many rows are looked at to decide the table's shape.
const SHAPE_ROWS: usize = 500;

/// A data row: its number (the file's line, the sheet's row, or the feature's number) and its
/// cells, or why it could not be read.
pub(super) type NumberedRow = (u64, Result<Vec<String>, String>);

/// Reads `path` as county layers over `atlas`'s units: a CSV file, a workbook, a GeoJSON file,
/// or (with the `gdal` feature) anything GDAL reads, a `PG:` connection included. Values cite
/// [`SourceId::USER`]; each layer's caveat names the file.
pub fn read_county_table(
    path: &Path,
    atlas: &Atlas,
    options: &TableOptions,
) -> Result<CountyTable, TableError> {
    let source = path.to_string_lossy();
    if super::gdal_formats::is_gdal_source(&source) {
        return read_gdal_table(path, atlas, options);
    }
    let bytes = super::input_file::read_input(path, super::input_file::MAX_TABLE_BYTES)?;
    read_county_table_bytes(path, bytes, atlas, options)
}

/// [`read_county_table`] for a file's bytes already read (a CSV file, a workbook or GeoJSON):
/// `path` names it in messages and beside it a sidecar file is looked for.
pub fn read_county_table_bytes(
    path: &Path,
    bytes: Vec<u8>,
    atlas: &Atlas,
    options: &TableOptions,
) -> Result<CountyTable, TableError> {
    // JSON begins with a brace: only then is the text decoded here to see if it is GeoJSON.
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
        let decoded = text::decode(&bytes, options.encoding);
        if super::geojson_table::is_geojson(&decoded.text) {
            return read_geojson_table(path, atlas, options, &decoded.text);
        }
    }
    read_text_table(path, atlas, options, bytes)
}

/// The file's name as layers cite it.
fn file_name(path: &Path) -> String {
    crate::format::page_text(&path.file_name().map_or_else(
        || path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    ))
    .0
}

/// Decides the table's shape from its header and first rows, then joins every row to the
/// counties.
pub(super) fn build(
    path: &Path,
    atlas: &Atlas,
    options: &TableOptions,
    mut report: Report,
    headers: Vec<String>,
    rows: impl Iterator<Item = NumberedRow>,
) -> Result<CountyTable, TableError> {
    let file_name = file_name(path);
    let mut rows = rows;
    let first: Vec<NumberedRow> = rows.by_ref().take(SHAPE_ROWS).collect();
    let sample: Vec<Vec<String>> = first
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().cloned())
        .collect();
    let missing = |column: &str, hint: &str| TableError::MissingColumn {
        path: path.to_owned(),
        column: column.to_owned(),
        hint: hint.to_owned(),
        available: headers.clone(),
    };
    let keys = match &options.key_column {
        Some(name) => vec![find(&headers, name).ok_or_else(|| missing(name, " (--key-col)"))?],
        None => {
            let keys = shape::key_columns(&headers);
            if keys.is_empty() {
                return Err(missing(
                    "adcode",
                    " 或 代码、名称、县区 / or 代码, 名称, name; name the county column with --key-col",
                ));
            }
            keys
        }
    };
    let year_column = match &options.year_column {
        Some(name) => Some(find(&headers, name).ok_or_else(|| missing(name, " (--year-col)"))?),
        None => shape::year_column(&headers, &sample),
    };
    let candidates: Vec<usize> = if options.columns.is_empty() {
        (0..headers.len())
            .filter(|c| !keys.contains(c) && Some(*c) != year_column)
            .collect()
    } else {
        options
            .columns
            .iter()
            .map(|c| find(&headers, c).ok_or_else(|| missing(c, " (--column)")))
            .collect::<Result<_, _>>()?
    };
    // A unit row right below the header names the columns' units.
    let unit_row = match first.first() {
        Some((line, Ok(row))) if shape::is_unit_row(row, &keys, &candidates) => {
            Some((*line, row.clone()))
        }
        _ => None,
    };
    let data_sample = if unit_row.is_some() {
        &sample[1.min(sample.len())..]
    } else {
        &sample[..]
    };
    let mut values: Vec<ValueColumn> = Vec::new();
    for &index in &candidates {
        if options.columns.is_empty() && !shape::is_numeric(data_sample, index) {
            continue;
        }
        let (indicator, year, header_unit) = shape::split_header(&headers[index]);
        let unit = unit_row
            .as_ref()
            .and_then(|(_, row)| row.get(index))
            .map(|u| u.trim().trim_matches(['(', ')', '（', '）']).to_owned())
            .filter(|u| !u.is_empty())
            .or(header_unit);
        values.push(ValueColumn {
            index,
            header: headers[index].clone(),
            indicator,
            year,
            unit,
        });
    }
    // A table with no numbers is a list (of parks, incubators, 星创天地 by county): its rows are
    // counted per county.
    let list = values.is_empty() && options.columns.is_empty();
    if list {
        let stem = path
            .file_stem()
            .map_or_else(|| "list".to_owned(), |s| s.to_string_lossy().into_owned());
        values.push(ValueColumn {
            index: LIST_ROWS,
            header: stem.clone(),
            indicator: format!("{stem}(条目数)"),
            year: None,
            unit: Some("个".to_owned()),
        });
        report.note(
            None,
            "没有数值列:按名单读取,统计每县的行数,名单未列的县为 0 / no column holds numbers: read as a list, its rows counted per county (counties it does not name count 0)".into(),
        );
    }
    if values.is_empty() {
        return Err(TableError::NoValueColumns {
            path: path.to_owned(),
            available: headers.clone(),
        });
    }
    if let (Some(y), Some(with_year)) = (year_column, values.iter().find(|v| v.year.is_some())) {
        return Err(TableError::YearTwice {
            path: path.to_owned(),
            year_column: headers[y].clone(),
            header: with_year.header.clone(),
        });
    }
    if let Some((line, _)) = &unit_row {
        report.note(
            Some(*line),
            "此行为单位行,已读作各列的单位 / read as the columns' units".into(),
        );
    }
    report.key_columns = keys.iter().map(|&k| headers[k].clone()).collect();
    report.year_column = year_column.map(|y| headers[y].clone());

    // One layer per indicator; a year-only header ("2019") belongs to the file's indicator.
    let file_stem = path
        .file_stem()
        .map_or_else(|| "data".to_owned(), |s| s.to_string_lossy().into_owned());
    let mut indicators: Vec<String> = Vec::new();
    let column_layer: Vec<usize> = values
        .iter()
        .map(|v| {
            let name = if v.indicator.is_empty() {
                crate::format::page_text(&file_stem).0
            } else {
                crate::format::page_text(&v.indicator).0
            };
            match indicators.iter().position(|n| *n == name) {
                Some(i) => i,
                None => {
                    indicators.push(name);
                    indicators.len() - 1
                }
            }
        })
        .collect();

    // Whether each indicator is an amount: said by --amounts, or by its unit.
    let layer_units: Vec<Option<String>> = (0..indicators.len())
        .map(|i| {
            values
                .iter()
                .zip(&column_layer)
                .filter(|(_, l)| **l == i)
                .find_map(|(v, _)| v.unit.clone())
        })
        .collect();
    let layer_amount: Vec<bool> = indicators
        .iter()
        .zip(&layer_units)
        .map(|(name, unit)| options.amounts || is_amount(name, unit.as_deref()))
        .collect();
    if !options.amounts {
        for (name, _) in indicators.iter().zip(&layer_amount).filter(|(_, a)| **a) {
            report.note(
                None,
                format!(
                    "“{name}”据其单位或名称按数量(计数或总额)读取:可按人口或面积标准化,不能为负 / '{name}' read as an amount (a count or total) from its unit or name: it can be normalised by population or area, and cannot be negative"
                ),
            );
        }
    }
    let mut builder = Builder {
        layer_amount: &layer_amount,
        atlas,
        report,
        keys,
        year_column,
        default_year: options.year,
        values: &values,
        column_layer: &column_layer,
        cells: vec![BTreeMap::new(); indicators.len()],
        remembered: HashMap::new(),
        fits: HashMap::new(),
        matched_units: vec![false; atlas.units().len()],
        headers: &headers,
        no_value: vec![0; values.len()],
    };
    let skip = usize::from(unit_row.is_some());
    for (line, record) in first.into_iter().skip(skip).chain(rows) {
        builder.row(line, record);
    }
    let Builder {
        mut report,
        cells,
        matched_units,
        no_value,
        ..
    } = builder;
    for (column, count) in values.iter().zip(no_value).filter(|(_, n)| *n > 0) {
        report.note(
            None,
            format!(
                "“{}”列有 {count} 行为空或标为无数据,按无数据处理 / column '{}': {count} rows empty or marked as no value, read as no data",
                column.header, column.header
            ),
        );
    }
    report.coverage.n = matched_units.iter().filter(|m| **m).count();

    let mut layers = Vec::new();
    for (i, (name, by_year)) in indicators.iter().zip(cells).enumerate() {
        let columns: Vec<&ValueColumn> = values
            .iter()
            .zip(&column_layer)
            .filter(|(_, l)| **l == i)
            .map(|(v, _)| v)
            .collect();
        let unit = layer_units[i].clone();
        let measure = if layer_amount[i] {
            Measure::Amount
        } else {
            Measure::Rate
        };
        let mut year_values = BTreeMap::new();
        let mut years = Vec::new();
        for (year, cells) in by_year {
            // A list names where there are entries: the counties it does not name have none.
            let absent = list.then_some(Observation {
                value: 0.0,
                source: SourceId::USER,
                note: None,
            });
            let mut column: Vec<Option<Observation>> = vec![absent; atlas.units().len()];
            for (unit, (value, _)) in &cells {
                column[unit.index()] = Some(Observation {
                    value: *value,
                    source: SourceId::USER,
                    note: None,
                });
            }
            years.push(YearCount {
                year,
                counties: cells.len(),
            });
            year_values.insert(year, column);
        }
        report.layers.push(LayerSummary {
            id: format!("user:{name}"),
            name: name.clone(),
            unit: unit.clone(),
            years,
            columns: columns.iter().map(|c| c.header.clone()).collect(),
        });
        let unit_text = unit.clone().unwrap_or_default();
        layers.push(Layer {
            id: format!("user:{name}"),
            name: Text::new(name.clone(), name.clone()),
            unit: Text::new(unit_text.clone(), unit_text),
            level: Level::County,
            kind: LayerKind::Numeric,
            measure,
            caveat: Some(Text::new(
                format!("用户数据:{file_name}"),
                format!("User data: {file_name}"),
            )),
            computed: false,
            values: year_values,
            province: BTreeMap::new(),
            citation: None,
            derived_from: Vec::new(),
        });
    }
    // A sidecar file says what the data is: names, units, years, the source document.
    let sidecar_path = options
        .metadata
        .clone()
        .or_else(|| super::sidecar::path_for(path));
    if let Some(sidecar_path) = sidecar_path {
        let sidecar = super::sidecar::read(&sidecar_path)?;
        let columns: Vec<Vec<String>> = report.layers.iter().map(|l| l.columns.clone()).collect();
        let unused = super::sidecar::apply(&sidecar, &mut layers, &columns);
        for (summary, layer) in report.layers.iter_mut().zip(&layers) {
            summary.name = layer.name.zh.clone();
            summary.unit = Some(layer.unit.zh.clone()).filter(|u| !u.is_empty());
            summary.years = layer
                .values
                .iter()
                .map(|(&year, values)| YearCount {
                    year,
                    counties: values.iter().flatten().count(),
                })
                .collect();
        }
        report.note(
            None,
            format!(
                "已按说明文件 {} 设定名称、单位与来源 / names, units and source from {}",
                sidecar_path.display(),
                sidecar_path.display()
            ),
        );
        for column in unused {
            report.note(
                None,
                format!(
                    "说明文件中的“{column}”不是本表的指标 / the sidecar's '{column}' is no indicator of this table"
                ),
            );
        }
    }
    Ok(CountyTable { layers, report })
}

/// Whether an indicator is an amount (a count or a total) rather than a rate: its unit counts
/// things or money, or its name counts things (企业数, 专利数量), and its name does not speak of
/// a share, an average or an index.
fn is_amount(name: &str, unit: Option<&str>) -> bool {
    const AMOUNT_UNITS: &[&str] = &[
        "元", "万元", "亿元", "千元", "个", "家", "人", "万人", "项", "件", "户", "所", "座", "台",
        "处", "名",
    ];
    const RATE_WORDS: &[&str] = &[
        "率", "比重", "占比", "强度", "人均", "密度", "平均", "每", "指数", "系数", "倍数", "分数",
    ];
    if RATE_WORDS.iter().any(|w| name.contains(w)) {
        return false;
    }
    match unit.map(str::trim) {
        Some(unit) => AMOUNT_UNITS.contains(&unit),
        None => name.ends_with('数') || name.ends_with("数量"),
    }
}
