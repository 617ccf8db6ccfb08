//! `county-atlas classify`: breaks and counts, as mapclassify would give them.

use super::map_args::MapArgs;
use county_atlas::atlas::{Atlas, Level};
use county_atlas::i18n::{Lang, tr};
use county_atlas::scene::{Choropleth, legend_number};
use serde::Serialize;
use std::io::Write;

/// The JSON output.
#[derive(Serialize)]
struct Output<'a> {
    layer: &'a str,
    year: i32,
    normalization: county_atlas::analysis::mapped::Normalization,
    method: &'static str,
    /// Upper bounds, inclusive.
    breaks: &'a [f64],
    /// Observations per class (prefectures for prefecture-level layers).
    counts: &'a [usize],
    /// Counties per class.
    counties: Vec<usize>,
    /// Counties without a value.
    no_data: usize,
    min: f64,
    level: Level,
    warning: Option<&'a str>,
}

pub fn run(
    atlas: &Atlas,
    lang: Lang,
    args: &MapArgs,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let resolved = args.resolve(atlas)?;
    let layer = resolved.layer(atlas)?;
    let map = Choropleth::new(atlas, layer, &resolved.spec)?;
    let Some(classification) = &map.classification else {
        anyhow::bail!(
            "图层“{0}”是分类数据,无需分级 / layer '{0}' holds categories; there is nothing to classify",
            layer.id
        );
    };
    let counties: Vec<usize> = (0..classification.len())
        .map(|i| map.classes.iter().filter(|c| **c == Some(i)).count())
        .collect();
    let no_data = map.colours.iter().filter(|c| c.is_none()).count();
    if let Some(warning) = &map.warning {
        eprintln!("{}{}", tr(lang, "注意:", "warning: "), warning.get(lang));
    }
    if json {
        return super::write_json(
            out,
            &Output {
                layer: &layer.id,
                year: map.year,
                normalization: resolved.spec.normalization,
                method: classification.method.id(),
                breaks: &classification.breaks,
                counts: &classification.counts,
                counties,
                no_data,
                min: classification.min,
                level: layer.level,
                warning: map.warning.as_ref().map(|w| w.en.as_str()),
            },
        );
    }
    writeln!(out, "{}", map.title.get(lang))?;
    writeln!(
        out,
        "{}: {}, {} {}",
        tr(lang, "方法", "method"),
        classification.method.name().get(lang),
        classification.len(),
        tr(lang, "级", "classes")
    )?;
    let prefectures = layer.level == Level::Prefecture;
    for (i, county_count) in counties.iter().enumerate() {
        let (lo, hi) = classification.bounds(i);
        let counts = if prefectures {
            format!(
                "{} {}, {county_count} {}",
                classification.counts[i],
                tr(lang, "个市州", "prefectures"),
                tr(lang, "个县", "counties")
            )
        } else {
            format!("{county_count} {}", tr(lang, "个县", "counties"))
        };
        writeln!(
            out,
            "  {} – {}  ({counts})",
            legend_number(lo),
            legend_number(hi)
        )?;
    }
    if no_data > 0 {
        writeln!(
            out,
            "  {}: {no_data} {}",
            tr(lang, "无数据", "no data"),
            tr(lang, "个县", "counties")
        )?;
    }
    Ok(())
}
