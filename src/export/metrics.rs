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

    /// Whether the font draws `c`.
    pub fn has(&self, c: char) -> bool {
        self.font.charmap().map(c).is_some()
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

    /// `text` with every character the bundled font lacks (an emoji, a rare character)
    /// replaced by [`MISSING_GLYPH`], so that it shows as a box rather than vanishing; and
    /// the characters replaced. Spaces are never missing.
    pub fn drawable(&self, text: &str) -> (String, Vec<char>) {
        let Some(metrics) = &self.0 else {
            return (text.to_owned(), Vec::new());
        };
        let mut missing = Vec::new();
        let drawn = text
            .chars()
            .map(|c| {
                if c.is_whitespace() || metrics.has(c) {
                    c
                } else {
                    missing.push(c);
                    MISSING_GLYPH
                }
            })
            .collect();
        (drawn, missing)
    }
}

/// What stands for a character the bundled font cannot draw: a white square, which it can
/// (`scripts/fonts/subset.py` keeps every character written in the source, this one too).
pub const MISSING_GLYPH: char = '□';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_the_font_lacks_becomes_a_box() {
        let widths = TextWidths::bundled();
        assert!(
            widths.0.as_ref().unwrap().has(MISSING_GLYPH),
            "the box itself is drawn"
        );
        let (drawn, missing) = widths.drawable("郫都区 🚀 ok");
        assert_eq!(drawn, format!("郫都区 {MISSING_GLYPH} ok"));
        assert_eq!(missing, ['🚀']);
    }

    #[test]
    fn chinese_is_one_em_and_latin_narrower() {
        let metrics = FontMetrics::new(crate::assets::NOTO_SANS_SC_SUBSET).unwrap();
        assert!((metrics.width("四川", 10.0) - 20.0).abs() < 0.01);
        assert!(metrics.width("ab", 10.0) < 15.0);
    }
}
