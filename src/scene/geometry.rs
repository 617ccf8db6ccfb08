//! What the map is drawn from, built once per atlas: the units' shapes, border lines by kind
//! and triangulated fills at several levels of detail, and label anchors; what goes to the GPU
//! is in metres relative to a scene origin (so that `f32` keeps centimetre precision there).
//!
//! The levels simplify the shared-boundary arcs ([`super::topology`]), not the polygons, so
//! neighbouring counties stay joined at every level; a frame uses the coarsest level whose
//! tolerance is below half a pixel, which keeps the full 280k vertices for close-ups only.
//!
//! The window builds every level and the label anchors, but triangulates only the coarsest
//! level up front, which its first view (the whole province) draws ([`MapGeometry::build`]);
//! it makes the finer levels' triangles after its first frame. A one-off export needs one
//! level, and a vector page neither triangles nor county label anchors: those are made on
//! first use ([`GeometryLevel::fills`], [`MapGeometry::labels`]), so that a command-line
//! export pays only for what it draws.

use super::backdrop_outline;
use super::camera::WorldRect;
use super::polylabel::polylabel;
use super::simplify::{douglas_peucker, simplify_multi_polygon, simplify_polygon};
use super::topology::Topology;
use crate::atlas::{Atlas, UnitId};
use geo::{Area, BooleanOps, Centroid, MultiPolygon, Polygon, Rect, TriangulateEarcut};
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// One line segment to draw, with the unit it outlines (or [`Segment::NO_OWNER`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Segment {
    /// Start, scene coordinates.
    pub a: [f32; 2],
    /// End, scene coordinates.
    pub b: [f32; 2],
    /// The unit whose outline this is, for per-unit styling.
    pub owner: u32,
}

impl Segment {
    /// Owner of segments drawn regardless of any unit's state.
    pub const NO_OWNER: u32 = u32::MAX;
}

/// Triangles with, per vertex, the index of the shape they fill (a unit or a province).
#[derive(Clone, Debug, Default)]
pub struct FillMesh {
    /// Vertex positions, scene coordinates.
    pub positions: Vec<[f32; 2]>,
    /// Per vertex, the index of its shape.
    pub owners: Vec<u32>,
    /// Triangle list, grouped by owner.
    pub indices: Vec<u32>,
    /// The range of `indices` belonging to each owner.
    pub owner_ranges: Vec<Range<u32>>,
}

/// Which boundary a border segment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BorderKind {
    /// Between two counties of one prefecture.
    County,
    /// Between prefectures of one economic region.
    Prefecture,
    /// Between economic regions.
    Region,
    /// The province's outline (an edge of one unit only).
    Province,
}

impl BorderKind {
    /// All kinds, in drawing order (thinnest first).
    pub const ALL: [BorderKind; 4] = [
        BorderKind::County,
        BorderKind::Prefecture,
        BorderKind::Region,
        BorderKind::Province,
    ];
}

/// Where a unit's label goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelAnchor {
    /// Pole of inaccessibility of the unit's largest part, world metres.
    pub position: [f64; 2],
    /// Distance from there to the boundary, metres: how much room the label has.
    pub clearance: f64,
}

/// How far (in pixels) a drawn boundary may stray from the true one. Three quarters of a pixel
/// is below what a 1-px line shows, and lets print resolutions (300 dpi A4: ~330 m per pixel)
/// use the 200 m level, whose segments are long enough to draw cheaply.
pub const MAX_SIMPLIFICATION_PIXELS: f64 = 0.75;

/// The index of the coarsest level (tolerances in increasing order) within
/// [`MAX_SIMPLIFICATION_PIXELS`] at `metres_per_pixel`; the finest if none is.
pub fn level_for(tolerances: impl Iterator<Item = f64>, metres_per_pixel: f64) -> usize {
    let limit = MAX_SIMPLIFICATION_PIXELS * metres_per_pixel;
    tolerances
        .enumerate()
        .filter(|(_, t)| *t <= limit)
        .map(|(i, _)| i)
        .last()
        .unwrap_or(0)
}

