//! A project file: the work in progress (the layers a user imported, with their values, names,
//! units and citations, and the window's view) in one JSON file that reopens on another
//! machine. The imported data is embedded, so the project does not depend on where the
//! original tables were; values are keyed by adcode, not by the atlas's internal order.

use crate::atlas::{
    Adcode, Atlas, Citation, Document, Layer, LayerKind, Level, Measure, Observation, SourceId,
};
use crate::i18n::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file format's version; a file of a later version is refused with a clear message.
pub const VERSION: u32 = 1;

/// A project: the user's layers and a view of type `V` (the window's).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Project<V> {
    /// The format's version.
    pub version: u32,
    /// The layers the user imported.
    pub layers: Vec<StoredLayer>,
    /// The point lists the user imported.
    #[serde(default)]
    pub points: Vec<StoredPoints>,
    /// The innovation index computed, as its definition: opened, the project computes it
    /// again on its layers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<crate::analysis::composite::StoredIndex>,
    /// The view (layer, classes, overlays, camera, ...).
    pub view: V,
}

/// A user's layer as stored: everything that describes it, and its values by year and adcode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredLayer {
    /// The layer's id (`user:…`).
    pub id: String,
    /// Its name, Chinese and English.
    pub name: [String; 2],
    /// Its unit, Chinese and English.
    pub unit: [String; 2],
    /// "amount" or "rate".
    pub measure: String,
    /// Its caveat, Chinese and English.
    pub caveat: Option<[String; 2]>,
    /// The document it cites: title, issuer, year.
    pub document: Option<(String, String, Option<i32>)>,
    /// Where the copy was read.
    pub address: Option<String>,
    /// Values by year, each a list of (adcode, value).
    pub values: BTreeMap<i32, Vec<(Adcode, f64)>>,
}

/// A user's point list as stored: its names and positions (their counties are found again
/// when the project opens).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredPoints {
    /// The layer's id (`user:…`).
    pub id: String,
    /// Its name, Chinese and English.
    pub name: [String; 2],
    /// Its caveat, Chinese and English.
    pub caveat: Option<[String; 2]>,
    /// Each point: name, longitude, latitude (WGS84).
    pub points: Vec<(String, f64, f64)>,
}

impl StoredPoints {
    /// A point layer read from a user's file, as stored.
    pub fn from_layer(layer: &crate::atlas::PointLayer) -> Self {
        StoredPoints {
            id: layer.id.clone(),
            name: [layer.name.zh.clone(), layer.name.en.clone()],
            caveat: layer.caveat.as_ref().map(|c| [c.zh.clone(), c.en.clone()]),
            points: layer
                .features
                .iter()
                .filter_map(|f| f.position.map(|[x, y]| (f.name.clone(), x, y)))
                .collect(),
        }
    }

    /// The names and positions, to be placed in counties again.
    pub fn names_and_points(&self) -> (Vec<String>, Vec<crate::crs::LonLat>) {
        self.points
            .iter()
            .map(|(name, x, y)| (name.clone(), [*x, *y]))
            .unzip()
    }
}

