//! The map's wgpu pipelines (`shaders/map.wgsl`): fills, anti-aliased constant-width lines and
//! point symbols. The same [`MapRenderer`] draws into the window (through the app's paint
//! callback) and into offscreen textures for export and benchmarks ([`offscreen`]).
//!
//! It knows meshes, per-shape colour and flag tables and a view, not counties or panels:
//! geometry is uploaded once; a change of layer rewrites a 256-texel colour table; a frame
//! writes one small uniform buffer and the point instances.

mod lines;
pub mod offscreen;
mod pipelines;
mod runs;
mod warm_up;

use crate::scene::points::SymbolShape;
use crate::scene::{BorderKind, FillMesh, MapGeometry, Rgba, Segment, Theme};
pub use lines::LineBuffers;
use lines::Lines;
pub use pipelines::MapPipelines;
use std::ops::Range;
use wgpu::util::DeviceExt;

/// The WGSL source of the pipelines.
pub const SHADER: &str = include_str!("../../shaders/map.wgsl");

/// The per-unit flag bits the shader reads: the scene's ([`crate::scene::flags`]).
pub use crate::scene::flags;

/// Flags drawn by the fill overlay pass (the outline flags are drawn as lines).
const OVERLAY_FLAGS: u8 =
    flags::HOVERED | flags::OVERLAY_HATCH | flags::OVERLAY_WIDE | flags::MUTED | flags::NO_DATA;

/// Texels per row of the per-shape tables.
const TABLE_WIDTH: u32 = 256;

/// One point symbol, in viewport pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointInstance {
    /// Centre, physical pixels from the viewport's top-left.
    pub centre: [f32; 2],
    /// Radius, physical pixels.
    pub radius: f32,
    /// Its shape.
    pub shape: SymbolShape,
    /// A ring in its colour instead of a filled shape (placed only by county).
    pub hollow: bool,
    /// Its colour (sRGB, straight alpha).
    pub fill: Rgba,
}

/// A point symbol as the shader reads it (matches `vs_point`'s inputs).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub(crate) struct GpuPoint {
    centre: [f32; 2],
    radius: f32,
    /// The shape's code, plus 4 when hollow.
    shape: u32,
    /// The colour in the target's encoding.
    fill: [f32; 4],
}

/// What one frame shows.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameParams {
    /// Scene point at the viewport's centre, metres.
    pub centre: [f32; 2],
    /// Metres per physical pixel.
    pub metres_per_pixel: f32,
    /// Viewport size, physical pixels.
    pub viewport: [f32; 2],
    /// Physical pixels per logical point.
    pub pixels_per_point: f32,
    /// Fill opacity, 0..1.
    pub fill_opacity: f32,
    /// Draw region borders in their own (boldest) style; otherwise as prefecture borders.
    pub region_borders: bool,
    /// Draw the outlines of shapes flagged [`flags::OVERLAY_OUTLINE`].
    pub overlay_outlines: bool,
    /// Draw the borders between counties of one prefecture faint (prefecture-level values).
    pub faint_county_borders: bool,
    /// The hovered unit, outlined.
    pub hovered: Option<u32>,
    /// The selected unit, outlined.
    pub selected: Option<u32>,
    /// The units brushed in a chart, outlined in their own colour.
    pub brushed: Vec<u32>,
    /// Point symbols.
    pub points: Vec<PointInstance>,
}

impl Default for FrameParams {
    /// A one-pixel view at the scene origin: opaque fills, region borders in their own style,
    /// no overlays, nothing hovered or selected, no points. Callers set the view.
    fn default() -> Self {
        FrameParams {
            centre: [0.0; 2],
            metres_per_pixel: 1000.0,
            viewport: [1.0; 2],
            pixels_per_point: 1.0,
            fill_opacity: 1.0,
            region_borders: true,
            overlay_outlines: false,
            faint_county_borders: false,
            hovered: None,
            selected: None,
            brushed: Vec::new(),
            points: Vec::new(),
        }
    }
}

