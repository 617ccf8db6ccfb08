//! The map's wgpu pipelines (`shaders/map.wgsl`): fills, anti-aliased constant-width lines and
//! point symbols. The same [`MapRenderer`] draws into the window (through the app's paint
//! callback) and into offscreen textures for export and benchmarks ([`offscreen`]).
//!
//! It knows meshes, per-shape colour and flag tables and a view, not counties or panels: a
//! level of detail is uploaded the first time a frame draws it, and single units' outlines
//! when a frame outlines them; a change of layer rewrites a 256-texel colour table; a frame
//! writes one small uniform buffer and the point instances.

mod lines;
pub mod offscreen;
mod outlines;
mod pipelines;
mod runs;
mod warm_up;

use crate::scene::points::SymbolShape;
use crate::scene::{BorderKind, FillMesh, MapGeometry, Rgba, Segment, Theme};
pub use lines::LineBuffers;
use lines::Lines;
use outlines::OutlineSet;
pub use pipelines::MapPipelines;
use std::ops::Range;
use std::sync::Arc;
use wgpu::util::DeviceExt;

/// The WGSL source of the pipelines.
pub const SHADER: &str = include_str!("../../shaders/map.wgsl");

/// How the window's and the export's devices ask for memory: in blocks of 8–64 MB rather
/// than wgpu's default 128–256 MB. The atlas's buffers come to a few megabytes, and on a
/// software adapter (lavapipe) every block is ordinary process memory, touched in full: with
/// the default blocks the window held about 300 MB it never used.
pub const MEMORY_HINTS: wgpu::MemoryHints = wgpu::MemoryHints::MemoryUsage;

/// The features the window's and the export's devices ask for: on a software adapter, vertex
/// and index buffers written in place ([`wgpu::Features::MAPPABLE_PRIMARY_BUFFERS`]). Device
/// memory is process memory there, and a buffer filled through a staging buffer holds its
/// contents twice until the copy is done.
pub fn device_features(adapter: &wgpu::Adapter) -> wgpu::Features {
    let in_place = wgpu::Features::MAPPABLE_PRIMARY_BUFFERS;
    if adapter.get_info().device_type == wgpu::DeviceType::Cpu
        && adapter.features().contains(in_place)
    {
        in_place
    } else {
        wgpu::Features::empty()
    }
}

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
    /// Where the viewport's top-left corner lies in the target, physical pixels: `(0, 0)`
    /// unless the frame is drawn in parts (hatches start there).
    pub hatch_origin: [f32; 2],
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
            hatch_origin: [0.0; 2],
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

/// What a frame does when the level of detail its zoom wants has no triangles yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingLevel {
    /// Triangulate it and wait: an exported page shows exactly the level it asks for.
    Build,
    /// Draw the nearest level that is ready instead (coarser first) and the wanted one as
    /// soon as its triangles are made elsewhere: the window triangulates its finer levels in
    /// the background after its first frame, and a zoom must not wait for them.
    StandIn,
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
    hatch_origin: [f32; 2],
    metres_per_pixel: f32,
    pixels_per_point: f32,
    fill_opacity: f32,
    _pad: [u32; 3],
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

/// One level of detail on the GPU (single units' outlines apart: [`OutlineSet`]).
struct Level {
    units: Mesh,
    backdrop: Mesh,
    borders: Vec<Lines>,
    backdrop_outline: Lines,
}

/// The single units' outlines a frame draws, each set in its own style.
#[derive(Default)]
struct FrameOutlines {
    overlay: Option<OutlineSet>,
    brushed: Option<OutlineSet>,
    hovered: Option<OutlineSet>,
    selected: Option<OutlineSet>,
}

