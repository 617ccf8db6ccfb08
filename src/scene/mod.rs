//! What to draw, independent of how: projected and triangulated geometry (built once), the
//! camera, per-unit colours from a layer, labels, point symbols, legend and map furniture.
//! Knows the atlas, never egui or wgpu; the window and the exporters both draw from here.

mod backdrop_outline;
pub mod camera;
pub mod choropleth;
pub mod furniture;
pub mod geometry;
pub mod labels;
pub mod palette;
pub mod points;
mod polylabel;
pub mod simplify;
pub mod theme;
pub mod topology;

pub use camera::{Camera, WorldRect};
pub use choropleth::{Choropleth, ChoroplethError, LegendEntry, MapSpec, legend_number};
pub use geometry::{
    BorderKind, FillMesh, GeometryLevel, LEVEL_TOLERANCES, LabelAnchor, MapGeometry, Segment,
};
pub use palette::{Palette, SchemeKind};
pub use polylabel::polylabel;
pub use theme::{Rgba, Theme};
