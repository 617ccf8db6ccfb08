//! A user's point list placed in counties: a point layer the map draws (each point at its
//! coordinates, in the county it falls in) and a layer of the points per county, an amount
//! that maps, classifies and normalises (per 10,000 residents, per km²) like any other.

use crate::atlas::{
    Atlas, Layer, LayerKind, Level, Measure, Observation, PointFeature, PointLayer, Precision,
    SourceId,
};
use crate::crs::LonLat;
use crate::i18n::Text;
use crate::spatial::SpatialIndex;
use std::collections::BTreeMap;

/// The two layers of a point list.
#[derive(Clone, Debug)]
pub struct PointListLayers {
    /// The points (id `user:<file stem>`).
    pub points: PointLayer,
    /// The points per county (id `user:<file stem>(点数)`); a county with none counts 0.
    pub counts: Layer,
    /// Points in no county of Sichuan.
    pub outside: u64,
}

/// Places named points in `atlas`'s counties; `stem` names the layers and `file` is what
/// their caveat cites.
pub fn point_list_layers(
    atlas: &Atlas,
    index: &SpatialIndex,
    names: &[String],
    points: &[LonLat],
    stem: &str,
    file: &str,
) -> PointListLayers {
    let caveat = Text::new(format!("用户数据:{file}"), format!("User data: {file}"));
    let layer = place(
        atlas,
        index,
        format!("user:{stem}"),
        Text::new(stem, stem),
        Some(caveat.clone()),
        names,
        points,
    );
    let mut per_unit = vec![0u64; atlas.units().len()];
    let mut outside = 0;
    for feature in &layer.features {
        match feature.unit {
            Some(u) => per_unit[u.index()] += 1,
            None => outside += 1,
        }
    }

    let counts_name = format!("{stem}(点数)");
    let counts = Layer {
        id: format!("user:{counts_name}"),
        name: Text::new(counts_name.clone(), format!("{stem} (points)")),
        unit: Text::new("个", "points"),
        level: Level::County,
        kind: LayerKind::Numeric,
        measure: Measure::Amount,
        caveat: Some(caveat.clone()),
        computed: true,
        values: BTreeMap::from([(
            0,
            per_unit
                .iter()
                .map(|&n| {
                    Some(Observation {
                        value: n as f64,
                        source: SourceId::USER,
                        note: None,
                    })
                })
                .collect(),
        )]),
        province: BTreeMap::new(),
        citation: None,
        derived_from: Vec::new(),
    };
    PointListLayers {
        points: layer,
        counts,
        outside,
    }
}

/// A point layer of named points, each placed in the county it falls in (a project's list
/// placed again when it opens).
pub fn place(
    atlas: &Atlas,
    index: &SpatialIndex,
    id: String,
    name: Text,
    caveat: Option<Text>,
    names: &[String],
    points: &[LonLat],
) -> PointLayer {
    let units = index.assign(points);
    let features = points
        .iter()
        .zip(names)
        .zip(&units)
        .map(|((&point, name), &unit)| PointFeature {
            name: name.clone(),
            position: Some(point),
            unit,
            prefecture: unit.map(|u| atlas.unit(u).prefecture),
            year_label: String::new(),
            placement: "坐标 / coordinates".to_owned(),
            precision: Precision::Exact,
            source: SourceId::USER,
        })
        .collect();
    PointLayer {
        id,
        name,
        caveat,
        features,
    }
}
