//! The glue between egui and the map, shared by the window and the PNG export: the bundled
//! Chinese font installed into an egui context, the paint callback that hands a frame to the
//! [`crate::render::MapRenderer`] kept in egui-wgpu's callback resources, and the return of
//! freed memory to the system after the window's large releases.

pub mod fonts;
pub mod map_callback;

pub use map_callback::{MapCallback, UnitTables};
