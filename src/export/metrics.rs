//! Text measurement with the bundled font, so that every backend lays text out alike.

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// Advance widths of the bundled font.
pub struct FontMetrics<'a> {
    font: skrifa::FontRef<'a>,
    units_per_em: f32,
}

impl<'a> FontMetrics<'a> {
    /// Metrics of an OpenType font (the bundled subset).
    pub fn new(data: &'a [u8]) -> Option<Self> {
        let font = skrifa::FontRef::new(data).ok()?;
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        Some(FontMetrics {
            units_per_em: f32::from(metrics.units_per_em),
            font,
        })
    }

    /// The width of `text` at `size` (same unit as `size`), without kerning.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let charmap = self.font.charmap();
        let advances = self
            .font
            .glyph_metrics(Size::unscaled(), LocationRef::default());
        let units: f32 = text
            .chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|g| advances.advance_width(g))
                    .unwrap_or(self.units_per_em * 0.5)
            })
            .sum();
        units / self.units_per_em * size
    }
}

/// Text widths in the bundled font, measured the same way wherever a page is laid out.
pub struct TextWidths(Option<FontMetrics<'static>>);

impl TextWidths {
    /// Widths from the bundled font.
    pub fn bundled() -> Self {
        TextWidths(FontMetrics::new(crate::assets::NOTO_SANS_SC_SUBSET))
    }

    /// The width of `text` at `size`; a square per character should the font not parse.
    pub fn of(&self, text: &str, size: f32) -> f32 {
        self.0
            .as_ref()
            .map_or(text.chars().count() as f32 * size, |m| m.width(text, size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_one_em_and_latin_narrower() {
        let metrics = FontMetrics::new(crate::assets::NOTO_SANS_SC_SUBSET).unwrap();
        assert!((metrics.width("四川", 10.0) - 20.0).abs() < 0.01);
        assert!(metrics.width("ab", 10.0) < 15.0);
    }
}
