//! The five economic regions of 「一干多支、五区协同」 (Sichuan's regional plan since 2018).

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// One of Sichuan's five economic regions. Chengdu is the trunk (一干) inside 成都平原经济区.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EconomicRegion {
    /// 成都平原经济区: 成都, 德阳, 绵阳, 遂宁, 资阳, 眉山, 乐山, 雅安.
    ChengduPlain,
    /// 川南经济区: 自贡, 泸州, 内江, 宜宾.
    SouthSichuan,
    /// 川东北经济区: 广元, 南充, 广安, 达州, 巴中.
    NortheastSichuan,
    /// 攀西经济区: 攀枝花, 凉山.
    PanxiRegion,
    /// 川西北生态示范区: 阿坝, 甘孜.
    NorthwestEcoZone,
}

impl EconomicRegion {
    /// All five, in the order of the provincial plan.
    pub const ALL: [EconomicRegion; 5] = [
        EconomicRegion::ChengduPlain,
        EconomicRegion::SouthSichuan,
        EconomicRegion::NortheastSichuan,
        EconomicRegion::PanxiRegion,
        EconomicRegion::NorthwestEcoZone,
    ];

    /// The official Chinese name, as the source tables write it.
    pub fn name_zh(self) -> &'static str {
        match self {
            EconomicRegion::ChengduPlain => "成都平原经济区",
            EconomicRegion::SouthSichuan => "川南经济区",
            EconomicRegion::NortheastSichuan => "川东北经济区",
            EconomicRegion::PanxiRegion => "攀西经济区",
            EconomicRegion::NorthwestEcoZone => "川西北生态示范区",
        }
    }

    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            EconomicRegion::ChengduPlain => "Chengdu Plain Economic Region",
            EconomicRegion::SouthSichuan => "South Sichuan Economic Region",
            EconomicRegion::NortheastSichuan => "Northeast Sichuan Economic Region",
            EconomicRegion::PanxiRegion => "Panxi Economic Region",
            EconomicRegion::NorthwestEcoZone => "Northwest Sichuan Ecological Demonstration Zone",
        }
    }

    /// The name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.name_zh(),
            Lang::En => self.name_en(),
        }
    }

    /// Parses the Chinese name used in the source tables.
    pub fn from_zh(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name_zh() == name.trim())
    }

    /// A short ASCII identifier, for file names and the command line.
    pub fn id(self) -> &'static str {
        match self {
            EconomicRegion::ChengduPlain => "chengdu_plain",
            EconomicRegion::SouthSichuan => "south_sichuan",
            EconomicRegion::NortheastSichuan => "northeast_sichuan",
            EconomicRegion::PanxiRegion => "panxi",
            EconomicRegion::NorthwestEcoZone => "northwest_eco_zone",
        }
    }

    /// Parses a name as people write it: the official Chinese name, its short form (川南,
    /// 攀西, ...), the identifier or the English name.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let folded = text.to_ascii_lowercase().replace(['-', ' '], "_");
        Self::ALL.into_iter().find(|r| {
            let zh = r.name_zh();
            let short = zh.trim_end_matches("经济区").trim_end_matches("生态示范区");
            text == zh
                || text == short
                || folded == r.id()
                || folded == r.name_en().to_ascii_lowercase().replace(' ', "_")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_round_trip() {
        for region in EconomicRegion::ALL {
            assert_eq!(EconomicRegion::from_zh(region.name_zh()), Some(region));
        }
        assert_eq!(EconomicRegion::from_zh("川西经济区"), None);
        for region in EconomicRegion::ALL {
            assert_eq!(EconomicRegion::parse(region.id()), Some(region));
            assert_eq!(EconomicRegion::parse(region.name_en()), Some(region));
        }
        assert_eq!(
            EconomicRegion::parse("川西北"),
            Some(EconomicRegion::NorthwestEcoZone)
        );
        assert_eq!(
            EconomicRegion::parse("攀西"),
            Some(EconomicRegion::PanxiRegion)
        );
        assert_eq!(EconomicRegion::parse("川西"), None);
    }
}