/// The tolerances of the levels of detail, metres (0: full resolution).
pub const LEVEL_TOLERANCES: [f64; 4] = [0.0, 50.0, 200.0, 800.0];

/// The triangulated fills of one level, for the GPU.
#[derive(Clone, Debug, Default)]
pub struct LevelFills {
    /// The units' fills (owner = unit id).
    pub units: FillMesh,
    /// The neighbouring provinces' fills (owner = backdrop index).
    pub backdrop: FillMesh,
}

/// Everything drawn at one level of detail.
#[derive(Debug)]
pub struct GeometryLevel {
    /// Douglas–Peucker tolerance of this level, metres.
    pub tolerance: f64,
    /// Triangles, made from the shapes on first use (vector output never needs them), until
    /// [`GeometryLevel::release_fills`].
    fills: Mutex<Option<Arc<LevelFills>>>,
    /// Whether the triangles have been made (they may have been released since).
    fills_made: AtomicBool,
    /// The neighbouring provinces' outlines where no other line runs: not along Sichuan's
    /// border, and a border between two of them once (see `backdrop_outline`).
    pub backdrop_outline: Vec<Segment>,
    /// The units' simplified shapes, world metres (for vector output, and the source of the
    /// triangles and of single units' outlines).
    pub unit_shapes: Vec<MultiPolygon<f64>>,
    /// The neighbouring provinces' simplified shapes, world metres.
    pub backdrop_shapes: Vec<MultiPolygon<f64>>,
    /// Border polylines by kind (one per arc), world metres, indexed like [`BorderKind::ALL`]
    /// (the GPU's segments are made from them as they are uploaded).
    pub border_lines: [Vec<Vec<[f64; 2]>>; 4],
    /// World point that scene coordinates are relative to.
    origin: [f64; 2],
}

impl GeometryLevel {
    /// Whether the triangles have been made: [`GeometryLevel::fills`] returns at once unless
    /// they were released since (by a window that holds them on its device).
    pub fn fills_ready(&self) -> bool {
        self.fills_made.load(Ordering::Acquire)
    }

