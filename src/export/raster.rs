//! The page's pixels, made a band of rows at a time: white paper, the map frame's rows
//! straight from the device's mapped readback buffers, and the furniture rasterised over
//! them. A band at a time, the page never exists whole in memory (a 300 dpi A4 page would be
//! 35 MB of fresh memory to fault in and fill), and each band can be encoded while the next
//! is made.

use super::frame_strips::FrameTile;
use crate::scene::Rgba;

/// The paper around the map frame (white, as in the SVG and PDF pages).
const PAPER: Rgba = [255, 255, 255, 255];

/// Everything but the map needed to make any band of the page.
pub(super) struct Raster<'a> {
    width: u32,
    height: u32,
    paper_row: Vec<u8>,
    furniture: &'a usvg::Tree,
}

impl<'a> Raster<'a> {
    /// A page of `width × height` pixels: white paper, the map frame's tiles over it (given
    /// band by band), and the `furniture` (an SVG of the page, transparent but for it,
    /// scaled to the width) over both. The paper is filled here, row by row, rather than as
    /// a path in the SVG.
    pub fn new(width: u32, height: u32, furniture: &'a usvg::Tree) -> Self {
        Raster {
            width,
            height,
            paper_row: PAPER.repeat(width as usize),
            furniture,
        }
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Bytes in one row (RGBA).
    pub fn row_bytes(&self) -> usize {
        self.width as usize * 4
    }

    /// Rows per band for bands of at most about `bytes` bytes.
    pub fn rows_per_band(&self, bytes: usize) -> u32 {
        ((bytes / self.row_bytes()) as u32).clamp(1, self.height.max(1))
    }

    /// Fills `band` (a whole number of rows, at most to the page's bottom) with the page's
    /// rows from `top` down, the map from `tiles` (left to right, each holding every row of
    /// the band it crosses): opaque RGBA, so straight and premultiplied alpha agree.
    pub fn band(&self, top: u32, band: &mut [u8], tiles: &[FrameTile<'_>]) {
        let row_bytes = self.row_bytes();
        let rows = (band.len() / row_bytes) as u32;
        for (i, row) in band.chunks_exact_mut(row_bytes).enumerate() {
            let y = top + i as u32;
            // Paper up to each tile on this row (tiles come left to right), the tile's row,
            // and paper after the last: every byte is written once.
            let mut filled = 0;
            for tile in tiles {
                if !(tile.top..tile.top + tile.rows).contains(&y) {
                    continue;
                }
                let at = (tile.left as usize * 4).clamp(filled, row_bytes);
                row[filled..at].copy_from_slice(&self.paper_row[filled..at]);
                let pixels = tile.pixels.row(y - tile.top);
                // A tile lies inside the page; one reaching beyond keeps what fits.
                let end = (at + pixels.len()).min(row_bytes);
                row[at..end].copy_from_slice(&pixels[..end - at]);
                filled = end;
            }
            row[filled..].copy_from_slice(&self.paper_row[filled..]);
        }
        let Some(mut pixmap) = tiny_skia::PixmapMut::from_bytes(band, self.width, rows) else {
            return;
        };
        let scale = self.width as f32 / self.furniture.size().width();
        resvg::render(
            self.furniture,
            tiny_skia::Transform::from_row(scale, 0.0, 0.0, scale, 0.0, -(top as f32)),
            &mut pixmap,
        );
    }
}
