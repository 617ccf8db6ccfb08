//! Pure functions over the atlas and its spatial index: what the command line and the window
//! show.

pub mod autocorrelation;
pub mod catalogue;
pub mod classify;
pub mod compare;
pub mod inequality;
pub mod mapped;
pub mod point_list;
pub mod profile;
mod profile_text;
