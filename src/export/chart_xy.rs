//! The Compare panel's distribution and scatter charts as files: the histogram of the mapped
//! layer with the map's class breaks (each bin in its class's colour), the Moran scatter plot
//! (its quadrants named, Moran's I as the slope) and the scatter of two layers (Pearson's r,
//! the least-squares line). Drawn in the same frame as the group charts ([`super::chart`]):
//! SVG with real text, PNG by [`super::chart::chart_png`].

use super::chart::{
    BAR, HEIGHT, INK, LEFT, RIGHT, TOP, WIDTH, close, nice_ticks, open, titled, y_grid, year_prefix,
};
use super::svg::escape;
use crate::analysis::chart_data::{Histogram, Scatter, ScatterStatistic};
use crate::analysis::classify::Classification;
use crate::analysis::group_compare::GroupComparison;
use crate::format::number;
use crate::i18n::{Lang, tr};
use std::fmt::Write;

/// The plot area's bottom margin: room for the x axis's numbers and title, and the footer.
const BOTTOM: f32 = 110.0;
const MARKED: &str = "#d62828";

/// What a chart says around its plot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartText {
    /// The title (what is shown, with its unit).
    pub title: String,
    /// Year, method, the statistic.
    pub subtitle: String,
    /// The x axis's title.
    pub x: String,
    /// The y axis's title.
    pub y: String,
}

/// The x→page and y→page mappings of a plot over value ranges, with the ranges' ticks.
struct Axes {
    x_ticks: Vec<f64>,
    y_ticks: Vec<f64>,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl Axes {
    fn new(x: (f64, f64), y: (f64, f64)) -> Self {
        let spread = |(lo, hi): (f64, f64)| {
            if hi > lo {
                (lo, hi)
            } else {
                (lo - 0.5, hi + 0.5)
            }
        };
        let (x, y) = (spread(x), spread(y));
        let x_ticks = nice_ticks(x.0, x.1);
        let y_ticks = nice_ticks(y.0, y.1);
        let range = |ticks: &[f64], (lo, hi): (f64, f64)| {
            (
                ticks.first().copied().unwrap_or(lo).min(lo),
                ticks.last().copied().unwrap_or(hi).max(hi),
            )
        };
        Axes {
            x_range: range(&x_ticks, x),
            y_range: range(&y_ticks, y),
            x_ticks,
            y_ticks,
        }
    }

    fn plot_w() -> f32 {
        WIDTH - LEFT - RIGHT
    }

    fn plot_h() -> f32 {
        HEIGHT - TOP - BOTTOM
    }

    fn x(&self, v: f64) -> f32 {
        let (lo, hi) = self.x_range;
        LEFT + ((v - lo) / (hi - lo)) as f32 * Self::plot_w()
    }

    fn y(&self, v: f64) -> f32 {
        let (lo, hi) = self.y_range;
        TOP + Self::plot_h() - ((v - lo) / (hi - lo)) as f32 * Self::plot_h()
    }

    /// The grid, the axes' numbers and titles.
    fn draw(&self, svg: &mut String, text: &ChartText) {
        let bottom = TOP + Self::plot_h();
        y_grid(
            svg,
            &self.y_ticks,
            |v| self.y(v),
            LEFT,
            LEFT + Self::plot_w(),
        );
        for &t in &self.x_ticks {
            let tx = self.x(t);
            let _ = write!(
                svg,
                r##"<line x1="{tx:.1}" y1="{bottom:.1}" x2="{tx:.1}" y2="{:.1}" stroke="{INK}" stroke-width="0.6"/><text x="{tx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
                bottom + 4.0,
                bottom + 17.0,
                escape(&number(t, 2))
            );
        }
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="{INK}" stroke-width="0.8"/><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom:.1}" stroke="{INK}" stroke-width="0.8"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="{INK}">{}</text><text x="18" y="{:.1}" font-size="12" text-anchor="middle" fill="{INK}" transform="rotate(-90 18 {:.1})">{}</text>"##,
            LEFT + Self::plot_w(),
            LEFT + Self::plot_w() / 2.0,
            bottom + 36.0,
            escape(&text.x),
            TOP + Self::plot_h() / 2.0,
            TOP + Self::plot_h() / 2.0,
            escape(&text.y)
        );
    }
}

