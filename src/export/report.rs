//! A county's graded report (分级报告) as one A4 page, drawn by the same SVG and PDF backends
//! as the briefing map: the county and its neighbours mapped by the composite (names from the
//! scene, the county outlined), a locator of the province, the score with its ranks, group and
//! rank interval, each dimension as a bar against the region's, the class's and the
//! province's mean, every indicator against the provincial mean, strengths and weaknesses,
//! target gaps, the neighbours, the LISA quadrant, the method and every source. Everything
//! said comes from [`CountyReport`]; this only places it.

use super::ExportError;
use super::metrics::TextWidths;
use super::options::ExportOptions;
use super::page::{
    Align, FRAME, INK, Item, MUTED_INK, MapFrame, Page, PageInput, Rect, boxed_missing_glyphs,
    map_items, record, swatch_item, text, wrap,
};
use super::record::Record;
use crate::analysis::composite::Grade;
use crate::analysis::composite::layers::SCORE;
use crate::analysis::composite::report::CountyReport;
use crate::format::number;
use crate::i18n::{Lang, tr};
use crate::scene::{
    Camera, Frame, MapDocument, MapSpec, MapStyle, NameSizes, Rgba, Theme, Workspace, bounds_of,
    compose, flags,
};

/// A4 portrait, points.
pub(super) const PAGE: [f32; 2] = [595.0, 842.0];
pub(super) const MARGIN: f32 = 34.0;
/// The width between the margins.
pub(super) const CONTENT_W: f32 = PAGE[0] - 2.0 * MARGIN;
/// The county on the locator.
const ACCENT: Rgba = [200, 30, 40, 255];
/// The other counties on the locator.
const LOCATOR_GREY: Rgba = [228, 228, 228, 255];
/// The county's bar, and the marks of the means.
pub(super) const BAR: Rgba = [34, 94, 168, 255];
pub(super) const BAR_BACK: Rgba = [236, 236, 236, 255];
pub(super) const REGION_MARK: Rgba = [230, 120, 20, 255];
const CLASS_MARK: Rgba = [120, 60, 160, 255];
pub(super) const PROVINCE_MARK: Rgba = [30, 30, 30, 255];
pub(super) const GOOD: Rgba = [26, 120, 60, 255];
pub(super) const BAD: Rgba = [190, 40, 40, 255];

/// The map style every report of a batch shares: the composite by quantiles, names shown.
pub fn score_style(workspace: &Workspace, theme: &Theme) -> Result<MapStyle, ExportError> {
    let layer = score_layer(workspace)?;
    let doc = score_document();
    Ok(MapStyle::new(&workspace.atlas, layer, &doc, theme)?)
}

pub(super) fn score_document() -> MapDocument {
    MapDocument {
        labels: true,
        region_borders: false,
        ..MapDocument::of(MapSpec {
            layer: SCORE.to_owned(),
            palette: "YlGnBu".parse().unwrap_or_default(),
            ..MapSpec::default()
        })
    }
}

/// Places text, rows and blocks down the page.
pub(super) struct Writer<'a> {
    /// What is placed so far.
    pub items: Vec<Item>,
    /// The bundled font's widths.
    pub widths: &'a TextWidths,
    /// The page's language.
    pub lang: Lang,
}

impl<'a> Writer<'a> {
    /// An empty page's writer.
    pub(super) fn new(widths: &'a TextWidths, lang: Lang) -> Self {
        Writer {
            items: Vec::new(),
            widths,
            lang,
        }
    }

    pub(super) fn width(&self, s: &str, size: f32) -> f32 {
        self.widths.of(s, size)
    }

    pub(super) fn line(&mut self, x: f32, y: f32, s: &str, size: f32, colour: Rgba) {
        self.items.push(text(x, y, s, size, Align::Left, colour));
    }

    /// Wrapped text from `y` (the first baseline); returns the next free baseline.
    pub(super) fn paragraph(
        &mut self,
        x: f32,
        mut y: f32,
        w: f32,
        s: &str,
        font: (f32, Rgba),
        lines: usize,
    ) -> f32 {
        let (size, colour) = font;
        let width_of = |t: &str, size: f32| self.widths.of(t, size);
        for line in wrap(s, w, size, &width_of, lines) {
            self.items
                .push(text(x, y, &line, size, Align::Left, colour));
            y += size * 1.3;
        }
        y
    }

