//! The variable a choropleth maps: a layer's values for one year, per county, optionally
//! normalised by population or area so that amounts become rates.

use crate::atlas::{Atlas, Layer, LayerKind, Level, Measure};
use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// How values are normalised before classification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Normalization {
    /// As published.
    #[default]
    None,
    /// Per 10,000 residents of the same year (only the 2020 census is built in, so only
    /// 2020's values have a rate; other years are refused with [`MapError::NoPopulation`]).
    Population,
    /// Per km² (boundary area on the Albers projection).
    Area,
}

impl std::str::FromStr for Normalization {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "none" => Ok(Normalization::None),
            "population" | "pop" => Ok(Normalization::Population),
            "area" => Ok(Normalization::Area),
            other => Err(format!(
                "unknown normalisation '{other}': use none, population or area"
            )),
        }
    }
}

/// Residents per normalised unit: values are mapped per 10,000 residents.
const PER_RESIDENTS: f64 = 10_000.0;

/// A layer's values ready to classify.
#[derive(Clone, Debug, PartialEq)]
pub struct MappedValues {
    /// Per county: the value shown (its prefecture's for prefecture layers), or `None`.
    pub per_unit: Vec<Option<f64>>,
    /// One value per observation: per county, or per prefecture for prefecture layers
    /// (classification uses these, so that a prefecture counts once, not once per county).
    pub observations: Vec<f64>,
    /// The year.
    pub year: i32,
    /// Name, with the normalisation.
    pub name: Text,
    /// Unit of the mapped values.
    pub unit: Text,
    /// Set when an amount is mapped as it is.
    pub warning: Option<Text>,
}

/// Why a layer cannot be mapped as asked.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MapError {
    /// The layer has no values in that year.
    #[error(
        "图层“{layer}”没有 {year} 年的数值,可选年份 {years:?} / layer '{layer}' has no values for {year}; its years are {years:?}"
    )]
    NoSuchYear {
        /// Layer id.
        layer: String,
        /// Year asked for.
        year: i32,
        /// Years it has.
        years: Vec<i32>,
    },
    /// The layer has no values at all.
    #[error("图层“{0}”没有数值 / layer '{0}' has no values")]
    Empty(String),
    /// No population of the mapped year is built in: dividing another year's amount by the
    /// 2020 census would mix years.
    #[error(
        "没有 {year} 年的人口数据,不能按常住人口计算“{layer}”(内置人口仅有 {years:?} 年普查);可按面积标准化 / no population of {year} is built in, so '{layer}' cannot be mapped per resident (the built-in population is the census of {years:?}); normalise by area instead"
    )]
    NoPopulation {
        /// Layer id.
        layer: String,
        /// Year asked for.
        year: i32,
        /// Years the population has.
        years: Vec<i32>,
    },
    /// Categories cannot be normalised.
    #[error(
        "图层“{0}”是分类数据,不能标准化 / layer '{0}' holds categories, which cannot be normalised"
    )]
    CategoricalNormalized(String),
}

