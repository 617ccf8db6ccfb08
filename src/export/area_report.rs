//! The report of an economic region or of the province as one A4 page, by the same backends
//! and parts as the county's (`report`): the area mapped by the composite with a locator,
//! its mean score and performance groups, each dimension's mean as a bar against the
//! province's (the province's report marks the five regions' means instead), the five
//! regions side by side, target reach, the counties that moved up most, the ranking of its
//! counties (the province's lists the first ones; `index --csv` has them all), the method and
//! every source. Everything said comes from [`AreaReport`]; this only places it.

use super::ExportError;
use super::metrics::TextWidths;
use super::options::ExportOptions;
use super::page::{INK, Item, MUTED_INK, Page, Rect};
use super::report::{
    BAR, Bar, CONTENT_W, MARGIN, PAGE, PROVINCE_MARK, PageParts, ScoreMap, Writer, bar_key, bars,
    finish_page, foot, grade_colour, legend_row, locator, score_map,
};
use crate::analysis::composite::Grade;
use crate::analysis::composite::area_report::{Area, AreaReport};
use crate::atlas::{EconomicRegion, UnitId};
use crate::format::number;
use crate::i18n::{Lang, tr};
use crate::scene::{MapStyle, Rgba, Theme, Workspace};

/// The five regions' marks in the province's chart (ColorBrewer Dark2).
const REGION_COLOURS: [Rgba; 5] = [
    [27, 158, 119, 255],
    [217, 95, 2, 255],
    [117, 112, 179, 255],
    [231, 41, 138, 255],
    [102, 166, 30, 255],
];

/// The area's own row in the table of regions.
const OWN_ROW: Rgba = [200, 30, 40, 255];

/// Counties in the province's ranking (its regions' reports list all of theirs).
const PROVINCE_RANKED: usize = 60;

/// Columns of the ranking.
const RANK_COLUMNS: usize = 3;

fn percent(value: f64) -> String {
    format!("{}%", number(value, 0))
}