    pub(super) fn heading(&mut self, y: f32, zh: &'static str, en: &'static str) -> f32 {
        let s = tr(self.lang, zh, en).to_owned();
        self.line(MARGIN, y, &s, 9.5, INK);
        self.items.push(Item::Line {
            points: vec![[MARGIN, y + 3.0], [PAGE[0] - MARGIN, y + 3.0]],
            colour: FRAME,
            width: 0.4,
        });
        y + 14.0
    }

    /// A table's header at `y`, each title at its column (a fraction of the width between
    /// the margins): the columns' x and the first row's baseline.
    pub(super) fn table_header<const N: usize>(
        &mut self,
        y: f32,
        fractions: [f32; N],
        titles: [&str; N],
    ) -> ([f32; N], f32) {
        let columns = fractions.map(|f| MARGIN + f * CONTENT_W);
        for (x, title) in columns.iter().zip(titles) {
            self.line(*x, y, title, 6.5, MUTED_INK);
        }
        (columns, y + 10.0)
    }

    pub(super) fn t<'t>(&self, text: &'t crate::i18n::Text) -> &'t str {
        text.get(self.lang)
    }
}

pub(super) fn rank_text(rank: Option<(usize, usize)>, lang: Lang) -> String {
    match rank {
        Some((r, of)) => match lang {
            Lang::Zh => format!("第 {r}/{of} 位"),
            Lang::En => format!("{r} of {of}"),
        },
        None => "—".to_owned(),
    }
}

pub(super) fn grade_colour(grade: Grade) -> Rgba {
    match grade {
        Grade::Leader => [34, 94, 168, 255],
        Grade::Strong => [44, 140, 170, 255],
        Grade::Moderate => [90, 150, 110, 255],
        Grade::Emerging => [160, 120, 40, 255],
    }
}

