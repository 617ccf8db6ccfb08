//! From a layer, a year and a classification to a colour per unit and a legend.

use super::theme::Rgba;
use crate::analysis::classify::{Classification, ClassifyError, Method};
use crate::atlas::{Atlas, Layer, LayerKind};
use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// A colour scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Palette {
    /// ColorBrewer YlOrRd (sequential, colour-blind safe): the default.
    YlOrRd,
    /// ColorBrewer YlGnBu (sequential, colour-blind safe).
    YlGnBu,
    /// ColorBrewer Blues (sequential).
    Blues,
    /// ColorBrewer Greens (sequential).
    Greens,
    /// ColorBrewer Purples (sequential).
    Purples,
    /// ColorBrewer Set2 (qualitative), for categories.
    Set2,
}

impl Palette {
    /// The sequential schemes offered for numeric layers.
    pub const SEQUENTIAL: [Palette; 5] = [
        Palette::YlOrRd,
        Palette::YlGnBu,
        Palette::Blues,
        Palette::Greens,
        Palette::Purples,
    ];

    /// Its ColorBrewer name.
    pub fn name(self) -> &'static str {
        match self {
            Palette::YlOrRd => "YlOrRd",
            Palette::YlGnBu => "YlGnBu",
            Palette::Blues => "Blues",
            Palette::Greens => "Greens",
            Palette::Purples => "Purples",
            Palette::Set2 => "Set2",
        }
    }

    /// Colour `i` of `n` classes.
    pub fn colour(self, i: usize, n: usize) -> Rgba {
        let c = match self {
            Palette::Set2 => colorous::SET2[i % colorous::SET2.len()],
            sequential => {
                let gradient = match sequential {
                    Palette::YlGnBu => colorous::YELLOW_GREEN_BLUE,
                    Palette::Blues => colorous::BLUES,
                    Palette::Greens => colorous::GREENS,
                    Palette::Purples => colorous::PURPLES,
                    _ => colorous::YELLOW_ORANGE_RED,
                };
                // Keep off the palest end, which vanishes against the background.
                let t = if n <= 1 {
                    0.6
                } else {
                    0.12 + 0.88 * i as f64 / (n - 1) as f64
                };
                gradient.eval_continuous(t)
            }
        };
        [c.r, c.g, c.b, 255]
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

/// A layer styled for the map: a colour per unit (`None` for no data) and the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Choropleth {
    /// Per unit: its fill, or `None` when it has no value in this year.
    pub colours: Vec<Option<Rgba>>,
    /// Per unit: its class index.
    pub classes: Vec<Option<usize>>,
    /// The classification, for numeric layers.
    pub classification: Option<Classification>,
    /// Legend entries, classes first, no data last.
    pub legend: Vec<LegendEntry>,
    /// Legend title: layer name, year and unit.
    pub title: Text,
}

impl Choropleth {
    /// Styles `layer` for `year`.
    pub fn new(
        atlas: &Atlas,
        layer: &Layer,
        year: i32,
        method: Method,
        k: usize,
        palette: Palette,
    ) -> Result<Self, ClassifyError> {
        let values: Vec<Option<f64>> = atlas
            .units()
            .iter()
            .map(|u| layer.value_for(u, year).map(|o| o.value))
            .collect();
        let title = Text::new(
            title(&layer.name.zh, year, "年", &layer.unit.zh, layer),
            title(&layer.name.en, year, "", &layer.unit.en, layer),
        );
        let (classes, classification, mut legend) = match &layer.kind {
            LayerKind::Categorical { categories } => {
                let classes: Vec<Option<usize>> =
                    values.iter().map(|v| v.map(|v| v as usize)).collect();
                let legend: Vec<LegendEntry> = categories
                    .iter()
                    .enumerate()
                    .map(|(i, name)| LegendEntry {
                        colour: Palette::Set2.colour(i, categories.len()),
                        label: name.clone(),
                        count: classes.iter().filter(|c| **c == Some(i)).count(),
                        no_data: false,
                    })
                    .collect();
                (classes, None, legend)
            }
            LayerKind::Numeric => {
                let present: Vec<f64> = values.iter().flatten().copied().collect();
                let classification = Classification::new(&present, method, k)?;
                let classes = values
                    .iter()
                    .map(|v| v.and_then(|v| classification.class_of(v)))
                    .collect();
                let legend = (0..classification.len())
                    .map(|i| {
                        let (lo, hi) = classification.bounds(i);
                        let label = format!("{} – {}", legend_number(lo), legend_number(hi));
                        LegendEntry {
                            colour: palette.colour(i, classification.len()),
                            label: Text::new(label.clone(), label),
                            count: classification.counts[i],
                            no_data: false,
                        }
                    })
                    .collect();
                (classes, Some(classification), legend)
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
            classification,
            legend,
            title,
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
    fn sequential_palettes_darken() {
        let light = Palette::YlOrRd.colour(0, 5);
        let dark = Palette::YlOrRd.colour(4, 5);
        let luminance =
            |c: Rgba| 0.3 * f64::from(c[0]) + 0.59 * f64::from(c[1]) + 0.11 * f64::from(c[2]);
        assert!(luminance(light) > luminance(dark) + 80.0);
    }
}
