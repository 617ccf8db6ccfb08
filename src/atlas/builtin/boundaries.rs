//! Units, prefectures and the backdrop from the boundary files; regions and former names.

use super::super::codec::{Decoded, Feature};
use super::super::layer::{Layer, LayerKind, Level, Measure, Observation};
use super::super::source::SourceTable;
use super::super::table::Table;
use super::super::{
    Adcode, BackdropRegion, EconomicRegion, FormerName, LoadError, Prefecture, PrefectureId,
    SourceId, Unit, UnitId,
};
use super::first_year;
use crate::crs::Albers;
use crate::i18n::Text;
use geo::{Area, MapCoords, MultiPolygon};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// A prefecture's region with the citation for it.
pub(super) struct RegionEntry {
    region: EconomicRegion,
    source: SourceId,
    year: i32,
}

/// `prefecture_economic_regions.csv`: the region of each prefecture.
pub(super) fn read_prefecture_regions(
    table: &Table,
    sources: &mut SourceTable,
) -> Result<HashMap<Adcode, RegionEntry>, LoadError> {
    let (code, region, year, source) = (
        table.column("prefecture_adcode")?,
        table.column("economic_region")?,
        table.column("year")?,
        table.column("source")?,
    );
    let mut regions = HashMap::new();
    for row in table.rows() {
        let text = row.required(code)?;
        let adcode = Adcode::parse(text)
            .ok_or_else(|| row.error(code, format!("'{text}' is not a six-digit adcode")))?;
        let name = row.required(region)?;
        let region = EconomicRegion::from_zh(name).ok_or_else(|| {
            row.error(region, format!("'{name}' is not one of the five regions (成都平原经济区, 川南经济区, 川东北经济区, 攀西经济区, 川西北生态示范区)"))
        })?;
        let year_text = row.required(year)?;
        let year = first_year(year_text)
            .ok_or_else(|| row.error(year, format!("'{year_text}' names no year")))?;
        regions.insert(
            adcode,
            RegionEntry {
                region,
                source: sources.intern(row.required(source)?),
                year,
            },
        );
    }
    Ok(regions)
}

/// `former_names.csv`: former names and codes, by current adcode.
pub(super) fn read_former_names(
    table: &Table,
) -> Result<HashMap<Adcode, Vec<FormerName>>, LoadError> {
    let columns = [
        "current_adcode",
        "former_name",
        "former_adcode",
        "year",
        "change",
        "resolve",
        "source",
    ]
    .map(|c| table.column(c));
    let [current, name, former_code, year, change, resolve, source] = columns;
    let (current, name, former_code, year, change, resolve, source) = (
        current?,
        name?,
        former_code?,
        year?,
        change?,
        resolve?,
        source?,
    );
    let mut former: HashMap<Adcode, Vec<FormerName>> = HashMap::new();
    for row in table.rows() {
        let text = row.required(current)?;
        let adcode = Adcode::parse(text)
            .ok_or_else(|| row.error(current, format!("'{text}' is not a six-digit adcode")))?;
        let name_resolves = match row.required(resolve)? {
            "yes" => true,
            "adcode" => false,
            other => {
                return Err(row.error(resolve, format!("'{other}' should be yes or adcode")));
            }
        };
        let old_code = match row.get(former_code) {
            Some(text) => Some(Adcode::parse(text).ok_or_else(|| {
                row.error(former_code, format!("'{text}' is not a six-digit adcode"))
            })?),
            None => None,
        };
        let partial = match row.required(change)? {
            "rename" => false,
            "partial" => true,
            other => {
                return Err(row.error(change, format!("'{other}' should be rename or partial")));
            }
        };
        former.entry(adcode).or_default().push(FormerName {
            name: row.required(name)?.to_owned(),
            name_resolves,
            adcode: old_code,
            year: row.get(year).and_then(first_year),
            partial,
            source: row.required(source)?.to_owned(),
        });
    }
    Ok(former)
}

