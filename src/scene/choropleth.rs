//! From a map specification (layer, year, normalisation, classification, palette) to a colour
//! per county and a legend: the same for the window and every export.

use super::palette::Palette;
use super::theme::Rgba;
use crate::analysis::classify::{ClassRange, Classification, ClassifyError, Method};
use crate::analysis::mapped::{MapError, MappedValues, Normalization};
use crate::atlas::{Atlas, Layer, LayerKind, display_unit};
use crate::i18n::{Lang, Text};
use serde::{Deserialize, Serialize};

/// What a choropleth shows and how: small and serialisable, kept by the window's view,
/// written into exported files as the reproducibility record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapSpec {
    /// Layer id.
    pub layer: String,
    /// Year (`None`: the layer's latest).
    pub year: Option<i32>,
    /// Normalisation of the values.
    pub normalization: Normalization,
    /// Classification method.
    pub method: Method,
    /// Number of classes (for the methods that take one).
    pub classes: usize,
    /// Colour scheme.
    pub palette: Palette,
    /// Run the scheme the other way.
    pub reversed: bool,
    /// The user's own legend labels, by class (`None`: the computed range).
    pub labels: Vec<Option<String>>,
    /// Where locked breaks came from: set when the window locks the breaks of a map, so that
    /// the lock can say so, warn when it is applied to another kind of value, and be undone.
    pub breaks_from: Option<LockedBreaks>,
    /// Classes from the mapped year's values alone. Otherwise (the default) a layer of
    /// several years is classified over all its years' values, so that a colour means the
    /// same in every year and stepping through the years shows change.
    pub classes_per_year: bool,
}

/// The map whose breaks were locked (as the manual method), and how it was classified.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LockedBreaks {
    /// Layer id.
    pub layer: String,
    /// Year.
    pub year: i32,
    /// Its normalisation.
    pub normalization: Normalization,
    /// The method the breaks were computed with (restored by unlocking).
    pub method: Method,
    /// Its number of classes.
    pub classes: usize,
}

impl Default for MapSpec {
    fn default() -> Self {
        MapSpec {
            layer: "population_density".into(),
            year: None,
            normalization: Normalization::None,
            method: Method::Quantile,
            classes: 5,
            palette: Palette::default(),
            reversed: false,
            labels: Vec::new(),
            breaks_from: None,
            classes_per_year: false,
        }
    }
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// Swatch colour (ignored for the no-data entry, drawn hatched).
    pub colour: Rgba,
    /// Label, e.g. "120 – 450" or a category name.
    pub label: Text,
    /// How many counties it covers.
    pub count: usize,
    /// True for the no-data entry.
    pub no_data: bool,
}

/// Why a choropleth could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChoroplethError {
    /// The values could not be prepared.
    #[error(transparent)]
    Values(#[from] MapError),
    /// The values could not be classified.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
}

/// A layer styled for the map: a colour per unit (`None` for no data) and the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Choropleth {
    /// Per unit: its fill, or `None` when it has no value.
    pub colours: Vec<Option<Rgba>>,
    /// Per unit: its class index.
    pub classes: Vec<Option<usize>>,
    /// Per unit: the mapped value.
    pub values: Vec<Option<f64>>,
    /// The classification, for numeric layers.
    pub classification: Option<Classification>,
    /// The scheme the colours come from: the spec's, except that categories take a
    /// qualitative scheme when the spec names a sequential or diverging one.
    pub palette: Palette,
    /// Legend entries, classes first, no data last.
    pub legend: Vec<LegendEntry>,
    /// Legend title: layer name (normalised), year where the layer has several, unit.
    pub title: Text,
    /// The year shown.
    pub year: i32,
    /// The first and last year whose values the classes were computed over, where more than
    /// the year shown (see [`MapSpec::classes_per_year`]).
    pub classes_over: Option<(i32, i32)>,
    /// Set when an amount is mapped without normalisation.
    pub warning: Option<Text>,
}

