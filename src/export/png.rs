//! The page as PNG: the map drawn offscreen by the window's own wgpu pipelines, the furniture
//! rasterised from the page's SVG over it, the record in text chunks.
//!
//! ```text
//! device: map frame ─▶ mapped readback ─┐
//! thread: page SVG ─▶ furniture tree ───┴▶ bands of rows ─▶ encoder thread ─▶ PNG bytes
//! ```

use super::ExportError;
use super::page::Page;
use super::png_encode::encode;
use super::raster::{FrameTile, Raster};
use super::svg::{Content, to_svg};
use crate::render::offscreen::{Gpu, Image, Target};
use crate::render::{FrameParams, MapPipelines, MapRenderer, MissingLevel, RenderError};
use crate::scene::{MapGeometry, Theme};
use std::sync::Arc;

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
        let pipelines = MapPipelines::new(
            &gpu.device,
            crate::render::offscreen::FORMAT,
            1,
            gpu.line_buffers,
        );
        // Submitted now, the shaders' compilation overlaps the upload of the geometry.
        pipelines.warm_up(&gpu.device, &gpu.queue);
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
    /// A painter of `geometry` on `device`: each level of detail goes up when a page first
    /// draws it, with the outlines of the units that page outlines.
    pub fn new(device: MapDevice, geometry: &Arc<MapGeometry>, theme: &Theme) -> Self {
        let MapDevice { gpu, pipelines } = device;
        let renderer = MapRenderer::with_pipelines(
            pipelines,
            (&gpu.device, &gpu.queue),
            (Arc::clone(geometry), MissingLevel::Build),
            theme,
        );
        MapPainter { gpu, renderer }
    }

    /// What adapter draws (for the CLI's progress lines).
    pub fn adapter(&self) -> &wgpu::AdapterInfo {
        &self.gpu.info
    }

    /// Draws the page's map frame, `width × height` page pixels: the page's background with
    /// the map over it, in tiles where the frame is larger than the device's largest texture.
    /// Only the frame goes through the device (a third fewer pixels to clear, draw and read
    /// back than the whole page). Submits the work and returns without waiting for it.
    fn draw_frame(
        &mut self,
        page: &Page,
        frame: &super::page::MapFrame,
        (width, height): (u32, u32),
        geometry: &MapGeometry,
        theme: &Theme,
    ) -> Vec<([u32; 2], Target)> {
        let ppp = page.pixels_per_point;
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
            fill_opacity: frame.opacity,
            region_borders: frame.region_borders,
            overlay_outlines: frame.overlay_outlines,
            faint_county_borders: frame.faint_county_borders,
            ..FrameParams::default()
        };
        let tile = self
            .gpu
            .device
            .limits()
            .max_texture_dimension_2d
            .min(MAX_TILE);
        let mut tiles = Vec::new();
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
                tiles.push(([left + tile_left, top + tile_top], target));
            }
        }
        tiles
    }
}

/// Bands of about this many bytes of RGBA: small enough to stay in cache between being made
/// and being encoded, large enough that rasterising the furniture once per band is cheap.
const BAND_BYTES: usize = 2 << 20;

/// The page's size in pixels, or why it cannot be made.
pub(super) fn pixel_size(page: &Page) -> Result<(u32, u32), ExportError> {
    let width = (page.width * page.pixels_per_point).round() as u32;
    let height = (page.height * page.pixels_per_point).round() as u32;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ExportError::Size { width, height });
    }
    Ok((width, height))
}

/// Draws the map frame on the device while the furniture is laid out as SVG and parsed (text
/// shaped into outlines) on another thread, then hands `make` the page's raster.
fn with_raster<T>(
    page: &Page,
    geometry: &MapGeometry,
    theme: &Theme,
    painter: &mut MapPainter,
    make: impl FnOnce(&Raster<'_>) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    let (width, height) = pixel_size(page)?;
    let (targets, tree) = std::thread::scope(|scope| {
        let furniture = scope.spawn(|| {
            super::parse_svg(&to_svg(
                page,
                geometry,
                page.pixels_per_point,
                theme,
                Content::Furniture,
            ))
        });
        let mut targets = painter.draw_frame(page, &page.map, (width, height), geometry, theme);
        if let Some(inset) = &page.inset {
            targets.extend(painter.draw_frame(page, inset, (width, height), geometry, theme));
        }
        // This thread is free while the device draws: the copy after the drawing would
        // otherwise fault the readback buffers in, with the rasterisers idle.
        for (_, target) in &targets {
            target.fault_in_readback(&painter.gpu);
        }
        let tree = furniture
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (targets, tree)
    });
    let tree = tree?;
    let tiles = targets
        .iter()
        .map(|([left, top], target)| {
            Ok(FrameTile {
                left: *left,
                top: *top,
                pixels: target.map(&painter.gpu)?,
            })
        })
        .collect::<Result<Vec<_>, RenderError>>()?;
    make(&Raster::new(width, height, tiles, &tree))
}

/// The page as PNG bytes. Bands of rows are made on this thread and encoded on another as
/// they come, so compression overlaps rasterising the furniture.
pub fn render_png(
    page: &Page,
    geometry: &MapGeometry,
    theme: &Theme,
    painter: &mut MapPainter,
) -> Result<Vec<u8>, ExportError> {
    with_raster(page, geometry, theme, painter, |raster| {
        let (width, height) = raster.size();
        let rows = raster.rows_per_band(BAND_BYTES);
        // Two bands in flight; spent buffers come back to be filled again.
        let (band_sender, bands) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let (spent_sender, spent) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::scope(|scope| {
            let encoder = scope.spawn(move || {
                encode(page, width, height, bands, |band| {
                    // The maker may have finished and gone; then the buffer is just freed.
                    let _ = spent_sender.send(band);
                })
            });
            for top in (0..height).step_by(rows as usize) {
                let band_rows = rows.min(height - top) as usize;
                let mut band = spent.try_recv().unwrap_or_default();
                band.resize(band_rows * raster.row_bytes(), 0);
                raster.band(top, &mut band);
                if band_sender.send(band).is_err() {
                    // The encoder stopped on an error, which its result reports.
                    break;
                }
            }
            drop(band_sender);
            encoder
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// The page's pixels: the GPU map with the furniture rasterised over it.
pub fn render(
    page: &Page,
    geometry: &MapGeometry,
    theme: &Theme,
    painter: &mut MapPainter,
) -> Result<Image, ExportError> {
    with_raster(page, geometry, theme, painter, |raster| {
        let (width, height) = raster.size();
        let mut rgba = vec![0; height as usize * raster.row_bytes()];
        raster.band(0, &mut rgba);
        Ok(Image {
            width,
            height,
            rgba,
        })
    })
}
