//! Point coordinates streamed from a user's CSV file (UTF-8, GB18030 as Excel on Chinese
//! Windows saves it, or UTF-16), with per-row errors that name the line.
//!
//! The file is read row by row, never held: a list of 5,000,000 firms needs no more memory
//! than one of 1,000,000. Coordinates are ASCII in every encoding but UTF-16, so rows are
//! parsed as bytes and only the header and the cells a caller asks for are decoded.

use super::delimiter::sniff_delimiter;
use super::text::TextEncoding;
use crate::crs::{Crs, LonLat};
use std::path::{Path, PathBuf};

/// Column names recognised as longitude, compared case-insensitively.
const LON_NAMES: &[&str] = &[
    "lon",
    "lng",
    "long",
    "longitude",
    "x",
    "经度",
    "lon_wgs84",
    "lng_wgs84",
    "wgs84_lon",
];
/// Column names recognised as latitude, compared case-insensitively.
const LAT_NAMES: &[&str] = &["lat", "latitude", "y", "纬度", "lat_wgs84", "wgs84_lat"];

/// How to read the file.
#[derive(Clone, Debug, Default)]
pub struct PointsCsvOptions {
    /// The longitude column; guessed from common names when `None`.
    pub lon_column: Option<String>,
    /// The latitude column; guessed from common names when `None`.
    pub lat_column: Option<String>,
    /// The coordinate system of the file's coordinates.
    pub crs: Crs,
    /// The sheet of a workbook (the first with a header when `None`).
    pub sheet: Option<String>,
}

/// Rows of a point file, streamed.
pub struct PointStream {
    reader: csv::Reader<Box<dyn std::io::Read>>,
    /// The header's names, decoded.
    pub headers: Vec<String>,
    /// The longitude column used.
    pub lon_column: String,
    /// The latitude column used.
    pub lat_column: String,
    /// The file's encoding.
    pub encoding: TextEncoding,
    lon: usize,
    lat: usize,
    crs: Crs,
    lines: crate::csv_lines::StreamLines,
    /// Rows above the header in a workbook's sheet, so that lines are the sheet's rows.
    line_offset: u64,
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PointsCsvError {
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
    /// The file holds no header line.
    #[error("{}: 文件为空,需要一行表头写明经度列和纬度列 / the file is empty; it needs a header line naming the longitude and latitude columns", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The header is not valid CSV.
    #[error("{}:1: 表头不是有效的 CSV / the header line is not valid CSV: {message}", path.display())]
    Header {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A coordinate column was not found.
    #[error("{}:1: {};现有的列:{} / {}; the columns are: {}", path.display(), describe_missing(which, asked.as_deref()).0, available.join(", "), describe_missing(which, asked.as_deref()).1, available.join(", "))]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// "longitude" or "latitude".
        which: &'static str,
        /// The name the user gave, if any.
        asked: Option<String>,
        /// The header's columns.
        available: Vec<String>,
    },
}

/// What is missing, in Chinese and in English.
fn describe_missing(which: &str, asked: Option<&str>) -> (String, String) {
    let (flag, which_zh, names) = if which == "longitude" {
        ("--lon-col", "经度", LON_NAMES)
    } else {
        ("--lat-col", "纬度", LAT_NAMES)
    };
    match asked {
        Some(name) => (
            format!("没有名为“{name}”的列(由 {flag} 给出)"),
            format!("no column named '{name}' (given by {flag})"),
        ),
        None => {
            let looked = names.join(", ");
            (
                format!("未找到{which_zh}列(查找了 {looked}),请用 {flag} 指定"),
                format!("no {which} column found (looked for {looked}); name it with {flag}"),
            )
        }
    }
}

/// How much of a file's start is looked at to decide its encoding.
const SAMPLE_BYTES: usize = 1 << 16;

impl PointStream {
    /// Opens `path` and reads its header. A device or pipe is refused before it is opened.
    pub fn open(path: &Path, options: &PointsCsvOptions) -> Result<Self, PointsCsvError> {
        use std::io::{BufRead, Read};
        let (file, _) = super::input_file::open_input(path)?;
        let mut buffered = std::io::BufReader::with_capacity(SAMPLE_BYTES, file);
        let sample = buffered
            .fill_buf()
            .map_err(|source| super::input_file::InputError::Io {
                path: path.display().to_string(),
                source,
            })?;
        // A workbook (a point list kept in Excel) is read as its sheet's CSV, held in memory
        // as calamine holds the workbook; its rows keep the sheet's numbers.
        if super::workbook::is_workbook(sample) {
            let bytes = super::input_file::read_input(path, super::input_file::MAX_TABLE_BYTES)?;
            let sheet = super::workbook::sheet_as_csv(bytes, options.sheet.as_deref()).map_err(
                |source| PointsCsvError::Workbook {
                    path: path.to_owned(),
                    source,
                },
            )?;
            let header_line = sheet.csv.lines().next().unwrap_or_default().to_owned();
            let reader: Box<dyn Read> = Box::new(std::io::Cursor::new(sheet.csv.into_bytes()));
            let mut stream =
                Self::from_reader(path, reader, TextEncoding::Utf8, &header_line, options)?;
            stream.line_offset = sheet.header_row - 1;
            return Ok(stream);
        }
        let decoded = super::text::decode(sample, None);
        let encoding = decoded.encoding;
        let header_line = decoded.text.lines().next().unwrap_or_default().to_owned();
        let reader: Box<dyn Read> = match encoding {
            // UTF-16 is rare for point lists: decoded whole, then read like the others.
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
                let bytes =
                    super::input_file::read_input(path, super::input_file::MAX_TABLE_BYTES)?;
                let text = super::text::decode(&bytes, Some(encoding))
                    .text
                    .into_owned();
                Box::new(std::io::Cursor::new(text.into_bytes()))
            }
            _ => {
                if sample.starts_with(b"\xEF\xBB\xBF") {
                    buffered.consume(3);
                }
                Box::new(buffered)
            }
        };
        Self::from_reader(path, reader, encoding, &header_line, options)
    }

