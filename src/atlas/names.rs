//! Finding a county by what a planner types: a current name, a name without its suffix, a
//! former name, a prefecture-qualified name, or an adcode (current or former).

use super::codes::{DivisionCodes, Lineage};
use super::{Adcode, Prefecture, Unit, UnitId, short_prefecture_name};
use serde::Serialize;
use std::collections::HashMap;

/// How a query matched a unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NameMatch {
    /// The current adcode.
    Adcode,
    /// A former adcode of the unit (before a renaming or a change of status).
    FormerAdcode {
        /// The former name that went with it.
        former_name: String,
        /// The year of the change.
        year: Option<i32>,
    },
    /// The current name, possibly qualified by the prefecture.
    Name,
    /// The current name without its suffix (郫都 for 郫都区).
    ShortName,
    /// A former name.
    FormerName {
        /// The former name as stored.
        former_name: String,
        /// The year of the change.
        year: Option<i32>,
    },
}

/// A query resolved to one unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resolved {
    /// The unit found.
    pub unit: UnitId,
    /// How the query matched.
    pub matched: NameMatch,
}

/// Why a query did not resolve to exactly one unit.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ResolveError {
    /// The query was empty.
    #[error("没有给出县区名称或代码 / no county name or adcode given")]
    Empty,
    /// Several units match; the caller should ask which one.
    #[error("“{query}”对应 {} 个县区:{};请加上市州名(如“{}”)或写代码 / '{query}' matches {} units: {}; write the prefecture too (e.g. '{}') or the adcode", candidates.len(), describe(candidates), example_qualified(candidates), candidates.len(), describe(candidates), example_qualified(candidates))]
    Ambiguous {
        /// The query.
        query: String,
        /// The matching units, each with its description "名称 (adcode, 地市)".
        candidates: Vec<(UnitId, String)>,
    },
    /// The query names a prefecture, not a county.
    #[error(
        "“{query}”是市州,不是县级单位;其所辖县区为:{} / '{query}' is a prefecture, not a county-level unit; its units are: {}",
        describe(units),
        describe(units)
    )]
    Prefecture {
        /// The query.
        query: String,
        /// The prefecture's units, each with its description.
        units: Vec<(UnitId, String)>,
    },
    /// An old code or name whose area went to several of today's units: a value for it
    /// cannot be put on one of them without a guess.
    #[error(
        "“{query}”({name})于 {year} 年划入 {}:其数值无法归到今天的某一个县区,请给出今天各县区的数值 / '{query}' ({name}) was divided in {year} between {}: a value for it cannot be put on one of today's units; give the values of today's units",
        describe(into),
        describe(into)
    )]
    Split {
        /// The query.
        query: String,
        /// The old unit's name.
        name: String,
        /// The year of the division (as of 31 December).
        year: i32,
        /// Today's units that hold its area, each with its description.
        into: Vec<(UnitId, String)>,
    },
    /// Nothing matches.
    #[error(
        "四川没有名为“{query}”的县级单位{} / no county-level unit of Sichuan is called '{query}'{}",
        suggest_zh(suggestions),
        suggest(suggestions)
    )]
    NotFound {
        /// The query.
        query: String,
        /// The closest names, each with its description.
        suggestions: Vec<(UnitId, String)>,
    },
}