/// The report page of `report`: `style` is [`score_style`]'s, shared by a batch.
pub fn report_page(
    workspace: &Workspace,
    report: &CountyReport,
    style: &MapStyle,
    options: &ExportOptions,
    theme: &Theme,
) -> Result<Page, ExportError> {
    let atlas = &workspace.atlas;
    let lang = options.lang;
    let widths = TextWidths::bundled();
    let mut w = Writer::new(&widths, lang);
    let (page_w, content_w) = (PAGE[0], CONTENT_W);

    // Title.
    let title = format!(
        "{} · {} {}",
        w.t(&report.name),
        w.t(&report.index_name),
        report.year
    );
    let mut y = MARGIN + 16.0;
    w.line(MARGIN, y, &title, 16.0, INK);
    y += 15.0;
    let mut place = vec![
        w.t(&report.prefecture).to_owned(),
        w.t(&report.region).to_owned(),
    ];
    if let Some(class) = &report.class {
        place.push(w.t(class).to_owned());
    }
    place.push(tr(lang, "县域创新分级报告", "county innovation report").to_owned());
    w.line(MARGIN, y, &place.join(" · "), 9.0, MUTED_INK);
    y += 10.0;

    // The neighbourhood map and the locator.
    let map_rect = Rect {
        x: MARGIN,
        y,
        w: content_w * 0.6,
        h: 270.0,
    };
    let mut around = vec![report.unit];
    around.extend(
        workspace
            .index()
            .neighbors(report.unit, crate::spatial::ContiguityKind::Queen)
            .iter()
            .copied(),
    );
    let (map, map_items) = score_map(
        workspace,
        style,
        theme,
        &widths,
        lang,
        ScoreMap {
            rect: map_rect,
            around: Some(&around),
            outlined: &[report.unit],
            selected: Some(report.unit),
            region_borders: false,
        },
    );
    w.items.extend(map_items);
    legend_row(&mut w, style, map_rect, theme);

    let side_x = map_rect.x + map_rect.w + 12.0;
    let side_w = page_w - MARGIN - side_x;
    let locator_rect = Rect {
        x: side_x,
        y,
        w: side_w,
        h: side_w * 0.78,
    };
    let locator = locator(&mut w, atlas, locator_rect, &[report.unit]);

    // The score box beside the map, under the locator.
    let mut sy = locator_rect.y + locator_rect.h + 16.0;
    let score = report.score.map_or_else(
        || tr(lang, "未计分", "not scored").to_owned(),
        |s| number(s, 1),
    );
    w.line(
        side_x,
        sy,
        tr(lang, "综合得分", "Composite score"),
        8.0,
        MUTED_INK,
    );
    sy += 20.0;
    w.line(side_x, sy, &score, 22.0, INK);
    if let Some(relative) = report.relative {
        let r = format!(
            "{}{}%",
            tr(lang, "全省平均的 ", "of the provincial average: "),
            number(relative, 0)
        );
        sy += 12.0;
        w.line(side_x, sy, &r, 7.5, MUTED_INK);
    }
    if let Some(grade) = report.grade {
        sy += 14.0;
        let label = format!("{}{}", tr(lang, "分级:", "Group: "), grade.name().get(lang));
        w.line(side_x, sy, &label, 10.0, grade_colour(grade));
    }
    let ranks = [
        (tr(lang, "全省", "Province"), report.rank),
        (tr(lang, "经济区内", "In region"), report.rank_in_region),
        (tr(lang, "类内", "In class"), report.rank_in_class),
    ];
    for (label, rank) in ranks {
        if label == tr(lang, "类内", "In class") && rank.is_none() {
            continue;
        }
        sy += 12.0;
        w.line(
            side_x,
            sy,
            &format!("{label} {}", rank_text(rank, lang)),
            8.0,
            INK,
        );
    }
    let mut notes: Vec<(String, f32, Rgba)> = Vec::new();
    if let Some(interval) = &report.interval {
        notes.push((
            format!(
                "{} {}–{}{}{} {}{}",
                tr(lang, "位次区间 5%–95%:", "Rank interval 5–95%:"),
                number(interval.q05, 0),
                number(interval.q95, 0),
                tr(lang, "(", " ("),
                tr(lang, "中位数", "median"),
                number(interval.median, 0),
                tr(lang, ")", ")")
            ),
            7.5,
            INK,
        ));
        if let Some(draws) = report.draws {
            notes.push((
                format!(
                    "{} {}",
                    number(draws as f64, 0),
                    tr(
                        lang,
                        "次抽样:权重、标准化、加总、去掉一个指标",
                        "draws: weights, normalisation, aggregation, one indicator left out"
                    )
                ),
                6.0,
                MUTED_INK,
            ));
        }
    }
    if let Some((from, change)) = report.progress {
        let moved = match change {
            Some(c) if c.rank_change > 0 => match lang {
                Lang::Zh => format!("上升 {} 位", c.rank_change),
                Lang::En => format!("up {}", c.rank_change),
            },
            Some(c) if c.rank_change < 0 => match lang {
                Lang::Zh => format!("下降 {} 位", -c.rank_change),
                Lang::En => format!("down {}", -c.rank_change),
            },
            Some(_) => tr(lang, "不变", "unchanged").to_owned(),
            None => tr(lang, "该年未计分", "not scored that year").to_owned(),
        };
        let line = match (lang, change) {
            (Lang::Zh, Some(c)) => format!(
                "与 {from} 年比:位次 {} → {}({moved})",
                c.rank_from,
                c.rank_now()
            ),
            (Lang::En, Some(c)) => format!(
                "Since {from}: rank {} → {} ({moved})",
                c.rank_from,
                c.rank_now()
            ),
            (Lang::Zh, None) => format!("与 {from} 年比:{moved}"),
            (Lang::En, None) => format!("Since {from}: {moved}"),
        };
        notes.push((line, 7.5, INK));
    }
    if let Some((quadrant, p)) = report.lisa {
        let q = quadrant.map_or_else(
            || tr(lang, "不显著", "not significant").to_owned(),
            |q| q.label().get(lang).to_owned(),
        );
        notes.push((
            format!(
                "{}{q}(p = {})",
                tr(
                    lang,
                    "综合得分的局部莫兰 (LISA):",
                    "Local Moran (LISA) of the score: "
                ),
                number(p, 3)
            ),
            7.5,
            INK,
        ));
    }
    for (note, size, colour) in notes {
        sy += size * 1.6;
        sy = w.paragraph(side_x, sy, side_w, &note, (size, colour), 3) - size * 1.3;
    }

    // Dimensions.
    let mut y = map_rect.y + map_rect.h + 26.0;
    y = w.heading(y, "各维度得分", "Dimension scores");
    let total = report.rank.map_or(0, |x| x.1);
    let rows: Vec<Bar> = report
        .dimensions
        .iter()
        .map(|d| {
            let value = d.score.map_or_else(
                || tr(lang, "无数据", "no data").to_owned(),
                |v| number(v, 1),
            );
            let rank = d
                .rank
                .map(|r| format!(" · {}", rank_text(Some((r, total)), lang)))
                .unwrap_or_default();
            Bar {
                name: w.t(&d.name).to_owned(),
                value: d.score,
                marks: vec![
                    (d.province_mean, PROVINCE_MARK),
                    (d.region_mean, REGION_MARK),
                    (d.class_mean, CLASS_MARK),
                ],
                right: format!("{value}{rank}"),
            }
        })
        .collect();
    y = bars(&mut w, y, &rows);
    let key: Vec<(Rgba, &str)> = [
        (BAR, tr(lang, "本县", "this county")),
        (PROVINCE_MARK, tr(lang, "全省平均", "province mean")),
        (REGION_MARK, tr(lang, "经济区平均", "region mean")),
    ]
    .into_iter()
    .chain(
        report
            .class
            .as_ref()
            .map(|_| (CLASS_MARK, tr(lang, "同类平均", "class mean"))),
    )
    .collect();
    y = bar_key(&mut w, y, &key);

    // Indicators.
    y = w.heading(y, "指标", "Indicators");
    let columns;
    (columns, y) = w.table_header(
        y,
        [0.0, 0.46, 0.58, 0.70, 0.82, 0.92],
        [
            tr(lang, "指标", "Indicator"),
            tr(lang, "年份", "Year"),
            tr(lang, "本县", "County"),
            tr(lang, "全省平均", "Mean"),
            tr(lang, "标准化", "Score"),
            tr(lang, "目标", "Target"),
        ],
    );
    for line in &report.indicators {
        let (factor, unit) = crate::atlas::display_unit(&line.unit, lang);
        let value = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| number(v * factor, 2));
        let name = format!(
            "{}{}",
            w.t(&line.name),
            match (unit.is_empty(), lang) {
                (true, _) => String::new(),
                (false, Lang::Zh) => format!("({unit})"),
                (false, Lang::En) => format!(" ({unit})"),
            }
        );
        w.paragraph(
            columns[0],
            y,
            columns[1] - columns[0] - 4.0,
            &name,
            (6.8, INK),
            1,
        );
        w.line(columns[1], y, &line.year.to_string(), 6.8, INK);
        w.line(columns[2], y, &value(line.value), 6.8, INK);
        w.line(columns[3], y, &value(line.province_mean), 6.8, INK);
        w.line(
            columns[4],
            y,
            &line
                .normalised
                .map_or_else(|| "—".to_owned(), |v| number(v, 1)),
            6.8,
            INK,
        );
        if let Some(t) = line.target {
            let reached = line
                .value
                .map(|v| if line.higher { v >= t } else { v <= t });
            let (mark, colour) = match reached {
                Some(true) => (tr(lang, " 已达", " met"), GOOD),
                Some(false) => (tr(lang, " 未达", " not met"), BAD),
                None => ("", INK),
            };
            let gap = line
                .value
                .map(|v| {
                    format!(
                        " ({}{})",
                        if v - t >= 0.0 { "+" } else { "" },
                        number((v - t) * factor, 2)
                    )
                })
                .unwrap_or_default();
            w.line(
                columns[5],
                y,
                &format!("{}{mark}{gap}", number(t * factor, 2)),
                6.5,
                colour,
            );
        }
        y += 10.0;
    }
    // The province against each target (the plain and the weighted mean).
    for line in &report.indicators {
        if let Some(text) = &line.province_target {
            let note = format!("{}{}{}", w.t(&line.name), tr(lang, ":", ": "), w.t(text));
            y = w.paragraph(MARGIN, y, content_w, &note, (6.0, MUTED_INK), 2);
        }
    }
    y += 6.0;

    // Strengths and weaknesses, side by side.
    y = w.heading(
        y,
        "优势与短板(与全省平均相差 20% 以上)",
        "Strengths and weaknesses (over 20% from the provincial mean)",
    );
    let half = content_w / 2.0;
    let list_top = y;
    for (column, (list, colour, empty)) in [
        (
            &report.strengths,
            GOOD,
            tr(lang, "无明显优势指标", "no indicator stands out above"),
        ),
        (
            &report.weaknesses,
            BAD,
            tr(lang, "无明显短板指标", "no indicator stands out below"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let x = MARGIN + column as f32 * half;
        let mut ly = list_top;
        let title = if column == 0 {
            tr(lang, "优势", "Strengths")
        } else {
            tr(lang, "短板", "Weaknesses")
        };
        w.line(x, ly, title, 7.5, colour);
        ly += 10.0;
        if list.is_empty() {
            w.line(x, ly, empty, 6.8, MUTED_INK);
        }
        for (name, relative) in list.iter().take(5) {
            let s = format!(
                "{} {}{}%",
                w.t(name),
                if *relative >= 0.0 { "+" } else { "−" },
                number(relative.abs() * 100.0, 0)
            );
            w.paragraph(x, ly, half - 10.0, &s, (6.8, INK), 1);
            ly += 9.5;
        }
        y = y.max(ly);
    }
    y += 8.0;

    // Neighbours.
    y = w.heading(y, "相邻县", "Neighbours");
    let neighbours: Vec<String> = report
        .neighbours
        .iter()
        .map(|n| {
            let score = n.score.map_or_else(|| "—".to_owned(), |s| number(s, 1));
            let rank = n.rank.map(|r| format!(" #{r}")).unwrap_or_default();
            format!("{} {score}{rank}", w.t(&n.name))
        })
        .collect();
    y = w.paragraph(
        MARGIN,
        y,
        content_w,
        &neighbours.join(tr(lang, ";", "; ")),
        (6.8, INK),
        3,
    );
    y += 4.0;

    foot(&mut w, y, &report.method, &report.sources, atlas, options);

    finish_page(
        workspace,
        w,
        PageParts {
            map,
            inset: Some(locator),
            title,
            focus: report.name.zh.clone(),
        },
        style,
        options,
        theme,
    )
}

/// What a report page has besides its items.
pub(super) struct PageParts {
    /// The main map's frame.
    pub map: MapFrame,
    /// The locator's, where there is one.
    pub inset: Option<MapFrame>,
    /// The page's title.
    pub title: String,
    /// The county or area the page is about (the record's focus).
    pub focus: String,
}

/// The page of a report from what `w` placed: the record (the map of the composite, with
/// the index's definition) and the characters the font lacks boxed.
pub(super) fn finish_page(
    workspace: &Workspace,
    w: Writer<'_>,
    parts: PageParts,
    style: &MapStyle,
    options: &ExportOptions,
    theme: &Theme,
) -> Result<Page, ExportError> {
    let doc = score_document();
    let record = record(
        &PageInput {
            atlas: &workspace.atlas,
            layer: score_layer(workspace)?,
            doc: &doc,
            style,
            options,
            theme,
            comparison: None,
        },
        Some(parts.focus),
    );
    let record = Record {
        index: workspace.index_source().cloned(),
        ..record
    };
    let mut items = w.items;
    let missing = boxed_missing_glyphs(&mut items, w.widths);
    Ok(Page {
        width: PAGE[0],
        height: PAGE[1],
        pixels_per_point: 1.0,
        map: parts.map,
        inset: parts.inset,
        items,
        title: parts.title,
        record,
        lang: w.lang,
        missing_glyphs: missing,
    })
}

/// The layer of the composite, which every report maps.
pub(super) fn score_layer(workspace: &Workspace) -> Result<&crate::atlas::Layer, ExportError> {
    workspace
        .layer(SCORE)
        .ok_or_else(|| ExportError::NoLayer(SCORE.to_owned()))
}

/// One row of a bar chart: a value as a bar from zero, and marks (a mean each) across it.
pub(super) struct Bar {
    /// The row's label.
    pub name: String,
    /// The bar's value.
    pub value: Option<f64>,
    /// The marks and their colours.
    pub marks: Vec<(Option<f64>, Rgba)>,
    /// What is written right of the bar.
    pub right: String,
}

/// Draws `rows` as bars on one scale (0–100 at least) from `y`; returns the next free `y`.
pub(super) fn bars(w: &mut Writer<'_>, mut y: f32, rows: &[Bar]) -> f32 {
    let content_w = CONTENT_W;
    let all = || {
        rows.iter()
            .flat_map(|r| std::iter::once(r.value).chain(r.marks.iter().map(|m| m.0)))
            .flatten()
    };
    let scale_max = all().fold(100.0f64, f64::max);
    let scale_min = all().fold(0.0f64, f64::min);
    let label_w = 110.0;
    let bar_x = MARGIN + label_w;
    let bar_w = content_w - label_w - 90.0;
    let at = |v: f64| bar_x + ((v - scale_min) / (scale_max - scale_min)) as f32 * bar_w;
    for row in rows {
        w.paragraph(MARGIN, y + 6.0, label_w - 6.0, &row.name, (7.5, INK), 1);
        w.items.push(Item::Rect {
            rect: Rect {
                x: bar_x,
                y,
                w: bar_w,
                h: 8.0,
            },
            fill: Some(BAR_BACK),
            stroke: None,
        });
        if let Some(value) = row.value {
            let from = at(scale_min.max(0.0).min(value));
            w.items.push(Item::Rect {
                rect: Rect {
                    x: from,
                    y,
                    w: (at(value) - from).abs().max(0.5),
                    h: 8.0,
                },
                fill: Some(BAR),
                stroke: None,
            });
        }
        for &(mean, colour) in &row.marks {
            if let Some(m) = mean {
                let x = at(m);
                w.items.push(Item::Line {
                    points: vec![[x, y - 2.0], [x, y + 10.0]],
                    colour,
                    width: 1.6,
                });
            }
        }
        w.line(bar_x + bar_w + 6.0, y + 7.0, &row.right, 7.0, INK);
        y += 14.0;
    }
    y
}

/// The key of a bar chart's colours, in a row under it; returns the next free `y`.
pub(super) fn bar_key(w: &mut Writer<'_>, y: f32, key: &[(Rgba, &str)]) -> f32 {
    let y = y + 4.0;
    let mut kx = MARGIN + 110.0;
    for &(colour, label) in key {
        w.items.push(Item::Rect {
            rect: Rect {
                x: kx,
                y: y - 5.0,
                w: 8.0,
                h: 5.0,
            },
            fill: Some(colour),
            stroke: None,
        });
        w.line(kx + 10.0, y, label, 6.0, MUTED_INK);
        kx += 16.0 + w.width(label, 6.0) + 8.0;
    }
    y + 14.0
}

/// Where and how [`score_map`] maps the composite.
pub(super) struct ScoreMap<'a> {
    /// The frame on the page.
    pub rect: Rect,
    /// The counties the map is fitted to (all, where `None`).
    pub around: Option<&'a [crate::atlas::UnitId]>,
    /// Counties drawn with the overlay's outline.
    pub outlined: &'a [crate::atlas::UnitId],
    /// The county whose name the scene keeps first.
    pub selected: Option<crate::atlas::UnitId>,
    /// Whether the economic regions' borders are drawn.
    pub region_borders: bool,
}

