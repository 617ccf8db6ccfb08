//! What the window works from, built once at start-up: the atlas, its spatial index and the
//! map geometry.

use crate::atlas::{Atlas, LoadError};
use crate::scene::MapGeometry;
use crate::spatial::SpatialIndex;

/// The immutable data behind the window.
pub struct AtlasData {
    /// The atlas.
    pub atlas: Atlas,
    /// Its spatial index (hit-testing, neighbours).
    pub index: SpatialIndex,
    /// The map's projected, triangulated geometry.
    pub geometry: MapGeometry,
}

impl AtlasData {
    /// Builds everything from the embedded data (index and geometry in parallel).
    pub fn builtin() -> Result<Self, LoadError> {
        Ok(Self::from_atlas(Atlas::builtin()?))
    }

    /// Builds the index and geometry of an atlas.
    pub fn from_atlas(atlas: Atlas) -> Self {
        let (index, geometry) = rayon::join(
            || SpatialIndex::build(&atlas),
            || MapGeometry::build(&atlas),
        );
        AtlasData {
            atlas,
            index,
            geometry,
        }
    }
}
