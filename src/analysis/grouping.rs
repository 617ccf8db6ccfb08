//! Groupings of the counties for regional comparison: the five economic regions of
//! 「一干多支、五区协同」, the 21 prefectures, 一干 (成都) against the rest of the province, or
//! a user's own (a table of county → group, e.g. the four county classes of the provincial
//! county-economy assessment, read by [`crate::io::grouping_table`]).

use crate::atlas::{Atlas, EconomicRegion, UnitId};
use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// The built-in groupings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BuiltinGrouping {
    /// The five economic regions (五区).
    Region,
    /// The 21 prefectures (市州).
    Prefecture,
    /// 成都 (一干, the trunk) against the other 20 prefectures.
    Trunk,
}

impl std::str::FromStr for BuiltinGrouping {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "region" | "regions" | "五区" | "经济区" => Ok(BuiltinGrouping::Region),
            "prefecture" | "prefectures" | "市州" => Ok(BuiltinGrouping::Prefecture),
            "trunk" | "一干" | "一干多支" => Ok(BuiltinGrouping::Trunk),
            other => Err(format!(
                "分组“{other}”无法识别:请用 region、prefecture、trunk 或分组表文件 / unknown grouping '{other}': use region, prefecture, trunk or a grouping table's file"
            )),
        }
    }
}

/// Each county's group (or none), and the groups' names in their order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grouping {
    /// What the grouping is.
    pub name: Text,
    /// The groups, in the order tables list them.
    pub groups: Vec<Text>,
    /// Per county (by [`UnitId`]): its group's index, `None` when the grouping leaves it out.
    pub of_unit: Vec<Option<usize>>,
}

/// The prefecture code of Chengdu, the trunk (一干) of the regional plan.
const CHENGDU: &str = "510100";

impl Grouping {
    /// One of the built-in groupings.
    pub fn builtin(atlas: &Atlas, kind: BuiltinGrouping) -> Self {
        match kind {
            BuiltinGrouping::Region => Grouping {
                name: Text::new("五大经济区", "Five economic regions"),
                groups: EconomicRegion::ALL
                    .iter()
                    .map(|r| Text::new(r.name_zh(), r.name_en()))
                    .collect(),
                of_unit: atlas
                    .units()
                    .iter()
                    .map(|u| EconomicRegion::ALL.iter().position(|r| *r == u.region))
                    .collect(),
            },
            BuiltinGrouping::Prefecture => Grouping {
                name: Text::new("市州", "Prefectures"),
                groups: atlas
                    .prefectures()
                    .iter()
                    .map(|p| Text::new(p.name.clone(), p.name_en.clone()))
                    .collect(),
                of_unit: atlas
                    .units()
                    .iter()
                    .map(|u| Some(u.prefecture.index()))
                    .collect(),
            },
            BuiltinGrouping::Trunk => Grouping {
                name: Text::new(
                    "一干多支:成都与其他市州",
                    "Trunk and branches: Chengdu and the rest",
                ),
                groups: vec![
                    Text::new("成都市(一干)", "Chengdu (the trunk)"),
                    Text::new("其他市州(多支)", "Other prefectures (the branches)"),
                ],
                of_unit: atlas
                    .units()
                    .iter()
                    .map(|u| {
                        let chengdu = atlas.prefecture(u.prefecture).adcode.to_string() == CHENGDU;
                        Some(if chengdu { 0 } else { 1 })
                    })
                    .collect(),
            },
        }
    }

    /// A grouping from (county, group name) pairs, the groups in order of first appearance.
    pub fn from_labels(name: Text, units: usize, labels: &[(UnitId, String)]) -> Self {
        let mut groups: Vec<String> = Vec::new();
        let mut of_unit = vec![None; units];
        for (unit, label) in labels {
            let g = match groups.iter().position(|g| g == label) {
                Some(g) => g,
                None => {
                    groups.push(label.clone());
                    groups.len() - 1
                }
            };
            of_unit[unit.index()] = Some(g);
        }
        Grouping {
            name,
            groups: groups
                .into_iter()
                .map(|g| Text::new(g.clone(), g))
                .collect(),
            of_unit,
        }
    }

    /// Whether it is a grouping of `units` counties whose every group index names one of its
    /// groups: one read back from a file (a saved window state, a record) may not be.
    pub fn fits(&self, units: usize) -> bool {
        self.of_unit.len() == units
            && self
                .of_unit
                .iter()
                .flatten()
                .all(|&g| g < self.groups.len())
    }

    /// The counties of group `g`.
    pub fn members(&self, g: usize) -> impl Iterator<Item = UnitId> + '_ {
        self.of_unit
            .iter()
            .enumerate()
            .filter(move |(_, of)| **of == Some(g))
            .map(|(i, _)| UnitId(i as u32))
    }
}