    /// Whether the triangles are in memory now (made and not released).
    pub fn fills_held(&self) -> bool {
        self.fills
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// Drops the triangles from memory (a window calls this once they are on its device:
    /// 13 MB for the four levels); a later [`GeometryLevel::fills`] makes them again.
    pub fn release_fills(&self) {
        *self.fills.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The border segments of the kind at `index` of [`BorderKind::ALL`], scene coordinates.
    pub fn border_segments(&self, index: usize) -> Vec<Segment> {
        let lines = &self.border_lines[index];
        let mut segments =
            Vec::with_capacity(lines.iter().map(|l| l.len().saturating_sub(1)).sum());
        for line in lines {
            segments.extend(chain_segments(line, self.origin));
        }
        segments
    }

    /// The outline of the unit `unit` (every ring of its shape), as segments it owns, scene
    /// coordinates; none for a unit the level does not have.
    pub fn unit_outline(&self, unit: usize) -> impl Iterator<Item = Segment> + '_ {
        let origin = self.origin;
        self.unit_shapes
            .get(unit)
            .into_iter()
            .flat_map(|multi| &multi.0)
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .flat_map(|ring| ring.lines())
            .map(move |l| Segment {
                a: to_scene([l.start.x, l.start.y], origin),
                b: to_scene([l.end.x, l.end.y], origin),
                owner: unit as u32,
            })
    }

    /// The shapes triangulated (in parallel) in scene coordinates; made on the first call
    /// (and the first after a release).
    pub fn fills(&self) -> Arc<LevelFills> {
        let held = || self.fills.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(fills) = held().as_ref() {
            return Arc::clone(fills);
        }
        // Made without the lock held, so that asking whether they are made never waits; two
        // threads asking at once both make them (the same triangles) and one set is kept.
        let units: Vec<&MultiPolygon<f64>> = self.unit_shapes.iter().collect();
        let backdrop: Vec<&MultiPolygon<f64>> = self.backdrop_shapes.iter().collect();
        let (units, backdrop) = rayon::join(
            || triangulate(&units, self.origin),
            || triangulate(&backdrop, self.origin),
        );
        let made = Arc::new(LevelFills { units, backdrop });
        let fills = Arc::clone(held().get_or_insert(made));
        self.fills_made.store(true, Ordering::Release);
        fills
    }
}

/// Where the names go: every unit's and prefecture's label anchor.
#[derive(Clone, Debug)]
pub struct Labels {
    /// Label anchor of each unit.
    pub units: Vec<LabelAnchor>,
    /// Label anchor of each prefecture.
    pub prefectures: Vec<[f64; 2]>,
}

/// What the label anchors are computed from, kept until they are.
#[derive(Clone, Debug, Default)]
struct LabelInput {
    /// Each unit's largest part, world metres.
    parts: Vec<Option<Polygon<f64>>>,
    /// Each prefecture's units (indices) and the area-weighted centroid of their shapes.
    prefectures: Vec<(Vec<usize>, [f64; 2])>,
}

/// The static geometry of the map.
#[derive(Debug)]
pub struct MapGeometry {
    /// World point that scene coordinates are relative to.
    pub origin: [f64; 2],
    /// Sichuan's extent, world metres.
    pub bounds: WorldRect,
    /// The levels of detail, finest first (see [`LEVEL_TOLERANCES`]).
    pub levels: Vec<GeometryLevel>,
    /// Label anchor of each neighbouring province (near Sichuan).
    pub backdrop_labels: Vec<[f64; 2]>,
    /// How many units the atlas has (the renderer's per-unit tables are this long).
    pub unit_count: usize,
    /// The units' and prefectures' label anchors, made on first use.
    labels: OnceLock<Labels>,
    label_input: LabelInput,
}

impl MapGeometry {
    /// Builds every level of detail ([`LEVEL_TOLERANCES`]), the coarsest one's triangles and
    /// the label anchors, in parallel: what the window's first view draws (the whole
    /// province). The finer levels' triangles are made on first use (the window makes them
    /// on another thread after its first frame).
    pub fn build(atlas: &Atlas) -> Self {
        let mut geometry = Self::build_levels(atlas, &LEVEL_TOLERANCES);
        rayon::join(
            || {
                if let Some(coarsest) = geometry.levels.last() {
                    coarsest.fills();
                }
            },
            || {
                geometry.labels();
            },
        );
        // Every anchor is in the table now: the parts they were found in (4 MB, each unit's
        // largest polygon at full detail) are not read again.
        geometry.label_input = LabelInput::default();
        geometry
    }

    /// Builds the levels of detail with the given simplification tolerances (metres, finest
    /// first). Their triangles and the label anchors are made on first use: a one-off export
    /// needs one level, and a vector page no triangles.
    pub fn build_levels(atlas: &Atlas, tolerances: &[f64]) -> Self {
        let mut bounds = WorldRect::EMPTY;
        for unit in atlas.units() {
            for c in unit.projected.0.iter().flat_map(|p| p.exterior().0.iter()) {
                bounds.extend([c.x, c.y]);
            }
        }
        let origin = bounds.centre();
        let geographic: Vec<&MultiPolygon<f64>> =
            atlas.units().iter().map(|u| &u.geometry).collect();
        let unit_shapes: Vec<&MultiPolygon<f64>> =
            atlas.units().iter().map(|u| &u.projected).collect();
        let backdrop_shapes: Vec<&MultiPolygon<f64>> =
            atlas.backdrop().iter().map(|b| &b.projected).collect();
        let (levels, (backdrop_labels, label_input)) = rayon::join(
            || {
                let topology =
                    Topology::load_or_build(atlas.stored_topology(), &geographic, &unit_shapes);
                let kinds: Vec<BorderKind> = topology
                    .arcs
                    .iter()
                    .map(|arc| border_kind(atlas, arc.sides))
                    .collect();
                let sichuan_outline = topology
                    .arcs
                    .iter()
                    .filter(|arc| arc.sides.1.is_none())
                    .flat_map(|arc| arc.points.iter().copied());
                let backdrop_chains = backdrop_outline::chains(&backdrop_shapes, sichuan_outline);
                tolerances
                    .par_iter()
                    .map(|&tolerance| {
                        let backdrop = (&backdrop_shapes[..], &backdrop_chains[..]);
                        level(&topology, &kinds, backdrop, tolerance, origin)
                    })
                    .collect()
            },
            || {
                rayon::join(
                    || backdrop_label_anchors(&backdrop_shapes, bounds),
                    || label_input(atlas),
                )
            },
        );
        MapGeometry {
            origin,
            bounds,
            levels,
            backdrop_labels,
            unit_count: atlas.units().len(),
            labels: OnceLock::new(),
            label_input,
        }
    }

