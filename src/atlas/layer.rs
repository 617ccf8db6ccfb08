//! Indicator layers: numeric or categorical values per unit (or per prefecture) and year.

use super::{PrefectureId, SourceId, Unit};
use crate::i18n::Text;
use serde::Serialize;
use std::collections::BTreeMap;

/// The level at which a layer's values are published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// One value per county-level unit.
    County,
    /// One value per prefecture; every county in it shows the prefecture's value, marked so.
    Prefecture,
}

impl Level {
    /// The level's name in the interface.
    pub fn name(self) -> Text {
        match self {
            Level::County => Text::new("县级", "county"),
            Level::Prefecture => Text::new("市级", "prefecture"),
        }
    }
}

/// How a value in `unit` reads in `lang`: the factor to multiply it by and the unit to write
/// after it. Chinese counts in 万 and 亿; English in millions and billions, so 57.3 亿元 reads
/// "5.73 billion yuan", not "57.3 100 million yuan".
pub fn display_unit(unit: &Text, lang: crate::i18n::Lang) -> (f64, String) {
    match (lang, unit.zh.as_str()) {
        (crate::i18n::Lang::En, "亿元") => (0.1, "billion yuan".to_owned()),
        (crate::i18n::Lang::En, "万元") => (0.01, "million yuan".to_owned()),
        (crate::i18n::Lang::En, "万人") => (0.01, "million persons".to_owned()),
        _ => (1.0, unit.get(lang).to_owned()),
    }
}

/// What kind of values a layer holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum LayerKind {
    /// Quantities on a scale, classified for a choropleth.
    Numeric,
    /// Codes into `categories` (value `i` is `categories[i]`), drawn as unique values.
    Categorical {
        /// The category names.
        categories: Vec<Text>,
        /// A colour per category (sRGB) where the categories have conventional colours (a
        /// LISA cluster map's GeoDa colours); empty: the map's qualitative palette.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        colours: Vec<[u8; 3]>,
    },
}

/// Whether values add up over space (amounts) or not (rates).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// A total (persons, yuan, counts of things): a larger county has more of it, so a
    /// choropleth should map it per resident or per km².
    Amount,
    /// A rate, share, density or average: comparable across counties as it is.
    Rate,
}

/// One published value with its provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    /// The value, in the layer's unit (a category index for categorical layers).
    pub value: f64,
    /// Where it was read.
    pub source: SourceId,
    /// A caveat on this value in particular (preliminary, renamed unit, ...).
    pub note: Option<String>,
}

/// A layer's values for one year, indexed by unit or prefecture id depending on the level.
pub type YearValues = Vec<Option<Observation>>;

/// An indicator layer.
#[derive(Clone, Debug)]
pub struct Layer {
    /// Stable identifier used on the command line and in files, e.g. `population`.
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Unit of measurement, e.g. 人 / persons (empty for categorical layers).
    pub unit: Text,
    /// The level the values are published at.
    pub level: Level,
    /// Numeric or categorical.
    pub kind: LayerKind,
    /// Amount or rate (meaningful for numeric layers).
    pub measure: Measure,
    /// What the reader must know about coverage and meaning.
    pub caveat: Option<Text>,
    /// True when the values are computed by the atlas from other sources, not published.
    pub computed: bool,
    /// Values by year: indexed by [`super::UnitId`] for county layers and by
    /// [`PrefectureId`] for prefecture layers.
    pub values: BTreeMap<i32, YearValues>,
    /// The province-wide value per year, where the source gives one.
    pub province: BTreeMap<i32, Observation>,
    /// For a user's layer, the document and address its sidecar file cites (built-in layers
    /// cite through their observations' sources).
    pub citation: Option<super::Citation>,
    /// For a layer computed from others (an innovation index), what its inputs cite: each
    /// built-in source's document and address, each user layer's sidecar citation; a page's
    /// footer and a profile cite them after the layer's own.
    pub derived_from: Vec<super::Citation>,
}

impl Layer {
    /// The years with at least one value, oldest first.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.values
            .iter()
            .filter(|(_, v)| v.iter().any(Option::is_some))
            .map(|(&y, _)| y)
    }

    /// The most recent year with values.
    pub fn latest_year(&self) -> Option<i32> {
        self.years().last()
    }

    /// The year a map of this layer opens at: the best-covered (most units or prefectures
    /// with a value), the latest of those equally covered. R&D intensity, published for 18
    /// prefectures in 2018 and for 2 in 2021, opens at 2018.
    pub fn default_year(&self) -> Option<i32> {
        self.values
            .iter()
            .map(|(&year, values)| (values.iter().filter(|v| v.is_some()).count(), year))
            .filter(|&(n, _)| n > 0)
            .max()
            .map(|(_, year)| year)
    }

    /// How many units (or prefectures, for prefecture layers) have a value in `year`, and of
    /// how many.
    pub fn coverage(&self, year: i32) -> (usize, usize) {
        self.values.get(&year).map_or((0, 0), |values| {
            (values.iter().filter(|v| v.is_some()).count(), values.len())
        })
    }

    /// The value shown for a county in `year`: its own, or its prefecture's for prefecture
    /// layers.
    pub fn value_for(&self, unit: &Unit, year: i32) -> Option<&Observation> {
        let values = self.values.get(&year)?;
        let index = match self.level {
            Level::County => unit.id.index(),
            Level::Prefecture => unit.prefecture.index(),
        };
        values.get(index)?.as_ref()
    }

    /// The value of a prefecture in `year` (prefecture layers only).
    pub fn prefecture_value(&self, prefecture: PrefectureId, year: i32) -> Option<&Observation> {
        match self.level {
            Level::Prefecture => self.values.get(&year)?.get(prefecture.index())?.as_ref(),
            Level::County => None,
        }
    }

    /// The category name of a categorical value.
    pub fn category(&self, value: f64) -> Option<&Text> {
        match &self.kind {
            LayerKind::Categorical { categories, .. } if value >= 0.0 => {
                categories.get(value as usize)
            }
            _ => None,
        }
    }
}