fn describe(candidates: &[(UnitId, String)]) -> String {
    candidates
        .iter()
        .map(|(_, d)| d.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn example_qualified(candidates: &[(UnitId, String)]) -> String {
    candidates
        .first()
        .and_then(|(_, d)| {
            let (name, rest) = d.split_once(" (")?;
            let prefecture = rest.trim_end_matches(')').rsplit(", ").next()?;
            Some(format!("{prefecture}{name}"))
        })
        .unwrap_or_default()
}

fn suggest_zh(suggestions: &[(UnitId, String)]) -> String {
    if suggestions.is_empty() {
        ";运行 `county-atlas units` 可列出全部 183 个".to_owned()
    } else {
        format!(";是否指:{}?", describe(suggestions))
    }
}

fn suggest(suggestions: &[(UnitId, String)]) -> String {
    if suggestions.is_empty() {
        "; run `county-atlas units` to list all 183".to_owned()
    } else {
        format!("; did you mean: {}?", describe(suggestions))
    }
}

/// One way of naming a unit.
#[derive(Clone, Debug)]
struct Entry {
    unit: UnitId,
    matched: NameMatch,
}

/// The lookup tables behind [`super::Atlas::resolve`].
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    by_adcode: HashMap<Adcode, UnitId>,
    by_former_adcode: HashMap<Adcode, Vec<Entry>>,
    by_name: HashMap<String, Vec<Entry>>,
    by_short_name: HashMap<String, Vec<Entry>>,
    by_former_name: HashMap<String, Vec<Entry>>,
    /// (name, short name, unit, description) for suggestions and prefecture-qualified names.
    descriptions: Vec<String>,
    prefecture_names: Vec<(String, String, Vec<UnitId>)>,
}

impl NameIndex {
    /// Builds the index over the atlas's units.
    pub fn new(units: &[Unit], prefectures: &[Prefecture]) -> Self {
        let mut index = NameIndex::default();
        for unit in units {
            index.by_adcode.insert(unit.adcode, unit.id);
            push(
                &mut index.by_name,
                unit.name.clone(),
                unit.id,
                NameMatch::Name,
            );
            let short = short_county_name(&unit.name);
            if short != unit.name {
                push(
                    &mut index.by_short_name,
                    short.to_owned(),
                    unit.id,
                    NameMatch::ShortName,
                );
            }
            for former in &unit.former_names {
                let matched = NameMatch::FormerName {
                    former_name: former.name.clone(),
                    year: former.year,
                };
                if former.name_resolves {
                    push(
                        &mut index.by_former_name,
                        former.name.clone(),
                        unit.id,
                        matched.clone(),
                    );
                    let short = short_county_name(&former.name);
                    if short != former.name {
                        push(
                            &mut index.by_former_name,
                            short.to_owned(),
                            unit.id,
                            matched,
                        );
                    }
                }
                if let Some(code) = former.adcode.filter(|c| *c != unit.adcode) {
                    let matched = NameMatch::FormerAdcode {
                        former_name: former.name.clone(),
                        year: former.year,
                    };
                    index.by_former_adcode.entry(code).or_default().push(Entry {
                        unit: unit.id,
                        matched,
                    });
                }
            }
            let prefecture = &prefectures[unit.prefecture.index()];
            index.descriptions.push(format!(
                "{} ({}, {})",
                unit.name, unit.adcode, prefecture.name
            ));
        }
        for entries in index.by_former_adcode.values_mut() {
            entries.sort_by_key(|e| e.unit);
            entries.dedup_by_key(|e| e.unit);
        }
        index.prefecture_names = prefectures
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    short_prefecture_name(&p.name).to_owned(),
                    p.units.clone(),
                )
            })
            .collect();
        index
    }

    /// "名称 (adcode, 地市)" for a unit.
    pub fn describe(&self, unit: UnitId) -> &str {
        &self.descriptions[unit.index()]
    }

    /// Resolves a name or adcode to one unit.
    pub fn resolve(&self, units: &[Unit], query: &str) -> Result<Resolved, ResolveError> {
        self.resolve_with(units, query, true)
    }

    /// [`Self::resolve`], with the closest names for a query that matches nothing only when
    /// `suggest` (finding them compares the query with every name, far slower than a match).
    pub fn resolve_with(
        &self,
        units: &[Unit],
        query: &str,
        suggest: bool,
    ) -> Result<Resolved, ResolveError> {
        let q = normalize(query);
        if q.is_empty() {
            return Err(ResolveError::Empty);
        }
        if let Some(code) = Adcode::parse(&q).or_else(|| spreadsheet_code(&q)) {
            if let Some(&unit) = self.by_adcode.get(&code) {
                return Ok(Resolved {
                    unit,
                    matched: NameMatch::Adcode,
                });
            }
            if let Some(entries) = self.by_former_adcode.get(&code) {
                return self.pick(query, entries);
            }
            return Err(ResolveError::NotFound {
                query: query.trim().to_owned(),
                suggestions: if suggest {
                    self.adcode_suggestions(units, code)
                } else {
                    Vec::new()
                },
            });
        }
        for table in [&self.by_name, &self.by_former_name, &self.by_short_name] {
            if let Some(entries) = table.get(&q) {
                return self.pick(query, entries);
            }
        }
        if let Some(resolved) = self.resolve_qualified(query, &q)? {
            return Ok(resolved);
        }
        if let Some((_, _, members)) = self
            .prefecture_names
            .iter()
            .find(|(full, short, _)| q == *full || q == *short)
        {
            return Err(ResolveError::Prefecture {
                query: query.trim().to_owned(),
                units: members
                    .iter()
                    .map(|&u| (u, self.describe(u).to_owned()))
                    .collect(),
            });
        }
        // "郫都区(成都)", "郫都区*", "郫都区①": the name without its note.
        let bare = without_notes(&q);
        if bare != q && !bare.is_empty() {
            return self.resolve_with(units, bare, suggest);
        }
        Err(ResolveError::NotFound {
            query: query.trim().to_owned(),
            suggestions: if suggest {
                self.suggestions(&q)
            } else {
                Vec::new()
            },
        })
    }

    /// Resolves an old code or name through the code history, for a query [`Self::resolve`]
    /// did not find: `None` where the history does not know it either.
    pub(super) fn resolve_through_history(
        &self,
        codes: &DivisionCodes,
        query: &str,
    ) -> Option<Result<Resolved, ResolveError>> {
        let q = normalize(query);
        let q = without_notes(&q);
        let lineages = match Adcode::parse(q).or_else(|| spreadsheet_code(q)) {
            Some(code) => vec![codes.lineage_of_code(code)?],
            None => {
                let mut found = codes.lineages_of_name(q);
                // "成都市东城区": the old name after a prefecture's.
                if found.is_empty() {
                    for (full, short, _) in &self.prefecture_names {
                        for prefix in [full.as_str(), short.as_str()] {
                            if let Some(rest) = q.strip_prefix(prefix).filter(|r| !r.is_empty()) {
                                let inside: Vec<Lineage> = codes
                                    .lineages_of_name(rest)
                                    .into_iter()
                                    .filter(|l| lineage_inside(l, &self.prefecture_codes(full)))
                                    .collect();
                                if !inside.is_empty() {
                                    found = inside;
                                }
                            }
                        }
                    }
                }
                if found.is_empty() {
                    return None;
                }
                found
            }
        };
        let by_code = |code: &Adcode| self.by_adcode.get(code).copied();
        let described = |unit: UnitId| (unit, self.describe(unit).to_owned());
        Some(match lineages.as_slice() {
            [Lineage::Became { code, name, year }] => {
                let unit = by_code(code)?;
                let former_name = name.clone();
                let year = Some(*year);
                Ok(Resolved {
                    unit,
                    matched: if Adcode::parse(q).or_else(|| spreadsheet_code(q)).is_some() {
                        NameMatch::FormerAdcode { former_name, year }
                    } else {
                        NameMatch::FormerName { former_name, year }
                    },
                })
            }
            [Lineage::Split { name, year, into }] => Err(ResolveError::Split {
                query: query.trim().to_owned(),
                name: name.clone(),
                year: *year,
                into: into.iter().filter_map(by_code).map(described).collect(),
            }),
            several => {
                let mut units: Vec<UnitId> = several
                    .iter()
                    .flat_map(|l| match l {
                        Lineage::Became { code, .. } => vec![*code],
                        Lineage::Split { into, .. } => into.clone(),
                    })
                    .filter_map(|c| by_code(&c))
                    .collect();
                units.sort_unstable();
                units.dedup();
                Err(ResolveError::Ambiguous {
                    query: query.trim().to_owned(),
                    candidates: units.into_iter().map(described).collect(),
                })
            }
        })
    }

    /// The adcodes of a prefecture's units today, by the prefecture's full name.
    fn prefecture_codes(&self, prefecture: &str) -> Vec<Adcode> {
        let members = self
            .prefecture_names
            .iter()
            .find(|(full, _, _)| full == prefecture)
            .map(|(_, _, m)| m.as_slice())
            .unwrap_or_default();
        self.by_adcode
            .iter()
            .filter(|(_, u)| members.contains(u))
            .map(|(c, _)| *c)
            .collect()
    }

    /// "乐山市市中区", "乐山市中区", "成都 郫县": a prefecture name, then a unit inside it.
    fn resolve_qualified(&self, query: &str, q: &str) -> Result<Option<Resolved>, ResolveError> {
        for (full, short, members) in &self.prefecture_names {
            for prefix in [full.as_str(), short.as_str()] {
                let Some(rest) = q.strip_prefix(prefix).filter(|r| !r.is_empty()) else {
                    continue;
                };
                for table in [&self.by_name, &self.by_former_name, &self.by_short_name] {
                    let Some(entries) = table.get(rest) else {
                        continue;
                    };
                    let inside: Vec<Entry> = entries
                        .iter()
                        .filter(|e| members.contains(&e.unit))
                        .cloned()
                        .collect();
                    if !inside.is_empty() {
                        return self.pick(query, &inside).map(Some);
                    }
                }
            }
        }
        Ok(None)
    }

    fn pick(&self, query: &str, entries: &[Entry]) -> Result<Resolved, ResolveError> {
        let mut units: Vec<UnitId> = entries.iter().map(|e| e.unit).collect();
        units.sort_unstable();
        units.dedup();
        match units.as_slice() {
            [_] => Ok(Resolved {
                unit: entries[0].unit,
                matched: entries[0].matched.clone(),
            }),
            _ => Err(ResolveError::Ambiguous {
                query: query.trim().to_owned(),
                candidates: units
                    .into_iter()
                    .map(|u| (u, self.describe(u).to_owned()))
                    .collect(),
            }),
        }
    }

    fn suggestions(&self, q: &str) -> Vec<(UnitId, String)> {
        let mut scored: Vec<(usize, UnitId)> = Vec::new();
        let mut consider = |name: &str, unit: UnitId| {
            let distance = edit_distance(q, name);
            let contains =
                name.contains(q) || (q.chars().count() >= 2 && q.contains(short_county_name(name)));
            let score = if contains { distance.min(1) } else { distance };
            let limit = q.chars().count().max(name.chars().count()).div_ceil(2);
            if contains || distance <= limit {
                scored.push((score, unit));
            }
        };
        for table in [&self.by_name, &self.by_short_name, &self.by_former_name] {
            for (name, entries) in table {
                for entry in entries {
                    consider(name, entry.unit);
                }
            }
        }
        scored.sort();
        let mut seen = Vec::new();
        for (_, unit) in scored {
            if !seen.contains(&unit) {
                seen.push(unit);
            }
            if seen.len() == 5 {
                break;
            }
        }
        seen.into_iter()
            .map(|u| (u, self.describe(u).to_owned()))
            .collect()
    }

    fn adcode_suggestions(&self, units: &[Unit], code: Adcode) -> Vec<(UnitId, String)> {
        let mut near: Vec<&Unit> = units
            .iter()
            .filter(|u| u.adcode.prefecture() == code.prefecture())
            .collect();
        near.sort_by_key(|u| u.adcode.0.abs_diff(code.0));
        near.into_iter()
            .take(5)
            .map(|u| (u.id, self.describe(u.id).to_owned()))
            .collect()
    }
}

