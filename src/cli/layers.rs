//! `county-atlas layers`: the catalogue of built-in layers.

use county_atlas::analysis::catalogue::{LayerType, catalogue};
use county_atlas::atlas::Atlas;
use county_atlas::format::columns;
use county_atlas::i18n::{Lang, tr};
use std::io::Write;

pub fn run(atlas: &Atlas, lang: Lang, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let layers = catalogue(atlas);
    if json {
        return super::write_json(out, &layers);
    }
    let mut table = vec![
        [
            ("id", "id"),
            ("类型", "type"),
            ("名称", "name"),
            ("单位", "unit"),
            ("级别", "level"),
            ("年份", "years"),
            ("覆盖", "coverage"),
            ("来源", "sources"),
        ]
        .iter()
        .map(|&(zh, en)| tr(lang, zh, en).to_owned())
        .collect::<Vec<_>>(),
    ];
    for layer in &layers {
        let kind = match layer.layer_type {
            LayerType::Numeric => tr(lang, "数值", "numeric"),
            LayerType::Categorical => tr(lang, "分类", "categorical"),
            LayerType::Designation => tr(lang, "名单", "designation"),
            LayerType::Points => tr(lang, "点", "points"),
        };
        let years = match (layer.years.first(), layer.years.last()) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a}–{b}"),
            _ => "—".to_owned(),
        };
        let mut coverage = format!("{}/{}", layer.coverage, layer.of);
        if layer.prefectures > 0 {
            coverage.push_str(&format!(
                " ({}{})",
                layer.prefectures,
                tr(lang, "个市州", " prefectures")
            ));
        }
        if let Some(entries) = layer
            .entries
            .filter(|_| layer.layer_type == LayerType::Points)
        {
            coverage.push_str(&format!(" ({entries}{})", tr(lang, "个点", " features")));
        }
        let unit = if layer.unit.get(lang).is_empty() {
            "—"
        } else {
            layer.unit.get(lang)
        };
        let sources = match layer.sources.len() {
            0 => "—".to_owned(),
            1 => shorten(&layer.sources[0]),
            n => format!("{} (+{})", shorten(&layer.sources[0]), n - 1),
        };
        table.push(vec![
            layer.id.clone(),
            kind.to_owned(),
            layer.name.get(lang).to_owned(),
            unit.to_owned(),
            layer.level.name().get(lang).to_owned(),
            years,
            coverage,
            sources,
        ]);
    }
    out.write_all(columns(&table).as_bytes())?;
    writeln!(
        out,
        "{}",
        tr(
            lang,
            "完整来源与说明: county-atlas layers --json",
            "Full sources and caveats: county-atlas layers --json"
        )
    )?;
    Ok(())
}

/// The first 60 characters of a citation.
fn shorten(source: &str) -> String {
    let mut short: String = source.chars().take(60).collect();
    if short.len() < source.len() {
        short.push('…');
    }
    short
}
