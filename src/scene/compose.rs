//! The one composition of a map for a view: a styled document ([`MapStyle`]) placed in a
//! frame of a given size and scale gives the names that fit, the point symbols (clustered
//! where they crowd), the scale bar and the direction of north. The window paints this
//! [`MapScene`]; the briefing page lays out the same scene as furniture.

use super::camera::{Camera, WorldRect};
use super::furniture::{ScaleBar, north_angle, scale_bar};
use super::labels::{LabelCandidate, LabelKind, PlacedLabel, place};
use super::points::{cluster, symbol_radius};
use super::style::MapStyle;
use super::workspace::Workspace;
use crate::atlas::{Atlas, UnitId};
use crate::i18n::Lang;

/// Type sizes of the names, in the frame's points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NameSizes {
    /// County names.
    pub unit: f32,
    /// Prefecture names (shown instead of county names when zoomed out).
    pub prefecture: f32,
    /// The neighbouring provinces' names.
    pub backdrop: f32,
}

/// Where and how big the map is drawn.
pub struct Frame<'a> {
    /// The view.
    pub camera: Camera,
    /// The frame's size, points.
    pub size: [f64; 2],
    /// Symbols, clustering cells and the scale bar grow by this (1 in the window; a page's
    /// type scale on paper).
    pub scale: f32,
    /// Type sizes.
    pub names: NameSizes,
    /// County names give way to prefecture names (the window, zoomed out).
    pub prefecture_names: bool,
    /// The selected county: named first, whatever its room.
    pub selected: Option<UnitId>,
    /// A neighbouring province's name is kept only clear of the frame's edges (a page: the
    /// province runs on beyond the frame, and a name cut by it reads badly).
    pub backdrop_clear_of_edges: bool,
    /// The longest scale bar, points.
    pub scale_bar_max: f64,
    /// A text's width and height in points at a size.
    pub measure: &'a dyn Fn(&str, f32) -> [f64; 2],
    /// The language of the names.
    pub lang: Lang,
}

/// A point symbol placed in the frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    /// Centre, frame points from the top-left.
    pub centre: [f64; 2],
    /// Radius, points.
    pub radius: f32,
    /// Which of the document's point layers it is of (its shape and colour follow).
    pub layer: usize,
    /// Drawn hollow: its features are placed only by county.
    pub hollow: bool,
    /// The marks it stands for (indices into the style's `points`); more than one is a
    /// cluster, drawn with its count.
    pub members: Vec<usize>,
}

impl Symbol {
    /// How many features it stands for.
    pub fn count(&self) -> usize {
        self.members.len()
    }

    /// Whether `p` (frame points) is on the symbol, with a little slack for the pointer.
    pub fn contains(&self, p: [f64; 2]) -> bool {
        let reach = f64::from(self.radius) + 2.0;
        (p[0] - self.centre[0]).hypot(p[1] - self.centre[1]) <= reach
    }
}

/// A map composed for one frame.
#[derive(Clone, Debug)]
pub struct MapScene<'s> {
    /// The styled document.
    pub style: &'s MapStyle,
    /// The names that fit, in drawing order.
    pub labels: Vec<PlacedLabel>,
    /// The point symbols.
    pub symbols: Vec<Symbol>,
    /// The scale bar.
    pub scale_bar: ScaleBar,
    /// True north at the frame's centre, radians clockwise from up.
    pub north: f64,
    /// The distance rings, placed.
    pub rings: Vec<super::rings::PlacedRings>,
}

/// Cluster cell of point symbols, points at scale 1.
const CLUSTER_CELL: f64 = 26.0;

