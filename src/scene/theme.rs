//! Every colour and stroke width of the map in one table, so that the window and the exports
//! look the same and nothing picks colours ad hoc.

use super::points::SymbolShape;

/// An sRGB colour with straight alpha.
pub type Rgba = [u8; 4];

/// The map's colours and stroke widths (widths in logical points).
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Behind everything: sea of white around the provinces.
    pub background: Rgba,
    /// Neighbouring provinces' fill.
    pub backdrop_fill: Rgba,
    /// Neighbouring provinces' outline.
    pub backdrop_outline: Rgba,
    /// Units without a value ("no data"): the base under the hatch.
    pub no_data: Rgba,
    /// The hatch over no-data units.
    pub no_data_hatch: Rgba,
    /// Hatch of designation overlays.
    pub overlay_hatch: Rgba,
    /// Outline of designation overlays.
    pub overlay_outline: Rgba,
    /// County, prefecture, region and province borders: colour and width.
    pub borders: [(Rgba, f32); 4],
    /// Borders between counties of one prefecture on a map of prefecture-level values: faint,
    /// since the counties share their prefecture's value.
    pub faint_county_border: (Rgba, f32),
    /// Hovered unit outline.
    pub hover: (Rgba, f32),
    /// Selected unit outline.
    pub selection: (Rgba, f32),
    /// The outline of units brushed in a chart (the Compare panel's), purple as the charts mark
    /// them.
    pub brush: (Rgba, f32),
    /// Distance rings: colour and width.
    pub rings: (Rgba, f32),
    /// Point layers' symbols, by the layer's place among those shown (repeating after four):
    /// shape and colour.
    pub point_styles: [(SymbolShape, Rgba); 4],
    /// The halo around point symbols.
    pub point_outline: Rgba,
    /// Label text and its halo.
    pub label_text: Rgba,
    /// Halo drawn around labels for legibility.
    pub label_halo: Rgba,
    /// Labels of neighbouring provinces.
    pub backdrop_label: Rgba,
}

impl Theme {
    /// The symbol of the `layer`-th point layer shown.
    pub fn point_style(&self, layer: usize) -> (SymbolShape, Rgba) {
        self.point_styles[layer % self.point_styles.len()]
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            background: [246, 248, 250, 255],
            backdrop_fill: [232, 232, 228, 255],
            backdrop_outline: [190, 190, 184, 255],
            no_data: [236, 236, 236, 255],
            no_data_hatch: [160, 160, 160, 255],
            overlay_hatch: [40, 40, 90, 150],
            overlay_outline: [30, 30, 140, 255],
            borders: [
                ([255, 255, 255, 200], 0.6),
                ([90, 90, 90, 255], 1.3),
                ([30, 30, 30, 255], 2.4),
                ([40, 40, 40, 255], 1.6),
            ],
            faint_county_border: ([255, 255, 255, 80], 0.4),
            hover: ([20, 20, 20, 255], 2.0),
            selection: ([0, 110, 220, 255], 3.0),
            brush: ([190, 0, 190, 255], 2.6),
            rings: ([45, 45, 45, 230], 1.1),
            point_styles: [
                (SymbolShape::Circle, [120, 40, 160, 235]),
                (SymbolShape::Square, [0, 120, 130, 235]),
                (SymbolShape::Triangle, [215, 100, 0, 235]),
                (SymbolShape::Diamond, [40, 110, 40, 235]),
            ],
            point_outline: [255, 255, 255, 255],
            label_text: [30, 30, 30, 255],
            label_halo: [255, 255, 255, 210],
            backdrop_label: [130, 130, 125, 255],
        }
    }
}