/// Whether a renderer outlines single units: the hovered and the selected one, and those
/// flagged [`flags::OVERLAY_OUTLINE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitOutlines {
    /// Every unit's outline is uploaded: the window outlines what the pointer is over.
    Drawn,
    /// None is uploaded (a third of the geometry's bytes, and of the upload's time on a
    /// software rasteriser): a printed page outlines no single unit. Frames that ask for
    /// hover, selection or overlay outlines draw none.
    Skipped,
}

/// Why GPU work failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// No adapter: no GPU and no software rasteriser (install `mesa-vulkan-drivers`).
    #[error(
        "no graphics adapter found ({0}); on Debian install mesa-vulkan-drivers (software Vulkan) or a GPU driver"
    )]
    NoAdapter(String),
    /// The device could not be created.
    #[error("the graphics device could not be created: {0}")]
    Device(String),
    /// Reading the rendered image back failed.
    #[error("reading the rendered image back failed: {0}")]
    Readback(String),
}

/// The view uniform (matches `View` in the shader).
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct ViewUniform {
    centre: [f32; 2],
    viewport: [f32; 2],
    metres_per_pixel: f32,
    pixels_per_point: f32,
    fill_opacity: f32,
    _pad: u32,
    no_data_hatch: [f32; 4],
    overlay_hatch: [f32; 4],
}

/// A line style uniform (matches `LineStyle`).
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct LineStyleUniform {
    colour: [f32; 4],
    width: f32,
    mask: u32,
    _pad: [f32; 2],
}

/// The point style uniform (matches `PointStyle`): the halo every symbol has.
#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct PointStyleUniform {
    outline: [f32; 4],
}

/// A fill mesh on the GPU.
struct Mesh {
    positions: wgpu::Buffer,
    owners: wgpu::Buffer,
    indices: wgpu::Buffer,
    /// The index range of each owner.
    ranges: Vec<Range<u32>>,
    /// Runs of triangles, to draw only those in view.
    runs: runs::Runs,
}

/// One level of detail on the GPU.
struct Level {
    tolerance: f64,
    units: Mesh,
    backdrop: Mesh,
    borders: Vec<Lines>,
    backdrop_outline: Lines,
    /// `None` for [`UnitOutlines::Skipped`] until some are asked for.
    unit_outlines: Option<Lines>,
    unit_outline_ranges: Vec<Range<u32>>,
    /// Every unit's outline is uploaded (not only some of them).
    outlines_complete: bool,
}

/// Per-shape colour and flag tables on the GPU.
struct Tables {
    colours: wgpu::Texture,
    flags: wgpu::Texture,
    bind_group: wgpu::BindGroup,
    rows: u32,
}

/// The styles lines are drawn in, each a uniform with its bind group.
#[derive(Clone, Copy)]
enum LineSlot {
    Backdrop,
    Border(usize),
    Overlay,
    Hover,
    Selection,
    FaintCounty,
    Brush,
}

impl LineSlot {
    const COUNT: usize = 10;

    fn index(self) -> usize {
        match self {
            LineSlot::Backdrop => 0,
            LineSlot::Border(i) => 1 + i,
            LineSlot::Overlay => 5,
            LineSlot::Hover => 6,
            LineSlot::Selection => 7,
            LineSlot::FaintCounty => 8,
            LineSlot::Brush => 9,
        }
    }
}

/// The map's pipelines and GPU-resident geometry.
pub struct MapRenderer {
    pipelines: MapPipelines,
    view_buffer: wgpu::Buffer,
    view_bind_group: wgpu::BindGroup,
    /// The unit flags last set, to know which units need the overlay pass.
    unit_flags: Vec<u8>,
    theme_hatches: ([f32; 4], [f32; 4]),
    levels: Vec<Level>,
    unit_tables: Tables,
    backdrop_tables: Tables,
    line_styles: Vec<wgpu::BindGroup>,
    point_style: wgpu::BindGroup,
    point_instances: wgpu::Buffer,
    point_capacity: u64,
    frame: FrameParams,
    /// Which units' outlines a renderer without them has uploaded since (see
    /// [`MapRenderer::upload_unit_outlines`]).
    partial_outlines: Option<Vec<bool>>,
}