impl FrameOutlines {
    /// The sets uploaded, each with the style it is drawn in, in drawing order (the
    /// selection on top).
    fn drawn(&self) -> impl Iterator<Item = (&OutlineSet, LineSlot)> {
        [
            (&self.overlay, LineSlot::Overlay),
            (&self.brushed, LineSlot::Brush),
            (&self.hovered, LineSlot::Hover),
            (&self.selected, LineSlot::Selection),
        ]
        .into_iter()
        .filter_map(|(set, slot)| set.as_ref().map(|set| (set, slot)))
    }
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

/// The map's pipelines and the part of one geometry that frames have drawn, on the GPU.
pub struct MapRenderer {
    pipelines: MapPipelines,
    geometry: Arc<MapGeometry>,
    missing_level: MissingLevel,
    view_buffer: wgpu::Buffer,
    view_bind_group: wgpu::BindGroup,
    /// The unit flags last set, to know which units need the overlay pass.
    unit_flags: Vec<u8>,
    theme_hatches: ([f32; 4], [f32; 4]),
    /// The geometry's levels, each uploaded when a frame first draws it.
    levels: Vec<Option<Level>>,
    /// The level this frame draws (set by [`MapRenderer::prepare`]).
    drawn: Option<usize>,
    /// The level this frame's zoom wants (`drawn` stands in while it has no triangles).
    wanted: usize,
    outlines: FrameOutlines,
    unit_tables: Tables,
    backdrop_tables: Tables,
    line_styles: Vec<wgpu::BindGroup>,
    point_style: wgpu::BindGroup,
    point_instances: wgpu::Buffer,
    point_capacity: u64,
    frame: FrameParams,
}

impl MapRenderer {
    /// Builds the pipelines for a target of `format` with `sample_count` samples, to draw
    /// `geometry` with line segments laid out as `line_buffers` (see
    /// [`LineBuffers::for_adapter`]). Nothing of the geometry is uploaded before a frame
    /// draws it.
    pub fn new(
        (device, queue): (&wgpu::Device, &wgpu::Queue),
        (format, sample_count): (wgpu::TextureFormat, u32),
        line_buffers: LineBuffers,
        (geometry, missing_level): (Arc<MapGeometry>, MissingLevel),
        theme: &Theme,
    ) -> Self {
        let pipelines = MapPipelines::new(device, format, sample_count, line_buffers);
        Self::with_pipelines(pipelines, (device, queue), (geometry, missing_level), theme)
    }

    /// A renderer of `geometry` for pipelines made beforehand (see [`MapPipelines`]).
    pub fn with_pipelines(
        pipelines: MapPipelines,
        (device, queue): (&wgpu::Device, &wgpu::Queue),
        (geometry, missing_level): (Arc<MapGeometry>, MissingLevel),
        theme: &Theme,
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
            levels: geometry.levels.iter().map(|_| None).collect(),
            geometry,
            missing_level,
            drawn: None,
            wanted: 0,
            outlines: FrameOutlines::default(),
            view_buffer,
            view_bind_group,
            unit_flags: Vec::new(),
            theme_hatches: (encode(theme.no_data_hatch), encode(theme.overlay_hatch)),
            unit_tables,
            backdrop_tables,
            line_styles,
            point_style,
            point_instances,
            point_capacity: INITIAL_POINTS,
            frame: FrameParams::default(),
        }
    }

    /// Whether this frame draws the level of detail its zoom wants, not a coarser or finer
    /// one standing in while the wanted one's triangles are made ([`MissingLevel::StandIn`]).
    pub fn draws_wanted_level(&self) -> bool {
        self.drawn == Some(self.wanted)
    }

    /// How many levels are uploaded (changes only when a frame uploads one).
    pub fn uploaded_level_count(&self) -> usize {
        self.levels.iter().filter(|level| level.is_some()).count()
    }

    /// The tolerances (metres) of the levels uploaded so far, finest first.
    pub fn uploaded_levels(&self) -> Vec<f64> {
        self.levels
            .iter()
            .zip(&self.geometry.levels)
            .filter(|(uploaded, _)| uploaded.is_some())
            .map(|(_, level)| level.tolerance)
            .collect()
    }

