//! What the map is drawn from, built once per atlas: triangulated fills, border segments by
//! kind, every unit's outline, and label anchors, all in Albers metres relative to a scene
//! origin (so that `f32` keeps centimetre precision on the GPU).

use super::camera::WorldRect;
use super::polylabel::polylabel;
use crate::atlas::{Atlas, UnitId};
use geo::{Area, BooleanOps, Centroid, MultiPolygon, Polygon, Rect, Simplify, TriangulateEarcut};
use rayon::prelude::*;
use std::ops::Range;

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
    /// Triangle list.
    pub indices: Vec<u32>,
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

/// The static geometry of the map.
#[derive(Clone, Debug)]
pub struct MapGeometry {
    /// World point that scene coordinates are relative to.
    pub origin: [f64; 2],
    /// Sichuan's extent, world metres.
    pub bounds: WorldRect,
    /// The units' fills (owner = unit id).
    pub units: FillMesh,
    /// The neighbouring provinces' fills (owner = backdrop index).
    pub backdrop: FillMesh,
    /// Border segments by kind, indexed like [`BorderKind::ALL`].
    pub borders: [Vec<Segment>; 4],
    /// The neighbouring provinces' outlines.
    pub backdrop_outline: Vec<Segment>,
    /// Every unit's full outline (owner = unit id), grouped by unit.
    pub unit_outlines: Vec<Segment>,
    /// The range of `unit_outlines` belonging to each unit.
    pub unit_outline_ranges: Vec<Range<u32>>,
    /// Label anchor of each unit.
    pub unit_labels: Vec<LabelAnchor>,
    /// Label anchor of each prefecture.
    pub prefecture_labels: Vec<[f64; 2]>,
    /// Label anchor of each neighbouring province (near Sichuan).
    pub backdrop_labels: Vec<[f64; 2]>,
}

impl MapGeometry {
    /// Triangulates and classifies everything once.
    pub fn build(atlas: &Atlas) -> Self {
        let mut bounds = WorldRect::EMPTY;
        for unit in atlas.units() {
            for c in unit.projected.0.iter().flat_map(|p| p.exterior().0.iter()) {
                bounds.extend([c.x, c.y]);
            }
        }
        let origin = bounds.centre();
        let unit_shapes: Vec<&MultiPolygon<f64>> =
            atlas.units().iter().map(|u| &u.projected).collect();
        let backdrop_shapes: Vec<&MultiPolygon<f64>> =
            atlas.backdrop().iter().map(|b| &b.projected).collect();
        let ((units, backdrop), (borders, (unit_labels, backdrop_labels))) = rayon::join(
            || {
                rayon::join(
                    || triangulate(&unit_shapes, origin),
                    || triangulate(&backdrop_shapes, origin),
                )
            },
            || {
                rayon::join(
                    || classify_borders(atlas, origin),
                    || {
                        rayon::join(
                            || unit_label_anchors(&unit_shapes),
                            || backdrop_label_anchors(&backdrop_shapes, bounds),
                        )
                    },
                )
            },
        );
        let (unit_outlines, unit_outline_ranges) = outlines(&unit_shapes, origin, true);
        let (backdrop_outline, _) = outlines(&backdrop_shapes, origin, false);
        let prefecture_labels = prefecture_label_anchors(atlas, &unit_labels);
        MapGeometry {
            origin,
            bounds,
            units,
            backdrop,
            borders,
            backdrop_outline,
            unit_outlines,
            unit_outline_ranges,
            unit_labels,
            prefecture_labels,
            backdrop_labels,
        }
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
            multi
                .0
                .iter()
                .map(move |p| (owner as u32, p.earcut_triangles_raw()))
        })
        .collect();
    let mut mesh = FillMesh::default();
    for (owner, part) in parts {
        let base = mesh.positions.len() as u32;
        mesh.positions.extend(
            part.vertices
                .iter()
                .map(|v| [(v[0] - origin[0]) as f32, (v[1] - origin[1]) as f32]),
        );
        mesh.owners
            .extend(std::iter::repeat_n(owner, part.vertices.len()));
        mesh.indices
            .extend(part.triangle_indices.iter().map(|&i| base + i as u32));
    }
    mesh
}

