//! Points per county counted inside PostGIS (the `gdal` feature): for point tables too large to
//! bring to one machine (millions of firms), the atlas's county polygons go to the server as a
//! temporary table with a GiST index, `ST_Contains` joins them to the points there, and only
//! the 183 counts come back.
//!
//! The same statement runs unchanged on a distributed PostGIS (Citus, with the point table
//! distributed and the county table a reference table) and, with `ST_Contains` as Sedona
//! spells it, on Apache Sedona.

use super::gdal_source::{GdalSourceError, open, shown_name};
use crate::atlas::Atlas;
use crate::crs::Crs;
use gdal::vector::LayerAccess;
use gdal::vector::sql::Dialect;
use geo::{MapCoords, MultiPolygon};
use wkt::ToWkt;

/// Counts from the server.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerCounts {
    /// Points inside each unit, indexed by [`crate::atlas::UnitId`].
    pub per_unit: Vec<u64>,
    /// Points in the table (with or without a geometry).
    pub total: u64,
    /// Points in no county (outside Sichuan, on no polygon, or without a geometry).
    pub outside: u64,
    /// The table's geometry column and its SRID.
    pub geometry_column: String,
    /// The SRID of the point geometries.
    pub srid: i64,
}

/// The temporary table of county polygons on the server.
const UNITS_TABLE: &str = "county_atlas_units";

/// Counts the points of `table` (optionally `schema.table`) per county on the PostGIS server
/// of `connection` (`PG:host=... dbname=...`). `crs` is what the table's longitude/latitude
/// are (GCJ-02 points are matched against GCJ-02 county polygons, as the atlas converts them).
pub fn count_on_server(
    connection: &str,
    table: &str,
    atlas: &Atlas,
    crs: Crs,
) -> Result<ServerCounts, GdalSourceError> {
    let sql_error = |e: gdal::errors::GdalError| GdalSourceError::Read {
        source_name: shown_name(connection),
        message: e.to_string(),
    };
    let (dataset, _) = open(connection, None, false)?;
    let (schema, name) = match table.split_once('.') {
        Some((schema, name)) => (Some(schema), name),
        None => (None, table),
    };
    let quoted = match schema {
        Some(schema) => format!("{}.{}", identifier(schema), identifier(name)),
        None => identifier(name),
    };
    // The table's geometry column and SRID, from PostGIS's catalogue.
    let catalogue = format!(
        "SELECT f_geometry_column, srid FROM geometry_columns WHERE f_table_name = {}{}",
        literal(name),
        schema
            .map(|s| format!(" AND f_table_schema = {}", literal(s)))
            .unwrap_or_default()
    );
    let (geometry_column, srid) = {
        let mut found = dataset
            .execute_sql(&catalogue, None, Dialect::DEFAULT)
            .map_err(sql_error)?
            .ok_or_else(|| no_table(connection, table))?;
        let feature = found
            .features()
            .next()
            .ok_or_else(|| no_table(connection, table))?;
        let column = feature
            .field_as_string(0)
            .map_err(sql_error)?
            .ok_or_else(|| no_table(connection, table))?;
        let srid = feature
            .field_as_integer64(1)
            .map_err(sql_error)?
            .unwrap_or(0);
        (column, srid)
    };

    run(
        &dataset,
        &format!("DROP TABLE IF EXISTS pg_temp.{UNITS_TABLE}"),
        connection,
    )?;
    run(
        &dataset,
        &format!("CREATE TEMP TABLE {UNITS_TABLE} (unit integer PRIMARY KEY, geom geometry)"),
        connection,
    )?;
    let target_srid = if srid > 0 { srid } else { 4326 };
    for unit in atlas.units() {
        let geometry: MultiPolygon<f64> = match crs {
            Crs::Wgs84 => unit.geometry.clone(),
            other => unit.geometry.map_coords(|c| {
                let [x, y] = other.from_wgs84([c.x, c.y]);
                geo::coord! { x: x, y: y }
            }),
        };
        run(
            &dataset,
            &format!(
                "INSERT INTO {UNITS_TABLE} VALUES ({}, ST_Transform(ST_GeomFromText('{}', 4326), {target_srid}))",
                unit.id.0,
                geometry.wkt_string()
            ),
            connection,
        )?;
    }
    run(
        &dataset,
        &format!("CREATE INDEX ON {UNITS_TABLE} USING GIST (geom)"),
        connection,
    )?;
    run(&dataset, &format!("ANALYZE {UNITS_TABLE}"), connection)?;

    let column = identifier(&geometry_column);
    let counting = format!(
        "SELECT u.unit, count(p.{column}) AS n FROM {UNITS_TABLE} u \
         LEFT JOIN {quoted} p ON ST_Contains(u.geom, p.{column}) GROUP BY u.unit"
    );
    let mut per_unit = vec![0u64; atlas.units().len()];
    {
        let mut counted = dataset
            .execute_sql(&counting, None, Dialect::DEFAULT)
            .map_err(sql_error)?
            .ok_or_else(|| no_table(connection, table))?;
        for feature in counted.features() {
            let unit = feature
                .field_as_integer64(0)
                .map_err(sql_error)?
                .unwrap_or(-1);
            let n = feature
                .field_as_integer64(1)
                .map_err(sql_error)?
                .unwrap_or(0);
            if let Some(slot) = usize::try_from(unit).ok().and_then(|u| per_unit.get_mut(u)) {
                *slot = n.max(0) as u64;
            }
        }
    }
    let total = {
        let mut all = dataset
            .execute_sql(
                format!("SELECT count(*) FROM {quoted}"),
                None,
                Dialect::DEFAULT,
            )
            .map_err(sql_error)?
            .ok_or_else(|| no_table(connection, table))?;
        all.features()
            .next()
            .and_then(|f| f.field_as_integer64(0).ok().flatten())
            .unwrap_or(0)
            .max(0) as u64
    };
    run(
        &dataset,
        &format!("DROP TABLE IF EXISTS pg_temp.{UNITS_TABLE}"),
        connection,
    )?;
    let inside: u64 = per_unit.iter().sum();
    Ok(ServerCounts {
        per_unit,
        total,
        outside: total.saturating_sub(inside),
        geometry_column,
        srid,
    })
}

/// Runs a statement that returns no rows.
fn run(dataset: &gdal::Dataset, sql: &str, connection: &str) -> Result<(), GdalSourceError> {
    dataset
        .execute_sql(sql, None, Dialect::DEFAULT)
        .map(|_| ())
        .map_err(|e| GdalSourceError::Read {
            source_name: shown_name(connection),
            message: e.to_string(),
        })
}

fn no_table(connection: &str, table: &str) -> GdalSourceError {
    GdalSourceError::Layer {
        source_name: shown_name(connection),
        problem: format!("没有带几何列的表“{table}” / no table '{table}' with a geometry column"),
        available: Vec::new(),
    }
}

/// An SQL identifier, quoted: `"name"`, with quotes inside doubled.
fn identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An SQL string literal, quoted: `'text'`, with quotes inside doubled.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_texts_are_quoted_for_sql() {
        assert_eq!(identifier("firms"), "\"firms\"");
        assert_eq!(identifier("a\"b"), "\"a\"\"b\"");
        assert_eq!(literal("o'k"), "'o''k'");
    }
}
