//! The briefing layout, independent of the output format: the map frame (camera, colours,
//! flags) and a display list of furniture in page points (title, legend with counts and the
//! no-data swatch, scale bar, north arrow, names, footer with sources). Each backend draws
//! this same page.

use super::metrics::TextWidths;
use super::options::{ExportOptions, Orientation};
use super::record::Record;
use crate::atlas::{Atlas, Layer, Level, UnitId};
use crate::crs::Albers;
use crate::i18n::{Lang, tr};
use crate::render::{choropleth_tables, flags};
use crate::scene::labels::{LabelCandidate, LabelKind, place};
use crate::scene::{
    Camera, Choropleth, LabelAnchor, MapGeometry, MapSpec, Rgba, Theme, WorldRect, furniture,
};

/// A rectangle in page points (origin top-left, y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// The centre.
    pub fn centre(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }
}

/// Horizontal anchoring of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// The position is the text's left end.
    Left,
    /// The position is the text's centre.
    Centre,
    /// The position is the text's right end.
    Right,
}

/// One piece of furniture.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A line of text; `y` is the baseline.
    Text {
        /// Anchor position.
        x: f32,
        /// Baseline.
        y: f32,
        /// The text.
        text: String,
        /// Size in points.
        size: f32,
        /// Horizontal anchoring.
        align: Align,
        /// Colour.
        colour: Rgba,
        /// A halo behind the text, for names over the map.
        halo: Option<Rgba>,
    },
    /// A rectangle, filled and/or stroked.
    Rect {
        /// Where.
        rect: Rect,
        /// Fill.
        fill: Option<Rgba>,
        /// Stroke colour and width.
        stroke: Option<(Rgba, f32)>,
    },
    /// The no-data swatch: a base colour with diagonal stripes.
    Hatch {
        /// Where.
        rect: Rect,
        /// Base colour.
        base: Rgba,
        /// Stripe colour.
        stripe: Rgba,
    },
    /// A polyline.
    Line {
        /// Vertices.
        points: Vec<[f32; 2]>,
        /// Colour.
        colour: Rgba,
        /// Width in points.
        width: f32,
    },
    /// A filled polygon.
    Polygon {
        /// Vertices.
        points: Vec<[f32; 2]>,
        /// Fill.
        fill: Rgba,
        /// Stroke colour and width.
        stroke: Option<(Rgba, f32)>,
    },
}

/// The map inside the page.
#[derive(Clone, Debug, PartialEq)]
pub struct MapFrame {
    /// Where the map is drawn, points.
    pub rect: Rect,
    /// The view: metres per point, centred on the frame.
    pub camera: Camera,
    /// Fill of each unit (sRGB).
    pub colours: Vec<Rgba>,
    /// Flags of each unit (no data, muted).
    pub flags: Vec<u8>,
    /// Line widths are scaled by this (1 on an A4 page).
    pub line_scale: f32,
}

impl MapFrame {
    /// World metres → page points.
    pub fn to_page(&self, world: [f64; 2]) -> [f32; 2] {
        let [cx, cy] = self.rect.centre();
        let mpp = self.camera.metres_per_pixel;
        [
            cx + ((world[0] - self.camera.centre[0]) / mpp) as f32,
            cy - ((world[1] - self.camera.centre[1]) / mpp) as f32,
        ]
    }

    /// The geometry level for drawing at `pixels_per_point` output pixels per point.
    pub fn level(&self, geometry: &MapGeometry, pixels_per_point: f32) -> usize {
        geometry.level_for(self.camera.metres_per_pixel / f64::from(pixels_per_point))
    }
}

/// A whole briefing page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Width, points.
    pub width: f32,
    /// Height, points.
    pub height: f32,
    /// Output pixels per point (PNG).
    pub pixels_per_point: f32,
    /// The map.
    pub map: MapFrame,
    /// Furniture drawn over and around the map, in order.
    pub items: Vec<Item>,
    /// The title (also the document title).
    pub title: String,
    /// The reproducibility record.
    pub record: Record,
    /// The language of the furniture.
    pub lang: Lang,
}

/// Everything a page is made from, apart from the geometry its names are placed on.
pub struct PageInput<'a> {
    /// The atlas.
    pub atlas: &'a Atlas,
    /// The layer mapped (built-in or the user's).
    pub layer: &'a Layer,
    /// How it is mapped.
    pub spec: &'a MapSpec,
    /// The styled layer.
    pub choropleth: &'a Choropleth,
    /// Page options.
    pub options: &'a ExportOptions,
    /// Colours and widths.
    pub theme: &'a Theme,
}

