//! A user's point list (parks, incubators, 星创天地, firms: a CSV file or a workbook sheet with
//! coordinates) read as named points; [`crate::analysis::point_list`] places them in counties,
//! as a point layer and a layer of counts.

use super::points_csv::{PointStream, PointsCsvError, PointsCsvOptions};
use crate::crs::LonLat;
use std::path::Path;

/// Column names taken as a feature's name, in order of preference.
const NAME_COLUMNS: &[&str] = &["名称", "name", "单位名称", "企业名称", "机构名称", "名字"];
/// Rows without a point listed, at most.
const LISTED_BAD_ROWS: usize = 20;

/// A point list read.
#[derive(Clone, Debug, Default)]
pub struct PointRows {
    /// Each point's name (from the name column, else "FILE LINE").
    pub names: Vec<String>,
    /// Each point, in WGS84.
    pub points: Vec<LonLat>,
    /// Rows without a point: the first few (line, reason), and how many in all.
    pub bad_rows: (Vec<(u64, String)>, u64),
    /// The column the points are named from, where one is.
    pub name_column: Option<String>,
    /// The file's stem, which names the layers.
    pub stem: String,
    /// The file's name, which their caveat cites.
    pub file: String,
}

/// Reads the point list at `path` (held in memory: a list a window shows).
pub fn read_point_list(
    path: &Path,
    options: &PointsCsvOptions,
) -> Result<PointRows, PointsCsvError> {
    let mut stream = PointStream::open(path, options)?;
    let name_column = NAME_COLUMNS.iter().find_map(|n| {
        stream
            .headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(n))
    });
    let stem = crate::format::page_text(
        &path
            .file_stem()
            .map_or_else(|| "points".to_owned(), |s| s.to_string_lossy().into_owned()),
    )
    .0;
    let file = crate::format::page_text(
        &path
            .file_name()
            .map_or_else(|| stem.clone(), |s| s.to_string_lossy().into_owned()),
    )
    .0;
    let mut rows = PointRows {
        name_column: name_column.map(|c| stream.headers[c].clone()),
        stem,
        file,
        ..PointRows::default()
    };
    let mut record = csv::ByteRecord::new();
    while let Some((line, point)) = stream.next_row(&mut record) {
        let point = match point {
            Ok(point) => point,
            Err(reason) => {
                rows.bad_rows.1 += 1;
                if rows.bad_rows.0.len() < LISTED_BAD_ROWS {
                    rows.bad_rows.0.push((line, reason));
                }
                continue;
            }
        };
        let name = name_column
            .map(|c| stream.text(record.get(c).unwrap_or_default()))
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| format!("{} {line}", rows.stem));
        rows.names.push(crate::format::page_text(name.trim()).0);
        rows.points.push(point);
    }
    Ok(rows)
}