/// Builds the units (in adcode order) and their prefectures from the county boundaries.
pub(super) fn build_units(
    file: &str,
    decoded: Decoded,
    regions: &HashMap<Adcode, RegionEntry>,
    mut former: HashMap<Adcode, Vec<FormerName>>,
    projection: &Albers,
) -> Result<(Vec<Unit>, Vec<Prefecture>), LoadError> {
    check_crs(file, &decoded)?;
    let mut rows = Vec::with_capacity(decoded.features.len());
    for (i, feature) in decoded.features.into_iter().enumerate() {
        let adcode = adcode_property(file, i, &feature, "adcode")?;
        let prefecture_adcode = adcode_property(file, i, &feature, "prefecture_adcode")?;
        let name = text_property(file, i, &feature, "name")?;
        let prefecture_name = text_property(file, i, &feature, "prefecture")?;
        rows.push((
            adcode,
            name,
            prefecture_adcode,
            prefecture_name,
            feature.geometry,
        ));
    }
    rows.sort_by_key(|r| r.0);
    if let Some(pair) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(LoadError::Inconsistent {
            file: file.to_owned(),
            message: format!("adcode {} appears twice", pair[0].0),
        });
    }

    let mut by_code: BTreeMap<Adcode, String> = BTreeMap::new();
    for (_, _, code, name, _) in &rows {
        by_code.entry(*code).or_insert_with(|| name.clone());
    }
    let mut prefectures = Vec::with_capacity(by_code.len());
    for (i, (adcode, name)) in by_code.into_iter().enumerate() {
        let region = regions
            .get(&adcode)
            .ok_or_else(|| LoadError::Inconsistent {
                file: "indicators/prefecture_economic_regions.csv".to_owned(),
                message: format!(
                    "prefecture {name} ({adcode}) has no economic region; add a row for it"
                ),
            })?;
        prefectures.push(Prefecture {
            id: PrefectureId(i as u32),
            adcode,
            name,
            name_en: String::new(),
            region: region.region,
            units: Vec::new(),
        });
    }

    let projected: Vec<(MultiPolygon<f64>, f64)> = rows
        .par_iter()
        .map(|(_, _, _, _, geometry)| {
            let projected = project(geometry, projection);
            let area_km2 = projected.unsigned_area() / 1e6;
            (projected, area_km2)
        })
        .collect();

    let mut units = Vec::with_capacity(rows.len());
    for (i, ((adcode, name, prefecture_code, _, geometry), (projected, area_km2))) in
        rows.into_iter().zip(projected).enumerate()
    {
        let id = UnitId(i as u32);
        let prefecture_index = prefectures
            .iter()
            .position(|p| p.adcode == prefecture_code)
            .unwrap_or_default();
        let prefecture = &mut prefectures[prefecture_index];
        prefecture.units.push(id);
        units.push(Unit {
            id,
            adcode,
            name,
            name_en: String::new(),
            former_names: former.remove(&adcode).unwrap_or_default(),
            prefecture: prefecture.id,
            region: prefecture.region,
            geometry,
            projected,
            area_km2,
        });
    }
    if let Some(code) = former.keys().min() {
        return Err(LoadError::Inconsistent {
            file: super::FORMER_NAMES.to_owned(),
            message: format!("current_adcode {code} is not one of the county-level units"),
        });
    }
    Ok((units, prefectures))
}

/// Gives every unit, prefecture and neighbouring province its English name from
/// `names_en.csv` (`scripts/names/romanise.py`), keyed by adcode and checked against the
/// Chinese name; one missing is an error, so that no English label is ever left blank.
pub(super) fn apply_english_names(
    table: &Table,
    units: &mut [Unit],
    prefectures: &mut [Prefecture],
    backdrop: &mut [BackdropRegion],
) -> Result<(), LoadError> {
    let [code, name, level, english] =
        ["adcode", "name", "level", "name_en"].map(|c| table.column(c));
    let (code, name, level, english) = (code?, name?, level?, english?);
    for row in table.rows() {
        let adcode = Adcode::parse(row.required(code)?)
            .ok_or_else(|| row.error(code, "not a six-digit adcode".to_owned()))?;
        let chinese = row.required(name)?;
        let target: Option<(&str, &mut String)> = match row.required(level)? {
            "county" => units
                .iter_mut()
                .find(|u| u.adcode == adcode)
                .map(|u| (u.name.as_str(), &mut u.name_en)),
            "prefecture" => prefectures
                .iter_mut()
                .find(|p| p.adcode == adcode)
                .map(|p| (p.name.as_str(), &mut p.name_en)),
            _ => backdrop
                .iter_mut()
                .find(|b| b.adcode == adcode)
                .map(|b| (b.name.as_str(), &mut b.name_en)),
        };
        match target {
            Some((known, slot)) if known == chinese => *slot = row.required(english)?.to_owned(),
            Some((known, _)) => {
                return Err(row.error(
                    name,
                    format!("{adcode} is {known} in the boundaries, not {chinese}"),
                ));
            }
            // Sichuan itself, which the atlas draws as its units.
            None => {}
        }
    }
    let missing = units
        .iter()
        .map(|u| &u.name)
        .zip(units.iter().map(|u| &u.name_en))
        .chain(prefectures.iter().map(|p| (&p.name, &p.name_en)))
        .chain(backdrop.iter().map(|b| (&b.name, &b.name_en)))
        .find(|(_, english)| english.is_empty());
    match missing {
        Some((chinese, _)) => Err(LoadError::Inconsistent {
            file: super::NAMES_EN.to_owned(),
            message: format!("{chinese} has no English name; run scripts/names/romanise.py"),
        }),
        None => Ok(()),
    }
}

