//! Results of the spatial statistics as layers of the workspace, so that they map, hover,
//! profile and export like any other: a LISA cluster map (GeoDa's colours), a G* hot- and
//! cold-spot map, and each county's distance to the nearest point of a point layer. Each
//! result cites the sources of the values it was computed from, so an export's footer names
//! the official documents as it does for the layer itself.

use super::access::Access;
use super::autocorrelation::{GetisOrd, HotSpot, LocalMoran, Quadrant};
use crate::atlas::{
    Atlas, Layer, LayerKind, Level, Measure, Observation, PointFeature, PointLayer, SourceId,
    UnitId,
};
use crate::i18n::Text;
use crate::spatial::WeightsKind;
use std::collections::BTreeMap;

/// GeoDa's colour for "not significant".
const NOT_SIGNIFICANT: [u8; 3] = [238, 238, 238];

/// The LISA categories, in legend order.
const QUADRANTS: [Quadrant; 4] = [Quadrant::HH, Quadrant::LL, Quadrant::LH, Quadrant::HL];

/// How a statistic was computed, for the layer's caveat.
pub struct Method<'a> {
    /// The layer analysed.
    pub source: &'a Layer,
    /// Its year.
    pub year: i32,
    /// The weights.
    pub weights: WeightsKind,
    /// Permutations and seed.
    pub permutations: usize,
    /// The seed.
    pub seed: u64,
    /// The significance cut (alpha, or the FDR threshold).
    pub cut: f64,
    /// Whether the cut is the FDR threshold.
    pub fdr: bool,
}

impl Method<'_> {
    /// Where the analysed value of `unit` was read.
    fn source_of(&self, atlas: &Atlas, unit: UnitId) -> SourceId {
        self.source
            .value_for(atlas.unit(unit), self.year)
            .map_or(SourceId::USER, |o| o.source)
    }

    fn caveat(&self, what: (&str, &str)) -> Text {
        let cut = crate::format::number(self.cut, 4);
        let fdr = if self.fdr { "FDR " } else { "" };
        Text::new(
            format!(
                "{}:{} {} 年,{} 权重(行标准化),{} 次置换(种子 {}),{fdr}p < {cut};灰色为不显著,白色为无数据",
                what.0, self.source.name.zh, self.year, self.weights, self.permutations, self.seed
            ),
            format!(
                "{}: {} {}, {} weights (row-standardised), {} permutations (seed {}), {fdr}p < {cut}; grey: not significant, white: no data",
                what.1, self.source.name.en, self.year, self.weights, self.permutations, self.seed
            ),
        )
    }
}

fn categorical(
    id: String,
    name: Text,
    categories: Vec<Text>,
    colours: Vec<[u8; 3]>,
    caveat: Text,
    per_unit: Vec<Option<(usize, SourceId)>>,
    year: i32,
) -> Layer {
    Layer {
        id,
        name,
        unit: Text::default(),
        level: Level::County,
        kind: LayerKind::Categorical {
            categories,
            colours,
        },
        measure: Measure::Rate,
        caveat: Some(caveat),
        computed: true,
        values: BTreeMap::from([(
            year,
            per_unit
                .into_iter()
                .map(|c| {
                    c.map(|(c, source)| Observation {
                        value: c as f64,
                        source,
                        note: None,
                    })
                })
                .collect(),
        )]),
        province: BTreeMap::new(),
        citation: None,
        derived_from: Vec::new(),
    }
}

/// The LISA cluster map: HH, LL, LH, HL where significant, else not significant; counties
/// without a value have none. `units` are the analysed units, in the result's order.
pub fn lisa_layer(atlas: &Atlas, units: &[UnitId], result: &LocalMoran, method: &Method) -> Layer {
    let mut per_unit = vec![None; atlas.units().len()];
    for (i, &u) in units.iter().enumerate() {
        let class = match result.significant(i, method.cut) {
            Some(q) => QUADRANTS.iter().position(|&k| k == q).unwrap_or(0),
            None => QUADRANTS.len(),
        };
        per_unit[u.index()] = Some((class, method.source_of(atlas, u)));
    }
    let mut categories: Vec<Text> = QUADRANTS.iter().map(|q| q.label()).collect();
    categories.push(Text::new("不显著", "Not significant"));
    let mut colours: Vec<[u8; 3]> = QUADRANTS.iter().map(|q| q.geoda_colour()).collect();
    colours.push(NOT_SIGNIFICANT);
    categorical(
        format!("lisa:{}:{}", method.source.id, method.weights),
        Text::new(
            format!("LISA 聚类:{}", method.source.name.zh),
            format!("LISA clusters: {}", method.source.name.en),
        ),
        categories,
        colours,
        method.caveat(("局部莫兰指数", "Local Moran")),
        per_unit,
        method.year,
    )
}

/// The G* map: hot spots, cold spots, not significant.
pub fn gstar_layer(atlas: &Atlas, units: &[UnitId], result: &GetisOrd, method: &Method) -> Layer {
    let mut per_unit = vec![None; atlas.units().len()];
    for (i, &u) in units.iter().enumerate() {
        let class = match result.spot(i, method.cut) {
            Some(HotSpot::Hot) => 0,
            Some(HotSpot::Cold) => 1,
            None => 2,
        };
        per_unit[u.index()] = Some((class, method.source_of(atlas, u)));
    }
    categorical(
        format!("gstar:{}:{}", method.source.id, method.weights),
        Text::new(
            format!("冷热点(G*):{}", method.source.name.zh),
            format!("Hot and cold spots (G*): {}", method.source.name.en),
        ),
        vec![
            Text::new("热点", "Hot spot"),
            Text::new("冷点", "Cold spot"),
            Text::new("不显著", "Not significant"),
        ],
        vec![[215, 48, 39], [69, 117, 180], NOT_SIGNIFICANT],
        method.caveat(("Getis-Ord G*", "Getis-Ord G*")),
        per_unit,
        method.year,
    )
}

