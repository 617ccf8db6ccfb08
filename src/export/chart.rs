//! The Compare panel's charts as files for a briefing: the groups' means as bars (the
//! province's mean dashed across them) or a box plot per group, written as SVG (real text in
//! the bundled font) and rasterised to PNG by resvg, with a title, axis, and a footer citing
//! the values' documents. One drawing serves both formats, so they show the same chart.

use super::ExportError;
use super::svg::escape;
use crate::analysis::group_compare::{BoxSummary, GroupComparison};
use crate::format::number;
use crate::i18n::{Lang, tr};
use std::fmt::Write;

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Each group's mean, as a bar.
    Means,
    /// Each group's distribution: quartiles, whiskers at 1.5 IQR, the values beyond them.
    Boxes,
}

impl std::str::FromStr for ChartKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "means" | "bars" => Ok(ChartKind::Means),
            "boxes" | "box" => Ok(ChartKind::Boxes),
            other => Err(format!(
                "图表“{other}”无法识别:请用 means 或 boxes / unknown chart '{other}': use means or boxes"
            )),
        }
    }
}

/// Page size of a chart, in points.
pub(super) const WIDTH: f32 = 800.0;
pub(super) const HEIGHT: f32 = 500.0;
/// The plot area's margins.
pub(super) const LEFT: f32 = 80.0;
pub(super) const RIGHT: f32 = 30.0;
pub(super) const TOP: f32 = 70.0;
const BOTTOM: f32 = 160.0;
pub(super) const BAR: &str = "#5a78aa";
pub(super) const INK: &str = "#222222";

/// The chart of `table` as SVG; `sources` are cited in the footer.
pub fn chart_svg(
    table: &GroupComparison,
    kind: ChartKind,
    sources: &[String],
    lang: Lang,
) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let groups = table.rows.len().max(1);
    let slot = plot_w / groups as f32;
    // The value range: from 0 (bars start at zero) or the smallest value, to the largest.
    let all: Vec<f64> = table.values.iter().flatten().copied().collect();
    let (lo, hi) = match kind {
        ChartKind::Means => {
            let means: Vec<f64> = table.rows.iter().filter_map(|r| r.mean).collect();
            let max = means.iter().copied().fold(0.0_f64, f64::max);
            let min = means.iter().copied().fold(0.0_f64, f64::min);
            (min, max)
        }
        ChartKind::Boxes => (
            all.iter().copied().fold(f64::INFINITY, f64::min),
            all.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ),
    };
    let (lo, hi) = if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi)
    } else {
        (lo.min(0.0), lo.max(0.0) + 1.0)
    };
    let ticks = nice_ticks(lo, hi);
    let (lo, hi) = (
        ticks.first().copied().unwrap_or(lo).min(lo),
        ticks.last().copied().unwrap_or(hi).max(hi),
    );
    let y = |v: f64| TOP + plot_h - ((v - lo) / (hi - lo)) as f32 * plot_h;

    let title = titled(table.name.get(lang), table.unit.get(lang), lang);
    let year = year_prefix(table.year, lang);
    let subtitle = format!(
        "{year}{} · {}",
        table.grouping.get(lang),
        match kind {
            ChartKind::Means => tr(
                lang,
                "各组均值(虚线为全省均值)",
                "group means (dashed: the province's)"
            ),
            ChartKind::Boxes => tr(
                lang,
                "各组分布(须线为1.5倍四分位距)",
                "distribution per group (whiskers at 1.5 IQR)"
            ),
        }
    );
    let mut svg = open(&title, &subtitle);
    y_grid(&mut svg, &ticks, y, LEFT, LEFT + plot_w);
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{:.1}" stroke="{INK}" stroke-width="0.8"/>"##,
        TOP + plot_h
    );
    let label_width = |name: &str| -> f32 {
        name.chars()
            .map(|c| if c.is_ascii() { 6.0 } else { 11.0 })
            .sum()
    };
    let slanted = table
        .rows
        .iter()
        .any(|r| label_width(r.group.get(lang)) > slot * 0.95);
    for (g, row) in table.rows.iter().enumerate() {
        let cx = LEFT + slot * (g as f32 + 0.5);
        match kind {
            ChartKind::Means => {
                if let Some(mean) = row.mean {
                    let (top, base) = (y(mean.max(0.0)), y(mean.min(0.0)));
                    let _ = write!(
                        svg,
                        r##"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{BAR}"/><text x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="{INK}">{}</text>"##,
                        cx - slot * 0.35,
                        slot * 0.7,
                        (base - top).max(0.5),
                        top - 4.0,
                        escape(&number(mean, 2))
                    );
                }
            }
            ChartKind::Boxes => {
                let v = table.values.get(g).cloned().unwrap_or_default();
                let Some(BoxSummary {
                    low,
                    q1,
                    median: q2,
                    q3,
                    high,
                }) = BoxSummary::of(&v)
                else {
                    continue;
                };
                let half = slot * 0.3;
                let _ = write!(
                    svg,
                    r##"<line x1="{cx:.1}" y1="{:.1}" x2="{cx:.1}" y2="{:.1}" stroke="{INK}" stroke-width="0.8"/><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#c9d3e6" stroke="{INK}" stroke-width="0.8"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{INK}" stroke-width="1.6"/>"##,
                    y(high),
                    y(low),
                    cx - half,
                    y(q3),
                    half * 2.0,
                    (y(q1) - y(q3)).max(0.5),
                    cx - half,
                    y(q2),
                    cx + half,
                    y(q2)
                );
                for &x in v.iter().filter(|&&x| x < low || x > high) {
                    let _ = write!(
                        svg,
                        r##"<circle cx="{cx:.1}" cy="{:.1}" r="2.2" fill="none" stroke="{INK}" stroke-width="0.7"/>"##,
                        y(x)
                    );
                }
            }
        }
        if row.with_value == 0 {
            let _ = write!(
                svg,
                r##"<text x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#888">{}</text>"##,
                TOP + plot_h - 8.0,
                tr(lang, "无数据", "no data")
            );
        }
        // The group's name under its slot; all slanted when one is wider than its slot.
        let name = row.group.get(lang);
        let label = escape(name);
        let ly = TOP + plot_h + 16.0;
        if slanted {
            // Slanted names are cut short, clear of the footer.
            let label = escape(&shorten(name, 22));
            let _ = write!(
                svg,
                r##"<text x="{cx:.1}" y="{ly:.1}" font-size="11" text-anchor="end" fill="{INK}" transform="rotate(-40 {cx:.1} {ly:.1})">{label}</text>"##
            );
        } else {
            let _ = write!(
                svg,
                r##"<text x="{cx:.1}" y="{ly:.1}" font-size="11" text-anchor="middle" fill="{INK}">{label}</text>"##
            );
        }
    }
    if let (ChartKind::Means, Some(mean)) = (kind, table.province.mean) {
        let py = y(mean);
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{py:.1}" x2="{:.1}" y2="{py:.1}" stroke="#c0392b" stroke-width="1" stroke-dasharray="5 3"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#c0392b">{} {}</text>"##,
            LEFT + plot_w,
            LEFT + plot_w,
            py - 4.0,
            tr(lang, "全省", "province"),
            escape(&number(mean, 2))
        );
    }
    close(svg, sources, lang)
}

