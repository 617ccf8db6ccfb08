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

    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["adcode", "name", "count"])?;
    for (unit, count) in atlas.units().iter().zip(&counts.per_unit) {
        csv.write_record([
            unit.adcode.to_string(),
            unit.name.clone(),
            count.to_string(),
        ])?;
    }
    csv.flush().context("cannot write the counts")?;

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
