//! A county's profile: identity, size, neighbours, and every value the atlas holds for it,
//! each with its year and source.

use super::compare::{Comparison, compare};
pub use super::profile_text::Detail;
use crate::atlas::{
    Adcode, Atlas, BoundaryProvenance, DesignationStatus, Document, EconomicRegion, FormerName,
    Layer, LayerKind, Level, SourceId, Target, UnitId,
};
use crate::i18n::Text;
use crate::spatial::{ContiguityKind, SpatialIndex};
use serde::Serialize;

/// Everything the atlas knows about one county.
#[derive(Clone, Debug, Serialize)]
pub struct CountyProfile {
    /// Current adcode.
    pub adcode: Adcode,
    /// Current name.
    pub name: String,
    /// Current name in English (pinyin and the standard suffix).
    pub name_en: String,
    /// Former names and codes.
    pub former_names: Vec<FormerName>,
    /// Prefecture name.
    pub prefecture: String,
    /// Prefecture name in English.
    pub prefecture_en: String,
    /// Prefecture adcode.
    pub prefecture_adcode: Adcode,
    /// Economic region (Chinese name).
    pub region: String,
    /// Economic region (identifier).
    pub region_id: EconomicRegion,
    /// Area on the Albers equal-area projection, km² (computed, not an official area).
    pub area_km2: f64,
    /// 2020 census resident population.
    pub population_2020: Option<u64>,
    /// Queen-contiguous neighbours, by adcode.
    pub neighbors: Vec<Adcode>,
    /// The same neighbours with their names.
    pub neighbor_names: Vec<String>,
    /// Their names in English.
    pub neighbor_names_en: Vec<String>,
    /// Every indicator value, layer by layer, oldest year first.
    pub indicators: Vec<IndicatorValue>,
    /// Designations naming the county, or its prefecture as a whole.
    pub designations: Vec<DesignationEntry>,
    /// Point features located inside the county.
    pub points: Vec<PointEntry>,
    /// Where the boundary (and so the area) comes from.
    pub boundary: BoundaryProvenance,
}

/// One indicator value in a profile.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorValue {
    /// Layer id.
    pub layer: String,
    /// Layer name.
    pub name: Text,
    /// Year.
    pub year: i32,
    /// Value in `unit` (a category index for categorical layers).
    pub value: f64,
    /// Category name, for categorical layers.
    pub category: Option<Text>,
    /// Unit of measurement.
    pub unit: Text,
    /// County or prefecture level; for prefecture level the value is the prefecture's.
    pub level: Level,
    /// The province-wide value for the same year, where published.
    pub province_value: Option<f64>,
    /// Rank in the province and region, region and neighbour averages (numeric layers).
    pub comparison: Option<Comparison>,
    /// True when computed by the atlas rather than published.
    pub computed: bool,
    /// Where the copy was read (an address, or a repository and file).
    pub source: String,
    /// The official document it is a copy of, where the citation names one.
    pub document: Option<Document>,
    /// Caveat on this value.
    pub note: Option<String>,
    /// Caveat on the layer as a whole.
    pub caveat: Option<Text>,
    /// For a series (a layer of [`SERIES_YEARS`] years or more, shown at its latest year):
    /// the county's value in every year it has one, oldest first; empty otherwise.
    pub series: Vec<YearValue>,
}

/// One year's value of a county's series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct YearValue {
    /// Year.
    pub year: i32,
    /// Value in the indicator's unit.
    pub value: f64,
}

/// Layers with at least this many years are series: a profile shows the latest year with
/// the series beside it, not a line per year (night-time lights have 8, CO₂ 21).
pub const SERIES_YEARS: usize = 5;

/// One designation entry in a profile.
#[derive(Clone, Debug, Serialize)]
pub struct DesignationEntry {
    /// Designation id.
    pub designation: String,
    /// Designation name.
    pub name: Text,
    /// County, or prefecture when the list names the whole prefecture.
    pub level: Level,
    /// Final or candidate.
    pub status: DesignationStatus,
    /// The year as the source gives it.
    pub year: String,
    /// Batch.
    pub batch: Option<String>,
    /// The named zone, park or category.
    pub detail: Option<String>,
    /// Where the copy was read (an address, or a repository and file).
    pub source: String,
    /// The official document it is a copy of, where the citation names one.
    pub document: Option<Document>,
    /// Caveat on this entry.
    pub note: Option<String>,
    /// Caveat on the list as a whole.
    pub caveat: Option<Text>,
}

/// A point feature inside the county.
#[derive(Clone, Debug, Serialize)]
pub struct PointEntry {
    /// Point layer id.
    pub layer: String,
    /// Feature name.
    pub name: String,
    /// The year as the source gives it.
    pub year: String,
    /// How precisely it is placed.
    pub placement: String,
    /// Where the copy was read (an address, or a repository and file).
    pub source: String,
    /// The official document it is a copy of, where the citation names one.
    pub document: Option<Document>,
}

impl CountyProfile {
    /// Assembles the profile of `unit`.
    pub fn build(atlas: &Atlas, index: &SpatialIndex, unit: UnitId) -> Self {
        Self::build_with(atlas, index, unit, &[])
    }

