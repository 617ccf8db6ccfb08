//! The page as PNG: the map drawn offscreen by the window's own wgpu pipelines, the furniture
//! rasterised from the page's SVG over it, the record in text chunks.
//!
//! ```text
//! device: map frame, strip by strip ─▶ mapped readback ─┐
//! thread: page SVG ─▶ furniture tree ───────────────────┴▶ bands of rows ─▶ encoder thread
//! ```

use super::ExportError;
use super::frame_strips::FrameStrips;
use super::page::Page;
use super::png_encode::encode;
use super::raster::Raster;
use super::svg::{Content, to_svg};
use crate::render::offscreen::{Gpu, Image, Target};
use crate::render::{MapPipelines, MapRenderer, MissingLevel, RenderError};
use crate::scene::{MapGeometry, Theme};
use std::sync::Arc;

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
    pub(super) gpu: Gpu,
    pub(super) renderer: MapRenderer,
    /// Strip targets a page has read and released, for the next page to draw into: a
    /// batch's pages allocate (and fault in) their device memory once.
    pub(super) spare_targets: Vec<Target>,
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
        MapPainter {
            gpu,
            renderer,
            spare_targets: Vec::new(),
        }
    }

    /// What adapter draws (for the CLI's progress lines).
    pub fn adapter(&self) -> &wgpu::AdapterInfo {
        &self.gpu.info
    }
}

/// Bands of about this many bytes of RGBA: small enough to stay in cache between being made
/// and being encoded, large enough that rasterising the furniture once per band is cheap.
const BAND_BYTES: usize = 1 << 20;

/// The page's size in pixels, or why it cannot be made.
pub(super) fn pixel_size(page: &Page) -> Result<(u32, u32), ExportError> {
    let width = (page.width * page.pixels_per_point).round() as u32;
    let height = (page.height * page.pixels_per_point).round() as u32;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ExportError::Size { width, height });
    }
    Ok((width, height))
}

/// A PNG page's furniture (title, legend, notes, names: everything but the map frame's
/// pixels) parsed from the page's SVG with its text shaped into outlines, ready to be
/// rasterised over the map. A batch makes the next page's on another thread while the
/// device draws this one's.
pub struct Furniture(usvg::Tree);

impl Furniture {
    /// The furniture of `page`.
    pub fn new(page: &Page, geometry: &MapGeometry, theme: &Theme) -> Result<Self, ExportError> {
        super::parse_svg(&to_svg(
            page,
            geometry,
            page.pixels_per_point,
            theme,
            Content::Furniture,
        ))
        .map(Furniture)
    }
}

/// Starts drawing the map frame on the device while the furniture is made on another thread
/// (unless it is given), then hands `make` the page's raster and the frame's strips, which
/// draw the rest as the bands need them.
fn with_raster<T>(
    (page, furniture): (&Page, Option<&Furniture>),
    geometry: &MapGeometry,
    theme: &Theme,
    painter: &mut MapPainter,
    make: impl FnOnce(&Raster<'_>, &mut FrameStrips<'_>) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    let (width, height) = pixel_size(page)?;
    let mut strips = FrameStrips::new(page, geometry, theme, painter, (width, height));
    let made;
    let furniture = match furniture {
        Some(furniture) => {
            strips.start();
            furniture
        }
        None => {
            made = std::thread::scope(|scope| {
                let furniture = scope.spawn(|| Furniture::new(page, geometry, theme));
                strips.start();
                // The triangles just uploaded were made on rayon's threads.
                crate::freed_memory::give_back();
                furniture
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })?;
            &made
        }
    };
    make(&Raster::new(width, height, &furniture.0), &mut strips)
}

/// The page as PNG bytes, with its `furniture` where it was made beforehand. Bands of rows are made on this thread and encoded on another as
/// they come, so compression overlaps rasterising the furniture.
pub fn render_png(
    page: &Page,
    furniture: Option<&Furniture>,
    geometry: &MapGeometry,
    theme: &Theme,
    painter: &mut MapPainter,
) -> Result<Vec<u8>, ExportError> {
    with_raster(
        (page, furniture),
        geometry,
        theme,
        painter,
        |raster, strips| {
            let (width, height) = raster.size();
            let band_rows = strips.bands(height, raster.rows_per_band(BAND_BYTES));
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
                let mut made = Ok(());
                for (top, rows) in band_rows {
                    let mut band = spent.try_recv().unwrap_or_default();
                    band.resize(rows as usize * raster.row_bytes(), 0);
                    match strips.tiles(top, rows) {
                        Ok(tiles) => raster.band(top, &mut band, &tiles),
                        Err(e) => {
                            made = Err(e);
                            break;
                        }
                    }
                    if band_sender.send(band).is_err() {
                        // The encoder stopped on an error, which its result reports.
                        break;
                    }
                }
                drop(band_sender);
                let encoded = encoder
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                made?;
                encoded
            })
        },
    )
}

/// The page's pixels: the GPU map with the furniture rasterised over it.
pub fn render(
    page: &Page,
    geometry: &MapGeometry,
    theme: &Theme,
    painter: &mut MapPainter,
) -> Result<Image, ExportError> {
    with_raster((page, None), geometry, theme, painter, |raster, strips| {
        let (width, height) = raster.size();
        let row_bytes = raster.row_bytes();
        let mut rgba = vec![0; height as usize * row_bytes];
        for (top, rows) in strips.bands(height, height) {
            let at = top as usize * row_bytes;
            let band = &mut rgba[at..at + rows as usize * row_bytes];
            raster.band(top, band, &strips.tiles(top, rows)?);
        }
        Ok(Image {
            width,
            height,
            rgba,
        })
    })
}
