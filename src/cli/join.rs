//! `county-atlas join FILE.csv`: points per county.

use anyhow::Context;
use county_atlas::atlas::Atlas;
use county_atlas::crs::Crs;
use county_atlas::i18n::{Lang, tr};
use county_atlas::io::points_csv::{PointsCsvOptions, read_points_csv};
use county_atlas::spatial::SpatialIndex;
use std::io::Write;
use std::path::Path;

/// Unreadable rows listed one by one on stderr before the rest are summarised.
const LISTED_BAD_ROWS: usize = 20;

pub fn run(
    atlas: &Atlas,
    lang: Lang,
    file: &Path,
    lon_col: Option<String>,
    lat_col: Option<String>,
    crs: Crs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let options = PointsCsvOptions {
        lon_column: lon_col,
        lat_column: lat_col,
        crs,
    };
    let points = read_points_csv(file, &options)?;
    let index = SpatialIndex::build(atlas);
    let counts = index.count(&points.points);
    write_counts(atlas, &counts.per_unit, out)?;

    let name = file.display();
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "{name}: {} {} ({} '{}', {} '{}', {crs}, {}); {} {}; {} {}",
        points.points.len(),
        tr(lang, "个点已读取", "points read"),
        tr(lang, "经度列", "longitude column"),
        points.lon_column,
        tr(lang, "纬度列", "latitude column"),
        points.lat_column,
        points.encoding,
        counts.outside,
        tr(lang, "个在四川省外", "outside Sichuan"),
        points.bad_rows.len(),
        tr(lang, "行无法读取", "unreadable rows"),
    )?;
    for bad in points.bad_rows.iter().take(LISTED_BAD_ROWS) {
        writeln!(err, "{name}:{}: {}", bad.line, bad.reason)?;
    }
    if points.bad_rows.len() > LISTED_BAD_ROWS {
        let more = points.bad_rows.len() - LISTED_BAD_ROWS;
        writeln!(
            err,
            "{}",
            tr(
                lang,
                "……另有 N 行无法读取",
                "... and N more unreadable rows"
            )
            .replace('N', &more.to_string())
        )?;
    }
    Ok(())
}

/// Writes `adcode,name,count` for every unit.
fn write_counts<N: ToString>(
    atlas: &Atlas,
    per_unit: &[N],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["adcode", "name", "count"])?;
    for (unit, count) in atlas.units().iter().zip(per_unit) {
        csv.write_record([
            unit.adcode.to_string(),
            unit.name.clone(),
            count.to_string(),
        ])?;
    }
    csv.flush().context("cannot write the counts")?;
    Ok(())
}

/// `join` over a GDAL source: its point features read and counted here, or counted inside
/// PostGIS with `on_server`.
#[cfg(feature = "gdal")]
pub fn run_gdal(
    atlas: &Atlas,
    lang: Lang,
    source: &str,
    table: Option<&str>,
    on_server: bool,
    crs: Crs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use county_atlas::io::gdal_source::{read_points, shown_name};
    let name = shown_name(source);
    let mut err = std::io::stderr().lock();
    if on_server {
        anyhow::ensure!(
            source.starts_with("PG:"),
            "--on-server 需要 PostGIS 连接(PG:...)/ --on-server needs a PostGIS connection (PG:...)"
        );
        let table = table
            .context("--on-server 需要 --table / --on-server needs --table: the table of points")?;
        let counts = county_atlas::io::postgis_count::count_on_server(source, table, atlas, crs)?;
        write_counts(atlas, &counts.per_unit, out)?;
        writeln!(
            err,
            "{name} {table}: {} {} ({} {}, SRID {}, {crs}); {} {}",
            counts.total,
            tr(lang, "个点在服务器上计数", "points counted on the server"),
            tr(lang, "几何列", "geometry column"),
            counts.geometry_column,
            counts.srid,
            counts.outside,
            tr(lang, "个不在任何县内", "in no county"),
        )?;
        return Ok(());
    }
    let points = read_points(source, table, crs)?;
    let index = SpatialIndex::build(atlas);
    let counts = index.count(&points.points);
    write_counts(atlas, &counts.per_unit, out)?;
    writeln!(
        err,
        "{name} {}: {} {} (GDAL {}, {}, {crs}); {} {}; {} {}",
        points.layer,
        points.points.len(),
        tr(lang, "个点已读取", "points read"),
        points.driver,
        points.srs.as_deref().unwrap_or("—"),
        counts.outside,
        tr(lang, "个在四川省外", "outside Sichuan"),
        points.skipped.1,
        tr(
            lang,
            "个要素没有点几何",
            "features without a point geometry"
        ),
    )?;
    Ok(())
}

/// Without the `gdal` feature, a GDAL source is named and the way to read it said.
#[cfg(not(feature = "gdal"))]
pub fn run_gdal(
    _atlas: &Atlas,
    _lang: Lang,
    source: &str,
    _table: Option<&str>,
    _on_server: bool,
    _crs: Crs,
    _out: &mut dyn Write,
) -> anyhow::Result<()> {
    let source = county_atlas::io::gdal_formats::shown_name(source);
    anyhow::bail!(
        "{source}:这种数据源需要 GDAL;请用 `cargo build --features gdal` 构建(需安装 libgdal-dev) / this source is read through GDAL: build with `cargo build --features gdal` (Debian's libgdal-dev)"
    )
}
