//! `--points FILE` on the command line: a user's point list (parks, incubators, 星创天地 with
//! coordinates) read and placed in counties as the window places it, so that a briefing made
//! headless shows the same points as one exported from the window.

use anyhow::Context;
use county_atlas::analysis::point_list::point_list_layers;
use county_atlas::atlas::Atlas;
use county_atlas::format::terminal_safe;
use county_atlas::i18n::{Lang, tr};
use county_atlas::io::point_list::read_point_list;
use county_atlas::io::points_csv::PointsCsvOptions;
use county_atlas::spatial::SpatialIndex;
use std::io::Write;
use std::path::Path;

/// Adds every `--points` argument that names a file (and no built-in point layer) to `atlas`
/// as a user point layer, reporting on stderr what was read; returns the arguments with each
/// file replaced by its layer's id.
pub fn add_point_files(
    atlas: &mut Atlas,
    args: &[String],
    lang: Lang,
) -> anyhow::Result<Vec<String>> {
    let is_file: Vec<bool> = args
        .iter()
        .map(|arg| !atlas.point_layers().iter().any(|p| &p.id == arg) && Path::new(arg).is_file())
        .collect();
    if !is_file.contains(&true) {
        return Ok(args.to_vec());
    }
    // The index is built only when a file needs its points placed.
    let index = SpatialIndex::build(atlas);
    let mut ids = Vec::with_capacity(args.len());
    for (arg, is_file) in args.iter().zip(is_file) {
        if !is_file {
            ids.push(arg.clone());
            continue;
        }
        let path = Path::new(arg);
        let rows = read_point_list(path, &PointsCsvOptions::default())
            .with_context(|| format!("--points {arg}"))?;
        if rows.points.is_empty() {
            anyhow::bail!(
                "--points {arg}: 没有可读的点({} 行无法读取) / no row holds a point ({} unreadable rows)",
                rows.bad_rows.1,
                rows.bad_rows.1
            );
        }
        let layers = point_list_layers(
            atlas,
            &index,
            &rows.names,
            &rows.points,
            &rows.stem,
            &rows.file,
        );
        report(&rows, layers.outside, lang)?;
        let id = layers.points.id.clone();
        atlas
            .add_point_layer(layers.points)
            .map_err(anyhow::Error::msg)?;
        ids.push(id);
    }
    Ok(ids)
}

fn report(
    rows: &county_atlas::io::point_list::PointRows,
    outside: u64,
    lang: Lang,
) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    let name = terminal_safe(&rows.file);
    let (listed, bad_count) = &rows.bad_rows;
    writeln!(
        err,
        "{name}: {} {}; {outside} {}; {bad_count} {}",
        rows.points.len(),
        tr(lang, "个点已读取", "points read"),
        tr(lang, "个在四川省外", "outside Sichuan"),
        tr(lang, "行无法读取", "unreadable rows"),
    )?;
    super::join::write_bad_rows(&mut err, &name, listed, *bad_count, lang)?;
    Ok(())
}
