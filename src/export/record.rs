//! The reproducibility record written into every export (PNG text chunks, SVG metadata, PDF
//! document information): enough to make the same map again and to cite it.

use crate::analysis::mapped::Normalization;
use crate::atlas::{BoundaryProvenance, Document};
use crate::scene::{MapDocument, OverlayStyle};
use serde::{Deserialize, Serialize};

/// What an exported map shows and how it was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// "county-atlas".
    pub software: String,
    /// The app's version.
    pub version: String,
    /// The date printed on the map.
    pub date: String,
    /// Layer id.
    pub layer: String,
    /// Layer name (Chinese).
    pub layer_name: String,
    /// Year mapped.
    pub year: i32,
    /// Normalisation.
    pub normalization: Normalization,
    /// Classification method id.
    pub method: String,
    /// Its parameters, as JSON (hinge, manual breaks).
    pub method_parameters: serde_json::Value,
    /// Upper bounds of the classes.
    pub breaks: Vec<f64>,
    /// Counties per class.
    pub counts: Vec<usize>,
    /// Counties without a value.
    pub no_data: usize,
    /// Counties with a value (of `units`).
    #[serde(default)]
    pub coverage: usize,
    /// Counties on the map.
    #[serde(default)]
    pub units: usize,
    /// ColorBrewer scheme.
    pub palette: String,
    /// Scheme reversed.
    pub reversed: bool,
    /// Every source behind the values: where each copy was read.
    pub sources: Vec<String>,
    /// The official documents those copies are of, where known.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// Where the boundaries come from.
    pub boundary: BoundaryProvenance,
    /// The projection (PROJ string).
    pub projection: String,
    /// The focus region or prefecture, if any.
    pub focus: Option<String>,
    /// The map review number (审图号), if given.
    pub review_number: Option<String>,
    /// The designation lists drawn over the map.
    #[serde(default)]
    pub overlays: Vec<RecordOverlay>,
    /// The point layers drawn.
    #[serde(default)]
    pub points: Vec<RecordPoints>,
    /// The grouping of the comparison set beside the map, if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare: Option<crate::analysis::grouping::Grouping>,
    /// The innovation index's definition, where the page shows the index (its map or a
    /// county report): the file's text, its year, classes and draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<crate::analysis::composite::StoredIndex>,
    /// The whole map document: read back into the window or the command line, it makes the
    /// same map.
    #[serde(default)]
    pub document: MapDocument,
}

/// A designation list drawn over an exported map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordOverlay {
    /// Designation id.
    pub id: String,
    /// Its name (Chinese).
    pub name: String,
    /// Hatch or outline.
    pub style: OverlayStyle,
    /// Counties it names.
    pub counties: usize,
    /// Prefectures it names as a whole.
    pub prefectures: usize,
    /// Where the list was read.
    pub sources: Vec<String>,
}

/// A point layer drawn on an exported map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordPoints {
    /// Point layer id.
    pub id: String,
    /// Its name (Chinese).
    pub name: String,
    /// Features with a position (drawn).
    pub placed: usize,
    /// Features in the layer.
    pub features: usize,
    /// Where the features were read.
    pub sources: Vec<String>,
}

impl Record {
    /// The record as compact JSON.
    pub fn to_json(&self) -> String {
        // A struct of strings and numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }
}