    /// [`Self::build`] with the user's layers too, after the atlas's own: their values cite
    /// the document and address their sidecar files name, or the file they were read from.
    pub fn build_with(
        atlas: &Atlas,
        index: &SpatialIndex,
        unit: UnitId,
        user_layers: &[Layer],
    ) -> Self {
        let county = atlas.unit(unit);
        let prefecture = atlas.prefecture_of(county);
        let neighbors = index.neighbors(unit, ContiguityKind::Queen);
        let indicators: Vec<IndicatorValue> = atlas
            .layers()
            .iter()
            .chain(user_layers)
            .flat_map(|layer| values(atlas, index, layer, unit))
            .collect();
        let population_2020 = indicators
            .iter()
            .find(|v| v.layer == "population" && v.year == 2020)
            .map(|v| v.value.round() as u64);
        CountyProfile {
            adcode: county.adcode,
            name: county.name.clone(),
            name_en: county.name_en.clone(),
            former_names: county.former_names.clone(),
            prefecture: prefecture.name.clone(),
            prefecture_en: prefecture.name_en.clone(),
            prefecture_adcode: prefecture.adcode,
            region: county.region.name_zh().to_owned(),
            region_id: county.region,
            area_km2: (county.area_km2 * 10.0).round() / 10.0,
            population_2020,
            neighbors: neighbors.iter().map(|&n| atlas.unit(n).adcode).collect(),
            neighbor_names: neighbors
                .iter()
                .map(|&n| atlas.unit(n).name.clone())
                .collect(),
            neighbor_names_en: neighbors
                .iter()
                .map(|&n| atlas.unit(n).name_en.clone())
                .collect(),
            indicators,
            designations: designations(atlas, unit),
            points: points(atlas, index, unit),
            boundary: atlas.boundary_provenance().clone(),
        }
    }
}

fn values(atlas: &Atlas, index: &SpatialIndex, layer: &Layer, unit: UnitId) -> Vec<IndicatorValue> {
    let county = atlas.unit(unit);
    let series: Vec<YearValue> = if layer.years().count() >= SERIES_YEARS {
        layer
            .years()
            .filter_map(|year| {
                let value = layer.value_for(county, year)?.value;
                Some(YearValue { year, value })
            })
            .collect()
    } else {
        Vec::new()
    };
    let latest = series.last().map(|v| v.year);
    layer
        .years()
        .filter(|&year| latest.is_none_or(|latest| year == latest))
        .filter_map(|year| {
            let observation = layer.value_for(county, year)?;
            Some(IndicatorValue {
                layer: layer.id.clone(),
                name: layer.name.clone(),
                year,
                value: observation.value,
                category: match layer.kind {
                    LayerKind::Categorical { .. } => layer.category(observation.value).cloned(),
                    LayerKind::Numeric => None,
                },
                unit: layer.unit.clone(),
                level: layer.level,
                province_value: layer.province.get(&year).map(|o| o.value),
                comparison: match layer.kind {
                    LayerKind::Numeric => compare(atlas, index, layer, year, unit),
                    LayerKind::Categorical { .. } => None,
                },
                computed: layer.computed,
                source: match observation.source {
                    SourceId::USER => user_source(layer),
                    SourceId::DERIVED => derived_source(layer),
                    id => atlas.source(id).to_owned(),
                },
                document: match observation.source {
                    SourceId::USER => layer.citation.as_ref().and_then(|c| c.document.clone()),
                    SourceId::DERIVED => layer.derived_from.iter().find_map(|c| c.document.clone()),
                    id => atlas.document(id).cloned(),
                },
                note: observation.note.clone(),
                caveat: layer.caveat.clone(),
                series: series.clone(),
            })
        })
        .collect()
}

/// Where the inputs of a computed layer were read, each once.
fn derived_source(layer: &Layer) -> String {
    let mut addresses: Vec<&str> = Vec::new();
    for address in layer
        .derived_from
        .iter()
        .filter_map(|c| c.address.as_deref())
    {
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    addresses.join("; ")
}

/// Where a user's layer was read: the address its sidecar file gives, else the file's name.
fn user_source(layer: &Layer) -> String {
    layer
        .citation
        .as_ref()
        .and_then(|c| c.address.clone())
        .or_else(|| layer.caveat.as_ref().map(|c| c.zh.clone()))
        .unwrap_or_else(|| "用户数据 / user data".to_owned())
}

fn designations(atlas: &Atlas, unit: UnitId) -> Vec<DesignationEntry> {
    let prefecture = atlas.unit(unit).prefecture;
    let mut entries = Vec::new();
    for designation in atlas.designations() {
        for member in designation.members.iter() {
            let level = match member.target {
                Target::County(u) if u == unit => Level::County,
                Target::Prefecture(p) if p == prefecture => Level::Prefecture,
                _ => continue,
            };
            entries.push(DesignationEntry {
                designation: designation.id.clone(),
                name: designation.name.clone(),
                level,
                status: designation.status,
                year: member.year_label.clone(),
                batch: member.batch.clone(),
                detail: member.detail.clone(),
                source: atlas.source(member.source).to_owned(),
                document: atlas.document(member.source).cloned(),
                note: member.note.clone(),
                caveat: designation.caveat.clone(),
            });
        }
    }
    entries
}

fn points(atlas: &Atlas, index: &SpatialIndex, unit: UnitId) -> Vec<PointEntry> {
    let mut entries = Vec::new();
    for layer in atlas.point_layers() {
        for feature in &layer.features {
            if feature.position.and_then(|p| index.unit_at(p)) == Some(unit) {
                entries.push(PointEntry {
                    layer: layer.id.clone(),
                    name: feature.name.clone(),
                    year: feature.year_label.clone(),
                    placement: feature.placement.clone(),
                    source: atlas.source(feature.source).to_owned(),
                    document: atlas.document(feature.source).cloned(),
                });
            }
        }
    }
    entries
}