/// Every ring edge of every shape, grouped by shape; with `owned`, tagged with the shape.
fn outlines(
    shapes: &[&MultiPolygon<f64>],
    origin: [f64; 2],
    owned: bool,
) -> (Vec<Segment>, Vec<Range<u32>>) {
    let mut segments = Vec::new();
    let mut ranges = Vec::with_capacity(shapes.len());
    for (owner, multi) in shapes.iter().enumerate() {
        let start = segments.len() as u32;
        for polygon in &multi.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                segments.extend(ring.lines().map(|l| Segment {
                    a: [
                        (l.start.x - origin[0]) as f32,
                        (l.start.y - origin[1]) as f32,
                    ],
                    b: [(l.end.x - origin[0]) as f32, (l.end.y - origin[1]) as f32],
                    owner: if owned {
                        owner as u32
                    } else {
                        Segment::NO_OWNER
                    },
                }));
            }
        }
        ranges.push(start..segments.len() as u32);
    }
    (segments, ranges)
}

/// Sorts every unit edge by its (exact) endpoints: an edge two units share is a county,
/// prefecture or region border depending on what the two have in common; an edge of one
/// unit only is the province's outline.
fn classify_borders(atlas: &Atlas, origin: [f64; 2]) -> [Vec<Segment>; 4] {
    let mut edges: Vec<([u64; 4], u32, Segment)> = Vec::new();
    for unit in atlas.units() {
        for (polygon, projected) in unit.geometry.0.iter().zip(&unit.projected.0) {
            let rings = std::iter::once((polygon.exterior(), projected.exterior()))
                .chain(polygon.interiors().iter().zip(projected.interiors()));
            for (ring, ring_xy) in rings {
                for (w, l) in ring.0.windows(2).zip(ring_xy.lines()) {
                    let (a, b) = (
                        [w[0].x.to_bits(), w[0].y.to_bits()],
                        [w[1].x.to_bits(), w[1].y.to_bits()],
                    );
                    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                    let segment = Segment {
                        a: [
                            (l.start.x - origin[0]) as f32,
                            (l.start.y - origin[1]) as f32,
                        ],
                        b: [(l.end.x - origin[0]) as f32, (l.end.y - origin[1]) as f32],
                        owner: Segment::NO_OWNER,
                    };
                    edges.push(([lo[0], lo[1], hi[0], hi[1]], unit.id.0, segment));
                }
            }
        }
    }
    edges.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut borders: [Vec<Segment>; 4] = Default::default();
    for group in edges.chunk_by(|a, b| a.0 == b.0) {
        let first = atlas.unit(UnitId(group[0].1));
        let kind = match group
            .iter()
            .map(|e| atlas.unit(UnitId(e.1)))
            .find(|u| u.id != first.id)
        {
            None => BorderKind::Province,
            Some(other) if other.region != first.region => BorderKind::Region,
            Some(other) if other.prefecture != first.prefecture => BorderKind::Prefecture,
            Some(_) => BorderKind::County,
        };
        borders[BorderKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)].push(group[0].2);
    }
    borders
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

fn unit_label_anchors(shapes: &[&MultiPolygon<f64>]) -> Vec<LabelAnchor> {
    shapes
        .par_iter()
        .map(|multi| match largest_part(multi) {
            Some(part) => {
                let simple = part.simplify(LABEL_SIMPLIFY_M);
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
        })
        .collect()
}

/// A prefecture's label goes at the anchor of its county nearest the area-weighted centroid
/// of all its counties: central, and always inside the prefecture.
fn prefecture_label_anchors(atlas: &Atlas, unit_labels: &[LabelAnchor]) -> Vec<[f64; 2]> {
    atlas
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
            prefecture
                .units
                .iter()
                .map(|id| unit_labels[id.index()].position)
                .min_by(|a, b| distance_2(*a, centre).total_cmp(&distance_2(*b, centre)))
                .unwrap_or(centre)
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
            let near = multi.intersection(&MultiPolygon::new(vec![window.clone()]));
            let part = largest_part(&near).or_else(|| largest_part(multi));
            part.map_or([0.0, 0.0], |p| polylabel(&p.simplify(1_000.0), 2_000.0).0)
        })
        .collect()
}

fn distance_2(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)
}