    /// The units' and prefectures' label anchors; computed (in parallel) on the first call.
    pub fn labels(&self) -> &Labels {
        self.labels.get_or_init(|| {
            let units = unit_label_anchors(&self.label_input.parts);
            let prefectures = prefecture_label_anchors(&self.label_input.prefectures, &units);
            Labels { units, prefectures }
        })
    }

    /// One unit's label anchor: the computed table's entry if [`MapGeometry::labels`] has been
    /// asked for, else computed for this unit alone (a page without county names that marks
    /// points in a few counties needs a few anchors, not all of them).
    pub fn unit_anchor(&self, unit: usize) -> LabelAnchor {
        match self.labels.get() {
            Some(labels) => labels.units[unit],
            None => self
                .label_input
                .parts
                .get(unit)
                .map_or(unit_label_anchor(&None), unit_label_anchor),
        }
    }

    /// The coarsest level whose simplification stays within [`MAX_SIMPLIFICATION_PIXELS`] at
    /// this zoom.
    pub fn level_for(&self, metres_per_pixel: f64) -> usize {
        level_for(self.levels.iter().map(|l| l.tolerance), metres_per_pixel)
    }

    /// Where each neighbouring province's name goes in a frame that shows `visible` (world
    /// metres): the pole of inaccessibility of its largest part inside the frame, and the room
    /// around it (metres); `None` for a province out of view. A page names every neighbour it
    /// shows, however little of it; the fixed anchors ([`MapGeometry::backdrop_labels`]) lie
    /// near Sichuan and can fall outside a page's frame.
    pub fn backdrop_anchors_in(&self, visible: WorldRect) -> Vec<Option<([f64; 2], f64)>> {
        let Some(level) = self.levels.last() else {
            return Vec::new();
        };
        // A fixed anchor well inside the frame serves as it is (clipping and searching the
        // province again costs a few milliseconds of a vector export).
        let [w, h] = visible.size();
        let comfortable = |[x, y]: [f64; 2]| {
            x > visible.min[0] + 0.15 * w
                && x < visible.max[0] - 0.15 * w
                && y > visible.min[1] + 0.1 * h
                && y < visible.max[1] - 0.1 * h
        };
        let window = MultiPolygon::new(vec![
            Rect::new(
                geo::coord! { x: visible.min[0], y: visible.min[1] },
                geo::coord! { x: visible.max[0], y: visible.max[1] },
            )
            .to_polygon(),
        ]);
        level
            .backdrop_shapes
            .par_iter()
            .zip(&self.backdrop_labels)
            .map(|(shape, &fixed)| {
                if comfortable(fixed) {
                    return Some((fixed, 0.0));
                }
                let simple = simplify_multi_polygon(shape, 1_000.0);
                let inside = simple.intersection(&window);
                largest_part(&inside).map(|part| polylabel(part, 2_000.0))
            })
            .collect()
    }