const INK: Rgba = [30, 30, 30, 255];
const MUTED_INK: Rgba = [95, 95, 95, 255];
const FRAME: Rgba = [150, 150, 150, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const BACKING: Rgba = [255, 255, 255, 220];

/// A page before its names are placed: everything else, and where in the drawing order the
/// names go (over the map, under the north arrow, scale bar and legend).
struct Layout {
    page: Page,
    labels_at: usize,
    label_size: f32,
    /// The focus's counties, if any.
    focus_units: Option<Vec<UnitId>>,
    widths: TextWidths,
}

impl Page {
    /// Lays out the briefing page, with the neighbouring provinces' names (and the counties'
    /// when asked) placed on `geometry`'s anchors.
    pub fn briefing(input: &PageInput<'_>, geometry: &MapGeometry) -> Page {
        let Layout {
            mut page,
            labels_at,
            label_size,
            focus_units,
            widths,
        } = layout(input);
        let names = labels(
            input,
            geometry,
            &page.map,
            focus_units.as_deref(),
            label_size,
            &|text, size| widths.of(text, size),
        );
        page.items.splice(labels_at..labels_at, names);
        page
    }

    /// The map frame the page would have: what an export needs to know before any geometry
    /// is built (the frame's scale sets the level of detail).
    pub fn frame(input: &PageInput<'_>) -> MapFrame {
        layout(input).page.map
    }
}

/// Lays out everything but the names.
fn layout(input: &PageInput<'_>) -> Layout {
    let PageInput {
        atlas,
        layer,
        spec,
        choropleth,
        options,
        theme,
        ..
    } = *input;
    let lang = options.lang;
    let widths = TextWidths::bundled();
    let width_of = |text: &str, size: f32| widths.of(text, size);
    let (page_w, page_h, pixels_per_point) = options.page();
    let short = page_w.min(page_h);
    let s = short / 595.0;
    let margin = 0.045 * short;
    let (title_size, subtitle_size, legend_size, footer_size, label_size) =
        (18.0 * s, 10.5 * s, 8.5 * s, 6.2 * s, 6.5 * s);
    let mut items = Vec::new();

    // Title and subtitle.
    let method = method_text(choropleth, lang);
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| choropleth.title.get(lang).to_owned());
    let focus_name = options.focus.as_ref().map(|f| f.name(atlas, lang));
    let subtitle = options.subtitle.clone().unwrap_or_else(|| {
        let scope = focus_name.clone().unwrap_or_else(|| {
            tr(
                lang,
                "四川省183个县级单位",
                "Sichuan's 183 county-level units",
            )
            .to_owned()
        });
        [
            Some(scope),
            Some(format!("{}{}", choropleth.year, tr(lang, "年", "")))
                .filter(|_| choropleth.year > 0),
            method.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    });
    let mut y = margin + title_size;
    items.push(text(margin, y, &title, title_size, Align::Left, INK));
    y += subtitle_size * 1.6;
    items.push(text(
        margin,
        y,
        &subtitle,
        subtitle_size,
        Align::Left,
        MUTED_INK,
    ));
    let top = y + subtitle_size * 0.9;

    // Footer: data, boundaries and method, date and version.
    let footer = footer_lines(atlas, layer, spec, choropleth, options, lang);
    let footer_line = footer_size * 1.45;
    let footer_top = page_h - margin - footer_line * footer.len() as f32;

    // Legend entries. Classes are the province's; with a focus, each class also counts the
    // focus's counties, which is what a regional briefing is read for.
    let focus_units: Option<Vec<UnitId>> = options.focus.as_ref().map(|f| f.units(atlas));
    let legend_title = choropleth.title.get(lang).to_owned();
    let entries: Vec<(Option<Rgba>, String)> = choropleth
        .legend
        .iter()
        .enumerate()
        .map(|(class, e)| {
            let counts = match &focus_units {
                Some(units) => {
                    let in_focus = units
                        .iter()
                        .filter(|u| {
                            if e.no_data {
                                choropleth.colours[u.index()].is_none()
                            } else {
                                choropleth.classes[u.index()] == Some(class)
                            }
                        })
                        .count();
                    format!("{in_focus} / {}", e.count)
                }
                None => e.count.to_string(),
            };
            (
                if e.no_data { None } else { Some(e.colour) },
                format!("{} ({counts})", e.label.get(lang)),
            )
        })
        .collect();
    let swatch = [legend_size * 2.2, legend_size * 1.3];
    let row = legend_size * 1.75;
    let legend_text_w = entries
        .iter()
        .map(|(_, t)| width_of(t, legend_size))
        .fold(width_of(&legend_title, legend_size * 1.05), f32::max);
    let mut notes: Vec<String> = Vec::new();
    if let Some(name) = &focus_name {
        notes.push(match lang {
            Lang::Zh => format!("括号内:{name}县数 / 全省县数"),
            Lang::En => format!("Counties: in {name} / in Sichuan"),
        });
    }
    if choropleth.warning.is_some() {
        notes.push(
            tr(
                lang,
                "注:总量指标未按人口或面积标准化",
                "Note: an amount, not normalised by population or area",
            )
            .to_owned(),
        );
    }
    let legend_text_w = notes
        .iter()
        .map(|n| width_of(n, legend_size * 0.8))
        .fold(legend_text_w, f32::max);
    let legend_w = (swatch[0] + legend_size * 0.8 + legend_text_w + legend_size).min(page_w * 0.32);
    let legend_h = row * (entries.len() as f32 + 1.6) + row * notes.len() as f32;

    let gap = margin * 0.4;
    let landscape =
        page_w >= page_h || options.orientation == Orientation::Landscape && page_w > page_h;
    let (map_rect, legend_origin) = if landscape {
        let map = Rect {
            x: margin,
            y: top,
            w: page_w - 2.0 * margin - legend_w - gap,
            h: footer_top - gap - top,
        };
        (map, [map.x + map.w + gap, top])
    } else {
        let map = Rect {
            x: margin,
            y: top,
            w: page_w - 2.0 * margin,
            h: footer_top - gap * 2.0 - legend_h - top,
        };
        (map, [margin, map.y + map.h + gap])
    };

    // Map frame: camera on Sichuan or the focus, colours, flags.
    let mut bounds = WorldRect::EMPTY;
    for unit in atlas.units() {
        if focus_units
            .as_ref()
            .is_none_or(|units| units.contains(&unit.id))
        {
            for c in unit.projected.0.iter().flat_map(|p| p.exterior().0.iter()) {
                bounds.extend([c.x, c.y]);
            }
        }
    }
    let camera = Camera::fit(
        bounds,
        [f64::from(map_rect.w), f64::from(map_rect.h)],
        f64::from(short * 0.025),
    );
    let (colours, mut unit_flags) = choropleth_tables(choropleth, theme.no_data);
    if let Some(units) = &focus_units {
        for (unit, f) in atlas.units().iter().zip(&mut unit_flags) {
            if !units.contains(&unit.id) {
                *f |= flags::MUTED;
            }
        }
    }
    let map = MapFrame {
        rect: map_rect,
        camera,
        colours,
        flags: unit_flags,
        line_scale: s * 0.8,
    };
    items.push(Item::Rect {
        rect: map_rect,
        fill: None,
        stroke: Some((FRAME, 0.5 * s)),
    });

    // Names (placed later, on the geometry): the neighbouring provinces always, the
    // counties when asked.
    let labels_at = items.len();

    // North arrow (top right) and scale bar (bottom right), inside the frame.
    items.extend(north_arrow(atlas.projection(), &map, s, lang));
    items.extend(scale_bar(&map, s, &width_of));

    // Legend.
    let [lx, mut ly] = legend_origin;
    items.push(Item::Rect {
        rect: Rect {
            x: lx,
            y: ly,
            w: legend_w,
            h: legend_h,
        },
        fill: Some(WHITE),
        stroke: Some((FRAME, 0.4 * s)),
    });
    let inner_x = lx + legend_size * 0.6;
    ly += row;
    items.push(text(
        inner_x,
        ly,
        &legend_title,
        legend_size * 1.05,
        Align::Left,
        INK,
    ));
    ly += row * 0.4;
    for (colour, label) in entries {
        let r = Rect {
            x: inner_x,
            y: ly + (row - swatch[1]) / 2.0,
            w: swatch[0],
            h: swatch[1],
        };
        match colour {
            Some(c) => items.push(Item::Rect {
                rect: r,
                fill: Some(c),
                stroke: Some((FRAME, 0.3 * s)),
            }),
            None => items.push(Item::Hatch {
                rect: r,
                base: theme.no_data,
                stripe: theme.no_data_hatch,
            }),
        }
        items.push(text(
            inner_x + swatch[0] + legend_size * 0.8,
            ly + row * 0.5 + legend_size * 0.35,
            &label,
            legend_size,
            Align::Left,
            INK,
        ));
        ly += row;
    }
    for note in &notes {
        items.push(text(
            inner_x,
            ly + row * 0.6,
            note,
            legend_size * 0.8,
            Align::Left,
            MUTED_INK,
        ));
        ly += row;
    }

    // Footer.
    for (i, line) in footer.iter().enumerate() {
        let fitted = fit(line, page_w - 2.0 * margin, footer_size, &width_of);
        items.push(text(
            margin,
            footer_top + footer_line * (i as f32 + 0.8),
            &fitted,
            footer_size,
            Align::Left,
            MUTED_INK,
        ));
    }

    let record = record(atlas, layer, spec, choropleth, options, focus_name);
    Layout {
        page: Page {
            width: page_w,
            height: page_h,
            pixels_per_point,
            map,
            items,
            title,
            record,
            lang,
        },
        labels_at,
        label_size,
        focus_units,
        widths,
    }
}

fn text(x: f32, y: f32, text: &str, size: f32, align: Align, colour: Rgba) -> Item {
    Item::Text {
        x,
        y,
        text: text.to_owned(),
        size,
        align,
        colour,
        halo: None,
    }
}

/// Cuts `line` with an ellipsis to fit `width`.
fn fit(line: &str, width: f32, size: f32, width_of: &dyn Fn(&str, f32) -> f32) -> String {
    if width_of(line, size) <= width {
        return line.to_owned();
    }
    let mut chars: Vec<char> = line.chars().collect();
    while !chars.is_empty()
        && width_of(&format!("{}…", chars.iter().collect::<String>()), size) > width
    {
        chars.pop();
    }
    format!("{}…", chars.into_iter().collect::<String>())
}

/// The classification as the page names it ("分位数 5级"); `None` for categories.
fn method_text(choropleth: &Choropleth, lang: Lang) -> Option<String> {
    choropleth.classification.as_ref().map(|c| {
        format!(
            "{} {}{}",
            c.method.name().get(lang),
            c.len(),
            tr(lang, "级", " classes")
        )
    })
}

/// The sources behind the mapped values, distinct, in first-use order.
pub fn layer_sources(atlas: &Atlas, layer: &Layer, year: i32) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !sources.contains(&s) {
            sources.push(s);
        }
    };
    if let Some(values) = layer.values.get(&year) {
        for observation in values.iter().flatten() {
            if observation.source == crate::atlas::SourceId::USER {
                push(
                    layer
                        .caveat
                        .as_ref()
                        .map_or_else(|| "user data".to_owned(), |c| c.en.clone()),
                );
            } else {
                push(atlas.source(observation.source).to_owned());
            }
        }
    }
    sources
}