fn push(table: &mut HashMap<String, Vec<Entry>>, name: String, unit: UnitId, matched: NameMatch) {
    table.entry(name).or_default().push(Entry { unit, matched });
}

/// Whether today's area of an old unit lies (partly) in the given codes.
fn lineage_inside(lineage: &Lineage, codes: &[Adcode]) -> bool {
    match lineage {
        Lineage::Became { code, .. } => codes.contains(code),
        Lineage::Split { into, .. } => into.iter().any(|c| codes.contains(c)),
    }
}

/// A code as a spreadsheet writes it: "510104.0", "5.10104E+05" (all six digits kept), or
/// the 12-digit statistical code "510104000000".
pub(super) fn spreadsheet_code(q: &str) -> Option<Adcode> {
    if q.len() == 12 && q.bytes().all(|b| b.is_ascii_digit()) && q.ends_with("000000") {
        return Adcode::parse(&q[..6]);
    }
    let upper = q.to_ascii_uppercase();
    let (mantissa, exponent) = upper.split_once('E').unwrap_or((&upper, "0"));
    // A mantissa with fewer than six digits has lost some of the code: refuse it.
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
    let value: f64 = q.parse().ok()?;
    let exponent: i32 = exponent.trim_start_matches('+').parse().ok()?;
    let complete = if exponent == 0 {
        mantissa.split('.').next().is_some_and(|w| w.len() == 6)
    } else {
        digits >= 6
    };
    (complete && value.fract() == 0.0 && (100_000.0..1_000_000.0).contains(&value))
        .then_some(Adcode(value as u32))
}

