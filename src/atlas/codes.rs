//! The history of Sichuan's division codes since 1981 (`geodata/codes/`, from the 民政部 lists
//! and change notices): which of today's units an old code or name became, and where an area
//! was split or changed so that a value for it cannot be put on one of today's units.
//!
//! Years are as of 31 December: a code "in use 1983–2016" was replaced during 2016, so a value
//! for 2016 is already for its successor.

use super::table::Table;
use super::{Adcode, LoadError};
use std::collections::{BTreeSet, HashMap};

/// The file inside `geodata/`.
pub(crate) const FILE: &str = "codes/sichuan_division_codes.csv";

/// A move of (part of) an area to another code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Successor {
    code: Adcode,
    /// The year a part moved while the code stayed in use; `None` for where the area went
    /// when the code was retired or renamed.
    part_moved_in: Option<i32>,
}

/// One code under one name for a span of years.
#[derive(Clone, Debug)]
struct CodeSpan {
    code: Adcode,
    name: String,
    /// 县级 (county level); prefecture and province rows are kept only for their names.
    county_level: bool,
    in_use: bool,
    first_year: i32,
    /// Exclusive; `None` while in use.
    last_year: Option<i32>,
    successors: Vec<Successor>,
}

/// What became of an old code or name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lineage {
    /// It became exactly one code in use today (through renamings and changes of custody).
    Became {
        /// Today's code.
        code: Adcode,
        /// The old name that went with the code.
        name: String,
        /// The year it stopped being used.
        year: i32,
    },
    /// Its area went to several of today's units: a value for it cannot be put on one.
    Split {
        /// The old name.
        name: String,
        /// The year it was split.
        year: i32,
        /// Today's codes that hold its area.
        into: Vec<Adcode>,
    },
}

impl Lineage {
    /// The year the old code or name stopped being used.
    pub fn year(&self) -> i32 {
        match self {
            Lineage::Became { year, .. } | Lineage::Split { year, .. } => *year,
        }
    }

    /// Whether two lineages end in the same units today.
    fn same_area(&self, other: &Lineage) -> bool {
        match (self, other) {
            (Lineage::Became { code: a, .. }, Lineage::Became { code: b, .. }) => a == b,
            (Lineage::Split { into: a, .. }, Lineage::Split { into: b, .. }) => a == b,
            _ => false,
        }
    }
}

/// A change to a current unit's area after some year: why a value for that year may not be
/// for today's area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaChange {
    /// The year of the change.
    pub year: i32,
    /// What happened.
    pub kind: AreaChangeKind,
}

/// How a unit's area changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaChangeKind {
    /// The unit did not exist yet: it was created in that year.
    Created,
    /// A part became a new unit (广安区 gave 前锋区 in 2013): an older value covers both.
    SplitOff(Adcode),
    /// A part went to an existing unit.
    GavePart(Adcode),
    /// It received (part of) another unit's area.
    Received(Adcode),
}

/// The code history, looked up by code and by name.
#[derive(Clone, Debug, Default)]
pub struct DivisionCodes {
    spans: Vec<CodeSpan>,
    by_code: HashMap<Adcode, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The longest chain of successors followed; the table's longest is 5 (简阳).
const MAX_CHAIN: usize = 12;

impl DivisionCodes {
    /// Reads the table (columns 代码, 名称, 级别, 状态, 启用时间, 变更/弃用时间, 新代码).
    pub(crate) fn parse(table: &Table) -> Result<Self, LoadError> {
        let [code, name, level, status, first, last, successors] = [
            "代码",
            "名称",
            "级别",
            "状态",
            "启用时间",
            "变更/弃用时间",
            "新代码",
        ]
        .map(|c| table.column(c));
        let (code, name, level, status, first, last, successors) =
            (code?, name?, level?, status?, first?, last?, successors?);
        let mut codes = DivisionCodes::default();
        for row in table.rows() {
            let text = row.required(code)?;
            let parsed = Adcode::parse(text)
                .ok_or_else(|| row.error(code, format!("'{text}' is not a six-digit code")))?;
            let year = |column: usize| -> Result<Option<i32>, LoadError> {
                row.get(column)
                    .map(|t| {
                        t.parse::<i32>()
                            .map_err(|_| row.error(column, format!("'{t}' is not a year")))
                    })
                    .transpose()
            };
            let first_year = year(first)?.ok_or_else(|| row.error(first, "no year".into()))?;
            let mut list = Vec::new();
            for item in row.get(successors).unwrap_or_default().split(';') {
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                let (code_text, moved) = match item.split_once('[') {
                    Some((c, rest)) => (c, rest.strip_suffix(']').and_then(|y| y.parse().ok())),
                    None => (item, None),
                };
                let successor = Adcode::parse(code_text).ok_or_else(|| {
                    row.error(successors, format!("'{item}' is not a code or code[year]"))
                })?;
                if item.contains('[') && moved.is_none() {
                    return Err(row.error(successors, format!("'{item}': the year is unreadable")));
                }
                list.push(Successor {
                    code: successor,
                    part_moved_in: moved,
                });
            }
            let index = codes.spans.len();
            let span = CodeSpan {
                code: parsed,
                name: row.required(name)?.to_owned(),
                county_level: row.required(level)? == "县级",
                in_use: row.required(status)? == "在用",
                first_year,
                last_year: year(last)?,
                successors: list,
            };
            codes.by_code.entry(parsed).or_default().push(index);
            codes
                .by_name
                .entry(span.name.clone())
                .or_default()
                .push(index);
            codes.spans.push(span);
        }
        Ok(codes)
    }