impl MappedValues {
    /// The counties with a value, ascending, and their values in that order: the vectors the
    /// spatial statistics read (their weights are built among these counties).
    pub fn with_values(&self) -> (Vec<crate::atlas::UnitId>, Vec<f64>) {
        self.per_unit
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((crate::atlas::UnitId(i as u32), (*v)?)))
            .unzip()
    }

    /// The values of `layer` in `year` (its best-covered year when `None`, see [`Layer::default_year`]), normalised.
    pub fn new(
        atlas: &Atlas,
        layer: &Layer,
        year: Option<i32>,
        normalization: Normalization,
    ) -> Result<Self, MapError> {
        let year = match year {
            Some(y) if layer.years().any(|v| v == y) => y,
            Some(y) => {
                return Err(MapError::NoSuchYear {
                    layer: layer.id.clone(),
                    year: y,
                    years: layer.years().collect(),
                });
            }
            None => layer
                .default_year()
                .ok_or_else(|| MapError::Empty(layer.id.clone()))?,
        };
        if normalization != Normalization::None
            && matches!(layer.kind, LayerKind::Categorical { .. })
        {
            return Err(MapError::CategoricalNormalized(layer.id.clone()));
        }
        let population = atlas.layer("population");
        if normalization == Normalization::Population
            && !population.is_some_and(|p| p.values.contains_key(&year))
        {
            return Err(MapError::NoPopulation {
                layer: layer.id.clone(),
                year,
                years: population.map(|p| p.years().collect()).unwrap_or_default(),
            });
        }
        let divisor_of_unit = |index: usize| -> Option<f64> {
            let unit = &atlas.units()[index];
            match normalization {
                Normalization::None => Some(1.0),
                Normalization::Population => population?
                    .value_for(unit, year)
                    .map(|o| o.value / PER_RESIDENTS),
                Normalization::Area => Some(unit.area_km2),
            }
        };
        let per_unit: Vec<Option<f64>>;
        let observations: Vec<f64>;
        match layer.level {
            Level::County => {
                per_unit = atlas
                    .units()
                    .iter()
                    .map(|u| Some(layer.value_for(u, year)?.value / divisor_of_unit(u.id.index())?))
                    .map(|v| v.filter(|v| v.is_finite()))
                    .collect();
                observations = per_unit.iter().flatten().copied().collect();
            }
            Level::Prefecture => {
                let prefecture_values: Vec<Option<f64>> = atlas
                    .prefectures()
                    .iter()
                    .map(|p| {
                        let value = layer.prefecture_value(p.id, year)?.value;
                        let divisor: f64 = p
                            .units
                            .iter()
                            .map(|u| divisor_of_unit(u.index()))
                            .sum::<Option<f64>>()?;
                        let divisor = if normalization == Normalization::None {
                            1.0
                        } else {
                            divisor
                        };
                        Some(value / divisor).filter(|v| v.is_finite())
                    })
                    .collect();
                per_unit = atlas
                    .units()
                    .iter()
                    .map(|u| prefecture_values[u.prefecture.index()])
                    .collect();
                observations = prefecture_values.iter().flatten().copied().collect();
            }
        }
        let (name, unit) = normalized_texts(layer, normalization);
        let warning = (layer.measure == Measure::Amount && normalization == Normalization::None && matches!(layer.kind, LayerKind::Numeric)).then(|| {
            Text::new(
                format!("「{}」是总量指标,直接分级会让面积或人口大的县显得突出;建议按人口或面积标准化", layer.name.zh),
                format!("'{}' is an amount: mapped as it is, large counties stand out for their size; normalise by population or area", layer.name.en),
            )
        });
        Ok(MappedValues {
            per_unit,
            observations,
            year,
            name,
            unit,
            warning,
        })
    }
}

/// A layer's name and unit as mapped with `normalization` ("…(每万常住人口)", "… per km²").
pub fn normalized_texts(layer: &Layer, normalization: Normalization) -> (Text, Text) {
    match normalization {
        Normalization::None => (layer.name.clone(), layer.unit.clone()),
        Normalization::Population => (
            Text::new(
                format!("{}(每万常住人口)", layer.name.zh),
                format!("{} per 10,000 residents", layer.name.en),
            ),
            Text::new(
                format!("{}/万人", layer.unit.zh),
                format!("{} per 10,000 residents", layer.unit.en),
            ),
        ),
        Normalization::Area => (
            Text::new(
                format!("{}(每平方公里)", layer.name.zh),
                format!("{} per km²", layer.name.en),
            ),
            Text::new(
                format!("{}/平方公里", layer.unit.zh),
                format!("{} per km²", layer.unit.en),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_per_area_is_the_density_layer() {
        let atlas = Atlas::builtin().unwrap();
        let population = atlas.layer("population").unwrap();
        let per_area = MappedValues::new(&atlas, population, None, Normalization::Area).unwrap();
        let density = MappedValues::new(
            &atlas,
            atlas.layer("population_density").unwrap(),
            None,
            Normalization::None,
        )
        .unwrap();
        for (a, b) in per_area.per_unit.iter().zip(&density.per_unit) {
            assert!((a.unwrap() - b.unwrap()).abs() < 1e-9);
        }
        assert!(per_area.warning.is_none());
        assert!(
            MappedValues::new(&atlas, population, None, Normalization::None)
                .unwrap()
                .warning
                .is_some(),
            "a raw amount warns"
        );
        let per_people =
            MappedValues::new(&atlas, population, None, Normalization::Population).unwrap();
        assert!(
            per_people
                .per_unit
                .iter()
                .all(|v| (v.unwrap() - 10_000.0).abs() < 1e-6)
        );
    }

    #[test]
    fn prefecture_layers_classify_each_prefecture_once() {
        let atlas = Atlas::builtin().unwrap();
        let rd = MappedValues::new(
            &atlas,
            atlas.layer("rd_intensity").unwrap(),
            Some(2018),
            Normalization::None,
        )
        .unwrap();
        assert_eq!(rd.observations.len(), 18);
        assert_eq!(
            rd.per_unit.iter().filter(|v| v.is_some()).count(),
            183 - 13 - 18 - 17,
            "阿坝, 甘孜 and 凉山 have no 2018 intensity"
        );
        assert!(matches!(
            MappedValues::new(
                &atlas,
                atlas.layer("rd_intensity").unwrap(),
                Some(1999),
                Normalization::None
            ),
            Err(MapError::NoSuchYear { .. })
        ));
        assert!(
            MappedValues::new(
                &atlas,
                atlas.layer("economic_region").unwrap(),
                None,
                Normalization::Area
            )
            .is_err()
        );
    }
}
