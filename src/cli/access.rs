//! `county-atlas access`: each county's distance to the nearest point of a point layer, the
//! points within a radius, and the counties with none.

use county_atlas::analysis::access::access_to_layer;
use county_atlas::atlas::Atlas;
use county_atlas::format::{columns, number};
use county_atlas::i18n::{Lang, tr};
use county_atlas::spatial::SpatialIndex;
use serde::Serialize;
use std::io::Write;

/// Runs `access` for the point layer `id` (built in, or a point-list file).
pub fn run(
    atlas: Atlas,
    lang: Lang,
    layer: &str,
    within_km: f64,
    csv: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if !(within_km.is_finite() && within_km > 0.0 && within_km <= 2000.0) {
        anyhow::bail!(
            "--within 须为 0 到 2000 公里之间的数 / --within must be a number of km above 0 and at most 2000"
        );
    }
    let mut atlas = atlas;
    let ids = super::point_files::add_point_files(&mut atlas, &[layer.to_owned()], lang)?;
    let Some(points) = atlas.point_layers().iter().find(|p| p.id == ids[0]) else {
        anyhow::bail!(
            "--points {layer}: 没有点图层“{layer}”,也没有这个文件;`county-atlas layers` 列出内置点图层(类型 点) / no point layer or file '{layer}'; `county-atlas layers` lists the built-in ones (kind 点)"
        );
    };
    let index = SpatialIndex::build(&atlas);
    let Some((access, placed)) = access_to_layer(&atlas, &index, points, within_km) else {
        anyhow::bail!(
            "点图层“{layer}”没有带坐标的点 / the point layer '{layer}' has no point with a position"
        );
    };
    #[derive(Serialize)]
    struct Row<'a> {
        adcode: String,
        name: &'a str,
        nearest_km: Option<f64>,
        nearest: Option<&'a str>,
        within: usize,
    }
    let rows: Vec<Row> = access
        .per_unit
        .iter()
        .map(|a| Row {
            adcode: atlas.unit(a.unit).adcode.to_string(),
            name: atlas.unit(a.unit).name_in(lang),
            nearest_km: a.nearest_km,
            nearest: a.nearest.map(|i| placed[i].name.as_str()),
            within: a.within,
        })
        .collect();
    if csv {
        let mut writer = csv::Writer::from_writer(out);
        for row in &rows {
            writer.serialize(row)?;
        }
        writer.flush()?;
        return Ok(());
    }
    let without: Vec<&str> = access
        .without()
        .map(|u| atlas.unit(u).name_in(lang))
        .collect();
    let mut distances: Vec<f64> = rows.iter().filter_map(|r| r.nearest_km).collect();
    distances.sort_by(f64::total_cmp);
    let median = distances[distances.len() / 2];
    writeln!(
        out,
        "{} · {} {} · {} {} km",
        points.name.get(lang),
        placed.len(),
        tr(lang, "个点", "points"),
        tr(lang, "半径", "radius"),
        number(within_km, 1)
    )?;
    let table = vec![
        vec![
            tr(
                lang,
                "县中心到最近点的距离中位数",
                "median distance from a county's centre to the nearest point",
            )
            .to_owned(),
            format!("{} km", number(median, 1)),
        ],
        vec![
            tr(lang, "最远", "farthest").to_owned(),
            format!("{} km", number(distances[distances.len() - 1], 1)),
        ],
        vec![
            tr(
                lang,
                "半径内没有点的县",
                "counties with no point within the radius",
            )
            .to_owned(),
            format!("{}/{}", without.len(), rows.len()),
        ],
    ];
    write!(out, "{}", columns(&table))?;
    if !without.is_empty() {
        writeln!(out, "{}", without.join(", "))?;
    }
    writeln!(
        out,
        "{}",
        tr(
            lang,
            "距离为县域面积中心到点的直线距离(Albers 平面),不是出行时间;每县一行:--csv",
            "Distances are straight lines from the centroid of each county's area (Albers plane), not travel times; one row per county: --csv"
        )
    )?;
    Ok(())
}
