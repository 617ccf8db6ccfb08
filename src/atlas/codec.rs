//! The compact boundary format of `geodata/*.cageo`.
//!
//! Full-resolution boundaries as GeoJSON would weigh 6 MB and take tens of milliseconds to
//! parse; this format keeps every vertex at 1e-7° (about 1 cm) in about a fifth of the size
//! and decodes in a few milliseconds. It is simple enough to read in 40 lines of Python
//! (`scripts/fixtures/cageo.py` does, for the reference fixtures).
//!
//! Layout, all integers little-endian:
//!
//! ```text
//! magic    8 bytes   "CAGEO\0\0" followed by the version byte (1)
//! header   u32 length, then that many bytes of UTF-8 JSON:
//!          {"crs": "EPSG:4326", "scale": 10000000, "features": [{"adcode": "510104", ...}, ...]}
//! then, for each feature in header order:
//!          varint polygon count
//!          for each polygon: varint ring count (exterior first, then holes)
//!            for each ring: varint vertex count n (the closing vertex is not stored),
//!                           then n pairs of zigzag varints (dx, dy)
//! ```
//!
//! Coordinates are integers `round(degrees × scale)`, each delta-coded against the previous
//! vertex of the same feature (the first against 0). A reader recovers degrees as
//! `integer / scale` (an IEEE division, so every reader gets bit-identical `f64` values:
//! the reference fixtures depend on that).

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Magic bytes and format version.
const MAGIC: &[u8; 8] = b"CAGEO\0\0\x01";

/// Properties of one feature: plain strings, as in the source GeoJSON.
pub type Properties = BTreeMap<String, String>;

/// One decoded feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// The feature's properties (adcode, name, ...).
    pub properties: Properties,
    /// Its geometry in the file's coordinate system.
    pub geometry: MultiPolygon<f64>,
}

/// The JSON header of a `.cageo` file.
#[derive(Serialize, Deserialize)]
struct Header {
    crs: String,
    scale: u32,
    features: Vec<Properties>,
}

/// Why a `.cageo` file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file does not start with the magic bytes.
    #[error("not a county-atlas boundary file (the first 8 bytes are not \"CAGEO\\0\\0\\x01\")")]
    BadMagic,
    /// The file ends before the structure it announces.
    #[error(
        "the file is cut off at byte {offset}: it may be truncated; regenerate it with build-geodata"
    )]
    Truncated {
        /// Byte offset where more data was expected.
        offset: usize,
    },
    /// The JSON header is malformed.
    #[error("the JSON header is malformed: {0}")]
    Header(#[from] serde_json::Error),
    /// The header's scale is zero.
    #[error("the header's scale is 0; it must be a positive number of units per degree")]
    ZeroScale,
    /// Bytes are left over after the last feature.
    #[error("{extra} unexpected bytes follow the last feature")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
}

/// The coordinate system named in a file's header, plus its features.
#[derive(Clone, Debug)]
pub struct Decoded {
    /// The coordinate system, e.g. "EPSG:4326".
    pub crs: String,
    /// The features, in file order.
    pub features: Vec<Feature>,
}

/// Encodes features whose coordinates are in `crs`, at `scale` integer units per degree.
pub fn encode(crs: &str, scale: u32, features: &[Feature]) -> Vec<u8> {
    let header = Header {
        crs: crs.to_owned(),
        scale,
        features: features.iter().map(|f| f.properties.clone()).collect(),
    };
    // A header of strings always serialises; an empty header would fail loudly on decode.
    let header_json = serde_json::to_vec(&header).unwrap_or_default();
    let mut out = Vec::with_capacity(header_json.len() + (1 << 20));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
    out.extend_from_slice(&header_json);
    let quantize = |v: f64| (v * f64::from(scale)).round() as i64;
    for feature in features {
        write_varint(&mut out, feature.geometry.0.len() as u64);
        let mut previous = (0i64, 0i64);
        for polygon in &feature.geometry.0 {
            let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .collect();
            write_varint(&mut out, rings.len() as u64);
            for ring in rings {
                let open = open_ring(ring);
                write_varint(&mut out, open.len() as u64);
                for c in open {
                    let q = (quantize(c.x), quantize(c.y));
                    write_varint(&mut out, zigzag(q.0 - previous.0));
                    write_varint(&mut out, zigzag(q.1 - previous.1));
                    previous = q;
                }
            }
        }
    }
    out
}

