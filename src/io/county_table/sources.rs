//! Where a county table's rows come from: a CSV file or a workbook's sheet (title lines
//! passed over, unclosed quotes refused, lines numbered as the file numbers them), a GeoJSON
//! file's features, or a layer GDAL reads.

use super::report::{Note, Numbering, Report};
use super::{CountyTable, NumberedRow, TableError, TableOptions, build};
use crate::atlas::Atlas;
use crate::csv_lines::LineCounter;
use crate::io::text::{self, TextEncoding};
use std::path::Path;

/// Feature rows numbered from 1, as reports number features.
fn numbered_features(rows: Vec<Vec<String>>) -> impl Iterator<Item = NumberedRow> {
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 1, Ok(r)))
}

/// Reads a GeoJSON file's features' properties as a table, one row per feature.
pub(super) fn read_geojson_table(
    path: &Path,
    atlas: &Atlas,
    options: &TableOptions,
    text: &str,
) -> Result<CountyTable, TableError> {
    let attributes =
        crate::io::geojson_table::properties(text).map_err(|message| TableError::GeoJson {
            path: path.to_owned(),
            message,
        })?;
    if attributes.headers.is_empty() {
        return Err(TableError::GeoJson {
            path: path.to_owned(),
            message: "没有带属性的要素,无表可读 / it has no features with properties: there is no table to read".into(),
        });
    }
    let mut report = Report::new(
        path.display().to_string(),
        "GeoJSON".to_owned(),
        None,
        atlas.units().len(),
    );
    report.numbering = Numbering::Feature;
    build(
        path,
        atlas,
        options,
        report,
        attributes.headers,
        numbered_features(attributes.rows),
    )
}

/// Reads a layer through GDAL (the `gdal` feature), one row per feature.
#[cfg(feature = "gdal")]
pub(super) fn read_gdal_table(
    path: &Path,
    atlas: &Atlas,
    options: &TableOptions,
) -> Result<CountyTable, TableError> {
    let source = path.to_string_lossy();
    let attributes = crate::io::gdal_source::read_attributes(
        &source,
        options.table.as_deref(),
        options.encoding,
    )?;
    let shown = crate::io::gdal_source::shown_name(&source);
    let mut report = Report::new(
        shown,
        format!("GDAL {}", attributes.driver),
        Some(attributes.layer.clone()),
        atlas.units().len(),
    );
    report.numbering = Numbering::Feature;
    if let Some(note) = &attributes.encoding_note {
        report.note(None, note.clone());
    }
    let (features, count) = &attributes.replaced;
    if *count > 0 {
        let listed: Vec<String> = features.iter().map(u64::to_string).collect();
        report.note(
            features.first().copied(),
            format!(
                "{count} 个要素的文字含有无法识别的字节(显示为 U+FFFD):要素 {};请用 --encoding 指定编码 / {count} features hold bytes that are no character (shown as U+FFFD): features {}; give --encoding",
                listed.join(", "),
                listed.join(", ")
            ),
        );
    }
    build(
        path,
        atlas,
        options,
        report,
        attributes.headers,
        numbered_features(attributes.rows),
    )
}

/// Without the `gdal` feature, GDAL's formats are named and the way to read them said.
#[cfg(not(feature = "gdal"))]
pub(super) fn read_gdal_table(
    path: &Path,
    _atlas: &Atlas,
    _options: &TableOptions,
) -> Result<CountyTable, TableError> {
    Err(TableError::NeedsGdal {
        path: path.to_owned(),
    })
}

