//! Whether a value that a table dates to some year, keyed by an old or a current name, is a
//! value for one of today's areas: a county that was divided, or that did not exist yet, in
//! that year cannot take it without a guess; one that gave or received a small part takes it
//! with a note.

use super::codes::{AreaChangeKind, Lineage};
use super::{Adcode, Atlas, NameMatch, Resolved};

/// How a dated value fits today's unit it resolved to.
#[derive(Clone, Debug, PartialEq)]
pub enum AreaFit {
    /// The unit's area is the same since the value's year (or the year is unknown and the key
    /// is a current name).
    Same,
    /// The area changed a little since then: the value is used, with this note.
    Changed(String),
    /// The value is for another area: it is left out, for this reason.
    Other(String),
}

impl Atlas {
    /// How a value keyed by `query` (which resolved to `resolved`) and dated `year` fits
    /// today's unit. Texts are bilingual.
    pub fn area_fit(&self, query: &str, resolved: &Resolved, year: Option<i32>) -> AreaFit {
        let codes = self.division_codes();
        let unit = self.unit(resolved.unit);
        // An old name or code whose area was divided, for a year before the division (or an
        // unknown year): the value covers more than today's unit.
        let old = match &resolved.matched {
            NameMatch::FormerAdcode { .. } => {
                // As the name index read the query: full-width digits, "511521.0".
                let q = super::names::normalize(query);
                Adcode::parse(&q)
                    .or_else(|| super::names::spreadsheet_code(&q))
                    .and_then(|c| codes.lineage_of_code(c))
                    .into_iter()
                    .collect()
            }
            NameMatch::FormerName { former_name, .. } => codes.lineages_of_name(former_name),
            _ => Vec::new(),
        };
        for lineage in old {
            if let Lineage::Split {
                name,
                year: divided,
                into,
            } = lineage
                && into.contains(&unit.adcode)
                && year.is_none_or(|y| y < divided)
            {
                let names = self.names_of(&into);
                return AreaFit::Other(format!(
                    "{name} 于 {divided} 年划入 {names},其数值不能只归 {} / {name} was divided in {divided} between {names}: its value is not {}'s alone",
                    unit.name, unit.name
                ));
            }
        }
        let Some(year) = year else {
            return AreaFit::Same;
        };
        let mut notes = Vec::new();
        for change in codes.area_changes_after(unit.adcode, year) {
            let at = change.year;
            match change.kind {
                AreaChangeKind::Created => {
                    return AreaFit::Other(format!(
                        "{} 设立于 {at} 年,{year} 年尚不存在 / {} was created in {at}: it did not exist in {year}",
                        unit.name, unit.name
                    ));
                }
                AreaChangeKind::SplitOff(code) => {
                    let part = self.names_of(&[code]);
                    return AreaFit::Other(format!(
                        "{} 于 {at} 年分设出 {part},{year} 年的数值包括两者 / part of {} became {part} in {at}: a {year} value covers both",
                        unit.name, unit.name
                    ));
                }
                AreaChangeKind::GavePart(code) => {
                    let other = self.names_of(&[code]);
                    notes.push(format!(
                        "{at} 年部分区域划归{other} / part went to {other} in {at}"
                    ));
                }
                AreaChangeKind::Received(code) => {
                    let other = codes
                        .latest_name(code)
                        .map_or_else(|| code.to_string(), str::to_owned);
                    notes.push(format!(
                        "{at} 年并入{other}(部分或全部)/ received (part of) {other} in {at}"
                    ));
                }
            }
        }
        if notes.is_empty() {
            AreaFit::Same
        } else {
            AreaFit::Changed(format!(
                "{} 的区域在 {year} 年后有变 / {}'s area changed after {year}: {}",
                unit.name,
                unit.name,
                notes.join("; ")
            ))
        }
    }

    /// Today's names for codes, "、"-joined; a code the atlas lacks is written as is.
    fn names_of(&self, codes: &[Adcode]) -> String {
        codes
            .iter()
            .map(|c| {
                self.units()
                    .iter()
                    .find(|u| u.adcode == *c)
                    .map_or_else(|| c.to_string(), |u| u.name.clone())
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}