/// The composite mapped into a frame of the page by the one `scene::compose`, names from
/// the scene: the frame and its items, the frame's border included.
pub(super) fn score_map(
    workspace: &Workspace,
    style: &MapStyle,
    theme: &Theme,
    widths: &TextWidths,
    lang: Lang,
    at: ScoreMap<'_>,
) -> (MapFrame, Vec<Item>) {
    let map_rect = at.rect;
    let mut unit_flags = style.flags.clone();
    for unit in at.outlined {
        if let Some(f) = unit_flags.get_mut(unit.index()) {
            *f |= flags::OVERLAY_OUTLINE;
        }
    }
    let map = MapFrame {
        rect: map_rect,
        camera: Camera::fit(
            bounds_of(&workspace.atlas, at.around),
            [f64::from(map_rect.w), f64::from(map_rect.h)],
            12.0,
        ),
        colours: style.colours.clone(),
        flags: unit_flags,
        line_scale: 0.8,
        opacity: 1.0,
        region_borders: at.region_borders,
        overlay_outlines: !at.outlined.is_empty(),
        faint_county_borders: false,
        min_step: super::page::MIN_STEP,
    };
    let measure = |t: &str, size: f32| [f64::from(widths.of(t, size)), f64::from(size * 1.2)];
    let frame = Frame {
        camera: map.camera,
        size: [f64::from(map_rect.w), f64::from(map_rect.h)],
        scale: 0.8,
        names: NameSizes {
            unit: 6.5,
            prefecture: 7.5,
            backdrop: 8.0,
        },
        prefecture_names: false,
        selected: at.selected,
        backdrop_clear_of_edges: true,
        scale_bar_max: f64::from(map_rect.w * 0.3),
        measure: &measure,
        lang,
    };
    let scene = compose(workspace, style, &frame);
    // Names whose anchor falls outside the frame would print over the page around it.
    let inside = |x: f32, y: f32| {
        x > map_rect.x
            && x < map_rect.x + map_rect.w
            && y > map_rect.y + 4.0
            && y < map_rect.y + map_rect.h
    };
    let mut items: Vec<Item> = map_items(&scene, &map, theme, 0.8, lang, widths)
        .into_iter()
        .filter(|item| match item {
            Item::Text { x, y, .. } => inside(*x, *y),
            _ => true,
        })
        .collect();
    items.push(Item::Rect {
        rect: map_rect,
        fill: None,
        stroke: Some((FRAME, 0.5)),
    });
    (map, items)
}