/// Reads a CSV file or a workbook's sheet.
pub(super) fn read_text_table(
    path: &Path,
    atlas: &Atlas,
    options: &TableOptions,
    bytes: Vec<u8>,
) -> Result<CountyTable, TableError> {
    let mut notes = Vec::new();
    // A workbook is read as its sheet's CSV; its lines are then counted from the header's row.
    let (csv_text, encoding, line_offset, sheet, sheets) = if crate::io::workbook::is_workbook(
        &bytes,
    ) {
        let sheet = crate::io::workbook::sheet_as_csv(bytes, options.sheet.as_deref()).map_err(
            |source| TableError::Workbook {
                path: path.to_owned(),
                source,
            },
        )?;
        if !sheet.passed_over.is_empty() {
            notes.push(passed_over_note(&sheet));
        }
        (
            sheet.csv,
            "Excel".to_owned(),
            sheet.header_row - 1,
            Some(sheet.name),
            sheet.sheets,
        )
    } else {
        let decoded = text::decode(&bytes, options.encoding);
        if let Some(format) = not_a_table(&decoded.text) {
            return Err(TableError::NotATable {
                path: path.to_owned(),
                format,
            });
        }
        if decoded.bad_line_count > 0 {
            let lines: Vec<String> = decoded.bad_lines.iter().map(u64::to_string).collect();
            notes.push(Note {
                line: decoded.bad_lines.first().copied(),
                message: format!(
                    "{} 行含有不属于 {} 的字节(显示为 U+FFFD):第 {} 行;请以 UTF-8 另存,或用 --encoding 指定编码 / {} lines hold bytes that are no {} character (shown as U+FFFD): lines {}; save the file as UTF-8 or give --encoding",
                    decoded.bad_line_count,
                    decoded.encoding.name(),
                    lines.join(", "),
                    decoded.bad_line_count,
                    decoded.encoding.name(),
                    lines.join(", ")
                ),
            });
        }
        if matches!(
            decoded.encoding,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be
        ) {
            notes.push(Note {
                line: None,
                message: format!(
                    "按 {} 读取(Excel 的“Unicode 文本”)/ read as {} (Excel's 'Unicode text')",
                    decoded.encoding.name(),
                    decoded.encoding.name()
                ),
            });
        }
        (
            decoded.text.into_owned(),
            decoded.encoding.name().to_owned(),
            0,
            None,
            Vec::new(),
        )
    };
    let mut report = Report::new(
        path.display().to_string(),
        encoding,
        sheet,
        atlas.units().len(),
    );
    report.sheets = sheets;
    report.notes = notes;
    // Title lines above the header ("2022年各县R&D经费" with empty cells after it) are passed
    // over, as a workbook's are: the header is the first line with two filled cells.
    let (title_lines, header_start) = title_lines(&csv_text);
    let csv_text = &csv_text[header_start..];
    let line_offset = line_offset + title_lines;
    if title_lines > 0 {
        report.note(
            Some(1),
            format!(
                "表头前的 {title_lines} 行标题已跳过 / {title_lines} title lines above the header passed over"
            ),
        );
    }
    let header_line = csv_text.lines().next().unwrap_or_default();
    if header_line.trim().is_empty() {
        return Err(TableError::Header {
            path: path.to_owned(),
            message: "文件为空,需要表头行 / the file is empty; it needs a header line".into(),
        });
    }
    let delimiter = crate::io::delimiter::sniff_delimiter(header_line);
    if let Some(line) = text::unclosed_quote(csv_text, delimiter) {
        return Err(TableError::UnclosedQuote {
            path: path.to_owned(),
            line: line + line_offset,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| TableError::Header {
            path: path.to_owned(),
            message: format!("表头不是有效的 CSV / the header line is not valid CSV: {e}"),
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();

    // The first rows decide the shape; all rows then stream through one loop.
    let mut lines = LineCounter::new(csv_text);
    let rows = reader.into_records().map(move |record| match record {
        Ok(record) => {
            let line = lines.line_of(record.position()) + line_offset;
            (
                line,
                Ok(record.iter().map(|c| c.trim().to_owned()).collect()),
            )
        }
        Err(error) => {
            let line = error
                .position()
                .map_or(0, |p| lines.line_of(Some(p)) + line_offset);
            (
                line,
                Err(format!("不是有效的 CSV 行 / not valid CSV: {error}")),
            )
        }
    });
    build(path, atlas, options, report, headers, rows)
}

/// The number of title lines above a CSV table's header, and the byte where the header
/// starts: lines among the first ten with fewer than two filled cells, when a later one has
/// two or more.
fn title_lines(text: &str) -> (u64, usize) {
    let delimiter = crate::io::delimiter::sniff_delimiter(
        text.lines()
            .find(|l| [b',', b';', b'\t'].iter().any(|&d| filled_cells(l, d) >= 2))
            .unwrap_or_default(),
    );
    let mut start = 0;
    for (index, line) in text.split_inclusive('\n').take(10).enumerate() {
        if filled_cells(line, delimiter) >= 2 {
            return (index as u64, start);
        }
        start += line.len();
    }
    (0, 0)
}

/// Cells of a line that hold something, split naively (a title line has no quotes that
/// matter).
fn filled_cells(line: &str, delimiter: u8) -> usize {
    line.split(char::from(delimiter))
        .filter(|c| !c.trim().trim_matches('"').trim().is_empty())
        .count()
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

/// Says which sheets in front were passed over for having no header, and which was read.
pub(crate) fn passed_over_note(sheet: &crate::io::workbook::Sheet) -> Note {
    Note {
        line: None,
        message: format!(
            "工作表“{}”没有表头,已跳过,读取“{}”;可用 --sheet 或“工作表”列表另选 / sheet '{}' has no header and was passed over; '{}' was read (another can be chosen with --sheet or the Sheet list)",
            sheet.passed_over.join("”“"),
            sheet.name,
            sheet.passed_over.join("', '"),
            sheet.name
        ),
    }
}