/// Why a project could not be opened or saved.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file could not be read.
    #[error(transparent)]
    Input(#[from] super::input_file::InputError),
    /// Not a project file, or a damaged one.
    #[error("{}:{line}: 不是有效的项目文件 / not a valid project file: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The line of the fault.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Written by a later version of the atlas.
    #[error("{}: 项目文件版本为 {found},本程序只读到版本 {VERSION};请更新 county-atlas / the project is of version {found}; this program reads up to {VERSION}: update county-atlas", path.display())]
    Version {
        /// The file.
        path: PathBuf,
        /// The file's version.
        found: u32,
    },
    /// A layer names a county the atlas does not have.
    #[error("{}: 图层“{layer}”含未知区划代码 {adcode} / layer '{layer}' holds the unknown adcode {adcode}", path.display())]
    UnknownUnit {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The code.
        adcode: Adcode,
    },
    /// The project could not be written.
    #[error(transparent)]
    Write(#[from] super::WriteError),
    /// The project could not be serialised (never for the atlas's own types).
    #[error("项目无法写出 / the project cannot be written: {0}")]
    Serialise(String),
}

impl StoredLayer {
    /// A layer read from a user's file, as stored.
    pub fn from_layer(layer: &Layer, atlas: &Atlas) -> Self {
        let units = atlas.units();
        StoredLayer {
            id: layer.id.clone(),
            name: [layer.name.zh.clone(), layer.name.en.clone()],
            unit: [layer.unit.zh.clone(), layer.unit.en.clone()],
            measure: match layer.measure {
                Measure::Amount => "amount",
                Measure::Rate => "rate",
            }
            .to_owned(),
            caveat: layer.caveat.as_ref().map(|c| [c.zh.clone(), c.en.clone()]),
            document: layer
                .citation
                .as_ref()
                .and_then(|c| c.document.as_ref())
                .map(|d| (d.title.clone(), d.issuer.clone(), d.year)),
            address: layer.citation.as_ref().and_then(|c| c.address.clone()),
            values: layer
                .values
                .iter()
                .map(|(&year, values)| {
                    let listed = values
                        .iter()
                        .zip(units)
                        .filter_map(|(v, u)| v.as_ref().map(|o| (u.adcode, o.value)))
                        .collect();
                    (year, listed)
                })
                .collect(),
        }
    }

    /// The layer over `atlas`'s units; `None` names the first adcode the atlas lacks.
    pub fn to_layer(&self, atlas: &Atlas) -> Result<Layer, Adcode> {
        let mut values = BTreeMap::new();
        for (&year, listed) in &self.values {
            let mut column: Vec<Option<Observation>> = vec![None; atlas.units().len()];
            for &(adcode, value) in listed {
                let unit = atlas.unit_by_adcode(adcode).ok_or(adcode)?;
                column[unit.id.index()] = Some(Observation {
                    value,
                    source: SourceId::USER,
                    note: None,
                });
            }
            values.insert(year, column);
        }
        let text = |t: &[String; 2]| Text::new(t[0].clone(), t[1].clone());
        let citation = (self.document.is_some() || self.address.is_some()).then(|| Citation {
            document: self
                .document
                .as_ref()
                .map(|(title, issuer, year)| Document {
                    title: title.clone(),
                    issuer: issuer.clone(),
                    year: *year,
                }),
            address: self.address.clone(),
        });
        Ok(Layer {
            id: self.id.clone(),
            name: text(&self.name),
            unit: text(&self.unit),
            level: Level::County,
            kind: LayerKind::Numeric,
            measure: if self.measure == "amount" {
                Measure::Amount
            } else {
                Measure::Rate
            },
            caveat: self.caveat.as_ref().map(text),
            computed: false,
            values,
            province: BTreeMap::new(),
            citation,
            derived_from: Vec::new(),
        })
    }
}

/// Writes a project atomically (an existing file is replaced only when the new one is whole).
pub fn save<V: Serialize>(path: &Path, project: &Project<V>) -> Result<(), ProjectError> {
    let json =
        serde_json::to_vec_pretty(project).map_err(|e| ProjectError::Serialise(e.to_string()))?;
    super::write_atomic(path, &json)?;
    Ok(())
}

/// Reads a project and its layers over `atlas`.
pub fn open<V: for<'de> Deserialize<'de>>(
    path: &Path,
    atlas: &Atlas,
) -> Result<(Project<V>, Vec<Layer>), ProjectError> {
    let bytes = super::input_file::read_input(path, super::input_file::MAX_TABLE_BYTES)?;
    // The version first, so that a later format is named as such, not as damage.
    #[derive(Deserialize)]
    struct Versioned {
        version: u32,
    }
    let format = |e: serde_json::Error| ProjectError::Format {
        path: path.to_owned(),
        line: e.line(),
        message: e.to_string(),
    };
    let versioned: Versioned = serde_json::from_slice(&bytes).map_err(format)?;
    if versioned.version > VERSION {
        return Err(ProjectError::Version {
            path: path.to_owned(),
            found: versioned.version,
        });
    }
    let project: Project<V> = serde_json::from_slice(&bytes).map_err(format)?;
    let layers = project
        .layers
        .iter()
        .map(|stored| {
            stored
                .to_layer(atlas)
                .map_err(|adcode| ProjectError::UnknownUnit {
                    path: path.to_owned(),
                    layer: stored.id.clone(),
                    adcode,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((project, layers))
}
