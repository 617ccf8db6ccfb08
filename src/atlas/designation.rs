//! Designations: lists that name counties or prefectures (innovative counties, eco-civilisation
//! demonstration counties, poverty lists, high-tech zones, ...).

use super::{PrefectureId, SourceId, UnitId};
use crate::i18n::Text;
use serde::Serialize;

/// Whether a designation is final or only proposed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DesignationStatus {
    /// Designated (named, approved or accepted).
    Designated,
    /// Candidates under public notice (公示) or a proposed list (建议名单): not final.
    Candidate,
}

/// What a designation names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase", tag = "level", content = "id")]
pub enum Target {
    /// A county-level unit.
    County(UnitId),
    /// A whole prefecture (the source names no county).
    Prefecture(PrefectureId),
}

/// One entry of a designation list.
#[derive(Clone, Debug, Serialize)]
pub struct Membership {
    /// The county or prefecture named.
    pub target: Target,
    /// The designation's year as a number (the first year named), for sorting and filtering.
    pub year: Option<i32>,
    /// The year as the source gives it, e.g. "2017-2018" or "≤2013".
    pub year_label: String,
    /// The batch, where the source gives one.
    pub batch: Option<String>,
    /// The named object, where the list names one inside the county (a zone, a park), or a
    /// category (艰苦边远地区 类别).
    pub detail: Option<String>,
    /// Where it was read.
    pub source: SourceId,
    /// A caveat on this entry.
    pub note: Option<String>,
}

/// A designation list.
#[derive(Clone, Debug)]
pub struct Designation {
    /// Stable identifier, e.g. `innovative_county`.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Final or candidates only.
    pub status: DesignationStatus,
    /// What the reader must know: completeness, placement, meaning.
    pub caveat: Option<Text>,
    /// The entries, in source order.
    pub members: Vec<Membership>,
}

impl Designation {
    /// The entries that name this county directly.
    pub fn for_unit(&self, unit: UnitId) -> impl Iterator<Item = &Membership> {
        self.members
            .iter()
            .filter(move |m| m.target == Target::County(unit))
    }

    /// The entries that name this prefecture as a whole.
    pub fn for_prefecture(&self, prefecture: PrefectureId) -> impl Iterator<Item = &Membership> {
        self.members
            .iter()
            .filter(move |m| m.target == Target::Prefecture(prefecture))
    }

    /// The counties it names and the prefectures it names as a whole, each once, in id order.
    pub fn targets(&self) -> (Vec<UnitId>, Vec<PrefectureId>) {
        let mut counties = Vec::new();
        let mut prefectures = Vec::new();
        for member in &self.members {
            match member.target {
                Target::County(u) => counties.push(u),
                Target::Prefecture(p) => prefectures.push(p),
            }
        }
        counties.sort_unstable();
        counties.dedup();
        prefectures.sort_unstable();
        prefectures.dedup();
        (counties, prefectures)
    }

    /// The distinct years named, oldest first.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.members.iter().filter_map(|m| m.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }
}
