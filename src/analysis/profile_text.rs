//! The profile as plain text: what `county-atlas profile` prints and what the window's "copy
//! profile" button puts on the clipboard.

use super::profile::{CountyProfile, IndicatorValue};
use crate::atlas::cite;
use crate::atlas::{DesignationStatus, Level};
use crate::format::number;
use crate::i18n::{Lang, tr};
use std::fmt::Write;

/// How much of the record behind each value a profile text carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Values, comparisons and sources: what a briefing quotes.
    Brief,
    /// Also the working notes on how each value was read and checked (kept as the data were
    /// researched, mostly in English): the window's "详情 / Details" toggle.
    WithNotes,
}

impl CountyProfile {
    /// The profile as text in `lang`, every value with its source.
    pub fn to_text(&self, lang: Lang, detail: Detail) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = write_profile(self, lang, detail, &mut out);
        out
    }
}

fn write_profile(
    profile: &CountyProfile,
    lang: Lang,
    detail: Detail,
    out: &mut String,
) -> std::fmt::Result {
    write_identity(profile, lang, out)?;
    write_indicators(&profile.indicators, lang, detail, out)?;
    write_designations(profile, lang, detail, out)?;
    if !profile.points.is_empty() {
        writeln!(out, "\n{}", tr(lang, "境内点位", "Point features inside"))?;
        for point in &profile.points {
            writeln!(out, "  {} ({})", point.name, point.year)?;
            writeln!(
                out,
                "      {}: {}; {}",
                tr(lang, "来源", "source"),
                cite(point.document.as_ref(), &point.source, lang),
                point.placement
            )?;
        }
    }
    let b = &profile.boundary;
    writeln!(
        out,
        "\n{}: {} ({}; {}; {})",
        tr(lang, "边界", "Boundary"),
        b.source.get(lang),
        b.licence,
        b.vintage.get(lang),
        b.processing.get(lang)
    )?;
    Ok(())
}

fn write_identity(p: &CountyProfile, lang: Lang, out: &mut String) -> std::fmt::Result {
    match lang {
        Lang::Zh => writeln!(out, "{} {}", p.name, p.adcode)?,
        Lang::En => writeln!(out, "{} ({}) {}", p.name_en, p.name, p.adcode)?,
    }
    writeln!(
        out,
        "  {}: {} ({})",
        tr(lang, "地市", "Prefecture"),
        match lang {
            Lang::Zh => &p.prefecture,
            Lang::En => &p.prefecture_en,
        },
        p.prefecture_adcode
    )?;
    writeln!(
        out,
        "  {}: {}",
        tr(lang, "经济区", "Economic region"),
        p.region_id.name(lang)
    )?;
    let formers: Vec<String> = p
        .former_names
        .iter()
        .map(|f| {
            let name = &f.name;
            let code = f.adcode.map(|c| format!(" {c}")).unwrap_or_default();
            let year = f.year.map(|y| format!(", {y}")).unwrap_or_default();
            let partial = if f.partial {
                tr(lang, ", 非整建制", ", partial")
            } else {
                ""
            };
            format!("{name}{code}{year}{partial}")
        })
        .collect();
    if !formers.is_empty() {
        writeln!(
            out,
            "  {}: {}",
            tr(lang, "曾用名", "Former names"),
            formers.join("; ")
        )?;
    }
    writeln!(
        out,
        "  {}: {} {} ({})",
        tr(lang, "面积", "Area"),
        number(p.area_km2, 1),
        tr(lang, "平方公里", "km²"),
        tr(
            lang,
            "按边界在Albers等积投影上计算,非官方面积",
            "computed from the boundary on the Albers equal-area projection; not an official area"
        )
    )?;
    let population = p.population_2020.map_or_else(
        || tr(lang, "无数据", "no data").to_owned(),
        |v| number(v as f64, 0),
    );
    writeln!(
        out,
        "  {}: {} {}",
        tr(lang, "常住人口(2020)", "Population (2020)"),
        population,
        tr(lang, "人", "persons")
    )?;
    let names = match lang {
        Lang::Zh => &p.neighbor_names,
        Lang::En => &p.neighbor_names_en,
    };
    let neighbours: Vec<String> = names
        .iter()
        .zip(&p.neighbors)
        .map(|(n, c)| format!("{n} {c}"))
        .collect();
    writeln!(
        out,
        "  {} ({}): {}",
        tr(lang, "相邻县区", "Neighbours"),
        neighbours.len(),
        neighbours.join(", ")
    )?;
    Ok(())
}