/// The histogram as SVG: each bin in the colour of the class its middle falls in (`breaks`
/// are the classes' upper bounds, `colours` theirs), the breaks drawn across it.
pub fn histogram_svg(
    histogram: &Histogram,
    breaks: &[f64],
    colours: &[[u8; 3]],
    text: &ChartText,
    sources: &[String],
    lang: Lang,
) -> String {
    let most = histogram.counts.iter().copied().max().unwrap_or(0) as f64;
    let axes = Axes::new((histogram.low, histogram.high()), (0.0, most.max(1.0)));
    let mut svg = open(&text.title, &text.subtitle);
    axes.draw(&mut svg, text);
    for (b, &count) in histogram.counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let from = histogram.low + histogram.width * b as f64;
        let middle = from + histogram.width / 2.0;
        let class = breaks.iter().position(|&upper| middle <= upper);
        let fill = class
            .and_then(|k| colours.get(k))
            .map_or_else(|| BAR.to_owned(), |[r, g, b]| format!("rgb({r},{g},{b})"));
        let (x0, x1) = (axes.x(from), axes.x(from + histogram.width));
        let (top, base) = (axes.y(count as f64), axes.y(0.0));
        let _ = write!(
            svg,
            r##"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{INK}" stroke-width="0.4"/>"##,
            x0 + 0.5,
            (x1 - x0 - 1.0).max(0.5),
            (base - top).max(0.5),
        );
    }
    // The breaks between classes (the last is the largest value, the histogram's end).
    let inner = &breaks[..breaks.len().saturating_sub(1)];
    // A break's number that would touch its neighbour's is set inside the plot instead, to
    // the right of its line.
    let mut last_x = f32::NEG_INFINITY;
    let mut lowered = false;
    for &upper in inner {
        let x = axes.x(upper);
        lowered = x - last_x < 34.0 && !lowered;
        last_x = x;
        let (label_x, label_y, anchor) = if lowered {
            (x + 3.0, TOP + 12.0, "start")
        } else {
            (x, TOP - 4.0, "middle")
        };
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="{INK}" stroke-width="1" stroke-dasharray="4 2"/><text x="{label_x:.1}" y="{label_y:.1}" font-size="10" text-anchor="{anchor}" fill="{INK}">{}</text>"##,
            TOP + Axes::plot_h(),
            escape(&number(upper, 2))
        );
    }
    close(svg, sources, lang)
}

