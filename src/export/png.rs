//! The page as PNG: the map drawn offscreen by the window's own wgpu pipelines, the furniture
//! rasterised from the page's SVG over it, the record in text chunks.

use super::ExportError;
use super::page::Page;
use super::svg::{Content, to_svg};
use crate::render::offscreen::{Gpu, Image, Target};
use crate::render::{FrameParams, MapPipelines, MapRenderer, RenderError};
use crate::scene::{MapGeometry, Theme};
use std::io::Write;

/// Sides of the map drawn in one pass are at most this many pixels; larger maps (A3 at
/// 600 dpi) are drawn in tiles.
const MAX_TILE: u32 = 8192;

/// The largest image made: A3 at 1200 dpi, about 280 megapixels (1.1 GB of RGBA).
const MAX_PIXELS: u64 = 280_000_000;

/// A headless device with the map's pipelines compiled for offscreen pages: everything a PNG
/// needs before the geometry, so a caller that knows a PNG is coming can open it on another
/// thread while the atlas loads and the geometry is built.
pub struct MapDevice {
    gpu: Gpu,
    pipelines: MapPipelines,
}

impl MapDevice {
    /// Opens the default adapter ([`Gpu::headless`]) and compiles the pipelines.
    pub fn open() -> Result<Self, RenderError> {
        let gpu = Gpu::headless()?;
        let pipelines = MapPipelines::new(&gpu.device, crate::render::offscreen::FORMAT, 1);
        Ok(MapDevice { gpu, pipelines })
    }
}

/// The device and the map pipelines with the geometry uploaded, kept between exports of one
/// batch.
pub struct MapPainter {
    gpu: Gpu,
    renderer: MapRenderer,
}

impl MapPainter {
    /// Uploads the geometry to `device`.
    pub fn new(device: MapDevice, geometry: &MapGeometry, theme: &Theme) -> Self {
        let MapDevice { gpu, pipelines } = device;
        let renderer =
            MapRenderer::with_pipelines(pipelines, &gpu.device, &gpu.queue, geometry, theme);
        MapPainter { gpu, renderer }
    }

    /// What adapter draws (for the CLI's progress lines).
    pub fn adapter(&self) -> &wgpu::AdapterInfo {
        &self.gpu.info
    }

    /// Draws the page at its pixel size: the theme's background with the map frame drawn by
    /// the GPU. Only the frame goes through the device (a third fewer pixels to clear, draw
    /// and read back than the whole page); frames larger than the device's largest texture
    /// are drawn in tiles.
    fn draw(
        &mut self,
        page: &Page,
        width: u32,
        height: u32,
        geometry: &MapGeometry,
        theme: &Theme,
    ) -> Result<Image, ExportError> {
        let ppp = page.pixels_per_point;
        let frame = &page.map;
        // The frame in page pixels, inside the page.
        let left = ((frame.rect.x * ppp).round() as u32).min(width - 1);
        let top = ((frame.rect.y * ppp).round() as u32).min(height - 1);
        let frame_w = ((frame.rect.w * ppp).round() as u32).clamp(1, width - left);
        let frame_h = ((frame.rect.h * ppp).round() as u32).clamp(1, height - top);
        self.renderer
            .set_unit_tables(&self.gpu.queue, &frame.colours, &frame.flags);
        let params = FrameParams {
            centre: geometry.to_scene(frame.camera.centre),
            metres_per_pixel: (frame.camera.metres_per_pixel * f64::from(frame.rect.w)
                / f64::from(frame_w)) as f32,
            viewport: [frame_w as f32, frame_h as f32],
            pixels_per_point: ppp * frame.line_scale,
            ..FrameParams::default()
        };
        // The page is filled while the device draws the first tile.
        let mut page_rgba: Option<Vec<u8>> = None;
        let tile = self
            .gpu
            .device
            .limits()
            .max_texture_dimension_2d
            .min(MAX_TILE);
        for tile_top in (0..frame_h).step_by(tile as usize) {
            for tile_left in (0..frame_w).step_by(tile as usize) {
                let (tw, th) = (
                    (frame_w - tile_left).min(tile),
                    (frame_h - tile_top).min(tile),
                );
                let target = Target::new(&self.gpu.device, tw, th);
                let shifted = [
                    -(tile_left as i32),
                    -(tile_top as i32),
                    frame_w as i32,
                    frame_h as i32,
                ];
                target.draw_in(
                    &self.gpu,
                    &mut self.renderer,
                    &params,
                    theme.background,
                    Some(shifted),
                );
                let rgba = page_rgba.get_or_insert_with(|| {
                    theme.background.repeat(width as usize * height as usize)
                });
                target.read_rows(&self.gpu, |row, line| {
                    let y = (top + tile_top) as usize + row;
                    let at = (y * width as usize + (left + tile_left) as usize) * 4;
                    rgba[at..at + line.len()].copy_from_slice(line);
                })?;
            }
        }
        Ok(Image {
            width,
            height,
            rgba: page_rgba
                .unwrap_or_else(|| theme.background.repeat(width as usize * height as usize)),
        })
    }
}

