//! A user's grouping of the counties (county → group: the four classes of the provincial
//! county-economy assessment, a planning zone), from a CSV file or a workbook's sheet with a
//! key column (adcode or county name, as county tables are keyed) and a group column.
//!
//! The key column is the first whose cells name counties, prefectures or economic regions; the
//! group column is the one named 分组, 类别, 分类, 组别, group or class, else the first other
//! column. A row keyed by a prefecture (绵阳市, 510700) or a region (川南经济区) puts all its
//! counties in the group, so that a grouping by city, such as 一干多支's three tiers (成都, the
//! regional centres, the rest), takes 21 rows, not 183; a county's own row overrides its
//! prefecture's, and a prefecture's its region's. A row whose key names nothing, or two rows of
//! one kind giving a county two groups, is an error naming its line: a grouping that silently
//! drops or moves counties would change every comparison made with it.

use crate::analysis::grouping::{BuiltinGrouping, Grouping};
use crate::atlas::{Atlas, UnitId};
use crate::i18n::Text;
use std::path::Path;

/// Column names taken as the group column, in order of preference.
const GROUP_COLUMNS: &[&str] = &["分组", "类别", "分类", "组别", "group", "class", "category"];

/// Why a grouping table cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum GroupingError {
    /// Neither a built-in grouping nor a file (the message says which are known).
    #[error("{0}")]
    Unknown(String),
    /// The file could not be read.
    #[error(transparent)]
    Input(#[from] super::input_file::InputError),
    /// A workbook's sheet could not be read.
    #[error("{}: {source}", path.display())]
    Workbook {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong.
        source: super::workbook::WorkbookError,
    },
    /// The table has no two columns or no county key.
    #[error("{}:1: {zh} / {en}", path.display())]
    Shape {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong, in Chinese.
        zh: String,
        /// What is wrong, in English.
        en: String,
    },
    /// A row's key names no county, or several.
    #[error("{}:{line}: {source}", path.display())]
    Key {
        /// The file.
        path: std::path::PathBuf,
        /// Its line (a workbook's sheet row).
        line: u64,
        /// Why the key does not name one county.
        source: crate::atlas::ResolveError,
    },
    /// A row that cannot be used.
    #[error("{}:{line}: {zh} / {en}", path.display())]
    Row {
        /// The file.
        path: std::path::PathBuf,
        /// Its line (a workbook's sheet row).
        line: u64,
        /// What is wrong, in Chinese.
        zh: String,
        /// What is wrong, in English.
        en: String,
    },
}

/// The grouping `by` names: `region`, `prefecture`, `trunk` (see [`BuiltinGrouping`]), or a
/// grouping table's path, relative to `folder` (an index definition's, or the working
/// folder).
pub fn grouping_by(atlas: &Atlas, by: &str, folder: &Path) -> Result<Grouping, GroupingError> {
    match by.parse::<BuiltinGrouping>() {
        Ok(kind) => Ok(Grouping::builtin(atlas, kind)),
        Err(_) if folder.join(by).is_file() => read_grouping(&folder.join(by), atlas),
        Err(message) => Err(GroupingError::Unknown(message)),
    }
}