    /// World metres → scene coordinates.
    pub fn to_scene(&self, p: [f64; 2]) -> [f32; 2] {
        [
            (p[0] - self.origin[0]) as f32,
            (p[1] - self.origin[1]) as f32,
        ]
    }
}

/// Earcut per polygon, in parallel, concatenated into one mesh.
fn triangulate(shapes: &[&MultiPolygon<f64>], origin: [f64; 2]) -> FillMesh {
    let parts: Vec<(
        u32,
        geo::algorithm::triangulate_earcut::RawTriangulation<f64>,
    )> = shapes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(owner, multi)| {
            multi.0.iter().map(move |p| {
                let mut raw = p.earcut_triangles_raw();
                super::triangle_order::in_curve_order(&raw.vertices, &mut raw.triangle_indices);
                (owner as u32, raw)
            })
        })
        .collect();
    // Sized up front: the triangles are kept (until uploaded, in the window), and vectors
    // grown by doubling would hold up to twice what they need.
    let vertices: usize = parts.iter().map(|(_, p)| p.vertices.len()).sum();
    let indices: usize = parts.iter().map(|(_, p)| p.triangle_indices.len()).sum();
    let mut mesh = FillMesh {
        positions: Vec::with_capacity(vertices),
        owners: Vec::with_capacity(vertices),
        indices: Vec::with_capacity(indices),
        owner_ranges: vec![0..0; shapes.len()],
    };
    for (owner, part) in parts {
        let base = mesh.positions.len() as u32;
        let start = mesh.indices.len() as u32;
        mesh.positions.extend(
            part.vertices
                .iter()
                .map(|v| [(v[0] - origin[0]) as f32, (v[1] - origin[1]) as f32]),
        );
        mesh.owners
            .extend(std::iter::repeat_n(owner, part.vertices.len()));
        mesh.indices
            .extend(part.triangle_indices.iter().map(|&i| base + i as u32));
        let range = &mut mesh.owner_ranges[owner as usize];
        // Parts arrive in owner order, so an owner's ranges are contiguous.
        let end = mesh.indices.len() as u32;
        *range = if range.start == range.end {
            start..end
        } else {
            range.start..end
        };
    }
    mesh
}

/// A polyline's segments (world metres) in scene coordinates, owned by no unit.
fn chain_segments(chain: &[[f64; 2]], origin: [f64; 2]) -> impl Iterator<Item = Segment> + '_ {
    chain.windows(2).map(move |w| Segment {
        a: to_scene(w[0], origin),
        b: to_scene(w[1], origin),
        owner: Segment::NO_OWNER,
    })
}

/// World metres → scene coordinates relative to `origin`.
fn to_scene(p: [f64; 2], origin: [f64; 2]) -> [f32; 2] {
    [(p[0] - origin[0]) as f32, (p[1] - origin[1]) as f32]
}

/// The kind of border an arc is, from the units on its two sides.
fn border_kind(atlas: &Atlas, sides: (u32, Option<u32>)) -> BorderKind {
    let one = atlas.unit(UnitId(sides.0));
    match sides.1.map(|u| atlas.unit(UnitId(u))) {
        None => BorderKind::Province,
        Some(other) if other.region != one.region => BorderKind::Region,
        Some(other) if other.prefecture != one.prefecture => BorderKind::Prefecture,
        Some(_) => BorderKind::County,
    }
}

