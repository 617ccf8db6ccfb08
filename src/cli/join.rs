//! `county-atlas join FILE.csv`: points per county, per county and category (`--by`), or each
//! row with its county (`--assign`); the file streams through, never held whole.

use anyhow::Context;
use county_atlas::atlas::Atlas;
use county_atlas::crs::Crs;
use county_atlas::crs::LonLat;
use county_atlas::i18n::{Lang, tr};
use county_atlas::io::points_csv::{PointStream, PointsCsvOptions};
use county_atlas::spatial::SpatialIndex;
use std::io::Write;
use std::path::Path;

/// Unreadable rows listed one by one on stderr before the rest are summarised.
const LISTED_BAD_ROWS: usize = 20;

/// What `join` writes for a CSV of points.
#[derive(Clone, Debug, Default)]
pub struct JoinOutput {
    /// Each input row, with its county's adcode and name appended (`--assign`).
    pub assign: bool,
    /// Counts per county and per value of this column (`--by`).
    pub by: Option<String>,
}

/// The most distinct `--by` values: a column with more is an identifier, not a category.
const MAX_CATEGORIES: usize = 100;
/// Points located together (in parallel) while the file streams past.
const CHUNK: usize = 1 << 16;

pub fn run(
    atlas: &Atlas,
    lang: Lang,
    file: &Path,
    options: &PointsCsvOptions,
    output: &JoinOutput,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut stream = PointStream::open(file, options)?;
    let by = match &output.by {
        Some(name) => Some(
            stream
                .headers
                .iter()
                .position(|h| h == name.trim())
                .with_context(|| {
                    format!(
                        "{}:1: 没有名为“{name}”的列 / no column named '{name}' (given by --by); the columns are: {}",
                        file.display(),
                        stream.headers.join(", ")
                    )
                })?,
        ),
        None => None,
    };
    let index = SpatialIndex::build(atlas);
    // Rows that name their county let the coordinates' system be checked: WGS84 read from
    // Amap's or Baidu's GCJ-02/BD-09 falls a few hundred metres off, across county borders.
    let named_column = (options.crs == Crs::Wgs84)
        .then(|| county_atlas::io::county_table::county_key_columns(&stream.headers))
        .and_then(|keys| keys.last().copied());
    let mut offsets: Vec<(LonLat, county_atlas::atlas::UnitId)> = Vec::new();
    let units = atlas.units().len();
    let mut per_unit = vec![0u64; units];
    let mut outside = 0u64;
    let mut read = 0u64;
    let mut bad_rows: Vec<(u64, String)> = Vec::new();
    let mut bad_count = 0u64;
    // Per category (first-seen order), per unit.
    let mut categories: Vec<String> = Vec::new();
    let mut by_category: Vec<Vec<u64>> = Vec::new();
    let mut assigned = if output.assign {
        Some(csv::Writer::from_writer(&mut *out))
    } else {
        None
    };
    if let Some(writer) = assigned.as_mut() {
        let mut header = stream.headers.clone();
        header.extend(["county_adcode".to_owned(), "county_name".to_owned()]);
        writer.write_record(&header)?;
    }

    let mut record = csv::ByteRecord::new();
    let mut points: Vec<LonLat> = Vec::with_capacity(CHUNK);
    // The rows of a chunk, kept only when they are written back or categorised: the record
    // (for --assign), the category, and whether the row has a point (rows without one are
    // written back in their place, with no county).
    let mut rows: Vec<(Option<csv::ByteRecord>, Option<usize>, bool)> = Vec::with_capacity(CHUNK);
    let mut done = false;
    while !done {
        points.clear();
        rows.clear();
        while points.len() < CHUNK && rows.len() < CHUNK {
            let Some((line, point)) = stream.next_row(&mut record) else {
                done = true;
                break;
            };
            let point = match point {
                Ok(point) => point,
                Err(reason) => {
                    bad_count += 1;
                    if bad_rows.len() < LISTED_BAD_ROWS {
                        bad_rows.push((line, reason));
                    }
                    if output.assign {
                        rows.push((Some(record.clone()), None, false));
                    }
                    continue;
                }
            };
            read += 1;
            points.push(point);
            if let Some(column) = named_column
                && offsets.len() < OFFSET_SAMPLE
                && let Ok(named) =
                    atlas.resolve_with(&stream.text(record.get(column).unwrap_or_default()), false)
            {
                offsets.push((point, named.unit));
            }
            let category = match by {
                Some(column) => {
                    let value = stream.text(record.get(column).unwrap_or_default());
                    let value = value.trim();
                    Some(match categories.iter().position(|c| c == value) {
                        Some(i) => i,
                        None => {
                            anyhow::ensure!(
                                categories.len() < MAX_CATEGORIES,
                                "{}: --by 列“{}”有超过 {MAX_CATEGORIES} 个不同的值,不像是类别 / the --by column '{}' has more than {MAX_CATEGORIES} distinct values: it is no category",
                                file.display(),
                                stream.headers[column],
                                stream.headers[column]
                            );
                            categories.push(value.to_owned());
                            by_category.push(vec![0; units]);
                            categories.len() - 1
                        }
                    })
                }
                None => None,
            };
            if output.assign || by.is_some() {
                rows.push((output.assign.then(|| record.clone()), category, true));
            }
        }
        if output.assign || by.is_some() {
            let found = index.assign(&points);
            let mut located = found.iter();
            for (row, category, has_point) in &rows {
                let unit = if *has_point {
                    located.next().copied().flatten()
                } else {
                    None
                };
                match unit {
                    Some(unit) => {
                        per_unit[unit.index()] += 1;
                        if let Some(category) = category {
                            by_category[*category][unit.index()] += 1;
                        }
                    }
                    None if *has_point => outside += 1,
                    None => {}
                }
                if let (Some(writer), Some(row)) = (assigned.as_mut(), row) {
                    let mut cells: Vec<String> = row.iter().map(|c| stream.text(c)).collect();
                    match unit {
                        Some(unit) => {
                            let unit = atlas.unit(unit);
                            cells.extend([unit.adcode.to_string(), unit.name.clone()]);
                        }
                        None => cells.extend([String::new(), String::new()]),
                    }
                    writer.write_record(&cells)?;
                }
            }
        } else {
            let counts = index.count(&points);
            for (total, n) in per_unit.iter_mut().zip(&counts.per_unit) {
                *total += n;
            }
            outside += counts.outside;
        }
    }
    if let Some(mut writer) = assigned.take() {
        writer
            .flush()
            .context("无法写出各行 / cannot write the rows")?;
    }
    // The rows' writer borrowed the output; the counts are written only when it wrote nothing.
    drop(assigned);
    if !output.assign {
        match by {
            Some(_) => {
                let mut csv = csv::Writer::from_writer(&mut *out);
                let mut header = vec!["adcode".to_owned(), "name".to_owned()];
                header.extend(categories.iter().cloned());
                header.push("count".to_owned());
                csv.write_record(&header)?;
                for (i, unit) in atlas.units().iter().enumerate() {
                    let mut row = vec![unit.adcode.to_string(), unit.name.clone()];
                    row.extend(by_category.iter().map(|c| c[i].to_string()));
                    row.push(per_unit[i].to_string());
                    csv.write_record(&row)?;
                }
                csv.flush()
                    .context("无法写出计数 / cannot write the counts")?;
            }
            None => write_counts(atlas, &per_unit, out)?,
        }
    }

    let name = file.display();
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "{name}: {read} {} ({} '{}', {} '{}', {}, {}); {outside} {}; {bad_count} {}",
        tr(lang, "个点已读取", "points read"),
        tr(lang, "经度列", "longitude column"),
        stream.lon_column,
        tr(lang, "纬度列", "latitude column"),
        stream.lat_column,
        options.crs,
        stream.encoding.name(),
        tr(lang, "个在四川省外", "outside Sichuan"),
        tr(lang, "行无法读取", "unreadable rows"),
    )?;
    if let Some(better) = better_system(&index, &offsets) {
        writeln!(
            err,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "{name}: 注意:这些点按 {better} 读取时与其所写县区更吻合,可能来自高德/腾讯(gcj02)或百度(bd09)地图;请加 --crs {}",
                    better.name()
                ),
                Lang::En => format!(
                    "{name}: note: these points match the counties their rows name better when read as {better}: they may come from Amap/Tencent (gcj02) or Baidu (bd09); give --crs {}",
                    better.name()
                ),
            }
        )?;
    }
    write_bad_rows(&mut err, &name.to_string(), &bad_rows, bad_count, lang)?;
    Ok(())
}