/// The map's legend: its classes in a row under the frame.
pub(super) fn legend_row(w: &mut Writer<'_>, style: &MapStyle, map_rect: Rect, theme: &Theme) {
    let lang = w.lang;
    let mut lx = map_rect.x;
    let ly = map_rect.y + map_rect.h + 4.0;
    for item in &style.legend.items {
        let label = item.text(lang);
        let r = Rect {
            x: lx,
            y: ly,
            w: 12.0,
            h: 7.0,
        };
        w.items.push(swatch_item(item.swatch, r, theme, 0.8));
        w.line(lx + 14.0, ly + 6.0, &label, 5.5, MUTED_INK);
        lx += 16.0 + w.width(&label, 5.5) + 6.0;
        if lx > map_rect.x + map_rect.w - 40.0 {
            break;
        }
    }
}

/// The province in grey with `highlighted` in the accent colour, framed at `rect`.
pub(super) fn locator(
    w: &mut Writer<'_>,
    atlas: &crate::atlas::Atlas,
    rect: Rect,
    highlighted: &[crate::atlas::UnitId],
) -> MapFrame {
    let mut colours = vec![LOCATOR_GREY; atlas.units().len()];
    for unit in highlighted {
        colours[unit.index()] = ACCENT;
    }
    w.items.push(Item::Rect {
        rect,
        fill: None,
        stroke: Some((FRAME, 0.5)),
    });
    MapFrame {
        rect,
        camera: Camera::fit(
            bounds_of(atlas, None),
            [f64::from(rect.w), f64::from(rect.h)],
            4.0,
        ),
        colours,
        flags: vec![0; atlas.units().len()],
        line_scale: 0.35,
        opacity: 1.0,
        region_borders: true,
        overlay_outlines: false,
        faint_county_borders: true,
        min_step: LOCATOR_MIN_STEP,
    }
}