fn footer_lines(
    atlas: &Atlas,
    layer: &Layer,
    spec: &MapSpec,
    choropleth: &Choropleth,
    options: &ExportOptions,
    lang: Lang,
) -> Vec<String> {
    let sources = layer_sources(atlas, layer, choropleth.year);
    let first = sources
        .first()
        .map(|s| s.split(" (").next().unwrap_or(s).to_owned())
        .unwrap_or_default();
    let more = if sources.len() > 1 {
        format!(
            " {} {} {}",
            tr(lang, "等", "and"),
            sources.len() - 1,
            tr(
                lang,
                "个来源(全部见文件元数据)",
                "more (all in the file's metadata)"
            )
        )
    } else {
        String::new()
    };
    let level = if layer.level == Level::Prefecture {
        tr(lang, "(市州级数值)", " (prefecture-level values)")
    } else {
        ""
    };
    let year = if choropleth.year > 0 {
        format!(" {}{}", choropleth.year, tr(lang, "年", ""))
    } else {
        String::new()
    };
    let data = format!(
        "{}{}{year}{level}: {first}{more}",
        tr(lang, "数据:", "Data: "),
        layer.name.get(lang)
    );
    let b = atlas.boundary_provenance();
    let boundary = format!(
        "{}{} ({}; {}); {}; {}",
        tr(lang, "边界:", "Boundaries: "),
        b.source,
        b.licence,
        b.vintage,
        tr(lang, "GCJ-02 转 WGS84", "GCJ-02 converted to WGS84"),
        tr(
            lang,
            "Albers 等积圆锥投影(中央经线103°E,标准纬线27.5°N、33°N)",
            "Albers equal-area conic (103°E; 27.5°N, 33°N)"
        ),
    );
    let method = method_text(choropleth, lang)
        .unwrap_or_else(|| tr(lang, "分类着色", "categories").to_owned());
    let review = options
        .review_number
        .as_ref()
        .map(|r| format!("; {}{r}", tr(lang, "审图号:", "Review number: ")))
        .unwrap_or_default();
    let made = format!(
        "{}{method}; {} {}{}; {} county-atlas {}{review}",
        tr(lang, "分级:", "Classes: "),
        tr(lang, "配色", "palette"),
        choropleth.palette.name(),
        if spec.reversed {
            tr(lang, "(反转)", " (reversed)")
        } else {
            ""
        },
        options.date(),
        env!("CARGO_PKG_VERSION"),
    );
    vec![data, boundary, made]
}