    fn from_reader(
        path: &Path,
        reader: Box<dyn std::io::Read>,
        encoding: TextEncoding,
        header_line: &str,
        options: &PointsCsvOptions,
    ) -> Result<Self, PointsCsvError> {
        if header_line.trim().is_empty() {
            return Err(PointsCsvError::Empty {
                path: path.to_owned(),
            });
        }
        let lines = crate::csv_lines::StreamLines::default();
        let tracked: Box<dyn std::io::Read> = Box::new(lines.track(reader));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sniff_delimiter(header_line))
            .flexible(true)
            .from_reader(tracked);
        let decode = |bytes: &[u8]| cell_text(bytes, encoding);
        let headers: Vec<String> = reader
            .byte_headers()
            .map_err(|e| PointsCsvError::Header {
                path: path.to_owned(),
                message: e.to_string(),
            })?
            .iter()
            .map(|h| decode(h).trim().to_owned())
            .collect();
        let find = |which: &'static str,
                    asked: &Option<String>,
                    names: &[&str]|
         -> Result<usize, PointsCsvError> {
            let found = match asked {
                Some(name) => headers.iter().position(|h| h == name.trim()).or_else(|| {
                    headers
                        .iter()
                        .position(|h| h.eq_ignore_ascii_case(name.trim()))
                }),
                None => names
                    .iter()
                    .find_map(|n| headers.iter().position(|h| h.eq_ignore_ascii_case(n))),
            };
            found.ok_or_else(|| PointsCsvError::MissingColumn {
                path: path.to_owned(),
                which,
                asked: asked.clone(),
                available: headers.clone(),
            })
        };
        let lon = find("longitude", &options.lon_column, LON_NAMES)?;
        let lat = find("latitude", &options.lat_column, LAT_NAMES)?;
        Ok(PointStream {
            lon_column: headers[lon].clone(),
            lat_column: headers[lat].clone(),
            headers,
            reader,
            encoding,
            lon,
            lat,
            crs: options.crs,
            lines,
            line_offset: 0,
        })
    }

    /// Reads the next row into `record`: its 1-based line and its point (converted to WGS84)
    /// or why it has none; `None` at the end. Blank rows are passed over.
    pub fn next_row(
        &mut self,
        record: &mut csv::ByteRecord,
    ) -> Option<(u64, Result<LonLat, String>)> {
        loop {
            match self.reader.read_byte_record(record) {
                Ok(false) => return None,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| self.lines.line_of(p.byte()));
                    return Some((line, Err(format!("不是有效的 CSV / not valid CSV: {e}"))));
                }
            }
            let line = record
                .position()
                .map_or(0, |p| self.lines.line_of(p.byte()))
                + self.line_offset;
            if record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                continue;
            }
            let point = read_point(
                record,
                self.lon,
                self.lat,
                &self.lon_column,
                &self.lat_column,
            )
            .map(|p| self.crs.to_wgs84(p));
            return Some((line, point));
        }
    }

    /// A cell of the file as text, in the file's encoding.
    pub fn text(&self, cell: &[u8]) -> String {
        cell_text(cell, self.encoding)
    }
}

