//! Tables and points from what GDAL reads (the `gdal` feature): Shapefile, GeoPackage, KML,
//! FlatGeobuf, GML, MapInfo and PostGIS (`PG:host=... dbname=...`), through the `gdal` crate.
//!
//! A Shapefile's text encoding is GDAL's to apply when the `.cpg` file or the DBF's code-page
//! byte names it. Where neither does, GDAL would read the bytes as Latin-1 and turn GBK names
//! into mojibake without a trace, so the DBF's bytes are judged here as a CSV file's are
//! (UTF-8 or GB18030) and GDAL is told; `--encoding` overrides. The gdal crate turns bytes
//! that are no character into U+FFFD silently, so the features holding one are named.

pub use super::gdal_formats::shown_name;
use super::text::{self, TextEncoding};
use gdal::vector::{FieldValue, LayerAccess};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use std::path::Path;

/// A layer's attributes as text cells, one row per feature.
#[derive(Clone, Debug)]
pub struct Attributes {
    /// The field names.
    pub headers: Vec<String>,
    /// The features' fields as text (numbers written in full, nulls empty), in feature order.
    pub rows: Vec<Vec<String>>,
    /// GDAL's driver (e.g. "ESRI Shapefile", "GPKG", "PostgreSQL").
    pub driver: String,
    /// The layer read.
    pub layer: String,
    /// How the text encoding was decided, where that is worth saying.
    pub encoding_note: Option<String>,
    /// 1-based feature numbers whose text holds U+FFFD (the first few), and their count.
    pub replaced: (Vec<u64>, usize),
}

/// Why GDAL could not give a layer.
#[derive(Debug, thiserror::Error)]
pub enum GdalSourceError {
    /// GDAL cannot open the source.
    #[error(
        "{source_name}: GDAL 无法打开:{message} / GDAL cannot open it: {message}; check the path or the connection string"
    )]
    Open {
        /// The file or connection, with any password removed.
        source_name: String,
        /// GDAL's message.
        message: String,
    },
    /// The layer named does not exist, or the source has several and none was named.
    #[error(
        "{source_name}: {problem};图层有 / the layers are: {}; name one with --table",
        available.join(", ")
    )]
    Layer {
        /// The file or connection.
        source_name: String,
        /// What is wrong.
        problem: String,
        /// The source's layers.
        available: Vec<String>,
    },
    /// Reading the features failed.
    #[error("{source_name}: GDAL 读取失败:{message} / GDAL could not read the features: {message}")]
    Read {
        /// The file or connection.
        source_name: String,
        /// GDAL's message.
        message: String,
    },
}

/// Opens `source` read-only as a vector dataset, with the Shapefile encoding decided.
pub(crate) fn open(
    source: &str,
    encoding: Option<TextEncoding>,
    update: bool,
) -> Result<(Dataset, Option<String>), GdalSourceError> {
    let (encoding_option, note) = shapefile_encoding(source, encoding);
    let option = encoding_option.map(|e| format!("ENCODING={e}"));
    let options: Vec<&str> = option.iter().map(String::as_str).collect();
    let mut flags = GdalOpenFlags::GDAL_OF_VECTOR;
    if update {
        flags |= GdalOpenFlags::GDAL_OF_UPDATE;
    }
    let dataset = Dataset::open_ex(
        source,
        DatasetOptions {
            open_flags: flags,
            open_options: (!options.is_empty()).then_some(options.as_slice()),
            ..Default::default()
        },
    )
    .map_err(|e| GdalSourceError::Open {
        source_name: shown_name(source),
        message: e.to_string(),
    })?;
    Ok((dataset, note))
}

