//! Point layers from `designation_points.csv`.

use super::super::LoadError;
use super::super::points::{PointFeature, PointLayer, Precision};
use super::{Context, Files, table, year_label};
use crate::crs::Crs;
use crate::i18n::Text;

const FILE: &str = "indicators/designation_points.csv";

/// The source's coordinates are county label points computed on the GCJ-02 boundaries.
const SOURCE_CRS: Crs = Crs::Gcj02;

/// (id, prefix of the `designation` cell, (Chinese name, English name)).
const LAYERS: &[(&str, &str, (&str, &str))] = &[
    (
        "hightech_zones_national",
        "国家级高新区",
        ("国家级高新区", "National high-tech zones"),
    ),
    (
        "hightech_zones_provincial",
        "省级高新区",
        ("省级高新区", "Provincial high-tech zones"),
    ),
    (
        "incubators_national_2014",
        "国家级科技企业孵化器",
        (
            "国家级科技企业孵化器(2014年批次)",
            "National tech business incubators (2014 batch)",
        ),
    ),
];

/// Loads the point layers.
pub(super) fn load(files: &dyn Files, cx: &mut Context<'_>) -> Result<Vec<PointLayer>, LoadError> {
    let table = table(files, FILE)?;
    let [
        name,
        designation,
        year,
        adcode,
        prefecture,
        lon,
        lat,
        placement,
        source,
    ] = [
        "feature_name",
        "designation",
        "year",
        "adcode",
        "prefecture",
        "lon",
        "lat",
        "placement",
        "source",
    ]
    .map(|c| table.column(c));
    let (name, designation, year, adcode, prefecture, lon, lat, placement, source) = (
        name?,
        designation?,
        year?,
        adcode?,
        prefecture?,
        lon?,
        lat?,
        placement?,
        source?,
    );
    let mut layers: Vec<PointLayer> = LAYERS
        .iter()
        .map(|(id, _, (zh, en))| PointLayer {
            id: (*id).to_owned(),
            name: Text::new(*zh, *en),
            caveat: Some(Text::new(
                "位置为所在县的标注点,仅精确到县;无县名者只知所在市州,不上图",
                "Placed at the host county's label point (county-level precision); features known only by prefecture have no position",
            )),
            features: Vec::new(),
        })
        .collect();
    for row in table.rows() {
        let kind = row.required(designation)?;
        let index = LAYERS.iter().position(|(_, prefix, _)| kind.starts_with(prefix)).ok_or_else(|| {
            row.error(designation, format!("'{kind}' is not a point layer the atlas knows; add it to src/atlas/builtin/points.rs"))
        })?;
        let position = match (row.number(lon)?, row.number(lat)?) {
            (Some(x), Some(y)) => Some(SOURCE_CRS.to_wgs84([x, y])),
            (None, None) => None,
            _ => {
                return Err(row.error(lat, "a point needs both lon and lat, or neither".to_owned()));
            }
        };
        let unit = row.get(adcode).map(|_| cx.unit(&row, adcode)).transpose()?;
        let prefecture_name = row.required(prefecture)?;
        let prefecture = cx.prefecture_by_name(prefecture_name);
        if prefecture.is_none() {
            return Err(row.error(
                adcode,
                format!("'{prefecture_name}' is not a prefecture of Sichuan"),
            ));
        }
        layers[index].features.push(PointFeature {
            name: row.required(name)?.to_owned(),
            position,
            unit,
            prefecture,
            year_label: year_label(row.required(year)?),
            placement: row.required(placement)?.to_owned(),
            // Every position in this table is its county's label point.
            precision: Precision::County,
            source: cx.sources.intern(row.required(source)?),
        });
    }
    Ok(layers)
}