/// "name (unit)", or the name alone for a layer without a unit.
pub fn titled(name: &str, unit: &str, lang: Lang) -> String {
    if unit.is_empty() {
        return name.to_owned();
    }
    format!("{name}{}{unit}{}", tr(lang, "(", " ("), tr(lang, ")", ")"))
}

/// "2020年 · ", or nothing for a layer without a year (0).
pub fn year_prefix(year: i32, lang: Lang) -> String {
    match year {
        0 => String::new(),
        year => match lang {
            Lang::Zh => format!("{year}年 · "),
            Lang::En => format!("{year} · "),
        },
    }
}

/// A chart's SVG begun: the white page, the title and the subtitle.
pub(super) fn open(title: &str, subtitle: &str) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}pt" height="{HEIGHT}pt" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{}"><rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"##,
        crate::assets::FONT_FAMILY
    );
    let _ = write!(
        svg,
        r##"<text x="{LEFT}" y="30" font-size="18" fill="{INK}">{}</text><text x="{LEFT}" y="52" font-size="12" fill="#555">{}</text>"##,
        escape(title),
        escape(subtitle)
    );
    svg
}

/// Horizontal grid lines at `ticks` (placed by `y`) from `x0` to `x1`, labelled at the left.
pub(super) fn y_grid(svg: &mut String, ticks: &[f64], y: impl Fn(f64) -> f32, x0: f32, x1: f32) {
    for &t in ticks {
        let ty = y(t);
        let _ = write!(
            svg,
            r##"<line x1="{x0}" y1="{ty:.1}" x2="{x1:.1}" y2="{ty:.1}" stroke="#dddddd" stroke-width="0.6"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#555">{}</text>"##,
            x0 - 6.0,
            ty + 4.0,
            escape(&number(t, 2))
        );
    }
}