/// Renders the page: the GPU map with the furniture rasterised over it.
pub fn render(
    page: &Page,
    geometry: &MapGeometry,
    theme: &Theme,
    painter: &mut MapPainter,
) -> Result<Image, ExportError> {
    let width = (page.width * page.pixels_per_point).round() as u32;
    let height = (page.height * page.pixels_per_point).round() as u32;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ExportError::Size { width, height });
    }
    // The furniture is laid out as SVG and parsed (text shaped into outlines) on a second
    // thread while the device draws the map.
    let (drawn, tree) = std::thread::scope(|scope| {
        let furniture =
            scope.spawn(|| super::parse_svg(&to_svg(page, geometry, 0, theme, Content::Furniture)));
        let drawn = painter.draw(page, width, height, geometry, theme);
        let tree = furniture
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (drawn, tree)
    });
    let (drawn, tree) = (drawn?, tree?);
    // Every pixel is opaque, so straight alpha is also premultiplied.
    let mut canvas = tiny_skia::IntSize::from_wh(width, height)
        .and_then(|size| tiny_skia::Pixmap::from_vec(drawn.rgba, size))
        .ok_or(ExportError::Size { width, height })?;
    let scale = width as f32 / tree.size().width();
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut canvas.as_mut(),
    );
    Ok(Image {
        width,
        height,
        rgba: canvas.take(),
    })
}

/// Encodes an opaque image as an RGB PNG with the record in an iTXt chunk (key
/// `county-atlas`), the title, software and sources as text, and the resolution.
pub fn encode(image: &Image, page: &Page) -> Result<Vec<u8>, ExportError> {
    let png_error = |e: png::EncodingError| ExportError::Encode(e.to_string());
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, image.width, image.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fastest);
        let pixels_per_metre = (page.pixels_per_point * 72.0 / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: pixels_per_metre,
            yppu: pixels_per_metre,
            unit: png::Unit::Meter,
        }));
        encoder
            .add_itxt_chunk("Title".into(), page.title.clone())
            .map_err(png_error)?;
        encoder
            .add_text_chunk(
                "Software".into(),
                format!("county-atlas {}", env!("CARGO_PKG_VERSION")),
            )
            .map_err(png_error)?;
        encoder
            .add_itxt_chunk("Source".into(), page.record.sources.join("; "))
            .map_err(png_error)?;
        encoder
            .add_itxt_chunk(super::RECORD_KEY.into(), page.record.to_json())
            .map_err(png_error)?;
        let mut writer = encoder.write_header().map_err(png_error)?;
        // Row by row: an RGB copy of a 300 dpi page would be another 26 MB to fill.
        let width = image.width as usize;
        let mut stream = writer
            .stream_writer_with_size(width * 3 * 16)
            .map_err(png_error)?;
        let mut row = Vec::with_capacity(width * 3);
        for line in image.rgba.chunks_exact(width * 4) {
            row.clear();
            for pixel in line.chunks_exact(4) {
                row.extend_from_slice(&pixel[..3]);
            }
            stream
                .write_all(&row)
                .map_err(|e| ExportError::Encode(e.to_string()))?;
        }
        stream.finish().map_err(png_error)?;
        writer.finish().map_err(png_error)?;
    }
    Ok(bytes)
}