    /// How many segments this frame's single-unit outlines hold (hovered, selected, brushed
    /// and overlay-outlined units together).
    pub fn outline_segments(&self) -> u32 {
        self.outlines.drawn().map(|(set, _)| set.lines.count).sum()
    }

    /// The level to draw for a zoom that wants `wanted`: that one if it is uploaded or can be
    /// (its triangles are made, or [`MissingLevel::Build`] makes them); else the nearest
    /// uploaded or triangulated level, coarser ones first.
    fn choose_level(&self, wanted: usize) -> usize {
        let ready = |i: usize| self.levels[i].is_some() || self.geometry.levels[i].fills_ready();
        if self.missing_level == MissingLevel::Build || ready(wanted) {
            return wanted;
        }
        let count = self.levels.len();
        let coarser = (wanted + 1..count).chain((0..wanted).rev());
        let nearest = |pick: &dyn Fn(usize) -> bool| coarser.clone().find(|&i| pick(i));
        nearest(&|i| self.levels[i].is_some())
            .or_else(|| nearest(&ready))
            .unwrap_or(wanted)
    }

    /// Uploads level `index` if it is not (triangulating it first where it has no triangles).
    fn upload_level(&mut self, device: &wgpu::Device, index: usize) {
        if self.levels[index].is_some() {
            return;
        }
        let geometry = Arc::clone(&self.geometry);
        let level = &geometry.levels[index];
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
        let pipelines = &self.pipelines;
        let lines =
            |label: &str, segments: &[Segment]| Lines::new((device, pipelines), label, segments);
        let fills = level.fills();
        self.levels[index] = Some(Level {
            units: mesh("units", &fills.units),
            backdrop: mesh("backdrop", &fills.backdrop),
            borders: (0..BorderKind::ALL.len())
                .map(|kind| lines("borders", &level.border_segments(kind)))
                .collect(),
            backdrop_outline: lines("backdrop outline", &level.backdrop_outline),
        });
        // The device's copy is the one drawn from now on: a window's zoom or a batch's next
        // page at this level uses it, and a renderer on another device makes them again.
        drop(fills);
        level.release_fills();
    }

    /// Uploads the outlines of the units this frame outlines at level `index`, where they
    /// changed.
    fn update_outlines(&mut self, device: &wgpu::Device, index: usize) {
        let level = (index, &self.geometry.levels[index]);
        let upload = (device, &self.pipelines);
        let frame = &self.frame;
        let overlay: Vec<u32> = if frame.overlay_outlines {
            (0..self.unit_flags.len() as u32)
                .filter(|&u| self.unit_flags[u as usize] & flags::OVERLAY_OUTLINE != 0)
                .collect()
        } else {
            Vec::new()
        };
        let sets = &mut self.outlines;
        OutlineSet::update(&mut sets.overlay, upload, level, overlay);
        let brushed = frame.brushed.clone();
        OutlineSet::update(&mut sets.brushed, upload, level, brushed);
        let hovered = frame.hovered.into_iter().collect();
        OutlineSet::update(&mut sets.hovered, upload, level, hovered);
        let selected = frame.selected.into_iter().collect();
        OutlineSet::update(&mut sets.selected, upload, level, selected);
    }

    /// Sets each unit's fill (sRGB) and flags. Call when the layer, classes, overlays, hover
    /// or selection change; it writes two small textures.
    pub fn set_unit_tables(&mut self, queue: &wgpu::Queue, colours: &[Rgba], unit_flags: &[u8]) {
        self.unit_tables.write(queue, colours, unit_flags);
        self.unit_flags = unit_flags.to_vec();
    }