/// Reads the grouping at `path`; counties the table does not list belong to no group.
pub fn read_grouping(path: &Path, atlas: &Atlas) -> Result<Grouping, GroupingError> {
    let bytes = super::input_file::read_input(path, super::input_file::MAX_TABLE_BYTES)?;
    let (text, line_offset) = if super::workbook::is_workbook(&bytes) {
        let sheet = super::workbook::sheet_as_csv(bytes, None).map_err(|source| {
            GroupingError::Workbook {
                path: path.to_owned(),
                source,
            }
        })?;
        (sheet.csv, sheet.header_row - 1)
    } else {
        (super::text::decode(&bytes, None).text.into_owned(), 0)
    };
    let shape = |zh: &str, en: &str| GroupingError::Shape {
        path: path.to_owned(),
        zh: zh.to_owned(),
        en: en.to_owned(),
    };
    let header_line = text.lines().next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(super::delimiter::sniff_delimiter(header_line))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            shape(
                "表头不是有效的 CSV",
                &format!("the header is not valid CSV: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.len() < 2 {
        return Err(shape(
            "分组表需要两列:县区(代码或名称)与分组",
            "a grouping table needs two columns: the county (adcode or name) and its group",
        ));
    }
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| GroupingError::Row {
            path: path.to_owned(),
            line: e.position().map_or(0, |p| p.line()) + line_offset,
            zh: "不是有效的 CSV".to_owned(),
            en: format!("not valid CSV: {e}"),
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line()) + line_offset;
        rows.push((line, record.iter().map(|c| c.trim().to_owned()).collect()));
    }
    let cell = |row: &[String], c: usize| row.get(c).cloned().unwrap_or_default();
    // The key: the first column at least half of whose cells name a county or an area.
    let key = (0..headers.len())
        .find(|&c| {
            let named = rows
                .iter()
                .filter(|(_, r)| key_of(atlas, &cell(r, c)).is_some())
                .count();
            named > 0 && named * 2 >= rows.len()
        })
        .ok_or_else(|| {
            shape(
                "没有一列以区划代码或县名为主(请检查键列)",
                "no column holds mostly adcodes or county names: check the key column",
            )
        })?;
    let group = GROUP_COLUMNS
        .iter()
        .find_map(|name| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
        .filter(|&c| c != key)
        .or_else(|| (0..headers.len()).find(|&c| c != key))
        .unwrap_or(1 - key.min(1));
    // Each county's group and how specific the row that gave it was.
    let mut given: Vec<Option<(Specificity, String, u64)>> = vec![None; atlas.units().len()];
    for (line, row) in &rows {
        let row_error = |zh: String, en: String| GroupingError::Row {
            path: path.to_owned(),
            line: *line,
            zh,
            en,
        };
        let query = cell(row, key);
        let (specificity, units) = match key_of(atlas, &query) {
            Some(found) => found,
            None => {
                // Say why as a county key would: the nearest names, a split area.
                let source = atlas.resolve(&query).err().unwrap_or_else(|| {
                    crate::atlas::ResolveError::NotFound {
                        query: query.clone(),
                        suggestions: Vec::new(),
                    }
                });
                return Err(GroupingError::Key {
                    path: path.to_owned(),
                    line: *line,
                    source,
                });
            }
        };
        let label = cell(row, group);
        if label.is_empty() {
            return Err(row_error(
                format!("“{query}”的分组为空"),
                format!("the group of '{query}' is empty"),
            ));
        }
        for unit in units {
            let slot = &mut given[unit.index()];
            match slot {
                Some((earlier_kind, earlier, _))
                    if *earlier_kind == specificity && *earlier != label =>
                {
                    return Err(row_error(
                        format!(
                            "{}已分入“{earlier}”,此行又分入“{label}”",
                            atlas.unit(unit).name
                        ),
                        format!(
                            "{} is already in '{earlier}'; this row puts it in '{label}'",
                            atlas.unit(unit).name_en
                        ),
                    ));
                }
                Some((earlier_kind, _, _)) if *earlier_kind > specificity => {}
                _ => *slot = Some((specificity, label.clone(), *line)),
            }
        }
    }
    // Groups in the order of the rows that name them.
    let mut labelled: Vec<(u64, UnitId, String)> = given
        .into_iter()
        .enumerate()
        .filter_map(|(u, g)| g.map(|(_, label, line)| (line, UnitId(u as u32), label)))
        .collect();
    labelled.sort_by_key(|(line, unit, _)| (*line, *unit));
    let labels: Vec<(UnitId, String)> = labelled
        .into_iter()
        .map(|(_, unit, label)| (unit, label))
        .collect();
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let name = format!("{stem}:{}", headers[group]);
    Ok(Grouping::from_labels(
        Text::new(name.clone(), name),
        atlas.units().len(),
        &labels,
    ))
}

/// How specific a row's key is: a county's own row overrides its prefecture's, which
/// overrides its region's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Specificity {
    Region,
    Prefecture,
    County,
}

/// The counties a key names: one county (by code or name, through the code history), or all
/// of a prefecture's or an economic region's.
fn key_of(atlas: &Atlas, key: &str) -> Option<(Specificity, Vec<UnitId>)> {
    match atlas.resolve(key) {
        Ok(found) => return Some((Specificity::County, vec![found.unit])),
        // A prefecture's name, or a name that is none of a county's: perhaps an area's.
        Err(
            crate::atlas::ResolveError::Prefecture { .. }
            | crate::atlas::ResolveError::NotFound { .. },
        ) => {}
        // Ambiguous, split or empty: the county error says what to write.
        Err(_) => return None,
    }
    let area = crate::scene::Focus::parse(atlas, key).ok()?;
    let specificity = match area {
        crate::scene::Focus::Region(_) => Specificity::Region,
        crate::scene::Focus::Prefecture(_) => Specificity::Prefecture,
    };
    Some((specificity, area.units(atlas)))
}