impl MapRenderer {
    /// Builds the pipelines for a target of `format` with `sample_count` samples and uploads
    /// the geometry, line segments laid out as `line_buffers` (see
    /// [`LineBuffers::for_adapter`]), every unit's outline included.
    pub fn new(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        (format, sample_count): (wgpu::TextureFormat, u32),
        line_buffers: LineBuffers,
        geometry: &MapGeometry,
        theme: &Theme,
    ) -> Self {
        let pipelines = MapPipelines::new(device, format, sample_count, line_buffers);
        Self::with_pipelines(
            pipelines,
            (device, queue),
            geometry,
            theme,
            UnitOutlines::Drawn,
        )
    }

    /// Uploads the geometry for pipelines made beforehand (see [`MapPipelines`]), the units'
    /// own outlines only if `unit_outlines` says so.
    pub fn with_pipelines(
        pipelines: MapPipelines,
        (device, queue): (&wgpu::Device, &wgpu::Queue),
        geometry: &MapGeometry,
        theme: &Theme,
        unit_outlines: UnitOutlines,
    ) -> Self {
        let MapPipelines {
            view_layout,
            line_layout,
            point_layout,
            table_layout,
            format: target,
            ..
        } = &pipelines;
        let target = *target;
        let encode = |c: Rgba| target_colour(c, target);
        let view_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("view"),
            size: std::mem::size_of::<ViewUniform>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let view_bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("view"),
            layout: view_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: view_buffer.as_entire_binding(),
            }],
        });

        let mesh = |label: &str, m: &FillMesh| Mesh {
            positions: buffer(
                device,
                label,
                bytemuck::cast_slice(&m.positions),
                wgpu::BufferUsages::VERTEX,
            ),
            owners: buffer(
                device,
                label,
                bytemuck::cast_slice(&m.owners),
                wgpu::BufferUsages::VERTEX,
            ),
            indices: buffer(
                device,
                label,
                bytemuck::cast_slice(&m.indices),
                wgpu::BufferUsages::INDEX,
            ),
            ranges: m.owner_ranges.clone(),
            runs: runs::Runs::new(
                m.indices
                    .chunks_exact(3)
                    .map(|t| [0, 1, 2].map(|i| m.positions[t[i] as usize])),
            ),
        };
        let line_buffers = pipelines.line_buffers;
        let lines =
            |label: &str, segments: &[Segment]| Lines::new(device, label, segments, line_buffers);

        let line_style = |colour: Rgba, width: f32, mask: u8| {
            let uniform = LineStyleUniform {
                colour: encode(colour),
                width,
                mask: u32::from(mask),
                _pad: [0.0; 2],
            };
            uniform_group(
                device,
                "line style",
                (line_layout, 0),
                bytemuck::bytes_of(&uniform),
            )
        };
        let mut line_styles = Vec::with_capacity(LineSlot::COUNT);
        line_styles.push(line_style(theme.backdrop_outline, 0.8, 0));
        for (colour, width) in theme.borders {
            line_styles.push(line_style(colour, width, 0));
        }
        line_styles.push(line_style(
            theme.overlay_outline,
            2.0,
            flags::OVERLAY_OUTLINE,
        ));
        line_styles.push(line_style(theme.hover.0, theme.hover.1, 0));
        line_styles.push(line_style(theme.selection.0, theme.selection.1, 0));
        let (faint, faint_width) = theme.faint_county_border;
        line_styles.push(line_style(faint, faint_width, 0));
        line_styles.push(line_style(theme.brush.0, theme.brush.1, 0));

        let point_uniform = PointStyleUniform {
            outline: encode(theme.point_outline),
        };
        let point_style = uniform_group(
            device,
            "point style",
            (point_layout, 1),
            bytemuck::bytes_of(&point_uniform),
        );
        const INITIAL_POINTS: u64 = 256;
        let point_instances = point_buffer_with_capacity(device, INITIAL_POINTS);

        let unit_tables = Tables::new(device, table_layout, target, geometry.unit_count);
        let backdrop_tables =
            Tables::new(device, table_layout, target, geometry.backdrop_labels.len());
        let backdrop_colours = vec![theme.backdrop_fill; geometry.backdrop_labels.len()];
        backdrop_tables.write(queue, &backdrop_colours, &vec![0; backdrop_colours.len()]);

        MapRenderer {
            pipelines,
            view_buffer,
            view_bind_group,
            unit_flags: Vec::new(),
            theme_hatches: (encode(theme.no_data_hatch), encode(theme.overlay_hatch)),
            levels: geometry
                .levels
                .iter()
                .map(|level| Level {
                    tolerance: level.tolerance,
                    units: mesh("units", &level.fills().units),
                    backdrop: mesh("backdrop", &level.fills().backdrop),
                    borders: level.borders.iter().map(|s| lines("borders", s)).collect(),
                    backdrop_outline: lines("backdrop outline", &level.backdrop_outline),
                    unit_outlines: (unit_outlines == UnitOutlines::Drawn)
                        .then(|| lines("unit outlines", &level.unit_outlines)),
                    unit_outline_ranges: level.unit_outline_ranges.clone(),
                    outlines_complete: unit_outlines == UnitOutlines::Drawn,
                })
                .collect(),
            unit_tables,
            backdrop_tables,
            line_styles,
            point_style,
            point_instances,
            point_capacity: INITIAL_POINTS,
            frame: FrameParams::default(),
            partial_outlines: None,
        }
    }

    /// Uploads the outlines of the units `wanted` says, where outlines were skipped
    /// ([`UnitOutlines::Skipped`]): a page with an outline overlay needs those of the units it
    /// outlines, and only those (on a software rasteriser the upload of every outline costs
    /// more than the overlay's draw). A renderer with every outline keeps them.
    pub fn upload_unit_outlines(
        &mut self,
        device: &wgpu::Device,
        geometry: &MapGeometry,
        wanted: impl Fn(usize) -> bool,
    ) {
        let wanted: Vec<bool> = (0..geometry.unit_count).map(wanted).collect();
        // A batch outlines the same units page after page: upload them once.
        if self.partial_outlines.as_ref() == Some(&wanted) {
            return;
        }
        let line_buffers = self.pipelines.line_buffers;
        for (level, built) in self.levels.iter_mut().zip(&geometry.levels) {
            if level.unit_outlines.is_some() && level.outlines_complete {
                continue;
            }
            let mut segments = Vec::new();
            let mut ranges = Vec::with_capacity(built.unit_outline_ranges.len());
            for (unit, range) in built.unit_outline_ranges.iter().enumerate() {
                let start = segments.len() as u32;
                if wanted[unit] {
                    segments.extend_from_slice(
                        &built.unit_outlines[range.start as usize..range.end as usize],
                    );
                }
                ranges.push(start..segments.len() as u32);
            }
            level.unit_outlines =
                Some(Lines::new(device, "unit outlines", &segments, line_buffers));
            level.unit_outline_ranges = ranges;
        }
        self.partial_outlines = Some(wanted);
    }

    /// Sets each unit's fill (sRGB) and flags. Call when the layer, classes, overlays, hover
    /// or selection change; it writes two small textures.
    pub fn set_unit_tables(&mut self, queue: &wgpu::Queue, colours: &[Rgba], unit_flags: &[u8]) {
        self.unit_tables.write(queue, colours, unit_flags);
        self.unit_flags = unit_flags.to_vec();
    }

    /// Writes the frame's uniforms and point instances.
    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, frame: &FrameParams) {
        let uniform = ViewUniform {
            centre: frame.centre,
            viewport: frame.viewport,
            metres_per_pixel: frame.metres_per_pixel,
            pixels_per_point: frame.pixels_per_point,
            fill_opacity: frame.fill_opacity,
            _pad: 0,
            no_data_hatch: self.theme_hatches.0,
            overlay_hatch: self.theme_hatches.1,
        };
        queue.write_buffer(&self.view_buffer, 0, bytemuck::bytes_of(&uniform));
        let needed = frame.points.len() as u64;
        if needed > self.point_capacity {
            self.point_capacity = needed.next_power_of_two();
            self.point_instances = point_buffer_with_capacity(device, self.point_capacity);
        }
        if !frame.points.is_empty() {
            let target = self.pipelines.format;
            let points: Vec<GpuPoint> = frame
                .points
                .iter()
                .map(|p| GpuPoint {
                    centre: p.centre,
                    radius: p.radius,
                    shape: p.shape.code() + if p.hollow { 4 } else { 0 },
                    fill: target_colour(p.fill, target),
                })
                .collect();
            queue.write_buffer(&self.point_instances, 0, bytemuck::cast_slice(&points));
        }
        self.frame = frame.clone();
    }

    /// Records the map's draws into `pass` (after [`MapRenderer::prepare`]).
    pub fn paint(&self, pass: &mut wgpu::RenderPass<'_>) {
        self.paint_part(pass, None);
    }

    /// Like [`MapRenderer::paint`] for a pass that draws only `part` of the viewport (left,
    /// top, width, height in viewport pixels; `None` for all of it): shapes and lines wholly
    /// outside it are not sent to the device.
    pub fn paint_part(&self, pass: &mut wgpu::RenderPass<'_>, part: Option<[f32; 4]>) {
        let Some(level) = self.level() else { return };
        let (min, max) = self.view_rect(part);
        pass.set_bind_group(0, &self.view_bind_group, &[]);

        let opaque = self.frame.fill_opacity >= 1.0;
        pass.set_pipeline(if opaque {
            &self.pipelines.fill_opaque
        } else {
            &self.pipelines.fill_blended
        });
        for (mesh, tables) in [
            (&level.backdrop, &self.backdrop_tables),
            (&level.units, &self.unit_tables),
        ] {
            pass.set_bind_group(1, &tables.bind_group, &[]);
            pass.set_vertex_buffer(0, mesh.positions.slice(..));
            pass.set_vertex_buffer(1, mesh.owners.slice(..));
            pass.set_index_buffer(mesh.indices.slice(..), wgpu::IndexFormat::Uint32);
            for triangles in mesh.runs.visible(min, max) {
                pass.draw_indexed(triangles.start * 3..triangles.end * 3, 0, 0..1);
            }
        }
        // Hatches, highlight and muting only over the units that have them.
        if self.unit_flags.iter().any(|&f| f != 0) {
            pass.set_pipeline(&self.pipelines.fill_overlay);
            pass.set_vertex_buffer(0, level.units.positions.slice(..));
            pass.set_vertex_buffer(1, level.units.owners.slice(..));
            pass.set_index_buffer(level.units.indices.slice(..), wgpu::IndexFormat::Uint32);
            for (range, _) in level
                .units
                .ranges
                .iter()
                .zip(&self.unit_flags)
                .filter(|(r, f)| **f & OVERLAY_FLAGS != 0 && !r.is_empty())
            {
                pass.draw_indexed(range.clone(), 0, 0..1);
            }
        }

        pass.set_pipeline(&self.pipelines.lines);
        pass.set_bind_group(1, &self.unit_tables.bind_group, &[]);
        let visible = |lines: &Lines| lines.visible(min, max);
        let outline = &level.backdrop_outline;
        self.draw_lines(pass, outline, LineSlot::Backdrop, visible(outline));
        for (i, lines) in level.borders.iter().enumerate() {
            let slot = match BorderKind::ALL[i] {
                BorderKind::Region if !self.frame.region_borders => LineSlot::Border(1),
                BorderKind::County if self.frame.faint_county_borders => LineSlot::FaintCounty,
                _ => LineSlot::Border(i),
            };
            self.draw_lines(pass, lines, slot, visible(lines));
        }
        if let Some(outlines) = &level.unit_outlines {
            if self.frame.overlay_outlines {
                // Only the outlined units' own segments: sending every unit's outline for the
                // shader to mask costs a software rasteriser per segment.
                let ranges: Vec<Range<u32>> = level
                    .unit_outline_ranges
                    .iter()
                    .zip(&self.unit_flags)
                    .filter(|(r, f)| **f & flags::OVERLAY_OUTLINE != 0 && !r.is_empty())
                    .map(|(r, _)| r.clone())
                    .collect();
                self.draw_lines(pass, outlines, LineSlot::Overlay, ranges);
            }
            let brushed: Vec<Range<u32>> = self
                .frame
                .brushed
                .iter()
                .filter_map(|&u| level.unit_outline_ranges.get(u as usize).cloned())
                .collect();
            self.draw_lines(pass, outlines, LineSlot::Brush, brushed);
            for (unit, slot) in [
                (self.frame.hovered, LineSlot::Hover),
                (self.frame.selected, LineSlot::Selection),
            ] {
                if let Some(range) = unit.and_then(|u| level.unit_outline_ranges.get(u as usize)) {
                    self.draw_lines(pass, outlines, slot, vec![range.clone()]);
                }
            }
        }

        if !self.frame.points.is_empty() {
            pass.set_pipeline(&self.pipelines.points);
            pass.set_bind_group(2, &self.point_style, &[]);
            pass.set_vertex_buffer(0, self.point_instances.slice(..));
            pass.draw(0..4, 0..self.frame.points.len() as u32);
        }
    }

    /// The level of detail for this frame's zoom.
    fn level(&self) -> Option<&Level> {
        let index = crate::scene::geometry::level_for(
            self.levels.iter().map(|l| l.tolerance),
            f64::from(self.frame.metres_per_pixel),
        );
        self.levels.get(index)
    }

    fn draw_lines(
        &self,
        pass: &mut wgpu::RenderPass<'_>,
        lines: &Lines,
        slot: LineSlot,
        ranges: Vec<Range<u32>>,
    ) {
        if lines.count == 0 || ranges.is_empty() {
            return;
        }
        pass.set_bind_group(2, &self.line_styles[slot.index()], &[]);
        lines.bind(pass);
        for range in ranges {
            lines.draw(pass, range);
        }
    }

    /// The scene rectangle that `part` of the viewport (all of it for `None`) shows, with
    /// room for the widest line's half width.
    fn view_rect(&self, part: Option<[f32; 4]>) -> ([f32; 2], [f32; 2]) {
        /// More than any line style's half width (the widest is 3 points), in points.
        const LINE_REACH_PT: f32 = 8.0;
        let frame = &self.frame;
        let [left, top, width, height] =
            part.unwrap_or([0.0, 0.0, frame.viewport[0], frame.viewport[1]]);
        let reach = LINE_REACH_PT * frame.pixels_per_point;
        // Viewport pixels (y down) to scene metres (y up).
        let x = |px: f32| frame.centre[0] + (px - frame.viewport[0] * 0.5) * frame.metres_per_pixel;
        let y = |py: f32| frame.centre[1] + (frame.viewport[1] * 0.5 - py) * frame.metres_per_pixel;
        (
            [x(left - reach), y(top + height + reach)],
            [x(left + width + reach), y(top - reach)],
        )
    }
}