/// One level of detail: arcs simplified, shapes rebuilt and triangulated, borders by kind;
/// the neighbouring provinces' shapes and the chains of their outline that are drawn
/// ([`backdrop_outline::chains`]) simplified too.
fn level(
    topology: &Topology,
    kinds: &[BorderKind],
    (backdrop_shapes, backdrop_chains): (&[&MultiPolygon<f64>], &[Vec<[f64; 2]>]),
    tolerance: f64,
    origin: [f64; 2],
) -> GeometryLevel {
    let arcs = topology.simplify(tolerance);
    let shapes = topology.shapes(&arcs);
    let simple_backdrop: Vec<MultiPolygon<f64>> = backdrop_shapes
        .iter()
        .map(|s| {
            if tolerance > 0.0 {
                simplify_multi_polygon(s, tolerance)
            } else {
                (*s).clone()
            }
        })
        .collect();
    let mut border_lines: [Vec<Vec<[f64; 2]>>; 4] = Default::default();
    for ((arc, points), kind) in topology.arcs.iter().zip(&arcs).zip(kinds) {
        let index = BorderKind::ALL.iter().position(|k| k == kind).unwrap_or(0);
        // A closed arc (a whole ring) does not repeat its first vertex; close it here.
        let close = if arc.closed {
            points.first().copied()
        } else {
            None
        };
        let chain: Vec<[f64; 2]> = points.iter().copied().chain(close).collect();
        border_lines[index].push(chain);
    }
    let backdrop_outline = backdrop_chains
        .iter()
        .flat_map(|chain| {
            let simplified;
            let chain = if tolerance > 0.0 {
                simplified = simplify_chain(chain, tolerance);
                &simplified
            } else {
                chain
            };
            chain_segments(chain, origin).collect::<Vec<_>>()
        })
        .collect();
    GeometryLevel {
        tolerance,
        fills: Mutex::new(None),
        fills_made: AtomicBool::new(false),
        backdrop_outline,
        border_lines,
        unit_shapes: shapes,
        backdrop_shapes: simple_backdrop,
        origin,
    }
}

/// `chain` simplified to within `tolerance`, its ends kept. A closed chain (a whole ring, its
/// first vertex repeated at the end) that would keep fewer than three corners keeps all of
/// them, as the shapes' rings and the topology's closed arcs do.
fn simplify_chain(chain: &[[f64; 2]], tolerance: f64) -> Vec<[f64; 2]> {
    let simple = douglas_peucker(chain, tolerance);
    let closed = chain.len() > 1 && chain.first() == chain.last();
    if closed && simple.len() < 4 {
        chain.to_vec()
    } else {
        simple
    }
}

/// Metres of simplification before searching for label anchors: far below a label's size.
const LABEL_SIMPLIFY_M: f64 = 150.0;
/// Precision of the pole of inaccessibility, metres.
const LABEL_PRECISION_M: f64 = 250.0;

fn largest_part(multi: &MultiPolygon<f64>) -> Option<&Polygon<f64>> {
    multi
        .0
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
}

/// Each unit's largest part, and each prefecture's units with their area-weighted centroid.
fn label_input(atlas: &Atlas) -> LabelInput {
    let parts = atlas
        .units()
        .iter()
        .map(|u| largest_part(&u.projected).cloned())
        .collect();
    let prefectures = atlas
        .prefectures()
        .iter()
        .map(|prefecture| {
            let (mut sum, mut weight) = ([0.0, 0.0], 0.0);
            for &id in &prefecture.units {
                let unit = atlas.unit(id);
                if let Some(c) = unit.projected.centroid() {
                    sum = [
                        sum[0] + c.x() * unit.area_km2,
                        sum[1] + c.y() * unit.area_km2,
                    ];
                    weight += unit.area_km2;
                }
            }
            let centre = if weight > 0.0 {
                [sum[0] / weight, sum[1] / weight]
            } else {
                [0.0, 0.0]
            };
            (
                prefecture.units.iter().map(|id| id.index()).collect(),
                centre,
            )
        })
        .collect();
    LabelInput { parts, prefectures }
}

fn unit_label_anchors(parts: &[Option<Polygon<f64>>]) -> Vec<LabelAnchor> {
    parts.par_iter().map(unit_label_anchor).collect()
}

/// One unit's label anchor, from its largest part.
fn unit_label_anchor(part: &Option<Polygon<f64>>) -> LabelAnchor {
    match part {
        Some(part) => {
            let simple = simplify_polygon(part, LABEL_SIMPLIFY_M);
            let shape = if simple.unsigned_area() > 0.0 {
                &simple
            } else {
                part
            };
            let (position, clearance) = polylabel(shape, LABEL_PRECISION_M);
            LabelAnchor {
                position,
                clearance,
            }
        }
        None => LabelAnchor {
            position: [0.0, 0.0],
            clearance: 0.0,
        },
    }
}

