//! The shape of a county table, read from its header and first rows: which column keys the
//! counties, whether a column holds the year (a long table) or the headers carry years (a wide
//! table: `R&D经费2019`, `R&D经费2020`), the units written in headers (`GDP(万元)`) or in a row
//! of their own below the header, and which columns hold numbers.

use crate::io::number::{Cell, parse_cell};

/// Column names recognised as the county's code, compared case-insensitively.
pub(super) const CODE_NAMES: &[&str] = &[
    "adcode",
    "code",
    "区划代码",
    "行政区划代码",
    "代码",
    "统计用区划代码",
];
/// Column names recognised as the county's name.
pub(super) const NAME_NAMES: &[&str] = &[
    "name",
    "county",
    "名称",
    "县区",
    "区县",
    "县",
    "地区",
    "县(市、区)",
    "县（市、区）",
    "单位名称",
];
/// Column names recognised as the year of a long table.
const YEAR_NAMES: &[&str] = &["year", "年份", "年度", "年", "统计年度"];

/// A column of values: its indicator, and the year its header names (wide tables).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ValueColumn {
    /// The column's index.
    pub index: usize,
    /// The header as written.
    pub header: String,
    /// The indicator's name: the header without its year and unit.
    pub indicator: String,
    /// The year the header names.
    pub year: Option<i32>,
    /// The unit the header or the unit row names.
    pub unit: Option<String>,
}

/// Position of a header among `names`, exact first, then case-insensitively.
pub(super) fn find(headers: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    headers
        .iter()
        .position(|h| h == name)
        .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
}

/// The recognised key columns of `headers`: code columns, then name columns.
pub(super) fn key_columns(headers: &[String]) -> Vec<usize> {
    let mut found: Vec<usize> = CODE_NAMES
        .iter()
        .chain(NAME_NAMES)
        .filter_map(|n| find(headers, n))
        .collect();
    let mut seen = Vec::new();
    found.retain(|c| {
        let new = !seen.contains(c);
        seen.push(*c);
        new
    });
    found
}

/// The year column of a long table: a recognised name whose cells are years.
pub(super) fn year_column(headers: &[String], rows: &[Vec<String>]) -> Option<usize> {
    let column = YEAR_NAMES.iter().find_map(|n| find(headers, n))?;
    // Most cells years: a few that are not are reported on their lines, not taken as values.
    let (mut years, mut filled) = (0usize, 0usize);
    for cell in rows.iter().filter_map(|r| r.get(column)).take(500) {
        if !cell.trim().is_empty() {
            filled += 1;
            years += usize::from(cell_year(cell).is_some());
        }
    }
    (filled > 0 && years * 5 >= filled * 4).then_some(column)
}

/// A year cell: "2020", "2020年", "2020.0".
pub(super) fn cell_year(text: &str) -> Option<i32> {
    let text = text.trim();
    let text = text.strip_suffix('年').unwrap_or(text);
    let text = text.strip_suffix(".0").unwrap_or(text);
    let year: i32 = text.parse().ok()?;
    (1949..=2100).contains(&year).then_some(year)
}

/// Splits a header into indicator, year and unit: `R&D经费(万元)2019` → ("R&D经费", 2019,
/// "万元"); `2020年末常住人口` → ("年末常住人口", 2020, —); `2019` → ("", 2019, —).
pub(super) fn split_header(header: &str) -> (String, Option<i32>, Option<String>) {
    let mut rest = header.trim().to_owned();
    let mut unit = None;
    // A bracketed part that is no year is the unit: "(万元)", "（%）", "[个]".
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
        if let (Some(start), Some(end)) = (rest.find(open), rest.rfind(close))
            && start < end
        {
            let inner = rest[start + open.len_utf8()..end].trim().to_owned();
            if cell_year(&inner).is_none() && !inner.is_empty() && inner.chars().count() <= 12 {
                unit = Some(inner);
                rest.replace_range(start..end + close.len_utf8(), "");
            }
        }
    }
    let year = year_in(&rest);
    if let Some((start, end, year_value)) = year {
        let mut after = end;
        if rest[after..].starts_with('年') {
            // "2019年R&D经费" and "2019年度" lose their 年; "2020年末常住人口" keeps it as part of
            // the name ("年末常住人口": year-end resident population).
            let next = rest[after + '年'.len_utf8()..].chars().next();
            match next {
                Some('末' | '初' | '底') => {}
                Some('度') => after += '年'.len_utf8() + '度'.len_utf8(),
                _ => after += '年'.len_utf8(),
            }
        }
        rest.replace_range(start..after, "");
        let indicator = rest
            .trim_matches(|c: char| is_separator(c) || c.is_whitespace())
            .replace(['(', ')', '（', '）'], "")
            .trim()
            .to_owned();
        return (indicator, Some(year_value), unit);
    }
    (rest.trim().to_owned(), None, unit)
}

