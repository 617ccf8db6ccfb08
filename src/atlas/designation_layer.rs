//! A designation list as a categorical layer of its own: each county named, a candidate, in a
//! prefecture named as a whole, or not named. A planner maps the list itself, not only as an
//! overlay on another indicator.

use super::{Atlas, Designation, DesignationStatus, Layer, LayerKind, Level, Measure, Observation};
use super::{Target, UnitId};
use crate::i18n::Text;
use std::collections::BTreeMap;

/// The categories, in legend order (those that occur are kept).
const NAMED: usize = 0;
const CANDIDATE: usize = 1;
const WHOLE_PREFECTURE: usize = 2;
const NOT_NAMED: usize = 3;

impl Designation {
    /// The list as a layer with the list's id: every county gets a category (not being named
    /// is a value, not missing data), under the latest year the list names (0 when it names
    /// none).
    pub fn as_layer(&self, atlas: &Atlas) -> Layer {
        let status = match self.status {
            DesignationStatus::Designated => NAMED,
            DesignationStatus::Candidate => CANDIDATE,
        };
        let mut values: Vec<Option<Observation>> = vec![None; atlas.units().len()];
        let mut set = |unit: UnitId, category: usize, source| {
            let slot = &mut values[unit.index()];
            // A county named itself outranks its prefecture's naming.
            if slot
                .as_ref()
                .is_none_or(|o: &Observation| o.value as usize > category)
            {
                *slot = Some(Observation {
                    value: category as f64,
                    source,
                    note: None,
                });
            }
        };
        for member in &self.members {
            match member.target {
                Target::County(unit) => set(unit, status, member.source),
                Target::Prefecture(p) => {
                    for &unit in &atlas.prefecture(p).units {
                        set(unit, WHOLE_PREFECTURE, member.source);
                    }
                }
            }
        }
        // Not named: the list's own source says so as much as it says who is.
        if let Some(source) = self.members.first().map(|m| m.source) {
            for slot in values.iter_mut().filter(|v| v.is_none()) {
                *slot = Some(Observation {
                    value: NOT_NAMED as f64,
                    source,
                    note: None,
                });
            }
        }
        // Only the categories that occur: a final list has no candidates, most lists no whole
        // prefecture, and an empty legend row would read as a finding.
        let labels = [
            Text::new("已列入", "named"),
            Text::new("候选(非最终)", "candidate (not final)"),
            Text::new("所在市州整体列入", "its whole prefecture named"),
            Text::new("未列入", "not named"),
        ];
        let used: Vec<usize> = (0..labels.len())
            .filter(|&c| values.iter().flatten().any(|o| o.value as usize == c))
            .collect();
        for observation in values.iter_mut().flatten() {
            let position = used.iter().position(|&c| c == observation.value as usize);
            observation.value = position.unwrap_or_default() as f64;
        }
        let categories = used.iter().map(|&c| labels[c].clone()).collect();
        let year = self.years().last().copied().unwrap_or(0);
        Layer {
            id: self.id.clone(),
            name: Text::new(
                format!("{}(名单)", self.name.zh),
                format!("{} (list)", self.name.en),
            ),
            unit: Text::default(),
            level: Level::County,
            kind: LayerKind::Categorical {
                categories,
                colours: Vec::new(),
            },
            measure: Measure::Rate,
            caveat: self.caveat.clone(),
            computed: true,
            values: BTreeMap::from([(year, values)]),
            province: BTreeMap::new(),
            citation: None,
            derived_from: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::atlas::{Atlas, Layer, LayerKind, UnitId};

    fn categories(layer: &Layer) -> Vec<String> {
        match &layer.kind {
            LayerKind::Categorical { categories, .. } => {
                categories.iter().map(|c| c.zh.clone()).collect()
            }
            LayerKind::Numeric => panic!("a list maps as categories"),
        }
    }

    #[test]
    fn a_list_maps_every_county_and_names_whole_prefectures_apart() {
        let atlas = Atlas::builtin().unwrap();
        let eco = atlas.designation("eco_demo").unwrap();
        let layer = eco.as_layer(&atlas);
        let year = layer.default_year().unwrap();
        assert_eq!(layer.coverage(year), (183, 183), "not named is a value");
        let (counties, prefectures) = eco.targets();
        let category = |u: UnitId| {
            let value = layer.value_for(atlas.unit(u), year).unwrap().value;
            layer.category(value).unwrap().zh.clone()
        };
        for u in &counties {
            assert_eq!(category(*u), "已列入", "{}", atlas.unit(*u).name);
        }
        let whole = atlas.prefecture(prefectures[0]);
        assert!(
            whole
                .units
                .iter()
                .any(|u| category(*u) == "所在市州整体列入")
        );
        assert!(
            !categories(&layer).iter().any(|c| c.starts_with("候选")),
            "a final list has no candidate category"
        );
        let candidates = atlas.designation("eco_demo_candidate").unwrap();
        assert!(
            categories(&candidates.as_layer(&atlas))
                .iter()
                .any(|c| c.starts_with("候选"))
        );
    }
}