/// The scatter as SVG: the counties as dots, those in `marked` (index into the points, with
/// the name written beside) in red, the fitted line, and for a Moran scatter plot the axes
/// through zero with the quadrants named.
pub fn scatter_svg(
    scatter: &Scatter,
    marked: &[(usize, String)],
    moran_quadrants: bool,
    text: &ChartText,
    sources: &[String],
    lang: Lang,
) -> String {
    let range = |axis: usize| {
        scatter
            .points
            .iter()
            .map(|p| p[axis])
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let (x, y) = (range(0), range(1));
    let (x, y) = if scatter.points.is_empty() {
        ((0.0, 1.0), (0.0, 1.0))
    } else {
        (x, y)
    };
    let axes = Axes::new(x, y);
    let mut svg = open(&text.title, &text.subtitle);
    axes.draw(&mut svg, text);
    if moran_quadrants {
        let (x0, y0) = (axes.x(0.0), axes.y(0.0));
        let _ = write!(
            svg,
            r##"<line x1="{x0:.1}" y1="{TOP}" x2="{x0:.1}" y2="{:.1}" stroke="#999" stroke-width="0.8"/><line x1="{LEFT}" y1="{y0:.1}" x2="{:.1}" y2="{y0:.1}" stroke="#999" stroke-width="0.8"/>"##,
            TOP + Axes::plot_h(),
            LEFT + Axes::plot_w(),
        );
        let corner = |name: &str, right: bool, top: bool| {
            let (cx, anchor) = if right {
                (LEFT + Axes::plot_w() - 6.0, "end")
            } else {
                (LEFT + 6.0, "start")
            };
            let cy = if top {
                TOP + 16.0
            } else {
                TOP + Axes::plot_h() - 8.0
            };
            format!(
                r##"<text x="{cx:.1}" y="{cy:.1}" font-size="12" text-anchor="{anchor}" fill="#777">{}</text>"##,
                escape(name)
            )
        };
        svg.push_str(&corner(tr(lang, "高-高", "High-High"), true, true));
        svg.push_str(&corner(tr(lang, "低-高", "Low-High"), false, true));
        svg.push_str(&corner(tr(lang, "低-低", "Low-Low"), false, false));
        svg.push_str(&corner(tr(lang, "高-低", "High-Low"), true, false));
    }
    for p in &scatter.points {
        let _ = write!(
            svg,
            r##"<circle cx="{:.1}" cy="{:.1}" r="2.6" fill="{BAR}" fill-opacity="0.75"/>"##,
            axes.x(p[0]),
            axes.y(p[1])
        );
    }
    if let Some((slope, intercept)) = scatter.line
        && let Some((from, to)) = clip_line(slope, intercept, axes.x_range, axes.y_range)
    {
        let _ = write!(
            svg,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{INK}" stroke-width="1.2"/>"##,
            axes.x(from),
            axes.y(slope * from + intercept),
            axes.x(to),
            axes.y(slope * to + intercept)
        );
    }
    for (i, name) in marked {
        let Some(p) = scatter.points.get(*i) else {
            continue;
        };
        let (cx, cy) = (axes.x(p[0]), axes.y(p[1]));
        let _ = write!(
            svg,
            r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="4.5" fill="{MARKED}" stroke="white" stroke-width="0.8"/><text x="{:.1}" y="{:.1}" font-size="11" fill="{MARKED}">{}</text>"##,
            cx + 6.0,
            cy - 5.0,
            escape(name)
        );
    }
    close(svg, sources, lang)
}

/// The histogram of the compared layer (`table`'s name, unit and year) with the map's
/// `classification` and its classes' `colours`.
pub fn histogram_chart(
    table: &GroupComparison,
    histogram: &Histogram,
    classification: &Classification,
    colours: &[[u8; 3]],
    sources: &[String],
    lang: Lang,
) -> String {
    let text = ChartText {
        title: layer_title(table, lang),
        subtitle: format!(
            "{}{} · {} {}{}",
            year_prefix(table.year, lang),
            tr(
                lang,
                "分布与地图分级断点(虚线)",
                "distribution with the map's class breaks (dashed)"
            ),
            classification.method.name().get(lang),
            classification.len(),
            tr(lang, "级", " classes"),
        ),
        x: layer_title(table, lang),
        y: tr(lang, "县区数", "counties").to_owned(),
    };
    histogram_svg(
        histogram,
        &classification.breaks,
        colours,
        &text,
        sources,
        lang,
    )
}

/// The Moran scatter plot of the compared layer, `marked` counties named.
pub fn moran_chart(
    table: &GroupComparison,
    scatter: &Scatter,
    marked: &[(usize, String)],
    sources: &[String],
    lang: Lang,
) -> String {
    let text = ChartText {
        title: layer_title(table, lang),
        subtitle: scatter_subtitle(table, scatter, lang),
        x: tr(lang, "标准化值", "standardised value").to_owned(),
        y: tr(
            lang,
            "邻县标准化值的均值(空间滞后)",
            "neighbours' mean (spatial lag)",
        )
        .to_owned(),
    };
    scatter_svg(scatter, marked, true, &text, sources, lang)
}

/// The compared layer (y) against the layer named `x_name` (x), `marked` counties named.
pub fn two_layer_chart(
    table: &GroupComparison,
    scatter: &Scatter,
    x_name: &str,
    marked: &[(usize, String)],
    sources: &[String],
    lang: Lang,
) -> String {
    let text = ChartText {
        title: layer_title(table, lang),
        subtitle: scatter_subtitle(table, scatter, lang),
        x: x_name.to_owned(),
        y: layer_title(table, lang),
    };
    scatter_svg(scatter, marked, false, &text, sources, lang)
}

/// The points of `units` in `scatter`, each with its name, for [`scatter_svg`]'s `marked`.
pub fn marked_points(
    atlas: &crate::atlas::Atlas,
    scatter: &Scatter,
    units: &[crate::atlas::UnitId],
    lang: Lang,
) -> Vec<(usize, String)> {
    units
        .iter()
        .filter_map(|&u| {
            let i = scatter.units.binary_search(&u).ok()?;
            Some((i, atlas.unit(u).name_in(lang).to_owned()))
        })
        .collect()
}

/// "2020年 · n = 183 · Moran's I = …": the year and what the points say.
fn scatter_subtitle(table: &GroupComparison, scatter: &Scatter, lang: Lang) -> String {
    format!(
        "{}{}",
        year_prefix(table.year, lang),
        statistic_text(scatter, lang)
    )
}

fn layer_title(table: &GroupComparison, lang: Lang) -> String {
    titled(table.name.get(lang), table.unit.get(lang), lang)
}

/// What a scatter states: "n = 183 · Moran's I = 0.412, p_sim = 0.001 · queen weights, 999
/// permutations" or "n = 183 · r = 0.731".
pub fn statistic_text(scatter: &Scatter, lang: Lang) -> String {
    let n = format!("n = {}", scatter.points.len());
    match scatter.statistic {
        ScatterStatistic::Moran { i, p_sim } => format!(
            "{n} · Moran's I = {i:.3}{} · {}",
            p_sim.map_or_else(String::new, |p| format!(", p_sim = {p:.3}")),
            tr(
                lang,
                "邻接权重,999次置换",
                "queen weights, 999 permutations"
            )
        ),
        ScatterStatistic::Pearson(r) => format!(
            "{n}{}",
            r.map_or_else(String::new, |r| format!(" · r = {r:.3}"))
        ),
    }
}

/// The x interval over which the line y = slope·x + intercept lies inside the plot's ranges;
/// `None` where it misses the plot.
fn clip_line(
    slope: f64,
    intercept: f64,
    (x_lo, x_hi): (f64, f64),
    (y_lo, y_hi): (f64, f64),
) -> Option<(f64, f64)> {
    let (mut from, mut to) = (x_lo, x_hi);
    if slope != 0.0 {
        let (a, b) = ((y_lo - intercept) / slope, (y_hi - intercept) / slope);
        from = from.max(a.min(b));
        to = to.min(a.max(b));
    } else if !(y_lo..=y_hi).contains(&intercept) {
        return None;
    }
    (from < to).then_some((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_clipped_to_the_plot() {
        // y = 2x over x in 0..10 and y in 0..10: only x in 0..5 is inside.
        assert_eq!(
            clip_line(2.0, 0.0, (0.0, 10.0), (0.0, 10.0)),
            Some((0.0, 5.0))
        );
        assert_eq!(clip_line(-1.0, 20.0, (0.0, 10.0), (0.0, 10.0)), None);
        assert_eq!(
            clip_line(0.0, 3.0, (0.0, 10.0), (0.0, 10.0)),
            Some((0.0, 10.0))
        );
        assert_eq!(clip_line(0.0, 30.0, (0.0, 10.0), (0.0, 10.0)), None);
    }
}