    /// Whether the table holds a code, in use or not.
    pub fn knows(&self, code: Adcode) -> bool {
        self.by_code.contains_key(&code)
    }

    /// What an old county-level code became; `None` for a code in use today or not in the
    /// table.
    pub fn lineage_of_code(&self, code: Adcode) -> Option<Lineage> {
        let spans = self.by_code.get(&code)?;
        if spans.iter().any(|&i| self.spans[i].in_use) {
            return None;
        }
        // The code's last span says where its area went.
        let last = spans
            .iter()
            .copied()
            .filter(|&i| self.spans[i].county_level)
            .max_by_key(|&i| self.spans[i].last_year.unwrap_or(i32::MAX))?;
        Some(self.lineage_of_span(last))
    }

    /// What the county-level units once called `name` became, one lineage per old span
    /// (several where the name was used in several places, like 市中区). Spans whose code
    /// is still in use under another name are included as [`Lineage::Became`].
    pub fn lineages_of_name(&self, name: &str) -> Vec<Lineage> {
        let Some(spans) = self.by_name.get(name) else {
            return Vec::new();
        };
        let mut out: Vec<Lineage> = Vec::new();
        for &i in spans {
            let span = &self.spans[i];
            if !span.county_level || span.in_use {
                continue;
            }
            // The same area under older codes (郫县 was 512722 before 510124) is one lineage:
            // keep its latest span.
            let lineage = self.lineage_of_span(i);
            match out.iter_mut().find(|l| l.same_area(&lineage)) {
                Some(kept) if kept.year() < lineage.year() => *kept = lineage,
                Some(_) => {}
                None => out.push(lineage),
            }
        }
        out
    }

    fn lineage_of_span(&self, start: usize) -> Lineage {
        let span = &self.spans[start];
        let year = span.last_year.unwrap_or(span.first_year);
        let mut current = BTreeSet::new();
        self.follow(span, &mut current, 0);
        let into: Vec<Adcode> = current.into_iter().collect();
        match into.as_slice() {
            [code] => Lineage::Became {
                code: *code,
                name: span.name.clone(),
                year,
            },
            _ => Lineage::Split {
                name: span.name.clone(),
                year,
                into,
            },
        }
    }

    /// Collects the codes in use today that `span`'s area went to when it ended.
    fn follow(&self, span: &CodeSpan, current: &mut BTreeSet<Adcode>, depth: usize) {
        if depth > MAX_CHAIN {
            return;
        }
        let ends: Vec<Adcode> = span
            .successors
            .iter()
            .filter(|s| s.part_moved_in.is_none())
            .map(|s| s.code)
            .collect();
        for code in ends {
            let Some(spans) = self.by_code.get(&code) else {
                continue;
            };
            if spans.iter().any(|&i| self.spans[i].in_use) {
                current.insert(code);
                continue;
            }
            // The successor code was retired too: follow its span that began when this ended
            // (or its latest, where the years do not meet).
            let next = spans
                .iter()
                .copied()
                .filter(|&i| !std::ptr::eq(&self.spans[i], span))
                .max_by_key(|&i| {
                    let s = &self.spans[i];
                    (Some(s.first_year) == span.last_year, s.last_year)
                });
            if let Some(next) = next {
                self.follow(&self.spans[next], current, depth + 1);
            }
        }
    }

