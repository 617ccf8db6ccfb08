//! The centres distances are measured from in 「一干多支、五区协同」: 成都 (the trunk) and
//! each economic region. A centre is the population-weighted mean of its counties' area
//! centroids on the Albers plane (a 人口重心), weighted by the 2020 census population, so it
//! is computed from the atlas's own data, not a coordinate typed in. Each county's distance
//! to 成都's centre, or to its own region's, is a straight line on the same plane as the
//! accessibility distances, and the rings drawn on the map are circles on that plane.

use crate::atlas::{Atlas, EconomicRegion, Layer, LayerKind, Level, Measure, Observation, UnitId};
use crate::i18n::{Lang, Text};
use crate::spatial::area_centroid_km;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The prefecture code of 成都.
const CHENGDU: u32 = 510_100;

/// Whose centre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CentreOf {
    /// 成都市 (一干).
    Chengdu,
    /// One economic region.
    Region(EconomicRegion),
}

impl CentreOf {
    /// The counties it is the centre of.
    pub fn units(self, atlas: &Atlas) -> Vec<UnitId> {
        atlas
            .units()
            .iter()
            .filter(|u| match self {
                CentreOf::Chengdu => atlas.prefecture_of(u).adcode.0 == CHENGDU,
                CentreOf::Region(region) => u.region == region,
            })
            .map(|u| u.id)
            .collect()
    }

    /// "成都市人口重心", "川南经济区人口重心".
    pub fn name(self) -> Text {
        let (zh, en) = match self {
            CentreOf::Chengdu => ("成都市".to_owned(), "Chengdu".to_owned()),
            CentreOf::Region(r) => (r.name_zh().to_owned(), r.name_en().to_owned()),
        };
        Text::new(format!("{zh}人口重心"), format!("{en}'s population centre"))
    }

    /// Its name in `lang`.
    pub fn name_in(self, lang: Lang) -> String {
        self.name().get(lang).to_owned()
    }
}

/// The population centre of `units`, Albers km: their area centroids weighted by the 2020
/// census population. `None` where none of them has a population.
pub fn population_centre(atlas: &Atlas, units: &[UnitId]) -> Option<[f64; 2]> {
    let population = atlas.layer("population")?;
    let (mut x, mut y, mut total) = (0.0, 0.0, 0.0);
    for &unit in units {
        let Some(people) = population.value_for(atlas.unit(unit), 2020) else {
            continue;
        };
        let [cx, cy] = area_centroid_km(&atlas.unit(unit).projected);
        x += people.value * cx;
        y += people.value * cy;
        total += people.value;
    }
    (total > 0.0).then(|| [x / total, y / total])
}

/// The centre of `of`, Albers km.
pub fn centre(atlas: &Atlas, of: CentreOf) -> Option<[f64; 2]> {
    population_centre(atlas, &of.units(atlas))
}

/// What each county's distance is measured to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistanceTo {
    /// 成都's population centre.
    Chengdu,
    /// The population centre of the county's own economic region.
    OwnRegion,
}

impl DistanceTo {
    /// The id of its layer: `distance:chengdu` or `distance:region`.
    pub fn layer_id(self) -> &'static str {
        match self {
            DistanceTo::Chengdu => "distance:chengdu",
            DistanceTo::OwnRegion => "distance:region",
        }
    }

    /// The target a layer id names.
    pub fn from_layer_id(id: &str) -> Option<Self> {
        match id {
            "distance:chengdu" => Some(DistanceTo::Chengdu),
            "distance:region" => Some(DistanceTo::OwnRegion),
            _ => None,
        }
    }
}

/// Each county's straight-line distance (km) from its area centroid to the centre `to` names.
pub fn distances(atlas: &Atlas, to: DistanceTo) -> Vec<Option<f64>> {
    let chengdu = centre(atlas, CentreOf::Chengdu);
    let regions: Vec<Option<[f64; 2]>> = EconomicRegion::ALL
        .iter()
        .map(|&r| centre(atlas, CentreOf::Region(r)))
        .collect();
    atlas
        .units()
        .iter()
        .map(|u| {
            let target = match to {
                DistanceTo::Chengdu => chengdu,
                DistanceTo::OwnRegion => {
                    let r = EconomicRegion::ALL.iter().position(|&r| r == u.region)?;
                    regions[r]
                }
            }?;
            let [x, y] = area_centroid_km(&u.projected);
            Some((x - target[0]).hypot(y - target[1]))
        })
        .collect()
}

/// The distances as a layer of the workspace (year 0: they have none), citing the census
/// population the centres are weighted by.
pub fn distance_layer(atlas: &Atlas, to: DistanceTo) -> Option<Layer> {
    let population = atlas.layer("population")?;
    let per_unit = distances(atlas, to);
    let values = atlas
        .units()
        .iter()
        .zip(per_unit)
        .map(|(u, km)| {
            Some(Observation {
                value: km?,
                source: population.value_for(u, 2020)?.source,
                note: None,
            })
        })
        .collect();
    let (name, what) = match to {
        DistanceTo::Chengdu => (
            Text::new(
                "距成都人口重心的距离",
                "Distance to Chengdu's population centre",
            ),
            Text::new("成都市", "Chengdu"),
        ),
        DistanceTo::OwnRegion => (
            Text::new(
                "距本经济区人口重心的距离",
                "Distance to the own economic region's population centre",
            ),
            Text::new("所在经济区", "the county's economic region"),
        ),
    };
    Some(Layer {
        id: to.layer_id().to_owned(),
        name,
        unit: Text::new("公里", "km"),
        level: Level::County,
        kind: LayerKind::Numeric,
        measure: Measure::Rate,
        caveat: Some(Text::new(
            format!(
                "县域面积中心到{}人口重心(按2020年普查人口加权的县域面积中心)的直线距离(Albers 平面),不是出行时间",
                what.zh
            ),
            format!(
                "Straight line (Albers plane) from the county's area centroid to the population centre of {} (its counties' area centroids weighted by the 2020 census population); not a travel time",
                what.en
            ),
        )),
        computed: true,
        values: BTreeMap::from([(0, values)]),
        province: BTreeMap::new(),
        citation: None,
        derived_from: Vec::new(),
    })
}