/// A cell's bytes as text in `encoding` (UTF-16 files were decoded to UTF-8 on opening).
fn cell_text(bytes: &[u8], encoding: TextEncoding) -> String {
    match encoding {
        TextEncoding::Gb18030 => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn read_point(
    record: &csv::ByteRecord,
    lon: usize,
    lat: usize,
    lon_name: &str,
    lat_name: &str,
) -> Result<LonLat, String> {
    let number = |column: usize, name: &str| -> Result<f64, String> {
        let cell = record.get(column).unwrap_or_default().trim_ascii();
        if cell.is_empty() {
            return Err(format!("“{name}”列为空 / column '{name}' is empty"));
        }
        let text = String::from_utf8_lossy(cell);
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => {
                let shown = crate::format::terminal_safe(&text);
                Err(format!(
                    "“{name}”列:“{shown}”不是数字 / column '{name}': '{shown}' is not a number"
                ))
            }
        }
    };
    let (x, y) = (number(lon, lon_name)?, number(lat, lat_name)?);
    if !(-90.0..=90.0).contains(&y) {
        let (hint_zh, hint_en) = if (-90.0..=90.0).contains(&x) {
            (";经纬度是否颠倒?", "; are longitude and latitude swapped?")
        } else if x.abs() > 1000.0 && y.abs() > 1000.0 {
            (
                ";这像是投影坐标(米,如 UTM 或高斯-克吕格):请给出以度为单位的经纬度,或经 GDAL 读取(按 .prj 转换)",
                "; these look like projected metres (e.g. a UTM or Gauss–Krüger grid): give longitude and latitude in degrees, or read the file through GDAL, which converts from its .prj",
            )
        } else {
            ("", "")
        };
        return Err(format!(
            "纬度 {y} 超出 -90..90{hint_zh} / latitude {y} is outside -90..90{hint_en}"
        ));
    }
    if !(-180.0..=180.0).contains(&x) {
        return Err(format!(
            "经度 {x} 超出 -180..180 / longitude {x} is outside -180..180"
        ));
    }
    Ok([x, y])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The points and the bad rows of a UTF-8 text.
    #[derive(Debug)]
    struct Read {
        points: Vec<LonLat>,
        lines: Vec<u64>,
        bad_rows: Vec<(u64, String)>,
    }

    fn read(text: &str, options: &PointsCsvOptions) -> Result<Read, PointsCsvError> {
        let header = text.lines().next().unwrap_or_default().to_owned();
        let reader: Box<dyn std::io::Read> = Box::new(std::io::Cursor::new(text.to_owned()));
        let mut stream = PointStream::from_reader(
            Path::new("p.csv"),
            reader,
            TextEncoding::Utf8,
            &header,
            options,
        )?;
        let mut read = Read {
            points: Vec::new(),
            lines: Vec::new(),
            bad_rows: Vec::new(),
        };
        let mut record = csv::ByteRecord::new();
        while let Some((line, point)) = stream.next_row(&mut record) {
            match point {
                Ok(p) => {
                    read.points.push(p);
                    read.lines.push(line);
                }
                Err(reason) => read.bad_rows.push((line, reason)),
            }
        }
        Ok(read)
    }

    #[test]
    fn guesses_columns_and_reports_bad_rows_by_line() {
        let csv = "name,经度,纬度\na,104.06,30.66\nb,abc,30.1\n\nc,104.1\nd,30.5,104.0\ne,200,30\n";
        let points = read(csv, &PointsCsvOptions::default()).unwrap();
        assert_eq!(points.points, vec![[104.06, 30.66]]);
        assert_eq!(points.lines, vec![2]);
        let lines: Vec<u64> = points.bad_rows.iter().map(|b| b.0).collect();
        assert_eq!(lines, vec![3, 5, 6, 7]);
        assert_eq!(
            points.bad_rows[0].1,
            "“经度”列:“abc”不是数字 / column '经度': 'abc' is not a number"
        );
        assert_eq!(
            points.bad_rows[1].1,
            "“纬度”列为空 / column '纬度' is empty"
        );
        assert!(
            points.bad_rows[2].1.contains("swapped"),
            "{}",
            points.bad_rows[2].1
        );
    }

    #[test]
    fn named_columns_semicolons_and_conversion() {
        let csv = "id;x_gcj;y_gcj\n1;104.0721;30.6632\n";
        let options = PointsCsvOptions {
            lon_column: Some("x_gcj".into()),
            lat_column: Some("y_gcj".into()),
            crs: Crs::Gcj02,
            ..PointsCsvOptions::default()
        };
        let points = read(csv, &options).unwrap();
        let expected = Crs::Gcj02.to_wgs84([104.0721, 30.6632]);
        assert_eq!(points.points, vec![expected]);
    }

    #[test]
    fn missing_columns_name_the_flag_and_the_header() {
        let err = read("a,b\n1,2\n", &PointsCsvOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("p.csv:1: 未找到经度列")
                && err.contains(" / no longitude column found"),
            "{err}"
        );
        assert!(
            err.contains("--lon-col") && err.ends_with("the columns are: a, b"),
            "{err}"
        );
        let asked = PointsCsvOptions {
            lon_column: Some("lng2".into()),
            ..Default::default()
        };
        let err = read("lng,lat\n1,2\n", &asked).unwrap_err().to_string();
        assert!(
            err.contains("no column named 'lng2' (given by --lon-col)"),
            "{err}"
        );
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(
            read("", &PointsCsvOptions::default()),
            Err(PointsCsvError::Empty { .. })
        ));
    }

    #[test]
    fn gb18030_utf16_and_bom_files_are_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let text = "名称,经度,纬度\n郫都区,103.9,30.8\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        for (name, bytes, encoding) in [
            ("gbk.csv", gbk.into_owned(), TextEncoding::Gb18030),
            ("utf16.csv", utf16, TextEncoding::Utf16Le),
            ("bom.csv", bom, TextEncoding::Utf8),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let mut stream = PointStream::open(&path, &PointsCsvOptions::default()).unwrap();
            assert_eq!(stream.encoding, encoding, "{name}");
            assert_eq!(stream.headers[0], "名称", "{name}");
            let mut record = csv::ByteRecord::new();
            let (line, point) = stream.next_row(&mut record).unwrap();
            assert_eq!((line, point), (2, Ok([103.9, 30.8])), "{name}");
            assert_eq!(stream.text(&record[0]), "郫都区", "{name}");
            assert!(stream.next_row(&mut record).is_none());
        }
    }

    #[test]
    fn projected_metres_get_a_hint() {
        let points = read("x,y\n412345.6,3265811.9\n", &PointsCsvOptions::default()).unwrap();
        assert!(
            points.bad_rows[0].1.contains("projected metres"),
            "{:?}",
            points.bad_rows
        );
    }
}
