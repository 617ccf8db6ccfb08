//! Which inputs are GDAL's to read: known whether or not this build has the `gdal` feature,
//! so that a build without it can name the format and say how to read it.

use std::path::Path;

/// File extensions routed to GDAL: formats the atlas's own readers do not read.
const EXTENSIONS: &[&str] = &[
    "shp", "dbf", "gpkg", "kml", "kmz", "gml", "fgb", "tab", "mif", "sqlite", "gdb", "gmt",
];

/// Whether `source` is for GDAL: a PostgreSQL connection (`PG:...`) or a file of a format
/// GDAL reads and the atlas's own readers do not.
pub fn is_gdal_source(source: &str) -> bool {
    source.starts_with("PG:")
        || Path::new(source)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A connection string or path fit for messages: a PostgreSQL password is removed.
pub fn shown_name(source: &str) -> String {
    if !source.starts_with("PG:") {
        return source.to_owned();
    }
    source
        .split_whitespace()
        .map(|part| {
            if part.to_ascii_lowercase().starts_with("password=") {
                "password=…"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_and_gdal_formats() {
        assert!(is_gdal_source("PG:host=127.0.0.1 dbname=x"));
        assert!(is_gdal_source("/data/县界.SHP"));
        assert!(is_gdal_source("parks.gpkg"));
        assert!(!is_gdal_source("values.csv"));
        assert!(!is_gdal_source("values.xlsx"));
        assert!(!is_gdal_source("counties.geojson"), "read without GDAL");
        assert_eq!(
            shown_name("PG:host=db password=secret dbname=x"),
            "PG:host=db password=… dbname=x"
        );
    }
}
