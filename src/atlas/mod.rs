//! The atlas model: Sichuan's county-level units with their boundaries, prefectures and
//! economic regions, indicator layers, designations and point features, each value with its
//! source. Immutable once loaded.
//!
//! [`Atlas::builtin`] loads the default data embedded in the binary (from `geodata/`);
//! [`Atlas::load_dir`] loads the same files from a folder.

mod builtin;
pub mod codec;
mod codes;
mod designation;
mod designation_layer;
mod error;
mod layer;
mod names;
mod points;
mod region;
mod source;
mod table;
mod unit;
mod vintage;

pub use codes::{AreaChange, AreaChangeKind, DivisionCodes, Lineage};
pub use designation::{Designation, DesignationStatus, Membership, Target};
pub use error::LoadError;
pub use layer::{Layer, LayerKind, Level, Measure, Observation, YearValues, display_unit};
pub use names::{NameIndex, NameMatch, ResolveError, Resolved, short_county_name};
pub use points::{PointFeature, PointLayer, Precision};
pub use region::EconomicRegion;
pub use source::{BoundaryProvenance, Citation, Document, SourceId, copy_addresses};
pub use unit::{Adcode, FormerName, Prefecture, PrefectureId, Unit, UnitId, short_prefecture_name};
pub use vintage::AreaFit;

use crate::crs::Albers;

/// The first four-digit year in a label such as "2017-2018" or "≤2013".
pub fn first_year_of(label: &str) -> Option<i32> {
    builtin::first_year(label)
}
use geo::MultiPolygon;
use std::borrow::Cow;
use std::path::Path;

/// A neighbouring province, drawn as a muted backdrop.
#[derive(Clone, Debug)]
pub struct BackdropRegion {
    /// Province-level adcode, e.g. 500000.
    pub adcode: Adcode,
    /// Name, e.g. 重庆市.
    pub name: String,
    /// Its name in English (Chongqing Municipality).
    pub name_en: String,
    /// Simplified boundary in WGS84.
    pub geometry: MultiPolygon<f64>,
    /// The same in the atlas's Albers projection, metres.
    pub projected: MultiPolygon<f64>,
}

impl BackdropRegion {
    /// Its name as a map labels it: in Chinese in full (云南省), in English without the kind
    /// of province (Yunnan, Xizang (Tibet)), as English maps name them.
    pub fn label_in(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Zh => &self.name,
            crate::i18n::Lang::En => [" Autonomous Region", " Municipality", " Province"]
                .iter()
                .find_map(|kind| self.name_en.strip_suffix(kind))
                .unwrap_or(&self.name_en),
        }
    }

    /// Its name in `lang`.
    pub fn name_in(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Zh => &self.name,
            crate::i18n::Lang::En => &self.name_en,
        }
    }
}

/// A document (if known) and the address where its copy was read, as one citation. With a
/// document, only the addresses of the source are kept ([`copy_addresses`]); without one, the
/// source is the whole citation.
pub fn cite(document: Option<&Document>, source: &str, lang: crate::i18n::Lang) -> String {
    match document {
        Some(document) => format!(
            "{}; {}{}",
            document.cite(),
            crate::i18n::tr(lang, "所据副本:", "copy read at: "),
            copy_addresses(source)
        ),
        None => source.to_owned(),
    }
}

/// Sichuan's county-level units and everything known about them.
#[derive(Clone, Debug)]
pub struct Atlas {
    units: Vec<Unit>,
    prefectures: Vec<Prefecture>,
    layers: Vec<Layer>,
    designations: Vec<Designation>,
    point_layers: Vec<PointLayer>,
    backdrop: Vec<BackdropRegion>,
    sources: Vec<String>,
    /// For each source, the official document it is a copy of, where known.
    documents: Vec<Option<Document>>,
    boundary: BoundaryProvenance,
    names: NameIndex,
    codes: DivisionCodes,
    projection: Albers,
    stored_topology: Option<Cow<'static, [u8]>>,
}

impl Atlas {
    /// Loads the default data embedded in the binary. Works from any directory, offline.
    pub fn builtin() -> Result<Self, LoadError> {
        builtin::load(&builtin::Embedded)
    }

    /// Loads the default data's files from a folder laid out like `geodata/`.
    pub fn load_dir(dir: &Path) -> Result<Self, LoadError> {
        builtin::load(&builtin::Folder(dir.to_path_buf()))
    }

    /// The county-level units, indexed by [`UnitId`], in adcode order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// One unit.
    pub fn unit(&self, id: UnitId) -> &Unit {
        &self.units[id.index()]
    }

    /// The unit with this current adcode.
    pub fn unit_by_adcode(&self, adcode: Adcode) -> Option<&Unit> {
        self.units
            .binary_search_by_key(&adcode, |u| u.adcode)
            .ok()
            .map(|i| &self.units[i])
    }

    /// The prefectures, indexed by [`PrefectureId`], in adcode order.
    pub fn prefectures(&self) -> &[Prefecture] {
        &self.prefectures
    }

    /// One prefecture.
    pub fn prefecture(&self, id: PrefectureId) -> &Prefecture {
        &self.prefectures[id.index()]
    }

