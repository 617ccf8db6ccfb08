//! What to draw, independent of how: projected and triangulated geometry (built once), the
//! camera, the map document and its styling (per-unit colours and flags, the legend), labels,
//! point symbols and map furniture. Knows the atlas, never egui or wgpu; the window and the
//! exporters both draw what [`compose`] makes.

mod backdrop_outline;
pub mod camera;
pub mod choropleth;
pub mod compose;
pub mod document;
pub mod furniture;
pub mod geometry;
pub mod labels;
pub mod palette;
pub mod points;
mod polylabel;
pub mod rings;
pub mod simplify;
pub mod style;
pub mod theme;
pub mod topology;
mod triangle_order;
pub mod workspace;

pub use camera::{Camera, WorldRect};
pub use choropleth::{
    Choropleth, ChoroplethError, LegendEntry, LockedBreaks, MapSpec, legend_number,
};
pub use compose::{Frame, MapScene, NameSizes, Symbol, bounds_of, compose};
pub use document::{Focus, MapDocument, Overlay, OverlayStyle};
pub use geometry::{
    BorderKind, FillMesh, GeometryLevel, LEVEL_TOLERANCES, LabelAnchor, MapGeometry, Segment,
};
pub use palette::{Palette, SchemeKind};
pub use polylabel::polylabel;
pub use rings::{PlacedRings, Rings, RingsAround};
pub use style::{Count, Legend, LegendItem, MapPoint, MapStyle, Swatch, flags};
pub use theme::{Rgba, Theme};
pub use workspace::Workspace;
