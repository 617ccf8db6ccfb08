//! An index's values read from the workspace's layers (built-in, imported or computed), as a
//! map reads them: the county's own value, or its prefecture's for a prefecture layer,
//! divided by population or area where the indicator says (docs/index-method.md, step 1).

use super::definition::{DefinitionError, IndexDefinition, Normalisation, Per, Scope};
use super::prepare::{Classes, IndexData};
use crate::analysis::grouping::Grouping;
use crate::analysis::mapped::{MapError, MappedValues, Normalization};
use crate::atlas::{Atlas, Citation, EconomicRegion, Layer, LayerKind, SourceId};

/// The map's normalisation that an indicator's `per` names.
pub fn normalization_of(per: Option<Per>) -> Normalization {
    match per {
        None => Normalization::None,
        Some(Per::Population) => Normalization::Population,
        Some(Per::Area) => Normalization::Area,
    }
}

/// The year of a computed layer that has none (distances to points).
const TIMELESS: i32 = 0;

/// Finds a layer by id among every layer the user can map.
pub type LayerLookup<'a> = dyn Fn(&str) -> Option<&'a Layer> + 'a;

/// The values of `def`'s indicators, the counties' regions and `classes` (the grouping of
/// `[groups]`, already read).
pub fn index_data<'a>(
    atlas: &Atlas,
    layer_of: &LayerLookup<'a>,
    def: &IndexDefinition,
    classes: Option<&Grouping>,
) -> Result<IndexData, DefinitionError> {
    let k = def.indicators.len();
    let mut data = IndexData {
        regions: atlas
            .units()
            .iter()
            .map(|u| EconomicRegion::ALL.iter().position(|r| *r == u.region))
            .collect(),
        classes: classes.map(|g| Classes {
            names: g.groups.iter().map(|t| t.zh.clone()).collect(),
            of_unit: g.of_unit.clone(),
        }),
        ..IndexData::default()
    };
    for i in 0..k {
        let layer = indicator_layer(def, i, layer_of)?;
        let year = def.indicators[i].year.unwrap_or(def.year);
        data.values.push(values(atlas, def, i, layer, year)?);
        data.mean_weights
            .push(mean_weights(atlas, def, i, layer_of, year)?);
        if def.method.normalisation == Normalisation::BaseYear
            && let Some(base) = def.method.base_year
        {
            data.base.push(values(atlas, def, i, layer, base)?);
        }
        if def.method.scope == Scope::AllYears {
            let years: Vec<i32> = layer.years().collect();
            data.all_years.push(
                years
                    .into_iter()
                    .map(|y| values(atlas, def, i, layer, y))
                    .collect::<Result<_, _>>()?,
            );
        }
    }
    Ok(data)
}

/// Indicator `i`'s layer: numeric, with values.
pub fn indicator_layer<'a>(
    def: &IndexDefinition,
    i: usize,
    layer_of: &LayerLookup<'a>,
) -> Result<&'a Layer, DefinitionError> {
    let indicator = &def.indicators[i];
    let line = def.lines.get(i).copied().unwrap_or(1);
    let layer = layer_of(&indicator.layer).ok_or_else(|| DefinitionError {
        line,
        zh: format!("没有图层“{}”", indicator.layer),
        en: format!("no layer '{}'", indicator.layer),
    })?;
    if matches!(layer.kind, LayerKind::Categorical { .. }) {
        return Err(DefinitionError {
            line,
            zh: format!("“{}”是分类数据,不能作指标", indicator.layer),
            en: format!(
                "'{}' holds categories, which cannot be an indicator",
                indicator.layer
            ),
        });
    }
    Ok(layer)
}