/// The locator's vertex spacing, points: it shows where the county lies, in lines a third
/// of a point wide, and at the 800 m level it would write some 29,000 vertices per page.
const LOCATOR_MIN_STEP: f32 = 0.4;

/// The method, the sources and the boundaries at the foot of the page (below `y` at least).
pub(super) fn foot(
    w: &mut Writer<'_>,
    y: f32,
    method: &crate::i18n::Text,
    sources: &[String],
    atlas: &crate::atlas::Atlas,
    options: &ExportOptions,
) {
    let lang = w.lang;
    let content_w = CONTENT_W;
    let foot_size = 5.6;
    let mut foot: Vec<String> = vec![format!("{}{}", tr(lang, "方法:", "Method: "), w.t(method))];
    foot.push(format!(
        "{}{}",
        tr(lang, "来源:", "Sources: "),
        sources.join(tr(lang, ";", "; "))
    ));
    let b = atlas.boundary_provenance();
    foot.push(format!(
        "{}{} ({}); {} county-atlas {}",
        tr(lang, "边界:", "Boundaries: "),
        b.source.get(lang),
        b.licence,
        options.date(),
        env!("CARGO_PKG_VERSION")
    ));
    let foot_lines: Vec<Vec<String>> = foot
        .iter()
        .map(|f| {
            let width_of = |t: &str, size: f32| w.widths.of(t, size);
            wrap(f, content_w, foot_size, &width_of, 8)
        })
        .collect();
    let count: usize = foot_lines.iter().map(Vec::len).sum();
    let mut fy = (PAGE[1] - MARGIN - count as f32 * foot_size * 1.3).max(y + 6.0);
    for lines in foot_lines {
        for line in lines {
            w.line(MARGIN, fy, &line, foot_size, MUTED_INK);
            fy += foot_size * 1.3;
        }
    }
}