fn record(
    atlas: &Atlas,
    layer: &Layer,
    spec: &MapSpec,
    choropleth: &Choropleth,
    options: &ExportOptions,
    focus: Option<String>,
) -> Record {
    let classification = choropleth.classification.as_ref();
    let method_parameters = serde_json::to_value(&spec.method).unwrap_or_default();
    Record {
        software: "county-atlas".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        date: options.date(),
        layer: layer.id.clone(),
        layer_name: layer.name.zh.clone(),
        year: choropleth.year,
        normalization: spec.normalization,
        method: classification
            .map_or("categories", |c| c.method.id())
            .into(),
        method_parameters,
        breaks: classification.map(|c| c.breaks.clone()).unwrap_or_default(),
        counts: choropleth
            .legend
            .iter()
            .filter(|e| !e.no_data)
            .map(|e| e.count)
            .collect(),
        no_data: choropleth
            .legend
            .iter()
            .filter(|e| e.no_data)
            .map(|e| e.count)
            .sum(),
        palette: choropleth.palette.name().into(),
        reversed: spec.reversed,
        sources: layer_sources(atlas, layer, choropleth.year),
        boundary: atlas.boundary_provenance().clone(),
        projection: atlas.projection().proj_string(),
        focus,
        review_number: options.review_number.clone(),
    }
}

