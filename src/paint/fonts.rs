//! The bundled Chinese font (a Noto Sans SC subset under the SIL OFL, `assets/fonts/`). It is
//! installed first in both families, so that Chinese never falls back to a system font (which
//! picks Japanese glyph forms outside a zh_CN locale).

pub use crate::assets::NOTO_SANS_SC_SUBSET;

/// Adds the font to `ctx` ahead of egui's defaults.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(egui::epaint::text::FontInsert::new(
        "noto-sans-sc-sichuan",
        egui::FontData::from_static(NOTO_SANS_SC_SUBSET),
        vec![
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: egui::epaint::text::FontPriority::Highest,
            },
            egui::epaint::text::InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: egui::epaint::text::FontPriority::Lowest,
            },
        ],
    ));
}