/// The bytes of a report page as SVG or PDF (the vector formats: a report's charts stay
/// vectors; PNG is for maps).
pub fn render_report(
    workspace: &Workspace,
    page: &Page,
    format: super::Format,
    theme: &Theme,
) -> Result<Vec<u8>, ExportError> {
    let svg = super::svg::to_svg(
        page,
        &workspace.geometry,
        super::VECTOR_PIXELS_PER_POINT,
        theme,
        super::svg::Content::Everything,
    );
    match format {
        super::Format::Svg => Ok(svg.into_bytes()),
        _ => super::pdf::render(&svg, page),
    }
}

/// What one report is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportOf {
    /// A county: `{adcode}_{name}`.
    County(crate::atlas::UnitId),
    /// An economic region or the province: [`Area::file_stem`].
    Area(crate::analysis::composite::area_report::Area),
}

/// Writes the reports `of` into `dir` in parallel (`{adcode}_{name}.pdf|svg` for a county,
/// [`Area::file_stem`] for a region or the province), each atomically, calling `written`
/// after each; what every report shares (the map's style, the LISA of the composite) is made
/// once. Returns the files written, or every failure.
///
/// [`Area::file_stem`]: crate::analysis::composite::area_report::Area::file_stem
pub fn write_reports(
    workspace: &Workspace,
    run: &crate::analysis::composite::IndexRun,
    of: &[ReportOf],
    dir: &std::path::Path,
    options: &ExportOptions,
    written: &(dyn Fn(&std::path::Path) + Sync),
) -> Result<Vec<std::path::PathBuf>, Vec<String>> {
    use crate::analysis::composite::area_report::AreaReport;
    use crate::analysis::composite::report::ReportContext;
    use rayon::prelude::*;
    let theme = Theme::default();
    let style = score_style(workspace, &theme).map_err(|e| vec![e.to_string()])?;
    let atlas = &workspace.atlas;
    // The LISA is the county pages' alone, and the dearest shared part.
    let context = of
        .iter()
        .any(|o| matches!(o, ReportOf::County(_)))
        .then(|| ReportContext::new(run, workspace.index()));
    let results: Vec<Result<std::path::PathBuf, String>> = of
        .par_iter()
        .map(|&one| {
            let (page, stem) = match one {
                ReportOf::County(unit) => {
                    let context = context
                        .as_ref()
                        .ok_or_else(|| "the LISA of the composite is missing".to_owned())?;
                    let report = CountyReport::new(atlas, workspace.index(), run, context, unit);
                    let county = atlas.unit(unit);
                    (
                        report_page(workspace, &report, &style, options, &theme),
                        format!("{}_{}", county.adcode, county.name),
                    )
                }
                ReportOf::Area(area) => {
                    let report = AreaReport::new(atlas, run, area);
                    (
                        super::area_report::area_page(workspace, &report, &style, options, &theme),
                        area.file_stem(),
                    )
                }
            };
            let page = page.map_err(|e| e.to_string())?;
            let bytes = render_report(workspace, &page, options.format, &theme)
                .map_err(|e| e.to_string())?;
            let path = dir.join(format!("{stem}.{}", options.format.extension()));
            super::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            written(&path);
            Ok(path)
        })
        .collect();
    let (ok, failed): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if failed.is_empty() {
        Ok(ok.into_iter().flatten().collect())
    } else {
        Err(failed.into_iter().filter_map(Result::err).collect())
    }
}