/// A prefecture's label goes at the anchor of its county nearest the area-weighted centroid
/// of all its counties: central, and always inside the prefecture.
fn prefecture_label_anchors(
    prefectures: &[(Vec<usize>, [f64; 2])],
    unit_labels: &[LabelAnchor],
) -> Vec<[f64; 2]> {
    prefectures
        .iter()
        .map(|(units, centre)| {
            units
                .iter()
                .map(|&unit| unit_labels[unit].position)
                .min_by(|a, b| distance_2(*a, *centre).total_cmp(&distance_2(*b, *centre)))
                .unwrap_or(*centre)
        })
        .collect()
}

/// A neighbouring province's label goes at the pole of its part near Sichuan (within 150 km
/// of Sichuan's extent), where the map shows it.
fn backdrop_label_anchors(shapes: &[&MultiPolygon<f64>], bounds: WorldRect) -> Vec<[f64; 2]> {
    const NEAR_M: f64 = 150_000.0;
    let window = Rect::new(
        geo::coord! { x: bounds.min[0] - NEAR_M, y: bounds.min[1] - NEAR_M },
        geo::coord! { x: bounds.max[0] + NEAR_M, y: bounds.max[1] + NEAR_M },
    )
    .to_polygon();
    shapes
        .par_iter()
        .map(|multi| {
            // Simplified first: clipping the full-resolution outline costs more than the rest.
            let simple = simplify_multi_polygon(multi, 1_000.0);
            let near = simple.intersection(&MultiPolygon::new(vec![window.clone()]));
            let part = largest_part(&near).or_else(|| largest_part(&simple));
            part.map_or([0.0, 0.0], |p| polylabel(p, 2_000.0).0)
        })
        .collect()
}

fn distance_2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coarsest_level_within_three_quarters_of_a_pixel_is_chosen() {
        let levels = || LEVEL_TOLERANCES.iter().copied();
        assert_eq!(level_for(levels(), 10.0), 0, "close-ups draw every vertex");
        assert_eq!(level_for(levels(), 100.0), 1);
        assert_eq!(level_for(levels(), 330.0), 2, "300 dpi A4 of the province");
        assert_eq!(
            level_for(levels(), 1200.0),
            3,
            "the window's whole-province view"
        );
    }

    #[test]
    fn the_neighbours_outline_leaves_sichuans_border_alone_and_draws_shared_borders_once() {
        let atlas = Atlas::builtin().unwrap();
        let geometry = MapGeometry::build_levels(&atlas, &[0.0]);
        let level = &geometry.levels[0];
        let key = |p: [f32; 2]| [p[0].to_bits(), p[1].to_bits()];
        let province = BorderKind::ALL
            .iter()
            .position(|k| *k == BorderKind::Province)
            .unwrap();
        let on_sichuan: std::collections::HashSet<[u32; 2]> = level
            .border_segments(province)
            .iter()
            .flat_map(|s| [key(s.a), key(s.b)])
            .collect();
        let mut drawn = std::collections::HashSet::new();
        for s in &level.backdrop_outline {
            let (a, b) = (key(s.a), key(s.b));
            assert!(
                !(on_sichuan.contains(&a) && on_sichuan.contains(&b)),
                "an edge along Sichuan's border is drawn under the province's line"
            );
            assert!(
                drawn.insert(if a <= b { (a, b) } else { (b, a) }),
                "drawn twice"
            );
        }
        let ring_edges: usize = atlas
            .backdrop()
            .iter()
            .flat_map(|b| &b.projected.0)
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| ring.lines().count())
            .sum();
        let kept = level.backdrop_outline.len();
        assert!(
            kept < ring_edges * 9 / 10 && kept > ring_edges / 2,
            "{kept} of the neighbours' {ring_edges} edges drawn"
        );
    }
}
