//! A PNG page's map frames drawn a strip of rows at a time, as the page's bands of rows come
//! to need them. An A4 page's frame at 300 dpi is 2570 × 1916 pixels: drawn whole, it and its
//! readback buffer hold 40 MB of the device's memory at once; in strips of about 4 MB, two or
//! three strips are alive at a time. The device draws the strip after the one being read
//! while this thread makes bands from it.
//!
//! ```text
//! frame rows  ┌ strip 0 ┐┌ strip 1 ┐┌ strip 2 ┐ …
//! device      draw 0, draw 1 ──── draw 2 ──── draw 3 …
//! this thread        bands of 0 ─ bands of 1 ─ bands of 2 …
//! ```

use super::page::{MapFrame, Page};
use super::png::MapPainter;
use crate::render::offscreen::{MappedTarget, PendingRead, Target};
use crate::render::{FrameParams, RenderError};
use crate::scene::{MapGeometry, Rgba, Theme};
use std::collections::VecDeque;

/// Strips of about this many bytes of RGBA: small against the 20 MB of an A4 frame, large
/// enough that the few hundred draws a strip repeats (every run of primitives that meets
/// it) cost little beside its pixels.
const STRIP_BYTES: usize = 2 << 20;

/// Sides of the map drawn in one pass are at most this many pixels (the device's largest
/// texture may be smaller).
const MAX_TILE: u32 = 8192;

/// One frame of the page as the device draws it: its view and its units' colours.
struct FrameDraw<'a> {
    params: FrameParams,
    frame: &'a MapFrame,
}

/// One strip: rows `top..top + rows` and columns `left..left + width` of the page, the
/// part of frame `frame` whose pixel `(left - frame_left, top - frame_top)` is its corner.
struct Strip {
    frame: usize,
    left: u32,
    top: u32,
    width: u32,
    rows: u32,
    /// Rows of the target it is drawn into (every strip of a frame but the last column has
    /// the same size, so that targets are reused).
    target_rows: u32,
    /// The frame's viewport relative to the strip's corner: left, top, width, height.
    region: [i32; 4],
}

/// One strip's pixels, mapped, and where its top-left pixel lies on the page.
pub(super) struct FrameTile<'a> {
    /// Page pixel column of the strip's left edge.
    pub left: u32,
    /// Page pixel row of the strip's top edge.
    pub top: u32,
    /// Rows of the page it covers (its target may have more).
    pub rows: u32,
    /// Its pixels.
    pub pixels: &'a MappedTarget,
}

/// The page's map frames, drawn strip by strip in the order of their rows.
pub(super) struct FrameStrips<'a> {
    painter: &'a mut MapPainter,
    background: Rgba,
    frames: Vec<FrameDraw<'a>>,
    /// Every strip, by top row, then left column.
    strips: Vec<Strip>,
    /// The first strip not yet submitted.
    next: usize,
    /// Submitted and not yet mapped, in order of submission.
    pending: VecDeque<(usize, PendingRead)>,
    /// Mapped and still needed.
    mapped: Vec<(usize, MappedTarget)>,
}

impl<'a> FrameStrips<'a> {
    /// The strips of the page's map frame and inset (`width × height` page pixels); nothing
    /// is drawn yet.
    pub fn new(
        page: &'a Page,
        geometry: &MapGeometry,
        theme: &Theme,
        painter: &'a mut MapPainter,
        (width, height): (u32, u32),
    ) -> Self {
        let max_side = painter
            .gpu
            .device
            .limits()
            .max_texture_dimension_2d
            .min(MAX_TILE);
        let mut frames = Vec::new();
        let mut strips = Vec::new();
        for frame in std::iter::once(&page.map).chain(page.inset.as_ref()) {
            let ppp = page.pixels_per_point;
            // The frame in page pixels, inside the page.
            let left = ((frame.rect.x * ppp).round() as u32).min(width - 1);
            let top = ((frame.rect.y * ppp).round() as u32).min(height - 1);
            let frame_w = ((frame.rect.w * ppp).round() as u32).clamp(1, width - left);
            let frame_h = ((frame.rect.h * ppp).round() as u32).clamp(1, height - top);
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
            let strip_w = frame_w.min(max_side);
            let strip_h = ((STRIP_BYTES / (strip_w as usize * 4)) as u32).clamp(1, max_side);
            for strip_top in (0..frame_h).step_by(strip_h as usize) {
                for strip_left in (0..frame_w).step_by(strip_w as usize) {
                    strips.push(Strip {
                        frame: frames.len(),
                        left: left + strip_left,
                        top: top + strip_top,
                        width: (frame_w - strip_left).min(strip_w),
                        rows: (frame_h - strip_top).min(strip_h),
                        target_rows: strip_h,
                        region: [
                            -(strip_left as i32),
                            -(strip_top as i32),
                            frame_w as i32,
                            frame_h as i32,
                        ],
                    });
                }
            }
            frames.push(FrameDraw { params, frame });
        }
        strips.sort_by_key(|s| (s.top, s.left));
        FrameStrips {
            painter,
            background: theme.background,
            frames,
            strips,
            next: 0,
            pending: VecDeque::new(),
            mapped: Vec::new(),
        }
    }