/// Composes `style` for `frame`: what the window paints each frame and what a page lays out.
pub fn compose<'s>(workspace: &Workspace, style: &'s MapStyle, frame: &Frame<'_>) -> MapScene<'s> {
    let atlas = &workspace.atlas;
    let labels = names(workspace, style, frame);
    let symbols = symbols(workspace, style, frame, &labels);
    MapScene {
        style,
        labels,
        symbols,
        scale_bar: scale_bar(frame.camera.metres_per_pixel, frame.scale_bar_max),
        north: north_angle(atlas.projection(), frame.camera.centre),
        rings: style.rings.as_ref().map_or_else(Vec::new, |rings| {
            rings.place(&frame.camera, frame.size, frame.lang)
        }),
    }
}

/// The names that fit: the selected county first, then prefectures (zoomed out) or counties by
/// area, then the neighbouring provinces; within the focus only, where there is one.
fn names(workspace: &Workspace, style: &MapStyle, frame: &Frame<'_>) -> Vec<PlacedLabel> {
    let atlas = &workspace.atlas;
    let geometry = &workspace.geometry;
    let sizes = frame.names;
    let in_focus = |u: UnitId| {
        style
            .focus_units
            .as_ref()
            .is_none_or(|units| units.contains(&u))
    };
    let mut candidates: Vec<LabelCandidate> = Vec::with_capacity(atlas.units().len() + 30);
    // County label anchors cost a search per county: a map without names does not ask.
    let want_units = style.unit_names || frame.selected.is_some();
    if want_units {
        for (unit, anchor) in atlas.units().iter().zip(&geometry.labels().units) {
            let selected = Some(unit.id) == frame.selected;
            let shown = selected || (style.unit_names && !frame.prefecture_names);
            if !shown || !(selected || in_focus(unit.id)) {
                continue;
            }
            candidates.push(LabelCandidate {
                text: unit.name_in(frame.lang).to_owned(),
                anchor: anchor.position,
                priority: if selected { 1e12 } else { 1.0 + unit.area_km2 },
                clearance: if selected { 0.0 } else { anchor.clearance },
                size: sizes.unit,
                kind: LabelKind::Unit(unit.id.0),
            });
        }
    }
    if frame.prefecture_names && style.unit_names {
        for (prefecture, anchor) in atlas
            .prefectures()
            .iter()
            .zip(&geometry.labels().prefectures)
        {
            if prefecture.units.iter().any(|u| in_focus(*u)) {
                candidates.push(LabelCandidate {
                    text: prefecture.name_in(frame.lang).to_owned(),
                    anchor: *anchor,
                    priority: 1e9,
                    clearance: 0.0,
                    size: sizes.prefecture,
                    kind: LabelKind::Prefecture(prefecture.id.0),
                });
            }
        }
    }
    // A page names the part of each neighbour inside its frame, where the name fits; the
    // window, which pans, keeps the fixed anchors near Sichuan.
    let anchors: Vec<Option<([f64; 2], f64)>> = if frame.backdrop_clear_of_edges {
        geometry.backdrop_anchors_in(frame.camera.visible(frame.size))
    } else {
        geometry
            .backdrop_labels
            .iter()
            .map(|a| Some((*a, 0.0)))
            .collect()
    };
    for (i, (region, anchor)) in atlas.backdrop().iter().zip(anchors).enumerate() {
        let Some((anchor, clearance)) = anchor else {
            continue;
        };
        candidates.push(LabelCandidate {
            text: region.label_in(frame.lang).to_owned(),
            anchor,
            priority: 0.0,
            clearance,
            size: sizes.backdrop,
            kind: LabelKind::Backdrop(i as u32),
        });
    }
    let size = frame.size;
    let measure = frame.measure;
    place(&candidates, &frame.camera, size, measure)
        .into_iter()
        .filter(|label| {
            if !frame.backdrop_clear_of_edges || !matches!(label.kind, LabelKind::Backdrop(_)) {
                return true;
            }
            let [w, h] = measure(&label.text, label.size);
            label.centre[0] - w / 2.0 > h
                && label.centre[0] + w / 2.0 < size[0] - h
                && label.centre[1] > h * 1.5
                && label.centre[1] < size[1] - h * 1.5
        })
        .collect()
}

