//! Each row of a county table joined to a county: its key resolved once however often it
//! repeats (suggestions only for the rows the report lists), its year, its cells read as
//! numbers, checked against today's area, and kept one per county and year, or counted where
//! the table is a list.

use super::report::{MAX_LISTED, Report, Unmatched};
use super::shape::{self, ValueColumn};
use crate::atlas::{AreaFit, Atlas, ResolveError, Resolved, UnitId};
use crate::io::number::{Cell, parse_cell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// The value column of a list: each row counts one for its county.
pub(super) const LIST_ROWS: usize = usize::MAX;

/// How many distinct keys are remembered with their outcome; beyond, keys are resolved
/// afresh (still without suggestions).
const MAX_REMEMBERED_KEYS: usize = 100_000;
/// A year's values of one layer: each unit's value and the line it came from.
pub(super) type CellsOfYear = BTreeMap<UnitId, (f64, u64)>;

/// What the row loop needs and builds.
pub(super) struct Builder<'a> {
    pub(super) atlas: &'a Atlas,
    pub(super) report: Report,
    pub(super) keys: Vec<usize>,
    pub(super) year_column: Option<usize>,
    pub(super) default_year: Option<i32>,
    pub(super) values: &'a [ValueColumn],
    pub(super) column_layer: &'a [usize],
    /// Per layer, per year: each unit's value and the line it came from.
    pub(super) cells: Vec<BTreeMap<i32, CellsOfYear>>,
    pub(super) remembered: HashMap<String, Result<Resolved, Rc<ResolveError>>>,
    /// How each key's value fits today's area, by year (the check reads the code history).
    pub(super) fits: HashMap<Option<i32>, HashMap<String, AreaFit>>,
    pub(super) matched_units: Vec<bool>,
    pub(super) headers: &'a [String],
    /// Per value column, matched rows whose cell is empty or says "no value".
    pub(super) no_value: Vec<usize>,
    /// Per layer, whether its values are amounts (which cannot be negative).
    pub(super) layer_amount: &'a [bool],
}