/// Builds the neighbouring provinces.
pub(super) fn build_backdrop(
    file: &str,
    decoded: Decoded,
    projection: &Albers,
) -> Result<Vec<BackdropRegion>, LoadError> {
    check_crs(file, &decoded)?;
    decoded
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            Ok(BackdropRegion {
                adcode: adcode_property(file, i, &feature, "adcode")?,
                name: text_property(file, i, &feature, "name")?,
                name_en: String::new(),
                projected: project(&feature.geometry, projection),
                geometry: feature.geometry,
            })
        })
        .collect()
}

/// The 五区 membership as a categorical prefecture layer.
pub(super) fn region_layer(
    prefectures: &[Prefecture],
    regions: &HashMap<Adcode, RegionEntry>,
) -> Layer {
    let mut values: BTreeMap<i32, Vec<Option<Observation>>> = BTreeMap::new();
    for prefecture in prefectures {
        if let Some(entry) = regions.get(&prefecture.adcode) {
            let year = values
                .entry(entry.year)
                .or_insert_with(|| vec![None; prefectures.len()]);
            let category = EconomicRegion::ALL
                .iter()
                .position(|r| *r == entry.region)
                .unwrap_or_default();
            year[prefecture.id.index()] = Some(Observation {
                value: category as f64,
                source: entry.source,
                note: None,
            });
        }
    }
    Layer {
        id: "economic_region".into(),
        name: Text::new("五区(经济区)", "Economic region (五区)"),
        unit: Text::default(),
        level: Level::Prefecture,
        measure: Measure::Rate,
        kind: LayerKind::Categorical {
            categories: EconomicRegion::ALL
                .iter()
                .map(|r| Text::new(r.name_zh(), r.name_en()))
                .collect(),
            colours: Vec::new(),
        },
        caveat: Some(Text::new(
            "「一干多支、五区协同」(2018年起):县按所属市州归入经济区",
            "「一干多支、五区协同」 (since 2018): each county belongs to its prefecture's region",
        )),
        computed: false,
        values,
        province: BTreeMap::new(),
        citation: None,
        derived_from: Vec::new(),
    }
}

fn project(geometry: &MultiPolygon<f64>, projection: &Albers) -> MultiPolygon<f64> {
    geometry.map_coords(|c| {
        let [x, y] = projection.forward([c.x, c.y]);
        geo::Coord { x, y }
    })
}

fn check_crs(file: &str, decoded: &Decoded) -> Result<(), LoadError> {
    if decoded.crs == "EPSG:4326" {
        Ok(())
    } else {
        Err(LoadError::Inconsistent {
            file: file.to_owned(),
            message: format!(
                "coordinates are in {}, expected EPSG:4326 (WGS84)",
                decoded.crs
            ),
        })
    }
}

fn text_property(
    file: &str,
    index: usize,
    feature: &Feature,
    key: &str,
) -> Result<String, LoadError> {
    feature
        .properties
        .get(key)
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.trim().to_owned())
        .ok_or_else(|| LoadError::Inconsistent {
            file: file.to_owned(),
            message: format!(
                "feature {} has no '{key}' property; regenerate the file with build-geodata",
                index + 1
            ),
        })
}

fn adcode_property(
    file: &str,
    index: usize,
    feature: &Feature,
    key: &str,
) -> Result<Adcode, LoadError> {
    let text = text_property(file, index, feature, key)?;
    Adcode::parse(&text).ok_or_else(|| LoadError::Inconsistent {
        file: file.to_owned(),
        message: format!(
            "feature {}: '{key}' is '{text}', not a six-digit adcode",
            index + 1
        ),
    })
}