/// Reads the attributes of `layer` (or the only layer) of `source`.
pub fn read_attributes(
    source: &str,
    layer: Option<&str>,
    encoding: Option<TextEncoding>,
) -> Result<Attributes, GdalSourceError> {
    let (dataset, encoding_note) = open(source, encoding, false)?;
    let driver = dataset.driver().short_name();
    let mut layer = pick_layer(&dataset, source, layer)?;
    let layer_name = layer.name();
    let headers: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();
    let mut rows = Vec::new();
    let mut replaced = (Vec::new(), 0usize);
    for (index, feature) in layer.features().enumerate() {
        let mut row = Vec::with_capacity(headers.len());
        for field in 0..headers.len() {
            // An unset date (KML's begin and end) is an error to the typed getter: read it
            // as text, which is empty.
            let cell = match feature.field(field) {
                Ok(value) => value.map(cell_text).unwrap_or_default(),
                Err(_) => feature
                    .field_as_string(field)
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            };
            row.push(cell);
        }
        if row.iter().any(|c| c.contains('\u{FFFD}')) {
            replaced.1 += 1;
            if replaced.0.len() < text::MAX_BAD_LINES {
                replaced.0.push(index as u64 + 1);
            }
        }
        rows.push(row);
    }
    Ok(Attributes {
        headers,
        rows,
        driver,
        layer: layer_name,
        encoding_note,
        replaced,
    })
}

/// The layer named, or the only one.
pub(crate) fn pick_layer<'a>(
    dataset: &'a Dataset,
    source: &str,
    name: Option<&str>,
) -> Result<gdal::vector::Layer<'a>, GdalSourceError> {
    let available: Vec<String> = dataset.layers().map(|l| l.name()).collect();
    let problem = match name {
        Some(name) => match dataset.layer_by_name(name) {
            Ok(layer) => return Ok(layer),
            Err(_) => format!("没有名为“{name}”的图层 / no layer named '{name}'"),
        },
        None if available.len() == 1 => {
            return dataset.layer(0).map_err(|e| GdalSourceError::Read {
                source_name: shown_name(source),
                message: e.to_string(),
            });
        }
        None if available.is_empty() => "没有图层 / it holds no layer".to_owned(),
        None => format!(
            "有 {} 个图层,请指定一个 / it holds {} layers",
            available.len(),
            available.len()
        ),
    };
    Err(GdalSourceError::Layer {
        source_name: shown_name(source),
        problem,
        available,
    })
}

/// A field as a table cell: integers in full, reals without an exponent where they are whole
/// (a code stored as a real, 510104.0, stays a code), lists joined by ';'.
fn cell_text(value: FieldValue) -> String {
    fn real(v: f64) -> String {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        }
    }
    match value {
        FieldValue::IntegerValue(v) => v.to_string(),
        FieldValue::Integer64Value(v) => v.to_string(),
        FieldValue::RealValue(v) => real(v),
        FieldValue::StringValue(v) => v,
        FieldValue::IntegerListValue(v) => join(v.iter().map(|x| x.to_string())),
        FieldValue::Integer64ListValue(v) => join(v.iter().map(|x| x.to_string())),
        FieldValue::RealListValue(v) => join(v.iter().map(|x| real(*x))),
        FieldValue::StringListValue(v) => v.join(";"),
        FieldValue::DateValue(d) => d.to_string(),
        FieldValue::DateTimeValue(d) => d.to_string(),
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(";")
}

/// The `ENCODING` open option for a Shapefile, and a note on how it was decided: `forced` where
/// given; GDAL's own choice where a `.cpg` file or the DBF's code-page byte names one; else the
/// DBF's bytes judged as UTF-8 or GB18030.
fn shapefile_encoding(
    source: &str,
    forced: Option<TextEncoding>,
) -> (Option<&'static str>, Option<String>) {
    let path = Path::new(source);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(extension.as_deref(), Some("shp" | "dbf")) {
        return (None, None);
    }
    let gdal_name = |e: TextEncoding| match e {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::Gb18030 => "GB18030",
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => "UTF-16",
    };
    if let Some(forced) = forced {
        return (
            Some(gdal_name(forced)),
            Some(format!(
                "按 --encoding 读取:{} / read as {} (--encoding)",
                forced.name(),
                forced.name()
            )),
        );
    }
    let sibling = |ext: &str| {
        let upper = path.with_extension(ext.to_ascii_uppercase());
        let lower = path.with_extension(ext);
        [lower, upper].into_iter().find(|p| p.is_file())
    };
    if let Some(cpg) = sibling("cpg") {
        let named = std::fs::read_to_string(&cpg).unwrap_or_default();
        return (
            None,
            Some(format!(
                "编码取自 .cpg 文件:{} / encoding from the .cpg file: {}",
                named.trim(),
                named.trim()
            )),
        );
    }
    let Some(dbf) = sibling("dbf") else {
        return (None, None);
    };
    // The header and the first records are evidence enough; a DBF may be gigabytes.
    let mut bytes = Vec::new();
    let read = std::fs::File::open(&dbf)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 1 << 20), &mut bytes));
    if read.is_err() {
        return (None, None);
    }
    // The DBF header: byte 29 is the code page (0: not given), bytes 8–9 the header's length.
    if bytes.len() < 32 || bytes[29] != 0 {
        return (None, None);
    }
    let header_length = usize::from(u16::from_le_bytes([bytes[8], bytes[9]])).min(bytes.len());
    // Field names (in the header) and records both carry text.
    let text_bytes: Vec<u8> = bytes[32..header_length]
        .iter()
        .chain(&bytes[header_length..])
        .copied()
        .collect();
    if text_bytes.is_ascii() {
        return (None, None);
    }
    let guessed = text::guess_encoding(&text_bytes);
    (
        Some(gdal_name(guessed)),
        Some(format!(
            "没有 .cpg 文件,DBF 也未写明编码:据其字节按 {} 读取;如不对请用 --encoding / no .cpg file and no code page in the DBF: read as {}, judged from its bytes; give --encoding if that is wrong",
            guessed.name(),
            guessed.name()
        )),
    )
}

