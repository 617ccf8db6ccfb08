//! The page as PDF: the page's SVG drawn as vectors by krilla, with the bundled font
//! embedded (subset) so that the Chinese shows and can be searched and copied everywhere; the
//! record in the document information (subject) and its keywords.

use super::ExportError;
use super::page::Page;
use krilla::geom::Size;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};

/// Draws `svg` (the page's SVG) as a one-page PDF.
pub fn render(svg: &str, page: &Page) -> Result<Vec<u8>, ExportError> {
    let tree = super::parse_svg(svg)?;
    let size = Size::from_wh(page.width, page.height).ok_or(ExportError::Size {
        width: page.width as u32,
        height: page.height as u32,
    })?;
    let mut document = krilla::Document::new();
    {
        let mut pdf_page = document.start_page_with(PageSettings::new(size));
        let mut surface = pdf_page.surface();
        surface
            .draw_svg(
                &tree,
                size,
                SvgSettings {
                    embed_text: true,
                    ..SvgSettings::default()
                },
            )
            .ok_or_else(|| ExportError::Encode("the page could not be drawn as PDF".into()))?;
        surface.finish();
        pdf_page.finish();
    }
    let record = &page.record;
    let mut keywords = vec![
        record.layer.clone(),
        record.layer_name.clone(),
        record.method.clone(),
        record.palette.clone(),
    ];
    if record.year > 0 {
        keywords.push(record.year.to_string());
    }
    document.set_metadata(
        Metadata::new()
            .title(page.title.clone())
            .description(record.to_json())
            .keywords(keywords)
            .language(page.lang.bcp47().into())
            .creator(format!("county-atlas {}", env!("CARGO_PKG_VERSION")))
            .producer("county-atlas (krilla)".into()),
    );
    document
        .finish()
        .map_err(|e| ExportError::Encode(format!("{e:?}")))
}
