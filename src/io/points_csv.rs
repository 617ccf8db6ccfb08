//! Reading point coordinates from a user's CSV file (UTF-8 or GB18030, as Excel on Chinese
//! Windows saves it), with per-row errors that name the line.

use super::csv_table::{self, HeaderError};
use crate::crs::{Crs, LonLat};
use crate::csv_lines::LineCounter;
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
}

/// A row that could not be read as a point.
#[derive(Clone, Debug, PartialEq)]
pub struct BadRow {
    /// 1-based line number in the file.
    pub line: u64,
    /// What is wrong with it.
    pub reason: String,
}

/// The points read from a file.
#[derive(Clone, Debug)]
pub struct PointsCsv {
    /// The readable points, converted to WGS84, in file order.
    pub points: Vec<LonLat>,
    /// The line number of each point.
    pub lines: Vec<u64>,
    /// Rows that could not be read.
    pub bad_rows: Vec<BadRow>,
    /// The longitude column used.
    pub lon_column: String,
    /// The latitude column used.
    pub lat_column: String,
    /// "UTF-8" or "GB18030".
    pub encoding: &'static str,
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PointsCsvError {
    /// The file could not be read (missing, not a regular file, too large).
    #[error(transparent)]
    Input(#[from] super::input_file::InputError),
    /// The file holds no header line.
    #[error("{}: the file is empty; it needs a header line naming the longitude and latitude columns", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The header is not valid CSV.
    #[error("{}:1: the header line is not valid CSV: {message}", path.display())]
    Header {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A coordinate column was not found.
    #[error("{}:1: {}; the columns are: {}", path.display(), describe_missing(which, asked.as_deref()), available.join(", "))]
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

fn describe_missing(which: &str, asked: Option<&str>) -> String {
    let flag = if which == "longitude" {
        "--lon-col"
    } else {
        "--lat-col"
    };
    match asked {
        Some(name) => format!("no column named '{name}' (given by {flag})"),
        None => format!(
            "no {which} column found (looked for {}); name it with {flag}",
            if which == "longitude" {
                LON_NAMES
            } else {
                LAT_NAMES
            }
            .join(", ")
        ),
    }
}

/// Reads points from `path`.
pub fn read_points_csv(
    path: &Path,
    options: &PointsCsvOptions,
) -> Result<PointsCsv, PointsCsvError> {
    // A device or pipe is refused before it is opened; a file is read whole, up to the cap.
    let bytes = super::input_file::read_input(path, super::input_file::MAX_TABLE_BYTES)?;
    let (text, encoding) = csv_table::decode(&bytes);
    parse(path, &text, encoding, options)
}

fn parse(
    path: &Path,
    text: &str,
    encoding: &'static str,
    options: &PointsCsvOptions,
) -> Result<PointsCsv, PointsCsvError> {
    let (mut reader, headers) = csv_table::open(text).map_err(|e| match e {
        HeaderError::Empty => PointsCsvError::Empty {
            path: path.to_owned(),
        },
        HeaderError::Invalid(e) => PointsCsvError::Header {
            path: path.to_owned(),
            message: e.to_string(),
        },
    })?;
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

    let mut result = PointsCsv {
        points: Vec::new(),
        lines: Vec::new(),
        bad_rows: Vec::new(),
        lon_column: headers[lon].clone(),
        lat_column: headers[lat].clone(),
        encoding,
    };
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        let line = lines.line_of(Some(reader.position()));
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                result.bad_rows.push(BadRow {
                    line,
                    reason: format!("not valid CSV: {e}"),
                });
                continue;
            }
        }
        let line = lines.line_of(record.position());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        match read_point(&record, lon, lat, &result.lon_column, &result.lat_column) {
            Ok(p) => {
                result.points.push(options.crs.to_wgs84(p));
                result.lines.push(line);
            }
            Err(reason) => result.bad_rows.push(BadRow { line, reason }),
        }
    }
    Ok(result)
}

fn read_point(
    record: &csv::StringRecord,
    lon: usize,
    lat: usize,
    lon_name: &str,
    lat_name: &str,
) -> Result<LonLat, String> {
    let number = |column: usize, name: &str| -> Result<f64, String> {
        let cell = record.get(column).map(str::trim).unwrap_or_default();
        if cell.is_empty() {
            return Err(format!("column '{name}' is empty"));
        }
        match cell.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!("column '{name}': '{cell}' is not a number")),
        }
    };
    let (x, y) = (number(lon, lon_name)?, number(lat, lat_name)?);
    if !(-90.0..=90.0).contains(&y) {
        let hint = if (-90.0..=90.0).contains(&x) {
            "; are longitude and latitude swapped?"
        } else {
            ""
        };
        return Err(format!("latitude {y} is outside -90..90{hint}"));
    }
    if !(-180.0..=180.0).contains(&x) {
        return Err(format!("longitude {x} is outside -180..180"));
    }
    Ok([x, y])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, options: &PointsCsvOptions) -> Result<PointsCsv, PointsCsvError> {
        parse(Path::new("p.csv"), text, "UTF-8", options)
    }

    #[test]
    fn guesses_columns_and_reports_bad_rows_by_line() {
        let csv = "name,经度,纬度\na,104.06,30.66\nb,abc,30.1\n\nc,104.1\nd,30.5,104.0\ne,200,30\n";
        let points = read(csv, &PointsCsvOptions::default()).unwrap();
        assert_eq!(points.points, vec![[104.06, 30.66]]);
        assert_eq!(points.lines, vec![2]);
        let lines: Vec<u64> = points.bad_rows.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![3, 5, 6, 7]);
        assert_eq!(
            points.bad_rows[0].reason,
            "column '经度': 'abc' is not a number"
        );
        assert_eq!(points.bad_rows[1].reason, "column '纬度' is empty");
        assert!(
            points.bad_rows[2].reason.contains("swapped"),
            "{}",
            points.bad_rows[2].reason
        );
    }

    #[test]
    fn named_columns_semicolons_and_conversion() {
        let csv = "id;x_gcj;y_gcj\n1;104.0721;30.6632\n";
        let options = PointsCsvOptions {
            lon_column: Some("x_gcj".into()),
            lat_column: Some("y_gcj".into()),
            crs: Crs::Gcj02,
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
            err.starts_with("p.csv:1: no longitude column found"),
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
    fn gb18030_files_are_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("名称,经度,纬度\n郫都区,103.9,30.8\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gbk.csv");
        std::fs::write(&path, &bytes).unwrap();
        let points = read_points_csv(&path, &PointsCsvOptions::default()).unwrap();
        assert_eq!(points.encoding, "GB18030");
        assert_eq!(points.points, vec![[103.9, 30.8]]);
    }
}
