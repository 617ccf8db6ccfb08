//! Pure functions over the atlas and its spatial index: what the command line and the window
//! show.

pub mod access;
pub mod autocorrelation;
pub mod catalogue;
pub mod centres;
pub mod chart_data;
pub mod classify;
pub mod compare;
pub mod composite;
pub mod group_compare;
pub mod grouping;
pub mod inequality;
pub mod mapped;
pub mod point_list;
pub mod profile;
mod profile_text;
pub use profile_text::series_line;
pub mod result_layers;