/// Decodes a `.cageo` file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    let mut reader = Reader {
        bytes,
        pos: MAGIC.len(),
    };
    let header_len = reader.u32()? as usize;
    let header: Header = serde_json::from_slice(reader.take(header_len)?)?;
    if header.scale == 0 {
        return Err(DecodeError::ZeroScale);
    }
    let scale = f64::from(header.scale);
    let mut features = Vec::with_capacity(header.features.len());
    for properties in header.features {
        let polygon_count = reader.varint()? as usize;
        let mut polygons = Vec::with_capacity(polygon_count.min(1 << 16));
        let mut previous = (0i64, 0i64);
        for _ in 0..polygon_count {
            let ring_count = reader.varint()? as usize;
            let mut rings = Vec::with_capacity(ring_count.min(1 << 16));
            for _ in 0..ring_count {
                let n = reader.varint()? as usize;
                let mut coords = Vec::with_capacity(n.min(bytes.len()) + 1);
                for _ in 0..n {
                    // Wrapping: a corrupt file must give wrong numbers or an error, never a panic.
                    previous.0 = previous.0.wrapping_add(unzigzag(reader.varint()?));
                    previous.1 = previous.1.wrapping_add(unzigzag(reader.varint()?));
                    coords.push(Coord {
                        x: previous.0 as f64 / scale,
                        y: previous.1 as f64 / scale,
                    });
                }
                if let Some(&first) = coords.first() {
                    coords.push(first);
                }
                rings.push(LineString::new(coords));
            }
            let mut rings = rings.into_iter();
            let exterior = rings.next().unwrap_or_else(|| LineString::new(Vec::new()));
            polygons.push(Polygon::new(exterior, rings.collect()));
        }
        features.push(Feature {
            properties,
            geometry: MultiPolygon::new(polygons),
        });
    }
    if reader.pos != bytes.len() {
        return Err(DecodeError::TrailingBytes {
            extra: bytes.len() - reader.pos,
        });
    }
    Ok(Decoded {
        crs: header.crs,
        features,
    })
}

/// A ring's vertices without the closing repeat of the first one.
fn open_ring(ring: &LineString<f64>) -> &[Coord<f64>] {
    let coords = &ring.0[..];
    match (coords.first(), coords.last()) {
        (Some(first), Some(last)) if coords.len() > 1 && first == last => {
            &coords[..coords.len() - 1]
        }
        _ => coords,
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or(DecodeError::Truncated {
            offset: self.bytes.len(),
        })?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let byte = *self
                .bytes
                .get(self.pos)
                .ok_or(DecodeError::Truncated { offset: self.pos })?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 63 {
                return Err(DecodeError::Truncated { offset: self.pos });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square_with_hole() -> Feature {
        let p = polygon!(
            exterior: [(x: 104.0, y: 30.0), (x: 104.1, y: 30.0), (x: 104.1, y: 30.1), (x: 104.0, y: 30.1)],
            interiors: [[(x: 104.02, y: 30.02), (x: 104.02, y: 30.05), (x: 104.05, y: 30.05)]],
        );
        let mut properties = Properties::new();
        properties.insert("adcode".into(), "510104".into());
        properties.insert("name".into(), "锦江区".into());
        Feature {
            properties,
            geometry: MultiPolygon::new(vec![p]),
        }
    }

    #[test]
    fn round_trips_geometry_and_properties() {
        let feature = square_with_hole();
        let bytes = encode("EPSG:4326", 10_000_000, std::slice::from_ref(&feature));
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.crs, "EPSG:4326");
        assert_eq!(decoded.features, vec![feature]);
    }

    #[test]
    fn zigzag_round_trips_extremes() {
        for v in [
            0,
            1,
            -1,
            63,
            -64,
            i64::from(i32::MAX),
            i64::from(i32::MIN),
            1 << 40,
            -(1 << 40),
        ] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
    }

    #[test]
    fn rejects_other_files() {
        assert!(matches!(
            decode(b"{\"type\":\"FeatureCollection\"}"),
            Err(DecodeError::BadMagic)
        ));
    }

    #[test]
    fn reports_truncation_instead_of_panicking() {
        let bytes = encode("EPSG:4326", 10_000_000, &[square_with_hole()]);
        for cut in [9, 14, bytes.len() - 1] {
            let err = decode(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(err, DecodeError::Truncated { .. } | DecodeError::Header(_)),
                "cut {cut}: {err}"
            );
        }
    }

    #[test]
    fn corrupt_bytes_never_panic() {
        let bytes = encode("EPSG:4326", 10_000_000, &[square_with_hole()]);
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut corrupt = bytes.clone();
                corrupt[i] ^= flip;
                let _ = decode(&corrupt);
            }
        }
    }

    #[test]
    fn reports_trailing_bytes() {
        let mut bytes = encode("EPSG:4326", 10_000_000, &[square_with_hole()]);
        bytes.push(0);
        assert!(matches!(
            decode(&bytes),
            Err(DecodeError::TrailingBytes { extra: 1 })
        ));
    }
}
