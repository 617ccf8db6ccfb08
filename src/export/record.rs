//! The reproducibility record written into every export (PNG text chunks, SVG metadata, PDF
//! document information): enough to make the same map again and to cite it.

use crate::analysis::mapped::Normalization;
use crate::atlas::BoundaryProvenance;
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
    /// ColorBrewer scheme.
    pub palette: String,
    /// Scheme reversed.
    pub reversed: bool,
    /// Every source behind the values.
    pub sources: Vec<String>,
    /// Where the boundaries come from.
    pub boundary: BoundaryProvenance,
    /// The projection (PROJ string).
    pub projection: String,
    /// The focus region or prefecture, if any.
    pub focus: Option<String>,
    /// The map review number (审图号), if given.
    pub review_number: Option<String>,
}

impl Record {
    /// The record as compact JSON.
    pub fn to_json(&self) -> String {
        // A struct of strings and numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }
}