fn write_indicators(
    values: &[IndicatorValue],
    lang: Lang,
    detail: Detail,
    out: &mut String,
) -> std::fmt::Result {
    writeln!(out, "\n{}", tr(lang, "指标", "Indicators"))?;
    for v in values {
        let (factor, unit) = crate::atlas::display_unit(&v.unit, lang);
        let shown = match &v.category {
            Some(category) => category.get(lang).to_owned(),
            None => format!("{} {unit}", number(v.value * factor, 2)),
        };
        let level = if v.level == Level::Prefecture {
            tr(lang, " [市级数值]", " [prefecture-level value]")
        } else {
            ""
        };
        let computed = if v.computed {
            tr(lang, " [计算值]", " [computed]")
        } else {
            ""
        };
        let province = v
            .province_value
            .map(|p| {
                format!(
                    " ({} {})",
                    tr(lang, "全省", "province"),
                    number(p * factor, 2)
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "  {} {}: {}{}{}{}",
            v.name.get(lang),
            v.year,
            shown,
            province,
            level,
            computed
        )?;
        if let Some(line) = series_line(v, lang) {
            writeln!(out, "      {line}")?;
        }
        if let Some(c) = &v.comparison {
            let whole = if v.level == Level::Prefecture {
                tr(lang, "个市州", " prefectures")
            } else {
                ""
            };
            let neighbours = c
                .neighbor_mean
                .map_or_else(|| "—".to_owned(), |m| number(m * factor, 2));
            let neighbour_label = if v.level == Level::Prefecture {
                tr(lang, "相邻市州均值", "neighbouring prefectures' mean")
            } else {
                tr(lang, "相邻均值", "neighbour mean")
            };
            writeln!(
                out,
                "      {} {}/{}{whole}, {} {}/{}; {} {}; {} {}",
                tr(lang, "全省排名", "rank in province"),
                c.province_rank.rank,
                c.province_rank.of,
                tr(lang, "区内排名", "in region"),
                c.region_rank.rank,
                c.region_rank.of,
                tr(lang, "区域均值", "region mean"),
                number(c.region_mean * factor, 2),
                neighbour_label,
                neighbours,
            )?;
        }
        write_note(v.note.as_deref(), lang, detail, out)?;
        write_annotation(v.document.is_some(), &v.source, lang, detail, out)?;
        writeln!(
            out,
            "      {}: {}",
            tr(lang, "来源", "source"),
            cite(v.document.as_ref(), &v.source, lang)
        )?;
    }
    Ok(())
}

/// A series's first and last year, values and change ("历年 2013–2020: 7.62 → 13.78
/// nW/cm²/sr (+80.8%)"), for a value shown at the latest year of a series.
pub fn series_line(v: &IndicatorValue, lang: Lang) -> Option<String> {
    let (first, last) = (v.series.first()?, v.series.last()?);
    if v.series.len() < 2 {
        return None;
    }
    let (factor, unit) = crate::atlas::display_unit(&v.unit, lang);
    let change = if first.value > 0.0 {
        format!(" ({:+.1}%)", (last.value / first.value - 1.0) * 100.0)
    } else {
        String::new()
    };
    let gaps = if v.series.len() < (last.year - first.year + 1) as usize {
        tr(lang, ",部分年份无数据", "; some years have no value")
    } else {
        ""
    };
    Some(format!(
        "{} {}–{}{gaps}: {} → {} {unit}{change}",
        tr(lang, "历年", "over the years"),
        first.year,
        last.year,
        number(first.value * factor, 2),
        number(last.value * factor, 2),
    ))
}

fn write_designations(
    p: &CountyProfile,
    lang: Lang,
    detail: Detail,
    out: &mut String,
) -> std::fmt::Result {
    writeln!(out, "\n{}", tr(lang, "称号与名单", "Designations"))?;
    if p.designations.is_empty() {
        writeln!(
            out,
            "  {}",
            tr(lang, "(内置名单中无)", "(none in the built-in lists)")
        )?;
    }
    for d in &p.designations {
        let level = if d.level == Level::Prefecture {
            format!(
                " [{}: {}]",
                tr(lang, "市州整体", "whole prefecture"),
                p.prefecture
            )
        } else {
            String::new()
        };
        let status = if d.status == DesignationStatus::Candidate {
            tr(lang, " [候选/建议,非最终]", " [candidate, not final]")
        } else {
            ""
        };
        let batch = d
            .batch
            .as_ref()
            .map(|b| format!(", {} {b}", tr(lang, "批次", "batch")))
            .unwrap_or_default();
        let member_detail = d
            .detail
            .as_ref()
            .map(|x| format!(": {x}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} ({}{batch}){member_detail}{level}{status}",
            d.name.get(lang),
            d.year
        )?;
        write_note(d.note.as_deref(), lang, detail, out)?;
        write_annotation(d.document.is_some(), &d.source, lang, detail, out)?;
        writeln!(
            out,
            "      {}: {}",
            tr(lang, "来源", "source"),
            cite(d.document.as_ref(), &d.source, lang)
        )?;
    }
    Ok(())
}

/// A value's working note, when the text is to carry them.
fn write_note(
    note: Option<&str>,
    lang: Lang,
    detail: Detail,
    out: &mut String,
) -> std::fmt::Result {
    match (note, detail) {
        (Some(note), Detail::WithNotes) => {
            writeln!(out, "      {}: {note}", tr(lang, "详情", "details"))
        }
        _ => Ok(()),
    }
}

/// With the details, the source as it was recorded, where the citation shortened it to its
/// addresses.
fn write_annotation(
    has_document: bool,
    source: &str,
    lang: Lang,
    detail: Detail,
    out: &mut String,
) -> std::fmt::Result {
    if detail == Detail::WithNotes && has_document && crate::atlas::copy_addresses(source) != source
    {
        writeln!(
            out,
            "      {}: {source}",
            tr(lang, "副本说明", "copy as recorded")
        )?;
    }
    Ok(())
}