impl Tables {
    /// Tables for `count` shapes, drawn into targets of format `target`: their colours decode
    /// to linear values for sRGB targets and stay encoded for the others (see
    /// [`target_colour`]).
    fn new(
        device: &wgpu::Device,
        layout: &wgpu::BindGroupLayout,
        target: wgpu::TextureFormat,
        count: usize,
    ) -> Self {
        let rows = (count as u32).div_ceil(TABLE_WIDTH).max(1);
        let texture = |label: &str, format: wgpu::TextureFormat| {
            device.create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size: wgpu::Extent3d {
                    width: TABLE_WIDTH,
                    height: rows,
                    depth_or_array_layers: 1,
                },
                mip_level_count: 1,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format,
                usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
                view_formats: &[],
            })
        };
        let colour_format = if target.is_srgb() {
            wgpu::TextureFormat::Rgba8UnormSrgb
        } else {
            wgpu::TextureFormat::Rgba8Unorm
        };
        let colours = texture("shape colours", colour_format);
        let flags = texture("shape flags", wgpu::TextureFormat::Rgba8Uint);
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("shape tables"),
            layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(
                        &colours.create_view(&Default::default()),
                    ),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(
                        &flags.create_view(&Default::default()),
                    ),
                },
            ],
        });
        Tables {
            colours,
            flags,
            bind_group,
            rows,
        }
    }

    fn write(&self, queue: &wgpu::Queue, colours: &[Rgba], shape_flags: &[u8]) {
        let texels = (TABLE_WIDTH * self.rows) as usize;
        let mut colour_bytes = vec![0u8; texels * 4];
        for (i, c) in colours.iter().take(texels).enumerate() {
            colour_bytes[i * 4..i * 4 + 4].copy_from_slice(c);
        }
        let mut flag_bytes = vec![0u8; texels * 4];
        for (i, f) in shape_flags.iter().take(texels).enumerate() {
            flag_bytes[i * 4] = *f;
        }
        for (texture, bytes) in [(&self.colours, &colour_bytes), (&self.flags, &flag_bytes)] {
            queue.write_texture(
                wgpu::TexelCopyTextureInfo {
                    texture,
                    mip_level: 0,
                    origin: wgpu::Origin3d::ZERO,
                    aspect: wgpu::TextureAspect::All,
                },
                bytes,
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(TABLE_WIDTH * 4),
                    rows_per_image: Some(self.rows),
                },
                wgpu::Extent3d {
                    width: TABLE_WIDTH,
                    height: self.rows,
                    depth_or_array_layers: 1,
                },
            );
        }
    }
}