impl Builder<'_> {
    pub(super) fn row(&mut self, line: u64, record: Result<Vec<String>, String>) {
        let row = match record {
            Ok(row) => row,
            Err(message) => {
                self.report.error(line, None, || message);
                return;
            }
        };
        let filled: Vec<&str> = self
            .keys
            .iter()
            .filter_map(|&c| row.get(c).map(|s| s.trim()))
            .filter(|k| !k.is_empty())
            .collect();
        let mut key = filled.first().copied().unwrap_or_default().to_owned();
        let has_value = self.values.iter().any(|v| {
            v.index == LIST_ROWS || row.get(v.index).is_some_and(|c| !c.trim().is_empty())
        });
        if key.is_empty() && !has_value {
            return; // a blank row
        }
        self.report.rows += 1;
        // The first key column that names a county: a list's 名称 may be a park's name, its
        // 县区 the county.
        let resolved = match self.resolve(&key) {
            Ok(resolved) => resolved,
            Err(error) => {
                let other = filled
                    .iter()
                    .skip(1)
                    .find_map(|k| self.resolve(k).ok().map(|r| (k.to_string(), r)));
                match other {
                    Some((other, resolved)) => {
                        key = other;
                        resolved
                    }
                    None => {
                        // Made only for the rows the report lists.
                        self.report.unmatched(|| unmatched(line, &key, &error));
                        return;
                    }
                }
            }
        };
        let row_year = match self.year_column {
            Some(column) => {
                let cell = row.get(column).map(|s| s.trim()).unwrap_or_default();
                match shape::cell_year(cell) {
                    Some(year) => Some(year),
                    None => {
                        self.report.error(line, Some(&self.headers[column]), || {
                            format!("“{cell}”不是年份 / '{cell}' is not a year")
                        });
                        return;
                    }
                }
            }
            None => self.default_year,
        };
        self.report.matched += 1;
        let unit = resolved.unit;
        for (position, (value_column, &layer)) in
            self.values.iter().zip(self.column_layer).enumerate()
        {
            let header = value_column.header.as_str();
            let list = value_column.index == LIST_ROWS;
            let cell = if list {
                "1"
            } else {
                row.get(value_column.index).map(|s| s.trim()).unwrap_or("")
            };
            let value = match parse_cell(cell) {
                Ok(Cell::Number(v)) => v,
                Ok(Cell::Missing) => {
                    self.no_value[position] += 1;
                    continue;
                }
                Err(error) => {
                    self.report.error(line, Some(header), || error.to_string());
                    continue;
                }
            };
            if value < 0.0 && self.layer_amount[layer] {
                self.report.error(line, Some(header), || {
                    format!(
                        "数量不能为负({cell});请核对 / an amount cannot be negative ({cell}): check the cell"
                    )
                });
                continue;
            }
            let year = value_column.year.or(row_year);
            match self.area_fit(&key, &resolved, year) {
                AreaFit::Same => {}
                AreaFit::Changed(note) => self.report.note(Some(line), note),
                AreaFit::Other(reason) => {
                    self.report.error(line, Some(header), || {
                        format!("未使用 / left out: {reason}")
                    });
                    continue;
                }
            }
            let by_unit = self.cells[layer].entry(year.unwrap_or(0)).or_default();
            if list {
                by_unit.entry(unit).or_insert((0.0, line)).0 += 1.0;
                self.matched_units[unit.index()] = true;
                continue;
            }
            if let Some((_, first)) = by_unit.get(&unit) {
                let name = &self.atlas.unit(unit).name;
                let first = *first;
                self.report.error(line, Some(header), || {
                    format!(
                        "{name} 在第 {first} 行已有数值,每县每年只留一行 / {name} already has a value on line {first}; keep one row per county and year"
                    )
                });
                continue;
            }
            by_unit.insert(unit, (value, line));
            self.matched_units[unit.index()] = true;
        }
    }

    /// Resolves a key once however often it repeats; suggestions only for the first unknown
    /// keys, which are all the report lists.
    fn resolve(&mut self, key: &str) -> Result<Resolved, Rc<ResolveError>> {
        if let Some(known) = self.remembered.get(key) {
            return known.clone();
        }
        let suggest = self.report.unmatched.len() < MAX_LISTED;
        let outcome = self.atlas.resolve_with(key, suggest).map_err(Rc::new);
        if self.remembered.len() < MAX_REMEMBERED_KEYS {
            self.remembered.insert(key.to_owned(), outcome.clone());
        }
        outcome
    }

    /// [`Atlas::area_fit`], once per key and year.
    fn area_fit(&mut self, key: &str, resolved: &Resolved, year: Option<i32>) -> AreaFit {
        let by_key = self.fits.entry(year).or_default();
        if let Some(fit) = by_key.get(key) {
            return fit.clone();
        }
        let fit = self.atlas.area_fit(key, resolved, year);
        if by_key.len() < MAX_REMEMBERED_KEYS {
            by_key.insert(key.to_owned(), fit.clone());
        }
        fit
    }
}

/// The report's entry for a row whose key matched no county: the reason, and the closest
/// names apart from it.
fn unmatched(line: u64, key: &str, error: &ResolveError) -> Unmatched {
    let shown = crate::format::terminal_safe(key).into_owned();
    let reason = match error {
        ResolveError::Empty => "键列为空 / no county name or adcode in the key column".to_owned(),
        ResolveError::NotFound { .. } => format!(
            "四川没有名为“{shown}”的县级单位 / no county-level unit of Sichuan is called '{shown}'"
        ),
        ResolveError::Ambiguous { .. } => format!(
            "“{shown}”对应多个县区,请写上市州或代码 / '{shown}' matches several units: write the prefecture too, or the adcode"
        ),
        ResolveError::Prefecture { .. } => format!(
            "“{shown}”是市州,不是县级单位 / '{shown}' is a prefecture, not a county-level unit"
        ),
        split @ ResolveError::Split { .. } => split.to_string(),
    };
    let suggestions = match error {
        ResolveError::NotFound { suggestions, .. } => suggestions.as_slice(),
        ResolveError::Ambiguous { candidates, .. } => candidates,
        ResolveError::Split { into, .. } => into,
        _ => &[],
    }
    .iter()
    .map(|(_, d)| d.clone())
    .collect();
    Unmatched {
        line,
        text: shown,
        reason,
        suggestions,
    }
}