/// A name without a trailing note: a bracketed remark (half- or full-width), footnote marks.
fn without_notes(q: &str) -> &str {
    let mut name = q.trim_end_matches(['*', '#', '▲', '△', '※', '†', '①', '②', '③', '④', '⑤']);
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
        if name.ends_with(close)
            && let Some(start) = name.rfind(open)
        {
            name = &name[..start];
        }
    }
    name
}

/// Trims, drops spaces and a leading 四川省/四川, and folds full-width digits and letters.
pub(super) fn normalize(query: &str) -> String {
    let folded: String = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF10}'..='\u{FF5A}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let folded = folded
        .strip_prefix("四川省")
        .or_else(|| folded.strip_prefix("四川"))
        .unwrap_or(&folded);
    folded.to_owned()
}

/// A county name without its administrative suffix: 郫都区 → 郫都, 北川羌族自治县 → 北川.
/// One-character stems keep their suffix (茂县, 东区), since the stem alone is no name.
pub fn short_county_name(name: &str) -> &str {
    let mut stem = name;
    if let Some(s) = stem.strip_suffix("自治县") {
        stem = s;
        while let Some(s) = ["羌族", "彝族", "藏族", "苗族", "土家族", "回族", "蒙古族"]
            .iter()
            .find_map(|e| stem.strip_suffix(e))
        {
            stem = s;
        }
        return stem;
    }
    for suffix in ["区", "县", "市"] {
        if let Some(s) = stem.strip_suffix(suffix)
            && s.chars().count() >= 2
        {
            return s;
        }
    }
    stem
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(short_county_name("郫都区"), "郫都");
        assert_eq!(short_county_name("会理市"), "会理");
        assert_eq!(short_county_name("北川羌族自治县"), "北川");
        assert_eq!(short_county_name("峨边彝族自治县"), "峨边");
        assert_eq!(short_county_name("茂县"), "茂县");
        assert_eq!(short_county_name("东区"), "东区");
    }

    #[test]
    fn normalizes_queries() {
        assert_eq!(normalize(" 四川省 成都市 郫都区 "), "成都市郫都区");
        assert_eq!(normalize("５１０１０４"), "510104");
        assert_eq!(without_notes("郫都区（成都）"), "郫都区");
        assert_eq!(without_notes("郫都区*"), "郫都区");
    }

    #[test]
    fn spreadsheet_codes() {
        assert_eq!(spreadsheet_code("510104.0"), Some(Adcode(510104)));
        assert_eq!(spreadsheet_code("5.10106E+05"), Some(Adcode(510106)));
        assert_eq!(spreadsheet_code("510104000000"), Some(Adcode(510104)));
        assert_eq!(spreadsheet_code("5.1011E+05"), None, "digits lost");
        assert_eq!(spreadsheet_code("510104.5"), None);
        assert_eq!(spreadsheet_code("51010.0"), None);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("郫都区", "郫都区"), 0);
        assert_eq!(edit_distance("郫度区", "郫都区"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
