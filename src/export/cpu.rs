//! PNG pages drawn without any graphics adapter: the whole page (map and furniture) written as
//! SVG at the output's resolution and rasterised by resvg, for machines with neither Vulkan nor
//! OpenGL, and on request. Slower than the device (the map's fills are anti-aliased paths, not
//! triangles), but the same page from the same scene.

use super::ExportError;
use super::page::{MapFrame, Page};
use super::png_encode::encode;
use super::svg::{Content, to_svg};
use crate::render::offscreen::Image;
use crate::scene::{MapGeometry, Theme};

/// The page's pixels, rasterised on the CPU.
pub fn render(page: &Page, geometry: &MapGeometry, theme: &Theme) -> Result<Image, ExportError> {
    let (width, height) = super::png::pixel_size(page)?;
    let mut page = page.clone();
    for frame in std::iter::once(&mut page.map).chain(page.inset.as_mut()) {
        snap_to_pixels(frame, page.pixels_per_point);
    }
    let tree = super::parse_svg(&to_svg(
        &page,
        geometry,
        page.pixels_per_point,
        theme,
        Content::RasterPage,
    ))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(ExportError::Size { width, height })?;
    // White paper under everything, as the device's page has: the pixels are then opaque, and
    // tiny-skia's premultiplied RGBA is plain RGBA.
    pixmap.fill(tiny_skia::Color::WHITE);
    let scale = width as f32 / tree.size().width();
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(Image {
        width,
        height,
        rgba: pixmap.take(),
    })
}

/// Moves `frame` onto whole pixels, as the device draws it (into a target of whole pixels at
/// a rounded position, the scale adjusted to the rounded width), so that both put every line
/// and edge on the same pixels rather than up to half a pixel apart.
fn snap_to_pixels(frame: &mut MapFrame, pixels_per_point: f32) {
    let snap = |v: f32| (v * pixels_per_point).round() / pixels_per_point;
    let exact_width = frame.rect.w;
    frame.rect.x = snap(frame.rect.x);
    frame.rect.y = snap(frame.rect.y);
    frame.rect.w = snap(frame.rect.w).max(1.0 / pixels_per_point);
    frame.rect.h = snap(frame.rect.h).max(1.0 / pixels_per_point);
    frame.camera.metres_per_pixel *= f64::from(exact_width) / f64::from(frame.rect.w);
}

/// The page as PNG bytes, rasterised on the CPU.
pub fn render_png(
    page: &Page,
    geometry: &MapGeometry,
    theme: &Theme,
) -> Result<Vec<u8>, ExportError> {
    let image = render(page, geometry, theme)?;
    let row_bytes = image.width as usize * 4;
    // Bands of about 2 MB, as the device's path hands the encoder.
    let rows_per_band = ((2usize << 20) / row_bytes).max(1);
    let bands = image
        .rgba
        .chunks(rows_per_band * row_bytes)
        .map(<[u8]>::to_vec);
    encode(page, image.width, image.height, bands, drop)
}
