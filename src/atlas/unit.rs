//! County-level units and the prefectures that hold them.

use super::EconomicRegion;
use geo::MultiPolygon;
use serde::{Serialize, Serializer};

/// A six-digit administrative division code (GB/T 2260), e.g. 510104 for 锦江区.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Adcode(pub u32);

impl Adcode {
    /// Parses exactly six ASCII digits.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Adcode(s.parse().unwrap_or(0)))
    }

    /// The code of the prefecture this code belongs to (the last two digits zeroed).
    pub fn prefecture(self) -> Adcode {
        Adcode(self.0 / 100 * 100)
    }
}

impl std::fmt::Display for Adcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl Serialize for Adcode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Adcode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Adcode::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a six-digit adcode")))
    }
}

/// Index of a unit in [`super::Atlas::units`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct UnitId(pub u32);

impl UnitId {
    /// The index as a `usize`, for slices.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Index of a prefecture in [`super::Atlas::prefectures`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PrefectureId(pub u32);

impl PrefectureId {
    /// The index as a `usize`, for slices.
    #[inline]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A name the unit had before a renaming or a change of status (县 → 区/市).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FormerName {
    /// The former name, e.g. 郫县.
    pub name: String,
    /// Whether the name alone finds the unit. False where the name is unchanged (简阳市 moved
    /// prefecture) or today belongs to a prefecture (the county-level 南充市 before 1993); the
    /// former code still finds it.
    pub name_resolves: bool,
    /// The former adcode, where a source gives it.
    pub adcode: Option<Adcode>,
    /// The year of the change.
    pub year: Option<i32>,
    /// True when the change was not one-to-one (a split, merger or reorganisation), so the
    /// former unit's figures do not carry over to this one unchanged.
    pub partial: bool,
    /// Where the change is recorded.
    pub source: String,
}

/// A county-level unit (区, 县, 县级市, 自治县).
#[derive(Clone, Debug)]
pub struct Unit {
    /// Its position in the atlas.
    pub id: UnitId,
    /// Current administrative code.
    pub adcode: Adcode,
    /// Current name, e.g. 郫都区.
    pub name: String,
    /// Its name in English: Hanyu Pinyin with the standard suffix (Pidu District).
    pub name_en: String,
    /// Names (and codes) it had before.
    pub former_names: Vec<FormerName>,
    /// The prefecture it belongs to.
    pub prefecture: PrefectureId,
    /// The economic region (五区) of its prefecture.
    pub region: EconomicRegion,
    /// Boundary in WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
    /// Boundary in the atlas's Albers projection, in metres.
    pub projected: MultiPolygon<f64>,
    /// Area on the Albers projection, in km² (equal to the ellipsoidal area).
    pub area_km2: f64,
}

/// A prefecture-level unit (地级市, 自治州).
#[derive(Clone, Debug)]
pub struct Prefecture {
    /// Its position in the atlas.
    pub id: PrefectureId,
    /// Administrative code, e.g. 510100.
    pub adcode: Adcode,
    /// Name, e.g. 成都市.
    pub name: String,
    /// Its name in English (Chengdu, Aba Tibetan and Qiang Autonomous Prefecture).
    pub name_en: String,
    /// Its economic region (五区).
    pub region: EconomicRegion,
    /// Its county-level units, in adcode order.
    pub units: Vec<UnitId>,
}

impl Unit {
    /// Its name in `lang`.
    pub fn name_in(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Zh => &self.name,
            crate::i18n::Lang::En => &self.name_en,
        }
    }
}

impl Prefecture {
    /// Its name in `lang`.
    pub fn name_in(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Zh => &self.name,
            crate::i18n::Lang::En => &self.name_en,
        }
    }

    /// The name without the administrative suffix (成都市 → 成都, 阿坝藏族羌族自治州 → 阿坝).
    pub fn short_name(&self) -> &str {
        short_prefecture_name(&self.name)
    }
}

/// Strips a prefecture name's administrative suffix.
pub fn short_prefecture_name(name: &str) -> &str {
    for suffix in [
        "藏族羌族自治州",
        "藏族自治州",
        "彝族自治州",
        "自治州",
        "市",
        "州",
    ] {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return stem;
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adcode_parses_six_digits_only() {
        assert_eq!(Adcode::parse("510104"), Some(Adcode(510104)));
        assert_eq!(Adcode::parse(" 510104 "), Some(Adcode(510104)));
        assert_eq!(Adcode::parse("51010"), None);
        assert_eq!(Adcode::parse("5101O4"), None);
        assert_eq!(Adcode(510104).prefecture(), Adcode(510100));
        assert_eq!(Adcode(51).to_string(), "000051");
    }

    #[test]
    fn prefecture_short_names() {
        assert_eq!(short_prefecture_name("成都市"), "成都");
        assert_eq!(short_prefecture_name("阿坝藏族羌族自治州"), "阿坝");
        assert_eq!(short_prefecture_name("甘孜藏族自治州"), "甘孜");
        assert_eq!(short_prefecture_name("凉山彝族自治州"), "凉山");
    }
}