fn labels(
    input: &PageInput<'_>,
    geometry: &MapGeometry,
    map: &MapFrame,
    focus: Option<&[UnitId]>,
    size: f32,
    width_of: &dyn Fn(&str, f32) -> f32,
) -> Vec<Item> {
    let PageInput {
        atlas,
        options,
        theme,
        ..
    } = *input;
    // County label anchors cost a search per county: only a page with county names asks.
    let unit_anchors: &[LabelAnchor] = if options.labels {
        &geometry.labels().units
    } else {
        &[]
    };
    let mut candidates: Vec<LabelCandidate> = atlas
        .units()
        .iter()
        .zip(unit_anchors)
        .filter(|(u, _)| focus.is_none_or(|units| units.contains(&u.id)))
        .map(|(u, anchor)| LabelCandidate {
            text: u.name.clone(),
            anchor: anchor.position,
            // Province names rank below every county.
            priority: 1.0 + u.area_km2,
            clearance: anchor.clearance,
            size,
            kind: LabelKind::Unit(u.id.0),
        })
        .collect();
    let backdrop_size = size * 1.5;
    candidates.extend(
        atlas
            .backdrop()
            .iter()
            .zip(&geometry.backdrop_labels)
            .enumerate()
            .map(|(i, (region, anchor))| LabelCandidate {
                text: region.name.clone(),
                anchor: *anchor,
                priority: 0.0,
                clearance: 0.0,
                size: backdrop_size,
                kind: LabelKind::Backdrop(i as u32),
            }),
    );
    let size_pt = [f64::from(map.rect.w), f64::from(map.rect.h)];
    let measure = |text: &str, size: f32| [f64::from(width_of(text, size)), f64::from(size * 1.2)];
    place(&candidates, &map.camera, size_pt, measure)
        .into_iter()
        // A province's name stays clear of the frame (its area runs on beyond it).
        .filter(|label| {
            let [w, h] = measure(&label.text, label.size);
            !matches!(label.kind, LabelKind::Backdrop(_))
                || (label.centre[0] - w / 2.0 > h
                    && label.centre[0] + w / 2.0 < size_pt[0] - h
                    && label.centre[1] > h * 1.5
                    && label.centre[1] < size_pt[1] - h * 1.5)
        })
        .map(|label| {
            let backdrop = matches!(label.kind, LabelKind::Backdrop(_));
            let size = label.size;
            Item::Text {
                x: map.rect.x + label.centre[0] as f32,
                y: map.rect.y + label.centre[1] as f32 + size * 0.35,
                text: label.text,
                size,
                align: Align::Centre,
                colour: if backdrop {
                    theme.backdrop_label
                } else {
                    theme.label_text
                },
                halo: (!backdrop).then_some(theme.label_halo),
            }
        })
        .collect()
}

