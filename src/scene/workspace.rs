//! What maps are made from: the atlas, its spatial index, the map geometry, and the layers a
//! user brought beside the built-in ones. Built once; the window, the command line and every
//! export share it.

use super::geometry::MapGeometry;
use crate::analysis::composite::StoredIndex;
use crate::atlas::{Atlas, Layer, LoadError};
use crate::spatial::SpatialIndex;
use std::sync::{Arc, OnceLock};

/// The data behind every map. Cloning is cheap (the atlas, geometry and index are shared), so
/// that a window can add a user's layer while an export made from the previous workspace is
/// still being written.
#[derive(Clone)]
pub struct Workspace {
    /// The atlas.
    pub atlas: Arc<Atlas>,
    /// The map's projected, triangulated geometry.
    pub geometry: Arc<MapGeometry>,
    /// The spatial index, built on first use: an export never asks for it.
    index: Arc<OnceLock<SpatialIndex>>,
    /// Layers from the user's files, looked up after the atlas's own.
    user_layers: Vec<Layer>,
    /// The innovation index's layers (`index:…`), replaced together when the index is
    /// computed again; kept apart from the user's files (a project stores the definition, not
    /// its results).
    index_layers: Vec<Layer>,
    /// The definition behind `index_layers`.
    index_source: Option<StoredIndex>,
    /// Each designation list as a categorical layer of its own (named, candidate, whole
    /// prefecture, not named), under the list's id.
    designation_layers: Arc<Vec<Layer>>,
}

impl Workspace {
    /// Everything from the embedded data, the index and the geometry built in parallel.
    pub fn builtin() -> Result<Self, LoadError> {
        Ok(Self::from_atlas(Atlas::builtin()?))
    }

    /// Builds the index and every level of the geometry of `atlas` (the window's needs).
    pub fn from_atlas(atlas: Atlas) -> Self {
        let (index, geometry) = rayon::join(
            || SpatialIndex::build(&atlas),
            || MapGeometry::build(&atlas),
        );
        let workspace = Workspace::new(atlas, geometry);
        let _ = workspace.index.set(index);
        workspace
    }

    /// A workspace over geometry built beforehand (an export builds only the level it draws);
    /// the index is built if something asks for it.
    pub fn new(atlas: Atlas, geometry: MapGeometry) -> Self {
        let designation_layers = atlas
            .designations()
            .iter()
            .map(|d| d.as_layer(&atlas))
            .collect();
        Workspace {
            atlas: Arc::new(atlas),
            geometry: Arc::new(geometry),
            index: Arc::new(OnceLock::new()),
            user_layers: Vec::new(),
            index_layers: Vec::new(),
            index_source: None,
            designation_layers: Arc::new(designation_layers),
        }
    }

    /// The spatial index (hit-testing, neighbours), built on the first call.
    pub fn index(&self) -> &SpatialIndex {
        self.index.get_or_init(|| SpatialIndex::build(&self.atlas))
    }

    /// A layer by id: the atlas's own, one of the user's, or a designation list mapped on its
    /// own.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.atlas
            .layer(id)
            .or_else(|| self.user_layers.iter().find(|l| l.id == id))
            .or_else(|| self.index_layers.iter().find(|l| l.id == id))
            .or_else(|| self.designation_layers.iter().find(|l| l.id == id))
    }

    /// Every layer: the atlas's, the user's, then the designation lists.
    pub fn layers(&self) -> impl Iterator<Item = &Layer> {
        self.atlas
            .layers()
            .iter()
            .chain(&self.user_layers)
            .chain(&self.index_layers)
            .chain(self.designation_layers.iter())
    }

    /// Replaces the index's layers (all of them: an index computed again, or another one)
    /// and the definition that made them (written into the record of what shows them).
    pub fn set_index_layers(&mut self, layers: Vec<Layer>, source: StoredIndex) {
        self.index_layers = layers;
        self.index_source = Some(source);
    }

    /// Removes the index (a project without one replacing one with).
    pub fn clear_index(&mut self) {
        self.index_layers.clear();
        self.index_source = None;
    }

    /// The definition of the index's layers, if one is computed.
    pub fn index_source(&self) -> Option<&StoredIndex> {
        self.index_source.as_ref()
    }

    /// The index's layers, if one is computed.
    pub fn index_layers(&self) -> &[Layer] {
        &self.index_layers
    }

    /// Removes every layer of the user's (a project being replaced by another).
    pub fn clear_user_layers(&mut self) {
        self.user_layers.clear();
    }

    /// The layers from the user's files, in the order they were added.
    pub fn user_layers(&self) -> &[Layer] {
        &self.user_layers
    }

    /// Adds a layer of the user's, replacing one of theirs with the same id. A layer may not
    /// take a built-in layer's id (its values would never be found): that is an error.
    pub fn add_layer(&mut self, layer: Layer) -> Result<(), String> {
        if self.atlas.layer(&layer.id).is_some() || self.atlas.designation(&layer.id).is_some() {
            return Err(format!(
                "“{0}”已是内置图层的编号,请换一个名称 / '{0}' is a built-in layer's id; choose another name",
                layer.id
            ));
        }
        self.user_layers.retain(|l| l.id != layer.id);
        self.user_layers.push(layer);
        Ok(())
    }
}