/// The document's points as symbols in the frame, each layer's merged where they crowd.
/// A feature placed only by county sits at its county's label point; where the county's name
/// is drawn there, the symbol moves below the name (side by side, one per layer), so that
/// neither hides the other.
fn symbols(
    workspace: &Workspace,
    style: &MapStyle,
    frame: &Frame<'_>,
    labels: &[PlacedLabel],
) -> Vec<Symbol> {
    if style.points.is_empty() {
        return Vec::new();
    }
    let geometry = &workspace.geometry;
    let scale = f64::from(frame.scale);
    let mut symbols = Vec::new();
    for layer in 0..style.point_layers.len() {
        let marks: Vec<usize> = (0..style.points.len())
            .filter(|&i| style.points[i].layer == layer)
            .collect();
        let positions: Vec<[f64; 2]> = marks
            .iter()
            .map(|&i| {
                let p = &style.points[i];
                match (p.exact, p.unit) {
                    (Some(world), _) => world,
                    (None, Some(unit)) => geometry.unit_anchor(unit.index()).position,
                    // MapStyle marks nothing without a position or a county.
                    (None, None) => [f64::NAN; 2],
                }
            })
            .collect();
        for cluster in cluster(&positions, &frame.camera, frame.size, CLUSTER_CELL * scale) {
            let members: Vec<usize> = cluster.members.iter().map(|&m| marks[m]).collect();
            symbols.push(Symbol {
                centre: cluster.centre,
                radius: symbol_radius(members.len(), frame.camera.metres_per_pixel) * frame.scale,
                layer,
                hollow: members.iter().any(|&m| style.points[m].exact.is_none()),
                members,
            });
        }
    }
    nudge_off_names(&mut symbols, style, labels, frame);
    symbols
}

/// Moves the symbols of county-placed features below their county's name, where it is drawn.
fn nudge_off_names(
    symbols: &mut [Symbol],
    style: &MapStyle,
    labels: &[PlacedLabel],
    frame: &Frame<'_>,
) {
    // The one county all of a symbol's members lie in, if they are all placed by county.
    let county_of = |symbol: &Symbol| {
        let first = style.points[*symbol.members.first()?].unit?;
        symbol
            .members
            .iter()
            .all(|&m| style.points[m].exact.is_none() && style.points[m].unit == Some(first))
            .then_some(first)
    };
    let counties: Vec<Option<UnitId>> = symbols.iter().map(county_of).collect();
    for label in labels {
        let LabelKind::Unit(unit) = label.kind else {
            continue;
        };
        let here: Vec<usize> = (0..symbols.len())
            .filter(|&i| counties[i] == Some(UnitId(unit)))
            .collect();
        if here.is_empty() {
            continue;
        }
        let [_, height] = (frame.measure)(&label.text, label.size);
        let widest = here
            .iter()
            .map(|&i| f64::from(symbols[i].radius))
            .fold(0.0, f64::max);
        let step = 2.0 * widest + 2.0 * f64::from(frame.scale);
        let first = -(here.len() as f64 - 1.0) / 2.0;
        for (k, &i) in here.iter().enumerate() {
            symbols[i].centre = [
                label.centre[0] + (first + k as f64) * step,
                label.centre[1] + height / 2.0 + widest + f64::from(frame.scale),
            ];
        }
    }
}

/// The projected extent of `units` (all of them for `None`), world metres.
pub fn bounds_of(atlas: &Atlas, units: Option<&[UnitId]>) -> WorldRect {
    let mut bounds = WorldRect::EMPTY;
    for unit in atlas.units() {
        if units.is_none_or(|units| units.contains(&unit.id)) {
            for c in unit.projected.0.iter().flat_map(|p| p.exterior().0.iter()) {
                bounds.extend([c.x, c.y]);
            }
        }
    }
    bounds
}