/// Rows whose named county is compared with where their point falls, at most.
const OFFSET_SAMPLE: usize = 20_000;

/// The coordinate system under which points fall in the counties their rows name clearly
/// more often than as WGS84: at least 20 rows compared, at least half of WGS84's misses
/// gone, and at least 1 row in 100 more matching. `None` when WGS84 fits as well.
fn better_system(
    index: &SpatialIndex,
    named: &[(LonLat, county_atlas::atlas::UnitId)],
) -> Option<Crs> {
    if named.len() < 20 {
        return None;
    }
    let misses = |crs: Crs| {
        named
            .iter()
            .filter(|(p, unit)| index.unit_at(crs.to_wgs84(*p)) != Some(*unit))
            .count()
    };
    let wgs84 = misses(Crs::Wgs84);
    [Crs::Gcj02, Crs::Bd09]
        .into_iter()
        .map(|crs| (crs, misses(crs)))
        .filter(|&(_, m)| m * 2 <= wgs84 && (wgs84 - m) * 100 >= named.len())
        .min_by_key(|&(_, m)| m)
        .map(|(crs, _)| crs)
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
    csv.flush()
        .context("无法写出计数 / cannot write the counts")?;
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

/// Lists the rows without a point ("FILE:LINE: why"), then how many more there were.
pub(super) fn write_bad_rows(
    err: &mut dyn Write,
    name: &str,
    listed: &[(u64, String)],
    count: u64,
    lang: Lang,
) -> std::io::Result<()> {
    for (line, reason) in listed {
        writeln!(
            err,
            "{name}:{line}: {}",
            county_atlas::format::terminal_safe(reason)
        )?;
    }
    if count > listed.len() as u64 {
        let more = count - listed.len() as u64;
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