fn buffer(
    device: &wgpu::Device,
    label: &str,
    contents: &[u8],
    usage: wgpu::BufferUsages,
) -> wgpu::Buffer {
    // wgpu rejects zero-sized vertex buffers in some backends; keep at least one element.
    let padded;
    let contents = if contents.is_empty() {
        padded = [0u8; 16];
        &padded[..]
    } else {
        contents
    };
    device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some(label),
        contents,
        usage,
    })
}

/// A bind group of one uniform buffer holding `contents`, at `binding` of `layout`.
fn uniform_group(
    device: &wgpu::Device,
    label: &str,
    (layout, binding): (&wgpu::BindGroupLayout, u32),
    contents: &[u8],
) -> wgpu::BindGroup {
    let uniform = buffer(device, label, contents, wgpu::BufferUsages::UNIFORM);
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout,
        entries: &[wgpu::BindGroupEntry {
            binding,
            resource: uniform.as_entire_binding(),
        }],
    })
}

fn point_buffer_with_capacity(device: &wgpu::Device, capacity: u64) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("point instances"),
        size: capacity * std::mem::size_of::<GpuPoint>() as u64,
        usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// An sRGB byte colour as the shader wants it for targets of `format` (straight alpha):
/// linear for sRGB formats, which encode when they store and blend in linear light; as it is
/// for the others, which store what they are given and blend encoded values (as egui, resvg
/// and SVG and PDF viewers do).
pub fn target_colour(c: Rgba, format: wgpu::TextureFormat) -> [f32; 4] {
    if format.is_srgb() {
        linear(c)
    } else {
        c.map(|v| f32::from(v) / 255.0)
    }
}

/// An sRGB byte colour as linear floats with straight alpha.
fn linear(c: Rgba) -> [f32; 4] {
    let channel = |v: u8| {
        let s = f32::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    [
        channel(c[0]),
        channel(c[1]),
        channel(c[2]),
        f32::from(c[3]) / 255.0,
    ]
}
