//! The glue between egui and the map, shared by the window and the PNG export: the bundled
//! Chinese font installed into an egui context, and the paint callback that hands a frame to
//! the [`crate::render::MapRenderer`] kept in egui-wgpu's callback resources.

pub mod fonts;
pub mod map_callback;

pub use map_callback::{MapCallback, UnitTables};