    /// Changes to the area of today's unit `code` in years after `year`, oldest first: a
    /// value dated `year` is for the area before them. Renamings and changes of code that
    /// kept the whole area (郫县 510124 → 郫都区 510117) are no change.
    pub fn area_changes_after(&self, code: Adcode, year: i32) -> Vec<AreaChange> {
        let mut changes = Vec::new();
        let same_area = self.same_area_codes(code);
        let own: Vec<usize> = same_area
            .iter()
            .filter_map(|c| self.by_code.get(c))
            .flatten()
            .copied()
            .collect();
        if own.is_empty() {
            return changes;
        }
        if let Some(created) = own.iter().map(|&i| self.spans[i].first_year).min()
            && created > year
        {
            changes.push(AreaChange {
                year: created,
                kind: AreaChangeKind::Created,
            });
        }
        for &i in &own {
            for successor in &self.spans[i].successors {
                let Some(moved) = successor.part_moved_in.filter(|&y| y > year) else {
                    continue;
                };
                // A part that became a unit created that very year split off.
                let new_unit = self
                    .by_code
                    .get(&successor.code)
                    .and_then(|s| s.iter().map(|&j| self.spans[j].first_year).min())
                    == Some(moved);
                changes.push(AreaChange {
                    year: moved,
                    kind: if new_unit {
                        AreaChangeKind::SplitOff(successor.code)
                    } else {
                        AreaChangeKind::GavePart(successor.code)
                    },
                });
            }
        }
        for span in &self.spans {
            if same_area.contains(&span.code) || !span.county_level {
                continue;
            }
            for successor in span
                .successors
                .iter()
                .filter(|s| same_area.contains(&s.code))
            {
                let when = successor.part_moved_in.or(span.last_year);
                if let Some(when) = when.filter(|&y| y > year) {
                    changes.push(AreaChange {
                        year: when,
                        kind: AreaChangeKind::Received(span.code),
                    });
                }
            }
        }
        changes.sort_by_key(|c| c.year);
        changes.dedup();
        changes
    }

    /// `code` and the codes that passed their whole area to it, recursively.
    fn same_area_codes(&self, code: Adcode) -> Vec<Adcode> {
        let mut codes = vec![code];
        let mut next = 0;
        while next < codes.len() && codes.len() <= MAX_CHAIN {
            let target = codes[next];
            next += 1;
            for span in &self.spans {
                let mut whole = span.successors.iter().filter(|s| s.part_moved_in.is_none());
                if whole.next().is_some_and(|s| s.code == target)
                    && whole.next().is_none()
                    && !codes.contains(&span.code)
                {
                    codes.push(span.code);
                }
            }
        }
        codes
    }

    /// The name a code had most recently (for messages about old codes).
    pub fn latest_name(&self, code: Adcode) -> Option<&str> {
        self.by_code
            .get(&code)?
            .iter()
            .max_by_key(|&&i| self.spans[i].last_year.unwrap_or(i32::MAX))
            .map(|&i| self.spans[i].name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> DivisionCodes {
        let text = include_str!("../../geodata/codes/sichuan_division_codes.csv");
        DivisionCodes::parse(&Table::parse(FILE, text).unwrap()).unwrap()
    }

    #[test]
    fn old_codes_follow_their_successors_to_today() {
        let codes = codes();
        // 郫县 → 郫都区; 会理县 → 会理市; 简阳市 under 资阳 → 510185 under 成都.
        for (old, new) in [(510124, 510117), (513425, 513402), (512081, 510185)] {
            match codes.lineage_of_code(Adcode(old)) {
                Some(Lineage::Became { code, .. }) => assert_eq!(code, Adcode(new), "{old}"),
                other => panic!("{old}: {other:?}"),
            }
        }
        // 宜宾县 went to 翠屏区 and 叙州区.
        match codes.lineage_of_code(Adcode(511521)) {
            Some(Lineage::Split { into, year, .. }) => {
                assert_eq!(into, vec![Adcode(511502), Adcode(511504)]);
                assert_eq!(year, 2018);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(codes.lineage_of_code(Adcode(510104)), None, "in use");
        assert_eq!(codes.lineage_of_code(Adcode(110101)), None, "not Sichuan");
    }

    #[test]
    fn old_names_and_area_changes() {
        let codes = codes();
        assert!(matches!(
            codes.lineages_of_name("郫县").as_slice(),
            [Lineage::Became {
                code: Adcode(510117),
                ..
            }]
        ));
        assert!(codes.lineages_of_name("市中区").len() > 2, "many 市中区");
        // 广安区 gave 前锋区 its area in 2013: a 2012 value covers both.
        let changes = codes.area_changes_after(Adcode(511602), 2012);
        assert!(
            changes.contains(&AreaChange {
                year: 2013,
                kind: AreaChangeKind::SplitOff(Adcode(511603))
            }),
            "{changes:?}"
        );
        assert!(codes.area_changes_after(Adcode(511602), 2013).is_empty());
        assert_eq!(
            codes.area_changes_after(Adcode(511603), 2010)[0].kind,
            AreaChangeKind::Created
        );
    }
}