    /// The page's bands of rows, top to bottom, `(top, rows)`, each at most `max_rows` rows
    /// and each inside one row of strips of every frame it crosses.
    pub fn bands(&self, height: u32, max_rows: u32) -> Vec<(u32, u32)> {
        let mut edges: Vec<u32> = [0, height]
            .into_iter()
            .chain(self.strips.iter().flat_map(|s| [s.top, s.top + s.rows]))
            .filter(|&edge| edge <= height)
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let max_rows = max_rows.max(1);
        let mut bands = Vec::new();
        for span in edges.windows(2) {
            for top in (span[0]..span[1]).step_by(max_rows as usize) {
                bands.push((top, max_rows.min(span[1] - top)));
            }
        }
        bands
    }

    /// Submits the first strips without waiting, so that the device draws while the caller
    /// does other work.
    pub fn start(&mut self) {
        if let Some(first) = self.strips.first().map(|s| s.top) {
            self.submit_through(first + 1);
        }
    }

    /// The strips that rows `top..top + rows` cross (each holding all of those rows), left
    /// to right, drawn and mapped. Bands must be asked for top to bottom: strips above `top`
    /// are released to be drawn into again.
    pub fn tiles(&mut self, top: u32, rows: u32) -> Result<Vec<FrameTile<'_>>, RenderError> {
        let bottom = top + rows;
        let strips = &self.strips;
        let (done, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.mapped)
            .into_iter()
            .partition(|(i, _)| strips[*i].top + strips[*i].rows <= top);
        self.mapped = kept;
        let spare = &mut self.painter.spare_targets;
        spare.extend(done.into_iter().map(|(_, mapped)| mapped.release()));
        self.submit_through(bottom);
        while let Some((i, _)) = self.pending.front() {
            if self.strips[*i].top >= bottom {
                break;
            }
            let Some((i, pending)) = self.pending.pop_front() else {
                break;
            };
            self.mapped.push((i, pending.wait(&self.painter.gpu)?));
        }
        let strips = &self.strips;
        let mut tiles: Vec<FrameTile<'_>> = self
            .mapped
            .iter()
            .filter(|(i, _)| strips[*i].top < bottom && top < strips[*i].top + strips[*i].rows)
            .map(|(i, mapped)| FrameTile {
                left: strips[*i].left,
                top: strips[*i].top,
                rows: strips[*i].rows,
                pixels: mapped,
            })
            .collect();
        tiles.sort_by_key(|tile| tile.left);
        Ok(tiles)
    }

    /// Submits every strip that starts above row `bottom`, and then, unless one is already
    /// submitted, the next row of strips, which the device draws while bands are made from
    /// these.
    fn submit_through(&mut self, bottom: u32) {
        while self.strips.get(self.next).is_some_and(|s| s.top < bottom) {
            self.submit(self.next);
            self.next += 1;
        }
        let strips = &self.strips;
        if self.pending.iter().any(|(i, _)| strips[*i].top >= bottom) {
            return;
        }
        let Some(ahead) = strips.get(self.next).map(|s| s.top) else {
            return;
        };
        while self.strips.get(self.next).is_some_and(|s| s.top == ahead) {
            self.submit(self.next);
            self.next += 1;
        }
    }

    /// Draws strip `i` into a spare target of its size (or a new one) and starts reading
    /// it back.
    fn submit(&mut self, i: usize) {
        let strip = &self.strips[i];
        let size = [strip.width, strip.target_rows];
        let spare = &mut self.painter.spare_targets;
        let target = match spare.iter().position(|t| t.size() == size) {
            Some(at) => spare.swap_remove(at),
            None => Target::new(&self.painter.gpu.device, size[0], size[1]),
        };
        let gpu = &self.painter.gpu;
        let FrameDraw { params, frame } = &self.frames[strip.frame];
        let renderer = &mut self.painter.renderer;
        // Written into the queue before this strip's submission, as its colours.
        renderer.set_unit_tables(&gpu.queue, &frame.colours, &frame.flags);
        let pending =
            target.draw_for_reading(gpu, renderer, params, self.background, Some(strip.region));
        self.pending.push_back((i, pending));
    }
}

impl Drop for FrameStrips<'_> {
    /// The page's mapped strips go back to the painter for the batch's next page (a strip
    /// still being drawn, after an error, is simply dropped).
    fn drop(&mut self) {
        let spare = &mut self.painter.spare_targets;
        spare.extend(self.mapped.drain(..).map(|(_, mapped)| mapped.release()));
    }
}