/// The points of a GDAL layer, in WGS84 longitude/latitude.
#[derive(Clone, Debug)]
pub struct GdalPoints {
    /// The points, in feature order.
    pub points: Vec<crate::crs::LonLat>,
    /// Features without a point geometry (empty, or a line or polygon), by number, the first
    /// few, and their count.
    pub skipped: (Vec<u64>, usize),
    /// The layer read.
    pub layer: String,
    /// GDAL's driver.
    pub driver: String,
    /// The layer's coordinate system as GDAL names it ("EPSG:4326"), where it has one.
    pub srs: Option<String>,
}

/// Reads the point features of `layer` (or the only layer) of `source`. Coordinates in another
/// system than WGS84 longitude/latitude are transformed by GDAL (PROJ); `crs` then says how the
/// longitude/latitude are to be taken (GCJ-02 and BD-09 are converted by the atlas).
pub fn read_points(
    source: &str,
    layer: Option<&str>,
    crs: crate::crs::Crs,
) -> Result<GdalPoints, GdalSourceError> {
    use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
    use gdal::vector::OGRwkbGeometryType;
    let read_error = |e: gdal::errors::GdalError| GdalSourceError::Read {
        source_name: shown_name(source),
        message: e.to_string(),
    };
    let (dataset, _) = open(source, None, false)?;
    let driver = dataset.driver().short_name();
    let mut layer = pick_layer(&dataset, source, layer)?;
    let layer_name = layer.name();
    let layer_srs = layer.spatial_ref();
    let srs = layer_srs
        .as_ref()
        .and_then(|s| Some(format!("{}:{}", s.auth_name()?, s.auth_code().ok()?)));
    let wgs84 = srs.as_deref() == Some("EPSG:4326") || layer_srs.is_none();
    let transform = if wgs84 {
        None
    } else {
        let mut target = SpatialRef::from_epsg(4326).map_err(read_error)?;
        target.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        let mut from = layer_srs.clone().expect("checked above");
        from.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
        Some(CoordTransform::new(&from, &target).map_err(read_error)?)
    };
    let mut points = Vec::new();
    let mut skipped = (Vec::new(), 0usize);
    for (index, feature) in layer.features().enumerate() {
        let point = feature.geometry().and_then(|g| {
            let flat = gdal::vector::geometry_type_flatten(g.geometry_type());
            (flat == OGRwkbGeometryType::wkbPoint && !g.is_empty()).then(|| {
                let (x, y, _) = g.get_point(0);
                [x, y]
            })
        });
        let Some(mut point) = point else {
            skipped.1 += 1;
            if skipped.0.len() < text::MAX_BAD_LINES {
                skipped.0.push(index as u64 + 1);
            }
            continue;
        };
        if let Some(transform) = &transform {
            let (mut x, mut y, mut z) = ([point[0]], [point[1]], [0.0]);
            transform
                .transform_coords(&mut x, &mut y, &mut z)
                .map_err(read_error)?;
            point = [x[0], y[0]];
        }
        points.push(crs.to_wgs84(point));
    }
    Ok(GdalPoints {
        points,
        skipped,
        layer: layer_name,
        driver,
        srs,
    })
}