/// The chart's SVG finished: a footer citing `sources` and the program, at most three lines
/// (the file's reader has the full sources in the table).
pub(super) fn close(mut svg: String, sources: &[String], lang: Lang) -> String {
    let footer = format!(
        "{}{} · county-atlas {}",
        tr(lang, "数据:", "Data: "),
        sources.join(tr(lang, ";", "; ")),
        env!("CARGO_PKG_VERSION")
    );
    let lines = wrap(&crate::format::page_text(&footer).0, WIDTH - 40.0, 9.0);
    for (i, line) in lines.iter().take(3).enumerate() {
        let _ = write!(
            svg,
            r##"<text x="20" y="{:.1}" font-size="9" fill="#555">{}</text>"##,
            HEIGHT - 40.0 + 12.0 * i as f32,
            escape(line)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// What a chart's footer cites for `layer` in `year`: the official documents first (title,
/// issuer, year), then the address where the first copy was read.
pub fn chart_sources(
    atlas: &crate::atlas::Atlas,
    layer: &crate::atlas::Layer,
    year: i32,
) -> Vec<String> {
    let documents = super::page::layer_documents(atlas, layer, year);
    let addresses = super::page::layer_sources(atlas, layer, year);
    let mut cited: Vec<String> = documents.iter().map(|d| d.cite()).collect();
    if let Some(address) = addresses.first() {
        cited.push(address.clone());
    }
    cited
}

/// What a two-layer scatter's footer cites: `y_layer`'s sources in `year`, then those of
/// `x_layer` in the year the scatter reads it (its best-covered), without repeats.
pub fn two_layer_sources(
    atlas: &crate::atlas::Atlas,
    y_layer: &crate::atlas::Layer,
    year: i32,
    x_layer: &crate::atlas::Layer,
) -> Vec<String> {
    let mut sources = chart_sources(atlas, y_layer, year);
    let x_year = crate::analysis::mapped::MappedValues::new(
        atlas,
        x_layer,
        None,
        crate::analysis::mapped::Normalization::None,
    )
    .map_or(0, |m| m.year);
    for source in chart_sources(atlas, x_layer, x_year) {
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    sources
}

/// Splits `text` into lines of at most about `width` points at `size`, by a rough measure
/// (a CJK character is as wide as the size, another character about half).
fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut used = 0.0;
    for c in text.chars() {
        let w = if crate::format::display_width(c.encode_utf8(&mut [0; 4])) > 1 {
            size
        } else {
            size * 0.55
        };
        if used + w > width {
            lines.push(String::new());
            used = 0.0;
        }
        used += w;
        if let Some(line) = lines.last_mut() {
            line.push(c);
        }
    }
    lines
}

/// `name` cut to `max` characters, an ellipsis marking the cut.
fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_owned();
    }
    let mut short: String = name.chars().take(max - 1).collect();
    short.push('…');
    short
}

/// The chart rasterised to PNG at `scale` pixels per point.
pub fn chart_png(svg: &str, scale: f32) -> Result<Vec<u8>, ExportError> {
    let tree = super::parse_svg(svg)?;
    let (width, height) = ((WIDTH * scale) as u32, (HEIGHT * scale) as u32);
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(ExportError::Size { width, height })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    // The tree is sized in CSS pixels (the SVG's points × 4/3): scale it to the pixmap.
    let to_pixels = width as f32 / tree.size().width();
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(to_pixels, to_pixels),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Encode(e.to_string()))
}

/// Round tick values covering lo..hi (about five).
pub(super) fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = (hi - lo) / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    // From below lo to the first tick at or above hi.
    let mut t = start;
    loop {
        ticks.push(t);
        if t >= hi || ticks.len() >= 12 {
            break;
        }
        t += step;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 1626.0),
            vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]
        );
        let ticks = nice_ticks(5.12, 100.0);
        assert!(
            ticks[0] <= 5.12 && *ticks.last().unwrap() >= 100.0,
            "{ticks:?}"
        );
    }

    #[test]
    fn long_names_are_cut_and_footers_wrap() {
        assert_eq!(
            shorten("Northwest Sichuan Ecological Demonstration Zone", 10),
            "Northwest…"
        );
        assert_eq!(shorten("川南经济区", 10), "川南经济区");
        let lines = wrap(&"数据".repeat(100), 200.0, 10.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| l.chars().count() <= 20));
    }
}