    /// Writes the frame's uniforms and point instances, and uploads what it draws that is not
    /// on the device yet: its level of detail and its units' outlines.
    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, frame: &FrameParams) {
        let uniform = ViewUniform {
            centre: frame.centre,
            viewport: frame.viewport,
            hatch_origin: frame.hatch_origin,
            metres_per_pixel: frame.metres_per_pixel,
            pixels_per_point: frame.pixels_per_point,
            fill_opacity: frame.fill_opacity,
            _pad: [0; 3],
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
        self.wanted = self.geometry.level_for(f64::from(frame.metres_per_pixel));
        let drawn = self.choose_level(self.wanted);
        self.upload_level(device, drawn);
        self.update_outlines(device, drawn);
        self.drawn = Some(drawn);
    }

    /// Records the map's draws into `pass` (after [`MapRenderer::prepare`]).
    pub fn paint(&self, pass: &mut wgpu::RenderPass<'_>) {
        self.paint_part(pass, None);
    }

    /// Like [`MapRenderer::paint`] for a pass that draws only `part` of the viewport (left,
    /// top, width, height in viewport pixels; `None` for all of it): shapes and lines wholly
    /// outside it are not sent to the device.
    pub fn paint_part(&self, pass: &mut wgpu::RenderPass<'_>, part: Option<[f32; 4]>) {
        let Some(level) = self.drawn.and_then(|i| self.levels[i].as_ref()) else {
            return;
        };
        let (min, max) = self.view_rect(part);
        pass.set_bind_group(0, &self.view_bind_group, &[]);

        let opaque = self.frame.fill_opacity >= 1.0;
        pass.set_pipeline(if opaque {
            &self.pipelines.fill_opaque
        } else {
            &self.pipelines.fill_blended
        });
        let units_visible = level.units.runs.visible(min, max);
        for (mesh, tables, visible) in [
            (
                &level.backdrop,
                &self.backdrop_tables,
                level.backdrop.runs.visible(min, max),
            ),
            (&level.units, &self.unit_tables, units_visible.clone()),
        ] {
            pass.set_bind_group(1, &tables.bind_group, &[]);
            pass.set_vertex_buffer(0, mesh.positions.slice(..));
            pass.set_vertex_buffer(1, mesh.owners.slice(..));
            pass.set_index_buffer(mesh.indices.slice(..), wgpu::IndexFormat::Uint32);
            for triangles in visible {
                pass.draw_indexed(triangles.start * 3..triangles.end * 3, 0, 0..1);
            }
        }
        // Hatches, highlight and muting only over the units that have them, and of those
        // only the runs in view: a page focused on one region mutes most of the province.
        if self.unit_flags.iter().any(|&f| f != 0) {
            pass.set_pipeline(&self.pipelines.fill_overlay);
            pass.set_vertex_buffer(0, level.units.positions.slice(..));
            pass.set_vertex_buffer(1, level.units.owners.slice(..));
            pass.set_index_buffer(level.units.indices.slice(..), wgpu::IndexFormat::Uint32);
            let flagged = level
                .units
                .ranges
                .iter()
                .zip(&self.unit_flags)
                .filter(|(r, f)| **f & OVERLAY_FLAGS != 0 && !r.is_empty())
                .map(|(r, _)| r.start / 3..r.end / 3);
            for triangles in runs::intersect(flagged, &units_visible) {
                pass.draw_indexed(triangles.start * 3..triangles.end * 3, 0, 0..1);
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
        for (set, slot) in self.outlines.drawn() {
            self.draw_lines(pass, &set.lines, slot, visible(&set.lines));
        }

        if !self.frame.points.is_empty() {
            pass.set_pipeline(&self.pipelines.points);
            pass.set_bind_group(2, &self.point_style, &[]);
            pass.set_vertex_buffer(0, self.point_instances.slice(..));
            pass.draw(0..4, 0..self.frame.points.len() as u32);
        }
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
    // Written in place where the device allows it (see `device_features`).
    let in_place = device
        .features()
        .contains(wgpu::Features::MAPPABLE_PRIMARY_BUFFERS);
    let usage = if in_place {
        usage | wgpu::BufferUsages::MAP_WRITE
    } else {
        usage
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