impl Choropleth {
    /// The colours of the classes (or categories) in legend order, without the no-data
    /// entry's.
    pub fn class_colours(&self) -> Vec<[u8; 3]> {
        self.legend
            .iter()
            .filter(|e| !e.no_data)
            .map(|e| [e.colour[0], e.colour[1], e.colour[2]])
            .collect()
    }

    /// How the classes were made, as the legend says it: "分位数, 5 级, 按2013–2020年全部数值".
    pub fn method_text(&self, lang: Lang) -> Option<String> {
        let classification = self.classification.as_ref()?;
        let over = self
            .classes_over
            .map_or_else(String::new, |(first, last)| match lang {
                Lang::Zh => format!(", 按{first}–{last}年全部数值"),
                Lang::En => format!(", over all years {first}–{last}"),
            });
        Some(format!(
            "{}, {} {}{over}",
            classification.method.name().get(lang),
            classification.len(),
            match lang {
                Lang::Zh => "级",
                Lang::En => "classes",
            }
        ))
    }

    /// Styles `layer` (a built-in layer or the user's own) as `spec` says.
    pub fn new(atlas: &Atlas, layer: &Layer, spec: &MapSpec) -> Result<Self, ChoroplethError> {
        let mapped = MappedValues::new(atlas, layer, spec.year, spec.normalization)?;
        // English counts in millions and billions where Chinese counts in 万 and 亿.
        let (en_factor, en_unit) = display_unit(&mapped.unit, Lang::En);
        let title = Text::new(
            title(&mapped.name.zh, mapped.year, "年", &mapped.unit.zh, layer),
            title(&mapped.name.en, mapped.year, "", &en_unit, layer),
        );
        let mut classes_over = None;
        let (classes, classification, mut legend, palette) = match &layer.kind {
            LayerKind::Categorical {
                categories,
                colours,
            } => {
                let classes: Vec<Option<usize>> = mapped
                    .per_unit
                    .iter()
                    .map(|v| v.map(|v| v as usize))
                    .collect();
                let palette = if spec.palette.kind() == super::palette::SchemeKind::Qualitative {
                    spec.palette
                } else {
                    Palette::Set2
                };
                let legend: Vec<LegendEntry> = categories
                    .iter()
                    .enumerate()
                    .map(|(i, name)| LegendEntry {
                        colour: match colours.get(i) {
                            Some(&[r, g, b]) => [r, g, b, 255],
                            None => palette.colour(i, categories.len(), spec.reversed),
                        },
                        label: name.clone(),
                        count: classes.iter().filter(|c| **c == Some(i)).count(),
                        no_data: false,
                    })
                    .collect();
                (classes, None, legend, palette)
            }
            LayerKind::Numeric => {
                let pooled = pooled_observations(atlas, layer, spec);
                let observations = pooled.as_ref().map_or(&mapped.observations, |(_, o)| o);
                classes_over = pooled.as_ref().map(|(years, _)| *years);
                let classification =
                    Classification::new(observations, spec.method.clone(), spec.classes)?;
                let classes: Vec<Option<usize>> = mapped
                    .per_unit
                    .iter()
                    .map(|v| v.and_then(|v| classification.class_of(v)))
                    .collect();
                let legend = (0..classification.len())
                    .map(|i| {
                        let range = |factor: f64| match classification.class_range(i) {
                            ClassRange::Between(lo, hi) => format!(
                                "{} – {}",
                                legend_number(lo * factor),
                                legend_number(hi * factor)
                            ),
                            ClassRange::AtMost(hi) => format!("≤ {}", legend_number(hi * factor)),
                            ClassRange::Above(lo) => format!("> {}", legend_number(lo * factor)),
                        };
                        let label = match spec.labels.get(i).cloned().flatten() {
                            Some(own) => Text::new(own.clone(), own),
                            None => Text::new(range(1.0), range(en_factor)),
                        };
                        LegendEntry {
                            colour: spec.palette.colour(i, classification.len(), spec.reversed),
                            label,
                            // Counties, even when prefectures were classified.
                            count: classes.iter().filter(|c| **c == Some(i)).count(),
                            no_data: false,
                        }
                    })
                    .collect();
                (classes, Some(classification), legend, spec.palette)
            }
        };
        let colours: Vec<Option<Rgba>> = classes
            .iter()
            .map(|c| c.and_then(|c| legend.get(c).map(|e| e.colour)))
            .collect();
        let missing = colours.iter().filter(|c| c.is_none()).count();
        if missing > 0 {
            legend.push(LegendEntry {
                colour: [0; 4],
                label: Text::new("无数据", "no data"),
                count: missing,
                no_data: true,
            });
        }
        Ok(Choropleth {
            colours,
            classes,
            values: mapped.per_unit,
            classification,
            palette,
            legend,
            title,
            year: mapped.year,
            classes_over,
            warning: mapped.warning,
        })
    }
}