/// The values of indicator `i`'s `mean_weight` layer in `year`, as they are (not divided).
fn mean_weights<'a>(
    atlas: &Atlas,
    def: &IndexDefinition,
    i: usize,
    layer_of: &LayerLookup<'a>,
    year: i32,
) -> Result<Option<Vec<Option<f64>>>, DefinitionError> {
    let Some(id) = &def.indicators[i].mean_weight else {
        return Ok(None);
    };
    let line = def.lines.get(i).copied().unwrap_or(1);
    let layer = layer_of(id).ok_or_else(|| DefinitionError {
        line,
        zh: format!("没有图层“{id}”"),
        en: format!("no layer '{id}'"),
    })?;
    if matches!(layer.kind, LayerKind::Categorical { .. }) {
        return Err(DefinitionError {
            line,
            zh: format!("“{id}”是分类数据,不能作平均的权重"),
            en: format!("'{id}' holds categories, which cannot weight a mean"),
        });
    }
    MappedValues::new(atlas, layer, Some(year), Normalization::None)
        .map(|m| Some(m.per_unit))
        .map_err(|e| match e {
            MapError::NoSuchYear { layer, year, years } => DefinitionError {
                line,
                zh: format!("平均的权重“{layer}”没有 {year} 年的数值(有:{years:?})"),
                en: format!(
                    "the mean's weight '{layer}' has no value in {year} (its years: {years:?})"
                ),
            },
            other => DefinitionError {
                line,
                zh: other.to_string(),
                en: other.to_string(),
            },
        })
}

fn values(
    atlas: &Atlas,
    def: &IndexDefinition,
    i: usize,
    layer: &Layer,
    year: i32,
) -> Result<Vec<Option<f64>>, DefinitionError> {
    let per = normalization_of(def.indicators[i].per);
    let line = def.lines.get(i).copied().unwrap_or(1);
    // A computed layer without a year (distances to points, year 0) serves every year.
    let year = if layer.values.keys().eq([&TIMELESS]) {
        TIMELESS
    } else {
        year
    };
    MappedValues::new(atlas, layer, Some(year), per)
        .map(|m| m.per_unit)
        .map_err(|e| match e {
            MapError::NoSuchYear { layer, year, years } => DefinitionError {
                line,
                zh: format!("“{layer}”没有 {year} 年的数值(有:{years:?})"),
                en: format!("'{layer}' has no value in {year} (its years: {years:?})"),
            },
            other => DefinitionError {
                line,
                zh: other.to_string(),
                en: other.to_string(),
            },
        })
}

/// What the indicators of `def` cite, for the index's layers: each built-in source once
/// (its document and address), each user layer's own citation.
pub fn citations<'a>(
    atlas: &Atlas,
    layer_of: &LayerLookup<'a>,
    def: &IndexDefinition,
) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    let mut push = |c: Citation| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for indicator in &def.indicators {
        let Some(layer) = layer_of(&indicator.layer) else {
            continue;
        };
        if let Some(c) = &layer.citation {
            push(c.clone());
        }
        push_layer_sources(atlas, layer, indicator.year.unwrap_or(def.year), &mut push);
    }
    out
}

fn push_layer_sources(atlas: &Atlas, layer: &Layer, year: i32, push: &mut dyn FnMut(Citation)) {
    let Some(values) = layer.values.get(&year) else {
        return;
    };
    let mut seen: Vec<SourceId> = Vec::new();
    for o in values.iter().flatten() {
        if seen.contains(&o.source) {
            continue;
        }
        seen.push(o.source);
        match o.source {
            SourceId::USER => {}
            SourceId::DERIVED => layer.derived_from.iter().cloned().for_each(&mut *push),
            id => push(Citation {
                document: atlas.document(id).cloned(),
                address: Some(atlas.source(id).to_owned()),
            }),
        }
    }
}

/// The computed layers (`access:`, `within:`, `distance:`) `def` names that `layer_of` does
/// not find, computed.
pub fn computed_inputs<'a>(
    atlas: &Atlas,
    index: &crate::spatial::SpatialIndex,
    layer_of: &LayerLookup<'a>,
    def: &IndexDefinition,
) -> Result<Vec<Layer>, DefinitionError> {
    let mut out: Vec<Layer> = Vec::new();
    for (i, indicator) in def.indicators.iter().enumerate() {
        let id = indicator.layer.as_str();
        if layer_of(id).is_some() || out.iter().any(|l| l.id == id) {
            continue;
        }
        if let Some(made) = crate::analysis::result_layers::computed_layer(atlas, index, id) {
            out.push(made.map_err(|t| DefinitionError {
                line: def.lines.get(i).copied().unwrap_or(1),
                zh: t.zh,
                en: t.en,
            })?);
        }
    }
    Ok(out)
}