fn is_separator(c: char) -> bool {
    matches!(c, '_' | '-' | ' ' | '/' | ':' | '：' | '·')
}

/// The first standalone four-digit year in `text` (not part of a longer number): its byte
/// range and value.
fn year_in(text: &str) -> Option<(usize, usize, i32)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 4 {
            let year: i32 = text[i..i + 4].parse().ok()?;
            if (1949..=2100).contains(&year) {
                return Some((i, i + 4, year));
            }
        }
        i += run.max(1);
    }
    None
}

/// Whether `row` (the first below the header) holds units rather than values: no key, no
/// number, and short unit-like texts in the value columns ("万元", "%", "个", "（人）").
pub(super) fn is_unit_row(row: &[String], keys: &[usize], candidates: &[usize]) -> bool {
    let key_blank = keys.iter().all(|&k| {
        row.get(k).is_none_or(|c| {
            let c = c.trim();
            c.is_empty() || matches!(c, "单位" | "计量单位" | "unit" | "Unit" | "units")
        })
    });
    let cells: Vec<&str> = candidates
        .iter()
        .filter_map(|&c| row.get(c).map(|s| s.trim()))
        .filter(|c| !c.is_empty())
        .collect();
    key_blank
        && !cells.is_empty()
        && cells.iter().all(|c| {
            c.chars().count() <= 12
                && !matches!(parse_cell(c), Ok(Cell::Number(_)))
                && cell_year(c).is_none()
        })
}

/// Whether a column holds numbers: at least half of its filled cells (among the first rows)
/// are numbers or marks for "no value".
pub(super) fn is_numeric(rows: &[Vec<String>], column: usize) -> bool {
    let (mut numbers, mut filled) = (0usize, 0usize);
    for cell in rows.iter().filter_map(|r| r.get(column)).take(500) {
        if cell.trim().is_empty() {
            continue;
        }
        filled += 1;
        if parse_cell(cell).is_ok() {
            numbers += 1;
        }
    }
    filled > 0 && numbers * 2 >= filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_into_indicator_year_and_unit() {
        let split = |h: &str| split_header(h);
        assert_eq!(split("R&D经费2019"), ("R&D经费".into(), Some(2019), None));
        assert_eq!(
            split("R&D经费(万元)2020"),
            ("R&D经费".into(), Some(2020), Some("万元".into()))
        );
        assert_eq!(split("2019年R&D经费"), ("R&D经费".into(), Some(2019), None));
        assert_eq!(split("2019年"), ("".into(), Some(2019), None));
        assert_eq!(
            split("2020年末常住人口（万人）"),
            ("年末常住人口".into(), Some(2020), Some("万人".into()))
        );
        assert_eq!(split("GDP_2021"), ("GDP".into(), Some(2021), None));
        assert_eq!(split("企业数"), ("企业数".into(), None, None));
        assert_eq!(
            split("510104"),
            ("510104".into(), None, None),
            "no year inside"
        );
    }

    #[test]
    fn unit_rows_and_year_cells() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert!(is_unit_row(&row(&["", "万元", "%"]), &[0], &[1, 2]));
        assert!(is_unit_row(&row(&["单位", "个", ""]), &[0], &[1, 2]));
        assert!(!is_unit_row(&row(&["郫都区", "万元", "%"]), &[0], &[1, 2]));
        assert!(!is_unit_row(&row(&["", "12", "%"]), &[0], &[1, 2]));
        assert_eq!(cell_year("2020年"), Some(2020));
        assert_eq!(cell_year("2020.0"), Some(2020));
        assert_eq!(cell_year("20"), None);
    }
}