/// Each county's distance to the nearest point of `points`, km, from its `access` to the
/// `placed` points ([`super::access::access_to_layer`]); each value cites where its nearest
/// point was read.
pub fn distance_layer(points: &PointLayer, access: &Access, placed: &[&PointFeature]) -> Layer {
    let (points_id, points_name) = (&points.id, &points.name);
    Layer {
        id: format!("access:{points_id}"),
        name: Text::new(
            format!("到最近{}的距离", points_name.zh),
            format!("Distance to the nearest {}", points_name.en),
        ),
        unit: Text::new("公里", "km"),
        level: Level::County,
        kind: LayerKind::Numeric,
        measure: Measure::Rate,
        caveat: Some(Text::new(
            "县域面积中心到最近点的直线距离(Albers 平面),不是出行时间",
            "Straight line from the centroid of the county's area to the nearest point (Albers plane), not a travel time",
        )),
        computed: true,
        values: BTreeMap::from([(0, per_county(access, placed, |a| a.nearest_km))]),
        province: BTreeMap::new(),
        citation: None,
        derived_from: Vec::new(),
    }
}

/// Each county's count of the points within `access`'s radius of its centroid, as a layer
/// (`within:POINTS:KM`, year 0); a county with none has 0, not no data.
pub fn within_layer(points: &PointLayer, access: &Access, placed: &[&PointFeature]) -> Layer {
    let (points_id, points_name) = (&points.id, &points.name);
    let km = crate::format::number(access.within_km, 1);
    Layer {
        id: format!("within:{points_id}:{km}"),
        name: Text::new(
            format!("{km}公里内的{}数", points_name.zh),
            format!("{} within {km} km", points_name.en),
        ),
        unit: Text::new("个", "points"),
        level: Level::County,
        kind: LayerKind::Numeric,
        measure: Measure::Rate,
        caveat: Some(Text::new(
            format!("县域面积中心 {km} 公里(Albers 平面直线距离)内的点数,不是出行时间"),
            format!(
                "Points within {km} km (straight line, Albers plane) of the centroid of the county's area; not a travel time"
            ),
        )),
        computed: true,
        values: BTreeMap::from([(0, per_county(access, placed, |a| Some(a.within as f64)))]),
        province: BTreeMap::new(),
        citation: None,
        derived_from: Vec::new(),
    }
}

/// `value` of each county's access, citing where its nearest point was read.
fn per_county(
    access: &Access,
    placed: &[&PointFeature],
    value: impl Fn(&super::access::UnitAccess) -> Option<f64>,
) -> Vec<Option<Observation>> {
    access
        .per_unit
        .iter()
        .map(|a| {
            Some(Observation {
                value: value(a)?,
                source: a
                    .nearest
                    .and_then(|i| placed.get(i))
                    .map_or(SourceId::USER, |f| f.source),
                note: None,
            })
        })
        .collect()
}

/// A layer named by what computes it, for an index's indicators and the window:
/// `access:POINTS` (each county's distance to the nearest point), `within:POINTS:KM` (the
/// points within KM) and `distance:chengdu` / `distance:region`; `None` when `id` names none
/// of these, an error (both languages) when it does but cannot be computed.
pub fn computed_layer(
    atlas: &Atlas,
    index: &crate::spatial::SpatialIndex,
    id: &str,
) -> Option<Result<Layer, Text>> {
    if let Some(to) = super::centres::DistanceTo::from_layer_id(id) {
        return Some(super::centres::distance_layer(atlas, to).ok_or_else(|| {
            Text::new(
                "没有人口数据,无法求人口重心",
                "no population to find the population centres with",
            )
        }));
    }
    let (points_id, within) = if let Some(points) = id.strip_prefix("access:") {
        (points, None)
    } else if let Some(rest) = id.strip_prefix("within:") {
        let parsed = rest
            .rsplit_once(':')
            .and_then(|(points, km)| Some((points, km.parse::<f64>().ok()?)))
            .filter(|(_, km)| km.is_finite() && *km > 0.0);
        match parsed {
            Some((points, km)) => (points, Some(km)),
            None => {
                return Some(Err(Text::new(
                    format!(
                        "“{id}”:请写 within:点图层:公里数,如 within:hightech_zones_national:50"
                    ),
                    format!(
                        "'{id}': write within:POINTS:KM, e.g. within:hightech_zones_national:50"
                    ),
                )));
            }
        }
    } else {
        return None;
    };
    let Some(points) = atlas.point_layers().iter().find(|p| p.id == points_id) else {
        return Some(Err(Text::new(
            format!("没有点图层“{points_id}”,可用 `county-atlas layers` 列出(类型 点)"),
            format!("no point layer '{points_id}'; `county-atlas layers` lists them (kind 点)"),
        )));
    };
    let Some((access, placed)) =
        super::access::access_to_layer(atlas, index, points, within.unwrap_or(50.0))
    else {
        return Some(Err(Text::new(
            format!("{points_id}:点图层没有带坐标的点"),
            format!("{points_id}: the point layer has no point with a position"),
        )));
    };
    Some(Ok(match within {
        Some(_) => within_layer(points, &access, &placed),
        None => distance_layer(points, &access, &placed),
    }))
}

/// Whether `id` names a layer [`computed_layer`] makes.
pub fn is_computed_id(id: &str) -> bool {
    ["access:", "within:", "distance:"]
        .iter()
        .any(|p| id.starts_with(p))
}