fn north_arrow(projection: &Albers, map: &MapFrame, s: f32, lang: Lang) -> Vec<Item> {
    let angle = furniture::north_angle(projection, map.camera.centre) as f32;
    let centre = [map.rect.x + map.rect.w - 22.0 * s, map.rect.y + 30.0 * s];
    let rotate = |v: [f32; 2]| {
        [
            centre[0] + (v[0] * angle.cos() - v[1] * angle.sin()) * s,
            centre[1] + (v[0] * angle.sin() + v[1] * angle.cos()) * s,
        ]
    };
    let (tip, left, right, notch) = (
        rotate([0.0, -13.0]),
        rotate([-6.0, 8.0]),
        rotate([6.0, 8.0]),
        rotate([0.0, 4.0]),
    );
    let label = rotate([0.0, -17.0]);
    vec![
        Item::Rect {
            rect: Rect {
                x: centre[0] - 15.0 * s,
                y: centre[1] - 27.0 * s,
                w: 30.0 * s,
                h: 40.0 * s,
            },
            fill: Some(BACKING),
            stroke: None,
        },
        Item::Polygon {
            points: vec![tip, notch, left],
            fill: INK,
            stroke: None,
        },
        Item::Polygon {
            points: vec![tip, right, notch],
            fill: WHITE,
            stroke: Some((INK, 0.6 * s)),
        },
        text(
            label[0],
            label[1],
            tr(lang, "北", "N"),
            8.0 * s,
            Align::Centre,
            INK,
        ),
    ]
}

fn scale_bar(map: &MapFrame, s: f32, width_of: &dyn Fn(&str, f32) -> f32) -> Vec<Item> {
    let bar = furniture::scale_bar(map.camera.metres_per_pixel, f64::from(map.rect.w * 0.22));
    let length = bar.pixels as f32;
    let label = if bar.km >= 1.0 {
        format!("{} km", crate::format::number(bar.km, 0))
    } else {
        format!("{} m", crate::format::number(bar.km * 1000.0, 0))
    };
    let size = 7.0 * s;
    let label_w = width_of(&label, size);
    let right = map.rect.x + map.rect.w - 8.0 * s - label_w / 2.0;
    let base = map.rect.y + map.rect.h - 10.0 * s;
    let left = right - length;
    let half = length / 2.0;
    vec![
        // The labels are centred on the bar's ends: the backing reaches half a label beyond.
        Item::Rect {
            rect: Rect {
                x: left - 6.0 * s,
                y: base - 16.0 * s,
                w: length + label_w / 2.0 + 10.0 * s,
                h: 21.0 * s,
            },
            fill: Some(BACKING),
            stroke: None,
        },
        Item::Rect {
            rect: Rect {
                x: left,
                y: base - 3.0 * s,
                w: half,
                h: 3.0 * s,
            },
            fill: Some(INK),
            stroke: Some((INK, 0.5 * s)),
        },
        Item::Rect {
            rect: Rect {
                x: left + half,
                y: base - 3.0 * s,
                w: half,
                h: 3.0 * s,
            },
            fill: Some(WHITE),
            stroke: Some((INK, 0.5 * s)),
        },
        text(left, base - 5.0 * s, "0", size, Align::Centre, INK),
        text(right, base - 5.0 * s, &label, size, Align::Centre, INK),
    ]
}