/// The report page of `report`: `style` is [`super::report::score_style`]'s, shared by a
/// batch.
pub fn area_page(
    workspace: &Workspace,
    report: &AreaReport,
    style: &MapStyle,
    options: &ExportOptions,
    theme: &Theme,
) -> Result<Page, ExportError> {
    let atlas = &workspace.atlas;
    let lang = options.lang;
    let widths = TextWidths::bundled();
    let mut w = Writer::new(&widths, lang);
    let (page_w, content_w) = (PAGE[0], CONTENT_W);
    let area_name = report.area.name();

    // Title.
    let title = format!(
        "{} · {} {}",
        w.t(&area_name),
        w.t(&report.index_name),
        report.year
    );
    // An English title may need two lines.
    let mut y = w.paragraph(MARGIN, MARGIN + 16.0, content_w, &title, (16.0, INK), 2) - 6.0;
    let kind = match report.area {
        Area::Province => tr(lang, "全省创新分级报告", "provincial innovation report"),
        Area::Region(_) => tr(lang, "经济区创新分级报告", "regional innovation report"),
    };
    let counted = match lang {
        Lang::Zh => format!(
            "{} 个县(市、区),计分 {} 个",
            report.counties.len(),
            report.scored()
        ),
        Lang::En => format!(
            "{} counties, {} scored",
            report.counties.len(),
            report.scored()
        ),
    };
    w.line(MARGIN, y, &format!("{counted} · {kind}"), 9.0, MUTED_INK);
    y += 10.0;

    // The map and, for a region, the locator.
    let members: Vec<UnitId> = report.counties.iter().map(|c| c.unit).collect();
    let map_rect = Rect {
        x: MARGIN,
        y,
        w: content_w * 0.6,
        h: 235.0,
    };
    let around = match report.area {
        Area::Province => None,
        Area::Region(_) => Some(members.as_slice()),
    };
    let (map, map_items) = score_map(
        workspace,
        style,
        theme,
        &widths,
        lang,
        ScoreMap {
            rect: map_rect,
            around,
            outlined: &[],
            selected: None,
            region_borders: true,
        },
    );
    w.items.extend(map_items);
    legend_row(&mut w, style, map_rect, theme);
    let side_x = map_rect.x + map_rect.w + 12.0;
    let side_w = page_w - MARGIN - side_x;
    let mut sy = y;
    let inset = match report.area {
        Area::Province => None,
        Area::Region(_) => {
            let rect = Rect {
                x: side_x,
                y,
                w: side_w,
                h: side_w * 0.78,
            };
            sy = rect.y + rect.h;
            Some(locator(&mut w, atlas, rect, &members))
        }
    };

    // The summary beside the map.
    sy += 16.0;
    w.line(
        side_x,
        sy,
        tr(lang, "平均综合得分", "Mean composite score"),
        8.0,
        MUTED_INK,
    );
    sy += 20.0;
    let mean = report.mean.map_or_else(
        || tr(lang, "无数据", "no data").to_owned(),
        |m| number(m, 1),
    );
    w.line(side_x, sy, &mean, 22.0, INK);
    if let (Area::Region(_), Some(relative)) = (report.area, report.relative) {
        sy += 12.0;
        let line = format!(
            "{}{}",
            tr(lang, "全省平均的 ", "of the provincial average: "),
            percent(relative)
        );
        w.line(side_x, sy, &line, 7.5, MUTED_INK);
    }
    if let Area::Region(region) = report.area
        && let Some(place) = report
            .regions
            .iter()
            .find(|r| r.region == region)
            .and_then(|r| r.place)
    {
        sy += 12.0;
        let line = match lang {
            Lang::Zh => format!("五个经济区中第 {place} 位"),
            Lang::En => format!("{place} of the five regions"),
        };
        w.line(side_x, sy, &line, 8.0, INK);
    }
    sy += 16.0;
    w.line(
        side_x,
        sy,
        tr(lang, "分级(县数)", "Groups (counties)"),
        8.0,
        MUTED_INK,
    );
    for (grade, count) in Grade::ALL.into_iter().zip(report.grades) {
        sy += 12.0;
        w.items.push(Item::Rect {
            rect: Rect {
                x: side_x,
                y: sy - 6.5,
                w: 8.0,
                h: 7.0,
            },
            fill: Some(grade_colour(grade)),
            stroke: None,
        });
        let line = format!("{} {count}", grade.name().get(lang));
        w.line(side_x + 12.0, sy, &line, 8.0, INK);
    }
    if let Some(draws) = report.draws {
        sy += 14.0;
        let note = match lang {
            Lang::Zh => format!("位次区间:{} 次抽样,见各县报告", number(draws as f64, 0)),
            Lang::En => format!(
                "Rank intervals: {} draws, in each county's report",
                number(draws as f64, 0)
            ),
        };
        sy = w.paragraph(side_x, sy, side_w, &note, (6.5, MUTED_INK), 2) - 6.5 * 1.3;
    }

    // Dimensions: the area's mean against the province's, or the regions' on the
    // province's page.
    let mut y = (map_rect.y + map_rect.h + 26.0).max(sy + 22.0);
    y = w.heading(y, "各维度平均得分", "Mean dimension scores");
    let rows: Vec<Bar> = report
        .dimensions
        .iter()
        .map(|d| {
            let (value, marks) = match report.area {
                Area::Province => (
                    d.province_mean,
                    d.region_means
                        .iter()
                        .zip(REGION_COLOURS)
                        .map(|(m, c)| (*m, c))
                        .collect(),
                ),
                Area::Region(_) => (d.mean, vec![(d.province_mean, PROVINCE_MARK)]),
            };
            Bar {
                name: w.t(&d.name).to_owned(),
                value,
                marks,
                right: value.map_or_else(|| "—".to_owned(), |v| number(v, 1)),
            }
        })
        .collect();
    y = bars(&mut w, y, &rows);
    let region_names: Vec<&str> = EconomicRegion::ALL
        .iter()
        .map(|r| short_name(*r, lang))
        .collect();
    let key: Vec<(Rgba, &str)> = match report.area {
        Area::Province => std::iter::once((BAR, tr(lang, "全省平均", "province mean")))
            .chain(REGION_COLOURS.into_iter().zip(region_names.iter().copied()))
            .collect(),
        Area::Region(_) => vec![
            (BAR, tr(lang, "本区平均", "region mean")),
            (PROVINCE_MARK, tr(lang, "全省平均", "province mean")),
        ],
    };
    y = bar_key(&mut w, y, &key);

    // The five regions side by side.
    y = w.heading(y, "五个经济区", "The five economic regions");
    let columns;
    (columns, y) = w.table_header(
        y,
        [0.0, 0.22, 0.31, 0.40, 0.52, 0.64, 0.80],
        [
            tr(lang, "经济区", "Region"),
            tr(lang, "县数", "Counties"),
            tr(lang, "计分", "Scored"),
            tr(lang, "平均得分", "Mean score"),
            tr(lang, "占全省平均", "Of the mean"),
            tr(lang, "领先/较强/中等/追赶", "Lead./strong/mod./emer."),
            tr(lang, "位次最高的县", "Best-ranked county"),
        ],
    );
    for line in &report.regions {
        let colour = match report.area {
            Area::Region(r) if r == line.region => OWN_ROW,
            _ => INK,
        };
        let cells = [
            short_name(line.region, lang).to_owned(),
            line.counties.to_string(),
            line.scored.to_string(),
            line.mean.map_or_else(|| "—".to_owned(), |m| number(m, 1)),
            line.relative.map_or_else(|| "—".to_owned(), percent),
            line.grades.map(|g| g.to_string()).join(" / "),
            line.best
                .as_ref()
                .map_or_else(|| "—".to_owned(), |b| w.t(b).to_owned()),
        ];
        for (i, cell) in cells.iter().enumerate() {
            let width = columns.get(i + 1).unwrap_or(&(MARGIN + content_w)) - columns[i] - 4.0;
            w.paragraph(columns[i], y, width, cell, (6.8, colour), 1);
        }
        y += 9.5;
    }
    y += 6.0;

    // Targets.
    if !report.targets.is_empty() {
        y = w.heading(y, "目标", "Targets");
        for t in &report.targets {
            let (factor, unit) = crate::atlas::display_unit(&t.unit, lang);
            let mean = t
                .mean
                .map_or_else(|| "—".to_owned(), |m| number(m * factor, 2));
            let here = match lang {
                Lang::Zh => format!(
                    "{}:目标 {}{unit};本区平均 {mean},{}/{} 个县达到",
                    w.t(&t.name),
                    number(t.target * factor, 2),
                    t.reached,
                    t.of
                ),
                Lang::En => format!(
                    "{}: target {} {unit}; mean here {mean}, {} of {} counties reach it",
                    w.t(&t.name),
                    number(t.target * factor, 2),
                    t.reached,
                    t.of
                ),
            };
            let line = match (report.area, &t.province) {
                // The province's text names the province itself.
                (Area::Region(_), Some(province)) => {
                    let province = w.t(province);
                    let mut chars = province.chars();
                    let sentence: String = match chars.next() {
                        Some(first) => first.to_uppercase().chain(chars).collect(),
                        None => String::new(),
                    };
                    format!("{here}{}{sentence}", tr(lang, "。", ". "))
                }
                (Area::Province, Some(province)) => {
                    format!("{}{}{}", w.t(&t.name), tr(lang, ":", ": "), w.t(province))
                }
                _ => here,
            };
            y = w.paragraph(MARGIN, y, content_w, &line, (6.8, INK), 2);
        }
        y += 6.0;
    }

    // Progress.
    if let Some(from) = report.progress_from {
        let moved: Vec<String> = report
            .most_improved
            .iter()
            .map(|(name, c)| format!("{} +{}", w.t(name), c.rank_change))
            .collect();
        let line = match (lang, moved.is_empty()) {
            (Lang::Zh, false) => format!("与 {from} 年比位次上升最多:{}", moved.join("、")),
            (Lang::En, false) => {
                format!("Most improved in rank since {from}: {}", moved.join(", "))
            }
            (Lang::Zh, true) => format!("与 {from} 年比,没有县位次上升"),
            (Lang::En, true) => format!("No county moved up in rank since {from}"),
        };
        y = w.paragraph(MARGIN, y, content_w, &line, (7.0, INK), 2) + 4.0;
    }

    // The ranking, in columns.
    let listed = match report.area {
        Area::Province => PROVINCE_RANKED.min(report.counties.len()),
        Area::Region(_) => report.counties.len(),
    };
    y = match report.area {
        Area::Province => w.heading(y, "全省位次(前列)", "Provincial ranking (top)"),
        Area::Region(_) => w.heading(y, "区内位次", "Ranking in the region"),
    };
    let per_column = listed.div_ceil(RANK_COLUMNS).max(1);
    let column_w = content_w / RANK_COLUMNS as f32;
    let mut bottom = y;
    for (i, county) in report.counties.iter().take(listed).enumerate() {
        let x = MARGIN + (i / per_column) as f32 * column_w;
        let row_y = y + (i % per_column) as f32 * 8.2;
        let rank = match report.area {
            Area::Province => county.rank,
            Area::Region(_) => county.rank_in_area,
        };
        w.line(
            x,
            row_y,
            &rank.map_or_else(|| "—".to_owned(), |r| r.to_string()),
            6.4,
            MUTED_INK,
        );
        w.paragraph(x + 16.0, row_y, 62.0, w.t(&county.name), (6.4, INK), 1);
        let score = county.score.map_or_else(
            || tr(lang, "未计分", "not scored").to_owned(),
            |s| number(s, 1),
        );
        w.line(x + 80.0, row_y, &score, 6.4, INK);
        if let (Area::Region(_), Some(r)) = (report.area, county.rank) {
            w.line(x + 104.0, row_y, &format!("#{r}"), 6.0, MUTED_INK);
        }
        if let Some(grade) = county.grade {
            w.line(
                x + 124.0,
                row_y,
                grade.name().get(lang),
                6.0,
                grade_colour(grade),
            );
        }
        if let Some(c) = county.change {
            w.line(
                x + 152.0,
                row_y,
                &format!("{:+}", c.rank_change),
                6.0,
                MUTED_INK,
            );
        }
        bottom = bottom.max(row_y);
    }
    y = bottom + 8.0;
    let note = match report.area {
        Area::Province => match lang {
            Lang::Zh => {
                format!("列出前 {listed} 位;183 个县的完整排名:county-atlas index --spec … --csv")
            }
            Lang::En => format!(
                "The first {listed}; every county's rank: county-atlas index --spec … --csv"
            ),
        },
        Area::Region(_) => tr(
            lang,
            "区内位次;# 为全省位次",
            "rank in the region; # the rank in the province",
        )
        .to_owned(),
    };
    y = w.paragraph(MARGIN, y, content_w, &note, (5.8, MUTED_INK), 1);

    foot(&mut w, y, &report.method, &report.sources, atlas, options);

    finish_page(
        workspace,
        w,
        PageParts {
            map,
            inset,
            title,
            focus: area_name.zh.clone(),
        },
        style,
        options,
        theme,
    )
}

/// A region's short name, for a chart's key and the table of regions.
fn short_name(region: EconomicRegion, lang: Lang) -> &'static str {
    match (region, lang) {
        (EconomicRegion::ChengduPlain, Lang::Zh) => "成都平原",
        (EconomicRegion::SouthSichuan, Lang::Zh) => "川南",
        (EconomicRegion::NortheastSichuan, Lang::Zh) => "川东北",
        (EconomicRegion::PanxiRegion, Lang::Zh) => "攀西",
        (EconomicRegion::NorthwestEcoZone, Lang::Zh) => "川西北",
        (EconomicRegion::ChengduPlain, Lang::En) => "Chengdu Plain",
        (EconomicRegion::SouthSichuan, Lang::En) => "South Sichuan",
        (EconomicRegion::NortheastSichuan, Lang::En) => "Northeast Sichuan",
        (EconomicRegion::PanxiRegion, Lang::En) => "Panxi",
        (EconomicRegion::NorthwestEcoZone, Lang::En) => "Northwest Sichuan",
    }
}