    /// The prefecture a unit belongs to.
    pub fn prefecture_of(&self, unit: &Unit) -> &Prefecture {
        self.prefecture(unit.prefecture)
    }

    /// The indicator layers.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The layer with this id.
    pub fn layer(&self, id: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.id == id)
    }

    /// The designation lists.
    pub fn designations(&self) -> &[Designation] {
        &self.designations
    }

    /// The designation with this id.
    pub fn designation(&self, id: &str) -> Option<&Designation> {
        self.designations.iter().find(|d| d.id == id)
    }

    /// The point layers: the built-in ones, then any a user added.
    pub fn point_layers(&self) -> &[PointLayer] {
        &self.point_layers
    }

    /// Removes the point layers a user added (a project being replaced by another).
    pub fn clear_user_point_layers(&mut self) {
        self.point_layers.retain(|l| !l.id.starts_with("user:"));
    }

    /// Adds a point layer read from a user's file, after the built-in ones (replacing a user's
    /// layer of the same id). Its id must be a user's (`user:…`), so that it can never shadow
    /// a built-in layer.
    pub fn add_point_layer(&mut self, layer: PointLayer) -> Result<(), String> {
        if !layer.id.starts_with("user:") {
            return Err(format!(
                "“{0}”不是用户图层编号(应以 user: 开头) / '{0}' is no user layer id (it must begin with user:)",
                layer.id
            ));
        }
        self.point_layers.retain(|l| l.id != layer.id);
        self.point_layers.push(layer);
        Ok(())
    }

    /// The neighbouring provinces.
    pub fn backdrop(&self) -> &[BackdropRegion] {
        &self.backdrop
    }

    /// The citation behind a [`SourceId`] ([`SourceId::USER`] for the user's own files).
    pub fn source(&self, id: SourceId) -> &str {
        self.sources.get(id.0 as usize).map_or(
            "user data (the layer's note names the file)",
            String::as_str,
        )
    }

    /// The distinct source texts of `ids`, in first-use order.
    pub fn distinct_sources(&self, ids: impl IntoIterator<Item = SourceId>) -> Vec<String> {
        let mut sources: Vec<String> = Vec::new();
        for id in ids {
            let source = self.source(id);
            if !sources.iter().any(|s| s == source) {
                sources.push(source.to_owned());
            }
        }
        sources
    }

    /// The official document behind a source, where the citation names one
    /// (`geodata/source_documents.csv`); `None` for the user's own values and for sources
    /// that are news reports or lists with no document named.
    pub fn document(&self, id: SourceId) -> Option<&Document> {
        self.documents.get(id.0 as usize)?.as_ref()
    }

    /// A source as a briefing cites it: the official document first, then where the copy was
    /// read ("《…》(issuer, year); 所据副本: address"), or the address alone.
    pub fn citation(&self, id: SourceId, lang: crate::i18n::Lang) -> String {
        cite(self.document(id), self.source(id), lang)
    }

    /// Where the boundaries come from.
    pub fn boundary_provenance(&self) -> &BoundaryProvenance {
        &self.boundary
    }

    /// The counties' shared-border topology as `build-geodata` stored it (`topology.bin`),
    /// opaque here: the scene decodes it, and uses it only if it was made from exactly these
    /// boundaries.
    pub fn stored_topology(&self) -> Option<&[u8]> {
        self.stored_topology.as_deref()
    }

    /// The Albers projection used for display, export, areas and distances.
    pub fn projection(&self) -> &Albers {
        &self.projection
    }

    /// Finds a unit by name, former name, prefecture-qualified name or adcode.
    ///
    /// ```
    /// use county_atlas::atlas::Atlas;
    /// let atlas = Atlas::builtin()?;
    /// for query in ["郫都区", "郫都", "郫县", "510117", "成都郫县"] {
    ///     assert_eq!(atlas.unit(atlas.resolve(query).unwrap().unit).name, "郫都区");
    /// }
    /// assert!(atlas.resolve("市中区").is_err()); // 乐山 or 内江? Ask.
    /// # Ok::<(), county_atlas::atlas::LoadError>(())
    /// ```
    pub fn resolve(&self, query: &str) -> Result<Resolved, ResolveError> {
        self.resolve_with(query, true)
    }

    /// [`Self::resolve`], with the closest names for an unknown query only when `suggest`:
    /// readers of large tables ask for them for the first few unknown keys only.
    pub fn resolve_with(&self, query: &str, suggest: bool) -> Result<Resolved, ResolveError> {
        match self.names.resolve_with(&self.units, query, suggest) {
            Err(not_found @ ResolveError::NotFound { .. }) => self
                .names
                .resolve_through_history(&self.codes, query)
                .unwrap_or(Err(not_found)),
            found => found,
        }
    }

    /// Sichuan's division codes since 1981: what old codes became, and how today's units'
    /// areas changed.
    pub fn division_codes(&self) -> &DivisionCodes {
        &self.codes
    }

    /// "名称 (adcode, 地市)" for a unit, as used in messages.
    pub fn describe(&self, unit: UnitId) -> &str {
        self.names.describe(unit)
    }
}
