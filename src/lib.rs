//! county-atlas: a native atlas of Sichuan's 183 county-level units for planners.
//!
//! The data flows one way:
//!
//! ```text
//! geodata/ + imported files ─▶ atlas::Atlas ─▶ spatial::SpatialIndex ─▶ analysis ─▶ scene ─▶ renderers
//! ```
//!
//! * [`crs`]: WGS84, GCJ-02, BD-09 and the Albers equal-area projection.
//! * [`atlas`]: the immutable model (units, prefectures, indicator layers, designations, points)
//!   and its loaders, including the embedded default data.
//! * [`spatial`]: the spatial index (point location, contiguity, nearest, within-distance).
//! * [`analysis`]: pure functions over the atlas and index (county profiles, …).
//! * [`io`]: reading users' own files.

pub mod analysis;
pub mod app;
pub mod assets;
pub mod atlas;
pub mod crs;
mod csv_lines;
pub mod export;
pub mod format;
pub mod freed_memory;
pub mod i18n;
pub mod io;
pub mod paint;
pub mod render;
pub mod scene;
pub mod spatial;