/// "name (year, unit)": the year only where the layer has several (single-year layers carry
/// it in their name), the unit only where there is one.
fn title(name: &str, year: i32, year_suffix: &str, unit: &str, layer: &Layer) -> String {
    let mut parts = Vec::new();
    if layer.years().nth(1).is_some() {
        parts.push(format!("{year}{year_suffix}"));
    }
    if !unit.is_empty() {
        parts.push(unit.to_owned());
    }
    if parts.is_empty() {
        name.to_owned()
    } else {
        format!("{name} ({})", parts.join(", "))
    }
}

/// A legend number at a sensible precision: three significant digits, at least integers for
/// large values.
pub fn legend_number(v: f64) -> String {
    let magnitude = v.abs().max(1e-12).log10().floor() as i32;
    let decimals = (2 - magnitude).clamp(0, 4) as usize;
    crate::format::number(v, decimals)
}

/// Every year's observations of `layer` as `spec` normalises them, with the first and last
/// year among them, when its classes are to be computed over all years: a numeric layer of
/// several years, classes not per year, breaks not given by hand. Years that cannot be
/// normalised so (no population of that year) are left out.
fn pooled_observations(
    atlas: &Atlas,
    layer: &Layer,
    spec: &MapSpec,
) -> Option<((i32, i32), Vec<f64>)> {
    if spec.classes_per_year || matches!(spec.method, Method::Manual { .. }) {
        return None;
    }
    let mut years = Vec::new();
    let mut observations = Vec::new();
    for year in layer.years() {
        let Ok(mapped) = MappedValues::new(atlas, layer, Some(year), spec.normalization) else {
            continue;
        };
        if !mapped.observations.is_empty() {
            years.push(year);
            observations.extend(mapped.observations);
        }
    }
    match (years.first(), years.last()) {
        (Some(&first), Some(&last)) if first != last => Some(((first, last), observations)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_numbers_keep_three_significant_digits() {
        assert_eq!(legend_number(1_234_567.0), "1,234,567");
        assert_eq!(legend_number(23.456), "23.5");
        assert_eq!(legend_number(0.0123), "0.0123");
        assert_eq!(legend_number(0.0), "0");
    }

    #[test]
    fn no_data_gets_its_own_entry_and_labels_can_be_edited() {
        let atlas = Atlas::builtin().unwrap();
        let gdp = atlas.layer("gdp").unwrap();
        let spec = MapSpec {
            layer: "gdp".into(),
            classes: 3,
            labels: vec![Some("低".into())],
            ..MapSpec::default()
        };
        let map = Choropleth::new(&atlas, gdp, &spec).unwrap();
        let last = map.legend.last().unwrap();
        assert!(last.no_data);
        assert_eq!(last.count, 183 - 8);
        assert_eq!(map.legend[0].label.zh, "低");
        assert!(map.legend[1].label.zh.contains(" – "));
        assert!(map.warning.is_some(), "GDP is an amount");
        assert_eq!(map.colours.iter().filter(|c| c.is_none()).count(), 175);
    }
}
