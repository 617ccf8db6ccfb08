//! The catalogue of every built-in layer: indicator layers, designation lists and point
//! layers, with their coverage and sources.

use crate::atlas::{Atlas, Layer, LayerKind, Level, Target, UnitId};
use crate::i18n::Text;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What kind of layer an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerType {
    /// Quantities per unit.
    Numeric,
    /// Categories per unit.
    Categorical,
    /// A list naming units (member or not).
    Designation,
    /// Point features.
    Points,
}

/// One entry of the catalogue.
#[derive(Clone, Debug, Serialize)]
pub struct LayerSummary {
    /// Identifier.
    pub id: String,
    /// Kind of layer.
    #[serde(rename = "type")]
    pub layer_type: LayerType,
    /// Name.
    pub name: Text,
    /// Unit of measurement (empty where none applies).
    pub unit: Text,
    /// County or prefecture.
    pub level: Level,
    /// Years with data, oldest first.
    pub years: Vec<i32>,
    /// Counties with a value (for designations: named directly; for points: holding one),
    /// in the best-covered year.
    pub coverage: usize,
    /// Counties in all.
    pub of: usize,
    /// Counties with a value, per year.
    pub coverage_by_year: BTreeMap<i32, usize>,
    /// Prefectures with a value (prefecture-level layers) or named as a whole (designations).
    pub prefectures: usize,
    /// Number of features (point layers) or entries (designations).
    pub entries: Option<usize>,
    /// True for values computed by the atlas.
    pub computed: bool,
    /// Coverage and meaning caveat.
    pub caveat: Option<Text>,
    /// The distinct sources, in first-use order.
    pub sources: Vec<String>,
}

/// Summarises every built-in layer, in catalogue order: indicators, designations, points.
pub fn catalogue(atlas: &Atlas) -> Vec<LayerSummary> {
    let mut out: Vec<LayerSummary> = atlas.layers().iter().map(|l| indicator(atlas, l)).collect();
    let total = atlas.units().len();
    for designation in atlas.designations() {
        let mut counties = BTreeSet::new();
        let mut prefectures = BTreeSet::new();
        let mut by_year: BTreeMap<i32, BTreeSet<UnitId>> = BTreeMap::new();
        let mut sources = Vec::new();
        for member in &designation.members {
            match member.target {
                Target::County(u) => {
                    counties.insert(u);
                    if let Some(y) = member.year {
                        by_year.entry(y).or_default().insert(u);
                    }
                }
                Target::Prefecture(p) => {
                    prefectures.insert(p);
                }
            }
            push_unique(&mut sources, atlas.source(member.source));
        }
        out.push(LayerSummary {
            id: designation.id.clone(),
            layer_type: LayerType::Designation,
            name: designation.name.clone(),
            unit: Text::default(),
            level: if counties.is_empty() {
                Level::Prefecture
            } else {
                Level::County
            },
            years: designation.years(),
            coverage: counties.len(),
            of: total,
            coverage_by_year: by_year.into_iter().map(|(y, s)| (y, s.len())).collect(),
            prefectures: prefectures.len(),
            entries: Some(designation.members.len()),
            computed: false,
            caveat: designation.caveat.clone(),
            sources,
        });
    }
    for layer in atlas.point_layers() {
        let mut sources = Vec::new();
        let counties: BTreeSet<UnitId> = layer
            .features
            .iter()
            .filter(|f| f.position.is_some())
            .filter_map(|f| f.unit)
            .collect();
        let mut years = BTreeSet::new();
        for feature in &layer.features {
            push_unique(&mut sources, atlas.source(feature.source));
            if let Some(y) = crate::atlas::first_year_of(&feature.year_label) {
                years.insert(y);
            }
        }
        out.push(LayerSummary {
            id: layer.id.clone(),
            layer_type: LayerType::Points,
            name: layer.name.clone(),
            unit: Text::default(),
            level: Level::County,
            years: years.into_iter().collect(),
            coverage: counties.len(),
            of: total,
            coverage_by_year: BTreeMap::new(),
            prefectures: 0,
            entries: Some(layer.features.len()),
            computed: false,
            caveat: layer.caveat.clone(),
            sources,
        });
    }
    out
}

fn indicator(atlas: &Atlas, layer: &Layer) -> LayerSummary {
    let mut coverage_by_year = BTreeMap::new();
    let mut prefectures = 0;
    let mut sources = Vec::new();
    for (&year, values) in &layer.values {
        let counties = atlas
            .units()
            .iter()
            .filter(|u| layer.value_for(u, year).is_some())
            .count();
        if counties > 0 {
            coverage_by_year.insert(year, counties);
        }
        if layer.level == Level::Prefecture {
            prefectures = prefectures.max(values.iter().filter(|v| v.is_some()).count());
        }
        for observation in values.iter().flatten() {
            push_unique(&mut sources, atlas.source(observation.source));
        }
    }
    for observation in layer.province.values() {
        push_unique(&mut sources, atlas.source(observation.source));
    }
    LayerSummary {
        id: layer.id.clone(),
        layer_type: match layer.kind {
            LayerKind::Numeric => LayerType::Numeric,
            LayerKind::Categorical { .. } => LayerType::Categorical,
        },
        name: layer.name.clone(),
        unit: layer.unit.clone(),
        level: layer.level,
        years: layer.years().collect(),
        coverage: coverage_by_year.values().copied().max().unwrap_or(0),
        of: atlas.units().len(),
        coverage_by_year,
        prefectures,
        entries: None,
        computed: layer.computed,
        caveat: layer.caveat.clone(),
        sources,
    }
}

fn push_unique(list: &mut Vec<String>, text: &str) {
    if !list.iter().any(|s| s == text) {
        list.push(text.to_owned());
    }
}
